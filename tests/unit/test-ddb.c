/* tests/unit/test-ddb.c: what aws/ddb.c's --debug trace writes in place of
 * secrets (ddb_trace_redact): the request's Authorization and
 * X-Amz-Security-Token, the proxy's Proxy-Authorization, and the password
 * of a proxy URL that curl quotes.  How an error is described for people
 * (ddb_error_describe, aws/ddberr.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ddb.h"

static void check(const char *in, const char *want)
{
	char *got = ddb_trace_redact(in, strlen(in));

	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("ddb_trace_redact(\"%s\"):\n  got  \"%s\"\n  want \"%s\"", in, got, want);
	free(got);
}

static void secret_headers(void **st)
{
	(void)st;
	check("Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
	      "dynamodb/aws4_request, SignedHeaders=host, Signature=abcdef",
	      "Authorization: [redacted]");
	check("X-Amz-Security-Token: FwoGZXIvYXdzEJr", "X-Amz-Security-Token: [redacted]");
	check("x-amz-sso_bearer_token: aoa", "x-amz-sso_bearer_token: [redacted]");
	check("Proxy-Authorization: Basic dXNlcjpzM2NyZXRwdw==", "Proxy-Authorization: [redacted]");
	check("PROXY-AUTHORIZATION:Basic dXNlcjpzM2NyZXRwdw==", "PROXY-AUTHORIZATION: [redacted]");
	check("proxy-authorization: Digest username=\"u\", response=\"x\"",
	      "proxy-authorization: [redacted]");
	/* other headers pass as they are */
	check("X-Amz-Target: DynamoDB_20120810.ListTables", "X-Amz-Target: DynamoDB_20120810.ListTables");
	check("Proxy-Connection: Keep-Alive", "Proxy-Connection: Keep-Alive");
	check("Authorizationx", "Authorizationx");
	check("CONNECT dynamodb.us-east-1.amazonaws.com:443 HTTP/1.1",
	      "CONNECT dynamodb.us-east-1.amazonaws.com:443 HTTP/1.1");
	check("", "");
}

static void proxy_urls(void **st)
{
	(void)st;
	/* what curl 7.88 says with --debug and a proxy from the environment */
	check("Uses proxy env variable https_proxy == 'http://user:s3cretpw@127.0.0.1:3128'",
	      "Uses proxy env variable https_proxy == 'http://user:[redacted]@127.0.0.1:3128'");
	check("Uses proxy env variable http_proxy == 'http://u%40x:p%3Aw@proxy.example:8080/'",
	      "Uses proxy env variable http_proxy == 'http://u%40x:[redacted]@proxy.example:8080/'");
	/* '@' and ':' inside the password: everything up to the last '@' */
	check("http://user:p@ss:w@rd@10.0.0.1:3128", "http://user:[redacted]@10.0.0.1:3128");
	check("socks5h://a:b@h", "socks5h://a:[redacted]@h");
	check("http://:pw@h/", "http://:[redacted]@h/");
	check("http://user:@h/", "http://user:[redacted]@h/");
	check("two: http://a:1@h and https://b:2@k/x",
	      "two: http://a:[redacted]@h and https://b:[redacted]@k/x");
	/* no password: nothing to hide */
	check("http://user@proxy:3128", "http://user@proxy:3128");
	check("http://proxy:3128/a@b", "http://proxy:3128/a@b");
	check("Proxy auth using Basic with user 'user'", "Proxy auth using Basic with user 'user'");
	check("Connected to 127.0.0.1 (127.0.0.1) port 3128 (#0)",
	      "Connected to 127.0.0.1 (127.0.0.1) port 3128 (#0)");
	check("://", "://");
	check("x://:@", "x://:[redacted]@");
}

/* only the first n bytes are read */
static void length_is_respected(void **st)
{
	(void)st;
	const char *in = "Host: a\nAuthorization: secret";
	char *got = ddb_trace_redact(in, 7);
	assert_string_equal(got, "Host: a");
	free(got);
	got = ddb_trace_redact("http://u:pw@h", 9);     /* "http://u:" */
	assert_string_equal(got, "http://u:");
	free(got);
}

/* ---- ddb_error_describe ------------------------------------------------------- */

static void describe_is(const struct ddb_error *e, const struct aws_conf *conf, unsigned flags,
                        const char *want)
{
	char *got = ddb_error_describe(e, conf, flags);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("ddb_error_describe:\n  got  \"%s\"\n  want \"%s\"", got, want);
	free(got);
}

static void describe_service(void **st)
{
	(void)st;
	struct aws_conf conf = {.endpoint_url = "http://127.0.0.1:8000", .profile = "default",
	                        .profile_source = "default"};
	struct ddb_error e = {.kind = DDB_ERR_SERVICE, .http_status = 400,
	                      .code = "ResourceNotFoundException", .message = "Requested resource not found"};
	describe_is(&e, &conf, 0, "ResourceNotFoundException: Requested resource not found");
	/* a DynamoDB error with a 5xx */
	e = (struct ddb_error){.kind = DDB_ERR_SERVICE, .http_status = 500,
	                       .code = "InternalServerError", .message = "boom"};
	describe_is(&e, &conf, 0, "InternalServerError: boom (server error)");
	/* no code: the message alone; no message: the kind's text */
	e = (struct ddb_error){.kind = DDB_ERR_NETWORK, .message = "http://h: Couldn't connect"};
	describe_is(&e, NULL, 0, "http://h: Couldn't connect");
	e = (struct ddb_error){.kind = DDB_ERR_TIMEOUT};
	describe_is(&e, NULL, 0, "timed out");
	e = (struct ddb_error){.kind = DDB_OK};
	describe_is(&e, NULL, 0, "ok");
}

/* An answer with no DynamoDB error in it: a plain web server. */
static void describe_not_dynamodb(void **st)
{
	(void)st;
	struct aws_conf conf = {.endpoint_url = "http://127.0.0.1:8080"};
	struct ddb_error e = {0};
	json_decref(ddb_parse_error_body("", 0, NULL, 501, &e));
	describe_is(&e, &conf, 0, "http://127.0.0.1:8080 answered HTTP 501 with no DynamoDB error: "
	            "not a DynamoDB endpoint?");
	free(e.code);
	free(e.message);
	memset(&e, 0, sizeof e);
	const char *html = "<html><body>Not Found</body></html>";
	json_decref(ddb_parse_error_body(html, strlen(html), NULL, 404, &e));
	describe_is(&e, NULL, 0, "the endpoint answered HTTP 404 with no DynamoDB error: not a "
	            "DynamoDB endpoint?");
	free(e.code);
	free(e.message);
	/* a real DynamoDB error keeps its code, whatever the status */
	memset(&e, 0, sizeof e);
	const char *body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\"}";
	json_decref(ddb_parse_error_body(body, strlen(body), NULL, 503, &e));
	describe_is(&e, &conf, 0, "ThrottlingException: HTTP status 503 (server error)");
	free(e.code);
	free(e.message);
}

/* Refused credentials: where they came from and what to do. */
static void describe_refused_credentials(void **st)
{
	(void)st;
	unsetenv("AWS_ACCESS_KEY_ID");
	struct aws_conf conf = {.endpoint_url = "https://dynamodb.eu-west-1.amazonaws.com",
	                        .profile = "prod", .profile_source = "--profile"};
	struct ddb_error e = {.kind = DDB_ERR_SERVICE, .http_status = 400,
	                      .code = "UnrecognizedClientException",
	                      .message = "The security token included in the request is invalid."};
	describe_is(&e, &conf, 0,
	            "UnrecognizedClientException: The security token included in the request is "
	            "invalid. The credentials of profile prod, chosen by --profile, were refused: "
	            "check them with `aws configure --profile prod` (for SSO, `aws sso login "
	            "--profile prod`) or choose another profile with --profile");
	/* without --profile, the environment's keys come first */
	conf.profile = "default";
	conf.profile_source = "default";
	setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
	e.code = "InvalidSignatureException";
	e.message = "The request signature we calculated does not match the signature you provided.";
	char *got = ddb_error_describe(&e, &conf, 0);
	assert_non_null(strstr(got, "provided. The credentials of the environment (AWS_ACCESS_KEY_ID) were "
	                            "refused"));
	free(got);
	unsetenv("AWS_ACCESS_KEY_ID");
}

/* A message of several lines: one line, or kept with DDB_DESCRIBE_LINES. */
static void describe_lines(void **st)
{
	(void)st;
	struct ddb_error e = {.kind = DDB_ERR_CREDENTIALS,
	                      .message = "profile p has mfa_serial: e.g. in ~/.aws/config:\n"
	                                 "  [profile p-ddtree]\n  credential_process = x\n"
	                                 "and run ddtree with --profile p-ddtree.\n"};
	describe_is(&e, NULL, 0, "profile p has mfa_serial: e.g. in ~/.aws/config: [profile "
	            "p-ddtree] credential_process = x and run ddtree with --profile p-ddtree.");
	describe_is(&e, NULL, DDB_DESCRIBE_LINES, e.message);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(describe_service),
		cmocka_unit_test(describe_not_dynamodb),
		cmocka_unit_test(describe_refused_credentials),
		cmocka_unit_test(describe_lines),
		cmocka_unit_test(secret_headers),
		cmocka_unit_test(proxy_urls),
		cmocka_unit_test(length_is_respected),
	};
	return cmocka_run_group_tests_name("ddb", tests, NULL, NULL);
}
