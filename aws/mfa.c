/* aws/mfa.c: the MFA code of an assumed role, asked for on the terminal at
 * start-up (see mfa.h).
 *
 * aws_mfa_prepare marks its thread as one that may ask (a thread-local
 * flag) and fetches the chain's credentials; the assume-role provider,
 * inside that fetch, calls aws_mfa_code, which reads a line from /dev/tty
 * as botocore's prompter does (getpass; the code is echoed here, which a
 * one-time code does not mind).  Any other caller, such as the client's
 * worker thread refreshing the credentials an hour later, gets a message
 * instead of a prompt.
 */
#include "aws/util.h"
#include "aws/mfa.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

static _Thread_local bool in_prepare;
static _Thread_local const char *no_term;
static aws_mfa_prompt_fn *prompt_fn;
static void *prompt_ud;

void aws_mfa_set_prompt(aws_mfa_prompt_fn *fn, void *ud)
{
	prompt_fn = fn;
	prompt_ud = ud;
}

/* Ask on the terminal: 0 with the line, -1 for no answer (end of input),
 * -2 when there is no terminal to open. */
static int tty_prompt(const char *prompt, char *buf, size_t cap, void *ud)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	size_t n = 0, plen = strlen(prompt);
	char ch;

	(void)ud;
	if (fd < 0)
		return -2;
	while (plen > 0) {
		ssize_t w = write(fd, prompt, plen);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		prompt += w;
		plen -= (size_t)w;
	}
	for (;;) {
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 && n == 0) {          /* end of input: no answer */
			close(fd);
			return -1;
		}
		if (r <= 0 || ch == '\n')
			break;
		if (n + 1 < cap)
			buf[n++] = ch;
	}
	buf[n] = '\0';
	OPENSSL_cleanse(&ch, sizeof ch);
	close(fd);
	return 0;
}

/* s with control characters as '?' (it is shown on the terminal). */
static char *shown(const char *s)
{
	char *t = strdup(s ? s : "");

	for (char *p = t; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return t;
}

int aws_mfa_code(const char *profile, const char *role_arn, const char *serial,
                 char code[16], char **err)
{
	aws_mfa_prompt_fn *fn = prompt_fn ? prompt_fn : tty_prompt;
	char line[64], *dev = NULL;
	int rc = -1;

	memset(code, 0, 16);
	*err = NULL;
	if (!in_prepare) {
		*err = util_fmt("the credentials of role %s (profile %s) must be fetched again, "
		                "which needs a new code from MFA device %s, and ddtree asks for "
		                "one only when it starts, on the terminal: restart ddtree (or run "
		                "`aws sts get-caller-identity --profile %s` in a terminal: ddtree "
		                "reuses the credentials the AWS CLI caches in ~/.aws/cli/cache)",
		                role_arn, profile, serial, profile);
		return -1;
	}
	if (no_term) {
		*err = util_fmt("profile %s assumes role %s with MFA (mfa_serial = %s): an MFA "
		                "code is needed, and there is no terminal to ask for it on (%s). "
		                "Run ddtree in a terminal, or let the AWS CLI ask for the code once, "
		                "in a terminal:\n"
		                "  aws sts get-caller-identity --profile %s\n"
		                "ddtree then uses the credentials the CLI caches in ~/.aws/cli/cache.",
		                profile, role_arn, serial, no_term, profile);
		return -1;
	}
	dev = shown(serial);
	if (!dev) {
		*err = strdup("out of memory");
		return -1;
	}
	for (int tries = 1; tries <= AWS_MFA_TRIES && rc < 0 && !*err; tries++) {
		char *prompt = util_fmt("%sEnter MFA code for %s: ",
		                        tries > 1 ? "An MFA code is 6 digits. " : "", dev);
		int r;
		size_t b = 0, e;

		if (!prompt) {
			*err = strdup("out of memory");
			break;
		}
		memset(line, 0, sizeof line);
		r = fn(prompt, line, sizeof line, prompt_ud);
		free(prompt);
		if (r == -2) {
			*err = util_fmt("profile %s assumes role %s with MFA: an MFA code is needed, "
			                "and the terminal (/dev/tty) cannot be opened to ask for it",
			                profile, role_arn);
			break;
		}
		if (r < 0) {
			*err = util_fmt("no MFA code was entered for profile %s (role %s)", profile,
			                role_arn);
			break;
		}
		while (line[b] && isspace((unsigned char)line[b]))
			b++;
		e = strlen(line);
		while (e > b && isspace((unsigned char)line[e - 1]))
			e--;
		if (e - b == 6) {
			bool digits = true;
			for (size_t i = b; i < e; i++)
				digits = digits && isdigit((unsigned char)line[i]);
			if (digits) {
				memcpy(code, line + b, 6);
				code[6] = '\0';
				rc = 0;
			}
		}
	}
	OPENSSL_cleanse(line, sizeof line);
	if (rc < 0 && !*err)
		*err = util_fmt("no valid MFA code (6 digits) was entered for profile %s after %d "
		                "tries", profile, AWS_MFA_TRIES);
	free(dev);
	return rc;
}

int aws_mfa_prepare(struct aws_cred_chain *c, time_t now, const char *no_terminal, char **err)
{
	struct aws_credentials cr;
	int rc;

	*err = NULL;
	if (!c || !aws_cred_chain_interactive(c))
		return 0;
	in_prepare = true;
	no_term = no_terminal;
	rc = aws_creds_get(c, now, &cr, err);
	in_prepare = false;
	no_term = NULL;
	if (rc == 0)
		aws_credentials_free(&cr);
	return rc;
}
