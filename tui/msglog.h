/* tui/msglog.h: the browser's message log: every error, warning and
 * notice that reaches the status line, with its time and its whole text
 * (sanitised, its lines kept), newest last (:messages, M shows it).
 * Pure: no curses, calls only the text helpers. */
#ifndef DDTREE_TUI_MSGLOG_H
#define DDTREE_TUI_MSGLOG_H

#include <stddef.h>
#include <time.h>

enum msglog_level { MSGLOG_NOTICE, MSGLOG_WARNING, MSGLOG_ERROR };

struct msglog_entry {
	time_t when;
	enum msglog_level level;
	unsigned count;          /* the same text again right after: counted */
	char *text;              /* sanitised, newlines kept */
};

/* At most MSGLOG_MAX entries: the oldest go first. */
#define MSGLOG_MAX 1000

struct msglog {
	struct msglog_entry *v;
	size_t n, cap;
	unsigned long added;     /* entries ever added (views see what is new) */
};

/* Log text (raw: it is sanitised here; NULL or "" logs nothing). */
void msglog_add(struct msglog *l, enum msglog_level level, const char *text);
void msglog_free(struct msglog *l);
/* "12:34:56 error" for an entry (buf at least 32 bytes). */
void msglog_head(const struct msglog_entry *e, char *buf, size_t len);

#endif
