/* aws/profile.c: parser for the shared config and credentials files.
 *
 * The rules are those of the SDKs' shared test suite (profile-parser-tests.json),
 * summarised in AWS-CLIENT.md section 4.4.  Parsing is line by line:
 *
 *   blank line or a line whose first non-blank is '#' or ';'   skipped
 *   '[' ...                                                    section header
 *   leading whitespace                                         continuation or sub-property
 *   anything else                                              key = value
 *
 * Syntax errors are reported even inside ignored sections; names that are
 * not valid only make their section or property disappear.
 */
#include "aws/util.h"
#include "aws/profile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#define PROFILE_FILE_MAX (4u * 1024u * 1024u)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim spaces and tabs from both ends of [*p, *p + *n). */
static void trim(const char **p, size_t *n)
{
	while (*n && is_blank(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_blank((*p)[*n - 1]))
		(*n)--;
}

static bool same(const char *p, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

bool aws_profile_name_valid(const char *name, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!(isalnum(c) || strchr("-/.%@_:+", c)) || c == '\0')
			return false;
	}
	return true;
}

/* ---- sections ---------------------------------------------------------- */

void aws_profile_section_free(struct aws_profile_section *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nprops; i++) {
		free(s->props[i].key);
		util_wipe_free(s->props[i].value);
	}
	free(s->props);
	free(s->name);
	memset(s, 0, sizeof *s);
}

static void list_free(struct aws_profile_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		aws_profile_section_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void aws_profile_file_free(struct aws_profile_file *f)
{
	if (!f)
		return;
	list_free(&f->profiles);
	list_free(&f->sso_sessions);
	list_free(&f->services);
}

static struct aws_profile_section *list_find(const struct aws_profile_list *l,
                                             const char *name, size_t n)
{
	for (size_t i = 0; i < l->n; i++)
		if (same(name, n, l->v[i].name))
			return &l->v[i];
	return NULL;
}

const struct aws_profile_section *aws_profile_find(const struct aws_profile_list *l,
                                                   const char *name)
{
	return name ? list_find(l, name, strlen(name)) : NULL;
}

/* Find or append the section called name[0..n); NULL when out of memory. */
static struct aws_profile_section *list_get(struct aws_profile_list *l,
                                            const char *name, size_t n)
{
	struct aws_profile_section *s = list_find(l, name, n);

	if (s)
		return s;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4;
		struct aws_profile_section *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	s = &l->v[l->n];
	memset(s, 0, sizeof *s);
	s->name = strndup(name, n);
	if (!s->name)
		return NULL;
	l->n++;
	return s;
}

static struct aws_profile_prop *prop_find(const struct aws_profile_section *s, const char *key)
{
	for (size_t i = 0; i < s->nprops; i++)
		if (strcmp(s->props[i].key, key) == 0)
			return &s->props[i];
	return NULL;
}

const char *aws_profile_get(const struct aws_profile_section *s, const char *key)
{
	const struct aws_profile_prop *p;

	if (!s || !key)
		return NULL;
	p = prop_find(s, key);
	return p ? p->value : NULL;
}

/* Set key (already lower-case, NUL-terminated) to a copy of value[0..vn).
 * Returns the property's index, or -1 when out of memory. */
static long section_set(struct aws_profile_section *s, const char *key,
                        const char *value, size_t vn)
{
	struct aws_profile_prop *p = prop_find(s, key);
	char *v = strndup(value, vn);

	if (!v)
		return -1;
	if (p) {
		util_wipe_free(p->value);
		p->value = v;
		return (long)(p - s->props);
	}
	if (s->nprops == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct aws_profile_prop *np = realloc(s->props, cap * sizeof *np);
		if (!np) {
			util_wipe_free(v);
			return -1;
		}
		s->props = np;
		s->cap = cap;
	}
	p = &s->props[s->nprops];
	p->key = strdup(key);
	if (!p->key) {
		util_wipe_free(v);
		return -1;
	}
	p->value = v;
	return (long)s->nprops++;
}

static int section_merge(struct aws_profile_section *dst, const struct aws_profile_section *src)
{
	for (size_t i = 0; i < src->nprops; i++) {
		const char *v = src->props[i].value;
		if (section_set(dst, src->props[i].key, v, strlen(v)) < 0)
			return -1;
	}
	return 0;
}

int aws_profile_section_dup(struct aws_profile_section *dst,
                            const struct aws_profile_section *src)
{
	memset(dst, 0, sizeof *dst);
	if (!src)
		return 0;
	if (src->name && !(dst->name = strdup(src->name)))
		return -1;
	if (section_merge(dst, src) < 0) {
		aws_profile_section_free(dst);
		return -1;
	}
	return 0;
}

static int list_merge(struct aws_profile_list *dst, const struct aws_profile_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const char *name = src->v[i].name;
		struct aws_profile_section *d = list_get(dst, name, strlen(name));
		if (!d || section_merge(d, &src->v[i]) < 0)
			return -1;
	}
	return 0;
}

int aws_profile_merge(struct aws_profile_file *dst, const struct aws_profile_file *src)
{
	if (list_merge(&dst->profiles, &src->profiles) < 0 ||
	    list_merge(&dst->sso_sessions, &src->sso_sessions) < 0 ||
	    list_merge(&dst->services, &src->services) < 0)
		return -1;
	return 0;
}

/* ---- the parser -------------------------------------------------------- */

struct parser {
	enum aws_profile_kind kind;
	const char *origin;
	unsigned line;
	struct aws_profile_file *out;
	/* [default] in a config file: kept aside, dropped if [profile default] exists */
	struct aws_profile_section bare_default;
	bool have_bare_default, saw_prefixed_default;
	bool in_section;                   /* a header has been seen */
	struct aws_profile_section *cur;   /* where properties go; NULL = ignored section */
	bool have_prop;                    /* a property line since the header */
	long prop;                         /* its index in cur, -1 = ignored */
	bool sub_mode;                     /* that property's value was empty */
	char *err;
};

static int perr(struct parser *ps, const char *msg)
{
	ps->err = util_fmt("%s, line %u: %s", ps->origin, ps->line, msg);
	return -1;
}

static int oom(struct parser *ps)
{
	ps->err = NULL;
	return -1;
}

/* Does p[0..n) start with the word `kw` followed by at least one blank? */
static bool keyword(const char *p, size_t n, const char *kw, const char **rest, size_t *rn)
{
	size_t k = strlen(kw);

	if (n <= k || memcmp(p, kw, k) != 0 || !is_blank(p[k]))
		return false;
	*rest = p + k;
	*rn = n - k;
	trim(rest, rn);
	return true;
}

static int header(struct parser *ps, const char *p, size_t n)
{
	const char *close = memchr(p, ']', n);
	const char *name, *after;
	size_t nn, an;

	if (!close)
		return perr(ps, "Profile definition must end with ']'");
	after = close + 1;
	an = n - (size_t)(after - p);
	trim(&after, &an);
	if (an && after[0] != '#' && after[0] != ';')
		return perr(ps, "Unexpected text after ']' in a profile definition");

	name = p + 1;
	nn = (size_t)(close - name);
	trim(&name, &nn);

	ps->in_section = true;
	ps->have_prop = false;
	ps->prop = -1;
	ps->sub_mode = false;
	ps->cur = NULL;

	struct aws_profile_list *list = NULL;
	const char *rest;
	size_t rn;

	if (ps->kind == AWS_PROFILE_CREDENTIALS) {
		list = &ps->out->profiles;
		rest = name;
		rn = nn;
	} else if (same(name, nn, "default")) {
		ps->cur = &ps->bare_default;
		ps->have_bare_default = true;
		return 0;
	} else if (keyword(name, nn, "profile", &rest, &rn)) {
		list = &ps->out->profiles;
		if (same(rest, rn, "default"))
			ps->saw_prefixed_default = true;
	} else if (keyword(name, nn, "sso-session", &rest, &rn)) {
		list = &ps->out->sso_sessions;
	} else if (keyword(name, nn, "services", &rest, &rn)) {
		list = &ps->out->services;
	} else {
		return 0;  /* a plain [name] in the config file: ignored */
	}
	if (!aws_profile_name_valid(rest, rn))
		return 0;
	ps->cur = list_get(list, rest, rn);
	return ps->cur ? 0 : oom(ps);
}

static int property(struct parser *ps, const char *p, size_t n)
{
	const char *eq, *key, *val;
	size_t kn, vn;

	if (!ps->in_section)
		return perr(ps, "Expected a profile definition, found a property");
	eq = memchr(p, '=', n);
	if (!eq)
		return perr(ps, "Expected an '=' sign defining a property");
	key = p;
	kn = (size_t)(eq - p);
	trim(&key, &kn);
	if (!kn)
		return perr(ps, "Property did not have a name");

	val = eq + 1;
	vn = n - (size_t)(val - p);
	/* '#' or ';' starts a comment only after whitespace */
	for (size_t i = 1; i < vn; i++) {
		if ((val[i] == '#' || val[i] == ';') && is_blank(val[i - 1])) {
			vn = i;
			break;
		}
	}
	trim(&val, &vn);

	ps->have_prop = true;
	ps->sub_mode = vn == 0;
	ps->prop = -1;
	if (!ps->cur || !aws_profile_name_valid(key, kn))
		return 0;

	char *lk = strndup(key, kn);
	if (!lk)
		return oom(ps);
	for (char *c = lk; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	ps->prop = section_set(ps->cur, lk, val, vn);
	free(lk);
	return ps->prop < 0 ? oom(ps) : 0;
}

static int continuation(struct parser *ps, const char *p, size_t n)
{
	if (!ps->in_section)
		return perr(ps, "Expected a profile definition, found continuation");
	if (!ps->have_prop)
		return perr(ps, "Expected a property definition, found continuation");
	trim(&p, &n);
	if (ps->sub_mode) {
		const char *eq = memchr(p, '=', n);
		const char *k = p;
		size_t kn;

		if (!eq)
			return perr(ps, "Expected an '=' sign defining a sub-property");
		kn = (size_t)(eq - p);
		trim(&k, &kn);
		if (!kn)
			return perr(ps, "Sub-property did not have a name");
	}
	if (ps->prop < 0)
		return 0;

	struct aws_profile_prop *pr = &ps->cur->props[ps->prop];
	size_t old = strlen(pr->value);
	char *v = malloc(old + 1 + n + 1);
	if (!v)
		return oom(ps);
	memcpy(v, pr->value, old);
	v[old] = '\n';
	memcpy(v + old + 1, p, n);
	v[old + 1 + n] = '\0';
	util_wipe_free(pr->value);
	pr->value = v;
	return 0;
}

static int parse_line(struct parser *ps, const char *p, size_t n)
{
	const char *t = p;
	size_t tn = n;

	if (n && p[n - 1] == '\r')
		n--, tn--;
	trim(&t, &tn);
	if (!tn || t[0] == '#' || t[0] == ';')
		return 0;
	if (p[0] == '[')
		return header(ps, p, n);
	if (is_blank(p[0]))
		return continuation(ps, p, n);
	return property(ps, p, n);
}

int aws_profile_parse(const char *text, size_t len, enum aws_profile_kind kind,
                      const char *origin, struct aws_profile_file *out, char **err)
{
	struct parser ps = { .kind = kind, .origin = origin ? origin : "profile file",
	                     .out = out, .prop = -1 };
	const char *p = text, *end = text + len;
	int rc = 0;

	*err = NULL;
	if (memchr(text, '\0', len)) {
		*err = util_fmt("%s: contains a NUL byte; not a text file", ps.origin);
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		ps.line++;
		rc = parse_line(&ps, p, n);
		if (rc < 0)
			break;
		p += n + (nl ? 1 : 0);
	}
	if (rc == 0 && ps.have_bare_default && !ps.saw_prefixed_default) {
		struct aws_profile_section *d = list_get(&out->profiles, "default", 7);
		if (!d || section_merge(d, &ps.bare_default) < 0)
			rc = oom(&ps);
	}
	aws_profile_section_free(&ps.bare_default);
	if (rc < 0) {
		aws_profile_file_free(out);
		*err = ps.err ? ps.err : strdup("out of memory");
		return -1;
	}
	return 0;
}

/* ---- sub-properties ---------------------------------------------------- */

int aws_profile_subprops(const char *raw, struct aws_profile_section *out)
{
	const char *p = raw ? raw : "";

	memset(out, 0, sizeof *out);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *eq = memchr(p, '=', n);

		if (eq) {
			const char *k = p, *v = eq + 1;
			size_t kn = (size_t)(eq - p), vn = n - kn - 1;

			for (size_t i = 1; i < vn; i++) {
				if ((v[i] == '#' || v[i] == ';') && is_blank(v[i - 1])) {
					vn = i;
					break;
				}
			}
			trim(&k, &kn);
			trim(&v, &vn);
			if (aws_profile_name_valid(k, kn)) {
				char *lk = strndup(k, kn);
				if (!lk)
					goto fail;
				for (char *c = lk; *c; c++)
					*c = (char)tolower((unsigned char)*c);
				long r = section_set(out, lk, v, vn);
				free(lk);
				if (r < 0)
					goto fail;
			}
		}
		p += n + (nl ? 1 : 0);
	}
	return 0;
fail:
	aws_profile_section_free(out);
	return -1;
}

/* ---- files and locations ----------------------------------------------- */

int aws_profile_read_file(const char *path, char **text, size_t *len, char **err)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int fd;

	*text = NULL;
	*len = 0;
	*err = NULL;
	/* O_NONBLOCK: a FIFO or a terminal must not hang the open or the read
	 * below (it changes nothing for a regular file) */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		*err = util_fmt("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		*err = util_fmt("cannot read %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISCHR(st.st_mode)) {
		/* botocore and the AWS CLI take AWS_CONFIG_FILE=/dev/null as an
		 * empty file: so does ddtree, for any device that reads as empty */
		char probe;
		ssize_t r;
		while ((r = read(fd, &probe, 1)) < 0 && errno == EINTR)
			;
		if (r == 0) {
			close(fd);
			if (!(*text = calloc(1, 1))) {
				*err = strdup("out of memory");
				return -1;
			}
			return 0;
		}
	}
	if (!S_ISREG(st.st_mode)) {
		*err = util_fmt("cannot read %s: %s", path,
		           S_ISDIR(st.st_mode) ? "it is a directory"
		           : S_ISCHR(st.st_mode) ? "not a regular file (a device is read only when "
		                                   "empty, like /dev/null)"
		           : "not a regular file");
		close(fd);
		return -1;
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			/* grow by copying, so no stale copy of a secret is left behind */
			size_t ncap = cap ? 2 * cap : 8192;
			char *nb = malloc(ncap);
			if (!nb) {
				*err = strdup("out of memory");
				goto fail;
			}
			if (buf) {
				memcpy(nb, buf, n);
				OPENSSL_cleanse(buf, n);
				free(buf);
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*err = util_fmt("cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > PROFILE_FILE_MAX) {
			*err = util_fmt("%s is larger than %u bytes; not an AWS config file",
			           path, PROFILE_FILE_MAX);
			goto fail;
		}
	}
	close(fd);
	if (!buf && !(buf = calloc(1, 1))) {
		*err = strdup("out of memory");
		return -1;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
fail:
	if (buf) {
		OPENSSL_cleanse(buf, n);
		free(buf);
	}
	close(fd);
	return -1;
}

static const char *home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h)
		return h;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
}

const char *aws_profile_home(void)
{
	return home_dir();
}

static int file_path(const char *env, const char *leaf, char **out, char **err)
{
	const char *v = getenv(env);
	const char *home;

	*out = NULL;
	if (v && *v && !(v[0] == '~' && (v[1] == '/' || v[1] == '\0'))) {
		*out = strdup(v);
	} else {
		home = home_dir();
		if (!home) {
			*err = util_fmt("cannot find the home directory for %s: set HOME",
			           v && *v ? v : leaf);
			return -1;
		}
		if (v && *v)
			*out = util_fmt("%s%s", home, v + 1);
		else
			*out = util_fmt("%s/.aws/%s", home, leaf);
	}
	if (!*out) {
		*err = strdup("out of memory");
		return -1;
	}
	return 0;
}

int aws_profile_paths(char **config_path, char **credentials_path, char **err)
{
	*err = NULL;
	*config_path = *credentials_path = NULL;
	if (file_path("AWS_CONFIG_FILE", "config", config_path, err) < 0)
		return -1;
	if (file_path("AWS_SHARED_CREDENTIALS_FILE", "credentials", credentials_path, err) < 0) {
		free(*config_path);
		*config_path = NULL;
		return -1;
	}
	return 0;
}

const char *aws_profile_select(const char *cli, const char **source)
{
	const char *v;

	if (cli && *cli) {
		*source = "--profile";
		return cli;
	}
	v = getenv("AWS_PROFILE");
	if (v && *v) {
		*source = "AWS_PROFILE";
		return v;
	}
	if (!v || !*v) {
		v = getenv("AWS_DEFAULT_PROFILE");
		if (v && *v) {
			*source = "AWS_DEFAULT_PROFILE";
			return v;
		}
	}
	*source = "default";
	return "default";
}

/* ---- one profile, seen in both files ---------------------------------------- */

const char *aws_profile_view_get(const struct aws_profile_view *v, const char *key)
{
	const char *s = aws_profile_get(v->credp, key);

	return s ? s : aws_profile_get(v->cfgp, key);
}

const char *aws_profile_view_get_nonempty(const struct aws_profile_view *v, const char *key)
{
	const char *s = aws_profile_view_get(v, key);

	return s && *s ? s : NULL;
}

struct aws_profile_view aws_profile_view_at(const struct aws_profile_view *v, const char *name)
{
	struct aws_profile_view w = *v;

	w.name = name;
	w.cfgp = aws_profile_find(&v->cfg->profiles, name);
	w.credp = aws_profile_find(&v->cred->profiles, name);
	return w;
}

bool aws_profile_view_ignores_endpoints(const struct aws_profile_view *v)
{
	const char *e = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	const char *s = e && *e ? e : aws_profile_view_get(v, "ignore_configured_endpoint_urls");

	return s && strcasecmp(s, "true") == 0;
}

char *aws_profile_config_header(const char *profile)
{
	return strcmp(profile, "default") == 0 ? strdup("[default]")
	                                       : util_fmt("[profile %s]", profile);
}
