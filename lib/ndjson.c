/*
 * ndjson.c — line-oriented NDJSON reading and writing (see ndjson.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"

struct nd_reader {
	FILE *fp;
	const char *name;
	char *line;
	size_t cap;
	ssize_t len;
	long lineno;
};

struct nd_reader *nd_open(FILE *fp, const char *name)
{
	struct nd_reader *r = calloc(1, sizeof *r);

	if (r) {
		r->fp = fp;
		r->name = name;
	}
	return r;
}

static int blank(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n == 0;
}

/*
 * libjq 1.6 leaks a string that follows a value with no ',' or ':'
 * between them (["a" "b"], {"a" "b"}: value() in jv_parse.c returns its
 * error without freeing the new value; fixed in jq 1.7).  Such a line
 * is never JSON, so it is turned away here, before jq sees it: a bad
 * file must not cost memory in proportion to its bad lines.  This is no
 * JSON scanner: it finds that one pattern and leaves the rest to jq.
 * Returns the 1-based column of the string, or 0.
 */
static size_t string_after_value(const char *s, size_t n)
{
	size_t i;
	int in_str = 0, esc = 0, after = 0;

	for (i = 0; i < n; i++) {
		if (in_str) {
			if (esc)
				esc = 0;
			else if (s[i] == '\\')
				esc = 1;
			else if (s[i] == '"')
				in_str = 0, after = 1;
			continue;
		}
		switch (s[i]) {
		case '"':
			if (after)
				return i + 1;
			in_str = 1;
			break;
		case ' ': case '\t': case '\r': case '\n':
			break;
		case ',': case ':': case '[': case '{':
			after = 0;
			break;
		default:	/* ] } and the characters of numbers, true, … */
			after = 1;
			break;
		}
	}
	return 0;
}

enum nd_status nd_next(struct nd_reader *r, jv *out, char *err, size_t errlen)
{
	size_t col;
	char *s, *nul;
	jv v, msg;

	do {
		errno = 0;
		r->len = getline(&r->line, &r->cap, r->fp);
		if (r->len < 0) {
			if (ferror(r->fp)) {
				snprintf(err, errlen, "%s: read error: %s",
				    r->name, strerror(errno));
				return ND_IOERR;
			}
			return ND_EOF;
		}
		r->lineno++;
		if (r->len > 0 && r->line[r->len - 1] == '\n')
			r->line[--r->len] = '\0';
	} while (blank(r->line, r->len));
	s = r->line;
	if (r->lineno == 1 && r->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	/* jq stops reading at a NUL and then says something beside the
	 * point ("found number"): name it */
	if ((nul = memchr(s, '\0', r->len - (s - r->line))) != NULL) {
		snprintf(err, errlen, "%s:%ld: invalid JSON: a NUL byte at "
		    "column %zu", r->name, r->lineno, (size_t)(nul - s) + 1);
		return ND_BAD;
	}
	if ((col = string_after_value(s, r->len - (s - r->line))) > 0) {
		snprintf(err, errlen, "%s:%ld: invalid JSON: Expected separator "
		    "between values at column %zu", r->name, r->lineno, col);
		return ND_BAD;
	}
	v = jv_parse_sized(s, r->len - (s - r->line));
	if (!jv_is_valid(v)) {
		msg = jv_invalid_get_msg(v);
		snprintf(err, errlen, "%s:%ld: invalid JSON: %s", r->name,
		    r->lineno, jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_value(msg) : "unknown error");
		jv_free(msg);
		return ND_BAD;
	}
	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		snprintf(err, errlen, "%s:%ld: expected a JSON object, found %s",
		    r->name, r->lineno, jv_kind_name(jv_get_kind(v)));
		jv_free(v);
		return ND_BAD;
	}
	*out = v;
	return ND_OK;
}

long nd_line(const struct nd_reader *r)
{
	return r->lineno;
}

const char *nd_raw(const struct nd_reader *r, size_t *len)
{
	size_t bom = r->lineno == 1 && r->len >= 3 &&
	    memcmp(r->line, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

	*len = r->len > 0 ? (size_t)r->len - bom : 0;
	return r->line ? r->line + bom : "";
}

const char *nd_name(const struct nd_reader *r)
{
	return r->name;
}

void nd_free(struct nd_reader *r)
{
	if (r == NULL)
		return;
	free(r->line);
	free(r);
}

int nd_write(FILE *fp, jv v)
{
	jv_dumpf(v, fp, 0);
	if (putc('\n', fp) == EOF || ferror(fp)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* ---- nd_dump: jq's compact printing, reproduced ---- */

#define DUMP_DEPTH 64	/* deeper values are left to jq */

/* A string as jq 1.6 prints it: printable ASCII as is but for " and
 * \, the five short escapes, any other control character and DEL as
 * \u00xx, and the rest (a jv string is valid UTF-8) byte for byte. */
static int dump_string(struct buf *b, jv s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)jv_string_value(s);
	size_t n = jv_string_length_bytes(jv_copy(s)), i, run;
	unsigned char c;

	if (buf_grow(b, n * 6 + 2) < 0)
		return -1;
	b->data[b->len++] = '"';
	for (i = 0; i < n; i++) {
		for (run = i; run < n && p[run] >= 0x20 && p[run] != '"' &&
		    p[run] != '\\' && p[run] != 0x7f; run++)
			;
		memcpy(b->data + b->len, p + i, run - i);
		b->len += run - i;
		if ((i = run) == n)
			break;
		b->data[b->len++] = '\\';
		switch (c = p[i]) {
		case '"': case '\\': b->data[b->len++] = c; break;
		case '\b': b->data[b->len++] = 'b'; break;
		case '\t': b->data[b->len++] = 't'; break;
		case '\n': b->data[b->len++] = 'n'; break;
		case '\f': b->data[b->len++] = 'f'; break;
		case '\r': b->data[b->len++] = 'r'; break;
		default:
			memcpy(b->data + b->len, "u00", 3);
			b->data[b->len + 3] = hex[c >> 4];
			b->data[b->len + 4] = hex[c & 15];
			b->len += 5;
		}
	}
	b->data[b->len++] = '"';
	return 0;
}

/* A number: a whole one below 1e15 as its digits, which is what jq's
 * shortest form is for those; any other as jq itself writes it. */
static int dump_number(struct buf *b, jv v)
{
	double d = jv_number_value(v);
	char num[32];
	jv t;
	int rc;

	if (d == trunc(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d))) {
		snprintf(num, sizeof num, "%lld", (long long)d);
		return buf_adds(b, num);
	}
	t = jv_dump_string(jv_copy(v), 0);
	rc = buf_add(b, jv_string_value(t), jv_string_length_bytes(jv_copy(t)));
	jv_free(t);
	return rc;
}

static int dump(struct buf *b, jv v, int depth);

static int dump_array(struct buf *b, jv v, int depth)
{
	int i, n = jv_array_length(jv_copy(v)), rc = buf_addc(b, '[');

	for (i = 0; i < n && rc == 0; i++) {
		jv e = jv_array_get(jv_copy(v), i);

		if (i > 0)
			rc = buf_addc(b, ',');
		if (rc == 0)
			rc = dump(b, e, depth + 1);
		jv_free(e);
	}
	return rc < 0 ? rc : buf_addc(b, ']');
}

/* Keys in jq's order of iteration, as jv_dump_string goes. */
static int dump_object(struct buf *b, jv v, int depth)
{
	int it, rc = buf_addc(b, '{'), first = 1;

	for (it = jv_object_iter(v); rc == 0 && jv_object_iter_valid(v, it);
	    it = jv_object_iter_next(v, it)) {
		jv k = jv_object_iter_key(v, it), e = jv_object_iter_value(v, it);

		if (!first)
			rc = buf_addc(b, ',');
		first = 0;
		if (rc == 0)
			rc = dump_string(b, k);
		if (rc == 0)
			rc = buf_addc(b, ':');
		if (rc == 0)
			rc = dump(b, e, depth + 1);
		jv_free(k);
		jv_free(e);
	}
	return rc < 0 ? rc : buf_addc(b, '}');
}

/* -2: too deep, or a kind jq prints in its own way (invalid). */
static int dump(struct buf *b, jv v, int depth)
{
	if (depth > DUMP_DEPTH)
		return -2;
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL: return buf_adds(b, "null");
	case JV_KIND_FALSE: return buf_adds(b, "false");
	case JV_KIND_TRUE: return buf_adds(b, "true");
	case JV_KIND_NUMBER: return dump_number(b, v);
	case JV_KIND_STRING: return dump_string(b, v);
	case JV_KIND_ARRAY: return dump_array(b, v, depth);
	case JV_KIND_OBJECT: return dump_object(b, v, depth);
	default: return -2;
	}
}

int nd_dump(struct buf *b, jv v)
{
	size_t start = b->len;
	int rc = dump(b, v, 0);
	jv t;

	if (rc != -2)
		return rc;
	b->len = start;
	t = jv_dump_string(jv_copy(v), 0);
	rc = buf_add(b, jv_string_value(t), jv_string_length_bytes(jv_copy(t)));
	jv_free(t);
	return rc;
}
