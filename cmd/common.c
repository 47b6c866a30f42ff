/*
 * common.c — messages, common options and the output streams of every
 * reach command (see common.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * Rejects are the department's rows as they came, full ID numbers and
 * all, unmasked: created 0600 like the database, whatever the umask.
 * A file that exists keeps its mode (the user chose it).
 */
static FILE *open_private(const char *path)
{
	int fd;
	FILE *fp;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0)
		return NULL;
	if ((fp = fdopen(fd, "w")) == NULL)
		close(fd);
	return fp;
}

void out_open(void)
{
	/* glibc takes the size only with a buffer: else st_blksize (4 KiB
	 * for a pipe or /dev/null), and a write per dozen records */
	static char outbuf[1 << 16];

	/* a reader that goes away (| head) is an ordinary end */
	signal(SIGPIPE, SIG_IGN);
	out = stdout;
	if (copt.output && strcmp(copt.output, "-") != 0 &&
	    (out = fopen(copt.output, "w")) == NULL)
		die("cannot open '%s': %s", copt.output, strerror(errno));
	setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
	/* one thread writes: jv_dumpf's many small writes need no locks */
	__fsetlocking(out, FSETLOCKING_BYCALLER);
	if (copt.rejects && (rej = open_private(copt.rejects)) == NULL)
		die("cannot open '%s': %s", copt.rejects, strerror(errno));
}

/*
 * The output is gone (a reader that went away, a full disk): the run
 * ends here, in the middle of its work.  The rejects so far are kept;
 * the rest (households in flight, jq's states) is dropped with the
 * process, by _exit, so that the sanitizers' leak check at exit does
 * not list that work in flight as leaks.
 */
static void write_failed(void)
{
	int code = errno == EPIPE ? 0 : EXIT_USAGE;

	if (code != 0)
		error("write error on %s: %s", copt.output ? copt.output :
		    "stdout", strerror(errno));
	if (rej && fflush(rej) == EOF && code == 0) {
		error("write error on %s: %s", copt.rejects, strerror(errno));
		code = EXIT_USAGE;
	}
	_exit(code);
}

/* The same for the rejects: without them the counts would lie. */
static void rejects_failed(void)
{
	error("write error on %s: %s", copt.rejects, strerror(errno));
	_exit(EXIT_USAGE);
}

void out_text(const char *json, size_t len)
{
	if (fwrite(json, 1, len, out) != len || putc('\n', out) == EOF)
		write_failed();
}

void out_lines(const char *text, size_t len)
{
	if (len > 0 && fwrite(text, 1, len, out) != len)
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
		rejects_failed();
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
		rejects_failed();
	buf_free(&b);
}

/* err says "file:line: why"; a reject keeps file and line apart, and
 * why is cut at 600 bytes: jq quotes the whole line in it. */
static const char *why_of(char *err, const char *name)
{
	size_t n = strlen(name);
	char *p = err;

	if (strncmp(err, name, n) == 0 && err[n] == ':') {
		p = err + n + 1;
		p += strspn(p, "0123456789");
		p = p[0] == ':' && p[1] == ' ' ? p + 2 : err;
	}
	if (strlen(p) > 600)
		p[600] = '\0';
	return p;
}

int read_records(const char *path,
    void (*fn)(jv rec, const struct nd_reader *nd, void *arg), void *arg)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct nd_reader *nd;
	enum nd_status st;
	char err[1024];
	const char *raw, *why;
	size_t len;
	int rc = 0;
	jv rec;

	if (fp == NULL)
		return error("cannot open '%s': %s", path, strerror(errno));
	if ((nd = nd_open(fp, path)) == NULL)
		die("out of memory");
	while (rc == 0 && (st = nd_next(nd, &rec, err, sizeof err)) != ND_EOF) {
		if (st == ND_IOERR) {
			rc = error("%s", err);
		} else if (st == ND_BAD && !copt.rejects) {
			why = why_of(err, path);
			error("%s:%ld: %s", path, nd_line(nd), why);
			rc = 1;
		} else if (st == ND_BAD) {
			raw = nd_raw(nd, &len);
			reject(path, nd_line(nd), why_of(err, path), raw, len);
		} else
			fn(rec, nd, arg);
	}
	nd_free(nd);
	if (fp != stdin)
		fclose(fp);
	return rc;
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

const char *as_of_day(void)
{
	static char today[11];

	if (copt.as_of)
		return copt.as_of;
	if (today[0] == '\0')
		date_today(today);
	return today;
}

int stdin_has_data(void)
{
	struct stat sb;

	return fstat(STDIN_FILENO, &sb) == 0 &&
	    (S_ISFIFO(sb.st_mode) || S_ISREG(sb.st_mode) || S_ISSOCK(sb.st_mode));
}

int show_progress(void)
{
	return !copt.quiet && isatty(STDERR_FILENO);
}

int thread_count(int most)
{
	const char *env = getenv("REACH_THREADS");
	long n = env && *env ? atol(env) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > most ? most : (int)n;
}
