/* model/pager.h: one Query or Scan read page by page, with a resumable
 * cursor.  Every repository of model/ is a function that builds a pager
 * (the request) plus a decoder for its items; views that need everything
 * (a conversation, the namespace tree) drain the pager first.
 * Limit is always sent (default 1000): without it DynamoDB Local reads far
 * past the 1 MB page before answering. */
#ifndef DDTREE_MODEL_PAGER_H
#define DDTREE_MODEL_PAGER_H

#include <stdbool.h>
#include <jansson.h>

#include "model/session.h"

struct pager;

/* `request` (stolen) is the whole Query/Scan request without
 * ExclusiveStartKey; "Limit" is added when absent. */
struct pager *pager_new(struct session *s, const char *op, json_t *request);
void pager_free(struct pager *p);   /* cancels a page in flight: its callback never runs */

/* items: the page's "Items" (borrowed, valid during the callback); err: NULL
 * on success.  The callback may call pager_next again. */
typedef void (*pager_page_fn)(struct pager *p, const json_t *items,
                              const struct ddb_error *err, void *ud);

/* Fetch the next page (asynchronously).  Returns false when already done or
 * a page is in flight. */
bool pager_next(struct pager *p, pager_page_fn cb, void *ud);
bool pager_done(const struct pager *p);   /* no LastEvaluatedKey left */
bool pager_busy(const struct pager *p);
void pager_cancel(struct pager *p);       /* the callback runs with DDB_ERR_CANCELLED */

/* Progress: pages fetched, items returned, items scanned (before filters). */
long pager_pages(const struct pager *p);
long pager_items(const struct pager *p);
long pager_scanned(const struct pager *p);

/* The resume point as JSON text (the LastEvaluatedKey in wire format, as
 * Chainlit's own cursor), or NULL before the first page / when done. */
char *pager_cursor(const struct pager *p);
/* Start from a cursor made by pager_cursor.  Returns false if it is not a
 * JSON object. */
bool pager_resume(struct pager *p, const char *cursor);

/* Synchronous: fetch pages until done (or `max_items` items, 0 = all),
 * calling cb for each page.  Returns 0, or -1 with *err filled (free the
 * strings with ddb_error_clear). */
int pager_drain_sync(struct pager *p, long max_items, pager_page_fn cb, void *ud,
                     struct ddb_error *err);

void ddb_error_copy(struct ddb_error *dst, const struct ddb_error *src);
void ddb_error_clear(struct ddb_error *e);

#endif
