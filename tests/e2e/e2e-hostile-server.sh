#!/usr/bin/env bash
# A hostile DynamoDB endpoint (issue 11): nothing from the server reaches the
# terminal raw.  tests/tools/fakehttp on 127.0.0.1 plays DynamoDB, answering
# by operation (--route): ListTables with hostile table names, DescribeTable
# with hostile key attribute names, key types and index names (and one
# DescribeTable error), Query, Scan, GetItem and BatchGetItem with hostile
# Chainlit, Stache and other items and attribute names, UpdateItem with a
# conflict carrying a hostile item; then servers whose every answer is an
# error with a hostile X-Amzn-ErrorType header (raw bytes), __type, code and
# message, or is not JSON at all.  Every subcommand runs against them, with
# and without --json, and so does a credential helper that prints escape
# sequences; no ESC, no C1 control (UTF-8 C2 80..9F, or a raw byte 80..9F
# outside a UTF-8 sequence: the output must be valid UTF-8) and no bidi
# control may reach stdout or stderr.  The browser runs scripted against the
# same servers and its saved screens are checked the same way.  First, a
# look at the sources: nothing but tui/out.c (the sanitising output
# boundary) may write to stdout or stderr.
#
# DynamoDB Local is not used: run alone with
#   make -C build check TESTS=tests/e2e/e2e-hostile-server.sh DDTREE_TEST_ENDPOINT=unused
# e2e: no-compat: the DynamoDB here is tests/tools/fakehttp, not the server under test
. "$(dirname "$0")/lib.sh"
trap 'fake_stop; t_cleanup' EXIT
# HOSTILE_KEEP=1 keeps the outputs and screens for a look afterwards
[ -n "${HOSTILE_KEEP:-}" ] && trap 'fake_stop; echo "# kept $WORK"' EXIT

# ---- 1. the sources: one output boundary ------------------------------------------
# only tui/out.c may name stdout/stderr (or their descriptors, isatty apart)
# or call printf/puts/putchar/perror/dprintf; aws/ and model/ never print
direct_output() {
	local f bad=0
	for f in "$DDTREE_SRCDIR"/tui/*.c "$DDTREE_SRCDIR"/model/*.c "$DDTREE_SRCDIR"/aws/*.c; do
		[ "${f#"$DDTREE_SRCDIR"/}" = tui/out.c ] && continue
		# string literals and // comments out, then the calls
		if sed -E -e 's/"([^"\\]|\\.)*"/""/g' -e 's#//.*##' "$f" | grep -nE \
			'\b(stdout|stderr)\b|\b(printf|vprintf|puts|putchar|perror|dprintf|vdprintf)[[:space:]]*\(|\bwrite[[:space:]]*\([[:space:]]*[12][[:space:]]*,' |
			grep -vE '^[0-9]+:[[:space:]]*(/?\*)' | sed "s#^#${f#"$DDTREE_SRCDIR"/}:#" | grep .; then
			bad=1
		elif grep -nE '(STDOUT|STDERR)_FILENO' "$f" | grep -vE 'isatty\((STDOUT|STDERR)_FILENO\)' |
			sed "s#^#${f#"$DDTREE_SRCDIR"/}:#" | grep .; then
			bad=1
		fi
	done
	return $bad
}
direct_output >"$WORK/direct.txt"
check "only tui/out.c writes to stdout and stderr (tui/, model/, aws/)" test ! -s "$WORK/direct.txt"
sed 's/^/# /' "$WORK/direct.txt"

# ---- the hostile data -----------------------------------------------------------------
# JSON-escaped escape soup: an OSC 52 clipboard write, clear screen, the C1
# CSI, bidi overrides, isolates and marks, a window title
X='\u001b]52;c;SE9TVElMRQ==\u0007\u001b[2J\u009b31m\u202e\u2066\u200f\u061c\u001b]0;PWNED\u0007'
# and as raw (valid) UTF-8 in the JSON text: C1 CSI and right-to-left override
XR=$'\xc2\x9b'"2J"$'\xe2\x80\xae'
H="$X$XR"
F="$WORK/fx"
mkdir -p "$F"
# the tables are found by their layout, their names are hostile; routes tell
# them apart by the plain prefix
CT="hx-chainlit$H" NT="hx-namespaces$H" DT="hx-documents$H" GT="hx-generic$H" BT="hx-broken$H"
raw() { jq -rn "\"$1\""; }   # a JSON-escaped string as raw bytes (for arguments)
GT_RAW=$(raw "$GT")
DT_RAW=$(raw "$DT")
ARG_RAW=$(raw "arg$X")        # hostile command-line words too

cat >"$F/list.json" <<EOF
{"TableNames":["$BT","$CT","$DT","$GT","$NT"]}
EOF
cat >"$F/d-chainlit.json" <<EOF
{"Table":{"TableName":"$CT","TableStatus":"ACTIVE","ItemCount":7,
 "KeySchema":[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"SK","KeyType":"RANGE"}],
 "AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S$H"},{"AttributeName":"SK","AttributeType":"S"}],
 "GlobalSecondaryIndexes":[{"IndexName":"UserThread","KeySchema":[{"AttributeName":"UserThreadPK","KeyType":"HASH"},{"AttributeName":"UserThreadSK","KeyType":"RANGE"}]},
  {"IndexName":"idx$H","KeySchema":[{"AttributeName":"a$H","KeyType":"HASH"}]}]}}
EOF
cat >"$F/d-namespaces.json" <<EOF
{"Table":{"TableName":"$NT","TableStatus":"ACTIVE","ItemCount":3,
 "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
 "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S$H"}],
 "GlobalSecondaryIndexes":[{"IndexName":"parent_id-index","KeySchema":[{"AttributeName":"parent_id","KeyType":"HASH"}]}]}}
EOF
cat >"$F/d-documents.json" <<EOF
{"Table":{"TableName":"$DT","TableStatus":"ACTIVE","ItemCount":2,
 "KeySchema":[{"AttributeName":"PK","KeyType":"HASH"},{"AttributeName":"SK","KeyType":"RANGE"}],
 "AttributeDefinitions":[{"AttributeName":"PK","AttributeType":"S"}],
 "GlobalSecondaryIndexes":[{"IndexName":"GSI1","KeySchema":[{"AttributeName":"GSI1PK","KeyType":"HASH"},{"AttributeName":"GSI1SK","KeyType":"RANGE"}]},
  {"IndexName":"GSI2","KeySchema":[{"AttributeName":"GSI2PK","KeyType":"HASH"},{"AttributeName":"GSI2SK","KeyType":"RANGE"}]}],
 "LocalSecondaryIndexes":[{"IndexName":"lsi$H"}]}}
EOF
cat >"$F/d-generic.json" <<EOF
{"Table":{"TableName":"$GT","TableStatus":"ACTIVE$H","ItemCount":2,
 "KeySchema":[{"AttributeName":"k$H","KeyType":"HASH"},{"AttributeName":"r$H","KeyType":"RANGE$H"}],
 "AttributeDefinitions":[{"AttributeName":"k$H","AttributeType":"S$H"},{"AttributeName":"r$H","AttributeType":"N$H"}],
 "GlobalSecondaryIndexes":[{"IndexName":"gsi$H","KeySchema":[{"AttributeName":"g$H","KeyType":"HASH"}]}],
 "LocalSecondaryIndexes":[{"IndexName":"lsi$H"}]}}
EOF
# a DescribeTable error without X-Amzn-ErrorType: its code comes from __type
cat >"$F/err-type.json" <<EOF
{"__type":"com.amazonaws.dynamodb.v20120810#AccessDenied$H","message":"denied$H"}
EOF
# Chainlit (SCHEMAS.md B): a user, a thread, steps with feedback, an element,
# an item of no known kind, and the UserThread index items
USER_ITEM="{\"PK\":{\"S\":\"USER#u$H\"},\"SK\":{\"S\":\"USER\"},\"id\":{\"S\":\"u$H\"},\"identifier\":{\"S\":\"u$H\"},\"createdAt\":{\"S\":\"2026-04-24T13:02:11Z$H\"},\"metadata\":{\"M\":{\"r$H\":{\"S\":\"v$H\"}}}}"
THREAD_ITEM="{\"PK\":{\"S\":\"THREAD#t1\"},\"SK\":{\"S\":\"THREAD\"},\"id\":{\"S\":\"t1\"},\"UserThreadPK\":{\"S\":\"USER#u$H\"},\"UserThreadSK\":{\"S\":\"TS#2026-04-24T13:05:55Z\"},\"createdAt\":{\"S\":\"2026-04-24T13:05:55Z$H\"},\"name\":{\"S\":\"n$H\"},\"userId\":{\"S\":\"u$H\"},\"userIdentifier\":{\"S\":\"u$H\"},\"tags\":{\"L\":[{\"S\":\"tag$H\"},{\"N\":\"1\"}]},\"metadata\":{\"M\":{\"m$H\":{\"S\":\"v$H\"}}}}"
FB="{\"M\":{\"forId\":{\"S\":\"s1$H\"},\"value\":{\"N\":\"1\"},\"threadId\":{\"S\":\"t1\"},\"id\":{\"S\":\"THREAD#t1::STEP#s1\"},\"comment\":{\"S\":\"c$H\"}}}"
STEP_ITEM="{\"PK\":{\"S\":\"THREAD#t1\"},\"SK\":{\"S\":\"STEP#s1\"},\"id\":{\"S\":\"s1\"},\"threadId\":{\"S\":\"t1\"},\"type\":{\"S\":\"user_message$H\"},\"name\":{\"S\":\"n$H\"},\"output\":{\"S\":\"o$H\"},\"createdAt\":{\"S\":\"2026-04-24T13:05:56Z\"},\"start\":{\"S\":\"2026-04-24T13:05:56Z$H\"},\"end\":{\"S\":\"x$H\"},\"feedback\":$FB}"
STEP2_ITEM="{\"PK\":{\"S\":\"THREAD#t1\"},\"SK\":{\"S\":\"STEP#s2$H\"},\"id\":{\"S\":\"s2$H\"},\"threadId\":{\"S\":\"t1\"},\"type\":{\"S\":\"assistant_message\"},\"name\":{\"S\":\"n$H\"},\"output\":{\"S\":\"o$H\"},\"parentId\":{\"S\":\"missing$H\"},\"createdAt\":{\"S\":\"bad$H\"},\"feedback\":{\"M\":{\"value\":{\"S\":\"v$H\"},\"comment\":{\"N\":\"1\"}}}}"
ELEM_ITEM="{\"PK\":{\"S\":\"THREAD#t1\"},\"SK\":{\"S\":\"ELEMENT#e1$H\"},\"id\":{\"S\":\"e1$H\"},\"threadId\":{\"S\":\"t1\"},\"type\":{\"S\":\"file$H\"},\"name\":{\"S\":\"f$H\"},\"mime\":{\"S\":\"text/plain$H\"},\"forId\":{\"S\":\"nostep$H\"},\"url\":{\"S\":\"http://x/$H\"},\"objectKey\":{\"S\":\"k$H\"}}"
ODD_ITEM="{\"PK\":{\"S\":\"THREAD#t1\"},\"SK\":{\"S\":\"ODD#$H\"},\"a$H\":{\"S\":\"v$H\"},\"b$H\":{\"M\":{\"c$H\":{\"L\":[{\"S\":\"d$H\"},{\"B\":\"G1sySg==\"}]}}}}"
INDEX_ITEM="{\"PK\":{\"S\":\"THREAD#t1\"},\"SK\":{\"S\":\"THREAD\"},\"UserThreadPK\":{\"S\":\"USER#u$H\"},\"UserThreadSK\":{\"S\":\"TS#2026-04-24T13:05:55Z\"},\"id\":{\"S\":\"t1\"},\"name\":{\"S\":\"n$H\"}}"
INDEX2_ITEM="{\"PK\":{\"S\":\"THREAD#t2$H\"},\"SK\":{\"S\":\"THREAD\"},\"UserThreadPK\":{\"S\":\"USER#u$H\"},\"UserThreadSK\":{\"S\":\"TS#x$H\"},\"id\":{\"S\":\"t2$H\"},\"name\":{\"N\":\"5\"}}"
echo "{\"Items\":[$USER_ITEM,$THREAD_ITEM,$STEP_ITEM,$STEP2_ITEM,$ELEM_ITEM,$ODD_ITEM],\"Count\":6,\"ScannedCount\":6}" >"$F/scan-chainlit.json"
echo "{\"Items\":[$ELEM_ITEM,$ODD_ITEM,$STEP_ITEM,$STEP2_ITEM,$THREAD_ITEM],\"Count\":5,\"ScannedCount\":5}" >"$F/q-thread.json"
echo "{\"Items\":[$INDEX_ITEM,$INDEX2_ITEM],\"Count\":2,\"ScannedCount\":2}" >"$F/q-userthread.json"
echo "{\"Responses\":{\"$CT\":[$THREAD_ITEM]}}" >"$F/batch.json"
echo "{\"Item\":$STEP_ITEM}" >"$F/get-step.json"
# a failed condition returns the item as it is now (ALL_OLD)
echo "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional request failed$H\",\"Item\":$STEP_ITEM}" >"$F/upd-conflict.json"
# Stache (SCHEMAS.md A): namespaces (one with JSON text holding escapes, an
# orphan, a cycle) and documents
NS1="{\"id\":{\"S\":\"ns$H\"},\"name\":{\"S\":\"name$H\"},\"description\":{\"S\":\"d$H\"},\"parent_id\":{\"S\":\"__ROOT__\"},\"metadata\":{\"S\":\"{\\\"k$H\\\": \\\"v$H\\\"}\"},\"filter_keys\":{\"S\":\"[\\\"f$H\\\"]\"},\"created_at\":{\"S\":\"2026-01-01T00:00:00+00:00$H\"},\"updated_at\":{\"S\":\"x$H\"}}"
NS2="{\"id\":{\"S\":\"orphan$H\"},\"name\":{\"N\":\"1\"},\"parent_id\":{\"S\":\"gone$H\"},\"metadata\":{\"M\":{}},\"filter_keys\":{\"S\":\"[1]$H\"}}"
NS3="{\"id\":{\"S\":\"cyc$H\"},\"name\":{\"S\":\"c$H\"},\"parent_id\":{\"S\":\"cyc$H\"}}"
DOC1="{\"PK\":{\"S\":\"DOC#ns$H#d1\"},\"SK\":{\"S\":\"METADATA\"},\"GSI1PK\":{\"S\":\"NAMESPACE#ns$H\"},\"GSI1SK\":{\"S\":\"CREATED#2026-01-01T00:00:00+00:00\"},\"doc_id\":{\"S\":\"d1$H\"},\"filename\":{\"S\":\"file$H.pdf\"},\"namespace\":{\"S\":\"ns$H\"},\"chunk_count\":{\"N\":\"2\"},\"chunk_ids\":{\"L\":[{\"S\":\"c$H\"}]},\"created_at\":{\"S\":\"2026-01-01T00:00:00+00:00$H\"},\"status\":{\"S\":\"weird$H\"},\"file_type\":{\"S\":\"pdf$H\"},\"content_type\":{\"S\":\"application/pdf$H\"},\"summary\":{\"S\":\"s$H\"},\"source_path\":{\"S\":\"/p/$H\"}}"
DOC2="{\"PK\":{\"S\":\"DOC#x$H\"},\"SK\":{\"S\":\"METADATA\"},\"doc_id\":{\"N\":\"3\"},\"filename\":{\"L\":[]},\"namespace\":{\"S\":\"other$H\"},\"created_at\":{\"N\":\"1\"},\"a$H\":{\"S\":\"b$H\"}}"
echo "{\"Items\":[$NS1,$NS2,$NS3],\"Count\":3,\"ScannedCount\":3}" >"$F/namespaces.json"
echo "{\"Item\":$NS1}" >"$F/get-ns.json"
echo "{\"Items\":[$DOC1,$DOC2],\"Count\":2,\"ScannedCount\":2}" >"$F/docs.json"
# a table of no known layout
GEN="{\"k$H\":{\"S\":\"v$H\"},\"r$H\":{\"N\":\"1\"},\"m$H\":{\"M\":{\"n$H\":{\"SS\":[\"a$H\",\"b\"]},\"l\":{\"L\":[{\"BOOL\":true},{\"NULL\":true},{\"S\":\"x$H\"}]}}}}"
echo "{\"Item\":$GEN}" >"$F/get-generic.json"
echo "{\"Items\":[$GEN,$GEN],\"Count\":2,\"ScannedCount\":2}" >"$F/generic.json"
# errors: a header of raw bytes (ESC, OSC 52, a raw C1 byte, UTF-8 C1 and
# RLO), which wins over __type; a 500 with "code" and "Message"; an answer
# that is not JSON (its first bytes show up in the parser's message)
printf 'X-Amzn-ErrorType: Validation\x1b]52;c;SE9TVElMRQ==\x07\x1b[2J\x9b31m\xc2\x9b\xe2\x80\xae:http://x\n' >"$F/err-hdr"
echo "{\"__type\":\"com.amazonaws.dynamodb.v20120810#Validation$H\",\"message\":\"bad$H\"}" >"$F/err-400.json"
echo "{\"code\":\"Internal$H\",\"Message\":\"boom$H\"}" >"$F/err-500.json"
printf '\x1b]52;c;SE9TVElMRQ==\x07\x1b[2J\xc2\x9b31m\xe2\x80\xae not json' >"$F/garbage"
for f in "$F"/*.json; do
	jq -e . "$f" >/dev/null 2>&1 || echo "# fixture $(basename "$f") is not JSON"
done

TABLES=(
	--route "ListTables=200:$F/list.json"
	--route "DescribeTable~hx-chainlit=200:$F/d-chainlit.json"
	--route "DescribeTable~hx-namespaces=200:$F/d-namespaces.json"
	--route "DescribeTable~hx-documents=200:$F/d-documents.json"
	--route "DescribeTable~hx-generic=200:$F/d-generic.json"
	--route "DescribeTable=400:$F/err-type.json"
)
HOSTILE=(
	"${TABLES[@]}"
	--route "Query~UserThread=200:$F/q-userthread.json"
	--route "Query~hx-chainlit=200:$F/q-thread.json"
	--route "Scan~hx-chainlit=200:$F/scan-chainlit.json"
	--route "GetItem~hx-chainlit=200:$F/get-step.json"
	--route "BatchGetItem=200:$F/batch.json"
	--route "UpdateItem=400:$F/upd-conflict.json"
	--route "Query~hx-namespaces=200:$F/namespaces.json"
	--route "Scan~hx-namespaces=200:$F/namespaces.json"
	--route "GetItem~hx-namespaces=200:$F/get-ns.json"
	--route "Query~hx-documents=200:$F/docs.json"
	--route "Scan~hx-documents=200:$F/docs.json"
	--route "GetItem~hx-generic=200:$F/get-generic.json"
	--route "Scan~hx-generic=200:$F/generic.json"
)

# ---- checks ------------------------------------------------------------------------------
# not_utf8 FILE: a byte that is not part of valid UTF-8 (a raw C1 byte)
not_utf8() { ! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }
# dirty FILE: something in FILE a terminal would obey
dirty() { has_esc "$1" || has_c1 "$1" || has_bidi "$1" || not_utf8 "$1"; }
# shown FILE...: the escape soup is there, made visible (caret notation) or
# escaped as JSON: proof that the hostile text was read and printed
shown() { grep -qaiF -e '^[]52;c;SE9TVElMRQ==^G' -e '\u001b]52;c;SE9TVElMRQ==\u0007' "$@"; }
# clean_run NAME RC WANT SHOW: the run's exit status is WANT, no sanitizer
# spoke, nothing a terminal would obey in its stdout or stderr, with
# SHOW=1 the hostile text is shown, and with --json each output line is JSON
clean_run() {
	local name=$1 rc=$2 want=$3 show=$4 json=$5 f why=()
	[ "$rc" = "$want" ] || why+=("exit $rc")
	no_sanitizer "$WORK/run.err" || why+=("a sanitizer report")
	for f in run.out run.err; do
		dirty "$WORK/$f" && why+=("raw escape in $f: $(LC_ALL=C grep -anP '\x1b|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c|[\x80-\x9f]' "$WORK/$f" | head -n 2 | cut -c1-120 | cat -v | tr '\n' ' ')")
	done
	[ "$show" = 1 ] && ! shown "$WORK/run.out" "$WORK/run.err" && why+=("the hostile text is not shown")
	[ -n "$json" ] && [ -s "$WORK/run.out" ] && ! jq -e . "$WORK/run.out" >/dev/null 2>&1 &&
		why+=("stdout is not JSON")
	[ ${#why[@]} = 0 ] && return 0
	printf '# %s\n' "${why[@]}"
	head -c 400 "$WORK/run.err" | cat -v | sed 's/^/# stderr: /'
	return 1
}
# run_cli WANT SHOW ARGS...: ddtree ARGS against the fake server, without and
# with --json; one check each
run_cli() {
	local want=$1 show=$2 rc j
	shift 2
	for j in "" --json; do
		timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$FAKE_URL" --max-attempts 1 $j "$@" \
			>"$WORK/run.out" 2>"$WORK/run.err"
		rc=$?
		check "$SERVER: ddtree $j $(printf '%s' "$*" | cat -v | cut -c1-60): exit $want, nothing raw" \
			clean_run "$*" "$rc" "$want" "$show" "$j"
		[ -n "${HOSTILE_KEEP:-}" ] && cp "$WORK/run.out" "$WORK/$SERVER-${1}$j.out" &&
			cp "$WORK/run.err" "$WORK/$SERVER-${1}$j.err"
	done
}
# every SHOW "CODES": every subcommand, expecting these exit codes in turn:
# tables namespaces documents users threads threads--index-only thread item
# feedback-set feedback-delete check export-generic export-documents
every() {
	local show=$1 c
	read -r -a c <<<"$2"
	run_cli "${c[0]}" "$show" tables
	run_cli "${c[1]}" "$show" namespaces
	run_cli "${c[2]}" "$show" documents "ns$ARG_RAW"
	run_cli "${c[3]}" "$show" users
	run_cli "${c[4]}" "$show" threads "u$ARG_RAW"
	run_cli "${c[5]}" "$show" threads "u$ARG_RAW" --index-only
	run_cli "${c[6]}" "$show" thread t1
	run_cli "${c[7]}" "$show" item "$GT_RAW" "pk$ARG_RAW"
	run_cli "${c[8]}" "$show" --write feedback set t1 s1 --value down --comment "c$ARG_RAW"
	run_cli "${c[9]}" "$show" --write feedback delete t1 s1
	run_cli "${c[10]}" "$show" check
	run_cli "${c[11]}" "$show" export "$GT_RAW"
	run_cli "${c[12]}" "$show" export "$DT_RAW"
}
# browse NAME SCRIPT: the browser on SCRIPT at 120x30 against the fake server
browse() {
	local rc
	COLUMNS=120 LINES=30 TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$2" \
		timeout -k 5 120 "$DDTREE_BIN" --endpoint-url "$FAKE_URL" --max-attempts 1 </dev/null \
		>"$WORK/run.out" 2>"$WORK/run.err"
	rc=$?
	check "$SERVER: the browser ($1) exits 0, nothing raw on stdout or stderr" \
		clean_run "$1" "$rc" 0 0 ""
}
S="$WORK/screens"
mkdir -p "$S"
# screens_clean PREFIX: every saved screen PREFIX-* is free of raw escapes,
# and the hostile text shows on them
screens_clean() {
	local f bad=0
	for f in "$S/$1"-*.txt; do
		[ -f "$f" ] || { echo "# no screen $1-*"; return 1; }
		if dirty "$f"; then echo "# raw escape on $(basename "$f")"; bad=1; fi
	done
	shown "$S/$1"-*.txt || { echo "# the hostile text is on no screen $1-*"; bad=1; }
	return $bad
}

# ---- 2. hostile answers -----------------------------------------------------------------
SERVER=hostile
fake_start "$WORK/hostile.log" "${HOSTILE[@]}"
check "the fake DynamoDB listens on loopback" contains "$FAKE_URL" "http://127.0.0.1:"
every 1 "0 0 0 0 0 0 0 0 4 4 1 0 0"
"$DDTREE_BIN" --endpoint-url "$FAKE_URL" tables >"$WORK/t.out" 2>&1
check "tables: the layouts are found under the hostile names" grep -q '^hx-chainlit.* chainlit ' "$WORK/t.out"
check "tables: the DescribeTable error is shown, made visible" \
	grep -qF 'denied^[]52;c;SE9TVElMRQ==^G^[[2J<U+009B>31m<U+202E>' "$WORK/t.out"
check "tables: key attribute names, types and index names, made visible" grep -qF \
	'k^[]52;c;SE9TVElMRQ==^G^[[2J<U+009B>31m<U+202E><U+2066><U+200F><U+061C>^[]0;PWNED^G<U+009B>2J<U+202E> (S^[]52;' \
	"$WORK/t.out"

# the browser: the tree, the users, a user's threads, a conversation, a step,
# an item raw, a table of no known layout
cat >"$WORK/browse.script" <<SCRIPT
:save-display $S/hostile-start.txt
<Enter>
:save-display $S/hostile-namespaces.txt
/Conversations
<Enter><Esc>
<Enter>
:save-display $S/hostile-users.txt
:user u
:save-display $S/hostile-threads.txt
:thread t1
:save-display $S/hostile-thread.txt
<Enter>
:save-display $S/hostile-step.txt
r
:save-display $S/hostile-step-raw.txt
<Esc><Esc>
:table hx-generic
:save-display $S/hostile-generic.txt
<Enter>
:save-display $S/hostile-generic-item.txt
<Esc><Esc>
/Tables
<Enter><Esc>
<Enter>
:save-display $S/hostile-tables.txt
q
SCRIPT
browse "tree, threads, steps, items" "$WORK/browse.script"
check "hostile: the browser's screens show the hostile text, nothing raw" screens_clean hostile
check "hostile: a step's detail shows its feedback comment, made visible" \
	grep -qF 'comment  (S) "c^[]52;c;SE9TVElMRQ==^G^[[2J<U+009B>31m<U+202E>' "$S/hostile-step.txt"
check "hostile: an item of the table of no known layout, attribute names made visible" \
	grep -qF 'k^[]52;c;SE9TVElMRQ==^G^[[2J<U+009B>31m<U+202E>' "$S/hostile-generic-item.txt"
fake_stop

# ---- 3. errors: the tables are there, every read fails ----------------------------
SERVER=errors
fake_start "$WORK/errors.log" "${TABLES[@]}" --route "*=400:$F/err-400.json:$F/err-hdr"
every 1 "0 3 3 3 3 3 3 3 3 3 3 3 3"
cat >"$WORK/errors.script" <<SCRIPT
<Enter>
:save-display $S/errors-namespaces.txt
/Conversations
<Enter><Esc>
<Enter>
:save-display $S/errors-users.txt
:thread t1
:save-display $S/errors-thread.txt
q
SCRIPT
browse "errors in the tree and the status line" "$WORK/errors.script"
check "errors: the screens show the error codes made visible, nothing raw" screens_clean errors
check "errors: the status line shows the X-Amzn-ErrorType code made visible" \
	grep -qF ' users: Validation^[]52;c;SE9TVElMRQ==^G^[[2J' "$S/errors-thread.txt"
fake_stop

# ---- 4. server errors (500, code and Message), listing tables included --------------
SERVER=server-errors
fake_start "$WORK/500.log" --route "*=500:$F/err-500.json"
every 1 "3 3 3 3 3 3 3 3 3 3 3 3 3"
fake_stop

# ---- 5. answers that are not JSON -----------------------------------------------------
SERVER=garbage
fake_start "$WORK/garbage.log" --route "*=200:$F/garbage"
every 0 "3 3 3 3 3 3 3 3 3 3 3 3 3"
fake_stop

# ---- 6. a credential helper that prints escapes ------------------------------------------
SERVER=credential-helper
fake_start "$WORK/cred.log" "${HOSTILE[@]}"
mkdir -p "$HOME/.aws"
cat >"$WORK/helper-stderr" <<'HELPER'
#!/bin/sh
printf '\033]52;c;SE9TVElMRQ==\007\033[2J\302\23331m\342\200\256 denied\n' >&2
exit 1
HELPER
cat >"$WORK/helper-stdout" <<'HELPER'
#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "\\u001b]52;c;SE9TVElMRQ==\\u0007\\u001b[2J\\u009b31m\\u202e", "SecretAccessKey": 5}\n'
HELPER
chmod +x "$WORK/helper-stderr" "$WORK/helper-stdout"
printf '[profile hx-stderr]\ncredential_process = %s\n[profile hx-stdout]\ncredential_process = %s\n' \
	"$WORK/helper-stderr" "$WORK/helper-stdout" >"$HOME/.aws/config"
run_cli 3 0 --profile hx-stderr tables
run_cli 3 0 --profile hx-stdout tables
fake_stop

plan "$T_N"
exit $T_FAILED
