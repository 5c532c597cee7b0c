/* tests/fuzz/replay.c: run a fuzz target on stored inputs, without libFuzzer.
 *
 *   replay-NAME [FILE|DIR]...
 *
 * With no argument it replays $DDTREE_SRCDIR/tests/fuzz/regressions/NAME and
 * $DDTREE_SRCDIR/tests/fuzz/corpus/NAME (NAME is FUZZ_TARGET, set when
 * compiling).  Each input runs in a child process, so a crash is one failed
 * case and the others still run.  Speaks TAP, for make check. */
#include "ddconfig.h"

#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef FUZZ_TARGET
#error "compile with -DFUZZ_TARGET='\"name\"'"
#endif

/* libFuzzer calls it when the target has it; so do we. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

struct list {
	char **v;
	size_t n;
};

static void add(struct list *l, const char *path)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof *v);
	if (!v || !(v[l->n] = strdup(path)))
		abort();
	l->v = v;
	l->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of a directory (not recursive, hidden files and README skipped),
 * sorted; a file is itself.  A missing path adds nothing. */
static void collect(struct list *l, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		add(l, path);
		return;
	}
	DIR *d = opendir(path);
	if (!d)
		return;
	size_t first = l->n;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "README", 6))
			continue;
		char *p = NULL;
		if (asprintf(&p, "%s/%s", path, e->d_name) < 0)
			abort();
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			add(l, p);
		free(p);
	}
	closedir(d);
	qsort(l->v + first, l->n - first, sizeof *l->v, cmp_str);
}

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, n = 0;
	uint8_t *b = malloc(cap);
	if (!b)
		abort();
	for (;;) {
		if (n == cap && !(b = realloc(b, cap *= 2)))
			abort();
		size_t r = fread(b + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(b);
		return -1;
	}
	*out = b;
	*len = n;
	return 0;
}

/* 0 passed, else a description of the failure (static). */
static const char *run_one(const char *path)
{
	static char why[128];
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return "fork failed";
	if (pid == 0) {
		uint8_t *data;
		size_t len;
		if (read_all(path, &data, &len) < 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			_exit(2);
		}
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return "waitpid failed";
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return NULL;
	if (WIFSIGNALED(status))
		snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(why, sizeof why, "exit status %d", WEXITSTATUS(status));
	return why;
}

int main(int argc, char **argv)
{
	struct list l = {0};
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			size_t before = l.n;
			collect(&l, argv[i]);
			if (l.n == before) {
				struct stat st;
				if (stat(argv[i], &st) < 0) {
					fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
					return 2;
				}
			}
		}
	} else {
		const char *src = getenv("DDTREE_SRCDIR");
		if (!src || !*src)
			src = ".";
		char *p = NULL;
		if (asprintf(&p, "%s/tests/fuzz/regressions/%s", src, FUZZ_TARGET) < 0)
			abort();
		collect(&l, p);
		free(p);
		if (asprintf(&p, "%s/tests/fuzz/corpus/%s", src, FUZZ_TARGET) < 0)
			abort();
		collect(&l, p);
		free(p);
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);

	printf("1..%zu\n", l.n ? l.n : 1);
	if (!l.n) {
		printf("ok 1 # SKIP no stored input for fuzz target %s\n", FUZZ_TARGET);
		return 0;
	}
	int failed = 0;
	for (size_t i = 0; i < l.n; i++) {
		const char *why = run_one(l.v[i]);
		if (why) {
			printf("not ok %zu - %s: %s %s\n", i + 1, FUZZ_TARGET, l.v[i], why);
			failed++;
		} else {
			printf("ok %zu - %s: %s\n", i + 1, FUZZ_TARGET, l.v[i]);
		}
		free(l.v[i]);
	}
	free(l.v);
	return failed ? 1 : 0;
}
