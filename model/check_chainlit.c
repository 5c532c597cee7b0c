/* model/check_chainlit.c: the integrity report for a Chainlit table.  One
 * Scan of the whole table; per-item findings as items arrive, then the ones
 * that need the whole table (orphan steps and elements, steps without their
 * THREAD item).
 *
 * Kinds (stable ids):
 *   thread-index-no-name   a thread in the UserThread index without `name`
 *   thread-user-mismatch   userId, userIdentifier and UserThreadPK disagree
 *   thread-missing         steps or elements under a PK with no THREAD item
 *   step-no-createdAt      a step without a usable createdAt
 *   step-stub              a step item with only PK, SK and feedback: made by
 *                          Chainlit's upsert_feedback for a step that did not exist
 *   step-stray             a step item with only PK and SK: left by Chainlit's
 *                          delete_feedback (model/strays.h)
 *   step-orphan            parentId names a step that is not in the thread
 *   element-orphan         forId names a step that is not in the thread
 *   step-cycle             the step is on a parentId cycle (Chainlit's UI and
 *                          any reader that walks up the parents never ends)
 *   feedback-thread-none   feedback written with threadId None (THREAD#None)
 *   feedback-bad-value     feedback value that is not N 0 or 1
 *   item-invalid           any other decoding problem
 *   item-unknown           an item that is no Chainlit entity */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/check.h"
#include "model/chainlit.h"
#include "model/pager.h"
#include "model/strays.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ref {
	char *pk, *sk, *target;   /* target: parentId or forId */
};

/* A stub step or stray item, reported once the THREAD items are known. */
struct stub {
	json_t *key;
	char *pk, *id, *thread_id;
	bool feedback;
};

struct scan {
	struct session *s;
	const char *table;
	struct findings *out;
	check_progress_fn progress;
	void *ud;
	long items;
	json_t *steps;        /* "pk\n id" -> true, real (non-stub) steps */
	json_t *threads;      /* pk -> true */
	json_t *content;      /* pk -> key of the first item with content */
	struct ref *parents, *for_ids;
	size_t n_parents, n_for_ids;
	struct stub *stubs;
	size_t n_stubs;
};

static char *join_key(const char *pk, const char *id)
{
	return util_xasprintf("%s\n%s", pk, id);
}

static void ref_add(struct ref **v, size_t *n, const char *pk, const char *sk, const char *target)
{
	*v = util_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n] = (struct ref){util_xstrdup(pk), util_xstrdup(sk), util_xstrdup(target)};
	(*n)++;
}

static json_t *key_of(const json_t *item)
{
	json_t *k = json_object();
	json_t *pk = json_object_get(item, "PK"), *sk = json_object_get(item, "SK");
	if (pk)
		json_object_set(k, "PK", pk);
	if (sk)
		json_object_set(k, "SK", sk);
	return k;
}

static bool attr_is(const struct problem *p, const char *name)
{
	return p->attr && !strcmp(p->attr, name);
}

/* The problems no specific finding covers, as one item-invalid finding. */
static void rest_invalid(struct scan *sc, const json_t *key, const struct problems *ps,
                         const char *what, const char *const *skip, bool skip_unnamed)
{
	struct problems rest = {0};
	for (size_t i = 0; i < ps->n; i++) {
		bool skipped = !ps->v[i].attr && skip_unnamed;
		for (const char *const *s = skip; s && *s && !skipped; s++)
			skipped = attr_is(&ps->v[i], *s);
		if (!skipped)
			problems_add(&rest, ps->v[i].attr, "%s", ps->v[i].text ? ps->v[i].text : "");
	}
	if (rest.n) {
		char *text = problems_join(&rest);
		findings_add(sc->out, sc->table, key, "item-invalid", "%s: %s", what, text);
		free(text);
	}
	problems_free(&rest);
}

static void check_thread(struct scan *sc, const json_t *item, const json_t *key)
{
	struct cl_thread t;
	cl_thread_decode(&t, item);
	json_object_set_new(sc->threads, ddb_item_s(item, "PK"), json_true());
	if (t.user_thread_pk && !t.name)
		findings_add(sc->out, sc->table, key, "thread-index-no-name",
		             "thread %s is in %s's thread list but has no name: Chainlit's "
		             "list_threads fails for that user", t.id, t.user_thread_pk);
	static const char *const user_attrs[] = {"userId", "userIdentifier", "UserThreadPK", "name", NULL};
	struct problems mis = {0};
	for (size_t i = 0; i < t.problems.n; i++) {
		const struct problem *p = &t.problems.v[i];
		if (attr_is(p, "userId") || attr_is(p, "userIdentifier") || attr_is(p, "UserThreadPK"))
			problems_add(&mis, p->attr, "%s", p->text ? p->text : "");
	}
	if (mis.n) {
		char *text = problems_join(&mis);
		findings_add(sc->out, sc->table, key, "thread-user-mismatch",
		             "thread %s: the user fields disagree: %s", t.id, text);
		free(text);
	}
	problems_free(&mis);
	rest_invalid(sc, key, &t.problems, "thread", user_attrs, false);
	cl_thread_clear(&t);
}

static void mark_content(struct scan *sc, const char *pk, const json_t *key)
{
	if (!json_object_get(sc->content, pk))
		json_object_set(sc->content, pk, (json_t *)key);
}

static void check_step(struct scan *sc, const json_t *item, const json_t *key)
{
	struct cl_step st;
	cl_step_decode(&st, item);
	const char *pk = ddb_item_s(item, "PK"), *sk = ddb_item_s(item, "SK");
	bool none = false;
	if (st.stub) {
		sc->stubs = util_xrealloc(sc->stubs, (sc->n_stubs + 1) * sizeof *sc->stubs);
		sc->stubs[sc->n_stubs++] = (struct stub){
			.key = json_incref((json_t *)key), .pk = util_xstrdup(pk),
			.id = util_xstrdup(st.id), .thread_id = util_xstrdup(st.thread_id),
			.feedback = st.has_feedback,
		};
	} else {
		char *k = join_key(pk, st.id);
		json_object_set_new(sc->steps, k, json_true());
		free(k);
		mark_content(sc, pk, key);
		if (!st.created_ok)
			findings_add(sc->out, sc->table, key, "step-no-createdAt",
			             "step %s in thread %s %s: Chainlit's get_thread fails sorting the "
			             "thread", st.id, st.thread_id,
			             st.created_at ? "has an unreadable createdAt" : "has no createdAt");
		if (st.parent_id)
			ref_add(&sc->parents, &sc->n_parents, pk, sk, st.parent_id);
	}
	if (st.has_feedback) {
		const json_t *m = json_object_get(st.feedback.av, "M");
		const json_t *tav = json_object_get(m, "threadId");
		if ((tav && !st.feedback.thread_id) || !strcmp(st.thread_id, "None")) {
			none = true;
			findings_add(sc->out, sc->table, key, "feedback-thread-none",
			             "feedback on step %s was written without a thread (threadId NULL, "
			             "key THREAD#None)", st.id);
		}
		if (st.feedback.vote < 0)
			findings_add(sc->out, sc->table, key, "feedback-bad-value",
			             "feedback on step %s has value %s, expected N 0 or 1", st.id,
			             st.feedback.value ? st.feedback.value : "(missing or not a number)");
	}
	const char *skip[] = {"createdAt", "feedback.value", none ? "feedback.threadId" : NULL, NULL};
	rest_invalid(sc, key, &st.problems, "step", skip, st.stub);
	cl_step_clear(&st);
}

static void check_element(struct scan *sc, const json_t *item, const json_t *key)
{
	struct cl_element e;
	cl_element_decode(&e, item);
	const char *pk = ddb_item_s(item, "PK");
	mark_content(sc, pk, key);
	if (e.for_id)
		ref_add(&sc->for_ids, &sc->n_for_ids, pk, ddb_item_s(item, "SK"), e.for_id);
	rest_invalid(sc, key, &e.problems, "element", NULL, false);
	cl_element_clear(&e);
}

static void check_user(struct scan *sc, const json_t *item, const json_t *key)
{
	struct cl_user u;
	cl_user_decode(&u, item);
	rest_invalid(sc, key, &u.problems, "user", NULL, false);
	cl_user_clear(&u);
}

static void scan_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	(void)p;
	(void)err;
	struct scan *sc = ud;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_t *key = key_of(it);
		switch (cl_item_kind(it)) {
		case CL_ITEM_USER: check_user(sc, it, key); break;
		case CL_ITEM_THREAD: check_thread(sc, it, key); break;
		case CL_ITEM_STEP: check_step(sc, it, key); break;
		case CL_ITEM_ELEMENT: check_element(sc, it, key); break;
		case CL_ITEM_UNKNOWN:
			findings_add(sc->out, sc->table, key, "item-unknown",
			             "an item that is no Chainlit user, thread, step or element");
			break;
		}
		json_decref(key);
	}
	sc->items += (long)json_array_size(items);
	if (sc->progress)
		sc->progress(sc->table, sc->items, sc->ud);
}

static json_t *ref_key(const struct ref *r);

/* parentId links form a functional graph (one parent each): walk each path
 * once, marking nodes in progress; meeting one again closes a cycle.  O(n). */
static void find_cycles(struct scan *sc)
{
	json_t *parent = json_object();   /* "pk\nchild" -> index into sc->parents */
	for (size_t i = 0; i < sc->n_parents; i++) {
		const char *child = cl_strip_prefix(sc->parents[i].sk, "STEP#");
		char *k = join_key(sc->parents[i].pk, child ? child : sc->parents[i].sk);
		json_object_set_new(parent, k, json_integer((json_int_t)i));
		free(k);
	}
	json_t *state = json_object();    /* key -> 1 in progress, 2 done */
	size_t *path = util_xcalloc(sc->n_parents + 1, sizeof *path);
	for (size_t i = 0; i < sc->n_parents; i++) {
		size_t n = 0;
		json_int_t cur = (json_int_t)i;
		for (;;) {
			const struct ref *r = &sc->parents[cur];
			const char *child = cl_strip_prefix(r->sk, "STEP#");
			char *k = join_key(r->pk, child ? child : r->sk);
			json_int_t st = json_integer_value(json_object_get(state, k));
			if (st == 2) {
				free(k);
				break;
			}
			if (st == 1) {
				/* the cycle is the part of the path from this node on */
				size_t from = 0;
				while (from < n && path[from] != (size_t)cur)
					from++;
				for (size_t j = from; j < n; j++) {
					const struct ref *m = &sc->parents[path[j]];
					json_t *key = ref_key(m);
					findings_add(sc->out, sc->table, key, "step-cycle",
					             "%s is on a parentId cycle (its parent is %s)", m->sk, m->target);
					json_decref(key);
				}
				free(k);
				break;
			}
			json_object_set_new(state, k, json_integer(1));
			path[n++] = (size_t)cur;
			char *pk2 = join_key(r->pk, r->target);
			json_t *next = json_object_get(parent, pk2);
			free(pk2);
			free(k);
			if (!next || n > sc->n_parents)
				break;
			cur = json_integer_value(next);
		}
		for (size_t j = 0; j < n; j++) {
			const struct ref *m = &sc->parents[path[j]];
			const char *child = cl_strip_prefix(m->sk, "STEP#");
			char *k = join_key(m->pk, child ? child : m->sk);
			json_object_set_new(state, k, json_integer(2));
			free(k);
		}
	}
	free(path);
	json_decref(state);
	json_decref(parent);
}

/* Stub steps and stray items, now that the THREAD items are known: what
 * Chainlit does with them depends on it (model/strays.h). */
static void report_stubs(struct scan *sc)
{
	for (size_t i = 0; i < sc->n_stubs; i++) {
		const struct stub *b = &sc->stubs[i];
		bool thread = b->pk && json_object_get(sc->threads, b->pk);
		findings_add(sc->out, sc->table, b->key, b->feedback ? "step-stub" : "step-stray",
		             "step %s in thread %s is %s; %s", b->id ? b->id : "?",
		             b->thread_id ? b->thread_id : "?", stray_origin(b->feedback),
		             stray_effect(thread));
	}
}

static void free_stubs(struct stub *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_decref(v[i].key);
		free(v[i].pk);
		free(v[i].id);
		free(v[i].thread_id);
	}
	free(v);
}

static json_t *ref_key(const struct ref *r)
{
	return json_pack("{s:o,s:o}", "PK", ddb_av_s(r->pk), "SK", ddb_av_s(r->sk));
}

static void free_refs(struct ref *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].pk);
		free(v[i].sk);
		free(v[i].target);
	}
	free(v);
}

/* The refs whose target is no step of their thread: steps' parentIds
 * (step-orphan) or, with `for_ids`, elements' forIds (element-orphan). */
static void find_orphans(struct scan *sc, const struct ref *v, size_t n, bool for_ids)
{
	for (size_t i = 0; i < n; i++) {
		char *k = join_key(v[i].pk, v[i].target);
		if (!json_object_get(sc->steps, k)) {
			json_t *key = ref_key(&v[i]);
			if (for_ids)
				findings_add(sc->out, sc->table, key, "element-orphan",
				             "the step %s that %s belongs to is not in the thread",
				             v[i].target, v[i].sk);
			else
				findings_add(sc->out, sc->table, key, "step-orphan",
				             "the parent step %s of %s is not in the thread",
				             v[i].target, v[i].sk);
			json_decref(key);
		}
		free(k);
	}
}

struct check_chainlit_run *check_chainlit_begin(struct session *s, struct findings *out,
                                                check_progress_fn progress, void *ud)
{
	if (!s->chainlit_table || !*s->chainlit_table)
		return NULL;
	struct scan *sc = util_xcalloc(1, sizeof *sc);
	*sc = (struct scan){
		.s = s, .table = s->chainlit_table, .out = out, .progress = progress, .ud = ud,
		.steps = json_object(), .threads = json_object(), .content = json_object(),
	};
	return (struct check_chainlit_run *)sc;
}

void check_chainlit_page(struct check_chainlit_run *r, const json_t *items)
{
	scan_page(NULL, items, NULL, r);
}

void check_chainlit_end(struct check_chainlit_run *r)
{
	struct scan *sc = (struct scan *)r;
	report_stubs(sc);
	find_cycles(sc);
	find_orphans(sc, sc->parents, sc->n_parents, false);
	find_orphans(sc, sc->for_ids, sc->n_for_ids, true);
	const char *pk;
	json_t *key;
	json_object_foreach(sc->content, pk, key)
		if (!json_object_get(sc->threads, pk))
			findings_add(sc->out, sc->table, key, "thread-missing",
			             "%s holds steps or elements but no THREAD item: Chainlit's "
			             "get_thread says \"not found\"", pk);
}

void check_chainlit_free(struct check_chainlit_run *r)
{
	struct scan *sc = (struct scan *)r;
	if (!sc)
		return;
	free_refs(sc->parents, sc->n_parents);
	free_refs(sc->for_ids, sc->n_for_ids);
	free_stubs(sc->stubs, sc->n_stubs);
	json_decref(sc->steps);
	json_decref(sc->threads);
	json_decref(sc->content);
	free(sc);
}

static void page_sync(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	(void)p;
	if (!err)
		check_chainlit_page(ud, items);
}

int check_chainlit(struct session *s, struct findings *out, check_progress_fn progress, void *ud,
                   struct ddb_error *err)
{
	memset(err, 0, sizeof *err);
	struct check_chainlit_run *r = check_chainlit_begin(s, out, progress, ud);
	if (!r)
		return 0;
	struct pager *p = pager_new(s, "Scan", json_pack("{s:s}", "TableName", s->chainlit_table));
	int rc = pager_drain_sync(p, 0, page_sync, r, err);
	pager_free(p);
	if (rc == 0)
		check_chainlit_end(r);
	check_chainlit_free(r);
	return rc;
}
