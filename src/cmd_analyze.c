/*
 * cmd_analyze.c - `klantreis analyze`: the funnel per gemeente and product.
 *
 * Flow: options -> catalogue and matcher -> scan of every input ->
 * funnel figures -> benchmark -> report. Nothing is written to stdout
 * before the catalogue compiled and the scan finished, so a failed run
 * never leaves half a report; after an unreadable input the -o report and
 * the --append history stay as they were (but with --keep-going).
 *
 * With --follow the scan is live.c's loop instead, and write_reports
 * runs every interval on the figures so far.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cmd.h"
#include "ktime.h"
#include "live.h"
#include "msg.h"
#include "output.h"
#include "run.h"

enum { OPT_FOLLOW = OPT_CMD_BASE, OPT_INTERVAL };

/* The reports of one analysis: the --append history, the -o report and
 * then the -v summary (when summary is set); keep: an input could not be read
 * and the outputs stay as they were (stdout still gets the report).
 * o->since and o->until are the range the figures cover. Returns RUN_OK,
 * or RUN_INPUT (message given). */
static int write_reports(const run_opts *o, const catalog *cat, const matcher *m,
                         const scan_result *res, int argc, char **argv, double elapsed,
                         int keep, int summary)
{
	report_table t;
	run_meta_buf meta;
	int rc = RUN_OK, show_summary = 0;

	memset(&t, 0, sizeof t);
	memset(&meta, 0, sizeof meta);
	if (run_table_res(o, cat, m, res, 0, &t) < 0) {
		rc = RUN_INPUT; /* message given */
		goto out;
	}
	if (bench_compute(t.rows, t.nrows, o->min_visitors, o->peer) < 0) {
		msg_error("out of memory");
		rc = RUN_INPUT;
		goto out;
	}
	/* -v: after the report, so a long table does not bury it */
	show_summary = summary;
	if (run_meta(res, m, argc, argv, elapsed, &meta) < 0) {
		rc = RUN_INPUT;
		goto out;
	}
	t.meta = &meta.m;
	if (summary) {
		run_report_options(o, &t); /* presentation: separators, language, colour */
	} else {
		/* --follow between the first and the last report: no repeated
		 * warning about --highlight */
		run_opts quiet = *o;
		quiet.highlight = NULL;
		run_report_options(&quiet, &t);
		t.highlight = o->highlight;
	}
	if (o->since != INT64_MIN)
		meta.m.since = &o->since;
	if (o->until != INT64_MAX)
		meta.m.until = &o->until;
	if (o->append && !keep) {
		/* the CSV rows to the history file; the report only with -o */
		if (output_history(&t, o->append) < 0)
			rc = RUN_INPUT;
	}
	if (o->append && !o->output)
		goto out;
	if (keep && strcmp(o->output ? o->output : "-", "-") != 0)
		goto out;
	if (run_write_report(o, &t, NULL) != RUN_OK)
		rc = RUN_INPUT;
out:
	if (show_summary)
		run_summary(res, m, elapsed);
	run_meta_free(&meta);
	free(t.rows);
	return rc;
}

/* What live.c's report callback needs. */
typedef struct {
	const catalog *cat;
	const matcher *m;
	int argc;
	char **argv;
	int reports;               /* written so far */
} follow_ctx;

static int follow_report(void *arg, const run_opts *o, const scan_result *res, double elapsed,
                         int last)
{
	follow_ctx *c = arg;
	int rc = write_reports(o, c->cat, c->m, res, c->argc, c->argv, elapsed, 0,
	                       last || c->reports == 0);
	c->reports++;
	return rc;
}

/* Reads the options into o, lo (--interval, a relative --since) and
 * *follow, and checks that they go together. Returns -1 when they do
 * (optind at the first input), else the exit status: 0 after --help,
 * RUN_USAGE after a message and the usage. */
static int read_options(int argc, char **argv, run_opts *o, live_opts *lo, int *follow)
{
	static const struct option longopts[] = {
		RUN_LONGOPTS,
		{ "follow", no_argument, NULL, OPT_FOLLOW },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ NULL, 0, NULL, 0 }
	};
	int c, interval_set = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, RUN_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == OPT_HELP || c == 'h')
			return cmd_help("analyze");
		if (c == OPT_FOLLOW) {
			*follow = o->follow = 1;
			continue;
		}
		if (c == OPT_INTERVAL) {
			int64_t v;
			if (ktime_parse_duration(optarg, &v) < 0 || v < 1) {
				msg_error("invalid --interval '%s': expected a duration of at least "
				          "1s like 10s, 5m, 1h", optarg);
				return cmd_usage("analyze");
			}
			lo->interval = v;
			interval_set = 1;
			continue;
		}
		if (c == OPT_SINCE)
			lo->since_arg = live_relative(optarg) ? optarg : NULL;
		int h = run_parse_option(o, c, optarg);
		if (h < 0)
			return cmd_usage("analyze");
		if (h == 0) {
			run_option_error(c, argv, longopts);
			return cmd_usage("analyze");
		}
	}
	if (run_check_options(o) < 0)
		return cmd_usage("analyze");
	if (o->since >= o->until) {
		msg_error("empty time range: --since is not before --until");
		return cmd_usage("analyze");
	}
	if (o->append && !o->output && o->format >= 0 && o->format != REPORT_CSV) {
		msg_error("'--format' other than csv needs -o with '--append' "
		          "(the history file is CSV)");
		return cmd_usage("analyze");
	}
	if (o->state_out && (o->output || o->append)) {
		msg_error("'--state' writes a partial result instead of a report: it cannot be "
		          "combined with '%s'", o->output ? "-o" : "--append");
		return cmd_usage("analyze");
	}
	if (o->state_out && (o->since != INT64_MIN || o->until != INT64_MAX)) {
		msg_error("'--since' and '--until' apply when the report is made from the state, "
		          "not to '--state' (a state holds all the time its logs cover)");
		return cmd_usage("analyze");
	}
	if (o->append && o->by == KTIME_BY_NONE) {
		msg_error("'--append' needs '--by day', '--by week' or '--by month': each "
		          "history row carries its period");
		return cmd_usage("analyze");
	}
	if (!*follow && interval_set)
		msg_warn("'--interval' has no effect without '--follow'");
	if (*follow && o->state_out) {
		msg_error("'--follow' rewrites a report: it cannot be combined with '--state'");
		return cmd_usage("analyze");
	}
	if (*follow && !o->output && !o->append) {
		msg_error("'--follow' needs -o FILE (or --append FILE): the report it rewrites");
		return cmd_usage("analyze");
	}
	return -1;
}

int cmd_analyze(int argc, char **argv)
{
	run_opts o;
	catalog *cat = NULL;
	matcher *m = NULL;
	scan_result res;
	live_opts lo = { 60, NULL, NULL };
	int rc, follow = 0;

	memset(&res, 0, sizeof res);
	run_opts_init(&o);
	rc = read_options(argc, argv, &o, &lo, &follow);
	if (rc >= 0)
		return rc;

	rc = run_setup(&o, argv + optind, argc - optind, &cat, &m);
	if (rc == RUN_OK && o.format == REPORT_SITE) {
		if (output_dir_check(o.output) < 0 || output_check(o.append, "--append", 1) < 0)
			rc = RUN_INPUT;
	} else if (rc == RUN_OK) {
		rc = run_check_outputs(&o);
	}
	if (rc != RUN_OK)
		goto out;

	if (follow && run_states() > 0) {
		msg_error("'--follow' follows logs: a state is read by a run without it");
		rc = RUN_USAGE;
		goto out;
	}
	if (follow) {
		follow_ctx fc = { cat, m, argc, argv, 0 };
		rc = live_run(&o, &lo, m, argv + optind, argc - optind, follow_report, &fc);
		if (rc < 0)
			rc = RUN_INPUT;
		goto out;
	}

	double t0 = ktime_monotonic();
	scan_range side = { o.since, o.until };
	rc = run_scan(&o, m, argv + optind, argc - optind, 1, &side, &res);
	if (rc < 0) {
		rc = rc == -2 ? RUN_USAGE : RUN_INPUT;
		goto out;
	}
	if (o.state_out) {
		run_summary(&res, m, ktime_monotonic() - t0);
		int w = run_write_state(&o, m, &res, rc);
		if (rc == RUN_OK)
			rc = w;
		goto out;
	}
	/* an unreadable input: the -o report and the history stay as they
	 * were (stdout, which keeps nothing, still gets the report) */
	int keep = run_keep_outputs(&o, rc);
	if (write_reports(&o, cat, m, &res, argc, argv, ktime_monotonic() - t0, keep, 1) != RUN_OK &&
	    rc == RUN_OK)
		rc = RUN_INPUT;
out:
	scan_result_free(&res);
	match_free(m);
	catalog_free(cat);
	return rc;
}
