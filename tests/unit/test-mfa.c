/* tests/unit/test-mfa.c: roles with MFA (aws/mfa.c, the mfa_serial side of
 * aws/sts.c) and the AWS CLI's cache of assumed-role credentials
 * (aws/clicache.c).
 *
 * STS is tests/tools/fakehttp.c on a thread of this process, bound to
 * 127.0.0.1 and reached through AWS_ENDPOINT_URL_STS.  The terminal is
 * played by aws_mfa_set_prompt's hook (tests/e2e/e2e-mfa.sh types into a
 * real one, in tmux).  The cache is HOME/.aws/cli/cache in a fresh
 * temporary HOME; every AWS_* variable is cleared and
 * AWS_EC2_METADATA_DISABLED is set before each test
 * (tests/unit/fixture-aws.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "aws/clicache.h"
#include "aws/config.h"
#include "aws/mfa.h"
#include "aws/sts.h"
#include "tests/unit/fixture-aws.h"

/* Secrets the tests plant; no message may ever contain them. */
#define BASE_AK "AKIDBASE0001"
#define BASE_SK "base-secret-SECRET"
#define ROLE_AK "ASIAMFAROLE0001"
#define ROLE_SK "mfa-role-secret-SECRET"
#define ROLE_TOK "mfa-role-token-SECRET"
#define CODE "123456"
#define STS_XML(ak, exp) \
	"<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n" \
	"  <AssumeRoleResult>\n    <Credentials>\n" \
	"      <AccessKeyId>" ak "</AccessKeyId>\n" \
	"      <SecretAccessKey>" ROLE_SK "</SecretAccessKey>\n" \
	"      <SessionToken>" ROLE_TOK "</SessionToken>\n" \
	"      <Expiration>" exp "</Expiration>\n    </Credentials>\n" \
	"    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/x/s</Arn>" \
	"<AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>\n" \
	"  </AssumeRoleResult>\n</AssumeRoleResponse>\n"
#define ROLE_XML STS_XML(ROLE_AK, "2030-01-01T00:00:00Z")
#define T2030 1893456000   /* 2030-01-01T00:00:00Z */
#define SERIAL "arn:aws:iam::1:mfa/me"
#define CONFIG \
	"[profile mfa]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n" \
	"mfa_serial = " SERIAL "\n" \
	"[profile chainmfa]\nrole_arn = arn:aws:iam::1:role/y\nsource_profile = mfa\n" \
	"[profile plain]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n"
#define CREDENTIALS "[base]\naws_access_key_id = " BASE_AK "\n" \
	"aws_secret_access_key = " BASE_SK "\n"
/* json.dumps({"RoleArn": ..., "SerialNumber": ...}, sort_keys=True) | sha1 */
#define KEY_MFA "3a85300ea4056414c8f46680108fd8b43b830e4e"
/* json.dumps({"RoleArn": "arn:aws:iam::1:role/x"}) | sha1 */
#define KEY_PLAIN "4822f6991251fc6fb078b9e88b03e52c9e3ff12d"

static const char *const secrets[] = { BASE_SK, ROLE_SK, ROLE_TOK, CODE, NULL };

/* The terminal: the answers to give, in order (then "no answer"), and the
 * prompts seen. */
static struct {
	const char *answers[4];
	int asked;
	char prompt[256];
} tty;

static int fake_tty(const char *prompt, char *buf, size_t cap, void *ud)
{
	(void)ud;
	snprintf(tty.prompt, sizeof tty.prompt, "%s", prompt);
	if (tty.asked >= 4 || !tty.answers[tty.asked]) {
		tty.asked++;
		return -1;
	}
	snprintf(buf, cap, "%s", tty.answers[tty.asked++]);
	return 0;
}

static int group_setup(void **state)
{
	fx_secrets = secrets;
	aws_mfa_set_prompt(fake_tty, NULL);
	return fx_group_setup("mfa");
}

static int group_teardown(void **state)
{
	aws_mfa_set_prompt(NULL, NULL);
	fx_group_teardown();
	return 0;
}

static int test_setup(void **state)
{
	fx_test_setup();
	fx_set_files(CONFIG, CREDENTIALS);
	memset(&tty, 0, sizeof tty);
	tty.answers[0] = CODE;
	return 0;
}

static int test_teardown(void **state)
{
	fx_clear_aws_env();
	return 0;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)

/* aws_mfa_prepare, which must succeed (a terminal when no_terminal is
 * NULL). */
static void prepare_ok(struct aws_conf *c, time_t now, const char *no_terminal)
{
	char *err = NULL;
	int rc = aws_mfa_prepare(c->creds, now, no_terminal, &err);

	if (rc != 0)
		print_error("# unexpected error: %s\n", err);
	assert_int_equal(rc, 0);
	assert_null(err);
}

/* aws_mfa_prepare, which must fail with a message that holds no secret. */
static char *prepare_err(struct aws_conf *c, time_t now, const char *no_terminal)
{
	char *err = NULL;

	assert_int_equal(aws_mfa_prepare(c->creds, now, no_terminal, &err), -1);
	assert_non_null(err);
	fx_assert_no_secret(err);
	return err;
}

/* The cache entry for key hex (malloc'd path). */
static char *entry(const char *hex)
{
	char rel[128];

	snprintf(rel, sizeof rel, ".aws/cli/cache/%s.json", hex);
	return fx_path(rel);
}

/* ---- the cache key ------------------------------------------------------ */

/* The keys botocore computes (json.dumps(args, sort_keys=True), SHA-1),
 * checked against Python. */
static void cache_key(void **state)
{
	struct aws_clicache_args a = { .role_arn = "arn:aws:iam::1:role/x", .serial = SERIAL };
	char hex[41], *p;

	assert_int_equal(aws_clicache_key(&a, hex), 0);
	assert_string_equal(hex, KEY_MFA);
	a.serial = NULL;
	assert_int_equal(aws_clicache_key(&a, hex), 0);
	assert_string_equal(hex, KEY_PLAIN);
	/* every argument, and Python's escapes: " \ newline tab, a control
	 * character, é, €, and an emoji as a surrogate pair */
	a = (struct aws_clicache_args){
		.role_arn = "arn:aws:iam::1:role/x", .serial = SERIAL, .external_id = "ext",
		.session_name = "s\"\\\n\t\x01\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", .duration = 3600,
	};
	assert_int_equal(aws_clicache_key(&a, hex), 0);
	assert_string_equal(hex, "5d160112cce538b291c1634f1dd0f11b9099b3cc");
	/* not UTF-8: no key (botocore could not have read it either) */
	a.session_name = "s\xff";
	assert_int_equal(aws_clicache_key(&a, hex), -1);
	a.session_name = "\xc0\xaf";                      /* overlong */
	assert_int_equal(aws_clicache_key(&a, hex), -1);
	p = aws_clicache_path("/home/u", KEY_MFA);
	assert_string_equal(p, "/home/u/.aws/cli/cache/" KEY_MFA ".json");
	free(p);
}

/* ---- the prompt, the call, the cache ------------------------------------ */

static void prompt_and_cache(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	struct stat st;
	char *log, *path = entry(KEY_MFA), *text, *dir = fx_path(".aws/cli/cache");

	fx_resolve("mfa", &c);
	assert_true(aws_cred_chain_interactive(c.creds));
	prepare_ok(&c, 1800000000, NULL);
	assert_int_equal(tty.asked, 1);
	assert_string_equal(tty.prompt, "Enter MFA code for " SERIAL ": ");
	assert_int_equal(fakehttp_requests(s), 1);
	log = fx_read_log();
	fx_assert_contains(log, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam"
	                   "%3A%3A1%3Arole%2Fx&RoleSessionName=botocore-session-");
	fx_assert_contains(log, "&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fme"
	                   "&TokenCode=" CODE "\n");
	fx_assert_contains(log, "Credential=" BASE_AK "/");
	free(log);

	/* the chain holds them: no second prompt, no second call */
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	assert_string_equal(cr.source, "assume role (profile mfa)");
	aws_credentials_free(&cr);
	assert_int_equal(tty.asked, 1);
	assert_int_equal(fakehttp_requests(s), 1);
	aws_conf_free(&c);

	/* the AWS CLI's cache: its key, mode 0600 in a 0700 directory */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	text = fx_read_path(path);
	fx_assert_contains(text, "\"Credentials\":{\"AccessKeyId\":\"" ROLE_AK "\"");
	fx_assert_contains(text, "\"SecretAccessKey\":\"" ROLE_SK "\"");
	fx_assert_contains(text, "\"SessionToken\":\"" ROLE_TOK "\"");
	fx_assert_contains(text, "\"Expiration\":\"2030-01-01T00:00:00Z\"");
	fx_assert_contains(text, "\"AssumedRoleUser\":{\"Arn\":\"arn:aws:sts::1:assumed-role/x/s\","
	                   "\"AssumedRoleId\":\"AROAEXAMPLE:s\"}");
	assert_null(strstr(text, CODE));
	free(text);

	/* the next start within the session: no prompt, no call */
	fx_resolve("mfa", &c);
	prepare_ok(&c, 1800000000, NULL);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	assert_int_equal(cr.expiration, T2030);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(tty.asked, 1);
	assert_int_equal(fakehttp_requests(s), 1);
	/* ...even without a terminal */
	fx_resolve("mfa", &c);
	prepare_ok(&c, 1800000000, "stdin is not a terminal");
	aws_conf_free(&c);
	assert_int_equal(tty.asked, 1);

	/* a start when less than the CLI's window (15 min) is left: asked again */
	tty.answers[1] = "654321";
	fx_resolve("mfa", &c);
	prepare_ok(&c, T2030 - AWS_CLICACHE_WINDOW + 60, NULL);
	aws_conf_free(&c);
	assert_int_equal(tty.asked, 2);
	assert_int_equal(fakehttp_requests(s), 2);
	free(path);
	free(dir);
	fakehttp_stop(s);
}

/* What the CLI left is used: its format ("...UTC", ResponseMetadata), for
 * a role with MFA and one without. */
static void cli_entries_reused(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	char *mfa = entry(KEY_MFA), *plain = entry(KEY_PLAIN);
	static const char cli[] =
		"{\"Credentials\": {\"AccessKeyId\": \"ASIAFROMCLI\", \"SecretAccessKey\": "
		"\"cli-SECRET\", \"SessionToken\": \"cli-token-SECRET\", \"Expiration\": "
		"\"2030-01-01T00:00:00UTC\"}, \"AssumedRoleUser\": {\"AssumedRoleId\": \"AROA:s\", "
		"\"Arn\": \"arn:aws:sts::1:assumed-role/x/s\"}, \"ResponseMetadata\": "
		"{\"RequestId\": \"r\", \"HTTPStatusCode\": 200, \"RetryAttempts\": 0}}";

	fx_mkdir(".aws/cli");
	fx_mkdir(".aws/cli/cache");
	fx_write_path(mfa, cli, 0600);
	fx_write_path(plain, cli, 0600);
	fx_resolve("mfa", &c);
	prepare_ok(&c, 1800000000, "DDTREE_SCRIPT is set");
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, "ASIAFROMCLI");
	assert_string_equal(cr.session_token, "cli-token-SECRET");
	assert_int_equal(cr.expiration, T2030);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	fx_resolve("plain", &c);
	prepare_ok(&c, 1800000000, NULL);        /* nothing to ask: nothing fetched */
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, "ASIAFROMCLI");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(tty.asked, 0);
	assert_int_equal(fakehttp_requests(s), 0);

	/* a bad entry counts as none, as in the CLI; a role without MFA writes none */
	fx_write_path(plain, "{\"Credentials\": {\"AccessKeyId\": \"A\"}}", 0600);
	fx_resolve("plain", &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 1);
	char *text = fx_read_path(plain);
	assert_string_equal(text, "{\"Credentials\": {\"AccessKeyId\": \"A\"}}");
	free(text);
	free(mfa);
	free(plain);
	fakehttp_stop(s);
}

/* ---- no code to be had ---------------------------------------------------- */

static void no_terminal(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	char *err;

	fx_resolve("mfa", &c);
	err = prepare_err(&c, 1000, "stdin is not a terminal");
	fx_assert_contains(err, "profile mfa assumes role arn:aws:iam::1:role/x with MFA "
	                   "(mfa_serial = " SERIAL "): an MFA code is needed, and there is no "
	                   "terminal to ask for it on (stdin is not a terminal)");
	fx_assert_contains(err, "aws sts get-caller-identity --profile mfa");
	free(err);
	aws_conf_free(&c);
	/* a role further down the chain, the same */
	fx_resolve("chainmfa", &c);
	assert_true(aws_cred_chain_interactive(c.creds));
	err = prepare_err(&c, 1000, "DDTREE_SCRIPT is set");
	fx_assert_contains(err, "profile mfa assumes role");
	fx_assert_contains(err, "(DDTREE_SCRIPT is set)");
	free(err);
	aws_conf_free(&c);
	assert_int_equal(tty.asked, 0);
	assert_int_equal(fakehttp_requests(s), 0);
	fakehttp_stop(s);
}

/* After the start, no prompt: the cached credentials serve while they are
 * valid at all, then the error says to restart. */
static void refresh_without_prompt(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	char *err;

	fx_resolve("mfa", &c);
	prepare_ok(&c, 1800000000, NULL);
	/* inside the chain's refresh margin: fetched again, from the cache */
	fx_creds_ok(&c, T2030 - AWS_CREDS_REFRESH_MARGIN + 10, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	aws_credentials_free(&cr);
	assert_int_equal(tty.asked, 1);
	assert_int_equal(fakehttp_requests(s), 1);
	/* a minute before they expire: no more */
	err = fx_creds_err(&c, T2030 - 30);
	fx_assert_contains(err, "the credentials of role arn:aws:iam::1:role/x (profile mfa) must "
	                   "be fetched again, which needs a new code from MFA device " SERIAL);
	fx_assert_contains(err, "restart ddtree");
	free(err);
	/* and the same without the cache file (a home that could not be written) */
	char *path = entry(KEY_MFA);
	unlink(path);
	free(path);
	err = fx_creds_err(&c, T2030 - AWS_CREDS_REFRESH_MARGIN + 10);
	fx_assert_contains(err, "restart ddtree");
	free(err);
	assert_int_equal(tty.asked, 1);
	assert_int_equal(fakehttp_requests(s), 1);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

/* What the terminal answers. */
static void bad_codes(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	char *err, *log;

	/* two bad codes, then one with spaces around it */
	tty.answers[0] = "12345";
	tty.answers[1] = "abcdef";
	tty.answers[2] = "  " CODE " ";
	fx_resolve("mfa", &c);
	prepare_ok(&c, 1000, NULL);
	assert_int_equal(tty.asked, 3);
	assert_string_equal(tty.prompt, "An MFA code is 6 digits. Enter MFA code for " SERIAL ": ");
	log = fx_read_log();
	fx_assert_contains(log, "&TokenCode=" CODE "\n");
	free(log);
	aws_conf_free(&c);
	unlink(fx_log_path);
	char *path = entry(KEY_MFA);
	unlink(path);
	free(path);

	/* three bad ones */
	memset(&tty, 0, sizeof tty);
	tty.answers[0] = tty.answers[1] = tty.answers[2] = "1234567";
	fx_resolve("mfa", &c);
	err = prepare_err(&c, 1000, NULL);
	fx_assert_contains(err, "no valid MFA code (6 digits) was entered for profile mfa after "
	                   "3 tries");
	free(err);
	aws_conf_free(&c);
	/* no answer at all (end of input) */
	memset(&tty, 0, sizeof tty);
	fx_resolve("mfa", &c);
	err = prepare_err(&c, 1000, NULL);
	fx_assert_contains(err, "no MFA code was entered for profile mfa");
	free(err);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 1);
	fakehttp_stop(s);
}

/* STS refuses the code: its message, and nothing cached. */
static void sts_refuses(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
		  "<Message>MultiFactorAuthentication failed with invalid MFA one time pass code."
		  "</Message></Error></ErrorResponse>", 0 },
	};
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct stat st;
	char *err, *path = entry(KEY_MFA);

	fx_resolve("mfa", &c);
	err = prepare_err(&c, 1000, NULL);
	fx_assert_contains(err, "AccessDenied: MultiFactorAuthentication failed with invalid MFA "
	                   "one time pass code.");
	free(err);
	aws_conf_free(&c);
	assert_int_not_equal(stat(path, &st), 0);
	free(path);
	fakehttp_stop(s);
}

/* Chained roles: the code for the role that has mfa_serial, then the next
 * role signed with what it gave. */
static void chained(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 200, ROLE_XML, 0 }, { 200, STS_XML("ASIAOUTER", "2030-01-01T00:00:00Z"), 0 },
	};
	struct fakehttp *s = fx_serve_sts(plan, 2);
	struct aws_conf c;
	struct aws_credentials cr;
	char *log;

	fx_resolve("chainmfa", &c);
	prepare_ok(&c, 1000, NULL);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "ASIAOUTER");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(tty.asked, 1);
	assert_int_equal(fakehttp_requests(s), 2);
	log = fx_read_log();
	fx_assert_contains(log, "&TokenCode=" CODE "\n");
	fx_assert_contains(log, "Credential=" ROLE_AK "/");
	free(log);
	fakehttp_stop(s);
}

/* Nothing to ask: the environment's keys come first; a chain without MFA
 * stays lazy. */
static void nothing_to_ask(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;

	setenv("AWS_PROFILE", "mfa", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	fx_resolve(NULL, &c);
	prepare_ok(&c, 1000, NULL);
	aws_conf_free(&c);
	unsetenv("AWS_PROFILE");
	fx_resolve("plain", &c);
	assert_false(aws_cred_chain_interactive(c.creds));
	prepare_ok(&c, 1000, "stdin is not a terminal");
	aws_conf_free(&c);
	assert_int_equal(tty.asked, 0);
	assert_int_equal(fakehttp_requests(s), 0);
	fakehttp_stop(s);
}

/* The cache's reader and writer directly. */
static void cache_files(void **state)
{
	struct aws_credentials cr = { .access_key_id = "A", .secret_access_key = "S",
	                              .session_token = "T", .expiration = T2030 };
	struct aws_credentials got;
	char *path = fx_path("deep/er/k.json"), *err = NULL;

	assert_int_equal(aws_clicache_store(path, &cr, NULL, NULL, &err), 0);
	assert_int_equal(aws_clicache_load(path, T2030 - 1000, 900, &got), 1);
	assert_string_equal(got.secret_access_key, "S");
	aws_credentials_free(&got);
	assert_int_equal(aws_clicache_load(path, T2030 - 800, 900, &got), 0);
	assert_null(got.access_key_id);
	assert_int_equal(aws_clicache_load(NULL, 0, 0, &got), 0);
	/* keys without a session token are not cached */
	cr.session_token = NULL;
	assert_int_equal(aws_clicache_store(path, &cr, NULL, NULL, &err), -1);
	free(err);
	free(path);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		TEST(cache_key),
		TEST(prompt_and_cache),
		TEST(cli_entries_reused),
		TEST(no_terminal),
		TEST(refresh_without_prompt),
		TEST(bad_codes),
		TEST(sts_refuses),
		TEST(chained),
		TEST(nothing_to_ask),
		TEST(cache_files),
	};

	return cmocka_run_group_tests_name("mfa", tests, group_setup, group_teardown);
}
