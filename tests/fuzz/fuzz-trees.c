/* tests/fuzz/fuzz-trees.c: the two pure graph builders over decoded items:
 * the Stache namespace tree (stache_tree_build, model/stache.h) and the
 * Chainlit conversation tree (cl_conversation_build, model/chainlit.h).
 *
 * Input: bytes parsed as JSON (json_loadb, JSON_ALLOW_NUL); an array is a
 * page of items (an object is a page of one).  Parent links may be missing,
 * repeated, point at themselves or form cycles of any length.
 *
 * Properties checked:
 *   - Stache: every namespace is in the display rows exactly once; a row
 *     below another is one deeper than its parent's row; roots, orphans
 *     and cycle members are at depth 0; stache_tree_find finds a namespace
 *     with each id; ancestors end at the namespace and follow parent links;
 *     stache_tree_path gives a string;
 *   - Chainlit: every step is a root, an orphan, a cycle member or the child
 *     of exactly one step; with nothing collapsed every step and element is
 *     in the rows exactly once and every unknown item once; a child row is
 *     one deeper than its parent's; collapsing never adds rows. */
#include "fuzz.h"

#include <stdbool.h>

#include <jansson.h>

#include "model/stache.h"
#include "model/chainlit.h"

static void check_stache(const json_t *items)
{
	struct stache_ns_list l = {0};
	stache_ns_list_add_items(&l, items);
	struct stache_tree t;
	stache_tree_build(l.v, l.n, &t);
	size_t n = l.n;

	FUZZ_CHECK(t.n_rows == n, "%zu rows for %zu namespaces", t.n_rows, n);
	size_t *seen = calloc(n ? n : 1, sizeof *seen), *row_of = calloc(n ? n : 1, sizeof *row_of);
	if (!seen || !row_of)
		abort();
	for (size_t r = 0; r < t.n_rows; r++) {
		size_t i = t.rows[r].ns;
		FUZZ_CHECK(i < n, "row %zu names namespace %zu of %zu", r, i, n);
		seen[i]++;
		row_of[i] = r;
	}
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(seen[i] == 1, "namespace %zu is in %zu rows", i, seen[i]);
	for (size_t r = 0; r < t.n_rows; r++) {
		const struct stache_tree_row *row = &t.rows[r];
		size_t i = row->ns, p = t.parent[i];
		FUZZ_CHECK(row->place == t.place[i], "row place differs from the namespace's");
		FUZZ_CHECK(row->on_cycle == t.on_cycle[i], "row on_cycle differs");
		if (p == STACHE_NONE || t.on_cycle[i]) {
			FUZZ_CHECK(row->depth == 0, "a top namespace at depth %d", row->depth);
		} else {
			FUZZ_CHECK(p < n, "parent %zu of %zu", p, n);
			FUZZ_CHECK(row_of[p] < r, "a child row before its parent's");
			FUZZ_CHECK(row->depth == t.rows[row_of[p]].depth + 1,
			           "depth %d below a parent at depth %d", row->depth,
			           t.rows[row_of[p]].depth);
		}
	}
	size_t tops = t.roots.n + t.orphans.n, members = 0, children = 0;
	for (size_t c = 0; c < t.n_cycles; c++)
		members += t.cycles[c].n;
	for (size_t i = 0; i < n; i++)
		children += t.children[i].n;
	FUZZ_CHECK(tops + members + children == n, "%zu roots/orphans + %zu cycle members + %zu "
	           "children for %zu namespaces", tops, members, children, n);

	for (size_t i = 0; i < n; i++) {
		if (l.v[i].id) {
			size_t f = stache_tree_find(&t, l.v[i].id);
			FUZZ_CHECK(f < n && l.v[f].id && !strcmp(l.v[f].id, l.v[i].id),
			           "stache_tree_find misses id \"%s\"", l.v[i].id);
		}
		if (i >= 32)
			continue;
		size_t an;
		enum stache_path_end end;
		size_t *anc = stache_tree_ancestors(&t, i, &an, &end);
		FUZZ_CHECK(anc && an >= 1 && anc[an - 1] == i, "ancestors of %zu do not end with it", i);
		for (size_t k = 0; k + 1 < an; k++)
			FUZZ_CHECK(t.parent[anc[k + 1]] == anc[k], "ancestor %zu is not the parent", k);
		FUZZ_CHECK(an <= n, "%zu ancestors among %zu namespaces", an, n);
		free(anc);
		char *path = stache_tree_path(&t, i);
		FUZZ_CHECK(path != NULL, "stache_tree_path returned NULL");
		free(path);
	}
	size_t none;
	enum stache_path_end end;
	FUZZ_CHECK(!stache_tree_ancestors(&t, n, &none, &end) && none == 0,
	           "ancestors of an index past the end");
	FUZZ_CHECK(stache_tree_find(&t, NULL) == STACHE_NONE, "stache_tree_find(NULL)");

	free(seen);
	free(row_of);
	stache_tree_free(&t);
	stache_ns_list_free(&l);
}

static void check_chainlit(const json_t *items, uint8_t collapse_seed)
{
	struct cl_conversation *c = cl_conversation_build("fuzz-thread", items);
	FUZZ_CHECK(c != NULL, "cl_conversation_build returned NULL");
	size_t ns = c->n_steps, children = 0;
	for (size_t i = 0; i < ns; i++) {
		const struct cl_node *nd = &c->nodes[i];
		FUZZ_CHECK(nd->step == &c->steps[i], "node %zu is not step %zu", i, i);
		children += nd->n_children;
		for (size_t k = 0; k < nd->n_children; k++)
			FUZZ_CHECK(nd->children[k]->parent == nd, "a child whose parent is another");
		if (nd->parent)
			FUZZ_CHECK(!nd->cycle && !nd->orphan, "a linked node marked cycle or orphan");
	}
	FUZZ_CHECK(c->n_roots + c->n_orphans + c->n_cycles + children == ns,
	           "%zu roots + %zu orphans + %zu cycle members + %zu children for %zu steps",
	           c->n_roots, c->n_orphans, c->n_cycles, children, ns);

	struct cl_rows rows;
	cl_conversation_rows(c, &rows);
	size_t *step_seen = calloc(ns ? ns : 1, sizeof *step_seen);
	size_t *el_seen = calloc(c->n_elements ? c->n_elements : 1, sizeof *el_seen);
	size_t *row_of = calloc(ns ? ns : 1, sizeof *row_of);
	size_t unknown = 0;
	if (!step_seen || !el_seen || !row_of)
		abort();
	for (size_t r = 0; r < rows.n; r++) {
		const struct cl_row *row = &rows.v[r];
		FUZZ_CHECK(cl_section_name(row->section) != NULL, "a section without a name");
		switch (row->kind) {
		case CL_ROW_STEP: {
			size_t i = (size_t)(row->node - c->nodes);
			FUZZ_CHECK(i < ns, "a row for a node not in the conversation");
			step_seen[i]++;
			row_of[i] = r;
			if (row->node->parent) {
				size_t p = (size_t)(row->node->parent - c->nodes);
				FUZZ_CHECK(step_seen[p] && row->depth == rows.v[row_of[p]].depth + 1,
				           "a child row at depth %d, not below its parent", row->depth);
			}
			break;
		}
		case CL_ROW_ELEMENT: {
			size_t e = (size_t)(row->element - c->elements);
			FUZZ_CHECK(e < c->n_elements, "a row for an element not in the conversation");
			el_seen[e]++;
			break;
		}
		case CL_ROW_UNKNOWN:
			unknown++;
			break;
		case CL_ROW_SECTION:
			FUZZ_CHECK(row->label && row->depth == 0, "a section row without label or at "
			           "depth %d", row->depth);
			break;
		}
	}
	for (size_t i = 0; i < ns; i++)
		FUZZ_CHECK(step_seen[i] == 1, "step %zu is in %zu rows", i, step_seen[i]);
	for (size_t e = 0; e < c->n_elements; e++)
		FUZZ_CHECK(el_seen[e] == 1, "element %zu is in %zu rows", e, el_seen[e]);
	FUZZ_CHECK(unknown == c->n_unknown, "%zu unknown rows for %zu unknown items", unknown,
	           c->n_unknown);

	/* collapse some nodes: never more rows */
	for (size_t i = 0; i < ns; i++)
		c->nodes[i].collapsed = ((i * 7 + collapse_seed) % 3) == 0;
	struct cl_rows fewer;
	cl_conversation_rows(c, &fewer);
	FUZZ_CHECK(fewer.n <= rows.n, "collapsing gave %zu rows instead of %zu", fewer.n, rows.n);
	cl_rows_free(&fewer);

	free(step_seen);
	free(el_seen);
	free(row_of);
	cl_rows_free(&rows);
	char *probs = problems_join(&c->problems);
	free(probs);
	cl_conversation_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v = json_loadb((const char *)data, size, JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL);
	if (!v)
		return 0;
	json_t *items = v;
	if (!json_is_array(v)) {
		items = json_array();
		json_array_append(items, v);
	}
	check_stache(items);
	check_chainlit(items, size ? data[size - 1] : 0);
	if (items != v)
		json_decref(items);
	json_decref(v);
	return 0;
}
