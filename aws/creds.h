/* aws/creds.h: AWS credentials, the credential provider interface, and the
 * chain that asks its providers in order and caches what it found
 * (botocore's CredentialResolver; the providers plug in the way curl's TLS
 * back ends do, through one table of functions).
 *
 * Each provider lives in its own file and adds itself to a chain with
 * settings it copies when the chain is built: aws/keys.c (the environment's
 * and a profile's static keys), aws/credproc.c (credential_process),
 * aws/sso.c (SSO), aws/container.c (container credentials), aws/sts.c
 * (assume role, web identity), aws/imds.c (EC2 instance metadata).
 * aws/config.c decides which providers, in which order (botocore's,
 * AWS-CLIENT.md 4.1).  A provider answers "found", "not here" (with a
 * reason, collected for the message when nothing is found) or a hard error
 * that ends the search (a half-configured source, a failing
 * credential_process, an STS refusal).
 */
#ifndef DDTREE_AWS_CREDS_H
#define DDTREE_AWS_CREDS_H

#include <stdbool.h>
#include <time.h>

#include "aws/profile.h"

struct aws_credentials {
	char *access_key_id;
	char *secret_access_key;
	char *session_token;       /* NULL when none */
	time_t expiration;         /* 0 = never expires */
	char *source;              /* "environment", "shared credentials file (profile x)",
	                              "credential_process (profile x)", "SSO (profile x)",
	                              "assume role (profile x)", "web identity (profile x)",
	                              "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)",
	                              "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI)",
	                              "EC2 instance metadata (role r)",
	                              "placeholder for local endpoint" */
};

/* Wipe the secrets, free every field and zero *cr; NULL is fine. */
void aws_credentials_free(struct aws_credentials *cr);

/* A deep copy (dst is overwritten).  0, or -1 when out of memory (dst
 * zeroed). */
int aws_credentials_copy(struct aws_credentials *dst, const struct aws_credentials *src);

/* ---- the provider interface ------------------------------------------------ */

/* What a provider's load answers. */
enum { AWS_CRED_ERROR = -1, AWS_CRED_NONE = 0, AWS_CRED_FOUND = 1 };

struct aws_cred_provider {
	const char *name;          /* "environment", "assume role", ... */
	/* AWS_CRED_FOUND fills *out, source included; AWS_CRED_NONE sets *msg
	 * to why not; AWS_CRED_ERROR sets *msg to an error that ends the
	 * search.  `data` is what the provider added itself with. */
	int (*load)(const void *data, time_t now, struct aws_credentials *out, char **msg);
	void (*free)(void *data);
	/* Optional: true when load may ask the user something (an assumed
	 * role's MFA code, aws/mfa.h), which only a start-up fetch can. */
	bool (*interactive)(const void *data);
};

/* What a provider reads when it adds itself to a chain: the profile in
 * both files (a source_profile's, for the source chain of a role), and the
 * settings aws/config.c resolved before building the chain.  Providers copy
 * what they need: the chain never reads the files or the environment
 * again. */
struct aws_imds_conf;

struct aws_cred_setup {
	struct aws_profile_view prof;
	const char *profile_source;  /* "--profile", "AWS_PROFILE", ...: after
	                                --profile the environment's keys and web
	                                identity settings are not used */
	const char *ca_bundle;       /* NULL: the system's */
	const char *sts_region;      /* NULL: STS's global endpoint */
	const char *sts_url;         /* AWS_ENDPOINT_URL_STS, checked, or NULL */
	const char *sts_err;         /* why AWS_ENDPOINT_URL_STS is refused, or NULL */
	const struct aws_imds_conf *imds; /* IMDS's settings (aws/imds.h) */
};

/* ---- the chain ------------------------------------------------------------- */

struct aws_cred_chain;         /* opaque; the ordered providers and a cache */

/* Cached credentials are re-fetched this many seconds before they expire. */
#define AWS_CREDS_REFRESH_MARGIN 600

/* An empty chain for `profile` (named in "nothing found" messages).
 * `nothing` (taken; may be NULL) leads the message when no provider has
 * credentials, for the source chain of a role ("profile a's source_profile
 * b has no credentials"); NULL gives the top-level message.  NULL when out
 * of memory. */
struct aws_cred_chain *aws_cred_chain_new(const char *profile, char *nothing);
void aws_cred_chain_free(struct aws_cred_chain *c);

/* Append provider p with its data; `where` says where it looks, for the
 * list of sources tried.  Takes ownership of where and data, even on
 * failure (p->free frees data); NULL where or data means out of memory.
 * 0, or -1 when out of memory. */
int aws_cred_chain_add(struct aws_cred_chain *c, const struct aws_cred_provider *p,
                       char *where, void *data);

/* Append provider p with a verdict made when the chain was built instead
 * of data: `error` (a hard error) or else `none` (why it has nothing).
 * Takes ownership of where, error and none; all NULL means out of memory.
 * 0, or -1 when out of memory. */
int aws_cred_chain_add_verdict(struct aws_cred_chain *c, const struct aws_cred_provider *p,
                               char *where, char *error, char *none);

/* When no provider has credentials, hand out placeholder keys instead of
 * failing (a loopback endpoint: DynamoDB Local takes any key). */
void aws_cred_chain_set_placeholder(struct aws_cred_chain *c, bool on);

/* Ask every provider in order, without the cache and without the lock (a
 * role asks its source chain this way, from inside aws_creds_get).  0 with
 * *out, or -1 with *err listing every source tried, in order. */
int aws_cred_chain_resolve(struct aws_cred_chain *c, time_t now, struct aws_credentials *out,
                           char **err);

/* Current credentials, copied into *out (free with aws_credentials_free).
 * Cached; refreshed when they expire within the refresh margin of `now`
 * (credential_process and other temporary sources).  Safe from any thread.
 * On failure returns -1 and *err lists every source tried, in order. */
int aws_creds_get(struct aws_cred_chain *c, time_t now, struct aws_credentials *out, char **err);

/* True when a provider of c (or of a chain it draws on) may ask the user
 * something when it loads (aws/mfa.h fetches such a chain at start-up). */
bool aws_cred_chain_interactive(const struct aws_cred_chain *c);

/* Change the refresh margin (tests; seconds, >= 0). */
void aws_creds_set_refresh_margin(struct aws_cred_chain *c, time_t seconds);

/* Forget the cached credentials (after ExpiredTokenException). */
void aws_creds_invalidate(struct aws_cred_chain *c);

#endif
