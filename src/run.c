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
#include "xff.h"
#include "fault.h"

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
	matcher *m = match_new(cat, o->gemeente, err, sizeof err);
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

int run_scan(const run_opts *o, matcher *m, char *const *paths, int npaths,
             int nsides, const scan_range *sides, scan_result *res)
{
	scan_opts so;
	progress pr;
	char err[256];
	memset(&so, 0, sizeof so);
	so.log_format = o->log_format;
	so.include_bots = o->include_bots;
	so.jobs = o->jobs;
	so.keep_events = o->sequential;
	so.details = o->details;
	if (isatty(STDERR_FILENO) && msg_level() >= MSG_NORMAL) {
		progress_init(&pr, paths, npaths);
		so.progress = progress_update;
		so.progress_arg = &pr;
	}
	so.nsides = nsides;
	for (int i = 0; i < nsides; i++)
		so.side[i] = sides[i];
	if (visitor_key_random(&so.key) < 0) {
		msg_error("cannot draw a random key for the visitor hashes: %s", strerror(errno));
		return -1;
	}
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
	run_warn_empty(o, res, nsides);
	long limit = match_limit_hits(m);
	if (limit > 0)
		msg_warn("%s:%ld: pattern hit the PCRE2 match limit on %ld target(s); "
		         "counted as not matching",
		         o->catalog_path ? o->catalog_path : "built-in", match_limit_line(m), limit);
	return rc == 2 ? RUN_USAGE : rc;
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
