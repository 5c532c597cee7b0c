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

/* ---- errors ------------------------------------------------------------------
 *
 * An error is said on stderr as text: "ddtree: " and the message, on one
 * line, sanitised (cli_error_lines: each of its lines so).  With --json (cli_errors_json)
 * it is ALSO one JSON line on stderr, after the text, for scripts:
 *   {"error": {"code": ..., "message": ..., "table": ..., "key": ...,
 *              "endpoint": ..., "http_status": ..., "request_id": ...,
 *              "exit": N}}
 * with the fields that are known.  The code of an AWS error is DynamoDB's
 * (ResourceNotFoundException, ...), else the kind of local failure
 * (NetworkError, Timeout, ...); ddtree's own errors have the codes below,
 * each with its exit status (the table README's "Exit status" follows). */
#define CLI_ERRORS(X) \
	X(CLI_E_NOT_FOUND, "NotFound",       EXIT_PROBLEMS) /* what was asked for is not there */ \
	X(CLI_E_NO_TABLE,  "NoTable",        EXIT_PROBLEMS) /* no table with the layout */ \
	X(CLI_E_STUB_STEP, "StubStep",       EXIT_PROBLEMS) /* feedback on a stub step: refused */ \
	X(CLI_E_USAGE,     "Usage",          EXIT_USAGE) \
	X(CLI_E_CONFIG,    "Config",         EXIT_USAGE)    /* the AWS configuration */ \
	X(CLI_E_READ_ONLY, "ReadOnly",       EXIT_USAGE) \
	X(CLI_E_AMBIGUOUS, "AmbiguousTable", EXIT_USAGE)    /* several tables with the layout */ \
	X(CLI_E_AWS,       "AWSError",       EXIT_AWS) \
	X(CLI_E_CONFLICT,  "Conflict",       EXIT_CONFLICT)

enum cli_error {
#define CLI_X_ENUM(id, code, rc) id,
	CLI_ERRORS(CLI_X_ENUM)
#undef CLI_X_ENUM
};

/* What an error is about, when known (NULL fields: not known). */
struct cli_where {
	const char *table;
	const json_t *key;   /* the item's key, DynamoDB JSON ({"PK": {"S": ...}, ...}) */
};

/* --json: errors are also JSON (set once, by the command line). */
void cli_errors_json(bool json);
/* Report an error of ddtree's own; returns its exit status.  `where` may be
 * NULL. */
int cli_error(enum cli_error e, const struct cli_where *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for ddtree's own text of several lines (the AWS configuration's
 * errors): each line printed on its own, sanitised. */
int cli_error_lines(enum cli_error e, const char *text);
/* Report a failed request of `what` ("listing threads"): the error as
 * ddb_error_describe puts it, at the session's endpoint.  A table that does
 * not exist (ResourceNotFoundException) is named with the tables that do,
 * from one ListTables: `where->table` when given, else the first table of
 * the session's that is not there.  Returns EXIT_AWS (EXIT_USAGE for
 * DDB_ERR_USAGE). */
int cli_ddb_error_at(struct session *s, const char *what, const struct ddb_error *e,
                     const struct cli_where *where);
/* The same at the command's session (cli_errors_session), with no table or
 * key known. */
int cli_ddb_error(const char *what, const struct ddb_error *e);
/* An error with only its exit status known (EXIT_OK: a warning, text only):
 * its code is the first of CLI_ERRORS with that status. */
int cli_fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The command's session, for cli_ddb_error and the errors' endpoint (set by
 * the command line once the session is open; NULL before it is closed). */
void cli_errors_session(struct session *s);
/* A warning on stderr, text only ("ddtree: " and the text on one line,
 * sanitised). */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
