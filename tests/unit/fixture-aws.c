/* tests/unit/fixture-aws.c: the shared fixture of the aws/ configuration and
 * credential tests (see fixture-aws.h). */
#include <fcntl.h>
#include <ftw.h>
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

#include "aws/url.h"
#include "tests/unit/fixture-aws.h"

extern char **environ;

char fx_home[256];
char fx_log_path[300];
const char *const *fx_secrets;

void fx_clear_aws_env(void)
{
	char *names[512];
	size_t n = 0;

	for (char **e = environ; *e && n < 512; e++)
		if (strncmp(*e, "AWS_", 4) == 0)
			names[n++] = strndup(*e, strcspn(*e, "="));
	for (size_t i = 0; i < n; i++) {
		unsetenv(names[i]);
		free(names[i]);
	}
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fx_empty_home(void)
{
	nftw(fx_home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	assert_int_equal(mkdir(fx_home, 0700), 0);
}

int fx_group_setup(const char *name)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(fx_home, sizeof fx_home, "%s/ddtree-test-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
	         name);
	if (!mkdtemp(fx_home))
		return -1;
	snprintf(fx_log_path, sizeof fx_log_path, "%s/requests.log", fx_home);
	return 0;
}

void fx_group_teardown(void)
{
	nftw(fx_home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void fx_test_setup(void)
{
	fx_clear_aws_env();
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("HOME", fx_home, 1);
	fx_empty_home();
}

void fx_imds_on(const char *url)
{
	assert_non_null(url);
	assert_true(aws_url_is_loopback(url));
	assert_int_equal(setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1), 0);
	unsetenv("AWS_EC2_METADATA_DISABLED");
}

char *fx_path(const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", fx_home, rel) > 0);
	return p;
}

void fx_mkdir(const char *rel)
{
	char *p = fx_path(rel);

	mkdir(p, 0700);
	free(p);
}

void fx_write_path(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

void fx_write(const char *rel, const char *text)
{
	char *p = fx_path(rel);

	fx_write_path(p, text, 0600);
	free(p);
}

void fx_set_files(const char *config, const char *credentials)
{
	char *c = fx_path(".aws/config");
	char *k = fx_path(".aws/credentials");

	fx_mkdir(".aws");
	if (config)
		fx_write_path(c, config, 0600);
	else
		unlink(c);
	if (credentials)
		fx_write_path(k, credentials, 0600);
	else
		unlink(k);
	free(c);
	free(k);
}

char *fx_read_path(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(buf);
	if (f) {
		n = fread(buf, 1, 65535, f);
		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

char *fx_read_log(void)
{
	return fx_read_path(fx_log_path);
}

void fx_assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		print_error("# \"%s\"\n#   lacks \"%s\"\n", hay, needle);
	assert_non_null(strstr(hay, needle));
}

void fx_assert_no_secret(const char *msg)
{
	for (const char *const *s = fx_secrets; s && *s; s++) {
		if (strstr(msg, *s))
			print_error("# a secret leaked: \"%s\"\n", msg);
		assert_null(strstr(msg, *s));
	}
}

struct fakehttp *fx_serve(const struct fakehttp_reply *plan, size_t n)
{
	struct fakehttp *s = fakehttp_start(plan, n, fx_log_path);

	assert_non_null(s);
	return s;
}

struct fakehttp *fx_serve_sts(const struct fakehttp_reply *plan, size_t n)
{
	struct fakehttp *s = fx_serve(plan, n);

	setenv("AWS_ENDPOINT_URL_STS", fakehttp_url(s), 1);
	return s;
}

void fx_resolve_ok(const struct aws_conf_opts *o, struct aws_conf *c)
{
	char *err = NULL;
	int rc = aws_conf_resolve(o, c, &err);

	if (rc != 0)
		print_error("# unexpected error: %s\n", err);
	assert_int_equal(rc, 0);
	assert_null(err);
}

char *fx_resolve_err(const struct aws_conf_opts *o)
{
	struct aws_conf c;
	char *err = NULL;
	int rc = aws_conf_resolve(o, &c, &err);

	if (rc == 0)
		aws_conf_free(&c);
	assert_int_equal(rc, -1);
	assert_non_null(err);
	return err;
}

void fx_resolve(const char *profile, struct aws_conf *c)
{
	struct aws_conf_opts o = { .profile = profile, .endpoint_url = "http://127.0.0.1:9" };

	fx_resolve_ok(&o, c);
}

void fx_creds_ok(struct aws_conf *c, time_t now, struct aws_credentials *cr)
{
	char *err = NULL;
	int rc = aws_creds_get(c->creds, now, cr, &err);

	if (rc != 0)
		print_error("# unexpected error: %s\n", err);
	assert_int_equal(rc, 0);
	assert_null(err);
}

char *fx_creds_err(struct aws_conf *c, time_t now)
{
	struct aws_credentials cr;
	char *err = NULL;
	int rc = aws_creds_get(c->creds, now, &cr, &err);

	if (rc == 0)
		aws_credentials_free(&cr);
	assert_int_equal(rc, -1);
	assert_non_null(err);
	fx_assert_no_secret(err);
	return err;
}
