/*
 * lanes.h — one piece of work split over several threads, over and over.
 *
 * import converts each batch of rows this way: the rows are cut into as
 * many runs as there are lanes, lane 0 runs on the caller, the others on
 * threads that wait for the next batch instead of being started anew for
 * each one.  The caller puts the results back in order.
 */
#ifndef REACH_LANES_H
#define REACH_LANES_H

#include <stddef.h>

/* Work on items [lo, hi) as lane number lane. */
typedef void lane_fn(void *ctx, int lane, size_t lo, size_t hi);

struct lanes;

/* Up to n lanes (fewer if threads cannot be had; at least 1).  NULL
 * when out of memory. */
struct lanes *lanes_new(int n, lane_fn *fn, void *ctx);
int lanes_count(const struct lanes *l);

/* fn over [0, n), each lane a run of it; returns when all are done. */
void lanes_run(struct lanes *l, size_t n);

void lanes_free(struct lanes *l);

#endif
