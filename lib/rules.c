/*
 * rules.c — flag rules: parse a rules file, compile it with libjq, and
 * apply it to households (see rules.h and reach-rules(5)).
 *
 * Where the time goes.  libjq 1.6 parses about 85 MB/s and prints no
 * faster, and each jq_start costs about half a microsecond, so a
 * household is handled in three stages:
 *
 *  1. The line is parsed once, with jv_parse_sized (the NDJSON reader
 *     does it), and each top-level key that a rule names is looked up
 *     once.
 *  2. Each rule says which keys its "when" reads (reads = …) and which
 *     must be there for it to run at all (needs = …).  Only the rules
 *     whose needs hold run, each chosen by index in the one
 *     compiled program (jq 1.6 spends about a microsecond on every
 *     operation: a rule not run is the only cheap rule; and some 18 ms
 *     on every compile), on a small object of the keys they read: the
 *     parsed values shared with jv_copy, members cut to the keys read.
 *     Most households end here, unflagged.
 *  3. For a flagged household the "why" sentences are evaluated on the
 *     parsed household, and the output is the input line with "flags"
 *     and "risk" spliced in before its final brace: the household is
 *     never printed again by jq.
 *
 * Anything unusual (a rule error, a line with "flags" or "risk" already,
 * bytes that are not UTF-8, --explain) takes the plain path: every rule
 * run alone on the parsed household, jv_dump_string for output.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <jq.h>

#include "norm.h"
#include "rules.h"

#define MAXRULES 400		/* active rules in one run */

/* One alternative of a word of "needs", planned once: a top-level key
 * (-1: not in the table, the path starts at the household), the path
 * below it, and whether it wants a number above 0. */
struct alt {
	int key, nseg, positive;
	int last;		/* the last alternative of its word */
	jv *seg;
};

struct rule {
	char *id, *group, *when, *why;
	int level;
	const char *file;
	int line, when_line, why_line;
	char **needs, **reads;	/* NULL-ended; reads NULL: whole household */
	size_t nneeds, nreads;
	struct alt *alt;	/* the needs, planned */
	size_t nalt;
	int active;
	unsigned long long rmask, mmask;	/* keys read, member keys read */
	int mfull;		/* reads all of members */
	long long fired, errors;
};

struct param {
	char *name, *date, *origin;
	double value;
};

struct rules {
	struct rule *rule;
	size_t nrule;
	struct param *param, *over;	/* from the files; from --param */
	size_t nparam, nover;
	char **files;		/* names, for messages */
	size_t nfiles;
	char as_of[11], params_date[11];
	jv args;		/* the effective params as jq $variables */
	const char *prelude;
	int prelude_lines, explain;
	struct rule **act;	/* the active rules, in file order */
	size_t nact;
	jq_state *why;		/* every "why"; checks every "when" too */
	int need_all;		/* an active rule reads the whole household */
	char *key[64], *mkey[64];	/* top-level and member keys read */
	size_t nkey, nmkey;
	jv kname[64], mname[64];	/* the same as jv strings */
	jv kval[64];		/* per key, its value in this household */
	int kmembers;		/* the index of "members", or -1 */
	jv kflags, krisk;
	struct buf text;	/* scratch for generated programs */
	char msg[512];		/* the first message of a compile */
	int nmsg;
};

static const char *const level_name[] = { "", "yellow", "orange", "red" };

static void setf(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void setf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

struct rules *rules_new(void)
{
	struct rules *r = calloc(1, sizeof *r);

	if (r)
		r->args = jv_null(), r->kmembers = -1;
	return r;
}

static void free_list(char **v)
{
	char **p;

	for (p = v; p && *p; p++)
		free(*p);
	free(v);
}

void rules_free(struct rules *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrule; i++) {
		struct rule *u = &r->rule[i];

		free(u->id), free(u->group), free(u->when), free(u->why);
		free_list(u->needs), free_list(u->reads);
		for (j = 0; j < u->nalt; j++) {
			while (u->alt[j].nseg > 0)
				jv_free(u->alt[j].seg[--u->alt[j].nseg]);
			free(u->alt[j].seg);
		}
		free(u->alt);
	}
	for (i = 0; i < r->nparam; i++)
		free(r->param[i].name), free(r->param[i].date);
	for (i = 0; i < r->nover; i++)
		free(r->over[i].name);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	jq_teardown(&r->why);
	free(r->rule), free(r->param), free(r->over);
	for (i = 0; i < r->nkey; i++)
		free(r->key[i]), jv_free(r->kname[i]), jv_free(r->kval[i]);
	for (i = 0; i < r->nmkey; i++)
		free(r->mkey[i]), jv_free(r->mname[i]);
	jv_free(r->kflags), jv_free(r->krisk);
	free(r->files), free(r->act);
	jv_free(r->args);
	buf_free(&r->text);
	free(r);
}

/* ---- the rules file ---- */

static int is_ident(const char *s, const char *extra)
{
	if (!islower((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s)
		    && *s != '_' && !strchr(extra, *s))
			return 0;
	return 1;
}

static int is_date(const char *s)
{
	static const char pat[] = "dddd-dd-dd";
	int i;

	for (i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	return s[i] == '\0';
}

/* Words of s, split on blanks and commas, as a NULL-ended list. */
static char **split_words(const char *s, size_t *n)
{
	char **v = calloc(strlen(s) / 2 + 2, sizeof *v);
	const char *p = s, *q;

	*n = 0;
	while (v && *p) {
		p += strspn(p, " \t\n,");
		if ((q = p + strcspn(p, " \t\n,")) == p)
			break;
		v[(*n)++] = strndup(p, q - p);
		p = q;
	}
	return v;
}

struct parse {
	struct rules *r;
	const char *name;
	int line;
	struct rule *cur;	/* the rule being read, or NULL */
	char *date;		/* the [params DATE] being read, or NULL */
	char *last;		/* the value a continuation line extends */
	size_t first_rule;	/* this file's first rule */
	char *err;
	size_t errlen;
};

static int perr(struct parse *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int perr(struct parse *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ps->err, ps->errlen, "%s:%d: ", ps->name, ps->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A rule must say what it is before the next section starts. */
static int finish_rule(struct parse *ps)
{
	struct rule *u = ps->cur;
	int save = ps->line;

	if (u == NULL)
		return 0;
	ps->line = u->line;
	if (u->level == 0)
		return perr(ps, "rule '%s': no level (red, orange or yellow)",
		    u->id);
	if (u->when == NULL)
		return perr(ps, "rule '%s': no 'when'", u->id);
	if (u->why == NULL)
		return perr(ps, "rule '%s': no 'why'", u->id);
	if (u->group == NULL)
		return perr(ps, "rule '%s': no 'group'", u->id);
	ps->line = save;
	ps->cur = NULL;
	return 0;
}

static int section(struct parse *ps, char *s)
{
	struct rules *r = ps->r;
	char *end = strchr(s, ']'), *arg;
	size_t i;

	if (end == NULL || end[1 + strspn(end + 1, " \t")] != '\0')
		return perr(ps, "expected '[rule ID]' or '[params DATE]'");
	*end = '\0';
	if (finish_rule(ps) < 0)
		return -1;
	free(ps->date);
	ps->date = NULL, ps->last = NULL;
	arg = s + 1 + strcspn(s + 1, " \t");
	if (*arg)
		*arg++ = '\0';
	arg += strspn(arg, " \t");
	if (strcmp(s + 1, "params") == 0) {
		if (!is_date(arg))
			return perr(ps, "expected '[params YYYY-MM-DD]': the "
			    "date the figures take effect");
		ps->date = strdup(arg);
		return 0;
	}
	if (strcmp(s + 1, "rule") != 0)
		return perr(ps, "unknown section '[%s]': expected rule or "
		    "params", s + 1);
	if (!is_ident(arg, "-"))
		return perr(ps, "rule id '%s': use a-z, 0-9, '-' and '_'", arg);
	for (i = 0; i < r->nrule; i++)
		if (strcmp(r->rule[i].id, arg) == 0) {
			if (i >= ps->first_rule)
				return perr(ps, "rule '%s' is already defined "
				    "at line %d", arg, r->rule[i].line);
			/* a later file replaces a rule of an earlier one */
			r->rule[i].active = 0;
			r->rule[i].id[0] = '\0';
		}
	r->rule = realloc(r->rule, (r->nrule + 1) * sizeof *r->rule);
	ps->cur = memset(&r->rule[r->nrule++], 0, sizeof *ps->cur);
	ps->cur->id = strdup(arg);
	ps->cur->file = ps->name;
	ps->cur->line = ps->line;
	ps->cur->active = 1;
	return 0;
}

static int param_line(struct parse *ps, const char *key, const char *val)
{
	struct rules *r = ps->r;
	struct param *p;
	char *end, origin[300];
	double d;

	errno = 0;
	d = strtod(val, &end);
	if (end == val || *end || errno || !isfinite(d))
		return perr(ps, "param '%s': '%s' is not a number", key, val);
	if (!is_ident(key, ""))
		return perr(ps, "param '%s': use a-z, 0-9 and '_'", key);
	snprintf(origin, sizeof origin, "%s:%d", ps->name, ps->line);
	r->param = realloc(r->param, (r->nparam + 1) * sizeof *r->param);
	p = &r->param[r->nparam++];
	p->name = strdup(key), p->date = strdup(ps->date), p->value = d;
	/* kept in the list of names, which lives as long as r */
	p->origin = strdup(origin);
	r->files = realloc(r->files, (r->nfiles + 1) * sizeof *r->files);
	r->files[r->nfiles++] = p->origin;
	return 0;
}

static int rule_line(struct parse *ps, const char *key, char *val)
{
	struct rule *u = ps->cur;
	char **slot = NULL;
	int i;

	if (strcmp(key, "level") == 0) {
		for (i = 1; i <= RULES_RED; i++)
			if (strcmp(val, level_name[i]) == 0)
				u->level = i;
		if (u->level == 0)
			return perr(ps, "rule '%s': level '%s': expected red, "
			    "orange or yellow", u->id, val);
		return 0;
	}
	if (strcmp(key, "needs") == 0 || strcmp(key, "reads") == 0) {
		char ***v = key[0] == 'n' ? &u->needs : &u->reads;
		size_t *n = key[0] == 'n' ? &u->nneeds : &u->nreads;

		free_list(*v);
		*v = split_words(val, n);
		for (i = 0; (size_t)i < *n; i++)
			if (!is_ident((*v)[i], key[0] == 'n' ? ".|>" : "."))
				return perr(ps, "rule '%s': %s: '%s' is not a "
				    "key", u->id, key, (*v)[i]);
		return 0;
	}
	if (strcmp(key, "group") == 0)
		slot = &u->group;
	else if (strcmp(key, "when") == 0)
		slot = &u->when, u->when_line = ps->line;
	else if (strcmp(key, "why") == 0)
		slot = &u->why, u->why_line = ps->line;
	else
		return perr(ps, "rule '%s': unknown key '%s' (expected level, "
		    "group, needs, reads, when or why)", u->id, key);
	free(*slot);
	*slot = strdup(val);
	ps->last = key[0] == 'g' ? NULL : *slot;
	return 0;
}

/* An indented line continues the last "when" or "why". */
static int continuation(struct parse *ps, const char *s)
{
	struct rule *u = ps->cur;
	char **slot;
	size_t n;

	if (u == NULL || ps->last == NULL)
		return perr(ps, "an indented line continues a 'when' or "
		    "'why', and there is none above");
	slot = ps->last == u->when ? &u->when : &u->why;
	n = strlen(*slot);
	*slot = realloc(*slot, n + strlen(s) + 2);
	(*slot)[n] = '\n';
	strcpy(*slot + n + 1, s);
	ps->last = *slot;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	s += strspn(s, " \t\r");
	e = s + strlen(s);
	while (e > s && strchr(" \t\r", e[-1]))
		*--e = '\0';
	return s;
}

static int one_line(struct parse *ps, char *raw)
{
	char *s = trim(raw), *eq, *key;

	if (*s == '\0' || *s == '#')
		return 0;
	if ((*raw == ' ' || *raw == '\t') && ps->cur)
		return continuation(ps, s);
	ps->last = NULL;
	if (*s == '[')
		return section(ps, s);
	if ((eq = strchr(s, '=')) == NULL)
		return perr(ps, "expected 'key = value', '[rule ID]' or "
		    "'[params DATE]'");
	*eq = '\0';
	key = trim(s);
	if (ps->date)
		return param_line(ps, key, trim(eq + 1));
	if (ps->cur == NULL)
		return perr(ps, "'%s' outside a [rule] or [params] section",
		    key);
	return rule_line(ps, key, trim(eq + 1));
}

int rules_load(struct rules *r, const char *text, size_t len,
    const char *name, char *err, size_t errlen)
{
	struct parse ps = { r, name, 0, NULL, NULL, NULL, r->nrule, err,
	    errlen };
	const char *p = text, *e = text + len, *nl;
	char *line;
	int rc = 0;

	r->files = realloc(r->files, (r->nfiles + 1) * sizeof *r->files);
	r->files[r->nfiles++] = strdup(name);
	ps.name = r->files[r->nfiles - 1];
	while (rc == 0 && p < e) {
		nl = memchr(p, '\n', e - p);
		if (nl == NULL)
			nl = e;
		ps.line++;
		line = strndup(p, nl - p);
		rc = one_line(&ps, line);
		free(line);
		p = nl + 1;
	}
	if (rc == 0)
		rc = finish_rule(&ps);
	free(ps.date);
	return rc;
}

int rules_param(struct rules *r, const char *nameval, char *err,
    size_t errlen)
{
	const char *eq = strchr(nameval, '=');
	struct param *p;
	char *end;
	double d;

	if (eq == NULL || eq == nameval) {
		setf(err, errlen, "--param '%s': expected NAME=VALUE", nameval);
		return -1;
	}
	errno = 0;
	d = strtod(eq + 1, &end);
	if (end == eq + 1 || *end || errno || !isfinite(d)) {
		setf(err, errlen, "--param '%s': '%s' is not a number",
		    nameval, eq + 1);
		return -1;
	}
	r->over = realloc(r->over, (r->nover + 1) * sizeof *r->over);
	p = &r->over[r->nover++];
	p->name = strndup(nameval, eq - nameval);
	p->value = d, p->date = NULL, p->origin = "--param";
	return 0;
}

int rules_only(struct rules *r, const char *list, char *err, size_t errlen)
{
	size_t i, j, n;
	char **w = split_words(list, &n);
	char *sel = calloc(r->nrule + 1, 1);
	int rc = 0;

	for (j = 0; j < n && rc == 0; j++) {
		for (i = 0; i < r->nrule; i++)
			if (r->rule[i].active && strcmp(r->rule[i].id, w[j]) == 0)
				break;
		if (i == r->nrule) {
			setf(err, errlen, "--only: no rule '%s'", w[j]);
			rc = -1;
		} else
			sel[i] = 1;
	}
	for (i = 0; i < r->nrule; i++)
		r->rule[i].active = sel[i];
	free(sel);
	free_list(w);
	return rc;
}

/* ---- the key plan: which top-level keys a household must give ---- */

/* Index of name[0..n) in tab, added when absent; -1 when full. */
static int intern(char **tab, size_t *ntab, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < *ntab; i++)
		if (strlen(tab[i]) == n && memcmp(tab[i], name, n) == 0)
			return i;
	if (*ntab == 64)
		return -1;
	tab[*ntab] = strndup(name, n);
	return (*ntab)++;
}

/* Plan one alternative of a word of "needs", w[0..n). */
static void plan_alt(struct rules *r, struct alt *a, const char *w, size_t n)
{
	const char *dot;
	size_t kl;

	a->positive = n >= 2 && memcmp(w + n - 2, ">0", 2) == 0;
	n -= a->positive ? 2 : 0;
	kl = strcspn(w, ".|>");
	kl = kl < n ? kl : n;
	if ((a->key = intern(r->key, &r->nkey, w, kl)) >= 0) {
		n -= kl, w += kl;
		if (n > 0 && *w == '.')
			n--, w++;
	}
	r->need_all |= a->key < 0;
	a->seg = calloc(n + 1, sizeof *a->seg);
	while (n > 0) {
		if ((dot = memchr(w, '.', n)) == NULL)
			dot = w + n;
		a->seg[a->nseg++] = jv_string_sized(w, dot - w);
		n -= dot - w, w = dot;
		if (n > 0)
			n--, w++;
	}
}

/* The words of "needs" as alternatives, so that a household is asked
 * with keys and paths built once. */
static void plan_needs(struct rules *r, struct rule *u)
{
	const char *w;
	size_t i, n, cap = 1;

	for (i = 0; i < u->nneeds; i++)
		for (w = u->needs[i]; (w = strchr(w, '|')) != NULL; w++)
			cap++;
	u->alt = calloc(cap + u->nneeds, sizeof *u->alt);
	for (i = 0; i < u->nneeds; i++) {
		for (w = u->needs[i]; *w; w += n + (w[n] == '|'))
			if ((n = strcspn(w, "|")) > 0)
				plan_alt(r, &u->alt[u->nalt++], w, n);
		if (u->nalt > 0)
			u->alt[u->nalt - 1].last = 1;
	}
}

static void plan_rule(struct rules *r, struct rule *u)
{
	const char *w, *dot;
	size_t i;
	int k;

	plan_needs(r, u);
	for (i = 0; i < u->nreads; i++) {
		w = u->reads[i];
		dot = w + strcspn(w, ".");
		if ((k = intern(r->key, &r->nkey, w, dot - w)) < 0) {
			r->need_all = 1;
			continue;
		}
		u->rmask |= 1ULL << k;
		if (strcmp(r->key[k], "members") != 0 || *dot == '\0') {
			u->mfull |= strcmp(r->key[k], "members") == 0;
			continue;
		}
		/* members.x.y reads x of each member */
		if ((k = intern(r->mkey, &r->nmkey, dot + 1,
		    strcspn(dot + 1, "."))) < 0)
			u->mfull = 1;
		else
			u->mmask |= 1ULL << k;
	}
}

/* The planned keys as jv strings, made once: a lookup then only copies
 * them (and jq keeps their hash). */
static void plan_names(struct rules *r)
{
	size_t i;

	r->kmembers = -1;
	for (i = 0; i < r->nkey; i++) {
		r->kname[i] = jv_string(r->key[i]);
		r->kval[i] = jv_invalid();
		if (strcmp(r->key[i], "members") == 0)
			r->kmembers = i;
	}
	for (i = 0; i < r->nmkey; i++)
		r->mname[i] = jv_string(r->mkey[i]);
	r->kflags = jv_string("flags");
	r->krisk = jv_string("risk");
}

/* ---- params and compilation ---- */

/* The prelude's day_number of a "YYYY-MM-DD", computed as it does:
 * days since 1970-01-01 in the civil calendar. */
static double day_number(const char *s)
{
	double y0 = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	double y = m <= 2 ? y0 - 1 : y0, era = floor(y / 400);
	double yoe = y - era * 400;
	double doy = floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;

	return era * 146097 + yoe * 365 + floor(yoe / 4) - floor(yoe / 100) +
	    doy - 719468;
}

/* The prelude's $__days: the day number of each date from DAYS_BEFORE
 * days before as_of to DAYS_AFTER after it, where rules look. */
#define DAYS_BEFORE 800
#define DAYS_AFTER 60

static jv day_table(const char *as_of)
{
	long today = day_number(as_of), z;
	jv days = jv_object();
	char date[11];

	for (z = today - DAYS_BEFORE; z <= today + DAYS_AFTER; z++) {
		date_from_days(z, date);
		/* only what the prelude's own arithmetic says as well */
		if (strlen(date) == 10 && day_number(date) == z)
			days = jv_object_set(days, jv_string(date),
			    jv_number(z));
	}
	return days;
}

/* The params in effect at as_of: per name, the latest section not
 * after it; then the --param overrides. */
static int resolve_params(struct rules *r, char *err, size_t errlen)
{
	jv vars = jv_object();
	struct param *best;
	size_t i, j;

	r->params_date[0] = '\0';
	for (i = 0; i < r->nparam; i++) {
		struct param *p = &r->param[i];

		if (strcmp(p->date, r->as_of) > 0)
			continue;
		if (strcmp(p->date, r->params_date) > 0)
			snprintf(r->params_date, sizeof r->params_date, "%s",
			    p->date);
		best = p;
		for (j = i + 1; j < r->nparam; j++)
			if (strcmp(r->param[j].name, p->name) == 0 &&
			    strcmp(r->param[j].date, r->as_of) <= 0 &&
			    strcmp(r->param[j].date, best->date) >= 0)
				best = &r->param[j];
		vars = jv_object_set(vars, jv_string(p->name),
		    jv_number(best->value));
	}
	if (r->nparam > 0 && r->params_date[0] == '\0') {
		jv_free(vars);
		setf(err, errlen, "no [params] section in effect at %s: the "
		    "earliest is dated %s", r->as_of, r->param[0].date);
		return -1;
	}
	for (i = 0; i < r->nover; i++) {
		jv k = jv_string(r->over[i].name);

		if (!jv_object_has(jv_copy(vars), jv_copy(k))) {
			jv_free(k), jv_free(vars);
			setf(err, errlen, "--param '%s': no such parameter (see "
			    "'reach flag --check')", r->over[i].name);
			return -1;
		}
		vars = jv_object_set(vars, k, jv_number(r->over[i].value));
	}
	jv_free(r->args);
	r->args = jv_object_set(jv_copy(vars), jv_string("__p"), jv_copy(vars));
	r->args = jv_object_set(r->args, jv_string("as_of"),
	    jv_string(r->as_of));
	r->args = jv_object_set(r->args, jv_string("__today"),
	    jv_number(day_number(r->as_of)));
	r->args = jv_object_set(r->args, jv_string("__days"),
	    day_table(r->as_of));
	jv_free(vars);
	return 0;
}

/* jq reports compile errors through this callback: keep the first. */
static void on_msg(void *data, jv msg)
{
	struct rules *r = data;
	const char *s;

	if (jv_get_kind(msg) == JV_KIND_STRING && r->nmsg++ == 0) {
		s = jv_string_value(msg);
		if (strncmp(s, "jq: error: ", 11) == 0)
			s += 11;
		snprintf(r->msg, sizeof r->msg, "%s", s);
	}
	jv_free(msg);
}

/* Compile r->text.data; NULL on error with r->msg set. */
static jq_state *compile(struct rules *r)
{
	jq_state *jq = jq_init();

	r->nmsg = 0, r->msg[0] = '\0';
	if (jq == NULL) {
		snprintf(r->msg, sizeof r->msg, "out of memory");
		return NULL;
	}
	jq_set_error_cb(jq, on_msg, r);
	buf_addc(&r->text, '\0');
	if (!jq_compile_args(jq, r->text.data, jv_copy(r->args))) {
		jq_teardown(&jq);
		return NULL;
	}
	jq_set_error_cb(jq, NULL, NULL);
	return jq;
}

/* Start a program: the prelude, then text up to the rule. */
static void begin(struct rules *r)
{
	buf_reset(&r->text);
	buf_adds(&r->text, r->prelude);
	buf_adds(&r->text, "\n");
}

/* "file:line: rule 'x': when: msg", the line counted into the rule's
 * own text when jq says where. */
static void rule_error(struct rules *r, const struct rule *u, const char *part,
    int line, struct buf *errs)
{
	char head[400], *at, *nl;
	int n;

	if ((nl = strchr(r->msg, '\n')) != NULL)
		*nl = '\0';
	if ((at = strstr(r->msg, " at <top-level>, line ")) != NULL) {
		n = atoi(at + 22);
		*at = '\0';
		if (n > r->prelude_lines)
			line += n - r->prelude_lines - 1;
	}
	snprintf(head, sizeof head, "%s:%d: rule '%s': %s: ", u->file, line,
	    u->id, part);
	if (errs->len)
		buf_addc(errs, '\n');
	buf_adds(errs, head);
	buf_adds(errs, r->msg);
}

/* A rule's "when" alone, to say which rule broke the program.  NULL
 * when it does not compile, with the error added to errs. */
static jq_state *when_alone(struct rules *r, struct rule *u, struct buf *errs)
{
	jq_state *jq;

	begin(r);
	buf_adds(&r->text, u->when);
	buf_adds(&r->text, "\n");
	if ((jq = compile(r)) == NULL)
		rule_error(r, u, "when", u->when_line, errs);
	return jq;
}

/* Why the whole program did not compile: each rule alone says. */
static void blame(struct rules *r, struct buf *errs)
{
	jq_state *jq;
	size_t i;

	for (i = 0; i < r->nact; i++) {
		jq = when_alone(r, r->act[i], errs);
		jq_teardown(&jq);
		begin(r);
		buf_adds(&r->text, "(");
		buf_adds(&r->text, r->act[i]->why);
		buf_adds(&r->text, "\n)");
		if ((jq = compile(r)) == NULL)
			rule_error(r, r->act[i], "why", r->act[i]->why_line, errs);
		jq_teardown(&jq);
	}
}

/* Program n of [lo, hi) by $__i, halving: jq 1.6 takes about a
 * microsecond for each test, and a chain of elifs would make the last
 * rule pay for all the others. */
static void dispatch(struct rules *r, size_t lo, size_t hi)
{
	char num[64];
	size_t mid = lo + (hi - lo) / 2;

	if (hi - lo == 1) {
		snprintf(num, sizeof num, lo < r->nact ? "__y%zu" : "__w%zu",
		    lo < r->nact ? lo : lo - r->nact);
		buf_adds(&r->text, num);
		return;
	}
	snprintf(num, sizeof num, "if $__i < %zu then ", mid);
	buf_adds(&r->text, num);
	dispatch(r, lo, mid);
	buf_adds(&r->text, " else ");
	dispatch(r, mid, hi);
	buf_adds(&r->text, " end");
}

/*
 * Every rule in one program over [index, input]: index i < n runs the
 * "why" of active rule i on the household, n + i its "when" on what
 * the rule reads.  One compile for all (libjq 1.6 spends some 20 ms
 * on each, most of it on its own builtins), and one compile checks
 * every rule.
 */
static jq_state *compile_all(struct rules *r)
{
	char num[64];
	size_t i;

	begin(r);
	for (i = 0; i < r->nact; i++) {
		snprintf(num, sizeof num, "def __w%zu: ", i);
		buf_adds(&r->text, num);
		buf_adds(&r->text, r->act[i]->when);
		snprintf(num, sizeof num, "\n;\ndef __y%zu: ", i);
		buf_adds(&r->text, num);
		buf_adds(&r->text, r->act[i]->why);
		buf_adds(&r->text, "\n;\n");
	}
	buf_adds(&r->text, ".[0] as $__i | .[1] | ");
	if (r->nact == 0)
		buf_adds(&r->text, "null");
	else
		dispatch(r, 0, 2 * r->nact);
	return compile(r);
}

int rules_compile(struct rules *r, const char *prelude, const char *as_of,
    int explain, char *err, size_t errlen)
{
	struct buf errs = BUF_INIT;
	const char *p;
	size_t i;
	int bad = 0;

	if (!is_date(as_of)) {
		setf(err, errlen, "as of '%s': expected YYYY-MM-DD", as_of);
		return -1;
	}
	snprintf(r->as_of, sizeof r->as_of, "%s", as_of);
	r->prelude = prelude;
	r->explain = explain;
	r->prelude_lines = 1;
	for (p = prelude; *p; p++)
		r->prelude_lines += *p == '\n';
	if (resolve_params(r, err, errlen) < 0)
		return -1;
	r->act = calloc(r->nrule + 1, sizeof *r->act);
	for (i = 0; i < r->nrule; i++)
		if (r->rule[i].active) {
			r->act[r->nact++] = &r->rule[i];
			plan_rule(r, &r->rule[i]);
		}
	plan_names(r);
	if (r->nact > MAXRULES) {
		setf(err, errlen, "%zu rules: at most %d can run together",
		    r->nact, MAXRULES);
		return -1;
	}
	bad = (r->why = compile_all(r)) == NULL;
	if (bad)
		blame(r, &errs);
	if (bad && errs.len == 0)	/* the prelude itself */
		buf_adds(&errs, r->msg);
	if (errs.len) {
		buf_addc(&errs, '\0');
		snprintf(err, errlen, "%s", errs.data);
		buf_free(&errs);
		return -1;
	}
	return 0;
}

void rules_describe(const struct rules *r, struct buf *out)
{
	const char *k, *origin;
	char line[400];
	size_t i, j;
	jv vars = jv_object_get(jv_copy(r->args), jv_string("__p"));

	snprintf(line, sizeof line, "# in effect at %s\n[params %s]\n",
	    r->as_of, r->params_date[0] ? r->params_date : r->as_of);
	buf_adds(out, line);
	jv_object_foreach(vars, key, val) {
		k = jv_string_value(key);
		origin = "";
		for (j = 0; j < r->nparam; j++)
			if (strcmp(r->param[j].name, k) == 0 &&
			    strcmp(r->param[j].date, r->as_of) <= 0 &&
			    r->param[j].value == jv_number_value(val))
				origin = r->param[j].origin;
		for (j = 0; j < r->nover; j++)
			if (strcmp(r->over[j].name, k) == 0)
				origin = "--param";
		snprintf(line, sizeof line, "%-20s = %.15g\t# %s\n", k,
		    jv_number_value(val), origin);
		buf_adds(out, line);
		jv_free(key), jv_free(val);
	}
	jv_free(vars);
	snprintf(line, sizeof line, "\n# %zu rules\n", r->nact);
	buf_adds(out, line);
	for (i = 0; i < r->nact; i++) {
		snprintf(line, sizeof line, "# %-22s %-6s %-12s %s:%d\n",
		    r->act[i]->id, level_name[r->act[i]->level],
		    r->act[i]->group, r->act[i]->file, r->act[i]->line);
		buf_adds(out, line);
	}
}

jv rules_counts(const struct rules *r)
{
	jv o = jv_object();
	size_t i;

	for (i = 0; i < r->nact; i++)
		o = jv_object_set(o, jv_string(r->act[i]->id),
		    jv_object_set(jv_object_set(jv_object(), jv_string("fired"),
		    jv_number(r->act[i]->fired)), jv_string("errors"),
		    jv_number(r->act[i]->errors)));
	return o;
}

/* ---- applying the rules to one household ---- */

/* The values of the planned keys in h (borrowed), invalid when absent:
 * one lookup per key and household, however many rules name it. */
static void look_up(struct rules *r, jv h)
{
	size_t k;

	for (k = 0; k < r->nkey; k++)
		r->kval[k] = jv_object_get(jv_copy(h), jv_copy(r->kname[k]));
}

/* Give back what look_up took, before h goes. */
static void let_go(struct rules *r)
{
	size_t k;

	for (k = 0; k < r->nkey; k++) {
		jv_free(r->kval[k]);
		r->kval[k] = jv_invalid();
	}
}

/* Whether one alternative of "needs" holds on h (borrowed): the value
 * at its path is there and not null or false; "a.b>0": a number above
 * 0.  A step into anything but an object finds nothing, as in
 * jv_getpath. */
static int alt_holds(const struct rules *r, const struct alt *a, jv h)
{
	jv v = jv_copy(a->key >= 0 ? r->kval[a->key] : h);
	jv_kind kind;
	int i, yes;

	for (i = 0; i < a->nseg && jv_is_valid(v); i++) {
		if (jv_get_kind(v) == JV_KIND_OBJECT)
			v = jv_object_get(v, jv_copy(a->seg[i]));
		else {
			jv_free(v);
			v = jv_invalid();
		}
	}
	kind = jv_get_kind(v);
	if (a->positive)
		yes = kind == JV_KIND_NUMBER && jv_number_value(v) > 0;
	else
		yes = kind != JV_KIND_INVALID && kind != JV_KIND_NULL &&
		    kind != JV_KIND_FALSE;
	jv_free(v);
	return yes;
}

/* Whether every word of u's "needs" holds on h (borrowed): one of its
 * alternatives, the last of which is marked. */
static int runnable(const struct rules *r, const struct rule *u, jv h)
{
	size_t i;
	int any = 0;

	for (i = 0; i < u->nalt; i++) {
		any = any || alt_holds(r, &u->alt[i], h);
		if (u->alt[i].last) {
			if (!any)
				return 0;
			any = 0;
		}
	}
	return 1;
}

/* The keys mmask of one member object (consumed). */
static jv member_slice(struct rules *r, jv m, unsigned long long mmask)
{
	jv o, v;
	size_t i;

	if (jv_get_kind(m) != JV_KIND_OBJECT)
		return m;
	o = jv_object();
	for (i = 0; i < r->nmkey; i++)
		if (mmask >> i & 1) {
			v = jv_object_get(jv_copy(m), jv_copy(r->mname[i]));
			if (jv_is_valid(v))
				o = jv_object_set(o, jv_copy(r->mname[i]), v);
		}
	jv_free(m);
	return o;
}

/* The members array (consumed), each member cut to the keys mmask. */
static jv members_slice(struct rules *r, jv a, unsigned long long mmask)
{
	jv out;

	if (jv_get_kind(a) != JV_KIND_ARRAY)
		return a;
	out = jv_array_sized(jv_array_length(jv_copy(a)));
	jv_array_foreach(a, i, m)
		out = jv_array_append(out, member_slice(r, m, mmask));
	jv_free(a);
	return out;
}

/* What the rules said of one household. */
struct verdict {
	jv why[MAXRULES];	/* per active rule: its sentence, or invalid */
	int fired, risk;
};

/* The object the "when"s of the runnable rules read: their keys,
 * shared with h (borrowed), and of the members only the keys read. */
static jv partial(struct rules *r, jv h, const unsigned char *run)
{
	unsigned long long rmask = 0, mmask = 0;
	int mfull = 0, all = r->need_all;
	jv o, v;
	size_t j, k;

	for (j = 0; j < r->nact; j++)
		if (run[j]) {
			all |= r->act[j]->reads == NULL;
			rmask |= r->act[j]->rmask, mmask |= r->act[j]->mmask;
			mfull |= r->act[j]->mfull;
		}
	if (all)
		return jv_copy(h);
	o = jv_object();
	for (k = 0; k < r->nkey; k++) {
		if (!(rmask >> k & 1) || !jv_is_valid(r->kval[k]))
			continue;
		v = jv_copy(r->kval[k]);
		if ((int)k == r->kmembers && !mfull)
			v = members_slice(r, v, mmask);
		o = jv_object_set(o, jv_copy(r->kname[k]), v);
	}
	return o;
}

/* The "why" of active rule i on h (borrowed): a string, or invalid. */
static jv run_why(struct rules *r, size_t i, jv h)
{
	jv v;

	jq_start(r->why, jv_array_append(jv_array_append(jv_array(),
	    jv_number(i)), jv_copy(h)), 0);
	v = jq_next(r->why);
	if (jv_get_kind(v) == JV_KIND_STRING || !jv_is_valid(v))
		return v;
	return jv_dump_string(v, 0);
}

/* The "when" of active rule i on obj (borrowed): 1 yes, 0 no, -1
 * error with *msg (owned by the caller) saying why.  The verdict is
 * its first output: empty, null and false say no. */
static int run_when(struct rules *r, size_t i, jv obj, jv *msg)
{
	jv v;
	int yes;

	jq_start(r->why, jv_array_append(jv_array_append(jv_array(),
	    jv_number(r->nact + i)), jv_copy(obj)), 0);
	v = jq_next(r->why);
	if (!jv_is_valid(v)) {
		*msg = jv_invalid_get_msg(v);
		if (jv_get_kind(*msg) == JV_KIND_NULL)
			return 0;	/* no output: no */
		return -1;
	}
	yes = jv_get_kind(v) != JV_KIND_NULL && jv_get_kind(v) != JV_KIND_FALSE;
	jv_free(v);
	return yes;
}

/* Stages 2 and 3 of the header comment on h (borrowed).  Returns 0,
 * or -1 when a rule failed and the plain path must take the household. */
static int fast(struct rules *r, jv h, struct verdict *vd)
{
	unsigned char run[MAXRULES];
	size_t j, n = 0;
	int rc = 0, yes;
	jv obj, msg;

	for (j = 0; j < r->nact; j++)
		n += run[j] = runnable(r, r->act[j], h);
	if (n == 0)
		return 0;
	obj = partial(r, h, run);
	for (j = 0; j < r->nact && rc == 0; j++) {
		if (!run[j])
			continue;
		msg = jv_null();
		if ((yes = run_when(r, j, obj, &msg)) < 0)
			rc = -1;
		else if (yes) {
			vd->why[j] = jv_true();
			vd->fired++;
		}
		jv_free(msg);
	}
	jv_free(obj);
	for (j = 0; j < r->nact && rc == 0 && vd->fired; j++)
		if (jv_get_kind(vd->why[j]) == JV_KIND_TRUE &&
		    !jv_is_valid(vd->why[j] = run_why(r, j, h)))
			rc = -1;
	return rc;
}

/* What a rule's "when" sees on the plain path: its reads of h. */
static jv restrict_to(struct rules *r, const struct rule *u, jv h)
{
	jv o, v;
	size_t k;

	if (u->reads == NULL)
		return jv_copy(h);
	o = jv_object();
	for (k = 0; k < r->nkey; k++) {
		v = r->kval[k];
		if (!(u->rmask >> k & 1) || !jv_is_valid(v) ||
		    jv_get_kind(v) == JV_KIND_NULL)
			continue;
		v = jv_copy(v);
		if ((int)k == r->kmembers && !u->mfull)
			v = members_slice(r, v, u->mmask);
		o = jv_object_set(o, jv_copy(r->kname[k]), v);
	}
	return o;
}

static jv warn_of(const struct rule *u, const char *part, jv msg)
{
	char text[600];

	snprintf(text, sizeof text, "rule '%s': %s: %s", u->id, part,
	    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) :
	    "no result");
	jv_free(msg);
	return jv_object_set(jv_object_set(jv_object_set(jv_object(),
	    jv_string("code"), jv_string("rule_error")), jv_string("field"),
	    jv_string("flags")), jv_string("msg"), jv_string(text));
}

/* One rule alone on h (borrowed); warns and explain get its story. */
static void plain_rule(struct rules *r, size_t i, jv h, struct verdict *vd,
    jv *warns, jv *explain)
{
	struct rule *u = r->act[i];
	jv in, msg = jv_null(), ex = jv_object_set(jv_object(),
	    jv_string("rule"), jv_string(u->id));
	int yes;

	if (!runnable(r, u, h)) {
		*explain = jv_array_append(*explain, jv_object_set(ex,
		    jv_string("verdict"), jv_string("skipped: needs absent")));
		return;
	}
	in = restrict_to(r, u, h);
	if (u->reads)
		ex = jv_object_set(ex, jv_string("looked_at"), jv_copy(in));
	yes = run_when(r, i, in, &msg);
	jv_free(in);
	if (yes < 0) {
		u->errors++;
		ex = jv_object_set(ex, jv_string("verdict"), jv_string("error"));
		*warns = jv_array_append(*warns, warn_of(u, "when", msg));
	} else {
		jv_free(msg);
		ex = jv_object_set(ex, jv_string("verdict"), jv_bool(yes));
	}
	if (yes > 0) {
		vd->why[i] = run_why(r, i, h);
		if (!jv_is_valid(vd->why[i])) {
			u->errors++;
			*warns = jv_array_append(*warns, warn_of(u, "why",
			    jv_invalid_get_msg(vd->why[i])));
			vd->why[i] = jv_string("");
		}
		vd->fired++;
	}
	*explain = jv_array_append(*explain, ex);
}

/* A "why" as a JSON string, without the line breaks of a sentence
 * that went on over several lines of the rules file. */
static void why_text(struct buf *out, jv why)
{
	const char *s = jv_string_value(why), *nl;
	size_t n = jv_string_length_bytes(jv_copy(why));
	struct buf t = BUF_INIT;

	while ((nl = memchr(s, '\n', n)) != NULL) {
		buf_add(&t, s, nl - s);
		n -= nl - s + 1, s = nl + 1;
	}
	buf_add(&t, s, n);
	buf_json_str(out, t.data ? t.data : "", t.len);
	buf_free(&t);
}

/* The flags array and risk as JSON text, after the household's own
 * keys: ,"flags":[…],"risk":… */
static void flags_text(struct rules *r, const struct verdict *vd,
    struct buf *out)
{
	size_t i;
	int first = 1;

	buf_adds(out, "\"flags\":[");
	for (i = 0; i < r->nact; i++) {
		if (jv_get_kind(vd->why[i]) != JV_KIND_STRING)
			continue;
		buf_adds(out, first ? "{\"rule\":" : ",{\"rule\":");
		first = 0;
		buf_json_str(out, r->act[i]->id, strlen(r->act[i]->id));
		buf_adds(out, ",\"level\":\"");
		buf_adds(out, level_name[r->act[i]->level]);
		buf_adds(out, "\",\"group\":");
		buf_json_str(out, r->act[i]->group, strlen(r->act[i]->group));
		buf_adds(out, ",\"why\":");
		why_text(out, vd->why[i]);
		buf_adds(out, "}");
	}
	buf_adds(out, "],\"risk\":");
	if (vd->risk) {
		buf_addc(out, '"');
		buf_adds(out, level_name[vd->risk]);
		buf_addc(out, '"');
	} else
		buf_adds(out, "null");
}

/* The plain path: h (consumed) as one jv, each rule alone.  Returns
 * the number of rule errors. */
static long plain(struct rules *r, jv h, struct verdict *vd, struct buf *out)
{
	jv warns = jv_array(), explain = jv_array(), old, text;
	struct buf f = BUF_INIT;
	size_t i;

	for (i = 0; i < r->nact; i++)
		plain_rule(r, i, h, vd, &warns, &explain);
	for (i = 0; i < r->nact; i++)
		if (jv_get_kind(vd->why[i]) == JV_KIND_STRING &&
		    r->act[i]->level > vd->risk)
			vd->risk = r->act[i]->level;
	h = jv_object_delete(jv_object_delete(h, jv_string("flags")),
	    jv_string("risk"));
	if (jv_array_length(jv_copy(warns)) > 0) {
		old = jv_object_get(jv_copy(h), jv_string("warn"));
		if (jv_get_kind(old) != JV_KIND_ARRAY) {
			jv_free(old);
			old = jv_array();
		}
		h = jv_object_set(h, jv_string("warn"), jv_array_concat(old,
		    jv_copy(warns)));
	}
	/* the flags exactly as the fast path writes them */
	buf_addc(&f, '{');
	flags_text(r, vd, &f);
	buf_addc(&f, '}');
	h = jv_object_merge(h, jv_parse_sized(f.data, f.len));
	buf_free(&f);
	if (r->explain)
		h = jv_object_set(h, jv_string("explain"), jv_copy(explain));
	text = jv_dump_string(h, 0);
	buf_add(out, jv_string_value(text), jv_string_length_bytes(jv_copy(
	    text)));
	i = jv_array_length(warns);
	jv_free(text), jv_free(explain);
	return i;
}

static void verdict_reset(struct verdict *vd, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		jv_free(vd->why[i]);
		vd->why[i] = jv_invalid();
	}
	vd->fired = vd->risk = 0;
}

static void count(struct rules *r, const struct verdict *vd,
    struct rules_stats *st)
{
	size_t i;

	st->households++;
	for (i = 0; i < r->nact; i++)
		r->act[i]->fired += jv_get_kind(vd->why[i]) == JV_KIND_STRING;
	if (vd->fired) {
		st->flagged++;
		st->level[vd->risk]++;
	}
}

/*
 * Whether h (borrowed) can be written as its own text[0..len) with the
 * flags spliced in before the final brace: not when it has flags or
 * risk of its own (they are replaced), nor when the text is not UTF-8
 * (jq read bad bytes as U+FFFD; jv_string_sized says whether it did).
 */
static int spliceable(struct rules *r, jv h, const char *text, size_t len)
{
	jv s;
	int same;

	if (len == 0 || len > INT_MAX || text[len - 1] != '}' ||
	    jv_object_has(jv_copy(h), jv_copy(r->kflags)) ||
	    jv_object_has(jv_copy(h), jv_copy(r->krisk)))
		return 0;
	s = jv_string_sized(text, len);
	same = (size_t)jv_string_length_bytes(jv_copy(s)) == len &&
	    memcmp(jv_string_value(s), text, len) == 0;
	jv_free(s);
	return same;
}

enum rules_status rules_apply(struct rules *r, jv h, const char *text,
    size_t len, int flagged_only, struct buf *out, struct rules_stats *st)
{
	static struct verdict vd;	/* large: not on the stack */
	enum rules_status rc = RULES_OUT;
	size_t i;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;
	while (len > 0 && strchr(" \t\r\n", text[len - 1]))
		len--;
	for (i = 0; i < r->nact; i++)
		vd.why[i] = jv_invalid();
	vd.fired = vd.risk = 0;
	buf_reset(out);
	look_up(r, h);
	if (!r->explain && spliceable(r, h, text, len) &&
	    fast(r, h, &vd) == 0) {
		for (i = 0; i < r->nact; i++)
			if (jv_get_kind(vd.why[i]) == JV_KIND_STRING &&
			    r->act[i]->level > vd.risk)
				vd.risk = r->act[i]->level;
		buf_add(out, text, len - 1);
		if (jv_object_length(jv_copy(h)) > 0)
			buf_addc(out, ',');
		flags_text(r, &vd, out);
		buf_addc(out, '}');
		jv_free(h);
	} else {
		verdict_reset(&vd, r->nact);
		st->reparsed++;
		st->rule_errors += plain(r, h, &vd, out);
	}
	let_go(r);
	count(r, &vd, st);
	if (flagged_only && vd.fired == 0)
		rc = RULES_SKIP;
	verdict_reset(&vd, r->nact);
	return rc;
}
