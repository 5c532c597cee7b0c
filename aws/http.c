/* aws/http.c: the transfer settings every request shares, and the small
 * blocking call of the credential providers (see http.h).
 *
 * The call is a libcurl easy handle with a hard time limit, http/https
 * only, no redirects, TLS verified, the reply capped at 64 KiB and wiped
 * when freed.  Header values that carry tokens live in a curl_slist that is
 * wiped before it is freed.  No debug callback is installed, so nothing of
 * these exchanges reaches the --debug trace.
 */
#include "aws/util.h"
#include "aws/http.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#define REPLY_MAX (64 * 1024)

void aws_http_reply_free(struct aws_http_reply *r)
{
	if (r->body) {
		OPENSSL_cleanse(r->body, r->cap);
		free(r->body);
	}
	memset(r, 0, sizeof *r);
}

void aws_http_curl_defaults(CURL *e, const char *ca_bundle, bool no_proxy)
{
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);   /* always on */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	if (ca_bundle)
		curl_easy_setopt(e, CURLOPT_CAINFO, ca_bundle);
	if (no_proxy)
		curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
}

static size_t write_cb(char *data, size_t size, size_t n, void *ud)
{
	struct aws_http_reply *r = ud;
	size_t add = size * n;

	if (r->len + add > REPLY_MAX) {
		r->overflow = true;
		return 0;                 /* ends the transfer */
	}
	return util_secure_append(&r->body, &r->len, &r->cap, data, add) == 0 ? add : 0;
}

int aws_http_call(const char *url, const char *const *headers, size_t n_headers,
                  const void *body, size_t body_len, const char *ca_bundle,
                  bool no_proxy, long timeout_ms, struct aws_http_reply *r, char **why)
{
	return aws_http_request(body ? "POST" : "GET", url, headers, n_headers, body, body_len,
	                        ca_bundle, no_proxy, timeout_ms, r, why);
}

int aws_http_request(const char *method, const char *url, const char *const *headers,
                     size_t n_headers, const void *body, size_t body_len,
                     const char *ca_bundle, bool no_proxy, long timeout_ms,
                     struct aws_http_reply *r, char **why)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL;
	CURL *e;
	CURLcode rc;

	memset(r, 0, sizeof *r);
	*why = NULL;
	util_secure_init();   /* libcurl's global init, with wiping allocators */
	e = curl_easy_init();
	if (!e) {
		*why = strdup("cannot start libcurl");
		return AWS_HTTP_FAILED;
	}
	for (size_t i = 0; i < n_headers; i++) {
		struct curl_slist *nh = curl_slist_append(h, headers[i]);
		if (!nh) {
			util_slist_free_secure(h);
			curl_easy_cleanup(e);
			*why = strdup("out of memory");
			return AWS_HTTP_FAILED;
		}
		h = nh;
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? body_len : 0));
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	}
	if (h)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "ddtree");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	aws_http_curl_defaults(e, ca_bundle, no_proxy);
	rc = curl_easy_perform(e);
	if (rc == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_cleanup(e);
	util_slist_free_secure(h);
	if (rc == CURLE_OK)
		return AWS_HTTP_OK;
	if (rc == CURLE_WRITE_ERROR && r->overflow)
		*why = util_fmt("the reply is larger than %d KiB", REPLY_MAX / 1024);
	else
		*why = strdup(*errbuf ? errbuf : curl_easy_strerror(rc));
	aws_http_reply_free(r);
	if (!*why)
		*why = strdup("out of memory");
	return rc == CURLE_OPERATION_TIMEDOUT ? AWS_HTTP_TIMEOUT : AWS_HTTP_FAILED;
}

int aws_http_get(const char *url, const char *header, const char *ca_bundle, bool no_proxy,
                 long timeout_ms, struct aws_http_reply *r, char **why)
{
	const char *hs[1] = { header };

	return aws_http_call(url, hs, header ? 1 : 0, NULL, 0, ca_bundle, no_proxy, timeout_ms,
	                     r, why);
}

char *aws_http_limit_text(long ms)
{
	return ms % 1000 == 0 ? util_fmt("%ld s", ms / 1000)
	                      : util_fmt("%ld.%03ld s", ms / 1000, ms % 1000);
}
