/*
 * flag.c — reach flag: say which households are at risk, and why.
 *
 * The rules are jq (lib/rules.c); this file reads the options, loads
 * and compiles every rule before the first household is read, then
 * streams: one line in, one line out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "common.h"
#include "embedded.h"
#include "ndjson.h"
#include "rules.h"

/* share/reach/rules/: default.rules and prelude.jq (build/rules.c) */

struct flag {
	const char **files;	/* --rules */
	size_t nfiles;
	const char **params;	/* --param */
	size_t nparams;
	const char *only;
	int flagged_only, explain, check;
	char **inputs;
	size_t ninputs;

	struct rules *rules;
	struct rules_stats st;
	long long bad_files;
};

static const char doc[] =
    "Read households (from reach match) and add \"flags\", the situations "
    "of the notice that hold with a sentence that gives the numbers, and "
    "\"risk\", the highest level of them (null when none).  The rules are "
    "jq; without --rules the built-in default rules run.\v"
    "Exit status: 0 when every household was read and every rule ran, 1 "
    "when a line was not JSON, a file could not be read or a rule failed "
    "on a household, 2 on a usage error or a broken rules file.  See "
    "reach-flag(1) and reach-rules(5).";

enum { OPT_RULES = 0x300, OPT_PARAM, OPT_ONLY, OPT_FLAGGED, OPT_EXPLAIN,
    OPT_CHECK };

static const struct argp_option options[] = {
	{ "rules", OPT_RULES, "FILE", 0,
	  "rules file (repeatable; 'default' is the built-in set)", 0 },
	{ "param", OPT_PARAM, "NAME=VALUE", 0,
	  "override one parameter, e.g. dibao_rural=650", 0 },
	{ "only", OPT_ONLY, "RULE,...", 0, "run only these rules", 0 },
	{ "flagged-only", OPT_FLAGGED, NULL, 0,
	  "write only households with a flag", 0 },
	{ "explain", OPT_EXPLAIN, NULL, 0,
	  "add \"explain\": every rule's verdict and the values it read", 0 },
	{ "check", OPT_CHECK, NULL, 0,
	  "check the rules, print the parameters in effect, and exit", 0 },
	{ 0 }
};

static const char **push(const char **v, size_t *n, const char *s)
{
	v = realloc(v, (*n + 1) * sizeof *v);
	if (v == NULL)
		die("out of memory");
	v[(*n)++] = s;
	return v;
}

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct flag *fl = state->input;

	switch (key) {
	case OPT_RULES:
		fl->files = push(fl->files, &fl->nfiles, arg);
		break;
	case OPT_PARAM:
		fl->params = push(fl->params, &fl->nparams, arg);
		break;
	case OPT_ONLY:
		fl->only = arg;
		break;
	case OPT_FLAGGED:
		fl->flagged_only = 1;
		break;
	case OPT_EXPLAIN:
		fl->explain = 1;
		break;
	case OPT_CHECK:
		fl->check = 1;
		break;
	case ARGP_KEY_ARGS:
		fl->inputs = state->argv + state->next;
		fl->ninputs = state->argc - state->next;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse, "[FILE...]", doc,
    NULL, NULL, NULL };

static const char *builtin(const char *name)
{
	const char *text = embedded_find(builtin_rules, name);

	if (text == NULL)
		die("built-in '%s' missing from this build", name);
	return text;
}

static void load(struct flag *fl, const char *path)
{
	char err[1024], *text = NULL;
	size_t len = 0;
	FILE *fp;

	if (strcmp(path, "default") == 0) {
		if (rules_load(fl->rules, builtin("default"),
		    strlen(builtin("default")), "default.rules", err,
		    sizeof err) < 0)
			die("%s", err);
		return;
	}
	if ((fp = fopen(path, "r")) == NULL)
		die("cannot open '%s': %s", path, strerror(errno));
	if (getdelim(&text, &len, '\0', fp) < 0 && ferror(fp))
		die("cannot read '%s': %s", path, strerror(errno));
	fclose(fp);
	if (rules_load(fl->rules, text ? text : "", text ? strlen(text) : 0,
	    path, err, sizeof err) < 0)
		die("%s", err);
	free(text);
}

/* Everything that can fail on the rules fails here, before any input. */
static void prepare(struct flag *fl)
{
	static char err[16384];
	char *line;
	const char *as_of = as_of_day();
	size_t i;

	if ((fl->rules = rules_new()) == NULL)
		die("out of memory");
	if (fl->nfiles == 0)
		load(fl, "default");
	for (i = 0; i < fl->nfiles; i++)
		load(fl, fl->files[i]);
	for (i = 0; i < fl->nparams; i++)
		if (rules_param(fl->rules, fl->params[i], err, sizeof err) < 0)
			die("%s", err);
	if (fl->only && rules_only(fl->rules, fl->only, err, sizeof err) < 0)
		die("%s", err);
	if (rules_compile(fl->rules, builtin("prelude"), as_of, fl->explain,
	    err, sizeof err) < 0) {
		/* one line per broken rule, each a message of its own */
		for (line = strtok(err, "\n"); line; line = strtok(NULL, "\n"))
			error("%s", line);
		exit(EXIT_USAGE);
	}
}

struct flag_out {
	struct flag *fl;
	struct buf *out;
};

static void flag_household(jv h, const struct nd_reader *nd, void *arg)
{
	struct flag_out *fo = arg;
	const char *raw;
	size_t len;

	raw = nd_raw(nd, &len);
	if (rules_apply(fo->fl->rules, h, raw, len, fo->fl->flagged_only,
	    fo->out, &fo->fl->st) == RULES_OUT)
		out_text(fo->out->data, fo->out->len);
}

/* One input.  Returns -1 when a line was not a JSON object (and
 * --rejects was not given): the run stops there.  A file that cannot be
 * read is counted and the run goes on. */
static int flag_file(struct flag *fl, const char *path, struct buf *out)
{
	struct flag_out fo = { fl, out };

	switch (read_records(path, flag_household, &fo)) {
	case 1:
		return -1;
	case -1:
		fl->bad_files++;
	}
	return 0;
}

static void print_stats(struct flag *fl)
{
	jv s = jv_object(), counts = rules_counts(fl->rules);
	const struct rules_stats *st = &fl->st;

	s = jv_object_set(s, jv_string("households"), jv_number(st->households));
	s = jv_object_set(s, jv_string("flagged"), jv_number(st->flagged));
	s = jv_object_set(s, jv_string("red"), jv_number(st->level[RULES_RED]));
	s = jv_object_set(s, jv_string("orange"),
	    jv_number(st->level[RULES_ORANGE]));
	s = jv_object_set(s, jv_string("yellow"),
	    jv_number(st->level[RULES_YELLOW]));
	s = jv_object_set(s, jv_string("rule_errors"),
	    jv_number(st->rule_errors));
	s = jv_object_set(s, jv_string("rejected"), jv_number(rejects_count()));
	s = jv_object_set(s, jv_string("bad_files"), jv_number(fl->bad_files));
	s = jv_object_set(s, jv_string("rules"), counts);
	jv_dumpf(s, stderr, 0);
	fputc('\n', stderr);
}

static void check(struct flag *fl)
{
	struct buf b = BUF_INIT;

	rules_describe(fl->rules, &b);
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

int cmd_flag(int argc, char **argv)
{
	static char *stdin_only[] = { "-" };
	struct flag fl = { .nfiles = 0 };
	struct buf out = BUF_INIT;
	size_t i;
	int stopped = 0;

	parse_args(&argp, argc, argv, &fl);
	prepare(&fl);
	if (fl.check) {
		check(&fl);
		rules_free(fl.rules);
		free(fl.files), free(fl.params);
		return fflush(stdout) == EOF ? EXIT_USAGE : 0;
	}
	if (fl.ninputs == 0)
		fl.inputs = stdin_only, fl.ninputs = 1;
	out_open();
	for (i = 0; i < fl.ninputs && !stopped; i++)
		stopped = flag_file(&fl, fl.inputs[i], &out) < 0;
	out_close();
	if (copt.stats)
		print_stats(&fl);
	if (fl.st.rule_errors)
		note("%lld rule errors: see \"warn\" of the households",
		    fl.st.rule_errors);
	if (rejects_count() > 0)
		note("%lld lines rejected%s%s", rejects_count(),
		    copt.rejects ? ", see " : "", copt.rejects ? copt.rejects : "");
	rules_free(fl.rules);
	buf_free(&out);
	free(fl.files), free(fl.params);
	return stopped || fl.bad_files || rejects_count() || fl.st.rule_errors ?
	    EXIT_DATA : 0;
}
