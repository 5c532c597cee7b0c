/* tui/cmd_stache.c: subcommands for stache data (placeholder until implemented). */
#include "ddconfig.h"

#include "tui/cmd.h"

int cmd_namespaces(struct cli *cl, struct session *s)
{
	(void)cl;
	(void)s;
	return cli_fail(EXIT_USAGE, "namespaces: not implemented yet");
}

int cmd_documents(struct cli *cl, struct session *s)
{
	(void)cl;
	(void)s;
	return cli_fail(EXIT_USAGE, "documents: not implemented yet");
}

