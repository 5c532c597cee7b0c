/* model/jsontext.h: JSON text in and out, with numbers exactly as stored.
 *
 * jansson keeps numbers as doubles: 0.35 comes out of json_dumps as
 * 0.34999999999999998, and DynamoDB's N (38 significant digits, exponents
 * -130..+125) does not fit at all.  So an exact number is kept in a jansson
 * tree as a string whose first byte is 0xFF followed by its JSON-number text
 * (0xFF never occurs in valid UTF-8, so no DynamoDB or parsed string can be
 * taken for one).  jsontext_dumps writes it as a bare number.
 *
 * Trees that may hold exact numbers (item_to_plain's, jsontext_loads') must
 * be written with jsontext_dumps only (json_dumps fails on them) and read
 * with jsontext_number_text / jsontext_is_number / jsontext_is_string rather
 * than json_is_string / json_string_value.
 *
 * jsontext_dumps is the one JSON writer for everything ddtree prints: the
 * command line's --json lines, the browser's detail and raw views, copied
 * JSON, and (JT_PYTHON) the JSON text written into items exactly as
 * Python's json.dumps writes it.  Layer-neutral: knows nothing of DynamoDB,
 * Stache, Chainlit or ncurses. */
#ifndef DDTREE_MODEL_JSONTEXT_H
#define DDTREE_MODEL_JSONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* Flags of jsontext_dumps (as jansson's, plus JT_PYTHON).  Without
 * JT_INDENT and JT_COMPACT the separators are ", " and ": ". */
#define JT_INDENT(n)    ((size_t)(n) & 0x1F)  /* newline and n spaces a level */
#define JT_COMPACT      ((size_t)1 << 5)      /* separators "," and ":" */
#define JT_ENSURE_ASCII ((size_t)1 << 6)      /* every character beyond ASCII, and
                                                 DEL, as \uXXXX (surrogate pairs
                                                 beyond the BMP) */
#define JT_SORT_KEYS    ((size_t)1 << 7)      /* object keys by their bytes; else
                                                 in the order they were added */
/* Python's json.dumps with its defaults, byte for byte (what Stache writes):
 * ", " / ": ", JT_ENSURE_ASCII with lowercase hex, order kept; an exact
 * number as Python would read and write it back (integers as they are,
 * others as float's repr); reals outside double's range as Infinity. */
#define JT_PYTHON       ((size_t)1 << 8)

/* The JSON text of v, malloc'd; NULL only for NULL.  Never fails otherwise:
 * a string that is not valid UTF-8 is written with U+FFFD for each bad
 * byte.  Integers as they are; reals as the shortest text that reads back
 * to the same double (Python's repr: 0.35, 1e-07, 100.0); exact numbers
 * as their text. */
char *jsontext_dumps(const json_t *v, size_t flags);

/* An exact number for a decimal text (a DynamoDB N): a new reference, or
 * NULL when `text` is not [+-](digits[.digits]|.digits)[(e|E)[+-]digits].
 * The text is kept, only made JSON's grammar: no '+' sign, no leading
 * zeros, "0" before a bare '.', no '.' without digits after it
 * ("+.50" -> "0.50", "007." -> "7"; "1E+05" stays). */
json_t *jsontext_number(const char *text);
/* The text of an exact number, or NULL when v is not one. */
const char *jsontext_number_text(const json_t *v);
/* A number of any kind (exact, integer, real)? */
bool jsontext_is_number(const json_t *v);
/* A string that is not an exact number? */
bool jsontext_is_string(const json_t *v);

/* JSON text parsed with every number kept exact, so that writing it back
 * gives each number's source text.  flags and *e as jansson's json_loads
 * (e may be NULL).  Integers too large for jansson are no error (Python
 * reads any integer, and any real, 1e999 included).  New reference, or
 * NULL with *e. */
json_t *jsontext_loads(const char *text, size_t flags, json_error_t *e);

#endif
