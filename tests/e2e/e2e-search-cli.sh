#!/usr/bin/env bash
# ddtree search end to end, on the demo tables plus planted items: a user's
# thread names (case-sensitive as Chainlit, --ignore-case), step contents
# across the table (--type, --with-feedback, --user), documents (prefix in a
# namespace, file name / source path / summary across namespaces); text and
# --json output (checked with jq); exit statuses (0 matches, 1 none or a
# user without threads, 2 bad options or a table without the index it
# reads); hostile text: quotes, backslashes, %, Unicode searched for, and
# escape sequences in what is found never reaching the terminal.
. "$(dirname "$0")/lib.sh"
plan 80

ddtree demo --prefix "$PREFIX" >/dev/null 2>"$WORK/err"; rc=$?
check "demo creates the tables" test "$rc" = 0
CT="${PREFIX}chainlit"
DT="${PREFIX}stache-documents"
ARGS=(--chainlit-table "$CT" --documents-table "$DT")

# planted items (the token is in no demo item)
put() { ddb PutItem "{\"TableName\":\"$1\",\"Item\":$2}" >/dev/null || echo "# PutItem failed: $2"; }
thread() {   # thread ID USER NAME MINUTE
	put "$CT" "{\"PK\":{\"S\":\"THREAD#$1\"},\"SK\":{\"S\":\"THREAD\"},\"id\":{\"S\":\"$1\"},\"name\":{\"S\":\"$3\"},\"createdAt\":{\"S\":\"2026-05-01T10:$4:00Z\"},\"userId\":{\"S\":\"$2\"},\"userIdentifier\":{\"S\":\"$2\"},\"UserThreadPK\":{\"S\":\"USER#$2\"},\"UserThreadSK\":{\"S\":\"TS#2026-05-01T10:$4:00Z\"},\"metadata\":{\"M\":{}}}"
}
step() {     # step THREAD ID TYPE INPUT OUTPUT [FEEDBACK-VALUE]
	local fb=""
	[ -n "${6:-}" ] && fb=",\"feedback\":{\"M\":{\"forId\":{\"S\":\"$2\"},\"value\":{\"N\":\"$6\"},\"threadId\":{\"S\":\"$1\"},\"id\":{\"S\":\"THREAD#$1::STEP#$2\"},\"comment\":{\"NULL\":true}}}"
	put "$CT" "{\"PK\":{\"S\":\"THREAD#$1\"},\"SK\":{\"S\":\"STEP#$2\"},\"id\":{\"S\":\"$2\"},\"threadId\":{\"S\":\"$1\"},\"type\":{\"S\":\"$3\"},\"name\":{\"S\":\"$3 step\"},\"input\":{\"S\":\"$4\"},\"output\":{\"S\":\"$5\"},\"createdAt\":{\"S\":\"2026-05-01T10:00:01Z\"}$fb}"
}
doc() {      # doc NS ID FILENAME SUMMARY
	put "$DT" "{\"PK\":{\"S\":\"DOC#$1#$2\"},\"SK\":{\"S\":\"METADATA\"},\"GSI1PK\":{\"S\":\"NAMESPACE#$1\"},\"GSI1SK\":{\"S\":\"CREATED#2026-06-0$2T00:00:00+00:00\"},\"GSI2PK\":{\"S\":\"FILENAME#$1#$3\"},\"GSI2SK\":{\"S\":\"CREATED#2026-06-0$2T00:00:00+00:00\"},\"doc_id\":{\"S\":\"$2\"},\"namespace\":{\"S\":\"$1\"},\"filename\":{\"S\":\"$3\"},\"created_at\":{\"S\":\"2026-06-0$2T00:00:00+00:00\"},\"status\":{\"S\":\"active\"},\"chunk_count\":{\"N\":\"1\"},\"summary\":{\"S\":\"$4\"}}"
}
U=searcher@example.com
EVIL='evil xyzzy \u001b]52;c;SE9TVElMRQ==\u0007\u001b[2J\u009b31m\u202e end'
thread t-1 "$U" "Q4 xyzzy review" 11
thread t-2 "$U" "Other thing" 12
thread t-3 "$U" "$EVIL" 13
thread t-4 "$U" "Q4 XYZZY plan" 14
thread t-5 other@example.com "Their xyzzy thread" 15
step t-1 s-tool tool 'say \"xyzzy\" \\ now 100% caf\u00e9' 'done'
step t-1 s-reply assistant_message '' 'the XYZZY answer' 0
step t-3 s-evil assistant_message '' 'xyzzy \u001b[31mred\u001b[0m \u202e' 1
step t-5 s-theirs tool 'xyzzy for them' ''
doc kb/e2e 1 xyzzy-guide.pdf "A guide."
doc kb/e2e 2 guide-xyzzy.pdf "Explains the xyzzy spell."

# --- thread names -------------------------------------------------------------
cli names-found 0 search --user "$U" xyzzy
check "thread names: the text lists the two threads" \
	test "$(grep -c '^2026-05-01' "$WORK/cli-names-found.out")" = 2
check "thread names: the header is there" grep -q '^UPDATED  *ID  *NAME' "$WORK/cli-names-found.out"
check "thread names: an escape in a name prints as ^[" grep -qF 'evil xyzzy ^[]52;c;' "$WORK/cli-names-found.out"
n=$(jq -r 'select(.kind == "thread") | .thread_id' "$WORK/cli-names-found--json.out" | tr '\n' ' ')
check "thread names --json: newest first, case-sensitive as Chainlit (got $n)" test "$n" = "t-3 t-1 "
check "thread names --json: where it matched" \
	test "$(jq -r .field "$WORK/cli-names-found--json.out" | sort -u)" = name
check "thread names --json: the key" \
	test "$(jq -r '.key.PK + " " + .key.SK' "$WORK/cli-names-found--json.out" | head -1)" = "THREAD#t-3 THREAD"
check "thread names --json: the name escaped, intact" \
	test "$(jq -r 'select(.thread_id == "t-3") | .thread_name' "$WORK/cli-names-found--json.out")" = \
	"$(printf 'evil xyzzy \033]52;c;SE9TVElMRQ==\a\033[2J\302\23331m\342\200\256 end')"
cli names-ic 0 search --user "$U" --ignore-case XyZzY
n=$(jq -r .thread_id "$WORK/cli-names-ic--json.out" | tr '\n' ' ')
check "thread names --ignore-case (got $n)" test "$n" = "t-4 t-3 t-1 "
cli names-none 1 search --user "$U" "no such name"
check "thread names: no match says so" grep -q 'no thread name contains "no such name"' "$WORK/cli.err"
check "thread names: no match prints nothing on stdout" test ! -s "$WORK/cli-names-none.out"
cli names-nouser 1 search --user nobody@example.com xyzzy
check "a user with no threads says so" grep -q 'user "nobody@example.com" has no threads' "$WORK/cli.err"

# --- steps -------------------------------------------------------------------------
cli steps 0 search xyzzy
ids=$(jq -r .step_id "$WORK/cli-steps--json.out" | sort | tr '\n' ' ')
check "steps: every step holding the text, across users (got $ids)" test "$ids" = "s-evil s-theirs s-tool "
check "steps --json: kind step" test "$(jq -r .kind "$WORK/cli-steps--json.out" | sort -u)" = step
check "steps --json: the thread name filled in" \
	test "$(jq -r 'select(.step_id == "s-theirs") | .thread_name + " / " + .user' "$WORK/cli-steps--json.out")" = \
	"Their xyzzy thread / other@example.com"
check "steps --json: the field and a one-line snippet" \
	test "$(jq -r 'select(.step_id == "s-tool") | .field + ": " + .snippet' "$WORK/cli-steps--json.out")" = \
	'input: say "xyzzy" \ now 100% café'
check "steps --json: the vote" \
	test "$(jq -r 'select(.step_id == "s-evil") | .vote' "$WORK/cli-steps--json.out")" = 1
check "steps: the thread line, then the step" grep -q '^thread Q4 xyzzy review  t-1  searcher@example.com$' "$WORK/cli-steps.out"
check "steps: the field and snippet" grep -qF '    input: say "xyzzy" \ now 100% café' "$WORK/cli-steps.out"
check "steps: an escape in a snippet prints as ^[" grep -qF 'output: xyzzy ^[[31mred^[[0m' "$WORK/cli-steps.out"
cli steps-type 0 search --type tool xyzzy
check "steps --type tool" test "$(jq -r .step_id "$WORK/cli-steps-type--json.out" | sort | tr '\n' ' ')" = "s-theirs s-tool "
cli steps-fb 0 search --with-feedback --ignore-case XYZZY
check "steps --with-feedback --ignore-case" \
	test "$(jq -r .step_id "$WORK/cli-steps-fb--json.out" | sort | tr '\n' ' ')" = "s-evil s-reply "
cli steps-user 0 search --steps --user "$U" xyzzy
check "steps --user: only the user's threads" \
	test "$(jq -r .step_id "$WORK/cli-steps-user--json.out" | sort | tr '\n' ' ')" = "s-evil s-tool "
cli steps-segments 0 search --segments 3 xyzzy
check "steps --segments 3 finds the same" \
	test "$(jq -r .step_id "$WORK/cli-steps-segments--json.out" | sort | tr '\n' ' ')" = "s-evil s-theirs s-tool "
# the text as the request carries it: quotes, backslash, %, non-ASCII
cli steps-quoted 0 search 'say "xyzzy" \ now 100% café'
check "quotes, a backslash, % and é are searched as text" \
	test "$(jq -r .step_id "$WORK/cli-steps-quoted--json.out")" = s-tool
cli steps-none 1 search "%%no such step%%"
check "steps: no match says so" grep -q 'no step name, input or output contains' "$WORK/cli.err"

# --- documents -----------------------------------------------------------------------
cli docs-ns 0 search --namespace kb/e2e xyzzy
check "documents in a namespace: file names that start with the text" \
	test "$(jq -r .doc_id "$WORK/cli-docs-ns--json.out" | tr '\n' ' ')" = "1 "
check "documents: text output" grep -q '^kb/e2e  xyzzy-guide.pdf  active  1$' "$WORK/cli-docs-ns.out"
cli docs-all 0 search --documents xyzzy
check "documents across namespaces: file name or summary" \
	test "$(jq -r '.doc_id + ":" + .field' "$WORK/cli-docs-all--json.out" | sort | tr '\n' ' ')" = "1:filename 2:filename "
cli docs-summary 0 search --documents "the xyzzy spell"
check "documents: a summary match" \
	test "$(jq -r '.doc_id + ":" + .field + ":" + .snippet' "$WORK/cli-docs-summary--json.out")" = "2:summary:Explains the xyzzy spell."
cli docs-none 1 search --documents --namespace kb/e2e xyzzy.pdf
check "documents: a prefix, not a substring" grep -q 'no file name or source path starts with "xyzzy.pdf"' "$WORK/cli.err"

# --- bad input ----------------------------------------------------------------------------
cli empty 2 search ""
check "empty text: a usage error" grep -q 'the search text is empty' "$WORK/cli.err"
cli long 2 search "$(head -c 1025 /dev/zero | tr '\0' x)"
check "text over 1024 bytes: a clear error" grep -q 'at most 1024' "$WORK/cli.err"
cli notutf8 2 search $'bad \xff text'
cli mixed 2 search --documents --user "$U" xyzzy
cli elsewhere 2 threads "$U" --namespace kb
check "a search option on another command is refused" grep -q 'options of search' "$WORK/cli.err"
"$DDTREE_BIN" --endpoint-url http://127.0.0.1:9 --chainlit-table x search "" 2>/dev/null; rc=$?
check "bad text is refused before any request (dead endpoint: 2, not 3)" test "$rc" = 2
ARGS=(--chainlit-table "$DT")
cli noindex 2 search --user "$U" xyzzy
check "a table without UserThread: the error names the index" grep -q 'has no index "UserThread"' "$WORK/cli.err"
ARGS=(--chainlit-table "${PREFIX}no-such-table")
cli notable 3 search xyzzy
