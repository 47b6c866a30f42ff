/* scripts/csvfloor.c — the speed floor for `reach import`: parse a CSV
 * file with bare libcsv, count its fields and rows, and do nothing else.
 * Built and run by scripts/bench-import:
 *
 *	cc -O2 -o csvfloor scripts/csvfloor.c -lcsv
 *	csvfloor FILE	prints "ROWS FIELDS" (rows include the header)
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct count {
	unsigned long long fields, rows;
};

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct count *)data)->fields++;
}

static void
on_row(int c, void *data)
{
	(void)c;
	((struct count *)data)->rows++;
}

int
main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct csv_parser p;
	struct count n = { 0, 0 };
	FILE *f;
	size_t got;

	if (argc != 2) {
		fprintf(stderr, "usage: csvfloor FILE\n");
		return 2;
	}
	if (!(f = fopen(argv[1], "rb"))) {
		perror(argv[1]);
		return 1;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fprintf(stderr, "csvfloor: csv_init failed\n");
		return 1;
	}
	while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
		if (csv_parse(&p, buf, got, on_field, on_row, &n) != got) {
			fprintf(stderr, "csvfloor: %s: %s\n", argv[1],
			    csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	if (ferror(f)) {
		perror(argv[1]);
		return 1;
	}
	if (csv_fini(&p, on_field, on_row, &n) != 0) {
		fprintf(stderr, "csvfloor: %s: %s\n", argv[1],
		    csv_strerror(csv_error(&p)));
		return 1;
	}
	csv_free(&p);
	fclose(f);
	printf("%llu %llu\n", n.rows, n.fields);
	return 0;
}
