/*
 * test_lanes.c — work split over threads: every item once, every round.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lanes.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

#define MAX_ITEMS 1000

struct tally {
	int seen[MAX_ITEMS];
	int lane_of[MAX_ITEMS];
};

static void count(void *ctx, int lane, size_t lo, size_t hi)
{
	struct tally *t = ctx;
	size_t i;

	for (i = lo; i < hi; i++) {
		t->seen[i]++;
		t->lane_of[i] = lane;
	}
}

static void every_item_once_in_every_round(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 999, 1000 };
	struct tally t;
	struct lanes *l = lanes_new(4, count, &t);
	size_t r, i;

	assert_non_null(l);
	assert_int_equal(lanes_count(l), 4);
	for (r = 0; r < sizeof sizes / sizeof *sizes; r++) {
		memset(&t, 0, sizeof t);
		lanes_run(l, sizes[r]);
		for (i = 0; i < MAX_ITEMS; i++)
			assert_int_equal(t.seen[i], i < sizes[r]);
	}
	lanes_free(l);
}

static void runs_are_in_lane_order(void **state)
{
	struct tally t = { { 0 }, { 0 } };
	struct lanes *l = lanes_new(3, count, &t);
	size_t i;

	lanes_run(l, 100);
	/* lane 0 has the first items: the caller puts results back in
	 * order by walking the items */
	for (i = 1; i < 100; i++)
		assert_true(t.lane_of[i] >= t.lane_of[i - 1]);
	assert_int_equal(t.lane_of[0], 0);
	assert_int_equal(t.lane_of[99], 2);
	lanes_free(l);
}

static void one_lane_runs_on_the_caller(void **state)
{
	struct tally t = { { 0 }, { 0 } };
	struct lanes *l = lanes_new(1, count, &t);

	assert_int_equal(lanes_count(l), 1);
	lanes_run(l, 10);
	assert_int_equal(t.seen[9], 1);
	lanes_free(l);
	lanes_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_item_once_in_every_round),
		cmocka_unit_test(runs_are_in_lane_order),
		cmocka_unit_test(one_lane_runs_on_the_caller),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
