/* tests/fuzz/fuzz-credproc.c: credential_process output and command lines
 * (aws/credproc.h).
 *
 * Input: any bytes, used three ways: as the program's JSON output
 * (aws_credproc_parse), as the command line (aws_credproc_split), and, when
 * it is JSON with a string "Expiration", that string as an RFC 3339 time
 * (util_rfc3339_parse; the whole input is tried too).
 *
 * Properties checked:
 *   - parse: success gives a non-empty key id and secret, and a session
 *     token only when one was printed; failure gives a message that holds no
 *     secret (seeds put SECRETCANARY in secret values of broken documents)
 *     and zeroed credentials;
 *   - rfc3339: a plain "YYYY-MM-DDTHH:MM:SSZ" time gives what timegm gives;
 *     an offset moves the result by exactly that offset; fractions are
 *     ignored;
 *   - split: success gives at least one word; quoting every word back for a
 *     shell and splitting again gives the same words. */
#include "fuzz.h"

#include <stdbool.h>
#include <time.h>

#include <jansson.h>

#include "aws/credproc.h"
#include "aws/profile.h"
#include "aws/util.h"

#define CANARY "SECRETCANARY"

static void free_creds(struct aws_credentials *c)
{
	util_wipe_free(c->access_key_id);
	util_wipe_free(c->secret_access_key);
	util_wipe_free(c->session_token);
	free(c->source);
	memset(c, 0, sizeof *c);
}

static void check_parse(const uint8_t *data, size_t size)
{
	struct aws_credentials c;
	char *err = (char *)"unset";
	memset(&c, 0x5A, sizeof c);
	int rc = aws_credproc_parse((const char *)data, size, "credential_process (fuzz)", &c, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "aws_credproc_parse returned %d", rc);
	if (rc == 0) {
		FUZZ_CHECK(err == NULL, "success with a message");
		FUZZ_CHECK(c.access_key_id && *c.access_key_id && c.secret_access_key &&
		           *c.secret_access_key, "success without a key id or secret");
		FUZZ_CHECK(!c.session_token || *c.session_token, "an empty session token was kept");
		FUZZ_CHECK(c.source == NULL, "source set by the parser");
		free_creds(&c);
		return;
	}
	FUZZ_CHECK(err != NULL, "failure without a message");
	FUZZ_CHECK(!strstr(err, CANARY), "the message quotes a secret: %s", err);
	FUZZ_CHECK(!c.access_key_id && !c.secret_access_key && !c.session_token && !c.expiration,
	           "failure left credentials");
	free(err);
}

/* "YYYY-MM-DDTHH:MM:SS" at s (19 bytes, digits where they belong)? */
static bool base_time(const char *s, struct tm *tm)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	if (strlen(s) < 19)
		return false;
	for (int i = 0; i < 19; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9')
		                    : shape[i] == 'T' ? !strchr("Tt ", s[i]) : s[i] != shape[i])
			return false;
	}
	memset(tm, 0, sizeof *tm);
	tm->tm_year = atoi(s) - 1900;
	tm->tm_mon = atoi(s + 5) - 1;
	tm->tm_mday = atoi(s + 8);
	tm->tm_hour = atoi(s + 11);
	tm->tm_min = atoi(s + 14);
	tm->tm_sec = atoi(s + 17);
	return true;
}

static void check_time(const char *s)
{
	time_t t = 12345;
	int rc = util_rfc3339_parse(s, &t);
	FUZZ_CHECK(rc == 0 || rc == -1, "util_rfc3339_parse returned %d", rc);
	struct tm tm;
	if (rc != 0 || !base_time(s, &tm))
		return;
	/* the zone after the optional fraction */
	const char *z = s + 19;
	if (*z == '.')
		for (z++; *z >= '0' && *z <= '9'; z++)
			;
	long off = 0;
	if (*z == '+' || *z == '-')
		off = (*z == '-' ? -1 : 1) * (atoi(z + 1) * 3600L + atoi(z + 4) * 60L);
	FUZZ_CHECK(tm.tm_mon >= 0 && tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 &&
	           tm.tm_hour < 24 && tm.tm_min < 60 && tm.tm_sec <= 60,
	           "util_rfc3339_parse accepted \"%s\"", fuzz_show(s, strlen(s)));
	/* timegm normalises out-of-range days; the parser must have refused them */
	struct tm check = tm;
	time_t want = timegm(&check);
	if (tm.tm_sec == 60)   /* a leap second: the next minute's first second */
		FUZZ_CHECK(t == want - off, "\"%s\" parsed as %lld, expected %lld",
		           fuzz_show(s, strlen(s)), (long long)t, (long long)(want - off));
	else
		FUZZ_CHECK(check.tm_mday == tm.tm_mday && check.tm_mon == tm.tm_mon &&
		           t == want - off, "\"%s\" parsed as %lld, expected %lld",
		           fuzz_show(s, strlen(s)), (long long)t, (long long)(want - off));
}

/* Quote a word for sh: '...' with each ' written as '\''. */
static void quote(FILE *f, const char *w)
{
	fputc('\'', f);
	for (; *w; w++) {
		if (*w == '\'')
			fputs("'\\''", f);
		else
			fputc(*w, f);
	}
	fputc('\'', f);
}

static void check_split(const char *line)
{
	char **argv = (char **)1;
	char *err = (char *)"unset";
	int rc = aws_credproc_split(line, &argv, &err);
	FUZZ_CHECK(rc == 0 || rc == -1, "aws_credproc_split returned %d", rc);
	if (rc != 0) {
		FUZZ_CHECK(argv == NULL && err != NULL, "failure without a message, or with words");
		free(err);
		return;
	}
	FUZZ_CHECK(err == NULL && argv && argv[0], "success without a word");

	char *again_line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&again_line, &len);
	if (!f)
		abort();
	for (char **a = argv; *a; a++) {
		if (a != argv)
			fputc(' ', f);
		quote(f, *a);
	}
	fclose(f);
	char **again = NULL;
	FUZZ_CHECK(aws_credproc_split(again_line, &again, &err) == 0,
	           "re-splitting the quoted words failed: %s", err);
	size_t i = 0;
	for (; argv[i] && again[i]; i++)
		FUZZ_CHECK(!strcmp(argv[i], again[i]), "word %zu changed: \"%s\" -> \"%s\"", i,
		           fuzz_show(argv[i], strlen(argv[i])), fuzz_show(again[i], strlen(again[i])));
	FUZZ_CHECK(!argv[i] && !again[i], "the quoted words split into a different number");
	aws_credproc_argv_free(again);
	free(again_line);
	aws_credproc_argv_free(argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_parse(data, size);

	char *s = fuzz_strndup(data, size);
	check_time(s);
	check_split(s);
	free(s);

	json_t *doc = json_loadb((const char *)data, size, 0, NULL);
	const char *exp = json_string_value(json_object_get(doc, "Expiration"));
	if (exp)
		check_time(exp);
	json_decref(doc);
	return 0;
}
