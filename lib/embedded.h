/*
 * embedded.h — data files compiled into the binary (scripts/gen-embed):
 * the built-in profiles, and whatever else a command ships as text.
 */
#ifndef REACH_EMBEDDED_H
#define REACH_EMBEDDED_H

#include <stddef.h>

struct embedded {
	const char *name;	/* file name without extension */
	const char *text;
};

/* share/reach/profiles/\*.profile */
extern const struct embedded builtin_profiles[];

/* The entry called name in table, or NULL. */
const char *embedded_find(const struct embedded *table, const char *name);

#endif
