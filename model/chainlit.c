/* model/chainlit.c: decoding Chainlit items, the repositories over a Chainlit
 * table and the conversation tree (see chainlit.h, SCHEMAS.md Part B). */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/chainlit.h"
#include "model/strays.h"
#include "model/tables.h"
#include "model/timefmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_INFLIGHT 4      /* BatchGetItems in flight while streaming a user's threads */
#define STREAM_QUEUED 40       /* chunks of 100 waiting before the index reads pause */
#define BATCH_GET_MAX 100      /* keys per BatchGetItem */
#define UNPROCESSED_ROUNDS 10

static bool str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* ---- Keys ----------------------------------------------------------------- */

const char *cl_strip_prefix(const char *key, const char *prefix)
{
	if (!key || !prefix)
		return NULL;
	size_t n = strlen(prefix);
	return strncmp(key, prefix, n) ? NULL : key + n;
}

enum cl_kind cl_item_kind(const json_t *item)
{
	const char *pk = ddb_item_s(item, "PK"), *sk = ddb_item_s(item, "SK");
	if (!pk || !sk)
		return CL_ITEM_UNKNOWN;
	if (cl_strip_prefix(pk, "USER#") && !strcmp(sk, "USER"))
		return CL_ITEM_USER;
	if (!cl_strip_prefix(pk, "THREAD#"))
		return CL_ITEM_UNKNOWN;
	if (!strcmp(sk, "THREAD"))
		return CL_ITEM_THREAD;
	if (cl_strip_prefix(sk, "STEP#"))
		return CL_ITEM_STEP;
	if (cl_strip_prefix(sk, "ELEMENT#"))
		return CL_ITEM_ELEMENT;
	return CL_ITEM_UNKNOWN;
}

json_t *cl_key(const char *pk_prefix, const char *id, const char *sk)
{
	char *pk = util_xasprintf("%s%s", pk_prefix ? pk_prefix : "", id ? id : "");
	json_t *k = json_pack("{s:o,s:o}", "PK", ddb_av_s(pk), "SK", ddb_av_s(sk));
	free(pk);
	return k;
}

json_t *cl_step_key(const char *thread_id, const char *step_id)
{
	char *sk = util_xasprintf("STEP#%s", step_id ? step_id : "");
	json_t *k = cl_key("THREAD#", thread_id, sk);
	free(sk);
	return k;
}

/* ---- Decoding helpers ------------------------------------------------------- */

/* A required M: missing is a problem, NULL or another type too. */
static const json_t *req_m(const json_t *item, const char *name, struct problems *p)
{
	if (!json_object_get(item, name)) {
		problems_add(p, name, "missing");
		return NULL;
	}
	const json_t *m = item_opt_m(item, name, p);
	if (!m && str_eq(ddb_av_type(json_object_get(item, name)), "NULL"))
		problems_add(p, name, "is NULL, expected M");
	return m;
}

/* A timestamp attribute that must parse (when present). */
static void check_time(const char *value, const char *name, struct problems *p)
{
	int64_t us;
	if (value && !time_parse(value, &us))
		problems_add(p, name, "not a timestamp: \"%s\"", value);
}

/* The id part of a key attribute: the rest after `prefix`, or NULL. */
static const char *key_part(const json_t *item, const char *attr, const char *prefix,
                            struct problems *p)
{
	const char *v = item_req_s(item, attr, p);
	if (!v)
		return NULL;
	const char *rest = cl_strip_prefix(v, prefix);
	if (!rest && p)
		problems_add(p, attr, "does not start with %s", prefix);
	return rest;
}

/* Are all of the item's attributes in `allowed` (NULL-terminated)? */
static bool only_attrs(const json_t *item, const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)item, k, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(k, *a);
		if (!ok)
			return false;
	}
	return true;
}

/* ---- User ---------------------------------------------------------------- */

void cl_user_decode(struct cl_user *u, const json_t *item)
{
	memset(u, 0, sizeof *u);
	u->raw = json_incref((json_t *)item);
	struct problems *p = &u->problems;
	const char *pk_id = key_part(item, "PK", "USER#", p);
	const char *sk = item_req_s(item, "SK", p);
	if (sk && strcmp(sk, "USER"))
		problems_add(p, "SK", "is \"%s\", expected USER", sk);
	const char *ident = item_req_s(item, "identifier", p);
	u->id = item_req_s(item, "id", p);
	u->created_at = item_req_s(item, "createdAt", p);
	check_time(u->created_at, "createdAt", p);
	u->metadata = req_m(item, "metadata", p);
	u->identifier = util_xstrdup(ident ? ident : u->id ? u->id : pk_id ? pk_id : "");
	if (ident && u->id && strcmp(ident, u->id))
		problems_add(p, "id", "\"%s\" differs from identifier \"%s\"", u->id, ident);
	if (ident && pk_id && strcmp(ident, pk_id))
		problems_add(p, "PK", "is not USER#{identifier}");
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *cl_user_json(const struct cl_user *u)
{
	const json_t *md = json_object_get(u->raw, "metadata");
	return json_pack("{s:s,s:o,s:o,s:o,s:o}", "identifier", u->identifier ? u->identifier : "",
	                 "id", str_or_null(u->id), "createdAt", str_or_null(u->created_at),
	                 "metadata", md ? item_to_plain(md) : json_null(),
	                 "problems", problems_to_json(&u->problems, NULL));
}

void cl_user_clear(struct cl_user *u)
{
	json_decref(u->raw);
	free(u->identifier);
	problems_free(&u->problems);
	memset(u, 0, sizeof *u);
}

/* ---- Thread --------------------------------------------------------------- */

/* What the user fields of a thread say about each other (B.3, B.11 rule 4). */
static void thread_user_checks(struct cl_thread *t)
{
	struct problems *p = &t->problems;
	if (t->user_thread_pk && !t->name)
		problems_add(p, "name", "missing on a thread in the UserThread index "
		             "(Chainlit's list_threads fails on it)");
	if (t->from_index)
		return;
	if (t->user_id && t->user_identifier && strcmp(t->user_id, t->user_identifier))
		problems_add(p, "userIdentifier", "\"%s\" differs from userId \"%s\"",
		             t->user_identifier, t->user_id);
	if (t->user_thread_pk) {
		const char *who = cl_strip_prefix(t->user_thread_pk, "USER#");
		if (!who)
			problems_add(p, "UserThreadPK", "does not start with USER#");
		else if (t->user_id && strcmp(who, t->user_id))
			problems_add(p, "UserThreadPK", "names \"%s\" but userId is \"%s\"", who, t->user_id);
		else if (!t->user_id && t->user_identifier && strcmp(who, t->user_identifier))
			problems_add(p, "UserThreadPK", "names \"%s\" but userIdentifier is \"%s\"", who,
			             t->user_identifier);
		if (!t->user_id)
			problems_add(p, "userId", "missing on a thread in the UserThread index");
		if (!t->user_identifier)
			problems_add(p, "userIdentifier", "missing on a thread in the UserThread index");
	} else if (t->user_id || t->user_identifier) {
		problems_add(p, "UserThreadPK", "missing although the thread has a user");
	}
}

static void thread_common(struct cl_thread *t, const json_t *item, bool from_index)
{
	memset(t, 0, sizeof *t);
	t->raw = json_incref((json_t *)item);
	t->from_index = from_index;
	struct problems *p = &t->problems;
	const char *pk_id = key_part(item, "PK", "THREAD#", p);
	const char *sk = item_req_s(item, "SK", p);
	if (sk && strcmp(sk, "THREAD"))
		problems_add(p, "SK", "is \"%s\", expected THREAD", sk);
	const char *id = item_req_s(item, "id", p);
	t->id = util_xstrdup(id ? id : pk_id ? pk_id : "");
	if (id && pk_id && strcmp(id, pk_id))
		problems_add(p, "id", "\"%s\" differs from the key's \"%s\"", id, pk_id);
	t->name = item_opt_s(item, "name", p);
	t->user_thread_pk = item_opt_s(item, "UserThreadPK", p);
	t->user_thread_sk = from_index ? item_req_s(item, "UserThreadSK", p)
	                               : item_opt_s(item, "UserThreadSK", p);
	if (t->user_thread_sk && !cl_strip_prefix(t->user_thread_sk, "TS#"))
		problems_add(p, "UserThreadSK", "does not start with TS#");
}

void cl_thread_decode(struct cl_thread *t, const json_t *item)
{
	thread_common(t, item, false);
	struct problems *p = &t->problems;
	t->created_at = item_req_s(item, "createdAt", p);
	check_time(t->created_at, "createdAt", p);
	if (!t->created_at)
		t->created_at = cl_strip_prefix(t->user_thread_sk, "TS#");
	if (!t->user_thread_sk && json_object_get(item, "UserThreadSK") == NULL)
		problems_add(p, "UserThreadSK", "missing (every update_thread writes it)");
	t->user_id = item_opt_s(item, "userId", p);
	t->user_identifier = item_opt_s(item, "userIdentifier", p);
	t->tags = item_opt_l(item, "tags", p);
	t->metadata = item_opt_m(item, "metadata", p);
	thread_user_checks(t);
}

void cl_thread_decode_index(struct cl_thread *t, const json_t *item)
{
	thread_common(t, item, true);
	t->created_at = cl_strip_prefix(t->user_thread_sk, "TS#");
	check_time(t->created_at, "UserThreadSK", &t->problems);
	thread_user_checks(t);
}

void cl_thread_clear(struct cl_thread *t)
{
	json_decref(t->raw);
	free(t->id);
	problems_free(&t->problems);
	memset(t, 0, sizeof *t);
}

/* ---- Step and feedback ------------------------------------------------------ */

void cl_feedback_decode(struct cl_feedback *f, const json_t *av, const char *pk_thread,
                        const char *sk_step, struct problems *problems)
{
	memset(f, 0, sizeof *f);
	f->av = av;
	f->vote = -1;
	const char *t = ddb_av_type(av);
	if (!t || strcmp(t, "M")) {
		if (problems)
			problems_add(problems, "feedback", "is %s, expected M", t ? t : "malformed");
		return;
	}
	const json_t *m = json_object_get(av, "M");
	struct problems fp = {0};
	f->value = item_req_n(m, "value", &fp);
	long long v;
	if (f->value && item_n_to_ll(f->value, &v) && (v == 0 || v == 1))
		f->vote = (int)v;
	else if (f->value)
		problems_add(&fp, "value", "is %s, expected 0 or 1", f->value);
	f->for_id = item_req_s(m, "forId", &fp);
	f->id = item_req_s(m, "id", &fp);
	const json_t *tav = json_object_get(m, "threadId");
	f->thread_id = item_opt_s(m, "threadId", &fp);
	if (!tav)
		problems_add(&fp, "threadId", "missing");
	else if (!f->thread_id && str_eq(ddb_av_type(tav), "NULL"))
		problems_add(&fp, "threadId", "is NULL (the feedback was written under THREAD#None)");
	f->comment = item_opt_s(m, "comment", &fp);
	if (f->for_id && sk_step && strcmp(f->for_id, sk_step))
		problems_add(&fp, "forId", "\"%s\" is not this step", f->for_id);
	if (f->thread_id && pk_thread && strcmp(f->thread_id, pk_thread))
		problems_add(&fp, "threadId", "\"%s\" is not this step's thread", f->thread_id);
	if (f->id && pk_thread && sk_step) {
		char *want = util_xasprintf("THREAD#%s::STEP#%s", pk_thread, sk_step);
		if (strcmp(f->id, want))
			problems_add(&fp, "id", "is \"%s\", expected \"%s\"", f->id, want);
		free(want);
	}
	/* fp's problems, with a "feedback." path */
	for (size_t i = 0; problems && i < fp.n; i++) {
		char *path = util_xasprintf("feedback.%s", fp.v[i].attr ? fp.v[i].attr : "");
		problems_add(problems, path, "%s", fp.v[i].text ? fp.v[i].text : "");
		free(path);
	}
	problems_free(&fp);
}

static void decode_feedback(struct cl_step *st, const json_t *av, const char *pk_thread,
                            const char *sk_step)
{
	st->has_feedback = true;
	cl_feedback_decode(&st->feedback, av, pk_thread, sk_step, &st->problems);
}

static const char *const stub_attrs[] = {"PK", "SK", "feedback", NULL};

void cl_step_decode(struct cl_step *st, const json_t *item)
{
	memset(st, 0, sizeof *st);
	st->raw = json_incref((json_t *)item);
	st->streaming = st->is_error = -1;
	struct problems *p = &st->problems;
	const char *pk_thread = key_part(item, "PK", "THREAD#", p);
	const char *sk_step = key_part(item, "SK", "STEP#", p);
	st->stub = only_attrs(item, stub_attrs);
	const json_t *fb = json_object_get(item, "feedback");
	if (st->stub) {
		st->id = util_xstrdup(sk_step);
		st->thread_id = util_xstrdup(pk_thread);
		problems_add(p, NULL, "%s", stray_origin(fb != NULL));
		if (fb)
			decode_feedback(st, fb, pk_thread, sk_step);
		return;
	}
	const char *id = item_req_s(item, "id", p);
	st->id = util_xstrdup(id ? id : sk_step);
	if (id && sk_step && strcmp(id, sk_step))
		problems_add(p, "id", "\"%s\" differs from the key's \"%s\"", id, sk_step);
	const char *tid = item_req_s(item, "threadId", p);
	st->thread_id = util_xstrdup(tid ? tid : pk_thread);
	if (tid && pk_thread && strcmp(tid, pk_thread))
		problems_add(p, "threadId", "\"%s\" differs from the key's \"%s\"", tid, pk_thread);
	st->parent_id = item_opt_s(item, "parentId", p);
	st->name = item_req_s(item, "name", p);
	st->type = item_req_s(item, "type", p);
	st->input = item_opt_s(item, "input", p);
	st->output = item_opt_s(item, "output", p);
	st->created_at = item_req_s(item, "createdAt", p);
	if (st->created_at)
		st->created_ok = time_parse(st->created_at, &st->created_us);
	if (st->created_at && !st->created_ok)
		problems_add(p, "createdAt", "not a timestamp: \"%s\"", st->created_at);
	st->start = item_opt_s(item, "start", p);
	st->end = item_opt_s(item, "end", p);
	check_time(st->start, "start", p);
	check_time(st->end, "end", p);
	st->language = item_opt_s(item, "language", p);
	st->streaming = item_opt_bool(item, "streaming", p);
	st->is_error = item_opt_bool(item, "isError", p);
	st->metadata = item_opt_m(item, "metadata", p);
	st->tags = item_opt_l(item, "tags", p);
	st->generation = item_opt_m(item, "generation", p);
	const json_t *si = json_object_get(item, "showInput");
	const char *sit = si ? ddb_av_type(si) : NULL;
	if (si && !str_eq(sit, "S") && !str_eq(sit, "BOOL") && !str_eq(sit, "NULL"))
		problems_add(p, "showInput", "is %s, expected S or BOOL", sit ? sit : "malformed");
	if (fb)
		decode_feedback(st, fb, pk_thread, sk_step);
}

void cl_step_clear(struct cl_step *st)
{
	json_decref(st->raw);
	free(st->id);
	free(st->thread_id);
	problems_free(&st->problems);
	memset(st, 0, sizeof *st);
}

int64_t cl_step_duration_us(const struct cl_step *st)
{
	int64_t a, b;
	if (!time_parse(st->start, &a) || !time_parse(st->end, &b) || b < a)
		return -1;
	return b - a;
}

bool cl_step_is_message(const struct cl_step *st)
{
	const char *t = st->type;
	return t && (!strcmp(t, "user_message") || !strcmp(t, "assistant_message") ||
	             !strcmp(t, "system_message"));
}

/* ---- Element ---------------------------------------------------------------- */

void cl_element_decode(struct cl_element *e, const json_t *item)
{
	memset(e, 0, sizeof *e);
	e->raw = json_incref((json_t *)item);
	struct problems *p = &e->problems;
	const char *pk_thread = key_part(item, "PK", "THREAD#", p);
	const char *sk_el = key_part(item, "SK", "ELEMENT#", p);
	const char *id = item_req_s(item, "id", p);
	e->id = util_xstrdup(id ? id : sk_el);
	if (id && sk_el && strcmp(id, sk_el))
		problems_add(p, "id", "\"%s\" differs from the key's \"%s\"", id, sk_el);
	const char *tid = item_req_s(item, "threadId", p);
	e->thread_id = util_xstrdup(tid ? tid : pk_thread);
	if (tid && pk_thread && strcmp(tid, pk_thread))
		problems_add(p, "threadId", "\"%s\" differs from the key's \"%s\"", tid, pk_thread);
	e->type = item_req_s(item, "type", p);
	e->name = item_req_s(item, "name", p);
	e->display = item_opt_s(item, "display", p);
	e->url = item_opt_s(item, "url", p);
	e->object_key = item_opt_s(item, "objectKey", p);
	if (!e->object_key && !json_object_get(item, "objectKey"))
		problems_add(p, "objectKey", "missing (get_thread needs it when a storage client "
		             "is configured)");
	e->for_id = item_req_s(item, "forId", p);
	e->mime = item_opt_s(item, "mime", p);
	e->size = item_opt_s(item, "size", p);
	e->language = item_opt_s(item, "language", p);
	e->page = item_opt_n(item, "page", p);
	item_opt_s(item, "chainlitKey", p);
	item_opt_m(item, "props", p);
	item_opt_m(item, "playerConfig", p);
	item_opt_bool(item, "autoPlay", p);
}

void cl_element_clear(struct cl_element *e)
{
	json_decref(e->raw);
	free(e->id);
	free(e->thread_id);
	problems_free(&e->problems);
	memset(e, 0, sizeof *e);
}

/* ---- Lists ---------------------------------------------------------------- */

static const char *const index_attrs[] = {"PK", "SK", "UserThreadPK", "UserThreadSK", "id", "name", NULL};

/* A thread list holds index items (from the user's threads) and full ones. */
static void thread_decode_any(struct cl_thread *t, const json_t *item)
{
	if (json_object_get(item, "UserThreadSK") && only_attrs(item, index_attrs))
		cl_thread_decode_index(t, item);
	else
		cl_thread_decode(t, item);
}

/* Defines LIST_add (grows `v` by the items' count and decodes each with
 * `decode`) and LIST_free (clears each with `clear`) for struct LIST. */
#define CL_LIST_FUNCS(list, decode, clear) \
	void list##_add(struct list *l, const json_t *items) \
	{ \
		size_t n = json_array_size(items); \
		l->v = util_xrealloc(l->v, (l->n + n) * sizeof *l->v); \
		for (size_t i = 0; i < n; i++) \
			decode(&l->v[l->n++], json_array_get(items, i)); \
	} \
	void list##_free(struct list *l) \
	{ \
		for (size_t i = 0; i < l->n; i++) \
			clear(&l->v[i]); \
		free(l->v); \
		l->v = NULL; \
		l->n = 0; \
	}

/* cl_users_add, cl_users_free, cl_threads_add, cl_threads_free, cl_steps_add,
 * cl_steps_free */
CL_LIST_FUNCS(cl_users, cl_user_decode, cl_user_clear)
CL_LIST_FUNCS(cl_threads, thread_decode_any, cl_thread_clear)
CL_LIST_FUNCS(cl_steps, cl_step_decode, cl_step_clear)

#undef CL_LIST_FUNCS

/* ---- Repositories ------------------------------------------------------------- */

static json_t *base_request(const char *table, int limit)
{
	json_t *req = json_pack("{s:s}", "TableName", table);
	if (limit > 0)
		json_object_set_new(req, "Limit", json_integer(limit));
	return req;
}

/* A Scan of `table` with FilterExpression `filter` (taken) and the
 * placeholders of `e` (freed). */
static struct pager *filtered_scan(struct session *s, const char *table, int limit,
                                   struct ddb_expr *e, char *filter)
{
	json_t *req = base_request(table, limit);
	json_object_set_new(req, "FilterExpression", json_string(filter));
	free(filter);
	ddb_expr_apply(e, req);
	ddb_expr_free(e);
	return pager_new(s, "Scan", req);
}

struct pager *cl_users_pager(struct session *s, const char *table, int limit)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *f = util_xasprintf("begins_with(%s, %s) AND %s = %s", ddb_expr_name(&e, "PK"),
	                    ddb_expr_value(&e, ddb_av_s("USER#")), ddb_expr_name(&e, "SK"),
	                    ddb_expr_value(&e, ddb_av_s("USER")));
	return filtered_scan(s, table, limit, &e, f);
}

struct pager *cl_users_and_feedback_pager(struct session *s, const char *table, int limit)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	const char *pk = ddb_expr_name(&e, "PK"), *sk = ddb_expr_name(&e, "SK");
	char *f = util_xasprintf("(begins_with(%s, %s) AND %s = %s) OR (begins_with(%s, %s) AND "
	                         "attribute_exists(%s))", pk, ddb_expr_value(&e, ddb_av_s("USER#")),
	                         sk, ddb_expr_value(&e, ddb_av_s("USER")), sk,
	                         ddb_expr_value(&e, ddb_av_s("STEP#")), ddb_expr_name(&e, "feedback"));
	return filtered_scan(s, table, limit, &e, f);
}

/* " AND contains(#name, :search)" for an optional search, or "". */
static char *name_filter(struct ddb_expr *e, const char *search)
{
	if (!search || !*search)
		return util_xstrdup("");
	return util_xasprintf("contains(%s, %s)", ddb_expr_name(e, "name"),
	                 ddb_expr_value(e, ddb_av_s(search)));
}

struct pager *cl_user_threads_pager(struct session *s, const char *table,
                                    const char *identifier, const char *search, int limit)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *pk = util_xasprintf("USER#%s", identifier ? identifier : "");
	char *kc = util_xasprintf("%s = %s", ddb_expr_name(&e, "UserThreadPK"),
	                     ddb_expr_value(&e, ddb_av_s(pk)));
	free(pk);
	json_t *req = base_request(table, limit);
	json_object_set_new(req, "IndexName", json_string(CL_INDEX));
	json_object_set_new(req, "KeyConditionExpression", json_string(kc));
	json_object_set_new(req, "ScanIndexForward", json_false());
	free(kc);
	char *f = name_filter(&e, search);
	if (*f)
		json_object_set_new(req, "FilterExpression", json_string(f));
	free(f);
	ddb_expr_apply(&e, req);
	ddb_expr_free(&e);
	return pager_new(s, "Query", req);
}

struct pager *cl_unowned_threads_pager(struct session *s, const char *table,
                                       const char *search, int limit)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *sf = name_filter(&e, search);
	char *f = util_xasprintf("%s = %s AND attribute_not_exists(%s)%s%s", ddb_expr_name(&e, "SK"),
	                    ddb_expr_value(&e, ddb_av_s("THREAD")),
	                    ddb_expr_name(&e, "UserThreadPK"), *sf ? " AND " : "", sf);
	free(sf);
	return filtered_scan(s, table, limit, &e, f);
}

struct pager *cl_conversation_pager(struct session *s, const char *table, const char *thread_id)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *pk = util_xasprintf("THREAD#%s", thread_id ? thread_id : "");
	char *kc = util_xasprintf("%s = %s", ddb_expr_name(&e, "PK"), ddb_expr_value(&e, ddb_av_s(pk)));
	free(pk);
	json_t *req = base_request(table, 0);
	json_object_set_new(req, "KeyConditionExpression", json_string(kc));
	free(kc);
	ddb_expr_apply(&e, req);
	ddb_expr_free(&e);
	return pager_new(s, "Query", req);
}

struct pager *cl_feedback_pager(struct session *s, const char *table, int limit)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *f = util_xasprintf("begins_with(%s, %s) AND attribute_exists(%s)", ddb_expr_name(&e, "SK"),
	                    ddb_expr_value(&e, ddb_av_s("STEP#")), ddb_expr_name(&e, "feedback"));
	return filtered_scan(s, table, limit, &e, f);
}

/* ---- Jobs -------------------------------------------------------------------- */

enum job_kind { JOB_THREADS, JOB_CONVERSATION };

struct cl_job {
	enum job_kind kind;
	struct session *s;
	char *table;
	void *ud;
	/* JOB_THREADS */
	cl_threads_fn threads_cb;
	json_t *index_items;   /* referenced */
	json_t *pending;       /* keys still to get */
	json_t *found;         /* PK -> item */
	ddb_call *call;
	int rounds;
	/* JOB_CONVERSATION */
	cl_conversation_fn conv_cb;
	char *thread_id;
	struct pager *pager;
	json_t *items;
};

static void job_free(struct cl_job *j)
{
	free(j->table);
	json_decref(j->index_items);
	json_decref(j->pending);
	json_decref(j->found);
	free(j->thread_id);
	pager_free(j->pager);
	json_decref(j->items);
	free(j);
}

void cl_job_cancel(struct cl_job *j)
{
	if (!j)
		return;
	if (j->call)
		ddb_abandon(j->s->ddb, j->call);
	job_free(j);   /* pager_free abandons a page in flight */
}

static struct cl_threads *threads_in_order(const struct cl_job *j)
{
	struct cl_threads *out = util_xcalloc(1, sizeof *out);
	size_t n = json_array_size(j->index_items);
	out->v = util_xcalloc(n, sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		const json_t *ix = json_array_get(j->index_items, i);
		const char *pk = ddb_item_s(ix, "PK");
		const json_t *full = pk ? json_object_get(j->found, pk) : NULL;
		if (full) {
			cl_thread_decode(&out->v[out->n++], full);
		} else {
			struct cl_thread *t = &out->v[out->n++];
			cl_thread_decode_index(t, ix);
			problems_add(&t->problems, NULL, "THREAD item not found");
		}
	}
	return out;
}

static void threads_submit(struct cl_job *j);

static void threads_done(struct ddb_result *r, void *ud)
{
	struct cl_job *j = ud;
	j->call = NULL;
	if (r->err.kind != DDB_OK) {
		j->threads_cb(NULL, &r->err, j->ud);
		job_free(j);
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(json_object_get(r->body, "Responses"), j->table), i, it) {
		const char *pk = ddb_item_s(it, "PK");
		if (pk)
			json_object_set(j->found, pk, it);
	}
	json_t *un = json_object_get(json_object_get(json_object_get(r->body, "UnprocessedKeys"),
	                                             j->table), "Keys");
	if (json_array_size(un)) {
		if (++j->rounds > UNPROCESSED_ROUNDS) {
			struct ddb_error e = {.kind = DDB_ERR_SERVICE,
			                      .code = "UnprocessedKeys",
			                      .message = "keys stayed unprocessed after repeated retries (throttled)"};
			j->threads_cb(NULL, &e, j->ud);
			job_free(j);
			return;
		}
		json_array_extend(j->pending, un);
	}
	if (json_array_size(j->pending)) {
		threads_submit(j);
		return;
	}
	j->threads_cb(threads_in_order(j), NULL, j->ud);
	job_free(j);
}

static void threads_submit(struct cl_job *j)
{
	json_t *chunk = json_array();
	size_t n = json_array_size(j->pending);
	size_t take = n < BATCH_GET_MAX ? n : BATCH_GET_MAX;
	for (size_t i = 0; i < take; i++)
		json_array_append(chunk, json_array_get(j->pending, i));
	json_t *rest = json_array();
	for (size_t i = take; i < n; i++)
		json_array_append(rest, json_array_get(j->pending, i));
	json_decref(j->pending);
	j->pending = rest;
	json_t *req = json_pack("{s:{s:{s:o}}}", "RequestItems", j->table, "Keys", chunk);
	j->call = ddb_submit(j->s->ddb, "BatchGetItem", req, threads_done, j);
}

struct cl_job *cl_threads_fetch(struct session *s, const char *table, const json_t *index_items,
                                cl_threads_fn cb, void *ud)
{
	struct cl_job *j = util_xcalloc(1, sizeof *j);
	j->kind = JOB_THREADS;
	j->s = s;
	j->table = util_xstrdup(table);
	j->threads_cb = cb;
	j->ud = ud;
	j->index_items = json_is_array(index_items) ? json_incref((json_t *)index_items) : json_array();
	j->pending = json_array();
	j->found = json_object();
	/* one key per distinct PK: BatchGetItem refuses duplicate keys */
	json_t *seen = json_object();
	size_t i;
	json_t *it;
	json_array_foreach(j->index_items, i, it) {
		const char *pk = ddb_item_s(it, "PK");
		if (!pk || json_object_get(seen, pk))
			continue;
		json_object_set_new(seen, pk, json_true());
		json_array_append_new(j->pending, json_pack("{s:o,s:o}", "PK", ddb_av_s(pk),
		                                            "SK", ddb_av_s("THREAD")));
	}
	json_decref(seen);
	if (!json_array_size(j->pending)) {
		cb(threads_in_order(j), NULL, ud);
		job_free(j);
		return NULL;
	}
	threads_submit(j);
	return j;
}

struct threads_sync {
	bool done;
	struct cl_threads *out;
	struct ddb_error *err;
	int rc;
};

static void threads_sync_cb(struct cl_threads *threads, const struct ddb_error *err, void *ud)
{
	struct threads_sync *ts = ud;
	ts->done = true;
	if (err) {
		ddb_error_copy(ts->err, err);
		ts->rc = -1;
		return;
	}
	*ts->out = *threads;
	free(threads);
}

int cl_threads_fetch_sync(struct session *s, const char *table, const json_t *index_items,
                          struct cl_threads *out, struct ddb_error *err)
{
	struct threads_sync ts = {.out = out, .err = err};
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	if (cl_threads_fetch(s, table, index_items, threads_sync_cb, &ts))
		while (!ts.done)
			ddb_client_wait(s->ddb, 1000);
	return ts.rc;
}

/* ---- Threads a page at a time, for the browser ------------------------------------ */

struct cl_thread_pages {
	struct session *s;
	char *table;
	struct pager *pager;
	struct cl_job *job;            /* the page's BatchGetItem in flight */
	struct cl_threads page;        /* the page between its two stages */
	cl_thread_page_fn cb;
	void *ud;
	bool busy;
};

static struct cl_thread_pages *thread_pages_new(struct session *s, const char *table,
                                                struct pager *p)
{
	struct cl_thread_pages *tp = util_xcalloc(1, sizeof *tp);
	tp->s = s;
	tp->table = util_xstrdup(table);
	tp->pager = p;
	return tp;
}

struct cl_thread_pages *cl_user_thread_pages(struct session *s, const char *table,
                                             const char *identifier, int limit)
{
	return thread_pages_new(s, table, cl_user_threads_pager(s, table, identifier, NULL, limit));
}

struct cl_thread_pages *cl_unowned_thread_pages(struct session *s, const char *table, int limit)
{
	return thread_pages_new(s, table, cl_unowned_threads_pager(s, table, NULL, limit));
}

void cl_thread_pages_free(struct cl_thread_pages *tp)
{
	if (!tp)
		return;
	cl_job_cancel(tp->job);
	pager_free(tp->pager);
	cl_threads_free(&tp->page);
	free(tp->table);
	free(tp);
}

bool cl_thread_pages_done(const struct cl_thread_pages *tp)
{
	return !tp->busy && pager_done(tp->pager);
}

/* The BatchGetItem of the page's index items is through: the page is
 * complete, in its order (a thread that was a THREAD item already stays). */
static void thread_pages_fetched(struct cl_threads *threads, const struct ddb_error *err, void *ud)
{
	struct cl_thread_pages *tp = ud;
	tp->job = NULL;
	tp->busy = false;
	struct cl_threads page = tp->page;
	memset(&tp->page, 0, sizeof tp->page);
	if (!err) {
		size_t k = 0;
		for (size_t i = 0; i < page.n && k < threads->n; i++)
			if (page.v[i].from_index) {
				cl_thread_clear(&page.v[i]);
				page.v[i] = threads->v[k];
				memset(&threads->v[k++], 0, sizeof threads->v[0]);
			}
	}
	if (threads) {
		cl_threads_free(threads);
		free(threads);
	}
	tp->cb(err ? NULL : &page, true, err, tp->ud);
	cl_threads_free(&page);
}

static void thread_pages_page(struct pager *p, const json_t *items, const struct ddb_error *err,
                              void *ud)
{
	struct cl_thread_pages *tp = ud;
	if (err) {
		tp->busy = false;
		tp->cb(NULL, true, err, tp->ud);
		return;
	}
	/* a filter (Chainlit's search, the Scan's SK = THREAD) can give empty
	 * pages with more to come */
	if (!json_array_size(items) && !pager_done(p)) {
		pager_next(p, thread_pages_page, tp);
		return;
	}
	cl_threads_add(&tp->page, items);
	json_t *want = json_array();
	for (size_t i = 0; i < tp->page.n; i++)
		if (tp->page.v[i].from_index)
			json_array_append(want, json_array_get(items, i));
	if (!json_array_size(want)) {
		/* THREAD items already (a Scan): complete at once */
		json_decref(want);
		struct cl_threads page = tp->page;
		memset(&tp->page, 0, sizeof tp->page);
		tp->busy = false;
		tp->cb(&page, true, NULL, tp->ud);
		cl_threads_free(&page);
		return;
	}
	/* the fetch goes first: the callback may free tp, which cancels it */
	tp->job = cl_threads_fetch(tp->s, tp->table, want, thread_pages_fetched, tp);
	json_decref(want);
	tp->cb(&tp->page, false, NULL, tp->ud);
}

bool cl_thread_pages_next(struct cl_thread_pages *tp, cl_thread_page_fn cb, void *ud)
{
	if (tp->busy || pager_done(tp->pager))
		return false;
	tp->cb = cb;
	tp->ud = ud;
	if (!pager_next(tp->pager, thread_pages_page, tp))
		return false;
	tp->busy = true;
	return true;
}

/* ---- A user's threads, streamed ------------------------------------------------ */

/* Index pages are read one after the other (each needs the last one's
 * LastEvaluatedKey); each page is cut into chunks of 100 keys whose
 * BatchGetItems run alongside the next index pages, STREAM_INFLIGHT at a
 * time.  Chunks are handed out in index order as soon as every chunk
 * before them is done, so only the chunks between the oldest unfinished
 * one and the index read are in memory, and the index read pauses when
 * STREAM_QUEUED chunks wait. */

struct stream;

struct stream_chunk {
	struct stream *st;
	json_t *index_items;
	struct cl_threads *threads;  /* the result, NULL until done */
	struct cl_job *job;          /* while its BatchGetItem runs */
	bool sent;
};

struct stream {
	struct session *s;
	const char *table;
	bool index_only;
	struct pager *pager;
	bool page_busy;
	struct stream_chunk **q;     /* ring of queued chunks, in index order */
	size_t head, n, cap;
	int inflight;
	bool failed;
	struct ddb_error err;
	cl_threads_stream_fn cb;
	void *ud;
	long count;
};

static struct stream_chunk **chunk_at(struct stream *st, size_t i)
{
	return &st->q[(st->head + i) % st->cap];
}

static void chunk_free(struct stream_chunk *c)
{
	if (c->threads) {
		cl_threads_free(c->threads);
		free(c->threads);
	}
	json_decref(c->index_items);
	free(c);
}

static void stream_fail(struct stream *st, const struct ddb_error *err)
{
	if (st->failed)
		return;
	st->failed = true;
	ddb_error_copy(&st->err, err);
}

static void stream_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct stream *st = ud;
	(void)p;
	st->page_busy = false;
	if (err) {
		stream_fail(st, err);
		return;
	}
	size_t n = json_array_size(items);
	for (size_t at = 0; at < n; at += BATCH_GET_MAX) {
		if (st->n == st->cap) {
			/* grow the ring, keeping the order */
			size_t cap = st->cap ? st->cap * 2 : 16;
			struct stream_chunk **q = util_xcalloc(cap, sizeof *q);
			for (size_t i = 0; i < st->n; i++)
				q[i] = *chunk_at(st, i);
			free(st->q);
			st->q = q;
			st->cap = cap;
			st->head = 0;
		}
		struct stream_chunk *c = util_xcalloc(1, sizeof *c);
		c->st = st;
		c->index_items = json_array();
		for (size_t i = at; i < n && i < at + BATCH_GET_MAX; i++)
			json_array_append(c->index_items, json_array_get(items, i));
		*chunk_at(st, st->n++) = c;
	}
}

static void stream_chunk_done(struct cl_threads *threads, const struct ddb_error *err, void *ud)
{
	struct stream_chunk *c = ud;
	struct stream *st = c->st;
	c->job = NULL;
	st->inflight--;
	if (err)
		stream_fail(st, err);
	else
		c->threads = threads;
}

/* Hand out what is ready (in order) and start what may start. */
static void stream_pump(struct stream *st)
{
	while (st->n && !st->failed) {
		struct stream_chunk *c = *chunk_at(st, 0);
		if (st->index_only && !c->threads) {
			c->threads = util_xcalloc(1, sizeof *c->threads);
			cl_threads_add(c->threads, c->index_items);
		}
		if (!c->threads)
			break;
		st->count += (long)c->threads->n;
		st->cb(c->threads, st->ud);
		chunk_free(c);
		st->head = (st->head + 1) % st->cap;
		st->n--;
	}
	if (st->failed)
		return;
	for (size_t i = 0; i < st->n && st->inflight < STREAM_INFLIGHT && !st->index_only; i++) {
		struct stream_chunk *c = *chunk_at(st, i);
		if (c->sent)
			continue;
		c->sent = true;
		st->inflight++;
		c->job = cl_threads_fetch(st->s, st->table, c->index_items, stream_chunk_done, c);
	}
	if (!st->page_busy && !pager_done(st->pager) && st->n < STREAM_QUEUED &&
	    pager_next(st->pager, stream_page, st))
		st->page_busy = true;
}

int cl_user_threads_stream_sync(struct session *s, const char *table, const char *identifier,
                                bool index_only, cl_threads_stream_fn cb, void *ud, long *count,
                                struct ddb_error *err)
{
	struct stream st = {.s = s, .table = table, .index_only = index_only, .cb = cb, .ud = ud};
	memset(err, 0, sizeof *err);
	st.pager = cl_user_threads_pager(s, table, identifier, NULL, 0);
	stream_pump(&st);
	while (!st.failed && (st.n || st.page_busy || !pager_done(st.pager))) {
		ddb_client_wait(s->ddb, 1000);
		stream_pump(&st);
	}
	/* after a failure, stop what is still in flight: a cancelled job's
	 * callback never runs */
	for (size_t i = 0; i < st.n; i++) {
		struct stream_chunk *c = *chunk_at(&st, i);
		if (c->job)
			cl_job_cancel(c->job);
		chunk_free(c);
	}
	pager_free(st.pager);
	ddb_client_drain(s->ddb);
	free(st.q);
	if (count)
		*count = st.count;
	if (st.failed) {
		*err = st.err;
		return -1;
	}
	return 0;
}

/* ---- Conversation load -------------------------------------------------------- */

static void conv_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct cl_job *j = ud;
	if (err) {
		j->conv_cb(NULL, err, j->ud);
		job_free(j);
		return;
	}
	json_array_extend(j->items, (json_t *)items);
	if (!pager_done(p) && pager_next(p, conv_page, j))
		return;
	struct cl_conversation *c = cl_conversation_build(j->thread_id, j->items);
	j->conv_cb(c, NULL, j->ud);
	job_free(j);
}

struct cl_job *cl_conversation_load(struct session *s, const char *table, const char *thread_id,
                                    cl_conversation_fn cb, void *ud)
{
	struct cl_job *j = util_xcalloc(1, sizeof *j);
	j->kind = JOB_CONVERSATION;
	j->s = s;
	j->table = util_xstrdup(table);
	j->thread_id = util_xstrdup(thread_id);
	j->conv_cb = cb;
	j->ud = ud;
	j->items = json_array();
	j->pager = cl_conversation_pager(s, table, thread_id);
	pager_next(j->pager, conv_page, j);
	return j;
}

struct conv_sync {
	bool done;
	struct cl_conversation **out;
	struct ddb_error *err;
	int rc;
};

static void conv_sync_cb(struct cl_conversation *c, const struct ddb_error *err, void *ud)
{
	struct conv_sync *cs = ud;
	cs->done = true;
	if (err) {
		ddb_error_copy(cs->err, err);
		cs->rc = -1;
		return;
	}
	*cs->out = c;
}

int cl_conversation_load_sync(struct session *s, const char *table, const char *thread_id,
                              struct cl_conversation **out, struct ddb_error *err)
{
	struct conv_sync cs = {.out = out, .err = err};
	*out = NULL;
	memset(err, 0, sizeof *err);
	cl_conversation_load(s, table, thread_id, conv_sync_cb, &cs);
	while (!cs.done)
		ddb_client_wait(s->ddb, 1000);
	return cs.rc;
}

/* ---- The conversation tree ------------------------------------------------------ */

static int step_order(const void *a, const void *b)
{
	const struct cl_step *x = a, *y = b;
	if (x->created_ok != y->created_ok)
		return x->created_ok ? -1 : 1;
	if (x->created_ok && x->created_us != y->created_us)
		return x->created_us < y->created_us ? -1 : 1;
	int c = strcmp(x->created_at ? x->created_at : "", y->created_at ? y->created_at : "");
	return c ? c : strcmp(x->id, y->id);
}

struct id_ix {
	const char *id;
	size_t ix;
};

static int id_ix_cmp(const void *a, const void *b)
{
	const struct id_ix *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->ix < y->ix ? -1 : x->ix > y->ix;
}

/* The first step with this id, or -1. */
static long find_step(const struct id_ix *ix, size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(ix[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(ix[lo].id, id) ? (long)ix[lo].ix : -1;
}

#define PUSH(arr, count, x) do { \
		(arr) = util_xrealloc((arr), ((count) + 1) * sizeof *(arr)); \
		(arr)[(count)++] = (x); \
	} while (0)

struct cl_conversation *cl_conversation_build(const char *thread_id, const json_t *items)
{
	struct cl_conversation *c = util_xcalloc(1, sizeof *c);
	c->thread_id = util_xstrdup(thread_id);
	size_t n = json_array_size(items);
	c->steps = util_xcalloc(n, sizeof *c->steps);
	c->elements = util_xcalloc(n, sizeof *c->elements);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		switch (cl_item_kind(it)) {
		case CL_ITEM_THREAD:
			if (!c->thread) {
				c->thread = util_xcalloc(1, sizeof *c->thread);
				cl_thread_decode(c->thread, it);
				break;
			}
			problems_add(&c->problems, NULL, "a second THREAD item");
			PUSH(c->unknown, c->n_unknown, json_incref(it));
			break;
		case CL_ITEM_STEP:
			cl_step_decode(&c->steps[c->n_steps++], it);
			break;
		case CL_ITEM_ELEMENT:
			cl_element_decode(&c->elements[c->n_elements++], it);
			break;
		default:
			PUSH(c->unknown, c->n_unknown, json_incref(it));
			break;
		}
	}
	if (!c->thread)
		problems_add(&c->problems, NULL, n ? "no THREAD item: Chainlit's get_thread says "
		             "\"not found\"" : "no items: the thread does not exist");
	if (c->n_unknown)
		problems_add(&c->problems, NULL, "%zu item%s with an unknown sort key", c->n_unknown,
		             c->n_unknown == 1 ? "" : "s");

	qsort(c->steps, c->n_steps, sizeof *c->steps, step_order);
	size_t ns = c->n_steps, n_stubs = 0;
	c->nodes = util_xcalloc(ns, sizeof *c->nodes);
	struct id_ix *ix = util_xcalloc(ns, sizeof *ix);
	for (i = 0; i < ns; i++) {
		c->nodes[i].step = &c->steps[i];
		ix[i] = (struct id_ix){c->steps[i].id, i};
		if (c->steps[i].stub)
			n_stubs++;
		else if (!c->steps[i].created_ok)
			c->n_no_created++;
	}
	qsort(ix, ns, sizeof *ix, id_ix_cmp);
	if (c->n_no_created)
		problems_add(&c->problems, NULL, "%zu step%s without a usable createdAt: Chainlit's "
		             "get_thread fails", c->n_no_created, c->n_no_created == 1 ? "" : "s");
	if (n_stubs && c->thread)   /* without it, get_thread returns None first */
		problems_add(&c->problems, NULL, "%zu stub step%s (only a key, or a key and "
		             "feedback): %s", n_stubs, n_stubs == 1 ? "" : "s", stray_effect(true));

	/* parent links; -1 none, -2 missing */
	long *par = util_xcalloc(ns, sizeof *par);
	for (i = 0; i < ns; i++) {
		const char *pid = c->steps[i].parent_id;
		par[i] = -1;
		if (pid) {
			long p = find_step(ix, ns, pid);
			par[i] = p < 0 ? -2 : p;
		}
	}
	/* cycles: walk up from each node; a walk that meets its own path found one */
	unsigned char *state = util_xcalloc(ns, 1);   /* 0 new, 1 on the current path, 2 done */
	size_t *path = util_xcalloc(ns, sizeof *path);
	for (i = 0; i < ns; i++) {
		size_t len = 0;
		long x = (long)i;
		while (x >= 0 && state[x] == 0) {
			state[x] = 1;
			path[len++] = (size_t)x;
			x = par[x];
		}
		if (x >= 0 && state[x] == 1) {
			/* x is on this path: x and everything after it on the path form the cycle */
			size_t k = 0;
			while (path[k] != (size_t)x)
				k++;
			for (; k < len; k++)
				c->nodes[path[k]].cycle = true;
		}
		for (size_t k = 0; k < len; k++)
			state[path[k]] = 2;
	}
	for (i = 0; i < ns; i++) {
		struct cl_node *nd = &c->nodes[i];
		if (nd->cycle) {
			PUSH(c->cycles, c->n_cycles, nd);
		} else if (par[i] == -2) {
			nd->orphan = true;
			PUSH(c->orphans, c->n_orphans, nd);
		} else if (par[i] == -1) {
			PUSH(c->roots, c->n_roots, nd);
		} else {
			struct cl_node *pn = &c->nodes[par[i]];
			nd->parent = pn;
			PUSH(pn->children, pn->n_children, nd);
		}
	}
	if (c->n_orphans)
		problems_add(&c->problems, NULL, "%zu step%s whose parent is missing", c->n_orphans,
		             c->n_orphans == 1 ? "" : "s");
	if (c->n_cycles)
		problems_add(&c->problems, NULL, "%zu step%s on a parentId cycle", c->n_cycles,
		             c->n_cycles == 1 ? "" : "s");
	for (i = 0; i < c->n_elements; i++) {
		struct cl_element *e = &c->elements[i];
		long s = e->for_id ? find_step(ix, ns, e->for_id) : -1;
		if (s < 0) {
			PUSH(c->orphan_elements, c->n_orphan_elements, e);
		} else {
			struct cl_node *nd = &c->nodes[s];
			PUSH(nd->elements, nd->n_elements, e);
		}
	}
	if (c->n_orphan_elements)
		problems_add(&c->problems, NULL, "%zu element%s whose step is missing",
		             c->n_orphan_elements, c->n_orphan_elements == 1 ? "" : "s");
	free(state);
	free(path);
	free(par);
	free(ix);
	return c;
}

bool cl_conversation_update_step(struct cl_conversation *c, const json_t *item)
{
	if (!c || cl_item_kind(item) != CL_ITEM_STEP)
		return false;
	const char *pk = ddb_item_s(item, "PK"), *sk = ddb_item_s(item, "SK");
	for (size_t i = 0; i < c->n_steps; i++) {
		struct cl_step *st = &c->steps[i];
		if (!str_eq(ddb_item_s(st->raw, "PK"), pk) || !str_eq(ddb_item_s(st->raw, "SK"), sk))
			continue;
		json_t *keep = json_incref((json_t *)item);   /* it may be st->raw itself */
		cl_step_clear(st);
		cl_step_decode(st, keep);
		json_decref(keep);
		return true;
	}
	return false;
}

void cl_conversation_free(struct cl_conversation *c)
{
	if (!c)
		return;
	free(c->thread_id);
	if (c->thread) {
		cl_thread_clear(c->thread);
		free(c->thread);
	}
	for (size_t i = 0; i < c->n_steps; i++) {
		free(c->nodes[i].children);
		free(c->nodes[i].elements);
		cl_step_clear(&c->steps[i]);
	}
	for (size_t i = 0; i < c->n_elements; i++)
		cl_element_clear(&c->elements[i]);
	for (size_t i = 0; i < c->n_unknown; i++)
		json_decref(c->unknown[i]);
	free(c->unknown);
	free(c->steps);
	free(c->nodes);
	free(c->elements);
	free(c->roots);
	free(c->orphans);
	free(c->cycles);
	free(c->orphan_elements);
	problems_free(&c->problems);
	free(c);
}

const char *cl_section_name(enum cl_section s)
{
	switch (s) {
	case CL_SECTION_MAIN: return "main";
	case CL_SECTION_ORPHANS: return "orphans";
	case CL_SECTION_CYCLES: return "cycles";
	case CL_SECTION_ORPHAN_ELEMENTS: return "orphan-elements";
	case CL_SECTION_UNKNOWN: return "unknown";
	}
	return "?";
}

static void row_push(struct cl_rows *r, struct cl_row row)
{
	PUSH(r->v, r->n, row);
}

/* A subtree, depth first, without recursion (deep chains stay safe). */
static void rows_subtree(struct cl_rows *r, struct cl_node *top, int depth, enum cl_section sec)
{
	struct frame {
		struct cl_node *n;
		int depth;
	} *stack = NULL;
	size_t sp = 0, cap = 0;
#define FRAME_PUSH(node, d) do { \
		if (sp == cap) { cap = cap ? cap * 2 : 16; stack = util_xrealloc(stack, cap * sizeof *stack); } \
		stack[sp++] = (struct frame){(node), (d)}; \
	} while (0)
	FRAME_PUSH(top, depth);
	while (sp) {
		struct frame f = stack[--sp];
		row_push(r, (struct cl_row){.kind = CL_ROW_STEP, .section = sec, .depth = f.depth,
		                            .node = f.n});
		if (f.n->collapsed)
			continue;
		for (size_t k = 0; k < f.n->n_elements; k++)
			row_push(r, (struct cl_row){.kind = CL_ROW_ELEMENT, .section = sec,
			                            .depth = f.depth + 1, .element = f.n->elements[k]});
		for (size_t k = f.n->n_children; k-- > 0;)
			FRAME_PUSH(f.n->children[k], f.depth + 1);
	}
#undef FRAME_PUSH
	free(stack);
}

void cl_conversation_rows(const struct cl_conversation *c, struct cl_rows *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < c->n_roots; i++)
		rows_subtree(out, c->roots[i], 0, CL_SECTION_MAIN);
	if (c->n_orphans) {
		row_push(out, (struct cl_row){.kind = CL_ROW_SECTION, .section = CL_SECTION_ORPHANS,
		                              .label = "steps whose parent is missing"});
		for (size_t i = 0; i < c->n_orphans; i++)
			rows_subtree(out, c->orphans[i], 1, CL_SECTION_ORPHANS);
	}
	if (c->n_cycles) {
		row_push(out, (struct cl_row){.kind = CL_ROW_SECTION, .section = CL_SECTION_CYCLES,
		                              .label = "steps on a parentId cycle"});
		for (size_t i = 0; i < c->n_cycles; i++)
			rows_subtree(out, c->cycles[i], 1, CL_SECTION_CYCLES);
	}
	if (c->n_orphan_elements) {
		row_push(out, (struct cl_row){.kind = CL_ROW_SECTION,
		                              .section = CL_SECTION_ORPHAN_ELEMENTS,
		                              .label = "elements whose step is missing"});
		for (size_t i = 0; i < c->n_orphan_elements; i++)
			row_push(out, (struct cl_row){.kind = CL_ROW_ELEMENT,
			                              .section = CL_SECTION_ORPHAN_ELEMENTS, .depth = 1,
			                              .element = c->orphan_elements[i]});
	}
	if (c->n_unknown) {
		row_push(out, (struct cl_row){.kind = CL_ROW_SECTION, .section = CL_SECTION_UNKNOWN,
		                              .label = "items with an unknown sort key"});
		for (size_t i = 0; i < c->n_unknown; i++)
			row_push(out, (struct cl_row){.kind = CL_ROW_UNKNOWN, .section = CL_SECTION_UNKNOWN,
			                              .depth = 1, .unknown = c->unknown[i]});
	}
}

void cl_rows_free(struct cl_rows *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* ---- Single items ---------------------------------------------------------------- */

int cl_get_item_sync(struct session *s, const char *table, json_t *key, json_t **item,
                     struct ddb_error *err)
{
	*item = NULL;
	memset(err, 0, sizeof *err);
	json_t *req = json_pack("{s:s,s:o,s:b}", "TableName", table, "Key", key,
	                        "ConsistentRead", 1);
	struct ddb_result *r = ddb_call_sync(s->ddb, "GetItem", req);
	if (r->err.kind != DDB_OK) {
		ddb_error_copy(err, &r->err);
		ddb_result_free(r);
		return -1;
	}
	json_t *it = json_object_get(r->body, "Item");
	if (json_is_object(it))
		*item = json_incref(it);
	ddb_result_free(r);
	return 0;
}

/* ---- Which table -------------------------------------------------------------------- */

enum cl_table_status cl_table_resolve_sync(struct session *s, char **table, char **several,
                                           struct ddb_error *err)
{
	*table = NULL;
	*several = NULL;
	memset(err, 0, sizeof *err);
	if (s->chainlit_table && *s->chainlit_table) {
		*table = util_xstrdup(s->chainlit_table);
		return CL_TABLE_FOUND;
	}
	struct table_list tl;
	if (tables_load_sync(s, &tl, err) != 0)
		return CL_TABLE_ERROR;
	size_t found = 0;
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);
	if (!f)
		abort();
	for (size_t i = 0; i < tl.n; i++) {
		if (tl.v[i].layout != LAYOUT_CHAINLIT)
			continue;
		fprintf(f, "%s%s", found ? ", " : "", tl.v[i].name);
		if (!found)
			*table = util_xstrdup(tl.v[i].name);
		found++;
	}
	fclose(f);
	table_list_free(&tl);
	if (found == 1) {
		free(list);
		return CL_TABLE_FOUND;
	}
	free(*table);
	*table = NULL;
	if (!found) {
		free(list);
		return CL_TABLE_NONE;
	}
	*several = list;
	return CL_TABLE_SEVERAL;
}
