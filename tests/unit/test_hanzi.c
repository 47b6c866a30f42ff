/*
 * test_hanzi.c — pinyin keys, simplification and name agreement (hanzi.h).
 *
 * Expected readings are Unihan's first kMandarin value, checked against
 * Debian's unicode-data, not what a person would say of a surname.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "hanzi.h"

static const char *pinyin(const char *s)
{
	static char out[256];

	assert_int_not_equal(hz_pinyin(s, strlen(s), out, sizeof(out)),
	    (size_t)-1);
	return out;
}

static const char *simplify(const char *s)
{
	static char out[256];

	assert_int_not_equal(hz_simplify(s, strlen(s), out, sizeof(out)),
	    (size_t)-1);
	return out;
}

static void test_pinyin_of(void **state)
{
	(void)state;
	assert_string_equal(hz_pinyin_of(0x5F20), "zhang");	/* 张 */
	assert_string_equal(hz_pinyin_of(0x5F35), "zhang");	/* 張 */
	assert_string_equal(hz_pinyin_of(0x9648), "chen");	/* 陈 */
	assert_string_equal(hz_pinyin_of(0x5218), "liu");	/* 刘 */
	assert_string_equal(hz_pinyin_of(0x5415), "lv");	/* 吕 lǚ */
	assert_string_equal(hz_pinyin_of(0x7EFF), "lv");	/* 绿 lǜ */
	assert_string_equal(hz_pinyin_of(0x4E7E), "qian");	/* 乾 qián gān */
	assert_null(hz_pinyin_of('A'));
	assert_null(hz_pinyin_of(0x3000));
	assert_null(hz_pinyin_of(0x10FFFF));
}

/* Surnames read unlike the character's first reading come out wrong;
 * pinned so that a change in Unihan or in the table is noticed. */
static void test_pinyin_first_reading(void **state)
{
	(void)state;
	assert_string_equal(pinyin("曾"), "ceng");	/* surname zēng */
	assert_string_equal(pinyin("单"), "dan");	/* surname shàn */
}

static void test_pinyin_string(void **state)
{
	(void)state;
	assert_string_equal(pinyin("张三"), "zhangsan");
	assert_string_equal(pinyin("張三"), "zhangsan");
	assert_string_equal(pinyin("陈刘吕"), "chenliulv");
	assert_string_equal(pinyin(" 张 三\xE3\x80\x80"), "zhangsan");
}

static void test_pinyin_minority(void **state)
{
	(void)state;
	assert_string_equal(pinyin("阿依古丽·买买提"), "ayigulimaimaiti");
	assert_string_equal(pinyin("阿依古丽.买买提"), "ayigulimaimaiti");
	assert_string_equal(pinyin("阿依古丽•买买提"), "ayigulimaimaiti");
	assert_string_equal(pinyin("阿依古丽・买买提"), "ayigulimaimaiti");
}

static void test_pinyin_ascii(void **state)
{
	(void)state;
	assert_string_equal(pinyin("Zhang San"), "zhangsan");
	assert_string_equal(pinyin("王ABC"), "wangabc");
	assert_string_equal(pinyin("李Ｍ"), "lim");		/* full width */
	assert_string_equal(pinyin("李4"), "li4");
	assert_string_equal(pinyin("é"), "é");
}

static void test_empty(void **state)
{
	char out[8] = "x";

	(void)state;
	assert_int_equal(hz_pinyin("", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	strcpy(out, "x");
	assert_int_equal(hz_simplify("", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(hz_pinyin("", 0, out, 0), (size_t)-1);
}

static void test_too_small(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(hz_pinyin("张三", 6, out, 8), (size_t)-1);
	assert_int_equal(hz_pinyin("张三", 6, out, 9), 8);
	assert_string_equal(out, "zhangsan");
	assert_int_equal(hz_pinyin("ab", 2, out, 2), (size_t)-1);
	assert_int_equal(hz_simplify("張三", 6, out, 6), (size_t)-1);
	assert_int_equal(hz_simplify("張三", 6, out, 7), 6);
	assert_string_equal(out, "张三");
}

static void test_simplify(void **state)
{
	(void)state;
	assert_string_equal(simplify("張三"), "张三");
	assert_string_equal(simplify("陳劉呂綠"), "陈刘吕绿");
	assert_string_equal(simplify("趙麗"), "赵丽");
	assert_string_equal(simplify("张三 abc"), "张三 abc");
	assert_int_equal(hz_simplified_of(0x5F35), 0x5F20);	/* 張 → 张 */
	assert_int_equal(hz_simplified_of(0x5F20), 0x5F20);
	assert_int_equal(hz_simplified_of(0x4E7E), 0x4E7E);	/* 乾 → 乾 */
	assert_int_equal(hz_simplified_of('A'), 'A');
	assert_int_equal(hz_simplified_of(0x10FFFF), 0x10FFFF);
}

static void test_agree(void **state)
{
	(void)state;
	assert_int_equal(hz_name_agree("张三", "张三"), HZ_EXACT);
	assert_int_equal(hz_name_agree(" 张三", "张三　"), HZ_EXACT);
	assert_int_equal(hz_name_agree("張三", "张三"), HZ_VARIANT);
	assert_int_equal(hz_name_agree("张三", "張三"), HZ_VARIANT);
	assert_int_equal(hz_name_agree("张珊", "张姗"), HZ_PINYIN);
	assert_int_equal(hz_name_agree("张三", "张叁"), HZ_PINYIN);
	/* 珊 is shān, 三 sān: no fuzzy sh/s matching, so these differ. */
	assert_int_equal(hz_name_agree("张珊", "张三"), HZ_DIFFER);
	assert_int_equal(hz_name_agree("Zhang San", "张三"), HZ_PINYIN);
	assert_int_equal(hz_name_agree("阿依古丽·买买提", "阿依古丽.买买提"),
	    HZ_PINYIN);
	assert_int_equal(hz_name_agree("李四", "张三"), HZ_DIFFER);
	assert_int_equal(hz_name_agree("", ""), HZ_DIFFER);
	assert_int_equal(hz_name_agree("张三", ""), HZ_DIFFER);
	assert_int_equal(hz_name_agree(NULL, "张三"), HZ_DIFFER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinyin_of),
		cmocka_unit_test(test_pinyin_first_reading),
		cmocka_unit_test(test_pinyin_string),
		cmocka_unit_test(test_pinyin_minority),
		cmocka_unit_test(test_pinyin_ascii),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_simplify),
		cmocka_unit_test(test_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
