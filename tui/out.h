/* tui/out.h: how subcommands write (tui/cmd_*.c and the command line):
 * exit codes, JSON lines, safe text, errors and progress on stderr.
 * Calls nothing above it. */
#ifndef DDTREE_TUI_OUT_H
#define DDTREE_TUI_OUT_H

#include <stdbool.h>
#include <jansson.h>

#include "aws/ddb.h"

/* Exit codes, documented in the README and --help. */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEMS = 1,   /* problems found, or not found */
	EXIT_USAGE = 2,
	EXIT_AWS = 3,        /* AWS or network error */
	EXIT_CONFLICT = 4,   /* a conditional write lost to a concurrent change */
};

/* Print one JSON object as a line on stdout (steals o). */
void cli_print_json(json_t *o);
/* Report an AWS/network error on stderr; returns EXIT_AWS. */
int cli_ddb_error(const char *what, const struct ddb_error *e);
/* Report any other failure on stderr (text is sanitised); returns rc. */
int cli_fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "ddtree: reading documents: 4000" on stderr while a long read runs, when
 * stderr is a terminal; with `streaming` (rows printed as they come) only
 * when stdout is not that terminal.  cli_progress_end wipes the line. */
struct cli_progress {
	const char *what;
	bool streaming;
	bool shown;
};
void cli_progress(struct cli_progress *p, long items);
void cli_progress_end(struct cli_progress *p);
/* Print database text on stdout safely (control characters made visible). */
void cli_put_text(const char *s);

#endif
