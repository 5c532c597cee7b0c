/* tests/integration/it-demo.c: a session with the demo tables (see it-demo.h). */
#include "tests/integration/it-demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int it_demo_open(struct it_demo *d, const char *stem, bool reset)
{
	memset(d, 0, sizeof *d);
	const char *ep = it_endpoint();
	if (!ep)
		return -1;
	unsetenv("DYNAMODB_NAMESPACE_TABLE");
	unsetenv("DYNAMODB_DOCUMENTS_TABLE");
	unsetenv("DYNAMODB_DOCUMENT_TABLE");
	unsetenv("CHAINLIT_DYNAMODB_TABLE");
	unsetenv("DDTREE_READ_ONLY");
	struct session_opts so = {.aws = {.endpoint_url = ep}};
	char *err = NULL;
	d->s = session_open(&so, &err);
	if (!d->s) {
		fprintf(stderr, "session_open: %s\n", err ? err : "-");
		free(err);
		return -1;
	}
	it_unique_name(d->prefix, sizeof d->prefix - 1, stem);
	strcat(d->prefix, "-");
	struct demo_opts o = {.prefix = d->prefix, .reset = reset};
	if (demo_create(d->s, &o, &err) != 0) {
		fprintf(stderr, "demo_create: %s\n", err ? err : "-");
		free(err);
		session_close(d->s);
		d->s = NULL;
		return -1;
	}
	demo_table_names(d->prefix, &d->names);
	return 0;
}

void it_demo_close(struct it_demo *d)
{
	if (!d->s)
		return;
	it_delete_table(d->s->ddb, d->names.namespaces);
	it_delete_table(d->s->ddb, d->names.documents);
	it_delete_table(d->s->ddb, d->names.chainlit);
	session_close(d->s);
	d->s = NULL;
}
