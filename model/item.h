/* model/item.h: reading items without ever failing: typed attribute readers
 * that record what is wrong with an item instead of giving up on it.
 * Every decoded entity keeps its raw attribute tree and its problem list. */
#ifndef DDTREE_MODEL_ITEM_H
#define DDTREE_MODEL_ITEM_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

struct problem {
	char *attr;      /* attribute path ("feedback.value"), or NULL for the item */
	char *text;      /* "missing", "is N, expected S", "not valid JSON: ..." */
};

struct problems {
	struct problem *v;
	size_t n;
};

void problems_add(struct problems *p, const char *attr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void problems_free(struct problems *p);
/* "attr: text; attr: text" (malloc'd), "" when none. */
char *problems_join(const struct problems *p);
/* ["attr: text", ...] for the problems of a and then of b (either may be
 * NULL), as the command line's --json prints them.  New reference. */
json_t *problems_to_json(const struct problems *a, const struct problems *b);

/* Readers.  `name` is a top-level attribute of `item` (an M's inner object
 * works too).  They return borrowed pointers into the item.
 *
 * req_*: the attribute must be present with that type: missing or mistyped
 *        adds a problem and returns NULL.
 * opt_*: missing or NULL-typed is fine (returns NULL, no problem); another
 *        type adds a problem. */
const char *item_req_s(const json_t *item, const char *name, struct problems *p);
const char *item_opt_s(const json_t *item, const char *name, struct problems *p);
/* N as its exact decimal text. */
const char *item_req_n(const json_t *item, const char *name, struct problems *p);
const char *item_opt_n(const json_t *item, const char *name, struct problems *p);
/* BOOL: returns 1/0, or -1 when missing/NULL (opt) or wrong (problem). */
int item_opt_bool(const json_t *item, const char *name, struct problems *p);
/* M / L: the inner JSON object/array ({"M": X} -> X). */
const json_t *item_opt_m(const json_t *item, const char *name, struct problems *p);
const json_t *item_opt_l(const json_t *item, const char *name, struct problems *p);

/* An N's text as a long long when it is an integer in range; else false. */
bool item_n_to_ll(const char *n, long long *out);

/* Convert DynamoDB wire JSON to plain JSON for display/export: N as an
 * exact number (model/jsontext.h: its stored digits, whatever its size;
 * still a string when the text is no decimal number), B as its base64
 * text, sets as arrays.  Write the result with jsontext_dumps only.
 * Returns a new reference. */
json_t *item_to_plain(const json_t *av);

#endif
