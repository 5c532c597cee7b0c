/* tests/fuzz/fuzz-entities.c: decoding attribute values and items into
 * entities.
 *
 * Input: bytes parsed as JSON (json_loadb, JSON_ALLOW_NUL); anything that
 * parses is run through every decoder, and so is each element when it is an
 * array (a page of items).  Covered: aws/ddb.h (ddb_av_type, ddb_av_get_s,
 * ddb_av_get_n, ddb_item_s), model/item.h (every reader, item_n_to_ll,
 * item_to_plain, the problem list), model/stache.h (namespace and row
 * decoding, lists, sorting, keys, stache_json_dumps, stache_item_key),
 * model/jsontext.h (writing plain trees and metadata, reading them back),
 * model/chainlit.h (users, threads, index items, steps and feedback,
 * elements, lists, keys).
 *
 * Properties checked:
 *   - ddb_av_type names the single key of a one-key object, else NULL;
 *   - a reader never fails silently: it returns a value, or the attribute is
 *     missing / NULL where that is allowed, or it adds a problem;
 *   - item_to_plain always returns a value, makes an exact number (with the
 *     same value) only of an N whose text is a decimal number, never a
 *     double, and keeps any other N text as it is;
 *   - jsontext_dumps writes what jsontext_loads reads back as the same
 *     value, and writes that again byte for byte;
 *   - stache_json_dumps reads back as the same value;
 *   - stache_key_escape leaves no '#' and unescapes to its input;
 *   - rows sorted newest first are in order, unparsed times last;
 *   - a decoded entity with a NULL required field has a problem. */
#include "fuzz.h"

#include <stdbool.h>

#include <jansson.h>

#include "aws/ddb.h"
#include "model/item.h"
#include "model/jsontext.h"
#include "model/stache.h"
#include "model/chainlit.h"

static const char *const tags[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};

/* ---- model/jsontext.h ----------------------------------------------------- */

/* Two numbers' texts hold the same value (Python's view: integers exactly,
 * others as doubles). */
static bool same_number(const char *a, const char *b)
{
	bool ia = !strpbrk(a, ".eE"), ib = !strpbrk(b, ".eE");
	if (ia && ib) {
		a += !strcmp(a, "-0");
		b += !strcmp(b, "-0");
		return !strcmp(a, b);
	}
	return strtod(a, NULL) == strtod(b, NULL);
}

static char *number_text(const json_t *v)
{
	const char *exact = jsontext_number_text(v);
	return exact ? strdup(exact) : jsontext_dumps(v, 0);
}

/* Same JSON value, numbers compared by value. */
static bool same_json(const json_t *a, const json_t *b)
{
	if (jsontext_is_number(a) || jsontext_is_number(b)) {
		if (!jsontext_is_number(a) || !jsontext_is_number(b))
			return false;
		char *x = number_text(a), *y = number_text(b);
		bool same = same_number(x, y);
		free(x);
		free(y);
		return same;
	}
	if (json_typeof(a) != json_typeof(b))
		return false;
	if (json_is_object(a)) {
		const char *k;
		size_t klen;
		json_t *x;
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_keylen_foreach((json_t *)a, k, klen, x) {
			const json_t *y = json_object_getn(b, k, klen);
			if (!y || !same_json(x, y))
				return false;
		}
		return true;
	}
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!same_json(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	}
	return json_equal((json_t *)a, (json_t *)b);
}

/* jsontext_dumps writes JSON text that reads back as the same value (and
 * is written again the same). */
static void check_written(const json_t *v, size_t flags)
{
	char *txt = jsontext_dumps(v, flags);
	FUZZ_CHECK(txt != NULL, "jsontext_dumps returned NULL");
	json_error_t err;
	json_t *back = jsontext_loads(txt, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	FUZZ_CHECK(back != NULL, "jsontext_dumps wrote text that does not read back (%s): %s",
	           err.text, fuzz_show(txt, strlen(txt)));
	FUZZ_CHECK(same_json(back, v), "jsontext_dumps does not read back the same: %s",
	           fuzz_show(txt, strlen(txt)));
	char *again = jsontext_dumps(back, flags);
	FUZZ_CHECK(!strcmp(again, txt), "written again differently: %s",
	           fuzz_show(again, strlen(again)));
	free(again);
	json_decref(back);
	free(txt);
}

/* ---- aws/ddb.h ------------------------------------------------------------ */

static void check_av(const json_t *av)
{
	const char *t = ddb_av_type(av);
	const char *want = NULL;
	if (json_is_object(av) && json_object_size(av) == 1) {
		const char *key = json_object_iter_key(json_object_iter((json_t *)av));
		for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
			if (!strcmp(key, tags[i]))
				want = tags[i];
	}
	FUZZ_CHECK(t == want || (t && want && !strcmp(t, want)), "ddb_av_type gave %s, expected %s",
	           t ? t : "NULL", want ? want : "NULL");

	const char *s = ddb_av_get_s(av);
	if (s)
		FUZZ_CHECK(t && !strcmp(t, "S") && s == json_string_value(json_object_get(av, "S")),
		           "ddb_av_get_s returned a string for a %s", t ? t : "malformed value");
	else if (t && !strcmp(t, "S"))
		FUZZ_CHECK(!json_is_string(json_object_get(av, "S")), "ddb_av_get_s missed an S");
	const char *n = ddb_av_get_n(av);
	if (n)
		FUZZ_CHECK(t && !strcmp(t, "N"), "ddb_av_get_n returned text for a %s",
		           t ? t : "malformed value");

	json_t *plain = item_to_plain(av);
	if (!plain) {
		char *shown = json_dumps(av, JSON_ENCODE_ANY | JSON_COMPACT);
		FUZZ_CHECK(plain != NULL, "item_to_plain returned NULL for %s", shown ? shown : "?");
	}
	if (n) {
		FUZZ_CHECK(!json_is_number(plain), "item_to_plain made a double of the N text \"%s\"",
		           fuzz_show(n, strlen(n)));
		const char *exact = jsontext_number_text(plain);
		if (exact) {
			FUZZ_CHECK(*n && strspn(n, "0123456789+-.eE") == strlen(n),
			           "item_to_plain made the number %s of the N text \"%s\"", exact,
			           fuzz_show(n, strlen(n)));
			FUZZ_CHECK(strtod(exact, NULL) == strtod(n, NULL) || strtod(n, NULL) != strtod(n, NULL),
			           "item_to_plain made the number %s of the N text \"%s\"", exact,
			           fuzz_show(n, strlen(n)));
		} else {
			FUZZ_CHECK(json_is_string(plain) && !strcmp(json_string_value(plain), n),
			           "item_to_plain lost the N text \"%s\"", fuzz_show(n, strlen(n)));
		}
	}
	check_written(plain, JT_COMPACT | JT_ENSURE_ASCII);
	check_written(plain, JT_INDENT(2) | JT_SORT_KEYS);
	json_decref(plain);
}

/* ---- model/item.h --------------------------------------------------------- */

/* What a reader may do with attribute `name` of `item` wanting type `want`:
 * returns true when it must return a value, false when it must return NULL;
 * *problem says whether a problem must be added. */
static bool expect_read(const json_t *item, const char *name, const char *want, bool required,
                        bool *problem)
{
	const json_t *av = json_object_get(item, name);
	*problem = false;
	if (!av) {
		*problem = required;
		return false;
	}
	const char *t = ddb_av_type(av);
	if (t && !strcmp(t, "NULL")) {
		*problem = required;
		return false;
	}
	if (!t || strcmp(t, want)) {
		*problem = true;
		return false;
	}
	const json_t *v = json_object_get(av, want);
	bool ok = false;
	if (!strcmp(want, "S") || !strcmp(want, "N"))
		ok = json_is_string(v);
	else if (!strcmp(want, "BOOL"))
		ok = json_is_boolean(v);
	else if (!strcmp(want, "M"))
		ok = json_is_object(v);
	else if (!strcmp(want, "L"))
		ok = json_is_array(v);
	*problem = !ok;
	return ok;
}

static void check_reader(const json_t *item, const char *name, const char *want, bool required,
                         bool got_value, const struct problems *p, size_t before)
{
	bool problem;
	bool value = expect_read(item, name, want, required, &problem);
	if (got_value == value && (p->n > before) == problem && p->n - before <= 1)
		return;
	char *shown = json_dumps(json_object_get(item, name), JSON_ENCODE_ANY | JSON_COMPACT);
	FUZZ_CHECK(got_value == value, "%s reader of %s (%s) %s a value for %s", want,
	           required ? "a required attribute" : "an optional attribute", name,
	           got_value ? "returned" : "did not return", shown ? shown : "(missing)");
	FUZZ_CHECK((p->n > before) == problem, "%s reader of %s %s a problem for %s", want, name,
	           p->n > before ? "added" : "did not add", shown ? shown : "(missing)");
	FUZZ_CHECK(p->n - before <= 1, "one read added %zu problems", p->n - before);
	free(shown);
}

static void check_readers(const json_t *item, const char *name)
{
	struct problems p = {0};
	size_t b;
	const char *s;

	b = p.n;
	s = item_req_s(item, name, &p);
	check_reader(item, name, "S", true, s != NULL, &p, b);
	b = p.n;
	s = item_opt_s(item, name, &p);
	check_reader(item, name, "S", false, s != NULL, &p, b);
	b = p.n;
	s = item_req_n(item, name, &p);
	check_reader(item, name, "N", true, s != NULL, &p, b);
	b = p.n;
	s = item_opt_n(item, name, &p);
	check_reader(item, name, "N", false, s != NULL, &p, b);
	if (s) {
		long long ll;
		(void)item_n_to_ll(s, &ll);
	}
	b = p.n;
	int bv = item_opt_bool(item, name, &p);
	FUZZ_CHECK(bv >= -1 && bv <= 1, "item_opt_bool returned %d", bv);
	check_reader(item, name, "BOOL", false, bv >= 0, &p, b);
	b = p.n;
	const json_t *m = item_opt_m(item, name, &p);
	check_reader(item, name, "M", false, m != NULL, &p, b);
	if (m)
		FUZZ_CHECK(json_is_object(m), "item_opt_m returned a non-object");
	b = p.n;
	const json_t *l = item_opt_l(item, name, &p);
	check_reader(item, name, "L", false, l != NULL, &p, b);
	if (l)
		FUZZ_CHECK(json_is_array(l), "item_opt_l returned a non-array");

	/* NULL problem list: the same answers, nothing recorded */
	(void)item_req_s(item, name, NULL);
	(void)item_opt_bool(item, name, NULL);
	(void)item_opt_m(item, name, NULL);

	char *joined = problems_join(&p);
	FUZZ_CHECK(joined != NULL, "problems_join returned NULL");
	FUZZ_CHECK(p.n || !*joined, "problems_join of no problem is \"%s\"", joined);
	free(joined);
	problems_free(&p);
	FUZZ_CHECK(p.n == 0 && p.v == NULL, "problems_free left entries");
}

/* ---- model/stache.h -------------------------------------------------------- */

static char *unescape_key(const char *s)
{
	char *out = fuzz_strndup(s, strlen(s)), *o = out;
	for (const char *c = s; *c;) {
		if (!strncmp(c, "%23", 3)) {
			*o++ = '#';
			c += 3;
		} else if (!strncmp(c, "%25", 3)) {
			*o++ = '%';
			c += 3;
		} else {
			*o++ = *c++;
		}
	}
	*o = '\0';
	return out;
}

static void check_escape(const char *s)
{
	char *e = stache_key_escape(s);
	FUZZ_CHECK(e != NULL, "stache_key_escape returned NULL");
	FUZZ_CHECK(!strchr(e, '#'), "stache_key_escape(\"%s\") left a '#'", fuzz_show(s, strlen(s)));
	char *back = unescape_key(e);
	FUZZ_CHECK(!strcmp(back, s), "stache_key_escape(\"%s\") = \"%s\" does not unescape back",
	           fuzz_show(s, strlen(s)), e);
	free(back);

	char *pk = stache_key_doc_pk(s, s);
	char *want = NULL;
	if (asprintf(&want, "DOC#%s#%s", e, s) < 0)   /* the id is not escaped */
		abort();
	FUZZ_CHECK(pk && !strcmp(pk, want), "stache_key_doc_pk(\"%s\") = \"%s\"",
	           fuzz_show(s, strlen(s)), pk ? pk : "NULL");
	free(want);
	free(pk);
	free(stache_key_ns_gsi1pk(s));
	char *f = stache_key_file_gsi2pk(s, s);
	if (asprintf(&want, "FILENAME#%s#%s", e, e) < 0)
		abort();
	FUZZ_CHECK(f && !strcmp(f, want), "stache_key_file_gsi2pk(\"%s\") = \"%s\"",
	           fuzz_show(s, strlen(s)), f ? f : "NULL");
	free(f);
	free(want);
	free(stache_key_ns_gsi1pk_raw(s));
	free(stache_key_file_gsi2pk_raw(s, s));
	free(stache_key_doc_pk(NULL, s));
	free(e);
}

static void check_dumps(const json_t *v)
{
	char *text = stache_json_dumps(v);
	FUZZ_CHECK(text != NULL, "stache_json_dumps returned NULL");
	json_error_t err;
	json_t *back = jsontext_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	FUZZ_CHECK(back != NULL, "stache_json_dumps wrote text that does not read back (%s): %s",
	           err.text, fuzz_show(text, strlen(text)));
	FUZZ_CHECK(same_json(back, v), "stache_json_dumps does not read back the same: %s",
	           fuzz_show(text, strlen(text)));
	json_decref(back);
	free(text);
	check_written(v, JT_INDENT(2) | JT_ENSURE_ASCII);
}

static void check_ns(const json_t *item)
{
	struct stache_ns ns;
	stache_ns_decode(item, &ns);
	FUZZ_CHECK(ns.raw == item, "stache_ns.raw is not the item");
	FUZZ_CHECK(ns.description != NULL, "stache_ns.description is NULL");
	bool null_field = !ns.id || !ns.name || !ns.parent_id || !ns.created_at || !ns.updated_at;
	FUZZ_CHECK(!null_field || ns.problems.n > 0, "a namespace without id/name/parent_id/"
	           "created_at/updated_at has no problem");
	FUZZ_CHECK(ns.is_root == (ns.parent_id && !strcmp(ns.parent_id, STACHE_ROOT_PARENT)),
	           "is_root disagrees with parent_id");
	FUZZ_CHECK(!ns.metadata || json_is_object(ns.metadata), "metadata is not an object");
	FUZZ_CHECK(!ns.filter_keys || json_is_array(ns.filter_keys), "filter_keys is not an array");
	FUZZ_CHECK(!ns.metadata_text || ns.metadata || ns.problems.n > 0,
	           "unparsed metadata without a problem");
	if (ns.metadata)
		check_dumps(ns.metadata);
	if (ns.filter_keys)
		check_dumps(ns.filter_keys);
	const char *fields[] = {ns.id, ns.name, ns.parent_id};
	for (size_t i = 0; i < 3; i++)
		if (fields[i])
			check_escape(fields[i]);
	char *j = problems_join(&ns.problems);
	free(j);
	stache_ns_clear(&ns);
}

static void check_row(const json_t *item)
{
	struct stache_row r;
	stache_row_decode(item, &r);
	FUZZ_CHECK(r.raw == item, "stache_row.raw is not the item");
	FUZZ_CHECK(r.kind >= STACHE_ROW_DOCUMENT && r.kind <= STACHE_ROW_UNKNOWN, "row kind %d",
	           (int)r.kind);
	FUZZ_CHECK(stache_row_kind_name(r.kind) != NULL, "no name for row kind %d", (int)r.kind);
	FUZZ_CHECK(r.status >= STACHE_ST_NONE && r.status <= STACHE_ST_OTHER, "status %d",
	           (int)r.status);
	FUZZ_CHECK(stache_status_name(r.status) != NULL, "no name for status %d", (int)r.status);
	FUZZ_CHECK(!r.metadata || json_is_object(r.metadata), "row metadata is not an object");
	if (r.metadata)
		check_dumps(r.metadata);
	char *j = problems_join(&r.problems);
	free(j);
	j = problems_join(&r.key_problems);
	free(j);
	stache_row_clear(&r);
}

static void check_row_sort(const json_t *items)
{
	struct stache_row_list l = {0};
	stache_row_list_add_items(&l, items);
	FUZZ_CHECK(l.n == json_array_size(items), "%zu rows from %zu items", l.n,
	           json_array_size(items));
	stache_rows_sort_newest(l.v, l.n);
	for (size_t i = 1; i < l.n; i++) {
		const struct stache_row *a = &l.v[i - 1], *b = &l.v[i];
		FUZZ_CHECK(a->when_ok || !b->when_ok, "a row without a time sorts before one with");
		if (a->when_ok && b->when_ok)
			FUZZ_CHECK(a->when_us >= b->when_us, "rows not newest first: %lld before %lld",
			           (long long)a->when_us, (long long)b->when_us);
	}
	stache_row_list_free(&l);

	struct stache_ns_list nl = {0};
	stache_ns_list_add_items(&nl, items);
	for (size_t i = 0; i < nl.n; i++)
		for (size_t k = 0; k < nl.n && k < 8; k++) {
			int ab = stache_ns_cmp_name(&nl.v[i], &nl.v[k]);
			int ba = stache_ns_cmp_name(&nl.v[k], &nl.v[i]);
			FUZZ_CHECK((ab > 0) == (ba < 0) && (ab < 0) == (ba > 0),
			           "stache_ns_cmp_name is not antisymmetric (%d, %d)", ab, ba);
		}
	stache_ns_list_free(&nl);
}

/* ---- model/chainlit.h ------------------------------------------------------ */

static void check_chainlit(const json_t *item)
{
	enum cl_kind k = cl_item_kind(item);
	FUZZ_CHECK(k >= CL_ITEM_USER && k <= CL_ITEM_UNKNOWN, "cl_item_kind %d", (int)k);

	struct cl_user u;
	cl_user_decode(&u, item);
	FUZZ_CHECK(u.identifier != NULL, "cl_user.identifier is NULL");
	FUZZ_CHECK(u.id || u.problems.n, "a user without id has no problem");
	FUZZ_CHECK(!u.metadata || json_is_object(u.metadata), "user metadata is not an object");
	cl_user_clear(&u);

	struct cl_thread t;
	cl_thread_decode(&t, item);
	FUZZ_CHECK(t.id != NULL, "cl_thread.id is NULL");
	FUZZ_CHECK(!t.tags || json_is_array(t.tags), "thread tags are not an array");
	FUZZ_CHECK(!t.metadata || json_is_object(t.metadata), "thread metadata is not an object");
	cl_thread_clear(&t);
	cl_thread_decode_index(&t, item);
	FUZZ_CHECK(t.id != NULL && t.from_index, "index thread: id NULL or not from_index");
	cl_thread_clear(&t);

	struct cl_step st;
	cl_step_decode(&st, item);
	FUZZ_CHECK(st.id != NULL && st.thread_id != NULL, "cl_step id or thread_id is NULL");
	FUZZ_CHECK(st.streaming >= -1 && st.streaming <= 1 && st.is_error >= -1 && st.is_error <= 1,
	           "streaming %d, isError %d", st.streaming, st.is_error);
	FUZZ_CHECK(st.feedback.vote >= -1 && st.feedback.vote <= 1, "vote %d", st.feedback.vote);
	FUZZ_CHECK(!st.metadata || json_is_object(st.metadata), "step metadata is not an object");
	FUZZ_CHECK(!st.generation || json_is_object(st.generation), "generation is not an object");
	FUZZ_CHECK(!st.tags || json_is_array(st.tags), "step tags are not an array");
	int64_t d = cl_step_duration_us(&st);
	FUZZ_CHECK(d >= -1, "negative duration %lld", (long long)d);
	(void)cl_step_is_message(&st);
	json_t *key = cl_step_key(st.thread_id, st.id);
	FUZZ_CHECK(key && json_object_size(key) == 2, "cl_step_key is not a two-attribute key");
	json_decref(key);
	cl_step_clear(&st);

	struct cl_element e;
	cl_element_decode(&e, item);
	FUZZ_CHECK(e.id != NULL && e.thread_id != NULL, "cl_element id or thread_id is NULL");
	cl_element_clear(&e);

	const char *pk = ddb_item_s(item, "PK"), *sk = ddb_item_s(item, "SK");
	const char *prefixes[] = {"USER#", "THREAD#", "STEP#", "ELEMENT#", "", "T"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		const char *keys[] = {pk, sk};
		for (size_t j = 0; j < 2; j++) {
			if (!keys[j])
				continue;
			const char *rest = cl_strip_prefix(keys[j], prefixes[i]);
			size_t pl = strlen(prefixes[i]);
			FUZZ_CHECK(rest == (strncmp(keys[j], prefixes[i], pl) ? NULL : keys[j] + pl),
			           "cl_strip_prefix(\"%s\", \"%s\") is wrong",
			           fuzz_show(keys[j], strlen(keys[j])), prefixes[i]);
		}
	}
	json_t *k2 = cl_key("THREAD#", pk, sk);
	FUZZ_CHECK(k2 != NULL, "cl_key returned NULL");
	json_decref(k2);
}

static void check_chainlit_lists(const json_t *items)
{
	struct cl_users us = {0};
	cl_users_add(&us, items);
	cl_users_free(&us);
	struct cl_threads ts = {0};
	cl_threads_add(&ts, items);
	cl_threads_free(&ts);
	struct cl_steps ss = {0};
	cl_steps_add(&ss, items);
	FUZZ_CHECK(ss.n == json_array_size(items), "%zu steps from %zu items", ss.n,
	           json_array_size(items));
	cl_steps_free(&ss);
}

/* ---- the driver ------------------------------------------------------------- */

static void check_item(const json_t *v)
{
	check_av(v);
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		size_t i = 0;
		json_object_foreach((json_t *)v, k, x) {
			if (i++ >= 64)
				break;
			check_readers(v, k);
			check_av(x);
			const char *s = ddb_av_get_s(x);
			if (s && i <= 16)
				check_escape(s);
		}
		/* names that are usually missing */
		check_readers(v, "");
		check_readers(v, "id");
		json_t *key = stache_item_key(v);
		json_decref(key);
	}
	check_ns(v);
	check_row(v);
	check_chainlit(v);
	check_dumps(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *v = json_loadb((const char *)data, size, JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
	if (!v)
		return 0;
	check_item(v);
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			if (i >= 256)
				break;
			check_item(x);
		}
		check_row_sort(v);
		check_chainlit_lists(v);
	}
	json_decref(v);
	return 0;
}
