/* tui/msglog.c: the browser's message log. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/msglog.h"
#include "tui/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void msglog_add(struct msglog *l, enum msglog_level level, const char *text)
{
	if (!text || !*text)
		return;
	char *safe = text_sanitize(text, strlen(text), 1);
	if (!safe)
		return;
	/* no trailing blank lines */
	size_t n = strlen(safe);
	while (n && (safe[n - 1] == '\n' || safe[n - 1] == ' '))
		safe[--n] = '\0';
	time_t now = time(NULL);
	l->added++;
	if (l->n && l->v[l->n - 1].level == level && !strcmp(l->v[l->n - 1].text, safe)) {
		l->v[l->n - 1].count++;
		l->v[l->n - 1].when = now;
		free(safe);
		return;
	}
	if (l->n == MSGLOG_MAX) {
		free(l->v[0].text);
		memmove(l->v, l->v + 1, (l->n - 1) * sizeof *l->v);
		l->n--;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = util_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = (struct msglog_entry){.when = now, .level = level, .count = 1, .text = safe};
}

void msglog_free(struct msglog *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	*l = (struct msglog){0};
}

void msglog_head(const struct msglog_entry *e, char *buf, size_t len)
{
	static const char *const names[] = {"notice", "warning", "error"};
	struct tm tm;
	char t[16] = "??:??:??";
	if (localtime_r(&e->when, &tm))
		strftime(t, sizeof t, "%H:%M:%S", &tm);
	if (e->count > 1)
		snprintf(buf, len, "%s %s (x%u)", t, names[e->level], e->count);
	else
		snprintf(buf, len, "%s %s", t, names[e->level]);
}
