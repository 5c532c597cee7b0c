/* model/tables.h: the tables of an endpoint and which library's layout each
 * one has, detected from DescribeTable (key schema and index names). */
#ifndef DDTREE_MODEL_TABLES_H
#define DDTREE_MODEL_TABLES_H

#include <stdbool.h>
#include <stddef.h>

#include "model/session.h"

/* Layouts, one table: id, short name, description. */
#define TABLE_LAYOUTS(X) \
	X(LAYOUT_UNKNOWN,            "?",                  "not described") \
	X(LAYOUT_GENERIC,            "generic",            "no known layout") \
	X(LAYOUT_STACHE_NAMESPACES,  "stache-namespaces",  "Stache namespace registry") \
	X(LAYOUT_STACHE_DOCUMENTS,   "stache-documents",   "Stache document index") \
	X(LAYOUT_CHAINLIT,           "chainlit",           "Chainlit data layer")

enum table_layout {
#define TL_X_ENUM(id, name, desc) id,
	TABLE_LAYOUTS(TL_X_ENUM)
#undef TL_X_ENUM
};

const char *table_layout_name(enum table_layout l);
const char *table_layout_desc(enum table_layout l);

struct table_info {
	char *name;
	enum table_layout layout;
	char *status;            /* TableStatus */
	char *key_schema;        /* "PK (S, hash), SK (S, range)" */
	char *hash_key, *range_key; /* key attribute names (range_key may be NULL) */
	char *indexes;           /* "UserThread, GSI1" or "" */
	long long item_count;    /* approximate; -1 when unknown */
	long long size_bytes;
	char *error;             /* DescribeTable failed: why */
	bool named;              /* not described (tables_load_named): the layout is
	                            the one the session names this table for */
};

struct table_list {
	struct table_info *v;
	size_t n;
};

void table_list_free(struct table_list *tl);

/* Detect the layout from a DescribeTable "Table" object (pure; unit-tested). */
enum table_layout table_detect_layout(const json_t *table_desc);

typedef void (*tables_done_fn)(struct table_list *tl, const struct ddb_error *err, void *ud);

/* List every table (all ListTables pages) and describe each, several at a
 * time.  The callback owns nothing: tl is freed when it returns.  The
 * handle is the caller's until the callback has run. */
struct tables_load;
struct tables_load *tables_load(struct session *s, tables_done_fn cb, void *ud);
/* The same, but a table the session already names (--chainlit-table, ...)
 * is not described: its layout is taken from that role and `named` is set.
 * For the browser's start: DescribeTable of a large table is slow on some
 * servers (DynamoDB Local counts its items: 175 ms for 221,623), and
 * nothing needs its answer then. */
struct tables_load *tables_load_named(struct session *s, tables_done_fn cb, void *ud);
/* Stop a load and free it: its callback never runs. */
void tables_load_cancel(struct tables_load *L);

/* Fill the session's table names that were not given (flags/environment)
 * from the endpoint's tables: a layout with exactly one table is used; a
 * layout with several candidates is left empty and named in *ambiguous
 * (malloc'd, e.g. "several Chainlit tables: a, b (pass --chainlit-table)"),
 * NULL when none.  Returns 0, or -1 when listing the tables failed (*err). */
int tables_detect(struct session *s, char **ambiguous, struct ddb_error *err);
/* The same from a table list already loaded (no request). */
void tables_adopt(struct session *s, const struct table_list *tl, char **ambiguous);

/* The names of the endpoint's tables, from ListTables alone (no
 * DescribeTable), as a new JSON array of strings: every page, but at most
 * TABLES_NAMES_PAGES pages of 100.  0, or -1 with *err (free with
 * ddb_error_clear). */
#define TABLES_NAMES_PAGES 10
int tables_names_sync(struct session *s, json_t **names, struct ddb_error *err);
/* Whether `table` is one of `names`. */
bool tables_names_have(const json_t *names, const char *table);
/* What to say when `table` is not among `names` (after a
 * ResourceNotFoundException): "no such table 'nope' at ENDPOINT; tables
 * there: a, b, c", at most TABLES_NAMED names and then "and N more"; when
 * there are none, says so (and on a local endpoint why a DynamoDB Local
 * may show none).  malloc'd. */
#define TABLES_NAMED 10
char *tables_missing_text(const struct session *s, const char *table, const json_t *names);

/* A Scan of any table, page by page (the generic table view and export). */
struct pager;
struct pager *tables_scan_pager(struct session *s, const char *table, int limit,
                                int segment, int total_segments);

/* Synchronous form for the command line.  Returns 0, or -1 with *err set
 * (copy; free with free()). */
int tables_load_sync(struct session *s, struct table_list *out, struct ddb_error *err);

#endif
