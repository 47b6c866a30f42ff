/*
 * norm.c — turn the cell text of department exports into clean values
 * (see norm.h).  Every normaliser folds full-width forms and trims first,
 * then accepts only forms that mean one thing; anything else is refused
 * with a reason, because a wrong date or amount is worse than none.
 */
#include <limits.h>
#include <string.h>
#include <time.h>

#include "norm.h"
#include "text.h"

/* Longest cell any normaliser accepts; a longer one is no single value. */
#define CELL_MAX	256

/* Dates outside these years are typing errors in this county's records. */
#define YEAR_MIN	1900
#define YEAR_MAX	2100

#define NAME_MAX_CHARS	30

struct scan {
	const char	*p, *end;
};

static int
cell_fold(const char *s, size_t n, char *buf, size_t *len, const char **why)
{
	/* ASCII with no space at its ends, most dates and numbers, is its
	 * own folding */
	if (n > 0 && n + 4 < CELL_MAX && txt_ascii_len(s, n) == n &&
	    s[0] > ' ' && s[n - 1] > ' ') {
		memcpy(buf, s, n);
		buf[n] = '\0';
		*len = n;
		return NORM_OK;
	}
	if (!txt_valid_utf8(s, n)) {
		*why = "not valid UTF-8";
		return NORM_BAD;
	}
	*len = txt_fold_trim(s, n, buf, CELL_MAX);
	if (*len == (size_t)-1) {
		*why = "value too long";
		return NORM_BAD;
	}
	return NORM_OK;
}

/* Exports mark a missing value with dashes or a slash as often as with
 * nothing at all. */
static int
is_blank(const char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		i += txt_decode(s + i, n - i, &cp);
		if (cp != '-' && cp != '/' && cp != 0x2014)
			return 0;
	}
	return 1;
}

static int
is_han(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x20000 && cp <= 0x323AF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3007;
}

static int
sc_eof(const struct scan *sc)
{
	return sc->p >= sc->end;
}

static int
sc_peek(const struct scan *sc)
{
	return sc_eof(sc) ? -1 : (unsigned char)*sc->p;
}

static int
sc_lit(struct scan *sc, const char *lit)
{
	size_t k = strlen(lit);

	if ((size_t)(sc->end - sc->p) < k || memcmp(sc->p, lit, k) != 0)
		return 0;
	sc->p += k;
	return 1;
}

static void
sc_skip_space(struct scan *sc)
{
	uint32_t cp;
	size_t k;

	while (!sc_eof(sc)) {
		k = txt_decode(sc->p, sc->end - sc->p, &cp);
		if (!txt_is_space(cp))
			break;
		sc->p += k;
	}
}

/* v = v * mul + add, or 0 if that does not fit. */
static int
mul_add(long long *v, long long mul, long long add)
{
	if (*v > (LLONG_MAX - add) / mul)
		return 0;
	*v = *v * mul + add;
	return 1;
}

/* Reads a run of ASCII digits; returns how many, *v = -1 on overflow. */
static size_t
sc_digits(struct scan *sc, long long *v)
{
	size_t k = 0;

	*v = 0;
	while (sc_peek(sc) >= '0' && sc_peek(sc) <= '9') {
		if (*v >= 0 && !mul_add(v, 10, *sc->p - '0'))
			*v = -1;
		sc->p++;
		k++;
	}
	return k;
}

/* Digits, optionally in groups of three separated by commas.  A comma
 * anywhere else might be a decimal comma, so it is refused. */
static int
sc_grouped(struct scan *sc, long long *v, size_t *ndig, const char **why)
{
	long long g;
	size_t k;

	*ndig = sc_digits(sc, v);
	if (sc_peek(sc) != ',')
		goto done;
	if (*ndig < 1 || *ndig > 3) {
		*why = "misplaced thousands separator";
		return NORM_BAD;
	}
	while (sc_lit(sc, ",")) {
		k = sc_digits(sc, &g);
		if (k != 3) {
			*why = "misplaced thousands separator";
			return NORM_BAD;
		}
		*ndig += k;
		if (*v >= 0 && !mul_add(v, 1000, g))
			*v = -1;
	}
done:
	if (*v < 0) {
		*why = "number too large";
		return NORM_BAD;
	}
	return NORM_OK;
}

/* ---- calendar ---- */

/* Howard Hinnant's days_from_civil: exact for any proleptic Gregorian
 * date, with no time zone or libc calendar involved. */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
days_in_month(long y, int m)
{
	static const signed char days[] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

	return days[m - 1] + (m == 2 && leap);
}

int
date_valid(int y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static void
put_ymd(char out[11], long y, int m, int d)
{
	int i;

	for (i = 3; i >= 0; i--, y /= 10)
		out[i] = '0' + y % 10;
	out[4] = '-';
	out[5] = '0' + m / 10;
	out[6] = '0' + m % 10;
	out[7] = '-';
	out[8] = '0' + d / 10;
	out[9] = '0' + d % 10;
	out[10] = '\0';
}

/* Days since 1970-01-01, or LONG_MIN if ymd is no "YYYY-MM-DD" date. */
long
date_days(const char *ymd)
{
	int i, v[8], k = 0, y, m, d;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (ymd[i] != '-')
				return LONG_MIN;
		} else if (ymd[i] >= '0' && ymd[i] <= '9') {
			v[k++] = ymd[i] - '0';
		} else
			return LONG_MIN;
	}
	y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	m = v[4] * 10 + v[5];
	d = v[6] * 10 + v[7];
	if (!date_valid(y, m, d))
		return LONG_MIN;
	return days_from_civil(y, m, d);
}

static void
civil_from_days(long z, long *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

void
date_from_days(long z, char out[11])
{
	long y;
	int m, d;

	civil_from_days(z, &y, &m, &d);
	put_ymd(out, y, m, d);
}

void
date_today(char out[11])
{
	long long t = (long long)time(NULL) + 8 * 3600;
	long long days = t / 86400 - (t % 86400 < 0);

	date_from_days((long)days, out);
}

/* ---- dates ---- */

static int
make_date(long long y, long long m, long long d, char out[11],
    const char **why)
{
	if (y < YEAR_MIN || y > YEAR_MAX) {
		*why = "year out of range";
		return NORM_BAD;
	}
	if (m < 1 || m > 12) {
		*why = "month out of range";
		return NORM_BAD;
	}
	if (!date_valid(y, m, d)) {
		*why = "no such day in that month";
		return NORM_BAD;
	}
	put_ymd(out, y, m, d);
	return NORM_OK;
}

/* Excel's 1900 date system counts 1900-01-01 as day 1 but also counts
 * a 1900-02-29 that never was, so serials from 61 on are one day off
 * from those before it. */
static int
excel_serial(long long serial, char out[11], const char **why)
{
	long base, y;
	int m, d;

	if (serial < 1 || serial > 2958465) {
		*why = "not an Excel date serial";
		return NORM_BAD;
	}
	if (serial == 60) {
		*why = "Excel's 1900-02-29 never existed";
		return NORM_BAD;
	}
	base = date_days(serial < 60 ? "1899-12-31" : "1899-12-30");
	civil_from_days(base + (long)serial, &y, &m, &d);
	return make_date(y, m, d, out, why);
}

/* A bare number is an Excel serial, with a fraction for the time of
 * day.  Only 3..5 digits are plausible, and one that reads as a year is
 * refused rather than turned into a day of 1905. */
static int
scan_serial(struct scan *sc, long long serial, size_t ndig, char out[11],
    const char **why)
{
	long long frac;

	if (sc_lit(sc, ".") && sc_digits(sc, &frac) == 0) {
		*why = "not a date";
		return NORM_BAD;
	}
	if (ndig < 3 || ndig > 5) {
		*why = "number is no plausible Excel date";
		return NORM_BAD;
	}
	if (ndig == 4 && serial >= YEAR_MIN && serial <= YEAR_MAX) {
		*why = "a year alone is not a date";
		return NORM_BAD;
	}
	return excel_serial(serial, out, why);
}

/* Reads 1..2 digits; nonzero if that is what is there. */
static int
sc_small(struct scan *sc, long long *v)
{
	size_t k = sc_digits(sc, v);

	return k >= 1 && k <= 2;
}

static int
is_date_sep(int c)
{
	return c == '-' || c == '/' || c == '.';
}

/* The date at the start of sc, in any of the forms norm.h lists. */
static int
scan_date(struct scan *sc, char out[11], const char **why)
{
	long long y, m, d;
	size_t k = sc_digits(sc, &y);
	int sep;

	if (k == 4 && is_date_sep(sc_peek(sc))) {
		sep = *sc->p++;
		if (!sc_small(sc, &m) || sc_peek(sc) != sep)
			goto bad;
		sc->p++;
		if (!sc_small(sc, &d))
			goto bad;
	} else if (k == 4 && sc_lit(sc, "年")) {
		if (!sc_small(sc, &m) || !sc_lit(sc, "月") ||
		    !sc_small(sc, &d))
			goto bad;
		if (!sc_lit(sc, "日"))
			(void)sc_lit(sc, "号");
	} else if (k == 8) {
		d = y % 100;
		m = y / 100 % 100;
		y /= 10000;
	} else if (k >= 1 && k <= 7)
		return scan_serial(sc, y, k, out, why);
	else
		goto bad;
	return make_date(y, m, d, out, why);
bad:
	*why = "not a date";
	return NORM_BAD;
}

/* A time of day after a date is dropped, but only if it is one. */
static int
sc_time_tail(struct scan *sc)
{
	long long h, mi, se, frac;

	sc_skip_space(sc);
	if (sc_eof(sc))
		return 1;
	(void)sc_lit(sc, "T");
	if (!sc_small(sc, &h) || h > 23 || !sc_lit(sc, ":") ||
	    sc_digits(sc, &mi) != 2 || mi > 59)
		return 0;
	if (sc_lit(sc, ":")) {
		if (sc_digits(sc, &se) != 2 || se > 60)
			return 0;
		if (sc_lit(sc, ".") && sc_digits(sc, &frac) == 0)
			return 0;
	}
	sc_skip_space(sc);
	return sc_eof(sc);
}

/* How many ASCII digits s[0..n) starts with. */
static size_t
digits_at(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && s[k] >= '0' && s[k] <= '9')
		k++;
	return k;
}

/* Whether s[0..n) are all ASCII digits. */
static int
all_digits(const char *s, size_t n)
{
	return digits_at(s, n) == n;
}

/* The value of n ASCII digits (no more than 18). */
static long long
digits_value(const char *s, size_t n)
{
	long long v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/*
 * The ASCII forms most exports write, YYYY-MM-DD with any of the three
 * separators and a month and day of one or two digits, and YYYYMMDD,
 * read as scan_date reads them but with no folding or scanning.  0 when
 * s[0..n) is no such date.
 */
static int
plain_date(const char *s, size_t n, long long *y, long long *m,
    long long *d)
{
	size_t k, j;

	if (n == 8 && all_digits(s, 8)) {
		*y = digits_value(s, 4);
		*m = digits_value(s + 4, 2);
		*d = digits_value(s + 6, 2);
		return 1;
	}
	if (n < 8 || n > 10 || !all_digits(s, 4) || !is_date_sep(s[4]))
		return 0;
	k = 5 + digits_at(s + 5, n - 5);
	if (k - 5 < 1 || k - 5 > 2 || k == n || s[k] != s[4])
		return 0;
	j = k + 1 + digits_at(s + k + 1, n - k - 1);
	if (j != n || n - k - 1 < 1 || n - k - 1 > 2)
		return 0;
	*y = digits_value(s, 4);
	*m = digits_value(s + 5, k - 5);
	*d = digits_value(s + k + 1, n - k - 1);
	return 1;
}

int
norm_date(const char *s, size_t n, char out[11], const char **why)
{
	char buf[CELL_MAX];
	struct scan sc;
	long long y, m, d;
	size_t len;
	int r;

	if (plain_date(s, n, &y, &m, &d))
		return make_date(y, m, d, out, why);
	if ((r = cell_fold(s, n, buf, &len, why)) != NORM_OK)
		return r;
	if (is_blank(buf, len))
		return NORM_EMPTY;
	sc.p = buf;
	sc.end = buf + len;
	if ((r = scan_date(&sc, out, why)) != NORM_OK)
		return r;
	if (!sc_time_tail(&sc)) {
		*why = "text after the date";
		return NORM_BAD;
	}
	return NORM_OK;
}

/* The month-only forms; 0 if sc holds something else. */
static int
scan_month_only(struct scan *sc, long long *y, long long *m)
{
	size_t k = sc_digits(sc, y);
	int sep;

	if (k == 6 && sc_eof(sc)) {
		*m = *y % 100;
		*y /= 100;
		return 1;
	}
	if (k != 4)
		return 0;
	if (is_date_sep(sep = sc_peek(sc))) {
		sc->p++;
		if (!sc_small(sc, m))
			return 0;
	} else if (!sc_lit(sc, "年") || !sc_small(sc, m) || !sc_lit(sc, "月"))
		return 0;
	sc_skip_space(sc);
	return sc_eof(sc);
}

int
norm_month(const char *s, size_t n, char out[11], const char **why)
{
	char buf[CELL_MAX];
	struct scan sc;
	long long y, m;
	size_t len;
	int r;

	if ((r = cell_fold(s, n, buf, &len, why)) != NORM_OK)
		return r;
	if (is_blank(buf, len))
		return NORM_EMPTY;
	sc.p = buf;
	sc.end = buf + len;
	if (scan_month_only(&sc, &y, &m))
		return make_date(y, m, 1, out, why);
	if ((r = norm_date(buf, len, out, why)) != NORM_OK)
		return r;
	out[8] = '0';
	out[9] = '1';
	return NORM_OK;
}

/* ---- money ---- */

/* The number part of an amount: *units in 10^-*scale 元. */
static int
scan_decimal(struct scan *sc, long long *units, int *scale, const char **why)
{
	long long frac = 0;
	size_t ni, nf = 0;

	if (sc_grouped(sc, units, &ni, why) != NORM_OK)
		return NORM_BAD;
	if (sc_lit(sc, "."))
		nf = sc_digits(sc, &frac);
	if (ni + nf == 0) {
		*why = "not an amount";
		return NORM_BAD;
	}
	/* Zeros at the end say nothing; dropping them keeps 12.50 exact. */
	while (nf > 0 && frac >= 0 && frac % 10 == 0) {
		frac /= 10;
		nf--;
	}
	*scale = nf;
	while (nf-- > 0)
		if (frac < 0 || !mul_add(units, 10, 0))
			goto big;
	if (!mul_add(units, 1, frac))
		goto big;
	return NORM_OK;
big:
	*why = "amount too large or too precise";
	return NORM_BAD;
}

/*
 * Whether s[0..n) is an amount in the usual form, 1234 / 1234.5 /
 * 1234.56, which needs no folding or scanning: up to 15 digits (they
 * cannot overflow as fen), then nothing or a point and one or two
 * digits.  *k is the number of digits before the point.
 */
static int
plain_amount(const char *s, size_t n, size_t *k)
{
	size_t f;

	*k = digits_at(s, n);
	if (*k < 1 || *k > 15)
		return 0;
	f = n - *k;
	return f == 0 || (s[*k] == '.' && f >= 2 && f <= 3 &&
	    all_digits(s + *k + 1, f - 1));
}

int
norm_money(const char *s, size_t n, long long *fen, const char **why)
{
	char buf[CELL_MAX];
	struct scan sc;
	long long units;
	size_t len, k;
	int r, neg, scale, shift;

	if (plain_amount(s, n, &k)) {
		*fen = digits_value(s, k) * 100;
		if (k < n)
			*fen += digits_value(s + k + 1, n - k - 1) *
			    (n - k - 1 == 1 ? 10 : 1);
		return NORM_OK;
	}
	if ((r = cell_fold(s, n, buf, &len, why)) != NORM_OK)
		return r;
	if (is_blank(buf, len))
		return NORM_EMPTY;
	sc.p = buf;
	sc.end = buf + len;
	neg = sc_lit(&sc, "-");
	if (sc_lit(&sc, "¥") || sc_lit(&sc, "￥"))
		neg = neg || sc_lit(&sc, "-");
	sc_skip_space(&sc);
	if (scan_decimal(&sc, &units, &scale, why) != NORM_OK)
		return NORM_BAD;
	sc_skip_space(&sc);
	shift = 2 - scale;
	if (sc_lit(&sc, "万"))
		shift += 4;
	(void)sc_lit(&sc, "元");
	if (!sc_eof(&sc)) {
		*why = "not an amount";
		return NORM_BAD;
	}
	if (shift < 0) {
		*why = "more than two decimal places";
		return NORM_BAD;
	}
	while (shift-- > 0)
		if (!mul_add(&units, 10, 0)) {
			*why = "amount too large";
			return NORM_BAD;
		}
	*fen = neg ? -units : units;
	return NORM_OK;
}

size_t
money_plain(const char *s, size_t n, char *buf)
{
	size_t k, end;

	if (!plain_amount(s, n, &k) || (s[0] == '0' && k > 1))
		return 0;
	for (end = n; end > k && (s[end - 1] == '0' || s[end - 1] == '.');
	    end--)
		if (s[end - 1] == '.') {
			end--;
			break;
		}
	memcpy(buf, s, end);
	buf[end] = '\0';
	return end;
}

size_t
money_format(long long fen, char *buf)
{
	unsigned long long mag = fen < 0 ? -(unsigned long long)fen :
	    (unsigned long long)fen;
	unsigned cents = mag % 100;
	char digits[24];
	size_t len = 0, k = 0;

	if (fen < 0)
		buf[len++] = '-';
	mag /= 100;
	do
		digits[k++] = '0' + mag % 10;
	while ((mag /= 10) > 0);
	while (k > 0)
		buf[len++] = digits[--k];
	if (cents > 0) {
		buf[len++] = '.';
		buf[len++] = '0' + cents / 10;
		if (cents % 10)
			buf[len++] = '0' + cents % 10;
	}
	buf[len] = '\0';
	return len;
}

/* ---- words: yes/no, sex ---- */

/* Index of buf (ASCII lower-cased in place) in list, or -1. */
static int
word_index(char *buf, size_t len, const char *const *list)
{
	size_t i;
	int k;

	for (i = 0; i < len; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] += 'a' - 'A';
	for (k = 0; list[k] != NULL; k++)
		if (strcmp(buf, list[k]) == 0)
			return k;
	return -1;
}

int
norm_bool(const char *s, size_t n, int *yes, const char **why)
{
	static const char *const yes_words[] = {
		"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", NULL
	};
	static const char *const no_words[] = {
		"否", "n", "no", "false", "0", "×", "✗", "✘", "无", "没有", NULL
	};
	char buf[CELL_MAX];
	size_t len;
	int r;

	if ((r = cell_fold(s, n, buf, &len, why)) != NORM_OK)
		return r;
	if (is_blank(buf, len))
		return NORM_EMPTY;
	if (word_index(buf, len, yes_words) >= 0)
		*yes = 1;
	else if (word_index(buf, len, no_words) >= 0)
		*yes = 0;
	else {
		*why = "not yes or no";
		return NORM_BAD;
	}
	return NORM_OK;
}

int
norm_sex(const char *s, size_t n, char *sex, const char **why)
{
	/* Pairs: even index male, odd index female (GB/T 2261.1 codes). */
	static const char *const words[] = {
		"男", "女", "男性", "女性", "m", "f", "male", "female",
		"1", "2", NULL
	};
	static const char *const unknown[] = { "0", "9", "未知", NULL };
	char buf[CELL_MAX];
	size_t len;
	int r, k;

	if ((r = cell_fold(s, n, buf, &len, why)) != NORM_OK)
		return r;
	if (is_blank(buf, len))
		return NORM_EMPTY;
	if ((k = word_index(buf, len, words)) >= 0) {
		*sex = k % 2 == 0 ? 'M' : 'F';
		return NORM_OK;
	}
	*why = word_index(buf, len, unknown) >= 0 ?
	    "sex recorded as unknown" : "not a sex";
	return NORM_BAD;
}

/* ---- phone ---- */

/* The digits of a phone cell, separators and country code removed.
 * *sep_at is how many digits came before the first separator (-1 if
 * none); *intl says a +86 or 0086 was removed. */
static int
phone_digits(const char *buf, size_t len, char d[24], size_t *nd,
    int *sep_at, int *intl)
{
	size_t i;

	*nd = 0;
	*sep_at = -1;
	*intl = buf[0] == '+';
	for (i = *intl; i < len; i++) {
		if (buf[i] >= '0' && buf[i] <= '9') {
			if (*nd >= 20)
				return 0;
			d[(*nd)++] = buf[i];
		} else if (strchr(" -()", buf[i]) != NULL) {
			if (*sep_at < 0 && *nd > 0)
				*sep_at = *nd;
		} else
			return 0;
	}
	d[*nd] = '\0';
	if (!*intl && *nd >= 4 && memcmp(d, "0086", 4) == 0) {
		memmove(d, d + 2, (*nd -= 2) + 1);
		*intl = 1;
	}
	if (*intl) {
		if (*nd < 2 || memcmp(d, "86", 2) != 0)
			return 0;
		memmove(d, d + 2, (*nd -= 2) + 1);
		*sep_at = -1;
	}
	return 1;
}

/* Chinese area codes are 0 + two digits when the first is 1 or 2
 * (010, 02x) and 0 + three digits otherwise. */
static int
landline(char d[24], size_t nd, int sep_at, const char **why)
{
	size_t area;

	if (nd < 3 || d[0] != '0') {
		*why = "not a phone number";
		return NORM_BAD;
	}
	area = d[1] == '1' || d[1] == '2' ? 3 : 4;
	if (nd < area + 7 || nd > area + 8) {
		*why = "landline number has the wrong length";
		return NORM_BAD;
	}
	if (sep_at >= 0 && (size_t)sep_at != area) {
		*why = "area code does not match its number";
		return NORM_BAD;
	}
	memmove(d + area + 1, d + area, nd - area + 1);
	d[area] = '-';
	return NORM_OK;
}

int
norm_phone(const char *s, size_t n, char *out, size_t outsz,
    const char **why)
{
	char buf[CELL_MAX], d[24];
	size_t len, nd;
	int r, sep_at, intl;

	if ((r = cell_fold(s, n, buf, &len, why)) != NORM_OK)
		return r;
	if (is_blank(buf, len))
		return NORM_EMPTY;
	if (!phone_digits(buf, len, d, &nd, &sep_at, &intl)) {
		*why = "not a phone number";
		return NORM_BAD;
	}
	if (nd == 11 && d[0] == '1') {
		if (d[1] < '3') {
			*why = "not a mobile number";
			return NORM_BAD;
		}
	} else if (!intl && nd >= 7 && nd <= 8 && d[0] > '1') {
		/* a local number without area code */
	} else {
		if (intl) {
			/* +86 drops the trunk 0 of the area code. */
			memmove(d + 1, d, ++nd);
			d[0] = '0';
		}
		if (landline(d, nd, sep_at, why) != NORM_OK)
			return NORM_BAD;
	}
	if (strlen(d) >= outsz) {
		*why = "phone number too long for buffer";
		return NORM_BAD;
	}
	memcpy(out, d, strlen(d) + 1);
	return NORM_OK;
}

/* ---- whole numbers ---- */

/* A unit word after a count (人, 次, 户) is a few Han characters. */
static int
is_unit_suffix(const char *s, size_t n)
{
	size_t i = 0, chars = 0;
	uint32_t cp;

	while (i < n) {
		i += txt_decode(s + i, n - i, &cp);
		if (!is_han(cp) || ++chars > 3)
			return 0;
	}
	return 1;
}

int
norm_int(const char *s, size_t n, long long *v, const char **why)
{
	char buf[CELL_MAX];
	struct scan sc;
	long long frac;
	size_t len, ndig;
	int r, neg;

	if ((r = cell_fold(s, n, buf, &len, why)) != NORM_OK)
		return r;
	if (is_blank(buf, len))
		return NORM_EMPTY;
	sc.p = buf;
	sc.end = buf + len;
	neg = sc_lit(&sc, "-");
	if (sc_grouped(&sc, v, &ndig, why) != NORM_OK)
		return NORM_BAD;
	if (ndig == 0) {
		*why = "not a number";
		return NORM_BAD;
	}
	/* Spreadsheets write 3 as 3.0; only zeros may follow the point. */
	if (sc_lit(&sc, ".") && (sc_digits(&sc, &frac) == 0 || frac != 0)) {
		*why = "not a whole number";
		return NORM_BAD;
	}
	sc_skip_space(&sc);
	if (!is_unit_suffix(sc.p, sc.end - sc.p)) {
		*why = "not a number";
		return NORM_BAD;
	}
	if (neg)
		*v = -*v;
	return NORM_OK;
}

/* ---- names ---- */

/* The middle dot of minority names (阿依古丽·买买提) is typed with
 * whatever dot the keyboard offers. */
static int
is_name_dot(uint32_t cp)
{
	switch (cp) {
	case 0x00B7: case 0x2022: case '.': case 0x30FB: case 0x2027:
	case 0xFF65: case 0x2219: case 0x22C5: case 0x0387: case 0x2E31:
		return 1;
	}
	return 0;
}

/* Whether the space run between code points a and b stays: only
 * between two words of Latin script, never next to Han or a dot. */
static int
space_kept(uint32_t a, uint32_t b)
{
	return a != 0 && b != 0 && !is_han(a) && !is_han(b) &&
	    a != 0xB7 && b != 0xB7;
}

/* Decoded, dot-unified code points of a trimmed name; 0 if a digit. */
static size_t
name_points(const char *buf, size_t len, uint32_t *cp, const char **why)
{
	size_t i = 0, k = 0;

	while (i < len) {
		i += txt_decode(buf + i, len - i, &cp[k]);
		if (cp[k] >= '0' && cp[k] <= '9') {
			*why = "name contains digits";
			return 0;
		}
		if (is_name_dot(cp[k]))
			cp[k] = 0xB7;
		k++;
	}
	return k;
}

static int
name_emit(uint32_t cp, char *out, size_t outsz, size_t *o, size_t *chars)
{
	if (*o + 4 >= outsz)
		return 0;
	*o += txt_encode(cp, out + *o);
	(*chars)++;
	return 1;
}

/* Whether s[0..n) is 1 to NAME_MAX_CHARS characters of U+4000..U+9FFF
 * (lead bytes E4..E9), as most names are: nothing in them to fold,
 * drop or refuse, so that they are their own normal form. */
static int
plain_han(const char *s, size_t n, size_t outsz)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	if (n == 0 || n % 3 != 0 || n / 3 > NAME_MAX_CHARS || n + 1 >= outsz)
		return 0;
	for (i = 0; i < n; i += 3)
		if (u[i] < 0xE4 || u[i] > 0xE9 || (u[i + 1] & 0xC0) != 0x80 ||
		    (u[i + 2] & 0xC0) != 0x80)
			return 0;
	return 1;
}

int
norm_name(const char *s, size_t n, char *out, size_t outsz,
    const char **why)
{
	char buf[CELL_MAX];
	uint32_t cp[CELL_MAX], prev = 0;
	size_t len, k, i, o = 0, chars = 0;
	int r;

	if (plain_han(s, n, outsz)) {
		memcpy(out, s, n);
		out[n] = '\0';
		return NORM_OK;
	}
	if ((r = cell_fold(s, n, buf, &len, why)) != NORM_OK)
		return r;
	if (is_blank(buf, len))
		return NORM_EMPTY;
	if ((k = name_points(buf, len, cp, why)) == 0)
		return NORM_BAD;
	if (cp[0] == 0xB7 || cp[k - 1] == 0xB7) {
		*why = "name begins or ends with a dot";
		return NORM_BAD;
	}
	for (i = 0; i < k; i++) {
		if (txt_is_space(cp[i])) {
			while (i + 1 < k && txt_is_space(cp[i + 1]))
				i++;
			if (!space_kept(prev, i + 1 < k ? cp[i + 1] : 0))
				continue;
			cp[i] = ' ';
		} else if (cp[i] == 0xB7 && prev == 0xB7)
			continue;
		if (!name_emit(cp[i], out, outsz, &o, &chars)) {
			*why = "name too long for buffer";
			return NORM_BAD;
		}
		prev = cp[i];
	}
	out[o] = '\0';
	if (chars > NAME_MAX_CHARS) {
		*why = "name longer than 30 characters";
		return NORM_BAD;
	}
	return NORM_OK;
}
