/*
 * buf.c — growable buffer and JSON string quoting (see buf.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

int buf_more(struct buf *b, size_t n)
{
	size_t cap;
	char *p;

	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Copy s[0..n) with each byte that is no valid UTF-8 as U+FFFD; room
 * for 3 bytes per byte is made already. */
static void put_utf8(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	if (txt_valid_utf8(s, n)) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		return;
	}
	while (i < n) {
		k = txt_decode(s + i, n - i, &cp);
		b->len += txt_encode(cp, b->data + b->len);
		i += k;
	}
}

/* Whether one of the eight bytes of w is below 0x20, '"' or '\\': what
 * JSON escapes.  No false answers: a borrow starts only at a true one. */
static int escapes8(uint64_t w)
{
	uint64_t below = (w - TXT_ONES * 0x20) & ~w & TXT_HIGH;

	return (below | txt_bytes_eq(w, '"') | txt_bytes_eq(w, '\\')) != 0;
}

static int json_str(struct buf *b, const char *s, size_t n, int valid)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run, k;
	unsigned char c;
	char esc[6];
	uint64_t w;

	/* worst case: every byte becomes \u00XX */
	if (buf_grow(b, n * 6 + 2) < 0)
		return -1;
	b->data[b->len++] = '"';
	while (i < n) {
		/* no multi-byte character holds a byte below 0x80, so a
		 * run ends where a character does */
		for (run = i; run + 8 <= n; run += 8) {
			memcpy(&w, s + run, 8);
			if (escapes8(w))
				break;
		}
		for (; run < n; run++) {
			c = s[run];
			if (c < 0x20 || c == '"' || c == '\\')
				break;
		}
		if (valid) {
			memcpy(b->data + b->len, s + i, run - i);
			b->len += run - i;
		} else
			put_utf8(b, s + i, run - i);
		if ((i = run) == n)
			break;
		c = s[i];
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; k = 2; break;
		case '\\': esc[1] = '\\'; k = 2; break;
		case '\n': esc[1] = 'n'; k = 2; break;
		case '\r': esc[1] = 'r'; k = 2; break;
		case '\t': esc[1] = 't'; k = 2; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			k = 6;
		}
		memcpy(b->data + b->len, esc, k);
		b->len += k;
		i++;
	}
	b->data[b->len++] = '"';
	b->data[b->len] = '\0';
	return 0;
}

int buf_json_str(struct buf *b, const char *s, size_t n)
{
	return json_str(b, s, n, 0);
}

int buf_json_utf8(struct buf *b, const char *s, size_t n)
{
	return json_str(b, s, n, 1);
}
