/* tui/cli.c: the command line: options, the subcommand table (--help comes
 * from it) and dispatch to tui/cmd_*.c or the browser; the tables and demo
 * subcommands (their output helpers are in tui/cmd.c). */
#include "ddconfig.h"

#include "tui/cli.h"
#include "tui/cmd.h"
#include "tui/browser.h"
#include "tui/modules.h"
#include "tui/text.h"
#include "tui/out.h"
#include "tui/keys.h"
#include "model/jsontext.h"
#include "model/session.h"
#include "model/tables.h"
#include "model/demo.h"
#include "model/pager.h"
#include "aws/mfa.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int cmd_tables(struct cli *cl, struct session *s);
static int cmd_demo(struct cli *cl, struct session *s);

/* One row per subcommand: --help is generated from this table. */
static const struct command {
	const char *name, *args, *help;
	int min_args, max_args;
	cmd_fn fn;
} commands[] = {
	{"tables", "", "tables and the layout detected for each", 0, 0, cmd_tables},
	{"namespaces", "", "the namespace tree, orphans and cycles apart", 0, 0, cmd_namespaces},
	{"documents", "NAMESPACE", "documents of a namespace, newest first", 1, 1, cmd_documents},
	{"users", "", "Chainlit users", 0, 0, cmd_users},
	{"threads", "USER [--index-only]", "a user's threads, most recently updated first", 1, 1, cmd_threads},
	{"thread", "THREAD_ID", "one conversation as a step tree, with feedback", 1, 1, cmd_thread},
	{"feedback", "set|delete THREAD_ID STEP_ID", "set (--value up|down [--comment TEXT]) or delete feedback", 3, 3, cmd_feedback},
	{"item", "TABLE PK [SK]", "one item, raw", 2, 3, cmd_item},
	{"search", "[--user USER | --steps | --documents [--namespace NS]] [--ignore-case] [--type T] [--with-feedback] TEXT",
	 "find TEXT in a user's thread names, step contents or documents", 1, 1, cmd_search},
	{"check", "", "the integrity report", 0, 0, cmd_check},
	{"export", "TABLE [--segments N]", "every item of a table, one JSON line each", 1, 1, cmd_export},
	{"demo", "[--reset] [--prefix P]", "create and fill the demo tables", 0, 0, cmd_demo},
};

static void usage(void)
{
	out_printf(
	           "Usage: ddtree [OPTIONS] [COMMAND ...]\n"
	           "Browse and edit Stache AI and Chainlit data in Amazon DynamoDB.\n"
	           "With no command, opens the browser.\n\n"
	           "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char head[160];
		snprintf(head, sizeof head, "%s %s", commands[i].name, commands[i].args);
		if (strlen(head) > 30)   /* a long synopsis gets a line of its own */
			out_printf("  %s\n  %-30s %s\n", head, "", commands[i].help);
		else
			out_printf("  %-30s %s\n", head, commands[i].help);
	}
	out_printf(
	           "\nOptions:\n"
	           "  --endpoint-url URL        DynamoDB endpoint (default: from the environment or\n"
	           "                            profile, else https://dynamodb.REGION.amazonaws.com)\n"
	           "  --region REGION           AWS region\n"
	           "  --profile NAME            profile from ~/.aws/config and ~/.aws/credentials\n"
	           "  --namespace-table T       Stache namespace table (DYNAMODB_NAMESPACE_TABLE)\n"
	           "  --documents-table T       Stache documents table (DYNAMODB_DOCUMENTS_TABLE)\n"
	           "  --chainlit-table T        Chainlit table (CHAINLIT_DYNAMODB_TABLE)\n"
	           "  --read-only               refuse every write\n"
	           "  --write                   allow writes to an endpoint that is not on this machine\n"
	           "  --allow-http              allow plain http:// to a host that is not on this machine\n"
	           "  --json                    one JSON object per line (commands)\n"
	           "  --debug FILE              write a request/response trace (secrets redacted)\n"
	           "  --max-attempts N          attempts per request, retries included (default 3)\n"
	           "  --timeout SECONDS         time limit for one attempt (default 30)\n"
	           "  -c, --command CMD         browser: run the : command CMD at start, e.g.\n"
	           "                            -c ':user alice@example.com' (may be repeated)\n"
	           "  -h, --help                this help\n"
	           "  -V, --version             version\n\n"
	           "Exit status: 0 ok (also when what was found has problems: they are listed),\n"
	           "1 not found, or check found problems, 2 usage or configuration error,\n"
	           "3 AWS or network error (a missing table included), 4 conflict (a concurrent\n"
	           "change won).  With --json an error is also one JSON object on stderr:\n"
	           "{\"error\": {\"code\", \"message\", \"table\", \"key\", ...}} (see README).\n");
}

static int cmd_tables(struct cli *cl, struct session *s)
{
	struct table_list tl;
	struct ddb_error err;
	if (tables_load_sync(s, &tl, &err) != 0) {
		int rc = cli_ddb_error_at(s, "listing tables", &err, NULL);
		ddb_error_clear(&err);
		return rc;
	}
	int w = 5;   /* the name column fits the longest name, as shown */
	for (size_t i = 0; i < tl.n && !cl->json; i++) {
		char *m = text_sanitize_line(tl.v[i].name);
		if (m && text_width(m) > w)
			w = text_width(m);
		free(m);
	}
	if (!cl->json)
		out_printf("%-*s %-18s %10s  %s\n", w, "TABLE", "LAYOUT", "ITEMS", "KEYS / INDEXES");
	for (size_t i = 0; i < tl.n; i++) {
		struct table_info *t = &tl.v[i];
		if (cl->json) {
			json_t *o = json_pack("{s:s,s:s,s:s*,s:s*,s:s*}", "table", t->name,
			                      "layout", table_layout_name(t->layout),
			                      "keys", t->key_schema, "indexes", t->indexes,
			                      "error", t->error);
			if (t->item_count >= 0)
				json_object_set_new(o, "item_count", json_integer(t->item_count));
			cli_print_json(o);
			continue;
		}
		char items[24] = "?";
		if (t->item_count >= 0)
			snprintf(items, sizeof items, "%lld", t->item_count);
		/* every text from the server on one line, the name padded to w columns */
		char *name = text_sanitize_line(t->name);
		char *keys = text_sanitize_line(t->error ? t->error : t->key_schema);
		char *idx = text_sanitize_line(t->indexes);
		int pad = w - (name ? text_width(name) : 0);
		out_printf("%s%*s %-18s %10s  %s%s%s\n", name ? name : "", pad > 0 ? pad : 0, "",
		           table_layout_name(t->layout), items, keys ? keys : "",
		           idx && *idx ? "; " : "", idx ? idx : "");
		free(name);
		free(keys);
		free(idx);
	}
	table_list_free(&tl);
	return EXIT_OK;
}

static void demo_progress(const char *msg, void *ud)
{
	(void)ud;
	char *m = text_sanitize_line(msg);
	out_eprintf("ddtree demo: %s\n", m ? m : "");
	free(m);
}

static int cmd_demo(struct cli *cl, struct session *s)
{
	struct demo_opts o = {.prefix = cl->prefix, .reset = cl->reset,
	                      .progress = demo_progress};
	char *err = NULL;
	int dr = demo_create(s, &o, &err);
	if (dr != DEMO_OK) {
		int rc = cli_error(dr == DEMO_REFUSED ? CLI_E_USAGE : CLI_E_AWS, NULL, "demo: %s",
		                   err ? err : "failed");
		free(err);
		return rc;
	}
	struct demo_names n;
	demo_table_names(cl->prefix, &n);
	if (cl->json) {
		json_t *o2 = json_pack("{s:s,s:s,s:s}", "namespace_table", n.namespaces,
		                       "documents_table", n.documents, "chainlit_table", n.chainlit);
		cli_print_json(o2);
	} else {
		out_printf("demo tables: %s %s %s\n", n.namespaces, n.documents, n.chainlit);
	}
	return EXIT_OK;
}

enum {
	OPT_ENDPOINT = 256, OPT_REGION, OPT_PROFILE, OPT_NS_TABLE, OPT_DOCS_TABLE,
	OPT_CL_TABLE, OPT_READ_ONLY, OPT_WRITE, OPT_ALLOW_HTTP, OPT_JSON, OPT_DEBUG,
	OPT_MAX_ATTEMPTS, OPT_TIMEOUT, OPT_RESET, OPT_PREFIX, OPT_VALUE, OPT_COMMENT, OPT_SEGMENTS,
	OPT_INDEX_ONLY, OPT_USER, OPT_STEPS, OPT_DOCUMENTS, OPT_NAMESPACE, OPT_IGNORE_CASE, OPT_TYPE,
	OPT_WITH_FEEDBACK,
};

static const struct option long_opts[] = {
	{"endpoint-url", required_argument, NULL, OPT_ENDPOINT},
	{"region", required_argument, NULL, OPT_REGION},
	{"profile", required_argument, NULL, OPT_PROFILE},
	{"namespace-table", required_argument, NULL, OPT_NS_TABLE},
	{"documents-table", required_argument, NULL, OPT_DOCS_TABLE},
	{"chainlit-table", required_argument, NULL, OPT_CL_TABLE},
	{"read-only", no_argument, NULL, OPT_READ_ONLY},
	{"write", no_argument, NULL, OPT_WRITE},
	{"allow-http", no_argument, NULL, OPT_ALLOW_HTTP},
	{"json", no_argument, NULL, OPT_JSON},
	{"debug", required_argument, NULL, OPT_DEBUG},
	{"max-attempts", required_argument, NULL, OPT_MAX_ATTEMPTS},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"reset", no_argument, NULL, OPT_RESET},
	{"prefix", required_argument, NULL, OPT_PREFIX},
	{"value", required_argument, NULL, OPT_VALUE},
	{"comment", required_argument, NULL, OPT_COMMENT},
	{"segments", required_argument, NULL, OPT_SEGMENTS},
	{"index-only", no_argument, NULL, OPT_INDEX_ONLY},
	{"user", required_argument, NULL, OPT_USER},
	{"steps", no_argument, NULL, OPT_STEPS},
	{"documents", no_argument, NULL, OPT_DOCUMENTS},
	{"namespace", required_argument, NULL, OPT_NAMESPACE},
	{"ignore-case", no_argument, NULL, OPT_IGNORE_CASE},
	{"type", required_argument, NULL, OPT_TYPE},
	{"with-feedback", no_argument, NULL, OPT_WITH_FEEDBACK},
	{"command", required_argument, NULL, 'c'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

/* --allow-http to a remote host, before the first request (network thread) */
static void cli_warning(const char *msg, void *ud)
{
	(void)ud;
	cli_warn("%s", msg);
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* The config file's errors ("PATH: line 3: ...\nline 7: ...\n"), for a
 * command: a warning line each, naming the file. */
static void config_warnings(const char *errors)
{
	char *path = uiconf_path();
	size_t pl = path ? strlen(path) : 0;
	const char *p = errors;
	if (path && !strncmp(p, path, pl) && !strncmp(p + pl, ": ", 2))
		p += pl + 2;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n)
			cli_warn("%s: %.*s (line ignored)", path ? path : "config",
			         (int)n, p);
		p += n + (p[n] != '\0');
	}
	free(path);
}

int cli_main(int argc, char **argv)
{
	struct cli cl = {0};
	/* --json, wherever it is, before an error about another option */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			cli_errors_json(true);
	char *start_cmds[argc > 0 ? argc : 1];   /* -c: at most one per argument */
	cl.commands = start_cmds;
	int c, n;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVc:", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_ENDPOINT: cl.so.aws.endpoint_url = optarg; break;
		case OPT_REGION: cl.so.aws.region = optarg; break;
		case OPT_PROFILE: cl.so.aws.profile = optarg; break;
		case OPT_NS_TABLE: cl.so.namespace_table = optarg; break;
		case OPT_DOCS_TABLE: cl.so.documents_table = optarg; break;
		case OPT_CL_TABLE: cl.so.chainlit_table = optarg; break;
		case OPT_READ_ONLY: cl.so.read_only = true; break;
		case OPT_WRITE: cl.so.write = true; break;
		case OPT_ALLOW_HTTP: cl.so.aws.allow_plain_http = true; break;
		case OPT_JSON: cl.json = true; break;
		case OPT_DEBUG: cl.so.debug_path = optarg; break;
		case OPT_MAX_ATTEMPTS:
			if (parse_int(optarg, 1, 20, &n))
				return cli_error(CLI_E_USAGE, NULL, "--max-attempts wants a number from 1 to 20");
			cl.so.max_attempts = n;
			break;
		case OPT_TIMEOUT:
			if (parse_int(optarg, 1, 3600, &n))
				return cli_error(CLI_E_USAGE, NULL, "--timeout wants seconds from 1 to 3600");
			cl.so.request_timeout_ms = n * 1000L;
			break;
		case OPT_RESET: cl.reset = true; break;
		case OPT_PREFIX: cl.prefix = optarg; break;
		case OPT_VALUE: cl.value = optarg; break;
		case OPT_COMMENT: cl.comment = optarg; break;
		case OPT_SEGMENTS:
			if (parse_int(optarg, 1, 64, &n))
				return cli_error(CLI_E_USAGE, NULL, "--segments wants a number from 1 to 64");
			cl.segments = n;
			break;
		case OPT_INDEX_ONLY: cl.index_only = true; break;
		case OPT_USER: cl.search.user = optarg; cl.search.any = true; break;
		case OPT_STEPS: cl.search.steps = cl.search.any = true; break;
		case OPT_DOCUMENTS: cl.search.documents = cl.search.any = true; break;
		case OPT_NAMESPACE: cl.search.namespace_ = optarg; cl.search.any = true; break;
		case OPT_IGNORE_CASE: cl.search.ignore_case = cl.search.any = true; break;
		case OPT_TYPE: cl.search.type = optarg; cl.search.any = true; break;
		case OPT_WITH_FEEDBACK: cl.search.with_feedback = cl.search.any = true; break;
		case 'c':
			cl.commands[cl.ncommands++] = optarg;
			break;
		case 'h': usage(); return EXIT_OK;
		case 'V': out_printf("ddtree %s\n", PACKAGE_VERSION); return EXIT_OK;
		case ':':
			/* a value is missing: name the option as it was written */
			return cli_error(CLI_E_USAGE, NULL, "option %s needs a value (see --help)",
			                 argv[optind - 1]);
		default:
			return cli_error(CLI_E_USAGE, NULL, "unknown option %s (see --help)",
			                 optopt > 0 && optopt < 128 ? (char[]){'-', (char)optopt, 0}
			                                            : argv[optind - 1]);
		}
	}
	if (cl.so.read_only && cl.so.write)
		return cli_error(CLI_E_USAGE, NULL, "--read-only and --write contradict each other");
	cl.argc = argc - optind;
	cl.argv = argv + optind;

	const struct command *cmd = NULL;
	if (cl.argc > 0) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (!strcmp(cl.argv[0], commands[i].name))
				cmd = &commands[i];
		if (!cmd)
			return cli_error(CLI_E_USAGE, NULL, "unknown command '%s' (see --help)", cl.argv[0]);
		int nargs = cl.argc - 1;
		if (nargs < cmd->min_args || nargs > cmd->max_args)
			return cli_error(CLI_E_USAGE, NULL, "usage: ddtree [OPTIONS] %s %s", cmd->name,
			                 cmd->args);
	}

	/* --namespace and --documents were abbreviations of the table options
	 * before search took them: say so rather than ignore them */
	if (cl.search.any && (!cmd || cmd->fn != cmd_search)) {
		out_eprintf("ddtree: --user, --steps, --documents, --namespace, --ignore-case, --type "
		            "and --with-feedback are options of search (the tables are "
		            "--namespace-table, --documents-table, --chainlit-table)\n");
		return EXIT_USAGE;
	}

	/* the config file may ask for read-only, or for writes to remote
	 * endpoints; --read-only on the command line always wins */
	struct keymap km;
	struct uiconf uc;
	char *cerr = NULL;
	uiconf_load(&km, &uc, &cerr);
	if (cmd && cerr && *cerr)   /* the browser shows them on its status line */
		config_warnings(cerr);
	free(cerr);
	if (uc.read_only && !cl.so.write && !cl.so.read_only) {
		cl.so.read_only = true;
		cl.so.read_only_source = "the config file says set read-only true";
	}
	if (uc.write && !cl.so.read_only)
		cl.so.write = true;

	/* commands say it on stderr; the browser on its status line */
	if (cmd)
		cl.so.on_warning = cli_warning;
	char *err = NULL;
	struct session *s = session_open(&cl.so, &err);
	if (!s) {
		int rc = cli_error_lines(CLI_E_CONFIG, err ? err : "cannot start");
		free(err);
		return rc;
	}
	int rc;
	cli_errors_session(s);
	/* a role with mfa_serial asks for its code now, on the terminal, before
	 * a command runs or the browser takes the screen (aws/mfa.h) */
	const char *no_tty = getenv("DDTREE_SCRIPT") ? "DDTREE_SCRIPT is set" :
	                     !isatty(STDIN_FILENO) ? "stdin is not a terminal" : NULL;
	if (aws_mfa_prepare(s->conf.creds, time(NULL), no_tty, &err) != 0) {
		rc = cli_error_lines(CLI_E_AWS, err ? err : "no credentials");
		free(err);
	} else if (cmd)
		rc = cmd->fn(&cl, s);
	else if (!isatty(STDIN_FILENO) && !getenv("DDTREE_SCRIPT")) {
		rc = cli_error(CLI_E_USAGE, NULL,
		               "the browser needs a terminal (or give a command; see --help)");
	} else {
		size_t nmodules;
		const struct module *const *modules = modules_all(&nmodules);
		rc = browser_run(s, modules, nmodules, cl.commands, cl.ncommands);
	}
	cli_errors_session(NULL);
	session_close(s);
	return rc;
}

bool cli_doc_command(size_t i, const char **name, const char **args, const char **help)
{
	if (i >= sizeof commands / sizeof commands[0])
		return false;
	*name = commands[i].name;
	*args = commands[i].args;
	*help = commands[i].help;
	return true;
}

bool cli_doc_option(size_t i, const char **name, bool *takes_value, int *short_name)
{
	if (i >= sizeof long_opts / sizeof long_opts[0] - 1)
		return false;
	*name = long_opts[i].name;
	*takes_value = long_opts[i].has_arg != no_argument;
	*short_name = long_opts[i].val < 256 ? long_opts[i].val : 0;
	return true;
}
