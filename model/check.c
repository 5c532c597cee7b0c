/* model/check.c: the findings list of the integrity report. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/check.h"
#include "model/jsontext.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void findings_add(struct findings *f, const char *table, const json_t *key,
                  const char *kind, const char *fmt, ...)
{
	struct finding *v = util_xrealloc(f->v, (f->n + 1) * sizeof *v);
	f->v = v;
	va_list ap;
	va_start(ap, fmt);
	char *msg = util_vfmt(fmt, ap);
	va_end(ap);
	v[f->n] = (struct finding){
		.table = util_xstrdup(table ? table : ""),
		.key = key ? jsontext_dumps(key, JT_COMPACT | JT_SORT_KEYS) : NULL,
		.kind = util_xstrdup(kind ? kind : "problem"),
		.message = msg,
	};
	f->n++;
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].table);
		free(f->v[i].key);
		free(f->v[i].kind);
		free(f->v[i].message);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
