/* aws/credfetch.h: credential providers that ask a web service: SSO (IAM
 * Identity Center, AWS-CLIENT.md 4.6) and container credentials (ECS,
 * CodeBuild, EKS Pod Identity, 4.9).
 *
 * Private to aws/: config.c builds the settings when it builds the chain and
 * calls the fetch functions from aws_creds_get; the unit tests call them
 * directly.  Each fetch is a blocking libcurl easy call with a short time
 * limit, made on the thread that asks for credentials (the client's worker
 * thread).  TLS is always verified, redirects are never followed, and no
 * secret (bearer token, authorization token, keys) ever appears in a message:
 * a message names the service's base URL, never a request's path or query.
 */
#ifndef DDTREE_AWS_CREDFETCH_H
#define DDTREE_AWS_CREDFETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aws/config.h"

/* ---- SSO --------------------------------------------------------------- */

#define AWS_SSO_TIMEOUT_MS 5000          /* the portal call, connect included */

struct aws_sso_conf {
	char *profile;        /* for "run: aws sso login --profile NAME" */
	char *session;        /* sso_session NAME; NULL for a legacy profile */
	char *start_url;
	char *region;         /* sso_region */
	char *account_id;     /* sso_account_id */
	char *role_name;      /* sso_role_name */
	char *cache_path;     /* ~/.aws/sso/cache/<sha1>.json */
	char *portal_url;     /* https://portal.sso.REGION.amazonaws.com or
	                         AWS_ENDPOINT_URL_SSO; no trailing '/' */
	char *ca_bundle;      /* NULL: the system's */
};

void aws_sso_conf_free(struct aws_sso_conf *c);

/* The token cache's file name without ".json": the hex SHA-1 of `key` (the
 * session name, or for a legacy profile the start URL), as the AWS CLI
 * computes it.  0, or -1 (OpenSSL failure). */
int aws_sso_cache_key(const char *key, char hex[41]);

/* Read the cached token, refuse an expired one, ask the portal for the
 * role's credentials.  *out gets them with their expiration (source left
 * NULL).  0, or -1 with *err. */
int aws_sso_fetch(const struct aws_sso_conf *c, time_t now,
                  struct aws_credentials *out, char **err);

/* Parse the portal's reply ({"roleCredentials":{...}}, expiration in epoch
 * milliseconds).  0, or -1 with *err. */
int aws_sso_parse_reply(const char *json, size_t len, struct aws_credentials *out,
                        char **err);

/* ---- container --------------------------------------------------------- */

#define AWS_CONTAINER_TIMEOUT_MS 2000    /* one attempt, connect included */
#define AWS_CONTAINER_ATTEMPTS 3
#define AWS_CONTAINER_RELATIVE_HOST "http://169.254.170.2"

struct aws_container_conf {
	char *url;            /* the full URL to GET */
	const char *url_source; /* "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" or
	                           "AWS_CONTAINER_CREDENTIALS_FULL_URI" */
	char *base;           /* scheme://host[:port] of url, for messages */
	char *token_file;     /* AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, read at each fetch */
	char *token;          /* AWS_CONTAINER_AUTHORIZATION_TOKEN (when no file) */
	char *ca_bundle;
	bool no_proxy;        /* loopback or link-local: never through a proxy */
};

/* Read the AWS_CONTAINER_* variables.  1 configured (*c filled), 0 neither
 * URI is set, -1 with *err (a FULL_URI on a host that is not allowed, a
 * malformed URI).  Nothing is fetched. */
int aws_container_conf_from_env(struct aws_container_conf *c, const char *ca_bundle,
                                char **err);
void aws_container_conf_free(struct aws_container_conf *c);

/* botocore's rule for AWS_CONTAINER_CREDENTIALS_FULL_URI: https to any host,
 * or http to loopback, 169.254.170.2, 169.254.170.23 or [fd00:ec2::23]. */
bool aws_container_url_allowed(const char *url);

/* GET the credentials: up to AWS_CONTAINER_ATTEMPTS attempts (a connection
 * failure, a timeout, 429 or 5xx is tried again).  0, or -1 with *err. */
int aws_container_fetch(const struct aws_container_conf *c,
                        struct aws_credentials *out, char **err);

/* Parse the reply (AccessKeyId, SecretAccessKey, Token, Expiration).
 * `what` names the source in messages.  0, or -1 with *err. */
int aws_container_parse_reply(const char *json, size_t len, const char *what,
                              struct aws_credentials *out, char **err);

/* For tests: the SSO call's time limit, the container attempt's, and the
 * pause between container attempts, in milliseconds (<= 0 restores the
 * default). */
void aws_credfetch_set_timing(long sso_ms, long container_ms, long pause_ms);

#endif
