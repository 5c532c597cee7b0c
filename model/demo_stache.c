/* model/demo_stache.c: Stache AI demo data, written in exactly the shapes
 * stache-ai-dynamodb 0.2.1 writes (SCHEMAS.md A.1-A.4), plus older rows and
 * the broken states `ddtree check` finds.
 *
 * Namespaces: engineering > backend > api / db, engineering > frontend,
 * engineering > c# (a '#' in the id), research > papers / notes, personal >
 * recettes-été (Unicode id and name); broken: archive/2024 (+ a child) whose
 * parent "archive" is gone, projects/alpha <-> projects/beta (a 2-cycle),
 * "scratch" (metadata a Map instead of JSON text) and "imports" (metadata
 * not valid JSON).
 * Documents: 41 over those namespaces in every state (active, legacy without
 * status, deleting with its TRASH entry, purging with its CLEANUP job, a
 * purged tombstone without chunk_ids, restored), escaped keys (%23),
 * a pre-0.2.0 row with raw keys, a filename holding a terminal escape, documents in the unregistered "default" and
 * "old-project" namespaces and one with a NULL namespace; broken: one
 * document whose GSI1PK names another namespace.  Dedup reservations (SOURCE#
 * and HASH#) for the active documents and one pending ingest.
 * Everything is derived from fixed numbers: the same data on every run. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/demo.h"
#include "model/stache.h"
#include "model/timefmt.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BASE_TIME "2026-07-01T08:00:00+00:00"
#define DAY_US (86400LL * 1000000)
#define HOUR_US (3600LL * 1000000)

/* ---- namespaces ---------------------------------------------------------------- */

enum ns_broken { NS_OK, NS_METADATA_MAP, NS_METADATA_BAD_JSON };

static const struct demo_ns {
	const char *id, *name, *description;
	const char *parent;          /* NULL: top level */
	const char *metadata;        /* JSON, stored as json.dumps text */
	const char *filter_keys;
	int day, updated_day;        /* days after BASE_TIME */
	enum ns_broken broken;
} demo_namespaces[] = {
	{"engineering", "Engineering", "Everything engineering", NULL,
	 "{\"icon\": \"wrench\", \"color\": \"#3366ff\"}", "[\"source\", \"team\"]", 0, 0, NS_OK},
	{"engineering/backend", "Backend", "Services, APIs and storage", "engineering",
	 "{\"owner\": \"platform\", \"oncall\": true}", "[\"service\"]", 0, 3, NS_OK},
	{"engineering/backend/api", "API", "HTTP API design notes", "engineering/backend",
	 "{}", "[]", 1, 1, NS_OK},
	{"engineering/backend/db", "Databases & Storage", "", "engineering/backend",
	 "{\"owner\": \"dba\"}", "[\"engine\", \"version\"]", 1, 19, NS_OK},
	{"engineering/frontend", "Frontend", "Web UI", "engineering",
	 "{\"framework\": \"react\", \"since\": 2023}", "[\"component\"]", 2, 2, NS_OK},
	{"engineering/c#", "C# Notes", ".NET services", "engineering",
	 "{\"runtime\": \"net8.0\"}", "[]", 2, 2, NS_OK},
	{"research", "Research", "", NULL, "{}", "[]", 0, 0, NS_OK},
	{"research/papers", "Papers", "Papers worth keeping", "research",
	 "{\"citation_style\": \"apa\", \"review\": {\"every_days\": 90}}",
	 "[\"author\", \"year\"]", 0, 5, NS_OK},
	{"research/notes", "Notes", "Reading notes", "research", "{}", "[\"book\"]", 1, 1, NS_OK},
	{"personal", "Personal", "", NULL,
	 "{\"icon\": \"\xf0\x9f\x8d\xb3\", \"owner\": \"ana\"}", "[]", 3, 3, NS_OK},
	{"personal/recettes-\xc3\xa9t\xc3\xa9", "Recettes d'\xc3\xa9t\xc3\xa9 \xf0\x9f\x8d\x93",
	 "Cuisine l\xc3\xa9g\xc3\xa8re", "personal",
	 "{\"langue\": \"fran\xc3\xa7" "ais\", \"\xc3\xa9toiles\": 5, \"tags\": [\"\xc3\xa9t\xc3\xa9\", "
	 "\"\xf0\x9f\x8d\x93\"]}", "[\"saison\"]", 4, 6, NS_OK},
	/* broken: parent deleted ("delete" leaves children only with cascade off
	 * after a manual clean-up) */
	{"archive/2024", "Archive 2024", "Kept when archive was removed", "archive",
	 "{}", "[]", 5, 5, NS_OK},
	{"archive/2024/q4", "Q4", "", "archive/2024", "{}", "[]", 5, 5, NS_OK},
	/* broken: two re-parent updates made a cycle */
	{"projects/alpha", "Alpha", "", "projects/beta", "{}", "[]", 6, 9, NS_OK},
	{"projects/beta", "Beta", "", "projects/alpha", "{}", "[]", 6, 9, NS_OK},
	/* broken: edited by hand */
	{"scratch", "Scratch", "Throwaway notes", NULL, "{\"owner\": \"ops\"}", "[]", 7, 7,
	 NS_METADATA_MAP},
	{"imports", "Imports", "", NULL, "{'source': 'csv', 'tags': ['bulk']}", "[]", 7, 7,
	 NS_METADATA_BAD_JSON},
};

/* ---- documents ------------------------------------------------------------------- */

enum doc_state { D_ACTIVE, D_LEGACY, D_DELETING, D_PURGING, D_PURGED, D_RESTORED };

enum {
	F_TEXT = 1,          /* pasted text: no source path, HASH# reservation */
	F_BAD_GSI1PK = 2,    /* broken: GSI1PK names another namespace */
	F_RAW_KEYS = 4,      /* written before 0.2.0: keys not escaped */
	F_ORIGINAL = 8,      /* 0.2.1: the original kept (blob_key, content_type) */
	F_NULL_NS = 16,      /* namespace NULL (ingested before the "default" fallback) */
};

static const struct demo_doc {
	const char *ns, *filename, *source_path, *file_type;
	enum doc_state state;
	int chunks;
	long long size;
	int hour;                 /* created this many hours after BASE_TIME */
	const char *summary;
	const char *metadata;     /* JSON, stored as a native M */
	unsigned flags;
} demo_docs[] = {
	/* research/papers: every status */
	{"research/papers", "attention.pdf", "/home/ana/kb/papers/attention.pdf", "pdf", D_ACTIVE, 3,
	 411612, 200, "Introduces the Transformer architecture, built on attention alone.",
	 "{\"source\": \"cli\", \"author\": \"ana\", \"score\": 0.87, "
	 "\"nested\": {\"pages\": 15, \"lang\": \"en\"}}", F_ORIGINAL},
	{"research/papers", "attention.pdf", "/home/ana/kb/papers/attention.pdf", "pdf", D_PURGED, 3,
	 402210, 20, NULL, "{\"source\": \"cli\"}", 0},
	{"research/papers", "rag-survey.pdf", "/home/ana/kb/papers/rag-survey.pdf", "pdf", D_PURGING,
	 4, 1204551, 150, "A survey of retrieval-augmented generation.", NULL, 0},
	{"research/papers", "bert.pdf", "/home/ana/kb/papers/bert.pdf", "pdf", D_DELETING, 5, 775009,
	 170, NULL, "{\"author\": \"ana\", \"year\": 2019}", 0},
	{"research/papers", "word2vec.pdf", NULL, "pdf", D_LEGACY, 2, 233812, -4100, NULL, NULL, 0},
	{"research/papers", "gpt3.pdf", "/home/ana/kb/papers/gpt3.pdf", "pdf", D_ACTIVE, 9, 6712003,
	 230, "Language models are few-shot learners.", "{\"year\": 2020}", F_ORIGINAL},
	{"research/papers", "lora.pdf", "/home/ana/kb/papers/lora.pdf", "pdf", D_RESTORED, 2, 1603720,
	 120, NULL, NULL, 0},
	/* research/notes */
	{"research/notes", "reading-list.md", "/home/ana/kb/notes/reading-list.md", "md", D_ACTIVE, 1,
	 2211, 90, NULL, "{\"book\": \"several\"}", 0},
	{"research/notes", "pasted text", NULL, "text", D_ACTIVE, 1, 734, 95, NULL,
	 "{\"source\": \"web\"}", F_TEXT},
	{"research/notes", "dune.txt", NULL, "txt", D_LEGACY, 2, 5012, -3900, NULL,
	 "{\"book\": \"Dune\"}", 0},
	{"research/notes", "kahneman.md", "/home/ana/kb/notes/kahneman.md", "md", D_DELETING, 3, 9920,
	 100, NULL, NULL, 0},
	/* engineering/backend/api */
	{"engineering/backend/api", "openapi.yaml", "/srv/kb/api/openapi.yaml", "yaml", D_ACTIVE, 12,
	 48211, 30, "The public HTTP API.", "{\"team\": \"api\", \"version\": \"3.1\"}", 0},
	{"engineering/backend/api", "auth-flow.md", "/srv/kb/api/auth-flow.md", "md", D_ACTIVE, 4,
	 8120, 32, NULL, "{\"team\": \"api\"}", 0},
	{"engineering/backend/api", "rate-limits.md", "/srv/kb/api/rate-limits.md", "md", D_ACTIVE, 2,
	 3050, 40, NULL, NULL, 0},
	{"engineering/backend/api", "errors.md", "/srv/kb/api/errors.md", "md", D_RESTORED, 2, 4410,
	 44, NULL, NULL, 0},
	{"engineering/backend/api", "pagination.md", "/srv/kb/api/pagination.md", "md", D_ACTIVE, 1,
	 1902, 46, NULL, NULL, 0},
	{"engineering/backend/api", "websockets.md", "/srv/kb/api/websockets.md", "md", D_ACTIVE, 3,
	 6120, 300, NULL, NULL, 0},
	/* engineering/backend/db */
	{"engineering/backend/db", "schema.sql", "/srv/kb/db/schema.sql", "sql", D_ACTIVE, 22, 1886038,
	 50, NULL, "{\"engine\": \"postgres\", \"version\": 16}", 0},
	{"engineering/backend/db", "migrations.md", "/srv/kb/db/migrations.md", "md", D_ACTIVE, 3,
	 7001, 52, NULL, NULL, 0},
	{"engineering/backend/db", "dynamodb-notes.md", "/srv/kb/db/dynamodb-notes.md", "md",
	 D_ACTIVE, 5, 15020, 54, NULL, "{\"engine\": \"dynamodb\"}", 0},
	{"engineering/backend/db", "backups.md", NULL, "md", D_LEGACY, 1, 2048, -3000, NULL, NULL, 0},
	{"engineering/backend/db", "indexes.md", "/srv/kb/db/indexes.md", "md", D_ACTIVE, 2, 3999,
	 310, NULL, NULL, 0},
	/* engineering/frontend */
	{"engineering/frontend", "design-system.md", "/srv/kb/fe/design-system.md", "md", D_ACTIVE, 6,
	 22004, 60, NULL, "{\"component\": \"all\"}", 0},
	{"engineering/frontend", "a11y-checklist.md", "/srv/kb/fe/a11y-checklist.md", "md", D_ACTIVE,
	 2, 3100, 62, NULL, NULL, 0},
	{"engineering/frontend", "components.tsx", "/srv/kb/fe/components.tsx", "tsx", D_ACTIVE, 7,
	 30110, 64, NULL, NULL, F_BAD_GSI1PK},
	{"engineering/frontend", "perf.md", "/srv/kb/fe/perf.md", "md", D_ACTIVE, 2, 4800, 66, NULL,
	 NULL, 0},
	/* engineering/c#: escaped keys, and one row from before the escaping */
	{"engineering/c#", "async#await.md", "/srv/kb/c#/async#await.md", "md", D_ACTIVE, 3, 9000, 70,
	 NULL, NULL, 0},
	{"engineering/c#", "nuget.md", "/srv/kb/c#/nuget.md", "md", D_ACTIVE, 1, 1500, 72, NULL, NULL,
	 0},
	{"engineering/c#", "linq.md", NULL, "md", D_LEGACY, 2, 4200, -2500, NULL, NULL, F_RAW_KEYS},
	/* personal */
	{"personal", "recipes (draft).md", "/home/ana/kb/recipes (draft).md", "md", D_ACTIVE, 1, 980,
	 80, NULL, NULL, 0},
	{"personal", "notes#draft.md", "/kb/notes#draft.md", "md", D_ACTIVE, 1, 420, 82, NULL, NULL, 0},
	{"personal", "pasted text", NULL, "text", D_ACTIVE, 1, 211, 84, NULL, NULL, F_TEXT},
	/* hostile text: a terminal escape in a filename must show, not act */
	{"personal", "alert\x1b[31mred\x1b[0m.txt", NULL, "txt", D_ACTIVE, 1, 64, 86, NULL, NULL,
	 F_TEXT},
	/* personal/recettes-été: Unicode filenames */
	{"personal/recettes-\xc3\xa9t\xc3\xa9", "cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e.md",
	 "/home/ana/recettes/cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e.md", "md", D_ACTIVE, 1, 1300, 110,
	 "Cr\xc3\xa8me, sucre, vanille.", "{\"saison\": \"\xc3\xa9t\xc3\xa9\"}", 0},
	{"personal/recettes-\xc3\xa9t\xc3\xa9", "tarte aux fraises \xf0\x9f\x8d\x93.md",
	 "/home/ana/recettes/tarte aux fraises \xf0\x9f\x8d\x93.md", "md", D_ACTIVE, 1, 1750, 112,
	 NULL, NULL, 0},
	{"personal/recettes-\xc3\xa9t\xc3\xa9", "gazpacho.txt", "/tmp/upload-7f3a/gazpacho.txt", "txt",
	 D_ACTIVE, 1, 800, 114, NULL, NULL, 0},
	/* not in the registry */
	{"default", "pasted text", NULL, "text", D_ACTIVE, 1, 300, 140, NULL, NULL, F_TEXT},
	{"default", "pasted text", NULL, "text", D_ACTIVE, 1, 512, 141, NULL, NULL, F_TEXT},
	{"default", "meeting-2026-07-18.txt", "/tmp/upload-91c2/meeting-2026-07-18.txt", "txt",
	 D_ACTIVE, 2, 2900, 400, NULL, NULL, 0},
	{"old-project", "roadmap.pdf", "/home/ana/old/roadmap.pdf", "pdf", D_ACTIVE, 4, 88000, 10,
	 NULL, NULL, F_ORIGINAL},
	{NULL, "untitled.txt", NULL, "txt", D_LEGACY, 1, 120, -4500, NULL, NULL, F_NULL_NS},
};

/* ---- deterministic ids and times ------------------------------------------------ */

static uint64_t mix(uint64_t x)   /* splitmix64 */
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* A uuid4-shaped id from a counter. */
static void make_uuid(char out[37], uint64_t seed)
{
	uint64_t a = mix(seed * 2 + 1), b = mix(seed * 2 + 2);
	snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
	         a >> 32, (a >> 16) & 0xFFFF, a & 0xFFF, (uint64_t)0x8000 | (b >> 48 & 0x3FFF),
	         b & (uint64_t)0xFFFFFFFFFFFFULL);
}

static void make_sha256(char out[65], uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		snprintf(out + 16 * i, 17, "%016" PRIx64, mix(seed * 8 + (uint64_t)i + 1000));
}

/* datetime.now(timezone.utc).isoformat(): the fraction left out when 0. */
static void iso(char out[40], int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char head[24];
	strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm);
	if (us % 1000000)
		snprintf(out, 40, "%s.%06d+00:00", head, (int)(us % 1000000));
	else
		snprintf(out, 40, "%s+00:00", head);
}

/* ---- items ------------------------------------------------------------------------- */

/* Plain JSON to a DynamoDB value as boto3 writes it (floats via Decimal(str(x))). */
static json_t *to_av(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		json_t *m = json_object();
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x)
			json_object_set_new(m, k, to_av(x));
		return json_pack("{s:o}", "M", m);
	}
	case JSON_ARRAY: {
		json_t *l = json_array();
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			json_array_append_new(l, to_av(x));
		return json_pack("{s:o}", "L", l);
	}
	case JSON_STRING: return ddb_av_s(json_string_value(v));
	case JSON_INTEGER:
	case JSON_REAL: {
		char *n = stache_json_dumps(v);
		json_t *av = ddb_av_n(n);
		free(n);
		return av;
	}
	case JSON_TRUE: return ddb_av_bool(true);
	case JSON_FALSE: return ddb_av_bool(false);
	default: return ddb_av_null();
	}
}

static json_t *parse(const char *text)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	if (!v)
		abort();   /* the tables above are wrong */
	return v;
}

static void set_s(json_t *item, const char *name, const char *s)
{
	json_object_set_new(item, name, s ? ddb_av_s(s) : ddb_av_null());
}

static void set_n(json_t *item, const char *name, long long n)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", n);
	json_object_set_new(item, name, ddb_av_n(buf));
}

static void put(json_t *writes, json_t *item)
{
	json_array_append_new(writes, json_pack("{s:{s:o}}", "PutRequest", "Item", item));
}

static json_t *namespace_item(const struct demo_ns *d, int64_t base, int k)
{
	char created[40], updated[40];
	int64_t c = base + d->day * DAY_US + 120394 + k * 111431LL;
	iso(created, c);
	iso(updated, d->updated_day == d->day ? c : base + d->updated_day * DAY_US + 362200 + k);
	json_t *it = json_object();
	set_s(it, "id", d->id);
	set_s(it, "name", d->name);
	set_s(it, "description", d->description);
	set_s(it, "parent_id", d->parent ? d->parent : STACHE_ROOT_PARENT);
	if (d->broken == NS_METADATA_MAP) {
		json_t *m = parse(d->metadata);
		json_object_set_new(it, "metadata", to_av(m));
		json_decref(m);
	} else if (d->broken == NS_METADATA_BAD_JSON) {
		set_s(it, "metadata", d->metadata);
	} else {
		json_t *m = parse(d->metadata);
		char *text = stache_json_dumps(m);
		set_s(it, "metadata", text);
		free(text);
		json_decref(m);
	}
	json_t *fk = parse(d->filter_keys);
	char *text = stache_json_dumps(fk);
	set_s(it, "filter_keys", text);
	free(text);
	json_decref(fk);
	set_s(it, "created_at", created);
	set_s(it, "updated_at", updated);
	return it;
}

struct doc_ctx {
	int64_t base;
	json_t *writes;
	int n_docs, n_res, n_trash, n_jobs;
};

static json_t *chunk_list(uint64_t seed, int n)
{
	json_t *l = json_array();
	for (int i = 0; i < n; i++) {
		char id[37];
		make_uuid(id, seed * 1000 + (uint64_t)i);
		json_array_append_new(l, ddb_av_s(id));
	}
	return json_pack("{s:o}", "L", l);
}

static void key_attrs(json_t *it, const struct demo_doc *d, const char *doc_id,
                      const char *created)
{
	const char *ns = d->flags & F_NULL_NS ? NULL : d->ns;
	const char *filed = d->source_path && d->state != D_LEGACY ? d->source_path : d->filename;
	char *pk, *g1, *g2, *sk = NULL;
	if (d->flags & F_RAW_KEYS) {
		pk = util_xasprintf("DOC#%s#%s", ns ? ns : "None", doc_id);
		g1 = stache_key_ns_gsi1pk_raw(ns);
		g2 = stache_key_file_gsi2pk_raw(ns, filed);
	} else {
		pk = stache_key_doc_pk(ns, doc_id);
		g1 = stache_key_ns_gsi1pk(d->flags & F_BAD_GSI1PK ? "engineering/front-end" : ns);
		g2 = stache_key_file_gsi2pk(ns, filed);
	}
	sk = util_xasprintf("CREATED#%s", created);
	set_s(it, "PK", pk);
	set_s(it, "SK", "METADATA");
	set_s(it, "GSI1PK", g1);
	set_s(it, "GSI1SK", sk);
	set_s(it, "GSI2PK", g2);
	set_s(it, "GSI2SK", sk);
	free(pk);
	free(g1);
	free(g2);
	free(sk);
}

static void add_document(struct doc_ctx *c, const struct demo_doc *d, int k)
{
	char doc_id[37], created[40], hash[65], deleted[40], purge_after[40], later[40], job_id[37];
	make_uuid(doc_id, 7000 + (uint64_t)k);
	make_sha256(hash, (uint64_t)k);
	/* one document lands on a whole second: its timestamp has no fraction */
	int64_t us = c->base + d->hour * HOUR_US + 1000000LL * (60 * (k % 50) + (k * 37) % 60) +
	             (k == 12 ? 0 : (int64_t)((k * 271828LL + 12345) % 1000000));
	iso(created, us);
	int64_t del_us = us + 9 * DAY_US + 4 * HOUR_US + 703618;
	iso(deleted, del_us);
	iso(purge_after, del_us + 30 * DAY_US);
	iso(later, del_us + 2 * HOUR_US + 298383);
	long long deleted_ms = del_us / 1000;
	make_uuid(job_id, 9000 + (uint64_t)k);
	const char *ns = d->flags & F_NULL_NS ? NULL : d->ns;
	bool legacy = d->state == D_LEGACY;

	json_t *it = json_object();
	key_attrs(it, d, doc_id, created);
	set_s(it, "doc_id", doc_id);
	set_s(it, "filename", d->filename);
	json_object_set_new(it, "namespace", ns ? ddb_av_s(ns) : ddb_av_null());
	set_n(it, "chunk_count", d->chunks);
	if (d->state != D_PURGED)
		json_object_set_new(it, "chunk_ids", chunk_list((uint64_t)k, d->chunks));
	set_s(it, "created_at", created);
	if (!legacy) {
		static const char *const st[] = {
			[D_ACTIVE] = "active", [D_DELETING] = "deleting", [D_PURGING] = "purging",
			[D_PURGED] = "purged", [D_RESTORED] = "active"};
		set_s(it, "status", st[d->state]);
		if (d->source_path)
			set_s(it, "source_path", d->source_path);
		set_s(it, "content_hash", hash);
	}
	if (d->summary) {
		char emb[37];
		make_uuid(emb, 8000 + (uint64_t)k);
		set_s(it, "summary", d->summary);
		if (!legacy)
			set_s(it, "summary_embedding_id", emb);
		json_t *h = json_pack("[{s:s},{s:s}]", "S", "Introduction", "S", "Background");
		json_object_set_new(it, "headings", json_pack("{s:o}", "L", h));
	}
	if (d->metadata) {
		json_t *m = parse(d->metadata);
		json_object_set_new(it, "metadata", to_av(m));
		json_decref(m);
	}
	set_s(it, "file_type", d->file_type);
	set_n(it, "file_size", d->size);
	if (d->flags & F_ORIGINAL) {
		char *blob = util_xasprintf("originals/%s/%s/%s", ns ? ns : "None", doc_id, d->filename);
		set_s(it, "blob_key", blob);
		set_s(it, "content_type", !strcmp(d->file_type, "pdf") ? "application/pdf"
		                                                       : "application/octet-stream");
		free(blob);
	}
	if (d->state == D_DELETING || d->state == D_PURGING || d->state == D_PURGED) {
		set_s(it, "deleted_at", deleted);
		set_s(it, "purge_after", purge_after);
		set_s(it, "delete_reason", "user_initiated");
		if (d->state == D_DELETING && k % 2)
			set_s(it, "deleted_by", "ana");
	}
	if (d->state == D_PURGING) {
		set_s(it, "purge_started_at", later);
		set_s(it, "cleanup_job_id", job_id);
	}
	if (d->state == D_PURGED) {
		char done[40];
		iso(done, del_us + 31 * DAY_US + 120007);
		set_s(it, "purge_started_at", later);
		set_s(it, "purge_completed_at", done);
	}
	if (d->state == D_RESTORED) {
		set_s(it, "restored_at", later);
		set_s(it, "restored_by", "ana");
	}
	put(c->writes, it);
	c->n_docs++;

	char *e_ns = stache_key_escape(ns ? ns : "None"), *e_file = stache_key_escape(d->filename);
	if (d->state == D_DELETING) {
		/* the trash entry written in the same transaction */
		json_t *t = json_object();
		char *pk = util_xasprintf("TRASH#%s#%s#%lld", e_ns, e_file, deleted_ms);
		set_s(t, "PK", pk);
		set_s(t, "SK", "ENTRY");
		set_s(t, "doc_id", doc_id);
		set_s(t, "namespace", ns);
		set_s(t, "filename", d->filename);
		set_s(t, "deleted_at", deleted);
		set_n(t, "deleted_at_ms", deleted_ms);
		json_object_set_new(t, "deleted_by", k % 2 ? ddb_av_s("ana") : ddb_av_null());
		set_s(t, "delete_reason", "user_initiated");
		set_n(t, "chunk_count", d->chunks);
		set_s(t, "purge_after", purge_after);
		set_s(t, "GSI1PK", "TRASH");
		set_s(t, "GSI1SK", deleted);
		free(pk);
		put(c->writes, t);
		c->n_trash++;
	}
	if (d->state == D_PURGING) {
		json_t *j = json_object();
		char *pk = util_xasprintf("CLEANUP#%s", job_id);
		set_s(j, "PK", pk);
		set_s(j, "SK", "JOB");
		set_s(j, "cleanup_job_id", job_id);
		set_s(j, "doc_id", doc_id);
		set_s(j, "namespace", ns);
		set_s(j, "filename", d->filename);
		set_n(j, "deleted_at_ms", deleted_ms);
		json_object_set_new(j, "chunk_ids", chunk_list((uint64_t)k, d->chunks));
		set_s(j, "created_at", later);
		json_object_set_new(j, "deleted_by", ddb_av_null());
		set_s(j, "status", "pending");
		set_n(j, "retry_count", 2);
		set_n(j, "max_retries", 10);
		set_s(j, "last_error", "S3 Vectors DeleteVectors: ThrottlingException: Rate exceeded");
		free(pk);
		put(c->writes, j);
		c->n_jobs++;
	}
	if (d->state == D_ACTIVE && !(d->flags & (F_BAD_GSI1PK | F_NULL_NS))) {
		/* the dedup reservation of the ingest, completed */
		bool by_path = d->source_path && strncmp(d->source_path, "/tmp", 4);
		json_t *r = json_object();
		char *pk, reserved[40], ingested[40];
		if (by_path) {
			char *e_path = stache_key_escape(d->source_path);
			pk = util_xasprintf("SOURCE#%s#%s", e_ns, e_path);
			free(e_path);
		} else {
			pk = util_xasprintf("HASH#%s#%s#%s", e_ns, hash, e_file);
		}
		iso(reserved, us - 211554);
		iso(ingested, us + 5548);
		set_s(r, "PK", pk);
		set_s(r, "SK", "RESERVATION");
		set_s(r, "identifier_type", by_path ? "source_path" : "fingerprint");
		set_s(r, "doc_id", doc_id);
		set_s(r, "namespace", ns);
		set_s(r, "content_hash", hash);
		set_s(r, "filename", d->filename);
		set_s(r, "reserved_at", reserved);
		set_s(r, "status", "complete");
		if (by_path)
			set_s(r, "source_path", d->source_path);
		set_n(r, "file_size", d->size);
		set_n(r, "chunk_count", d->chunks);
		set_s(r, "ingested_at", ingested);
		free(pk);
		put(c->writes, r);
		c->n_res++;
	}
	free(e_ns);
	free(e_file);
}

/* An ingest under way: reserved, no document yet. */
static void add_pending_reservation(struct doc_ctx *c)
{
	char doc_id[37], hash[65], reserved[40];
	make_uuid(doc_id, 7999);
	make_sha256(hash, 999);
	iso(reserved, c->base + 420 * HOUR_US + 5123);
	json_t *r = json_object();
	char *pk = util_xasprintf("HASH#research/notes#%s#thinking-fast.epub", hash);
	set_s(r, "PK", pk);
	set_s(r, "SK", "RESERVATION");
	set_s(r, "identifier_type", "fingerprint");
	set_s(r, "doc_id", doc_id);
	set_s(r, "namespace", "research/notes");
	set_s(r, "content_hash", hash);
	set_s(r, "filename", "thinking-fast.epub");
	set_s(r, "reserved_at", reserved);
	set_s(r, "status", "pending");
	set_n(r, "file_size", 2290112);
	free(pk);
	put(c->writes, r);
	c->n_res++;
}

static void progress(const struct demo_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void progress(const struct demo_opts *o, const char *fmt, ...)
{
	if (!o || !o->progress)
		return;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	o->progress(buf, o->ud);
}

static int write_all(struct session *s, const char *table, json_t *writes, char **err)
{
	struct ddb_result *r = ddb_batch_write_sync(s->ddb, table, writes);
	if (!r)
		return 0;
	char *d = ddb_error_describe(&r->err, &s->conf, 0);
	*err = util_xasprintf("writing %s: %s", table, d);
	free(d);
	ddb_result_free(r);
	return -1;
}

int demo_fill_stache(struct session *s, const struct demo_names *n, const struct demo_opts *o,
                     char **err)
{
	if (demo_check(s, n, err) != 0)
		return -1;
	int64_t base;
	if (!time_parse(BASE_TIME, &base))
		abort();

	json_t *writes = json_array();
	size_t n_ns = sizeof demo_namespaces / sizeof demo_namespaces[0];
	for (size_t k = 0; k < n_ns; k++)
		put(writes, namespace_item(&demo_namespaces[k], base, (int)k));
	int rc = write_all(s, n->namespaces, writes, err);
	json_decref(writes);
	if (rc)
		return -1;
	progress(o, "wrote %zu namespaces to %s", n_ns, n->namespaces);

	struct doc_ctx c = {.base = base, .writes = json_array()};
	for (size_t k = 0; k < sizeof demo_docs / sizeof demo_docs[0]; k++)
		add_document(&c, &demo_docs[k], (int)k);
	add_pending_reservation(&c);
	rc = write_all(s, n->documents, c.writes, err);
	json_decref(c.writes);
	if (rc)
		return -1;
	progress(o, "wrote %d documents, %d reservations, %d trash entries and %d cleanup job%s to %s",
	         c.n_docs, c.n_res, c.n_trash, c.n_jobs, c.n_jobs == 1 ? "" : "s", n->documents);
	return 0;
}
