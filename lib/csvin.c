/*
 * csvin.c — streaming CSV rows with encoding and line numbers (csvin.h).
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csvin.h"
#include "text.h"

#define CHUNK (64 * 1024)
#define LIBCSV_FIELD_BEGUN 2	/* csv_parser.pstate: inside a cell (csv.c) */
#define BATCH (128 * 1024)	/* cell bytes a batch of rows holds at least */
#define NBATCH (CSVIN_HOLD + 2)	/* held, being read, one ready */

struct field_ref {
	size_t off, len;
};

struct row_ref {
	size_t first, n;
	long line;
};

/* Rows parsed from a run of chunks, waiting to be read. */
struct csv_batch {
	struct buf raw;			/* the cells, each NUL-terminated */
	struct field_ref *fields;
	size_t nfields, capfields;
	struct row_ref *rows;
	size_t nrows, caprows;
	unsigned long long bytes;	/* input read when it was done */
	int end;			/* 1 at the end of input, -1 on error */
	int cut;			/* input ended inside a quoted cell */
	char err[256];
	enum csv_enc enc;		/* of the cells: known when it was done */

	/* the rows decoded, by whoever wants them first: cells point
	 * into raw, or into dec */
	int decoded;
	size_t from;			/* rows csvin_next handed out before */
	struct csv_row *out;
	char **cell;
	size_t *len, capout, capcell, caplen;
	struct buf dec;
	iconv_t gb;
};

/*
 * A regular file is read and parsed by a thread of its own, batches ahead
 * of the rows being handed out: parsing costs about as much as all the
 * rest, and the two then run at once.  Other input (a pipe, a terminal)
 * is read when rows are wanted, as a read there may wait.  The parsing
 * side also decides the encoding, by the first cell that is not ASCII;
 * the cells are decoded later, batch by batch, on whatever thread wants
 * the rows (csvin_batch_rows).
 */
struct csvin {
	/* the reading side */
	FILE *fp;
	struct csv_parser parser;
	int sniffed, oom;
	unsigned long long bytes;
	long line;			/* current physical line */
	struct csv_batch *b;		/* being filled */
	size_t row_first;		/* first field of the row being built */
	long row_line;			/* line where that row started */

	/* batches: filled in turn, handed out in the same order */
	struct csv_batch batch[NBATCH];
	int threaded, stop, ready[NBATCH];	/* filled, not yet done with */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;

	/* the encoding, decided on the reading side */
	enum csv_enc enc;
	int guessed, bom_checked;

	/* the rows handed out */
	struct csv_batch *cur;
	size_t next, nbatch;
	int kept[NBATCH], nkept;	/* by csvin_rows, oldest first */
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

/* What decoding a cell needs to know: whether it holds NUL bytes, and
 * bytes above 0x7F.  Eight bytes at a time: it looks at every byte. */
static void classify(const char *s, size_t n, int *nul, int *ascii)
{
	uint64_t w, high = 0, zero = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		high |= w & TXT_HIGH;
		zero |= txt_bytes_eq(w, '\0');
	}
	for (; i < n; i++) {
		high |= (unsigned char)s[i] & 0x80;
		zero |= s[i] == '\0';
	}
	*nul = zero != 0;
	*ascii = high == 0;
}

/* The first cell of the input may start with a BOM: that means UTF-8,
 * and is no text.  Else, until a cell that is not ASCII decides it, the
 * encoding is not known. */
static void sense_encoding(struct csvin *c, struct field_ref *f,
    const char *s)
{
	int nul, ascii;

	if (!c->bom_checked) {
		c->bom_checked = 1;
		if (f->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			f->off += 3, f->len -= 3, s += 3;
			if (c->enc == ENC_AUTO)
				c->enc = ENC_UTF8;
		}
	}
	if (c->enc != ENC_AUTO)
		return;
	classify(s, f->len, &nul, &ascii);
	if (!ascii) {
		c->enc = txt_valid_utf8(s, f->len) ? ENC_UTF8 : ENC_GB18030;
		c->guessed = c->enc == ENC_GB18030;
	}
}

/* Each cell is kept NUL-terminated, so that a cell that needs no
 * decoding can be handed out from where it is. */
static void on_field(void *data, size_t n, void *p)
{
	struct csvin *c = p;
	struct csv_batch *b = c->b;
	const char *s = data ? data : "";
	struct field_ref *f;

	if (grow((void **)&b->fields, &b->capfields, b->nfields + 1,
	    sizeof *b->fields) < 0 || buf_grow(&b->raw, n + 1) < 0) {
		c->oom = 1;
		return;
	}
	if (b->nfields == c->row_first)
		c->row_line = c->line;
	f = &b->fields[b->nfields++];
	f->off = b->raw.len;
	f->len = n;
	memcpy(b->raw.data + b->raw.len, s, n);
	b->raw.len += n;
	b->raw.data[b->raw.len++] = '\0';
	if (c->enc == ENC_AUTO || !c->bom_checked)
		sense_encoding(c, f, b->raw.data + f->off);
}

static void on_row(int term, void *p)
{
	struct csvin *c = p;
	struct csv_batch *b = c->b;
	struct row_ref *r;

	if (b->nfields > c->row_first) {
		const char *nl, *end = b->raw.data + b->raw.len;

		if (grow((void **)&b->rows, &b->caprows, b->nrows + 1,
		    sizeof *b->rows) < 0) {
			c->oom = 1;
			return;
		}
		r = &b->rows[b->nrows++];
		r->first = c->row_first;
		r->n = b->nfields - c->row_first;
		r->line = c->row_line;
		/* the LFs of quoted cells, which may span lines; looked
		 * for once for the row's cells, which lie one after another */
		for (nl = b->raw.data + b->fields[r->first].off;
		    (nl = memchr(nl, '\n', end - nl)) != NULL; nl++)
			c->line++;
		c->row_first = b->nfields;
	}
	/* With CSV_REPALL_NL every unquoted LF reaches here, also the LF of
	 * a CRLF and the LFs of blank lines: counting them counts lines. */
	if (term == '\n')
		c->line++;
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

/* Start filling b, with the cells of the row that the last batch
 * ended in the middle of. */
static int start_batch(struct csvin *c, struct csv_batch *b)
{
	struct csv_batch *prev = c->b;
	size_t k = prev ? prev->nfields - c->row_first : 0, base, i;

	buf_reset(&b->raw);
	b->nfields = b->nrows = 0;
	b->end = b->cut = 0;
	c->b = b;
	if (k == 0) {
		c->row_first = 0;
		return 0;
	}
	base = prev->fields[c->row_first].off;
	if (grow((void **)&b->fields, &b->capfields, k, sizeof *b->fields) < 0 ||
	    buf_add(&b->raw, prev->raw.data + base, prev->raw.len - base) < 0)
		return -1;
	for (i = 0; i < k; i++) {
		b->fields[i] = prev->fields[c->row_first + i];
		b->fields[i].off -= base;
	}
	b->nfields = k;
	c->row_first = 0;
	return 0;
}

/* End b with an error; the rows of the chunk that failed are dropped,
 * those before it are still read. */
static void fail(struct csv_batch *b, size_t nrows, const char *why,
    const char *what)
{
	b->nrows = nrows;
	b->end = -1;
	snprintf(b->err, sizeof b->err, "%s%s", why, what);
}

/*
 * Decode the cell *s (*n bytes): UTF-8 stays where it is, GB18030 is
 * converted into b->dec, which the caller has made large enough that
 * it does not move.  Returns NULL or why the cell cannot be read.
 */
static const char *decode(struct csv_batch *b, const char **s, size_t *n)
{
	size_t inleft, outleft;
	char *in, *out;
	int nul, ascii;

	classify(*s, *n, &nul, &ascii);
	if (nul)
		return "NUL byte in the row";
	if (ascii)
		return NULL;
	if (b->enc != ENC_GB18030)
		return txt_valid_utf8(*s, *n) ? NULL : "invalid UTF-8";
	if (b->gb == (iconv_t)-1 &&
	    (b->gb = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return "GB18030 conversion is not available";
	iconv(b->gb, NULL, NULL, NULL, NULL);
	in = (char *)*s, inleft = *n;
	out = b->dec.data + b->dec.len, outleft = *n * 2 + 4;
	if (iconv(b->gb, &in, &inleft, &out, &outleft) == (size_t)-1)
		return "bytes that are not GB18030";
	*out = '\0';
	*s = b->dec.data + b->dec.len;
	*n = out - *s;
	b->dec.len += *n + 1;
	return NULL;
}

/*
 * Whether a row's cells, which lie one after another each ended by its
 * NUL, hold no NUL of their own and are valid UTF-8: then none needs a
 * look of its own.  A row is looked at in two passes, not a dozen.
 */
static int row_clean(const char *s, size_t n, size_t ncells)
{
	const uint64_t low = TXT_ONES * 0x7F;
	uint64_t w;
	size_t i = 0, nul = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		/* exactly the zero bytes: a byte's high bit is set by
		 * itself or by adding 0x7F to its low bits unless it is 0 */
		nul += __builtin_popcountll(~(((w & low) + low) | w | low));
	}
	for (; i < n; i++)
		nul += s[i] == '\0';
	return nul == ncells && txt_valid_utf8(s, n);
}

/* Decode the rows of b into b->out; an unreadable row keeps its bytes
 * as they were, for rejects.  -1 when out of memory. */
static int decode_rows(struct csv_batch *b)
{
	struct field_ref *f;
	struct csv_row *o;
	size_t i, k, need = 0;
	const char *s;
	int clean;

	/* room for every cell as GB18030 turned UTF-8 (at most twice as
	 * long), so that the cells decoded into b->dec stay put */
	for (i = 0; i < b->nfields; i++)
		need += b->fields[i].len * 2 + 5;
	buf_reset(&b->dec);
	if (grow((void **)&b->out, &b->capout, b->nrows, sizeof *b->out) < 0 ||
	    grow((void **)&b->cell, &b->capcell, b->nfields,
	    sizeof *b->cell) < 0 ||
	    grow((void **)&b->len, &b->caplen, b->nfields, sizeof *b->len) < 0 ||
	    buf_grow(&b->dec, need) < 0)
		return -1;
	for (i = 0; i < b->nrows; i++) {
		o = &b->out[i];
		o->cell = b->cell + b->rows[i].first;
		o->len = b->len + b->rows[i].first;
		o->n = b->rows[i].n;
		o->line = b->rows[i].line;
		o->bad = NULL;
		f = &b->fields[b->rows[i].first];
		clean = b->enc != ENC_GB18030 && row_clean(b->raw.data +
		    f->off, f[o->n - 1].off + f[o->n - 1].len + 1 - f->off, o->n);
		for (k = 0; k < o->n; k++) {
			s = b->raw.data + f[k].off;
			o->len[k] = f[k].len;
			if (!clean && o->bad == NULL && (o->bad = decode(b, &s,
			    &o->len[k])))
				s = b->raw.data + f[k].off, o->len[k] = f[k].len;
			o->cell[k] = (char *)s;
		}
	}
	if (b->cut && b->nrows > 0 && b->out[b->nrows - 1].bad == NULL)
		b->out[b->nrows - 1].bad =
		    "the file ends inside a quoted cell: cut short?";
	b->decoded = 1;
	return 0;
}

/* Parse chunks into b until it holds enough rows or the input ends. */
static void read_batch(struct csvin *c, struct csv_batch *b)
{
	unsigned char chunk[CHUNK];
	size_t n, nrows;
	const char *why;

	if (start_batch(c, b) < 0)
		fail(b, 0, "out of memory", "");
	while (b->end == 0 && (b->nrows == 0 || b->raw.len < BATCH)) {
		nrows = b->nrows;
		n = fread(chunk, 1, sizeof chunk, c->fp);
		if (n == 0 && ferror(c->fp)) {
			fail(b, nrows, "read error: ", strerror(errno));
			break;
		}
		if (!c->sniffed && n > 0) {
			c->sniffed = 1;
			if ((why = sniff(chunk, n)) != NULL) {
				fail(b, nrows, why, "");
				break;
			}
		}
		c->bytes += n;
		if (n == 0) {
			b->end = 1;
			/* libcsv ends an open quoted cell quietly; but a
			 * file that ends in one was cut short, and its last
			 * row is not what the department wrote */
			b->cut = c->parser.pstate == LIBCSV_FIELD_BEGUN &&
			    c->parser.quoted;
			csv_fini(&c->parser, on_field, on_row, c);
		} else if (csv_parse(&c->parser, chunk, n, on_field, on_row,
		    c) != n)
			fail(b, nrows, csv_strerror(csv_error(&c->parser)), "");
		if (c->oom)
			fail(b, nrows, "out of memory", "");
	}
	b->bytes = c->bytes;
	b->enc = c->enc;
	b->decoded = 0;
	b->from = 0;
}

static void *reader(void *p)
{
	struct csvin *c = p;
	struct csv_batch *b;
	int k = 0, stop;

	do {
		b = &c->batch[k];
		pthread_mutex_lock(&c->mu);
		while (c->ready[k] && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		stop = c->stop;
		pthread_mutex_unlock(&c->mu);
		if (stop)
			break;
		read_batch(c, b);
		pthread_mutex_lock(&c->mu);
		c->ready[k] = 1;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
		k = (k + 1) % NBATCH;
	} while (b->end == 0);
	return NULL;
}

/* Let the reading side fill batch k again. */
static void release(struct csvin *c, int k)
{
	if (!c->threaded)
		return;
	pthread_mutex_lock(&c->mu);
	c->ready[k] = 0;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static int is_kept(const struct csvin *c, int k)
{
	int i;

	for (i = 0; i < c->nkept; i++)
		if (c->kept[i] == k)
			return 1;
	return 0;
}

/* The next batch of rows; the one handed out before is done with,
 * unless csvin_rows handed it out. */
static struct csv_batch *next_batch(struct csvin *c)
{
	int k = c->nbatch++ % NBATCH, prev = (k + NBATCH - 1) % NBATCH;

	if (c->cur && !is_kept(c, prev))
		release(c, prev);
	if (!c->threaded) {
		read_batch(c, &c->batch[k]);
		return &c->batch[k];
	}
	pthread_mutex_lock(&c->mu);
	while (!c->ready[k])
		pthread_cond_wait(&c->cv, &c->mu);
	pthread_mutex_unlock(&c->mu);
	return &c->batch[k];
}

struct csvin *csvin_new(FILE *fp, enum csv_enc enc)
{
	struct csvin *c = calloc(1, sizeof *c);
	struct stat sb;
	int i;

	if (c == NULL)
		return NULL;
	if (csv_init(&c->parser, CSV_REPALL_NL | CSV_APPEND_NULL) != 0) {
		free(c);
		return NULL;
	}
	c->fp = fp;
	c->enc = enc;
	for (i = 0; i < NBATCH; i++)
		c->batch[i].gb = (iconv_t)-1;
	c->line = 1;
	if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode)) {
		pthread_mutex_init(&c->mu, NULL);
		pthread_cond_init(&c->cv, NULL);
		c->threaded = pthread_create(&c->thread, NULL, reader, c) == 0;
		if (!c->threaded) {
			pthread_mutex_destroy(&c->mu);
			pthread_cond_destroy(&c->cv);
		}
	}
	return c;
}

/* Make sure the current batch has a row left: 1, 0 at the end, -1. */
static int have_rows(struct csvin *c, char *err, size_t errlen)
{
	while (c->cur == NULL || c->next == c->cur->nrows) {
		if (c->cur && c->cur->end > 0)
			return 0;
		if (c->cur && c->cur->end < 0) {
			snprintf(err, errlen, "%s", c->cur->err);
			return -1;
		}
		c->cur = next_batch(c);
		c->next = 0;
	}
	return 1;
}

int csvin_next(struct csvin *c, struct csv_row *row, char *err, size_t errlen)
{
	int r = have_rows(c, err, errlen);

	if (r > 0 && !c->cur->decoded && decode_rows(c->cur) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (r > 0)
		*row = c->cur->out[c->next++];
	return r;
}

int csvin_take(struct csvin *c, struct csv_batch **b, char *err,
    size_t errlen)
{
	int r;

	if (c->nkept == CSVIN_HOLD) {
		snprintf(err, errlen, "csvin: more than %d batches held",
		    CSVIN_HOLD);
		return -1;
	}
	if ((r = have_rows(c, err, errlen)) > 0) {
		*b = c->cur;
		c->cur->from = c->next;
		c->next = c->cur->nrows;
		c->kept[c->nkept++] = c->cur - c->batch;
	}
	return r;
}

int csvin_batch_rows(struct csv_batch *b, const struct csv_row **rows,
    size_t *n)
{
	if (!b->decoded && decode_rows(b) < 0)
		return -1;
	*rows = b->out + b->from;
	*n = b->nrows - b->from;
	return 0;
}

void csvin_release(struct csvin *c)
{
	int i;

	if (c->nkept == 0)
		return;
	release(c, c->kept[0]);
	for (i = 1; i < c->nkept; i++)
		c->kept[i - 1] = c->kept[i];
	c->nkept--;
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
	return c->cur ? c->cur->bytes : 0;
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
	int i;

	if (c == NULL)
		return;
	if (c->threaded) {
		pthread_mutex_lock(&c->mu);
		c->stop = 1;
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
		pthread_join(c->thread, NULL);
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->cv);
	}
	csv_free(&c->parser);
	for (i = 0; i < NBATCH; i++) {
		if (c->batch[i].gb != (iconv_t)-1)
			iconv_close(c->batch[i].gb);
		buf_free(&c->batch[i].raw);
		free(c->batch[i].fields);
		free(c->batch[i].rows);
		free(c->batch[i].out);
		free(c->batch[i].cell);
		free(c->batch[i].len);
		buf_free(&c->batch[i].dec);
	}
	free(c);
}
