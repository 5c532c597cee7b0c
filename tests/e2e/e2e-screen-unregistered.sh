#!/usr/bin/env bash
# Unregistered namespaces in the tree (issue 14): under "Orphan and cyclic
# namespaces", a node lists the namespaces the demo's documents name and
# the registry does not hold (and the documents with a NULL namespace),
# found by a Scan of the documents when it is expanded, each with its
# count; each opens its documents.
. "$(dirname "$0")/lib.sh"
plan 7

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
ARGS=(--chainlit-table "${PREFIX}chainlit" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")
cat >"$WORK/s" <<SCRIPT
/Orphan
<Enter><Enter><Esc>
/Unregistered
<Enter><Enter><Esc>
:save-display $WORK/node.txt
j
:save-display $WORK/default.txt
jj
:save-display $WORK/none.txt
q
SCRIPT
run_script 80x24 "$WORK/s" "${ARGS[@]}" 2>"$WORK/s.err"; rc=$?
check "the browser ends normally (exit $rc)" test "$rc" = 0
check "the node counts the unregistered namespaces" \
	grep -q '^  - Unregistered namespaces  (3)$' "$WORK/node.txt"
check "... default with its 3 documents" grep -q '^      default  (3 documents, not in the registry)$' "$WORK/node.txt"
check "... old-project with its document" grep -q '^      old-project  (1 document, not in the registry)$' "$WORK/node.txt"
check "... and the documents with a NULL namespace" grep -q '^      None  (1 document, with a NULL namespace)$' "$WORK/node.txt"
check "default opens its 3 documents" \
	bash -c "grep -q 'documents of default (newest first)' '$WORK/default.txt' && [ \$(grep -cE '│20[0-9-]+( [0-9:]+)? active' '$WORK/default.txt') = 3 ]"
check "None opens the legacy document" \
	bash -c "grep -q 'documents of None (newest first)' '$WORK/none.txt' && grep -qE 'legacy +untitled.txt' '$WORK/none.txt'"
