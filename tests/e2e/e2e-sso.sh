#!/usr/bin/env bash
# Credentials from web services, end to end: `ddtree --profile sso-test
# tables` against DynamoDB Local with SSO credentials from a fake SSO portal
# (also after renewing an expired token through a fake SSO OIDC), and
# without a profile with container credentials from a fake container
# endpoint.  The fakes are tests/tools/fakehttp on 127.0.0.1 (reached through
# AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC and
# AWS_CONTAINER_CREDENTIALS_FULL_URI); nothing else is ever contacted.  No
# token or key may show in the output, the errors or the --debug trace.
# e2e: no-compat: about credentials: DynamoDB Local only answers `tables`
. "$(dirname "$0")/lib.sh"
plan 22

BEARER="e2e-bearer-SECRET-$$"
CT_TOKEN="e2e-container-SECRET-$$"
trap 'fake_stop; t_cleanup' EXIT
# no_secrets FILE...: none of the planted secrets is in the files
no_secrets() {
	! grep -qF -e "$BEARER" -e e2e-secret-SECRET -e e2e-session-SECRET -e "$CT_TOKEN" \
		-e e2e-refresh-SECRET -e e2e-client-SECRET -e e2e-new-bearer-SECRET "$@"
}

make_table "${PREFIX}sso" || echo "# make_table failed"

# ---- SSO, new style ----------------------------------------------------------
mkdir -p "$HOME/.aws/sso/cache"
cat >"$HOME/.aws/config" <<'EOF'
[profile sso-test]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session my-sso]
sso_start_url = https://my-sso-portal.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
EOF
key=$(printf %s my-sso | sha1sum | cut -d' ' -f1)
check "the token cache is named by the SHA-1 of the session name" \
	test "$key" = 0ad374308c5a4e22f723adf10145eafad7c4031c
cache="$HOME/.aws/sso/cache/$key.json"
printf '{"startUrl":"https://my-sso-portal.awsapps.com/start","region":"us-east-1","accessToken":"%s","expiresAt":"2099-01-01T00:00:00Z"}\n' \
	"$BEARER" >"$cache"
printf '{"roleCredentials":{"accessKeyId":"ASIAE2ESSO","secretAccessKey":"e2e-secret-SECRET","sessionToken":"e2e-session-SECRET","expiration":%s000}}' \
	$(( $(date +%s) + 3600 )) >"$WORK/role.json"

fake_start "$WORK/portal.log" --reply "200:$WORK/role.json"
check "the fake SSO portal listens on loopback" contains "$FAKE_URL" "http://127.0.0.1:"
AWS_ENDPOINT_URL_SSO=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" \
	--profile sso-test --debug "$WORK/sso.trace" tables >"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "ddtree --profile sso-test tables: exit 0 (got $rc), no sanitizer report" cli_clean "$rc" 0
check "the tables are listed" grep -q "^${PREFIX}sso " "$WORK/cli.out"
check "the portal was asked for account 111122223333, role ReadOnly" \
	grep -qxF "GET /federation/credentials?account_id=111122223333&role_name=ReadOnly HTTP/1.1" \
	"$WORK/portal.log"
check "with the cached token as x-amz-sso_bearer_token" \
	grep -qxF "x-amz-sso_bearer_token: $BEARER" "$WORK/portal.log"
check "the requests carry the SSO session token (redacted in the trace)" \
	grep -qF "X-Amz-Security-Token: [redacted]" "$WORK/sso.trace"
check "no token or key in the output, the errors or the trace" \
	no_secrets "$WORK/cli.out" "$WORK/cli.err" "$WORK/sso.trace"

# ---- an expired token: no request, and what to do ------------------------------
n=$(grep -c '^GET ' "$WORK/portal.log")
sed -i 's/2099-01-01T00:00:00Z/2020-01-01T00:00:00Z/' "$cache"
AWS_ENDPOINT_URL_SSO=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" \
	--profile sso-test tables >"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "an expired SSO token fails (exit $rc)" test "$rc" != 0
check "and says: run: aws sso login --sso-session my-sso" \
	grep -qF "run: aws sso login --sso-session my-sso" "$WORK/cli.err"
check "without asking the portal" test "$(grep -c '^GET ' "$WORK/portal.log")" = "$n"
fake_stop

# ---- an expired token renewed through SSO OIDC (CreateToken) ---------------------
printf '{"startUrl":"https://my-sso-portal.awsapps.com/start","region":"us-east-1","accessToken":"%s","expiresAt":"2020-01-01T00:00:00Z","refreshToken":"e2e-refresh-SECRET","clientId":"e2e-client-id","clientSecret":"e2e-client-SECRET","registrationExpiresAt":"2099-01-01T00:00:00Z"}\n' \
	"$BEARER" >"$cache"
printf '{"accessToken":"e2e-new-bearer-SECRET","tokenType":"Bearer","expiresIn":28800,"refreshToken":"e2e-refresh-SECRET-2"}' \
	>"$WORK/create-token.json"
fake_start "$WORK/oidc.log" --route "/token=200:$WORK/create-token.json" \
	--route "/federation/credentials=200:$WORK/role.json"
AWS_ENDPOINT_URL_SSO=$FAKE_URL AWS_ENDPOINT_URL_SSO_OIDC=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" \
	--endpoint-url "$E" --profile sso-test --debug "$WORK/oidc.trace" tables \
	>"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "an expired token with a refresh token: renewed, exit 0 (got $rc)" cli_clean "$rc" 0
check "CreateToken was asked with the refresh token, then the portal with the new token" \
	sh -c "grep -qF '\"grantType\":\"refresh_token\",\"refreshToken\":\"e2e-refresh-SECRET\"' '$WORK/oidc.log' &&
	       grep -qxF 'x-amz-sso_bearer_token: e2e-new-bearer-SECRET' '$WORK/oidc.log'"
check "the token cache holds the new token and refresh token, mode 0600" \
	sh -c "grep -qF '\"accessToken\":\"e2e-new-bearer-SECRET\"' '$cache' &&
	       grep -qF '\"refreshToken\":\"e2e-refresh-SECRET-2\"' '$cache' &&
	       [ \"\$(stat -c %a '$cache')\" = 600 ]"
check "no token or key in the output, the errors or the trace" \
	no_secrets "$WORK/cli.out" "$WORK/cli.err" "$WORK/oidc.trace"
fake_stop
printf '{"startUrl":"https://my-sso-portal.awsapps.com/start","region":"us-east-1","accessToken":"%s","expiresAt":"2099-01-01T00:00:00Z"}\n' \
	"$BEARER" >"$cache"

# ---- the portal refuses (403) ----------------------------------------------------
sed -i 's/2020-01-01T00:00:00Z/2099-01-01T00:00:00Z/' "$cache"
printf '{"message":"No access","__type":"ForbiddenException"}' >"$WORK/403.json"
fake_start "$WORK/portal403.log" --reply "403:$WORK/403.json"
AWS_ENDPOINT_URL_SSO=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" \
	--profile sso-test tables >"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "a 403 from the portal fails (exit $rc)" test "$rc" != 0
check "and names the account and the role" \
	grep -qF "no access to account 111122223333 with role ReadOnly" "$WORK/cli.err"
check "no token in the error" no_secrets "$WORK/cli.out" "$WORK/cli.err"
fake_stop

# ---- container credentials ---------------------------------------------------------
printf '%s' "$CT_TOKEN" >"$WORK/ct-token"
printf '{"AccessKeyId":"ASIAE2ECT","SecretAccessKey":"e2e-secret-SECRET","Token":"e2e-session-SECRET","Expiration":"%s"}' \
	"$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" >"$WORK/ct.json"
fake_start "$WORK/ct.log" --reply 500 --reply "200:$WORK/ct.json"
AWS_CONTAINER_CREDENTIALS_FULL_URI="$FAKE_URL/v1/credentials" \
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$WORK/ct-token" \
	timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" --debug "$WORK/ct.trace" tables \
	>"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "container credentials (a 500, then the keys): exit 0 (got $rc)" cli_clean "$rc" 0
check "the tables are listed" grep -q "^${PREFIX}sso " "$WORK/cli.out"
check "the endpoint was asked twice, with the token file's Authorization" \
	test "$(grep -cxF "Authorization: $CT_TOKEN" "$WORK/ct.log")" = 2
check "no token or key in the output, the errors or the trace" \
	no_secrets "$WORK/cli.out" "$WORK/cli.err" "$WORK/ct.trace"
fake_stop
