/* model/chainlit.h: Chainlit's DynamoDB data layer, the read side
 * (SCHEMAS.md Part B): decoding users, threads, steps, elements and the
 * feedback Map; the repositories (pager factories) over one Chainlit table;
 * the conversation tree of one thread.
 *
 * Decoding never fails: every entity keeps its raw item (a reference) and a
 * problem list, and the string fields point into that raw item, so they live
 * as long as the entity.  Ids come from the `id` attribute, else from the key
 * with its prefix removed (a prefix removal, never Chainlit's character strip,
 * which damages ids such as "THREAD#DATA-1-TEAM"; SCHEMAS.md B.5).
 * Knows nothing of ncurses. */
#ifndef DDTREE_MODEL_CHAINLIT_H
#define DDTREE_MODEL_CHAINLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "model/item.h"
#include "model/pager.h"
#include "model/session.h"

/* The user-thread index and its keys (SCHEMAS.md B.1). */
#define CL_INDEX "UserThread"

/* ---- Keys ----------------------------------------------------------------- */

enum cl_kind {
	CL_ITEM_USER,      /* USER#x / USER */
	CL_ITEM_THREAD,    /* THREAD#x / THREAD */
	CL_ITEM_STEP,      /* THREAD#x / STEP#y */
	CL_ITEM_ELEMENT,   /* THREAD#x / ELEMENT#y */
	CL_ITEM_UNKNOWN,   /* anything else (kept raw) */
};

/* What an item is, from its PK and SK alone. */
enum cl_kind cl_item_kind(const json_t *item);

/* The rest of `key` after `prefix`, or NULL when key does not start with it.
 * cl_strip_prefix("THREAD#DATA-1-TEAM", "THREAD#") is "DATA-1-TEAM". */
const char *cl_strip_prefix(const char *key, const char *prefix);

/* A new key map {"PK": {"S": pk_prefix id}, "SK": {"S": sk}}. */
json_t *cl_key(const char *pk_prefix, const char *id, const char *sk);
/* The key of a step: THREAD#{thread_id} / STEP#{step_id}. */
json_t *cl_step_key(const char *thread_id, const char *step_id);

/* ---- Entities --------------------------------------------------------------- */

/* B.2 */
struct cl_user {
	json_t *raw;
	char *identifier;            /* identifier, else id, else PK without "USER#" */
	const char *id;              /* the id attribute (= identifier) */
	const char *created_at;      /* local time + "Z" */
	const json_t *metadata;      /* the inner object of the M, or NULL */
	struct problems problems;
};

/* B.3.  Decoded either from the THREAD item or from an index item of
 * UserThread (then only id, name and the index keys are there; from_index). */
struct cl_thread {
	json_t *raw;
	char *id;                    /* id, else PK without "THREAD#" */
	const char *name;            /* NULL: no name */
	const char *user_id, *user_identifier;
	const char *user_thread_pk, *user_thread_sk;
	const char *created_at;      /* createdAt, else UserThreadSK without "TS#" */
	const json_t *tags;          /* L (array of AVs), or NULL */
	const json_t *metadata;      /* inner object of the M, or NULL (older versions, B.9) */
	bool from_index;
	struct problems problems;
};

/* B.5: the feedback Map on a step. */
struct cl_feedback {
	const json_t *av;            /* the attribute as stored ({"M": {...}}): pass it
	                                back to a feedback write as what was seen */
	const char *value;           /* the N text, NULL when missing or not an N */
	int vote;                    /* 1 thumbs up, 0 thumbs down, -1 anything else */
	const char *comment;         /* NULL when NULL or missing */
	const char *for_id, *thread_id, *id;   /* thread_id NULL when stored NULL */
};

/* A feedback attribute value decoded as on a step (B.5): f's strings point
 * into av.  pk_thread and sk_step (may be NULL) are the step's key without
 * its prefix, which forId, threadId and id are checked against; what is
 * wrong goes to `problems` ("feedback.value", ...; may be NULL). */
void cl_feedback_decode(struct cl_feedback *f, const json_t *av, const char *pk_thread,
                        const char *sk_step, struct problems *problems);

/* B.4: run, tool, llm, ... steps and messages. */
struct cl_step {
	json_t *raw;
	char *id;                    /* id, else SK without "STEP#" */
	char *thread_id;             /* threadId, else PK without "THREAD#" */
	const char *parent_id;       /* NULL: none (NULL or missing) */
	const char *name, *type;
	const char *input, *output;  /* input is missing on messages */
	const char *created_at, *start, *end;
	const char *language;
	int streaming, is_error;     /* 1, 0, or -1 when missing */
	const json_t *metadata, *tags, *generation;   /* inner objects/arrays or NULL */
	bool has_feedback;
	struct cl_feedback feedback;
	bool stub;                   /* only PK, SK (and feedback): made by feedback
	                                on a step that did not exist (B.5) */
	bool created_ok;             /* createdAt parsed into created_us */
	int64_t created_us;
	struct problems problems;
};

/* B.6 */
struct cl_element {
	json_t *raw;
	char *id;                    /* id, else SK without "ELEMENT#" */
	char *thread_id;
	const char *type, *name, *display, *url, *object_key, *for_id, *mime;
	const char *size, *language, *page;
	struct problems problems;
};

/* Decoders: never fail; clear with the matching *_clear. */
void cl_user_decode(struct cl_user *u, const json_t *item);
void cl_user_clear(struct cl_user *u);
/* What `users --json` prints of a user: identifier, id, createdAt, metadata
 * (plain JSON with exact numbers: write it with jsontext_dumps), problems.
 * New reference. */
json_t *cl_user_json(const struct cl_user *u);
void cl_thread_decode(struct cl_thread *t, const json_t *item);
/* An item of the UserThread index (only id, name and keys projected). */
void cl_thread_decode_index(struct cl_thread *t, const json_t *item);
void cl_thread_clear(struct cl_thread *t);
void cl_step_decode(struct cl_step *st, const json_t *item);
void cl_step_clear(struct cl_step *st);
void cl_element_decode(struct cl_element *e, const json_t *item);
void cl_element_clear(struct cl_element *e);

/* Time a step took (end - start) in microseconds, or -1 when unknown. */
int64_t cl_step_duration_us(const struct cl_step *st);
/* A message step (user_message, assistant_message, system_message)? */
bool cl_step_is_message(const struct cl_step *st);

/* Lists, filled page by page from a pager's items. */
struct cl_users { struct cl_user *v; size_t n; };
struct cl_threads { struct cl_thread *v; size_t n; };
struct cl_steps { struct cl_step *v; size_t n; };

void cl_users_add(struct cl_users *l, const json_t *items);
void cl_users_free(struct cl_users *l);
/* Items of the index (from_index) or THREAD items, told apart per item
 * (an item without createdAt that has UserThreadSK is an index item). */
void cl_threads_add(struct cl_threads *l, const json_t *items);
void cl_threads_free(struct cl_threads *l);
void cl_steps_add(struct cl_steps *l, const json_t *items);
void cl_steps_free(struct cl_steps *l);

/* ---- Repositories (pager factories; limit 0 = a default page size) ---------- */

/* Every user: Scan begins_with(PK, "USER#") AND SK = "USER". */
struct pager *cl_users_pager(struct session *s, const char *table, int limit);
/* A user's threads, most recently updated first: Query UserThread with
 * UserThreadPK = USER#{identifier}, ScanIndexForward false.  With `search`
 * (may be NULL), Chainlit's own contains(name, search) filter, which runs
 * after the Limit: a page can be empty while more pages follow, so keep
 * calling pager_next until pager_done.  Items are index items: decode them
 * with cl_threads_add and fetch the rest with cl_threads_fetch. */
struct pager *cl_user_threads_pager(struct session *s, const char *table,
                                    const char *identifier, const char *search, int limit);
/* Threads that never had a user (not in the index): Scan SK = "THREAD" AND
 * attribute_not_exists(UserThreadPK), optionally filtered by name. */
struct pager *cl_unowned_threads_pager(struct session *s, const char *table,
                                       const char *search, int limit);
/* Every item of one thread: Query PK = THREAD#{thread_id}.  Drain it and
 * give the items to cl_conversation_build (or use cl_conversation_load). */
struct pager *cl_conversation_pager(struct session *s, const char *table, const char *thread_id);
/* Every step with feedback: Scan begins_with(SK, "STEP#") AND
 * attribute_exists(feedback).  Decode the items with cl_steps_add. */
struct pager *cl_feedback_pager(struct session *s, const char *table, int limit);
/* Both of the above in one Scan (one read of the table instead of two):
 * users and steps with feedback, told apart with cl_item_kind. */
struct pager *cl_users_and_feedback_pager(struct session *s, const char *table, int limit);

/* ---- Background work: fetching full threads, loading a conversation ---------- */

struct cl_job;
/* Stop a job and free it: its callback never runs (its owner may go at
 * once).  Only valid before the callback has run. */
void cl_job_cancel(struct cl_job *j);

/* The callback owns `threads` (free with cl_threads_free, then free()); it
 * is NULL on error. */
typedef void (*cl_threads_fn)(struct cl_threads *threads, const struct ddb_error *err, void *ud);

/* The full THREAD items for a page of index items (BatchGetItem, 100 keys
 * per request, unprocessed keys resent), in the order of `index_items`
 * (borrowed).  A thread whose item has gone is kept as decoded from its
 * index item, with the problem "THREAD item not found".  The callback runs
 * from ddb_client_dispatch, except when there is nothing to fetch: then it
 * runs at once and NULL is returned. */
struct cl_job *cl_threads_fetch(struct session *s, const char *table, const json_t *index_items,
                                cl_threads_fn cb, void *ud);
int cl_threads_fetch_sync(struct session *s, const char *table, const json_t *index_items,
                          struct cl_threads *out, struct ddb_error *err);

/* A user's threads (or those with no user), a page at a time, for the
 * browser.  The callback runs once a page is complete, in index order
 * (complete true; page NULL when err is set).  A page of a user's threads
 * also shows before that, as decoded from its index page (complete false:
 * id, name and time, from_index), so that a page can be drawn after one
 * Query; its BatchGetItem of the THREAD items is then in flight, and the
 * same threads come again, complete, in the same order.  Empty pages of a
 * filter are skipped.  `page` is borrowed during the call. */
typedef void (*cl_thread_page_fn)(const struct cl_threads *page, bool complete,
                                  const struct ddb_error *err, void *ud);
struct cl_thread_pages;
struct cl_thread_pages *cl_user_thread_pages(struct session *s, const char *table,
                                             const char *identifier, int limit);
struct cl_thread_pages *cl_unowned_thread_pages(struct session *s, const char *table, int limit);
/* Load the next page; false when every page is in or one is loading. */
bool cl_thread_pages_next(struct cl_thread_pages *tp, cl_thread_page_fn cb, void *ud);
/* Every page is in (nothing loading, nothing left). */
bool cl_thread_pages_done(const struct cl_thread_pages *tp);
/* Free, abandoning what is in flight: the callback never runs. */
void cl_thread_pages_free(struct cl_thread_pages *tp);

/* A whole user's threads for printing, streamed: index pages of 1000, the
 * THREAD items fetched with BatchGetItems running alongside the next index
 * pages; `cb` gets them in index order (most recently updated first), one
 * batch of up to 100 at a time (borrowed: valid during the call).  With
 * `index_only` no BatchGetItem is sent and the threads are decoded from the
 * index items (id, name, createdAt; from_index set).  Memory stays bounded
 * whatever the number of threads.  Returns 0, or -1 with *err filled (what
 * was handed out before stays handed out); *count: the threads handed out. */
typedef void (*cl_threads_stream_fn)(const struct cl_threads *batch, void *ud);
int cl_user_threads_stream_sync(struct session *s, const char *table, const char *identifier,
                                bool index_only, cl_threads_stream_fn cb, void *ud, long *count,
                                struct ddb_error *err);

/* ---- The conversation tree ------------------------------------------------ */

struct cl_node {
	struct cl_step *step;
	struct cl_node *parent;            /* NULL at the top of its section */
	struct cl_node **children;         /* by parsed createdAt */
	size_t n_children;
	struct cl_element **elements;      /* attached by forId */
	size_t n_elements;
	bool orphan;                       /* parentId names a step that is not there */
	bool cycle;                        /* on a parentId cycle (its parent link is cut) */
	bool collapsed;                    /* for the browser: hide children and elements */
};

struct cl_conversation {
	char *thread_id;
	struct cl_thread *thread;          /* NULL: no THREAD item */
	struct cl_step *steps;             /* sorted by parsed createdAt, then id */
	size_t n_steps;
	struct cl_node *nodes;             /* nodes[i] is steps[i] */
	struct cl_element *elements;
	size_t n_elements;
	json_t **unknown;                  /* items with an unknown SK, raw */
	size_t n_unknown;
	struct cl_node **roots;            /* no parentId, by time */
	size_t n_roots;
	struct cl_node **orphans;          /* parent missing (each with its subtree) */
	size_t n_orphans;
	struct cl_node **cycles;           /* members of parentId cycles */
	size_t n_cycles;
	struct cl_element **orphan_elements;   /* forId names no step here */
	size_t n_orphan_elements;
	size_t n_no_created;               /* steps (not stubs) without a usable createdAt */
	struct problems problems;          /* about the whole thread */
};

/* Build the tree from every item under one thread's PK (a JSON array,
 * borrowed; items are referenced, not copied).  Pure. */
struct cl_conversation *cl_conversation_build(const char *thread_id, const json_t *items);
void cl_conversation_free(struct cl_conversation *c);
/* A step as it is now (the item a write returned): the step with its key
 * is decoded again in place, so its node, its rows and the cursor on them
 * stay; the tree's shape and the thread's problems stay as they were built
 * (a feedback write changes neither).  False when no step has that key. */
bool cl_conversation_update_step(struct cl_conversation *c, const json_t *item);

/* Flattened for display: an indented list of rows, honouring each node's
 * `collapsed` flag.  Order: the main tree, then sections for orphan steps,
 * cycle members, elements whose step is missing and unknown items (each
 * section opens with a CL_ROW_SECTION row at depth 0, its rows start at
 * depth 1).  Under a step: its elements, then its children. */
enum cl_row_kind { CL_ROW_SECTION, CL_ROW_STEP, CL_ROW_ELEMENT, CL_ROW_UNKNOWN };

enum cl_section { CL_SECTION_MAIN, CL_SECTION_ORPHANS, CL_SECTION_CYCLES,
                  CL_SECTION_ORPHAN_ELEMENTS, CL_SECTION_UNKNOWN };

struct cl_row {
	enum cl_row_kind kind;
	enum cl_section section;
	int depth;
	const char *label;                 /* CL_ROW_SECTION: the heading */
	struct cl_node *node;              /* CL_ROW_STEP */
	const struct cl_element *element;  /* CL_ROW_ELEMENT */
	const json_t *unknown;             /* CL_ROW_UNKNOWN */
};

struct cl_rows { struct cl_row *v; size_t n; };

void cl_conversation_rows(const struct cl_conversation *c, struct cl_rows *out);
void cl_rows_free(struct cl_rows *r);
const char *cl_section_name(enum cl_section s);   /* "main", "orphans", ... */

/* The callback owns `c` (cl_conversation_free); NULL on error. */
typedef void (*cl_conversation_fn)(struct cl_conversation *c, const struct ddb_error *err, void *ud);
/* Query every page of the thread, then build the tree. */
struct cl_job *cl_conversation_load(struct session *s, const char *table, const char *thread_id,
                                    cl_conversation_fn cb, void *ud);
int cl_conversation_load_sync(struct session *s, const char *table, const char *thread_id,
                              struct cl_conversation **out, struct ddb_error *err);

/* ---- Single items ------------------------------------------------------------ */

/* GetItem (strongly consistent) of one key; *item is NULL when there is no
 * such item.  Returns 0, or -1 with *err. */
int cl_get_item_sync(struct session *s, const char *table, json_t *key, json_t **item,
                     struct ddb_error *err);

/* ---- Which table ---------------------------------------------------------------- */

enum cl_table_status {
	CL_TABLE_FOUND,     /* *table set */
	CL_TABLE_NONE,      /* no table has the Chainlit layout */
	CL_TABLE_SEVERAL,   /* *several lists them, comma-separated */
	CL_TABLE_ERROR,     /* listing the tables failed: *err */
};

/* The session's Chainlit table (--chainlit-table / CHAINLIT_DYNAMODB_TABLE),
 * else the only table with the Chainlit layout.  Strings are malloc'd. */
enum cl_table_status cl_table_resolve_sync(struct session *s, char **table, char **several,
                                           struct ddb_error *err);

#endif
