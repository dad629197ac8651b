/*
 * cmd_benchmark.c - `klantreis benchmark`: federation with counts only.
 *
 * Reads CSV reports of `analyze --format csv` (report_read.h), one per
 * gemeente or per part of the logs, and benchmarks them together: the
 * median, rank and potential gain across all of them (bench_compute),
 * printed in any format analyze has. Rows come in the order one analyze
 * run would print them: periods ascending, gemeenten in order of first
 * appearance over the reports as given (or --order name, or the order of
 * catalogue -c), products in their order. -c also gives the peer groups
 * for --peer, which reports do not carry.
 *
 * Nothing is written before every report was read and merged, so a
 * refused or unreadable report never leaves half a report. Exit status:
 * 0; 1 when a report or the output could not be read or written; 2 for
 * usage errors, a report that is none, blanked counts, overlapping rows
 * or a catalogue that does not fit.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "catalog.h"
#include "cmd.h"
#include "ktime.h"
#include "msg.h"
#include "output.h"
#include "report_read.h"
#include "run.h"

enum { OPT_ORDER = OPT_CMD_BASE + 20 };

static const struct option longopts[] = {
	{ "catalog", required_argument, NULL, 'c' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "funnel", required_argument, NULL, OPT_FUNNEL },
	{ "min-visitors", required_argument, NULL, OPT_MIN_VISITORS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "details", no_argument, NULL, OPT_DETAILS },
	{ "min-cell", required_argument, NULL, OPT_MIN_CELL },
	{ "peer", no_argument, NULL, OPT_PEER },
	{ "highlight", required_argument, NULL, OPT_HIGHLIGHT },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "csv-sep", required_argument, NULL, OPT_CSV_SEP },
	{ "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA },
	{ "bom", no_argument, NULL, OPT_BOM },
	{ "order", required_argument, NULL, OPT_ORDER },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Reads the options into o and *order and checks that they go together.
 * Returns -1 when they do (optind at the first report), else the exit
 * status: 0 after --help, RUN_USAGE after a message and the usage. */
static int parse_options(int argc, char **argv, run_opts *o, enum report_merge_order *order)
{
	int order_set = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqvc:o:", longopts, NULL)) != -1) {
		if (c == 'h')
			return cmd_help("benchmark");
		if (c == OPT_ORDER) {
			if (strcmp(optarg, "input") == 0)
				*order = REPORT_ORDER_INPUT;
			else if (strcmp(optarg, "name") == 0)
				*order = REPORT_ORDER_NAME;
			else {
				msg_error("invalid --order '%s': expected 'input' or 'name'", optarg);
				return cmd_usage("benchmark");
			}
			order_set = 1;
			continue;
		}
		int h = run_parse_option(o, c, optarg);
		if (h < 0)
			return cmd_usage("benchmark");
		if (h == 0) {
			run_option_error(c, argv, longopts);
			return cmd_usage("benchmark");
		}
	}
	if (argc == optind) {
		msg_error("no report given: name the CSV reports to benchmark together");
		return cmd_usage("benchmark");
	}
	if (run_check_options(o) < 0)
		return cmd_usage("benchmark");
	if (o->catalog_path && order_set) {
		msg_error("'--order' cannot be combined with -c: the catalogue gives the order");
		return cmd_usage("benchmark");
	}
	if (o->peer && !o->catalog_path) {
		msg_error("'--peer' needs the catalogue (-c): reports carry no peer groups");
		return cmd_usage("benchmark");
	}
	return -1;
}

/* Adds every report (a path, or "-" for standard input) to mg, reading
 * on past one that cannot be opened. Returns RUN_OK, RUN_INPUT (a report
 * unreadable) or RUN_USAGE (a report that is none); message given. */
static int read_reports(report_merge *mg, char **reports, int nreports)
{
	char err[1024];
	int unreadable = 0, added = 0;
	for (int i = 0; i < nreports; i++) {
		const char *name = strcmp(reports[i], "-") == 0 ? "(stdin)" : reports[i];
		FILE *fp = strcmp(reports[i], "-") == 0 ? stdin : fopen(reports[i], "r");
		if (!fp) {
			msg_error("cannot open '%s': %s", name, strerror(errno));
			unreadable = 1;
			continue;
		}
		int r = report_merge_add(mg, fp, name, err, sizeof err);
		if (fp != stdin)
			fclose(fp);
		if (r < 0) {
			msg_error("%s", err);
			return r == -2 ? RUN_INPUT : RUN_USAGE;
		}
		msg_info("report '%s': %zu rows", name, report_merge_rows_of(mg, added++));
	}
	if (unreadable) {
		msg_error("no benchmark written: a report could not be read");
		return RUN_INPUT;
	}
	return RUN_OK;
}

/* The report meta of a benchmark and what it points to (owned). */
typedef struct {
	report_meta m;
	const char **names;        /* borrowed from argv */
	const char **formats;
	uint64_t *lines;
	char *cmdline;
} bench_meta;

/* Fills meta: the reports read, in the place of logs, with their rows as
 * lines. Returns 0, or -1 when out of memory (message given); free it
 * with bench_meta_free either way. */
static int benchmark_meta(const report_merge *mg, char **reports, int nreports, int argc,
                          char **argv, bench_meta *meta)
{
	meta->names = calloc((size_t)nreports + 1, sizeof *meta->names);
	meta->formats = calloc((size_t)nreports + 1, sizeof *meta->formats);
	meta->lines = calloc((size_t)nreports + 1, sizeof *meta->lines);
	meta->cmdline = run_command_line(argc, argv);
	if (!meta->names || !meta->formats || !meta->lines || !meta->cmdline) {
		msg_error("out of memory");
		return -1;
	}
	for (int i = 0; i < nreports; i++) {
		meta->names[i] = reports[i];
		meta->formats[i] = "csv report";
		meta->lines[i] = report_merge_rows_of(mg, i);
		meta->m.lines += meta->lines[i];
	}
	meta->m.version = KLANTREIS_VERSION;
	meta->m.command_line = meta->cmdline;
	meta->m.ninputs = nreports;
	meta->m.input_names = meta->names;
	meta->m.input_formats = meta->formats;
	meta->m.input_lines = meta->lines;
	return 0;
}

/* Frees what benchmark_meta allocated. */
static void bench_meta_free(bench_meta *meta)
{
	free(meta->names);
	free(meta->formats);
	free(meta->lines);
	free(meta->cmdline);
}

int cmd_benchmark(int argc, char **argv)
{
	run_opts o;
	enum report_merge_order order = REPORT_ORDER_INPUT;
	int rc;
	catalog *cat = NULL;
	report_merge *mg = NULL;
	report_table t;
	bench_meta meta;
	char err[1024];

	memset(&t, 0, sizeof t);
	memset(&meta, 0, sizeof meta);
	run_opts_init(&o);
	rc = parse_options(argc, argv, &o, &order);
	if (rc >= 0)
		return rc;
	int nreports = argc - optind;
	char **reports = argv + optind;
	if (o.catalog_path) {
		cat = run_load_catalog(o.catalog_path);
		if (!cat)
			return RUN_USAGE;
		order = REPORT_ORDER_CATALOG;
	}
	if (o.format == REPORT_SITE ? output_dir_check(o.output) < 0
	                            : output_check(o.output, "-o", 0) < 0) {
		rc = RUN_INPUT;
		goto out;
	}

	double t0 = ktime_monotonic();
	mg = report_merge_new();
	if (!mg) {
		msg_error("out of memory");
		rc = RUN_INPUT;
		goto out;
	}
	rc = read_reports(mg, reports, nreports);
	if (rc != RUN_OK)
		goto out;
	if (o.details && !report_merge_details(mg)) {
		msg_error("'--details' needs reports made with --details: their error counts "
		          "are not in the reports");
		rc = RUN_USAGE;
		goto out;
	}
	size_t missing = 0;
	int r = report_merge_table(mg, cat, order, &t, &missing, err, sizeof err);
	if (r < 0) {
		msg_error("%s", err);
		rc = r == -2 ? RUN_INPUT : RUN_USAGE;
		goto out;
	}
	if (missing)
		msg_warn("%zu gemeente(n) of catalogue '%s' in no report: shown with zero counts, "
		         "as one analyze run would show them", missing, o.catalog_path);
	if (bench_compute(t.rows, t.nrows, o.min_visitors, o.peer) < 0) {
		msg_error("out of memory");
		rc = RUN_INPUT;
		goto out;
	}
	t.count_hits = o.count_hits;
	t.sequential = o.sequential;
	t.min_cell = o.min_cell;
	t.peer = o.peer;
	run_report_options(&o, &t);   /* presentation: separators, language, colour */
	if (benchmark_meta(mg, reports, nreports, argc, argv, &meta) < 0) {
		rc = RUN_INPUT;
		goto out;
	}
	meta.m.elapsed = ktime_monotonic() - t0;
	t.meta = &meta.m;
	rc = run_write_report(&o, &t, NULL);
out:
	bench_meta_free(&meta);
	free(t.rows);
	report_merge_free(mg);
	catalog_free(cat);
	return rc;
}
