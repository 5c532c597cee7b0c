#!/usr/bin/env bash
# `ddtree namespaces` and `ddtree documents` end to end on the demo data: the
# tree with orphans and cycles apart, documents newest first in every state,
# --json, terminal escapes in data made visible, table detection and the
# exit codes (unknown namespace 1, several candidate tables 2).
. "$(dirname "$0")/lib.sh"
plan 26

NS="${PREFIX}stache-namespaces"
DOCS="${PREFIX}stache-documents"

ddtree demo --prefix "$PREFIX" >/dev/null 2>"$WORK/err"; rc=$?
check "demo creates the tables" test "$rc" = 0

# --- namespaces -------------------------------------------------------------
out=$(ddtree --namespace-table "$NS" namespaces 2>"$WORK/err"); rc=$?
check "namespaces exits 0" test "$rc" = 0
check "a root is listed with its id" contains "$out" "
  Engineering  (engineering)"
check "a third level is indented below its parent" contains "$out" "
    Backend  (engineering/backend)  0 documents
      API  (engineering/backend/api)  6 documents"
check "the documents table pairs with the namespace table for counts" \
	contains "$out" "Papers  (research/papers)  7 documents"
check "Unicode names come through" contains "$out" "Recettes d'été 🍓  (personal/recettes-été)"
orphans=$(printf '%s\n' "$out" | sed -n '/^Orphans/,/^$/p')
check "the orphan is in its own section" contains "$orphans" 'Archive 2024  (archive/2024)  0 documents  parent "archive" not found'
check "the orphan's child stays below it" contains "$orphans" "Q4  (archive/2024/q4)"
cycles=$(printf '%s\n' "$out" | sed -n '/^Cycles/,$p')
check "the cycle is in its own section" contains "$cycles" "cycle 1: projects/alpha -> projects/beta -> projects/alpha"
tree=$(printf '%s\n' "$out" | sed -n '1,/^$/p')
check "orphans and cycles are not in the tree" \
	test -z "$(printf '%s\n' "$tree" | grep -e archive/2024 -e projects/)"
check "a namespace with broken metadata shows its problem" contains "$out" "Scratch  (scratch)  0 documents  ! metadata: is M, expected S"

out=$(ddtree --namespace-table "$NS" --documents-table "$DOCS" --json namespaces); rc=$?
check "--json namespaces: one object per namespace" test "$(printf '%s\n' "$out" | grep -c '^{"section":')" = 17
check "--json marks orphans and cycle members" \
	test "$(printf '%s\n' "$out" | grep -c -e '"section":"orphan"' -e '"on_cycle":true')" = 4
# numbers in metadata JSON text as stored (issue 11: not 99.900000000000006)
ddb PutItem "{\"TableName\":\"$NS\",\"Item\":{\"id\":{\"S\":\"numbers\"},\"name\":{\"S\":\"Numbers\"},\"description\":{\"S\":\"\"},\"parent_id\":{\"S\":\"__ROOT__\"},\"metadata\":{\"S\":\"{\\\"score\\\": 99.9, \\\"big\\\": 123456789012345678901234567890}\"},\"filter_keys\":{\"S\":\"[]\"},\"created_at\":{\"S\":\"2026-07-19T15:24:15.120394+00:00\"},\"updated_at\":{\"S\":\"2026-07-19T15:24:15.120394+00:00\"}}}" >/dev/null
line=$(ddtree --namespace-table "$NS" --json namespaces | grep '"id":"numbers"')
check "--json namespaces prints metadata's 99.9 as 99.9" contains "$line" '"metadata":{"score":99.9,'
check "--json namespaces keeps an integer beyond 64 bits" contains "$line" '"big":123456789012345678901234567890}'

# --- documents --------------------------------------------------------------
out=$(ddtree --namespace-table "$NS" --documents-table "$DOCS" documents research/papers); rc=$?
check "documents exits 0" test "$rc" = 0
check "newest first" test "$(printf '%s\n' "$out" | sed -n 2p | grep -c 'gpt3.pdf')" = 1
check "oldest last, a legacy row without status" \
	test "$(printf '%s\n' "$out" | tail -n 1 | grep -c 'legacy  *word2vec.pdf')" = 1
statuses=$(printf '%s\n' "$out" | awk 'NR > 1 { print $3 }' | sort -u | tr '\n' ' ')
check "every status is shown" test "$statuses" = "active deleting legacy purged purging "

out=$(ddtree --namespace-table "$NS" --documents-table "$DOCS" --json documents research/papers)
check "--json documents: one object per document" \
	test "$(printf '%s\n' "$out" | grep -c '^{"doc_id":')" = 7
check "--json keeps the stored fields" contains "$out" '"status":"purged","created_at":"2026-07-02T'

out=$(ddtree --namespace-table "$NS" --documents-table "$DOCS" documents personal)
check "control characters in data are made visible" contains "$out" 'alert^[[31mred^[[0m.txt'
check "no escape byte reaches the terminal" test "$(printf '%s' "$out" | tr -d -c '\033' | wc -c)" = 0

ddtree --namespace-table "$NS" --documents-table "$DOCS" documents nope >"$WORK/out" 2>"$WORK/err"; rc=$?
check "an unknown namespace exits 1" test "$rc" = 1
check "an unknown namespace is named" grep -q 'unknown namespace "nope"' "$WORK/err"

# --- table detection ----------------------------------------------------------
ddtree demo --prefix "${PREFIX}b-" >/dev/null 2>&1
ddtree namespaces >/dev/null 2>"$WORK/err"; rc=$?
check "several namespace tables without a flag exit 2, naming the flag" \
	eval 'test "$rc" = 2 && grep -q -e "$NS" "$WORK/err" && grep -q -e "--namespace-table" "$WORK/err"'
