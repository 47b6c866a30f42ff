/*
 * report.c — reach report: what the bureau and each township read.
 *
 *	reach report [summary|worklist|pipeline|overdue] [FILE…]
 *
 * Households (reach match, reach flag) or referrals (reach refer, or
 * the ledger with --db) in; a table for a terminal, NDJSON for a pipe,
 * or CSV, HTML or Markdown for people out.  The views and formats live
 * in lib/report.c; this file reads the input and guards the output.
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "db.h"
#include "ndjson.h"
#include "norm.h"
#include "report.h"

struct cmd {
	struct rp_opts o;
	const char *dbpath, *encoding;
	int format;		/* -1 until chosen */
	char **files;
	size_t nfiles;
	char as_of[11];
	long long records, bad;
};

static const char doc[] =
    "Turn households (from reach match or flag) or referrals (from reach "
    "refer, or the ledger with --db) into what people read: a summary by "
    "town and risk level, a township's worklist, the state of every "
    "referral, or the referrals past due.\v"
    "VIEW is summary (the default), worklist, pipeline or overdue.  "
    "Without --format: a table on a terminal, NDJSON into a pipe, or "
    "what the extension of -o says (.csv .html .md .ndjson .txt).  "
    "Names, ID numbers and phones are masked and addresses, health and "
    "disability details left out unless --unmask, which is recorded in "
    "the database's audit table.  See reach-report(1).";

enum { OPT_UNMASK = 0x300, OPT_LANG, OPT_ENCODING };

static const struct argp_option options[] = {
	{ "db", 'd', "FILE", 0, "the county database: the referral ledger "
	  "(due dates, pipeline, overdue) and the audit table", 0 },
	{ "by", 'b', "KEY", 0, "summary: count by town, village, rule, group, "
	  "level or programme (repeat for several; default: town and "
	  "level)", 0 },
	{ "format", 'f', "FORMAT", 0, "table, csv, ndjson, html or md", 0 },
	{ "town", 't', "TOWN", 0, "only the households or referrals of one "
	  "乡镇（街道）", 0 },
	{ "unmask", OPT_UNMASK, NULL, 0, "show names, ID numbers, phones and "
	  "addresses in full (recorded in the audit table)", 0 },
	{ "lang", OPT_LANG, "LANG", 0, "labels in zh (default) or en", 0 },
	{ "encoding", OPT_ENCODING, "ENC", 0, "utf-8 (default; CSV with a "
	  "BOM) or gb18030, for table, csv and md", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct cmd *c = state->input;
	int v;

	switch (key) {
	case 'd':
		c->dbpath = arg;
		break;
	case 'b':
		if ((v = rp_by_parse(arg)) < 0)
			argp_error(state, "--by '%s': expected town, village, "
			    "rule, group, level or programme", arg);
		if (c->o.nby == RP_MAXBY)
			argp_error(state, "--by: at most %d keys", RP_MAXBY);
		c->o.by[c->o.nby++] = v;
		break;
	case 'f':
		if ((c->format = rp_format_parse(arg)) < 0)
			argp_error(state, "--format '%s': expected table, csv, "
			    "ndjson, html or md", arg);
		break;
	case 't':
		c->o.town = arg;
		break;
	case OPT_UNMASK:
		c->o.unmask = 1;
		break;
	case OPT_LANG:
		if (strcmp(arg, "zh") && strcmp(arg, "en"))
			argp_error(state, "--lang '%s': expected zh or en", arg);
		c->o.en = arg[0] == 'e';
		break;
	case OPT_ENCODING:
		if (strcasecmp(arg, "utf-8") == 0 || strcasecmp(arg, "utf8") == 0)
			c->encoding = NULL;
		else if (strcasecmp(arg, "gb18030") == 0)
			c->encoding = "GB18030";
		else
			argp_error(state, "--encoding '%s': expected utf-8 or "
			    "gb18030", arg);
		break;
	case ARGP_KEY_ARGS:
		c->files = state->argv + state->next;
		c->nfiles = state->argc - state->next;
		if ((v = rp_view_parse(c->files[0])) >= 0) {
			c->o.view = v;
			c->files++, c->nfiles--;
		}
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse,
    "[summary|worklist|pipeline|overdue] [FILE...]", doc, NULL, NULL, NULL };

/* The format the user meant: --format, else -o's extension, else a
 * table for a terminal and NDJSON for a program. */
static void choose_format(struct cmd *c)
{
	static const struct { const char *ext; int f; } ext[] = {
		{ ".csv", RP_CSV }, { ".html", RP_HTML }, { ".htm", RP_HTML },
		{ ".md", RP_MD }, { ".ndjson", RP_NDJSON },
		{ ".jsonl", RP_NDJSON }, { ".txt", RP_TABLE },
	};
	const char *dot;
	size_t i;

	if (c->format < 0 && copt.output && strcmp(copt.output, "-") &&
	    (dot = strrchr(copt.output, '.')) != NULL)
		for (i = 0; i < sizeof ext / sizeof ext[0]; i++)
			if (strcasecmp(dot, ext[i].ext) == 0)
				c->format = ext[i].f;
	if (c->format < 0)
		c->format = (copt.output == NULL || !strcmp(copt.output, "-")) &&
		    isatty(STDOUT_FILENO) ? RP_TABLE : RP_NDJSON;
	if (c->encoding && (c->format == RP_NDJSON || c->format == RP_HTML))
		die("--encoding %s: NDJSON and HTML are always UTF-8",
		    c->encoding);
	if (c->o.view == RP_SUMMARY || c->o.nby == 0)
		return;
	die("--by is for the summary; see 'reach report --help'");
}

struct reading {
	struct cmd *c;
	struct report *r;
};

static void report_record(jv rec, const struct nd_reader *nd, void *arg)
{
	struct reading *rd = arg;
	const char *raw;
	size_t len;

	rd->c->records++;
	if (rp_add(rd->r, rec) < 0) {
		raw = nd_raw(nd, &len);
		reject(nd_name(nd), nd_line(nd), "no \"hid\": not a household "
		    "or a referral", raw, len);
	}
}

/* An invalid line stops the report (a summary missing rows would say
 * wrong numbers), unless --rejects sends it aside. */
static void read_stream(struct cmd *c, struct report *r, const char *path)
{
	struct reading rd = { c, r };

	switch (read_records(path, report_record, &rd)) {
	case 1:
		exit(EXIT_DATA);
	case -1:
		c->bad++;
	}
}

static void read_files(struct cmd *c, struct report *r)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		read_stream(c, r, c->files[i]);
}

/* Records from the files, stdin or the ledger; with a stream and a
 * database, the ledger lends its due dates. */
static void read_inputs(struct cmd *c, struct report *r, sqlite3 *db)
{
	int ledger_view = c->o.view == RP_PIPELINE || c->o.view == RP_OVERDUE;
	int stream = c->nfiles > 0 || db == NULL || stdin_has_data();
	char err[512];

	if (ledger_view && db && c->nfiles == 0)
		stream = 0;
	if (db && rp_read_ledger(r, db, !stream, err, sizeof err) < 0)
		die("%s: %s", c->dbpath, err);
	if (!stream)
		return;
	if (c->nfiles == 0)
		read_stream(c, r, "-");
	else
		read_files(c, r);
}

static sqlite3 *open_db(const char *path)
{
	char err[512];
	sqlite3 *db;

	/* a report reads: a mistyped name must not make an empty database */
	if (access(path, F_OK) < 0)
		die("cannot open '%s': %s", path, strerror(errno));
	if ((db = db_open(path, err, sizeof err)) == NULL)
		die("%s", err);
	return db;
}

/* --unmask is written down before anything unmasked is shown. */
static void audit_unmask(struct cmd *c, sqlite3 *db, long rows)
{
	static const char *const views[] = { "summary", "worklist",
	    "pipeline", "overdue" };
	char detail[512], err[512];

	if (db == NULL) {
		note("--unmask: names, ID numbers, phones and addresses in full; "
		    "not recorded: no --db");
		return;
	}
	snprintf(detail, sizeof detail, "unmask %s%s%s to %s", views[c->o.view],
	    c->o.town ? " town=" : "", c->o.town ? c->o.town : "",
	    copt.output ? copt.output : "stdout");
	if (db_audit(db, who_am_i(), "report", detail, rows, err,
	    sizeof err) < 0)
		die("%s: %s", c->dbpath, err);
	note("--unmask: names, ID numbers, phones and addresses in full; "
	    "recorded in the audit table of '%s'", c->dbpath);
}

/* The rendered text to the output: a BOM before UTF-8 CSV (Excel on
 * Chinese Windows reads CSV without one as GBK), or converted. */
static void emit(struct cmd *c, char *text, size_t len)
{
	char *conv = NULL, err[512];
	size_t clen = 0;
	FILE *mem;

	if (c->encoding) {
		if ((mem = open_memstream(&conv, &clen)) == NULL)
			die("out of memory");
		if (rp_convert(text, len, c->encoding, mem, err, sizeof err) < 0)
			die("%s", err);
		fclose(mem);
		text = conv, len = clen;
	} else if (c->format == RP_CSV && len > 0) {
		if ((conv = malloc(len + 3)) == NULL)
			die("out of memory");
		memcpy(conv, "\xEF\xBB\xBF", 3);
		memcpy(conv + 3, text, len);
		text = conv, len += 3;
	}
	/* out_text ends what it writes with the newline taken here */
	if (len > 0)
		out_text(text, len - (text[len - 1] == '\n'));
	free(conv);
}

int cmd_report(int argc, char **argv)
{
	struct cmd c = { .format = -1 };
	struct report *r;
	sqlite3 *db = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	long rows;

	setlocale(LC_CTYPE, "C.UTF-8");
	parse_args(&argp, argc, argv, &c);
	choose_format(&c);
	snprintf(c.as_of, sizeof c.as_of, "%s", as_of_day());
	c.o.as_of = c.as_of;
	if (c.dbpath)
		db = open_db(c.dbpath);
	else if (c.o.view == RP_PIPELINE || c.o.view == RP_OVERDUE)
		note("no --db: referrals from the input, without days to "
		    "contact and to aid");
	out_open();
	if ((r = rp_new(&c.o)) == NULL)
		die("out of memory");
	read_inputs(&c, r, db);
	if ((mem = open_memstream(&text, &len)) == NULL)
		die("out of memory");
	if ((rows = rp_write(r, c.format, mem)) < 0 || fclose(mem) == EOF)
		die("cannot write the report: %s", strerror(errno));
	if (c.o.unmask)
		audit_unmask(&c, db, rows);
	/* done with the database before the output, which may wait on a
	 * slow reader or end the run with a write error */
	db_close(db);
	emit(&c, text, len);
	out_close();
	if (copt.stats)
		fprintf(stderr, "{\"records\":%lld,\"rows\":%ld,"
		    "\"rejected\":%lld}\n", c.records, rows, rejects_count());
	free(text);
	rp_free(r);
	return c.bad || rejects_count() ? EXIT_DATA : 0;
}
