/* tui/draw.c: drawing the screen: the header, the panes or the detail
 * overlay or the help, the status line (prompt, question, message, load
 * progress, error, hints); colours. */
#include "ddconfig.h"

#include "tui/draw.h"
#include "tui/help.h"
#include "tui/text.h"
#include "tui/tree.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int role_attr(struct ui *ui, enum color_role r)
{
	if (ui->color)
		return (int)(COLOR_PAIR(r + 1) | (r == ROLE_TITLE || r == ROLE_FOCUS ? A_BOLD : 0) |
		             (r == ROLE_INACTIVE ? A_UNDERLINE : 0));
	switch (r) {
	case ROLE_HEADER: case ROLE_SELECTED: case ROLE_STATUS: return (int)A_REVERSE;
	case ROLE_FOCUS: return (int)(A_REVERSE | A_BOLD);
	case ROLE_ERROR: case ROLE_TITLE: case ROLE_PROBLEM: return (int)A_BOLD;
	case ROLE_DIM: return (int)A_DIM;
	case ROLE_MATCH: case ROLE_INACTIVE: return (int)A_UNDERLINE;
	default: return (int)A_NORMAL;
	}
}

/* The cursor's line in the pane without the focus: underlined in the
 * line's own colour (the "inactive" pair instead when the config sets it). */
static int inactive_attr(struct ui *ui, enum color_role line)
{
	if (ui->color && ui->cfg.color_fg[ROLE_INACTIVE - 1] == -2)
		return role_attr(ui, line) | (int)A_UNDERLINE;
	return role_attr(ui, ROLE_INACTIVE);
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
		[ROLE_MATCH] = {COLOR_BLACK, COLOR_GREEN}, [ROLE_FOCUS] = {COLOR_BLACK, COLOR_CYAN},
		[ROLE_INACTIVE] = {-1, -1},
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

/* The mark of text cut short. */
static const char *ellipsis(void)
{
	return MB_CUR_MAX > 1 ? "\u2026" : "~";
}

/* Draw text (sanitised here) at (y, x) clipped to w columns, padding with
 * spaces; text cut short ends with an ellipsis when `mark`. */
static void draw_text_mark(int y, int x, int w, const char *s, bool pad, bool mark)
{
	if (w <= 0)
		return;
	char *safe = text_sanitize_line(s);
	const char *t = safe ? safe : "";
	int used = 0;
	size_t n = text_fit(t, w, &used);
	if (mark && t[n] && w > 1)
		n = text_fit(t, w - 1, &used);
	mvaddnstr(y, x, t, (int)n);
	if (mark && t[n] && w > 1) {
		addstr(ellipsis());
		used++;
	}
	if (pad)
		for (int i = used; i < w; i++)
			addch(' ');
	free(safe);
}

static void draw_text(int y, int x, int w, const char *s, bool pad)
{
	draw_text_mark(y, x, w, s, pad, false);
}

/* How a pane's title and cursor show which pane has the keys. */
enum pane_mark { MARK_NONE, MARK_FOCUSED, MARK_OTHER };

/* v in h rows from (y, x), w wide: its title line (unless an overlay on a
 * short screen), then its rows. */
static void draw_view(struct ui *ui, struct view *v, int y, int x, int h, int w, enum pane_mark mark)
{
	bool titled = mark != MARK_NONE || ui_has_header(ui);
	if (h < 1 + titled || w < 4)
		return;
	bool focused = mark != MARK_OTHER;
	if (titled) {
		/* the focused pane's title stands out, and says so in text
		 * (monochrome terminals, screen dumps) with a '>' */
		enum color_role trole = mark == MARK_FOCUSED ? ROLE_FOCUS : ROLE_TITLE;
		attron(role_attr(ui, trole));
		char title[512];
		snprintf(title, sizeof title, "%s%s%s%s%s",
		         mark == MARK_FOCUSED ? "> " : mark == MARK_OTHER ? "  " : "", v->title,
		         v->filter ? "  [filter: " : "", v->filter ? v->filter : "", v->filter ? "]" : "");
		draw_text_mark(y, x, w, title, true, true);
		attroff(role_attr(ui, trole));
		y++;
	}
	int body = h - titled;
	view_fit(v, (size_t)body);
	size_t n = view_count(v);
	char buf[2048];
	for (int i = 0; i < body; i++) {
		size_t vi = v->top + (size_t)i;
		move(y + i, x);
		if (vi >= n) {
			for (int k = 0; k < w; k++)
				addch(' ');
			continue;
		}
		enum color_role role;
		view_row_text(v, view_row(v, vi), buf, sizeof buf, &role);
		int attr = vi != v->cursor ? role_attr(ui, role)
		         : focused ? role_attr(ui, ROLE_SELECTED) : inactive_attr(ui, role);
		attron(attr);
		draw_text_mark(y + i, x, w, buf, true, true);
		attroff(attr);
	}
	if (!n) {
		const char *empty = v->loading ? "loading..." : v->error ? v->error
		                  : v->filter ? "(nothing matches the filter)" : "(empty)";
		attron(role_attr(ui, v->error ? ROLE_ERROR : ROLE_DIM));
		draw_text(y, x + 1, w - 1, empty, false);
		attroff(role_attr(ui, v->error ? ROLE_ERROR : ROLE_DIM));
	}
}

static void draw_help(struct ui *ui)
{
	int y0 = ui_has_header(ui), h = ui->rows - 1 - y0;
	struct lines l = {0};
	help_build(&l, &ui->km, ui->s->read_only, ui->modules, ui->nmodules, ui->cols);
	if (h < 1)
		h = 1;
	if (ui->help_top + (size_t)h > l.n)
		ui->help_top = l.n > (size_t)h ? l.n - (size_t)h : 0;
	for (int i = 0; i < h; i++) {
		size_t k = ui->help_top + (size_t)i;
		/* a help longer than the screen says so on its last row */
		bool more = i == h - 1 && k + 1 < l.n;
		draw_text(y0 + i, 0, ui->cols, more ? "  -- more below: j, PgDn, G --" : k < l.n ? l.v[k] : "",
		          true);
	}
	lines_free(&l);
}

/* ---- the header ---------------------------------------------------------------------- */

/* s shortened to at most `cols` columns (0: whole), its end replaced by
 * an ellipsis (appended to out). */
static void append_short(char *out, size_t len, const char *s, int cols)
{
	size_t used = strlen(out);
	if (cols <= 0 || text_width(s) <= cols) {
		snprintf(out + used, len - used, "%s", s);
		return;
	}
	size_t n = text_fit(s, cols - 1, NULL);
	snprintf(out + used, len - used, "%.*s%s", (int)n, s, ellipsis());
}

/* The same with the middle of s replaced, keeping a third of the room for
 * its start and the rest for its end: table names differ at both ends
 * ("prod-chainlit", "staging-chainlit"; "x-stache-namespaces"). */
static void append_middle(char *out, size_t len, const char *s, int cols)
{
	int w = text_width(s);
	if (cols <= 0 || w <= cols) {
		append_short(out, len, s, 0);
		return;
	}
	int head = (cols - 1) / 3, tail = cols - 1 - head, hw;
	size_t h = text_fit(s, head, &hw);
	/* the end: skip characters until what is left fits in `tail` */
	const char *e = s + h;
	while (*e && text_width(e) > tail)
		e += text_utf8_next(e, strlen(e), 0);
	size_t used = strlen(out);
	snprintf(out + used, len - used, "%.*s%s%s", (int)h, s, ellipsis(), e);
}

/* What the header holds, from the most to the least important: the mode,
 * the endpoint, the region, the profile, each module's tables
 * ("chainlit:TABLE", sanitised). */
struct header {
	const char *mode, *endpoint, *region, *profile;
	char *tables[16];
	size_t ntables;
};

/* One way to write it: which fields, how short. */
struct header_cut {
	bool scheme, name, region, profile;
	int tmax;          /* the tables' names at most this wide (0: whole) */
	size_t ntables;    /* the first ntables tables */
	int emax;          /* the endpoint at most this wide (0: whole) */
};

static void header_compose(const struct header *h, const struct header_cut *c, char *out, size_t len)
{
	snprintf(out, len, " %s%s", c->name ? "ddtree " : "", h->mode);
	const char *ep = h->endpoint;
	const char *sep = strstr(ep, "://");
	if (!c->scheme && sep)
		ep = sep + 3;
	size_t used = strlen(out);
	snprintf(out + used, len - used, "  ");
	append_short(out, len, ep, c->emax);
	used = strlen(out);
	if (c->region)
		snprintf(out + used, len - used, "  %s", h->region);
	used = strlen(out);
	if (c->profile)
		snprintf(out + used, len - used, "  profile %s", h->profile);
	for (size_t i = 0; i < c->ntables && i < h->ntables; i++) {
		const char *t = h->tables[i], *colon = strchr(t, ':');
		size_t lab = colon ? (size_t)(colon - t) + 1 : 0;
		used = strlen(out);
		snprintf(out + used, len - used, "  %.*s", (int)lab, t);
		append_middle(out, len, t + lab, c->tmax);
	}
}

static bool header_try(const struct header *h, const struct header_cut *c, int cols, char *out,
                       size_t len)
{
	header_compose(h, c, out, len);
	return text_width(out) <= cols;
}

/* The widest the tables' names may be for the first c->ntables to fit in
 * `room` columns with their labels, shared out evenly (a short name
 * leaves its part to the others); 0 when every name fits whole, -1 when
 * some name would be cut to less than 10 columns. */
static int tables_cap(const struct header *h, const struct header_cut *c, int room)
{
	int w[16], k = (int)c->ntables, total = 0;
	for (int i = 0; i < k; i++) {
		const char *t = h->tables[i], *colon = strchr(t, ':');
		const char *name = colon ? colon + 1 : t;
		room -= 2 + text_width(t) - text_width(name);   /* "  label:" */
		w[i] = text_width(name);
		total += w[i];
	}
	if (total <= room)
		return 0;
	/* water filling: the cap at which the names, each min(w, cap), fit */
	for (int cap = room; cap >= 10; cap--) {
		int sum = 0;
		for (int i = 0; i < k; i++)
			sum += w[i] < cap ? w[i] : cap;
		if (sum <= room)
			return cap;
	}
	return -1;
}

/* The header for a screen `cols` wide: whatever does not fit goes, the
 * least important first, rather than the end being cut: the endpoint's
 * scheme, the program's name, then the tables' names are shortened (an
 * ellipsis in the middle, no name under 10 columns) and the tables go
 * from the last, then the profile, the region, and the endpoint is cut;
 * the mode always stays. */
static void header_fit(const struct header *h, int cols, char *out, size_t len)
{
	struct header_cut c = {true, true, true, true, 0, h->ntables, 0};
	if (header_try(h, &c, cols, out, len))
		return;
	c.scheme = false;
	if (header_try(h, &c, cols, out, len))
		return;
	c.name = false;
	for (c.ntables = h->ntables; c.ntables > 0; c.ntables--) {
		size_t keep = c.ntables;
		c.ntables = 0;
		header_compose(h, &c, out, len);   /* what the tables leave */
		c.ntables = keep;
		int cap = tables_cap(h, &c, cols - text_width(out));
		if (cap < 0)
			continue;
		c.tmax = cap;
		if (header_try(h, &c, cols, out, len))
			return;
	}
	if (header_try(h, &c, cols, out, len))
		return;
	c.profile = false;
	if (header_try(h, &c, cols, out, len))
		return;
	c.region = false;
	header_compose(h, &c, out, len);
	int over = text_width(out) - cols;
	if (over <= 0)
		return;
	const char *ep = strstr(h->endpoint, "://") ? strstr(h->endpoint, "://") + 3 : h->endpoint;
	int ew = text_width(ep) - over;
	c.emax = ew > 1 ? ew : 1;
	header_compose(h, &c, out, len);
}

static void draw_header(struct ui *ui)
{
	const struct session *s = ui->s;
	struct header h = {.mode = s->read_only ? "[read-only]" : "[read-write]"};
	char *ep = text_sanitize_line(s->conf.endpoint_url ? s->conf.endpoint_url : "");
	char *region = text_sanitize_line(s->conf.region ? s->conf.region : "");
	char *profile = text_sanitize_line(s->conf.profile ? s->conf.profile : "default");
	h.endpoint = ep ? ep : "";
	h.region = region ? region : "";
	h.profile = profile ? profile : "";
	/* each module's tables: fields "  name:TABLE" (table names hold no
	 * spaces) */
	char mods[1024] = "";
	for (size_t i = 0; i < ui->nmodules; i++)
		if (ui->modules[i]->header) {
			size_t used = strlen(mods);
			ui->modules[i]->header(ui, mods + used, sizeof mods - used);
		}
	char *safe = text_sanitize_line(mods);
	for (char *save = NULL, *t = strtok_r(safe, " ", &save); t && h.ntables < 16;
	     t = strtok_r(NULL, " ", &save))
		h.tables[h.ntables++] = t;
	char head[2048];
	header_fit(&h, ui->cols, head, sizeof head);
	attron(role_attr(ui, ROLE_HEADER));
	draw_text(0, 0, ui->cols, head, true);
	attroff(role_attr(ui, ROLE_HEADER));
	free(safe);
	free(ep);
	free(region);
	free(profile);
}

/* ---- the screen ---------------------------------------------------------------------- */

/* The status line's text when nothing else is to say: the position, the
 * view's progress, then the hints that fit. */
static void status_idle(struct ui *ui, struct view *v, const struct ui_panes *p, char *st, size_t len)
{
	size_t n = view_count(v);
	snprintf(st, len, " %zu/%zu%s  %s", n ? v->cursor + 1 : 0, n, v->more_available ? "+" : "",
	         v->progress);
	bool one = ui->list && (!p->tree_w || !p->list_w);
	const char *hints[] = {
		"?:help", one ? (ui->focus ? "Tab:tree" : "Tab:list") : "Tab:pane",
		one ? "z:both" : "z:zoom", "/:filter", ":cmd", "R:reload", "q:quit",
	};
	size_t nh = sizeof hints / sizeof hints[0];
	if (ui->detail) {   /* an overlay: its own keys (a form takes '?' as text) */
		hints[0] = "Esc:back";
		nh = 1;
	}
	for (size_t i = 0; i < nh; i++) {
		size_t used = strlen(st);
		if (text_width(st) + 2 + (int)strlen(hints[i]) > ui->cols)
			break;
		snprintf(st + used, len - used, "  %s", hints[i]);
	}
}

/* A logged text in the status line: when it does not fit (or has more
 * lines), cut it with a hint that the message log has it all. */
static void fit_logged(const struct ui *ui, char *st, size_t len, int cols, bool more)
{
	char hint[128];
	char keys[64];
	keymap_keys_for(&ui->km, ACT_MESSAGES, keys, sizeof keys);
	keys[strcspn(keys, " ")] = '\0';   /* the first key bound, else the command */
	snprintf(hint, sizeof hint, "%s (%s%smessages)", ellipsis(), keys, *keys ? ": " : ":");
	char *safe = text_sanitize_line(st);
	if (!safe)
		return;
	int w = text_width(safe), hw = text_width(hint);
	if ((w > cols || more) && cols > hw + 10) {
		int used;
		size_t n = text_fit(safe, cols - hw, &used);
		if (!more || w > cols - hw)
			snprintf(st, len, "%.*s%s", (int)n, safe, hint);
		else
			snprintf(st, len, "%s%s", safe, hint);
	}
	free(safe);
}

void draw_screen(struct ui *ui)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	if (rows != ui->rows || cols != ui->cols)
		ui_resized(ui, rows, cols);   /* views lay out again before they are drawn */
	erase();
	int y0 = ui_has_header(ui);
	if (y0)
		draw_header(ui);

	int body_h = rows - 1 - y0;
	struct ui_panes p;
	ui_panes(ui, &p);
	if (ui->help) {
		draw_help(ui);
	} else if (ui->detail) {
		draw_view(ui, ui->detail, y0, 0, body_h, cols, MARK_NONE);
	} else {
		if (p.tree_w)
			draw_view(ui, ui->tree, y0, 0, body_h, p.tree_w,
			          ui->focus == 0 || !ui->list ? MARK_FOCUSED : MARK_OTHER);
		if (p.tree_w && p.list_w) {
			attron(role_attr(ui, ROLE_DIM));
			for (int y = y0; y < y0 + body_h; y++)
				mvaddstr(y, p.tree_w, MB_CUR_MAX > 1 ? "\u2502" : "|");
			attroff(role_attr(ui, ROLE_DIM));
		}
		if (p.list_w)
			draw_view(ui, ui->list, y0, p.list_x, body_h, p.list_w,
			          ui->focus == 1 ? MARK_FOCUSED : MARK_OTHER);
	}

	/* status line: prompt, message, load progress, errors, hints */
	char st[1024];
	enum color_role role = ROLE_STATUS;
	bool logged = false, cut = false;   /* a logged text; it has more lines */
	struct view *v = ui_focused_view(ui);
	const struct session *s = ui->s;
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
		msglog_add(&ui->log, MSGLOG_WARNING, warn);
	}
	if (ui->confirm_text) {
		snprintf(st, sizeof st, " %s (y/n)", ui->confirm_text);
		role = ROLE_ERROR;
	} else if (ui->prompt) {
		snprintf(st, sizeof st, "%c%s", ui->prompt, ui->prompt_edit.text);
	} else if (ui->warning) {
		snprintf(st, sizeof st, " %s", ui->warning);
		role = ROLE_ERROR;
		logged = true;
	} else if (ui->message) {
		snprintf(st, sizeof st, " %s", ui->message);
		if (ui->message_error)
			role = ROLE_ERROR;
		logged = true;
		cut = ui->message_more;
	} else if (ui->help) {
		snprintf(st, sizeof st, " help  j k PgDn PgUp g G: scroll  Esc q: close");
	} else if (v->load_all) {
		/* G: the tree's progress names the node whose children load */
		snprintf(st, sizeof st, " loading every page%s%s: %s %s  (Esc stops)",
		         v == ui->tree ? "" : " of ", v == ui->tree ? "" : v->title, v->progress, net);
	} else if (v->loading || (ui->list && ui->list->loading) || ui->tree->loading) {
		struct view *lv = v->loading ? v : ui->list && ui->list->loading ? ui->list : ui->tree;
		snprintf(st, sizeof st, " loading %s %s %s  (Esc %s)", lv == ui->tree ? "the tree" : lv->title,
		         lv->progress, net,
		         v->filter ? "clears the filter" : "cancels");
	} else if (v->error) {
		snprintf(st, sizeof st, " error: %s  (R retries)", v->error);
		role = ROLE_ERROR;
		logged = true;
	} else if (v == ui->tree && tree_node_problem(tree_selected(ui))) {
		/* the first problem known of the selected row or below it */
		size_t n = view_count(v);
		snprintf(st, sizeof st, " %zu/%zu  ! %s", n ? v->cursor + 1 : 0, n,
		         tree_node_problem(tree_selected(ui)));
		role = ROLE_PROBLEM;
	} else {
		status_idle(ui, v, &p, st, sizeof st);
	}
	if (logged)
		fit_logged(ui, st, sizeof st, cols, cut);
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
