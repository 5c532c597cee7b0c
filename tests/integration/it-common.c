/* tests/integration/it-common.c: the set-up every integration test shares
 * (see it-common.h). */
#include "tests/integration/it-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *it_endpoint(void)
{
	const char *ep = getenv("DDTREE_TEST_ENDPOINT");
	if (!ep || !*ep) {
		fprintf(stderr, "DDTREE_TEST_ENDPOINT not set (tests/harness/run-test sets it)\n");
		return NULL;
	}
	return ep;
}

void it_credentials(const char *key_id, const char *secret, const char *region)
{
	setenv("AWS_ACCESS_KEY_ID", key_id, 1);
	setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
	if (region)
		setenv("AWS_REGION", region, 1);
}

void it_unique_name(char *buf, size_t len, const char *stem)
{
	snprintf(buf, len, "%s-%d-%ld", stem, (int)getpid(), (long)time(NULL));
}

int it_client_open(struct it_client *ic, const char *url, struct ddb_client_opts opts, char **err)
{
	memset(ic, 0, sizeof *ic);
	struct aws_conf_opts o = {.endpoint_url = url};
	if (aws_conf_resolve(&o, &ic->conf, err) != 0)
		return -1;
	ic->have_conf = true;
	opts.conf = &ic->conf;
	ic->c = ddb_client_new(&opts, err);
	return ic->c ? 0 : -1;
}

void it_client_close(struct it_client *ic)
{
	ddb_client_free(ic->c);
	ic->c = NULL;
	if (ic->have_conf)
		aws_conf_free(&ic->conf);
	ic->have_conf = false;
}

int it_create_pk_sk_table(ddb_client *c, const char *table)
{
	json_t *req = json_pack("{s:s,s:s,s:[{s:s,s:s},{s:s,s:s}],s:[{s:s,s:s},{s:s,s:s}]}",
		"TableName", table, "BillingMode", "PAY_PER_REQUEST",
		"AttributeDefinitions", "AttributeName", "PK", "AttributeType", "S",
		"AttributeName", "SK", "AttributeType", "S",
		"KeySchema", "AttributeName", "PK", "KeyType", "HASH",
		"AttributeName", "SK", "KeyType", "RANGE");
	struct ddb_result *r = ddb_call_sync(c, "CreateTable", req);
	int rv = r->err.kind == DDB_OK ? 0 : -1;
	if (rv)
		fprintf(stderr, "CreateTable %s: %s\n", table, r->err.message ? r->err.message : "-");
	ddb_result_free(r);
	return rv;
}

int it_delete_table(ddb_client *c, const char *table)
{
	struct ddb_result *r = ddb_call_sync(c, "DeleteTable", json_pack("{s:s}", "TableName", table));
	int rv = r->err.kind == DDB_OK ? 0 : -1;
	if (rv)
		fprintf(stderr, "DeleteTable %s: %s\n", table, r->err.message ? r->err.message : "-");
	ddb_result_free(r);
	return rv;
}
