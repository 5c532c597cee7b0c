#!/usr/bin/env bash
# A role with MFA, end to end: `ddtree --profile mfa-test tables` in a real
# terminal (a tmux pane) asks "Enter MFA code for ...", the code typed there
# goes to a fake STS as SerialNumber + TokenCode, and the role's credentials
# land in the AWS CLI's cache (~/.aws/cli/cache/SHA1.json, mode 0600).  The
# next start, without a terminal, asks nothing and uses the cache; without
# the cache and without a terminal ddtree says a code is needed; an entry
# the AWS CLI wrote is used as it is.
#
# The fake STS is tests/tools/fakehttp on 127.0.0.1 (AWS_ENDPOINT_URL_STS);
# nothing else is contacted.  No key or token may show in the output, the
# errors, the screen or the --debug trace.
# e2e: no-compat: about credentials: DynamoDB Local only answers `tables`
. "$(dirname "$0")/lib.sh"
plan 20

SERIAL="arn:aws:iam::111122223333:mfa/e2e"
ROLE="arn:aws:iam::111122223333:role/Admin"
BASE_SK="e2e-base-SECRET-$$"
trap 'fake_stop; t_cleanup' EXIT
no_secrets() { ! grep -qF -e "$BASE_SK" -e e2e-mfa-role-SECRET -e e2e-mfa-session-SECRET "$@"; }

make_table "${PREFIX}mfa" || echo "# make_table failed"
mkdir -p "$HOME/.aws"
cat >"$HOME/.aws/config" <<CFG
[profile mfa-test]
role_arn = $ROLE
source_profile = base
mfa_serial = $SERIAL

[profile cli-test]
role_arn = arn:aws:iam::111122223333:role/Other
source_profile = base
mfa_serial = $SERIAL
CFG
printf '[base]\naws_access_key_id = AKIDE2EBASE\naws_secret_access_key = %s\n' "$BASE_SK" \
	>"$HOME/.aws/credentials"
printf '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAE2EMFA</AccessKeyId><SecretAccessKey>e2e-mfa-role-SECRET</SecretAccessKey><SessionToken>e2e-mfa-session-SECRET</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/Admin/s</Arn><AssumedRoleId>AROAE2E:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>\n' \
	"$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" >"$WORK/role.xml"
# the AWS CLI's key: sha1 of json.dumps({"RoleArn": ..., "SerialNumber": ...}, sort_keys=True)
key=$(printf '{"RoleArn": "%s", "SerialNumber": "%s"}' "$ROLE" "$SERIAL" | sha1sum | cut -d' ' -f1)
cache="$HOME/.aws/cli/cache/$key.json"

fake_start "$WORK/sts.log" --reply "200:$WORK/role.xml"
check "the fake STS listens on loopback" contains "$FAKE_URL" "http://127.0.0.1:"

# ---- in a terminal: the prompt, the code, the cache -------------------------
cat >"$WORK/run.sh" <<RUN
#!/bin/sh
AWS_ENDPOINT_URL_STS=$FAKE_URL AWS_EC2_METADATA_DISABLED=true \\
	"$DDTREE_BIN" --endpoint-url "$E" --profile mfa-test --debug "$WORK/mfa.trace" tables \\
	>"$WORK/tty.out" 2>"$WORK/tty.err"
echo \$? >"$WORK/tty.rc"
RUN
chmod +x "$WORK/run.sh"
tmux_start 120 10 "$WORK/run.sh"
if tmux_wait "Enter MFA code for $SERIAL:" 20; then
	ok "in a terminal, ddtree asks for the MFA code, naming the device"
else
	not_ok "in a terminal, ddtree asks for the MFA code, naming the device" \
		"$(tmux_screen | sed 's/^/screen: /')"
fi
tmux_keys "123456" Enter
for i in $(seq 1 100); do [ -s "$WORK/tty.rc" ] && break; sleep 0.1; done
check "ddtree --profile mfa-test tables: exit 0 (got $(cat "$WORK/tty.rc" 2>/dev/null))" \
	test "$(cat "$WORK/tty.rc" 2>/dev/null)" = 0
check "the tables are listed" grep -q "^${PREFIX}mfa " "$WORK/tty.out"
check "STS got SerialNumber and the TokenCode typed" \
	grep -qF "&SerialNumber=arn%3Aaws%3Aiam%3A%3A111122223333%3Amfa%2Fe2e&TokenCode=123456" \
	"$WORK/sts.log"
check "the role's credentials are in the AWS CLI's cache, under the CLI's key" \
	grep -qF '"AccessKeyId":"ASIAE2EMFA"' "$cache"
check "... mode 0600" test "$(stat -c %a "$cache")" = 600
check "... in a directory only you can read (0700)" test "$(stat -c %a "$HOME/.aws/cli/cache")" = 700
check "no key or token in the output, the errors, the screen or the trace" \
	no_secrets "$WORK/tty.out" "$WORK/tty.err" "$WORK/mfa.trace" <(tmux_screen)
tmux -L "$T_TMUX" kill-server 2>/dev/null; T_TMUX=

# ---- the next start: no terminal, no prompt, no STS call ------------------------
n=$(grep -c '^POST ' "$WORK/sts.log")
AWS_ENDPOINT_URL_STS=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" \
	--profile mfa-test tables </dev/null >"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "the next start uses the cache: exit 0 (got $rc), without a terminal" cli_clean "$rc" 0
check "the tables are listed" grep -q "^${PREFIX}mfa " "$WORK/cli.out"
check "STS was not asked again" test "$(grep -c '^POST ' "$WORK/sts.log")" = "$n"

# ---- no cache, no terminal: a clear error ----------------------------------------
rm -f "$cache"
AWS_ENDPOINT_URL_STS=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" \
	--profile mfa-test tables </dev/null >"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "without a cache or a terminal: exit 3 (got $rc)" test "$rc" = 3
check "the error names the profile and says an MFA code is needed" \
	grep -qF "profile mfa-test assumes role $ROLE with MFA (mfa_serial = $SERIAL): an MFA code is needed, and there is no terminal to ask for it on (stdin is not a terminal)" \
	"$WORK/cli.err"
check "STS was not asked" test "$(grep -c '^POST ' "$WORK/sts.log")" = "$n"
cat >"$WORK/script" <<'SCRIPT'
q
SCRIPT
AWS_ENDPOINT_URL_STS=$FAKE_URL run_script 80x10 "$WORK/script" --profile mfa-test \
	>"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "the scripted browser: exit 3 (got $rc), before it starts" test "$rc" = 3
check "... saying why no code can be asked" grep -qF "(DDTREE_SCRIPT is set)" "$WORK/cli.err"

# ---- an entry the AWS CLI wrote ---------------------------------------------------
key2=$(printf '{"RoleArn": "%s", "SerialNumber": "%s"}' arn:aws:iam::111122223333:role/Other "$SERIAL" |
	sha1sum | cut -d' ' -f1)
printf '{"Credentials": {"AccessKeyId": "ASIAE2ECLI", "SecretAccessKey": "e2e-mfa-role-SECRET", "SessionToken": "e2e-mfa-session-SECRET", "Expiration": "%s"}, "AssumedRoleUser": {"AssumedRoleId": "AROAE2E:s", "Arn": "arn:aws:sts::111122223333:assumed-role/Other/s"}, "ResponseMetadata": {"RequestId": "r", "HTTPStatusCode": 200}}' \
	"$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SUTC)" >"$HOME/.aws/cli/cache/$key2.json"
AWS_ENDPOINT_URL_STS=$FAKE_URL timeout -k 5 60 "$DDTREE_BIN" --endpoint-url "$E" \
	--profile cli-test --debug "$WORK/cli.trace" tables </dev/null >"$WORK/cli.out" 2>"$WORK/cli.err"
rc=$?
check "an entry the AWS CLI cached is used: exit 0 (got $rc)" cli_clean "$rc" 0
check "STS was not asked" test "$(grep -c '^POST ' "$WORK/sts.log")" = "$n"
check "no key or token in the output, the errors or the trace" \
	no_secrets "$WORK/cli.out" "$WORK/cli.err" "$WORK/cli.trace"
fake_stop
