/* model/generic.c: get one item of any table; export a table. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/generic.h"
#include "model/jsontext.h"
#include "model/pager.h"
#include "model/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Take r's error into *err (r is freed after). */
static void take_error(struct ddb_result *r, struct ddb_error *err)
{
	*err = r->err;
	memset(&r->err, 0, sizeof r->err);
}

/* The type (S, N, B) of attribute `name` in AttributeDefinitions. */
static const char *attr_type(const json_t *desc, const char *name)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(desc, "AttributeDefinitions"), i, d)
		if (!strcmp(json_string_value(json_object_get(d, "AttributeName")) ?: "", name))
			return json_string_value(json_object_get(d, "AttributeType"));
	return "S";
}

int generic_export_segments(struct session *s, const char *table)
{
	struct ddb_result *r = ddb_call_sync(s->ddb, "DescribeTable", json_pack("{s:s}", "TableName", table));
	long long size = 0;
	if (r->err.kind == DDB_OK) {
		const json_t *v = json_object_get(json_object_get(r->body, "Table"), "TableSizeBytes");
		if (json_is_integer(v))
			size = json_integer_value(v);
		else if (json_is_real(v))
			size = (long long)json_real_value(v);
	}
	ddb_result_free(r);
	if (size <= 0)
		return 1;   /* unknown (or the Scan will report why) */
	long long n = size / GENERIC_SEGMENT_BYTES + 1;
	return n > GENERIC_AUTO_SEGMENTS ? GENERIC_AUTO_SEGMENTS : (int)n;
}

int generic_get_item(struct session *s, const char *table, const char *pk, const char *sk,
                     json_t **item, struct ddb_error *err)
{
	*item = NULL;
	memset(err, 0, sizeof *err);
	struct ddb_result *r = ddb_call_sync(s->ddb, "DescribeTable", json_pack("{s:s}", "TableName", table));
	if (r->err.kind != DDB_OK) {
		take_error(r, err);
		ddb_result_free(r);
		return -1;
	}
	const json_t *desc = json_object_get(r->body, "Table");
	const char *hash = NULL, *range = NULL;
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(desc, "KeySchema"), i, k) {
		const char *kt = json_string_value(json_object_get(k, "KeyType")) ?: "";
		const char *an = json_string_value(json_object_get(k, "AttributeName"));
		if (!strcmp(kt, "HASH"))
			hash = an;
		else if (!strcmp(kt, "RANGE"))
			range = an;
	}
	if (!hash || (range && !sk) || (!range && sk)) {
		err->kind = DDB_ERR_USAGE;
		err->message = util_xasprintf("%s has key %s%s%s: give %s", table, hash ? hash : "?",
		                              range ? " + " : "", range ? range : "",
		                              range ? "both key values" : "one key value");
		ddb_result_free(r);
		return -1;
	}
	json_t *key = json_object();
	const char *ht = attr_type(desc, hash);
	json_object_set_new(key, hash, json_pack("{s:s}", ht, pk));
	if (range)
		json_object_set_new(key, range, json_pack("{s:s}", attr_type(desc, range), sk));
	ddb_result_free(r);
	r = ddb_call_sync(s->ddb, "GetItem", json_pack("{s:s,s:o,s:b}", "TableName", table, "Key", key,
	                                               "ConsistentRead", 1));
	if (r->err.kind != DDB_OK) {
		take_error(r, err);
		ddb_result_free(r);
		return -1;
	}
	json_t *it = json_object_get(r->body, "Item");
	*item = it ? json_incref(it) : NULL;
	ddb_result_free(r);
	return 0;
}

struct export {
	generic_page_fn page;
	generic_progress_fn progress;
	void *ud;
	long items, pages;
	int running;
	bool failed;
	struct ddb_error *err;
};

static void export_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct export *x = ud;
	if (err) {
		if (!x->failed)
			ddb_error_copy(x->err, err);
		x->failed = true;
		x->running--;
		return;
	}
	x->items += (long)json_array_size(items);
	x->pages++;
	x->page(items, x->ud);
	if (x->progress)
		x->progress(x->items, x->pages, x->ud);
	if (x->failed || pager_done(p) || !pager_next(p, export_page, x))
		x->running--;
}

int generic_export(struct session *s, const char *table, int segments, generic_page_fn page,
                   generic_progress_fn progress, void *ud, struct ddb_error *err)
{
	if (segments < 1)
		segments = 1;
	if (segments > 64)
		segments = 64;
	memset(err, 0, sizeof *err);
	struct export x = {.page = page, .progress = progress, .ud = ud, .err = err};
	struct pager **pg = util_xcalloc((size_t)segments, sizeof *pg);
	for (int i = 0; i < segments; i++) {
		pg[i] = tables_scan_pager(s, table, 1000, i, segments);
		if (pager_next(pg[i], export_page, &x))
			x.running++;
	}
	while (x.running > 0)
		ddb_client_wait(s->ddb, 1000);
	for (int i = 0; i < segments; i++)
		pager_free(pg[i]);
	free(pg);
	return x.failed ? -1 : 0;
}

struct generic_get {
	struct session *s;
	ddb_call *call;            /* NULL once its callback ran */
	generic_item_fn cb;
	void *ud;
	bool in_cb, freed;
};

static void get_done(struct ddb_result *res, void *ud)
{
	struct generic_get *g = ud;
	g->call = NULL;
	g->in_cb = true;
	if (res->err.kind != DDB_OK)
		g->cb(NULL, &res->err, g->ud);
	else
		g->cb(json_object_get(res->body, "Item"), NULL, g->ud);
	g->in_cb = false;
	if (g->freed)
		free(g);
}

struct generic_get *generic_get_start(struct session *s, const char *table, const char *key_json,
                                      generic_item_fn cb, void *ud)
{
	struct generic_get *g = util_xcalloc(1, sizeof *g);
	g->s = s;
	g->cb = cb;
	g->ud = ud;
	json_error_t e;
	json_t *key = jsontext_loads(key_json ? key_json : "", 0, &e);
	if (!json_is_object(key)) {
		json_decref(key);
		key = json_object();   /* DynamoDB says what is wrong with it */
	}
	g->call = ddb_submit(s->ddb, "GetItem",
	                     json_pack("{s:s,s:o,s:b}", "TableName", table, "Key", key,
	                               "ConsistentRead", 1),
	                     get_done, g);
	return g;
}

void generic_get_free(struct generic_get *g)
{
	if (!g)
		return;
	if (g->in_cb) {
		g->freed = true;
		return;
	}
	if (g->call)
		ddb_abandon(g->s->ddb, g->call);
	free(g);
}
