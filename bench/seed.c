/* bench/seed.c: fill DynamoDB Local with the benchmark data set, in exactly the
 * shapes Chainlit's data layer and Stache's providers write (SCHEMAS.md B.2-B.5,
 * A.1, A.3), with ddtree's own client (aws/ddb.h): BatchWriteItem, 25 puts per
 * request, several requests in flight, UnprocessedItems resent.
 *
 * The tables must exist (bench/run creates them with `ddtree demo --prefix P`,
 * which uses the libraries' templates).  Every id is derived from a counter,
 * so two runs write the same items.  Each section is written with its first
 * item last, after every other write of the section has been acknowledged;
 * a section whose first item exists is skipped, so an interrupted seed
 * resumes and a finished one costs a few GetItems.
 *
 * Data set (counts are scaled by --scale, 1.0 = the full set):
 *   chainlit  1 user with 20,000 threads, 5 steps each, feedback on the
 *             assistant message of one thread in 4;
 *             100,000 more threads (thread items only) across users:
 *             4 users with 20,000 each and 1,000 users with 20 each;
 *   documents 20,000 documents in namespace "bench/docs";
 *   namespaces a tree of 1,000 namespaces (10 roots x 9 children x 10
 *             grandchildren; "bench/docs" is one of them).
 *
 * Usage: bench-seed --endpoint-url URL --prefix P [--scale F] [--in-flight N]
 *        [--force] [--print-users]
 */
#include "ddconfig.h"

#include "aws/config.h"
#include "aws/ddb.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEC 1000000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
/* 2026-06-01T08:00:00Z: the newest thread / document */
#define NEWEST_US (1780300800LL * SEC)

static const char *prefix = "bench-";
static double scale = 1.0;
static int in_flight_max = 8;
static bool force;
static ddb_client *cli;

static char t_chainlit[256], t_docs[256], t_ns[256];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench-seed: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static long scaled(long n)
{
	long v = (long)(n * scale + 0.5);
	return v < 1 ? 1 : v;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- deterministic ids and text ------------------------------------------------ */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A uuid4-shaped id from (kind, index). */
static void uuid(uint64_t kind, uint64_t i, char out[37])
{
	uint64_t a = mix(kind * 0x100000001b3ULL ^ i), b = mix(a ^ 0x5bd1e995ULL);
	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
	         (unsigned)(a >> 16) & 0xffffu, (unsigned)a & 0xfffu,
	         (unsigned)((b >> 48) & 0x3fffu) | 0x8000u,
	         (unsigned long long)(b & 0xffffffffffffULL));
}

static void hex64(uint64_t seed, char out[65])
{
	for (int k = 0; k < 4; k++)
		snprintf(out + 16 * k, 17, "%016" PRIx64, mix(seed + (uint64_t)k));
}

/* Chainlit: naive ISO 8601 + "Z", the fraction left out when it is 0. */
static void ts_chainlit(int64_t us, char out[40])
{
	time_t s = (time_t)(us / SEC);
	long frac = (long)(us % SEC);
	struct tm tm;
	gmtime_r(&s, &tm);
	size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac)
		snprintf(out + n, 40 - n, ".%06ldZ", frac);
	else
		snprintf(out + n, 40 - n, "Z");
}

/* Stache: ISO 8601 + "+00:00", the fraction left out when it is 0. */
static void ts_stache(int64_t us, char out[40])
{
	time_t s = (time_t)(us / SEC);
	long frac = (long)(us % SEC);
	struct tm tm;
	gmtime_r(&s, &tm);
	size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac)
		snprintf(out + n, 40 - n, ".%06ld+00:00", frac);
	else
		snprintf(out + n, 40 - n, "+00:00");
}

static const char *const topics[] = {
	"the Q3 incident report", "our on-call runbook", "the billing export job",
	"the onboarding checklist", "the DynamoDB capacity plan", "last week's retro notes",
	"the API rate limits", "the data retention policy", "the search relevance metrics",
	"the vendor contract renewal", "the release train schedule", "the GPU budget",
};
static const char *const verbs[] = {
	"Summarise", "Explain", "Draft a reply about", "List the risks in", "Translate",
	"Compare the options in", "Find the owner of", "Check the numbers in",
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static json_t *S(const char *s) { return json_pack("{s:s}", "S", s); }
static json_t *N(long long v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", v);
	return json_pack("{s:s}", "N", b);
}
static json_t *Nstr(const char *v) { return json_pack("{s:s}", "N", v); }
static json_t *B(bool v) { return json_pack("{s:b}", "BOOL", v); }
static json_t *NUL(void) { return json_pack("{s:b}", "NULL", 1); }
static json_t *M(json_t *m) { return json_pack("{s:o}", "M", m); }
static json_t *L(json_t *l) { return json_pack("{s:o}", "L", l); }

/* ---- the writer: BatchWriteItem, several in flight -------------------------------- */

struct batch {
	char *table;
	json_t *writes;   /* array of PutRequest */
	int rounds;
};

static int inflight;
static long written, resent;

static void submit_batch(struct batch *b);

static void batch_done(struct ddb_result *r, void *ud)
{
	struct batch *b = ud;
	inflight--;
	if (r->err.kind != DDB_OK)
		die("BatchWriteItem on %s: %s: %s", b->table, r->err.code ? r->err.code : "",
		    r->err.message ? r->err.message : ddb_error_kind_text(r->err.kind));
	json_t *un = json_object_get(json_object_get(r->body, "UnprocessedItems"), b->table);
	size_t left = json_array_size(un);
	written += (long)(json_array_size(b->writes) - left);
	if (left) {
		if (++b->rounds > 20)
			die("items stayed unprocessed in %s after 20 rounds", b->table);
		resent += (long)left;
		json_t *again = json_incref(un);
		json_decref(b->writes);
		b->writes = again;
		struct timespec ts = {0, 20000000L * b->rounds};
		nanosleep(&ts, NULL);
		submit_batch(b);
		return;
	}
	json_decref(b->writes);
	free(b->table);
	free(b);
}

static void submit_batch(struct batch *b)
{
	while (inflight >= in_flight_max)
		ddb_client_wait(cli, 1000);
	json_t *req = json_pack("{s:{s:O}}", "RequestItems", b->table, b->writes);
	inflight++;
	ddb_submit(cli, "BatchWriteItem", req, batch_done, b);
}

struct writer {
	const char *table;
	json_t *pending;
	json_t *first;    /* the section's sentinel, written last */
	long n;
};

static void writer_init(struct writer *w, const char *table)
{
	w->table = table;
	w->pending = json_array();
	w->first = NULL;
	w->n = 0;
}

static void writer_flush(struct writer *w)
{
	if (!json_array_size(w->pending))
		return;
	struct batch *b = calloc(1, sizeof *b);
	if (!b)
		abort();
	b->table = strdup(w->table);
	b->writes = w->pending;
	w->pending = json_array();
	submit_batch(b);
	/* run the callbacks of finished batches without waiting */
	ddb_client_dispatch(cli);
}

static void put(struct writer *w, json_t *item)
{
	if (!w->first && w->n == 0) {
		w->first = item;
		w->n++;
		return;
	}
	json_array_append_new(w->pending, json_pack("{s:{s:o}}", "PutRequest", "Item", item));
	w->n++;
	if (json_array_size(w->pending) == 25)
		writer_flush(w);
}

/* Everything acknowledged, then the sentinel. */
static void writer_finish(struct writer *w)
{
	writer_flush(w);
	ddb_client_drain(cli);
	if (w->first) {
		json_array_append_new(w->pending, json_pack("{s:{s:o}}", "PutRequest", "Item", w->first));
		w->first = NULL;
		writer_flush(w);
		ddb_client_drain(cli);
	}
	json_decref(w->pending);
	w->pending = NULL;
}

static bool item_exists(const char *table, json_t *key)
{
	json_t *req = json_pack("{s:s,s:o}", "TableName", table, "Key", key);
	struct ddb_result *r = ddb_call_sync(cli, "GetItem", req);
	if (r->err.kind != DDB_OK)
		die("GetItem on %s: %s: %s", table, r->err.code ? r->err.code : "",
		    r->err.message ? r->err.message : ddb_error_kind_text(r->err.kind));
	bool found = json_object_get(r->body, "Item") != NULL;
	ddb_result_free(r);
	return found;
}

static bool section_done(const char *name, const char *table, json_t *key)
{
	if (!force && item_exists(table, key)) {
		fprintf(stderr, "bench-seed: %s: already there, skipped\n", name);
		return true;
	}
	return false;
}

static void section_report(const char *name, long n, double t0)
{
	double dt = now_s() - t0;
	fprintf(stderr, "bench-seed: %s: %ld items in %.1f s (%.0f items/s)\n", name, n, dt,
	        dt > 0 ? n / dt : 0.0);
}

/* ---- Chainlit ------------------------------------------------------------------- */

enum { K_THREAD = 1, K_STEP, K_DOC, K_CHUNK, K_NS };

static json_t *user_item(const char *ident, int64_t created_us, int k)
{
	char ts[40];
	ts_chainlit(created_us, ts);
	char pk[300];
	snprintf(pk, sizeof pk, "USER#%s", ident);
	json_t *meta = json_object();
	json_object_set_new(meta, "provider", S(k % 3 == 0 ? "credentials" : k % 3 == 1 ? "google" : "azure-ad"));
	json_object_set_new(meta, "role", S(k % 10 == 0 ? "admin" : "user"));
	json_object_set_new(meta, "image", NUL());
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "PK", S(pk), "SK", S("USER"), "id", S(ident),
	                 "identifier", S(ident), "metadata", M(meta), "createdAt", S(ts));
}

/* A thread as update_thread leaves it (B.3). */
static json_t *thread_item(const char *tid, const char *user, int64_t us, uint64_t n)
{
	char ts[40], tsk[48], pk[64], upk[300], name[200];
	ts_chainlit(us, ts);
	snprintf(tsk, sizeof tsk, "TS#%s", ts);
	snprintf(pk, sizeof pk, "THREAD#%s", tid);
	snprintf(upk, sizeof upk, "USER#%s", user);
	snprintf(name, sizeof name, "%s %s (#%" PRIu64 ")", verbs[n % NELEM(verbs)],
	         topics[(n / NELEM(verbs)) % NELEM(topics)], n);
	char sid[37];
	uuid(99, n, sid);
	json_t *settings = json_object();
	json_object_set_new(settings, "model", S(n % 2 ? "gpt-4o" : "gpt-4o-mini"));
	json_object_set_new(settings, "temperature", Nstr(n % 3 ? "0.5" : "0.2"));
	json_t *meta = json_object();
	json_object_set_new(meta, "id", S(sid));
	json_object_set_new(meta, "env", M(json_object()));
	json_object_set_new(meta, "chat_profile", S(n % 2 ? "Analyst" : "Assistant"));
	json_object_set_new(meta, "client_type", S("webapp"));
	json_object_set_new(meta, "chat_settings", M(settings));
	json_t *tags = json_array();
	json_array_append_new(tags, S(n % 2 ? "Analyst" : "Assistant"));
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "PK", S(pk), "SK", S("THREAD"),
	                 "UserThreadPK", S(upk), "UserThreadSK", S(tsk), "id", S(tid),
	                 "createdAt", S(ts), "name", S(name), "userId", S(user),
	                 "userIdentifier", S(user), "tags", L(tags), "metadata", M(meta));
}

static json_t *step_base(const char *tid, const char *sid, const char *parent, int64_t us,
                         const char *name, const char *type)
{
	char pk[64], sk[64], ts[40];
	snprintf(pk, sizeof pk, "THREAD#%s", tid);
	snprintf(sk, sizeof sk, "STEP#%s", sid);
	ts_chainlit(us, ts);
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "PK", S(pk), "SK", S(sk),
	                 "id", S(sid), "threadId", S(tid), "parentId", parent ? S(parent) : NUL(),
	                 "createdAt", S(ts), "name", S(name), "type", S(type), "metadata",
	                 M(json_object()), "tags", NUL());
}

static void set_times(json_t *st, int64_t start, int64_t end)
{
	char a[40], b[40];
	ts_chainlit(start, a);
	ts_chainlit(end, b);
	json_object_set_new(st, "start", S(a));
	json_object_set_new(st, "end", S(b));
}

/* Five steps (B.4): the user's message, a run with an llm and a tool call
 * under it, the assistant's answer (with feedback on some). */
static void thread_steps(struct writer *w, const char *tid, const char *user, int64_t us,
                         uint64_t n, bool feedback)
{
	char sid[5][37];
	for (int k = 0; k < 5; k++)
		uuid(K_STEP, n * 8 + (uint64_t)k, sid[k]);
	char text[300];
	snprintf(text, sizeof text, "%s %s, please. Keep it short and mention the owners.",
	         verbs[n % NELEM(verbs)], topics[(n / NELEM(verbs)) % NELEM(topics)]);
	int64_t t = us - 20 * SEC;

	/* user message (Message.to_dict) */
	json_t *m = step_base(tid, sid[0], NULL, t, user, "user_message");
	json_object_set_new(m, "command", NUL());
	json_object_set_new(m, "modes", NUL());
	set_times(m, t, t);
	json_object_set_new(m, "output", S(text));
	json_object_set_new(m, "language", NUL());
	json_object_set_new(m, "streaming", B(false));
	json_object_set_new(m, "isError", B(false));
	json_object_set_new(m, "waitForAnswer", NUL());
	put(w, m);

	/* run (Step.to_dict) */
	int64_t tr = t + 150000;
	json_t *r = step_base(tid, sid[1], NULL, tr, "on_message", "run");
	json_object_set_new(r, "streaming", B(false));
	json_object_set_new(r, "input", S(""));
	json_object_set_new(r, "output", S(""));
	json_object_set_new(r, "isError", B(false));
	set_times(r, tr, tr + 4 * SEC);
	json_object_set_new(r, "language", NUL());
	json_object_set_new(r, "defaultOpen", B(false));
	json_object_set_new(r, "autoCollapse", B(false));
	json_object_set_new(r, "showInput", S("json"));
	json_object_set_new(r, "generation", NUL());
	put(w, r);

	/* tool call under the run */
	int64_t tt = tr + 200000;
	json_t *tl = step_base(tid, sid[2], sid[1], tt, "search_docs", "tool");
	char in[400], out[600];
	snprintf(in, sizeof in, "{\n    \"query\": \"%s\",\n    \"top_k\": 5\n}",
	         topics[(n / NELEM(verbs)) % NELEM(topics)]);
	snprintf(out, sizeof out,
	         "[\n    {\n        \"doc\": \"kb/%" PRIu64 ".md\",\n        \"score\": 0.8%" PRIu64 "\n    },"
	         "\n    {\n        \"doc\": \"kb/%" PRIu64 ".md\",\n        \"score\": 0.7%" PRIu64 "\n    }\n]",
	         n % 997, n % 10, (n * 7) % 997, (n * 3) % 10);
	json_object_set_new(tl, "streaming", B(false));
	json_object_set_new(tl, "input", S(in));
	json_object_set_new(tl, "output", S(out));
	json_object_set_new(tl, "isError", B(false));
	set_times(tl, tt, tt + 800000);
	json_object_set_new(tl, "language", S("json"));
	json_object_set_new(tl, "defaultOpen", B(false));
	json_object_set_new(tl, "autoCollapse", B(false));
	json_object_set_new(tl, "showInput", S("json"));
	json_object_set_new(tl, "generation", NUL());
	put(w, tl);

	/* llm call under the run, with its generation record */
	int64_t tg = tt + 900000;
	json_t *g = step_base(tid, sid[3], sid[1], tg, "gpt-4o", "llm");
	char lin[500];
	snprintf(lin, sizeof lin, "[\n    {\n        \"role\": \"user\",\n        \"content\": \"%s\"\n    }\n]", text);
	char answer[400];
	snprintf(answer, sizeof answer, "Here is a short summary of %s: three open items, two owners "
	         "(ana, bob), next review on Monday.", topics[(n / NELEM(verbs)) % NELEM(topics)]);
	json_t *msgs = json_array();
	json_array_append_new(msgs, M(json_pack("{s:o,s:o}", "role", S("user"), "content", S(text))));
	json_t *gen = json_object();
	json_object_set_new(gen, "promptId", NUL());
	json_object_set_new(gen, "provider", S("openai"));
	json_object_set_new(gen, "model", S("gpt-4o"));
	json_object_set_new(gen, "error", NUL());
	json_object_set_new(gen, "settings", M(json_pack("{s:o,s:o}", "temperature", Nstr("0.7"),
	                                                 "max_tokens", N(1024))));
	json_object_set_new(gen, "variables", M(json_object()));
	json_object_set_new(gen, "tags", L(json_array()));
	json_object_set_new(gen, "metadata", M(json_object()));
	json_object_set_new(gen, "tools", NUL());
	json_object_set_new(gen, "tokenCount", N(300 + (long long)(n % 200)));
	json_object_set_new(gen, "inputTokenCount", N(120 + (long long)(n % 50)));
	json_object_set_new(gen, "outputTokenCount", N(180 + (long long)(n % 150)));
	json_object_set_new(gen, "ttFirstToken", Nstr("706.1"));
	json_object_set_new(gen, "tokenThroughputInSeconds", Nstr("13.69"));
	json_object_set_new(gen, "duration", Nstr("2.202"));
	json_object_set_new(gen, "messages", L(msgs));
	json_object_set_new(gen, "messageCompletion",
	                    M(json_pack("{s:o,s:o}", "role", S("assistant"), "content", S(answer))));
	json_object_set_new(gen, "type", S("CHAT"));
	json_object_set_new(g, "streaming", B(false));
	json_object_set_new(g, "input", S(lin));
	json_object_set_new(g, "output", S(answer));
	json_object_set_new(g, "isError", B(false));
	set_times(g, tg, tg + 2202000);
	json_object_set_new(g, "language", S("json"));
	json_object_set_new(g, "defaultOpen", B(false));
	json_object_set_new(g, "autoCollapse", B(false));
	json_object_set_new(g, "showInput", S("json"));
	json_object_set_new(g, "generation", M(gen));
	put(w, g);

	/* assistant message */
	int64_t ta = tg + 2300000;
	json_t *a = step_base(tid, sid[4], NULL, ta, "Assistant", "assistant_message");
	json_object_set_new(a, "command", NUL());
	json_object_set_new(a, "modes", NUL());
	set_times(a, ta, ta);
	json_object_set_new(a, "output", S(answer));
	json_object_set_new(a, "language", NUL());
	json_object_set_new(a, "streaming", B(false));
	json_object_set_new(a, "isError", B(false));
	json_object_set_new(a, "waitForAnswer", B(false));
	if (feedback) {
		char fid[160];
		snprintf(fid, sizeof fid, "THREAD#%s::STEP#%s", tid, sid[4]);
		json_t *fb = json_object();
		json_object_set_new(fb, "forId", S(sid[4]));
		json_object_set_new(fb, "value", N(n % 3 == 0 ? 0 : 1));
		json_object_set_new(fb, "threadId", S(tid));
		json_object_set_new(fb, "id", S(fid));
		json_object_set_new(fb, "comment", n % 5 == 0 ? S("Missed the second owner; otherwise fine.") : NUL());
		json_object_set_new(a, "feedback", M(fb));
	}
	put(w, a);
}

/* A user and `count` of its threads, newest first from NEWEST_US, optionally
 * with steps.  The first thread's item is the first put (a section sentinel). */
static void add_threads(struct writer *w, const char *user, int user_k, uint64_t first_n,
                        long count, bool steps, int64_t spacing)
{
	for (long i = 0; i < count; i++) {
		uint64_t n = first_n + (uint64_t)i;
		char tid[37];
		uuid(K_THREAD, n, tid);
		int64_t us = NEWEST_US - (int64_t)i * spacing - (int64_t)(mix(n) % (uint64_t)(spacing / 2));
		put(w, thread_item(tid, user, us, n));
		if (steps)
			thread_steps(w, tid, user, us, n, n % 4 == 0);
		if (i == 0)
			put(w, user_item(user, NEWEST_US - 400LL * 24 * HOUR - user_k * MIN, user_k));
	}
}

static bool thread_section_done(const char *label, uint64_t first_n)
{
	char tid0[37], pk0[64];
	uuid(K_THREAD, first_n, tid0);
	snprintf(pk0, sizeof pk0, "THREAD#%s", tid0);
	return section_done(label, t_chainlit, json_pack("{s:o,s:o}", "PK", S(pk0), "SK", S("THREAD")));
}

/* ---- Stache ----------------------------------------------------------------------- */

#define DOCS_NS "bench/docs"

/* "%" -> "%25", then "#" -> "%23" (A.2) */
static void esc(const char *in, char *out, size_t len)
{
	size_t o = 0;
	for (; *in && o + 4 < len; in++) {
		if (*in == '%') { memcpy(out + o, "%25", 3); o += 3; }
		else if (*in == '#') { memcpy(out + o, "%23", 3); o += 3; }
		else out[o++] = *in;
	}
	out[o] = '\0';
}

static json_t *ns_item(const char *id, const char *name, const char *parent, int64_t us, int k)
{
	char ts[40];
	ts_stache(us, ts);
	char meta[200];
	snprintf(meta, sizeof meta, "{\"owner\": \"team-%d\", \"color\": \"#%06x\"}", k % 37,
	         (unsigned)(mix((uint64_t)k) & 0xffffff));
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", S(id), "name", S(name),
	                 "description", S(k % 4 ? "" : "Benchmark namespace"),
	                 "parent_id", S(parent ? parent : "__ROOT__"), "metadata", S(meta),
	                 "filter_keys", S(k % 3 ? "[\"source\", \"team\"]" : "[]"), "created_at", S(ts),
	                 "updated_at", S(ts));
}

/* 10 roots x 9 children x 10 grandchildren = 1,000 (at scale 1). */
static void seed_namespaces(void)
{
	long roots = 10, kids = 9, grand = 10;
	if (scale < 1.0) {   /* --quick: 10 x 3 x 3 = 130 */
		kids = 3;
		grand = 3;
	}
	if (section_done("namespaces", t_ns, json_pack("{s:o}", "id", S("bench"))))
		return;
	double t0 = now_s();
	struct writer w;
	writer_init(&w, t_ns);
	int k = 0;
	int64_t us = NEWEST_US - 300LL * 24 * HOUR;
	for (long r = 0; r < roots; r++) {
		char rid[64], rname[64];
		if (r == 0) {
			snprintf(rid, sizeof rid, "bench");
			snprintf(rname, sizeof rname, "Benchmark");
		} else {
			snprintf(rid, sizeof rid, "area-%02ld", r);
			snprintf(rname, sizeof rname, "Area %02ld", r);
		}
		put(&w, ns_item(rid, rname, NULL, us + k * MIN, k));
		k++;
		for (long c = 0; c < kids; c++) {
			char cid[128], cname[64];
			if (r == 0 && c == 0) {
				snprintf(cid, sizeof cid, DOCS_NS);
				snprintf(cname, sizeof cname, "Documents");
			} else {
				snprintf(cid, sizeof cid, "%s/team-%ld", rid, c);
				snprintf(cname, sizeof cname, "Team %ld", c);
			}
			put(&w, ns_item(cid, cname, rid, us + k * MIN, k));
			k++;
			for (long g = 0; g < grand; g++) {
				char gid[200], gname[64];
				snprintf(gid, sizeof gid, "%s/topic-%ld", cid, g);
				snprintf(gname, sizeof gname, "Topic %ld", g);
				put(&w, ns_item(gid, gname, cid, us + k * MIN, k));
				k++;
			}
		}
	}
	long total = w.n;
	writer_finish(&w);
	section_report("namespaces", total, t0);
}

static const char *const exts[] = {"pdf", "md", "txt", "docx", "html"};
static const char *const mimes[] = {"application/pdf", "text/markdown", "text/plain",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/html"};

static json_t *doc_item(uint64_t n, int64_t us)
{
	char id[37], ts[40], ens[200], pk[300], g1[300], g1s[64], g2[700], fname[128], path[300],
		hash[65], blob[400];
	uuid(K_DOC, n, id);
	ts_stache(us, ts);
	esc(DOCS_NS, ens, sizeof ens);
	const char *ext = exts[n % NELEM(exts)];
	snprintf(fname, sizeof fname, "report-%05" PRIu64 ".%s", n, ext);
	snprintf(path, sizeof path, "/srv/kb/%s/%s", topics[n % NELEM(topics)] + 4, fname);
	char epath[400];
	esc(path, epath, sizeof epath);
	snprintf(pk, sizeof pk, "DOC#%s#%s", ens, id);
	snprintf(g1, sizeof g1, "NAMESPACE#%s", ens);
	snprintf(g1s, sizeof g1s, "CREATED#%s", ts);
	snprintf(g2, sizeof g2, "FILENAME#%s#%s", ens, epath);
	hex64(n * 31 + 7, hash);
	int chunks = 3 + (int)(mix(n) % 30);
	json_t *ids = json_array();
	for (int c = 0; c < chunks; c++) {
		char cid[37];
		uuid(K_CHUNK, n * 64 + (uint64_t)c, cid);
		json_array_append_new(ids, S(cid));
	}
	json_t *heads = json_array();
	json_array_append_new(heads, S("Introduction"));
	json_array_append_new(heads, S("Findings"));
	json_array_append_new(heads, S("Next steps"));
	json_t *meta = json_object();
	json_object_set_new(meta, "source", S(n % 2 ? "cli" : "api"));
	json_object_set_new(meta, "author", S(n % 3 ? "ana" : "bob"));
	json_object_set_new(meta, "score", Nstr("0.87"));
	json_object_set_new(meta, "nested", M(json_pack("{s:o,s:o}", "pages", N(1 + (long long)(n % 40)),
	                                               "lang", S("en"))));
	char summary[300];
	snprintf(summary, sizeof summary, "A report on %s, with findings and next steps (%" PRIu64 ").",
	         topics[n % NELEM(topics)], n);
	char sumid[37];
	uuid(K_CHUNK, n * 64 + 63, sumid);
	snprintf(blob, sizeof blob, "originals/%s/%s/%s", DOCS_NS, id, fname);
	json_t *it = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	                       "PK", S(pk), "SK", S("METADATA"), "GSI1PK", S(g1), "GSI1SK", S(g1s),
	                       "GSI2PK", S(g2), "GSI2SK", S(g1s), "doc_id", S(id), "filename", S(fname),
	                       "namespace", S(DOCS_NS), "chunk_count", N(chunks), "chunk_ids", L(ids),
	                       "created_at", S(ts), "status", S("active"), "source_path", S(path),
	                       "content_hash", S(hash), "summary", S(summary));
	json_object_set_new(it, "summary_embedding_id", S(sumid));
	json_object_set_new(it, "headings", L(heads));
	json_object_set_new(it, "metadata", M(meta));
	json_object_set_new(it, "file_type", S(ext));
	json_object_set_new(it, "file_size", N(2000 + (long long)(mix(n + 1) % 2000000)));
	json_object_set_new(it, "blob_key", S(blob));
	json_object_set_new(it, "content_type", S(mimes[n % NELEM(mimes)]));
	return it;
}

static void seed_documents(void)
{
	long count = scaled(20000);
	char id[37], ens[200], pk[300];
	uuid(K_DOC, 0, id);
	esc(DOCS_NS, ens, sizeof ens);
	snprintf(pk, sizeof pk, "DOC#%s#%s", ens, id);
	if (section_done("documents", t_docs, json_pack("{s:o,s:o}", "PK", S(pk), "SK", S("METADATA"))))
		return;
	double t0 = now_s();
	struct writer w;
	writer_init(&w, t_docs);
	for (long i = 0; i < count; i++)
		put(&w, doc_item((uint64_t)i, NEWEST_US - (int64_t)i * 17 * MIN -
		                                 (int64_t)(mix((uint64_t)i) % (uint64_t)(5 * MIN))));
	long total = w.n;
	writer_finish(&w);
	section_report("documents", total, t0);
}

/* ---- main --------------------------------------------------------------------------- */

#define BIG_USER "bench-20k@example.com"

static void heavy_name(int k, char *out, size_t len) { snprintf(out, len, "bench-heavy-%d@example.com", k); }
static void small_name(int k, char *out, size_t len) { snprintf(out, len, "bench-user-%04d@example.com", k); }

int main(int argc, char **argv)
{
	const char *endpoint = NULL;
	bool print_users = false;
	static const struct option opts[] = {
		{"endpoint-url", required_argument, NULL, 'e'}, {"prefix", required_argument, NULL, 'p'},
		{"scale", required_argument, NULL, 's'}, {"in-flight", required_argument, NULL, 'j'},
		{"force", no_argument, NULL, 'f'}, {"print-users", no_argument, NULL, 'u'},
		{NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'e': endpoint = optarg; break;
		case 'p': prefix = optarg; break;
		case 's': scale = atof(optarg); break;
		case 'j': in_flight_max = atoi(optarg); break;
		case 'f': force = true; break;
		case 'u': print_users = true; break;
		default:
			fprintf(stderr, "usage: bench-seed --endpoint-url URL [--prefix P] [--scale F] "
			                "[--in-flight N] [--force] [--print-users]\n");
			return 2;
		}
	}
	if (scale <= 0 || scale > 10 || in_flight_max < 1 || in_flight_max > 64)
		die("bad --scale or --in-flight");
	long heavy = 4, heavy_threads = scaled(20000), small = scaled(1000), small_threads = 20;
	if (print_users) {
		/* one line per user: identifier and thread count */
		printf("%s %ld\n", BIG_USER, scaled(20000));
		for (int k = 1; k <= heavy; k++) {
			char u[80];
			heavy_name(k, u, sizeof u);
			printf("%s %ld\n", u, heavy_threads);
		}
		printf("bench-user-* %ld x %ld\n", small, small_threads);
		return 0;
	}
	if (!endpoint)
		die("--endpoint-url is required");
	snprintf(t_chainlit, sizeof t_chainlit, "%schainlit", prefix);
	snprintf(t_docs, sizeof t_docs, "%sstache-documents", prefix);
	snprintf(t_ns, sizeof t_ns, "%sstache-namespaces", prefix);

	struct aws_conf_opts co = {.endpoint_url = endpoint, .ignore_configured_endpoint_urls = true};
	struct aws_conf conf;
	char *err = NULL;
	if (aws_conf_resolve(&co, &conf, &err) != 0)
		die("%s", err ? err : "configuration failed");
	struct ddb_client_opts o = {.conf = &conf, .max_in_flight = in_flight_max,
	                            .request_timeout_ms = 120000, .max_attempts = 5,
	                            .user_agent = "ddtree-bench-seed"};
	cli = ddb_client_new(&o, &err);
	if (!cli)
		die("%s", err ? err : "client failed");

	double t0 = now_s();
	seed_namespaces();
	seed_documents();
	struct writer w;
	/* one user with 20,000 threads and 5 steps each */
	if (!thread_section_done("big user", 0)) {
		double t1 = now_s();
		writer_init(&w, t_chainlit);
		add_threads(&w, BIG_USER, 0, 0, scaled(20000), true, 37 * MIN);
		long total = w.n;
		writer_finish(&w);
		section_report("threads and steps of " BIG_USER, total, t1);
	}
	/* 100,000 more threads across users: heavy users, then small users */
	uint64_t n = 1000000;
	if (!thread_section_done("heavy users", n)) {
		double t1 = now_s();
		writer_init(&w, t_chainlit);
		for (int k = 1; k <= heavy; k++) {
			char u[80];
			heavy_name(k, u, sizeof u);
			add_threads(&w, u, k, n + (uint64_t)(k - 1) * 1000000, heavy_threads, false, 23 * MIN);
		}
		long total = w.n;
		writer_finish(&w);
		section_report("threads of the heavy users", total, t1);
	}
	n = 10000000;
	if (!thread_section_done("small users", n)) {
		double t1 = now_s();
		writer_init(&w, t_chainlit);
		for (int k = 0; k < small; k++) {
			char u[80];
			small_name(k, u, sizeof u);
			add_threads(&w, u, 100 + k, n + (uint64_t)k * 1000, small_threads, false, 11 * HOUR);
		}
		long total = w.n;
		writer_finish(&w);
		section_report("threads of the small users", total, t1);
	}
	struct ddb_stats st;
	ddb_client_stats(cli, &st);
	fprintf(stderr, "bench-seed: done in %.1f s: %ld items written, %ld resent, %ld calls, %ld retries\n",
	        now_s() - t0, written, resent, st.calls, st.retries);
	ddb_client_free(cli);
	aws_conf_free(&conf);
	return 0;
}
