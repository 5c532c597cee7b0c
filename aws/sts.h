/* aws/sts.h: the two STS calls behind assume role (AWS-CLIENT.md 4.7) and
 * web identity (4.8): AssumeRole, a SigV4-signed form POST, and
 * AssumeRoleWithWebIdentity, the same POST unsigned.  Both answer XML.
 *
 * Private to aws/: config.c builds the settings when it builds the chain and
 * calls the fetch functions from aws_creds_get; the unit tests call them
 * directly.  Each call is a blocking libcurl request (aws/http.h's
 * aws_http_call) with a short time limit, made on the thread that asks for
 * credentials (the client's worker thread).  TLS is always verified,
 * redirects are never followed, nothing reaches the --debug trace, and no
 * secret (the source keys, session tokens, the web identity token, the keys
 * STS returns) ever appears in a message.
 */
#ifndef DDTREE_AWS_STS_H
#define DDTREE_AWS_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aws/config.h"

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

struct aws_assume_role {
	const char *profile;       /* the profile with role_arn, for messages */
	const char *role_arn;
	const char *session_name;  /* NULL: botocore-session-<now> */
	const char *external_id;   /* NULL: none */
	int duration_seconds;      /* 0: STS's default (one hour) */
};

/* The form body of AssumeRole (malloc'd), or NULL when out of memory:
 * Action=AssumeRole&Version=2011-06-15&RoleArn=...&RoleSessionName=...
 * [&DurationSeconds=N][&ExternalId=...], values URI-encoded. */
char *aws_sts_assume_role_body(const struct aws_assume_role *a, time_t now);

/* Sign the POST with `src` (service sts) and ask STS for the role's
 * credentials; *out gets them with their expiration (source left NULL).
 * 0, or -1 with *err. */
int aws_sts_assume_role(const struct aws_sts_conf *c, const struct aws_assume_role *a,
                        const struct aws_credentials *src, time_t now,
                        struct aws_credentials *out, char **err);

struct aws_web_identity {
	const char *what;          /* "web identity (profile x)", for messages */
	const char *role_arn;
	const char *session_name;  /* NULL: botocore-session-<now> */
	const char *token_file;    /* read at each fetch */
	const char *token_file_from; /* "AWS_WEB_IDENTITY_TOKEN_FILE" or
	                                "web_identity_token_file of profile x" */
};

/* Read the token file and POST AssumeRoleWithWebIdentity, unsigned.  0, or
 * -1 with *err. */
int aws_sts_web_identity(const struct aws_sts_conf *c, const struct aws_web_identity *w,
                         time_t now, struct aws_credentials *out, char **err);

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
