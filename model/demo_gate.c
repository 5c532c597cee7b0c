/* model/demo_gate.c: the one gate every demo write passes (demo_create and
 * the fillers of model/demo_stache.c and model/demo_chainlit.c): only a
 * DynamoDB on this machine, and only when writes are allowed.  Its own file,
 * below the three that call it. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/demo.h"

#include <stdio.h>

int demo_check(const struct session *s, const struct demo_names *n, char **err)
{
	/* before the read-only switch: --write must not make it pass */
	if (!s->conf.endpoint_is_loopback) {
		*err = util_xasprintf("refusing to run demo against %s: it deletes, recreates and fills "
		                      "the tables %s, %s and %s, so it only runs on a DynamoDB on this machine "
		                      "(localhost, 127.x.x.x or [::1]), whatever --write or the config file say",
		                      s->conf.endpoint_url, n->namespaces, n->documents, n->chainlit);
		return DEMO_REFUSED;
	}
	if (session_check_write(s, err) != 0)
		return DEMO_REFUSED;
	return 0;
}
