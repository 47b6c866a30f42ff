/*
 * idcard.h — PRC citizen identity numbers (GB 11643-1999).
 *
 * An ID is the one key that links a person across departments, so it is
 * validated strictly: 17 digits and a check character (ISO 7064 MOD 11-2),
 * a real calendar date not after the reference date.  What Excel does to
 * IDs (scientific notation, digits past the 15th zeroed) is recognised and
 * named, because those digits are gone and must not be guessed.
 */
#ifndef REACH_IDCARD_H
#define REACH_IDCARD_H

#include <stddef.h>

enum id_status {
	ID_OK = 0,
	ID_EMPTY,		/* nothing but space */
	ID_BAD_CHAR,		/* a character that is no digit or X */
	ID_BAD_LENGTH,		/* not 15 or 18 characters */
	ID_BAD_DATE,		/* birth date is no calendar date */
	ID_FUTURE,		/* birth date after the reference date */
	ID_BAD_CHECK,		/* check character does not match */
	ID_EXCEL_SCI,		/* 5.00241E+17: Excel scientific notation */
	ID_EXCEL_ZEROED,	/* 15 significant digits then zeros */
};

/*
 * Clean s (n bytes of UTF-8) and validate it.  Removes spaces of any
 * width, tabs and a leading apostrophe; folds full-width digits and X;
 * upper-cases x; turns a valid 15-digit ID into its 18-digit form.
 * as_of is "YYYY-MM-DD" (NULL: today) for the not-in-the-future check.
 * out (19 bytes) receives the 18-character ID when ID_OK, otherwise the
 * cleaned text cut to 18 characters (for messages).
 */
enum id_status id_normalize(const char *s, size_t n, const char *as_of,
    char out[19]);

/* Short ASCII code for warn records, e.g. "id_check". */
const char *id_status_code(enum id_status st);

/* English phrase for messages, e.g. "check digit does not match". */
const char *id_status_msg(enum id_status st);

/* Check character ('0'..'9' or 'X') of the first 17 digits. */
char id_check_char(const char *first17);

/* Birth date of a valid 18-character ID as "YYYY-MM-DD" into out. */
void id_birth(const char *id18, char out[11]);

/* 'M' or 'F' from the 17th digit of a valid 18-character ID. */
char id_sex(const char *id18);

/*
 * For an 18-character string that fails validation, the valid IDs one
 * digit substitution or one adjacent transposition away (the two
 * commonest typing errors).  Writes at most max of them to out and
 * returns how many there are in all.
 */
size_t id_repairs(const char *bad18, const char *as_of, char (*out)[19],
    size_t max);

#endif
