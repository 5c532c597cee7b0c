/* tui/cmd_search.c: the search subcommand (model/search.h):
 *
 *   search --user USER TEXT          a user's thread names (as Chainlit)
 *   search [--steps] TEXT            step names, inputs and outputs
 *          [--user USER] [--type T] [--with-feedback]
 *   search --documents [--namespace NS] TEXT
 *
 * Matches are printed as they are found, flushed after each batch; one JSON
 * object per match with --json.  Progress goes to stderr when it is a
 * terminal (wiped before each batch).  Exit 0 with matches, 1 without, 2
 * for bad options or a table that is not of the layout searched. */
#include "ddconfig.h"

#include "tui/cmd.h"
#include "tui/out.h"
#include "tui/text.h"
#include "model/chainlit.h"
#include "model/search.h"
#include "model/stache.h"
#include "model/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct search_out {
	bool json;
	enum search_scope scope;
	bool header_done;
	bool progress_shown;
	size_t progress_len;      /* of the progress line shown */
	char *last_thread;        /* steps: the thread of the last match printed */
};

/* Database text on one line, cut to `cols` columns (0: whole), padded to
 * `pad` columns. */
static void cell(const char *s, int cols, int pad)
{
	char *m = text_sanitize_line(s ? s : "");
	if (!m)
		return;
	int used = text_width(m);
	size_t n = strlen(m);
	if (cols > 0 && used > cols)
		n = text_fit(m, cols - 1, &used);
	out_write(m, n);
	if (m[n]) {
		out_puts("\xe2\x80\xa6");
		used++;
	}
	free(m);
	for (; used < pad; used++)
		out_putc(' ');
}

static void put_time(const char *stamp)
{
	int64_t us;
	char buf[32];
	if (stamp && time_parse(stamp, &us)) {
		time_format(us, buf, sizeof buf);
		out_puts(buf);
	} else {
		cell(stamp ? stamp : "-", 19, 19);
	}
}

static void progress_clear(struct search_out *o)
{
	if (o->progress_shown)
		out_progress_clear();
	o->progress_shown = false;
}

static void on_progress(const struct search_progress *p, void *ud)
{
	struct search_out *o = ud;
	if (!isatty(STDERR_FILENO) || p->done)
		return;
	char of[48] = "", line[160];
	if (p->total >= 0)
		snprintf(of, sizeof of, " of ~%ld", p->total);
	if (p->threads_total >= 0)
		snprintf(line, sizeof line, "ddtree search: %ld of %ld threads, %ld items read, %ld match%s",
		         p->threads_done, p->threads_total, p->read, p->matches,
		         p->matches == 1 ? "" : "es");
	else if (p->threads_done >= 0)
		snprintf(line, sizeof line, "ddtree search: listing the user's threads");
	else
		snprintf(line, sizeof line, "ddtree search: %ld%s items read, %ld match%s", p->read, of,
		         p->matches, p->matches == 1 ? "" : "es");
	/* the line is rewritten in place: wipe a longer one first */
	size_t len = strlen(line);
	if (o->progress_shown && len < o->progress_len)
		out_progress_clear();
	out_progress("%s", line);
	o->progress_len = len;
	o->progress_shown = true;
}

static void put_thread(const struct search_match *m)
{
	put_time(m->updated_at);
	out_puts("  ");
	cell(m->thread_id, 0, 36);
	out_puts("  ");
	cell(m->thread_name, 80, 0);
	out_putc('\n');
}

static void put_step(struct search_out *o, const struct search_match *m)
{
	if (!o->last_thread || !m->thread_id || strcmp(o->last_thread, m->thread_id)) {
		out_puts("thread ");
		if (m->thread_name)
			cell(m->thread_name, 60, 0);
		else
			out_puts(json_object_get(m->thread, "missing") ? "(no THREAD item)" : "(no name)");
		out_puts("  ");
		cell(m->thread_id ? m->thread_id : "?", 0, 0);
		if (m->user) {
			out_puts("  ");
			cell(m->user, 40, 0);
		}
		out_putc('\n');
		free(o->last_thread);
		o->last_thread = m->thread_id ? strdup(m->thread_id) : NULL;
	}
	out_puts("  ");
	cell(m->step_type ? m->step_type : "?", 24, 0);
	out_puts(" ");
	cell(m->step_name ? m->step_name : "(no name)", 40, 0);
	out_puts("  ");
	cell(m->step_id ? m->step_id : "?", 0, 0);
	if (m->vote == 1)
		out_puts("  +1");
	else if (m->vote == 0)
		out_puts("  -1");
	out_puts("\n    ");
	cell(m->field ? m->field : "?", 0, 0);
	out_puts(": ");
	cell(m->snippet, 100, 0);
	out_putc('\n');
}

static void put_document(const struct search_match *m)
{
	cell(m->namespace_ ? m->namespace_ : "(no namespace)", 40, 0);
	out_puts("  ");
	cell(m->filename ? m->filename : "(no filename)", 60, 0);
	out_puts("  ");
	cell(m->status ? m->status : "legacy", 10, 0);
	out_puts("  ");
	cell(m->doc_id ? m->doc_id : "?", 0, 0);
	out_puts("\n    ");
	cell(m->field ? m->field : "?", 0, 0);
	out_puts(": ");
	cell(m->snippet, 100, 0);
	out_putc('\n');
}

static void on_batch(const struct search_match *v, size_t n, void *ud)
{
	struct search_out *o = ud;
	progress_clear(o);
	for (size_t i = 0; i < n; i++) {
		const struct search_match *m = &v[i];
		if (o->json) {
			cli_print_json(search_match_json(m));
			continue;
		}
		switch (m->kind) {
		case SEARCH_KIND_THREAD:
			if (!o->header_done)
				out_printf("%-19s  %-36s  %s\n", "UPDATED", "ID", "NAME");
			o->header_done = true;
			put_thread(m);
			break;
		case SEARCH_KIND_STEP:
			put_step(o, m);
			break;
		case SEARCH_KIND_DOCUMENT:
			put_document(m);
			break;
		}
	}
	out_flush();
}

/* The Chainlit table; EXIT_OK, or an exit code after saying why. */
static int chainlit_table(struct session *s, char **table)
{
	char *several = NULL;
	struct ddb_error err;
	int rc;
	switch (cl_table_resolve_sync(s, table, &several, &err)) {
	case CL_TABLE_FOUND:
		return EXIT_OK;
	case CL_TABLE_NONE:
		return cli_fail(EXIT_PROBLEMS, "no table with the Chainlit layout at this endpoint "
		                "(name one with --chainlit-table)");
	case CL_TABLE_SEVERAL:
		rc = cli_fail(EXIT_USAGE, "several tables have the Chainlit layout: %s; choose one "
		              "with --chainlit-table", several);
		free(several);
		return rc;
	case CL_TABLE_ERROR:
		rc = cli_ddb_error("listing tables", &err);
		ddb_error_clear(&err);
		return rc;
	}
	return EXIT_USAGE;
}

/* The Stache documents table; EXIT_OK, or an exit code after saying why. */
static int documents_table(struct session *s, char **table)
{
	char *msg = NULL;
	int rc = EXIT_OK;
	switch (stache_resolve_tables(s, STACHE_TABLE_SKIP, STACHE_TABLE_NEED, &msg)) {
	case STACHE_RESOLVED:
		*table = strdup(s->documents_table);
		break;
	case STACHE_RESOLVE_MISSING:
		rc = cli_fail(EXIT_PROBLEMS, "%s", msg ? msg : "no Stache documents table");
		break;
	case STACHE_RESOLVE_AMBIGUOUS:
		rc = cli_fail(EXIT_USAGE, "%s", msg ? msg : "several Stache documents tables");
		break;
	case STACHE_RESOLVE_FAILED:
		rc = cli_fail(EXIT_AWS, "%s", msg ? msg : "listing tables failed");
		break;
	}
	free(msg);
	return rc;
}

static const char *scope_what(const struct search_opts *so)
{
	switch (so->scope) {
	case SEARCH_THREAD_NAMES:
		return "thread name";
	case SEARCH_STEPS:
		return "step name, input or output";
	case SEARCH_DOCUMENTS:
		return so->namespace_ ? "file name or source path" : "file name, source path or summary";
	}
	return "?";
}

int cmd_search(struct cli *cl, struct session *s)
{
	const struct cli_search *a = &cl->search;
	bool conv = a->steps || a->user || a->type || a->with_feedback;
	if ((a->documents || a->namespace_) && conv)
		return cli_fail(EXIT_USAGE, "--documents and --namespace search Stache documents; "
		                "--user, --steps, --type and --with-feedback search Chainlit conversations");
	struct search_opts so = {
		.text = cl->argv[1],
		.ignore_case = a->ignore_case,
		.user = a->user,
		.step_type = a->type,
		.with_feedback = a->with_feedback,
		.namespace_ = a->namespace_,
		.segments = cl->segments,
	};
	if (a->documents || a->namespace_)
		so.scope = SEARCH_DOCUMENTS;
	else if (a->user && !a->steps && !a->type && !a->with_feedback)
		so.scope = SEARCH_THREAD_NAMES;
	else
		so.scope = SEARCH_STEPS;

	/* bad options are refused before any request */
	char *why = NULL;
	so.table = "-";
	if (search_check(&so, &why) != 0) {
		int rc = cli_fail(EXIT_USAGE, "search: %s", why ? why : "bad options");
		free(why);
		return rc;
	}
	char *table = NULL;
	int rc = so.scope == SEARCH_DOCUMENTS ? documents_table(s, &table) : chainlit_table(s, &table);
	if (rc)
		return rc;
	so.table = table;

	struct search_out o = {.json = cl->json, .scope = so.scope};
	struct search_cbs cbs = {.batch = on_batch, .progress = on_progress};
	struct search_progress pr;
	struct ddb_error err;
	int sr = search_run_sync(s, &so, &cbs, &o, &pr, &err);
	progress_clear(&o);
	free(o.last_thread);
	if (sr != 0) {
		out_flush();
		if (err.kind == DDB_ERR_USAGE)
			rc = cli_fail(EXIT_USAGE, "search: %s", err.message ? err.message : "refused");
		else
			rc = cli_ddb_error(table, &err);
		ddb_error_clear(&err);
		free(table);
		return rc;
	}
	if (out_flush() != 0) {
		free(table);
		return EXIT_AWS;
	}
	if (pr.matches == 0) {
		if ((so.scope == SEARCH_THREAD_NAMES && pr.read == 0) ||
		    (so.scope == SEARCH_STEPS && so.user && pr.threads_total == 0))
			rc = cli_fail(EXIT_PROBLEMS, "user \"%s\" has no threads in %s", so.user, table);
		else
			rc = cli_fail(EXIT_PROBLEMS, "no %s %s \"%s\"%s%s", scope_what(&so),
			              so.scope == SEARCH_DOCUMENTS && so.namespace_ ? "starts with"
			                                                           : "contains",
			              so.text, so.ignore_case ? " (ignoring case)" : "",
			              so.scope == SEARCH_THREAD_NAMES ? " among the user's threads" : "");
	}
	free(table);
	return rc;
}
