#!/usr/bin/env bash
# Hostile Chainlit data (tests/data/hostile/chainlit.jq) next to the demo data,
# browsed through every view by scripted sessions at 100x30 and 80x24 and read
# by every Chainlit subcommand.  Nothing may crash (the CI build has ASan and
# UBSan: their reports are looked for on stderr), hang (each run is bounded),
# or let an escape sequence through: no ESC byte, no C1 control (UTF-8 C2 80..9F)
# and no raw bidi control may reach a saved screen, the CLI's output or, in
# tmux, the terminal itself.  Mistyped items must show their problems, check
# must report them, and feedback writes must land exactly where and as Chainlit
# writes them.
# e2e: no-compat: DynamoDB Local only so far (never part of the dynalite run)
. "$(dirname "$0")/lib.sh"
plan 121
# HOSTILE_KEEP=1 keeps the screens and outputs for a look afterwards
[ -n "${HOSTILE_KEEP:-}" ] && trap 'echo "# kept $WORK"; [ -n "${T_TMUX:-}" ] && tmux -L "$T_TMUX" kill-server 2>/dev/null' EXIT

HX="$DDTREE_SRCDIR/tests/data/hostile"
CT="${PREFIX}chainlit"
ARGS=(--chainlit-table "$CT" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")
S="$WORK/screens"
mkdir -p "$S"
# the escape soup of chainlit.jq, as raw bytes (for :commands and CLI arguments)
X=$'\e[2J\e]52;c;SE9TVElMRQ==\a\xc2\x9b31m\xe2\x80\xaeevil\e]0;PWNED\a'
EU="evil${X}user"
LONG="long-$(printf 'x%.0s' $(seq 995))"

# ddbf OP FILE: like ddb, with the request body in a file (items near 400 KB
# do not fit in one command-line argument)
ddbf() {
	curl -s -H 'Content-Type: application/x-amz-json-1.0' \
		-H "X-Amz-Target: DynamoDB_20120810.$1" \
		-H 'X-Amz-Date: 20000101T000000Z' -H 'Authorization: AWS4-HMAC-SHA256 Credential=ddtreetest/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
		--data-binary @"$2" "$E/"
}
# load TABLE ITEMS.jsonl: BatchWriteItem 25 at a time; prints what failed
load() {
	local t=$1 f=$2
	jq -c -s --arg t "$t" '. as $a | range(0; length; 25) as $i
		| {RequestItems: {($t): [$a[$i:$i+25][] | {PutRequest: {Item: .}}]}}' "$f" >"$f.batches" || echo "jq failed on $f"
	while IFS= read -r line; do
		printf '%s' "$line" >"$WORK/req.json"
		ddbf BatchWriteItem "$WORK/req.json" >"$WORK/resp.json"
		jq -e '.UnprocessedItems == {}' "$WORK/resp.json" >/dev/null 2>&1 || head -c 300 "$WORK/resp.json"
	done <"$f.batches"
}
count_items() {
	printf '{"TableName":"%s","Select":"COUNT"}' "$1" >"$WORK/count.json"
	ddbf Scan "$WORK/count.json" | jq -r .Count
}
get_item() {   # get_item TABLE PK SK: the item's JSON ({} when missing)
	jq -nc --arg t "$1" --arg pk "$2" --arg sk "$3" \
		'{TableName: $t, Key: {PK: {S: $pk}, SK: {S: $sk}}, ConsistentRead: true}' >"$WORK/get.json"
	ddbf GetItem "$WORK/get.json"
}
# browse NAME SIZE SCRIPT: the browser on SCRIPT, bounded; two checks
browse() {
	local name=$1 size=$2 script=$3 rc
	COLUMNS=${size%x*} LINES=${size#*x} TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$script" \
		timeout -k 5 120 "$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" </dev/null \
		>"$WORK/$name.out" 2>"$WORK/$name.err"
	rc=$?
	check "browser '$name' ($size) exits 0 within 120 s (status $rc)" test "$rc" = 0
	check "browser '$name': no sanitizer report" no_sanitizer "$WORK/$name.err"
}
# clean FILES...: none of the raw bytes a terminal would obey (tests/e2e/lib.sh)
clean() { ! has_esc "$@" && ! has_c1 "$@" && ! has_bidi "$@"; }
# none TEST FILES...: TEST is false; the files where it is true are listed
none() {
	local t=$1 f bad=0
	shift
	for f in "$@"; do
		if "$t" "$f"; then echo "# $(basename "$f")"; bad=1; fi
	done
	return $bad
}
# screen files are named COLSxROWS-what.txt: each must have that geometry
geometry_ok() {
	local f b cols rows bad=0
	for f in "$S"/*.txt; do
		b=$(basename "$f")
		cols=${b%%x*}
		rows=${b#*x}
		rows=${rows%%-*}
		if [ "$(wc -l <"$f")" != "$rows" ] || [ "$(LC_ALL=C.UTF-8 wc -L <"$f")" -gt "$cols" ]; then
			echo "# $b: $(wc -l <"$f") lines, $(LC_ALL=C.UTF-8 wc -L <"$f") columns"
			bad=1
		fi
	done
	return $bad
}

# ---- the data -----------------------------------------------------------------------
"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
before=$(count_items "$CT")
jq -nc -f "$HX/chainlit.jq" >"$WORK/items.jsonl"
n_items=$(wc -l <"$WORK/items.jsonl")
load "$CT" "$WORK/items.jsonl" >"$WORK/load.err"
after=$(count_items "$CT")
check "the hostile corpus is stored ($n_items items)" \
	bash -c "[ ! -s '$WORK/load.err' ] && [ $after -eq $((before + n_items)) ]"
huge_len=$(get_item "$CT" THREAD#hx-big STEP#s-huge | jq -r '.Item.output.S | utf8bytelength')
check "the 390 KB step is stored ($huge_len bytes of output)" test "${huge_len:-0}" -ge 385000

# ---- 1. the tree: users, their threads, filters, resize (100x30) -------------------
cat >"$WORK/tree.script" <<SCRIPT
/Conversations
<Enter><Esc>
<Enter>
:save-display $S/100x30-users.txt
G
:save-display $S/100x30-users-end.txt
k
<Enter>
:save-display $S/100x30-nouser.txt
j
:save-display $S/100x30-nouser-1.txt
j
:save-display $S/100x30-nouser-2.txt
:user hostile@example.com
:save-display $S/100x30-huser.txt
j
:save-display $S/100x30-huser-1.txt
j
:save-display $S/100x30-huser-2.txt
j
:save-display $S/100x30-huser-3.txt
j
:save-display $S/100x30-huser-4.txt
j
:save-display $S/100x30-huser-5.txt
j
:save-display $S/100x30-huser-6.txt
j
:save-display $S/100x30-huser-7.txt
j
:save-display $S/100x30-huser-8.txt
j
:save-display $S/100x30-huser-9.txt
j
:save-display $S/100x30-huser-10.txt
j
:save-display $S/100x30-huser-11.txt
j
:save-display $S/100x30-huser-12.txt
G
:save-display $S/100x30-huser-end.txt
/hx-types
<Enter>
r
r
:save-display $S/100x30-d-thread-types-node.txt
<Esc><Esc>
/types@
<Enter>
r
r
:save-display $S/100x30-d-user-types-node.txt
<Esc><Esc>
:user $EU
j
:save-display $S/100x30-evil-user.txt
:user $LONG
j
:save-display $S/100x30-long-user.txt
<Tab>
<Enter>
:save-display $S/100x30-long-user-step.txt
<Esc>
/nul
<Enter>
<Enter>
j
:save-display $S/100x30-nul-user.txt
<Esc>
/日本語😕	wide
:save-display $S/100x30-filter-wide.txt
<Enter>
n
N
:save-display $S/100x30-filter-wide-n.txt
<Esc>
/$(printf '\xc2\x9b')31m$(printf '\xe2\x80\xae')[2J
:save-display $S/100x30-filter-c1.txt
<Enter>
<Esc>
/evil
<Enter>
:save-display $S/100x30-filter-evil.txt
n
n
:save-display $S/100x30-filter-evil-n.txt
:resize 40x10
:save-display $S/40x10-tree.txt
<Esc>
G
:save-display $S/40x10-tree-end.txt
:resize 100x30
:save-display $S/100x30-tree-back.txt
q
SCRIPT
browse tree 100x30 "$WORK/tree.script"
check "hostile users are listed, their names made visible" grep -qF 'evil^[[2J^[]52;c;' "$S/100x30-users.txt"
check "the 1000-character identifier is listed, cut to the pane" grep -qE '^ +\+ long-x+…? *(│|$)' "$S/100x30-users.txt"
check "the hostile user's threads are listed (hx-noname as '(no name)')" grep -qF '(no name)' "$S/100x30-huser.txt"
# r on a tree node opens its item; r again shows its attributes
check "the mistyped thread's item (r r on its node) starts with its problems" \
	bash -c "[ \"\$(sed -n 3p '$S/100x30-d-thread-types-node.txt')\" = 'Problems found in this item:' ] && grep -qF 'name  (N) 3.14' '$S/100x30-d-thread-types-node.txt'"
check "the mistyped user's item (r r on its node) starts with its problems" \
	bash -c "[ \"\$(sed -n 3p '$S/100x30-d-user-types-node.txt')\" = 'Problems found in this item:' ] && grep -qF 'identifier  (N) 42' '$S/100x30-d-user-types-node.txt'"

# ---- 2. every hostile step of hx-big in the detail view (100x30) --------------------
# one :thread per item keeps every detail independent of the one before
MISTYPED="s-t-name s-t-created s-t-fbS s-t-fbvalS s-t-fbval2 s-t-fbval05 s-t-parentL s-t-meta
s-t-type s-t-output s-t-fbfields s-t-fbempty s-t-fbL s-t-times s-t-fbnullthread s-empty s-stub"
{
	for id in $MISTYPED s-esc s-deep s-jsondeep; do
		# s-empty's id attribute is "": found by its feedback mark instead, a
		# thumbs up with no comment (the list zoomed: room for comments)
		if [ "$id" = s-empty ]; then
			printf ':thread hx-big\nz\n/%s\n<Enter>\n<Enter>\n:save-display %s\n<Esc><Esc>\nz\n' \
				'👍  ' "$S/100x30-d-$id.txt"
			continue
		fi
		printf ':thread hx-big\n/%s\n<Enter>\n<Enter>\n:save-display %s\n<Esc><Esc>\n' "$id" "$S/100x30-d-$id.txt"
	done
	cat <<SCRIPT
:thread hx-big
:save-display $S/100x30-big.txt
G
:save-display $S/100x30-big-end.txt
/s-esc
<Enter>
<Enter>
r
:save-display $S/100x30-d-s-esc-raw.txt
G
:save-display $S/100x30-d-s-esc-raw-end.txt
Y
:save-display $S/100x30-d-s-esc-copied.txt
<Esc><Esc>
:thread hx-big
/s-huge
<Enter>
<Enter>
:save-display $S/100x30-d-s-huge.txt
G
:save-display $S/100x30-d-s-huge-end.txt
:resize 40x10
:save-display $S/40x10-d-s-huge.txt
r
G
:save-display $S/40x10-d-s-huge-raw-end.txt
:resize 100x30
:save-display $S/100x30-d-s-huge-raw-end.txt
<Esc><Esc>
:thread hx-big
/s-deep
<Enter>
<Enter>
/[0]  (S
<Enter>
:save-display $S/100x30-d-s-deep-leaf.txt
<Esc>
:resize 40x10
G
:save-display $S/40x10-d-s-deep-end.txt
:resize 100x30
<Esc><Esc>
:thread hx-big
/el-types
<Enter>
<Enter>
:save-display $S/100x30-d-el-types.txt
<Esc><Esc>
:thread hx-big
/el-esc
<Enter>
<Enter>
:save-display $S/100x30-d-el-esc.txt
<Esc><Esc>
:thread hx-big
G
<Enter>
:save-display $S/100x30-d-unknown.txt
<Esc>
k
y
:save-display $S/100x30-big-copied.txt
q
SCRIPT
} >"$WORK/big.script"
browse big 100x30 "$WORK/big.script"
# detail_with_problems FILE SK: the detail of that item, its problems first
detail_with_problems() {
	[ "$(sed -n 3p "$1")" = "Problems found in this item:" ] && grep -qF "SK  (S) \"$2\"" "$1"
}
for id in $MISTYPED; do
	check "the detail of mistyped step $id starts with its problems" \
		detail_with_problems "$S/100x30-d-$id.txt" "STEP#$id"
done
check "the detail of element el-types (every attribute mistyped) starts with its problems" \
	detail_with_problems "$S/100x30-d-el-types.txt" ELEMENT#el-types
check "escape sequences in attribute names, keys and values are shown as ^[" \
	bash -c "grep -qF '^[[2Jattr  (S) \"v\"' '$S/100x30-d-s-esc.txt' && grep -qF 'name  (S) \"^[[2J^[]52;c;SE9TVElMRQ==^G<U+009B>31m<U+202E>evil' '$S/100x30-d-s-esc.txt'"
check "a NUL byte in a value is shown as ^@" grep -qF '^@after nul' "$S/100x30-d-s-esc.txt"
check "the raw view shows the escapes as JSON escapes" grep -qF '"\u001B[2Jattr"' "$S/100x30-d-s-esc-raw.txt"
check "G reaches the end of the 390 KB output" grep -qF 'lorem ipsum ^[[1mdolor<U+009B> sit<U+202E> amet' "$S/100x30-d-s-huge-end.txt"
check "30 levels of nesting are shown to the last level" grep -qE '^ {60}\[0\]  \(S' "$S/100x30-d-s-deep-leaf.txt"

# ---- 3. the 500-step chain and the parentId cycles (80x24) --------------------------
cat >"$WORK/chain.script" <<SCRIPT
:thread hx-chain
:save-display $S/80x24-chain.txt
G
:save-display $S/80x24-chain-end.txt
z
:save-display $S/80x24-chain-end-zoom.txt
z
<Enter>
:save-display $S/80x24-chain-last.txt
<Esc>
:resize 40x10
:save-display $S/40x10-chain-end.txt
:resize 80x24
g
h
:save-display $S/80x24-chain-collapsed.txt
l
G
:save-display $S/80x24-chain-reopened.txt
/chain 250
<Enter>
<Enter>
:save-display $S/80x24-chain-250.txt
<Esc><Esc>
:thread hx-cycle
:save-display $S/80x24-cycle.txt
G
:save-display $S/80x24-cycle-end.txt
/cy-self
<Enter>
<Enter>
:save-display $S/80x24-d-cy-self.txt
<Esc><Esc>
/cy-a
<Enter>
<Enter>
:save-display $S/80x24-d-cy-a.txt
q
SCRIPT
browse chain 80x24 "$WORK/chain.script"
check "G reaches step 499 of the chain, and it is visible (the list zoomed: z)" \
	bash -c "grep -qF 'chain 499 ^' '$S/80x24-chain-end.txt' && grep -qF 'chain 499 ^[[2J' '$S/80x24-chain-end-zoom.txt'"
check "the chain's last step opens" grep -qF 'id  (S) "c499"' "$S/80x24-chain-last.txt"
check "collapsing the chain's root hides the other 499 steps" \
	bash -c "! grep -qF 'chain 1 ' '$S/80x24-chain-collapsed.txt' && grep -qF 'chain 0 ' '$S/80x24-chain-collapsed.txt'"
check "the cycle members are shown apart" \
	bash -c "grep -qiE 'cycle' '$S/80x24-cycle.txt' && grep -qF 'step cy-self' '$S/80x24-cycle-end.txt' && grep -qF 'step cy-c3' '$S/80x24-cycle-end.txt'"
check "a step whose parent is missing is shown" grep -qF 'step cy-orphan' "$S/80x24-cycle-end.txt"

# ---- 4. the other hostile threads, :thread with hostile ids (80x24) -------------------
cat >"$WORK/others.script" <<SCRIPT
:thread DATA-1-TEAM
:save-display $S/80x24-team.txt
/STEP-P
<Enter>
<Enter>
:save-display $S/80x24-d-step-p.txt
<Esc><Esc>
:thread a#b::c%25d%
:save-display $S/80x24-hash.txt
/p::q
<Enter>
<Enter>
:save-display $S/80x24-d-pq.txt
<Esc><Esc>
:thread hx-types
:save-display $S/80x24-types.txt
:thread
:save-display $S/80x24-thread-noarg.txt
:thread hx-esc$X
:save-display $S/80x24-esc-thread.txt
z
:save-display $S/80x24-esc-thread-zoom.txt
z
G
<Enter>
:save-display $S/80x24-esc-thread-d.txt
<Esc>
:thread hx-nouser$X
:save-display $S/80x24-nouser-thread.txt
:thread hx-noname
:save-display $S/80x24-noname.txt
:thread hx-bigname
:save-display $S/80x24-bigname.txt
:thread no-such-thread$X
:save-display $S/80x24-nosuch.txt
:user $X
:save-display $S/80x24-user-x.txt
:only negative
:save-display $S/80x24-only-negative.txt
:only comments
:save-display $S/80x24-only-comments.txt
:only $X
:save-display $S/80x24-only-x.txt
:only all
:$X
:save-display $S/80x24-unknown-command.txt
q
SCRIPT
browse others 80x24 "$WORK/others.script"
check "the hostile thread name shows in the title, made visible (the list zoomed: z)" \
	grep -qF '> ^[[2J^[]52;c;SE9TVElMRQ==^G<U+009B>31m<U+202E>evil' "$S/80x24-esc-thread-zoom.txt"
check "an unknown command is an error on screen, made visible" grep -qF 'unknown command :^[[2J' "$S/80x24-unknown-command.txt"

# ---- 5. the generic table view over the whole table (80x24) ----------------------------
cat >"$WORK/table.script" <<SCRIPT
:table $CT
G
:save-display $S/80x24-table-end.txt
/evil
<Enter>
:save-display $S/80x24-table-evil.txt
<Enter>
:save-display $S/80x24-table-evil-d.txt
r
:save-display $S/80x24-table-evil-raw.txt
<Esc><Esc>
/s-huge
<Enter>
<Enter>
G
:save-display $S/80x24-table-huge-end.txt
:resize 40x10
:save-display $S/40x10-table-huge-end.txt
:resize 80x24
q
SCRIPT
browse table 80x24 "$WORK/table.script"
check "G reads the whole table" grep -qE "$((after)) items" "$S/80x24-table-end.txt"

# ---- every screen ------------------------------------------------------------------------
missing=$(grep -ho ':save-display .*' "$WORK"/*.script | cut -d' ' -f2 | while read -r f; do [ -s "$f" ] || echo "$f"; done)
check "every screen asked for was saved ($(ls "$S" | wc -l) screens)" test -z "$missing"
check "no ESC byte in any saved screen" none has_esc "$S"/*.txt
check "no C1 control (C2 80..9F) in any saved screen" none has_c1 "$S"/*.txt
check "no raw bidi control in any saved screen" none has_bidi "$S"/*.txt
check "every screen has its size (lines = rows, no line wider than the columns)" geometry_ok

# ---- 6. the CLI -------------------------------------------------------------------------
# cli (tests/e2e/lib.sh): two checks a run
cli users 0 users
cli threads-hostile 0 threads hostile@example.com
cli threads-evil 0 threads "$EU"
cli threads-long 0 threads "$LONG"
cli thread-big 0 thread hx-big
cli thread-chain 0 thread hx-chain
cli thread-cycle 0 thread hx-cycle
cli thread-team 0 thread DATA-1-TEAM
cli thread-hash 0 thread 'a#b::c%25d%'
cli thread-types 0 thread hx-types
cli thread-esc 0 thread "hx-esc$X"
cli thread-empty 0 thread ""   # THREAD# (empty id) exists
cli thread-nosuch 1 thread "nothing$X"
cli check 1 check
cli export 0 export "$CT"
check "users --json gives one object per user, the hostile ones escaped" \
	bash -c "[ \$(grep -c '^{' '$WORK/cli-users--json.out') = 11 ] && grep -qF 'evil\\u001B[2J' '$WORK/cli-users--json.out'"
check "thread shows the 500 steps of the chain" test "$(grep -c 'chain [0-9]* ' "$WORK/cli-thread-chain.out")" = 500
check "export gives every item of the table" test "$(grep -c '^{' "$WORK/cli-export.out")" = "$after"
check "export keeps NUL bytes as JSON escapes" grep -qF '\u0000after nul' "$WORK/cli-export.out"

# check reports every broken item, by key
reported() {   # reported PK SK: the item is among check's findings
	jq -s -e --arg pk "$1" --arg sk "$2" 'any(.[]; .key.PK.S == $pk and .key.SK.S == $sk)' \
		"$WORK/cli-check--json.out" >/dev/null
}
missed=""
for id in $MISTYPED; do
	reported THREAD#hx-big "STEP#$id" || missed="$missed $id"
done
check "check reports every mistyped step (missed:${missed:- none})" test -z "$missed"
check "check reports the mistyped user" reported USER#types@example.com USER
check "check reports the mistyped thread" reported THREAD#hx-types THREAD
check "check reports the thread without a name" reported THREAD#hx-noname THREAD
check "check reports the mistyped element" reported THREAD#hx-big ELEMENT#el-types
check "check reports the element whose step is missing" reported THREAD#hx-big ELEMENT#el-orphan
check "check reports the item with an unknown sort key" reported THREAD#hx-big "WHAT$(printf '\e[2J\e]52;c;SE9TVElMRQ==\a\xc2\x9b31m\xe2\x80\xaeevil\e]0;PWNED\a')"
check "check reports the step whose parent is missing" reported THREAD#hx-cycle STEP#cy-orphan
missed=""
for id in cy-a cy-b cy-self cy-c1 cy-c2 cy-c3; do
	reported THREAD#hx-cycle "STEP#$id" || missed="$missed $id"
done
check "check reports the steps on parentId cycles (missed:${missed:- none})" test -z "$missed"

# ---- 7. feedback writes on hostile steps and ids: exactly Chainlit's map, in place ----------
fb_is() {   # fb_is THREAD STEP VALUE COMMENT_JSON: the stored map is exactly Chainlit's
	local got want
	got=$(get_item "$CT" "THREAD#$1" "STEP#$2" | jq -S '.Item.feedback')
	want=$(jq -nS --arg t "$1" --arg s "$2" --arg v "$3" --argjson c "$4" \
		'{M: {forId: {S: $s}, value: {N: $v}, threadId: {S: $t}, id: {S: ("THREAD#" + $t + "::STEP#" + $s)},
		      comment: (if $c == null then {NULL: true} else {S: $c} end)}}')
	[ "$got" = "$want" ] || { echo "# stored: $(jq -c . <<<"$got")"; return 1; }
}
n0=$(count_items "$CT")
fb() { timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" --chainlit-table "$CT" feedback "$@" >"$WORK/fb.out" 2>"$WORK/fb.err"; }
rc_fb_is() {   # rc_fb_is RC THREAD STEP VALUE COMMENT_JSON: exit 0 and the map stored
	[ "$1" = 0 ] || { sed 's/^/# /' "$WORK/fb.err"; return 1; }
	shift
	fb_is "$@"
}
no_feedback() { [ "$(get_item "$CT" "THREAD#$1" "STEP#$2" | jq -c .Item.feedback)" = null ]; }
fb set DATA-1-TEAM STEP-P --value up --comment "team $X"; rc=$?
check "feedback set on THREAD#DATA-1-TEAM / STEP#STEP-P exits 0 ($rc) and stores Chainlit's map, ids undamaged" \
	rc_fb_is "$rc" DATA-1-TEAM STEP-P 1 "$(jq -n --arg c "team $X" '$c')"
check "... and prints the stored comment made visible" grep -qF 'team ^[[2J' "$WORK/fb.out"
check "... with no raw escape" clean "$WORK/fb.out" "$WORK/fb.err"
fb delete DATA-1-TEAM STEP-Q; rc=$?
check "feedback delete on STEP#STEP-Q exits 0 ($rc)" test "$rc" = 0
check "... and removes the map" no_feedback DATA-1-TEAM STEP-Q
fb set 'a#b::c%25d%' 'p::q' --value up; rc=$?
check "feedback set with # :: % in both ids exits 0 ($rc) and stores Chainlit's map" \
	rc_fb_is "$rc" 'a#b::c%25d%' 'p::q' 1 null
for id in s-t-fbS s-t-fbvalS s-t-fbval05 s-t-fbfields s-t-fbL s-t-fbempty; do
	fb set hx-big "$id" --value down --comment "fixed"; rc=$?
	check "feedback set over the mistyped feedback of $id exits 0 ($rc) and stores Chainlit's map" \
		rc_fb_is "$rc" hx-big "$id" 0 '"fixed"'
done
fb set hx-big s-esc --value up; rc=$?
check "feedback set over a comment holding a NUL byte exits 0 ($rc) and stores Chainlit's map" \
	rc_fb_is "$rc" hx-big s-esc 1 null
fb delete hx-big s-stub; rc=$?
check "feedback delete on the stub step is refused, exit 1 ($rc), naming the stub" \
	eval 'test "$rc" = 1 && grep -q "is a stub step" "$WORK/fb.err"' 
check "no feedback write created or deleted an item" test "$(count_items "$CT")" = "$n0"

# the browser writes feedback on the item it shows, whatever its id / threadId attributes say
cat >"$WORK/victim.script" <<SCRIPT
:thread hx-victim
/wrong id step
<Enter>
+
:save-display $S/80x24-victim-plus.txt
<Esc>
/wrong thread step
<Enter>
-
:save-display $S/80x24-victim-minus.txt
q
SCRIPT
browse victim 80x24 "$WORK/victim.script"
check "+ on a step whose id attribute names another step leaves that other step alone" \
	no_feedback hx-victim s-victim
check "- on a step whose threadId names another thread leaves that thread alone" \
	no_feedback hx-victim-other s-wrongthread

# ---- 8. items JSON parsers refuse: a NUL byte in an attribute name, a lone surrogate --------
# DynamoDB Local stores both and sends them back as "\u0000" / "\uD800", which
# jansson refuses; one such item must not hide the rest of the page.
NK="${PREFIX}nulkey"
make_table "$NK"
jq -nc '
def S($s): {S: $s};
{PK: S("THREAD#hx-nul"), SK: S("THREAD"), id: S("hx-nul"), name: S("nul keys"), createdAt: S("2026-05-01T10:00:00Z"), metadata: {M: {}}},
{PK: S("THREAD#hx-nul"), SK: S("STEP#good"), id: S("good"), threadId: S("hx-nul"), parentId: {NULL: true}, name: S("the good step"), type: S("run"), createdAt: S("2026-05-01T10:00:01Z"), metadata: {M: {}}},
{PK: S("THREAD#hx-nul"), SK: S("STEP#nulkey"), id: S("nulkey"), threadId: S("hx-nul"), parentId: {NULL: true}, name: S("nul key"), type: S("run"), createdAt: S("2026-05-01T10:00:02Z"), metadata: {M: {"\u0000": S("v")}}}
' >"$WORK/nul.jsonl"
load "$NK" "$WORK/nul.jsonl" >"$WORK/nul.err"
printf '%s' "{\"TableName\":\"$NK\",\"Item\":{\"PK\":{\"S\":\"THREAD#hx-nul\"},\"SK\":{\"S\":\"STEP#surrogate\"},\"id\":{\"S\":\"surrogate\"},\"threadId\":{\"S\":\"hx-nul\"},\"parentId\":{\"NULL\":true},\"name\":{\"S\":\"lone \\ud800 surrogate\"},\"type\":{\"S\":\"run\"},\"createdAt\":{\"S\":\"2026-05-01T10:00:03Z\"},\"metadata\":{\"M\":{}}}}" >"$WORK/sur.json"
ddbf PutItem "$WORK/sur.json" >>"$WORK/nul.err"
check "DynamoDB Local stores the NUL-key and lone-surrogate items" test "$(count_items "$NK")" = 4
timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" --chainlit-table "$NK" thread hx-nul >"$WORK/nul.out" 2>"$WORK/nul.stderr"; rc=$?
check "thread still shows the good step next to the unreadable ones (exit $rc)" \
	bash -c "[ $rc -le 1 ] && grep -qF 'the good step' '$WORK/nul.out'" 
timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" export "$NK" >"$WORK/nul-export.out" 2>"$WORK/nul-export.err"; rc=$?
check "export still gives the readable items (exit $rc)" grep -qF 'the good step' "$WORK/nul-export.out"

# ---- 9. the real terminal (tmux): the bytes that reach it ---------------------------------
if command -v tmux >/dev/null 2>&1 && command -v script >/dev/null 2>&1; then
	tmux_start 100 30 script -qfec "$DDTREE_BIN --endpoint-url $E ${ARGS[*]}" "$WORK/tty.log"
	tmux_wait "Conversations" 20
	tmux_keys ':thread hx-big' Enter
	tmux_wait "22 steps" 20
	tmux_keys '/s-esc' Enter Enter
	tmux_wait "Esc: back" 20
	tmux_keys r
	tmux_wait "raw DynamoDB JSON" 20
	tmux_keys Escape Escape
	tmux_keys ':user hostile@example.com' Enter j j j j j j j j
	sleep 1
	tmux_keys ':thread hx-big' Enter G
	sleep 1
	tmux_keys q
	tmux_dead
	check "the terminal log was written" test -s "$WORK/tty.log"
	check "the hostile text reached the terminal only made visible" grep -qF 'SE9TVElMRQ==' "$WORK/tty.log"
	check "no hostile OSC 52 / OSC 0 / C1 / bidi reached the terminal" \
		bash -c "! LC_ALL=C grep -qaP '\x1b\]52;c;SE9TVElMRQ|\x1b\]0;PWNED|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]' '$WORK/tty.log'"
else
	for _ in 1 2 3; do ok "# SKIP tmux or script is not installed"; done
fi
exit 0
