/* model/strays.c: stub steps and stray items described (see strays.h). */
#include "ddconfig.h"

#include "aws/util.h"
#include "aws/ddb.h"
#include "model/strays.h"

#include <string.h>

const char *stray_origin(bool with_feedback)
{
	return with_feedback
	       ? "a stub step (only PK, SK and feedback), made by Chainlit's upsert_feedback for "
	         "a step that did not exist"
	       : "a stray item (only PK and SK), left by Chainlit's delete_feedback: its REMOVE "
	         "creates the item when the key names no step, as when its strip of the "
	         "characters of \"THREAD#\" and \"STEP#\" damaged the ids (THREAD#DATA-1-TEAM "
	         "becomes THREAD#-1-TEAM)";
}

const char *stray_effect(bool thread_exists)
{
	return thread_exists
	       ? "Chainlit's get_thread and delete_thread fail on the thread (KeyError 'createdAt' "
	         "sorting its steps)"
	       : "there is no THREAD item under its key: Chainlit's get_thread returns None (not "
	         "found) for that id, list_threads never shows it and delete_thread deletes "
	         "nothing, so it stays until it is removed by hand";
}

bool stray_item_is(const json_t *item, bool *with_feedback)
{
	if (with_feedback)
		*with_feedback = false;
	if (!json_is_object(item) || !json_object_get(item, "PK") || !json_object_get(item, "SK"))
		return false;
	const char *k;
	json_t *v;
	bool fb = false;
	json_object_foreach((json_t *)item, k, v) {
		if (!strcmp(k, "feedback"))
			fb = true;
		else if (strcmp(k, "PK") && strcmp(k, "SK"))
			return false;
	}
	if (with_feedback)
		*with_feedback = fb;
	return true;
}

char *stray_write_refusal(const json_t *item)
{
	bool fb;
	if (!stray_item_is(item, &fb))
		return NULL;
	const char *pk = ddb_item_s(item, "PK"), *sk = ddb_item_s(item, "SK");
	return util_xasprintf("%s / %s is %s: it is no step, so no feedback is written on it "
	                      "(after a write it would still be no step; `ddtree check` lists "
	                      "these items)",
	                      pk ? pk : "?", sk ? sk : "?", stray_origin(fb));
}
