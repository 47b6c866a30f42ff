/*
 * conveyor.h — pieces of work done on several threads at once, and
 * handed back in the order they were given.
 *
 * import converts its batches of rows this way: while the records of one
 * batch are written, the next ones are being converted, each by a worker
 * of its own, and no worker waits for another to finish its share.
 */
#ifndef REACH_CONVEYOR_H
#define REACH_CONVEYOR_H

#include <stddef.h>

/* Do item, as worker number worker (0 <= worker < the workers). */
typedef void conveyor_fn(void *ctx, int worker, void *item);

struct conveyor;

/* Up to workers threads (fewer if threads cannot be had: then items are
 * done by conveyor_get, on the caller), holding up to depth items.
 * NULL when out of memory. */
struct conveyor *conveyor_new(int workers, size_t depth, conveyor_fn *fn,
    void *ctx);
int conveyor_workers(const struct conveyor *c);

/* Queue item; 0, or -1 when depth items are queued already. */
int conveyor_put(struct conveyor *c, void *item);

/* The oldest item queued, once it is done (waiting for it); NULL when
 * none is queued. */
void *conveyor_get(struct conveyor *c);

/* Items queued and not yet taken back. */
size_t conveyor_queued(const struct conveyor *c);

void conveyor_free(struct conveyor *c);

#endif
