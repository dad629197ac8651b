/*
 * run.h - what analyze and compare (and benchmark, in part) share, one
 * file each: the options and the report's presentation (run_options.c);
 * the catalogue and matcher set-up, the scan, and when the report files
 * may be written (run.c; the files themselves: output.h); report rows from
 * the funnels (run_table.c); the warnings, -v summary and report meta
 * (run_summary.c). Inputs may be states (state.h): run_setup finds them,
 * run_scan merges them with the logs.
 *
 * Status codes follow the man page: RUN_OK 0, RUN_INPUT 1 (some input
 * could not be read fully), RUN_USAGE 2 (usage, catalogue or format error).
 */
#ifndef KR_RUN_H
#define KR_RUN_H

#include <stdio.h>
#include "catalog.h"
#include "compare.h"
#include "funnel.h"
#include "match.h"
#include "report.h"
#include "scan.h"

enum { RUN_OK = 0, RUN_INPUT = 1, RUN_USAGE = 2 };

#define KLANTREIS_VERSION "0.1.0"

/* ---- run_options.c: the options the commands share ---- */

typedef struct {
	const char *catalog_path;  /* -c, NULL for the built-in template */
	const char *gemeente;      /* --gemeente */
	const char *log_format;    /* --log-format */
	int count_hits;            /* --count hits */
	int sequential;            /* --funnel sequential */
	int funnel_set;            /* --funnel given */
	int64_t window;            /* --window, seconds */
	enum ktime_by by;          /* --by */
	int64_t since, until;      /* --since/--until as wall times */
	int64_t min_visitors;      /* --min-visitors */
	int include_bots;
	int format;                /* enum report_format, or -1 for automatic */
	const char *output;        /* -o */
	int jobs;                  /* -j */

	/* log formats (issue 3) */
	int client_xff;            /* --client-from xff */
	const char *trusted_proxies; /* --trusted-proxies: CIDRs, comma or space separated */
	/* benchmark and details (issue 4) */
	int details;               /* --details */
	int64_t min_cell;          /* --min-cell N */
	int peer;                  /* --peer: benchmark within the catalogue's peer groups */
	/* reports (issue 5) */
	const char *highlight;     /* --highlight NAME */
	const char *lang;          /* --lang nl|en */
	char csv_sep;              /* --csv-sep C */
	int decimal_comma;         /* --decimal-comma */
	int bom;                   /* --bom */
	const char *append;        /* --append FILE */
	/* nightly runs (issue 12) */
	int keep_going;            /* --keep-going: write reports despite unreadable inputs */
	/* partial results (issue 13) */
	const char *state_out;     /* --state FILE: write a state instead of a report */
	const char *key_file;      /* --key-file FILE: the visitor key */
	/* live reports (issue 14) */
	int follow;                /* analyze --follow: stdin is not probed for a state */
} run_opts;

/* Defaults: visitors, open funnel, 24h window, min-visitors 30, all
 * online CPUs, automatic format. */
void run_opts_init(run_opts *o);

/* Handles one analyze option (getopt_long's return value c and optarg).
 * Returns 1 when handled, 0 when c is not an analyze option, -1 on a bad
 * value (message already given). */
int run_parse_option(run_opts *o, int c, const char *arg);

/* Says what was wrong with the option getopt_long just rejected: c is
 * ':' (its argument is missing; the option string must start with ':')
 * or '?' (unknown or ambiguous). Uses optopt and argv[optind - 1]; an
 * unknown long option gets the nearest of longopts (ended by a NULL
 * name) suggested, an ambiguous one the options it could mean. */
struct option;
void run_option_error(int c, char **argv, const struct option *longopts);

/* The getopt_long table entries and short options of run_parse_option;
 * commands append their own. */
#define RUN_SHORTOPTS ":hqvc:o:j:"  /* ":": a missing argument returns ':'; -h is help */
enum {
	OPT_GEMEENTE = 256, OPT_LOG_FORMAT, OPT_COUNT, OPT_FUNNEL, OPT_WINDOW,
	OPT_BY, OPT_SINCE, OPT_UNTIL, OPT_MIN_VISITORS, OPT_INCLUDE_BOTS,
	OPT_FORMAT, OPT_HELP, OPT_CLIENT_FROM, OPT_TRUSTED_PROXIES, OPT_DETAILS,
	OPT_MIN_CELL, OPT_PEER, OPT_HIGHLIGHT, OPT_LANG, OPT_CSV_SEP,
	OPT_DECIMAL_COMMA, OPT_BOM, OPT_APPEND, OPT_KEEP_GOING, OPT_STATE, OPT_KEY_FILE,
	OPT_CMD_BASE = 300
};
#define RUN_LONGOPTS \
	{ "catalog", required_argument, NULL, 'c' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "jobs", required_argument, NULL, 'j' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "gemeente", required_argument, NULL, OPT_GEMEENTE }, \
	{ "log-format", required_argument, NULL, OPT_LOG_FORMAT }, \
	{ "count", required_argument, NULL, OPT_COUNT }, \
	{ "funnel", required_argument, NULL, OPT_FUNNEL }, \
	{ "window", required_argument, NULL, OPT_WINDOW }, \
	{ "by", required_argument, NULL, OPT_BY }, \
	{ "since", required_argument, NULL, OPT_SINCE }, \
	{ "until", required_argument, NULL, OPT_UNTIL }, \
	{ "min-visitors", required_argument, NULL, OPT_MIN_VISITORS }, \
	{ "include-bots", no_argument, NULL, OPT_INCLUDE_BOTS }, \
	{ "format", required_argument, NULL, OPT_FORMAT }, \
	{ "client-from", required_argument, NULL, OPT_CLIENT_FROM }, \
	{ "trusted-proxies", required_argument, NULL, OPT_TRUSTED_PROXIES }, \
	{ "details", no_argument, NULL, OPT_DETAILS }, \
	{ "min-cell", required_argument, NULL, OPT_MIN_CELL }, \
	{ "peer", no_argument, NULL, OPT_PEER }, \
	{ "highlight", required_argument, NULL, OPT_HIGHLIGHT }, \
	{ "lang", required_argument, NULL, OPT_LANG }, \
	{ "csv-sep", required_argument, NULL, OPT_CSV_SEP }, \
	{ "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA }, \
	{ "bom", no_argument, NULL, OPT_BOM }, \
	{ "append", required_argument, NULL, OPT_APPEND }, \
	{ "keep-going", no_argument, NULL, OPT_KEEP_GOING }, \
	{ "state", required_argument, NULL, OPT_STATE }, \
	{ "key-file", required_argument, NULL, OPT_KEY_FILE }, \
	{ "help", no_argument, NULL, OPT_HELP }

/* Refuses (after a message) options that cannot go together in any
 * command that reports: --count hits with --funnel sequential, and
 * --format site without -o DIR (unless --state writes no report).
 * Returns 0 or -1. */
int run_check_options(const run_opts *o);

/* The funnel settings of the options (--funnel, --count, --window, --by):
 * the one cfg both the day folds of the scan and the cells of the report
 * are computed under (funnel_cells refuses a cfg other than the fold's). */
funnel_cfg run_funnel_cfg(const run_opts *o);

/* ---- run_options.c: the report's presentation, chosen by the command ---- */

/* The report format to use: o->format, or table on a terminal. */
enum report_format run_format(const run_opts *o);

/* ANSI colour for a report on stdout: no -o, stdout a terminal, and
 * NO_COLOR (no-color.org) unset or empty. A choice of the command, made
 * from its options and its stdout. */
int run_color(const run_opts *o);

/* The presentation options of the command line into t: --csv-sep (','
 * when not given), --decimal-comma, --bom, --lang ("nl" when not given),
 * --highlight, and colour (run_color). Warns when the --highlight
 * gemeente is not in t. The table building (run_table_res) leaves these
 * alone. */
void run_report_options(const run_opts *o, report_table *t);

/* ---- run.c: set-up, the scan, the output files' fate ---- */

/* Finds the inputs among paths[0..npaths) that are states (state.h; no
 * path: standard input), reads --key-file, loads the catalogue (-c; else
 * the first state's; else the built-in one), checks it against the first
 * state's, and compiles it. On error prints the message and returns
 * NULLs with RUN_USAGE. One run_setup per process: run_scan uses what it
 * found. */
int run_setup(const run_opts *o, char *const *paths, int npaths, catalog **cat, matcher **m);

/* The catalogue -c names (path; "-": standard input). Returns it (owned
 * by the caller, catalog_free), or NULL after a message. */
catalog *run_load_catalog(const char *path);

/* The number of states among the inputs run_setup looked at. */
int run_states(void);

/* The scan options of o for nsides sides (no progress line): filters,
 * jobs, the funnel kind, 5xx counts (--details, or the site), the
 * visitor key (run_visitor_key) and the client from X-Forwarded-For
 * (*trust, which the caller frees with xff_trust_free after the scan;
 * NULL without --client-from xff). Returns 0, or -1 (message given). */
struct xff_trust;
int run_scan_opts(const run_opts *o, int nsides, const scan_range *sides, scan_opts *so,
                  struct xff_trust **trust);

/* The visitor key of this run: --key-file's (read by run_setup), else a
 * random one. Returns 0, or -1 (message given). */
int run_visitor_key(visitor_key *key);

/* Runs the scan with the given sides. Reports unreadable inputs (file and
 * line) as it goes, and an empty result loudly (hidden by -q): an empty
 * input; no request of a catalogue host (naming the most frequent hosts
 * seen); no request within the time range(s) (naming the range the log
 * covers). With states among the inputs, or --state, the logs are read
 * for a state (scan_opts.collect) and merged with the states, and res is
 * made from the merged state (state_result; res->state_ holds it).
 * Returns RUN_OK / RUN_INPUT / RUN_USAGE, -1 on a fatal error, or -2 on a
 * state that cannot be used (damaged, other catalogue, keys that clash:
 * exit status 2); messages given. */
int run_scan(const run_opts *o, matcher *m, char *const *paths, int npaths,
             int nsides, const scan_range *sides, scan_result *res);

/* Before any input is read: -o and --append can be written (output.h).
 * Returns RUN_OK, or RUN_INPUT (message given). */
int run_check_outputs(const run_opts *o);

/* After a scan that could not read every input (rc from run_scan not
 * RUN_OK) and without --keep-going: says that the -o report and the
 * --append history were left as they were. Returns 1 when the outputs
 * must not be written (rc is not RUN_OK and no --keep-going), else 0. */
int run_keep_outputs(const run_opts *o, int rc);

/* analyze --state: writes res->state_ to o->state_out (atomically, as
 * -o), unless an input could not be read (rc) and no --keep-going.
 * Returns RUN_OK, or RUN_INPUT (message given). */
int run_write_state(const run_opts *o, const matcher *m, const scan_result *res, int rc);

/* The report to -o (atomically, output.h) or stdout, in run_format(o) and
 * as wide as the terminal: the compare table ct when not NULL, else the
 * report t (their width is set); --format site publishes t's site to the
 * directory -o (site_publish). Returns RUN_OK, or RUN_INPUT (message
 * given; a file or site -o stays as it was). */
int run_write_report(const run_opts *o, report_table *t, compare_table *ct);

/* ---- run_table.c: report rows from the funnels ---- */

/* Builds the report rows of side `side` of res: every catalogue row for
 * every period that has a matched record (the single period without --by);
 * in built-in mode hosts without a single qualifying request (bots-only
 * hosts, say) are left out. Rows point into cat and m. Returns 0, or -1
 * when out of memory (message given). */
int run_table_res(const run_opts *o, const catalog *cat, const matcher *m,
                  const scan_result *res, int side, report_table *t);

/* ---- run_summary.c: what the run says about itself ---- */

/* The warnings of run_scan for a run that counted nothing: an empty
 * input; no request of a catalogue host (naming the most frequent hosts
 * seen); no request within the time range(s) (naming the range the log
 * covers). Hidden by -q. */
void run_warn_empty(const run_opts *o, const scan_result *res, int nsides);

/* The -v run summary on stderr (with the most frequent hosts that are no
 * gemeente); m names the gemeenten. */
void run_summary(const scan_result *res, const matcher *m, double seconds);

/* report_meta with the storage behind it. */
typedef struct {
	report_meta m;
	char *command_line;
	const char **names, **formats, **gem_names;
	uint64_t *lines;
} run_meta_buf;

/* Fills meta from a finished scan (borrowing from res, which must outlive
 * it) and the command line argv[0..argc) of the subcommand. Returns 0 or
 * -1 (out of memory, message given). */
int run_meta(const scan_result *res, const matcher *m, int argc, char **argv,
             double elapsed, run_meta_buf *meta);
void run_meta_free(run_meta_buf *meta);

/* The command line argv[0..argc) of a subcommand as "klantreis ARGS",
 * words quoted for a POSIX shell where needed ('...' with ' as '\''),
 * so it can be run again as shown. malloc'ed; NULL when out of memory. */
char *run_command_line(int argc, char **argv);

#endif
