/* tests/fuzz/fuzz.h: what every fuzz target shares.
 *
 * A target defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize).  It is linked either with libFuzzer (clang
 * -fsanitize=fuzzer, tests/fuzz/run) or with tests/fuzz/replay.c (any
 * compiler, make check), which feeds it the stored inputs.
 *
 * A property that does not hold is a crash: FUZZ_CHECK prints what failed
 * and aborts, so libFuzzer saves the input. */
#ifndef DDTREE_TESTS_FUZZ_H
#define DDTREE_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: fuzz property failed: %s: ", __FILE__, __LINE__, \
			        #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

/* A NUL-terminated copy of n bytes (it may hold NULs before the end). */
static inline char *fuzz_strndup(const void *p, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Bytes as text for a message: printable ASCII kept, the rest as \xNN.
 * Static buffer, at most 200 input bytes shown. */
static inline const char *fuzz_show(const void *p, size_t n)
{
	static char buf[200 * 4 + 8];
	const unsigned char *s = p;
	size_t o = 0;
	for (size_t i = 0; i < n && i < 200; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7F && s[i] != '\\')
			buf[o++] = (char)s[i];
		else
			o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02x", s[i]);
	}
	if (n > 200)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "...");
	buf[o] = '\0';
	return buf;
}

#endif
