/* tests/integration/it-demo.h: a session with the demo tables, for the
 * integration tests of model/ (it-stache, it-chainlit).  The rest of the
 * shared set-up is in it-common.h. */
#ifndef DDTREE_IT_DEMO_H
#define DDTREE_IT_DEMO_H

#include <stdbool.h>

#include "model/demo.h"
#include "model/session.h"
#include "tests/integration/it-common.h"

struct it_demo {
	struct session *s;
	char prefix[96];            /* "STEM-PID-TIME-" */
	struct demo_names names;    /* the tables under that prefix */
};

/* Open a session on DDTREE_TEST_ENDPOINT and create the demo tables (the
 * Stache pair and the Chainlit table, model/demo.c) under a unique prefix;
 * reset: recreate tables that exist.  The environment's table variables and
 * DDTREE_READ_ONLY are cleared first: the session names no table until the
 * test does, and may write.  Call it_credentials first.  Returns 0, or -1
 * after a message on stderr (nothing is left open then). */
int it_demo_open(struct it_demo *d, const char *stem, bool reset);

/* Delete the three demo tables and close the session (nothing when none). */
void it_demo_close(struct it_demo *d);

#endif
