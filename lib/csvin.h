/*
 * csvin.h — read department CSV exports as rows of UTF-8 cells.
 *
 * libcsv does the parsing; this module adds what exports need on top:
 * the encoding (a BOM means UTF-8; valid UTF-8 stays UTF-8; anything else
 * is taken as GB18030, Excel's default on Chinese Windows, and flagged as
 * a guess), and the physical line where each row starts, so that every
 * message can name file:line.  Decoding is done cell by cell after
 * parsing: the bytes CSV cares about (comma, quote, CR, LF) never occur
 * inside a GB18030 character, so one undecodable cell costs one row, not
 * the file.  Rows stream: memory stays flat whatever the file size, and
 * a large file is parsed on several threads at once (csvin_take).
 */
#ifndef REACH_CSVIN_H
#define REACH_CSVIN_H

#include <stdio.h>

#include "buf.h"

enum csv_enc { ENC_AUTO, ENC_UTF8, ENC_GB18030 };

struct csv_row {
	char **cell;		/* UTF-8, NUL-terminated */
	size_t *len;
	size_t n;
	long line;		/* physical line where the row starts */
	const char *bad;	/* why the row cannot be read, or NULL */
};

struct csvin;

/* Read from fp (not closed by csvin_free). */
struct csvin *csvin_new(FILE *fp, enum csv_enc enc);

/*
 * The next row into *row (valid until the next call).  Returns 1, 0 at
 * the end, or -1 with a message in err: a read error, or a file that is
 * not CSV text at all (an Excel workbook, UTF-16, binary).
 */
int csvin_next(struct csvin *c, struct csv_row *row, char *err, size_t errlen);

/*
 * For converting rows on several threads: the rows of a run of input
 * (some thousands), as a batch that is valid until given back by
 * csvin_release; up to CSVIN_HOLD batches may be held at once.  The
 * batch holds the rows of the current batch not yet handed out by
 * csvin_next, or the next batch's.  Returns as csvin_next.
 */
#define CSVIN_HOLD 4
struct csv_batch;
int csvin_take(struct csvin *c, struct csv_batch **b, char *err,
    size_t errlen);

/* The rows of b, parsed and decoded on the calling thread (any thread,
 * one at a time for a batch; batches side by side): *rows[0..*n).  It
 * may wait for the batches before b to be parsed.  -1 when out of
 * memory. */
int csvin_batch_rows(struct csv_batch *b, const struct csv_row **rows,
    size_t *n);

/* Give back the oldest batch csvin_take handed out. */
void csvin_release(struct csvin *c);

/* The encoding in use ("UTF-8", "GB18030"), and whether it was a guess
 * from the bytes rather than a BOM, valid UTF-8 or the caller's word. */
const char *csvin_encoding(const struct csvin *c);
int csvin_guessed(const struct csvin *c);

/* Bytes read so far, for progress. */
unsigned long long csvin_bytes(const struct csvin *c);

/* The row as CSV text again (cells re-quoted where needed), for rejects. */
int csvin_row_text(const struct csv_row *row, struct buf *out);

/* Parse a user's encoding name; -1 if unknown. */
int csvin_enc_parse(const char *name, enum csv_enc *enc);

void csvin_free(struct csvin *c);

#endif
