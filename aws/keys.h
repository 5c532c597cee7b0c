/* aws/keys.h: the static keys providers: the environment's
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
 * AWS_CREDENTIAL_EXPIRATION) and a profile's (aws_access_key_id,
 * aws_secret_access_key, aws_session_token) in either shared file.
 *
 * The keys are read when the chain is built, with the SDKs' rules: an
 * access key without its secret is an error, a secret alone is ignored, the
 * session token is optional (AWS_SECURITY_TOKEN and aws_security_token, the
 * legacy names, stand in for it).
 */
#ifndef DDTREE_AWS_KEYS_H
#define DDTREE_AWS_KEYS_H

#include <stdbool.h>

#include "aws/creds.h"

/* The environment's keys.  They are not used after --profile, except when
 * `always` (credential_source = Environment).  0, or -1 when out of
 * memory. */
int aws_keys_env_add(struct aws_cred_chain *c, const struct aws_cred_setup *s, bool always);

/* The keys of s's profile in the shared credentials file (`credentials_file`)
 * or in the config file.  0, or -1 when out of memory. */
int aws_keys_file_add(struct aws_cred_chain *c, const struct aws_cred_setup *s,
                      bool credentials_file);

#endif
