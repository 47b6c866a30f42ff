/*
 * mask.h — what a published list may show of a person (sources.md):
 * an ID as its first 6 and last 4 characters, a name as its first and
 * last characters, a phone as its first 3 and last 4 digits, and free
 * text with those masked and health and disability details taken out.
 *
 * Functions write a NUL-terminated string into out (len bytes, at least
 * MASK_MAX for a field) and return its length; they never fail: text
 * that does not look like what it should is masked whole.
 */
#ifndef REACH_MASK_H
#define REACH_MASK_H

#include <stddef.h>

#include "buf.h"

#define MASK_MAX 256

/* 500241194503120018 → 500241********0018 */
size_t mask_id(const char *id, char *out, size_t len);
/* 张三明 → 张*明, 张三 → 张*, 欧阳娜娜 → 欧**娜 */
size_t mask_name(const char *name, char *out, size_t len);
/* 13823456789 → 138****6789, 023-76612345 → 023-****2345 */
size_t mask_phone(const char *phone, char *out, size_t len);

/*
 * A sentence (a flag's why, a visit note) fit for a published list:
 * each of names[0..n) masked, each of drop[0..ndrop) (diagnoses) and
 * every disability kind and grade taken out, what follows 疾病 in
 * brackets taken out, and every run of 7 or more digits (a phone, an
 * ID) masked.  Appends to out; returns 0, or -1 when out of memory.
 */
int mask_text(const char *s, const char *const *names, size_t n,
    const char *const *drop, size_t ndrop, struct buf *out);

#endif
