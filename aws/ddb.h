/* aws/ddb.h: an asynchronous DynamoDB JSON-protocol client.
 *
 * One worker thread drives a curl multi handle: requests are signed there
 * (SigV4, aws/sigv4.h), several are in flight at once over persistent
 * connections, failures are retried as the SDKs' standard mode does (full
 * jitter, a retry quota), and finished calls are queued for the caller's
 * thread.  The caller waits on ddb_client_fd() alongside its keyboard and
 * calls ddb_client_dispatch() when it is readable; completion callbacks run
 * there, on the caller's thread.  Nothing here blocks the caller except the
 * explicit *_sync and ddb_client_wait functions.
 *
 * Requests and responses are jansson trees in DynamoDB's wire format, so every
 * attribute value stays lossless (numbers are strings, binary is base64).
 * Knows nothing of Chainlit or Stache.
 */
#ifndef DDTREE_AWS_DDB_H
#define DDTREE_AWS_DDB_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "aws/config.h"

/* Error kinds, one table (X-macro): name, retryable by default, message. */
#define DDB_ERROR_KINDS(X) \
	X(DDB_OK,          "ok") \
	X(DDB_ERR_SERVICE, "the service returned an error") \
	X(DDB_ERR_NETWORK, "network error") \
	X(DDB_ERR_TIMEOUT, "timed out") \
	X(DDB_ERR_CRC,     "response checksum (x-amz-crc32) mismatch") \
	X(DDB_ERR_PROTOCOL,"malformed response") \
	X(DDB_ERR_CREDENTIALS, "no usable credentials") \
	X(DDB_ERR_CANCELLED, "cancelled") \
	X(DDB_ERR_USAGE,   "invalid request")

enum ddb_error_kind {
#define DDB_X_ENUM(name, text) name,
	DDB_ERROR_KINDS(DDB_X_ENUM)
#undef DDB_X_ENUM
};

const char *ddb_error_kind_text(enum ddb_error_kind k);

struct ddb_error {
	enum ddb_error_kind kind;
	long http_status;          /* 0 when no HTTP answer */
	char *code;                /* AWS error code, e.g. "ConditionalCheckFailedException" */
	char *message;             /* human text (server message or local reason) */
	char *request_id;          /* x-amzn-RequestId, if any */
};

/* The error for people, the one way every layer puts it (aws/ddberr.c):
 * "CODE: message" from the service, else the local reason (or the kind's
 * text), with what it likely means:
 *   - an answer with no DynamoDB error in it (no X-Amzn-ErrorType, no
 *     __type or code: ddb_parse_error_body's "HTTP<status>") is
 *     "ENDPOINT answered HTTP 501 with no DynamoDB error: not a DynamoDB
 *     endpoint?";
 *   - refused credentials (UnrecognizedClientException, an invalid
 *     signature or token, ...) name where they came from (the environment,
 *     or the profile and what chose it) and what to do;
 *   - a DynamoDB error with a 5xx status ends in " (server error)".
 * `conf` (the endpoint, the profile) may be NULL.  One line unless `flags`
 * has DDB_DESCRIBE_LINES: a message of several lines (a credentials error
 * that shows a profile to add) keeps them, for a caller that prints each
 * line on its own; else each line break becomes a space.  The text is as
 * the server sent it: callers sanitise it for a terminal.  malloc'd; aborts
 * when out of memory. */
#define DDB_DESCRIBE_LINES 1u
char *ddb_error_describe(const struct ddb_error *e, const struct aws_conf *conf, unsigned flags);

struct ddb_result {
	const char *op;            /* "Query", ... (static string) */
	json_t *body;              /* parsed response body: the reply on success, the
	                              error document on DDB_ERR_SERVICE (it may carry
	                              "Item" for a failed condition); NULL otherwise */
	struct ddb_error err;
	int attempts;              /* HTTP attempts made */
	double elapsed_ms;         /* from submit to completion, retries included */
	size_t bytes_received;     /* response body bytes of the final attempt */
	bool repaired;             /* the answer held text JSON cannot carry (NUL in a
	                              name, a lone surrogate), shown as U+FFFD */
};

typedef void (*ddb_done_fn)(struct ddb_result *res, void *ud);

struct ddb_client_opts {
	struct aws_conf *conf;     /* endpoint, region, credentials, ca bundle; borrowed */
	int max_attempts;          /* total attempts; 0: conf->max_attempts, else 3 */
	long connect_timeout_ms;   /* 0: 5000 */
	long request_timeout_ms;   /* per attempt; 0: 30000 */
	int max_in_flight;         /* 0: 8 */
	const char *trace_path;    /* --debug: request/response trace, secrets redacted */
	const char *user_agent;    /* NULL: "ddtree/<version>" */
	unsigned retry_seed;       /* 0: seeded from the clock (tests fix it) */
	/* Called once, on the worker thread, just before the first request to an
	 * http:// endpoint that is not on this machine is sent, with the warning
	 * of aws_url_plain_http_warning (it names the session token when the
	 * credentials carry one).  May be NULL: ddb_client_warning has it too. */
	void (*on_warning)(const char *msg, void *ud);
	void *warning_ud;
};

typedef struct ddb_client ddb_client;
typedef struct ddb_call ddb_call;

ddb_client *ddb_client_new(const struct ddb_client_opts *o, char **err);
/* Cancels everything still pending (callbacks are not run) and joins the worker. */
void ddb_client_free(ddb_client *c);

/* Submit an operation ("Query", "PutItem", ...).  `request` is stolen.
 * The callback runs later from ddb_client_dispatch() on the caller's thread;
 * `res` and everything in it is freed when the callback returns, unless the
 * callback takes res->body (set it to NULL).  Never returns NULL: a request
 * that cannot be sent completes with an error instead. */
ddb_call *ddb_submit(ddb_client *c, const char *op, json_t *request,
                     ddb_done_fn cb, void *ud);

/* Ask for a call to end; its callback still runs, with DDB_ERR_CANCELLED
 * (unless it completed first).  The handle is valid until its callback ran. */
void ddb_cancel(ddb_client *c, ddb_call *call);
/* Cancel a call for an owner that goes away: its callback never runs, so
 * `ud` may be freed as soon as this returns.  Only on the caller's thread
 * (where callbacks run), while the callback has not run; the handle is
 * invalid afterwards.  The call still counts in ddb_client_pending until
 * it has ended. */
void ddb_abandon(ddb_client *c, ddb_call *call);

/* Cancel every call in flight and end every later one at once (quitting:
 * paged loads stop asking for more). */
void ddb_client_cancel_all(ddb_client *c);
/* Cancel every read in flight or queued now (Esc); writes go on, and later
 * calls are sent as usual. */
void ddb_client_cancel_reads(ddb_client *c);

/* Readable when finished calls wait to be dispatched. */
int ddb_client_fd(ddb_client *c);
/* Run the callbacks of finished calls; returns how many ran. */
int ddb_client_dispatch(ddb_client *c);
/* Calls submitted whose callbacks have not run yet. */
int ddb_client_pending(ddb_client *c);
/* Block until at least one callback ran or timeout_ms passed (-1: forever);
 * returns the number of callbacks run. */
int ddb_client_wait(ddb_client *c, int timeout_ms);
/* Block until no call is pending. */
void ddb_client_drain(ddb_client *c);

/* A one-line status of what the client is doing ("throttled: retry 2/3 in
 * 0.8 s"), or "" when idle.  Thread-safe; copies into buf. */
void ddb_client_status(ddb_client *c, char *buf, size_t len);

/* The warning given to on_warning, copied into buf: 0 while there is none,
 * else a number that changes when a new one comes.  Thread-safe. */
int ddb_client_warning(ddb_client *c, char *buf, size_t len);

/* Synchronous call for scripts: submit and wait.  Free with ddb_result_free. */
struct ddb_result *ddb_call_sync(ddb_client *c, const char *op, json_t *request);
void ddb_result_free(struct ddb_result *r);

/* Totals since the client was created (for --json summaries and benchmarks). */
struct ddb_stats {
	long calls, attempts, retries, throttles;
	long repaired;             /* answers that needed repair_json (see ddb_result) */
	double consumed_capacity;  /* from ConsumedCapacity when requested */
	long long bytes_received;
};
void ddb_client_stats(ddb_client *c, struct ddb_stats *out);

/* ---- Composite operations (sync) ---------------------------------------- */

/* BatchWriteItem for any number of write requests (each {"PutRequest":..} or
 * {"DeleteRequest":..}) on one table: sent in chunks of 25, UnprocessedItems
 * resent with backoff.  `writes` is borrowed.  Returns NULL on success or the
 * failing result. */
struct ddb_result *ddb_batch_write_sync(ddb_client *c, const char *table, json_t *writes);

/* BatchGetItem of `keys` (array of key maps) from one table, in chunks of 100,
 * UnprocessedKeys resent.  On success *items_out is a new array of the items
 * found (order not guaranteed). */
struct ddb_result *ddb_batch_get_sync(ddb_client *c, const char *table, json_t *keys,
                                      const char *projection, json_t *names,
                                      json_t **items_out);

/* ---- Attribute values --------------------------------------------------- */

json_t *ddb_av_s(const char *s);             /* {"S": s} */
json_t *ddb_av_n(const char *n);             /* {"N": n} */
json_t *ddb_av_bool(bool b);
json_t *ddb_av_null(void);
/* The string of a {"S": ..} value, or NULL when av is not an S. */
const char *ddb_av_get_s(const json_t *av);
/* The text of a {"N": ..} value, or NULL. */
const char *ddb_av_get_n(const json_t *av);
/* The single type tag of an attribute value ("S", "N", "M", ...), or NULL when
 * the value is malformed (not an object with exactly one known key). */
const char *ddb_av_type(const json_t *av);
/* item[name] as a string if it is an S, else NULL. */
const char *ddb_item_s(const json_t *item, const char *name);

/* ---- Expressions --------------------------------------------------------- */

/* Aliases every attribute name (#n0, #n1, ...) and value (:v0, ...), so
 * reserved words never matter and only used placeholders are sent. */
struct ddb_expr {
	json_t *names;   /* {"#n0": "name", ...} */
	json_t *values;  /* {":v0": {"S": ...}, ...} */
	int n_names, n_values;
};
void ddb_expr_init(struct ddb_expr *e);
/* The placeholder for an attribute name (same name, same placeholder).
 * The returned string lives as long as e. */
const char *ddb_expr_name(struct ddb_expr *e, const char *attr);
/* A new placeholder for a value (stolen). */
const char *ddb_expr_value(struct ddb_expr *e, json_t *av);
/* Move the maps into req (ExpressionAttributeNames/Values), omitting empty ones. */
void ddb_expr_apply(struct ddb_expr *e, json_t *req);
void ddb_expr_free(struct ddb_expr *e);

/* Read an error answer as the client does: the code from the X-Amzn-ErrorType
 * header (errtype_header, may be NULL or ""), else the body's "__type", else
 * its "code", namespace ("...#") and suffix (":...") removed, else
 * "HTTP<status>"; the message from "message" / "Message", else "HTTP status
 * <status>".  Fills kind (DDB_ERR_SERVICE), http_status, code and message
 * (malloc'd; request_id untouched).  Returns the body when it is a JSON
 * object (a new reference), else NULL. */
#define HAVE_DDB_PARSE_ERROR_BODY 1
json_t *ddb_parse_error_body(const char *body, size_t len, const char *errtype_header,
                             long http_status, struct ddb_error *out);

/* One header or message line of the --debug trace as it is written
 * (n bytes, no line end): the value of a header that carries a secret
 * (Authorization, Proxy-Authorization, X-Amz-Security-Token,
 * x-amz-sso_bearer_token) becomes "[redacted]", and so does the password
 * of any URL's user:password@ (a proxy URL from https_proxy, which curl
 * quotes).  malloc'd; NULL when out of memory. */
char *ddb_trace_redact(const char *line, size_t n);

/* CRC-32 (IEEE 802.3) as x-amz-crc32 uses it. */
unsigned long ddb_crc32(const void *data, size_t len);

#endif
