/*
 * check_compat.c - the portable stand-ins of compat.h: kr_qsort_r sorts
 * like qsort (every length up to 200, duplicates, the context reaches the
 * comparator) and kr_memrchr finds the last byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "compat.h"

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* descending when *ctx is -1 */
static int cmp_int_ctx(const void *a, const void *b, const void *ctx)
{
	return *(const int *)ctx * cmp_int(a, b);
}

START_TEST(test_qsort_r)
{
	int a[200], b[200];
	unsigned seed = 12345;
	for (size_t n = 0; n <= 200; n++) {
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = b[i] = (int)(seed >> 16) % 50; /* many duplicates */
		}
		int up = 1;
		kr_qsort_r(a, n, sizeof *a, cmp_int_ctx, &up);
		qsort(b, n, sizeof *b, cmp_int);
		ck_assert_msg(n == 0 || memcmp(a, b, n * sizeof *a) == 0, "n = %zu", n);
		int down = -1;
		kr_qsort_r(a, n, sizeof *a, cmp_int_ctx, &down);
		for (size_t i = 0; i < n; i++)
			ck_assert_int_eq(a[i], b[n - 1 - i]);
	}
}
END_TEST

START_TEST(test_memrchr)
{
	const char s[] = "a,b,,c";
	ck_assert_ptr_eq(kr_memrchr(s, ',', 6), s + 4);
	ck_assert_ptr_eq(kr_memrchr(s, ',', 4), s + 3);
	ck_assert_ptr_eq(kr_memrchr(s, 'a', 6), s);
	ck_assert_ptr_null(kr_memrchr(s, 'z', 6));
	ck_assert_ptr_null(kr_memrchr(s, 'a', 0));
	ck_assert_ptr_eq(kr_memrchr(s, '\0', sizeof s), s + 6);
}
END_TEST

Suite *compat_suite(void)
{
	Suite *s = suite_create("compat");
	TCase *tc = tcase_create("compat");
	tcase_add_test(tc, test_qsort_r);
	tcase_add_test(tc, test_memrchr);
	suite_add_tcase(s, tc);
	return s;
}
