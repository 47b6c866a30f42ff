/*
 * link.h — who is who: linking rows about the same person.
 *
 * Three steps, most certain first.  Rows with the same valid ID number
 * are one person.  A row whose ID fails its check is repaired when one
 * digit substitution or one adjacent swap turns it into the ID of a
 * person whose name agrees.  Rows with no usable ID (hotline callers,
 * visit notes, damaged exports) are linked by Fellegi–Sunter match
 * weights: for each field, how much likelier its agreement level is
 * between two rows about one person (m) than between two rows about
 * different people (u).  u is measured on random pairs of rows, m is
 * estimated by EM over the candidate pairs that blocking proposes; no
 * labelled data is needed.  Two clusters that hold different valid IDs
 * never merge, nor two that hold rows of one source known to list each
 * person once (so linking two such lists is one-to-one).
 */
#ifndef REACH_LINK_H
#define REACH_LINK_H

#include <stddef.h>
#include <stdint.h>

/* A source that gives name parts apart is compared part by part
 * (LK_GIVEN, LK_FAMILY) with string similarity; a name given whole keeps
 * the comparisons made for Chinese names (LK_NAME). */
enum lk_field { LK_NAME, LK_GIVEN, LK_FAMILY, LK_BIRTH, LK_SEX, LK_PLACE,
	LK_POSTCODE, LK_PHONE, LK_ADDR, LK_CARD, LK_NFIELDS };
#define LK_LEVELS 6
#define LK_UNIQUE_MAX 64	/* sources that list a person at most once */

/* How a row came to belong to its person. */
enum lk_how { LK_SELF, LK_ID, LK_REPAIR, LK_PROB };

struct lk_row_in {		/* borrowed strings, "" or NULL when absent */
	const char *id;		/* valid 18-character ID */
	const char *id_raw;	/* as given, when not valid */
	const char *name, *sex, *birth, *phone, *town, *village, *addr;
	const char *given, *family, *postcode, *card;
	int unique;		/* 1..LK_UNIQUE_MAX: a source that lists
				 * each person once; 0: any other */
};

struct lk_pair {		/* one explained link or review candidate */
	size_t a, b;		/* rows */
	enum lk_how how;
	double weight;		/* total match weight, log2 odds */
	double prob;		/* posterior probability of a match */
	signed char level[LK_NFIELDS];
	float w[LK_NFIELDS];	/* each field's weight */
};

struct linker;

struct linker *lk_new(void);
void lk_free(struct linker *lk);

/* Add a row; returns its index, or (size_t)-1 when out of memory. */
size_t lk_add(struct linker *lk, const struct lk_row_in *in);
size_t lk_rows(const struct linker *lk);

/* Link every row added.  threshold: the posterior probability above
 * which rows are linked; pairs from review up to threshold are kept as
 * review candidates.  Returns 0, or -1 when out of memory. */
int lk_run(struct linker *lk, double threshold, double review);

/* The person of a row: the smallest row index of its cluster. */
size_t lk_person(struct linker *lk, size_t row);

/* How row came to its person, and the link that explains it (NULL for
 * LK_SELF and LK_ID). */
enum lk_how lk_how(const struct linker *lk, size_t row);
const struct lk_pair *lk_link_of(const struct linker *lk, size_t row);

/* Review candidates: pairs in the band below the threshold. */
const struct lk_pair *lk_reviews(const struct linker *lk, size_t *n);

/* The name of a field and of its agreement level, for explanations. */
const char *lk_field_name(enum lk_field f);
const char *lk_level_name(enum lk_field f, int level);

/* Whether some pair of rows compared the field: --explain shows only
 * those. */
int lk_field_used(const struct linker *lk, enum lk_field f);

/* The estimated m and u of each level, for --explain. */
void lk_params(const struct linker *lk, enum lk_field f, int level,
    double *m, double *u);

#endif
