/* aws/url.c: endpoint URLs and the loopback rule (see url.h). */
#include "aws/util.h"
#include "aws/url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool aws_url_split(const char *s, struct aws_url *u)
{
	const char *p = strstr(s, "://"), *a, *end, *at, *h;

	memset(u, 0, sizeof *u);
	a = s;
	if (p) {
		bool ok = p > s && isalpha((unsigned char)s[0]);
		for (const char *q = s; q < p; q++)
			ok = ok && (isalnum((unsigned char)*q) || strchr("+-.", *q));
		if (ok) {
			u->scheme = s;
			u->scheme_n = (size_t)(p - s);
			a = p + 3;
		}
	}
	end = a + strcspn(a, "/?#");
	u->path = end;
	at = NULL;
	for (const char *q = a; q < end; q++)
		if (*q == '@')
			at = q;
	h = a;
	if (at) {
		u->userinfo = true;
		h = at + 1;
	}
	if (h < end && *h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));
		if (!rb)
			return false;
		u->bracketed = true;
		u->host = h + 1;
		u->host_n = (size_t)(rb - h - 1);
		p = rb + 1;
		if (p < end && *p != ':')
			return false;
	} else {
		p = memchr(h, ':', (size_t)(end - h));
		if (!p)
			p = end;
		u->host = h;
		u->host_n = (size_t)(p - h);
		if (p < end && memchr(p + 1, ':', (size_t)(end - p - 1)))
			return false;  /* an IPv6 address must be in brackets */
	}
	if (p < end) {         /* p is at ':' */
		u->port = p + 1;
		u->port_n = (size_t)(end - p - 1);
	}
	return true;
}

/* Loopback: only what never leaves the machine, in the spellings everyone
 * reads alike.  "localhost" in any case (curl answers it itself, without
 * the resolver); 127.0.0.0/8 as four decimal numbers (inet_pton: no 127.1,
 * 0x7f000001 or leading zeros, which some parsers read differently); ::1 in
 * brackets, in any IPv6 spelling.  Not loopback: "localhost." and other
 * names (the resolver, so DNS, answers them: localhost.localdomain,
 * 127.0.0.1.nip.io), and the IPv4-mapped [::ffff:127.0.0.1], which reaches
 * 127.0.0.1 only through the system's dual-stack rules.  Being remote only
 * costs --write and --allow-http, so the rule errs that way. */
bool aws_url_host_is_loopback(const struct aws_url *u)
{
	char h[256];

	if (u->host_n == 0 || u->host_n >= sizeof h)
		return false;
	memcpy(h, u->host, u->host_n);
	h[u->host_n] = '\0';
	if (u->bracketed) {
		struct in6_addr a6;
		return inet_pton(AF_INET6, h, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
	}
	if (strcasecmp(h, "localhost") == 0)
		return true;
	struct in_addr a4;
	if (inet_pton(AF_INET, h, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return false;
}

bool aws_url_is_loopback(const char *url)
{
	struct aws_url u;

	return url && aws_url_split(url, &u) && aws_url_host_is_loopback(&u);
}

bool aws_url_region_valid(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

char *aws_url_plain_http_warning(const char *url, bool session_token)
{
	struct aws_url u;
	char *w;

	if (!url || !aws_url_split(url, &u) || aws_url_host_is_loopback(&u) ||
	    !(u.scheme_n == 4 && strncasecmp(u.scheme, "http", 4) == 0))
		return NULL;
	w = util_fmt("warning: plain http:// to %s%.*s%s (--allow-http): the access key "
	             "id, the request signatures%s and all the data go unencrypted",
	             u.bracketed ? "[" : "", (int)u.host_n, u.host, u.bracketed ? "]" : "",
	             session_token ? ", the session token" : "");
	return w ? w : strdup("out of memory");
}

int aws_url_check_endpoint(const char *url, const char *source, bool allow_http,
                           char **norm, bool *loopback, char **err)
{
	struct aws_url u;
	bool https;
	size_t n;

	for (const char *p = url; *p; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			*err = util_fmt("the endpoint URL from %s contains a space or control character",
			           source);
			return -1;
		}
	}
	if (!aws_url_split(url, &u) || !u.scheme_n) {
		*err = util_fmt("the endpoint URL from %s is not a URL: it must look like "
		           "https://host or http://localhost:8000", source);
		return -1;
	}
	https = u.scheme_n == 5 && strncasecmp(u.scheme, "https", 5) == 0;
	if (!https && !(u.scheme_n == 4 && strncasecmp(u.scheme, "http", 4) == 0)) {
		*err = util_fmt("the endpoint URL from %s must start with https:// or http://", source);
		return -1;
	}
	if (u.userinfo) {
		*err = util_fmt("the endpoint URL from %s must not contain user:password@", source);
		return -1;
	}
	if (!u.host_n) {
		*err = util_fmt("the endpoint URL from %s has no host name", source);
		return -1;
	}
	if (u.port) {
		long port = 0;
		bool ok = u.port_n > 0 && u.port_n <= 5;
		for (size_t i = 0; ok && i < u.port_n; i++) {
			ok = isdigit((unsigned char)u.port[i]);
			port = port * 10 + (u.port[i] - '0');
		}
		if (!ok || port < 1 || port > 65535) {
			*err = util_fmt("the endpoint URL from %s has a bad port number", source);
			return -1;
		}
	}
	if (strpbrk(u.path, "?#")) {
		*err = util_fmt("the endpoint URL from %s must not have a query (?) or fragment (#)",
		           source);
		return -1;
	}
	*loopback = aws_url_host_is_loopback(&u);
	if (!https && !*loopback && !allow_http) {
		*err = util_fmt("refusing to send AWS credentials and data over plain http:// to "
		           "%.*s (endpoint from %s): use an https:// URL, or pass --allow-http "
		           "if you really mean it", (int)u.host_n, u.host, source);
		return -1;
	}
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/' && url + n > u.path)
		n--;
	*norm = strndup(url, n);
	if (!*norm) {
		*err = strdup("out of memory");
		return -1;
	}
	for (size_t i = 0; i < u.scheme_n; i++)
		(*norm)[i] = (char)tolower((unsigned char)(*norm)[i]);
	return 0;
}
