/*
 * rowconv.c — one CSV row to one JSON record (see rowconv.h).
 */
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "idcard.h"
#include "norm.h"
#include "rowconv.h"
#include "text.h"

/* What a column writes before its value, worked out once. */
struct key {
	size_t off, len;	/* "key": in conv.keys */
	size_t goff, glen;	/* ,"group":{ in conv.keys, when in a group */
	long group;		/* first column of its group, or -1 */
	int extra;		/* "extra.area": goes into "extra" */
};

/* An enumeration word met before, and its dictionary entry. */
#define MEMO_WORDS 8
struct memo {
	size_t len;
	char word[48];
	const char *code;
};

struct conv {
	const struct profile *p;
	const char *src_file;
	struct buf head;	/* {"src":…,"src_file":…,"src_line": */
	struct buf keys;
	struct key *key;	/* per profile column */
	char as_of[11];
	size_t ncells;
	int *colmap;		/* cell → profile column or -1 */
	int *cellof;		/* profile column → cell or -1 */
	size_t *order;		/* profile columns in print order */
	char **extra_name;	/* header of each unclaimed cell, or NULL */
	struct buf val;		/* JSON fragments of the current row */
	size_t *voff, *vlen;	/* per profile column; vlen 0 = absent */
	struct buf warn;	/* JSON warn entries of the current row */
	int nwarn;
	char id[19], sex, birth[11];
	long datecol;		/* the column of the row's own date, or -1 */
	struct memo *memo;	/* MEMO_WORDS per profile column */
};

/* The date that says when a source's row happened: what --since reads.
 * A profile has at most one of them; the first one found wins.  The
 * roster's 纳入日期 is not one: an old enrolment is still this month's
 * register. */
static const char *const event_dates[] = { "med.last", "emp.since",
    "app.last", "hot.last", "vis.last", "dst.date", "death.date", NULL };

static long find_datecol(const struct profile *p)
{
	size_t i;
	int j;

	for (i = 0; i < p->ncols; i++)
		for (j = 0; event_dates[j]; j++)
			if (p->cols[i].type == VT_DATE &&
			    strcmp(p->cols[i].field, event_dates[j]) == 0)
				return (long)i;
	return -1;
}

/* Print order: dictionary fields in dictionary order, then the others
 * sorted by key, so that fields of one group stay together. */
static const struct profile *sort_profile;

static long rank(size_t col)
{
	const struct prof_col *c = &sort_profile->cols[col];
	size_t n;
	const struct dict_field *all = dict_fields(&n);

	return c->df ? c->df - all : (long)n;
}

static int by_rank(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long rx = rank(x), ry = rank(y);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(sort_profile->cols[x].field, sort_profile->cols[y].field);
}

/* "extra.area": written with the cells no column claims, in one object. */
static int is_extra(const struct prof_col *c)
{
	return strncmp(c->field, "extra.", 6) == 0;
}

/* The JSON text every record repeats: its start, and each column's key
 * and group, so that a row costs no quoting of names. */
static int prepare_keys(struct conv *cv)
{
	const struct profile *p = cv->p;
	const char *dot, *key;
	struct key *k;
	size_t i, j, glen;
	int r = 0;

	r |= buf_adds(&cv->head, "{\"src\":");
	r |= buf_json_utf8(&cv->head, p->source, strlen(p->source));
	r |= buf_adds(&cv->head, ",\"src_file\":");
	r |= buf_json_utf8(&cv->head, cv->src_file, strlen(cv->src_file));
	r |= buf_adds(&cv->head, ",\"src_line\":");
	for (i = 0; i < p->ncols; i++) {
		k = &cv->key[i];
		k->extra = is_extra(&p->cols[i]);
		dot = k->extra ? NULL : strchr(p->cols[i].field, '.');
		key = k->extra ? p->cols[i].field + 6 :
		    dot ? dot + 1 : p->cols[i].field;
		k->off = cv->keys.len;
		r |= buf_json_utf8(&cv->keys, key, strlen(key));
		r |= buf_addc(&cv->keys, ':');
		k->len = cv->keys.len - k->off;
		k->group = -1;
		if (dot == NULL)
			continue;
		glen = dot - p->cols[i].field;
		for (j = 0; k->group < 0; j++)
			if (!is_extra(&p->cols[j]) &&
			    strncmp(p->cols[j].field, p->cols[i].field, glen + 1)
			    == 0)
				k->group = j;
		k->goff = cv->keys.len;
		r |= buf_addc(&cv->keys, ',');
		r |= buf_json_utf8(&cv->keys, p->cols[i].field, glen);
		r |= buf_adds(&cv->keys, ":{");
		k->glen = cv->keys.len - k->goff;
	}
	return r;
}

struct conv *conv_new(const struct profile *p, const struct csv_row *header,
    const int *colmap, const char *src_file, const char *as_of)
{
	struct conv *cv = calloc(1, sizeof *cv);
	size_t i;

	if (cv == NULL)
		return NULL;
	cv->p = p;
	cv->src_file = src_file;
	if (as_of)
		snprintf(cv->as_of, sizeof cv->as_of, "%s", as_of);
	else
		date_today(cv->as_of);
	cv->ncells = header->n;
	cv->colmap = calloc(header->n, sizeof *cv->colmap);
	cv->extra_name = calloc(header->n, sizeof *cv->extra_name);
	cv->cellof = calloc(p->ncols + 1, sizeof *cv->cellof);
	cv->order = calloc(p->ncols + 1, sizeof *cv->order);
	cv->voff = calloc(p->ncols + 1, sizeof *cv->voff);
	cv->vlen = calloc(p->ncols + 1, sizeof *cv->vlen);
	cv->key = calloc(p->ncols + 1, sizeof *cv->key);
	cv->memo = calloc((p->ncols + 1) * MEMO_WORDS, sizeof *cv->memo);
	if (!cv->colmap || !cv->extra_name || !cv->cellof || !cv->order ||
	    !cv->voff || !cv->vlen || !cv->key || !cv->memo ||
	    prepare_keys(cv) < 0) {
		conv_free(cv);
		return NULL;
	}
	for (i = 0; i < p->ncols; i++) {
		cv->cellof[i] = -1;
		cv->order[i] = i;
	}
	for (i = 0; i < header->n; i++) {
		cv->colmap[i] = colmap[i];
		if (colmap[i] >= 0)
			cv->cellof[colmap[i]] = i;
		else if (header->len[i] > 0)
			cv->extra_name[i] = strdup(header->cell[i]);
	}
	sort_profile = p;
	qsort(cv->order, p->ncols, sizeof *cv->order, by_rank);
	cv->datecol = find_datecol(p);
	return cv;
}

void conv_free(struct conv *cv)
{
	size_t i;

	if (cv == NULL)
		return;
	for (i = 0; cv->extra_name && i < cv->ncells; i++)
		free(cv->extra_name[i]);
	free(cv->extra_name);
	free(cv->colmap);
	free(cv->cellof);
	free(cv->order);
	free(cv->voff);
	free(cv->vlen);
	free(cv->key);
	free(cv->memo);
	buf_free(&cv->head);
	buf_free(&cv->keys);
	buf_free(&cv->val);
	buf_free(&cv->warn);
	free(cv);
}

const char *conv_id(const struct conv *cv)
{
	return cv->id;
}

int conv_date(const struct conv *cv, char out[11])
{
	const char *v;

	/* a date converts to "YYYY-MM-DD", quotes included */
	if (cv->datecol < 0 || cv->vlen[cv->datecol] != 12)
		return 0;
	v = cv->val.data + cv->voff[cv->datecol];
	memcpy(out, v + 1, 10);
	out[10] = '\0';
	return 1;
}

static int is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The length of the space that s[0..n) starts or ends with: ASCII (1),
 * NBSP (2: C2 A0) or U+3000 (3: E3 80 80), what txt_is_space knows, or
 * 0.  Bytes are compared, not code points decoded: both ends of every
 * cell are looked at.
 */
static size_t space_at(const char *s, size_t n)
{
	if (is_ascii_space(s[0]))
		return 1;
	if (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
		return 2;
	return n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

static size_t space_ending(const char *s, size_t n)
{
	if (is_ascii_space(s[n - 1]))
		return 1;
	if (n >= 2 && memcmp(s + n - 2, "\xC2\xA0", 2) == 0)
		return 2;
	return n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

/* s[0..*n) without space of any width at either end. */
static const char *trim(const char *s, size_t *n)
{
	unsigned char first, last;
	size_t k;

	if (*n == 0)
		return s;
	/* most cells: no byte a space could start or end with */
	first = s[0], last = s[*n - 1];
	if (first > ' ' && first != 0xC2 && first != 0xE3 && last > ' ' &&
	    last != 0xA0 && last != 0x80)
		return s;
	while (*n > 0 && (k = space_at(s, *n)) > 0)
		s += k, *n -= k;
	while (*n > 0 && (k = space_ending(s, *n)) > 0)
		*n -= k;
	return s;
}

static void add_warn(struct conv *cv, const char *code, const char *field,
    const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof msg, fmt, a, b ? b : "");
	buf_adds(&cv->warn, cv->nwarn++ ? ",{\"code\":" : "{\"code\":");
	buf_json_utf8(&cv->warn, code, strlen(code));
	buf_adds(&cv->warn, ",\"field\":");
	buf_json_utf8(&cv->warn, field, strlen(field));
	buf_adds(&cv->warn, ",\"msg\":");
	buf_json_utf8(&cv->warn, msg, strlen(msg));
	buf_addc(&cv->warn, '}');
}

/* The dictionary entry of an enumeration word, or NULL.  A column
 * holds a handful of words: each is looked up once and remembered. */
static const char *code_of(struct conv *cv, const struct prof_col *c,
    const char *s, size_t n)
{
	struct memo *m = cv->memo + (c - cv->p->cols) * MEMO_WORDS;
	char fold[256];
	size_t fl;
	const char *e;
	int i;

	for (i = 0; i < MEMO_WORDS && m[i].code; i++)
		if (m[i].len == n && memcmp(m[i].word, s, n) == 0)
			return m[i].code;
	/* most words are written as the dictionary has them */
	if ((e = dict_code(c->df, s, n)) == NULL &&
	    (fl = txt_fold_trim(s, n, fold, sizeof fold)) != (size_t)-1)
		e = dict_code(c->df, fold, fl);
	if (e && i < MEMO_WORDS && n <= sizeof m[i].word) {
		memcpy(m[i].word, s, n);
		m[i].len = n;
		m[i].code = e;
	}
	return e;
}

/* The code of an enumeration word, or the word itself with a warning. */
static void put_code(struct conv *cv, const struct prof_col *c,
    const char *s, size_t n)
{
	const char *e = NULL;

	/* most sets (diagnoses) have no codes */
	if (c->df && c->df->codes)
		e = code_of(cv, c, s, n);
	if (e) {
		buf_json_utf8(&cv->val, e, strchr(e, '=') - e);
		return;
	}
	if (c->df && c->df->codes) {
		char word[256];

		snprintf(word, sizeof word, "%.*s", (int)n, s);
		add_warn(cv, "enum", c->field, "unknown value '%s' for %s",
		    word, c->df->label_zh);
	}
	buf_json_utf8(&cv->val, s, n);
}

/* Length of the list separator at s[0..n), or 0: 、 , ， ; ； / ／ and
 * spaces of both widths. */
static size_t sep_len(const char *s, size_t n)
{
	static const char *const wide[] = { "、", "，", "；", "／", "　",
	    NULL };
	int j;

	if (*s == ',' || *s == ';' || *s == '/' || *s == ' ')
		return 1;
	/* the wide ones all take 3 bytes and start with E3 or EF */
	if (n < 3 || (*s != '\xE3' && *s != '\xEF'))
		return 0;
	for (j = 0; wide[j]; j++)
		if (memcmp(s, wide[j], 3) == 0)
			return 3;
	return 0;
}

/* Cells that list several values: 因病、因残 / 因病,因残 / 因病；因残. */
static size_t put_set(struct conv *cv, const struct prof_col *c,
    const char *s, size_t n)
{
	size_t i = 0, start = 0, k, items = 0;

	buf_addc(&cv->val, '[');
	while (i <= n) {
		k = i < n ? sep_len(s + i, n - i) : 0;
		if (i == n || k) {
			size_t len = i - start;
			const char *w = trim(s + start, &len);

			if (len > 0) {
				if (items++)
					buf_addc(&cv->val, ',');
				put_code(cv, c, w, len);
			}
			start = i + (k ? k : 1);
			i += k ? k : 1;
		} else
			i++;
	}
	buf_addc(&cv->val, ']');
	return items;
}

static int grade_of(const char *s, size_t n)
{
	static const char *const cn[] = { "一", "二", "三", "四" };
	char fold[64];
	size_t fl = txt_fold_trim(s, n, fold, sizeof fold);
	int g;

	if (fl == (size_t)-1 || fl == 0)
		return 0;
	for (g = 1; g <= 4; g++)
		if (strncmp(fold, cn[g - 1], 3) == 0 ||
		    (fold[0] == '0' + g && (fl == 1 || fold[1] != '0')))
			break;
	if (g > 4)
		return 0;
	/* 一 / 一级 / 1 / 1级 / 1 级; nothing else after the digit */
	{
		const char *rest = fold + (fold[0] == '0' + g ? 1 : 3);

		if (*rest == '\0' || strcmp(rest, "级") == 0)
			return g;
	}
	return 0;
}

/* Placeholders departments write for "nothing": -, /, —, 无. */
static int is_dash(const char *s, size_t n)
{
	switch (n) {
	case 1:
		return *s == '-' || *s == '/';
	case 2:
		return s[0] == '-' && s[1] == '-';
	case 3:
		return memcmp(s, "—", 3) == 0 || memcmp(s, "－", 3) == 0;
	}
	return 0;
}

/* Warn about a bad cell, quoting it (at most 255 bytes of it). */
static void warn_cell(struct conv *cv, const char *code,
    const struct prof_col *c, const char *fmt, const char *s, size_t n,
    const char *b)
{
	char raw[256];

	snprintf(raw, sizeof raw, "%.*s", (int)n, s);
	add_warn(cv, code, c->field, fmt, raw, b);
}

/* Convert a cell that is not blank: 1 when it produced a value, 0 when
 * it means "no value" (-, /, an empty list), -1 when it was bad (and
 * warned about). */
static int convert(struct conv *cv, const struct prof_col *c,
    const char *s, size_t n)
{
	const char *why = NULL;
	char out[256];
	long long v;
	size_t k;
	int r = NORM_OK, b;
	enum id_status st;

	switch (c->type) {
	case VT_STR:
	case VT_TEXT:
		if (is_dash(s, n))
			return 0;
		buf_json_utf8(&cv->val, s, n);
		return 1;
	case VT_ID:
		if (is_dash(s, n))
			return 0;
		st = id_normalize(s, n, cv->as_of, out);
		if (st == ID_OK) {
			memcpy(cv->id, out, 19);
			buf_json_utf8(&cv->val, out, 18);
			return 1;
		}
		if (st == ID_EMPTY)
			return 0;
		warn_cell(cv, id_status_code(st), c, "ID '%s': %s", s, n,
		    id_status_msg(st));
		return -1;
	case VT_NAME:
		r = norm_name(s, n, out, sizeof out, &why);
		break;
	case VT_PHONE:
		r = norm_phone(s, n, out, sizeof out, &why);
		break;
	case VT_SEX:
		if ((r = norm_sex(s, n, &cv->sex, &why)) == NORM_OK)
			out[0] = cv->sex, out[1] = '\0';
		break;
	case VT_DATE:
		r = norm_date(s, n, out, &why);
		break;
	case VT_MONTH:
		r = norm_month(s, n, out, &why);
		break;
	case VT_MONEY:
		if ((k = money_plain(s, n, out)) > 0) {
			buf_add(&cv->val, out, k);
			return 1;
		}
		/* FALLTHROUGH */
	case VT_INT:
		r = c->type == VT_MONEY ? norm_money(s, n, &v, &why) :
		    norm_int(s, n, &v, &why);
		if (r == NORM_OK) {
			if (c->type == VT_MONEY)
				buf_add(&cv->val, out, money_format(v, out));
			else {
				snprintf(out, sizeof out, "%lld", v);
				buf_adds(&cv->val, out);
			}
			return 1;
		}
		break;
	case VT_BOOL:
		if ((r = norm_bool(s, n, &b, &why)) == NORM_OK) {
			buf_adds(&cv->val, b ? "true" : "false");
			return 1;
		}
		break;
	case VT_GRADE:
		if (is_dash(s, n))
			return 0;
		if ((b = grade_of(s, n)) > 0) {
			snprintf(out, sizeof out, "%d", b);
			buf_adds(&cv->val, out);
			return 1;
		}
		r = NORM_BAD, why = "not a disability grade (一级..四级)";
		break;
	case VT_ENUM:
		if (is_dash(s, n))
			return 0;
		put_code(cv, c, s, n);
		return 1;
	case VT_SET:
		return put_set(cv, c, s, n) > 0;
	}
	if (r == NORM_OK) {
		buf_json_utf8(&cv->val, out, strlen(out));
		if (c->type == VT_DATE && strcmp(c->field, "birth") == 0)
			memcpy(cv->birth, out, 11);
		return 1;
	}
	if (r == NORM_EMPTY)
		return 0;
	warn_cell(cv, dict_type_name(c->type), c, "'%s': %s", s, n,
	    why ? why : "cannot read");
	return -1;
}

/* Convert every column of the row into cv->val, and note its warnings. */
static void convert_row(struct conv *cv, const struct csv_row *row)
{
	size_t col, n;
	const char *s;
	int cell, r;

	buf_reset(&cv->val);
	buf_reset(&cv->warn);
	cv->nwarn = 0;
	cv->id[0] = cv->birth[0] = cv->sex = '\0';
	for (col = 0; col < cv->p->ncols; col++) {
		const struct prof_col *c = &cv->p->cols[col];

		cell = cv->cellof[col];
		cv->voff[col] = cv->val.len;
		cv->vlen[col] = 0;
		n = cell >= 0 && (size_t)cell < row->n ? row->len[cell] : 0;
		s = n ? trim(row->cell[cell], &n) : "";
		r = n > 0 ? convert(cv, c, s, n) : 0;
		if (r > 0)
			cv->vlen[col] = cv->val.len - cv->voff[col];
		else
			cv->val.len = cv->voff[col];
		if (c->type == VT_ID && r < 0) {
			/* keep what was given: a person may still find it */
			cv->voff[col] = cv->val.len;
			buf_adds(&cv->val, "\"id_raw\":");
			buf_json_utf8(&cv->val, s, n);
			cv->vlen[col] = cv->val.len - cv->voff[col];
		}
		if (c->required && r == 0)
			add_warn(cv, "missing", c->field, cell < 0 ?
			    "no column %s%s" : "%s is empty", c->headers[0], NULL);
	}
}

/* Sex and birth date the ID implies: added when absent, warned about
 * when the row says otherwise. */
static void id_facts(struct conv *cv, struct buf *out)
{
	char birth[11], sex;

	if (!cv->id[0])
		return;
	id_birth(cv->id, birth);
	sex = id_sex(cv->id);
	if (cv->sex && cv->sex != sex)
		add_warn(cv, "id_sex", "sex", "sex '%s' disagrees with the ID",
		    cv->sex == 'M' ? "M" : "F", NULL);
	if (cv->birth[0] && strcmp(cv->birth, birth) != 0)
		add_warn(cv, "id_birth", "birth",
		    "birth date %s disagrees with the ID (%s)", cv->birth, birth);
	if (!cv->sex)
		buf_adds(out, sex == 'M' ? ",\"sex\":\"M\"" : ",\"sex\":\"F\"");
	if (!cv->birth[0]) {
		buf_adds(out, ",\"birth\":\"");
		buf_adds(out, birth);
		buf_addc(out, '"');
	}
}

static void emit_columns(struct conv *cv, struct buf *out)
{
	const struct key *k;
	long group = -1;
	size_t i, col;

	for (i = 0; i < cv->p->ncols; i++) {
		const char *v;

		col = cv->order[i];
		k = &cv->key[col];
		if (cv->vlen[col] == 0 || k->extra)
			continue;
		v = cv->val.data + cv->voff[col];
		if (group >= 0 && k->group != group) {
			buf_addc(out, '}');
			group = -1;
		}
		if (k->group >= 0 && group < 0) {
			group = k->group;
			buf_add(out, cv->keys.data + k->goff, k->glen);
		} else if (k->group < 0 || out->data[out->len - 1] != '{')
			buf_addc(out, ',');
		/* an invalid ID comes as "id_raw":"…" already keyed */
		if (cv->p->cols[col].type != VT_ID ||
		    strncmp(v, "\"id_raw\":", 9) != 0)
			buf_add(out, cv->keys.data + k->off, k->len);
		buf_add(out, v, cv->vlen[col]);
		if (cv->p->cols[col].type == VT_ID)
			id_facts(cv, out);
	}
	if (group >= 0)
		buf_addc(out, '}');
}

static void emit_extra(struct conv *cv, const struct csv_row *row,
    struct buf *out)
{
	size_t i, n, k = 0, col;
	const char *s;

	for (i = 0; i < cv->p->ncols; i++) {
		col = cv->order[i];
		if (!cv->key[col].extra || cv->vlen[col] == 0)
			continue;
		buf_adds(out, k++ ? "," : ",\"extra\":{");
		buf_add(out, cv->keys.data + cv->key[col].off,
		    cv->key[col].len);
		buf_add(out, cv->val.data + cv->voff[col], cv->vlen[col]);
	}
	for (i = 0; i < row->n && i < cv->ncells; i++) {
		if (cv->colmap[i] >= 0 || cv->extra_name[i] == NULL)
			continue;
		n = row->len[i];
		s = trim(row->cell[i], &n);
		if (n == 0)
			continue;
		buf_adds(out, k++ ? "," : ",\"extra\":{");
		buf_json_utf8(out, cv->extra_name[i], strlen(cv->extra_name[i]));
		buf_addc(out, ':');
		buf_json_utf8(out, s, n);
	}
	if (k)
		buf_addc(out, '}');
}

/* Line numbers are positive: no sign, and no snprintf for each row. */
static void put_line(struct buf *out, long line)
{
	char num[24];
	size_t k = sizeof num;

	do
		num[--k] = '0' + line % 10;
	while ((line /= 10) > 0);
	buf_add(out, num + k, sizeof num - k);
}

int conv_row(struct conv *cv, const struct csv_row *row, struct buf *out)
{
	convert_row(cv, row);
	buf_add(out, cv->head.data, cv->head.len);
	put_line(out, row->line);
	emit_columns(cv, out);
	emit_extra(cv, row, out);
	if (cv->nwarn) {
		buf_adds(out, ",\"warn\":[");
		buf_add(out, cv->warn.data, cv->warn.len);
		buf_addc(out, ']');
	}
	if (buf_addc(out, '}') < 0)
		return -1;
	return cv->nwarn;
}

int conv_is_blank(const struct csv_row *row)
{
	size_t i, n;

	for (i = 0; i < row->n; i++) {
		n = row->len[i];
		trim(row->cell[i], &n);
		if (n > 0)
			return 0;
	}
	return 1;
}

int conv_is_total(const struct csv_row *row)
{
	static const char *const words[] = { "合计", "总计", "小计", NULL };
	size_t i, n;
	const char *s;
	int j;

	for (i = 0; i < row->n; i++) {
		n = row->len[i];
		s = trim(row->cell[i], &n);
		if (n == 0)
			continue;
		for (j = 0; words[j]; j++)
			if (n >= 6 && memcmp(s, words[j], 6) == 0)
				return 1;
		return 0;
	}
	return 0;
}
