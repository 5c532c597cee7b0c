# tests/e2e/lib.sh: TAP helpers for end-to-end tests of the real binary.
# Needs DDTREE_BIN and DDTREE_TEST_ENDPOINT (set by tests/harness/run-test).
set -u
: "${DDTREE_BIN:?DDTREE_BIN is not set (run through make check)}"
: "${DDTREE_TEST_ENDPOINT:?DDTREE_TEST_ENDPOINT is not set (run through make check)}"
# never the real instance metadata service (tests/harness/run-test sets it
# too; e2e-imds.sh lifts it only for runs that name its loopback fake)
export AWS_EC2_METADATA_DISABLED=true
E=$DDTREE_TEST_ENDPOINT
T_N=0
T_FAILED=0
# A table prefix unique to this test run.
PREFIX="t$(printf %07d $$)-$(date +%s%N | tail -c 7)-"   # fixed length: screens cut names
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ddtree-e2e.XXXXXX")
export HOME="$WORK/home"
mkdir -p "$HOME"
trap 't_cleanup' EXIT
t_cleanup() {
	stop_proxies
	[ -n "${T_TMUX:-}" ] && tmux -L "$T_TMUX" kill-server 2>/dev/null
	rm -rf "$WORK"
}

# --- the fault-injecting proxy ------------------------------------------
PROXY_BIN="${DDTREE_BUILDDIR:-.}/tests/tools/faultproxy"
# proxy NAME ARGS...: start a proxy in front of DynamoDB Local ($E), with
# faultproxy's ARGS; sets P to its URL.  They all stop when the test ends.
proxy() {
	local name=$1 i
	shift
	"$PROXY_BIN" --upstream "$E" --idle-exit 60 --log "$WORK/$name.log" "$@" \
		>"$WORK/$name.url" 2>"$WORK/$name.err" &
	PROXY_PIDS="${PROXY_PIDS:-} $!"
	for i in $(seq 1 50); do [ -s "$WORK/$name.url" ] && break; sleep 0.1; done
	P=$(head -1 "$WORK/$name.url")
}
stop_proxies() { local p; for p in ${PROXY_PIDS:-}; do kill "$p" 2>/dev/null; done; }

plan() { echo "1..$1"; }
ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
not_ok() { T_N=$((T_N + 1)); T_FAILED=1; echo "not ok $T_N - $1"; shift; for l in "$@"; do echo "# $l"; done; }
# check DESCRIPTION COMMAND...: ok if COMMAND succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d" "command: $*"; fi; }
contains() { case "$1" in *"$2"*) return 0 ;; *) return 1 ;; esac; }

ddtree() { "$DDTREE_BIN" --endpoint-url "$E" "$@"; }

# --- tmux ---------------------------------------------------------------
# tmux_start COLS ROWS COMMAND...: run COMMAND in a private tmux server
tmux_start() {
	T_TMUX="ddtree-test-$$"
	local cols=$1 rows=$2
	shift 2
	tmux -L "$T_TMUX" -f /dev/null new-session -d -x "$cols" -y "$rows" \
		-e "HOME=$HOME" -e "LANG=C.UTF-8" "$@"
	tmux -L "$T_TMUX" set-option -g remain-on-exit on >/dev/null
}
tmux_screen() { tmux -L "$T_TMUX" capture-pane -p -t 0; }
tmux_keys() { tmux -L "$T_TMUX" send-keys -t 0 "$@"; }
# tmux_wait TEXT [SECONDS]: wait until TEXT is on the screen
tmux_wait() {
	local want=$1 limit=${2:-20} i
	for i in $(seq 1 $((limit * 10))); do
		tmux_screen | grep -qF -- "$want" && return 0
		sleep 0.1
	done
	return 1
}
# tmux_dead: true once the program in the pane has exited
tmux_dead() {
	local i
	for i in $(seq 1 50); do
		[ "$(tmux -L "$T_TMUX" display-message -p -t 0 '#{pane_dead}')" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# --- direct DynamoDB calls (DynamoDB Local checks no signature) --------------
# ddb OP JSON: print the response body; fails on HTTP errors
ddb() {
	curl -sf -H 'Content-Type: application/x-amz-json-1.0' \
		-H "X-Amz-Target: DynamoDB_20120810.$1" \
		-H 'X-Amz-Date: 20000101T000000Z' -H 'Authorization: AWS4-HMAC-SHA256 Credential=ddtreetest/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
		--data-binary "$2" "$E/"
}
# newest_thread TABLE USER: the id of USER's most recently updated thread
# (the first entry of its UserThread index), or nothing
newest_thread() {
	ddb Query "{\"TableName\":\"$1\",\"IndexName\":\"UserThread\",\"KeyConditionExpression\":\"UserThreadPK = :u\",\"ExpressionAttributeValues\":{\":u\":{\"S\":\"USER#$2\"}},\"ScanIndexForward\":false,\"Limit\":1}" |
		sed -n 's/.*"PK":{"S":"THREAD#\([^"]*\)".*/\1/p'
}
# step_item STEP_ID: the stored step STEP_ID of thread $TID in table $CT, read consistently
step_item() { ddb GetItem "{\"TableName\":\"$CT\",\"Key\":{\"PK\":{\"S\":\"THREAD#$TID\"},\"SK\":{\"S\":\"STEP#$1\"}},\"ConsistentRead\":true}"; }
# seed_threads TABLE USER N: a Chainlit user and N threads of it, as
# Chainlit writes them (thread i named "Paged thread number i", updated at
# 2026-03-01 00:00 + i minutes: the newest is N-1), 25 to a BatchWriteItem
seed_threads() {
	local line
	jq -nc --arg t "$1" --arg u "$2" --argjson n "$3" '
		[{PK: {S: ("USER#" + $u)}, SK: {S: "USER"}, id: {S: $u}, identifier: {S: $u},
		  createdAt: {S: "2026-01-01T00:00:00.000000Z"}, metadata: {M: {}}}] +
		[range(0; $n) as $i
		 | (("2026-03-01T00:00:00Z" | fromdateiso8601) + $i * 60 | todateiso8601 | sub("Z$"; ".000000Z")) as $ts
		 | ("00000000-0000-4000-8000-" + ("000000000000" + ($i | tostring))[-12:]) as $id
		 | {PK: {S: ("THREAD#" + $id)}, SK: {S: "THREAD"}, id: {S: $id},
		    name: {S: ("Paged thread number " + ($i | tostring))}, createdAt: {S: $ts},
		    userId: {S: $u}, userIdentifier: {S: $u}, UserThreadPK: {S: ("USER#" + $u)},
		    UserThreadSK: {S: ("TS#" + $ts)}, tags: {L: []}, metadata: {M: {}}}]
		| range(0; length; 25) as $k
		| {RequestItems: {($t): [.[$k:$k+25][] | {PutRequest: {Item: .}}]}}' |
	while IFS= read -r line; do
		ddb BatchWriteItem "$line" | jq -e '.UnprocessedItems == {}' >/dev/null || return 1
	done
}
# make_table NAME: a PK/SK table, waited for until ACTIVE (some servers,
# like dynalite, create tables in the background)
make_table() {
	ddb CreateTable "{\"TableName\":\"$1\",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":[{\"AttributeName\":\"PK\",\"AttributeType\":\"S\"},{\"AttributeName\":\"SK\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"PK\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"SK\",\"KeyType\":\"RANGE\"}]}" >/dev/null
	local i
	for i in $(seq 1 100); do
		ddb DescribeTable "{\"TableName\":\"$1\"}" | grep -q '"TableStatus":"ACTIVE"' && return 0
		sleep 0.1
	done
	return 1
}

# --- scripted screens (DDTREE_SCRIPT) ------------------------------------------
# run_script COLSxROWS SCRIPTFILE ARGS...: run the browser non-interactively
run_script() {
	local size=$1 script=$2
	shift 2
	COLUMNS=${size%x*} LINES=${size#*x} TERM=xterm-256color LANG=C.UTF-8 \
		DDTREE_SCRIPT="$script" "$DDTREE_BIN" --endpoint-url "$E" "$@" </dev/null
}
# normalise SCREENFILE: replace what changes from run to run (the
# endpoint, with or without its scheme; the table prefix, also when the
# header cut it in the middle)
normalise() {
	LC_ALL=C.UTF-8 sed -E -e "s#$E#ENDPOINT#g" -e "s#${E#*://}#ENDPOINT#g" -e "s#$PREFIX#P-#g" -e "s/t[0-9]{7}-[0-9]{0,6}-?/P-/g" -e "1s/t[0-9]{0,7}(-[0-9]{0,6})?…[0-9]*-?/P-…/g" ${T_STRIP_TREE:+-e 1d -e "s/^.{$T_STRIP_TREE}│/│/"} \
		-e 's/[[:space:]]*$//' "$1"
}
# same_screen NAME FILE: compare with tests/e2e/screens/NAME (set
# DDTREE_UPDATE_SCREENS=1 to write the expected screen instead)
same_screen() {
	local want="$DDTREE_SRCDIR/tests/e2e/screens/$1"
	if [ "${DDTREE_UPDATE_SCREENS:-0}" = 1 ]; then
		normalise "$2" >"$want"
		return 0
	fi
	if normalise "$2" | diff -u "$want" - >"$WORK/diff"; then return 0; fi
	sed 's/^/# /' "$WORK/diff"
	return 1
}

# --- hostile data: the CLI must not crash nor pass escapes through ------------------
# no_sanitizer FILE: no sanitizer (ASan, UBSan, LSan) spoke in FILE (stderr)
no_sanitizer() {
	if grep -qE 'runtime error:|AddressSanitizer|LeakSanitizer' "$1"; then
		grep -E -m 5 'runtime error:|Sanitizer' "$1" | sed 's/^/# /'
		return 1
	fi
}
# the raw bytes a terminal would obey
has_esc() { LC_ALL=C grep -q $'\x1b' "$@"; }
has_c1() { LC_ALL=C grep -qP '\xc2[\x80-\x9f]' "$@"; }
has_bidi() { LC_ALL=C grep -qP '\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c' "$@"; }
# cli_clean RC WANT: the last run exited WANT, no sanitizer spoke, no raw
# ESC / C1 / bidi control in its stdout or stderr
cli_clean() {
	local ok=1
	[ "$1" = "$2" ] || ok=0
	no_sanitizer "$WORK/cli.err" || ok=0
	has_esc "$WORK/cli.out" "$WORK/cli.err" && ok=0
	has_c1 "$WORK/cli.out" "$WORK/cli.err" && ok=0
	has_bidi "$WORK/cli.out" "$WORK/cli.err" && ok=0
	[ $ok = 1 ] || head -c 600 "$WORK/cli.err" | sed 's/^/# stderr: /'
	[ $ok = 1 ]
}
# cli NAME WANT_RC ARGS...: ddtree with the caller's ARGS (an array) and ARGS...,
# without and with --json, bounded; two checks (rc, no sanitizer, no raw
# escapes); the output is kept as $WORK/cli-NAME.out and $WORK/cli-NAME--json.out
cli() {
	local name=$1 want=$2 rc j
	shift 2
	for j in "" --json; do
		timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" $j "$@" \
			>"$WORK/cli.out" 2>"$WORK/cli.err"
		rc=$?
		check "ddtree $j $name: exit $want (got $rc), no sanitizer report, no raw escape" \
			cli_clean "$rc" "$want"
		cp "$WORK/cli.out" "$WORK/cli-$name$j.out"
	done
}

# --- tests/tools/fakehttp: a loopback stand-in for the SSO portal, STS and
# the container credentials endpoint -------------------------------------
FAKE="${DDTREE_BUILDDIR:-.}/tests/tools/fakehttp"
FPID=
# fake_start LOG REPLY...: start the fake server; its URL in $FAKE_URL
fake_start() {
	local log=$1 i
	shift
	: >"$WORK/fake.url"
	"$FAKE" --log "$log" --idle-exit 120 "$@" >"$WORK/fake.url" 2>"$WORK/fake.err" &
	FPID=$!
	for i in $(seq 1 50); do
		FAKE_URL=$(head -n 1 "$WORK/fake.url")
		[ -n "$FAKE_URL" ] && return 0
		sleep 0.1
	done
	return 1
}
fake_stop() { [ -n "$FPID" ] && kill "$FPID" 2>/dev/null && wait "$FPID" 2>/dev/null; FPID=; }
