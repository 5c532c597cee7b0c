/* tui/ui.c: the browser frame, its event loop and its scripted mode. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/ui.h"
#include "tui/out.h"
#include "tui/detail.h"
#include "tui/help.h"
#include "tui/text.h"
#include "tui/tree.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

/* ---- views ----------------------------------------------------------------- */

struct view *view_new(struct ui *ui, const struct view_ops *ops, void *priv, const char *title, ...)
{
	struct view *v = calloc(1, sizeof *v);
	if (!v)
		abort();
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

/* printf, then made safe for the terminal. */
static char *sanitized_vfmt(const char *fmt, va_list ap)
{
	char *raw = util_vfmt(fmt, ap);
	char *safe = text_sanitize_line(raw ? raw : "");
	free(raw);
	return safe;
}

void view_set_error(struct view *v, const char *fmt, ...)
{
	free(v->error);
	v->error = NULL;
	if (!fmt)
		return;
	va_list ap;
	va_start(ap, fmt);
	v->error = sanitized_vfmt(fmt, ap);
	va_end(ap);
}

void view_set_ddb_error(struct view *v, const char *what, const struct ddb_error *e)
{
	if (e->kind == DDB_ERR_CANCELLED) {
		view_set_error(v, "%s: cancelled (R reloads)", what);
		return;
	}
	view_set_error(v, "%s: %s%s%s", what, e->code ? e->code : "", e->code ? ": " : "",
	               e->message ? e->message : ddb_error_kind_text(e->kind));
}

/* Visible rows: all, or those whose text contains the filter. */
static size_t vis_count(const struct view *v)
{
	return v->filter ? v->nf : v->nrows;
}

static size_t vis_row(const struct view *v, size_t i)
{
	return v->filter ? v->fmap[i] : i;
}

size_t view_selected(const struct view *v)
{
	if (!v || v->cursor >= vis_count(v))
		return (size_t)-1;
	return vis_row(v, v->cursor);
}

static void row_text(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
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
	v->fmap = malloc((v->nrows ? v->nrows : 1) * sizeof *v->fmap);
	if (!v->fmap)
		abort();
	v->nf = 0;
	char buf[2048];
	enum color_role role;
	size_t new_cursor = 0;
	for (size_t i = 0; i < v->nrows; i++) {
		row_text(v, i, buf, sizeof buf, &role);
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
static void view_place_cursor(struct view *v, size_t row, bool more_coming)
{
	size_t body = v->ui && v->ui->rows > 4 ? (size_t)v->ui->rows - 3 : 1;
	size_t n = vis_count(v);
	if (row > body * 2 / 3)
		row = body / 3;
	v->top = v->cursor > row ? v->cursor - row : 0;
	/* no blank rows at the bottom, unless a load may still fill them */
	if (!v->loading && !more_coming && v->top + body > n)
		v->top = n > body ? n - body : 0;
}

void view_reveal_cursor(struct view *v)
{
	size_t body = v->ui && v->ui->rows > 4 ? (size_t)v->ui->rows - 3 : 1;
	bool on_screen = v->cursor >= v->top && v->cursor < v->top + body;
	/* the node is about to be expanded: leave room for its children */
	view_place_cursor(v, on_screen ? v->cursor - v->top : (size_t)-1, true);
}

static void view_set_filter(struct view *v, const char *f)
{
	size_t keep = view_selected(v);
	size_t row = v->cursor >= v->top ? v->cursor - v->top : 0;   /* on screen */
	bool had = v->filter != NULL;
	free(v->filter);
	v->filter = f && *f ? strdup(f) : NULL;
	view_refilter(v);
	if (!v->filter && keep != (size_t)-1) {
		v->cursor = keep;   /* clearing the filter keeps the selected row */
		if (had)
			view_place_cursor(v, row, false);
	}
	if (v->ops->select && view_selected(v) != keep)
		v->ops->select(v, view_selected(v));
}

/* ---- colours and drawing ---------------------------------------------------- */

static int role_attr(struct ui *ui, enum color_role r)
{
	if (ui->color)
		return (int)(COLOR_PAIR(r + 1) | (r == ROLE_TITLE ? A_BOLD : 0));
	switch (r) {
	case ROLE_HEADER: case ROLE_SELECTED: case ROLE_STATUS: return (int)A_REVERSE;
	case ROLE_ERROR: case ROLE_TITLE: case ROLE_PROBLEM: return (int)A_BOLD;
	case ROLE_DIM: return (int)A_DIM;
	case ROLE_MATCH: return (int)A_UNDERLINE;
	default: return (int)A_NORMAL;
	}
}

static void init_colors(struct ui *ui)
{
	ui->color = has_colors() && !getenv("NO_COLOR") && !ui->cfg.monochrome;
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	static const short def[ROLE_COUNT][2] = {
		[ROLE_NORMAL] = {-1, -1}, [ROLE_HEADER] = {COLOR_BLACK, COLOR_CYAN},
		[ROLE_SELECTED] = {COLOR_BLACK, COLOR_YELLOW}, [ROLE_STATUS] = {COLOR_BLACK, COLOR_WHITE},
		[ROLE_ERROR] = {COLOR_WHITE, COLOR_RED}, [ROLE_TITLE] = {COLOR_CYAN, -1},
		[ROLE_DIM] = {COLOR_BLUE, -1}, [ROLE_UP] = {COLOR_GREEN, -1},
		[ROLE_DOWN] = {COLOR_RED, -1}, [ROLE_PROBLEM] = {COLOR_MAGENTA, -1},
		[ROLE_MATCH] = {COLOR_BLACK, COLOR_GREEN},
	};
	for (int r = 0; r < ROLE_COUNT; r++) {
		short fg = def[r][0], bg = def[r][1];
		/* config roles skip "normal" (index 0) */
		if (r > 0 && ui->cfg.color_fg[r - 1] != -2) {
			fg = (short)ui->cfg.color_fg[r - 1];
			bg = (short)ui->cfg.color_bg[r - 1];
		}
		init_pair((short)(r + 1), fg, bg);
	}
}

/* Draw sanitised text at (y, x) clipped to w columns, padding with spaces. */
static void draw_text(int y, int x, int w, const char *s, bool pad)
{
	if (w <= 0)
		return;
	char *safe = text_sanitize_line(s);
	int used = 0;
	size_t n = text_fit(safe ? safe : "", w, &used);
	mvaddnstr(y, x, safe ? safe : "", (int)n);
	if (pad)
		for (int i = used; i < w; i++)
			addch(' ');
	free(safe);
}

static void draw_view(struct ui *ui, struct view *v, int y, int x, int h, int w, bool focused)
{
	if (h < 2 || w < 4)
		return;
	/* title line */
	attron(role_attr(ui, ROLE_TITLE));
	char title[512];
	snprintf(title, sizeof title, "%s%s%s%s", v->title, v->filter ? "  [filter: " : "",
	         v->filter ? v->filter : "", v->filter ? "]" : "");
	draw_text(y, x, w, title, true);
	attroff(role_attr(ui, ROLE_TITLE));
	int body = h - 1;
	size_t n = vis_count(v);
	if (v->cursor >= n)
		v->cursor = n ? n - 1 : 0;
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + (size_t)body)
		v->top = v->cursor - (size_t)body + 1;
	char buf[2048];
	for (int i = 0; i < body; i++) {
		size_t vi = v->top + (size_t)i;
		move(y + 1 + i, x);
		if (vi >= n) {
			for (int k = 0; k < w; k++)
				addch(' ');
			continue;
		}
		enum color_role role;
		row_text(v, vis_row(v, vi), buf, sizeof buf, &role);
		int attr = vi == v->cursor ? (focused ? role_attr(ui, ROLE_SELECTED) : (int)A_REVERSE)
		                           : role_attr(ui, role);
		attron(attr);
		draw_text(y + 1 + i, x, w, buf, true);
		attroff(attr);
	}
	if (!n) {
		const char *empty = v->loading ? "loading..." : v->error ? v->error
		                  : v->filter ? "(nothing matches the filter)" : "(empty)";
		attron(role_attr(ui, v->error ? ROLE_ERROR : ROLE_DIM));
		draw_text(y + 1, x + 1, w - 1, empty, false);
		attroff(role_attr(ui, v->error ? ROLE_ERROR : ROLE_DIM));
	}
}

static struct view *focused_view(struct ui *ui)
{
	if (ui->detail)
		return ui->detail;
	return ui->focus == 0 || !ui->list ? ui->tree : ui->list;
}

static void draw_help(struct ui *ui)
{
	int rows = ui->rows, cols = ui->cols;
	struct lines l = {0};
	help_build(&l, &ui->km, ui->s->read_only, ui->modules, ui->nmodules);
	if (ui->help_top + (size_t)(rows - 2) > l.n)
		ui->help_top = l.n > (size_t)(rows - 2) ? l.n - (size_t)(rows - 2) : 0;
	for (int i = 1; i < rows - 1; i++) {
		size_t k = ui->help_top + (size_t)(i - 1);
		/* a help longer than the screen says so on its last row */
		bool more = i == rows - 2 && k + 1 < l.n;
		draw_text(i, 0, cols, more ? "  -- more below: j, PgDn, G --" : k < l.n ? l.v[k] : "", true);
	}
	lines_free(&l);
}

/* The tree pane's width for a screen of `cols` columns. */
static int tree_width(int cols)
{
	int tw = cols / 3;
	if (tw < 24)
		tw = cols < 48 ? cols / 2 : 24;
	if (tw > 60)
		tw = 60;
	return tw;
}

int ui_list_width(const struct ui *ui)
{
	return ui->detail ? ui->cols : ui->cols - tree_width(ui->cols) - 1;
}

static void detail_sync(struct view *v);

static void draw(struct ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	int rows = ui->rows, cols = ui->cols;
	erase();
	/* header: endpoint, region, profile, tables, mode */
	char head[1024];
	const struct session *s = ui->s;
	/* the mode first: it must never be cut off */
	snprintf(head, sizeof head, " ddtree %s  %s  %s  profile %s",
	         s->read_only ? "[read-only]" : "[read-write]",
	         s->conf.endpoint_url, s->conf.region, s->conf.profile ? s->conf.profile : "default");
	/* then each module's tables */
	for (size_t i = 0; i < ui->nmodules; i++)
		if (ui->modules[i]->header) {
			size_t used = strlen(head);
			ui->modules[i]->header(ui, head + used, sizeof head - used);
		}
	attron(role_attr(ui, ROLE_HEADER));
	draw_text(0, 0, cols, head, true);
	attroff(role_attr(ui, ROLE_HEADER));

	int body_h = rows - 2;
	if (ui->help) {
		draw_help(ui);
	} else if (ui->detail) {
		detail_sync(ui->detail);
		draw_view(ui, ui->detail, 1, 0, body_h, cols, true);
	} else {
		int tw = tree_width(cols);
		draw_view(ui, ui->tree, 1, 0, body_h, tw, ui->focus == 0);
		if (ui->list) {
			attron(role_attr(ui, ROLE_DIM));
			for (int y = 1; y <= body_h; y++)
				mvaddstr(y, tw, MB_CUR_MAX > 1 ? "\u2502" : "|");
			attroff(role_attr(ui, ROLE_DIM));
			draw_view(ui, ui->list, 1, tw + 1, body_h, cols - tw - 1, ui->focus == 1);
		}
	}

	/* status line: prompt, message, load progress, errors, hints */
	char st[1024];
	enum color_role role = ROLE_STATUS;
	struct view *v = focused_view(ui);
	char net[160];
	ddb_client_status(s->ddb, net, sizeof net);
	if (ui->confirm_text) {
		snprintf(st, sizeof st, " %s (y/n)", ui->confirm_text);
		role = ROLE_ERROR;
	} else if (ui->prompt) {
		snprintf(st, sizeof st, "%c%.*s", ui->prompt, (int)ui->prompt_len, ui->prompt_buf);
	} else if (ui->message) {
		snprintf(st, sizeof st, " %s", ui->message);
		if (ui->message_error)
			role = ROLE_ERROR;
	} else if (v->loading || (ui->list && ui->list->loading) || ui->tree->loading) {
		struct view *lv = v->loading ? v : ui->list && ui->list->loading ? ui->list : ui->tree;
		snprintf(st, sizeof st, " loading %s %s %s  (Esc %s)", lv == ui->tree ? "the tree" : lv->title,
		         lv->progress, net,
		         v->filter ? "clears the filter" : "cancels");
	} else if (v->error) {
		snprintf(st, sizeof st, " error: %s  (R retries)", v->error);
		role = ROLE_ERROR;
	} else {
		size_t n = vis_count(v);
		snprintf(st, sizeof st, " %zu/%zu%s  %s  ?:help  Tab:pane  /:filter  :cmd  R:reload  q:quit",
		         n ? v->cursor + 1 : 0, n, v->more_available ? "+" : "", v->progress);
	}
	attron(role_attr(ui, role));
	draw_text(rows - 1, 0, cols, st, true);
	attroff(role_attr(ui, role));
	if (ui->prompt) {
		curs_set(1);
		char *safe = text_sanitize(ui->prompt_buf, ui->prompt_len, 0);
		move(rows - 1, 1 + text_width(safe ? safe : ""));
		free(safe);
	} else {
		curs_set(0);
	}
	refresh();
}

/* ---- the detail overlay -------------------------------------------------------- */

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
		wrap_text(&d->lines, d->problems, d->width, 2);
		lines_add(&d->lines, "");
	}
	detail_render(&d->lines, d->item, d->raw, d->width);
	view_set_rows(v, d->lines.n);
}

/* Before drawing: re-wrap after a resize, keeping the cursor at the same
 * place in the text (proportionally: the lines are wrapped anew) and on the
 * same screen row where it can be, and never past the end. */
static const struct view_ops detail_ops;

static void detail_sync(struct view *v)
{
	if (v->ops != &detail_ops)
		return;   /* another overlay (a form, the conflict view) */
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
		char *s = json_dumps(d->item, JSON_COMPACT | JSON_SORT_KEYS);
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
	struct detail *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	d->item = json_deep_copy(item);
	d->id = id ? strdup(id) : NULL;
	d->problems = problems ? strdup(problems) : NULL;
	view_free(ui->detail);
	ui->detail = view_new(ui, &detail_ops, d, "%s  (r: raw DynamoDB JSON, Esc: back)",
	                      title ? title : "item");
	detail_build(ui->detail);
}

/* ---- messages, clipboard ---------------------------------------------------------- */

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	free(ui->message);
	ui->message = NULL;
	if (!fmt)
		return;
	va_list ap;
	va_start(ap, fmt);
	ui->message = sanitized_vfmt(fmt, ap);
	va_end(ap);
	ui->message_error = error;
}

static char *base64(const char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
	if (!out)
		return NULL;
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

/* ---- modules ----------------------------------------------------------------------- */

void **ui_module_slot(struct ui *ui, const char *name)
{
	for (size_t i = 0; i < ui->nmodules; i++)
		if (!strcmp(ui->modules[i]->name, name))
			return &ui->mstate[i];
	abort();   /* a module asks for its own slot: it is always there */
}

void ui_add_roots(struct ui *ui)
{
	for (size_t i = 0; i < ui->nmodules; i++)
		if (ui->modules[i]->roots)
			ui->modules[i]->roots(ui);
}

/* ---- panes ------------------------------------------------------------------------- */

void ui_show_list(struct ui *ui, struct view *v)
{
	if (ui->list && ui->list->ops->cancel && ui->list->loading)
		ui->list->ops->cancel(ui->list);
	view_free(ui->list);
	ui->list = v;
}

static void maybe_more(struct view *v)
{
	/* fetch ahead: within a screen of the end */
	size_t n = vis_count(v);
	if (v->more_available && !v->loading && v->ops->more &&
	    v->cursor + (size_t)(v->ui->rows > 4 ? v->ui->rows : 24) >= n)
		v->ops->more(v);
}

static void move_cursor(struct view *v, long delta)
{
	size_t n = vis_count(v);
	if (!n)
		return;
	long c = (long)v->cursor + delta;
	if (c < 0)
		c = 0;
	if (c >= (long)n)
		c = (long)n - 1;
	bool moved = (size_t)c != v->cursor;
	v->cursor = (size_t)c;
	if (moved && v->ops->select)
		v->ops->select(v, view_selected(v));
	maybe_more(v);
}

/* ---- commands (':') ---------------------------------------------------------------- */

/* The frame's own commands, listed in :help after the modules' ones. */
static void help_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	(void)arg;
	ui->help = true;
	ui->help_top = 0;
}

static void quit_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	(void)arg;
	ui->quit = true;
}

/* :save-display FILE (scripts): the screen as text */
static void save_display_command(struct ui *ui, const char *cmd, const char *arg)
{
	if (!*arg) {
		ui_message(ui, true, ":%s FILE", cmd);
		return;
	}
	FILE *f = fopen(arg, "w");
	if (!f) {
		ui_message(ui, true, "cannot write %s", arg);
		return;
	}
	for (int y = 0; y < ui->rows; y++) {
		wchar_t w[1024];
		int n = ui->cols < 1023 ? ui->cols : 1023;
		if (mvinnwstr(y, 0, w, n) == ERR)
			w[0] = 0;
		w[n] = 0;
		char out[4096];
		size_t o = 0;
		mbstate_t ms;
		memset(&ms, 0, sizeof ms);
		for (int i = 0; w[i] && o + MB_CUR_MAX < sizeof out; i++) {
			size_t k = wcrtomb(out + o, w[i], &ms);
			if (k != (size_t)-1)
				o += k;
		}
		while (o && out[o - 1] == ' ')
			o--;
		fprintf(f, "%.*s\n", (int)o, out);
	}
	fclose(f);
}

static const struct module_command frame_commands[] = {
	{"help", "", "this help", false, help_command},
	{"quit", "", "quit", false, quit_command},
	{"q", "", NULL, false, quit_command},
	{"save-display", "FILE", NULL, false, save_display_command},
	{NULL, NULL, NULL, false, NULL},
};

const struct module ui_frame_module = {.name = "ddtree", .commands = frame_commands};

static void run_command(struct ui *ui, char *line)
{
	char *cmd = line;
	while (*cmd == ' ')
		cmd++;
	char *arg = cmd + strcspn(cmd, " ");
	if (*arg) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
	}
	if (!*cmd)
		return;
	const struct module_command *c = module_command_find(ui->modules, ui->nmodules, cmd);
	if (c)
		c->run(ui, cmd, arg);
	else
		ui_message(ui, true, "unknown command :%s (see :help)", cmd);
}

/* ---- input ------------------------------------------------------------------------- */

static void prompt_key(struct ui *ui, int ch)
{
	if (ch == 27) {   /* Esc: abandon */
		if (ui->prompt == '/')
			view_set_filter(focused_view(ui), NULL);
		ui->prompt = 0;
		return;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		int p = ui->prompt;
		ui->prompt = 0;
		ui->prompt_buf[ui->prompt_len] = '\0';
		if (p == ':')
			run_command(ui, ui->prompt_buf);
		return;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		/* remove one UTF-8 character */
		while (ui->prompt_len > 0 && (ui->prompt_buf[--ui->prompt_len] & 0xC0) == 0x80)
			;
	} else if (ch >= 32 && ch < 256 && ch != 127 && ui->prompt_len + 1 < sizeof ui->prompt_buf) {
		ui->prompt_buf[ui->prompt_len++] = (char)ch;   /* bytes of UTF-8 arrive one by one */
	} else {
		return;   /* text fields never trigger bindings */
	}
	if (ui->prompt == '/') {
		ui->prompt_buf[ui->prompt_len] = '\0';
		view_set_filter(focused_view(ui), ui->prompt_buf);
	}
}

static void find_match(struct view *v, int dir)
{
	if (!v->filter || !vis_count(v)) {
		move_cursor(v, dir);
		return;
	}
	move_cursor(v, dir);   /* with a filter on, every visible row matches */
}

static void handle_action(struct ui *ui, enum action a)
{
	struct view *v = focused_view(ui);
	if (ui->help) {
		if (a == ACT_ESCAPE || a == ACT_QUIT || a == ACT_HELP)
			ui->help = false;
		else if (a == ACT_DOWN)
			ui->help_top++;
		else if (a == ACT_UP && ui->help_top)
			ui->help_top--;
		else if (a == ACT_PAGE_DOWN)
			ui->help_top += ui->rows > 4 ? (size_t)ui->rows - 4 : 1;   /* draw_help clamps */
		else if (a == ACT_PAGE_UP)
			ui->help_top -= ui->help_top < (size_t)ui->rows - 4 ? ui->help_top : (size_t)ui->rows - 4;
		else if (a == ACT_FIRST)
			ui->help_top = 0;
		else if (a == ACT_LAST)
			ui->help_top = (size_t)-1 / 2;
		return;
	}
	if (action_info[a].writes && ui->s->read_only) {
		ui_message(ui, true, "read-only: %s", ui->s->read_only_reason);
		return;
	}
	if (v->ops->action && v->ops->action(v, a))
		return;
	size_t sel = view_selected(v);
	int page = ui->rows > 4 ? ui->rows - 4 : 1;
	switch (a) {
	case ACT_DOWN: move_cursor(v, 1); break;
	case ACT_UP: move_cursor(v, -1); break;
	case ACT_PAGE_DOWN: move_cursor(v, page); break;
	case ACT_PAGE_UP: move_cursor(v, -page); break;
	case ACT_FIRST: move_cursor(v, -(long)vis_count(v)); break;
	case ACT_LAST:
		move_cursor(v, (long)vis_count(v));
		if (v->more_available && v->ops->more) {
			v->load_all = true;   /* ui_tick fetches page after page; Esc stops */
			if (!v->loading)
				v->ops->more(v);
		}
		break;
	case ACT_ENTER:
		if (sel != (size_t)-1 && v->ops->enter)
			v->ops->enter(v, sel);
		else if (sel != (size_t)-1 && v->ops->item && v->ops->item(v, sel)) {
			char *pr = v->ops->problems ? v->ops->problems(v, sel) : NULL;
			const char *id = v->ops->id ? v->ops->id(v, sel) : NULL;
			ui_show_detail_id(ui, id ? id : v->title, id, v->ops->item(v, sel), pr);
			free(pr);
		}
		break;
	case ACT_BACK:
		if (ui->detail) {
			view_free(ui->detail);
			ui->detail = NULL;
		} else if (sel != (size_t)-1 && v->ops->back) {
			v->ops->back(v, sel);
		} else if (ui->focus == 1) {
			ui->focus = 0;
		}
		break;
	case ACT_NEXT_PANE:
		if (!ui->detail && ui->list)
			ui->focus = !ui->focus;
		break;
	case ACT_ESCAPE:
		/* the filter first: "/x<Enter><Enter><Esc>" can be typed while
		 * a load runs; the next Esc cancels it */
		if (v->filter) {
			view_set_filter(v, NULL);
			break;
		}
		v->load_all = false;
		if (v->loading && v->ops->cancel) {
			v->ops->cancel(v);
		} else if (v->loading) {
			/* the tree's loads belong to its nodes: stop the reads in
			 * flight; each node reports "cancelled" (R loads it again) */
			ddb_client_cancel_reads(ui->s->ddb);
			ui_message(ui, false, "cancelled: R on a node loads it again");
		} else if (ui->detail) {
			view_free(ui->detail);
			ui->detail = NULL;
		} else if (ui->focus == 1)
			ui->focus = 0;
		break;
	case ACT_QUIT:
		if (ui->detail) {
			view_free(ui->detail);
			ui->detail = NULL;
		} else
			ui->quit = true;
		break;
	case ACT_FILTER:
		ui->prompt = '/';
		ui->prompt_len = 0;
		break;
	case ACT_COMMAND:
		ui->prompt = ':';
		ui->prompt_len = 0;
		break;
	case ACT_NEXT_MATCH: find_match(v, 1); break;
	case ACT_PREV_MATCH: find_match(v, -1); break;
	case ACT_RELOAD:
		view_set_error(v, NULL);
		if (v->ops->reload)
			v->ops->reload(v);
		break;
	case ACT_RAW:
	case ACT_COPY_JSON:
		if (!(sel != (size_t)-1 && v->ops->item && v->ops->item(v, sel))) {
			ui_message(ui, false, "%s: no item here", action_info[a].name);
		} else {
			if (a == ACT_RAW) {
				char *pr = v->ops->problems ? v->ops->problems(v, sel) : NULL;
				const char *id = v->ops->id ? v->ops->id(v, sel) : NULL;
				ui_show_detail_id(ui, id ? id : v->title, id, v->ops->item(v, sel), pr);
				free(pr);
				detail_action(ui->detail, ACT_RAW);
			} else {
				char *s = json_dumps(v->ops->item(v, sel), JSON_COMPACT | JSON_SORT_KEYS);
				ui_copy(ui, "item JSON", s ? s : "");
				free(s);
			}
		}
		break;
	case ACT_COPY_ID:
		if (sel != (size_t)-1 && v->ops->id && v->ops->id(v, sel))
			ui_copy(ui, "id", v->ops->id(v, sel));
		else
			ui_message(ui, false, "%s: no id here", action_info[a].name);
		break;
	case ACT_HELP:
		ui->help = true;
		ui->help_top = 0;
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		ui_message(ui, false, "%s: not available here", action_info[a].name);
		break;
	}
}

static void handle_mouse(struct ui *ui)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		move_cursor(focused_view(ui), -3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		move_cursor(focused_view(ui), 3);
		return;
	}
#endif
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)) || ui->detail ||
	    ui->help)
		return;
	int tw = tree_width(ui->cols);
	ui->focus = ev.x > tw && ui->list ? 1 : 0;
	struct view *v = focused_view(ui);
	if (ev.y >= 2) {
		size_t target = v->top + (size_t)(ev.y - 2);
		if (target < vis_count(v)) {
			move_cursor(v, (long)target - (long)v->cursor);
			if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
				handle_action(ui, ACT_ENTER);
		}
	}
}

static void handle_key(struct ui *ui, int ch)
{
	if (ch == KEY_RESIZE)
		return;   /* the next draw picks up the new size */
	if (ch == KEY_MOUSE) {
		handle_mouse(ui);
		return;
	}
	if (ui->confirm_text) {
		/* only y answers yes; anything else is no */
		void (*fn)(struct ui *, bool, void *) = ui->confirm_fn;
		void *ud = ui->confirm_ud;
		free(ui->confirm_text);
		ui->confirm_text = NULL;
		ui->confirm_fn = NULL;
		if (fn)
			fn(ui, ch == 'y' || ch == 'Y', ud);
		return;
	}
	if (ui->prompt) {
		prompt_key(ui, ch);
		return;
	}
	struct view *fv = focused_view(ui);
	if (!ui->help && fv->ops->key && fv->ops->key(fv, ch))
		return;   /* text fields see keys before any binding */
	if (ui->message) {
		free(ui->message);
		ui->message = NULL;
	}
	enum action a = keymap_lookup(&ui->km, ch);
	if (a != ACT_NONE)
		handle_action(ui, a);
}

/* After network callbacks: go on with a "load every page" (G). */
static void run_start_commands(struct ui *ui);

static void ui_tick(struct ui *ui)
{
	static long repaired_seen;
	run_start_commands(ui);
	struct ddb_stats stt;
	ddb_client_stats(ui->s->ddb, &stt);
	if (stt.repaired > repaired_seen) {
		repaired_seen = stt.repaired;
		ui_message(ui, true, "some stored text cannot travel as JSON (a NUL in a name, a lone "
		           "surrogate): it is shown with U+FFFD");
	}
	struct view *vs[] = {ui->tree, ui->list};
	for (size_t i = 0; i < 2; i++) {
		struct view *v = vs[i];
		if (!v)
			continue;
		if (!v->load_all) {
			/* fetch ahead: keep at least a screen (and a half) of rows */
			size_t want = (size_t)(ui->rows > 4 ? ui->rows : 24) * 3 / 2;
			if (v->more_available && !v->loading && !v->error && v->ops->more &&
			    vis_count(v) < v->cursor + want)
				v->ops->more(v);
			continue;
		}
		v->cursor = vis_count(v) ? vis_count(v) - 1 : 0;
		if (!v->more_available || v->error) {
			v->load_all = false;
			continue;
		}
		if (!v->loading && v->ops->more)
			v->ops->more(v);
	}
}

/* ---- scripted mode (tests) ------------------------------------------------------------ */

/* Each line of the script is ":command args" or keys: literal characters and
 * <Name> keys as in the config file ("jj<Enter>"); "#" starts a comment. */
static int script_keys(const char *line, int *out, int max)
{
	int n = 0;
	for (const char *p = line; *p && n < max;) {
		if (*p == '<') {
			const char *e = strchr(p, '>');
			if (e && e - p < 16) {
				char name[24];
				memcpy(name, p, (size_t)(e - p + 1));
				name[e - p + 1] = '\0';
				int k = key_parse(name);
				if (k >= 0) {
					out[n++] = k;
					p = e + 1;
					continue;
				}
			}
		}
		out[n++] = (unsigned char)*p++;
	}
	return n;
}

static bool any_loading(struct ui *ui)
{
	return ddb_client_pending(ui->s->ddb) > 0 || ui->tree->loading ||
	       (ui->list && ui->list->loading);
}

static void pump_network(struct ui *ui, int timeout_ms)
{
	struct pollfd fd = {.fd = ddb_client_fd(ui->s->ddb), .events = POLLIN};
	if (poll(&fd, 1, timeout_ms) > 0)
		ddb_client_dispatch(ui->s->ddb);
	ui_tick(ui);
}

/* The -c commands, in order, as if typed as soon as each can run. */
static void run_start_commands(struct ui *ui)
{
	while (ui->n_start_cmds && !ui->quit) {
		const char *c = ui->start_cmds[0][0] == ':' ? ui->start_cmds[0] + 1 : ui->start_cmds[0];
		while (*c == ' ')
			c++;
		if (!module_command_ready(ui, c))
			return;
		char *copy = strdup(c);
		if (!copy)
			abort();
		ui->start_cmds++;
		ui->n_start_cmds--;
		run_command(ui, copy);
		free(copy);
	}
}

/* How long one wait for loads may last: DDTREE_SCRIPT_WAIT seconds (default
 * 300; 0 does not wait). */
static double script_wait_limit(void)
{
	const char *e = getenv("DDTREE_SCRIPT_WAIT");
	if (!e || !*e)
		return 300;
	char *end;
	errno = 0;
	double s = strtod(e, &end);
	if (errno || *end || !(s >= 0) || s > 86400) {
		fprintf(stderr, "ddtree: DDTREE_SCRIPT_WAIT=%s is not a number of seconds "
		        "(0 to 86400); waiting 300 s\n", e);
		return 300;
	}
	return s;
}

static double mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait until nothing is loading, so the test never sleeps; after `limit`
 * seconds say so on stderr and go on. */
static void script_wait(struct ui *ui, double limit, int lineno)
{
	if (limit <= 0 || !any_loading(ui))
		return;
	double end = mono_seconds() + limit;
	for (;;) {
		double left = end - mono_seconds();
		if (left <= 0) {
			fprintf(stderr, "ddtree: DDTREE_SCRIPT line %d: gave up waiting for loads after "
			        "%g s (DDTREE_SCRIPT_WAIT); going on while they run\n", lineno, limit);
			return;
		}
		pump_network(ui, left < 0.1 ? (int)(left * 1000) + 1 : 100);
		draw(ui);
		if (!any_loading(ui))
			return;
	}
}

static void run_script(struct ui *ui, FILE *f)
{
	char line[4096];
	double limit = script_wait_limit();
	int lineno = 0;
	/* the -c commands first, once the start-up loads are in */
	script_wait(ui, limit, 0);
	run_start_commands(ui);
	while (!ui->quit && fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		script_wait(ui, limit, lineno);
		if (line[0] == ':') {   /* a command, even while a prompt is open */
			char *cmd = line + 1;
			if (!strncmp(cmd, "system ", 7)) {
				/* scripts only: run a command between two keys (tests use it
				 * to play a second writer) */
				fflush(NULL);
				if (system(cmd + 7) != 0)
					ui_message(ui, true, "script command failed: %s", cmd + 7);
			} else if (!strncmp(cmd, "resize ", 7)) {
				int c = 0, r = 0;
				if (sscanf(cmd + 7, "%dx%d", &c, &r) == 2 && c > 10 && r > 4)
					resizeterm(r, c);
			} else {
				run_command(ui, cmd);
			}
		} else {
			int keys[512];
			int n = script_keys(line, keys, 512);
			for (int i = 0; i < n && !ui->quit; i++) {
				handle_key(ui, keys[i]);
				draw(ui);
				script_wait(ui, limit, lineno);
			}
		}
		draw(ui);
	}
}

/* SIGTERM / SIGHUP end the program through the normal path, so the
 * terminal is always restored. */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* ---- main loop ------------------------------------------------------------------------ */

static void load_config(struct ui *ui)
{
	char *errors = NULL;
	config_load(&ui->km, &ui->cfg, &errors);
	if (errors && *errors)
		ui_message(ui, true, "%s", errors);
	free(errors);
}

int ui_run(struct session *s, const struct module *const *modules, size_t nmodules,
           char *const *commands, size_t ncommands)
{
	struct ui ui_ = {.s = s};
	struct ui *ui = &ui_;
	load_config(ui);   /* read-only / write were applied by the command line */

	const char *script = getenv("DDTREE_SCRIPT");
	FILE *sf = NULL;
	SCREEN *scr = NULL;
	FILE *devnull = NULL;
	if (script) {
		sf = fopen(script, "r");
		if (!sf) {
			fprintf(stderr, "ddtree: cannot read DDTREE_SCRIPT %s\n", script);
			return EXIT_USAGE;
		}
		ui->script = true;
		/* draw into ncurses' virtual screen only; the size comes from
		 * LINES/COLUMNS (default 80x24) */
		if (!getenv("LINES"))
			setenv("LINES", "24", 1);
		if (!getenv("COLUMNS"))
			setenv("COLUMNS", "80", 1);
		const char *term = getenv("TERM");
		devnull = fopen("/dev/null", "w");
		scr = newterm(term && *term && strcmp(term, "dumb") ? term : "xterm-256color", devnull, stdin);
		if (!scr) {
			fprintf(stderr, "ddtree: cannot set up the terminal for the script\n");
			fclose(sf);
			if (devnull)
				fclose(devnull);
			return EXIT_USAGE;
		}
	} else if (!initscr()) {
		fprintf(stderr, "ddtree: cannot initialise the terminal\n");
		return EXIT_USAGE;
	}
	raw();       /* Ctrl-C is a key, not a signal: q quits */
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	if (!script)
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		          | BUTTON5_PRESSED
#endif
		          , NULL);
	init_colors(ui);
	getmaxyx(stdscr, ui->rows, ui->cols);

	/* the modules, then the frame's own commands */
	const struct module **mods = calloc(nmodules + 1, sizeof *mods);
	void **mstate = calloc(nmodules + 1, sizeof *mstate);
	if (!mods || !mstate)
		abort();
	if (nmodules)
		memcpy(mods, modules, nmodules * sizeof *mods);
	mods[nmodules] = &ui_frame_module;
	ui->modules = mods;
	ui->nmodules = nmodules + 1;
	ui->mstate = mstate;

	ui->tree = tree_view_new(ui);
	ui_add_roots(ui);
	tree_cursor_to(ui, NULL);   /* on the first root, which the list shows */

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	ui->start_cmds = commands;
	ui->n_start_cmds = ncommands;
	if (sf) {
		run_script(ui, sf);
		fclose(sf);
	} else {
		run_start_commands(ui);   /* those that can run before any answer */
		while (!ui->quit && !got_signal) {
			draw(ui);
			struct pollfd fds[2] = {
				{.fd = STDIN_FILENO, .events = POLLIN},
				{.fd = ddb_client_fd(s->ddb), .events = POLLIN},
			};
			int r = poll(fds, 2, any_loading(ui) ? 200 : 2000);
			if (r < 0 && errno != EINTR)
				break;
			if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
				break;   /* the terminal went away */
			if (fds[1].revents & POLLIN)
				ddb_client_dispatch(s->ddb);
			ui_tick(ui);
			int ch;
			while ((ch = getch()) != ERR) {
				if (ch == 3) {   /* Ctrl-C */
					ui->quit = true;
					break;
				}
				handle_key(ui, ch);
			}
		}
	}
	endwin();
	if (scr)
		delscreen(scr);
	if (devnull)
		fclose(devnull);
	/* cancel what is in flight (paged loads would go on asking for more),
	 * then let the callbacks see live views */
	ddb_client_cancel_all(s->ddb);
	ddb_client_drain(s->ddb);
	view_free(ui->detail);
	view_free(ui->list);
	view_free(ui->tree);
	free(mods);
	free(mstate);
	free(ui->message);
	free(ui->confirm_text);
	return EXIT_OK;
}
