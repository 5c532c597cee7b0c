/*
 * tests/tools/fakehttp.c: a tiny loopback HTTP server that serves canned
 * replies and records the requests (see fakehttp.h).
 *
 * Built twice: into the unit tests with -DFAKEHTTP_NO_MAIN (fakehttp_start
 * runs it on a thread), and as the program tests/tools/fakehttp:
 *
 *   fakehttp [--log FILE] [--reply STATUS[:BODYFILE]]...
 *            [--route OP[~TEXT]=STATUS[:BODYFILE[:HEADERFILE]]]... [--idle-exit SEC]
 *
 * It prints "http://127.0.0.1:PORT" on stdout once it listens, answers the
 * --reply entries in order (the last repeats; default 200 with an empty
 * body; a body that starts with '<' is sent as text/xml, any other as
 * application/json) and exits 0 on SIGTERM/SIGINT or after --idle-exit seconds (default
 * 60) without a request.  Only 127.0.0.1 is ever bound.
 *
 * --route answers by operation, as a DynamoDB endpoint would: a request
 * whose X-Amz-Target header ends in ".OP" (OP "*": any request; OP
 * starting with "/": a request for exactly that path, its query aside, as
 * for the instance metadata service) and, with ~TEXT, whose body contains
 * TEXT, gets that reply; the first matching route wins, and only requests
 * no route matches take the next --reply (with routes and no --reply: 400
 * fakehttp#NoRoute).  HEADERFILE holds extra
 * header lines for the reply, sent as they are (bytes included) with CRLF.
 */
#include "fakehttp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX (64 * 1024)
#define BODY_MAX (64 * 1024)

/* A reply by operation (the program's --route). */
struct route {
	char *op;        /* the X-Amz-Target's operation, or "*" */
	char *text;      /* NULL, or what the body must contain */
	int status;
	char *body;      /* NULL: empty */
	char *headers;   /* NULL, or header lines ("Name: value\n" each) */
};

struct fakehttp {
	int fd;
	char url[64];
	struct fakehttp_reply *plan;
	char **bodies;               /* owned copies of the bodies */
	size_t n;
	char *log_path;
	struct route *routes;        /* the program's --route entries */
	size_t nroutes;
	int unrouted;                /* requests no route took, for the plan */
	atomic_int requests;
	atomic_bool stop;
	pthread_t thread;
	bool threaded;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Read the request head (up to the blank line); its length, or 0. */
static size_t read_head(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap) {
		ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		n += (size_t)r;
		buf[n] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return n;
	}
	return 0;
}

/* Where the head ends (just after its blank line). */
static const char *head_end(const char *head)
{
	const char *crlf = strstr(head, "\r\n\r\n"), *lf = strstr(head, "\n\n");

	if (crlf && (!lf || crlf < lf))
		return crlf + 4;
	return lf ? lf + 2 : NULL;
}

/* The Content-Length of the head (0 when absent). */
static size_t content_length(const char *head, const char *end)
{
	for (const char *p = head; p && p < end; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			return (size_t)strtoul(p + 15, NULL, 10);
	}
	return 0;
}

/* The value of header `name` ("X-Amz-Target") in the head, copied to out. */
static void header_value(const char *head, const char *end, const char *name, char *out,
                         size_t cap)
{
	size_t nl = strlen(name);
	out[0] = '\0';
	for (const char *p = head; p && p < end; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t n = strcspn(v, "\r\n");
			if (n >= cap)
				n = cap - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return;
		}
	}
}

/* The first route for this request, or NULL. */
static const struct route *find_route(const struct fakehttp *s, const char *head,
                                      const char *end, const char *body, size_t blen)
{
	char target[256];
	header_value(head, end, "X-Amz-Target", target, sizeof target);
	const char *dot = strrchr(target, '.');
	const char *op = dot ? dot + 1 : target;
	/* the request line's path, without the query */
	const char *sp = strchr(head, ' ');
	const char *path = sp ? sp + 1 : "";
	size_t plen = strcspn(path, " ?\r\n");
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *r = &s->routes[i];
		if (r->op[0] == '/') {
			if (strlen(r->op) != plen || strncmp(r->op, path, plen) != 0)
				continue;
		} else if (strcmp(r->op, "*") != 0 && strcmp(r->op, op) != 0) {
			continue;
		}
		if (r->text && !memmem(body, blen, r->text, strlen(r->text)))
			continue;
		return r;
	}
	return NULL;
}

/* Log the request line and headers, a blank line, and when there is one
 * the body and another blank line. */
static void log_request(const struct fakehttp *s, const char *head, const char *body,
                        size_t blen)
{
	FILE *f;
	const char *end = head_end(head);

	if (!s->log_path || !(f = fopen(s->log_path, "a")))
		return;
	for (const char *p = head; p < end; p++)
		if (*p != '\r')
			fputc(*p, f);
	if (blen) {
		fwrite(body, 1, blen, f);
		fputs("\n\n", f);
	}
	fclose(f);
}

static void serve_one(struct fakehttp *s, int c)
{
	static char head[HEAD_MAX];   /* one connection at a time */
	static char body[BODY_MAX];
	struct timeval tv = { 5, 0 };
	const struct fakehttp_reply *r;
	struct fakehttp_reply routed;
	const struct route *rt;
	const char *end, *extra = "";
	char hdr[256];
	size_t n, blen, got;
	int k;

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (!(n = read_head(c, head, sizeof head)))
		return;
	/* the body: what came with the head, then the rest */
	end = head_end(head);
	blen = content_length(head, end);
	if (blen > BODY_MAX)
		blen = BODY_MAX;
	got = (size_t)(head + n - end);
	if (got > blen)
		got = blen;
	memcpy(body, end, got);
	while (got < blen) {
		ssize_t rr = recv(c, body + got, blen - got, 0);
		if (rr < 0 && errno == EINTR)
			continue;
		if (rr <= 0)
			break;
		got += (size_t)rr;
	}
	atomic_fetch_add(&s->requests, 1);
	if ((rt = find_route(s, head, end, body, got))) {
		routed = (struct fakehttp_reply){ .status = rt->status, .body = rt->body };
		r = &routed;
		extra = rt->headers ? rt->headers : "";
	} else {
		k = s->unrouted++;
		r = &s->plan[(size_t)k < s->n ? (size_t)k : s->n - 1];
	}
	log_request(s, head, body, got);
	if (r->delay_ms > 0) {
		long long until = now_ms() + r->delay_ms;
		while (!atomic_load(&s->stop) && now_ms() < until) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	blen = r->body ? strlen(r->body) : 0;
	snprintf(hdr, sizeof hdr, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	         "Content-Length: %zu\r\nConnection: close\r\n", r->status,
	         reason(r->status), blen && r->body[0] == '<' ? "text/xml" : "application/json",
	         blen);
	send_all(c, hdr, strlen(hdr));
	for (const char *line = extra; *line;) {   /* the route's header lines, with CRLF */
		size_t ln = strcspn(line, "\r\n");
		if (ln) {
			send_all(c, line, ln);
			send_all(c, "\r\n", 2);
		}
		line += ln;
		line += strspn(line, "\r\n");
	}
	send_all(c, "\r\n", 2);
	if (blen)
		send_all(c, r->body, blen);
}

/* Serve until stop, or until idle_ms passed with no connection (0: never). */
static void serve(struct fakehttp *s, long long idle_ms)
{
	long long last = now_ms();

	while (!atomic_load(&s->stop)) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		int r = poll(&p, 1, 50);
		if (r < 0 && errno != EINTR)
			return;
		if (r <= 0) {
			if (idle_ms > 0 && now_ms() - last > idle_ms)
				return;
			continue;
		}
		int c = accept(s->fd, NULL, NULL);
		if (c < 0)
			continue;
		serve_one(s, c);
		shutdown(c, SHUT_WR);
		close(c);
		last = now_ms();
	}
}

static void *thread_main(void *arg)
{
	serve(arg, 0);
	return NULL;
}

static void free_server(struct fakehttp *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	for (size_t i = 0; s->bodies && i < s->n; i++)
		free(s->bodies[i]);
	for (size_t i = 0; i < s->nroutes; i++) {
		free(s->routes[i].op);
		free(s->routes[i].text);
		free(s->routes[i].body);
		free(s->routes[i].headers);
	}
	free(s->routes);
	free(s->bodies);
	free(s->plan);
	free(s->log_path);
	free(s);
}

static struct fakehttp *make_server(const struct fakehttp_reply *plan, size_t n,
                                    const char *log_path)
{
	struct fakehttp *s = calloc(1, sizeof *s);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	int one = 1;

	if (!s || n == 0)
		goto fail;
	s->fd = -1;
	s->n = n;
	s->plan = calloc(n, sizeof *s->plan);
	s->bodies = calloc(n, sizeof *s->bodies);
	if (!s->plan || !s->bodies)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		s->plan[i] = plan[i];
		if (plan[i].body && !(s->bodies[i] = strdup(plan[i].body)))
			goto fail;
		s->plan[i].body = s->bodies[i];
	}
	if (log_path && !(s->log_path = strdup(log_path)))
		goto fail;
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		goto fail;
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s->fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(s->fd, 16) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &alen) < 0)
		goto fail;
	snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
	return s;
fail:
	free_server(s);
	return NULL;
}

struct fakehttp *fakehttp_start(const struct fakehttp_reply *plan, size_t n,
                                const char *log_path)
{
	struct fakehttp *s = make_server(plan, n, log_path);

	if (!s)
		return NULL;
	if (pthread_create(&s->thread, NULL, thread_main, s) != 0) {
		free_server(s);
		return NULL;
	}
	s->threaded = true;
	return s;
}

const char *fakehttp_url(const struct fakehttp *s)
{
	return s->url;
}

int fakehttp_requests(struct fakehttp *s)
{
	return atomic_load(&s->requests);
}

void fakehttp_stop(struct fakehttp *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	if (s->threaded)
		pthread_join(s->thread, NULL);
	free_server(s);
}

#ifndef FAKEHTTP_NO_MAIN

static struct fakehttp *server;

static void on_signal(int sig)
{
	(void)sig;
	if (server)
		atomic_store(&server->stop, true);
}

/* The whole of a small file, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = n + 8192);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, 4096, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int usage(void)
{
	fprintf(stderr, "usage: fakehttp [--log FILE] [--reply STATUS[:BODYFILE]]... "
	        "[--route OP[~TEXT]=STATUS[:BODYFILE[:HEADERFILE]]]... [--idle-exit SEC]\n");
	return 2;
}

/* "OP[~TEXT]=STATUS[:BODYFILE[:HEADERFILE]]" into r; 0, or -1 (said why). */
static int parse_route(const char *spec, struct route *r)
{
	const char *eq = strchr(spec, '=');
	memset(r, 0, sizeof *r);
	if (!eq || eq == spec)
		return -1;
	const char *tilde = memchr(spec, '~', (size_t)(eq - spec));
	r->op = strndup(spec, (size_t)((tilde ? tilde : eq) - spec));
	if (tilde)
		r->text = strndup(tilde + 1, (size_t)(eq - tilde - 1));
	r->status = atoi(eq + 1);
	if (r->status < 100 || r->status > 599)
		return -1;
	const char *colon = strchr(eq + 1, ':');
	if (colon) {
		const char *colon2 = strchr(colon + 1, ':');
		char *path = colon2 ? strndup(colon + 1, (size_t)(colon2 - colon - 1))
		                    : strdup(colon + 1);
		r->body = slurp(path);
		if (!r->body)
			fprintf(stderr, "fakehttp: cannot read %s\n", path);
		free(path);
		if (!r->body)
			return -1;
		if (colon2 && !(r->headers = slurp(colon2 + 1))) {
			fprintf(stderr, "fakehttp: cannot read %s\n", colon2 + 1);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct fakehttp_reply plan[32];
	char *bodies[32] = { 0 };
	struct route routes[64];
	size_t nroutes = 0;
	const char *log_path = NULL;
	long idle = 60;
	size_t n = 0;
	struct sigaction sa = { .sa_handler = on_signal };

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
			log_path = argv[++i];
		} else if (strcmp(argv[i], "--idle-exit") == 0 && i + 1 < argc) {
			idle = strtol(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--reply") == 0 && i + 1 < argc && n < 32) {
			char *spec = argv[++i], *colon = strchr(spec, ':');
			plan[n] = (struct fakehttp_reply){ .status = atoi(spec) };
			if (plan[n].status < 100 || plan[n].status > 599)
				return usage();
			if (colon && !(bodies[n] = slurp(colon + 1))) {
				fprintf(stderr, "fakehttp: cannot read %s\n", colon + 1);
				return 1;
			}
			plan[n].body = bodies[n];
			n++;
		} else if (strcmp(argv[i], "--route") == 0 && i + 1 < argc && nroutes < 64) {
			if (parse_route(argv[++i], &routes[nroutes++]) != 0)
				return usage();
		} else {
			return usage();
		}
	}
	if (n == 0 && nroutes)
		plan[n++] = (struct fakehttp_reply){ .status = 400, .body =
			"{\"__type\":\"fakehttp#NoRoute\",\"message\":\"fakehttp: no route for this request\"}" };
	else if (n == 0)
		plan[n++] = (struct fakehttp_reply){ .status = 200 };
	server = make_server(plan, n, log_path);
	for (size_t i = 0; i < n; i++)
		free(bodies[i]);
	if (!server) {
		fprintf(stderr, "fakehttp: cannot listen on 127.0.0.1: %s\n", strerror(errno));
		return 1;
	}
	if (nroutes) {
		server->routes = malloc(nroutes * sizeof *routes);
		if (!server->routes)
			return 1;
		memcpy(server->routes, routes, nroutes * sizeof *routes);
		server->nroutes = nroutes;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	printf("%s\n", server->url);
	fflush(stdout);
	serve(server, idle > 0 ? idle * 1000 : 0);
	free_server(server);
	return 0;
}

#endif
