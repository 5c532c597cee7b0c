/* model/demo.h: create the demo tables as the libraries' own templates do,
 * and fill them with realistic data. */
#ifndef DDTREE_MODEL_DEMO_H
#define DDTREE_MODEL_DEMO_H

#include <stdbool.h>

#include "model/session.h"

struct demo_opts {
	const char *prefix;    /* prepended to every table name ("" by default) */
	bool reset;            /* delete and recreate tables that exist */
	void (*progress)(const char *msg, void *ud);
	void *ud;
};

/* Names of the demo tables for a prefix (static buffer per call site). */
struct demo_names {
	char namespaces[256], documents[256], chainlit[256];
};
void demo_table_names(const char *prefix, struct demo_names *out);

/* Returns 0, or -1 with *err (malloc'd). */
int demo_create(struct session *s, const struct demo_opts *o, char **err);

#endif
