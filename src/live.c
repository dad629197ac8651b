/*
 * live.c - the --follow loop (see live.h).
 *
 * One loop on the calling thread: poll every input (follow.h), hand the
 * whole lines of this poll to scan_feed (worker threads only for large
 * installments, such as the first reading of a big file), add the
 * installment's result to the accumulated one, and call the report
 * writer when the interval is up and something changed. A signal only
 * sets a flag; the loop sleeps at most one poll period, so it notices
 * within that.
 *
 * Invariants: the accumulated result holds exactly the records of the
 * lines handed out so far, filtered by the range current when each was
 * read, minus the days before the current --since; the visitor key is
 * the same for every installment (a visitor-day split over two
 * installments is one visitor-day).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "follow.h"
#include "hostcount.h"
#include "ktime.h"
#include "live.h"
#include "msg.h"
#include "xff.h"

/* Bytes one poll reads from one input before the others get a turn. */
#define LIVE_CHUNK ((size_t)16 << 20)
/* A line buffer larger than this is freed after its feed. */
#define LIVE_KEEP_BUF ((size_t)1 << 20)
/* Installments smaller than this are parsed on the calling thread. */
#define LIVE_THREADS_FROM ((size_t)4 << 20)

static volatile sig_atomic_t stop_signal;

/* The first signal asks for the final report; a second one ends the
 * process at once, as without the handler. */
static void on_signal(int sig)
{
	if (stop_signal) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_signal = sig;
}

int live_relative(const char *arg)
{
	return arg && (strcmp(arg, "today") == 0 || strcmp(arg, "yesterday") == 0 ||
	               arg[0] == '-');
}

int live_acc_init(scan_result *acc, char *const *names, int n, int ngem, int keep_events,
                  int nparts)
{
	memset(acc, 0, sizeof *acc);
	acc->time_min = INT64_MAX;
	acc->time_max = INT64_MIN;
	acc->inputs = calloc((size_t)n + 1, sizeof *acc->inputs);
	acc->gem_excluded = calloc((size_t)ngem * FILTER_NREASONS + 1, sizeof *acc->gem_excluded);
	acc->gem_qualified = calloc((size_t)ngem + 1, sizeof *acc->gem_qualified);
	acc->fun[0] = funnel_new(keep_events, nparts);
	if (!acc->inputs || !acc->gem_excluded || !acc->gem_qualified || !acc->fun[0])
		return -1;
	acc->ngem = ngem;
	acc->ninputs = n;
	for (int i = 0; i < n; i++)
		acc->inputs[i].name = names[i];
	return 0;
}

static int cmp_sample(const void *a, const void *b)
{
	const scan_sample *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

int live_add(scan_result *acc, scan_result *add)
{
	acc->lines += add->lines;
	acc->blank += add->blank;
	acc->skipped += add->skipped;
	for (int k = 0; k < FILTER_NREASONS; k++)
		acc->excluded[k] += add->excluded[k];
	acc->qualified += add->qualified;
	acc->matched += add->matched;
	acc->bytes += add->bytes;
	acc->long_lines += add->long_lines;
	/* the first malformed lines of all, in (input, line) order */
	scan_sample all[2 * SCAN_MAX_SAMPLES];
	int n = 0;
	for (int i = 0; i < acc->nsamples; i++)
		all[n++] = acc->sample[i];
	for (int i = 0; i < add->nsamples; i++)
		all[n++] = add->sample[i];
	qsort(all, (size_t)n, sizeof all[0], cmp_sample);
	acc->nsamples = n < SCAN_MAX_SAMPLES ? n : SCAN_MAX_SAMPLES;
	memcpy(acc->sample, all, (size_t)acc->nsamples * sizeof all[0]);
	for (int i = 0; i < acc->ninputs && i < add->ninputs; i++) {
		scan_input *d = &acc->inputs[i];
		const scan_input *s = &add->inputs[i];
		d->lines += s->lines;
		d->raw_bytes += s->raw_bytes;
		if (s->format)
			d->format = s->format;
		if (s->why[0] && !d->why[0])
			memcpy(d->why, s->why, sizeof d->why);
		if (s->compression)
			d->compression = s->compression;
		if (s->failed > d->failed) {
			d->failed = s->failed;
			memcpy(d->error, s->error, sizeof d->error);
		}
		if (s->warning[0] && !d->warning[0])
			memcpy(d->warning, s->warning, sizeof d->warning);
	}
	if (add->ngem > acc->ngem) {
		/* built-in catalogue: gemeenten appear as their hosts do */
		uint64_t *x = realloc(acc->gem_excluded,
		                      ((size_t)add->ngem * FILTER_NREASONS + 1) * sizeof *x);
		if (!x)
			return -1;
		acc->gem_excluded = x;
		uint64_t *q = realloc(acc->gem_qualified, ((size_t)add->ngem + 1) * sizeof *q);
		if (!q)
			return -1;
		acc->gem_qualified = q;
		memset(x + (size_t)acc->ngem * FILTER_NREASONS, 0,
		       (size_t)(add->ngem - acc->ngem) * FILTER_NREASONS * sizeof *x);
		memset(q + acc->ngem, 0, (size_t)(add->ngem - acc->ngem) * sizeof *q);
		acc->ngem = add->ngem;
	}
	for (int g = 0; g < add->ngem; g++) {
		for (int k = 0; k < FILTER_NREASONS; k++)
			acc->gem_excluded[(size_t)g * FILTER_NREASONS + k] +=
				add->gem_excluded[(size_t)g * FILTER_NREASONS + k];
		acc->gem_qualified[g] += add->gem_qualified[g];
	}
	if (!acc->unknown_hosts) {
		acc->unknown_hosts = add->unknown_hosts;
		add->unknown_hosts = NULL;
	} else if (add->unknown_hosts) {
		hostcount_merge(acc->unknown_hosts, add->unknown_hosts);
	}
	if (add->time_min < acc->time_min)
		acc->time_min = add->time_min;
	if (add->time_max > acc->time_max)
		acc->time_max = add->time_max;
	for (int i = 0; i < SCAN_MAX_SIDES; i++) {
		if (!add->fun[i])
			continue;
		if (!acc->fun[i] || funnel_size(acc->fun[i]) == 0) {
			/* take it (the first reading of a big file): no copy */
			funnel *f = acc->fun[i];
			acc->fun[i] = add->fun[i];
			add->fun[i] = f;
			if (f && funnel_merge(acc->fun[i], f) < 0) /* its hits, if any */
				return -1;
		} else if (funnel_merge(acc->fun[i], add->fun[i]) < 0) {
			return -1;
		}
	}
	return 0;
}

/* The state of one run of the loop. */
typedef struct {
	const run_opts *o;
	run_opts cur;              /* o with the range of this moment */
	matcher *m;
	char *const *paths;
	int n;
	scan_opts so;
	scan_cont *cont;
	follow_input **in;
	follow_chunk *ch;
	int *dead;                 /* input given up (no format, read error) */
	scan_result acc;
	int drop_pending;          /* days before --since still to drop */
	int failed;                /* an input could not be read (1), had no format (2) */
} live;

/* Hands this poll's lines to the pipeline and adds the result; more:
 * another poll follows at once (keep the buffers). Returns 1 when
 * something was read, 0 when not, -1 on a fatal error. */
static int feed(live *L, int more)
{
	FILE **fps = calloc((size_t)L->n + 1, sizeof *fps);
	size_t bytes = 0;
	int any = 0, rc = 0;
	char err[256];
	scan_result res;

	if (!fps) {
		msg_error("out of memory");
		return -1;
	}
	for (int i = 0; i < L->n; i++) {
		follow_chunk *c = &L->ch[i];
		if (c->whole) {
			fps[i] = c->whole;
			c->whole = NULL;
			bytes += LIVE_THREADS_FROM; /* a whole file: worth the threads */
		} else if (c->len > 0) {
			fps[i] = fmemopen(c->buf, c->len, "r");
			if (!fps[i]) {
				msg_error("cannot read the lines of '%s': %s", L->paths[i],
				          strerror(errno));
				rc = -1;
				continue;
			}
			bytes += c->len;
		}
		any |= fps[i] != NULL;
	}
	if (!any || rc < 0) {
		for (int i = 0; i < L->n; i++)
			if (fps[i])
				fclose(fps[i]);
		free(fps);
		return rc;
	}
	scan_opts so = L->so;
	so.jobs = bytes >= LIVE_THREADS_FROM ? L->o->jobs : 1;
	int r = scan_feed(&so, L->m, L->cont, L->paths, fps, L->n, &res, err, sizeof err);
	free(fps);
	for (int i = 0; i < L->n; i++) {
		L->ch[i].len = 0;
		if (!more && L->ch[i].cap > LIVE_KEEP_BUF) {
			/* the big buffer of a first reading: not kept for the trickle
			 * (but while reading on, it is reused) */
			free(L->ch[i].buf);
			L->ch[i].buf = NULL;
			L->ch[i].cap = 0;
		}
	}
	if (r < 0) {
		msg_error("%s", err);
		scan_result_free(&res);
		return -1;
	}
	for (int i = 0; i < res.ninputs; i++) {
		const scan_input *in = &res.inputs[i];
		const char *name = strcmp(in->name, "-") == 0 ? "(stdin)" : in->name;
		if (in->failed == 1)
			msg_error("cannot read '%s' after line %" PRIu64 ": %s", name,
			          L->acc.inputs[i].lines + in->lines, in->error);
		else if (in->failed == 2)
			msg_error("'%s': %s", name, in->error);
		if (in->failed) {
			L->dead[i] = 1;
			if (in->failed > L->failed)
				L->failed = in->failed;
		}
		if (in->warning[0] && !L->acc.inputs[i].warning[0])
			msg_warn("'%s': %s", name, in->warning);
	}
	if (live_add(&L->acc, &res) < 0) {
		msg_error("out of memory");
		rc = -1;
	}
	scan_result_free(&res);
	return rc < 0 ? -1 : 1;
}

/* One poll of every input and the feed of what came. Sets *more when an
 * input has more to read right away. Returns as feed. */
static int poll_all(live *L, int *more)
{
	*more = 0;
	for (int i = 0; i < L->n; i++) {
		if (L->dead[i])
			continue;
		L->ch[i].more = 0;
		if (follow_poll(L->in[i], &L->ch[i], LIVE_CHUNK) < 0) {
			L->dead[i] = 1;
			if (!L->failed)
				L->failed = 1;
		}
		*more |= L->ch[i].more;
	}
	return feed(L, *more);
}

/* Evaluates a relative --since again; when it moved, the days before
 * it leave the accumulated funnel (a cut that ran out of memory is
 * tried again at every call until it succeeds). Returns 1 when the range
 * changed. */
static int roll(live *L, const live_opts *lo)
{
	int64_t since;
	int changed = 0;
	if (!lo->since_arg || ktime_parse_bound(lo->since_arg, &since) < 0)
		return 0;
	if (since != L->cur.since) {
		L->cur.since = since;
		L->so.side[0].from = since;
		L->drop_pending = 1;
		changed = 1;
	}
	if (L->drop_pending) {
		ssize_t d = funnel_drop_before(L->acc.fun[0], ktime_day(since));
		if (d < 0) {
			msg_warn("out of memory while dropping the days before --since; "
			         "trying again");
		} else {
			L->drop_pending = 0;
			if (d > 0)
				msg_info("--since moved: %zd visitor-day entries dropped", d);
		}
	}
	return changed;
}

static int all_done(const live *L)
{
	for (int i = 0; i < L->n; i++)
		if (!L->dead[i] && !follow_done(L->in[i]))
			return 0;
	return 1;
}

/* live_run's inputs: L's tables for paths[0..npaths), every input opened
 * and started (one that cannot start is dead and L->failed is set).
 * Returns 0, or -1 when out of memory (what was made is in L, for
 * live_close). */
static int live_open(live *L, char *const *paths, int npaths)
{
	L->cont = scan_cont_new(npaths);
	L->in = calloc((size_t)npaths, sizeof *L->in);
	L->ch = calloc((size_t)npaths, sizeof *L->ch);
	L->dead = calloc((size_t)npaths, sizeof *L->dead);
	if (!L->cont || !L->in || !L->ch || !L->dead ||
	    live_acc_init(&L->acc, paths, npaths, match_ngemeenten(L->m), L->o->sequential,
	                  L->o->jobs) < 0)
		return -1;
	for (int i = 0; i < npaths; i++) {
		if (!(L->in[i] = follow_input_new(paths[i])))
			return -1;
		if (follow_start(L->in[i]) < 0) {
			L->dead[i] = 1;
			L->failed = 1;
		}
	}
	return 0;
}

/* Frees what live_open made (L may be half made). */
static void live_close(live *L)
{
	for (int i = 0; L->ch && i < L->n; i++) {
		free(L->ch[i].buf);
		if (L->ch[i].whole) /* before its input, which may hold its bytes */
			fclose(L->ch[i].whole);
	}
	for (int i = 0; L->in && i < L->n; i++)
		follow_input_free(L->in[i]);
	free(L->in);
	free(L->ch);
	free(L->dead);
	scan_result_free(&L->acc);
	scan_cont_free(L->cont);
}

/* Polls and feeds until no input has more to read right away (and, when
 * stoppable, until a signal came). Returns 0, or -1 on a fatal error. */
static int poll_to_end(live *L, int stoppable)
{
	int more = 1;
	while (more && !(stoppable && stop_signal))
		if (poll_all(L, &more) < 0)
			return -1;
	return 0;
}

/* The loop of --follow after the first report: polls the inputs, rolls a
 * relative --since, and reports every lo->interval seconds when the
 * figures changed, until a signal or until every input is done. Between
 * polls with nothing new it sleeps a quarter of the interval, at most a
 * second. Returns 0, or -1 on a fatal error. */
static int follow_loop(live *L, const live_opts *lo, live_report_fn report, void *ctx,
                       double t0)
{
	double period = (double)lo->interval / 4;
	if (period > 1.0)
		period = 1.0;
	double next = ktime_monotonic() + (double)lo->interval;
	int changed = 0, more = 0;
	while (!stop_signal && !all_done(L)) {
		changed |= roll(L, lo);
		int r = poll_all(L, &more);
		if (r < 0)
			return -1;
		changed |= r;
		double now = ktime_monotonic();
		if (now >= next) {
			if (changed && report(ctx, &L->cur, &L->acc, now - t0, 0) == RUN_OK)
				changed = 0; /* else try again at the next interval */
			next += (double)lo->interval;
			if (next <= now)
				next = now + (double)lo->interval;
		}
		if (!more && !stop_signal) {
			struct timespec ts = { (time_t)period,
			                       (long)((period - (double)(time_t)period) * 1e9) };
			nanosleep(&ts, NULL);
		}
	}
	return 0;
}

int live_run(const run_opts *o, const live_opts *lo, matcher *m, char *const *paths,
             int npaths, live_report_fn report, void *ctx)
{
	static char *const stdin_path[] = { "-" };
	live L;
	int rc = RUN_OK;
	xff_trust *trust = NULL;
	struct sigaction sa, old_term, old_int;
	int handlers = 0;

	memset(&L, 0, sizeof L);
	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	L.o = o;
	L.cur = *o;
	L.m = m;
	L.paths = paths;
	L.n = npaths;
	scan_range side = { o->since, o->until };
	if (run_scan_opts(o, 1, &side, &L.so, &trust) < 0)
		return -1;
	if (live_open(&L, paths, npaths) < 0)
		goto oom;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: a sleep ends at once */
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	handlers = 1;

	double t0 = ktime_monotonic();
	roll(&L, lo);
	/* what is there already, to the end */
	if (poll_to_end(&L, 1) < 0)
		goto fatal;
	if (L.failed && !o->keep_going) {
		msg_error("no report written: an input could not be read (--keep-going "
		          "follows the readable inputs)");
		rc = L.failed == 2 ? RUN_USAGE : RUN_INPUT; /* as without --follow */
		goto out;
	}
	if (report(ctx, &L.cur, &L.acc, ktime_monotonic() - t0, 0) != RUN_OK) {
		rc = RUN_INPUT;
		goto out;
	}
	msg_info("following %d input(s); a report every %" PRId64 " s", npaths, lo->interval);
	if (follow_loop(&L, lo, report, ctx, t0) < 0)
		goto fatal;
	if (stop_signal)
		msg_info("signal %d: writing the final report", (int)stop_signal);
	/* what came since the last poll, then the final report */
	roll(&L, lo);
	if (poll_to_end(&L, 0) < 0)
		goto fatal;
	rc = report(ctx, &L.cur, &L.acc, ktime_monotonic() - t0, 1) == RUN_OK ? RUN_OK : RUN_INPUT;
	goto out;
oom:
	msg_error("out of memory");
fatal:
	rc = -1;
out:
	if (handlers) {
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGINT, &old_int, NULL);
	}
	live_close(&L);
	xff_trust_free(trust);
	return rc;
}
