/*
 * refer.c — reach refer: push each flagged household to the township
 * office that must act, and follow the case to its end in the ledger.
 *
 *	reach refer --db FILE [FILE…]			push
 *	reach refer --db FILE update REF --status S	one step of a case
 *	reach refer --db FILE update --from FILE	steps from townships
 *	reach refer --db FILE list			the cases
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "db.h"
#include "ledger.h"
#include "ndjson.h"
#include "routes.h"

/* Households read before a transaction is taken: the write lock is held
 * only while a batch is written, never while input is awaited, so that
 * a second run (another cron job) waits a moment instead of failing. */
#define BATCH 256

enum mode { M_PUSH, M_UPDATE, M_LIST };

struct refer {
	const char *dbpath, *routes_path, *by, *status, *note, *from, *town;
	int cooldown, dry_run, willing, able, open, overdue;
	char **args;
	size_t nargs;
	enum mode mode;

	struct routes *routes;
	sqlite3 *db;
	struct ledger *lg;
	struct lg_ctx ctx;
	char as_of[11];
	jv batch;
	int in_tx;
	long long households, unflagged, result[LG_COOLDOWN + 1], bad_files;
};

static const char doc[] =
    "Turn flagged households (from reach flag) into referrals to the "
    "township office that must act, keep them in a ledger in the database, "
    "and record every step until the case closes.  Writes one NDJSON "
    "referral per household pushed or changed.\v"
    "A case goes pushed -> contacted -> applying | aided | declined -> "
    "closed.  Exit status: 0 when all went well, 1 when a record or an "
    "update was refused, 2 on a usage or database error.  See "
    "reach-refer(1) and reach-routes(5).";

enum { OPT_COOLDOWN = 0x300, OPT_DRY, OPT_WILLING, OPT_ABLE, OPT_BY,
	OPT_NOTE, OPT_FROM, OPT_OPEN, OPT_OVERDUE, OPT_TOWN, OPT_ROUTES };

static const struct argp_option options[] = {
	{ "db", 'd', "FILE", 0, "the county database (required)", 0 },
	{ "by", OPT_BY, "NAME", 0, "who acts, for the ledger (default: "
	  "the login name)", 0 },
	{ NULL, 0, NULL, 0, "Pushing:", 1 },
	{ "routes", OPT_ROUTES, "FILE", 0, "where flags go (default: the "
	  "built-in routes)", 1 },
	{ "cooldown", OPT_COOLDOWN, "DAYS", 0, "leave a case closed less than "
	  "DAYS ago alone unless a new red flag appears (default 90)", 1 },
	{ "dry-run", OPT_DRY, NULL, 0, "show what would be pushed; write "
	  "nothing", 1 },
	{ NULL, 0, NULL, 0, "update REF | update --from FILE:", 2 },
	{ "status", 's', "STATUS", 0, "contacted, applying, aided, declined "
	  "or closed", 2 },
	{ "willing", OPT_WILLING, "yes|no", 0, "whether the family wants "
	  "help (at contact)", 2 },
	{ "able", OPT_ABLE, "yes|no", 0, "whether it can apply by itself "
	  "(at contact)", 2 },
	{ "note", OPT_NOTE, "TEXT", 0, "a note for the case's history", 2 },
	{ "from", OPT_FROM, "FILE", 0, "updates as NDJSON, one per line", 2 },
	{ NULL, 0, NULL, 0, "list:", 3 },
	{ "open", OPT_OPEN, NULL, 0, "only cases not closed", 3 },
	{ "overdue", OPT_OVERDUE, NULL, 0, "only cases still 'pushed' after "
	  "their due date", 3 },
	{ "town", OPT_TOWN, "TOWN", 0, "only the cases of one 乡镇（街道）", 3 },
	{ 0 }
};

static int yes_no(const char *s)
{
	if (strcmp(s, "yes") == 0)
		return 1;
	if (strcmp(s, "no") == 0)
		return 0;
	return -1;
}

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct refer *r = state->input;
	char *end;
	long n;

	switch (key) {
	case 'd':
		r->dbpath = arg;
		break;
	case OPT_ROUTES:
		r->routes_path = arg;
		break;
	case OPT_COOLDOWN:
		n = strtol(arg, &end, 10);
		if (*arg == '\0' || *end || n < 0 || n > 36500)
			argp_error(state, "--cooldown '%s': expected days", arg);
		r->cooldown = n;
		break;
	case OPT_DRY:
		r->dry_run = 1;
		break;
	case 's':
		if (!ledger_status_valid(arg) || strcmp(arg, "pushed") == 0)
			argp_error(state, "--status '%s': expected contacted, "
			    "applying, aided, declined or closed", arg);
		r->status = arg;
		break;
	case OPT_WILLING:
	case OPT_ABLE:
		if ((n = yes_no(arg)) < 0)
			argp_error(state, "--%s '%s': expected yes or no",
			    key == OPT_ABLE ? "able" : "willing", arg);
		*(key == OPT_ABLE ? &r->able : &r->willing) = n;
		break;
	case OPT_BY:
		r->by = arg;
		break;
	case OPT_NOTE:
		r->note = arg;
		break;
	case OPT_FROM:
		r->from = arg;
		break;
	case OPT_OPEN:
		r->open = 1;
		break;
	case OPT_OVERDUE:
		r->overdue = 1;
		break;
	case OPT_TOWN:
		r->town = arg;
		break;
	case ARGP_KEY_ARGS:
		r->args = state->argv + state->next;
		r->nargs = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if (r->dbpath == NULL)
			argp_error(state, "--db FILE is required: the ledger "
			    "lives in the county database");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse,
    "[FILE...]\nupdate REF --status STATUS\nupdate --from FILE\nlist",
    doc, NULL, NULL, NULL };

static const char *const form_name[] = { "pushing", "'update'", "'list'" };

/* An option given to a form that does not take it is a mistake that
 * would otherwise pass in silence. */
static void only(const struct refer *r, int given, const char *opt,
    enum mode form)
{
	if (given && r->mode != form)
		die("%s is for %s, not %s; see 'reach refer --help'", opt,
		    form_name[form], form_name[r->mode]);
}

static void check_form(struct refer *r)
{
	const char *verb = r->nargs ? r->args[0] : "";

	if (strcmp(verb, "update") == 0 || strcmp(verb, "list") == 0) {
		r->mode = verb[0] == 'u' ? M_UPDATE : M_LIST;
		r->args++, r->nargs--;
	}
	only(r, r->routes_path != NULL, "--routes", M_PUSH);
	only(r, r->cooldown >= 0, "--cooldown", M_PUSH);
	only(r, r->dry_run, "--dry-run", M_PUSH);
	only(r, r->status != NULL, "--status", M_UPDATE);
	only(r, r->willing >= 0, "--willing", M_UPDATE);
	only(r, r->able >= 0, "--able", M_UPDATE);
	only(r, r->note != NULL, "--note", M_UPDATE);
	only(r, r->from != NULL, "--from", M_UPDATE);
	only(r, r->open, "--open", M_LIST);
	only(r, r->overdue, "--overdue", M_LIST);
	only(r, r->town != NULL, "--town", M_LIST);
	if (r->mode == M_LIST && r->nargs)
		die("list takes no file: '%s'", r->args[0]);
	if (r->mode != M_UPDATE)
		return;
	if (r->from && (r->nargs || r->status || r->willing >= 0 ||
	    r->able >= 0 || r->note))
		die("update --from FILE takes its refs and steps from FILE, "
		    "one JSON object per line");
	if (!r->from && r->nargs != 1)
		die("update needs one REF (or --from FILE)");
	if (!r->from && !r->status && r->willing < 0 && r->able < 0 &&
	    !r->note)
		die("update %s: say what happened: --status, --willing, "
		    "--able or --note", r->args[0]);
}

/* What a township office needs to find and talk to each member; health
 * and disability details stay in the flags' sentences and the
 * database. */
static jv member_view(jv m)
{
	static const char *const keep[] = { "pid", "id", "id_raw", "name",
	    "sex", "age", "rel", "phone", "addr", "death" };
	jv out = jv_object(), v;
	size_t i;

	for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		v = jv_object_get(jv_copy(m), jv_string(keep[i]));
		if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL)
			out = jv_object_set(out, jv_string(keep[i]), v);
		else
			jv_free(v);
	}
	jv_free(m);
	return out;
}

/* members of hh (borrowed), trimmed */
static jv members(jv hh)
{
	jv in = jv_object_get(jv_copy(hh), jv_string("members")), out;
	int i, n;

	out = jv_array();
	if (jv_get_kind(in) == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(in));
		for (i = 0; i < n; i++)
			out = jv_array_append(out,
			    member_view(jv_array_get(jv_copy(in), i)));
	}
	jv_free(in);
	return out;
}

static jv copy_str(jv to, jv from, const char *key)
{
	jv v = jv_object_get(jv_copy(from), jv_string(key));

	if (jv_get_kind(v) == JV_KIND_STRING && jv_string_length_bytes(
	    jv_copy(v)) > 0)
		return jv_object_set(to, jv_string(key), v);
	jv_free(v);
	return to;
}

/* The referral routing makes of household hh (borrowed) and its flags
 * (consumed). */
static jv candidate(struct refer *r, jv hh, jv flags)
{
	struct rt_result res;
	char office[256], due[11];
	jv c = jv_object(), town;

	routes_apply(r->routes, hh, flags, &res);
	c = copy_str(c, hh, "hid");
	c = copy_str(c, hh, "town");
	c = copy_str(c, hh, "village");
	town = jv_object_get(jv_copy(c), jv_string("town"));
	routes_office(r->routes, jv_is_valid(town) ? jv_string_value(town) :
	    NULL, office, sizeof office);
	jv_free(town);
	routes_due(r->routes, r->as_of, res.urgent, due);
	c = jv_object_set(c, jv_string("office"), jv_string(office));
	c = jv_object_set(c, jv_string("to"), routes_to(r->routes, &res));
	c = jv_object_set(c, jv_string("mode"), routes_modes(&res));
	c = jv_object_set(c, jv_string("urgent"), jv_bool(res.urgent));
	c = jv_object_set(c, jv_string("due"), jv_string(due));
	c = jv_object_set(c, jv_string("flags"), flags);
	return jv_object_set(c, jv_string("members"), members(hh));
}

/* One household read (consumed): a candidate in the batch, or nothing
 * when it has no flag. */
static void household(struct refer *r, const struct nd_reader *nd, jv hh)
{
	jv hid = jv_object_get(jv_copy(hh), jv_string("hid"));
	jv flags = jv_object_get(jv_copy(hh), jv_string("flags"));
	const char *raw;
	size_t len;

	r->households++;
	if (jv_get_kind(hid) != JV_KIND_STRING || jv_string_length_bytes(
	    jv_copy(hid)) == 0) {
		raw = nd_raw(nd, &len);
		reject(nd_name(nd), nd_line(nd), "no \"hid\": a referral needs "
		    "the household key from reach match", raw, len);
	} else if (jv_get_kind(flags) == JV_KIND_ARRAY &&
	    jv_array_length(jv_copy(flags)) > 0) {
		r->batch = jv_array_append(r->batch, candidate(r, hh,
		    jv_copy(flags)));
	} else if (jv_is_valid(flags) && jv_get_kind(flags) != JV_KIND_NULL &&
	    jv_get_kind(flags) != JV_KIND_ARRAY) {
		raw = nd_raw(nd, &len);
		reject(nd_name(nd), nd_line(nd), "\"flags\" is not an array",
		    raw, len);
	} else
		r->unflagged++;
	jv_free(flags);
	jv_free(hid);
	jv_free(hh);
}

/* Audit and commit one batch; a dry run keeps its one transaction open
 * to the end and rolls it back, so that later batches see the earlier. */
static void commit(struct refer *r, const char *command, const char *detail,
    long long rows)
{
	char err[512];

	if (r->dry_run)
		return;
	if ((rows > 0 && db_audit(r->db, r->ctx.who, command, detail, rows,
	    err, sizeof err) < 0) || db_commit(r->db, err, sizeof err) < 0)
		die("%s: %s", r->dbpath, err);
	r->in_tx = 0;
}

static void begin(struct refer *r)
{
	char err[512];

	if (r->in_tx)
		return;
	if (db_begin(r->db, err, sizeof err) < 0)
		die("%s: %s", r->dbpath, err);
	r->in_tx = 1;
}

/* Write the batch in one transaction, then print what it did: a
 * referral is printed only once it is in the ledger. */
static void flush(struct refer *r)
{
	long long before[LG_COOLDOWN + 1], rows;
	enum lg_result res;
	char err[512], detail[128];
	jv outs, c, out;
	int i, n = jv_array_length(jv_copy(r->batch));

	if (n == 0)
		return;
	outs = jv_array();
	memcpy(before, r->result, sizeof before);
	begin(r);
	for (i = 0; i < n; i++) {
		c = jv_array_get(jv_copy(r->batch), i);
		res = ledger_refer(r->lg, &r->ctx, c, &out, err, sizeof err);
		jv_free(c);
		if (res == LG_FAIL)
			die("%s: %s", r->dbpath, err);
		r->result[res]++;
		if (jv_is_valid(out))
			outs = jv_array_append(outs, out);
	}
	rows = jv_array_length(jv_copy(outs));
	snprintf(detail, sizeof detail, "%lld pushed, %lld with new flags "
	    "(%lld escalated)", r->result[LG_PUSHED] - before[LG_PUSHED],
	    r->result[LG_ADDED] + r->result[LG_ESCALATED] - before[LG_ADDED] -
	    before[LG_ESCALATED], r->result[LG_ESCALATED] -
	    before[LG_ESCALATED]);
	commit(r, "refer", detail, rows);
	for (i = 0; i < rows; i++)
		out_jv(jv_array_get(jv_copy(outs), i));
	jv_free(outs);
	jv_free(r->batch);
	r->batch = jv_array();
}

static void push_household(jv hh, const struct nd_reader *nd, void *arg)
{
	struct refer *r = arg;

	household(r, nd, hh);
	if (jv_array_length(jv_copy(r->batch)) >= BATCH)
		flush(r);
}

/* Households are pushed in batches; an invalid line stops the run after
 * the batches before it (or, with --rejects, goes there). */
static int push_file(struct refer *r, const char *path)
{
	return read_records(path, push_household, r);
}

static void print_stats(const struct refer *r)
{
	fprintf(stderr, "{\"households\":%lld,\"unflagged\":%lld,"
	    "\"pushed\":%lld,\"flags_added\":%lld,\"escalated\":%lld,"
	    "\"unchanged\":%lld,\"cooldown\":%lld,\"rejected\":%lld,"
	    "\"bad_files\":%lld,\"dry_run\":%s}\n", r->households,
	    r->unflagged, r->result[LG_PUSHED], r->result[LG_ADDED],
	    r->result[LG_ESCALATED], r->result[LG_UNCHANGED],
	    r->result[LG_COOLDOWN], rejects_count(), r->bad_files,
	    r->dry_run ? "true" : "false");
}

static struct routes *load_routes(const char *path)
{
	struct routes *rt;
	char err[512], *text = NULL;
	size_t len = 0;
	FILE *fp;

	if (path == NULL) {
		if ((rt = routes_builtin(err, sizeof err)) == NULL)
			die("%s", err);
		return rt;
	}
	if ((fp = fopen(path, "r")) == NULL)
		die("cannot open '%s': %s", path, strerror(errno));
	if (getdelim(&text, &len, '\0', fp) < 0 && ferror(fp))
		die("cannot read '%s': %s", path, strerror(errno));
	fclose(fp);
	rt = routes_parse(text ? text : "", text ? strlen(text) : 0, path,
	    err, sizeof err);
	free(text);
	if (rt == NULL)
		die("%s", err);
	return rt;
}

static int run_push(struct refer *r)
{
	static char *stdin_only[] = { "-" };
	size_t i;
	int stopped = 0;

	if (r->nargs == 0)
		r->args = stdin_only, r->nargs = 1;
	r->batch = jv_array();
	for (i = 0; i < r->nargs && !stopped; i++) {
		int rc = push_file(r, r->args[i]);

		r->bad_files += rc < 0;
		stopped = rc > 0;
	}
	flush(r);
	jv_free(r->batch);
	if (r->dry_run)
		db_rollback(r->db);
	if (copt.stats)
		print_stats(r);
	if (rejects_count() > 0)
		note("%lld records rejected%s%s", rejects_count(),
		    copt.rejects ? ", see " : "", copt.rejects ? copt.rejects :
		    "");
	return r->bad_files || stopped || rejects_count() ? EXIT_DATA : 0;
}

/* One update; 0 done, 1 refused (said on stderr as where: why), 2
 * nothing to do.  A done update's referral is appended to *outs. */
static int apply(struct refer *r, const struct lg_update *u,
    const struct lg_ctx *ctx, const char *where, jv *outs)
{
	char err[512];
	jv out;
	int rc = ledger_update(r->lg, ctx, u, &out, err, sizeof err);

	if (rc < 0)
		die("%s: %s", r->dbpath, err);
	if (rc == 1)
		error("%s%s", where, err);
	else if (rc == 2)
		note("%s%s", where, err);
	else
		*outs = jv_array_append(*outs, out);
	return rc;
}

static void write_all(jv outs)
{
	int i, n = jv_array_length(jv_copy(outs));

	for (i = 0; i < n; i++)
		out_jv(jv_array_get(jv_copy(outs), i));
	jv_free(outs);
}

static int run_update(struct refer *r)
{
	struct lg_update u = { r->args[0], r->status, r->willing, r->able,
	    r->note };
	char detail[128];
	jv outs = jv_array(), rec, st, ev;
	int rc;

	begin(r);
	if ((rc = apply(r, &u, &r->ctx, "", &outs)) == 0) {
		rec = jv_array_get(jv_copy(outs), 0);
		st = jv_object_get(jv_copy(rec), jv_string("status"));
		ev = jv_object_get(rec, jv_string("event"));
		snprintf(detail, sizeof detail, "%s %s %s", u.ref,
		    jv_string_value(ev), jv_string_value(st));
		jv_free(st);
		jv_free(ev);
		commit(r, "refer update", detail, 1);
	} else
		db_rollback(r->db);
	write_all(outs);
	return rc == 1 ? EXIT_DATA : 0;
}

/* One line of an update file (borrowed) into u; NULL, or why not. */
static const char *update_line(jv v, struct lg_update *u, const char **by)
{
	static const char *const keys[] = { "ref", "status", "note", "by" };
	const char *s[4] = { NULL };
	jv x[4], w;
	jv_kind k;
	int i, *yn;

	for (i = 0; i < 4; i++) {
		x[i] = jv_object_get(jv_copy(v), jv_string(keys[i]));
		if (jv_get_kind(x[i]) == JV_KIND_STRING)
			s[i] = jv_string_value(x[i]);
		jv_free(x[i]);	/* v still holds the strings */
	}
	u->ref = s[0], u->status = s[1], u->note = s[2], *by = s[3];
	if (u->ref == NULL)
		return "no \"ref\"";
	if (u->status && (!ledger_status_valid(u->status) ||
	    strcmp(u->status, "pushed") == 0))
		return "\"status\": expected contacted, applying, aided, "
		    "declined or closed";
	for (i = 0; i < 2; i++) {
		yn = i ? &u->able : &u->willing;
		w = jv_object_get(jv_copy(v), jv_string(i ? "able" : "willing"));
		k = jv_get_kind(w);
		*yn = k == JV_KIND_TRUE ? 1 : k == JV_KIND_FALSE ? 0 :
		    k == JV_KIND_STRING ? yes_no(jv_string_value(w)) :
		    k == JV_KIND_INVALID || k == JV_KIND_NULL ? -1 : -2;
		jv_free(w);
		if (*yn == -2 || (*yn == -1 && k == JV_KIND_STRING))
			return i ? "\"able\": expected true, false, \"yes\" or "
			    "\"no\"" : "\"willing\": expected true, false, "
			    "\"yes\" or \"no\"";
	}
	return NULL;
}

/* Updates from townships, one JSON object per line, in one transaction:
 * a refused line is named and skipped, the others are applied. */
static int run_update_from(struct refer *r)
{
	FILE *fp = strcmp(r->from, "-") == 0 ? stdin : fopen(r->from, "r");
	struct nd_reader *nd;
	struct lg_update u;
	struct lg_ctx ctx = r->ctx;
	enum nd_status st;
	char err[512], where[600], detail[128];
	const char *why, *by;
	long long done = 0, refused = 0;
	jv v, outs = jv_array();

	if (fp == NULL)
		die("cannot open '%s': %s", r->from, strerror(errno));
	if ((nd = nd_open(fp, r->from)) == NULL)
		die("out of memory");
	begin(r);
	while ((st = nd_next(nd, &v, err, sizeof err)) == ND_OK ||
	    st == ND_BAD) {
		if (st == ND_BAD) {
			error("%s", err);
			refused++;
			continue;
		}
		snprintf(where, sizeof where, "%s:%ld: ", r->from, nd_line(nd));
		if ((why = update_line(v, &u, &by)) != NULL) {
			error("%s%s", where, why);
			refused++;
		} else {
			ctx.who = by ? by : r->ctx.who;
			switch (apply(r, &u, &ctx, where, &outs)) {
			case 0: done++; break;
			case 1: refused++; break;
			}
		}
		jv_free(v);
	}
	if (st == ND_IOERR)
		die("%s", err);
	snprintf(detail, sizeof detail, "%s: %lld applied, %lld refused",
	    r->from, done, refused);
	commit(r, "refer update", detail, done);
	nd_free(nd);
	if (fp != stdin)
		fclose(fp);
	write_all(outs);
	return refused ? EXIT_DATA : 0;
}

static int list_one(jv rec, void *arg)
{
	out_jv(rec);
	return 0;
}

static int run_list(struct refer *r)
{
	struct lg_filter f = { r->open, r->overdue, r->town };
	char err[512];

	if (ledger_list(r->lg, &r->ctx, &f, list_one, NULL, err, sizeof err) <
	    0)
		die("%s: %s", r->dbpath, err);
	return 0;
}

int cmd_refer(int argc, char **argv)
{
	struct refer r = { .cooldown = -1, .willing = -1, .able = -1 };
	char err[512];
	int rc;

	parse_args(&argp, argc, argv, &r);
	check_form(&r);
	snprintf(r.as_of, sizeof r.as_of, "%s", as_of_day());
	r.ctx.as_of = r.as_of;
	r.ctx.cooldown = r.cooldown < 0 ? 90 : r.cooldown;
	r.ctx.who = r.by ? r.by : who_am_i();
	if (r.mode == M_PUSH)
		r.routes = load_routes(r.routes_path);
	if (r.dry_run && access(r.dbpath, F_OK) != 0)
		die("no database '%s': --dry-run writes nothing, not even a new "
		    "database", r.dbpath);
	out_open();
	if ((r.db = db_open(r.dbpath, err, sizeof err)) == NULL)
		die("%s", err);
	if ((r.lg = ledger_open(r.db, err, sizeof err)) == NULL)
		die("%s: %s", r.dbpath, err);
	if (r.mode == M_PUSH)
		rc = run_push(&r);
	else if (r.mode == M_LIST)
		rc = run_list(&r);
	else
		rc = r.from ? run_update_from(&r) : run_update(&r);
	out_close();
	ledger_free(r.lg);
	db_close(r.db);
	routes_free(r.routes);
	return rc;
}
