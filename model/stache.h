/* model/stache.h: Stache AI's two tables (SCHEMAS.md Part A) as entities.
 *
 *   decoding      namespace items and the five kinds of document-table row,
 *                 never failing: each entity keeps its raw item and a list
 *                 of problems (plus, for rows, the keys that disagree with
 *                 the attributes);
 *   keys          the 0.2.0 escaping, to build keys (rows are identified by
 *                 their attributes, never by parsing keys);
 *   repositories  one pager factory per access pattern of SCHEMAS.md C,
 *                 every attribute name aliased, Limit always set;
 *   tree          the namespace hierarchy from a full Scan, with orphans
 *                 and parent cycles apart (pure, iterative, any depth);
 *   tables        finding the two tables when they are not named.
 * Knows nothing of ncurses. */
#ifndef DDTREE_MODEL_STACHE_H
#define DDTREE_MODEL_STACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "model/item.h"
#include "model/pager.h"
#include "model/session.h"

/* parent_id of a top-level namespace (GSI keys cannot be NULL). */
#define STACHE_ROOT_PARENT "__ROOT__"

/* ---- Namespaces (A.1) ----------------------------------------------------- */

struct stache_ns {
	json_t *raw;                  /* the item (a reference) */
	struct problems problems;
	/* Borrowed from raw; NULL when missing or mistyped (then a problem). */
	const char *id, *name;
	const char *description;      /* "" when missing, as the library reads it */
	const char *parent_id;        /* the attribute as stored ("__ROOT__" included) */
	bool is_root;                 /* parent_id == "__ROOT__" */
	/* metadata / filter_keys: the stored S text (NULL when missing or not an
	 * S) and its parsed value (owned; NULL when the text is not a JSON
	 * object / array of strings). */
	const char *metadata_text, *filter_keys_text;
	json_t *metadata, *filter_keys;
	const char *created_at, *updated_at;
	int64_t created_us;
	bool created_ok;              /* created_at parsed */
};

void stache_ns_decode(const json_t *item, struct stache_ns *out);
void stache_ns_clear(struct stache_ns *ns);

struct stache_ns_list {
	struct stache_ns *v;
	size_t n;
};
/* Decode and append every item of a page (a JSON array of items). */
void stache_ns_list_add_items(struct stache_ns_list *l, const json_t *items);
void stache_ns_list_free(struct stache_ns_list *l);
/* Siblings order: name without case, then name, then id. */
int stache_ns_cmp_name(const struct stache_ns *a, const struct stache_ns *b);

/* ---- Document-table rows (A.2-A.4) ----------------------------------------- */

/* Kinds of row, one table: id, short name (also the prefix of check kinds),
 * SK value. */
#define STACHE_ROW_KINDS(X) \
	X(STACHE_ROW_DOCUMENT,   "document",    "METADATA") \
	X(STACHE_ROW_RES_SOURCE, "reservation", "RESERVATION") \
	X(STACHE_ROW_RES_HASH,   "reservation", "RESERVATION") \
	X(STACHE_ROW_TRASH,      "trash",       "ENTRY") \
	X(STACHE_ROW_CLEANUP,    "cleanup-job", "JOB") \
	X(STACHE_ROW_UNKNOWN,    "unknown-row", NULL)

enum stache_row_kind {
#define STACHE_X_ENUM(id, name, sk) id,
	STACHE_ROW_KINDS(STACHE_X_ENUM)
#undef STACHE_X_ENUM
};
const char *stache_row_kind_name(enum stache_row_kind k);

/* Document status, one table: id, stored text (NULL: attribute missing). */
#define STACHE_STATUSES(X) \
	X(STACHE_ST_NONE,     NULL) \
	X(STACHE_ST_LEGACY,   "legacy") \
	X(STACHE_ST_ACTIVE,   "active") \
	X(STACHE_ST_DELETING, "deleting") \
	X(STACHE_ST_PURGING,  "purging") \
	X(STACHE_ST_PURGED,   "purged") \
	X(STACHE_ST_OTHER,    "?")

enum stache_status {
#define STACHE_X_ENUM(id, text) id,
	STACHE_STATUSES(STACHE_X_ENUM)
#undef STACHE_X_ENUM
};
/* "active", ...; "legacy" for a document without status (a legacy active
 * one); "?" for STACHE_ST_OTHER; "" for NONE (not a document). */
const char *stache_status_name(enum stache_status st);

struct stache_row {
	json_t *raw;                  /* the item (a reference) */
	struct problems problems;     /* missing / mistyped / inconsistent attributes */
	struct problems key_problems; /* PK / GSI keys that disagree with the attributes */
	bool legacy_keys;             /* a key agrees only in its pre-0.2.0 unescaped form */
	enum stache_row_kind kind;
	/* Borrowed strings, NULL when absent. */
	const char *pk, *sk;
	const char *doc_id, *namespace_, *filename, *source_path;
	bool namespace_null;          /* namespace is NULL (legacy DOC#None# rows) */
	const char *content_type, *file_type, *content_hash, *summary;
	const char *status_text;      /* document/reservation/job status as stored */
	enum stache_status status;    /* documents only */
	long long chunk_count;        /* -1 when absent or not an integer */
	long long n_chunk_ids;        /* length of chunk_ids; -1 when absent */
	long long file_size;          /* -1 when absent */
	const json_t *metadata;       /* documents: the native M (inner object) */
	/* The time the row is sorted by: created_at (document, job), deleted_at
	 * (trash) or reserved_at (reservation). */
	const char *when;
	int64_t when_us;
	bool when_ok;
	const char *created_at, *deleted_at, *purge_after, *deleted_by;
	const char *identifier_type, *cleanup_job_id, *last_error;
	long long deleted_at_ms;      /* -1 when absent */
};

void stache_row_decode(const json_t *item, struct stache_row *out);
void stache_row_clear(struct stache_row *r);

struct stache_row_list {
	struct stache_row *v;
	size_t n;
};
void stache_row_list_add_items(struct stache_row_list *l, const json_t *items);
void stache_row_list_free(struct stache_row_list *l);
/* Newest first by parsed time (any format of model/timefmt.h); rows whose
 * time does not parse go last; ties by PK. */
void stache_rows_sort_newest(struct stache_row *v, size_t n);
/* The order of stache_rows_sort_newest (uses when_ok, when_us, when, pk, sk). */
int stache_row_cmp_newest(const struct stache_row *a, const struct stache_row *b);

/* ---- Keys ------------------------------------------------------------------ */

/* A key component as 0.2.0+ writes it: "%" -> "%25" first, then "#" -> "%23".
 * malloc'd. */
char *stache_key_escape(const char *s);
/* Keys built from attribute values (escaped; malloc'd).  ns NULL: "None". */
char *stache_key_doc_pk(const char *ns, const char *doc_id);         /* DOC#ns#id */
char *stache_key_ns_gsi1pk(const char *ns);                          /* NAMESPACE#ns */
char *stache_key_file_gsi2pk(const char *ns, const char *name);      /* FILENAME#ns#name */
/* The same keys in the pre-0.2.0 unescaped form. */
char *stache_key_ns_gsi1pk_raw(const char *ns);
char *stache_key_file_gsi2pk_raw(const char *ns, const char *name);

/* The item's key attributes (as stored) as a new wire-JSON object:
 * {"id": ..} for a namespace item, {"PK": .., "SK": ..} for a row. */
json_t *stache_item_key(const json_t *item);

/* JSON text exactly as Python's json.dumps writes it with its defaults
 * (separators ", " and ": ", non-ASCII as \uXXXX with surrogate pairs,
 * object keys in their order, floats as repr, exact numbers as Python reads
 * them): jsontext_dumps with JT_PYTHON.  malloc'd; NULL for NULL. */
char *stache_json_dumps(const json_t *v);

/* ---- Repositories (pager factories) ----------------------------------------- */

/* Each returns a pager over the session's tables, or NULL when the table it
 * reads is not known (s->namespace_table / s->documents_table NULL).
 * `limit` is the page size sent as Limit (0: the pager's default).  Decode
 * pages with stache_ns_list_add_items / stache_row_list_add_items. */
struct pager *stache_ns_roots_pager(struct session *s, int limit);
struct pager *stache_ns_children_pager(struct session *s, const char *parent_id, int limit);
struct pager *stache_ns_scan_pager(struct session *s, int limit);
/* Documents of a namespace, newest created_at first, every status.  `raw`:
 * the pre-0.2.0 unescaped key (differs only when ns holds '#' or '%'). */
struct pager *stache_docs_pager(struct session *s, const char *ns, bool raw, int limit);
/* Documents filed under a filename or source path (GSI2), oldest first. */
struct pager *stache_docs_by_name_pager(struct session *s, const char *ns, const char *name,
                                        int limit);
struct pager *stache_trash_pager(struct session *s, int limit);        /* newest first */
struct pager *stache_reservations_pager(struct session *s, int limit); /* Scan HASH#/SOURCE# */
struct pager *stache_cleanup_jobs_pager(struct session *s, int limit); /* Scan CLEANUP# */
struct pager *stache_all_docs_pager(struct session *s, int limit);     /* Scan SK = METADATA */
struct pager *stache_rows_scan_pager(struct session *s, int limit);    /* Scan every row */
/* A document by its doc_id alone (the key needs the namespace): a Scan
 * filtered on SK = METADATA AND doc_id = id; slow on big tables. */
struct pager *stache_doc_by_id_pager(struct session *s, const char *doc_id, int limit);
/* Documents whose filename is exactly `name`, in any namespace (a Scan): for
 * those GSI2 files under their source path. */
struct pager *stache_doc_by_filename_pager(struct session *s, const char *name, int limit);

/* Drain a pager into a list (progress may be NULL: called after each page
 * with the items read so far).  Returns 0, or -1 with *err (clear it with
 * ddb_error_clear). */
typedef void (*stache_progress_fn)(long items, void *ud);
int stache_ns_drain_sync(struct pager *p, struct stache_ns_list *out,
                         stache_progress_fn progress, void *ud, struct ddb_error *err);
int stache_rows_drain_sync(struct pager *p, struct stache_row_list *out,
                           stache_progress_fn progress, void *ud, struct ddb_error *err);

/* One namespace item by id (GetItem): 1 found (*out decoded), 0 missing,
 * -1 with *err. */
int stache_ns_get_sync(struct session *s, const char *id, struct stache_ns *out,
                       struct ddb_error *err);

/* Documents per namespace, every status, both key forms (Query GSI1 with
 * Select COUNT, all pages, the queries in parallel).  counts[i] gets the
 * count of ids[i].  Returns 0, or -1 with *err. */
int stache_count_docs_sync(struct session *s, const char *const *ids, size_t n,
                           long *counts, struct ddb_error *err);

/* ---- Tree ------------------------------------------------------------------- */

#define STACHE_NONE ((size_t)-1)

enum stache_place {
	STACHE_IN_TREE,       /* reachable from a root */
	STACHE_IN_ORPHAN,     /* an orphan (parent missing) or below one */
	STACHE_IN_CYCLE,      /* on a parent cycle or below one */
};

struct stache_tree_row {
	size_t ns;            /* index into the namespace array */
	int depth;            /* 0: root / orphan / cycle member */
	enum stache_place place;
	size_t group;         /* orphans: the orphan's index; cycles: the cycle number */
	bool on_cycle;        /* this namespace is itself on the cycle */
};

struct stache_idx_list {
	size_t *v;
	size_t n;
};

struct stache_tree {
	size_t n;                        /* namespaces */
	size_t *parent;                  /* parent's index, or STACHE_NONE */
	enum stache_place *place;
	bool *on_cycle;
	struct stache_idx_list *children;/* sorted by name; cycle members are not
	                                    listed as children of each other */
	struct stache_idx_list roots;    /* parent_id "__ROOT__", sorted by name */
	struct stache_idx_list orphans;  /* parent missing (or no parent_id), by name */
	struct stache_idx_list *cycles;  /* each in parent order from its first id */
	size_t n_cycles;
	/* Display order: the tree, then each orphan's subtree, then each cycle
	 * (its members in parent order, each followed by the subtrees that
	 * hang from it). */
	struct stache_tree_row *rows;
	size_t n_rows;
	size_t *by_id;                   /* indexes sorted by id, for lookups */
	size_t n_by_id;
	const struct stache_ns *ns;      /* borrowed */
};

/* Build the tree of ns[0..n) (borrowed; keep it alive while the tree is).
 * Iterative throughout: any depth, any cycles. */
void stache_tree_build(const struct stache_ns *ns, size_t n, struct stache_tree *out);
void stache_tree_free(struct stache_tree *t);
/* Index of the namespace with this id, or STACHE_NONE. */
size_t stache_tree_find(const struct stache_tree *t, const char *id);

enum stache_path_end {
	STACHE_PATH_ROOT,     /* reached a top-level namespace */
	STACHE_PATH_MISSING,  /* the topmost has a parent that does not exist */
	STACHE_PATH_CYCLE,    /* stopped where the path came back on itself */
};
/* Ancestors of i, the topmost first, i last (malloc'd; *n set). */
size_t *stache_tree_ancestors(const struct stache_tree *t, size_t i, size_t *n,
                              enum stache_path_end *end);
/* "Engineering > Backend > API"; prefixed with "… > " after a missing parent
 * and "↻ > " when the path runs into a cycle.  Names fall back to ids.
 * malloc'd. */
char *stache_tree_path(const struct stache_tree *t, size_t i);
/* What `namespaces --json` prints of a row of the tree: section, depth, id,
 * name, parent_id, description, path, problems; cycle and on_cycle in a
 * cycle; metadata and filter_keys as parsed (exact numbers: write it with
 * jsontext_dumps); documents when counts (indexed like the namespaces) is
 * not NULL.  New reference. */
json_t *stache_ns_json(const struct stache_tree *t, const struct stache_tree_row *row,
                       const long *counts);

/* ---- Tables ------------------------------------------------------------------ */

enum stache_table_use {
	STACHE_TABLE_SKIP,    /* not used */
	STACHE_TABLE_WANT,    /* use it if it can be found */
	STACHE_TABLE_NEED,    /* fail without it */
};

enum stache_resolve {
	STACHE_RESOLVED,          /* every needed table is known */
	STACHE_RESOLVE_MISSING,   /* no table has the layout */
	STACHE_RESOLVE_AMBIGUOUS, /* several do; the message lists them */
	STACHE_RESOLVE_FAILED,    /* listing the tables failed */
};

/* Fill s->namespace_table / s->documents_table when they are not set, from
 * the tables whose layout (model/tables.h) is Stache's: the unique candidate,
 * or, among several, the one that pairs by name with the table already
 * known ("Pstache-namespaces" <-> "Pstache-documents").  *msg (malloc'd)
 * explains a failure, or notes a wanted table that was left out (also when
 * listing the tables failed but every needed table was named). */
enum stache_resolve stache_resolve_tables(struct session *s, enum stache_table_use ns,
                                          enum stache_table_use docs, char **msg);

#endif
