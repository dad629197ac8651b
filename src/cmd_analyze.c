/*
 * cmd_analyze.c - `klantreis analyze`: the funnel per gemeente and product.
 *
 * Flow: options -> catalogue and matcher -> scan of every input ->
 * funnel figures -> benchmark -> report. Nothing is written to stdout
 * before the catalogue compiled and the scan finished, so a failed run
 * never leaves half a report; after an unreadable input the -o report and
 * the --append history stay as they were (but with --keep-going).
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cmd.h"
#include "ktime.h"
#include "msg.h"
#include "output.h"
#include "run.h"
#include "site.h"
#include "text.h"

int cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = { RUN_LONGOPTS, { NULL, 0, NULL, 0 } };
	run_opts o;
	catalog *cat = NULL;
	matcher *m = NULL;
	scan_result res;
	report_table t;
	output_file out;
	run_meta_buf meta;
	int c, rc, summary = 0;
	double elapsed = 0;

	memset(&res, 0, sizeof res);
	memset(&t, 0, sizeof t);
	memset(&meta, 0, sizeof meta);
	run_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, RUN_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == OPT_HELP || c == 'h')
			return cmd_help("analyze");
		int h = run_parse_option(&o, c, optarg);
		if (h < 0)
			return cmd_usage("analyze");
		if (h == 0) {
			run_option_error(c, argv, longopts);
			return cmd_usage("analyze");
		}
	}
	if (o.sequential && o.count_hits) {
		msg_error("'--count hits' cannot be combined with '--funnel sequential'");
		return cmd_usage("analyze");
	}
	if (o.since >= o.until) {
		msg_error("empty time range: --since is not before --until");
		return cmd_usage("analyze");
	}
	if (o.append && !o.output && o.format >= 0 && o.format != REPORT_CSV) {
		msg_error("'--format' other than csv needs -o with '--append' "
		          "(the history file is CSV)");
		return cmd_usage("analyze");
	}
	if (o.state_out && (o.output || o.append)) {
		msg_error("'--state' writes a partial result instead of a report: it cannot be "
		          "combined with '%s'", o.output ? "-o" : "--append");
		return cmd_usage("analyze");
	}
	if (o.state_out && (o.since != INT64_MIN || o.until != INT64_MAX)) {
		msg_error("'--since' and '--until' apply when the report is made from the state, "
		          "not to '--state' (a state holds all the time its logs cover)");
		return cmd_usage("analyze");
	}
	if (o.append && o.by == KTIME_BY_NONE) {
		msg_error("'--append' needs '--by day', '--by week' or '--by month': each "
		          "history row carries its period");
		return cmd_usage("analyze");
	}

	if (o.format == REPORT_SITE && !o.state_out && (!o.output || strcmp(o.output, "-") == 0)) {
		msg_error("'--format site' needs '-o DIR': a site is a directory of pages");
		return cmd_usage("analyze");
	}

	rc = run_setup(&o, argv + optind, argc - optind, &cat, &m);
	if (rc == RUN_OK && o.format == REPORT_SITE) {
		if (output_dir_check(o.output) < 0 || output_check(o.append, "--append", 1) < 0)
			rc = RUN_INPUT;
	} else if (rc == RUN_OK) {
		rc = run_check_outputs(&o);
	}
	if (rc != RUN_OK)
		goto out;

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
	if (run_table_res(&o, cat, m, &res, 0, &t) < 0) {
		rc = RUN_INPUT; /* message given */
		goto out;
	}
	if (bench_compute(t.rows, t.nrows, o.min_visitors, o.peer) < 0) {
		msg_error("out of memory");
		rc = RUN_INPUT;
		goto out;
	}
	elapsed = ktime_monotonic() - t0;
	summary = 1;   /* -v: after the report, so a long table does not bury it */
	if (run_meta(&res, m, argc, argv, elapsed, &meta) < 0) {
		rc = RUN_INPUT;
		goto out;
	}
	t.meta = &meta.m;
	run_report_options(&o, &t);   /* presentation: separators, language, colour */
	if (o.since != INT64_MIN)
		meta.m.since = &o.since;
	if (o.until != INT64_MAX)
		meta.m.until = &o.until;
	if (o.append && !keep) {
		/* the CSV rows to the history file; the report only with -o */
		if (output_history(&t, o.append) < 0 && rc == RUN_OK)
			rc = RUN_INPUT;
	}
	if (o.append && !o.output)
		goto out;
	if (keep && strcmp(o.output ? o.output : "-", "-") != 0)
		goto out;
	if (o.format == REPORT_SITE) {
		/* a directory, swapped in whole (output.h) */
		if (site_publish(&t, o.min_visitors, o.output) < 0 && rc == RUN_OK)
			rc = RUN_INPUT;
		goto out;
	}
	if (output_open(&out, o.output) < 0) {
		rc = RUN_INPUT;
		goto out;
	}
	t.width = text_term_width(out.fp);   /* the table fits the terminal, or 80 */
	int w = report_write(&t, run_format(&o), out.fp);
	if (w < 0 && !ferror(out.fp)) /* not a write error, which output_close reports */
		msg_error("cannot write the report: %s", strerror(errno));
	if (output_close(&out, w == 0) < 0 && rc == RUN_OK)
		rc = RUN_INPUT;
out:
	if (summary)
		run_summary(&res, m, elapsed);
	run_meta_free(&meta);
	free(t.rows);
	scan_result_free(&res);
	match_free(m);
	catalog_free(cat);
	return rc;
}
