/* aws/credproc.h: the credential_process provider: running a profile's
 * credential_process (AWS-CLIENT.md 4.5).
 *
 * Private to aws/: config.c adds the provider to the chain, the unit tests
 * call the parts directly.  The command runs anew each time the cached
 * credentials near their expiry.
 *
 * The command line is split into words as botocore splits it (Python's
 * shlex.split), but no shell runs: no variables, no ~, no globbing.  The
 * program runs in a process group of its own and gets /dev/null as stdin;
 * its stdout (at most 64 KiB) must be the JSON document, its stderr (the
 * first 8 KiB) is kept for error messages and never reaches our own stderr
 * or the terminal.
 */
#ifndef DDTREE_AWS_CREDPROC_H
#define DDTREE_AWS_CREDPROC_H

#include <time.h>

#include "aws/creds.h"

#define AWS_CREDPROC_STDOUT_MAX (64 * 1024)
#define AWS_CREDPROC_STDERR_MAX (8 * 1024)
#define AWS_CREDPROC_TIMEOUT_MS (60 * 1000)

/* Split `cmdline` into a NULL-terminated, malloc'd argv (free with
 * aws_credproc_argv_free) exactly as Python's shlex.split(cmdline) does
 * (botocore uses it): quotes and backslashes mostly as in sh, but a
 * backslash inside double quotes escapes only " and \, and one outside
 * quotes before a newline keeps the newline.  0, or -1 with *err (unbalanced
 * quote, trailing backslash, empty command). */
int aws_credproc_split(const char *cmdline, char ***argv, char **err);
void aws_credproc_argv_free(char **argv);

/* Run `cmdline` and parse its output into *out (source left NULL).
 * `what` names it in messages, e.g. "credential_process (profile dev)".
 * 0, or -1 with *err; no secret value ever appears in *err. */
int aws_credproc_run(const char *cmdline, const char *what,
                     struct aws_credentials *out, char **err);

/* Parse credential_process JSON output (len bytes). 0 or -1 with *err. */
int aws_credproc_parse(const char *json, size_t len, const char *what,
                       struct aws_credentials *out, char **err);

/* The credential_process of s's profile ("not set" when it has none).
 * 0, or -1 when out of memory. */
int aws_credproc_add(struct aws_cred_chain *c, const struct aws_cred_setup *s);

/* For tests: the time limit in milliseconds (<= 0 restores one minute). */
void aws_credproc_set_timeout_ms(long ms);

#endif
