/* aws/ddb.c: the DynamoDB client engine (see ddb.h).
 *
 * Threads: the caller's thread submits calls and runs completion callbacks;
 * one worker thread owns the curl multi handle, signs, sends, retries and
 * queues finished calls.  The two share only `mu`-guarded lists and a pipe.
 */
#include "ddconfig.h"

#include "aws/util.h"
#include "aws/ddb.h"
#include "aws/http.h"
#include "aws/profile.h"
#include "aws/sigv4.h"
#include "aws/url.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (64L * 1024 * 1024)   /* DynamoDB answers are < 16 MB */
#define QUOTA_MAX 500                  /* standard-mode retry quota */
#define QUOTA_RETRY_COST 5
#define QUOTA_TIMEOUT_COST 10
#define TRANSIENT_BASE_MS 50.0         /* DynamoDB's short base for transient errors */
#define THROTTLE_BASE_MS 1000.0
#define BACKOFF_CAP_MS 20000.0

enum call_state { ST_QUEUED, ST_ACTIVE, ST_WAITING, ST_DONE };

struct buf {
	char *p;
	size_t len, cap;
	bool overflow;
};

struct ddb_call {
	ddb_client *c;
	const char *op;               /* static: from the op table */
	char target[96];
	char *body;                   /* serialized request, signed and sent as is */
	size_t body_len;
	ddb_done_fn cb;
	void *ud;
	enum call_state state;
	bool cancel;                  /* guarded by c->mu */
	int attempts;
	int retry_cost;               /* quota taken by the last retry */
	bool refreshed_creds, corrected_skew;
	double t_submit, t_due;       /* monotonic ms */
	CURL *easy;
	struct curl_slist *hdrs;
	struct buf resp;
	char crc[16];
	char errtype[128];
	char reqid[96];
	char date[64];
	struct ddb_result res;
	struct ddb_call *next;        /* in whichever list holds it */
};

struct list {
	struct ddb_call *head, *tail;
	int n;
};

struct ddb_client {
	struct ddb_client_opts o;
	struct aws_conf *conf;
	char *url;                    /* request URL (endpoint + path) */
	char *host;                   /* Host header value, exactly as signed */
	char *path;                   /* canonical path */
	char *user_agent;
	int max_attempts;
	CURLM *multi;
	pthread_t worker;
	bool worker_started;
	pthread_mutex_t mu;
	bool stop;                    /* guarded by mu */
	bool closing;                 /* cancel_all: new calls end at once (mu) */
	bool cancel_all_req;          /* the worker marks every call it holds (mu) */
	bool cancel_reads_req;        /* ... every read it holds (mu) */
	struct list submitted;        /* caller -> worker (mu) */
	struct list done;             /* worker -> caller (mu) */
	int pending;                  /* submitted and not dispatched (mu) */
	/* worker-only */
	CURL *pool[16];               /* idle easy handles, reused (reset) */
	int npool;
	struct list ready, waiting;
	int active;
	int quota;
	uint64_t rng;
	long skew_s;                  /* server clock minus ours */
	FILE *trace;
	/* shared stats/status (mu) */
	struct ddb_stats stats;
	char status[160];
	bool plain_http;              /* http:// to a host not on this machine */
	bool warned;                  /* worker-only: on_warning was called */
	char warning[320];            /* (mu) what on_warning was given */
	int warning_seq;              /* (mu) */
	int pipe_rd, pipe_wr;
};

static const struct { const char *name; } ops[] = {
	{"ListTables"}, {"DescribeTable"}, {"GetItem"}, {"BatchGetItem"},
	{"Query"}, {"Scan"}, {"PutItem"}, {"UpdateItem"}, {"DeleteItem"},
	{"BatchWriteItem"}, {"CreateTable"}, {"DeleteTable"},
	{"TransactWriteItems"}, {"TransactGetItems"}, {"UpdateTable"},
};

/* Reads may be cancelled by the user (Esc); a write in flight is never
 * abandoned that way: its outcome would be unknown. */
static bool call_reads(const struct ddb_call *x)
{
	static const char *const reads[] = {"ListTables", "DescribeTable", "GetItem", "BatchGetItem",
	                                    "Query", "Scan", "TransactGetItems"};
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
		if (!strcmp(x->op, reads[i]))
			return true;
	return false;
}

const char *ddb_error_kind_text(enum ddb_error_kind k)
{
	static const char *const text[] = {
#define DDB_X_TEXT(name, t) t,
		DDB_ERROR_KINDS(DDB_X_TEXT)
#undef DDB_X_TEXT
	};
	if ((size_t)k >= sizeof text / sizeof text[0])
		return "unknown error";
	return text[k];
}

/* ---- small helpers ------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void list_push(struct list *l, struct ddb_call *x)
{
	x->next = NULL;
	if (l->tail)
		l->tail->next = x;
	else
		l->head = x;
	l->tail = x;
	l->n++;
}

static struct ddb_call *list_pop(struct list *l)
{
	struct ddb_call *x = l->head;
	if (x) {
		l->head = x->next;
		if (!l->head)
			l->tail = NULL;
		x->next = NULL;
		l->n--;
	}
	return x;
}

static void list_remove(struct list *l, struct ddb_call *x)
{
	struct ddb_call **pp = &l->head, *prev = NULL;
	while (*pp && *pp != x) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	*pp = x->next;
	if (l->tail == x)
		l->tail = prev;
	x->next = NULL;
	l->n--;
}

/* xorshift64*: a small PRNG for jitter; no need for crypto quality. */
static double rng_unit(ddb_client *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (double)((c->rng * 2685821657736338717ULL) >> 11) / (double)(1ULL << 53);
}

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t v = i;
		for (int k = 0; k < 8; k++)
			v = (v & 1) ? 0xEDB88320u ^ (v >> 1) : v >> 1;
		crc_table[i] = v;
	}
}

unsigned long ddb_crc32(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t crc = 0xFFFFFFFFu;

	pthread_once(&crc_once, crc_init);
	for (size_t i = 0; i < len; i++)
		crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFu;
}

/* ---- trace (--debug) ----------------------------------------------------- */

/* Header lines that carry secrets are written with their value replaced:
 * the request's signature and session token, the SSO bearer token, and the
 * proxy's credentials (Proxy-Authorization, on a CONNECT or a request sent
 * through an http:// proxy). */
static bool header_is_secret(const char *line, size_t n)
{
	static const char *const secret[] = {
		"authorization:", "proxy-authorization:", "x-amz-security-token:",
		"x-amz-sso_bearer_token:",
	};
	for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++) {
		size_t k = strlen(secret[i]);
		if (n >= k && !strncasecmp(line, secret[i], k))
			return true;
	}
	return false;
}

char *ddb_trace_redact(const char *line, size_t n)
{
	const char *colon;
	char *out;
	size_t o = 0;

	if (header_is_secret(line, n)) {
		colon = memchr(line, ':', n);
		return util_fmt("%.*s: [redacted]", (int)(colon - line), line);
	}
	/* a URL's user:password@ (curl says "Uses proxy env variable
	 * https_proxy == 'http://user:password@host:port'"): the password goes */
	out = malloc(n + 1 + (n / 4 + 1) * 10);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		if (i + 3 <= n && !memcmp(line + i, "://", 3)) {
			size_t a = i + 3, end = a, at = 0, pw = 0;
			while (end < n && !strchr("/?#'\" \t<>", line[end]))
				end++;
			for (size_t k = a; k < end; k++)
				if (line[k] == '@')
					at = k;          /* the last '@' ends the user info */
			for (size_t k = a; at && k < at; k++)
				if (line[k] == ':') {
					pw = k;
					break;
				}
			if (pw) {
				memcpy(out + o, line + i, pw + 1 - i);
				o += pw + 1 - i;
				memcpy(out + o, "[redacted]", 10);
				o += 10;
				i = at;
				continue;
			}
			memcpy(out + o, line + i, 3);
			o += 3;
			i += 3;
			continue;
		}
		out[o++] = line[i++];
	}
	out[o] = '\0';
	return out;
}

static void trace_lines(ddb_client *c, const char *dir, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			char *r = ddb_trace_redact(p, n);
			fprintf(c->trace, "%s %s\n", dir, r ? r : "[out of memory]");
			free(r);
		}
		p = nl ? nl + 1 : end;
	}
}

static int trace_cb(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
	ddb_client *c = ud;
	(void)h;
	switch (type) {
	case CURLINFO_HEADER_OUT:
		trace_lines(c, ">", data, size);
		break;
	case CURLINFO_HEADER_IN:
		trace_lines(c, "<", data, size);
		break;
	case CURLINFO_DATA_OUT:
		fprintf(c->trace, "> [body %zu bytes] %.*s\n", size,
		        (int)(size > 4096 ? 4096 : size), data);
		break;
	case CURLINFO_DATA_IN:
		fprintf(c->trace, "< [body %zu bytes] %.*s\n", size,
		        (int)(size > 4096 ? 4096 : size), data);
		break;
	case CURLINFO_TEXT:
		trace_lines(c, "*", data, size);
		break;
	default:
		break;
	}
	fflush(c->trace);
	return 0;
}

/* ---- responses ----------------------------------------------------------- */

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct ddb_call *x = ud;
	size_t n = size * nmemb;
	struct buf *b = &x->resp;
	if (b->len + n + 1 > (size_t)MAX_BODY) {
		b->overflow = true;
		return 0;     /* makes curl fail with CURLE_WRITE_ERROR */
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, ptr, n);
	b->len += n;
	b->p[b->len] = '\0';
	return n;
}

static void copy_header_value(char *dst, size_t dstlen, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static size_t header_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct ddb_call *x = ud;
	size_t n = size * nmemb;
	static const struct { const char *name; size_t off, len; } want[] = {
		{"x-amz-crc32:", offsetof(struct ddb_call, crc), sizeof ((struct ddb_call *)0)->crc},
		{"x-amzn-errortype:", offsetof(struct ddb_call, errtype), sizeof ((struct ddb_call *)0)->errtype},
		{"x-amzn-requestid:", offsetof(struct ddb_call, reqid), sizeof ((struct ddb_call *)0)->reqid},
		{"date:", offsetof(struct ddb_call, date), sizeof ((struct ddb_call *)0)->date},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t l = strlen(want[i].name);
		if (n > l && !strncasecmp(ptr, want[i].name, l))
			copy_header_value((char *)x + want[i].off, want[i].len, ptr + l, n - l);
	}
	return n;
}

/* "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException:extra" ->
 * "ResourceNotFoundException", as the SDKs' JSON error parsers do. */
static char *error_code(const char *raw)
{
	if (!raw || !*raw)
		return NULL;
	const char *h = strrchr(raw, '#');
	const char *s = h ? h + 1 : raw;
	size_t n = strcspn(s, ":");
	return strndup(s, n);
}

static bool code_is(const char *code, const char *const *list)
{
	for (; code && *list; list++)
		if (!strcmp(code, *list))
			return true;
	return false;
}

static const char *const throttling_codes[] = {
	"ProvisionedThroughputExceededException", "ThrottlingException",
	"RequestLimitExceeded", "LimitExceededException", "Throttling",
	"ThrottledException", "TooManyRequestsException",
	"TransactionInProgressException", "RequestThrottledException",
	"SlowDown", "BandwidthLimitExceeded", "EC2ThrottledException", NULL,
};
static const char *const transient_codes[] = {
	"InternalServerError", "InternalFailure", "ServiceUnavailable",
	"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
	"ReplicatedWriteConflictException", NULL,
};

enum retry_class { RC_NONE, RC_TRANSIENT, RC_TIMEOUT, RC_THROTTLE, RC_CREDS, RC_SKEW };

static void set_error(struct ddb_call *x, enum ddb_error_kind k, const char *code, char *msg)
{
	struct ddb_error *e = &x->res.err;
	free(e->code);
	free(e->message);
	e->kind = k;
	e->code = util_strdup_or_null(code);
	e->message = msg ? msg : strdup(ddb_error_kind_text(k));
	free(e->request_id);
	e->request_id = x->reqid[0] ? strdup(x->reqid) : NULL;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char ch = p[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
		      : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* DynamoDB can hold text jansson refuses: NUL in a map key or attribute
 * name, a lone UTF-16 surrogate.  Rather than lose a whole page to one such
 * item, rewrite those escapes as U+FFFD and parse again; the caller is told
 * (ddb_result.repaired).  Returns a malloc'd copy, or NULL when nothing
 * needed rewriting. */
static char *repair_json(const char *in, size_t len, size_t *out_len)
{
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	bool changed = false, in_str = false;
	for (size_t i = 0; i < len; i++) {
		char ch = in[i];
		if (!in_str) {
			if (ch == '"')
				in_str = true;
			out[o++] = ch;
			continue;
		}
		if (ch == '"') {
			in_str = false;
			out[o++] = ch;
			continue;
		}
		if (ch != '\\' || i + 1 >= len) {
			out[o++] = ch;
			continue;
		}
		if (in[i + 1] != 'u' || i + 5 >= len || hex4(in + i + 2) < 0) {
			out[o++] = ch;           /* \" \\ \n ...: copy the pair */
			out[o++] = in[++i];
			continue;
		}
		int u = hex4(in + i + 2);
		bool bad = u == 0 || (u >= 0xDC00 && u <= 0xDFFF);
		if (u >= 0xD800 && u <= 0xDBFF) {
			int lo = i + 11 < len && in[i + 6] == '\\' && in[i + 7] == 'u' ? hex4(in + i + 8) : -1;
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				memcpy(out + o, in + i, 12);   /* a proper pair */
				o += 12;
				i += 11;
				continue;
			}
			bad = true;
		}
		if (bad) {
			memcpy(out + o, "\\ufffd", 6);
			changed = true;
		} else {
			memcpy(out + o, in + i, 6);
		}
		o += 6;
		i += 5;
	}
	out[o] = '\0';
	if (!changed) {
		free(out);
		return NULL;
	}
	*out_len = o;
	return out;
}

json_t *ddb_parse_error_body(const char *body, size_t len, const char *errtype_header,
                             long http_status, struct ddb_error *out)
{
	json_t *doc = len ? json_loadb(body, len, JSON_ALLOW_NUL, NULL) : NULL;
	char *code = error_code(errtype_header);
	const char *msg = NULL;
	if (json_is_object(doc)) {
		if (!code)
			code = error_code(json_string_value(json_object_get(doc, "__type")));
		if (!code)
			code = error_code(json_string_value(json_object_get(doc, "code")));
		msg = json_string_value(json_object_get(doc, "message"));
		if (!msg)
			msg = json_string_value(json_object_get(doc, "Message"));
	} else {
		json_decref(doc);
		doc = NULL;
	}
	out->kind = DDB_ERR_SERVICE;
	out->http_status = http_status;
	out->code = code ? code : util_fmt("HTTP%ld", http_status);
	out->message = msg ? strdup(msg) : util_fmt("HTTP status %ld", http_status);
	return doc;
}

/* Look at a finished attempt; fill x->res and say whether to retry. */
static enum retry_class classify(ddb_client *c, struct ddb_call *x, CURLcode rc)
{
	long status = 0;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	x->res.err.http_status = status;
	x->res.bytes_received = x->resp.len;
	json_decref(x->res.body);
	x->res.body = NULL;

	if (rc != CURLE_OK) {
		if (x->resp.overflow) {
			set_error(x, DDB_ERR_PROTOCOL, NULL,
			          util_fmt("response larger than %ld MiB", MAX_BODY >> 20));
			return RC_NONE;
		}
		if (rc == CURLE_OPERATION_TIMEDOUT) {
			set_error(x, DDB_ERR_TIMEOUT, NULL,
			          util_fmt("%s: %s", c->o.conf->endpoint_url, curl_easy_strerror(rc)));
			return RC_TIMEOUT;
		}
		if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
		    rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_URL_MALFORMAT ||
		    rc == CURLE_UNSUPPORTED_PROTOCOL) {
			set_error(x, DDB_ERR_NETWORK, NULL,
			          util_fmt("%s: %s", c->o.conf->endpoint_url, curl_easy_strerror(rc)));
			return RC_NONE;
		}
		set_error(x, DDB_ERR_NETWORK, NULL,
		          util_fmt("%s: %s", c->o.conf->endpoint_url, curl_easy_strerror(rc)));
		return RC_TRANSIENT;
	}

	json_error_t je;
	json_t *doc = x->resp.len ? json_loadb(x->resp.p, x->resp.len, JSON_ALLOW_NUL, &je) : NULL;
	x->res.repaired = false;
	if (!doc && x->resp.len) {
		size_t rl = 0;
		char *fixed = repair_json(x->resp.p, x->resp.len, &rl);
		if (fixed) {
			doc = json_loadb(fixed, rl, JSON_ALLOW_NUL, &je);
			x->res.repaired = doc != NULL;
			free(fixed);
		}
	}

	if (status == 200) {
		if (x->crc[0]) {
			char *end;
			unsigned long want = strtoul(x->crc, &end, 10);
			if (*end || want != ddb_crc32(x->resp.p ? x->resp.p : "", x->resp.len)) {
				json_decref(doc);
				set_error(x, DDB_ERR_CRC, NULL,
				          util_fmt("response checksum mismatch (x-amz-crc32 %s)", x->crc));
				return RC_TRANSIENT;
			}
		}
		if (!json_is_object(doc)) {
			json_decref(doc);
			set_error(x, DDB_ERR_PROTOCOL, NULL,
			          util_fmt("%s: the answer is not a JSON object (%zu bytes): %s",
			                   c->o.conf->endpoint_url, x->resp.len,
			                   x->resp.len ? je.text : "empty"));
			return RC_TRANSIENT;
		}
		x->res.body = doc;
		set_error(x, DDB_OK, NULL, NULL);
		return RC_NONE;
	}

	/* An error answer: code from X-Amzn-ErrorType, else __type/code. */
	json_decref(doc);
	struct ddb_error pe = {0};
	x->res.body = ddb_parse_error_body(x->resp.p, x->resp.len, x->errtype, status, &pe);
	char *code = pe.code, *m = pe.message;
	const char *msg = json_string_value(json_object_get(x->res.body, "message"));
	if (!msg)
		msg = json_string_value(json_object_get(x->res.body, "Message"));
	set_error(x, DDB_ERR_SERVICE, code, m);

	enum retry_class rcl = RC_NONE;
	if (code_is(code, throttling_codes))
		rcl = RC_THROTTLE;
	else if (code_is(code, transient_codes) || status >= 500)
		rcl = RC_TRANSIENT;
	else if (!strcmp(code, "ExpiredTokenException") || !strcmp(code, "ExpiredToken") ||
	         !strcmp(code, "RequestExpired"))
		rcl = x->refreshed_creds ? RC_NONE : RC_CREDS;
	else if (!strcmp(code, "InvalidSignatureException") && msg &&
	         (strstr(msg, "Signature expired") || strstr(msg, "not yet current")))
		rcl = x->corrected_skew ? RC_NONE : RC_SKEW;
	else if (!strcmp(code, "ResourceNotFoundException") && c->o.conf->endpoint_is_loopback) {
		char *more = util_fmt("%s (a local DynamoDB started without -sharedDb keeps one "
		                 "database per access key id and region; this request used "
		                 "region %s)", m, c->o.conf->region);
		if (more) {
			free(x->res.err.message);
			x->res.err.message = more;
		}
	}
	free(code);
	return rcl;
}

/* ---- worker -------------------------------------------------------------- */

/* Easy handles are kept and reset rather than freed: the connections live in
 * the multi handle's cache either way, this saves the setup per request. */
static CURL *easy_get(ddb_client *c)
{
	return c->npool ? c->pool[--c->npool] : curl_easy_init();
}

static void easy_put(ddb_client *c, CURL *e)
{
	curl_multi_remove_handle(c->multi, e);
	if (c->npool < (int)(sizeof c->pool / sizeof c->pool[0])) {
		curl_easy_reset(e);
		c->pool[c->npool++] = e;
	} else {
		curl_easy_cleanup(e);
	}
}

/* Give back what one attempt held: its handle, headers and answer buffer. */
static void end_attempt(ddb_client *c, struct ddb_call *x)
{
	if (x->easy) {
		easy_put(c, x->easy);
		x->easy = NULL;
		c->active--;
	}
	util_slist_free_secure(x->hdrs);
	x->hdrs = NULL;
	free(x->resp.p);
	memset(&x->resp, 0, sizeof x->resp);
}

static void finish(ddb_client *c, struct ddb_call *x)
{
	end_attempt(c, x);
	x->res.attempts = x->attempts;
	x->res.elapsed_ms = now_ms() - x->t_submit;
	x->state = ST_DONE;

	pthread_mutex_lock(&c->mu);
	c->stats.calls++;
	c->stats.attempts += x->attempts;
	if (x->res.repaired)
		c->stats.repaired++;
	/* the status must be clear before the caller can see the completion */
	if (!c->active && !c->ready.n && !c->waiting.n)
		c->status[0] = '\0';
	c->stats.bytes_received += (long long)x->res.bytes_received;
	json_t *cc = json_object_get(x->res.body, "ConsumedCapacity");
	if (json_is_object(cc))
		c->stats.consumed_capacity += json_number_value(json_object_get(cc, "CapacityUnits"));
	list_push(&c->done, x);
	pthread_mutex_unlock(&c->mu);
	char b = 1;
	while (write(c->pipe_wr, &b, 1) < 0 && errno == EINTR)
		;
}

static void set_status(ddb_client *c, const char *s)
{
	pthread_mutex_lock(&c->mu);
	snprintf(c->status, sizeof c->status, "%s", s);
	pthread_mutex_unlock(&c->mu);
}

/* Before the first request over plain http:// to a remote host: say what
 * travels in clear, through on_warning and ddb_client_warning. */
static void warn_plain_http(ddb_client *c, bool session_token)
{
	char *w = aws_url_plain_http_warning(c->conf->endpoint_url, session_token);

	c->warned = true;
	if (!w)
		return;
	pthread_mutex_lock(&c->mu);
	snprintf(c->warning, sizeof c->warning, "%s", w);
	c->warning_seq++;
	pthread_mutex_unlock(&c->mu);
	if (c->o.on_warning)
		c->o.on_warning(w, c->o.warning_ud);
	free(w);
}

int ddb_client_warning(ddb_client *c, char *buf, size_t len)
{
	pthread_mutex_lock(&c->mu);
	int seq = c->warning_seq;
	if (len)
		snprintf(buf, len, "%s", c->warning);
	pthread_mutex_unlock(&c->mu);
	return seq;
}

/* Returns true when the attempt is now in flight; false when the call was
 * finished (and may already be freed by the caller's thread). */
static bool start_attempt(ddb_client *c, struct ddb_call *x)
{
	struct aws_credentials cr = {0};
	char *err = NULL;

	x->attempts++;
	memset(&x->resp, 0, sizeof x->resp);
	x->crc[0] = x->errtype[0] = x->reqid[0] = x->date[0] = '\0';

	if (aws_creds_get(c->conf->creds, time(NULL), &cr, &err) != 0) {
		set_error(x, DDB_ERR_CREDENTIALS, NULL, err ? err : strdup("no credentials"));
		finish(c, x);
		return false;
	}

	struct aws_header sh[] = {
		{"Content-Type", "application/x-amz-json-1.0"},
		{"Host", c->host},
		{"X-Amz-Target", x->target},
	};
	struct aws_sigv4_params sp = {
		.access_key_id = cr.access_key_id,
		.secret_access_key = cr.secret_access_key,
		.session_token = cr.session_token,
		.region = c->conf->region,
		.service = "dynamodb",
		.when = time(NULL) + c->skew_s,
	};
	struct aws_sigv4_request rq = {
		.method = "POST", .path = c->path, .query = NULL,
		.headers = sh, .n_headers = sizeof sh / sizeof sh[0],
		.body = x->body, .body_len = x->body_len,
	};
	struct aws_sigv4_result sr;
	int srv = aws_sigv4_sign(&sp, &rq, &sr);
	bool token = cr.session_token && *cr.session_token;
	aws_credentials_free(&cr);
	if (srv == 0 && c->plain_http && !c->warned)
		warn_plain_http(c, token);
	if (srv != 0) {
		set_error(x, DDB_ERR_USAGE, NULL, strdup("could not sign the request"));
		finish(c, x);
		return false;
	}

	struct curl_slist *h = NULL;
	char line[8192];
	snprintf(line, sizeof line, "Host: %s", c->host);
	h = curl_slist_append(h, line);
	h = curl_slist_append(h, "Content-Type: application/x-amz-json-1.0");
	snprintf(line, sizeof line, "X-Amz-Target: %s", x->target);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "X-Amz-Date: %s", sr.amz_date);
	h = curl_slist_append(h, line);
	/* the token and the signature (with the access key id) are secrets:
	 * each copy is wiped, the list's too (end_attempt) */
	if (sr.security_token) {
		char *t = util_join_secure("X-Amz-Security-Token: ", sr.security_token);
		h = curl_slist_append(h, t);
		util_wipe_free(t);
	}
	char *auth = util_join_secure("Authorization: ", sr.authorization);
	h = curl_slist_append(h, auth);
	util_wipe_free(auth);
	h = curl_slist_append(h, "Expect:");   /* no 100-continue round trip */
	aws_sigv4_result_free(&sr);
	x->hdrs = h;

	CURL *e = easy_get(c);
	if (!e || !h) {
		set_error(x, DDB_ERR_USAGE, NULL, strdup("out of memory"));
		finish(c, x);
		return false;
	}
	x->easy = e;
	c->active++;
	curl_easy_setopt(e, CURLOPT_URL, c->url);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_len);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->o.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->o.request_timeout_ms);
	aws_http_curl_defaults(e, c->conf->ca_bundle, c->conf->endpoint_is_loopback);
	if (c->trace) {
		fprintf(c->trace, "* %s attempt %d\n", x->op, x->attempts);
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, trace_cb);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, c);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	x->state = ST_ACTIVE;
	if (curl_multi_add_handle(c->multi, e) != CURLM_OK) {
		set_error(x, DDB_ERR_USAGE, NULL, strdup("curl_multi_add_handle failed"));
		finish(c, x);
		return false;
	}
	return true;
}

static void schedule_retry(ddb_client *c, struct ddb_call *x, enum retry_class rcl)
{
	double base = rcl == RC_THROTTLE ? THROTTLE_BASE_MS : TRANSIENT_BASE_MS;
	double cap = base;
	for (int i = 1; i < x->attempts && cap < BACKOFF_CAP_MS; i++)
		cap *= 2;
	if (cap > BACKOFF_CAP_MS)
		cap = BACKOFF_CAP_MS;
	double delay = rng_unit(c) * cap;
	if (rcl == RC_CREDS || rcl == RC_SKEW)
		delay = 0;
	x->t_due = now_ms() + delay;
	x->state = ST_WAITING;
	list_push(&c->waiting, x);

	char s[160];
	snprintf(s, sizeof s, "%s %s: retry %d/%d in %.1f s",
	         rcl == RC_THROTTLE ? "throttled" : "retrying",
	         x->op, x->attempts + 1, c->max_attempts, delay / 1000.0);
	set_status(c, s);
	pthread_mutex_lock(&c->mu);
	c->stats.retries++;
	if (rcl == RC_THROTTLE)
		c->stats.throttles++;
	pthread_mutex_unlock(&c->mu);
}

static void attempt_done(ddb_client *c, struct ddb_call *x, CURLcode rc)
{
	enum retry_class rcl = classify(c, x, rc);
	end_attempt(c, x);

	if (rcl == RC_NONE) {
		/* a success after retries gives back what the last retry took */
		if (x->res.err.kind == DDB_OK) {
			c->quota += x->retry_cost ? x->retry_cost : 1;
			if (c->quota > QUOTA_MAX)
				c->quota = QUOTA_MAX;
		}
		finish(c, x);
		return;
	}
	if (rcl == RC_CREDS) {
		aws_creds_invalidate(c->conf->creds);
		x->refreshed_creds = true;
		schedule_retry(c, x, rcl);
		return;
	}
	if (rcl == RC_SKEW) {
		time_t server = x->date[0] ? curl_getdate(x->date, NULL) : -1;
		x->corrected_skew = true;
		if (server > 0) {
			c->skew_s = (long)(server - time(NULL));
			schedule_retry(c, x, rcl);
			return;
		}
		finish(c, x);
		return;
	}
	int cost = rcl == RC_TIMEOUT ? QUOTA_TIMEOUT_COST : QUOTA_RETRY_COST;
	if (x->attempts >= c->max_attempts || c->quota < cost) {
		if (c->quota < cost && x->attempts < c->max_attempts) {
			char *m = util_fmt("%s (retry quota exhausted)", x->res.err.message);
			if (m) {
				free(x->res.err.message);
				x->res.err.message = m;
			}
		}
		finish(c, x);
		return;
	}
	c->quota -= cost;
	x->retry_cost = cost;
	schedule_retry(c, x, rcl);
}

static void cancel_in_worker(ddb_client *c, struct ddb_call *x)
{
	if (x->state == ST_ACTIVE) {
		easy_put(c, x->easy);
		x->easy = NULL;
		c->active--;
	} else if (x->state == ST_WAITING) {
		list_remove(&c->waiting, x);
	} else if (x->state == ST_QUEUED) {
		list_remove(&c->ready, x);
	}
	json_decref(x->res.body);
	x->res.body = NULL;
	set_error(x, DDB_ERR_CANCELLED, NULL, NULL);
	finish(c, x);
}

static void *worker_main(void *arg)
{
	ddb_client *c = arg;
	/* active calls are found through their easy handles; keep them in a list
	 * too so cancellation can find them */
	struct list active = {0};

	for (;;) {
		pthread_mutex_lock(&c->mu);
		bool stop = c->stop;
		struct ddb_call *x;
		while ((x = list_pop(&c->submitted))) {
			x->state = ST_QUEUED;
			list_push(&c->ready, x);
		}
		if (c->cancel_all_req || c->cancel_reads_req) {
			bool all = c->cancel_all_req;
			c->cancel_all_req = c->cancel_reads_req = false;
			for (struct ddb_call *y = c->ready.head; y; y = y->next)
				y->cancel = y->cancel || all || call_reads(y);
			for (struct ddb_call *y = c->waiting.head; y; y = y->next)
				y->cancel = y->cancel || all || call_reads(y);
			for (struct ddb_call *y = active.head; y; y = y->next)
				y->cancel = y->cancel || all || call_reads(y);
		}
		/* collect cancellations */
		struct ddb_call *cancels[64];
		int nc = 0;
		for (struct list *l = &c->ready; l; l = l == &c->ready ? &c->waiting : l == &c->waiting ? &active : NULL)
			for (struct ddb_call *y = l->head; y && nc < 64; y = y->next)
				if (y->cancel)
					cancels[nc++] = y;
		pthread_mutex_unlock(&c->mu);
		if (stop)
			break;
		for (int i = 0; i < nc; i++) {
			if (cancels[i]->state == ST_ACTIVE)
				list_remove(&active, cancels[i]);
			cancel_in_worker(c, cancels[i]);
		}

		double t = now_ms(), next_due = t + 1000;
		for (x = c->waiting.head; x;) {
			struct ddb_call *nx = x->next;
			if (x->t_due <= t) {
				list_remove(&c->waiting, x);
				x->state = ST_QUEUED;
				list_push(&c->ready, x);
			} else if (x->t_due < next_due) {
				next_due = x->t_due;
			}
			x = nx;
		}
		while (c->active < c->o.max_in_flight && (x = list_pop(&c->ready))) {
			if (start_attempt(c, x))
				list_push(&active, x);
		}

		int running = 0;
		curl_multi_perform(c->multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(c->multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct ddb_call *y = NULL;
			CURLcode rc = m->data.result;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&y);
			list_remove(&active, y);
			attempt_done(c, y, rc);
		}
		if (!c->active && !c->ready.n && !c->waiting.n)
			set_status(c, "");
		/* retries scheduled by the completions above wake us in time */
		for (x = c->waiting.head; x; x = x->next)
			if (x->t_due < next_due)
				next_due = x->t_due;

		int timeout = (int)(next_due - now_ms());
		if (c->ready.n && c->active < c->o.max_in_flight)
			timeout = 0;
		if (timeout < 0)
			timeout = 0;
		if (timeout > 1000)
			timeout = 1000;
		curl_multi_poll(c->multi, NULL, 0, timeout, NULL);
	}

	/* shutting down: drop whatever is left without running callbacks */
	while (c->npool)
		curl_easy_cleanup(c->pool[--c->npool]);
	struct ddb_call *x;
	while ((x = list_pop(&active))) {
		curl_multi_remove_handle(c->multi, x->easy);
		curl_easy_cleanup(x->easy);
		util_slist_free_secure(x->hdrs);
		free(x->resp.p);
		json_decref(x->res.body);
		free(x->res.err.code);
		free(x->res.err.message);
		free(x->res.err.request_id);
		free(x->body);
		free(x);
	}
	struct list *ls[] = {&c->ready, &c->waiting};
	for (size_t i = 0; i < 2; i++)
		while ((x = list_pop(ls[i]))) {
			json_decref(x->res.body);
			free(x->res.err.code);
			free(x->res.err.message);
			free(x->res.err.request_id);
			free(x->body);
			free(x);
		}
	return NULL;
}

/* ---- public API ---------------------------------------------------------- */

static int parse_endpoint(ddb_client *c, const char *endpoint, char **err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	int rv = -1;
	if (!u || curl_url_set(u, CURLUPART_URL, endpoint, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		*err = util_fmt("invalid endpoint URL: %s", endpoint);
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")) {
		*err = util_fmt("endpoint URL must be http:// or https://: %s", endpoint);
		goto out;
	}
	bool https = !strcasecmp(scheme, "https");
	bool default_port = !port || (https ? !strcmp(port, "443") : !strcmp(port, "80"));
	c->host = default_port ? strdup(host) : util_fmt("%s:%s", host, port);
	c->path = strdup(path && *path ? path : "/");
	size_t el = strlen(endpoint);
	bool has_path = path && strcmp(path, "/") != 0;
	c->url = (has_path || (el && endpoint[el - 1] == '/')) ? strdup(endpoint)
	                                                     : util_fmt("%s/", endpoint);
	rv = (c->host && c->path && c->url) ? 0 : -1;
	if (rv)
		*err = strdup("out of memory");
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rv;
}

ddb_client *ddb_client_new(const struct ddb_client_opts *o, char **err)
{
	*err = NULL;
	if (!o || !o->conf || !o->conf->endpoint_url || !o->conf->region) {
		*err = strdup("ddb_client_new: no endpoint or region");
		return NULL;
	}
	util_secure_init();   /* libcurl's global init, with wiping allocators */
	ddb_client *c = calloc(1, sizeof *c);
	if (!c) {
		*err = strdup("out of memory");
		return NULL;
	}
	c->o = *o;
	c->conf = o->conf;
	c->pipe_rd = c->pipe_wr = -1;
	if (!c->o.connect_timeout_ms)
		c->o.connect_timeout_ms = 5000;
	if (!c->o.request_timeout_ms)
		c->o.request_timeout_ms = 30000;
	if (c->o.max_in_flight <= 0)
		c->o.max_in_flight = 8;
	c->max_attempts = o->max_attempts > 0 ? o->max_attempts
	                : o->conf->max_attempts > 0 ? o->conf->max_attempts : 3;
	c->user_agent = o->user_agent ? strdup(o->user_agent) : strdup("ddtree/" PACKAGE_VERSION);
	c->quota = QUOTA_MAX;
	c->rng = o->retry_seed ? o->retry_seed : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (!c->rng)
		c->rng = 88172645463325252ULL;
	pthread_mutex_init(&c->mu, NULL);

	if (parse_endpoint(c, o->conf->endpoint_url, err) != 0)
		goto fail;
	c->plain_http = !c->conf->endpoint_is_loopback && !strncasecmp(c->url, "http://", 7);
	if (o->trace_path) {
		int fd = open(o->trace_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		c->trace = fd >= 0 ? fdopen(fd, "a") : NULL;
		if (!c->trace) {
			*err = util_fmt("cannot open trace file %s: %s", o->trace_path, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto fail;
		}
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {
		*err = util_fmt("pipe: %s", strerror(errno));
		goto fail;
	}
	c->pipe_rd = p[0];
	c->pipe_wr = p[1];
	c->multi = curl_multi_init();
	if (!c->multi) {
		*err = strdup("curl_multi_init failed");
		goto fail;
	}
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->o.max_in_flight);
	if (pthread_create(&c->worker, NULL, worker_main, c) != 0) {
		*err = strdup("cannot start the network thread");
		goto fail;
	}
	c->worker_started = true;
	return c;
fail:
	ddb_client_free(c);
	return NULL;
}

static void call_free(struct ddb_call *x)
{
	json_decref(x->res.body);
	free(x->res.err.code);
	free(x->res.err.message);
	free(x->res.err.request_id);
	free(x->body);
	free(x);
}

void ddb_client_free(ddb_client *c)
{
	if (!c)
		return;
	if (c->worker_started) {
		pthread_mutex_lock(&c->mu);
		c->stop = true;
		pthread_mutex_unlock(&c->mu);
		curl_multi_wakeup(c->multi);
		pthread_join(c->worker, NULL);
	}
	struct ddb_call *x;
	while ((x = list_pop(&c->submitted)))
		call_free(x);
	while ((x = list_pop(&c->done)))
		call_free(x);
	if (c->multi)
		curl_multi_cleanup(c->multi);
	if (c->trace)
		fclose(c->trace);
	if (c->pipe_rd >= 0)
		close(c->pipe_rd);
	if (c->pipe_wr >= 0)
		close(c->pipe_wr);
	pthread_mutex_destroy(&c->mu);
	free(c->url);
	free(c->host);
	free(c->path);
	free(c->user_agent);
	free(c);
}

ddb_call *ddb_submit(ddb_client *c, const char *op, json_t *request,
                     ddb_done_fn cb, void *ud)
{
	struct ddb_call *x = calloc(1, sizeof *x);
	if (!x)
		abort();   /* out of memory before anything was sent: nothing to save */
	x->c = c;
	x->cb = cb;
	x->ud = ud;
	x->t_submit = now_ms();
	x->op = "?";
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (op && !strcmp(op, ops[i].name))
			x->op = ops[i].name;
	if (request)
		x->body = json_dumps(request, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(request);

	pthread_mutex_lock(&c->mu);
	c->pending++;
	if (c->closing) {
		x->res.op = x->op;
		x->state = ST_DONE;
		set_error(x, DDB_ERR_CANCELLED, NULL, NULL);
		list_push(&c->done, x);
		pthread_mutex_unlock(&c->mu);
		char b = 1;
		if (write(c->pipe_wr, &b, 1) < 0) { /* never full in practice */ }
		return x;
	}
	if (!strcmp(x->op, "?") || !x->body) {
		x->res.op = x->op;
		x->state = ST_DONE;
		set_error(x, DDB_ERR_USAGE, NULL,
		          util_fmt("unknown operation or bad request: %s", op ? op : "(null)"));
		list_push(&c->done, x);
		pthread_mutex_unlock(&c->mu);
		char b = 1;
		if (write(c->pipe_wr, &b, 1) < 0) { /* the pipe is non-blocking and never full in practice */ }
		return x;
	}
	x->res.op = x->op;
	x->body_len = strlen(x->body);
	snprintf(x->target, sizeof x->target, "DynamoDB_20120810.%s", x->op);
	list_push(&c->submitted, x);
	pthread_mutex_unlock(&c->mu);
	curl_multi_wakeup(c->multi);
	return x;
}

void ddb_cancel(ddb_client *c, ddb_call *call)
{
	pthread_mutex_lock(&c->mu);
	call->cancel = true;
	pthread_mutex_unlock(&c->mu);
	curl_multi_wakeup(c->multi);
}

void ddb_abandon(ddb_client *c, ddb_call *call)
{
	/* cb and ud are read only by ddb_client_dispatch, on this thread */
	call->cb = NULL;
	call->ud = NULL;
	ddb_cancel(c, call);
}

void ddb_client_cancel_reads(ddb_client *c)
{
	pthread_mutex_lock(&c->mu);
	for (struct ddb_call *x = c->submitted.head; x; x = x->next)
		if (call_reads(x))
			x->cancel = true;
	c->cancel_reads_req = true;
	pthread_mutex_unlock(&c->mu);
	curl_multi_wakeup(c->multi);
}

void ddb_client_cancel_all(ddb_client *c)
{
	pthread_mutex_lock(&c->mu);
	c->closing = true;
	for (struct ddb_call *x = c->submitted.head; x; x = x->next)
		x->cancel = true;
	pthread_mutex_unlock(&c->mu);
	/* calls the worker already holds are cancelled there */
	pthread_mutex_lock(&c->mu);
	c->cancel_all_req = true;
	pthread_mutex_unlock(&c->mu);
	curl_multi_wakeup(c->multi);
}

int ddb_client_fd(ddb_client *c)
{
	return c->pipe_rd;
}

int ddb_client_dispatch(ddb_client *c)
{
	char drain[256];
	while (read(c->pipe_rd, drain, sizeof drain) > 0)
		;
	int n = 0;
	for (;;) {
		pthread_mutex_lock(&c->mu);
		struct ddb_call *x = list_pop(&c->done);
		if (x)
			c->pending--;
		pthread_mutex_unlock(&c->mu);
		if (!x)
			break;
		if (x->cb)
			x->cb(&x->res, x->ud);
		call_free(x);
		n++;
	}
	return n;
}

int ddb_client_pending(ddb_client *c)
{
	pthread_mutex_lock(&c->mu);
	int n = c->pending;
	pthread_mutex_unlock(&c->mu);
	return n;
}

int ddb_client_wait(ddb_client *c, int timeout_ms)
{
	int n = ddb_client_dispatch(c);
	if (n)
		return n;
	struct pollfd pfd = {.fd = c->pipe_rd, .events = POLLIN};
	int r;
	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	return ddb_client_dispatch(c);
}

void ddb_client_drain(ddb_client *c)
{
	while (ddb_client_pending(c) > 0)
		ddb_client_wait(c, 1000);
}

void ddb_client_status(ddb_client *c, char *buf, size_t len)
{
	pthread_mutex_lock(&c->mu);
	snprintf(buf, len, "%s", c->status);
	pthread_mutex_unlock(&c->mu);
}

void ddb_client_stats(ddb_client *c, struct ddb_stats *out)
{
	pthread_mutex_lock(&c->mu);
	*out = c->stats;
	pthread_mutex_unlock(&c->mu);
}

struct sync_slot {
	struct ddb_result *res;
	bool done;
};

static void sync_cb(struct ddb_result *res, void *ud)
{
	struct sync_slot *s = ud;
	struct ddb_result *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	*r = *res;
	/* take ownership of everything; the call is freed after we return */
	res->body = NULL;
	res->err.code = res->err.message = res->err.request_id = NULL;
	s->res = r;
	s->done = true;
}

struct ddb_result *ddb_call_sync(ddb_client *c, const char *op, json_t *request)
{
	struct sync_slot s = {0};
	ddb_submit(c, op, request, sync_cb, &s);
	while (!s.done)
		ddb_client_wait(c, 1000);
	return s.res;
}

void ddb_result_free(struct ddb_result *r)
{
	if (!r)
		return;
	json_decref(r->body);
	free(r->err.code);
	free(r->err.message);
	free(r->err.request_id);
	free(r);
}
