#!/usr/bin/env bash
# Assume role and web identity, end to end: `ddtree --profile role-test
# tables` against DynamoDB Local with the keys a fake STS hands out for a
# role whose source_profile holds static keys, an STS refusal (AccessDenied),
# and web identity from AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN.  The fake
# STS is tests/tools/fakehttp on 127.0.0.1, reached through
# AWS_ENDPOINT_URL_STS; nothing else is ever contacted.  No key, token or
# web identity token may show in the output, the errors or the --debug trace.
# e2e: no-compat: about credentials: DynamoDB Local only answers `tables`
. "$(dirname "$0")/lib.sh"
plan 16

BASE_SK="e2e-base-SECRET-$$"
WI_TOKEN="e2e-jwt.SECRET+$$/x="
trap 'fake_stop; t_cleanup' EXIT
# no_secrets FILE...: none of the planted secrets is in the files
no_secrets() {
	! grep -qF -e "$BASE_SK" -e e2e-role-SECRET -e e2e-session-SECRET -e "$WI_TOKEN" \
		-e "e2e-jwt.SECRET" "$@"
}
# sts_reply RESULT FILE: an STS reply with the role's keys, valid for an hour
sts_reply() {
	printf '<%sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%sResult><Credentials><AccessKeyId>ASIAE2EROLE</AccessKeyId><SecretAccessKey>e2e-role-SECRET&amp;x</SecretAccessKey><SessionToken>e2e-session-SECRET</SessionToken><Expiration>%s</Expiration></Credentials></%sResult></%sResponse>\n' \
		"$1" "$1" "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" "$1" "$1" >"$2"
}

make_table "${PREFIX}sts" || echo "# make_table failed"

# ---- assume role with a source_profile ----------------------------------------
mkdir -p "$HOME/.aws"
cat >"$HOME/.aws/config" <<'CFG'
[profile role-test]
role_arn = arn:aws:iam::111122223333:role/ReadOnly
source_profile = base
role_session_name = e2e
CFG
printf '[base]\naws_access_key_id = AKIDE2EBASE\naws_secret_access_key = %s\n' "$BASE_SK" \
	>"$HOME/.aws/credentials"
sts_reply AssumeRole "$WORK/role.xml"

fake_start "$WORK/sts.log" --reply "200:$WORK/role.xml"
check "the fake STS listens on loopback" contains "$FAKE_URL" "http://127.0.0.1:"
AWS_ENDPOINT_URL_STS=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" \
	--profile role-test --debug "$WORK/role.trace" tables >"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "ddtree --profile role-test tables: exit 0 (got $rc), no sanitizer report" cli_clean "$rc" 0
check "the tables are listed" grep -q "^${PREFIX}sts " "$WORK/cli.out"
check "STS was asked once, with the AssumeRole form" \
	grep -qxF "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FReadOnly&RoleSessionName=e2e" \
	"$WORK/sts.log"
check "signed for sts with the source profile's key" \
	grep -qE "^Authorization: AWS4-HMAC-SHA256 Credential=AKIDE2EBASE/[0-9]{8}/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$" \
	"$WORK/sts.log"
check "the DynamoDB requests carry the role's session token (redacted in the trace)" \
	grep -qF "X-Amz-Security-Token: [redacted]" "$WORK/role.trace"
check "nothing of the STS call in the trace" \
	sh -c "! grep -qF -e AssumeRole -e '$FAKE_URL' '$WORK/role.trace'"
check "no key or token in the output, the errors or the trace" \
	no_secrets "$WORK/cli.out" "$WORK/cli.err" "$WORK/role.trace"
fake_stop

# ---- STS refuses ---------------------------------------------------------------
printf '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::111122223333:user/e2e is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/ReadOnly</Message></Error><RequestId>1</RequestId></ErrorResponse>' \
	>"$WORK/403.xml"
fake_start "$WORK/sts403.log" --reply "403:$WORK/403.xml"
AWS_ENDPOINT_URL_STS=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" \
	--profile role-test tables >"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "an STS refusal fails (exit $rc)" test "$rc" != 0
check "and shows STS's code and message" \
	grep -qF "AccessDenied: User: arn:aws:iam::111122223333:user/e2e is not authorized" "$WORK/cli.err"
check "no key in the error" no_secrets "$WORK/cli.out" "$WORK/cli.err"
fake_stop

# ---- web identity from the environment -------------------------------------------
rm -f "$HOME/.aws/config" "$HOME/.aws/credentials"
printf '%s\n' "$WI_TOKEN" >"$WORK/token"
sts_reply AssumeRoleWithWebIdentity "$WORK/wi.xml"
fake_start "$WORK/wi.log" --reply "200:$WORK/wi.xml"
AWS_ENDPOINT_URL_STS=$FAKE_URL AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/token" \
AWS_ROLE_ARN=arn:aws:iam::111122223333:role/ci AWS_ROLE_SESSION_NAME=gh \
	timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" --debug "$WORK/wi.trace" tables \
	>"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "web identity: exit 0 (got $rc), no sanitizer report" cli_clean "$rc" 0
check "the tables are listed" grep -q "^${PREFIX}sts " "$WORK/cli.out"
enc=$(printf %s "$WI_TOKEN" | sed 's/+/%2B/g; s|/|%2F|g; s/=/%3D/g')
check "the token file's contents are the WebIdentityToken" \
	grep -qxF "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fci&RoleSessionName=gh&WebIdentityToken=$enc" \
	"$WORK/wi.log"
check "the call is not signed" sh -c "! grep -qi '^Authorization:' '$WORK/wi.log'"
check "no token or key in the output, the errors or the trace" \
	no_secrets "$WORK/cli.out" "$WORK/cli.err" "$WORK/wi.trace"
fake_stop
