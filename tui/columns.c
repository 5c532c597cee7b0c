/* tui/columns.c: see columns.h. */
#include "ddconfig.h"

#include "tui/columns.h"
#include "tui/text.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void fit(const struct column *c, size_t n, const int *need, int width, int *w, bool drop);

void columns_fit(const struct column *c, size_t n, const int *need, int width, int *w)
{
	fit(c, n, need, width, w, false);
	for (size_t i = 0; i < n; i++)
		if (c[i].flex && w[i] < COLUMN_FLEX_MIN && w[i] < need[i]) {
			fit(c, n, need, width, w, true);
			return;
		}
}

static void fit(const struct column *c, size_t n, const int *need, int width, int *w, bool drop)
{
	int total = 0, shown = 0;
	size_t flex = n;
	for (size_t i = 0; i < n; i++) {
		if (drop && c[i].optional) {
			w[i] = 0;
			continue;
		}
		int t = text_width(c[i].title);
		w[i] = need[i] > t ? need[i] : t;
		if (c[i].max && w[i] > c[i].max)
			w[i] = c[i].max;
		if (c[i].flex) {
			flex = i;
			w[i] = t;   /* its share is what is left */
		}
		total += w[i];
		shown++;
	}
	total += COLUMN_GAP * (shown > 1 ? shown - 1 : 0);
	if (total <= width) {
		if (flex < n) {
			/* whatever its text needs: the pane's rest */
			w[flex] += width - total;
		}
		return;
	}
	/* too wide: the columns after the first give way, from the right */
	int over = total - width;
	for (size_t i = n; i-- > 1 && over > 0;) {
		int give = w[i] < over ? w[i] : over;
		w[i] -= give;
		over -= give;
		if (!w[i])
			over -= COLUMN_GAP;   /* its gap goes with it */
	}
	if (over > 0)
		w[0] = w[0] > over ? w[0] - over : 0;
}

static size_t append(char *buf, size_t len, size_t at, const char *s, int cols, bool right)
{
	if (at >= len)
		return at;
	char tmp[1024] = "";
	int used = text_width(s ? s : "");
	if (right && used < cols) {
		size_t k = 0;
		for (int p = used; p < cols && k + 1 < sizeof tmp; p++)
			tmp[k++] = ' ';
		tmp[k] = '\0';
		text_pad(tmp, sizeof tmp, s ? s : "", used);
	} else {
		text_pad(tmp, sizeof tmp, s ? s : "", cols);
	}
	size_t tl = strlen(tmp);
	if (at + tl >= len)
		tl = len - at - 1;
	memcpy(buf + at, tmp, tl);
	buf[at + tl] = '\0';
	return at + tl;
}

static void row(char *buf, size_t len, const struct column *c, size_t n, const int *w,
                const char *const *cells, bool titles)
{
	size_t at = 0;
	bool first = true;
	if (len)
		buf[0] = '\0';
	size_t last = n;
	for (size_t i = 0; i < n; i++)
		if (w[i] > 0)
			last = i;
	for (size_t i = 0; i < n; i++) {
		if (w[i] <= 0)
			continue;
		if (!first)
			at = append(buf, len, at, "", COLUMN_GAP, false);
		first = false;
		const char *s = titles ? c[i].title : cells[i];
		if (i == last && !c[i].right) {
			/* the last column is not padded: its text is cut at its width */
			char tmp[1024] = "";
			text_pad(tmp, sizeof tmp, s ? s : "", w[i]);
			size_t e = strlen(tmp);
			while (e && tmp[e - 1] == ' ')
				e--;
			tmp[e] = '\0';
			at = append(buf, len, at, tmp, text_width(tmp), false);
		} else {
			at = append(buf, len, at, s, w[i], c[i].right && !titles);
		}
	}
}

void columns_row(char *buf, size_t len, const struct column *c, size_t n, const int *w,
                 const char *const *cells)
{
	row(buf, len, c, n, w, cells, false);
}

void columns_header(char *buf, size_t len, const struct column *c, size_t n, const int *w)
{
	row(buf, len, c, n, w, NULL, true);
}

void columns_preview(char *out, size_t len, const char *s, bool utf8, bool first_line)
{
	size_t at = 0;
	int col = 0;
	if (!len)
		return;
	for (; s && *s && at + 4 < len; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '\r')
			continue;
		if (ch == '\n') {
			if (first_line)
				break;
			if (utf8) {
				memcpy(out + at, "\xe2\x8f\x8e", 3);
				at += 3;
			} else {
				out[at++] = ' ';
			}
			col++;
			continue;
		}
		if (ch == '\t') {
			do
				out[at++] = ' ';
			while (++col % 8 && at + 4 < len);
			continue;
		}
		out[at++] = (char)ch;
		if ((ch & 0xC0) != 0x80)
			col++;
	}
	out[at] = '\0';
}

bool columns_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return MB_CUR_MAX > 1 && cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}
