/* model/item.c: forgiving attribute readers and the problem list. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/item.h"
#include "model/jsontext.h"
#include "aws/ddb.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void problems_add(struct problems *p, const char *attr, const char *fmt, ...)
{
	struct problem *v = util_xrealloc(p->v, (p->n + 1) * sizeof *v);
	p->v = v;
	va_list ap;
	va_start(ap, fmt);
	char *text = util_vfmt(fmt, ap);
	va_end(ap);
	v[p->n].attr = attr ? util_xstrdup(attr) : NULL;
	v[p->n].text = text;
	p->n++;
}

void problems_free(struct problems *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].attr);
		free(p->v[i].text);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

char *problems_join(const struct problems *p)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return util_xstrdup("");
	for (size_t i = 0; i < p->n; i++)
		fprintf(f, "%s%s%s%s", i ? "; " : "", p->v[i].attr ? p->v[i].attr : "",
		        p->v[i].attr ? ": " : "", p->v[i].text ? p->v[i].text : "");
	fclose(f);
	return out;
}

json_t *problems_to_json(const struct problems *a, const struct problems *b)
{
	json_t *arr = json_array();
	const struct problems *lists[2] = {a, b};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; lists[k] && i < lists[k]->n; i++) {
			const struct problem *x = &lists[k]->v[i];
			char *line = util_xasprintf("%s%s%s", x->attr ? x->attr : "", x->attr ? ": " : "",
			                            x->text ? x->text : "");
			json_array_append_new(arr, json_string(line));
			free(line);
		}
	return arr;
}

/* The value of a typed attribute, or NULL; reports missing/mistyped. */
static const json_t *typed(const json_t *item, const char *name, const char *want,
                           bool required, struct problems *p)
{
	const json_t *av = json_object_get(item, name);
	if (!av) {
		if (required && p)
			problems_add(p, name, "missing");
		return NULL;
	}
	const char *t = ddb_av_type(av);
	if (!t) {
		if (p)
			problems_add(p, name, "malformed attribute value");
		return NULL;
	}
	if (!strcmp(t, want)) {
		const json_t *v = json_object_get(av, want);
		bool ok = !strcmp(want, "BOOL") ? json_is_boolean(v)
		        : !strcmp(want, "M") ? json_is_object(v)
		        : !strcmp(want, "L") ? json_is_array(v) : json_is_string(v);
		if (!ok) {
			if (p)
				problems_add(p, name, "malformed %s value", want);
			return NULL;
		}
		return v;
	}
	if (!strcmp(t, "NULL")) {
		if (required && p)
			problems_add(p, name, "is NULL, expected %s", want);
		return NULL;
	}
	if (p)
		problems_add(p, name, "is %s, expected %s", t, want);
	return NULL;
}

const char *item_req_s(const json_t *item, const char *name, struct problems *p)
{
	return json_string_value(typed(item, name, "S", true, p));
}

const char *item_opt_s(const json_t *item, const char *name, struct problems *p)
{
	return json_string_value(typed(item, name, "S", false, p));
}

const char *item_req_n(const json_t *item, const char *name, struct problems *p)
{
	return json_string_value(typed(item, name, "N", true, p));
}

const char *item_opt_n(const json_t *item, const char *name, struct problems *p)
{
	return json_string_value(typed(item, name, "N", false, p));
}

int item_opt_bool(const json_t *item, const char *name, struct problems *p)
{
	const json_t *v = typed(item, name, "BOOL", false, p);
	if (!v)
		return -1;
	return json_is_true(v) ? 1 : 0;
}

const json_t *item_opt_m(const json_t *item, const char *name, struct problems *p)
{
	const json_t *v = typed(item, name, "M", false, p);
	return json_is_object(v) ? v : NULL;
}

const json_t *item_opt_l(const json_t *item, const char *name, struct problems *p)
{
	const json_t *v = typed(item, name, "L", false, p);
	return json_is_array(v) ? v : NULL;
}

bool item_n_to_ll(const char *n, long long *out)
{
	if (!n || !((*n >= '0' && *n <= '9') || *n == '-' || *n == '+'))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(n, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* N: an exact number (model/jsontext.h) with the stored digits, whatever
 * its size; a text that is no decimal number stays a string. */
static json_t *plain_number(const char *n)
{
	json_t *v = jsontext_number(n);
	return v ? v : json_string(n);
}

json_t *item_to_plain(const json_t *av)
{
	const char *t = ddb_av_type(av);
	if (!t)
		return json_incref((json_t *)av);   /* not an attribute value: as is */
	const json_t *v = json_object_get(av, t);
	if (!strcmp(t, "S") || !strcmp(t, "B") || !strcmp(t, "BOOL"))
		return json_incref((json_t *)v);
	if (!strcmp(t, "NULL"))
		return json_null();
	if (!strcmp(t, "N"))
		return json_is_string(v) ? plain_number(json_string_value(v)) : json_incref((json_t *)v);
	if (!strcmp(t, "M")) {
		json_t *o = json_object();
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x)
			json_object_set_new(o, k, item_to_plain(x));
		return o;
	}
	if (!strcmp(t, "L")) {
		json_t *a = json_array();
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			json_array_append_new(a, item_to_plain(x));
		return a;
	}
	/* SS, NS, BS */
	json_t *a = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
		json_array_append_new(a, !strcmp(t, "NS") && json_is_string(x)
		                             ? plain_number(json_string_value(x))
		                             : json_incref(x));
	return a;
}
