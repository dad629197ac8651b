/*
 * check_run.c - the report rows of a finished scan (run_table_res) when
 * memory runs out: every allocation failure on the way from the funnel to
 * the rows ends in "out of memory" and -1, never in a table of zeros.
 * And a scan without a random key for the visitor hashes does not start.
 * Allocations fail on demand through include/fault.h (the Makefile links
 * funnel.c and run.c built with -DKR_FAULTS).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "catalog.h"
#include "check_suites.h"
#include "funnel.h"
#include "match.h"
#include "run.h"
#include "text.h"
#include "scan.h"

_Atomic long kr_fault_countdown = -1;
_Atomic long kr_fault_injected = 0;
_Atomic int kr_fault_random = 0;

static const char cat_csv[] =
	"gemeente,host,product,info,form,done\n"
	"Alfa,www.alfa.nl,paspoort,^/paspoort/info,^/paspoort/aanvragen,^/paspoort/bedankt\n"
	"Alfa,www.alfa.nl,idkaart,^/idkaart/info,^/idkaart/aanvragen,^/idkaart/bedankt\n";

/* run_table_res with allocations failing after `after` of them (-1: none
 * fail); stderr goes to msgs (size n). Returns its return value. */
static int table_with_faults(const run_opts *o, const catalog *cat, const matcher *m,
                             const scan_result *res, long after, report_table *t,
                             char *msgs, size_t n)
{
	FILE *tmp = tmpfile();
	ck_assert(tmp != NULL);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fileno(tmp), STDERR_FILENO), 0);
	atomic_store(&kr_fault_countdown, after);
	int rc = run_table_res(o, cat, m, res, 0, t);
	atomic_store(&kr_fault_countdown, -1);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t got = fread(msgs, 1, n - 1, tmp);
	msgs[got] = '\0';
	fclose(tmp);
	return rc;
}

/* Fails the 1st, 2nd, ... allocation until the table gets built without a
 * failure: each time either -1 and "out of memory" on stderr, or the right
 * figures. Without a failure check went right the first time too. */
START_TEST(test_table_out_of_memory)
{
	char err[256], msgs[1024];
	FILE *fp = fmemopen((void *)(uintptr_t)cat_csv, sizeof cat_csv - 1, "r");
	catalog *cat = catalog_load(fp, "c.csv", err, sizeof err);
	fclose(fp);
	ck_assert_msg(cat != NULL, "%s", err);
	matcher *m = match_new(cat, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	run_opts o;
	run_opts_init(&o);
	scan_result res;
	memset(&res, 0, sizeof res);
	res.fun[0] = funnel_new(0, 2);
	ck_assert(res.fun[0] != NULL);
	/* 40 visitors see paspoort's info, 10 of them the form; row 1 none */
	for (uint64_t v = 1; v <= 40; v++) {
		ck_assert_int_eq(funnel_add(res.fun[0], v * 0x9e3779b97f4a7c15ull, 20394, 0, 0, 0,
		                            STEP_INFO), 0);
		if (v % 4 == 0)
			ck_assert_int_eq(funnel_add(res.fun[0], v * 0x9e3779b97f4a7c15ull, 20394, 0,
			                            0, 0, STEP_FORM), 0);
	}
	int failures = 0, done = 0;
	for (long after = 0; after < 100 && !done; after++) {
		report_table t;
		long before = atomic_load(&kr_fault_injected);
		int rc = table_with_faults(&o, cat, m, &res, after, &t, msgs, sizeof msgs);
		int injected = atomic_load(&kr_fault_injected) != before;
		if (rc < 0) {
			ck_assert_msg(injected, "failed without an allocation failure");
			ck_assert_msg(strstr(msgs, "out of memory") != NULL,
			              "allocation %ld failed without a message: '%s'", after, msgs);
			failures++;
		} else {
			/* no failure, or one that did not matter: the right rows */
			ck_assert_msg(!injected, "allocation %ld failed, yet a table came back "
			              "(info %lld)", after, t.nrows ? (long long)t.rows[0].n[0] : -1LL);
			ck_assert_uint_eq(t.nrows, 2);
			ck_assert_int_eq(t.rows[0].n[0], 40);
			ck_assert_int_eq(t.rows[0].n[1], 10);
			ck_assert_int_eq(t.rows[1].n[0], 0);
			done = 1;
		}
		free(t.rows);
	}
	ck_assert_msg(done, "no table even with 100 allocations");
	ck_assert_int_gt(failures, 0);
	funnel_free(res.fun[0]);
	match_free(m);
	catalog_free(cat);
}
END_TEST

/* When the system gives no random bytes, run_scan says so and fails: a
 * guessable key would let the visitor hashes be linked to addresses. */
START_TEST(test_scan_without_random_key)
{
	char err[256], msgs[1024];
	FILE *fp = fmemopen((void *)(uintptr_t)cat_csv, sizeof cat_csv - 1, "r");
	catalog *cat = catalog_load(fp, "c.csv", err, sizeof err);
	fclose(fp);
	ck_assert_msg(cat != NULL, "%s", err);
	matcher *m = match_new(cat, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	run_opts o;
	run_opts_init(&o);
	o.jobs = 1;
	scan_range side = { INT64_MIN, INT64_MAX };
	char *paths[] = { "/dev/null" };
	scan_result res;
	memset(&res, 0, sizeof res);

	FILE *tmp = tmpfile();
	ck_assert(tmp != NULL);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	atomic_store(&kr_fault_random, 1);
	int rc = run_scan(&o, m, paths, 1, 1, &side, &res);
	atomic_store(&kr_fault_random, 0);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t got = fread(msgs, 1, sizeof msgs - 1, tmp);
	msgs[got] = '\0';
	fclose(tmp);

	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(msgs, "cannot draw a random key") != NULL, "stderr: '%s'", msgs);
	scan_result_free(&res);
	/* and with random bytes the same scan runs */
	ck_assert_int_eq(run_scan(&o, m, paths, 1, 1, &side, &res), 0);
	scan_result_free(&res);
	match_free(m);
	catalog_free(cat);
}
END_TEST

/* The whole of fp's contents (rewound), malloc'ed; *n bytes. */
static char *contents(FILE *fp, size_t *n)
{
	fflush(fp);
	long end = ftell(fp);
	ck_assert_int_ge(end, 0);
	char *b = malloc((size_t)end + 1);
	ck_assert(b != NULL);
	rewind(fp);
	*n = fread(b, 1, (size_t)end, fp);
	ck_assert_uint_eq(*n, (size_t)end);
	return b;
}

/* Each report writer with its 1st, 2nd, ... allocation failing: -1 with
 * errno ENOMEM (which the commands report), or, once no failure hit, the
 * same bytes as without faults; never a shortened report and 0. */
START_TEST(test_writers_out_of_memory)
{
	char err[256];
	FILE *fp = fmemopen((void *)(uintptr_t)cat_csv, sizeof cat_csv - 1, "r");
	catalog *cat = catalog_load(fp, "c.csv", err, sizeof err);
	fclose(fp);
	ck_assert_msg(cat != NULL, "%s", err);
	matcher *m = match_new(cat, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	run_opts o;
	run_opts_init(&o);
	o.details = 1;
	scan_result res;
	memset(&res, 0, sizeof res);
	res.fun[0] = funnel_new(0, 1);
	ck_assert(res.fun[0] != NULL);
	for (uint64_t v = 1; v <= 40; v++) {
		funnel_add(res.fun[0], v, 20394, 0, 0, v % 2, STEP_INFO);
		if (v % 3 == 0)
			funnel_add(res.fun[0], v, 20394, 0, 0, v % 2, STEP_FORM);
		if (v % 5 == 0)
			funnel_add(res.fun[0], v, 20394, 0, 0, v % 2, STEP_DONE);
	}
	report_table t;
	ck_assert_int_eq(run_table_res(&o, cat, m, &res, 0, &t), 0);
	ck_assert_int_eq(bench_compute(t.rows, t.nrows, 1, 0), 0);
	static const enum report_format fmts[] = { REPORT_TABLE, REPORT_CSV, REPORT_JSON,
	                                           REPORT_HTML };
	for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
		FILE *ref = tmpfile();
		ck_assert_int_eq(report_write(&t, fmts[f], ref), 0);
		size_t nref;
		char *want = contents(ref, &nref);
		fclose(ref);
		int done = 0, failures = 0;
		for (long after = 0; after < 10000 && !done; after++) {
			FILE *out = tmpfile();
			long before = atomic_load(&kr_fault_injected);
			atomic_store(&kr_fault_countdown, after);
			errno = 0;
			int rc = report_write(&t, fmts[f], out);
			int e = errno;
			atomic_store(&kr_fault_countdown, -1);
			int injected = atomic_load(&kr_fault_injected) != before;
			if (rc < 0) {
				ck_assert_msg(injected, "format %d failed without a fault", (int)fmts[f]);
				ck_assert_msg(e == ENOMEM, "format %d, allocation %ld: errno %d",
				              (int)fmts[f], after, e);
				failures++;
			} else {
				ck_assert_msg(!injected, "format %d: allocation %ld failed, yet 0",
				              (int)fmts[f], after);
				size_t ngot;
				char *got = contents(out, &ngot);
				ck_assert(ngot == nref && memcmp(got, want, nref) == 0);
				free(got);
				done = 1;
			}
			fclose(out);
		}
		ck_assert_msg(done, "format %d: no report in 10000 tries", (int)fmts[f]);
		if (fmts[f] != REPORT_TABLE) /* the table allocates nothing */
			ck_assert_int_gt(failures, 0);
		free(want);
	}
	free(t.rows);
	funnel_free(res.fun[0]);
	match_free(m);
	catalog_free(cat);
}
END_TEST

/* The command line in a report's meta data runs again as shown: each
 * word that needs it single-quoted for a POSIX shell (text_shell_quote,
 * also behind the catalogue's iconv hint). */
START_TEST(test_command_line_quoting)
{
	char *argv[] = { "analyze", "-c", "mijn cat.csv", "--since=2026-11-01", "it's.log", "" };
	char *s = run_command_line(6, argv);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "klantreis analyze -c 'mijn cat.csv' --since=2026-11-01 "
	                    "'it'\\''s.log' ''");
	free(s);
	char b[8];
	ck_assert_uint_eq(text_shell_quote(b, sizeof b, "a b c d e"), 11);
	ck_assert_str_eq(b, "'a b c ");
}
END_TEST

Suite *run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_table_out_of_memory);
	tcase_add_test(tc, test_scan_without_random_key);
	tcase_add_test(tc, test_writers_out_of_memory);
	tcase_add_test(tc, test_command_line_quoting);
	suite_add_tcase(s, tc);
	return s;
}
