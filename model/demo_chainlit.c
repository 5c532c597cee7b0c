/* model/demo_chainlit.c: demo data for the Chainlit table, written in exactly
 * the shapes Chainlit's DynamoDB data layer writes (SCHEMAS.md B.2-B.6):
 * users as create_user puts them, threads as update_thread leaves them
 * (UserThreadPK/SK, createdAt = UserThreadSK without "TS#"), steps as
 * create_step puts Step.to_dict / Message.to_dict (Python None stored as
 * NULL, input/output strings, JSON text with a 4-space indent), elements as
 * create_element puts Element.to_dict, feedback as upsert_feedback sets it.
 * Numbers are N strings; Maps and Lists are native.
 *
 * Everything is derived from one counter, so two runs write the same items.
 * Besides the ordinary data it plants the broken states `ddtree check`
 * finds (see the "broken states" section below). */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/demo.h"
#include "model/feedback.h"
#include "model/jsontext.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 2026-01-05T08:00:00Z */
#define BASE_US (1767600000LL * 1000000LL)
#define SEC (1000000LL)
#define MIN (60LL * SEC)
#define HOUR (60LL * MIN)

struct gen {
	uint64_t counter;
	json_t *writes;
};

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A uuid4-shaped id from the counter. */
static void gen_uuid(struct gen *g, char out[37])
{
	uint64_t a = mix(++g->counter), b = mix(a ^ 0x5bd1e995ULL);
	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
	         (unsigned)(a >> 16) & 0xffffu, (unsigned)a & 0xfffu,
	         (unsigned)((b >> 48) & 0x3fffu) | 0x8000u,
	         (unsigned long long)(b & 0xffffffffffffULL));
}

/* A deterministic number of microseconds below `range`. */
static int64_t jitter(struct gen *g, int64_t range)
{
	return (int64_t)(mix(++g->counter) % (uint64_t)range);
}

/* Chainlit's timestamp: naive ISO 8601 + "Z", the fraction left out when 0. */
static void ts(int64_t us, char out[40])
{
	time_t t = (time_t)(us / SEC);
	int frac = (int)(us % SEC);
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac)
		snprintf(out + n, 40 - n, ".%06dZ", frac);
	else
		snprintf(out + n, 40 - n, "Z");
}

/* ---- attribute values ---------------------------------------------------- */

static json_t *S(const char *s) { return ddb_av_s(s); }
static json_t *Sn(const char *s) { return s ? ddb_av_s(s) : ddb_av_null(); }
static json_t *N(const char *n) { return ddb_av_n(n); }
static json_t *NUL(void) { return ddb_av_null(); }
static json_t *B(bool b) { return ddb_av_bool(b); }
static json_t *M(json_t *o) { return json_pack("{s:o}", "M", o); }
static json_t *L(json_t *a) { return json_pack("{s:o}", "L", a); }

static json_t *Nl(long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	return ddb_av_n(buf);
}

static json_t *T(int64_t us)
{
	char b[40];
	ts(us, b);
	return ddb_av_s(b);
}

static void set(json_t *item, const char *k, json_t *av)
{
	json_object_set_new(item, k, av);
}

static void put(struct gen *g, json_t *item)
{
	json_array_append_new(g->writes, json_pack("{s:{s:o}}", "PutRequest", "Item", item));
}

static json_t *keyed(const char *pk_prefix, const char *pk_id, const char *sk_prefix,
                     const char *sk_id)
{
	char pk[512], sk[512];
	snprintf(pk, sizeof pk, "%s%s", pk_prefix, pk_id);
	snprintf(sk, sizeof sk, "%s%s", sk_prefix, sk_id ? sk_id : "");
	json_t *item = json_object();
	set(item, "PK", S(pk));
	set(item, "SK", S(sk));
	return item;
}

/* JSON text as Python's json.dumps(x, indent=4, ensure_ascii=False). */
static char *py_json(const json_t *v)
{
	return jsontext_dumps(v, JT_INDENT(4));
}

/* ---- users (create_user, B.2) ------------------------------------------------ */

static void put_user(struct gen *g, const char *identifier, json_t *metadata, int64_t login_us)
{
	json_t *u = keyed("USER#", identifier, "USER", NULL);
	set(u, "id", S(identifier));
	set(u, "identifier", S(identifier));
	set(u, "metadata", M(metadata));
	set(u, "createdAt", T(login_us));
	put(g, u);
}

/* ---- threads (update_thread, B.3) ----------------------------------------------- */

struct thread_spec {
	const char *user;            /* NULL: never had a user (not in the index) */
	const char *name;            /* NULL: no name (init_http_context) */
	const char *profile;         /* chat profile: tag and metadata (NULL: none) */
	const char *client;          /* metadata client_type; NULL: metadata {} */
	bool old_version;            /* chainlit < 2.11: no metadata attribute, no tags */
	const char *identifier_override;   /* userIdentifier differing from userId */
};

static void put_thread(struct gen *g, const char *tid, const struct thread_spec *sp,
                       int64_t updated_us)
{
	char when[40], sk[48];
	ts(updated_us, when);
	snprintf(sk, sizeof sk, "TS#%s", when);
	json_t *t = keyed("THREAD#", tid, "THREAD", NULL);
	set(t, "UserThreadSK", S(sk));
	set(t, "id", S(tid));
	set(t, "createdAt", S(when));
	if (sp->name)
		set(t, "name", S(sp->name));
	if (sp->user) {
		set(t, "userId", S(sp->user));
		set(t, "userIdentifier", S(sp->identifier_override ? sp->identifier_override : sp->user));
	}
	if (sp->profile && !sp->old_version)
		set(t, "tags", L(json_pack("[o]", S(sp->profile))));
	if (!sp->old_version) {
		json_t *md = json_object();
		if (sp->client) {
			char sess[37];
			gen_uuid(g, sess);
			set(md, "id", S(sess));
			set(md, "env", M(json_object()));
			if (sp->profile)
				set(md, "chat_profile", S(sp->profile));
			set(md, "client_type", S(sp->client));
			set(md, "chat_settings", M(json_pack("{s:o,s:o}", "model", S("gpt-4o"),
			                                     "temperature", N("0.5"))));
		}
		set(t, "metadata", M(md));
	}
	if (sp->user) {
		char pk[300];
		snprintf(pk, sizeof pk, "USER#%s", sp->user);
		set(t, "UserThreadPK", S(pk));
	}
	put(g, t);
}

/* ---- steps (create_step of Step.to_dict / Message.to_dict, B.4) -------------------- */

/* A message: user_message, assistant_message. */
static json_t *message(const char *tid, const char *sid, const char *parent, const char *type,
                       const char *author, const char *text, int64_t created, int64_t end)
{
	json_t *m = keyed("THREAD#", tid, "STEP#", sid);
	set(m, "id", S(sid));
	set(m, "threadId", S(tid));
	set(m, "parentId", Sn(parent));
	set(m, "createdAt", T(created));
	set(m, "command", NUL());
	set(m, "modes", NUL());
	set(m, "start", T(created));
	set(m, "end", T(end));
	set(m, "output", S(text));
	set(m, "name", S(author));
	set(m, "type", S(type));
	set(m, "language", NUL());
	set(m, "streaming", B(false));
	set(m, "isError", B(false));
	set(m, "waitForAnswer", B(false));
	set(m, "metadata", M(json_object()));
	set(m, "tags", NUL());
	return m;
}

/* A run, tool or llm step.  `generation` is stolen (NULL: stored NULL). */
static json_t *step(const char *tid, const char *sid, const char *parent, const char *name,
                    const char *type, const char *input, const char *output, int64_t created,
                    int64_t end, const char *language, json_t *generation)
{
	json_t *st = keyed("THREAD#", tid, "STEP#", sid);
	set(st, "id", S(sid));
	set(st, "threadId", S(tid));
	set(st, "parentId", Sn(parent));
	set(st, "name", S(name));
	set(st, "type", S(type));
	set(st, "streaming", B(false));
	set(st, "metadata", M(json_object()));
	set(st, "tags", NUL());
	set(st, "input", S(input));
	set(st, "isError", B(false));
	set(st, "output", S(output));
	set(st, "createdAt", T(created));
	set(st, "start", T(created));
	set(st, "end", T(end));
	set(st, "language", Sn(language));
	set(st, "defaultOpen", B(false));
	set(st, "autoCollapse", B(false));
	set(st, "showInput", S("json"));
	set(st, "generation", generation ? M(generation) : NUL());
	return st;
}

/* literalai's ChatGeneration.to_dict: many NULLs, numbers as N. */
static json_t *chat_generation(const char *model, const char *question, const char *answer,
                               int in_tokens, int out_tokens, const char *duration)
{
	json_t *g = json_object();
	set(g, "promptId", NUL());
	set(g, "provider", S("openai"));
	set(g, "model", S(model));
	set(g, "error", NUL());
	set(g, "settings", M(json_pack("{s:o,s:o}", "temperature", N("0.7"), "max_tokens", N("1024"))));
	set(g, "variables", M(json_object()));
	set(g, "tags", L(json_array()));
	set(g, "metadata", M(json_object()));
	set(g, "tools", NUL());
	set(g, "tokenCount", Nl(in_tokens + out_tokens));
	set(g, "inputTokenCount", Nl(in_tokens));
	set(g, "outputTokenCount", Nl(out_tokens));
	set(g, "ttFirstToken", N("412.7"));
	set(g, "tokenThroughputInSeconds", N("31.25"));
	set(g, "duration", N(duration));
	set(g, "messages", L(json_pack("[o,o]",
		M(json_pack("{s:o,s:o}", "role", S("system"), "content", S("You are a helpful assistant."))),
		M(json_pack("{s:o,s:o}", "role", S("user"), "content", S(question))))));
	set(g, "messageCompletion", M(json_pack("{s:o,s:o}", "role", S("assistant"),
	                                        "content", S(answer))));
	set(g, "type", S("CHAT"));
	return g;
}

/* literalai's CompletionGeneration.to_dict. */
static json_t *completion_generation(const char *model, const char *prompt, const char *completion)
{
	json_t *g = json_object();
	set(g, "promptId", NUL());
	set(g, "provider", S("openai"));
	set(g, "model", S(model));
	set(g, "error", NUL());
	set(g, "settings", M(json_pack("{s:o}", "temperature", N("0"))));
	set(g, "variables", M(json_object()));
	set(g, "tags", L(json_array()));
	set(g, "metadata", M(json_object()));
	set(g, "tools", NUL());
	set(g, "tokenCount", Nl(57));
	set(g, "inputTokenCount", Nl(41));
	set(g, "outputTokenCount", Nl(16));
	set(g, "ttFirstToken", NUL());
	set(g, "tokenThroughputInSeconds", NUL());
	set(g, "duration", N("0.61"));
	set(g, "prompt", S(prompt));
	set(g, "completion", S(completion));
	set(g, "type", S("COMPLETION"));
	return g;
}

/* ---- elements (create_element of Element.to_dict, B.6) -------------------------------- */

static void put_element(struct gen *g, const char *tid, const char *for_id, const char *owner,
                        const char *type, const char *name, const char *mime, const char *size,
                        const char *page, char eid_out[37])
{
	char eid[37], key[512], url[600];
	gen_uuid(g, eid);
	if (eid_out)
		memcpy(eid_out, eid, 37);
	snprintf(key, sizeof key, "%s/%s/%s", owner ? owner : "unknown", tid, eid);
	snprintf(url, sizeof url, "https://ddtree-demo.s3.amazonaws.com/%s", key);
	json_t *e = keyed("THREAD#", tid, "ELEMENT#", eid);
	set(e, "id", S(eid));
	set(e, "threadId", S(tid));
	set(e, "type", S(type));
	set(e, "name", S(name));
	set(e, "display", S("inline"));
	set(e, "url", S(url));
	set(e, "objectKey", S(key));
	set(e, "chainlitKey", NUL());
	set(e, "size", Sn(size));
	set(e, "props", NUL());
	set(e, "page", page ? N(page) : NUL());
	set(e, "autoPlay", NUL());
	set(e, "playerConfig", NUL());
	set(e, "language", NUL());
	set(e, "forId", S(for_id));
	set(e, "mime", S(mime));
	put(g, e);
}

/* ---- conversations ------------------------------------------------------------------- */

struct topic {
	const char *question, *tool, *tool_query, *tool_output, *answer;
};

static const struct topic topics[] = {
	{"Summarise the Q3 incident report", "search_docs", "Q3 incident report",
	 "3 documents found: incident-2026-09-14.md, postmortem-q3.md, timeline.csv",
	 "The Q3 incident was a 47-minute outage of the ingest API.\n\n"
	 "- Cause: an expired TLS certificate on the internal load balancer.\n"
	 "- Impact: 12% of uploads failed and were retried.\n"
	 "- Follow-up: certificate expiry is now monitored."},
	{"How do I rotate the API keys?", "search_docs", "key rotation runbook",
	 "1 document found: runbooks/key-rotation.md",
	 "Rotate them with the key-rotation runbook:\n\n"
	 "1. Create the new key in the console.\n"
	 "2. Deploy it with `make deploy-secrets`.\n"
	 "3. Revoke the old key after 24 hours."},
	{"Write a SQL query for monthly active users", "run_sql", "SELECT count(*) FROM events",
	 "count\n-----\n18233",
	 "Here is a query:\n\n```sql\nSELECT date_trunc('month', ts) AS month,\n"
	 "       count(DISTINCT user_id) AS mau\nFROM events\nGROUP BY 1\nORDER BY 1;\n```"},
	{"Translate 'bonjour tout le monde' to English", "translate", "bonjour tout le monde",
	 "hello everyone", "\"Bonjour tout le monde\" means \"Hello everyone\"."},
	{"What changed in release 4.2?", "search_docs", "release notes 4.2",
	 "1 document found: CHANGELOG.md",
	 "Release 4.2 adds:\n\n- streaming exports\n- a dark theme\n- faster search on large tables"},
	{"Plan a three-day trip to Lisbon", "web_search", "Lisbon three day itinerary",
	 "5 results", "Day 1: Alfama and the castle.\nDay 2: Belém.\nDay 3: Sintra."},
	{"Explain the difference between a GSI and an LSI", "search_docs", "DynamoDB GSI LSI",
	 "2 documents found",
	 "A global secondary index has its own partition key and is eventually consistent;\n"
	 "a local secondary index shares the table's partition key and must be created with the table."},
	{"Draft a reply to the customer about the refund", "crm_lookup", "ticket 5521",
	 "ticket 5521: refund requested 2026-03-01, order 88-1931",
	 "Dear customer,\n\nYour refund for order 88-1931 was approved today.\n"
	 "It will reach your account within 5 business days.\n\nBest regards"},
	{"Why is the nightly build slow?", "ci_logs", "nightly build duration",
	 "last 7 runs: 41m, 43m, 44m, 52m, 58m, 61m, 63m",
	 "The nightly build got slower because the test cache is no longer restored.\n"
	 "Re-enable `actions/cache` for `~/.cache/test` to get back to about 40 minutes."},
	{"Convert 72 Fahrenheit to Celsius", "calculator", "(72 - 32) * 5 / 9", "22.2222",
	 "72 °F is about 22.2 °C."},
	{"Suggest names for the new analytics service", "brainstorm", "analytics service names",
	 "Lens, Tally, Abacus, Prism", "Some ideas: Lens, Tally, Abacus or Prism."},
	{"Which regions does the service run in?", "search_docs", "deployment regions",
	 "eu-west-1, us-east-1, ap-northeast-1",
	 "It runs in eu-west-1, us-east-1 and ap-northeast-1."},
	{"Check the status of order 88-1931", "crm_lookup", "order 88-1931",
	 "shipped 2026-03-03, carrier DHL", "Order 88-1931 shipped on 3 March with DHL."},
	{"Give me a regex for ISO dates", "code_interpreter", "re.match(r'\\d{4}-\\d{2}-\\d{2}')",
	 "match", "Use `^\\d{4}-\\d{2}-\\d{2}$` (it does not check that the date exists)."},
	{"Compare the two pricing plans", "search_docs", "pricing plans",
	 "plans: Team, Business",
	 "| plan | price | seats |\n|---|---|---|\n| Team | 12 EUR | 10 |\n| Business | 25 EUR | unlimited |"},
	{"What is our on-call policy?", "search_docs", "on-call policy",
	 "1 document found: handbook/on-call.md",
	 "On-call rotates weekly. The person on call answers pages within 15 minutes."},
};
#define N_TOPICS (sizeof topics / sizeof topics[0])

static const char *const phrasing[] = {"", "Follow-up: ", "Quick one: ", "Again: "};

static const char *const comments[] = {
	"Great answer",
	"Très clair, merci !",
	"Leider falsch: die Zahl stimmt nicht.",
	"分かりやすい説明でした。",
	"🔥🔥🔥",
	NULL,
	"Missed the second part of the question",
	NULL,
};
#define N_COMMENTS (sizeof comments / sizeof comments[0])

struct conv {
	const char *tid;
	const char *user;            /* identifier, NULL when anonymous */
	const char *question, *answer;
	const struct topic *tp;
	int64_t t0;
	int variant;
	/* out */
	char user_msg[37], run[37], tool[37], llm[37], reply[37];
	int64_t last_us;
};

/* One exchange: the user's message, the on_message run with a tool and an
 * LLM call under it, the assistant's reply. */
static void put_conversation(struct gen *g, struct conv *c)
{
	const struct topic *tp = c->tp;
	const char *answer = c->answer ? c->answer : tp->answer;
	gen_uuid(g, c->user_msg);
	gen_uuid(g, c->run);
	gen_uuid(g, c->tool);
	gen_uuid(g, c->llm);
	gen_uuid(g, c->reply);
	int64_t t = c->t0;
	put(g, message(c->tid, c->user_msg, NULL, "user_message", c->user ? c->user : "User",
	               c->question, t, t));
	int64_t run_start = t + 9000 + jitter(g, 4000);
	int64_t tool_start = run_start + 150000 + jitter(g, 100000);
	int64_t tool_end = tool_start + 400000 + jitter(g, 600000);
	int64_t llm_start = tool_end + 5000;
	int64_t llm_end = llm_start + 1200000 + jitter(g, 2000000);
	int64_t reply_at = llm_end + 3000;
	int64_t reply_end = reply_at + 600000 + jitter(g, 900000);
	int64_t run_end = reply_end + 2000;

	put(g, step(c->tid, c->run, c->user_msg, "on_message", "run", "", "", run_start, run_end,
	            NULL, NULL));
	json_t *args = json_pack("{s:s}", "query", tp->tool_query);
	char *tool_in = py_json(args);
	json_decref(args);
	put(g, step(c->tid, c->tool, c->run, tp->tool, "tool", tool_in, tp->tool_output, tool_start,
	            tool_end, "json", NULL));
	free(tool_in);

	json_t *msgs = json_pack("[{s:s,s:s},{s:s,s:s}]", "role", "system", "content",
	                         "You are a helpful assistant.", "role", "user", "content",
	                         c->question);
	char *llm_in = py_json(msgs);
	json_decref(msgs);
	/* every third exchange calls the model from inside the tool (deeper nesting);
	 * every seventh uses a completion model */
	const char *llm_parent = c->variant % 3 == 0 ? c->tool : c->run;
	json_t *gen;
	const char *model;
	if (c->variant % 7 == 6) {
		model = "gpt-3.5-turbo-instruct";
		gen = completion_generation(model, c->question, answer);
	} else {
		model = c->variant % 2 ? "gpt-4o-mini" : "gpt-4o";
		char dur[32];
		snprintf(dur, sizeof dur, "%.3f", (double)(llm_end - llm_start) / 1e6);
		gen = chat_generation(model, c->question, answer, 120 + c->variant * 7,
		                      40 + (int)strlen(answer) / 4, dur);
	}
	put(g, step(c->tid, c->llm, llm_parent, model, "llm", llm_in, answer, llm_start, llm_end,
	            "json", gen));
	free(llm_in);
	c->last_us = run_end;
	/* the reply goes in last: feedback may be added to it by the caller */
	(void)reply_end;
}

/* The assistant's reply of a conversation, with optional feedback. */
static void put_reply(struct gen *g, struct conv *c, int vote, const char *comment)
{
	const char *answer = c->answer ? c->answer : c->tp->answer;
	int64_t at = c->last_us - 700000;
	json_t *m = message(c->tid, c->reply, NULL, "assistant_message", "Assistant", answer, at,
	                    c->last_us - 3000);
	if (vote >= 0)
		set(m, "feedback", fb_map(c->tid, c->reply, vote, comment));
	put(g, m);
}

/* Feedback for the n-th ordinary exchange: up, down or none, comments in
 * several languages, some NULL. */
static void pick_feedback(int n, int *vote, const char **comment)
{
	switch (n % 3) {
	case 0: *vote = 1; break;
	case 1: *vote = 0; break;
	default: *vote = -1; break;
	}
	*comment = comments[(n / 3 + n) % N_COMMENTS];
}

static void put_elements(struct gen *g, struct conv *c)
{
	if (c->variant % 5 == 0)
		put_element(g, c->tid, c->reply, c->user, "image", "chart.png", "image/png", "medium",
		            NULL, NULL);
	if (c->variant % 7 == 3)
		put_element(g, c->tid, c->user_msg, c->user, "pdf", "report.pdf", "application/pdf",
		            NULL, "3", NULL);
	if (c->variant % 9 == 4)
		put_element(g, c->tid, c->reply, c->user, "file", "export.csv", "text/csv", NULL, NULL,
		            NULL);
}

/* An ordinary owned thread: its exchange and its THREAD item. */
static void ordinary_thread(struct gen *g, const char *user, const char *name,
                            const char *question, const char *answer, const struct topic *tp,
                            int64_t t0, int variant, const struct thread_spec *extra,
                            char tid_out[37])
{
	char tid[37];
	gen_uuid(g, tid);
	if (tid_out)
		memcpy(tid_out, tid, 37);
	struct conv c = {.tid = tid, .user = user, .question = question, .answer = answer,
	                 .tp = tp, .t0 = t0, .variant = variant};
	put_conversation(g, &c);
	int vote;
	const char *comment;
	pick_feedback(variant, &vote, &comment);
	put_reply(g, &c, vote, comment);
	put_elements(g, &c);
	struct thread_spec sp = extra ? *extra : (struct thread_spec){0};
	sp.user = user;
	sp.name = name;
	if (!extra) {
		sp.profile = variant % 4 == 1 ? "Analyst" : variant % 4 == 2 ? "Coder" : NULL;
		sp.client = "webapp";
	}
	/* the last update_thread is the disconnect, a little after the reply */
	put_thread(g, tid, &sp, c.last_us + 20 * SEC + jitter(g, 40 * SEC));
}

/* ---- the data set ---------------------------------------------------------------------- */

static void demo_users(struct gen *g)
{
	put_user(g, "alice@example.com",
	         json_pack("{s:o,s:o,s:o}", "role", S("admin"), "provider", S("credentials"),
	                   "image", NUL()), BASE_US + 90 * 24 * HOUR + 3 * SEC + 573594);
	put_user(g, "bob@example.com",
	         json_pack("{s:o,s:o,s:o}", "provider", S("google"), "name", S("Bob Martin"),
	                   "image", S("https://lh3.googleusercontent.com/a/bob")),
	         BASE_US + 88 * 24 * HOUR + 211337);
	put_user(g, "claire.dupont@example.fr",
	         json_pack("{s:o,s:o}", "provider", S("azure-ad"), "groups",
	                   L(json_pack("[o,o]", S("finance"), S("paris")))),
	         BASE_US + 80 * 24 * HOUR + 42);
	put_user(g, "dave-bot",
	         json_pack("{s:o,s:o,s:o}", "provider", S("slack"), "bot", B(true),
	                   "rate_limit", N("20")), BASE_US + 60 * 24 * HOUR);
	put_user(g, "kenji@example.jp",
	         json_pack("{s:o}", "provider", S("credentials")), BASE_US + 70 * 24 * HOUR + 999999);
}

/* Alice: 64 threads over two months (paging), two of them about "Kiwi"
 * (search across empty pages), one very long multi-line answer. */
static void demo_alice(struct gen *g)
{
	const char *user = "alice@example.com";
	char long_answer[8192];
	size_t off = 0;
	off += (size_t)snprintf(long_answer + off, sizeof long_answer - off,
	                        "Here is the full checklist, step by step.\n\n");
	for (int i = 1; i <= 60 && off < sizeof long_answer - 200; i++)
		off += (size_t)snprintf(long_answer + off, sizeof long_answer - off,
		                        "%d. Check item %d: verify the configuration, run the smoke "
		                        "tests and write down the result.\n", i, i);
	for (int i = 0; i < 64; i++) {
		const struct topic *tp = &topics[i % N_TOPICS];
		char name[256];
		const char *q = name;
		snprintf(name, sizeof name, "%s%s", phrasing[(i / N_TOPICS) % 4], tp->question);
		if (i == 5)
			q = "Kiwi release: draft the announcement";
		else if (i == 23)
			q = "Why did the Kiwi build fail on ARM?";
		int64_t t0 = BASE_US + i * 21 * HOUR + jitter(g, 50 * MIN);
		ordinary_thread(g, user, q, q, i == 1 ? long_answer : NULL, tp, t0, i, NULL, NULL);
	}
}

/* Bob: a dozen ordinary threads and the special ones. */
static void demo_bob(struct gen *g)
{
	const char *user = "bob@example.com";
	int64_t base = BASE_US + 5 * 24 * HOUR;
	for (int i = 0; i < 10; i++) {
		const struct topic *tp = &topics[(i * 5 + 3) % N_TOPICS];
		int64_t t0 = base + i * 50 * HOUR + jitter(g, 30 * MIN);
		char tid[37];
		ordinary_thread(g, user, tp->question, tp->question, NULL, tp, t0, i + 100, NULL, tid);
		if (i == 2) {
			/* broken: a stub step, made by feedback on a step that did not exist */
			char ghost[37];
			gen_uuid(g, ghost);
			json_t *stub = keyed("THREAD#", tid, "STEP#", ghost);
			set(stub, "feedback", fb_map(tid, ghost, 1, "Thanks!"));
			put(g, stub);
		}
		if (i == 4) {
			/* broken: an element whose step is missing */
			char gone[37];
			gen_uuid(g, gone);
			put_element(g, tid, gone, user, "image", "screenshot.png", "image/png", "large",
			            NULL, NULL);
		}
	}

	/* createdAt order vs string order: ...:56Z is before ...:56.500000Z */
	{
		char tid[37];
		gen_uuid(g, tid);
		struct conv c = {.tid = tid, .user = user, .question = "Which step ran first?",
		                 .tp = &topics[8], .variant = 1};
		int64_t s56 = base + 30 * 24 * HOUR + 56 * SEC;   /* a whole second */
		gen_uuid(g, c.user_msg);
		gen_uuid(g, c.run);
		gen_uuid(g, c.tool);
		gen_uuid(g, c.llm);
		gen_uuid(g, c.reply);
		put(g, message(tid, c.user_msg, NULL, "user_message", user, c.question,
		               s56 - 1250000, s56 - 1250000));
		put(g, step(tid, c.run, c.user_msg, "on_message", "run", "", "", s56 - 1200000,
		            s56 + 2600000, NULL, NULL));
		put(g, step(tid, c.tool, c.run, "ci_logs", "tool", "{\n    \"query\": \"order\"\n}",
		            "tool ran at :56", s56, s56 + 400000, "json", NULL));
		put(g, step(tid, c.llm, c.run, "gpt-4o", "llm", "[]", "llm ran at :56.5", s56 + 500000,
		            s56 + 2000000, "json",
		            chat_generation("gpt-4o", c.question, "The tool ran first.", 90, 12, "1.5")));
		c.answer = "The tool ran first (at :56), then the model (at :56.5).";
		c.last_us = s56 + 2600000;
		put_reply(g, &c, 1, "Great answer");
		put_element(g, tid, c.reply, user, "image", "timeline.png", "image/png", "large", NULL,
		            NULL);
		struct thread_spec sp = {.user = user, .name = c.question, .client = "webapp"};
		put_thread(g, tid, &sp, s56 + 40 * SEC);
	}

	/* a name with an escape sequence, and escapes in the answer */
	ordinary_thread(g, user, "Why does my log print \x1b[31mERROR\x1b[0m in red?",
	                "Why does my log print \x1b[31mERROR\x1b[0m in red?",
	                "Your logger wraps the level in ANSI colour codes:\n"
	                "\x1b[31mERROR\x1b[0m is ESC [31m ... ESC [0m.\n"
	                "Set NO_COLOR=1 or use a plain formatter.\r\nDone.",
	                &topics[8], base + 25 * 24 * HOUR, 200, NULL, NULL);

	/* written by chainlit < 2.11: no metadata, no tags, a reply left streaming */
	{
		char tid[37];
		gen_uuid(g, tid);
		struct conv c = {.tid = tid, .user = user, .question = "Old thread from last year",
		                 .tp = &topics[4], .t0 = base - 2 * 24 * HOUR, .variant = 2};
		put_conversation(g, &c);
		json_t *m = message(tid, c.reply, NULL, "assistant_message", "Assistant",
		                    c.tp->answer, c.last_us - 700000, c.last_us - 3000);
		set(m, "streaming", B(true));
		put(g, m);
		struct thread_spec sp = {.user = user, .name = c.question, .old_version = true};
		put_thread(g, tid, &sp, c.last_us + 10 * SEC);
	}

	/* broken: a thread in the index without a name (init_http_context) */
	{
		char tid[37];
		gen_uuid(g, tid);
		struct conv c = {.tid = tid, .user = user, .question = "(sent from the HTTP API)",
		                 .tp = &topics[11], .t0 = base + 40 * 24 * HOUR, .variant = 5};
		put_conversation(g, &c);
		put_reply(g, &c, -1, NULL);
		struct thread_spec sp = {.user = user, .name = NULL};
		put_thread(g, tid, &sp, c.last_us + 2 * SEC);
	}
}

/* Claire (French), Dave (a Slack bot), Kenji (Japanese, wide characters). */
static void demo_others(struct gen *g)
{
	const char *claire = "claire.dupont@example.fr";
	int64_t base = BASE_US + 12 * 24 * HOUR;
	static const char *const fr[] = {
		"Résume le rapport d'incident du T3", "Comment renouveler les clés d'API ?",
		"Traduis « good morning » en français", "Quel est le planning d'astreinte ?",
	};
	for (int i = 0; i < 4; i++) {
		ordinary_thread(g, claire, fr[i], fr[i], "Voici la réponse :\n\n- point un\n- point deux",
		                &topics[(i * 3) % N_TOPICS], base + i * 70 * HOUR, i + 300, NULL, NULL);
	}
	{
		/* broken: a step without createdAt, and an orphan step */
		char tid[37], t_sid[37], orphan[37], ghost[37];
		gen_uuid(g, tid);
		struct conv c = {.tid = tid, .user = claire, .question = "Analyse les ventes de mars",
		                 .tp = &topics[2], .t0 = base + 300 * HOUR, .variant = 1};
		put_conversation(g, &c);
		put_reply(g, &c, 1, "Parfait, merci !");
		gen_uuid(g, t_sid);
		json_t *st = step(tid, t_sid, c.run, "format_table", "tool", "{}", "ok",
		                  c.t0 + 2 * SEC, c.t0 + 3 * SEC, "json", NULL);
		json_object_del(st, "createdAt");
		put(g, st);
		gen_uuid(g, orphan);
		gen_uuid(g, ghost);
		put(g, step(tid, orphan, ghost, "retriever", "retrieval", "{\n    \"k\": 4\n}",
		            "4 chunks", c.t0 + SEC, c.t0 + SEC + 300000, "json", NULL));
		struct thread_spec sp = {.user = claire, .name = c.question, .client = "webapp",
		                         .profile = "Analyst"};
		put_thread(g, tid, &sp, c.last_us + 30 * SEC);
	}
	{
		/* broken: userIdentifier disagrees with userId and UserThreadPK */
		struct thread_spec sp = {.user = claire, .client = "webapp",
		                         .identifier_override = "claire@old-domain.example"};
		ordinary_thread(g, claire, "Prépare la réunion de lundi", "Prépare la réunion de lundi",
		                NULL, &topics[7], base + 320 * HOUR, 303, &sp, NULL);
	}

	const char *dave = "dave-bot";
	int64_t dbase = BASE_US + 20 * 24 * HOUR;
	for (int i = 0; i < 4; i++) {
		const struct topic *tp = &topics[(i * 7 + 1) % N_TOPICS];
		struct thread_spec sp = {.client = "slack"};
		char tid[37];
		gen_uuid(g, tid);
		struct conv c = {.tid = tid, .user = dave, .question = tp->question, .tp = tp,
		                 .t0 = dbase + i * 30 * HOUR, .variant = i + 400};
		put_conversation(g, &c);
		if (i == 1) {
			/* broken: a feedback value that is neither 0 nor 1 */
			json_t *m = message(tid, c.reply, NULL, "assistant_message", "Assistant", tp->answer,
			                    c.last_us - 700000, c.last_us - 3000);
			json_t *fb = fb_map(tid, c.reply, 1, "rated 2 by the Slack integration");
			json_object_set_new(json_object_get(fb, "M"), "value", N("2"));
			set(m, "feedback", fb);
			put(g, m);
		} else {
			put_reply(g, &c, i % 2, i == 0 ? "👍 works in Slack too" : NULL);
		}
		sp.user = dave;
		sp.name = tp->question;
		put_thread(g, tid, &sp, c.last_us + 5 * SEC);
	}

	const char *kenji = "kenji@example.jp";
	int64_t kbase = BASE_US + 30 * 24 * HOUR;
	static const char *const ja[] = {"東京の天気を教えて 🌸", "会議の議事録を要約して",
	                                 "この関数のバグを見つけて"};
	static const char *const ja_answers[] = {
		"東京は晴れ、最高気温は１８度です。\n週末は雨の予報です。",
		"議事録の要約：\n・予算は承認されました\n・次回は来週の月曜日です",
		"３行目でインデックスが１つずれています。\n`range(len(xs) - 1)` を `range(len(xs))` に"
		"直してください。",
	};
	for (int i = 0; i < 3; i++) {
		char tid[37];
		gen_uuid(g, tid);
		struct conv c = {.tid = tid, .user = kenji, .question = ja[i], .answer = ja_answers[i],
		                 .tp = &topics[(i * 4 + 2) % N_TOPICS], .t0 = kbase + i * 26 * HOUR,
		                 .variant = i + 500};
		put_conversation(g, &c);
		put_reply(g, &c, i == 2 ? 0 : 1, i == 0 ? "分かりやすい説明でした。" : NULL);
		struct thread_spec sp = {.user = kenji, .name = ja[i], .client = "webapp",
		                         .profile = "Coder"};
		put_thread(g, tid, &sp, c.last_us + 15 * SEC);
	}
}

/* Threads that never had a user (not in the index), and feedback written
 * without a thread id (broken: THREAD#None). */
static void demo_anonymous(struct gen *g)
{
	int64_t base = BASE_US + 45 * 24 * HOUR;
	for (int i = 0; i < 4; i++) {
		const struct topic *tp = &topics[(i * 5 + 2) % N_TOPICS];
		char tid[37];
		gen_uuid(g, tid);
		struct conv c = {.tid = tid, .user = NULL, .question = tp->question, .tp = tp,
		                 .t0 = base + i * 11 * HOUR, .variant = i + 600};
		put_conversation(g, &c);
		put_reply(g, &c, i == 0 ? 1 : -1, NULL);
		struct thread_spec sp = {.name = tp->question, .client = i % 2 ? "copilot" : "webapp"};
		put_thread(g, tid, &sp, c.last_us + 8 * SEC);
	}
	char step_id[37];
	gen_uuid(g, step_id);
	json_t *stub = keyed("THREAD#", "None", "STEP#", step_id);
	char id[128];
	snprintf(id, sizeof id, "THREAD#None::STEP#%s", step_id);
	set(stub, "feedback", M(json_pack("{s:o,s:o,s:o,s:o,s:o}", "forId", S(step_id),
	                                  "value", N("0"), "threadId", NUL(), "id", S(id),
	                                  "comment", S("Nicht hilfreich"))));
	put(g, stub);
}

int demo_fill_chainlit(struct session *s, const struct demo_names *n, const struct demo_opts *o,
                       char **err)
{
	if (demo_check(s, n, err) != 0)
		return -1;
	struct gen g = {.counter = 0, .writes = json_array()};
	demo_users(&g);
	demo_alice(&g);
	demo_bob(&g);
	demo_others(&g);
	demo_anonymous(&g);
	size_t count = json_array_size(g.writes);
	struct ddb_result *r = ddb_batch_write_sync(s->ddb, n->chainlit, g.writes);
	json_decref(g.writes);
	if (r) {
		*err = util_xasprintf("writing the Chainlit demo items to %s: %s%s%s", n->chainlit,
		                      r->err.code ? r->err.code : "", r->err.code ? ": " : "",
		                      r->err.message ? r->err.message : ddb_error_kind_text(r->err.kind));
		ddb_result_free(r);
		return -1;
	}
	if (o && o->progress) {
		char msg[512];
		snprintf(msg, sizeof msg, "wrote %zu Chainlit items to %s", count, n->chainlit);
		o->progress(msg, o->ud);
	}
	return 0;
}
