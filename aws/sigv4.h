/* aws/sigv4.h: AWS Signature Version 4, written on OpenSSL's SHA-256/HMAC.
 *
 * Pure functions: no I/O, no clock (the caller passes the time), so every case
 * of the official test suite runs offline.  Knows nothing of DynamoDB beyond
 * the generic SigV4 rules.
 */
#ifndef DDTREE_AWS_SIGV4_H
#define DDTREE_AWS_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct aws_header {
	const char *name;   /* any case; signed names are lower-cased */
	const char *value;  /* raw value; trimmed and space-collapsed when signed */
};

struct aws_sigv4_params {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;   /* NULL or "" when none */
	const char *region;          /* e.g. "us-east-1" */
	const char *service;         /* e.g. "dynamodb", "s3" */
	time_t when;                 /* request time (UTC seconds) */
	bool s3_rules;               /* S3: no path normalisation, encode once,
	                                add a signed x-amz-content-sha256 header */
	bool sign_body_header;       /* add and sign x-amz-content-sha256 (the
	                                vectors' "sign_body"); implied by s3_rules */
	bool omit_session_token;     /* send the token unsigned (post-sts-header-after) */
	bool no_normalize;           /* sign the path without removing . .. and
	                                empty segments (the vectors' "normalize":
	                                false); implied by s3_rules */
};

struct aws_sigv4_request {
	const char *method;          /* "GET", "POST" */
	const char *path;            /* as it appears in the request line, without the query */
	const char *query;           /* raw query string without '?', or NULL */
	const struct aws_header *headers; /* every header that is sent and must be
	                                     signed, including Host; repeated names allowed */
	size_t n_headers;
	const void *body;
	size_t body_len;
};

/* What the signer adds.  All strings are owned by the result. */
struct aws_sigv4_result {
	char amz_date[17];           /* "20150830T123600Z" */
	char *authorization;         /* full "AWS4-HMAC-SHA256 Credential=..." value */
	char *security_token;        /* value for X-Amz-Security-Token, or NULL */
	char *content_sha256;        /* value for x-amz-content-sha256, or NULL */
	char *canonical_request;     /* for tests and --debug-signing */
	char *string_to_sign;
	char signature[65];
};

/* Sign a request.  Returns 0 on success, -1 on bad input (NULL fields, a header
 * name with CR/LF, an impossible time).  On failure *out is zeroed.
 *
 * Details:
 * - path is the path as sent (percent-encoded); raw bytes such as a space or
 *   UTF-8 are accepted and encoded.  Non-S3: normalised, then encoded again
 *   (a literal %XX signs as %25XX).  S3: escapes are decoded and everything is
 *   encoded exactly once.
 * - The query is split on '&'; names and values are decoded and re-encoded,
 *   '+' is not a space.
 * - Header values are trimmed and runs of blanks collapsed; a CR/LF inside a
 *   value is accepted only as an obsolete line folding (followed by SP/HT).
 * - The caller may already list X-Amz-Date, X-Amz-Security-Token or
 *   x-amz-content-sha256 in headers: each is then signed once.  X-Amz-Date
 *   must equal amz_date and the token must equal session_token, or -1.  A
 *   caller's x-amz-content-sha256 value is used as the payload hash (e.g.
 *   "UNSIGNED-PAYLOAD").  With omit_session_token a listed token header is
 *   left out of the signed set.
 * - result.security_token / result.content_sha256 are set only for headers
 *   the caller did not list and must therefore add when sending. */
int aws_sigv4_sign(const struct aws_sigv4_params *p,
                   const struct aws_sigv4_request *req,
                   struct aws_sigv4_result *out);

void aws_sigv4_result_free(struct aws_sigv4_result *r);

/* UriEncode as SigV4 defines it: every byte except A-Z a-z 0-9 - . _ ~ becomes
 * %XX (upper-case hex); '/' is kept when keep_slash.  Returns malloc'd string. */
char *aws_uri_encode(const char *s, size_t len, bool keep_slash);

/* Lower-case hex SHA-256 of data into out[65] (data may be NULL when len is
 * 0).  out is "" if OpenSSL fails (out of memory). */
void aws_sha256_hex(const void *data, size_t len, char out[65]);

#endif
