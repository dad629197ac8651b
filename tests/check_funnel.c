/*
 * check_funnel.c - visitor counting, the sequential level with its window
 * edge, merging and periods.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "catalog.h"
#include "check_suites.h"
#include "funnel.h"
#include "ktime.h"

#define S 1000000LL /* one second in microseconds */

/* fault.h's switches, defined by check_run.c */
extern _Atomic long kr_fault_countdown;
extern _Atomic long kr_fault_injected;

static int level(const int *steps, const int64_t *t, size_t n, int64_t w)
{
	int64_t scratch[64];
	return funnel_level(steps, t, n, w * S, scratch);
}

START_TEST(test_level_basic)
{
	int st[] = { STEP_INFO, STEP_FORM, STEP_DONE };
	int64_t t[] = { 0, 10 * S, 20 * S };
	ck_assert_int_eq(level(st, t, 3, 100), 3);
	ck_assert_int_eq(level(st, t, 1, 100), 1);
	ck_assert_int_eq(level(st, t, 2, 100), 2);
	/* No info event: level 0 whatever else happened. */
	ck_assert_int_eq(level(st + 1, t + 1, 2, 100), 0);
}
END_TEST

START_TEST(test_level_window_edge)
{
	int st[] = { STEP_INFO, STEP_FORM, STEP_DONE };
	int64_t t[] = { 0, 10 * S, 20 * S };
	ck_assert_int_eq(level(st, t, 3, 20), 3);  /* t3 - t1 == W counts */
	ck_assert_int_eq(level(st, t, 3, 19), 2);  /* one second short */
	ck_assert_int_eq(level(st, t, 3, 10), 2);  /* t2 - t1 == W */
	ck_assert_int_eq(level(st, t, 3, 9), 1);
	int64_t sub[] = { 0, 10 * S, 20 * S + 1 }; /* one microsecond over */
	ck_assert_int_eq(level(st, sub, 3, 20), 2);
}
END_TEST

START_TEST(test_level_order)
{
	/* form before info does not count; done before form does not count. */
	int st[] = { STEP_FORM, STEP_INFO, STEP_DONE };
	int64_t t[] = { 0, 10 * S, 20 * S };
	ck_assert_int_eq(level(st, t, 3, 1000), 1);
	int st2[] = { STEP_INFO, STEP_DONE, STEP_FORM };
	ck_assert_int_eq(level(st2, t, 3, 1000), 2);
	/* Equal instants are in order (t1 <= t2 <= t3). */
	int64_t same[] = { 5 * S, 5 * S, 5 * S };
	int st3[] = { STEP_DONE, STEP_FORM, STEP_INFO };
	ck_assert_int_eq(level(st3, same, 3, 0), 3);
}
END_TEST

START_TEST(test_level_later_info_wins)
{
	/* The first info is too early for the window, a later one fits. */
	int st[] = { STEP_INFO, STEP_INFO, STEP_FORM, STEP_DONE };
	int64_t t[] = { 0, 1000 * S, 1010 * S, 1020 * S };
	ck_assert_int_eq(level(st, t, 4, 30), 3);
	ck_assert_int_eq(level(st, t, 4, 15), 2);
	/* A later form makes a done reachable only with the earliest form. */
	int st2[] = { STEP_INFO, STEP_FORM, STEP_DONE, STEP_FORM };
	int64_t t2[] = { 0, 5 * S, 6 * S, 50 * S };
	ck_assert_int_eq(level(st2, t2, 4, 10), 3);
}
END_TEST

static funnel_cell *cells_of(funnel *f, funnel_cfg cfg, size_t *n)
{
	funnel_cell *c;
	ck_assert_int_eq(funnel_cells(f, &cfg, &c, n), 0);
	ck_assert(c != NULL || *n == 0);
	return c;
}

START_TEST(test_open_visitors_and_hits)
{
	funnel *f = funnel_new(0, 1);
	int32_t day = 20394;
	/* visitor 1: info twice, form once; visitor 2: form only; row 1 gets
	 * one info of visitor 1; visitor 1 on the next day is another visitor. */
	ck_assert_int_eq(funnel_add(f, 1, day, 0, 0, 0, STEP_INFO), 0);
	funnel_add(f, 1, day, 0, 0, 0, STEP_INFO);
	funnel_add(f, 1, day, 0, 0, 0, STEP_FORM);
	funnel_add(f, 2, day, 0, 0, 0, STEP_FORM);
	funnel_add(f, 1, day, 0, 0, 1, STEP_INFO);
	funnel_add(f, 1, day + 1, 0, 0, 0, STEP_INFO);
	ck_assert_uint_eq(funnel_size(f), 4);
	size_t n;
	funnel_cell *c = cells_of(f, (funnel_cfg){ 0, 0, 0, KTIME_BY_NONE }, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(c[0].row, 0);
	ck_assert_int_eq(c[0].n[0], 2);
	ck_assert_int_eq(c[0].n[1], 2);
	ck_assert_int_eq(c[0].n[2], 0);
	ck_assert_int_eq(c[1].row, 1);
	ck_assert_int_eq(c[1].n[0], 1);
	free(c);
	c = cells_of(f, (funnel_cfg){ 0, 1, 0, KTIME_BY_NONE }, &n);
	ck_assert_int_eq(c[0].n[0], 3);
	ck_assert_int_eq(c[0].n[1], 2);
	free(c);
	/* By day: two periods, in order. */
	c = cells_of(f, (funnel_cfg){ 0, 0, 0, KTIME_BY_DAY }, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(c[0].period, day);
	ck_assert_int_eq(c[2].period, day + 1);
	ck_assert_int_eq(c[2].n[0], 1);
	free(c);
	funnel_free(f);
}
END_TEST

START_TEST(test_merge_and_growth)
{
	funnel *a = funnel_new(1, 1), *b = funnel_new(1, 1);
	/* Enough distinct visitors to force several table growths. */
	for (uint64_t v = 1; v <= 5000; v++) {
		funnel *f = (v & 1) ? a : b;
		ck_assert_int_eq(funnel_add(f, v, 100, 0, 0, 0, STEP_INFO), 0);
		if (v % 3 == 0)
			funnel_add(f == a ? b : a, v, 100, 60 * S, 0, 0, STEP_FORM);
		if (v % 6 == 0)
			funnel_add(f, v, 100, 120 * S, 0, 0, STEP_DONE);
	}
	ck_assert_int_eq(funnel_merge(a, b), 0);
	size_t n;
	funnel_cell *c = cells_of(a, (funnel_cfg){ 1, 0, 3600 * S, KTIME_BY_NONE }, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(c[0].n[0], 5000);
	ck_assert_int_eq(c[0].n[1], 1666);
	ck_assert_int_eq(c[0].n[2], 833);
	free(c);
	/* With a 90 s window the done at 120 s is out of reach. */
	c = cells_of(a, (funnel_cfg){ 1, 0, 90 * S, KTIME_BY_NONE }, &n);
	ck_assert_int_eq(c[0].n[2], 0);
	ck_assert_int_eq(c[0].n[1], 1666);
	free(c);
	funnel_free(a);
	funnel_free(b);
	funnel_free(NULL);
}
END_TEST

/* funnel_add_batch must equal one funnel_add per request, also when
 * the batch makes the table grow and holds the same entry twice. */
START_TEST(test_batch_equals_single)
{
	funnel *a = funnel_new(1, 1), *b = funnel_new(1, 1);
	funnel_req r[300];
	size_t n = 0;
	for (int i = 0; i < 300; i++) {
		uint64_t v = (uint64_t)(i % 250) + 1; /* 50 visitors twice */
		r[n++] = (funnel_req){ v, (int64_t)i * S, 100 + i % 2, 0, i % 3, i % 4, i % 3 };
		ck_assert_int_eq(funnel_add(a, r[n - 1].visitor, r[n - 1].day, r[n - 1].instant_us,
		                            r[n - 1].gem, r[n - 1].row, r[n - 1].step), 0);
	}
	ck_assert_int_eq(funnel_add_batch(b, r, 100), 0);
	ck_assert_int_eq(funnel_add_batch(b, r + 100, 200), 0);
	ck_assert_uint_eq(funnel_size(a), funnel_size(b));
	for (int seq = 0; seq < 2; seq++) {
		for (int hits = 0; hits < 2 - seq; hits++) {
			funnel_cfg cfg = { seq, hits, 3600 * S, KTIME_BY_DAY };
			size_t na, nb;
			funnel_cell *ca = cells_of(a, cfg, &na), *cb = cells_of(b, cfg, &nb);
			ck_assert_uint_eq(na, nb);
			ck_assert_uint_gt(na, 1);
			for (size_t k = 0; k < na; k++) {
				ck_assert_int_eq(ca[k].period, cb[k].period);
				ck_assert_int_eq(ca[k].gem, cb[k].gem);
				ck_assert_int_eq(ca[k].row, cb[k].row);
				for (int st = 0; st < 3; st++)
					ck_assert_int_eq(ca[k].n[st], cb[k].n[st]);
			}
			free(ca);
			free(cb);
		}
	}
	funnel_free(a);
	funnel_free(b);
}
END_TEST

/* Funnels split into 1, 2 and 4 parts hold the same figures; merging part
 * by part (also from several threads at once) equals funnel_merge. */
typedef struct {
	funnel *dst, *src;
	int part, rc;
} part_merge;

static void *merge_one(void *arg)
{
	part_merge *m = arg;
	m->rc = funnel_merge_part(m->dst, m->src, m->part);
	return NULL;
}

START_TEST(test_parts)
{
	for (int seq = 0; seq < 2; seq++) {
		funnel *ref = funnel_new(seq, 1), *f[3][2];
		for (int k = 0; k < 3; k++)
			for (int w = 0; w < 2; w++)
				f[k][w] = funnel_new(seq, 1 << k);
		ck_assert_int_eq(funnel_nparts(f[2][0]), 4);
		funnel *three = funnel_new(0, 3); /* rounded down to 2 */
		ck_assert_int_eq(funnel_nparts(three), 2);
		funnel_free(three);
		/* two "workers" see overlapping visitors */
		for (uint64_t v = 1; v <= 20000; v++) {
			int w = (int)(v % 2), step = (int)(v % 3), day = 100 + (int)(v % 5);
			uint64_t vis = v % 7000 + 1;
			funnel_add(ref, vis, day, (int64_t)v * S, (int)(v % 3), (int)(v % 4), step);
			for (int k = 0; k < 3; k++)
				ck_assert_int_eq(funnel_add(f[k][w], vis, day, (int64_t)v * S, (int)(v % 3),
				                            (int)(v % 4), step), 0);
			if (v % 11 == 0) {
				funnel_add_error(ref, day, 1, 2, step);
				for (int k = 0; k < 3; k++)
					funnel_add_error(f[k][w], day, 1, 2, step);
			}
		}
		/* k = 0, 1: funnel_merge; k = 2: four threads, one part each */
		for (int k = 0; k < 2; k++)
			ck_assert_int_eq(funnel_merge(f[k][0], f[k][1]), 0);
		ck_assert_int_eq(funnel_merge_counts(f[2][0], f[2][1]), 0);
		pthread_t th[4];
		part_merge pm[4];
		for (int p = 0; p < 4; p++) {
			pm[p] = (part_merge){ f[2][0], f[2][1], p, -2 };
			ck_assert_int_eq(pthread_create(&th[p], NULL, merge_one, &pm[p]), 0);
		}
		for (int p = 0; p < 4; p++) {
			pthread_join(th[p], NULL);
			ck_assert_int_eq(pm[p].rc, 0);
		}
		ck_assert_int_eq(funnel_merge_part(f[2][0], f[1][1], 0), -1); /* 4 vs 2 parts */
		ck_assert_int_eq(funnel_merge_part(f[2][0], f[2][1], 4), -1);
		for (int k = 0; k < 3; k++) {
			ck_assert_uint_eq(funnel_size(f[k][0]), funnel_size(ref));
			for (int hits = 0; hits < 2 - seq; hits++) {
				funnel_cfg cfg = { seq, hits, 3 * 3600 * S, KTIME_BY_DAY };
				size_t na, nb;
				funnel_cell *ca = cells_of(ref, cfg, &na), *cb = cells_of(f[k][0], cfg, &nb);
				ck_assert_uint_eq(na, nb);
				ck_assert_uint_gt(na, 20);
				for (size_t i = 0; i < na; i++) {
					ck_assert_int_eq(ca[i].period, cb[i].period);
					ck_assert_int_eq(ca[i].gem, cb[i].gem);
					ck_assert_int_eq(ca[i].row, cb[i].row);
					ck_assert_int_eq(ca[i].matched, cb[i].matched);
					for (int st = 0; st < 3; st++) {
						ck_assert_int_eq(ca[i].n[st], cb[i].n[st]);
						ck_assert_int_eq(ca[i].errors[st], cb[i].errors[st]);
					}
				}
				free(ca);
				free(cb);
			}
		}
		funnel_free(ref);
		for (int k = 0; k < 3; k++)
			for (int w = 0; w < 2; w++)
				funnel_free(f[k][w]);
	}
}
END_TEST

/* funnel_filter of a funnel with wall seconds equals a funnel fed only
 * the events in range; funnel_walk gives back every event. */
static int walk_count(void *arg, const funnel_key *k, const funnel_event *ev, size_t n)
{
	size_t *total = arg;
	(void)k;
	for (size_t i = 0; i < n; i++)
		ck_assert(ev[i].sod >= 0 && ev[i].sod < 86400 && ev[i].step >= 0 && ev[i].step < 3);
	*total += n;
	return 0;
}

START_TEST(test_filter_and_walk)
{
	const int64_t from = 100 * 86400 + 3600, to = 101 * 86400 + 7200;
	funnel *all = funnel_new(1, 2), *want_seq = funnel_new(1, 4), *want_open = funnel_new(0, 1);
	size_t nev = 0;
	for (int i = 0; i < 3000; i++) {
		uint64_t v = (uint64_t)(i % 37);
		int32_t day = 100 + i % 3, sod = (i * 7919) % 86400;
		int64_t wall = (int64_t)day * 86400 + sod, inst = (wall - 3600) * 1000000 + i;
		int gem = i % 2, row = i % 5, step = (i / 5) % 3;
		ck_assert_int_eq(funnel_add_at(all, v, day, sod, inst, gem, row, step), 0);
		nev++;
		if (wall >= from && wall < to) {
			ck_assert_int_eq(funnel_add(want_seq, v, day, inst, gem, row, step), 0);
			ck_assert_int_eq(funnel_add(want_open, v, day, inst, gem, row, step), 0);
		}
	}
	size_t total = 0;
	ck_assert_int_eq(funnel_walk(all, walk_count, &total), 0);
	ck_assert_uint_eq(total, nev);
	funnel *got_seq = funnel_new(1, 1), *got_open = funnel_new(0, 2);
	ck_assert_int_eq(funnel_filter(got_seq, all, from, to), 0);
	ck_assert_int_eq(funnel_filter(got_open, all, from, to), 0);
	ck_assert_uint_eq(funnel_size(got_seq), funnel_size(want_seq));
	ck_assert_uint_lt(funnel_size(got_seq), funnel_size(all));
	static const funnel_cfg cfgs[] = {
		{ 1, 0, 3600 * (int64_t)1000000, KTIME_BY_DAY },
		{ 0, 0, 0, KTIME_BY_NONE },
		{ 0, 1, 0, KTIME_BY_DAY },
	};
	for (size_t c = 0; c < 3; c++) {
		size_t na, nb;
		funnel_cell *a = cells_of(cfgs[c].sequential ? got_seq : got_open, cfgs[c], &na);
		funnel_cell *b = cells_of(cfgs[c].sequential ? want_seq : want_open, cfgs[c], &nb);
		ck_assert_uint_eq(na, nb);
		ck_assert_uint_gt(na, 0);
		for (size_t i = 0; i < na; i++) {
			ck_assert_int_eq(a[i].period, b[i].period);
			ck_assert_int_eq(a[i].gem, b[i].gem);
			ck_assert_int_eq(a[i].row, b[i].row);
			for (int s = 0; s < 3; s++)
				ck_assert_int_eq(a[i].n[s], b[i].n[s]);
		}
		free(a);
		free(b);
	}
	/* a funnel without events cannot be filtered */
	ck_assert_int_eq(funnel_filter(got_seq, want_open, from, to), -1);
	funnel_free(all);
	funnel_free(want_seq);
	funnel_free(want_open);
	funnel_free(got_seq);
	funnel_free(got_open);
}
END_TEST

START_TEST(test_week_and_month_periods)
{
	funnel *f = funnel_new(0, 1);
	/* 2024-12-30 (Mon, ISO week 2025-W01) and 2025-01-05 (Sun, same week),
	 * 2025-01-06 (next week). */
	int32_t d1 = ktime_days_from_civil(2024, 12, 30);
	funnel_add(f, 1, d1, 0, 0, 0, STEP_INFO);
	funnel_add(f, 2, d1 + 6, 0, 0, 0, STEP_INFO);
	funnel_add(f, 3, d1 + 7, 0, 0, 0, STEP_INFO);
	size_t n;
	funnel_cell *c = cells_of(f, (funnel_cfg){ 0, 0, 0, KTIME_BY_WEEK }, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(c[0].period, d1);
	ck_assert_int_eq(c[0].n[0], 2);
	ck_assert_int_eq(c[1].n[0], 1);
	free(c);
	c = cells_of(f, (funnel_cfg){ 0, 0, 0, KTIME_BY_MONTH }, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(c[0].period, ktime_days_from_civil(2024, 12, 1));
	ck_assert_int_eq(c[0].n[0], 1);
	ck_assert_int_eq(c[1].n[0], 2);
	free(c);
	funnel_free(f);
}
END_TEST

/* funnel_day_range: the first and last day with a matched step, also
 * after a merge; none in an empty funnel (first and last untouched). */
START_TEST(test_day_range)
{
	funnel *a = funnel_new(0, 1), *b = funnel_new(0, 1);
	int32_t first = -7, last = -7;
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(funnel_day_range(a, &first, &last), 0);
	ck_assert_int_eq(first, -7);
	ck_assert_int_eq(last, -7);
	ck_assert_int_eq(funnel_add(a, 1, 20762, 0, 0, 0, 0), 0);
	ck_assert_int_eq(funnel_add(a, 2, 20760, 0, 1, 0, 2), 0);
	ck_assert_int_eq(funnel_day_range(a, &first, &last), 1);
	ck_assert_int_eq(first, 20760);
	ck_assert_int_eq(last, 20762);
	ck_assert_int_eq(funnel_add(b, 3, 20770, 5, 0, 0, 1), 0);
	ck_assert_int_eq(funnel_add(b, 3, 20759, 9, 0, 0, 0), 0);
	ck_assert_int_eq(funnel_merge(a, b), 0);
	ck_assert_int_eq(funnel_day_range(a, &first, &last), 1);
	ck_assert_int_eq(first, 20759);
	ck_assert_int_eq(last, 20770);
	funnel_free(a);
	funnel_free(b);
}
END_TEST

/* Cells of a and b are the same, for the configuration cfg. */
static void same_cells(funnel *a, funnel *b, funnel_cfg cfg)
{
	size_t na, nb;
	funnel_cell *ca = cells_of(a, cfg, &na), *cb = cells_of(b, cfg, &nb);
	ck_assert_uint_eq(na, nb);
	for (size_t i = 0; i < na; i++) {
		ck_assert_int_eq(ca[i].period, cb[i].period);
		ck_assert_int_eq(ca[i].gem, cb[i].gem);
		ck_assert_int_eq(ca[i].row, cb[i].row);
		for (int s = 0; s < 3; s++) {
			ck_assert_int_eq(ca[i].n[s], cb[i].n[s]);
			ck_assert_int_eq(ca[i].errors[s], cb[i].errors[s]);
		}
	}
	free(ca);
	free(cb);
}

/* funnel_drop_before: a funnel fed ten days and cut before day 105 holds
 * exactly what a funnel fed only days 105 on holds (entries, events,
 * hits, errors), in both modes and with several parts, and it keeps
 * working (adds after the cut land in the shrunk tables). */
START_TEST(test_drop_before)
{
	for (int seq = 0; seq <= 1; seq++) {
		funnel *all = funnel_new(seq, 4), *kept = funnel_new(seq, 2);
		ck_assert_ptr_nonnull(all);
		ck_assert_ptr_nonnull(kept);
		size_t old = 0;
		for (int i = 0; i < 20000; i++) {
			int32_t day = 100 + i % 10;
			uint64_t v = (uint64_t)(i % 3000) + 1;
			int64_t t = (int64_t)day * 86400 * S + (int64_t)(i % 7) * 60 * S;
			int gem = i % 3, row = i % 2, step = (i / 10) % 3;
			ck_assert_int_eq(funnel_add(all, v, day, t, gem, row, step), 0);
			if (i % 13 == 0)
				ck_assert_int_eq(funnel_add_error(all, day, gem, row, step), 0);
			if (day >= 105) {
				funnel_add(kept, v, day, t, gem, row, step);
				if (i % 13 == 0)
					funnel_add_error(kept, day, gem, row, step);
			}
		}
		old = funnel_size(all);
		ssize_t d = funnel_drop_before(all, 105);
		ck_assert_int_eq(d, (ssize_t)(old - funnel_size(kept)));
		ck_assert_uint_eq(funnel_size(all), funnel_size(kept));
		for (int by = KTIME_BY_NONE; by <= KTIME_BY_MONTH; by++) {
			same_cells(all, kept, (funnel_cfg){ seq, 0, 600 * S, (enum ktime_by)by });
			if (!seq)
				same_cells(all, kept, (funnel_cfg){ 0, 1, 0, (enum ktime_by)by });
		}
		int32_t first, last;
		ck_assert_int_eq(funnel_day_range(all, &first, &last), 1);
		ck_assert_int_eq(first, 105);
		ck_assert_int_eq(last, 109);
		/* nothing more to drop; then the tables still take new entries */
		ck_assert_int_eq(funnel_drop_before(all, 105), 0);
		for (uint64_t v = 1; v <= 3000; v++) {
			ck_assert_int_eq(funnel_add(all, v, 110, 0, 0, 0, STEP_INFO), 0);
			funnel_add(kept, v, 110, 0, 0, 0, STEP_INFO);
		}
		same_cells(all, kept, (funnel_cfg){ seq, 0, 600 * S, KTIME_BY_DAY });
		/* everything gone */
		ck_assert_int_eq(funnel_drop_before(all, 200), (ssize_t)funnel_size(kept));
		ck_assert_uint_eq(funnel_size(all), 0);
		ck_assert_int_eq(funnel_day_range(all, &first, &last), 0);
		funnel_free(all);
		funnel_free(kept);
	}
}
END_TEST

/* Fills f with ten days (100..109) of steps; only days >= from. */
static void ten_days(funnel *f, int32_t from)
{
	for (int i = 0; i < 4000; i++) {
		int32_t day = 100 + i % 10;
		if (day < from)
			continue;
		int64_t t = (int64_t)day * 86400 * S + (int64_t)(i % 5) * 60 * S;
		ck_assert_int_eq(funnel_add(f, (uint64_t)(i % 700) + 1, day, t, i % 2, 0,
		                            (i / 10) % 3), 0);
		if (i % 11 == 0)
			ck_assert_int_eq(funnel_add_error(f, day, i % 2, 0, i % 3), 0);
	}
}

/* funnel_drop_before when an allocation fails at every point in turn:
 * -1, and the funnel stays usable; the next call finishes the cut, and
 * the figures are those of the days kept. */
START_TEST(test_drop_before_oom)
{
	long failed = 0;
	for (int seq = 0; seq <= 1; seq++) {
		funnel *kept = funnel_new(seq, 1);
		ten_days(kept, 105);
		for (long after = 0; after < 40; after++) {
			funnel *all = funnel_new(seq, 4);
			ten_days(all, 0);
			long before = atomic_load(&kr_fault_injected);
			atomic_store(&kr_fault_countdown, after);
			ssize_t d = funnel_drop_before(all, 105);
			atomic_store(&kr_fault_countdown, -1);
			if (atomic_load(&kr_fault_injected) > before) {
				ck_assert_int_eq(d, -1);
				failed++;
			}
			ck_assert_int_ge(funnel_drop_before(all, 105), 0);
			ck_assert_uint_eq(funnel_size(all), funnel_size(kept));
			same_cells(all, kept, (funnel_cfg){ seq, 0, 600 * S, KTIME_BY_DAY });
			if (!seq)
				same_cells(all, kept, (funnel_cfg){ 0, 1, 0, KTIME_BY_NONE });
			funnel_free(all);
		}
		funnel_free(kept);
	}
	ck_assert_int_gt(failed, 4); /* the failures did happen */
}
END_TEST

/* funnel_fold: nw "workers" (funnels of nparts parts) get the steps of
 * days in order (each phase also a day late), the days two behind are
 * folded after each phase under by; the figures must equal those
 * funnel_cells gives, under the same by, for one funnel that kept
 * everything: for the open funnel, hits and the sequential funnel. With
 * one part the fold runs on the caller's thread alone, with several on
 * one thread per part, with the counters of the nw funnels shared among
 * them, so serial and parallel folds give the same figures. Visitor-days
 * straddle the funnels, days straddle weeks and months, the tables grow
 * after folds, and the folded entries are gone. */
static uint64_t fold_rng;
static uint64_t fold_rnd(void)
{
	uint64_t z = (fold_rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void cells_eq(const funnel *got_f, const funnel *want_f, const funnel_cfg *cfg)
{
	funnel_cell *got, *want;
	size_t ngot, nwant;
	ck_assert_int_eq(funnel_cells(got_f, cfg, &got, &ngot), 0);
	ck_assert_int_eq(funnel_cells(want_f, cfg, &want, &nwant), 0);
	ck_assert_uint_eq(ngot, nwant);
	ck_assert_uint_gt(nwant, 0);
	for (size_t i = 0; i < nwant; i++) {
		ck_assert_int_eq(got[i].period, want[i].period);
		ck_assert_int_eq(got[i].gem, want[i].gem);
		ck_assert_int_eq(got[i].row, want[i].row);
		ck_assert_int_eq(got[i].matched, want[i].matched);
		for (int k = 0; k < 3; k++) {
			ck_assert_int_eq(got[i].n[k], want[i].n[k]);
			ck_assert_int_eq(got[i].errors[k], want[i].errors[k]);
		}
	}
	free(got);
	free(want);
}

/* scan.c's fold (scan_opts.fold): each worker keeps a funnel per day
 * (wd[worker][day - day0], made or taken from the spare pool); a fold
 * takes every worker's funnels of each day before `before` into acc,
 * day by day, after which they are empty and go back to the pool. */
#define FOLD_DAYS 12
#define FOLD_DAY0 20781 /* Tuesday 24 November 2026: into December */

typedef struct {
	funnel *wd[3][FOLD_DAYS];
	funnel *pool[3 * FOLD_DAYS];
	int npool, sequential, nparts, no_hits;
} fold_days;

static funnel *fold_day_of(fold_days *x, int worker, int d)
{
	if (!x->wd[worker][d] && x->npool) {
		x->wd[worker][d] = x->pool[--x->npool];
	} else if (!x->wd[worker][d]) {
		ck_assert_ptr_nonnull(x->wd[worker][d] = funnel_new(x->sequential, x->nparts));
		if (x->no_hits) /* as scan.c: the report does not count hits */
			funnel_no_hits(x->wd[worker][d]);
	}
	return x->wd[worker][d];
}

static void fold_handover(fold_days *x, funnel *acc, int nw, const funnel_cfg *cfg,
                          int before, int threads)
{
	for (int d = 0; d < before; d++) {
		funnel *fs[4] = { acc, NULL, NULL, NULL };
		int nf = 1;
		for (int i = 0; i < nw; i++)
			if (x->wd[i][d])
				fs[nf++] = x->wd[i][d];
		if (nf == 1)
			continue;
		ck_assert_int_eq(funnel_fold(fs, nf, cfg, FOLD_DAY0 + before, threads), 0);
		for (int i = 0; i < nw; i++)
			if (x->wd[i][d]) {
				ck_assert_uint_eq(funnel_size(x->wd[i][d]), 0);
				x->pool[x->npool++] = x->wd[i][d];
				x->wd[i][d] = NULL;
			}
	}
}

static size_t fold_held(funnel **w, const fold_days *x, int nw)
{
	size_t held = 0;
	for (int i = 0; i < nw; i++) {
		held += funnel_size(w[i]);
		for (int d = 0; x && d < FOLD_DAYS; d++)
			held += x->wd[i][d] ? funnel_size(x->wd[i][d]) : 0;
	}
	return held;
}

static void fold_run(int sequential, int count_hits, enum ktime_by by, int nparts, int nw,
                     int handover)
{
	funnel_cfg cfg = { sequential, count_hits, 600 * S, by };
	funnel *w[3], *acc = NULL;
	funnel *ref = funnel_new(sequential, 2);
	fold_days x = { .npool = 0, .sequential = sequential, .nparts = nparts,
		        .no_hits = !count_hits || sequential };
	const int32_t day0 = FOLD_DAY0;
	size_t most = 0, held = 0;
	ck_assert_ptr_nonnull(ref);
	for (int i = 0; i < nw; i++)
		ck_assert_ptr_nonnull(w[i] = funnel_new(sequential, nparts));
	if (handover)
		ck_assert_ptr_nonnull(acc = funnel_new(sequential, nparts));
	if (handover && x.no_hits)
		funnel_no_hits(acc);
	fold_rng = 7;
	for (int phase = 0; phase < 12; phase++) {
		size_t n = 500 + (size_t)phase * 400; /* growing days: tables grow after folds */
		for (size_t i = 0; i < n; i++) {
			int32_t day = day0 + phase - (fold_rnd() % 4 == 0 && phase > 0);
			uint64_t v = fold_rnd() % (n / 3 + 1);
			int gem = (int)(fold_rnd() % 3), row = (int)(fold_rnd() % 2);
			int step = (int)(fold_rnd() % 3);
			int64_t t = ((int64_t)day * 86400 + (int64_t)(fold_rnd() % 7200)) * S;
			int k = (int)(fold_rnd() % (uint64_t)nw);
			funnel *to = handover ? fold_day_of(&x, k, day - day0) : w[k];
			ck_assert_int_eq(funnel_add(to, v, day, t, gem, row, step), 0);
			ck_assert_int_eq(funnel_add(ref, v, day, t, gem, row, step), 0);
			if (i % 50 == 0) {
				ck_assert_int_eq(funnel_add_error(to, day, gem, row, step), 0);
				ck_assert_int_eq(funnel_add_error(ref, day, gem, row, step), 0);
			}
		}
		held = fold_held(w, handover ? &x : NULL, nw);
		if (held > most)
			most = held;
		if (phase >= 2 && !handover)
			ck_assert_int_eq(funnel_fold(w, nw, &cfg, day0 + phase - 1, phase % 2 ? 1 : nparts), 0);
		if (phase >= 2 && handover)
			fold_handover(&x, acc, nw, &cfg, phase - 1, phase % 2 ? 1 : nparts);
	}
	/* what is held is the last two days, not all twelve */
	held = fold_held(w, handover ? &x : NULL, nw);
	ck_assert_uint_lt(held, funnel_size(ref) / 3);
	ck_assert_uint_lt(most, funnel_size(ref) / 2);
	for (int i = 1; i < nw; i++)
		ck_assert_int_eq(funnel_merge(w[0], w[i]), 0);
	for (int i = 0; i < nw && handover; i++)
		for (int d = 0; d < FOLD_DAYS; d++)
			if (x.wd[i][d])
				ck_assert_int_eq(funnel_merge(w[0], x.wd[i][d]), 0);
	if (handover)
		ck_assert_int_eq(funnel_merge(w[0], acc), 0);
	int32_t f1, l1, f2, l2;
	ck_assert_int_eq(funnel_day_range(w[0], &f1, &l1), 1);
	ck_assert_int_eq(funnel_day_range(ref, &f2, &l2), 1);
	ck_assert_int_eq(f1, f2);
	ck_assert_int_eq(l1, l2);
	cells_eq(w[0], ref, &cfg);
	/* the folded figures are per period of by: no other by can be asked */
	funnel_cell *c;
	size_t nc;
	cfg.by = by == KTIME_BY_NONE ? KTIME_BY_DAY : KTIME_BY_NONE;
	ck_assert_int_eq(funnel_cells(w[0], &cfg, &c, &nc), -1);
	ck_assert_ptr_null(c);
	for (int i = 0; i < nw; i++) {
		funnel_free(w[i]);
		for (int d = 0; d < FOLD_DAYS; d++)
			funnel_free(x.wd[i][d]);
	}
	for (int i = 0; i < x.npool; i++)
		funnel_free(x.pool[i]);
	funnel_free(acc);
	funnel_free(ref);
}

/* every --by, serial (one part, the caller's thread) and parallel (two
 * parts over three workers, four parts over two); the funnels folded in
 * place and handed over (fold_handover) */
static void fold_case(int sequential, int count_hits)
{
	enum ktime_by bys[] = { KTIME_BY_NONE, KTIME_BY_DAY, KTIME_BY_WEEK, KTIME_BY_MONTH };
	for (size_t b = 0; b < sizeof bys / sizeof bys[0]; b++) {
		for (int handover = 0; handover < 2; handover++) {
			fold_run(sequential, count_hits, bys[b], 1, 2, handover);
			fold_run(sequential, count_hits, bys[b], 2, 3, handover);
			fold_run(sequential, count_hits, bys[b], 4, 2, handover);
		}
	}
}

START_TEST(test_fold_open)
{
	fold_case(0, 0);
}
END_TEST

START_TEST(test_fold_hits)
{
	fold_case(0, 1);
}
END_TEST

START_TEST(test_fold_sequential)
{
	fold_case(1, 0);
}
END_TEST

/* funnel_no_hits: the same visitors, the same days, no hits; and no
 * dropping of days, which only a range of them is known of */
START_TEST(test_no_hits)
{
	funnel_cfg cfg = { 0, 0, 0, KTIME_BY_DAY };
	funnel *a = funnel_new(0, 2), *b = funnel_new(0, 2);
	funnel_no_hits(b);
	for (int i = 0; i < 300; i++) {
		int32_t day = 10 + i % 7;
		int64_t t = ((int64_t)day * 86400 + i) * S;
		ck_assert_int_eq(funnel_add(a, (uint64_t)(i % 41), day, t, i % 3, i % 2, i % 3), 0);
		ck_assert_int_eq(funnel_add(b, (uint64_t)(i % 41), day, t, i % 3, i % 2, i % 3), 0);
	}
	cells_eq(b, a, &cfg);
	int32_t f1, l1, f2, l2;
	ck_assert_int_eq(funnel_day_range(a, &f1, &l1), 1);
	ck_assert_int_eq(funnel_day_range(b, &f2, &l2), 1);
	ck_assert_int_eq(f1, 10);
	ck_assert_int_eq(l1, 16);
	ck_assert_int_eq(f2, f1);
	ck_assert_int_eq(l2, l1);
	errno = 0;
	ck_assert_int_eq(funnel_drop_before(b, 12), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_ge(funnel_drop_before(a, 12), 0);
	funnel_free(a);
	funnel_free(b);
}
END_TEST

START_TEST(test_fold_mismatch)
{
	funnel_cfg cfg = { 0, 0, 0, KTIME_BY_NONE };
	funnel *w[2] = { funnel_new(0, 2), funnel_new(1, 2) };
	ck_assert_int_eq(funnel_fold(w, 2, &cfg, 5, 2), -1);
	funnel_free(w[0]);
	funnel_free(w[1]);
	/* a funnel holding folded days: no fold under another cfg, no merge
	 * of days folded under another cfg, no dropping of days */
	funnel *a = funnel_new(0, 1), *b = funnel_new(0, 1);
	ck_assert_int_eq(funnel_add(a, 1, 3, 3 * 86400 * S, 0, 0, 0), 0);
	ck_assert_int_eq(funnel_add(b, 1, 3, 3 * 86400 * S, 0, 0, 0), 0);
	ck_assert_int_eq(funnel_fold(&a, 1, &cfg, 5, 1), 0);
	funnel_cfg week = cfg;
	week.by = KTIME_BY_WEEK;
	ck_assert_int_eq(funnel_fold(&b, 1, &week, 5, 1), 0);
	errno = 0;
	ck_assert_int_eq(funnel_fold(&a, 1, &week, 6, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(funnel_merge(a, b), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(funnel_drop_before(a, 4), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* the folded day is still seen: its figures and its day */
	funnel_cell *c;
	size_t n;
	int32_t first, last;
	ck_assert_int_eq(funnel_cells(a, &cfg, &c, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(c[0].n[0], 1);
	ck_assert_int_eq(funnel_day_range(a, &first, &last), 1);
	ck_assert_int_eq(first, 3);
	ck_assert_int_eq(last, 3);
	ck_assert_uint_eq(funnel_size(a), 0);
	free(c);
	funnel_free(a);
	funnel_free(b);
}
END_TEST

Suite *funnel_suite(void)
{
	Suite *s = suite_create("funnel");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_level_basic);
	tcase_add_test(tc, test_level_window_edge);
	tcase_add_test(tc, test_level_order);
	tcase_add_test(tc, test_level_later_info_wins);
	tcase_add_test(tc, test_open_visitors_and_hits);
	tcase_add_test(tc, test_merge_and_growth);
	tcase_add_test(tc, test_batch_equals_single);
	tcase_add_test(tc, test_parts);
	tcase_add_test(tc, test_week_and_month_periods);
	tcase_add_test(tc, test_day_range);
	tcase_add_test(tc, test_fold_open);
	tcase_add_test(tc, test_fold_hits);
	tcase_add_test(tc, test_fold_sequential);
	tcase_add_test(tc, test_fold_mismatch);
	tcase_add_test(tc, test_no_hits);
	tcase_add_test(tc, test_filter_and_walk);
	tcase_add_test(tc, test_drop_before);
	tcase_add_test(tc, test_drop_before_oom);
	suite_add_tcase(s, tc);
	return s;
}
