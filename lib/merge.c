/*
 * merge.c — rows into members, members into households (see merge.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "hanzi.h"
#include "merge.h"
#include "norm.h"
#include "text.h"

/* The date that orders a group's rows for "latest" merges. */
static const char *const group_date[][2] = {
	{ "med", "last" }, { "emp", "since" }, { "app", "last" },
	{ "hot", "last" }, { "vis", "last" }, { "dst", "date" },
	{ "prog", "since" }, { NULL, NULL }
};

/* Words in a diagnosis that make an illness 重特大疾病, and words in a
 * call or a visit note that make it urgent.  Kept short and plain so
 * that an officer can read why a flag was raised. */
static const char *const grave_words[] = {
	"癌", "恶性肿瘤", "白血病", "淋巴瘤", "尿毒症", "肾衰竭", "透析",
	"器官移植", "脑出血", "脑梗", "脑卒中", "心肌梗", "重性精神", "精神分裂",
	"艾滋病", "再生障碍性贫血", "血友病", "肝硬化", "瘫痪", "重症",
	"颅脑损伤", NULL
};
/* The sequel of a grave illness is a chronic one: 脑梗死后遗症 is not
 * grave the way 脑梗死 is. */
static const char *const sequela_words[] = { "后遗症", NULL };
static const char *const urgent_words[] = {
	"紧急", "急需", "病危", "断粮", "没饭吃", "无人照顾", "无人照料",
	"生活不能自理", "住不起", "看不起病", "没钱看病", "房子倒", "房屋倒塌",
	"走投无路", "自杀", "救命", NULL
};

void mg_init(struct mg_ctx *ctx, const char *as_of)
{
	if (as_of)
		snprintf(ctx->as_of, sizeof ctx->as_of, "%s", as_of);
	else
		date_today(ctx->as_of);
	date_from_days(date_days(ctx->as_of) - 365, ctx->window);
}

/* obj[key] without consuming obj; invalid when absent. */
static jv get(jv obj, const char *key)
{
	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return jv_invalid();
	return jv_object_get(jv_copy(obj), jv_string(key));
}

/* obj[key], or dflt (consumed either way) when absent. */
static jv get_or(jv obj, const char *key, jv dflt)
{
	jv v = get(obj, key);

	if (jv_is_valid(v)) {
		jv_free(dflt);
		return v;
	}
	return dflt;
}

static const char *str_of(jv v)
{
	return jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : "";
}

static long long fen(jv v)
{
	return jv_get_kind(v) == JV_KIND_NUMBER ?
	    llround(jv_number_value(v) * 100) : 0;
}

/* Money adds in 分, never in floating point. */
static jv money_sum(jv a, jv b)
{
	long long sum = fen(a) + fen(b);

	jv_free(a);
	jv_free(b);
	return jv_number(sum / 100.0);
}

static int has_word(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strstr(s, *words))
			return 1;
	return 0;
}

static jv set_union(jv a, jv b)
{
	int i, j, n, m, dup;

	if (jv_get_kind(a) != JV_KIND_ARRAY || jv_get_kind(b) != JV_KIND_ARRAY) {
		jv_free(a);
		return b;
	}
	m = jv_array_length(jv_copy(b));
	for (j = 0; j < m; j++) {
		jv x = jv_array_get(jv_copy(b), j);

		n = jv_array_length(jv_copy(a));
		for (dup = 0, i = 0; i < n && !dup; i++)
			dup = jv_equal(jv_array_get(jv_copy(a), i), jv_copy(x));
		a = dup ? (jv_free(x), a) : jv_array_append(a, x);
	}
	jv_free(b);
	return a;
}

/* Position of a code in its field's vocabulary: the worst is last. */
static int severity(const struct dict_field *df, jv v)
{
	const char *const *c;
	const char *s = str_of(v);
	size_t n = strlen(s);
	int i;

	for (i = 0, c = df->codes; c && *c; c++, i++)
		if (strncmp(*c, s, n) == 0 && (*c)[n] == '=')
			return i;
	return -1;
}

/* cur (absent when invalid) and a new val of field df; newer says val
 * comes from a row at least as recent as every row before it. */
static jv merge_value(const struct dict_field *df, jv cur, jv val, int newer)
{
	int keep_new;

	if (!jv_is_valid(cur)) {
		jv_free(cur);
		return val;
	}
	switch (df ? df->merge : MERGE_FIRST) {
	case MERGE_SUM:
		return money_sum(cur, val);
	case MERGE_UNION:
		return set_union(cur, val);
	case MERGE_LATEST:
		keep_new = newer;
		break;
	case MERGE_MAX:
		keep_new = jv_cmp(jv_copy(val), jv_copy(cur)) > 0;
		break;
	case MERGE_MIN:
		keep_new = jv_cmp(jv_copy(val), jv_copy(cur)) < 0;
		break;
	case MERGE_ANY:
		keep_new = jv_get_kind(val) == JV_KIND_TRUE;
		break;
	case MERGE_WORST:
		keep_new = severity(df, val) > severity(df, cur);
		break;
	default:
		keep_new = 0;
	}
	if (keep_new) {
		jv_free(cur);
		return val;
	}
	jv_free(val);
	return cur;
}

static const char *date_key(const char *group)
{
	int i;

	for (i = 0; group_date[i][0]; i++)
		if (strcmp(group_date[i][0], group) == 0)
			return group_date[i][1];
	return NULL;
}

/* Whether row's group g is at least as recent as what person has. */
static int is_newer(const char *g, jv pg, jv rg)
{
	const char *dk = date_key(g);
	jv a, b;
	int newer;

	if (dk == NULL)
		return 1;	/* undated: rows come in order, the later wins */
	a = get(pg, dk), b = get(rg, dk);
	newer = strcmp(str_of(b), str_of(a)) >= 0;
	jv_free(a);
	jv_free(b);
	return newer;
}

/* A settlement outside the 12 months before the reference date does
 * not count towards this year's burden. */
static int outside_window(const struct mg_ctx *ctx, const char *g, jv rg)
{
	jv last;
	int out;

	if (strcmp(g, "med") != 0)
		return 0;
	last = get(rg, "last");
	out = jv_get_kind(last) == JV_KIND_STRING &&
	    (strcmp(jv_string_value(last), ctx->window) < 0 ||
	    strcmp(jv_string_value(last), ctx->as_of) > 0);
	jv_free(last);
	return out;
}

/* The latest few texts, newest first. */
static jv add_text(jv cur, jv val, int newer)
{
	if (jv_get_kind(cur) != JV_KIND_ARRAY) {
		jv_free(cur);
		cur = jv_array();
	}
	if (jv_get_kind(val) != JV_KIND_ARRAY)	/* a member's list, or one text */
		val = JV_ARRAY(val);
	cur = newer ? jv_array_concat(val, cur) : jv_array_concat(cur, val);
	if (jv_array_length(jv_copy(cur)) > 3)
		cur = jv_array_slice(cur, 0, 3);
	return cur;
}

static jv merge_group(const struct mg_ctx *ctx, const char *g, jv pg, jv rg)
{
	char key[64];
	int newer, it;

	if (outside_window(ctx, g, rg)) {
		jv_free(rg);
		return pg;
	}
	if (!jv_is_valid(pg)) {
		jv_free(pg);
		pg = jv_object();
	}
	newer = is_newer(g, pg, rg);
	for (it = jv_object_iter(rg); jv_object_iter_valid(rg, it);
	    it = jv_object_iter_next(rg, it)) {
		jv k = jv_object_iter_key(rg, it);
		jv v = jv_object_iter_value(rg, it);
		const struct dict_field *df;
		const char *out = jv_string_value(k);

		snprintf(key, sizeof key, "%s.%s", g, out);
		df = dict_find(key);
		if (df && df->merge == MERGE_COUNT) {
			/* one settlement, one call: count rows, keep no number */
			jv n;

			out = strcmp(g, "med") == 0 ? "visits" : "count";
			jv_free(v);
			n = get(pg, out);
			if (!jv_is_valid(n))
				n = jv_number(0);
			pg = jv_object_set(pg, jv_string(out),
			    jv_number(jv_number_value(n) + 1));
			jv_free(n);
		} else if (strcmp(key, "hot.text") == 0)
			pg = jv_object_set(pg, jv_copy(k), add_text(get(pg, out), v,
			    newer));
		else
			pg = jv_object_set(pg, jv_copy(k),
			    merge_value(df, get(pg, out), v, newer));
		jv_free(k);
	}
	jv_free(rg);
	return pg;
}

/* obj[k] = group (both consumed), unless the group is still absent: a
 * person whose only bills fall outside the window has no "med" at all. */
static jv set_group(jv obj, jv k, jv group)
{
	if (!jv_is_valid(group)) {
		jv_free(k);
		jv_free(group);
		return obj;
	}
	return jv_object_set(obj, k, group);
}

static int is_group(const char *k)
{
	static const char *const groups[] = { "prog", "med", "emp", "dis",
	    "mon", "app", "hot", "vis", "dst", "death", "edu", NULL };
	int i;

	for (i = 0; groups[i]; i++)
		if (strcmp(groups[i], k) == 0)
			return 1;
	return 0;
}

static jv add_warn(jv person, const char *code, const char *field,
    const char *msg)
{
	jv w = get(person, "warn");

	if (jv_get_kind(w) != JV_KIND_ARRAY) {
		jv_free(w);
		w = jv_array();
	}
	w = jv_array_append(w, JV_OBJECT(jv_string("code"), jv_string(code),
	    jv_string("field"), jv_string(field), jv_string("msg"),
	    jv_string(msg)));
	return jv_object_set(person, jv_string("warn"), w);
}

/* Identity fields: the first valid value stays; a source that says
 * otherwise about sex or birth date is kept as a warning. */
static jv merge_identity(jv person, const char *k, jv v, jv row)
{
	jv cur = get(person, k);
	char msg[256];

	if (!jv_is_valid(cur)) {
		jv_free(cur);
		return jv_object_set(person, jv_string(k), v);
	}
	if ((strcmp(k, "sex") == 0 || strcmp(k, "birth") == 0) &&
	    !jv_equal(jv_copy(cur), jv_copy(v))) {
		jv src = get(row, "src_file"), line = get(row, "src_line");

		snprintf(msg, sizeof msg, "%s:%d says %s '%s', not '%s'",
		    str_of(src), jv_get_kind(line) == JV_KIND_NUMBER ?
		    (int)jv_number_value(line) : 0, k, str_of(v), str_of(cur));
		jv_free(src);
		jv_free(line);
		person = add_warn(person, "conflict", k, msg);
	}
	jv_free(cur);
	jv_free(v);
	return person;
}

/* Where the row came from: the sources of a person, and each row. */
static jv add_origin(jv person, jv row)
{
	jv src = get_or(row, "src", jv_null()), rows = get(person, "rows");

	person = jv_object_set(person, jv_string("src"),
	    set_union(get_or(person, "src", jv_array()), JV_ARRAY(jv_copy(src))));
	if (jv_get_kind(rows) != JV_KIND_ARRAY) {
		jv_free(rows);
		rows = jv_array();
	}
	rows = jv_array_append(rows, JV_ARRAY(src, get_or(row, "src_file",
	    jv_null()), get_or(row, "src_line", jv_null())));
	jv_free(row);
	return jv_object_set(person, jv_string("rows"), rows);
}

jv mg_add_row(const struct mg_ctx *ctx, jv person, jv row)
{
	int it;

	person = add_origin(person, jv_copy(row));
	for (it = jv_object_iter(row); jv_object_iter_valid(row, it);
	    it = jv_object_iter_next(row, it)) {
		jv k = jv_object_iter_key(row, it);
		jv v = jv_object_iter_value(row, it);
		const char *key = jv_string_value(k);

		if (strncmp(key, "src", 3) == 0 || strcmp(key, "warn") == 0 ||
		    strcmp(key, "hh") == 0 || strcmp(key, "head_name") == 0 ||
		    strcmp(key, "hh_size") == 0)
			jv_free(v);	/* the household's, or the origin */
		else if (is_group(key) && jv_get_kind(v) == JV_KIND_OBJECT)
			person = set_group(person, jv_copy(k), merge_group(ctx, key,
			    get(person, key), v));
		else if (strcmp(key, "extra") == 0)
			person = jv_object_set(person, jv_copy(k), jv_object_merge(
			    v, get_or(person, key, jv_object())));
		else
			person = merge_identity(person, key, v, row);
		jv_free(k);
	}
	jv_free(row);
	return person;
}

/* First characters that make "反映X的情况" about a group, a relation or
 * oneself, not a named person: 反映村里的情况, 反映他家的情况, 反映邻居的
 * 情况.  No common surname begins so. */
static const char not_name[] = "他她其这那该此本自家村组社邻户父母儿女孩老亲";

static int is_han(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

/* The name in "反映X的情况" in text: two to four Han characters, the
 * first no word for a group or a relation.  Returns its length in bytes
 * (copied to out), or 0. */
static size_t reported_name(const char *text, char *out, size_t outsz)
{
	static const char verb[] = "反映", tail[] = "的情况";
	const char *p = text, *q;
	size_t n, len;
	uint32_t cp;

	while ((p = strstr(p, verb)) != NULL) {
		p += sizeof verb - 1;
		len = txt_decode(p, strlen(p), &cp);
		if (!is_han(cp) || memmem(not_name, sizeof not_name - 1, p, len))
			continue;
		for (q = p, n = 0; n < 5 && strncmp(q, tail, sizeof tail - 1) != 0;
		    q += len, n++) {
			len = txt_decode(q, strlen(q), &cp);
			if (!is_han(cp))
				break;
		}
		if (n >= 2 && n <= 4 && strncmp(q, tail, sizeof tail - 1) == 0 &&
		    (size_t)(q - p) < outsz) {
			memcpy(out, p, q - p);
			out[q - p] = '\0';
			return q - p;
		}
	}
	return 0;
}

jv mg_subject(jv row, int *changed)
{
	jv hot = get(row, "hot"), text = get(hot, "text"), name = get(row, "name");
	jv caller = jv_object();
	static const char *const own[] = { "name", "phone", "id", "id_raw",
	    "sex", "birth", NULL };
	char who[64];
	int i;

	jv_free(hot);
	if (jv_get_kind(text) != JV_KIND_STRING ||
	    !reported_name(jv_string_value(text), who, sizeof who) ||
	    (jv_get_kind(name) == JV_KIND_STRING &&
	    hz_name_agree(who, jv_string_value(name)) != HZ_DIFFER)) {
		jv_free(text);
		jv_free(name);
		jv_free(caller);
		return row;
	}
	for (i = 0; own[i]; i++) {
		jv v = get(row, own[i]);

		if (jv_is_valid(v)) {
			caller = jv_object_set(caller, jv_string(own[i]), v);
			row = jv_object_delete(row, jv_string(own[i]));
		} else
			jv_free(v);
	}
	jv_free(text);
	jv_free(name);
	row = jv_object_set(row, jv_string("caller"), caller);
	*changed = 1;
	return jv_object_set(row, jv_string("name"), jv_string(who));
}

static int age_at(const char *birth, const char *as_of)
{
	int age;

	if (strlen(birth) != 10)
		return -1;
	age = atoi(as_of) - atoi(birth);
	if (strcmp(as_of + 5, birth + 5) < 0)
		age--;
	return age;
}

/* Whether any string in v (a string or an array of them) has a word. */
static int mentions(jv v, const char *const *words)
{
	int i, n, found = 0;

	if (jv_get_kind(v) == JV_KIND_STRING)
		found = has_word(jv_string_value(v), words);
	else if (jv_get_kind(v) == JV_KIND_ARRAY)
		for (i = 0, n = jv_array_length(jv_copy(v)); i < n && !found; i++)
			found = mentions(jv_array_get(jv_copy(v), i), words);
	jv_free(v);
	return found;
}

static jv set_in(jv obj, const char *group, const char *key, jv v)
{
	jv g = get(obj, group);

	if (!jv_is_valid(g))
		g = jv_object();
	return jv_object_set(obj, jv_string(group),
	    jv_object_set(g, jv_string(key), v));
}

/* Whether a diagnosis (consumed: an array of them) names a grave
 * illness that is not a sequela. */
static int grave(jv diag)
{
	int i, n, found = 0;

	n = jv_get_kind(diag) == JV_KIND_ARRAY ? jv_array_length(jv_copy(diag)) : 0;
	for (i = 0; i < n && !found; i++) {
		jv d = jv_array_get(jv_copy(diag), i);

		found = mentions(jv_copy(d), grave_words) &&
		    !mentions(jv_copy(d), sequela_words);
		jv_free(d);
	}
	jv_free(diag);
	return found;
}

jv mg_finish_person(const struct mg_ctx *ctx, jv person)
{
	jv birth = get(person, "birth"), med = get(person, "med");
	jv hot = get(person, "hot"), vis = get(person, "vis");
	int age = age_at(str_of(birth), ctx->as_of);

	if (age >= 0)
		person = jv_object_set(person, jv_string("age"), jv_number(age));
	if (jv_is_valid(med))
		person = set_in(person, "med", "serious", jv_bool(
		    grave(get(med, "diag"))));
	if (jv_is_valid(hot))
		person = set_in(person, "hot", "urgent", jv_bool(
		    mentions(get(hot, "text"), urgent_words)));
	if (jv_is_valid(vis))
		person = set_in(person, "vis", "urgent", jv_bool(
		    mentions(get(vis, "text"), urgent_words)));
	jv_free(birth);
	jv_free(med);
	jv_free(hot);
	jv_free(vis);
	return person;
}

static int num_of(jv obj, const char *group, const char *key, double *out)
{
	jv g = get(obj, group), v = get(g, key);
	int ok = jv_get_kind(v) == JV_KIND_NUMBER;

	if (ok)
		*out = jv_number_value(v);
	jv_free(g);
	jv_free(v);
	return ok;
}

static int str_is(jv obj, const char *group, const char *key, const char *s)
{
	jv g = group ? get(obj, group) : jv_copy(obj), v = get(g, key);
	int eq = strcmp(str_of(v), s) == 0;

	jv_free(g);
	jv_free(v);
	return eq;
}

/* Whether array v holds the string s. */
static int has_code(jv v, const char *s)
{
	int i, n, found = 0;

	n = jv_get_kind(v) == JV_KIND_ARRAY ? jv_array_length(jv_copy(v)) : 0;
	for (i = 0; i < n && !found; i++) {
		jv x = jv_array_get(jv_copy(v), i);

		found = strcmp(str_of(x), s) == 0;
		jv_free(x);
	}
	jv_free(v);
	return found;
}

/* Grade 1–2 of any kind, or up to grade 3 of the mind: unable to work
 * by the 特困 definition. */
static int severely_disabled(jv m)
{
	jv dis = get(m, "dis");
	double grade;
	int severe = 0;

	if (num_of(m, "dis", "grade", &grade))
		severe = grade <= 2 || (grade <= 3 &&
		    (has_code(get(dis, "kind"), "intellectual") ||
		    has_code(get(dis, "kind"), "mental")));
	jv_free(dis);
	return severe;
}

struct counts {
	int size, age60, age80, under16, severe_dis, no_selfcare, serious_ill,
	    unable_work, unemployed, dead;
	long long oop, total, fee;	/* 分 */
};

static void count_member(struct counts *c, jv m)
{
	double age = -1, v;
	int severe = severely_disabled(m);
	jv death = get(m, "death");

	if (jv_is_valid(death)) {
		c->dead++;
		jv_free(death);
		return;
	}
	jv_free(death);
	{
		jv a = get(m, "age");

		if (jv_get_kind(a) == JV_KIND_NUMBER)
			age = jv_number_value(a);
		jv_free(a);
	}
	c->size++;
	c->age60 += age >= 60;
	c->age80 += age >= 80;
	c->under16 += age >= 0 && age < 16;
	c->severe_dis += severe;
	c->no_selfcare += str_is(m, "dis", "selfcare", "none");
	c->unable_work += age >= 60 || (age >= 0 && age < 16) || severe;
	c->unemployed += str_is(m, "emp", "status", "unemployed");
	{
		jv med = get(m, "med"), serious = get(med, "serious");

		c->serious_ill += jv_get_kind(serious) == JV_KIND_TRUE;
		jv_free(serious);
		jv_free(med);
	}
	if (num_of(m, "med", "oop", &v))
		c->oop += llround(v * 100);
	if (num_of(m, "med", "total", &v))
		c->total += llround(v * 100);
	if (num_of(m, "edu", "fee", &v))
		c->fee += llround(v * 100);
}

static jv counts_json(const struct counts *c)
{
	return JV_OBJECT(jv_string("age60"), jv_number(c->age60),
	    jv_string("age80"), jv_number(c->age80),
	    jv_string("under16"), jv_number(c->under16),
	    jv_string("severe_dis"), jv_number(c->severe_dis),
	    jv_string("no_selfcare"), jv_number(c->no_selfcare),
	    jv_string("serious_ill"), jv_number(c->serious_ill),
	    jv_string("unable_work"), jv_number(c->unable_work),
	    jv_string("unemployed"), jv_number(c->unemployed),
	    jv_string("dead"), jv_number(c->dead));
}

/* The best known monthly income per person: the roster's own figure,
 * then its yearly income, then an application's, then monitoring's. */
static jv income_pc_month(jv hh, int size)
{
	double v;

	if (num_of(hh, "prog", "hh_income_month_pc", &v))
		return jv_number(v);
	if (num_of(hh, "prog", "hh_income_year", &v) && size > 0)
		return jv_number(llround(v * 100 / 12 / size) / 100.0);
	if (num_of(hh, "app", "income_month_pc", &v))
		return jv_number(v);
	if (num_of(hh, "mon", "income_pc_year", &v))
		return jv_number(llround(v * 100 / 12) / 100.0);
	return jv_invalid();
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Place of the household: the first member who has one. */
static jv place(jv hh, jv members)
{
	int i, n = jv_array_length(jv_copy(members));
	jv town = jv_invalid(), village = jv_invalid();

	for (i = 0; i < n && !jv_is_valid(town); i++) {
		jv m = jv_array_get(jv_copy(members), i);

		jv_free(town);
		jv_free(village);
		town = get(m, "town");
		village = get(m, "village");
		jv_free(m);
	}
	hh = jv_object_set(hh, jv_string("urban"), jv_bool(
	    ends_with(str_of(town), "街道") || ends_with(str_of(village), "社区")));
	if (jv_is_valid(town))
		hh = jv_object_set(hh, jv_string("town"), town);
	if (jv_is_valid(village))
		hh = jv_object_set(hh, jv_string("village"), village);
	else
		jv_free(village);
	jv_free(members);
	return hh;
}

jv mg_household(const struct mg_ctx *ctx, const char *hid, jv members)
{
	static const char *const groups[] = { "prog", "mon", "app", "hot",
	    "vis", "dst", NULL };
	struct counts c = { 0 };
	jv hh = JV_OBJECT(jv_string("hid"), jv_string(hid)), inc, src = jv_array();
	int i, g, n = jv_array_length(jv_copy(members));

	hh = place(hh, jv_copy(members));
	for (i = 0; i < n; i++) {
		jv m = jv_array_get(jv_copy(members), i);

		count_member(&c, m);
		for (g = 0; groups[g]; g++) {
			jv mg = get(m, groups[g]);

			if (jv_get_kind(mg) == JV_KIND_OBJECT)
				hh = set_group(hh, jv_string(groups[g]), merge_group(
				    ctx, groups[g], get(hh, groups[g]), mg));
			else
				jv_free(mg);
		}
		src = set_union(src, get_or(m, "src", jv_array()));
		jv_free(m);
	}
	hh = jv_object_set(hh, jv_string("size"), jv_number(c.size));
	hh = jv_object_set(hh, jv_string("members"), members);
	inc = income_pc_month(hh, c.size);
	if (jv_is_valid(inc))
		hh = jv_object_set(hh, jv_string("income_pc_month"), inc);
	hh = jv_object_set(hh, jv_string("counts"), counts_json(&c));
	if (c.oop || c.total)
		hh = jv_object_set(hh, jv_string("med"), JV_OBJECT(
		    jv_string("oop"), jv_number(c.oop / 100.0),
		    jv_string("total"), jv_number(c.total / 100.0)));
	if (c.fee)
		hh = jv_object_set(hh, jv_string("edu"), JV_OBJECT(
		    jv_string("fee"), jv_number(c.fee / 100.0)));
	return jv_object_set(hh, jv_string("src"), src);
}
