/* tui/cmd_chainlit.c: the Chainlit subcommands: users, threads USER,
 * thread THREAD_ID, feedback set|delete THREAD_ID STEP_ID.  Human-readable
 * output by default, one JSON object per line with --json.  All database
 * text goes through cli_put_text (or JSON escaping), so nothing in the data
 * can act on the terminal. */
#include "ddconfig.h"

#include "tui/cmd.h"
#include "tui/out.h"
#include "tui/text.h"
#include "model/chainlit.h"
#include "model/jsontext.h"
#include "model/feedback.h"
#include "model/strays.h"
#include "model/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared helpers ----------------------------------------------------------- */

/* Find the table; 0, or an exit code after reporting why. */
static int pick_table(struct session *s, char **table)
{
	char *several = NULL;
	struct ddb_error err;
	int rc = EXIT_OK;
	switch (cl_table_resolve_sync(s, table, &several, &err)) {
	case CL_TABLE_FOUND:
		return EXIT_OK;
	case CL_TABLE_NONE:
		return cli_error(CLI_E_NO_TABLE, NULL, "no table with the Chainlit layout at %s "
		                 "(name one with --chainlit-table)", s->conf.endpoint_url);
	case CL_TABLE_SEVERAL:
		rc = cli_error(CLI_E_AMBIGUOUS, NULL, "several tables have the Chainlit layout: %s; "
		               "choose one with --chainlit-table", several);
		free(several);
		return rc;
	case CL_TABLE_ERROR:
		rc = cli_ddb_error_at(s, "listing tables", &err, NULL);
		ddb_error_clear(&err);
		return rc;
	}
	return EXIT_USAGE;
}

/* Database text in a column of `width` terminal columns (0: no padding). */
static void cell(const char *s, int width)
{
	char *m = text_sanitize_line(s ? s : "");
	out_puts(m);
	int w = m ? text_width(m) : 0;
	free(m);
	for (; w < width; w++)
		out_putc(' ');
}

/* Database text cut to `cols` columns, with "…" when cut. */
static void cell_cut(const char *s, int cols)
{
	char *m = text_sanitize_line(s ? s : "");
	if (!m)
		return;
	int used;
	size_t n = text_fit(m, cols, &used);
	out_write(m, n);
	if (m[n])
		out_puts("...");
	free(m);
}

static void put_time(const char *stamp)
{
	int64_t us;
	char buf[32];
	if (time_parse(stamp, &us)) {
		time_format(us, buf, sizeof buf);
		out_puts(buf);
	} else {
		cell(stamp ? stamp : "-", 19);
	}
}

static json_t *problems_json(const struct problems *p)
{
	return problems_to_json(p, NULL);
}

static void put_problems(const struct problems *p, int indent)
{
	for (size_t i = 0; i < p->n; i++) {
		out_printf("%*s! ", indent, "");
		if (p->v[i].attr) {
			cli_put_text(p->v[i].attr);
			out_puts(": ");
		}
		cli_put_text(p->v[i].text);
		out_putc('\n');
	}
}

static json_t *plain_or_null(const json_t *av)
{
	return av ? item_to_plain(av) : json_null();
}

/* A whole item (attribute name -> value) as plain JSON. */
static json_t *item_plain(const json_t *item)
{
	json_t *o = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)item, k, v)
		json_object_set_new(o, k, item_to_plain(v));
	return o;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A thumbs mark for a vote: emoji where the terminal speaks UTF-8. */
static const char *vote_mark(int vote)
{
	bool utf8 = MB_CUR_MAX > 1;
	if (vote == 1)
		return utf8 ? "\xf0\x9f\x91\x8d" : "+1";
	if (vote == 0)
		return utf8 ? "\xf0\x9f\x91\x8e" : "-1";
	return NULL;
}

/* " 👍 "comment"" for a feedback attribute value, as stored. */
static void put_feedback_av(const json_t *av)
{
	const json_t *m = json_object_get(av, "M");
	const char *value = ddb_av_get_n(json_object_get(m, "value"));
	long long v = -1;
	const char *mark = value && item_n_to_ll(value, &v) ? vote_mark((int)v) : NULL;
	if (mark) {
		out_puts(mark);
	} else {
		out_puts("?");
		cli_put_text(value ? value : "(no value)");
	}
	const char *comment = ddb_item_s(m, "comment");
	if (comment) {
		out_puts(" \"");
		cli_put_text(comment);
		out_puts("\"");
	}
}

/* ---- users ------------------------------------------------------------------------ */

static void collect_users(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	(void)p;
	(void)err;
	cl_users_add(ud, items);
}

static int user_order(const void *a, const void *b)
{
	const struct cl_user *x = a, *y = b;
	return strcmp(x->identifier, y->identifier);
}

int cmd_users(struct cli *cl, struct session *s)
{
	char *table = NULL;
	int rc = pick_table(s, &table);
	if (rc)
		return rc;
	struct cl_users users = {0};
	struct ddb_error err;
	struct pager *p = cl_users_pager(s, table, 0);
	int drc = pager_drain_sync(p, 0, collect_users, &users, &err);
	pager_free(p);
	if (drc) {
		rc = cli_ddb_error_at(s, "listing users", &err, &(struct cli_where){.table = table});
		ddb_error_clear(&err);
		cl_users_free(&users);
		free(table);
		return rc;
	}
	qsort(users.v, users.n, sizeof *users.v, user_order);
	int w = 10;
	for (size_t i = 0; i < users.n; i++) {
		char *m = text_sanitize_line(users.v[i].identifier);
		if (m && text_width(m) > w)
			w = text_width(m);
		free(m);
	}
	if (!cl->json)
		out_printf("%-*s  %-19s  %s\n", w, "IDENTIFIER", "CREATED", "METADATA");
	for (size_t i = 0; i < users.n; i++) {
		struct cl_user *u = &users.v[i];
		if (cl->json) {
			cli_print_json(cl_user_json(u));
			continue;
		}
		cell(u->identifier, w);
		out_puts("  ");
		put_time(u->created_at);
		out_puts("  ");
		json_t *md = plain_or_null(json_object_get(u->raw, "metadata"));
		char *text = jsontext_dumps(md, JT_COMPACT);
		cell_cut(text, 60);
		free(text);
		json_decref(md);
		out_putc('\n');
		put_problems(&u->problems, 2);
	}
	cl_users_free(&users);
	free(table);
	return EXIT_OK;
}

/* ---- threads USER ---------------------------------------------------------------- */

static json_t *tags_json(const json_t *tags)
{
	json_t *a = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t)
		json_array_append_new(a, item_to_plain(t));
	return a;
}

struct threads_out {
	bool json, index_only, header_done;
	long n;
	struct cli_progress pr;
};

/* One batch of threads as they stream in: printed at once, so a user with
 * 100,000 threads takes no more memory than one with 100. */
static void print_threads(const struct cl_threads *batch, void *ud)
{
	struct threads_out *o = ud;
	if (!o->json && !o->header_done) {
		cli_progress_end(&o->pr);
		out_printf("%-19s  %-36s  %s\n", "UPDATED", "ID", "NAME");
		o->header_done = true;
	}
	for (size_t i = 0; i < batch->n; i++) {
		const struct cl_thread *t = &batch->v[i];
		if (o->json && o->index_only) {
			cli_print_json(json_pack("{s:s,s:o,s:o,s:o}", "id", t->id,
			                         "name", str_or_null(t->name),
			                         "createdAt", str_or_null(t->created_at),
			                         "problems", problems_json(&t->problems)));
			continue;
		}
		if (o->json) {
			cli_print_json(json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "id", t->id,
			                         "name", str_or_null(t->name),
			                         "createdAt", str_or_null(t->created_at),
			                         "userId", str_or_null(t->user_id),
			                         "userIdentifier", str_or_null(t->user_identifier),
			                         "tags", tags_json(t->tags),
			                         "problems", problems_json(&t->problems)));
			continue;
		}
		put_time(t->created_at);
		out_puts("  ");
		cell(t->id, 36);
		out_puts("  ");
		if (t->name)
			cell_cut(t->name, 70);
		else
			out_puts("(no name)");
		out_putc('\n');
		put_problems(&t->problems, 2);
	}
	o->n += (long)batch->n;
	cli_progress(&o->pr, o->n);
}

int cmd_threads(struct cli *cl, struct session *s)
{
	const char *user = cl->argv[1];
	char *table = NULL;
	int rc = pick_table(s, &table);
	if (rc)
		return rc;
	struct ddb_error err;
	struct threads_out o = {.json = cl->json, .index_only = cl->index_only,
	                        .pr = {.what = "threads", .streaming = true}};
	long n = 0;
	int drc = cl_user_threads_stream_sync(s, table, user, cl->index_only, print_threads, &o, &n,
	                                      &err);
	cli_progress_end(&o.pr);
	if (!drc && n == 0) {
		/* no threads: say so when the user does not exist either */
		json_t *item = NULL;
		json_t *key = cl_key("USER#", user, "USER");
		drc = cl_get_item_sync(s, table, json_incref(key), &item, &err);
		if (!drc && !item)
			rc = cli_error(CLI_E_NOT_FOUND, &(struct cli_where){.table = table, .key = key},
			               "no user \"%s\" and no threads for it in %s", user, table);
		json_decref(item);
		json_decref(key);
	}
	if (drc) {
		out_flush();
		rc = cli_ddb_error_at(s, "listing threads", &err, &(struct cli_where){.table = table});
		ddb_error_clear(&err);
	}
	free(table);
	return rc;
}

/* ---- thread THREAD_ID ---------------------------------------------------------------- */

static void put_duration(const struct cl_step *st)
{
	int64_t d = cl_step_duration_us(st);
	if (d >= 0)
		out_printf("  %.3fs", (double)d / 1e6);
}

static void human_step(const struct cl_row *r)
{
	const struct cl_step *st = r->node->step;
	out_printf("%*s", r->depth * 2, "");
	if (st->stub) {
		out_puts(st->has_feedback ? "(stub step)" : "(stray item)");
	} else {
		cell(st->type ? st->type : "?", 0);
		out_putc(' ');
		cell(st->name ? st->name : "?", 0);
		out_puts("  ");
		put_time(st->start ? st->start : st->created_at);
		put_duration(st);
	}
	if (st->has_feedback) {
		out_puts("  ");
		put_feedback_av(st->feedback.av);
	}
	if (r->node->orphan) {
		out_puts("  (parent ");
		cell(st->parent_id, 0);
		out_puts(" missing)");
	}
	if (r->node->cycle)
		out_puts("  (parentId cycle)");
	if (cl_step_is_message(st) && st->output && *st->output) {
		out_puts(": ");
		cell_cut(st->output, 60);
	}
	out_puts("  [");
	cell(st->id, 0);
	out_puts("]\n");
	put_problems(&st->problems, r->depth * 2 + 2);
}

static void human_element(const struct cl_row *r)
{
	const struct cl_element *e = r->element;
	out_printf("%*s[", r->depth * 2, "");
	cell(e->type ? e->type : "element", 0);
	out_puts("] ");
	cell(e->name ? e->name : "", 0);
	if (e->mime) {
		out_puts(" (");
		cell(e->mime, 0);
		out_putc(')');
	}
	if (r->section == CL_SECTION_ORPHAN_ELEMENTS) {
		out_puts(" for missing step ");
		cell(e->for_id ? e->for_id : "(none)", 0);
	}
	out_puts("  [");
	cell(e->id, 0);
	out_puts("]\n");
	put_problems(&e->problems, r->depth * 2 + 2);
}

static json_t *feedback_json(const struct cl_step *st)
{
	if (!st->has_feedback)
		return json_null();
	const json_t *value = json_object_get(json_object_get(st->feedback.av, "M"), "value");
	return json_pack("{s:o,s:o,s:o}", "value", plain_or_null(value),
	                 "comment", str_or_null(st->feedback.comment),
	                 "raw", item_to_plain(st->feedback.av));
}

static json_t *row_json(const struct cl_row *r)
{
	const char *sec = cl_section_name(r->section);
	switch (r->kind) {
	case CL_ROW_SECTION:
		return json_pack("{s:s,s:s,s:s}", "kind", "section", "section", sec, "label", r->label);
	case CL_ROW_STEP: {
		const struct cl_step *st = r->node->step;
		int64_t d = cl_step_duration_us(st);
		json_t *o = json_pack("{s:s,s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o}",
		                      "kind", "step", "section", sec, "depth", r->depth, "id", st->id,
		                      "type", str_or_null(st->type), "name", str_or_null(st->name),
		                      "parentId", str_or_null(st->parent_id),
		                      "createdAt", str_or_null(st->created_at),
		                      "start", str_or_null(st->start), "end", str_or_null(st->end),
		                      "output", str_or_null(st->output), "stub", st->stub,
		                      "durationMs", d >= 0 ? json_integer((json_int_t)((d + 500) / 1000)) : json_null(),
		                      "feedback", feedback_json(st),
		                      "problems", problems_json(&st->problems));
		return o;
	}
	case CL_ROW_ELEMENT: {
		const struct cl_element *e = r->element;
		return json_pack("{s:s,s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "kind", "element",
		                 "section", sec, "depth", r->depth, "id", e->id,
		                 "type", str_or_null(e->type), "name", str_or_null(e->name),
		                 "mime", str_or_null(e->mime), "forId", str_or_null(e->for_id),
		                 "url", str_or_null(e->url), "objectKey", str_or_null(e->object_key),
		                 "problems", problems_json(&e->problems));
	}
	case CL_ROW_UNKNOWN:
		return json_pack("{s:s,s:s,s:i,s:o}", "kind", "unknown", "section", sec,
		                 "depth", r->depth, "item", item_plain(r->unknown));
	}
	return json_null();
}

int cmd_thread(struct cli *cl, struct session *s)
{
	const char *tid = cl->argv[1];
	char *table = NULL;
	int rc = pick_table(s, &table);
	if (rc)
		return rc;
	struct cl_conversation *c = NULL;
	struct ddb_error err;
	json_t *key = cl_key("THREAD#", tid, "THREAD");
	struct cli_where where = {.table = table, .key = key};
	if (cl_conversation_load_sync(s, table, tid, &c, &err) != 0) {
		rc = cli_ddb_error_at(s, "reading the thread", &err, &where);
		ddb_error_clear(&err);
		json_decref(key);
		free(table);
		return rc;
	}
	/* Found means what Chainlit's get_thread finds: the THREAD item (exit 0,
	 * its problems listed).  Without it the thread is not found (exit 1),
	 * whatever else is under its key: that is shown, then said. */
	size_t others = c->n_steps + c->n_elements + c->n_unknown;
	if (!c->thread && !others) {
		rc = cli_error(CLI_E_NOT_FOUND, &where, "no thread \"%s\" in %s", tid, table);
		cl_conversation_free(c);
		json_decref(key);
		free(table);
		return rc;
	}
	struct cl_thread *t = c->thread;
	if (cl->json) {
		json_t *o = json_pack("{s:s,s:s,s:b}", "kind", "thread", "id", tid, "found", t != NULL);
		if (t) {
			json_object_set_new(o, "name", str_or_null(t->name));
			json_object_set_new(o, "createdAt", str_or_null(t->created_at));
			json_object_set_new(o, "userId", str_or_null(t->user_id));
			json_object_set_new(o, "userIdentifier", str_or_null(t->user_identifier));
			json_object_set_new(o, "tags", tags_json(t->tags));
			json_object_set_new(o, "metadata", plain_or_null(json_object_get(t->raw, "metadata")));
			json_object_set_new(o, "problems", problems_json(&t->problems));
		}
		cli_print_json(o);
	} else {
		out_puts("Thread ");
		cli_put_text(tid);
		if (!t)
			out_printf(": not found (no THREAD item; Chainlit's get_thread returns None for it). "
			           "Under its key:");
		out_putc('\n');
		if (t) {
			out_puts("  name:    ");
			if (t->name)
				cli_put_text(t->name);
			else
				out_puts("(none)");
			out_puts("\n  user:    ");
			cli_put_text(t->user_id ? t->user_id : "(none)");
			out_puts("\n  updated: ");
			put_time(t->created_at);
			if (t->tags && json_array_size(t->tags)) {
				out_puts("\n  tags:   ");
				size_t i;
				json_t *tag;
				json_array_foreach(t->tags, i, tag) {
					out_putc(' ');
					cli_put_text(ddb_av_get_s(tag) ? ddb_av_get_s(tag) : "?");
				}
			}
			out_putc('\n');
			put_problems(&t->problems, 2);
		}
		out_putc('\n');
	}
	struct cl_rows rows;
	cl_conversation_rows(c, &rows);
	for (size_t i = 0; i < rows.n; i++) {
		const struct cl_row *r = &rows.v[i];
		if (cl->json) {
			cli_print_json(row_json(r));
			continue;
		}
		switch (r->kind) {
		case CL_ROW_SECTION:
			out_printf("\n-- %s --\n", r->label);
			break;
		case CL_ROW_STEP:
			human_step(r);
			break;
		case CL_ROW_ELEMENT:
			human_element(r);
			break;
		case CL_ROW_UNKNOWN:
			out_printf("%*s? ", r->depth * 2, "");
			cli_put_text(ddb_item_s(r->unknown, "SK") ? ddb_item_s(r->unknown, "SK") : "(no SK)");
			out_putc('\n');
			break;
		}
	}
	cl_rows_free(&rows);
	if (cl->json) {
		if (c->problems.n)
			cli_print_json(json_pack("{s:s,s:o}", "kind", "problems",
			                         "problems", problems_json(&c->problems)));
	} else if (c->problems.n) {
		out_puts("\nProblems:\n");
		put_problems(&c->problems, 2);
	}
	rc = EXIT_OK;
	if (!t) {
		out_flush();
		rc = cli_error(CLI_E_NOT_FOUND, &where, "no thread \"%s\" in %s: no THREAD item, only "
		               "%zu other item%s under its key (shown above)", tid, table, others,
		               others == 1 ? "" : "s");
	}
	cl_conversation_free(c);
	json_decref(key);
	free(table);
	return rc;
}

/* ---- feedback set|delete THREAD_ID STEP_ID ------------------------------------------- */

static int feedback_result(struct cli *cl, struct session *s, const struct fb_request *rq,
                           struct fb_result *res, const struct cli_where *where)
{
	const json_t *now = res->item ? json_object_get(res->item, "feedback") : NULL;
	switch (res->status) {
	case FB_OK:
		if (cl->json) {
			cli_print_json(json_pack("{s:s,s:s,s:s,s:o}", "status", "ok", "thread", rq->thread_id,
			                         "step", rq->step_id, "feedback", plain_or_null(now)));
		} else if (rq->action == FB_DELETE && !rq->seen) {
			out_puts("there was no feedback on the step; nothing to remove\n");
		} else {
			cli_put_text(res->message);
			if (now) {
				out_puts(": ");
				put_feedback_av(now);
			}
			out_putc('\n');
		}
		return EXIT_OK;
	case FB_CONFLICT:
		cli_error(CLI_E_CONFLICT, where, "%s; nothing was written", res->message);
		if (cl->json) {
			cli_print_json(json_pack("{s:s,s:s,s:s,s:o,s:o}", "status", "conflict",
			                         "thread", rq->thread_id, "step", rq->step_id,
			                         "wanted", plain_or_null(res->wanted),
			                         "current", plain_or_null(now)));
		} else {
			out_puts("yours:  ");
			if (res->wanted)
				put_feedback_av(res->wanted);
			else
				out_puts("(no feedback)");
			out_puts("\nstored: ");
			if (now)
				put_feedback_av(now);
			else
				out_puts("(no feedback)");
			out_putc('\n');
		}
		return EXIT_CONFLICT;
	case FB_NO_STEP:
		return cli_error(CLI_E_NOT_FOUND, where, "%s", res->message);
	case FB_READ_ONLY:
		return cli_error(CLI_E_READ_ONLY, where, "%s", res->message);
	case FB_INVALID:
		return cli_error(CLI_E_USAGE, where, "%s", res->message);
	case FB_ERROR:
		return cli_ddb_error_at(s, res->message, &res->err, where);
	}
	return EXIT_USAGE;
}

int cmd_feedback(struct cli *cl, struct session *s)
{
	const char *action = cl->argv[1];
	struct fb_request rq = {.thread_id = cl->argv[2], .step_id = cl->argv[3]};
	if (!strcmp(action, "set")) {
		rq.action = FB_SET;
		if (!cl->value || fb_value_parse(cl->value, &rq.value) != 0)
			return cli_error(CLI_E_USAGE, NULL, "feedback set needs --value up or --value down");
		rq.comment = cl->comment;
	} else if (!strcmp(action, "delete")) {
		rq.action = FB_DELETE;
		if (cl->value || cl->comment)
			return cli_error(CLI_E_USAGE, NULL, "--value and --comment only go with feedback set");
	} else {
		return cli_error(CLI_E_USAGE, NULL, "feedback wants set or delete, not \"%s\"", action);
	}
	if (!*rq.thread_id || !*rq.step_id)
		return cli_error(CLI_E_USAGE, NULL, "the thread and step ids must not be empty");
	/* refuse before any request, table detection included */
	char *why = NULL;
	if (session_check_write(s, &why) != 0) {
		int rc = cli_error(CLI_E_READ_ONLY, NULL, "%s", why ? why : "read-only");
		free(why);
		return rc;
	}
	char *table = NULL;
	int rc = pick_table(s, &table);
	if (rc)
		return rc;
	rq.table = table;
	/* what the feedback is now: the write is conditional on it */
	json_t *item = NULL;
	struct ddb_error err;
	json_t *key = cl_step_key(rq.thread_id, rq.step_id);
	struct cli_where where = {.table = table, .key = key};
	if (cl_get_item_sync(s, table, json_incref(key), &item, &err) != 0) {
		rc = cli_ddb_error_at(s, "reading the step", &err, &where);
		ddb_error_clear(&err);
	} else if (!item) {
		rc = cli_error(CLI_E_NOT_FOUND, &where, "the step THREAD#%s / STEP#%s does not exist in %s",
		               rq.thread_id, rq.step_id, table);
	} else if ((why = stray_write_refusal(item))) {
		/* the browser refuses it the same way (model/strays.h) */
		rc = cli_error(CLI_E_STUB_STEP, &where, "%s", why);
		free(why);
	} else {
		rq.seen = json_object_get(item, "feedback");
		struct fb_result res;
		fb_write_sync(s, &rq, &res);
		rc = feedback_result(cl, s, &rq, &res, &where);
		fb_result_clear(&res);
	}
	json_decref(item);
	json_decref(key);
	free(table);
	return rc;
}
