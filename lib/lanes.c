/*
 * lanes.c — one piece of work split over several threads (lanes.h).
 */
#include <pthread.h>
#include <stdlib.h>

#include "lanes.h"

struct worker {
	struct lanes *l;
	int lane;
	pthread_t thread;
};

struct lanes {
	lane_fn *fn;
	void *ctx;
	int n;
	struct worker *w;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned long round;	/* the work handed out last */
	int busy;		/* threads still at it */
	int quit;
	size_t items;
};

/* The items of lane k when n are split over the lanes. */
static void run_lane(struct lanes *l, int k, size_t n)
{
	size_t per = (n + l->n - 1) / l->n, lo = k * per, hi = lo + per;

	if (lo > n)
		lo = n;
	if (hi > n)
		hi = n;
	if (lo < hi)
		l->fn(l->ctx, k, lo, hi);
}

static void *work(void *p)
{
	struct worker *w = p;
	struct lanes *l = w->l;
	unsigned long seen = 0;
	size_t n;

	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (l->round == seen && !l->quit)
			pthread_cond_wait(&l->go, &l->mu);
		if (l->quit)
			break;
		seen = l->round;
		n = l->items;
		pthread_mutex_unlock(&l->mu);
		run_lane(l, w->lane, n);
		pthread_mutex_lock(&l->mu);
		if (--l->busy == 0)
			pthread_cond_signal(&l->done);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

struct lanes *lanes_new(int n, lane_fn *fn, void *ctx)
{
	struct lanes *l = calloc(1, sizeof *l);
	int k;

	if (l == NULL || (l->w = calloc(n > 1 ? n : 1, sizeof *l->w)) == NULL) {
		free(l);
		return NULL;
	}
	l->fn = fn;
	l->ctx = ctx;
	l->n = 1;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->go, NULL);
	pthread_cond_init(&l->done, NULL);
	for (k = 1; k < n; k++) {
		l->w[k] = (struct worker){ l, k, 0 };
		if (pthread_create(&l->w[k].thread, NULL, work, &l->w[k]) != 0)
			break;
		l->n++;
	}
	return l;
}

int lanes_count(const struct lanes *l)
{
	return l->n;
}

void lanes_run(struct lanes *l, size_t n)
{
	pthread_mutex_lock(&l->mu);
	l->items = n;
	l->busy = l->n - 1;
	l->round++;
	pthread_cond_broadcast(&l->go);
	pthread_mutex_unlock(&l->mu);
	run_lane(l, 0, n);
	pthread_mutex_lock(&l->mu);
	while (l->busy > 0)
		pthread_cond_wait(&l->done, &l->mu);
	pthread_mutex_unlock(&l->mu);
}

void lanes_free(struct lanes *l)
{
	int k;

	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	l->quit = 1;
	pthread_cond_broadcast(&l->go);
	pthread_mutex_unlock(&l->mu);
	for (k = 1; k < l->n; k++)
		pthread_join(l->w[k].thread, NULL);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->go);
	pthread_cond_destroy(&l->done);
	free(l->w);
	free(l);
}
