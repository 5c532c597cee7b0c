/* tui/cli.h: the command line: options, the subcommand table, dispatch
 * to tui/cmd_*.c or the browser. */
#ifndef DDTREE_TUI_CLI_H
#define DDTREE_TUI_CLI_H

#include "tui/out.h"

int cli_main(int argc, char **argv);

#endif
