/* aws/imds.h: EC2 instance metadata (IMDS, AWS-CLIENT.md 4.10): the
 * credentials of the instance's role, the last provider of the chain as in
 * botocore, and the instance's region, the last source of the region.
 *
 * Private to aws/: config.c reads the settings and adds the provider, the
 * unit tests call the parts directly.  IMDSv2: a PUT for a session token,
 * then GETs that carry it; IMDSv1 (the GETs without a token) only when the
 * service refuses the token request with 403, 404 or 405 (see imds.c).
 * Every call is a blocking libcurl request with a short time limit (1 s,
 * one retry), never through a proxy (the service answers for the machine
 * that asks), plain http to the fixed link-local addresses or to the
 * configured endpoint without --allow-http, as the AWS SDKs do: that rule
 * is about DynamoDB's requests.  No secret (the session token, the keys)
 * ever appears in a message or in the --debug trace.
 */
#ifndef DDTREE_AWS_IMDS_H
#define DDTREE_AWS_IMDS_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/creds.h"
#include "aws/profile.h"

#define AWS_IMDS_IPV4 "http://169.254.169.254"
#define AWS_IMDS_IPV6 "http://[fd00:ec2::254]"
#define AWS_IMDS_TIMEOUT_MS 1000         /* one attempt of one call, connect included */
#define AWS_IMDS_ATTEMPTS 2              /* per call: one retry */
#define AWS_IMDS_TOKEN_TTL "21600"       /* seconds, as the SDKs ask */

/* The settings, read once from the environment and the profile. */
struct aws_imds_conf {
	bool disabled;          /* AWS_EC2_METADATA_DISABLED=true */
	bool v1_disabled;       /* AWS_EC2_METADATA_V1_DISABLED or ec2_metadata_v1_disabled */
	char *base;             /* the endpoint, no trailing '/' */
	char *base_from;        /* where it came from, for messages */
	long timeout_ms;        /* one attempt */
	int attempts;           /* per call */
	char *ca_bundle;        /* for an https:// endpoint; NULL: the system's */
	char *err;              /* a bad setting, reported when IMDS is asked */
};

/* Read the settings of profile p: AWS_EC2_METADATA_DISABLED;
 * AWS_EC2_METADATA_SERVICE_ENDPOINT else ec2_metadata_service_endpoint;
 * else by AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE else
 * ec2_metadata_service_endpoint_mode (IPv4, the default, or IPv6, any case)
 * one of the two fixed addresses; AWS_EC2_METADATA_V1_DISABLED else
 * ec2_metadata_v1_disabled; AWS_METADATA_SERVICE_TIMEOUT else
 * metadata_service_timeout (whole seconds, 1 to 60) and
 * AWS_METADATA_SERVICE_NUM_ATTEMPTS else metadata_service_num_attempts (1
 * to 10).  A bad value lands in out->err.  0, or -1 when out of memory. */
int aws_imds_conf_read(const struct aws_profile_view *p, const char *ca_bundle,
                       struct aws_imds_conf *out);
void aws_imds_conf_free(struct aws_imds_conf *c);

/* The IMDS provider.  `local`: the endpoint is on this machine, where
 * placeholder keys stand in when nothing is found, so IMDS is not asked
 * (a laptop has none, and DynamoDB Local takes any key).  "disabled" when
 * AWS_EC2_METADATA_DISABLED=true; "not found" (not an error) when nothing
 * answers or no role is attached to the instance; an error for anything
 * else the service answers.  0, or -1 when out of memory. */
int aws_imds_add(struct aws_cred_chain *c, const struct aws_cred_setup *s, bool local);

/* The instance's region (/latest/meta-data/placement/region): 0 with
 * *region (malloc'd), or -1 with *why (disabled, no answer, a bad
 * reply). */
int aws_imds_region(const struct aws_imds_conf *c, char **region, char **why);

/* Parse the credentials reply (Code, AccessKeyId, SecretAccessKey, Token,
 * Expiration: all four needed, as botocore).  0, or -1 with *err. */
int aws_imds_parse_credentials(const char *json, size_t len, struct aws_credentials *out,
                               char **err);

/* For tests: one attempt's time limit in milliseconds, instead of the
 * configured one (<= 0 restores it). */
void aws_imds_set_timeout_ms(long ms);

#endif
