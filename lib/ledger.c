/*
 * ledger.c — the referral ledger (see ledger.h).
 *
 * Lists of programmes, flags and members are stored as JSON text: they
 * are read back whole, never searched by SQL, and keep unknown keys of
 * the flags as they came.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "routes.h"

#define COLS "ref, hid, town, village, office, programmes, modes, urgent, " \
	"risk, due, flags, members, status, willing, able, pushed, closed, " \
	"outcome"

enum { C_REF, C_HID, C_TOWN, C_VILLAGE, C_OFFICE, C_TO, C_MODE, C_URGENT,
	C_RISK, C_DUE, C_FLAGS, C_MEMBERS, C_STATUS, C_WILLING, C_ABLE,
	C_PUSHED, C_CLOSED, C_OUTCOME };

enum { S_OPEN, S_RECENT, S_GET, S_SEQ, S_INSERT, S_EVENT, S_MERGE, S_STEP,
	NSTMT };

static const char *const sql[NSTMT] = {
	[S_OPEN] = "SELECT " COLS " FROM referrals WHERE hid = ? AND "
	    "status <> 'closed'",
	[S_RECENT] = "SELECT " COLS " FROM referrals WHERE hid = ? AND "
	    "status = 'closed' AND closed > ? ORDER BY closed DESC LIMIT 1",
	[S_GET] = "SELECT " COLS " FROM referrals WHERE ref = ?",
	[S_SEQ] = "INSERT INTO referral_seq(year, last) VALUES (?, 1) "
	    "ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last",
	[S_INSERT] = "INSERT INTO referrals(ref, hid, town, village, office, "
	    "programmes, modes, urgent, risk, due, flags, members, status, "
	    "pushed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pushed', ?)",
	[S_EVENT] = "INSERT INTO referral_events(ref, day, who, kind, "
	    "status_from, status_to, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[S_MERGE] = "UPDATE referrals SET programmes = ?, modes = ?, "
	    "urgent = ?, risk = ?, due = ?, flags = ?, members = ? WHERE ref = ?",
	[S_STEP] = "UPDATE referrals SET status = ?1, "
	    "willing = coalesce(?2, willing), able = coalesce(?3, able), "
	    "closed = coalesce(?4, closed), outcome = coalesce(?5, outcome) "
	    "WHERE ref = ?6",
};

struct ledger {
	sqlite3 *db;
	sqlite3_stmt *st[NSTMT];
};

static int fail(struct ledger *lg, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(lg->db));
	return -1;
}

struct ledger *ledger_open(sqlite3 *db, char *err, size_t errlen)
{
	struct ledger *lg = calloc(1, sizeof *lg);
	int i;

	if (lg == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lg->db = db;
	for (i = 0; i < NSTMT; i++)
		if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &lg->st[i], NULL) != SQLITE_OK) {
			fail(lg, err, errlen, "referral ledger");
			ledger_free(lg);
			return NULL;
		}
	return lg;
}

void ledger_free(struct ledger *lg)
{
	int i;

	if (lg == NULL)
		return;
	for (i = 0; i < NSTMT; i++)
		sqlite3_finalize(lg->st[i]);
	free(lg);
}

/* Bind helpers: jv arguments are borrowed. */
static void bind_str(sqlite3_stmt *st, int i, jv v)
{
	if (jv_get_kind(v) == JV_KIND_STRING)
		sqlite3_bind_text(st, i, jv_string_value(v), -1,
		    SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_json(sqlite3_stmt *st, int i, jv v)
{
	jv s = jv_dump_string(jv_copy(v), 0);

	sqlite3_bind_text(st, i, jv_string_value(s), -1, SQLITE_TRANSIENT);
	jv_free(s);
}

/* Key k of o (borrowed), as a new value. */
static jv get(jv o, const char *k)
{
	return jv_object_get(jv_copy(o), jv_string(k));
}

static void bind_key(sqlite3_stmt *st, int i, jv o, const char *k)
{
	jv v = get(o, k);

	bind_str(st, i, v);
	jv_free(v);
}

/* Key k of o as JSON text; an array when absent. */
static void bind_key_json(sqlite3_stmt *st, int i, jv o, const char *k)
{
	jv v = get(o, k);

	bind_json(st, i, jv_is_valid(v) && jv_get_kind(v) != JV_KIND_NULL ?
	    v : jv_array());
	jv_free(v);
}

static jv col_json(sqlite3_stmt *st, int c)
{
	const char *s = (const char *)sqlite3_column_text(st, c);
	jv v = s ? jv_parse(s) : jv_array();

	return jv_is_valid(v) ? v : (jv_free(v), jv_array());
}

static jv col_str(sqlite3_stmt *st, int c)
{
	const char *s = (const char *)sqlite3_column_text(st, c);

	return s ? jv_string(s) : jv_null();
}

static jv col_bool(sqlite3_stmt *st, int c)
{
	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return jv_null();
	return jv_bool(sqlite3_column_int(st, c));
}

/* The current row of st as a referral record, in records.md order. */
static jv row_jv(sqlite3_stmt *st)
{
	jv r = jv_object(), v;

	r = jv_object_set(r, jv_string("ref"), col_str(st, C_REF));
	r = jv_object_set(r, jv_string("hid"), col_str(st, C_HID));
	r = jv_object_set(r, jv_string("town"), col_str(st, C_TOWN));
	if (sqlite3_column_type(st, C_VILLAGE) != SQLITE_NULL)
		r = jv_object_set(r, jv_string("village"),
		    col_str(st, C_VILLAGE));
	r = jv_object_set(r, jv_string("office"), col_str(st, C_OFFICE));
	r = jv_object_set(r, jv_string("to"), col_json(st, C_TO));
	v = col_json(st, C_MODE);
	if (jv_array_length(jv_copy(v)) > 0)
		r = jv_object_set(r, jv_string("mode"), v);
	else
		jv_free(v);
	r = jv_object_set(r, jv_string("urgent"), col_bool(st, C_URGENT));
	r = jv_object_set(r, jv_string("risk"), col_str(st, C_RISK));
	r = jv_object_set(r, jv_string("due"), col_str(st, C_DUE));
	r = jv_object_set(r, jv_string("flags"), col_json(st, C_FLAGS));
	r = jv_object_set(r, jv_string("members"), col_json(st, C_MEMBERS));
	r = jv_object_set(r, jv_string("status"), col_str(st, C_STATUS));
	r = jv_object_set(r, jv_string("pushed"), col_str(st, C_PUSHED));
	if (sqlite3_column_type(st, C_WILLING) != SQLITE_NULL)
		r = jv_object_set(r, jv_string("willing"),
		    col_bool(st, C_WILLING));
	if (sqlite3_column_type(st, C_ABLE) != SQLITE_NULL)
		r = jv_object_set(r, jv_string("able"), col_bool(st, C_ABLE));
	if (sqlite3_column_type(st, C_CLOSED) != SQLITE_NULL) {
		r = jv_object_set(r, jv_string("closed"),
		    col_str(st, C_CLOSED));
		r = jv_object_set(r, jv_string("outcome"),
		    col_str(st, C_OUTCOME));
	}
	return r;
}

/* Run a SELECT of COLS bound to one or two strings: the first row as a
 * record, jv_null() when none, jv_invalid() on error. */
static jv fetch(struct ledger *lg, int which, const char *a, const char *b)
{
	sqlite3_stmt *st = lg->st[which];
	jv r;
	int rc;

	sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	r = rc == SQLITE_ROW ? row_jv(st) : rc == SQLITE_DONE ? jv_null() :
	    jv_invalid();
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

static int level_rank(jv level)
{
	const char *s;

	if (jv_get_kind(level) != JV_KIND_STRING)
		return 0;
	s = jv_string_value(level);
	return strcmp(s, "red") == 0 ? 3 : strcmp(s, "orange") == 0 ? 2 :
	    strcmp(s, "yellow") == 0 ? 1 : 0;
}

/* The highest level among flags (borrowed): its rank, and in *name
 * its name (null when no flag has a known level). */
static int max_level(jv flags, jv *name)
{
	int i, n = jv_array_length(jv_copy(flags)), best = 0, r;
	jv f, lv;

	*name = jv_null();
	for (i = 0; i < n; i++) {
		f = jv_array_get(jv_copy(flags), i);
		lv = get(f, "level");
		jv_free(f);
		if ((r = level_rank(lv)) > best) {
			best = r;
			jv_free(*name);
			*name = lv;
		} else
			jv_free(lv);
	}
	return best;
}

/* What makes a flag the same flag on another day: its rule id, else its
 * sentence.  f is borrowed. */
static jv flag_key(jv f)
{
	jv k = get(f, "rule");

	if (jv_get_kind(k) == JV_KIND_STRING)
		return k;
	jv_free(k);
	k = get(f, "why");
	if (jv_get_kind(k) == JV_KIND_STRING)
		return k;
	jv_free(k);
	return jv_string("");
}

static int has_flag(jv flags, jv key)
{
	int i, n = jv_array_length(jv_copy(flags)), found = 0;
	jv f;

	for (i = 0; i < n && !found; i++) {
		f = jv_array_get(jv_copy(flags), i);
		found = jv_equal(flag_key(f), jv_copy(key));
		jv_free(f);
	}
	return found;
}

/* The flags of now (borrowed) that were not in before (borrowed); only
 * the red ones when red_only. */
static jv new_flags(jv before, jv now, int red_only)
{
	int i, n = jv_array_length(jv_copy(now));
	jv out = jv_array(), f, k, lv;

	for (i = 0; i < n; i++) {
		f = jv_array_get(jv_copy(now), i);
		k = flag_key(f);
		lv = get(f, "level");
		if (!has_flag(before, k) && (!red_only || level_rank(lv) == 3))
			out = jv_array_append(out, jv_copy(f));
		jv_free(lv);
		jv_free(k);
		jv_free(f);
	}
	return out;
}

/* a and then what b adds (both borrowed; either may be no array). */
static jv set_union(jv a, jv b)
{
	jv out = jv_get_kind(a) == JV_KIND_ARRAY ? jv_copy(a) : jv_array();
	int i, j, n, m, dup;

	if (jv_get_kind(b) != JV_KIND_ARRAY)
		return out;
	n = jv_array_length(jv_copy(b));
	for (i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(b), i);

		m = jv_array_length(jv_copy(out));
		for (j = 0, dup = 0; j < m && !dup; j++)
			dup = jv_equal(jv_array_get(jv_copy(out), j), jv_copy(e));
		out = dup ? (jv_free(e), out) : jv_array_append(out, e);
	}
	return out;
}

static int is_true(jv o, const char *k)
{
	jv v = get(o, k);
	int t = jv_get_kind(v) == JV_KIND_TRUE;

	jv_free(v);
	return t;
}

/* Key k of o (borrowed): 1 true, 0 false, -1 unknown. */
static int yesno(jv o, const char *k)
{
	jv v = get(o, k);
	int r = jv_get_kind(v) == JV_KIND_TRUE ? 1 :
	    jv_get_kind(v) == JV_KIND_FALSE ? 0 : -1;

	jv_free(v);
	return r;
}

/* A string key of o (borrowed) into buf; "" when absent. */
static const char *str(jv o, const char *k, char *buf, size_t len)
{
	jv v = get(o, k);

	snprintf(buf, len, "%s", jv_get_kind(v) == JV_KIND_STRING ?
	    jv_string_value(v) : "");
	jv_free(v);
	return buf;
}

/* The next readable id of the year of as_of: R2026-000123. */
static int next_ref(struct ledger *lg, const char *as_of, char *ref,
    size_t len)
{
	sqlite3_stmt *st = lg->st[S_SEQ];
	int rc;

	sqlite3_bind_int(st, 1, atoi(as_of));
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(ref, len, "R%.4s-%06lld", as_of,
		    (long long)sqlite3_column_int64(st, 0));
	/* RETURNING writes when the statement is run to its end */
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* detail (borrowed) may be jv_null(). */
static int event(struct ledger *lg, const struct lg_ctx *ctx,
    const char *ref, const char *kind, const char *from, const char *to,
    jv detail)
{
	sqlite3_stmt *st = lg->st[S_EVENT];
	int rc;

	sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, ctx->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ctx->who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, to, -1, SQLITE_STATIC);
	if (jv_get_kind(detail) == JV_KIND_NULL)
		sqlite3_bind_null(st, 7);
	else
		bind_json(st, 7, detail);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The referral ref as it now stands, marked with what just happened. */
static enum lg_result result(struct ledger *lg, const char *ref,
    const char *what, enum lg_result r, jv *out, char *err, size_t errlen)
{
	jv rec = fetch(lg, S_GET, ref, NULL);

	if (jv_get_kind(rec) != JV_KIND_OBJECT) {
		jv_free(rec);
		fail(lg, err, errlen, "reading the referral back");
		return LG_FAIL;
	}
	*out = jv_object_set(rec, jv_string("event"), jv_string(what));
	return r;
}

/* A new referral; after (borrowed) is the case closed within the
 * cooldown that a new red flag (red, borrowed) reopens, or null. */
static enum lg_result push(struct ledger *lg, const struct lg_ctx *ctx,
    jv cand, jv after, jv red, jv *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = lg->st[S_INSERT];
	jv flags = get(cand, "flags"), risk, detail = jv_null();
	char ref[32], buf[64];
	int rc;

	if (next_ref(lg, ctx->as_of, ref, sizeof ref) < 0)
		goto failed;
	max_level(flags, &risk);
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
	bind_key(st, 2, cand, "hid");
	bind_key(st, 3, cand, "town");
	bind_key(st, 4, cand, "village");
	bind_key(st, 5, cand, "office");
	bind_key_json(st, 6, cand, "to");
	bind_key_json(st, 7, cand, "mode");
	sqlite3_bind_int(st, 8, is_true(cand, "urgent"));
	bind_str(st, 9, risk);
	bind_key(st, 10, cand, "due");
	bind_json(st, 11, flags);
	bind_key_json(st, 12, cand, "members");
	sqlite3_bind_text(st, 13, ctx->as_of, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	jv_free(flags);
	jv_free(risk);
	if (rc != SQLITE_DONE)
		goto failed;
	if (jv_get_kind(after) == JV_KIND_OBJECT) {
		detail = jv_object_set(jv_object(), jv_string("after"),
		    jv_string(str(after, "ref", buf, sizeof buf)));
		detail = jv_object_set(detail, jv_string("new_red"),
		    jv_copy(red));
	}
	rc = event(lg, ctx, ref, "pushed", NULL, "pushed", detail);
	jv_free(detail);
	if (rc < 0)
		goto failed;
	return result(lg, ref, "pushed", LG_PUSHED, out, err, errlen);
failed:
	fail(lg, err, errlen, "pushing a referral");
	return LG_FAIL;
}

/* What changed when new flags (borrowed) came to an open case. */
static jv merge_detail(jv newf, int escalate, int urgent, jv risk,
    const char *due)
{
	jv d = jv_object_set(jv_object(), jv_string("flags"), jv_copy(newf));

	if (escalate) {
		d = jv_object_set(d, jv_string("urgent"), jv_bool(urgent));
		d = jv_object_set(d, jv_string("risk"), jv_copy(risk));
		d = jv_object_set(d, jv_string("due"), jv_string(due));
	}
	return d;
}

/* Bind the union of key k of a and of b (both borrowed). */
static void bind_union(sqlite3_stmt *st, int i, jv a, jv b, const char *k)
{
	jv x = get(a, k), y = get(b, k), u = set_union(x, y);

	bind_json(st, i, u);
	jv_free(x), jv_free(y), jv_free(u);
}

/* New flags on an open case (open, cand borrowed): one event, and more
 * urgency when they are more serious.  Urgency never goes down. */
static enum lg_result merge(struct ledger *lg, const struct lg_ctx *ctx,
    jv open, jv cand, jv *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = lg->st[S_MERGE];
	jv oflags = get(open, "flags"), cflags = get(cand, "flags"), newf,
	    risk = get(open, "risk"), nrisk, detail;
	char ref[32], due[16], cdue[16];
	int ourgent = is_true(open, "urgent"), urgent, escalate, nrank, rc;

	newf = new_flags(oflags, cflags, 0);
	jv_free(cflags);
	if (jv_array_length(jv_copy(newf)) == 0) {
		jv_free(newf), jv_free(oflags), jv_free(risk);
		*out = jv_invalid();
		return LG_UNCHANGED;
	}
	str(open, "ref", ref, sizeof ref);
	str(open, "due", due, sizeof due);
	str(cand, "due", cdue, sizeof cdue);
	nrank = max_level(newf, &nrisk);
	urgent = ourgent || is_true(cand, "urgent");
	escalate = urgent > ourgent || nrank > level_rank(risk);
	if (escalate && *cdue && strcmp(cdue, due) < 0)
		memcpy(due, cdue, sizeof due);
	if (nrank > level_rank(risk)) {
		jv_free(risk);
		risk = jv_copy(nrisk);
	}
	jv_free(nrisk);
	oflags = jv_array_concat(oflags, jv_copy(newf));
	bind_union(st, 1, open, cand, "to");
	bind_union(st, 2, open, cand, "mode");
	sqlite3_bind_int(st, 3, urgent);
	bind_str(st, 4, risk);
	sqlite3_bind_text(st, 5, due, -1, SQLITE_TRANSIENT);
	bind_json(st, 6, oflags);
	bind_key_json(st, 7, cand, "members");
	sqlite3_bind_text(st, 8, ref, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	detail = merge_detail(newf, escalate, urgent, risk, due);
	if (rc == 0)
		rc = event(lg, ctx, ref, escalate ? "escalated" : "flags", NULL,
		    NULL, detail);
	jv_free(detail), jv_free(newf), jv_free(oflags), jv_free(risk);
	if (rc < 0) {
		fail(lg, err, errlen, "adding flags to a referral");
		return LG_FAIL;
	}
	return result(lg, ref, escalate ? "escalated" : "flags",
	    escalate ? LG_ESCALATED : LG_ADDED, out, err, errlen);
}

enum lg_result ledger_refer(struct ledger *lg, const struct lg_ctx *ctx,
    jv cand, jv *out, char *err, size_t errlen)
{
	jv open, recent, flags, red = jv_null();
	char hid[256], since[11];
	enum lg_result r;

	*out = jv_invalid();
	str(cand, "hid", hid, sizeof hid);
	open = fetch(lg, S_OPEN, hid, NULL);
	if (jv_get_kind(open) == JV_KIND_OBJECT) {
		r = merge(lg, ctx, open, cand, out, err, errlen);
		jv_free(open);
		return r;
	}
	if (!jv_is_valid(open))
		goto failed;
	rt_date(rt_day(ctx->as_of) - ctx->cooldown, since);
	recent = fetch(lg, S_RECENT, hid, since);
	if (!jv_is_valid(recent))
		goto failed;
	if (jv_get_kind(recent) == JV_KIND_OBJECT) {
		/* the family's last case ended lately: only something
		 * graver than what it knew reopens it */
		jv before = get(recent, "flags");

		flags = get(cand, "flags");
		red = new_flags(before, flags, 1);
		jv_free(before), jv_free(flags);
		if (jv_array_length(jv_copy(red)) == 0) {
			jv_free(red), jv_free(recent);
			return LG_COOLDOWN;
		}
	}
	r = push(lg, ctx, cand, recent, red, out, err, errlen);
	jv_free(recent), jv_free(red);
	return r;
failed:
	fail(lg, err, errlen, "reading the ledger");
	return LG_FAIL;
}

/* The life of a case; see ledger.h. */
static const char *const steps[][2] = {
	{ "pushed", "contacted" },
	{ "contacted", "applying" }, { "contacted", "aided" },
	{ "contacted", "declined" },
	{ "applying", "aided" }, { "applying", "declined" },
	{ "applying", "closed" },
	{ "aided", "closed" }, { "declined", "closed" },
};
#define NSTEPS (sizeof steps / sizeof steps[0])

int ledger_status_valid(const char *s)
{
	return strcmp(s, "pushed") == 0 || strcmp(s, "contacted") == 0 ||
	    strcmp(s, "applying") == 0 || strcmp(s, "aided") == 0 ||
	    strcmp(s, "declined") == 0 || strcmp(s, "closed") == 0;
}

static int step_allowed(const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < NSTEPS; i++)
		if (strcmp(steps[i][0], from) == 0 &&
		    strcmp(steps[i][1], to) == 0)
			return 1;
	return 0;
}

/* Where a case in state from may go: "contacted", "applying, aided or
 * declined". */
static void next_steps(const char *from, char *out, size_t len)
{
	const char *next[NSTEPS];
	size_t i, n = 0;

	for (i = 0; i < NSTEPS; i++)
		if (strcmp(steps[i][0], from) == 0)
			next[n++] = steps[i][1];
	if (n == 1)
		snprintf(out, len, "%s", next[0]);
	else if (n == 2)
		snprintf(out, len, "%s or %s", next[0], next[1]);
	else if (n == 3)
		snprintf(out, len, "%s, %s or %s", next[0], next[1], next[2]);
	else
		snprintf(out, len, "nowhere");
}

/* Whether u may apply to case cur (borrowed); 1 with err set if not. */
static int check_update(jv cur, const struct lg_update *u, char *err,
    size_t errlen)
{
	char ref[32], from[16], next[64];
	int willing = u->willing >= 0 ? u->willing : yesno(cur, "willing");

	str(cur, "ref", ref, sizeof ref);
	str(cur, "status", from, sizeof from);
	if (u->status == NULL)
		return 0;
	if (strcmp(from, "closed") == 0) {
		snprintf(err, errlen, "%s: cannot go from 'closed' to '%s': "
		    "the case is closed", ref, u->status);
		return 1;
	}
	if (!step_allowed(from, u->status)) {
		next_steps(from, next, sizeof next);
		snprintf(err, errlen, "%s: cannot go from '%s' to '%s': a "
		    "'%s' case goes next to %s", ref, from, u->status, from,
		    next);
		return 1;
	}
	if (strcmp(u->status, "contacted") == 0 &&
	    (u->willing < 0 || u->able < 0)) {
		snprintf(err, errlen, "%s: 'contacted' needs what the family "
		    "said: --willing yes|no and --able yes|no", ref);
		return 1;
	}
	if ((strcmp(u->status, "applying") == 0 ||
	    strcmp(u->status, "aided") == 0) && willing == 0) {
		snprintf(err, errlen, "%s: the family said it does not want "
		    "help (willing: no); record --willing yes if it changed "
		    "its mind, or 'declined'", ref);
		return 1;
	}
	return 0;
}

static void bind_yesno(sqlite3_stmt *st, int i, int v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int(st, i, v);
}

/* What an update said besides its status: note, willing, able. */
static jv update_detail(const struct lg_update *u)
{
	jv d = jv_object();

	if (u->note)
		d = jv_object_set(d, jv_string("note"), jv_string(u->note));
	if (u->willing >= 0)
		d = jv_object_set(d, jv_string("willing"), jv_bool(u->willing));
	if (u->able >= 0)
		d = jv_object_set(d, jv_string("able"), jv_bool(u->able));
	if (jv_object_length(jv_copy(d)) == 0) {
		jv_free(d);
		return jv_null();
	}
	return d;
}

int ledger_update(struct ledger *lg, const struct lg_ctx *ctx,
    const struct lg_update *u, jv *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = lg->st[S_STEP];
	struct lg_update v = *u;
	jv cur = fetch(lg, S_GET, u->ref, NULL), detail;
	char from[16];
	const char *to, *kind;
	int r, rc;

	*out = jv_invalid();
	if (!jv_is_valid(cur))
		return fail(lg, err, errlen, "reading the ledger");
	if (jv_get_kind(cur) != JV_KIND_OBJECT) {
		snprintf(err, errlen, "no referral '%s'", u->ref);
		return 1;
	}
	str(cur, "status", from, sizeof from);
	/* a township sending the same step twice changes nothing */
	if (v.status && strcmp(v.status, from) == 0)
		v.status = NULL;
	if (v.willing >= 0 && v.willing == yesno(cur, "willing"))
		v.willing = -1;
	if (v.able >= 0 && v.able == yesno(cur, "able"))
		v.able = -1;
	if (v.status == NULL && v.note == NULL && v.willing < 0 && v.able < 0) {
		snprintf(err, errlen, "%s: already '%s'; nothing changed",
		    u->ref, from);
		jv_free(cur);
		return 2;
	}
	r = check_update(cur, &v, err, errlen);
	jv_free(cur);
	if (r)
		return r;
	to = v.status ? v.status : from;
	kind = v.status ? "status" : "note";
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	bind_yesno(st, 2, v.willing);
	bind_yesno(st, 3, v.able);
	if (strcmp(to, "closed") == 0 && v.status) {
		sqlite3_bind_text(st, 4, ctx->as_of, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, from, -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_text(st, 6, u->ref, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	detail = update_detail(&v);
	if (rc == 0)
		rc = event(lg, ctx, u->ref, kind, v.status ? from : NULL,
		    v.status, detail);
	jv_free(detail);
	if (rc < 0)
		return fail(lg, err, errlen, "updating a referral");
	return result(lg, u->ref, kind, 0, out, err, errlen) == LG_FAIL ? -1 :
	    0;
}

int ledger_list(struct ledger *lg, const struct lg_ctx *ctx,
    const struct lg_filter *f, int (*fn)(jv rec, void *arg), void *arg,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	char q[512];
	jv rec;
	int rc, stop = 0, late;

	snprintf(q, sizeof q, "SELECT " COLS " FROM referrals WHERE 1%s%s%s "
	    "ORDER BY ref", f->open ? " AND status <> 'closed'" : "",
	    f->overdue ? " AND status = 'pushed' AND due < ?1" : "",
	    f->town ? " AND town = ?2" : "");
	if (sqlite3_prepare_v2(lg->db, q, -1, &st, NULL) != SQLITE_OK)
		return fail(lg, err, errlen, "listing referrals");
	sqlite3_bind_text(st, 1, ctx->as_of, -1, SQLITE_STATIC);
	if (f->town)
		sqlite3_bind_text(st, 2, f->town, -1, SQLITE_STATIC);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		late = strcmp((const char *)sqlite3_column_text(st, C_STATUS),
		    "pushed") == 0 && strcmp((const char *)
		    sqlite3_column_text(st, C_DUE), ctx->as_of) < 0;
		rec = row_jv(st);
		if (late)
			rec = jv_object_set(rec, jv_string("overdue"),
			    jv_true());
		stop = fn(rec, arg);
	}
	sqlite3_finalize(st);
	if (!stop && rc != SQLITE_DONE)
		return fail(lg, err, errlen, "listing referrals");
	return 0;
}
