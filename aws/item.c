/* aws/item.c: attribute values and expression placeholders (see ddb.h). */
#include "ddconfig.h"

#include "aws/ddb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *av1(const char *tag, json_t *v)
{
	json_t *o = json_object();
	json_object_set_new(o, tag, v);
	return o;
}

json_t *ddb_av_s(const char *s)
{
	return av1("S", json_string(s ? s : ""));
}

json_t *ddb_av_n(const char *n)
{
	return av1("N", json_string(n));
}

json_t *ddb_av_bool(bool b)
{
	return av1("BOOL", json_boolean(b));
}

json_t *ddb_av_null(void)
{
	return av1("NULL", json_true());
}

const char *ddb_av_type(const json_t *av)
{
	static const char *const tags[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
	if (!json_is_object(av) || json_object_size(av) != 1)
		return NULL;
	const char *key = json_object_iter_key(json_object_iter((json_t *)av));
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (!strcmp(key, tags[i]))
			return tags[i];
	return NULL;
}

const char *ddb_av_get_s(const json_t *av)
{
	const char *t = ddb_av_type(av);
	if (!t || strcmp(t, "S"))
		return NULL;
	return json_string_value(json_object_get(av, "S"));
}

const char *ddb_av_get_n(const json_t *av)
{
	const char *t = ddb_av_type(av);
	if (!t || strcmp(t, "N"))
		return NULL;
	return json_string_value(json_object_get(av, "N"));
}

const char *ddb_item_s(const json_t *item, const char *name)
{
	return ddb_av_get_s(json_object_get(item, name));
}

/* ---- expressions --------------------------------------------------------- */

void ddb_expr_init(struct ddb_expr *e)
{
	e->names = json_object();
	e->values = json_object();
	e->n_names = e->n_values = 0;
}

const char *ddb_expr_name(struct ddb_expr *e, const char *attr)
{
	const char *k;
	json_t *v;
	json_object_foreach(e->names, k, v)
		if (!strcmp(json_string_value(v), attr))
			return k;
	char ph[24];
	snprintf(ph, sizeof ph, "#n%d", e->n_names++);
	json_object_set_new(e->names, ph, json_string(attr));
	/* jansson keeps each key in its own allocation for the object's life,
	 * so the key pointer stays valid while e->names lives. */
	return json_object_iter_key(json_object_iter_at(e->names, ph));
}

const char *ddb_expr_value(struct ddb_expr *e, json_t *av)
{
	char ph[24];
	snprintf(ph, sizeof ph, ":v%d", e->n_values++);
	json_object_set_new(e->values, ph, av);
	return json_object_iter_key(json_object_iter_at(e->values, ph));
}

void ddb_expr_apply(struct ddb_expr *e, json_t *req)
{
	if (json_object_size(e->names))
		json_object_set(req, "ExpressionAttributeNames", e->names);
	if (json_object_size(e->values))
		json_object_set(req, "ExpressionAttributeValues", e->values);
}

void ddb_expr_free(struct ddb_expr *e)
{
	json_decref(e->names);
	json_decref(e->values);
	e->names = e->values = NULL;
}
