/*
 * rules.h — flag rules: a rules file for people (reach-rules(5)),
 * compiled once with libjq and applied to one household at a time.
 *
 * Nothing here prints or exits: functions return a status and fill an
 * error buffer.  The caller owns the struct rules and frees it with
 * rules_free.
 */
#ifndef REACH_RULES_H
#define REACH_RULES_H

#include <stddef.h>
#include <jv.h>

#include "buf.h"

struct rules;

enum { RULES_YELLOW = 1, RULES_ORANGE, RULES_RED };

/* Counts of one run, kept by rules_apply. */
struct rules_stats {
	long long households, flagged, level[4], rule_errors;
	long long reparsed;	/* took the plain path: printed by jq */
};

struct rules *rules_new(void);
void rules_free(struct rules *r);

/*
 * Add the rules and params of one file, text[0..len), called name in
 * messages.  Returns 0, or -1 with err "name:line: …".
 */
int rules_load(struct rules *r, const char *text, size_t len,
    const char *name, char *err, size_t errlen);

/* --param NAME=VALUE: override a parameter that the files define. */
int rules_param(struct rules *r, const char *nameval, char *err,
    size_t errlen);

/* --only ID,…: keep these rules; an unknown id is an error. */
int rules_only(struct rules *r, const char *list, char *err, size_t errlen);

/*
 * Resolve the params in effect at as_of ("YYYY-MM-DD") and compile
 * every rule with the jq prelude.  On failure err holds one line per
 * broken rule, "file:line: rule 'x': …", and nothing may run.
 */
int rules_compile(struct rules *r, const char *prelude, const char *as_of,
    int explain, char *err, size_t errlen);

/* The effective params and the rule list, as rules-file text. */
void rules_describe(const struct rules *r, struct buf *out);

enum rules_status { RULES_OUT = 1, RULES_SKIP = 0 };

/*
 * Apply the rules to one household h (consumed), a JSON object parsed
 * from text[0..len) (see ndjson.h), and put the annotated record (no
 * newline) in out: text with "flags" and "risk" spliced in, or h
 * printed again when text will not do.  RULES_SKIP: written nothing
 * because flagged_only was asked and no rule fired.  Borrows text; st
 * is updated.
 */
enum rules_status rules_apply(struct rules *r, jv h, const char *text,
    size_t len, int flagged_only, struct buf *out, struct rules_stats *st);

/* Per-rule counts as a JSON object {"id":{"fired":n,"errors":n},…}. */
jv rules_counts(const struct rules *r);

#endif
