/*
 * check_live.c - a log read in installments (scan_feed, live_add) gives
 * what one scan_run of the whole log gives: counters, line numbers of
 * malformed lines, and funnel figures, for every place the log is cut,
 * also across W3C "#Fields:" lines that change the columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "catalog.h"
#include "check_suites.h"
#include "live.h"
#include "match.h"
#include "scan.h"

static const char *catalog_csv =
	"gemeente,host,product,info,form,done\n"
	"Alfa,www.alfa.nl,paspoort,^/paspoort/info,^/paspoort/aanvragen,^/paspoort/bedankt\n";

static const char *w3c_log =
	"#Fields: date time cs-method cs-uri-stem cs-uri-query c-ip cs(User-Agent) cs-host sc-status\n"
	"2026-11-02 09:00:00 GET /paspoort/info - 192.0.2.1 Firefox/120.0 www.alfa.nl 200\n"
	"#Fields: date time c-ip\n"
	"2026-11-02 09:01:00 192.0.2.1\n"
	"\n"
	"#Fields: date time cs-method cs-uri-stem cs-uri-query c-ip cs(User-Agent) cs-host sc-status\n"
	"2026-11-02 09:05:00 GET /paspoort/aanvragen - 192.0.2.1 Firefox/120.0 www.alfa.nl 200\n"
	"2026-11-03 09:05:00 GET /paspoort/info - 192.0.2.2 Firefox/120.0 www.alfa.nl 200\n"
	"not a log line\n"
	"2026-11-03 09:06:00 GET /paspoort/bedankt - 192.0.2.2 Firefox/120.0 www.alfa.nl 200\n";

static catalog *cat;
static matcher *m;

static void setup(void)
{
	char err[256];
	FILE *fp = fmemopen((void *)(uintptr_t)catalog_csv, strlen(catalog_csv), "r");
	ck_assert_ptr_nonnull(fp);
	cat = catalog_load(fp, "catalog.csv", err, sizeof err);
	fclose(fp);
	ck_assert_ptr_nonnull(cat);
	m = match_new(cat, NULL, err, sizeof err);
	ck_assert_ptr_nonnull(m);
}

static void teardown(void)
{
	match_free(m);
	catalog_free(cat);
}

static void opts(scan_opts *o)
{
	memset(o, 0, sizeof *o);
	o->jobs = 1;
	o->nsides = 1;
	o->side[0] = (scan_range){ INT64_MIN, INT64_MAX };
	memset(&o->key, 7, sizeof o->key); /* the same key for both ways */
}

/* The same counters, samples and figures in a and b. */
static void same(const scan_result *a, const scan_result *b)
{
	ck_assert_uint_eq(a->lines, b->lines);
	ck_assert_uint_eq(a->blank, b->blank);
	ck_assert_uint_eq(a->skipped, b->skipped);
	ck_assert_uint_eq(a->qualified, b->qualified);
	ck_assert_uint_eq(a->matched, b->matched);
	for (int k = 0; k < FILTER_NREASONS; k++)
		ck_assert_uint_eq(a->excluded[k], b->excluded[k]);
	ck_assert_uint_eq(a->inputs[0].lines, b->inputs[0].lines);
	ck_assert_str_eq(a->inputs[0].format, b->inputs[0].format);
	ck_assert_int_eq(a->nsamples, b->nsamples);
	for (int i = 0; i < a->nsamples; i++)
		ck_assert_uint_eq(a->sample[i].line, b->sample[i].line);
	ck_assert_int_eq(a->ngem, b->ngem);
	for (int g = 0; g < a->ngem; g++)
		ck_assert_uint_eq(a->gem_qualified[g], b->gem_qualified[g]);
	funnel_cfg cfg = { 0, 0, 0, KTIME_BY_DAY };
	size_t na, nb;
	funnel_cell *ca = NULL, *cb = NULL;
	ck_assert_int_eq(funnel_cells(a->fun[0], &cfg, &ca, &na), 0);
	ck_assert_int_eq(funnel_cells(b->fun[0], &cfg, &cb, &nb), 0);
	ck_assert_uint_eq(na, nb);
	for (size_t i = 0; i < na; i++) {
		ck_assert_int_eq(ca[i].period, cb[i].period);
		for (int s = 0; s < 3; s++)
			ck_assert_int_eq(ca[i].n[s], cb[i].n[s]);
	}
	free(ca);
	free(cb);
}

START_TEST(test_installments)
{
	scan_opts o;
	scan_result whole;
	char err[256], path[] = "/tmp/check_live.XXXXXX";
	opts(&o);
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	size_t len = strlen(w3c_log);
	ck_assert_int_eq(write(fd, w3c_log, len), (ssize_t)len);
	close(fd);
	char *paths[] = { path };
	ck_assert_int_eq(scan_run(&o, m, paths, 1, &whole, err, sizeof err), 0);
	unlink(path);
	ck_assert_uint_eq(whole.qualified, 4);  /* the c-ip line is malformed */
	ck_assert_int_eq(whole.nsamples, 2);
	ck_assert_uint_eq(whole.sample[1].line, 9);

	/* cut after every line, and after every pair of lines */
	for (size_t cut1 = 0; cut1 < len; cut1++) {
		if (w3c_log[cut1] != '\n')
			continue;
		for (size_t cut2 = cut1 + 1; cut2 <= len; cut2++) {
			if (w3c_log[cut2 - 1] != '\n')
				continue;
			size_t cuts[] = { 0, cut1 + 1, cut2, len };
			scan_cont *c = scan_cont_new(1);
			scan_result acc;
			ck_assert_int_eq(live_acc_init(&acc, paths, 1, match_ngemeenten(m), 0, 1), 0);
			for (int k = 0; k < 3; k++) {
				if (cuts[k + 1] <= cuts[k])
					continue;
				FILE *fps[1] = { fmemopen((char *)(uintptr_t)w3c_log + cuts[k],
				                          cuts[k + 1] - cuts[k], "r") };
				scan_result part;
				ck_assert_int_eq(scan_feed(&o, m, c, paths, fps, 1, &part, err,
				                           sizeof err), 0);
				ck_assert_ptr_null(fps[0]);
				ck_assert_int_eq(live_add(&acc, &part), 0);
				scan_result_free(&part);
			}
			same(&acc, &whole);
			scan_result_free(&acc);
			scan_cont_free(c);
		}
	}
	scan_result_free(&whole);
}
END_TEST

/* An input with nothing new keeps its format for the next feed. */
START_TEST(test_quiet_input_keeps_format)
{
	scan_opts o;
	char err[256];
	char *names[] = { "a.log", "b.log" };
	const char *a = "2026-11-02 09:00:00 GET /paspoort/info - 192.0.2.1 Firefox/120.0 "
	                "www.alfa.nl 200\n";
	const char *hdr = "#Fields: date time cs-method cs-uri-stem cs-uri-query c-ip "
	                  "cs(User-Agent) cs-host sc-status\n";
	opts(&o);
	scan_cont *c = scan_cont_new(2);
	scan_result r;
	FILE *fps[2] = { fmemopen((char *)(uintptr_t)hdr, strlen(hdr), "r"),
	                 fmemopen((char *)(uintptr_t)hdr, strlen(hdr), "r") };
	ck_assert_int_eq(scan_feed(&o, m, c, names, fps, 2, &r, err, sizeof err), 0);
	scan_result_free(&r);
	/* b has nothing new; then both get a line */
	fps[0] = fmemopen((char *)(uintptr_t)a, strlen(a), "r");
	fps[1] = NULL;
	ck_assert_int_eq(scan_feed(&o, m, c, names, fps, 2, &r, err, sizeof err), 0);
	ck_assert_uint_eq(r.qualified, 1);
	scan_result_free(&r);
	fps[0] = fmemopen((char *)(uintptr_t)a, strlen(a), "r");
	fps[1] = fmemopen((char *)(uintptr_t)a, strlen(a), "r");
	ck_assert_int_eq(scan_feed(&o, m, c, names, fps, 2, &r, err, sizeof err), 0);
	ck_assert_uint_eq(r.qualified, 2);
	ck_assert_uint_eq(r.excluded[FILTER_MALFORMED], 0);
	scan_result_free(&r);
	scan_cont_free(c);
}
END_TEST

Suite *live_suite(void)
{
	Suite *s = suite_create("live");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_installments);
	tcase_add_test(tc, test_quiet_input_keeps_format);
	suite_add_tcase(s, tc);
	return s;
}
