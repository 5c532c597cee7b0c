#!/usr/bin/env bash
# The command line end to end: --help, --version, usage errors, the demo
# tables, `tables` in both output forms, and a dead endpoint.
. "$(dirname "$0")/lib.sh"
plan 38

out=$("$DDTREE_BIN" --help); rc=$?
check "--help exits 0" test "$rc" = 0
check "--help lists the tables command" contains "$out" "tables"
out=$("$DDTREE_BIN" --version); rc=$?
check "--version prints the version" contains "$out" "ddtree 0."

"$DDTREE_BIN" --endpoint-url "$E" no-such-command 2>"$WORK/err"; rc=$?
check "unknown command exits 2" test "$rc" = 2
check "unknown command is named" grep -q "unknown command 'no-such-command'" "$WORK/err"
"$DDTREE_BIN" --endpoint-url 2>"$WORK/err"; rc=$?
check "a missing option value exits 2" test "$rc" = 2
check "... and names the option" grep -qx "ddtree: option --endpoint-url needs a value (see --help)" "$WORK/err"
"$DDTREE_BIN" --no-such-option tables 2>"$WORK/err"
check "an unknown option is named" grep -qx "ddtree: unknown option --no-such-option (see --help)" "$WORK/err"

ddtree demo --prefix "$PREFIX" 2>"$WORK/err" >/dev/null; rc=$?
check "demo creates the tables" test "$rc" = 0

out=$(ddtree tables); rc=$?
check "tables exits 0" test "$rc" = 0
line=$(printf '%s\n' "$out" | grep "^${PREFIX}chainlit ")
check "the Chainlit table is detected" contains "$line" " chainlit "
line=$(printf '%s\n' "$out" | grep "^${PREFIX}stache-documents ")
check "the Stache documents table is detected" contains "$line" "stache-documents"

out=$(ddtree --json tables | grep "\"${PREFIX}stache-namespaces\"")
check "--json gives one object per table with its layout" \
	contains "$out" '"layout":"stache-namespaces"'
# a key name with a bidi override and a C1 control: escaped in --json, as
# every other command's JSON is (issue 11)
ddb CreateTable "{\"TableName\":\"${PREFIX}bidi\",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":[{\"AttributeName\":\"k\\u202e\\u0085\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"k\\u202e\\u0085\",\"KeyType\":\"HASH\"}]}" >/dev/null
ddtree --json tables >"$WORK/tables.json"
check "tables --json escapes bidi and C1 characters" \
	bash -c "grep -qF 'k\\u202E\\u0085' '$WORK/tables.json' && ! LC_ALL=C grep -qP '\\xe2\\x80\\xae|\\xc2\\x85' '$WORK/tables.json'"

# export without --segments: one segment per 8 MB of the table's size (as
# the server reports it), so a table of about 10 MB is read in two
make_table "${PREFIX}big"
big=$(head -c 390000 /dev/zero | tr '\0' 'x')
for i in $(seq 1 26); do
	printf '{"TableName":"%sbig","Item":{"PK":{"S":"big%d"},"SK":{"S":"x"},"blob":{"S":"%s"}}}' \
		"$PREFIX" "$i" "$big" >"$WORK/put.json"
	ddb PutItem "@$WORK/put.json" >/dev/null
done
size=$(ddb DescribeTable "{\"TableName\":\"${PREFIX}big\"}" | jq '.Table.TableSizeBytes // 0')
want=$(( size > 0 ? size / 8388608 + 1 : 1 )); [ "$want" -gt 8 ] && want=8
n=$(ddtree export "${PREFIX}big" --debug "$WORK/export.trace" | wc -l)
check "export without --segments gives every item" test "$n" = 26
got=$(grep -o '"TotalSegments":[0-9]*' "$WORK/export.trace" | sort -u | cut -d: -f2)
check "export picks its segments from TableSizeBytes ($size bytes: ${want}, got ${got:-1})" test "${got:-1}" = "$want"
n=$(ddtree export "${PREFIX}big" --segments 1 --debug "$WORK/export1.trace" | wc -l)
check "--segments 1 reads in one segment" bash -c "[ $n = 26 ] && ! grep -q TotalSegments '$WORK/export1.trace'"

# a dead endpoint: a clear error, exit 3, no hang
start=$(date +%s)
"$DDTREE_BIN" --endpoint-url http://127.0.0.1:9 --max-attempts 2 tables 2>"$WORK/err"; rc=$?
check "a dead endpoint exits 3" test "$rc" = 3
check "a dead endpoint says what failed" grep -q "127.0.0.1:9" "$WORK/err"

# read-only: from the config file, and by default for a remote endpoint
mkdir -p "$WORK/cfg/ddtree"
printf 'set read-only true   # a comment\n' >"$WORK/cfg/ddtree/config"
XDG_CONFIG_HOME="$WORK/cfg" "$DDTREE_BIN" --endpoint-url "$E" demo --prefix "${PREFIX}ro-" 2>"$WORK/err"; rc=$?
check "the config file's read-only refuses writes (exit 2)" test "$rc" = 2
check "the refusal says why" grep -q "read-only: the config file says set read-only true" "$WORK/err"
# a remote endpoint: refused before any request (and no credentials are set)
"$DDTREE_BIN" --endpoint-url https://dynamodb.eu-west-1.amazonaws.com --region eu-west-1 \
	feedback set t1 s1 --value up 2>"$WORK/err"; rc=$?
check "a remote endpoint is read-only without --write" test "$rc" = 2
check "the refusal names the endpoint rule" grep -q "not on this machine (pass --write" "$WORK/err"

# demo runs on this machine only: elsewhere it is refused before any
# request, whatever --write or the config file say.  No traffic may leave
# the machine even if that broke: no credentials are set (a request would
# stop at "no credentials") except for 127.1, which the loopback rule counts
# as remote (only 127.x.x.x in four numbers is loopback) while curl connects
# to 127.0.0.1.  An empty --debug trace shows no connection was tried.
demo_refused() {   # DESCRIPTION WANT_IN_MESSAGE ARGS...
	local d=$1 want=$2 start end
	shift 2
	rm -f "$WORK/demo.trace"
	start=$(date +%s%N)
	timeout -k 5 20 "$DDTREE_BIN" --debug "$WORK/demo.trace" "$@" >"$WORK/out" 2>"$WORK/err"; rc=$?
	end=$(date +%s%N)
	check "$d: exit 2 (got $rc)" test "$rc" = 2
	check "$d: refused, naming the endpoint" \
		grep -qF "ddtree: demo: refusing to run demo against $want: it deletes, recreates and fills the tables stache-namespaces, stache-documents and chainlit, so it only runs on a DynamoDB on this machine" "$WORK/err"
	check "$d: at once, without a request or a connection" \
		bash -c "[ $(( (end - start) / 1000000 )) -lt 3000 ] && [ ! -s '$WORK/demo.trace' ] && [ ! -s '$WORK/out' ]"
}
AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret \
	demo_refused "demo --write --reset on 127.1 (credentials set)" "http://127.1:9" \
	--write --allow-http --endpoint-url http://127.1:9 --region us-east-1 demo --reset
demo_refused "demo --write --reset on 192.0.2.1" "http://192.0.2.1:9" \
	--write --allow-http --endpoint-url http://192.0.2.1:9 --region us-east-1 demo --reset
demo_refused "demo --write on a host name" "https://dynamodb.example.invalid" \
	--write --endpoint-url https://dynamodb.example.invalid --region us-east-1 demo
printf 'set write true\n' >"$WORK/cfg/ddtree/config"
XDG_CONFIG_HOME="$WORK/cfg" demo_refused "demo --reset with 'set write true' in the config file" \
	"https://dynamodb.eu-west-1.amazonaws.com" \
	--endpoint-url https://dynamodb.eu-west-1.amazonaws.com --region eu-west-1 demo --reset
demo_refused "demo --write --reset on real AWS (no endpoint)" "https://dynamodb.us-east-1.amazonaws.com" \
	--write --region us-east-1 demo --reset
