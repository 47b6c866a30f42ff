/*
 * ndjson.h — the record stream: one JSON object per line, on jq's jv.
 *
 * The reader parses line by line so that it always knows file and line
 * of a record, and one bad line costs one record, not the stream.
 * Ownership follows jv: nd_write consumes its value; nd_next hands the
 * caller a value it owns.
 */
#ifndef REACH_NDJSON_H
#define REACH_NDJSON_H

#include <stdio.h>
#include <jv.h>

#include "buf.h"

struct nd_reader;

/* Read from fp (not closed by nd_free); name is used in messages. */
struct nd_reader *nd_open(FILE *fp, const char *name);

enum nd_status { ND_EOF = 0, ND_OK = 1, ND_BAD = -1, ND_IOERR = -2 };

/*
 * The next record into *out.  ND_BAD: the line is no JSON object; err
 * gets "name:line: invalid JSON: …" and nd_raw the line, and reading may
 * go on.  ND_IOERR: err says why, and the stream is over.
 */
enum nd_status nd_next(struct nd_reader *r, jv *out, char *err, size_t errlen);

/* Line number and text (without the newline, or a first line's BOM) of
 * the last line read. */
long nd_line(const struct nd_reader *r);
const char *nd_raw(const struct nd_reader *r, size_t *len);
const char *nd_name(const struct nd_reader *r);

void nd_free(struct nd_reader *r);

/*
 * Append v (borrowed) to b as jv_dump_string(v, 0) writes it, byte for
 * byte, several times faster: libjq 1.6 appends each ASCII character of
 * a string on its own.  Returns 0, or -1 when out of memory.
 */
int nd_dump(struct buf *b, jv v);

/* Write v (consumed) and a newline.  Returns 0, or -1 with errno set
 * when the stream failed (EPIPE when the reader went away). */
int nd_write(FILE *fp, jv v);

#endif
