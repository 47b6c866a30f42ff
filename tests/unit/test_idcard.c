/*
 * test_idcard.c — citizen ID validation, cleaning, Excel damage and
 * repair suggestions.  Every ID here is synthetic (region 500241, check
 * character computed by id_check_char); none belongs to a person.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* cmocka hands every test a state pointer these tests have no use for. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#include <string.h>

#include "idcard.h"

#define AS_OF	"2025-06-01"

/* A valid ID from its first 17 digits. */
static const char *
make_id(const char *first17, char out[19])
{
	memcpy(out, first17, 17);
	out[17] = id_check_char(first17);
	out[18] = '\0';
	return out;
}

static enum id_status
norm(const char *s, char out[19])
{
	return id_normalize(s, strlen(s), AS_OF, out);
}

static void
valid_18_digit_id_is_ok(void **state)
{
	char id[19], out[19];

	make_id("50024119900101123", id);
	assert_int_equal(norm(id, out), ID_OK);
	assert_string_equal(out, id);
	assert_string_equal(id, "500241199001011236");
}

static void
wrong_check_digit_is_refused(void **state)
{
	char out[19];

	assert_int_equal(norm("500241199001011237", out), ID_BAD_CHECK);
	assert_string_equal(out, "500241199001011237");
}

/* An ID whose check character is X, found by varying the sequence. */
static void
id_with_check_x(char id[19])
{
	char first17[18] = "50024119850315000";
	int seq;

	for (seq = 0; seq < 1000; seq++) {
		first17[14] = '0' + seq / 100;
		first17[15] = '0' + seq / 10 % 10;
		first17[16] = '0' + seq % 10;
		if (id_check_char(first17) == 'X')
			break;
	}
	make_id(first17, id);
	assert_int_equal(id[17], 'X');
}

static void
lowercase_and_fullwidth_x_are_upper_cased(void **state)
{
	char id[19], in[64], out[19];

	id_with_check_x(id);
	strcpy(in, id);
	in[17] = 'x';
	assert_int_equal(norm(in, out), ID_OK);
	assert_string_equal(out, id);
	strcpy(in + 17, "ｘ");
	assert_int_equal(norm(in, out), ID_OK);
	assert_string_equal(out, id);
	strcpy(in + 17, "Ｘ");
	assert_int_equal(norm(in, out), ID_OK);
	assert_string_equal(out, id);
}

static void
fullwidth_digits_and_spaces_are_folded(void **state)
{
	char out[19];

	assert_int_equal(norm("５００２４１１９９００１０１１２３６", out), ID_OK);
	assert_string_equal(out, "500241199001011236");
	assert_int_equal(norm("\t500241 19900101 1236\xe3\x80\x80 ", out),
	    ID_OK);
	assert_string_equal(out, "500241199001011236");
}

static void
leading_apostrophe_is_dropped(void **state)
{
	char out[19];

	assert_int_equal(norm("'500241199001011236", out), ID_OK);
	assert_int_equal(norm("\xe2\x80\x98" "500241199001011236", out), ID_OK);
	assert_int_equal(norm("\xe2\x80\x99" "500241199001011236", out), ID_OK);
	assert_string_equal(out, "500241199001011236");
	/* Only one, only at the start. */
	assert_int_equal(norm("''500241199001011236", out), ID_BAD_CHAR);
	assert_int_equal(norm("500241199001011236'", out), ID_BAD_CHAR);
}

static void
leap_days(void **state)
{
	char id[19], out[19];

	assert_int_equal(norm(make_id("50024120000229123", id), out), ID_OK);
	assert_int_equal(norm(make_id("50024120240229002", id), out), ID_OK);
	assert_int_equal(norm(make_id("50024119000229123", id), out),
	    ID_BAD_DATE);
	assert_int_equal(norm(make_id("50024120230229123", id), out),
	    ID_BAD_DATE);
}

static void
impossible_dates_are_refused(void **state)
{
	char id[19], out[19];

	assert_int_equal(norm(make_id("50024119900431123", id), out),
	    ID_BAD_DATE);
	assert_int_equal(norm(make_id("50024119901301123", id), out),
	    ID_BAD_DATE);
	assert_int_equal(norm(make_id("50024119900100123", id), out),
	    ID_BAD_DATE);
	assert_int_equal(norm(make_id("50024118991231123", id), out),
	    ID_BAD_DATE);
}

static void
future_birth_date_is_refused(void **state)
{
	char id[19], out[19];

	assert_int_equal(norm(make_id("50024120300101123", id), out),
	    ID_FUTURE);
	assert_int_equal(norm(make_id("50024120250602123", id), out),
	    ID_FUTURE);
	/* Born on the reference day is not the future. */
	assert_int_equal(norm(make_id("50024120250601123", id), out), ID_OK);
}

static void
null_as_of_means_today(void **state)
{
	char id[19], out[19];

	make_id("50024119900101123", id);
	assert_int_equal(id_normalize(id, 18, NULL, out), ID_OK);
	make_id("50024129990101123", id);
	assert_int_equal(id_normalize(id, 18, NULL, out), ID_FUTURE);
}

static void
fifteen_digit_id_is_widened(void **state)
{
	char out[19];

	assert_int_equal(norm("500241900101123", out), ID_OK);
	assert_string_equal(out, "500241199001011236");
	assert_int_equal(out[17], id_check_char("50024119900101123"));
	assert_int_equal(norm("500241900230123", out), ID_BAD_DATE);
	assert_string_equal(out, "500241900230123");
	assert_int_equal(norm("50024190010112X", out), ID_BAD_CHAR);
}

static void
birth_and_sex_are_derived(void **state)
{
	char id[19], birth[11];

	make_id("50024119880808001", id);
	id_birth(id, birth);
	assert_string_equal(birth, "1988-08-08");
	assert_int_equal(id_sex(id), 'M');
	make_id("50024119880808002", id);
	assert_int_equal(id_sex(id), 'F');
}

static void
excel_scientific_notation_is_named(void **state)
{
	char out[19];

	assert_int_equal(norm("5.00241E+17", out), ID_EXCEL_SCI);
	assert_int_equal(norm("5.00241199001011E+17", out), ID_EXCEL_SCI);
	assert_int_equal(norm("5.002E17", out), ID_EXCEL_SCI);
	assert_int_equal(norm("5.00241e+17", out), ID_EXCEL_SCI);
	assert_string_equal(out, "5.00241e+17");
}

static void
excel_zeroed_digits_are_named(void **state)
{
	char out[19];

	/* Its real check character would be 9, so 000 cannot be right. */
	assert_int_equal(id_check_char("50024119900101100"), '9');
	assert_int_equal(norm("500241199001011000", out), ID_EXCEL_ZEROED);
	assert_string_equal(out, "500241199001011000");
}

static void
id_ending_000_that_passes_is_ok(void **state)
{
	char first17[18] = "50024119900101000", out[19];
	int day;

	for (day = 1; day <= 28; day++) {
		first17[12] = '0' + day / 10;
		first17[13] = '0' + day % 10;
		if (id_check_char(first17) == '0')
			break;
	}
	assert_true(day <= 28);
	make_id(first17, out);
	assert_int_equal(norm(out, out), ID_OK);
}

static void
bad_characters_and_lengths(void **state)
{
	char out[19];

	assert_int_equal(norm("50024119900101123A", out), ID_BAD_CHAR);
	assert_int_equal(norm("5002411990X101123X", out), ID_BAD_CHAR);
	assert_int_equal(norm("500241-19900101-1236", out), ID_BAD_CHAR);
	assert_int_equal(norm("50024119900101123", out), ID_BAD_LENGTH);
	assert_int_equal(norm("5002411990010112360", out), ID_BAD_LENGTH);
	assert_int_equal(norm("张三", out), ID_BAD_CHAR);
	assert_int_equal(norm("12345678901234567890123456789012345678901234"
	    "567890123456789012345", out), ID_BAD_LENGTH);
	assert_int_equal(strlen(out), 18);
}

static void
empty_cell_is_empty(void **state)
{
	char out[19];

	assert_int_equal(norm("", out), ID_EMPTY);
	assert_int_equal(norm(" \t\xe3\x80\x80", out), ID_EMPTY);
	assert_string_equal(out, "");
}

static void
out_is_cut_on_a_character_boundary(void **state)
{
	char out[19];

	assert_int_equal(norm("身份证号码不详不详不详", out), ID_BAD_CHAR);
	assert_int_equal(strlen(out), 18);
	assert_string_equal(out, "身份证号码不");
}

static int
has_repair(const char (*list)[19], size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], id) == 0)
			return 1;
	return 0;
}

static void
repairs_find_a_one_digit_typo(void **state)
{
	char id[19], bad[19], list[40][19];
	size_t n;
	int pos;

	make_id("50024119900101123", id);
	for (pos = 0; pos < 18; pos++) {
		strcpy(bad, id);
		bad[pos] = bad[pos] == '7' ? '8' : '7';
		n = id_repairs(bad, AS_OF, list, 40);
		assert_true(n >= 1 && n <= 40);
		assert_true(has_repair(list, n, id));
	}
}

static void
repairs_find_a_swap(void **state)
{
	char id[19], bad[19], list[40][19];
	size_t n;

	make_id("50024119900101123", id);
	strcpy(bad, id);
	bad[14] = id[15];
	bad[15] = id[14];
	assert_int_equal(norm(bad, list[0]), ID_BAD_CHECK);
	n = id_repairs(bad, AS_OF, list, 40);
	assert_true(has_repair(list, n, id));
}

static void
repairs_may_end_in_x(void **state)
{
	char id[19], bad[19], list[40][19];
	size_t n;

	id_with_check_x(id);
	strcpy(bad, id);
	bad[17] = '1';
	n = id_repairs(bad, AS_OF, list, 40);
	assert_true(has_repair(list, n, id));
}

static void
repairs_of_a_valid_id_are_none(void **state)
{
	char id[19], list[40][19];

	make_id("50024119900101123", id);
	/* MOD 11-2 catches every single substitution and swap. */
	assert_int_equal(id_repairs(id, AS_OF, list, 40), 0);
	assert_int_equal(id_repairs("12345", AS_OF, list, 40), 0);
}

static void
repairs_count_past_max(void **state)
{
	char id[19], bad[19], list[40][19], few[1][19];
	size_t n;

	make_id("50024119900101123", id);
	strcpy(bad, id);
	bad[3] = '9';
	n = id_repairs(bad, AS_OF, list, 40);
	assert_true(n > 1);
	assert_int_equal(id_repairs(bad, AS_OF, few, 1), n);
	assert_string_equal(few[0], list[0]);
	assert_int_equal(id_repairs(bad, AS_OF, NULL, 0), n);
}

static void
status_codes_and_messages_are_distinct(void **state)
{
	int a, b;

	for (a = ID_OK; a <= ID_EXCEL_ZEROED; a++)
		for (b = a + 1; b <= ID_EXCEL_ZEROED; b++) {
			assert_string_not_equal(id_status_code(a),
			    id_status_code(b));
			assert_string_not_equal(id_status_msg(a),
			    id_status_msg(b));
		}
	assert_string_equal(id_status_code(ID_BAD_CHECK), "id_check");
	assert_string_equal(id_status_msg(ID_BAD_CHECK),
	    "check digit does not match");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_18_digit_id_is_ok),
		cmocka_unit_test(wrong_check_digit_is_refused),
		cmocka_unit_test(lowercase_and_fullwidth_x_are_upper_cased),
		cmocka_unit_test(fullwidth_digits_and_spaces_are_folded),
		cmocka_unit_test(leading_apostrophe_is_dropped),
		cmocka_unit_test(leap_days),
		cmocka_unit_test(impossible_dates_are_refused),
		cmocka_unit_test(future_birth_date_is_refused),
		cmocka_unit_test(null_as_of_means_today),
		cmocka_unit_test(fifteen_digit_id_is_widened),
		cmocka_unit_test(birth_and_sex_are_derived),
		cmocka_unit_test(excel_scientific_notation_is_named),
		cmocka_unit_test(excel_zeroed_digits_are_named),
		cmocka_unit_test(id_ending_000_that_passes_is_ok),
		cmocka_unit_test(bad_characters_and_lengths),
		cmocka_unit_test(empty_cell_is_empty),
		cmocka_unit_test(out_is_cut_on_a_character_boundary),
		cmocka_unit_test(repairs_find_a_one_digit_typo),
		cmocka_unit_test(repairs_find_a_swap),
		cmocka_unit_test(repairs_may_end_in_x),
		cmocka_unit_test(repairs_of_a_valid_id_are_none),
		cmocka_unit_test(repairs_count_past_max),
		cmocka_unit_test(status_codes_and_messages_are_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
