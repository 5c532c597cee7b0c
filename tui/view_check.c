/* tui/view_check.c: the Check module: the integrity report (:check, !) as a
 * list: the findings grouped by kind, a header row with each kind's count,
 * one row per finding with its key and its one-line explanation.  The
 * scans run in the background (model/check_job.c), their progress in the
 * status line, Esc cancels; the report stays for the next :check (R runs
 * it again).  Enter on a finding opens what it is about: a thread or step,
 * the conversation (the :thread command); a namespace, its documents (the
 * :namespace command), both through the module table; anything else, the
 * item itself in the detail overlay, read again. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/check.h"
#include "model/generic.h"
#include "model/jsontext.h"
#include "tui/module.h"
#include "tui/text.h"
#include "tui/tree.h"
#include "tui/ui.h"

#define KEY_COLS 26

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct check_row {
	long finding;            /* index into the findings, or -1: a kind's header */
	const char *kind;
	size_t count;            /* a header: the findings of its kind */
};

struct check_state {
	struct check_job *job;   /* running, or finished (it holds the findings) */
	const struct findings *f;   /* once finished, or NULL */
	char *error;             /* the scan failed */
	char progress[128];
	struct check_row *rows;
	size_t nrows;
	struct view *view;       /* the report's view now shown, or NULL */
	struct generic_get *get; /* Enter: the item being read */
	char *get_title, *get_message;
};

static struct check_state *state(struct ui *ui)
{
	return *ui_module_slot(ui, "check");
}

/* "THREAD#x / STEP#y", "imports": a key's values (a finding's key is sorted
 * wire JSON) */
static char *key_text(const char *key_json)
{
	json_error_t e;
	json_t *k = key_json ? jsontext_loads(key_json, 0, &e) : NULL;
	if (!json_is_object(k)) {
		json_decref(k);
		return util_xstrdup(key_json ? key_json : "");
	}
	char *out = util_xstrdup("");
	const char *name;
	json_t *av;
	/* PK before SK (sorted: "PK" < "SK"), id alone */
	json_object_foreach(k, name, av) {
		const char *t = ddb_av_type(av);
		const json_t *v = t ? json_object_get(av, t) : NULL;
		char *one = json_is_string(v) ? util_xstrdup(json_string_value(v))
		                              : jsontext_dumps(av, JT_COMPACT);
		char *more = util_xasprintf("%s%s%s", out, *out ? " / " : "", one ? one : "?");
		free(one);
		free(out);
		out = more;
	}
	json_decref(k);
	return out;
}

/* A key's S value of attribute `name`, or NULL (malloc'd). */
static char *key_value(const char *key_json, const char *name)
{
	json_error_t e;
	json_t *k = key_json ? jsontext_loads(key_json, 0, &e) : NULL;
	const char *s = json_string_value(json_object_get(json_object_get(k, name), "S"));
	char *out = s ? util_xstrdup(s) : NULL;
	json_decref(k);
	return out;
}

static void build_rows(struct check_state *st)
{
	free(st->rows);
	st->rows = NULL;
	st->nrows = 0;
	const struct findings *f = st->f;
	if (!f || !f->n)
		return;
	/* the kinds in the order they were first found, each with its findings */
	const char **kinds = util_xcalloc(f->n, sizeof *kinds);
	size_t *counts = util_xcalloc(f->n, sizeof *counts), nk = 0;
	for (size_t i = 0; i < f->n; i++) {
		size_t k = 0;
		while (k < nk && strcmp(kinds[k], f->v[i].kind))
			k++;
		if (k == nk)
			kinds[nk++] = f->v[i].kind;
		counts[k]++;
	}
	st->rows = util_xcalloc(f->n + nk, sizeof *st->rows);
	for (size_t k = 0; k < nk; k++) {
		st->rows[st->nrows++] = (struct check_row){.finding = -1, .kind = kinds[k], .count = counts[k]};
		for (size_t i = 0; i < f->n; i++)
			if (!strcmp(f->v[i].kind, kinds[k]))
				st->rows[st->nrows++] = (struct check_row){.finding = (long)i, .kind = kinds[k]};
	}
	free(kinds);
	free(counts);
}

static void set_title(struct check_state *st)
{
	struct view *v = st->view;
	if (!v)
		return;
	if (st->error)
		snprintf(v->title, sizeof v->title, "integrity report: failed (R: again)");
	else if (!st->f)
		snprintf(v->title, sizeof v->title, "integrity report: reading every table...");
	else
		snprintf(v->title, sizeof v->title, "integrity report: %zu finding%s (Enter: open, R: again)",
		         st->f->n, st->f->n == 1 ? "" : "s");
}

static void show_state(struct check_state *st)
{
	struct view *v = st->view;
	if (!v)
		return;
	v->loading = st->job && !st->f && !st->error;
	snprintf(v->progress, sizeof v->progress, "%s", st->progress);
	view_set_rows(v, st->nrows);
	set_title(st);
}

static void check_progress(const char *what, long items, void *ud)
{
	struct check_state *st = state(ud);
	snprintf(st->progress, sizeof st->progress, "%s: %ld items", what, items);
	show_state(st);
}

/* The tree's rows learn the findings: a thread (its steps, its
 * elements, itself), a namespace (its documents, itself) carry the marker,
 * and so do their ancestors (a user, a parent namespace). */
static void mark_tree(struct ui *ui, const struct findings *f)
{
	const struct session *s = ui->s;
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		char *pk = key_value(x->key, "PK"), *id = key_value(x->key, "id");
		char *target = NULL;
		if (s->chainlit_table && !strcmp(x->table, s->chainlit_table) && pk &&
		    !strncmp(pk, "THREAD#", 7) && strcmp(pk + 7, "None"))
			target = util_xstrdup(pk + 7);
		else if (s->documents_table && !strcmp(x->table, s->documents_table) && pk &&
		         !strncmp(pk, "DOC#", 4) && strchr(pk + 4, '#'))
			target = util_xasprintf("%.*s", (int)(strchr(pk + 4, '#') - (pk + 4)), pk + 4);
		else if (s->namespace_table && !strcmp(x->table, s->namespace_table) && id)
			target = util_xstrdup(id);
		if (target) {
			char *p = util_xasprintf("%s: %s", x->kind, x->message);
			tree_note_problem(ui, target, p);
			free(p);
		}
		free(target);
		free(pk);
		free(id);
	}
}

static void check_done(struct check_job *j, const struct findings *f, const struct ddb_error *err,
                       void *ud)
{
	(void)j;
	struct ui *ui = ud;
	struct check_state *st = state(ui);
	if (err) {
		char *d = ddb_error_describe(err, &ui->s->conf, 0);
		st->error = util_xasprintf("check: %s", d);
		free(d);
		if (st->view)
			view_set_error(st->view, "%s", st->error);
		else
			ui_message(ui, true, "%s", st->error);
	} else {
		st->f = f;
		build_rows(st);
		mark_tree(ui, f);
		snprintf(st->progress, sizeof st->progress, "%zu finding%s", f->n, f->n == 1 ? "" : "s");
		if (st->view && st->nrows > 1 && st->view->cursor == 0)
			st->view->cursor = 1;   /* on the first finding, under its kind */
		ui_message(ui, false, "check: %zu finding%s", f->n, f->n == 1 ? "" : "s");
	}
	show_state(st);
}

static void check_stop(struct check_state *st)
{
	check_job_free(st->job);
	st->job = NULL;
	st->f = NULL;
	free(st->error);
	st->error = NULL;
	free(st->rows);
	st->rows = NULL;
	st->nrows = 0;
	st->progress[0] = '\0';
}

static void check_run(struct ui *ui)
{
	struct check_state *st = state(ui);
	check_stop(st);
	if (st->view)
		view_set_error(st->view, NULL);
	show_state(st);
	/* done may run before check_job_start returns (no table at all): it
	 * keeps the findings through st->f, which stay valid while st->job
	 * lives, and does not touch st->job */
	st->job = check_job_start(ui->s, check_progress, check_done, ui);
	show_state(st);
}

/* ---- the view ---- */

static void check_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct check_state *st = v->priv;
	if (i >= st->nrows)
		return;
	const struct check_row *r = &st->rows[i];
	if (r->finding < 0) {
		snprintf(buf, len, "%s  (%zu)", r->kind, r->count);
		*role = ROLE_PROBLEM;
		return;
	}
	const struct finding *f = &st->f->v[r->finding];
	char *raw = key_text(f->key);
	char *k = text_sanitize_line(raw);
	free(raw);
	/* the key in a column of KEY_COLS (cut with "…"), then the explanation */
	char kc[512] = "";
	if (text_width(k ? k : "") > KEY_COLS) {
		text_pad(kc, sizeof kc, k, KEY_COLS - 1);
		snprintf(kc + strlen(kc), sizeof kc - strlen(kc), "…");
	} else {
		text_pad(kc, sizeof kc, k ? k : "", KEY_COLS);
	}
	snprintf(buf, len, "  %s  %s", kc, f->message);
	free(k);
}

static const struct finding *finding_at(struct check_state *st, size_t i)
{
	if (!st->f || i >= st->nrows || st->rows[i].finding < 0)
		return NULL;
	return &st->f->v[st->rows[i].finding];
}

static void got_item(const json_t *item, const struct ddb_error *err, void *ud)
{
	struct ui *ui = ud;
	struct check_state *st = state(ui);
	if (err) {
		char *d = ddb_error_describe(err, &ui->s->conf, 0);
		ui_message(ui, true, "reading %s: %s", st->get_title, d);
		free(d);
	} else if (!item) {
		ui_message(ui, true, "%s is gone from the table (run :check again)", st->get_title);
	} else {
		ui_show_detail_id(ui, st->get_title, st->get_title, item, st->get_message);
	}
	generic_get_free(st->get);
	st->get = NULL;
}

/* Run the ':' command `name` with `arg` through the module table. */
static bool run_command(struct ui *ui, const char *name, const char *arg)
{
	const struct module_command *c = module_command_find(ui->modules, ui->nmodules, name);
	if (!c)
		return false;
	c->run(ui, name, arg);
	return true;
}

static void check_enter(struct view *v, size_t i)
{
	struct check_state *st = v->priv;
	struct ui *ui = v->ui;
	const struct finding *f = finding_at(st, i);
	if (!f)
		return;
	const struct session *s = ui->s;
	char *pk = key_value(f->key, "PK"), *id = key_value(f->key, "id");
	bool done = false;
	if (s->chainlit_table && !strcmp(f->table, s->chainlit_table) && pk &&
	    !strncmp(pk, "THREAD#", 7) && pk[7] && strcmp(pk + 7, "None")) {
		/* a thread, a step, an element: the conversation (the list pane
		 * is the conversation's from now on: this view goes) */
		char *tid = util_xstrdup(pk + 7);
		done = run_command(ui, "thread", tid);
		free(tid);
	} else if (s->namespace_table && !strcmp(f->table, s->namespace_table) && id) {
		done = run_command(ui, "namespace", id);
	}
	if (!done) {
		/* the item itself, read again */
		generic_get_free(st->get);
		free(st->get_title);
		free(st->get_message);
		char *k = key_text(f->key);
		st->get_title = util_xasprintf("%s  %s", f->kind, k);
		free(k);
		st->get_message = util_xstrdup(f->message);
		st->get = generic_get_start(ui->s, f->table, f->key, got_item, ui);
	}
	free(pk);
	free(id);
}

static const char *check_id(struct view *v, size_t i)
{
	const struct finding *f = finding_at(v->priv, i);
	return f ? f->key : NULL;
}

static char *check_problems(struct view *v, size_t i)
{
	const struct finding *f = finding_at(v->priv, i);
	return f ? util_xstrdup(f->message) : NULL;
}

static void check_reload(struct view *v)
{
	check_run(v->ui);
}

static void check_cancel(struct view *v)
{
	struct check_state *st = v->priv;
	if (!st->job || st->f || st->error)
		return;
	check_stop(st);
	st->error = util_xstrdup("check: cancelled (R runs it again)");
	view_set_error(v, "%s", st->error);
	show_state(st);
}

static void check_destroy(struct view *v)
{
	struct check_state *st = v->priv;
	st->view = NULL;
	/* a report not through when its view goes is not kept half-read */
	if (st->job && !st->f && !st->error)
		check_stop(st);
}

static const struct view_ops check_ops = {
	.name = "check",
	.row = check_row,
	.enter = check_enter,
	.reload = check_reload,
	.cancel = check_cancel,
	.id = check_id,
	.problems = check_problems,
	.destroy = check_destroy,
};

static void check_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	(void)arg;
	struct check_state *st = state(ui);
	struct view *v = view_new(ui, &check_ops, st, "integrity report");
	ui_show_list(ui, v);   /* frees a report view shown before (st->view NULL) */
	st->view = v;
	ui->focus = 1;
	ui->help = false;
	ui_set_overlay(ui, NULL);
	/* the last report, when it is through; else a new run */
	if (!st->f)
		check_run(ui);
	show_state(st);
	if (st->error)
		view_set_error(v, "%s", st->error);
}

static void check_init(struct ui *ui)
{
	*ui_module_slot(ui, "check") = util_xcalloc(1, sizeof(struct check_state));
}

static void check_destroy_module(struct ui *ui)
{
	struct check_state *st = state(ui);
	check_stop(st);
	generic_get_free(st->get);
	free(st->get_title);
	free(st->get_message);
	free(st);
	*ui_module_slot(ui, "check") = NULL;
}

static const struct module_command check_commands[] = {
	{"check", "", "the integrity report: findings by kind, Enter opens one (`!`)", true, check_command},
	{NULL, NULL, NULL, false, NULL},
};

/* It reads every table it knows: a -c :check waits for the table list
 * unless some were named. */
static bool check_ready(const struct ui *ui)
{
	const struct session *s = ui->s;
	return s->chainlit_table || s->namespace_table || s->documents_table;
}

const struct module check_module = {
	.name = "check",
	.commands = check_commands,
	.init = check_init,
	.destroy = check_destroy_module,
	.ready = check_ready,
};
