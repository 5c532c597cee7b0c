/* tests/unit/test-sts.c: assume role and web identity (aws/sts.c) and their
 * places in the chain (aws/config.c).
 *
 * STS is tests/tools/fakehttp.c running on a thread of this process, bound
 * to 127.0.0.1 and reached through AWS_ENDPOINT_URL_STS; it logs each
 * request's head and body, which the tests read back: the exact form body,
 * the SigV4 Authorization (recomputed here with aws/sigv4 for the logged
 * request), the absence of any signature for web identity.  Nothing here
 * ever reaches another address: every misconfiguration is refused before
 * any request.  HOME is a fresh temporary directory, every AWS_* variable is
 * cleared before each test, AWS_EC2_METADATA_DISABLED is set
 * (tests/unit/fixture-aws.c, shared with test-config and test-credfetch).
 */
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
#include "aws/sigv4.h"
#include "aws/sts.h"
#include "tests/unit/fixture-aws.h"

/* Secrets the tests plant; no message may ever contain them. */
#define BASE_AK "AKIDBASE0001"
#define BASE_SK "base-secret-SECRET"
#define ROLE_AK "ASIAROLE0001"
#define ROLE_SK "role-secret-SECRET"
#define ROLE_TOK "role-token-SECRET"
#define WI_TOKEN "eyJhbGciOi.wi-SECRET+token/x="
#define STS_XML(result, ak, sk, tok, exp) \
	"<" result "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n" \
	"  <" result "Result>\n" \
	"    <Credentials>\n" \
	"      <AccessKeyId>" ak "</AccessKeyId>\n" \
	"      <SecretAccessKey>" sk "</SecretAccessKey>\n" \
	"      <SessionToken>" tok "</SessionToken>\n" \
	"      <Expiration>" exp "</Expiration>\n" \
	"    </Credentials>\n" \
	"    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn>" \
	"<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>\n" \
	"  </" result "Result>\n" \
	"  <ResponseMetadata><RequestId>c6104cbe</RequestId></ResponseMetadata>\n" \
	"</" result "Response>\n"
#define ROLE_XML STS_XML("AssumeRole", ROLE_AK, ROLE_SK, ROLE_TOK, "2030-01-01T00:00:00Z")
#define STS_ERROR(code, msg) \
	"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n" \
	"  <Error>\n    <Type>Sender</Type>\n    <Code>" code "</Code>\n" \
	"    <Message>" msg "</Message>\n  </Error>\n" \
	"  <RequestId>e0bd0fa5</RequestId>\n</ErrorResponse>\n"
#define T2030 1893456000   /* 2030-01-01T00:00:00Z */

/* ---- helpers ----------------------------------------------------------- */

static const char *const secrets[] = { BASE_SK, ROLE_SK, ROLE_TOK, "wi-SECRET",
                                       "b-secret-SECRET", "b-token-SECRET",
                                       "env-secret-SECRET", "ct-secret-SECRET", NULL };

/* One logged request: the head's lines and the body. */
struct req {
	char *head;        /* "POST / HTTP/1.1\nHost: ...\n..." */
	char *body;        /* "" when none */
};

/* The i-th request of the log (0-based); false when there is none. */
static bool log_request(const char *log, int i, struct req *r)
{
	const char *p = log;

	for (int k = 0; *p; k++) {
		const char *he = strstr(p, "\n\n"), *b, *be;
		if (!he)
			return false;
		b = he + 2;
		be = b;
		if (*b && strncmp(b, "POST ", 5) != 0 && strncmp(b, "GET ", 4) != 0) {
			be = strstr(b, "\n\n");
			if (!be)
				be = b + strlen(b);
		}
		if (k == i) {
			r->head = strndup(p, (size_t)(he - p) + 1);
			r->body = strndup(b, (size_t)(be - b));
			return true;
		}
		p = be == b ? b : (*be ? be + 2 : be);
	}
	return false;
}

static void req_free(struct req *r)
{
	free(r->head);
	free(r->body);
}

/* A header's value from a logged head (malloc'd), or NULL. */
static char *header(const struct req *r, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strchr(r->head, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
		if (strncasecmp(p + 1, name, n) == 0 && p[1 + n] == ':') {
			const char *v = p + 2 + n;
			while (*v == ' ')
				v++;
			return strndup(v, strcspn(v, "\n"));
		}
	}
	return NULL;
}

/* The request carries SigV4 for service sts with this key, region and
 * token, and its signature is the one aws/sigv4 computes for it. */
static void assert_signed(const struct req *r, const char *ak, const char *sk,
                          const char *token, const char *region)
{
	char *auth = header(r, "Authorization"), *date = header(r, "X-Amz-Date");
	char *host = header(r, "Host"), *ct = header(r, "Content-Type");
	char *tok = header(r, "X-Amz-Security-Token"), scope[512];
	struct tm tm = { 0 };
	struct aws_sigv4_result sr;

	assert_non_null(auth);
	assert_non_null(date);
	assert_non_null(host);
	assert_non_null(ct);
	assert_string_equal(ct, "application/x-www-form-urlencoded; charset=utf-8");
	snprintf(scope, sizeof scope, "AWS4-HMAC-SHA256 Credential=%s/%.8s/%s/sts/aws4_request, "
	         "SignedHeaders=content-type;host;x-amz-date%s, Signature=", ak, date, region,
	         token ? ";x-amz-security-token" : "");
	if (strncmp(auth, scope, strlen(scope)) != 0)
		print_error("# Authorization \"%s\"\n#   expected \"%s...\"\n", auth, scope);
	assert_int_equal(strncmp(auth, scope, strlen(scope)), 0);
	if (token) {
		assert_non_null(tok);
		assert_string_equal(tok, token);
	} else {
		assert_null(tok);
	}

	/* the signature, as aws/sigv4 computes it for the logged request */
	assert_non_null(strptime(date, "%Y%m%dT%H%M%SZ", &tm));
	struct aws_header sh[] = { { "Content-Type", ct }, { "Host", host } };
	struct aws_sigv4_params sp = { .access_key_id = ak, .secret_access_key = sk,
		.session_token = token, .region = region, .service = "sts", .when = timegm(&tm) };
	struct aws_sigv4_request rq = { .method = "POST", .path = "/", .headers = sh,
		.n_headers = 2, .body = r->body, .body_len = strlen(r->body) };
	assert_int_equal(aws_sigv4_sign(&sp, &rq, &sr), 0);
	assert_string_equal(sr.authorization, auth);
	aws_sigv4_result_free(&sr);
	free(auth);
	free(date);
	free(host);
	free(ct);
	free(tok);
}

static int group_setup(void **state)
{
	fx_secrets = secrets;
	return fx_group_setup("sts");
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
	aws_sts_set_timeout_ms(0);
	return 0;
}

static int test_teardown(void **state)
{
	fx_clear_aws_env();
	aws_sts_set_timeout_ms(0);
	return 0;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)

/* The error for `profile`, with no request made. */
static char *config_err(struct fakehttp *s, const char *profile)
{
	struct aws_conf c;
	char *err;
	int before = fakehttp_requests(s);

	fx_resolve(profile, &c);
	err = fx_creds_err(&c, 1000);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), before);
	return err;
}

#define BASE_CREDENTIALS "[base]\naws_access_key_id = " BASE_AK "\n" \
	"aws_secret_access_key = " BASE_SK "\n"

/* ---- assume role ------------------------------------------------------- */

static void role_source_profile(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 200, STS_XML("AssumeRole", ROLE_AK, "role-secret-SECRET&amp;&lt;&gt;&quot;&apos;",
		               ROLE_TOK "&#47;&#x2B;", "2030-01-01T00:00:00.000Z"), 0 },
	};
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	struct req r;
	char *log;

	fx_write(".aws/config", "[profile role-test]\n"
	         "role_arn = arn:aws:iam::111122223333:role/Read Only\n"
	         "source_profile = base\n"
	         "role_session_name = me@example.com\n"
	         "external_id = ext/1 2\n"
	         "duration_seconds = 1800\n"
	         "[profile base]\nregion = us-west-2\n");
	fx_write(".aws/credentials", BASE_CREDENTIALS);
	setenv("AWS_REGION", "eu-west-1", 1);
	fx_resolve("role-test", &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	assert_string_equal(cr.secret_access_key, "role-secret-SECRET&<>\"'");
	assert_string_equal(cr.session_token, ROLE_TOK "/+");
	assert_int_equal(cr.expiration, T2030);
	assert_string_equal(cr.source, "assume role (profile role-test)");
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 1);

	log = fx_read_log();
	assert_true(log_request(log, 0, &r));
	fx_assert_contains(r.head, "POST / HTTP/1.1\n");
	assert_string_equal(r.body, "Action=AssumeRole&Version=2011-06-15"
	                    "&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FRead%20Only"
	                    "&RoleSessionName=me%40example.com&DurationSeconds=1800"
	                    "&ExternalId=ext%2F1%202");
	/* signed for sts in the resolved region, with the source profile's key */
	assert_signed(&r, BASE_AK, BASE_SK, NULL, "eu-west-1");
	assert_null(strstr(log, BASE_SK));
	req_free(&r);
	free(log);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

/* No region: the global endpoint, signed for us-east-1; the default
 * session name. */
static void role_global_and_defaults(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_sts_conf sc;
	struct aws_conf c;
	struct aws_credentials cr;
	struct req r;
	char *log;

	fx_write(".aws/config", "[default]\nrole_arn = arn:aws:iam::1:role/r\n"
	         "source_profile = base\n");
	fx_write(".aws/credentials", BASE_CREDENTIALS);
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1800000000, &cr);
	aws_credentials_free(&cr);
	log = fx_read_log();
	assert_true(log_request(log, 0, &r));
	assert_string_equal(r.body, "Action=AssumeRole&Version=2011-06-15"
	                    "&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"
	                    "&RoleSessionName=botocore-session-1800000000");
	assert_signed(&r, BASE_AK, BASE_SK, NULL, "us-east-1");
	req_free(&r);
	free(log);
	aws_conf_free(&c);
	fakehttp_stop(s);

	/* the endpoints, without any request */
	assert_int_equal(aws_sts_conf_make(NULL, "eu-west-1", NULL, &sc), 0);
	assert_string_equal(sc.url, "https://sts.eu-west-1.amazonaws.com/");
	assert_string_equal(sc.host, "sts.eu-west-1.amazonaws.com");
	assert_string_equal(sc.region, "eu-west-1");
	assert_false(sc.no_proxy);
	aws_sts_conf_free(&sc);
	assert_int_equal(aws_sts_conf_make(NULL, NULL, "/ca.pem", &sc), 0);
	assert_string_equal(sc.url, "https://sts.amazonaws.com/");
	assert_string_equal(sc.region, "us-east-1");
	assert_string_equal(sc.ca_bundle, "/ca.pem");
	aws_sts_conf_free(&sc);
	assert_int_equal(aws_sts_conf_make(NULL, "cn-north-1", NULL, &sc), 0);
	assert_string_equal(sc.url, "https://sts.cn-north-1.amazonaws.com.cn/");
	aws_sts_conf_free(&sc);
	assert_int_equal(aws_sts_conf_make("http://127.0.0.1:4566", "us-east-1", NULL, &sc), 0);
	assert_string_equal(sc.url, "http://127.0.0.1:4566/");
	assert_string_equal(sc.host, "127.0.0.1:4566");
	assert_string_equal(sc.path, "/");
	assert_true(sc.no_proxy);
	aws_sts_conf_free(&sc);
}

/* a -> b -> base: two AssumeRole calls, the second signed with the
 * credentials the first returned. */
static void role_chained(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 200, STS_XML("AssumeRole", "ASIABROLE01", "b-secret-SECRET", "b-token-SECRET",
		               "2030-01-01T00:00:00Z"), 0 },
		{ 200, ROLE_XML, 0 },
	};
	struct fakehttp *s = fx_serve_sts(plan, 2);
	struct aws_conf c;
	struct aws_credentials cr;
	struct req r1, r2;
	char *log;

	fx_write(".aws/config", "[profile a]\nrole_arn = arn:aws:iam::1:role/A\n"
	         "source_profile = b\n"
	         "[profile b]\nrole_arn = arn:aws:iam::2:role/B\nsource_profile = base\n"
	         "role_session_name = b-session\n");
	fx_write(".aws/credentials", BASE_CREDENTIALS);
	fx_resolve("a", &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	assert_string_equal(cr.source, "assume role (profile a)");
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 2);
	log = fx_read_log();
	assert_true(log_request(log, 0, &r1));
	assert_true(log_request(log, 1, &r2));
	fx_assert_contains(r1.body, "&RoleArn=arn%3Aaws%3Aiam%3A%3A2%3Arole%2FB&RoleSessionName=b-session");
	assert_signed(&r1, BASE_AK, BASE_SK, NULL, "us-east-1");
	fx_assert_contains(r2.body, "&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FA&");
	assert_signed(&r2, "ASIABROLE01", "b-secret-SECRET", "b-token-SECRET", "us-east-1");
	req_free(&r1);
	req_free(&r2);
	free(log);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

static void role_loops(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	struct req r;
	char *err, *log;

	fx_write(".aws/config",
	         "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
	         "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = c\n"
	         "[profile c]\nrole_arn = arn:aws:iam::1:role/C\nsource_profile = a\n"
	         "[profile self]\nrole_arn = arn:aws:iam::1:role/S\nsource_profile = self\n"
	         "[profile selfkeys]\nrole_arn = arn:aws:iam::1:role/K\n"
	         "source_profile = selfkeys\n"
	         "[profile tokeys]\nrole_arn = arn:aws:iam::1:role/T\nsource_profile = selfkeys\n");
	fx_write(".aws/credentials", "[selfkeys]\naws_access_key_id = AKIDSELF\n"
	         "aws_secret_access_key = self-secret\n");
	err = config_err(s, "a");
	fx_assert_contains(err, "make a loop (a -> b -> c -> a)");
	free(err);
	err = config_err(s, "self");
	fx_assert_contains(err, "profile self names itself as source_profile but has no "
	                   "aws_access_key_id");
	free(err);
	assert_int_equal(fakehttp_requests(s), 0);

	/* naming itself is fine with keys of its own: the role wins over them */
	fx_resolve("selfkeys", &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	/* a profile with keys and a role, as a source, gives its keys */
	fx_resolve("tokeys", &c);
	fx_creds_ok(&c, 1800000000, &cr);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 2);
	log = fx_read_log();
	assert_true(log_request(log, 0, &r));
	fx_assert_contains(r.body, "role%2FK&");
	assert_signed(&r, "AKIDSELF", "self-secret", NULL, "us-east-1");
	req_free(&r);
	assert_true(log_request(log, 1, &r));
	fx_assert_contains(r.body, "role%2FT&");
	assert_signed(&r, "AKIDSELF", "self-secret", NULL, "us-east-1");
	req_free(&r);
	free(log);
	fakehttp_stop(s);
}

static void role_misconfigured(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	char *err;

	fx_write(".aws/config",
	         "[profile both]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n"
	         "credential_source = Environment\n"
	         "[profile neither]\nrole_arn = arn:aws:iam::1:role/x\n"
	         "[profile gone]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = nosuch\n"
	         "[profile imds]\nrole_arn = arn:aws:iam::1:role/x\n"
	         "credential_source = Ec2InstanceMetadata\n"
	         "[profile odd]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Laptop\n"
	         "[profile dur]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n"
	         "duration_seconds = 60\n"
	         "[profile empty]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = nokeys\n"
	         "[profile nokeys]\nregion = us-east-1\n"
	         "[profile ok]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n");
	fx_write(".aws/credentials", BASE_CREDENTIALS);

	err = config_err(s, "both");
	fx_assert_contains(err, "profile both has both source_profile and credential_source");
	free(err);
	err = config_err(s, "neither");
	fx_assert_contains(err, "neither source_profile nor credential_source");
	free(err);
	err = config_err(s, "gone");
	fx_assert_contains(err, "source_profile = nosuch, but there is no profile nosuch");
	free(err);
	err = config_err(s, "imds");        /* IMDS is disabled here (tests/unit/test-imds.c) */
	fx_assert_contains(err, "profile imds has credential_source = Ec2InstanceMetadata, but "
	                   "found no credentials there. Tried, in order: EC2 instance metadata "
	                   "(IMDS at http://169.254.169.254): disabled (AWS_EC2_METADATA_DISABLED=true)");
	free(err);
	err = config_err(s, "odd");
	fx_assert_contains(err, "credential_source = Laptop, which is none of");
	free(err);
	err = config_err(s, "dur");
	fx_assert_contains(err, "duration_seconds of profile dur must be");
	free(err);
	err = config_err(s, "empty");
	fx_assert_contains(err, "profile empty's source_profile nokeys has no credentials. Tried");
	fx_assert_contains(err, "credential_process in profile nokeys: not set");
	assert_null(strstr(err, "environment variables"));   /* not for a source profile */
	free(err);

	/* the source keys never go over plain http to another machine */
	setenv("AWS_ENDPOINT_URL_STS", "http://sts.example.invalid", 1);
	err = config_err(s, "ok");
	fx_assert_contains(err, "AWS_ENDPOINT_URL_STS");
	fx_assert_contains(err, "plain http://");
	free(err);
	assert_int_equal(fakehttp_requests(s), 0);
	fakehttp_stop(s);
}

/* credential_source = Environment (even with --profile) and EcsContainer. */
static void role_credential_source(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	static const struct fakehttp_reply ct_plan[] = {
		{ 200, "{\"AccessKeyId\":\"ASIACT01\",\"SecretAccessKey\":\"ct-secret-SECRET\","
		       "\"Token\":\"ct-token\",\"Expiration\":\"2030-01-01T00:00:00Z\"}", 0 },
	};
	struct fakehttp *s = fx_serve_sts(plan, 1), *ct;
	struct aws_conf c;
	struct aws_credentials cr;
	struct req r;
	char ct_log[320], uri[128], *log, *err;

	fx_write(".aws/config",
	         "[profile env]\nrole_arn = arn:aws:iam::1:role/E\ncredential_source = Environment\n"
	         "[profile ecs]\nrole_arn = arn:aws:iam::1:role/C\ncredential_source = EcsContainer\n");
	err = config_err(s, "env");
	fx_assert_contains(err, "profile env has credential_source = Environment, but found no "
	                   "credentials there");
	free(err);

	setenv("AWS_ACCESS_KEY_ID", "AKIDENV01", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-SECRET", 1);
	fx_resolve("env", &c);                    /* --profile env */
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.source, "assume role (profile env)");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	log = fx_read_log();
	assert_true(log_request(log, 0, &r));
	assert_signed(&r, "AKIDENV01", "env-secret-SECRET", NULL, "us-east-1");
	req_free(&r);
	free(log);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");

	snprintf(ct_log, sizeof ct_log, "%s/container.log", fx_home);
	ct = fakehttp_start(ct_plan, 1, ct_log);
	assert_non_null(ct);
	snprintf(uri, sizeof uri, "%s/creds", fakehttp_url(ct));
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
	fx_resolve("ecs", &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(ct), 1);
	log = fx_read_log();
	assert_true(log_request(log, 1, &r));
	assert_signed(&r, "ASIACT01", "ct-secret-SECRET", "ct-token", "us-east-1");
	req_free(&r);
	free(log);
	fakehttp_stop(ct);
	fakehttp_stop(s);
}

static void role_sts_errors(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 403, STS_ERROR("AccessDenied", "User: arn:aws:iam::1:user/me is not authorized "
		                 "to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/x "
		                 "&amp; more"), 0 },
		{ 400, STS_ERROR("ValidationError", "bad " BASE_SK), 0 },
		{ 200, "<html>captive portal</html>", 0 },
		{ 200, STS_XML("AssumeRole", ROLE_AK, ROLE_SK, ROLE_TOK, "soon"), 0 },
		{ 404, "", 0 },
		{ 503, "", 0 }, { 200, ROLE_XML, 0 },
		{ 500, STS_ERROR("InternalFailure", "oops"), 0 },
		{ 500, STS_ERROR("InternalFailure", "oops again"), 0 },
		{ 200, ROLE_XML, 1500 },
	};
	struct fakehttp *s = fx_serve_sts(plan, sizeof plan / sizeof plan[0]);
	struct aws_conf c;
	struct aws_credentials cr;
	char *err, *url;

	fx_write(".aws/config", "[default]\nrole_arn = arn:aws:iam::1:role/x\n"
	         "source_profile = base\n");
	fx_write(".aws/credentials", BASE_CREDENTIALS);
	fx_resolve(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "STS AssumeRole for role arn:aws:iam::1:role/x (profile default) "
	                   "failed (HTTP 403 from http://127.0.0.1:");
	fx_assert_contains(err, "AccessDenied: User: arn:aws:iam::1:user/me is not authorized to "
	                   "perform: sts:AssumeRole on resource: arn:aws:iam::1:role/x & more");
	free(err);
	err = fx_creds_err(&c, 1000);             /* a message that quotes a secret */
	fx_assert_contains(err, "ValidationError: (withheld: it quotes a secret)");
	free(err);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "not the expected XML");
	free(err);
	err = fx_creds_err(&c, 1000);             /* Expiration is not a time */
	fx_assert_contains(err, "not the expected XML");
	free(err);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "answered HTTP 404");
	free(err);
	assert_int_equal(fakehttp_requests(s), 5);
	fx_creds_ok(&c, 1000, &cr);               /* 503, then the keys */
	assert_string_equal(cr.access_key_id, ROLE_AK);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 7);
	aws_creds_invalidate(c.creds);
	err = fx_creds_err(&c, 1000);             /* 500 twice: the last error shown */
	fx_assert_contains(err, "InternalFailure: oops again");
	free(err);
	assert_int_equal(fakehttp_requests(s), 9);
	aws_sts_set_timeout_ms(300);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "failed after 2 attempts at http://127.0.0.1:");
	fx_assert_contains(err, "no answer within 0.300 s");
	free(err);
	aws_conf_free(&c);
	url = strdup(fakehttp_url(s));
	fakehttp_stop(s);

	setenv("AWS_ENDPOINT_URL_STS", url, 1); /* nobody listens any more */
	fx_resolve(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "failed after 2 attempts");
	free(err);
	aws_conf_free(&c);
	free(url);
}

/* The role's credentials are kept until they near their expiration; then
 * the source is resolved anew (credential_process runs again) and the role
 * assumed again. */
static void role_refresh(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, ROLE_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	char cfg[1024], *runs;

	snprintf(cfg, sizeof cfg, "[default]\nrole_arn = arn:aws:iam::1:role/x\n"
	         "source_profile = proc\n"
	         "[profile proc]\ncredential_process = /bin/sh -c 'echo run >> %s/runs; "
	         "echo {\\\"Version\\\":1,\\\"AccessKeyId\\\":\\\"AKIDPROC\\\","
	         "\\\"SecretAccessKey\\\":\\\"proc-secret\\\"}'\n", fx_home);
	fx_write(".aws/config", cfg);
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_int_equal(cr.expiration, T2030);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 1);
	fx_creds_ok(&c, T2030 - AWS_CREDS_REFRESH_MARGIN - 10, &cr);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 1);
	fx_creds_ok(&c, T2030 - 60, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 2);
	snprintf(cfg, sizeof cfg, "%s/runs", fx_home);
	runs = fx_read_path(cfg);
	assert_string_equal(runs, "run\nrun\n");
	free(runs);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

/* ---- the XML scanner --------------------------------------------------- */

static void xml_reply(void **state)
{
	static const char *const bad[] = {
		"", "<x/>", "<AssumeRoleResult></AssumeRoleResult>",
		"<AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials>"
		"</AssumeRoleResult>",
		"<AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>B"
		"</SecretAccessKey><SessionToken>C</SessionToken><Expiration>2030-01-01T00:00:00Z"
		"</Credentials></AssumeRoleResult>",
		"<AssumeRoleResult><Credentials><AccessKeyId>A&bogus;</AccessKeyId><SecretAccessKey>"
		"B</SecretAccessKey><SessionToken>C</SessionToken><Expiration>2030-01-01T00:00:00Z"
		"</Expiration></Credentials></AssumeRoleResult>",
		"<AssumeRoleResult><Credentials><AccessKeyId/><SecretAccessKey>B</SecretAccessKey>"
		"<SessionToken>C</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>"
		"</Credentials></AssumeRoleResult>",
	};
	const char *ok = "<?xml version=\"1.0\"?><AssumeRoleResultX/>"
		"<AssumeRoleResult a=\"1\"><Credentials >\n <AccessKeyId> A1 </AccessKeyId >"
		"<SecretAccessKey>&lt;s&gt;&#65;&#x42;&#xe9;</SecretAccessKey><SessionToken>C"
		"</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
		"</AssumeRoleResult>";
	const char *e = STS_ERROR("Throttling", "Rate &quot;exceeded&quot;\x1b[2J");
	struct aws_credentials cr;
	char *code, *msg, *t;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(aws_sts_parse_reply(bad[i], strlen(bad[i]), "AssumeRoleResult",
		                                     &cr, &code, &msg), -1);
		assert_null(cr.access_key_id);
	}
	assert_int_equal(aws_sts_parse_reply(ok, strlen(ok), "AssumeRoleResult", &cr, &code,
	                                     &msg), 0);
	assert_string_equal(cr.access_key_id, "A1");
	assert_string_equal(cr.secret_access_key, "<s>AB\xc3\xa9");
	assert_int_equal(cr.expiration, T2030);
	aws_credentials_free(&cr);
	assert_int_equal(aws_sts_parse_reply(e, strlen(e), "AssumeRoleResult", &cr, &code, &msg), 1);
	assert_string_equal(code, "Throttling");
	assert_string_equal(msg, "Rate \"exceeded\"?[2J");     /* no escape reaches the screen */
	free(code);
	free(msg);

	t = aws_xml_text("a&amp;b&lt;&gt;&quot;&apos;", 27);
	assert_string_equal(t, "a&b<>\"'");
	free(t);
	assert_null(aws_xml_text("a&amp", 5));
	assert_null(aws_xml_text("a<b", 3));
	assert_null(aws_xml_text("&#0;", 4));
	assert_null(aws_xml_text("&#xD800;", 8));
}

/* ---- web identity ------------------------------------------------------ */

#define WI_XML STS_XML("AssumeRoleWithWebIdentity", ROLE_AK, ROLE_SK, ROLE_TOK, \
                       "2030-01-01T00:00:00Z")

static void wi_environment(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, WI_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	struct req r;
	char tf[512], *log;

	snprintf(tf, sizeof tf, "%s/token", fx_home);
	fx_write("token", WI_TOKEN "\n");
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tf, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/ci", 1);
	setenv("AWS_ROLE_SESSION_NAME", "gh-actions", 1);
	fx_resolve(NULL, &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.access_key_id, ROLE_AK);
	assert_string_equal(cr.session_token, ROLE_TOK);
	assert_int_equal(cr.expiration, T2030);
	assert_string_equal(cr.source, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)");
	aws_credentials_free(&cr);
	log = fx_read_log();
	assert_true(log_request(log, 0, &r));
	fx_assert_contains(r.head, "POST / HTTP/1.1\n");
	fx_assert_contains(r.head, "\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\n");
	assert_null(strstr(r.head, "Authorization"));         /* unsigned */
	assert_null(strstr(r.head, "X-Amz-"));
	assert_string_equal(r.body, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
	                    "&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fci"
	                    "&RoleSessionName=gh-actions"
	                    "&WebIdentityToken=eyJhbGciOi.wi-SECRET%2Btoken%2Fx%3D");
	req_free(&r);
	free(log);

	/* the file is read again at each fetch (EKS rotates it) */
	fx_write("token", "rotated.jwt");
	aws_creds_invalidate(c.creds);
	fx_creds_ok(&c, 1800000000, &cr);
	aws_credentials_free(&cr);
	log = fx_read_log();
	assert_true(log_request(log, 1, &r));
	fx_assert_contains(r.body, "&WebIdentityToken=rotated.jwt");
	req_free(&r);
	free(log);
	aws_conf_free(&c);

	/* --profile turns the environment's web identity off, as in botocore */
	fx_write(".aws/config", "[profile p]\nregion = us-east-1\n");
	fx_resolve("p", &c);
	fx_creds_ok(&c, 1000, &cr);               /* nothing found: a local endpoint's placeholder */
	assert_string_equal(cr.source, "placeholder for local endpoint");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 2);
	fakehttp_stop(s);
}

static void wi_profile(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, WI_XML, 0 } };
	struct fakehttp *s = fx_serve_sts(plan, 1);
	struct aws_conf c;
	struct aws_credentials cr;
	struct req r;
	char cfg[1024], *log;

	fx_write("token", "jwt.from.profile");
	snprintf(cfg, sizeof cfg, "[profile wi]\nrole_arn = arn:aws:iam::1:role/wi\n"
	         "web_identity_token_file = %s/token\n"
	         "[profile viawi]\nrole_arn = arn:aws:iam::1:role/next\nsource_profile = wi\n",
	         fx_home);
	fx_write(".aws/config", cfg);
	fx_resolve("wi", &c);
	fx_creds_ok(&c, 1800000000, &cr);
	assert_string_equal(cr.source, "web identity (profile wi)");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	log = fx_read_log();
	assert_true(log_request(log, 0, &r));
	assert_null(strstr(r.head, "Authorization"));
	assert_string_equal(r.body, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
	                    "&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fwi"
	                    "&RoleSessionName=botocore-session-1800000000"
	                    "&WebIdentityToken=jwt.from.profile");
	req_free(&r);
	free(log);

	/* a web identity profile as a role's source: its keys sign AssumeRole
	 * (the fake answers both calls with the web identity reply, which the
	 * AssumeRole parser must refuse: it looks for AssumeRoleResult) */
	fx_resolve("viawi", &c);
	char *err = fx_creds_err(&c, 1800000000);
	fx_assert_contains(err, "STS AssumeRole for role arn:aws:iam::1:role/next (profile viawi)");
	fx_assert_contains(err, "not the expected XML");
	free(err);
	aws_conf_free(&c);
	log = fx_read_log();
	assert_true(log_request(log, 2, &r));
	assert_signed(&r, ROLE_AK, ROLE_SK, ROLE_TOK, "us-east-1");
	req_free(&r);
	free(log);
	fakehttp_stop(s);
}

static void wi_errors(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 400, STS_ERROR("InvalidIdentityToken", "Couldn't retrieve verification key "
		                 "from your identity provider"), 0 },
		{ 400, STS_ERROR("InvalidIdentityToken", "token " WI_TOKEN " is bad"), 0 },
		{ 400, STS_ERROR("Bad." WI_TOKEN, "the code quotes it"), 0 },
	};
	struct fakehttp *s = fx_serve_sts(plan, 3);
	struct aws_conf c;
	char tf[512], *err;

	snprintf(tf, sizeof tf, "%s/token", fx_home);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tf, 1);
	fx_resolve(NULL, &c);                     /* no role ARN */
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "AWS_WEB_IDENTITY_TOKEN_FILE is set, but no role ARN");
	free(err);
	aws_conf_free(&c);

	setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/ci", 1);
	fx_resolve(NULL, &c);                     /* no token file */
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): the web identity "
	                   "token file");
	fx_assert_contains(err, "/token (AWS_WEB_IDENTITY_TOKEN_FILE) does not exist");
	free(err);
	fx_write("token", "\n");
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "is empty");
	free(err);
	assert_int_equal(fakehttp_requests(s), 0);

	fx_write("token", WI_TOKEN);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "STS AssumeRoleWithWebIdentity for role arn:aws:iam::1:role/ci "
	                   "(web identity (AWS_WEB_IDENTITY_TOKEN_FILE)) failed (HTTP 400");
	fx_assert_contains(err, "InvalidIdentityToken: Couldn't retrieve verification key");
	free(err);
	err = fx_creds_err(&c, 1000);             /* a message quoting the token */
	fx_assert_contains(err, "InvalidIdentityToken: (withheld: it quotes a secret)");
	free(err);
	err = fx_creds_err(&c, 1000);             /* a code quoting the token: both go */
	fx_assert_contains(err, "(withheld): (withheld: it quotes a secret)");
	assert_null(strstr(err, WI_TOKEN));
	free(err);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		TEST(role_source_profile),
		TEST(role_global_and_defaults),
		TEST(role_chained),
		TEST(role_loops),
		TEST(role_misconfigured),
		TEST(role_credential_source),
		TEST(role_sts_errors),
		TEST(role_refresh),
		TEST(xml_reply),
		TEST(wi_environment),
		TEST(wi_profile),
		TEST(wi_errors),
	};

	return cmocka_run_group_tests_name("sts", tests, group_setup, group_teardown);
}
