/*
 * idcard.c — GB 11643-1999 citizen identity numbers (see idcard.h).
 *
 * Cleaning is generous (widths, spaces, Excel's apostrophe) because those
 * change no digit; validation is strict because a wrong ID links the
 * wrong person.  Digits Excel has destroyed are named, never rebuilt.
 */
#include <string.h>

#include "idcard.h"
#include "norm.h"
#include "text.h"

/* Longest cleaned text kept; anything longer is no ID anyway. */
#define CLEAN_MAX	64

char id_check_char(const char *first17)
{
	static const int weight[17] = {
		7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
	};
	static const char check[11] = "10X98765432";
	int i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (first17[i] - '0') * weight[i];
	return check[sum % 11];
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

static int
num(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

void
id_birth(const char *id18, char out[11])
{
	memcpy(out, id18 + 6, 4);
	out[4] = '-';
	memcpy(out + 5, id18 + 10, 2);
	out[7] = '-';
	memcpy(out + 8, id18 + 12, 2);
	out[10] = '\0';
}

char
id_sex(const char *id18)
{
	return (id18[16] - '0') % 2 == 1 ? 'M' : 'F';
}

/* The reference date for the not-in-the-future rule. */
static const char *
ref_date(const char *as_of, char buf[11])
{
	if (as_of != NULL)
		return as_of;
	date_today(buf);
	return buf;
}

/* Full validation of an 18-character ASCII candidate. */
static enum id_status
check18(const char *id, const char *as_of)
{
	char birth[11];

	if (!all_digits(id, 17) || !(is_digit(id[17]) || id[17] == 'X'))
		return ID_BAD_CHAR;
	if (num(id + 6, 4) < 1900 ||
	    !date_valid(num(id + 6, 4), num(id + 10, 2), num(id + 12, 2)))
		return ID_BAD_DATE;
	id_birth(id, birth);
	if (strncmp(birth, as_of, 10) > 0)
		return ID_FUTURE;
	if (id_check_char(id) != id[17])
		return ID_BAD_CHECK;
	return ID_OK;
}

/* Remove spaces of any width and a leading apostrophe (Excel's "this is
 * text" marker), fold widths, upper-case x.  Returns the length, or
 * CLEAN_MAX when the text does not fit (no ID is that long). */
static size_t
id_clean(const char *s, size_t n, char buf[CLEAN_MAX])
{
	size_t i = 0, o = 0;
	uint32_t cp;
	int apostrophe_ok = 1;

	while (i < n) {
		/* ASCII folds to itself: most IDs are nothing else */
		if ((unsigned char)s[i] < 0x80)
			cp = (unsigned char)s[i++];
		else {
			i += txt_decode(s + i, n - i, &cp);
			cp = txt_fold_width(cp);
		}
		if (txt_is_space(cp))
			continue;
		if (apostrophe_ok && o == 0 &&
		    (cp == '\'' || cp == 0x2018 || cp == 0x2019)) {
			apostrophe_ok = 0;
			continue;
		}
		if (cp == 'x')
			cp = 'X';
		if (o + 4 >= CLEAN_MAX) {
			buf[o] = '\0';
			return CLEAN_MAX;
		}
		if (cp < 0x80)
			buf[o++] = cp;
		else
			o += txt_encode(cp, buf + o);
	}
	buf[o] = '\0';
	return o;
}

/* 5.00241E+17, 5.002E17: what Excel shows for an ID typed as a number. */
static int
is_excel_sci(const char *s)
{
	size_t k;

	for (k = 0; is_digit(*s); s++)
		k++;
	if (k == 0)
		return 0;
	if (*s == '.')
		while (is_digit(*++s))
			continue;
	if (*s != 'E' && *s != 'e')
		return 0;
	s++;
	if (*s == '+')
		s++;
	for (k = 0; is_digit(*s); s++)
		k++;
	return k > 0 && *s == '\0';
}

/* Copy the cleaned text, cut to 18 bytes on a character boundary. */
static void
copy_cut(char out[19], const char *s)
{
	size_t n = strlen(s);

	if (n > 18)
		for (n = 18; n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; n--)
			continue;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* A 15-digit ID of the 1980s and 90s: no century, no check character. */
static enum id_status
widen15(const char *id15, const char *as_of, char out[19])
{
	memcpy(out, id15, 6);
	memcpy(out + 6, "19", 2);
	memcpy(out + 8, id15 + 6, 9);
	out[17] = id_check_char(out);
	out[18] = '\0';
	return check18(out, as_of);
}

enum id_status
id_normalize(const char *s, size_t n, const char *as_of, char out[19])
{
	char buf[CLEAN_MAX], today[11], wide[19];
	enum id_status st;
	size_t len;

	/* 18 digits (or 17 and X) as written, most IDs, need no cleaning */
	if (n == 18 && all_digits(s, 17) && (is_digit(s[17]) || s[17] == 'X')) {
		memcpy(out, s, 18);
		out[18] = '\0';
		st = check18(out, ref_date(as_of, today));
		return st == ID_BAD_CHECK && memcmp(out + 15, "000", 3) == 0 ?
		    ID_EXCEL_ZEROED : st;
	}
	len = id_clean(s, n, buf);
	copy_cut(out, buf);
	if (len == CLEAN_MAX)
		return ID_BAD_LENGTH;
	if (len == 0)
		return ID_EMPTY;
	if (is_excel_sci(buf))
		return ID_EXCEL_SCI;
	if (strspn(buf, "0123456789X") != len ||
	    (strchr(buf, 'X') != NULL && strchr(buf, 'X') != buf + 17))
		return ID_BAD_CHAR;
	as_of = ref_date(as_of, today);
	if (len == 15) {
		if ((st = widen15(buf, as_of, wide)) == ID_OK)
			memcpy(out, wide, 19);
		return st;
	}
	if (len != 18)
		return ID_BAD_LENGTH;
	st = check18(buf, as_of);
	/* Excel keeps 15 significant digits and zeroes the rest. */
	if (st == ID_BAD_CHECK && strcmp(buf + 15, "000") == 0)
		return ID_EXCEL_ZEROED;
	return st;
}

/* Try one candidate; count it and keep it if there is room. */
static void
try_repair(const char *cand, const char *as_of, char (*out)[19],
    size_t max, size_t *found)
{
	if (check18(cand, as_of) != ID_OK)
		return;
	if (*found < max)
		memcpy(out[*found], cand, 19);
	(*found)++;
}

size_t
id_repairs(const char *bad18, const char *as_of, char (*out)[19],
    size_t max)
{
	static const char symbols[] = "0123456789X";
	char cand[19], today[11];
	size_t found = 0, j, nsym;
	int i;

	if (strnlen(bad18, 19) != 18)
		return 0;
	as_of = ref_date(as_of, today);
	memcpy(cand, bad18, 19);
	for (i = 0; i < 18; i++) {
		/* X is a check character, so only the last place may be X. */
		nsym = i == 17 ? 11 : 10;
		for (j = 0; j < nsym; j++) {
			cand[i] = symbols[j];
			if (cand[i] != bad18[i])
				try_repair(cand, as_of, out, max, &found);
		}
		cand[i] = bad18[i];
	}
	for (i = 0; i < 17; i++) {
		if (bad18[i] == bad18[i + 1])
			continue;
		cand[i] = bad18[i + 1];
		cand[i + 1] = bad18[i];
		try_repair(cand, as_of, out, max, &found);
		cand[i] = bad18[i];
		cand[i + 1] = bad18[i + 1];
	}
	return found;
}

const char *
id_status_code(enum id_status st)
{
	switch (st) {
	case ID_OK:		return "id_ok";
	case ID_EMPTY:		return "id_empty";
	case ID_BAD_CHAR:	return "id_char";
	case ID_BAD_LENGTH:	return "id_length";
	case ID_BAD_DATE:	return "id_date";
	case ID_FUTURE:		return "id_future";
	case ID_BAD_CHECK:	return "id_check";
	case ID_EXCEL_SCI:	return "id_excel_sci";
	case ID_EXCEL_ZEROED:	return "id_excel_zeroed";
	}
	return "id_unknown";
}

const char *
id_status_msg(enum id_status st)
{
	switch (st) {
	case ID_OK:		return "valid";
	case ID_EMPTY:		return "no ID given";
	case ID_BAD_CHAR:	return "character that is no digit or X";
	case ID_BAD_LENGTH:	return "not 15 or 18 characters";
	case ID_BAD_DATE:	return "birth date is no calendar date";
	case ID_FUTURE:		return "birth date is in the future";
	case ID_BAD_CHECK:	return "check digit does not match";
	case ID_EXCEL_SCI:
		return "Excel turned the ID into scientific notation";
	case ID_EXCEL_ZEROED:
		return "Excel zeroed the digits after the 15th";
	}
	return "unknown ID status";
}
