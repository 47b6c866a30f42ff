/*
 * fuzz_norm.c — the normalisers every cell goes through: ID numbers,
 * dates, months, money, numbers, phones, names, sex, yes/no.  Each must
 * say OK, empty or bad, and what it wrote for OK must be well formed.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "idcard.h"
#include "norm.h"

/* YYYY-MM-DD, and a real day: it survives the trip to days and back */
static void check_date(const char *d)
{
	char back[11];

	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		__builtin_trap();
	date_from_days(date_days(d), back);
	if (strcmp(back, d) != 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *why;
	char id[19], day[11], out[256], buf[32], sex, repairs[8][19];
	long long fen, v;
	int yes;

	if (id_normalize(s, size, "2026-10-31", id) == ID_OK) {
		if (strlen(id) != 18 || id_check_char(id) != id[17])
			__builtin_trap();
		id_birth(id, day);
		id_sex(id);
		id_repairs(id, "2026-10-31", repairs, 8);
	}
	if (size == 18) {
		memcpy(id, s, 18);
		id[18] = '\0';
		if (strlen(id) == 18)
			id_repairs(id, "2026-10-31", repairs, 8);
	}
	if (norm_date(s, size, day, &why) == NORM_OK)
		check_date(day);
	if (norm_month(s, size, day, &why) == NORM_OK)
		check_date(day);
	if (norm_money(s, size, &fen, &why) == NORM_OK)
		money_format(fen, buf);
	norm_int(s, size, &v, &why);
	norm_phone(s, size, out, sizeof out, &why);
	norm_name(s, size, out, sizeof out, &why);
	norm_sex(s, size, &sex, &why);
	norm_bool(s, size, &yes, &why);
	return 0;
}
