/*
 * check_suites.h - the Check suites of the unit-test runner, one per module.
 * Each tests/check_X.c defines X_suite(); tests/check_main.c runs them all.
 */
#ifndef KR_CHECK_SUITES_H
#define KR_CHECK_SUITES_H

#include <check.h>

#define KR_SUITES(X) \
	X(ktime) X(input) X(logfmt) X(catalog) X(match) X(filter) \
	X(visitor) X(funnel) X(bench) X(report) X(xff) X(stats) \
	X(report_json) X(report_html) X(msg) X(output) X(report_read) X(run) X(compat) X(state) X(site) \
	X(follow) X(live) X(strtab) X(reqlit)

#define KR_DECLARE(name) Suite *name##_suite(void) __attribute__((weak));
KR_SUITES(KR_DECLARE)
#undef KR_DECLARE

#endif
