/* tui/view_chainlit.c: Chainlit in the browser: users and their threads in
 * the tree, a conversation's steps as a collapsible tree in the list pane,
 * and feedback editing (form, quick up/down, delete, conflicts). */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/tree.h"
#include "tui/text.h"
#include "tui/detail.h"
#include "tui/lineedit.h"
#include "model/chainlit.h"
#include "model/feedback.h"
#include "model/timefmt.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREAD_PAGE 50

/* Per-table state: feedback counts per thread, read by the same background
 * Scan as the users (one read of the table, not two). */
struct cl_state {
	char *table;
	json_t *counts;          /* thread id -> [up, down, comments] */
	bool counts_done;
	bool hold_scan;          /* :user: start that Scan after the user's first page */
	bool scan_held;          /* Conversations opened while held */
	json_t *listed;          /* identifiers of the user nodes (the Scan skips them) */
	json_t *pending;         /* identifiers :user added a node for, no USER item seen yet */
	bool users_done;         /* the Scan went through without an error */
	enum { ONLY_ALL, ONLY_NEGATIVE, ONLY_COMMENTS } only;
	struct tnode *root;
	struct ui *ui;
	json_t *drafts;          /* "thread\nstep" -> typed comment kept after errors */
};

/* The module's state, in its slot (NULL when there is no Chainlit table). */
static struct cl_state *state(struct ui *ui)
{
	return *ui_module_slot(ui, "chainlit");
}

/* ---- thread nodes ----------------------------------------------------------- */

struct thread_node {
	char *thread_id;
	char *name;
	char *created;
};

static void free_thread_node(void *d)
{
	struct thread_node *t = d;
	free(t->thread_id);
	free(t->name);
	free(t->created);
	free(t);
}

static struct view *steps_view_new(struct ui *ui, const char *thread_id);

static struct view *thread_list(struct ui *ui, struct tnode *n)
{
	struct thread_node *t = n->data;
	return steps_view_new(ui, t->thread_id);
}

static const struct tnode_ops thread_ops = {.list = thread_list, .free_data = free_thread_node};

/* label: "2026-04-24 13:05  name  +2 -1 c1" */
static void thread_label(struct cl_state *st, struct tnode *n)
{
	struct thread_node *t = n->data;
	char counts[64] = "";
	/* counts only once the Scan is through: a partial count would mislead */
	json_t *c = st->counts && st->counts_done ? json_object_get(st->counts, t->thread_id) : NULL;
	long up = c ? (long)json_integer_value(json_array_get(c, 0)) : 0;
	long down = c ? (long)json_integer_value(json_array_get(c, 1)) : 0;
	long com = c ? (long)json_integer_value(json_array_get(c, 2)) : 0;
	/* the counts come before the name, which the pane may cut */
	if (up || down)
		snprintf(counts, sizeof counts, " +%ld-%ld%s", up, down, com ? "\xe2\x9c\x8e" : "");
	free(n->label);
	if (asprintf(&n->label, "%s%s  %s", t->created ? t->created : "?", counts,
	             t->name ? t->name : "(no name)") < 0)
		n->label = strdup("?");
	n->role = down ? ROLE_DOWN : up ? ROLE_UP : t->name ? ROLE_NORMAL : ROLE_PROBLEM;
	n->feedback_mark = up || down ? 1 : -1;
	/* the :only filter */
	bool show = st->only == ONLY_ALL || !st->counts_done ||
	            (st->only == ONLY_NEGATIVE && down > 0) || (st->only == ONLY_COMMENTS && com > 0);
	n->hidden = !show;
}

static void relabel_all(struct cl_state *st, struct tnode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		if (n->kids[i]->ops == &thread_ops)
			thread_label(st, n->kids[i]);
		relabel_all(st, n->kids[i]);
	}
}

/* Set a thread node from a decoded thread (an index item or the full item). */
static void thread_fill(struct cl_state *st, struct tnode *n, const struct cl_thread *th)
{
	struct thread_node *t = n->data;
	free(t->name);
	t->name = th->name ? strdup(th->name) : NULL;
	free(t->created);
	t->created = NULL;
	int64_t us;
	if (th->created_at && time_parse(th->created_at, &us)) {
		char buf[32];
		time_format(us, buf, sizeof buf);
		buf[16] = '\0';   /* minutes are enough in the tree */
		t->created = strdup(buf);
	}
	tnode_set_item(n, th->raw);
	free(n->problems);
	n->problems = th->problems.n ? problems_join(&th->problems) : NULL;
	thread_label(st, n);
}

static struct tnode *thread_node_new(struct cl_state *st, const struct cl_thread *th)
{
	struct thread_node *t = calloc(1, sizeof *t);
	if (!t)
		abort();
	t->thread_id = strdup(th->id ? th->id : "?");
	struct tnode *n = tnode_new("", &thread_ops, t);
	n->id = strdup(t->thread_id);
	thread_fill(st, n, th);
	return n;
}

/* ---- paging threads into a node ---------------------------------------------- */

/* A page of a user's threads is drawn from the index page alone (time, name
 * and id are all in the UserThread projection), so the first screen costs
 * one Query; the BatchGetItem of the full THREAD items then fills in each
 * node's raw item and problems, and only after it the next page may load. */
struct threads_load {
	struct ui *ui;
	struct tnode *node;      /* the user (or "no user") node */
	int generation;
	struct pager *pager;
	struct tnode *more;      /* the "more..." node while one is shown; it owns us */
	bool busy;               /* a page or a fetch is in flight */
	struct tnode **partial;  /* nodes drawn from index items, waiting for their item */
	size_t npartial;
};

static void threads_load_free(struct threads_load *L)
{
	pager_free(L->pager);
	free(L->partial);
	free(L);
}

/* The "more..." node owns the loader between pages; when it is freed (quit,
 * reload) with nothing in flight the loader goes too, else the answer in
 * flight finds its node gone and frees it. */
static void more_free(void *d)
{
	struct threads_load *L = d;
	L->more = NULL;
	if (L->busy)
		return;
	threads_load_free(L);
}

static void threads_next(struct threads_load *L);

static struct view *more_list(struct ui *ui, struct tnode *n)
{
	/* selecting "more..." loads the next page: paging as you scroll */
	struct threads_load *L = n->data;
	(void)ui;
	if (L && !L->busy && !pager_done(L->pager)) {
		free(n->label);
		n->label = strdup("loading more...");
		threads_next(L);
		tree_changed(L->ui);
	}
	return NULL;
}

static const struct tnode_ops more_ops = {.list = more_list, .free_data = more_free};

static void scan_when_held(struct cl_state *st);
static void user_loaded(struct cl_state *st, struct tnode *n, bool more);

/* A page is complete (or failed): offer the next one, report the error. */
static void page_finished(struct threads_load *L, const struct ddb_error *err)
{
	struct ui *ui = L->ui;
	L->busy = false;
	bool more = !err && !pager_done(L->pager);
	if (more) {
		L->more = tnode_new("more... (loads as you scroll)", &more_ops, L);
		L->more->role = ROLE_DIM;
		L->more->autoload = true;
		tnode_add(L->node, L->more);
	}
	if (err) {
		char msg[512];
		snprintf(msg, sizeof msg, "threads: %s%s%s", err->code ? err->code : "", err->code ? ": " : "",
		         err->message ? err->message : ddb_error_kind_text(err->kind));
		tree_loaded(ui, L->node, msg);
	} else {
		tree_loaded(ui, L->node, NULL);
		if (state(ui))
			user_loaded(state(ui), L->node, more);
	}
	if (state(ui))
		scan_when_held(state(ui));
	if (!more)
		threads_load_free(L);
}

static void thread_fill(struct cl_state *st, struct tnode *n, const struct cl_thread *th);

static void fetched(struct cl_threads *threads, const struct ddb_error *err, void *ud)
{
	struct threads_load *L = ud;
	struct ui *ui = L->ui;
	if (!tree_alive(ui, L->node, L->generation) || !state(ui)) {
		if (threads) {
			cl_threads_free(threads);
			free(threads);
		}
		L->busy = false;
		if (!L->more)
			threads_load_free(L);
		return;
	}
	/* one thread per index item, in their order: complete the nodes */
	for (size_t i = 0; threads && i < threads->n && i < L->npartial; i++)
		thread_fill(state(ui), L->partial[i], &threads->v[i]);
	if (threads) {
		cl_threads_free(threads);
		free(threads);
	}
	L->npartial = 0;
	page_finished(L, err);
}

static void threads_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct threads_load *L = ud;
	struct ui *ui = L->ui;
	if (!tree_alive(ui, L->node, L->generation) || !state(ui)) {
		L->busy = false;
		if (!L->more)
			threads_load_free(L);
		return;
	}
	if (L->more) {
		L->more->data = NULL;    /* keep the loader: it goes on */
		tnode_delete(L->more);   /* the new page goes where it was */
		L->more = NULL;
		tree_changed(ui);
	}
	if (err) {
		page_finished(L, err);
		return;
	}
	/* Chainlit's search filter can give empty pages with more to come */
	if (!json_array_size(items) && !pager_done(p)) {
		threads_next(L);
		return;
	}
	struct cl_state *st = state(ui);
	struct cl_threads page = {0};
	cl_threads_add(&page, items);
	json_t *want = json_array();
	L->partial = realloc(L->partial, (page.n ? page.n : 1) * sizeof *L->partial);
	if (!L->partial)
		abort();
	L->npartial = 0;
	for (size_t i = 0; i < page.n; i++) {
		struct tnode *n = thread_node_new(st, &page.v[i]);
		tnode_add(L->node, n);
		if (page.v[i].from_index) {
			L->partial[L->npartial++] = n;
			json_array_append(want, json_array_get(items, i));
		}
	}
	cl_threads_free(&page);
	/* drawn now; the full items follow */
	tree_loaded(ui, L->node, NULL);
	if (L->npartial)
		cl_threads_fetch(ui->s, st->table, want, fetched, L);
	else
		page_finished(L, NULL);
	json_decref(want);
}

static void threads_next(struct threads_load *L)
{
	if (pager_next(L->pager, threads_page, L))
		L->busy = true;
}

static void start_threads(struct ui *ui, struct tnode *n, struct pager *p)
{
	struct threads_load *L = calloc(1, sizeof *L);
	if (!L)
		abort();
	L->ui = ui;
	L->node = n;
	L->generation = n->generation;
	L->pager = p;
	threads_next(L);
}

/* ---- users --------------------------------------------------------------------- */

struct user_node {
	char *identifier;
	bool by_command;         /* added by :user, no USER item seen (yet) */
	bool no_threads;         /* its load found no thread */
};

static void free_user_node(void *d)
{
	struct user_node *u = d;
	free(u->identifier);
	free(u);
}

static void user_expand(struct ui *ui, struct tnode *n)
{
	struct user_node *u = n->data;
	start_threads(ui, n, cl_user_threads_pager(ui->s, state(ui)->table, u->identifier, NULL,
	                                           THREAD_PAGE));
}

static const struct tnode_ops user_ops = {.expand = user_expand, .free_data = free_user_node};

/* A node :user added for an identifier with no USER item and no thread
 * is kept (threads may come), but the status line says so, once both the
 * user's load and the users Scan are through. */
static void say_no_user(struct cl_state *st, struct tnode *n)
{
	struct user_node *u = n->data;
	if (n->ops == &user_ops && u->by_command && u->no_threads && !n->item_text && st->users_done)
		ui_message(st->ui, false, "no user %s and no threads for it", u->identifier);
}

static void user_loaded(struct cl_state *st, struct tnode *n, bool more)
{
	if (n->ops != &user_ops)
		return;
	struct user_node *u = n->data;
	u->no_threads = !more && !n->nkids;
	say_no_user(st, n);
}

static void unowned_expand(struct ui *ui, struct tnode *n)
{
	/* Scan pages hold THREAD items already: decode them directly */
	start_threads(ui, n, cl_unowned_threads_pager(ui->s, state(ui)->table, NULL, THREAD_PAGE));
}

static const struct tnode_ops unowned_ops = {.expand = unowned_expand};

struct users_load {
	struct ui *ui;
	struct tnode *node;
	int generation;
	struct pager *pager;
	long n;
};

/* Feedback counts from the steps of a Scan page. */
static void count_feedback(struct cl_state *st, const json_t *steps_items)
{
	struct cl_steps steps = {0};
	cl_steps_add(&steps, steps_items);
	for (size_t i = 0; i < steps.n; i++) {
		struct cl_step *s = &steps.v[i];
		if (!s->has_feedback || !s->thread_id)
			continue;
		json_t *c = json_object_get(st->counts, s->thread_id);
		if (!c) {
			c = json_pack("[i,i,i]", 0, 0, 0);
			json_object_set_new(st->counts, s->thread_id, c);
		}
		int slot = s->feedback.vote == 1 ? 0 : s->feedback.vote == 0 ? 1 : -1;
		if (slot >= 0)
			json_array_set_new(c, (size_t)slot,
			                   json_integer(json_integer_value(json_array_get(c, (size_t)slot)) + 1));
		if (s->feedback.comment && *s->feedback.comment)
			json_array_set_new(c, 2, json_integer(json_integer_value(json_array_get(c, 2)) + 1));
	}
	cl_steps_free(&steps);
}

static void add_users(struct cl_state *st, struct users_load *L, const json_t *items)
{
	struct cl_users us = {0};
	cl_users_add(&us, items);
	for (size_t i = 0; i < us.n; i++) {
		/* :user may have added this one already; a set, not a walk of the
		 * children: a table can hold many thousands of users */
		const char *ident = us.v[i].identifier;
		if (ident && json_object_get(st->pending, ident)) {
			/* the node :user added: it has a USER item after all */
			json_object_del(st->pending, ident);
			for (size_t k = 0; k < st->root->nkids; k++) {
				struct tnode *n = st->root->kids[k];
				if (n->ops != &user_ops || !n->id || strcmp(n->id, ident))
					continue;
				((struct user_node *)n->data)->by_command = false;
				tnode_set_item(n, us.v[i].raw);
				if (us.v[i].problems.n && !n->problems) {
					n->problems = problems_join(&us.v[i].problems);
					n->role = ROLE_PROBLEM;
				}
				break;
			}
		}
		if (ident && json_object_get(st->listed, ident))
			continue;
		if (ident)
			json_object_set_new(st->listed, ident, json_true());
		struct user_node *u = calloc(1, sizeof *u);
		if (!u)
			abort();
		u->identifier = strdup(ident ? ident : "?");
		struct tnode *k = tnode_new(u->identifier, &user_ops, u);
		k->id = strdup(u->identifier);
		tnode_set_item(k, us.v[i].raw);
		if (us.v[i].problems.n) {
			k->problems = problems_join(&us.v[i].problems);
			k->role = ROLE_PROBLEM;
		}
		tnode_add(L->node, k);
		L->n++;
	}
	cl_users_free(&us);
}

static void users_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct users_load *L = ud;
	struct ui *ui = L->ui;
	if (!tree_alive(ui, L->node, L->generation) || !state(ui)) {
		pager_free(p);
		free(L);
		return;
	}
	struct cl_state *st = state(ui);
	if (err) {
		char msg[512];
		snprintf(msg, sizeof msg, "users: %s%s%s", err->code ? err->code : "", err->code ? ": " : "",
		         err->message ? err->message : ddb_error_kind_text(err->kind));
		st->counts_done = true;
		relabel_all(st, st->root);
		tree_loaded(ui, L->node, msg);
		pager_free(p);
		free(L);
		return;
	}
	json_t *users = json_array(), *steps = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		json_array_append(cl_item_kind(it) == CL_ITEM_USER ? users : steps, it);
	add_users(st, L, users);
	count_feedback(st, steps);
	json_decref(users);
	json_decref(steps);
	if (!pager_done(p) && pager_next(p, users_page, L)) {
		tree_changed(ui);
		return;
	}
	tnode_add(L->node, tnode_new("(threads with no user)", &unowned_ops, NULL));
	L->node->kids[L->node->nkids - 1]->role = ROLE_DIM;
	st->counts_done = true;
	st->users_done = true;
	relabel_all(st, st->root);
	tree_loaded(ui, L->node, NULL);
	if (json_object_size(st->pending))
		for (size_t k = 0; k < st->root->nkids; k++)
			say_no_user(st, st->root->kids[k]);
	pager_free(p);
	free(L);
}

/* The users and the feedback counts: one Scan, in the background. */
static void start_scan(struct ui *ui, struct tnode *n)
{
	struct cl_state *st = state(ui);
	struct users_load *L = calloc(1, sizeof *L);
	if (!L)
		abort();
	L->ui = ui;
	L->node = n;
	L->generation = n->generation;
	json_object_clear(st->counts);
	st->counts_done = false;
	st->users_done = false;
	st->scan_held = false;
	json_object_clear(st->listed);
	json_object_clear(st->pending);
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->ops == &user_ops && n->kids[i]->id) {
			json_object_set_new(st->listed, n->kids[i]->id, json_true());
			if (((struct user_node *)n->kids[i]->data)->by_command && !n->kids[i]->item_text)
				json_object_set_new(st->pending, n->kids[i]->id, json_true());
		}
	L->pager = cl_users_and_feedback_pager(ui->s, st->table, 0);
	pager_next(L->pager, users_page, L);
}

static void conversations_expand(struct ui *ui, struct tnode *n)
{
	struct cl_state *st = state(ui);
	if (st->hold_scan) {
		/* :user opened Conversations: that user's first page comes first,
		 * then the full-table Scan (which would slow it down) */
		st->hold_scan = false;
		st->scan_held = true;
		return;
	}
	start_scan(ui, n);
}

static void scan_when_held(struct cl_state *st)
{
	if (!st->scan_held)
		return;
	st->scan_held = false;
	start_scan(st->ui, st->root);
}

static void free_state(void *d)
{
	struct cl_state *st = d;
	if (st->ui)
		*ui_module_slot(st->ui, "chainlit") = NULL;
	json_decref(st->counts);
	json_decref(st->listed);
	json_decref(st->pending);
	json_decref(st->drafts);
	free(st->table);
	free(st);
}

static const struct tnode_ops conversations_ops = {.expand = conversations_expand,
                                                   .free_data = free_state};

static void chainlit_tree_roots(struct ui *ui)
{
	if (state(ui) || !ui->s->chainlit_table)
		return;
	struct cl_state *st = calloc(1, sizeof *st);
	if (!st)
		abort();
	st->table = strdup(ui->s->chainlit_table);
	st->counts = json_object();
	st->listed = json_object();
	st->pending = json_object();
	st->drafts = json_object();
	st->ui = ui;
	*ui_module_slot(ui, "chainlit") = st;
	char label[512];
	snprintf(label, sizeof label, "Conversations  (%s)", st->table);
	st->root = tnode_new(label, &conversations_ops, st);
	tree_add_root(ui, st->root);
}

/* ---- the steps of one conversation ------------------------------------------------ */

struct steps {
	char *thread_id;
	struct cl_conversation *conv;
	struct cl_rows rows;
	struct cl_job *job;
	char *keep_step;         /* keep the cursor on this step after a reload */
};

static const struct view_ops steps_ops;

static void steps_rows(struct view *v)
{
	struct steps *sv = v->priv;
	cl_rows_free(&sv->rows);
	if (sv->conv)
		cl_conversation_rows(sv->conv, &sv->rows);
	view_set_rows(v, sv->rows.n);
}

static void fmt_duration(int64_t us, char *buf, size_t len)
{
	if (us < 0)
		buf[0] = '\0';
	else if (us < 1000000)
		snprintf(buf, len, "%lldms", (long long)(us / 1000));
	else if (us < 600000000)
		snprintf(buf, len, "%.1fs", (double)us / 1e6);
	else
		snprintf(buf, len, "%lldm", (long long)(us / 60000000));
}

static void steps_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct steps *sv = v->priv;
	if (i >= sv->rows.n)
		return;
	const struct cl_row *r = &sv->rows.v[i];
	/* deep trees would scroll off the pane: the indent stops (at 3 levels
	 * in a narrow pane, 6 otherwise) and the depth is written instead */
	bool narrow = ui_list_width(v->ui) < 70;
	int cap = narrow ? 3 : 6;
	int ind = (r->depth > cap ? cap : r->depth) * 2;
	int tw = narrow ? 13 : 17;   /* the type column */
	char deep[24] = "";
	if (r->depth > cap)
		snprintf(deep, sizeof deep, "[%d] ", r->depth);
	switch (r->kind) {
	case CL_ROW_SECTION:
		snprintf(buf, len, "%s", r->label ? r->label : cl_section_name(r->section));
		*role = ROLE_PROBLEM;
		break;
	case CL_ROW_STEP: {
		const struct cl_node *nd = r->node;
		const struct cl_step *s = nd->step;
		const char *mark = nd->n_children || nd->n_elements ? (nd->collapsed ? "+ " : "- ") : "  ";
		char when[32] = "?", dur[16];
		if (s->created_ok) {
			time_format(s->created_us, when, sizeof when);
			memmove(when, when + 11, 9);   /* HH:MM:SS */
		}
		fmt_duration(cl_step_duration_us(s), dur, sizeof dur);
		char fb[96] = "";
		if (s->has_feedback) {
			const char *c = s->feedback.comment;
			snprintf(fb, sizeof fb, "  [%s%s%.40s]", s->feedback.vote == 1 ? "+1" :
			         s->feedback.vote == 0 ? "-1" : "?", c && *c ? " " : "", c ? c : "");
		}
		char els[32] = "";
		if (nd->n_elements)
			snprintf(els, sizeof els, "  %zu el", nd->n_elements);
		/* a message's text says more than its author's name */
		const char *what = cl_step_is_message(s) && s->output && *s->output ? s->output : s->name;
		snprintf(buf, len, "%*s%s%s%-8s %-*.*s %-.60s  %s%s%s", ind, "", deep, mark, when,
		         tw, tw, s->type ? s->type : "?", what ? what : "", dur, fb, els);
		*role = s->problems.n || s->stub ? ROLE_PROBLEM : !s->has_feedback ? ROLE_NORMAL
		      : s->feedback.vote == 0 ? ROLE_DOWN : ROLE_UP;
		break;
	}
	case CL_ROW_ELEMENT:
		snprintf(buf, len, "%*s  [%s] %s  %s", ind, "", r->element->type ? r->element->type : "element",
		         r->element->name ? r->element->name : "", r->element->mime ? r->element->mime : "");
		*role = ROLE_DIM;
		break;
	case CL_ROW_UNKNOWN:
		snprintf(buf, len, "%*s  (unknown item) %s", ind, "",
		         ddb_item_s(r->unknown, "SK") ? ddb_item_s(r->unknown, "SK") : "?");
		*role = ROLE_PROBLEM;
		break;
	}
}

static struct cl_node *row_node(struct steps *sv, size_t i)
{
	return i < sv->rows.n && sv->rows.v[i].kind == CL_ROW_STEP ? sv->rows.v[i].node : NULL;
}

static void restore_cursor(struct view *v)
{
	struct steps *sv = v->priv;
	if (!sv->keep_step)
		return;
	for (size_t i = 0; i < sv->rows.n; i++) {
		struct cl_node *nd = row_node(sv, i);
		if (nd && nd->step->id && !strcmp(nd->step->id, sv->keep_step)) {
			v->cursor = i;
			break;
		}
	}
	free(sv->keep_step);
	sv->keep_step = NULL;
}

static void conv_loaded(struct cl_conversation *c, const struct ddb_error *err, void *ud)
{
	struct view *v = ud;
	struct steps *sv = v->priv;
	sv->job = NULL;
	v->loading = false;
	if (err) {
		view_set_ddb_error(v, "conversation", err);
		return;
	}
	cl_conversation_free(sv->conv);
	sv->conv = c;
	snprintf(v->title, sizeof v->title, "%s  (%zu steps, %zu elements)",
	         c->thread && c->thread->name ? c->thread->name : sv->thread_id, c->n_steps, c->n_elements);
	snprintf(v->progress, sizeof v->progress, "%zu steps", c->n_steps);
	steps_rows(v);
	restore_cursor(v);
	if (!c->thread)
		ui_message(v->ui, true, "thread %s has no THREAD item (its steps are shown)", sv->thread_id);
}

static void steps_reload(struct view *v)
{
	struct steps *sv = v->priv;
	struct cl_state *st = state(v->ui);
	if (sv->job)
		cl_job_cancel(sv->job);
	size_t sel = view_selected(v);
	struct cl_node *nd = sel != (size_t)-1 ? row_node(sv, sel) : NULL;
	if (nd && nd->step->id && !sv->keep_step)
		sv->keep_step = strdup(nd->step->id);
	v->loading = true;
	view_set_error(v, NULL);
	sv->job = cl_conversation_load(v->ui->s, st->table, sv->thread_id, conv_loaded, v);
}

static void steps_cancel(struct view *v)
{
	struct steps *sv = v->priv;
	if (sv->job) {
		cl_job_cancel(sv->job);
		sv->job = NULL;
		v->loading = false;
		view_set_error(v, "loading cancelled (R reloads)");
	}
}

static void steps_enter(struct view *v, size_t i)
{
	struct steps *sv = v->priv;
	struct cl_node *nd = row_node(sv, i);
	if (nd && nd->collapsed) {
		nd->collapsed = false;
		steps_rows(v);
		return;
	}
	const json_t *item = NULL;
	char *pr = NULL;
	const char *title = NULL;
	if (nd) {
		item = nd->step->raw;
		pr = nd->step->problems.n ? problems_join(&nd->step->problems) : NULL;
		title = nd->step->id;
	} else if (i < sv->rows.n && sv->rows.v[i].kind == CL_ROW_ELEMENT) {
		const struct cl_element *el = sv->rows.v[i].element;
		item = el->raw;
		title = el->id;
		pr = el->problems.n ? problems_join(&el->problems) : NULL;
	} else if (i < sv->rows.n && sv->rows.v[i].kind == CL_ROW_UNKNOWN) {
		item = sv->rows.v[i].unknown;
	}
	if (item)
		ui_show_detail(v->ui, title, item, pr);
	free(pr);
}

static void steps_back(struct view *v, size_t i)
{
	struct steps *sv = v->priv;
	struct cl_node *nd = row_node(sv, i);
	if (nd && !nd->collapsed && (nd->n_children || nd->n_elements)) {
		nd->collapsed = true;
		steps_rows(v);
		return;
	}
	if (nd && nd->parent) {
		for (size_t k = 0; k < sv->rows.n; k++)
			if (row_node(sv, k) == nd->parent) {
				v->cursor = k;
				return;
			}
	}
	v->ui->focus = 0;
}

static const json_t *steps_item(struct view *v, size_t i)
{
	struct steps *sv = v->priv;
	if (i >= sv->rows.n)
		return NULL;
	const struct cl_row *r = &sv->rows.v[i];
	return r->kind == CL_ROW_STEP ? r->node->step->raw : r->kind == CL_ROW_ELEMENT ? r->element->raw
	     : r->kind == CL_ROW_UNKNOWN ? r->unknown : NULL;
}

static const char *steps_id(struct view *v, size_t i)
{
	struct steps *sv = v->priv;
	if (i >= sv->rows.n)
		return NULL;
	const struct cl_row *r = &sv->rows.v[i];
	return r->kind == CL_ROW_STEP ? r->node->step->id : r->kind == CL_ROW_ELEMENT ? r->element->id : NULL;
}

static char *steps_problems(struct view *v, size_t i)
{
	struct cl_node *nd = row_node(v->priv, i);
	return nd && nd->step->problems.n ? problems_join(&nd->step->problems) : NULL;
}

/* ---- feedback ------------------------------------------------------------------------ */

struct fb_ctx {
	struct ui *ui;
	char *thread_id, *step_id;
	int value;
	char *comment;           /* NULL: none */
	bool is_delete;
	json_t *seen;            /* the feedback the write is conditional on */
};

static void fb_ctx_free(struct fb_ctx *c)
{
	free(c->thread_id);
	free(c->step_id);
	free(c->comment);
	json_decref(c->seen);
	free(c);
}

static char *draft_key(const char *thread_id, const char *step_id)
{
	char *k = NULL;
	if (asprintf(&k, "%s\n%s", thread_id, step_id) < 0)
		k = NULL;
	return k;
}

/* The steps view showing this thread, if it is on screen. */
static struct view *steps_on_screen(struct ui *ui, const char *thread_id)
{
	struct view *v = ui->list;
	if (!v || v->ops != &steps_ops)
		return NULL;
	struct steps *sv = v->priv;
	return !strcmp(sv->thread_id, thread_id) ? v : NULL;
}

static void form_open(struct ui *ui, const char *thread_id, const char *step_id, const char *label,
                      const json_t *seen, int value, const char *comment);
static void conflict_open(struct ui *ui, struct fb_ctx *c, const json_t *current);

static void fb_write_ctx(struct fb_ctx *c);

/* A feedback attribute value ({"M": ...}, or NULL for none) decoded as the
 * steps are: *vote 1 up, 0 down, -1 anything else; *comment malloc'd or NULL. */
static void fb_peek(const json_t *fb_av, int *vote, char **comment)
{
	*vote = -1;
	*comment = NULL;
	if (!fb_av)
		return;
	json_t *item = json_pack("{s:{s:s},s:{s:s},s:O}", "PK", "S", "THREAD#t", "SK", "S", "STEP#s",
	                         "feedback", fb_av);
	if (!item)
		return;
	struct cl_step s;
	cl_step_decode(&s, item);
	if (s.has_feedback) {
		*vote = s.feedback.vote;
		*comment = s.feedback.comment ? strdup(s.feedback.comment) : NULL;
	}
	cl_step_clear(&s);
	json_decref(item);
}

/* What one step's feedback adds to its thread's counts ([up, down,
 * comments]), decoded as count_feedback decodes the Scan's steps. */
static void fb_contribution(const json_t *fb_av, long out[3])
{
	out[0] = out[1] = out[2] = 0;
	int vote;
	char *comment;
	fb_peek(fb_av, &vote, &comment);
	if (vote == 1)
		out[0] = 1;
	else if (vote == 0)
		out[1] = 1;
	out[2] = comment && *comment;
	free(comment);
}

static void relabel_thread(struct cl_state *st, struct tnode *n, const char *thread_id)
{
	for (size_t i = 0; i < n->nkids; i++) {
		struct tnode *k = n->kids[i];
		if (k->ops == &thread_ops && !strcmp(((struct thread_node *)k->data)->thread_id, thread_id))
			thread_label(st, k);
		else
			relabel_thread(st, k, thread_id);
	}
}

/* A step's feedback went from `before` to `after` (attribute values, NULL
 * for none): keep the thread's counts in the tree true to what is stored.
 * Only once the Scan is through: before that it may still count this step. */
static void counts_update(struct ui *ui, const char *thread_id, const json_t *before,
                          const json_t *after)
{
	struct cl_state *st = state(ui);
	if (!st || !st->counts_done || !thread_id)
		return;
	long b[3], a[3];
	fb_contribution(before, b);
	fb_contribution(after, a);
	if (a[0] == b[0] && a[1] == b[1] && a[2] == b[2])
		return;
	json_t *c = json_object_get(st->counts, thread_id);
	if (!c) {
		c = json_pack("[i,i,i]", 0, 0, 0);
		json_object_set_new(st->counts, thread_id, c);
	}
	for (size_t k = 0; k < 3; k++) {
		json_int_t v = json_integer_value(json_array_get(c, k)) + a[k] - b[k];
		json_array_set_new(c, k, json_integer(v > 0 ? v : 0));
	}
	relabel_thread(st, st->root, thread_id);
	tree_changed(ui);
}

static void fb_done(struct fb_result *res, void *ud)
{
	struct fb_ctx *c = ud;
	struct ui *ui = c->ui;
	char *dk = draft_key(c->thread_id, c->step_id);
	struct cl_state *st = state(ui);
	switch (res->status) {
	case FB_OK:
		ui_message(ui, false, "feedback %s", c->is_delete ? "deleted" : "saved");
		if (st && dk)
			json_object_del(st->drafts, dk);
		counts_update(ui, c->thread_id, c->seen,
		              c->is_delete ? NULL : json_object_get(res->item, "feedback"));
		break;
	case FB_CONFLICT:
		/* the counts follow what is stored now */
		counts_update(ui, c->thread_id, c->seen, json_object_get(res->item, "feedback"));
		/* show both versions; the typed text is kept in the conflict view */
		ui_message(ui, false, NULL);   /* no longer "saving feedback..." */
		conflict_open(ui, c, json_object_get(res->item, "feedback"));
		c = NULL;
		break;
	default:
		/* keep what was typed so the user can retry (e reopens it) */
		if (st && dk && c->comment && !c->is_delete)
			json_object_set_new(st->drafts, dk, json_string(c->comment));
		ui_message(ui, true, "%s%s%s", res->message ? res->message : fb_status_text(res->status),
		           c->comment && !c->is_delete ? " (your text is kept: e to retry)" : "", "");
		break;
	}
	free(dk);
	/* the screen shows what is stored, never what was typed */
	const char *tid = c ? c->thread_id : NULL;
	struct view *v = tid ? steps_on_screen(ui, tid) : NULL;
	if (!c && ui->list && ui->list->ops == &steps_ops)
		v = NULL;   /* the conflict view reloads when it closes */
	if (v)
		steps_reload(v);
	if (c)
		fb_ctx_free(c);
}

static void fb_write_ctx(struct fb_ctx *c)
{
	struct cl_state *st = state(c->ui);
	if (!st) {
		fb_ctx_free(c);
		return;
	}
	struct fb_request r = {
		.table = st->table, .thread_id = c->thread_id, .step_id = c->step_id,
		.action = c->is_delete ? FB_DELETE : FB_SET, .value = c->value,
		.comment = c->comment, .seen = c->seen,
	};
	ui_message(c->ui, false, "saving feedback...");
	fb_write(c->ui->s, &r, fb_done, c);
}

/* A write goes to the item that was read: its key, never the id or
 * threadId attributes, which a damaged item may point elsewhere. */
static bool key_ids(const struct cl_step *s, const char **thread_id, const char **step_id)
{
	*thread_id = cl_strip_prefix(ddb_item_s(s->raw, "PK"), "THREAD#");
	*step_id = cl_strip_prefix(ddb_item_s(s->raw, "SK"), "STEP#");
	return *thread_id && **thread_id && *step_id && **step_id;
}

static struct fb_ctx *ctx_for(struct view *v, struct cl_node *nd)
{
	const char *tid, *sid;
	struct fb_ctx *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	key_ids(nd->step, &tid, &sid);   /* checked by the caller */
	c->ui = v->ui;
	c->thread_id = strdup(tid);
	c->step_id = strdup(sid);
	c->seen = nd->step->has_feedback ? json_deep_copy(nd->step->feedback.av) : NULL;
	return c;
}

static void delete_answer(struct ui *ui, bool yes, void *ud)
{
	struct fb_ctx *c = ud;
	if (!yes) {
		ui_message(ui, false, "not deleted");
		fb_ctx_free(c);
		return;
	}
	fb_write_ctx(c);
}

static bool jump_feedback(struct view *v, int dir, bool want)
{
	struct steps *sv = v->priv;
	size_t n = sv->rows.n, cur = view_selected(v);
	if (!n || v->filter)
		return false;
	for (size_t k = 1; k <= n; k++) {
		size_t i = (cur + (dir > 0 ? k : n - k)) % n;
		struct cl_node *nd = row_node(sv, i);
		if (nd && nd->step->has_feedback == want) {
			v->cursor = i;
			return true;
		}
	}
	ui_message(v->ui, false, "no step %s feedback", want ? "with" : "without");
	return true;
}

static bool steps_action(struct view *v, enum action a)
{
	struct steps *sv = v->priv;
	size_t sel = view_selected(v);
	struct cl_node *nd = sel != (size_t)-1 ? row_node(sv, sel) : NULL;
	switch (a) {
	case ACT_FB_NEXT: return jump_feedback(v, 1, true);
	case ACT_FB_PREV: return jump_feedback(v, -1, true);
	case ACT_FB_NEXT_NONE: return jump_feedback(v, 1, false);
	case ACT_FB_EDIT:
	case ACT_FB_UP:
	case ACT_FB_DOWN:
	case ACT_FB_DELETE:
		break;
	default:
		return false;
	}
	const char *ktid, *ksid;
	if (!nd || nd->step->stub || !key_ids(nd->step, &ktid, &ksid)) {
		ui_message(v->ui, true, nd ? "this item has no usable THREAD#/STEP# key: not written"
		                           : "select a step first");
		return true;
	}
	if (v->loading) {
		ui_message(v->ui, true, "wait for the conversation to load");
		return true;
	}
	const struct cl_step *s = nd->step;
	if (a == ACT_FB_EDIT) {
		struct cl_state *st = state(v->ui);
		char *dk = draft_key(ktid, ksid);
		const char *draft = st && dk ? json_string_value(json_object_get(st->drafts, dk)) : NULL;
		char label[256];
		snprintf(label, sizeof label, "%s %s", s->type ? s->type : "step", s->name ? s->name : "");
		form_open(v->ui, ktid, ksid, label,
		          s->has_feedback ? s->feedback.av : NULL,
		          s->has_feedback ? s->feedback.vote : 1,
		          draft ? draft : s->has_feedback ? s->feedback.comment : NULL);
		free(dk);
		return true;
	}
	struct fb_ctx *c = ctx_for(v, nd);
	if (a == ACT_FB_DELETE) {
		if (!s->has_feedback) {
			ui_message(v->ui, false, "this step has no feedback");
			fb_ctx_free(c);
			return true;
		}
		c->is_delete = true;
		ui_confirm(v->ui, "delete the feedback of this step?", delete_answer, c);
		return true;
	}
	c->value = a == ACT_FB_UP ? 1 : 0;
	c->comment = s->has_feedback && s->feedback.comment ? strdup(s->feedback.comment) : NULL;
	fb_write_ctx(c);
	return true;
}

static void steps_destroy(struct view *v)
{
	struct steps *sv = v->priv;
	if (sv->job)
		cl_job_cancel(sv->job);
	cl_rows_free(&sv->rows);
	cl_conversation_free(sv->conv);
	free(sv->thread_id);
	free(sv->keep_step);
	free(sv);
}

static const struct view_ops steps_ops = {
	.name = "steps",
	.row = steps_row,
	.enter = steps_enter,
	.back = steps_back,
	.action = steps_action,
	.reload = steps_reload,
	.cancel = steps_cancel,
	.item = steps_item,
	.id = steps_id,
	.problems = steps_problems,
	.destroy = steps_destroy,
};

static struct view *steps_view_new(struct ui *ui, const char *thread_id)
{
	struct steps *sv = calloc(1, sizeof *sv);
	if (!sv)
		abort();
	sv->thread_id = strdup(thread_id);
	struct view *v = view_new(ui, &steps_ops, sv, "thread %s", thread_id);
	steps_reload(v);
	return v;
}

/* ---- the feedback form (an overlay) ------------------------------------------------------ */

enum { F_VALUE, F_COMMENT, F_SAVE, F_CANCEL, F_COUNT };

struct form {
	char *thread_id, *step_id, *label;
	json_t *seen;
	int value;               /* 1 up, 0 down, -1 none chosen (the stored value was invalid) */
	char *note;              /* why no value is chosen, or NULL */
	struct lineedit edit;    /* the comment being typed */
	int field;
	struct lines lines;      /* laid out for a screen of rows x cols */
	int rows, cols;
	size_t box_top;          /* the first comment line shown */
};

#define FORM_BAR "\xe2\x96\x8f"   /* the comment's cursor */

/* The form is laid out for the screen it is on: the title, the value, the
 * comment label and the buttons always show (and a note on an invalid
 * stored value), then as much of the comment as fits, scrolled to keep the
 * cursor's line in view; the ids, a blank line, the box's rules and the
 * hint at the bottom go first when the screen is short. */
static void form_render(struct view *v)
{
	struct form *f = v->priv;
	struct ui *ui = v->ui;
	struct lines *l = &f->lines;
	lines_free(l);
	f->rows = ui->rows;
	f->cols = ui->cols;
	bool focus = f->field == F_COMMENT;
	const char *text = f->edit.text;
	/* the comment, wrapped, with the cursor shown as a bar when the field has focus */
	char *shown = NULL;
	if (asprintf(&shown, "%.*s%s%s", (int)f->edit.cur, text, focus ? FORM_BAR : "",
	             text + f->edit.cur) < 0)
		shown = NULL;
	struct lines box = {0};
	wrap_text(&box, shown ? shown : "", ui->cols > 20 ? ui->cols - 4 : 60, 4);
	free(shown);
	if (!box.n)
		lines_add(&box, "");
	/* the line of the cursor: the k-th bar of the wrapped text, when k bars
	 * come before the cursor in the text itself */
	size_t cur_line = (size_t)-1;
	if (focus) {
		size_t k = 0;
		for (const char *q = text; (q = strstr(q, FORM_BAR)) && (size_t)(q - text) < f->edit.cur; q++)
			k++;
		for (size_t i = 0; i < box.n && cur_line == (size_t)-1; i++)
			for (const char *q = box.v[i]; (q = strstr(q, FORM_BAR)); q++)
				if (k-- == 0) {
					cur_line = i;
					break;
				}
	}
	/* header, the view's title and the status line take 3 rows */
	long avail = (long)ui->rows - 3;
	long need = 4 + (f->note ? 1 : 0);   /* title, value, comment label, buttons */
	bool hint = f->seen != NULL, blank = true, ids = true, rules = true;
	long want = box.n < 3 ? (long)box.n : 3;
#define FORM_OPT ((long)hint + blank + ids + 2 * rules)
	if (need + FORM_OPT + want > avail)
		hint = false;
	if (need + FORM_OPT + want > avail)
		blank = false;
	if (need + FORM_OPT + want > avail)
		ids = false;
	if (need + FORM_OPT + want > avail)
		rules = false;
	long room = avail - need - FORM_OPT;
#undef FORM_OPT
	size_t box_h = room < 1 ? 1 : (size_t)room < box.n ? (size_t)room : box.n;
	if (f->box_top + box_h > box.n)
		f->box_top = box.n - box_h;
	if (cur_line != (size_t)-1) {
		if (cur_line < f->box_top)
			f->box_top = cur_line;
		else if (cur_line >= f->box_top + box_h)
			f->box_top = cur_line - box_h + 1;
	}
	char buf[512];
	snprintf(buf, sizeof buf, "Feedback on %s", f->label);
	lines_add(l, buf);
	if (ids) {
		snprintf(buf, sizeof buf, "thread %s  step %s", f->thread_id, f->step_id);
		lines_add(l, buf);
	}
	if (blank)
		lines_add(l, "");
	snprintf(buf, sizeof buf, "%s Value:    (%c) thumbs up   (%c) thumbs down      Left/Right or Space",
	         f->field == F_VALUE ? ">" : " ", f->value == 1 ? '*' : ' ', f->value == 0 ? '*' : ' ');
	lines_add(l, buf);
	if (f->note) {
		snprintf(buf, sizeof buf, "            %s", f->note);
		lines_add(l, buf);
	}
	snprintf(buf, sizeof buf, "%s Comment:  (empty = none; Enter: new line; Ctrl-S: save)",
	         focus ? ">" : " ");
	lines_add(l, buf);
	size_t below = box.n - f->box_top - box_h;
	if (rules) {
		if (f->box_top)
			snprintf(buf, sizeof buf, "  ---- (%zu more line%s above)", f->box_top,
			         f->box_top == 1 ? "" : "s");
		else
			snprintf(buf, sizeof buf, "  ----");
		lines_add(l, buf);
	}
	for (size_t i = f->box_top; i < f->box_top + box_h; i++)
		lines_add(l, box.v[i]);
	if (rules) {
		if (below)
			snprintf(buf, sizeof buf, "  ---- (%zu more line%s below)", below, below == 1 ? "" : "s");
		else
			snprintf(buf, sizeof buf, "  ----");
		lines_add(l, buf);
	}
	lines_free(&box);
	snprintf(buf, sizeof buf, "  %s[ Save ]%s   %s[ Cancel ]%s      Tab: next field   Esc: cancel",
	         f->field == F_SAVE ? ">" : " ", f->field == F_SAVE ? "<" : " ",
	         f->field == F_CANCEL ? ">" : " ", f->field == F_CANCEL ? "<" : " ");
	lines_add(l, buf);
	if (hint)
		lines_add(l, "  (the save is refused if someone else changes this feedback meanwhile)");
	view_set_rows(v, l->n);
}

static void form_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct form *f = v->priv;
	if (f->rows != v->ui->rows || f->cols != v->ui->cols)
		form_render(v);   /* lay it out again after a resize */
	if (i < f->lines.n)
		snprintf(buf, len, "%s", f->lines.v[i]);
	if (i == 0)
		*role = ROLE_TITLE;
}

static void form_close(struct ui *ui)
{
	ui_set_overlay(ui, NULL);
}

static void form_save(struct view *v)
{
	struct form *f = v->priv;
	struct ui *ui = v->ui;
	if (f->value != 0 && f->value != 1) {
		/* the stored value was neither: the user chooses */
		ui_message(ui, true, "choose thumbs up or thumbs down first");
		f->field = F_VALUE;
		form_render(v);
		return;
	}
	struct fb_ctx *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->ui = ui;
	c->thread_id = strdup(f->thread_id);
	c->step_id = strdup(f->step_id);
	c->value = f->value;
	c->comment = f->edit.len ? strdup(f->edit.text) : NULL;
	c->seen = f->seen ? json_incref(f->seen) : NULL;
	form_close(ui);   /* frees f */
	fb_write_ctx(c);
}

static bool form_key(struct view *v, int ch)
{
	struct form *f = v->priv;
	struct ui *ui = v->ui;
	if (key_alt_base(ch) >= 0) {
		/* Alt-b, Alt-f in the comment; any other Alt-x is Esc, then x */
		if (f->field != F_COMMENT || lineedit_key(&f->edit, ch) == LINEEDIT_NONE)
			return false;
		form_render(v);
		return true;
	}
	if (ch == 27) {                       /* Esc */
		ui_message(ui, false, "feedback not changed");
		form_close(ui);
		return true;
	}
	if (ch == 19) {                       /* Ctrl-S */
		form_save(v);
		return true;
	}
	if (ch == '\t' || ch == KEY_BTAB) {
		f->field = (f->field + (ch == '\t' ? 1 : F_COUNT - 1)) % F_COUNT;
	} else if (f->field == F_VALUE) {
		if ((ch == KEY_LEFT || ch == KEY_RIGHT || ch == ' ') && f->value != 0 && f->value != 1)
			f->value = ch == KEY_RIGHT ? 0 : 1;   /* none chosen yet: up is on the left */
		else if (ch == KEY_LEFT || ch == KEY_RIGHT || ch == ' ')
			f->value = !f->value;
		else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			f->field = F_COMMENT;
		else if (ch == KEY_DOWN)
			f->field = F_COMMENT;
	} else if (f->field == F_COMMENT) {
		lineedit_key(&f->edit, ch);   /* Enter is a new line; Up, Down change lines */
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == ' ') {
		if (f->field == F_SAVE) {
			form_save(v);
			return true;
		}
		ui_message(ui, false, "feedback not changed");
		form_close(ui);
		return true;
	}
	form_render(v);
	return true;   /* a form sees every key: none triggers a binding */
}

static void form_destroy(struct view *v)
{
	struct form *f = v->priv;
	free(f->thread_id);
	free(f->step_id);
	free(f->label);
	lineedit_free(&f->edit);
	free(f->note);
	json_decref(f->seen);
	lines_free(&f->lines);
	free(f);
}

static const struct view_ops form_ops = {
	.name = "feedback-form",
	.row = form_row,
	.key = form_key,
	.destroy = form_destroy,
};

static void form_open(struct ui *ui, const char *thread_id, const char *step_id, const char *label,
                      const json_t *seen, int value, const char *comment)
{
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	f->thread_id = strdup(thread_id);
	f->step_id = strdup(step_id);
	f->label = strdup(label);
	f->seen = seen ? json_deep_copy(seen) : NULL;
	f->value = value;
	if ((value != 0 && value != 1) && seen) {
		/* an invalid stored value (the Slack integration's 2...): nothing
		 * is preselected, and the form says why */
		const char *n = ddb_av_get_n(json_object_get(json_object_get(seen, "M"), "value"));
		if (asprintf(&f->note, n ? "stored value %.40s is not 0 or 1: choose thumbs up or down"
		                         : "the stored value is missing or not a number: choose thumbs up "
		                           "or down", n) < 0)
			f->note = NULL;
	} else if (value != 0 && value != 1) {
		f->value = 1;
	}
	lineedit_init(&f->edit, true, 0);
	if (comment)
		lineedit_insert(&f->edit, comment, strlen(comment));
	f->field = F_COMMENT;
	struct view *v = view_new(ui, &form_ops, f, "edit feedback");
	ui_set_overlay(ui, v);
	form_render(v);
}

/* ---- a conflict: both versions, the user chooses -------------------------------------- */

struct conflict {
	struct fb_ctx *c;        /* what the user wanted (kept) */
	json_t *current;         /* the feedback stored now ({"M":..}) or NULL */
	struct lines lines;
};

static void describe_fb(struct lines *l, const char *who, const json_t *fb_av, int value,
                        const char *comment, bool is_delete)
{
	char buf[256];
	if (fb_av) {
		const json_t *m = json_object_get(fb_av, "M");
		const char *v = ddb_av_get_n(json_object_get(m, "value"));
		const char *c = ddb_av_get_s(json_object_get(m, "comment"));
		snprintf(buf, sizeof buf, "%s: %s", who, v && !strcmp(v, "1") ? "thumbs up" :
		         v && !strcmp(v, "0") ? "thumbs down" : v ? v : "(no value)");
		lines_add(l, buf);
		wrap_text(l, c ? c : "(no comment)", 76, 4);
	} else if (is_delete || value < 0) {
		snprintf(buf, sizeof buf, "%s: (no feedback)", who);
		lines_add(l, buf);
	} else {
		snprintf(buf, sizeof buf, "%s: %s", who, value == 1 ? "thumbs up" : "thumbs down");
		lines_add(l, buf);
		wrap_text(l, comment ? comment : "(no comment)", 76, 4);
	}
}

static void conflict_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct conflict *k = v->priv;
	if (i < k->lines.n)
		snprintf(buf, len, "%s", k->lines.v[i]);
	if (i == 0)
		*role = ROLE_ERROR;
}

static void conflict_close(struct ui *ui, const char *thread_id)
{
	char *tid = strdup(thread_id);
	ui_set_overlay(ui, NULL);
	struct view *sv = steps_on_screen(ui, tid);
	if (sv)
		steps_reload(sv);
	free(tid);
}

static bool conflict_key(struct view *v, int ch)
{
	struct conflict *k = v->priv;
	struct ui *ui = v->ui;
	if (ch == 'o' || ch == 'O') {
		/* overwrite explicitly: again conditional, on the version just shown */
		struct fb_ctx *c = k->c;
		k->c = NULL;
		json_decref(c->seen);
		c->seen = k->current ? json_incref(k->current) : NULL;
		char *tid = strdup(c->thread_id);
		ui_set_overlay(ui, NULL);
		fb_write_ctx(c);
		free(tid);
		return true;
	}
	if (ch == 'e' || ch == 'E') {
		struct fb_ctx *c = k->c;
		if (c->is_delete) {
			/* a delete has nothing of its own to edit: edit theirs */
			int vote;
			char *comment;
			fb_peek(k->current, &vote, &comment);
			form_open(ui, c->thread_id, c->step_id, "step (after a conflict)", k->current,
			          k->current ? vote : 1, comment);
			free(comment);
			return true;
		}
		form_open(ui, c->thread_id, c->step_id, "step (after a conflict)", k->current,
		          c->value, c->comment);
		return true;   /* the form replaced (and freed) this view */
	}
	if (ch == 'r' || ch == 'R' || ch == 27 || ch == 'q') {
		/* theirs is kept: the draft goes, so e edits the stored version */
		struct fb_ctx *c = k->c;
		k->c = NULL;
		struct cl_state *st = state(ui);
		char *dk = draft_key(c->thread_id, c->step_id);
		if (st && dk)
			json_object_del(st->drafts, dk);
		free(dk);
		ui_message(ui, false, "kept the stored feedback");
		char *tid = strdup(c->thread_id);
		fb_ctx_free(c);
		conflict_close(ui, tid);
		free(tid);
		return true;
	}
	return true;
}

static void conflict_destroy(struct view *v)
{
	struct conflict *k = v->priv;
	if (k->c) {
		/* keep the typed text for a later e */
		struct cl_state *st = state(k->c->ui);
		char *dk = draft_key(k->c->thread_id, k->c->step_id);
		if (st && dk && k->c->comment)
			json_object_set_new(st->drafts, dk, json_string(k->c->comment));
		free(dk);
		fb_ctx_free(k->c);
	}
	json_decref(k->current);
	lines_free(&k->lines);
	free(k);
}

static const struct view_ops conflict_ops = {
	.name = "conflict",
	.row = conflict_row,
	.key = conflict_key,
	.destroy = conflict_destroy,
};

static void conflict_open(struct ui *ui, struct fb_ctx *c, const json_t *current)
{
	struct conflict *k = calloc(1, sizeof *k);
	if (!k)
		abort();
	k->c = c;
	k->current = current ? json_deep_copy(current) : NULL;
	lines_add(&k->lines, "Someone changed this feedback after you read it. Nothing was overwritten.");
	lines_add(&k->lines, "");
	describe_fb(&k->lines, "Stored now", k->current, -1, NULL, true);
	lines_add(&k->lines, "");
	describe_fb(&k->lines, c->is_delete ? "Yours (delete)" : "Yours", NULL,
	            c->is_delete ? -1 : c->value, c->comment, c->is_delete);
	lines_add(&k->lines, "");
	if (c->is_delete)
		lines_add(&k->lines, "o: delete it anyway (only if it is still as shown)   "
		                     "e: edit the stored one   r/Esc: keep the stored one (reload)");
	else
		lines_add(&k->lines, "o: overwrite with yours (only if it is still as shown)   "
		                     "e: edit yours   r/Esc: keep the stored one (reload)");
	struct view *v = view_new(ui, &conflict_ops, k, "feedback conflict");
	ui_set_overlay(ui, v);
	view_set_rows(v, k->lines.n);
}

/* ---- the module and its commands ------------------------------------------------------ */

static void thread_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	struct cl_state *st = state(ui);
	if (!st) {
		ui_message(ui, true, "no Chainlit table (pass --chainlit-table)");
		return;
	}
	if (!*arg) {
		ui_message(ui, true, ":thread THREAD_ID");
		return;
	}
	/* a thread already in the tree: put the tree's cursor on it too */
	struct tnode *found = NULL;
	for (size_t u = 0; u < st->root->nkids && !found; u++) {
		struct tnode *un = st->root->kids[u];
		for (size_t k = 0; k < un->nkids && !found; k++)
			if (un->kids[k]->ops == &thread_ops && un->kids[k]->id &&
			    !strcmp(un->kids[k]->id, arg))
				found = un->kids[k];
	}
	if (found) {
		st->root->expanded = true;
		tree_reveal(ui, found);   /* selects it: its steps fill the list */
	} else {
		ui_show_list(ui, steps_view_new(ui, arg));
	}
	ui->focus = 1;
}

static void table_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	struct cl_state *st = state(ui);
	/* switch tables: the Conversations node is rebuilt for the new one */
	if (!*arg) {
		ui_message(ui, true, ":chainlit-table TABLE");
		return;
	}
	free(ui->s->chainlit_table);
	ui->s->chainlit_table = strdup(arg);
	if (st)
		tnode_delete(st->root);   /* frees the state, clears its slot */
	ui_show_list(ui, NULL);
	chainlit_tree_roots(ui);
	tree_changed(ui);
	ui_message(ui, false, "now using %s", arg);
}

static void user_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	struct cl_state *st = state(ui);
	if (!st || !*arg) {
		ui_message(ui, true, st ? ":user IDENTIFIER" : "no Chainlit table (pass --chainlit-table)");
		return;
	}
	/* a node for that user under Conversations, opened (a user the
	 * Scan has not reached yet, or one that has no USER item) */
	struct tnode *found = NULL;
	for (size_t i = 0; i < st->root->nkids && !found; i++)
		if (st->root->kids[i]->ops == &user_ops && st->root->kids[i]->id &&
		    !strcmp(st->root->kids[i]->id, arg))
			found = st->root->kids[i];
	if (!found) {
		struct user_node *u = calloc(1, sizeof *u);
		if (!u)
			abort();
		u->identifier = strdup(arg);
		u->by_command = true;
		found = tnode_new(arg, &user_ops, u);
		found->id = strdup(arg);
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
	struct cl_state *st = state(ui);
	if (!st) {
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
	st->root->label = util_fmt("Conversations%s  (%s)",
	                           st->only == ONLY_NEGATIVE ? " [only: thumbs down]"
	                           : st->only == ONLY_COMMENTS ? " [only: with comments]" : "",
	                           st->table);
	if (!st->root->label)
		abort();
	relabel_all(st, st->root);
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
	.roots = chainlit_tree_roots,
	.header = chainlit_header,
	.ready = chainlit_ready,
};
