/* tui/browser.c: the ncurses browser.  Today: the table list of an endpoint;
 * the event loop waits on the keyboard and the network at once, so loading
 * never freezes the screen. */
#include "ddconfig.h"

#include "tui/browser.h"
#include "tui/cli.h"
#include "tui/text.h"
#include "model/tables.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct browser {
	struct session *s;
	struct table_list tables;
	bool loading;
	char *error;              /* last error, sanitized */
	int cursor, top;
	bool quit;
	bool color;
};

enum { PAIR_HEADER = 1, PAIR_SELECTED, PAIR_STATUS, PAIR_ERROR };

/* Draw text clipped to `cols` columns at the cursor position. */
static void put_clipped(const char *s, int cols)
{
	char *safe = text_sanitize_line(s);
	if (!safe)
		return;
	int used;
	size_t n = text_fit(safe, cols, &used);
	addnstr(safe, (int)n);
	free(safe);
}

static void draw(struct browser *b)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	erase();

	/* header: endpoint, region, profile, tables, mode */
	attron(b->color ? COLOR_PAIR(PAIR_HEADER) : A_REVERSE);
	mvhline(0, 0, ' ', cols);
	char *desc = session_describe(b->s);
	char head[512];
	snprintf(head, sizeof head, " ddtree  %s  %s", desc ? desc : "",
	         b->s->read_only ? "[read-only]" : "[read-write]");
	free(desc);
	move(0, 0);
	put_clipped(head, cols);
	attroff(b->color ? COLOR_PAIR(PAIR_HEADER) : A_REVERSE);

	int list_rows = rows - 3;
	if (list_rows < 1)
		list_rows = 1;
	int w = 5;   /* the name column fits the longest name, up to 60 columns */
	for (size_t i = 0; i < b->tables.n; i++)
		if ((int)strlen(b->tables.v[i].name) > w)
			w = (int)strlen(b->tables.v[i].name);
	if (w > 60)
		w = 60;
	mvprintw(1, 0, "%-*s %-18s %10s  %s", w, "TABLE", "LAYOUT", "ITEMS", "KEYS");
	if (b->cursor >= (int)b->tables.n)
		b->cursor = b->tables.n ? (int)b->tables.n - 1 : 0;
	if (b->cursor < b->top)
		b->top = b->cursor;
	if (b->cursor >= b->top + list_rows)
		b->top = b->cursor - list_rows + 1;
	for (int i = 0; i < list_rows && b->top + i < (int)b->tables.n; i++) {
		struct table_info *t = &b->tables.v[b->top + i];
		char items[24] = "?";
		if (t->item_count >= 0)
			snprintf(items, sizeof items, "%lld", t->item_count);
		char line[1024];
		snprintf(line, sizeof line, "%-*.*s %-18s %10s  %s", w, w, t->name,
		         table_layout_name(t->layout), items,
		         t->error ? t->error : t->key_schema ? t->key_schema : "");
		bool sel = b->top + i == b->cursor;
		if (sel)
			attron(b->color ? COLOR_PAIR(PAIR_SELECTED) : A_REVERSE);
		move(2 + i, 0);
		if (sel)
			hline(' ', cols);
		put_clipped(line, cols);
		if (sel)
			attroff(b->color ? COLOR_PAIR(PAIR_SELECTED) : A_REVERSE);
	}
	if (!b->loading && !b->tables.n && !b->error)
		mvaddstr(2, 0, "No tables at this endpoint.");

	/* status line */
	char st[512], net[160];
	ddb_client_status(b->s->ddb, net, sizeof net);
	if (b->error)
		snprintf(st, sizeof st, " error: %s  (R retries)", b->error);
	else if (b->loading)
		snprintf(st, sizeof st, " loading tables... %s", net);
	else
		snprintf(st, sizeof st, " %zu tables   j/k move  R reload  q quit", b->tables.n);
	int attr = b->error ? (b->color ? COLOR_PAIR(PAIR_ERROR) : A_BOLD)
	                    : (b->color ? COLOR_PAIR(PAIR_STATUS) : A_REVERSE);
	attron(attr);
	mvhline(rows - 1, 0, ' ', cols);
	move(rows - 1, 0);
	put_clipped(st, cols);
	attroff(attr);
	refresh();
}

static void tables_loaded(struct table_list *tl, const struct ddb_error *err, void *ud)
{
	struct browser *b = ud;
	b->loading = false;
	free(b->error);
	b->error = NULL;
	if (err) {
		char msg[1024];
		snprintf(msg, sizeof msg, "%s%s%s", err->code ? err->code : "",
		         err->code ? ": " : "",
		         err->message ? err->message : ddb_error_kind_text(err->kind));
		b->error = text_sanitize_line(msg);
		return;
	}
	table_list_free(&b->tables);
	b->tables = *tl;
	tl->v = NULL;
	tl->n = 0;
}

static void reload(struct browser *b)
{
	if (b->loading)
		return;
	b->loading = true;
	tables_load(b->s, tables_loaded, b);
}

static void handle_key(struct browser *b, int ch)
{
	switch (ch) {
	case 'q':
		b->quit = true;
		break;
	case 'j':
	case KEY_DOWN:
		if (b->cursor + 1 < (int)b->tables.n)
			b->cursor++;
		break;
	case 'k':
	case KEY_UP:
		if (b->cursor > 0)
			b->cursor--;
		break;
	case 'g':
	case KEY_HOME:
		b->cursor = 0;
		break;
	case 'G':
	case KEY_END:
		b->cursor = b->tables.n ? (int)b->tables.n - 1 : 0;
		break;
	case 'R':
		reload(b);
		break;
	default:
		break;
	}
}

int browser_run(struct session *s)
{
	struct browser b = {.s = s};

	if (!initscr()) {
		fprintf(stderr, "ddtree: cannot initialise the terminal\n");
		return EXIT_USAGE;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (has_colors() && !getenv("NO_COLOR")) {
		start_color();
		use_default_colors();
		init_pair(PAIR_HEADER, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_YELLOW);
		init_pair(PAIR_STATUS, COLOR_BLACK, COLOR_WHITE);
		init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
		b.color = true;
	}

	reload(&b);
	while (!b.quit) {
		draw(&b);
		struct pollfd fds[2] = {
			{.fd = STDIN_FILENO, .events = POLLIN},
			{.fd = ddb_client_fd(s->ddb), .events = POLLIN},
		};
		/* wake at least every 250 ms while loading to refresh the status */
		int r = poll(fds, 2, b.loading ? 250 : -1);
		if (r < 0 && errno != EINTR)
			break;
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;   /* the terminal went away */
		if (fds[1].revents & POLLIN)
			ddb_client_dispatch(s->ddb);
		int ch;
		while ((ch = getch()) != ERR)
			handle_key(&b, ch);
	}
	endwin();
	/* finish what is in flight so callbacks never see a dead browser */
	ddb_client_drain(s->ddb);
	table_list_free(&b.tables);
	free(b.error);
	return EXIT_OK;
}
