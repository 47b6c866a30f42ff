/*
 * common.c — messages, common options and the output streams of every
 * reach command (see common.h).
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "common.h"
#include "norm.h"

const char *progname = "reach";
struct common_opts copt;

static FILE *out, *rej;
static long long nrejects;

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", progname, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	return -1;
}

void note(const char *fmt, ...)
{
	va_list ap;

	if (copt.quiet)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

enum { OPT_REJECTS = 0x100, OPT_STATS, OPT_AS_OF };

static const struct argp_option common_options[] = {
	{ NULL, 0, NULL, 0, "Common options:", 50 },
	{ "output", 'o', "FILE", 0, "write records to FILE, not stdout", 50 },
	{ "rejects", OPT_REJECTS, "FILE", 0,
	  "write unreadable input to FILE (NDJSON) and go on", 50 },
	{ "stats", OPT_STATS, NULL, 0,
	  "print counts as one JSON line on stderr", 50 },
	{ "as-of", OPT_AS_OF, "DATE", 0,
	  "reference date YYYY-MM-DD (default: today)", 50 },
	{ "quiet", 'q', NULL, 0, "no notes or progress on stderr", 50 },
	{ 0 }
};

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	char day[11];
	const char *why;

	switch (key) {
	case 'o':
		copt.output = arg;
		break;
	case OPT_REJECTS:
		copt.rejects = arg;
		break;
	case OPT_STATS:
		copt.stats = 1;
		break;
	case OPT_AS_OF:
		if (norm_date(arg, strlen(arg), day, &why) != NORM_OK)
			argp_error(state, "--as-of '%s': expected YYYY-MM-DD",
			    arg);
		free((char *)copt.as_of);
		copt.as_of = strdup(day);
		break;
	case 'q':
		copt.quiet = 1;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp common_argp = { common_options, common_parse, NULL, NULL,
    NULL, NULL, NULL };

void parse_args(const struct argp *argp, int argc, char **argv, void *input)
{
	static struct argp_child children[] = {
		{ &common_argp, 0, NULL, 50 }, { 0 }
	};
	struct argp a = *argp;

	a.children = children;
	argp_err_exit_status = EXIT_USAGE;
	argp_program_bug_address = NULL;
	argp_parse(&a, argc, argv, 0, NULL, input);
}

void out_open(void)
{
	/* a reader that goes away (| head) is an ordinary end */
	signal(SIGPIPE, SIG_IGN);
	out = stdout;
	if (copt.output && strcmp(copt.output, "-") != 0 &&
	    (out = fopen(copt.output, "w")) == NULL)
		die("cannot open '%s': %s", copt.output, strerror(errno));
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	/* one thread writes: jv_dumpf's many small writes need no locks */
	__fsetlocking(out, FSETLOCKING_BYCALLER);
	if (copt.rejects && (rej = fopen(copt.rejects, "w")) == NULL)
		die("cannot open '%s': %s", copt.rejects, strerror(errno));
}

static void write_failed(void)
{
	if (errno == EPIPE)
		exit(0);
	die("write error on %s: %s", copt.output ? copt.output : "stdout",
	    strerror(errno));
}

void out_text(const char *json, size_t len)
{
	if (fwrite(json, 1, len, out) != len || putc('\n', out) == EOF)
		write_failed();
}

void out_jv(jv v)
{
	errno = 0;
	jv_dumpf(v, out, 0);
	if (putc('\n', out) == EOF || ferror(out))
		write_failed();
}

void out_close(void)
{
	errno = 0;
	if (fflush(out) == EOF || ferror(out))
		write_failed();
	if (out != stdout && fclose(out) == EOF)
		write_failed();
	if (rej && (fflush(rej) == EOF || ferror(rej) || fclose(rej) == EOF))
		die("write error on %s: %s", copt.rejects, strerror(errno));
}

void reject(const char *file, long line, const char *why, const char *raw,
    size_t rawlen)
{
	struct buf b = BUF_INIT;
	char num[32];

	nrejects++;
	if (rej == NULL) {
		error("%s:%ld: %s", file, line, why);
		return;
	}
	buf_adds(&b, "{\"src_file\":");
	buf_json_str(&b, file, strlen(file));
	snprintf(num, sizeof num, ",\"src_line\":%ld,\"error\":", line);
	buf_adds(&b, num);
	buf_json_str(&b, why, strlen(why));
	buf_adds(&b, ",\"raw\":");
	buf_json_str(&b, raw, rawlen);
	buf_adds(&b, "}\n");
	if (fwrite(b.data, 1, b.len, rej) != b.len)
		die("write error on %s: %s", copt.rejects, strerror(errno));
	buf_free(&b);
}

long long rejects_count(void)
{
	return nrejects;
}

const char *who_am_i(void)
{
	const char *u = getenv("LOGNAME");
	struct passwd *pw;

	if (u && *u)
		return u;
	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_name;
	return "unknown";
}

int show_progress(void)
{
	return !copt.quiet && isatty(STDERR_FILENO);
}
