/* tests/unit/test-credfetch.c: the SSO and container credential providers
 * (aws/sso.c, aws/container.c) and their places in the chain (aws/config.c),
 * and the renewal of an SSO token through SSO OIDC.
 *
 * Every request goes to tests/tools/fakehttp.c running on a thread of this
 * process, bound to 127.0.0.1; AWS_ENDPOINT_URL_SSO and
 * AWS_CONTAINER_CREDENTIALS_FULL_URI point at it.  Nothing here ever reaches
 * another address (AWS_ENDPOINT_URL_SSO_OIDC points at it too, for the
 * token's renewal): the forbidden-host cases are refused before any request,
 * and RELATIVE_URI is only turned into a URL, never fetched.  HOME is a fresh
 * temporary directory and every AWS_* variable is cleared before each test
 * (tests/unit/fixture-aws.c, shared with test-config and test-sts).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

#include "aws/config.h"
#include "aws/container.h"
#include "aws/sso.h"
#include "tests/unit/fixture-aws.h"

/* Secrets the tests plant; no message may ever contain them. */
#define BEARER "sso-bearer-SECRET-0123456789"
#define SSO_AK "ASIASSOKEYID0001"
#define SSO_SK "sso-secret-key-SECRET"
#define SSO_TOK "sso-session-token-SECRET"
#define ROLE_JSON(exp_ms) "{\"roleCredentials\":{\"accessKeyId\":\"" SSO_AK "\"," \
	"\"secretAccessKey\":\"" SSO_SK "\",\"sessionToken\":\"" SSO_TOK "\"," \
	"\"expiration\":" exp_ms "}}"
#define CT_TOKEN "container-auth-SECRET-42"
#define CT_JSON "{\"AccessKeyId\":\"ASIACONTAINER01\",\"SecretAccessKey\":\"ct-secret-SECRET\"," \
	"\"Token\":\"ct-token-SECRET\",\"Expiration\":\"2030-01-01T00:00:00Z\"," \
	"\"AccountId\":\"111122223333\"}"

/* ---- helpers ----------------------------------------------------------- */

#define REFRESH "sso-refresh-SECRET-1"
#define CLIENT_ID "sso-client-id-SECRET"
#define CLIENT_SECRET "sso-client-secret-SECRET"
#define NEW_BEARER "sso-new-bearer-SECRET"
#define NEW_REFRESH "sso-new-refresh-SECRET"

static const char *const secrets[] = { BEARER, SSO_SK, SSO_TOK, CT_TOKEN,
                                       "ct-secret-SECRET", "ct-token-SECRET", REFRESH,
                                       CLIENT_ID, CLIENT_SECRET, NEW_BEARER, NEW_REFRESH,
                                       NULL };

static int group_setup(void **state)
{
	fx_secrets = secrets;
	return fx_group_setup("credfetch");
}

static int group_teardown(void **state)
{
	fx_group_teardown();
	return 0;
}

static int test_setup(void **state)
{
	fx_test_setup();
	fx_mkdir(".aws");
	fx_mkdir(".aws/sso");
	fx_mkdir(".aws/sso/cache");
	aws_sso_set_timeout_ms(0);
	aws_container_set_timing(0, 50);
	return 0;
}

static int test_teardown(void **state)
{
	fx_clear_aws_env();
	aws_sso_set_timeout_ms(0);
	aws_container_set_timing(0, 0);
	return 0;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)

/* ---- SSO --------------------------------------------------------------- */

#define SSO_CONFIG \
	"[profile sso-test]\n" \
	"sso_session = my-sso\n" \
	"sso_account_id = 111122223333\n" \
	"sso_role_name = ReadOnly\n" \
	"[sso-session my-sso]\n" \
	"sso_start_url = https://my-sso-portal.awsapps.com/start\n" \
	"sso_region = us-east-1\n" \
	"sso_registration_scopes = sso:account:access\n"
/* printf %s my-sso | sha1sum */
#define MY_SSO_SHA1 "0ad374308c5a4e22f723adf10145eafad7c4031c"
/* printf %s https://my-sso-portal.awsapps.com/start | sha1sum */
#define START_URL_SHA1 "c7aaaf71fcc8777ae2475525ed049d39fe16c484"
#define TOKEN_CACHE(expires) "{\"startUrl\":\"https://my-sso-portal.awsapps.com/start\"," \
	"\"region\":\"us-east-1\",\"accessToken\":\"" BEARER "\",\"expiresAt\":\"" expires "\"}"

static void sso_cache_key(void **state)
{
	char hex[41];

	assert_int_equal(aws_sso_cache_key("my-sso", hex), 0);
	assert_string_equal(hex, MY_SSO_SHA1);
	assert_int_equal(aws_sso_cache_key("https://my-sso-portal.awsapps.com/start", hex), 0);
	assert_string_equal(hex, START_URL_SHA1);
	assert_int_equal(aws_sso_cache_key("", hex), 0);
	assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void sso_new_style(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_JSON("1900000000000"), 0 } };
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	char *log;

	fx_write(".aws/config", SSO_CONFIG);
	fx_write(".aws/sso/cache/" MY_SSO_SHA1 ".json", TOKEN_CACHE("2100-01-01T00:00:00Z"));
	setenv("AWS_ENDPOINT_URL_SSO", fakehttp_url(s), 1);
	fx_resolve("sso-test", &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, SSO_AK);
	assert_string_equal(cr.secret_access_key, SSO_SK);
	assert_string_equal(cr.session_token, SSO_TOK);
	assert_int_equal(cr.expiration, 1900000000);   /* epoch ms / 1000 */
	assert_string_equal(cr.source, "SSO (profile sso-test)");
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 1);

	log = fx_read_log();
	fx_assert_contains(log, "GET /federation/credentials?account_id=111122223333"
	                   "&role_name=ReadOnly HTTP/1.1\n");
	fx_assert_contains(log, "\nx-amz-sso_bearer_token: " BEARER "\n");
	assert_null(strstr(log, "Authorization"));    /* unsigned */
	free(log);

	/* cached until the refresh margin, then fetched again */
	fx_creds_ok(&c, 1900000000 - AWS_CREDS_REFRESH_MARGIN - 10, &cr);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 1);
	fx_creds_ok(&c, 1900000000 - 60, &cr);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 2);
	/* and after ExpiredTokenException */
	aws_creds_invalidate(c.creds);
	fx_creds_ok(&c, 1800000000, &cr);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 3);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

static void sso_legacy(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_JSON("1900000000123"), 0 } };
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	char *log;

	fx_write(".aws/config", "[default]\n"
	         "sso_start_url = https://my-sso-portal.awsapps.com/start\n"
	         "sso_region = eu-west-1\n"
	         "sso_account_id = 444455556666\n"
	         "sso_role_name = Admin+Ops@x\n");
	/* an older CLI's expiresAt */
	fx_write(".aws/sso/cache/" START_URL_SHA1 ".json", TOKEN_CACHE("2100-01-01T00:00:00UTC"));
	setenv("AWS_ENDPOINT_URL_SSO", fakehttp_url(s), 1);
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, SSO_AK);
	assert_int_equal(cr.expiration, 1900000000);
	assert_string_equal(cr.source, "SSO (profile default)");
	aws_credentials_free(&cr);
	log = fx_read_log();
	fx_assert_contains(log, "GET /federation/credentials?account_id=444455556666"
	                   "&role_name=Admin%2BOps%40x HTTP/1.1\n");
	fx_assert_contains(log, "\nx-amz-sso_bearer_token: " BEARER "\n");
	free(log);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

static void sso_expired_token(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_JSON("1900000000000"), 0 } };
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf c;
	char *err;

	fx_write(".aws/config", SSO_CONFIG);
	fx_write(".aws/sso/cache/" MY_SSO_SHA1 ".json", TOKEN_CACHE("2026-11-23T12:00:00Z"));
	setenv("AWS_ENDPOINT_URL_SSO", fakehttp_url(s), 1);
	fx_resolve("sso-test", &c);
	err = fx_creds_err(&c, 1900000000);
	fx_assert_contains(err, "expired at 2026-11-23T12:00:00Z");
	fx_assert_contains(err, "run: aws sso login --sso-session my-sso");
	free(err);
	assert_int_equal(fakehttp_requests(s), 0);     /* refused before asking */

	/* no token at all */
	char path[512];
	snprintf(path, sizeof path, "%s/.aws/sso/cache/" MY_SSO_SHA1 ".json", fx_home);
	unlink(path);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "no SSO login found for profile sso-test");
	fx_assert_contains(err, MY_SSO_SHA1 ".json");
	fx_assert_contains(err, "run: aws sso login --sso-session my-sso");
	free(err);

	/* a cache file without a token */
	fx_write(".aws/sso/cache/" MY_SSO_SHA1 ".json", "{\"expiresAt\":\"2100-01-01T00:00:00Z\"}");
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "has no accessToken");
	free(err);
	assert_int_equal(fakehttp_requests(s), 0);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

static void sso_portal_errors(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 403, "{\"message\":\"No access\",\"__type\":\"ForbiddenException\"}", 0 },
		{ 401, "{\"message\":\"Session token not found or invalid\"}", 0 },
		{ 200, "{\"roleCredentials\":{\"accessKeyId\":\"A\"}}", 0 },
		{ 200, "not json " BEARER, 0 },
		{ 500, "", 0 },
		{ 200, ROLE_JSON("1900000000000"), 1500 },
	};
	struct fakehttp *s = fx_serve(plan, sizeof plan / sizeof plan[0]);
	struct aws_conf c;
	char *err, *url;

	fx_write(".aws/config", SSO_CONFIG);
	fx_write(".aws/sso/cache/" MY_SSO_SHA1 ".json", TOKEN_CACHE("2100-01-01T00:00:00Z"));
	setenv("AWS_ENDPOINT_URL_SSO", fakehttp_url(s), 1);
	fx_resolve("sso-test", &c);

	err = fx_creds_err(&c, 1000);             /* 403 */
	fx_assert_contains(err, "HTTP 403");
	fx_assert_contains(err, "expired or was revoked");
	fx_assert_contains(err, "no access to account 111122223333 with role ReadOnly");
	fx_assert_contains(err, "run: aws sso login --sso-session my-sso");
	free(err);
	err = fx_creds_err(&c, 1000);             /* 401 */
	fx_assert_contains(err, "HTTP 401");
	fx_assert_contains(err, "run: aws sso login --sso-session my-sso");
	free(err);
	err = fx_creds_err(&c, 1000);             /* incomplete */
	fx_assert_contains(err, "not the expected JSON");
	free(err);
	err = fx_creds_err(&c, 1000);             /* not JSON, quoting a secret */
	fx_assert_contains(err, "not the expected JSON");
	free(err);
	err = fx_creds_err(&c, 1000);             /* 500 */
	fx_assert_contains(err, "answered HTTP 500");
	fx_assert_contains(err, fakehttp_url(s));
	free(err);
	aws_sso_set_timeout_ms(300);   /* the reply comes after 1.5 s */
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "did not answer within 0.300 s");
	free(err);
	aws_conf_free(&c);
	url = strdup(fakehttp_url(s));
	fakehttp_stop(s);

	/* nobody listens any more */
	setenv("AWS_ENDPOINT_URL_SSO", url, 1);
	fx_resolve("sso-test", &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "cannot reach the SSO portal");
	free(err);
	aws_conf_free(&c);
	free(url);
}

static void sso_misconfigured(void **state)
{
	struct aws_conf c;
	char *err;

	fx_write(".aws/config",
	         "[profile nosection]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = r\n"
	         "[profile norole]\nsso_session = s\nsso_account_id = 1\n"
	         "[profile noregion]\nsso_start_url = https://x/start\nsso_account_id = 1\n"
	         "sso_role_name = r\n"
	         "[profile differs]\nsso_session = s\nsso_start_url = https://other/start\n"
	         "sso_account_id = 1\nsso_role_name = r\n"
	         "[profile ok]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n"
	         "[sso-session s]\nsso_start_url = https://x/start\nsso_region = us-east-1\n");
	fx_resolve("nosection", &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "no [sso-session gone] section");
	free(err);
	aws_conf_free(&c);
	fx_resolve("norole", &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "lacks sso_role_name");
	free(err);
	aws_conf_free(&c);
	fx_resolve("noregion", &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "has sso_start_url but no sso_region");
	free(err);
	aws_conf_free(&c);
	fx_resolve("differs", &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "differs from its [sso-session s]");
	free(err);
	aws_conf_free(&c);

	/* the bearer token never goes over plain http to another machine */
	setenv("AWS_ENDPOINT_URL_SSO", "http://portal.example.invalid", 1);
	fx_resolve("ok", &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "AWS_ENDPOINT_URL_SSO");
	fx_assert_contains(err, "plain http://");
	free(err);
	aws_conf_free(&c);
}

/* SSO sits where botocore tries it: after the environment, before the
 * credentials file. */
static void sso_chain_slot(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_JSON("1900000000000"), 0 } };
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;

	fx_write(".aws/config", SSO_CONFIG);
	fx_write(".aws/credentials", "[sso-test]\naws_access_key_id = AKIDFILE\n"
	         "aws_secret_access_key = s\n");
	fx_write(".aws/sso/cache/" MY_SSO_SHA1 ".json", TOKEN_CACHE("2100-01-01T00:00:00Z"));
	setenv("AWS_ENDPOINT_URL_SSO", fakehttp_url(s), 1);
	fx_resolve("sso-test", &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.source, "SSO (profile sso-test)");
	aws_credentials_free(&cr);
	aws_conf_free(&c);

	/* AWS_PROFILE keeps the environment first */
	setenv("AWS_PROFILE", "sso-test", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "s", 1);
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.source, "environment");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 1);
	fakehttp_stop(s);
}

/* ---- renewing the token (SSO OIDC CreateToken) --------------------------- */

/* A token the CLI cached with what renews it: a refresh token and the
 * client registration. */
#define REFRESHABLE(expires, reg_expires) "{\"startUrl\":\"https://my-sso-portal.awsapps.com/start\"," \
	"\"region\":\"us-east-1\",\"accessToken\":\"" BEARER "\",\"expiresAt\":\"" expires "\"," \
	"\"refreshToken\":\"" REFRESH "\",\"clientId\":\"" CLIENT_ID "\"," \
	"\"clientSecret\":\"" CLIENT_SECRET "\",\"registrationExpiresAt\":\"" reg_expires "\"}"
#define CREATE_TOKEN "{\"accessToken\":\"" NEW_BEARER "\",\"tokenType\":\"Bearer\"," \
	"\"expiresIn\":28800,\"refreshToken\":\"" NEW_REFRESH "\"}"
#define NOW 1800000000      /* 2027-01-15T08:00:00Z */

/* The SSO test profile, its cache holding `cache`, the portal and SSO OIDC
 * both at the fake server s. */
static void sso_setup(struct fakehttp *s, const char *cache, struct aws_conf *c)
{
	fx_write(".aws/config", SSO_CONFIG);
	fx_write(".aws/sso/cache/" MY_SSO_SHA1 ".json", cache);
	setenv("AWS_ENDPOINT_URL_SSO", fakehttp_url(s), 1);
	setenv("AWS_ENDPOINT_URL_SSO_OIDC", fakehttp_url(s), 1);
	fx_resolve("sso-test", c);
}

/* How many times s occurs in hay. */
static int count(const char *hay, const char *s)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

static char *cache_text(void)
{
	char *p = fx_path(".aws/sso/cache/" MY_SSO_SHA1 ".json"), *t = fx_read_path(p);

	free(p);
	return t;
}

/* Less than 15 minutes left (or none): renewed, the cache replaced as the
 * CLI replaces it, the portal asked with the new token. */
static void sso_refresh(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 200, CREATE_TOKEN, 0 }, { 200, ROLE_JSON("1900000000000"), 0 },
	};
	static const char *const cached[] = {
		REFRESHABLE("2027-01-15T08:05:00Z", "2100-01-01T00:00:00Z"),   /* 5 min left */
		REFRESHABLE("2027-01-15T07:59:00Z", "2100-01-01T00:00:00UTC"), /* expired */
	};

	for (size_t i = 0; i < 2; i++) {
		struct fakehttp *s = fx_serve(plan, 2);
		struct aws_conf c;
		struct aws_credentials cr;
		struct stat st;
		char *log, *text, *path = fx_path(".aws/sso/cache/" MY_SSO_SHA1 ".json");
		char *dir = fx_path(".aws/sso/cache");
		DIR *d;
		struct dirent *de;
		int files = 0;

		unlink(fx_log_path);
		sso_setup(s, cached[i], &c);
		fx_creds_ok(&c, NOW, &cr);
		assert_string_equal(cr.access_key_id, SSO_AK);
		aws_credentials_free(&cr);
		aws_conf_free(&c);
		assert_int_equal(fakehttp_requests(s), 2);

		log = fx_read_log();
		fx_assert_contains(log, "POST /token HTTP/1.1\n");
		fx_assert_contains(log, "\nContent-Type: application/json\n");
		fx_assert_contains(log, "{\"clientId\":\"" CLIENT_ID "\",\"clientSecret\":\""
		                   CLIENT_SECRET "\",\"grantType\":\"refresh_token\","
		                   "\"refreshToken\":\"" REFRESH "\"}");
		assert_true(strstr(log, "POST /token") < strstr(log, "GET /federation/credentials"));
		fx_assert_contains(log, "\nx-amz-sso_bearer_token: " NEW_BEARER "\n");
		assert_null(strstr(log, "x-amz-sso_bearer_token: " BEARER "\n"));
		assert_null(strstr(log, "Authorization"));
		free(log);

		/* the new cache: the CLI's fields, mode 0600, nothing else left */
		text = cache_text();
		fx_assert_contains(text, "\"startUrl\":\"https://my-sso-portal.awsapps.com/start\"");
		fx_assert_contains(text, "\"region\":\"us-east-1\"");
		fx_assert_contains(text, "\"accessToken\":\"" NEW_BEARER "\"");
		fx_assert_contains(text, "\"expiresAt\":\"2027-01-15T16:00:00Z\"");   /* NOW + 8 h */
		fx_assert_contains(text, "\"refreshToken\":\"" NEW_REFRESH "\"");
		fx_assert_contains(text, "\"clientId\":\"" CLIENT_ID "\"");
		fx_assert_contains(text, "\"clientSecret\":\"" CLIENT_SECRET "\"");
		fx_assert_contains(text, i == 0 ? "\"registrationExpiresAt\":\"2100-01-01T00:00:00Z\""
		                                : "\"registrationExpiresAt\":\"2100-01-01T00:00:00UTC\"");
		assert_null(strstr(text, REFRESH "\""));
		free(text);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		d = opendir(dir);
		assert_non_null(d);
		while ((de = readdir(d)))
			files += de->d_name[0] != '.' || (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."));
		closedir(d);
		assert_int_equal(files, 1);

		/* the next fetch uses the new token as it is */
		fx_resolve("sso-test", &c);
		fx_creds_ok(&c, NOW, &cr);
		aws_credentials_free(&cr);
		aws_conf_free(&c);
		assert_int_equal(fakehttp_requests(s), 3);
		log = fx_read_log();
		assert_int_equal(count(log, "POST /token "), 1);
		assert_int_equal(count(log, "GET /federation/credentials"), 2);
		assert_int_equal(count(log, "x-amz-sso_bearer_token: " NEW_BEARER "\n"), 2);
		free(log);
		free(path);
		free(dir);
		fakehttp_stop(s);
	}
}

/* Renewal refused: an expired token is an error that says what to run, a
 * token still valid is used as it is; the cache stays as it was. */
static void sso_refresh_refused(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh token "
		  "provided\"}", 0 },
		{ 400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad " REFRESH "\"}", 0 },
		{ 400, "{\"error\":\"invalid_grant\"}", 0 },
		{ 200, ROLE_JSON("1900000000000"), 0 },
	};
	struct fakehttp *s = fx_serve(plan, 4);
	struct aws_conf c;
	struct aws_credentials cr;
	char *err, *text, *log;
	static const char expired[] = REFRESHABLE("2027-01-15T07:59:00Z", "2100-01-01T00:00:00Z");

	sso_setup(s, expired, &c);
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "the SSO session of profile sso-test expired at "
	                   "2027-01-15T07:59:00Z and could not be renewed (SSO OIDC at ");
	fx_assert_contains(err, "refused to renew the token (HTTP 400: invalid_grant: Invalid "
	                   "refresh token provided)): run: aws sso login --sso-session my-sso");
	free(err);
	/* a description that quotes a secret is left out */
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "(HTTP 400: invalid_grant)");
	free(err);
	aws_conf_free(&c);
	text = cache_text();
	assert_string_equal(text, expired);
	free(text);
	assert_int_equal(fakehttp_requests(s), 2);

	/* still valid for 4 minutes: used as it is */
	sso_setup(s, REFRESHABLE("2027-01-15T08:04:00Z", "2100-01-01T00:00:00Z"), &c);
	fx_creds_ok(&c, NOW, &cr);
	assert_string_equal(cr.access_key_id, SSO_AK);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	log = fx_read_log();
	fx_assert_contains(log, "\nx-amz-sso_bearer_token: " BEARER "\n");
	free(log);
	assert_int_equal(fakehttp_requests(s), 4);
	fakehttp_stop(s);
}

/* What renewing takes, and what is not renewed; no request for any. */
static void sso_refresh_impossible(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, CREATE_TOKEN, 0 } };
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf c;
	char *err;

	sso_setup(s, TOKEN_CACHE("2027-01-15T07:59:00Z"), &c);
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "could not be renewed (the cached token has no refreshToken to "
	                   "renew it with): run: aws sso login --sso-session my-sso");
	free(err);
	aws_conf_free(&c);
	sso_setup(s, REFRESHABLE("2027-01-15T07:59:00Z", "2027-01-01T00:00:00Z"), &c);
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "the client registration the token is renewed with expired at "
	                   "2027-01-01T00:00:00Z");
	free(err);
	aws_conf_free(&c);
	sso_setup(s, "{\"accessToken\":\"" BEARER "\",\"expiresAt\":\"2027-01-15T07:59:00Z\","
	          "\"refreshToken\":\"" REFRESH "\"}", &c);
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "no client registration (clientId, clientSecret, "
	                   "registrationExpiresAt)");
	free(err);
	aws_conf_free(&c);

	/* a legacy profile (sso_start_url in the profile) is never renewed, as
	 * in botocore; the login names the profile */
	fx_write(".aws/config", "[profile old]\nsso_start_url = https://my-sso-portal.awsapps.com/start\n"
	         "sso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n");
	fx_write(".aws/sso/cache/" START_URL_SHA1 ".json",
	         REFRESHABLE("2027-01-15T07:59:00Z", "2100-01-01T00:00:00Z"));
	fx_resolve("old", &c);
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "the SSO session of profile old expired at 2027-01-15T07:59:00Z: "
	                   "run: aws sso login --profile old");
	free(err);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 0);
	fakehttp_stop(s);
}

/* SSO OIDC answers nonsense, or not in time. */
static void sso_refresh_errors(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 200, "not json " NEW_BEARER, 0 },
		{ 200, "{\"accessToken\":\"" NEW_BEARER "\"}", 0 },
		{ 200, "{\"accessToken\":\"x\\ny\",\"expiresIn\":3600}", 0 },
		{ 200, CREATE_TOKEN, 1500 },
	};
	struct fakehttp *s = fx_serve(plan, 4);
	struct aws_conf c;
	char *err, *url;

	sso_setup(s, REFRESHABLE("2027-01-15T07:59:00Z", "2100-01-01T00:00:00Z"), &c);
	for (int i = 0; i < 3; i++) {
		err = fx_creds_err(&c, NOW);
		fx_assert_contains(err, "renewed the token, but its reply is not the expected JSON "
		                   "(accessToken, expiresIn)");
		fx_assert_contains(err, "run: aws sso login --sso-session my-sso");
		free(err);
	}
	aws_sso_set_timeout_ms(300);
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "did not answer within 0.300 s");
	free(err);
	aws_conf_free(&c);
	url = strdup(fakehttp_url(s));
	fakehttp_stop(s);
	setenv("AWS_ENDPOINT_URL_SSO_OIDC", url, 1);
	fx_resolve("sso-test", &c);
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "cannot reach SSO OIDC at ");
	free(err);
	aws_conf_free(&c);
	free(url);

	/* the refresh token never goes over plain http to another machine */
	setenv("AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc.example.invalid", 1);
	fx_resolve("sso-test", &c);
	err = fx_creds_err(&c, NOW);
	fx_assert_contains(err, "AWS_ENDPOINT_URL_SSO_OIDC");
	fx_assert_contains(err, "plain http://");
	free(err);
	aws_conf_free(&c);
}

static void sso_parse_reply(void **state)
{
	static const char *const bad[] = {
		"", "[]", "{}", "{\"roleCredentials\":[]}",
		"{\"roleCredentials\":{\"accessKeyId\":\"a\",\"secretAccessKey\":\"b\","
		"\"sessionToken\":\"c\",\"expiration\":\"1900000000000\"}}",
		"{\"roleCredentials\":{\"accessKeyId\":\"a\",\"secretAccessKey\":\"b\","
		"\"sessionToken\":\"c\",\"expiration\":-5}}",
		"{\"roleCredentials\":{\"accessKeyId\":\"\",\"secretAccessKey\":\"b\","
		"\"sessionToken\":\"c\",\"expiration\":1}}",
	};
	struct aws_credentials cr;
	char *err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(aws_sso_parse_reply(bad[i], strlen(bad[i]), &cr, &err), -1);
		fx_assert_contains(err, "not the expected JSON");
		assert_null(cr.access_key_id);
		free(err);
	}
	assert_int_equal(aws_sso_parse_reply(ROLE_JSON("1700000000999"),
	                                     strlen(ROLE_JSON("1700000000999")), &cr, &err), 0);
	assert_int_equal(cr.expiration, 1700000000);
	aws_credentials_free(&cr);
}

/* ---- container --------------------------------------------------------- */

static void container_full_uri(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, CT_JSON, 0 } };
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	char uri[128], tf[512], *log;

	snprintf(uri, sizeof uri, "%s/v1/credentials?role=ci", fakehttp_url(s));
	snprintf(tf, sizeof tf, "%s/token", fx_home);
	fx_write("token", CT_TOKEN);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tf, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "the-file-wins", 1);
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "ASIACONTAINER01");
	assert_string_equal(cr.secret_access_key, "ct-secret-SECRET");
	assert_string_equal(cr.session_token, "ct-token-SECRET");
	assert_int_equal(cr.expiration, 1893456000);    /* 2030-01-01T00:00:00Z */
	assert_string_equal(cr.source, "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI)");
	aws_credentials_free(&cr);
	log = fx_read_log();
	fx_assert_contains(log, "GET /v1/credentials?role=ci HTTP/1.1\n");
	fx_assert_contains(log, "\nAuthorization: " CT_TOKEN "\n");
	assert_null(strstr(log, "the-file-wins"));
	free(log);

	/* the token file is read again at each fetch (EKS rotates it) */
	fx_write("token", "rotated-token");
	aws_creds_invalidate(c.creds);
	fx_creds_ok(&c, 1000, &cr);
	aws_credentials_free(&cr);
	log = fx_read_log();
	fx_assert_contains(log, "\nAuthorization: rotated-token\n");
	free(log);
	aws_conf_free(&c);

	/* the variable when there is no file */
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	aws_credentials_free(&cr);
	log = fx_read_log();
	fx_assert_contains(log, "\nAuthorization: the-file-wins\n");
	free(log);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 3);
	fakehttp_stop(s);
}

static void container_forbidden_host(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, CT_JSON, 0 } };
	static const char *const allowed[] = {
		"http://127.0.0.1:8080/creds", "http://127.9.9.9/creds", "http://localhost/creds",
		"http://[::1]:80/creds", "http://169.254.170.2/v2/creds",
		"http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials",
		"http://[FD00:EC2:0::23]/v1/credentials", "https://creds.example.invalid/x",
		"HTTP://LOCALHOST:1/x",
	};
	static const char *const refused[] = {
		"http://creds.example.invalid/x", "http://169.254.169.254/latest/meta-data",
		"http://10.0.0.1/creds", "http://localhost@creds.example.invalid/x",
		"http://u:p@127.0.0.1/x", "http://127.0.0.1.example.invalid/x",
		"http://[fd00:ec2::24]/x", "ftp://127.0.0.1/x", "file:///etc/passwd",
		"http://169.254.170.2.example.invalid/", "127.0.0.1/creds", "",
		"http://127.0.0.1/x\r\nX: y",
	};
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf c;
	char uri[128], *err;

	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		if (!aws_container_url_allowed(allowed[i]))
			print_error("# refused: %s\n", allowed[i]);
		assert_true(aws_container_url_allowed(allowed[i]));
	}
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		if (aws_container_url_allowed(refused[i]))
			print_error("# allowed: %s\n", refused[i]);
		assert_false(aws_container_url_allowed(refused[i]));
	}

	/* the chain refuses it before any request, even on the fake's port */
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", CT_TOKEN, 1);
	snprintf(uri, sizeof uri, "http://creds.example.invalid:%s/creds",
	         strrchr(fakehttp_url(s), ':') + 1);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
	fx_resolve(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "AWS_CONTAINER_CREDENTIALS_FULL_URI points at creds.example.invalid");
	fx_assert_contains(err, "169.254.170.23");
	free(err);
	aws_conf_free(&c);
	snprintf(uri, sizeof uri, "http://localhost@creds.example.invalid:%s/creds",
	         strrchr(fakehttp_url(s), ':') + 1);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
	fx_resolve(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "user:password@");
	free(err);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 0);
	fakehttp_stop(s);
}

static void container_token_line_break(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, CT_JSON, 0 } };
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf c;
	char uri[128], tf[512], *err;

	snprintf(uri, sizeof uri, "%s/creds", fakehttp_url(s));
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", CT_TOKEN "\r\nX-Injected: 1", 1);
	fx_resolve(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break");
	assert_null(strstr(err, "X-Injected"));
	free(err);
	aws_conf_free(&c);

	snprintf(tf, sizeof tf, "%s/token", fx_home);
	fx_write("token", CT_TOKEN "\n");
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tf, 1);
	fx_resolve(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE contains a line break");
	free(err);
	aws_conf_free(&c);

	unlink(tf);
	fx_resolve(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "does not exist");
	free(err);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 0);
	fakehttp_stop(s);
}

static void container_retries(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 500, "{}", 0 }, { 200, CT_JSON, 0 },
		{ 503, "", 0 }, { 500, "", 0 }, { 429, "", 0 },
		{ 404, "", 0 },
		{ 200, "{\"AccessKeyId\":\"A\"}", 0 },
		{ 200, CT_JSON, 2000 },
	};
	struct fakehttp *s = fx_serve(plan, sizeof plan / sizeof plan[0]);
	struct aws_conf c;
	struct aws_credentials cr;
	char uri[128], *err;

	snprintf(uri, sizeof uri, "%s/creds", fakehttp_url(s));
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);                 /* 500, then 200 */
	assert_string_equal(cr.access_key_id, "ASIACONTAINER01");
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 2);

	aws_creds_invalidate(c.creds);
	err = fx_creds_err(&c, 1000);              /* 503, 500, 429 */
	fx_assert_contains(err, "failed after 3 attempts: HTTP 429");
	fx_assert_contains(err, fakehttp_url(s));
	assert_null(strstr(err, "/creds"));     /* never the path */
	free(err);
	assert_int_equal(fakehttp_requests(s), 5);

	err = fx_creds_err(&c, 1000);              /* 404: not tried again */
	fx_assert_contains(err, "HTTP 404");
	free(err);
	assert_int_equal(fakehttp_requests(s), 6);

	err = fx_creds_err(&c, 1000);              /* incomplete reply */
	fx_assert_contains(err, "no AccessKeyId and SecretAccessKey");
	free(err);
	assert_int_equal(fakehttp_requests(s), 7);

	aws_container_set_timing(200, 10);   /* every reply now comes too late */
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "failed after 3 attempts: no answer within 0.200 s");
	free(err);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

static void container_relative_uri(void **state)
{
	struct aws_container_conf cc;
	char *err = NULL;

	/* only the URL is built: nothing is fetched here */
	assert_int_equal(aws_container_conf_from_env(&cc, NULL, &err), 0);
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc-123", 1);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/ignored", 1);
	assert_int_equal(aws_container_conf_from_env(&cc, NULL, &err), 1);
	assert_string_equal(cc.url, "http://169.254.170.2/v2/credentials/abc-123");
	assert_string_equal(cc.url_source, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	assert_string_equal(cc.base, "http://169.254.170.2");
	assert_true(cc.no_proxy);
	aws_container_conf_free(&cc);

	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/credentials", 1);
	assert_int_equal(aws_container_conf_from_env(&cc, NULL, &err), -1);
	fx_assert_contains(err, "must be a path that starts with /");
	free(err);

	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	assert_int_equal(aws_container_conf_from_env(&cc, "/ca.pem", &err), 1);
	assert_string_equal(cc.url, "http://127.0.0.1:1/ignored");
	assert_string_equal(cc.base, "http://127.0.0.1:1");
	assert_string_equal(cc.ca_bundle, "/ca.pem");
	aws_container_conf_free(&cc);
}

/* Container credentials come after the config file's keys, and are listed
 * last among the sources tried. */
static void container_chain_slot(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, CT_JSON, 0 } };
	struct fakehttp *s = fx_serve(plan, 1);
	struct aws_conf_opts o = { .region = "us-east-1" };
	struct aws_conf c;
	struct aws_credentials cr;
	char uri[128], *err;

	snprintf(uri, sizeof uri, "%s/creds", fakehttp_url(s));
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
	fx_write(".aws/config", "[default]\naws_access_key_id = AKIDCFG\n"
	         "aws_secret_access_key = s\n");
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.source, "config file (profile default)");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 0);
	fakehttp_stop(s);

	/* not set: the last source in the list */
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	fx_write(".aws/config", "[default]\n");
	assert_int_equal(aws_conf_resolve(&o, &c, &err), 0);
	err = fx_creds_err(&c, 1000);
	const char *cfg = strstr(err, "config file ");
	const char *ct = strstr(err, "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, "
	                        "AWS_CONTAINER_CREDENTIALS_FULL_URI): not set");
	assert_non_null(cfg);
	assert_non_null(ct);
	assert_true(cfg < ct);
	free(err);
	aws_conf_free(&c);
}

static void container_parse_reply(void **state)
{
	static const char *const bad[] = {
		"", "[]", "{}", "{\"AccessKeyId\":\"a\"}",
		"{\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"b\",\"Token\":1}",
		"{\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"b\",\"Expiration\":\"soon\"}",
	};
	struct aws_credentials cr;
	char *err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(aws_container_parse_reply(bad[i], strlen(bad[i]), "ct", &cr, &err), -1);
		assert_non_null(err);
		assert_null(cr.access_key_id);
		free(err);
	}
	const char *ok = "{\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"b\"}";
	assert_int_equal(aws_container_parse_reply(ok, strlen(ok), "ct", &cr, &err), 0);
	assert_null(cr.session_token);
	assert_int_equal(cr.expiration, 0);
	aws_credentials_free(&cr);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		TEST(sso_cache_key),
		TEST(sso_new_style),
		TEST(sso_legacy),
		TEST(sso_expired_token),
		TEST(sso_portal_errors),
		TEST(sso_misconfigured),
		TEST(sso_chain_slot),
		TEST(sso_refresh),
		TEST(sso_refresh_refused),
		TEST(sso_refresh_impossible),
		TEST(sso_refresh_errors),
		TEST(sso_parse_reply),
		TEST(container_full_uri),
		TEST(container_forbidden_host),
		TEST(container_token_line_break),
		TEST(container_retries),
		TEST(container_relative_uri),
		TEST(container_chain_slot),
		TEST(container_parse_reply),
	};

	return cmocka_run_group_tests_name("credfetch", tests, group_setup, group_teardown);
}
