/*
 * test_norm.c — the cell normalisers: names, dates, months, money,
 * yes/no, sex, phone numbers, counts and the calendar arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* cmocka hands every test a state pointer these tests have no use for. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#include <limits.h>
#include <string.h>

#include "norm.h"

static const char *why;

static int
name(const char *s, char *out)
{
	return norm_name(s, strlen(s), out, 128, &why);
}

static int
date(const char *s, char out[11])
{
	return norm_date(s, strlen(s), out, &why);
}

static int
month(const char *s, char out[11])
{
	return norm_month(s, strlen(s), out, &why);
}

static int
money(const char *s, long long *fen)
{
	return norm_money(s, strlen(s), fen, &why);
}

/* ---- names ---- */

static void
name_padding_and_han_spaces_go(void **state)
{
	char out[128];

	assert_int_equal(name("  张三 ", out), NORM_OK);
	assert_string_equal(out, "张三");
	assert_int_equal(name("\xe3\x80\x80张\xe3\x80\x80三\xe3\x80\x80", out),
	    NORM_OK);
	assert_string_equal(out, "张三");
	assert_int_equal(name("欧阳  娜娜", out), NORM_OK);
	assert_string_equal(out, "欧阳娜娜");
}

/* Han names as most are written are their own normal form; the limit
 * on length holds for them too. */
static void
name_plain_han_up_to_thirty_characters(void **state)
{
	char in[128] = "", out[128];
	int i;

	assert_int_equal(name("张三", out), NORM_OK);
	assert_string_equal(out, "张三");
	for (i = 0; i < 30; i++)
		strcat(in, "娜");
	assert_int_equal(name(in, out), NORM_OK);
	assert_string_equal(out, in);
	strcat(in, "娜");
	assert_int_equal(name(in, out), NORM_BAD);
	assert_string_equal(why, "name longer than 30 characters");
	/* too long for the caller's buffer is said, not cut */
	assert_int_equal(norm_name("张三", 6, out, 7, &why), NORM_BAD);
}

static void
name_latin_words_keep_one_space(void **state)
{
	char out[128];

	assert_int_equal(name("John   Smith", out), NORM_OK);
	assert_string_equal(out, "John Smith");
	assert_int_equal(name("Ｊｏｈｎ Ｓｍｉｔｈ", out), NORM_OK);
	assert_string_equal(out, "John Smith");
}

static void
name_middle_dots_are_unified(void **state)
{
	static const char *const dots[] = {
		"·", "•", ".", "・", "‧", "･", "．", " · "
	};
	char in[64], out[128];
	size_t i;

	for (i = 0; i < sizeof(dots) / sizeof(dots[0]); i++) {
		strcpy(in, "阿依古丽");
		strcat(in, dots[i]);
		strcat(in, "买买提");
		assert_int_equal(name(in, out), NORM_OK);
		assert_string_equal(out, "阿依古丽\xc2\xb7买买提");
	}
}

static void
name_hyphen_is_no_dot(void **state)
{
	char out[128];

	assert_int_equal(name("Anne-Marie", out), NORM_OK);
	assert_string_equal(out, "Anne-Marie");
}

static void
name_with_digits_or_too_long_is_bad(void **state)
{
	char out[128], in[128];
	int i;

	assert_int_equal(name("张三1", out), NORM_BAD);
	assert_int_equal(name("张三２", out), NORM_BAD);
	assert_string_equal(why, "name contains digits");
	in[0] = '\0';
	for (i = 0; i < 30; i++)
		strcat(in, "a");
	assert_int_equal(name(in, out), NORM_OK);
	strcat(in, "a");
	assert_int_equal(name(in, out), NORM_BAD);
	assert_string_equal(why, "name longer than 30 characters");
}

static void
name_stray_dot_is_bad(void **state)
{
	char out[128];

	assert_int_equal(name("·买买提", out), NORM_BAD);
	assert_int_equal(name("买买提.", out), NORM_BAD);
}

static void
name_empty_and_small_buffer(void **state)
{
	char out[4];

	assert_int_equal(name("   ", out), NORM_EMPTY);
	assert_int_equal(name("-", out), NORM_EMPTY);
	assert_int_equal(norm_name("张三", 6, out, sizeof(out), &why),
	    NORM_BAD);
	assert_int_equal(norm_name("\xff", 1, out, sizeof(out), &why),
	    NORM_BAD);
}

/* ---- dates ---- */

static void
date_every_written_form(void **state)
{
	static const char *const forms[] = {
		"2023-05-01", "2023/5/1", "2023.5.1", "2023年5月1日",
		"2023年05月01日", "20230501", "45047", " 2023-5-1 ",
		"２０２３－０５－０１", "2023年5月1号",
	};
	char out[11];
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		assert_int_equal(date(forms[i], out), NORM_OK);
		assert_string_equal(out, "2023-05-01");
	}
}

static void
date_trailing_time_is_dropped(void **state)
{
	char out[11];

	assert_int_equal(date("2023-05-01 14:30:00", out), NORM_OK);
	assert_string_equal(out, "2023-05-01");
	assert_int_equal(date("2023/5/1 9:05", out), NORM_OK);
	assert_string_equal(out, "2023-05-01");
	assert_int_equal(date("2023-05-01T14:30:00.123", out), NORM_OK);
	assert_int_equal(date("45047.604166", out), NORM_OK);
	assert_string_equal(out, "2023-05-01");
	assert_int_equal(date("2023-05-01 25:00", out), NORM_BAD);
	assert_int_equal(date("2023-05-01 abc", out), NORM_BAD);
}

static void
date_leap_years(void **state)
{
	char out[11];

	assert_int_equal(date("2000-02-29", out), NORM_OK);
	assert_int_equal(date("2024-02-29", out), NORM_OK);
	assert_int_equal(date("1900-02-29", out), NORM_BAD);
	assert_int_equal(date("2023-02-29", out), NORM_BAD);
	assert_string_equal(why, "no such day in that month");
}

static void
date_impossible_is_bad_with_reason(void **state)
{
	char out[11];

	assert_int_equal(date("2023-02-30", out), NORM_BAD);
	assert_string_equal(why, "no such day in that month");
	assert_int_equal(date("2023-13-01", out), NORM_BAD);
	assert_string_equal(why, "month out of range");
	assert_int_equal(date("2023-04-31", out), NORM_BAD);
	assert_int_equal(date("20230230", out), NORM_BAD);
	assert_int_equal(date("0023-05-01", out), NORM_BAD);
	/* the short ASCII forms say why as the others do */
	assert_int_equal(date("2023/13/1", out), NORM_BAD);
	assert_string_equal(why, "month out of range");
	assert_int_equal(date("2023.2.30", out), NORM_BAD);
	assert_string_equal(why, "no such day in that month");
	assert_int_equal(date("20231301", out), NORM_BAD);
	assert_string_equal(why, "month out of range");
}

static void
date_ambiguous_forms_are_bad(void **state)
{
	char out[11];

	assert_int_equal(date("5/1/2023", out), NORM_BAD);
	assert_int_equal(date("23-5-1", out), NORM_BAD);
	assert_int_equal(date("2023-5/1", out), NORM_BAD);
	assert_int_equal(date("2023", out), NORM_BAD);
	assert_int_equal(date("昨天", out), NORM_BAD);
}

static void
date_excel_serials(void **state)
{
	char out[11];

	assert_int_equal(date("45047", out), NORM_OK);
	assert_string_equal(out, "2023-05-01");
	assert_int_equal(date("25569", out), NORM_OK);
	assert_string_equal(out, "1970-01-01");
	assert_int_equal(date("367", out), NORM_OK);
	assert_string_equal(out, "1901-01-01");
	/* Sanity rule: only 3..5-digit serials. */
	assert_int_equal(date("12", out), NORM_BAD);
	assert_int_equal(date("450470", out), NORM_BAD);
}

static void
date_empty_cells(void **state)
{
	char out[11];

	assert_int_equal(date("", out), NORM_EMPTY);
	assert_int_equal(date(" \xe3\x80\x80", out), NORM_EMPTY);
	assert_int_equal(date("-", out), NORM_EMPTY);
	assert_int_equal(date("/", out), NORM_EMPTY);
}

static void
month_forms(void **state)
{
	static const char *const forms[] = {
		"2023-05", "2023/5", "2023年5月", "202305", "2023-05-17",
		"2023年5月17日", "45047", "2023.5",
	};
	char out[11];
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		assert_int_equal(month(forms[i], out), NORM_OK);
		assert_string_equal(out, "2023-05-01");
	}
	assert_int_equal(month("2023-13", out), NORM_BAD);
	assert_int_equal(month("202313", out), NORM_BAD);
	assert_int_equal(month("", out), NORM_EMPTY);
}

/* ---- calendar ---- */

static void
date_days_round_trip(void **state)
{
	char out[11];
	long d;

	assert_int_equal(date_days("1970-01-01"), 0);
	assert_int_equal(date_days("2023-05-01"), 19478);
	assert_int_equal(date_days("1969-12-31"), -1);
	assert_int_equal(date_days("2000-03-01") - date_days("2000-02-28"), 2);
	assert_int_equal(date_days("1900-03-01") - date_days("1900-02-28"), 1);
	for (d = date_days("1899-01-01"); d < date_days("2101-01-01"); d++) {
		date_from_days(d, out);
		assert_int_equal(date_days(out), d);
	}
	assert_true(date_days("2023-02-29") == LONG_MIN);
	assert_true(date_days("2023-5-1") == LONG_MIN);
}

static void
date_valid_knows_month_lengths(void **state)
{
	assert_true(date_valid(2023, 1, 31));
	assert_false(date_valid(2023, 4, 31));
	assert_true(date_valid(2023, 12, 31));
	assert_false(date_valid(2023, 12, 32));
	assert_false(date_valid(2023, 0, 1));
	assert_true(date_valid(2400, 2, 29));
	assert_false(date_valid(2100, 2, 29));
}

static void
date_today_is_a_date(void **state)
{
	char out[11];

	date_today(out);
	assert_int_equal(strlen(out), 10);
	assert_true(date_days(out) > date_days("2024-01-01"));
}

/* ---- money ---- */

static void
money_written_forms(void **state)
{
	long long fen;

	assert_int_equal(money("12345.6", &fen), NORM_OK);
	assert_int_equal(fen, 1234560);
	assert_int_equal(money("12,345.60", &fen), NORM_OK);
	assert_int_equal(fen, 1234560);
	assert_int_equal(money("¥12345", &fen), NORM_OK);
	assert_int_equal(fen, 1234500);
	assert_int_equal(money("￥12,345", &fen), NORM_OK);
	assert_int_equal(fen, 1234500);
	assert_int_equal(money("12345元", &fen), NORM_OK);
	assert_int_equal(fen, 1234500);
	assert_int_equal(money("１２３４５．６", &fen), NORM_OK);
	assert_int_equal(fen, 1234560);
	assert_int_equal(money("0.05", &fen), NORM_OK);
	assert_int_equal(fen, 5);
}

static void
money_wan_is_exact(void **state)
{
	long long fen;

	assert_int_equal(money("1.2万", &fen), NORM_OK);
	assert_int_equal(fen, 1200000);
	assert_int_equal(money("1.234567万元", &fen), NORM_OK);
	assert_int_equal(fen, 1234567);
	assert_int_equal(money("1.2345678万", &fen), NORM_BAD);
	assert_string_equal(why, "more than two decimal places");
}

static void
money_negative_and_empty(void **state)
{
	long long fen;

	assert_int_equal(money("-12.5", &fen), NORM_OK);
	assert_int_equal(fen, -1250);
	assert_int_equal(money("¥-3", &fen), NORM_OK);
	assert_int_equal(fen, -300);
	assert_int_equal(money("-", &fen), NORM_EMPTY);
	assert_int_equal(money("", &fen), NORM_EMPTY);
}

static void
money_bad_forms(void **state)
{
	long long fen;

	assert_int_equal(money("12.345", &fen), NORM_BAD);
	assert_int_equal(money("1,2345", &fen), NORM_BAD);
	assert_int_equal(money("12,34.5", &fen), NORM_BAD);
	assert_int_equal(money("abc", &fen), NORM_BAD);
	assert_int_equal(money("12元5角", &fen), NORM_BAD);
	assert_int_equal(money(".", &fen), NORM_BAD);
	assert_int_equal(money("99999999999999999999", &fen), NORM_BAD);
	/* Trailing zeros are not extra precision. */
	assert_int_equal(money("12.3400", &fen), NORM_OK);
	assert_int_equal(fen, 1234);
}

static void
money_format_drops_needless_zeros(void **state)
{
	char buf[32];

	assert_int_equal(money_format(1234560, buf), 7);
	assert_string_equal(buf, "12345.6");
	money_format(100, buf);
	assert_string_equal(buf, "1");
	money_format(5, buf);
	assert_string_equal(buf, "0.05");
	money_format(-250, buf);
	assert_string_equal(buf, "-2.5");
	money_format(0, buf);
	assert_string_equal(buf, "0");
	money_format(LLONG_MIN, buf);
	assert_string_equal(buf, "-92233720368547758.08");
}

/* Amounts written plainly are taken from their text: what comes out
 * is what money_format writes for norm_money's value, and any other
 * form is left to norm_money. */
static void
money_plain_agrees_with_norm_money(void **state)
{
	static const char *const plain[] = {
		"0", "7", "1234", "1234.5", "1234.50", "1234.56", "0.00",
		"0.05", "10.0", "100.10", "999999999999999.99"
	};
	static const char *const other[] = {
		"", "007", "00.5", "1,234.00", "-5", "1234.", ".5", "1.234",
		"1234.5x", "¥12", "1e5", "1234567890123456"
	};
	char a[64], b[64];
	long long fen;
	size_t i;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		assert_int_equal(money(plain[i], &fen), NORM_OK);
		money_format(fen, b);
		assert_int_equal(money_plain(plain[i], strlen(plain[i]), a),
		    strlen(b));
		assert_string_equal(a, b);
	}
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_int_equal(money_plain(other[i], strlen(other[i]), a), 0);
}

/* ---- yes/no, sex ---- */

static void
bool_words(void **state)
{
	static const char *const yes[] = {
		"是", "Y", "y", "yes", "YES", "true", "1", "√", "✓", "有", "１"
	};
	static const char *const no[] = {
		"否", "N", "n", "no", "false", "0", "×", "无"
	};
	size_t i;
	int v;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = -1;
		assert_int_equal(norm_bool(yes[i], strlen(yes[i]), &v, &why),
		    NORM_OK);
		assert_int_equal(v, 1);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		v = -1;
		assert_int_equal(norm_bool(no[i], strlen(no[i]), &v, &why),
		    NORM_OK);
		assert_int_equal(v, 0);
	}
	assert_int_equal(norm_bool("", 0, &v, &why), NORM_EMPTY);
	assert_int_equal(norm_bool("maybe", 5, &v, &why), NORM_BAD);
	assert_int_equal(norm_bool("2", 1, &v, &why), NORM_BAD);
}

static void
sex_words(void **state)
{
	static const char *const male[] = { "男", "M", "m", "1", "男性" };
	static const char *const female[] = { "女", "F", "f", "2", "女性" };
	size_t i;
	char sex;

	for (i = 0; i < 5; i++) {
		assert_int_equal(norm_sex(male[i], strlen(male[i]), &sex, &why),
		    NORM_OK);
		assert_int_equal(sex, 'M');
		assert_int_equal(norm_sex(female[i], strlen(female[i]), &sex,
		    &why), NORM_OK);
		assert_int_equal(sex, 'F');
	}
	assert_int_equal(norm_sex(" ", 1, &sex, &why), NORM_EMPTY);
	assert_int_equal(norm_sex("9", 1, &sex, &why), NORM_BAD);
	assert_int_equal(norm_sex("x", 1, &sex, &why), NORM_BAD);
}

/* ---- phone ---- */

static int
phone(const char *s, char *out)
{
	return norm_phone(s, strlen(s), out, 32, &why);
}

static void
phone_mobile(void **state)
{
	char out[32];

	assert_int_equal(phone("13812345678", out), NORM_OK);
	assert_string_equal(out, "13812345678");
	assert_int_equal(phone("138 1234 5678", out), NORM_OK);
	assert_string_equal(out, "13812345678");
	assert_int_equal(phone("+86 138-1234-5678", out), NORM_OK);
	assert_string_equal(out, "13812345678");
	assert_int_equal(phone("008613812345678", out), NORM_OK);
	assert_string_equal(out, "13812345678");
	assert_int_equal(phone("12812345678", out), NORM_BAD);
	assert_int_equal(phone("1381234567", out), NORM_BAD);
}

static void
phone_landline(void **state)
{
	char out[32];

	assert_int_equal(phone("023-76612345", out), NORM_OK);
	assert_string_equal(out, "023-76612345");
	assert_int_equal(phone("02376612345", out), NORM_OK);
	assert_string_equal(out, "023-76612345");
	assert_int_equal(phone("(0731)1234567", out), NORM_OK);
	assert_string_equal(out, "0731-1234567");
	assert_int_equal(phone("+86 23 7661 2345", out), NORM_OK);
	assert_string_equal(out, "023-76612345");
	assert_int_equal(phone("76612345", out), NORM_OK);
	assert_string_equal(out, "76612345");
	assert_int_equal(phone("0237-6612345", out), NORM_BAD);
	assert_int_equal(phone("023-766123", out), NORM_BAD);
	assert_int_equal(phone("023-76612345-801", out), NORM_BAD);
	assert_int_equal(phone("电话13812345678", out), NORM_BAD);
	assert_int_equal(phone("-", out), NORM_EMPTY);
}

/* ---- whole numbers ---- */

static void
int_forms(void **state)
{
	long long v;

	assert_int_equal(norm_int("12", 2, &v, &why), NORM_OK);
	assert_int_equal(v, 12);
	assert_int_equal(norm_int("1,234", 5, &v, &why), NORM_OK);
	assert_int_equal(v, 1234);
	assert_int_equal(norm_int("3人", strlen("3人"), &v, &why), NORM_OK);
	assert_int_equal(v, 3);
	assert_int_equal(norm_int("4 次", strlen("4 次"), &v, &why), NORM_OK);
	assert_int_equal(v, 4);
	assert_int_equal(norm_int("-7", 2, &v, &why), NORM_OK);
	assert_int_equal(v, -7);
	assert_int_equal(norm_int("5.0", 3, &v, &why), NORM_OK);
	assert_int_equal(v, 5);
	assert_int_equal(norm_int("5.5", 3, &v, &why), NORM_BAD);
	assert_int_equal(norm_int("三", strlen("三"), &v, &why), NORM_BAD);
	assert_int_equal(norm_int("3kg", 3, &v, &why), NORM_BAD);
	assert_int_equal(norm_int("", 0, &v, &why), NORM_EMPTY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_padding_and_han_spaces_go),
		cmocka_unit_test(name_plain_han_up_to_thirty_characters),
		cmocka_unit_test(name_latin_words_keep_one_space),
		cmocka_unit_test(name_middle_dots_are_unified),
		cmocka_unit_test(name_hyphen_is_no_dot),
		cmocka_unit_test(name_with_digits_or_too_long_is_bad),
		cmocka_unit_test(name_stray_dot_is_bad),
		cmocka_unit_test(name_empty_and_small_buffer),
		cmocka_unit_test(date_every_written_form),
		cmocka_unit_test(date_trailing_time_is_dropped),
		cmocka_unit_test(date_leap_years),
		cmocka_unit_test(date_impossible_is_bad_with_reason),
		cmocka_unit_test(date_ambiguous_forms_are_bad),
		cmocka_unit_test(date_excel_serials),
		cmocka_unit_test(date_empty_cells),
		cmocka_unit_test(month_forms),
		cmocka_unit_test(date_days_round_trip),
		cmocka_unit_test(date_valid_knows_month_lengths),
		cmocka_unit_test(date_today_is_a_date),
		cmocka_unit_test(money_written_forms),
		cmocka_unit_test(money_wan_is_exact),
		cmocka_unit_test(money_negative_and_empty),
		cmocka_unit_test(money_bad_forms),
		cmocka_unit_test(money_format_drops_needless_zeros),
		cmocka_unit_test(money_plain_agrees_with_norm_money),
		cmocka_unit_test(bool_words),
		cmocka_unit_test(sex_words),
		cmocka_unit_test(phone_mobile),
		cmocka_unit_test(phone_landline),
		cmocka_unit_test(int_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
