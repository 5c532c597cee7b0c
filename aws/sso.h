/* aws/sso.h: the SSO provider (IAM Identity Center, AWS-CLIENT.md 4.6).
 *
 * Private to aws/: config.c adds it to the chain, the unit tests call the
 * parts directly.  A profile names its portal with sso_session (an
 * [sso-session NAME] section) or, legacy, with sso_start_url and
 * sso_region; sso_account_id and sso_role_name say which credentials to
 * ask for.  Each fetch reads the token the AWS CLI cached (aws sso login),
 * renews it through SSO OIDC's CreateToken when less than 15 minutes are
 * left and the cache holds a refresh token and the client registration (an
 * sso-session profile, as botocore: the cache file is then replaced as the
 * CLI replaces it, atomically, mode 0600), and asks the portal, each in a
 * blocking libcurl call with a short time limit made on the thread that
 * asks for credentials (the client's worker thread).  TLS is always verified, redirects are never followed, and no
 * secret (the bearer and refresh tokens, the client secret, the keys) ever
 * appears in a message: a message names the portal's base URL, never a
 * request's path or query.  When no token can be had, the message says
 * which `aws sso login --sso-session NAME` (or `--profile NAME`) to run.
 */
#ifndef DDTREE_AWS_SSO_H
#define DDTREE_AWS_SSO_H

#include <stddef.h>

#include "aws/creds.h"

#define AWS_SSO_TIMEOUT_MS 5000          /* the portal and OIDC calls, connect included */

/* The SSO provider of s's profile: "not configured" when the profile has
 * neither sso_session nor sso_start_url, an error for a half-configured
 * one.  The portal is AWS_ENDPOINT_URL_SSO when set (as the SDKs let tests
 * override it), else https://portal.sso.REGION.amazonaws.com; SSO OIDC is
 * AWS_ENDPOINT_URL_SSO_OIDC, else https://oidc.REGION.amazonaws.com.  0,
 * or -1 when out of memory. */
int aws_sso_add(struct aws_cred_chain *c, const struct aws_cred_setup *s);

/* The token cache's file name without ".json": the hex SHA-1 of `key` (the
 * session name, or for a legacy profile the start URL), as the AWS CLI
 * computes it.  0, or -1 (OpenSSL failure). */
int aws_sso_cache_key(const char *key, char hex[41]);

/* Parse the portal's reply ({"roleCredentials":{...}}, expiration in epoch
 * milliseconds).  0, or -1 with *err. */
int aws_sso_parse_reply(const char *json, size_t len, struct aws_credentials *out,
                        char **err);

/* For tests: the portal call's time limit in milliseconds (<= 0 restores
 * the default). */
void aws_sso_set_timeout_ms(long ms);

#endif
