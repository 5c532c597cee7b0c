/* model/feedback.c: conditional feedback writes (see feedback.h). */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/feedback.h"
#include "model/chainlit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fb_status_text(enum fb_status st)
{
	static const char *const text[] = {
#define FB_X_TEXT(id, t) t,
		FB_STATUSES(FB_X_TEXT)
#undef FB_X_TEXT
	};
	return (unsigned)st < sizeof text / sizeof text[0] ? text[st] : "?";
}

void fb_result_clear(struct fb_result *r)
{
	json_decref(r->item);
	json_decref(r->wanted);
	free(r->message);
	ddb_error_clear(&r->err);
	memset(r, 0, sizeof *r);
}

int fb_value_parse(const char *word, int *value)
{
	if (word && !strcmp(word, "up")) {
		*value = 1;
		return 0;
	}
	if (word && !strcmp(word, "down")) {
		*value = 0;
		return 0;
	}
	return -1;
}

char *fb_id(const char *thread_id, const char *step_id)
{
	return util_xasprintf("THREAD#%s::STEP#%s", thread_id ? thread_id : "",
	                      step_id ? step_id : "");
}

json_t *fb_map(const char *thread_id, const char *step_id, int value, const char *comment)
{
	char *id = fb_id(thread_id, step_id);
	/* the Feedback dataclass's fields, in its order (B.5) */
	json_t *m = json_pack("{s:o,s:o,s:o,s:o,s:o}",
	                      "forId", ddb_av_s(step_id),
	                      "value", ddb_av_n(value ? "1" : "0"),
	                      "threadId", ddb_av_s(thread_id),
	                      "id", ddb_av_s(id),
	                      "comment", comment ? ddb_av_s(comment) : ddb_av_null());
	free(id);
	return json_pack("{s:o}", "M", m);
}

static char *invalid(const struct fb_request *r)
{
	if (!r->table || !*r->table)
		return util_xstrdup("no Chainlit table given");
	if (!r->thread_id || !*r->thread_id)
		return util_xstrdup("the thread id is empty");
	if (!r->step_id || !*r->step_id)
		return util_xstrdup("the step id is empty");
	if (r->action != FB_SET && r->action != FB_DELETE)
		return util_xstrdup("unknown feedback action");
	if (r->action == FB_SET && r->value != 0 && r->value != 1)
		return util_xstrdup("the feedback value must be up (1) or down (0)");
	if (r->seen && !ddb_av_type(r->seen))
		return util_xstrdup("the feedback seen is not an attribute value");
	return NULL;
}

json_t *fb_build_request(const struct fb_request *r, char **err)
{
	char *why = invalid(r);
	if (why) {
		if (err)
			*err = why;
		else
			free(why);
		return NULL;
	}
	struct ddb_expr e;
	ddb_expr_init(&e);
	const char *fb = ddb_expr_name(&e, "feedback");
	const char *pk = ddb_expr_name(&e, "PK");
	char *update, *cond;
	if (r->action == FB_SET)
		update = util_xasprintf("SET %s = %s", fb,
		                        ddb_expr_value(&e, fb_map(r->thread_id, r->step_id, r->value,
		                                                  r->comment)));
	else
		update = util_xasprintf("REMOVE %s", fb);
	const json_t *seen_map = json_object_get(r->seen, "M");
	if (r->seen && json_is_object(seen_map) && json_object_size(r->seen) == 1) {
		/* The version seen, compared field by field (plus the number of
		 * fields): some DynamoDB implementations compare whole maps by key
		 * order, which would report a conflict that is not one. */
		char count[24];
		snprintf(count, sizeof count, "%zu", json_object_size(seen_map));
		char *c = util_xasprintf("attribute_exists(%s) AND size(%s) = %s", pk, fb,
		                         ddb_expr_value(&e, ddb_av_n(count)));
		const char **keys = util_xcalloc(json_object_size(seen_map), sizeof *keys);
		size_t nk = 0;
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)seen_map, k, v)
			keys[nk++] = k;
		for (size_t i = 0; i < nk; i++) {
			const json_t *av = json_object_get(seen_map, keys[i]);
			const char *t = ddb_av_type(av);
			char *more;
			if (t && !strcmp(t, "NULL"))
				more = util_xasprintf("%s AND attribute_type(%s.%s, %s)", c, fb,
				                      ddb_expr_name(&e, keys[i]), ddb_expr_value(&e, ddb_av_s("NULL")));
			else
				more = util_xasprintf("%s AND %s.%s = %s", c, fb, ddb_expr_name(&e, keys[i]),
				                      ddb_expr_value(&e, json_deep_copy(av)));
			free(c);
			c = more;
		}
		free(keys);
		cond = c;
	} else if (r->seen)
		cond = util_xasprintf("attribute_exists(%s) AND %s = %s", pk, fb,
		                      ddb_expr_value(&e, json_deep_copy(r->seen)));
	else
		cond = util_xasprintf("attribute_exists(%s) AND attribute_not_exists(%s)", pk, fb);
	json_t *req = json_pack("{s:s,s:o,s:s,s:s,s:s,s:s}",
	                        "TableName", r->table,
	                        "Key", cl_step_key(r->thread_id, r->step_id),
	                        "UpdateExpression", update,
	                        "ConditionExpression", cond,
	                        "ReturnValues", "ALL_NEW",
	                        "ReturnValuesOnConditionCheckFailure", "ALL_OLD");
	ddb_expr_apply(&e, req);
	ddb_expr_free(&e);
	free(update);
	free(cond);
	return req;
}

struct write {
	fb_done_fn cb;
	void *ud;
	enum fb_action action;
	json_t *wanted;
	char *where;     /* "THREAD#t / STEP#s" for messages */
	struct session *s;
	char *table;
	json_t *key;     /* the step's key, to look when the service gives no Item */
};

static void write_free(struct write *w)
{
	json_decref(w->wanted);
	json_decref(w->key);
	free(w->table);
	free(w->where);
	free(w);
}

/* Why a write's outcome is looked up by reading the step. */
enum lookup_why {
	LOOK_CONDITION,   /* a failed condition, first attempt: a real conflict */
	LOOK_RETRIED,     /* a failed condition on a retry: the earlier attempt may
	                     have landed and only its answer been lost */
	LOOK_UNKNOWN,     /* the write may or may not have landed (5xx, timeout,
	                     broken answer after retries) */
};

struct look {
	struct write *w;
	enum lookup_why why;
	struct ddb_error first;   /* the write's own error (LOOK_UNKNOWN) */
};

/* Decide from the step as it is now.  A write whose answer was lost but
 * that landed (the retry then finds its own value) is a success: the table
 * holds exactly the writes reported as done. */
static void settle(struct write *w, const json_t *item, enum lookup_why why,
                   const struct ddb_error *first)
{
	struct fb_result out = {0};
	out.wanted = w->wanted;
	w->wanted = NULL;
	const json_t *cur = json_is_object(item) ? json_object_get(item, "feedback") : NULL;
	/* only a write that may have been applied by an earlier attempt of its
	 * own counts as landed; a first-attempt conflict is someone else's doing */
	bool landed = why != LOOK_CONDITION && json_is_object(item) &&
	              (w->action == FB_SET ? cur && out.wanted && json_equal((json_t *)cur, out.wanted)
	                                   : cur == NULL);
	if (!json_is_object(item)) {
		out.status = FB_NO_STEP;
		out.message = util_xasprintf("the step %s does not exist", w->where);
	} else if (landed) {
		out.status = FB_OK;
		out.item = json_incref((json_t *)item);
		out.message = util_xasprintf(w->action == FB_SET ? "feedback stored on %s (confirmed by reading it back)"
		                                                 : "feedback removed from %s (confirmed by reading it back)",
		                             w->where);
	} else if (why != LOOK_UNKNOWN) {
		out.status = FB_CONFLICT;
		out.item = json_incref((json_t *)item);
		out.message = util_xasprintf("the feedback on %s changed since it was read", w->where);
	} else {
		out.status = FB_ERROR;
		if (first)
			ddb_error_copy(&out.err, first);
		out.message = util_xasprintf("writing feedback on %s failed; it was not written", w->where);
	}
	w->cb(&out, w->ud);
	fb_result_clear(&out);
	write_free(w);
}

static void lookup_done(struct ddb_result *res, void *ud)
{
	struct look *lk = ud;
	struct write *w = lk->w;
	if (res->err.kind != DDB_OK) {
		struct fb_result out = {0};
		out.wanted = w->wanted;
		w->wanted = NULL;
		out.status = FB_ERROR;
		ddb_error_copy(&out.err, lk->why != LOOK_CONDITION ? &lk->first : &res->err);
		out.message = util_xasprintf(lk->why != LOOK_CONDITION
		                             ? "writing feedback on %s failed, and reading it back failed "
		                               "too: it may or may not have been written"
		                             : "the write on %s was refused and reading the step failed",
		                             w->where);
		w->cb(&out, w->ud);
		fb_result_clear(&out);
		write_free(w);
	} else {
		settle(w, json_object_get(res->body, "Item"), lk->why, &lk->first);
	}
	ddb_error_clear(&lk->first);
	free(lk);
}

static void look(struct write *w, enum lookup_why why, const struct ddb_error *first)
{
	struct look *lk = util_xcalloc(1, sizeof *lk);
	lk->w = w;
	lk->why = why;
	if (first)
		ddb_error_copy(&lk->first, first);
	ddb_submit(w->s->ddb, "GetItem",
	           json_pack("{s:s,s:O,s:b}", "TableName", w->table, "Key", w->key, "ConsistentRead", 1),
	           lookup_done, lk);
}

/* Errors after which the write may have been applied. */
static bool outcome_unknown(const struct ddb_error *e)
{
	return e->kind == DDB_ERR_NETWORK || e->kind == DDB_ERR_TIMEOUT || e->kind == DDB_ERR_CRC ||
	       e->kind == DDB_ERR_PROTOCOL || (e->kind == DDB_ERR_SERVICE && e->http_status >= 500);
}

static void write_done(struct ddb_result *res, void *ud)
{
	struct write *w = ud;
	if (res->err.kind == DDB_OK) {
		struct fb_result out = {0};
		out.wanted = w->wanted;
		w->wanted = NULL;
		out.status = FB_OK;
		json_t *attrs = json_object_get(res->body, "Attributes");
		out.item = json_is_object(attrs) ? json_incref(attrs) : NULL;
		out.message = util_xasprintf(w->action == FB_SET ? "feedback stored on %s"
		                                       : "feedback removed from %s", w->where);
		w->cb(&out, w->ud);
		fb_result_clear(&out);
		write_free(w);
	} else if (res->err.code && !strcmp(res->err.code, "ConditionalCheckFailedException")) {
		json_t *cur = json_object_get(res->body, "Item");
		enum lookup_why why = res->attempts > 1 ? LOOK_RETRIED : LOOK_CONDITION;
		if (json_is_object(cur))
			settle(w, cur, why, &res->err);
		else
			look(w, why, &res->err);   /* no Item in the answer: read it */
	} else if (outcome_unknown(&res->err)) {
		look(w, LOOK_UNKNOWN, &res->err);
	} else {
		struct fb_result out = {0};
		out.wanted = w->wanted;
		w->wanted = NULL;
		out.status = FB_ERROR;
		ddb_error_copy(&out.err, &res->err);
		out.message = util_xasprintf("writing feedback on %s failed", w->where);
		w->cb(&out, w->ud);
		fb_result_clear(&out);
		write_free(w);
	}
}

void fb_write(struct session *s, const struct fb_request *r, fb_done_fn cb, void *ud)
{
	struct fb_result out = {0};
	char *why = NULL;
	if (session_check_write(s, &why) != 0) {
		out.status = FB_READ_ONLY;
		out.message = why ? why : util_xstrdup("read-only");
		cb(&out, ud);
		fb_result_clear(&out);
		return;
	}
	json_t *req = fb_build_request(r, &why);
	if (!req) {
		out.status = FB_INVALID;
		out.message = why;
		cb(&out, ud);
		fb_result_clear(&out);
		return;
	}
	struct write *w = util_xcalloc(1, sizeof *w);
	w->cb = cb;
	w->ud = ud;
	w->action = r->action;
	w->wanted = r->action == FB_SET ? fb_map(r->thread_id, r->step_id, r->value, r->comment) : NULL;
	w->where = util_xasprintf("THREAD#%s / STEP#%s", r->thread_id, r->step_id);
	w->s = s;
	w->table = util_xstrdup(r->table);
	w->key = cl_step_key(r->thread_id, r->step_id);
	ddb_submit(s->ddb, "UpdateItem", req, write_done, w);
}

struct sync_slot {
	struct fb_result *out;
	bool done;
};

static void sync_done(struct fb_result *res, void *ud)
{
	struct sync_slot *sl = ud;
	*sl->out = *res;
	memset(res, 0, sizeof *res);   /* everything taken */
	sl->done = true;
}

enum fb_status fb_write_sync(struct session *s, const struct fb_request *r, struct fb_result *out)
{
	struct sync_slot sl = {.out = out};
	memset(out, 0, sizeof *out);
	fb_write(s, r, sync_done, &sl);
	while (!sl.done)
		ddb_client_wait(s->ddb, 1000);
	return out->status;
}

/* ---- Counting feedback ------------------------------------------------------ */

static void counts_of(const struct cl_feedback *f, struct fb_counts *out)
{
	out->up = f->vote == 1;
	out->down = f->vote == 0;
	out->comments = f->comment && *f->comment;
}

void fb_counts_of(const json_t *fb_av, struct fb_counts *out)
{
	memset(out, 0, sizeof *out);
	if (!fb_av)
		return;
	struct cl_feedback f;
	cl_feedback_decode(&f, fb_av, NULL, NULL, NULL);
	counts_of(&f, out);
}

void fb_tally_init(struct fb_tally *t)
{
	t->by_thread = json_object();
}

void fb_tally_clear(struct fb_tally *t)
{
	json_object_clear(t->by_thread);
}

void fb_tally_free(struct fb_tally *t)
{
	json_decref(t->by_thread);
	t->by_thread = NULL;
}

/* Add d (each part may be negative) to the thread's counts. */
static void tally_add(struct fb_tally *t, const char *thread_id, const struct fb_counts *d)
{
	json_t *c = json_object_get(t->by_thread, thread_id);
	if (!c) {
		c = json_pack("[i,i,i]", 0, 0, 0);
		json_object_set_new(t->by_thread, thread_id, c);
	}
	const long add[3] = {d->up, d->down, d->comments};
	for (size_t k = 0; k < 3; k++) {
		if (!add[k])
			continue;
		json_int_t v = json_integer_value(json_array_get(c, k)) + add[k];
		json_array_set_new(c, k, json_integer(v > 0 ? v : 0));
	}
}

void fb_tally_add_steps(struct fb_tally *t, const json_t *items)
{
	struct cl_steps steps = {0};
	cl_steps_add(&steps, items);
	for (size_t i = 0; i < steps.n; i++) {
		const struct cl_step *s = &steps.v[i];
		if (!s->has_feedback || !s->thread_id)
			continue;
		struct fb_counts d;
		counts_of(&s->feedback, &d);
		tally_add(t, s->thread_id, &d);
	}
	cl_steps_free(&steps);
}

bool fb_tally_change(struct fb_tally *t, const char *thread_id, const json_t *before,
                     const json_t *after)
{
	struct fb_counts b, a;
	fb_counts_of(before, &b);
	fb_counts_of(after, &a);
	if (!thread_id || (a.up == b.up && a.down == b.down && a.comments == b.comments))
		return false;
	struct fb_counts d = {a.up - b.up, a.down - b.down, a.comments - b.comments};
	tally_add(t, thread_id, &d);
	return true;
}

void fb_tally_get(const struct fb_tally *t, const char *thread_id, struct fb_counts *out)
{
	const json_t *c = thread_id ? json_object_get(t->by_thread, thread_id) : NULL;
	out->up = c ? (long)json_integer_value(json_array_get(c, 0)) : 0;
	out->down = c ? (long)json_integer_value(json_array_get(c, 1)) : 0;
	out->comments = c ? (long)json_integer_value(json_array_get(c, 2)) : 0;
}
