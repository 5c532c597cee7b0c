/* aws/profile.h: the shared config and credentials files (~/.aws/config,
 * ~/.aws/credentials), parsed by the rules the AWS SDKs share
 * (tests/data/aws-profile-testsuite/profile-parser-tests.json).
 *
 * Private to aws/: config.c builds on it, the unit tests call it directly.
 * Values are kept as opaque bytes; property names are stored lower-cased,
 * section names exactly as written.  Every value is wiped when freed, since
 * the credentials file holds secrets.
 */
#ifndef DDTREE_AWS_PROFILE_H
#define DDTREE_AWS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

enum aws_profile_kind {
	AWS_PROFILE_CONFIG,        /* [profile x], [default], [sso-session x], [services x] */
	AWS_PROFILE_CREDENTIALS,   /* [x] only */
};

struct aws_profile_prop {
	char *key;                 /* lower-cased */
	char *value;               /* trimmed; sub-properties stay raw ("\nk = v") */
};

struct aws_profile_section {
	char *name;
	struct aws_profile_prop *props;
	size_t nprops, cap;
};

struct aws_profile_list {
	struct aws_profile_section *v;
	size_t n, cap;
};

struct aws_profile_file {
	struct aws_profile_list profiles;
	struct aws_profile_list sso_sessions;
	struct aws_profile_list services;
};

/* Parse one file's text (len bytes, need not be NUL-terminated) into *out,
 * which must be zeroed.  `origin` names the file in error messages.
 * Returns 0, or -1 with a malloc'd message in *err (it never quotes the
 * offending line, which may hold a secret); *out is then left empty. */
int aws_profile_parse(const char *text, size_t len, enum aws_profile_kind kind,
                      const char *origin, struct aws_profile_file *out, char **err);

/* Merge src into dst: sections with the same name merge, src's values win.
 * Returns 0, or -1 when out of memory. */
int aws_profile_merge(struct aws_profile_file *dst, const struct aws_profile_file *src);

void aws_profile_file_free(struct aws_profile_file *f);

/* Lookups; NULL when absent.  `key` must be lower-case. */
const struct aws_profile_section *aws_profile_find(const struct aws_profile_list *l,
                                                   const char *name);
const char *aws_profile_get(const struct aws_profile_section *s, const char *key);

/* Split a raw sub-property value ("\nendpoint_url = http://x\nk = v") into
 * *out (zeroed first; name left NULL): keys lower-cased and trimmed, values
 * trimmed, an inline comment after whitespace removed, last duplicate wins.
 * Lines without '=' or with an invalid name are skipped.  0 or -1 (memory). */
int aws_profile_subprops(const char *raw, struct aws_profile_section *out);

/* Deep copy (NULL src gives an empty section); 0 or -1 (memory). */
int aws_profile_section_dup(struct aws_profile_section *dst,
                            const struct aws_profile_section *src);
void aws_profile_section_free(struct aws_profile_section *s);

/* Profile and property names: letters, digits and - / . % @ _ : + */
bool aws_profile_name_valid(const char *name, size_t len);

/* Read a whole file (at most 4 MiB, no NUL bytes).  A missing file is not
 * an error: returns 0 with *text NULL.  A character device that reads as
 * empty (/dev/null) is an empty file; other devices, FIFOs and directories
 * are errors.  Otherwise *text is malloc'd and NUL-terminated; free it with
 * util_wipe_free. */
int aws_profile_read_file(const char *path, char **text, size_t *len, char **err);

/* Where the two files are: $AWS_CONFIG_FILE / $AWS_SHARED_CREDENTIALS_FILE
 * (a leading ~ expanded) else $HOME/.aws/config and $HOME/.aws/credentials
 * (the password database when HOME is unset).  0, or -1 with *err. */
int aws_profile_paths(char **config_path, char **credentials_path, char **err);

/* The home directory: $HOME, else the password database's; NULL if none. */
const char *aws_profile_home(void);

/* The profile to use: `cli` (--profile) > AWS_PROFILE > AWS_DEFAULT_PROFILE
 * (only when AWS_PROFILE is unset) > "default".  Empty values count as
 * unset.  *source gets "--profile", "AWS_PROFILE", "AWS_DEFAULT_PROFILE" or
 * "default".  The result points into cli, the environment or a literal. */
const char *aws_profile_select(const char *cli, const char **source);

/* ---- one profile, seen in both files ---------------------------------------- */

/* What the credential providers read: one profile in the two files, and
 * where the files are (for messages). */
struct aws_profile_view {
	const char *name;                           /* the profile */
	const struct aws_profile_file *cfg, *cred;  /* both files (empty when missing) */
	const struct aws_profile_section *cfgp, *credp; /* the profile in each, or NULL */
	const char *cfg_path, *cred_path;
	bool cfg_exists, cred_exists;
};

/* A property of the profile, the credentials file winning; NULL when
 * absent.  `key` must be lower-case. */
const char *aws_profile_view_get(const struct aws_profile_view *v, const char *key);
/* The same, with an empty value counted as absent. */
const char *aws_profile_view_get_nonempty(const struct aws_profile_view *v, const char *key);
/* The same files, seen from profile `name` (which may exist in neither). */
struct aws_profile_view aws_profile_view_at(const struct aws_profile_view *v, const char *name);
/* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, else the profile's
 * ignore_configured_endpoint_urls, is "true" (any case). */
bool aws_profile_view_ignores_endpoints(const struct aws_profile_view *v);

/* "[default]" or "[profile x]", as the config file spells the profile's
 * section (malloc'd; NULL when out of memory). */
char *aws_profile_config_header(const char *profile);

#endif
