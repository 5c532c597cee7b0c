/* tui/chainlit.h: what the files of the Chainlit module share.  The
 * module is view_chainlit.c (its commands, its table entry) over
 * chainlit_nodes.c (the tree's nodes and the module's state), over
 * chainlit_steps.c (a conversation's steps and their feedback keys), over
 * chainlit_feedback.c (the writes, the form, the conflict view): each calls
 * only those below it; what a write changes above it (the counts in the
 * tree, the steps on the screen) it reaches through the state's hooks. */
#ifndef DDTREE_TUI_CHAINLIT_H
#define DDTREE_TUI_CHAINLIT_H

#include <stdbool.h>
#include <jansson.h>

#include "model/feedback.h"
#include "tui/tree.h"

/* The module's state: the table in use and what belongs to it (feedback
 * counts per thread, read by the same background Scan as the users: one
 * read of the table, not two).  Made by the module's init hook, freed by its
 * destroy hook; what belongs to a table is dropped when the table changes
 * (chainlit_forget_table). */
struct cl_state {
	char *table;
	struct fb_tally counts;  /* per thread */
	bool counts_done;
	bool hold_scan;          /* :user: start that Scan after the user's first page */
	bool scan_held;          /* Conversations opened while held */
	json_t *listed;          /* identifiers of the user nodes (the Scan skips them) */
	json_t *pending;         /* identifiers :user added a node for, no USER item seen yet */
	bool users_done;         /* the Scan went through without an error */
	enum { ONLY_ALL, ONLY_NEGATIVE, ONLY_COMMENTS } only;
	struct tnode *root;      /* Conversations, or NULL (no table yet) */
	struct ui *ui;
	json_t *drafts;          /* "thread\nstep" -> typed comment kept after errors */
	/* After a write: a step's feedback went from `before` to `after`
	 * (attribute values, NULL for none): the thread's counts follow.  The
	 * step as stored now (the item the write returned) replaces it on the
	 * screen, or, when no item came back (an error), the thread's steps, if
	 * on the screen, are read again. */
	void (*counts_update)(struct ui *ui, const char *thread_id, const json_t *before,
	                      const json_t *after);
	void (*step_update)(struct ui *ui, const char *thread_id, const json_t *item);
	void (*reshow)(struct ui *ui, const char *thread_id);
	/* Backspace at the top of a thread's steps: the list the thread is in,
	 * its row selected (false: the thread is in no list). */
	bool (*steps_back)(struct ui *ui, const char *thread_id);
};

/* The module's state, in its slot (there from start to end). */
static inline struct cl_state *chainlit_state(struct ui *ui)
{
	return *ui_module_slot(ui, "chainlit");
}

/* ---- tui/chainlit_nodes.c ---- */

/* ---- users --------------------------------------------------------------------- */

struct user_node {
	char *identifier;
	char *created;           /* "YYYY-MM-DD HH:MM" local, or NULL */
	bool by_command;         /* added by :user, no USER item seen (yet) */
	bool no_threads;         /* its load found no thread */
};

extern const struct tnode_ops chainlit_thread_ops, chainlit_user_ops;
/* The module's init and destroy hooks. */
void chainlit_init(struct ui *ui);
void chainlit_destroy(struct ui *ui);
/* The Conversations root, when there is a Chainlit table and it is not
 * there yet. */
void chainlit_roots(struct ui *ui);
/* Another table: the Conversations root goes (with what it loads), and
 * so does what the state knows of the old table. */
void chainlit_forget_table(struct ui *ui);
/* The thread node of that id under n, or NULL. */
struct tnode *chainlit_find_thread(struct tnode *n, const char *thread_id);
/* Label every thread node under n again (counts, :only). */
void chainlit_relabel_all(struct cl_state *st, struct tnode *n);

/* ---- tui/chainlit_steps.c ---- */

/* The steps of a thread (a list view; it starts loading). */
struct view *chainlit_steps_new(struct ui *ui, const char *thread_id);
/* Read the steps again if this thread's are on the screen. */
void chainlit_steps_reshow(struct ui *ui, const char *thread_id);
/* A step of this thread as stored now (a write's answer): shown in place
 * if the thread's steps are on the screen (read again if it is not
 * among them, or if they are loading). */
void chainlit_steps_update(struct ui *ui, const char *thread_id, const json_t *item);

/* ---- tui/chainlit_feedback.c ---- */

/* A feedback write: what is written, conditional on `seen`. */
/* ---- feedback ------------------------------------------------------------------------ */

struct fb_ctx {
	struct ui *ui;
	char *table;             /* the table written (set by chainlit_fb_write) */
	char *thread_id, *step_id;
	int value;
	char *comment;           /* NULL: none */
	bool is_delete;
	json_t *seen;            /* the feedback the write is conditional on */
};

void chainlit_fb_free(struct fb_ctx *c);
/* Write it (c is taken); the status line says how it went. */
void chainlit_fb_write(struct fb_ctx *c);
/* ui_confirm's answer to "delete the feedback?" (ud: the fb_ctx). */
void chainlit_fb_delete_answer(struct ui *ui, bool yes, void *ud);
/* The key of a draft in cl_state.drafts (malloc'd). */
char *chainlit_draft_key(const char *thread_id, const char *step_id);
/* The form on a step's feedback (an overlay); value 1 up, 0 down, else
 * none chosen (seen holds an invalid one). */
void chainlit_form_open(struct ui *ui, const char *thread_id, const char *step_id,
                        const char *label, const json_t *seen, int value, const char *comment);

#endif
