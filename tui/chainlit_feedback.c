/* tui/chainlit_feedback.c: editing a step's feedback: the writes
 * (conditional on what was read), the form (an overlay: value, multi-line
 * comment), the conflict view (both versions; the user chooses). */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/chainlit.h"
#include "tui/lines.h"
#include "tui/lineedit.h"
#include "model/chainlit.h"
#include "model/feedback.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the writes ---------------------------------------------------------------------- */

void chainlit_fb_free(struct fb_ctx *c)
{
	free(c->table);
	free(c->thread_id);
	free(c->step_id);
	free(c->comment);
	json_decref(c->seen);
	free(c);
}

char *chainlit_draft_key(const char *thread_id, const char *step_id)
{
	return util_xasprintf("%s\n%s", thread_id, step_id);
}

static void conflict_open(struct ui *ui, struct fb_ctx *c, const json_t *current);

/* Is the write's table still the one in use (not switched meanwhile)? */
static bool same_table(const struct cl_state *st, const struct fb_ctx *c)
{
	return st->table && c->table && !strcmp(st->table, c->table);
}

static void fb_done(struct fb_result *res, void *ud)
{
	struct fb_ctx *c = ud;
	struct ui *ui = c->ui;
	struct cl_state *st = chainlit_state(ui);
	bool here = same_table(st, c);
	char *dk = chainlit_draft_key(c->thread_id, c->step_id);
	/* what is stored now: the step the write returned (ALL_NEW), or the
	 * one a failed condition returned (ALL_OLD); NULL after an error */
	const json_t *item = json_is_object(res->item) ? res->item : NULL;
	switch (res->status) {
	case FB_OK:
		ui_message(ui, false, "feedback %s", c->is_delete ? "deleted" : "saved");
		if (here) {
			json_object_del(st->drafts, dk);
			st->counts_update(ui, c->thread_id, c->seen,
			                  c->is_delete ? NULL : json_object_get(item, "feedback"));
		}
		break;
	case FB_CONFLICT:
		/* the counts and the steps follow what is stored now */
		if (here) {
			st->counts_update(ui, c->thread_id, c->seen, json_object_get(item, "feedback"));
			if (item)
				st->step_update(ui, c->thread_id, item);
		}
		/* show both versions; the typed text is kept in the conflict view */
		ui_message(ui, false, NULL);   /* no longer "saving feedback..." */
		conflict_open(ui, c, json_object_get(item, "feedback"));
		free(dk);
		return;
	default:
		/* keep what was typed so the user can retry (e reopens it) */
		if (here && c->comment && !c->is_delete)
			json_object_set_new(st->drafts, dk, json_string(c->comment));
		ui_message(ui, true, "%s%s%s", res->message ? res->message : fb_status_text(res->status),
		           c->comment && !c->is_delete ? " (your text is kept: e to retry)" : "", "");
		break;
	}
	free(dk);
	/* the screen shows what is stored, never what was typed: the step the
	 * write returned, else (an error) the thread read again */
	if (here && item)
		st->step_update(ui, c->thread_id, item);
	else if (here)
		st->reshow(ui, c->thread_id);
	chainlit_fb_free(c);
}

void chainlit_fb_write(struct fb_ctx *c)
{
	struct cl_state *st = chainlit_state(c->ui);
	if (!st->table) {
		chainlit_fb_free(c);
		return;
	}
	free(c->table);
	c->table = util_xstrdup(st->table);
	struct fb_request r = {
		.table = st->table, .thread_id = c->thread_id, .step_id = c->step_id,
		.action = c->is_delete ? FB_DELETE : FB_SET, .value = c->value,
		.comment = c->comment, .seen = c->seen,
	};
	ui_message(c->ui, false, "saving feedback...");
	fb_write(c->ui->s, &r, fb_done, c);
}

void chainlit_fb_delete_answer(struct ui *ui, bool yes, void *ud)
{
	struct fb_ctx *c = ud;
	if (!yes) {
		ui_message(ui, false, "not deleted");
		chainlit_fb_free(c);
		return;
	}
	chainlit_fb_write(c);
}

/* ---- the feedback form (an overlay) -------------------------------------------------- */

enum { F_VALUE, F_COMMENT, F_SAVE, F_CANCEL, F_COUNT };

struct form {
	char *thread_id, *step_id, *label;
	json_t *seen;
	int value;               /* 1 up, 0 down, -1 none chosen (the stored value was invalid) */
	char *note;              /* why no value is chosen, or NULL */
	struct lineedit edit;    /* the comment being typed */
	int field;
	struct lines lines;      /* laid out for a screen of rows x cols */
	int rows, cols;
	size_t box_top;          /* the first comment line shown */
};

#define FORM_BAR "\xe2\x96\x8f"   /* the comment's cursor */

/* The form is laid out for the screen it is on: the title, the value, the
 * comment label and the buttons always show (and a note on an invalid
 * stored value), then as much of the comment as fits, scrolled to keep the
 * cursor's line in view; the ids, a blank line, the box's rules and the
 * hint at the bottom go first when the screen is short. */
static void form_render(struct view *v)
{
	struct form *f = v->priv;
	struct ui *ui = v->ui;
	struct lines *l = &f->lines;
	lines_free(l);
	f->rows = ui->rows;
	f->cols = ui->cols;
	bool focus = f->field == F_COMMENT;
	const char *text = f->edit.text;
	/* the comment, wrapped, with the cursor shown as a bar when the field has focus */
	char *shown = util_xasprintf("%.*s%s%s", (int)f->edit.cur, text, focus ? FORM_BAR : "",
	                             text + f->edit.cur);
	struct lines box = {0};
	lines_wrap(&box, shown, ui->cols > 20 ? ui->cols - 4 : 60, 4);
	free(shown);
	if (!box.n)
		lines_add(&box, "");
	/* the line of the cursor: the k-th bar of the wrapped text, when k bars
	 * come before the cursor in the text itself */
	size_t cur_line = (size_t)-1;
	if (focus) {
		size_t k = 0;
		for (const char *q = text; (q = strstr(q, FORM_BAR)) && (size_t)(q - text) < f->edit.cur; q++)
			k++;
		for (size_t i = 0; i < box.n && cur_line == (size_t)-1; i++)
			for (const char *q = box.v[i]; (q = strstr(q, FORM_BAR)); q++)
				if (k-- == 0) {
					cur_line = i;
					break;
				}
	}
	/* what the frame leaves an overlay (not the header, its title and the
	 * status line) */
	long avail = ui_view_rows(ui, true);
	long need = 4 + (f->note ? 1 : 0);   /* title, value, comment label, buttons */
	bool hint = f->seen != NULL, blank = true, ids = true, rules = true;
	long want = box.n < 3 ? (long)box.n : 3;
#define FORM_OPT ((long)hint + blank + ids + 2 * rules)
	if (need + FORM_OPT + want > avail)
		hint = false;
	if (need + FORM_OPT + want > avail)
		blank = false;
	if (need + FORM_OPT + want > avail)
		ids = false;
	if (need + FORM_OPT + want > avail)
		rules = false;
	long room = avail - need - FORM_OPT;
#undef FORM_OPT
	size_t box_h = room < 1 ? 1 : (size_t)room < box.n ? (size_t)room : box.n;
	if (f->box_top + box_h > box.n)
		f->box_top = box.n - box_h;
	if (cur_line != (size_t)-1) {
		if (cur_line < f->box_top)
			f->box_top = cur_line;
		else if (cur_line >= f->box_top + box_h)
			f->box_top = cur_line - box_h + 1;
	}
	char buf[512];
	snprintf(buf, sizeof buf, "Feedback on %s", f->label);
	lines_add(l, buf);
	if (ids) {
		snprintf(buf, sizeof buf, "thread %s  step %s", f->thread_id, f->step_id);
		lines_add(l, buf);
	}
	if (blank)
		lines_add(l, "");
	snprintf(buf, sizeof buf, "%s Value:    (%c) thumbs up   (%c) thumbs down      Left/Right or Space",
	         f->field == F_VALUE ? ">" : " ", f->value == 1 ? '*' : ' ', f->value == 0 ? '*' : ' ');
	lines_add(l, buf);
	if (f->note) {
		snprintf(buf, sizeof buf, "            %s", f->note);
		lines_add(l, buf);
	}
	snprintf(buf, sizeof buf, "%s Comment:  (empty = none; Enter: new line; Ctrl-S: save)",
	         focus ? ">" : " ");
	lines_add(l, buf);
	size_t below = box.n - f->box_top - box_h;
	if (rules) {
		if (f->box_top)
			snprintf(buf, sizeof buf, "  ---- (%zu more line%s above)", f->box_top,
			         f->box_top == 1 ? "" : "s");
		else
			snprintf(buf, sizeof buf, "  ----");
		lines_add(l, buf);
	}
	for (size_t i = f->box_top; i < f->box_top + box_h; i++)
		lines_add(l, box.v[i]);
	if (rules) {
		if (below)
			snprintf(buf, sizeof buf, "  ---- (%zu more line%s below)", below, below == 1 ? "" : "s");
		else
			snprintf(buf, sizeof buf, "  ----");
		lines_add(l, buf);
	}
	lines_free(&box);
	snprintf(buf, sizeof buf, "  %s[ Save ]%s   %s[ Cancel ]%s      Tab: next field   Esc: cancel",
	         f->field == F_SAVE ? ">" : " ", f->field == F_SAVE ? "<" : " ",
	         f->field == F_CANCEL ? ">" : " ", f->field == F_CANCEL ? "<" : " ");
	lines_add(l, buf);
	if (hint)
		lines_add(l, "  (the save is refused if someone else changes this feedback meanwhile)");
	view_set_rows(v, l->n);
}

static void form_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct form *f = v->priv;
	if (f->rows != v->ui->rows || f->cols != v->ui->cols)
		form_render(v);   /* lay it out again after a resize */
	if (i < f->lines.n)
		snprintf(buf, len, "%s", f->lines.v[i]);
	if (i == 0)
		*role = ROLE_TITLE;
}

static void form_close(struct ui *ui)
{
	ui_set_overlay(ui, NULL);
}

static void form_save(struct view *v)
{
	struct form *f = v->priv;
	struct ui *ui = v->ui;
	if (f->value != 0 && f->value != 1) {
		/* the stored value was neither: the user chooses */
		ui_message(ui, true, "choose thumbs up or thumbs down first");
		f->field = F_VALUE;
		form_render(v);
		return;
	}
	struct fb_ctx *c = util_xcalloc(1, sizeof *c);
	c->ui = ui;
	c->thread_id = util_xstrdup(f->thread_id);
	c->step_id = util_xstrdup(f->step_id);
	c->value = f->value;
	c->comment = f->edit.len ? util_xstrdup(f->edit.text) : NULL;
	c->seen = f->seen ? json_incref(f->seen) : NULL;
	form_close(ui);   /* frees f */
	chainlit_fb_write(c);
}

static bool form_key(struct view *v, int ch)
{
	struct form *f = v->priv;
	struct ui *ui = v->ui;
	if (key_alt_base(ch) >= 0) {
		/* Alt-b, Alt-f in the comment; any other Alt-x is Esc, then x */
		if (f->field != F_COMMENT || lineedit_key(&f->edit, ch) == LINEEDIT_NONE)
			return false;
		form_render(v);
		return true;
	}
	if (ch == 27) {                       /* Esc */
		ui_message(ui, false, "feedback not changed");
		form_close(ui);
		return true;
	}
	if (ch == 19) {                       /* Ctrl-S */
		form_save(v);
		return true;
	}
	if (ch == '\t' || ch == KEY_BTAB) {
		f->field = (f->field + (ch == '\t' ? 1 : F_COUNT - 1)) % F_COUNT;
	} else if (f->field == F_VALUE) {
		if ((ch == KEY_LEFT || ch == KEY_RIGHT || ch == ' ') && f->value != 0 && f->value != 1)
			f->value = ch == KEY_RIGHT ? 0 : 1;   /* none chosen yet: up is on the left */
		else if (ch == KEY_LEFT || ch == KEY_RIGHT || ch == ' ')
			f->value = !f->value;
		else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			f->field = F_COMMENT;
		else if (ch == KEY_DOWN)
			f->field = F_COMMENT;
	} else if (f->field == F_COMMENT) {
		lineedit_key(&f->edit, ch);   /* Enter is a new line; Up, Down change lines */
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == ' ') {
		if (f->field == F_SAVE) {
			form_save(v);
			return true;
		}
		ui_message(ui, false, "feedback not changed");
		form_close(ui);
		return true;
	}
	form_render(v);
	return true;   /* a form sees every key: none triggers a binding */
}

static void form_destroy(struct view *v)
{
	struct form *f = v->priv;
	free(f->thread_id);
	free(f->step_id);
	free(f->label);
	lineedit_free(&f->edit);
	free(f->note);
	json_decref(f->seen);
	lines_free(&f->lines);
	free(f);
}

static const struct view_ops form_ops = {
	.name = "feedback-form",
	.row = form_row,
	.key = form_key,
	.layout = form_render,
	.destroy = form_destroy,
};

void chainlit_form_open(struct ui *ui, const char *thread_id, const char *step_id, const char *label,
                         const json_t *seen, int value, const char *comment)
{
	struct form *f = util_xcalloc(1, sizeof *f);
	f->thread_id = util_xstrdup(thread_id);
	f->step_id = util_xstrdup(step_id);
	f->label = util_xstrdup(label);
	f->seen = seen ? json_deep_copy(seen) : NULL;
	f->value = value;
	if ((value != 0 && value != 1) && seen) {
		/* an invalid stored value (the Slack integration's 2...): nothing
		 * is preselected, and the form says why */
		const char *n = ddb_av_get_n(json_object_get(json_object_get(seen, "M"), "value"));
		f->note = util_xasprintf(n ? "stored value %.40s is not 0 or 1: choose thumbs up or down"
		                           : "the stored value is missing or not a number: choose thumbs up "
		                             "or down", n);
	} else if (value != 0 && value != 1) {
		f->value = 1;
	}
	lineedit_init(&f->edit, true, 0);
	if (comment)
		lineedit_insert(&f->edit, comment, strlen(comment));
	f->field = F_COMMENT;
	struct view *v = view_new(ui, &form_ops, f, "edit feedback");
	ui_set_overlay(ui, v);
	form_render(v);
}

/* ---- a conflict: both versions, the user chooses ------------------------------------- */

struct conflict {
	struct fb_ctx *c;        /* what the user wanted (kept) */
	json_t *current;         /* the feedback stored now ({"M":..}) or NULL */
	struct lines lines;
};

static void describe_fb(struct lines *l, const char *who, const json_t *fb_av, int value,
                        const char *comment, bool is_delete)
{
	char buf[256];
	if (fb_av) {
		const json_t *m = json_object_get(fb_av, "M");
		const char *v = ddb_av_get_n(json_object_get(m, "value"));
		const char *c = ddb_av_get_s(json_object_get(m, "comment"));
		snprintf(buf, sizeof buf, "%s: %s", who, v && !strcmp(v, "1") ? "thumbs up" :
		         v && !strcmp(v, "0") ? "thumbs down" : v ? v : "(no value)");
		lines_add(l, buf);
		lines_wrap(l, c ? c : "(no comment)", 76, 4);
	} else if (is_delete || value < 0) {
		snprintf(buf, sizeof buf, "%s: (no feedback)", who);
		lines_add(l, buf);
	} else {
		snprintf(buf, sizeof buf, "%s: %s", who, value == 1 ? "thumbs up" : "thumbs down");
		lines_add(l, buf);
		lines_wrap(l, comment ? comment : "(no comment)", 76, 4);
	}
}

static void conflict_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct conflict *k = v->priv;
	if (i < k->lines.n)
		snprintf(buf, len, "%s", k->lines.v[i]);
	if (i == 0)
		*role = ROLE_ERROR;
}


static bool conflict_key(struct view *v, int ch)
{
	struct conflict *k = v->priv;
	struct ui *ui = v->ui;
	if (ch == 'o' || ch == 'O') {
		/* overwrite explicitly: again conditional, on the version just shown */
		struct fb_ctx *c = k->c;
		k->c = NULL;
		json_decref(c->seen);
		c->seen = k->current ? json_incref(k->current) : NULL;
		ui_set_overlay(ui, NULL);
		chainlit_fb_write(c);
		return true;
	}
	if (ch == 'e' || ch == 'E') {
		struct fb_ctx *c = k->c;
		if (c->is_delete) {
			/* a delete has nothing of its own to edit: edit theirs */
			struct cl_feedback f;
			cl_feedback_decode(&f, k->current, NULL, NULL, NULL);
			chainlit_form_open(ui, c->thread_id, c->step_id, "step (after a conflict)", k->current,
			          k->current ? f.vote : 1, k->current ? f.comment : NULL);
			return true;
		}
		chainlit_form_open(ui, c->thread_id, c->step_id, "step (after a conflict)", k->current,
		          c->value, c->comment);
		return true;   /* the form replaced (and freed) this view */
	}
	if (ch == 'r' || ch == 'R' || ch == 27 || ch == 'q') {
		/* theirs is kept: the draft goes, so e edits the stored version */
		/* (the steps on the screen show it since the conflict came) */
		struct fb_ctx *c = k->c;
		k->c = NULL;
		struct cl_state *st = chainlit_state(ui);
		char *dk = chainlit_draft_key(c->thread_id, c->step_id);
		if (same_table(st, c))
			json_object_del(st->drafts, dk);
		free(dk);
		ui_message(ui, false, "kept the stored feedback");
		chainlit_fb_free(c);
		ui_set_overlay(ui, NULL);
		return true;
	}
	return true;
}

static void conflict_destroy(struct view *v)
{
	struct conflict *k = v->priv;
	if (k->c) {
		/* keep the typed text for a later e */
		struct cl_state *st = chainlit_state(k->c->ui);
		char *dk = chainlit_draft_key(k->c->thread_id, k->c->step_id);
		if (same_table(st, k->c) && k->c->comment)
			json_object_set_new(st->drafts, dk, json_string(k->c->comment));
		free(dk);
		chainlit_fb_free(k->c);
	}
	json_decref(k->current);
	lines_free(&k->lines);
	free(k);
}

static const struct view_ops conflict_ops = {
	.name = "conflict",
	.row = conflict_row,
	.key = conflict_key,
	.destroy = conflict_destroy,
};

static void conflict_open(struct ui *ui, struct fb_ctx *c, const json_t *current)
{
	struct conflict *k = util_xcalloc(1, sizeof *k);
	k->c = c;
	k->current = current ? json_deep_copy(current) : NULL;
	lines_add(&k->lines, "Someone changed this feedback after you read it. Nothing was overwritten.");
	lines_add(&k->lines, "");
	describe_fb(&k->lines, "Stored now", k->current, -1, NULL, true);
	lines_add(&k->lines, "");
	describe_fb(&k->lines, c->is_delete ? "Yours (delete)" : "Yours", NULL,
	            c->is_delete ? -1 : c->value, c->comment, c->is_delete);
	lines_add(&k->lines, "");
	if (c->is_delete)
		lines_add(&k->lines, "o: delete it anyway (only if it is still as shown)   "
		                     "e: edit the stored one   r/Esc: keep the stored one (reload)");
	else
		lines_add(&k->lines, "o: overwrite with yours (only if it is still as shown)   "
		                     "e: edit yours   r/Esc: keep the stored one (reload)");
	struct view *v = view_new(ui, &conflict_ops, k, "feedback conflict");
	ui_set_overlay(ui, v);
	view_set_rows(v, k->lines.n);
}
