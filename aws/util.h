/* aws/util.h: the few allocation and formatting helpers every layer uses
 * (htop's xMalloc idea): the x* ones abort on out-of-memory so call sites
 * stay short; util_fmt returns NULL instead, for code that reports it. */
#ifndef DDTREE_AWS_UTIL_H
#define DDTREE_AWS_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* printf into a new string; NULL when out of memory. */
char *util_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* The same from a va_list. */
char *util_vfmt(const char *f, va_list ap) __attribute__((format(printf, 1, 0)));
/* The same, aborting when out of memory. */
char *util_xasprintf(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* strdup of s (NULL gives ""), aborting when out of memory. */
char *util_xstrdup(const char *s);
void *util_xrealloc(void *p, size_t n);
void *util_xcalloc(size_t n, size_t size);
/* Append len bytes of s to the buffer *p (n used, cap allocated), keeping a
 * NUL after the data.  For buffers that may hold secrets: growth copies into
 * a new block and wipes the old one, so no stale copy is left in freed
 * memory.  0, or -1 when out of memory (the buffer is unchanged). */
int util_secure_append(char **p, size_t *n, size_t *cap, const char *s, size_t len);

#endif
