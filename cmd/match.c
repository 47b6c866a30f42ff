/*
 * match.c — reach match: rows about people into households.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "buf.h"
#include "common.h"
#include "db.h"
#include "link.h"
#include "merge.h"
#include "ndjson.h"
#include "strpool.h"
#include "text.h"

struct match {
	const char *dbpath, *review;
	char *unique[LK_UNIQUE_MAX];	/* sources that list a person once */
	size_t nunique;
	double threshold;
	int explain;
	char **files;
	size_t nfiles;

	struct buf text;		/* every record's JSON text */
	size_t *off, nrec, caprec;
	struct strpool *seen;		/* hashes of records, for duplicates */
	struct strpool *hh;		/* "src:hh" household keys */
	uint32_t *hh_of;		/* per record: household key or 0 */
	unsigned char *rank;		/* per record: roster 0, monitor 1, … */
	const struct lk_pair **review_of;	/* per record: its review pair */
	jv *parsed;			/* per record: kept parsed, or invalid */
	struct linker *lk;
	long long dup, bad;
	struct area *area;		/* emergency areas named by the input */
	size_t narea;
	int area_only;			/* the stream named areas: only they */
	struct strpool *place;		/* towns and villages of the rows */
	uint32_t *town_of, *village_of;	/* per record: its place in place */
};

/* An area record: an event in a township, or in one of its villages. */
struct area {
	char town[128], village[128], kind[32], date[16], file[512];
	long line;
	uint32_t town_id, village_id;	/* in place; NO_PLACE: no row's */
};

#define NO_PLACE UINT32_MAX
#define ANY_PLACE (UINT32_MAX - 1)

static const char doc[] =
    "Link imported records (any sources, any order) into people and "
    "households, and write one household per line with its members and "
    "the merged facts of every row about them.\v"
    "Rows with one valid ID are one person; an ID one typo away from a "
    "person whose name agrees is repaired; rows without a usable ID are "
    "linked by match weights learned from the data.  See reach-match(1).";

enum { OPT_THRESHOLD = 0x300, OPT_REVIEW, OPT_EXPLAIN, OPT_UNIQUE };

static const struct argp_option options[] = {
	{ "db", 'd', "FILE", 0, "also read the rows of this database", 0 },
	{ "threshold", OPT_THRESHOLD, "P", 0,
	  "link when the match probability is at least P (default 0.95)", 0 },
	{ "review", OPT_REVIEW, "FILE", 0,
	  "write uncertain pairs (0.5 <= P < threshold) to FILE", 0 },
	{ "explain", OPT_EXPLAIN, NULL, 0,
	  "print every non-exact link readably instead of households", 0 },
	{ "unique", OPT_UNIQUE, "SRC,...", 0,
	  "these sources (a src, or an input file's name) list each person "
	  "at most once: never link two rows of one of them", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct match *mt = state->input;
	char *end, *tok;

	switch (key) {
	case 'd':
		mt->dbpath = arg;
		break;
	case OPT_THRESHOLD:
		mt->threshold = strtod(arg, &end);
		if (*end || mt->threshold <= 0.5 || mt->threshold >= 1)
			argp_error(state, "--threshold '%s': expected a "
			    "probability between 0.5 and 1", arg);
		break;
	case OPT_REVIEW:
		mt->review = arg;
		break;
	case OPT_EXPLAIN:
		mt->explain = 1;
		break;
	case OPT_UNIQUE:
		for (tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
			if (mt->nunique == LK_UNIQUE_MAX)
				argp_error(state, "--unique: at most %d sources",
				    LK_UNIQUE_MAX);
			mt->unique[mt->nunique++] = tok;
		}
		break;
	case ARGP_KEY_ARGS:
		mt->files = state->argv + state->next;
		mt->nfiles = state->argc - state->next;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse, "[FILE...]", doc,
    NULL, NULL, NULL };

static const char *str(jv obj, const char *key, char *buf, size_t len)
{
	jv v = jv_object_get(jv_copy(obj), jv_string(key));

	buf[0] = '\0';
	if (jv_get_kind(v) == JV_KIND_STRING)
		snprintf(buf, len, "%s", jv_string_value(v));
	jv_free(v);
	return buf;
}

/* The identity fields of a record, in one pass over its keys. */
struct identity {
	char id[32], raw[64], name[256], sex[4], birth[16], phone[64],
	    town[128], village[128], addr[512], src[64], hh[128];
	char given[128], family[128], postcode[32], card[64], file[512];
};

static const struct { const char *key; size_t off, len; } idkeys[] = {
#define K(f) { #f, offsetof(struct identity, f), sizeof ((struct identity *)0)->f }
	K(id), K(name), K(sex), K(birth), K(phone), K(town), K(village),
	K(addr), K(src), K(hh), K(given), K(family), K(postcode), K(card),
	{ "id_raw", offsetof(struct identity, raw), sizeof ((struct identity *)0)->raw },
	{ "src_file", offsetof(struct identity, file), sizeof ((struct identity *)0)->file },
#undef K
};
#define NKEYS (sizeof idkeys / sizeof idkeys[0])

/* The identity fields of a record (borrowed), in one pass over its keys. */
static void identity_of(jv rec, struct identity *who)
{
	size_t i;
	int it;

	memset(who, 0, sizeof *who);
	for (it = jv_object_iter(rec); jv_object_iter_valid(rec, it);
	    it = jv_object_iter_next(rec, it)) {
		jv k = jv_object_iter_key(rec, it), v;

		for (i = 0; i < NKEYS; i++)
			if (strcmp(jv_string_value(k), idkeys[i].key) == 0)
				break;
		if (i < NKEYS) {
			v = jv_object_iter_value(rec, it);
			if (jv_get_kind(v) == JV_KIND_STRING)
				snprintf((char *)who + idkeys[i].off, idkeys[i].len,
				    "%s", jv_string_value(v));
			jv_free(v);
		}
		jv_free(k);
	}
}

/* Which --unique source a row is of (1, 2, …), by its src, its file
 * as given, or the file's base name; 0 for none. */
static int unique_of(const struct match *mt, const struct identity *w)
{
	const char *base = strrchr(w->file, '/');
	size_t i;

	base = base ? base + 1 : w->file;
	for (i = 0; i < mt->nunique; i++)
		if (strcmp(mt->unique[i], w->src) == 0 ||
		    strcmp(mt->unique[i], w->file) == 0 ||
		    strcmp(mt->unique[i], base) == 0)
			return i + 1;
	return 0;
}

/* The town and village of record i among the rows' places. */
static void place_row(struct match *mt, size_t i, const char *town,
    const char *village)
{
	mt->town_of[i] = sp_intern(mt->place, town, strlen(town), 0);
	mt->village_of[i] = sp_intern(mt->place, village, strlen(village), 0);
	if ((town[0] && !mt->town_of[i]) || (village[0] && !mt->village_of[i]))
		die("out of memory");
}

/* Keep a record: its text for the merge, its identity for linking.
 * The same record twice (piped and in the database) counts once: 0,
 * else 1. */
static int add_record(struct match *mt, const char *s, size_t n,
    const struct identity *who)
{
	struct identity w = *who;
	char key[200];
	XXH128_hash_t h = XXH3_128bits(s, n);
	struct lk_row_in in;

	snprintf(key, sizeof key, "%016llx%016llx",
	    (unsigned long long)h.high64, (unsigned long long)h.low64);
	if (sp_count(mt->seen, sp_intern(mt->seen, key, 32, 1)) > 1) {
		mt->dup++;
		return 0;
	}
	if (mt->nrec == mt->caprec) {
		mt->caprec = mt->caprec ? mt->caprec * 2 : 4096;
		mt->off = realloc(mt->off, (mt->caprec + 1) * sizeof *mt->off);
		mt->hh_of = realloc(mt->hh_of, mt->caprec * sizeof *mt->hh_of);
		mt->rank = realloc(mt->rank, mt->caprec);
		mt->town_of = realloc(mt->town_of, mt->caprec * sizeof *mt->town_of);
		mt->village_of = realloc(mt->village_of,
		    mt->caprec * sizeof *mt->village_of);
		mt->parsed = realloc(mt->parsed, mt->caprec * sizeof *mt->parsed);
		if (!mt->off || !mt->hh_of || !mt->rank || !mt->town_of ||
		    !mt->village_of || !mt->parsed)
			die("out of memory");
	}
	mt->off[mt->nrec] = mt->text.len;
	if (buf_add(&mt->text, s, n) < 0)
		die("out of memory");
	in = (struct lk_row_in){ w.id, w.raw, w.name, w.sex, w.birth, w.phone,
	    w.town, w.village, w.addr, w.given, w.family, w.postcode, w.card,
	    unique_of(mt, &w) };
	if (lk_add(mt->lk, &in) == (size_t)-1)
		die("out of memory");
	/* household numbers are only meaningful within their source */
	snprintf(key, sizeof key, "%s:%s", w.src, w.hh);
	mt->hh_of[mt->nrec] = w.hh[0] ?
	    sp_intern(mt->hh, key, strlen(key), 1) : 0;
	/* the registers' own word on who someone is comes first */
	mt->rank[mt->nrec] = strcmp(w.src, "roster") == 0 ? 0 :
	    strcmp(w.src, "monitor") == 0 ? 1 : 2;
	/* the place, for an area run only (see place_rows) */
	mt->town_of[mt->nrec] = mt->village_of[mt->nrec] = 0;
	if (mt->area_only)
		place_row(mt, mt->nrec, w.town, w.village);
	mt->parsed[mt->nrec] = jv_invalid();
	mt->nrec++;
	mt->off[mt->nrec] = mt->text.len;
	return 1;
}

/* An area record (borrowed) names a place, not a person. */
static void add_area(struct match *mt, jv rec)
{
	struct area *a;
	jv dst = jv_object_get(jv_copy(rec), jv_string("dst")), line;

	mt->area = realloc(mt->area, (mt->narea + 1) * sizeof *mt->area);
	if (mt->area == NULL)
		die("out of memory");
	a = &mt->area[mt->narea++];
	str(rec, "town", a->town, sizeof a->town);
	str(rec, "village", a->village, sizeof a->village);
	str(rec, "src_file", a->file, sizeof a->file);
	str(dst, "kind", a->kind, sizeof a->kind);
	str(dst, "date", a->date, sizeof a->date);
	line = jv_object_get(jv_copy(rec), jv_string("src_line"));
	a->line = jv_get_kind(line) == JV_KIND_NUMBER ? jv_number_value(line) : 0;
	jv_free(line);
	jv_free(dst);
}

/* A record (consumed) of text s whose identity is w: a row about
 * someone, or an area.  A record mg_subject changed (a call about
 * someone else) is kept as its new text. */
static void add_row(struct match *mt, jv rec, const char *s, size_t n,
    const struct identity *w, int changed)
{
	jv text = jv_invalid();
	int added;

	if (strcmp(w->src, "area") == 0) {
		add_area(mt, rec);
		jv_free(rec);
		return;
	}
	if (changed) {
		text = jv_dump_string(jv_copy(rec), 0);
		s = jv_string_value(text);
		n = jv_string_length_bytes(jv_copy(text));
	}
	added = add_record(mt, s, n, w);
	jv_free(text);
	/* a few villages' rows: the merge need not parse them again */
	if (added && mt->area_only)
		mt->parsed[mt->nrec - 1] = rec;
	else
		jv_free(rec);
}

/* The row's own identity, and about whom it is (consumed, returned). */
static jv subject_of(jv rec, struct identity *w, int *changed)
{
	*changed = 0;
	rec = mg_subject(rec, changed);
	identity_of(rec, w);
	return rec;
}

static void take_record(struct match *mt, jv rec, const char *s, size_t n)
{
	struct identity w;
	int changed;

	rec = subject_of(rec, &w, &changed);
	add_row(mt, rec, s, n, &w, changed);
}

static void match_record(jv rec, const struct nd_reader *nd, void *arg)
{
	const char *raw;
	size_t len;

	raw = nd_raw(nd, &len);
	take_record(arg, rec, raw, len);
}

/* Invalid JSON stops the run, unless --rejects sends it aside. */
static void read_stream(struct match *mt, const char *path)
{
	switch (read_records(path, match_record, mt)) {
	case 1:
		exit(EXIT_DATA);
	case -1:
		mt->bad++;
	}
}

/*
 * Rows from the database come in chunks, and each chunk is parsed on
 * two threads while this one also adds the chunk before: parsing is
 * most of the work of reading, and SQLite gives a row's text only until
 * the next step.  Records are added in the order the statement gives
 * them, whatever the threads.  Only an area run does so: a full run of
 * a county reads row by row, as the chunks' identity fields (2 KB a
 * row) would cost it a third more time to read, out of the cache.
 */
#define MAX_THREADS 8		/* threads building households, at most */
#define CHUNK 2048		/* rows per chunk */

struct chunk {
	struct buf text;	/* the rows' texts, one after the other */
	size_t off[CHUNK + 1], n;
	jv rec[CHUNK];		/* parsed */
	struct identity who[CHUNK];
	int changed[CHUNK];	/* by mg_subject */
};

/* Rows [from, to) of a chunk, parsed: a share of the work. */
struct share {
	struct chunk *c;
	size_t from, to;
};

static void *parse_share(void *arg)
{
	struct share *sh = arg;
	struct chunk *c = sh->c;
	size_t i;

	for (i = sh->from; i < sh->to; i++) {
		c->rec[i] = jv_parse_sized(c->text.data + c->off[i],
		    c->off[i + 1] - c->off[i]);
		if (jv_get_kind(c->rec[i]) == JV_KIND_OBJECT)
			c->rec[i] = subject_of(c->rec[i], &c->who[i],
			    &c->changed[i]);
	}
	return NULL;
}

/* Up to CHUNK rows of st into c, none once *done (a statement stepped
 * again after its last row would start over). */
static size_t fill_chunk(struct match *mt, sqlite3 *db, sqlite3_stmt *st,
    struct chunk *c, int *done)
{
	int rc = SQLITE_ROW;

	buf_reset(&c->text);
	for (c->n = 0; c->n < CHUNK && !*done; c->n++) {
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			*done = 1;
			break;
		}
		c->off[c->n] = c->text.len;
		if (buf_add(&c->text, sqlite3_column_text(st, 0),
		    sqlite3_column_bytes(st, 0)) < 0)
			die("out of memory");
	}
	c->off[c->n] = c->text.len;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		die("%s: %s", mt->dbpath, sqlite3_errmsg(db));
	return c->n;
}

/* The parsed rows of c, in order: a person's, or an area. */
static void add_chunk(struct match *mt, struct chunk *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (jv_get_kind(c->rec[i]) != JV_KIND_OBJECT)
			die("%s: a row of the database is no JSON object",
			    mt->dbpath);
		add_row(mt, c->rec[i], c->text.data + c->off[i],
		    c->off[i + 1] - c->off[i], &c->who[i], c->changed[i]);
	}
	c->n = 0;
}

/* Every row a statement gives (one column: rec), one by one: a full
 * run's way, whose identity fields stay in the cache. */
static void load_each_row(struct match *mt, sqlite3 *db, sqlite3_stmt *st)
{
	const char *s;
	int rc, n;
	jv rec;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		n = sqlite3_column_bytes(st, 0);
		rec = jv_parse_sized(s ? s : "", n);
		if (jv_get_kind(rec) != JV_KIND_OBJECT)
			die("%s: a row of the database is no JSON object",
			    mt->dbpath);
		take_record(mt, rec, s, n);
	}
	if (rc != SQLITE_DONE)
		die("%s: %s", mt->dbpath, sqlite3_errmsg(db));
}

/* Every row a statement gives (one column: rec); areas among them too. */
static void load_rows(struct match *mt, sqlite3 *db, sqlite3_stmt *st)
{
	struct chunk *c, *prev, *t;
	struct share there, here;
	pthread_t tid;
	int done = 0;

	if (!mt->area_only || thread_count(MAX_THREADS) < 2) {
		load_each_row(mt, db, st);
		return;
	}
	c = calloc(1, sizeof *c), prev = calloc(1, sizeof *c);
	if (c == NULL || prev == NULL)
		die("out of memory");
	while (fill_chunk(mt, db, st, c, &done) > 0) {
		/* the chunk is parsed on both threads (the other one takes
		 * more: this one also adds the chunk before, meanwhile) */
		there = (struct share){ c, 0, c->n * 3 / 5 };
		here = (struct share){ c, there.to, c->n };
		if (pthread_create(&tid, NULL, parse_share, &there) != 0)
			die("cannot start a thread");
		parse_share(&here);
		add_chunk(mt, prev);
		pthread_join(tid, NULL);
		t = prev, prev = c, c = t;
	}
	add_chunk(mt, prev);
	buf_free(&c->text), buf_free(&prev->text);
	free(c), free(prev);
}

/*
 * With areas named in the input, only what the database knows of those
 * places is read: the rows placed there; every row of the people they
 * are about (a medical bill names no village); and, for a row there with
 * no ID (a visit note), the rows of the same name that name no place,
 * one of which may be about the same person.  An emergency in two villages then costs two villages, not
 * the county.
 */
static const char area_rows[] =
    "WITH here AS (SELECT row_id, id, json_extract(rec, '$.name') AS name"
    "  FROM rows WHERE json_extract(rec, '$.town') = ?1"
    "  AND (?2 = '' OR json_extract(rec, '$.village') = ?2)),"
    " unknown AS (SELECT name FROM here WHERE id IS NULL)"
    " SELECT rec FROM rows WHERE src <> 'area' AND (row_id IN"
    "  (SELECT row_id FROM here) OR id IN (SELECT id FROM here)"
    "  OR (json_extract(rec, '$.name') IN unknown"
    "  AND coalesce(json_extract(rec, '$.town'), '') = ''))"
    " ORDER BY row_id";

static void read_db(struct match *mt)
{
	char err[512];
	sqlite3 *db = db_open(mt->dbpath, err, sizeof err);
	sqlite3_stmt *st;
	size_t i, narea = mt->narea;

	if (db == NULL || db_index_places(db, err, sizeof err) < 0)
		die("%s", err);
	if (sqlite3_prepare_v2(db, narea ? area_rows :
	    "SELECT rec FROM rows ORDER BY row_id", -1, &st, NULL) != SQLITE_OK)
		die("%s: %s", mt->dbpath, sqlite3_errmsg(db));
	if (narea == 0)
		load_rows(mt, db, st);
	for (i = 0; i < narea; i++) {
		sqlite3_bind_text(st, 1, mt->area[i].town, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, mt->area[i].village, -1, SQLITE_STATIC);
		load_rows(mt, db, st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	db_close(db);
}

/* The places of the records read before the stream said it is an area
 * run: known now, from their text (as identity_of reads them). */
static void place_rows(struct match *mt)
{
	char town[128], village[128];
	size_t i;
	jv r;

	for (i = 0; i < mt->nrec; i++) {
		r = jv_parse_sized(mt->text.data + mt->off[i],
		    mt->off[i + 1] - mt->off[i]);
		place_row(mt, i, str(r, "town", town, sizeof town),
		    str(r, "village", village, sizeof village));
		jv_free(r);
	}
}

static void read_inputs(struct match *mt)
{
	size_t i;

	/* the stream first: the areas it names decide what the database
	 * must give; with a database and no file, stdin is read only when it
	 * is a pipe or a file */
	if (mt->nfiles == 0 && !(mt->dbpath && !stdin_has_data()))
		read_stream(mt, "-");
	for (i = 0; i < mt->nfiles; i++)
		read_stream(mt, mt->files[i]);
	mt->area_only = mt->narea > 0;
	if (mt->area_only)
		place_rows(mt);
	if (mt->dbpath)
		read_db(mt);
}

struct order {
	size_t hh, person, rank, rec;
};

static int by_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->hh != y->hh)
		return x->hh < y->hh ? -1 : 1;
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->rec > y->rec) - (x->rec < y->rec);
}

static size_t uf_find(size_t *up, size_t i)
{
	while (up[i] != i)
		i = up[i] = up[up[i]];
	return i;
}

/* People who share a household number in the roster or the monitoring
 * list live together; the union of those ties makes a household. */
static struct order *group_households(struct match *mt)
{
	size_t n = mt->nrec, i, p, *up, *first, *person;
	struct order *o = malloc((n + 1) * sizeof *o);

	up = malloc((n + 1) * sizeof *up);
	person = malloc((n + 1) * sizeof *person);
	first = malloc((n + 2) * sizeof *first);
	if (!o || !up || !person || !first)
		die("out of memory");
	for (i = 0; i <= n; i++)
		up[i] = i, first[i] = (size_t)-1;
	first[n + 1] = (size_t)-1;
	for (i = 0; i < n; i++) {
		person[i] = p = lk_person(mt->lk, i);
		if (mt->hh_of[i] == 0)
			continue;
		if (first[mt->hh_of[i]] == (size_t)-1)
			first[mt->hh_of[i]] = p;
		else {
			size_t a = uf_find(up, first[mt->hh_of[i]]), b = uf_find(up, p);

			if (a != b)
				up[a > b ? a : b] = a < b ? a : b;
		}
	}
	for (i = 0; i < n; i++)
		o[i] = (struct order){ uf_find(up, person[i]), person[i],
		    mt->rank[i], i };
	qsort(o, n, sizeof *o, by_order);
	free(up);
	free(first);
	free(person);
	return o;
}

static void hex_key(char *out, size_t len, char tag, const char *s)
{
	snprintf(out, len, "%c%012llx", tag,
	    (unsigned long long)(XXH3_64bits(s, strlen(s)) & 0xFFFFFFFFFFFFull));
}

/* Record i, parsed anew: any thread may read any record so. */
static jv record_text(const struct match *mt, size_t i)
{
	return jv_parse_sized(mt->text.data + mt->off[i],
	    mt->off[i + 1] - mt->off[i]);
}

/* Record i, for the thread that builds its household and no other (jv
 * counts references without atomics). */
static jv record(const struct match *mt, size_t i)
{
	if (jv_is_valid(mt->parsed[i]))
		return jv_copy(mt->parsed[i]);
	return record_text(mt, i);
}

/* obj[key], borrowing obj; null when absent (records made by hand may
 * lack even src_file). */
static jv field(jv obj, const char *key)
{
	jv v = jv_object_get(jv_copy(obj), jv_string(key));

	return jv_is_valid(v) ? v : jv_null();
}

/* [src, file, line] of a record. */
static jv row_ref(const struct match *mt, size_t i)
{
	jv r = record_text(mt, i), ref;

	ref = JV_ARRAY(field(r, "src"), field(r, "src_file"), field(r, "src_line"));
	jv_free(r);
	return ref;
}

/* Each field's agreement level and weight, and the total. */
static jv explain_pair(const struct match *mt, const struct lk_pair *p,
    int review)
{
	jv fields = jv_object();
	int f;

	for (f = 0; f < LK_NFIELDS; f++)
		if (p->level[f])
			fields = jv_object_set(fields, jv_string(lk_field_name(f)),
			    JV_ARRAY(jv_string(lk_level_name(f, p->level[f])),
			    jv_number(round(p->w[f] * 100) / 100)));
	return JV_OBJECT(jv_string("how"), jv_string(review ? "review" :
	    p->how == LK_REPAIR ? "id_repair" : "probabilistic"),
	    jv_string("row"), row_ref(mt, p->a),
	    jv_string("to"), row_ref(mt, p->b),
	    jv_string("score"), jv_number(round(p->weight * 100) / 100),
	    jv_string("prob"), jv_number(round(p->prob * 10000) / 10000),
	    jv_string("fields"), fields);
}

static jv pid_of(jv person)
{
	char key[16], ident[1200], name[256], birth[16], phone[64], town[128],
	    village[128], given[128], family[128], card[64], post[32];
	jv id = field(person, "id");
	int n;

	/* a person known by ID keeps the key whatever else changes */
	if (jv_get_kind(id) == JV_KIND_STRING)
		hex_key(key, sizeof key, 'P', jv_string_value(id));
	else {
		n = snprintf(ident, sizeof ident, "%s|%s|%s|%s|%s",
		    str(person, "name", name, sizeof name),
		    str(person, "birth", birth, sizeof birth),
		    str(person, "phone", phone, sizeof phone),
		    str(person, "town", town, sizeof town),
		    str(person, "village", village, sizeof village));
		/* only records that have them: the keys of others stay */
		if (*str(person, "given", given, sizeof given) ||
		    *str(person, "family", family, sizeof family) ||
		    *str(person, "card", card, sizeof card))
			snprintf(ident + n, sizeof ident - n, "|%s|%s|%s|%s",
			    given, str(person, "family", family, sizeof family),
			    str(person, "card", card, sizeof card),
			    str(person, "postcode", post, sizeof post));
		hex_key(key, sizeof key, 'P', ident);
	}
	jv_free(id);
	return jv_string(key);
}

/* Head first, then the eldest. */
static int member_cmp(const void *a, const void *b)
{
	jv x = *(const jv *)a, y = *(const jv *)b;
	char rx[16], ry[16], bx[16], by[16];
	int hx = strcmp(str(x, "rel", rx, sizeof rx), "head") == 0;
	int hy = strcmp(str(y, "rel", ry, sizeof ry), "head") == 0;

	if (hx != hy)
		return hy - hx;
	return strcmp(str(x, "birth", bx, sizeof bx), str(y, "birth", by, sizeof by));
}

/* The household key: from its roster number when it has one, so that it
 * stays the same from month to month; else from its first member. */
static void hid_of(const struct match *mt, const struct order *o, size_t n,
    jv first_pid, char *hid, size_t len)
{
	const char *best = NULL, *k;
	size_t i;

	for (i = 0; i < n; i++) {
		if (mt->hh_of[o[i].rec] == 0)
			continue;
		k = sp_str(mt->hh, mt->hh_of[o[i].rec]);
		if (best == NULL || (strncmp(k, "roster:", 7) == 0) >
		    (strncmp(best, "roster:", 7) == 0) ||
		    ((strncmp(k, "roster:", 7) == 0) ==
		    (strncmp(best, "roster:", 7) == 0) && strcmp(k, best) < 0))
			best = k;
	}
	if (best)
		hex_key(hid, len, 'H', best);
	else
		snprintf(hid, len, "H%s", jv_string_value(first_pid) + 1);
	jv_free(first_pid);
}

/* One person: every row merged, then the derived facts. */
static jv build_person(struct match *mt, const struct mg_ctx *ctx,
    const struct order *o, size_t n, jv *links)
{
	jv person = jv_object(), pid;
	size_t i;
	const struct lk_pair *p;

	for (i = 0; i < n; i++)
		person = mg_add_row(ctx, person, record(mt, o[i].rec));
	person = mg_finish_person(ctx, person);
	pid = pid_of(person);
	for (i = 0; i < n; i++) {
		if ((p = lk_link_of(mt->lk, o[i].rec)) != NULL)
			*links = jv_array_append(*links, jv_object_set(
			    explain_pair(mt, p, 0), jv_string("pid"), jv_copy(pid)));
		/* uncertain: shown for a person to decide, not merged */
		if (mt->review_of[o[i].rec])
			*links = jv_array_append(*links, jv_object_set(
			    explain_pair(mt, mt->review_of[o[i].rec], 1),
			    jv_string("pid"), jv_copy(pid)));
	}
	return jv_object_merge(JV_OBJECT(jv_string("pid"), pid), person);
}

/* Whether a member (borrowed) lives in area a. */
static int lives_in(jv m, const struct area *a)
{
	char town[128], village[128];

	return strcmp(str(m, "town", town, sizeof town), a->town) == 0 &&
	    (a->village[0] == '\0' ||
	    strcmp(str(m, "village", village, sizeof village), a->village) == 0);
}

/* The id of an area's town or village among the rows' places: 0 for
 * "", as for a row without one; any for a village not given. */
static uint32_t place_id(const struct match *mt, const char *s, uint32_t any)
{
	uint32_t id;

	if (*s == '\0')
		return any;
	id = sp_lookup(mt->place, s, strlen(s));
	return id ? id : NO_PLACE;
}

static void place_areas(struct match *mt)
{
	size_t k;

	for (k = 0; k < mt->narea; k++) {
		mt->area[k].town_id = place_id(mt, mt->area[k].town, 0);
		mt->area[k].village_id = place_id(mt, mt->area[k].village,
		    ANY_PLACE);
	}
}

/*
 * Whether the household of rows o[0..n) may live in an area, without
 * building it: a member's town and village are those of one of its
 * rows (the first that has them), so a household none of whose rows
 * names the area's town, and its village, cannot be in it.
 */
static int may_live_in_area(const struct match *mt, const struct order *o,
    size_t n)
{
	const struct area *a;
	size_t k, i;
	int town, village;

	for (k = 0; k < mt->narea; k++) {
		a = &mt->area[k];
		town = 0, village = a->village_id == ANY_PLACE;
		for (i = 0; i < n && !(town && village); i++) {
			town |= mt->town_of[o[i].rec] == a->town_id;
			village |= mt->village_of[o[i].rec] == a->village_id;
		}
		if (town && village)
			return 1;
	}
	return 0;
}

/* The events of the areas a household (consumed) lives in, as
 * "events": [{kind, date, town, village, src_file, src_line}]. */
static jv tag_events(const struct match *mt, jv hh)
{
	jv members = jv_object_get(jv_copy(hh), jv_string("members"));
	jv events = jv_array();
	int i, n = jv_array_length(jv_copy(members));
	size_t k;

	for (k = 0; k < mt->narea; k++) {
		const struct area *a = &mt->area[k];

		for (i = 0; i < n; i++) {
			jv m = jv_array_get(jv_copy(members), i);
			int here = lives_in(m, a);

			jv_free(m);
			if (!here)
				continue;
			events = jv_array_append(events, JV_OBJECT(
			    jv_string("kind"), jv_string(a->kind),
			    jv_string("date"), jv_string(a->date),
			    jv_string("town"), jv_string(a->town),
			    jv_string("village"), jv_string(a->village),
			    jv_string("src_file"), jv_string(a->file),
			    jv_string("src_line"), jv_number(a->line)));
			break;
		}
	}
	jv_free(members);
	if (jv_array_length(jv_copy(events)) == 0) {
		jv_free(events);
		return hh;
	}
	return jv_object_set(hh, jv_string("events"), events);
}

static jv household(struct match *mt, const struct mg_ctx *ctx,
    const struct order *o, size_t n)
{
	jv members = jv_array(), links = jv_array(), hh, *m;
	size_t s, e, k = 0, i;
	char hid[32];

	if ((m = malloc((n + 1) * sizeof *m)) == NULL)
		die("out of memory");
	for (s = 0; s < n; s = e) {
		for (e = s + 1; e < n && o[e].person == o[s].person; e++)
			;
		m[k++] = build_person(mt, ctx, o + s, e - s, &links);
	}
	qsort(m, k, sizeof *m, member_cmp);
	hid_of(mt, o, n, field(m[0], "pid"), hid, sizeof hid);
	for (i = 0; i < k; i++)
		members = jv_array_append(members, m[i]);
	free(m);
	hh = mg_household(ctx, hid, members);
	if (jv_array_length(jv_copy(links)) > 0)
		hh = jv_object_set(hh, jv_string("link"), links);
	else
		jv_free(links);
	return tag_events(mt, hh);
}

/*
 * Households are built on every processor: each one is a function of
 * its rows alone, and building them (parsing each row again, merging,
 * printing) is most of the work.  A batch of households is cut into one
 * slice per thread; each prints its slice into its own buffer, and the
 * buffers are written in order, so the output does not depend on the
 * number of threads.  An area run, waited for by flag and report down
 * the pipe, has its first households out after a small batch.
 */
#define BATCH 4096		/* households per batch */
#define AREA_BATCH 512		/* the same, in an area run */

struct slice {
	struct match *mt;
	const struct mg_ctx *ctx;
	const struct order *o;
	const size_t *start;	/* first order entry of each household */
	size_t from, to;	/* households */
	struct buf text;
	size_t *end;		/* per household: its end in text */
};

static void *build_slice(void *arg)
{
	struct slice *sl = arg;
	size_t h, k = 0;
	jv hh;

	const struct order *o;
	size_t n;

	buf_reset(&sl->text);
	for (h = sl->from; h < sl->to; h++) {
		o = sl->o + sl->start[h], n = sl->start[h + 1] - sl->start[h];
		/* an emergency run writes only the households hit */
		if (sl->mt->area_only && !may_live_in_area(sl->mt, o, n)) {
			sl->end[k++] = sl->text.len;
			continue;
		}
		hh = household(sl->mt, sl->ctx, o, n);
		if (sl->mt->area_only && !jv_object_has(jv_copy(hh),
		    jv_string("events"))) {
			jv_free(hh);
			sl->end[k++] = sl->text.len;
			continue;
		}
		if (nd_dump(&sl->text, hh) < 0)
			die("out of memory");
		jv_free(hh);
		sl->end[k++] = sl->text.len;
	}
	return NULL;
}

static void emit_households(struct match *mt, const struct mg_ctx *ctx,
    const struct order *o)
{
	struct slice sl[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	size_t *start, nh = 0, i, h, per, off;
	size_t batch = mt->area_only ? AREA_BATCH : BATCH;
	int t, nt = thread_count(MAX_THREADS);

	if ((start = malloc((mt->nrec + 1) * sizeof *start)) == NULL)
		die("out of memory");
	for (i = 0; i < mt->nrec; i++)
		if (i == 0 || o[i].hh != o[i - 1].hh)
			start[nh++] = i;
	start[nh] = mt->nrec;
	place_areas(mt);
	for (t = 0; t < nt; t++) {
		sl[t] = (struct slice){ mt, ctx, o, start, 0, 0, BUF_INIT,
		    malloc(batch * sizeof *sl[t].end) };
		if (sl[t].end == NULL)
			die("out of memory");
	}
	for (h = 0; h < nh; h += batch) {
		per = ((nh - h < batch ? nh - h : batch) + nt - 1) / nt;
		for (t = 0; t < nt; t++) {
			sl[t].from = h + t * per < nh ? h + t * per : nh;
			sl[t].to = sl[t].from + per < nh ? sl[t].from + per : nh;
			if (t > 0 && pthread_create(&tid[t], NULL, build_slice,
			    &sl[t]) != 0)
				die("cannot start a thread");
		}
		build_slice(&sl[0]);
		for (t = 0; t < nt; t++) {
			if (t > 0)
				pthread_join(tid[t], NULL);
			for (off = 0, i = 0; i < sl[t].to - sl[t].from; i++) {
				if (sl[t].end[i] > off)
					out_text(sl[t].text.data + off,
					    sl[t].end[i] - off);
				off = sl[t].end[i];
			}
		}
	}
	for (t = 0; t < nt; t++) {
		buf_free(&sl[t].text);
		free(sl[t].end);
	}
	free(start);
}

/* Review pairs go to --review, and to the household of their row. */
static void collect_reviews(struct match *mt)
{
	const struct lk_pair *r = NULL;
	size_t n, i;
	FILE *fp = NULL;

	mt->review_of = calloc(mt->nrec + 1, sizeof *mt->review_of);
	if (mt->review_of == NULL)
		die("out of memory");
	r = lk_reviews(mt->lk, &n);
	if (mt->review && (fp = fopen(mt->review, "w")) == NULL)
		die("cannot open '%s': %s", mt->review, strerror(errno));
	for (i = 0; i < n; i++) {
		if (mt->review_of[r[i].a] == NULL)
			mt->review_of[r[i].a] = &r[i];
		if (fp && nd_write(fp, explain_pair(mt, &r[i], 1)) < 0)
			die("write error on %s: %s", mt->review, strerror(errno));
	}
	if (fp && fclose(fp) == EOF)
		die("write error on %s: %s", mt->review, strerror(errno));
}

/* --explain: the learned weights, then every non-exact link. */
static void explain(struct match *mt)
{
	const struct lk_pair *p;
	size_t i;
	int f, l;
	double m, u;

	printf("field    level      m        u        weight\n");
	for (f = 0; f < LK_NFIELDS; f++)
		for (l = 1; l < LK_LEVELS && lk_level_name(f, l) &&
		    lk_field_used(mt->lk, f); l++) {
			lk_params(mt->lk, f, l, &m, &u);
			printf("%-8s %-9s  %-7.4f  %-7.4f  %+.2f\n", lk_field_name(f),
			    lk_level_name(f, l), m, u, log2(m / u));
		}
	for (i = 0; i < mt->nrec; i++) {
		if ((p = lk_link_of(mt->lk, i)) == NULL)
			continue;
		jv a = row_ref(mt, p->a), b = row_ref(mt, p->b);
		jv sa = jv_dump_string(a, 0), sb = jv_dump_string(b, 0);

		printf("\n%s %s\n  joins %s\n  score %.2f (p = %.4f):",
		    p->how == LK_REPAIR ? "id repair:" : "match:",
		    jv_string_value(sa), jv_string_value(sb), p->weight, p->prob);
		for (f = 0; f < LK_NFIELDS; f++)
			if (p->level[f])
				printf(" %s %s %+.2f", lk_field_name(f),
				    lk_level_name(f, p->level[f]), p->w[f]);
		putchar('\n');
		jv_free(sa);
		jv_free(sb);
	}
}

int cmd_match(int argc, char **argv)
{
	struct match mt = { .threshold = 0.95 };
	struct mg_ctx ctx;
	struct order *o;
	size_t i;

	parse_args(&argp, argc, argv, &mt);
	out_open();
	mt.seen = sp_new();
	mt.hh = sp_new();
	mt.place = sp_new();
	mt.lk = lk_new();
	if (!mt.seen || !mt.hh || !mt.place || !mt.lk)
		die("out of memory");
	read_inputs(&mt);
	if (lk_run(mt.lk, mt.threshold, 0.5) < 0)
		die("out of memory");
	mg_init(&ctx, copt.as_of);
	collect_reviews(&mt);
	if (mt.explain) {
		explain(&mt);
	} else {
		o = group_households(&mt);
		emit_households(&mt, &ctx, o);
		free(o);
	}
	out_close();
	if (copt.stats)
		fprintf(stderr, "{\"records\":%zu,\"duplicates\":%lld,"
		    "\"rejected\":%lld}\n", mt.nrec, mt.dup, rejects_count());
	lk_free(mt.lk);
	sp_free(mt.seen);
	sp_free(mt.hh);
	sp_free(mt.place);
	free(mt.town_of);
	free(mt.village_of);
	for (i = 0; i < mt.nrec; i++)
		jv_free(mt.parsed[i]);
	free(mt.parsed);
	buf_free(&mt.text);
	free(mt.off);
	free(mt.hh_of);
	free(mt.rank);
	free(mt.review_of);
	free(mt.area);
	return mt.bad || rejects_count() ? EXIT_DATA : 0;
}
