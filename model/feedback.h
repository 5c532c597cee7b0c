/* model/feedback.h: writing Chainlit feedback exactly as Chainlit does
 * (SCHEMAS.md B.5 and B.11 rule 1), but safely:
 *
 *   set:    UpdateItem on THREAD#{thread}/STEP#{step},
 *           SET #feedback = :fb, where :fb is the whole Map
 *           {forId S, value N "0"|"1", threadId S, id S "THREAD#t::STEP#s",
 *            comment S or NULL}
 *   delete: UpdateItem REMOVE #feedback
 *
 * Both are conditional: attribute_exists(PK) (a write never creates a stub
 * step) AND the feedback is still what the caller saw (attribute_not_exists
 * when it saw none, else equal to the whole Map it read).  A failed
 * condition returns the current item (ReturnValuesOnConditionCheckFailure
 * ALL_OLD), so the caller can show both versions; overwriting is another
 * conditional write on the version the caller has now seen.
 * Every write asks session_check_write() first: a read-only session is
 * refused before any request. */
#ifndef DDTREE_MODEL_FEEDBACK_H
#define DDTREE_MODEL_FEEDBACK_H

#include <jansson.h>

#include "model/session.h"

#define FB_STATUSES(X) \
	X(FB_OK,        "ok") \
	X(FB_CONFLICT,  "the feedback changed since it was read") \
	X(FB_NO_STEP,   "the step does not exist") \
	X(FB_READ_ONLY, "refused: the session is read-only") \
	X(FB_INVALID,   "invalid request") \
	X(FB_ERROR,     "AWS or network error")

enum fb_status {
#define FB_X_ENUM(id, text) id,
	FB_STATUSES(FB_X_ENUM)
#undef FB_X_ENUM
};

const char *fb_status_text(enum fb_status st);

enum fb_action { FB_SET, FB_DELETE };

struct fb_request {
	const char *table;
	const char *thread_id, *step_id;   /* non-empty */
	enum fb_action action;
	int value;                         /* FB_SET: 1 thumbs up, 0 thumbs down */
	const char *comment;               /* FB_SET: NULL stores {"NULL": true} */
	const json_t *seen;                /* the step's feedback attribute value as
	                                      read ({"M": {...}}, borrowed), or NULL
	                                      when the step had no feedback */
};

struct fb_result {
	enum fb_status status;
	json_t *item;            /* FB_OK: the step after the write (ALL_NEW);
	                            FB_CONFLICT: the step as it is now (ALL_OLD) */
	json_t *wanted;          /* the feedback value this write tried to store
	                            ({"M": ...}), NULL for a delete */
	char *message;           /* for people; never NULL after a write */
	struct ddb_error err;    /* FB_ERROR (and the service error of FB_CONFLICT) */
};

void fb_result_clear(struct fb_result *r);

/* "up" -> 1, "down" -> 0.  Returns 0, or -1 for anything else. */
int fb_value_parse(const char *word, int *value);

/* "THREAD#{thread_id}::STEP#{step_id}" (malloc'd). */
char *fb_id(const char *thread_id, const char *step_id);

/* The feedback attribute value Chainlit stores: {"M": {forId, value,
 * threadId, id, comment}}.  New reference. */
json_t *fb_map(const char *thread_id, const char *step_id, int value, const char *comment);

/* The UpdateItem request for `r` (pure; unit-tested).  NULL with *err
 * (malloc'd) when the request is invalid. */
json_t *fb_build_request(const struct fb_request *r, char **err);

/* Asynchronous write.  The callback runs exactly once with the result
 * (which it may take pieces from: set them to NULL; the rest is freed when
 * it returns): at once, before fb_write returns, for a read-only refusal or
 * an invalid request (no request is sent then), else from
 * ddb_client_dispatch. */
typedef void (*fb_done_fn)(struct fb_result *res, void *ud);
void fb_write(struct session *s, const struct fb_request *r, fb_done_fn cb, void *ud);

/* Synchronous write; free *out with fb_result_clear.  Returns out->status. */
enum fb_status fb_write_sync(struct session *s, const struct fb_request *r, struct fb_result *out);

/* ---- Counting feedback ------------------------------------------------------ */

/* What feedback adds to a thread's counts: thumbs up, thumbs down (a value
 * other than 0 or 1 is neither), comments (non-empty). */
struct fb_counts {
	long up, down, comments;
};

/* The counts of one step's feedback attribute value ({"M": ...}, or NULL
 * for none), decoded as the steps are (cl_feedback_decode). */
void fb_counts_of(const json_t *fb_av, struct fb_counts *out);

/* Counts per thread (the browser's +up-down and comment mark), filled from
 * the steps with feedback a Scan returns and kept true to the writes. */
struct fb_tally {
	json_t *by_thread;       /* thread id -> [up, down, comments] */
};

void fb_tally_init(struct fb_tally *t);
void fb_tally_clear(struct fb_tally *t);   /* forget every thread */
void fb_tally_free(struct fb_tally *t);
/* Count the steps with feedback among `items` (step items of a Scan page;
 * others are skipped), under their thread (threadId, else the key's). */
void fb_tally_add_steps(struct fb_tally *t, const json_t *items);
/* A step's feedback went from `before` to `after` (attribute values, NULL
 * for none): the thread's counts follow (never below 0).  True when they
 * changed. */
bool fb_tally_change(struct fb_tally *t, const char *thread_id, const json_t *before,
                     const json_t *after);
/* The counts of a thread (zeros for one with no feedback). */
void fb_tally_get(const struct fb_tally *t, const char *thread_id, struct fb_counts *out);

#endif
