/* tui/draw.c: drawing the screen: the header, the panes or the detail
 * overlay or the help, the status line (prompt, question, message, load
 * progress, error, hints); colours. */
#include "ddconfig.h"

#include "tui/draw.h"
#include "tui/help.h"
#include "tui/text.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void draw_init_colors(struct ui *ui)
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
	size_t n = view_count(v);
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
		view_row_text(v, view_row(v, vi), buf, sizeof buf, &role);
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

void draw_screen(struct ui *ui)
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
		ui_detail_sync(ui->detail);
		draw_view(ui, ui->detail, 1, 0, body_h, cols, true);
	} else {
		int tw = ui_tree_width(cols);
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
	struct view *v = ui_focused_view(ui);
	char net[160];
	ddb_client_status(s->ddb, net, sizeof net);
	/* --allow-http to a remote host: what travels in clear, until a key
	 * (messages that come meanwhile show after it) */
	char warn[320];
	int seq = ddb_client_warning(s->ddb, warn, sizeof warn);
	if (seq != ui->warning_seq) {
		ui->warning_seq = seq;
		free(ui->warning);
		ui->warning = text_sanitize_line(warn);
	}
	if (ui->confirm_text) {
		snprintf(st, sizeof st, " %s (y/n)", ui->confirm_text);
		role = ROLE_ERROR;
	} else if (ui->prompt) {
		snprintf(st, sizeof st, "%c%s", ui->prompt, ui->prompt_edit.text);
	} else if (ui->warning) {
		snprintf(st, sizeof st, " %s", ui->warning);
		role = ROLE_ERROR;
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
		size_t n = view_count(v);
		snprintf(st, sizeof st, " %zu/%zu%s  %s  ?:help  Tab:pane  /:filter  :cmd  R:reload  q:quit",
		         n ? v->cursor + 1 : 0, n, v->more_available ? "+" : "", v->progress);
	}
	attron(role_attr(ui, role));
	draw_text(rows - 1, 0, cols, st, true);
	attroff(role_attr(ui, role));
	if (ui->prompt) {
		curs_set(1);
		char *safe = text_sanitize(ui->prompt_edit.text, ui->prompt_edit.cur, 0);
		move(rows - 1, 1 + text_width(safe ? safe : ""));
		free(safe);
	} else {
		curs_set(0);
	}
	refresh();
}
