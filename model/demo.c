/* model/demo.c: demo tables, created exactly as the seed READMEs' templates
 * define them (PAY_PER_REQUEST, the same keys, indexes and projections). */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/demo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void demo_table_names(const char *prefix, struct demo_names *out)
{
	if (!prefix)
		prefix = "";
	snprintf(out->namespaces, sizeof out->namespaces, "%sstache-namespaces", prefix);
	snprintf(out->documents, sizeof out->documents, "%sstache-documents", prefix);
	snprintf(out->chainlit, sizeof out->chainlit, "%schainlit", prefix);
}

static void progress(const struct demo_opts *o, const char *f, ...)
	__attribute__((format(printf, 2, 3)));
static void progress(const struct demo_opts *o, const char *f, ...)
{
	if (!o->progress)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	o->progress(buf, o->ud);
}

static json_t *attr_defs(const char *const *names)
{
	json_t *a = json_array();
	for (; *names; names++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "AttributeName", *names,
		                                   "AttributeType", "S"));
	return a;
}

static json_t *key_schema(const char *hash, const char *range)
{
	json_t *k = json_array();
	json_array_append_new(k, json_pack("{s:s,s:s}", "AttributeName", hash, "KeyType", "HASH"));
	if (range)
		json_array_append_new(k, json_pack("{s:s,s:s}", "AttributeName", range,
		                                   "KeyType", "RANGE"));
	return k;
}

static json_t *gsi(const char *name, const char *hash, const char *range, json_t *projection)
{
	return json_pack("{s:s,s:o,s:o}", "IndexName", name, "KeySchema", key_schema(hash, range),
	                 "Projection", projection);
}

static json_t *create_namespaces(const char *table)
{
	static const char *const defs[] = {"id", "parent_id", NULL};
	json_t *g = json_array();
	json_array_append_new(g, gsi("parent_id-index", "parent_id", NULL,
	                             json_pack("{s:s}", "ProjectionType", "ALL")));
	return json_pack("{s:s,s:s,s:o,s:o,s:o}", "TableName", table, "BillingMode",
	                 "PAY_PER_REQUEST", "AttributeDefinitions", attr_defs(defs),
	                 "KeySchema", key_schema("id", NULL), "GlobalSecondaryIndexes", g);
}

static json_t *create_documents(const char *table)
{
	static const char *const defs[] = {"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", NULL};
	json_t *g = json_array();
	json_array_append_new(g, gsi("GSI1", "GSI1PK", "GSI1SK", json_pack("{s:s}", "ProjectionType", "ALL")));
	json_array_append_new(g, gsi("GSI2", "GSI2PK", "GSI2SK", json_pack("{s:s}", "ProjectionType", "ALL")));
	return json_pack("{s:s,s:s,s:o,s:o,s:o}", "TableName", table, "BillingMode",
	                 "PAY_PER_REQUEST", "AttributeDefinitions", attr_defs(defs),
	                 "KeySchema", key_schema("PK", "SK"), "GlobalSecondaryIndexes", g);
}

static json_t *create_chainlit(const char *table)
{
	static const char *const defs[] = {"PK", "SK", "UserThreadPK", "UserThreadSK", NULL};
	json_t *g = json_array();
	json_array_append_new(g, gsi("UserThread", "UserThreadPK", "UserThreadSK",
	                             json_pack("{s:s,s:[s,s]}", "ProjectionType", "INCLUDE",
	                                       "NonKeyAttributes", "id", "name")));
	return json_pack("{s:s,s:s,s:o,s:o,s:o}", "TableName", table, "BillingMode",
	                 "PAY_PER_REQUEST", "AttributeDefinitions", attr_defs(defs),
	                 "KeySchema", key_schema("PK", "SK"), "GlobalSecondaryIndexes", g);
}

static char *result_error(struct session *s, const char *what, const char *table,
                          const struct ddb_result *r)
{
	char *d = ddb_error_describe(&r->err, &s->conf, 0);
	char *e = util_xasprintf("%s %s: %s", what, table, d);
	free(d);
	return e;
}

/* Wait until the table is ACTIVE (DynamoDB Local: at once; AWS: seconds). */
static int wait_active(struct session *s, const char *table, char **err)
{
	for (int i = 0; i < 600; i++) {
		struct ddb_result *r = ddb_call_sync(s->ddb, "DescribeTable",
		                                     json_pack("{s:s}", "TableName", table));
		if (r->err.kind != DDB_OK) {
			*err = result_error(s, "describing", table, r);
			ddb_result_free(r);
			return -1;
		}
		json_t *t = json_object_get(r->body, "Table");
		bool active = !strcmp(json_string_value(json_object_get(t, "TableStatus")) ?: "", "ACTIVE");
		size_t k;
		json_t *g;
		json_array_foreach(json_object_get(t, "GlobalSecondaryIndexes"), k, g)
			if (strcmp(json_string_value(json_object_get(g, "IndexStatus")) ?: "ACTIVE", "ACTIVE"))
				active = false;
		ddb_result_free(r);
		if (active)
			return 0;
		struct timespec ts = {0, 500 * 1000000L};
		nanosleep(&ts, NULL);
	}
	*err = util_xstrdup("timed out waiting for the demo tables to become ACTIVE");
	return -1;
}

static int ensure_table(struct session *s, const struct demo_opts *o, const char *table,
                        json_t *create, char **err)
{
	if (o->reset) {
		struct ddb_result *r = ddb_call_sync(s->ddb, "DeleteTable",
		                                     json_pack("{s:s}", "TableName", table));
		bool gone = r->err.kind == DDB_OK ||
		            (r->err.code && !strcmp(r->err.code, "ResourceNotFoundException"));
		if (!gone) {
			*err = result_error(s, "deleting", table, r);
			ddb_result_free(r);
			json_decref(create);
			return -1;
		}
		if (r->err.kind == DDB_OK)
			progress(o, "deleted table %s", table);
		ddb_result_free(r);
	}
	struct ddb_result *r = ddb_call_sync(s->ddb, "CreateTable", create);
	if (r->err.kind == DDB_OK) {
		progress(o, "created table %s", table);
	} else if (r->err.code && !strcmp(r->err.code, "ResourceInUseException")) {
		progress(o, "table %s exists", table);
	} else {
		*err = result_error(s, "creating", table, r);
		ddb_result_free(r);
		return -1;
	}
	ddb_result_free(r);
	return wait_active(s, table, err);
}

int demo_create(struct session *s, const struct demo_opts *o, char **err)
{
	struct demo_names n;
	demo_table_names(o->prefix, &n);
	if (demo_check(s, &n, err) != 0)
		return DEMO_REFUSED;
	if (ensure_table(s, o, n.namespaces, create_namespaces(n.namespaces), err) ||
	    ensure_table(s, o, n.documents, create_documents(n.documents), err) ||
	    ensure_table(s, o, n.chainlit, create_chainlit(n.chainlit), err))
		return DEMO_FAILED;
	if (demo_fill_stache(s, &n, o, err) || demo_fill_chainlit(s, &n, o, err))
		return DEMO_FAILED;
	return DEMO_OK;
}
