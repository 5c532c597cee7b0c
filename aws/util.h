/* aws/util.h: the few allocation and formatting helpers every layer uses
 * (htop's xMalloc idea): the x* ones abort on out-of-memory so call sites
 * stay short; util_fmt returns NULL instead, for code that reports it. */
#ifndef DDTREE_AWS_UTIL_H
#define DDTREE_AWS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <time.h>

/* printf into a new string; NULL when out of memory. */
char *util_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* The same from a va_list. */
char *util_vfmt(const char *f, va_list ap) __attribute__((format(printf, 1, 0)));
/* The same, aborting when out of memory. */
char *util_xasprintf(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* The same from a va_list. */
char *util_xvasprintf(const char *f, va_list ap) __attribute__((format(printf, 1, 0)));
/* Decode one UTF-8 sequence of s (n bytes available): the bytes it takes
 * (1..4) and *cp, or 0 when it is invalid (overlong, a surrogate, past
 * U+10FFFF, cut short, a stray continuation byte; *cp is then undefined).
 * The one decoder of the program (the terminal text, the JSON writer). */
int util_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* strdup of s, NULL for NULL, and NULL when out of memory (for code that
 * reports running out of memory itself). */
char *util_strdup_or_null(const char *s);
/* strdup of s (NULL gives ""), aborting when out of memory. */
char *util_xstrdup(const char *s);
void *util_xmalloc(size_t n);
void *util_xrealloc(void *p, size_t n);
void *util_xcalloc(size_t n, size_t size);
/* Append len bytes of s to the buffer *p (n used, cap allocated), keeping a
 * NUL after the data.  For buffers that may hold secrets: growth copies into
 * a new block and wipes the old one, so no stale copy is left in freed
 * memory.  0, or -1 when out of memory (the buffer is unchanged). */
int util_secure_append(char **p, size_t *n, size_t *cap, const char *s, size_t len);

/* The value of environment variable `name`; NULL when unset or empty. */
const char *util_getenv(const char *name);
/* True when s holds a control character (below 0x20, or DEL). */
bool util_has_control(const char *s);

/* The lower-case hex SHA-1 of n bytes (the AWS CLI names its cache files
 * so).  0, or -1 (OpenSSL failure). */
int util_sha1_hex(const void *p, size_t n, char hex[41]);

/* ---- private files -------------------------------------------------------- */

/* Make directory `dir` and its missing parents, each new one mode 0700 (the
 * AWS CLI's ~/.aws/cli/cache).  0, or -1 with *err (naming the path). */
int util_mkdirs_private(const char *dir, char **err);
/* Replace the file at `path` with `len` bytes of data, atomically: a new
 * file in the same directory, mode 0600 from its creation, written, synced
 * and renamed over `path`, so a reader (ddtree, the AWS CLI) sees the old
 * file or the new one and never a part, and no one else can read it at any
 * moment.  The data may be a secret: it never appears in *err.  0, or -1
 * with *err (the temporary file removed). */
int util_write_private_file(const char *path, const void *data, size_t len, char **err);

/* RFC 3339 date-time ("2026-11-23T12:34:56Z", fractional seconds and
 * "+hh:mm" offsets allowed) to seconds since the epoch.  0, or -1. */
int util_rfc3339_parse(const char *s, time_t *out);
/* A time as the AWS CLI writes it in its caches: RFC 3339, or
 * "2019-11-14T04:05:45UTC" as older CLIs wrote.  0, or -1. */
int util_cli_time_parse(const char *s, time_t *out);
/* A string member of a JSON object: 1 a non-empty string (in *out), 0
 * absent or null, -1 anything else (*out NULL then). */
int util_json_str(const json_t *o, const char *key, const char **out);

/* ---- secrets in memory --------------------------------------------------- */

struct curl_slist;

/* Wipe the whole block (malloc_usable_size bytes) with OPENSSL_cleanse, which
 * the compiler cannot drop as a dead store; returns the bytes wiped (0 where
 * the C library cannot tell a block's size). */
size_t util_wipe_block(void *p);
/* util_wipe_block, then free. */
void util_free_secure(void *p);
/* Overwrite a secret string (its strlen bytes) and free it; NULL is fine. */
void util_wipe_free(char *s);
/* realloc that leaves no unwiped copy behind: a block that must move is
 * copied, wiped and freed. */
void *util_realloc_secure(void *p, size_t n);
/* a followed by b in a new string (NULL when out of memory), for strings
 * that hold a secret ("Authorization: " + the signature): printf's family
 * would leave copies in its growing buffers and on the stack. */
char *util_join_secure(const char *a, const char *b);
/* curl_slist_free_all after wiping every string: header lists carry the
 * Authorization, X-Amz-Security-Token and bearer token values. */
void util_slist_free_secure(struct curl_slist *l);

/* No core dumps: PR_SET_DUMPABLE 0 (where there is prctl; it also keeps
 * other processes of the same user from ptrace and /proc/PID/mem) and
 * RLIMIT_CORE 0 (inherited by the processes ddtree starts, such as
 * credential_process).  0, or -1 when either failed. */
int util_harden_process(void);

/* Once per process, before credentials are read (main calls it first;
 * aws_conf_resolve and the first curl use call it too): util_harden_process,
 * and jansson, libcurl and (when it has allocated nothing yet) OpenSSL free
 * their memory through util_free_secure, so their copies of secrets (parsed
 * credential replies, request headers, TLS records) are wiped too.  Also
 * libcurl's global initialisation. */
void util_secure_init(void);

#endif
