/*
 * check_state.c - unit tests for state.c: the tally, key files and
 * fingerprints, and the file format (round trip through memory streams,
 * every damaged byte and every cut caught, newer versions refused,
 * merging under clashing keys refused).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "catalog.h"
#include "check_suites.h"
#include "match.h"
#include "state.h"

static const char cat_csv[] =
	"gemeente,host,product,info,form,done\n"
	"Alfa,www.alfa.nl,verhuizen,^/verhuizen$,^/verhuizen/formulier,^/verhuizen/bedankt\n"
	"Alfa,www.alfa.nl,parkeren,^/parkeren$,^/parkeren/formulier,^/parkeren/klaar\n"
	"Beta,www.beta.nl,verhuizen,^/verhuizen$,^/verhuizen/formulier,^/verhuizen/bedankt\n";

static catalog *cat;
static matcher *mt;

static void setup(void)
{
	char err[256];
	FILE *fp = fmemopen((void *)(uintptr_t)cat_csv, sizeof cat_csv - 1, "r");
	ck_assert_ptr_nonnull(fp);
	cat = catalog_load(fp, "cat.csv", err, sizeof err);
	fclose(fp);
	ck_assert_msg(cat != NULL, "%s", err);
	mt = match_new(cat, NULL, err, sizeof err);
	ck_assert_msg(mt != NULL, "%s", err);
}

static void teardown(void)
{
	match_free(mt);
	catalog_free(cat);
}

#define DAY 20394 /* 2025-11-02 */

/* A small state: two visitors of Alfa over two days, one of Beta, the
 * tally of their requests, a 5xx, an unknown host, inputs, counters. */
static state *sample_state(uint64_t fp)
{
	state *s = state_new(2);
	ck_assert_ptr_nonnull(s);
	int64_t mid = (int64_t)DAY * 86400;
	/* visitor 1 of Alfa: info 10:00, form 10:20, done 11:00 (UTC+1) */
	ck_assert_int_eq(funnel_add_at(s->fun, 1, DAY, 36000, (mid + 36000 - 3600) * 1000000, 0, 0,
	                               STEP_INFO), 0);
	ck_assert_int_eq(funnel_add_at(s->fun, 1, DAY, 37200, (mid + 37200 - 3600) * 1000000 + 5,
	                               0, 0, STEP_FORM), 0);
	ck_assert_int_eq(funnel_add_at(s->fun, 1, DAY, 39600, (mid + 39600 - 3600) * 1000000, 0, 0,
	                               STEP_DONE), 0);
	/* visitor 2 of Alfa, next day, form only */
	ck_assert_int_eq(funnel_add_at(s->fun, 2, DAY + 1, 100, (mid + 86400 + 100) * 1000000, 0, 1,
	                               STEP_FORM), 0);
	/* visitor 3 of Beta */
	ck_assert_int_eq(funnel_add_at(s->fun, 3, DAY, 86399, (mid + 86399) * 1000000, 1, 2,
	                               STEP_INFO), 0);
	ck_assert_int_eq(state_tally_add(s->tally, mid + 36000, 0, STATE_REQ, 0, 3), 0);
	ck_assert_int_eq(state_tally_add(s->tally, mid + 36000, 0, STATE_REQ, 1, 2), 0);
	ck_assert_int_eq(state_tally_add(s->tally, mid + 86400 + 100, 0, STATE_REQ, 0, 1), 0);
	ck_assert_int_eq(state_tally_add(s->tally, mid + 86400 + 100, 0, STATE_REQ, 1, 1), 0);
	ck_assert_int_eq(state_tally_add(s->tally, mid + 86399, 1, STATE_REQ, 0, 1), 0);
	ck_assert_int_eq(state_tally_add(s->tally, mid + 86399, 1, STATE_REQ, 1, 1), 0);
	ck_assert_int_eq(state_tally_add(s->tally, mid + 5, -1, STATE_REQ, 0, 7), 0);
	ck_assert_int_eq(state_tally_add(s->tally, mid + 50, 0, 0, STEP_FORM, 2), 0);
	ck_assert_int_eq(state_add_input(s, "a.log", "combined", 20, "plain"), 0);
	ck_assert_int_eq(state_add_input(s, "b.log.gz", NULL, 3, "gzip"), 0);
	s->lines = 23;
	s->blank = 1;
	s->excluded[FILTER_MALFORMED] = 2;
	s->excluded[FILTER_BOT] = 4;
	s->ngem = 2;
	s->capgem = 2;
	s->gem_excluded = calloc(2 * FILTER_NREASONS, sizeof *s->gem_excluded);
	s->gem_fp = calloc(2, sizeof *s->gem_fp);
	ck_assert_ptr_nonnull(s->gem_excluded);
	ck_assert_ptr_nonnull(s->gem_fp);
	s->gem_excluded[FILTER_BOT] = 4;
	s->gem_fp[0] = s->gem_fp[1] = fp;
	FILE *mem;
	char *csv = NULL;
	size_t n = 0;
	ck_assert_ptr_nonnull(mem = open_memstream(&csv, &n));
	ck_assert_int_eq(catalog_write_csv(cat, mem), 0);
	fclose(mem);
	s->catalog_csv = csv;
	return s;
}

/* s written into a malloc'ed buffer (length in *n). */
static char *encode(const state *s, size_t *n)
{
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, n);
	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(state_write(s, mt, mem), 0);
	fclose(mem);
	return buf;
}

static state_file *decode(const char *buf, size_t n, char *err, size_t errlen)
{
	FILE *fp = fmemopen((void *)(uintptr_t)buf, n, "r");
	ck_assert_ptr_nonnull(fp);
	state_file *f = state_file_read(fp, "s.krs", err, errlen);
	fclose(fp);
	return f;
}

/* The figures and counters of s over [from, to), as one string; with
 * take, from s's own events (state_result's take: all time only, and s
 * has none left after). */
static void figures_of(state *s, int sequential, int64_t from, int64_t to, int take,
                       char *out, size_t size)
{
	scan_range r = { from, to };
	scan_result res;
	ck_assert_int_eq(state_result(s, mt, 1, &r, sequential, funnel_nparts(s->fun), take, &res),
	                 0);
	funnel_cfg cfg = { sequential, 0, 3600 * (int64_t)1000000, KTIME_BY_DAY };
	size_t nc = 0;
	funnel_cell *c = NULL;
	ck_assert_int_eq(funnel_cells(res.fun[0], &cfg, &c, &nc), 0);
	int w = snprintf(out, size, "lines %llu excl", (unsigned long long)res.lines);
	for (int k = 0; k < FILTER_NREASONS; k++)
		w += snprintf(out + w, size - (size_t)w, " %llu", (unsigned long long)res.excluded[k]);
	w += snprintf(out + w, size - (size_t)w, " q %llu m %llu inputs %d;",
	              (unsigned long long)res.qualified, (unsigned long long)res.matched,
	              res.ninputs);
	for (size_t i = 0; i < nc; i++)
		w += snprintf(out + w, size - (size_t)w, " %d/%d/%d:%lld,%lld,%lld e%lld",
		              (int)c[i].period, c[i].gem, c[i].row, (long long)c[i].n[0],
		              (long long)c[i].n[1], (long long)c[i].n[2], (long long)c[i].errors[1]);
	free(c);
	scan_result_free(&res);
}

static void figures(state *s, int sequential, int64_t from, int64_t to, char *out, size_t size)
{
	figures_of(s, sequential, from, to, 0, out, size);
}

START_TEST(tally_adds_and_merges)
{
	state_tally *a = state_tally_new(), *b = state_tally_new();
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(state_tally_add(a, 1000 + i % 300, i % 3 - 1, STATE_REQ, 0, 1), 0);
	ck_assert_int_eq(state_tally_add(b, 1000, -1, STATE_REQ, 0, 5), 0);
	ck_assert_int_eq(state_tally_merge(b, a), 0);
	/* via a state: 1000 + 5 requests, those of gemeente -1 are unknown host */
	state *s = state_new(1);
	state_tally_free(s->tally);
	s->tally = b;
	scan_range all = { INT64_MIN, INT64_MAX };
	scan_result res;
	ck_assert_int_eq(state_result(s, mt, 1, &all, 0, 1, 0, &res), 0);
	ck_assert_uint_eq(res.excluded[FILTER_HOST] + res.qualified, 1005);
	ck_assert_uint_eq(res.excluded[FILTER_HOST], 334 + 5);
	scan_result_free(&res);
	scan_range early = { 0, 1100 };
	ck_assert_int_eq(state_result(s, mt, 1, &early, 0, 1, 0, &res), 0);
	ck_assert_uint_eq(res.excluded[FILTER_TIME], 600);
	ck_assert_int_eq(res.time_min, 1100);
	ck_assert_int_eq(res.time_max, 1299);
	scan_result_free(&res);
	state_free(s);
	state_tally_free(a);
}
END_TEST

START_TEST(key_parse_and_fingerprint)
{
	visitor_key k, k2;
	ck_assert_int_eq(state_key_parse("00112233445566778899aabbccddeeff\n", 33, &k), 0);
	ck_assert_uint_eq(k.k0, 0x0011223344556677ull);
	ck_assert_uint_eq(k.k1, 0x8899aabbccddeeffull);
	ck_assert_int_eq(state_key_parse("00112233445566778899AABBCCDDEEFF\r\n", 34, &k2), 0);
	ck_assert_uint_eq(k2.k1, k.k1);
	ck_assert_int_eq(state_key_parse("00112233445566778899aabbccddeef", 31, &k2), -1);
	ck_assert_int_eq(state_key_parse("00112233445566778899aabbccddeeff0", 33, &k2), -1);
	ck_assert_int_eq(state_key_parse("0011223344556677-899aabbccddeeff", 32, &k2), -1);
	ck_assert_int_eq(state_key_parse("00112233445566778899aabbccddeeff\n\n", 34, &k2), -1);
	k2 = k;
	ck_assert_uint_eq(state_key_fingerprint(&k), state_key_fingerprint(&k2));
	k2.k1 ^= 1;
	ck_assert_uint_ne(state_key_fingerprint(&k), state_key_fingerprint(&k2));
	ck_assert_uint_ne(state_key_fingerprint(&k), 0);
	ck_assert_uint_ne(state_key_fingerprint(&k), k.k0);
}
END_TEST

START_TEST(round_trip)
{
	state *s = sample_state(42);
	size_t n;
	char *buf = encode(s, &n);
	char err[300];
	ck_assert(state_detect(buf, n));
	ck_assert(!state_detect("\x1f\x8b\x08\x00", 4));
	ck_assert(!state_detect(buf, 3));
	state_file *f = decode(buf, n, err, sizeof err);
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_int_eq(state_file_builtin(f), 0);
	ck_assert_str_eq(state_file_catalog(f), s->catalog_csv);
	state *t = state_new(4);
	ck_assert_int_eq(state_fold(t, f, mt, err, sizeof err), 0);
	ck_assert_int_eq(t->ninputs, 2);
	ck_assert_str_eq(t->inputs[1].name, "b.log.gz");
	ck_assert_ptr_null(t->inputs[1].format);
	ck_assert_str_eq(t->inputs[1].compression, "gzip");
	ck_assert_uint_eq(t->gem_fp[1], 42);
	static const int64_t ranges[][2] = {
		{ INT64_MIN, INT64_MAX },
		{ (int64_t)DAY * 86400 + 37200, (int64_t)DAY * 86400 + 86400 + 100 },
		{ (int64_t)DAY * 86400 + 37201, INT64_MAX },
	};
	for (size_t i = 0; i < 3; i++) {
		for (int seq = 0; seq < 2; seq++) {
			char a[2000], b[2000];
			figures(s, seq, ranges[i][0], ranges[i][1], a, sizeof a);
			figures(t, seq, ranges[i][0], ranges[i][1], b, sizeof b);
			ck_assert_str_eq(a, b);
		}
	}
	/* the figures themselves: all time, open funnel */
	char a[2000];
	figures(t, 0, INT64_MIN, INT64_MAX, a, sizeof a);
	ck_assert_str_eq(a, "lines 23 excl 2 0 0 4 7 0 q 5 m 4 inputs 2; "
	                    "20394/0/0:1,1,1 e2 20394/1/2:1,0,0 e0 20395/0/1:0,1,0 e0");
	/* from 10:20:01: visitor 1 keeps only done; the 5xx at 00:00:50 is out */
	figures(t, 1, ranges[2][0], ranges[2][1], a, sizeof a);
	ck_assert_str_eq(a, "lines 23 excl 2 0 0 4 0 10 q 2 m 2 inputs 2; "
	                    "20394/0/0:0,0,0 e0 20394/1/2:1,0,0 e0 20395/0/1:0,0,0 e0");
	/* merging the file twice doubles every count */
	ck_assert_int_eq(state_fold(t, f, mt, err, sizeof err), 0);
	figures(t, 0, INT64_MIN, INT64_MAX, a, sizeof a);
	ck_assert_str_eq(a, "lines 46 excl 4 0 0 8 14 0 q 10 m 8 inputs 4; "
	                    "20394/0/0:1,1,1 e4 20394/1/2:1,0,0 e0 20395/0/1:0,1,0 e0");
	/* the report taking the state's events (no copy) gives the same, for
	 * the open funnel (events dropped to steps) and the sequential one */
	char b[2000];
	figures_of(t, 0, INT64_MIN, INT64_MAX, 1, b, sizeof b);
	ck_assert_str_eq(b, a);
	ck_assert_uint_eq(funnel_size(t->fun), 0); /* taken */
	figures(s, 1, INT64_MIN, INT64_MAX, a, sizeof a);
	figures_of(s, 1, INT64_MIN, INT64_MAX, 1, b, sizeof b);
	ck_assert_str_eq(b, a);
	state_file_free(f);
	state_free(t);
	state_free(s);
	free(buf);
}
END_TEST

START_TEST(every_damaged_byte_and_cut_is_caught)
{
	state *s = sample_state(7);
	size_t n;
	char *buf = encode(s, &n);
	char err[300];
	for (size_t i = 0; i < n; i++) {
		buf[i] ^= 0x40;
		state_file *f = decode(buf, n, err, sizeof err);
		ck_assert_msg(f == NULL, "byte %zu changed, not noticed", i);
		ck_assert_msg(strstr(err, "state 's.krs'") != NULL, "%s", err);
		buf[i] ^= 0x40;
	}
	for (size_t len = 0; len < n; len++) {
		state_file *f = decode(buf, len, err, sizeof err);
		ck_assert_msg(f == NULL, "cut at %zu, not noticed", len);
		if (len >= 4)
			ck_assert_msg(strstr(err, "cut short") != NULL, "cut at %zu: %s", len, err);
	}
	state_free(s);
	free(buf);
}
END_TEST

START_TEST(newer_version_refused)
{
	state *s = sample_state(7);
	size_t n;
	char *buf = encode(s, &n);
	char err[300];
	buf[8] = 2;
	ck_assert_ptr_null(decode(buf, n, err, sizeof err));
	ck_assert_str_eq(err, "state 's.krs' has format version 2; this klantreis reads version 1: "
	                      "use a newer klantreis");
	state_free(s);
	free(buf);
}
END_TEST

START_TEST(clashing_keys_refused)
{
	state *s = sample_state(7);
	size_t n;
	char *buf = encode(s, &n);
	char err[300];
	state_file *f = decode(buf, n, err, sizeof err);
	ck_assert_ptr_nonnull(f);
	/* a state holding Beta (id 1) only, under key 8: Alfa is free */
	state *t = state_new(1);
	ck_assert_int_eq(state_tally_add(t->tally, 5, 1, STATE_REQ, 0, 1), 0);
	t->ngem = t->capgem = 2;
	t->gem_excluded = calloc(2 * FILTER_NREASONS, sizeof *t->gem_excluded);
	t->gem_fp = calloc(2, sizeof *t->gem_fp);
	t->gem_fp[1] = 8;
	ck_assert_int_eq(state_fold(t, f, mt, err, sizeof err), -2);
	ck_assert_msg(strstr(err, "gemeente 'Beta' has requests in states (or logs) under "
	                          "different visitor keys") != NULL, "%s", err);
	/* without Beta's key it folds */
	t->gem_fp[1] = 0;
	ck_assert_int_eq(state_fold(t, f, mt, err, sizeof err), 0);
	state_file_free(f);
	state_free(t);
	state_free(s);
	free(buf);
}
END_TEST

/* Damage that the checksum cannot see (the checksum recomputed): every
 * changed payload byte is read without running off the buffer, and gives
 * an error or a state. Under ASan this guards the decoder's bounds. */
START_TEST(damage_behind_a_valid_checksum)
{
	state *s = sample_state(7);
	size_t n;
	char *buf = encode(s, &n);
	char err[300];
	for (size_t i = 8 + 4 + 8; i + 4 < n; i++) {
		for (int v = 0; v < 3; v++) {
			char *copy = malloc(n);
			memcpy(copy, buf, n);
			copy[i] = (char)(v == 0 ? 0xff : v == 1 ? 0x00 : copy[i] ^ 0x01);
			uLong crc = crc32(0L, (const Bytef *)copy + 8, (uInt)(n - 12));
			for (int b = 0; b < 4; b++)
				copy[n - 4 + (size_t)b] = (char)(crc >> (8 * b));
			state_file *f = decode(copy, n, err, sizeof err);
			if (f) {
				state *t = state_new(1);
				int rc = state_fold(t, f, mt, err, sizeof err);
				ck_assert(rc == 0 || rc == -1 || rc == -2);
				if (rc == -1)
					ck_assert_msg(strstr(err, "is damaged") != NULL, "%s", err);
				state_free(t);
				state_file_free(f);
			}
			free(copy);
		}
	}
	state_free(s);
	free(buf);
}
END_TEST

Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tally_adds_and_merges);
	tcase_add_test(tc, key_parse_and_fingerprint);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, every_damaged_byte_and_cut_is_caught);
	tcase_add_test(tc, newer_version_refused);
	tcase_add_test(tc, clashing_keys_refused);
	tcase_add_test(tc, damage_behind_a_valid_checksum);
	suite_add_tcase(s, tc);
	return s;
}
