/*
 * test_csvin.c — CSV rows, encodings and physical line numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csvin.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

/* A reader over a copy of the bytes given. */
static struct csvin *open_bytes(const char *s, size_t n, enum csv_enc enc,
    FILE **fp)
{
	*fp = fmemopen(NULL, n + 1, "w+");
	assert_non_null(*fp);
	fwrite(s, 1, n, *fp);
	rewind(*fp);
	return csvin_new(*fp, enc);
}

static void quoted_newlines_and_crlf_keep_line_numbers(void **state)
{
	static const char csv[] = "a,b\r\n1,\"x\r\ny\"\r\n\r\n2,z\r\n";
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, sizeof csv - 1, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(row.line, 1);
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(row.line, 2);
	assert_string_equal(row.cell[1], "x\r\ny");
	/* the quoted newline and the blank line both count */
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(row.line, 5);
	assert_string_equal(row.cell[0], "2");
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 0);
	csvin_free(in);
	fclose(fp);
}

static void rows_across_read_chunks_are_whole(void **state)
{
	size_t n = 0, cap = 300000, i;
	char *csv = malloc(cap);
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in;
	long rows = 0, line = 0;

	/* 64 KiB chunks: some rows and some quoted cells straddle them */
	for (i = 0; n + 100 < cap; i++)
		n += snprintf(csv + n, cap - n, i % 7 ? "%zu,\"cell %zu\"\n" :
		    "%zu,\"two\nlines %zu\"\n", i, i);
	in = open_bytes(csv, n, ENC_AUTO, &fp);
	while (csvin_next(in, &row, err, sizeof err) == 1) {
		assert_int_equal(row.n, 2);
		assert_int_equal(strtol(row.cell[0], NULL, 10), rows);
		assert_int_equal(row.line, line + 1);
		line += 1 + (rows % 7 == 0);
		rows++;
	}
	assert_int_equal(rows, i);
	csvin_free(in);
	fclose(fp);
	free(csv);
}

static void a_bom_means_utf8_and_is_not_data(void **state)
{
	static const char csv[] = "\xEF\xBB\xBF姓名\n张三\n";
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, sizeof csv - 1, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_string_equal(row.cell[0], "姓名");
	assert_string_equal(csvin_encoding(in), "UTF-8");
	assert_false(csvin_guessed(in));
	csvin_free(in);
	fclose(fp);
}

/* Excel's "CSV UTF-8" may quote its first header: the BOM before the
 * quote is no part of the cell, and does not make the quote text. */
static void a_bom_before_a_quoted_cell_leaves_it_quoted(void **state)
{
	static const char csv[] = "\xEF\xBB\xBF\"姓名\",\"a,b\"\n";
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, sizeof csv - 1, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(row.n, 2);
	assert_string_equal(row.cell[0], "姓名");
	assert_string_equal(row.cell[1], "a,b");
	csvin_free(in);
	fclose(fp);
}

static void gb18030_is_converted_and_said_to_be_a_guess(void **state)
{
	/* 姓名,张三 in GB18030 */
	static const char csv[] = "\xD0\xD5\xC3\xFB\n\xD5\xC5\xC8\xFD\n";
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, sizeof csv - 1, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_string_equal(row.cell[0], "姓名");
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_string_equal(row.cell[0], "张三");
	assert_string_equal(csvin_encoding(in), "GB18030");
	assert_true(csvin_guessed(in));
	csvin_free(in);
	fclose(fp);
}

static void a_bad_byte_costs_its_row_only(void **state)
{
	static const char csv[] = "姓名\n\xFF\xFE\n李四\n";
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, sizeof csv - 1, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_string_equal(row.bad, "invalid UTF-8");
	assert_int_equal(row.line, 2);
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_null(row.bad);
	assert_string_equal(row.cell[0], "李四");
	csvin_free(in);
	fclose(fp);
}

static void a_workbook_is_not_csv(void **state)
{
	static const char xlsx[] = "PK\3\4\24\0\0\0\10\0";
	struct csv_row row;
	char err[200];
	FILE *fp;
	struct csvin *in = open_bytes(xlsx, sizeof xlsx - 1, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), -1);
	assert_non_null(strstr(err, "Excel workbook"));
	csvin_free(in);
	fclose(fp);
}

static void rows_print_back_as_csv(void **state)
{
	static const char csv[] = "a,\"b,c\",\"say \"\"hi\"\"\"\n";
	struct csv_row row;
	struct buf out = BUF_INIT;
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, sizeof csv - 1, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(csvin_row_text(&row, &out), 0);
	assert_string_equal(out.data, "a,\"b,c\",\"say \"\"hi\"\"\"");
	buf_free(&out);
	csvin_free(in);
	fclose(fp);
}

/* What the parser learns of a cell is found eight bytes at a time:
 * what it looks for must count wherever it falls, also past the first
 * eight bytes and in the bytes left over. */
static void long_cells_are_seen_whole(void **state)
{
	static const char csv[] =
	    "a,b\n"
	    "\"0123456789\nabcdefgh\nij\",x\n"	/* two LFs, past byte 8 */
	    "0123456789abcdef张,y\n"		/* non-ASCII at byte 16 */
	    "0123456789\0abc,z\n"		/* a NUL at byte 10 */
	    "end,w\n";
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, sizeof csv - 1, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_string_equal(row.cell[0], "0123456789\nabcdefgh\nij");
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(row.line, 5);
	assert_null(row.bad);
	assert_string_equal(row.cell[0], "0123456789abcdef张");
	assert_string_equal(csvin_encoding(in), "UTF-8");
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(row.line, 6);
	assert_string_equal(row.bad, "NUL byte in the row");
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_int_equal(row.line, 7);
	assert_null(row.bad);
	csvin_free(in);
	fclose(fp);
}

/* csvin_take hands out what csvin_next left of a batch, then whole
 * batches: every row once, in order. */
static void rows_come_by_the_batch_after_the_header(void **state)
{
	size_t n = 0, cap = 600000, i, got, k, batches = 0;
	char *csv = malloc(cap);
	const struct csv_row *rows;
	struct csv_batch *b;
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in;
	long next = 0;

	n += snprintf(csv, cap, "n,text\n");
	for (i = 0; n + 100 < cap; i++)
		n += snprintf(csv + n, cap - n, "%zu,cell %zu\n", i, i);
	in = open_bytes(csv, n, ENC_AUTO, &fp);
	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	assert_string_equal(row.cell[0], "n");
	while (csvin_take(in, &b, err, sizeof err) == 1) {
		assert_int_equal(csvin_batch_rows(b, &rows, &got), 0);
		assert_true(got > 0);
		for (k = 0; k < got; k++) {
			assert_int_equal(strtol(rows[k].cell[0], NULL, 10), next);
			assert_int_equal(rows[k].line, next + 2);
			next++;
		}
		batches++;
		csvin_release(in);
	}
	assert_int_equal(next, i);
	assert_true(batches > 1);
	csvin_free(in);
	fclose(fp);
	free(csv);
}

/* A header, rows "i,cell i", and after row `at` one row whose quoted cell
 * spans `lines` lines: longer than a batch, so that the reading side
 * has to cut it somewhere inside, where no row ends. */
static char *long_cell_csv(size_t rows, size_t at, size_t lines, size_t *n)
{
	size_t cap = rows * 32 + lines * 16 + 64, i, k;
	char *csv = malloc(cap);

	assert_non_null(csv);
	*n = snprintf(csv, cap, "n,text\n");
	for (i = 0; i < rows; i++) {
		*n += snprintf(csv + *n, cap - *n, "%zu,", i);
		if (i != at) {
			*n += snprintf(csv + *n, cap - *n, "cell %zu\n", i);
			continue;
		}
		csv[(*n)++] = '"';
		for (k = 0; k < lines; k++)
			*n += snprintf(csv + *n, cap - *n, "line %zu\n", k);
		*n += snprintf(csv + *n, cap - *n, "end\"\n");
	}
	return csv;
}

/* The rows of long_cell_csv, as csvin hands them out. */
static void check_long_cell_row(const struct csv_row *row, size_t i,
    size_t at, size_t lines)
{
	assert_int_equal(row->n, 2);
	assert_int_equal(strtol(row->cell[0], NULL, 10), i);
	assert_int_equal(row->line, i + 2 + (i > at ? lines : 0));
	if (i == at) {
		assert_int_equal(row->len[1], strlen(row->cell[1]));
		assert_non_null(strstr(row->cell[1], "line 0\nline 1\n"));
		assert_string_equal(row->cell[1] + row->len[1] - 14,
		    "line 29999\nend");
	}
}

static void a_batch_cut_inside_a_quoted_cell_goes_on_where_it_stopped(
    void **state)
{
	size_t n, i = 0;
	char *csv = long_cell_csv(20000, 9000, 30000, &n);
	struct csv_row row;
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, n, ENC_AUTO, &fp);

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	while (csvin_next(in, &row, err, sizeof err) == 1)
		check_long_cell_row(&row, i++, 9000, 30000);
	assert_int_equal(i, 20000);
	csvin_free(in);
	fclose(fp);
	free(csv);
}

struct ahead {
	struct csv_batch *b;
	const struct csv_row *rows;
	size_t n;
	int r;
};

static void *rows_ahead(void *p)
{
	struct ahead *a = p;

	a->r = csvin_batch_rows(a->b, &a->rows, &a->n);
	return NULL;
}

/* Batches parsed side by side: one parsed before the one ahead of it,
 * which ended inside a row, is parsed again from where that one did. */
static void batches_parsed_out_of_order_come_out_as_in_order(void **state)
{
	enum { HOLD = CSVIN_HOLD };
	size_t n, got, i, k, next = 0;
	char *csv = long_cell_csv(20000, 6000, 30000, &n);
	struct csv_batch *b[HOLD];
	struct ahead a[HOLD];
	pthread_t t[HOLD];
	const struct csv_row *rows;
	struct csv_row row;
	const struct timespec wait = { 0, 20 * 1000 * 1000 };
	char err[128];
	FILE *fp;
	struct csvin *in = open_bytes(csv, n, ENC_AUTO, &fp);
	int more = 1;

	assert_int_equal(csvin_next(in, &row, err, sizeof err), 1);
	while (more) {
		for (k = 0; k < HOLD; k++)
			if (csvin_take(in, &b[k], err, sizeof err) != 1)
				break;
		more = k == HOLD;
		/* the later ones first, each on a thread, newest first */
		for (i = k; i-- > 1;) {
			a[i] = (struct ahead){ .b = b[i] };
			assert_int_equal(pthread_create(&t[i], NULL,
			    rows_ahead, &a[i]), 0);
			nanosleep(&wait, NULL);
		}
		for (i = 0; i < k; i++) {
			if (i == 0)
				assert_int_equal(csvin_batch_rows(b[0], &rows,
				    &got), 0);
			else {
				pthread_join(t[i], NULL);
				assert_int_equal(a[i].r, 0);
				rows = a[i].rows, got = a[i].n;
			}
			while (got-- > 0)
				check_long_cell_row(rows++, next++, 6000, 30000);
			csvin_release(in);
		}
	}
	assert_int_equal(next, 20000);
	csvin_free(in);
	fclose(fp);
	free(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoted_newlines_and_crlf_keep_line_numbers),
		cmocka_unit_test(rows_across_read_chunks_are_whole),
		cmocka_unit_test(a_bom_means_utf8_and_is_not_data),
		cmocka_unit_test(a_bom_before_a_quoted_cell_leaves_it_quoted),
		cmocka_unit_test(gb18030_is_converted_and_said_to_be_a_guess),
		cmocka_unit_test(a_bad_byte_costs_its_row_only),
		cmocka_unit_test(a_workbook_is_not_csv),
		cmocka_unit_test(rows_print_back_as_csv),
		cmocka_unit_test(long_cells_are_seen_whole),
		cmocka_unit_test(rows_come_by_the_batch_after_the_header),
		cmocka_unit_test(
		    a_batch_cut_inside_a_quoted_cell_goes_on_where_it_stopped),
		cmocka_unit_test(
		    batches_parsed_out_of_order_come_out_as_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
