#!/usr/bin/env bash
# What the command line says when something is wrong, and its exit
# statuses (issue 14):
#  - the items Chainlit's feedback calls leave where there was no step,
#    planted with the libraries' own requests (SCHEMAS.md B.5): the stray
#    {PK, SK} item of delete_feedback under a key its str.strip mangled, and
#    the stub step {PK, SK, feedback} of upsert_feedback.  check, thread and
#    feedback set name them for what they are and say what Chainlit does
#    with them (get_thread returns None without a THREAD item, fails with
#    one); the browser refuses the same feedback write with the same words;
#  - a missing table is named with the tables there are (a long list cut);
#  - an endpoint that answers HTTP 501 with no DynamoDB error is said not to
#    be DynamoDB (tests/tools/fakehttp); refused credentials name the
#    profile and what to do; configuration errors of several lines print as
#    lines, never joined by ^J (the browser: one status line, "; ");
#  - with --json every error is also one JSON object on stderr (read here
#    with jq), and the exit statuses are those of README and --help:
#    0 ok, found with problems included, 1 not found or check's problems,
#    2 usage, 3 AWS or network, 4 conflict.
. "$(dirname "$0")/lib.sh"
trap 'fake_stop; t_cleanup' EXIT

ddtree demo --prefix "$PREFIX" >/dev/null 2>"$WORK/demo.err"
check "demo creates the tables" test $? = 0
CT="${PREFIX}chainlit"
STACHE=(--namespace-table "${PREFIX}stache-namespaces" --documents-table "${PREFIX}stache-documents")
ARGS=(--chainlit-table "$CT" "${STACHE[@]}")

# run NAME ARGS...: ddtree ARGS (bounded); $WORK/NAME.out and .err, status in rc
run() {
	local name=$1
	shift
	timeout -k 5 60 "$DDTREE_BIN" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	rc=$?
}
# jerr NAME FILTER: FILTER true of the JSON error line of NAME's stderr
# (jq -e alone is content with no input at all)
jerr() {
	local line
	line=$(grep '^{' "$WORK/$1.err") || { echo "# no JSON on stderr"; return 1; }
	jq -e "$2" <<<"$line" >/dev/null || { echo "# $line"; return 1; }
}
# rc_is WANT: the last run's exit status (for checks that also look at more)
rc_is() { [ "$rc" = "$1" ] || { echo "# exit $rc, not $1"; return 1; }; }
# one_json_error NAME: exactly one JSON line on stderr, an {"error": {...}}
one_json_error() {
	[ "$(grep -c '^{' "$WORK/$1.err")" = 1 ] && jerr "$1" '.error | objects' >/dev/null ||
		{ sed 's/^/# stderr: /' "$WORK/$1.err"; return 1; }
}
says() { grep -qF -- "$2" "$WORK/$1" || { sed 's/^/# /' "$WORK/$1" | head -n 20; return 1; }; }
never() { ! grep -qiF -- "$2" "$WORK/$1" || { grep -iF -- "$2" "$WORK/$1" | sed 's/^/# /'; return 1; }; }

# ---- Chainlit's own requests (SCHEMAS.md B.5) ----------------------------------------
# py_strip TEXT CHARS: Python's str.strip(CHARS), every character of CHARS off both ends
py_strip() {
	local s=$1 set=$2
	while [ -n "$s" ] && [[ $set == *"${s:0:1}"* ]]; do s=${s:1}; done
	while [ -n "$s" ] && [[ $set == *"${s: -1}"* ]]; do s=${s%?}; done
	printf '%s' "$s"
}
# delete_feedback FEEDBACK_ID: split on "::", strip, UpdateItem REMOVE, no condition
delete_feedback() {
	local t s
	t=$(py_strip "${1%%::*}" 'THREAD#')
	s=$(py_strip "${1#*::}" 'STEP#')
	ddb UpdateItem "$(jq -nc --arg tb "$CT" --arg pk "THREAD#$t" --arg sk "STEP#$s" \
		'{TableName: $tb, Key: {PK: {S: $pk}, SK: {S: $sk}}, UpdateExpression: "REMOVE #feedback",
		  ExpressionAttributeNames: {"#feedback": "feedback"}}')" >/dev/null
}
# upsert_feedback THREAD STEP VALUE COMMENT: UpdateItem SET of the whole Map, no condition
upsert_feedback() {
	ddb UpdateItem "$(jq -nc --arg tb "$CT" --arg t "$1" --arg s "$2" --arg v "$3" --arg c "$4" \
		'{TableName: $tb, Key: {PK: {S: ("THREAD#" + $t)}, SK: {S: ("STEP#" + $s)}},
		  UpdateExpression: "SET #feedback = :feedback", ExpressionAttributeNames: {"#feedback": "feedback"},
		  ExpressionAttributeValues: {":feedback": {M: {forId: {S: $s}, value: {N: $v}, threadId: {S: $t},
		    id: {S: ("THREAD#" + $t + "::STEP#" + $s)}, comment: {S: $c}}}}}')" >/dev/null
}
get_item() {   # get_item PK SK: the item, raw
	ddb GetItem "$(jq -nc --arg tb "$CT" --arg pk "$1" --arg sk "$2" \
		'{TableName: $tb, Key: {PK: {S: $pk}, SK: {S: $sk}}, ConsistentRead: true}')"
}

# the stray item: delete_feedback of step s1 of thread DATE-00607b-TEAM
# writes under THREAD#-00607b-TEAM (strip took D, A, T, E off its front)
check "Python's strip of \"THREAD#DATE-00607b-TEAM\" is \"-00607b-TEAM\"" \
	test "$(py_strip 'THREAD#DATE-00607b-TEAM' 'THREAD#')" = "-00607b-TEAM"
delete_feedback "THREAD#DATE-00607b-TEAM::STEP#s1"
stray=$(get_item "THREAD#-00607b-TEAM" "STEP#s1" | jq -c '.Item | keys')
check "the REMOVE made the stray item, {PK, SK} only ($stray)" test "$stray" = '["PK","SK"]'
# the stub step: upsert_feedback for a step that does not exist, in a thread that does
TID=$(newest_thread "$CT" alice@example.com)
GHOST="ghost-$$"
upsert_feedback "$TID" "$GHOST" 1 "for a step that never was"
stub=$(get_item "THREAD#$TID" "STEP#$GHOST")
check "the SET made a stub step, {PK, SK, feedback} only" \
	test "$(jq -c '.Item | keys' <<<"$stub")" = '["PK","SK","feedback"]'

# ---- check ---------------------------------------------------------------------------------
run check --endpoint-url "$E" "${ARGS[@]}" check
check_rc=$rc
run checkj --endpoint-url "$E" "${ARGS[@]}" --json check
finding() {   # finding PK SK FILTER: FILTER on the one finding about that key
	jq -ser --arg pk "$1" --arg sk "$2" \
		"map(select(.key.PK.S == \$pk and .key.SK.S == \$sk)) | if length == 1 then .[0] | $3 else false end" \
		"$WORK/checkj.out"
}
finding_that() { finding "$@" >/dev/null; }   # finding_that PK SK FILTER: FILTER holds
check "check: the stray item is a step-stray (and check exits 1, $check_rc)" \
	eval '[ "$check_rc" = 1 ] && [ "$(finding "THREAD#-00607b-TEAM" "STEP#s1" .kind)" = step-stray ]'
check "... left by Chainlit's delete_feedback, its key mangled by strip" \
	finding_that "THREAD#-00607b-TEAM" "STEP#s1" '.message | test("delete_feedback.*strip")'
check "... for which get_thread returns None, list_threads and delete_thread do nothing" \
	finding_that "THREAD#-00607b-TEAM" "STEP#s1" \
	'.message | test("get_thread returns None.*list_threads never shows it.*delete_thread deletes nothing")'
check "... and nothing says Chainlit fails on it" \
	finding_that "THREAD#-00607b-TEAM" "STEP#s1" '.message | test("fail|did not exist") | not'
check "check: the stub step is a step-stub made by upsert_feedback; in a thread that exists, get_thread and delete_thread fail" \
	finding_that "THREAD#$TID" "STEP#$GHOST" \
	'.kind == "step-stub" and (.message | test("upsert_feedback.*get_thread and delete_thread fail"))'
check "check's text report says the same of the stray item" \
	eval "grep -A1 '^step-stray .*THREAD#-00607b-TEAM' '$WORK/check.out' | grep -q 'get_thread returns None'"

# ---- thread ------------------------------------------------------------------------------
run stray-thread --endpoint-url "$E" "${ARGS[@]}" thread -- -00607b-TEAM
check "thread of the stray item's id: not found, as get_thread (None), exit 1 ($rc)" \
	eval 'rc_is 1 && says stray-thread.out "not found (no THREAD item; Chainlit'"'"'s get_thread returns None"'
check "... shows what is under the key, named" says stray-thread.out "(stray item)"
check "... and says nowhere that anything fails" \
	bash -c "! grep -qi fail '$WORK/stray-thread.out' '$WORK/stray-thread.err'"
check "... stderr: no thread, no THREAD item" says stray-thread.err 'no thread "-00607b-TEAM" in '"$CT"': no THREAD item'
run stray-threadj --endpoint-url "$E" "${ARGS[@]}" --json thread -- -00607b-TEAM
check "--json: exit 1 and one JSON error on stderr" eval 'rc_is 1 && one_json_error stray-threadj'
check "--json: its code is NotFound, with the table and the THREAD key; stdout says found: false" \
	eval 'jerr stray-threadj "(.error.code == \"NotFound\") and (.error.table == \"$CT\") and
	      (.error.key == {PK: {S: \"THREAD#-00607b-TEAM\"}, SK: {S: \"THREAD\"}}) and (.error.exit == 1)" &&
	      jq -se "map(select(.kind == \"thread\")) | .[0].found == false" "$WORK/stray-threadj.out" >/dev/null'
run stub-thread --endpoint-url "$E" "${ARGS[@]}" thread "$TID"
check "thread with a stub step: found, exit 0, the stub named and its effect listed ($rc)" \
	eval 'rc_is 0 && says stub-thread.out "made by Chainlit'"'"'s upsert_feedback" &&
	      says stub-thread.out "get_thread and delete_thread fail"'
run none-thread --endpoint-url "$E" "${ARGS[@]}" --json thread no-such-thread
check "thread of an unknown id exits 1, NotFound" eval 'rc_is 1 && jerr none-thread ".error.code == \"NotFound\""'

# ---- feedback set on the stub: refused, as the browser refuses it ---------------------------
run stub-set --endpoint-url "$E" "${ARGS[@]}" feedback set "$TID" "$GHOST" --value down --comment mine
check "feedback set on a stub step exits 1 ($rc), saying it is a stub step made by upsert_feedback" \
	eval 'rc_is 1 && says stub-set.err "THREAD#$TID / STEP#$GHOST is a stub step (only PK, SK and feedback), made by Chainlit'"'"'s upsert_feedback"'
check "... nothing was written" test "$(get_item "THREAD#$TID" "STEP#$GHOST" | jq -cS .)" = "$(jq -cS . <<<"$stub")"
run stub-setj --endpoint-url "$E" "${ARGS[@]}" --json feedback set "$TID" "$GHOST" --value up
check "--json: the error's code is StubStep, with the step's key" \
	jerr stub-setj "(.error.code == \"StubStep\") and (.error.key.SK.S == \"STEP#$GHOST\") and (.error.exit == 1)"
run stray-delete --endpoint-url "$E" "${ARGS[@]}" feedback delete -- -00607b-TEAM s1
check "feedback delete on the stray item exits 1, naming it ($rc)" \
	bash -c "[ $rc = 1 ] && grep -qF 'is a stray item (only PK and SK), left by Chainlit'\''s delete_feedback' '$WORK/stray-delete.err'"
# the browser: + on the stub says the same, not that its key is unusable
cat >"$WORK/stub.script" <<SCRIPT
:thread $TID
/$GHOST
<Enter>
+
:save-display $WORK/stub-screen.txt
SCRIPT
run_script 160x30 "$WORK/stub.script" "${ARGS[@]}" >/dev/null 2>&1
check "the browser refuses + on the stub step with the same words" \
	says stub-screen.txt "STEP#$GHOST is a stub step (only PK, SK and feedback)"
check "... nothing was written" test "$(get_item "THREAD#$TID" "STEP#$GHOST" | jq -cS .)" = "$(jq -cS . <<<"$stub")"

# ---- a table that does not exist -----------------------------------------------------------
run nope --endpoint-url "$E" --chainlit-table nope "${STACHE[@]}" check
check "check on a missing table exits 3 ($rc), naming it, the endpoint and the tables there" \
	eval 'rc_is 3 && says nope.err "ddtree: check: no such table '"'nope'"' at $E; tables there: "'
run nopej --endpoint-url "$E" --chainlit-table nope "${STACHE[@]}" --json check
check "--json: one JSON error on stderr" one_json_error nopej
check "--json: code ResourceNotFoundException, table nope, the endpoint, exit 3" \
	jerr nopej "(.error.code == \"ResourceNotFoundException\") and (.error.table == \"nope\") and
	            (.error.endpoint == \"$E\") and (.error.exit == 3) and (.error.message | test(\"tables there: \"))"
run nope-thread --endpoint-url "$E" --chainlit-table nope thread x
check "thread on a missing table names it too" says nope-thread.err "reading the thread: no such table 'nope'"
run nope-item --endpoint-url "$E" item "nope-$$" a b
check "item on a missing table names it too" says nope-item.err "no such table 'nope-$$' at $E"
# a long list is cut: twelve tables that sort first
MANY="0-${PREFIX}n"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do make_table "$MANY$i"; done
run many --endpoint-url "$E" --chainlit-table nope users
list=$(sed -n "s/.*tables there: //p" "$WORK/many.err")
check "... at most 10 names, then how many more (the 11th left out)" \
	bash -c "[[ '$list' == '${MANY}01, ${MANY}02, '*'${MANY}10 and '[0-9]*' more' ]] && ! grep -qF '${MANY}11' '$WORK/many.err'"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do ddb DeleteTable "{\"TableName\":\"$MANY$i\"}" >/dev/null; done

# ---- not a DynamoDB endpoint ----------------------------------------------------------------
fake_start "$WORK/501.log" --reply 501
run h501 --endpoint-url "$FAKE_URL" --max-attempts 1 tables
check "HTTP 501 with no DynamoDB error exits 3 ($rc), saying it is likely not a DynamoDB endpoint" \
	eval 'rc_is 3 && says h501.err "ddtree: listing tables: $FAKE_URL answered HTTP 501 with no DynamoDB error: not a DynamoDB endpoint?"'
run h501j --endpoint-url "$FAKE_URL" --max-attempts 1 --json --chainlit-table x users
check "--json: the JSON error has the HTTP status and the endpoint" \
	jerr h501j "(.error.http_status == 501) and (.error.endpoint == \"$FAKE_URL\") and (.error.exit == 3)"
fake_stop

# ---- refused credentials: which, and what to do ---------------------------------------------
echo '{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."}' >"$WORK/unrec.json"
fake_start "$WORK/unrec.log" --route "*=400:$WORK/unrec.json"
mkdir -p "$HOME/.aws"
printf '[bad]\naws_access_key_id = AKIDBADBADBAD\naws_secret_access_key = nope\n' >"$HOME/.aws/credentials"
run unrec --endpoint-url "$FAKE_URL" --max-attempts 1 --profile bad tables
check "refused credentials exit 3 ($rc), naming the profile and what to do" \
	eval 'rc_is 3 && says unrec.err "The credentials of profile bad, chosen by --profile, were refused: check them with \`aws configure --profile bad\`"'
AWS_ACCESS_KEY_ID=AKIDENVENVENV AWS_SECRET_ACCESS_KEY=x run unrec-env --endpoint-url "$FAKE_URL" --max-attempts 1 tables
check "... or the environment's keys, when they were used" \
	says unrec-env.err "The credentials of the environment (AWS_ACCESS_KEY_ID) were refused"
fake_stop
rm -f "$HOME/.aws/credentials"

# ---- configuration errors of several lines ------------------------------------------------
printf '[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/u\n[profile base]\naws_access_key_id = AKIDBASEBASE\naws_secret_access_key = x\n' >"$HOME/.aws/config"
run mfa --endpoint-url "$E" --profile mfa tables </dev/null
check "a profile with mfa_serial and no terminal exits 3 ($rc); the command to run is shown on a line of its own" \
	bash -c "[ $rc = 3 ] && grep -q '^ddtree: profile mfa assumes role ' '$WORK/mfa.err' &&
	         grep -qx 'ddtree:   aws sts get-caller-identity --profile mfa' '$WORK/mfa.err'"
check "... never joined by ^J" never mfa.err '^J'
rm -f "$HOME/.aws/config"
mkdir -p "$HOME/.config/ddtree"
printf 'bind zz quit\nset read-only maybe\n' >"$HOME/.config/ddtree/config"
run cfg --endpoint-url "$E" "${ARGS[@]}" users
check "the browser's config file errors: a command runs ($rc) and warns, one line per error, naming the file" \
	bash -c "[ $rc = 0 ] && grep -qxF \"ddtree: $HOME/.config/ddtree/config: line 1: unknown key 'zz' (line ignored)\" '$WORK/cfg.err' &&
	         grep -qxF \"ddtree: $HOME/.config/ddtree/config: line 2: read-only wants true or false (line ignored)\" '$WORK/cfg.err'"
printf ':save-display %s\n' "$WORK/cfg-screen.txt" >"$WORK/cfg.script"
run_script 160x20 "$WORK/cfg.script" "${ARGS[@]}" >/dev/null 2>&1
check "the browser shows them on one status line, joined by \"; \"" \
	says cfg-screen.txt "line 1: unknown key 'zz'; line 2: read-only wants true or false"
check "... never ^J" never cfg-screen.txt '^J'
rm -f "$HOME/.config/ddtree/config"

# ---- exit statuses and JSON errors of usage ------------------------------------------------------
run usage --endpoint-url "$E" --json bogus
usage_rc=$rc
run plain --endpoint-url "$E" bogus
check "an unknown command exits 2, code Usage in JSON (and no JSON without --json)" \
	eval 'rc_is 2 && [ "$usage_rc" = 2 ] && jerr usage ".error.code == \"Usage\"" && ! grep -q "^{" "$WORK/plain.err"'
run usage2 --endpoint-url "$E" --max-attempts 99 --json tables
check "a bad option value exits 2, code Usage, --json given before it" jerr usage2 '.error.code == "Usage" and .error.exit == 2'
run ro --endpoint-url "$E" "${ARGS[@]}" --read-only --json feedback set "$TID" "$GHOST" --value up
check "a read-only refusal exits 2, code ReadOnly" eval 'rc_is 2 && jerr ro ".error.code == \"ReadOnly\""'
"$DDTREE_BIN" --help >"$WORK/help.out"
check "--help documents the exit statuses: found with problems is 0" \
	says help.out "0 ok (also when what was found has problems: they are listed)"
check "... 1 not found or check found problems, 3 AWS or network, 4 conflict" \
	bash -c "grep -qF '1 not found, or check found problems' '$WORK/help.out' && grep -qF '3 AWS or network error' '$WORK/help.out' && grep -qF '4 conflict' '$WORK/help.out'"

plan "$T_N"
exit $T_FAILED
