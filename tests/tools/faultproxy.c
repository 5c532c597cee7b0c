/*
 * tests/tools/faultproxy.c: a fault-injecting HTTP/1.1 proxy for tests.
 *
 * It listens on 127.0.0.1 (a free port), forwards requests to DynamoDB Local
 * on loopback and, following a plan or a seeded random draw, answers some of
 * them with faults instead: throttling errors, 5xx, connection resets,
 * stalls, truncated or non-JSON bodies, wrong CRC32 headers, or a 500 after
 * the request was really applied.  Tests use it to prove the client's
 * retries, give-ups and error messages.
 *
 * Usage:
 *   faultproxy --upstream http://127.0.0.1:PORT [--plan PLAN]
 *              [--random RATES [--seed N]] [--log FILE] [--stall-ms MS]
 *              [--max-requests N] [--idle-exit SEC] [--plan-from TARGET]
 *
 * It prints "http://127.0.0.1:PORT" on stdout once it listens, then serves
 * until SIGTERM/SIGINT, until --max-requests requests were answered, or until
 * --idle-exit seconds (default 120) passed with no new connection and no
 * request in progress; each of these ends it with status 0.  Usage errors
 * exit 2, other start-up errors 1.
 *
 * Only loopback is ever used: it binds 127.0.0.1 and refuses any upstream
 * other than http://127.0.0.1[:PORT] or http://localhost[:PORT].
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEAD ((size_t)64 * 1024)          /* request or response head */
#define MAX_BODY ((size_t)32 * 1024 * 1024)   /* request or response body */
#define MAX_CONNS 512u                        /* concurrent client connections */
#define UPSTREAM_TIMEOUT_S 120                /* per send/recv to upstream */
#define CLIENT_SEND_TIMEOUT_S 60              /* per send to a client */
#define TARGET_LOG_MAX 200                    /* X-Amz-Target chars logged */
#define SHUTDOWN_WAIT_S 10                    /* wait for threads on exit */

/* ---- fault kinds ---- */

enum fault {
	FK_OK,
	FK_THROTTLE,
	FK_THROTTLING,
	FK_500,
	FK_503,
	FK_RESET,
	FK_STALL,
	FK_TRUNCATE,
	FK_NONJSON,
	FK_BADCRC,
	FK_FWD500,
	FK_COUNT
};

static const char *const fault_names[FK_COUNT] = {
	[FK_OK] = "ok",
	[FK_THROTTLE] = "throttle",
	[FK_THROTTLING] = "throttling",
	[FK_500] = "500",
	[FK_503] = "503",
	[FK_RESET] = "reset",
	[FK_STALL] = "stall",
	[FK_TRUNCATE] = "truncate",
	[FK_NONJSON] = "nonjson",
	[FK_BADCRC] = "badcrc",
	[FK_FWD500] = "forward-then-500",
};

static const char BODY_THROTTLE[] =
	"{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
	"\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}";
static const char BODY_THROTTLING[] =
	"{\"__type\":\"com.amazon.coral.availability#ThrottlingException\","
	"\"message\":\"Rate of requests exceeds the allowed throughput.\"}";
static const char BODY_500[] =
	"{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
	"\"message\":\"Internal server error\"}";
static const char BODY_503[] =
	"{\"__type\":\"com.amazonaws.dynamodb.v20120810#ServiceUnavailable\","
	"\"message\":\"Service unavailable\"}";
static const char BODY_NONJSON[] = "<html>not json</html>";
static const char CT_AMZ_JSON[] = "application/x-amz-json-1.0";

/* ---- configuration (written before any thread starts, read-only after) ---- */

struct plan_item {
	enum fault kind;
	uint64_t count;
};

static struct {
	uint16_t up_port;
	struct plan_item *plan;
	size_t plan_len;
	bool random;
	double rates[FK_COUNT];
	uint64_t seed;
	FILE *log;
	long stall_ms;
	uint64_t max_requests; /* 0: no limit */
	long idle_exit_s;
	uint64_t id_salt;
	const char *plan_from; /* --plan-from: the plan starts at this target */
	bool plan_started;
	uint64_t plan_base;    /* requests before the one that started the plan */
} cfg;

/* ---- shared state ---- */

struct conn {
	int cfd;             /* client socket */
	int ufd;             /* upstream socket while forwarding, else -1 */
	struct conn *prev, *next;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER; /* guards below */
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static struct conn *g_conns;
static unsigned g_nconns;
static unsigned g_inflight;
static struct timespec g_last_activity;
static bool g_stopping;

static pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint_fast64_t g_reqno;  /* requests numbered so far */
static atomic_uint_fast64_t g_done;   /* requests finished */
static int g_wake[2] = {-1, -1};      /* self-pipe: signals, max-requests */

static uint32_t crc_table[256];

/* ---- small helpers ---- */

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "faultproxy: %s\n", msg);
}

static struct timespec now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

static long long ms_between(struct timespec a, struct timespec b)
{
	return (long long)(b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32_of(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* Uniform draw in [0,1) that depends only on the seed and the request
 * number, so a run is reproducible whatever the thread scheduling. */
static double draw_unit(uint64_t n)
{
	uint64_t x = mix64(mix64(cfg.seed) ^ mix64(n * 0xD1B54A32D192ED03ull));
	return (double)(x >> 11) * (1.0 / 9007199254740992.0);
}

/* Strict decimal: digits only, min <= value <= max. */
static bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool fault_by_name(const char *s, size_t n, enum fault *out)
{
	for (int f = 0; f < FK_COUNT; f++) {
		if (strlen(fault_names[f]) == n && memcmp(fault_names[f], s, n) == 0) {
			*out = (enum fault)f;
			return true;
		}
	}
	return false;
}

/* ---- growable byte buffer ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static bool buf_reserve(struct buf *b, size_t need)
{
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return false;
	b->p = p;
	b->cap = cap;
	return true;
}

static bool buf_add(struct buf *b, const void *d, size_t n)
{
	if (n == 0)
		return true;
	if (!buf_reserve(b, b->len + n))
		return false;
	memcpy(b->p + b->len, d, n);
	b->len += n;
	return true;
}

static bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(b, b->len + (size_t)n + 1))
		return false;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return true;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Drop the first n bytes; give memory back after a large body. */
static void buf_consume(struct buf *b, size_t n)
{
	if (n > b->len)
		n = b->len;
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
	if (b->cap > 1024 * 1024 && b->len < 64 * 1024) {
		char *p = realloc(b->p, 64 * 1024);
		if (p) {
			b->p = p;
			b->cap = 64 * 1024;
		}
	}
}

/* ---- socket I/O ---- */

static bool send_all(int fd, const void *data, size_t n, bool more)
{
	const char *p = data;
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Receive into b, at most up to total length `limit`.  Returns bytes read,
 * 0 on EOF, -1 on error. */
static ssize_t recv_into(int fd, struct buf *b, size_t limit)
{
	if (b->len >= limit)
		return -1;
	size_t want = limit - b->len;
	if (want > 256 * 1024)
		want = 256 * 1024;
	if (!buf_reserve(b, b->len + want))
		return -1;
	for (;;) {
		ssize_t r = recv(fd, b->p + b->len, want, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0)
			b->len += (size_t)r;
		return r;
	}
}

enum { HEAD_EOF = 0, HEAD_ERR = -1, HEAD_TOO_BIG = -2 };

/* Read until b holds a complete head ("\r\n\r\n" within MAX_HEAD bytes).
 * Returns the head length including the blank line, HEAD_EOF on EOF before
 * any byte, HEAD_ERR on error or EOF inside a head, HEAD_TOO_BIG. */
static long read_head(int fd, struct buf *b)
{
	size_t scanned = 0;
	for (;;) {
		if (b->len >= 4) {
			size_t from = scanned > 3 ? scanned - 3 : 0;
			size_t upto = b->len < MAX_HEAD ? b->len : MAX_HEAD;
			if (upto > from) {
				char *e = memmem(b->p + from, upto - from, "\r\n\r\n", 4);
				if (e)
					return (long)(e - b->p) + 4;
			}
			scanned = upto;
		}
		if (b->len >= MAX_HEAD)
			return HEAD_TOO_BIG;
		size_t had = b->len;
		ssize_t r = recv_into(fd, b, MAX_HEAD);
		if (r == 0)
			return had == 0 ? HEAD_EOF : HEAD_ERR;
		if (r < 0)
			return HEAD_ERR;
	}
}

/* Read until b holds at least `total` bytes. */
static bool read_upto(int fd, struct buf *b, size_t total)
{
	if (!buf_reserve(b, total))
		return false;
	while (b->len < total) {
		ssize_t r = recv(fd, b->p + b->len, b->cap - b->len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		b->len += (size_t)r;
	}
	return true;
}

static void set_timeouts(int fd, int rcv_s, int snd_s)
{
	struct timeval tv;
	if (rcv_s > 0) {
		tv.tv_sec = rcv_s;
		tv.tv_usec = 0;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	if (snd_s > 0) {
		tv.tv_sec = snd_s;
		tv.tv_usec = 0;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* ---- HTTP head parsing ---- */

/* One header line of an already delimited head. */
struct hline {
	const char *name, *val;
	size_t nlen, vlen;
	const char *line;
	size_t len;
};

/* Iterate the lines in [*cur, stop); every line ends in "\r\n". */
static bool next_line(const char **cur, const char *stop, const char **line, size_t *len)
{
	if (*cur >= stop)
		return false;
	const char *eol = memmem(*cur, (size_t)(stop - *cur), "\r\n", 2);
	if (!eol)
		eol = stop;
	*line = *cur;
	*len = (size_t)(eol - *cur);
	*cur = eol + 2;
	return true;
}

static bool is_tchar(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return true;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Split a header line into name and trimmed value.  Returns false when it
 * is not a valid field line. */
static bool split_header(const char *line, size_t len, struct hline *h)
{
	const char *colon = memchr(line, ':', len);
	if (!colon || colon == line)
		return false;
	for (const char *q = line; q < colon; q++)
		if (!is_tchar((unsigned char)*q))
			return false;
	const char *v = colon + 1, *e = line + len;
	for (const char *q = v; q < e; q++) {
		unsigned char c = (unsigned char)*q;
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return false;
	}
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	h->line = line;
	h->len = len;
	h->name = line;
	h->nlen = (size_t)(colon - line);
	h->val = v;
	h->vlen = (size_t)(e - v);
	return true;
}

static bool name_is(const struct hline *h, const char *name)
{
	return strlen(name) == h->nlen && strncasecmp(h->name, name, h->nlen) == 0;
}

/* Does the comma-separated value contain token tok (case-insensitive)? */
static bool has_token(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok), i = 0;
	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		size_t s = i;
		while (i < n && v[i] != ',')
			i++;
		size_t e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && strncasecmp(v + s, tok, tl) == 0)
			return true;
	}
	return false;
}

/* Parse a Content-Length value.  Returns 0 and sets *out, 413 when it is
 * larger than MAX_BODY, 400 when malformed. */
static int parse_length(const char *v, size_t n, size_t *out)
{
	if (n == 0)
		return 400;
	uint64_t x = 0;
	bool big = false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 400;
		if (!big) {
			x = x * 10 + (uint64_t)(v[i] - '0');
			if (x > MAX_BODY)
				big = true;
		}
	}
	if (big)
		return 413;
	*out = (size_t)x;
	return 0;
}

/* Hop-by-hop and framing headers the proxy sets itself. */
static bool is_hop_header(const struct hline *h)
{
	static const char *const hop[] = {
		"connection", "keep-alive", "proxy-connection", "te", "trailer",
		"upgrade", "transfer-encoding", "content-length", "expect",
	};
	for (size_t i = 0; i < sizeof hop / sizeof hop[0]; i++)
		if (name_is(h, hop[i]))
			return true;
	return false;
}

struct request {
	size_t head_len;
	size_t body_len;
	size_t reqline_len;    /* the request line starts the head */
	bool keep_alive;
	bool is_head;
	bool expect_continue;
	char target[TARGET_LOG_MAX + 1]; /* X-Amz-Target, sanitized, or "-" */
};

/* Parse and validate a request head of length hl.  Returns 0 or the HTTP
 * status to refuse it with; *why says why. */
static int parse_request(const char *p, size_t hl, struct request *rq, const char **why)
{
	memset(rq, 0, sizeof *rq);
	rq->head_len = hl;
	strcpy(rq->target, "-");
	const char *cur = p, *stop = p + hl - 2, *line;
	size_t len;

	if (memchr(p, '\0', hl)) {
		*why = "NUL byte in request head";
		return 400;
	}
	if (!next_line(&cur, stop, &line, &len) || len == 0) {
		*why = "missing request line";
		return 400;
	}
	/* method SP target SP HTTP/1.x */
	const char *sp1 = memchr(line, ' ', len);
	if (!sp1 || sp1 == line) {
		*why = "malformed request line";
		return 400;
	}
	for (const char *q = line; q < sp1; q++)
		if (!is_tchar((unsigned char)*q)) {
			*why = "malformed method";
			return 400;
		}
	const char *tgt = sp1 + 1, *end = line + len;
	const char *sp2 = memchr(tgt, ' ', (size_t)(end - tgt));
	if (!sp2 || sp2 == tgt) {
		*why = "malformed request line";
		return 400;
	}
	for (const char *q = tgt; q < sp2; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7F) {
			*why = "malformed request target";
			return 400;
		}
	size_t vlen = (size_t)(end - sp2 - 1);
	bool http10;
	if (vlen == 8 && memcmp(sp2 + 1, "HTTP/1.1", 8) == 0)
		http10 = false;
	else if (vlen == 8 && memcmp(sp2 + 1, "HTTP/1.0", 8) == 0)
		http10 = true;
	else {
		*why = "unsupported HTTP version";
		return 400;
	}
	size_t mlen = (size_t)(sp1 - line);
	if (mlen == 7 && memcmp(line, "CONNECT", 7) == 0) {
		*why = "CONNECT is not supported";
		return 405;
	}
	rq->is_head = mlen == 4 && memcmp(line, "HEAD", 4) == 0;
	rq->reqline_len = len;

	bool have_len = false, conn_close = false, conn_keep = false;
	while (next_line(&cur, stop, &line, &len)) {
		struct hline h;
		if (len > 0 && (line[0] == ' ' || line[0] == '\t')) {
			*why = "folded header line";
			return 400;
		}
		if (!split_header(line, len, &h)) {
			*why = "malformed header line";
			return 400;
		}
		if (name_is(&h, "content-length")) {
			size_t n = 0;
			int st = parse_length(h.val, h.vlen, &n);
			if (st == 400 || (st == 0 && have_len && n != rq->body_len)) {
				*why = "bad Content-Length";
				return 400;
			}
			if (st == 413) {
				*why = "request body too large";
				return 413;
			}
			have_len = true;
			rq->body_len = n;
		} else if (name_is(&h, "transfer-encoding")) {
			*why = has_token(h.val, h.vlen, "chunked")
				? "chunked request bodies are not supported"
				: "Transfer-Encoding is not supported";
			return 400;
		} else if (name_is(&h, "connection")) {
			if (has_token(h.val, h.vlen, "close"))
				conn_close = true;
			if (has_token(h.val, h.vlen, "keep-alive"))
				conn_keep = true;
		} else if (name_is(&h, "expect")) {
			if (h.vlen == 12 && strncasecmp(h.val, "100-continue", 12) == 0)
				rq->expect_continue = true;
		} else if (name_is(&h, "x-amz-target") && h.vlen > 0) {
			size_t n = h.vlen < TARGET_LOG_MAX ? h.vlen : TARGET_LOG_MAX;
			for (size_t i = 0; i < n; i++) {
				unsigned char c = (unsigned char)h.val[i];
				rq->target[i] = (c > 0x20 && c < 0x7F) ? (char)c : '?';
			}
			rq->target[n] = '\0';
		}
	}
	rq->keep_alive = !conn_close && (http10 ? conn_keep : true);
	return 0;
}

struct response {
	struct buf raw;        /* head and body as received */
	size_t head_len;
	size_t body_len;       /* body at raw.p + head_len */
	int status;
	size_t statusline_len; /* the status line starts the head */
};

/* Parse an upstream response head.  Returns false when malformed; sets
 * *len_known / *chunked for the framing. */
static bool parse_response_head(struct response *rs, bool *len_known, bool *chunked)
{
	const char *p = rs->raw.p, *cur = p, *stop = p + rs->head_len - 2, *line;
	size_t len;
	*len_known = *chunked = false;
	if (!next_line(&cur, stop, &line, &len) || len < 12 || memcmp(line, "HTTP/1.", 7) != 0 ||
	    (line[7] != '0' && line[7] != '1') || line[8] != ' ' || line[9] < '1' || line[9] > '5' || line[10] < '0' || line[10] > '9' ||
	    line[11] < '0' || line[11] > '9' || (len > 12 && line[12] != ' '))
		return false;
	rs->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
	rs->statusline_len = len;
	rs->body_len = 0;
	while (next_line(&cur, stop, &line, &len)) {
		struct hline h;
		if (!split_header(line, len, &h))
			return false;
		if (name_is(&h, "content-length")) {
			size_t n = 0;
			if (parse_length(h.val, h.vlen, &n) != 0 || (*len_known && n != rs->body_len))
				return false;
			*len_known = true;
			rs->body_len = n;
		} else if (name_is(&h, "transfer-encoding")) {
			*chunked = true;
		}
	}
	return true;
}

/* ---- connection registry ---- */

static void touch_locked(void)
{
	g_last_activity = now_mono();
}

static void set_ufd(struct conn *c, int fd)
{
	pthread_mutex_lock(&g_lock);
	c->ufd = fd;
	pthread_mutex_unlock(&g_lock);
}

static void wake_main(char why)
{
	ssize_t w = write(g_wake[1], &why, 1);
	(void)w;
}

/* ---- upstream ---- */

/* Forward the request; on success rs holds the complete response. */
static bool forward(struct conn *c, const struct request *rq, const char *head, const char *body,
		    struct response *rs, const char **why)
{
	memset(rs, 0, sizeof *rs);
	struct buf req = {0};
	bool ok = false;

	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*why = "socket failed";
		return false;
	}
	pthread_mutex_lock(&g_lock);
	bool stopping = g_stopping;
	if (!stopping)
		c->ufd = fd;
	pthread_mutex_unlock(&g_lock);
	if (stopping) {
		close(fd);
		*why = "shutting down";
		return false;
	}
	set_timeouts(fd, UPSTREAM_TIMEOUT_S, UPSTREAM_TIMEOUT_S);

	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons(cfg.up_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int r;
	do
		r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		*why = "cannot connect to upstream";
		goto out;
	}

	/* Request line and end-to-end headers as received, own framing. */
	const char *cur = head + rq->reqline_len + 2, *stop = head + rq->head_len - 2;
	const char *line = NULL;
	size_t len = 0;
	if (!buf_add(&req, head, rq->reqline_len) || !buf_add(&req, "\r\n", 2)) {
		*why = "out of memory";
		goto out;
	}
	while (next_line(&cur, stop, &line, &len)) {
		struct hline h;
		if (!split_header(line, len, &h) || is_hop_header(&h))
			continue;
		if (!buf_add(&req, line, len) || !buf_add(&req, "\r\n", 2)) {
			*why = "out of memory";
			goto out;
		}
	}
	if (!buf_printf(&req, "Content-Length: %zu\r\nConnection: close\r\n\r\n", rq->body_len)) {
		*why = "out of memory";
		goto out;
	}
	if (!send_all(fd, req.p, req.len, rq->body_len > 0) || !send_all(fd, body, rq->body_len, false)) {
		*why = "sending to upstream failed";
		goto out;
	}

	for (;;) {
		long hl = read_head(fd, &rs->raw);
		if (hl <= 0) {
			*why = hl == HEAD_TOO_BIG ? "upstream response head too large"
						  : "upstream closed or failed before a response";
			goto out;
		}
		rs->head_len = (size_t)hl;
		bool len_known, chunked;
		if (!parse_response_head(rs, &len_known, &chunked)) {
			*why = "malformed upstream response";
			goto out;
		}
		if (rs->status >= 100 && rs->status < 200) { /* interim: skip */
			buf_consume(&rs->raw, rs->head_len);
			continue;
		}
		if (rq->is_head || rs->status == 204 || rs->status == 304) {
			rs->body_len = 0;
		} else if (chunked) {
			*why = "chunked upstream responses are not supported";
			goto out;
		} else if (len_known) {
			if (!read_upto(fd, &rs->raw, rs->head_len + rs->body_len)) {
				*why = "upstream response body cut short";
				goto out;
			}
		} else { /* delimited by close */
			for (;;) {
				ssize_t n = recv_into(fd, &rs->raw, rs->head_len + MAX_BODY + 1);
				if (n == 0)
					break;
				if (n < 0 || rs->raw.len > rs->head_len + MAX_BODY) {
					*why = "upstream response body failed or too large";
					goto out;
				}
			}
			rs->body_len = rs->raw.len - rs->head_len;
		}
		break;
	}
	ok = true;
out:
	buf_free(&req);
	set_ufd(c, -1);
	close(fd);
	if (!ok)
		buf_free(&rs->raw);
	return ok;
}

/* ---- responses to the client ---- */

static void fmt_date(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static void fmt_request_id(uint64_t n, char out[40])
{
	uint64_t a = mix64(n ^ cfg.id_salt), b = mix64(a ^ n);
	snprintf(out, 40, "%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32 "-a%03" PRIx32 "-%012" PRIx64,
		 (uint32_t)(a >> 32), (uint32_t)(a >> 16) & 0xFFFF, (uint32_t)(a >> 4) & 0xFFF,
		 (uint32_t)(b >> 52) & 0xFFF, (uint64_t)(b & 0xFFFFFFFFFFFFull));
}

/* A synthesized fault response in DynamoDB's style. */
static bool send_synth(int fd, uint64_t n, int status, const char *reason, const char *body,
		       bool with_crc, bool keep_alive, bool head_only)
{
	struct buf b = {0};
	char date[64], id[40];
	size_t blen = strlen(body);
	fmt_date(date, sizeof date);
	fmt_request_id(n, id);
	bool ok = buf_printf(&b, "HTTP/1.1 %d %s\r\nDate: %s\r\nx-amzn-RequestId: %s\r\n"
			     "Content-Type: %s\r\n", status, reason, date, id, CT_AMZ_JSON);
	if (ok && with_crc)
		ok = buf_printf(&b, "x-amz-crc32: %" PRIu32 "\r\n", crc32_of(body, blen));
	ok = ok && buf_printf(&b, "Content-Length: %zu\r\nConnection: %s\r\n\r\n", blen,
			      keep_alive ? "keep-alive" : "close");
	if (ok && !head_only)
		ok = buf_add(&b, body, blen);
	ok = ok && send_all(fd, b.p, b.len, false);
	buf_free(&b);
	return ok;
}

/* The proxy's own refusal (bad request, upstream down): always closes. */
static void send_plain_error(int fd, int status, const char *msg)
{
	const char *reason;
	switch (status) {
	case 400: reason = "Bad Request"; break;
	case 405: reason = "Method Not Allowed"; break;
	case 413: reason = "Payload Too Large"; break;
	case 431: reason = "Request Header Fields Too Large"; break;
	case 502: reason = "Bad Gateway"; break;
	default: reason = "Error"; break;
	}
	char out[512];
	int n = snprintf(out, sizeof out,
			 "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\nfaultproxy: %s\n",
			 status, reason, strlen(msg) + 13, msg);
	if (n > 0 && (size_t)n < sizeof out)
		send_all(fd, out, (size_t)n, false);
}

enum fwd_mode { FWD_PLAIN, FWD_BADCRC, FWD_TRUNCATE };

/* Relay an upstream response, possibly damaged. */
static bool send_forwarded(int fd, const struct request *rq, const struct response *rs,
			   enum fwd_mode mode)
{
	struct buf b = {0};
	const char *head = rs->raw.p, *stop = head + rs->head_len - 2;
	const char *cur = head + rs->statusline_len + 2, *line = NULL;
	const char *body = head + rs->head_len;
	size_t len = 0;
	bool ok = buf_add(&b, head, rs->statusline_len) && buf_add(&b, "\r\n", 2);
	while (ok && next_line(&cur, stop, &line, &len)) {
		struct hline h;
		if (!split_header(line, len, &h))
			continue;
		if (is_hop_header(&h) && !(rq->is_head && name_is(&h, "content-length")))
			continue;
		if (mode == FWD_BADCRC && name_is(&h, "x-amz-crc32"))
			continue;
		ok = buf_add(&b, line, len) && buf_add(&b, "\r\n", 2);
	}
	if (ok && mode == FWD_BADCRC) /* off by one from the body's real CRC */
		ok = buf_printf(&b, "x-amz-crc32: %" PRIu32 "\r\n",
				(uint32_t)(crc32_of(body, rs->body_len) + 1u));
	if (ok && !rq->is_head)
		ok = buf_printf(&b, "Content-Length: %zu\r\n", rs->body_len);
	ok = ok && buf_printf(&b, "Connection: %s\r\n\r\n", rq->keep_alive ? "keep-alive" : "close");
	size_t send_len = mode == FWD_TRUNCATE ? rs->body_len / 2 : rs->body_len;
	ok = ok && send_all(fd, b.p, b.len, send_len > 0) && send_all(fd, body, send_len, false);
	buf_free(&b);
	return ok;
}

/* Before closing after an error reply: send FIN, then read and discard
 * what the client still sends (briefly), so the reply is not lost to an
 * RST caused by unread data. */
static void drain_before_close(int fd)
{
	char tmp[4096];
	size_t total = 0;
	struct timespec start = now_mono();
	shutdown(fd, SHUT_WR);
	while (total < 1024 * 1024) {
		long long left = 1000 - ms_between(start, now_mono());
		if (left <= 0)
			break;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		ssize_t n = recv(fd, tmp, sizeof tmp, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += (size_t)n;
	}
}

/* ---- faults ---- */

static enum fault choose_fault(uint64_t n)
{
	uint64_t k = n;
	for (size_t i = 0; i < cfg.plan_len; i++) {
		if (k <= cfg.plan[i].count)
			return cfg.plan[i].kind;
		k -= cfg.plan[i].count;
	}
	if (cfg.random) {
		double u = draw_unit(n), acc = 0;
		for (int f = 0; f < FK_COUNT; f++) {
			acc += cfg.rates[f];
			if (cfg.rates[f] > 0 && u < acc)
				return (enum fault)f;
		}
	}
	return FK_OK;
}

/* Wait up to stall_ms, ending early when the client hangs up or the proxy
 * shuts down (shutdown(2) on the socket shows as a hang-up). */
static void stall(int fd)
{
	struct timespec start = now_mono();
	for (;;) {
		long long left = cfg.stall_ms - ms_between(start, now_mono());
		if (left <= 0)
			return;
		struct pollfd pfd = {.fd = fd, .events = POLLRDHUP};
		int r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 0)
			return;
	}
}

/* Apply fault f to request n.  Returns true to keep the connection. */
static bool apply_fault(struct conn *c, uint64_t n, enum fault f, const struct request *rq,
			const char *head, const char *body)
{
	int fd = c->cfd;
	bool ka = rq->keep_alive, ho = rq->is_head;
	struct response rs;
	const char *why = "";

	switch (f) {
	case FK_THROTTLE:
		return send_synth(fd, n, 400, "Bad Request", BODY_THROTTLE, true, ka, ho) && ka;
	case FK_THROTTLING:
		return send_synth(fd, n, 400, "Bad Request", BODY_THROTTLING, true, ka, ho) && ka;
	case FK_500:
		return send_synth(fd, n, 500, "Internal Server Error", BODY_500, true, ka, ho) && ka;
	case FK_503:
		return send_synth(fd, n, 503, "Service Unavailable", BODY_503, true, ka, ho) && ka;
	case FK_NONJSON:
		return send_synth(fd, n, 200, "OK", BODY_NONJSON, false, ka, ho) && ka;
	case FK_RESET: {
		struct linger lg = {.l_onoff = 1, .l_linger = 0};
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg); /* close() sends RST */
		return false;
	}
	case FK_STALL:
		stall(fd);
		return false;
	case FK_OK:
	case FK_TRUNCATE:
	case FK_BADCRC:
	case FK_FWD500:
		break;
	case FK_COUNT:
		return false;
	}

	if (!forward(c, rq, head, body, &rs, &why)) {
		diag("request %" PRIu64 " (%s): %s", n, fault_names[f], why);
		send_plain_error(fd, 502, why);
		return false;
	}
	bool keep;
	switch (f) {
	case FK_TRUNCATE:
		send_forwarded(fd, rq, &rs, FWD_TRUNCATE);
		keep = false;
		break;
	case FK_BADCRC:
		keep = send_forwarded(fd, rq, &rs, FWD_BADCRC) && ka;
		break;
	case FK_FWD500:
		keep = send_synth(fd, n, 500, "Internal Server Error", BODY_500, true, ka, ho) && ka;
		break;
	default:
		keep = send_forwarded(fd, rq, &rs, FWD_PLAIN) && ka;
		break;
	}
	buf_free(&rs.raw);
	return keep;
}

/* Number, log and serve one complete request.  Returns true to keep the
 * connection open. */
static bool handle_request(struct conn *c, const struct request *rq, const char *head,
			   const char *body)
{
	pthread_mutex_lock(&g_log_lock);
	uint64_t n = (uint64_t)atomic_fetch_add(&g_reqno, 1) + 1;
	if (cfg.max_requests && n > cfg.max_requests) {
		pthread_mutex_unlock(&g_log_lock);
		return false; /* past the limit: as if the server were gone */
	}
	enum fault f;
	if (cfg.plan_from && !cfg.plan_started && !strstr(rq->target, cfg.plan_from)) {
		f = FK_OK;   /* before the plan starts */
	} else {
		if (cfg.plan_from && !cfg.plan_started) {
			cfg.plan_started = true;
			cfg.plan_base = n - 1;
		}
		f = choose_fault(n - cfg.plan_base);
	}
	if (cfg.log) {
		fprintf(cfg.log, "%" PRIu64 " %s %s\n", n, fault_names[f], rq->target);
		fflush(cfg.log);
	}
	pthread_mutex_unlock(&g_log_lock);

	pthread_mutex_lock(&g_lock);
	g_inflight++;
	touch_locked();
	pthread_mutex_unlock(&g_lock);

	bool keep = apply_fault(c, n, f, rq, head, body);

	pthread_mutex_lock(&g_lock);
	g_inflight--;
	touch_locked();
	pthread_mutex_unlock(&g_lock);

	uint64_t done = (uint64_t)atomic_fetch_add(&g_done, 1) + 1;
	if (cfg.max_requests && done == cfg.max_requests)
		wake_main('m');
	return keep;
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	struct buf in = {0};

	for (;;) {
		long hl = read_head(c->cfd, &in);
		if (hl == HEAD_TOO_BIG) {
			send_plain_error(c->cfd, 431, "request head larger than 64 KiB");
			drain_before_close(c->cfd);
			break;
		}
		if (hl <= 0)
			break;
		struct request rq;
		const char *why = "";
		int st = parse_request(in.p, (size_t)hl, &rq, &why);
		if (st != 0) {
			diag("refusing a request with %d: %s", st, why);
			send_plain_error(c->cfd, st, why);
			drain_before_close(c->cfd);
			break;
		}
		if (rq.expect_continue && in.len - (size_t)hl < rq.body_len) {
			static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
			if (!send_all(c->cfd, cont, sizeof cont - 1, false))
				break;
		}
		size_t total = (size_t)hl + rq.body_len;
		if (!read_upto(c->cfd, &in, total))
			break;
		if (!handle_request(c, &rq, in.p, in.p + hl))
			break;
		buf_consume(&in, total);
	}
	buf_free(&in);

	pthread_mutex_lock(&g_lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		g_conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	close(c->cfd);
	free(c);
	g_nconns--;
	touch_locked();
	pthread_cond_broadcast(&g_cond);
	pthread_mutex_unlock(&g_lock);
	return NULL;
}

static void start_conn(int cfd)
{
	pthread_mutex_lock(&g_lock);
	if (g_stopping || g_nconns >= MAX_CONNS) {
		pthread_mutex_unlock(&g_lock);
		close(cfd);
		return;
	}
	struct conn *c = calloc(1, sizeof *c);
	if (!c) {
		pthread_mutex_unlock(&g_lock);
		close(cfd);
		return;
	}
	c->cfd = cfd;
	c->ufd = -1;
	c->next = g_conns;
	if (g_conns)
		g_conns->prev = c;
	g_conns = c;
	g_nconns++;
	touch_locked();

	pthread_attr_t attr;
	pthread_t tid;
	int err = pthread_attr_init(&attr);
	if (!err) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		err = pthread_create(&tid, &attr, conn_main, c);
		pthread_attr_destroy(&attr);
	}
	if (err) {
		g_conns = c->next;
		if (g_conns)
			g_conns->prev = NULL;
		g_nconns--;
		close(cfd);
		free(c);
		diag("cannot start a thread: %s", strerror(err));
	}
	pthread_mutex_unlock(&g_lock);
}

/* ---- start-up ---- */

static void usage(FILE *to)
{
	fputs("usage: faultproxy --upstream http://127.0.0.1:PORT [--plan PLAN]\n"
	      "                  [--random RATES [--seed N]] [--log FILE] [--stall-ms MS]\n"
	      "                  [--max-requests N] [--idle-exit SEC]\n"
	      "\n"
	      "Listens on 127.0.0.1 (free port), prints http://127.0.0.1:PORT, forwards to the\n"
	      "loopback upstream and injects faults.  Fault kinds:\n"
	      "  ok throttle throttling 500 503 reset stall truncate nonjson badcrc\n"
	      "  forward-then-500\n"
	      "--plan KIND[*N],...   faults for requests 1, 2, ... in arrival order\n"
	      "--plan-from TARGET    every request passes until the first whose X-Amz-Target\n"
	      "                      holds TARGET (e.g. UpdateItem): the plan counts from it\n"
	      "--random KIND=P,...   after the plan, each request gets KIND with probability P\n"
	      "                      (sum <= 1; the rest pass through); the draw depends only on\n"
	      "                      --seed (default 1) and the request number\n"
	      "--log FILE            append \"<n> <fault> <X-Amz-Target>\" per request\n"
	      "--stall-ms MS         how long stall holds a request (default 30000)\n"
	      "--max-requests N      exit once N requests were answered; later ones are dropped\n"
	      "--idle-exit SEC       exit after SEC idle seconds (default 120, 1..86400)\n",
	      to);
}

/* Only http://127.0.0.1[:PORT][/] or http://localhost[:PORT][/]. */
static bool parse_upstream(const char *s, uint16_t *port)
{
	if (strncasecmp(s, "http://", 7) != 0)
		return false;
	s += 7;
	if (strncmp(s, "127.0.0.1", 9) == 0 || strncasecmp(s, "localhost", 9) == 0)
		s += 9;
	else
		return false;
	uint64_t p = 80;
	if (*s == ':') {
		char digits[6];
		size_t n = strspn(s + 1, "0123456789");
		if (n == 0 || n > 5)
			return false;
		memcpy(digits, s + 1, n);
		digits[n] = '\0';
		if (!parse_u64(digits, 1, 65535, &p))
			return false;
		s += 1 + n;
	}
	if (*s == '/')
		s++;
	if (*s != '\0')
		return false;
	*port = (uint16_t)p;
	return true;
}

static bool parse_plan(const char *s)
{
	size_t n = 1;
	for (const char *q = s; *q; q++)
		n += *q == ',';
	cfg.plan = calloc(n, sizeof *cfg.plan);
	if (!cfg.plan)
		return false;
	cfg.plan_len = 0;
	for (;;) {
		const char *end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		const char *a = s, *e = end;
		while (a < e && *a == ' ')
			a++;
		while (e > a && e[-1] == ' ')
			e--;
		const char *star = memchr(a, '*', (size_t)(e - a));
		uint64_t count = 1;
		if (star) {
			char num[24];
			size_t nl = (size_t)(e - star - 1);
			if (nl == 0 || nl >= sizeof num)
				return false;
			memcpy(num, star + 1, nl);
			num[nl] = '\0';
			if (!parse_u64(num, 1, 1000000000, &count))
				return false;
			e = star;
		}
		enum fault f;
		if (!fault_by_name(a, (size_t)(e - a), &f))
			return false;
		cfg.plan[cfg.plan_len].kind = f;
		cfg.plan[cfg.plan_len].count = count;
		cfg.plan_len++;
		if (!*end)
			return true;
		s = end + 1;
	}
}

static bool parse_rates(const char *s)
{
	bool seen[FK_COUNT] = {false};
	double sum = 0;
	for (;;) {
		const char *end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		const char *eq = memchr(s, '=', (size_t)(end - s));
		if (!eq)
			return false;
		enum fault f;
		if (!fault_by_name(s, (size_t)(eq - s), &f) || seen[f])
			return false;
		char num[32];
		size_t nl = (size_t)(end - eq - 1);
		if (nl == 0 || nl >= sizeof num)
			return false;
		memcpy(num, eq + 1, nl);
		num[nl] = '\0';
		if (strspn(num, "0123456789.") != nl)
			return false;
		char *stop;
		errno = 0;
		double r = strtod(num, &stop);
		if (errno || *stop || !(r >= 0.0 && r <= 1.0))
			return false;
		seen[f] = true;
		cfg.rates[f] = r;
		sum += r;
		if (!*end)
			break;
		s = end + 1;
	}
	return sum <= 1.0 + 1e-9;
}

static void on_signal(int sig)
{
	(void)sig;
	int saved = errno;
	wake_main('t');
	errno = saved;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"upstream", required_argument, NULL, 'u'},
		{"plan", required_argument, NULL, 'p'},
		{"random", required_argument, NULL, 'r'},
		{"seed", required_argument, NULL, 's'},
		{"log", required_argument, NULL, 'l'},
		{"stall-ms", required_argument, NULL, 'S'},
		{"max-requests", required_argument, NULL, 'm'},
		{"idle-exit", required_argument, NULL, 'i'},
		{"plan-from", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *upstream = NULL, *plan = NULL, *rates = NULL, *logpath = NULL;
	uint64_t v;

	cfg.seed = 1;
	cfg.stall_ms = 30000;
	cfg.idle_exit_s = 120;
	for (;;) {
		int o = getopt_long(argc, argv, "", opts, NULL);
		if (o == -1)
			break;
		switch (o) {
		case 'u': upstream = optarg; break;
		case 'p': plan = optarg; break;
		case 'F': cfg.plan_from = optarg; break;
		case 'r': rates = optarg; break;
		case 'l': logpath = optarg; break;
		case 's':
			if (!parse_u64(optarg, 0, UINT64_MAX, &cfg.seed)) {
				diag("--seed wants a non-negative integer");
				return 2;
			}
			break;
		case 'S':
			if (!parse_u64(optarg, 0, 3600000, &v)) {
				diag("--stall-ms wants 0..3600000");
				return 2;
			}
			cfg.stall_ms = (long)v;
			break;
		case 'm':
			if (!parse_u64(optarg, 1, UINT64_MAX, &cfg.max_requests)) {
				diag("--max-requests wants a positive integer");
				return 2;
			}
			break;
		case 'i':
			if (!parse_u64(optarg, 1, 86400, &v)) {
				diag("--idle-exit wants 1..86400 seconds");
				return 2;
			}
			cfg.idle_exit_s = (long)v;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		diag("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if (!upstream) {
		diag("--upstream is required");
		usage(stderr);
		return 2;
	}
	if (!parse_upstream(upstream, &cfg.up_port)) {
		diag("refusing upstream '%s': only http://127.0.0.1:PORT or http://localhost:PORT",
		     upstream);
		return 2;
	}
	if (plan && !parse_plan(plan)) {
		diag("bad --plan '%s' (KIND[*N],... with KIND one of ok throttle throttling 500 503 "
		     "reset stall truncate nonjson badcrc forward-then-500)", plan);
		free(cfg.plan);
		return 2;
	}
	if (rates) {
		if (!parse_rates(rates)) {
			diag("bad --random '%s' (KIND=RATE,... with rates in [0,1] summing to <= 1)",
			     rates);
			free(cfg.plan);
			return 2;
		}
		cfg.random = true;
	}

	int rc = 1, lfd = -1;
	if (logpath) {
		cfg.log = fopen(logpath, "ae");
		if (!cfg.log) {
			diag("cannot open log '%s': %s", logpath, strerror(errno));
			goto done;
		}
	}
	crc_init();
	cfg.id_salt = mix64((uint64_t)getpid() ^ ((uint64_t)time(NULL) << 20));

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	if (pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		diag("pipe: %s", strerror(errno));
		goto done;
	}
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		diag("socket: %s", strerror(errno));
		goto done;
	}
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = 0;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t alen = sizeof addr;
	if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 128) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {
		diag("cannot listen on 127.0.0.1: %s", strerror(errno));
		goto done;
	}
	printf("http://127.0.0.1:%u\n", (unsigned)ntohs(addr.sin_port));
	fflush(stdout);

	pthread_mutex_lock(&g_lock);
	touch_locked();
	pthread_mutex_unlock(&g_lock);

	const char *reason = "idle";
	for (;;) {
		struct pollfd pf[2] = {{.fd = lfd, .events = POLLIN}, {.fd = g_wake[0], .events = POLLIN}};
		int r = poll(pf, 2, 250);
		if (r < 0 && errno != EINTR) {
			diag("poll: %s", strerror(errno));
			break;
		}
		if (r > 0 && (pf[1].revents & POLLIN)) {
			char why = 0;
			if (read(g_wake[0], &why, 1) == 1) {
				reason = why == 'm' ? "max-requests reached" : "signal";
				break;
			}
		}
		if (r > 0 && (pf[0].revents & POLLIN)) {
			int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (cfd >= 0) {
				set_timeouts(cfd, 0, CLIENT_SEND_TIMEOUT_S);
				start_conn(cfd);
			} else if (errno == EMFILE || errno == ENFILE || errno == ENOMEM ||
				   errno == ENOBUFS) {
				poll(NULL, 0, 50); /* out of resources: back off */
			}
		}
		pthread_mutex_lock(&g_lock);
		bool idle = g_inflight == 0 &&
			    ms_between(g_last_activity, now_mono()) >= cfg.idle_exit_s * 1000LL;
		pthread_mutex_unlock(&g_lock);
		if (idle)
			break;
	}

	/* Stop: refuse new connections, wake every thread, wait for them. */
	close(lfd);
	lfd = -1;
	pthread_mutex_lock(&g_lock);
	g_stopping = true;
	for (struct conn *c = g_conns; c; c = c->next) {
		shutdown(c->cfd, SHUT_RDWR);
		if (c->ufd >= 0)
			shutdown(c->ufd, SHUT_RDWR);
	}
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += SHUTDOWN_WAIT_S;
	while (g_nconns > 0) {
		if (pthread_cond_timedwait(&g_cond, &g_lock, &deadline) == ETIMEDOUT)
			break;
	}
	unsigned left = g_nconns;
	pthread_mutex_unlock(&g_lock);
	if (left > 0) {
		/* Threads still use cfg; leave everything as it is. */
		diag("exiting with %u connection(s) still busy", left);
		fflush(NULL);
		_exit(1);
	}
	rc = 0;
	diag("exiting: %s", reason);
done:
	if (lfd >= 0)
		close(lfd);
	if (g_wake[0] >= 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		close(g_wake[0]);
		close(g_wake[1]);
	}
	if (cfg.log)
		fclose(cfg.log);
	free(cfg.plan);
	return rc;
}
