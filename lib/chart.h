/*
 * chart.h — horizontal bar charts as inline SVG, for report pages that
 * must print and open without a network (no script, no external font).
 */
#ifndef REACH_CHART_H
#define REACH_CHART_H

#include <stdio.h>

#define CHART_MAXSERIES 4

struct chart {
	const char *title;
	const char *const *labels;	/* one per bar */
	size_t n;
	/* values[s][i]: series s of bar i, stacked left to right */
	const long long *values[CHART_MAXSERIES];
	const char *series[CHART_MAXSERIES];	/* legend; NULL: none */
	const char *colors[CHART_MAXSERIES];	/* "#c0392b" */
	size_t nseries;
};

/* Write the chart as an <svg> element; -1 on a write error. */
int chart_bars(FILE *fp, const struct chart *c);

#endif
