/*
 * embedded.h — data files compiled into the binary (scripts/gen-embed):
 * the built-in profiles, rules and routes.
 */
#ifndef REACH_EMBEDDED_H
#define REACH_EMBEDDED_H

#include <stddef.h>

struct embedded {
	const char *name;	/* file name without extension */
	const char *text;
};

/* share/reach/profiles/\*.profile, share/reach/rules/{default.rules,
 * prelude.jq}, share/reach/routes/\*.routes */
extern const struct embedded builtin_profiles[];
extern const struct embedded builtin_rules[];
extern const struct embedded builtin_routes[];

/* The entry called name in table, or NULL. */
const char *embedded_find(const struct embedded *table, const char *name);

#endif
