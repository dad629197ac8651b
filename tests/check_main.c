/*
 * check_main.c - runs every module's Check suite (see check_suites.h).
 * Exit status 0 when every test passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include "check_suites.h"

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int missing = 0;
#define KR_ADD(name) \
	if (name##_suite) srunner_add_suite(sr, name##_suite()); \
	else { fprintf(stderr, "check_main: suite '%s' is missing\n", #name); missing++; }
	KR_SUITES(KR_ADD)
#undef KR_ADD
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 && missing == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
