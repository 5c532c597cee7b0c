/* tests/unit/test-profile.c: the config/credentials file parser (aws/profile.c).
 *
 * Runs every case of the SDKs' shared profile-parser-tests.json and the
 * Linux cases of file-location-tests.json (read at run time from
 * $DDTREE_SRCDIR/tests/data/aws-profile-testsuite/), plus our own cases.
 * One cmocka group: each shared case is one test, named after it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "aws/profile.h"
#include "aws/util.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define PARSER_CASES 65
#define LOCATION_CASES 9

extern char **environ;

static json_t *parser_suite, *location_suite;
static char home[] = "/tmp/ddtree-test-profile-home-XXXXXX";  /* HOME while testing */

static json_t *load_suite(const char *file)
{
	const char *dir = getenv("DDTREE_SRCDIR");
	char path[4096];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof path, "%s/tests/data/aws-profile-testsuite/%s",
	         dir && *dir ? dir : SRCDIR, file);
	j = json_load_file(path, 0, &e);
	if (!j)
		fprintf(stderr, "# cannot load %s: %s\n", path, e.text);
	return j;
}

/* Unset every AWS_* variable (and the home variables the location tests use). */
static void clear_env(void)
{
	char *names[512];
	size_t n = 0;

	for (char **e = environ; *e && n < 512; e++) {
		if (strncmp(*e, "AWS_", 4) == 0) {
			size_t len = strcspn(*e, "=");
			names[n++] = strndup(*e, len);
		}
	}
	for (size_t i = 0; i < n; i++) {
		unsetenv(names[i]);
		free(names[i]);
	}
	unsetenv("USERPROFILE");
	unsetenv("HOMEDRIVE");
	unsetenv("HOMEPATH");
	setenv("HOME", home, 1);
}

/* ---- the shared parser cases ------------------------------------------- */

/* Compare one list of sections with the JSON object {name: {key: value}}.
 * A value that is an object lists sub-properties. */
static void check_sections(const struct aws_profile_list *got, json_t *want, const char *what)
{
	const char *name;
	json_t *props;

	if (got->n != json_object_size(want)) {
		print_error("# %s: got %zu sections, want %zu\n", what, got->n,
		            json_object_size(want));
		for (size_t i = 0; i < got->n; i++)
			print_error("#   got [%s]\n", got->v[i].name);
	}
	assert_int_equal(got->n, json_object_size(want));
	json_object_foreach(want, name, props) {
		const struct aws_profile_section *s = aws_profile_find(got, name);
		const char *key;
		json_t *v;

		if (!s)
			print_error("# %s: section '%s' missing\n", what, name);
		assert_non_null(s);
		assert_int_equal(s->nprops, json_object_size(props));
		json_object_foreach(props, key, v) {
			const char *gv = aws_profile_get(s, key);
			if (!gv)
				print_error("# %s [%s]: property '%s' missing\n", what, name, key);
			assert_non_null(gv);
			if (json_is_object(v)) {
				struct aws_profile_section sub;
				const char *sk;
				json_t *sv;

				assert_int_equal(aws_profile_subprops(gv, &sub), 0);
				assert_int_equal(sub.nprops, json_object_size(v));
				json_object_foreach(v, sk, sv)
					assert_string_equal(aws_profile_get(&sub, sk), json_string_value(sv));
				aws_profile_section_free(&sub);
			} else {
				assert_string_equal(gv, json_string_value(v));
			}
		}
	}
}

static void parser_case(void **state)
{
	json_t *c = *state;
	json_t *in = json_object_get(c, "input");
	json_t *outp = json_object_get(c, "output");
	json_t *cfg_text = json_object_get(in, "configFile");
	json_t *cred_text = json_object_get(in, "credentialsFile");
	json_t *want_err = json_object_get(outp, "errorContaining");
	struct aws_profile_file cfg = { 0 }, cred = { 0 }, merged = { 0 };
	char *err = NULL;
	int rc = 0;

	if (cfg_text)
		rc = aws_profile_parse(json_string_value(cfg_text), json_string_length(cfg_text),
		                       AWS_PROFILE_CONFIG, "config", &cfg, &err);
	if (rc == 0 && cred_text)
		rc = aws_profile_parse(json_string_value(cred_text), json_string_length(cred_text),
		                       AWS_PROFILE_CREDENTIALS, "credentials", &cred, &err);
	if (want_err) {
		if (rc == 0)
			print_error("# expected an error containing \"%s\"\n",
			            json_string_value(want_err));
		assert_int_equal(rc, -1);
		assert_non_null(err);
		if (!strstr(err, json_string_value(want_err)))
			print_error("# error \"%s\" lacks \"%s\"\n", err, json_string_value(want_err));
		assert_non_null(strstr(err, json_string_value(want_err)));
		free(err);
		aws_profile_file_free(&cfg);
		aws_profile_file_free(&cred);
		return;
	}
	if (rc != 0)
		print_error("# unexpected error: %s\n", err);
	assert_int_equal(rc, 0);
	assert_null(err);
	assert_int_equal(aws_profile_merge(&merged, &cfg), 0);
	assert_int_equal(aws_profile_merge(&merged, &cred), 0);

	json_t *conf = json_object_get(outp, "config");
	assert_non_null(conf);
	check_sections(&merged.profiles, json_object_get(conf, "profiles"), "profiles");
	if (json_object_get(conf, "sso_sessions"))
		check_sections(&merged.sso_sessions, json_object_get(conf, "sso_sessions"),
		               "sso_sessions");
	if (json_object_get(conf, "services"))
		check_sections(&merged.services, json_object_get(conf, "services"), "services");
	aws_profile_file_free(&cfg);
	aws_profile_file_free(&cred);
	aws_profile_file_free(&merged);
}

static void parser_case_count(void **state)
{
	assert_non_null(parser_suite);
	assert_int_equal(json_array_size(json_object_get(parser_suite, "tests")), PARSER_CASES);
}

/* ---- the shared file-location cases ------------------------------------ */

static void location_case(void **state)
{
	json_t *c = *state;
	const char *platform = json_string_value(json_object_get(c, "platform"));
	json_t *envs = json_object_get(c, "environment");
	json_t *want_profile = json_object_get(c, "profile");
	const char *k, *src;
	char *cfg, *cred, *err;
	json_t *v;

	assert_string_equal(platform, "linux");  /* main() leaves out the others */
	clear_env();
	unsetenv("HOME");
	json_object_foreach(envs, k, v)
		setenv(k, json_string_value(v), 1);
	assert_int_equal(aws_profile_paths(&cfg, &cred, &err), 0);
	assert_string_equal(cfg, json_string_value(json_object_get(c, "configLocation")));
	assert_string_equal(cred, json_string_value(json_object_get(c, "credentialsLocation")));
	if (want_profile)
		assert_string_equal(aws_profile_select(NULL, &src), json_string_value(want_profile));
	free(cfg);
	free(cred);
	clear_env();
}

static void location_case_count(void **state)
{
	size_t linux_cases = 0;
	size_t i;
	json_t *c;

	assert_non_null(location_suite);
	assert_int_equal(json_array_size(json_object_get(location_suite, "tests")),
	                 LOCATION_CASES);
	json_array_foreach(json_object_get(location_suite, "tests"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "platform")), "linux") == 0)
			linux_cases++;
	assert_int_equal(linux_cases, 4);
}

/* ---- our own cases ----------------------------------------------------- */

static int parse1(const char *text, enum aws_profile_kind kind,
                  struct aws_profile_file *f, char **err)
{
	memset(f, 0, sizeof *f);
	return aws_profile_parse(text, strlen(text), kind, "/x/config", f, err);
}

static void subprops_and_services(void **state)
{
	struct aws_profile_file f;
	struct aws_profile_section sub;
	char *err = NULL;
	const char *text =
		"[profile dev]\n"
		"services = local\n"
		"[services local]\n"
		"dynamodb =\n"
		"  endpoint_url = http://localhost:8000/ # a comment\n"
		"  Region=us-west-2\n"
		"\n"
		"  endpoint_url = http://localhost:8001\n"
		"s3 =\n"
		"\tendpoint_url = https://s3.example\n";

	assert_int_equal(parse1(text, AWS_PROFILE_CONFIG, &f, &err), 0);
	const struct aws_profile_section *svc = aws_profile_find(&f.services, "local");
	assert_non_null(svc);
	assert_int_equal(svc->nprops, 2);
	assert_int_equal(aws_profile_subprops(aws_profile_get(svc, "dynamodb"), &sub), 0);
	assert_int_equal(sub.nprops, 2);
	assert_string_equal(aws_profile_get(&sub, "endpoint_url"), "http://localhost:8001");
	assert_string_equal(aws_profile_get(&sub, "region"), "us-west-2");
	aws_profile_section_free(&sub);
	assert_int_equal(aws_profile_subprops(aws_profile_get(svc, "s3"), &sub), 0);
	assert_string_equal(aws_profile_get(&sub, "endpoint_url"), "https://s3.example");
	aws_profile_section_free(&sub);
	assert_int_equal(aws_profile_subprops("\nendpoint_url = http://a ;x\nbad line\n = v", &sub), 0);
	assert_int_equal(sub.nprops, 1);
	assert_string_equal(aws_profile_get(&sub, "endpoint_url"), "http://a");
	aws_profile_section_free(&sub);
	assert_string_equal(aws_profile_get(aws_profile_find(&f.profiles, "dev"), "services"),
	                    "local");
	aws_profile_file_free(&f);
}

static void sections_by_file_kind(void **state)
{
	struct aws_profile_file f;
	char *err = NULL;

	/* credentials: [services x] and [sso-session x] are just invalid names */
	assert_int_equal(parse1("[services x]\na=1\n[sso-session y]\nb=2\n[default]\nc=3\n",
	                        AWS_PROFILE_CREDENTIALS, &f, &err), 0);
	assert_int_equal(f.profiles.n, 1);
	assert_int_equal(f.services.n, 0);
	assert_int_equal(f.sso_sessions.n, 0);
	assert_string_equal(aws_profile_get(aws_profile_find(&f.profiles, "default"), "c"), "3");
	aws_profile_file_free(&f);

	/* config: [default] alone is the default profile; names are case-sensitive */
	assert_int_equal(parse1("[default]\nregion=eu-west-1\n[profile Dev]\nREGION = x\n"
	                        "[profile dev]\n",
	                        AWS_PROFILE_CONFIG, &f, &err), 0);
	assert_string_equal(aws_profile_get(aws_profile_find(&f.profiles, "default"), "region"),
	                    "eu-west-1");
	assert_string_equal(aws_profile_get(aws_profile_find(&f.profiles, "Dev"), "region"), "x");
	assert_null(aws_profile_get(aws_profile_find(&f.profiles, "dev"), "region"));
	assert_int_equal(f.profiles.n, 3);
	aws_profile_file_free(&f);

	/* an indented comment line is a comment, even inside a value */
	assert_int_equal(parse1("[profile a]\nx = 1\n  # note\n  ; note\n  more\n",
	                        AWS_PROFILE_CONFIG, &f, &err), 0);
	assert_string_equal(aws_profile_get(aws_profile_find(&f.profiles, "a"), "x"), "1\nmore");
	aws_profile_file_free(&f);

	/* ';' or '#' right after '=' stays in the value; after a blank it is a comment */
	assert_int_equal(parse1("[profile a]\nx =;y\nz = ;w\n", AWS_PROFILE_CONFIG, &f, &err), 0);
	assert_string_equal(aws_profile_get(aws_profile_find(&f.profiles, "a"), "x"), ";y");
	assert_string_equal(aws_profile_get(aws_profile_find(&f.profiles, "a"), "z"), "");
	aws_profile_file_free(&f);
}

static void errors_name_file_and_line_not_content(void **state)
{
	struct aws_profile_file f;
	char *err = NULL;

	assert_int_equal(parse1("[default]\n\naws_secret_access_key SeCrEtVaLuE\n",
	                        AWS_PROFILE_CREDENTIALS, &f, &err), -1);
	assert_non_null(strstr(err, "/x/config, line 3"));
	assert_non_null(strstr(err, "Expected an '=' sign"));
	assert_null(strstr(err, "SeCrEt"));
	assert_int_equal(f.profiles.n, 0);
	free(err);

	assert_int_equal(parse1("[profile a] trailing\n", AWS_PROFILE_CONFIG, &f, &err), -1);
	assert_non_null(strstr(err, "line 1"));
	free(err);

	assert_int_equal(aws_profile_parse("[a]\0x", 5, AWS_PROFILE_CREDENTIALS, "f", &f, &err), -1);
	assert_non_null(strstr(err, "NUL"));
	free(err);
}

static void read_file_missing_and_present(void **state)
{
	char dir[] = "/tmp/ddtree-test-profile-XXXXXX";
	char path[256];
	char *text, *err;
	size_t len;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/none", dir);
	assert_int_equal(aws_profile_read_file(path, &text, &len, &err), 0);
	assert_null(text);
	snprintf(path, sizeof path, "%s/none/deeper", dir);
	assert_int_equal(aws_profile_read_file(path, &text, &len, &err), 0);
	assert_null(text);
	assert_int_equal(aws_profile_read_file(dir, &text, &len, &err), -1);
	assert_non_null(strstr(err, "directory"));
	free(err);
	snprintf(path, sizeof path, "%s/f", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[default]\r\nregion = x\r\n", fp);
	fclose(fp);
	assert_int_equal(aws_profile_read_file(path, &text, &len, &err), 0);
	assert_int_equal(len, 23);
	assert_string_equal(text, "[default]\r\nregion = x\r\n");
	util_wipe_free(text);
	unlink(path);
	rmdir(dir);
}

/* /dev/null reads as an empty file, as botocore and the AWS CLI take it
 * (AWS_CONFIG_FILE=/dev/null); other devices and directories are refused. */
static void read_file_dev_null_is_empty(void **state)
{
	char *text = NULL, *err = NULL;
	size_t len = 99;
	struct aws_profile_file f = { 0 };

	assert_int_equal(aws_profile_read_file("/dev/null", &text, &len, &err), 0);
	assert_null(err);
	assert_non_null(text);
	assert_int_equal(len, 0);
	assert_string_equal(text, "");
	assert_int_equal(aws_profile_parse(text, len, AWS_PROFILE_CONFIG, "/dev/null", &f, &err), 0);
	assert_int_equal(f.profiles.n, 0);
	aws_profile_file_free(&f);
	util_wipe_free(text);

	/* a device with data is not a config file */
	text = NULL;
	assert_int_equal(aws_profile_read_file("/dev/zero", &text, &len, &err), -1);
	assert_null(text);
	assert_non_null(err);
	assert_non_null(strstr(err, "/dev/zero"));
	assert_non_null(strstr(err, "not a regular file"));
	free(err);
	err = NULL;
	assert_int_equal(aws_profile_read_file("/", &text, &len, &err), -1);
	assert_non_null(strstr(err, "directory"));
	free(err);
}

static void paths_expand_tilde(void **state)
{
	char *cfg, *cred, *err;

	clear_env();
	setenv("HOME", "/home/u", 1);
	setenv("AWS_CONFIG_FILE", "~/cfg/config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~", 1);
	assert_int_equal(aws_profile_paths(&cfg, &cred, &err), 0);
	assert_string_equal(cfg, "/home/u/cfg/config");
	assert_string_equal(cred, "/home/u");
	free(cfg);
	free(cred);
	/* ~user is left alone; an empty variable means unset */
	setenv("AWS_CONFIG_FILE", "~other/config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "", 1);
	assert_int_equal(aws_profile_paths(&cfg, &cred, &err), 0);
	assert_string_equal(cfg, "~other/config");
	assert_string_equal(cred, "/home/u/.aws/credentials");
	free(cfg);
	free(cred);
	clear_env();
}

static void profile_selection(void **state)
{
	const char *src;

	clear_env();
	assert_string_equal(aws_profile_select(NULL, &src), "default");
	assert_string_equal(src, "default");
	setenv("AWS_DEFAULT_PROFILE", "old", 1);
	assert_string_equal(aws_profile_select(NULL, &src), "old");
	assert_string_equal(src, "AWS_DEFAULT_PROFILE");
	setenv("AWS_PROFILE", "", 1);
	assert_string_equal(aws_profile_select(NULL, &src), "old");
	setenv("AWS_PROFILE", "new", 1);
	assert_string_equal(aws_profile_select(NULL, &src), "new");
	assert_string_equal(src, "AWS_PROFILE");
	assert_string_equal(aws_profile_select("cli", &src), "cli");
	assert_string_equal(src, "--profile");
	assert_string_equal(aws_profile_select("", &src), "new");
	clear_env();
}

static void name_validity(void **state)
{
	assert_true(aws_profile_name_valid("a-b/c.d%e@f_g:h+i", 17));
	assert_false(aws_profile_name_valid("a b", 3));
	assert_false(aws_profile_name_valid("a!b", 3));
	assert_false(aws_profile_name_valid("", 0));
	assert_false(aws_profile_name_valid("a]", 2));
}

static void merge_credentials_win(void **state)
{
	struct aws_profile_file a, b, m = { 0 };
	char *err;

	assert_int_equal(parse1("[profile p]\nk = config\nonly = c\n[sso-session s]\nx = 1\n",
	                        AWS_PROFILE_CONFIG, &a, &err), 0);
	assert_int_equal(parse1("[p]\nk = creds\n[q]\n", AWS_PROFILE_CREDENTIALS, &b, &err), 0);
	assert_int_equal(aws_profile_merge(&m, &a), 0);
	assert_int_equal(aws_profile_merge(&m, &b), 0);
	assert_string_equal(aws_profile_get(aws_profile_find(&m.profiles, "p"), "k"), "creds");
	assert_string_equal(aws_profile_get(aws_profile_find(&m.profiles, "p"), "only"), "c");
	assert_non_null(aws_profile_find(&m.profiles, "q"));
	assert_non_null(aws_profile_find(&m.sso_sessions, "s"));

	struct aws_profile_section d;
	assert_int_equal(aws_profile_section_dup(&d, aws_profile_find(&m.profiles, "p")), 0);
	assert_string_equal(d.name, "p");
	assert_string_equal(aws_profile_get(&d, "k"), "creds");
	aws_profile_section_free(&d);
	aws_profile_file_free(&a);
	aws_profile_file_free(&b);
	aws_profile_file_free(&m);
}

/* ---- main -------------------------------------------------------------- */

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(parser_case_count),
		cmocka_unit_test(location_case_count),
		cmocka_unit_test(subprops_and_services),
		cmocka_unit_test(sections_by_file_kind),
		cmocka_unit_test(errors_name_file_and_line_not_content),
		cmocka_unit_test(read_file_missing_and_present),
		cmocka_unit_test(read_file_dev_null_is_empty),
		cmocka_unit_test(paths_expand_tilde),
		cmocka_unit_test(profile_selection),
		cmocka_unit_test(name_validity),
		cmocka_unit_test(merge_credentials_win),
	};
	size_t nfixed = sizeof fixed / sizeof fixed[0];
	json_t *pcases, *lcases, *c;
	struct CMUnitTest *tests;
	char **names;
	size_t n = 0, i, total;
	int rc;

	if (!mkdtemp(home))
		return 1;
	clear_env();
	parser_suite = load_suite("profile-parser-tests.json");
	location_suite = load_suite("file-location-tests.json");
	pcases = json_object_get(parser_suite, "tests");
	lcases = json_object_get(location_suite, "tests");
	total = nfixed + json_array_size(pcases) + json_array_size(lcases);
	tests = calloc(total, sizeof *tests);
	names = calloc(total, sizeof *names);
	if (!tests || !names)
		return 1;
	for (i = 0; i < nfixed; i++)
		tests[n++] = fixed[i];
	json_array_foreach(pcases, i, c) {
		if (asprintf(&names[n], "parser %zu: %s", i + 1,
		             json_string_value(json_object_get(c, "name"))) < 0)
			return 1;
		tests[n] = (struct CMUnitTest){ .name = names[n], .test_func = parser_case,
		                                .initial_state = c };
		n++;
	}
	json_array_foreach(lcases, i, c) {
		/* Windows-only cases (%USERPROFILE%, %HOMEDRIVE%%HOMEPATH%, backslashed
		 * paths) do not apply; cmocka would report a skip as "not ok # SKIP",
		 * which automake's TAP driver counts as a failure, so they are left
		 * out and named here.  location_case_count checks how many. */
		if (strcmp(json_string_value(json_object_get(c, "platform")), "linux") != 0) {
			printf("# skipped, Windows only: location %zu: %s\n", i + 1,
			       json_string_value(json_object_get(c, "name")));
			continue;
		}
		if (asprintf(&names[n], "location %zu: %s", i + 1,
		             json_string_value(json_object_get(c, "name"))) < 0)
			return 1;
		tests[n] = (struct CMUnitTest){ .name = names[n], .test_func = location_case,
		                                .initial_state = c };
		n++;
	}
	rc = _cmocka_run_group_tests("profile", tests, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	json_decref(parser_suite);
	json_decref(location_suite);
	rmdir(home);
	return rc;
}
