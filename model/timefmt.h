/* model/timefmt.h: the time formats of SCHEMAS.md 0.1, parsed for sorting.
 *   Stache:   2026-07-19T15:24:15.123456+00:00 (fraction left out when 0)
 *   Chainlit: 2026-04-24T12:50:51.123456Z      (fraction left out when 0)
 * plus any ISO 8601 / RFC 3339 variant with Z, +hh:mm, -hh:mm, or no zone
 * (read as UTC), 1-9 fraction digits, and epoch milliseconds as N. */
#ifndef DDTREE_MODEL_TIMEFMT_H
#define DDTREE_MODEL_TIMEFMT_H

#include <stdbool.h>
#include <stdint.h>

/* Parse into microseconds since the epoch (UTC).  Returns true on success. */
bool time_parse(const char *s, int64_t *us);

/* Order two timestamps by their parsed value; unparseable (or NULL) ones
 * sort after every valid one, and equal times fall back to byte order.  */
int time_cmp(const char *a, const char *b);

/* Format microseconds as "2026-04-24 12:50:51" (UTC) into buf (>= 20 bytes). */
void time_format(int64_t us, char *buf, int len);

#endif
