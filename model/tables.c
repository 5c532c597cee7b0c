/* model/tables.c: list and describe tables; detect Stache/Chainlit layouts. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/tables.h"
#include "model/pager.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name, *desc; } layouts[] = {
#define TL_X_ROW(id, name, desc) {name, desc},
	TABLE_LAYOUTS(TL_X_ROW)
#undef TL_X_ROW
};

const char *table_layout_name(enum table_layout l)
{
	return (size_t)l < sizeof layouts / sizeof layouts[0] ? layouts[l].name : "?";
}

const char *table_layout_desc(enum table_layout l)
{
	return (size_t)l < sizeof layouts / sizeof layouts[0] ? layouts[l].desc : "?";
}

void table_list_free(struct table_list *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->n; i++) {
		struct table_info *t = &tl->v[i];
		free(t->name);
		free(t->status);
		free(t->key_schema);
		free(t->hash_key);
		free(t->range_key);
		free(t->indexes);
		free(t->error);
	}
	free(tl->v);
	tl->v = NULL;
	tl->n = 0;
}

/* The attribute named as key `type` ("HASH"/"RANGE") in a KeySchema array. */
static const char *key_attr(const json_t *schema, const char *type)
{
	size_t i;
	json_t *k;
	json_array_foreach(schema, i, k)
		if (!strcmp(json_string_value(json_object_get(k, "KeyType")) ?: "", type))
			return json_string_value(json_object_get(k, "AttributeName"));
	return NULL;
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The GSI of that name, or NULL. */
static const json_t *find_index(const json_t *desc, const char *name)
{
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(desc, "GlobalSecondaryIndexes"), i, g)
		if (str_eq(json_string_value(json_object_get(g, "IndexName")), name))
			return g;
	return NULL;
}

static bool index_keys(const json_t *desc, const char *index, const char *hash, const char *range)
{
	const json_t *g = find_index(desc, index);
	if (!g)
		return false;
	const json_t *ks = json_object_get(g, "KeySchema");
	if (!str_eq(key_attr(ks, "HASH"), hash))
		return false;
	return range ? str_eq(key_attr(ks, "RANGE"), range) : key_attr(ks, "RANGE") == NULL;
}

/* Layouts are recognised by what the libraries query: the key schema and
 * the index names with their key attributes (SCHEMAS.md A.1, A.2, B). */
enum table_layout table_detect_layout(const json_t *desc)
{
	const json_t *ks = json_object_get(desc, "KeySchema");
	const char *hash = key_attr(ks, "HASH"), *range = key_attr(ks, "RANGE");
	if (!hash)
		return LAYOUT_UNKNOWN;
	if (str_eq(hash, "id") && !range && index_keys(desc, "parent_id-index", "parent_id", NULL))
		return LAYOUT_STACHE_NAMESPACES;
	if (str_eq(hash, "PK") && str_eq(range, "SK")) {
		if (index_keys(desc, "GSI1", "GSI1PK", "GSI1SK") &&
		    index_keys(desc, "GSI2", "GSI2PK", "GSI2SK"))
			return LAYOUT_STACHE_DOCUMENTS;
		if (index_keys(desc, "UserThread", "UserThreadPK", "UserThreadSK"))
			return LAYOUT_CHAINLIT;
	}
	return LAYOUT_GENERIC;
}

static char *describe_keys(const json_t *desc)
{
	const json_t *ks = json_object_get(desc, "KeySchema");
	const json_t *defs = json_object_get(desc, "AttributeDefinitions");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return util_xstrdup("");
	size_t i, j;
	json_t *k, *d;
	json_array_foreach(ks, i, k) {
		const char *an = json_string_value(json_object_get(k, "AttributeName")) ?: "?";
		const char *type = "?";
		json_array_foreach(defs, j, d)
			if (str_eq(json_string_value(json_object_get(d, "AttributeName")), an))
				type = json_string_value(json_object_get(d, "AttributeType")) ?: "?";
		const char *kt = json_string_value(json_object_get(k, "KeyType")) ?: "?";
		fprintf(f, "%s%s (%s, %s)", i ? ", " : "", an, type,
		        !strcmp(kt, "HASH") ? "hash" : !strcmp(kt, "RANGE") ? "range" : kt);
	}
	fclose(f);
	return out;
}

static char *describe_indexes(const json_t *desc)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return util_xstrdup("");
	int n = 0;
	const char *kinds[] = {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"};
	for (int k = 0; k < 2; k++) {
		size_t i;
		json_t *g;
		json_array_foreach(json_object_get(desc, kinds[k]), i, g)
			fprintf(f, "%s%s", n++ ? ", " : "",
			        json_string_value(json_object_get(g, "IndexName")) ?: "?");
	}
	fclose(f);
	return out;
}

static void fill_info(struct table_info *t, const json_t *desc)
{
	t->layout = table_detect_layout(desc);
	t->status = util_xstrdup(json_string_value(json_object_get(desc, "TableStatus")) ?: "?");
	t->key_schema = describe_keys(desc);
	const json_t *ks = json_object_get(desc, "KeySchema");
	t->hash_key = key_attr(ks, "HASH") ? util_xstrdup(key_attr(ks, "HASH")) : NULL;
	t->range_key = key_attr(ks, "RANGE") ? util_xstrdup(key_attr(ks, "RANGE")) : NULL;
	t->indexes = describe_indexes(desc);
	json_t *ic = json_object_get(desc, "ItemCount");
	t->item_count = json_is_number(ic) ? (long long)json_number_value(ic) : -1;
	json_t *sz = json_object_get(desc, "TableSizeBytes");
	t->size_bytes = json_is_number(sz) ? (long long)json_number_value(sz) : -1;
}

/* ---- the asynchronous load ---------------------------------------------- */

struct tables_load {
	struct session *s;
	tables_done_fn cb;
	void *ud;
	struct table_list tl;
	size_t cap;
	int describing;
	struct ddb_error err;
	bool failed;
	bool skip_named;
	ddb_call *list_call;     /* the ListTables page in flight, or NULL */
	struct describe_slot **slots;   /* one per table while its DescribeTable runs */
};

struct describe_slot {
	struct tables_load *L;
	size_t idx;
	ddb_call *call;
};

static void load_free(struct tables_load *L)
{
	table_list_free(&L->tl);
	ddb_error_clear(&L->err);
	free(L->slots);
	free(L);
}

void tables_load_cancel(struct tables_load *L)
{
	if (!L)
		return;
	if (L->list_call)
		ddb_abandon(L->s->ddb, L->list_call);
	for (size_t k = 0; L->slots && k < L->tl.n; k++)
		if (L->slots[k]) {
			ddb_abandon(L->s->ddb, L->slots[k]->call);
			free(L->slots[k]);
		}
	load_free(L);
}

static void load_finish(struct tables_load *L)
{
	L->cb(&L->tl, L->failed ? &L->err : NULL, L->ud);
	load_free(L);
}

static void describe_done(struct ddb_result *r, void *ud)
{
	struct describe_slot *d = ud;
	struct tables_load *L = d->L;
	struct table_info *t = &L->tl.v[d->idx];
	if (r->err.kind == DDB_OK) {
		fill_info(t, json_object_get(r->body, "Table"));
	} else {
		t->layout = LAYOUT_UNKNOWN;
		t->error = ddb_error_describe(&r->err, &L->s->conf, 0);
	}
	L->slots[d->idx] = NULL;
	free(d);
	if (--L->describing == 0)
		load_finish(L);
}

static void list_page(struct tables_load *L, const char *start);

static void list_done(struct ddb_result *r, void *ud)
{
	struct tables_load *L = ud;
	L->list_call = NULL;
	if (r->err.kind != DDB_OK) {
		L->failed = true;
		ddb_error_copy(&L->err, &r->err);
		load_finish(L);
		return;
	}
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(r->body, "TableNames"), i, n) {
		if (!json_is_string(n))
			continue;
		if (L->tl.n == L->cap) {
			L->cap = L->cap ? L->cap * 2 : 16;
			L->tl.v = util_xrealloc(L->tl.v, L->cap * sizeof *L->tl.v);
		}
		L->tl.v[L->tl.n++] = (struct table_info){.name = util_xstrdup(json_string_value(n)),
		                                         .item_count = -1, .size_bytes = -1};
	}
	const char *next = json_string_value(json_object_get(r->body, "LastEvaluatedTableName"));
	if (next) {
		list_page(L, next);
		return;
	}
	if (L->tl.n == 0) {
		load_finish(L);
		return;
	}
	const struct session *s = L->s;
	const struct {
		const char *name;
		enum table_layout layout;
	} roles[] = {{s->namespace_table, LAYOUT_STACHE_NAMESPACES},
	             {s->documents_table, LAYOUT_STACHE_DOCUMENTS},
	             {s->chainlit_table, LAYOUT_CHAINLIT}};
	bool *skip = util_xcalloc(L->tl.n, sizeof *skip);
	L->describing = 0;
	for (size_t k = 0; k < L->tl.n; k++) {
		for (size_t ri = 0; L->skip_named && ri < sizeof roles / sizeof roles[0]; ri++)
			if (roles[ri].name && !strcmp(roles[ri].name, L->tl.v[k].name)) {
				L->tl.v[k].layout = roles[ri].layout;
				L->tl.v[k].named = true;
				skip[k] = true;
			}
		if (!skip[k])
			L->describing++;
	}
	if (L->describing == 0) {
		free(skip);
		load_finish(L);
		return;
	}
	L->slots = util_xcalloc(L->tl.n, sizeof *L->slots);
	for (size_t k = 0; k < L->tl.n; k++) {
		if (skip[k])
			continue;
		struct describe_slot *d = util_xcalloc(1, sizeof *d);
		d->L = L;
		d->idx = k;
		L->slots[k] = d;
		d->call = ddb_submit(L->s->ddb, "DescribeTable",
		                     json_pack("{s:s}", "TableName", L->tl.v[k].name), describe_done, d);
	}
	free(skip);
}

static void list_page(struct tables_load *L, const char *start)
{
	json_t *req = json_pack("{s:i}", "Limit", 100);
	if (start)
		json_object_set_new(req, "ExclusiveStartTableName", json_string(start));
	L->list_call = ddb_submit(L->s->ddb, "ListTables", req, list_done, L);
}

static struct tables_load *load_start(struct session *s, bool skip_named, tables_done_fn cb,
                                      void *ud)
{
	struct tables_load *L = util_xcalloc(1, sizeof *L);
	L->skip_named = skip_named;
	L->s = s;
	L->cb = cb;
	L->ud = ud;
	list_page(L, NULL);
	return L;
}

struct tables_load *tables_load(struct session *s, tables_done_fn cb, void *ud)
{
	return load_start(s, false, cb, ud);
}

struct tables_load *tables_load_named(struct session *s, tables_done_fn cb, void *ud)
{
	return load_start(s, true, cb, ud);
}

struct sync_out {
	struct table_list *out;
	struct ddb_error *err;
	bool done, ok;
};

static void sync_done(struct table_list *tl, const struct ddb_error *err, void *ud)
{
	struct sync_out *so = ud;
	so->done = true;
	if (err) {
		ddb_error_copy(so->err, err);
		return;
	}
	so->ok = true;
	*so->out = *tl;        /* take the list; load_finish frees an empty one */
	tl->v = NULL;
	tl->n = 0;
}

int tables_load_sync(struct session *s, struct table_list *out, struct ddb_error *err)
{
	struct sync_out so = {.out = out, .err = err};
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	tables_load(s, sync_done, &so);
	while (!so.done)
		ddb_client_wait(s->ddb, 1000);
	return so.ok ? 0 : -1;
}

int tables_names_sync(struct session *s, json_t **names, struct ddb_error *err)
{
	*names = json_array();
	memset(err, 0, sizeof *err);
	char *start = NULL;
	for (int page = 0; page < TABLES_NAMES_PAGES; page++) {
		json_t *req = json_pack("{s:i}", "Limit", 100);
		if (start)
			json_object_set_new(req, "ExclusiveStartTableName", json_string(start));
		free(start);
		start = NULL;
		struct ddb_result *r = ddb_call_sync(s->ddb, "ListTables", req);
		if (r->err.kind != DDB_OK) {
			*err = r->err;
			memset(&r->err, 0, sizeof r->err);
			ddb_result_free(r);
			json_decref(*names);
			*names = NULL;
			return -1;
		}
		size_t i;
		json_t *n;
		json_array_foreach(json_object_get(r->body, "TableNames"), i, n)
			if (json_is_string(n))
				json_array_append(*names, n);
		const char *next = json_string_value(json_object_get(r->body, "LastEvaluatedTableName"));
		start = next ? util_xstrdup(next) : NULL;
		ddb_result_free(r);
		if (!start)
			break;
	}
	free(start);
	return 0;
}

bool tables_names_have(const json_t *names, const char *table)
{
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n)
		if (table && !strcmp(json_string_value(n), table))
			return true;
	return false;
}

char *tables_missing_text(const struct session *s, const char *table, const json_t *names)
{
	size_t n = json_array_size(names);
	const char *endpoint = s->conf.endpoint_url ? s->conf.endpoint_url : "the endpoint";
	if (!n) {
		if (s->conf.endpoint_is_loopback)
			return util_xasprintf("no such table '%s' at %s, and no tables there (a local "
			                      "DynamoDB started without -sharedDb keeps one database per "
			                      "access key id and region; this request used region %s)",
			                      table, endpoint, s->conf.region ? s->conf.region : "?");
		return util_xasprintf("no such table '%s' at %s, and no tables there (region %s)",
		                      table, endpoint, s->conf.region ? s->conf.region : "?");
	}
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);
	if (!f)
		abort();
	size_t shown = n > TABLES_NAMED ? TABLES_NAMED : n;
	for (size_t i = 0; i < shown; i++)
		fprintf(f, "%s%s", i ? ", " : "", json_string_value(json_array_get(names, i)));
	if (n > shown)
		fprintf(f, " and %zu more", n - shown);
	if (fclose(f) != 0)
		abort();
	char *text = util_xasprintf("no such table '%s' at %s; tables there: %s", table, endpoint,
	                            list);
	free(list);
	return text;
}

struct pager *tables_scan_pager(struct session *s, const char *table, int limit,
                                int segment, int total_segments)
{
	json_t *req = json_pack("{s:s,s:i}", "TableName", table, "Limit", limit > 0 ? limit : 1000);
	if (total_segments > 1) {
		json_object_set_new(req, "Segment", json_integer(segment));
		json_object_set_new(req, "TotalSegments", json_integer(total_segments));
	}
	return pager_new(s, "Scan", req);
}

int tables_detect(struct session *s, char **ambiguous, struct ddb_error *err)
{
	*ambiguous = NULL;
	memset(err, 0, sizeof *err);
	if (s->namespace_table && s->documents_table && s->chainlit_table)
		return 0;
	struct table_list tl;
	if (tables_load_sync(s, &tl, err) != 0)
		return -1;
	tables_adopt(s, &tl, ambiguous);
	table_list_free(&tl);
	return 0;
}

void tables_adopt(struct session *s, const struct table_list *tl, char **ambiguous)
{
	*ambiguous = NULL;
	static const struct {
		enum table_layout layout;
		size_t off;
		const char *what, *flag;
	} want[] = {
		{LAYOUT_STACHE_NAMESPACES, offsetof(struct session, namespace_table),
		 "Stache namespace tables", "--namespace-table"},
		{LAYOUT_STACHE_DOCUMENTS, offsetof(struct session, documents_table),
		 "Stache documents tables", "--documents-table"},
		{LAYOUT_CHAINLIT, offsetof(struct session, chainlit_table),
		 "Chainlit tables", "--chainlit-table"},
	};
	char *msg = NULL;
	size_t mlen = 0;
	FILE *mf = open_memstream(&msg, &mlen);
	for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
		char **slot = (char **)((char *)s + want[w].off);
		if (*slot)
			continue;
		size_t n = 0, last = 0;
		for (size_t i = 0; i < tl->n; i++)
			if (tl->v[i].layout == want[w].layout) {
				n++;
				last = i;
			}
		if (n == 1) {
			*slot = util_xstrdup(tl->v[last].name);
		} else if (n > 1 && mf) {
			fprintf(mf, "%sseveral %s:", mlen ? "; " : "", want[w].what);
			for (size_t i = 0; i < tl->n; i++)
				if (tl->v[i].layout == want[w].layout)
					fprintf(mf, " %s", tl->v[i].name);
			fprintf(mf, " (pass %s)", want[w].flag);
			fflush(mf);
		}
	}
	if (mf)
		fclose(mf);
	if (msg && *msg)
		*ambiguous = msg;
	else
		free(msg);
}
