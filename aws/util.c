/* aws/util.c: allocation and formatting helpers (see util.h). */
#include "ddconfig.h"

#include "aws/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

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

char *util_xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
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
