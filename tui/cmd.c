/* tui/cmd.c: what subcommands share (tui/cmd.h): how they write JSON
 * lines, database text made safe, errors and progress on stderr.  Below
 * tui/cmd_*.c and the command line (tui/cli.c), which call it. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/cmd.h"
#include "tui/text.h"
#include "tui/out.h"
#include "model/jsontext.h"
#include "model/pager.h"
#include "model/tables.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* ---- errors ------------------------------------------------------------------ */

static bool errors_json;
static struct session *errors_session;   /* the command's, for cli_ddb_error */

static const struct {
	const char *code;
	int rc;
} cli_errors[] = {
#define CLI_X_ROW(id, code, rc) {code, rc},
	CLI_ERRORS(CLI_X_ROW)
#undef CLI_X_ROW
};

/* The code of a local failure in the JSON error (DDB_ERROR_KINDS order). */
static const char *const kind_codes[] = {
	"OK", NULL /* the service's own code */, "NetworkError", "Timeout", "ChecksumMismatch",
	"MalformedResponse", "NoCredentials", "Cancelled", "InvalidRequest",
};
_Static_assert(sizeof kind_codes / sizeof kind_codes[0] == DDB_ERR_USAGE + 1,
               "one code per DDB_ERROR_KINDS row");

void cli_errors_json(bool json)
{
	errors_json = json;
}

void cli_errors_session(struct session *s)
{
	errors_session = s;
}

/* "ddtree: " and the text, sanitised, on one line (a newline in it shows as
 * "^J": text from a server or a database cannot start a line that looks
 * like ddtree's own), or with `lines` each of its lines so (for ddtree's
 * own text of several lines: the AWS configuration's errors). */
static void say_lines(const char *text, bool lines)
{
	const char *p = text && *text ? text : "error";
	if (!lines) {
		char *m = text_sanitize_line(p);
		out_eprintf("ddtree: %s\n", m ? m : "");
		free(m);
		return;
	}
	for (;;) {
		size_t n = strcspn(p, "\n");
		char *line = util_xasprintf("%.*s", (int)n, p);
		char *m = text_sanitize_line(line);
		out_eprintf("ddtree: %s\n", m ? m : "");
		free(m);
		free(line);
		if (!p[n] || !p[n + 1])
			break;
		p += n + 1;
	}
}

/* The JSON error line on stderr, with --json. */
static void say_json(const char *code, const char *message, const struct cli_where *where,
                     const struct session *s, const struct ddb_error *e, int rc)
{
	if (!errors_json)
		return;
	json_t *o = json_pack("{s:s,s:s}", "code", code ? code : "Error", "message",
	                      message ? message : "");
	if (where && where->table)
		json_object_set_new(o, "table", json_string(where->table));
	if (where && where->key)
		json_object_set_new(o, "key", json_deep_copy(where->key));
	if (s && s->conf.endpoint_url)
		json_object_set_new(o, "endpoint", json_string(s->conf.endpoint_url));
	if (e && e->http_status)
		json_object_set_new(o, "http_status", json_integer(e->http_status));
	if (e && e->request_id)
		json_object_set_new(o, "request_id", json_string(e->request_id));
	json_object_set_new(o, "exit", json_integer(rc));
	json_t *doc = json_pack("{s:o}", "error", o);
	char *line = jsontext_dumps(doc, JT_COMPACT | JT_ENSURE_ASCII);
	json_decref(doc);
	if (line)
		out_eprintf("%s\n", line);
	free(line);
}

int cli_error(enum cli_error e, const struct cli_where *where, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = util_xvasprintf(fmt, ap);
	va_end(ap);
	int rc = cli_errors[e].rc;
	say_lines(text, false);
	say_json(cli_errors[e].code, text, where, errors_session, NULL, rc);
	free(text);
	return rc;
}

int cli_fail(int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = util_xvasprintf(fmt, ap);
	va_end(ap);
	say_lines(text, false);
	if (rc != EXIT_OK) {   /* the first code of the table with that status */
		size_t i = 0;
		while (i + 1 < sizeof cli_errors / sizeof cli_errors[0] && cli_errors[i].rc != rc)
			i++;
		say_json(cli_errors[i].rc == rc ? cli_errors[i].code : "Error", text, NULL,
		         errors_session, NULL, rc);
	}
	free(text);
	return rc;
}

int cli_error_lines(enum cli_error e, const char *text)
{
	int rc = cli_errors[e].rc;
	say_lines(text, true);
	say_json(cli_errors[e].code, text, NULL, NULL, NULL, rc);
	return rc;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = util_xvasprintf(fmt, ap);
	va_end(ap);
	say_lines(text, false);
	free(text);
}

/* After a ResourceNotFoundException: which of the tables in question is
 * missing, said with the tables that are there (NULL: none is missing,
 * as when an index is, or ListTables failed too).  *table is the missing
 * one. */
static char *missing_table(struct session *s, const struct cli_where *where, const char **table)
{
	const char *cand[3];
	size_t n = 0;
	if (where && where->table) {
		cand[n++] = where->table;
	} else {
		const char *mine[] = {s->namespace_table, s->documents_table, s->chainlit_table};
		for (size_t i = 0; i < 3; i++)
			if (mine[i])
				cand[n++] = mine[i];
	}
	if (!n)
		return NULL;
	json_t *names = NULL;
	struct ddb_error le;
	if (tables_names_sync(s, &names, &le) != 0) {
		ddb_error_clear(&le);
		return NULL;   /* the error as it came, then */
	}
	char *text = NULL;
	for (size_t i = 0; i < n && !text; i++)
		if (!tables_names_have(names, cand[i])) {
			*table = cand[i];
			text = tables_missing_text(s, cand[i], names);
		}
	json_decref(names);
	return text;
}

int cli_ddb_error_at(struct session *s, const char *what, const struct ddb_error *e,
                     const struct cli_where *where)
{
	int rc = e->kind == DDB_ERR_USAGE ? EXIT_USAGE : EXIT_AWS;
	const char *code = e->kind == DDB_ERR_SERVICE && e->code ? e->code
	                 : (size_t)e->kind < sizeof kind_codes / sizeof kind_codes[0] &&
	                           kind_codes[e->kind] ? kind_codes[e->kind] : "AWSError";
	const char *table = NULL;
	char *text = NULL;
	if (s && e->kind == DDB_ERR_SERVICE && e->code &&
	    !strcmp(e->code, "ResourceNotFoundException"))
		text = missing_table(s, where, &table);
	/* ddtree's own text of several lines (a credentials error showing the
	 * profile to add) keeps them, each printed on its own */
	if (!text)
		text = ddb_error_describe(e, s ? &s->conf : NULL,
		                          e->kind == DDB_ERR_CREDENTIALS ? DDB_DESCRIBE_LINES : 0);
	char *full = what && *what ? util_xasprintf("%s: %s", what, text) : util_xstrdup(text);
	say_lines(full, e->kind == DDB_ERR_CREDENTIALS);
	struct cli_where w = {.table = table ? table : where ? where->table : NULL,
	                      .key = where ? where->key : NULL};
	say_json(code, full, &w, s, e, rc);
	free(full);
	free(text);
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
	return cli_ddb_error_at(errors_session, what, e, NULL);
}
