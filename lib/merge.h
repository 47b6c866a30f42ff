/*
 * merge.h — many rows about one person become one member record, and
 * members become a household, by the merge rules of the data dictionary.
 *
 * Medical settlements count over the twelve months before the reference
 * date; money is summed in integer 分.  Everything follows jv ownership:
 * functions consume the jv they are given unless a comment says they
 * borrow it.
 */
#ifndef REACH_MERGE_H
#define REACH_MERGE_H

#include <jv.h>

struct mg_ctx {
	char as_of[11];		/* reference date */
	char window[11];	/* first day of the 12-month window */
};

void mg_init(struct mg_ctx *ctx, const char *as_of);

/* Merge the facts of row (consumed) into person (consumed); returns the
 * person.  Start from jv_object(). */
jv mg_add_row(const struct mg_ctx *ctx, jv person, jv row);

/*
 * Whom a row is about.  A caller may phone about someone else
 * (来电人系某村村民，反映王五的情况): the row is then about 王五, not about
 * the caller, whose name, phone and ID would link it to the wrong person.
 * Returns row (consumed) with name set to the person reported on and the
 * caller's identity moved to "caller", and *changed set; row itself when
 * the text reports on no one else.
 */
jv mg_subject(jv row, int *changed);

/* Derived facts once every row is in: age, medical seriousness, urgent
 * hotline words. */
jv mg_finish_person(const struct mg_ctx *ctx, jv person);

/* The household of members (consumed, an array of finished persons):
 * size, place, programme, income per person, counts and sums a rule
 * needs.  hid is borrowed. */
jv mg_household(const struct mg_ctx *ctx, const char *hid, jv members);

#endif
