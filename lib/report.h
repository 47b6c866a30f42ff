/*
 * report.h — what people read: the views of reach report.
 *
 *	summary		households and persons by town, village, rule,
 *			group, level or programme
 *	worklist	one line per flagged household, most urgent first;
 *			for an emergency run, by village and vulnerability
 *	pipeline	referrals by town and status, overdue counts and
 *			median days to first contact and to aid
 *	overdue		referrals past due, oldest first
 *
 * Records come in one at a time (households from reach match or flag,
 * referrals from reach refer or the ledger) and the view is written
 * once at the end to a FILE * the caller gives, as a table (lib/table.h)
 * or a whole HTML page.  Nothing here prints elsewhere or exits.
 * Ownership follows jv: rp_add and rp_ledger consume the record.
 */
#ifndef REACH_REPORT_H
#define REACH_REPORT_H

#include <sqlite3.h>
#include <stdio.h>
#include <jv.h>

enum rp_view { RP_SUMMARY, RP_WORKLIST, RP_PIPELINE, RP_OVERDUE };
enum rp_format { RP_TABLE, RP_CSV, RP_NDJSON, RP_HTML, RP_MD };
enum rp_by { RP_TOWN, RP_VILLAGE, RP_RULE, RP_GROUP, RP_LEVEL,
	RP_PROGRAMME };

#define RP_MAXBY 6

struct rp_opts {
	enum rp_view view;
	enum rp_by by[RP_MAXBY];	/* summary keys; none: town, level */
	size_t nby;
	int en;			/* English labels */
	int unmask;		/* names, IDs, phones, addresses in full */
	const char *town;	/* only this 乡镇（街道） */
	const char *as_of;	/* YYYY-MM-DD */
};

struct report;

/* Names of views, formats and keys, for options; -1 when unknown. */
int rp_view_parse(const char *s);
int rp_format_parse(const char *s);
int rp_by_parse(const char *s);

struct report *rp_new(const struct rp_opts *o);
void rp_free(struct report *r);

/* A household or a referral of the stream (consumed).  Returns 0, or
 * -1 when it is neither (no "hid"). */
int rp_add(struct report *r, jv rec);

/* A referral of the ledger (consumed) that lends its due date and ref
 * to the household of the same hid given to rp_add. */
void rp_ledger(struct report *r, jv ref);

/*
 * Read the ledger of db: every referral, with the days of its first
 * contact and of its aid from its events.  cases: give them to rp_add
 * (open ones only, unless the view is pipeline or overdue); else to
 * rp_ledger.  Returns 0, or -1 with the reason in err.
 */
int rp_read_ledger(struct report *r, sqlite3 *db, int cases, char *err,
    size_t errlen);

/* Write the view; returns the number of rows written (households for
 * worklist and overdue), or -1 on a write error with errno set. */
long rp_write(struct report *r, enum rp_format f, FILE *fp);

/* Copy UTF-8 text[0..n) to fp in encoding ("gb18030"); 0, or -1 with
 * the reason in err. */
int rp_convert(const char *text, size_t n, const char *encoding, FILE *fp,
    char *err, size_t errlen);

#endif
