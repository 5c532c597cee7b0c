/* model/session.c: configuration, client and the read-only switch. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *pick(const char *opt, const char *env1, const char *env2)
{
	const char *v = opt;
	if (!v || !*v)
		v = env1 ? getenv(env1) : NULL;
	if ((!v || !*v) && env2)
		v = getenv(env2);
	return v && *v ? util_xstrdup(v) : NULL;
}

static bool env_true(const char *name)
{
	const char *v = getenv(name);
	return v && (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"));
}

struct session *session_open(const struct session_opts *o, char **err)
{
	struct session *s = util_xcalloc(1, sizeof *s);
	if (aws_conf_resolve(&o->aws, &s->conf, err) != 0) {
		free(s);
		return NULL;
	}
	struct ddb_client_opts co = {
		.conf = &s->conf,
		.max_attempts = o->max_attempts,
		.request_timeout_ms = o->request_timeout_ms,
		.trace_path = o->debug_path,
		.on_warning = o->on_warning,
		.warning_ud = o->warning_ud,
	};
	s->ddb = ddb_client_new(&co, err);
	if (!s->ddb) {
		aws_conf_free(&s->conf);
		free(s);
		return NULL;
	}
	s->namespace_table = pick(o->namespace_table, "DYNAMODB_NAMESPACE_TABLE", NULL);
	s->documents_table = pick(o->documents_table, "DYNAMODB_DOCUMENTS_TABLE", "DYNAMODB_DOCUMENT_TABLE");
	s->chainlit_table = pick(o->chainlit_table, "CHAINLIT_DYNAMODB_TABLE", NULL);

	/* One switch.  --read-only wins over everything; a remote endpoint is
	 * read-only unless --write was given. */
	if (o->read_only || env_true("DDTREE_READ_ONLY")) {
		s->read_only = true;
		s->read_only_reason = !o->read_only ? "DDTREE_READ_ONLY is set"
		                    : o->read_only_source ? o->read_only_source : "--read-only was given";
	} else if (!s->conf.endpoint_is_loopback && !o->write) {
		s->read_only = true;
		s->read_only_reason = "the endpoint is not on this machine (pass --write to allow writes)";
	}
	return s;
}

void session_close(struct session *s)
{
	if (!s)
		return;
	ddb_client_free(s->ddb);
	aws_conf_free(&s->conf);
	free(s->namespace_table);
	free(s->documents_table);
	free(s->chainlit_table);
	free(s);
}

int session_check_write(const struct session *s, char **err)
{
	if (!s->read_only)
		return 0;
	if (err)
		*err = util_xasprintf("read-only: %s", s->read_only_reason);
	return -1;
}

char *session_describe(const struct session *s)
{
	return util_xasprintf("%s  %s  profile %s", s->conf.endpoint_url, s->conf.region,
	                      s->conf.profile ? s->conf.profile : "default");
}
