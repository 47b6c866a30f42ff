/*
 * test_mask.c — masking for published lists: sentences with names,
 * diagnoses, disability words, brackets after 疾病, and digit runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* cmocka hands every test a state pointer these tests have no use for. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#include <string.h>

#include "mask.h"

static const struct { const char *in, *out; } sentences[] = {
	{ "张三（86岁）独居，月人均收入500元",
	  "张*（86岁）独居，月人均收入500元" },
	{ "欧阳娜娜一级肢体残疾，二级残疾，精神残疾人",
	  "欧**娜残疾，残疾，残疾人" },
	{ "疾病（肺癌、尿毒症）近12个月自付12345.5元",
	  "疾病近12个月自付12345.5元" },
	{ "电话13823456789，身份证500241194503120018，编号1234567890123",
	  "电话138****6789，身份证500241********0018，编号*********0123" },
	{ "李四李三王五六张三张三丰",
	  "*四*三王*六张*张*丰" },
	{ "abc 1234567 x12345678 ٣ 四级视力残疾 3级残疾 多重残疾 肢体",
	  "abc ***4567 x****5678 ٣ 残疾 残疾 残疾 肢体" },
	{ "疾病（恶性肿瘤（肺）、尿毒症（透析））），近12个月",
	  "疾病），近12个月" },
	{ "疾病（恶性肿瘤（肺）、白血病），近12个月自付",
	  "疾病，近12个月自付" },
	{ "尿毒症肺癌疾病（无右括号",
	  "××××疾病（无右括号" },
	{ "",
	  "" },
	{ "123",
	  "123" },
	{ "12345678901234567X结束",
	  "123456********567X结束" },
};

static void text_is_masked(void **state)
{
	static const char *const names[] = { "张三", "欧阳娜娜", "李", "王五六" };
	static const char *const drop[] = { "肺癌", "尿毒症" };
	size_t i;

	for (i = 0; i < sizeof sentences / sizeof sentences[0]; i++) {
		struct buf b = BUF_INIT;

		assert_int_equal(mask_text(sentences[i].in, names, 4, drop, 2,
		    &b), 0);
		assert_int_equal(buf_addc(&b, '\0'), 0);
		assert_string_equal(b.data, sentences[i].out);
		buf_free(&b);
	}
}

static void fields_are_masked(void **state)
{
	char m[MASK_MAX];

	mask_id("500241194503120018", m, sizeof m);
	assert_string_equal(m, "500241********0018");
	mask_name("欧阳娜娜", m, sizeof m);
	assert_string_equal(m, "欧**娜");
	mask_phone("023-76612345", m, sizeof m);
	assert_string_equal(m, "023-****2345");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_is_masked),
		cmocka_unit_test(fields_are_masked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
