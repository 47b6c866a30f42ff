/*
 * fuzz_ndjson.c — the NDJSON reader on any bytes: every line is a record
 * or an error with file:line, never a crash, and each record is written
 * back out (to nowhere) as the commands do.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "ndjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_reader *r;
	enum nd_status st;
	char err[512];
	const char *raw;
	size_t len;
	FILE *fp, *out;
	jv v;

	if (size == 0)
		return 0;
	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	out = fopen("/dev/null", "w");
	r = nd_open(fp, "fuzz.ndjson");
	while ((st = nd_next(r, &v, err, sizeof err)) != ND_EOF &&
	    st != ND_IOERR) {
		raw = nd_raw(r, &len);
		(void)raw;
		if (st == ND_BAD) {
			/* the message must name the line */
			if (strstr(err, "fuzz.ndjson:") != err)
				__builtin_trap();
			continue;
		}
		if (out)
			nd_write(out, v);
		else
			jv_free(v);
	}
	nd_free(r);
	if (out)
		fclose(out);
	fclose(fp);
	return 0;
}
