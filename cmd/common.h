/*
 * common.h — what every reach command shares: messages, the common
 * options, the output stream and the reject stream.
 */
#ifndef REACH_COMMON_H
#define REACH_COMMON_H

#include <argp.h>
#include <stdio.h>
#include <jv.h>

#include "ndjson.h"

/* "reach import": set by the dispatcher, prefixes every message. */
extern const char *progname;

/* Exit statuses, the same for every command. */
enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The common options (-o, --rejects, --stats, --as-of, -q). */
struct common_opts {
	const char *output;
	const char *rejects;
	int stats;
	const char *as_of;	/* "YYYY-MM-DD", NULL for today */
	int quiet;
};
extern struct common_opts copt;
extern const struct argp common_argp;

/* Parse argv with the command's argp and the common child attached. */
void parse_args(const struct argp *argp, int argc, char **argv, void *input);

/* Open -o (or stdout) and --rejects once the arguments are parsed. */
void out_open(void);
/* One record as JSON text (no newline) or as jv (consumed). */
void out_text(const char *json, size_t len);
/* Lines already ended with newlines, as they are. */
void out_lines(const char *text, size_t len);
void out_jv(jv v);
/* Flush and close; dies on a write error.  A closed pipe is success. */
void out_close(void);

/* One reject: file, line, why, and the raw text of what was read. */
void reject(const char *file, long line, const char *why, const char *raw,
    size_t rawlen);
long long rejects_count(void);

/*
 * Read the NDJSON records of path ("-" is standard input) and hand each
 * to fn, which consumes rec and may ask the reader (borrowed) for the
 * line's number and text.  An invalid line stops the reading, named as
 * file:line on stderr, unless --rejects sends it there and reading goes
 * on.  Returns 0; 1 when an invalid line stopped it; -1 when the file
 * could not be opened or read (said on stderr).
 */
int read_records(const char *path,
    void (*fn)(jv rec, const struct nd_reader *nd, void *arg), void *arg);

/* The login name for audit rows. */
const char *who_am_i(void);

/* The reference date: --as-of, else today in the county (UTC+8). */
const char *as_of_day(void);

/* Whether stdin carries input: a pipe or a file, never a terminal or
 * /dev/null (so a cron job with --db and no file reads the database). */
int stdin_has_data(void);

/* Threads to work with: one per processor, or REACH_THREADS; at most
 * most. */
int thread_count(int most);

/* Whether progress may be shown: stderr is a terminal and -q not given. */
int show_progress(void);

#endif
