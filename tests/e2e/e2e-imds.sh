#!/usr/bin/env bash
# EC2 instance metadata, end to end: `ddtree tables` with the credentials
# and the region a fake IMDS hands out (IMDSv2: token, role, credentials),
# the IMDSv1 fallback on a 405 and none on a 500, AWS_EC2_METADATA_DISABLED,
# and no IMDS at all for an endpoint on this machine.
#
# The fake IMDS is tests/tools/fakehttp on 127.0.0.1, reached through
# AWS_EC2_METADATA_SERVICE_ENDPOINT; the real 169.254.169.254 is never asked
# (the harness sets AWS_EC2_METADATA_DISABLED=true; only the runs below
# that name the fake lift it).  DynamoDB Local is reached as
# http://127.1:PORT, which is 127.0.0.1 to curl but a remote endpoint to
# ddtree (see e2e-cli-secrets.sh): IMDS is asked only for remote endpoints.
# No token or key may show in the output, the errors or the --debug trace.
# e2e: no-compat: about credentials: DynamoDB Local only answers `tables`
. "$(dirname "$0")/lib.sh"
plan 19

case "$E" in
http://127.0.0.1:*) R="http://127.1:${E#http://127.0.0.1:}" ;;
*) echo "1..0 # SKIP the endpoint $E is not http://127.0.0.1:PORT"; exit 0 ;;
esac
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY
TOKEN="e2e-imds-TOKEN-SECRET-$$"
trap 'fake_stop; t_cleanup' EXIT
# no_secrets FILE...: none of the planted secrets is in the files
no_secrets() { ! grep -qF -e "$TOKEN" -e e2e-imds-secret-SECRET -e e2e-imds-session-SECRET "$@"; }
# imds ARGS...: ddtree with IMDS at the fake (and only there)
imds() {
	env -u AWS_EC2_METADATA_DISABLED AWS_EC2_METADATA_SERVICE_ENDPOINT="$FAKE_URL" \
		timeout -k 5 60 "$DDTREE_BIN" "$@" >"$WORK/cli.out" 2>"$WORK/cli.err"
}

make_table "${PREFIX}imds" || echo "# make_table failed"
printf %s "$TOKEN" >"$WORK/token"
printf 'e2e-role\n' >"$WORK/role"
printf 'us-west-2' >"$WORK/region"
printf '{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAE2EIMDS","SecretAccessKey":"e2e-imds-secret-SECRET","Token":"e2e-imds-session-SECRET","Expiration":"%s"}' \
	"$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" >"$WORK/creds.json"
ROUTES=(--route "/latest/meta-data/iam/security-credentials/=200:$WORK/role"
	--route "/latest/meta-data/iam/security-credentials/e2e-role=200:$WORK/creds.json"
	--route "/latest/meta-data/placement/region=200:$WORK/region")

# ---- IMDSv2: the credentials and the region ---------------------------------
fake_start "$WORK/imds.log" --route "/latest/api/token=200:$WORK/token" "${ROUTES[@]}"
check "the fake IMDS listens on loopback" contains "$FAKE_URL" "http://127.0.0.1:"
imds --allow-http --endpoint-url "$R" --debug "$WORK/imds.trace" tables
rc=$?
check "ddtree tables with IMDS: exit 0 (got $rc), no sanitizer report" cli_clean "$rc" 0
check "the tables are listed" grep -q "^${PREFIX}imds " "$WORK/cli.out"
check "a token was asked for, with its lifetime" \
	grep -qxF "x-aws-ec2-metadata-token-ttl-seconds: 21600" "$WORK/imds.log"
check "then the role, its credentials and the region, each with the token" \
	test "$(grep -cxF "x-aws-ec2-metadata-token: $TOKEN" "$WORK/imds.log")" = 3
check "no region is configured: it came from IMDS" \
	grep -qxF "GET /latest/meta-data/placement/region HTTP/1.1" "$WORK/imds.log"
check "the requests were signed with IMDS's session credentials (token redacted)" \
	grep -qF "X-Amz-Security-Token: [redacted]" "$WORK/imds.trace"
check "nothing of the IMDS calls in the trace" \
	sh -c "! grep -qF -e latest/ -e '$FAKE_URL' '$WORK/imds.trace'"
check "no token or key in the output, the errors or the trace" \
	no_secrets "$WORK/cli.out" "$WORK/cli.err" "$WORK/imds.trace"
fake_stop

# ---- a 405 to the token request: IMDSv1 -------------------------------------
fake_start "$WORK/v1.log" --route "/latest/api/token=405" "${ROUTES[@]}"
imds --allow-http --endpoint-url "$R" --region us-east-1 tables
rc=$?
check "IMDSv1 after a 405: exit 0 (got $rc)" cli_clean "$rc" 0
check "the tables are listed" grep -q "^${PREFIX}imds " "$WORK/cli.out"
check "the GETs went without a token" \
	sh -c "grep -q '^GET /latest/meta-data/iam/security-credentials/e2e-role ' '$WORK/v1.log' &&
	       ! grep -qi '^x-aws-ec2-metadata-token:' '$WORK/v1.log'"
fake_stop

# ---- a 500: no IMDSv1, an error ----------------------------------------------
fake_start "$WORK/500.log" --route "/latest/api/token=500" "${ROUTES[@]}"
imds --allow-http --endpoint-url "$R" --region us-east-1 tables
rc=$?
check "a 500 to the token request fails (exit $rc)" test "$rc" = 3
check "and says so" grep -qF "answered the token request with HTTP 500" "$WORK/cli.err"
check "with no request without a token" sh -c "! grep -q '^GET ' '$WORK/500.log'"
fake_stop

# ---- disabled, and a local endpoint: IMDS is not asked -------------------------
fake_start "$WORK/off.log" --route "/latest/api/token=200:$WORK/token" "${ROUTES[@]}"
AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKE_URL AWS_EC2_METADATA_DISABLED=true \
	timeout -k 5 60 "$DDTREE_BIN" --allow-http --endpoint-url "$R" --region us-east-1 tables \
	>"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "AWS_EC2_METADATA_DISABLED=true: no credentials (exit $rc)" test "$rc" = 3
check "the error says IMDS is disabled" \
	grep -qF "disabled (AWS_EC2_METADATA_DISABLED=true)" "$WORK/cli.err"
imds --endpoint-url "$E" tables
rc=$?
check "an endpoint on this machine: placeholder keys, exit 0 (got $rc)" cli_clean "$rc" 0
check "the fake IMDS was never asked" test ! -s "$WORK/off.log"
fake_stop
