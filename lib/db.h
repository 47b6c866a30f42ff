/*
 * db.h — the county database: imported rows, and later people,
 * households and the referral ledger, in one SQLite file.
 *
 * The file is created private (0600): it holds the county's most
 * sensitive records.  The schema grows by numbered migrations recorded
 * in PRAGMA user_version, each applied in its own transaction.  WAL lets
 * readers (report) run while a writer (import, refer) works, and a busy
 * timeout makes two writers wait for each other instead of failing.
 */
#ifndef REACH_DB_H
#define REACH_DB_H

#include <sqlite3.h>
#include <stddef.h>

/* Open (creating if needed) and bring the schema up to date.  NULL on
 * error with the reason in err. */
sqlite3 *db_open(const char *path, char *err, size_t errlen);
void db_close(sqlite3 *db);

/* The indexes an emergency query needs (rows by place, by name), built
 * if missing; reach match calls it. */
int db_index_places(sqlite3 *db, char *err, size_t errlen);

/* Schema version the code expects. */
int db_schema_version(void);

/* Run sql (no results); returns 0, or -1 with the reason in err. */
int db_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);

/* BEGIN IMMEDIATE: take the write lock now, so that a second writer
 * waits at the start rather than failing at its first write. */
int db_begin(sqlite3 *db, char *err, size_t errlen);
int db_commit(sqlite3 *db, char *err, size_t errlen);
void db_rollback(sqlite3 *db);

/* Append an audit row: who did what to how many rows. */
int db_audit(sqlite3 *db, const char *who, const char *command,
    const char *detail, long long rows, char *err, size_t errlen);

/* Loading imported rows into the database, one file per transaction. */
struct db_loader;

struct db_loader *db_loader_new(sqlite3 *db, const char *path,
    const char *src, char *err, size_t errlen);

/*
 * Queue one record (JSON text) keyed by the hash of its source row; a
 * row imported before is not added again.  Rows are written by a thread
 * of the loader's own: the connection is not to be used until
 * db_loader_finish.  Returns 0, or -1 with the reason in err (also for
 * a row queued earlier that could not be written).
 */
int db_loader_add(struct db_loader *l, const unsigned char hash[16],
    long line, const char *id, const char *json, size_t len,
    char *err, size_t errlen);

/* Write what is queued and finish the file's entry (rows seen; rows
 * new, also stored in *added); does not commit. */
int db_loader_finish(struct db_loader *l, long long seen, long long *added,
    char *err, size_t errlen);
void db_loader_free(struct db_loader *l);

#endif
