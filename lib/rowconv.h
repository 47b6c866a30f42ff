/*
 * rowconv.h — turn one CSV row into one record (JSON text).
 *
 * Given a profile and the header row it matched, each cell is converted
 * by its field's type; a value that does not convert never costs the row:
 * it becomes an entry of the record's "warn" array (code, field, msg),
 * and the text as given is kept where it could matter (id_raw).  Cells
 * no column claims go to "extra" under their header, so nothing is lost.
 */
#ifndef REACH_ROWCONV_H
#define REACH_ROWCONV_H

#include "buf.h"
#include "csvin.h"
#include "profile.h"

struct conv;

/*
 * Prepare conversion of rows under header (ncells cells, as read) with
 * colmap from profile_match.  Borrows p and src_file for its lifetime;
 * as_of ("YYYY-MM-DD" or NULL for today) bounds birth dates.
 */
struct conv *conv_new(const struct profile *p, const struct csv_row *header,
    const int *colmap, const char *src_file, const char *as_of);

/* Append the record of row (as csvin hands out a row that is not bad:
 * every cell valid UTF-8) to out (no newline).  Returns the number of
 * warnings it carries, or -1 when out of memory. */
int conv_row(struct conv *cv, const struct csv_row *row, struct buf *out);

/* The record's valid ID after conv_row ("" when it has none). */
const char *conv_id(const struct conv *cv);

/*
 * The row's own date after conv_row, the date field of its source group
 * (med.last, emp.since, app.last, hot.last, vis.last, dst.date,
 * death.date, prog.since), as "YYYY-MM-DD" in out; 0 when the profile has
 * no such column or the row has no readable date in it.
 */
int conv_date(const struct conv *cv, char out[11]);

void conv_free(struct conv *cv);

/* Whether row is a totals row (合计 / 总计 / 小计 first) or has no text. */
int conv_is_total(const struct csv_row *row);
int conv_is_blank(const struct csv_row *row);

#endif
