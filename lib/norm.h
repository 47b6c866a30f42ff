/*
 * norm.h — normalisers for the values department exports carry.
 *
 * Each takes raw cell text (n bytes of UTF-8, not NUL-terminated) and
 * returns NORM_OK with the clean value, NORM_EMPTY when the cell holds
 * nothing (space, "-", "/", "无" where that means no value), or NORM_BAD
 * with *why set to a short English reason.  None guesses silently: a
 * value that could mean two things is NORM_BAD.
 */
#ifndef REACH_NORM_H
#define REACH_NORM_H

#include <stddef.h>

enum { NORM_OK = 0, NORM_EMPTY = 1, NORM_BAD = -1 };

/* Person name: trims space of any width, removes space between Han
 * characters (张　三 → 张三), unifies the middle dot of minority names
 * (· • . ・ ‧ ･ and the like) to U+00B7.  out is NUL-terminated. */
int norm_name(const char *s, size_t n, char *out, size_t outsz,
    const char **why);

/* Date: 2023-05-01, 2023/5/1, 2023.5.1, 2023年5月1日, 20230501, an Excel
 * serial day number (1900 system, e.g. 45047), optionally followed by a
 * time of day, which is dropped.  out gets "YYYY-MM-DD". */
int norm_date(const char *s, size_t n, char out[11], const char **why);

/* Month: 2023-05, 2023/5, 2023年5月, 202305, or any full date.  out gets
 * the first day of the month, "YYYY-MM-01". */
int norm_month(const char *s, size_t n, char out[11], const char **why);

/* Money in 元: 12345.6, 12,345.60, ¥12345, ￥12345, 1.2万, 12345元.
 * *fen gets the exact amount in 分 (hundredths); more than two
 * decimals is NORM_BAD, never rounded. */
int norm_money(const char *s, size_t n, long long *fen, const char **why);

/* Format fen as a JSON number in 元 with no needless zeros:
 * 1234560 → "12345.6", 100 → "1", 5 → "0.05", -250 → "-2.5".
 * buf needs 32 bytes; returns the length. */
size_t money_format(long long fen, char *buf);

/* The same for an amount written plainly (0, 1234, 1234.5, 1234.56; no
 * sign, no leading zero, up to 15 digits before the point), taken from
 * the text with no conversion to fen and back: what money_format would
 * write for norm_money's value.  0 for any other form. */
size_t money_plain(const char *s, size_t n, char *buf);

/* Yes/no: 是/否, Y/N, yes/no, true/false, 1/0, √/×, 有/无. */
int norm_bool(const char *s, size_t n, int *yes, const char **why);

/* Sex: 男/女, M/F, 1/2 (GB/T 2261.1) into 'M' or 'F'. */
int norm_sex(const char *s, size_t n, char *sex, const char **why);

/* Phone: strips space, dashes, +86/0086; a mobile is 11 digits from 1,
 * a landline is an area code (0 + 2..3 digits) and 7..8 digits written
 * as "023-76612345", or 7..8 digits alone.  out is NUL-terminated. */
int norm_phone(const char *s, size_t n, char *out, size_t outsz,
    const char **why);

/* Whole number, optionally with thousands separators and a unit
 * suffix such as 人 or 次. */
int norm_int(const char *s, size_t n, long long *v, const char **why);

/* Days since 1970-01-01 of a "YYYY-MM-DD" date, and back. */
long date_days(const char *ymd);
void date_from_days(long days, char out[11]);

/* Today as "YYYY-MM-DD" (UTC+8, the county's own calendar). */
void date_today(char out[11]);

/* Whether y-m-d is a day of the proleptic Gregorian calendar. */
int date_valid(int y, int m, int d);

#endif
