/* aws/url.h: the endpoint URLs ddtree is given (--endpoint-url, the
 * AWS_ENDPOINT_URL* variables, the profile's endpoint_url), and the one
 * rule that decides whether a host is on this machine (loopback).
 *
 * The loopback rule gates writes (--write is needed elsewhere), plain
 * http:// (--allow-http is needed elsewhere), proxies (never for loopback)
 * and the placeholder credentials of a local endpoint; every one of those
 * asks it here.
 */
#ifndef DDTREE_AWS_URL_H
#define DDTREE_AWS_URL_H

#include <stdbool.h>
#include <stddef.h>

/* A URL split in place: pointers into the string, with lengths. */
struct aws_url {
	const char *scheme;  size_t scheme_n;   /* scheme_n 0: no "scheme://" */
	const char *host;    size_t host_n;     /* without brackets */
	const char *port;    size_t port_n;     /* NULL: none */
	const char *path;                       /* from the first / ? or # */
	bool bracketed, userinfo;
};

/* Split a URL into its parts; false when the authority is malformed (an
 * unclosed '[', an IPv6 address without brackets). */
bool aws_url_split(const char *s, struct aws_url *u);

/* True when the host never leaves the machine: "localhost" (any case,
 * no trailing dot), 127.0.0.0/8 written as four decimal numbers, or [::1].
 * "localhost.", other names, other spellings of 127.0.0.1 (127.1,
 * 0x7f000001) and [::ffff:127.0.0.1] are not: they count as remote. */
bool aws_url_host_is_loopback(const struct aws_url *u);

/* The same for a whole URL; false for NULL or a malformed one. */
bool aws_url_is_loopback(const char *url);

/* Check an endpoint URL and normalise it (lower-case scheme, no trailing
 * '/'): http(s) only, a host, a port from 1 to 65535 when one is given, no
 * user:password@, query or fragment, no space or control character, and
 * plain http:// only to loopback unless allow_http.  `source` names where
 * the URL came from in messages.  0 with *norm (malloc'd) and *loopback, or
 * -1 with *err. */
int aws_url_check_endpoint(const char *url, const char *source, bool allow_http,
                           char **norm, bool *loopback, char **err);

/* A region name, as it goes into endpoint host names: letters, digits and
 * '-', 1 to 64 of them. */
bool aws_url_region_valid(const char *region);

/* The warning for an http:// endpoint that is not on this machine (allowed
 * by --allow-http), naming what goes over the network in clear: the access
 * key id, the request signatures, the session token when the credentials
 * carry one, and the data.  One line, without the "ddtree: " prefix;
 * malloc'd.  NULL for https://, loopback and NULL URLs. */
char *aws_url_plain_http_warning(const char *url, bool session_token);

#endif
