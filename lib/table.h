/*
 * table.h — a table of report rows, written as aligned text, CSV,
 * Markdown, an HTML table or NDJSON.
 *
 * Every view of reach report builds one of these and hands it to a
 * writer, so that the five formats cannot drift apart.  Cells are jv
 * values: strings, numbers (money as a whole number of 分), arrays of
 * strings (joined with "；" for people) or null.  Writers never print
 * anywhere but the FILE * they are given and return -1 on a write error
 * with errno set.
 */
#ifndef REACH_TABLE_H
#define REACH_TABLE_H

#include <stdio.h>
#include <jv.h>

enum tbl_kind {
	TBL_TEXT,
	TBL_INT,
	TBL_MONEY,	/* cell is in 分; shown as 元 with two decimals */
	TBL_DAYS,	/* a number of days, shown with one decimal */
};

struct tbl_col {
	const char *key;	/* NDJSON key, ASCII */
	const char *label;	/* header for people (Chinese or English) */
	enum tbl_kind kind;
};

struct tbl {
	const char *title;
	const struct tbl_col *cols;
	size_t ncols;
	jv rows;		/* array of arrays of ncols cells; owned */
	int group;		/* column whose value starts a section, or -1 */
	int has_total;		/* the last row sums the others */
	const char *group_label;	/* "村（社区）" before a section's name */
};

/* A cell as people read it, into buf (len bytes); borrows cell. */
const char *tbl_cell_text(jv cell, enum tbl_kind kind, char *buf,
    size_t len);

/* Display width of UTF-8 text in terminal columns (wcwidth; the caller
 * sets an UTF-8 LC_CTYPE). */
size_t tbl_width(const char *s);

int tbl_write_text(FILE *fp, const struct tbl *t);
int tbl_write_csv(FILE *fp, const struct tbl *t);
int tbl_write_md(FILE *fp, const struct tbl *t);
int tbl_write_html(FILE *fp, const struct tbl *t);
/* One object per row (the total row left out: jq can sum). */
int tbl_write_ndjson(FILE *fp, const struct tbl *t);

/* s with & < > " escaped for HTML text and attributes. */
int tbl_html_escape(FILE *fp, const char *s);

void tbl_free(struct tbl *t);

#endif
