/*
 * conveyor.c — work done on several threads, handed back in order
 * (conveyor.h).
 *
 * The items sit in a ring: head is the oldest, the next one to hand
 * back; claim the first no worker has started; tail where the next goes.
 */
#include <pthread.h>
#include <stdlib.h>

#include "conveyor.h"

struct slot {
	void *item;
	int done;
};

struct worker {
	struct conveyor *c;
	int id;
	pthread_t thread;
};

struct conveyor {
	conveyor_fn *fn;
	void *ctx;
	struct slot *ring;
	size_t depth, head, claim, tail;	/* counts; ring index % depth */
	struct worker *w;
	int nworkers, quit;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
};

static void *work(void *p)
{
	struct worker *w = p;
	struct conveyor *c = w->c;
	struct slot *s;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (c->claim == c->tail && !c->quit)
			pthread_cond_wait(&c->work, &c->mu);
		if (c->quit)
			break;
		s = &c->ring[c->claim++ % c->depth];
		pthread_mutex_unlock(&c->mu);
		c->fn(c->ctx, w->id, s->item);
		pthread_mutex_lock(&c->mu);
		s->done = 1;
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct conveyor *conveyor_new(int workers, size_t depth, conveyor_fn *fn,
    void *ctx)
{
	struct conveyor *c = calloc(1, sizeof *c);
	int k;

	if (c == NULL || workers < 1 || depth < 1 ||
	    (c->ring = calloc(depth, sizeof *c->ring)) == NULL ||
	    (c->w = calloc(workers, sizeof *c->w)) == NULL) {
		if (c)
			free(c->ring);
		free(c);
		return NULL;
	}
	c->fn = fn;
	c->ctx = ctx;
	c->depth = depth;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->work, NULL);
	pthread_cond_init(&c->done, NULL);
	for (k = 0; k < workers; k++) {
		c->w[k] = (struct worker){ c, k, 0 };
		if (pthread_create(&c->w[k].thread, NULL, work, &c->w[k]) != 0)
			break;
		c->nworkers++;
	}
	return c;
}

int conveyor_workers(const struct conveyor *c)
{
	return c->nworkers ? c->nworkers : 1;
}

int conveyor_put(struct conveyor *c, void *item)
{
	pthread_mutex_lock(&c->mu);
	if (c->tail - c->head == c->depth) {
		pthread_mutex_unlock(&c->mu);
		return -1;
	}
	c->ring[c->tail++ % c->depth] = (struct slot){ item, 0 };
	pthread_cond_signal(&c->work);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

void *conveyor_get(struct conveyor *c)
{
	struct slot *s;
	void *item;

	pthread_mutex_lock(&c->mu);
	if (c->head == c->tail) {
		pthread_mutex_unlock(&c->mu);
		return NULL;
	}
	s = &c->ring[c->head % c->depth];
	if (c->nworkers == 0 && !s->done) {
		/* no threads: the caller does the work, in order */
		c->claim++;
		pthread_mutex_unlock(&c->mu);
		c->fn(c->ctx, 0, s->item);
		pthread_mutex_lock(&c->mu);
		s->done = 1;
	}
	while (!s->done)
		pthread_cond_wait(&c->done, &c->mu);
	item = s->item;
	c->head++;
	pthread_mutex_unlock(&c->mu);
	return item;
}

size_t conveyor_queued(const struct conveyor *c)
{
	return c->tail - c->head;
}

void conveyor_free(struct conveyor *c)
{
	int k;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->quit = 1;
	pthread_cond_broadcast(&c->work);
	pthread_mutex_unlock(&c->mu);
	for (k = 0; k < c->nworkers; k++)
		pthread_join(c->w[k].thread, NULL);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->work);
	pthread_cond_destroy(&c->done);
	free(c->ring);
	free(c->w);
	free(c);
}
