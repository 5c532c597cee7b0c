/* model/check_job.c: the integrity report in the background: the scans of
 * model/check_stache.c and model/check_chainlit.c, read page by page on
 * the session's client (never blocking the browser's loop), one after the
 * other: namespaces, document rows, the Chainlit table. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/check.h"
#include "model/pager.h"
#include "model/stache.h"

#include <stdlib.h>
#include <string.h>

enum stage { ST_NAMESPACES, ST_ROWS, ST_CHAINLIT, ST_DONE };

struct check_job {
	struct session *s;
	struct findings f;
	struct check_stache_run *st;
	struct check_chainlit_run *cl;
	struct pager *p;
	enum stage stage;
	check_progress_fn progress;
	check_done_fn done;
	void *ud;
};

static void next_stage(struct check_job *j);

static void on_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct check_job *j = ud;
	if (err) {
		/* the caller may free j (and with it p) in done */
		j->stage = ST_DONE;
		j->done(j, &j->f, err, j->ud);
		return;
	}
	switch (j->stage) {
	case ST_NAMESPACES: check_stache_ns_page(j->st, p, items); break;
	case ST_ROWS: check_stache_rows_page(j->st, p, items); break;
	case ST_CHAINLIT: check_chainlit_page(j->cl, items); break;
	case ST_DONE: return;
	}
	if (!pager_done(p)) {
		pager_next(p, on_page, j);
		return;
	}
	switch (j->stage) {
	case ST_NAMESPACES: check_stache_ns_end(j->st); break;
	case ST_ROWS: check_stache_end(j->st); break;
	case ST_CHAINLIT: check_chainlit_end(j->cl); break;
	case ST_DONE: break;
	}
	j->stage++;
	next_stage(j);
}

/* Start the scan of the stage j is at, skipping those without a table;
 * after the last, done. */
static void next_stage(struct check_job *j)
{
	pager_free(j->p);   /* safe in its own callback: freed when it returns */
	j->p = NULL;
	for (; j->stage != ST_DONE; j->stage++) {
		if (j->stage == ST_NAMESPACES && j->s->namespace_table)
			j->p = stache_ns_scan_pager(j->s, 0);
		else if (j->stage == ST_ROWS && j->s->documents_table)
			j->p = stache_rows_scan_pager(j->s, 0);
		else if (j->stage == ST_CHAINLIT && j->cl)
			j->p = pager_new(j->s, "Scan", json_pack("{s:s}", "TableName", j->s->chainlit_table));
		if (j->p) {
			pager_next(j->p, on_page, j);
			return;
		}
	}
	j->done(j, &j->f, NULL, j->ud);
}

struct check_job *check_job_start(struct session *s, check_progress_fn progress,
                                  check_done_fn done, void *ud)
{
	struct check_job *j = util_xcalloc(1, sizeof *j);
	j->s = s;
	j->progress = progress;
	j->done = done;
	j->ud = ud;
	j->st = check_stache_begin(s, &j->f, progress, ud);
	j->cl = check_chainlit_begin(s, &j->f, progress, ud);
	next_stage(j);   /* NB: with no table at all, done runs before this returns */
	return j;
}

void check_job_free(struct check_job *j)
{
	if (!j)
		return;
	pager_free(j->p);
	check_stache_free(j->st);
	check_chainlit_free(j->cl);
	findings_free(&j->f);
	free(j);
}
