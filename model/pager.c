/* model/pager.c: Query/Scan page by page (see pager.h). */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/pager.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 1000

struct pager {
	struct session *s;
	const char *op;
	json_t *req;
	json_t *last_key;       /* LastEvaluatedKey of the last page */
	bool started, done;
	ddb_call *call;         /* page in flight */
	pager_page_fn cb;
	void *ud;
	long pages, items, scanned;
	bool in_callback;       /* its callback runs: pager_free waits until it returns */
	bool freed;             /* pager_free was called during the callback */
};

void ddb_error_copy(struct ddb_error *dst, const struct ddb_error *src)
{
	dst->kind = src->kind;
	dst->http_status = src->http_status;
	dst->code = src->code ? util_xstrdup(src->code) : NULL;
	dst->message = src->message ? util_xstrdup(src->message) : NULL;
	dst->request_id = src->request_id ? util_xstrdup(src->request_id) : NULL;
}

void ddb_error_clear(struct ddb_error *e)
{
	free(e->code);
	free(e->message);
	free(e->request_id);
	memset(e, 0, sizeof *e);
}

struct pager *pager_new(struct session *s, const char *op, json_t *request)
{
	struct pager *p = util_xcalloc(1, sizeof *p);
	p->s = s;
	p->op = !strcmp(op, "Scan") ? "Scan" : "Query";
	p->req = request ? request : json_object();
	if (!json_object_get(p->req, "Limit"))
		json_object_set_new(p->req, "Limit", json_integer(DEFAULT_LIMIT));
	return p;
}

void pager_free(struct pager *p)
{
	if (!p)
		return;
	if (p->call)
		ddb_abandon(p->s->ddb, p->call);   /* its callback never runs */
	p->call = NULL;
	if (p->in_callback) {
		p->freed = true;   /* page_done frees it when the callback returns */
		return;
	}
	json_decref(p->req);
	json_decref(p->last_key);
	free(p);
}

static void page_done(struct ddb_result *r, void *ud);

bool pager_next(struct pager *p, pager_page_fn cb, void *ud)
{
	if (p->done || p->call)
		return false;
	json_t *req = json_deep_copy(p->req);
	if (p->last_key)
		json_object_set(req, "ExclusiveStartKey", p->last_key);
	p->cb = cb;
	p->ud = ud;
	p->started = true;
	p->call = ddb_submit(p->s->ddb, p->op, req, page_done, p);
	return true;
}

static void page_done(struct ddb_result *r, void *ud)
{
	struct pager *p = ud;
	p->call = NULL;
	const json_t *items = NULL;
	const struct ddb_error *err = NULL;
	if (r->err.kind == DDB_OK) {
		items = json_object_get(r->body, "Items");
		if (!json_is_array(items))
			items = NULL;
		p->pages++;
		p->items += (long)json_array_size(items);
		json_t *sc = json_object_get(r->body, "ScannedCount");
		p->scanned += json_is_integer(sc) ? (long)json_integer_value(sc)
		                                  : (long)json_array_size(items);
		json_decref(p->last_key);
		p->last_key = json_incref(json_object_get(r->body, "LastEvaluatedKey"));
		if (!json_is_object(p->last_key)) {
			json_decref(p->last_key);
			p->last_key = NULL;
			p->done = true;
		}
	} else {
		err = &r->err;
	}
	json_t *empty = NULL;
	if (!err && !items)
		items = empty = json_array();
	bool outer = !p->in_callback;
	p->in_callback = true;
	if (p->cb)
		p->cb(p, items, err, p->ud);
	json_decref(empty);
	if (!outer)
		return;
	p->in_callback = false;
	if (p->freed)
		pager_free(p);
}

bool pager_done(const struct pager *p)
{
	return p->done;
}

bool pager_busy(const struct pager *p)
{
	return p->call != NULL;
}

void pager_cancel(struct pager *p)
{
	if (p->call)
		ddb_cancel(p->s->ddb, p->call);
}

long pager_pages(const struct pager *p)
{
	return p->pages;
}

long pager_items(const struct pager *p)
{
	return p->items;
}

long pager_scanned(const struct pager *p)
{
	return p->scanned;
}

char *pager_cursor(const struct pager *p)
{
	if (!p->last_key || p->done)
		return NULL;
	return json_dumps(p->last_key, JSON_COMPACT | JSON_SORT_KEYS);
}

bool pager_resume(struct pager *p, const char *cursor)
{
	json_error_t e;
	json_t *k = cursor ? json_loads(cursor, JSON_ALLOW_NUL, &e) : NULL;
	if (!json_is_object(k)) {
		json_decref(k);
		return false;
	}
	json_decref(p->last_key);
	p->last_key = k;
	p->done = false;
	return true;
}

struct drain {
	long max_items;
	pager_page_fn cb;
	void *ud;
	struct ddb_error *err;
	bool failed, page_done;
};

static void drain_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct drain *d = ud;
	d->page_done = true;
	if (err) {
		ddb_error_copy(d->err, err);
		d->failed = true;
		return;
	}
	if (d->cb)
		d->cb(p, items, NULL, d->ud);
}

int pager_drain_sync(struct pager *p, long max_items, pager_page_fn cb, void *ud,
                     struct ddb_error *err)
{
	struct drain d = {.max_items = max_items, .cb = cb, .ud = ud, .err = err};
	memset(err, 0, sizeof *err);
	while (!p->done && !d.failed && (!max_items || p->items < max_items)) {
		d.page_done = false;
		if (!pager_next(p, drain_page, &d))
			break;
		while (!d.page_done)
			ddb_client_wait(p->s->ddb, 1000);
	}
	return d.failed ? -1 : 0;
}
