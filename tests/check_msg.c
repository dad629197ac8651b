/*
 * check_msg.c - unit tests for msg_escape, which makes log excerpts safe
 * to print on a terminal: control characters, backslashes and bytes
 * >= 0x7f become \xNN, the input is cut after max bytes with "...", and
 * the buffer is never overrun, however small; and msg_distance and
 * msg_nearest, the "did you mean" for mistyped commands and options;
 * msg_set, and the progress line drawn through msg (progress.h).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "msg.h"
#include "progress.h"

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

/* Edit distance: each edit costs one, a swap of neighbours too. */
START_TEST(test_distance)
{
	ck_assert_uint_eq(msg_distance("", ""), 0);
	ck_assert_uint_eq(msg_distance("analyze", "analyze"), 0);
	ck_assert_uint_eq(msg_distance("", "abc"), 3);
	ck_assert_uint_eq(msg_distance("abc", ""), 3);
	ck_assert_uint_eq(msg_distance("analyse", "analyze"), 1);   /* substitution */
	ck_assert_uint_eq(msg_distance("anlyze", "analyze"), 1);    /* insertion */
	ck_assert_uint_eq(msg_distance("analyzee", "analyze"), 1);  /* deletion */
	ck_assert_uint_eq(msg_distance("catalgo", "catalog"), 1);   /* swap */
	ck_assert_uint_eq(msg_distance("naalyze", "analyze"), 1);
	ck_assert_uint_eq(msg_distance("ANALYZE", "analyze"), 0);   /* case */
	ck_assert_uint_eq(msg_distance("kitten", "sitting"), 3);
	ck_assert_uint_eq(msg_distance("ca", "abc"), 3);            /* OSA, not Damerau */
	ck_assert_uint_eq(msg_distance("compare", "catalog"), 6);
	char long_word[80];
	memset(long_word, 'a', sizeof long_word - 1);
	long_word[sizeof long_word - 1] = '\0';
	ck_assert_uint_eq(msg_distance(long_word, "a"), SIZE_MAX);
}
END_TEST

START_TEST(test_nearest)
{
	const char *cmds[] = { "analyze", "compare", "catalog", "check", NULL, "help" };
	size_t n = sizeof cmds / sizeof cmds[0];
	ck_assert_str_eq(msg_nearest("analyse", cmds, n), "analyze");
	ck_assert_str_eq(msg_nearest("comapre", cmds, n), "compare");
	ck_assert_str_eq(msg_nearest("cehck", cmds, n), "check");
	ck_assert_str_eq(msg_nearest("hlp", cmds, n), "help");
	ck_assert_str_eq(msg_nearest("catalgo", cmds, n), "catalog");
	/* nothing near: no guess */
	ck_assert_ptr_null(msg_nearest("frobnicate", cmds, n));
	ck_assert_ptr_null(msg_nearest("xyz", cmds, n));
	/* short words allow one edit only */
	ck_assert_ptr_null(msg_nearest("hx", cmds, n));
	/* an exact match is no typo */
	ck_assert_ptr_null(msg_nearest("check", cmds, n));
	/* two edits for longer words */
	ck_assert_str_eq(msg_nearest("anylaze", cmds, n), "analyze");
	ck_assert_ptr_null(msg_nearest("a", NULL, 0));
	/* ties: the first candidate */
	const char *opts[] = { "count", "format" };
	ck_assert_str_eq(msg_nearest("cont", opts, 2), "count");
}
END_TEST

START_TEST(test_msg_set)
{
	char err[8];
	msg_set(err, sizeof err, "line %d: %s", 12, "bad");
	ck_assert_str_eq(err, "line 12");   /* cut to the buffer */
	memcpy(err, "keep", 5);
	msg_set(err, 0, "%s", "x");          /* no room: untouched */
	ck_assert_str_eq(err, "keep");
	msg_set(NULL, 8, "%s", "x");         /* no buffer: no crash */
}
END_TEST

/* The progress line (progress.h): the regular inputs' sizes are summed,
 * standard input and missing files are unknown; it is drawn at most five
 * times a second, and erased at the end only when it was drawn. */
START_TEST(test_progress)
{
	char path[] = "/tmp/check_progress.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "0123456789", 10), 10);
	close(fd);
	char *paths[] = { path, (char *)"-", (char *)"/nonexistent/x.log", path };
	progress p;
	progress_init(&p, paths, 4);
	ck_assert_uint_eq(p.total, 20);
	ck_assert_int_eq(p.drawn, 0);
	fflush(stderr);
	int saved = dup(2);
	char tmp[] = "/tmp/check_progress_err.XXXXXX";
	int efd = mkstemp(tmp);
	ck_assert_int_ge(efd, 0);
	dup2(efd, 2);
	progress_update(&p, 5, 0);           /* within 0.2 s of the start: nothing */
	progress_update(&p, 20, 1);          /* never drawn: nothing to erase */
	fflush(stderr);
	ck_assert_int_eq(lseek(efd, 0, SEEK_END), 0);
	p.last -= 1.0;                       /* a second later */
	progress_update(&p, 5, 0);
	ck_assert_int_eq(p.drawn, 1);
	progress_update(&p, 20, 1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	char out[256] = "";
	ck_assert_int_gt(pread(efd, out, sizeof out - 1, 0), 0);
	close(efd);
	unlink(tmp);
	unlink(path);
	ck_assert_ptr_nonnull(strstr(out, "klantreis: 0.0 of 0.0 MB"));
	ck_assert_str_eq(out + strlen(out) - 4, "\r\033[K");
}
END_TEST

Suite *msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_escape_controls);
	tcase_add_test(tc, test_escape_cut);
	tcase_add_test(tc, test_escape_small_buffers);
	tcase_add_test(tc, test_distance);
	tcase_add_test(tc, test_nearest);
	tcase_add_test(tc, test_msg_set);
	tcase_add_test(tc, test_progress);
	suite_add_tcase(s, tc);
	return s;
}
