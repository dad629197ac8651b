/*
 * run.c - the set-up analyze and compare share: the catalogue and matcher,
 * the checks on the output files before and after the scan, and the scan
 * itself with its messages about unreadable inputs (see run.h). The
 * options are in run_options.c, report rows in run_table.c, what the run
 * says about itself in run_summary.c.
 *
 * Everything here reports its own errors through msg.h and returns a
 * status; only main exits.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "output.h"
#include "progress.h"
#include "run.h"
#include "site.h"
#include "state.h"
#include "text.h"
#include "xff.h"
#include "fault.h"

/* What run_setup found for run_scan (one analyze or compare per process):
 * which inputs are states, the first state read whole (for its catalogue;
 * standard input can be read only once), the catalogue as a state holds
 * it, and the visitor key. */
static struct {
	unsigned char *is_state;   /* per path */
	int nstates;
	state_file *first;
	int first_i;
	int builtin;
	char *catalog_csv;
	visitor_key key;
	int have_key;
} kinds;

/* 1 when path is a state (its first bytes are a state's magic), 0 when
 * not or it cannot be opened (the scan then says why). Only regular files
 * are looked at (reading from a FIFO or device would take its bytes).
 * Standard input is a state when its first byte is the magic's (a log
 * line never starts with that byte); the byte is pushed back. */
static int is_state_path(const char *path)
{
	struct stat st;
	if (strcmp(path, "-") != 0 && (stat(path, &st) < 0 || !S_ISREG(st.st_mode)))
		return 0;
	if (strcmp(path, "-") == 0) {
		int c = getc(stdin);
		if (c == EOF)
			return 0;
		ungetc(c, stdin);
		return c == (unsigned char)STATE_MAGIC[0];
	}
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	unsigned char b[STATE_DETECT_LEN];
	size_t n = fread(b, 1, sizeof b, fp);
	fclose(fp);
	return state_detect(b, n);
}

/* Reads the state at path. NULL on error (message given). */
static state_file *read_state(const char *path)
{
	char err[512];
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp) {
		msg_error("cannot open state '%s': %s", path, strerror(errno));
		return NULL;
	}
	state_file *f = state_file_read(fp, strcmp(path, "-") == 0 ? "(stdin)" : path, err,
	                                 sizeof err);
	if (fp != stdin)
		fclose(fp);
	if (!f)
		msg_error("%s", err);
	return f;
}

catalog *run_load_catalog(const char *path)
{
	char err[1024];
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!fp) {
		msg_error("cannot open catalogue '%s': %s", path, strerror(errno));
		return NULL;
	}
	catalog *cat = catalog_load(fp, path, err, sizeof err);
	if (fp != stdin)
		fclose(fp);
	if (!cat)
		msg_error("%s", err);
	return cat;
}

/* The state's catalogue is the run's (kinds.builtin, kinds.catalog_csv).
 * Returns 0, or -1 (message given). */
static int same_catalog(const run_opts *o, const state_file *f)
{
	const char *csv = state_file_catalog(f);
	if (state_file_builtin(f) == kinds.builtin &&
	    (kinds.builtin || (csv && kinds.catalog_csv && strcmp(csv, kinds.catalog_csv) == 0)))
		return 0;
	if (o->catalog_path)
		msg_error("state '%s' was made with another catalogue than '%s' (its rows, hosts or "
		          "patterns differ); leave out -c to use the state's own", state_file_name(f),
		          o->catalog_path);
	else
		msg_error("state '%s' was made with another catalogue than %s (its rows, hosts or "
		          "patterns differ): states merge only under one catalogue",
		          state_file_name(f), kinds.first ? state_file_name(kinds.first) :
		          "the built-in one");
	return -1;
}

/* Reads the --key-file: one line of 32 hex digits. 0, or -1 (message). */
static int read_key_file(const char *path, visitor_key *key)
{
	char buf[80];
	FILE *fp = fopen(path, "r");
	if (!fp) {
		msg_error("cannot open key file '%s': %s", path, strerror(errno));
		return -1;
	}
	size_t n = fread(buf, 1, sizeof buf, fp);
	struct stat st;
	if (fstat(fileno(fp), &st) == 0 && (st.st_mode & S_IROTH))
		msg_warn("key file '%s' can be read by every user (mode %04o): whoever has the key "
		         "and a visitor's address can find that visitor in a state; "
		         "chmod o-r it", path, (unsigned)(st.st_mode & 07777));
	fclose(fp);
	if (state_key_parse(buf, n, key) < 0) {
		msg_error("invalid key file '%s': expected one line of 32 hex digits "
		          "(klantreis keygen writes one)", path);
		return -1;
	}
	return 0;
}

/* Which of paths[0..npaths) are states (kinds.is_state), and the first
 * of them read (kinds.first). Returns RUN_OK, or RUN_USAGE (said). */
static int find_states(const run_opts *o, char *const *paths, int npaths)
{
	free(kinds.is_state);
	kinds.is_state = calloc((size_t)npaths + 1, 1);
	if (!kinds.is_state) {
		msg_error("out of memory");
		return RUN_USAGE;
	}
	for (int i = 0; i < npaths; i++)
		/* --follow reads fd 0 itself: no byte may wait in stdin's buffer */
		if (!(o->follow && strcmp(paths[i], "-") == 0) &&
		    (kinds.is_state[i] = (unsigned char)is_state_path(paths[i])) &&
		    kinds.nstates++ == 0)
			kinds.first_i = i;
	if (kinds.nstates && !(kinds.first = read_state(paths[kinds.first_i])))
		return RUN_USAGE;
	if (kinds.nstates && o->gemeente) {
		msg_error("'--gemeente' does not apply to states: a state keeps the gemeenten "
		          "of its run (give --gemeente to the run that writes it)");
		return RUN_USAGE;
	}
	return RUN_OK;
}

/* The catalogue of the run: -c, else the one in the first state, else
 * the built-in one. Returns it (the caller's), or NULL (said). */
static catalog *choose_catalog(const run_opts *o)
{
	char err[512];
	catalog *cat = NULL;
	if (o->catalog_path)
		return run_load_catalog(o->catalog_path);
	if (kinds.first && !state_file_builtin(kinds.first)) {
		const char *csv = state_file_catalog(kinds.first);
		FILE *fp = fmemopen((void *)(uintptr_t)csv, strlen(csv), "r");
		char name[300];
		snprintf(name, sizeof name, "catalogue of state '%s'", state_file_name(kinds.first));
		cat = fp ? catalog_load(fp, name, err, sizeof err) : NULL;
		if (fp)
			fclose(fp);
		if (!cat)
			msg_error("%s", fp ? err : "out of memory");
		return cat;
	}
	cat = catalog_builtin();
	if (!cat)
		msg_error("out of memory");
	return cat;
}

int run_setup(const run_opts *o, char *const *paths, int npaths, catalog **catp, matcher **mp)
{
	static char *const stdin_path[] = { "-" };
	char err[512];
	catalog *cat = NULL;
	*catp = NULL;
	*mp = NULL;
	if (o->key_file) {
		if (read_key_file(o->key_file, &kinds.key) < 0)
			return RUN_USAGE;
		kinds.have_key = 1;
	}
	if (paths && npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	if (paths && find_states(o, paths, npaths) != RUN_OK)
		return RUN_USAGE;
	if (!(cat = choose_catalog(o)))
		return RUN_USAGE;
	kinds.builtin = cat->builtin;
	if (!cat->builtin && (kinds.first || o->state_out)) {
		size_t len = 0;
		free(kinds.catalog_csv);
		kinds.catalog_csv = NULL;
		FILE *mem = open_memstream(&kinds.catalog_csv, &len);
		if (!mem || catalog_write_csv(cat, mem) < 0 || fclose(mem) != 0) {
			msg_error("out of memory");
			catalog_free(cat);
			return RUN_USAGE;
		}
	}
	if (kinds.first && same_catalog(o, kinds.first) < 0) {
		catalog_free(cat);
		return RUN_USAGE;
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

/* The messages about the inputs of a scan. */
static void report_inputs(const run_opts *o, const scan_result *res)
{
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
}

/* The warnings after a scan: a run that counted nothing (run_warn_empty)
 * and patterns that hit the PCRE2 match limit. */
static void scan_warnings(const run_opts *o, const matcher *m, const scan_result *res,
                          int nsides)
{
	run_warn_empty(o, res, nsides);
	long limit = match_limit_hits(m);
	if (limit > 0)
		msg_warn("%s:%ld: pattern hit the PCRE2 match limit on %ld target(s); "
		         "counted as not matching",
		         o->catalog_path ? o->catalog_path : "built-in", match_limit_line(m), limit);
}

static unsigned run_flags(const run_opts *o)
{
	return (o->include_bots ? STATE_INCLUDE_BOTS : 0) | (o->client_xff ? STATE_CLIENT_XFF : 0);
}

/* Folds the state at path (input i; run_setup read the first one) into
 * st, after checking that its catalogue and options are the run's (nlogs:
 * logs were read too). Returns 0, or -1 (message given). */
static int fold_state(const run_opts *o, matcher *m, state *st, const char *path, int i,
                      int nlogs)
{
	char err[600];
	state_file *f;
	int rc = -1;
	if (i == kinds.first_i) {
		f = kinds.first;
		kinds.first = NULL;
	} else if (!(f = read_state(path)) || same_catalog(o, f) < 0) {
		state_file_free(f);
		return -1;
	}
	if (state_file_flags(f) != st->flags)
		msg_error("state '%s' was made with other options than %s (--include-bots, "
		          "--client-from): give every part the same ones", state_file_name(f),
		          nlogs ? "this run" : "the other states");
	else if (state_fold(st, f, m, err, sizeof err) < 0)
		msg_error("%s", err);
	else
		rc = 0;
	state_file_free(f);
	return rc;
}

/* What the logs read now (lr) tell beyond their counts, moved to res:
 * unknown hosts, over-long lines, samples of malformed lines and why
 * each has its format; where[k] is the input of log k in res. */
static void take_log_facts(scan_result *res, scan_result *lr, const int *where, int nlogs)
{
	res->unknown_hosts = lr->unknown_hosts;
	lr->unknown_hosts = NULL;
	res->long_lines = lr->long_lines;
	for (int i = 0; i < lr->nsamples; i++) {
		res->sample[i] = lr->sample[i];
		res->sample[i].file = where[lr->sample[i].file];
	}
	res->nsamples = lr->nsamples;
	for (int i = 0; i < nlogs; i++) /* the logs read now: why their format */
		memcpy(res->inputs[where[i]].why, lr->inputs[i].why, sizeof lr->inputs[i].why);
}

/* The collect path of run_scan: the logs among paths read for a state,
 * merged with the states among them into one state, and res made from
 * it. Returns as run_scan. */
static int scan_states(const run_opts *o, matcher *m, scan_opts *so, char *const *paths,
                       int npaths, int nsides, const scan_range *sides, scan_result *res)
{
	char err[600];
	scan_result lr;
	int rc = 0, nlogs = 0, li = 0;
	char **logs = calloc((size_t)npaths + 1, sizeof *logs);
	int *where = calloc((size_t)npaths + 1, sizeof *where);
	state *st = state_new(o->jobs);

	memset(&lr, 0, sizeof lr);
	memset(res, 0, sizeof *res);
	if (!logs || !where || !st)
		goto oom;
	for (int i = 0; i < npaths; i++)
		if (!kinds.is_state[i])
			logs[nlogs++] = paths[i];
	so->collect = 1;
	so->keep_events = 1;
	so->details = 1;
	so->nsides = 1;
	so->side[0] = (scan_range){ INT64_MIN, INT64_MAX };
	if (nlogs) {
		if (so->progress)   /* the logs' sizes only, not the states' */
			progress_init(so->progress_arg, logs, nlogs);
		rc = scan_run(so, m, logs, nlogs, &lr, err, sizeof err);
		if (rc < 0) {
			msg_error("%s", err);
			rc = -1;
			goto out;
		}
		report_inputs(o, &lr);
		if (state_take_scan(st, &lr, m, state_key_fingerprint(&so->key)) < 0)
			goto oom;
	}
	st->flags = nlogs ? run_flags(o) : state_file_flags(kinds.first);
	st->builtin = kinds.builtin;
	if (kinds.catalog_csv && !(st->catalog_csv = strdup(kinds.catalog_csv)))
		goto oom;
	/* in command-line order: a log's input, or a state's inputs */
	for (int i = 0; i < npaths; i++) {
		if (!kinds.is_state[i]) {
			const scan_input *in = &lr.inputs[li];
			where[li++] = st->ninputs;
			if (state_add_input(st, in->name, in->format, in->lines, in->compression) < 0)
				goto oom;
			continue;
		}
		if (fold_state(o, m, st, paths[i], i, nlogs) < 0) {
			rc = -2;
			goto out;
		}
	}
	state_tally_compact(st->tally);
	/* the state's events move into the report unless the state is to be
	 * written (--state) */
	if (state_result(st, m, nsides, sides, o->sequential, o->jobs, !o->state_out, res) < 0)
		goto oom;
	res->state_ = st;
	st = NULL;
	take_log_facts(res, &lr, where, li);
	scan_warnings(o, m, res, nsides);
	rc = rc == 2 ? RUN_USAGE : rc;
	goto out;
oom:
	msg_error("out of memory");
	rc = -1;
out:
	state_free(st);
	scan_result_free(&lr);
	free(logs);
	free(where);
	return rc;
}

int run_states(void)
{
	return kinds.nstates;
}

int run_visitor_key(visitor_key *key)
{
	if (kinds.have_key) {
		*key = kinds.key;
		return 0;
	}
	if (visitor_key_random(key) < 0) {
		msg_error("cannot draw a random key for the visitor hashes: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int run_scan_opts(const run_opts *o, int nsides, const scan_range *sides, scan_opts *so,
                  xff_trust **trust)
{
	char err[256];
	*trust = NULL;
	memset(so, 0, sizeof *so);
	so->log_format = o->log_format;
	so->include_bots = o->include_bots;
	so->jobs = o->jobs;
	so->keep_events = o->sequential;
	so->details = o->details || o->format == REPORT_SITE;  /* the site shows 5xx */
	so->nsides = nsides;
	for (int i = 0; i < nsides; i++)
		so->side[i] = sides[i];
	if (run_visitor_key(&so->key) < 0)
		return -1;
	if (o->client_xff) {
		*trust = xff_trust_new(o->trusted_proxies, err, sizeof err);
		if (!*trust) {
			msg_error("%s", err);
			return -1;
		}
		so->client_xff = 1;
		so->trust = *trust;
	} else if (o->trusted_proxies) {
		msg_warn("'--trusted-proxies' has no effect without '--client-from xff'");
	}
	return 0;
}

int run_scan(const run_opts *o, matcher *m, char *const *paths, int npaths,
             int nsides, const scan_range *sides, scan_result *res)
{
	static char *const stdin_path[] = { "-" };
	scan_opts so;
	progress pr;
	char err[256];
	xff_trust *trust;
	if (run_scan_opts(o, nsides, sides, &so, &trust) < 0)
		return -1;
	if (isatty(STDERR_FILENO) && msg_level() >= MSG_NORMAL) {
		progress_init(&pr, paths, npaths);
		so.progress = progress_update;
		so.progress_arg = &pr;
	}
	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	if (kinds.nstates || o->state_out) {
		int r = scan_states(o, m, &so, paths, npaths, nsides, sides, res);
		xff_trust_free(trust);
		return r;
	}

	/* Memory that follows the day (scan_opts.fold), when the inputs can
	 * be read again should they turn out not to be in time order */
	funnel_cfg fold = run_funnel_cfg(o);
	so.fold = &fold;
	for (int i = 0; i < npaths; i++) {
		struct stat st;
		if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) < 0 || !S_ISREG(st.st_mode))
			so.fold = NULL;
	}
	int rc = scan_run(&so, m, paths, npaths, res, err, sizeof err);
	if (rc >= 0 && res->fold_late) {
		msg_info("the logs are not in time order (a request came after its day was "
		         "counted and freed): reading them again, keeping every day in memory");
		scan_result_free(res);
		so.fold = NULL;
		if (so.progress)
			progress_init(&pr, paths, npaths);
		rc = scan_run(&so, m, paths, npaths, res, err, sizeof err);
	}
	xff_trust_free(trust);
	if (rc < 0) {
		msg_error("%s", err);
		return -1;
	}
	report_inputs(o, res);
	scan_warnings(o, m, res, nsides);
	return rc == 2 ? RUN_USAGE : rc;
}

int run_write_state(const run_opts *o, const matcher *m, const scan_result *res, int rc)
{
	output_file out;
	if (rc != RUN_OK && !o->keep_going) {
		msg_error("state '%s' not written: an input could not be read (--keep-going "
		          "writes the state of the readable inputs)", o->state_out);
		return RUN_INPUT;
	}
	if (output_open(&out, o->state_out) < 0)
		return RUN_INPUT;
	int w = state_write(res->state_, m, out.fp);
	if (w < 0)
		msg_error("cannot write state '%s': %s", o->state_out, strerror(errno));
	if (output_close(&out, w == 0) < 0)
		return RUN_INPUT;
	return RUN_OK;
}

int run_write_report(const run_opts *o, report_table *t, compare_table *ct)
{
	output_file out;
	int w;
	if (!ct && o->format == REPORT_SITE) {
		/* a directory, swapped in whole (output.h) */
		return site_publish(t, o->min_visitors, o->output) < 0 ? RUN_INPUT : RUN_OK;
	}
	if (output_open(&out, o->output) < 0)
		return RUN_INPUT;
	/* the table fits the terminal, or 80 */
	if (ct) {
		ct->width = text_term_width(out.fp);
		w = compare_write(ct, run_format(o), out.fp);
	} else {
		t->width = text_term_width(out.fp);
		w = report_write(t, run_format(o), out.fp);
	}
	if (w < 0 && !ferror(out.fp)) /* not a write error, which output_close reports */
		msg_error("cannot write the report: %s", strerror(errno));
	if (output_close(&out, w == 0) < 0)
		return RUN_INPUT;
	return RUN_OK;
}

int run_check_outputs(const run_opts *o)
{
	if (output_check(o->output, "-o", 0) < 0 || output_check(o->append, "--append", 1) < 0 ||
	    output_check(o->state_out, "--state", 0) < 0)
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
