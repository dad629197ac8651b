/*
 * funnel.h - aggregation of matched steps into funnel figures.
 *
 * A funnel collects, per (visitor hash, wall-clock day, gemeente, row),
 * the hits of each step, and in sequential mode the instants of the
 * events. Memory therefore grows with distinct matched visitor-days, not
 * with lines. Each worker thread fills its own funnel; funnel_merge folds
 * them together at the end, so results do not depend on the thread count.
 * A funnel is split into parts by visitor hash; the parts of several
 * funnels can be merged on several threads at once (funnel_merge_part),
 * and funnel_cells works on one thread per part.
 *
 * funnel_cells turns the entries into figures (klantreis(1), MEASUREMENT, "Funnels")
 * per (period, gemeente, row).
 *
 * For a state (state.h) the events also keep their wall-clock second
 * (funnel_add_at), so that funnel_filter can cut a time range out of them
 * later, and funnel_walk hands the entries to the encoder.
 */
#ifndef KR_FUNNEL_H
#define KR_FUNNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "ktime.h"

typedef struct funnel funnel;

typedef struct {
	int sequential;        /* sequential funnel instead of open */
	int count_hits;        /* hits instead of visitors (open funnel only) */
	int64_t window_us;     /* --window, for the sequential funnel */
	enum ktime_by by;      /* period split */
} funnel_cfg;

typedef struct {
	int32_t period;        /* period start day (ktime_period_start); 0 without --by */
	int gem, row;
	int64_t n[3];          /* info, form, done */
	int64_t errors[3];     /* 5xx requests matching each step (--details) */
	int matched;           /* 1 when a qualifying record matched here */
} funnel_cell;

/* A new empty funnel; keep_events must be set for the sequential funnel.
 * nparts (rounded down to a power of two, 1 to 64) is the number of parts:
 * the number of threads that will merge it and compute its cells. Returns
 * NULL when out of memory. */
funnel *funnel_new(int keep_events, int nparts);

/* The number of parts of f. */
int funnel_nparts(const funnel *f);
void funnel_free(funnel *f);

/* f (new, empty) will not count hits per (day, gemeente, row), which
 * only funnel_cells under --count hits for the open funnel reads: a
 * report under any other cfg skips that work for every step. f still
 * knows the first and last day of its steps (funnel_day_range), and
 * funnel_drop_before refuses it (errno EINVAL). */
void funnel_no_hits(funnel *f);

/* Makes f, which keeps events, a funnel that does not (as funnel_new(0,
 * ...) made it): each entry keeps the steps its events reached, the
 * events are freed. What funnel_cells gives for the open funnel stays
 * the same. Does nothing to a funnel without events. */
void funnel_drop_events(funnel *f);

/* Records one matched step. Returns 0, or -1 when out of memory. */
int funnel_add(funnel *f, uint64_t visitor, int32_t day, int64_t instant_us,
               int gem, int row, int step);

/* funnel_add for a funnel that feeds a state (state.h): the event also
 * keeps sod, its wall-clock second of the day (0..86399), so that
 * funnel_filter can apply a time range later. Returns 0 or -1 (OOM). */
int funnel_add_at(funnel *f, uint64_t visitor, int32_t day, int32_t sod, int64_t instant_us,
                  int gem, int row, int step);

/* One matched step for funnel_add_batch. */
typedef struct {
	uint64_t visitor;
	int64_t instant_us;
	int32_t day;
	int32_t sod;           /* wall-clock second of the day; see funnel_add_at */
	int gem, row, step;
} funnel_req;

/* Records r[0..n) exactly like n funnel_add calls in that order, but
 * first prefetches the table slots of all of them so their cache misses
 * overlap (the table is far larger than the cache). Returns 0, or -1 when
 * out of memory. */
int funnel_add_batch(funnel *f, const funnel_req *r, size_t n);

/* Records one 5xx request by a non-bot that matched a step (for
 * --details). Returns 0, or -1 when out of memory. */
int funnel_add_error(funnel *f, int32_t day, int gem, int row, int step);

/* funnel_add_error n times. Returns 0, or -1 when out of memory. */
int funnel_add_errors(funnel *f, int32_t day, int gem, int row, int step, uint64_t n);

/* Adds everything of src to dst (src unchanged). Returns 0 or -1 (OOM). */
int funnel_merge(funnel *dst, const funnel *src);

/* funnel_merge in pieces: funnel_merge_counts adds the per-cell counters
 * (hits, errors); funnel_merge_part the entries of part p. Calls for
 * different p may run at once on different threads (they touch only part
 * p of dst); dst and src must have the same number of parts (else -1).
 * Both return 0 or -1 (out of memory). */
int funnel_merge_counts(funnel *dst, const funnel *src);
int funnel_merge_part(funnel *dst, const funnel *src, int p);

/* The first and last day (ktime.h) on which f holds a matched step, into
 * *first and *last: the days its figures come from. Reads only the small
 * per-day counters, so it costs nothing next to a scan. Returns 1, or 0
 * (first and last untouched) when f holds no matched step. */
int funnel_day_range(const funnel *f, int32_t *first, int32_t *last);

/* Forgets everything of the days before `day`: entries, events, hits and
 * 5xx counts (the figures become those of the days from `day` on, as if
 * the older records had never been added), and shrinks the tables to
 * what is left, so a funnel fed for months with a moving --since keeps a
 * bounded size. Returns the number of entries dropped, or -1 when out of
 * memory (then some parts may already be cut; the figures of the days
 * kept are right either way, and a later call finishes the job) or with
 * errno EINVAL for a folded funnel (funnel_fold). */
ssize_t funnel_drop_before(funnel *f, int32_t day);

/* Distinct (visitor-day, gemeente, row) entries held. */
size_t funnel_size(const funnel *f);

/* Computes the figures (one thread per part), sorted by (period, gem,
 * row), one cell for every combination that has at least one matched
 * event: a malloc'ed array in *cells that the caller frees, *n of them
 * (NULL and 0 when there are none). Returns 0, or -1 when out of memory
 * or with errno EINVAL when f holds days folded under another cfg
 * (funnel_fold) (then *cells is NULL and *n 0). */
int funnel_cells(const funnel *f, const funnel_cfg *cfg, funnel_cell **cells, size_t *n);

/* The order of funnel_cells: by period, gemeente, row (qsort/bsearch). */
int funnel_cell_cmp(const void *a, const void *b);

/* The sequential level (0..3) of one visitor's events: the largest k with
 * info t1 <= form t2 <= done t3, t_k - t1 <= window. steps[i] and
 * instants[i] describe event i; order does not matter. scratch must hold
 * 2 * n int64_t. Exposed for tests. */
int funnel_level(const int *steps, const int64_t *instants, size_t n,
                 int64_t window_us, int64_t *scratch);

/* The key of one entry and its events, for funnel_walk. */
typedef struct {
	uint64_t visitor;
	int32_t day;
	int gem, row;
} funnel_key;

typedef struct {
	int64_t instant_us;
	int32_t sod;           /* wall-clock second of the day (funnel_add_at) */
	int step;
} funnel_event;

/* Calls fn once per entry of f with its events (n of them, in no
 * particular order; none when f keeps no events). ev is valid only during
 * the call. Stops when fn returns < 0. Returns 0, or -1 (fn failed or out
 * of memory). */
typedef int (*funnel_walk_fn)(void *arg, const funnel_key *k, const funnel_event *ev,
                              size_t n);
int funnel_walk(const funnel *f, funnel_walk_fn fn, void *arg);

/* Adds to dst every event of src (which must keep events, else -1 with
 * errno EINVAL) whose wall clock (day and sod) lies in [from, to), as
 * funnel_add_at would: entries without such an event stay out, hits are
 * counted per event. src's 5xx counters are not copied. Returns 0, or -1
 * (out of memory). */
int funnel_filter(funnel *dst, const funnel *src, int64_t from, int64_t to);

/* Memory that follows the day (scan.h): folds every visitor-day of a day
 * before `before` held in fs[0..nf) - the funnels of all workers, which
 * must have the same number of parts and keep_events - into figures per
 * (period of cfg->by, gemeente, row) computed under cfg, kept in fs[0]
 * with those days' hits and 5xx counters, and removes those entries (and
 * their events) and counters from every funnel. A folded month thus
 * keeps one cell per report cell. A visitor-day held by several of the
 * funnels is combined first, so the figures are those funnel_cells gives
 * for the merged funnels. With threads above 1, part p of every funnel
 * is folded on its own thread (the caller's takes part 0); with 1 the
 * caller's thread folds every part. funnel_cells and funnel_merge_counts
 * include the folded figures; funnel_cells must be given the same cfg
 * (else -1, errno EINVAL), funnel_day_range still sees the folded days,
 * funnel_walk and funnel_filter do not see them (a funnel that feeds a
 * state must not be folded), funnel_drop_before refuses a folded funnel.
 * Exact only when no step of a folded day is added afterwards: the
 * caller must make sure of that (scan.c re-reads the input without
 * folding when one comes). Tables keep their capacity. Returns 0, or -1
 * (out of memory: the funnels are then unusable; or errno EINVAL when the
 * funnels do not agree, or fs[0] holds figures folded under another
 * cfg). */
int funnel_fold(funnel *const *fs, int nf, const funnel_cfg *cfg, int32_t before, int threads);

#endif
