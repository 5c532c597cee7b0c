/* Integration tests of aws/ddb's failure handling.  tests/tools/faultproxy sits
 * between the client and DynamoDB Local and, following a plan or a seeded
 * random draw, answers with throttling errors, 5xx, connection resets, stalls,
 * truncated, non-JSON or bad-CRC answers, or a 500 after the write was really
 * applied.  The client must retry what is retryable, give up with a typed
 * error when it must, never hang, never crash and never leak.
 *
 * The cases are the rows of one table, cases[] at the end: each row names the
 * fault the proxy injects, the client's attempts and timeout, and the calls
 * made with what must come of each (error kind, code, HTTP status, attempts,
 * body, message, time taken, the client's totals, what is stored), then the
 * requests the proxy saw.  The few cases that drive calls asynchronously
 * (status line, soak, cancel, free) name a function instead of calls.  Each
 * row is one cmocka test, run by run_case: it starts its own proxy (and
 * client) and its teardown stops them; the group setup creates one table
 * directly on DynamoDB Local (tests/integration/it-common.h) and the group
 * teardown deletes it.  DDTREE_TEST_ENDPOINT names DynamoDB Local and
 * DDTREE_BUILDDIR the build directory holding tests/tools/faultproxy
 * (tests/harness/run-test sets both). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aws/config.h"
#include "aws/ddb.h"
#include "tests/integration/it-common.h"

extern char **environ;

/* Fixed jitter seed: its first draws give throttling waits of 180 ms and
 * 418 ms, short enough for a fast run and long enough to be observed. */
#define SEED 20u

static const char *upstream;
static char faultproxy[4096];
static char table[96];
static struct it_client direct_ic;
static ddb_client *direct;     /* straight to DynamoDB Local, no proxy */

/* The current case's proxy and client, undone by case_teardown. */
static struct {
	pid_t pid;
	char url[128];
	char log[64];
	struct it_client ic;      /* its client: ic.c */
	struct ddb_result *res[8];   /* results freed by the teardown */
	int n_res;
} cur;

/* ---- helpers ------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static const char *str_or_dash(const char *s)
{
	return s ? s : "-";
}

/* Hand a result to the case's teardown, so that a failed assertion leaks nothing. */
static struct ddb_result *keep(struct ddb_result *r)
{
	assert_non_null(r);
	if (cur.n_res >= (int)(sizeof cur.res / sizeof cur.res[0]))
		fail_msg("too many results kept");
	cur.res[cur.n_res++] = r;
	return r;
}

static struct ddb_result *run(ddb_client *c, const char *op, json_t *req)
{
	return keep(ddb_call_sync(c, op, req));
}

static void expect_ok(const struct ddb_result *r)
{
	if (r->err.kind != DDB_OK)
		fail_msg("%s failed after %d attempt(s): %s: %s: %s", r->op, r->attempts,
		         ddb_error_kind_text(r->err.kind), str_or_dash(r->err.code),
		         str_or_dash(r->err.message));
	assert_non_null(r->body);
	assert_true(json_is_object(r->body));
}

static void expect_kind(const struct ddb_result *r, enum ddb_error_kind k)
{
	if (r->err.kind != k)
		fail_msg("%s: wanted %s, got %s (%s: %s) after %d attempt(s)", r->op,
		         ddb_error_kind_text(k), ddb_error_kind_text(r->err.kind),
		         str_or_dash(r->err.code), str_or_dash(r->err.message), r->attempts);
	if (k != DDB_OK) {
		assert_non_null(r->err.message);
		assert_true(r->err.message[0] != '\0');
	}
}

/* Kill the proxy (SIGTERM, SIGKILL after 10 s) and reap it; returns its wait status. */
static int stop_proxy(void)
{
	int status = 0;
	if (cur.pid <= 0)
		return 0;
	kill(cur.pid, SIGTERM);
	double deadline = now_ms() + 10000;
	for (;;) {
		pid_t w = waitpid(cur.pid, &status, WNOHANG);
		if (w == cur.pid || (w < 0 && errno != EINTR))
			break;
		if (now_ms() > deadline) {
			kill(cur.pid, SIGKILL);
			while (waitpid(cur.pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		sleep_ms(10);
	}
	cur.pid = 0;
	return status;
}

/* What the proxy does to the requests of a case.  With neither a plan nor
 * random odds it forwards every request ("ok"). */
struct fault {
	const char *plan;       /* --plan: one answer per request, in order ("throttle*2,ok") */
	const char *random;     /* --random: answers drawn with these odds ("throttle=0.1,...") */
	const char *seed;       /* --seed of the random draw */
	const char *stall_ms;   /* --stall-ms: how long a "stall" holds a request */
	bool dead;              /* stopped before the first call: nothing listens on its port */
};

/* Start tests/tools/faultproxy with --upstream, --log, --idle-exit 60 and the
 * arguments for the fault f; its URL goes to cur.url. */
static void start_proxy(const struct fault *f)
{
	char *argv[32];
	int n = 0;
	argv[n++] = faultproxy;
	argv[n++] = (char *)"--upstream";
	argv[n++] = (char *)upstream;
	argv[n++] = (char *)"--idle-exit";
	argv[n++] = (char *)"60";
	strcpy(cur.log, "/tmp/it-faults-log-XXXXXX");
	int lfd = mkstemp(cur.log);
	assert_true(lfd >= 0);
	close(lfd);
	argv[n++] = (char *)"--log";
	argv[n++] = cur.log;
	const struct {
		const char *flag, *value;
	} args[] = {
		{"--plan", f->plan}, {"--random", f->random}, {"--seed", f->seed},
		{"--stall-ms", f->stall_ms},
	};
	for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
		if (args[i].value) {
			argv[n++] = (char *)args[i].flag;
			argv[n++] = (char *)args[i].value;
		}
	argv[n] = NULL;

	int p[2];
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	int rc = posix_spawn(&cur.pid, faultproxy, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		cur.pid = 0;
		fail_msg("cannot start %s: %s", faultproxy, strerror(rc));
	}
	size_t len = 0;
	double deadline = now_ms() + 10000;
	while (len < sizeof cur.url - 1 && !memchr(cur.url, '\n', len)) {
		struct pollfd pfd = {.fd = p[0], .events = POLLIN};
		int left = (int)(deadline - now_ms());
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		ssize_t k = read(p[0], cur.url + len, sizeof cur.url - 1 - len);
		if (k <= 0)
			break;
		len += (size_t)k;
		cur.url[len] = '\0';
	}
	close(p[0]);
	cur.url[strcspn(cur.url, "\r\n")] = '\0';
	if (strncmp(cur.url, "http://127.0.0.1:", 17) != 0)
		fail_msg("faultproxy printed no URL (got '%s')", cur.url);
}

static ddb_client *make_client(int max_attempts, long request_timeout_ms)
{
	struct ddb_client_opts co = {
		.max_attempts = max_attempts,
		.connect_timeout_ms = 2000,
		.request_timeout_ms = request_timeout_ms,
		.retry_seed = SEED,
	};
	char *err = NULL;
	if (it_client_open(&cur.ic, cur.url, co, &err) != 0)
		fail_msg("client of %s: %s", cur.url, str_or_dash(err));
	return cur.ic.c;
}

static int case_teardown(void **st)
{
	(void)st;
	for (int i = 0; i < cur.n_res; i++)
		ddb_result_free(cur.res[i]);
	it_client_close(&cur.ic);
	int rv = 0;
	if (cur.pid > 0) {
		int status = stop_proxy();
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			/* e.g. a sanitizer report from the proxy itself */
			fprintf(stderr, "faultproxy did not exit cleanly on SIGTERM (wait status %#x)\n",
			        (unsigned)status);
			rv = -1;
		}
	}
	if (cur.log[0])
		unlink(cur.log);
	memset(&cur, 0, sizeof cur);
	return rv;
}

/* The proxy's log: one "N kind target" line per request.  Returns the number
 * of requests and their kinds joined by ',' into kinds. */
static int proxy_log(char *kinds, size_t len)
{
	FILE *f = fopen(cur.log, "r");
	int n = 0;
	if (kinds && len)
		kinds[0] = '\0';
	if (!f)
		return -1;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		char kind[64];
		unsigned long num;
		if (sscanf(line, "%lu %63s", &num, kind) != 2)
			continue;
		n++;
		if (kinds && len) {
			size_t l = strlen(kinds);
			snprintf(kinds + l, len - l, "%s%s", l ? "," : "", kind);
		}
	}
	fclose(f);
	return n;
}

static void expect_log(const char *want)
{
	char kinds[4096];
	proxy_log(kinds, sizeof kinds);
	assert_string_equal(kinds, want);
}

/* ---- requests -------------------------------------------------------------- */

static json_t *key(const char *pk, const char *sk)
{
	return json_pack("{s:{s:s},s:{s:s}}", "PK", "S", pk, "SK", "S", sk);
}

static json_t *get_req(const char *pk, const char *sk)
{
	return json_pack("{s:s,s:o,s:b}", "TableName", table, "Key", key(pk, sk),
	                 "ConsistentRead", 1);
}

static json_t *put_req(const char *pk, const char *sk, const char *v, bool only_new)
{
	json_t *r = json_pack("{s:s,s:{s:{s:s},s:{s:s},s:{s:s}}}", "TableName", table, "Item",
	                      "PK", "S", pk, "SK", "S", sk, "v", "S", v);
	if (only_new)
		json_object_set_new(r, "ConditionExpression", json_string("attribute_not_exists(PK)"));
	return r;
}

static json_t *query_req(const char *pk, int limit)
{
	return json_pack("{s:s,s:s,s:{s:s},s:{s:{s:s}},s:i,s:b}", "TableName", table,
	                 "KeyConditionExpression", "#p = :p",
	                 "ExpressionAttributeNames", "#p", "PK",
	                 "ExpressionAttributeValues", ":p", "S", pk,
	                 "Limit", limit, "ConsistentRead", 1);
}

/* The item at (pk, sk) read directly from DynamoDB Local (new reference), or NULL. */
static json_t *direct_get(const char *pk, const char *sk)
{
	struct ddb_result *r = ddb_call_sync(direct, "GetItem", get_req(pk, sk));
	bool ok = r->err.kind == DDB_OK;
	json_t *item = json_incref(json_object_get(r->body, "Item"));
	ddb_result_free(r);
	if (!ok)
		fail_msg("direct GetItem %s/%s failed", pk, sk);
	return item;
}

/* How many items the partition pk holds, directly from DynamoDB Local. */
static long direct_count(const char *pk)
{
	json_t *q = query_req(pk, 1000);
	json_object_set_new(q, "Select", json_string("COUNT"));
	struct ddb_result *r = ddb_call_sync(direct, "Query", q);
	bool ok = r->err.kind == DDB_OK;
	long n = (long)json_integer_value(json_object_get(r->body, "Count"));
	ddb_result_free(r);
	if (!ok)
		fail_msg("direct Query %s failed", pk);
	return n;
}

/* ---- group setup ------------------------------------------------------------ */

static int group_setup(void **st)
{
	(void)st;
	upstream = it_endpoint();
	const char *bd = getenv("DDTREE_BUILDDIR");
	if (!upstream || !bd) {
		fprintf(stderr, "DDTREE_TEST_ENDPOINT and DDTREE_BUILDDIR must be set "
		                "(tests/harness/run-test sets them)\n");
		return -1;
	}
	snprintf(faultproxy, sizeof faultproxy, "%s/tests/tools/faultproxy", bd);
	if (access(faultproxy, X_OK) != 0) {
		fprintf(stderr, "%s: %s (make check builds it)\n", faultproxy, strerror(errno));
		return -1;
	}
	it_credentials("AKIDITFAULTS", "it-faults-secret", NULL);
	char *err = NULL;
	if (it_client_open(&direct_ic, upstream, (struct ddb_client_opts){.retry_seed = 1}, &err) != 0) {
		fprintf(stderr, "client of %s: %s\n", upstream, str_or_dash(err));
		free(err);
		it_client_close(&direct_ic);
		return -1;
	}
	direct = direct_ic.c;
	it_unique_name(table, sizeof table, "it-faults");
	if (it_create_pk_sk_table(direct, table) != 0)
		return -1;
	/* an item to read through the proxy: a body worth truncating */
	struct ddb_result *r = ddb_call_sync(direct, "PutItem", put_req("seed", "1",
		"a value long enough that half of the answer is not the answer", false));
	int rv = r->err.kind == DDB_OK ? 0 : -1;
	ddb_result_free(r);
	return rv;
}

static int group_teardown(void **st)
{
	(void)st;
	if (direct) {
		it_delete_table(direct, table);
		it_client_close(&direct_ic);
	}
	return 0;
}

/* ---- the table's vocabulary -------------------------------------------------- */

/* The requests the cases send through the proxy. */
enum fault_req {
	REQ_END,             /* ends a case's calls */
	GET_SEED,            /* GetItem of the seed item (group setup) */
	PUT_NEW_F1,          /* PutItem F#1/x, v = "first", if there is no such item yet */
	SET_F1_SECOND,       /* UpdateItem F#1/x: SET v = "second", returning the new item */
	QUERY_INVALID,       /* Query with an undefined value: ValidationException */
	DESCRIBE_MISSING,    /* DescribeTable of a table that does not exist */
};

/* The operation and item of each request; the body is built by build_request. */
static const struct {
	const char *op;
	const char *pk, *sk;   /* the item read or written, or NULL */
} request_info[] = {
	[GET_SEED] = {"GetItem", "seed", "1"},
	[PUT_NEW_F1] = {"PutItem", "F#1", "x"},
	[SET_F1_SECOND] = {"UpdateItem", "F#1", "x"},
	[QUERY_INVALID] = {"Query", NULL, NULL},
	[DESCRIBE_MISSING] = {"DescribeTable", NULL, NULL},
};

static json_t *build_request(enum fault_req q)
{
	switch (q) {
	case GET_SEED:
		return get_req("seed", "1");
	case PUT_NEW_F1:
		return put_req("F#1", "x", "first", true);
	case SET_F1_SECOND:
		return json_pack("{s:s,s:o,s:s,s:{s:s},s:{s:{s:s}},s:s}", "TableName", table,
		                 "Key", key("F#1", "x"), "UpdateExpression", "SET #v = :v",
		                 "ExpressionAttributeNames", "#v", "v",
		                 "ExpressionAttributeValues", ":v", "S", "second",
		                 "ReturnValues", "ALL_NEW");
	case QUERY_INVALID:
		return json_pack("{s:s,s:s,s:i}", "TableName", table,
		                 "KeyConditionExpression", "PK = :missing", "Limit", 10);
	case DESCRIBE_MISSING:
		return json_pack("{s:s}", "TableName", "it-faults-no-such-table");
	case REQ_END:
		break;
	}
	fail_msg("no request %d", (int)q);
	return NULL;
}

/* Further checks of a call's result (flags of fault_call.checks). */
enum {
	NO_BODY = 1 << 0,      /* no body */
	ERROR_BODY = 1 << 1,   /* the error document is kept as the body */
	NO_CODE = 1 << 2,      /* no error code */
	REQUEST_ID = 1 << 3,   /* the server's request id is kept */
	NO_HTTP = 1 << 4,      /* no HTTP answer: status 0 */
	NAMES_URL = 1 << 5,    /* the message names the endpoint (the proxy's URL) */
};

/* One synchronous call of a case and what must come of it.  Every call
 * checks the error kind (an error has a message; DDB_OK has a JSON object
 * body, and for GET_SEED the seed item) and the attempts; the rest is
 * checked when given. */
struct fault_call {
	enum fault_req req;
	enum ddb_error_kind kind;
	int attempts;             /* HTTP attempts made */
	const char *code;         /* err.code */
	long http;                /* err.http_status (NO_HTTP: none) */
	const char *message;      /* a part of err.message */
	unsigned checks;          /* NO_BODY, ERROR_BODY, ... */
	double elapsed_under_ms;  /* r->elapsed_ms is less than this */
	double elapsed_min_ms;    /* r->elapsed_ms is at least this */
	double wall_under_ms;     /* the call returned within this, measured here */
	const char *stats;        /* the client's totals after the call: "retries=2 throttles=0" */
	const char *returns_v;    /* the answer's Attributes have this v */
	const char *stored_v;     /* read directly afterwards, the request's item has this v
	                             and is the only item of its partition */
};

#define MAX_CALLS 3

struct fault_case {
	const char *name;
	struct fault fault;
	int max_attempts;         /* the client's */
	long timeout_ms;          /* per attempt */
	struct fault_call calls[MAX_CALLS + 1];   /* in order, up to REQ_END */
	void (*drive)(ddb_client *c);   /* or: a case that drives its calls itself */
	const char *log;          /* the proxy's log: the answers it gave, in order */
	int requests;             /* how many requests reached the proxy */
};

/* ---- running a row ------------------------------------------------------------ */

/* The client's totals against "name=value ..." (calls, attempts, retries, throttles). */
static void expect_stats(ddb_client *c, const char *want)
{
	struct ddb_stats s;
	ddb_client_stats(c, &s);
	const struct {
		const char *name;
		long value;
	} got[] = {
		{"calls", s.calls}, {"attempts", s.attempts}, {"retries", s.retries},
		{"throttles", s.throttles},
	};
	char name[32];
	long v;
	int used;
	for (const char *p = want; sscanf(p, " %31[a-z]=%ld%n", name, &v, &used) == 2; p += used) {
		size_t i = 0;
		while (i < sizeof got / sizeof got[0] && strcmp(got[i].name, name))
			i++;
		if (i == sizeof got / sizeof got[0])
			fail_msg("no statistic named %s", name);
		if (got[i].value != v)
			fail_msg("stats: %s is %ld, wanted %ld", name, got[i].value, v);
	}
}

static void do_call(ddb_client *c, const struct fault_call *w)
{
	double t0 = now_ms();
	struct ddb_result *r = run(c, request_info[w->req].op, build_request(w->req));
	double took = now_ms() - t0;
	if (w->kind == DDB_OK) {
		expect_ok(r);
		if (w->req == GET_SEED) {
			const json_t *item = json_object_get(r->body, "Item");
			assert_non_null(ddb_item_s(item, "v"));
			assert_string_equal(ddb_item_s(item, "SK"), "1");
		}
	} else {
		expect_kind(r, w->kind);
	}
	assert_int_equal(r->attempts, w->attempts);
	if (w->code)
		assert_string_equal(r->err.code, w->code);
	if (w->checks & NO_CODE)
		assert_null(r->err.code);
	if (w->http)
		assert_int_equal(r->err.http_status, w->http);
	if (w->checks & NO_HTTP)
		assert_int_equal(r->err.http_status, 0);
	if (w->checks & NO_BODY)
		assert_null(r->body);
	if (w->checks & ERROR_BODY)
		assert_non_null(r->body);
	if (w->checks & REQUEST_ID)
		assert_non_null(r->err.request_id);
	if (w->message)
		assert_non_null(strstr(r->err.message, w->message));
	if ((w->checks & NAMES_URL) && !strstr(r->err.message, cur.url))
		fail_msg("message does not name %s: %s", cur.url, r->err.message);
	if (w->elapsed_under_ms && !(r->elapsed_ms < w->elapsed_under_ms))
		fail_msg("%s took %.0f ms (%d attempts), not under %.0f ms", r->op, r->elapsed_ms,
		         r->attempts, w->elapsed_under_ms);
	if (w->elapsed_min_ms && r->elapsed_ms < w->elapsed_min_ms)
		fail_msg("%s took %.0f ms, less than %.0f ms", r->op, r->elapsed_ms, w->elapsed_min_ms);
	if (w->wall_under_ms && !(took < w->wall_under_ms))
		fail_msg("%s returned after %.0f ms, not under %.0f ms", r->op, took, w->wall_under_ms);
	if (w->stats)
		expect_stats(c, w->stats);
	if (w->returns_v)
		assert_string_equal(ddb_item_s(json_object_get(r->body, "Attributes"), "v"), w->returns_v);
	if (w->stored_v) {
		const char *pk = request_info[w->req].pk, *sk = request_info[w->req].sk;
		json_t *item = direct_get(pk, sk);
		assert_non_null(item);
		bool same = !strcmp(str_or_dash(ddb_item_s(item, "v")), w->stored_v);
		json_decref(item);
		if (!same)
			fail_msg("%s/%s: v is not %s", pk, sk, w->stored_v);
		assert_int_equal(direct_count(pk), 1);
	}
}

/* One row of cases[] (its cmocka state). */
static void run_case(void **st)
{
	const struct fault_case *fc = *st;
	start_proxy(&fc->fault);
	if (fc->fault.dead) {
		int status = stop_proxy();   /* keeps cur.url: a loopback port with nothing behind it */
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ddb_client *c = make_client(fc->max_attempts, fc->timeout_ms);
	if (fc->drive)
		fc->drive(c);
	for (int i = 0; i < MAX_CALLS && fc->calls[i].req != REQ_END; i++)
		do_call(c, &fc->calls[i]);
	if (fc->requests)
		assert_int_equal(proxy_log(NULL, 0), fc->requests);
	if (fc->log)
		expect_log(fc->log);
}

/* ---- the cases that drive their calls themselves ------------------------------- */

/* the status line while a retry waits */

struct status_probe {
	bool done;
	enum ddb_error_kind kind;
	int attempts;
	char at_callback[160];
};

static void status_cb(struct ddb_result *r, void *ud)
{
	struct status_probe *p = ud;
	p->done = true;
	p->kind = r->err.kind;
	p->attempts = r->attempts;
	ddb_client_status(cur.ic.c, p->at_callback, sizeof p->at_callback);
}

static void drive_status_while_throttled(ddb_client *c)
{
	char s[160];
	ddb_client_status(c, s, sizeof s);
	assert_string_equal(s, "");

	struct status_probe p = {0};
	ddb_submit(c, "GetItem", get_req("seed", "1"), status_cb, &p);
	char seen[160] = "";
	double deadline = now_ms() + 10000;
	while (!p.done && now_ms() < deadline) {
		ddb_client_status(c, s, sizeof s);
		if (!seen[0] && (strstr(s, "throttled") || strstr(s, "retry")))
			snprintf(seen, sizeof seen, "%s", s);
		struct pollfd pfd = {.fd = ddb_client_fd(c), .events = POLLIN};
		if (poll(&pfd, 1, 5) > 0)
			ddb_client_dispatch(c);
	}
	assert_true(p.done);
	assert_int_equal(p.kind, DDB_OK);
	assert_int_equal(p.attempts, 3);
	if (!seen[0])
		fail_msg("no throttled/retry status seen while the call waited");
	assert_non_null(strstr(seen, "GetItem"));
	assert_non_null(strstr(seen, "/3"));
	/* idle once the last call completed, already when its callback runs */
	if (p.at_callback[0])
		fail_msg("status still '%s' in the completion callback of the last call",
		         p.at_callback);
	ddb_client_status(c, s, sizeof s);
	assert_string_equal(s, "");
	assert_int_equal(ddb_client_pending(c), 0);
}

/* soak: random faults, many calls in flight */

#define SOAK_CALLS 200
#define SOAK_WINDOW 12

enum soak_op { SOAK_PUT, SOAK_GET, SOAK_QUERY };

struct soak_call {
	enum soak_op op;
	int idx;
	bool done;
	enum ddb_error_kind kind;
	bool ccf;          /* ConditionalCheckFailedException */
	int attempts;
	char why[200];     /* a problem found in the callback, or "" */
};

static struct soak_call soak[SOAK_CALLS];
static int soak_inflight, soak_done;

static void soak_cb(struct ddb_result *r, void *ud)
{
	struct soak_call *x = ud;
	x->done = true;
	x->kind = r->err.kind;
	x->attempts = r->attempts;
	soak_inflight--;
	soak_done++;
	if (r->attempts < 1 || r->attempts > 3)
		snprintf(x->why, sizeof x->why, "attempts %d", r->attempts);
	if (r->err.kind == DDB_OK) {
		if (!json_is_object(r->body)) {
			snprintf(x->why, sizeof x->why, "DDB_OK without a body");
			return;
		}
		if (x->op == SOAK_QUERY) {
			json_t *items = json_object_get(r->body, "Items");
			if (!json_is_array(items) || json_array_size(items) > 5)
				snprintf(x->why, sizeof x->why, "Query: bad Items");
			size_t i;
			json_t *it;
			json_array_foreach(items, i, it) {
				const char *sk = ddb_item_s(it, "SK"), *v = ddb_item_s(it, "v");
				char want[32];
				snprintf(want, sizeof want, "v%s", sk ? sk : "?");
				if (!sk || !v || strcmp(v, want))
					snprintf(x->why, sizeof x->why, "Query: item %s has v %s",
					         str_or_dash(sk), str_or_dash(v));
			}
		} else if (x->op == SOAK_GET) {
			json_t *it = json_object_get(r->body, "Item");
			char sk[16];
			snprintf(sk, sizeof sk, "%04d", x->idx);
			if (it && strcmp(str_or_dash(ddb_item_s(it, "SK")), sk))
				snprintf(x->why, sizeof x->why, "GetItem %s returned another item", sk);
		}
		return;
	}
	if (!r->err.message || !r->err.message[0])
		snprintf(x->why, sizeof x->why, "%s without a message", ddb_error_kind_text(r->err.kind));
	switch (r->err.kind) {
	case DDB_ERR_SERVICE:
		if (!r->err.code || !r->err.code[0])
			snprintf(x->why, sizeof x->why, "service error without a code");
		else
			x->ccf = !strcmp(r->err.code, "ConditionalCheckFailedException");
		if (x->ccf && x->op != SOAK_PUT)
			snprintf(x->why, sizeof x->why, "ConditionalCheckFailed on a read");
		break;
	case DDB_ERR_NETWORK:
	case DDB_ERR_TIMEOUT:
	case DDB_ERR_CRC:
	case DDB_ERR_PROTOCOL:
		if (r->body)
			snprintf(x->why, sizeof x->why, "%s with a body", ddb_error_kind_text(r->err.kind));
		break;
	default:
		snprintf(x->why, sizeof x->why, "unexpected error kind %s: %s",
		         ddb_error_kind_text(r->err.kind), str_or_dash(r->err.message));
		break;
	}
}

static void soak_submit(ddb_client *c, int i)
{
	struct soak_call *x = &soak[i];
	char sk[16], v[32];
	memset(x, 0, sizeof *x);
	x->idx = i;
	switch (i % 3) {
	case 0:
		x->op = SOAK_PUT;
		snprintf(sk, sizeof sk, "%04d", i);
		snprintf(v, sizeof v, "v%s", sk);
		ddb_submit(c, "PutItem", put_req("soak", sk, v, true), soak_cb, x);
		break;
	case 1:
		x->op = SOAK_GET;
		x->idx = i - 1;   /* an earlier put: it may or may not be there yet */
		snprintf(sk, sizeof sk, "%04d", x->idx);
		ddb_submit(c, "GetItem", get_req("soak", sk), soak_cb, x);
		break;
	default:
		x->op = SOAK_QUERY;
		ddb_submit(c, "Query", query_req("soak", 5), soak_cb, x);
		break;
	}
	soak_inflight++;
}

static void drive_soak(ddb_client *c)
{
	soak_inflight = soak_done = 0;
	int next = 0;
	double t0 = now_ms(), deadline = t0 + 25000;
	while (soak_done < SOAK_CALLS && now_ms() < deadline) {
		while (next < SOAK_CALLS && soak_inflight < SOAK_WINDOW)
			soak_submit(c, next++);
		struct pollfd pfd = {.fd = ddb_client_fd(c), .events = POLLIN};
		if (poll(&pfd, 1, 200) > 0)
			ddb_client_dispatch(c);
	}
	if (soak_done < SOAK_CALLS)
		fail_msg("soak: %d of %d calls completed in %.0f ms (hang?)", soak_done, SOAK_CALLS,
		         now_ms() - t0);
	assert_int_equal(ddb_client_pending(c), 0);

	int ok = 0, errors = 0, ccf = 0, retried = 0;
	long attempts = 0;
	for (int i = 0; i < SOAK_CALLS; i++) {
		struct soak_call *x = &soak[i];
		if (x->why[0])
			fail_msg("soak call %d: %s", i, x->why);
		attempts += x->attempts;
		retried += x->attempts > 1;
		if (x->kind == DDB_OK)
			ok++;
		else
			errors++;
		if (x->op != SOAK_PUT)
			continue;
		char sk[16];
		snprintf(sk, sizeof sk, "%04d", x->idx);
		json_t *item = direct_get("soak", sk);
		if (x->kind == DDB_OK && !item)
			fail_msg("soak: PutItem %s reported success but the item is missing", sk);
		if (x->ccf) {
			/* keys are distinct: only an earlier attempt of this very call
			 * (forwarded, then truncated or given a bad CRC) could have
			 * written it */
			ccf++;
			if (!item)
				fail_msg("soak: PutItem %s: ConditionalCheckFailed but no item", sk);
			if (x->attempts < 2)
				fail_msg("soak: PutItem %s: ConditionalCheckFailed on the first attempt", sk);
		}
		if (item) {
			char v[32];
			snprintf(v, sizeof v, "v%s", sk);
			assert_string_equal(ddb_item_s(item, "v"), v);
		}
		json_decref(item);
	}
	int requests = proxy_log(NULL, 0);
	struct ddb_stats s;
	ddb_client_stats(c, &s);
	print_message("# soak: %d ok, %d errors (%d conditional after a forwarded attempt), "
	              "%d calls retried, %ld attempts, %d proxied requests, %.1f s\n",
	              ok, errors, ccf, retried, attempts, requests, (now_ms() - t0) / 1000);
	assert_int_equal(s.calls, SOAK_CALLS);
	assert_true(retried > 0);
	assert_true(s.retries > 0 && s.throttles > 0);
	assert_true(requests >= attempts);   /* every attempt reached the proxy */
	assert_true(ok >= SOAK_CALLS * 3 / 4);
}

/* cancel during a stall */

struct cancel_probe {
	bool done;
	enum ddb_error_kind kind;
	bool body;
	double at;
};

static void cancel_cb(struct ddb_result *r, void *ud)
{
	struct cancel_probe *p = ud;
	p->done = true;
	p->kind = r->err.kind;
	p->body = r->body != NULL;
	p->at = now_ms();
}

static void drive_cancel_during_stall(ddb_client *c)
{
	struct cancel_probe p = {0};
	ddb_call *call = ddb_submit(c, "GetItem", get_req("seed", "1"), cancel_cb, &p);
	/* wait until the request is at the proxy, stalled */
	double deadline = now_ms() + 5000;
	while (proxy_log(NULL, 0) < 1 && now_ms() < deadline)
		sleep_ms(10);
	assert_int_equal(proxy_log(NULL, 0), 1);
	sleep_ms(100);
	assert_false(p.done);
	double t0 = now_ms();
	ddb_cancel(c, call);
	deadline = t0 + 5000;
	while (!p.done && now_ms() < deadline)
		ddb_client_wait(c, 100);
	assert_true(p.done);
	assert_int_equal(p.kind, DDB_ERR_CANCELLED);
	assert_false(p.body);
	if (p.at - t0 > 1000)
		fail_msg("cancel took %.0f ms", p.at - t0);
	assert_int_equal(ddb_client_pending(c), 0);
	assert_int_equal(proxy_log(NULL, 0), 1);   /* not retried */
}

/* freeing the client with a call in flight */

static void drive_free_with_call_in_flight(ddb_client *c)
{
	ddb_submit(c, "GetItem", get_req("seed", "1"), NULL, NULL);
	double deadline = now_ms() + 5000;
	while (proxy_log(NULL, 0) < 1 && now_ms() < deadline)
		sleep_ms(10);
	assert_int_equal(proxy_log(NULL, 0), 1);
	assert_int_equal(ddb_client_pending(c), 1);
	double t0 = now_ms();
	ddb_client_free(c);   /* drops the call without a callback; LeakSanitizer checks the rest */
	cur.ic.c = NULL;
	if (now_ms() - t0 > 2000)
		fail_msg("ddb_client_free took %.0f ms", now_ms() - t0);
}

/* ---- the cases ------------------------------------------------------------------ */

static const struct fault_case cases[] = {
	/* 1. throttling, then success */
	{"test_throttle_then_ok", {.plan = "throttle,ok"}, 3, 5000,
	 .calls = {{GET_SEED, DDB_OK, 2, .http = 200, .elapsed_under_ms = 5000,
	            .stats = "calls=1 retries=1 throttles=1"}},
	 .requests = 2, .log = "throttle,ok"},
	/* the stats count HTTP attempts too ("Totals since the client was created") */
	{"test_stats_count_attempts", {.plan = "throttle,ok"}, 3, 5000,
	 .calls = {{GET_SEED, DDB_OK, 2, .stats = "calls=1 attempts=2"}}},
	/* 2. throttled on every attempt: give up */
	{"test_throttle_gives_up", {.plan = "throttle*3"}, 3, 5000,
	 .calls = {{GET_SEED, DDB_ERR_SERVICE, 3, "ProvisionedThroughputExceededException", 400,
	            "provisioned throughput", REQUEST_ID | ERROR_BODY,
	            .stats = "retries=2 throttles=2"}},
	 .log = "throttle,throttle,throttle"},
	/* 3. ThrottlingException is throttling too */
	{"test_throttling_exception_retried", {.plan = "throttling,ok,throttling*2"}, 2, 5000,
	 .calls = {{GET_SEED, DDB_OK, 2},
	           {GET_SEED, DDB_ERR_SERVICE, 2, "ThrottlingException", .stats = "throttles=2"}},
	 .log = "throttling,ok,throttling,throttling"},
	/* 4. 500 and 503: transient errors back off from 50 ms (waits of at most
	 * 50 and 100 ms), and are not throttling */
	{"test_5xx_retried", {.plan = "500,503,ok,503*3"}, 3, 5000,
	 .calls = {{GET_SEED, DDB_OK, 3, .elapsed_under_ms = 1500, .stats = "retries=2 throttles=0"},
	           {GET_SEED, DDB_ERR_SERVICE, 3, "ServiceUnavailable", 503}},
	 .log = "500,503,ok,503,503,503"},
	/* 5. connection resets */
	{"test_reset_then_ok", {.plan = "reset,ok"}, 3, 5000,
	 .calls = {{GET_SEED, DDB_OK, 2}},
	 .log = "reset,ok"},
	{"test_reset_exhausts_attempts", {.plan = "reset*3"}, 3, 5000,
	 .calls = {{GET_SEED, DDB_ERR_NETWORK, 3, .checks = NO_HTTP | NO_BODY | NO_CODE | NAMES_URL}},
	 .log = "reset,reset,reset"},
	/* 6. stalls: per-attempt timeout, bounded total (a hang bound, not a
	 * performance test) */
	{"test_stall_times_out", {.plan = "stall*3", .stall_ms = "20000"}, 3, 300,
	 .calls = {{GET_SEED, DDB_ERR_TIMEOUT, 3, .checks = NO_HTTP | NO_BODY | NAMES_URL,
	            .elapsed_min_ms = 3 * 300 - 50, .wall_under_ms = 10000}},
	 .log = "stall,stall,stall"},
	/* 7. truncated bodies */
	{"test_truncate_then_ok", {.plan = "truncate,ok"}, 3, 5000,
	 .calls = {{GET_SEED, DDB_OK, 2}},
	 .log = "truncate,ok"},
	{"test_truncate_exhausts_attempts", {.plan = "truncate*2"}, 2, 5000,
	 .calls = {{GET_SEED, DDB_ERR_NETWORK, 2, .checks = NO_BODY}},
	 .log = "truncate,truncate"},
	/* 8. non-JSON answers */
	{"test_nonjson", {.plan = "nonjson,ok,nonjson*2"}, 2, 5000,
	 .calls = {{GET_SEED, DDB_OK, 2},
	           {GET_SEED, DDB_ERR_PROTOCOL, 2, .http = 200, .message = "not a JSON object",
	            .checks = NO_BODY}},
	 .log = "nonjson,ok,nonjson,nonjson"},
	/* 9. x-amz-crc32 mismatches */
	{"test_badcrc", {.plan = "badcrc,ok,badcrc*3"}, 3, 5000,
	 .calls = {{GET_SEED, DDB_OK, 2},
	           {GET_SEED, DDB_ERR_CRC, 3, .message = "x-amz-crc32", .checks = NO_BODY}},
	 .log = "badcrc,ok,badcrc,badcrc,badcrc"},
	/* 10. a 500 after the write was applied: a conditional create is applied
	 * by the first attempt and refused on the retry; an idempotent SET is
	 * applied twice to the same effect and reported OK */
	{"test_forward_then_500", {.plan = "forward-then-500,ok,forward-then-500,ok"}, 3, 5000,
	 .calls = {{PUT_NEW_F1, DDB_ERR_SERVICE, 2, "ConditionalCheckFailedException", 400,
	            .stored_v = "first"},
	           {SET_F1_SECOND, DDB_OK, 2, .returns_v = "second", .stored_v = "second"}},
	 .log = "forward-then-500,ok,forward-then-500,ok"},
	/* 11. errors that must not be retried */
	{"test_non_retryable_not_retried", {0}, 3, 5000,
	 .calls = {{QUERY_INVALID, DDB_ERR_SERVICE, 1, "ValidationException", 400},
	           {DESCRIBE_MISSING, DDB_ERR_SERVICE, 1, "ResourceNotFoundException",
	            .stats = "retries=0"}},
	 .requests = 2},
	/* 12. the status line while a retry waits */
	{"test_status_while_throttled", {.plan = "throttle*2,ok"}, 3, 5000,
	 .drive = drive_status_while_throttled},
	/* 13. soak: random faults, many calls in flight */
	{"test_soak_random_faults",
	 {.random = "throttle=0.1,500=0.05,reset=0.05,truncate=0.05,nonjson=0.02,badcrc=0.05",
	  .seed = "42"}, 3, 5000,
	 .drive = drive_soak},
	/* 14. cancel during a stall */
	{"test_cancel_during_stall", {.plan = "stall", .stall_ms = "20000"}, 3, 15000,
	 .drive = drive_cancel_during_stall},
	/* freeing the client with a call in flight */
	{"test_free_with_call_in_flight", {.plan = "stall", .stall_ms = "20000"}, 3, 15000,
	 .drive = drive_free_with_call_in_flight},
	/* 15. nothing listening */
	{"test_dead_endpoint", {.dead = true}, 3, 2000,
	 .calls = {{GET_SEED, DDB_ERR_NETWORK, 3, .checks = NO_HTTP | NO_BODY | NAMES_URL,
	            .wall_under_ms = 10000, .stats = "retries=2"}}},
};

#define N_CASES (sizeof cases / sizeof cases[0])

int main(void)
{
	/* one cmocka test per row; the row is the test's state (the group setup
	 * leaves the group state NULL, so cmocka hands each test its own) */
	struct CMUnitTest tests[N_CASES];
	for (size_t i = 0; i < N_CASES; i++)
		tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, case_teardown,
		                               (void *)&cases[i]};
	return cmocka_run_group_tests_name("it-faults", tests, group_setup, group_teardown);
}
