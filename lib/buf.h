/*
 * buf.h — a growable byte buffer, and JSON text written into it.
 *
 * import builds each record as JSON text directly: a row becomes one
 * line without first becoming a tree of jv values, which is what keeps
 * import close to the speed of the bare CSV parse.  Every other command
 * works on jv and writes with ndjson.h.
 */
#ifndef REACH_BUF_H
#define REACH_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Make room for n more bytes.  Returns 0, or -1 when out of memory. */
int buf_grow(struct buf *b, size_t n);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* s[0..n) as a quoted JSON string; invalid UTF-8 bytes become U+FFFD
 * so that the output is always valid JSON. */
int buf_json_str(struct buf *b, const char *s, size_t n);

/* The same for text known to be valid UTF-8 (cells csvin decoded):
 * the check for invalid bytes is a fifth of import's work on a cell. */
int buf_json_utf8(struct buf *b, const char *s, size_t n);

#endif
