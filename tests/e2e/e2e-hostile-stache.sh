#!/usr/bin/env bash
# Hostile Stache data (tests/data/hostile/stache.jq) next to the demo data,
# browsed through every view by scripted sessions at 100x30 and 80x24 and read
# by every Stache subcommand.  Nothing may crash (ASan / UBSan reports are
# looked for on stderr), hang (each run is bounded), or let an escape sequence
# through: no ESC byte, no C1 control (UTF-8 C2 80..9F) and no raw bidi control
# may reach a saved screen or the CLI's output.  Mistyped items must show their
# problems and check must report them.
# e2e: no-compat: DynamoDB Local only so far (never part of the dynalite run)
. "$(dirname "$0")/lib.sh"
plan 72
# HOSTILE_KEEP=1 keeps the screens and outputs for a look afterwards
[ -n "${HOSTILE_KEEP:-}" ] && trap 'echo "# kept $WORK"' EXIT

HX="$DDTREE_SRCDIR/tests/data/hostile"
NT="${PREFIX}stache-namespaces"
DT="${PREFIX}stache-documents"
ARGS=(--chainlit-table "${PREFIX}chainlit" --namespace-table "$NT" --documents-table "$DT")
S="$WORK/screens"
mkdir -p "$S"
# the escape soup of stache.jq, as raw bytes (for :commands and CLI arguments)
X=$'\e[2J\e]52;c;SE9TVElMRQ==\a\xc2\x9b31m\xe2\x80\xaeevil\e]0;PWNED\a'

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
# none TEST FILES...: TEST is false for every file; the others are listed
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
# detail_of PATTERN: the saved detail screen (d-*) that shows PATTERN
detail_of() { grep -lF -- "$1" "$S"/*-d-*.txt 2>/dev/null | head -1; }
# problems_first PATTERN: that detail starts with the item's problems
problems_first() {
	local f
	f=$(detail_of "$1")
	[ -n "$f" ] && [ "$(sed -n 3p "$f")" = "Problems found in this item:" ]
}

# ---- the data -------------------------------------------------------------------------
"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
ns0=$(count_items "$NT")
dt0=$(count_items "$DT")
jq -nc -f "$HX/stache.jq" >"$WORK/all.jsonl"
jq -c 'select(.t == "ns") | .item' "$WORK/all.jsonl" >"$WORK/ns.jsonl"
jq -c 'select(.t == "docs") | .item' "$WORK/all.jsonl" >"$WORK/docs.jsonl"
load "$NT" "$WORK/ns.jsonl" >"$WORK/load.err"
load "$DT" "$WORK/docs.jsonl" >>"$WORK/load.err"
ns1=$(count_items "$NT")
dt1=$(count_items "$DT")
check "the hostile corpus is stored ($((ns1 - ns0)) namespaces, $((dt1 - dt0)) document-table items)" \
	bash -c "[ ! -s '$WORK/load.err' ] && [ $ns1 = $((ns0 + $(wc -l <"$WORK/ns.jsonl"))) ] && [ $dt1 = $((dt0 + $(wc -l <"$WORK/docs.jsonl"))) ]"

# ---- 1. the tree: orphans and cycles, namespaces, the 60-level chain (100x30) ------------
# Selecting a namespace node opens its documents in the list pane, so its
# item opens with r (raw), then r again (attributes).
deep=""
for i in $(seq 59); do deep="$deep<Enter>j"; done
cat >"$WORK/tree.script" <<SCRIPT
/Orphan and cyclic
<Enter><Esc>
<Enter>
:save-display $S/100x30-orphans.txt
/noparent
<Enter>
r
r
:save-display $S/100x30-d-noparent.txt
<Esc><Esc>
/self parent
<Enter>
r
r
:save-display $S/100x30-d-self.txt
<Esc><Esc>
/hx/orphan
<Enter>
r
r
:save-display $S/100x30-d-orphan.txt
<Esc><Esc>
/ns hx/cy2
<Enter>
r
r
:save-display $S/100x30-d-cy2.txt
<Esc><Esc>
/Namespaces
<Enter><Esc>
<Enter>
:save-display $S/100x30-ns.txt
/Hostile root
<Enter><Esc>
<Enter>
:save-display $S/100x30-hx.txt
j
:save-display $S/100x30-hx-1.txt
j
:save-display $S/100x30-hx-2.txt
j
:save-display $S/100x30-hx-3.txt
j
:save-display $S/100x30-hx-4.txt
j
:save-display $S/100x30-hx-5.txt
j
:save-display $S/100x30-hx-6.txt
j
:save-display $S/100x30-hx-7.txt
j
:save-display $S/100x30-hx-8.txt
j
:save-display $S/100x30-hx-9.txt
j
:save-display $S/100x30-hx-10.txt
/hx/types
<Enter>
<Esc>
r
r
:save-display $S/100x30-d-types-node.txt
<Esc>
/depth 0
<Enter><Esc>
$deep
:save-display $S/100x30-deepest.txt
<Enter>
:save-display $S/100x30-deepest-expanded.txt
:resize 40x10
:save-display $S/40x10-deepest.txt
:resize 100x30
G
:save-display $S/100x30-tree-end.txt
/日本語😕
:save-display $S/100x30-filter-wide.txt
<Esc>
/$(printf '\xc2\x9b')31m$(printf '\xe2\x80\xae')[2J
:save-display $S/100x30-filter-c1.txt
<Esc>
q
SCRIPT
browse tree 100x30 "$WORK/tree.script"
check "orphans and cycles are listed, made visible" \
	bash -c "grep -qF 'ns hx/orphan^[[2J' '$S/100x30-orphans.txt' && grep -qF 'cy1 ^[[2J' '$S/100x30-orphans.txt'"
check "the orphan without parent_id opens (r r), made visible" test -n "$(detail_of 'id  (S) "hx/noparent"')"
check "the orphan whose parent is missing opens, made visible" test -n "$(detail_of 'parent_id  (S) "hx/missing^[[2J')"
check "a cycle member opens, made visible" test -n "$(detail_of 'parent_id  (S) "hx/cy1"')"
check "the hostile root lists its children, made visible" grep -qF '+ depth 0 ^[[2J' "$S/100x30-hx.txt"
check "the mistyped namespace's item (r r on its node) starts with its problems" \
	bash -c "[ \"\$(sed -n 3p '$S/100x30-d-types-node.txt')\" = 'Problems found in this item:' ]"
check "the deepest of 60 nested namespaces is selected, its documents listed" \
	grep -qF 'documents of hx/d59' "$S/100x30-deepest.txt"
check "... and its label is visible in the tree" grep -qF 'depth 59 ' "$S/100x30-deepest.txt"

# ---- 2. documents: every hostile row of hx opened, raw, G (100x30) ----------------------
{
	echo ":namespace hx"
	echo ":save-display $S/100x30-docs.txt"
	echo "G"
	echo ":save-display $S/100x30-docs-end.txt"
	for i in $(seq 0 11); do
		printf 'g\n'
		[ "$i" -gt 0 ] && printf 'j%.0s' $(seq "$i") && printf '\n'
		printf '<Enter>\n:save-display %s\n<Esc>\n' "$S/100x30-d-doc$i.txt"
	done
	cat <<SCRIPT
/doc-big
<Enter>
<Enter>
G
:save-display $S/100x30-d-big-end.txt
r
G
:save-display $S/100x30-d-big-raw-end.txt
:resize 40x10
:save-display $S/40x10-d-big-raw-end.txt
:resize 100x30
<Esc><Esc>
/doc-esc
<Enter>
<Enter>
/[0]  (S
<Enter>
:save-display $S/100x30-d-esc-leaf.txt
<Esc><Esc><Esc>
:namespace hx/c#%25::x
G
:save-display $S/100x30-docs-hash.txt
:namespace hx/esc$X
:save-display $S/100x30-docs-esc.txt
<Enter>
:save-display $S/100x30-d-in-esc-ns.txt
<Esc>
:namespace hx/types
:save-display $S/100x30-docs-types.txt
:namespace nothing$X
:save-display $S/100x30-docs-nothing.txt
:document doc-esc
:save-display $S/100x30-document-esc.txt
:document $X
:save-display $S/100x30-document-x.txt
:trash
:save-display $S/100x30-trash.txt
G
:save-display $S/100x30-trash-end.txt
g
<Enter>
:save-display $S/100x30-d-trash0.txt
<Esc>
j
<Enter>
:save-display $S/100x30-d-trash1.txt
<Esc>
j
<Enter>
:save-display $S/100x30-d-trash2.txt
<Esc>
j
<Enter>
:save-display $S/100x30-d-trash3.txt
<Esc>
q
SCRIPT
} >"$WORK/docs.script"
browse docs 100x30 "$WORK/docs.script"
check "the mistyped document opens with its problems" problems_first 'PK  (S) "DOC#hx#doc-types"'
check "the document with mistyped chunk ids opens with its problems" problems_first 'PK  (S) "DOC#hx#doc-chunks"'
check "the document with an escape in its status opens with its problems" problems_first 'PK  (S) "DOC#hx#doc-status"'
check "the document with empty strings opens with its problems" problems_first 'PK  (S) "DOC#hx#doc-empty"'
check "the document with fractional numbers opens with its problems" problems_first 'PK  (S) "DOC#hx#doc-float"'
check "the deleting document without its trash fields opens with its problems" problems_first 'PK  (S) "DOC#hx#doc-deleting"'
check "the mistyped trash entry opens with its problems" problems_first 'deleted_at_ms  (S) "17954"'
check "G reaches the last of 9000 chunk ids" grep -qF '0008999-1111-4222-8333-444455556666' "$S/100x30-d-big-end.txt"
check "28 levels of document metadata are shown to the last level" grep -qE '^ {58}\[0\]  \(S' "$S/100x30-d-esc-leaf.txt"
check "documents under escaped and raw # % keys are both listed (G)" \
	bash -c "grep -qF 'a#b%.md' '$S/100x30-docs-hash.txt' && grep -qF 'raw#key%.md' '$S/100x30-docs-hash.txt'"
check "the namespace with an escape in its id lists its document" grep -qF 'x^[[2J' "$S/100x30-docs-esc.txt"
check "the hostile trash entry is listed, made visible" grep -qF 'trash^[[2J' "$S/100x30-trash.txt"

# ---- 3. namespace metadata: JSON text 900 and 3000 deep, invalid, escapes (80x24) --------
cat >"$WORK/meta.script" <<SCRIPT
:table $NT
G
:save-display $S/80x24-ns-table.txt
/hx/jsondeep
<Enter>
<Enter>
:save-display $S/80x24-d-jsondeep.txt
G
:save-display $S/80x24-d-jsondeep-end.txt
/u001b[2J
<Enter>
:save-display $S/80x24-d-jsondeep-leaf.txt
<Esc><Esc><Esc>
/hx/jsontoodeep
<Enter>
<Enter>
:save-display $S/80x24-d-jsontoodeep.txt
G
:save-display $S/80x24-d-jsontoodeep-end.txt
<Esc><Esc>
/hx/badjson
<Enter>
<Enter>
:save-display $S/80x24-d-badjson.txt
<Esc><Esc>
/hx/longname
<Enter>
<Enter>
:save-display $S/80x24-d-longname.txt
:resize 40x10
:save-display $S/40x10-d-longname.txt
:resize 80x24
<Esc><Esc>
:table $DT
G
:save-display $S/80x24-docs-table-end.txt
/CLEANUP
<Enter>
<Enter>
:save-display $S/80x24-d-cleanup.txt
G
:save-display $S/80x24-d-cleanup-end.txt
r
:save-display $S/80x24-d-cleanup-raw.txt
<Esc><Esc>
/WHAT
<Enter>
<Enter>
:save-display $S/80x24-d-what.txt
<Esc><Esc>
/RESERVATION
<Enter>
:save-display $S/80x24-reservations.txt
<Enter>
:save-display $S/80x24-d-reservation.txt
q
SCRIPT
browse meta 80x24 "$WORK/meta.script"
check "JSON text 900 deep is pretty-printed to the bottom" \
	bash -c "grep -qF '\"a\": \"\\u001B[2J\"' '$S/80x24-d-jsondeep-leaf.txt' && tail -5 '$S/80x24-d-jsondeep-end.txt' | grep -qF 'name  (S) \"ns hx/jsondeep\"'"
check "JSON text 3000 deep is shown as text" grep -qF '[[[[[[' "$S/80x24-d-jsontoodeep.txt"
check "the table view reads every namespace" grep -qE "$ns1 items" "$S/80x24-ns-table.txt"
check "the table view reads every document-table item" grep -qE "$dt1 items" "$S/80x24-docs-table-end.txt"

# ---- every screen ------------------------------------------------------------------------
missing=$(grep -ho ':save-display .*' "$WORK"/*.script | cut -d' ' -f2 | while read -r f; do [ -s "$f" ] || echo "$f"; done)
check "every screen asked for was saved ($(ls "$S" | wc -l) screens)" test -z "$missing"
check "no ESC byte in any saved screen" none has_esc "$S"/*.txt
check "no C1 control (C2 80..9F) in any saved screen" none has_c1 "$S"/*.txt
check "no raw bidi control in any saved screen" none has_bidi "$S"/*.txt
check "every screen has its size (lines = rows, no line wider than the columns)" geometry_ok

# ---- 4. the CLI -------------------------------------------------------------------------
# cli (tests/e2e/lib.sh): two checks a run
cli namespaces 0 namespaces
cli documents-hx 0 documents hx
cli documents-hash 0 documents 'hx/c#%25::x'
cli documents-esc 0 documents "hx/esc$X"
cli documents-types 0 documents hx/types
cli documents-deepest 0 documents hx/d59
cli documents-none 1 documents "nothing$X"   # not found
cli check 1 check
cli export-ns 0 export "$NT"
cli export-docs 0 export "$DT" --segments 3
check "namespaces shows the whole 60-level chain" grep -qF '(hx/d59)' "$WORK/cli-namespaces.out"
check "documents lists the document with 9000 chunks" grep -qE 'big\.pdf .* 9000 ' "$WORK/cli-documents-hx.out"
check "export gives every namespace" test "$(grep -c '^{' "$WORK/cli-export-ns.out")" = "$ns1"
check "export --segments 3 gives every document-table item once" \
	test "$(jq -r '.PK.S + " " + .SK.S' "$WORK/cli-export-docs.out" | sort -u | wc -l)" = "$dt1"

reported() {   # reported KIND_PATTERN KEY_JSON: check --json has that finding
	jq -s -e --arg k "$1" --argjson key "$2" 'any(.[]; (.kind | test($k)) and .key == $key)' \
		"$WORK/cli-check--json.out" >/dev/null
}
check "check reports the mistyped namespace" reported 'namespace' '{"id":{"S":"hx/types"}}'
check "check reports the namespace without parent_id" reported 'namespace' '{"id":{"S":"hx/noparent"}}'
check "check reports the self-parent cycle" reported 'cycle' '{"id":{"S":"hx/self"}}'
check "check reports the 3-cycle" bash -c "$(declare -f reported); WORK='$WORK'; reported cycle '{\"id\":{\"S\":\"hx/cy1\"}}' && reported cycle '{\"id\":{\"S\":\"hx/cy2\"}}' && reported cycle '{\"id\":{\"S\":\"hx/cy3\"}}'"
check "check reports the JSON text too deep to read" reported 'namespace' '{"id":{"S":"hx/jsontoodeep"}}'
check "check reports the mistyped document" reported 'document' '{"PK":{"S":"DOC#hx#doc-types"},"SK":{"S":"METADATA"}}'
check "check reports the document with mistyped chunk ids" reported 'document' '{"PK":{"S":"DOC#hx#doc-chunks"},"SK":{"S":"METADATA"}}'
check "check reports the fractional chunk_count" reported 'document' '{"PK":{"S":"DOC#hx#doc-float"},"SK":{"S":"METADATA"}}'
check "check reports the mistyped trash entry" reported 'trash' "$(jq -nc --arg pk "TRASH#hx#trash${X}#notanumber" '{PK: {S: $pk}, SK: {S: "ENTRY"}}')"
check "check reports the mistyped reservation" reported 'reservation' "$(jq -nc --arg pk "HASH#hx#${X}#f" '{PK: {S: $pk}, SK: {S: "RESERVATION"}}')"
check "check reports the mistyped cleanup job" reported 'cleanup' "$(jq -nc --arg pk "CLEANUP#job-${X}" '{PK: {S: $pk}, SK: {S: "JOB"}}')"
check "check reports the unknown row" reported 'unknown' "$(jq -nc --arg pk "WHAT${X}" --arg sk "$X" '{PK: {S: $pk}, SK: {S: $sk}}')"
exit 0
