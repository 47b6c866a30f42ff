/*
 * link.c — exact, repaired and probabilistic record linkage (link.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "hanzi.h"
#include "idcard.h"
#include "link.h"
#include "strpool.h"
#include "text.h"

#define BLOCK_MAX 400		/* rows in a block before it is too common */
#define RANDOM_PAIRS 200000	/* pairs sampled to measure u */
#define EM_ROUNDS 30

struct lrow {
	char id[19];
	char sex;
	unsigned char unique;			/* its source's group, 0 none */
	uint32_t name, simp, pinyin, gpy;	/* names pool; gpy: pinyin
						 * of the given name */
	uint32_t given, family;			/* names pool, when apart */
	uint32_t phone, town, village, addr;	/* places pool */
	uint32_t postcode, card;		/* places pool */
	int32_t birth;				/* yyyymmdd, 0 unknown */
	char repair[19];			/* cleaned invalid 18-char ID */
};

struct linker {
	struct lrow *row;
	size_t n, cap;
	struct strpool *names, *places, *ids;
	uint32_t *parent;
	size_t *id_row;		/* per root: a row holding a valid ID, or -1 */
	uint64_t *uniq;		/* per root: the unique sources it holds */
	size_t *id_first;	/* per interned ID: its first row */
	unsigned char *how;
	size_t *link;		/* per row: index into pairs, or -1 */
	struct lk_pair *pairs, *reviews;
	size_t npairs, cappairs, nreviews, capreviews;
	double m[LK_NFIELDS][LK_LEVELS], u[LK_NFIELDS][LK_LEVELS], lambda;
	double w[LK_NFIELDS][LK_LEVELS];	/* log2(m/u) */
	double persons;		/* clusters once IDs have linked rows */
	unsigned used;		/* fields some candidate pair compares */
};

struct linker *lk_new(void)
{
	struct linker *lk = calloc(1, sizeof *lk);

	if (lk == NULL)
		return NULL;
	lk->names = sp_new();
	lk->places = sp_new();
	lk->ids = sp_new();
	if (!lk->names || !lk->places || !lk->ids) {
		lk_free(lk);
		return NULL;
	}
	return lk;
}

void lk_free(struct linker *lk)
{
	if (lk == NULL)
		return;
	sp_free(lk->names);
	sp_free(lk->places);
	sp_free(lk->ids);
	free(lk->row);
	free(lk->parent);
	free(lk->id_row);
	free(lk->uniq);
	free(lk->id_first);
	free(lk->how);
	free(lk->link);
	free(lk->pairs);
	free(lk->reviews);
	free(lk);
}

size_t lk_rows(const struct linker *lk)
{
	return lk->n;
}

static int32_t parse_ymd(const char *s)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	return atoi(s) * 10000 + atoi(s + 5) * 100 + atoi(s + 8);
}

static uint32_t intern(struct strpool *sp, const char *s, int count)
{
	return s && *s ? sp_intern(sp, s, strlen(s), count) : 0;
}

/* Names: the name itself, its simplified form, its pinyin, and the
 * pinyin of the given name (all but the first character). */
static void add_name(struct linker *lk, struct lrow *r, const char *name)
{
	char simp[256], py[512];
	size_t n, first;
	uint32_t cp;

	if (name == NULL || *name == '\0')
		return;
	n = strlen(name);
	r->name = sp_intern(lk->names, name, n, 0);
	if (hz_simplify(name, n, simp, sizeof simp) != (size_t)-1)
		r->simp = intern(lk->names, simp, 0);
	if (hz_pinyin(name, n, py, sizeof py) != (size_t)-1)
		r->pinyin = intern(lk->names, py, 0);
	first = txt_decode(name, n, &cp);
	if (first < n && hz_pinyin(name + first, n - first, py, sizeof py) !=
	    (size_t)-1)
		r->gpy = intern(lk->names, py, 0);
}

/* Name parts given apart: each is compared on its own, and the whole
 * name ("given family", or family then given in Han characters) serves
 * blocking and display when the source gives no whole name. */
static void add_parts(struct linker *lk, struct lrow *r,
    const struct lk_row_in *in)
{
	char whole[512];
	uint32_t cp = 0;

	r->given = intern(lk->names, in->given, 0);
	r->family = intern(lk->names, in->family, 0);
	if (r->name || (!r->given && !r->family))
		return;
	if (r->family)
		txt_decode(in->family, strlen(in->family), &cp);
	if (cp >= 0x2E80)
		snprintf(whole, sizeof whole, "%s%s", in->family,
		    in->given ? in->given : "");
	else
		snprintf(whole, sizeof whole, "%s%s%s", r->given ? in->given : "",
		    r->given && r->family ? " " : "", r->family ? in->family : "");
	add_name(lk, r, whole);
}

/* An ID that fails its check keeps digits worth using: the candidates of
 * a repair, and (when the date in it is real) the birth date. */
static void add_damaged_id(struct lrow *r, const char *raw)
{
	char clean[19];
	enum id_status st = id_normalize(raw, strlen(raw), NULL, clean);
	int32_t ymd;

	if (strlen(clean) != 18)
		return;
	if (st == ID_BAD_CHECK || st == ID_BAD_DATE || st == ID_FUTURE)
		memcpy(r->repair, clean, 19);
	if (r->birth == 0 && (st == ID_BAD_CHECK || st == ID_EXCEL_ZEROED)) {
		ymd = atoi((char[9]){ clean[6], clean[7], clean[8], clean[9],
		    clean[10], clean[11], clean[12], clean[13], 0 });
		if (ymd > 19000101 && ymd % 100 >= 1 && ymd % 100 <= 31 &&
		    ymd / 100 % 100 >= 1 && ymd / 100 % 100 <= 12)
			r->birth = ymd;
	}
}

size_t lk_add(struct linker *lk, const struct lk_row_in *in)
{
	struct lrow *r;

	if (lk->n == lk->cap) {
		size_t cap = lk->cap ? lk->cap * 2 : 4096;

		if ((r = realloc(lk->row, cap * sizeof *r)) == NULL)
			return (size_t)-1;
		lk->row = r;
		lk->cap = cap;
	}
	r = &lk->row[lk->n];
	memset(r, 0, sizeof *r);
	if (in->id && strlen(in->id) == 18)
		memcpy(r->id, in->id, 19);
	add_name(lk, r, in->name);
	r->birth = parse_ymd(in->birth);
	if (in->id_raw && *in->id_raw && !r->id[0])
		add_damaged_id(r, in->id_raw);
	r->sex = in->sex && (*in->sex == 'M' || *in->sex == 'F') ? *in->sex : 0;
	r->phone = intern(lk->places, in->phone, 0);
	r->town = intern(lk->places, in->town, 0);
	r->village = intern(lk->places, in->village, 0);
	r->addr = intern(lk->places, in->addr, 0);
	r->postcode = intern(lk->places, in->postcode, 0);
	r->card = intern(lk->places, in->card, 0);
	add_parts(lk, r, in);
	if (in->unique > 0 && in->unique <= LK_UNIQUE_MAX)
		r->unique = in->unique;
	return lk->n++;
}

int lk_field_used(const struct linker *lk, enum lk_field f)
{
	return lk->used >> f & 1;
}

static size_t find(struct linker *lk, size_t i)
{
	while (lk->parent[i] != i) {
		lk->parent[i] = lk->parent[lk->parent[i]];
		i = lk->parent[i];
	}
	return i;
}

/* Whether two clusters hold different valid IDs, or rows of one source
 * that lists each person once: never one person. */
static int conflict(struct linker *lk, size_t ra, size_t rb)
{
	size_t a = lk->id_row[ra], b = lk->id_row[rb];

	if (lk->uniq[ra] & lk->uniq[rb])
		return 1;
	return a != (size_t)-1 && b != (size_t)-1 &&
	    strcmp(lk->row[a].id, lk->row[b].id) != 0;
}

/* Join b's cluster into a's; the smaller row index stays the root so
 * that a person's key does not depend on the order of linking. */
static void join(struct linker *lk, size_t a, size_t b)
{
	size_t ra = find(lk, a), rb = find(lk, b), t;

	if (ra == rb)
		return;
	if (rb < ra)
		t = ra, ra = rb, rb = t;
	lk->parent[rb] = ra;
	lk->uniq[ra] |= lk->uniq[rb];
	if (lk->id_row[ra] == (size_t)-1)
		lk->id_row[ra] = lk->id_row[rb];
}

size_t lk_person(struct linker *lk, size_t row)
{
	return find(lk, row);
}

enum lk_how lk_how(const struct linker *lk, size_t row)
{
	return lk->how[row];
}

const struct lk_pair *lk_link_of(const struct linker *lk, size_t row)
{
	return lk->link[row] == (size_t)-1 ? NULL : &lk->pairs[lk->link[row]];
}

const struct lk_pair *lk_reviews(const struct linker *lk, size_t *n)
{
	*n = lk->nreviews;
	return lk->reviews;
}

static struct lk_pair *push_pair(struct lk_pair **v, size_t *n, size_t *cap)
{
	struct lk_pair *p;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;

		if ((p = realloc(*v, c * sizeof *p)) == NULL)
			return NULL;
		*v = p;
		*cap = c;
	}
	p = &(*v)[(*n)++];
	memset(p, 0, sizeof *p);
	return p;
}

/* Rows with the same valid ID are one person. */
static int link_exact(struct linker *lk)
{
	size_t i, *first;
	uint32_t k;

	first = lk->id_first = malloc((lk->n + 1) * sizeof *first);
	if (first == NULL)
		return -1;
	for (i = 0; i < lk->n; i++) {
		lk->parent[i] = i;
		lk->how[i] = LK_SELF;
		lk->link[i] = (size_t)-1;
		lk->id_row[i] = lk->row[i].id[0] ? i : (size_t)-1;
		lk->uniq[i] = lk->row[i].unique ?
		    (uint64_t)1 << (lk->row[i].unique - 1) : 0;
	}
	for (i = 0; i < lk->n; i++) {
		if (!lk->row[i].id[0])
			continue;
		k = sp_intern(lk->ids, lk->row[i].id, 18, 1);
		if (sp_count(lk->ids, k) == 1)
			first[k] = i;
		else {
			join(lk, first[k], i);
			lk->how[i] = LK_ID;
		}
	}
	return 0;
}

/* Levenshtein distance of two UTF-8 strings in code points, capped:
 * names are short, and only "0, 1, 2 or more" matters. */
static int edit_distance(const char *a, const char *b, int cap)
{
	uint32_t x[64], y[64];
	int nx = 0, ny = 0, i, j, d[65], prev, tmp, best;
	size_t la = strlen(a), lb = strlen(b), k;

	for (k = 0; k < la && nx < 64; nx++)
		k += txt_decode(a + k, la - k, &x[nx]);
	for (k = 0; k < lb && ny < 64; ny++)
		k += txt_decode(b + k, lb - k, &y[ny]);
	if (abs(nx - ny) > cap)
		return cap + 1;
	for (j = 0; j <= ny; j++)
		d[j] = j;
	for (i = 1; i <= nx; i++) {
		prev = d[0];
		d[0] = best = i;
		for (j = 1; j <= ny; j++) {
			tmp = d[j];
			d[j] = x[i - 1] == y[j - 1] ? prev :
			    1 + (prev < d[j] ? (prev < d[j - 1] ? prev : d[j - 1]) :
			    (d[j] < d[j - 1] ? d[j] : d[j - 1]));
			prev = tmp;
			if (d[j] < best)
				best = d[j];
		}
		if (best > cap)
			return cap + 1;
	}
	return d[ny];
}

static int cmp_name(const struct linker *lk, const struct lrow *a,
    const struct lrow *b)
{
	if (!a->name || !b->name)
		return 0;
	if (a->name == b->name)
		return 5;
	if (a->simp && a->simp == b->simp)
		return 4;
	if (a->pinyin && a->pinyin == b->pinyin)
		return 3;
	if (edit_distance(sp_str(lk->names, a->name),
	    sp_str(lk->names, b->name), 1) <= 1)
		return 2;
	return 1;
}

/* The code points of a UTF-8 string, at most max of them. */
static int decode(const char *s, uint32_t *cp, int max)
{
	size_t n = strlen(s), k;
	int i;

	for (i = 0, k = 0; k < n && i < max; i++)
		k += txt_decode(s + k, n - k, &cp[i]);
	return i;
}

/* Jaro–Winkler similarity from 0 to 1, the measure record linkage uses
 * for names and places typed by hand: it forgives a swap of neighbours
 * and rewards a shared beginning, where clerks err least. */
static double jaro_winkler(const char *sa, const char *sb)
{
	uint32_t a[64], b[64];
	unsigned char ua[64] = { 0 }, ub[64] = { 0 };
	int na = decode(sa, a, 64), nb = decode(sb, b, 64);
	int win = (na > nb ? na : nb) / 2 - 1, m = 0, t = 0, i, j, k;
	double jaro;

	if (win < 0)
		win = 0;
	for (i = 0; i < na; i++)
		for (j = i > win ? i - win : 0; j < nb && j <= i + win; j++)
			if (!ub[j] && a[i] == b[j]) {
				ua[i] = ub[j] = 1;
				m++;
				break;
			}
	if (m == 0)
		return 0;
	for (i = 0, k = 0; i < na; i++)
		if (ua[i]) {
			while (!ub[k])
				k++;
			t += a[i] != b[k++];
		}
	jaro = ((double)m / na + (double)m / nb + (m - t / 2.0) / m) / 3;
	for (k = 0; k < 4 && k < na && k < nb && a[k] == b[k]; k++)
		;
	return jaro + k * 0.1 * (1 - jaro);
}

/* Whether one substitution, insertion, deletion or swap of neighbours
 * turns a into b, which differ: the slips of a clerk copying a number. */
static int typo1(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	while (i < la && i < lb && a[i] == b[i])
		i++;
	if (la == lb)
		return strcmp(a + i + 1, b + i + 1) == 0 || (i + 1 < la &&
		    a[i] == b[i + 1] && a[i + 1] == b[i] &&
		    strcmp(a + i + 2, b + i + 2) == 0);
	if (la == lb + 1)
		return strcmp(a + i + 1, b + i) == 0;
	if (lb == la + 1)
		return strcmp(a + i, b + i + 1) == 0;
	return 0;
}

/* Dates agree exactly, by a day-month swap, or by one digit mistyped
 * or two neighbours swapped. */
static int cmp_birth(int32_t a, int32_t b)
{
	int x[8], y[8], i, d = 0, first = -1;

	if (!a || !b)
		return 0;
	if (a == b)
		return 3;
	if (a / 10000 == b / 10000 && a % 100 == b / 100 % 100 &&
	    a / 100 % 100 == b % 100)
		return 2;
	for (i = 0; i < 8; i++, a /= 10, b /= 10) {
		x[i] = a % 10, y[i] = b % 10;
		if (x[i] != y[i] && d++ == 0)
			first = i;
	}
	if (d == 1 || (d == 2 && first < 7 && x[first] == y[first + 1] &&
	    x[first + 1] == y[first]))
		return 2;
	return 1;
}

#define JW_CLOSE 0.94
#define JW_SIMILAR 0.88

/* Text typed by hand: exact 4, close 3, similar 2, differ 1. */
static int cmp_text(const struct strpool *sp, uint32_t a, uint32_t b)
{
	double jw;

	if (!a || !b)
		return 0;
	if (a == b)
		return 4;
	jw = jaro_winkler(sp_str(sp, a), sp_str(sp, b));
	return jw >= JW_CLOSE ? 3 : jw >= JW_SIMILAR ? 2 : 1;
}

/* Numbers and codes: exact 3, one typo 2, differ 1. */
static int cmp_code(const struct strpool *sp, uint32_t a, uint32_t b)
{
	if (!a || !b)
		return 0;
	if (a == b)
		return 3;
	return typo1(sp_str(sp, a), sp_str(sp, b)) ? 2 : 1;
}

/* Name parts one by one; or crossed, when that agrees better: a clerk
 * who filled the two columns the wrong way round.  Crossed, exact
 * counts as close. */
static void cmp_parts(const struct linker *lk, const struct lrow *a,
    const struct lrow *b, signed char *lv)
{
	int g = cmp_text(lk->names, a->given, b->given);
	int f = cmp_text(lk->names, a->family, b->family), sg, sf;

	if (g + f < 8 && a->given && a->family && b->given && b->family) {
		sg = cmp_text(lk->names, a->given, b->family);
		sf = cmp_text(lk->names, a->family, b->given);
		sg -= sg == 4, sf -= sf == 4;
		if (sg + sf > g + f)
			g = sg, f = sf;
	}
	lv[LK_GIVEN] = g;
	lv[LK_FAMILY] = f;
}

/* Town and village: village 4, town 3, a town spelt nearly alike 2,
 * differ 1. */
static int cmp_place(const struct linker *lk, const struct lrow *a,
    const struct lrow *b)
{
	if (!a->town || !b->town)
		return 0;
	if (a->town != b->town)
		return jaro_winkler(sp_str(lk->places, a->town),
		    sp_str(lk->places, b->town)) >= JW_CLOSE ? 2 : 1;
	return a->village && a->village == b->village ? 4 : 3;
}

static int cmp_same(uint32_t a, uint32_t b)
{
	return !a || !b ? 0 : a == b ? 2 : 1;
}

static int has_parts(const struct lrow *r)
{
	return r->given || r->family;
}

static void compare(const struct linker *lk, size_t i, size_t j,
    signed char *lv)
{
	const struct lrow *a = &lk->row[i], *b = &lk->row[j];

	/* parts when both rows have them, else the whole names */
	lv[LK_NAME] = lv[LK_GIVEN] = lv[LK_FAMILY] = 0;
	if (has_parts(a) && has_parts(b))
		cmp_parts(lk, a, b, lv);
	else
		lv[LK_NAME] = cmp_name(lk, a, b);
	lv[LK_BIRTH] = cmp_birth(a->birth, b->birth);
	lv[LK_SEX] = !a->sex || !b->sex ? 0 : a->sex == b->sex ? 2 : 1;
	lv[LK_PLACE] = cmp_place(lk, a, b);
	lv[LK_POSTCODE] = cmp_code(lk->places, a->postcode, b->postcode);
	lv[LK_PHONE] = cmp_same(a->phone, b->phone);
	lv[LK_ADDR] = cmp_text(lk->places, a->addr, b->addr);
	lv[LK_CARD] = cmp_code(lk->places, a->card, b->card);
}

static const char *const level_names[LK_NFIELDS][LK_LEVELS] = {
	[LK_NAME] = { "missing", "differ", "edit1", "pinyin", "variant", "exact" },
	[LK_GIVEN] = { "missing", "differ", "similar", "close", "exact" },
	[LK_FAMILY] = { "missing", "differ", "similar", "close", "exact" },
	[LK_BIRTH] = { "missing", "differ", "typo", "exact" },
	[LK_SEX] = { "missing", "differ", "same" },
	[LK_PLACE] = { "missing", "differ", "near", "town", "village" },
	[LK_POSTCODE] = { "missing", "differ", "typo", "exact" },
	[LK_PHONE] = { "missing", "differ", "same" },
	[LK_ADDR] = { "missing", "differ", "similar", "close", "exact" },
	[LK_CARD] = { "missing", "differ", "typo", "exact" },
};
static const int nlevels[LK_NFIELDS] = { 6, 5, 5, 4, 3, 5, 4, 3, 5, 4 };

const char *lk_field_name(enum lk_field f)
{
	static const char *const names[] = { "name", "given", "family",
	    "birth", "sex", "place", "postcode", "phone", "addr", "card" };

	return names[f];
}

const char *lk_level_name(enum lk_field f, int level)
{
	return level_names[f][level];
}

void lk_params(const struct linker *lk, enum lk_field f, int level,
    double *m, double *u)
{
	*m = lk->m[f][level];
	*u = lk->u[f][level];
}

/* Match weight of a comparison: log2(m/u) summed over the fields that
 * both rows have.  Agreement on a name is weighed by how common that
 * name is among the people (term frequency): two 王伟 agree less than
 * two 冉茂芬. */
static double weigh(const struct linker *lk, size_t i, const signed char *lv,
    float *w)
{
	const struct lrow *r = &lk->row[i];
	double total = 0, rows = lk->persons > 0 ? lk->persons : 1;
	uint32_t term;
	int f, l;

	for (f = 0; f < LK_NFIELDS; f++) {
		l = lv[f];
		term = 0;
		if (f == LK_NAME && (l == 5 || l == 4))
			term = r->name;
		else if (f == LK_NAME && l == 3)
			term = r->pinyin;
		else if (f == LK_GIVEN && l == 4)
			term = r->given;
		else if (f == LK_FAMILY && l == 4)
			term = r->family;
		w[f] = term ? log2(lk->m[f][l] / fmax(sp_count(lk->names, term) /
		    rows, 0.5 / rows)) : lk->w[f][l];
		total += w[f];
	}
	return total;
}

/* The weight of each level, once m and u are known; missing is 0. */
static void set_weights(struct linker *lk)
{
	int f, l;

	for (f = 0; f < LK_NFIELDS; f++)
		for (l = 1; l < nlevels[f]; l++)
			lk->w[f][l] = log2(lk->m[f][l] / lk->u[f][l]);
}

static double posterior(const struct linker *lk, double weight)
{
	double prior = log2(lk->lambda / (1 - lk->lambda));

	return 1 / (1 + exp2(-(weight + prior)));
}

static uint64_t next_random(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* u: how often each level occurs between random rows, which are almost
 * all about different people.  Laplace smoothing keeps every level
 * possible. */
static void measure_u(struct linker *lk)
{
	double count[LK_NFIELDS][LK_LEVELS] = { { 0 } }, sum;
	uint64_t seed = 20231;
	signed char lv[LK_NFIELDS];
	size_t k, i, j;
	int f, l;

	for (k = 0; lk->n > 1 && k < RANDOM_PAIRS; k++) {
		i = next_random(&seed) % lk->n;
		j = next_random(&seed) % lk->n;
		if (i == j)
			continue;
		compare(lk, i, j, lv);
		for (f = 0; f < LK_NFIELDS; f++)
			count[f][lv[f]]++;
	}
	for (f = 0; f < LK_NFIELDS; f++) {
		for (sum = 0, l = 1; l < nlevels[f]; l++)
			sum += count[f][l] + 1;
		for (l = 1; l < nlevels[f]; l++)
			lk->u[f][l] = (count[f][l] + 1) / sum;
	}
}

/* Starting m for EM, and its prior: what agreement looks like between
 * two rows about one person when clerks type them.  The prior keeps EM
 * from deciding that a field never differs for one person (phones
 * change, clerks mistype), which would make one difference fatal. */
static const double m0[LK_NFIELDS][LK_LEVELS] = {
	[LK_NAME] = { 0, .01, .04, .06, .04, .85 },
	[LK_GIVEN] = { 0, .04, .03, .05, .88 },
	[LK_FAMILY] = { 0, .04, .03, .05, .88 },
	[LK_BIRTH] = { 0, .005, .045, .95 },
	[LK_SEX] = { 0, .01, .99 },
	[LK_PLACE] = { 0, .02, .02, .16, .80 },
	[LK_POSTCODE] = { 0, .04, .06, .90 },
	[LK_PHONE] = { 0, .25, .75 },
	[LK_ADDR] = { 0, .25, .02, .03, .70 },
	[LK_CARD] = { 0, .02, .08, .90 },
};
#define PRIOR_PAIRS 1000.0

static void initial_m(struct linker *lk)
{
	memcpy(lk->m, m0, sizeof m0);
	lk->lambda = 0.1;
}

/* The comparison of a pair as one number, for counting patterns. */
static uint32_t pattern_of(const signed char *lv)
{
	uint32_t p = 0;
	int f;

	for (f = 0; f < LK_NFIELDS; f++)
		p = p * nlevels[f] + lv[f];
	return p;
}

static void levels_of(uint32_t p, signed char *lv)
{
	int f;

	for (f = LK_NFIELDS - 1; f >= 0; f--) {
		lv[f] = p % nlevels[f];
		p /= nlevels[f];
	}
}

static uint32_t npatterns(void)
{
	uint32_t n = 1;
	int f;

	for (f = 0; f < LK_NFIELDS; f++)
		n *= nlevels[f];
	return n;
}

/* EM cannot tell "the same person" from "the same household": both
 * agree on place and phone.  A different birth date, sex or name is what
 * separates them, so those levels keep at most these m. */
static void cap_m(struct linker *lk)
{
	static const struct { int f, l; double max; } caps[] = {
		{ LK_NAME, 1, 0.01 }, { LK_BIRTH, 1, 0.001 }, { LK_SEX, 1, 0.002 },
	};
	size_t i;
	int l;
	double sum;

	for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		double *m = lk->m[caps[i].f];

		if (m[caps[i].l] <= caps[i].max)
			continue;
		m[caps[i].l] = caps[i].max;
		for (sum = 0, l = 1; l < nlevels[caps[i].f]; l++)
			sum += m[l];
		for (l = 1; l < nlevels[caps[i].f]; l++)
			m[l] /= sum;
	}
}

struct pattern {
	uint32_t p, count;
};

/*
 * EM over the candidate pairs: each pair is a match with probability g
 * given its pattern; m is re-estimated from the pairs weighted by g, and
 * λ (the share of matches) from the mean of g.  u stays as measured.
 * Pairs are counted by pattern first, so each round costs little.
 */
static void estimate_m(struct linker *lk, const struct pattern *pat,
    size_t npat)
{
	double acc[LK_NFIELDS][LK_LEVELS], pm, pu, g, gsum, total, sum;
	signed char lv[LK_NFIELDS];
	size_t k;
	int round, f, l;

	for (round = 0; round < EM_ROUNDS; round++) {
		memset(acc, 0, sizeof acc);
		gsum = total = 0;
		for (k = 0; k < npat; k++) {
			levels_of(pat[k].p, lv);
			pm = lk->lambda, pu = 1 - lk->lambda;
			for (f = 0; f < LK_NFIELDS; f++)
				if (lv[f]) {
					pm *= lk->m[f][lv[f]];
					pu *= lk->u[f][lv[f]];
				}
			g = pm / (pm + pu) * pat[k].count;
			gsum += g;
			total += pat[k].count;
			for (f = 0; f < LK_NFIELDS; f++)
				acc[f][lv[f]] += g;
		}
		if (total == 0)
			return;
		lk->lambda = fmin(fmax(gsum / total, 1e-6), 0.5);
		for (f = 0; f < LK_NFIELDS; f++) {
			for (sum = 0, l = 1; l < nlevels[f]; l++)
				sum += acc[f][l] + PRIOR_PAIRS * m0[f][l];
			for (l = 1; l < nlevels[f]; l++)
				lk->m[f][l] = (acc[f][l] + PRIOR_PAIRS * m0[f][l]) / sum;
		}
	}
}

/* A row that fails its check digit: one substitution or one swap away
 * from the ID of a person whose name agrees is that person. */
static int link_repairs(struct linker *lk)
{
	char cand[64][19];
	size_t i, k, n, r, found, who = 0;
	uint32_t id;
	struct lk_pair *p;

	for (i = 0; i < lk->n; i++) {
		if (!lk->row[i].repair[0] || !lk->row[i].name)
			continue;
		n = id_repairs(lk->row[i].repair, NULL, cand, 64);
		for (found = 0, k = 0; k < n && k < 64; k++) {
			if ((id = sp_lookup(lk->ids, cand[k], 18)) == 0)
				continue;
			r = lk->id_first[id];
			if (hz_name_agree(sp_str(lk->names, lk->row[i].name),
			    sp_str(lk->names, lk->row[r].name)) < HZ_PINYIN)
				continue;
			if (found++ == 0)
				who = r;
		}
		if (found != 1)
			continue;	/* none, or ambiguous: leave to scoring */
		if ((p = push_pair(&lk->pairs, &lk->npairs, &lk->cappairs)) == NULL)
			return -1;
		p->a = i, p->b = who, p->how = LK_REPAIR, p->prob = 1;
		compare(lk, i, who, p->level);
		p->weight = weigh(lk, i, p->level, p->w);
		join(lk, who, i);
		lk->how[i] = LK_REPAIR;
		lk->link[i] = lk->npairs - 1;
	}
	return 0;
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

struct keyed {
	uint64_t key;
	uint32_t row;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key ? 1 :
	    (x->row > y->row) - (x->row < y->row);
}

static uint64_t key_of(char tag, uint32_t a, uint32_t b)
{
	uint32_t v[3] = { (uint32_t)tag, a, b };

	return XXH3_64bits(v, sizeof v);
}

/* Whether row i still looks for its person: no valid ID, no repair. */
static int seeker(const struct linker *lk, size_t i)
{
	return !lk->row[i].id[0] && lk->how[i] == LK_SELF;
}

/* Blocking: rows that share a key are compared, no others.  The keys
 * catch a typo in any one of name, birth date and place, and for rows
 * that carry them, in the name parts, the address or another number. */
#define ROW_KEYS 11

static struct keyed *block_keys(const struct linker *lk, size_t *nk)
{
	struct keyed *k = malloc((lk->n * ROW_KEYS + 1) * sizeof *k);
	size_t i, n = 0;
	const struct lrow *r;

	if (k == NULL)
		return NULL;
	for (i = 0; i < lk->n; i++) {
		r = &lk->row[i];
		if (r->pinyin && r->birth)
			k[n++] = (struct keyed){ key_of('n', r->pinyin, r->birth / 10000), i };
		if (r->phone)
			k[n++] = (struct keyed){ key_of('p', r->phone, 0), i };
		if (r->village && r->gpy)
			k[n++] = (struct keyed){ key_of('v', r->village, r->gpy), i };
		if (r->town && r->pinyin)
			k[n++] = (struct keyed){ key_of('t', r->town, r->pinyin), i };
		if (r->birth && r->name)
			k[n++] = (struct keyed){ key_of('b', r->birth, 0), i };
		/* a row with a name and nothing else: a rare name may do */
		if (r->pinyin)
			k[n++] = (struct keyed){ key_of('x', r->pinyin, 0), i };
		if (r->card)
			k[n++] = (struct keyed){ key_of('c', r->card, 0), i };
		if (r->addr && r->name)
			k[n++] = (struct keyed){ key_of('a', r->addr, 0), i };
		/* name parts in either order */
		if (r->given && r->family)
			k[n++] = (struct keyed){ key_of('s',
			    r->given < r->family ? r->given : r->family,
			    r->given < r->family ? r->family : r->given), i };
		if (r->postcode && r->name)
			k[n++] = (struct keyed){ key_of('o', r->postcode,
			    r->birth / 10000), i };
		if (r->postcode && r->family)
			k[n++] = (struct keyed){ key_of('f', r->postcode,
			    r->family), i };
	}
	qsort(k, n, sizeof *k, by_key);
	*nk = n;
	return k;
}

/* Candidate pairs (a << 32 | b, a < b) from blocks, each pair once. */
static uint64_t *candidates(struct linker *lk, size_t *ncand)
{
	size_t nk, s, e, i, j, n = 0, cap = 1024, u;
	struct keyed *k = block_keys(lk, &nk);
	uint64_t *c = malloc(cap * sizeof *c), *t;

	if (k == NULL || c == NULL)
		goto oom;
	for (s = 0; s < nk; s = e) {
		for (e = s + 1; e < nk && k[e].key == k[s].key; e++)
			;
		if (e - s > BLOCK_MAX)
			continue;	/* a key too common to tell people apart */
		for (i = s; i < e; i++)
			for (j = i + 1; j < e; j++) {
				if (!seeker(lk, k[i].row) && !seeker(lk, k[j].row))
					continue;
				/* a list of distinct people never names one twice */
				if (lk->row[k[i].row].unique &&
				    lk->row[k[i].row].unique == lk->row[k[j].row].unique)
					continue;
				if (n == cap) {
					if ((t = realloc(c, (cap *= 2) * sizeof *c)) == NULL)
						goto oom;
					c = t;
				}
				c[n++] = (uint64_t)k[i].row << 32 | k[j].row;
			}
	}
	free(k);
	qsort(c, n, sizeof *c, by_u64);
	for (u = 0, i = 0; i < n; i++)
		if (u == 0 || c[i] != c[u - 1])
			c[u++] = c[i];
	*ncand = u;
	return c;
oom:
	free(k);
	free(c);
	return NULL;
}

struct scored {
	uint32_t a, b, pattern;
	double weight;
};

static int by_weight(const void *x, const void *y)
{
	const struct scored *a = x, *b = y;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->a != b->a ? (a->a > b->a) - (a->a < b->a) :
	    (a->b > b->b) - (a->b < b->b);
}

static int keep_pair(struct linker *lk, const struct scored *s, double prob,
    int review)
{
	struct lk_pair *p = review ?
	    push_pair(&lk->reviews, &lk->nreviews, &lk->capreviews) :
	    push_pair(&lk->pairs, &lk->npairs, &lk->cappairs);

	if (p == NULL)
		return -1;
	/* the row that looked for its person is the one explained */
	if (seeker(lk, s->b))
		p->a = s->b, p->b = s->a;
	else
		p->a = s->a, p->b = s->b;
	p->how = LK_PROB;
	p->prob = prob;
	compare(lk, s->a, s->b, p->level);
	p->weight = weigh(lk, s->a, p->level, p->w);
	return 0;
}

/* Whether two whole names differ beyond a variant, a sound or one
 * character: then the rows are two people whatever else agrees, for a
 * birth date or a household's phone and address is shared by others;
 * such a pair is at most one to review. */
static int names_differ(uint32_t pattern)
{
	signed char lv[LK_NFIELDS];

	levels_of(pattern, lv);
	return lv[LK_NAME] == 1;
}

/* Best pairs first: each link made is the most certain one left, and a
 * pair whose clusters hold different IDs is refused. */
static int link_scored(struct linker *lk, struct scored *s, size_t n,
    double threshold, double review)
{
	size_t i, ra, rb, joined;
	double prob;

	qsort(s, n, sizeof *s, by_weight);
	for (i = 0; i < n; i++) {
		prob = posterior(lk, s[i].weight);
		if (prob < review)
			break;
		ra = find(lk, s[i].a), rb = find(lk, s[i].b);
		if (ra == rb || conflict(lk, ra, rb))
			continue;
		if (prob < threshold || names_differ(s[i].pattern)) {
			if (keep_pair(lk, &s[i], prob, 1) < 0)
				return -1;
			continue;
		}
		if (keep_pair(lk, &s[i], prob, 0) < 0)
			return -1;
		join(lk, s[i].a, s[i].b);
		joined = lk->pairs[lk->npairs - 1].a;
		lk->how[joined] = LK_PROB;
		lk->link[joined] = lk->npairs - 1;
	}
	return 0;
}

/* The patterns that occur, with their counts, for EM. */
static struct pattern *count_patterns(const struct scored *s, size_t n,
    size_t *npat)
{
	uint32_t *count = calloc(npatterns(), sizeof *count), p;
	struct pattern *pat = NULL;
	size_t i, k = 0;

	if (count == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		k += count[s[i].pattern]++ == 0;
	if ((pat = malloc((k + 1) * sizeof *pat)) != NULL)
		for (k = 0, p = 0; p < npatterns(); p++)
			if (count[p])
				pat[k++] = (struct pattern){ p, count[p] };
	free(count);
	*npat = k;
	return pat;
}

struct claim {
	uint32_t row, person;	/* a row without ID, a person it may be */
	double odds;		/* the best of its pairs with that person */
};

static int by_claim(const void *x, const void *y)
{
	const struct claim *a = x, *b = y;

	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->person != b->person)
		return a->person < b->person ? -1 : 1;
	return (a->odds < b->odds) - (a->odds > b->odds);
}

/* Each row without ID against each person known by ID it may be, once,
 * by its best pair: a person with forty bills is one person to be. */
static struct claim *claims(struct linker *lk, const struct scored *s,
    size_t n, size_t *nc)
{
	struct claim *c = malloc((2 * n + 1) * sizeof *c);
	size_t i, k = 0, u = 0, ra, rb;
	double odds;

	if (c == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		ra = find(lk, s[i].a), rb = find(lk, s[i].b);
		odds = exp2(s[i].weight + log2(lk->lambda / (1 - lk->lambda)));
		if (seeker(lk, s[i].a) && lk->id_row[rb] != (size_t)-1)
			c[k++] = (struct claim){ s[i].a, rb, odds };
		if (seeker(lk, s[i].b) && lk->id_row[ra] != (size_t)-1)
			c[k++] = (struct claim){ s[i].b, ra, odds };
	}
	qsort(c, k, sizeof *c, by_claim);
	for (i = 0; i < k; i++)
		if (u == 0 || c[i].row != c[u - 1].row ||
		    c[i].person != c[u - 1].person)
			c[u++] = c[i];
	*nc = u;
	return c;
}

/* The odds of row's best pair with person, when person is a rival. */
static double claim_odds(const struct claim *c, size_t nc, size_t row,
    size_t person)
{
	struct claim key = { row, person, INFINITY };
	const struct claim *hit;
	size_t lo = 0, hi = nc, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (by_claim(&c[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	hit = lo < nc ? &c[lo] : NULL;
	return hit && hit->row == row && hit->person == person ? hit->odds : 0;
}

/*
 * A row is about one person at most.  When several people known by
 * different IDs fit it (a 周艳 in the school list, another in the
 * hospital's), each is only as likely as it is against the others: the
 * odds of a pair are shared with every other person known by ID that
 * either row may be, and the pair's weight becomes that probability's.
 * Rows without ID are no rivals, for they may be the same person.
 */
static int share_odds(struct linker *lk, struct scored *s, size_t n)
{
	size_t nc = 0, i, k, a, b, ra, rb;
	struct claim *c = claims(lk, s, n, &nc);
	double *all = calloc(lk->n + 1, sizeof *all), prior, odds, rivals;

	if (c == NULL || all == NULL) {
		free(c);
		free(all);
		return -1;
	}
	for (k = 0; k < nc; k++)
		all[c[k].row] += c[k].odds;
	prior = log2(lk->lambda / (1 - lk->lambda));
	for (i = 0; i < n; i++) {
		a = s[i].a, b = s[i].b;
		ra = find(lk, a), rb = find(lk, b);
		odds = exp2(s[i].weight + prior);
		rivals = all[a] - claim_odds(c, nc, a, rb) +
		    all[b] - claim_odds(c, nc, b, ra);
		if (rivals > 0)
			s[i].weight = log2(odds / (1 + rivals)) - prior;
	}
	free(c);
	free(all);
	return 0;
}

static int link_probable(struct linker *lk, double threshold, double review)
{
	size_t ncand = 0, npat = 0, i;
	uint64_t *cand = candidates(lk, &ncand);
	struct scored *s = malloc((ncand + 1) * sizeof *s);
	struct pattern *pat = NULL;
	signed char lv[LK_NFIELDS];
	float w[LK_NFIELDS];
	int rc = -1, f;

	if (cand == NULL || s == NULL)
		goto done;
	for (i = 0; i < ncand; i++) {
		s[i].a = cand[i] >> 32;
		s[i].b = cand[i] & 0xFFFFFFFF;
		compare(lk, s[i].a, s[i].b, lv);
		s[i].pattern = pattern_of(lv);
	}
	free(cand);
	cand = NULL;
	if ((pat = count_patterns(s, ncand, &npat)) == NULL)
		goto done;
	for (i = 0; i < npat; i++) {
		levels_of(pat[i].p, lv);
		for (f = 0; f < LK_NFIELDS; f++)
			lk->used |= (lv[f] != 0) << f;
	}
	estimate_m(lk, pat, npat);
	cap_m(lk);
	set_weights(lk);
	for (i = 0; i < ncand; i++) {
		levels_of(s[i].pattern, lv);
		s[i].weight = weigh(lk, s[i].a, lv, w);
	}
	if (share_odds(lk, s, ncand) < 0)
		goto done;
	rc = link_scored(lk, s, ncand, threshold, review);
done:
	free(cand);
	free(pat);
	free(s);
	return rc;
}

/* What one row of a person leaves out, another may say: each row takes
 * the person's first known phone, place, address, birth date and sex, so
 * that a hotline call can meet the person where any source placed them. */
static void complete_identity(struct linker *lk)
{
	struct lrow *full = calloc(lk->n + 1, sizeof *full), *f, *r;
	size_t i;

	if (full == NULL)
		return;
	for (i = 0; i < lk->n; i++) {
		r = &lk->row[i];
		f = &full[find(lk, i)];
		if (!f->phone)
			f->phone = r->phone;
		if (!f->town)
			f->town = r->town, f->village = r->village;
		if (!f->addr)
			f->addr = r->addr;
		if (!f->birth)
			f->birth = r->birth;
		if (!f->sex)
			f->sex = r->sex;
	}
	for (i = 0; i < lk->n; i++) {
		r = &lk->row[i];
		f = &full[find(lk, i)];
		if (!r->phone)
			r->phone = f->phone;
		if (!r->town)
			r->town = f->town, r->village = f->village;
		if (!r->addr)
			r->addr = f->addr;
		if (!r->birth)
			r->birth = f->birth;
		if (!r->sex)
			r->sex = f->sex;
	}
	free(full);
}

/* Term frequencies count people, not rows: a person with forty
 * hospital bills does not make a name common.  Each (person, name),
 * (person, pinyin) and (person, name part) counts once. */
static void count_names(struct linker *lk)
{
	uint64_t *k = malloc((4 * lk->n + 1) * sizeof *k), p;
	size_t i, n = 0;
	const struct lrow *r;
	const char *s;

	if (k == NULL)
		return;
	for (i = 0; i < lk->n; i++) {
		r = &lk->row[i];
		p = find(lk, i);
		lk->persons += p == i;
		if (r->name)
			k[n++] = p << 32 | r->name;
		if (r->pinyin && r->pinyin != r->name)
			k[n++] = p << 32 | r->pinyin;
		if (r->given)
			k[n++] = p << 32 | r->given;
		if (r->family && r->family != r->given)
			k[n++] = p << 32 | r->family;
	}
	qsort(k, n, sizeof *k, by_u64);
	for (i = 0; i < n; i++)
		if (i == 0 || k[i] != k[i - 1]) {
			s = sp_str(lk->names, k[i] & 0xFFFFFFFF);
			sp_intern(lk->names, s, strlen(s), 1);
		}
	free(k);
}

int lk_run(struct linker *lk, double threshold, double review)
{
	size_t n = lk->n + 1, i;

	lk->parent = malloc(n * sizeof *lk->parent);
	lk->id_row = malloc(n * sizeof *lk->id_row);
	lk->uniq = malloc(n * sizeof *lk->uniq);
	lk->how = malloc(n);
	lk->link = malloc(n * sizeof *lk->link);
	if (!lk->parent || !lk->id_row || !lk->uniq || !lk->how || !lk->link)
		return -1;
	if (link_exact(lk) < 0 || link_repairs(lk) < 0)
		return -1;
	complete_identity(lk);
	count_names(lk);
	measure_u(lk);
	initial_m(lk);
	if (link_probable(lk, threshold, review) < 0)
		return -1;
	/* repairs were explained before m was known */
	for (i = 0; i < lk->npairs; i++)
		if (lk->pairs[i].how == LK_REPAIR)
			lk->pairs[i].weight = weigh(lk, lk->pairs[i].a,
			    lk->pairs[i].level, lk->pairs[i].w);
	return 0;
}
