/* aws/batch.c: BatchWriteItem / BatchGetItem over any number of requests,
 * resending UnprocessedItems / UnprocessedKeys with backoff (synchronous; for
 * the command line and the demo seeder). */
#include "ddconfig.h"

#include "aws/ddb.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNPROCESSED_ROUNDS 10

static void backoff(int round)
{
	/* 50 ms, 100 ms, ... capped at 2 s, with full jitter */
	long cap = 50L << (round < 6 ? round : 6);
	if (cap > 2000)
		cap = 2000;
	long ms = rand() % (cap + 1);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static struct ddb_result *usage_error(const char *op, const char *msg)
{
	struct ddb_result *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	r->op = op;
	r->err.kind = DDB_ERR_SERVICE;
	r->err.code = strdup("UnprocessedItems");
	r->err.message = strdup(msg);
	return r;
}

struct ddb_result *ddb_batch_write_sync(ddb_client *c, const char *table, json_t *writes)
{
	size_t n = json_array_size(writes);
	for (size_t off = 0; off < n; off += 25) {
		json_t *chunk = json_array();
		for (size_t i = off; i < n && i < off + 25; i++)
			json_array_append(chunk, json_array_get(writes, i));
		for (int round = 0;; round++) {
			json_t *req = json_pack("{s:{s:o}}", "RequestItems", table, chunk);
			struct ddb_result *r = ddb_call_sync(c, "BatchWriteItem", req);
			if (r->err.kind != DDB_OK)
				return r;
			json_t *un = json_object_get(json_object_get(r->body, "UnprocessedItems"), table);
			if (!json_array_size(un)) {
				ddb_result_free(r);
				break;
			}
			if (round >= UNPROCESSED_ROUNDS) {
				ddb_result_free(r);
				return usage_error("BatchWriteItem",
				                   "items stayed unprocessed after repeated retries (throttled)");
			}
			chunk = json_incref(un);
			ddb_result_free(r);
			backoff(round);
		}
	}
	return NULL;
}

struct ddb_result *ddb_batch_get_sync(ddb_client *c, const char *table, json_t *keys,
                                      const char *projection, json_t *names,
                                      json_t **items_out)
{
	json_t *items = json_array();
	size_t n = json_array_size(keys);
	for (size_t off = 0; off < n; off += 100) {
		json_t *chunk = json_array();
		for (size_t i = off; i < n && i < off + 100; i++)
			json_array_append(chunk, json_array_get(keys, i));
		json_t *spec = json_pack("{s:o}", "Keys", chunk);
		if (projection)
			json_object_set_new(spec, "ProjectionExpression", json_string(projection));
		if (names && json_object_size(names))
			json_object_set(spec, "ExpressionAttributeNames", names);
		for (int round = 0;; round++) {
			json_t *req = json_pack("{s:{s:O}}", "RequestItems", table, spec);
			struct ddb_result *r = ddb_call_sync(c, "BatchGetItem", req);
			if (r->err.kind != DDB_OK) {
				json_decref(spec);
				json_decref(items);
				return r;
			}
			json_array_extend(items, json_object_get(json_object_get(r->body, "Responses"), table));
			json_t *un = json_object_get(json_object_get(r->body, "UnprocessedKeys"), table);
			if (!json_object_size(un) || !json_array_size(json_object_get(un, "Keys"))) {
				ddb_result_free(r);
				break;
			}
			if (round >= UNPROCESSED_ROUNDS) {
				ddb_result_free(r);
				json_decref(spec);
				json_decref(items);
				return usage_error("BatchGetItem",
				                   "keys stayed unprocessed after repeated retries (throttled)");
			}
			json_decref(spec);
			spec = json_incref(un);
			ddb_result_free(r);
			backoff(round);
		}
		json_decref(spec);
	}
	*items_out = items;
	return NULL;
}
