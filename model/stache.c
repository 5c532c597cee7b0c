/* model/stache.c: Stache AI entities, keys, repositories and the namespace
 * tree (see stache.h; the layouts are SCHEMAS.md Part A). */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/jsontext.h"
#include "model/stache.h"
#include "model/tables.h"
#include "model/timefmt.h"
#include "aws/ddb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- small helpers ---------------------------------------------------------- */

static const char *json_kind(const json_t *v)
{
	if (jsontext_number_text(v))
		return "a number";
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* ---- kinds and statuses ------------------------------------------------------ */

static const struct {
	const char *name, *sk;
} row_kinds[] = {
#define STACHE_X_ROW(id, name, sk) {name, sk},
	STACHE_ROW_KINDS(STACHE_X_ROW)
#undef STACHE_X_ROW
};

const char *stache_row_kind_name(enum stache_row_kind k)
{
	return (size_t)k < sizeof row_kinds / sizeof row_kinds[0] ? row_kinds[k].name : "?";
}

static const char *const status_texts[] = {
#define STACHE_X_ST(id, text) text,
	STACHE_STATUSES(STACHE_X_ST)
#undef STACHE_X_ST
};

const char *stache_status_name(enum stache_status st)
{
	if (st == STACHE_ST_NONE || (size_t)st >= sizeof status_texts / sizeof status_texts[0])
		return "";
	return status_texts[st];
}

static enum stache_status status_from_text(const char *t)
{
	if (!t)
		return STACHE_ST_LEGACY;
	for (size_t i = STACHE_ST_ACTIVE; i < STACHE_ST_OTHER; i++)
		if (!strcmp(t, status_texts[i]))
			return (enum stache_status)i;
	return STACHE_ST_OTHER;
}

/* ---- keys ------------------------------------------------------------------- */

char *stache_key_escape(const char *s)
{
	if (!s)
		s = "";
	size_t extra = 0;
	for (const char *c = s; *c; c++)
		if (*c == '%' || *c == '#')
			extra += 2;
	char *out = util_xcalloc(strlen(s) + extra + 1, 1), *o = out;
	/* one pass gives the same result as "% first, then #" */
	for (const char *c = s; *c; c++) {
		if (*c == '%') {
			memcpy(o, "%25", 3);
			o += 3;
		} else if (*c == '#') {
			memcpy(o, "%23", 3);
			o += 3;
		} else {
			*o++ = *c;
		}
	}
	*o = '\0';
	return out;
}

static const char *ns_key_value(const char *ns)
{
	return ns ? ns : "None";   /* what Python's f-string made of None */
}

char *stache_key_doc_pk(const char *ns, const char *doc_id)
{
	char *e = stache_key_escape(ns_key_value(ns));
	char *k = util_xasprintf("DOC#%s#%s", e, doc_id ? doc_id : "");
	free(e);
	return k;
}

char *stache_key_ns_gsi1pk(const char *ns)
{
	char *e = stache_key_escape(ns_key_value(ns));
	char *k = util_xasprintf("NAMESPACE#%s", e);
	free(e);
	return k;
}

char *stache_key_file_gsi2pk(const char *ns, const char *name)
{
	char *e = stache_key_escape(ns_key_value(ns)), *f = stache_key_escape(name);
	char *k = util_xasprintf("FILENAME#%s#%s", e, f);
	free(e);
	free(f);
	return k;
}

char *stache_key_ns_gsi1pk_raw(const char *ns)
{
	return util_xasprintf("NAMESPACE#%s", ns_key_value(ns));
}

char *stache_key_file_gsi2pk_raw(const char *ns, const char *name)
{
	return util_xasprintf("FILENAME#%s#%s", ns_key_value(ns), name ? name : "");
}

json_t *stache_item_key(const json_t *item)
{
	/* a row may carry an "id" of its own (reservations spread caller
	 * metadata into top-level attributes), so PK decides the table */
	static const char *const row_key[] = {"PK", "SK", NULL}, *const ns_key[] = {"id", NULL};
	const char *const *names = json_object_get(item, "PK") ? row_key : ns_key;
	json_t *k = json_object();
	for (; *names; names++) {
		json_t *v = json_object_get(item, *names);
		if (v)
			json_object_set_new(k, *names, json_deep_copy(v));
	}
	return k;
}

/* ---- json.dumps ------------------------------------------------------------- */

char *stache_json_dumps(const json_t *v)
{
	return jsontext_dumps(v, JT_PYTHON);
}

/* ---- namespaces ---------------------------------------------------------------- */

static json_t *parse_json_text(const char *text, const char *attr, struct problems *p)
{
	json_error_t e;
	/* numbers exact: shown as stored, and Python reads any integer */
	json_t *v = jsontext_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (!v)
		problems_add(p, attr, "not valid JSON text: %s (column %d)", e.text, e.column);
	return v;
}

static void check_time(const char *attr, const char *v, struct problems *p, int64_t *us,
                       bool *ok)
{
	int64_t t = 0;
	bool good = v && time_parse(v, &t);
	if (v && !good)
		problems_add(p, attr, "not a timestamp: \"%s\"", v);
	if (us)
		*us = t;
	if (ok)
		*ok = good;
}

void stache_ns_decode(const json_t *item, struct stache_ns *o)
{
	memset(o, 0, sizeof *o);
	o->raw = json_incref((json_t *)item);
	o->description = "";
	struct problems *p = &o->problems;
	if (!json_is_object(item)) {
		problems_add(p, NULL, "not an item");
		return;
	}
	o->id = item_req_s(item, "id", p);
	o->name = item_req_s(item, "name", p);
	const char *d = item_opt_s(item, "description", p);
	if (d)
		o->description = d;
	o->parent_id = item_req_s(item, "parent_id", p);
	if (o->parent_id && !*o->parent_id)
		problems_add(p, "parent_id", "empty (a top-level namespace has \"" STACHE_ROOT_PARENT "\")");
	o->is_root = o->parent_id && !strcmp(o->parent_id, STACHE_ROOT_PARENT);

	o->metadata_text = item_opt_s(item, "metadata", p);
	if (o->metadata_text) {
		json_t *v = parse_json_text(o->metadata_text, "metadata", p);
		if (v && !json_is_object(v)) {
			problems_add(p, "metadata", "JSON text holds %s, expected an object", json_kind(v));
			json_decref(v);
			v = NULL;
		}
		o->metadata = v;
	}
	o->filter_keys_text = item_opt_s(item, "filter_keys", p);
	if (o->filter_keys_text) {
		json_t *v = parse_json_text(o->filter_keys_text, "filter_keys", p);
		if (v && !json_is_array(v)) {
			problems_add(p, "filter_keys", "JSON text holds %s, expected an array",
			             json_kind(v));
			json_decref(v);
			v = NULL;
		}
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			if (!jsontext_is_string(x)) {
				problems_add(p, "filter_keys", "element %zu is %s, expected a string", i,
				             json_kind(x));
				break;
			}
		}
		o->filter_keys = v;
	}
	o->created_at = item_req_s(item, "created_at", p);
	check_time("created_at", o->created_at, p, &o->created_us, &o->created_ok);
	o->updated_at = item_req_s(item, "updated_at", p);
	check_time("updated_at", o->updated_at, p, NULL, NULL);
}

void stache_ns_clear(struct stache_ns *ns)
{
	json_decref(ns->raw);
	json_decref(ns->metadata);
	json_decref(ns->filter_keys);
	problems_free(&ns->problems);
	memset(ns, 0, sizeof *ns);
}

void stache_ns_list_add_items(struct stache_ns_list *l, const json_t *items)
{
	size_t n = json_array_size(items);
	if (!n)
		return;
	l->v = util_xrealloc(l->v, (l->n + n) * sizeof *l->v);
	for (size_t i = 0; i < n; i++)
		stache_ns_decode(json_array_get(items, i), &l->v[l->n++]);
}

void stache_ns_list_free(struct stache_ns_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		stache_ns_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

int stache_ns_cmp_name(const struct stache_ns *a, const struct stache_ns *b)
{
	const char *na = a->name ? a->name : a->id, *nb = b->name ? b->name : b->id;
	int c = (na && nb) ? strcasecmp(na, nb) : 0;
	if (!c)
		c = strcmp_null(na, nb);
	if (!c)
		c = strcmp_null(a->id, b->id);
	return c;
}

/* ---- document-table rows ----------------------------------------------------- */

/* An S that may also be NULL (deleted_by, a legacy namespace). */
static const char *s_or_null(const json_t *item, const char *name, bool required,
                             bool *is_null, struct problems *p)
{
	const char *t = ddb_av_type(json_object_get(item, name));
	if (t && !strcmp(t, "NULL")) {
		if (is_null)
			*is_null = true;
		return NULL;
	}
	return required ? item_req_s(item, name, p) : item_opt_s(item, name, p);
}

/* An integer N, or -1. */
static long long n_int(const json_t *item, const char *name, bool required, struct problems *p)
{
	const char *n = required ? item_req_n(item, name, p) : item_opt_n(item, name, p);
	long long v;
	if (!n)
		return -1;
	if (!item_n_to_ll(n, &v)) {
		problems_add(p, name, "not an integer: %s", n);
		return -1;
	}
	return v;
}

/* Length of an L whose elements must all be S, or -1 when absent. */
static long long list_of_s(const json_t *item, const char *name, struct problems *p)
{
	const json_t *l = item_opt_l(item, name, p);
	if (!l)
		return -1;
	size_t i;
	json_t *x;
	json_array_foreach(l, i, x) {
		const char *t = ddb_av_type(x);
		if (!t || strcmp(t, "S")) {
			problems_add(p, name, "element %zu is %s, expected S", i, t ? t : "malformed");
			break;
		}
	}
	return (long long)json_array_size(l);
}

static void set_when(struct stache_row *r, const char *attr, const char *v)
{
	r->when = v;
	check_time(attr, v, &r->problems, &r->when_us, &r->when_ok);
}

static void require_for_status(struct stache_row *r, const char *const *attrs)
{
	for (; *attrs; attrs++)
		if (!json_object_get(r->raw, *attrs))
			problems_add(&r->problems, *attrs, "missing (status %s)", r->status_text);
}

static void decode_document(const json_t *it, struct stache_row *r)
{
	struct problems *p = &r->problems;
	static const char *const gsi[] = {"GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"};
	for (size_t i = 0; i < 4; i++)
		item_req_s(it, gsi[i], p);
	r->doc_id = item_req_s(it, "doc_id", p);
	r->namespace_ = s_or_null(it, "namespace", true, &r->namespace_null, p);
	r->filename = item_req_s(it, "filename", p);
	r->created_at = item_req_s(it, "created_at", p);
	set_when(r, "created_at", r->created_at);
	r->chunk_count = n_int(it, "chunk_count", true, p);
	r->n_chunk_ids = list_of_s(it, "chunk_ids", p);
	r->status_text = item_opt_s(it, "status", p);
	r->status = status_from_text(r->status_text);
	if (r->status == STACHE_ST_OTHER)
		problems_add(p, "status", "unknown status \"%s\"", r->status_text);
	if (r->n_chunk_ids < 0 && r->status != STACHE_ST_PURGED && json_object_get(it, "chunk_ids") == NULL)
		problems_add(p, "chunk_ids", "missing (only a purged document has none)");
	r->source_path = item_opt_s(it, "source_path", p);
	r->content_hash = item_opt_s(it, "content_hash", p);
	r->summary = item_opt_s(it, "summary", p);
	r->file_type = item_opt_s(it, "file_type", p);
	r->content_type = item_opt_s(it, "content_type", p);
	r->file_size = n_int(it, "file_size", false, p);
	r->metadata = item_opt_m(it, "metadata", p);
	list_of_s(it, "headings", p);
	static const char *const opt_s[] = {
		"summary_embedding_id", "blob_key", "text_blob_key", "delete_reason",
		"restored_at", "restored_by", "purge_started_at", "purge_completed_at", NULL};
	for (const char *const *a = opt_s; *a; a++)
		item_opt_s(it, *a, p);
	r->deleted_at = item_opt_s(it, "deleted_at", p);
	check_time("deleted_at", r->deleted_at, p, NULL, NULL);
	r->purge_after = item_opt_s(it, "purge_after", p);
	r->deleted_by = item_opt_s(it, "deleted_by", p);
	r->cleanup_job_id = item_opt_s(it, "cleanup_job_id", p);
	static const char *const when_deleted[] = {"deleted_at", "purge_after", NULL};
	static const char *const when_purging[] = {"purge_started_at", "cleanup_job_id", NULL};
	static const char *const when_purged[] = {"purge_completed_at", NULL};
	if (r->status == STACHE_ST_DELETING || r->status == STACHE_ST_PURGING ||
	    r->status == STACHE_ST_PURGED)
		require_for_status(r, when_deleted);
	if (r->status == STACHE_ST_PURGING)
		require_for_status(r, when_purging);
	if (r->status == STACHE_ST_PURGED)
		require_for_status(r, when_purged);
}

static void decode_trash(const json_t *it, struct stache_row *r)
{
	struct problems *p = &r->problems;
	r->doc_id = item_req_s(it, "doc_id", p);
	r->namespace_ = s_or_null(it, "namespace", true, &r->namespace_null, p);
	r->filename = item_req_s(it, "filename", p);
	r->deleted_at = item_req_s(it, "deleted_at", p);
	set_when(r, "deleted_at", r->deleted_at);
	r->deleted_at_ms = n_int(it, "deleted_at_ms", true, p);
	r->deleted_by = s_or_null(it, "deleted_by", true, NULL, p);
	item_req_s(it, "delete_reason", p);
	r->chunk_count = n_int(it, "chunk_count", true, p);
	r->purge_after = item_req_s(it, "purge_after", p);
	item_req_s(it, "GSI1PK", p);
	item_req_s(it, "GSI1SK", p);
}

static void decode_reservation(const json_t *it, struct stache_row *r)
{
	struct problems *p = &r->problems;
	r->identifier_type = item_req_s(it, "identifier_type", p);
	if (r->identifier_type && !strcmp(r->identifier_type, "source_path"))
		r->kind = STACHE_ROW_RES_SOURCE;
	else if (r->identifier_type && !strcmp(r->identifier_type, "fingerprint"))
		r->kind = STACHE_ROW_RES_HASH;
	else {
		if (r->identifier_type)
			problems_add(p, "identifier_type", "unknown type \"%s\"", r->identifier_type);
		r->kind = r->pk && !strncmp(r->pk, "SOURCE#", 7) ? STACHE_ROW_RES_SOURCE
		                                                 : STACHE_ROW_RES_HASH;
	}
	r->doc_id = item_req_s(it, "doc_id", p);
	r->namespace_ = s_or_null(it, "namespace", true, &r->namespace_null, p);
	r->content_hash = item_req_s(it, "content_hash", p);
	r->filename = item_req_s(it, "filename", p);
	const char *at = item_req_s(it, "reserved_at", p);
	set_when(r, "reserved_at", at);
	r->status_text = item_opt_s(it, "status", p);
	if (r->status_text && strcmp(r->status_text, "pending") && strcmp(r->status_text, "complete"))
		problems_add(p, "status", "unknown status \"%s\"", r->status_text);
	if (r->kind == STACHE_ROW_RES_SOURCE)
		r->source_path = item_req_s(it, "source_path", p);
	else
		r->source_path = item_opt_s(it, "source_path", p);
	r->file_size = n_int(it, "file_size", false, p);
	r->chunk_count = n_int(it, "chunk_count", false, p);
	item_opt_s(it, "file_modified_at", p);
	item_opt_s(it, "ingested_at", p);
}

static void decode_cleanup(const json_t *it, struct stache_row *r)
{
	struct problems *p = &r->problems;
	r->cleanup_job_id = item_req_s(it, "cleanup_job_id", p);
	r->doc_id = item_req_s(it, "doc_id", p);
	r->namespace_ = s_or_null(it, "namespace", true, &r->namespace_null, p);
	r->filename = item_req_s(it, "filename", p);
	r->deleted_at_ms = n_int(it, "deleted_at_ms", true, p);
	r->n_chunk_ids = list_of_s(it, "chunk_ids", p);
	if (r->n_chunk_ids < 0 && !json_object_get(it, "chunk_ids"))
		problems_add(p, "chunk_ids", "missing");
	r->created_at = item_req_s(it, "created_at", p);
	set_when(r, "created_at", r->created_at);
	r->deleted_by = s_or_null(it, "deleted_by", false, NULL, p);
	r->status_text = item_req_s(it, "status", p);
	n_int(it, "retry_count", true, p);
	n_int(it, "max_retries", true, p);
	r->last_error = item_opt_s(it, "last_error", p);
}

/* The stored key `attr` must equal one of the candidates: pairs of
 * (escaped, raw) forms; a match on a raw form that differs from its
 * escaped form marks the row as keyed the pre-0.2.0 way. */
static void key_expect(struct stache_row *r, const char *attr, char *const *esc,
                       char *const *raw, size_t n)
{
	const char *have = ddb_item_s(r->raw, attr);
	if (!have)
		return;   /* missing or mistyped: already a problem */
	for (size_t i = 0; i < n; i++)
		if (esc[i] && !strcmp(have, esc[i]))
			return;
	for (size_t i = 0; i < n; i++)
		if (raw && raw[i] && !strcmp(have, raw[i])) {
			if (strcmp(raw[i], esc[i]))
				r->legacy_keys = true;
			return;
		}
	problems_add(&r->key_problems, attr, "is \"%s\", expected \"%s\"", have, esc[0]);
}

static void key_expect1(struct stache_row *r, const char *attr, char *esc, char *raw)
{
	key_expect(r, attr, &esc, raw ? &raw : NULL, 1);
	free(esc);
	free(raw);
}

static void no_gsi_keys(struct stache_row *r, bool gsi1_ok)
{
	static const char *const gsi[] = {"GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"};
	for (size_t i = gsi1_ok ? 2 : 0; i < 4; i++)
		if (json_object_get(r->raw, gsi[i]))
			problems_add(&r->key_problems, gsi[i], "present on a %s row",
			             stache_row_kind_name(r->kind));
}

static void check_keys(struct stache_row *r)
{
	bool have_ns = r->namespace_ || r->namespace_null;
	const char *ns = ns_key_value(r->namespace_);
	char *ens = stache_key_escape(ns);
	switch (r->kind) {
	case STACHE_ROW_DOCUMENT: {
		if (have_ns && r->doc_id)
			key_expect1(r, "PK", util_xasprintf("DOC#%s#%s", ens, r->doc_id),
			            util_xasprintf("DOC#%s#%s", ns, r->doc_id));
		if (have_ns)
			key_expect1(r, "GSI1PK", stache_key_ns_gsi1pk(ns), stache_key_ns_gsi1pk_raw(ns));
		if (r->created_at) {
			key_expect1(r, "GSI1SK", util_xasprintf("CREATED#%s", r->created_at), NULL);
			key_expect1(r, "GSI2SK", util_xasprintf("CREATED#%s", r->created_at), NULL);
		}
		if (have_ns && (r->source_path || r->filename)) {
			/* 0.1.3+ files a document under its source path; older rows and
			 * renames file it under the filename */
			char *esc[2] = {NULL, NULL}, *raw[2] = {NULL, NULL};
			size_t n = 0;
			if (r->source_path) {
				esc[n] = stache_key_file_gsi2pk(ns, r->source_path);
				raw[n++] = stache_key_file_gsi2pk_raw(ns, r->source_path);
			}
			if (r->filename) {
				esc[n] = stache_key_file_gsi2pk(ns, r->filename);
				raw[n++] = stache_key_file_gsi2pk_raw(ns, r->filename);
			}
			key_expect(r, "GSI2PK", esc, raw, n);
			for (size_t i = 0; i < n; i++) {
				free(esc[i]);
				free(raw[i]);
			}
		}
		break;
	}
	case STACHE_ROW_TRASH: {
		if (have_ns && r->filename && r->deleted_at_ms >= 0) {
			char *ef = stache_key_escape(r->filename);
			key_expect1(r, "PK", util_xasprintf("TRASH#%s#%s#%lld", ens, ef, r->deleted_at_ms),
			            util_xasprintf("TRASH#%s#%s#%lld", ns, r->filename, r->deleted_at_ms));
			free(ef);
		}
		key_expect1(r, "GSI1PK", util_xstrdup("TRASH"), NULL);
		if (r->deleted_at)
			key_expect1(r, "GSI1SK", util_xstrdup(r->deleted_at), NULL);
		no_gsi_keys(r, true);
		break;
	}
	case STACHE_ROW_RES_SOURCE:
		if (have_ns && r->source_path) {
			char *ep = stache_key_escape(r->source_path);
			key_expect1(r, "PK", util_xasprintf("SOURCE#%s#%s", ens, ep),
			            util_xasprintf("SOURCE#%s#%s", ns, r->source_path));
			free(ep);
		}
		no_gsi_keys(r, false);
		break;
	case STACHE_ROW_RES_HASH:
		if (have_ns && r->content_hash && r->filename) {
			char *ef = stache_key_escape(r->filename);
			key_expect1(r, "PK", util_xasprintf("HASH#%s#%s#%s", ens, r->content_hash, ef),
			            util_xasprintf("HASH#%s#%s#%s", ns, r->content_hash, r->filename));
			free(ef);
		}
		no_gsi_keys(r, false);
		break;
	case STACHE_ROW_CLEANUP:
		if (r->cleanup_job_id)
			key_expect1(r, "PK", util_xasprintf("CLEANUP#%s", r->cleanup_job_id), NULL);
		no_gsi_keys(r, false);
		break;
	case STACHE_ROW_UNKNOWN:
		break;
	}
	free(ens);
}

void stache_row_decode(const json_t *item, struct stache_row *r)
{
	memset(r, 0, sizeof *r);
	r->raw = json_incref((json_t *)item);
	r->chunk_count = r->n_chunk_ids = r->file_size = r->deleted_at_ms = -1;
	r->kind = STACHE_ROW_UNKNOWN;
	struct problems *p = &r->problems;
	if (!json_is_object(item)) {
		problems_add(p, NULL, "not an item");
		return;
	}
	r->pk = item_req_s(item, "PK", p);
	r->sk = item_req_s(item, "SK", p);
	for (size_t k = 0; r->sk && k < sizeof row_kinds / sizeof row_kinds[0]; k++)
		if (row_kinds[k].sk && !strcmp(r->sk, row_kinds[k].sk)) {
			r->kind = (enum stache_row_kind)k;
			break;
		}
	switch (r->kind) {
	case STACHE_ROW_DOCUMENT: decode_document(item, r); break;
	case STACHE_ROW_RES_SOURCE:
	case STACHE_ROW_RES_HASH: decode_reservation(item, r); break;
	case STACHE_ROW_TRASH: decode_trash(item, r); break;
	case STACHE_ROW_CLEANUP: decode_cleanup(item, r); break;
	case STACHE_ROW_UNKNOWN:
		if (r->sk)
			problems_add(p, "SK", "\"%s\" is none of METADATA, RESERVATION, ENTRY, JOB", r->sk);
		/* still show what it seems to be about */
		r->doc_id = ddb_item_s(item, "doc_id");
		r->namespace_ = ddb_item_s(item, "namespace");
		r->filename = ddb_item_s(item, "filename");
		break;
	}
	if (r->kind != STACHE_ROW_DOCUMENT)
		r->status = STACHE_ST_NONE;
	check_keys(r);
}

void stache_row_clear(struct stache_row *r)
{
	json_decref(r->raw);
	problems_free(&r->problems);
	problems_free(&r->key_problems);
	memset(r, 0, sizeof *r);
}

void stache_row_list_add_items(struct stache_row_list *l, const json_t *items)
{
	size_t n = json_array_size(items);
	if (!n)
		return;
	l->v = util_xrealloc(l->v, (l->n + n) * sizeof *l->v);
	for (size_t i = 0; i < n; i++)
		stache_row_decode(json_array_get(items, i), &l->v[l->n++]);
}

void stache_row_list_free(struct stache_row_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		stache_row_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int stache_row_cmp_newest(const struct stache_row *x, const struct stache_row *y)
{
	if (x->when_ok != y->when_ok)
		return x->when_ok ? -1 : 1;
	if (x->when_ok && x->when_us != y->when_us)
		return x->when_us > y->when_us ? -1 : 1;
	int c = strcmp_null(y->when, x->when);
	if (!c)
		c = strcmp_null(x->pk, y->pk);
	if (!c)
		c = strcmp_null(x->sk, y->sk);
	return c;
}

static int row_cmp_newest(const void *a, const void *b)
{
	return stache_row_cmp_newest(a, b);
}

void stache_rows_sort_newest(struct stache_row *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, row_cmp_newest);
}

/* ---- repositories --------------------------------------------------------------- */

static void set_limit(json_t *req, int limit)
{
	if (limit > 0)
		json_object_set_new(req, "Limit", json_integer(limit));
}

/* Query `index` of `table` for key attribute = value. */
static struct pager *query_eq(struct session *s, const char *table, const char *index,
                              const char *attr, const char *value, bool forward, int limit)
{
	if (!table)
		return NULL;
	struct ddb_expr e;
	ddb_expr_init(&e);
	const char *n = ddb_expr_name(&e, attr);
	char *kce = util_xasprintf("%s = %s", n, ddb_expr_value(&e, ddb_av_s(value)));
	json_t *req = json_pack("{s:s,s:s}", "TableName", table, "KeyConditionExpression", kce);
	free(kce);
	if (index)
		json_object_set_new(req, "IndexName", json_string(index));
	if (!forward)
		json_object_set_new(req, "ScanIndexForward", json_false());
	set_limit(req, limit);
	ddb_expr_apply(&e, req);
	ddb_expr_free(&e);
	return pager_new(s, "Query", req);
}

static struct pager *scan(struct session *s, const char *table, struct ddb_expr *e,
                          const char *filter, int limit)
{
	json_t *req = json_pack("{s:s}", "TableName", table);
	if (filter)
		json_object_set_new(req, "FilterExpression", json_string(filter));
	set_limit(req, limit);
	if (e)
		ddb_expr_apply(e, req);
	return pager_new(s, "Scan", req);
}

struct pager *stache_ns_roots_pager(struct session *s, int limit)
{
	return stache_ns_children_pager(s, STACHE_ROOT_PARENT, limit);
}

struct pager *stache_ns_children_pager(struct session *s, const char *parent_id, int limit)
{
	return query_eq(s, s->namespace_table, "parent_id-index", "parent_id",
	                parent_id ? parent_id : STACHE_ROOT_PARENT, true, limit);
}

struct pager *stache_ns_scan_pager(struct session *s, int limit)
{
	return s->namespace_table ? scan(s, s->namespace_table, NULL, NULL, limit) : NULL;
}

struct pager *stache_docs_pager(struct session *s, const char *ns, bool raw, int limit)
{
	char *k = raw ? stache_key_ns_gsi1pk_raw(ns) : stache_key_ns_gsi1pk(ns);
	struct pager *p = query_eq(s, s->documents_table, "GSI1", "GSI1PK", k, false, limit);
	free(k);
	return p;
}

struct pager *stache_docs_by_name_pager(struct session *s, const char *ns, const char *name,
                                        int limit)
{
	char *k = stache_key_file_gsi2pk(ns, name);
	struct pager *p = query_eq(s, s->documents_table, "GSI2", "GSI2PK", k, true, limit);
	free(k);
	return p;
}

struct pager *stache_trash_pager(struct session *s, int limit)
{
	return query_eq(s, s->documents_table, "GSI1", "GSI1PK", "TRASH", false, limit);
}

/* Scan rows whose PK starts with one of the prefixes and whose SK is sk. */
static struct pager *scan_prefixed(struct session *s, const char *const *prefixes,
                                   const char *sk, int limit)
{
	if (!s->documents_table)
		return NULL;
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *f = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&f, &len);
	if (!m)
		abort();
	const char *pk = ddb_expr_name(&e, "PK");
	fputc('(', m);
	for (size_t i = 0; prefixes[i]; i++)
		fprintf(m, "%sbegins_with(%s, %s)", i ? " OR " : "", pk,
		        ddb_expr_value(&e, ddb_av_s(prefixes[i])));
	fprintf(m, ") AND %s = %s", ddb_expr_name(&e, "SK"), ddb_expr_value(&e, ddb_av_s(sk)));
	fclose(m);
	struct pager *p = scan(s, s->documents_table, &e, f, limit);
	free(f);
	ddb_expr_free(&e);
	return p;
}

struct pager *stache_reservations_pager(struct session *s, int limit)
{
	static const char *const prefixes[] = {"SOURCE#", "HASH#", NULL};
	return scan_prefixed(s, prefixes, "RESERVATION", limit);
}

struct pager *stache_cleanup_jobs_pager(struct session *s, int limit)
{
	static const char *const prefixes[] = {"CLEANUP#", NULL};
	return scan_prefixed(s, prefixes, "JOB", limit);
}

struct pager *stache_all_docs_pager(struct session *s, int limit)
{
	if (!s->documents_table)
		return NULL;
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *f = util_xasprintf("%s = %s", ddb_expr_name(&e, "SK"),
	                    ddb_expr_value(&e, ddb_av_s("METADATA")));
	struct pager *p = scan(s, s->documents_table, &e, f, limit);
	free(f);
	ddb_expr_free(&e);
	return p;
}

struct pager *stache_doc_by_id_pager(struct session *s, const char *doc_id, int limit)
{
	if (!s->documents_table || !doc_id)
		return NULL;
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *f = util_xasprintf("%s = %s AND %s = %s", ddb_expr_name(&e, "SK"),
	                    ddb_expr_value(&e, ddb_av_s("METADATA")), ddb_expr_name(&e, "doc_id"),
	                    ddb_expr_value(&e, ddb_av_s(doc_id)));
	struct pager *p = scan(s, s->documents_table, &e, f, limit);
	free(f);
	ddb_expr_free(&e);
	return p;
}

struct pager *stache_doc_by_filename_pager(struct session *s, const char *name, int limit)
{
	if (!s->documents_table || !name)
		return NULL;
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *f = util_xasprintf("%s = %s AND %s = %s", ddb_expr_name(&e, "SK"),
	                    ddb_expr_value(&e, ddb_av_s("METADATA")), ddb_expr_name(&e, "filename"),
	                    ddb_expr_value(&e, ddb_av_s(name)));
	struct pager *p = scan(s, s->documents_table, &e, f, limit);
	free(f);
	ddb_expr_free(&e);
	return p;
}

struct pager *stache_rows_scan_pager(struct session *s, int limit)
{
	return s->documents_table ? scan(s, s->documents_table, NULL, NULL, limit) : NULL;
}

struct drain_ctx {
	struct stache_ns_list *ns;
	struct stache_row_list *rows;
	stache_progress_fn progress;
	void *ud;
};

static void drain_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct drain_ctx *d = ud;
	if (err)
		return;
	if (d->ns)
		stache_ns_list_add_items(d->ns, items);
	else
		stache_row_list_add_items(d->rows, items);
	if (d->progress)
		d->progress(pager_items(p), d->ud);
}

static int no_pager(struct ddb_error *err)
{
	memset(err, 0, sizeof *err);
	err->kind = DDB_ERR_USAGE;
	err->message = util_xstrdup("no table given");
	return -1;
}

int stache_ns_drain_sync(struct pager *p, struct stache_ns_list *out,
                         stache_progress_fn progress, void *ud, struct ddb_error *err)
{
	if (!p)
		return no_pager(err);
	struct drain_ctx d = {.ns = out, .progress = progress, .ud = ud};
	return pager_drain_sync(p, 0, drain_page, &d, err);
}

int stache_rows_drain_sync(struct pager *p, struct stache_row_list *out,
                           stache_progress_fn progress, void *ud, struct ddb_error *err)
{
	if (!p)
		return no_pager(err);
	struct drain_ctx d = {.rows = out, .progress = progress, .ud = ud};
	return pager_drain_sync(p, 0, drain_page, &d, err);
}

int stache_ns_get_sync(struct session *s, const char *id, struct stache_ns *out,
                       struct ddb_error *err)
{
	memset(err, 0, sizeof *err);
	if (!s->namespace_table)
		return no_pager(err);
	json_t *req = json_pack("{s:s,s:{s:o}}", "TableName", s->namespace_table, "Key", "id",
	                        ddb_av_s(id));
	struct ddb_result *r = ddb_call_sync(s->ddb, "GetItem", req);
	int rc;
	if (r->err.kind != DDB_OK) {
		ddb_error_copy(err, &r->err);
		rc = -1;
	} else {
		json_t *item = json_object_get(r->body, "Item");
		rc = json_is_object(item) ? 1 : 0;
		if (rc)
			stache_ns_decode(item, out);
	}
	ddb_result_free(r);
	return rc;
}

/* ---- document counts ------------------------------------------------------------- */

struct count_all {
	struct session *s;
	long *counts;
	int pending;
	bool failed;
	struct ddb_error *err;
};

struct count_job {
	struct count_all *all;
	size_t i;
	json_t *req;   /* the request without ExclusiveStartKey */
};

static void count_done(struct ddb_result *r, void *ud);

static void count_submit(struct count_job *j, json_t *start)
{
	json_t *req = json_deep_copy(j->req);
	if (start)
		json_object_set(req, "ExclusiveStartKey", start);
	j->all->pending++;
	ddb_submit(j->all->s->ddb, "Query", req, count_done, j);
}

static void count_done(struct ddb_result *r, void *ud)
{
	struct count_job *j = ud;
	struct count_all *a = j->all;
	a->pending--;
	if (r->err.kind != DDB_OK) {
		if (!a->failed)
			ddb_error_copy(a->err, &r->err);
		a->failed = true;
	} else {
		json_t *c = json_object_get(r->body, "Count");
		a->counts[j->i] += json_is_integer(c) ? (long)json_integer_value(c) : 0;
		json_t *next = json_object_get(r->body, "LastEvaluatedKey");
		if (json_is_object(next) && !a->failed) {
			count_submit(j, next);
			return;
		}
	}
	json_decref(j->req);
	free(j);
}

static void count_start(struct count_all *a, size_t i, const char *key)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *kce = util_xasprintf("%s = %s", ddb_expr_name(&e, "GSI1PK"),
	                      ddb_expr_value(&e, ddb_av_s(key)));
	json_t *req = json_pack("{s:s,s:s,s:s,s:s,s:i}", "TableName", a->s->documents_table,
	                        "IndexName", "GSI1", "KeyConditionExpression", kce,
	                        "Select", "COUNT", "Limit", 1000);
	free(kce);
	ddb_expr_apply(&e, req);
	ddb_expr_free(&e);
	struct count_job *j = util_xcalloc(1, sizeof *j);
	j->all = a;
	j->i = i;
	j->req = req;
	count_submit(j, NULL);
}

int stache_count_docs_sync(struct session *s, const char *const *ids, size_t n,
                           long *counts, struct ddb_error *err)
{
	memset(err, 0, sizeof *err);
	if (!s->documents_table)
		return no_pager(err);
	struct count_all a = {.s = s, .counts = counts, .err = err};
	for (size_t i = 0; i < n; i++) {
		counts[i] = 0;
		char *k = stache_key_ns_gsi1pk(ids[i]), *raw = stache_key_ns_gsi1pk_raw(ids[i]);
		count_start(&a, i, k);
		if (strcmp(k, raw))
			count_start(&a, i, raw);
		free(k);
		free(raw);
		/* bounded work in flight: let calls finish before adding more */
		while (a.pending > 32)
			ddb_client_wait(s->ddb, 1000);
	}
	while (a.pending > 0)
		ddb_client_wait(s->ddb, 1000);
	return a.failed ? -1 : 0;
}

/* ---- tree ---------------------------------------------------------------------- */

/* Index sorting without global state: sort (entity, index) pairs. */
struct keyed {
	const struct stache_ns *ns;
	size_t i;
};

static int cmp_by_id(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->ns->id, y->ns->id);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static int cmp_by_name(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = stache_ns_cmp_name(x->ns, y->ns);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static void sort_idx(const struct stache_ns *ns, size_t *v, size_t n,
                     int (*cmp)(const void *, const void *))
{
	if (n < 2)
		return;
	struct keyed *k = util_xcalloc(n, sizeof *k);
	for (size_t j = 0; j < n; j++)
		k[j] = (struct keyed){&ns[v[j]], v[j]};
	qsort(k, n, sizeof *k, cmp);
	for (size_t j = 0; j < n; j++)
		v[j] = k[j].i;
	free(k);
}

static void idx_push(struct stache_idx_list *l, size_t i)
{
	if (!(l->n & (l->n + 1)))   /* grow at 0, 1, 3, 7, ... entries */
		l->v = util_xrealloc(l->v, (2 * l->n + 2) * sizeof *l->v);
	l->v[l->n++] = i;
}

size_t stache_tree_find(const struct stache_tree *t, const char *id)
{
	if (!id)
		return STACHE_NONE;
	size_t lo = 0, hi = t->n_by_id;   /* first entry with this id */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(t->ns[t->by_id[mid]].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n_by_id && !strcmp(t->ns[t->by_id[lo]].id, id))
		return t->by_id[lo];
	return STACHE_NONE;
}

/* Append i and everything below it to the display rows (an explicit stack,
 * so depth is unbounded). */
static void emit_subtree(struct stache_tree *t, size_t top, int depth, size_t *stack, int *depths,
                         enum stache_place place, size_t group)
{
	size_t sp = 0;
	stack[sp] = top;
	depths[sp++] = depth;
	while (sp && t->n_rows < t->n) {   /* bounded even if the links were wrong */
		sp--;
		size_t x = stack[sp];
		int d = depths[sp];
		t->rows[t->n_rows++] = (struct stache_tree_row){
			.ns = x, .depth = d, .place = place, .group = group, .on_cycle = t->on_cycle[x]};
		const struct stache_idx_list *c = &t->children[x];
		for (size_t k = c->n; k-- > 0 && sp < t->n;) {
			stack[sp] = c->v[k];
			depths[sp++] = d + 1;
		}
	}
}

void stache_tree_build(const struct stache_ns *ns, size_t n, struct stache_tree *t)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	t->ns = ns;
	t->parent = util_xcalloc(n, sizeof *t->parent);
	t->place = util_xcalloc(n, sizeof *t->place);
	t->on_cycle = util_xcalloc(n, sizeof *t->on_cycle);
	t->children = util_xcalloc(n, sizeof *t->children);
	t->rows = util_xcalloc(n, sizeof *t->rows);
	t->by_id = util_xcalloc(n, sizeof *t->by_id);
	for (size_t i = 0; i < n; i++)
		if (ns[i].id)
			t->by_id[t->n_by_id++] = i;
	sort_idx(ns, t->by_id, t->n_by_id, cmp_by_id);

	for (size_t i = 0; i < n; i++)
		t->parent[i] = ns[i].is_root ? STACHE_NONE : stache_tree_find(t, ns[i].parent_id);

	/* Follow parent links from each unvisited namespace; the path ends at a
	 * top (root or orphan), at a namespace already placed, or on itself (a
	 * cycle).  Every namespace is on one path only: O(n). */
	enum { UNSEEN, ON_PATH, PLACED };
	unsigned char *state = util_xcalloc(n, 1);
	size_t *group = util_xcalloc(n, sizeof *group);
	size_t *path = util_xcalloc(n, sizeof *path);
	for (size_t i = 0; i < n; i++) {
		if (state[i] != UNSEEN)
			continue;
		size_t len = 0, j = i;
		while (j != STACHE_NONE && state[j] == UNSEEN) {
			state[j] = ON_PATH;
			path[len++] = j;
			j = t->parent[j];
		}
		enum stache_place place;
		size_t g;
		if (j == STACHE_NONE) {
			size_t top = path[len - 1];
			place = ns[top].is_root ? STACHE_IN_TREE : STACHE_IN_ORPHAN;
			g = top;
			idx_push(ns[top].is_root ? &t->roots : &t->orphans, top);
		} else if (state[j] == PLACED) {
			place = t->place[j];
			g = group[j];
		} else {
			/* j is on this path: path[k..len) is a cycle */
			size_t k = len;
			while (path[k - 1] != j)
				k--;
			k--;
			place = STACHE_IN_CYCLE;
			g = t->n_cycles++;
			t->cycles = util_xrealloc(t->cycles, t->n_cycles * sizeof *t->cycles);
			struct stache_idx_list *cy = &t->cycles[g];
			*cy = (struct stache_idx_list){0};
			/* start at the smallest id, so the order does not depend on
			 * the order of the scan */
			size_t m = len - k, first = 0;
			for (size_t q = 1; q < m; q++)
				if (strcmp_null(ns[path[k + q]].id, ns[path[k + first]].id) < 0)
					first = q;
			for (size_t q = 0; q < m; q++) {
				size_t x = path[k + (first + q) % m];
				t->on_cycle[x] = true;
				idx_push(cy, x);
			}
		}
		for (size_t q = 0; q < len; q++) {
			t->place[path[q]] = place;
			group[path[q]] = g;
			state[path[q]] = PLACED;
		}
	}
	free(state);

	for (size_t i = 0; i < n; i++)
		if (t->parent[i] != STACHE_NONE && !t->on_cycle[i])
			idx_push(&t->children[t->parent[i]], i);
	for (size_t i = 0; i < n; i++)
		sort_idx(ns, t->children[i].v, t->children[i].n, cmp_by_name);
	sort_idx(ns, t->roots.v, t->roots.n, cmp_by_name);
	sort_idx(ns, t->orphans.v, t->orphans.n, cmp_by_name);

	int *depths = util_xcalloc(n, sizeof *depths);
	for (size_t k = 0; k < t->roots.n; k++)
		emit_subtree(t, t->roots.v[k], 0, path, depths, STACHE_IN_TREE, t->roots.v[k]);
	for (size_t k = 0; k < t->orphans.n; k++)
		emit_subtree(t, t->orphans.v[k], 0, path, depths, STACHE_IN_ORPHAN, t->orphans.v[k]);
	for (size_t c = 0; c < t->n_cycles; c++)
		for (size_t k = 0; k < t->cycles[c].n; k++)
			emit_subtree(t, t->cycles[c].v[k], 0, path, depths, STACHE_IN_CYCLE, c);
	free(depths);
	free(path);
	free(group);
}

void stache_tree_free(struct stache_tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->children[i].v);
	for (size_t c = 0; c < t->n_cycles; c++)
		free(t->cycles[c].v);
	free(t->children);
	free(t->cycles);
	free(t->roots.v);
	free(t->orphans.v);
	free(t->parent);
	free(t->place);
	free(t->on_cycle);
	free(t->rows);
	free(t->by_id);
	memset(t, 0, sizeof *t);
}

size_t *stache_tree_ancestors(const struct stache_tree *t, size_t i, size_t *n,
                              enum stache_path_end *end)
{
	*n = 0;
	*end = STACHE_PATH_ROOT;
	if (i >= t->n)
		return NULL;
	unsigned char *seen = util_xcalloc(t->n, 1);
	size_t *v = NULL, len = 0, cap = 0;
	size_t j = i;
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 8;
			v = util_xrealloc(v, cap * sizeof *v);
		}
		v[len++] = j;
		seen[j] = 1;
		size_t p = t->parent[j];
		if (p == STACHE_NONE) {
			*end = t->ns[j].is_root ? STACHE_PATH_ROOT : STACHE_PATH_MISSING;
			break;
		}
		if (seen[p]) {
			*end = STACHE_PATH_CYCLE;
			break;
		}
		j = p;
	}
	free(seen);
	for (size_t a = 0, b = len - 1; a < b; a++, b--) {
		size_t x = v[a];
		v[a] = v[b];
		v[b] = x;
	}
	*n = len;
	return v;
}

char *stache_tree_path(const struct stache_tree *t, size_t i)
{
	size_t n;
	enum stache_path_end end;
	size_t *v = stache_tree_ancestors(t, i, &n, &end);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		abort();
	if (end == STACHE_PATH_MISSING)
		fputs("\xe2\x80\xa6 > ", f);        /* … */
	else if (end == STACHE_PATH_CYCLE)
		fputs("\xe2\x86\xbb > ", f);        /* ↻ */
	for (size_t k = 0; k < n; k++) {
		const struct stache_ns *x = &t->ns[v[k]];
		fprintf(f, "%s%s", k ? " > " : "", x->name ? x->name : x->id ? x->id : "?");
	}
	fclose(f);
	free(v);
	return out;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *stache_ns_json(const struct stache_tree *t, const struct stache_tree_row *row,
                       const long *counts)
{
	static const char *const places[] = {"tree", "orphan", "cycle"};
	const struct stache_ns *ns = &t->ns[row->ns];
	char *path = stache_tree_path(t, row->ns);
	json_t *o = json_pack("{s:s,s:i,s:o,s:o,s:o,s:s,s:s,s:o}", "section", places[row->place],
	                      "depth", row->depth, "id", str_or_null(ns->id), "name",
	                      str_or_null(ns->name), "parent_id", str_or_null(ns->parent_id),
	                      "description", ns->description ? ns->description : "", "path", path,
	                      "problems", problems_to_json(&ns->problems, NULL));
	if (row->place == STACHE_IN_CYCLE) {
		json_object_set_new(o, "cycle", json_integer((json_int_t)row->group + 1));
		json_object_set_new(o, "on_cycle", json_boolean(row->on_cycle));
	}
	if (ns->metadata)
		json_object_set(o, "metadata", ns->metadata);
	if (ns->filter_keys)
		json_object_set(o, "filter_keys", ns->filter_keys);
	if (counts)
		json_object_set_new(o, "documents", json_integer(counts[row->ns]));
	free(path);
	return o;
}

/* ---- tables ------------------------------------------------------------------- */

struct pick {
	enum table_layout layout;
	enum stache_table_use use;
	char **slot;            /* &s->namespace_table or &s->documents_table */
	const char *what;       /* "namespace" / "document" */
	const char *flag, *env;
	const char *mine, *theirs;   /* name parts that pair the two tables */
	size_t n_cand;
	const char **cand;
};

/* The name of the table that pairs with `other` ("xstache-namespaces" ->
 * "xstache-documents"), or NULL. */
static char *pair_name(const char *other, const char *theirs, const char *mine)
{
	const char *at = NULL;
	for (const char *c = strstr(other, theirs); c; c = strstr(c + 1, theirs))
		at = c;
	if (!at)
		return NULL;
	return util_xasprintf("%.*s%s%s", (int)(at - other), other, mine, at + strlen(theirs));
}

static void msg_add(char **msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void msg_add(char **msg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *part = util_xvasprintf(fmt, ap);
	va_end(ap);
	if (*msg) {
		char *both = util_xasprintf("%s; %s", *msg, part);
		free(*msg);
		free(part);
		*msg = both;
	} else {
		*msg = part;
	}
}

enum stache_resolve stache_resolve_tables(struct session *s, enum stache_table_use ns_use,
                                          enum stache_table_use docs_use, char **msg)
{
	*msg = NULL;
	struct pick picks[2] = {
		{LAYOUT_STACHE_NAMESPACES, ns_use, &s->namespace_table, "namespace",
		 "--namespace-table", "DYNAMODB_NAMESPACE_TABLE", "namespaces", "documents", 0, NULL},
		{LAYOUT_STACHE_DOCUMENTS, docs_use, &s->documents_table, "document",
		 "--documents-table", "DYNAMODB_DOCUMENTS_TABLE", "documents", "namespaces", 0, NULL},
	};
	bool todo = false;
	for (int k = 0; k < 2; k++)
		if (picks[k].use != STACHE_TABLE_SKIP && !*picks[k].slot)
			todo = true;
	if (!todo)
		return STACHE_RESOLVED;

	struct table_list tl;
	struct ddb_error e;
	if (tables_load_sync(s, &tl, &e) != 0) {
		char *d = ddb_error_describe(&e, &s->conf, 0);
		*msg = util_xasprintf("listing tables: %s", d);
		free(d);
		ddb_error_clear(&e);
		/* only a wanted table was missing: go on without it */
		for (int k = 0; k < 2; k++)
			if (picks[k].use == STACHE_TABLE_NEED && !*picks[k].slot)
				return STACHE_RESOLVE_FAILED;
		return STACHE_RESOLVED;
	}
	for (int k = 0; k < 2; k++) {
		picks[k].cand = util_xcalloc(tl.n, sizeof *picks[k].cand);
		for (size_t i = 0; i < tl.n; i++)
			if (tl.v[i].layout == picks[k].layout)
				picks[k].cand[picks[k].n_cand++] = tl.v[i].name;
	}
	/* unique candidates first, then pairs with a table already known */
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < 2; k++) {
			struct pick *pk = &picks[k];
			if (pk->use == STACHE_TABLE_SKIP || *pk->slot)
				continue;
			if (pass == 0 && pk->n_cand == 1)
				*pk->slot = util_xstrdup(pk->cand[0]);
			const char *other = *picks[1 - k].slot;
			if (pass == 1 && pk->n_cand > 1 && other) {
				char *want = pair_name(other, pk->theirs, pk->mine);
				for (size_t i = 0; want && i < pk->n_cand; i++)
					if (!strcmp(pk->cand[i], want))
						*pk->slot = util_xstrdup(want);
				free(want);
			}
		}
	enum stache_resolve rc = STACHE_RESOLVED;
	for (int k = 0; k < 2; k++) {
		struct pick *pk = &picks[k];
		if (pk->use == STACHE_TABLE_SKIP || *pk->slot)
			continue;
		bool need = pk->use == STACHE_TABLE_NEED;
		if (pk->n_cand == 0) {
			msg_add(msg, "no Stache %s table found (pass %s or set %s)", pk->what, pk->flag,
			        pk->env);
			if (need && rc == STACHE_RESOLVED)
				rc = STACHE_RESOLVE_MISSING;
			continue;
		}
		char *list = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&list, &len);
		if (!f)
			abort();
		for (size_t i = 0; i < pk->n_cand; i++)
			fprintf(f, "%s%s", i ? ", " : "", pk->cand[i]);
		fclose(f);
		msg_add(msg, "several Stache %s tables: %s; pass %s (or set %s) to choose one",
		        pk->what, list, pk->flag, pk->env);
		free(list);
		if (need)
			rc = STACHE_RESOLVE_AMBIGUOUS;
	}
	for (int k = 0; k < 2; k++)
		free(picks[k].cand);
	table_list_free(&tl);
	return rc;
}
