/* tui/cmd_generic.c: subcommands that work on any table: item, export, check. */
#include "ddconfig.h"

#include "tui/cmd.h"
#include "tui/out.h"
#include "tui/text.h"
#include "model/check.h"
#include "model/generic.h"
#include "model/jsontext.h"
#include "model/tables.h"
#include "model/pager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_item(struct cli *cl, struct session *s)
{
	json_t *item = NULL;
	struct ddb_error err;
	const char *table = cl->argv[1], *pk = cl->argv[2], *sk = cl->argc > 3 ? cl->argv[3] : NULL;
	struct cli_where w = {.table = table};
	if (generic_get_item(s, table, pk, sk, &item, &err) != 0) {
		int rc = err.kind == DDB_ERR_USAGE
		       ? cli_error(CLI_E_USAGE, &w, "%s", err.message ? err.message : "bad key")
		       : cli_ddb_error_at(s, "reading the item", &err, &w);
		ddb_error_clear(&err);
		return rc;
	}
	if (!item)
		return cli_error(CLI_E_NOT_FOUND, &w, "no item with the key %s%s%s in %s", pk,
		                 sk ? " / " : "", sk ? sk : "", table);
	/* raw DynamoDB JSON; pretty unless --json asks for one line */
	char *out = jsontext_dumps(item, cl->json ? JT_COMPACT | JT_SORT_KEYS | JT_ENSURE_ASCII
	                                          : JT_INDENT(2) | JT_SORT_KEYS | JT_ENSURE_ASCII);
	out_line(out ? out : "{}");
	free(out);
	json_decref(item);
	return EXIT_OK;
}

static void export_page(const json_t *items, void *ud)
{
	(void)ud;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		char *line = jsontext_dumps(it, JT_COMPACT | JT_ENSURE_ASCII);
		if (line) {
			out_line(line);
			free(line);
		}
	}
}

static void export_progress(long items, long pages, void *ud)
{
	(void)ud;
	if (isatty(STDERR_FILENO))
		out_progress("ddtree export: %ld items, %ld pages", items, pages);
}

int cmd_export(struct cli *cl, struct session *s)
{
	struct ddb_error err;
	/* no --segments: as many as the table's size calls for (see generic.h) */
	int segments = cl->segments ? cl->segments : generic_export_segments(s, cl->argv[1]);
	int rc = generic_export(s, cl->argv[1], segments, export_page,
	                        export_progress, NULL, &err);
	if (isatty(STDERR_FILENO))
		out_eprintf("\n");
	if (rc != 0) {
		rc = cli_ddb_error_at(s, "export", &err, &(struct cli_where){.table = cl->argv[1]});
		ddb_error_clear(&err);
		return rc;
	}
	struct ddb_stats stt;
	ddb_client_stats(s->ddb, &stt);
	if (stt.repaired)
		out_eprintf("ddtree export: warning: %ld page(s) held text JSON cannot carry (a NUL "
		            "in a name, a lone surrogate); it was written as U+FFFD\n", stt.repaired);
	return out_flush() == 0 ? EXIT_OK : EXIT_AWS;
}

static void check_progress(const char *what, long items, void *ud)
{
	(void)ud;
	if (isatty(STDERR_FILENO))
		out_progress("ddtree check: %s: %ld items   ", what, items);
}

int cmd_check(struct cli *cl, struct session *s)
{
	char *amb = NULL;
	struct ddb_error err;
	if (tables_detect(s, &amb, &err) != 0) {
		int rc = cli_ddb_error_at(s, "listing tables", &err, NULL);
		ddb_error_clear(&err);
		return rc;
	}
	if (amb) {
		int rc = cli_error(CLI_E_AMBIGUOUS, NULL, "%s", amb);
		free(amb);
		return rc;
	}
	if (!s->namespace_table && !s->documents_table && !s->chainlit_table)
		return cli_error(CLI_E_NO_TABLE, NULL, "no Stache or Chainlit tables found at %s "
		                 "(name them with --namespace-table, --documents-table, --chainlit-table)",
		                 s->conf.endpoint_url);
	struct findings f = {0};
	if (check_stache(s, &f, check_progress, NULL, &err) != 0 ||
	    check_chainlit(s, &f, check_progress, NULL, &err) != 0) {
		if (isatty(STDERR_FILENO))
			out_eprintf("\n");
		int rc = cli_ddb_error_at(s, "check", &err, NULL);
		ddb_error_clear(&err);
		findings_free(&f);
		return rc;
	}
	if (isatty(STDERR_FILENO))
		out_eprintf("\n");
	for (size_t i = 0; i < f.n; i++) {
		struct finding *x = &f.v[i];
		if (cl->json) {
			json_error_t je;
			json_t *key = x->key ? json_loads(x->key, JSON_ALLOW_NUL, &je) : NULL;
			cli_print_json(json_pack("{s:s,s:s,s:o,s:s}", "kind", x->kind, "table", x->table,
			                         "key", key ? key : json_null(), "message",
			                         x->message ? x->message : ""));
			continue;
		}
		cli_put_text(x->kind);
		out_puts("  ");
		cli_put_text(x->table);
		out_puts("  ");
		cli_put_text(x->key ? x->key : "-");
		out_puts("\n    ");
		cli_put_text(x->message);
		out_putc('\n');
	}
	if (!cl->json)
		out_printf("%zu problem%s found\n", f.n, f.n == 1 ? "" : "s");
	int rc = f.n ? EXIT_PROBLEMS : EXIT_OK;
	findings_free(&f);
	return rc;
}
