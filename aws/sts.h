/* aws/sts.h: the assume role (AWS-CLIENT.md 4.7) and web identity (4.8)
 * providers, and their two STS calls: AssumeRole, a SigV4-signed form POST,
 * and AssumeRoleWithWebIdentity, the same POST unsigned.  Both answer XML.
 *
 * Private to aws/: config.c adds the providers to the chain, the unit tests
 * call the parts directly.  Each call is a blocking libcurl request
 * (aws/http.h's aws_http_call) with a short time limit, made on the thread
 * that asks for credentials (the client's worker thread).  TLS is always verified,
 * redirects are never followed, nothing reaches the --debug trace, and no
 * secret (the source keys, session tokens, the web identity token, the keys
 * STS returns) ever appears in a message.
 */
#ifndef DDTREE_AWS_STS_H
#define DDTREE_AWS_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aws/creds.h"

#define AWS_STS_TIMEOUT_MS 5000          /* one attempt, connect included */
#define AWS_STS_ATTEMPTS 2               /* a connection failure, 429 or 5xx is tried again */
#define AWS_STS_API_VERSION "2011-06-15"
#define AWS_STS_CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"

struct aws_sts_conf {
	char *url;            /* where the POST goes (the endpoint, "/" added when it has no path) */
	char *base;           /* the endpoint, for messages */
	char *host;           /* the Host header, sent and signed */
	char *path;           /* the request path, "/" at least */
	char *region;         /* signing region */
	char *ca_bundle;      /* NULL: the system's */
	bool no_proxy;        /* loopback: never through a proxy */
};

/* The endpoint: `endpoint` (AWS_ENDPOINT_URL_STS, already checked by the
 * caller: http(s), a host, no user, query or fragment, no trailing '/'), or
 * else https://sts.REGION.amazonaws.com, or the global
 * https://sts.amazonaws.com signed for us-east-1 when region is NULL.
 * 0, or -1 when out of memory. */
int aws_sts_conf_make(const char *endpoint, const char *region, const char *ca_bundle,
                      struct aws_sts_conf *out);
void aws_sts_conf_free(struct aws_sts_conf *c);

/* Builds the chain a role's source credentials come from, for s's profile:
 * its source_profile `sp` or its credential_source `cs` (exactly one is
 * set).  NULL with *from, or a message (a missing profile, a loop of
 * source_profile settings, an unsupported source).  aws/config.c's, which
 * knows the order of the providers; `ud` is its own. */
typedef char *aws_role_source_fn(const struct aws_cred_setup *s, const char *sp,
                                 const char *cs, void *ud, struct aws_cred_chain **from);

/* The assume-role provider of s's profile: "not configured" without a
 * role_arn (or with web_identity_token_file, which makes it web identity),
 * an error for a misconfigured one (both or neither of source_profile and
 * credential_source, a bad duration_seconds, a refused
 * AWS_ENDPOINT_URL_STS, whatever `source` refuses), else one that signs
 * AssumeRole with the credentials of the chain `source` built, resolved
 * anew each time the role's credentials near expiry.  With mfa_serial it
 * sends SerialNumber and the TokenCode aws/mfa.h asks for (only at
 * start-up), and writes what it gets to the AWS CLI's cache
 * (aws/clicache.h); any role uses a valid entry found there.  Every
 * configuration error, loops included, is found here and reported when
 * credentials are asked for, before any request.  0, or -1 when out of
 * memory. */
int aws_role_add(struct aws_cred_chain *c, const struct aws_cred_setup *s,
                 aws_role_source_fn *source, void *ud);

/* The web identity provider, as botocore reads it: each of the token file,
 * the role ARN and the session name from its environment variable
 * (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME) when
 * `use_env`, else from s's profile.  Each fetch reads the token file and
 * POSTs AssumeRoleWithWebIdentity, unsigned.  0, or -1 when out of
 * memory. */
int aws_web_identity_add(struct aws_cred_chain *c, const struct aws_cred_setup *s, bool use_env);

/* Parse an STS reply.  `result` names the result element
 * ("AssumeRoleResult", "AssumeRoleWithWebIdentityResult").  Returns 0 with
 * the credentials in *out (Credentials/{AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration}); 1 for an ErrorResponse, with *code and
 * *message (malloc'd, control characters replaced, possibly NULL each);
 * -1 when it is neither. */
int aws_sts_parse_reply(const char *xml, size_t len, const char *result,
                        struct aws_credentials *out, char **code, char **message);

/* The text of an XML leaf with the five predefined entities and character
 * references decoded; NULL for a malformed one (a '<', an unknown entity)
 * or when out of memory. */
char *aws_xml_text(const char *s, size_t n);

/* For tests: one attempt's time limit in milliseconds (<= 0: the default). */
void aws_sts_set_timeout_ms(long ms);

#endif
