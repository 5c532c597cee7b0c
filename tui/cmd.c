/* tui/cmd.c: what subcommands share (tui/cmd.h): how they write JSON
 * lines, database text made safe, errors and progress on stderr.  Below
 * tui/cmd_*.c and the command line (tui/cli.c), which call it. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/cmd.h"
#include "tui/text.h"
#include "tui/out.h"
#include "model/jsontext.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void cli_print_json(json_t *o)
{
	char *line = jsontext_dumps(o, JT_COMPACT | JT_ENSURE_ASCII);
	if (line) {
		out_line(line);
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
	out_eprintf("ddtree: %s\n", m ? m : "");
	free(m);
	free(raw);
	return rc;
}

void cli_put_text(const char *s)
{
	char *m = text_sanitize_line(s ? s : "");
	out_puts(m);
	free(m);
}

void cli_progress(struct cli_progress *p, long items)
{
	/* only on a terminal, and not over output that goes to the same one */
	if (!isatty(STDERR_FILENO) || (p->streaming && isatty(STDOUT_FILENO)))
		return;
	out_progress("ddtree: reading %s: %ld", p->what, items);
	p->shown = true;
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->shown)
		out_progress_clear();
	p->shown = false;
}

int cli_ddb_error(const char *what, const struct ddb_error *e)
{
	/* each part on one line: a newline from the server cannot start a line
	 * that looks like ddtree's own */
	char *w = text_sanitize_line(what);
	char *code = e->code ? text_sanitize_line(e->code) : NULL;
	char *msg = text_sanitize_line(e->message ? e->message : ddb_error_kind_text(e->kind));
	out_eprintf("ddtree: %s: %s%s%s%s\n", w ? w : "", code ? code : "", code ? ": " : "",
	            msg ? msg : "", e->http_status >= 500 ? " (server error)" : "");
	free(w);
	free(code);
	free(msg);
	return EXIT_AWS;
}
