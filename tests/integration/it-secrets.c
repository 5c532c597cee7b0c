/* tests/integration/it-secrets.c: no stale copies of credentials in memory.
 *
 * A client signs and sends requests to DynamoDB Local with session
 * credentials, then is freed with its configuration.  Afterwards no copy of
 * the session token, the access key id or the secret key may be left
 * anywhere in the process's writable memory (freed blocks, thread stacks,
 * libcurl's, jansson's and OpenSSL's buffers included) but the
 * environment's own.  Before ddtree wiped them, each request left copies
 * (the X-Amz-Security-Token header string, the curl header list, curl's
 * request buffer).  DDTREE_TEST_ENDPOINT names the server
 * (tests/harness/run-test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/config.h"
#include "aws/ddb.h"

/* Writable regions of /proc/self/maps, read before scanning (reading the
 * file allocates; scanning must not).  Heaps, thread arenas and stacks are
 * all far below 1 GiB here. */
struct region { uintptr_t lo, hi; };
static struct region regions[4096];
static size_t nregions;

static void read_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	assert_non_null(f);
	nregions = 0;
	while (fgets(line, sizeof line, f) && nregions < sizeof regions / sizeof regions[0]) {
		unsigned long lo, hi;
		char perms[8] = "";
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if (perms[0] != 'r' || perms[1] != 'w' || strstr(line, "[vvar") || strstr(line, "[vsyscall]"))
			continue;
		/* the sanitizers' shadow memory: terabytes reserved, no data of ours */
		if (hi - lo > (1UL << 30))
			continue;
		regions[nregions++] = (struct region){ lo, hi };
	}
	fclose(f);
}

/* A plain search: freed blocks are read on purpose, so neither AddressSanitizer
 * (which would call that a use after free) nor its memmem may look. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_ASAN __attribute__((no_sanitize("address")))
#endif
#endif
#if !defined(NO_ASAN) && defined(__SANITIZE_ADDRESS__)
#define NO_ASAN __attribute__((no_sanitize_address))
#endif
#ifndef NO_ASAN
#define NO_ASAN
#endif

NO_ASAN static const char *find(const char *p, const char *end, const char *needle, size_t n)
{
	for (; (size_t)(end - p) >= n; p++) {
		size_t k = 0;
		while (k < n && p[k] == needle[k])
			k++;
		if (k == n)
			return p;
	}
	return NULL;
}

/* Copies of needle[0..n) in writable memory, the needle itself excepted
 * (IT_SECRETS_DUMP=1 shows where each one is, with what surrounds it). */
NO_ASAN static size_t copies(const char *needle, size_t n)
{
	size_t count = 0;

	read_maps();
	for (size_t i = 0; i < nregions; i++) {
		const char *p = (const char *)regions[i].lo, *end = (const char *)regions[i].hi;
		while (p < end) {
			const char *hit = find(p, end, needle, n);
			if (!hit)
				break;
			if (hit != needle) {
				count++;
				if (getenv("IT_SECRETS_DUMP")) {
					const char *a = hit - 64 < (const char *)regions[i].lo ? (const char *)regions[i].lo : hit - 64;
					fprintf(stderr, "# at %p: ", (const void *)hit);
					for (const char *q = a; q < hit + 60 && q < end; q++)
						fputc(*q >= 32 && *q < 127 ? *q : '.', stderr);
					fputc('\n', stderr);
				}
			}
			p = hit + 1;
		}
	}
	return count;
}

static void random_text(char *out, size_t n, const char *prefix)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t k = strlen(prefix);

	memcpy(out, prefix, k);
	for (size_t i = k; i < n - 1; i++)
		out[i] = abc[rand() % 36];
	out[n - 1] = '\0';
}

/* Resolve a configuration from the environment, make requests, free it all. */
static void run_client(const char *ep, const char *trace)
{
	struct aws_conf conf;
	char *err = NULL;
	struct aws_conf_opts o = { .endpoint_url = ep };

	assert_int_equal(aws_conf_resolve(&o, &conf, &err), 0);
	struct ddb_client_opts co = { .conf = &conf, .trace_path = trace, .retry_seed = 7 };
	ddb_client *c = ddb_client_new(&co, &err);
	assert_non_null(c);
	for (int i = 0; i < 12; i++) {
		struct ddb_result *r = ddb_call_sync(c, i % 3 ? "ListTables" : "DescribeTable",
		                                     i % 3 ? json_object()
		                                           : json_pack("{s:s}", "TableName", "it-secrets-none"));
		assert_int_not_equal(r->err.kind, DDB_ERR_CREDENTIALS);
		assert_int_not_equal(r->err.kind, DDB_ERR_NETWORK);
		ddb_result_free(r);
	}
	ddb_client_free(c);
	aws_conf_free(&conf);
}

static void no_copies_left_after_requests(void **st)
{
	(void)st;
	const char *ep = getenv("DDTREE_TEST_ENDPOINT");
	char tok[200], akid[21], secret[41], trace[] = "/tmp/ddtree-it-secrets-XXXXXX";

	assert_non_null(ep);
	int fd = mkstemp(trace);
	assert_true(fd >= 0);
	close(fd);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());

	/* A first round with other credentials: the dynamic linker resolves a
	 * function at its first call, and saves the vector registers on the
	 * stack while it does, with whatever a SIMD memcpy or strlen left in
	 * them (fragments of the last string copied).  That happens once per
	 * function, not per request; this round takes them all. */
	random_text(tok, sizeof tok, "IQoJwarmupTOKEN");
	random_text(akid, sizeof akid, "ASIAWU");
	random_text(secret, sizeof secret, "warmupKEY");
	setenv("AWS_ACCESS_KEY_ID", akid, 1);
	setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
	setenv("AWS_SESSION_TOKEN", tok, 1);
	run_client(ep, trace);

	random_text(tok, sizeof tok, "IQoJitsecretsTOKEN");
	random_text(akid, sizeof akid, "ASIAIT");
	random_text(secret, sizeof secret, "itsecretsKEY");
	setenv("AWS_ACCESS_KEY_ID", akid, 1);
	setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
	setenv("AWS_SESSION_TOKEN", tok, 1);
	/* the environment's copies (the needles themselves are not counted) */
	size_t env_tok = copies(tok, strlen(tok)), env_akid = copies(akid, strlen(akid));
	size_t env_secret = copies(secret, strlen(secret));
	assert_true(env_tok >= 1);

	run_client(ep, trace);

	size_t left_tok = copies(tok, strlen(tok)), left_akid = copies(akid, strlen(akid));
	size_t left_secret = copies(secret, strlen(secret));
	print_message("# session token: %zu in the environment, %zu after\n", env_tok, left_tok);
	print_message("# access key id: %zu in the environment, %zu after\n", env_akid, left_akid);
	print_message("# secret key: %zu in the environment, %zu after\n", env_secret, left_secret);
	assert_int_equal(left_tok, env_tok);
	assert_int_equal(left_akid, env_akid);
	assert_int_equal(left_secret, env_secret);

	/* and the trace holds none of them */
	FILE *f = fopen(trace, "r");
	char line[65536];
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		assert_null(strstr(line, tok));
		assert_null(strstr(line, akid));
		assert_null(strstr(line, secret));
	}
	fclose(f);
	unlink(trace);
}

/* The scan finds what is there: while a client holds the credentials, they
 * are in memory (the chain's cache). */
static void the_scan_sees_live_copies(void **st)
{
	(void)st;
	const char *ep = getenv("DDTREE_TEST_ENDPOINT");
	char tok[200];
	struct aws_conf conf;
	char *err = NULL;
	struct aws_conf_opts o = { .endpoint_url = ep };

	random_text(tok, sizeof tok, "IQoJliveTOKEN");
	setenv("AWS_SESSION_TOKEN", tok, 1);
	size_t env_tok = copies(tok, strlen(tok));
	assert_int_equal(aws_conf_resolve(&o, &conf, &err), 0);
	ddb_client *c = ddb_client_new(&(struct ddb_client_opts){ .conf = &conf }, &err);
	assert_non_null(c);
	struct ddb_result *r = ddb_call_sync(c, "ListTables", json_object());
	assert_int_equal(r->err.kind, DDB_OK);
	ddb_result_free(r);
	assert_true(copies(tok, strlen(tok)) > env_tok);
	ddb_client_free(c);
	aws_conf_free(&conf);
}

int main(void)
{
	/* scripts/valgrind: memcheck would report every freed block the scan
	 * reads (cmocka's skip() is a failure to automake's TAP driver) */
	const char *vg = getenv("DDTREE_VALGRIND");
	if (vg && !strcmp(vg, "1")) {
		puts("1..0 # SKIP the memory scan reads freed blocks, which memcheck reports");
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_copies_left_after_requests),
		cmocka_unit_test(the_scan_sees_live_copies),
	};
	return cmocka_run_group_tests_name("it-secrets", tests, NULL, NULL);
}
