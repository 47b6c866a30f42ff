/*
 * hanzi_tables.h — the tables scripts/gen-hanzi writes into
 * build/hanzi_tables.c; only lib/hanzi.c should read them.
 *
 * Pinyin is a two-level table because it is looked up once per character
 * of every name compared: hz_py_root[cp >> HZ_PY_SHIFT] is 0 for a page
 * with no readings, else one more than the row of hz_py_leaf holding that
 * page; a leaf entry is 0 for no reading, else one more than the index of
 * the syllable, which starts at hz_syl_pool + hz_syl_off[index].
 * Simplified forms are rarer and sit in two parallel arrays sorted by
 * hz_simp_from, for binary search.
 */
#ifndef REACH_HANZI_TABLES_H
#define REACH_HANZI_TABLES_H

#include <stdint.h>

#define HZ_PY_SHIFT	8

extern const uint16_t hz_syl_count;
extern const char hz_syl_pool[];
extern const uint16_t hz_syl_off[];

extern const uint16_t hz_py_nroot;
extern const uint16_t hz_py_root[];
extern const uint16_t hz_py_leaf[][1 << HZ_PY_SHIFT];

extern const uint16_t hz_simp_n;
extern const uint32_t hz_simp_from[];
extern const uint32_t hz_simp_to[];

#endif
