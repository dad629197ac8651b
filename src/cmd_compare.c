/*
 * cmd_compare.c - `klantreis compare`: did a change help? The funnel of
 * every gemeente and product before and after a moment (--at) or over two
 * ranges (--before, --after), with the two-proportion z-test
 * (klantreis(1), MEASUREMENT, "Before and after").
 *
 * Flow as in analyze: options -> catalogue and matcher -> one scan with
 * two sides (the pipeline offers each record to every side whose range
 * holds it) -> one report table per side -> compare rows -> report. The
 * funnel is sequential unless --funnel is given. Nothing is written to
 * stdout before the scan finished.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare.h"
#include "ktime.h"
#include "msg.h"
#include "run.h"

enum { OPT_AT = OPT_CMD_BASE, OPT_BEFORE, OPT_AFTER, OPT_ALPHA };

/* Parses "A..B" (either end may be left out: open) with the --since
 * syntax. Returns 0, or -1 (message given). */
static int parse_range(const char *opt, const char *arg, scan_range *r)
{
	const char *dots = strstr(arg, "..");
	char a[64];
	if (!dots || (size_t)(dots - arg) >= sizeof a)
		goto bad;
	memcpy(a, arg, (size_t)(dots - arg));
	a[dots - arg] = '\0';
	r->from = INT64_MIN;
	r->to = INT64_MAX;
	if (a[0] && ktime_parse_bound(a, &r->from) < 0)
		goto bad;
	if (dots[2] && ktime_parse_bound(dots + 2, &r->to) < 0)
		goto bad;
	if (r->from >= r->to) {
		msg_error("invalid %s '%s': empty range, the start is not before the end", opt, arg);
		return -1;
	}
	return 0;
bad:
	msg_error("invalid %s '%s': expected FROM..TO with times like 2026-11-01, "
	          "2026-11-01T12:00, today, yesterday or -Nd (either may be left out)", opt, arg);
	return -1;
}

static int parse_alpha(const char *arg, double *alpha)
{
	char *end;
	double a = strtod(arg, &end);
	if (end == arg || *end || !(a > 0.0 && a <= 1.0)) {
		msg_error("invalid --alpha '%s': expected a number above 0 and at most 1", arg);
		return -1;
	}
	*alpha = a;
	return 0;
}

/* The side [from, to) cut to [since, until). */
static scan_range clip(scan_range r, const run_opts *o)
{
	if (r.from < o->since)
		r.from = o->since;
	if (r.to > o->until)
		r.to = o->until;
	return r;
}

static int usage_error(const char *text)
{
	msg_error("%s", text);
	return cmd_usage("compare");
}

/* analyze's options that shape its benchmark or HTML report, which compare
 * does not have: refused rather than ignored. NULL when c is none of them. */
static const char *not_for_compare(int c)
{
	switch (c) {
	case OPT_MIN_VISITORS:
		return "'--min-visitors' does not apply to compare: it sets who takes part in "
		       "analyze's benchmark, and compare has none (--min-cell hides small counts)";
	case OPT_PEER:
		return "'--peer' does not apply to compare: it groups analyze's benchmark, "
		       "and compare has none";
	case OPT_HIGHLIGHT:
		return "'--highlight' does not apply to compare: it marks a gemeente in the "
		       "HTML report, and compare writes table or csv";
	}
	return NULL;
}

static const struct option longopts[] = {
	RUN_LONGOPTS,
	{ "at", required_argument, NULL, OPT_AT },
	{ "before", required_argument, NULL, OPT_BEFORE },
	{ "after", required_argument, NULL, OPT_AFTER },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ NULL, 0, NULL, 0 }
};

/* compare's options: analyze's that apply (o) and its own. */
struct compare_args {
	run_opts o;
	int have_at, have_before, have_after;
	int64_t at;                /* --at */
	scan_range given[2];       /* --before, --after as given */
	double alpha;              /* --alpha */
};

/* Reads the options into a (initialised here). Returns -1 when they were
 * read (optind at the first input), else the exit status: 0 after
 * --help, RUN_USAGE after a message and the usage. */
static int read_options(int argc, char **argv, struct compare_args *a)
{
	int c;
	memset(a, 0, sizeof *a);
	run_opts_init(&a->o);
	a->given[0] = a->given[1] = (scan_range){ INT64_MIN, INT64_MAX };
	a->alpha = 0.05;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, RUN_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case OPT_HELP:
		case 'h':
			return cmd_help("compare");
		case OPT_AT:
			if (ktime_parse_bound(optarg, &a->at) < 0) {
				msg_error("invalid --at '%s': expected YYYY-MM-DD, "
				          "YYYY-MM-DDTHH:MM[:SS], today, yesterday or -Nd", optarg);
				return cmd_usage("compare");
			}
			a->have_at = 1;
			continue;
		case OPT_BEFORE:
		case OPT_AFTER:
			if (parse_range(c == OPT_BEFORE ? "--before" : "--after", optarg,
			                &a->given[c == OPT_AFTER]) < 0)
				return cmd_usage("compare");
			if (c == OPT_BEFORE)
				a->have_before = 1;
			else
				a->have_after = 1;
			continue;
		case OPT_ALPHA:
			if (parse_alpha(optarg, &a->alpha) < 0)
				return cmd_usage("compare");
			continue;
		}
		const char *why = not_for_compare(c);
		if (why)
			return usage_error(why);
		int h = run_parse_option(&a->o, c, optarg);
		if (h < 0)
			return cmd_usage("compare");
		if (h == 0) {
			run_option_error(c, argv, longopts);
			return cmd_usage("compare");
		}
	}
	return -1;
}

/* Checks that the options in a go together (and makes the funnel
 * sequential unless --funnel was given). Returns -1 when they do, else
 * RUN_USAGE after a message and the usage. */
static int check_options(struct compare_args *a)
{
	const run_opts *o = &a->o;
	if (!a->o.funnel_set)
		a->o.sequential = 1;
	if (o->sequential && o->count_hits)
		return usage_error("'--count hits' cannot be combined with '--funnel sequential' "
		                   "(compare's default; use --funnel open)");
	if (a->have_at && (a->have_before || a->have_after))
		return usage_error("'--at' cannot be combined with '--before' and '--after'");
	if (!a->have_at && !(a->have_before && a->have_after))
		return usage_error("compare needs '--at TIME', or '--before A..B' and '--after C..D'");
	if (o->since >= o->until)
		return usage_error("empty time range: --since is not before --until");
	if (o->by != KTIME_BY_NONE)
		return usage_error("'--by' does not apply to compare: give the periods with "
		                   "'--before' and '--after'");
	if (o->details)
		return usage_error("'--details' does not apply to compare");
	if (o->append)
		return usage_error("'--append' does not apply to compare");
	if (o->state_out)
		return usage_error("'--state' does not apply to compare (analyze writes states; "
		                   "compare reads them)");
	if (o->format == REPORT_JSON || o->format == REPORT_HTML || o->format == REPORT_SITE)
		return usage_error("compare writes '--format table' or '--format csv'");
	return -1;
}

/* The two sides to scan: --at splits time there, else --before and
 * --after; both cut to --since/--until. Warns about a side that holds no
 * time and about sides that overlap. */
static void find_sides(struct compare_args *a, scan_range side[2])
{
	static const char *const side_names[2] = { "before", "after" };
	if (a->have_at) {
		a->given[0].to = a->at;
		a->given[1].from = a->at;
	}
	side[0] = clip(a->given[0], &a->o);
	side[1] = clip(a->given[1], &a->o);
	for (int s = 0; s < 2; s++)
		if (side[s].from >= side[s].to)
			msg_warn("the %s side holds no time within --since/--until; its figures are 0",
			         side_names[s]);
	if (side[0].from < side[1].to && side[1].from < side[0].to &&
	    side[0].from < side[0].to && side[1].from < side[1].to)
		msg_warn("the before and after ranges overlap: records in both count on both "
		         "sides, and the z-test assumes they do not");
}

/* What ct needs besides its rows: the test's alpha, the sides and the
 * counting, and the presentation (separator, language, colour). */
static void compare_settings(const struct compare_args *a, const scan_range side[2],
                             compare_table *ct)
{
	const run_opts *o = &a->o;
	ct->alpha = a->alpha;
	ct->min_cell = o->min_cell;
	ct->count_hits = o->count_hits;
	ct->sequential = o->sequential;
	for (int s = 0; s < 2; s++) {
		ct->from[s] = side[s].from;
		ct->to[s] = side[s].to;
	}
	ct->csv_sep = o->csv_sep ? o->csv_sep : ',';
	ct->decimal_comma = o->decimal_comma;
	ct->bom = o->bom;
	ct->color = run_color(o);
	ct->lang = o->lang ? o->lang : "nl";
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a;
	const run_opts *o = &a.o;
	catalog *cat = NULL;
	matcher *m = NULL;
	scan_result res;
	report_table side_t[2];
	compare_table ct;
	scan_range side[2];
	int rc;

	rc = read_options(argc, argv, &a);
	if (rc < 0)
		rc = check_options(&a);
	if (rc >= 0)
		return rc;
	memset(&res, 0, sizeof res);
	memset(side_t, 0, sizeof side_t);
	memset(&ct, 0, sizeof ct);
	find_sides(&a, side);

	rc = run_setup(o, argv + optind, argc - optind, &cat, &m);
	if (rc == RUN_OK)
		rc = run_check_outputs(o);
	if (rc != RUN_OK)
		goto out;

	double t0 = ktime_monotonic();
	rc = run_scan(o, m, argv + optind, argc - optind, 2, side, &res);
	if (rc < 0) {
		rc = rc == -2 ? RUN_USAGE : RUN_INPUT;
		goto out;
	}
	for (int s = 0; s < 2; s++) {
		if (run_table_res(o, cat, m, &res, s, &side_t[s]) < 0) {
			rc = RUN_INPUT;
			goto out;
		}
	}
	if (compare_build(&side_t[0], &side_t[1], &ct) < 0) {
		msg_error("cannot pair the before and after rows: %s", strerror(errno));
		rc = RUN_INPUT;
		goto out;
	}
	compare_settings(&a, side, &ct);
	double elapsed = ktime_monotonic() - t0;

	/* an unreadable input: the -o report stays as it was */
	if (run_keep_outputs(o, rc) && o->output && strcmp(o->output, "-") != 0) {
		run_summary(&res, m, elapsed);
		goto out;
	}
	if (run_write_report(o, NULL, &ct) != RUN_OK && rc == RUN_OK)
		rc = RUN_INPUT;
	run_summary(&res, m, elapsed);   /* -v: after the report, not buried above it */
out:
	free(ct.rows);
	free(side_t[0].rows);
	free(side_t[1].rows);
	scan_result_free(&res);
	match_free(m);
	catalog_free(cat);
	return rc;
}
