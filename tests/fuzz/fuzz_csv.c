/*
 * fuzz_csv.c — a CSV file through import's path: csvin reads it, the
 * first row that fits the profile is the header, and every row of the
 * header's width becomes a record through rowconv.  The first byte picks
 * the built-in profile, so that the corpus reaches every one of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "fuzz.h"
#include "profile.h"
#include "rowconv.h"

#define HEADER_SEARCH 20	/* as cmd/import.c */

static struct profile **profiles;
static size_t nprofiles;

static void load(void)
{
	const char *const *n;
	char err[256];

	for (n = profile_builtin_names(); *n; n++)
		nprofiles++;
	profiles = calloc(nprofiles, sizeof *profiles);
	for (nprofiles = 0, n = profile_builtin_names(); *n; n++)
		if ((profiles[nprofiles] = profile_builtin(*n, err,
		    sizeof err)) != NULL)
			nprofiles++;
}

static int is_header(const struct profile *p, const struct csv_row *row,
    int *colmap)
{
	char **cells = calloc(row->n + 1, sizeof *cells);
	const char *miss;
	size_t i;
	int n, nmiss;

	for (i = 0; i < row->n; i++) {
		cells[i] = malloc(row->len[i] + 1);
		header_fold(row->cell[i], row->len[i], cells[i],
		    row->len[i] + 1);
	}
	n = profile_match(p, cells, row->n, colmap, &miss, &nmiss);
	for (i = 0; i < row->n; i++)
		free(cells[i]);
	free(cells);
	return n >= 1;
}

/* The header row is only valid until the next row: keep a copy. */
static void keep(struct csv_row *dst, const struct csv_row *src)
{
	size_t i;

	dst->n = src->n;
	dst->line = src->line;
	dst->bad = NULL;
	dst->cell = calloc(src->n + 1, sizeof *dst->cell);
	dst->len = calloc(src->n + 1, sizeof *dst->len);
	for (i = 0; i < src->n; i++) {
		dst->cell[i] = malloc(src->len[i] + 1);
		memcpy(dst->cell[i], src->cell[i], src->len[i] + 1);
		dst->len[i] = src->len[i];
	}
}

static void drop(struct csv_row *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->cell[i]);
	free(r->cell);
	free(r->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct profile *p;
	struct csv_row row, header = { 0 };
	struct buf rec = BUF_INIT, raw = BUF_INIT;
	struct csvin *in;
	struct conv *cv = NULL;
	int *colmap = NULL, r, i, found = 0;
	char err[512], day[11];
	size_t n;
	FILE *fp;

	if (profiles == NULL)
		load();
	if (size < 1 || nprofiles == 0)
		return 0;
	p = profiles[data[0] % nprofiles];
	if ((fp = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1,
	    "r")) == NULL)
		return 0;
	if (size == 1)
		fgetc(fp);	/* fmemopen wants a size: read it empty */
	if ((in = csvin_new(fp, ENC_AUTO)) == NULL)
		goto done;
	for (i = 0; i < HEADER_SEARCH && !found; i++) {
		if ((r = csvin_next(in, &row, err, sizeof err)) <= 0)
			goto done;
		if (row.bad)
			continue;
		colmap = realloc(colmap, (row.n + 1) * sizeof *colmap);
		if (is_header(p, &row, colmap)) {
			keep(&header, &row);
			found = 1;
		}
	}
	if (!found || (cv = conv_new(p, &header, colmap, "fuzz.csv",
	    "2026-10-31")) == NULL)
		goto done;
	while (csvin_next(in, &row, err, sizeof err) > 0) {
		if (conv_is_blank(&row) || conv_is_total(&row))
			continue;
		csvin_row_text(&row, &raw);
		n = row.n;
		while (n > header.n && row.len[n - 1] == 0)
			n--;
		if (row.bad || n != header.n)
			continue;
		buf_reset(&rec);
		conv_row(cv, &row, &rec);
		conv_id(cv);
		conv_date(cv, day);
	}
	csvin_encoding(in);
done:
	conv_free(cv);
	if (found)
		drop(&header);
	free(colmap);
	buf_free(&rec);
	buf_free(&raw);
	csvin_free(in);
	fclose(fp);
	return 0;
}
