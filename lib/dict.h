/*
 * dict.h — the data dictionary: every field a record can carry.
 *
 * One table drives import (the type a column converts to, the codes an
 * enumeration maps to), match (how facts from many rows about one person
 * merge) and report (the Chinese label of each field).  Field keys are
 * dotted paths: "med.oop" is the key "oop" inside the object "med".
 */
#ifndef REACH_DICT_H
#define REACH_DICT_H

#include <stddef.h>

enum vtype {
	VT_STR,		/* short text, trimmed */
	VT_TEXT,	/* free text, kept as written */
	VT_ID,		/* citizen ID number (idcard.h) */
	VT_NAME,	/* person name (norm_name) */
	VT_SEX,		/* "M" / "F" */
	VT_DATE,	/* "YYYY-MM-DD" */
	VT_MONTH,	/* "YYYY-MM-01" */
	VT_MONEY,	/* number in 元, exact to the 分 */
	VT_INT,		/* whole number */
	VT_BOOL,	/* true / false */
	VT_PHONE,	/* digits, landlines as "023-76612345" */
	VT_ENUM,	/* one ASCII code from the field's vocabulary */
	VT_SET,		/* array of codes; cells list several, split by 、,，;；/ */
	VT_GRADE,	/* disability grade 1..4 from 一级 / 1级 / 1 */
};

enum merge {
	MERGE_FIRST,	/* first valid value; later conflicts become warn */
	MERGE_UNION,	/* set union */
	MERGE_LATEST,	/* value of the latest row by the group's date */
	MERGE_SUM,
	MERGE_COUNT,
	MERGE_MAX,
	MERGE_MIN,
	MERGE_ANY,	/* true if any row says true */
	MERGE_WORST,	/* the most severe code of the vocabulary (listed last) */
};

struct dict_field {
	const char *key;		/* "med.oop" */
	enum vtype type;
	enum merge merge;
	const char *label_zh;		/* 个人自付 */
	const char *label_en;
	/* For VT_ENUM / VT_SET: "code=中文|别名|…", NULL-terminated, in
	 * order of severity where the merge rule is MERGE_WORST. */
	const char *const *codes;
};

/* The field with this key, or NULL. */
const struct dict_field *dict_find(const char *key);

/* All fields, in the order records print them; *n gets the count. */
const struct dict_field *dict_fields(size_t *n);

/* Parse a type name ("money", "date", …) as used by --map and profiles.
 * Returns 0 and sets *t, or -1. */
int dict_type_parse(const char *name, enum vtype *t);
const char *dict_type_name(enum vtype t);

/* The vocabulary entry ("code=中文|别名") whose code, Chinese word or
 * alias is s (already trimmed and width-folded), or NULL. */
const char *dict_code(const struct dict_field *f, const char *s, size_t n);

/* The Chinese words of a code of field f ("head" → "户主|本人"): the
 * label is the text up to the first '|'.  NULL for an unknown code. */
const char *dict_code_label(const struct dict_field *f, const char *code);

#endif
