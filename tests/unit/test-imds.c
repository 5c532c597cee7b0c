/* tests/unit/test-imds.c: EC2 instance metadata (aws/imds.c), the last
 * credential provider and the last source of the region (aws/config.c).
 *
 * IMDS is tests/tools/fakehttp.c running on a thread of this process, bound
 * to 127.0.0.1 and reached through AWS_EC2_METADATA_SERVICE_ENDPOINT (set
 * only by fx_imds_on, which refuses anything but loopback); it answers the
 * token PUT and the GETs in the order of its plan and logs each request,
 * which the tests read back.  The fixed addresses 169.254.169.254 and
 * fd00:ec2::254 are only ever turned into settings here, never asked.  HOME
 * is a fresh temporary directory, every AWS_* variable is cleared and
 * AWS_EC2_METADATA_DISABLED=true is set before each test
 * (tests/unit/fixture-aws.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "aws/config.h"
#include "aws/imds.h"
#include "tests/unit/fixture-aws.h"

/* Secrets the tests plant; no message may ever contain them. */
#define TOKEN "imds-session-TOKEN-SECRET=="
#define IMDS_AK "ASIAIMDS00000001"
#define IMDS_SK "imds-secret-SECRET"
#define IMDS_TOK "imds-token-SECRET"
#define CREDS_JSON(exp) "{\n  \"Code\" : \"Success\",\n" \
	"  \"LastUpdated\" : \"2029-12-31T23:00:00Z\",\n  \"Type\" : \"AWS-HMAC\",\n" \
	"  \"AccessKeyId\" : \"" IMDS_AK "\",\n  \"SecretAccessKey\" : \"" IMDS_SK "\",\n" \
	"  \"Token\" : \"" IMDS_TOK "\",\n  \"Expiration\" : \"" exp "\"\n}"
#define CREDS CREDS_JSON("2030-01-01T00:00:00Z")
#define T2030 1893456000   /* 2030-01-01T00:00:00Z */
#define ROLE "imds-role"

static const char *const secrets[] = { TOKEN, IMDS_SK, IMDS_TOK, NULL };

static int group_setup(void **state)
{
	fx_secrets = secrets;
	return fx_group_setup("imds");
}

static int group_teardown(void **state)
{
	fx_group_teardown();
	return 0;
}

static int test_setup(void **state)
{
	fx_test_setup();
	aws_imds_set_timeout_ms(0);
	return 0;
}

static int test_teardown(void **state)
{
	fx_clear_aws_env();
	aws_imds_set_timeout_ms(0);
	return 0;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)

/* A configuration with a region, so that only credentials come from IMDS;
 * its DynamoDB endpoint is AWS's (never asked here). */
static void resolve_remote(struct aws_conf *c)
{
	struct aws_conf_opts o = { .region = "us-east-1" };

	fx_resolve_ok(&o, c);
}

/* How many times s occurs in hay. */
static int count(const char *hay, const char *s)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

/* ---- IMDSv2 -------------------------------------------------------------- */

static void v2_credentials(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 200, TOKEN, 0 }, { 200, ROLE "\n", 0 }, { 200, CREDS, 0 },
		{ 200, TOKEN, 0 }, { 200, ROLE "\n", 0 }, { 200, CREDS, 0 },
	};
	struct fakehttp *s = fx_serve(plan, 6);
	struct aws_conf c;
	struct aws_credentials cr;
	char *log;

	fx_imds_on(fakehttp_url(s));
	resolve_remote(&c);
	fx_creds_ok(&c, T2030 - 3600, &cr);
	assert_string_equal(cr.access_key_id, IMDS_AK);
	assert_string_equal(cr.secret_access_key, IMDS_SK);
	assert_string_equal(cr.session_token, IMDS_TOK);
	assert_int_equal(cr.expiration, T2030);
	assert_string_equal(cr.source, "EC2 instance metadata (role " ROLE ")");
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 3);

	log = fx_read_log();
	fx_assert_contains(log, "PUT /latest/api/token HTTP/1.1\n");
	fx_assert_contains(log, "\nx-aws-ec2-metadata-token-ttl-seconds: 21600\n");
	fx_assert_contains(log, "GET /latest/meta-data/iam/security-credentials/ HTTP/1.1\n");
	fx_assert_contains(log, "GET /latest/meta-data/iam/security-credentials/" ROLE
	                   " HTTP/1.1\n");
	assert_int_equal(count(log, "\nx-aws-ec2-metadata-token: " TOKEN "\n"), 2);
	assert_int_equal(count(log, "x-aws-ec2-metadata-token-ttl-seconds"), 1);
	assert_null(strstr(log, "Authorization"));
	free(log);

	/* cached until the refresh margin, then fetched again, token and all */
	fx_creds_ok(&c, T2030 - AWS_CREDS_REFRESH_MARGIN - 10, &cr);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 3);
	fx_creds_ok(&c, T2030 - 60, &cr);
	aws_credentials_free(&cr);
	assert_int_equal(fakehttp_requests(s), 6);
	log = fx_read_log();
	assert_int_equal(count(log, "PUT /latest/api/token"), 2);
	free(log);
	aws_conf_free(&c);
	fakehttp_stop(s);
}

/* ---- the IMDSv1 fallback ------------------------------------------------ */

/* A token request refused with 403, 404 or 405: the GETs go without a
 * token (IMDSv1), as botocore does. */
static void v1_fallback(void **state)
{
	static const int refusals[] = { 405, 403, 404 };

	for (size_t i = 0; i < 3; i++) {
		struct fakehttp_reply plan[] = {
			{ refusals[i], "", 0 }, { 200, ROLE, 0 }, { 200, CREDS, 0 },
		};
		struct fakehttp *s;
		struct aws_conf c;
		struct aws_credentials cr;
		char *log;

		unlink(fx_log_path);
		s = fx_serve(plan, 3);
		fx_imds_on(fakehttp_url(s));
		resolve_remote(&c);
		fx_creds_ok(&c, 1000, &cr);
		assert_string_equal(cr.access_key_id, IMDS_AK);
		assert_string_equal(cr.source, "EC2 instance metadata (role " ROLE ", IMDSv1)");
		aws_credentials_free(&cr);
		assert_int_equal(fakehttp_requests(s), 3);
		log = fx_read_log();
		assert_int_equal(count(log, "PUT /latest/api/token"), 1);
		assert_int_equal(count(log, "GET /latest/meta-data/iam/security-credentials/"), 2);
		assert_null(strstr(log, "x-aws-ec2-metadata-token:"));
		free(log);
		aws_conf_free(&c);
		fakehttp_stop(s);
	}
}

/* Any other failure of the token request is no reason to go without one:
 * 400, a 5xx (after the retry), and a 405 when IMDSv1 is disabled. */
static void no_fallback(void **state)
{
	struct {
		struct fakehttp_reply plan[2];
		const char *env, *profile;
		int requests;
		const char *want;
	} cases[] = {
		{ { { 400, "", 0 }, { 200, ROLE, 0 } }, NULL, NULL, 1,
		  "answered the token request with HTTP 400" },
		{ { { 500, "", 0 }, { 200, ROLE, 0 } }, NULL, NULL, 1,
		  "" },                                   /* filled below */
		{ { { 405, "", 0 }, { 200, ROLE, 0 } }, "true", NULL, 1,
		  "refused the IMDSv2 token request (HTTP 405), and IMDSv1 is disabled" },
		{ { { 405, "", 0 }, { 200, ROLE, 0 } }, NULL, "[default]\nec2_metadata_v1_disabled = TRUE\n", 1,
		  "and IMDSv1 is disabled" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fakehttp_reply plan[2] = { cases[i].plan[0], cases[i].plan[1] };
		struct fakehttp *s;
		struct aws_conf c;
		char *err, *log;
		int want_requests = cases[i].requests;

		if (i == 1) {                            /* 500, then 500 again */
			plan[1] = plan[0];
			want_requests = 2;
		}
		unlink(fx_log_path);
		fx_set_files(cases[i].profile, NULL);
		if (cases[i].env)
			setenv("AWS_EC2_METADATA_V1_DISABLED", cases[i].env, 1);
		else
			unsetenv("AWS_EC2_METADATA_V1_DISABLED");
		s = fx_serve(plan, 2);
		fx_imds_on(fakehttp_url(s));
		resolve_remote(&c);
		err = fx_creds_err(&c, 1000);
		if (i == 1)
			fx_assert_contains(err, "answered the token request with HTTP 500 after "
			                   "every attempt");
		else
			fx_assert_contains(err, cases[i].want);
		fx_assert_contains(err, fakehttp_url(s));
		free(err);
		assert_int_equal(fakehttp_requests(s), want_requests);
		log = fx_read_log();
		assert_null(strstr(log, "GET "));        /* no IMDSv1 request */
		free(log);
		aws_conf_free(&c);
		fakehttp_stop(s);
	}
}

/* ---- timeouts and silence ------------------------------------------------ */

static void timeouts(void **state)
{
	static const struct fakehttp_reply slow_token[] = { { 200, TOKEN, 1500 } };
	static const struct fakehttp_reply slow_creds[] = {
		{ 200, TOKEN, 0 }, { 200, ROLE, 0 }, { 200, CREDS, 1500 },
	};
	struct fakehttp *s;
	struct aws_conf c;
	struct timespec t0, t1;
	char *err, *url;

	/* the token request: nothing answers in time, twice; that is "no IMDS",
	 * not an error, and it does not take long */
	aws_imds_set_timeout_ms(200);
	s = fx_serve(slow_token, 1);
	fx_imds_on(fakehttp_url(s));
	resolve_remote(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = fx_creds_err(&c, 1000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fx_assert_contains(err, "no AWS credentials found for profile default");
	fx_assert_contains(err, "EC2 instance metadata (IMDS at ");
	fx_assert_contains(err, "): nothing answers at ");
	fx_assert_contains(err, "no answer within 0.200 s (2 attempts)");
	free(err);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1200);
	aws_conf_free(&c);
	fakehttp_stop(s);

	/* the service answers the token, then goes silent: an error */
	s = fx_serve(slow_creds, 3);
	fx_imds_on(fakehttp_url(s));
	resolve_remote(&c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "stopped answering (the credentials of role " ROLE ")");
	fx_assert_contains(err, "no answer within 0.200 s");
	assert_null(strstr(err, "no AWS credentials found"));
	free(err);
	aws_conf_free(&c);
	url = strdup(fakehttp_url(s));
	fakehttp_stop(s);

	/* nobody listens */
	fx_imds_on(url);
	resolve_remote(&c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "nothing answers at ");
	fx_assert_contains(err, "(2 attempts)");
	free(err);
	aws_conf_free(&c);
	free(url);
}

/* ---- what the service answers ------------------------------------------- */

static void bad_replies(void **state)
{
	static const struct {
		struct fakehttp_reply plan[3];
		const char *want;
		bool none;               /* "not found", not an error */
	} cases[] = {
		{ { { 200, TOKEN, 0 }, { 404, "", 0 } },
		  "no IAM role is attached to this instance", true },
		{ { { 200, TOKEN, 0 }, { 200, ROLE, 0 }, { 404, "", 0 } },
		  "answered HTTP 404 (the credentials of role " ROLE ")", false },
		{ { { 200, TOKEN, 0 }, { 200, ROLE, 0 }, { 200, "not json " TOKEN IMDS_SK, 0 } },
		  "not the expected JSON", false },
		{ { { 200, TOKEN, 0 }, { 200, ROLE, 0 },
		    { 200, "{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"EC2 cannot "
		      "assume the role imds-role.\\n\\u001b[31m\",\"LastUpdated\":\"x\"}", 0 } },
		  "has no credentials for the role: AssumeRoleUnauthorizedAccess: EC2 cannot assume "
		  "the role imds-role.??[31m", false },
		{ { { 200, TOKEN, 0 }, { 200, ROLE, 0 },
		    { 200, "{\"AccessKeyId\":\"" IMDS_AK "\",\"SecretAccessKey\":\"" IMDS_SK "\","
		      "\"Expiration\":\"2030-01-01T00:00:00Z\"}", 0 } },
		  "not the expected JSON (AccessKeyId, SecretAccessKey, Token and Expiration)", false },
		{ { { 200, TOKEN, 0 }, { 200, ROLE, 0 }, { 200, CREDS_JSON("soon"), 0 } },
		  "not the expected JSON", false },
		{ { { 200, TOKEN, 0 }, { 200, "../../latest/x", 0 } },
		  "gave no valid role name", false },
		{ { { 200, TOKEN, 0 }, { 200, "", 0 } }, "sent an empty reply", false },
		{ { { 200, "bad\r\ntoken", 0 } }, "no usable token", false },
		{ { { 200, TOKEN, 0 }, { 401, "", 0 } }, "answered HTTP 401", false },
		{ { { 405, "", 0 }, { 401, "", 0 } }, "refused a request without a token", false },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = cases[i].plan[2].status ? 3 : cases[i].plan[1].status ? 2 : 1;
		struct fakehttp *s = fx_serve(cases[i].plan, n);
		struct aws_conf c;
		char *err;

		fx_imds_on(fakehttp_url(s));
		resolve_remote(&c);
		err = fx_creds_err(&c, 1000);       /* and no secret in it */
		fx_assert_contains(err, cases[i].want);
		if (cases[i].none)
			fx_assert_contains(err, "no AWS credentials found for profile default. Tried");
		else
			assert_null(strstr(err, "no AWS credentials found"));
		free(err);
		aws_conf_free(&c);
		fakehttp_stop(s);
	}
}

static void parse_credentials(void **state)
{
	struct aws_credentials cr;
	char *err;

	assert_int_equal(aws_imds_parse_credentials(CREDS, strlen(CREDS), &cr, &err), 0);
	assert_string_equal(cr.access_key_id, IMDS_AK);
	assert_int_equal(cr.expiration, T2030);
	aws_credentials_free(&cr);
	/* no Code: fine (some emulators leave it out) */
	static const char nocode[] = "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		"\"Token\":\"T\",\"Expiration\":\"2030-01-01T00:00:00Z\"}";
	assert_int_equal(aws_imds_parse_credentials(nocode, strlen(nocode), &cr, &err), 0);
	aws_credentials_free(&cr);
	static const char *const bad[] = {
		"[]", "{}", "{\"AccessKeyId\":1}", "",
		"{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"\",\"Token\":\"T\","
		"\"Expiration\":\"2030-01-01T00:00:00Z\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(aws_imds_parse_credentials(bad[i], strlen(bad[i]), &cr, &err), -1);
		assert_null(cr.access_key_id);
		free(err);
	}
}

/* ---- the settings -------------------------------------------------------- */

static void disabled(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 200, TOKEN, 0 }, { 200, ROLE, 0 }, { 200, CREDS, 0 },
	};
	struct fakehttp *s = fx_serve(plan, 3);
	struct aws_conf c;
	struct aws_credentials cr;
	char *err;

	fx_imds_on(fakehttp_url(s));
	setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);      /* any case */
	resolve_remote(&c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "EC2 instance metadata (IMDS at ");
	fx_assert_contains(err, "): disabled (AWS_EC2_METADATA_DISABLED=true)");
	free(err);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 0);

	setenv("AWS_EC2_METADATA_DISABLED", "false", 1);
	resolve_remote(&c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, IMDS_AK);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 3);
	fakehttp_stop(s);
}

/* Which address: the configured endpoint, else the mode's fixed address;
 * the environment before the profile, as botocore. */
static void endpoint_settings(void **state)
{
	struct aws_profile_file cfg = { 0 }, cred = { 0 };
	struct aws_profile_view v;
	struct aws_imds_conf ic;
	char *err = NULL;
	static const char profile[] =
		"[default]\nec2_metadata_service_endpoint_mode = IPv6\n"
		"[profile ep]\nec2_metadata_service_endpoint = http://169.254.169.254:8080/\n"
		"ec2_metadata_service_endpoint_mode = ipv6\nmetadata_service_timeout = 3\n"
		"metadata_service_num_attempts = 4\n"
		"[profile badmode]\nec2_metadata_service_endpoint_mode = IPv5\n"
		"[profile badurl]\nec2_metadata_service_endpoint = ftp://x\n"
		"[profile badtime]\nmetadata_service_timeout = 0.5\n"
		"[profile badtries]\nmetadata_service_num_attempts = 11\n";

	assert_int_equal(aws_profile_parse(profile, strlen(profile), AWS_PROFILE_CONFIG, "cfg",
	                                   &cfg, &err), 0);
	v = (struct aws_profile_view){ .cfg = &cfg, .cred = &cred, .cfg_path = "cfg",
	                               .cred_path = "cred" };

	unsetenv("AWS_EC2_METADATA_DISABLED");
	/* nothing set: the IPv4 address, 1 s, 2 attempts, enabled */
	assert_int_equal(aws_imds_conf_read(NULL, NULL, &ic), 0);
	assert_string_equal(ic.base, AWS_IMDS_IPV4);
	assert_string_equal(ic.base, "http://169.254.169.254");
	assert_int_equal(ic.timeout_ms, 1000);
	assert_int_equal(ic.attempts, 2);
	assert_false(ic.disabled);
	assert_false(ic.v1_disabled);
	assert_null(ic.err);
	aws_imds_conf_free(&ic);

	/* the profile's mode */
	struct aws_profile_view d = aws_profile_view_at(&v, "default");
	assert_int_equal(aws_imds_conf_read(&d, NULL, &ic), 0);
	assert_string_equal(ic.base, "http://[fd00:ec2::254]");
	assert_null(ic.err);
	aws_imds_conf_free(&ic);
	/* the environment's mode first */
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv4", 1);
	assert_int_equal(aws_imds_conf_read(&d, NULL, &ic), 0);
	assert_string_equal(ic.base, "http://169.254.169.254");
	aws_imds_conf_free(&ic);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv6", 1);
	assert_int_equal(aws_imds_conf_read(NULL, NULL, &ic), 0);
	assert_string_equal(ic.base, "http://[fd00:ec2::254]");
	aws_imds_conf_free(&ic);
	unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");

	/* an endpoint beats the mode; plain http to it needs no --allow-http */
	struct aws_profile_view ep = aws_profile_view_at(&v, "ep");
	assert_int_equal(aws_imds_conf_read(&ep, NULL, &ic), 0);
	assert_null(ic.err);
	assert_string_equal(ic.base, "http://169.254.169.254:8080");
	fx_assert_contains(ic.base_from, "ec2_metadata_service_endpoint in profile ep");
	assert_int_equal(ic.timeout_ms, 3000);
	assert_int_equal(ic.attempts, 4);
	aws_imds_conf_free(&ic);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "https://imds.example.test", 1);
	setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "1", 1);
	assert_int_equal(aws_imds_conf_read(&ep, "/ca.pem", &ic), 0);
	assert_string_equal(ic.base, "https://imds.example.test");
	assert_string_equal(ic.base_from, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
	assert_string_equal(ic.ca_bundle, "/ca.pem");
	assert_int_equal(ic.attempts, 1);
	aws_imds_conf_free(&ic);
	unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	unsetenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS");

	/* bad values are reported, not guessed at */
	static const struct { const char *profile, *want; } bad[] = {
		{ "badmode", "ec2_metadata_service_endpoint_mode in profile badmode is IPv5, which "
		  "is neither IPv4 nor IPv6" },
		{ "badurl", "must start with https:// or http://" },
		{ "badtime", "metadata_service_timeout in profile badtime must be a whole number "
		  "of seconds from 1 to 60" },
		{ "badtries", "metadata_service_num_attempts in profile badtries must be a whole "
		  "number from 1 to 10" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct aws_profile_view b = aws_profile_view_at(&v, bad[i].profile);
		assert_int_equal(aws_imds_conf_read(&b, NULL, &ic), 0);
		assert_non_null(ic.err);
		fx_assert_contains(ic.err, bad[i].want);
		aws_imds_conf_free(&ic);
	}
	aws_profile_file_free(&cfg);

	/* and a bad setting is the error when credentials are asked for */
	struct aws_conf c;
	fx_set_files("[default]\nec2_metadata_service_endpoint_mode = IPv5\n", NULL);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	resolve_remote(&c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "is IPv5, which is neither IPv4 nor IPv6");
	free(err);
	aws_conf_free(&c);
}

/* ---- the region ---------------------------------------------------------- */

static void region(void **state)
{
	static const struct fakehttp_reply plan[] = { { 200, TOKEN, 0 }, { 200, "eu-central-1\n", 0 } };
	static const struct fakehttp_reply bad[] = { { 200, TOKEN, 0 }, { 200, "eu central!", 0 } };
	struct aws_conf_opts o = { 0 };
	struct fakehttp *s = fx_serve(plan, 2);
	struct aws_conf c;
	char *log, *err, *url;

	fx_imds_on(fakehttp_url(s));
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "eu-central-1");
	assert_string_equal(c.region_source, "EC2 instance metadata");
	assert_string_equal(c.endpoint_url, "https://dynamodb.eu-central-1.amazonaws.com");
	aws_conf_free(&c);
	log = fx_read_log();
	fx_assert_contains(log, "PUT /latest/api/token HTTP/1.1\n");
	fx_assert_contains(log, "GET /latest/meta-data/placement/region HTTP/1.1\n");
	fx_assert_contains(log, "\nx-aws-ec2-metadata-token: " TOKEN "\n");
	free(log);
	assert_int_equal(fakehttp_requests(s), 2);

	/* every other source first; none for an endpoint on this machine */
	setenv("AWS_DEFAULT_REGION", "ap-south-1", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "ap-south-1");
	aws_conf_free(&c);
	unsetenv("AWS_DEFAULT_REGION");
	fx_set_files("[default]\nregion = sa-east-1\n", NULL);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "sa-east-1");
	aws_conf_free(&c);
	fx_set_files(NULL, NULL);
	o.endpoint_url = "http://127.0.0.1:8000";
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "us-east-1");
	assert_string_equal(c.region_source, "default for local endpoint");
	aws_conf_free(&c);
	o.endpoint_url = NULL;
	assert_int_equal(fakehttp_requests(s), 2);
	url = strdup(fakehttp_url(s));
	fakehttp_stop(s);

	/* a bad answer, and none at all: the usual message, with IMDS's reason */
	s = fx_serve(bad, 2);
	fx_imds_on(fakehttp_url(s));
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "no AWS region is set for profile default");
	fx_assert_contains(err, "EC2 instance metadata gave none: the instance metadata service "
	                   "at ");
	fx_assert_contains(err, "gave no valid region name");
	free(err);
	fakehttp_stop(s);
	aws_imds_set_timeout_ms(100);
	fx_imds_on(url);
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "EC2 instance metadata gave none: nothing answers at ");
	free(err);
	/* disabled: not mentioned */
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "no AWS region is set for profile default");
	assert_null(strstr(err, "instance metadata"));
	free(err);
	free(url);
}

/* ---- its place in the chain ---------------------------------------------- */

static void chain_last(void **state)
{
	static const struct fakehttp_reply plan[] = {
		{ 200, TOKEN, 0 }, { 200, ROLE, 0 }, { 200, CREDS, 0 },
	};
	struct fakehttp *s = fx_serve(plan, 3);
	struct aws_conf_opts local = { .endpoint_url = "http://localhost:8000" };
	struct aws_conf c;
	struct aws_credentials cr;

	fx_imds_on(fakehttp_url(s));
	/* anything else first */
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	resolve_remote(&c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.source, "environment");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	fx_set_files("[default]\naws_access_key_id = AKIDCFG\naws_secret_access_key = s\n", NULL);
	resolve_remote(&c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "AKIDCFG");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	fx_set_files(NULL, NULL);

	/* a local endpoint: placeholder keys, IMDS not asked */
	fx_resolve_ok(&local, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.source, "placeholder for local endpoint");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 0);

	/* nothing else: IMDS */
	resolve_remote(&c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.source, "EC2 instance metadata (role " ROLE ")");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	assert_int_equal(fakehttp_requests(s), 3);
	fakehttp_stop(s);
}

/* credential_source = Ec2InstanceMetadata: the role is assumed with the
 * instance's credentials (a second fake plays STS). */
static void role_credential_source(void **state)
{
	static const struct fakehttp_reply imds[] = {
		{ 200, TOKEN, 0 }, { 200, ROLE, 0 }, { 200, CREDS, 0 },
	};
	static const struct fakehttp_reply sts[] = {
		{ 200, "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
		  "<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-SECRET</SecretAccessKey>"
		  "<SessionToken>role-tok-SECRET</SessionToken>"
		  "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult>"
		  "</AssumeRoleResponse>", 0 },
	};
	char *sts_log = fx_path("sts.log"), *log;
	struct fakehttp *i = fx_serve(imds, 3), *t = fakehttp_start(sts, 1, sts_log);
	struct aws_conf_opts o = { .profile = "r", .region = "us-east-1" };
	struct aws_conf c;
	struct aws_credentials cr;

	assert_non_null(t);
	fx_set_files("[profile r]\nrole_arn = arn:aws:iam::1:role/x\n"
	             "credential_source = Ec2InstanceMetadata\n", NULL);
	fx_imds_on(fakehttp_url(i));
	setenv("AWS_ENDPOINT_URL_STS", fakehttp_url(t), 1);
	fx_resolve_ok(&o, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "ASIAROLE");
	assert_string_equal(cr.source, "assume role (profile r)");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	log = fx_read_path(sts_log);
	fx_assert_contains(log, "Authorization: AWS4-HMAC-SHA256 Credential=" IMDS_AK "/");
	fx_assert_contains(log, "\nX-Amz-Security-Token: " IMDS_TOK "\n");
	free(log);
	assert_int_equal(fakehttp_requests(i), 3);
	fakehttp_stop(i);
	fakehttp_stop(t);
	free(sts_log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(v2_credentials),
		TEST(v1_fallback),
		TEST(no_fallback),
		TEST(timeouts),
		TEST(bad_replies),
		TEST(parse_credentials),
		TEST(disabled),
		TEST(endpoint_settings),
		TEST(region),
		TEST(chain_last),
		TEST(role_credential_source),
	};
	return cmocka_run_group_tests_name("imds", tests, group_setup, group_teardown);
}
