/*
 * strpool.c — open-addressing intern table (see strpool.h).
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "buf.h"
#include "strpool.h"

struct strpool {
	struct buf text;	/* NUL-separated strings */
	size_t *off;		/* id → offset in text */
	uint32_t *count;
	uint32_t n, cap;	/* ids in use (id 0 unused), capacity */
	uint32_t *slot;		/* hash slots holding ids, 0 = empty */
	size_t nslot;
	uint64_t total;
};

struct strpool *sp_new(void)
{
	struct strpool *sp = calloc(1, sizeof *sp);

	if (sp == NULL)
		return NULL;
	sp->n = 1;
	sp->nslot = 1024;
	sp->slot = calloc(sp->nslot, sizeof *sp->slot);
	if (sp->slot == NULL) {
		free(sp);
		return NULL;
	}
	return sp;
}

void sp_free(struct strpool *sp)
{
	if (sp == NULL)
		return;
	buf_free(&sp->text);
	free(sp->off);
	free(sp->count);
	free(sp->slot);
	free(sp);
}

static size_t find_slot(const struct strpool *sp, const char *s, size_t n)
{
	size_t mask = sp->nslot - 1, i = XXH3_64bits(s, n) & mask;
	uint32_t id;

	while ((id = sp->slot[i]) != 0) {
		const char *t = sp->text.data + sp->off[id];

		if (strncmp(t, s, n) == 0 && t[n] == '\0')
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static int rehash(struct strpool *sp)
{
	uint32_t *old = sp->slot, id;
	size_t oldn = sp->nslot, i;

	sp->nslot *= 2;
	if ((sp->slot = calloc(sp->nslot, sizeof *sp->slot)) == NULL) {
		sp->slot = old, sp->nslot = oldn;
		return -1;
	}
	for (i = 0; i < oldn; i++)
		if ((id = old[i]) != 0) {
			const char *t = sp->text.data + sp->off[id];

			sp->slot[find_slot(sp, t, strlen(t))] = id;
		}
	free(old);
	return 0;
}

uint32_t sp_intern(struct strpool *sp, const char *s, size_t n, int count)
{
	size_t i;
	uint32_t id;

	if (n == 0)
		return 0;
	i = find_slot(sp, s, n);
	if ((id = sp->slot[i]) == 0) {
		if (sp->n >= sp->cap) {
			uint32_t cap = sp->cap ? sp->cap * 2 : 1024;
			size_t *off = realloc(sp->off, cap * sizeof *off);
			uint32_t *cnt = off ? realloc(sp->count, cap * sizeof *cnt) : NULL;

			if (cnt == NULL)
				return 0;
			sp->off = off, sp->count = cnt, sp->cap = cap;
		}
		id = sp->n++;
		sp->off[id] = sp->text.len;
		sp->count[id] = 0;
		if (buf_add(&sp->text, s, n) < 0 || buf_addc(&sp->text, '\0') < 0)
			return 0;
		sp->slot[i] = id;
		if (sp->n * 2 > sp->nslot && rehash(sp) < 0)
			return 0;
	}
	sp->count[id] += count;
	sp->total += count;
	return id;
}

uint32_t sp_lookup(const struct strpool *sp, const char *s, size_t n)
{
	return n ? sp->slot[find_slot(sp, s, n)] : 0;
}

const char *sp_str(const struct strpool *sp, uint32_t id)
{
	return id ? sp->text.data + sp->off[id] : "";
}

uint32_t sp_count(const struct strpool *sp, uint32_t id)
{
	return id ? sp->count[id] : 0;
}

uint64_t sp_total(const struct strpool *sp)
{
	return sp->total;
}
