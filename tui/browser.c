/* tui/browser.c: the browser's driver: the event loop (keyboard and
 * network together, never blocking), keys and actions, the ':' and '/'
 * prompts, the -c commands, the frame's own commands. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/browser.h"
#include "tui/draw.h"
#include "tui/msgview.h"
#include "tui/cli.h"
#include "tui/script.h"
#include "tui/tree.h"
#include "tui/out.h"
#include "model/jsontext.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

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

static void messages_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	(void)arg;
	ui->help = false;
	ui_set_overlay(ui, msgview_log(ui));
}

static const struct module_command frame_commands[] = {
	{"messages", "", "every message, warning and error of the session in full, newest last (`M`)", false,
	 messages_command},
	{"help", "", "this help", false, help_command},
	{"quit", "", "quit", false, quit_command},
	{"q", "", NULL, false, quit_command},
	{"save-display", "FILE", NULL, false, save_display_command},
	{NULL, NULL, NULL, false, NULL},
};

const struct module browser_module = {.name = "ddtree", .commands = frame_commands};

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

/* A key in the ':' or '/' prompt; false when the prompt has no use for it
 * (text fields never trigger bindings). */
static bool prompt_key(struct ui *ui, int ch)
{
	struct lineedit *e = &ui->prompt_edit;
	if (ch == 27) {   /* Esc: abandon */
		if (ui->prompt == '/')
			view_set_filter(ui_focused_view(ui), NULL);
		ui->prompt = 0;
		return true;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		int p = ui->prompt;
		ui->prompt = 0;
		if (p == ':')
			run_command(ui, e->text);
		return true;
	}
	enum lineedit_result r = lineedit_key(e, ch);
	if (r == LINEEDIT_NONE)
		return false;
	/* the filter follows the text (a Backspace on an empty one clears it) */
	if (ui->prompt == '/' &&
	    (r == LINEEDIT_CHANGED || ch == KEY_BACKSPACE || ch == 127 || ch == 8))
		view_set_filter(ui_focused_view(ui), e->text);
	return true;
}

static void handle_action(struct ui *ui, enum action a)
{
	struct view *v = ui_focused_view(ui);
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
	int page = ui_view_rows(ui, v == ui->detail) > 1 ? ui_view_rows(ui, v == ui->detail) - 1 : 1;
	switch (a) {
	case ACT_DOWN: view_move_cursor(v, 1); break;
	case ACT_UP: view_move_cursor(v, -1); break;
	case ACT_PAGE_DOWN: view_move_cursor(v, page); break;
	case ACT_PAGE_UP: view_move_cursor(v, -page); break;
	case ACT_FIRST: view_move_cursor(v, -(long)view_count(v)); break;
	case ACT_LAST:
		view_move_cursor(v, (long)view_count(v));
		if (v->more_available && v->ops->more) {
			v->load_all = true;   /* tick fetches page after page; Esc stops */
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
	case ACT_ZOOM:
		ui->zoom = !ui->zoom;
		break;
	case ACT_ESCAPE:
		/* the filter first: "/x<Enter><Enter><Esc>" can be typed while
		 * a load runs; the next Esc cancels it */
		if (v->filter) {
			view_set_filter(v, NULL);
			break;
		}
		if (v->load_all && !v->ops->cancel) {
			/* G in the tree: stop paging; the page in flight comes in */
			v->load_all = false;
			ui_message(ui, false, "stopped loading every page");
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
		lineedit_set(&ui->prompt_edit, NULL);
		break;
	case ACT_COMMAND:
		ui->prompt = ':';
		lineedit_set(&ui->prompt_edit, NULL);
		break;
	case ACT_NEXT_MATCH: view_find_match(v, 1); break;
	case ACT_PREV_MATCH: view_find_match(v, -1); break;
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
				ui->detail->ops->action(ui->detail, ACT_RAW);
			} else {
				char *s = jsontext_dumps(v->ops->item(v, sel), JT_COMPACT | JT_SORT_KEYS);
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
	case ACT_CHECK: {
		char line[] = "check";   /* a module's command, through the table */
		run_command(ui, line);
		break;
	}
	case ACT_MESSAGES:
		ui_set_overlay(ui, msgview_log(ui));
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
		view_move_cursor(ui_focused_view(ui), -3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		view_move_cursor(ui_focused_view(ui), 3);
		return;
	}
#endif
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)) || ui->detail ||
	    ui->help)
		return;
	struct ui_panes p;
	ui_panes(ui, &p);
	if (p.tree_w && p.list_w)
		ui->focus = ev.x > p.tree_w ? 1 : 0;   /* else the one shown has it */
	struct view *v = ui_focused_view(ui);
	int first = ui_has_header(ui) + 1;   /* the screen row of the pane's first line */
	if (ev.y >= first) {
		size_t target = v->top + (size_t)(ev.y - first);
		if (target < view_count(v)) {
			view_move_cursor(v, (long)target - (long)v->cursor);
			if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
				handle_action(ui, ACT_ENTER);
		}
	}
}

static void handle_key(struct ui *ui, int ch);

/* An Alt key nothing has a use for is what the terminal sent: Esc, then
 * the key. */
static void esc_then(struct ui *ui, int ch)
{
	handle_key(ui, 27);
	handle_key(ui, ch);
}

static void handle_key(struct ui *ui, int ch)
{
	if (ch == KEY_RESIZE) {
		int rows, cols;
		getmaxyx(stdscr, rows, cols);
		ui_resized(ui, rows, cols);   /* overlays and forms lay out again at once */
		return;
	}
	if (ch == KEY_MOUSE) {
		handle_mouse(ui);
		return;
	}
	int alt = key_alt_base(ch);   /* x for Alt-x */
	if (ui->confirm_text && alt >= 0) {
		esc_then(ui, alt);
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
		if (!prompt_key(ui, ch) && alt >= 0)
			esc_then(ui, alt);
		return;
	}
	struct view *fv = ui_focused_view(ui);
	if (!ui->help && fv->ops->key && fv->ops->key(fv, ch))
		return;   /* text fields see keys before any binding */
	if (alt >= 0 && keymap_lookup(&ui->km, ch) == ACT_NONE) {
		esc_then(ui, alt);
		return;
	}
	if (ui->warning) {            /* seen: the message under it shows next */
		free(ui->warning);
		ui->warning = NULL;
	} else if (ui->message) {
		free(ui->message);
		ui->message = NULL;
	}
	enum action a = keymap_lookup(&ui->km, ch);
	if (a != ACT_NONE)
		handle_action(ui, a);
}

/* After network callbacks: go on with a "load every page" (G). */
static void run_start_commands(struct ui *ui);

static void tick(struct ui *ui)
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
	for (size_t i = 0; i < 2; i++) {
		/* read each pane when its turn comes: the tree's paging can
		 * replace the list pane's view (and free the one it had) */
		struct view *v = i == 0 ? ui->tree : ui->list;
		if (!v)
			continue;
		if (!v->load_all) {
			/* fetch ahead: keep at least a screen (and a half) of rows */
			size_t want = (size_t)(ui->rows > 4 ? ui->rows : 24) * 3 / 2;
			if (v->more_available && !v->loading && !v->error && v->ops->more &&
			    view_count(v) < v->cursor + want)
				v->ops->more(v);
			continue;
		}
		if (v == ui->tree) {
			/* G in the tree pages one node's children: its more op puts
			 * the cursor on their last and ends the paging itself */
			v->ops->more(v);
			continue;
		}
		v->cursor = view_count(v) ? view_count(v) - 1 : 0;
		if (!v->more_available || v->error) {
			v->load_all = false;
			continue;
		}
		if (!v->loading && v->ops->more)
			v->ops->more(v);
	}
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
		char *copy = util_xstrdup(c);
		ui->start_cmds++;
		ui->n_start_cmds--;
		run_command(ui, copy);
		free(copy);
	}
}

/* SIGTERM / SIGHUP end the program through the normal path, so the
 * terminal is always restored. */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void load_config(struct ui *ui)
{
	char *errors = NULL;
	uiconf_load(&ui->km, &ui->cfg, &errors);
	if (errors && *errors) {
		/* one status line: "PATH: line 3: ...; line 7: ...", not "^J" */
		size_t n = strlen(errors);
		while (n && errors[n - 1] == '\n')
			errors[--n] = '\0';
		char *joined = util_xstrdup("");
		for (char *p = errors, *nl; p; p = nl) {
			nl = strchr(p, '\n');
			if (nl)
				*nl++ = '\0';
			char *more = util_xasprintf("%s%s%s", joined, *joined ? "; " : "", p);
			free(joined);
			joined = more;
		}
		ui_message(ui, true, "%s", joined);
		free(joined);
	}
	free(errors);
}

int browser_run(struct session *s, const struct module *const *modules, size_t nmodules,
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
			out_eprintf("ddtree: cannot read DDTREE_SCRIPT %s\n", script);
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
			out_eprintf("ddtree: cannot set up the terminal for the script\n");
			fclose(sf);
			if (devnull)
				fclose(devnull);
			return EXIT_USAGE;
		}
	} else if (!initscr()) {
		out_eprintf("ddtree: cannot initialise the terminal\n");
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
	draw_init_colors(ui);
	getmaxyx(stdscr, ui->rows, ui->cols);

	/* the modules, then the frame's own commands */
	const struct module **mods = util_xcalloc(nmodules + 1, sizeof *mods);
	void **mstate = util_xcalloc(nmodules + 1, sizeof *mstate);
	if (nmodules)
		memcpy(mods, modules, nmodules * sizeof *mods);
	mods[nmodules] = &browser_module;
	ui->modules = mods;
	ui->nmodules = nmodules + 1;
	ui->mstate = mstate;
	lineedit_init(&ui->prompt_edit, false, 511);

	ui_init_modules(ui);
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
		static const struct script_driver driver = {
			.key = handle_key, .command = run_command, .tick = tick,
			.start_commands = run_start_commands,
		};
		script_run(ui, sf, &driver);
		fclose(sf);
	} else {
		run_start_commands(ui);   /* those that can run before any answer */
		while (!ui->quit && !got_signal) {
			draw_screen(ui);
			struct pollfd fds[2] = {
				{.fd = STDIN_FILENO, .events = POLLIN},
				{.fd = ddb_client_fd(s->ddb), .events = POLLIN},
			};
			int r = poll(fds, 2, ui_loading(ui) ? 200 : 2000);
			if (r < 0 && errno != EINTR)
				break;
			if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
				break;   /* the terminal went away */
			if (fds[1].revents & POLLIN)
				ddb_client_dispatch(s->ddb);
			tick(ui);
			int ch;
			while ((ch = getch()) != ERR) {
				if (ch == 3) {   /* Ctrl-C */
					ui->quit = true;
					break;
				}
				if (ch == 27) {
					/* Alt-x: the terminal sends Esc and x at once */
					int next = getch();
					int alt = next != ERR ? key_combine_esc(next) : -1;
					if (alt >= 0)
						ch = alt;
					else if (next != ERR)
						ungetch(next);
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
	ui_destroy_modules(ui);
	free(mods);
	free(mstate);
	lineedit_free(&ui->prompt_edit);
	free(ui->message);
	free(ui->warning);
	free(ui->confirm_text);
	msglog_free(&ui->log);
	return EXIT_OK;
}
