/* tui/module.h: what one kind of data brings to the browser (tig's views[]
 * table, tmux's cmd_table[]): its name, its ':' commands with their
 * arguments and help, its roots in the tree, its header fields.  The list
 * of modules is tui/modules.c; the frame reaches a module only through
 * this struct, so that adding a kind of data is one entry there plus its
 * own file.  A module keeps its state in its slot (ui_module_slot), made
 * by its init hook and freed by its destroy hook. */
#ifndef DDTREE_TUI_MODULE_H
#define DDTREE_TUI_MODULE_H

#include <stdbool.h>
#include <stddef.h>

struct ui;
struct lines;

struct module_command {
	const char *name;        /* typed as ":name ARGS" */
	const char *args;        /* "ID", "negative|comments|all"; "" for none */
	const char *help;        /* its line in :help and the README; NULL: not listed
	                            (aliases, commands for scripts) */
	/* It needs the module's tables: a -c command waits for the start-up
	 * table list when they were not named on the command line. */
	bool needs_tables;
	/* Run it; `name` is the command as typed, `arg` the rest ("" for none). */
	void (*run)(struct ui *ui, const char *name, const char *arg);
};

struct module {
	const char *name;                        /* also the name of its state slot */
	const struct module_command *commands;   /* ended by a row with no name; may be NULL */
	/* Make its state (in its slot, ui_module_slot) when the browser starts,
	 * before any root; free it when the browser ends, once the views and
	 * the tree are gone and no callback is left to run.  May be NULL. */
	void (*init)(struct ui *ui);
	void (*destroy)(struct ui *ui);
	/* Add its roots to the tree when its tables are known; called at start
	 * and again when the table list arrives (so it does nothing when its
	 * roots are there).  May be NULL. */
	void (*roots)(struct ui *ui);
	/* Append its header fields ("  chainlit:TABLE") to buf.  May be NULL. */
	void (*header)(const struct ui *ui, char *buf, size_t len);
	/* Are its tables known (named or detected)?  NULL: it needs none. */
	bool (*ready)(const struct ui *ui);
};

/* The command called `name` among those of n modules, or NULL. */
const struct module_command *module_command_find(const struct module *const *mods, size_t n,
                                                 const char *name);
/* Can the ':' command `line` ("user alice") run now?  One that needs its
 * module's tables waits until they are known, or until the start-up table
 * list has come (ui->tables_known); any other can. */
bool module_command_ready(const struct ui *ui, const char *line);
/* :help's lines for the commands of n modules, one per listed command. */
void module_help(struct lines *out, const struct module *const *mods, size_t n);

#endif
