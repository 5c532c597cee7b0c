/* tui/cmd.h: what subcommands share: the parsed command line and output
 * helpers.  Each group of subcommands lives in its own tui/cmd_*.c. */
#ifndef DDTREE_TUI_CMD_H
#define DDTREE_TUI_CMD_H

#include <stdbool.h>
#include <jansson.h>

#include "model/session.h"
#include "tui/cli.h"

struct cli {
	struct session_opts so;
	bool json;           /* --json: one JSON object per line on stdout */
	bool reset;          /* demo --reset */
	const char *prefix;  /* demo --prefix */
	const char *value;   /* feedback set --value up|down */
	const char *comment; /* feedback set --comment TEXT (NULL: none given) */
	int segments;        /* export --segments N (0: from the table's size) */
	bool index_only;     /* threads --index-only: no BatchGetItem */
	struct cli_search {  /* search (tui/cmd_search.c) */
		const char *user;        /* --user USER */
		bool steps;              /* --steps */
		bool documents;          /* --documents */
		const char *namespace_;  /* --namespace NS */
		bool ignore_case;        /* --ignore-case */
		const char *type;        /* --type T */
		bool with_feedback;      /* --with-feedback */
		bool any;                /* one of them was given */
	} search;
	char **commands;     /* browser: -c/--command, in order */
	size_t ncommands;
	int argc;            /* positional words: argv[0] is the command */
	char **argv;
};

typedef int (*cmd_fn)(struct cli *cl, struct session *s);

/* Any table (tui/cmd_generic.c) */
int cmd_item(struct cli *cl, struct session *s);
int cmd_export(struct cli *cl, struct session *s);
int cmd_check(struct cli *cl, struct session *s);
/* Stache (tui/cmd_stache.c) */
int cmd_namespaces(struct cli *cl, struct session *s);
int cmd_documents(struct cli *cl, struct session *s);
/* Chainlit (tui/cmd_chainlit.c) */
int cmd_users(struct cli *cl, struct session *s);
int cmd_threads(struct cli *cl, struct session *s);
int cmd_thread(struct cli *cl, struct session *s);
int cmd_feedback(struct cli *cl, struct session *s);
/* Search (tui/cmd_search.c) */
int cmd_search(struct cli *cl, struct session *s);

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
