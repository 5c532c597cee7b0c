/* tests/unit/test-util.c: aws/util.c's helpers for secrets in memory, its
 * RFC 3339 parser, UTF-8 decoder, SHA-1 names and private files.
 *
 * libcurl allocates through this test's functions (curl_global_init_mem,
 * before anything else), so the test sees what a block held when libcurl
 * freed it: util_slist_free_secure must hand back header lists wiped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "aws/util.h"

#define MARK "s3cr3t-T0KEN-mark"

static int frees, marked;

static void rec_free(void *p)
{
	if (!p)
		return;
	frees++;
	if (memmem(p, malloc_usable_size(p), MARK, strlen(MARK)))
		marked++;
	free(p);
}

static void *rec_realloc(void *p, size_t n)
{
	return realloc(p, n);
}

static struct curl_slist *headers(void)
{
	struct curl_slist *l = curl_slist_append(NULL, "Host: 127.0.0.1:8000");
	l = curl_slist_append(l, "X-Amz-Security-Token: " MARK "-and-more-of-the-token");
	l = curl_slist_append(l, "Authorization: AWS4-HMAC-SHA256 Credential=" MARK "/x, Signature=0");
	assert_non_null(l);
	return l;
}

static void slist_free_secure_wipes(void **st)
{
	(void)st;
	/* the control: freed as they are, the strings still hold the secret */
	struct curl_slist *l = headers();
	frees = marked = 0;
	curl_slist_free_all(l);
	assert_true(frees >= 3);
	assert_true(marked >= 2);

	l = headers();
	frees = marked = 0;
	util_slist_free_secure(l);
	assert_true(frees >= 3);
	assert_int_equal(marked, 0);
	util_slist_free_secure(NULL);
}

static void wipe_block(void **st)
{
	(void)st;
	char *p = malloc(100);
	assert_non_null(p);
	memset(p, 'A', 100);
	size_t n = util_wipe_block(p);
	assert_true(n >= 100);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(p[i], 0);
	free(p);
	assert_int_equal(util_wipe_block(NULL), 0);
	util_free_secure(NULL);
}

static void realloc_secure(void **st)
{
	(void)st;
	char *p = util_realloc_secure(NULL, 10);
	assert_non_null(p);
	strcpy(p, "abcdefghi");
	p = util_realloc_secure(p, 5000);          /* moves */
	assert_non_null(p);
	assert_string_equal(p, "abcdefghi");
	p = util_realloc_secure(p, 3);             /* fits: stays */
	assert_memory_equal(p, "abc", 3);
	assert_null(util_realloc_secure(p, 0));    /* frees */
}

static void join_secure(void **st)
{
	(void)st;
	char *s = util_join_secure("Authorization: ", "AWS4-HMAC-SHA256 x");
	assert_string_equal(s, "Authorization: AWS4-HMAC-SHA256 x");
	util_free_secure(s);
	s = util_join_secure("", "");
	assert_string_equal(s, "");
	free(s);
}

/* util_secure_init: no core dumps, and jansson frees through
 * util_free_secure (libcurl keeps this test's functions: it was set up
 * first, and the global initialisation happens once). */
static void secure_init(void **st)
{
	(void)st;
	struct rlimit rl;
	json_malloc_t m;
	json_free_t f;

	/* make the checks mean something: dumpable, and a core limit above 0
	 * when the hard limit allows one */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_CORE, &rl);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);

	util_secure_init();
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
	json_get_alloc_funcs(&m, &f);
	assert_ptr_equal(f, util_free_secure);
}

/* RFC 3339 times (credential_process, container and STS expirations) */
static void rfc3339(void **state)
{
	static const struct { const char *s; long long t; } ok[] = {
		{ "2026-11-23T12:34:56Z", 1795437296LL },
		{ "2026-11-23T12:34:56.789Z", 1795437296LL },
		{ "2026-11-23t12:34:56z", 1795437296LL },
		{ "2026-11-23T12:34:56+00:00", 1795437296LL },
		{ "2026-11-23T14:34:56.5+02:00", 1795437296LL },
		{ "2026-11-23T07:04:56-05:30", 1795437296LL },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2024-02-29T00:00:00Z", 1709164800LL },
		{ "2030-01-01T00:00:00Z", 1893456000LL },
	};
	static const char *bad[] = {
		"2026-11-23T12:34:56", "2026-11-23 12:34Z", "2026-13-01T00:00:00Z",
		"2026-02-29T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T12:34:56.Z",
		"2026-11-23T12:34:56+0000", "2026-11-23T12:34:56Zjunk", "1795437296", "",
		"2026-04-31T00:00:00Z",
	};
	time_t t;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(util_rfc3339_parse(ok[i].s, &t), 0);
		assert_int_equal((long long)t, ok[i].t);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (util_rfc3339_parse(bad[i], &t) == 0)
			print_error("# accepted %s\n", bad[i]);
		assert_int_equal(util_rfc3339_parse(bad[i], &t), -1);
	}
	assert_int_equal(util_rfc3339_parse(NULL, &t), -1);
}

/* The one UTF-8 decoder: what it accepts, and every kind of invalid
 * sequence it refuses (the terminal text, the JSON writer and search rely
 * on the same answer). */
static void utf8_decode(void **st)
{
	(void)st;
	static const struct {
		const char *s;
		int len;
		unsigned cp;
	} ok[] = {
		{"A", 1, 0x41}, {"\x7f", 1, 0x7F}, {"\xc2\x80", 2, 0x80}, {"\xc3\xa9", 2, 0xE9},
		{"\xe0\xa0\x80", 3, 0x800}, {"\xe2\x9c\x8e", 3, 0x270E}, {"\xef\xbf\xbd", 3, 0xFFFD},
		{"\xf0\x90\x80\x80", 4, 0x10000}, {"\xf0\x9f\x98\x95", 4, 0x1F615},
		{"\xf4\x8f\xbf\xbf", 4, 0x10FFFF},
	};
	static const char *const bad[] = {
		"\x80",                 /* a stray continuation byte */
		"\xc0\x80", "\xc1\xbf", /* overlong two-byte forms */
		"\xe0\x9f\xbf",         /* overlong three-byte form */
		"\xf0\x8f\xbf\xbf",     /* overlong four-byte form */
		"\xed\xa0\x80", "\xed\xbf\xbf", /* surrogates */
		"\xf4\x90\x80\x80",     /* past U+10FFFF */
		"\xf8\x88\x80\x80\x80", "\xff", /* no such lead byte */
		"\xc3", "\xe2\x9c", "\xf0\x9f\x98", /* cut short */
		"\xc3" "A",             /* a lead byte without its continuation */
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		unsigned cp = 0;
		assert_int_equal(util_utf8_decode((const unsigned char *)ok[i].s, strlen(ok[i].s), &cp),
		                 ok[i].len);
		assert_int_equal(cp, ok[i].cp);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unsigned cp;
		assert_int_equal(util_utf8_decode((const unsigned char *)bad[i], strlen(bad[i]), &cp), 0);
	}
	/* only n bytes are read */
	unsigned cp;
	assert_int_equal(util_utf8_decode((const unsigned char *)"\xc3\xa9", 1, &cp), 0);
	assert_int_equal(util_utf8_decode((const unsigned char *)"", 0, &cp), 0);
}

static void strdup_or_null(void **st)
{
	(void)st;
	assert_null(util_strdup_or_null(NULL));
	char *s = util_strdup_or_null("key");
	assert_string_equal(s, "key");
	free(s);
	s = util_xstrdup(NULL);   /* the aborting one gives "" */
	assert_string_equal(s, "");
	free(s);
}

/* SHA-1 hex: the AWS CLI's cache file names */
static void sha1_hex(void **state)
{
	char hex[41];

	(void)state;
	assert_int_equal(util_sha1_hex("my-sso", 6, hex), 0);
	assert_string_equal(hex, "0ad374308c5a4e22f723adf10145eafad7c4031c");
	assert_int_equal(util_sha1_hex("", 0, hex), 0);
	assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

/* A private file replaced atomically: mode 0600, no temporary file left,
 * the directory made with its parents (0700) */
static void private_files(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char dir[256], sub[300], path[340], *err = NULL;
	struct stat st;
	FILE *f;
	char buf[64] = "";
	DIR *d;
	struct dirent *de;
	int n = 0;

	(void)state;
	snprintf(dir, sizeof dir, "%s/ddtree-test-util-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/a/b/cache", dir);
	assert_int_equal(util_mkdirs_private(sub, &err), 0);
	assert_null(err);
	assert_int_equal(util_mkdirs_private(sub, &err), 0);   /* it exists: fine */
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);

	snprintf(path, sizeof path, "%s/k.json", sub);
	assert_int_equal(util_write_private_file(path, "{\"a\":1}", 7, &err), 0);
	assert_int_equal(util_write_private_file(path, "{\"b\":2}", 7, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "{\"b\":2}");
	d = opendir(sub);                   /* only k.json: no temporary file left */
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' || (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")))
			n++;
	closedir(d);
	assert_int_equal(n, 1);

	/* a file where a directory should be; a directory that is not there */
	assert_int_equal(util_mkdirs_private(path, &err), -1);
	assert_non_null(strstr(err, "k.json is not a directory"));
	free(err);
	snprintf(path, sizeof path, "%s/none/k.json", dir);
	assert_int_equal(util_write_private_file(path, "x", 1, &err), -1);
	assert_non_null(strstr(err, "cannot write"));
	assert_non_null(strstr(err, "none/k.json"));
	free(err);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, rec_free, rec_realloc, strdup,
	                         calloc) != CURLE_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slist_free_secure_wipes),
		cmocka_unit_test(wipe_block),
		cmocka_unit_test(realloc_secure),
		cmocka_unit_test(join_secure),
		cmocka_unit_test(secure_init),
		cmocka_unit_test(rfc3339),
		cmocka_unit_test(utf8_decode),
		cmocka_unit_test(strdup_or_null),
		cmocka_unit_test(sha1_hex),
		cmocka_unit_test(private_files),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
