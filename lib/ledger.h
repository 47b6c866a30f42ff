/*
 * ledger.h — the referral ledger: each case pushed to a township office,
 * and every step it takes until it is closed (tables referrals,
 * referral_events and referral_seq; see db.c, migration 2).
 *
 * The ledger never pushes the same family twice: one open referral per
 * household (a partial UNIQUE index); new flags on an open case are
 * added to it as an event and raise its urgency when they are more
 * serious; a case closed less than the cooldown ago is left alone unless
 * a red flag appears that it did not have.  The life of a case:
 *
 *	pushed → contacted → applying | aided | declined → closed
 *	                     applying → aided | declined | closed
 *
 * with the family's willingness and ability to apply recorded at
 * contact.  declined is the family's choice, respected, not a failure.
 *
 * The caller owns the transaction (db_begin … db_commit) and the audit
 * row, so that a batch of referrals is written whole or not at all.
 * Ownership follows jv: functions borrow the jv they are given, and
 * what they hand back through *out belongs to the caller.
 */
#ifndef REACH_LEDGER_H
#define REACH_LEDGER_H

#include <sqlite3.h>
#include <stddef.h>
#include <jv.h>

struct ledger;

/* Prepare the ledger's statements on db (migrated by db_open). */
struct ledger *ledger_open(sqlite3 *db, char *err, size_t errlen);
void ledger_free(struct ledger *lg);

struct lg_ctx {
	const char *as_of;	/* YYYY-MM-DD: the day of every event */
	int cooldown;		/* days a closed case is left alone */
	const char *who;	/* for events */
};

enum lg_result {
	LG_FAIL = -1,		/* database error, err says why */
	LG_PUSHED,		/* a new referral */
	LG_ADDED,		/* new flags added to an open referral */
	LG_ESCALATED,		/* … and they made it more urgent */
	LG_UNCHANGED,		/* open, and nothing new */
	LG_COOLDOWN,		/* closed lately, no new red flag */
};

/*
 * Refer one household.  cand (borrowed) is the referral as routing made
 * it: {"hid","town","village","office","to","mode","urgent","due",
 * "flags","members"}.  *out gets the referral as it now stands, with
 * "event" saying what happened, for LG_PUSHED, LG_ADDED and
 * LG_ESCALATED; jv_invalid() otherwise.
 */
enum lg_result ledger_refer(struct ledger *lg, const struct lg_ctx *ctx,
    jv cand, jv *out, char *err, size_t errlen);

/* One step of a case.  willing and able: 1 yes, 0 no, -1 not given. */
struct lg_update {
	const char *ref;
	const char *status;	/* NULL: only a note or willing/able */
	int willing, able;
	const char *note;
};

/* Whether s is a status word. */
int ledger_status_valid(const char *s);

/*
 * Apply u.  Returns 0 when done (*out: the referral as it now stands),
 * 1 when refused (err: why, naming the ref and both states), 2 when the
 * case already had that status and nothing changed, -1 on a database
 * error.
 */
int ledger_update(struct ledger *lg, const struct lg_ctx *ctx,
    const struct lg_update *u, jv *out, char *err, size_t errlen);

struct lg_filter {
	int open;		/* not closed */
	int overdue;		/* pushed, and due before as_of */
	const char *town;
};

/* Call fn with each referral that passes f (fn consumes it), in ref
 * order; stops when fn returns non-zero.  Returns 0, or -1 on error. */
int ledger_list(struct ledger *lg, const struct lg_ctx *ctx,
    const struct lg_filter *f, int (*fn)(jv rec, void *arg), void *arg,
    char *err, size_t errlen);

#endif
