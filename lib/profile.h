/*
 * profile.h — import profiles: which column becomes which field.
 *
 * A profile names a source ("medical") and, for each field, the header
 * the department usually gives the column and its aliases.  Columns are
 * found by header, never by position, because exports drift.  The format
 * is documented in reach-profile(5); the built-in profiles are the files
 * in share/reach/profiles, compiled into the binary.
 */
#ifndef REACH_PROFILE_H
#define REACH_PROFILE_H

#include <stddef.h>

#include "dict.h"

struct prof_col {
	char *field;			/* "med.oop" */
	enum vtype type;
	const struct dict_field *df;	/* NULL for a field not in dict */
	int required;
	char **headers;			/* folded; [0] is the usual header */
	size_t nheaders;
};

struct profile {
	char *name;			/* "medical" */
	char *source;			/* value of every record's "src" */
	char *label;
	struct prof_col *cols;
	size_t ncols;
};

/* Parse profile text; origin names it in messages ("x.profile").
 * NULL on error with "origin:LINE: what" in err. */
struct profile *profile_parse(const char *text, size_t len,
    const char *origin, char *err, size_t errlen);

/* A built-in profile by name, or NULL. */
struct profile *profile_builtin(const char *name, char *err, size_t errlen);

/* Names of the built-in profiles, NULL-terminated. */
const char *const *profile_builtin_names(void);

/* Add an ad hoc column from "列名=field[:type]" (--map).  A field of the
 * dictionary takes its type from there unless one is given. */
int profile_add_map(struct profile *p, const char *spec, char *err,
    size_t errlen);

void profile_free(struct profile *p);

/* Header text folded for comparison: widths folded (（）→ ()), all
 * space removed.  Returns the length written into out. */
size_t header_fold(const char *s, size_t n, char *out, size_t outsz);

/*
 * Match a header row (cells already folded) against p: colmap[i] gets the
 * profile column of cell i, or -1.  Returns how many cells matched;
 * *missing gets the header of the first required column not there (NULL
 * when all are) and *nmissing how many are not.
 */
int profile_match(const struct profile *p, char **cells, size_t ncells,
    int *colmap, const char **missing, int *nmissing);

#endif
