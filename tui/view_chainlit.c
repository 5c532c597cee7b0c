/* tui/view_chainlit.c: the Chainlit module: users and their threads in the
 * tree (tui/chainlit_nodes.c), a conversation's steps in the list pane
 * (tui/chainlit_steps.c), feedback editing (tui/chainlit_feedback.c); here
 * its ':' commands and its entry in the module table. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/chainlit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the module and its commands ----------------------------------------------------- */

static void thread_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	struct cl_state *st = chainlit_state(ui);
	if (!st->root) {
		ui_message(ui, true, "no Chainlit table (pass --chainlit-table)");
		return;
	}
	if (!*arg) {
		ui_message(ui, true, ":thread THREAD_ID");
		return;
	}
	/* a thread already in the tree: put the tree's cursor on it too */
	struct tnode *found = chainlit_find_thread(st->root, arg);
	ui_show_list(ui, chainlit_steps_new(ui, arg));
	if (found)
		tree_point_at(ui, found);   /* without the focus: the steps have it */
	ui->focus = 1;
}

static void table_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	/* switch tables: the Conversations node is rebuilt for the new one */
	if (!*arg) {
		ui_message(ui, true, ":chainlit-table TABLE");
		return;
	}
	free(ui->s->chainlit_table);
	ui->s->chainlit_table = util_xstrdup(arg);
	chainlit_forget_table(ui);
	ui_show_list(ui, NULL);
	chainlit_roots(ui);
	tree_changed(ui);
	ui_message(ui, false, "now using %s", arg);
}

static void user_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	struct cl_state *st = chainlit_state(ui);
	if (!st->root || !*arg) {
		ui_message(ui, true, st->root ? ":user IDENTIFIER" : "no Chainlit table (pass --chainlit-table)");
		return;
	}
	/* a node for that user under Conversations, opened (a user the
	 * Scan has not reached yet, or one that has no USER item) */
	struct tnode *found = NULL;
	for (size_t i = 0; i < st->root->nkids && !found; i++)
		if (st->root->kids[i]->ops == &chainlit_user_ops && st->root->kids[i]->id &&
		    !strcmp(st->root->kids[i]->id, arg))
			found = st->root->kids[i];
	if (!found) {
		struct user_node *u = util_xcalloc(1, sizeof *u);
		u->identifier = util_xstrdup(arg);
		u->by_command = true;
		found = tnode_new(arg, &chainlit_user_ops, u);
		found->id = util_xstrdup(arg);
		tnode_add(st->root, found);
		json_object_set_new(st->listed, arg, json_true());
		json_object_set_new(st->pending, arg, json_true());
	}
	if (!st->root->loaded && !st->root->loading)
		st->hold_scan = true;   /* see conversations_expand */
	st->root->expanded = true;
	tree_reveal(ui, found);
	st->hold_scan = false;
}

static void only_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	struct cl_state *st = chainlit_state(ui);
	if (!st->root) {
		ui_message(ui, true, "no Chainlit table");
		return;
	}
	st->only = !strcmp(arg, "negative") ? ONLY_NEGATIVE : !strcmp(arg, "comments") ? ONLY_COMMENTS
	         : ONLY_ALL;
	if (strcmp(arg, "negative") && strcmp(arg, "comments") && strcmp(arg, "all"))
		ui_message(ui, true, ":only negative|comments|all");
	else if (!st->counts_done)
		ui_message(ui, false, "feedback counts are still loading; the filter applies once they are in");
	/* the root says which threads it shows */
	free(st->root->label);
	st->root->label = util_xasprintf("Conversations%s  (%s)",
	                                 st->only == ONLY_NEGATIVE ? " [only: thumbs down]"
	                                 : st->only == ONLY_COMMENTS ? " [only: with comments]" : "",
	                                 st->table);
	chainlit_relabel_all(st, st->root);
	tree_changed(ui);
}

static void chainlit_header(const struct ui *ui, char *buf, size_t len)
{
	const struct session *s = ui->s;
	snprintf(buf, len, "%s%s", s->chainlit_table ? "  chainlit:" : "",
	         s->chainlit_table ? s->chainlit_table : "");
}

static bool chainlit_ready(const struct ui *ui)
{
	return ui->s->chainlit_table != NULL;
}

static const struct module_command chainlit_commands[] = {
	{"user", "IDENTIFIER", "a user's threads, before the users are read", true, user_command},
	{"thread", "THREAD_ID", "a conversation's steps, with feedback", true, thread_command},
	{"only", "negative|comments|all", "threads with thumbs down, comments, or all", true,
	 only_command},
	{"chainlit-table", "TABLE", "switch to another Chainlit table", false, table_command},
	{NULL, NULL, NULL, false, NULL},
};

const struct module chainlit_module = {
	.name = "chainlit",
	.commands = chainlit_commands,
	.init = chainlit_init,
	.destroy = chainlit_destroy,
	.roots = chainlit_roots,
	.header = chainlit_header,
	.ready = chainlit_ready,
};
