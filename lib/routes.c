/*
 * routes.c — the routes file: parsing, routing, due dates (see routes.h
 * and reach-routes(5)).
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "routes.h"

/* share/reach/routes/\*.routes, compiled in by scripts/gen-embed */

#define RT_MAXPROG	64	/* a programme set is one uint64_t */
#define RT_MAXTOK	64

enum rt_op { OP_TRUE, OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE };

struct rt_cond {
	const char *path;	/* "med.oop": keys joined by dots */
	enum rt_op op;
	const char **globs;	/* OP_EQ, OP_NE: any of them */
	int nglobs;
	double num;		/* OP_GT … OP_LE */
};

enum rt_kind { LINE_ROUTE, LINE_WITH, LINE_DEFAULT, LINE_PREFER };

struct rt_line {
	enum rt_kind kind;
	struct rt_cond *cond;	/* all must hold */
	int ncond;
	uint64_t when;		/* LINE_WITH, LINE_PREFER: when any is there */
	uint64_t progs;
	int urgent, yishiyiyi;
};

struct rt_prog {
	const char *code, *dept, *label;
};

struct routes {
	char *text;		/* a copy, cut into the strings below */
	struct rt_prog prog[RT_MAXPROG];
	int nprog;
	struct rt_line *line;
	int nline;
	int urgent_hours, due_days, coord_depts, coord_urgent_depts;
	const char *office, *county_office, *coord;
};

static int bad(char *err, size_t errlen, const char *name, int lineno,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int bad(char *err, size_t errlen, const char *name, int lineno,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, errlen, "%s:%d: ", name, lineno);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Cut the next blank-separated word out of *p; NULL at the end. */
static char *word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

static int prog_index(const struct routes *r, const char *code)
{
	int i;

	for (i = 0; i < r->nprog; i++)
		if (strcmp(r->prog[i].code, code) == 0)
			return i;
	return -1;
}

static int valid_code(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_')
			return 0;
	return 1;
}

static int parse_int(const char *s, int min, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end || v < min || v > 100000)
		return -1;
	*out = v;
	return 0;
}

/* A list "a,b,c" of declared programmes as a set. */
static int prog_set(struct routes *r, char *list, uint64_t *set,
    const char *name, int lineno, char *err, size_t errlen)
{
	char *code;
	int i;

	while ((code = strsep(&list, ",")) != NULL) {
		if ((i = prog_index(r, code)) < 0)
			return bad(err, errlen, name, lineno, "unknown programme "
			    "'%s'", code);
		*set |= (uint64_t)1 << i;
	}
	return 0;
}

/* A condition: "path", "path=glob,…", "path!=glob,…", "path>N" … */
static int parse_cond(char *s, struct rt_cond *c, char **why)
{
	static const struct { const char *op; enum rt_op code; } ops[] = {
		{ "!=", OP_NE }, { ">=", OP_GE }, { "<=", OP_LE },
		{ "=", OP_EQ }, { ">", OP_GT }, { "<", OP_LT },
	};
	char *at = strpbrk(s, "!=<>"), *g, *end;
	size_t i;

	memset(c, 0, sizeof *c);
	c->path = s;
	c->op = OP_TRUE;
	if (at == NULL)
		goto path;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strncmp(at, ops[i].op, strlen(ops[i].op)) == 0)
			break;
	if (i == sizeof ops / sizeof ops[0]) {
		*why = "expected =, !=, <, <=, > or >=";
		return -1;
	}
	c->op = ops[i].code;
	*at = '\0';
	at += strlen(ops[i].op);
	if (c->op == OP_EQ || c->op == OP_NE) {
		/* every comma makes one more glob, so a count bounds them */
		c->globs = calloc(strlen(at) + 1, sizeof *c->globs);
		if (c->globs == NULL) {
			*why = "out of memory";
			return -1;
		}
		while ((g = strsep(&at, ",")) != NULL)
			if (*g)
				c->globs[c->nglobs++] = g;
		if (c->nglobs == 0) {
			*why = "no value after the operator";
			return -1;
		}
	} else {
		c->num = strtod(at, &end);
		if (*at == '\0' || *end) {
			*why = "expected a number after the operator";
			return -1;
		}
	}
path:
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    (s[i] != '.' || i == 0 || s[i + 1] == '\0' ||
		    s[i + 1] == '.')) {
			*why = "a field is letters, digits and _ joined by dots";
			return -1;
		}
	if (i == 0) {
		*why = "no field before the operator";
		return -1;
	}
	return 0;
}

/* The targets after "->": programmes and options. */
static int parse_targets(struct routes *r, struct rt_line *l, char **p,
    const char *name, int lineno, char *err, size_t errlen)
{
	char *w;
	int i;

	while ((w = word(p)) != NULL) {
		if (l->kind != LINE_WITH && strcmp(w, "urgent") == 0)
			l->urgent = 1;
		else if (l->kind != LINE_WITH && strcmp(w, "yishiyiyi") == 0)
			l->yishiyiyi = 1;
		else if ((i = prog_index(r, w)) >= 0)
			l->progs |= (uint64_t)1 << i;
		else
			return bad(err, errlen, name, lineno, "unknown programme "
			    "'%s': declare it first with a prog line", w);
	}
	if (l->progs == 0)
		return bad(err, errlen, name, lineno, "no programme after '->'");
	return 0;
}

/* "route COND… -> TARGET…", "with PROG,… COND… -> PROG…",
 * "default -> TARGET…" */
static int parse_line(struct routes *r, enum rt_kind kind, char *p,
    const char *name, int lineno, char *err, size_t errlen)
{
	struct rt_line *l;
	char *w, *why;

	if ((l = realloc(r->line, (r->nline + 1) * sizeof *l)) == NULL)
		return bad(err, errlen, name, lineno, "out of memory");
	r->line = l;
	l = &r->line[r->nline++];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	if (kind == LINE_WITH) {
		if ((w = word(&p)) == NULL)
			return bad(err, errlen, name, lineno, "expected "
			    "'with PROG,… CONDITION… -> PROG…'");
		if (prog_set(r, w, &l->when, name, lineno, err, errlen) < 0)
			return -1;
	}
	if ((l->cond = calloc(RT_MAXTOK, sizeof *l->cond)) == NULL)
		return bad(err, errlen, name, lineno, "out of memory");
	while ((w = word(&p)) != NULL && strcmp(w, "->") != 0) {
		if (kind == LINE_DEFAULT || l->ncond == RT_MAXTOK)
			return bad(err, errlen, name, lineno, "unexpected '%s'",
			    w);
		if (parse_cond(w, &l->cond[l->ncond++], &why) < 0)
			return bad(err, errlen, name, lineno, "condition '%s': "
			    "%s", w, why);
	}
	if (w == NULL)
		return bad(err, errlen, name, lineno, "no '->' before the "
		    "programmes");
	if (kind == LINE_ROUTE && l->ncond == 0)
		return bad(err, errlen, name, lineno, "a route needs a "
		    "condition (use 'default' for the rest)");
	return parse_targets(r, l, &p, name, lineno, err, errlen);
}

/* "prefer A,… over B,…": B is dropped when A is there (特困 and 低保
 * exclude each other; a visit is part of every programme). */
static int parse_prefer(struct routes *r, char *p, const char *name,
    int lineno, char *err, size_t errlen)
{
	struct rt_line *l;
	char *a = word(&p), *over = word(&p), *b = word(&p);

	if (a == NULL || over == NULL || strcmp(over, "over") != 0 ||
	    b == NULL || word(&p) != NULL)
		return bad(err, errlen, name, lineno, "expected 'prefer "
		    "PROG,… over PROG,…'");
	if ((l = realloc(r->line, (r->nline + 1) * sizeof *l)) == NULL)
		return bad(err, errlen, name, lineno, "out of memory");
	r->line = l;
	l = &r->line[r->nline++];
	memset(l, 0, sizeof *l);
	l->kind = LINE_PREFER;
	if (prog_set(r, a, &l->when, name, lineno, err, errlen) < 0 ||
	    prog_set(r, b, &l->progs, name, lineno, err, errlen) < 0)
		return -1;
	return 0;
}

static int parse_set(struct routes *r, char *p, const char *name,
    int lineno, char *err, size_t errlen)
{
	char *key = word(&p), *val = word(&p);
	int *num = NULL, min = 0;

	if (key == NULL || val == NULL || word(&p) != NULL)
		return bad(err, errlen, name, lineno, "expected 'set NAME "
		    "VALUE'");
	if (strcmp(key, "urgent_hours") == 0)
		num = &r->urgent_hours, min = 1;
	else if (strcmp(key, "due_days") == 0)
		num = &r->due_days;
	else if (strcmp(key, "coord_depts") == 0)
		num = &r->coord_depts, min = 1;
	else if (strcmp(key, "coord_urgent_depts") == 0)
		num = &r->coord_urgent_depts, min = 1;
	else if (strcmp(key, "office") == 0)
		r->office = val;
	else if (strcmp(key, "county_office") == 0)
		r->county_office = val;
	else if (strcmp(key, "coord") == 0)
		r->coord = val;
	else
		return bad(err, errlen, name, lineno, "unknown setting '%s'",
		    key);
	if (num && parse_int(val, min, num) < 0)
		return bad(err, errlen, name, lineno, "%s: expected a whole "
		    "number of at least %d, not '%s'", key, min, val);
	return 0;
}

static int parse_prog(struct routes *r, char *p, const char *name,
    int lineno, char *err, size_t errlen)
{
	struct rt_prog *pg;
	char *code = word(&p), *dept = word(&p), *end;

	if (code == NULL || dept == NULL)
		return bad(err, errlen, name, lineno, "expected 'prog CODE "
		    "DEPARTMENT LABEL'");
	if (!valid_code(code))
		return bad(err, errlen, name, lineno, "programme code '%s': "
		    "use a-z, 0-9 and _", code);
	if (prog_index(r, code) >= 0)
		return bad(err, errlen, name, lineno, "programme '%s' declared "
		    "twice", code);
	if (r->nprog == RT_MAXPROG)
		return bad(err, errlen, name, lineno, "more than %d "
		    "programmes", RT_MAXPROG);
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	pg = &r->prog[r->nprog++];
	pg->code = code, pg->dept = dept, pg->label = p;
	return 0;
}

static int parse_text(struct routes *r, const char *name, char *err,
    size_t errlen)
{
	char *rest = r->text, *line, *p, *kw, *cr;
	int lineno = 0, rc, ndefault = 0;

	while ((line = strsep(&rest, "\n")) != NULL) {
		lineno++;
		if ((cr = strchr(line, '\r')) != NULL)
			*cr = '\0';
		p = line;
		if ((kw = word(&p)) == NULL || kw[0] == '#')
			continue;
		if (strcmp(kw, "set") == 0)
			rc = parse_set(r, p, name, lineno, err, errlen);
		else if (strcmp(kw, "prog") == 0)
			rc = parse_prog(r, p, name, lineno, err, errlen);
		else if (strcmp(kw, "route") == 0)
			rc = parse_line(r, LINE_ROUTE, p, name, lineno, err,
			    errlen);
		else if (strcmp(kw, "prefer") == 0)
			rc = parse_prefer(r, p, name, lineno, err, errlen);
		else if (strcmp(kw, "with") == 0)
			rc = parse_line(r, LINE_WITH, p, name, lineno, err,
			    errlen);
		else if (strcmp(kw, "default") == 0) {
			ndefault++;
			rc = parse_line(r, LINE_DEFAULT, p, name, lineno, err,
			    errlen);
		} else
			rc = bad(err, errlen, name, lineno, "unknown line '%s': "
			    "expected set, prog, route, with, prefer or default", kw);
		if (rc < 0)
			return -1;
		if (ndefault > 1)
			return bad(err, errlen, name, lineno, "a second "
			    "default line");
	}
	if (ndefault == 0) {
		snprintf(err, errlen, "%s: no default line: flags that no "
		    "route matches would go nowhere", name);
		return -1;
	}
	if (r->coord && prog_index(r, r->coord) < 0) {
		snprintf(err, errlen, "%s: set coord: unknown programme '%s'",
		    name, r->coord);
		return -1;
	}
	return 0;
}

struct routes *routes_parse(const char *text, size_t len, const char *name,
    char *err, size_t errlen)
{
	struct routes *r = calloc(1, sizeof *r);

	if (r == NULL || (r->text = malloc(len + 1)) == NULL) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memcpy(r->text, text, len);
	r->text[len] = '\0';
	r->urgent_hours = 24;
	r->due_days = 10;
	r->coord_depts = 3;
	r->coord_urgent_depts = 2;
	r->office = "{town}民政办";
	r->county_office = "县民政局";
	if (parse_text(r, name, err, errlen) < 0) {
		routes_free(r);
		return NULL;
	}
	return r;
}

struct routes *routes_builtin(char *err, size_t errlen)
{
	const char *text = embedded_find(builtin_routes, "default");

	if (text == NULL) {
		snprintf(err, errlen, "no built-in routes: the build is "
		    "broken");
		return NULL;
	}
	return routes_parse(text, strlen(text), "default.routes", err,
	    errlen);
}

void routes_free(struct routes *r)
{
	int i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->nline; i++) {
		for (j = 0; j < r->line[i].ncond; j++)
			free(r->line[i].cond[j].globs);
		free(r->line[i].cond);
	}
	free(r->line);
	free(r->text);
	free(r);
}

/* The value at path in v (borrowed), or jv_invalid(). */
static jv lookup(jv v, const char *path)
{
	jv cur = jv_copy(v);
	const char *dot;
	size_t n;

	for (;;) {
		if (jv_get_kind(cur) != JV_KIND_OBJECT) {
			jv_free(cur);
			return jv_invalid();
		}
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		cur = jv_object_get(cur, jv_string_sized(path, n));
		if (!jv_is_valid(cur) || dot == NULL)
			return cur;
		path = dot + 1;
	}
}

/* Whether v (borrowed; arrays: any element) matches one of the globs. */
static int glob_match(jv v, const struct rt_cond *c)
{
	char num[32];
	const char *s;
	int i, n;

	switch (jv_get_kind(v)) {
	case JV_KIND_ARRAY:
		n = jv_array_length(jv_copy(v));
		for (i = 0; i < n; i++) {
			jv e = jv_array_get(jv_copy(v), i);
			int m = glob_match(e, c);

			jv_free(e);
			if (m)
				return 1;
		}
		return 0;
	case JV_KIND_STRING:
		s = jv_string_value(v);
		break;
	case JV_KIND_NUMBER:
		snprintf(num, sizeof num, "%.17g", jv_number_value(v));
		s = num;
		break;
	case JV_KIND_TRUE:
		s = "true";
		break;
	case JV_KIND_FALSE:
		s = "false";
		break;
	default:
		return 0;
	}
	for (i = 0; i < c->nglobs; i++)
		if (fnmatch(c->globs[i], s, 0) == 0)
			return 1;
	return 0;
}

static int truthy(jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_INVALID:
	case JV_KIND_NULL:
	case JV_KIND_FALSE:
		return 0;
	case JV_KIND_NUMBER:
		return jv_number_value(v) != 0;
	case JV_KIND_STRING:
		return jv_string_length_bytes(jv_copy(v)) > 0;
	case JV_KIND_ARRAY:
		return jv_array_length(jv_copy(v)) > 0;
	case JV_KIND_OBJECT:
		return jv_object_length(jv_copy(v)) > 0;
	default:
		return 1;
	}
}

static int cond_holds(const struct rt_cond *c, jv obj)
{
	jv v = lookup(obj, c->path);
	double x;
	int r = 0;

	if (c->op == OP_TRUE)
		r = truthy(v);
	else if (c->op == OP_EQ)
		r = glob_match(v, c);
	else if (c->op == OP_NE)
		r = !glob_match(v, c);
	else if (jv_get_kind(v) == JV_KIND_NUMBER) {
		x = jv_number_value(v);
		r = c->op == OP_GT ? x > c->num : c->op == OP_GE ? x >= c->num :
		    c->op == OP_LT ? x < c->num : x <= c->num;
	}
	jv_free(v);
	return r;
}

static int line_holds(const struct rt_line *l, jv obj)
{
	int i;

	for (i = 0; i < l->ncond; i++)
		if (!cond_holds(&l->cond[i], obj))
			return 0;
	return 1;
}

static void take(struct rt_result *res, const struct rt_line *l)
{
	res->progs |= l->progs;
	res->urgent |= l->urgent;
	res->yishiyiyi |= l->yishiyiyi;
}

/* One flag (borrowed): the first route line that holds, else default. */
static void route_flag(const struct routes *r, jv flag, struct rt_result *res)
{
	const struct rt_line *dflt = NULL;
	int i;

	for (i = 0; i < r->nline; i++) {
		if (r->line[i].kind == LINE_DEFAULT)
			dflt = &r->line[i];
		else if (r->line[i].kind == LINE_ROUTE &&
		    line_holds(&r->line[i], flag)) {
			take(res, &r->line[i]);
			return;
		}
	}
	take(res, dflt);
}

/* 县级困难群众基本生活保障工作协调机制: cases that need several
 * departments, or an emergency that needs more than one. */
static void coordinate(const struct routes *r, struct rt_result *res)
{
	const char *dept[RT_MAXPROG];
	int i, j, n = 0, c;

	if (r->coord == NULL)
		return;
	c = prog_index(r, r->coord);
	for (i = 0; i < r->nprog; i++) {
		if (i == c || !(res->progs >> i & 1))
			continue;
		for (j = 0; j < n && strcmp(dept[j], r->prog[i].dept); j++)
			;
		if (j == n)
			dept[n++] = r->prog[i].dept;
	}
	if (n >= r->coord_depts || (res->urgent && n >= r->coord_urgent_depts))
		res->progs |= (uint64_t)1 << c;
}

int routes_apply(const struct routes *r, jv hh, jv flags,
    struct rt_result *res)
{
	int i, n = 0;

	memset(res, 0, sizeof *res);
	if (jv_get_kind(flags) == JV_KIND_ARRAY)
		n = jv_array_length(jv_copy(flags));
	for (i = 0; i < n; i++) {
		jv f = jv_array_get(jv_copy(flags), i);

		route_flag(r, f, res);
		jv_free(f);
	}
	if (n == 0)
		return 0;
	/* "with" lines in file order, so that one may build on another */
	for (i = 0; i < r->nline; i++)
		if (r->line[i].kind == LINE_WITH &&
		    (res->progs & r->line[i].when) && line_holds(&r->line[i], hh))
			take(res, &r->line[i]);
	for (i = 0; i < r->nline; i++)
		if (r->line[i].kind == LINE_PREFER &&
		    (res->progs & r->line[i].when))
			res->progs &= ~r->line[i].progs;
	coordinate(r, res);
	return n;
}

jv routes_to(const struct routes *r, const struct rt_result *res)
{
	jv a = jv_array();
	int i;

	for (i = 0; i < r->nprog; i++)
		if (res->progs >> i & 1)
			a = jv_array_append(a, jv_string(r->prog[i].code));
	return a;
}

jv routes_modes(const struct rt_result *res)
{
	jv a = jv_array();

	if (res->urgent)
		a = jv_array_append(a, jv_string("xianxing"));
	if (res->yishiyiyi)
		a = jv_array_append(a, jv_string("yishiyiyi"));
	return a;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (long)era * 146097 + doe - 719468;
}

long rt_day(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1;
	y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return -1;
	return days_from_civil(y, m, d);
}

void rt_date(long z, char out[11])
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	/* the modulos tell the compiler the text fits */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y + (m <= 2)) % 10000,
	    (unsigned)m % 100, (unsigned)d % 100);
}

int routes_due(const struct routes *r, const char *as_of, int urgent,
    char out[11])
{
	long day = rt_day(as_of), wd;
	int n;

	if (day < 0)
		return -1;
	if (urgent)
		/* emergencies do not wait for Monday: calendar time */
		day += (r->urgent_hours + 23) / 24;
	else
		for (n = r->due_days; n > 0; ) {
			day++;
			wd = ((day % 7) + 7 + 4) % 7;	/* 0 Sunday */
			if (wd != 0 && wd != 6)
				n--;
		}
	rt_date(day, out);
	return 0;
}

void routes_office(const struct routes *r, const char *town, char *out,
    size_t len)
{
	const char *at = strstr(r->office, "{town}");

	if (town == NULL || *town == '\0')
		snprintf(out, len, "%s", r->county_office);
	else if (at == NULL)
		snprintf(out, len, "%s%s", town, r->office);
	else
		snprintf(out, len, "%.*s%s%s", (int)(at - r->office),
		    r->office, town, at + 6);
}
