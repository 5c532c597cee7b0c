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

#endif
