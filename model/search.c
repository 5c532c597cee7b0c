/* model/search.c: searching thread names, step contents and documents
 * (see search.h).  The requests are built here; the reading is a small
 * engine of "sources" (pagers: the segments of a Scan, one Query, the
 * Queries of a user's threads) whose pages are matched as they come, plus
 * BatchGetItems that fill in the thread names of step matches before their
 * batch is handed out. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/search.h"
#include "model/chainlit.h"
#include "model/generic.h"
#include "model/item.h"
#include "model/pager.h"
#include "model/stache.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define BATCH_GET_MAX 100      /* keys per BatchGetItem */
#define UNPROCESSED_ROUNDS 10  /* BatchGetItem rounds for unprocessed keys */
#define SNIPPET_CONTEXT 40     /* characters each side of a match */
#define MAX_SEGMENTS 64

/* ---- matching ------------------------------------------------------------ */

/* One UTF-8 character at s (n > 0 bytes): its length, *cp its code point;
 * an invalid byte is one character that matches nothing valid. */
static size_t u8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	unsigned v;
	int len = util_utf8_decode(s, n, &v);
	*cp = len ? v : 0x80000000u | s[0];
	return len ? (size_t)len : 1;
}

/* Lower case as Unicode's simple mapping has it, whatever the user's
 * locale: towlower_l in C.UTF-8 (ASCII alone when no UTF-8 locale can be
 * made). */
static uint32_t fold(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	static bool tried;
	static locale_t loc;
	if (!tried) {
		tried = true;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		if (!loc)
			loc = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
	}
	if (!loc || c > 0x10FFFF)
		return c;
	return (uint32_t)towlower_l((wint_t)c, loc);
}

/* The needle, folded, as code points. */
struct needle {
	const char *s;
	size_t n;
	uint32_t *cp;      /* folded code points (ignore_case) */
	size_t ncp;
	bool ignore_case;
};

static void needle_init(struct needle *nd, const char *s, bool ignore_case)
{
	memset(nd, 0, sizeof *nd);
	nd->s = s;
	nd->n = strlen(s);
	nd->ignore_case = ignore_case;
	if (!ignore_case)
		return;
	nd->cp = util_xcalloc(nd->n + 1, sizeof *nd->cp);
	for (size_t i = 0; i < nd->n;) {
		uint32_t c;
		i += u8_decode((const unsigned char *)s + i, nd->n - i, &c);
		nd->cp[nd->ncp++] = fold(c);
	}
}

static void needle_free(struct needle *nd)
{
	free(nd->cp);
	nd->cp = NULL;
}

static bool find(const struct needle *nd, const char *hay, size_t n, bool prefix, size_t *at,
                 size_t *len)
{
	if (!hay)
		return false;
	if (!nd->ignore_case) {
		const char *p = NULL;
		if (prefix)
			p = n >= nd->n && !memcmp(hay, nd->s, nd->n) ? hay : NULL;
		else
			p = memmem(hay, n, nd->s, nd->n);
		if (!p)
			return false;
		*at = (size_t)(p - hay);
		*len = nd->n;
		return true;
	}
	const unsigned char *h = (const unsigned char *)hay;
	for (size_t i = 0; i <= n;) {
		size_t j = i, k = 0;
		while (k < nd->ncp && j < n) {
			uint32_t c;
			size_t l = u8_decode(h + j, n - j, &c);
			if (fold(c) != nd->cp[k])
				break;
			j += l;
			k++;
		}
		if (k == nd->ncp) {
			*at = i;
			*len = j - i;
			return true;
		}
		if (prefix || i == n)
			return false;
		uint32_t c;
		i += u8_decode(h + i, n - i, &c);
	}
	return false;
}

bool search_find(const char *hay, size_t n, const char *needle, bool ignore_case, bool prefix,
                 size_t *at, size_t *len)
{
	struct needle nd;
	needle_init(&nd, needle ? needle : "", ignore_case);
	bool r = find(&nd, hay, n, prefix, at, len);
	needle_free(&nd);
	return r;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *search_snippet(const char *s, size_t n, size_t at, size_t len, int context,
                     size_t *hit_at, size_t *hit_len)
{
	if (at > n)
		at = n;
	if (len > n - at)
		len = n - at;
	size_t start = at, end = at + len;
	for (int c = 0; c < context && start > 0; c++) {
		start--;
		while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
			start--;
	}
	for (int c = 0; c < context && end < n; c++) {
		end++;
		while (end < n && ((unsigned char)s[end] & 0xC0) == 0x80)
			end++;
	}
	/* at most 3 bytes for each byte (a NUL becomes U+FFFD), two ellipses */
	char *out = util_xcalloc(3 * (end - start) + 8, 1);
	size_t o = 0, h0 = 0, h1 = 0;
	if (start > 0) {
		memcpy(out, "\xe2\x80\xa6", 3);
		o = 3;
	}
	bool in_space = false;
	for (size_t i = start; i < end; i++) {
		if (i == at)
			h0 = o;
		if (i == at + len)
			h1 = o;
		unsigned char c = (unsigned char)s[i];
		if (is_space(c)) {
			if (!in_space)
				out[o++] = ' ';
			in_space = true;
			continue;
		}
		in_space = false;
		if (c == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			out[o++] = (char)c;
		}
	}
	if (at == end)
		h0 = o;
	if (at + len == end)
		h1 = o;
	if (end < n) {
		memcpy(out + o, "\xe2\x80\xa6", 3);
		o += 3;
	}
	out[o] = 0;
	if (hit_at)
		*hit_at = h0;
	if (hit_len)
		*hit_len = h1 >= h0 ? h1 - h0 : 0;
	return out;
}

/* ---- options ---------------------------------------------------------------- */

static const char *scope_name(enum search_scope sc)
{
	switch (sc) {
	case SEARCH_THREAD_NAMES: return "thread names";
	case SEARCH_STEPS: return "steps";
	case SEARCH_DOCUMENTS: return "documents";
	}
	return "?";
}

static bool valid_utf8(const char *s)
{
	json_t *j = json_string(s);
	bool ok = j != NULL;
	json_decref(j);
	return ok;
}

int search_check(const struct search_opts *o, char **why)
{
	*why = NULL;
	const char *t = o->text;
	if (!t || !*t) {
		*why = util_xstrdup("the search text is empty");
		return -1;
	}
	size_t n = strlen(t);
	if (n > SEARCH_TEXT_MAX) {
		*why = util_xasprintf("the search text is %zu bytes long; at most %d can be searched",
		                      n, SEARCH_TEXT_MAX);
		return -1;
	}
	if (!valid_utf8(t)) {
		*why = util_xstrdup("the search text is not valid UTF-8");
		return -1;
	}
	if (!o->table || !*o->table) {
		*why = util_xasprintf("no table to search for %s", scope_name(o->scope));
		return -1;
	}
	if (o->scope != SEARCH_THREAD_NAMES && o->scope != SEARCH_STEPS &&
	    o->scope != SEARCH_DOCUMENTS) {
		*why = util_xstrdup("unknown search scope");
		return -1;
	}
	if (o->scope == SEARCH_THREAD_NAMES && (!o->user || !*o->user)) {
		*why = util_xstrdup("searching thread names needs the user whose threads they are");
		return -1;
	}
	if (o->scope == SEARCH_STEPS && o->user && !*o->user) {
		*why = util_xstrdup("the user is empty");
		return -1;
	}
	if (o->scope != SEARCH_STEPS && (o->step_type || o->with_feedback)) {
		*why = util_xasprintf("a step type and with-feedback apply to steps, not to %s",
		                      scope_name(o->scope));
		return -1;
	}
	if (o->scope != SEARCH_DOCUMENTS && o->namespace_) {
		*why = util_xasprintf("a namespace applies to documents, not to %s",
		                      scope_name(o->scope));
		return -1;
	}
	const char *strs[] = {o->user, o->step_type, o->namespace_, o->table};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (strs[i] && !valid_utf8(strs[i])) {
			*why = util_xstrdup("an option value is not valid UTF-8");
			return -1;
		}
	if (o->step_type && !*o->step_type) {
		*why = util_xstrdup("the step type is empty");
		return -1;
	}
	if (o->segments < 0 || o->segments > MAX_SEGMENTS) {
		*why = util_xasprintf("segments must be 1 to %d", MAX_SEGMENTS);
		return -1;
	}
	return 0;
}

/* ---- matches ------------------------------------------------------------------- */

const char *search_kind_name(enum search_kind k)
{
	switch (k) {
	case SEARCH_KIND_THREAD: return "thread";
	case SEARCH_KIND_STEP: return "step";
	case SEARCH_KIND_DOCUMENT: return "document";
	}
	return "?";
}

/* A new object with the attributes of `item` named in `names` (those present). */
static json_t *pick(const json_t *item, const char *const *names)
{
	json_t *o = json_object();
	for (size_t i = 0; names[i]; i++) {
		json_t *v = json_object_get(item, names[i]);
		if (v)
			json_object_set(o, names[i], v);
	}
	return o;
}

/* The S string of item[name] and its length (NULs included). */
static const char *s_attr(const json_t *item, const char *name, size_t *n)
{
	const json_t *s = json_object_get(json_object_get(item, name), "S");
	if (!json_is_string(s))
		return NULL;
	*n = json_string_length(s);
	return json_string_value(s);
}

/* The match of one of `fields` of item (in order); fills field and snippet. */
static bool match_fields(const struct needle *nd, const json_t *item, const char *const *fields,
                         bool prefix, struct search_match *m)
{
	for (size_t i = 0; fields[i]; i++) {
		size_t n = 0, at, len;
		const char *v = s_attr(item, fields[i], &n);
		if (v && find(nd, v, n, prefix, &at, &len)) {
			m->field = fields[i];
			m->snippet = search_snippet(v, n, at, len, SNIPPET_CONTEXT, &m->hit_at, &m->hit_len);
			return true;
		}
	}
	return false;
}

static void match_set_thread(struct search_match *m, json_t *thread)
{
	json_decref(m->thread);
	m->thread = json_incref(thread);
	m->thread_name = json_string_value(json_object_get(thread, "name"));
	m->user = json_string_value(json_object_get(thread, "user"));
}

/* Borrowed pointers into m->item and m->thread. */
static void match_point(struct search_match *m)
{
	const json_t *it = m->item;
	switch (m->kind) {
	case SEARCH_KIND_THREAD:
		m->thread_id = ddb_item_s(it, "id");
		if (!m->thread_id)
			m->thread_id = cl_strip_prefix(ddb_item_s(it, "PK"), "THREAD#");
		m->thread_name = ddb_item_s(it, "name");
		m->updated_at = cl_strip_prefix(ddb_item_s(it, "UserThreadSK"), "TS#");
		m->user = cl_strip_prefix(ddb_item_s(it, "UserThreadPK"), "USER#");
		break;
	case SEARCH_KIND_STEP: {
		m->thread_id = ddb_item_s(it, "threadId");
		if (!m->thread_id)
			m->thread_id = cl_strip_prefix(ddb_item_s(it, "PK"), "THREAD#");
		m->step_id = ddb_item_s(it, "id");
		if (!m->step_id)
			m->step_id = cl_strip_prefix(ddb_item_s(it, "SK"), "STEP#");
		m->step_type = ddb_item_s(it, "type");
		m->step_name = ddb_item_s(it, "name");
		m->created_at = ddb_item_s(it, "createdAt");
		const json_t *fb = json_object_get(json_object_get(it, "feedback"), "M");
		const char *v = ddb_av_get_n(json_object_get(fb, "value"));
		long long vv = -1;
		m->vote = v && item_n_to_ll(v, &vv) && (vv == 0 || vv == 1) ? (int)vv : -1;
		if (m->thread) {
			m->thread_name = json_string_value(json_object_get(m->thread, "name"));
			m->user = json_string_value(json_object_get(m->thread, "user"));
		}
		break;
	}
	case SEARCH_KIND_DOCUMENT:
		m->namespace_ = ddb_item_s(it, "namespace");
		m->doc_id = ddb_item_s(it, "doc_id");
		m->filename = ddb_item_s(it, "filename");
		m->source_path = ddb_item_s(it, "source_path");
		m->status = ddb_item_s(it, "status");
		m->created_at = ddb_item_s(it, "created_at");
		break;
	}
}

static void match_key(struct search_match *m, const json_t *item, const char *const *keys)
{
	m->key = pick(item, keys);
}

void search_match_clear(struct search_match *m)
{
	free(m->snippet);
	json_decref(m->item);
	json_decref(m->key);
	json_decref(m->thread);
	memset(m, 0, sizeof *m);
}

void search_match_copy(struct search_match *dst, const struct search_match *src)
{
	*dst = *src;
	dst->snippet = util_xstrdup(src->snippet);
	json_incref(dst->item);
	json_incref(dst->key);
	json_incref(dst->thread);
	/* the strings point into the same (shared) JSON: still valid */
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *search_match_json(const struct search_match *m)
{
	json_t *key = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(m->key, k, v)
		json_object_set_new(key, k, item_to_plain(v));
	json_t *o = json_pack("{s:s,s:o}", "kind", search_kind_name(m->kind), "key", key);
	switch (m->kind) {
	case SEARCH_KIND_THREAD:
		json_object_set_new(o, "thread_id", str_or_null(m->thread_id));
		json_object_set_new(o, "thread_name", str_or_null(m->thread_name));
		json_object_set_new(o, "user", str_or_null(m->user));
		json_object_set_new(o, "updated_at", str_or_null(m->updated_at));
		break;
	case SEARCH_KIND_STEP:
		json_object_set_new(o, "thread_id", str_or_null(m->thread_id));
		json_object_set_new(o, "thread_name", str_or_null(m->thread_name));
		json_object_set_new(o, "user", str_or_null(m->user));
		json_object_set_new(o, "step_id", str_or_null(m->step_id));
		json_object_set_new(o, "type", str_or_null(m->step_type));
		json_object_set_new(o, "name", str_or_null(m->step_name));
		json_object_set_new(o, "created_at", str_or_null(m->created_at));
		json_object_set_new(o, "vote", m->vote >= 0 ? json_integer(m->vote) : json_null());
		break;
	case SEARCH_KIND_DOCUMENT:
		json_object_set_new(o, "namespace", str_or_null(m->namespace_));
		json_object_set_new(o, "doc_id", str_or_null(m->doc_id));
		json_object_set_new(o, "filename", str_or_null(m->filename));
		json_object_set_new(o, "source_path", str_or_null(m->source_path));
		json_object_set_new(o, "status", str_or_null(m->status));
		json_object_set_new(o, "created_at", str_or_null(m->created_at));
		break;
	}
	json_object_set_new(o, "field", str_or_null(m->field));
	json_object_set_new(o, "snippet", json_string(m->snippet ? m->snippet : ""));
	return o;
}

struct matches {
	struct search_match *v;
	size_t n, cap;
};

static struct search_match *matches_push(struct matches *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = util_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct search_match *m = &l->v[l->n++];
	memset(m, 0, sizeof *m);
	m->vote = -1;
	return m;
}

static void matches_free(struct matches *l)
{
	for (size_t i = 0; i < l->n; i++)
		search_match_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ---- requests -------------------------------------------------------------------- */

static const char *const STEP_ATTRS[] = {"PK", "SK", "id", "threadId", "name", "type",
                                         "createdAt", "feedback", NULL};
static const char *const STEP_FIELDS[] = {"name", "input", "output", NULL};
static const char *const DOC_ATTRS[] = {"PK", "SK", "doc_id", "namespace", "filename",
                                        "source_path", "status", "created_at", NULL};
static const char *const DOC_PREFIX_FIELDS[] = {"filename", "source_path", NULL};
static const char *const DOC_FIELDS[] = {"filename", "source_path", "summary", NULL};
static const char *const PK_SK[] = {"PK", "SK", NULL};
static const char *const THREAD_ATTRS[] = {"PK", "id", "name", "userIdentifier", NULL};

/* "#n0, #n1, ..." for the attributes, then `extra` (NULL-ended). */
static char *projection(struct ddb_expr *e, const char *const *attrs, const char *const *extra)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		abort();
	int n = 0;
	json_t *seen = json_object();   /* a path given twice is refused as overlapping */
	const char *const *lists[] = {attrs, extra};
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; lists[l] && lists[l][i]; i++) {
			if (json_object_get(seen, lists[l][i]))
				continue;
			json_object_set_new(seen, lists[l][i], json_true());
			fprintf(f, "%s%s", n++ ? ", " : "", ddb_expr_name(e, lists[l][i]));
		}
	json_decref(seen);
	fclose(f);
	return out;
}

/* "(fn(#a, :q) OR fn(#b, :q) ...)" */
static void any_of(FILE *f, struct ddb_expr *e, const char *fn, const char *const *fields,
                   const char *q)
{
	fputc('(', f);
	for (size_t i = 0; fields[i]; i++)
		fprintf(f, "%s%s(%s, %s)", i ? " OR " : "", fn, ddb_expr_name(e, fields[i]), q);
	fputc(')', f);
}

static json_t *base_request(const struct search_opts *o)
{
	json_t *req = json_pack("{s:s}", "TableName", o->table);
	if (o->page_limit > 0)
		json_object_set_new(req, "Limit", json_integer(o->page_limit));
	return req;
}

/* A Scan's request: segment of segments when there are more than one. */
static json_t *scan_request(const struct search_opts *o, int segment, int segments)
{
	json_t *req = base_request(o);
	if (segments > 1) {
		json_object_set_new(req, "Segment", json_integer(segment));
		json_object_set_new(req, "TotalSegments", json_integer(segments));
	}
	return req;
}

/* Set FilterExpression (when non-empty), ProjectionExpression and the
 * placeholders; frees e and the strings. */
static void finish_request(json_t *req, struct ddb_expr *e, char *filter, char *proj)
{
	if (filter && *filter)
		json_object_set_new(req, "FilterExpression", json_string(filter));
	if (proj)
		json_object_set_new(req, "ProjectionExpression", json_string(proj));
	free(filter);
	free(proj);
	ddb_expr_apply(e, req);
	ddb_expr_free(e);
}

/* The step conditions: [begins_with(SK, "STEP#") AND] [text] [AND type]
 * [AND feedback]. */
static char *step_filter(const struct search_opts *o, struct ddb_expr *e, bool scan)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		abort();
	const char *and = "";
	if (scan) {
		fprintf(f, "begins_with(%s, %s)", ddb_expr_name(e, "SK"),
		        ddb_expr_value(e, ddb_av_s("STEP#")));
		and = " AND ";
	}
	if (!o->ignore_case) {
		fputs(and, f);
		any_of(f, e, "contains", STEP_FIELDS, ddb_expr_value(e, ddb_av_s(o->text)));
		and = " AND ";
	}
	if (o->step_type) {
		fprintf(f, "%s%s = %s", and, ddb_expr_name(e, "type"),
		        ddb_expr_value(e, ddb_av_s(o->step_type)));
		and = " AND ";
	}
	if (o->with_feedback)
		fprintf(f, "%sattribute_exists(%s)", and, ddb_expr_name(e, "feedback"));
	fclose(f);
	return out;
}

static json_t *steps_scan_request(const struct search_opts *o, int segment, int segments)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	json_t *req = scan_request(o, segment, segments);
	char *f = step_filter(o, &e, true);
	finish_request(req, &e, f, projection(&e, STEP_ATTRS, STEP_FIELDS));
	return req;
}

static json_t *steps_thread_request(const struct search_opts *o, const char *thread_id)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	json_t *req = base_request(o);
	char *pk = util_xasprintf("THREAD#%s", thread_id);
	char *kc = util_xasprintf("%s = %s AND begins_with(%s, %s)", ddb_expr_name(&e, "PK"),
	                          ddb_expr_value(&e, ddb_av_s(pk)), ddb_expr_name(&e, "SK"),
	                          ddb_expr_value(&e, ddb_av_s("STEP#")));
	free(pk);
	json_object_set_new(req, "KeyConditionExpression", json_string(kc));
	free(kc);
	char *f = step_filter(o, &e, false);
	finish_request(req, &e, f, projection(&e, STEP_ATTRS, STEP_FIELDS));
	return req;
}

static json_t *docs_ns_request(const struct search_opts *o, bool raw)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	json_t *req = base_request(o);
	char *k = raw ? stache_key_ns_gsi1pk_raw(o->namespace_) : stache_key_ns_gsi1pk(o->namespace_);
	char *kc = util_xasprintf("%s = %s", ddb_expr_name(&e, "GSI1PK"), ddb_expr_value(&e, ddb_av_s(k)));
	free(k);
	json_object_set_new(req, "IndexName", json_string("GSI1"));
	json_object_set_new(req, "KeyConditionExpression", json_string(kc));
	json_object_set_new(req, "ScanIndexForward", json_false());
	free(kc);
	char *f = NULL;
	if (!o->ignore_case) {
		size_t len = 0;
		FILE *m = open_memstream(&f, &len);
		if (!m)
			abort();
		any_of(m, &e, "begins_with", DOC_PREFIX_FIELDS, ddb_expr_value(&e, ddb_av_s(o->text)));
		fclose(m);
	}
	finish_request(req, &e, f, projection(&e, DOC_ATTRS, NULL));
	return req;
}

static json_t *docs_scan_request(const struct search_opts *o, int segment, int segments)
{
	struct ddb_expr e;
	ddb_expr_init(&e);
	json_t *req = scan_request(o, segment, segments);
	char *f = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&f, &len);
	if (!m)
		abort();
	fprintf(m, "%s = %s", ddb_expr_name(&e, "SK"), ddb_expr_value(&e, ddb_av_s("METADATA")));
	if (!o->ignore_case) {
		fputs(" AND ", m);
		any_of(m, &e, "contains", DOC_FIELDS, ddb_expr_value(&e, ddb_av_s(o->text)));
	}
	fclose(m);
	const char *const summary[] = {"summary", NULL};
	finish_request(req, &e, f, projection(&e, DOC_ATTRS, summary));
	return req;
}

/* ---- the engine -------------------------------------------------------------------- */

enum role {
	ROLE_MATCH,        /* pages of candidates */
	ROLE_LIST,         /* the user's threads (steps of a user) */
};

struct source {
	struct search *x;
	struct pager *p;
	enum role role;
	bool index;        /* reads an index (a missing index is reported as such) */
	const char *index_name;
	bool busy, done;
	long scanned;      /* pager_scanned already counted */
	bool per_thread;   /* one Query of a user's thread */
};

/* A call whose callback may outlive the search: detached by setting x NULL. */
struct slot {
	struct search *x;
	ddb_call *call;
	int purpose;       /* SLOT_DESCRIBE, SLOT_INDEX_CHECK */
};
enum { SLOT_DESCRIBE, SLOT_INDEX_CHECK };

/* Step matches of one page, waiting for their thread names. */
struct fetch {
	struct search *x;  /* NULL once the search is gone */
	struct matches batch;
	json_t *pending;   /* keys still to get */
	json_t *asked;     /* thread id -> true */
	ddb_call *call;
	int rounds;
	struct fetch *next;
};

enum plan { PLAN_NONE, PLAN_QUERY, PLAN_SCAN };

struct search {
	struct session *s;
	struct search_opts o;
	char *text, *table, *user, *step_type, *namespace_;
	struct search_cbs cb;
	void *ud;
	struct needle nd;
	struct source **src;
	size_t n_src, cap_src;
	struct slot *describe;      /* DescribeTable in flight */
	struct fetch *fetches;      /* BatchGetItems in flight */
	size_t pending_matches;     /* matches waiting in fetches */
	json_t *threads;            /* thread id -> {"name":..,"user":..} */
	json_t *queue;              /* thread ids still to query (PLAN_QUERY) */
	size_t next_thread;
	enum plan plan;
	long item_count;
	struct search_progress pr;
	struct ddb_error index_err; /* the error that made us check the index */
	const char *index_checked;  /* the index being checked, NULL when none */
	bool started;               /* the reading sources exist */
	bool stopped;               /* no more callbacks (ended, cancelled, freed) */
	bool free_pending;
	int depth;                  /* inside our callbacks */
};

static void pump(struct search *x);

static void enter(struct search *x)
{
	x->depth++;
}

static void real_free(struct search *x);

/* false when the search was freed on the way out (do not touch it) */
static bool leave(struct search *x)
{
	if (--x->depth == 0 && x->free_pending) {
		real_free(x);
		return false;
	}
	return true;
}

static void fetch_free(struct fetch *f)
{
	matches_free(&f->batch);
	json_decref(f->pending);
	json_decref(f->asked);
	free(f);
}

/* Stop every source, call and fetch; no callback of ours runs after. */
static void stop_all(struct search *x)
{
	for (size_t i = 0; i < x->n_src; i++) {
		pager_free(x->src[i]->p);
		x->src[i]->p = NULL;
		x->src[i]->busy = false;
		x->src[i]->done = true;
	}
	if (x->describe) {
		x->describe->x = NULL;
		if (x->describe->call)
			ddb_cancel(x->s->ddb, x->describe->call);
		x->describe = NULL;
	}
	for (struct fetch *f = x->fetches, *next; f; f = next) {
		next = f->next;
		f->x = NULL;   /* its callback frees it */
		if (f->call)
			ddb_cancel(x->s->ddb, f->call);
	}
	x->fetches = NULL;
	x->pending_matches = 0;
}

static void real_free(struct search *x)
{
	stop_all(x);
	for (size_t i = 0; i < x->n_src; i++)
		free(x->src[i]);
	free(x->src);
	needle_free(&x->nd);
	json_decref(x->threads);
	json_decref(x->queue);
	ddb_error_clear(&x->index_err);
	free(x->text);
	free(x->table);
	free(x->user);
	free(x->step_type);
	free(x->namespace_);
	free(x);
}

/* The end: err NULL when read to the end. */
static void finish(struct search *x, const struct ddb_error *err)
{
	if (x->stopped)
		return;
	stop_all(x);
	x->stopped = true;
	x->pr.done = true;
	x->pr.paused = false;
	if (x->plan == PLAN_SCAN && !err)
		x->pr.threads_done = x->pr.threads_total;
	if (x->cb.done) {
		enter(x);
		x->cb.done(&x->pr, err, x->ud);
		leave(x);
	}
}

static void fail(struct search *x, const struct ddb_error *err)
{
	finish(x, err);
}

static void fail_usage(struct search *x, const char *msg)
{
	struct ddb_error e = {.kind = DDB_ERR_USAGE, .message = (char *)msg};
	fail(x, &e);
}

static void progress(struct search *x)
{
	if (x->stopped || !x->cb.progress)
		return;
	x->cb.progress(&x->pr, x->ud);
}

/* Hand out a batch (taken); false when the search stopped meanwhile. */
static bool deliver(struct search *x, struct matches *b)
{
	if (!b->n || x->stopped) {
		matches_free(b);
		return !x->stopped;
	}
	x->pr.matches += (long)b->n;
	if (x->cb.batch)
		x->cb.batch(b->v, b->n, x->ud);
	matches_free(b);
	return !x->stopped;
}

static struct source *add_source(struct search *x, struct pager *p, enum role role,
                                 const char *index_name)
{
	if (x->n_src == x->cap_src) {
		x->cap_src = x->cap_src ? x->cap_src * 2 : 8;
		x->src = util_xrealloc(x->src, x->cap_src * sizeof *x->src);
	}
	struct source *src = util_xcalloc(1, sizeof *src);
	src->x = x;
	src->p = p;
	src->role = role;
	src->index = index_name != NULL;
	src->index_name = index_name;
	x->src[x->n_src++] = src;
	return src;
}

/* ---- thread names (BatchGetItem) ------------------------------------------------ */

static void fetch_submit(struct fetch *f);

static void fetch_deliver(struct search *x, struct fetch *f)
{
	/* unlink */
	for (struct fetch **pp = &x->fetches; *pp; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	x->pending_matches -= f->batch.n;
	/* the threads asked for and not found */
	const char *id;
	json_t *v;
	json_object_foreach(f->asked, id, v)
		if (!json_object_get(x->threads, id))
			json_object_set_new(x->threads, id, json_pack("{s:b}", "missing", 1));
	for (size_t i = 0; i < f->batch.n; i++) {
		struct search_match *m = &f->batch.v[i];
		json_t *t = m->thread_id ? json_object_get(x->threads, m->thread_id) : NULL;
		if (t)
			match_set_thread(m, t);
	}
	struct matches b = f->batch;
	memset(&f->batch, 0, sizeof f->batch);
	fetch_free(f);
	if (deliver(x, &b))
		progress(x);
}

static void fetch_done(struct ddb_result *r, void *ud)
{
	struct fetch *f = ud;
	struct search *x = f->x;
	f->call = NULL;
	if (!x) {
		fetch_free(f);
		return;
	}
	enter(x);
	if (r->err.kind != DDB_OK) {
		fail(x, &r->err);
		fetch_free(f);   /* stop_all detached it from the list */
		leave(x);
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(json_object_get(r->body, "Responses"), x->table), i, it) {
		const char *tid = ddb_item_s(it, "id");
		if (!tid)
			tid = cl_strip_prefix(ddb_item_s(it, "PK"), "THREAD#");
		if (!tid)
			continue;
		json_t *t = json_object();
		const char *name = ddb_item_s(it, "name"), *user = ddb_item_s(it, "userIdentifier");
		if (name)
			json_object_set_new(t, "name", json_string(name));
		if (user)
			json_object_set_new(t, "user", json_string(user));
		json_object_set_new(x->threads, tid, t);
	}
	json_t *un = json_object_get(json_object_get(json_object_get(r->body, "UnprocessedKeys"),
	                                             x->table), "Keys");
	if (json_array_size(un)) {
		if (++f->rounds > UNPROCESSED_ROUNDS) {
			struct ddb_error e = {.kind = DDB_ERR_SERVICE, .code = "UnprocessedKeys",
			                      .message = "keys stayed unprocessed after repeated retries "
			                                 "(throttled)"};
			fail(x, &e);
			fetch_free(f);
			leave(x);
			return;
		}
		json_array_extend(f->pending, un);
	}
	if (json_array_size(f->pending))
		fetch_submit(f);
	else
		fetch_deliver(x, f);
	if (leave(x))
		pump(x);
}

static void fetch_submit(struct fetch *f)
{
	struct search *x = f->x;
	json_t *chunk = json_array(), *rest = json_array();
	size_t n = json_array_size(f->pending);
	for (size_t i = 0; i < n; i++)
		json_array_append(i < BATCH_GET_MAX ? chunk : rest, json_array_get(f->pending, i));
	json_decref(f->pending);
	f->pending = rest;
	struct ddb_expr e;
	ddb_expr_init(&e);
	char *proj = projection(&e, THREAD_ATTRS, NULL);
	json_t *spec = json_pack("{s:o,s:s}", "Keys", chunk, "ProjectionExpression", proj);
	free(proj);
	ddb_expr_apply(&e, spec);
	ddb_expr_free(&e);
	json_t *req = json_pack("{s:{s:o}}", "RequestItems", x->table, spec);
	f->call = ddb_submit(x->s->ddb, "BatchGetItem", req, fetch_done, f);
}

/* Hand out a page's step matches once their thread names are known. */
static bool deliver_steps(struct search *x, struct matches *b)
{
	json_t *asked = json_object(), *keys = json_array();
	for (size_t i = 0; i < b->n; i++) {
		struct search_match *m = &b->v[i];
		if (!m->thread_id)
			continue;
		json_t *t = json_object_get(x->threads, m->thread_id);
		if (t) {
			match_set_thread(m, t);
			continue;
		}
		if (json_object_get(asked, m->thread_id))
			continue;
		json_object_set_new(asked, m->thread_id, json_true());
		char *pk = util_xasprintf("THREAD#%s", m->thread_id);
		json_array_append_new(keys, json_pack("{s:o,s:o}", "PK", ddb_av_s(pk), "SK",
		                                      ddb_av_s("THREAD")));
		free(pk);
	}
	if (!json_array_size(keys)) {
		json_decref(asked);
		json_decref(keys);
		return deliver(x, b);
	}
	struct fetch *f = util_xcalloc(1, sizeof *f);
	f->x = x;
	f->batch = *b;
	memset(b, 0, sizeof *b);
	f->pending = keys;
	f->asked = asked;
	f->next = x->fetches;
	x->fetches = f;
	x->pending_matches += f->batch.n;
	fetch_submit(f);
	return true;
}

/* ---- pages ----------------------------------------------------------------------- */

/* The matches among a page's items, appended to b. */
static void match_page(struct search *x, const json_t *items, struct matches *b)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		struct search_match tmp = {.vote = -1};
		switch (x->o.scope) {
		case SEARCH_THREAD_NAMES: {
			const char *const f[] = {"name", NULL};
			if (!match_fields(&x->nd, it, f, false, &tmp))
				continue;
			tmp.kind = SEARCH_KIND_THREAD;
			tmp.item = json_incref(it);
			match_key(&tmp, it, PK_SK);
			break;
		}
		case SEARCH_STEPS: {
			const char *tid = ddb_item_s(it, "threadId");
			if (!tid)
				tid = cl_strip_prefix(ddb_item_s(it, "PK"), "THREAD#");
			/* a user's steps read by a Scan: only the user's threads */
			if (x->o.user && x->plan == PLAN_SCAN && (!tid || !json_object_get(x->threads, tid)))
				continue;
			if (!match_fields(&x->nd, it, STEP_FIELDS, false, &tmp)) {
				if (x->o.ignore_case)
					continue;
				/* the server's contains() matched what this cannot see (a
				 * list or set holding the text): a match with no field */
				tmp.snippet = util_xstrdup("");
			}
			tmp.kind = SEARCH_KIND_STEP;
			tmp.item = pick(it, STEP_ATTRS);
			match_key(&tmp, it, PK_SK);
			break;
		}
		case SEARCH_DOCUMENTS: {
			bool in_ns = x->o.namespace_ != NULL;
			if (!match_fields(&x->nd, it, in_ns ? DOC_PREFIX_FIELDS : DOC_FIELDS, in_ns, &tmp)) {
				if (x->o.ignore_case)
					continue;
				tmp.snippet = util_xstrdup("");
			}
			tmp.kind = SEARCH_KIND_DOCUMENT;
			tmp.item = pick(it, DOC_ATTRS);
			match_key(&tmp, it, PK_SK);
			break;
		}
		}
		struct search_match *m = matches_push(b);
		*m = tmp;
		match_point(m);
	}
}

static void start_reading(struct search *x);

/* The user's threads listed: choose how to read their steps. */
static void listed(struct search *x)
{
	long n = (long)json_object_size(x->threads);
	x->pr.threads_total = n;
	x->pr.threads_done = 0;
	if (n == 0)
		return;   /* pump finishes */
	enum search_user_plan want = x->o.user_plan;
	if (want == SEARCH_PLAN_AUTO)
		want = n <= SEARCH_USER_QUERY_MIN || x->item_count < 0 ||
		       n * SEARCH_USER_QUERY_RATIO <= x->item_count ? SEARCH_PLAN_QUERY : SEARCH_PLAN_SCAN;
	x->plan = want == SEARCH_PLAN_QUERY ? PLAN_QUERY : PLAN_SCAN;
	start_reading(x);
}

static void check_index(struct search *x, struct source *src, const struct ddb_error *err);

static void on_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct source *src = ud;
	struct search *x = src->x;
	src->busy = false;
	if (x->stopped)
		return;
	enter(x);
	if (err) {
		if (err->kind == DDB_ERR_SERVICE && src->index && err->code &&
		    !strcmp(err->code, "ValidationException"))
			check_index(x, src, err);
		else
			fail(x, err);
		leave(x);
		return;
	}
	long scanned = pager_scanned(p);
	if (src->role == ROLE_MATCH) {
		/* the listing of a user's threads is not a read of what is searched */
		x->pr.read += scanned - src->scanned;
		x->pr.pages++;
	}
	src->scanned = scanned;
	if (pager_done(p)) {
		src->done = true;
		if (src->per_thread)
			x->pr.threads_done++;
	}
	if (src->role == ROLE_LIST) {
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it) {
			const char *tid = ddb_item_s(it, "id");
			if (!tid)
				tid = cl_strip_prefix(ddb_item_s(it, "PK"), "THREAD#");
			if (!tid || json_object_get(x->threads, tid))
				continue;
			json_t *t = json_pack("{s:s}", "user", x->user);
			const char *name = ddb_item_s(it, "name");
			if (name)
				json_object_set_new(t, "name", json_string(name));
			json_object_set_new(x->threads, tid, t);
			json_array_append_new(x->queue, json_string(tid));
		}
		if (src->done)
			listed(x);
		progress(x);
	} else {
		struct matches b = {0};
		match_page(x, items, &b);
		/* steps: their thread names first (known already for a user's) */
		bool alive = x->o.scope == SEARCH_STEPS ? deliver_steps(x, &b) : deliver(x, &b);
		if (alive)
			progress(x);
	}
	if (leave(x))
		pump(x);
}

/* ---- describing the table --------------------------------------------------------- */

static bool has_index(const json_t *table, const char *name)
{
	const char *kinds[] = {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"};
	for (int k = 0; k < 2; k++) {
		size_t i;
		json_t *g;
		json_array_foreach(json_object_get(table, kinds[k]), i, g)
			if (!strcmp(json_string_value(json_object_get(g, "IndexName")) ?: "", name))
				return true;
	}
	return false;
}

static void describe_done(struct ddb_result *r, void *ud)
{
	struct slot *sl = ud;
	struct search *x = sl->x;
	int purpose = sl->purpose;
	free(sl);
	if (!x)
		return;
	x->describe = NULL;
	enter(x);
	const json_t *t = json_object_get(r->body, "Table");
	if (purpose == SLOT_INDEX_CHECK) {
		if (r->err.kind == DDB_OK && json_is_object(t) && !has_index(t, x->index_checked)) {
			char *msg = util_xasprintf("table \"%s\" has no index \"%s\", which searching %s reads "
			                           "(is it a %s table? see ddtree tables)", x->table,
			                           x->index_checked, scope_name(x->o.scope),
			                           x->o.scope == SEARCH_DOCUMENTS ? "Stache documents"
			                                                         : "Chainlit");
			fail_usage(x, msg);
			free(msg);
		} else {
			fail(x, &x->index_err);
		}
		leave(x);
		return;
	}
	if (r->err.kind != DDB_OK) {
		fail(x, &r->err);
		leave(x);
		return;
	}
	const json_t *ic = json_object_get(t, "ItemCount");
	x->item_count = json_is_number(ic) ? (long)json_number_value(ic) : -1;
	const json_t *sz = json_object_get(t, "TableSizeBytes");
	long long size = json_is_number(sz) ? (long long)json_number_value(sz) : 0;
	if (!x->o.segments) {
		/* as export chooses them (model/generic.h) */
		long long n = size > 0 ? size / GENERIC_SEGMENT_BYTES + 1 : 1;
		x->o.segments = n > GENERIC_AUTO_SEGMENTS ? GENERIC_AUTO_SEGMENTS : (int)n;
	}
	if (x->o.scope == SEARCH_STEPS && x->user) {
		/* the user's threads first (their names come with them) */
		struct pager *p = cl_user_threads_pager(x->s, x->table, x->user, NULL, x->o.page_limit);
		add_source(x, p, ROLE_LIST, CL_INDEX);
		x->pr.threads_total = -1;
	} else {
		start_reading(x);
	}
	if (leave(x))
		pump(x);
}

static void describe(struct search *x, int purpose)
{
	struct slot *sl = util_xcalloc(1, sizeof *sl);
	sl->x = x;
	sl->purpose = purpose;
	x->describe = sl;
	sl->call = ddb_submit(x->s->ddb, "DescribeTable", json_pack("{s:s}", "TableName", x->table),
	                      describe_done, sl);
}

/* A ValidationException from a Query of an index: is the index missing? */
static void check_index(struct search *x, struct source *src, const struct ddb_error *err)
{
	if (x->index_checked)
		return;   /* already asking */
	ddb_error_copy(&x->index_err, err);
	x->index_checked = src->index_name;
	/* stop reading meanwhile */
	for (size_t i = 0; i < x->n_src; i++) {
		pager_free(x->src[i]->p);
		x->src[i]->p = NULL;
		x->src[i]->busy = false;
		x->src[i]->done = true;
	}
	describe(x, SLOT_INDEX_CHECK);
}

/* ---- starting and pumping ------------------------------------------------------------ */

static void start_reading(struct search *x)
{
	x->started = true;
	const struct search_opts *o = &x->o;
	switch (o->scope) {
	case SEARCH_THREAD_NAMES:
		add_source(x, cl_user_threads_pager(x->s, x->table, x->user,
		                                    o->ignore_case ? NULL : x->text, o->page_limit),
		           ROLE_MATCH, CL_INDEX);
		break;
	case SEARCH_STEPS:
		if (x->plan == PLAN_QUERY)
			break;   /* sources made as pump goes through the queue */
		x->pr.segments = o->segments;
		x->pr.total = x->item_count;
		for (int i = 0; i < o->segments; i++)
			add_source(x, pager_new(x->s, "Scan", steps_scan_request(o, i, o->segments)),
			           ROLE_MATCH, NULL);
		break;
	case SEARCH_DOCUMENTS:
		if (o->namespace_) {
			add_source(x, pager_new(x->s, "Query", docs_ns_request(o, false)), ROLE_MATCH, "GSI1");
			char *a = stache_key_ns_gsi1pk(o->namespace_), *b = stache_key_ns_gsi1pk_raw(o->namespace_);
			if (strcmp(a, b))
				add_source(x, pager_new(x->s, "Query", docs_ns_request(o, true)), ROLE_MATCH,
				           "GSI1");
			free(a);
			free(b);
		} else {
			x->pr.segments = o->segments;
			x->pr.total = x->item_count;
			for (int i = 0; i < o->segments; i++)
				add_source(x, pager_new(x->s, "Scan", docs_scan_request(o, i, o->segments)),
				           ROLE_MATCH, NULL);
		}
		break;
	}
}

static void pump(struct search *x)
{
	if (x->stopped || x->depth)
		return;
	bool paused = x->o.want > 0 && x->pr.matches + (long)x->pending_matches >= x->o.want;
	/* drop the per-thread sources that are through */
	for (size_t i = 0; i < x->n_src;) {
		struct source *src = x->src[i];
		if (src->per_thread && src->done && !src->busy) {
			pager_free(src->p);
			free(src);
			x->src[i] = x->src[--x->n_src];
			continue;
		}
		i++;
	}
	/* start the next threads' queries */
	if (x->plan == PLAN_QUERY && !paused) {
		size_t active = 0;
		for (size_t i = 0; i < x->n_src; i++)
			active += x->src[i]->per_thread;
		while (active < SEARCH_USER_QUERY_INFLIGHT &&
		       x->next_thread < json_array_size(x->queue)) {
			const char *tid = json_string_value(json_array_get(x->queue, x->next_thread++));
			struct source *src = add_source(x, pager_new(x->s, "Query",
			                                             steps_thread_request(&x->o, tid)),
			                                ROLE_MATCH, NULL);
			src->per_thread = true;
			active++;
		}
	}
	bool reading = x->describe != NULL || x->fetches != NULL, more = false;
	for (size_t i = 0; i < x->n_src; i++) {
		struct source *src = x->src[i];
		if (src->done)
			continue;
		more = true;
		if (!src->busy && (!paused || src->role == ROLE_LIST) && src->p &&
		    pager_next(src->p, on_page, src))
			src->busy = true;
		reading |= src->busy;
	}
	if (x->plan == PLAN_QUERY && x->next_thread < json_array_size(x->queue))
		more = true;
	if (!more && !reading) {
		finish(x, NULL);
		return;
	}
	if (!reading && paused && !x->pr.paused) {
		x->pr.paused = true;
		enter(x);
		progress(x);
		leave(x);   /* a free from the callback is done by search_free's caller */
	}
}

struct search *search_start(struct session *s, const struct search_opts *o,
                            const struct search_cbs *cbs, void *ud, char **why)
{
	if (search_check(o, why) != 0)
		return NULL;
	struct search *x = util_xcalloc(1, sizeof *x);
	x->s = s;
	x->o = *o;
	x->text = util_xstrdup(o->text);
	x->table = util_xstrdup(o->table);
	x->user = o->user ? util_xstrdup(o->user) : NULL;
	x->step_type = o->step_type ? util_xstrdup(o->step_type) : NULL;
	x->namespace_ = o->namespace_ ? util_xstrdup(o->namespace_) : NULL;
	x->o.text = x->text;
	x->o.table = x->table;
	x->o.user = x->user;
	x->o.step_type = x->step_type;
	x->o.namespace_ = x->namespace_;
	if (cbs)
		x->cb = *cbs;
	x->ud = ud;
	needle_init(&x->nd, x->text, o->ignore_case);
	x->threads = json_object();
	x->queue = json_array();
	x->item_count = -1;
	x->pr.total = -1;
	x->pr.threads_total = -1;
	x->pr.threads_done = o->scope == SEARCH_STEPS && x->user ? 0 : -1;
	bool scans = o->scope == SEARCH_STEPS || (o->scope == SEARCH_DOCUMENTS && !o->namespace_);
	if (scans) {
		describe(x, SLOT_DESCRIBE);   /* the item count, the segments */
	} else {
		start_reading(x);
		pump(x);
	}
	return x;
}

void search_more(struct search *x, long want)
{
	if (x->stopped)
		return;
	x->o.want = want;
	x->pr.paused = false;
	pump(x);
}

void search_cancel(struct search *x)
{
	if (x->stopped)
		return;
	struct ddb_error e = {.kind = DDB_ERR_CANCELLED, .message = "cancelled"};
	finish(x, &e);
}

void search_free(struct search *x)
{
	if (!x)
		return;
	stop_all(x);
	x->stopped = true;
	if (x->depth) {
		x->free_pending = true;
		return;
	}
	real_free(x);
}

const struct search_progress *search_get_progress(const struct search *x)
{
	return &x->pr;
}

bool search_finished(const struct search *x)
{
	return x->stopped;
}

/* ---- synchronous ------------------------------------------------------------------- */

struct sync {
	struct search_cbs user;
	void *ud;
	bool done;
	struct ddb_error *err;
	int rc;
	struct search_progress pr;
};

static void sync_batch(const struct search_match *v, size_t n, void *ud)
{
	struct sync *y = ud;
	if (y->user.batch)
		y->user.batch(v, n, y->ud);
}

static void sync_progress(const struct search_progress *p, void *ud)
{
	struct sync *y = ud;
	if (y->user.progress)
		y->user.progress(p, y->ud);
}

static void sync_done(const struct search_progress *p, const struct ddb_error *err, void *ud)
{
	struct sync *y = ud;
	y->done = true;
	y->pr = *p;
	if (err) {
		ddb_error_copy(y->err, err);
		y->rc = -1;
	}
	if (y->user.done)
		y->user.done(p, err, y->ud);
}

int search_run_sync(struct session *s, const struct search_opts *o, const struct search_cbs *cbs,
                    void *ud, struct search_progress *pr, struct ddb_error *err)
{
	memset(err, 0, sizeof *err);
	struct sync y = {.ud = ud, .err = err};
	if (cbs)
		y.user = *cbs;
	struct search_cbs mine = {.batch = sync_batch, .progress = sync_progress, .done = sync_done};
	struct search_opts all = *o;
	all.want = 0;   /* nobody would call search_more */
	char *why = NULL;
	struct search *x = search_start(s, &all, &mine, &y, &why);
	if (!x) {
		err->kind = DDB_ERR_USAGE;
		err->message = why;
		return -1;
	}
	while (!y.done)
		ddb_client_wait(s->ddb, 1000);
	search_free(x);
	/* the requests cancelled at the end (other segments after an error)
	 * still complete: let their callbacks free what they hold */
	ddb_client_drain(s->ddb);
	if (pr)
		*pr = y.pr;
	return y.rc;
}
