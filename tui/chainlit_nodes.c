/* tui/chainlit_nodes.c: the Chainlit module's nodes in the tree: the
 * Conversations root and its state, users (one background Scan that also
 * counts the feedback per thread), a user's threads newest first (paged as
 * you scroll: each page drawn from its index page, then completed by a
 * BatchGetItem), the threads with no user, and the counts kept true to the
 * browser's own writes. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/chainlit.h"
#include "tui/nodelist.h"
#include "tui/text.h"
#include "model/chainlit.h"
#include "model/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THREAD_PAGE 50

/* ---- thread nodes -------------------------------------------------------------------- */

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

static struct view *thread_list(struct ui *ui, struct tnode *n)
{
	struct thread_node *t = n->data;
	return chainlit_steps_new(ui, t->thread_id);
}

const struct tnode_ops chainlit_thread_ops = {.list = thread_list, .free_data = free_thread_node};

/* ---- the list pane: a user's threads, the users -------------------------------------- */

static const struct column thread_cols[] = {
	{.title = "updated"},
	{.title = "fb"},
	{.title = "name", .flex = true},
	{.title = "id", .max = 8, .optional = true},
};

/* "2026-01-30 16:00" as ls -l shows times: this year's without the year
 * ("01-30 16:00"), an older one as its date ("2025-01-30"): 11 columns at
 * most, so that a thread's name keeps 45 columns at 80x24. */
static void compact_time(const char *t, char *out, size_t len)
{
	if (!t || strlen(t) < 16 || t[4] != '-' || t[10] != ' ') {
		snprintf(out, len, "%s", t ? t : "?");
		return;
	}
	time_t now = time(NULL);
	struct tm tm;
	char year[8];
	if (gmtime_r(&now, &tm) && strftime(year, sizeof year, "%Y", &tm) && !strncmp(t, year, 4))
		snprintf(out, len, "%.11s", t + 5);
	else
		snprintf(out, len, "%.10s", t);
}

static bool thread_cells(struct ui *ui, const struct tnode *k, char (*cell)[NODELIST_CELL])
{
	if (k->ops != &chainlit_thread_ops)
		return false;
	struct cl_state *st = chainlit_state(ui);
	const struct thread_node *t = k->data;
	compact_time(t->created, cell[0], NODELIST_CELL);
	struct fb_counts fc = {0};
	if (st->counts_done) {
		fb_tally_get(&st->counts, t->thread_id, &fc);
		if (fc.up || fc.down)
			snprintf(cell[1], NODELIST_CELL, "+%ld-%ld%s", (long)fc.up, (long)fc.down,
			         fc.comments ? "\xe2\x9c\x8e" : "");
	} else {
		snprintf(cell[1], NODELIST_CELL, "...");
	}
	snprintf(cell[2], NODELIST_CELL, "%s", t->name ? t->name : "(no name)");
	snprintf(cell[3], NODELIST_CELL, "%.8s", t->thread_id);
	return true;
}

static const struct nodelist_spec thread_spec = {thread_cols, 4, thread_cells};

static const struct column user_cols[] = {
	{.title = "identifier", .flex = true},
	{.title = "threads", .right = true},
	{.title = "created", .optional = true},
};

static bool user_cells(struct ui *ui, const struct tnode *k, char (*cell)[NODELIST_CELL])
{
	(void)ui;
	if (k->ops != &chainlit_user_ops)
		return false;
	const struct user_node *u = k->data;
	snprintf(cell[0], NODELIST_CELL, "%s", u->identifier);
	if (k->loaded) {
		size_t n = 0;
		bool more = false;
		for (size_t i = 0; i < k->nkids; i++) {
			n += k->kids[i]->ops == &chainlit_thread_ops;
			more |= k->kids[i]->autoload;
		}
		snprintf(cell[1], NODELIST_CELL, "%zu%s", n, more ? "+" : "");
	}
	snprintf(cell[2], NODELIST_CELL, "%s", u->created ? u->created : "");
	return true;
}

static const struct nodelist_spec user_spec = {user_cols, 3, user_cells};

static struct view *threads_list(struct ui *ui, struct tnode *n)
{
	return nodelist_new(ui, n, &thread_spec, true);
}

static struct view *users_list(struct ui *ui, struct tnode *n)
{
	return nodelist_new(ui, n, &user_spec, false);
}

/* label: "2026-04-24 13:05  name  +2 -1 c1" */
static void thread_label(struct cl_state *st, struct tnode *n)
{
	struct thread_node *t = n->data;
	char counts[64] = "";
	/* counts only once the Scan is through: a partial count would mislead */
	struct fb_counts fc = {0};
	if (st->counts_done)
		fb_tally_get(&st->counts, t->thread_id, &fc);
	long up = fc.up, down = fc.down, com = fc.comments;
	/* the counts come before the name, which the pane may cut */
	if (up || down)
		snprintf(counts, sizeof counts, " +%ld-%ld%s", up, down, com ? "\xe2\x9c\x8e" : "");
	free(n->label);
	n->label = util_xasprintf("%s%s  %s", t->created ? t->created : "?", counts,
	                          t->name ? t->name : "(no name)");
	n->role = down ? ROLE_DOWN : up ? ROLE_UP : t->name ? ROLE_NORMAL : ROLE_PROBLEM;
	n->feedback_mark = up || down ? 1 : -1;
	/* the :only filter */
	bool show = st->only == ONLY_ALL || !st->counts_done ||
	            (st->only == ONLY_NEGATIVE && down > 0) || (st->only == ONLY_COMMENTS && com > 0);
	n->hidden = !show;
}

void chainlit_relabel_all(struct cl_state *st, struct tnode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		if (n->kids[i]->ops == &chainlit_thread_ops)
			thread_label(st, n->kids[i]);
		chainlit_relabel_all(st, n->kids[i]);
	}
}

/* Set a thread node from a decoded thread (an index item or the full item). */
static void thread_fill(struct cl_state *st, struct tnode *n, const struct cl_thread *th)
{
	struct thread_node *t = n->data;
	free(t->name);
	t->name = th->name ? util_xstrdup(th->name) : NULL;
	free(t->created);
	t->created = NULL;
	int64_t us;
	if (th->created_at && time_parse(th->created_at, &us)) {
		char buf[32];
		time_format(us, buf, sizeof buf);
		buf[16] = '\0';   /* minutes are enough in the tree */
		t->created = util_xstrdup(buf);
	}
	tnode_set_item(n, th->raw);
	free(n->problems);
	n->problems = th->problems.n ? problems_join(&th->problems) : NULL;
	thread_label(st, n);
}

static struct tnode *thread_node_new(struct cl_state *st, const struct cl_thread *th)
{
	struct thread_node *t = util_xcalloc(1, sizeof *t);
	t->thread_id = util_xstrdup(th->id ? th->id : "?");
	struct tnode *n = tnode_new("", &chainlit_thread_ops, t);
	n->id = util_xstrdup(t->thread_id);
	thread_fill(st, n, th);
	return n;
}

/* ---- paging threads into a node ------------------------------------------------------ */

/* The user (or "no user") node owns its threads' load from the first page
 * to the last: a page is drawn from its index page alone (time, name and id
 * are all in the UserThread projection), so the first screen costs one
 * Query, then completed by the BatchGetItem of the full THREAD items (each
 * node's raw item and problems); only after that may the next page load.
 * Both stages come to threads_page. */
struct threads_load {
	struct tnode_load base;
	struct cl_thread_pages *pages;
	struct tnode *more;      /* the "more..." node while one is shown */
	struct tnode **partial;  /* the page's nodes drawn from index items */
	size_t npartial;
};

static void threads_load_free(struct threads_load *L)
{
	cl_thread_pages_free(L->pages);
	free(L->partial);
	free(L);
}

static void threads_cancel(struct tnode_load *l)
{
	threads_load_free((struct threads_load *)l);
}

static void threads_page(const struct cl_threads *page, bool complete, const struct ddb_error *err,
                         void *ud);

static struct view *more_list(struct ui *ui, struct tnode *n)
{
	/* selecting "more..." loads the next page: paging as you scroll */
	struct threads_load *L = n->parent ? (struct threads_load *)n->parent->load : NULL;
	if (L && L->more == n && cl_thread_pages_next(L->pages, threads_page, L)) {
		free(n->label);
		n->label = util_xstrdup("loading more...");
		tree_changed(ui);
	}
	return NULL;
}

static const struct tnode_ops more_ops = {.list = more_list};

static void scan_when_held(struct cl_state *st);

static void user_loaded(struct cl_state *st, struct tnode *n, bool more);

static void thread_fill(struct cl_state *st, struct tnode *n, const struct cl_thread *th);

/* A page of threads came, drawn from its index page (complete false) or
 * complete: one refresh of the tree each time. */
static void threads_page(const struct cl_threads *page, bool complete, const struct ddb_error *err,
                         void *ud)
{
	struct threads_load *L = ud;
	struct ui *ui = L->base.ui;
	struct tnode *node = L->base.node;
	struct cl_state *st = chainlit_state(ui);
	if (L->more) {
		tnode_delete(L->more);   /* the page goes where it was */
		L->more = NULL;
	}
	if (err) {
		char *d = ddb_error_describe(err, &ui->s->conf, 0);
		char *msg = util_xasprintf("threads: %s", d);
		free(d);
		tnode_load_end(&L->base);
		threads_load_free(L);
		tree_loaded(ui, node, msg);
		free(msg);
		scan_when_held(st);
		return;
	}
	if (!complete || !L->npartial) {
		L->partial = util_xrealloc(L->partial, (page->n ? page->n : 1) * sizeof *L->partial);
		for (size_t i = 0; i < page->n; i++) {
			struct tnode *n = thread_node_new(st, &page->v[i]);
			tnode_add(node, n);
			L->partial[i] = n;
		}
		L->npartial = complete ? 0 : page->n;
	} else {
		/* the same threads as the index page, complete: fill in their nodes */
		for (size_t i = 0; i < page->n && i < L->npartial; i++)
			thread_fill(st, L->partial[i], &page->v[i]);
		L->npartial = 0;
	}
	if (!complete) {
		tree_loaded(ui, node, NULL);   /* drawn now; the full items follow */
		return;
	}
	bool more = !cl_thread_pages_done(L->pages);
	if (more) {
		L->more = tnode_new("more... (loads as you scroll)", &more_ops, NULL);
		L->more->role = ROLE_DIM;
		L->more->autoload = true;
		tnode_add(node, L->more);
	} else {
		tnode_load_end(&L->base);
		threads_load_free(L);
	}
	tree_loaded(ui, node, NULL);
	user_loaded(st, node, more);
	scan_when_held(st);
}

static void start_threads(struct ui *ui, struct tnode *n, struct cl_thread_pages *pages)
{
	struct threads_load *L = util_xcalloc(1, sizeof *L);
	L->pages = pages;
	tnode_load_start(n, &L->base, ui, threads_cancel);
	cl_thread_pages_next(pages, threads_page, L);
}

/* ---- users --------------------------------------------------------------------------- */

static void free_user_node(void *d)
{
	struct user_node *u = d;
	free(u->identifier);
	free(u->created);
	free(u);
}

static void user_expand(struct ui *ui, struct tnode *n)
{
	struct user_node *u = n->data;
	start_threads(ui, n, cl_user_thread_pages(ui->s, chainlit_state(ui)->table, u->identifier,
	                                          THREAD_PAGE));
}

const struct tnode_ops chainlit_user_ops = {.expand = user_expand, .list = threads_list,
                                            .free_data = free_user_node};

/* A node :user added for an identifier with no USER item and no thread
 * is kept (threads may come), but the status line says so, once both the
 * user's load and the users Scan are through. */
static void say_no_user(struct cl_state *st, struct tnode *n)
{
	struct user_node *u = n->data;
	if (n->ops == &chainlit_user_ops && u->by_command && u->no_threads && !n->item_text && st->users_done)
		ui_message(st->ui, false, "no user %s and no threads for it", u->identifier);
}

static void user_loaded(struct cl_state *st, struct tnode *n, bool more)
{
	if (n->ops != &chainlit_user_ops)
		return;
	struct user_node *u = n->data;
	u->no_threads = !more && !n->nkids;
	say_no_user(st, n);
}

static void unowned_expand(struct ui *ui, struct tnode *n)
{
	/* Scan pages hold THREAD items already: complete at once */
	start_threads(ui, n, cl_unowned_thread_pages(ui->s, chainlit_state(ui)->table, THREAD_PAGE));
}

static const struct tnode_ops unowned_ops = {.expand = unowned_expand, .list = threads_list};

/* The Conversations node owns the Scan of the users and the feedback. */
struct users_load {
	struct tnode_load base;
	struct pager *pager;
};

static void users_cancel(struct tnode_load *l)
{
	struct users_load *L = (struct users_load *)l;
	pager_free(L->pager);
	free(L);
}

/* The Scan is through (or failed): the node no longer owns it. */
static void users_end(struct users_load *L)
{
	tnode_load_end(&L->base);
	pager_free(L->pager);   /* from its own callback: freed once it returns */
	free(L);
}

static void add_users(struct cl_state *st, struct tnode *node, const json_t *items)
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
				if (n->ops != &chainlit_user_ops || !n->id || strcmp(n->id, ident))
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
		struct user_node *u = util_xcalloc(1, sizeof *u);
		u->identifier = util_xstrdup(ident ? ident : "?");
		int64_t us_created;
		if (us.v[i].created_at && time_parse(us.v[i].created_at, &us_created)) {
			char buf[32];
			time_format(us_created, buf, sizeof buf);
			buf[16] = '\0';
			u->created = util_xstrdup(buf);
		}
		struct tnode *k = tnode_new(u->identifier, &chainlit_user_ops, u);
		k->id = util_xstrdup(u->identifier);
		tnode_set_item(k, us.v[i].raw);
		if (us.v[i].problems.n) {
			k->problems = problems_join(&us.v[i].problems);
			k->role = ROLE_PROBLEM;
		}
		tnode_add(node, k);
	}
	cl_users_free(&us);
}

static void users_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct users_load *L = ud;
	struct ui *ui = L->base.ui;
	struct tnode *node = L->base.node;
	struct cl_state *st = chainlit_state(ui);
	if (err) {
		char *d = ddb_error_describe(err, &ui->s->conf, 0);
		char *msg = util_xasprintf("users: %s", d);
		free(d);
		users_end(L);
		st->counts_done = true;
		chainlit_relabel_all(st, st->root);
		tree_loaded(ui, node, msg);
		free(msg);
		return;
	}
	json_t *users = json_array(), *steps = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		json_array_append(cl_item_kind(it) == CL_ITEM_USER ? users : steps, it);
	add_users(st, node, users);
	fb_tally_add_steps(&st->counts, steps);
	json_decref(users);
	json_decref(steps);
	if (!pager_done(p) && pager_next(p, users_page, L)) {
		tree_changed(ui);
		return;
	}
	users_end(L);
	struct tnode *unowned = tnode_new("(threads with no user)", &unowned_ops, NULL);
	unowned->role = ROLE_DIM;
	tnode_add(node, unowned);
	st->counts_done = true;
	st->users_done = true;
	chainlit_relabel_all(st, st->root);
	tree_loaded(ui, node, NULL);
	if (json_object_size(st->pending))
		for (size_t k = 0; k < st->root->nkids; k++)
			say_no_user(st, st->root->kids[k]);
}

/* The users and the feedback counts: one Scan, in the background. */
static void start_scan(struct ui *ui, struct tnode *n)
{
	struct cl_state *st = chainlit_state(ui);
	struct users_load *L = util_xcalloc(1, sizeof *L);
	fb_tally_clear(&st->counts);
	st->counts_done = false;
	st->users_done = false;
	st->scan_held = false;
	json_object_clear(st->listed);
	json_object_clear(st->pending);
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->ops == &chainlit_user_ops && n->kids[i]->id) {
			json_object_set_new(st->listed, n->kids[i]->id, json_true());
			if (((struct user_node *)n->kids[i]->data)->by_command && !n->kids[i]->item_text)
				json_object_set_new(st->pending, n->kids[i]->id, json_true());
		}
	L->pager = cl_users_and_feedback_pager(ui->s, st->table, 0);
	tnode_load_start(n, &L->base, ui, users_cancel);
	pager_next(L->pager, users_page, L);
}

static void conversations_expand(struct ui *ui, struct tnode *n)
{
	struct cl_state *st = chainlit_state(ui);
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
	if (!st->scan_held || !st->root)
		return;
	st->scan_held = false;
	start_scan(st->ui, st->root);
}

/* The Conversations node goes (a switch of tables, the end). */
static void root_gone(void *d)
{
	struct cl_state *st = d;
	st->root = NULL;
}

static const struct tnode_ops conversations_ops = {.expand = conversations_expand,
                                                   .list = users_list, .free_data = root_gone};

static void relabel_thread(struct cl_state *st, struct tnode *n, const char *thread_id)
{
	for (size_t i = 0; i < n->nkids; i++) {
		struct tnode *k = n->kids[i];
		if (k->ops == &chainlit_thread_ops && !strcmp(((struct thread_node *)k->data)->thread_id, thread_id))
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
	struct cl_state *st = chainlit_state(ui);
	if (!st->counts_done || !st->root || !fb_tally_change(&st->counts, thread_id, before, after))
		return;
	relabel_thread(st, st->root, thread_id);
	tree_changed(ui);
}

struct tnode *chainlit_find_thread(struct tnode *n, const char *thread_id)
{
	for (size_t i = 0; n && i < n->nkids; i++) {
		struct tnode *k = n->kids[i];
		if (k->ops == &chainlit_thread_ops) {
			if (!strcmp(((struct thread_node *)k->data)->thread_id, thread_id))
				return k;
		} else {
			struct tnode *f = chainlit_find_thread(k, thread_id);
			if (f)
				return f;
		}
	}
	return NULL;
}

static bool steps_back(struct ui *ui, const char *thread_id)
{
	struct cl_state *st = chainlit_state(ui);
	return nodelist_back_to(ui, chainlit_find_thread(st->root, thread_id));
}

void chainlit_init(struct ui *ui)
{
	struct cl_state *st = util_xcalloc(1, sizeof *st);
	fb_tally_init(&st->counts);
	st->listed = json_object();
	st->pending = json_object();
	st->drafts = json_object();
	st->ui = ui;
	st->counts_update = counts_update;
	st->step_update = chainlit_steps_update;
	st->reshow = chainlit_steps_reshow;
	st->steps_back = steps_back;
	*ui_module_slot(ui, "chainlit") = st;
}

void chainlit_destroy(struct ui *ui)
{
	struct cl_state *st = chainlit_state(ui);
	if (!st)
		return;
	*ui_module_slot(ui, "chainlit") = NULL;
	fb_tally_free(&st->counts);
	json_decref(st->listed);
	json_decref(st->pending);
	json_decref(st->drafts);
	free(st->table);
	free(st);
}

void chainlit_forget_table(struct ui *ui)
{
	struct cl_state *st = chainlit_state(ui);
	if (st->root)
		tnode_delete(st->root);   /* cancels its loads; root_gone clears st->root */
	free(st->table);
	st->table = NULL;
	fb_tally_clear(&st->counts);
	json_object_clear(st->listed);
	json_object_clear(st->pending);
	json_object_clear(st->drafts);
	st->counts_done = st->users_done = false;
	st->hold_scan = st->scan_held = false;
	st->only = ONLY_ALL;
}

void chainlit_roots(struct ui *ui)
{
	struct cl_state *st = chainlit_state(ui);
	if (st->root || !ui->s->chainlit_table)
		return;
	free(st->table);
	st->table = util_xstrdup(ui->s->chainlit_table);
	char label[512];
	snprintf(label, sizeof label, "Conversations  (%s)", st->table);
	st->root = tnode_new(label, &conversations_ops, st);
	tree_add_root(ui, st->root);
}
