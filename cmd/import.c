/*
 * import.c — reach import: department CSV files into records.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <xxhash.h>

#include "common.h"
#include "csvin.h"
#include "db.h"
#include "conveyor.h"
#include "norm.h"
#include "profile.h"
#include "rowconv.h"

#define HEADER_SEARCH 20	/* rows looked at for the header */
#define IMPORT_THREADS 8	/* beyond that, reading is all the time */

struct import {
	const char *profile;	/* name, file or "auto" */
	const char *dbpath;
	enum csv_enc enc;
	const char **maps;
	size_t nmaps;
	char since[11];		/* --since: "YYYY-MM-DD", or "" */
	char **files;
	size_t nfiles;
	int list;

	struct profile **cand;	/* the profiles a header may match */
	size_t ncand;
	sqlite3 *db;
	XXH3_state_t *hash;
	long long rows, written, warned, skipped, old, stored, db_new, bad_files;
};

static const char doc[] =
    "Read department CSV exports (UTF-8, UTF-8 with BOM or GB18030) and "
    "write one NDJSON record per data row.  Columns are found by their "
    "headers through a profile; --profile auto (the default) recognises "
    "the built-in sources by their headers.\v"
    "Exit status: 0 when every row became a record, 1 when a row was "
    "rejected or a file could not be read, 2 on a usage or database "
    "error.  See reach-import(1) and reach-profile(5).";

enum { OPT_MAP = 0x200, OPT_LIST, OPT_SINCE };

static const struct argp_option options[] = {
	{ "profile", 'p', "NAME|FILE", 0,
	  "columns to read: a built-in profile, a profile file, or auto", 0 },
	{ "db", 'd', "FILE", 0, "also load the records into this database", 0 },
	{ "encoding", 'e', "ENC", 0, "utf-8, gb18030 or auto (default)", 0 },
	{ "map", OPT_MAP, "列名=FIELD[:TYPE]", 0,
	  "read one more column, e.g. '房屋面积=extra.area:int'", 0 },
	{ "since", OPT_SINCE, "DATE", 0,
	  "only rows whose own date (discharge, registration, call, visit...) "
	  "is on or after DATE; rows without one are kept", 0 },
	{ "list-profiles", OPT_LIST, NULL, 0, "list the built-in profiles", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct import *im = state->input;

	switch (key) {
	case 'p':
		im->profile = arg;
		break;
	case 'd':
		im->dbpath = arg;
		break;
	case 'e':
		if (csvin_enc_parse(arg, &im->enc) < 0)
			argp_error(state, "unknown encoding '%s'", arg);
		break;
	case OPT_MAP:
		im->maps = realloc(im->maps, (im->nmaps + 1) * sizeof *im->maps);
		im->maps[im->nmaps++] = arg;
		break;
	case OPT_LIST:
		im->list = 1;
		break;
	case OPT_SINCE: {
		const char *why = NULL;

		if (norm_date(arg, strlen(arg), im->since, &why) != NORM_OK)
			argp_error(state, "--since '%s': expected YYYY-MM-DD%s%s",
			    arg, why ? ": " : "", why ? why : "");
		break;
	}
	case ARGP_KEY_ARGS:
		im->files = state->argv + state->next;
		im->nfiles = state->argc - state->next;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse, "[FILE...]", doc,
    NULL, NULL, NULL };

static struct profile *load_profile(const char *name)
{
	struct profile *p;
	char err[512];
	FILE *fp;
	char *text = NULL;
	size_t len = 0;

	if (strchr(name, '/') == NULL && strstr(name, ".profile") == NULL) {
		if ((p = profile_builtin(name, err, sizeof err)) == NULL)
			die("%s; see 'reach import --list-profiles'", err);
		return p;
	}
	if ((fp = fopen(name, "r")) == NULL)
		die("cannot open '%s': %s", name, strerror(errno));
	if (getdelim(&text, &len, '\0', fp) < 0 && ferror(fp))
		die("cannot read '%s': %s", name, strerror(errno));
	fclose(fp);
	p = profile_parse(text ? text : "", text ? strlen(text) : 0, name, err,
	    sizeof err);
	free(text);
	if (p == NULL)
		die("%s", err);
	return p;
}

static void add_candidate(struct import *im, struct profile *p)
{
	char err[512];
	size_t i;

	for (i = 0; i < im->nmaps; i++)
		if (profile_add_map(p, im->maps[i], err, sizeof err) < 0)
			die("%s", err);
	im->cand = realloc(im->cand, (im->ncand + 1) * sizeof *im->cand);
	im->cand[im->ncand++] = p;
}

static void load_profiles(struct import *im)
{
	const char *const *names;

	if (im->profile && strcmp(im->profile, "auto") != 0) {
		add_candidate(im, load_profile(im->profile));
		return;
	}
	/* person last: it fits any list of people, so it only wins alone */
	for (names = profile_builtin_names(); *names; names++)
		if (strcmp(*names, "person") != 0)
			add_candidate(im, load_profile(*names));
	add_candidate(im, load_profile("person"));
}

/*
 * Whether row is a header for one of the candidate profiles: the best
 * fit wins: most columns known, less two for each required one missing.
 * Returns the profile, with colmap filled, or NULL.
 */
static struct profile *match_header(struct import *im,
    const struct csv_row *row, int *colmap, const char **missing)
{
	char **cells = calloc(row->n + 1, sizeof *cells);
	int *map = calloc(row->n + 1, sizeof *map);
	int best = -1, best_score = 0, n, nmiss, score;
	size_t i;
	const char *miss;

	for (i = 0; i < row->n; i++) {
		cells[i] = malloc(row->len[i] + 1);
		header_fold(row->cell[i], row->len[i], cells[i], row->len[i] + 1);
	}
	for (i = 0; i < im->ncand; i++) {
		n = profile_match(im->cand[i], cells, row->n, map, &miss, &nmiss);
		if (n < 2 && !(n == 1 && im->cand[i]->ncols == 1))
			continue;
		/* A department's export that lost one required column is
		 * still that export; a list sharing a few headers is not. */
		score = n - 2 * nmiss;
		if (best < 0 || score > best_score) {
			best = i, best_score = score;
			*missing = miss;
			memcpy(colmap, map, row->n * sizeof *map);
		}
	}
	for (i = 0; i < row->n; i++)
		free(cells[i]);
	free(cells);
	free(map);
	return best < 0 ? NULL : im->cand[best];
}

struct progress {
	struct timespec start, last;
	off_t size;
};

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - t->tv_sec + (now.tv_nsec - t->tv_nsec) / 1e9;
}

static void progress(struct progress *pg, const char *path, long long rows,
    unsigned long long bytes, int done)
{
	double t = since(&pg->start), mb = bytes / 1e6;

	if (!done && since(&pg->last) < 0.5)
		return;
	clock_gettime(CLOCK_MONOTONIC, &pg->last);
	fprintf(stderr, "\r%s: %s: %lld rows, %.1f MB/s", progname, path, rows,
	    t > 0 ? mb / t : 0);
	if (!done && pg->size > 0 && bytes > 0)
		fprintf(stderr, ", ETA %.0fs ",
		    t * ((double)pg->size / bytes - 1));
	fputs(done ? "\n" : "   ", stderr);
}

/* Rows before the header: a title, blank lines.  Returns the profile
 * and fills colmap, or NULL when no header was found. */
static struct profile *find_header(struct import *im, struct csvin *in,
    const char *path, struct csv_row *row, int **colmap)
{
	struct profile *p;
	const char *missing;
	char err[512];
	int i, r;

	for (i = 0; i < HEADER_SEARCH; i++) {
		if ((r = csvin_next(in, row, err, sizeof err)) <= 0) {
			if (r < 0)
				error("%s: %s", path, err);
			else if (i == 0)
				error("%s: no data: the file is empty", path);
			else
				break;
			return NULL;
		}
		if (row->bad)
			continue;
		*colmap = realloc(*colmap, (row->n + 1) * sizeof **colmap);
		if ((p = match_header(im, row, *colmap, &missing)) != NULL) {
			if (missing)
				note("%s:%ld: no column '%s': its rows will "
				    "carry a warning", path, row->line, missing);
			return p;
		}
	}
	error("%s: no header row in the first %d rows: expected columns such "
	    "as 姓名, 身份证号码 (see 'reach import --list-profiles')", path,
	    HEADER_SEARCH);
	return NULL;
}

/* A row that cannot become a record; returns the reason or NULL. */
static const char *unreadable(const struct csv_row *row, size_t width,
    char *why, size_t len)
{
	size_t n = row->n;

	if (row->bad)
		return row->bad;
	/* Excel pads short rows with empty cells beyond the header */
	while (n > width && row->len[n - 1] == 0)
		n--;
	if (n != width) {
		snprintf(why, len, "expected %zu fields, found %zu", width, n);
		return why;
	}
	return NULL;
}

/*
 * Batches of rows are parsed and converted on every core (conveyor.h),
 * each by a worker with a converter of its own, into its own text; what
 * becomes of each row is noted in its outcome.  The batches then come
 * back in their order, and their rows are counted, written and stored.
 */
enum fate { ROW_SKIP, ROW_REJECT, ROW_OLD, ROW_WARNED, ROW_CLEAN };

struct outcome {
	unsigned char fate;
	char why[64];		/* ROW_REJECT */
	char id[19];		/* the record's valid ID, or "" */
	size_t off, len;	/* the record in the batch's text */
};

struct batch {
	struct csv_batch *in;
	const struct csv_row *rows;
	size_t n;
	struct outcome *out;
	size_t cap;
	struct buf text;	/* the records, each with its newline */
	int oom;
};

struct converting {
	const char *since;	/* --since, or "" */
	size_t width;		/* cells in the header */
	struct conv **cv;	/* one per worker */
	struct batch job[CSVIN_HOLD];
};

static void convert_one(struct converting *cg, struct conv *cv,
    struct batch *b, const struct csv_row *row, struct outcome *o)
{
	const char *why;
	char day[11];
	int w;

	if (conv_is_blank(row) || conv_is_total(row)) {
		o->fate = ROW_SKIP;
		return;
	}
	if ((why = unreadable(row, cg->width, o->why, sizeof o->why))) {
		o->fate = ROW_REJECT;
		if (why != o->why)
			snprintf(o->why, sizeof o->why, "%s", why);
		return;
	}
	o->off = b->text.len;
	if ((w = conv_row(cv, row, &b->text)) < 0 ||
	    buf_addc(&b->text, '\n') < 0) {
		b->oom = 1;
		return;
	}
	o->len = b->text.len - o->off - 1;
	memcpy(o->id, conv_id(cv), sizeof o->id);
	/* --since: a row dated before it was read last time */
	if (cg->since[0] && conv_date(cv, day) && strcmp(day, cg->since) < 0)
		o->fate = ROW_OLD;
	else
		o->fate = w > 0 ? ROW_WARNED : ROW_CLEAN;
}

static void convert_batch(void *ctx, int worker, void *item)
{
	struct converting *cg = ctx;
	struct batch *b = item;
	size_t i;

	buf_reset(&b->text);
	if (csvin_batch_rows(b->in, &b->rows, &b->n) < 0) {
		b->oom = 1;
		return;
	}
	if (b->n > b->cap) {
		free(b->out);
		b->cap = b->n;
		if ((b->out = malloc(b->cap * sizeof *b->out)) == NULL) {
			b->cap = 0;
			b->oom = 1;
			return;
		}
	}
	for (i = 0; i < b->n && !b->oom; i++)
		convert_one(cg, cg->cv[worker], b, &b->rows[i], &b->out[i]);
}

/* The row's identity for the database: its source and its cells, so
 * that the same row imported again, from any file, adds nothing. */
static void hash_row(XXH3_state_t *st, const char *src,
    const struct csv_row *row, unsigned char out[16])
{
	XXH128_hash_t h;
	XXH128_canonical_t c;
	size_t i;

	XXH3_128bits_reset(st);
	XXH3_128bits_update(st, src, strlen(src) + 1);
	for (i = 0; i < row->n; i++) {
		XXH3_128bits_update(st, row->cell[i], row->len[i]);
		XXH3_128bits_update(st, "\x1f", 1);
	}
	h = XXH3_128bits_digest(st);
	XXH128_canonicalFromHash(&c, h);
	memcpy(out, c.digest, 16);
}

/* Count, write and store the rows of a converted batch, in order.  The
 * records that follow each other in the text go out in one write: a
 * large one, which stdio passes on without copying. */
static void finish_batch(struct import *im, const struct batch *b,
    const char *path, const char *src, struct db_loader *l)
{
	const struct outcome *o;
	unsigned char hash[16];
	char err[512];
	struct buf raw = BUF_INIT;
	size_t i, run = 0, end = 0;

	for (i = 0; i < b->n; i++) {
		o = &b->out[i];
		im->rows++;
		if (o->fate == ROW_SKIP || o->fate == ROW_OLD) {
			im->skipped++;
			im->old += o->fate == ROW_OLD;
			continue;
		}
		if (o->fate == ROW_REJECT) {
			csvin_row_text(&b->rows[i], &raw);
			reject(path, b->rows[i].line, o->why,
			    raw.data ? raw.data : "", raw.len);
			continue;
		}
		im->warned += o->fate == ROW_WARNED;
		im->written++;
		if (o->off != end) {
			out_lines(b->text.data + run, end - run);
			run = o->off;
		}
		end = o->off + o->len + 1;
		if (l) {
			hash_row(im->hash, src, &b->rows[i], hash);
			if (db_loader_add(l, hash, b->rows[i].line, o->id,
			    b->text.data + o->off, o->len, err, sizeof err) < 0)
				die("%s: %s", im->dbpath, err);
			im->stored++;
		}
	}
	out_lines(b->text.data + run, end - run);
	buf_free(&raw);
}

static struct conveyor *start_converting(struct converting *cg,
    struct profile *p, const struct csv_row *header, const int *colmap,
    const char *path)
{
	struct conveyor *cy = conveyor_new(thread_count(IMPORT_THREADS),
	    CSVIN_HOLD, convert_batch, cg);
	int k;

	if (cy == NULL || (cg->cv = calloc(conveyor_workers(cy),
	    sizeof *cg->cv)) == NULL)
		die("out of memory");
	for (k = 0; k < conveyor_workers(cy); k++)
		if ((cg->cv[k] = conv_new(p, header, colmap, path,
		    copt.as_of)) == NULL)
			die("out of memory");
	return cy;
}

static void stop_converting(struct conveyor *cy, struct converting *cg)
{
	int k;

	for (k = 0; k < conveyor_workers(cy); k++)
		conv_free(cg->cv[k]);
	conveyor_free(cy);
	free(cg->cv);
	for (k = 0; k < CSVIN_HOLD; k++) {
		free(cg->job[k].out);
		buf_free(&cg->job[k].text);
	}
}

/* Write the oldest batch converted, and give its rows back. */
static void finish_oldest(struct import *im, struct conveyor *cy,
    struct csvin *in, const char *path, const char *src,
    struct db_loader *l)
{
	struct batch *b = conveyor_get(cy);

	if (b->oom)
		die("out of memory");
	finish_batch(im, b, path, src, l);
	csvin_release(in);
}

static int import_rows(struct import *im, struct csvin *in, const char *path,
    struct profile *p, const struct csv_row *header, const int *colmap,
    struct db_loader *l)
{
	struct converting cg = { .since = im->since, .width = header->n };
	struct conveyor *cy = start_converting(&cg, p, header, colmap, path);
	struct progress pg = { .size = 0 };
	struct stat sb;
	struct batch *b;
	char err[512];
	int r, tty = show_progress();
	size_t k = 0;
	long long first = im->rows;

	clock_gettime(CLOCK_MONOTONIC, &pg.start);
	pg.last = pg.start;
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
		pg.size = sb.st_size;
	for (;;) {
		if (conveyor_queued(cy) == CSVIN_HOLD)
			finish_oldest(im, cy, in, path, p->source, l);
		b = &cg.job[k++ % CSVIN_HOLD];
		if ((r = csvin_take(in, &b->in, err, sizeof err)) <= 0)
			break;
		conveyor_put(cy, b);
		if (tty)
			progress(&pg, path, im->rows - first, csvin_bytes(in), 0);
	}
	while (conveyor_queued(cy) > 0)
		finish_oldest(im, cy, in, path, p->source, l);
	if (tty && im->rows - first > 0x3FFF)
		progress(&pg, path, im->rows - first, csvin_bytes(in), 1);
	if (r < 0)
		error("%s: %s", path, err);
	stop_converting(cy, &cg);
	return r < 0 ? -1 : 0;
}

/* One file, in one transaction when loading a database: a run killed
 * in the middle leaves the database as it was before this file. */
static int import_file(struct import *im, const char *path)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct db_loader *l = NULL;
	struct csvin *in;
	struct csv_row header;
	struct profile *p;
	int *colmap = NULL, rc = -1;
	long long before = im->rows, added = 0;
	char err[512];

	if (fp == NULL)
		return error("cannot open '%s': %s", path, strerror(errno));
	if ((in = csvin_new(fp, im->enc)) == NULL)
		die("out of memory");
	if ((p = find_header(im, in, path, &header, &colmap)) == NULL)
		goto done;
	if (im->db && (db_begin(im->db, err, sizeof err) < 0 ||
	    (l = db_loader_new(im->db, path, p->source, err, sizeof err)) ==
	    NULL))
		die("%s: %s", im->dbpath, err);
	rc = import_rows(im, in, path, p, &header, colmap, l);
	if (csvin_guessed(in))
		note("%s: not UTF-8; read as GB18030 (use --encoding to say)",
		    path);
	if (l && (db_loader_finish(l, im->rows - before, &added, err,
	    sizeof err) < 0 || db_commit(im->db, err, sizeof err) < 0))
		die("%s: %s", im->dbpath, err);
	im->db_new += added;
done:
	db_loader_free(l);
	csvin_free(in);
	free(colmap);
	if (fp != stdin)
		fclose(fp);
	/* each file's threads free into arenas of their own: give that
	 * memory back, so that many files cost no more than the largest */
	malloc_trim(0);
	return rc;
}

static void list_profiles(void)
{
	const char *const *n;
	struct profile *p;
	char err[256];

	for (n = profile_builtin_names(); *n; n++) {
		if ((p = profile_builtin(*n, err, sizeof err)) == NULL)
			die("%s", err);
		printf("%-13s %s\n", *n, p->label ? p->label : "");
		profile_free(p);
	}
}

static void print_stats(const struct import *im)
{
	fprintf(stderr, "{\"rows\":%lld,\"written\":%lld,\"warned\":%lld,"
	    "\"rejected\":%lld,\"skipped\":%lld", im->rows, im->written,
	    im->warned, rejects_count(), im->skipped);
	if (im->since[0])
		fprintf(stderr, ",\"old\":%lld", im->old);
	if (im->db)
		fprintf(stderr, ",\"db_new\":%lld,\"db_dup\":%lld", im->db_new,
		    im->stored - im->db_new);
	fprintf(stderr, ",\"bad_files\":%lld}\n", im->bad_files);
}

int cmd_import(int argc, char **argv)
{
	static char *stdin_only[] = { "-" };
	struct import im = { .enc = ENC_AUTO };
	char err[512], detail[64];
	size_t i;

	parse_args(&argp, argc, argv, &im);
	if (im.list) {
		list_profiles();
		return 0;
	}
	if (im.nfiles == 0)
		im.files = stdin_only, im.nfiles = 1;
	load_profiles(&im);
	out_open();
	if (im.dbpath && (im.db = db_open(im.dbpath, err, sizeof err)) == NULL)
		die("%s", err);
	if ((im.hash = XXH3_createState()) == NULL)
		die("out of memory");
	for (i = 0; i < im.nfiles; i++)
		if (import_file(&im, im.files[i]) < 0)
			im.bad_files++;
	out_close();
	if (im.db) {
		snprintf(detail, sizeof detail, "%zu files, %lld new rows",
		    im.nfiles, im.db_new);
		if (db_audit(im.db, who_am_i(), "import", detail, im.db_new, err,
		    sizeof err) < 0)
			die("%s: %s", im.dbpath, err);
		db_close(im.db);
	}
	if (copt.stats)
		print_stats(&im);
	if (rejects_count() > 0)
		note("%lld rows rejected%s%s", rejects_count(),
		    copt.rejects ? ", see " : "", copt.rejects ? copt.rejects : "");
	for (i = 0; i < im.ncand; i++)
		profile_free(im.cand[i]);
	free(im.cand);
	free(im.maps);
	XXH3_freeState(im.hash);
	return im.bad_files || rejects_count() ? EXIT_DATA : 0;
}
