/* tui/cli.h: command-line parsing and the subcommands for scripts. */
#ifndef DDTREE_TUI_CLI_H
#define DDTREE_TUI_CLI_H

/* Exit codes, documented in the README and --help. */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEMS = 1,   /* problems found, or not found */
	EXIT_USAGE = 2,
	EXIT_AWS = 3,        /* AWS or network error */
	EXIT_CONFLICT = 4,   /* a conditional write lost to a concurrent change */
};

int cli_main(int argc, char **argv);

#endif
