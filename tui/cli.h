/* tui/cli.h: command-line parsing and the subcommands for scripts. */
#ifndef DDTREE_TUI_CLI_H
#define DDTREE_TUI_CLI_H

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

#endif
