/* tui/cmd.c: what subcommands share (tui/cmd.h): how they write JSON
 * lines, database text made safe, errors and progress on stderr.  Below
 * tui/cmd_*.c and the command line (tui/cli.c), which call it. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/cmd.h"
#include "tui/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void cli_print_json(json_t *o)
{
	char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (line) {
		puts(line);
		free(line);
	}
	json_decref(o);
}

int cli_fail(int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *raw = util_vfmt(fmt, ap);
	va_end(ap);
	char *m = text_sanitize_line(raw ? raw : "error");
	fprintf(stderr, "ddtree: %s\n", m ? m : "");
	free(m);
	free(raw);
	return rc;
}

void cli_put_text(const char *s)
{
	char *m = text_sanitize_line(s ? s : "");
	fputs(m ? m : "", stdout);
	free(m);
}

void cli_progress(struct cli_progress *p, long items)
{
	/* only on a terminal, and not over output that goes to the same one */
	if (!isatty(STDERR_FILENO) || (p->streaming && isatty(STDOUT_FILENO)))
		return;
	fprintf(stderr, "\rddtree: reading %s: %ld", p->what, items);
	fflush(stderr);
	p->shown = true;
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

int cli_ddb_error(const char *what, const struct ddb_error *e)
{
	char *msg = text_sanitize_line(e->message ? e->message : ddb_error_kind_text(e->kind));
	fprintf(stderr, "ddtree: %s: %s%s%s%s\n", what,
	        e->code ? e->code : "", e->code ? ": " : "", msg ? msg : "",
	        e->http_status >= 500 ? " (server error)" : "");
	free(msg);
	return EXIT_AWS;
}
