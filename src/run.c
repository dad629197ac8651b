/*
 * run.c - the steps analyze and compare share (see run.h).
 *
 * Everything here reports its own errors through msg.h and returns a
 * status; only main exits.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hostcount.h"
#include "ktime.h"
#include "logfmt.h"
#include "msg.h"
#include "output.h"
#include "run.h"
#include "xff.h"

void run_opts_init(run_opts *o)
{
	memset(o, 0, sizeof *o);
	o->window = 24 * 3600;
	o->since = INT64_MIN;
	o->until = INT64_MAX;
	o->min_visitors = 30;
	o->format = -1;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

static int parse_count(const char *s, int64_t min, int64_t max, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (errno || end == s || *end || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

static int bad(const char *opt, const char *arg, const char *what)
{
	msg_error("invalid %s '%s': %s", opt, arg, what);
	return -1;
}

/* An unknown or ambiguous long option arg ("--name" or "--name=value"):
 * the options it could abbreviate, else the nearest one (msg_nearest). */
static void long_option_error(const char *arg, const struct option *longopts)
{
	const char *word = arg + 2, *cands[64], *near;
	size_t n = strcspn(word, "="), nc = 0, nprefix = 0;
	char name[64], list[512] = "";
	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, word, n);
	name[n] = '\0';
	for (const struct option *lo = longopts; lo && lo->name && nc < 64; lo++) {
		cands[nc++] = lo->name;
		if (strcmp(lo->name, name) == 0) {
			msg_error("option '--%s' takes no argument", name);
			return;
		}
		if (n > 0 && strncmp(lo->name, name, n) == 0 &&
		    strlen(list) + strlen(lo->name) + 6 < sizeof list) {
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s'--%s'",
			         nprefix ? ", " : "", lo->name);
			nprefix++;
		}
	}
	if (nprefix > 1)
		msg_error("ambiguous option '%s': %s?", arg, list);
	else if ((near = msg_nearest(name, cands, nc)) != NULL)
		msg_error("unknown option '%s'; did you mean '--%s'?", arg, near);
	else
		msg_error("unknown option '%s'", arg);
}

void run_option_error(int c, char **argv, const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	int is_long = arg[0] == '-' && arg[1] == '-';
	if (c == ':') {
		if (is_long)
			msg_error("option '%s' needs an argument", arg);
		else
			msg_error("option '-%c' needs an argument", optopt);
	} else if (!is_long && optopt > 0 && optopt < 128) {
		msg_error("unknown option '-%c'", optopt);
	} else if (is_long) {
		long_option_error(arg, longopts);
	} else {
		msg_error("unknown option '%s'", arg);
	}
}

int run_parse_option(run_opts *o, int c, const char *arg)
{
	int64_t v;
	switch (c) {
	case 'q':
		msg_set_level(MSG_QUIET);
		return 1;
	case 'v':
		msg_set_level(MSG_VERBOSE);
		return 1;
	case 'c':
		o->catalog_path = arg;
		return 1;
	case 'o':
		o->output = arg;
		return 1;
	case 'j':
		if (parse_count(arg, 1, 256, &v) < 0)
			return bad("--jobs", arg, "expected a number from 1 to 256");
		o->jobs = (int)v;
		return 1;
	case OPT_GEMEENTE:
		o->gemeente = arg;
		return 1;
	case OPT_LOG_FORMAT: {
		char e[200];
		logfmt *f = logfmt_new(arg, e, sizeof e);
		if (!f) {
			msg_error("%s", e);
			return -1;
		}
		logfmt_free(f);
		o->log_format = arg;
		return 1;
	}
	case OPT_COUNT:
		if (strcmp(arg, "visitors") == 0)
			o->count_hits = 0;
		else if (strcmp(arg, "hits") == 0)
			o->count_hits = 1;
		else
			return bad("--count", arg, "expected 'visitors' or 'hits'");
		return 1;
	case OPT_FUNNEL:
		if (strcmp(arg, "open") == 0)
			o->sequential = 0;
		else if (strcmp(arg, "sequential") == 0)
			o->sequential = 1;
		else
			return bad("--funnel", arg, "expected 'open' or 'sequential'");
		o->funnel_set = 1;
		return 1;
	case OPT_WINDOW:
		if (ktime_parse_duration(arg, &v) < 0 || v > INT64_MAX / 1000000)
			return bad("--window", arg, "expected a duration like 90s, 30m, 2h, 1d");
		o->window = v;
		return 1;
	case OPT_BY:
		if (strcmp(arg, "day") == 0)
			o->by = KTIME_BY_DAY;
		else if (strcmp(arg, "week") == 0)
			o->by = KTIME_BY_WEEK;
		else if (strcmp(arg, "month") == 0)
			o->by = KTIME_BY_MONTH;
		else
			return bad("--by", arg, "expected 'day', 'week' or 'month'");
		return 1;
	case OPT_SINCE:
	case OPT_UNTIL:
		if (ktime_parse_bound(arg, &v) < 0)
			return bad(c == OPT_SINCE ? "--since" : "--until", arg,
			           "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], today, "
			           "yesterday or -Nd");
		if (c == OPT_SINCE)
			o->since = v;
		else
			o->until = v;
		return 1;
	case OPT_MIN_VISITORS:
		if (parse_count(arg, 0, INT64_MAX, &v) < 0)
			return bad("--min-visitors", arg, "expected a number >= 0");
		o->min_visitors = v;
		return 1;
	case OPT_INCLUDE_BOTS:
		o->include_bots = 1;
		return 1;
	case OPT_FORMAT:
		if (strcmp(arg, "table") == 0)
			o->format = REPORT_TABLE;
		else if (strcmp(arg, "csv") == 0)
			o->format = REPORT_CSV;
		else if (strcmp(arg, "json") == 0)
			o->format = REPORT_JSON;
		else if (strcmp(arg, "html") == 0)
			o->format = REPORT_HTML;
		else
			return bad("--format", arg, "expected 'table', 'csv', 'json' or 'html'");
		return 1;
	case OPT_CLIENT_FROM:
		if (strcmp(arg, "conn") == 0)
			o->client_xff = 0;
		else if (strcmp(arg, "xff") == 0)
			o->client_xff = 1;
		else
			return bad("--client-from", arg, "expected 'conn' or 'xff'");
		return 1;
	case OPT_TRUSTED_PROXIES: {
		/* validated here so a typo is a usage error before any log is read */
		char e[200];
		xff_trust *t = xff_trust_new(arg, e, sizeof e);
		if (!t) {
			msg_error("%s", e);
			return -1;
		}
		xff_trust_free(t);
		o->trusted_proxies = arg;
		return 1;
	}
	case OPT_DETAILS:
		o->details = 1;
		return 1;
	case OPT_MIN_CELL:
		if (parse_count(arg, 0, INT64_MAX, &v) < 0)
			return bad("--min-cell", arg, "expected a number >= 0");
		o->min_cell = v;
		return 1;
	case OPT_PEER:
		o->peer = 1;
		return 1;
	case OPT_HIGHLIGHT:
		o->highlight = arg;
		return 1;
	case OPT_LANG:
		if (strcmp(arg, "nl") != 0 && strcmp(arg, "en") != 0)
			return bad("--lang", arg, "expected 'nl' or 'en'");
		o->lang = arg;
		return 1;
	case OPT_CSV_SEP:
		if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' || arg[0] == '\r')
			return bad("--csv-sep", arg, "expected one character such as ';'");
		o->csv_sep = arg[0];
		return 1;
	case OPT_DECIMAL_COMMA:
		o->decimal_comma = 1;
		return 1;
	case OPT_BOM:
		o->bom = 1;
		return 1;
	case OPT_APPEND:
		o->append = arg;
		return 1;
	case OPT_KEEP_GOING:
		o->keep_going = 1;
		return 1;
	}
	return 0;
}

int run_setup(const run_opts *o, catalog **catp, matcher **mp)
{
	char err[512];
	catalog *cat = NULL;
	*catp = NULL;
	*mp = NULL;
	if (o->catalog_path) {
		FILE *fp = strcmp(o->catalog_path, "-") == 0 ? stdin : fopen(o->catalog_path, "r");
		if (!fp) {
			msg_error("cannot open catalogue '%s': %s", o->catalog_path, strerror(errno));
			return RUN_USAGE;
		}
		cat = catalog_load(fp, o->catalog_path, err, sizeof err);
		if (fp != stdin)
			fclose(fp);
		if (!cat) {
			msg_error("%s", err);
			return RUN_USAGE;
		}
	} else {
		cat = catalog_builtin();
		if (!cat) {
			msg_error("out of memory");
			return RUN_USAGE;
		}
	}
	matcher *m = match_new_jobs(cat, o->gemeente, o->jobs, err, sizeof err);
	if (!m) {
		msg_error("%s", err);
		catalog_free(cat);
		return RUN_USAGE;
	}
	if (o->peer) {
		size_t i = 0;
		while (i < cat->nrows && !cat->rows[i].peer)
			i++;
		if (i == cat->nrows)
			msg_warn("'--peer' has no effect: %s%s%s has no peer column, so every "
			         "gemeente is benchmarked against all others",
			         o->catalog_path ? "catalogue '" : "the built-in catalogue",
			         o->catalog_path ? o->catalog_path : "", o->catalog_path ? "'" : "");
	}
	*catp = cat;
	*mp = m;
	return RUN_OK;
}

#define TOP_HOSTS 5       /* hosts named in the warning; -v names 10 */

/* "'www.alfa.nl' (120), 'alfa.nl' (3)" for the n most frequent unknown
 * hosts into buf (escaped: logged hosts may hold control bytes). */
static void top_hosts(const hostcount *hc, size_t n, char *buf, size_t size)
{
	hostcount_entry top[10];
	size_t nt = hostcount_top(hc, top, n < 10 ? n : 10), len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < nt && len < size; i++) {
		char esc[120];
		if (top[i].len == 0)
			snprintf(esc, sizeof esc, "(no host logged)");
		else
			msg_escape(top[i].host, top[i].len < HOSTCOUNT_KEY ? top[i].len :
			           HOSTCOUNT_KEY - 1, 60, esc, sizeof esc);
		int w = snprintf(buf + len, size - len, "%s%s%s%s%s (%" PRIu64 ")", i ? ", " : "",
		                 top[i].len ? "'" : "", esc,
		                 top[i].len >= HOSTCOUNT_KEY ? "..." : "", top[i].len ? "'" : "",
		                 top[i].n);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* The warnings for a run that counted nothing (see run_scan). */
static void warn_empty(const run_opts *o, const scan_result *res, int nsides)
{
	for (int i = 0; i < res->ninputs; i++) {
		const scan_input *in = &res->inputs[i];
		if (!in->failed && in->lines == 0)
			msg_warn("'%s' is empty: not a single line",
			         strcmp(in->name, "-") == 0 ? "(stdin)" : in->name);
	}
	uint64_t known = 0;
	for (int g = 0; g < res->ngem; g++) {
		known += res->gem_qualified[g];
		for (int k = 0; k < FILTER_NREASONS; k++)
			known += res->gem_excluded[(size_t)g * FILTER_NREASONS + k];
	}
	uint64_t unknown = hostcount_total(res->unknown_hosts);
	if (known == 0 && unknown > 0) {
		char list[1200];
		top_hosts(res->unknown_hosts, TOP_HOSTS, list, sizeof list);
		msg_warn("no request is for a host of %s%s%s; the most frequent hosts of the %" PRIu64
		         " requests are %s", o->catalog_path ? "catalogue '" : "the built-in catalogue",
		         o->catalog_path ? o->catalog_path : "", o->catalog_path ? "'" : "", unknown,
		         list);
		hostcount_entry top;
		if (hostcount_top(res->unknown_hosts, &top, 1) == 1 && top.len == 0)
			msg_warn("the log names no host: with a catalogue of several gemeenten, "
			         "give the log's gemeente with --gemeente NAME");
	}
	/* Requests that pass the time filter either qualify or are excluded
	 * for their host: none of either but some outside the range means the
	 * range selected nothing. */
	if (res->qualified == 0 && res->excluded[FILTER_HOST] == 0 &&
	    res->excluded[FILTER_TIME] > 0 && res->time_min <= res->time_max) {
		char a[32], b[32];
		ktime_format_bound(res->time_min, a, sizeof a);
		ktime_format_bound(res->time_max, b, sizeof b);
		msg_warn("no request falls within %s; the log's requests run from %s to %s "
		         "(wall clock as logged)",
		         nsides == 1 ? "--since/--until" : "the before and after ranges", a, b);
	}
}

int run_scan(const run_opts *o, matcher *m, char *const *paths, int npaths,
             int nsides, const scan_range *sides, scan_result *res)
{
	scan_opts so;
	char err[256];
	memset(&so, 0, sizeof so);
	so.log_format = o->log_format;
	so.include_bots = o->include_bots;
	so.jobs = o->jobs;
	so.keep_events = o->sequential;
	so.details = o->details;
	so.progress = isatty(STDERR_FILENO) && msg_level() >= MSG_NORMAL;
	so.nsides = nsides;
	for (int i = 0; i < nsides; i++)
		so.side[i] = sides[i];
	visitor_key_random(&so.key);
	xff_trust *trust = NULL;
	if (o->client_xff) {
		trust = xff_trust_new(o->trusted_proxies, err, sizeof err);
		if (!trust) {
			msg_error("%s", err);
			return -1;
		}
		so.client_xff = 1;
		so.trust = trust;
	} else if (o->trusted_proxies) {
		msg_warn("'--trusted-proxies' has no effect without '--client-from xff'");
	}

	int rc = scan_run(&so, m, paths, npaths, res, err, sizeof err);
	xff_trust_free(trust);
	if (rc < 0) {
		msg_error("%s", err);
		return -1;
	}
	for (int i = 0; i < res->ninputs; i++) {
		const scan_input *in = &res->inputs[i];
		const char *name = strcmp(in->name, "-") == 0 ? "(stdin)" : in->name;
		if (in->failed == 1 && in->lines == 0)
			msg_error("cannot read '%s': %s", name, in->error);
		else if (in->failed == 1)
			msg_error("cannot read '%s' after line %" PRIu64 ": %s", name,
			          in->lines, in->error);
		else if (in->failed == 2)
			msg_error("'%s': %s", name, in->error);
		if (in->failed == 2 && !o->log_format)
			msg_warn("'%s': for a log in a format of your own, give that format, e.g. "
			         "--log-format '%%h %%l %%u %%t \"%%r\" %%>s %%b \"%%{User-Agent}i\"' "
			         "(Apache LogFormat) or --log-format '$remote_addr - $remote_user "
			         "[$time_local] \"$request\" $status $body_bytes_sent \"$http_user_agent\"' "
			         "(nginx log_format)", name);
		if (in->warning[0])
			msg_warn("'%s': %s", name, in->warning);
		if (in->format && strcmp(in->format, "common") == 0 && !o->include_bots && in->lines)
			msg_warn("'%s': the common format logs no user agent, so every request "
			         "counts as a bot; use --include-bots to count them", name);
		/* haproxy logs a user agent only when configured to capture it;
		 * warn when requests without one were counted as bots */
		if (in->format && strcmp(in->format, "haproxy") == 0 && !o->include_bots && in->lines
		    && res->excluded[FILTER_BOT] > 0)
			msg_warn("'%s': haproxy logs a user agent only when it captures one "
			         "('capture request header User-Agent'), so requests without one "
			         "count as bots; use --include-bots to count them", name);
	}
	warn_empty(o, res, nsides);
	long limit = match_limit_hits(m);
	if (limit > 0)
		msg_warn("%s:%ld: pattern hit the PCRE2 match limit on %ld target(s); "
		         "counted as not matching",
		         o->catalog_path ? o->catalog_path : "built-in", match_limit_line(m), limit);
	return rc == 2 ? RUN_USAGE : rc;
}

/* Gemeente ids in report order: catalogue order, or by name in built-in
 * mode (where ids follow the order threads first saw the hosts). */
static const matcher *sort_m;
static int cmp_gem_name(const void *a, const void *b)
{
	return strcmp(match_gemeente_name(sort_m, *(const int *)a),
	              match_gemeente_name(sort_m, *(const int *)b));
}

static int cmp_cell_key(const void *a, const void *b)
{
	const funnel_cell *x = a, *y = b;
	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if (x->gem != y->gem)
		return x->gem < y->gem ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

static int table(const run_opts *o, const catalog *cat, const matcher *m,
                 const funnel *f, const uint64_t *qualified, report_table *t);

int run_table(const run_opts *o, const catalog *cat, const matcher *m,
              const funnel *f, report_table *t)
{
	return table(o, cat, m, f, NULL, t);
}

int run_table_res(const run_opts *o, const catalog *cat, const matcher *m,
                  const scan_result *res, int side, report_table *t)
{
	return table(o, cat, m, res->fun[side], cat->builtin ? res->gem_qualified : NULL, t);
}

static int table(const run_opts *o, const catalog *cat, const matcher *m,
                 const funnel *f, const uint64_t *qualified, report_table *t)
{
	funnel_cfg cfg = { o->sequential, o->count_hits, o->window * 1000000, o->by };
	size_t ncells = 0, nper = 0, nrows = 0;
	int rc = -1;
	int *gems = NULL;
	int32_t *periods = NULL;
	funnel_cell *cells = funnel_cells(f, &cfg, &ncells);

	memset(t, 0, sizeof *t);
	t->by = o->by;
	t->count_hits = o->count_hits;
	t->sequential = o->sequential;
	t->details = o->details;
	t->min_cell = o->min_cell;
	t->peer = o->peer;
	t->csv_sep = o->csv_sep ? o->csv_sep : ',';
	t->decimal_comma = o->decimal_comma;
	t->bom = o->bom;
	t->lang = o->lang ? o->lang : "nl";
	t->highlight = o->highlight;
	const char *no_color = getenv("NO_COLOR");   /* no-color.org: set and not empty */
	t->color = !o->output && isatty(STDOUT_FILENO) && !(no_color && *no_color);
	if (!cells && ncells)
		goto out;
	int ngem = match_ngemeenten(m);
	gems = malloc(((size_t)ngem + 1) * sizeof *gems);
	periods = malloc((ncells + 1) * sizeof *periods);
	if (!gems || !periods)
		goto out;
	int kept = 0;
	for (int g = 0; g < ngem; g++)
		if (!qualified || qualified[g] > 0)
			gems[kept++] = g;
	ngem = kept;
	if (cat->builtin) {
		sort_m = m;
		qsort(gems, (size_t)ngem, sizeof *gems, cmp_gem_name);
	}
	if (o->by == KTIME_BY_NONE) {
		periods[nper++] = 0;
	} else {
		for (size_t i = 0; i < ncells; i++)
			if (cells[i].matched && (nper == 0 || periods[nper - 1] != cells[i].period))
				periods[nper++] = cells[i].period;
	}
	for (int g = 0; g < ngem; g++) {
		const int *rows;
		nrows += (size_t)match_rows(m, gems[g], &rows);
	}
	t->rows = calloc(nper * nrows + 1, sizeof *t->rows);
	if (!t->rows)
		goto out;
	for (size_t p = 0; p < nper; p++) {
		for (int gi = 0; gi < ngem; gi++) {
			int g = gems[gi];
			const int *rows;
			int nr = match_rows(m, g, &rows);
			for (int r = 0; r < nr; r++) {
				report_row *rr = &t->rows[t->nrows++];
				rr->period_start = periods[p];
				if (o->by != KTIME_BY_NONE)
					ktime_period_label(periods[p], o->by, rr->period, sizeof rr->period);
				rr->gemeente = match_gemeente_name(m, g);
				rr->product = cat->rows[rows[r]].product;
				rr->peer = cat->rows[rows[r]].peer;
				funnel_cell key = { .period = periods[p], .gem = g, .row = rows[r] };
				/* cells is NULL when ncells == 0: no bsearch on it */
				funnel_cell *c = ncells ? bsearch(&key, cells, ncells, sizeof *cells,
				                                  cmp_cell_key) : NULL;
				if (c) {
					memcpy(rr->n, c->n, sizeof rr->n);
					memcpy(rr->errors, c->errors, sizeof rr->errors);
				}
			}
		}
	}
	rc = 0;
out:
	if (rc < 0)
		msg_error("out of memory");
	free(cells);
	free(gems);
	free(periods);
	return rc;
}

double run_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void run_summary(const scan_result *r, const matcher *m, double seconds)
{
	if (msg_level() < MSG_VERBOSE)
		return;
	for (int i = 0; i < r->ninputs; i++) {
		const scan_input *in = &r->inputs[i];
		msg_info("input '%s': %s, %s (%s), %" PRIu64 " lines",
		         strcmp(in->name, "-") == 0 ? "(stdin)" : in->name,
		         in->compression ? in->compression : "plain", in->format ? in->format : "no format",
		         in->why[0] ? in->why : "-", in->lines);
	}
	msg_info("lines read: %" PRIu64 " (%" PRIu64 " blank)", r->lines + r->blank, r->blank);
	for (int k = 0; k < FILTER_NREASONS; k++)
		msg_info("%s: %" PRIu64, filter_reason_names[k], r->excluded[k]);
	msg_info("qualifying requests: %" PRIu64, r->qualified);
	msg_info("matching a step: %" PRIu64, r->matched);
	for (int g = 0; g < r->ngem; g++) {
		const uint64_t *x = r->gem_excluded + (size_t)g * FILTER_NREASONS;
		/* built-in mode: the name is a logged host, which may hold ESC */
		const char *name = match_gemeente_name(m, g);
		char esc[200];
		for (const char *p = name; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				name = msg_escape(name, strlen(name), 120, esc, sizeof esc);
				break;
			}
		msg_info("gemeente '%s': qualifying %" PRIu64 "; excluded: method %" PRIu64
		         ", status %" PRIu64 ", bot %" PRIu64 ", outside time range %" PRIu64,
		         name, r->gem_qualified[g], x[FILTER_METHOD],
		         x[FILTER_STATUS], x[FILTER_BOT], x[FILTER_TIME]);
	}
	if (hostcount_total(r->unknown_hosts)) {
		char list[2400];
		top_hosts(r->unknown_hosts, 10, list, sizeof list);
		msg_info("hosts of no gemeente: %" PRIu64 " request(s) of %zu%s host(s); most "
		         "frequent: %s",
		         hostcount_total(r->unknown_hosts), hostcount_distinct(r->unknown_hosts),
		         hostcount_untracked(r->unknown_hosts) ? " or more" : "", list);
	} else {
		msg_info("hosts of no gemeente: none");
	}
	for (int i = 0; i < r->nsamples; i++) {
		const scan_sample *s = &r->sample[i];
		const char *name = r->inputs[s->file].name;
		msg_info("malformed line %s:%" PRIu64 ": %s",
		         strcmp(name, "-") == 0 ? "(stdin)" : name, s->line, s->text);
	}
	double mb = (double)r->bytes / 1e6;
	msg_info("elapsed: %.3f s, %.1f MB, %.1f MB/s", seconds, mb,
	         seconds > 0 ? mb / seconds : 0.0);
}

/* Appends arg to dst quoted for a POSIX shell when it needs quoting
 * ('...' with ' written as '\''), so the command line can be run again as
 * shown. dst must have room for 4 * strlen(arg) + 3 more bytes. */
static void append_quoted(char *dst, const char *arg)
{
	char *d = dst + strlen(dst);
	int plain = arg[0] != '\0';
	for (const char *p = arg; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		            "0123456789@%+=:,./-_", *p))
			plain = 0;
	if (plain) {
		strcpy(d, arg);
		return;
	}
	*d++ = '\'';
	for (const char *p = arg; *p; p++) {
		if (*p == '\'') {
			memcpy(d, "'\\''", 4);
			d += 4;
		} else {
			*d++ = *p;
		}
	}
	*d++ = '\'';
	*d = '\0';
}

int run_meta(const scan_result *res, const matcher *mt, int argc, char **argv,
             double elapsed, run_meta_buf *mb)
{
	size_t len = sizeof "klantreis";
	for (int i = 0; i < argc; i++)
		len += 4 * strlen(argv[i]) + 3 + 1;
	mb->command_line = malloc(len);
	mb->names = calloc((size_t)res->ninputs + 1, sizeof *mb->names);
	mb->formats = calloc((size_t)res->ninputs + 1, sizeof *mb->formats);
	mb->lines = calloc((size_t)res->ninputs + 1, sizeof *mb->lines);
	mb->gem_names = calloc((size_t)res->ngem + 1, sizeof *mb->gem_names);
	if (!mb->command_line || !mb->names || !mb->formats || !mb->lines || !mb->gem_names) {
		msg_error("out of memory");
		return -1;
	}
	strcpy(mb->command_line, "klantreis");
	for (int i = 0; i < argc; i++) {
		strcat(mb->command_line, " ");
		append_quoted(mb->command_line, argv[i]);
	}
	for (int i = 0; i < res->ninputs; i++) {
		mb->names[i] = res->inputs[i].name;
		mb->formats[i] = res->inputs[i].format;
		mb->lines[i] = res->inputs[i].lines;
	}
	report_meta *m = &mb->m;
	m->version = KLANTREIS_VERSION;
	m->command_line = mb->command_line;
	m->ninputs = res->ninputs;
	m->input_names = mb->names;
	m->input_formats = mb->formats;
	m->input_lines = mb->lines;
	m->lines = res->lines + res->blank;
	m->blank = res->blank;
	m->qualified = res->qualified;
	m->matched = res->matched;
	m->reason_names = filter_reason_names;
	m->excluded = res->excluded;
	m->nreasons = FILTER_NREASONS;
	m->elapsed = elapsed;
	for (int g = 0; g < res->ngem; g++)
		mb->gem_names[g] = match_gemeente_name(mt, g);
	m->ngem = res->ngem;
	m->gem_names = mb->gem_names;
	m->gem_excluded = res->gem_excluded;
	m->gem_qualified = res->gem_qualified;
	m->has_days = res->fun[0] && funnel_day_range(res->fun[0], &m->first_day, &m->last_day);
	return 0;
}

void run_meta_free(run_meta_buf *mb)
{
	free(mb->command_line);
	free(mb->names);
	free(mb->formats);
	free(mb->lines);
	free(mb->gem_names);
	memset(mb, 0, sizeof *mb);
}

enum report_format run_format(const run_opts *o)
{
	if (o->format >= 0)
		return (enum report_format)o->format;
	if (!o->output && isatty(STDOUT_FILENO))
		return REPORT_TABLE;
	return REPORT_CSV;
}

int run_check_outputs(const run_opts *o)
{
	if (output_check(o->output, "-o", 0) < 0 || output_check(o->append, "--append", 1) < 0)
		return RUN_INPUT;
	return RUN_OK;
}

int run_keep_outputs(const run_opts *o, int rc)
{
	struct stat st;
	if (rc == RUN_OK || o->keep_going)
		return 0;
	if (o->output && strcmp(o->output, "-") != 0) {
		if (stat(o->output, &st) == 0)
			msg_error("'%s' not written: an input could not be read; the previous "
			          "report was kept (--keep-going writes the report of the "
			          "readable inputs)", o->output);
		else
			msg_error("'%s' not written: an input could not be read (--keep-going "
			          "writes the report of the readable inputs)", o->output);
	}
	if (o->append)
		msg_error("'%s' not changed: an input could not be read (--keep-going adds "
		          "the rows of the readable inputs)", o->append);
	return 1;
}
