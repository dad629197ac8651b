/*
 * run_options.c - the command-line options analyze, compare and benchmark
 * share (run_opts, run_parse_option, the messages for rejected options)
 * and the presentation they choose for the report: its format, colour,
 * separators and language (see run.h).
 *
 * Everything here reports its own errors through msg.h and returns a
 * status; only main exits.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ktime.h"
#include "logfmt.h"
#include "msg.h"
#include "run.h"
#include "xff.h"
#include "fault.h"

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

/* Options without an argument, and those whose argument is kept as
 * given (paths, names): set in o. Returns 1, or 0 when c is neither. */
static int parse_plain(run_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'q': msg_set_level(MSG_QUIET); return 1;
	case 'v': msg_set_level(MSG_VERBOSE); return 1;
	case OPT_INCLUDE_BOTS: o->include_bots = 1; return 1;
	case OPT_DETAILS: o->details = 1; return 1;
	case OPT_PEER: o->peer = 1; return 1;
	case OPT_DECIMAL_COMMA: o->decimal_comma = 1; return 1;
	case OPT_BOM: o->bom = 1; return 1;
	case OPT_KEEP_GOING: o->keep_going = 1; return 1;
	case 'c': o->catalog_path = arg; return 1;
	case 'o': o->output = arg; return 1;
	case OPT_GEMEENTE: o->gemeente = arg; return 1;
	case OPT_HIGHLIGHT: o->highlight = arg; return 1;
	case OPT_APPEND: o->append = arg; return 1;
	case OPT_STATE: o->state_out = arg; return 1;
	case OPT_KEY_FILE: o->key_file = arg; return 1;
	}
	return 0;
}

/* The words an option takes, and what each stands for. */
struct choice {
	int opt;                   /* OPT_* */
	const char *name;          /* "--count" */
	const char *expected;      /* the message's end when arg is none of them */
	const char *words[6];      /* ended by NULL */
	int values[6];
};

static const struct choice choices[] = {
	{ OPT_COUNT, "--count", "expected 'visitors' or 'hits'",
	  { "visitors", "hits" }, { 0, 1 } },
	{ OPT_FUNNEL, "--funnel", "expected 'open' or 'sequential'",
	  { "open", "sequential" }, { 0, 1 } },
	{ OPT_BY, "--by", "expected 'day', 'week' or 'month'",
	  { "day", "week", "month" }, { KTIME_BY_DAY, KTIME_BY_WEEK, KTIME_BY_MONTH } },
	{ OPT_FORMAT, "--format", "expected 'table', 'csv', 'json', 'html' or 'site'",
	  { "table", "csv", "json", "html", "site" },
	  { REPORT_TABLE, REPORT_CSV, REPORT_JSON, REPORT_HTML, REPORT_SITE } },
	{ OPT_CLIENT_FROM, "--client-from", "expected 'conn' or 'xff'",
	  { "conn", "xff" }, { 0, 1 } },
};

/* Options that take one of a few words (choices): set in o. Returns 1,
 * -1 on another word (message given), or 0 when c takes no words. */
static int parse_choice(run_opts *o, int c, const char *arg)
{
	const struct choice *ch = NULL;
	int v = -1;
	for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
		if (choices[i].opt == c)
			ch = &choices[i];
	if (!ch)
		return 0;
	for (int i = 0; ch->words[i]; i++)
		if (strcmp(arg, ch->words[i]) == 0)
			v = ch->values[i];
	if (v < 0)
		return bad(ch->name, arg, ch->expected);
	switch (c) {
	case OPT_COUNT: o->count_hits = v; break;
	case OPT_FUNNEL: o->sequential = v; o->funnel_set = 1; break;
	case OPT_BY: o->by = v; break;
	case OPT_FORMAT: o->format = v; break;
	case OPT_CLIENT_FROM: o->client_xff = v; break;
	}
	return 1;
}

/* Options that take a number, a duration or a time: set in o. Returns 1,
 * -1 on a bad value (message given), or 0 when c is none of them. */
static int parse_number(run_opts *o, int c, const char *arg)
{
	int64_t v;
	switch (c) {
	case 'j':
		if (parse_count(arg, 1, 256, &v) < 0)
			return bad("--jobs", arg, "expected a number from 1 to 256");
		o->jobs = (int)v;
		return 1;
	case OPT_WINDOW:
		if (ktime_parse_duration(arg, &v) < 0 || v > INT64_MAX / 1000000)
			return bad("--window", arg, "expected a duration like 90s, 30m, 2h, 1d");
		o->window = v;
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
	case OPT_MIN_CELL:
		if (parse_count(arg, 0, INT64_MAX, &v) < 0)
			return bad("--min-cell", arg, "expected a number >= 0");
		o->min_cell = v;
		return 1;
	}
	return 0;
}

/* Options kept as given once checked here, so a typo is a usage error
 * before any log is read: set in o. Returns 1, -1 on a bad value
 * (message given), or 0 when c is none of them. */
static int parse_checked(run_opts *o, int c, const char *arg)
{
	char e[200];
	switch (c) {
	case OPT_LOG_FORMAT: {
		logfmt *f = logfmt_new(arg, e, sizeof e);
		if (!f) {
			msg_error("%s", e);
			return -1;
		}
		logfmt_free(f);
		o->log_format = arg;
		return 1;
	}
	case OPT_TRUSTED_PROXIES: {
		xff_trust *t = xff_trust_new(arg, e, sizeof e);
		if (!t) {
			msg_error("%s", e);
			return -1;
		}
		xff_trust_free(t);
		o->trusted_proxies = arg;
		return 1;
	}
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
	}
	return 0;
}

int run_parse_option(run_opts *o, int c, const char *arg)
{
	int r;
	if ((r = parse_plain(o, c, arg)) != 0 || (r = parse_choice(o, c, arg)) != 0 ||
	    (r = parse_number(o, c, arg)) != 0)
		return r;
	return parse_checked(o, c, arg);
}

int run_color(const run_opts *o)
{
	const char *no_color = getenv("NO_COLOR");   /* no-color.org: set and not empty */
	return !o->output && isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

void run_report_options(const run_opts *o, report_table *t)
{
	t->csv_sep = o->csv_sep ? o->csv_sep : ',';
	t->decimal_comma = o->decimal_comma;
	t->bom = o->bom;
	t->lang = o->lang ? o->lang : "nl";
	t->highlight = o->highlight;
	t->color = run_color(o);
	if (o->highlight) {
		size_t i = 0;
		while (i < t->nrows && strcasecmp(t->rows[i].gemeente, o->highlight) != 0)
			i++;
		if (i == t->nrows)
			msg_warn("gemeente '%s' of --highlight is not in the report", o->highlight);
	}
}

int run_check_options(const run_opts *o)
{
	if (o->sequential && o->count_hits) {
		msg_error("'--count hits' cannot be combined with '--funnel sequential'");
		return -1;
	}
	if (o->format == REPORT_SITE && !o->state_out &&
	    (!o->output || strcmp(o->output, "-") == 0)) {
		msg_error("'--format site' needs '-o DIR': a site is a directory of pages");
		return -1;
	}
	return 0;
}

funnel_cfg run_funnel_cfg(const run_opts *o)
{
	funnel_cfg cfg = { o->sequential, o->count_hits, o->window * 1000000, o->by };
	return cfg;
}

enum report_format run_format(const run_opts *o)
{
	if (o->format >= 0)
		return (enum report_format)o->format;
	if (!o->output && isatty(STDOUT_FILENO))
		return REPORT_TABLE;
	return REPORT_CSV;
}
