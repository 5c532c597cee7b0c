/* tui/chainlit_steps.c: a conversation's steps as a collapsible tree in the
 * list pane, with its feedback keys (e, +, -, D, ], [, }). */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/chainlit.h"
#include "tui/columns.h"
#include "tui/text.h"
#include "model/chainlit.h"
#include "model/strays.h"
#include "model/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the steps of one conversation --------------------------------------------------- */

struct steps {
	char *thread_id;
	struct cl_conversation *conv;
	struct cl_rows rows;
	struct cl_job *job;
	char *keep_step;         /* keep the cursor on this step after a reload */
	bool utf8;               /* thumbs and ⏎, else ASCII */
	int need[5];             /* the step columns' widest cells (steps_rows) */
};

static const struct view_ops steps_ops;

/* The columns of a step row: time, type, feedback, duration, then the
 * name and a preview of its input or output (the text that is cut). */
static const struct column step_cols[] = {   /* no header: no titles */
	{.title = ""},                    /* time */
	{.title = "", .max = 17},         /* type */
	{.title = "", .max = 18},         /* feedback */
	{.title = "", .right = true},     /* duration */
	{.title = "", .flex = true},      /* name, preview */
};
#define STEP_NCOLS 5

static void step_cells(struct steps *sv, const struct cl_row *r, int cap, bool utf8,
                       char (*cell)[512]);

/* The columns, as wide as their widest cell (the duration never cut). */
static void steps_measure(struct view *v)
{
	struct steps *sv = v->priv;
	bool narrow = ui_list_width(v->ui) < 70;
	int *need = sv->need;
	memset(sv->need, 0, sizeof sv->need);
	static char cell[STEP_NCOLS][512];
	for (size_t i = 0; i < sv->rows.n; i++) {
		if (sv->rows.v[i].kind != CL_ROW_STEP)
			continue;
		step_cells(sv, &sv->rows.v[i], narrow ? 3 : 6, sv->utf8, cell);
		for (size_t c = 0; c < STEP_NCOLS; c++) {
			char *t = text_sanitize_line(cell[c]);
			int w = text_width(t);
			free(t);
			if (w > need[c])
				need[c] = w;
		}
	}
}

static void steps_rows(struct view *v)
{
	struct steps *sv = v->priv;
	cl_rows_free(&sv->rows);
	if (sv->conv)
		cl_conversation_rows(sv->conv, &sv->rows);
	steps_measure(v);
	view_set_rows(v, sv->rows.n);
}

/* A duration with its unit, never cut: 2ms, 4.0s, 1m05s, 2h03m. */
static void fmt_duration(int64_t us, char *buf, size_t len)
{
	if (us < 0)
		buf[0] = '\0';
	else if (us < 1000000)
		snprintf(buf, len, "%lldms", (long long)(us / 1000));
	else if (us < 60000000)
		snprintf(buf, len, "%.1fs", (double)us / 1e6);
	else if (us < 3600LL * 1000000)
		snprintf(buf, len, "%lldm%02llds", (long long)(us / 60000000), (long long)(us / 1000000 % 60));
	else
		snprintf(buf, len, "%lldh%02lldm", (long long)(us / 3600000000LL),
		         (long long)(us / 60000000 % 60));
}


static void step_cells(struct steps *sv, const struct cl_row *r, int cap, bool utf8,
                       char (*cell)[512])
{
	const struct cl_node *nd = r->node;
	const struct cl_step *s = nd->step;
	(void)sv;
	char when[32] = "?";
	if (s->created_ok) {
		time_format(s->created_us, when, sizeof when);
		memmove(when, when + 11, 9);   /* HH:MM:SS */
	}
	snprintf(cell[0], 512, "%s", when);
	snprintf(cell[1], 512, "%s", s->type ? s->type : "?");
	cell[2][0] = '\0';
	if (s->has_feedback) {
		const char *c = s->feedback.comment;
		const char *thumb = s->feedback.vote == 1 ? (utf8 ? "\xf0\x9f\x91\x8d" : "+")
		                  : s->feedback.vote == 0 ? (utf8 ? "\xf0\x9f\x91\x8e" : "-") : "?";
		char one[256];
		columns_preview(one, sizeof one, c ? c : "", utf8, false);
		snprintf(cell[2], 512, "%s%s%s", thumb, *one ? " " : "", one);
	}
	fmt_duration(cl_step_duration_us(s), cell[3], 512);
	/* the tree of steps: indented in the name column (deep trees stop
	 * indenting and say the depth) */
	int ind = (r->depth > cap ? cap : r->depth) * 2;
	char deep[24] = "";
	if (r->depth > cap)
		snprintf(deep, sizeof deep, "[%d] ", r->depth);
	const char *mark = nd->n_children || nd->n_elements ? (nd->collapsed ? "+ " : "- ") : "  ";
	bool err = s->is_error == 1;
	const char *text = err ? s->output : s->output && *s->output ? s->output : s->input;
	char prev[400];
	columns_preview(prev, sizeof prev, text ? text : "", utf8, err);
	char els[32] = "";
	if (nd->n_elements)
		snprintf(els, sizeof els, "[%zu el] ", nd->n_elements);
	snprintf(cell[4], 512, "%*s%s%s%s%s  %s%s", ind, "", deep, mark, err ? "! " : "",
	         s->name ? s->name : "", els, prev);
}

static void steps_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct steps *sv = v->priv;
	if (i >= sv->rows.n)
		return;
	const struct cl_row *r = &sv->rows.v[i];
	bool narrow = ui_list_width(v->ui) < 70;
	int cap = narrow ? 3 : 6;
	int ind = (r->depth > cap ? cap : r->depth) * 2;
	switch (r->kind) {
	case CL_ROW_SECTION:
		snprintf(buf, len, "%s", r->label ? r->label : cl_section_name(r->section));
		*role = ROLE_PROBLEM;
		break;
	case CL_ROW_STEP: {
		static char cell[STEP_NCOLS][512];
		step_cells(sv, r, cap, sv->utf8, cell);
		const char *cp[STEP_NCOLS];
		char *san[STEP_NCOLS];
		for (size_t c = 0; c < STEP_NCOLS; c++)
			cp[c] = san[c] = text_sanitize_line(cell[c]);
		/* fitted to the pane as it is now (zoom, focus, resize) */
		int need[STEP_NCOLS], w[STEP_NCOLS];
		memcpy(need, sv->need, sizeof need);
		if (narrow) {
			/* room for the name: minutes, the type's start, the thumb */
			need[0] = 5;
			need[1] = need[1] > 9 ? 9 : need[1];
			need[2] = need[2] > 2 ? 2 : need[2];
		}
		columns_fit(step_cols, STEP_NCOLS, need, ui_list_width(v->ui), w);
		columns_row(buf, len, step_cols, STEP_NCOLS, w, cp);
		for (size_t c = 0; c < STEP_NCOLS; c++)
			free(san[c]);
		const struct cl_step *s = r->node->step;
		*role = s->problems.n || s->stub || s->is_error == 1 ? ROLE_PROBLEM
		      : !s->has_feedback ? ROLE_NORMAL : s->feedback.vote == 0 ? ROLE_DOWN : ROLE_UP;
		break;
	}
	case CL_ROW_ELEMENT:
		snprintf(buf, len, "%*s  [%s] %s  %s", ind, "", r->element->type ? r->element->type : "element",
		         r->element->name ? r->element->name : "", r->element->mime ? r->element->mime : "");
		*role = ROLE_DIM;
		break;
	case CL_ROW_UNKNOWN:
		snprintf(buf, len, "%*s  (unknown item) %s", ind, "",
		         ddb_item_s(r->unknown, "SK") ? ddb_item_s(r->unknown, "SK") : "?");
		*role = ROLE_PROBLEM;
		break;
	}
}

static struct cl_node *row_node(struct steps *sv, size_t i)
{
	return i < sv->rows.n && sv->rows.v[i].kind == CL_ROW_STEP ? sv->rows.v[i].node : NULL;
}

static void restore_cursor(struct view *v)
{
	struct steps *sv = v->priv;
	if (!sv->keep_step)
		return;
	for (size_t i = 0; i < sv->rows.n; i++) {
		struct cl_node *nd = row_node(sv, i);
		if (nd && nd->step->id && !strcmp(nd->step->id, sv->keep_step)) {
			v->cursor = i;
			break;
		}
	}
	free(sv->keep_step);
	sv->keep_step = NULL;
}

static void conv_loaded(struct cl_conversation *c, const struct ddb_error *err, void *ud)
{
	struct view *v = ud;
	struct steps *sv = v->priv;
	sv->job = NULL;
	v->loading = false;
	if (err) {
		view_set_ddb_error(v, "conversation", err);
		return;
	}
	cl_conversation_free(sv->conv);
	sv->conv = c;
	snprintf(v->title, sizeof v->title, "%s  (%zu steps, %zu elements)",
	         c->thread && c->thread->name ? c->thread->name : sv->thread_id, c->n_steps, c->n_elements);
	snprintf(v->progress, sizeof v->progress, "%zu steps", c->n_steps);
	steps_rows(v);
	restore_cursor(v);
	if (!c->thread)
		ui_message(v->ui, true, "thread %s has no THREAD item (its steps are shown)", sv->thread_id);
}

static void steps_reload(struct view *v)
{
	struct steps *sv = v->priv;
	struct cl_state *st = chainlit_state(v->ui);
	cl_job_cancel(sv->job);
	sv->job = NULL;
	size_t sel = view_selected(v);
	struct cl_node *nd = sel != (size_t)-1 ? row_node(sv, sel) : NULL;
	if (nd && nd->step->id && !sv->keep_step)
		sv->keep_step = util_xstrdup(nd->step->id);
	v->loading = true;
	view_set_error(v, NULL);
	sv->job = cl_conversation_load(v->ui->s, st->table, sv->thread_id, conv_loaded, v);
}

static void steps_cancel(struct view *v)
{
	struct steps *sv = v->priv;
	if (sv->job) {
		cl_job_cancel(sv->job);
		sv->job = NULL;
		v->loading = false;
		view_set_error(v, "loading cancelled (R reloads)");
	}
}

static void steps_enter(struct view *v, size_t i)
{
	struct steps *sv = v->priv;
	struct cl_node *nd = row_node(sv, i);
	if (nd && nd->collapsed) {
		nd->collapsed = false;
		steps_rows(v);
		return;
	}
	const json_t *item = NULL;
	char *pr = NULL;
	const char *title = NULL;
	if (nd) {
		item = nd->step->raw;
		pr = nd->step->problems.n ? problems_join(&nd->step->problems) : NULL;
		title = nd->step->id;
	} else if (i < sv->rows.n && sv->rows.v[i].kind == CL_ROW_ELEMENT) {
		const struct cl_element *el = sv->rows.v[i].element;
		item = el->raw;
		title = el->id;
		pr = el->problems.n ? problems_join(&el->problems) : NULL;
	} else if (i < sv->rows.n && sv->rows.v[i].kind == CL_ROW_UNKNOWN) {
		item = sv->rows.v[i].unknown;
	}
	if (item)
		ui_show_detail(v->ui, title, item, pr);
	free(pr);
}

static void steps_back(struct view *v, size_t i)
{
	struct steps *sv = v->priv;
	struct cl_node *nd = row_node(sv, i);
	if (nd && !nd->collapsed && (nd->n_children || nd->n_elements)) {
		nd->collapsed = true;
		steps_rows(v);
		return;
	}
	if (nd && nd->parent) {
		for (size_t k = 0; k < sv->rows.n; k++)
			if (row_node(sv, k) == nd->parent) {
				v->cursor = k;
				return;
			}
	}
	/* back to the list the thread is in (v goes), else to the tree */
	struct cl_state *st = chainlit_state(v->ui);
	if (!st->steps_back || !st->steps_back(v->ui, sv->thread_id))
		v->ui->focus = 0;
}

static const json_t *steps_item(struct view *v, size_t i)
{
	struct steps *sv = v->priv;
	if (i >= sv->rows.n)
		return NULL;
	const struct cl_row *r = &sv->rows.v[i];
	return r->kind == CL_ROW_STEP ? r->node->step->raw : r->kind == CL_ROW_ELEMENT ? r->element->raw
	     : r->kind == CL_ROW_UNKNOWN ? r->unknown : NULL;
}

static const char *steps_id(struct view *v, size_t i)
{
	struct steps *sv = v->priv;
	if (i >= sv->rows.n)
		return NULL;
	const struct cl_row *r = &sv->rows.v[i];
	return r->kind == CL_ROW_STEP ? r->node->step->id : r->kind == CL_ROW_ELEMENT ? r->element->id : NULL;
}

static char *steps_problems(struct view *v, size_t i)
{
	struct cl_node *nd = row_node(v->priv, i);
	return nd && nd->step->problems.n ? problems_join(&nd->step->problems) : NULL;
}

/* ---- the feedback keys --------------------------------------------------------------- */

/* The steps view showing this thread, if it is on screen. */
static struct view *steps_on_screen(struct ui *ui, const char *thread_id)
{
	struct view *v = ui->list;
	if (!v || v->ops != &steps_ops)
		return NULL;
	struct steps *sv = v->priv;
	return !strcmp(sv->thread_id, thread_id) ? v : NULL;
}

/* A write goes to the item that was read: its key, never the id or
 * threadId attributes, which a damaged item may point elsewhere. */
static bool key_ids(const struct cl_step *s, const char **thread_id, const char **step_id)
{
	*thread_id = cl_strip_prefix(ddb_item_s(s->raw, "PK"), "THREAD#");
	*step_id = cl_strip_prefix(ddb_item_s(s->raw, "SK"), "STEP#");
	return *thread_id && **thread_id && *step_id && **step_id;
}

static struct fb_ctx *ctx_for(struct view *v, struct cl_node *nd)
{
	const char *tid, *sid;
	struct fb_ctx *c = util_xcalloc(1, sizeof *c);
	key_ids(nd->step, &tid, &sid);   /* checked by the caller */
	c->ui = v->ui;
	c->thread_id = util_xstrdup(tid);
	c->step_id = util_xstrdup(sid);
	c->seen = nd->step->has_feedback ? json_deep_copy(nd->step->feedback.av) : NULL;
	return c;
}

static bool jump_feedback(struct view *v, int dir, bool want)
{
	struct steps *sv = v->priv;
	size_t n = sv->rows.n, cur = view_selected(v);
	if (!n || v->filter)
		return false;
	for (size_t k = 1; k <= n; k++) {
		size_t i = (cur + (dir > 0 ? k : n - k)) % n;
		struct cl_node *nd = row_node(sv, i);
		if (nd && nd->step->has_feedback == want) {
			v->cursor = i;
			return true;
		}
	}
	ui_message(v->ui, false, "no step %s feedback", want ? "with" : "without");
	return true;
}

static bool steps_action(struct view *v, enum action a)
{
	struct steps *sv = v->priv;
	size_t sel = view_selected(v);
	struct cl_node *nd = sel != (size_t)-1 ? row_node(sv, sel) : NULL;
	switch (a) {
	case ACT_FB_NEXT: return jump_feedback(v, 1, true);
	case ACT_FB_PREV: return jump_feedback(v, -1, true);
	case ACT_FB_NEXT_NONE: return jump_feedback(v, 1, false);
	case ACT_FB_EDIT:
	case ACT_FB_UP:
	case ACT_FB_DOWN:
	case ACT_FB_DELETE:
		break;
	default:
		return false;
	}
	const char *ktid, *ksid;
	char *stray = nd ? stray_write_refusal(nd->step->raw) : NULL;   /* as `feedback set` says */
	if (stray) {
		ui_message(v->ui, true, "%s", stray);
		free(stray);
		return true;
	}
	if (!nd || nd->step->stub || !key_ids(nd->step, &ktid, &ksid)) {
		ui_message(v->ui, true, nd ? "this item has no usable THREAD#/STEP# key: not written"
		                           : "select a step first");
		return true;
	}
	if (v->loading) {
		ui_message(v->ui, true, "wait for the conversation to load");
		return true;
	}
	const struct cl_step *s = nd->step;
	if (a == ACT_FB_EDIT) {
		struct cl_state *st = chainlit_state(v->ui);
		char *dk = chainlit_draft_key(ktid, ksid);
		const char *draft = json_string_value(json_object_get(st->drafts, dk));
		char label[256];
		snprintf(label, sizeof label, "%s %s", s->type ? s->type : "step", s->name ? s->name : "");
		chainlit_form_open(v->ui, ktid, ksid, label,
		          s->has_feedback ? s->feedback.av : NULL,
		          s->has_feedback ? s->feedback.vote : 1,
		          draft ? draft : s->has_feedback ? s->feedback.comment : NULL);
		free(dk);
		return true;
	}
	struct fb_ctx *c = ctx_for(v, nd);
	if (a == ACT_FB_DELETE) {
		if (!s->has_feedback) {
			ui_message(v->ui, false, "this step has no feedback");
			chainlit_fb_free(c);
			return true;
		}
		c->is_delete = true;
		ui_confirm(v->ui, "delete the feedback of this step?", chainlit_fb_delete_answer, c);
		return true;
	}
	c->value = a == ACT_FB_UP ? 1 : 0;
	c->comment = s->has_feedback && s->feedback.comment ? util_xstrdup(s->feedback.comment) : NULL;
	chainlit_fb_write(c);
	return true;
}

static void steps_destroy(struct view *v)
{
	struct steps *sv = v->priv;
	cl_job_cancel(sv->job);
	cl_rows_free(&sv->rows);
	cl_conversation_free(sv->conv);
	free(sv->thread_id);
	free(sv->keep_step);
	free(sv);
}

static const struct view_ops steps_ops = {
	.name = "steps",
	.row = steps_row,
	.layout = steps_rows,
	.enter = steps_enter,
	.back = steps_back,
	.action = steps_action,
	.reload = steps_reload,
	.cancel = steps_cancel,
	.item = steps_item,
	.id = steps_id,
	.problems = steps_problems,
	.destroy = steps_destroy,
};

struct view *chainlit_steps_new(struct ui *ui, const char *thread_id)
{
	struct steps *sv = util_xcalloc(1, sizeof *sv);
	sv->utf8 = columns_utf8();
	sv->thread_id = util_xstrdup(thread_id);
	struct view *v = view_new(ui, &steps_ops, sv, "thread %s", thread_id);
	steps_reload(v);
	return v;
}

void chainlit_steps_reshow(struct ui *ui, const char *thread_id)
{
	struct view *sv = steps_on_screen(ui, thread_id);
	if (sv)
		steps_reload(sv);
}

void chainlit_steps_update(struct ui *ui, const char *thread_id, const json_t *item)
{
	struct view *v = steps_on_screen(ui, thread_id);
	if (!v)
		return;
	struct steps *sv = v->priv;
	/* a load in flight may have read the step before the write: read again */
	if (sv->job || !cl_conversation_update_step(sv->conv, item)) {
		steps_reload(v);
		return;
	}
	steps_measure(v);   /* its feedback may need its column now */
	view_set_rows(v, sv->rows.n);   /* the same rows, drawn again */
}
