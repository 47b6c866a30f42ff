/*
 * hanzi.c — pinyin keys and simplified forms for comparing Chinese names
 * (see hanzi.h).  The data lives in tables generated from Unihan by
 * scripts/gen-hanzi; this file only looks things up and strings them
 * together.
 */
#include <string.h>

#include "hanzi.h"
#include "hanzi_tables.h"
#include "text.h"

/* Longest name hz_name_agree will fold and simplify; longer input is not
 * a personal name and is only compared byte for byte.  Simplifying may
 * grow a character from 3 to 4 bytes, pinyin from 3 to 6 ("zhuang").
 */
#define NAMEMAX	256
#define KEYMAX	(2 * NAMEMAX)

const char *hz_pinyin_of(uint32_t cp)
{
	uint32_t page = cp >> HZ_PY_SHIFT;
	unsigned leaf, syl;

	if (page >= hz_py_nroot || (leaf = hz_py_root[page]) == 0)
		return NULL;
	syl = hz_py_leaf[leaf - 1][cp & ((1u << HZ_PY_SHIFT) - 1)];
	if (syl == 0)
		return NULL;
	return hz_syl_pool + hz_syl_off[syl - 1];
}

uint32_t hz_simplified_of(uint32_t cp)
{
	size_t lo = 0, hi = hz_simp_n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (hz_simp_from[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < hz_simp_n && hz_simp_from[lo] == cp)
		return hz_simp_to[lo];
	return cp;
}

/* Separators between the parts of a minority name.  Registries write
 * 阿依古丽·买买提 with whatever dot the input method offered, and an
 * ASCII full stop when it offered none. */
static int is_name_dot(uint32_t cp)
{
	switch (cp) {
	case '.':
	case 0x00B7:		/* MIDDLE DOT */
	case 0x0387:		/* GREEK ANO TELEIA, NFC of U+00B7 */
	case 0x2022:		/* BULLET */
	case 0x2027:		/* HYPHENATION POINT */
	case 0x2219:		/* BULLET OPERATOR */
	case 0x22C5:		/* DOT OPERATOR */
	case 0x30FB:		/* KATAKANA MIDDLE DOT */
	case 0xFF0E:		/* FULLWIDTH FULL STOP */
	case 0xFF65:		/* HALFWIDTH KATAKANA MIDDLE DOT */
		return 1;
	}
	return 0;
}

/* Append len bytes to out at *pos, leaving room for the final NUL. */
static int put(char *out, size_t outsz, size_t *pos, const char *p,
    size_t len)
{
	if (outsz == 0 || len > outsz - 1 - *pos)
		return -1;
	memcpy(out + *pos, p, len);
	*pos += len;
	return 0;
}

size_t hz_pinyin(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i = 0, pos = 0, len;
	uint32_t cp;
	const char *py;
	char buf[4];

	if (outsz == 0)
		return (size_t)-1;
	while (i < n) {
		i += txt_decode(s + i, n - i, &cp);
		cp = txt_fold_width(cp);
		if (txt_is_space(cp) || is_name_dot(cp))
			continue;
		/* A traditional character Unihan gives no reading for
		 * still sounds like its simplified form. */
		if ((py = hz_pinyin_of(cp)) == NULL)
			py = hz_pinyin_of(hz_simplified_of(cp));
		if (py != NULL) {
			if (put(out, outsz, &pos, py, strlen(py)) == -1)
				return (size_t)-1;
			continue;
		}
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		len = txt_encode(cp, buf);
		if (put(out, outsz, &pos, buf, len) == -1)
			return (size_t)-1;
	}
	out[pos] = '\0';
	return pos;
}

size_t hz_simplify(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i = 0, pos = 0, len;
	uint32_t cp;
	char buf[4];

	if (outsz == 0)
		return (size_t)-1;
	while (i < n) {
		i += txt_decode(s + i, n - i, &cp);
		len = txt_encode(hz_simplified_of(cp), buf);
		if (put(out, outsz, &pos, buf, len) == -1)
			return (size_t)-1;
	}
	out[pos] = '\0';
	return pos;
}

enum hz_agree hz_name_agree(const char *a, const char *b)
{
	char fa[NAMEMAX], fb[NAMEMAX], ka[KEYMAX], kb[KEYMAX];
	size_t la, lb;

	if (a == NULL || b == NULL)
		return HZ_DIFFER;
	la = txt_fold_trim(a, strlen(a), fa, sizeof(fa));
	lb = txt_fold_trim(b, strlen(b), fb, sizeof(fb));
	if (la == (size_t)-1 || lb == (size_t)-1)
		return strcmp(a, b) == 0 ? HZ_EXACT : HZ_DIFFER;
	/* Two missing names are no evidence that two records agree. */
	if (la == 0 || lb == 0)
		return HZ_DIFFER;
	if (la == lb && memcmp(fa, fb, la) == 0)
		return HZ_EXACT;

	la = hz_simplify(fa, la, ka, sizeof(ka));
	lb = hz_simplify(fb, lb, kb, sizeof(kb));
	if (la != (size_t)-1 && la == lb && memcmp(ka, kb, la) == 0)
		return HZ_VARIANT;

	la = hz_pinyin(fa, strlen(fa), ka, sizeof(ka));
	lb = hz_pinyin(fb, strlen(fb), kb, sizeof(kb));
	if (la != (size_t)-1 && la != 0 && la == lb &&
	    memcmp(ka, kb, la) == 0)
		return HZ_PINYIN;
	return HZ_DIFFER;
}
