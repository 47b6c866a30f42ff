/*
 * text.c — UTF-8 decode/encode and width folding (see text.h).
 */
#include <string.h>

#include "text.h"

/* 3 if u starts with a three-byte character led by E1..EC (Han and most
 * other text), which can be no overlong and no surrogate, so that only
 * its tail bytes need a look; else 0. */
static size_t common3(const unsigned char *u, size_t n)
{
	return n >= 3 && u[0] >= 0xE1 && u[0] <= 0xEC &&
	    (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 ? 3 : 0;
}

size_t txt_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	uint32_t c, min;

	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (common3(u, n)) {
		*cp = (c & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		return 3;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (n < len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = c << 6 | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return len;
}

size_t txt_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = 0xC0 | cp >> 6;
		o[1] = 0x80 | (cp & 0x3F);
		return 2;
	} else if (cp < 0x10000) {
		o[0] = 0xE0 | cp >> 12;
		o[1] = 0x80 | (cp >> 6 & 0x3F);
		o[2] = 0x80 | (cp & 0x3F);
		return 3;
	}
	o[0] = 0xF0 | cp >> 18;
	o[1] = 0x80 | (cp >> 12 & 0x3F);
	o[2] = 0x80 | (cp >> 6 & 0x3F);
	o[3] = 0x80 | (cp & 0x3F);
	return 4;
}

uint32_t txt_fold_width(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFF01 + 0x21;
	if (cp == 0x3000)
		return ' ';
	return cp;
}

int txt_is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' ||
	    cp == 0xA0 || cp == 0x3000;
}

int txt_valid_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;

	while ((i += txt_ascii_len(s + i, n - i)) < n) {
		/* Han text: one character after another */
		while ((k = common3(u + i, n - i)) > 0)
			i += k;
		if (i == n || u[i] < 0x80)
			continue;
		k = txt_decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && k == 1)
			return 0;
		i += k;
	}
	return 1;
}

size_t txt_fold_trim(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i = 0, o = 0, keep = 0;
	uint32_t cp;

	while (i < n) {
		/* ASCII folds to itself: most cells are nothing else */
		if ((unsigned char)s[i] < 0x80)
			cp = (unsigned char)s[i++];
		else {
			i += txt_decode(s + i, n - i, &cp);
			cp = txt_fold_width(cp);
		}
		if (o == 0 && txt_is_space(cp))
			continue;
		if (o + 4 >= outsz)
			return (size_t)-1;
		if (cp < 0x80)
			out[o++] = cp;
		else
			o += txt_encode(cp, out + o);
		if (!txt_is_space(cp))
			keep = o;
	}
	out[keep] = '\0';
	return keep;
}
