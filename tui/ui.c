/* tui/ui.c: the frame's services to views and modules: the list pane, the
 * detail overlay, messages and questions in the status line, the
 * clipboard, the modules' state and roots. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/ui.h"
#include "tui/detail.h"
#include "tui/msglog.h"
#include "tui/text.h"
#include "model/jsontext.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct view *ui_focused_view(struct ui *ui)
{
	if (ui->detail)
		return ui->detail;
	return ui->focus == 0 || !ui->list ? ui->tree : ui->list;
}

/* A list pane with nothing to show (no rows, nothing loading, no error). */
static bool list_empty(const struct view *l)
{
	return !l->nrows && !l->loading && !l->error && !l->filter;
}

void ui_panes(const struct ui *ui, struct ui_panes *p)
{
	int cols = ui->cols > 0 ? ui->cols : 80;
	bool narrow = cols < UI_NARROW_COLS;
	bool one = ui->zoom != narrow;
	*p = (struct ui_panes){0};
	if (!ui->list || (one && ui->focus == 0)) {
		p->tree_w = cols;
		return;
	}
	if (one) {
		p->list_w = cols;
		return;
	}
	/* as wide as the tree's rows need (and a column), within bounds: the
	 * list keeps 5/8 of the screen, 49 columns at 80 (a thread's name) */
	int lo = cols / 5, hi = list_empty(ui->list) ? cols * 3 / 5 : cols * 3 / 8;
	/* on a screen under 100 columns, when the list has the focus, the
	 * tree steps back to its narrowest, as ranger's parent column does,
	 * and the list gets the room: a thread's name keeps 45 columns at
	 * 80x24 (from 100 columns on, 5/8 of the screen is room enough) */
	if (cols < 100 && ui->focus == 1 && !list_empty(ui->list))
		hi = lo;
	int need = ui->tree->ops->width ? ui->tree->ops->width(ui->tree, hi) + 1 : cols / 3;
	int tw = need < lo ? lo : need > hi ? hi : need;
	p->tree_w = tw;
	p->list_x = tw + 1;
	p->list_w = cols - tw - 1;
}

int ui_list_width(const struct ui *ui)
{
	if (ui->detail)
		return ui->cols;
	struct ui_panes p;
	ui_panes(ui, &p);
	return p.list_w ? p.list_w : ui->cols;   /* hidden: it shows alone when focused */
}

void ui_resized(struct ui *ui, int rows, int cols)
{
	/* z chose the other layout than the default for that width: a
	 * resize across the narrow threshold goes back to the default */
	if ((cols < UI_NARROW_COLS) != (ui->cols < UI_NARROW_COLS))
		ui->zoom = false;
	ui->rows = rows;
	ui->cols = cols;
	view_layout(ui->tree);
	view_layout(ui->list);
	view_layout(ui->detail);
}

struct detail {
	json_t *item;
	char *id;                /* what y copies, or NULL */
	char *problems;
	bool raw;
	struct lines lines;
	int width;
};

static void detail_build(struct view *v)
{
	struct detail *d = v->priv;
	lines_free(&d->lines);
	d->width = v->ui->cols > 20 ? v->ui->cols : 80;
	if (d->problems && *d->problems) {
		lines_add(&d->lines, "Problems found in this item:");
		lines_wrap(&d->lines, d->problems, d->width, 2);
		lines_add(&d->lines, "");
	}
	detail_render(&d->lines, d->item, d->raw, d->width);
	view_set_rows(v, d->lines.n);
}

/* After a resize: re-wrap, keeping the cursor at the same place in the
 * text (proportionally: the lines are wrapped anew) and on the same screen
 * row where it can be, and never past the end. */
static void detail_layout(struct view *v)
{
	struct detail *d = v->priv;
	if (d->width == v->ui->cols || v->ui->cols <= 20)
		return;
	size_t old_n = d->lines.n, keep = v->cursor;
	size_t row = v->cursor >= v->top ? v->cursor - v->top : 0;
	detail_build(v);
	size_t n = d->lines.n;
	v->cursor = old_n > 1 && n ? (size_t)((double)keep * (double)(n - 1) / (double)(old_n - 1) + 0.5) : 0;
	if (n && v->cursor >= n)
		v->cursor = n - 1;
	view_place_cursor(v, row, false);
}

static void detail_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct detail *d = v->priv;
	if (i < d->lines.n) {
		snprintf(buf, len, "%s", d->lines.v[i]);
		if (d->problems && *d->problems && i == 0)
			*role = ROLE_PROBLEM;
	}
}

static bool detail_action(struct view *v, enum action a)
{
	struct detail *d = v->priv;
	if (a == ACT_RAW) {
		d->raw = !d->raw;
		detail_build(v);
		v->cursor = v->top = 0;
		snprintf(v->title, sizeof v->title, "%s", d->raw ? "raw DynamoDB JSON (r: attributes)"
		                                                 : "attributes (r: raw DynamoDB JSON)");
		return true;
	}
	if (a == ACT_COPY_JSON) {
		char *s = jsontext_dumps(d->item, JT_COMPACT | JT_SORT_KEYS);
		ui_copy(v->ui, "item JSON", s ? s : "");
		free(s);
		return true;
	}
	if (a == ACT_COPY_ID) {
		if (d->id && *d->id)
			ui_copy(v->ui, "id", d->id);
		else
			ui_message(v->ui, false, "y: this item has no id (Y copies its JSON)");
		return true;
	}
	return false;
}

static void detail_destroy(struct view *v)
{
	struct detail *d = v->priv;
	json_decref(d->item);
	free(d->id);
	free(d->problems);
	lines_free(&d->lines);
	free(d);
}

static const struct view_ops detail_ops = {
	.name = "detail",
	.row = detail_row,
	.action = detail_action,
	.layout = detail_layout,
	.destroy = detail_destroy,
};

void ui_set_overlay(struct ui *ui, struct view *v)
{
	view_free(ui->detail);
	ui->detail = v;
}

void ui_confirm(struct ui *ui, const char *text, void (*fn)(struct ui *ui, bool yes, void *ud),
                void *ud)
{
	free(ui->confirm_text);
	ui->confirm_text = text_sanitize_line(text);
	ui->confirm_fn = fn;
	ui->confirm_ud = ud;
}

void ui_show_detail(struct ui *ui, const char *title, const json_t *item, const char *problems)
{
	ui_show_detail_id(ui, title, title, item, problems);
}

void ui_show_detail_id(struct ui *ui, const char *title, const char *id, const json_t *item,
                       const char *problems)
{
	struct detail *d = util_xcalloc(1, sizeof *d);
	d->item = json_deep_copy(item);
	d->id = id ? util_xstrdup(id) : NULL;
	d->problems = problems ? util_xstrdup(problems) : NULL;
	view_free(ui->detail);
	ui->detail = view_new(ui, &detail_ops, d, "%s  (r: raw DynamoDB JSON, Esc: back)",
	                      title ? title : "item");
	detail_build(ui->detail);
}

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	free(ui->message);
	ui->message = NULL;
	if (!fmt)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *raw = util_xvasprintf(fmt, ap);
	va_end(ap);
	msglog_add(&ui->log, error ? MSGLOG_ERROR : MSGLOG_NOTICE, raw);
	/* the status line has its first line; the log has it all */
	size_t first = strcspn(raw, "\n");
	ui->message_more = raw[first] && raw[first + 1];
	raw[first] = '\0';
	ui->message = text_sanitize_line(raw);
	free(raw);
	ui->message_error = error;
}


static char *base64(const char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = util_xcalloc(1, (n + 2) / 3 * 4 + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
		*o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? tab[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

void ui_copy(struct ui *ui, const char *what, const char *text)
{
	/* OSC 52 asks the terminal (also through tmux and ssh) to set the clipboard. */
	char *b = base64(text, strlen(text));
	if (b && !ui->script) {
		FILE *tty = fopen("/dev/tty", "w");
		if (tty) {
			fprintf(tty, "\033]52;c;%s\a", b);
			fclose(tty);
		}
	}
	free(b);
	char *shown = text_sanitize_line(text);
	ui_message(ui, false, "copied %s: %.60s%s", what, shown ? shown : "",
	           shown && strlen(shown) > 60 ? "..." : "");
	free(shown);
}

void **ui_module_slot(struct ui *ui, const char *name)
{
	for (size_t i = 0; i < ui->nmodules; i++)
		if (!strcmp(ui->modules[i]->name, name))
			return &ui->mstate[i];
	abort();   /* a module asks for its own slot: it is always there */
}

void ui_init_modules(struct ui *ui)
{
	for (size_t i = 0; i < ui->nmodules; i++)
		if (ui->modules[i]->init)
			ui->modules[i]->init(ui);
}

void ui_destroy_modules(struct ui *ui)
{
	for (size_t i = ui->nmodules; i-- > 0;)
		if (ui->modules[i]->destroy)
			ui->modules[i]->destroy(ui);
}

void ui_add_roots(struct ui *ui)
{
	for (size_t i = 0; i < ui->nmodules; i++)
		if (ui->modules[i]->roots)
			ui->modules[i]->roots(ui);
}

void ui_show_list(struct ui *ui, struct view *v)
{
	if (ui->list && ui->list->ops->cancel && ui->list->loading)
		ui->list->ops->cancel(ui->list);
	view_free(ui->list);
	ui->list = v;
	if (!v)
		ui->focus = 0;   /* no list: the tree has the keys (not a list shown later) */
}

bool ui_loading(struct ui *ui)
{
	return ddb_client_pending(ui->s->ddb) > 0 || ui->tree->loading ||
	       (ui->list && ui->list->loading);
}
