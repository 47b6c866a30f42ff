/*
 * fuzz_rules.c — the rules file parser (rules_load) on any text: a rules
 * file is written by people, and a mistake in it must be a message.
 * (Compiling the jq of the rules is jq's own business, and slow: not
 * fuzzed here.)
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules *r = rules_new();
	char err[512];

	if (r == NULL)
		return 0;
	rules_load(r, (const char *)data, size, "fuzz.rules", err, sizeof err);
	rules_free(r);
	return 0;
}
