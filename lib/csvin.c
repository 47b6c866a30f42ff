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

#define READ (256 * 1024)	/* bytes asked of the file at a time */
#define BATCH (256 * 1024)	/* input bytes a batch holds at least */
#define NBATCH (CSVIN_HOLD + 2)	/* held, being read, one ready */
/* libcsv's csv_parser.pstate (csv.c) */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2

struct field_ref {
	size_t off, len;
};

struct row_ref {
	size_t first, n;
	long line;
};

/*
 * A batch is a run of input cut where the reading side believes a row
 * ends, parsed later by whichever thread wants its rows first.
 */
struct csv_batch {
	struct csvin *c;

	/* cut by the reading side */
	struct buf in;
	unsigned long seq;		/* its place in the input, from 0 */
	unsigned long long bytes;	/* input read when it was cut */
	int end;			/* 1: the last one; -1: an error after it */
	char err[256];
	enum csv_enc enc;		/* of the cells: known when it was cut */

	/* parsed: cells each NUL-terminated in raw, lines counted from
	 * where the batch starts until it is settled (settle) */
	struct csv_parser parser;
	struct buf raw;
	struct field_ref *fields;
	size_t nfields, capfields;
	struct row_ref *rows;
	size_t nrows, caprows;
	long line;			/* LFs so far */
	size_t row_first;		/* first field of the row being built */
	long row_line;			/* line where that row started */
	int oom, cut, carried, parsed;

	/* decoded: cells point into raw, or into dec */
	int decoded;
	size_t from;			/* rows csvin_next handed out before */
	struct csv_row *out;
	char **cell;
	size_t *len, capout, capcell, caplen;
	struct buf dec;
	iconv_t gb;
};

/*
 * A regular file is read by a thread of its own, batches ahead of the
 * rows being handed out; other input (a pipe, a terminal) is read when
 * rows are wanted, as a read there may wait.  Either way, batches are
 * parsed where their rows are wanted: with import's workers, on every
 * core at once.
 *
 * A row's end cannot be known without parsing all that comes before
 * it, so the reading side guesses: a batch ends at a line end after an
 * even number of quotes, which is where rows end in CSV quoted as RFC
 * 4180 says.  The guess is checked.  Batches are settled in input
 * order, and a batch parsed before the one ahead of it was settled is
 * parsed again if that one ended inside a row (a line end in a quoted
 * cell, a quote libcsv read as text), going on from where it stopped.
 */
struct csvin {
	/* the reading side */
	FILE *fp;
	int sniffed;
	unsigned long long bytes;
	unsigned long nread;		/* batches cut */
	struct buf rest;		/* read past the last cut */
	enum csv_enc enc;		/* decided by the first non-ASCII text */
	int guessed;

	/* batches: cut in turn, handed out and settled in the same order */
	struct csv_batch batch[NBATCH];
	int threaded, stop, ready[NBATCH];	/* cut, not yet done with */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cut, freed, done;	/* what each waits for */

	/* settling: the batches before number `settled` are parsed for good */
	unsigned long settled;
	long line;			/* where batch `settled` starts */
	int open;			/* the one before ended inside a row: */
	struct csv_parser carry;	/* its parser, */
	struct buf carry_raw;		/* the cells of that row so far */
	struct field_ref *carry_f;
	size_t ncarry, capcarry;

	/* the rows handed out */
	struct csv_batch *cur;
	size_t next;
	int taken;			/* cur was handed out by csvin_take */
	unsigned long nbatch;
	int kept[NBATCH], nkept;	/* by csvin_take, oldest first */
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

/* ---- the reading side ---------------------------------------------- */

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

/* Whether s[0..n) holds an odd number of quotes. */
static int odd_quotes(const char *s, size_t n)
{
	uint64_t w, acc = 0;
	size_t i = 0;
	int odd = 0;

	/* each byte of acc keeps the parity of the quotes in its lane */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc ^= txt_bytes_mark(w, '"');
	}
	for (; i < n; i++)
		odd ^= s[i] == '"';
	return odd ^ __builtin_parityll(acc);
}

static int is_line_end(char ch)
{
	return ch == '\n' || ch == '\r';
}

/*
 * Where to cut s[0..n), which starts where a row does: after its last
 * line end that follows an even number of quotes, else after its last
 * line end (a quote read as text: the parse will tell).  0 when there
 * is no line end after s[from].
 */
static size_t find_cut(const char *s, size_t from, size_t n)
{
	size_t i = n, last;
	int odd;

	while (i > from && !is_line_end(s[i - 1]))
		i--;
	if (i == from)
		return 0;
	if (!(odd = odd_quotes(s, i)))
		return i;
	for (last = i; i > 1; i--) {
		odd ^= s[i - 1] == '"';
		if (!odd && is_line_end(s[i - 2]))
			return i - 1;
	}
	return last;
}

/* The encoding: a BOM says UTF-8 and is no text; else the first piece
 * of text with a byte above 0x7F decides (the pieces between commas,
 * quotes and line ends, bytes that no GB18030 character holds). */
static void sense_encoding(struct csvin *c, struct csv_batch *b)
{
	const char *s = b->in.data;
	size_t n = b->in.len, i, a, z;

	if (b->seq == 0 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		memmove(b->in.data, s + 3, n -= 3);
		b->in.len = n;
		if (c->enc == ENC_AUTO)
			c->enc = ENC_UTF8;
	}
	if (c->enc != ENC_AUTO)
		return;
	if ((i = txt_ascii_len(s, n)) == n)
		return;
	for (a = i; a > 0 && !strchr(",\"\r\n", s[a - 1]); a--)
		;
	for (z = i; z < n && !strchr(",\"\r\n", s[z]); z++)
		;
	c->enc = txt_valid_utf8(s + a, z - a) ? ENC_UTF8 : ENC_GB18030;
	c->guessed = c->enc == ENC_GB18030;
}

static void fail(struct csv_batch *b, const char *why, const char *what)
{
	b->end = -1;
	snprintf(b->err, sizeof b->err, "%s%s", why, what);
}

/* Read into b until it holds whole rows of at least BATCH bytes, or the
 * input ends; what is read past the cut waits in c->rest. */
static void read_batch(struct csvin *c, struct csv_batch *b)
{
	size_t n, cut = 0, searched = 0;
	const char *why;

	buf_reset(&b->in);
	b->end = 0;
	b->seq = c->nread++;
	if (c->rest.len > 0 && buf_add(&b->in, c->rest.data, c->rest.len) < 0)
		fail(b, "out of memory", "");
	buf_reset(&c->rest);
	while (b->end == 0) {
		if (b->in.len >= BATCH) {
			if ((cut = find_cut(b->in.data, searched,
			    b->in.len)) > 0)
				break;
			searched = b->in.len;	/* no line end up to here */
		}
		if (buf_grow(&b->in, READ) < 0) {
			fail(b, "out of memory", "");
			break;
		}
		n = fread(b->in.data + b->in.len, 1, READ, c->fp);
		if (n == 0 && ferror(c->fp)) {
			/* the rows read before are still read */
			fail(b, "read error: ", strerror(errno));
			cut = find_cut(b->in.data, 0, b->in.len);
			break;
		}
		if (!c->sniffed && n > 0) {
			c->sniffed = 1;
			if ((why = sniff((unsigned char *)b->in.data + b->in.len,
			    n)) != NULL) {
				fail(b, why, "");
				break;
			}
		}
		c->bytes += n;
		b->in.len += n;
		if (n == 0) {
			b->end = 1;
			cut = b->in.len;
		}
	}
	if (b->end >= 0 && buf_add(&c->rest, b->in.data + cut,
	    b->in.len - cut) < 0)
		fail(b, "out of memory", "");
	b->in.len = cut;
	sense_encoding(c, b);
	b->bytes = c->bytes;
	b->enc = c->enc;
	b->parsed = b->decoded = 0;
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
			pthread_cond_wait(&c->freed, &c->mu);
		stop = c->stop;
		pthread_mutex_unlock(&c->mu);
		if (stop)
			break;
		read_batch(c, b);
		pthread_mutex_lock(&c->mu);
		c->ready[k] = 1;
		pthread_cond_broadcast(&c->cut);
		pthread_mutex_unlock(&c->mu);
		k = (k + 1) % NBATCH;
	} while (b->end == 0);
	return NULL;
}

/* ---- parsing ---------------------------------------------------------- */

/* Each cell is kept NUL-terminated, so that a cell that needs no
 * decoding can be handed out from where it is. */
static void on_field(void *data, size_t n, void *p)
{
	struct csv_batch *b = p;
	struct field_ref *f;

	if (grow((void **)&b->fields, &b->capfields, b->nfields + 1,
	    sizeof *b->fields) < 0 || buf_grow(&b->raw, n + 1) < 0) {
		b->oom = 1;
		return;
	}
	if (b->nfields == b->row_first)
		b->row_line = b->line;
	f = &b->fields[b->nfields++];
	f->off = b->raw.len;
	f->len = n;
	memcpy(b->raw.data + b->raw.len, data ? data : "", n);
	b->raw.len += n;
	b->raw.data[b->raw.len++] = '\0';
}

static void on_row(int term, void *p)
{
	struct csv_batch *b = p;
	struct row_ref *r;

	if (b->nfields > b->row_first) {
		const char *nl, *end = b->raw.data + b->raw.len;

		if (grow((void **)&b->rows, &b->caprows, b->nrows + 1,
		    sizeof *b->rows) < 0) {
			b->oom = 1;
			return;
		}
		r = &b->rows[b->nrows++];
		r->first = b->row_first;
		r->n = b->nfields - b->row_first;
		r->line = b->row_line;
		/* the LFs of quoted cells, which may span lines; looked
		 * for once for the row's cells, which lie one after another */
		for (nl = b->raw.data + b->fields[r->first].off;
		    (nl = memchr(nl, '\n', end - nl)) != NULL; nl++)
			b->line++;
		b->row_first = b->nfields;
	}
	/* With CSV_REPALL_NL every unquoted LF reaches here, also the LF of
	 * a CRLF and the LFs of blank lines: counting them counts lines. */
	if (term == '\n')
		b->line++;
}

static void start_rows(struct csv_batch *b)
{
	buf_reset(&b->raw);
	b->nfields = b->nrows = b->row_first = 0;
	b->line = b->row_line = 0;
	b->oom = b->cut = b->carried = 0;
}

/* Parse b->in with the parser as it stands. */
static void parse_in(struct csv_batch *b)
{
	if (b->in.len > 0 && csv_parse(&b->parser, b->in.data, b->in.len,
	    on_field, on_row, b) != b->in.len)
		b->oom = 1;
	if (b->end > 0) {
		/* libcsv ends an open quoted cell quietly; but a file
		 * that ends in one was cut short, and its last row is not
		 * what the department wrote */
		b->cut = b->parser.pstate == LIBCSV_FIELD_BEGUN &&
		    b->parser.quoted;
		csv_fini(&b->parser, on_field, on_row, b);
	}
}

/* Parse b as if a row began where it does. */
static void parse_fresh(struct csv_batch *b)
{
	start_rows(b);
	csv_fini(&b->parser, NULL, NULL, NULL);	/* forget the last one */
	parse_in(b);
}

/* Parse b going on from the row the batch before it ended inside, which
 * started where b's lines are counted from. */
static void parse_on(struct csvin *c, struct csv_batch *b)
{
	struct csv_parser p;
	size_t i;

	start_rows(b);
	b->carried = 1;
	if (grow((void **)&b->fields, &b->capfields, c->ncarry + 1,
	    sizeof *b->fields) < 0 || (c->ncarry > 0 &&
	    buf_add(&b->raw, c->carry_raw.data, c->carry_raw.len) < 0)) {
		b->oom = 1;
		return;
	}
	for (i = 0; i < c->ncarry; i++)
		b->fields[i] = c->carry_f[i];
	b->nfields = c->ncarry;
	p = b->parser, b->parser = c->carry, c->carry = p;
	parse_in(b);
}

/* Keep the cells of the row b ended inside, and its parser, for the
 * batch after it. */
static int carry_row(struct csvin *c, struct csv_batch *b)
{
	size_t k = b->nfields - b->row_first, i, base;
	struct csv_parser p;

	buf_reset(&c->carry_raw);
	c->ncarry = 0;
	if (k > 0) {
		base = b->fields[b->row_first].off;
		if (grow((void **)&c->carry_f, &c->capcarry, k,
		    sizeof *c->carry_f) < 0 || buf_add(&c->carry_raw,
		    b->raw.data + base, b->raw.len - base) < 0)
			return -1;
		for (i = 0; i < k; i++) {
			c->carry_f[i] = b->fields[b->row_first + i];
			c->carry_f[i].off -= base;
		}
		c->ncarry = k;
	}
	p = b->parser, b->parser = c->carry, c->carry = p;
	return 0;
}

/* b is parsed for good: its lines become the input's, and the batch
 * after it may be settled. */
static void settle(struct csvin *c, struct csv_batch *b)
{
	int open = b->end == 0 && !b->oom &&
	    b->parser.pstate != LIBCSV_ROW_NOT_BEGUN;
	size_t i;

	for (i = 0; i < b->nrows; i++)
		b->rows[i].line += c->line;
	if (open && carry_row(c, b) < 0)
		b->oom = 1;
	pthread_mutex_lock(&c->mu);
	c->open = open;
	c->line += b->line;
	c->settled++;
	b->parsed = 1;
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->mu);
}

/*
 * Parse b.  If the batches before it are not all settled yet, it is
 * parsed at once as the reading side cut it, and again only if that
 * turns out wrong: that is what lets batches be parsed side by side.
 */
static void parse_batch(struct csvin *c, struct csv_batch *b)
{
	int ahead;

	pthread_mutex_lock(&c->mu);
	ahead = c->settled != b->seq;
	pthread_mutex_unlock(&c->mu);
	if (ahead)
		parse_fresh(b);
	pthread_mutex_lock(&c->mu);
	while (c->settled != b->seq)
		pthread_cond_wait(&c->done, &c->mu);
	pthread_mutex_unlock(&c->mu);
	if (c->open)
		parse_on(c, b);
	else if (!ahead)
		parse_fresh(b);
	settle(c, b);
}

/* ---- decoding --------------------------------------------------------- */

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
	uint64_t w, marks = 0;
	size_t i = 0, nul = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		marks += txt_bytes_mark(w, '\0') >> 7;
		if (i % (8 * 255) == 8 * 254) {	/* before a byte of it overflows */
			nul += (marks * TXT_ONES) >> 56;
			marks = 0;
		}
	}
	nul += (marks * TXT_ONES) >> 56;
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
	int clean, all_clean;

	/* room for every cell as GB18030 turned UTF-8 (at most twice as
	 * long), so that the cells decoded into b->dec stay put; no other
	 * cell is written there */
	for (i = 0; b->enc == ENC_GB18030 && i < b->nfields; i++)
		need += b->fields[i].len * 2 + 5;
	buf_reset(&b->dec);
	if (grow((void **)&b->out, &b->capout, b->nrows, sizeof *b->out) < 0 ||
	    grow((void **)&b->cell, &b->capcell, b->nfields,
	    sizeof *b->cell) < 0 ||
	    grow((void **)&b->len, &b->caplen, b->nfields, sizeof *b->len) < 0 ||
	    buf_grow(&b->dec, need) < 0)
		return -1;
	/* input without NUL that is valid UTF-8 has only such cells; but
	 * a row carried from the batch before began in that one's input */
	all_clean = b->enc != ENC_GB18030 && b->in.len > 0 &&
	    memchr(b->in.data, '\0', b->in.len) == NULL &&
	    txt_valid_utf8(b->in.data, b->in.len);
	for (i = 0; i < b->nrows; i++) {
		o = &b->out[i];
		o->cell = b->cell + b->rows[i].first;
		o->len = b->len + b->rows[i].first;
		o->n = b->rows[i].n;
		o->line = b->rows[i].line;
		o->bad = NULL;
		f = &b->fields[b->rows[i].first];
		clean = b->enc != ENC_GB18030 &&
		    ((all_clean && !(i == 0 && b->carried)) ||
		    row_clean(b->raw.data + f->off, f[o->n - 1].off +
		    f[o->n - 1].len + 1 - f->off, o->n));
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

/* Parse and decode b, once: 0, or -1 when out of memory. */
static int rows_of(struct csvin *c, struct csv_batch *b)
{
	if (!b->parsed)
		parse_batch(c, b);
	if (b->oom)
		return -1;
	return b->decoded || decode_rows(b) == 0 ? 0 : -1;
}

/* ---- handing out ------------------------------------------------------ */

/* Let the reading side fill batch k again. */
static void release(struct csvin *c, int k)
{
	if (!c->threaded)
		return;
	pthread_mutex_lock(&c->mu);
	c->ready[k] = 0;
	pthread_cond_broadcast(&c->freed);
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

/* The next batch; the one handed out before is done with, unless
 * csvin_take handed it out. */
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
		pthread_cond_wait(&c->cut, &c->mu);
	pthread_mutex_unlock(&c->mu);
	return &c->batch[k];
}

struct csvin *csvin_new(FILE *fp, enum csv_enc enc)
{
	struct csvin *c = calloc(1, sizeof *c);
	struct stat sb;
	int i, bad = 0;

	if (c == NULL)
		return NULL;
	for (i = 0; i < NBATCH; i++) {
		c->batch[i].c = c;
		c->batch[i].gb = (iconv_t)-1;
		bad |= csv_init(&c->batch[i].parser,
		    CSV_REPALL_NL | CSV_APPEND_NULL);
	}
	bad |= csv_init(&c->carry, CSV_REPALL_NL | CSV_APPEND_NULL);
	c->fp = fp;
	c->enc = enc;
	c->line = 1;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cut, NULL);
	pthread_cond_init(&c->freed, NULL);
	pthread_cond_init(&c->done, NULL);
	if (bad) {
		csvin_free(c);
		return NULL;
	}
	if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode))
		c->threaded = pthread_create(&c->thread, NULL, reader, c) == 0;
	return c;
}

/* Whether the current batch has no rows left to hand out. */
static int cur_done(const struct csvin *c)
{
	return c->cur == NULL || c->taken || c->next == c->cur->nrows;
}

/* Move on to the next batch: 1, or 0 at the end, -1 after an error. */
static int advance(struct csvin *c, char *err, size_t errlen)
{
	if (c->cur && c->cur->end > 0)
		return 0;
	if (c->cur && c->cur->end < 0) {
		snprintf(err, errlen, "%s", c->cur->err);
		return -1;
	}
	c->cur = next_batch(c);
	c->next = 0;
	c->taken = 0;
	return 1;
}

int csvin_next(struct csvin *c, struct csv_row *row, char *err, size_t errlen)
{
	int r;

	while (cur_done(c)) {
		if ((r = advance(c, err, errlen)) <= 0)
			return r;
		if (rows_of(c, c->cur) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	*row = c->cur->out[c->next++];
	return 1;
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
	if (cur_done(c) && (r = advance(c, err, errlen)) <= 0)
		return r;
	*b = c->cur;
	c->cur->from = c->next;
	c->taken = 1;
	c->kept[c->nkept++] = c->cur - c->batch;
	return 1;
}

int csvin_batch_rows(struct csv_batch *b, const struct csv_row **rows,
    size_t *n)
{
	if (rows_of(b->c, b) < 0)
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
	struct csv_batch *b;

	if (c == NULL)
		return;
	if (c->threaded) {
		pthread_mutex_lock(&c->mu);
		c->stop = 1;
		pthread_cond_broadcast(&c->freed);
		pthread_mutex_unlock(&c->mu);
		pthread_join(c->thread, NULL);
	}
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cut);
	pthread_cond_destroy(&c->freed);
	pthread_cond_destroy(&c->done);
	for (b = c->batch; b < c->batch + NBATCH; b++) {
		if (b->gb != (iconv_t)-1)
			iconv_close(b->gb);
		csv_free(&b->parser);
		buf_free(&b->in);
		buf_free(&b->raw);
		free(b->fields);
		free(b->rows);
		free(b->out);
		free(b->cell);
		free(b->len);
		buf_free(&b->dec);
	}
	csv_free(&c->carry);
	buf_free(&c->carry_raw);
	free(c->carry_f);
	buf_free(&c->rest);
	free(c);
}
