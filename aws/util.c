/* aws/util.c: allocation and formatting helpers (see util.h). */
#include "ddconfig.h"

#include "aws/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#define HAVE_USABLE_SIZE 1
#endif
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

char *util_vfmt(const char *f, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	return s;
}

char *util_fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = util_vfmt(f, ap);
	va_end(ap);
	return s;
}

char *util_xvasprintf(const char *f, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, f, ap) < 0)
		abort();
	return s;
}

char *util_xasprintf(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	int n = vasprintf(&s, f, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}

int util_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	if (!n)
		return 0;
	unsigned c = s[0];
	int len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are invalid */
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

char *util_strdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *util_xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

void *util_xmalloc(size_t n)
{
	return util_xrealloc(NULL, n);
}

void *util_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		abort();
	return q;
}

void *util_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		abort();
	return p;
}

int util_secure_append(char **p, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (*n + len + 1 > *cap) {
		size_t c = *cap ? *cap : 1024;
		while (c < *n + len + 1)
			c *= 2;
		char *np = malloc(c);
		if (!np)
			return -1;
		if (*p) {
			memcpy(np, *p, *n);
			OPENSSL_cleanse(*p, *cap);
			free(*p);
		}
		*p = np;
		*cap = c;
	}
	memcpy(*p + *n, s, len);
	*n += len;
	(*p)[*n] = '\0';
	return 0;
}

const char *util_getenv(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

bool util_has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

int util_sha1_hex(const void *p, size_t n, char hex[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdn = 0;

	hex[0] = '\0';
	if (EVP_Digest(p, n, md, &mdn, EVP_sha1(), NULL) != 1 || mdn != 20)
		return -1;
	for (unsigned int i = 0; i < mdn; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* ---- private files ------------------------------------------------------- */

int util_mkdirs_private(const char *dir, char **err)
{
	char *p = strdup(dir);
	struct stat st;

	*err = NULL;
	if (!p) {
		*err = strdup("out of memory");
		return -1;
	}
	/* each prefix that ends at a '/', then the whole path */
	for (char *q = p + 1;; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char c = *q;
		*q = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			*err = util_fmt("cannot make the directory %s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*q = c;
		if (!c)
			break;
	}
	if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*err = util_fmt("%s is not a directory", p);
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

int util_write_private_file(const char *path, const void *data, size_t len, char **err)
{
	const char *slash = strrchr(path, '/');
	char *tmp;
	int fd;
	size_t off = 0;

	*err = NULL;
	/* ".NAME.XXXXXX" beside it: the same file system, so rename is atomic */
	tmp = slash ? util_fmt("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
	            : util_fmt(".%s.XXXXXX", path);
	if (!tmp) {
		*err = strdup("out of memory");
		return -1;
	}
	fd = mkstemp(tmp);          /* mode 0600 from the start */
	if (fd < 0) {
		*err = util_fmt("cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (fchmod(fd, 0600) != 0)
		goto fail;
	while (off < len) {
		ssize_t w = write(fd, (const char *)data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	*err = util_fmt("cannot write %s: %s", path, strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

/* ---- RFC 3339 ---------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int util_rfc3339_parse(const char *s, time_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p;

	if (!s || strlen(s) < 20)
		return -1;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &sec))
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
	    sec > 60 || oh > 23 || om > 59)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	long long t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL +
	              h * 3600LL + mi * 60LL + sec - sign * (oh * 3600LL + om * 60LL);
	*out = (time_t)t;
	return 0;
}

/* ---- secrets in memory --------------------------------------------------- */

size_t util_wipe_block(void *p)
{
#ifdef HAVE_USABLE_SIZE
	size_t n = p ? malloc_usable_size(p) : 0;
	if (n)
		OPENSSL_cleanse(p, n);
	return n;
#else
	(void)p;
	return 0;
#endif
}

void util_free_secure(void *p)
{
	if (p) {
		util_wipe_block(p);
		free(p);
	}
}

void util_wipe_free(char *s)
{
	if (!s)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

void *util_realloc_secure(void *p, size_t n)
{
	if (!p)
		return malloc(n ? n : 1);
	if (!n) {
		util_free_secure(p);
		return NULL;
	}
#ifdef HAVE_USABLE_SIZE
	size_t have = malloc_usable_size(p);
	if (n <= have)
		return p;            /* it fits: nothing moves */
	void *q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	util_free_secure(p);
	return q;
#else
	return realloc(p, n);    /* the old block's size is unknown here */
#endif
}

char *util_join_secure(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + nb + 1);

	if (s) {
		memcpy(s, a, na);
		memcpy(s + na, b, nb + 1);
	}
	return s;
}

void util_slist_free_secure(struct curl_slist *l)
{
	for (struct curl_slist *p = l; p; p = p->next)
		if (p->data)
			OPENSSL_cleanse(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

int util_harden_process(void)
{
	int rc = 0;
#if defined(__linux__) && defined(PR_SET_DUMPABLE)
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		rc = -1;
#endif
	struct rlimit rl = { 0, 0 };
	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		rc = -1;
	return rc;
}

static void *ossl_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return malloc(n);
}

static void *ossl_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return util_realloc_secure(p, n);
}

static void ossl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	util_free_secure(p);
}

static pthread_once_t secure_once = PTHREAD_ONCE_INIT;

static void secure_init_once(void)
{
	util_harden_process();
	/* OpenSSL takes them only before its first allocation (main is early
	 * enough; elsewhere it may say no, and keeps its own) */
	CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free);
	json_set_alloc_funcs(malloc, util_free_secure);
	curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, util_free_secure, util_realloc_secure,
	                     strdup, calloc);
}

void util_secure_init(void)
{
	pthread_once(&secure_once, secure_init_once);
}

int util_cli_time_parse(const char *s, time_t *out)
{
	char buf[64];
	size_t n = strlen(s);

	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n + 1);
	if (n > 3 && strcmp(buf + n - 3, "UTC") == 0)
		strcpy(buf + n - 3, "Z");
	return util_rfc3339_parse(buf, out);
}

int util_json_str(const json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !*json_string_value(v))
		return -1;
	*out = json_string_value(v);
	return 1;
}
