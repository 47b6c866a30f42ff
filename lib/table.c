/*
 * table.c — one report table in five formats (see table.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "norm.h"
#include "table.h"
#include "text.h"

#define CELL_MAX 4096

static void join(jv arr, struct buf *b)
{
	int i, n = jv_array_length(jv_copy(arr));
	jv v;

	for (i = 0; i < n; i++) {
		v = jv_array_get(jv_copy(arr), i);
		if (i > 0)
			buf_adds(b, "；");
		if (jv_get_kind(v) == JV_KIND_STRING)
			buf_adds(b, jv_string_value(v));
		jv_free(v);
	}
	buf_addc(b, '\0');
}

const char *tbl_cell_text(jv cell, enum tbl_kind kind, char *buf,
    size_t len)
{
	struct buf b = BUF_INIT;
	long long n;

	buf[0] = '\0';
	switch (jv_get_kind(cell)) {
	case JV_KIND_STRING:
		snprintf(buf, len, "%s", jv_string_value(cell));
		break;
	case JV_KIND_NUMBER:
		n = llround(jv_number_value(cell));
		if (kind == TBL_MONEY)
			snprintf(buf, len, "%s%lld.%02lld", n < 0 ? "-" : "",
			    llabs(n) / 100, llabs(n) % 100);
		else if (kind == TBL_DAYS)
			snprintf(buf, len, "%.1f", jv_number_value(cell));
		else
			snprintf(buf, len, "%lld", n);
		break;
	case JV_KIND_ARRAY:
		join(cell, &b);
		snprintf(buf, len, "%s", b.data ? b.data : "");
		buf_free(&b);
		break;
	case JV_KIND_TRUE:
		snprintf(buf, len, "✓");
		break;
	default:
		break;
	}
	return buf;
}

size_t tbl_width(const char *s)
{
	size_t n = strlen(s), i = 0, w = 0;
	uint32_t cp;
	int cw;

	while (i < n) {
		i += txt_decode(s + i, n - i, &cp);
		cw = wcwidth((wchar_t)cp);
		/* without an UTF-8 locale wcwidth knows nothing of Han */
		if (cw < 0)
			cw = cp >= 0x1100 ? 2 : cp < 0x20 ? 0 : 1;
		w += cw;
	}
	return w;
}

static jv cell(const struct tbl *t, int row, size_t col)
{
	jv r = jv_array_get(jv_copy(t->rows), row), c;

	c = jv_array_get(r, col);
	return jv_is_valid(c) ? c : jv_null();
}

static const char *text_at(const struct tbl *t, int row, size_t col,
    char *buf, size_t len)
{
	jv c = cell(t, row, col);

	tbl_cell_text(c, t->cols[col].kind, buf, len);
	jv_free(c);
	return buf;
}

static int nrows(const struct tbl *t)
{
	return jv_array_length(jv_copy(t->rows));
}

static int visible(const struct tbl *t, size_t col)
{
	return (int)col != t->group;
}

/* A new section starts at row i when its group cell differs. */
static int new_section(const struct tbl *t, int i, char *name, size_t len)
{
	char prev[CELL_MAX];

	if (t->group < 0)
		return i == 0;
	text_at(t, i, t->group, name, len);
	if (i == 0 || (t->has_total && i == nrows(t) - 1))
		return i == 0;
	return strcmp(text_at(t, i - 1, t->group, prev, sizeof prev), name) != 0;
}

static int numeric(enum tbl_kind k)
{
	return k != TBL_TEXT;
}

static void pad(FILE *fp, size_t n)
{
	while (n-- > 0)
		putc(' ', fp);
}

static size_t last_visible(const struct tbl *t)
{
	size_t c = t->ncols;

	while (c > 0 && !visible(t, c - 1))
		c--;
	return c - 1;
}

static void text_row(FILE *fp, const struct tbl *t, const size_t *w,
    const char *const *cells)
{
	size_t c, cw, last = last_visible(t);
	int first = 1;

	for (c = 0; c < t->ncols; c++) {
		if (!visible(t, c))
			continue;
		if (!first)
			fputs("  ", fp);
		first = 0;
		cw = tbl_width(cells[c]);
		if (numeric(t->cols[c].kind))
			pad(fp, w[c] - cw);
		fputs(cells[c], fp);
		if (!numeric(t->cols[c].kind) && c != last)
			pad(fp, w[c] - cw);
	}
	putc('\n', fp);
}

static void text_rule(FILE *fp, const struct tbl *t, const size_t *w)
{
	size_t c, i;
	int first = 1;

	for (c = 0; c < t->ncols; c++) {
		if (!visible(t, c))
			continue;
		if (!first)
			fputs("  ", fp);
		first = 0;
		for (i = 0; i < w[c]; i++)
			putc('-', fp);
	}
	putc('\n', fp);
}

static void text_header(FILE *fp, const struct tbl *t, const size_t *w)
{
	const char *labels[64];
	size_t c;

	for (c = 0; c < t->ncols && c < 64; c++)
		labels[c] = t->cols[c].label;
	text_row(fp, t, w, labels);
	text_rule(fp, t, w);
}

/* Each row's cells as text, kept for the widths and the printing. */
static char **text_cells(const struct tbl *t, int n, size_t *w)
{
	char **s = calloc((size_t)n * t->ncols + 1, sizeof *s), buf[CELL_MAX];
	size_t c, cw;
	int i;

	if (s == NULL)
		return NULL;
	for (c = 0; c < t->ncols; c++)
		w[c] = tbl_width(t->cols[c].label);
	for (i = 0; i < n; i++)
		for (c = 0; c < t->ncols; c++) {
			s[i * t->ncols + c] = strdup(text_at(t, i, c, buf,
			    sizeof buf));
			if (s[i * t->ncols + c] == NULL)
				s[i * t->ncols + c] = strdup("");
			if ((cw = tbl_width(s[i * t->ncols + c])) > w[c])
				w[c] = cw;
		}
	return s;
}

int tbl_write_text(FILE *fp, const struct tbl *t)
{
	size_t w[64], c;
	int i, n = nrows(t);
	char **s, name[CELL_MAX];

	if (t->ncols > 64 || (s = text_cells(t, n, w)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (t->title)
		fprintf(fp, "%s\n\n", t->title);
	if (n == 0 || t->group < 0)
		text_header(fp, t, w);
	for (i = 0; i < n; i++) {
		if (t->group >= 0 && new_section(t, i, name, sizeof name)) {
			fprintf(fp, "%s%s%s\n", i ? "\n" : "",
			    t->group_label ? t->group_label : "", name);
			text_header(fp, t, w);
		}
		if (t->has_total && i == n - 1 && n > 1)
			text_rule(fp, t, w);
		text_row(fp, t, w, (const char *const *)s + i * t->ncols);
	}
	for (i = 0; i < n; i++)
		for (c = 0; c < t->ncols; c++)
			free(s[i * t->ncols + c]);
	free(s);
	return ferror(fp) ? -1 : 0;
}

/* RFC 4180: quote a field that holds a quote, comma or line end. */
static void csv_field(FILE *fp, const char *s)
{
	if (strpbrk(s, "\",\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

int tbl_write_csv(FILE *fp, const struct tbl *t)
{
	char buf[CELL_MAX];
	size_t c;
	int i, n = nrows(t);

	for (c = 0; c < t->ncols; c++) {
		if (c)
			putc(',', fp);
		csv_field(fp, t->cols[c].label);
	}
	/* CRLF: what Excel writes, and what RFC 4180 asks */
	fputs("\r\n", fp);
	for (i = 0; i < n; i++) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				putc(',', fp);
			csv_field(fp, text_at(t, i, c, buf, sizeof buf));
		}
		fputs("\r\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}

static void md_field(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			putc('\\', fp);
		putc(*s == '\n' ? ' ' : *s, fp);
	}
}

static void md_header(FILE *fp, const struct tbl *t)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (visible(t, c)) {
			fputs("| ", fp);
			md_field(fp, t->cols[c].label);
			putc(' ', fp);
		}
	fputs("|\n", fp);
	for (c = 0; c < t->ncols; c++)
		if (visible(t, c))
			fputs(numeric(t->cols[c].kind) ? "| ---: " : "| --- ", fp);
	fputs("|\n", fp);
}

int tbl_write_md(FILE *fp, const struct tbl *t)
{
	char buf[CELL_MAX], name[CELL_MAX];
	size_t c;
	int i, n = nrows(t), total;

	if (t->title)
		fprintf(fp, "### %s\n\n", t->title);
	if (n == 0 || t->group < 0)
		md_header(fp, t);
	for (i = 0; i < n; i++) {
		if (t->group >= 0 && new_section(t, i, name, sizeof name)) {
			fprintf(fp, "%s#### %s", i ? "\n" : "",
			    t->group_label ? t->group_label : "");
			md_field(fp, name);
			fputs("\n\n", fp);
			md_header(fp, t);
		}
		total = t->has_total && i == n - 1;
		for (c = 0; c < t->ncols; c++)
			if (visible(t, c)) {
				fputs(total ? "| **" : "| ", fp);
				md_field(fp, text_at(t, i, c, buf, sizeof buf));
				fputs(total ? "** " : " ", fp);
			}
		fputs("|\n", fp);
	}
	putc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

int tbl_html_escape(FILE *fp, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: putc(*s, fp);
		}
	return ferror(fp) ? -1 : 0;
}

static void html_header(FILE *fp, const struct tbl *t)
{
	size_t c;

	fputs("<table>\n<thead><tr>", fp);
	for (c = 0; c < t->ncols; c++)
		if (visible(t, c)) {
			fputs(numeric(t->cols[c].kind) ? "<th class=\"n\">" :
			    "<th>", fp);
			tbl_html_escape(fp, t->cols[c].label);
			fputs("</th>", fp);
		}
	fputs("</tr></thead>\n<tbody>\n", fp);
}

int tbl_write_html(FILE *fp, const struct tbl *t)
{
	char buf[CELL_MAX], name[CELL_MAX];
	size_t c;
	int i, n = nrows(t);

	if (t->title) {
		fputs("<h2>", fp);
		tbl_html_escape(fp, t->title);
		fputs("</h2>\n", fp);
	}
	if (n == 0 || t->group < 0)
		html_header(fp, t);
	for (i = 0; i < n; i++) {
		if (t->group >= 0 && new_section(t, i, name, sizeof name)) {
			if (i)
				fputs("</tbody>\n</table>\n", fp);
			fputs("<h3>", fp);
			tbl_html_escape(fp, t->group_label ? t->group_label : "");
			tbl_html_escape(fp, name);
			fputs("</h3>\n", fp);
			html_header(fp, t);
		}
		fputs(t->has_total && i == n - 1 ? "<tr class=\"total\">" :
		    "<tr>", fp);
		for (c = 0; c < t->ncols; c++)
			if (visible(t, c)) {
				fputs(numeric(t->cols[c].kind) ?
				    "<td class=\"n\">" : "<td>", fp);
				tbl_html_escape(fp, text_at(t, i, c, buf,
				    sizeof buf));
				fputs("</td>", fp);
			}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
	return ferror(fp) ? -1 : 0;
}

/* A cell as NDJSON: money in 元, exactly as money_format writes it. */
static jv json_cell(jv c, enum tbl_kind kind)
{
	char num[32];

	if (kind == TBL_MONEY && jv_get_kind(c) == JV_KIND_NUMBER) {
		money_format(llround(jv_number_value(c)), num);
		jv_free(c);
		return jv_number(strtod(num, NULL));
	}
	return c;
}

int tbl_write_ndjson(FILE *fp, const struct tbl *t)
{
	int i, n = nrows(t) - (t->has_total ? 1 : 0);
	size_t c;
	jv o;

	for (i = 0; i < n; i++) {
		o = jv_object();
		for (c = 0; c < t->ncols; c++)
			o = jv_object_set(o, jv_string(t->cols[c].key),
			    json_cell(cell(t, i, c), t->cols[c].kind));
		jv_dumpf(o, fp, 0);
		putc('\n', fp);
		if (ferror(fp))
			return -1;
	}
	return 0;
}

void tbl_free(struct tbl *t)
{
	if (t == NULL)
		return;
	jv_free(t->rows);
	t->rows = jv_array();
}
