/* tests/fuzz/fuzz-profile.c: the shared config and credentials file parser
 * (aws/profile.h).
 *
 * Input: file text.  Up to the first NUL byte it is parsed as a config file,
 * the rest as a credentials file; an input without NUL is parsed as both.
 * The two results are merged as the credential chain merges them.
 *
 * Properties checked:
 *   - a failed parse has a message that names the file and quotes nothing
 *     of it (seeds hold the word SECRETCANARY in values of broken lines),
 *     and leaves the result empty;
 *   - property names are lower-case valid names, section names valid, none
 *     twice in a section or list; every value is there;
 *   - aws_profile_find / aws_profile_get find every section and value;
 *   - merging keeps every section and takes the source's values;
 *   - a section copy equals its original; sub-properties parse the same way
 *     (lower-case valid names, no repeat). */
#include "fuzz.h"

#include <stdbool.h>

#include "aws/profile.h"

#define CANARY "SECRETCANARY"

static bool has_upper(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

static void check_section(const struct aws_profile_section *s, bool need_valid_name)
{
	FUZZ_CHECK(s->name != NULL, "a section without a name");
	if (need_valid_name)
		FUZZ_CHECK(aws_profile_name_valid(s->name, strlen(s->name)),
		           "section name \"%s\" is not valid", fuzz_show(s->name, strlen(s->name)));
	FUZZ_CHECK(s->nprops <= s->cap || !s->cap, "nprops %zu > cap %zu", s->nprops, s->cap);
	for (size_t i = 0; i < s->nprops; i++) {
		const struct aws_profile_prop *p = &s->props[i];
		FUZZ_CHECK(p->key && p->value, "a property without key or value");
		FUZZ_CHECK(!has_upper(p->key), "property name \"%s\" is not lower-case",
		           fuzz_show(p->key, strlen(p->key)));
		FUZZ_CHECK(aws_profile_name_valid(p->key, strlen(p->key)),
		           "property name \"%s\" is not valid", fuzz_show(p->key, strlen(p->key)));
		for (size_t k = 0; k < i; k++)
			FUZZ_CHECK(strcmp(s->props[k].key, p->key), "property \"%s\" twice in [%s]",
			           p->key, s->name);
		FUZZ_CHECK(aws_profile_get(s, p->key) == p->value, "aws_profile_get(\"%s\") misses it",
		           p->key);

		struct aws_profile_section sub;
		FUZZ_CHECK(aws_profile_subprops(p->value, &sub) == 0, "aws_profile_subprops failed");
		check_section(&(struct aws_profile_section){.name = "", .props = sub.props,
		                                            .nprops = sub.nprops, .cap = sub.cap},
		              false);
		aws_profile_section_free(&sub);
	}

	struct aws_profile_section copy;
	FUZZ_CHECK(aws_profile_section_dup(&copy, s) == 0, "aws_profile_section_dup failed");
	FUZZ_CHECK(copy.nprops == s->nprops && copy.name && !strcmp(copy.name, s->name),
	           "a copied section differs");
	for (size_t i = 0; i < s->nprops; i++)
		FUZZ_CHECK(!strcmp(copy.props[i].key, s->props[i].key) &&
		           !strcmp(copy.props[i].value, s->props[i].value), "a copied value differs");
	aws_profile_section_free(&copy);
}

static void check_list(const struct aws_profile_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		check_section(&l->v[i], true);
		for (size_t k = 0; k < i; k++)
			FUZZ_CHECK(strcmp(l->v[k].name, l->v[i].name), "section \"%s\" twice",
			           l->v[i].name);
		FUZZ_CHECK(aws_profile_find(l, l->v[i].name) == &l->v[i],
		           "aws_profile_find(\"%s\") misses it", l->v[i].name);
	}
}

static void check_file(const struct aws_profile_file *f)
{
	check_list(&f->profiles);
	check_list(&f->sso_sessions);
	check_list(&f->services);
}

static bool is_empty(const struct aws_profile_file *f)
{
	return !f->profiles.n && !f->sso_sessions.n && !f->services.n;
}

static int parse(const char *text, size_t len, enum aws_profile_kind kind, const char *origin,
                 struct aws_profile_file *out)
{
	char *err = (char *)"unset";
	memset(out, 0, sizeof *out);
	int rc = aws_profile_parse(text, len, kind, origin, out, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "aws_profile_parse returned %d", rc);
	if (rc == 0) {
		FUZZ_CHECK(err == NULL, "success with a message");
		check_file(out);
		return 0;
	}
	FUZZ_CHECK(err != NULL, "failure without a message");
	FUZZ_CHECK(!strncmp(err, origin, strlen(origin)), "message \"%s\" does not name the file",
	           err);
	FUZZ_CHECK(!strstr(err, CANARY), "the message quotes the file: %s", err);
	FUZZ_CHECK(is_empty(out), "a failed parse left sections");
	free(err);
	return -1;
}

/* dst after merging src into it: every section of src there, src's values. */
static void check_merged(const struct aws_profile_list *dst, const struct aws_profile_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct aws_profile_section *s = &src->v[i];
		const struct aws_profile_section *d = aws_profile_find(dst, s->name);
		FUZZ_CHECK(d != NULL, "section \"%s\" lost by merging", s->name);
		for (size_t k = 0; k < s->nprops; k++) {
			const char *v = aws_profile_get(d, s->props[k].key);
			FUZZ_CHECK(v && !strcmp(v, s->props[k].value), "merged \"%s\" lost %s's value",
			           s->name, s->props[k].key);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t clen = nul ? (size_t)(nul - data) : size;
	const char *cred = nul ? text + clen + 1 : text;
	size_t crlen = nul ? size - clen - 1 : size;

	struct aws_profile_file cfg, crd, merged = {0};
	int rc1 = parse(text, clen, AWS_PROFILE_CONFIG, "fuzz-config", &cfg);
	int rc2 = parse(cred, crlen, AWS_PROFILE_CREDENTIALS, "fuzz-credentials", &crd);
	/* the whole input at once: the NUL path */
	struct aws_profile_file whole;
	(void)parse(text, size, AWS_PROFILE_CONFIG, "fuzz-whole", &whole);
	aws_profile_file_free(&whole);

	if (rc1 == 0 && rc2 == 0) {
		FUZZ_CHECK(aws_profile_merge(&merged, &cfg) == 0, "merge failed");
		check_merged(&merged.profiles, &cfg.profiles);
		FUZZ_CHECK(aws_profile_merge(&merged, &crd) == 0, "merge failed");
		check_file(&merged);
		check_merged(&merged.profiles, &crd.profiles);
		check_merged(&merged.sso_sessions, &crd.sso_sessions);
		check_merged(&merged.services, &crd.services);
		for (size_t i = 0; i < cfg.profiles.n; i++)
			FUZZ_CHECK(aws_profile_find(&merged.profiles, cfg.profiles.v[i].name),
			           "config profile \"%s\" lost by merging credentials",
			           cfg.profiles.v[i].name);
	}

	/* names, as the parser checks them */
	(void)aws_profile_name_valid(text, clen);
	aws_profile_file_free(&merged);
	aws_profile_file_free(&cfg);
	aws_profile_file_free(&crd);
	FUZZ_CHECK(is_empty(&cfg), "aws_profile_file_free left sections");
	return 0;
}
