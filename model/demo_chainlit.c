/* model/demo_chainlit.c: placeholder until the chainlit demo data is written. */
#include "ddconfig.h"

#include "model/demo.h"
#include "model/check.h"

int demo_fill_chainlit(struct session *s, const struct demo_names *n, const struct demo_opts *o, char **err)
{
	(void)s;
	(void)n;
	(void)o;
	(void)err;
	return 0;
}

int check_chainlit(struct session *s, struct findings *out, check_progress_fn progress, void *ud,
        struct ddb_error *err)
{
	(void)s;
	(void)out;
	(void)progress;
	(void)ud;
	(void)err;
	return 0;
}
