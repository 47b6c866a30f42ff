/*
 * fuzz_routes.c — the routes file parser (routes_parse) on any text, and
 * what parses is asked for an office and a due date as reach refer does.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct routes *rt;
	char err[512], office[256], due[11];

	rt = routes_parse((const char *)data, size, "fuzz.routes", err,
	    sizeof err);
	if (rt == NULL)
		return 0;
	routes_office(rt, "龙池镇", office, sizeof office);
	routes_due(rt, "2026-10-09", 0, due);
	routes_due(rt, "2026-10-09", 1, due);
	routes_free(rt);
	return 0;
}
