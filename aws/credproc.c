/* aws/credproc.c: run a credential_process command and read its JSON.
 *
 * The child is started with posix_spawn (no shell) in a process group of
 * its own, stdin from /dev/null, stdout and stderr into pipes that we read
 * with poll() until it exits; then we take what it left in the pipes and
 * stop, without waiting for end of file (a background child of the helper
 * may hold the pipes open).  Past the time limit, or when it stops trying
 * to use the terminal, its whole process group is killed with SIGKILL and
 * it is reaped.  Output beyond the caps is read and thrown away so the
 * child never blocks on a full pipe.
 */
#include "aws/util.h"
#include "aws/credproc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aws/profile.h"

extern char **environ;

static _Atomic long timeout_ms = AWS_CREDPROC_TIMEOUT_MS;

void aws_credproc_set_timeout_ms(long ms)
{
	timeout_ms = ms > 0 ? ms : AWS_CREDPROC_TIMEOUT_MS;
}

/* ---- growable byte buffer ---------------------------------------------- */

struct buf {
	char *p;
	size_t n, cap, max;
	bool overflow;
};

/* Append; bytes past b->max are dropped and remembered as overflow.
 * Growth copies and wipes, leaving no stale copies of secrets. */
static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n > b->max) {
		b->overflow = true;
		n = b->max - b->n;
	}
	return util_secure_append(&b->p, &b->n, &b->cap, s, n);
}

static void buf_wipe(struct buf *b)
{
	if (b->p) {
		OPENSSL_cleanse(b->p, b->cap);
		free(b->p);
	}
	memset(b, 0, sizeof *b);
}

/* ---- splitting --------------------------------------------------------- */

void aws_credproc_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		util_wipe_free(*a);
	free(argv);
}

static int push_word(char ***argv, size_t *n, struct buf *w)
{
	char **na = realloc(*argv, (*n + 2) * sizeof *na);
	char *s;

	if (!na)
		return -1;
	*argv = na;
	s = strndup(w->p ? w->p : "", w->n);
	if (!s)
		return -1;
	na[(*n)++] = s;
	na[*n] = NULL;
	buf_wipe(w);
	w->max = (size_t)-1 / 2;
	return 0;
}

/* botocore splits the command line with Python's shlex.split() (POSIX mode,
 * no comments) and so does this, character for character:
 *   - words are separated by space, tab, CR and LF (not by \f or \v);
 *   - outside quotes a backslash takes the next character as it is, any
 *     character, a newline too (no line continuation);
 *   - between single quotes everything is literal;
 *   - between double quotes a backslash escapes only " and \; before any
 *     other character it stays ("\$x" is \$x, not $x as in sh);
 *   - # starts no comment; $, ~, globs, ; | & < > are ordinary characters.
 * An unclosed quote or a backslash at the very end is an error (shlex raises
 * ValueError); so is a line with no word at all (botocore would fail to run
 * it).  tests/unit/test-config.c compares against shlex's own answers. */
static bool split_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int aws_credproc_split(const char *cmdline, char ***argv_out, char **err)
{
	enum { BETWEEN, WORD, SINGLE, DOUBLE } st = BETWEEN;
	struct buf w = { .max = (size_t)-1 / 2 };
	char **argv = NULL;
	size_t n = 0;
	const char *p = cmdline ? cmdline : "";
	const char *msg = NULL;

	*argv_out = NULL;
	*err = NULL;
	for (; *p; p++) {
		char c = *p;
		int r = 0;

		switch (st) {
		case BETWEEN:
		case WORD:
			if (split_space(c)) {
				if (st == WORD && push_word(&argv, &n, &w) < 0)
					goto nomem;
				st = BETWEEN;
				continue;
			}
			st = WORD;
			if (c == '\'') {
				st = SINGLE;
			} else if (c == '"') {
				st = DOUBLE;
			} else if (c == '\\') {
				if (p[1] == '\0') {
					msg = "ends with a lone backslash";
					goto fail;
				}
				r = buf_add(&w, ++p, 1);
			} else {
				r = buf_add(&w, &c, 1);
			}
			break;
		case SINGLE:
			if (c == '\'')
				st = WORD;
			else
				r = buf_add(&w, &c, 1);
			break;
		case DOUBLE:
			if (c == '"') {
				st = WORD;
			} else if (c == '\\' && (p[1] == '"' || p[1] == '\\')) {
				r = buf_add(&w, ++p, 1);
			} else {
				/* a backslash before anything else stays; the character
				 * after it is taken by the next turn */
				r = buf_add(&w, &c, 1);
			}
			break;
		}
		if (r < 0)
			goto nomem;
	}
	if (st == SINGLE || st == DOUBLE) {
		msg = st == SINGLE ? "has an unbalanced single quote"
		                   : "has an unbalanced double quote";
		goto fail;
	}
	if (st == WORD && push_word(&argv, &n, &w) < 0)
		goto nomem;
	if (n == 0) {
		msg = "is empty";
		goto fail;
	}
	buf_wipe(&w);
	*argv_out = argv;
	return 0;
nomem:
	msg = NULL;
fail:
	buf_wipe(&w);
	aws_credproc_argv_free(argv);
	*err = msg ? util_fmt("the command line %s", msg) : strdup("out of memory");
	return -1;
}

/* ---- output ------------------------------------------------------------ */

/* A required or optional string member; 1 found, 0 absent, -1 wrong type. */
static int member_str(json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 1;
}

int aws_credproc_parse(const char *json, size_t len, const char *what,
                       struct aws_credentials *out, char **err)
{
	json_error_t jerr;
	json_t *root, *ver;
	const char *ak, *sk, *tok, *exp;
	int r;

	memset(out, 0, sizeof *out);
	*err = NULL;
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		/* jerr.text may quote the output, which may hold a secret */
		*err = util_fmt("%s did not print valid JSON (error at line %d, column %d)",
		           what, jerr.line, jerr.column);
		return -1;
	}
	if (!json_is_object(root)) {
		*err = util_fmt("%s printed JSON that is not an object", what);
		goto fail;
	}
	ver = json_object_get(root, "Version");
	if (!ver) {
		*err = util_fmt("%s printed JSON without \"Version\" (it must be 1)", what);
		goto fail;
	}
	if (!((json_is_integer(ver) && json_integer_value(ver) == 1) ||
	      (json_is_real(ver) && json_real_value(ver) == 1.0))) {
		*err = util_fmt("%s printed an unsupported \"Version\" (it must be the number 1)", what);
		goto fail;
	}
	if (member_str(root, "AccessKeyId", &ak) <= 0 || !*ak) {
		*err = util_fmt("%s printed no \"AccessKeyId\" string", what);
		goto fail;
	}
	if (member_str(root, "SecretAccessKey", &sk) <= 0 || !*sk) {
		*err = util_fmt("%s printed no \"SecretAccessKey\" string", what);
		goto fail;
	}
	if (member_str(root, "SessionToken", &tok) < 0) {
		*err = util_fmt("%s printed a \"SessionToken\" that is not a string", what);
		goto fail;
	}
	r = member_str(root, "Expiration", &exp);
	if (r < 0 || (r > 0 && util_rfc3339_parse(exp, &out->expiration) < 0)) {
		*err = util_fmt("%s printed an \"Expiration\" that is not an RFC 3339 time "
		           "such as 2026-11-23T12:34:56Z", what);
		goto fail;
	}
	out->access_key_id = strdup(ak);
	out->secret_access_key = strdup(sk);
	out->session_token = tok && *tok ? strdup(tok) : NULL;
	if (!out->access_key_id || !out->secret_access_key || (tok && *tok && !out->session_token)) {
		*err = strdup("out of memory");
		goto fail;
	}
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	aws_credentials_free(out);
	return -1;
}

/* ---- running ----------------------------------------------------------- */

static char *find_program(const char *name, char **err)
{
	const char *path, *p;
	struct stat st;

	if (strchr(name, '/')) {
		const char *why = NULL;
		if (stat(name, &st) < 0)
			why = strerror(errno);
		else if (!S_ISREG(st.st_mode))
			why = "not a regular file";
		else if (access(name, X_OK) < 0)
			why = strerror(errno);
		else
			return strdup(name);
		*err = util_fmt("cannot run program %s: %s", name, why);
		return NULL;
	}
	path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; ) {
		const char *colon = strchr(p, ':');
		size_t dn = colon ? (size_t)(colon - p) : strlen(p);
		char *full = dn ? util_fmt("%.*s/%s", (int)dn, p, name) : util_fmt("./%s", name);

		if (!full) {
			*err = strdup("out of memory");
			return NULL;
		}
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
			return full;
		free(full);
		if (!colon)
			break;
		p = colon + 1;
	}
	*err = util_fmt("program '%s' was not found on PATH", name);
	return NULL;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child's stderr made safe to show: control characters replaced,
 * trailing blank lines removed, truncation marked. */
static char *clean_stderr(const struct buf *b)
{
	size_t n = b->n;
	char *s;

	while (n && strchr(" \t\r\n", b->p[n - 1]))
		n--;
	if (!n)
		return strdup("(it printed nothing on stderr)");
	s = malloc(n + 8);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b->p[i];
		s[i] = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?' : (char)c;
	}
	strcpy(s + n, b->overflow ? " [...]" : "");
	return s;
}

struct child {
	pid_t pid;           /* also its process group's id */
	bool reaped;         /* then pid and the group are no longer ours */
	int out, err;        /* read ends (non-blocking), -1 when closed */
	struct buf so, se;
};

/* While the pipes are quiet, how often to ask whether the helper exited
 * (its exit wakes no poll() while a background child of it holds the
 * pipes open). */
#define POLL_SLICE_MS 20
/* After the helper exited: at most this much more per pipe when FIONREAD
 * cannot say how much it left there. */
#define REST_MAX (1024 * 1024)

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Read from *fd into b up to `limit` bytes, or until it would block or ends
 * (then *fd is closed).  0, or -1 out of memory or a read error (errno). */
static int read_some(int *fd, struct buf *b, size_t limit, char *chunk, size_t size)
{
	while (limit > 0) {
		ssize_t n = read(*fd, chunk, limit < size ? limit : size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return -1;
		if (n == 0) {
			close_fd(fd);
			return 0;
		}
		if (buf_add(b, chunk, (size_t)n) < 0) {
			errno = ENOMEM;
			return -1;
		}
		limit -= (size_t)n;
	}
	return 0;
}

/* The helper has exited, so everything it wrote is already in the pipes:
 * take what is there now and stop.  We do not wait for end of file: a
 * background child of the helper (`sleep 300 & echo {...}`) may hold the
 * write ends open for as long as it lives. */
static int take_rest(struct child *c, char *chunk, size_t size)
{
	int *fds[2] = { &c->out, &c->err };
	struct buf *bufs[2] = { &c->so, &c->se };

	for (int i = 0; i < 2; i++) {
		int avail = 0;

		if (*fds[i] < 0)
			continue;
		if (ioctl(*fds[i], FIONREAD, &avail) < 0 || avail < 0)
			avail = REST_MAX;
		if (read_some(fds[i], bufs[i], (size_t)avail, chunk, size) < 0)
			return -1;
		close_fd(fds[i]);
	}
	return 0;
}

enum wait_end { HELPER_EXITED, HELPER_TIMED_OUT, HELPER_ON_TTY, HELPER_WAIT_FAILED };

/* Read the helper's output until it exits (then what it left in the pipes)
 * or the deadline passes.  *status is set for HELPER_EXITED and
 * HELPER_ON_TTY (stopped by SIGTTIN or SIGTTOU: it tried to use the
 * terminal from its background process group).  HELPER_WAIT_FAILED leaves
 * errno set. */
static enum wait_end wait_helper(struct child *c, int *status, long long deadline)
{
	char chunk[4096];
	enum wait_end end;
	int e;

	for (;;) {
		pid_t r = waitpid(c->pid, status, WNOHANG | WUNTRACED);

		if (r == c->pid && WIFSTOPPED(*status)) {
			int sig = WSTOPSIG(*status);
			if (sig == SIGTTIN || sig == SIGTTOU) {
				end = HELPER_ON_TTY;
				break;
			}
			/* stopped by someone else: the time limit still runs */
		} else if (r == c->pid) {
			c->reaped = true;
			end = take_rest(c, chunk, sizeof chunk) < 0 ? HELPER_WAIT_FAILED
			                                           : HELPER_EXITED;
			break;
		} else if (r < 0 && errno != EINTR) {
			end = HELPER_WAIT_FAILED;
			break;
		}

		long long left = deadline - now_ms();
		struct pollfd pf[2];
		int np = 0;

		if (left <= 0) {
			end = HELPER_TIMED_OUT;
			break;
		}
		if (c->out >= 0)
			pf[np++] = (struct pollfd){ .fd = c->out, .events = POLLIN };
		if (c->err >= 0)
			pf[np++] = (struct pollfd){ .fd = c->err, .events = POLLIN };
		/* with both pipes at end of file the helper is about to exit:
		 * look more often */
		int slice = np ? POLL_SLICE_MS : 5;
		if (poll(pf, (nfds_t)np, left > slice ? slice : (int)left) < 0) {
			if (errno == EINTR)
				continue;
			end = HELPER_WAIT_FAILED;
			break;
		}
		for (int i = 0; i < np; i++) {
			bool is_out = pf[i].fd == c->out;

			if (!pf[i].revents)
				continue;
			/* one chunk a turn, so a helper that writes without end
			 * cannot keep us from the clock */
			if (read_some(is_out ? &c->out : &c->err, is_out ? &c->so : &c->se,
			              sizeof chunk, chunk, sizeof chunk) < 0) {
				end = HELPER_WAIT_FAILED;
				goto out;
			}
		}
	}
out:
	e = errno;
	OPENSSL_cleanse(chunk, sizeof chunk);
	errno = e;
	return end;
}

/* End the helper's whole process group (it leads it: the group's id is its
 * pid, which stays ours until we reap it) and reap the helper. */
static void kill_group(struct child *c)
{
	int status;

	if (c->reaped)
		return;
	if (kill(-c->pid, SIGKILL) < 0)
		kill(c->pid, SIGKILL);
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	c->reaped = true;
}

static int spawn(struct child *c, const char *path, char **argv, char **err)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int rc;

	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0 ||
	    fcntl(po[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(pe[0], F_SETFL, O_NONBLOCK) < 0) {
		*err = util_fmt("cannot make a pipe: %s", strerror(errno));
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	posix_spawnattr_init(&at);
	/* the child starts with default dispositions and nothing blocked, whatever
	 * this process (or its network thread) ignores or blocks */
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	/* and in a process group of its own, so that on timeout we can end it
	 * together with everything it started */
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
	                              POSIX_SPAWN_SETPGROUP);
	rc = posix_spawn(&c->pid, path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		*err = util_fmt("cannot run program %s: %s", path, strerror(rc));
		goto fail;
	}
	close(po[1]);
	close(pe[1]);
	c->out = po[0];
	c->err = pe[0];
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		close_fd(&po[i]);
		close_fd(&pe[i]);
	}
	return -1;
}

int aws_credproc_run(const char *cmdline, const char *what,
                     struct aws_credentials *out, char **err)
{
	struct child c = { .pid = -1, .out = -1, .err = -1,
	                   .so = { .max = AWS_CREDPROC_STDOUT_MAX },
	                   .se = { .max = AWS_CREDPROC_STDERR_MAX } };
	char **argv = NULL, *path = NULL, *why = NULL, *msg;
	long limit = timeout_ms;
	long long deadline;
	enum wait_end end;
	int status = 0, rc = -1;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (aws_credproc_split(cmdline, &argv, &why) < 0) {
		*err = util_fmt("%s: %s", what, why);
		goto done;
	}
	path = find_program(argv[0], &why);
	if (!path) {
		*err = util_fmt("%s: %s", what, why);
		goto done;
	}
	if (spawn(&c, path, argv, &why) < 0) {
		*err = util_fmt("%s: %s", what, why);
		goto done;
	}
	deadline = now_ms() + limit;
	end = wait_helper(&c, &status, deadline);
	if (end == HELPER_WAIT_FAILED && errno == ECHILD && !c.reaped) {
		/* someone else (a SIGCHLD handler?) reaped it: the pid may be reused */
		*err = util_fmt("%s: its exit status was lost (was it reaped elsewhere?)", what);
		goto done;
	}
	if (end != HELPER_EXITED) {
		int e = errno;
		kill_group(&c);
		if (end == HELPER_ON_TTY)
			*err = util_fmt("%s tried to use the terminal (to ask for a code or a "
			           "password?), which ddtree does not let it do, and was stopped; "
			           "run it once in a terminal so that it caches what it asks for",
			           what);
		else if (end == HELPER_TIMED_OUT && limit % 1000 == 0)
			*err = util_fmt("%s timed out after %ld s and was stopped", what, limit / 1000);
		else if (end == HELPER_TIMED_OUT)
			*err = util_fmt("%s timed out after %ld.%03ld s and was stopped",
			           what, limit / 1000, limit % 1000);
		else
			*err = util_fmt("%s: cannot read its output: %s", what, strerror(e));
		goto done;
	}
	/* The helper has exited.  Whatever it left running in the background
	 * keeps running: a shell does the same after `cmd &`, and so does
	 * botocore (Popen.communicate() kills nothing; it only waits for end of
	 * file, which is why the AWS CLI hangs on `sleep 300 & echo {...}` and
	 * we do not).  A helper may start a cache or agent on purpose, and the
	 * group is no longer ours to end once its leader is reaped.  Only a
	 * helper that outlives the time limit is ended with its whole group. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		msg = clean_stderr(&c.se);
		if (WIFSIGNALED(status))
			*err = util_fmt("%s was killed by signal %d: %s", what, WTERMSIG(status),
			           msg ? msg : "");
		else
			*err = util_fmt("%s failed with exit status %d: %s", what,
			           WIFEXITED(status) ? WEXITSTATUS(status) : -1, msg ? msg : "");
		free(msg);
		goto done;
	}
	if (c.so.overflow) {
		*err = util_fmt("%s printed more than %d KiB", what, AWS_CREDPROC_STDOUT_MAX / 1024);
		goto done;
	}
	free(why);
	why = NULL;
	if (aws_credproc_parse(c.so.p ? c.so.p : "", c.so.n, what, out, err) < 0)
		goto done;
	rc = 0;
done:
	if (rc < 0 && !*err)
		*err = strdup("out of memory");
	if (c.out >= 0)
		close(c.out);
	if (c.err >= 0)
		close(c.err);
	buf_wipe(&c.so);
	buf_wipe(&c.se);
	aws_credproc_argv_free(argv);
	free(path);
	free(why);
	return rc;
}

/* ---- the provider ------------------------------------------------------ */

struct process {
	char *command;              /* arguments may hold secrets: wiped */
	char *what;                 /* "credential_process (profile x)" */
};

static void process_free(void *data)
{
	struct process *d = data;

	util_wipe_free(d->command);
	free(d->what);
	free(d);
}

static int process_load(const void *data, time_t now, struct aws_credentials *out, char **msg)
{
	const struct process *d = data;

	(void)now;
	if (aws_credproc_run(d->command, d->what, out, msg) < 0) {
		if (!*msg)
			*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	out->source = strdup(d->what);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	return AWS_CRED_FOUND;
}

static const struct aws_cred_provider process_provider = {
	.name = "credential_process", .load = process_load, .free = process_free,
};

int aws_credproc_add(struct aws_cred_chain *c, const struct aws_cred_setup *s)
{
	const char *cmd = aws_profile_view_get_nonempty(&s->prof, "credential_process");
	char *where = util_fmt("credential_process in profile %s", s->prof.name);
	struct process *d;

	if (!cmd)
		return aws_cred_chain_add_verdict(c, &process_provider, where, NULL,
		                                  strdup("not set"));
	d = calloc(1, sizeof *d);
	if (d) {
		d->command = strdup(cmd);
		d->what = util_fmt("credential_process (profile %s)", s->prof.name);
		if (!d->command || !d->what) {
			process_free(d);
			d = NULL;
		}
	}
	return aws_cred_chain_add(c, &process_provider, where, d);
}
