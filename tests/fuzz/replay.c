/*
 * replay.c — a main() for a fuzz target without libFuzzer: run it on
 * every file of tests/fuzz/regress/<name>/ and tests/fuzz/corpus/<name>/
 * (or on the files and directories given), one TAP line each.  A crash
 * ends the binary before its "ok"s add up to the plan, and tests/run
 * counts that as a failure.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static char **paths;
static size_t npaths, cap;

static void add(const char *path)
{
	if (npaths == cap) {
		cap = cap ? 2 * cap : 64;
		if ((paths = realloc(paths, cap * sizeof *paths)) == NULL)
			exit(2);
	}
	if ((paths[npaths++] = strdup(path)) == NULL)
		exit(2);
}

static int bypath(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's files, in name order so that the TAP lines are stable;
 * a directory that is not there is an empty one. */
static void collect(const char *path)
{
	struct dirent *e;
	struct stat sb;
	char sub[4096];
	size_t first = npaths;
	DIR *d;

	if (stat(path, &sb) < 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		add(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		add(sub);
	}
	closedir(d);
	if (npaths > first)
		qsort(paths + first, npaths - first, sizeof *paths, bypath);
}

static int run(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t n = 0, cap = 0, got;

	if (fp == NULL)
		return -1;
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			if ((data = realloc(data, cap)) == NULL)
				exit(2);
		}
		got = fread(data + n, 1, cap - n, fp);
		n += got;
	} while (got > 0);
	fclose(fp);
	/* libFuzzer hands over exactly size bytes: so do we, in a block
	 * of that size, for ASan to see a read past the end */
	data = realloc(data, n ? n : 1);
	LLVMFuzzerTestOneInput(data, n);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	const char *top = getenv("REACH_TOP"), *name = strrchr(argv[0], '/');
	char dir[4096];
	size_t i;
	int rc = 0;

	name = name ? name + 1 : argv[0];
	if (strncmp(name, "fuzz_", 5) == 0)
		name += 5;
	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++)
			collect(argv[i]);
	} else {
		snprintf(dir, sizeof dir, "%s/tests/fuzz/regress/%s",
		    top ? top : ".", name);
		collect(dir);
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s",
		    top ? top : ".", name);
		collect(dir);
	}
	printf("1..%zu\n", npaths);
	for (i = 0; i < npaths; i++) {
		fflush(stdout);
		if (run(paths[i]) < 0) {
			printf("not ok %zu - %s: %s\n", i + 1, paths[i],
			    strerror(errno));
			rc = 1;
		} else
			printf("ok %zu - %s %s\n", i + 1, name, paths[i]);
		free(paths[i]);
	}
	free(paths);
	return rc;
}
