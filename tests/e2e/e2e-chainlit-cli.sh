#!/usr/bin/env bash
# The Chainlit subcommands end to end on the demo data: users, threads,
# thread, feedback set/delete with their exit codes, --json, database text
# made safe (an escape sequence in a thread name prints as ^[), the
# read-only refusal before any request, and table detection.
. "$(dirname "$0")/lib.sh"
plan 40

ddtree demo --prefix "$PREFIX" >/dev/null 2>"$WORK/err"; rc=$?
check "demo creates the tables" test "$rc" = 0
CT=(--chainlit-table "${PREFIX}chainlit")

# users
out=$(ddtree "${CT[@]}" users); rc=$?
check "users exits 0" test "$rc" = 0
check "users lists an email identifier" contains "$out" "alice@example.com"
check "users lists the bot" contains "$out" "dave-bot"
n=$(ddtree "${CT[@]}" --json users | grep -c '^{"identifier":')
check "users --json gives one object per user" test "$n" = 5
# numbers keep their stored digits (issue 11): not 0.34999999999999998, and
# 38 digits as a number, not a string
ddb PutItem "{\"TableName\":\"${PREFIX}chainlit\",\"Item\":{\"PK\":{\"S\":\"USER#numbers@example.com\"},\"SK\":{\"S\":\"USER\"},\"id\":{\"S\":\"numbers@example.com\"},\"identifier\":{\"S\":\"numbers@example.com\"},\"createdAt\":{\"S\":\"2026-04-24T13:02:11.573594Z\"},\"metadata\":{\"M\":{\"score\":{\"N\":\"0.35\"},\"big\":{\"N\":\"12345678901234567890123456789012345678\"}}}}}" >/dev/null
line=$(ddtree "${CT[@]}" --json users | grep '"identifier":"numbers@example.com"')
check "users --json prints N 0.35 in metadata as 0.35" contains "$line" '"score":0.35'
check "users --json prints a 38-digit N as a number with its digits" \
	contains "$line" '"big":12345678901234567890123456789012345678'
out=$(ddtree "${CT[@]}" users | grep 'numbers@example.com')
check "users prints the metadata's numbers as stored" contains "$out" '"score":0.35'

# threads
out=$(ddtree "${CT[@]}" threads alice@example.com); rc=$?
check "threads exits 0" test "$rc" = 0
n=$(printf '%s\n' "$out" | grep -c '^20')
check "alice has at least 60 threads" test "$n" -ge 60
first=$(printf '%s\n' "$out" | sed -n 2p | cut -c1-19)
last=$(printf '%s\n' "$out" | tail -1 | cut -c1-19)
check "threads are newest first" test "$first" \> "$last"
out=$(ddtree "${CT[@]}" threads bob@example.com)
check "an escape sequence in a name prints as ^[" contains "$out" 'print ^[[31mERROR^[[0m in red'
esc=$(printf '\033')
if printf '%s' "$out" | grep -q "$esc"; then not_ok "no raw ESC reaches the terminal"; else ok "no raw ESC reaches the terminal"; fi
check "a thread without a name is shown, with its problem" contains "$out" "(no name)"
json=$(ddtree "${CT[@]}" --json threads bob@example.com)
check "threads --json escapes control characters" contains "$json" 'print \u001B[31mERROR'
tid=$(printf '%s\n' "$json" | grep '"name":"Which step ran first?"' | sed 's/.*"id":"\([^"]*\)".*/\1/')
check "threads --json gives the thread id" test -n "$tid"
# --index-only: the same threads in the same order, from the index alone
full=$(ddtree "${CT[@]}" --json threads alice@example.com | jq -r '.id + " " + .name')
brief=$(ddtree "${CT[@]}" --json threads alice@example.com --index-only | jq -r '.id + " " + .name')
check "threads --index-only lists the same threads in the same order" test "$full" = "$brief"
check "threads --index-only has threads" test -n "$brief"
keys=$(ddtree "${CT[@]}" --json threads alice@example.com --index-only | jq -r 'keys | join(",")' | sort -u)
check "threads --index-only gives only what the index holds" test "$keys" = "createdAt,id,name,problems"
ddtree "${CT[@]}" threads nobody@example.com >/dev/null 2>&1; rc=$?
check "threads of an unknown user exits 1" test "$rc" = 1

# thread
out=$(ddtree "${CT[@]}" thread "$tid"); rc=$?
check "thread exits 0" test "$rc" = 0
check "the tool step is nested two levels down" contains "$out" $'\n    tool ci_logs'
tool_at=$(printf '%s\n' "$out" | grep -n '^    tool ci_logs' | cut -d: -f1)
llm_at=$(printf '%s\n' "$out" | grep -n '^    llm gpt-4o' | cut -d: -f1)
check "the llm step (:56.5) follows the tool step (:56)" test "${tool_at:-0}" -gt 0 -a "${llm_at:-0}" -gt "${tool_at:-0}"
check "elements are shown under their step" contains "$out" "[image] timeline.png"
json=$(ddtree "${CT[@]}" --json thread "$tid")
sid=$(printf '%s\n' "$json" | grep '"type":"assistant_message"' | sed 's/^.*"depth":[0-9]*,"id":"\([^"]*\)".*/\1/')
check "thread --json gives the reply's step id" test -n "$sid"
ddtree "${CT[@]}" thread no-such-thread >/dev/null 2>&1; rc=$?
check "an unknown thread exits 1" test "$rc" = 1

# feedback
out=$(ddtree "${CT[@]}" feedback set "$tid" "$sid" --value down --comment "Pas mal, mais incomplet"); rc=$?
check "feedback set exits 0" test "$rc" = 0
check "feedback set prints what is stored" contains "$out" '"Pas mal, mais incomplet"'
line=$(ddtree "${CT[@]}" --json thread "$tid" | grep "\"id\":\"$sid\"")
check "the thread shows the new feedback" contains "$line" '"feedback":{"value":0,"comment":"Pas mal, mais incomplet"'
out=$(ddtree "${CT[@]}" --json feedback set "$tid" "$sid" --value up); rc=$?
check "feedback set --json, no comment: NULL comment" contains "$out" '"comment":null'
check "... and value 1" contains "$out" '"value":1'
ddtree "${CT[@]}" feedback delete "$tid" "$sid" >/dev/null; rc=$?
check "feedback delete exits 0" test "$rc" = 0
line=$(ddtree "${CT[@]}" --json thread "$tid" | grep "\"id\":\"$sid\"")
check "the feedback is gone" contains "$line" '"feedback":null'
ddtree "${CT[@]}" feedback set "$tid" no-such-step --value up 2>"$WORK/err"; rc=$?
check "feedback on a missing step exits 1" test "$rc" = 1
ddtree "${CT[@]}" feedback set "$tid" "$sid" --value sideways 2>/dev/null; rc=$?
check "a bad --value exits 2" test "$rc" = 2
ddtree "${CT[@]}" --read-only feedback set "$tid" "$sid" --value up 2>"$WORK/err"; rc=$?
check "--read-only refuses feedback with exit 2" test "$rc" = 2
check "the refusal says read-only" grep -q "read-only" "$WORK/err"
"$DDTREE_BIN" --endpoint-url http://127.0.0.1:9 --read-only --chainlit-table x feedback delete t s 2>"$WORK/err"; rc=$?
check "the refusal comes before any request (dead endpoint: 2, not 3)" test "$rc" = 2

# table detection
ddtree demo --prefix "${PREFIX}two-" >/dev/null 2>&1
ddtree users >/dev/null 2>"$WORK/err"; rc=$?
check "several Chainlit tables without --chainlit-table exits 2" test "$rc" = 2
out=$(CHAINLIT_DYNAMODB_TABLE="${PREFIX}chainlit" "$DDTREE_BIN" --endpoint-url "$E" users); rc=$?
check "CHAINLIT_DYNAMODB_TABLE names the table" test "$rc" = 0
