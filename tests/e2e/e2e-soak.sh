#!/usr/bin/env bash
# Soak through the fault-injecting proxy (tests/tools/faultproxy): reads and
# feedback writes by the real binary while the "network" throttles, fails,
# resets, truncates, corrupts checksums and applies writes whose answers it
# then loses.  Every run must end with a correct result or a clear error
# (exit 3), never a crash or a hang, and afterwards the table must hold
# exactly the writes that reported success.
. "$(dirname "$0")/lib.sh"
plan 11

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
CT="${PREFIX}chainlit"
"$PROXY_BIN" --upstream "$E" --idle-exit 120 --seed 7 --stall-ms 3000 --log "$WORK/proxy.log" \
	--random 'throttle=0.08,500=0.05,503=0.03,reset=0.05,truncate=0.05,nonjson=0.03,badcrc=0.05,forward-then-500=0.05,stall=0.01' \
	>"$WORK/proxy.url" 2>"$WORK/proxy.err" &
PROXY_PID=$!
for i in $(seq 1 50); do [ -s "$WORK/proxy.url" ] && break; sleep 0.1; done
P=$(head -1 "$WORK/proxy.url")
check "the proxy started" test -n "$P"
FAULTY=("$DDTREE_BIN" --endpoint-url "$P" --max-attempts 6 --timeout 1 --chainlit-table "$CT")

# reads: the whole table and one user's threads, ten times each
want_items=$("$DDTREE_BIN" --endpoint-url "$E" export "$CT" | wc -l)
want_threads=$("$DDTREE_BIN" --endpoint-url "$E" --chainlit-table "$CT" --json threads alice@example.com | wc -l)
bad=0 ok_reads=0
for i in $(seq 1 10); do
	timeout 120 "${FAULTY[@]}" export "$CT" >"$WORK/export.out" 2>"$WORK/export.err"; rc=$?
	if [ "$rc" = 0 ]; then
		[ "$(wc -l <"$WORK/export.out")" = "$want_items" ] || { bad=$((bad + 1)); echo "# export $i: wrong count"; }
		ok_reads=$((ok_reads + 1))
	elif [ "$rc" = 3 ]; then
		grep -q '^ddtree: export: ' "$WORK/export.err" || { bad=$((bad + 1)); echo "# export $i: unclear error"; }
	else
		bad=$((bad + 1)); echo "# export $i: exit $rc"
	fi
	timeout 120 "${FAULTY[@]}" --json threads alice@example.com >"$WORK/threads.out" 2>"$WORK/threads.err"; rc=$?
	if [ "$rc" = 0 ]; then
		[ "$(wc -l <"$WORK/threads.out")" = "$want_threads" ] || { bad=$((bad + 1)); echo "# threads $i: wrong count"; }
		ok_reads=$((ok_reads + 1))
	elif [ "$rc" != 3 ] || ! [ -s "$WORK/threads.err" ]; then
		bad=$((bad + 1)); echo "# threads $i: exit $rc"
	fi
done
check "every read is complete and correct, or a clear error (exit 3)" test "$bad" = 0
check "most reads succeed despite the faults ($ok_reads of 20)" test "$ok_reads" -ge 10

# writes: one step, twenty sequential feedback changes
TID=$(ddb Query "{\"TableName\":\"$CT\",\"IndexName\":\"UserThread\",\"KeyConditionExpression\":\"UserThreadPK = :u\",\"ExpressionAttributeValues\":{\":u\":{\"S\":\"USER#bob@example.com\"}},\"Limit\":1}" |
	jq -r '.Items[0].PK.S | sub("^THREAD#"; "")')
SID=$(ddb Query "{\"TableName\":\"$CT\",\"KeyConditionExpression\":\"PK = :p AND begins_with(SK, :s)\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"THREAD#$TID\"},\":s\":{\"S\":\"STEP#\"}},\"Limit\":100}" |
	jq -r '[.Items[] | select(.createdAt)][0].SK.S | sub("^STEP#"; "")')
check "a step to write on" test -n "$TID" -a -n "$SID"
last_ok="" codes=""
for i in $(seq 1 20); do
	v=$([ $((i % 2)) = 0 ] && echo up || echo down)
	timeout 120 "${FAULTY[@]}" feedback set "$TID" "$SID" --value "$v" --comment "soak $i" \
		>/dev/null 2>"$WORK/w.err"; rc=$?
	codes="$codes $rc"
	[ "$rc" = 0 ] && last_ok="soak $i"
done
echo "# exit codes:$codes"
check "every write reports success or a clear AWS error (exit 0 or 3)" \
	bash -c "for c in $codes; do [ \$c = 0 ] || [ \$c = 3 ] || exit 1; done"
stored=$(ddb GetItem "{\"TableName\":\"$CT\",\"Key\":{\"PK\":{\"S\":\"THREAD#$TID\"},\"SK\":{\"S\":\"STEP#$SID\"}},\"ConsistentRead\":true}" |
	jq -r '.Item.feedback.M.comment.S // empty')
check "the table holds exactly the last write that reported success ($last_ok)" \
	test -n "$last_ok" -a "$stored" = "$last_ok"
check "faults were really injected" bash -c "awk '{print \$2}' '$WORK/proxy.log' | grep -qv '^ok$'"
kill "$PROXY_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null
check "the proxy itself ran clean" bash -c "! grep -q 'Sanitizer' '$WORK/proxy.err'"

# A write applied upstream whose answer is lost: the retry finds its own
# value and the write is reported as done (not as a conflict, not as failed).
"$PROXY_BIN" --upstream "$E" --idle-exit 60 --plan 'ok,forward-then-500' --log "$WORK/p2.log" \
	>"$WORK/p2.url" 2>/dev/null &
P2_PID=$!
for i in $(seq 1 50); do [ -s "$WORK/p2.url" ] && break; sleep 0.1; done
out=$(timeout 60 "$DDTREE_BIN" --endpoint-url "$(head -1 "$WORK/p2.url")" --chainlit-table "$CT" \
	feedback set "$TID" "$SID" --value up --comment "answer lost" 2>&1); rc=$?
kill "$P2_PID" 2>/dev/null
wait "$P2_PID" 2>/dev/null
check "a write whose answer was lost is reported done (exit $rc)" test "$rc" = 0
check "... after the proxy lost the answer" grep -q "forward-then-500 DynamoDB_20120810.UpdateItem" "$WORK/p2.log"
stored=$(ddb GetItem "{\"TableName\":\"$CT\",\"Key\":{\"PK\":{\"S\":\"THREAD#$TID\"},\"SK\":{\"S\":\"STEP#$SID\"}},\"ConsistentRead\":true}" |
	jq -r '.Item.feedback.M.comment.S // empty')
check "... and it is what is stored" test "$stored" = "answer lost"
