/* tui/cli.h: command-line parsing and the subcommands for scripts. */
#ifndef DDTREE_TUI_CLI_H
#define DDTREE_TUI_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes, documented in the README and --help. */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEMS = 1,   /* not found, or check found problems (what is found
	                        with problems is EXIT_OK: they are listed) */
	EXIT_USAGE = 2,      /* usage or configuration error, read-only refusal */
	EXIT_AWS = 3,        /* AWS or network error, a missing table included */
	EXIT_CONFLICT = 4,   /* a conditional write lost to a concurrent change */
};

int cli_main(int argc, char **argv);

/* The subcommand table and the options as the parser knows them, for the
 * manual page and the shell completions (man/mkdoc.c generates them from
 * these): the i-th subcommand (its name, the synopsis of its arguments,
 * its help) and the i-th long option (its name, whether it takes a value,
 * its one-letter form or 0).  Both return false past the end. */
bool cli_doc_command(size_t i, const char **name, const char **args, const char **help);
bool cli_doc_option(size_t i, const char **name, bool *takes_value, int *short_name);

#endif
