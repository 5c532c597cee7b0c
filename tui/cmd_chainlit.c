/* tui/cmd_chainlit.c: subcommands for chainlit data (placeholder until implemented). */
#include "ddconfig.h"

#include "tui/cmd.h"

int cmd_users(struct cli *cl, struct session *s)
{
	(void)cl;
	(void)s;
	return cli_fail(EXIT_USAGE, "users: not implemented yet");
}

int cmd_threads(struct cli *cl, struct session *s)
{
	(void)cl;
	(void)s;
	return cli_fail(EXIT_USAGE, "threads: not implemented yet");
}

int cmd_thread(struct cli *cl, struct session *s)
{
	(void)cl;
	(void)s;
	return cli_fail(EXIT_USAGE, "thread: not implemented yet");
}

int cmd_feedback(struct cli *cl, struct session *s)
{
	(void)cl;
	(void)s;
	return cli_fail(EXIT_USAGE, "feedback: not implemented yet");
}

