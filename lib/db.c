/*
 * db.c — SQLite schema, migrations and row loading (see db.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "db.h"

/* Each entry moves the schema from version i to i + 1.  Append only:
 * a database in the field may be at any earlier version. */
static const char *const migrations[] = {
	/* 1: imported rows */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE files("
	"  file_id INTEGER PRIMARY KEY,"
	"  path TEXT NOT NULL,"
	"  src TEXT NOT NULL,"
	"  imported_at TEXT NOT NULL DEFAULT (datetime('now')),"
	"  rows_seen INTEGER,"
	"  rows_new INTEGER);"
	"CREATE TABLE rows("
	"  row_id INTEGER PRIMARY KEY,"
	"  hash BLOB NOT NULL UNIQUE,"
	"  file_id INTEGER NOT NULL REFERENCES files(file_id),"
	"  line INTEGER NOT NULL,"
	"  src TEXT NOT NULL,"
	"  id TEXT,"
	"  rec TEXT NOT NULL);"
	"CREATE INDEX rows_by_id ON rows(id) WHERE id IS NOT NULL;"
	"CREATE INDEX rows_by_src ON rows(src);"
	"CREATE TABLE audit("
	"  audit_id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  who TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  detail TEXT,"
	"  rows INTEGER);",
	/* 2: referral ledger (reach refer, lib/ledger.c): one open referral
	 * per household, enforced here so that two runs cannot both push */
	"CREATE TABLE referral_seq(year INTEGER PRIMARY KEY,"
	"  last INTEGER NOT NULL);"
	"CREATE TABLE referrals("
	"  ref TEXT PRIMARY KEY,"
	"  hid TEXT NOT NULL,"
	"  town TEXT,"
	"  village TEXT,"
	"  office TEXT NOT NULL,"
	"  programmes TEXT NOT NULL,"
	"  modes TEXT NOT NULL DEFAULT '[]',"
	"  urgent INTEGER NOT NULL,"
	"  risk TEXT,"
	"  due TEXT NOT NULL,"
	"  flags TEXT NOT NULL,"
	"  members TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('pushed', 'contacted',"
	"    'applying', 'aided', 'declined', 'closed')),"
	"  willing INTEGER,"
	"  able INTEGER,"
	"  pushed TEXT NOT NULL,"
	"  closed TEXT,"
	"  outcome TEXT,"
	"  CHECK ((status = 'closed') = (closed IS NOT NULL)));"
	"CREATE UNIQUE INDEX referrals_open ON referrals(hid)"
	"  WHERE status <> 'closed';"
	"CREATE INDEX referrals_closed ON referrals(hid, closed)"
	"  WHERE status = 'closed';"
	"CREATE INDEX referrals_town ON referrals(town, status);"
	"CREATE TABLE referral_events("
	"  event_id INTEGER PRIMARY KEY,"
	"  ref TEXT NOT NULL REFERENCES referrals(ref),"
	"  day TEXT NOT NULL,"
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  who TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  status_from TEXT,"
	"  status_to TEXT,"
	"  detail TEXT);"
	"CREATE INDEX referral_events_ref ON referral_events(ref);",
	/* 3: was the place and name indexes, which match now makes when it
	 * needs them (db_index_places).  Kept, as nothing: databases made
	 * before are at version 3 and must not be refused as newer. */
	"SELECT 1;",
	/* 4: no query reads rows by source, and the index cost every
	 * import a write per row */
	"DROP INDEX IF EXISTS rows_by_src;",
};

#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

int db_schema_version(void)
{
	return NMIGRATIONS;
}

static int fail(sqlite3 *db, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
	return -1;
}

int db_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int busy_ms(void);

int db_begin(sqlite3 *db, char *err, size_t errlen)
{
	if (db_exec(db, "BEGIN IMMEDIATE", err, errlen) == 0)
		return 0;
	if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_BUSY)
		snprintf(err, errlen, "the database is locked: another program "
		    "is writing to it and did not finish within %d s "
		    "(REACH_DB_TIMEOUT); try again later", busy_ms() / 1000);
	return -1;
}

int db_commit(sqlite3 *db, char *err, size_t errlen)
{
	return db_exec(db, "COMMIT", err, errlen);
}

void db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int migrate(sqlite3 *db, char *err, size_t errlen)
{
	char sql[64], msg[200];
	int v;

	if (db_begin(db, err, errlen) < 0)
		return -1;
	/* read under the write lock: another process may have migrated */
	if ((v = user_version(db)) < 0)
		goto failed;
	if (v > NMIGRATIONS) {
		snprintf(err, errlen, "database schema %d is newer than this "
		    "reach (%d): upgrade reach", v, NMIGRATIONS);
		db_rollback(db);
		return -1;
	}
	for (; v < NMIGRATIONS; v++) {
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (db_exec(db, migrations[v], msg, sizeof msg) < 0 ||
		    db_exec(db, sql, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "migration %d: %s", v + 1, msg);
			db_rollback(db);
			return -1;
		}
	}
	return db_commit(db, err, errlen);
failed:
	db_rollback(db);
	return fail(db, err, errlen, "reading schema version");
}

/* Create the file 0600 before SQLite does, whatever the umask. */
static int create_private(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0)
		return close(fd);
	if (errno == EEXIST)
		return 0;
	snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
	return -1;
}

/* A new file is switched to WAL once.  Two processes opening it at the
 * same moment race for that switch, and the switch does not wait for the
 * busy timeout: so it is tried again, for as long as the timeout. */
static int use_wal(sqlite3 *db, int ms, char *err, size_t errlen)
{
	int i;

	for (i = 0; i <= ms / 100; i++) {
		if (db_exec(db, "PRAGMA journal_mode = WAL", err, errlen) == 0)
			return 0;
		if (sqlite3_errcode(db) != SQLITE_BUSY)
			return -1;
		usleep(100 * 1000);
	}
	return -1;
}

/* How long to wait for another writer: REACH_DB_TIMEOUT seconds, or 30.
 * A cron job may want to wait longer; a test, less. */
static int busy_ms(void)
{
	const char *s = getenv("REACH_DB_TIMEOUT");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 30000;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > 86400)
		return 30000;
	return (int)v * 1000;
}

/* SQLite's words for the two faults a user can do something about. */
static void explain(sqlite3 *db, const char *path, const char *msg,
    char *err, size_t errlen)
{
	int code = sqlite3_extended_errcode(db) & 0xff;

	if (code == SQLITE_READONLY)
		snprintf(err, errlen, "'%s' is read-only to this user: reach "
		    "writes to the database, and beside it the files %s-wal "
		    "and %s-shm (%s)", path, path, path, msg);
	else if (code == SQLITE_BUSY)
		snprintf(err, errlen, "'%s' is locked: another program is "
		    "writing to it and did not finish within %d s "
		    "(REACH_DB_TIMEOUT); try again later", path,
		    busy_ms() / 1000);
	else
		snprintf(err, errlen, "'%s': %s", path, msg);
}

sqlite3 *db_open(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	char msg[256];
	int ms = busy_ms();

	if (create_private(path, err, errlen) < 0)
		return NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "cannot open '%s': %s", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, ms);
	if (use_wal(db, ms, msg, sizeof msg) < 0 ||
	    db_exec(db, "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = ON;", msg, sizeof msg) < 0 ||
	    migrate(db, msg, sizeof msg) < 0) {
		explain(db, path, msg, err, errlen);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/*
 * Rows by place and by name, so that an emergency in a few villages reads
 * those villages' rows, not the county's.  Built by reach match, not kept
 * up by every import: they would cost an import a third more time, and a
 * county database that has been matched once is ready for emergencies.
 */
int db_index_places(sqlite3 *db, char *err, size_t errlen)
{
	return db_exec(db,
	    "CREATE INDEX IF NOT EXISTS rows_by_place ON rows("
	    "  json_extract(rec, '$.town'), json_extract(rec, '$.village'));"
	    "CREATE INDEX IF NOT EXISTS rows_by_name ON rows("
	    "  json_extract(rec, '$.name'));", err, errlen);
}

void db_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int db_audit(sqlite3 *db, const char *who, const char *command,
    const char *detail, long long rows, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT INTO audit(who, command, detail, "
	    "rows) VALUES (?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return fail(db, err, errlen, "audit");
	sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, command, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, detail, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, rows);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(db, err, errlen, "audit");
}

/*
 * A load hands its rows to a thread of its own, a batch at a time: SQLite
 * then writes one batch while the next is being read and converted, and
 * an import into the database costs little more than SQLite's own work.
 * The thread has the connection to itself from db_loader_new to
 * db_loader_finish.
 */
struct load_row {
	unsigned char hash[16];
	long line;
	char id[19];
	size_t off, len;	/* the record in load_batch.json */
};

struct load_batch {
	struct load_row *rows;
	size_t n, cap;
	struct buf json;
};

#define LOAD_BATCH_BYTES (1 << 20)
#define LOAD_BATCH_ROWS 4096

struct db_loader {
	sqlite3 *db;
	sqlite3_stmt *ins;
	sqlite3_int64 file_id;
	int old_cache;		/* cache_size to restore, 0 if unchanged */
	long long added;

	struct load_batch batch[2];
	int filling;		/* the batch db_loader_add appends to */
	int queued;		/* the other one waits for the writer */
	int threaded, quit;
	int failed;		/* the writer stopped: err says why */
	char err[256];
	sqlite3_int64 before;	/* rows the table had, about (max row_id) */
	int id_tried;		/* drop_id_index ran */
	char *id_index;		/* the SQL of rows_by_id, when dropped */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/*
 * A load inserts each row at a random place in the index on hash (and in
 * the one on id, unless drop_id_index dropped it): with SQLite's default
 * 2 MB page cache nearly every insert writes a page out and reads
 * another in.  A larger cache for the load keeps most of those pages at
 * hand, within the memory import may use; making the index on id again
 * then takes a smaller one, as its sort takes as much again.
 */
#define LOAD_CACHE_KIB	36864
#define INDEX_CACHE_KIB	8192

static int cache_size(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void set_cache_size(sqlite3 *db, int v)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", v);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/*
 * A row goes into the index on id at a random place, which costs a page
 * read and write once the index outgrows the cache.  So once a file has
 * added more rows than the table held before it, the index is dropped
 * and made again at the end (db_loader_finish), by one sort: for a large
 * first import, a third of the time.  Both are in the file's transaction.
 */
static void drop_id_index(struct db_loader *l)
{
	sqlite3_stmt *st;

	l->id_tried = 1;
	if (sqlite3_prepare_v2(l->db, "SELECT sql FROM sqlite_master WHERE "
	    "type = 'index' AND name = 'rows_by_id'", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    (l->id_index = strdup((const char *)sqlite3_column_text(st, 0))) ==
	    NULL)
		l->failed = 1, snprintf(l->err, sizeof l->err, "out of memory");
	sqlite3_finalize(st);
	if (l->id_index && sqlite3_exec(l->db, "DROP INDEX rows_by_id", NULL,
	    NULL, NULL) != SQLITE_OK) {
		l->failed = fail(l->db, l->err, sizeof l->err, "loading rows");
		free(l->id_index);
		l->id_index = NULL;
	}
}

/* Make the index drop_id_index dropped again, with the load's cache
 * given back first: written out, shrunk, and returned to the system
 * (the writer's memory is not where the sort would take from). */
static int make_id_index(struct db_loader *l, char *err, size_t errlen)
{
	if (l->id_index == NULL)
		return 0;
	if (l->old_cache != 0) {
		sqlite3_db_cacheflush(l->db);
		set_cache_size(l->db, -INDEX_CACHE_KIB);
		malloc_trim(0);
	}
	if (sqlite3_exec(l->db, l->id_index, NULL, NULL, NULL) != SQLITE_OK)
		return fail(l->db, err, errlen, "making the index on id again");
	return 0;
}

/* Insert a batch; the first error stops the load. */
static void write_batch(struct db_loader *l, struct load_batch *b)
{
	struct load_row *r;
	size_t i;
	int rc;

	for (i = 0; i < b->n && !l->failed; i++) {
		r = &b->rows[i];
		sqlite3_bind_blob(l->ins, 1, r->hash, 16, SQLITE_STATIC);
		sqlite3_bind_int64(l->ins, 3, r->line);
		if (r->id[0])
			sqlite3_bind_text(l->ins, 5, r->id, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(l->ins, 5);
		sqlite3_bind_text(l->ins, 6, b->json.data + r->off, r->len,
		    SQLITE_STATIC);
		rc = sqlite3_step(l->ins);
		sqlite3_reset(l->ins);
		if (rc != SQLITE_DONE)
			l->failed = fail(l->db, l->err, sizeof l->err,
			    "loading rows");
		else
			l->added += sqlite3_changes(l->db) > 0;
	}
	b->n = 0;
	buf_reset(&b->json);
	if (!l->failed && !l->id_tried && l->added > l->before)
		drop_id_index(l);
}

static void *writer(void *p)
{
	struct db_loader *l = p;

	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (!l->queued && !l->quit)
			pthread_cond_wait(&l->cv, &l->mu);
		if (!l->queued)
			break;
		pthread_mutex_unlock(&l->mu);
		write_batch(l, &l->batch[!l->filling]);
		pthread_mutex_lock(&l->mu);
		l->queued = 0;
		pthread_cond_broadcast(&l->cv);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

/* Wait until the writer has nothing queued; -1 when it failed. */
static int drain(struct db_loader *l)
{
	if (l->threaded) {
		pthread_mutex_lock(&l->mu);
		while (l->queued)
			pthread_cond_wait(&l->cv, &l->mu);
		pthread_mutex_unlock(&l->mu);
	}
	return l->failed ? -1 : 0;
}

/* Give the batch being filled to the writer, and fill the other. */
static int hand_over(struct db_loader *l)
{
	if (!l->threaded) {
		write_batch(l, &l->batch[l->filling]);
		return l->failed ? -1 : 0;
	}
	if (drain(l) < 0)
		return -1;
	pthread_mutex_lock(&l->mu);
	l->filling = !l->filling;
	l->queued = 1;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	return 0;
}

static void stop_writer(struct db_loader *l)
{
	if (!l->threaded)
		return;
	pthread_mutex_lock(&l->mu);
	l->quit = 1;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->thread, NULL);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	l->threaded = 0;
}

struct db_loader *db_loader_new(sqlite3 *db, const char *path,
    const char *src, char *err, size_t errlen)
{
	struct db_loader *l = calloc(1, sizeof *l);
	sqlite3_stmt *st = NULL;

	if (l == NULL)
		return NULL;
	l->db = db;
	if (sqlite3_prepare_v2(db, "INSERT INTO files(path, src) VALUES (?, ?)",
	    -1, &st, NULL) != SQLITE_OK)
		goto failed;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, src, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto failed;
	l->file_id = sqlite3_last_insert_rowid(db);
	if (sqlite3_prepare_v2(db, "INSERT INTO rows(hash, file_id, line, src,"
	    " id, rec) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(hash) DO NOTHING",
	    -1, &l->ins, NULL) != SQLITE_OK)
		goto failed;
	sqlite3_bind_int64(l->ins, 2, l->file_id);
	sqlite3_bind_text(l->ins, 4, src, -1, SQLITE_TRANSIENT);
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(row_id), 0) FROM rows",
	    -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		goto failed;
	l->before = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if ((l->old_cache = cache_size(db)) != 0)
		set_cache_size(db, -LOAD_CACHE_KIB);
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	l->threaded = pthread_create(&l->thread, NULL, writer, l) == 0;
	if (!l->threaded) {
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->cv);
	}
	return l;
failed:
	fail(db, err, errlen, "loading rows");
	sqlite3_finalize(st);
	db_loader_free(l);
	return NULL;
}

int db_loader_add(struct db_loader *l, const unsigned char hash[16],
    long line, const char *id, const char *json, size_t len,
    char *err, size_t errlen)
{
	struct load_batch *b = &l->batch[l->filling];
	struct load_row *r;
	size_t cap = b->cap ? b->cap : 256;

	if (b->n == b->cap) {
		while (cap <= b->n)
			cap *= 2;
		if ((r = realloc(b->rows, cap * sizeof *r)) == NULL)
			goto oom;
		b->rows = r, b->cap = cap;
	}
	r = &b->rows[b->n];
	memcpy(r->hash, hash, 16);
	r->line = line;
	snprintf(r->id, sizeof r->id, "%s", id ? id : "");
	r->off = b->json.len;
	r->len = len;
	if (buf_add(&b->json, json, len) < 0)
		goto oom;
	b->n++;
	if ((b->n >= LOAD_BATCH_ROWS || b->json.len >= LOAD_BATCH_BYTES) &&
	    hand_over(l) < 0)
		goto failed;
	return 0;
oom:
	snprintf(err, errlen, "loading rows: out of memory");
	return -1;
failed:
	snprintf(err, errlen, "%s", l->err);
	return -1;
}

int db_loader_finish(struct db_loader *l, long long seen, long long *added,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if ((l->batch[l->filling].n > 0 && hand_over(l) < 0) || drain(l) < 0) {
		snprintf(err, errlen, "%s", l->err);
		return -1;
	}
	stop_writer(l);
	*added = l->added;
	if (make_id_index(l, err, errlen) < 0)
		return -1;
	if (sqlite3_prepare_v2(l->db, "UPDATE files SET rows_seen = ?, "
	    "rows_new = ? WHERE file_id = ?", -1, &st, NULL) != SQLITE_OK)
		return fail(l->db, err, errlen, "loading rows");
	sqlite3_bind_int64(st, 1, seen);
	sqlite3_bind_int64(st, 2, l->added);
	sqlite3_bind_int64(st, 3, l->file_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(l->db, err, errlen, "loading rows");
}

void db_loader_free(struct db_loader *l)
{
	int i;

	if (l == NULL)
		return;
	stop_writer(l);
	if (l->old_cache != 0)
		set_cache_size(l->db, l->old_cache);
	sqlite3_finalize(l->ins);
	free(l->id_index);
	for (i = 0; i < 2; i++) {
		free(l->batch[i].rows);
		buf_free(&l->batch[i].json);
	}
	free(l);
}
