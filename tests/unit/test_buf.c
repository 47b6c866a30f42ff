/*
 * test_buf.c — JSON strings: every byte that needs escaping is escaped,
 * wherever it falls in the eight-byte steps the scan takes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

/* What JSON wants for one byte, the slow way. */
static void expect_byte(char *out, size_t *k, unsigned char c)
{
	if (c == '"' || c == '\\')
		*k += sprintf(out + *k, "\\%c", c);
	else if (c == '\n')
		*k += sprintf(out + *k, "\\n");
	else if (c == '\r')
		*k += sprintf(out + *k, "\\r");
	else if (c == '\t')
		*k += sprintf(out + *k, "\\t");
	else if (c < 0x20)
		*k += sprintf(out + *k, "\\u%04x", c);
	else
		out[(*k)++] = c;
}

static void escapes_anywhere(void **state)
{
	static const unsigned char special[] = { '"', '\\', '\n', '\r', '\t',
	    0x01, 0x1f, 0x7f, ' ', '!' };
	char in[40], want[300];
	struct buf b = BUF_INIT;
	size_t pos, j, k, len;

	for (len = 1; len <= 33; len++)
		for (pos = 0; pos < len; pos++)
			for (j = 0; j < sizeof special; j++) {
				memset(in, 'a', len);
				in[pos] = special[j];
				k = 0;
				want[k++] = '"';
				for (size_t i = 0; i < len; i++)
					expect_byte(want, &k, in[i]);
				want[k++] = '"';
				want[k] = '\0';
				buf_reset(&b);
				assert_int_equal(buf_json_utf8(&b, in, len), 0);
				assert_string_equal(b.data, want);
				buf_reset(&b);
				assert_int_equal(buf_json_str(&b, in, len), 0);
				assert_string_equal(b.data, want);
			}
	buf_free(&b);
}

static void invalid_utf8_becomes_replacement(void **state)
{
	struct buf b = BUF_INIT;

	assert_int_equal(buf_json_str(&b, "ab\xff" "cdefghij\"", 12), 0);
	assert_string_equal(b.data, "\"ab\xEF\xBF\xBD" "cdefghij\\\"\"");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_anywhere),
		cmocka_unit_test(invalid_utf8_becomes_replacement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
