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

enum { DEMO_OK = 0, DEMO_FAILED = -1, DEMO_REFUSED = -2 };

/* Create the tables and fill them.  DEMO_OK; DEMO_FAILED with *err
 * (malloc'd); or DEMO_REFUSED with *err before any request: the endpoint is
 * not on this machine (demo deletes, recreates and overwrites tables named
 * as the libraries name them by default, so anywhere else they are most
 * likely someone's real data: refused whatever --write or the config file
 * say), or the session is read-only. */
int demo_create(struct session *s, const struct demo_opts *o, char **err);

/* The gate demo_create and the fillers pass first: 0, or DEMO_REFUSED with
 * *err (the endpoint is not on this machine, or the session is read-only). */
int demo_check(const struct session *s, const struct demo_names *n, char **err);

/* The fillers, one per library (model/demo_stache.c, model/demo_chainlit.c):
 * realistic data written in exactly the libraries' shapes, plus a handful of
 * the broken states `ddtree check` finds.  Return 0 or -1 with *err; they
 * refuse (-1) what demo_check refuses, before any request. */
int demo_fill_stache(struct session *s, const struct demo_names *n,
                     const struct demo_opts *o, char **err);
int demo_fill_chainlit(struct session *s, const struct demo_names *n,
                       const struct demo_opts *o, char **err);

#endif
