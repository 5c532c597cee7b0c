/* tui/msgview.c: views of whole messages (the message log, one error). */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/msgview.h"
#include "tui/lines.h"
#include "tui/msglog.h"
#include "tui/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct msgview {
	bool is_log;
	char *text;              /* one text (not the log) */
	enum color_role text_role;
	struct lines lines;
	enum color_role *roles;  /* one per line */
	int width;
	unsigned long added;     /* the log's count when built */
};

static enum color_role level_role(enum msglog_level l)
{
	return l == MSGLOG_ERROR ? ROLE_ERROR : l == MSGLOG_WARNING ? ROLE_PROBLEM : ROLE_NORMAL;
}

/* Append text wrapped at width with `head` before its first line and the
 * others indented as far, each line in role. */
static void add_wrapped(struct msgview *m, const char *head, const char *text, int width,
                        enum color_role role)
{
	int hw = text_width(head);
	int indent = hw ? hw + 2 : 0;
	if (indent > width / 3)
		indent = 4;
	size_t first = m->lines.n;
	if (hw && indent != hw + 2)
		lines_add(&m->lines, head);   /* narrow: the head on its own line */
	size_t wrapped = m->lines.n;
	lines_wrap(&m->lines, text, width, indent);
	if (hw && indent == hw + 2 && m->lines.n > wrapped) {
		char *l = m->lines.v[wrapped];
		char *nl = util_xasprintf("%s  %s", head, l + indent);
		free(l);
		m->lines.v[wrapped] = nl;
	}
	m->roles = util_xrealloc(m->roles, (m->lines.n ? m->lines.n : 1) * sizeof *m->roles);
	for (size_t i = first; i < m->lines.n; i++)
		m->roles[i] = role;
}

static void msgview_build(struct view *v)
{
	struct msgview *m = v->priv;
	lines_free(&m->lines);
	m->width = v->ui->cols > 20 ? v->ui->cols : 80;
	int width = m->width;
	if (!m->is_log) {
		/* the list pane: its narrowest with the tree beside it (the
		 * tree takes at most 3/8 of the screen when the list has rows) */
		int cols = v->ui->cols > 0 ? v->ui->cols : 80;
		width = cols < UI_NARROW_COLS ? cols : cols - cols * 3 / 8 - 1;
		if (width < 20)
			width = 20;
		add_wrapped(m, "", m->text, width, m->text_role);
	} else {
		const struct msglog *l = &v->ui->log;
		m->added = l->added;
		for (size_t i = 0; i < l->n; i++) {
			char head[64];
			msglog_head(&l->v[i], head, sizeof head);
			add_wrapped(m, head, l->v[i].text, width, level_role(l->v[i].level));
		}
		if (!l->n) {
			lines_add(&m->lines, "(no messages yet)");
			m->roles = util_xrealloc(m->roles, sizeof *m->roles);
			m->roles[0] = ROLE_DIM;
		}
	}
	view_set_rows(v, m->lines.n);
}

static void msgview_layout(struct view *v)
{
	struct msgview *m = v->priv;
	bool at_end = m->is_log && v->nrows && v->cursor + 1 >= v->nrows;
	msgview_build(v);
	if (at_end && v->nrows)
		v->cursor = v->nrows - 1;
}

static void msgview_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct msgview *m = v->priv;
	if (i < m->lines.n) {
		snprintf(buf, len, "%s", m->lines.v[i]);
		*role = m->roles[i];
	}
}

static bool msgview_action(struct view *v, enum action a)
{
	struct msgview *m = v->priv;
	if (a == ACT_RELOAD && m->is_log) {   /* R: what came since */
		msgview_layout(v);
		return true;
	}
	if (a == ACT_COPY_ID || a == ACT_COPY_JSON) {
		const char *t = m->is_log ? (v->ui->log.n ? v->ui->log.v[v->ui->log.n - 1].text : "")
		                          : m->text;
		ui_copy(v->ui, "message", t);
		return true;
	}
	return false;
}

static void msgview_destroy(struct view *v)
{
	struct msgview *m = v->priv;
	free(m->text);
	free(m->roles);
	lines_free(&m->lines);
	free(m);
}

static const struct view_ops msgview_ops = {
	.name = "messages",
	.row = msgview_row,
	.action = msgview_action,
	.layout = msgview_layout,
	.destroy = msgview_destroy,
};

struct view *msgview_log(struct ui *ui)
{
	struct msgview *m = util_xcalloc(1, sizeof *m);
	m->is_log = true;
	struct view *v = view_new(ui, &msgview_ops, m, "messages, newest last  (Esc: back)");
	msgview_build(v);
	v->cursor = v->nrows ? v->nrows - 1 : 0;   /* the newest; view_fit scrolls to it */
	return v;
}

struct view *msgview_text(struct ui *ui, const char *title, const char *text, enum color_role role)
{
	struct msgview *m = util_xcalloc(1, sizeof *m);
	m->text = util_xstrdup(text ? text : "");
	m->text_role = role;
	struct view *v = view_new(ui, &msgview_ops, m, "%s", title);
	msgview_build(v);
	return v;
}
