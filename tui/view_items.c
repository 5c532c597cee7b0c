/* tui/view_items.c: any table's items, read with Scan page by page as you
 * scroll (the generic view for tables of no known layout, and for raw
 * browsing of any table). */
#include "ddconfig.h"

#include "tui/ui.h"
#include "tui/text.h"
#include "model/pager.h"
#include "model/tables.h"
#include "model/item.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 200

struct items {
	char *table;
	struct pager *pager;
	json_t *items;          /* array of raw items */
};

/* A short one-line preview of an attribute value. */
static void preview(const json_t *av, char *buf, size_t len)
{
	const char *t = ddb_av_type(av);
	const json_t *v = t ? json_object_get(av, t) : NULL;
	if (!t)
		snprintf(buf, len, "?");
	else if (!strcmp(t, "S") || !strcmp(t, "N"))
		snprintf(buf, len, "%s", json_string_value(v) ? json_string_value(v) : "");
	else if (!strcmp(t, "BOOL"))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else if (!strcmp(t, "NULL"))
		snprintf(buf, len, "NULL");
	else if (!strcmp(t, "M"))
		snprintf(buf, len, "{%zu}", json_object_size(v));
	else if (!strcmp(t, "L") || !strcmp(t, "SS") || !strcmp(t, "NS") || !strcmp(t, "BS"))
		snprintf(buf, len, "[%zu]", json_array_size(v));
	else
		snprintf(buf, len, "<%s>", t);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void items_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct items *it = v->priv;
	const json_t *item = json_array_get(it->items, i);
	size_t used = 0;
	buf[0] = '\0';
	/* key-like attributes first, then the rest in name order */
	static const char *const first[] = {"PK", "SK", "id", "parent_id", NULL};
	for (int k = 0; first[k]; k++) {
		const json_t *av = json_object_get(item, first[k]);
		if (!av)
			continue;
		char pv[256];
		preview(av, pv, sizeof pv);
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? "  " : "", pv);
		if (used >= len)
			return;
	}
	/* the other attributes in name order: servers return them in any order */
	size_t nk = json_object_size(item), k = 0;
	const char **keys = malloc((nk ? nk : 1) * sizeof *keys);
	if (!keys)
		return;
	const char *key;
	json_t *av;
	json_object_foreach((json_t *)item, key, av)
		keys[k++] = key;
	qsort(keys, k, sizeof *keys, cmp_str);
	for (size_t j = 0; j < k && used < len; j++) {
		bool skip = false;
		for (int f = 0; first[f]; f++)
			skip |= !strcmp(keys[j], first[f]);
		if (skip)
			continue;
		char pv[128];
		preview(json_object_get(item, keys[j]), pv, sizeof pv);
		used += (size_t)snprintf(buf + used, len - used, "  %s=%s", keys[j], pv);
	}
	free(keys);
	*role = ROLE_NORMAL;
}

static void page_loaded(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct view *v = ud;
	struct items *it = v->priv;
	v->loading = false;
	if (err) {
		view_set_ddb_error(v, it->table, err);
		v->more_available = !pager_done(p);
		return;
	}
	json_array_extend(it->items, (json_t *)items);
	v->more_available = !pager_done(p);
	snprintf(v->progress, sizeof v->progress, "%ld items, %ld page%s%s", pager_items(p),
	         pager_pages(p), pager_pages(p) == 1 ? "" : "s", v->more_available ? ", more" : "");
	view_set_rows(v, json_array_size(it->items));
}

static void items_more(struct view *v)
{
	struct items *it = v->priv;
	if (pager_next(it->pager, page_loaded, v))
		v->loading = true;
}

static void items_reload(struct view *v)
{
	struct items *it = v->priv;
	pager_free(it->pager);
	json_array_clear(it->items);
	it->pager = tables_scan_pager(v->ui->s, it->table, PAGE, 0, 1);
	v->cursor = v->top = 0;
	v->loading = false;
	view_set_rows(v, 0);
	items_more(v);
}

static void items_cancel(struct view *v)
{
	struct items *it = v->priv;
	pager_cancel(it->pager);
}

static const json_t *items_item(struct view *v, size_t i)
{
	struct items *it = v->priv;
	return json_array_get(it->items, i);
}

/* For y: the partition key of a generic item, as the usual names go (the
 * key schema is not read for a raw table). */
static const char *items_id(struct view *v, size_t i)
{
	struct items *it = v->priv;
	const json_t *item = json_array_get(it->items, i);
	const char *id = ddb_item_s(item, "PK");
	return id ? id : ddb_item_s(item, "id");
}

static void items_destroy(struct view *v)
{
	struct items *it = v->priv;
	pager_free(it->pager);
	json_decref(it->items);
	free(it->table);
	free(it);
}

static const struct view_ops items_ops = {
	.name = "items",
	.row = items_row,
	.more = items_more,
	.reload = items_reload,
	.cancel = items_cancel,
	.item = items_item,
	.id = items_id,
	.destroy = items_destroy,
};

struct view *items_view_new(struct ui *ui, const char *table)
{
	struct items *it = calloc(1, sizeof *it);
	if (!it)
		abort();
	it->table = strdup(table);
	it->items = json_array();
	struct view *v = view_new(ui, &items_ops, it, "items of %s (Scan)", table);
	items_reload(v);
	return v;
}
