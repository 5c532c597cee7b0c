#!/usr/bin/env bash
# Concurrent feedback writes from the CLI.  In each round, 8 processes per step
# run "ddtree feedback set" (and, in the mixed rounds, "feedback delete") on
# the same 3 steps at once.  The CLI reads the step, then writes on condition
# that the feedback is still what it read, so:
#   - every process exits 0 (written) or 4 (conflict), never anything else;
#   - for each step, at least one process per round succeeds;
#   - the stored feedback is exactly the map Chainlit writes (SCHEMAS.md B.5),
#     or no feedback after a delete, and the rest of the step is untouched;
#   - nothing reported as saved is lost: with the value each successful
#     process read (from its --debug trace) and the value it wrote, the
#     successes form one history from the value before the round to the value
#     stored after it (every value written, except the last, was read by
#     exactly one later success);
#   - a conflict reports as "current" a value that really was stored.
# Every process is bounded by timeout.
# e2e: no-compat: DynamoDB Local only so far (never part of the dynalite run)
. "$(dirname "$0")/lib.sh"
ROUNDS_SET=3
ROUNDS_MIXED=3
WRITERS=8
STEPS=(conc-step-a conc-step-b conc-step-c)
TID=conc-thread
plan $((4 + (ROUNDS_SET + ROUNDS_MIXED) * (1 + 5 * ${#STEPS[@]})))
# HOSTILE_KEEP=1 keeps the traces and outputs for a look afterwards
[ -n "${HOSTILE_KEEP:-}" ] && trap 'echo "# kept $WORK"' EXIT

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
CT="${PREFIX}chainlit"
step_json() {
	jq -nc --arg t "$TID" --arg s "$1" --arg c "$2" '{
		PK: {S: ("THREAD#" + $t)}, SK: {S: ("STEP#" + $s)}, id: {S: $s}, threadId: {S: $t},
		parentId: {NULL: true}, name: {S: "Assistant"}, type: {S: "assistant_message"},
		streaming: {BOOL: false}, isError: {BOOL: false}, waitForAnswer: {BOOL: false},
		metadata: {M: {}}, tags: {NULL: true}, output: {S: ("answer " + $s)},
		command: {NULL: true}, modes: {NULL: true}, language: {NULL: true},
		createdAt: {S: $c}, start: {S: $c}, end: {S: $c}}'
}
ddb PutItem "{\"TableName\":\"$CT\",\"Item\":{\"PK\":{\"S\":\"THREAD#$TID\"},\"SK\":{\"S\":\"THREAD\"},\"id\":{\"S\":\"$TID\"},\"name\":{\"S\":\"concurrency\"},\"createdAt\":{\"S\":\"2026-05-01T10:00:00Z\"},\"metadata\":{\"M\":{}}}}" >/dev/null
i=0
for s in "${STEPS[@]}"; do
	i=$((i + 1))
	ddb PutItem "{\"TableName\":\"$CT\",\"Item\":$(step_json "$s" "2026-05-01T10:00:0${i}Z")}" >/dev/null
done
get_step() {
	ddb GetItem "{\"TableName\":\"$CT\",\"Key\":{\"PK\":{\"S\":\"THREAD#$TID\"},\"SK\":{\"S\":\"STEP#$1\"}},\"ConsistentRead\":true}"
}
steps_stored() { local s; for s in "${STEPS[@]}"; do get_step "$s" | grep -q '"createdAt"' || return 1; done; }
check "the thread and its ${#STEPS[@]} steps are stored" steps_stored

jq_quiet() { jq "$@" >/dev/null; }
fbcli() { timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" --chainlit-table "$CT" "$@"; }

# the documented behaviour of a delete with nothing to delete: exit 0, said so
fbcli feedback delete "$TID" "${STEPS[0]}" >"$WORK/del.out" 2>"$WORK/del.err"; rc=$?
check "feedback delete with no feedback exits 0 ($rc)" test "$rc" = 0
check "... and says there was nothing to remove" grep -q "no feedback on the step; nothing to remove" "$WORK/del.out"
fbcli --json feedback delete "$TID" "${STEPS[0]}" >"$WORK/del.json" 2>&1; rc=$?
check "... also with --json ($rc, feedback null)" \
	bash -c "[ $rc = 0 ] && jq -e '.status == \"ok\" and .feedback == null' '$WORK/del.json' >/dev/null"

# seen_of TRACE: the comment of the feedback the process read before its
# conditional write, from the GetItem answer in its trace ("" = no feedback,
# "(no comment)" = a NULL comment, "?" = nothing read)
seen_of() {
	local body
	body=$(grep '^< \[body [0-9]* bytes\] {"Item":' "$1" | head -1 | sed 's/^< \[body [0-9]* bytes\] //')
	[ -n "$body" ] || { echo "?"; return; }
	jq -r '.Item.feedback as $f | if $f == null then "" else ($f.M.comment.S // "(no comment)") end' <<<"$body"
}
# the stored comment of a step ("" = no feedback)
stored_comment() { get_step "$1" | jq -r '.Item.feedback.M.comment.S // ""'; }
# Chainlit's exact map for a value and a comment
chainlit_map() {
	jq -nS --arg t "$TID" --arg s "$1" --arg v "$2" --arg c "$3" \
		'{M: {forId: {S: $s}, value: {N: $v}, threadId: {S: $t}, id: {S: ("THREAD#" + $t + "::STEP#" + $s)}, comment: {S: $c}}}'
}
declare -A ORIG
for s in "${STEPS[@]}"; do ORIG[$s]=$(get_step "$s" | jq -S 'del(.Item.feedback)'); done

round() {   # round R MIXED
	local r=$1 mixed=$2 s k dir pids=() bad="" v0 final
	dir="$WORK/round$r"
	mkdir -p "$dir"
	declare -A before
	for s in "${STEPS[@]}"; do before[$s]=$(stored_comment "$s"); done
	for s in "${STEPS[@]}"; do
		for k in $(seq "$WRITERS"); do
			(
				if [ "$mixed" = 1 ] && [ $((k % 2)) = 0 ]; then
					echo delete >"$dir/$s.$k.op"
					fbcli --json --debug "$dir/$s.$k.trace" feedback delete "$TID" "$s"
				else
					echo "set $([ $((k % 3)) = 0 ] && echo down || echo up)" >"$dir/$s.$k.op"
					fbcli --json --debug "$dir/$s.$k.trace" feedback set "$TID" "$s" \
						--value "$([ $((k % 3)) = 0 ] && echo down || echo up)" --comment "writer $k round $r"
				fi >"$dir/$s.$k.out" 2>"$dir/$s.$k.err"
				echo $? >"$dir/$s.$k.rc"
			) &
			pids+=($!)
		done
	done
	wait "${pids[@]}"

	# every process: 0 or 4
	for f in "$dir"/*.rc; do
		case "$(cat "$f")" in 0|4) ;; *) bad="$bad $(basename "$f" .rc)=$(cat "$f")" ;; esac
	done
	echo "# round $r: $(grep -lx 0 "$dir"/*.rc | wc -l) written, $(grep -lx 4 "$dir"/*.rc | wc -l) conflicts"
	check "round $r ($([ "$mixed" = 1 ] && echo 'set and delete' || echo set)): every one of $((WRITERS * ${#STEPS[@]})) processes exits 0 or 4${bad:+ (not:$bad)}" test -z "$bad"
	[ -n "$bad" ] && for f in "$dir"/*.err; do [ -s "$f" ] && sed 's/^/# /' "$f" | head -3; done

	for s in "${STEPS[@]}"; do
		local wins=0 edges="" k op rc seen wrote conflicts_ok=1 cur out_ok=1 stored_values
		v0=${before[$s]}
		final=$(stored_comment "$s")
		# the values that were stored at some time in the round ("" = none)
		stored_values="$v0"
		for k in $(seq "$WRITERS"); do
			if [ "$(cat "$dir/$s.$k.rc")" = 0 ]; then
				if [ "$(cat "$dir/$s.$k.op")" = delete ]; then stored_values+=$'\n'; else stored_values+=$'\n'"writer $k round $r"; fi
			fi
		done
		for k in $(seq "$WRITERS"); do
			rc=$(cat "$dir/$s.$k.rc")
			op=$(cat "$dir/$s.$k.op")
			if [ "$op" = delete ]; then wrote=""; else wrote="writer $k round $r"; fi
			if [ "$rc" = 0 ]; then
				wins=$((wins + 1))
				seen=$(seen_of "$dir/$s.$k.trace")
				edges="$edges$(jq -nc --arg f "$seen" --arg t "$wrote" '{from: $f, to: $t}')"$'\n'
				# what a success prints: status ok and what it stored
				if [ "$op" = delete ]; then
					jq -e '.status == "ok" and .feedback == null' "$dir/$s.$k.out" >/dev/null 2>&1 || out_ok=0
				else
					jq -e --arg c "$wrote" '.status == "ok" and .feedback.comment == $c' "$dir/$s.$k.out" >/dev/null 2>&1 || out_ok=0
				fi
			elif [ "$rc" = 4 ]; then
				# a conflict reports a value that really was stored
				cur=$(jq -r 'select(.status == "conflict") | .current.comment // ""' "$dir/$s.$k.out" 2>/dev/null)
				if ! grep -qxF -- "$cur" <<<"$stored_values"; then
					conflicts_ok=0
					echo "# $s writer $k: the conflict reports \"$cur\", which was never stored"
				fi
			fi
		done
		check "round $r, $s: at least one process succeeded ($wins)" test "$wins" -ge 1
		# the stored feedback: Chainlit's map, or none after a delete; the rest untouched
		local item want got
		item=$(get_step "$s")
		if [ -n "$final" ]; then
			k=${final#writer }
			k=${k%% *}
			want=$(chainlit_map "$s" "$([ $((k % 3)) = 0 ] && echo 0 || echo 1)" "$final")
			got=$(jq -S '.Item.feedback' <<<"$item")
		else
			want=null
			got=$(jq -c '.Item.feedback' <<<"$item")
		fi
		check "round $r, $s: the stored feedback is exactly Chainlit's map (or none after a delete)" \
			test "$got" = "$want"
		check "round $r, $s: the rest of the step is untouched" \
			test "$(jq -S 'del(.Item.feedback)' <<<"$item")" = "${ORIG[$s]}"
		# one history from v0 to final through every success
		check "round $r, $s: every success read the value it replaced; nothing saved was lost" \
			jq_quiet -n -e --arg v0 "$v0" --arg fin "$final" --argjson e "[$(printf '%s' "$edges" | paste -sd, -)]" '
				($e | map(select(.from != .to or .from != ""))) as $e
				| ([$e[] | .from] + [$e[] | .to] + [$v0, $fin] | unique) as $nodes
				| all($nodes[]; . as $n
					| ([$e[] | select(.from == $n)] | length) - ([$e[] | select(.to == $n)] | length)
					  == (if $v0 == $fin then 0 elif $n == $v0 then 1 elif $n == $fin then -1 else 0 end))
				and all($e[]; .from != "?")'
		check "round $r, $s: successes print what they stored; conflicts report a stored value" \
			test "$out_ok$conflicts_ok" = 11
	done
}

r=0
for i in $(seq "$ROUNDS_SET"); do r=$((r + 1)); round "$r" 0; done
for i in $(seq "$ROUNDS_MIXED"); do r=$((r + 1)); round "$r" 1; done
exit 0
