/* aws/mfa.h: the MFA code an assumed role asks for (a profile's
 * mfa_serial), read on the terminal at start-up and never later: the
 * browser's screen owns the terminal by then.
 *
 * Private to aws/ but for aws_mfa_prepare, which tui/cli.c calls once,
 * before a command runs or the browser starts.  The assume-role provider
 * (aws/sts.c) asks aws_mfa_code for a code; it gets one only inside
 * aws_mfa_prepare, on the thread that called it.  What a role assumed with
 * MFA gives is cached in the AWS CLI's cache (aws/clicache.h), so the next
 * start within the role's session, ddtree's or the CLI's, asks for nothing.
 * A code is never shown in a message or kept after the call it is for.
 */
#ifndef DDTREE_AWS_MFA_H
#define DDTREE_AWS_MFA_H

#include <stddef.h>
#include <time.h>

#include "aws/creds.h"

#define AWS_MFA_TRIES 3              /* a code that is not 6 digits is asked again */

/* Before the screen is taken: when the chain's credentials may need an MFA
 * code (a role with mfa_serial, aws_cred_chain_interactive), fetch them
 * now, asking for the code on the terminal (/dev/tty), so the chain holds
 * them for the run.  `no_terminal`: why there is no terminal to ask on
 * ("stdin is not a terminal"), or NULL; without one, a role that needs a
 * code (none cached) fails here, with a message that names the profile and
 * says a code is needed.  For any other chain nothing is fetched: the
 * credentials stay lazy.  0, or -1 with *err. */
int aws_mfa_prepare(struct aws_cred_chain *c, time_t now, const char *no_terminal, char **err);

/* The code for role `role_arn` of profile `profile`, device `serial`: 0
 * with `code` (6 digits; wipe it after use), or -1 with *err, which says
 * why there is none (asked outside aws_mfa_prepare: a refresh after the
 * start; no terminal; nothing entered). */
int aws_mfa_code(const char *profile, const char *role_arn, const char *serial,
                 char code[16], char **err);

/* For tests: read the answer to `prompt` with fn instead of the terminal
 * (NULL restores the terminal).  fn fills buf (cap bytes, NUL-terminated,
 * a line without its newline) and returns 0, or -1 for no answer. */
typedef int aws_mfa_prompt_fn(const char *prompt, char *buf, size_t cap, void *ud);
void aws_mfa_set_prompt(aws_mfa_prompt_fn *fn, void *ud);

#endif
