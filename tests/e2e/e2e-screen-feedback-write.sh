#!/usr/bin/env bash
# A feedback write in the browser updates the step on the screen from the
# item the UpdateItem returned (ReturnValues ALL_NEW): the conversation is
# read once, when it opens, not again after each write.  Counted in the
# --debug trace: the Queries of the thread's partition, the UpdateItems and
# their ReturnValues, no GetItem; the screen shows each new feedback.
. "$(dirname "$0")/lib.sh"
plan 10

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
CT="${PREFIX}chainlit"
ARGS=(--chainlit-table "$CT" --namespace-table "${PREFIX}stache-namespaces" --documents-table "${PREFIX}stache-documents")

# a thread of alice's
TID=$(newest_thread "$CT" alice@example.com)
check "found a thread of alice's" test -n "$TID"

# } selects a step without feedback; + thumbs up, - thumbs down, D deletes
cat >"$WORK/s1" <<SCRIPT
:thread $TID
}
y
:save-display $WORK/sel.txt
+
:save-display $WORK/up.txt
-
:save-display $WORK/down.txt
D
y
:save-display $WORK/deleted.txt
SCRIPT
run_script 140x30 "$WORK/s1" "${ARGS[@]}" --debug "$WORK/trace" 2>"$WORK/err"
SID=$(sed -n 's/.*copied id: \([0-9a-f-]*\).*/\1/p' "$WORK/sel.txt")
check "a step without feedback was selected" test -n "$SID"

# the step's row: its feedback as written, drawn from the write's answer
check "after + the step shows thumbs up" grep -q '👍' "$WORK/up.txt"
check "after - the step shows thumbs down" grep -q '👎' "$WORK/down.txt"
# (other steps of the thread may have theirs: as many thumbs as before the writes)
check "after D the step shows no feedback" \
	test "$(grep -c '👍\|👎' "$WORK/deleted.txt")" = "$(grep -c '👍\|👎' "$WORK/sel.txt")"
check "the table holds no feedback on it either" bash -c "! grep -q '\"feedback\"' <<<'$(step_item "$SID")'"

# the trace: one Query of the thread's partition (the conversation opening),
# three UpdateItems asking for the item after the write, no read back
queries=$(grep '"KeyConditionExpression"' "$WORK/trace" | grep -c "THREAD#$TID")
updates=$(grep -c 'X-Amz-Target: DynamoDB_20120810.UpdateItem' "$WORK/trace")
all_new=$(grep '"UpdateExpression"' "$WORK/trace" | grep -c '"ReturnValues":"ALL_NEW"')
gets=$(grep -c 'X-Amz-Target: DynamoDB_20120810.GetItem' "$WORK/trace")
check "the conversation was read once, not again after the writes ($queries Queries)" test "$queries" = 1
check "three writes were sent ($updates UpdateItems)" test "$updates" = 3
check "each asked for the step after the write, ReturnValues ALL_NEW ($all_new)" test "$all_new" = 3
check "no step was read back ($gets GetItems)" test "$gets" = 0
