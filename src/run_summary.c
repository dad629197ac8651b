/*
 * run_summary.c - what a run says about itself: the warnings for a run that
 * counted nothing, the -v summary on stderr, and the report's meta (inputs,
 * counters, the command line quoted for a shell) (see run.h).
 *
 * Names from the log (hosts, built-in gemeenten) are escaped before they
 * reach the terminal.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hostcount.h"
#include "ktime.h"
#include "msg.h"
#include "run.h"
#include "text.h"
#include "fault.h"

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

void run_warn_empty(const run_opts *o, const scan_result *res, int nsides)
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

char *run_command_line(int argc, char **argv)
{
	size_t len = sizeof "klantreis";
	for (int i = 0; i < argc; i++)
		len += 4 * strlen(argv[i]) + 3 + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	size_t o = strlen(strcpy(s, "klantreis"));
	for (int i = 0; i < argc; i++) {
		s[o++] = ' ';
		o += text_shell_quote(s + o, len - o, argv[i]);
	}
	return s;
}

int run_meta(const scan_result *res, const matcher *mt, int argc, char **argv,
             double elapsed, run_meta_buf *mb)
{
	mb->command_line = run_command_line(argc, argv);
	mb->names = calloc((size_t)res->ninputs + 1, sizeof *mb->names);
	mb->formats = calloc((size_t)res->ninputs + 1, sizeof *mb->formats);
	mb->lines = calloc((size_t)res->ninputs + 1, sizeof *mb->lines);
	mb->gem_names = calloc((size_t)res->ngem + 1, sizeof *mb->gem_names);
	if (!mb->command_line || !mb->names || !mb->formats || !mb->lines || !mb->gem_names) {
		msg_error("out of memory");
		return -1;
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
