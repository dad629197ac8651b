/*
 * check_msg.c - unit tests for msg_escape, which makes log excerpts safe
 * to print on a terminal: control characters, backslashes and bytes
 * >= 0x7f become \xNN, the input is cut after max bytes with "...", and
 * the buffer is never overrun, however small.
 */
#include <string.h>

#include "check_suites.h"
#include "msg.h"

START_TEST(test_escape_controls)
{
	char buf[128];
	const char s[] = "\033[31mred\033[0m \x07\b\r\n\\ \x7f\xff\xc3\xa9";
	msg_escape(s, sizeof s - 1, 80, buf, sizeof buf);
	ck_assert_str_eq(buf, "\\x1b[31mred\\x1b[0m \\x07\\x08\\x0d\\x0a\\x5c \\x7f\\xff\\xc3\\xa9");
	/* NUL bytes are data, not the end */
	msg_escape("a\0b", 3, 80, buf, sizeof buf);
	ck_assert_str_eq(buf, "a\\x00b");
	/* nothing raw below 0x20 or at 0x7f is left */
	for (const char *p = buf; *p; p++)
		ck_assert((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
}
END_TEST

START_TEST(test_escape_cut)
{
	char buf[128];
	msg_escape("abcdefghij", 10, 4, buf, sizeof buf);
	ck_assert_str_eq(buf, "abcd...");
	msg_escape("abcd", 4, 4, buf, sizeof buf);
	ck_assert_str_eq(buf, "abcd");
	msg_escape("", 0, 4, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
}
END_TEST

/* Every buffer size from 1 up: NUL-terminated, never written past n
 * (the guard bytes after it stay), and a cut is marked when it fits. */
START_TEST(test_escape_small_buffers)
{
	char buf[64];
	const char s[] = "\033\033\033\033 0123456789 \xff\xff";
	for (size_t n = 1; n < 40; n++) {
		memset(buf, '#', sizeof buf);
		msg_escape(s, sizeof s - 1, 1000, buf, n);
		ck_assert_uint_lt(strlen(buf), n);
		for (size_t i = n; i < sizeof buf; i++)
			ck_assert_int_eq(buf[i], '#');
		/* never half an escape */
		const char *bs = strrchr(buf, '\\');
		if (bs)
			ck_assert_uint_ge(strlen(bs), 4);
	}
	msg_escape(s, sizeof s - 1, 1000, buf, 0); /* n == 0: untouched, no crash */
}
END_TEST

Suite *msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_escape_controls);
	tcase_add_test(tc, test_escape_cut);
	tcase_add_test(tc, test_escape_small_buffers);
	suite_add_tcase(s, tc);
	return s;
}
