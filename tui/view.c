/* tui/view.c: a view: rows, the cursor and scrolling, the filter, the
 * load error. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/ui.h"
#include "tui/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct view *view_new(struct ui *ui, const struct view_ops *ops, void *priv, const char *title, ...)
{
	struct view *v = util_xcalloc(1, sizeof *v);
	v->ui = ui;
	v->ops = ops;
	v->priv = priv;
	va_list ap;
	va_start(ap, title);
	vsnprintf(v->title, sizeof v->title, title, ap);
	va_end(ap);
	return v;
}

void view_free(struct view *v)
{
	if (!v)
		return;
	if (v->ops->destroy)
		v->ops->destroy(v);
	free(v->error);
	free(v->filter);
	free(v->fmap);
	free(v);
}

static void view_refilter(struct view *v);

void view_set_rows(struct view *v, size_t n)
{
	v->nrows = n;
	view_refilter(v);
}

void view_set_error(struct view *v, const char *fmt, ...)
{
	free(v->error);
	v->error = NULL;
	if (!fmt)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *raw = util_xvasprintf(fmt, ap);
	va_end(ap);
	msglog_add(&v->ui->log, MSGLOG_ERROR, raw);
	v->error = text_sanitize_line(raw);
	free(raw);
}

void view_set_ddb_error(struct view *v, const char *what, const struct ddb_error *e)
{
	if (e->kind == DDB_ERR_CANCELLED) {
		view_set_error(v, "%s: cancelled (R reloads)", what);
		return;
	}
	char *d = ddb_error_describe(e, &v->ui->s->conf, 0);
	view_set_error(v, "%s: %s", what, d);
	free(d);
}

/* Visible rows: all, or those whose text contains the filter. */
size_t view_count(const struct view *v)
{
	return v->filter ? v->nf : v->nrows;
}

size_t view_row(const struct view *v, size_t i)
{
	return v->filter ? v->fmap[i] : i;
}

size_t view_selected(const struct view *v)
{
	if (!v || v->cursor >= view_count(v))
		return (size_t)-1;
	return view_row(v, v->cursor);
}

void view_row_text(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	buf[0] = '\0';
	*role = ROLE_NORMAL;
	v->ops->row(v, i, buf, len, role);
}

static bool contains_ci(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

static void view_refilter(struct view *v)
{
	if (!v->filter) {
		if (v->cursor >= v->nrows)
			v->cursor = v->nrows ? v->nrows - 1 : 0;
		return;
	}
	size_t keep = view_selected(v);
	free(v->fmap);
	v->fmap = util_xcalloc(1, (v->nrows ? v->nrows : 1) * sizeof *v->fmap);
	v->nf = 0;
	char buf[2048];
	enum color_role role;
	size_t new_cursor = 0;
	for (size_t i = 0; i < v->nrows; i++) {
		view_row_text(v, i, buf, sizeof buf, &role);
		const char *id = v->ops->id ? v->ops->id(v, i) : NULL;
		/* rows match on their text and on their id */
		if (contains_ci(buf, v->filter) || (id && contains_ci(id, v->filter))) {
			if (i == keep)
				new_cursor = v->nf;
			v->fmap[v->nf++] = i;
		}
	}
	v->cursor = new_cursor;
}

void view_set_filter_none(struct view *v)
{
	free(v->filter);
	v->filter = NULL;
	free(v->fmap);
	v->fmap = NULL;
}

/* After the filter is cleared: scroll so that the selected row stays on the
 * screen row `row` it had under the filter (as tig and htop do), or, when
 * that is in the bottom third of the pane, a third from the top, so that
 * what follows it (a node's children) shows. */
/* The rows v has on the screen now. */
static size_t body_rows(const struct view *v)
{
	return v->ui ? (size_t)ui_view_rows(v->ui, v == v->ui->detail) : 1;
}

void view_place_cursor(struct view *v, size_t row, bool more_coming)
{
	size_t body = body_rows(v);
	size_t n = view_count(v);
	if (row > body * 2 / 3)
		row = body / 3;
	v->top = v->cursor > row ? v->cursor - row : 0;
	/* no blank rows at the bottom, unless a load may still fill them */
	if (!v->loading && !more_coming && v->top + body > n)
		v->top = n > body ? n - body : 0;
}

void view_reveal_cursor(struct view *v)
{
	size_t body = body_rows(v);
	bool on_screen = v->cursor >= v->top && v->cursor < v->top + body;
	/* the node is about to be expanded: leave room for its children */
	view_place_cursor(v, on_screen ? v->cursor - v->top : (size_t)-1, true);
	v->room = true;
}

void view_fit(struct view *v, size_t body)
{
	size_t n = view_count(v);
	if (!body)
		body = 1;
	if (v->cursor >= n)
		v->cursor = n ? n - 1 : 0;
	if (!v->loading)
		v->room = false;   /* what it was left for is in (or failed) */
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + body)
		v->top = v->cursor - body + 1;
	/* rows above the top come down to fill the bottom of the pane */
	if (!v->room && v->top + body > n)
		v->top = n > body ? n - body : 0;
}

void view_layout(struct view *v)
{
	if (v && v->ops->layout)
		v->ops->layout(v);
}

void view_set_filter(struct view *v, const char *f)
{
	size_t keep = view_selected(v);
	size_t row = v->cursor >= v->top ? v->cursor - v->top : 0;   /* on screen */
	bool had = v->filter != NULL;
	free(v->filter);
	v->filter = f && *f ? util_xstrdup(f) : NULL;
	view_refilter(v);
	if (!v->filter && keep != (size_t)-1) {
		v->cursor = keep;   /* clearing the filter keeps the selected row */
		if (had)
			view_place_cursor(v, row, false);
	}
	if (v->ops->select && view_selected(v) != keep)
		v->ops->select(v, view_selected(v));
}

static void maybe_more(struct view *v)
{
	/* fetch ahead: within a screen of the end */
	size_t n = view_count(v);
	if (v->more_available && !v->loading && v->ops->more &&
	    v->cursor + (size_t)(v->ui->rows > 4 ? v->ui->rows : 24) >= n)
		v->ops->more(v);
}

void view_move_cursor(struct view *v, long delta)
{
	size_t n = view_count(v);
	if (!n)
		return;
	long c = (long)v->cursor + delta;
	if (c < 0)
		c = 0;
	if (c >= (long)n)
		c = (long)n - 1;
	if (c > (long)v->cursor && v->ops->stop)
		c = (long)v->ops->stop(v, v->cursor, (size_t)c);
	bool moved = (size_t)c != v->cursor;
	v->cursor = (size_t)c;
	if (moved && v->ops->select)
		v->ops->select(v, view_selected(v));
	maybe_more(v);
}

void view_find_match(struct view *v, int dir)
{
	if (!v->filter || !view_count(v)) {
		view_move_cursor(v, dir);
		return;
	}
	view_move_cursor(v, dir);   /* with a filter on, every visible row matches */
}
