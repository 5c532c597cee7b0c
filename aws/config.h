/* aws/config.h: where ddtree finds its region, endpoint and credentials,
 * resolved the way botocore and the AWS CLI do (see README "Configuration").
 *
 * Reads the environment and the shared config/credentials files, and
 * builds the credential chain (aws/creds.h) from the providers of
 * aws/keys.c, aws/sts.c, aws/sso.c, aws/credproc.c, aws/container.c and
 * aws/imds.c (which is also the last source of the region).
 * Knows nothing of DynamoDB tables.
 */
#ifndef DDTREE_AWS_CONFIG_H
#define DDTREE_AWS_CONFIG_H

#include <stdbool.h>
#include <time.h>

#include "aws/creds.h"

/* What the command line said; NULL or 0 means "not given". */
struct aws_conf_opts {
	const char *profile;       /* --profile */
	const char *region;        /* --region */
	const char *endpoint_url;  /* --endpoint-url */
	const char *service;       /* service id for endpoint/services lookups; NULL = "dynamodb" */
	bool allow_plain_http;     /* --allow-http: permit http:// to a non-loopback host */
	bool ignore_configured_endpoint_urls; /* use only endpoint_url, never the
	                              environment's or the profile's endpoints */
};

struct aws_conf {
	char *profile;             /* profile in use ("default" when none named) */
	const char *profile_source;/* "--profile", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "default" */
	char *region;
	const char *region_source; /* "--region", "AWS_REGION", "AWS_DEFAULT_REGION",
	                              "profile", "default for local endpoint",
	                              "EC2 instance metadata" */
	char *endpoint_url;        /* never NULL after a successful resolve, no trailing '/' */
	const char *endpoint_source; /* "--endpoint-url", "AWS_ENDPOINT_URL_DYNAMODB",
	                                "AWS_ENDPOINT_URL", "services section",
	                                "profile endpoint_url", "default" */
	bool endpoint_is_loopback; /* host is localhost, 127.x.x.x or [::1] (see
	                              aws_url_is_loopback in aws/url.h) */
	char *ca_bundle;           /* AWS_CA_BUNDLE or profile ca_bundle, or NULL */
	int max_attempts;          /* AWS_MAX_ATTEMPTS or profile max_attempts; 0 = default */
	struct aws_cred_chain *creds; /* ask it with aws_creds_get (aws/creds.h) */
};

/* Resolve everything but the credentials themselves (those are fetched lazily
 * by aws_creds_get so that a slow credential_process runs only when needed).
 * Returns 0, or -1 with a malloc'd message in *err (e.g. no region for a
 * non-local endpoint, http:// to a remote host without allow_plain_http,
 * a named profile that exists in neither file).  Calls util_secure_init
 * first: from then on the process cannot dump core. */
int aws_conf_resolve(const struct aws_conf_opts *o, struct aws_conf *out, char **err);
void aws_conf_free(struct aws_conf *c);

#endif
