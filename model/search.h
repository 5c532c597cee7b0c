/* model/search.h: finding text in Chainlit and Stache data (issue 15).
 *
 * Three scopes, each read the cheapest way the layouts allow:
 *
 *   SEARCH_THREAD_NAMES  a user's thread names, as Chainlit searches them:
 *                        Query UserThread (UserThreadPK = USER#user, most
 *                        recently updated first) with FilterExpression
 *                        contains(#name, :q).  The filter runs after the
 *                        Limit, so pages can come back short or empty while
 *                        more follow: reading goes on until `want` matches
 *                        or the end.  The index projects the name, so no
 *                        other request is made (the cost of reading the
 *                        index).  With ignore_case the filter is left out
 *                        and the names are matched here.
 *   SEARCH_STEPS         step name, input and output: a parallel Scan of
 *                        the table (segments from TableSizeBytes, as
 *                        `export` chooses them; model/generic.h), with a
 *                        ProjectionExpression of what a result needs and
 *                        FilterExpression begins_with(SK, "STEP#") AND
 *                        (contains(name) OR contains(input) OR
 *                        contains(output)) [AND type = T] [AND
 *                        attribute_exists(feedback)].  The thread names of
 *                        the matches come from BatchGetItems of their THREAD
 *                        items (projected, 100 keys each, one per page of
 *                        matches, names kept for the threads seen).  With
 *                        `user`, only that user's threads: their ids are
 *                        read from the UserThread index first (names
 *                        included, so no BatchGetItem), then each thread is
 *                        queried (PK = THREAD#id AND begins_with(SK,
 *                        "STEP#"), the same filter), several at a time, when
 *                        the user holds a small part of the table (see
 *                        SEARCH_USER_QUERY_*), else the table is scanned and
 *                        the user's threads kept.
 *   SEARCH_DOCUMENTS     Stache documents.  In a namespace: file names and
 *                        source paths (the two things GSI2's key
 *                        FILENAME#ns#name is built from) that start with the
 *                        text, by a Query of that namespace's GSI1 partition
 *                        (NAMESPACE#ns, and its pre-0.2.0 unescaped form when
 *                        that differs), newest first, filtered with
 *                        begins_with.  (A key condition on GSI2's partition
 *                        key can only be an equality, so a prefix of
 *                        FILENAME#ns#... would be a Scan of the whole index,
 *                        every namespace; the GSI1 partition holds exactly
 *                        the namespace's documents, and the attributes also
 *                        find rows whose keys predate the escaping.)  Across
 *                        namespaces: a parallel Scan of the document rows
 *                        (SK = METADATA) whose filename, source_path or
 *                        summary contains the text.
 *
 * Case: as Chainlit, matching is case-sensitive and done by the server's
 * filter.  ignore_case matches here instead (Unicode simple lower case),
 * so the server returns every candidate (the projection still applies).
 *
 * Streaming, for the browser as for the command line: matches are handed
 * out in batches (one per page read, after its thread names are known) as
 * they are found, with progress after every page (items read so far, of
 * the table's approximate ItemCount for a Scan).  Only matches are kept:
 * memory is bounded by them and by a page, never by the table.  `want`
 * pauses the reading once that many matches are out; search_more goes on.
 * search_cancel stops (Esc).  Every callback runs from
 * ddb_client_dispatch (or the waits of search_run_sync) on the caller's
 * thread, except `done` after search_cancel.
 * Knows nothing of ncurses. */
#ifndef DDTREE_MODEL_SEARCH_H
#define DDTREE_MODEL_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "model/pager.h"     /* ddb_error_clear */
#include "model/session.h"

/* The longest text searched for, in bytes.  DynamoDB takes much longer
 * expression values, but a filter with a longer needle is no search. */
#define SEARCH_TEXT_MAX 1024

/* Steps of a user's threads: one Query per thread (SEARCH_USER_QUERY_INFLIGHT
 * at a time) when the user has at most SEARCH_USER_QUERY_MIN threads or
 * SEARCH_USER_QUERY_RATIO times fewer threads than the table has items
 * (or the item count is unknown); else one Scan of the table. */
#define SEARCH_USER_QUERY_MIN 64
#define SEARCH_USER_QUERY_RATIO 100
#define SEARCH_USER_QUERY_INFLIGHT 8

enum search_scope {
	SEARCH_THREAD_NAMES,
	SEARCH_STEPS,
	SEARCH_DOCUMENTS,
};

/* How the steps of a user's threads are read (tests force one). */
enum search_user_plan {
	SEARCH_PLAN_AUTO,
	SEARCH_PLAN_QUERY,      /* one Query per thread */
	SEARCH_PLAN_SCAN,       /* one Scan, the user's threads kept */
};

struct search_opts {
	enum search_scope scope;
	const char *text;          /* UTF-8, 1..SEARCH_TEXT_MAX bytes */
	bool ignore_case;
	const char *table;         /* the Chainlit table, or the Stache documents table */
	const char *user;          /* THREAD_NAMES: whose threads (the identifier);
	                              STEPS: only that user's threads (NULL: all) */
	const char *step_type;     /* STEPS: only steps of this type (NULL: any) */
	bool with_feedback;        /* STEPS: only steps that have feedback */
	const char *namespace_;    /* DOCUMENTS: this namespace (prefix match); NULL: all */
	int segments;              /* Scans: parallel segments (0: from the table's size) */
	int page_limit;            /* Limit of each Query/Scan page (0: 1000); tests
	                              make it small to get short and empty pages */
	long want;                 /* pause after this many matches (0: no pause) */
	enum search_user_plan user_plan;
};

enum search_kind { SEARCH_KIND_THREAD, SEARCH_KIND_STEP, SEARCH_KIND_DOCUMENT };
const char *search_kind_name(enum search_kind k);   /* "thread", "step", "document" */

/* One match.  Strings are borrowed from `item` or `thread` (NULL when the
 * attribute is missing or not a string) and live as long as the match,
 * that is during the batch callback: keep one with search_match_copy. */
struct search_match {
	enum search_kind kind;
	const char *field;         /* where the text was found: "name", "input",
	                              "output" (steps: the first of these that holds
	                              it), "filename", "source_path", "summary" */
	char *snippet;             /* the field's text around the match, on one line
	                              (whitespace runs made one space, "…" where
	                              cut); raw text: sanitise before display */
	size_t hit_at, hit_len;    /* the match's bytes in snippet */
	json_t *item;              /* the attributes a result shows (a small new
	                              object: never the step's input/output) */
	json_t *key;               /* the item's key, wire JSON ({"PK":..,"SK":..}) */
	/* threads and steps */
	const char *thread_id;
	const char *thread_name;   /* NULL: no name, or the THREAD item is missing */
	const char *user;          /* the thread's userIdentifier, when known */
	const char *updated_at;    /* threads: UserThreadSK without "TS#" */
	json_t *thread;            /* {"name":..,"user":..,"missing":true?}; may be NULL */
	/* steps */
	const char *step_id, *step_type, *step_name, *created_at;
	int vote;                  /* feedback: 1 up, 0 down, -1 none or not 0/1 */
	/* documents */
	const char *namespace_, *doc_id, *filename, *source_path, *status;
};

/* Counts after every page. */
struct search_progress {
	long read;                 /* items read (the servers' ScannedCount: before
	                              the filter) */
	long total;                /* the table's ItemCount (approximate) for a
	                              Scan; -1 when unknown or for a Query */
	long matches;              /* matches handed out */
	long pages;
	int segments;              /* parallel Scan segments; 0 when not a Scan */
	long threads_total;        /* steps of a user: the user's threads (-1 while
	                              they are being listed); else -1 */
	long threads_done;         /* ... of them read, by Query or Scan */
	bool paused;               /* stopped at `want` matches; search_more */
	bool done;                 /* read to the end (or stopped: see done's err) */
};

struct search_cbs {
	/* A batch of matches (borrowed, valid during the call). */
	void (*batch)(const struct search_match *v, size_t n, void *ud);
	/* After every page, and when pausing.  May be NULL. */
	void (*progress)(const struct search_progress *p, void *ud);
	/* Once, at the end: err NULL when read to the end; DDB_ERR_CANCELLED
	 * after search_cancel or a cancelled read (Esc: ddb_client_cancel_reads);
	 * DDB_ERR_USAGE for a table without the index the search reads (the
	 * message names both). */
	void (*done)(const struct search_progress *p, const struct ddb_error *err, void *ud);
};

struct search;

/* 0 when the options can be searched; else -1 with a message (malloc'd)
 * fit for a usage error: empty text, longer than SEARCH_TEXT_MAX bytes, not
 * UTF-8, no table, no user for thread names, options of another scope. */
int search_check(const struct search_opts *o, char **why);

/* Start a search (the strings of `o` are copied).  NULL with *why when
 * search_check refuses the options.  No callback runs before this returns. */
struct search *search_start(struct session *s, const struct search_opts *o,
                            const struct search_cbs *cbs, void *ud, char **why);
/* Raise the pause point to `want` matches in all (0: no pause) and go on. */
void search_more(struct search *x, long want);
/* Stop: every request in flight is cancelled; `done` runs now, with
 * DDB_ERR_CANCELLED, unless the search had ended.  No callback after. */
void search_cancel(struct search *x);
/* Cancel (without calling done) and free.  Allowed inside a callback. */
void search_free(struct search *x);
/* A copy of a match that outlives the batch (references to its JSON, a
 * copy of the snippet); free it with search_match_clear. */
void search_match_copy(struct search_match *dst, const struct search_match *src);
void search_match_clear(struct search_match *m);

const struct search_progress *search_get_progress(const struct search *x);
bool search_finished(const struct search *x);

/* Run to the end, waiting on the session's client: start, then the batches
 * and progress as they come.  Returns 0, or -1 with *err (clear it with
 * ddb_error_clear; kind DDB_ERR_USAGE for refused options or a missing
 * index).  *pr (may be NULL) gets the final counts. */
int search_run_sync(struct session *s, const struct search_opts *o, const struct search_cbs *cbs,
                    void *ud, struct search_progress *pr, struct ddb_error *err);

/* What `search --json` prints of a match: kind, key (plain JSON), field,
 * snippet, and per kind thread_id, thread_name, user, updated_at / step_id,
 * type, name, created_at, vote / namespace, doc_id, filename, source_path,
 * status, created_at.  New reference. */
json_t *search_match_json(const struct search_match *m);

/* Find `needle` in `hay` (n bytes) as a search would: a substring, or a
 * prefix; byte for byte, or ignoring case (Unicode simple lower case).
 * true with the match's bytes in *at, *len.  (Pure; unit-tested.) */
bool search_find(const char *hay, size_t n, const char *needle, bool ignore_case, bool prefix,
                 size_t *at, size_t *len);
/* The snippet of a match (see search_match.snippet), malloc'd; `context`
 * characters on each side. */
char *search_snippet(const char *s, size_t n, size_t at, size_t len, int context,
                     size_t *hit_at, size_t *hit_len);

#endif
