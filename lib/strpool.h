/*
 * strpool.h — interned strings with counts.
 *
 * match keeps a million rows' names, villages and phone numbers; each
 * distinct string is stored once and compared as a number.  The count of
 * each string is the term frequency that weighs agreement on a common
 * name (王伟) less than on a rare one.
 */
#ifndef REACH_STRPOOL_H
#define REACH_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

struct strpool;

struct strpool *sp_new(void);
void sp_free(struct strpool *sp);

/* The id of s[0..n) (added if new; 0 is never an id), or 0 for n == 0.
 * count adds to its count. */
uint32_t sp_intern(struct strpool *sp, const char *s, size_t n, int count);

/* The id of s if present, else 0. */
uint32_t sp_lookup(const struct strpool *sp, const char *s, size_t n);

const char *sp_str(const struct strpool *sp, uint32_t id);
uint32_t sp_count(const struct strpool *sp, uint32_t id);
/* Sum of all counts, for frequencies. */
uint64_t sp_total(const struct strpool *sp);

#endif
