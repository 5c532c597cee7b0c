/* tui/detail.c: render an item for the detail view. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/detail.h"
#include "tui/text.h"
#include "aws/ddb.h"
#include "model/jsontext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void render_value(struct lines *out, const char *label, const json_t *av, int width, int indent,
                         int depth);

/* A string that holds a JSON object or array is shown pretty-printed, each
 * number as its source text (never a double's 17 digits; integers of any
 * size). */
static bool render_json_text(struct lines *out, const char *s, int width, int indent)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		n--;
	if (n < 2 || !((s[0] == '{' && s[n - 1] == '}') || (s[0] == '[' && s[n - 1] == ']')))
		return false;
	json_error_t e;
	json_t *j = jsontext_loads(s, JSON_DECODE_ANY, &e);
	if (!j)
		return false;
	char *pretty = jsontext_dumps(j, JT_INDENT(2));
	json_decref(j);
	if (!pretty)
		return false;
	lines_wrap(out, pretty, width, indent);
	free(pretty);
	return true;
}

static void render_value(struct lines *out, const char *label, const json_t *av, int width, int indent,
                         int depth)
{
	char head[512];
	const char *t = ddb_av_type(av);
	char *lab = text_sanitize_line(label);
	if (!t) {
		char *raw = jsontext_dumps(av, JT_COMPACT);
		snprintf(head, sizeof head, "%*s%s  (malformed value) %s", indent, "", lab ? lab : "",
		         raw ? raw : "");
		free(raw);
		lines_add(out, head);
		free(lab);
		return;
	}
	const json_t *v = json_object_get(av, t);
	if (depth > 40) {
		snprintf(head, sizeof head, "%*s%s  (%s) ... nested too deep to show", indent, "", lab, t);
		lines_add(out, head);
		free(lab);
		return;
	}
	if (!strcmp(t, "S")) {
		const char *s = json_string_value(v) ? json_string_value(v) : "";
		size_t slen = json_string_length(v);
		bool multiline = memchr(s, '\n', slen) != NULL;
		char *safe = text_sanitize(s, slen, 0);
		if (!multiline && (int)(indent + strlen(lab) + 6 + text_width(safe ? safe : "")) <= width &&
		    !(slen > 1 && (s[0] == '{' || s[0] == '['))) {
			snprintf(head, sizeof head, "%*s%s  (S) ", indent, "", lab);
			char *line = util_xasprintf("%s\"%s\"", head, safe ? safe : "");
			lines_add(out, line);
			free(line);
		} else {
			snprintf(head, sizeof head, "%*s%s  (S, %zu bytes%s)", indent, "", lab, slen,
			         memchr(s, '\0', slen) ? ", holds NUL bytes" : "");
			lines_add(out, head);
			/* JSON text (Stache metadata, Chainlit input/output) pretty-printed */
			if (slen == strlen(s) && render_json_text(out, s, width, indent + 4)) {
				/* shown */
			} else {
				char *shown = text_sanitize(s, slen, 1);
				lines_wrap(out, shown ? shown : "", width, indent + 4);
				free(shown);
			}
		}
		free(safe);
	} else if (!strcmp(t, "N")) {
		/* the stored text; a number where the text belongs (a server's
		 * mistake) with the fewest digits that read back */
		char *num = json_is_string(v) ? NULL : jsontext_dumps(v, JT_COMPACT);
		char *shown = text_sanitize_line(json_string_value(v) ? json_string_value(v)
		                                 : num ? num : "?");
		snprintf(head, sizeof head, "%*s%s  (N) %s", indent, "", lab, shown ? shown : "?");
		free(shown);
		free(num);
		lines_add(out, head);
	} else if (!strcmp(t, "BOOL")) {
		snprintf(head, sizeof head, "%*s%s  (BOOL) %s", indent, "", lab,
		         json_is_true(v) ? "true" : "false");
		lines_add(out, head);
	} else if (!strcmp(t, "NULL")) {
		snprintf(head, sizeof head, "%*s%s  (NULL)", indent, "", lab);
		lines_add(out, head);
	} else if (!strcmp(t, "B")) {
		const char *b = json_string_value(v) ? json_string_value(v) : "";
		snprintf(head, sizeof head, "%*s%s  (B, base64, %zu chars)", indent, "", lab, strlen(b));
		lines_add(out, head);
		lines_wrap(out, b, width, indent + 4);
	} else if (!strcmp(t, "M")) {
		size_t n = json_object_size(v);
		snprintf(head, sizeof head, "%*s%s  (M, %zu %s)", indent, "", lab, n, n == 1 ? "key" : "keys");
		lines_add(out, head);
		const char **keys = util_xcalloc(n, sizeof *keys);
		size_t k = 0;
		const char *key;
		json_t *x;
		json_object_foreach((json_t *)v, key, x)
			keys[k++] = key;
		qsort(keys, k, sizeof *keys, cmp_keys);
		for (size_t i = 0; i < k; i++)
			render_value(out, keys[i], json_object_get(v, keys[i]), width, indent + 2, depth + 1);
		free(keys);
	} else if (!strcmp(t, "L")) {
		size_t n = json_array_size(v);
		snprintf(head, sizeof head, "%*s%s  (L, %zu %s)", indent, "", lab, n, n == 1 ? "element" : "elements");
		lines_add(out, head);
		for (size_t i = 0; i < n; i++) {
			char idx[32];
			snprintf(idx, sizeof idx, "[%zu]", i);
			render_value(out, idx, json_array_get(v, i), width, indent + 2, depth + 1);
		}
	} else {
		/* SS, NS, BS: unordered, so sorted for display */
		size_t n = json_array_size(v);
		snprintf(head, sizeof head, "%*s%s  (%s, %zu %s)", indent, "", lab, t, n,
		         n == 1 ? "member" : "members");
		lines_add(out, head);
		const char **m = util_xcalloc(n, sizeof *m);
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (json_is_string(json_array_get(v, i)))
				m[k++] = json_string_value(json_array_get(v, i));
		qsort(m, k, sizeof *m, cmp_keys);
		for (size_t i = 0; i < k; i++) {
			char *safe = text_sanitize_line(m[i]);
			char *line = util_xasprintf("%*s- %s", indent + 4, "", safe ? safe : "");
			lines_add(out, line);
			free(line);
			free(safe);
		}
		free(m);
	}
	free(lab);
}

void detail_render(struct lines *out, const json_t *item, bool raw, int width)
{
	if (!json_is_object(item)) {
		lines_add(out, "(no item)");
		return;
	}
	if (raw) {
		char *s = jsontext_dumps(item, JT_INDENT(2) | JT_SORT_KEYS);
		if (s) {
			lines_wrap(out, s, width, 0);
			free(s);
		}
		return;
	}
	size_t n = json_object_size(item), k = 0;
	const char **keys = util_xcalloc(n, sizeof *keys);
	const char *key;
	json_t *x;
	json_object_foreach((json_t *)item, key, x)
		keys[k++] = key;
	qsort(keys, k, sizeof *keys, cmp_keys);
	for (size_t i = 0; i < k; i++)
		render_value(out, keys[i], json_object_get(item, keys[i]), width, 0, 0);
	free(keys);
}
