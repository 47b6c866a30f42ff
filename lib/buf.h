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
#include <string.h>

struct buf {
	char *data;
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Grow to room for n more bytes and a NUL; 0, or -1 when out of memory. */
int buf_more(struct buf *b, size_t n);

/* The short ones are inline: import calls them some ten times a cell. */

/* Make room for n more bytes.  Returns 0, or -1 when out of memory. */
static inline int buf_grow(struct buf *b, size_t n)
{
	return b->len + n + 1 <= b->cap ? 0 : buf_more(b, n);
}

static inline int buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static inline int buf_addc(struct buf *b, char c)
{
	if (buf_grow(b, 1) < 0)
		return -1;
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* s[0..n) as a quoted JSON string; invalid UTF-8 bytes become U+FFFD
 * so that the output is always valid JSON. */
int buf_json_str(struct buf *b, const char *s, size_t n);

/* The same for text known to be valid UTF-8 (cells csvin decoded):
 * the check for invalid bytes is a fifth of import's work on a cell. */
int buf_json_utf8(struct buf *b, const char *s, size_t n);

#endif
