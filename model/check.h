/* model/check.h: the integrity report (`ddtree check`): findings with the
 * key of the item they are about. */
#ifndef DDTREE_MODEL_CHECK_H
#define DDTREE_MODEL_CHECK_H

#include <stddef.h>
#include <jansson.h>

#include "model/session.h"

struct finding {
	char *table;
	char *key;       /* the item's key as compact wire JSON, e.g. {"PK":{"S":"THREAD#x"},"SK":{"S":"THREAD"}} */
	char *kind;      /* short stable id: "namespace-orphan", "step-no-createdAt", ... */
	char *message;   /* one line for people */
};

struct findings {
	struct finding *v;
	size_t n;
};

/* Adds a finding; `key` is borrowed (serialised here; may be NULL). */
void findings_add(struct findings *f, const char *table, const json_t *key,
                  const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void findings_free(struct findings *f);

/* Checks per library (model/check_stache.c, model/check_chainlit.c).
 * Each scans its tables and appends findings; returns 0, or -1 with *err
 * when a read failed.  `progress` (may be NULL) reports items read. */
typedef void (*check_progress_fn)(const char *what, long items, void *ud);
int check_stache(struct session *s, struct findings *out, check_progress_fn progress,
                 void *ud, struct ddb_error *err);
int check_chainlit(struct session *s, struct findings *out, check_progress_fn progress,
                   void *ud, struct ddb_error *err);

/* The same step by step, for a caller that reads the pages itself
 * (check_job below): begin, each page, the end of a scan, free.  The
 * Stache run reads the namespaces (when there is a namespace table) and
 * then the document rows; check_chainlit_begin returns NULL without a
 * Chainlit table. */
struct pager;
struct check_stache_run;
struct check_stache_run *check_stache_begin(struct session *s, struct findings *out,
                                            check_progress_fn progress, void *ud);
void check_stache_ns_page(struct check_stache_run *r, struct pager *p, const json_t *items);
void check_stache_ns_end(struct check_stache_run *r);
void check_stache_rows_page(struct check_stache_run *r, struct pager *p, const json_t *items);
void check_stache_end(struct check_stache_run *r);
void check_stache_free(struct check_stache_run *r);
struct check_chainlit_run;
struct check_chainlit_run *check_chainlit_begin(struct session *s, struct findings *out,
                                                check_progress_fn progress, void *ud);
void check_chainlit_page(struct check_chainlit_run *r, const json_t *items);
void check_chainlit_end(struct check_chainlit_run *r);
void check_chainlit_free(struct check_chainlit_run *r);

/* The whole report in the background (the browser): the scans run on the
 * session's client, page by page; `progress` reports items read, `done`
 * runs once with the findings (borrowed: valid until check_job_free) or a
 * read's error.  check_job_free cancels what is in flight (done never
 * runs after it); it may be called from `done`. */
struct check_job;
typedef void (*check_done_fn)(struct check_job *j, const struct findings *f,
                              const struct ddb_error *err, void *ud);
struct check_job *check_job_start(struct session *s, check_progress_fn progress,
                                  check_done_fn done, void *ud);
void check_job_free(struct check_job *j);

#endif
