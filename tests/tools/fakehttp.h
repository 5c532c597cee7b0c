/* tests/tools/fakehttp.h: a tiny loopback HTTP server for credential tests.
 *
 * It binds 127.0.0.1 on a free port, answers each request with the next
 * canned reply of its plan (the last one repeats), one connection at a
 * time, "Connection: close", and appends every request's line and headers
 * (and its body, when it has one: Content-Length) to a log file before it
 * answers.  Unit tests run it on a thread
 * (fakehttp_start); the fakehttp program (fakehttp.c's main) serves the
 * end-to-end tests.
 */
#ifndef DDTREE_TESTS_FAKEHTTP_H
#define DDTREE_TESTS_FAKEHTTP_H

#include <stddef.h>

struct fakehttp_reply {
	int status;          /* e.g. 200 */
	const char *body;    /* sent as application/json; NULL is empty */
	int delay_ms;        /* wait this long before answering */
};

struct fakehttp;

/* Start serving `plan` (copied; n >= 1) on a thread.  `log_path` (may be
 * NULL) gets, per request, the request line, the header lines and a blank
 * line, CRs removed; then, for a request with a body, the body and another
 * blank line.  A reply body that starts with '<' goes as text/xml.  NULL on
 * failure. */
struct fakehttp *fakehttp_start(const struct fakehttp_reply *plan, size_t n,
                                const char *log_path);
/* "http://127.0.0.1:PORT" */
const char *fakehttp_url(const struct fakehttp *s);
/* Requests answered (or being answered) so far. */
int fakehttp_requests(struct fakehttp *s);
/* Stop the thread, close the socket, free. */
void fakehttp_stop(struct fakehttp *s);

#endif
