/*
 * test_ndjson.c — nd_dump writes every value exactly as libjq's
 * jv_dump_string(v, 0) does: strings with every kind of character,
 * numbers of every form, nesting, and key order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* cmocka hands every test a state pointer these tests have no use for. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ndjson.h"

/* nd_dump of v (consumed) after some text, against jq's own. */
static void same_as_jq(jv v)
{
	struct buf b = BUF_INIT;
	jv want = jv_dump_string(jv_copy(v), 0);

	assert_int_equal(buf_adds(&b, "x"), 0);
	assert_int_equal(nd_dump(&b, v), 0);
	assert_int_equal(b.len, 1 + jv_string_length_bytes(jv_copy(want)));
	assert_memory_equal(b.data + 1, jv_string_value(want), b.len - 1);
	jv_free(want);
	jv_free(v);
	buf_free(&b);
}

static void same_as_jq_text(const char *json)
{
	jv v = jv_parse(json);

	assert_true(jv_is_valid(v));
	same_as_jq(v);
}

static void every_ascii_and_control_character(void **state)
{
	char s[2];
	int c;

	for (c = 0; c < 128; c++) {
		s[0] = c, s[1] = 0;
		same_as_jq(jv_string_sized(s, 1));
	}
	same_as_jq(jv_string(""));
	same_as_jq(jv_string("a\"b\\c/d\b\f\n\r\t\x7f\x01 e"));
}

static void every_kind_of_utf8(void **state)
{
	char s[8];
	int cp, n;

	/* a sample of every length of encoding, up to the last plane */
	for (cp = 0x80; cp < 0x110000; cp += cp < 0x800 ? 1 : 97) {
		if (cp >= 0xD800 && cp < 0xE000)
			continue;
		n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		s[0] = n == 2 ? 0xC0 | cp >> 6 : n == 3 ? 0xE0 | cp >> 12 :
		    0xF0 | cp >> 18;
		s[1] = n == 2 ? 0x80 | (cp & 63) : 0x80 | (cp >> (n == 3 ? 6 : 12) & 63);
		s[2] = n == 3 ? 0x80 | (cp & 63) : 0x80 | (cp >> 6 & 63);
		s[3] = 0x80 | (cp & 63);
		same_as_jq(jv_string_sized(s, n));
	}
	/* bytes that are no UTF-8 became U+FFFD when the string was made */
	same_as_jq(jv_string_sized("a\xff\xc3(b\xed\xa0\x80", 8));
	same_as_jq(jv_string("张三 \xe2\x80\xa8 \xf0\x9f\x98\x80"));
	same_as_jq(jv_string_sized("a\0b", 3));
}

static void every_form_of_number(void **state)
{
	static const double num[] = { 0, 1, -1, 7, 100, 102588, -5000,
	    2626.13, 218.84, 0.1, 0.5, 1e-5, 0.0001, 123.456, 1.5e300,
	    -1.5e-300, 1e15 - 1, 1e15, -1e15, 1e15 + 1, 1e16, 1e17, 1e21,
	    9999999999999998, 123456789012345678.0, 12345678901234567890.0,
	    4.94e-324, 1.7976931348623157e308, 0.30000000000000004, 33.3 };
	size_t i;

	for (i = 0; i < sizeof num / sizeof num[0]; i++) {
		same_as_jq(jv_number(num[i]));
		same_as_jq(jv_number(-num[i]));
	}
	same_as_jq(jv_number(NAN));
	same_as_jq(jv_number(INFINITY));
	same_as_jq(jv_number(-INFINITY));
	same_as_jq(jv_number(-0.0));
	for (i = 0; i < 2000; i++)
		same_as_jq(jv_number((double)i * 1234567.891 - 1e6));
}

static void nesting_and_key_order(void **state)
{
	jv o = jv_object();
	int i;

	same_as_jq_text("{}");
	same_as_jq_text("[]");
	same_as_jq_text("[null,true,false,[[]],{\"a\":{}}]");
	same_as_jq_text("{\"b\":1,\"a\":[1,2,{\"c\":\"d\"}],\"b2\":null,"
	    "\"\":\"\",\"a\":3}");
	/* keys set, reset and deleted: the order is jq's iteration */
	for (i = 0; i < 40; i++) {
		char k[16];

		snprintf(k, sizeof k, "k%d", (i * 7) % 23);
		o = jv_object_set(o, jv_string(k), jv_number(i));
	}
	o = jv_object_delete(o, jv_string("k3"));
	same_as_jq(o);
}

static void deep_values_are_left_to_jq(void **state)
{
	jv v = jv_number(1);
	int i;

	for (i = 0; i < 300; i++)
		v = i % 2 ? JV_ARRAY(v) : JV_OBJECT(jv_string("k"), v);
	same_as_jq(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_ascii_and_control_character),
		cmocka_unit_test(every_kind_of_utf8),
		cmocka_unit_test(every_form_of_number),
		cmocka_unit_test(nesting_and_key_order),
		cmocka_unit_test(deep_values_are_left_to_jq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
