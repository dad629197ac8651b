/*
 * live.h - analyze --follow: read the inputs to their end, keep reading
 * what is appended (follow.h), and rewrite the reports every interval.
 *
 * The figures of every installment are added to one accumulated result
 * (live_add), so after the last append the live report equals the batch
 * report of every line read. With a relative --since ("-7d", "today",
 * "yesterday") the range is evaluated again before every poll: records
 * are filtered by the current range, and the days that left it are
 * dropped from the accumulated funnel (funnel_drop_before), so memory
 * stays bounded however long the process runs. The run's counters
 * (lines read, excluded, qualifying) keep counting from the start.
 *
 * SIGTERM and SIGINT end the loop: what was appended is read, a final
 * report written, and live_run returns RUN_OK.
 */
#ifndef KR_LIVE_H
#define KR_LIVE_H

#include "run.h"
#include "scan.h"

typedef struct {
	int64_t interval;          /* --interval, seconds (>= 1) */
	const char *since_arg;     /* --since when relative (rolls), else NULL */
	const char *until_arg;     /* --until when relative (rolls), else NULL */
} live_opts;

/* Writes the reports of res. o is the caller's options with the range of
 * this moment (since/until); last is 1 for the final report. Returns
 * RUN_OK or RUN_INPUT (message given). */
typedef int (*live_report_fn)(void *ctx, const run_opts *o, const scan_result *res,
                              double elapsed, int last);

/* An empty accumulated result for inputs names[0..n) (borrowed) and ngem
 * gemeenten, with an empty funnel (funnel_new's keep_events, nparts).
 * Returns 0, or -1 when out of memory (free acc with scan_result_free
 * either way). */
int live_acc_init(scan_result *acc, char *const *names, int n, int ngem, int keep_events,
                  int nparts);

/* Adds everything of add to acc: counters, per-gemeente counts (acc
 * grows with add's ngem), the first malformed samples, the inputs (same
 * inputs in both), unknown hosts and the funnel (taken from add when
 * acc's is empty, else merged). add may be left without its funnel or
 * host counts; free it as usual. Returns 0, or -1 when out of memory. */
int live_add(scan_result *acc, scan_result *add);

/* Is bound `arg` (a --since/--until value) relative to today? */
int live_relative(const char *arg);

/* The loop (see above) over paths[0..npaths) ("-" is stdin; none at
 * all: stdin). Returns RUN_OK after a signal or when every input ended
 * (stdin, compressed files), RUN_INPUT when an input could not be read
 * at the start (unless --keep-going) or a report could not be written
 * then, -1 on a fatal error (message given). */
int live_run(const run_opts *o, const live_opts *lo, matcher *m, char *const *paths,
             int npaths, live_report_fn report, void *ctx);

#endif
