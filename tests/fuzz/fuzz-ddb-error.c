/* tests/fuzz/fuzz-ddb-error.c: DynamoDB error answers (aws/ddb.c).
 *
 * Input: the X-Amzn-ErrorType header value (may be empty), a newline, then
 * the response body, e.g.
 *
 *   \n{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
 *     "Message":"The conditional request failed"}
 *
 * The client reads error answers in static functions of aws/ddb.c
 * (error_code, classify).  When aws/ddb.h offers them as
 *
 *   #define HAVE_DDB_PARSE_ERROR_BODY 1
 *   json_t *ddb_parse_error_body(const char *body, size_t len,
 *                                const char *errtype_header, long http_status,
 *                                struct ddb_error *out);
 *
 * (the parsed body, a new reference, when it is a JSON object, else NULL;
 * *out gets kind DDB_ERR_SERVICE, the status, a malloc'd code and message),
 * this target fuzzes that.  Properties: the code is never NULL, holds no
 * '#' or ':' (the namespace and suffix are removed) and comes from the
 * header when there is one; the message is never NULL; a returned body is
 * an object.
 *
 * Always, and alone until then: ddb_crc32 (the x-amz-crc32 check) against a
 * bitwise CRC-32, and the attribute-value tags of the parsed body. */
#include "fuzz.h"

#include <stdbool.h>

#include <jansson.h>

#include "aws/ddb.h"

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit by bit. */
static unsigned long ref_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return c ^ 0xFFFFFFFFu;
}

#ifdef HAVE_DDB_PARSE_ERROR_BODY
static void check_error(const char *body, size_t len, const char *errtype, long status)
{
	struct ddb_error e = {0};
	json_t *doc = ddb_parse_error_body(body, len, errtype, status, &e);
	FUZZ_CHECK(!doc || json_is_object(doc), "the returned body is not an object");
	FUZZ_CHECK(e.kind == DDB_ERR_SERVICE, "kind %d", (int)e.kind);
	FUZZ_CHECK(e.http_status == status, "status %ld, expected %ld", e.http_status, status);
	FUZZ_CHECK(e.code != NULL && e.message != NULL, "no code or no message");
	FUZZ_CHECK(!strchr(e.code, ':') && !strchr(e.code, '#'),
	           "code \"%s\" keeps a namespace or a suffix", e.code);
	if (*errtype) {
		/* the header wins: its last '#'-part up to ':' */
		const char *h = strrchr(errtype, '#');
		h = h ? h + 1 : errtype;
		FUZZ_CHECK(!strncmp(e.code, h, strcspn(h, ":")) && strlen(e.code) == strcspn(h, ":"),
		           "code \"%s\" is not from the header \"%s\"", e.code, errtype);
	} else if (!doc) {
		char want[32];
		snprintf(want, sizeof want, "HTTP%ld", status);
		FUZZ_CHECK(!strcmp(e.code, want), "code \"%s\" for a body that is not an object",
		           e.code);
	}
	json_decref(doc);
	free(e.code);
	free(e.message);
	free(e.request_id);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hlen = nl ? (size_t)(nl - data) : 0;
	const char *body = (const char *)(nl ? nl + 1 : data);
	size_t blen = nl ? size - hlen - 1 : size;
	char *errtype = fuzz_strndup(data, hlen);

	unsigned long crc = ddb_crc32(body, blen), want = ref_crc32((const uint8_t *)body, blen);
	FUZZ_CHECK(crc == want, "ddb_crc32 = %lu, expected %lu", crc, want);
	FUZZ_CHECK(ddb_crc32(data, size) == ref_crc32(data, size), "ddb_crc32 of the whole input");

	json_t *doc = json_loadb(body, blen, JSON_ALLOW_NUL, NULL);
	if (json_is_object(doc)) {
		const char *k;
		json_t *v;
		json_object_foreach(doc, k, v)
			(void)ddb_av_type(v);
		(void)ddb_item_s(doc, "__type");
	}
	json_decref(doc);
	for (int k = DDB_OK; k <= DDB_ERR_USAGE; k++)
		FUZZ_CHECK(ddb_error_kind_text((enum ddb_error_kind)k) != NULL, "no text for kind %d", k);

#ifdef HAVE_DDB_PARSE_ERROR_BODY
	static const long statuses[] = {400, 500, 503, 200};
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		check_error(body, blen, errtype, statuses[i]);
#endif
	free(errtype);
	return 0;
}
