/* aws/http.h: what every HTTP request of ddtree shares, and the small
 * blocking request of the credential providers (SSO, container, STS, IMDS).
 *
 * The DynamoDB client (aws/ddb.c) runs its own transfers on curl's multi
 * interface but takes its settings from aws_http_curl_defaults.
 */
#ifndef DDTREE_AWS_HTTP_H
#define DDTREE_AWS_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

enum { AWS_HTTP_OK = 0, AWS_HTTP_TIMEOUT = 1, AWS_HTTP_FAILED = 2 };

struct aws_http_reply {
	long status;
	char *body;           /* NUL-terminated; wiped when freed */
	size_t len, cap;
	bool overflow;
};

/* The transfer settings every request of ddtree's shares (the DynamoDB
 * client's too): no signals, TLS verification always on, http and https
 * only, no redirects, the CA bundle when one is set, no proxy when
 * `no_proxy` (loopback endpoints). */
void aws_http_curl_defaults(CURL *e, const char *ca_bundle, bool no_proxy);

/* One request: a POST of body (body_len bytes) when body is not NULL, else a
 * GET; `headers` are whole "Name: value" lines (they may hold secrets and
 * are wiped).  http/https only, no redirects, TLS verified, no proxy when
 * no_proxy, the reply capped at 64 KiB.  AWS_HTTP_OK with r->status set, or
 * AWS_HTTP_TIMEOUT / AWS_HTTP_FAILED with *why (curl's message, which names
 * at most the host). */
int aws_http_call(const char *url, const char *const *headers, size_t n_headers,
                  const void *body, size_t body_len, const char *ca_bundle,
                  bool no_proxy, long timeout_ms, struct aws_http_reply *r, char **why);
void aws_http_reply_free(struct aws_http_reply *r);

/* aws_http_call with any method: "GET" (body ignored), "POST", or another
 * one such as "PUT" (IMDS's token), whose body may be NULL: empty. */
int aws_http_request(const char *method, const char *url, const char *const *headers,
                     size_t n_headers, const void *body, size_t body_len,
                     const char *ca_bundle, bool no_proxy, long timeout_ms,
                     struct aws_http_reply *r, char **why);

/* aws_http_call for a GET with at most one extra header line (`header`,
 * NULL for none; it is a secret and wiped). */
int aws_http_get(const char *url, const char *header, const char *ca_bundle, bool no_proxy,
                 long timeout_ms, struct aws_http_reply *r, char **why);

/* A time limit for messages: "2 s" or "1.5 s" (malloc'd; NULL when out of
 * memory). */
char *aws_http_limit_text(long ms);

#endif
