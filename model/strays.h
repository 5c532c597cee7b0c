/* model/strays.h: the items Chainlit's feedback calls leave where there
 * was no step (SCHEMAS.md B.5), described for people in one place, so the
 * conversation, `check` and the feedback writes name them alike:
 *
 *   stub step    {PK, SK, feedback}: upsert_feedback for a step that did
 *                not exist (its UpdateItem SET creates the item);
 *   stray item   {PK, SK}: delete_feedback's UpdateItem REMOVE on a key
 *                that names no step, which its character strip makes of
 *                ids that start or end with the letters of "THREAD#" or
 *                "STEP#" (THREAD#DATA-1-TEAM becomes THREAD#-1-TEAM).
 *
 * What Chainlit then does depends on the THREAD item under the same PK:
 * with one, get_thread (and delete_thread, which calls it) fails sorting
 * the steps by createdAt; without one, get_thread returns None before it
 * sorts, list_threads never shows the id (it is in no index) and
 * delete_thread deletes nothing. */
#ifndef DDTREE_MODEL_STRAYS_H
#define DDTREE_MODEL_STRAYS_H

#include <stdbool.h>
#include <jansson.h>

/* What made the item, as a phrase ("a stub step (only PK, SK and
 * feedback), made by ..."): with_feedback tells a stub step from a stray
 * item. */
const char *stray_origin(bool with_feedback);

/* What Chainlit does with the thread such an item is under, as a phrase
 * ("Chainlit's get_thread and delete_thread fail on the thread ..."). */
const char *stray_effect(bool thread_exists);

/* Whether a step item is one of them: its only attributes are PK, SK and
 * perhaps feedback (*with_feedback, may be NULL). */
bool stray_item_is(const json_t *item, bool *with_feedback);

/* Why no feedback is written on `item` (the step item as read) when it is
 * a stub step or a stray item, for people: "THREAD#t / STEP#s is a stub
 * step (...): no feedback is written on it ..."; malloc'd.  NULL for any
 * other item.  The command line and the browser both ask it before a
 * feedback write (set or delete): the item is no step, and a write would
 * keep it one of these. */
char *stray_write_refusal(const json_t *item);

#endif
