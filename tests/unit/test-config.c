/* tests/unit/test-config.c: profile selection, region, endpoints and the
 * credential chain (aws/config.c, aws/creds.c, aws/keys.c), and
 * credential_process (aws/credproc.c).
 *
 * Every case of the shared configured-endpoint-url-tests.json runs as its
 * own test.  HOME is a fresh temporary directory and every AWS_* variable is
 * cleared before each test; the real ~/.aws is never read.  credential_process
 * tests write small /bin/sh scripts into that directory.  The temporary HOME
 * and the steps of resolving are tests/unit/fixture-aws.c's, shared with
 * test-credfetch and test-sts.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "aws/config.h"
#include "aws/credproc.h"
#include "aws/profile.h"
#include "aws/url.h"
#include "aws/util.h"
#include "tests/unit/fixture-aws.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define ENDPOINT_CASES 39

static char *saved_path;        /* PATH at start */
static json_t *endpoint_suite;

/* ---- helpers ----------------------------------------------------------- */

static int group_setup(void **state)
{
	const char *dir = getenv("DDTREE_SRCDIR");
	char path[4096];
	json_error_t e;

	if (fx_group_setup("config") < 0)
		return -1;
	setenv("HOME", fx_home, 1);
	saved_path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	snprintf(path, sizeof path, "%s/tests/data/aws-profile-testsuite/"
	         "configured-endpoint-url-tests.json", dir && *dir ? dir : SRCDIR);
	endpoint_suite = json_load_file(path, 0, &e);
	if (!endpoint_suite)
		fprintf(stderr, "# cannot load %s: %s\n", path, e.text);
	return 0;
}

static int group_teardown(void **state)
{
	fx_group_teardown();
	free(saved_path);
	json_decref(endpoint_suite);
	return 0;
}

/* Before each test: no AWS_* settings, an empty HOME, default limits. */
static int test_setup(void **state)
{
	fx_test_setup();
	setenv("PATH", saved_path, 1);
	aws_credproc_set_timeout_ms(0);
	return 0;
}

static int test_teardown(void **state)
{
	fx_clear_aws_env();
	return 0;
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)

/* ---- the shared endpoint cases ----------------------------------------- */

static void endpoint_case(void **state)
{
	json_t *suite = json_array_get(json_object_get(endpoint_suite, "testSuites"), 0);
	json_t *c = *state;
	const char *pname = json_string_value(json_object_get(c, "profile"));
	json_t *client = json_object_get(json_object_get(suite, "client_configs"),
	                                 json_string_value(json_object_get(c, "client_config")));
	json_t *envs = json_object_get(json_object_get(suite, "environments"),
	                               json_string_value(json_object_get(c, "environment")));
	const char *want = json_string_value(json_object_get(json_object_get(c, "output"),
	                                                     "endpointUrl"));
	struct aws_conf_opts o = { 0 };
	struct aws_conf conf;
	char *text = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&text, &len);
	const char *name, *k;
	json_t *props, *v;

	assert_non_null(suite);
	assert_non_null(client);
	assert_non_null(envs);
	assert_non_null(want);
	/* every profile and services section into one config file */
	json_object_foreach(json_object_get(suite, "profiles"), name, props) {
		if (strcmp(name, "default") == 0)
			fprintf(ms, "[default]\n");
		else
			fprintf(ms, "[profile %s]\n", name);
		json_object_foreach(props, k, v)
			fprintf(ms, "%s = %s\n", k, json_string_value(v));
	}
	json_object_foreach(json_object_get(suite, "services"), name, props) {
		fprintf(ms, "[services %s]\n", name);
		json_object_foreach(props, k, v) {
			const char *sk;
			json_t *sv;
			fprintf(ms, "%s =\n", k);
			json_object_foreach(v, sk, sv)
				fprintf(ms, "  %s = %s\n", sk, json_string_value(sv));
		}
	}
	fclose(ms);
	fx_set_files(text, NULL);
	free(text);

	json_object_foreach(envs, k, v)
		setenv(k, json_string_value(v), 1);
	o.profile = pname;
	o.service = json_string_value(json_object_get(c, "service"));
	o.endpoint_url = json_string_value(json_object_get(client, "endpoint_url"));
	o.ignore_configured_endpoint_urls =
		json_is_true(json_object_get(client, "ignore_configured_endpoint_urls"));
	fx_resolve_ok(&o, &conf);
	assert_string_equal(conf.endpoint_url, want);
	aws_conf_free(&conf);
}

static void endpoint_case_count(void **state)
{
	json_t *suite = json_array_get(json_object_get(endpoint_suite, "testSuites"), 0);

	assert_non_null(suite);
	assert_int_equal(json_array_size(json_object_get(suite, "endpointUrlTests")),
	                 ENDPOINT_CASES);
}

/* ---- profiles and the chain -------------------------------------------- */

static void env_beats_aws_profile_keys(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;

	fx_set_files("[profile dev]\nregion = eu-west-1\n",
	             "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n");
	setenv("AWS_PROFILE", "dev", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	setenv("AWS_SESSION_TOKEN", "envtoken", 1);
	fx_resolve_ok(NULL, &c);
	assert_string_equal(c.profile, "dev");
	assert_string_equal(c.profile_source, "AWS_PROFILE");
	assert_string_equal(c.region, "eu-west-1");
	assert_string_equal(c.region_source, "profile");
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "AKIDENV");
	assert_string_equal(cr.secret_access_key, "envsecret");
	assert_string_equal(cr.session_token, "envtoken");
	assert_int_equal(cr.expiration, 0);
	assert_string_equal(cr.source, "environment");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
}

static void explicit_profile_beats_env(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	struct aws_conf_opts o = { .profile = "dev" };

	fx_set_files("[profile dev]\nregion = eu-west-1\n",
	             "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n");
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.profile_source, "--profile");
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "AKIDFILE");
	assert_null(cr.session_token);
	assert_string_equal(cr.source, "shared credentials file (profile dev)");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
}

static void credentials_file_beats_config(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	struct aws_conf_opts o = { .profile = "dev" };

	fx_set_files("[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDCFG\n"
	             "aws_secret_access_key = cfgsecret\n",
	             "[dev]\naws_access_key_id = AKIDCRED\naws_secret_access_key = credsecret\n"
	             "aws_security_token = legacy\nregion = ap-south-1\n");
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "ap-south-1");   /* merged: the credentials file wins */
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "AKIDCRED");
	assert_string_equal(cr.session_token, "legacy");
	aws_credentials_free(&cr);
	aws_conf_free(&c);

	/* no keys in the credentials file: the config file's static keys */
	fx_set_files("[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDCFG\n"
	             "aws_secret_access_key = cfgsecret\naws_session_token = cfgtoken\n",
	             "[dev]\nregion = ap-south-1\n");
	fx_resolve_ok(&o, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "AKIDCFG");
	assert_string_equal(cr.session_token, "cfgtoken");
	assert_string_equal(cr.source, "config file (profile dev)");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
}

static void profile_default_beats_bare_default(void **state)
{
	struct aws_conf c;

	fx_set_files("[default]\nregion = us-west-1\n[profile default]\nregion = us-west-2\n", NULL);
	fx_resolve_ok(NULL, &c);
	assert_string_equal(c.profile, "default");
	assert_string_equal(c.profile_source, "default");
	assert_string_equal(c.region, "us-west-2");
	assert_string_equal(c.endpoint_url, "https://dynamodb.us-west-2.amazonaws.com");
	assert_string_equal(c.endpoint_source, "default");
	assert_false(c.endpoint_is_loopback);
	aws_conf_free(&c);

	fx_set_files("[default]\nregion = us-west-1\n[other]\nregion = x\n", NULL);
	fx_resolve_ok(NULL, &c);
	assert_string_equal(c.region, "us-west-1");
	aws_conf_free(&c);
}

static void aws_default_profile_fallback(void **state)
{
	struct aws_conf c;

	fx_set_files("[profile old]\nregion = eu-north-1\n[profile new]\nregion = eu-south-1\n", NULL);
	setenv("AWS_DEFAULT_PROFILE", "old", 1);
	fx_resolve_ok(NULL, &c);
	assert_string_equal(c.profile, "old");
	assert_string_equal(c.profile_source, "AWS_DEFAULT_PROFILE");
	assert_string_equal(c.region, "eu-north-1");
	aws_conf_free(&c);

	setenv("AWS_PROFILE", "new", 1);
	fx_resolve_ok(NULL, &c);
	assert_string_equal(c.profile, "new");
	assert_string_equal(c.profile_source, "AWS_PROFILE");
	aws_conf_free(&c);
}

static void missing_named_profile(void **state)
{
	struct aws_conf_opts o = { .profile = "nope", .region = "us-east-1" };
	struct aws_conf c;
	char *err;

	fx_set_files("[profile dev]\n[default]\n", "[ci]\n");
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "profile 'nope' (from --profile)");
	fx_assert_contains(err, "/.aws/config");
	fx_assert_contains(err, "dev");
	fx_assert_contains(err, "ci");
	free(err);

	setenv("AWS_PROFILE", "nope", 1);
	o.profile = NULL;
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "(from AWS_PROFILE)");
	free(err);

	/* the default profile may be missing, and so may both files */
	unsetenv("AWS_PROFILE");
	fx_set_files(NULL, NULL);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.profile, "default");
	aws_conf_free(&c);
}

static void nothing_found_lists_sources(void **state)
{
	struct aws_conf_opts o = { .region = "us-east-1" };
	struct aws_conf c;
	char *err, *cfg = fx_path(".aws/config"), *cred = fx_path(".aws/credentials");
	char want[1024];
	const char *order[] = {
		"environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: not set",
		"assume role (role_arn) in profile default: not configured",
		"web identity", "SSO (sso_session, sso_start_url) in profile default: not configured",
		"shared credentials file", "credential_process in profile default: not set",
		"config file",
		"container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, "
		"AWS_CONTAINER_CREDENTIALS_FULL_URI): not set",
		"EC2 instance metadata (IMDS at http://169.254.169.254): disabled "
		"(AWS_EC2_METADATA_DISABLED=true)",
	};
	const char *last;

	fx_set_files("[default]\nregion = us-east-1\n", NULL);
	fx_resolve_ok(&o, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "no AWS credentials found for profile default");
	last = err;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const char *p = strstr(last, order[i]);
		if (!p)
			print_error("# \"%s\" missing or out of order in \"%s\"\n", order[i], err);
		assert_non_null(p);
		last = p;
	}
	snprintf(want, sizeof want, "shared credentials file %s profile default: file not found",
	         cred);
	fx_assert_contains(err, want);
	snprintf(want, sizeof want, "config file %s profile default: no aws_access_key_id", cfg);
	fx_assert_contains(err, want);
	free(err);
	aws_conf_free(&c);

	/* with --profile, the environment is said to be skipped */
	fx_set_files("[profile p]\n", "[other]\n");
	o.profile = "p";
	fx_resolve_ok(&o, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "not used because --profile was given");
	fx_assert_contains(err, "profile p: no [p] section");
	free(err);
	aws_conf_free(&c);
	free(cfg);
	free(cred);
}

static void placeholder_for_loopback(void **state)
{
	struct aws_conf_opts o = { .endpoint_url = "http://localhost:8000/" };
	struct aws_conf c;
	struct aws_credentials cr;

	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "http://localhost:8000");
	assert_string_equal(c.endpoint_source, "--endpoint-url");
	assert_true(c.endpoint_is_loopback);
	assert_string_equal(c.region, "us-east-1");
	assert_string_equal(c.region_source, "default for local endpoint");
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "ddtreelocal");
	assert_string_equal(cr.secret_access_key, "ddtreelocal");
	assert_string_equal(cr.source, "placeholder for local endpoint");
	aws_credentials_free(&cr);
	aws_conf_free(&c);

	/* real keys still win over the placeholder */
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "s", 1);
	fx_resolve_ok(&o, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "AKIDENV");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
}

static void region_chain(void **state)
{
	struct aws_conf_opts o = { 0 };
	struct aws_conf c;
	char *err;

	fx_set_files("[default]\nregion = from-profile-1\n", NULL);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "from-profile-1");
	aws_conf_free(&c);
	setenv("AWS_DEFAULT_REGION", "default-region-1", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "default-region-1");
	assert_string_equal(c.region_source, "AWS_DEFAULT_REGION");
	aws_conf_free(&c);
	setenv("AWS_REGION", "aws-region-1", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "aws-region-1");
	assert_string_equal(c.region_source, "AWS_REGION");
	aws_conf_free(&c);
	o.region = "cli-region-1";
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "cli-region-1");
	assert_string_equal(c.region_source, "--region");
	assert_string_equal(c.endpoint_url, "https://dynamodb.cli-region-1.amazonaws.com");
	aws_conf_free(&c);
	o.region = "cn-north-1";
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "https://dynamodb.cn-north-1.amazonaws.com.cn");
	aws_conf_free(&c);
	o.region = "us-east-1/../x";
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "from --region is not a region name");
	free(err);

	/* none at all, remote endpoint: an error that says how to set one */
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	o.region = NULL;
	fx_set_files("[profile dev]\n", NULL);
	o.profile = "dev";
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "no AWS region");
	fx_assert_contains(err, "--region");
	fx_assert_contains(err, "AWS_REGION");
	fx_assert_contains(err, "[profile dev]");
	fx_assert_contains(err, "aws configure set region us-east-1 --profile dev");
	free(err);
	o.endpoint_url = "https://dynamodb.example.com";
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "no AWS region");
	free(err);
	/* none, loopback endpoint from the profile */
	o.endpoint_url = NULL;
	fx_set_files("[profile dev]\nendpoint_url = http://127.0.0.1:8000\n", NULL);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "us-east-1");
	assert_string_equal(c.endpoint_source, "profile endpoint_url");
	aws_conf_free(&c);
}

static void endpoint_sources(void **state)
{
	struct aws_conf_opts o = { .region = "us-east-1" };
	struct aws_conf c;

	fx_set_files("[default]\nendpoint_url = http://localhost:1/\nservices = svc\n"
	             "[services svc]\ndynamodb =\n  endpoint_url = http://localhost:2//\n"
	             "s3 =\n  endpoint_url = https://s3.local\n", NULL);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "http://localhost:2");
	assert_string_equal(c.endpoint_source, "services section");
	aws_conf_free(&c);
	setenv("AWS_ENDPOINT_URL", "http://localhost:3", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "http://localhost:3");
	assert_string_equal(c.endpoint_source, "AWS_ENDPOINT_URL");
	aws_conf_free(&c);
	setenv("AWS_ENDPOINT_URL_DYNAMODB", "HTTP://[::1]:4/prefix/", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "http://[::1]:4/prefix");
	assert_string_equal(c.endpoint_source, "AWS_ENDPOINT_URL_DYNAMODB");
	assert_true(c.endpoint_is_loopback);
	aws_conf_free(&c);
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "https://dynamodb.us-east-1.amazonaws.com");
	assert_string_equal(c.endpoint_source, "default");
	aws_conf_free(&c);
	o.endpoint_url = "http://localhost:5";
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "http://localhost:5");
	aws_conf_free(&c);

	/* the environment's "false" overrides the profile's "true" */
	o.endpoint_url = NULL;
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);
	fx_set_files("[default]\nendpoint_url = http://localhost:1\n"
	             "ignore_configured_endpoint_urls = true\n", NULL);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "http://localhost:1");
	aws_conf_free(&c);
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "https://dynamodb.us-east-1.amazonaws.com");
	aws_conf_free(&c);

	/* a services name with no such section falls through to endpoint_url */
	fx_set_files("[default]\nendpoint_url = http://localhost:1\nservices = gone\n", NULL);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "http://localhost:1");
	aws_conf_free(&c);
}

static void plain_http_to_remote_refused(void **state)
{
	struct aws_conf_opts o = { .region = "us-east-1", .endpoint_url = "http://db.example.com:8000" };
	struct aws_conf c;
	char *err;

	err = fx_resolve_err(&o);
	fx_assert_contains(err, "https");
	fx_assert_contains(err, "--allow-http");
	fx_assert_contains(err, "db.example.com");
	free(err);
	o.allow_plain_http = true;
	fx_resolve_ok(&o, &c);
	assert_false(c.endpoint_is_loopback);
	assert_string_equal(c.endpoint_url, "http://db.example.com:8000");
	aws_conf_free(&c);

	/* from the environment too, and the message names the source */
	o = (struct aws_conf_opts){ .region = "us-east-1" };
	setenv("AWS_ENDPOINT_URL", "http://10.0.0.1/", 1);
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "AWS_ENDPOINT_URL");
	free(err);
	unsetenv("AWS_ENDPOINT_URL");

	static const char *bad[] = {
		"ftp://localhost", "localhost:8000", "http://", "http://:80",
		"http://localhost:0", "http://localhost:99999", "http://localhost:8x",
		"http://user:pw@localhost", "http://localhost/?a=b", "http://local host",
		"http://[::1", "http://::1:8000",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o.endpoint_url = bad[i];
		err = fx_resolve_err(&o);
		fx_assert_contains(err, "--endpoint-url");
		assert_null(strstr(err, "pw"));
		free(err);
	}
	o.endpoint_url = "https://dynamodb.example.com/";
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "https://dynamodb.example.com");
	aws_conf_free(&c);
}

/* Loading credentials makes the process unable to dump core: a core file
 * would carry them.  First in the list, so that nothing resolved before. */
static void resolve_disables_core_dumps(void **state)
{
	struct aws_conf_opts o = { .endpoint_url = "http://localhost:8000" };
	struct aws_conf c;
	struct rlimit rl;

	(void)state;
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	rl.rlim_cur = rl.rlim_max;                 /* above 0 where the hard limit allows */
	assert_int_equal(setrlimit(RLIMIT_CORE, &rl), 0);
	setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 1);
	fx_resolve_ok(&o, &c);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
	aws_conf_free(&c);
}

/* Loopback means the names and addresses that never leave the machine,
 * written the way everyone reads them: "localhost" (any case: curl answers
 * it itself, without asking the resolver), 127.0.0.0/8 as four decimal
 * numbers, and ::1 in brackets.  Everything else is remote, even when it
 * may end up on this machine: "localhost." and localhost.localdomain go to
 * the resolver (DNS may answer anything), 127.1 and 0x7f000001 are
 * spellings only some parsers read as 127.0.0.1, and [::ffff:127.0.0.1]
 * reaches 127.0.0.1 only through the system's IPv4-mapped address rules. */
static void loopback_detection(void **state)
{
	static const struct { const char *url; bool lo; } cases[] = {
		{ "http://localhost:8000", true },
		{ "http://LocalHost", true },
		{ "http://LOCALHOST:8000/", true },
		{ "http://127.0.0.1:8000", true },
		{ "http://127.1.2.3", true },
		{ "http://127.255.1.2", true },
		{ "http://127.255.255.255:1", true },
		{ "https://[::1]:8000/", true },
		{ "http://[::1]", true },
		{ "http://[0:0:0:0:0:0:0:1]", true },
		{ "http://user:pass@localhost:8000", true },
		{ "localhost:8000", true },
		/* names that go to the resolver */
		{ "http://localhost./x", false },
		{ "http://LOCALHOST.:8000", false },
		{ "http://localhost.localdomain", false },
		{ "http://localhost.example.com", false },
		{ "http://sub.localhost", false },
		{ "http://127.0.0.1.nip.io", false },
		{ "http://127.0.0.1.example.com", false },
		{ "http://localhost@example.com", false },
		{ "http://example.com/localhost", false },
		/* other spellings of 127.0.0.1 */
		{ "http://127.1", false },
		{ "http://127.0.1", false },
		{ "http://0x7f000001", false },
		{ "http://0x7f.0.0.1", false },
		{ "http://2130706433", false },
		{ "http://0177.0.0.1", false },
		{ "http://127.000.000.001", false },
		{ "http://127.0.0.1.", false },
		{ "http://[::ffff:127.0.0.1]", false },
		{ "http://[::ffff:7f00:1]", false },
		{ "http://[::127.0.0.1]", false },
		{ "http://[::1%25lo]", false },
		{ "http://::1", false },
		/* not loopback at all */
		{ "http://128.0.0.1", false },
		{ "http://126.255.255.255", false },
		{ "http://[::2]", false },
		{ "http://[::]", false },
		{ "http://10.0.0.1", false },
		{ "http://0.0.0.0", false },
		{ "http://192.0.2.1:9", false },
		{ "http://[::1", false },
		{ "", false },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (aws_url_is_loopback(cases[i].url) != cases[i].lo)
			print_error("# %s\n", cases[i].url);
		assert_int_equal(aws_url_is_loopback(cases[i].url), cases[i].lo);
	}
	assert_false(aws_url_is_loopback(NULL));
}

/* What the loopback rule decides: writes without --write, http:// without
 * --allow-http.  "localhost." is resolved through DNS, so it is remote. */
static void trailing_dot_is_remote(void **state)
{
	struct aws_conf_opts o = { .endpoint_url = "http://localhost.:8000", .region = "us-east-1" };
	struct aws_conf c;
	char *err;

	err = fx_resolve_err(&o);
	fx_assert_contains(err, "plain http://");
	free(err);
	o.allow_plain_http = true;
	fx_resolve_ok(&o, &c);
	assert_false(c.endpoint_is_loopback);
	aws_conf_free(&c);
	o = (struct aws_conf_opts){ .endpoint_url = "http://127.1.2.3:8000" };
	fx_resolve_ok(&o, &c);
	assert_true(c.endpoint_is_loopback);
	aws_conf_free(&c);
}

/* --allow-http to a host that is not on this machine: one warning line that
 * names what travels in clear; none for https or loopback */
static void plain_http_warning(void **state)
{
	struct aws_conf_opts o = { .region = "us-east-1", .allow_plain_http = true };
	struct aws_conf c;
	char *w;

	o.endpoint_url = "http://192.0.2.1:9";
	fx_resolve_ok(&o, &c);
	w = aws_url_plain_http_warning(c.endpoint_url, false);
	assert_non_null(w);
	assert_string_equal(w, "warning: plain http:// to 192.0.2.1 (--allow-http): the access key "
	                    "id, the request signatures and all the data go unencrypted");
	free(w);
	w = aws_url_plain_http_warning(c.endpoint_url, true);
	assert_string_equal(w, "warning: plain http:// to 192.0.2.1 (--allow-http): the access key "
	                    "id, the request signatures, the session token and all the data go "
	                    "unencrypted");
	assert_null(strchr(w, '\n'));
	free(w);
	aws_conf_free(&c);

	/* localhost. and 127.1 are not loopback: they get the warning too */
	static const char *const remote[] = {
		"HTTP://dynamodb.example.com:8000/x", "http://localhost.:8000", "http://127.1:8000",
		"http://[::ffff:127.0.0.1]:8000", "http://[2001:db8::1]/",
	};
	static const char *const host[] = {
		"dynamodb.example.com", "localhost.", "127.1", "[::ffff:127.0.0.1]", "[2001:db8::1]",
	};
	for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++) {
		char want[200];
		o.endpoint_url = remote[i];
		fx_resolve_ok(&o, &c);
		w = aws_url_plain_http_warning(c.endpoint_url, true);
		snprintf(want, sizeof want, "warning: plain http:// to %s (--allow-http): ", host[i]);
		assert_non_null(w);
		if (strncmp(w, want, strlen(want)) != 0)
			fail_msg("%s: %s", remote[i], w);
		free(w);
		aws_conf_free(&c);
	}

	/* https, loopback: nothing to say */
	static const char *const quiet[] = {
		"https://192.0.2.1:9", "http://localhost:8000", "http://127.0.0.1:8000",
		"http://[::1]:8000", "HTTPS://dynamodb.example.com",
	};
	for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) {
		o.endpoint_url = quiet[i];
		fx_resolve_ok(&o, &c);
		assert_null(aws_url_plain_http_warning(c.endpoint_url, true));
		aws_conf_free(&c);
	}
	o.endpoint_url = NULL;
	fx_resolve_ok(&o, &c);
	assert_null(aws_url_plain_http_warning(c.endpoint_url, true));    /* https://dynamodb.REGION... */
	aws_conf_free(&c);
	assert_null(aws_url_plain_http_warning(NULL, true));
}

static void ca_bundle_and_max_attempts(void **state)
{
	struct aws_conf_opts o = { .region = "us-east-1" };
	struct aws_conf c;
	char *err;

	fx_set_files("[default]\nca_bundle = /etc/corp.pem\nmax_attempts = 7\n", NULL);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.ca_bundle, "/etc/corp.pem");
	assert_int_equal(c.max_attempts, 7);
	aws_conf_free(&c);
	setenv("AWS_CA_BUNDLE", "/env.pem", 1);
	setenv("AWS_MAX_ATTEMPTS", "20", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.ca_bundle, "/env.pem");
	assert_int_equal(c.max_attempts, 20);
	aws_conf_free(&c);
	static const char *bad[] = { "0", "21", "-1", "3x", "", " 3", "99999999999999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (!*bad[i])
			continue;  /* empty counts as unset */
		setenv("AWS_MAX_ATTEMPTS", bad[i], 1);
		err = fx_resolve_err(&o);
		fx_assert_contains(err, "AWS_MAX_ATTEMPTS");
		fx_assert_contains(err, "1 to 20");
		free(err);
	}
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("AWS_CA_BUNDLE");
	fx_set_files("[default]\nmax_attempts = 0\n", NULL);
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "profile default");
	free(err);
	fx_set_files("[default]\n", NULL);
	fx_resolve_ok(&o, &c);
	assert_null(c.ca_bundle);
	assert_int_equal(c.max_attempts, 0);
	aws_conf_free(&c);
}

static void file_overrides_and_parse_errors(void **state)
{
	struct aws_conf_opts o = { .profile = "x" };
	struct aws_conf c;
	char *p = fx_path("elsewhere"), *err;

	mkdir(p, 0700);
	free(p);
	p = fx_path("elsewhere/cfg");
	fx_write_path(p, "[profile x]\nregion = sa-east-1\n", 0600);
	free(p);
	p = fx_path("elsewhere/creds");
	fx_write_path(p, "[x]\naws_access_key_id = A\naws_secret_access_key = B\n", 0600);
	free(p);
	setenv("AWS_CONFIG_FILE", "~/elsewhere/cfg", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.region, "sa-east-1");
	aws_conf_free(&c);

	p = fx_path("elsewhere/creds");
	fx_write_path(p, "[x]\naws_secret_access_key TopSecret\n", 0600);
	err = fx_resolve_err(&o);
	fx_assert_contains(err, p);
	fx_assert_contains(err, "line 2");
	assert_null(strstr(err, "TopSecret"));
	free(err);
	free(p);
}

/* AWS_CONFIG_FILE=/dev/null and AWS_SHARED_CREDENTIALS_FILE=/dev/null are
 * empty files to botocore and the AWS CLI: no profiles, no error. */
static void files_dev_null_are_empty(void **state)
{
	struct aws_conf_opts o = { 0 };
	struct aws_conf c;
	struct aws_credentials cr;
	char *err;

	fx_set_files("[default]\nregion = ap-south-1\n",
	             "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n");
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	setenv("AWS_REGION", "eu-north-1", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.profile, "default");
	assert_string_equal(c.region, "eu-north-1");
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "AKIDENV");
	assert_string_equal(cr.source, "environment");
	aws_credentials_free(&cr);
	aws_conf_free(&c);

	/* no profile is read from them (not the ones in ~/.aws either) */
	unsetenv("AWS_REGION");
	o.region = "us-east-1";
	o.profile = "default";
	err = fx_resolve_err(&o);
	assert_null(strstr(err, "not a regular file"));
	assert_null(strstr(err, "AKIDFILE"));
	free(err);
	o.profile = "x";
	err = fx_resolve_err(&o);
	fx_assert_contains(err, "profile 'x' (from --profile)");
	assert_null(strstr(err, "not a regular file"));
	free(err);
}

static void partial_keys_and_tokens(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	char *err;

	fx_set_files("[default]\nregion = us-east-1\n",
	             "[default]\naws_access_key_id = AKIDONLY\n");
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "[default] in ");
	fx_assert_contains(err, "has aws_access_key_id but no aws_secret_access_key");
	assert_null(strstr(err, "AKIDONLY"));
	free(err);
	aws_conf_free(&c);

	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "AWS_ACCESS_KEY_ID but no AWS_SECRET_ACCESS_KEY");
	free(err);
	aws_conf_free(&c);

	setenv("AWS_SECRET_ACCESS_KEY", "sek", 1);
	setenv("AWS_SECURITY_TOKEN", "legacytok", 1);
	setenv("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z", 1);
	fx_resolve_ok(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.session_token, "legacytok");
	assert_int_equal(cr.expiration, 1893456000);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	setenv("AWS_SESSION_TOKEN", "newtok", 1);
	setenv("AWS_CREDENTIAL_EXPIRATION", "soon", 1);
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "AWS_CREDENTIAL_EXPIRATION");
	free(err);
	aws_conf_free(&c);
}

static void unsupported_sources_explained(void **state)
{
	struct aws_conf_opts o = { .profile = "admin" };
	struct aws_conf c;
	char *err;

	fx_set_files("[profile admin]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/x\n"
	             "source_profile = default\n"
	             "[profile sso]\nregion = us-east-1\nsso_session = corp\n"
	             "[profile legacy]\nregion = us-east-1\nsso_start_url = https://x\n"
	             "[profile wi]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/x\n"
	             "web_identity_token_file = /tok\n"
	             "[profile imds]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/x\n"
	             "credential_source = Ec2InstanceMetadata\n",
	             "[admin]\naws_access_key_id = A\naws_secret_access_key = B\n");
	/* assume role and web identity are supported (tests/unit/test-sts.c);
	 * what they lack is reported before any request */
	fx_resolve_ok(&o, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "profile admin has source_profile = default, but there is no "
	                   "profile default");
	free(err);
	aws_conf_free(&c);

	/* SSO is supported (tests/unit/test-credfetch.c); a half-configured
	 * SSO profile is an error that says what is missing */
	o.profile = "sso";
	fx_resolve_ok(&o, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "sso_session = corp");
	fx_assert_contains(err, "no [sso-session corp] section");
	free(err);
	aws_conf_free(&c);

	o.profile = "legacy";
	fx_resolve_ok(&o, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "has sso_start_url but no sso_region");
	free(err);
	aws_conf_free(&c);

	o.profile = "wi";
	fx_resolve_ok(&o, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "web identity (profile wi): the web identity token file /tok "
	                   "(web_identity_token_file of profile wi) does not exist");
	free(err);
	aws_conf_free(&c);

	/* IMDS is supported (tests/unit/test-imds.c), and disabled here */
	o.profile = "imds";
	fx_resolve_ok(&o, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "credential_source = Ec2InstanceMetadata, but found no credentials");
	fx_assert_contains(err, "disabled (AWS_EC2_METADATA_DISABLED=true)");
	free(err);
	aws_conf_free(&c);

	/* the environment's web identity */
	o.profile = NULL;
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/tok", 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/x", 1);
	setenv("AWS_REGION", "us-east-1", 1);
	fx_resolve_ok(&o, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): the web identity "
	                   "token file /tok (AWS_WEB_IDENTITY_TOKEN_FILE) does not exist");
	free(err);
	aws_conf_free(&c);
	/* ...but environment keys come first */
	setenv("AWS_ACCESS_KEY_ID", "A", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "B", 1);
	fx_resolve_ok(&o, &c);
	struct aws_credentials cr;
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.source, "environment");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
}

static void s3_service_default_endpoint(void **state)
{
	struct aws_conf_opts o = { .region = "eu-west-3", .service = "s3" };
	struct aws_conf c;

	setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:1", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "https://s3.eu-west-3.amazonaws.com");
	aws_conf_free(&c);
	setenv("AWS_ENDPOINT_URL_S3", "http://localhost:2", 1);
	fx_resolve_ok(&o, &c);
	assert_string_equal(c.endpoint_url, "http://localhost:2");
	assert_string_equal(c.endpoint_source, "AWS_ENDPOINT_URL_S3");
	aws_conf_free(&c);
}

/* ---- credential_process ------------------------------------------------ */

/* Write an executable script into HOME; returns its path. */
static char *script(const char *name, const char *body)
{
	char *path = fx_path(name);
	char *text;

	assert_true(asprintf(&text, "#!/bin/sh\n%s", body) > 0);
	fx_write_path(path, text, 0755);
	free(text);
	return path;
}

/* A config whose default profile runs `cmd` (a format with the path). */
static void process_profile(const char *cmd)
{
	char *text;

	assert_true(asprintf(&text, "[default]\nregion = us-east-1\ncredential_process = %s\n",
	                     cmd) > 0);
	fx_set_files(text, NULL);
	free(text);
}

static int run_count(void)
{
	char *p = fx_path("count");
	FILE *f = fopen(p, "r");
	int n = 0;

	free(p);
	if (!f)
		return 0;
	if (fscanf(f, "%d", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

#define COUNTER "n=$(cat \"$HOME/count\" 2>/dev/null || echo 0); echo $((n+1)) > \"$HOME/count\"\n"

static void process_valid_json(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	char *p = script("ok.sh", COUNTER
		"echo 'some progress' >&2\n"
		"cat <<EOF\n"
		"{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"procsecret\",\n"
		" \"SessionToken\": \"proctoken\", \"Expiration\": \"2030-01-01T00:00:00Z\",\n"
		" \"AccountId\": \"123456789012\"}\n"
		"EOF\n");

	process_profile(p);
	fx_resolve_ok(NULL, &c);
	assert_int_equal(run_count(), 0);   /* runs lazily */
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "AKIDPROC");
	assert_string_equal(cr.secret_access_key, "procsecret");
	assert_string_equal(cr.session_token, "proctoken");
	assert_int_equal(cr.expiration, 1893456000);
	assert_string_equal(cr.source, "credential_process (profile default)");
	aws_credentials_free(&cr);
	assert_int_equal(run_count(), 1);
	aws_conf_free(&c);
	free(p);
}

static void process_bad_output(void **state)
{
	static const struct { const char *out; const char *want; } cases[] = {
		{ "{\"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"SeKrEt1\"}", "Version" },
		{ "{\"Version\": 2, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"SeKrEt1\"}",
		  "must be the number 1" },
		{ "{\"Version\": \"1\", \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"SeKrEt1\"}",
		  "must be the number 1" },
		{ "{\"Version\": 1, \"SecretAccessKey\": \"SeKrEt1\"}", "AccessKeyId" },
		{ "{\"Version\": 1, \"AccessKeyId\": \"AKIDX\"}", "SecretAccessKey" },
		{ "{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": 5}",
		  "SecretAccessKey" },
		{ "{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"SeKrEt1\", "
		  "\"Expiration\": \"tomorrow\"}", "RFC 3339" },
		{ "{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"SeKrEt1\", "
		  "\"SessionToken\": 7}", "SessionToken" },
		{ "AccessKeyId=AKIDX SecretAccessKey=SeKrEt1", "valid JSON" },
		{ "{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"SeKrEt1\"", "valid JSON" },
		{ "[1]", "not an object" },
		{ "", "valid JSON" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct aws_credentials cr;
		char *err = NULL;

		assert_int_equal(aws_credproc_parse(cases[i].out, strlen(cases[i].out), "cp",
		                                    &cr, &err), -1);
		fx_assert_contains(err, cases[i].want);
		assert_null(strstr(err, "SeKrEt1"));
		assert_null(strstr(err, "AKIDX"));
		free(err);
	}

	/* and through the chain, from a real process */
	struct aws_conf c;
	char *p = script("nover.sh",
		"echo '{\"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"SeKrEt1\"}'\n");
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	char *err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "credential_process (profile default)");
	fx_assert_contains(err, "Version");
	assert_null(strstr(err, "SeKrEt1"));
	free(err);
	aws_conf_free(&c);
	free(p);
}

static void process_failure_shows_stderr(void **state)
{
	struct aws_conf c;
	char *p = script("fail.sh",
		"echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"SeKrEt2\"}'\n"
		"printf 'token expired: run aws sso login\\n\\033[31mred\\n' >&2\n"
		"exit 3\n");
	char *err, *errfile = fx_path("our-stderr");
	int saved, fd;
	struct stat st;

	process_profile(p);
	fx_resolve_ok(NULL, &c);
	/* the program's stderr must not reach ours */
	fflush(stderr);
	saved = dup(2);
	fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
	err = fx_creds_err(&c, 1000);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(stat(errfile, &st), 0);
	assert_int_equal(st.st_size, 0);
	fx_assert_contains(err, "exit status 3");
	fx_assert_contains(err, "token expired: run aws sso login");
	fx_assert_contains(err, "?[31mred");        /* escape sequences defused */
	assert_null(strstr(err, "SeKrEt2"));
	assert_null(strstr(err, "\033"));
	free(err);
	aws_conf_free(&c);
	free(p);
	free(errfile);

	/* killed by a signal; silent failure */
	p = script("kill.sh", "kill -9 $$\n");
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "signal 9");
	free(err);
	aws_conf_free(&c);
	free(p);
	p = script("quiet.sh", "exit 1\n");
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "exit status 1: (it printed nothing on stderr)");
	free(err);
	aws_conf_free(&c);
	free(p);
}

static void process_timeout(void **state)
{
	struct aws_conf c;
	struct timespec t0, t1;
	char *p = script("slow.sh", "echo started >&2\nexec sleep 30\n");
	char *err;
	double secs;

	process_profile(p);
	fx_resolve_ok(NULL, &c);
	aws_credproc_set_timeout_ms(300);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = fx_creds_err(&c, 1000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	fx_assert_contains(err, "timed out after 0.300 s");
	assert_true(secs >= 0.29 && secs < 5);
	/* reaped: no child left */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	free(err);

	/* a child that closes its output but keeps running also times out */
	free(p);
	p = script("lingers.sh", "exec >&- 2>&-\nexec sleep 30\n");
	aws_conf_free(&c);
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "timed out");
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	free(err);
	aws_conf_free(&c);
	free(p);
}

/* The pids a helper wrote to ~/NAME, one a line, into pids[max]; how many. */
static int read_pids(const char *name, pid_t *pids, int max)
{
	char *p = fx_path(name);
	FILE *f = fopen(p, "r");
	long pid;
	int n = 0;

	assert_non_null(f);
	while (n < max && fscanf(f, "%ld", &pid) == 1) {
		assert_true(pid > 1);
		pids[n++] = (pid_t)pid;
	}
	fclose(f);
	free(p);
	assert_true(n > 0);
	return n;
}

static pid_t read_pid(const char *name)
{
	pid_t pid;

	read_pids(name, &pid, 1);
	return pid;
}

/* The tests below make this process a child subreaper, so that what a
 * helper leaves behind is re-parented here rather than to init (which in a
 * container may never reap it, leaving a zombie that kill(pid, 0) still
 * finds).  Wait up to 5 s for the adopted `pid` to end (until its parent
 * has ended, it is not ours to wait for: ECHILD); its wait status. */
static int reap_adopted(pid_t pid)
{
	int status = 0;

	for (int i = 0; i < 500; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		assert_true(r == 0 || (r < 0 && (errno == ECHILD || errno == EINTR)));
		usleep(10 * 1000);
	}
	print_error("# process %ld is still there\n", (long)pid);
	fail();
	return -1;
}

/* Issue 11: a helper that prints its JSON and exits, leaving a background
 * child that holds stdout open, used to keep ddtree waiting for end of file
 * until the time limit.  Its output counts once it has exited; the
 * background child is left alone, as a shell would leave it. */
static void process_background_child_keeps_stdout(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	pid_t bg;
	char *p;

	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	/* the command line; 5 s would run out long before the sleep */
	aws_credproc_set_timeout_ms(5000);
	process_profile("sh -c 'sleep 300 & echo $! >\"$HOME/bg.pid\"; echo \"{\\\"Version\\\": 1, "
	                "\\\"AccessKeyId\\\": \\\"BGKEY\\\", \\\"SecretAccessKey\\\": \\\"s\\\"}\"'");
	fx_resolve_ok(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "BGKEY");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	bg = read_pid("bg.pid");
	assert_int_equal(waitpid(bg, NULL, WNOHANG), 0);      /* still running */
	assert_int_equal(kill(bg, SIGKILL), 0);
	assert_true(WIFSIGNALED(reap_adopted(bg)));

	/* all of a long output arrives, also what is still in the pipe when
	 * the helper exits (60000 bytes: more than one read) */
	p = script("bigbg.sh",
		"sleep 300 &\n"
		"echo $! >\"$HOME/bg.pid\"\n"
		"printf '{\"Version\": 1, \"AccessKeyId\": \"BIG\", \"SecretAccessKey\": \"s\", "
		"\"SessionToken\": \"'\n"
		"head -c 60000 /dev/zero | tr '\\0' t\n"
		"printf '\"}\\n'\n"
		"echo done >&2\n");
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "BIG");
	assert_int_equal(strlen(cr.session_token), 60000);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	bg = read_pid("bg.pid");
	assert_int_equal(kill(bg, SIGKILL), 0);
	reap_adopted(bg);

	/* the exit status still decides, and stderr is still shown */
	free(p);
	p = script("bgfail.sh", "sleep 300 &\necho $! >\"$HOME/bg.pid\"\n"
	           "echo 'no session' >&2\nexit 4\n");
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	char *err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "exit status 4: no session");
	free(err);
	aws_conf_free(&c);
	bg = read_pid("bg.pid");
	assert_int_equal(kill(bg, SIGKILL), 0);
	reap_adopted(bg);
	free(p);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

/* Issue 11: on timeout the helper's whole process group is killed, not just
 * the helper. */
static void process_timeout_kills_group(void **state)
{
	struct aws_conf c;
	pid_t gc, gcs[2];
	char *err;
	int status;

	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	aws_credproc_set_timeout_ms(500);
	/* two children, so that the helper itself only waits */
	process_profile("sh -c 'sleep 300 & echo $! >\"$HOME/gc.pid\"; "
	                "sleep 301 & echo $! >>\"$HOME/gc.pid\"; wait'");
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "timed out after 0.500 s");
	free(err);
	aws_conf_free(&c);
	assert_int_equal(read_pids("gc.pid", gcs, 2), 2);
	for (int i = 0; i < 2; i++) {
		status = reap_adopted(gcs[i]);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		assert_int_equal(kill(gcs[i], 0), -1);
		assert_int_equal(errno, ESRCH);
	}

	/* a helper that stops at the terminal (it runs in a background process
	 * group; SIGTTIN stands in for opening /dev/tty to ask for a code) is
	 * ended at once, with its group, and says why */
	char *p = script("tty.sh", "sleep 300 &\necho $! >\"$HOME/gc.pid\"\nkill -TTIN $$\n"
	                 "echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}'\n");
	aws_credproc_set_timeout_ms(5000);
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "tried to use the terminal");
	free(err);
	aws_conf_free(&c);
	gc = read_pid("gc.pid");
	status = reap_adopted(gc);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	free(p);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

static void process_command_line_quoting(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	char *dir = fx_path("with space"), *p, *cmd, *args;
	FILE *f;
	char line[256];

	mkdir(dir, 0700);
	p = fx_path("with space/args.sh");
	fx_write_path(p, "#!/bin/sh\n"
	              "for a in \"$@\"; do printf '<%s>' \"$a\"; done > \"$HOME/args\"\n"
	              "echo '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"B\"}'\n", 0755);
	assert_true(asprintf(&cmd, "'%s' \"a  b\" c\\ d 'e \"f\"' \"g\\\"h\\\\i\" $HOME ~ '' x#y", p) > 0);
	process_profile(cmd);
	fx_resolve_ok(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	aws_credentials_free(&cr);
	args = fx_path("args");
	f = fopen(args, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_string_equal(line, "<a  b><c d><e \"f\"><g\"h\\i><$HOME><~><><x#y>");
	aws_conf_free(&c);
	free(args);
	free(cmd);
	free(p);
	free(dir);

	/* a program found on PATH */
	p = script("bin-onpath", "echo '{\"Version\":1,\"AccessKeyId\":\"P\",\"SecretAccessKey\":\"Q\"}'\n");
	char *newpath;
	assert_true(asprintf(&newpath, "/nonexistent:%s:%s", fx_home, saved_path) > 0);
	setenv("PATH", newpath, 1);
	process_profile("bin-onpath --flag");
	fx_resolve_ok(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_string_equal(cr.access_key_id, "P");
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	free(newpath);
	free(p);

	/* not found */
	process_profile("ddtree-no-such-program-xyz arg");
	fx_resolve_ok(NULL, &c);
	char *err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "'ddtree-no-such-program-xyz' was not found on PATH");
	free(err);
	aws_conf_free(&c);
	process_profile("/nonexistent/prog");
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "/nonexistent/prog");
	free(err);
	aws_conf_free(&c);
}

/* aws_credproc_split against Python's shlex.split, which botocore uses.  Each
 * expected result was printed by Python 3.11 for its input and pasted here:
 *   python3 -c 'import shlex, sys
 *   print("".join("[%s]" % w for w in shlex.split(sys.argv[1])))' "$input"
 * ("[w]" is one word; the bad inputs made shlex.split raise ValueError). */
static void process_split(void **state)
{
	static const struct { const char *in; const char *out; } ok[] = {
		{ "a b\tc\n d", "[a][b][c][d]" },
		{ "a\rb", "[a][b]" },
		{ "  'x y'  ", "[x y]" },
		{ "a'b'\"c\"d", "[abcd]" },
		{ "\"$x \\$y \\a\"", "[$x \\$y \\a]" },
		{ "\"\\`date\\`\"", "[\\`date\\`]" },
		{ "\"a\\\"b\"", "[a\"b]" },
		{ "\"a\\\\b\"", "[a\\b]" },
		{ "\"a\\\\\\\"b\"", "[a\\\"b]" },
		{ "\"\\n\\t\"", "[\\n\\t]" },
		{ "\"a\\'b\"", "[a\\'b]" },
		{ "'a\\b'", "[a\\b]" },
		{ "'a\\'", "[a\\]" },
		{ "'a\"b'", "[a\"b]" },
		{ "\"a'b\"", "[a'b]" },
		{ "a\\\nb", "[a\nb]" },
		{ "a\\ b\\'c", "[a b'c]" },
		{ "\\a\\b\\\\c", "[ab\\c]" },
		{ "\\$HOME \\~ \\*", "[$HOME][~][*]" },
		{ "\\\"x\\\"", "[\"x\"]" },
		{ "\\#x", "[#x]" },
		{ "\"a\\\nb\"", "[a\\\nb]" },
		{ "'a\\\nb'", "[a\\\nb]" },
		{ "'it'\\''s'", "[it's]" },
		{ "\"\" ''", "[][]" },
		{ "'' x ''", "[][x][]" },
		{ "a\"\"b", "[ab]" },
		{ "a'' b", "[a][b]" },
		{ "x#y # z", "[x#y][#][z]" },
		{ "#comment", "[#comment]" },
		{ "$HOME ~ *.txt a;b a|b a&&b (x) <in >out", "[$HOME][~][*.txt][a;b][a|b][a&&b][(x)][<in][>out]" },
		{ "a=b c='d e'", "[a=b][c=d e]" },
		{ "\"a\"'b'c\\ d", "[abc d]" },
		{ "\t\n\r x \t\n\r", "[x]" },
		{ "a\\\tb", "[a\tb]" },
		{ "a\\\rb", "[a\rb]" },
		{ "\"multi\nline\"", "[multi\nline]" },
		{ "'one\ttab'", "[one\ttab]" },
		{ "caf\303\251 \"\303\274\303\237\"", "[caf\303\251][\303\274\303\237]" },
		{ "\302\240a", "[\302\240a]" },
		{ "a\fb\vc", "[a\fb\vc]" },
		{ "\"\\\\\"", "[\\]" },
		{ "\\\\\\\\", "[\\\\]" },
		{ "\"a\"\"b\"", "[ab]" },
		{ "'a''b'", "[ab]" },
		{ "\"'\"'\"'", "['\"]" },
		{ "aws configure export-credentials --profile 'prod admin'", "[aws][configure][export-credentials][--profile][prod admin]" },
		{ "/usr/bin/env \"PATH=/x y\" helper --arg=\"v w\"", "[/usr/bin/env][PATH=/x y][helper][--arg=v w]" },
		{ "sh -c 'sleep 300 & echo {}'", "[sh][-c][sleep 300 & echo {}]" },
	};
	/* shlex.split raises ValueError on these ("No closing quotation", "No
	 * escaped character") ... */
	static const char *bad[] = {
		"'open",  /* No closing quotation */
		"\"open",  /* No closing quotation */
		"a\\",  /* No escaped character */
		"\"a\\\"",  /* No closing quotation */
		"\"a\\",  /* No escaped character */
		"x \"y",  /* No closing quotation */
		"ok 'a'\"b",  /* No closing quotation */
		"\\\\\\",  /* No escaped character */
		/* ... and returns no word for these, which cannot be run */
		"", "   ", " \t\r\n",
	};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char **argv, *err = NULL, buf[256] = "";
		assert_int_equal(aws_credproc_split(ok[i].in, &argv, &err), 0);
		for (char **a = argv; *a; a++) {
			strcat(buf, "[");
			strcat(buf, *a);
			strcat(buf, "]");
		}
		if (strcmp(buf, ok[i].out) != 0)
			print_error("# case %zu: %s\n", i, ok[i].in);
		assert_string_equal(buf, ok[i].out);
		aws_credproc_argv_free(argv);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char **argv, *err = NULL;
		assert_int_equal(aws_credproc_split(bad[i], &argv, &err), -1);
		assert_null(argv);
		assert_non_null(err);
		free(err);
	}
}

/* Expiration 2030-01-01T00:00:00Z = T; refresh margin 600 s. */
#define T 1893456000

static void process_refresh_on_expiry(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	char *p = script("exp.sh", COUNTER
		"echo \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"AKID$(cat \"$HOME/count\")\\\","
		" \\\"SecretAccessKey\\\": \\\"s\\\", \\\"Expiration\\\": \\\"2030-01-01T01:00:00+01:00\\\"}\"\n");

	process_profile(p);
	fx_resolve_ok(NULL, &c);
	fx_creds_ok(&c, T - 3600, &cr);
	assert_string_equal(cr.access_key_id, "AKID1");
	assert_int_equal(cr.expiration, T);
	aws_credentials_free(&cr);
	fx_creds_ok(&c, T - 601, &cr);        /* still fresh: cached */
	assert_string_equal(cr.access_key_id, "AKID1");
	aws_credentials_free(&cr);
	assert_int_equal(run_count(), 1);
	fx_creds_ok(&c, T - 300, &cr);        /* near expiry: runs again */
	assert_string_equal(cr.access_key_id, "AKID2");
	aws_credentials_free(&cr);
	fx_creds_ok(&c, T + 10, &cr);         /* expired: and again */
	assert_string_equal(cr.access_key_id, "AKID3");
	aws_credentials_free(&cr);
	assert_int_equal(run_count(), 3);

	/* a smaller margin keeps them longer; invalidate forces a run */
	aws_creds_set_refresh_margin(c.creds, 60);
	fx_creds_ok(&c, T - 120, &cr);
	assert_string_equal(cr.access_key_id, "AKID3");
	aws_credentials_free(&cr);
	aws_creds_invalidate(c.creds);
	fx_creds_ok(&c, T - 120, &cr);
	assert_string_equal(cr.access_key_id, "AKID4");
	aws_credentials_free(&cr);
	assert_int_equal(run_count(), 4);
	aws_conf_free(&c);
	free(p);
}

static void process_no_expiration_cached_forever(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	char *p = script("forever.sh", COUNTER
		"echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}'\n");

	process_profile(p);
	fx_resolve_ok(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	assert_int_equal(cr.expiration, 0);
	aws_credentials_free(&cr);
	fx_creds_ok(&c, 1000 + 10 * 365 * 86400L, &cr);
	aws_credentials_free(&cr);
	assert_int_equal(run_count(), 1);
	aws_conf_free(&c);
	free(p);
}

static void process_output_caps(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	char *err;
	/* 100 KiB on stdout: refused; 100 KiB on stderr is drained, kept short */
	char *p = script("big.sh",
		"head -c 102400 /dev/zero | tr '\\0' x\n");

	process_profile(p);
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "more than 64 KiB");
	free(err);
	aws_conf_free(&c);
	free(p);

	p = script("bigerr.sh",
		"head -c 102400 /dev/zero | tr '\\0' e >&2\n"
		"echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}'\n"
		"exit 2\n");
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	err = fx_creds_err(&c, 1000);
	fx_assert_contains(err, "exit status 2");
	fx_assert_contains(err, "eeee [...]");
	assert_true(strlen(err) < 8 * 1024 + 200);
	free(err);
	aws_conf_free(&c);
	free(p);

	/* a large stderr with success is fine */
	p = script("noisy.sh",
		"head -c 102400 /dev/zero | tr '\\0' e >&2\n"
		"echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}'\n");
	process_profile(p);
	fx_resolve_ok(NULL, &c);
	fx_creds_ok(&c, 1000, &cr);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	free(p);
}

static void process_stdin_is_dev_null(void **state)
{
	struct aws_conf c;
	struct aws_credentials cr;
	/* reading stdin must see EOF at once, not hang on the terminal */
	char *p = script("stdin.sh",
		"cat > /dev/null\n"
		"echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}'\n");

	process_profile(p);
	fx_resolve_ok(NULL, &c);
	aws_credproc_set_timeout_ms(5000);
	fx_creds_ok(&c, 1000, &cr);
	aws_credentials_free(&cr);
	aws_conf_free(&c);
	free(p);
}

struct thread_arg {
	struct aws_conf *c;
	int rc;
};

static void *getter(void *arg)
{
	struct thread_arg *a = arg;
	struct aws_credentials cr;
	char *err = NULL;

	a->rc = aws_creds_get(a->c->creds, 1000, &cr, &err);
	if (a->rc == 0)
		aws_credentials_free(&cr);
	free(err);
	return NULL;
}

static void creds_from_threads(void **state)
{
	struct aws_conf c;
	pthread_t th[4];
	struct thread_arg args[4];
	char *p = script("mt.sh", COUNTER "sleep 0.1\n"
		"echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}'\n");

	process_profile(p);
	fx_resolve_ok(NULL, &c);
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ .c = &c, .rc = -2 };
		assert_int_equal(pthread_create(&th[i], NULL, getter, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].rc, 0);
	}
	assert_int_equal(run_count(), 1);
	aws_conf_free(&c);
	free(p);
}

static void null_arguments(void **state)
{
	struct aws_credentials cr;
	char *err = NULL;

	assert_int_equal(aws_creds_get(NULL, 0, &cr, &err), -1);
	free(err);
	aws_creds_invalidate(NULL);
	aws_creds_set_refresh_margin(NULL, 5);
	aws_credentials_free(NULL);
	aws_conf_free(NULL);
}

/* ---- main -------------------------------------------------------------- */

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		TEST(resolve_disables_core_dumps),
		TEST(endpoint_case_count),
		TEST(env_beats_aws_profile_keys),
		TEST(explicit_profile_beats_env),
		TEST(credentials_file_beats_config),
		TEST(profile_default_beats_bare_default),
		TEST(aws_default_profile_fallback),
		TEST(missing_named_profile),
		TEST(nothing_found_lists_sources),
		TEST(placeholder_for_loopback),
		TEST(region_chain),
		TEST(endpoint_sources),
		TEST(plain_http_to_remote_refused),
		TEST(loopback_detection),
		TEST(trailing_dot_is_remote),
		TEST(plain_http_warning),
		TEST(ca_bundle_and_max_attempts),
		TEST(file_overrides_and_parse_errors),
		TEST(files_dev_null_are_empty),
		TEST(partial_keys_and_tokens),
		TEST(unsupported_sources_explained),
		TEST(s3_service_default_endpoint),
		TEST(process_valid_json),
		TEST(process_bad_output),
		TEST(process_failure_shows_stderr),
		TEST(process_timeout),
		TEST(process_background_child_keeps_stdout),
		TEST(process_timeout_kills_group),
		TEST(process_command_line_quoting),
		TEST(process_split),
		TEST(process_refresh_on_expiry),
		TEST(process_no_expiration_cached_forever),
		TEST(process_output_caps),
		TEST(process_stdin_is_dev_null),
		TEST(creds_from_threads),
		TEST(null_arguments),
	};
	size_t nfixed = sizeof fixed / sizeof fixed[0], n = 0, i;
	struct CMUnitTest *tests;
	char **names;
	json_t *cases, *c;
	int rc;

	/* the suite is needed to size the group; group_setup loads it again */
	if (group_setup(NULL) != 0)
		return 1;
	cases = json_object_get(json_array_get(json_object_get(endpoint_suite, "testSuites"), 0),
	                        "endpointUrlTests");
	tests = calloc(nfixed + json_array_size(cases), sizeof *tests);
	names = calloc(nfixed + json_array_size(cases), sizeof *names);
	if (!tests || !names)
		return 1;
	for (i = 0; i < nfixed; i++)
		tests[n++] = fixed[i];
	json_array_foreach(cases, i, c) {
		if (asprintf(&names[n], "endpoint %zu: %s", i + 1,
		             json_string_value(json_object_get(c, "name"))) < 0)
			return 1;
		tests[n] = (struct CMUnitTest){ .name = names[n], .test_func = endpoint_case,
		                                .setup_func = test_setup,
		                                .teardown_func = test_teardown,
		                                .initial_state = c };
		n++;
	}
	rc = _cmocka_run_group_tests("config", tests, n, NULL, NULL);
	group_teardown(NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
