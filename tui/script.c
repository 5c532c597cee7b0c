/* tui/script.c: the scripted mode (DDTREE_SCRIPT, for tests, as tig
 * does): keys and ':' lines from a file, each after the loads are in.  It
 * feeds the driver through the hooks it is given. */
#include "ddconfig.h"

#include "tui/script.h"
#include "tui/draw.h"
#include "tui/out.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static void pump_network(struct ui *ui, const struct script_driver *d, int timeout_ms)
{
	struct pollfd fd = {.fd = ddb_client_fd(ui->s->ddb), .events = POLLIN};
	if (poll(&fd, 1, timeout_ms) > 0)
		ddb_client_dispatch(ui->s->ddb);
	d->tick(ui);
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
		out_eprintf("ddtree: DDTREE_SCRIPT_WAIT=%s is not a number of seconds "
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
static void script_wait(struct ui *ui, const struct script_driver *d, double limit, int lineno)
{
	if (limit <= 0 || !ui_loading(ui))
		return;
	double end = mono_seconds() + limit;
	for (;;) {
		double left = end - mono_seconds();
		if (left <= 0) {
			out_eprintf("ddtree: DDTREE_SCRIPT line %d: gave up waiting for loads after "
			            "%g s (DDTREE_SCRIPT_WAIT); going on while they run\n", lineno, limit);
			return;
		}
		pump_network(ui, d, left < 0.1 ? (int)(left * 1000) + 1 : 100);
		draw_screen(ui);
		if (!ui_loading(ui))
			return;
	}
}

void script_run(struct ui *ui, FILE *f, const struct script_driver *d)
{
	char line[4096];
	double limit = script_wait_limit();
	int lineno = 0;
	/* the -c commands first, once the start-up loads are in */
	script_wait(ui, d, limit, 0);
	d->start_commands(ui);
	while (!ui->quit && fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		script_wait(ui, d, limit, lineno);
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
				if (sscanf(cmd + 7, "%dx%d", &c, &r) == 2 && c > 10 && r > 4) {
					resizeterm(r, c);
					ui_resized(ui, r, c);   /* as on KEY_RESIZE */
				}
			} else {
				d->command(ui, cmd);
			}
		} else {
			int keys[512];
			int n = script_keys(line, keys, 512);
			for (int i = 0; i < n && !ui->quit; i++) {
				d->key(ui, keys[i]);
				draw_screen(ui);
				script_wait(ui, d, limit, lineno);
			}
		}
		draw_screen(ui);
	}
}
