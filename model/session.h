/* model/session.h: one connection to DynamoDB plus what ddtree knows about
 * it: the tables in use, the read-only switch.  Every write in model/ asks
 * session_check_write() first, so the refusal comes before any request.
 * Knows nothing of ncurses. */
#ifndef DDTREE_MODEL_SESSION_H
#define DDTREE_MODEL_SESSION_H

#include <stdbool.h>

#include "aws/config.h"
#include "aws/ddb.h"

struct session_opts {
	struct aws_conf_opts aws;
	const char *namespace_table;   /* --namespace-table / DYNAMODB_NAMESPACE_TABLE */
	const char *documents_table;   /* --documents-table / DYNAMODB_DOCUMENTS_TABLE */
	const char *chainlit_table;    /* --chainlit-table / CHAINLIT_DYNAMODB_TABLE */
	bool read_only;                /* --read-only (or DDTREE_READ_ONLY=1) */
	const char *read_only_source;  /* why read_only is set, when not --read-only */
	bool write;                    /* --write: allow writes to a non-loopback endpoint */
	const char *debug_path;        /* --debug FILE */
	int max_attempts;              /* --max-attempts; 0 = configured/default */
	long request_timeout_ms;       /* 0 = default */
	/* --allow-http to a remote host: called once, from the network thread,
	 * before the first request goes (see ddb_client_opts); NULL to leave it
	 * to ddb_client_warning (the browser's status line) */
	void (*on_warning)(const char *msg, void *ud);
	void *warning_ud;
};

struct session {
	struct aws_conf conf;
	ddb_client *ddb;
	bool read_only;
	const char *read_only_reason;  /* why writes are off, for the header and errors */
	char *namespace_table, *documents_table, *chainlit_table;
};

/* Resolve configuration, then start the client.  Table names come from the
 * options, then the environment (DYNAMODB_DOCUMENT_TABLE is accepted as the
 * seed README's spelling of DYNAMODB_DOCUMENTS_TABLE). */
struct session *session_open(const struct session_opts *o, char **err);
void session_close(struct session *s);

/* 0 when writes are allowed; -1 with a message when read-only. */
int session_check_write(const struct session *s, char **err);

/* One line for headers: "http://127.0.0.1:8000 · us-east-1 · profile default". */
char *session_describe(const struct session *s);

#endif
