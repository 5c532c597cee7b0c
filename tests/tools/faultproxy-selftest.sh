#!/usr/bin/env bash
# tests/tools/faultproxy-selftest.sh: check tests/tools/faultproxy by hand
# against DynamoDB Local, using the curl CLI.  Not part of make check.
#
# Usage: tests/tools/faultproxy-selftest.sh [FAULTPROXY-BINARY]
#
# Without a binary it builds one with ASan/UBSan into a temporary directory.
# Without DDTREE_TEST_ENDPOINT it re-runs itself under scripts/dynamodb-local
# run.  Prints TAP; exits 0 only when every check passed.
# Checks are strings evaluated later, hence the single quotes:
# shellcheck disable=SC2016,SC2034,SC2294
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

if [ -z "${DDTREE_TEST_ENDPOINT:-}" ]; then
	exec "$top/scripts/dynamodb-local" run -- "$here/$(basename "$0")" "$@"
fi
UP=$DDTREE_TEST_ENDPOINT

work=$(mktemp -d "${TMPDIR:-/tmp}/faultproxy-selftest.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT

if [ $# -ge 1 ]; then
	FP=$1
else
	FP=$work/faultproxy
	gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
		-Werror -fsanitize=address,undefined -g "$here/faultproxy.c" -o "$FP" -lpthread ||
		{ echo "Bail out! cannot build faultproxy"; exit 1; }
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# ---- TAP ----
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ $# -lt 2 ] || echo "#   $2"; }
check() { # check DESC CONDITION-COMMAND... ; CONDITION is run with eval
	local desc=$1; shift
	if eval "$@"; then ok "$desc"; else notok "$desc" "failed: $*"; return 1; fi
}

# ---- helpers ----
AUTH='Authorization: AWS4-HMAC-SHA256 Credential=x/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0'
CT='Content-Type: application/x-amz-json-1.0'
LT='DynamoDB_20120810.ListTables'

# call NAME URL TARGET DATA [CURL-ARGS...]: one request; sets code, rc,
# secs; leaves $work/NAME.hdr, .body, .err
call() {
	local name=$1 url=$2 target=$3 data=$4; shift 4
	local t0 t1
	t0=$(date +%s%N)
	code=$(curl -sS --max-time 10 -D "$work/$name.hdr" -o "$work/$name.body" -w '%{http_code}' \
		-H "$AUTH" -H "$CT" -H "X-Amz-Target: $target" --data "$data" "$@" "$url/" \
		2>"$work/$name.err")
	rc=$?
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
}

# urls URL N: set UA to "-o /dev/null URL/" N times, for one curl run (one
# connection, N requests)
urls() { local i; UA=(); for i in $(seq 1 "$2"); do UA+=(-o /dev/null "$1/"); done; }

hdr() { grep -i "^$2:" "$work/$1.hdr" | tail -1 | cut -d: -f2- | tr -d ' \r'; }
body() { cat "$work/$1.body"; }
crc_of() { gzip -c <"$work/$1.body" | tail -c 8 | head -c 4 | od -An -tu4 --endian=little | tr -d ' \n'; }
bodysize() { wc -c <"$work/$1.body" | tr -d ' '; }

# start_proxy NAME ARGS...: sets PURL, PPID_; the proxy's stdout/stderr go
# to $work/NAME.url and $work/NAME.stderr
start_proxy() {
	local name=$1; shift
	"$FP" "$@" >"$work/$name.url" 2>"$work/$name.stderr" &
	PPID_=$!
	pids+=("$PPID_")
	local i
	for i in $(seq 1 100); do
		[ -s "$work/$name.url" ] && break
		kill -0 "$PPID_" 2>/dev/null || break
		sleep 0.05
	done
	PURL=$(head -1 "$work/$name.url")
}

# sanitizer_clean NAME: no ASan/UBSan/LSan report in the proxy's stderr
sanitizer_clean() { ! grep -Eq 'Sanitizer|runtime error' "$work/$1.stderr"; }

# stop_proxy NAME PID: SIGTERM, expect exit 0 and a clean stderr
stop_proxy() {
	local name=$1 pid=$2 st
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"; st=$?
	check "$name: stops on SIGTERM with status 0 (got $st)" '[ "$st" = 0 ]'
	check "$name: no sanitizer report" sanitizer_clean "$name"
}

# raw NAME BYTES-FILE [SECS]: send bytes on a fresh connection, keep the
# reply (read until the proxy closes, or SECS, default 5)
raw() {
	local name=$1 file=$2 secs=${3:-5} port=${PURL##*:}
	(
		exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
		cat "$file" >&3 2>/dev/null
		timeout "$secs" cat <&3 >"$work/$name.reply"
	) 2>/dev/null
}

echo "# upstream $UP, proxy $FP"

# ---------------------------------------------------------------- plan mode
PLAN='ok,throttle,throttling,500,503,nonjson,badcrc,truncate,forward-then-500,reset,stall,throttle*2,ok,throttle'
start_proxy p1 --upstream "$UP" --plan "$PLAN" --log "$work/p1.log" --stall-ms 1500
P1=$PPID_ U1=$PURL
check "p1: prints http://127.0.0.1:PORT" '[[ "$U1" =~ ^http://127\.0\.0\.1:[0-9]+$ ]]'

call direct "$UP" "$LT" '{}'
# 1 ok
call r1 "$U1" "$LT" '{}'
check "ok: status 200" '[ "$code" = 200 ]'
check "ok: body as upstream's" 'cmp -s "$work/r1.body" "$work/direct.body"'
check "ok: x-amz-crc32 as upstream's and right" \
	'[ "$(hdr r1 x-amz-crc32)" = "$(hdr direct x-amz-crc32)" ] && [ "$(hdr r1 x-amz-crc32)" = "$(crc_of r1)" ]'
# 2 throttle
call r2 "$U1" "$LT" '{}'
check "throttle: status 400" '[ "$code" = 400 ]'
check "throttle: ProvisionedThroughputExceededException body" \
	'[ "$(body r2)" = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}" ]'
check "throttle: Content-Type and x-amzn-RequestId" \
	'[ "$(hdr r2 content-type)" = application/x-amz-json-1.0 ] && [ -n "$(hdr r2 x-amzn-requestid)" ]'
check "throttle: x-amz-crc32 right" '[ "$(hdr r2 x-amz-crc32)" = "$(crc_of r2)" ]'
# 3 throttling
call r3 "$U1" "$LT" '{}'
check "throttling: status 400, ThrottlingException" \
	'[ "$code" = 400 ] && grep -q "\"__type\":\"com.amazon.coral.availability#ThrottlingException\"" "$work/r3.body"'
# 4 500
call r4 "$U1" "$LT" '{}'
check "500: status 500, InternalServerError body" \
	'[ "$code" = 500 ] && [ "$(body r4)" = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"Internal server error\"}" ]'
# 5 503
call r5 "$U1" "$LT" '{}'
check "503: status 503, ServiceUnavailable body" \
	'[ "$code" = 503 ] && grep -q "com.amazonaws.dynamodb.v20120810#ServiceUnavailable" "$work/r5.body" && [ "$(hdr r5 content-type)" = application/x-amz-json-1.0 ]'
# 6 nonjson
call r6 "$U1" "$LT" '{}'
check "nonjson: 200, amz-json type, <html>not json</html>, no crc" \
	'[ "$code" = 200 ] && [ "$(body r6)" = "<html>not json</html>" ] && [ "$(hdr r6 content-type)" = application/x-amz-json-1.0 ] && [ -z "$(hdr r6 x-amz-crc32)" ]'
# 7 badcrc
call r7 "$U1" "$LT" '{}'
check "badcrc: 200 with upstream's body" '[ "$code" = 200 ] && cmp -s "$work/r7.body" "$work/direct.body"'
check "badcrc: exactly one x-amz-crc32, and it is wrong" \
	'[ "$(grep -ci "^x-amz-crc32:" "$work/r7.hdr")" = 1 ] && [ -n "$(hdr r7 x-amz-crc32)" ] && [ "$(hdr r7 x-amz-crc32)" != "$(crc_of r7)" ]'
# 8 truncate
call r8 "$U1" "$LT" '{}'
full=$(wc -c <"$work/direct.body" | tr -d ' ')
check "truncate: curl sees a cut body (rc 18, got $rc)" '[ "$rc" = 18 ]'
check "truncate: real Content-Length, half the body" \
	'[ "$(hdr r8 content-length)" = "$full" ] && [ "$(bodysize r8)" = $((full / 2)) ]'
# 9 forward-then-500: the write reaches DynamoDB Local, the client gets 500
TBL=fp_selftest_$$
CREATE='{"TableName":"'$TBL'","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}'
call r9 "$U1" DynamoDB_20120810.CreateTable "$CREATE"
check "forward-then-500: client gets 500 InternalServerError" \
	'[ "$code" = 500 ] && grep -q "#InternalServerError" "$work/r9.body"'
call r9d "$UP" DynamoDB_20120810.DescribeTable '{"TableName":"'$TBL'"}'
check "forward-then-500: the CreateTable was applied upstream" '[ "$code" = 200 ] && grep -q "\"$TBL\"" "$work/r9d.body"'
# 10 reset
call r10 "$U1" "$LT" '{}'
check "reset: connection reset, no response (rc 56, got $rc)" \
	'[ "$rc" = 56 ] && grep -qi "reset" "$work/r10.err" && [ ! -s "$work/r10.body" ]'
# 11 stall (1.5 s), then close without a response
call r11 "$U1" "$LT" '{}'
check "stall: nothing for ~1.5 s then closed (rc 52 after ${ms} ms)" \
	'[ "$rc" = 52 ] && [ "$ms" -ge 1400 ] && [ "$ms" -lt 5000 ]'
# 12-13 throttle*2, 14 ok, 15 throttle: four requests on one keep-alive connection
urls "$U1" 4
out=$(curl -sS --max-time 10 -w '%{http_code} %{num_connects}\n' -H "$AUTH" -H "$CT" \
	-H "X-Amz-Target: $LT" --data '{}' "${UA[@]}" 2>&1)
check "keep-alive: 4 requests on one connection: 400,400,200,400" \
	'[ "$(echo $out)" = "400 1 400 0 200 0 400 0" ]' || echo "#   got: $out"
# 16: plan used up: pass through
call r16 "$U1" "$LT" '{}'
check "after the plan: pass through (200)" '[ "$code" = 200 ] && grep -q TableNames "$work/r16.body"'

printf '%s\n' '1 ok' '2 throttle' '3 throttling' '4 500' '5 503' '6 nonjson' '7 badcrc' \
	'8 truncate' '9 forward-then-500' '10 reset' '11 stall' '12 throttle' '13 throttle' '14 ok' \
	'15 throttle' '16 ok' >"$work/p1.expect"
check "log: one line per request, number and fault in order" \
	'cut -d" " -f1-2 "$work/p1.log" | cmp -s - "$work/p1.expect"'
check "log: X-Amz-Target recorded" \
	'[ "$(sed -n 9p "$work/p1.log")" = "9 forward-then-500 DynamoDB_20120810.CreateTable" ] && [ "$(sed -n 1p "$work/p1.log")" = "1 ok $LT" ]'

# Malformed input: refused, not numbered, proxy survives.
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "$AUTH" -H "$CT" -H "X-Amz-Target: $LT" \
	-H 'Transfer-Encoding: chunked' --data '{}' "$U1/" 2>/dev/null)
check "chunked request body: 400" '[ "$code" = 400 ]'
printf 'GARBAGE\001\002 NONSENSE\r\n\r\n' >"$work/g1"
raw g1 "$work/g1"
check "garbage request line: 400" 'head -1 "$work/g1.reply" | grep -q "^HTTP/1.1 400 "'
head -c 200000 /dev/urandom >"$work/g2"
raw g2 "$work/g2"
check "random bytes: refused with 400 or 431" 'head -1 "$work/g2.reply" | grep -Eq "^HTTP/1.1 (400|431) "'
{ printf 'POST / HTTP/1.1\r\nHost: x\r\nX-Big: '; head -c 70000 /dev/zero | tr '\0' a; printf '\r\n\r\n'; } >"$work/g3"
raw g3 "$work/g3"
check "head over 64 KiB: 431" 'head -1 "$work/g3.reply" | grep -q "^HTTP/1.1 431 "'
printf 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 40000000\r\n\r\n' >"$work/g4"
raw g4 "$work/g4"
check "body over 32 MiB: 413" 'head -1 "$work/g4.reply" | grep -q "^HTTP/1.1 413 "'
printf 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!' >"$work/g5"
raw g5 "$work/g5"
check "conflicting Content-Length: 400" 'head -1 "$work/g5.reply" | grep -q "^HTTP/1.1 400 "'
printf 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc' >"$work/g6"
raw g6 "$work/g6" 1
check "body cut short by the client: no crash, no reply" '[ ! -s "$work/g6.reply" ]'
check "malformed requests are not numbered" '[ "$(wc -l <"$work/p1.log")" = 16 ]'
call r17 "$U1" "$LT" '{}'
check "still serving after garbage" '[ "$code" = 200 ]'
req() { printf 'POST / HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: %s\r\nContent-Length: 2\r\n%b\r\n{}' "$AUTH" "$LT" "$1"; }
{ req ''; req 'Connection: close\r\n'; } >"$work/pipe"
raw pipe "$work/pipe"
check "two pipelined requests in one write: two 200 replies, then closed" \
	'[ "$(grep -ao "HTTP/1.1 200 " "$work/pipe.reply" | wc -l)" = 2 ] && [ "$(grep -ao TableNames "$work/pipe.reply" | wc -l)" = 2 ]'

# Large body with Expect: 100-continue (answered at once), and back again.
{
	printf '{"TableName":"%s","Item":{"pk":{"S":"big"},"v":{"S":"' "$TBL"
	head -c 300000 /dev/zero | tr '\0' x
	printf '"}}}'
} >"$work/put.json"
call r18 "$U1" DynamoDB_20120810.PutItem "@$work/put.json" -H 'Expect: 100-continue'
check "300 KB PutItem with Expect: 100-continue: 200 without the 1 s wait (${ms} ms)" \
	'[ "$code" = 200 ] && [ "$ms" -lt 900 ]'
call r19 "$U1" DynamoDB_20120810.GetItem '{"TableName":"'$TBL'","Key":{"pk":{"S":"big"}}}'
check "GetItem through the proxy returns the 300 KB item, crc right" \
	'[ "$code" = 200 ] && [ "$(tr -cd x <"$work/r19.body" | wc -c)" = 300000 ] && [ "$(hdr r19 x-amz-crc32)" = "$(crc_of r19)" ]'
urls "$U1" 2
code=$(curl -sS -0 --max-time 10 -w '%{http_code}' -H "$AUTH" -H "$CT" -H "X-Amz-Target: $LT" \
	--data '{}' "${UA[@]}" 2>/dev/null)
check "HTTP/1.0 requests: served" '[ "$code" = 200200 ]'
stop_proxy p1 "$P1"

# ---------------------------------------------------------------- random mode
RATES='throttle=0.3,500=0.2,nonjson=0.1'
seq_run() { # seq_run NAME SEED: 30 requests on one connection; codes to NAME.codes
	start_proxy "$1" --upstream "$UP" --random "$RATES" --seed "$2" --log "$work/$1.log"
	local pid=$PPID_
	urls "$PURL" 30
	curl -sS --max-time 30 -w '%{http_code}\n' -H "$AUTH" -H "$CT" -H "X-Amz-Target: $LT" \
		--data '{}' "${UA[@]}" >"$work/$1.codes" 2>/dev/null
	stop_proxy "$1" "$pid"
}
seq_run rnd1 42
seq_run rnd2 42
seq_run rnd3 43
check "random: 30 requests logged" '[ "$(wc -l <"$work/rnd1.log")" = 30 ]'
check "random: same seed, same faults and statuses" \
	'cmp -s "$work/rnd1.log" "$work/rnd2.log" && cmp -s "$work/rnd1.codes" "$work/rnd2.codes"'
check "random: another seed, other faults" '! cmp -s "$work/rnd1.log" "$work/rnd3.log"'
statuses_match() {
	paste -d" " <(cut -d" " -f2 "$work/rnd1.log") "$work/rnd1.codes" | awk '
		($1 == "ok" || $1 == "nonjson") && $2 != 200 { bad = 1 }
		$1 == "throttle" && $2 != 400 { bad = 1 }
		$1 == "500" && $2 != 500 { bad = 1 }
		END { exit bad }'
}
all_drawn() {
	local k
	for k in ok throttle 500 nonjson; do grep -q " $k " "$work/rnd1.log" || return 1; done
}
check "random: statuses match the logged faults" statuses_match
check "random: throttle, 500, nonjson and ok all drawn" all_drawn

# Every kind at random, one connection per request; the client's view must
# match what the log says was injected.
ALL='throttle=0.08,throttling=0.08,500=0.08,503=0.08,reset=0.08,stall=0.08,truncate=0.08,nonjson=0.08,badcrc=0.08,forward-then-500=0.08'
start_proxy rall --upstream "$UP" --random "$ALL" --seed 7 --stall-ms 300 --log "$work/rall.log"
PR=$PPID_ UR=$PURL
: >"$work/rall.seen"
for i in $(seq 1 60); do
	call ra "$UR" "$LT" '{}'
	c=$(hdr ra x-amz-crc32)
	crcok=none
	[ -n "$c" ] && { [ "$c" = "$(crc_of ra)" ] && crcok=good || crcok=bad; }
	echo "$rc $code $crcok" >>"$work/rall.seen"
done
paste -d" " <(cut -d" " -f2 "$work/rall.log") "$work/rall.seen" >"$work/rall.pairs"
views_match() {
	awk '
		BEGIN {
			want["ok"] = "0 200 good"; want["throttle"] = "0 400 good"
			want["throttling"] = "0 400 good"; want["500"] = "0 500 good"
			want["503"] = "0 503 good"; want["nonjson"] = "0 200 none"
			want["badcrc"] = "0 200 bad"; want["forward-then-500"] = "0 500 good"
			want["reset"] = "56 000 none"; want["stall"] = "52 000 none"
		}
		$1 == "truncate" { if ($2 != 18) { print "#   " $0; bad = 1 }; next }
		($2 " " $3 " " $4) != want[$1] { print "#   " $0; bad = 1 }
		END { exit bad }' "$work/rall.pairs"
}
check "random, all kinds: client view matches each logged fault" views_match
check "random, all kinds: at least 9 different kinds drawn in 60" \
	'[ "$(cut -d" " -f2 "$work/rall.log" | sort -u | wc -l)" -ge 9 ]'
stop_proxy rall "$PR"

# ---------------------------------------------------------------- concurrency
start_proxy conc --upstream "$UP" --plan 'throttle*4' --log "$work/conc.log"
PC=$PPID_ UC=$PURL
cpids=()
for i in $(seq 1 8); do
	curl -sS --max-time 10 -o /dev/null -w '%{http_code}\n' -H "$AUTH" -H "$CT" -H "X-Amz-Target: $LT" \
		--data '{}' "$UC/" >"$work/conc.$i" 2>/dev/null &
	cpids+=($!)
done
wait "${cpids[@]}"
check "8 parallel clients, plan throttle*4: four 400s, four 200s" \
	'[ "$(cat "$work"/conc.[1-8] | sort | tr "\n" " ")" = "200 200 200 200 400 400 400 400 " ]'
check "8 parallel clients: numbered 1..8 once each" \
	'[ "$(cut -d" " -f1 "$work/conc.log" | sort -n | tr "\n" " ")" = "1 2 3 4 5 6 7 8 " ]'
stop_proxy conc "$PC"

# ---------------------------------------------------------------- lifetime
start_proxy maxr --upstream "$UP" --max-requests 2
PM=$PPID_ UM=$PURL
call m1 "$UM" "$LT" '{}'
call m2 "$UM" "$LT" '{}'
for i in $(seq 1 60); do kill -0 "$PM" 2>/dev/null || break; sleep 0.05; done
wait "$PM"; st=$?
check "--max-requests 2: two answered, then exits 0 by itself" '[ "$st" = 0 ] && [ "$code" = 200 ]'
check "--max-requests: no sanitizer report" sanitizer_clean maxr

start_proxy idle --upstream "$UP" --idle-exit 1
PI=$PPID_ UI=$PURL
exec 7<>"/dev/tcp/127.0.0.1/${UI##*:}"   # an idle keep-alive connection must not keep it alive
t0=$(date +%s%N)
wait "$PI"; st=$?
ms=$((($(date +%s%N) - t0) / 1000000))
exec 7<&- 7>&-
check "--idle-exit 1: exits 0 within 3 s despite an idle connection (${ms} ms)" '[ "$st" = 0 ] && [ "$ms" -lt 3000 ]'
check "--idle-exit: no sanitizer report" sanitizer_clean idle

start_proxy hang --upstream "$UP" --plan stall --stall-ms 30000 --idle-exit 1
PH=$PPID_ UH=$PURL
call h1 "$UH" "$LT" '{}' --max-time 1
t0=$(date +%s%N)
wait "$PH"; st=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "stall ends when the client gives up (proxy idles out in ${ms} ms, not 30 s)" \
	'[ "$rc" = 28 ] && [ "$st" = 0 ] && [ "$ms" -lt 5000 ]'

start_proxy down --upstream http://127.0.0.1:1
PD=$PPID_ UD=$PURL
call d1 "$UD" "$LT" '{}'
check "upstream down: 502" '[ "$code" = 502 ]'
stop_proxy down "$PD"

start_proxy lh --upstream "http://localhost:${UP##*:}/"
PL=$PPID_ UL=$PURL
call l1 "$UL" "$LT" '{}'
check "upstream http://localhost:PORT/ accepted" '[ "$code" = 200 ]'
stop_proxy lh "$PL"

# ---------------------------------------------------------------- refusals
for bad in http://10.0.0.1:8000 http://example.com:80 https://127.0.0.1:8000 \
	http://127.0.0.1.example.com:80 http://127.0.0.2:80 'http://[::1]:80' http://localhost:99999 \
	http://user@127.0.0.1:80 http://127.0.0.1:80/path; do
	"$FP" --upstream "$bad" >"$work/bad.out" 2>"$work/bad.err"; st=$?
	check "refuses upstream $bad (exit 2, nothing printed)" '[ "$st" = 2 ] && [ ! -s "$work/bad.out" ]'
done
for args in "--plan bogus" "--plan throttle*0" "--plan ok,,ok" "--random throttle=0.8,500=0.5" \
	"--random throttle" "--stall-ms -1" "--idle-exit 0" "--bogus"; do
	# shellcheck disable=SC2086
	"$FP" --upstream "$UP" $args >"$work/bad.out" 2>"$work/bad.err"; st=$?
	check "refuses $args (exit 2)" '[ "$st" = 2 ] && [ ! -s "$work/bad.out" ]'
done

echo "1..$n"
[ "$failed" = 0 ] || echo "# $failed of $n failed"
[ "$failed" = 0 ]
