/* man/mkdoc.c: writes the manual pages and the shell completions from
 * templates, filling in what the program's own tables say: the subcommands
 * and options (tui/cli.c), the actions and their default keys
 * (tui/actions.h), the ':' commands (each module's commands[], tui/modules.c
 * and the frame's in tui/browser.c), the key names, colour roles and
 * colours of the config file (tui/keys.c).  So the manual and the
 * completions list what the program accepts, and a change to a table shows
 * in both at the next build.
 *
 *   mkdoc [--strict] [--docdir=DIR] man TEMPLATE
 *                                            a manual page (man/ddtree.1.in;
 *                                            @DOCDIR@ in it is DIR)
 *   mkdoc [--strict] bash|zsh|fish TEMPLATE MAN_TEMPLATE
 *                                            a completion; the option
 *                                            values and descriptions come
 *                                            from ddtree.1.in's items
 *   mkdoc list                               the tables' entries, one a
 *                                            line ("command tables",
 *                                            "option help -h", "colon q
 *                                            hidden"), for the tests
 *
 * A man template is roff with these lines:
 *   @begin KIND ... @end  a list from a table, KIND one of synopsis,
 *                         commands, options, keys, colon-commands (ddtree.1),
 *                         actions, key-names, roles, colors (ddtree-config.5).
 *                         Inside, "@item NAME [METAVAR]" starts the text of
 *                         one entry (after the table's help, if it has one);
 *                         entries come out in the table's order.  An options
 *                         list holds only the options it has items for (the
 *                         first one also gets those no list names), the
 *                         METAVAR of an option saying what its value is.
 *   @config LINE          a config file line, printed as is; the program's
 *                         config parser must accept it
 *   @include-config FILE  every line of FILE (relative to the template's
 *                         directory), the same way
 * and @VERSION@ anywhere.  A completion template has @NAME@ markers
 * (see the templates in completion/).
 *
 * Problems (an item naming nothing in the tables, an option without an
 * item, a config line the parser refuses) are reported on stderr; with
 * --strict they fail (exit 1), as tests/scripts/man-pages.sh asks.  Usage
 * and I/O errors exit 2. */
#include "ddconfig.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/actions.h"
#include "tui/browser.h"
#include "tui/cli.h"
#include "tui/keys.h"
#include "tui/modules.h"

static int problems;
static const char *template_path;

static void problem(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (line)
		fprintf(stderr, "mkdoc: %s:%d: ", template_path, line);
	else
		fprintf(stderr, "mkdoc: %s: ", template_path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	problems++;
}

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p) {
		fprintf(stderr, "mkdoc: out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = xmalloc(strlen(s) + 1);
	return strcpy(d, s);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "mkdoc: cannot read %s\n", path);
		exit(2);
	}
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, m);
	fclose(f);
	fclose(m);
	return text;
}

/* ---- the program's tables ---- */

#define MAX_ENTRIES 64

struct command {
	const char *name, *args, *help;
};

struct option_doc {
	const char *name;
	bool takes_value;
	int short_name;
	int command;            /* the subcommand whose synopsis or help names it, or -1 */
	const char *metavar;    /* from the man template's item; NULL: none given */
	char *desc;             /* the item's first sentence, plain text */
};

static struct command commands[MAX_ENTRIES];
static size_t ncommands;
static struct option_doc options[MAX_ENTRIES];
static size_t noptions;
static const struct module_command *colon[MAX_ENTRIES];
static size_t ncolon;

/* Does text hold "--name" as a whole word? */
static bool mentions_option(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = text; (p = strstr(p, "--")); p += 2)
		if (!strncmp(p + 2, name, n) && !(isalnum((unsigned char)p[2 + n]) || p[2 + n] == '-') &&
		    (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '-')))
			return true;
	return false;
}

static void load_tables(void)
{
	const char *name, *args, *help;
	while (ncommands < MAX_ENTRIES && cli_doc_command(ncommands, &name, &args, &help))
		commands[ncommands++] = (struct command){name, args, help};
	bool takes;
	int sh;
	while (noptions < MAX_ENTRIES && cli_doc_option(noptions, &name, &takes, &sh)) {
		struct option_doc *o = &options[noptions++];
		*o = (struct option_doc){.name = name, .takes_value = takes, .short_name = sh, .command = -1};
		for (size_t c = 0; c < ncommands && o->command < 0; c++)
			if (mentions_option(commands[c].args, name) || mentions_option(commands[c].help, name))
				o->command = (int)c;
	}
	/* the ':' commands as the browser has them: the modules, then the frame's */
	size_t nmods;
	bool full = cli_doc_command(ncommands, &name, &args, &help) ||
	            cli_doc_option(noptions, &name, &takes, &sh);
	const struct module *const *mods = modules_all(&nmods);
	for (size_t m = 0; m <= nmods; m++) {
		const struct module *mod = m < nmods ? mods[m] : &browser_module;
		for (const struct module_command *c = mod->commands; c && c->name; c++) {
			if (ncolon == MAX_ENTRIES)
				full = true;
			else
				colon[ncolon++] = c;
		}
	}
	if (full) {
		fprintf(stderr, "mkdoc: a table has more than %d entries: raise MAX_ENTRIES\n",
		        MAX_ENTRIES);
		exit(2);
	}
}

static struct option_doc *option_named(const char *name)
{
	for (size_t i = 0; i < noptions; i++)
		if (!strcmp(options[i].name, name))
			return &options[i];
	return NULL;
}

/* ---- roff ---- */

/* Text for roff: backslashes escaped, a leading '.' or '\'' made literal,
 * a '-' starting a word (an option: "--value") a real minus. */
static void roff_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (const char *p = s; *p; p++) {
		if (*p == '\\')
			fputs("\\e", out);
		else if (*p == '-' && (p == s || strchr(" ([|-", p[-1])))
			fputs("\\-", out);
		else
			fputc(*p, out);
	}
}

/* A word in a font: every '-' a minus (names, keys, options). */
static void roff_word(FILE *out, char font, const char *s, size_t n)
{
	fprintf(out, "\\f%c", font);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			fputs("\\-", out);
		else if (s[i] == '\\')
			fputs("\\e", out);
		else
			fputc(s[i], out);
	}
	fputs("\\fR", out);
}

/* A synopsis ("set|delete THREAD_ID STEP_ID [--comment TEXT]"): names in
 * capitals (what you fill in) in italics, options and literal words in
 * bold, brackets, bars and dots as they are. */
static void roff_synopsis(FILE *out, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, " []|()");
		if (!n) {
			fputc(*s++, out);
			continue;
		}
		bool placeholder = true, letters = false;
		for (size_t i = 0; i < n; i++) {
			if (islower((unsigned char)s[i]))
				placeholder = false;
			letters |= isalpha((unsigned char)s[i]) != 0;
		}
		if (!letters)   /* "..." */
			fwrite(s, 1, n, out);
		else
			roff_word(out, placeholder && s[0] != '-' ? 'I' : 'B', s, n);
		s += n;
	}
}

/* The table's help as a sentence: a capital first, a full stop last. */
static void roff_sentence(FILE *out, const char *help)
{
	char *h = xstrdup(help);
	h[0] = (char)toupper((unsigned char)h[0]);
	roff_text(out, h);
	fputs(h[strlen(h) - 1] == '.' ? "\n" : ".\n", out);
	free(h);
}

/* ---- the man template ---- */

struct item {
	char *name, *metavar;
	char *text;       /* roff lines, each ending in \n */
	int line;
	bool used;
};

struct block {
	char *kind;
	struct item items[MAX_ENTRIES];
	size_t nitems;
	int line;
	bool first_options;   /* the first options list: it also gets the unclaimed */
};

/* A template line: literal text, or a block, or a config line. */
struct piece {
	char *text;           /* a literal line (no \n), or NULL */
	struct block *block;
	char *config;         /* @config LINE */
	char *include;        /* @include-config FILE */
	int line;
};

struct man_template {
	struct piece *pieces;
	size_t n;
	char *dir;            /* for @include-config */
};

static void add_piece(struct man_template *t, struct piece p)
{
	t->pieces = realloc(t->pieces, (t->n + 1) * sizeof *t->pieces);
	if (!t->pieces) {
		fprintf(stderr, "mkdoc: out of memory\n");
		exit(2);
	}
	t->pieces[t->n++] = p;
}

static void append_text(char **text, const char *line)
{
	size_t a = *text ? strlen(*text) : 0, b = strlen(line);
	char *n = xmalloc(a + b + 2);
	if (*text)
		memcpy(n, *text, a);
	memcpy(n + a, line, b);
	n[a + b] = '\n';
	free(*text);
	*text = n;
}

static const char *const block_kinds[] = {
	"synopsis", "commands", "options", "keys", "colon-commands",
	"actions", "key-names", "roles", "colors", NULL,
};

static void parse_man_template(const char *path, struct man_template *t)
{
	template_path = path;
	char *text = read_file(path);
	const char *slash = strrchr(path, '/');
	t->dir = slash ? strndup(path, (size_t)(slash - path)) : xstrdup(".");
	struct block *b = NULL;
	bool seen_options = false;
	int lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!strncmp(line, "@begin ", 7)) {
			if (b)
				problem(lineno, "@begin inside @begin");
			b = xmalloc(sizeof *b);
			b->kind = xstrdup(line + 7);
			b->line = lineno;
			bool known = false;
			for (size_t i = 0; block_kinds[i]; i++)
				known |= !strcmp(block_kinds[i], b->kind);
			if (!known)
				problem(lineno, "unknown list @begin %s", b->kind);
			if (!strcmp(b->kind, "options") && !seen_options)
				b->first_options = seen_options = true;
			add_piece(t, (struct piece){.block = b, .line = lineno});
		} else if (!strcmp(line, "@end")) {
			if (!b)
				problem(lineno, "@end without @begin");
			b = NULL;
		} else if (!strncmp(line, "@item ", 6)) {
			if (!b || b->nitems == MAX_ENTRIES) {
				problem(lineno, "@item outside a list");
				continue;
			}
			struct item *it = &b->items[b->nitems++];
			char *name = line + 6, *meta = strchr(name, ' ');
			if (meta)
				*meta++ = '\0';
			it->name = xstrdup(name);
			it->metavar = meta && *meta ? xstrdup(meta) : NULL;
			it->line = lineno;
		} else if (b) {
			if (!b->nitems) {
				if (*line && strncmp(line, ".\\\"", 3))
					problem(lineno, "text in a list before its first @item");
				continue;
			}
			append_text(&b->items[b->nitems - 1].text, line);
		} else if (!strncmp(line, "@config ", 8)) {
			add_piece(t, (struct piece){.config = xstrdup(line + 8), .line = lineno});
		} else if (!strncmp(line, "@include-config ", 16)) {
			add_piece(t, (struct piece){.include = xstrdup(line + 16), .line = lineno});
		} else if (line[0] == '@') {
			problem(lineno, "unknown directive %s", line);
		} else {
			add_piece(t, (struct piece){.text = xstrdup(line), .line = lineno});
		}
	}
	if (b)
		problem(b->line, "@begin %s without @end", b->kind);
	free(text);
}

static struct item *block_item(struct block *b, const char *name)
{
	for (size_t i = 0; i < b->nitems; i++)
		if (!strcmp(b->items[i].name, name)) {
			b->items[i].used = true;
			return &b->items[i];
		}
	return NULL;
}

/* Every item of the template's options lists: the options' value names
 * and one-line descriptions (the first sentence, without roff), for the
 * completions; and which list, if any, describes each option. */
static struct block *option_owner[MAX_ENTRIES];

/* One roff line as plain text, appended to out: a font macro's words
 * (".BR threads :" gives "threads:"), text lines with their escapes
 * resolved.  False for any other request, which ends a paragraph. */
static bool plain_line(const char *line, char *out, size_t *o)
{
	const char *p = line;
	bool join = false;   /* .BR and the like: the words are run together */
	if (*p == '.') {
		size_t n = strcspn(p + 1, " ");
		if (n == 1 && (p[1] == 'B' || p[1] == 'I'))
			join = false;
		else if (n == 2 && strchr("BIR", p[1]) && strchr("BIR", p[2]) && p[1] != p[2])
			join = true;
		else
			return false;
		p += 1 + n + strspn(p + 1 + n, " ");
	}
	if (*o && out[*o - 1] != ' ')
		out[(*o)++] = ' ';
	bool quoted = false;
	for (; *p; p++) {
		if (line[0] == '.' && *p == '"') {
			quoted = !quoted;
			continue;
		}
		if (line[0] == '.' && *p == ' ' && !quoted) {
			if (!join)
				out[(*o)++] = ' ';
			continue;
		}
		if (*p == '\\' && p[1]) {
			p++;
			if (*p == 'f' && p[1])
				p++;                      /* \fB \fI \fR \fP */
			else if (*p == '-')
				out[(*o)++] = '-';
			else if (*p == 'e')
				out[(*o)++] = '\\';
			else if (*p == '(' && p[1] && p[2]) {
				out[(*o)++] = p[1] == 'a' && p[2] == 'q' ? '\'' : '"';
				p += 2;
			}
			/* \& \% and the rest: nothing */
			continue;
		}
		out[(*o)++] = *p;
	}
	return true;
}

/* The first sentence of an item's text, without roff and without its full
 * stop. */
static char *plain_first_sentence(const char *roff)
{
	char *out = xmalloc(2 * strlen(roff) + 1);
	size_t o = 0;
	char *copy = xstrdup(roff);
	for (char *line = copy, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!plain_line(line, out, &o))
			break;
	}
	out[o] = '\0';
	free(copy);
	for (char *d = out; (d = strchr(d, '.')); d++)
		if (d[1] == ' ' || !d[1]) {
			*d = '\0';
			break;
		}
	/* " (see ENDPOINT)" points into the page: not for a one-line description */
	for (char *d; (d = strstr(out, " (see ")) && strchr(d, ')');) {
		char *e = strchr(d, ')') + 1;
		memmove(d, e, strlen(e) + 1);
	}
	return out;
}

static void index_options(struct man_template *t)
{
	bool lists_options = false;
	for (size_t p = 0; p < t->n; p++) {
		struct block *b = t->pieces[p].block;
		if (!b || strcmp(b->kind, "options"))
			continue;
		lists_options = true;
		for (size_t i = 0; i < b->nitems; i++) {
			struct item *it = &b->items[i];
			struct option_doc *o = option_named(it->name);
			if (!o) {
				problem(it->line, "option --%s is not one of the program's (tui/cli.c)", it->name);
				continue;
			}
			size_t k = (size_t)(o - options);
			if (option_owner[k]) {
				problem(it->line, "option --%s is described twice", it->name);
				continue;
			}
			option_owner[k] = b;
			o->metavar = it->metavar;
			o->desc = plain_first_sentence(it->text ? it->text : "");
			if (o->takes_value != (it->metavar != NULL))
				problem(it->line, "option --%s %s a value, the item says otherwise", o->name,
				        o->takes_value ? "takes" : "takes no");
		}
	}
	for (size_t k = 0; k < noptions && lists_options; k++)
		if (!option_owner[k])
			problem(0, "option --%s (tui/cli.c) has no @item in an options list", options[k].name);
}

/* ---- man: the lists ---- */

static void emit_item_text(FILE *out, const struct item *it)
{
	if (it && it->text)
		fputs(it->text, out);
}

static void emit_option_heading(FILE *out, const struct option_doc *o)
{
	fputs(".TP\n", out);
	if (o->short_name) {
		char s[3] = {'-', (char)o->short_name, 0};
		roff_word(out, 'B', s, 2);
		fputs(", ", out);
	}
	char l[128];
	snprintf(l, sizeof l, "--%s", o->name);
	roff_word(out, 'B', l, strlen(l));
	if (o->takes_value) {
		fputc(' ', out);
		roff_synopsis(out, o->metavar ? o->metavar : "VALUE");
	}
	fputc('\n', out);
}

static void emit_key_list(FILE *out, const char *keys)
{
	const char *k = keys;
	bool first = true;
	while (*k) {
		size_t n = strcspn(k, " ");
		if (n) {
			if (!first)
				fputs(", ", out);
			roff_word(out, 'B', k, n);
			first = false;
		}
		k += n;
		k += strspn(k, " ");
	}
}

static void emit_block(FILE *out, struct block *b)
{
	if (!strcmp(b->kind, "synopsis")) {
		fputs("\\fBddtree\\fR [\\fIoptions\\fR]\n", out);
		for (size_t c = 0; c < ncommands; c++) {
			fputs(".br\n\\fBddtree\\fR [\\fIoptions\\fR] ", out);
			roff_word(out, 'B', commands[c].name, strlen(commands[c].name));
			if (*commands[c].args) {
				fputc(' ', out);
				roff_synopsis(out, commands[c].args);
			}
			fputc('\n', out);
		}
	} else if (!strcmp(b->kind, "commands")) {
		for (size_t c = 0; c < ncommands; c++) {
			fputs(".TP\n", out);
			roff_word(out, 'B', commands[c].name, strlen(commands[c].name));
			if (*commands[c].args) {
				fputc(' ', out);
				roff_synopsis(out, commands[c].args);
			}
			fputc('\n', out);
			roff_sentence(out, commands[c].help);
			emit_item_text(out, block_item(b, commands[c].name));
		}
	} else if (!strcmp(b->kind, "options")) {
		for (size_t k = 0; k < noptions; k++) {
			struct option_doc *o = &options[k];
			if (option_owner[k] == b) {
				emit_option_heading(out, o);
				emit_item_text(out, block_item(b, o->name));
			} else if (!option_owner[k] && b->first_options) {
				emit_option_heading(out, o);
				fputs("(Not described yet.)\n", out);
			}
		}
	} else if (!strcmp(b->kind, "keys")) {
		for (int a = 0; a < ACT_COUNT; a++) {
			const struct action_info *ai = &action_info[a];
			fputs(".TP\n", out);
			emit_key_list(out, ai->keys);
			fputs("  (", out);
			roff_word(out, 'I', ai->name, strlen(ai->name));
			fputs(")\n", out);
			roff_sentence(out, ai->help);
			if (ai->writes)
				fputs("It writes: refused, and greyed out in the help, when read-only.\n", out);
			emit_item_text(out, block_item(b, ai->name));
		}
	} else if (!strcmp(b->kind, "actions")) {
		for (int a = 0; a < ACT_COUNT; a++) {
			const struct action_info *ai = &action_info[a];
			fputs(".TP\n", out);
			roff_word(out, 'B', ai->name, strlen(ai->name));
			fputc('\n', out);
			roff_sentence(out, ai->help);
			fputs("Default: ", out);
			emit_key_list(out, ai->keys);
			fputs(ai->writes ? ".  It writes data (refused when read-only).\n" : ".\n", out);
			emit_item_text(out, block_item(b, ai->name));
		}
	} else if (!strcmp(b->kind, "colon-commands")) {
		for (size_t c = 0; c < ncolon; c++) {
			const struct module_command *mc = colon[c];
			struct item *it = block_item(b, mc->name);
			fputs(".TP\n", out);
			char head[128];
			snprintf(head, sizeof head, ":%s", mc->name);
			roff_word(out, 'B', head, strlen(head));
			if (*mc->args) {
				fputc(' ', out);
				roff_synopsis(out, mc->args);
			}
			fputc('\n', out);
			if (mc->help)
				roff_sentence(out, mc->help);
			else if (!it)
				problem(b->line, ":%s is not in :help and has no @item saying what it does",
				        mc->name);
			emit_item_text(out, it);
		}
	} else if (!strcmp(b->kind, "key-names")) {
		const char *n;
		for (size_t i = 0; (n = keys_doc_name(i)); i++) {
			char k[64];
			snprintf(k, sizeof k, "<%s>", n);
			fputs(i ? ",\n" : "", out);
			roff_word(out, 'B', k, strlen(k));
		}
		fputs("\n", out);
	} else if (!strcmp(b->kind, "roles") || !strcmp(b->kind, "colors")) {
		bool roles = !strcmp(b->kind, "roles");
		const char *n;
		for (size_t i = 0; (n = roles ? uiconf_doc_role(i) : uiconf_doc_color(i)); i++) {
			fputs(i ? ",\n" : "", out);
			roff_word(out, 'B', n, strlen(n));
		}
		fputs("\n", out);
	}
	for (size_t i = 0; i < b->nitems; i++)
		if (!b->items[i].used && strcmp(b->kind, "options"))
			problem(b->items[i].line, "@item %s: no such entry in the %s table", b->items[i].name,
			        b->kind);
}

/* A config file line, printed for roff and checked with the program's parser. */
static void emit_config_line(FILE *out, const char *line, int lineno, const char *where)
{
	struct keymap km;
	struct uiconf uc;
	char *errors = NULL;
	keymap_defaults(&km);
	memset(&uc, 0, sizeof uc);
	uiconf_parse(line, &km, &uc, &errors);
	if (errors && *errors) {
		errors[strcspn(errors, "\n")] = '\0';
		problem(lineno, "%s%sthe config parser refuses \"%s\": %s", where ? where : "",
		        where ? ": " : "", line, errors);
	}
	free(errors);
	/* as typed: every '-' a minus */
	if (*line == '.' || *line == '\'')
		fputs("\\&", out);
	for (const char *p = line; *p; p++)
		fputs(*p == '-' ? "\\-" : *p == '\\' ? "\\e" : (char[]){*p, 0}, out);
	fputc('\n', out);
}

static const char *docdir = "/usr/local/share/doc/ddtree";

static void subst_version(FILE *out, const char *line)
{
	for (const char *p = line; *p;) {
		if (!strncmp(p, "@VERSION@", 9)) {
			fputs(PACKAGE_VERSION, out);
			p += 9;
		} else if (!strncmp(p, "@DOCDIR@", 8)) {
			/* a long prefix may break after a slash (\: breaks, prints nothing) */
			for (const char *d = docdir; *d; d++)
				fputs(*d == '/' && d[1] ? "/\\:" : *d == '-' ? "\\-" : (char[]){*d, 0}, out);
			p += 8;
		} else {
			fputc(*p++, out);
		}
	}
	fputc('\n', out);
}

static void write_man(FILE *out, struct man_template *t)
{
	for (size_t p = 0; p < t->n; p++) {
		struct piece *pc = &t->pieces[p];
		if (pc->text) {
			subst_version(out, pc->text);
		} else if (pc->block) {
			emit_block(out, pc->block);
		} else if (pc->config) {
			emit_config_line(out, pc->config, pc->line, NULL);
		} else if (pc->include) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", t->dir, pc->include);
			char *text = read_file(path);
			int n = 0;
			for (char *line = text, *next; line && *line; line = next) {
				next = strchr(line, '\n');
				if (next)
					*next++ = '\0';
				char where[4200];
				snprintf(where, sizeof where, "%s line %d", pc->include, ++n);
				emit_config_line(out, line, pc->line, where);
			}
			free(text);
		}
	}
}

/* ---- completions ---- */

/* The words of a synopsis that are arguments, not options: "TABLE PK [SK]
 * [--comment TEXT]" gives TABLE, PK and SK (optional); a bracketed group
 * holding an option is skipped. */
struct positional {
	char word[64];
	bool optional;
};

static size_t positionals(const char *args, struct positional *out, size_t max)
{
	size_t n = 0;
	const char *s = args;
	while (*s && n < max) {
		s += strspn(s, " ");
		if (*s == '[') {
			/* the matching ']': "[--user USER | --documents [--namespace NS]]" */
			const char *end = s;
			for (int depth = 0; *end; end++)
				if (*end == '[')
					depth++;
				else if (*end == ']' && --depth == 0)
					break;
			if (!*end)
				break;
			if (!memmem(s, (size_t)(end - s), "--", 2)) {
				snprintf(out[n].word, sizeof out[n].word, "%.*s", (int)(end - s - 1), s + 1);
				out[n++].optional = true;
			}
			s = end + 1;
			continue;
		}
		size_t w = strcspn(s, " []");
		if (!w)
			break;
		snprintf(out[n].word, sizeof out[n].word, "%.*s", (int)w, s);
		out[n++].optional = false;
		s += w;
	}
	return n;
}

/* A description for a shell: quotes, brackets and colons as the shell wants. */
static void shell_desc(FILE *out, const char *s, const char *special)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", out);
		else if (strchr(special, *p))
			fprintf(out, "\\%c", *p);
		else
			fputc(*p, out);
	}
}

static const char *opt_desc(const struct option_doc *o)
{
	return o->desc && *o->desc ? o->desc : o->name;
}

static void bash_marker(FILE *out, const char *m)
{
	if (!strcmp(m, "VERSION")) {
		fputs(PACKAGE_VERSION, out);
	} else if (!strcmp(m, "COMMANDS")) {
		for (size_t c = 0; c < ncommands; c++)
			fprintf(out, "%s%s", c ? " " : "", commands[c].name);
	} else if (!strcmp(m, "COLON_COMMANDS")) {
		bool first = true;
		for (size_t c = 0; c < ncolon; c++)
			if (colon[c]->help) {
				fprintf(out, "%s%s", first ? "" : " ", colon[c]->name);
				first = false;
			}
	} else if (!strcmp(m, "GLOBAL_OPTIONS")) {
		bool first = true;
		for (size_t k = 0; k < noptions; k++)
			if (options[k].command < 0) {
				if (options[k].short_name)
					fprintf(out, "%s-%c", first ? "" : " ", options[k].short_name), first = false;
				fprintf(out, "%s--%s", first ? "" : " ", options[k].name);
				first = false;
			}
	} else if (!strcmp(m, "OPTION_VALUES")) {
		/* case arms: the value name of each option that takes one */
		for (size_t k = 0; k < noptions; k++) {
			const struct option_doc *o = &options[k];
			if (!o->takes_value)
				continue;
			fputs("\t", out);
			if (o->short_name)
				fprintf(out, "-%c|", o->short_name);
			fprintf(out, "--%s) REPLY='%s' ;;\n", o->name, o->metavar ? o->metavar : "VALUE");
		}
	} else if (!strcmp(m, "COMMAND_SPECS")) {
		/* case arms: each subcommand's arguments and options */
		for (size_t c = 0; c < ncommands; c++) {
			struct positional pos[8];
			size_t np = positionals(commands[c].args, pos, 8);
			fprintf(out, "\t%s) _ddtree_args=(", commands[c].name);
			for (size_t i = 0; i < np; i++)
				fprintf(out, "%s'%s'", i ? " " : "", pos[i].word);
			fputs(") _ddtree_cmd_opts='", out);
			bool first = true;
			for (size_t k = 0; k < noptions; k++)
				if (options[k].command == (int)c) {
					fprintf(out, "%s--%s", first ? "" : " ", options[k].name);
					first = false;
				}
			fputs("' ;;\n", out);
		}
	} else {
		problem(0, "unknown marker @%s@", m);
	}
}

/* zsh: an _arguments spec; values are completed by _ddtree_value META
 * (the template). */
static void zsh_option_spec(FILE *out, const struct option_doc *o, const char *indent)
{
	if (o->short_name)
		fprintf(out, "%s'(-%c --%s)'{-%c%s,--%s%s}'", indent, o->short_name, o->name,
		        o->short_name, o->takes_value ? "+" : "", o->name, o->takes_value ? "=" : "");
	else
		fprintf(out, "%s'--%s%s", indent, o->name, o->takes_value ? "=" : "");
	fputc('[', out);
	shell_desc(out, opt_desc(o), "[]:\\");
	fputc(']', out);
	if (o->takes_value) {
		const char *meta = o->metavar ? o->metavar : "VALUE";
		fputc(':', out);
		shell_desc(out, meta, ":\\");
		fputs(":{_ddtree_value ", out);
		shell_desc(out, meta, "|");
		fputc('}', out);
	}
	fputs("' \\\n", out);
}

static void zsh_marker(FILE *out, const char *m)
{
	if (!strcmp(m, "VERSION")) {
		fputs(PACKAGE_VERSION, out);
	} else if (!strcmp(m, "GLOBAL_OPTION_SPECS")) {
		for (size_t k = 0; k < noptions; k++)
			if (options[k].command < 0)
				zsh_option_spec(out, &options[k], "\t\t");
	} else if (!strcmp(m, "COMMAND_DESCRIPTIONS")) {
		for (size_t c = 0; c < ncommands; c++) {
			fprintf(out, "\t\t'%s:", commands[c].name);
			shell_desc(out, commands[c].help, ":\\");
			fputs("'\n", out);
		}
	} else if (!strcmp(m, "COLON_COMMAND_DESCRIPTIONS")) {
		for (size_t c = 0; c < ncolon; c++)
			if (colon[c]->help) {
				fprintf(out, "\t\t'%s:", colon[c]->name);
				shell_desc(out, colon[c]->help, ":\\");
				fputs("'\n", out);
			}
	} else if (!strcmp(m, "COMMAND_SPECS")) {
		/* case arms: _arguments for each subcommand (the words start at it) */
		for (size_t c = 0; c < ncommands; c++) {
			struct positional pos[8];
			size_t np = positionals(commands[c].args, pos, 8);
			fprintf(out, "\t%s)\n\t\t_arguments -s $global_specs \\\n", commands[c].name);
			for (size_t k = 0; k < noptions; k++)
				if (options[k].command == (int)c)
					zsh_option_spec(out, &options[k], "\t\t\t");
			for (size_t i = 0; i < np; i++) {
				fprintf(out, "\t\t\t'%zu:%s", i + 1, pos[i].optional ? ":" : "");
				shell_desc(out, pos[i].word, ":\\");
				fputs(":{_ddtree_value ", out);
				shell_desc(out, pos[i].word, "|");
				fputs("}' \\\n", out);
			}
			fputs("\t\t\t&& ret=0 ;;\n", out);
		}
	} else {
		problem(0, "unknown marker @%s@", m);
	}
}

static void fish_marker(FILE *out, const char *m)
{
	if (!strcmp(m, "VERSION")) {
		fputs(PACKAGE_VERSION, out);
	} else if (!strcmp(m, "VALUE_OPTIONS")) {
		bool first = true;
		for (size_t k = 0; k < noptions; k++)
			if (options[k].takes_value) {
				if (options[k].short_name)
					fprintf(out, "%s-%c", first ? "" : " ", options[k].short_name), first = false;
				fprintf(out, "%s--%s", first ? "" : " ", options[k].name);
				first = false;
			}
	} else if (!strcmp(m, "COLON_COMMANDS")) {
		bash_marker(out, m);
	} else if (!strcmp(m, "COMMAND_NAMES")) {
		for (size_t c = 0; c < ncommands; c++)
			fprintf(out, "%s%s", c ? " " : "", commands[c].name);
	} else if (!strcmp(m, "COMPLETIONS")) {
		for (size_t c = 0; c < ncommands; c++) {
			fprintf(out, "complete -c ddtree -n __ddtree_no_command -a %s -d '", commands[c].name);
			shell_desc(out, commands[c].help, "\\");
			fputs("'\n", out);
			struct positional pos[8];
			size_t np = positionals(commands[c].args, pos, 8);
			for (size_t i = 0; i < np; i++)
				fprintf(out, "complete -c ddtree -n '__ddtree_argument_is %s %zu' -a "
				        "'(__ddtree_values \"%s\")'\n", commands[c].name, i + 1, pos[i].word);
		}
		for (size_t k = 0; k < noptions; k++) {
			const struct option_doc *o = &options[k];
			fputs("complete -c ddtree", out);
			if (o->command >= 0)
				fprintf(out, " -n '__fish_seen_subcommand_from %s'", commands[o->command].name);
			if (o->short_name)
				fprintf(out, " -s %c", o->short_name);
			fprintf(out, " -l %s", o->name);
			if (o->takes_value) {
				const char *meta = o->metavar ? o->metavar : "VALUE";
				if (!strcmp(meta, "FILE"))
					fputs(" -r -F", out);
				else
					fprintf(out, " -x -a '(__ddtree_values \"%s\")'", meta);
			}
			fputs(" -d '", out);
			shell_desc(out, opt_desc(o), "\\");
			fputs("'\n", out);
		}
	} else {
		problem(0, "unknown marker @%s@", m);
	}
}

static void write_completion(FILE *out, const char *path, void (*marker)(FILE *, const char *))
{
	template_path = path;
	char *text = read_file(path);
	for (const char *p = text; *p;) {
		if (*p == '@') {
			size_t n = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
			if (n && p[1 + n] == '@') {
				char m[64], *buf = NULL;
				size_t len = 0;
				snprintf(m, sizeof m, "%.*s", (int)n, p + 1);
				FILE *mf = open_memstream(&buf, &len);
				marker(mf, m);
				fclose(mf);
				fputs(buf, out);
				/* a list of lines alone on its line: no empty line after it */
				bool alone = (p == text || p[-1] == '\n') && p[n + 2] == '\n';
				p += n + 2;
				if (alone && len && buf[len - 1] == '\n')
					p++;
				free(buf);
				continue;
			}
		}
		fputc(*p++, out);
	}
	free(text);
}

/* Everything goes back (a sanitizer build checks for leaks). */
static void free_man_template(struct man_template *t)
{
	for (size_t p = 0; p < t->n; p++) {
		struct piece *pc = &t->pieces[p];
		free(pc->text);
		free(pc->config);
		free(pc->include);
		if (pc->block) {
			for (size_t i = 0; i < pc->block->nitems; i++) {
				free(pc->block->items[i].name);
				free(pc->block->items[i].metavar);
				free(pc->block->items[i].text);
			}
			free(pc->block->kind);
			free(pc->block);
		}
	}
	free(t->pieces);
	free(t->dir);
	for (size_t k = 0; k < noptions; k++)
		free(options[k].desc);
}

int main(int argc, char **argv)
{
	bool strict = false;
	int a = 1;
	for (; a < argc && !strncmp(argv[a], "--", 2); a++) {
		if (!strcmp(argv[a], "--strict"))
			strict = true;
		else if (!strncmp(argv[a], "--docdir=", 9))
			docdir = argv[a] + 9;
		else
			break;
	}
	bool list = argc - a == 1 && !strcmp(argv[a], "list");
	if (argc - a < 2 && !list) {
		fprintf(stderr, "usage: mkdoc [--strict] [--docdir=DIR] man TEMPLATE\n"
		                "       mkdoc [--strict] bash|zsh|fish TEMPLATE MAN_TEMPLATE\n"
		                "       mkdoc list\n");
		return 2;
	}
	const char *mode = argv[a], *tpl = list ? NULL : argv[a + 1];
	load_tables();
	struct man_template man = {0};
	if (!strcmp(mode, "man")) {
		parse_man_template(tpl, &man);
		index_options(&man);
		write_man(stdout, &man);
	} else if (!strcmp(mode, "bash") || !strcmp(mode, "zsh") || !strcmp(mode, "fish")) {
		if (argc - a < 3) {
			fprintf(stderr, "mkdoc: %s wants the completion template and ddtree.1.in\n", mode);
			return 2;
		}
		parse_man_template(argv[a + 2], &man);
		index_options(&man);
		write_completion(stdout, tpl, !strcmp(mode, "bash") ? bash_marker
		                               : !strcmp(mode, "zsh") ? zsh_marker : fish_marker);
	} else if (!strcmp(mode, "list")) {
		/* what the pages and completions must show, for the tests */
		for (size_t c = 0; c < ncommands; c++)
			printf("command %s\n", commands[c].name);
		for (size_t k = 0; k < noptions; k++)
			if (options[k].short_name)
				printf("option %s -%c\n", options[k].name, options[k].short_name);
			else
				printf("option %s\n", options[k].name);
		for (int i = 0; i < ACT_COUNT; i++)
			printf("action %s\n", action_info[i].name);
		for (size_t c = 0; c < ncolon; c++)
			printf("colon %s%s\n", colon[c]->name, colon[c]->help ? "" : " hidden");
		const char *n;
		for (size_t i = 0; (n = keys_doc_name(i)); i++)
			printf("key <%s>\n", n);
		for (size_t i = 0; (n = uiconf_doc_role(i)); i++)
			printf("role %s\n", n);
		for (size_t i = 0; (n = uiconf_doc_color(i)); i++)
			printf("color %s\n", n);
	} else {
		fprintf(stderr, "mkdoc: unknown mode %s\n", mode);
		return 2;
	}
	free_man_template(&man);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "mkdoc: write error\n");
		return 2;
	}
	return strict && problems ? 1 : 0;
}
