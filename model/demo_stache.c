/* model/demo_stache.c: placeholder until the stache demo data is written. */
#include "ddconfig.h"

#include "model/demo.h"
#include "model/check.h"

int demo_fill_stache(struct session *s, const struct demo_names *n, const struct demo_opts *o, char **err)
{
	(void)s;
	(void)n;
	(void)o;
	(void)err;
	return 0;
}

int check_stache(struct session *s, struct findings *out, check_progress_fn progress, void *ud,
        struct ddb_error *err)
{
	(void)s;
	(void)out;
	(void)progress;
	(void)ud;
	(void)err;
	return 0;
}
