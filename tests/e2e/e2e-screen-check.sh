#!/usr/bin/env bash
# The integrity report in the browser (issue 14): :check and ! on the demo's
# planted broken states, grouped by kind with counts, every kind of finding
# the demo plants; Enter on a finding opens the conversation (a thread, a
# step, an element), the namespace, or the item itself; Esc cancels a check
# still reading (the fault-injecting proxy holds its Scan).
# e2e: no-compat: golden screens hold the findings in DynamoDB Local's Scan order
. "$(dirname "$0")/lib.sh"
plan 20

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
ARGS=(--chainlit-table "${PREFIX}chainlit" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")

# the kinds `ddtree check` finds, each with its count
"$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" --json check >"$WORK/cli.json" 2>/dev/null
jq -r .kind "$WORK/cli.json" | sort | uniq -c | awk '{print $2 "  (" $1 ")"}' | sort >"$WORK/cli-kinds"

cat >"$WORK/s" <<SCRIPT
:check
:save-display $WORK/80x24-check.txt
z
:save-display $WORK/80x24-check-zoom.txt
z
:resize 120x50
:save-display $WORK/120x50-check.txt
:resize 80x24
/the user fields disagree
<Enter>
<Enter>
:save-display $WORK/enter-thread.txt
!
/does not exist; the library
<Enter>
<Enter>
:save-display $WORK/enter-namespace.txt
!
/was written without a thread
<Enter>
<Enter>
:save-display $WORK/enter-item.txt
q
!
/GSI1PK: is
<Enter>
<Enter>
:save-display $WORK/enter-document.txt
q
q
SCRIPT
run_script 80x24 "$WORK/s" "${ARGS[@]}" 2>"$WORK/s.err"; rc=$?
check "the browser ends normally (exit $rc)" test "$rc" = 0
check "80x24: the report is as expected" same_screen check-80x24.txt "$WORK/80x24-check.txt"
check "80x24 zoomed: the report is as expected" same_screen check-80x24-zoom.txt "$WORK/80x24-check-zoom.txt"
check "120x50: the report is as expected" same_screen check-120x50.txt "$WORK/120x50-check.txt"
sed 's/^.*│//' "$WORK/120x50-check.txt" | grep -E '^[a-zA-Z-]+  \([0-9]+\)$' | sort >"$WORK/tui-kinds"
check "every kind of finding shows with the count ddtree check gives ($(wc -l <"$WORK/cli-kinds") kinds)" \
	diff "$WORK/cli-kinds" "$WORK/tui-kinds"
check "the title counts the findings" \
	grep -q "integrity report: $(wc -l <"$WORK/cli.json") findings (Enter: open, R: again)" "$WORK/120x50-check.txt"
for k in namespace-invalid namespace-orphan namespace-cycle document-key-mismatch \
	document-unregistered-namespace feedback-thread-none thread-user-mismatch feedback-bad-value \
	step-no-createdAt thread-index-no-name step-stub step-orphan element-orphan; do
	grep -q "^$k\$" <(jq -r .kind "$WORK/cli.json") || echo "# the demo plants no $k any more"
done
TID=$(jq -r 'select(.kind=="thread-user-mismatch") | .key' "$WORK/cli.json" | jq -r .PK.S | sed 's/^THREAD#//')
check "Enter on a thread's finding opens the conversation" \
	bash -c "grep -q '1/5  5 steps' '$WORK/enter-thread.txt' && grep -q 'user_mess' '$WORK/enter-thread.txt'"
check "Enter on a namespace's finding opens the namespace" grep -q "documents of archive/2024" "$WORK/enter-namespace.txt"
check "Enter on a feedback item without a thread shows the item, read again" \
	bash -c "grep -q '^PK  (S) \"THREAD#None\"' '$WORK/enter-item.txt' && grep -q '^feedback  (M, 5 keys)' '$WORK/enter-item.txt'"
check "... with the finding above it" grep -q "^  feedback on step .* was written without a" "$WORK/enter-item.txt"
check "Enter on a document row shows the row" \
	bash -c "grep -q '^GSI1PK  (S) \"NAMESPACE#engineering/front-end\"' '$WORK/enter-document.txt'"
check "the thread shown is the one of the finding ($TID)" \
	bash -c "[ -n '$TID' ] && ! grep -q 'error' '$WORK/enter-thread.txt'"

# ---- problem markers on the tree's rows once the report is known ----
cat >"$WORK/m" <<SCRIPT
:user bob@example.com
/Namespaces
<Enter><Enter><Esc>
:save-display $WORK/m-before.txt
!
<Tab>
:save-display $WORK/m-after.txt
/2026-02-19 08:00
<Enter><Esc>
:save-display $WORK/m-thread.txt
q
SCRIPT
run_script 80x24 "$WORK/m" "${ARGS[@]}" 2>"$WORK/m.err"
check "before the report no row carries a marker" bash -c "! sed 's/│.*//' '$WORK/m-before.txt' | grep -q '! '"
check "after it, the user with a problem thread carries the marker" \
	grep -q '^  - ! bob@example.com' "$WORK/m-after.txt"
check "... and so does the thread (a thread with no name in the index)" \
	grep -q '^      ! 2026-02-19 08:00  (no' "$WORK/m-after.txt"
check "... and the namespace with a problem (metadata not JSON text)" \
	grep -q '^  + ! Imports' "$WORK/m-after.txt"
check "the status line shows the first problem of the selected row" \
	bash -c "tail -1 '$WORK/m-thread.txt' | grep -q '! thread-index-no-name: thread abef1efe-'"

# ---- Esc cancels a check still reading ----
# the check's first Scan held 30 s
proxy slow --plan-from Scan --plan 'stall*1' --stall-ms 30000
cat >"$WORK/c" <<SCRIPT
!
:save-display $WORK/running.txt
<Esc>
:save-display $WORK/cancelled.txt
q
SCRIPT
start=$(date +%s)
COLUMNS=80 LINES=24 TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$WORK/c" DDTREE_SCRIPT_WAIT=2 \
	"$DDTREE_BIN" --endpoint-url "$P" "${ARGS[@]}" </dev/null 2>"$WORK/c.err"; rc=$?
took=$(( $(date +%s) - start ))
check "the browser ends at once after Esc ($took s, exit $rc)" bash -c "[ $rc = 0 ] && [ $took -lt 20 ]"
check "while it reads, the status line shows the check's progress and Esc" \
	bash -c "tail -1 '$WORK/running.txt' | grep -q '^ loading integrity report: reading every table.*(Esc cancels)'"
tail -1 "$WORK/running.txt" | grep -q 'Esc cancels' ||
	{ sed 's/^/# running: /' "$WORK/running.txt"; sed 's/^/# proxy: /' "$WORK/slow.log"; sed 's/^/# stderr: /' "$WORK/c.err"; }
check "Esc cancels it: the report says so" \
	bash -c "grep -q 'integrity report: failed (R: again)' '$WORK/cancelled.txt' && tail -1 '$WORK/cancelled.txt' | grep -q 'check: cancelled (R runs it again)'"
