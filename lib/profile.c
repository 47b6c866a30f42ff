/*
 * profile.c — parse import profiles and match header rows (profile.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "profile.h"
#include "text.h"


static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

size_t header_fold(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i = 0, o = 0, k;
	uint32_t cp;
	char enc[4];

	while (i < n) {
		i += txt_decode(s + i, n - i, &cp);
		cp = txt_fold_width(cp);
		if (txt_is_space(cp) || cp == 0xFEFF)
			continue;
		k = txt_encode(cp, enc);
		if (o + k + 1 > outsz)
			break;
		memcpy(out + o, enc, k);
		o += k;
	}
	out[o] = '\0';
	return o;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* "med.oop!:money" → field, required, type.  Returns 0 or -1 with err. */
static int parse_spec(struct prof_col *c, const char *s, size_t n,
    char *err, size_t errlen)
{
	const char *colon = memchr(s, ':', n);
	size_t flen = colon ? (size_t)(colon - s) : n;
	char tname[16];

	if (flen > 0 && s[flen - 1] == '!') {
		c->required = 1;
		flen--;
	}
	if (flen == 0) {
		seterr(err, errlen, "empty field name");
		return -1;
	}
	c->field = xstrndup(s, flen);
	c->df = dict_find(c->field);
	c->type = c->df ? c->df->type : VT_STR;
	if (colon) {
		size_t tl = n - flen - 1 - c->required;

		if (tl >= sizeof tname) {
			seterr(err, errlen, "unknown type '%.*s'", (int)tl, colon + 1);
			return -1;
		}
		memcpy(tname, colon + 1, tl);
		tname[tl] = '\0';
		if (dict_type_parse(tname, &c->type) < 0) {
			seterr(err, errlen, "unknown type '%s'", tname);
			return -1;
		}
	}
	return 0;
}

/* Split "A | B | C" into folded headers of c. */
static int parse_headers(struct prof_col *c, const char *s, const char *end)
{
	char tmp[256];

	while (s < end) {
		const char *bar = memchr(s, '|', end - s);
		size_t n;
		char **h;

		if (bar == NULL)
			bar = end;
		n = header_fold(s, bar - s, tmp, sizeof tmp);
		if (n > 0) {
			h = realloc(c->headers, (c->nheaders + 1) * sizeof *h);
			if (h == NULL)
				return -1;
			c->headers = h;
			c->headers[c->nheaders++] = xstrndup(tmp, n);
		}
		s = bar + 1;
	}
	return 0;
}

static struct prof_col *new_col(struct profile *p)
{
	struct prof_col *cols = realloc(p->cols, (p->ncols + 1) * sizeof *cols);

	if (cols == NULL)
		return NULL;
	p->cols = cols;
	memset(&cols[p->ncols], 0, sizeof cols[0]);
	return &cols[p->ncols++];
}

/* One line of a profile: a setting or a column. */
static int parse_line(struct profile *p, const char *s, const char *end,
    char *err, size_t errlen)
{
	const char *word = s, *rest;
	size_t wl;
	struct prof_col *c;

	while (s < end && *s != ' ' && *s != '\t')
		s++;
	wl = s - word;
	rest = skip_space(s, end);
	while (end > rest && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (rest == end) {
		seterr(err, errlen, "'%.*s' needs a value", (int)wl, word);
		return -1;
	}
	if (wl == 6 && memcmp(word, "source", 6) == 0) {
		free(p->source);
		p->source = xstrndup(rest, end - rest);
		return 0;
	}
	if (wl == 5 && memcmp(word, "label", 5) == 0) {
		free(p->label);
		p->label = xstrndup(rest, end - rest);
		return 0;
	}
	if ((c = new_col(p)) == NULL || parse_spec(c, word, wl, err, errlen) < 0)
		return -1;
	return parse_headers(c, rest, end);
}

struct profile *profile_parse(const char *text, size_t len,
    const char *origin, char *err, size_t errlen)
{
	struct profile *p = calloc(1, sizeof *p);
	const char *s = text, *end = text + len, *nl;
	int line = 0;
	char msg[200];

	if (p == NULL)
		return NULL;
	while (s < end) {
		nl = memchr(s, '\n', end - s);
		if (nl == NULL)
			nl = end;
		line++;
		s = skip_space(s, nl);
		if (s < nl && *s != '#' && *s != '\r' &&
		    parse_line(p, s, nl, msg, sizeof msg) < 0) {
			seterr(err, errlen, "%s:%d: %s", origin, line, msg);
			profile_free(p);
			return NULL;
		}
		s = nl + 1;
	}
	if (p->source == NULL || p->ncols == 0) {
		seterr(err, errlen, "%s: a profile needs a 'source' line and "
		    "at least one column", origin);
		profile_free(p);
		return NULL;
	}
	return p;
}

const char *const *profile_builtin_names(void)
{
	static const char *names[64];
	size_t i;

	for (i = 0; builtin_profiles[i].name && i + 1 < 64; i++)
		names[i] = builtin_profiles[i].name;
	names[i] = NULL;
	return names;
}

struct profile *profile_builtin(const char *name, char *err, size_t errlen)
{
	const char *text = embedded_find(builtin_profiles, name);
	struct profile *p;

	if (text == NULL) {
		seterr(err, errlen, "no built-in profile '%s'", name);
		return NULL;
	}
	if ((p = profile_parse(text, strlen(text), name, err, errlen)) != NULL)
		p->name = strdup(name);
	return p;
}

int profile_add_map(struct profile *p, const char *spec, char *err,
    size_t errlen)
{
	const char *eq = strrchr(spec, '=');
	struct prof_col *c;

	if (eq == NULL || eq == spec || eq[1] == '\0') {
		seterr(err, errlen, "--map '%s': expected '列名=field[:type]'",
		    spec);
		return -1;
	}
	if ((c = new_col(p)) == NULL)
		return -1;
	if (parse_spec(c, eq + 1, strlen(eq + 1), err, errlen) < 0) {
		char msg[200];

		snprintf(msg, sizeof msg, "%s", err);
		seterr(err, errlen, "--map '%s': %s", spec, msg);
		return -1;
	}
	return parse_headers(c, spec, eq);
}

void profile_free(struct profile *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->ncols; i++) {
		for (j = 0; j < p->cols[i].nheaders; j++)
			free(p->cols[i].headers[j]);
		free(p->cols[i].headers);
		free(p->cols[i].field);
	}
	free(p->cols);
	free(p->name);
	free(p->source);
	free(p->label);
	free(p);
}

/* Index of the profile column one of whose headers is cell, or -1. */
static int find_col(const struct profile *p, const char *cell)
{
	size_t i, j;

	for (i = 0; i < p->ncols; i++)
		for (j = 0; j < p->cols[i].nheaders; j++)
			if (strcmp(p->cols[i].headers[j], cell) == 0)
				return i;
	return -1;
}

int profile_match(const struct profile *p, char **cells, size_t ncells,
    int *colmap, const char **missing, int *nmissing)
{
	size_t i, j;
	int matched = 0, col;

	*missing = NULL;
	*nmissing = 0;
	for (i = 0; i < ncells; i++) {
		col = cells[i][0] ? find_col(p, cells[i]) : -1;
		/* A column named twice keeps its first cell. */
		for (j = 0; col >= 0 && j < i; j++)
			if (colmap[j] == col)
				col = -1;
		colmap[i] = col;
		matched += col >= 0;
	}
	for (i = 0; i < p->ncols; i++) {
		if (!p->cols[i].required)
			continue;
		for (j = 0; j < ncells && colmap[j] != (int)i; j++)
			;
		if (j < ncells)
			continue;
		if (*missing == NULL)
			*missing = p->cols[i].headers[0];
		++*nmissing;
	}
	return matched;
}
