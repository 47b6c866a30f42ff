/*
 * mask.c — masking people's details for published lists (see mask.h).
 */
#include <stdio.h>
#include <string.h>

#include "mask.h"
#include "text.h"

/* Copy keep bytes of s, stars for the middle, the last tail bytes. */
static size_t keep_ends(const char *s, size_t n, size_t head, size_t tail,
    char *out, size_t len)
{
	size_t i, k = 0;

	if (len == 0)
		return 0;
	for (i = 0; i < n && k + 1 < len; i++)
		out[k++] = i < head || i >= n - tail ? s[i] : '*';
	out[k] = '\0';
	return k;
}

size_t mask_id(const char *id, char *out, size_t len)
{
	size_t n = strlen(id);

	/* too short to be an ID: nothing of it may show */
	if (n < 11)
		return keep_ends(id, n, 0, 0, out, len);
	return keep_ends(id, n, 6, 4, out, len);
}

size_t mask_phone(const char *phone, char *out, size_t len)
{
	size_t n = strlen(phone), k;
	const char *dash = strchr(phone, '-');

	if (n == 11 && phone[0] == '1')
		return keep_ends(phone, n, 3, 4, out, len);
	/* a landline keeps its area code, which only says the county */
	if (dash != NULL && (size_t)(dash - phone) < 6 && n - (dash - phone) > 5) {
		k = dash - phone + 1;
		return keep_ends(phone, n, k, 4, out, len);
	}
	return keep_ends(phone, n, 0, n > 6 ? 4 : 0, out, len);
}

size_t mask_name(const char *name, char *out, size_t len)
{
	size_t n = strlen(name), i, first = 0, last = n, chars = 0, k, step;
	uint32_t cp;

	for (i = 0; i < n; i += step) {
		step = txt_decode(name + i, n - i, &cp);
		if (chars++ == 0)
			first = step;
		last = i;
	}
	if (len < first + (chars > 1 ? chars - 2 : 0) + (n - last) + 2) {
		if (len > 0)
			out[0] = '\0';
		return 0;
	}
	if (chars <= 1) {
		memcpy(out, "*", 2);
		return 1;
	}
	memcpy(out, name, first);
	k = first;
	/* a two-character name shows its surname only: 张* */
	for (i = 0; i < (chars == 2 ? 1 : chars - 2); i++)
		out[k++] = '*';
	if (chars > 2) {
		memcpy(out + k, name + last, n - last);
		k += n - last;
	}
	out[k] = '\0';
	return k;
}

static int starts(const char *s, const char *w)
{
	return strncmp(s, w, strlen(w)) == 0;
}

/* The length of the longest of words[0..n) at s, or 0. */
static size_t match_any(const char *s, const char *const *words, size_t n,
    size_t *which)
{
	size_t i, best = 0, l;

	for (i = 0; i < n; i++) {
		l = strlen(words[i]);
		if (l > best && strncmp(s, words[i], l) == 0) {
			best = l;
			*which = i;
		}
	}
	return best;
}

static const char *const grades[] = { "一级", "二级", "三级", "四级",
    "1级", "2级", "3级", "4级" };
static const char *const kinds[] = { "视力", "听力", "言语", "肢体",
    "智力", "精神", "多重" };
#define NGRADES (sizeof grades / sizeof grades[0])
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* "一级肢体残疾", "二级残疾", "精神残疾" at s: the length, or 0. */
static size_t disability_at(const char *s)
{
	size_t g = 0, k = 0, i;

	for (i = 0; i < NGRADES && g == 0; i++)
		if (starts(s, grades[i]))
			g = strlen(grades[i]);
	for (i = 0; i < NKINDS && k == 0; i++)
		if (starts(s + g, kinds[i]))
			k = strlen(kinds[i]);
	if ((g || k) && starts(s + g + k, "残疾"))
		return g + k;
	return 0;
}

/* A run of 7 or more digits (an ID may end in X): its length, or 0. */
static size_t digits_at(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (n == 17 && (s[n] == 'X' || s[n] == 'x'))
		n++;
	return n >= 7 ? n : 0;
}

/* The bytes at which something mask_text looks for may begin: the
 * first byte of a name, a word to drop, 疾病, a disability word, or a
 * digit.  Text between them is copied as it is, in one piece. */
static void first_bytes(unsigned char may[256], const char *const *names,
    size_t n, const char *const *drop, size_t ndrop)
{
	size_t i;

	memset(may, 0, 256);
	for (i = 0; i < n; i++)
		may[(unsigned char)names[i][0]] = 1;
	for (i = 0; i < ndrop; i++)
		may[(unsigned char)drop[i][0]] = 1;
	for (i = 0; i < NGRADES; i++)
		may[(unsigned char)grades[i][0]] = 1;
	for (i = 0; i < NKINDS; i++)
		may[(unsigned char)kinds[i][0]] = 1;
	may[(unsigned char)"疾病（"[0]] = 1;
	memset(may + '0', 1, 10);
	may[0] = 0;
}

/* The "）" that closes the "（" just before s, brackets inside a
 * diagnosis (恶性肿瘤（肺）) counted; NULL if there is none. */
static const char *closing(const char *s)
{
	const char *open, *close;
	int depth = 1;

	while ((close = strstr(s, "）")) != NULL) {
		for (open = strstr(s, "（"); open && open < close;
		    open = strstr(open + strlen("（"), "（"))
			depth++;
		if (--depth == 0)
			return close;
		s = close + strlen("）");
	}
	return NULL;
}

int mask_text(const char *s, const char *const *names, size_t n,
    const char *const *drop, size_t ndrop, struct buf *out)
{
	char m[MASK_MAX], run[64];
	unsigned char may[256];
	size_t l, which = 0, i = 0, len = strlen(s);
	const char *close;
	int rc = 0;

	first_bytes(may, names, n, drop, ndrop);
	while (i < len && rc == 0) {
		for (l = 0; i + l < len && !may[(unsigned char)s[i + l]]; l++)
			;
		if (l > 0) {
			rc = buf_add(out, s + i, l);
		} else if ((l = match_any(s + i, names, n, &which)) > 0) {
			mask_name(names[which], m, sizeof m);
			rc = buf_adds(out, m);
		} else if ((l = match_any(s + i, drop, ndrop, &which)) > 0) {
			rc = buf_adds(out, "××");
		} else if (starts(s + i, "疾病（") &&
		    (close = closing(s + i + strlen("疾病（"))) != NULL) {
			/* the diagnoses the rule listed */
			rc = buf_adds(out, "疾病");
			l = close + strlen("）") - (s + i);
		} else if ((l = disability_at(s + i)) > 0) {
			/* "残疾" itself stays: the officer needs the word */
		} else if ((i == 0 || s[i - 1] < '0' || s[i - 1] > '9') &&
		    (l = digits_at(s + i)) > 0) {
			snprintf(run, sizeof run, "%.*s", (int)(l < 63 ? l : 63),
			    s + i);
			if (l == 18 || l == 15)
				mask_id(run, m, sizeof m);
			else
				mask_phone(run, m, sizeof m);
			rc = buf_adds(out, m);
		} else {
			l = 1;
			rc = buf_addc(out, s[i]);
		}
		i += l;
	}
	return rc;
}
