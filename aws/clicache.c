/* aws/clicache.c: the AWS CLI's cache of assumed-role credentials (see
 * clicache.h).
 *
 * What the CLI writes there (botocore's JSONFileCache: json.dumps of the
 * AssumeRole response, its datetimes as strftime('%Y-%m-%dT%H:%M:%S%Z'),
 * that is "...UTC") is read back; ddtree writes the same shape with an RFC
 * 3339 Expiration, which the CLI's dateutil parser reads too.
 */
#include "aws/util.h"
#include "aws/clicache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/profile.h"

/* Append s as Python's json.dumps writes a str (ensure_ascii): "\"" and
 * "\\" escaped, \n \r \t \b \f, other control characters and everything
 * beyond ASCII as \u00XX / \uXXXX (lower-case hex; a UTF-16 surrogate pair
 * above U+FFFF).  0, or -1 when s is not UTF-8. */
static int py_json_string(FILE *ms, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', ms);
	while (*p) {
		unsigned cp;
		int n;

		if (*p < 0x80) {
			switch (*p) {
			case '"': fputs("\\\"", ms); break;
			case '\\': fputs("\\\\", ms); break;
			case '\n': fputs("\\n", ms); break;
			case '\r': fputs("\\r", ms); break;
			case '\t': fputs("\\t", ms); break;
			case '\b': fputs("\\b", ms); break;
			case '\f': fputs("\\f", ms); break;
			default:
				if (*p < 0x20)
					fprintf(ms, "\\u%04x", *p);
				else
					fputc(*p, ms);
			}
			p++;
			continue;
		}
		n = util_utf8_decode(p, strlen((const char *)p), &cp);
		if (!n)
			return -1;                       /* botocore could not have read it */
		p += n;
		if (cp < 0x10000) {
			fprintf(ms, "\\u%04x", cp);
		} else {
			cp -= 0x10000;
			fprintf(ms, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
		}
	}
	fputc('"', ms);
	return 0;
}

int aws_clicache_key(const struct aws_clicache_args *a, char hex[41])
{
	/* sort_keys=True: the names in order */
	const struct { const char *name, *value; } str[] = {
		{ "ExternalId", a->external_id },
		{ "RoleArn", a->role_arn },
		{ "RoleSessionName", a->session_name },
		{ "SerialNumber", a->serial },
	};
	char *buf = NULL;
	size_t n = 0;
	FILE *ms;
	bool first = true;
	int rc = 0;

	hex[0] = '\0';
	if (!a->role_arn || !(ms = open_memstream(&buf, &n)))
		return -1;
	fputc('{', ms);
	if (a->duration > 0) {
		fprintf(ms, "\"DurationSeconds\": %d", a->duration);
		first = false;
	}
	for (size_t i = 0; i < sizeof str / sizeof str[0]; i++) {
		if (!str[i].value)
			continue;
		fprintf(ms, "%s\"%s\": ", first ? "" : ", ", str[i].name);
		first = false;
		if (py_json_string(ms, str[i].value) < 0)
			rc = -1;
	}
	fputc('}', ms);
	if (fclose(ms) != 0) {
		free(buf);
		return -1;
	}
	if (rc == 0)
		rc = util_sha1_hex(buf, n, hex);
	free(buf);
	return rc;
}

char *aws_clicache_path(const char *home, const char hex[41])
{
	return util_fmt("%s/.aws/cli/cache/%s.json", home, hex);
}

int aws_clicache_load(const char *path, time_t now, time_t min_left,
                      struct aws_credentials *out)
{
	char *text = NULL, *why = NULL;
	size_t len = 0;
	json_t *root, *cr;
	const char *ak, *sk, *tok, *exp;
	time_t expires;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (!path || aws_profile_read_file(path, &text, &len, &why) < 0 || !text) {
		free(why);
		return 0;
	}
	root = json_loadb(text, len, 0, NULL);
	util_wipe_free(text);
	cr = json_object_get(root, "Credentials");
	if (json_is_object(cr) && util_json_str(cr, "AccessKeyId", &ak) > 0 &&
	    util_json_str(cr, "SecretAccessKey", &sk) > 0 && util_json_str(cr, "SessionToken", &tok) > 0 &&
	    util_json_str(cr, "Expiration", &exp) > 0 && util_cli_time_parse(exp, &expires) == 0 &&
	    expires - now > min_left) {
		out->access_key_id = strdup(ak);
		out->secret_access_key = strdup(sk);
		out->session_token = strdup(tok);
		out->expiration = expires;
		if (out->access_key_id && out->secret_access_key && out->session_token)
			rc = 1;
		else
			aws_credentials_free(out);
	}
	json_decref(root);
	return rc;
}

int aws_clicache_store(const char *path, const struct aws_credentials *cr,
                       const char *user_arn, const char *user_id, char **err)
{
	char when[32], *dir, *text = NULL;
	const char *slash = strrchr(path, '/');
	struct tm tm;
	json_t *root;
	int rc = -1;

	*err = NULL;
	if (!cr->session_token || cr->expiration <= 0) {
		*err = strdup("only temporary credentials are cached");
		return -1;
	}
	dir = slash ? strndup(path, (size_t)(slash - path)) : NULL;
	if (slash && !dir) {
		*err = strdup("out of memory");
		return -1;
	}
	if (dir && util_mkdirs_private(dir, err) < 0) {
		free(dir);
		return -1;
	}
	free(dir);
	gmtime_r(&cr->expiration, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* jansson frees through util_free_secure (util_secure_init): its
	 * copies of the keys are wiped */
	root = json_pack("{s:{s:s,s:s,s:s,s:s}}", "Credentials", "AccessKeyId", cr->access_key_id,
	                 "SecretAccessKey", cr->secret_access_key, "SessionToken",
	                 cr->session_token, "Expiration", when);
	if (root && user_arn) {
		json_t *u = json_pack("{s:s,s:s*}", "Arn", user_arn, "AssumedRoleId", user_id);
		if (!u || json_object_set_new(root, "AssumedRoleUser", u) != 0) {
			json_decref(root);
			root = NULL;
		}
	}
	if (root)
		text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!text) {
		*err = strdup("out of memory");
		return -1;
	}
	rc = util_write_private_file(path, text, strlen(text), err);
	util_wipe_free(text);
	return rc;
}
