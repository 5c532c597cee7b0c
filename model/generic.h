/* model/generic.h: operations on any table, whatever its layout: one item
 * by its key, and an export of every item with a parallel Scan. */
#ifndef DDTREE_MODEL_GENERIC_H
#define DDTREE_MODEL_GENERIC_H

#include <jansson.h>

#include "model/session.h"

/* GetItem by key values given as text: the key schema (and the types of the
 * key attributes) come from DescribeTable.  *item is NULL when not found.
 * Returns 0, or -1 with *err filled (free with ddb_error_clear): the
 * error of DescribeTable or GetItem, or DDB_ERR_USAGE when the key values
 * given do not fit the table's key (its message names the key). */
int generic_get_item(struct session *s, const char *table, const char *pk, const char *sk,
                     json_t **item, struct ddb_error *err);

/* Every item of a table, Scan with `segments` parallel segments (1..64),
 * each page handed to `page` (items borrowed) as it arrives, in arrival
 * order.  `progress` (may be NULL) is called after each page with the
 * totals.  Returns 0, or -1 with *err filled. */
typedef void (*generic_page_fn)(const json_t *items, void *ud);
typedef void (*generic_progress_fn)(long items, long pages, void *ud);
int generic_export(struct session *s, const char *table, int segments, generic_page_fn page,
                   generic_progress_fn progress, void *ud, struct ddb_error *err);

/* How many segments an export of `table` should use when none is asked
 * for: one per GENERIC_SEGMENT_BYTES of TableSizeBytes (DescribeTable),
 * at most GENERIC_AUTO_SEGMENTS; 1 when the size is unknown.  Each Scan page
 * waits for the previous one's LastEvaluatedKey, so a single segment is
 * bound by the round trip, whatever the table's capacity. */
#define GENERIC_SEGMENT_BYTES (8LL << 20)
#define GENERIC_AUTO_SEGMENTS 8
int generic_export_segments(struct session *s, const char *table);

/* GetItem of the item whose key is `key_json` (wire JSON text, as a
 * finding's key: {"PK":{"S":"..."},...}), in the background: cb runs once
 * with the item (borrowed; NULL when there is none) or the error.
 * generic_get_free drops it (cb never runs after it), also from cb. */
struct generic_get;
typedef void (*generic_item_fn)(const json_t *item, const struct ddb_error *err, void *ud);
struct generic_get *generic_get_start(struct session *s, const char *table, const char *key_json,
                                      generic_item_fn cb, void *ud);
void generic_get_free(struct generic_get *g);

#endif
