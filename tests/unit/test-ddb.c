/* tests/unit/test-ddb.c: what aws/ddb.c's --debug trace writes in place of
 * secrets (ddb_trace_redact): the request's Authorization and
 * X-Amz-Security-Token, the proxy's Proxy-Authorization, and the password
 * of a proxy URL that curl quotes. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secret_headers),
		cmocka_unit_test(proxy_urls),
		cmocka_unit_test(length_is_respected),
	};
	return cmocka_run_group_tests_name("ddb", tests, NULL, NULL);
}
