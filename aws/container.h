/* aws/container.h: the container credentials provider (ECS, CodeBuild, EKS
 * Pod Identity; AWS-CLIENT.md 4.9).
 *
 * Private to aws/: config.c adds it to the chain, the unit tests call the
 * parts directly.  It reads AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
 * AWS_CONTAINER_CREDENTIALS_FULL_URI, and the authorization token from
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at each fetch) or
 * AWS_CONTAINER_AUTHORIZATION_TOKEN.  Each fetch is a blocking libcurl GET
 * with a short time limit, made on the thread that asks for credentials
 * (the client's worker thread).  TLS is always verified, redirects are
 * never followed, and no secret (the authorization token, the keys) ever
 * appears in a message: a message names the endpoint's base URL, never its
 * path or query.
 */
#ifndef DDTREE_AWS_CONTAINER_H
#define DDTREE_AWS_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/creds.h"

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

/* Parse the reply (AccessKeyId, SecretAccessKey, Token, Expiration).
 * `what` names the source in messages.  0, or -1 with *err. */
int aws_container_parse_reply(const char *json, size_t len, const char *what,
                              struct aws_credentials *out, char **err);

/* The container credentials provider: "not set" when neither URI
 * variable is, an error for a refused or malformed one.  Each fetch makes
 * up to AWS_CONTAINER_ATTEMPTS attempts (a connection failure, a timeout,
 * 429 or 5xx is tried again).  0, or -1 when out of memory. */
int aws_container_add(struct aws_cred_chain *c, const struct aws_cred_setup *s);

/* For tests: one attempt's time limit and the pause between attempts, in
 * milliseconds (<= 0 restores the default). */
void aws_container_set_timing(long attempt_ms, long pause_ms);

#endif
