/*
 * chart.c — inline SVG bar charts (see chart.h).
 */
#include "chart.h"
#include "table.h"

enum { WIDTH = 640, LABEL = 150, ROW = 22, BAR = 16, TOP = 30 };

static void legend(FILE *fp, const struct chart *c)
{
	size_t s;
	int x = LABEL;

	for (s = 0; s < c->nseries; s++) {
		if (c->series[s] == NULL)
			continue;
		fprintf(fp, "<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" "
		    "fill=\"%s\"/><text x=\"%d\" y=\"17\">", x, c->colors[s],
		    x + 14);
		tbl_html_escape(fp, c->series[s]);
		fputs("</text>", fp);
		x += 14 + 13 * 6 + 10;
	}
}

static long long total(const struct chart *c, size_t i)
{
	long long t = 0;
	size_t s;

	for (s = 0; s < c->nseries; s++)
		t += c->values[s][i];
	return t;
}

int chart_bars(FILE *fp, const struct chart *c)
{
	long long max = 1, t;
	double scale, x;
	size_t i, s;
	int y, h = TOP + (int)c->n * ROW + 8;

	for (i = 0; i < c->n; i++)
		if ((t = total(c, i)) > max)
			max = t;
	scale = (WIDTH - LABEL - 60) / (double)max;
	fputs("<figure class=\"chart\"><figcaption>", fp);
	tbl_html_escape(fp, c->title);
	fprintf(fp, "</figcaption>\n<svg "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
	    WIDTH, h, WIDTH, h);
	legend(fp, c);
	for (i = 0; i < c->n; i++) {
		y = TOP + (int)i * ROW;
		fprintf(fp, "\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    LABEL - 8, y + 13);
		tbl_html_escape(fp, c->labels[i]);
		fputs("</text>", fp);
		for (s = 0, x = LABEL; s < c->nseries; s++) {
			if (c->values[s][i] <= 0)
				continue;
			fprintf(fp, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			    "height=\"%d\" fill=\"%s\"/>", x, y, c->values[s][i] *
			    scale, BAR, c->colors[s]);
			x += c->values[s][i] * scale;
		}
		fprintf(fp, "<text x=\"%.1f\" y=\"%d\">%lld</text>", x + 4,
		    y + 13, total(c, i));
	}
	fputs("\n</svg></figure>\n", fp);
	return ferror(fp) ? -1 : 0;
}
