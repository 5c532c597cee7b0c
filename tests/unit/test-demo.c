/* tests/unit/test-demo.c: `demo` runs against a DynamoDB on this machine
 * only (model/demo.c).  Anywhere else, real AWS included, demo_create and
 * the fillers refuse before any request, whatever --write says.
 *
 * No credentials are set (HOME is an empty directory, every AWS_* variable
 * is cleared), so even a demo that failed to refuse could not send a
 * request: it would end on "no credentials" before connecting.  What the
 * tests check is the refusal itself and that the client saw no call. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/demo.h"
#include "model/session.h"

extern char **environ;

static char home[] = "/tmp/ddtree-test-demo-XXXXXX";
static char trace[300];

static void clear_aws_env(void)
{
	char *names[512];
	size_t n = 0;

	for (char **e = environ; *e && n < 512; e++)
		if (strncmp(*e, "AWS_", 4) == 0)
			names[n++] = strndup(*e, strcspn(*e, "="));
	for (size_t i = 0; i < n; i++) {
		unsetenv(names[i]);
		free(names[i]);
	}
}

static int setup(void **st)
{
	(void)st;
	if (!mkdtemp(home))
		return -1;
	setenv("HOME", home, 1);
	clear_aws_env();
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	unsetenv("DDTREE_READ_ONLY");
	snprintf(trace, sizeof trace, "%s/trace", home);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	unlink(trace);
	rmdir(home);
	return 0;
}

static struct session *open_session(const char *endpoint, const char *region, bool write)
{
	struct session_opts o = {
		.aws = { .endpoint_url = endpoint, .region = region, .allow_plain_http = true },
		.write = write,
		.debug_path = trace,
	};
	char *err = NULL;
	struct session *s = session_open(&o, &err);
	if (!s)
		fail_msg("session_open: %s", err ? err : "?");
	return s;
}

static void assert_no_call(struct session *s)
{
	struct ddb_stats st;
	struct stat sb;

	ddb_client_stats(s->ddb, &st);
	assert_int_equal(st.calls, 0);
	assert_int_equal(st.attempts, 0);
	/* the --debug trace saw nothing either: no connection was tried */
	assert_int_equal(stat(trace, &sb), 0);
	assert_int_equal(sb.st_size, 0);
}

static void refuse(const char *endpoint, const char *region, bool write, bool reset,
                   const char *shown)
{
	struct session *s = open_session(endpoint, region, write);
	struct demo_opts o = { .prefix = "", .reset = reset };
	char *err = NULL;

	assert_int_equal(demo_create(s, &o, &err), DEMO_REFUSED);
	assert_non_null(err);
	if (!strstr(err, "refusing to run demo against ") || !strstr(err, shown) ||
	    !strstr(err, "stache-namespaces, stache-documents and chainlit") ||
	    !strstr(err, "only runs on a DynamoDB on this machine"))
		fail_msg("unexpected message: %s", err);
	free(err);
	assert_no_call(s);
	session_close(s);
	unlink(trace);
}

/* --write (or "set write true" in the config file, which sets the same
 * option) does not make a remote demo pass, with or without --reset */
static void remote_endpoints_are_refused(void **st)
{
	(void)st;
	refuse("http://192.0.2.1:9", "us-east-1", true, true, "http://192.0.2.1:9");
	refuse("http://192.0.2.1:9", "us-east-1", true, false, "http://192.0.2.1:9");
	refuse("https://dynamodb.eu-west-1.amazonaws.com", "eu-west-1", true, true,
	       "https://dynamodb.eu-west-1.amazonaws.com");
	refuse("http://localhost.:8000", "us-east-1", true, true, "http://localhost.:8000");
	refuse("http://127.1:8000", "us-east-1", true, true, "http://127.1:8000");
	refuse("http://[::ffff:127.0.0.1]:8000", "us-east-1", true, true, "[::ffff:127.0.0.1]");
	/* read-only (no --write): the demo rule speaks first, so the message
	 * does not suggest --write */
	refuse("https://dynamodb.eu-west-1.amazonaws.com", "eu-west-1", false, true,
	       "https://dynamodb.eu-west-1.amazonaws.com");
}

/* no endpoint at all: real AWS */
static void real_aws_is_refused(void **st)
{
	(void)st;
	refuse(NULL, "us-east-1", true, true, "https://dynamodb.us-east-1.amazonaws.com");
}

/* the fillers are public too: they refuse the same way */
static void fillers_refuse(void **st)
{
	(void)st;
	struct session *s = open_session("https://dynamodb.eu-west-1.amazonaws.com", "eu-west-1", true);
	struct demo_names n;
	struct demo_opts o = { 0 };
	char *err = NULL;

	demo_table_names("", &n);
	assert_int_equal(demo_fill_stache(s, &n, &o, &err), -1);
	assert_non_null(strstr(err, "refusing to run demo"));
	free(err);
	err = NULL;
	assert_int_equal(demo_fill_chainlit(s, &n, &o, &err), -1);
	assert_non_null(strstr(err, "refusing to run demo"));
	free(err);
	assert_no_call(s);
	session_close(s);
	unlink(trace);
}

/* on this machine, the read-only switch still applies (and is a refusal) */
static void loopback_read_only_is_refused(void **st)
{
	(void)st;
	struct session_opts so = {
		.aws = { .endpoint_url = "http://127.0.0.1:9" },
		.read_only = true,
		.debug_path = trace,
	};
	char *err = NULL;
	struct session *s = session_open(&so, &err);
	assert_non_null(s);
	struct demo_opts o = { .prefix = "", .reset = true };
	assert_int_equal(demo_create(s, &o, &err), DEMO_REFUSED);
	assert_non_null(strstr(err, "read-only"));
	free(err);
	assert_no_call(s);
	session_close(s);
	unlink(trace);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remote_endpoints_are_refused),
		cmocka_unit_test(real_aws_is_refused),
		cmocka_unit_test(fillers_refuse),
		cmocka_unit_test(loopback_read_only_is_refused),
	};
	return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
