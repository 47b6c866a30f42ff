/*
 * hanzi.h — pinyin and variant characters for matching Chinese names.
 *
 * The tables are generated at build time from Debian's unicode-data
 * (Unihan_Readings kMandarin, Unihan_Variants kSimplifiedVariant) by
 * scripts/gen-hanzi; nothing but the tone-mark folding is typed by hand.
 */
#ifndef REACH_HANZI_H
#define REACH_HANZI_H

#include <stddef.h>
#include <stdint.h>

/* Toneless pinyin syllable of a Han character (first kMandarin reading,
 * ü written as "v"), or NULL when cp has none. */
const char *hz_pinyin_of(uint32_t cp);

/* The simplified form of a traditional character; cp itself otherwise. */
uint32_t hz_simplified_of(uint32_t cp);

/* Toneless pinyin of a UTF-8 string, syllables joined without spaces
 * ("张三" → "zhangsan"); non-Han characters are kept lower-cased, the
 * middle dot (or what stands in for it: . • ・) and spaces dropped; a
 * character with no reading of its own takes its simplified form's.
 * Returns the length, or (size_t)-1 if outsz is too small; out is
 * NUL-terminated. */
size_t hz_pinyin(const char *s, size_t n, char *out, size_t outsz);

/* The string with every character replaced by its simplified form (first
 * kSimplifiedVariant; invalid UTF-8 becomes U+FFFD).  Returns the length,
 * or (size_t)-1 if outsz is too small; out is NUL-terminated. */
size_t hz_simplify(const char *s, size_t n, char *out, size_t outsz);

/* How two names agree, best first, after folding widths and trimming.
 * An empty or NULL name agrees with nothing: missing names are no
 * evidence.  Pinyin is Unihan's first reading only and exact (no sh/s,
 * n/l or heteronym fuzz), so 曾 reads ceng even as the surname zeng. */
enum hz_agree {
	HZ_EXACT = 3,		/* same characters */
	HZ_VARIANT = 2,		/* same once simplified (張三 / 张三) */
	HZ_PINYIN = 1,		/* same sound (张珊 / 张姗) */
	HZ_DIFFER = 0,
};
enum hz_agree hz_name_agree(const char *a, const char *b);

#endif
