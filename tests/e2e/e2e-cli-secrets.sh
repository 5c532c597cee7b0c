#!/usr/bin/env bash
# What ddtree says about, and keeps out of, an insecure setup: the warning
# for --allow-http to a host that is not on this machine (on stderr, and on
# the browser's status line), and the proxy's credentials in the --debug
# trace.
#
# Every request stays on this machine.  "127.1" is 127.0.0.1 to curl, but
# ddtree's loopback rule counts only 127.x.x.x written as four numbers, so
# http://127.1:PORT is a remote endpoint to ddtree (warning, proxies used)
# while the traffic goes to DynamoDB Local or to tests/tools/fakehttp on
# 127.0.0.1.
. "$(dirname "$0")/lib.sh"
plan 26

case "$E" in
http://127.0.0.1:*) R="http://127.1:${E#http://127.0.0.1:}" ;;
*) echo "1..0 # SKIP the endpoint $E is not http://127.0.0.1:PORT"; exit 0 ;;
esac
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIEXAMPLEKEY

# --- --allow-http: one warning line, before the request -------------------
WARN="ddtree: warning: plain http:// to 127.1 (--allow-http): the access key id, the request signatures"
"$DDTREE_BIN" --allow-http --endpoint-url "$R" --region us-east-1 tables >"$WORK/out" 2>"$WORK/err"; rc=$?
check "--allow-http to a remote host: the command works (exit $rc)" test "$rc" = 0
check "... with one line on stderr, the warning" test "$(wc -l <"$WORK/err")" = 1
check "... naming the access key id, the signatures and the data" \
	grep -qxF "$WARN and all the data go unencrypted" "$WORK/err"

AWS_SESSION_TOKEN=FwoGZXIvYXdzEXAMPLETOKEN \
	"$DDTREE_BIN" --allow-http --endpoint-url "$R" --region us-east-1 tables >"$WORK/out" 2>"$WORK/err"; rc=$?
check "with a session token: exit 0 (got $rc)" test "$rc" = 0
check "... the warning names the session token" \
	grep -qxF "$WARN, the session token and all the data go unencrypted" "$WORK/err"
check "... and never shows it" bash -c "! grep -q EXAMPLETOKEN '$WORK/err' '$WORK/out'"

# a dead port: the warning still comes, so it comes before the request
"$DDTREE_BIN" --allow-http --endpoint-url http://127.1:9 --region us-east-1 --max-attempts 1 \
	tables >"$WORK/out" 2>"$WORK/err"; rc=$?
check "a dead remote port: exit 3 (got $rc)" test "$rc" = 3
check "... after the warning" bash -c "head -n 1 '$WORK/err' | grep -qxF '$WARN and all the data go unencrypted'"

# no warning where nothing travels in clear over a network
"$DDTREE_BIN" --endpoint-url "$E" tables >"$WORK/out" 2>"$WORK/err"; rc=$?
check "http:// on loopback: exit 0 and nothing on stderr" bash -c "[ $rc = 0 ] && [ ! -s '$WORK/err' ]"
"$DDTREE_BIN" --allow-http --endpoint-url "$E" tables >"$WORK/out" 2>"$WORK/err"; rc=$?
check "--allow-http on loopback: no warning" bash -c "[ $rc = 0 ] && [ ! -s '$WORK/err' ]"
# without credentials no request goes, and nothing is exposed: no warning
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$DDTREE_BIN" --allow-http --endpoint-url "$R" \
	--region us-east-1 tables >"$WORK/out" 2>"$WORK/err"; rc=$?
check "no credentials: exit 3, no warning" bash -c "[ $rc = 3 ] && ! grep -q warning '$WORK/err'"

# the browser: on its status line (stderr belongs to the screen)
cat >"$WORK/script" <<SCRIPT
:save-display $WORK/screen.txt
j
:save-display $WORK/screen2.txt
q
SCRIPT
COLUMNS=200 LINES=10 TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$WORK/script" \
	"$DDTREE_BIN" --allow-http --endpoint-url "$R" --region us-east-1 </dev/null >"$WORK/out" 2>"$WORK/err"; rc=$?
check "the browser: exit 0 (got $rc)" test "$rc" = 0
if tail -n 1 "$WORK/screen.txt" | grep -qF 'warning: plain http:// to 127.1 (--allow-http): the access key id, the request signatures and all the data go unencrypted'; then
	ok "... the status line has the warning"
else
	not_ok "... the status line has the warning" "$(sed 's/^/screen: /' "$WORK/screen.txt")"
fi
check "... until a key" bash -c "! tail -n 1 '$WORK/screen2.txt' | grep -q 'warning: plain http'"
check "... and stderr nothing" test ! -s "$WORK/err"

# --- a proxy's password stays out of the --debug trace ---------------------
# fakehttp plays the proxy: it answers the request for the endpoint itself
printf '{"TableNames":[]}' >"$WORK/tables.json"
fake_start "$WORK/proxy.log" --reply "200:$WORK/tables.json"
PROXY="http://proxyuser:s3cretpw@${FAKE_URL#http://}"
B64=$(printf 'proxyuser:s3cretpw' | base64)
http_proxy=$PROXY "$DDTREE_BIN" --allow-http --endpoint-url http://127.1:9 --region us-east-1 \
	--debug "$WORK/proxy.trace" tables >"$WORK/out" 2>"$WORK/err"; rc=$?
check "through an http_proxy with a password: exit 0 (got $rc)" test "$rc" = 0
check "... the request went through the proxy, with its credentials" \
	grep -qxF "Proxy-Authorization: Basic $B64" "$WORK/proxy.log"
check "... the trace shows the header redacted" \
	grep -qxF "> Proxy-Authorization: [redacted]" "$WORK/proxy.trace"
check "... and the proxy URL without its password" \
	grep -qF "http_proxy == 'http://proxyuser:[redacted]@" "$WORK/proxy.trace"
check "... the password is nowhere in the trace, stdout or stderr" \
	bash -c "! grep -qe s3cretpw -e '$B64' '$WORK/proxy.trace' '$WORK/out' '$WORK/err'"

# HTTPS_PROXY: the CONNECT carries the credentials (then TLS fails: fakehttp
# speaks no TLS, and the request never goes)
HTTPS_PROXY=$PROXY "$DDTREE_BIN" --endpoint-url https://127.1:9 --region us-east-1 --max-attempts 1 \
	--debug "$WORK/connect.trace" tables >"$WORK/out" 2>"$WORK/err"; rc=$?
check "through an HTTPS_PROXY: exit 3 (no TLS there; got $rc)" test "$rc" = 3
check "... the CONNECT went to the proxy, with its credentials" \
	bash -c "grep -qx 'CONNECT 127.0.0.1:9 HTTP/1.1' '$WORK/proxy.log' && grep -c 'Proxy-Authorization: Basic $B64' '$WORK/proxy.log' | grep -qx 2"
check "... the trace shows the CONNECT's header redacted" \
	bash -c "grep -qxF '> CONNECT 127.0.0.1:9 HTTP/1.1' '$WORK/connect.trace' && grep -qxF '> Proxy-Authorization: [redacted]' '$WORK/connect.trace'"
check "... and the proxy URL without its password" \
	grep -qF "HTTPS_PROXY == 'http://proxyuser:[redacted]@" "$WORK/connect.trace"
check "... the password is nowhere in the trace, stdout or stderr" \
	bash -c "! grep -qe s3cretpw -e '$B64' '$WORK/connect.trace' '$WORK/out' '$WORK/err'"
fake_stop
check "the AWS secret key is in no trace" \
	bash -c "! grep -q wJalrXUtnFEMIEXAMPLEKEY '$WORK/proxy.trace' '$WORK/connect.trace'"
