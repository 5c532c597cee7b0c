/* tui/detail.h: an item as lines of text for the detail view (pure, no
 * curses): every attribute with its DynamoDB type, long text wrapped,
 * JSON held in strings pretty-printed, sets/binary/big numbers/NULL shown
 * without loss; or the raw wire JSON.  Lines are sanitised. */
#ifndef DDTREE_TUI_DETAIL_H
#define DDTREE_TUI_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "tui/lines.h"

/* Append the lines showing `item` (a map of attribute values, wire form)
 * wrapped at `width` columns. */
void detail_render(struct lines *out, const json_t *item, bool raw, int width);

#endif
