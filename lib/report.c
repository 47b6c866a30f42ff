/*
 * report.c — the views of reach report (see report.h): records in,
 * one table (and for HTML a page with charts) out.
 *
 * Codes stay codes in NDJSON (records.md: enumerations become Chinese
 * only here, and only for people); every other format shows labels.
 * People's details are masked in every format unless unmask is set:
 * a worklist piped to a file is as much a published list as a printed
 * one.
 */
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chart.h"
#include "dict.h"
#include "hanzi.h"
#include "ledger.h"
#include "mask.h"
#include "norm.h"
#include "report.h"
#include "table.h"

struct report {
	struct rp_opts o;
	jv cases;	/* records kept for worklist, pipeline, overdue */
	jv ledger;	/* hid → open referral, for due dates */
	jv groups;	/* summary: key → [codes, households, persons, 分] */
	long long households, persons, fen;
	jv by_town;	/* town → [red, orange, yellow, none] households */
	jv by_group;	/* risk group → households */
	int emergency;	/* some household carries "events" */
};

/* ---- reading records ---- */

/* o[k], borrowing o; null when o is no object or lacks k. */
static jv get(jv o, const char *k)
{
	jv v;

	if (jv_get_kind(o) != JV_KIND_OBJECT)
		return jv_null();
	v = jv_object_get(jv_copy(o), jv_string(k));
	return jv_is_valid(v) ? v : jv_null();
}

static const char *str(jv o, const char *k, char *buf, size_t len)
{
	jv v = get(o, k);

	buf[0] = '\0';
	if (jv_get_kind(v) == JV_KIND_STRING)
		snprintf(buf, len, "%s", jv_string_value(v));
	jv_free(v);
	return buf;
}

static double num(jv o, const char *k, double dflt)
{
	jv v = get(o, k);
	double d = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : dflt;

	jv_free(v);
	return d;
}

static jv_kind get_kind(jv o, const char *k)
{
	jv v = get(o, k);
	jv_kind kind = jv_get_kind(v);

	jv_free(v);
	return kind;
}

static int len_of(jv arr)
{
	int n = jv_get_kind(arr) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(arr)) : 0;

	jv_free(arr);
	return n;
}

static int level_rank(const char *s)
{
	return strcmp(s, "red") == 0 ? 3 : strcmp(s, "orange") == 0 ? 2 :
	    strcmp(s, "yellow") == 0 ? 1 : 0;
}

static const char *const level_code[] = { "none", "yellow", "orange", "red" };

/* The household's level: its "risk", else its worst flag. */
static int level_of(jv rec)
{
	char buf[16];
	jv flags = get(rec, "flags"), f;
	int i, n, best = level_rank(str(rec, "risk", buf, sizeof buf)), l;

	n = jv_get_kind(flags) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(flags)) : 0;
	for (i = 0; i < n; i++) {
		f = jv_array_get(jv_copy(flags), i);
		if ((l = level_rank(str(f, "level", buf, sizeof buf))) > best)
			best = l;
		jv_free(f);
	}
	jv_free(flags);
	return best;
}

/* Money in 分 from a number in 元 (exact for any real amount). */
static long long fen_of(jv o, const char *k)
{
	return llround(num(o, k, 0) * 100);
}

static long long household_fen(jv rec)
{
	jv med = get(rec, "med"), ms, m;
	long long fen = fen_of(med, "oop");
	int i, n;

	jv_free(med);
	if (fen != 0)
		return fen;
	/* a record made by hand may carry the bills on members only */
	ms = get(rec, "members");
	n = len_of(jv_copy(ms));
	for (i = 0; i < n; i++) {
		m = jv_array_get(jv_copy(ms), i);
		med = get(m, "med");
		fen += fen_of(med, "oop");
		jv_free(med);
		jv_free(m);
	}
	jv_free(ms);
	return fen;
}

static int persons_of(jv rec)
{
	double size = num(rec, "size", -1);

	return size >= 0 ? (int)size : len_of(get(rec, "members"));
}

/* Places in the order of a Chinese index: by pinyin (清溪场 before
 * 宋农 before 隘口), not by the bytes of their UTF-8. */
static int place_cmp(const char *a, const char *b)
{
	char pa[512], pb[512];
	int c;

	if (hz_pinyin(a, strlen(a), pa, sizeof pa) == (size_t)-1 ||
	    hz_pinyin(b, strlen(b), pb, sizeof pb) == (size_t)-1)
		return strcmp(a, b);
	return (c = strcmp(pa, pb)) != 0 ? c : strcmp(a, b);
}

/* ---- labels ---- */

struct label {
	const char *code, *zh, *en;
};

static const struct label col_labels[] = {
	{ "households", "户数", "households" },
	{ "persons", "人数", "persons" },
	{ "level", "风险等级", "risk" },
	{ "rule", "预警规则", "rule" },
	{ "group", "风险类别", "risk group" },
	{ "programme", "人员类别", "programme" },
	{ "med_oop", "个人自付医疗费（元）", "medical out of pocket (yuan)" },
	{ "no", "序号", "no." },
	{ "head", "户主", "head" },
	{ "size", "人数", "size" },
	{ "why", "预警原因", "reasons" },
	{ "due", "办理期限", "due" },
	{ "vulnerability", "脆弱度", "vulnerability" },
	{ "event", "突发事件", "event" },
	{ "ref", "转介编号", "referral" },
	{ "hid", "户键", "household key" },
	{ "to", "转介至", "referred to" },
	{ "status", "办理状态", "status" },
	{ "days_overdue", "逾期天数", "days overdue" },
	{ "referrals", "转介数", "referrals" },
	{ "overdue", "逾期未联系", "overdue" },
	{ "median_days_contact", "联系用时中位数（天）",
	    "median days to contact" },
	{ "median_days_aid", "救助用时中位数（天）", "median days to aid" },
	{ NULL, NULL, NULL }
};

static const struct label levels[] = {
	{ "red", "红色", "red" }, { "orange", "橙色", "orange" },
	{ "yellow", "黄色", "yellow" }, { "none", "未预警", "no flag" },
	{ NULL, NULL, NULL }
};

/* The groups of the default rules (share/reach/rules/default.rules). */
static const struct label groups[] = {
	{ "tekun", "特困", "tekun" },
	{ "dibao", "低保", "dibao" },
	{ "edge", "低保边缘", "near dibao" },
	{ "zhichu", "支出型困难", "spending hardship" },
	{ "cannot_apply", "无力申请", "cannot apply" },
	{ "sudden", "突发变故", "sudden event" },
	{ "unstable", "返贫风险", "relapse risk" },
	{ "rejected", "申请未获批", "refused earlier" },
	{ "report", "求助与走访", "calls and visits" },
	{ "disaster", "灾害", "disaster" },
	{ "emergency", "集中排查", "emergency" },
	{ "none", "未预警", "no flag" },
	{ NULL, NULL, NULL }
};

static const struct label statuses[] = {
	{ "pushed", "已推送", "pushed" }, { "contacted", "已联系", "contacted" },
	{ "applying", "申请中", "applying" }, { "aided", "已救助", "aided" },
	{ "declined", "本人谢绝", "declined" }, { "closed", "已办结", "closed" },
	{ NULL, NULL, NULL }
};

/* The programmes of the default routes (share/reach/routes). */
static const struct label programmes[] = {
	{ "tekun", "特困供养", "tekun" }, { "dibao", "低保", "dibao" },
	{ "linshi", "临时救助", "temporary aid" },
	{ "medical_aid", "医疗救助", "medical aid" },
	{ "education_aid", "教育救助", "education aid" },
	{ "housing_aid", "住房救助", "housing aid" },
	{ "employment_aid", "就业救助", "employment aid" },
	{ "assess", "入户核查", "home visit" },
	{ "coord", "县协调机制", "county coordination" },
	{ "none", "未纳入", "none" },
	{ NULL, NULL, NULL }
};

/* The label of code in t, else the code itself. */
static const char *label(const struct label *t, const char *code, int en)
{
	for (; t->code; t++)
		if (strcmp(t->code, code) == 0)
			return en ? t->en : t->zh;
	return code;
}

/* A column's header: the data dictionary's label for a record field,
 * else the report's own. */
static const char *col_label(const struct report *r, const char *key)
{
	const struct dict_field *f = dict_find(key);

	if (f && strcmp(key, "no") != 0)
		return r->o.en ? f->label_en : f->label_zh;
	return label(col_labels, key, r->o.en);
}

/* A programme's name from the dictionary's prog.kind vocabulary. */
static const char *programme_label(const struct report *r, const char *code,
    char *buf, size_t len)
{
	const struct dict_field *f = dict_find("prog.kind");
	const char *w = f ? dict_code_label(f, code) : NULL;

	if (r->o.en || w == NULL)
		return label(programmes, code, r->o.en);
	snprintf(buf, len, "%.*s", (int)strcspn(w, "|"), w);
	return buf;
}

/* The label for people of a summary key's code. */
static const char *key_label(const struct report *r, enum rp_by by,
    const char *code, char *buf, size_t len)
{
	switch (by) {
	case RP_LEVEL:
		return label(levels, code, r->o.en);
	case RP_GROUP:
		return label(groups, code, r->o.en);
	case RP_PROGRAMME:
		return programme_label(r, code, buf, len);
	default:
		if (code[0] == '\0')
			return r->o.en ? "(unknown)" : "（未知）";
		return code;
	}
}

/* The place of s in list (n words), or -1. */
static int word_of(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return i;
	return -1;
}

static const char *const by_name[] = { "town", "village", "rule", "group",
    "level", "programme" };

int rp_by_parse(const char *s)
{
	return word_of(s, by_name, sizeof by_name / sizeof by_name[0]);
}

int rp_view_parse(const char *s)
{
	static const char *const v[] = { "summary", "worklist", "pipeline",
	    "overdue" };

	return word_of(s, v, sizeof v / sizeof v[0]);
}

int rp_format_parse(const char *s)
{
	static const char *const f[] = { "table", "csv", "ndjson", "html",
	    "md" };

	return word_of(s, f, sizeof f / sizeof f[0]);
}

/* ---- summary ---- */

/* arr (consumed) with s (consumed) appended unless already there. */
static jv add_unique(jv arr, jv s)
{
	int i, n = jv_array_length(jv_copy(arr));

	for (i = 0; i < n; i++)
		if (jv_equal(jv_array_get(jv_copy(arr), i), jv_copy(s))) {
			jv_free(s);
			return arr;
		}
	return jv_array_append(arr, s);
}

/* The codes a household has under one key: several for rule, group and
 * programme (a household counts once under each), one otherwise. */
static jv key_values(jv rec, enum rp_by by)
{
	static const char *const field[] = { "town", "village", "rule",
	    "group" };
	char buf[512];
	jv out, src, v;
	int i, n;

	if (by == RP_TOWN || by == RP_VILLAGE)
		return JV_ARRAY(jv_string(str(rec, field[by], buf, sizeof buf)));
	if (by == RP_LEVEL)
		return JV_ARRAY(jv_string(level_code[level_of(rec)]));
	if (by == RP_PROGRAMME) {
		v = get(rec, "prog");
		src = get(v, "kind");
		jv_free(v);
	} else
		src = get(rec, "flags");
	out = jv_array();
	n = len_of(jv_copy(src));
	for (i = 0; i < n; i++) {
		v = jv_array_get(jv_copy(src), i);
		if (by != RP_PROGRAMME) {
			str(v, field[by], buf, sizeof buf);
			jv_free(v);
			v = jv_string(buf);
		}
		if (jv_get_kind(v) == JV_KIND_STRING &&
		    jv_string_length_bytes(jv_copy(v)) > 0)
			out = add_unique(out, v);
		else
			jv_free(v);
	}
	jv_free(src);
	if (jv_array_length(jv_copy(out)) == 0)
		out = jv_array_append(out, jv_string("none"));
	return out;
}

/* Every combination of the --by keys' codes for one household. */
static jv key_tuples(const struct report *r, jv rec)
{
	jv tuples = JV_ARRAY(jv_array()), next, vals, t;
	int i, j, n, m;
	size_t k;

	for (k = 0; k < r->o.nby; k++) {
		vals = key_values(rec, r->o.by[k]);
		next = jv_array();
		n = jv_array_length(jv_copy(tuples));
		m = jv_array_length(jv_copy(vals));
		for (i = 0; i < n; i++)
			for (j = 0; j < m; j++) {
				t = jv_array_get(jv_copy(tuples), i);
				next = jv_array_append(next, jv_array_append(t,
				    jv_array_get(jv_copy(vals), j)));
			}
		jv_free(tuples);
		jv_free(vals);
		tuples = next;
	}
	return tuples;
}

/* counts[i] += by, in the object map (consumed) under key. */
static jv bump(jv map, const char *key, int i, int width, long long by)
{
	jv row = jv_object_get(jv_copy(map), jv_string(key));
	int k;

	if (!jv_is_valid(row)) {
		jv_free(row);
		row = jv_array();
		for (k = 0; k < width; k++)
			row = jv_array_append(row, jv_number(0));
	}
	row = jv_array_set(row, i, jv_number(jv_number_value(
	    jv_array_get(jv_copy(row), i)) + by));
	return jv_object_set(map, jv_string(key), row);
}

static void summary_add(struct report *r, jv rec)
{
	jv tuples = key_tuples(r, rec), t, entry, groups;
	struct buf key = BUF_INIT;
	int i, j, n = jv_array_length(jv_copy(tuples)), level = level_of(rec);
	int persons = persons_of(rec);
	long long fen = household_fen(rec);
	char town[256];

	for (i = 0; i < n; i++) {
		t = jv_array_get(jv_copy(tuples), i);
		buf_reset(&key);
		for (j = 0; j < (int)r->o.nby; j++) {
			jv c = jv_array_get(jv_copy(t), j);

			buf_adds(&key, jv_string_value(c));
			buf_addc(&key, '\x1f');
			jv_free(c);
		}
		buf_addc(&key, '\0');
		entry = jv_object_get(jv_copy(r->groups), jv_string(key.data));
		if (!jv_is_valid(entry)) {
			jv_free(entry);
			entry = JV_ARRAY(jv_copy(t), jv_number(0), jv_number(0),
			    jv_number(0));
		}
		entry = jv_array_set(entry, 1, jv_number(jv_number_value(
		    jv_array_get(jv_copy(entry), 1)) + 1));
		entry = jv_array_set(entry, 2, jv_number(jv_number_value(
		    jv_array_get(jv_copy(entry), 2)) + persons));
		entry = jv_array_set(entry, 3, jv_number(jv_number_value(
		    jv_array_get(jv_copy(entry), 3)) + fen));
		r->groups = jv_object_set(r->groups, jv_string(key.data), entry);
		jv_free(t);
	}
	jv_free(tuples);
	buf_free(&key);
	r->households++;
	r->persons += persons;
	r->fen += fen;
	/* the charts: by town and level, by risk group */
	r->by_town = bump(r->by_town, str(rec, "town", town, sizeof town),
	    3 - level, 4, 1);
	groups = key_values(rec, RP_GROUP);
	n = jv_array_length(jv_copy(groups));
	for (i = 0; i < n; i++) {
		t = jv_array_get(jv_copy(groups), i);
		if (strcmp(jv_string_value(t), "none") != 0)
			r->by_group = bump(r->by_group, jv_string_value(t), 0, 1,
			    1);
		jv_free(t);
	}
	jv_free(groups);
}

/* ---- records in ---- */

struct report *rp_new(const struct rp_opts *o)
{
	struct report *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->o = *o;
	if (r->o.nby == 0) {
		r->o.by[r->o.nby++] = RP_TOWN;
		r->o.by[r->o.nby++] = RP_LEVEL;
	}
	r->cases = jv_array();
	r->ledger = jv_object();
	r->groups = jv_object();
	r->by_town = jv_object();
	r->by_group = jv_object();
	return r;
}

void rp_free(struct report *r)
{
	if (r == NULL)
		return;
	jv_free(r->cases);
	jv_free(r->ledger);
	jv_free(r->groups);
	jv_free(r->by_town);
	jv_free(r->by_group);
	free(r);
}

static int in_town(const struct report *r, jv rec)
{
	char town[256];

	return r->o.town == NULL ||
	    strcmp(str(rec, "town", town, sizeof town), r->o.town) == 0;
}

int rp_add(struct report *r, jv rec)
{
	char hid[128];

	if (jv_get_kind(rec) != JV_KIND_OBJECT ||
	    str(rec, "hid", hid, sizeof hid)[0] == '\0') {
		jv_free(rec);
		return -1;
	}
	if (!in_town(r, rec)) {
		jv_free(rec);
		return 0;
	}
	if (r->o.view == RP_SUMMARY) {
		summary_add(r, rec);
		jv_free(rec);
		return 0;
	}
	if (len_of(get(rec, "events")) > 0)
		r->emergency = 1;
	/* a worklist lists only households with a flag: the others (most,
	 * in a county's run) need not be kept until the end */
	if (r->o.view == RP_WORKLIST && len_of(get(rec, "flags")) == 0) {
		jv_free(rec);
		return 0;
	}
	r->cases = jv_array_append(r->cases, rec);
	return 0;
}

void rp_ledger(struct report *r, jv ref)
{
	char hid[128], status[32];

	if (str(ref, "hid", hid, sizeof hid)[0] &&
	    strcmp(str(ref, "status", status, sizeof status), "closed") != 0)
		r->ledger = jv_object_set(r->ledger, jv_string(hid), ref);
	else
		jv_free(ref);
}

/* ---- people, masked ---- */

/* The member who answers for the household: the living head, else the
 * first living member, else the first.  Borrows rec; null if none. */
static jv head_of(jv rec)
{
	jv ms = get(rec, "members"), m, best = jv_null(), death;
	int i, n = len_of(jv_copy(ms)), score, top = -1;
	char rel[16];

	for (i = 0; i < n; i++) {
		m = jv_array_get(jv_copy(ms), i);
		death = get(m, "death");
		score = (jv_get_kind(death) == JV_KIND_NULL) * 2 +
		    (strcmp(str(m, "rel", rel, sizeof rel), "head") == 0);
		jv_free(death);
		if (score > top) {
			jv_free(best);
			best = m, top = score;
		} else
			jv_free(m);
	}
	jv_free(ms);
	return best;
}

/* A member's id, name, phone or addr as people may see it (borrows
 * m): masked, or for addr left out, unless unmask. */
static jv person_field(const struct report *r, jv m, const char *key)
{
	char v[512], masked[MASK_MAX];
	int id = strcmp(key, "id") == 0;

	if (id && str(m, "id", v, sizeof v)[0] == '\0')
		str(m, "id_raw", v, sizeof v);
	else if (!id)
		str(m, key, v, sizeof v);
	if (v[0] == '\0' || (!r->o.unmask && strcmp(key, "addr") == 0))
		return jv_null();
	if (r->o.unmask)
		return jv_string(v);
	if (id)
		mask_id(v, masked, sizeof masked);
	else if (strcmp(key, "name") == 0)
		mask_name(v, masked, sizeof masked);
	else
		mask_phone(v, masked, sizeof masked);
	return jv_string(masked);
}

/* The first phone of the head, else of anyone in the household. */
static jv phone_of(const struct report *r, jv rec, jv head)
{
	jv ms, m, p = person_field(r, head, "phone");
	int i, n;

	if (jv_get_kind(p) != JV_KIND_NULL)
		return p;
	ms = get(rec, "members");
	n = len_of(jv_copy(ms));
	for (i = 0; i < n && jv_get_kind(p) == JV_KIND_NULL; i++) {
		m = jv_array_get(jv_copy(ms), i);
		p = person_field(r, m, "phone");
		jv_free(m);
	}
	jv_free(ms);
	return p;
}

/* Strings of rec's members' key (and of rec's own), appended to out. */
static jv collect(jv rec, const char *obj, const char *key, jv out)
{
	jv ms = get(rec, "members"), m, o, v;
	int i, j, n = len_of(jv_copy(ms));

	for (i = -1; i < n; i++) {
		m = i < 0 ? jv_copy(rec) : jv_array_get(jv_copy(ms), i);
		o = obj ? get(m, obj) : jv_copy(m);
		v = get(o, key);
		if (jv_get_kind(v) == JV_KIND_STRING)
			out = add_unique(out, v);
		else if (jv_get_kind(v) == JV_KIND_ARRAY) {
			for (j = 0; j < jv_array_length(jv_copy(v)); j++)
				out = add_unique(out, jv_array_get(jv_copy(v), j));
			jv_free(v);
		} else
			jv_free(v);
		jv_free(o);
		jv_free(m);
	}
	jv_free(ms);
	return out;
}

/* C strings of a jv array of strings; valid while arr lives. */
static const char **cstrings(jv arr, size_t *n)
{
	const char **s;
	jv v;
	int i;

	*n = jv_array_length(jv_copy(arr));
	if ((s = calloc(*n + 1, sizeof *s)) == NULL)
		return NULL;
	for (i = 0; i < (int)*n; i++) {
		v = jv_array_get(jv_copy(arr), i);
		s[i] = jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : "";
		jv_free(v);	/* arr keeps the string */
	}
	return s;
}

/* The flags' reasons, masked unless unmask: names, diagnoses,
 * disability kinds and grades, long numbers. */
static jv reasons(const struct report *r, jv rec)
{
	jv flags = get(rec, "flags"), f, out = jv_array(), why;
	jv names = collect(rec, NULL, "name", jv_array());
	jv diags = collect(rec, "med", "diag", jv_array());
	const char **nm, **dg;
	size_t nn, nd;
	struct buf b = BUF_INIT;
	int i, n = len_of(jv_copy(flags));

	names = collect(rec, NULL, "head_name", names);
	nm = cstrings(names, &nn);
	dg = cstrings(diags, &nd);
	for (i = 0; i < n; i++) {
		f = jv_array_get(jv_copy(flags), i);
		why = get(f, "why");
		if (jv_get_kind(why) == JV_KIND_STRING && r->o.unmask)
			out = jv_array_append(out, why);
		else if (jv_get_kind(why) == JV_KIND_STRING) {
			buf_reset(&b);
			if (nm && dg)
				mask_text(jv_string_value(why), nm, nn, dg, nd, &b);
			buf_addc(&b, '\0');
			out = jv_array_append(out, jv_string(b.data));
			jv_free(why);
		} else
			jv_free(why);
		jv_free(f);
	}
	free(nm);
	free(dg);
	buf_free(&b);
	jv_free(names);
	jv_free(diags);
	jv_free(flags);
	return out;
}

/* ---- worklist and overdue ---- */

struct item {
	jv rec;		/* borrowed from r->cases */
	int level, urgent, vuln, nflags;
	long late;	/* days past due, for overdue */
	char due[11], ref[32], hid[128], town[128], village[128];
};

/* How much a household depends on someone coming to it: 4 for each
 * member who cannot look after themselves, 3 for each severely disabled
 * or seriously ill, 2 for each aged 80 or over, 1 for each aged 60 to
 * 79, 3 for each child under 16 with no member of working age, 2 for
 * living alone.  Counts from reach match; ages when a referral has no
 * counts. */
static int vulnerability(jv rec)
{
	jv c = get(rec, "counts"), ms, m;
	int size = persons_of(rec), i, n, age, a60 = 0, a80 = 0, u16 = 0, v;

	if (jv_get_kind(c) == JV_KIND_OBJECT) {
		a60 = num(c, "age60", 0), a80 = num(c, "age80", 0);
		u16 = num(c, "under16", 0);
	} else {
		ms = get(rec, "members");
		n = len_of(jv_copy(ms));
		for (i = 0; i < n; i++) {
			m = jv_array_get(jv_copy(ms), i);
			age = num(m, "age", 30);
			a60 += age >= 60, a80 += age >= 80, u16 += age < 16;
			jv_free(m);
		}
		jv_free(ms);
	}
	v = 4 * num(c, "no_selfcare", 0) + 3 * num(c, "severe_dis", 0) +
	    3 * num(c, "serious_ill", 0) + 2 * a80 + (a60 - a80);
	if (u16 > 0 && size - a60 - u16 <= 0)
		v += 3 * u16;
	if (size == 1)
		v += 2;
	jv_free(c);
	return v;
}

static void item_init(const struct report *r, struct item *it, jv rec)
{
	jv lg, u = get(rec, "urgent");

	memset(it, 0, sizeof *it);
	it->rec = rec;
	it->level = level_of(rec);
	it->urgent = jv_get_kind(u) == JV_KIND_TRUE;
	it->vuln = vulnerability(rec);
	it->nflags = len_of(get(rec, "flags"));
	str(rec, "hid", it->hid, sizeof it->hid);
	str(rec, "town", it->town, sizeof it->town);
	str(rec, "village", it->village, sizeof it->village);
	str(rec, "due", it->due, sizeof it->due);
	str(rec, "ref", it->ref, sizeof it->ref);
	/* a household of the stream takes its due date from the ledger */
	lg = get(r->ledger, it->hid);
	if (it->due[0] == '\0')
		str(lg, "due", it->due, sizeof it->due);
	if (it->ref[0] == '\0')
		str(lg, "ref", it->ref, sizeof it->ref);
	jv_free(lg);
	jv_free(u);
	if (it->due[0] && date_days(it->due) >= 0 && r->o.as_of)
		it->late = date_days(r->o.as_of) - date_days(it->due);
}

static int cmp_due(const char *a, const char *b)
{
	/* no due date sorts after every date */
	if (!*a || !*b)
		return !*a - !*b;
	return strcmp(a, b);
}

/* Most urgent first: level, 先行救助, due date, vulnerability. */
static int by_urgency(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c;

	if (a->level != b->level)
		return b->level - a->level;
	if (a->urgent != b->urgent)
		return b->urgent - a->urgent;
	if ((c = cmp_due(a->due, b->due)) != 0)
		return c;
	if (a->vuln != b->vuln)
		return b->vuln - a->vuln;
	if (a->nflags != b->nflags)
		return b->nflags - a->nflags;
	return strcmp(a->hid, b->hid);
}

/* An emergency: village by village, the most vulnerable first. */
static int by_village(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c;

	if ((c = place_cmp(a->town, b->town)) != 0 ||
	    (c = place_cmp(a->village, b->village)) != 0)
		return c;
	if (a->vuln != b->vuln)
		return b->vuln - a->vuln;
	return by_urgency(pa, pb);
}

/* Oldest due date first. */
static int by_due(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c;

	if ((c = cmp_due(a->due, b->due)) != 0)
		return c;
	return strcmp(a->ref, b->ref);
}

static int is_overdue(const struct report *r, const struct item *it)
{
	char status[32];
	jv o = get(it->rec, "overdue");
	int yes = jv_get_kind(o) == JV_KIND_TRUE;

	jv_free(o);
	/* the ledger's rule: still only pushed after its due date */
	return yes || (strcmp(str(it->rec, "status", status, sizeof status),
	    "pushed") == 0 && it->late > 0);
}

/* The cases the view lists, sorted; *n gets how many. */
static struct item *items(const struct report *r, size_t *n)
{
	int i, len = jv_array_length(jv_copy(r->cases));
	struct item *it = calloc(len + 1, sizeof *it);
	int events;
	jv rec;

	*n = 0;
	if (it == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		rec = jv_array_get(jv_copy(r->cases), i);
		jv_free(rec);	/* r->cases keeps it */
		item_init(r, &it[*n], rec);
		/* an emergency run lists the households of the hit areas */
		events = len_of(get(rec, "events")) > 0;
		if (r->o.view == RP_OVERDUE ? is_overdue(r, &it[*n]) :
		    it[*n].nflags > 0 && (!r->emergency || events))
			(*n)++;
	}
	qsort(it, *n, sizeof *it, r->o.view == RP_OVERDUE ? by_due :
	    r->emergency ? by_village : by_urgency);
	return it;
}

/* ---- tables ---- */

#define MAXCOLS 20

struct cols {
	struct tbl_col c[MAXCOLS];
	size_t n;
};

static int col(const struct report *r, struct cols *cs, const char *key,
    enum tbl_kind kind)
{
	cs->c[cs->n] = (struct tbl_col){ key, col_label(r, key), kind };
	return cs->n++;
}

static jv level_cell(const struct report *r, int human, int level)
{
	return jv_string(human ? label(levels, level_code[level], r->o.en) :
	    level_code[level]);
}

static jv str_cell(const char *s)
{
	return s[0] ? jv_string(s) : jv_null();
}

/* The codes of rec[key] (borrowed), as labels for people. */
static jv codes_cell(const struct report *r, int human, jv rec,
    const char *key, const struct label *t)
{
	jv in = get(rec, key), out = jv_array(), v;
	int i, n = len_of(jv_copy(in));

	for (i = 0; i < n; i++) {
		v = jv_array_get(jv_copy(in), i);
		if (jv_get_kind(v) == JV_KIND_STRING)
			out = jv_array_append(out, jv_string(human ?
			    label(t, jv_string_value(v), r->o.en) :
			    jv_string_value(v)));
		jv_free(v);
	}
	jv_free(in);
	return out;
}

/* "洪涝 2026-10-05": the first event of an emergency household. */
static jv event_cell(const struct report *r, int human, jv rec)
{
	jv ev = get(rec, "events"), e;
	const struct dict_field *f = dict_find("dst.kind");
	const char *w;
	char kind[64], date[16], buf[128];

	if (len_of(jv_copy(ev)) == 0) {
		jv_free(ev);
		return jv_null();
	}
	e = jv_array_get(ev, 0);
	str(e, "kind", kind, sizeof kind);
	str(e, "date", date, sizeof date);
	jv_free(e);
	w = f && human && !r->o.en ? dict_code_label(f, kind) : NULL;
	snprintf(buf, sizeof buf, "%.*s %s", w ? (int)strcspn(w, "|") :
	    (int)strlen(kind), w ? w : kind, date);
	return jv_string(buf);
}

static void worklist_title(const struct report *r, char *buf, size_t len)
{
	const char *where = r->o.town ? r->o.town : r->o.en ? "county" : "全县";

	if (r->o.en)
		snprintf(buf, len, "%s: %s, as of %s", where, r->emergency ?
		    "emergency screening list" : "worklist", r->o.as_of);
	else
		snprintf(buf, len, "%s%s（截至%s）", where, r->emergency ?
		    "集中排查清单" : "走访工作清单", r->o.as_of);
}

static jv worklist_row(const struct report *r, int human, const struct item *it,
    int no, int status)
{
	jv head = head_of(it->rec), row = JV_ARRAY(jv_number(no));
	char buf[32];

	if (r->o.town == NULL)
		row = jv_array_append(row, str_cell(it->town));
	row = jv_array_append(row, str_cell(it->village));
	row = jv_array_append(row, level_cell(r, human, it->level));
	row = jv_array_append(row, person_field(r, head, "name"));
	row = jv_array_append(row, person_field(r, head, "id"));
	row = jv_array_append(row, jv_number(persons_of(it->rec)));
	if (r->emergency) {
		row = jv_array_append(row, jv_number(it->vuln));
		row = jv_array_append(row, event_cell(r, human, it->rec));
	}
	row = jv_array_append(row, str_cell(it->due));
	if (status) {
		str(it->rec, "status", buf, sizeof buf);
		row = jv_array_append(row, buf[0] == '\0' ? jv_null() :
		    jv_string(human ? label(statuses, buf, r->o.en) : buf));
	}
	if (r->o.unmask) {
		row = jv_array_append(row, phone_of(r, it->rec, head));
		row = jv_array_append(row, person_field(r, head, "addr"));
	}
	row = jv_array_append(row, reasons(r, it->rec));
	if (!human) {
		row = jv_array_append(row, str_cell(it->hid));
		row = jv_array_append(row, str_cell(it->ref));
	}
	jv_free(head);
	return row;
}

static long worklist(struct report *r, int human, struct cols *cs,
    struct tbl *t, char *title, size_t len)
{
	struct item *it;
	size_t n, i;
	int village, status = 0;

	if ((it = items(r, &n)) == NULL)
		return -1;
	/* cases from the ledger say how far each has got */
	for (i = 0; i < n && !status; i++)
		status = get_kind(it[i].rec, "status") == JV_KIND_STRING;
	col(r, cs, "no", TBL_INT);
	if (r->o.town == NULL)
		col(r, cs, "town", TBL_TEXT);
	village = col(r, cs, "village", TBL_TEXT);
	col(r, cs, "level", TBL_TEXT);
	col(r, cs, "head", TBL_TEXT);
	col(r, cs, "id", TBL_TEXT);
	col(r, cs, "size", TBL_INT);
	if (r->emergency) {
		col(r, cs, "vulnerability", TBL_INT);
		col(r, cs, "event", TBL_TEXT);
	}
	col(r, cs, "due", TBL_TEXT);
	if (status)
		col(r, cs, "status", TBL_TEXT);
	if (r->o.unmask) {
		col(r, cs, "phone", TBL_TEXT);
		col(r, cs, "addr", TBL_TEXT);
	}
	col(r, cs, "why", TBL_TEXT);
	if (!human) {
		col(r, cs, "hid", TBL_TEXT);
		col(r, cs, "ref", TBL_TEXT);
	}
	worklist_title(r, title, len);
	t->group = r->emergency && human ? village : -1;
	t->group_label = r->o.en ? "village: " : "村（社区）：";
	for (i = 0; i < n; i++)
		t->rows = jv_array_append(t->rows, worklist_row(r, human,
		    &it[i], i + 1, status));
	free(it);
	return n;
}

static long overdue(struct report *r, int human, struct cols *cs,
    struct tbl *t, char *title, size_t len)
{
	struct item *it;
	size_t n, i;
	jv row, head;

	col(r, cs, "no", TBL_INT);
	col(r, cs, "ref", TBL_TEXT);
	col(r, cs, "town", TBL_TEXT);
	col(r, cs, "village", TBL_TEXT);
	col(r, cs, "head", TBL_TEXT);
	col(r, cs, "level", TBL_TEXT);
	col(r, cs, "due", TBL_TEXT);
	col(r, cs, "days_overdue", TBL_INT);
	col(r, cs, "to", TBL_TEXT);
	if (r->o.unmask)
		col(r, cs, "phone", TBL_TEXT);
	col(r, cs, "why", TBL_TEXT);
	if (!human)
		col(r, cs, "hid", TBL_TEXT);
	snprintf(title, len, r->o.en ? "Referrals past due, as of %s" :
	    "逾期未联系的转介（截至%s）", r->o.as_of);
	if ((it = items(r, &n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		head = head_of(it[i].rec);
		row = JV_ARRAY(jv_number(i + 1), str_cell(it[i].ref),
		    str_cell(it[i].town), str_cell(it[i].village),
		    person_field(r, head, "name"),
		    level_cell(r, human, it[i].level), str_cell(it[i].due),
		    jv_number(it[i].late),
		    codes_cell(r, human, it[i].rec, "to", programmes));
		if (r->o.unmask)
			row = jv_array_append(row, phone_of(r, it[i].rec, head));
		row = jv_array_append(row, reasons(r, it[i].rec));
		if (!human)
			row = jv_array_append(row, str_cell(it[i].hid));
		t->rows = jv_array_append(t->rows, row);
		jv_free(head);
	}
	free(it);
	return n;
}

/* Summary rows in the order people look for them: level from red down,
 * the other keys alphabetically, "none" and unknown last. */
static const struct report *sort_r;

static int by_keys(const void *pa, const void *pb)
{
	jv a = jv_array_get(jv_copy(*(const jv *)pa), 0);
	jv b = jv_array_get(jv_copy(*(const jv *)pb), 0);
	jv x, y;
	size_t k;
	int c = 0;
	const char *s, *t;

	for (k = 0; k < sort_r->o.nby && c == 0; k++) {
		x = jv_array_get(jv_copy(a), k);
		y = jv_array_get(jv_copy(b), k);
		s = jv_string_value(x), t = jv_string_value(y);
		if (sort_r->o.by[k] == RP_LEVEL)
			c = level_rank(t) - level_rank(s);
		else if ((!*s || !strcmp(s, "none")) != (!*t || !strcmp(t, "none")))
			c = (!*s || !strcmp(s, "none")) ? 1 : -1;
		else
			c = place_cmp(s, t);
		jv_free(x);
		jv_free(y);
	}
	jv_free(a);
	jv_free(b);
	return c;
}

static void summary_title(const struct report *r, char *buf, size_t len)
{
	size_t k, n;

	n = snprintf(buf, len, "%s", r->o.en ? "Households by " :
	    "风险户汇总：按");
	for (k = 0; k < r->o.nby && n < len; k++)
		n += snprintf(buf + n, len - n, "%s%s", k ? (r->o.en ? ", " :
		    "、") : "", col_label(r, by_name[r->o.by[k]]));
	if (n < len)
		snprintf(buf + n, len - n, r->o.en ? ", as of %s" :
		    "（截至%s）", r->o.as_of);
}

static jv summary_row(const struct report *r, int human, jv entry)
{
	jv codes = jv_array_get(jv_copy(entry), 0), row = jv_array(), c;
	char buf[256];
	size_t k;
	int i;

	for (k = 0; k < r->o.nby; k++) {
		c = jv_array_get(jv_copy(codes), k);
		row = jv_array_append(row, jv_string(human ? key_label(r,
		    r->o.by[k], jv_string_value(c), buf, sizeof buf) :
		    jv_string_value(c)));
		jv_free(c);
	}
	for (i = 1; i <= 3; i++)
		row = jv_array_append(row, jv_array_get(jv_copy(entry), i));
	jv_free(codes);
	jv_free(entry);
	return row;
}

static long summary(struct report *r, int human, struct cols *cs,
    struct tbl *t, char *title, size_t len)
{
	jv *e, total;
	size_t k;
	int i, n = 0, it;

	for (k = 0; k < r->o.nby; k++)
		col(r, cs, by_name[r->o.by[k]], TBL_TEXT);
	col(r, cs, "households", TBL_INT);
	col(r, cs, "persons", TBL_INT);
	col(r, cs, "med_oop", TBL_MONEY);
	summary_title(r, title, len);
	if ((e = malloc((jv_object_length(jv_copy(r->groups)) + 1) *
	    sizeof *e)) == NULL)
		return -1;
	jv_object_foreach(r->groups, key, entry) {
		jv_free(key);
		e[n++] = entry;
	}
	sort_r = r;
	qsort(e, n, sizeof *e, by_keys);
	for (i = 0; i < n; i++)
		t->rows = jv_array_append(t->rows, summary_row(r, human, e[i]));
	free(e);
	if (human && n > 0) {
		/* households counted once, whatever the keys */
		total = JV_ARRAY(jv_string(r->o.en ? "total" : "合计"));
		for (it = 1; it < (int)r->o.nby; it++)
			total = jv_array_append(total, jv_null());
		total = jv_array_concat(total, JV_ARRAY(jv_number(r->households),
		    jv_number(r->persons), jv_number(r->fen)));
		t->rows = jv_array_append(t->rows, total);
		t->has_total = 1;
	}
	return n;
}

/* ---- pipeline ---- */

static const char *const status_code[] = { "pushed", "contacted",
    "applying", "aided", "declined", "closed" };
#define NSTATUS 6

struct town_stat {
	char town[128];
	long long n, st[NSTATUS], late;
	jv contact, aid;	/* days, one number per referral */
};

static int by_number(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of an array of numbers (consumed), or null. */
static jv median(jv days)
{
	int i, n = jv_array_length(jv_copy(days));
	double *d = malloc((n + 1) * sizeof *d), m;

	if (d == NULL || n == 0) {
		free(d);
		jv_free(days);
		return jv_null();
	}
	for (i = 0; i < n; i++)
		d[i] = jv_number_value(jv_array_get(jv_copy(days), i));
	qsort(d, n, sizeof *d, by_number);
	m = n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
	free(d);
	jv_free(days);
	return jv_number(round(m * 10) / 10);
}

/* Days from the push to the day in rec[key], appended to days. */
static jv add_days(jv days, jv rec, const char *key)
{
	char from[16], to[16];
	long a = date_days(str(rec, "pushed", from, sizeof from));
	long b = date_days(str(rec, key, to, sizeof to));

	if (a < 0 || b < 0 || from[0] == '\0' || to[0] == '\0')
		return days;
	return jv_array_append(days, jv_number(b - a));
}

static void tally(const struct report *r, struct town_stat *s, jv rec)
{
	struct item it;
	char status[32];
	int k;

	item_init(r, &it, rec);
	s->n++;
	str(rec, "status", status, sizeof status);
	for (k = 0; k < NSTATUS; k++)
		if (strcmp(status, status_code[k]) == 0)
			s->st[k]++;
	s->late += is_overdue(r, &it);
	s->contact = add_days(s->contact, rec, "contacted_on");
	s->aid = add_days(s->aid, rec, "aided_on");
}

static jv pipeline_row(const struct report *r, struct town_stat *s,
    const char *town)
{
	jv row = JV_ARRAY(jv_string(town), jv_number(s->n));
	int k;

	for (k = 0; k < NSTATUS; k++)
		row = jv_array_append(row, jv_number(s->st[k]));
	row = jv_array_append(row, jv_number(s->late));
	row = jv_array_append(row, median(s->contact));
	return jv_array_append(row, median(s->aid));
}

static struct town_stat *town_stats(struct report *r, size_t *nt)
{
	int i, n = jv_array_length(jv_copy(r->cases));
	struct town_stat *ts = calloc(n + 2, sizeof *ts);
	char town[128];
	size_t k;
	jv rec;

	*nt = 0;
	if (ts == NULL)
		return NULL;
	ts[n + 1].contact = jv_array(), ts[n + 1].aid = jv_array();
	for (i = 0; i < n; i++) {
		rec = jv_array_get(jv_copy(r->cases), i);
		str(rec, "town", town, sizeof town);
		for (k = 0; k < *nt && strcmp(ts[k].town, town); k++)
			;
		if (k == *nt) {
			snprintf(ts[k].town, sizeof ts[k].town, "%s", town);
			ts[k].contact = jv_array(), ts[k].aid = jv_array();
			(*nt)++;
		}
		tally(r, &ts[k], rec);
		tally(r, &ts[n + 1], rec);	/* the county */
		jv_free(rec);
	}
	return ts;
}

static int by_town(const void *a, const void *b)
{
	return place_cmp(((const struct town_stat *)a)->town,
	    ((const struct town_stat *)b)->town);
}

static long pipeline(struct report *r, int human, struct cols *cs,
    struct tbl *t, char *title, size_t len)
{
	int n = jv_array_length(jv_copy(r->cases)), k;
	struct town_stat *ts;
	size_t nt, i;

	col(r, cs, "town", TBL_TEXT);
	col(r, cs, "referrals", TBL_INT);
	for (k = 0; k < NSTATUS; k++)
		cs->c[cs->n++] = (struct tbl_col){ status_code[k],
		    label(statuses, status_code[k], r->o.en), TBL_INT };
	col(r, cs, "overdue", TBL_INT);
	col(r, cs, "median_days_contact", TBL_DAYS);
	col(r, cs, "median_days_aid", TBL_DAYS);
	snprintf(title, len, r->o.en ? "Referrals by town and status, as of "
	    "%s" : "转介办理进度（截至%s）", r->o.as_of);
	ts = town_stats(r, &nt);
	if (ts == NULL)
		return -1;
	qsort(ts, nt, sizeof *ts, by_town);
	for (i = 0; i < nt; i++)
		t->rows = jv_array_append(t->rows, pipeline_row(r, &ts[i],
		    human ? key_label(r, RP_TOWN, ts[i].town, NULL, 0) :
		    ts[i].town));
	if (human && nt > 0) {
		t->rows = jv_array_append(t->rows, pipeline_row(r, &ts[n + 1],
		    r->o.en ? "total" : "合计"));
		t->has_total = 1;
	} else {
		jv_free(ts[n + 1].contact);
		jv_free(ts[n + 1].aid);
	}
	free(ts);
	return nt;
}

/* ---- HTML ---- */

static const char css[] =
    "@page { size: A4; margin: 14mm 12mm; }\n"
    "body { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", "
    "\"WenQuanYi Micro Hei\", \"Microsoft YaHei\", SimSun, sans-serif;\n"
    "  font-size: 10pt; color: #222; margin: 0 auto; max-width: 186mm; }\n"
    "h1 { font-size: 16pt; margin: 0 0 2mm; }\n"
    "h2 { font-size: 12.5pt; margin: 6mm 0 2mm; }\n"
    "h3 { font-size: 11pt; margin: 4mm 0 1mm; page-break-after: avoid; }\n"
    "p.meta { color: #555; margin: 0 0 4mm; font-size: 9pt; }\n"
    "table { border-collapse: collapse; width: 100%; font-size: 9pt; }\n"
    "th, td { border: 0.6pt solid #999; padding: 1mm 1.5mm; "
    "vertical-align: top; text-align: left; white-space: nowrap; }\n"
    "td:last-child { white-space: normal; }\n"
    "th { background: #eee; white-space: normal; }\n"
    ".n { text-align: right; white-space: nowrap; }\n"
    "thead { display: table-header-group; }\n"
    "tr { page-break-inside: avoid; }\n"
    "tr.total td { font-weight: bold; background: #f6f6f6; }\n"
    "figure.chart { margin: 3mm 0; page-break-inside: avoid; }\n"
    "figure.chart figcaption { font-weight: bold; margin-bottom: 1mm; }\n"
    "figure.chart text { font-size: 12px; fill: #222; }\n"
    "footer { margin-top: 6mm; font-size: 8.5pt; color: #555; }\n";

static const char *const level_color[] = { "#bdc3c7", "#f1c40f", "#e67e22",
    "#c0392b" };

static int pair_by_place(const void *a, const void *b)
{
	jv x = jv_array_get(jv_copy(*(const jv *)a), 0);
	jv y = jv_array_get(jv_copy(*(const jv *)b), 0);
	int c = place_cmp(jv_string_value(x), jv_string_value(y));

	jv_free(x);
	jv_free(y);
	return c;
}

static int pair_by_count(const void *a, const void *b)
{
	jv x = jv_array_get(jv_copy(*(const jv *)a), 1);
	jv y = jv_array_get(jv_copy(*(const jv *)b), 1);
	double d = jv_number_value(jv_array_get(jv_copy(y), 0)) -
	    jv_number_value(jv_array_get(jv_copy(x), 0));

	jv_free(x);
	jv_free(y);
	return d > 0 ? 1 : d < 0 ? -1 : pair_by_place(a, b);
}

/* The [key, value] pairs of obj (borrowed), sorted; *n gets how many.
 * The caller frees each and the array. */
static jv *pairs(jv obj, int (*cmp)(const void *, const void *), size_t *n)
{
	jv *p = malloc((jv_object_length(jv_copy(obj)) + 1) * sizeof *p);

	*n = 0;
	if (p == NULL)
		return NULL;
	jv_object_foreach(obj, key, value)
		p[(*n)++] = JV_ARRAY(key, value);
	qsort(p, *n, sizeof *p, cmp);
	return p;
}

/* The households of each town, red to none stacked. */
static int chart_towns(const struct report *r, FILE *fp)
{
	struct chart c = { r->o.en ? "Households by town and risk level" :
	    "各乡镇（街道）风险户数", NULL, 0, { 0 }, { 0 }, { 0 }, 4 };
	size_t n, i, s;
	jv *p = pairs(r->by_town, pair_by_place, &n), k;
	const char **labels = calloc(n + 1, sizeof *labels);
	long long *v = calloc(4 * (n + 1), sizeof *v);
	int rc = -1;

	if (p && labels && v) {
		for (i = 0; i < n; i++) {
			k = jv_array_get(jv_copy(p[i]), 0);
			labels[i] = key_label(r, RP_TOWN, jv_string_value(k),
			    NULL, 0);
			jv_free(k);	/* p[i] keeps it */
			for (s = 0; s < 4; s++)
				v[s * n + i] = jv_number_value(jv_array_get(
				    jv_array_get(jv_copy(p[i]), 1), s));
		}
		c.labels = labels, c.n = n;
		for (s = 0; s < 4; s++) {
			c.values[s] = v + s * n;
			c.series[s] = label(levels, level_code[3 - s], r->o.en);
			c.colors[s] = level_color[3 - s];
		}
		rc = chart_bars(fp, &c);
	}
	for (i = 0; p && i < n; i++)
		jv_free(p[i]);
	free(p);
	free(labels);
	free(v);
	return rc;
}

/* Households of each risk group, the commonest first. */
static int chart_groups(const struct report *r, FILE *fp)
{
	struct chart c = { r->o.en ? "Households by risk group" :
	    "各风险类别户数", NULL, 0, { 0 }, { 0 }, { "#2c6fbb" }, 1 };
	size_t n, i;
	jv *p = pairs(r->by_group, pair_by_count, &n), k;
	const char **labels = calloc(n + 1, sizeof *labels);
	long long *v = calloc(n + 1, sizeof *v);
	int rc = -1;

	if (p && labels && v) {
		for (i = 0; i < n; i++) {
			k = jv_array_get(jv_copy(p[i]), 0);
			labels[i] = label(groups, jv_string_value(k), r->o.en);
			jv_free(k);
			v[i] = jv_number_value(jv_array_get(jv_array_get(
			    jv_copy(p[i]), 1), 0));
		}
		c.labels = labels, c.n = n, c.values[0] = v;
		rc = chart_bars(fp, &c);
	}
	for (i = 0; p && i < n; i++)
		jv_free(p[i]);
	free(p);
	free(labels);
	free(v);
	return rc;
}

/* Referrals of each town: overdue, and the rest. */
static int chart_pipeline(const struct report *r, const struct tbl *t,
    FILE *fp)
{
	struct chart c = { r->o.en ? "Referrals by town" : "各乡镇（街道）转介数",
	    NULL, 0, { 0 }, { r->o.en ? "overdue" : "逾期未联系",
	    r->o.en ? "others" : "其他" }, { "#c0392b", "#2c6fbb" }, 2 };
	int n = jv_array_length(jv_copy(t->rows)) - t->has_total, i, rc = -1;
	const char **labels = calloc(n + 1, sizeof *labels);
	long long *v = calloc(2 * (n + 1), sizeof *v);
	jv row, cell;

	if (labels && v) {
		for (i = 0; i < n; i++) {
			row = jv_array_get(jv_copy(t->rows), i);
			cell = jv_array_get(jv_copy(row), 0);
			labels[i] = jv_string_value(cell);
			jv_free(cell);	/* t->rows keeps it */
			v[i] = jv_number_value(jv_array_get(jv_copy(row),
			    2 + NSTATUS));
			v[n + i] = jv_number_value(jv_array_get(row, 1)) - v[i];
		}
		c.labels = labels, c.n = n;
		c.values[0] = v, c.values[1] = v + n;
		rc = chart_bars(fp, &c);
	}
	free(labels);
	free(v);
	return rc;
}

static void page_head(const struct report *r, FILE *fp, const char *title)
{
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n<title>", r->o.en ? "en" : "zh-CN");
	tbl_html_escape(fp, title);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
	    css);
	tbl_html_escape(fp, title);
	fputs("</h1>\n", fp);
}

static void page_foot(const struct report *r, FILE *fp)
{
	fputs("<footer>", fp);
	if (r->o.unmask)
		tbl_html_escape(fp, r->o.en ? "Contains personal details in "
		    "full; the export is recorded in the audit log.  Do not "
		    "publish." : "本表含未脱敏的个人信息，导出已记入审计日志，"
		    "仅供工作使用，不得公开。");
	else
		tbl_html_escape(fp, r->o.en ? "ID numbers, names and phones "
		    "are masked; no address, health or disability details." :
		    "身份证号码、姓名、联系电话已脱敏；不含住址、健康和残疾信息。");
	fputs("</footer>\n</body>\n</html>\n", fp);
}

static int write_html(struct report *r, struct tbl *t, FILE *fp)
{
	const char *title = t->title;

	page_head(r, fp, title);
	if (r->o.view == RP_SUMMARY && r->households > 0) {
		chart_towns(r, fp);
		chart_groups(r, fp);
	}
	if (r->o.view == RP_PIPELINE && jv_array_length(jv_copy(t->rows)) > 0)
		chart_pipeline(r, t, fp);
	t->title = NULL;	/* said once, in the page's heading */
	tbl_write_html(fp, t);
	t->title = title;
	page_foot(r, fp);
	return ferror(fp) ? -1 : 0;
}

/* ---- out ---- */

long rp_write(struct report *r, enum rp_format f, FILE *fp)
{
	static long (*const view[])(struct report *, int, struct cols *,
	    struct tbl *, char *, size_t) = { summary, worklist, pipeline,
	    overdue };
	struct cols cs = { .n = 0 };
	struct tbl t = { NULL, cs.c, 0, jv_array(), -1, 0, NULL };
	char title[512];
	long n;
	int rc;

	n = view[r->o.view](r, f != RP_NDJSON, &cs, &t, title, sizeof title);
	t.ncols = cs.n;
	t.title = title;
	switch (f) {
	case RP_TABLE:
		rc = tbl_write_text(fp, &t);
		break;
	case RP_CSV:
		rc = tbl_write_csv(fp, &t);
		break;
	case RP_MD:
		rc = tbl_write_md(fp, &t);
		break;
	case RP_HTML:
		rc = write_html(r, &t, fp);
		break;
	default:
		rc = tbl_write_ndjson(fp, &t);
	}
	tbl_free(&t);
	jv_free(t.rows);
	if (n < 0)
		errno = ENOMEM;
	return n < 0 || rc < 0 ? -1 : n;
}

/* ref → [day of first contact, day of aid] from the cases' events. */
static jv event_days(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	jv days = jv_object();
	const char *c, *a;
	int rc;

	/* first contact: the first step out of 'pushed', whatever it was */
	if (sqlite3_prepare_v2(db, "SELECT ref, min(CASE WHEN status_from = "
	    "'pushed' THEN day END), min(CASE WHEN status_to = 'aided' THEN "
	    "day END) FROM referral_events WHERE kind = 'status' GROUP BY ref",
	    -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "reading the ledger: %s",
		    sqlite3_errmsg(db));
		jv_free(days);
		return jv_invalid();
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c = (const char *)sqlite3_column_text(st, 1);
		a = (const char *)sqlite3_column_text(st, 2);
		days = jv_object_set(days, jv_string((const char *)
		    sqlite3_column_text(st, 0)), JV_ARRAY(c ? jv_string(c) :
		    jv_null(), a ? jv_string(a) : jv_null()));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "reading the ledger: %s",
		    sqlite3_errmsg(db));
		jv_free(days);
		return jv_invalid();
	}
	return days;
}

struct take {
	struct report *r;
	jv days;
	int cases;
};

static int take(jv rec, void *arg)
{
	struct take *tk = arg;
	char ref[64], status[32];
	jv d = jv_object_get(jv_copy(tk->days), jv_string(str(rec, "ref", ref,
	    sizeof ref)));

	if (jv_get_kind(d) == JV_KIND_ARRAY) {
		rec = jv_object_set(rec, jv_string("contacted_on"),
		    jv_array_get(jv_copy(d), 0));
		rec = jv_object_set(rec, jv_string("aided_on"),
		    jv_array_get(jv_copy(d), 1));
	}
	jv_free(d);
	str(rec, "status", status, sizeof status);
	/* summary and worklist are about cases still open */
	if (!tk->cases)
		rp_ledger(tk->r, rec);
	else if ((tk->r->o.view == RP_SUMMARY && strcmp(status, "closed") == 0)
	    || (tk->r->o.view == RP_WORKLIST && strcmp(status, "pushed") &&
	    strcmp(status, "contacted") && strcmp(status, "applying")))
		jv_free(rec);	/* a worklist is of cases still to act on */
	else
		rp_add(tk->r, rec);
	return 0;
}

int rp_read_ledger(struct report *r, sqlite3 *db, int cases, char *err,
    size_t errlen)
{
	struct lg_ctx ctx = { r->o.as_of, 0, "report" };
	struct lg_filter f = { 0, 0, r->o.town };
	struct take tk = { r, jv_invalid(), cases };
	struct ledger *lg;
	int rc;

	if ((lg = ledger_open(db, err, errlen)) == NULL)
		return -1;
	tk.days = event_days(db, err, errlen);
	rc = jv_is_valid(tk.days) ? ledger_list(lg, &ctx, &f, take, &tk, err,
	    errlen) : -1;
	jv_free(tk.days);
	ledger_free(lg);
	return rc;
}

int rp_convert(const char *text, size_t n, const char *encoding, FILE *fp,
    char *err, size_t errlen)
{
	iconv_t cd = iconv_open(encoding, "UTF-8");
	char out[8192], *in = (char *)text, *o;
	size_t left = n, room;
	int rc = 0;

	if (cd == (iconv_t)-1) {
		snprintf(err, errlen, "cannot convert to %s: %s", encoding,
		    strerror(errno));
		return -1;
	}
	while (left > 0 && rc == 0) {
		o = out, room = sizeof out;
		if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 &&
		    errno != E2BIG) {
			snprintf(err, errlen, "cannot convert to %s at byte "
			    "%zu: %s", encoding, n - left, strerror(errno));
			rc = -1;
		}
		if (fwrite(out, 1, o - out, fp) != (size_t)(o - out)) {
			snprintf(err, errlen, "write error: %s", strerror(errno));
			rc = -1;
		}
	}
	iconv_close(cd);
	return rc;
}
