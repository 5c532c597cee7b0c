/* tests/unit/fixture-aws.h: what the unit tests of aws/'s configuration and
 * credential providers share (test-config, test-credfetch, test-sts,
 * test-imds, test-mfa).
 *
 * A temporary HOME (so the real ~/.aws is never read) holding the profile
 * files, an environment without any AWS_* setting but
 * AWS_EC2_METADATA_DISABLED=true, the fake HTTP server of
 * tests/tools/fakehttp.c on a thread of the test (bound to 127.0.0.1, its
 * requests logged in HOME), and the steps of resolving a configuration and
 * asking it for credentials, failing the test on anything unexpected.
 * Include after <cmocka.h>.
 */
#ifndef DDTREE_TESTS_FIXTURE_AWS_H
#define DDTREE_TESTS_FIXTURE_AWS_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "aws/config.h"
#include "tests/tools/fakehttp.h"

extern char fx_home[256];        /* the temporary HOME */
extern char fx_log_path[300];    /* the fake server's request log, in HOME */

/* The secrets a test file plants (NULL-terminated; NULL for none): no
 * message fx_creds_err returns may hold one (fx_assert_no_secret). */
extern const char *const *fx_secrets;

/* Once per group: make the temporary HOME, $TMPDIR/ddtree-test-NAME-XXXXXX.
 * 0, or -1. */
int fx_group_setup(const char *name);
/* Remove it. */
void fx_group_teardown(void);

/* Before each test: no AWS_* variables but AWS_EC2_METADATA_DISABLED=true,
 * HOME set to the temporary one, emptied. */
void fx_test_setup(void);

/* Let IMDS be asked, at `url` only, which must be on this machine (the
 * fake server): AWS_EC2_METADATA_SERVICE_ENDPOINT set, and
 * AWS_EC2_METADATA_DISABLED unset.  The real 169.254.169.254 is never
 * asked by a test. */
void fx_imds_on(const char *url);

/* Unset every AWS_* variable. */
void fx_clear_aws_env(void);
/* Empty HOME (remove it and make it again). */
void fx_empty_home(void);
/* HOME/rel, malloc'd. */
char *fx_path(const char *rel);
/* Make the directory HOME/rel (0700); its parent must exist. */
void fx_mkdir(const char *rel);

/* Write text to path (created or truncated) with this mode. */
void fx_write_path(const char *path, const char *text, mode_t mode);
/* The same for HOME/rel, mode 0600. */
void fx_write(const char *rel, const char *text);
/* Write ~/.aws/config and ~/.aws/credentials (making ~/.aws); NULL removes
 * the file. */
void fx_set_files(const char *config, const char *credentials);

/* A file's whole text (at most 64 KiB; caller frees); "" when absent. */
char *fx_read_path(const char *path);
/* The fake server's request log (fx_read_path of fx_log_path). */
char *fx_read_log(void);

/* hay contains needle (prints both when not). */
void fx_assert_contains(const char *hay, const char *needle);
/* msg holds none of fx_secrets. */
void fx_assert_no_secret(const char *msg);

/* Start the fake server with this plan, logging to fx_log_path. */
struct fakehttp *fx_serve(const struct fakehttp_reply *plan, size_t n);
/* The same, the fake server playing STS (AWS_ENDPOINT_URL_STS). */
struct fakehttp *fx_serve_sts(const struct fakehttp_reply *plan, size_t n);

/* aws_conf_resolve with the given options, which must succeed. */
void fx_resolve_ok(const struct aws_conf_opts *o, struct aws_conf *c);
/* aws_conf_resolve with the given options, which must fail; the message
 * (caller frees). */
char *fx_resolve_err(const struct aws_conf_opts *o);
/* Resolve `profile` with a local endpoint (so no region is needed). */
void fx_resolve(const char *profile, struct aws_conf *c);

/* aws_creds_get, which must succeed. */
void fx_creds_ok(struct aws_conf *c, time_t now, struct aws_credentials *cr);
/* aws_creds_get, which must fail with a message that holds no secret; the
 * message (caller frees). */
char *fx_creds_err(struct aws_conf *c, time_t now);

#endif
