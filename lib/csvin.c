/*
 * csvin.c — streaming CSV rows with encoding and line numbers (csvin.h).
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvin.h"
#include "text.h"

#define CHUNK (64 * 1024)

struct field_ref {
	size_t off, len;
};

struct row_ref {
	size_t first, n;
	long line;
};

struct csvin {
	FILE *fp;
	struct csv_parser parser;
	enum csv_enc enc, forced;
	int guessed, bom_checked, at_eof, sniffed;
	iconv_t gb;
	unsigned long long bytes;
	long line;			/* current physical line */

	/* rows parsed from the last chunk, waiting to be read */
	struct buf raw;
	struct field_ref *fields;
	size_t nfields, capfields;
	struct row_ref *rows;
	size_t nrows, caprows, next;
	size_t row_first;		/* first field of the row being built */
	long row_line;			/* line where that row started */

	/* the row handed out */
	struct buf dec;
	char **cell;
	size_t *len, capcell, caplen;
	int oom;
};

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((q = realloc(*p, n * size)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static void on_field(void *data, size_t n, void *p)
{
	struct csvin *c = p;
	const char *s = data ? data : "";
	struct field_ref *f;
	size_t i;

	if (grow((void **)&c->fields, &c->capfields, c->nfields + 1,
	    sizeof *c->fields) < 0 || buf_grow(&c->raw, n) < 0) {
		c->oom = 1;
		return;
	}
	if (c->nfields == c->row_first)
		c->row_line = c->line;
	f = &c->fields[c->nfields++];
	f->off = c->raw.len;
	f->len = n;
	buf_add(&c->raw, s, n);
	/* a quoted cell may span lines */
	for (i = 0; i < n; i++)
		c->line += s[i] == '\n';
}

static void on_row(int term, void *p)
{
	struct csvin *c = p;
	struct row_ref *r;

	if (c->nfields > c->row_first) {
		if (grow((void **)&c->rows, &c->caprows, c->nrows + 1,
		    sizeof *c->rows) < 0) {
			c->oom = 1;
			return;
		}
		r = &c->rows[c->nrows++];
		r->first = c->row_first;
		r->n = c->nfields - c->row_first;
		r->line = c->row_line;
		c->row_first = c->nfields;
	}
	/* With CSV_REPALL_NL every unquoted LF reaches here, also the LF of
	 * a CRLF and the LFs of blank lines: counting them counts lines. */
	if (term == '\n')
		c->line++;
}

struct csvin *csvin_new(FILE *fp, enum csv_enc enc)
{
	struct csvin *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	if (csv_init(&c->parser, CSV_REPALL_NL | CSV_APPEND_NULL) != 0) {
		free(c);
		return NULL;
	}
	c->fp = fp;
	c->forced = enc;
	c->enc = enc;
	c->gb = (iconv_t)-1;
	c->line = 1;
	return c;
}

/* What a file that is no CSV text starts with. */
static const char *sniff(const unsigned char *s, size_t n)
{
	if (n >= 4 && memcmp(s, "PK\3\4", 4) == 0)
		return "looks like an Excel workbook (.xlsx), not CSV: "
		    "save it as CSV (UTF-8) first";
	if (n >= 8 && memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return "looks like an old Excel workbook (.xls), not CSV: "
		    "save it as CSV (UTF-8) first";
	if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
	    (s[0] == 0xFE && s[1] == 0xFF)))
		return "is UTF-16 text: save it as CSV (UTF-8) first";
	if (n >= 4 && memchr(s, '\0', n < 512 ? n : 512) &&
	    memchr(s, '\0', 4))
		return "looks like a binary file, not CSV text";
	return NULL;
}

/* Drop the rows already handed out; keep the cells of a row that the
 * last chunk ended in the middle of. */
static void compact(struct csvin *c)
{
	size_t k = c->nfields - c->row_first, base, i;

	base = k ? c->fields[c->row_first].off : c->raw.len;
	memmove(c->raw.data, c->raw.data + base, c->raw.len - base);
	c->raw.len -= base;
	for (i = 0; i < k; i++) {
		c->fields[i] = c->fields[c->row_first + i];
		c->fields[i].off -= base;
	}
	c->nfields = k;
	c->row_first = c->nrows = c->next = 0;
}

/* Parse chunks until at least one row is waiting or the input ends. */
static int fill(struct csvin *c, char *err, size_t errlen)
{
	unsigned char chunk[CHUNK];
	size_t n;
	const char *why;

	compact(c);
	while (c->nrows == 0 && !c->at_eof) {
		n = fread(chunk, 1, sizeof chunk, c->fp);
		if (n == 0 && ferror(c->fp)) {
			snprintf(err, errlen, "read error: %s", strerror(errno));
			return -1;
		}
		if (!c->sniffed && n > 0) {
			c->sniffed = 1;
			if ((why = sniff(chunk, n)) != NULL) {
				snprintf(err, errlen, "%s", why);
				return -1;
			}
		}
		c->bytes += n;
		if (n == 0) {
			c->at_eof = 1;
			csv_fini(&c->parser, on_field, on_row, c);
		} else if (csv_parse(&c->parser, chunk, n, on_field, on_row,
		    c) != n) {
			snprintf(err, errlen, "%s",
			    csv_strerror(csv_error(&c->parser)));
			return -1;
		}
		if (c->oom) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* Decode one cell into c->dec; returns NULL or why it cannot be read. */
static const char *decode(struct csvin *c, const char *s, size_t n)
{
	size_t i, inleft, outleft;
	char *in, *out;

	if (memchr(s, '\0', n))
		return "NUL byte in the row";
	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i < n && c->enc == ENC_AUTO) {
		c->enc = txt_valid_utf8(s, n) ? ENC_UTF8 : ENC_GB18030;
		c->guessed = c->enc == ENC_GB18030;
	}
	if (i == n || c->enc == ENC_UTF8) {
		if (i < n && !txt_valid_utf8(s, n))
			return "invalid UTF-8";
		return buf_add(&c->dec, s, n) < 0 ? "out of memory" : NULL;
	}
	if (c->gb == (iconv_t)-1 &&
	    (c->gb = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return "GB18030 conversion is not available";
	iconv(c->gb, NULL, NULL, NULL, NULL);
	if (buf_grow(&c->dec, n * 2 + 4) < 0)
		return "out of memory";
	in = (char *)s, inleft = n;
	out = c->dec.data + c->dec.len, outleft = n * 2 + 4;
	if (iconv(c->gb, &in, &inleft, &out, &outleft) == (size_t)-1)
		return "bytes that are not GB18030";
	c->dec.len = out - c->dec.data;
	return NULL;
}

int csvin_next(struct csvin *c, struct csv_row *row, char *err, size_t errlen)
{
	struct row_ref *r;
	size_t i, *off;
	const char *s;

	if (c->next == c->nrows && fill(c, err, errlen) < 0)
		return -1;
	if (c->next == c->nrows)
		return 0;
	r = &c->rows[c->next++];
	if (grow((void **)&c->cell, &c->capcell, r->n, sizeof *c->cell) < 0 ||
	    grow((void **)&c->len, &c->caplen, r->n, sizeof *c->len) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	buf_reset(&c->dec);
	row->bad = NULL;
	off = c->len;	/* offsets first: c->dec may move while it grows */
	for (i = 0; i < r->n; i++) {
		struct field_ref *f = &c->fields[r->first + i];

		s = c->raw.data + f->off;
		if (!c->bom_checked) {
			c->bom_checked = 1;
			if (f->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
				s += 3, f->len -= 3;
				if (c->enc == ENC_AUTO)
					c->enc = ENC_UTF8;
			}
		}
		off[i] = c->dec.len;
		if (row->bad == NULL && (row->bad = decode(c, s, f->len)))
			c->dec.len = off[i];
		/* an unreadable row keeps its bytes as they were, for rejects */
		if (row->bad && buf_add(&c->dec, s, f->len) < 0)
			row->bad = "out of memory";
		if (buf_addc(&c->dec, '\0') < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	for (i = 0; i < r->n; i++) {
		c->cell[i] = c->dec.data + off[i];
		off[i] = (i + 1 < r->n ? off[i + 1] : c->dec.len) - off[i] - 1;
	}
	row->cell = c->cell;
	row->len = c->len;
	row->n = r->n;
	row->line = r->line;
	return 1;
}

int csvin_row_text(const struct csv_row *row, struct buf *out)
{
	size_t i, j;
	const char *s;

	buf_reset(out);
	for (i = 0; i < row->n; i++) {
		s = row->cell[i];
		if (i > 0 && buf_addc(out, ',') < 0)
			return -1;
		if (strpbrk(s, ",\"\r\n") == NULL) {
			if (buf_add(out, s, row->len[i]) < 0)
				return -1;
			continue;
		}
		buf_addc(out, '"');
		for (j = 0; j < row->len[i]; j++) {
			if (s[j] == '"')
				buf_addc(out, '"');
			if (buf_addc(out, s[j]) < 0)
				return -1;
		}
		buf_addc(out, '"');
	}
	return 0;
}

const char *csvin_encoding(const struct csvin *c)
{
	return c->enc == ENC_GB18030 ? "GB18030" : "UTF-8";
}

int csvin_guessed(const struct csvin *c)
{
	return c->guessed;
}

unsigned long long csvin_bytes(const struct csvin *c)
{
	return c->bytes;
}

int csvin_enc_parse(const char *name, enum csv_enc *enc)
{
	if (strcasecmp(name, "auto") == 0)
		*enc = ENC_AUTO;
	else if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
		*enc = ENC_UTF8;
	else if (strcasecmp(name, "gb18030") == 0 ||
	    strcasecmp(name, "gbk") == 0 || strcasecmp(name, "gb2312") == 0 ||
	    strcasecmp(name, "cp936") == 0)
		*enc = ENC_GB18030;
	else
		return -1;
	return 0;
}

void csvin_free(struct csvin *c)
{
	if (c == NULL)
		return;
	csv_free(&c->parser);
	if (c->gb != (iconv_t)-1)
		iconv_close(c->gb);
	buf_free(&c->raw);
	buf_free(&c->dec);
	free(c->fields);
	free(c->rows);
	free(c->cell);
	free(c->len);
	free(c);
}
