/*
 * text.h — small UTF-8 helpers shared by the normalisers.
 *
 * Department exports mix ASCII with full-width forms (Ｘ, ５, U+3000);
 * everything that compares or validates text folds them first, here, so
 * that each normaliser does not grow its own copy of the table.
 */
#ifndef REACH_TEXT_H
#define REACH_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Decode one code point at s (n bytes left).  Returns its length in bytes
 * and stores it in *cp; on an invalid sequence returns 1 and stores
 * 0xFFFD, so a caller always advances. */
size_t txt_decode(const char *s, size_t n, uint32_t *cp);

/* Append the UTF-8 form of cp to out; returns bytes written (1..4). */
size_t txt_encode(uint32_t cp, char *out);

/* Full-width ASCII (U+FF01..U+FF5E) and the ideographic space U+3000
 * map to their ASCII twins; every other code point maps to itself. */
uint32_t txt_fold_width(uint32_t cp);

/* Space of any width: ASCII space, tab, CR, LF, NBSP, U+3000. */
int txt_is_space(uint32_t cp);

/* Whether s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int txt_valid_utf8(const char *s, size_t n);

/*
 * Eight bytes at a time: the scans that look at every byte of a file
 * (csvin, JSON strings, UTF-8 checks) load a word and ask of all its
 * bytes at once.  TXT_HIGH marks the bytes above 0x7F; txt_bytes_eq the
 * bytes equal to c.  Either is non-zero exactly when some byte is one
 * (a borrow only marks bytes above a byte that truly is).
 */
#define TXT_ONES 0x0101010101010101ULL
#define TXT_HIGH (TXT_ONES * 0x80)

static inline uint64_t txt_bytes_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (TXT_ONES * c);

	return (x - TXT_ONES) & ~x & TXT_HIGH;
}

/* How many bytes s[0..n) starts with below 0x80: eight at a time, and
 * the last word's in one step. */
static inline size_t txt_ascii_len(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w &= TXT_HIGH) != 0)
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			return i + __builtin_clzll(w) / 8;
#else
			return i + __builtin_ctzll(w) / 8;
#endif
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

/* 0x80 in exactly the bytes of w equal to c and 0 in the others, for
 * counting them (txt_bytes_eq may also mark a byte above one that is). */
static inline uint64_t txt_bytes_mark(uint64_t w, unsigned char c)
{
	const uint64_t low = TXT_ONES * 0x7F;
	uint64_t x = w ^ (TXT_ONES * c);

	return ~(((x & low) + low) | x | low);
}

/* Copy s into out (outsz bytes, NUL-terminated) with widths folded and
 * leading and trailing space of any width removed.  Returns the length
 * written, or (size_t)-1 if out is too small. */
size_t txt_fold_trim(const char *s, size_t n, char *out, size_t outsz);

#endif
