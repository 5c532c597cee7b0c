/* tests/integration/it-common.h: the set-up every integration test shares.
 *
 * The it-* programs run against one DynamoDB Local named by
 * DDTREE_TEST_ENDPOINT (tests/harness/run-test starts one per program, or
 * scripts/test one for the whole run, with -sharedDb).  Programs run at once
 * (make -j) against the same server, so every table name carries the
 * program's process id and the time.  DynamoDB Local checks no signature:
 * the credentials are placeholders, put in the environment as a user would.
 *
 * These helpers serve group setups and teardowns: they print what went wrong
 * on stderr and return -1 (or a malloc'd message in *err), and never call
 * cmocka.  Sessions and the demo tables, for the model-level tests, are in
 * tests/integration/it-demo.h. */
#ifndef DDTREE_IT_COMMON_H
#define DDTREE_IT_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/config.h"
#include "aws/ddb.h"

/* DDTREE_TEST_ENDPOINT, or NULL after a message on stderr. */
const char *it_endpoint(void);

/* Placeholder credentials in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY); a key id naming the program shows in traces.
 * region: AWS_REGION too, or NULL to leave it alone (a local endpoint then
 * gets the default region). */
void it_credentials(const char *key_id, const char *secret, const char *region);

/* "STEM-PID-TIME" into buf: a name no other program on the server uses. */
void it_unique_name(char *buf, size_t len, const char *stem);

/* A client of one endpoint, configured as `ddtree --endpoint-url URL` would be. */
struct it_client {
	struct aws_conf conf;
	bool have_conf;
	ddb_client *c;
};

/* Resolve the configuration for `url` and start a client with `opts` (its
 * conf is filled in).  Returns 0, or -1 with a malloc'd message in *err;
 * it_client_close undoes either. */
int it_client_open(struct it_client *ic, const char *url, struct ddb_client_opts opts, char **err);
void it_client_close(struct it_client *ic);

/* The on-demand table with string keys PK (hash) and SK (range) that the
 * client's own tests use.  Returns 0, or -1 after a message on stderr. */
int it_create_pk_sk_table(ddb_client *c, const char *table);

/* DeleteTable.  Returns 0, or -1 after a message on stderr. */
int it_delete_table(ddb_client *c, const char *table);

#endif
