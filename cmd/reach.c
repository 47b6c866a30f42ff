/*
 * reach.c — the reach command: dispatch to a subcommand.
 *
 * Each subcommand lives in cmd/<name>.c as cmd_<name>(argc, argv) and
 * returns its exit status.  This table is the one list of them.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int cmd_import(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_flag(int argc, char **argv);
int cmd_refer(int argc, char **argv);
int cmd_report(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "import", cmd_import, "read department CSV files into records" },
	{ "match", cmd_match, "link records into people and households" },
	{ "flag", cmd_flag, "say which households are at risk, and why" },
	{ "refer", cmd_refer, "push flagged households to the office that must act" },
	{ "report", cmd_report, "what the bureau and each township read" },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: reach COMMAND [OPTION...] [FILE...]\n"
	    "       reach help COMMAND | --help | --version\n\n"
	    "Find people who need social assistance but have not asked for it.\n"
	    "Commands read and write NDJSON, one record per line:\n\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\n'reach COMMAND --help' lists a command's options; "
	    "'reach help COMMAND' shows its manual.\n");
}

/* The manual: the man/ beside the binary (a build tree), else the
 * installed pages.  "reach help import" is reach-import(1);
 * "reach help records" finds reach-records(7). */
static int help(const char *topic)
{
	static const char sections[] = "157";
	char page[48], dir[PATH_MAX], local[PATH_MAX + 80];
	ssize_t n;
	char *slash;
	int i;

	snprintf(page, sizeof page, topic ? "reach-%s" : "reach", topic);
	n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n > 0) {
		dir[n] = '\0';
		if ((slash = strrchr(dir, '/')) != NULL)
			*slash = '\0';
		for (i = 0; sections[i]; i++) {
			snprintf(local, sizeof local, "%s/man/%s.%c", dir, page,
			    sections[i]);
			if (access(local, R_OK) == 0)
				execlp("man", "man", "-l", local, (char *)NULL);
		}
	}
	execlp("man", "man", page, (char *)NULL);
	return error("cannot run man: install man-db, or read man/%s.1", page);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	static char prog[64];
	size_t i;

	if (name == NULL) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0) {
		printf("reach %s\n", REACH_VERSION);
		return 0;
	}
	if (strcmp(name, "help") == 0)
		return help(argc > 2 ? argv[2] : NULL) ? EXIT_USAGE : 0;
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0) {
			snprintf(prog, sizeof prog, "reach %s", name);
			progname = prog;
			argv[1] = prog;	/* argp names the command by argv[0] */
			return commands[i].run(argc - 1, argv + 1);
		}
	fprintf(stderr, "reach: '%s' is not a reach command; see 'reach --help'\n",
	    name);
	return EXIT_USAGE;
}
