/*
 * routes.h — which programme and which office a flagged household goes
 * to, and by when (the routes file, reach-routes(5)).
 *
 * A routes file declares the programmes (低保, 特困, 临时救助, the 专项
 * aids, the county coordination mechanism) with the department that
 * runs each, then lists route lines: the first line whose conditions
 * hold for a flag sends that flag to its programmes.  "with" lines add
 * the 专项 aids that go with 低保 and 特困 when the household shows the
 * need.  The file is data the bureau can edit; the built-in one is
 * share/reach/routes/default.routes compiled into the binary.
 *
 * Ownership follows jv: every function here borrows the jv values it
 * is given and returns values the caller owns.
 */
#ifndef REACH_ROUTES_H
#define REACH_ROUTES_H

#include <stddef.h>
#include <stdint.h>
#include <jv.h>

struct routes;

/* Parse text (len bytes; name is used in messages "name:line: …").
 * NULL on error with the reason in err. */
struct routes *routes_parse(const char *text, size_t len, const char *name,
    char *err, size_t errlen);
/* The built-in routes (default.routes). */
struct routes *routes_builtin(char *err, size_t errlen);
void routes_free(struct routes *r);

/* Where one household goes: a set of programmes (bits in file order of
 * the "prog" lines) and how. */
struct rt_result {
	uint64_t progs;
	int urgent;	/* 先行救助: act within urgent_hours */
	int yishiyiyi;	/* 一事一议: the amount is decided case by case */
};

/*
 * Route the flags (an array of flag objects, borrowed) of household hh
 * (borrowed; "with" conditions look at it).  Flags that no route line
 * matches take the default line.  Returns the number of flags routed.
 */
int routes_apply(const struct routes *r, jv hh, jv flags,
    struct rt_result *res);

/* The programme codes of res as a JSON array, in file order, and the
 * ways of acting ("xianxing", "yishiyiyi") as a JSON array. */
jv routes_to(const struct routes *r, const struct rt_result *res);
jv routes_modes(const struct rt_result *res);

/* The due date (YYYY-MM-DD) of a referral pushed on as_of: urgent_hours
 * later for an urgent one, due_days working days (Monday to Friday)
 * later otherwise.  Returns 0, or -1 when as_of is no date. */
int routes_due(const struct routes *r, const char *as_of, int urgent,
    char out[11]);

/* The office that must act for a household of town (NULL or "" when
 * unknown: the county office). */
void routes_office(const struct routes *r, const char *town, char *out,
    size_t len);

/* Calendar arithmetic on YYYY-MM-DD, shared with the ledger: day
 * number (days since 1970-01-01), or -1 when s is no date. */
long rt_day(const char *s);
void rt_date(long day, char out[11]);

#endif
