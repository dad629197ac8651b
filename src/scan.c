/*
 * scan.c - reader thread, block pool and workers (see scan.h).
 *
 * Blocks: a fixed pool of buffers, each holding whole lines of one input.
 * The reader fills a block, cuts it after its last '\n', copies the tail
 * into the next block and queues the cut block; a worker parses it and
 * returns it to the pool. A line longer than a block makes the block grow
 * (up to MAX_LINE; a longer line is counted malformed and skipped).
 * Records point into the block and are done with before it is recycled.
 *
 * Threads: with -j N > 1 there are N - 1 worker threads plus the reader,
 * which is worker 0: when every block is in flight it parses a queued
 * block instead of waiting for a free one, and at the end it parses its
 * share of what is left. So N threads are busy, not N + 1 (on two cores,
 * a third thread only took turns with the other two).
 *
 * W3C logs: a "#Fields:" line changes the format of the lines after it.
 * The reader walks the lines of such inputs, splits a block after each
 * "#Fields:" line and tags the part after it with the new format (kept in
 * scan.xfmts until the result is freed). After an invalid "#Fields:" line
 * the format is NULL: lines are malformed until the next valid one.
 *
 * Format detection reads the first block; when its lines do not decide
 * (blank lines, comments, requests without a request line first), the
 * reader reads on into the same block, up to DETECT_MAX bytes, before the
 * block is cut and queued.
 *
 * Line numbers: each worker notes (block sequence, lines in block); after
 * the run the notes are summed in sequence order, which turns the
 * (block, line-in-block) of malformed samples into line numbers per input.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostcount.h"
#include "compat.h"
#include "input.h"
#include "ktime.h"
#include "logfmt.h"
#include "msg.h"
#include "scan.h"
#include "state.h"
#include "xff.h"

#define BLOCK_SIZE (1u << 20)
#define MAX_LINE ((size_t)64 << 20)
#define DETECT_MAX ((size_t)8 << 20) /* bytes format detection may read ahead */
#define PENDING 64                 /* matched steps queued per side, see flush */
/* Memory that follows the day (scan_opts.fold): each worker keeps a
 * funnel per day (day_funnel). Before the reader hands out a block, it
 * decides to fold the days before D when every request of the blocks
 * parsed since it last looked is FOLD_SLACK past the end of D - 1
 * (fold_decide: the earliest, so one stray later clock does not fold
 * early; requests logged up to an hour late, the disorder within one
 * log, still find their visitor-day), with the blocks handed out so far
 * as the fold's (scan.fold_seq: the last of them). The fold stops nobody:
 * blocks come in sequence order, so a thread that takes a later block
 * (or finds none left; with -j 1 the reader itself, at once) has parsed
 * its share of the fold's blocks. It then hands its funnels of the days
 * before D in (retire) and parses on in the funnels of the later days;
 * the last thread to hand in folds the days handed in (fold_bundles),
 * each day's funnels of all workers together, and the emptied funnels
 * become spares for later days. */
#define FOLD_SLACK 3600

typedef struct block {
	char *buf;
	size_t len, cap;
	int file;
	uint64_t seq;
	const logfmt *fmt;
	struct block *next;
} block;

typedef struct {
	uint64_t seq;
	uint64_t lines;
	int file;
} block_note;

typedef struct {
	int file;
	uint64_t seq;
	uint64_t line;             /* within the block, 1-based */
	char text[112];
} raw_sample;

typedef struct scan scan;

/* scan_opts.fold: the funnel of one day (and side), a worker's or one
 * handed in to a fold (with its side) */
typedef struct {
	int32_t day;
	int side;
	funnel *f;
} dayfun;

/* Workers sit side by side in one array and each writes its counters on
 * every line: _Alignas(64) keeps one worker's last cache line from being
 * another's first (no false sharing between threads). */
typedef struct worker_s {
	_Alignas(64) scan *s;
	pthread_t th;
	match_ctx *mctx;
	funnel *fun[SCAN_MAX_SIDES];
	uint64_t lines, blank, skipped, qualified, matched;
	uint64_t excluded[FILTER_NREASONS];
	raw_sample sample[SCAN_MAX_SAMPLES];
	int nsamples;
	block_note *notes;
	size_t nnotes, capnotes;
	uint64_t *gem_stats;       /* per gemeente: FILTER_NREASONS exclusions + qualified */
	int gem_cap;
	int oom;
	hostcount *unknown;        /* hosts of no gemeente; made at the first */
	int64_t time_min, time_max;/* wall times outside every side's range */
	int64_t blk_min;           /* scan_opts.fold: earliest wall time in this block */
	int32_t fold_before;       /* scan_opts.fold: days before it are (being) folded:
	                            * a step of one is late */
	/* scan_opts.fold: a funnel per day and side instead of fun (day_funnel),
	 * and the one used last */
	dayfun *days[SCAN_MAX_SIDES];
	int ndays[SCAN_MAX_SIDES], capdays[SCAN_MAX_SIDES], lastday[SCAN_MAX_SIDES];
	filter_cache bots;
	match_hit *hits;           /* match_max_hits entries: no hit is ever dropped */
	int max_hits;
	funnel_req pend[SCAN_MAX_SIDES][PENDING];
	int npend[SCAN_MAX_SIDES];
	/* scan_opts.collect: the tally, and the counts of the last (wall,
	 * gemeente) not yet added to it (records come in runs of one second) */
	state_tally *tally;
	int64_t tl_wall;
	int tl_gem, tl_has;
	uint64_t tl_n[2];
} worker;

struct scan {
	const scan_opts *o;
	matcher *m;
	pthread_mutex_t lock;
	pthread_cond_t work_cv, free_cv;
	block *queue_head, *queue_tail;
	block *free_list;
	int done;                  /* no more blocks will be queued */
	struct worker_s *helper;   /* the reader's own worker state (-j > 1) */
	worker *w;
	int nw;
	uint64_t long_lines;       /* reader-side count of over-long lines */
	logfmt **xfmts;            /* formats built from W3C "#Fields:" lines */
	size_t nxfmts, capxfmts;
	/* progress (reader thread only) */
	uint64_t done_raw;         /* raw bytes of finished inputs */
	/* scan_opts.fold: the earliest wall time of the blocks parsed since
	 * the reader last looked (atomic) */
	int64_t recent_min;
	/* scan_opts.fold, under lock: the first day not folded, the fold
	 * under way (the first day not to fold; INT32_MIN for none), the last
	 * block handed out when it was decided and the last one handed out
	 * now (if any), the workers that handed their days in and those days'
	 * funnels, emptied funnels for later days, the figures folded so far
	 * (per side), and room for funnel_fold's list; a matched request of a
	 * folded day seen, and a fold that ran out of memory (atomic) */
	int32_t fold_before;
	int32_t fold_day;
	uint64_t fold_seq, last_seq;
	int any_queued;
	int nretired;
	dayfun *bundle;
	size_t nbundle, capbundle;
	funnel **spares;
	size_t nspares, capspares;
	funnel *acc[SCAN_MAX_SIDES];
	funnel **fold_fs;
	int late;
	int fold_oom;
};

/* ---- block pool and queue -------------------------------------------- */

static void process_block(worker *w, block *b);
static void give_free(scan *s, block *b);
static void give_done(scan *s, block *b);

/* The oldest queued block, or NULL; caller holds the lock. */
static block *pop_queued(scan *s)
{
	block *b = s->queue_head;
	if (b) {
		s->queue_head = b->next;
		if (!s->queue_head)
			s->queue_tail = NULL;
	}
	return b;
}

/* 1 when w must hand its old days to the fold under way (retire) before
 * it parses `next`, the oldest queued block (NULL: none, w is to wait):
 * blocks come in sequence order, so when next is after the fold's last
 * block or none is left, w has parsed its share of the fold's blocks.
 * Caller holds the lock. */
static int must_retire(const scan *s, const worker *w, const block *next)
{
	return s->fold_day != INT32_MIN && w->fold_before < s->fold_day &&
	       (!next || next->seq > s->fold_seq);
}

static void retire(scan *s, worker *w, int32_t day);

/* A free block for the reader. With worker threads, a reader that is
 * ahead of them (every block is queued or being parsed) parses a queued
 * block itself instead of waiting: the reader is one of the -j threads,
 * so -j2 on two cores runs two busy threads, not three. */
static block *take_free(scan *s)
{
	pthread_mutex_lock(&s->lock);
	while (!s->free_list) {
		if (s->helper && s->queue_head && must_retire(s, s->helper, s->queue_head)) {
			int32_t day = s->fold_day;
			pthread_mutex_unlock(&s->lock);
			retire(s, s->helper, day);
			pthread_mutex_lock(&s->lock);
			continue;
		}
		block *q = s->helper ? pop_queued(s) : NULL;
		if (q) {
			pthread_mutex_unlock(&s->lock);
			process_block(s->helper, q);
			give_done(s, q);
			pthread_mutex_lock(&s->lock);
			continue;
		}
		pthread_cond_wait(&s->free_cv, &s->lock);
	}
	block *b = s->free_list;
	s->free_list = b->next;
	pthread_mutex_unlock(&s->lock);
	b->len = 0;
	b->next = NULL;
	return b;
}

static void give_free(scan *s, block *b)
{
	pthread_mutex_lock(&s->lock);
	b->next = s->free_list;
	s->free_list = b;
	pthread_cond_signal(&s->free_cv);
	pthread_mutex_unlock(&s->lock);
}

/* give_free for a block that was parsed. */
static void give_done(scan *s, block *b)
{
	pthread_mutex_lock(&s->lock);
	b->next = s->free_list;
	s->free_list = b;
	pthread_cond_signal(&s->free_cv);
	pthread_mutex_unlock(&s->lock);
}

static void enqueue(scan *s, block *b)
{
	pthread_mutex_lock(&s->lock);
	b->next = NULL;
	if (s->queue_tail)
		s->queue_tail->next = b;
	else
		s->queue_head = b;
	s->queue_tail = b;
	pthread_cond_signal(&s->work_cv);
	pthread_mutex_unlock(&s->lock);
}

/* The oldest queued block for worker w, waiting for one; NULL when the
 * reader is done and none is left. */
static block *dequeue(scan *s, worker *w)
{
	pthread_mutex_lock(&s->lock);
	for (;;) {
		if (must_retire(s, w, s->queue_head)) {
			int32_t day = s->fold_day;
			pthread_mutex_unlock(&s->lock);
			retire(s, w, day);
			pthread_mutex_lock(&s->lock);
			continue;
		}
		if (s->queue_head || s->done)
			break;
		pthread_cond_wait(&s->work_cv, &s->lock);
	}
	block *b = pop_queued(s);
	pthread_mutex_unlock(&s->lock);
	return b;
}

/* ---- the per-line work ----------------------------------------------- */

/* 1 when sample a comes before (file, seq, line) b in the inputs. */
static int sample_before(const raw_sample *a, int file, uint64_t seq, uint64_t line)
{
	if (a->file != file)
		return a->file < file;
	return a->seq != seq ? a->seq < seq : a->line < line;
}

/* Keeps the worker's SCAN_MAX_SAMPLES first malformed lines by input and
 * line (inputs may be read in another order: read_order). */
static void add_sample(worker *w, const block *b, uint64_t line, const char *p, size_t n)
{
	raw_sample *r;
	if (w->nsamples < SCAN_MAX_SAMPLES) {
		r = &w->sample[w->nsamples++];
	} else {
		r = &w->sample[0];
		for (int i = 1; i < SCAN_MAX_SAMPLES; i++)
			if (sample_before(r, w->sample[i].file, w->sample[i].seq, w->sample[i].line))
				r = &w->sample[i]; /* the last one held */
		if (!sample_before(&(raw_sample){ b->file, b->seq, line, "" }, r->file, r->seq,
		                   r->line))
			return;
	}
	r->file = b->file;
	r->seq = b->seq;
	r->line = line;
	msg_escape(p, n, 80, r->text, sizeof r->text);
}

static int is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

#define GEM_STRIDE (FILTER_NREASONS + 1)

/* The counters of gemeente gem (growing the array when a new id shows
 * up, which happens once per gemeente, not per line); NULL when out of
 * memory. */
static uint64_t *gem_slot(worker *w, int gem)
{
	if (gem >= w->gem_cap) {
		int ncap = w->gem_cap ? w->gem_cap : 64;
		while (ncap <= gem)
			ncap *= 2;
		uint64_t *n = realloc(w->gem_stats, (size_t)ncap * GEM_STRIDE * sizeof *n);
		if (!n) {
			w->oom = 1;
			return NULL;
		}
		memset(n + (size_t)w->gem_cap * GEM_STRIDE, 0,
		       (size_t)(ncap - w->gem_cap) * GEM_STRIDE * sizeof *n);
		w->gem_stats = n;
		w->gem_cap = ncap;
	}
	return w->gem_stats + (size_t)gem * GEM_STRIDE;
}

/* Bit i set when side i's time range holds wall. */
static unsigned sides_of(const scan_opts *o, int64_t wall)
{
	unsigned sides = 0;
	for (int i = 0; i < o->nsides; i++)
		if (wall >= o->side[i].from && wall < o->side[i].to)
			sides |= 1u << i;
	return sides;
}

/* scan_opts.collect: adds the pending counts of the last (wall, gemeente)
 * to the tally. */
static void tally_flush(worker *w)
{
	if (!w->tl_has)
		return;
	for (int k = 0; k < 2; k++)
		if (w->tl_n[k] && state_tally_add(w->tally, w->tl_wall, w->tl_gem, STATE_REQ, k,
		                                  w->tl_n[k]) < 0)
			w->oom = 1;
	w->tl_has = 0;
	w->tl_n[0] = w->tl_n[1] = 0;
}

/* scan_opts.collect: one request of gemeente gem (-1: none) at wall that
 * passed the method, status and bot rules. */
static void tally_note(worker *w, int64_t wall, int gem)
{
	if (w->tl_has && (w->tl_wall != wall || w->tl_gem != gem))
		tally_flush(w);
	w->tl_has = 1;
	w->tl_wall = wall;
	w->tl_gem = gem;
	w->tl_n[0]++;
}

/* scan_opts.fold: a new funnel for a day or for the folded figures; one
 * that counts no hits unless the report counts them (funnel_no_hits).
 * NULL when out of memory. */
static funnel *fold_funnel_new(const scan *s)
{
	funnel *f = funnel_new(s->o->keep_events, s->nw);
	if (f && (!s->o->fold->count_hits || s->o->fold->sequential))
		funnel_no_hits(f);
	return f;
}

/* scan_opts.fold: worker w's funnel of side `side` and `day`; a spare
 * one (scan.spares) or a new one when w has none for the day. NULL when
 * out of memory (w->oom set). */
static funnel *day_funnel(worker *w, int side, int32_t day)
{
	dayfun *d = w->days[side];
	int n = w->ndays[side], last = w->lastday[side];
	if (last < n && d[last].day == day)
		return d[last].f;
	for (int i = 0; i < n; i++)
		if (d[i].day == day) {
			w->lastday[side] = i;
			return d[i].f;
		}
	if (n == w->capdays[side]) {
		int nc = n ? 2 * n : 4;
		if (!(d = realloc(d, (size_t)nc * sizeof *d))) {
			w->oom = 1;
			return NULL;
		}
		w->days[side] = d;
		w->capdays[side] = nc;
	}
	scan *s = w->s;
	funnel *f = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->nspares)
		f = s->spares[--s->nspares];
	pthread_mutex_unlock(&s->lock);
	if (!f && !(f = fold_funnel_new(s))) {
		w->oom = 1;
		return NULL;
	}
	d[n] = (dayfun){ day, side, f };
	w->ndays[side] = n + 1;
	w->lastday[side] = n;
	return f;
}

/* --details: a 5xx request by a non-bot that matches a step is counted as
 * an error of that step; it never counts as the step itself. */
static void count_error(worker *w, const kr_record *rec, int gem)
{
	const scan_opts *o = w->s->o;
	if (!o->include_bots && filter_is_bot_cached(&w->bots, rec->user_agent))
		return;
	unsigned sides = sides_of(o, rec->wall);
	if (!sides)
		return;
	int nh = match_target(w->mctx, gem, rec->target, w->hits, w->max_hits);
	int32_t day = ktime_day(rec->wall);
	if (o->collect) {
		for (int h = 0; h < nh; h++)
			if (state_tally_add(w->tally, rec->wall, gem, w->hits[h].row, w->hits[h].step,
			                    1) < 0)
				w->oom = 1;
		return;
	}
	for (int i = 0; i < o->nsides; i++) {
		if (!(sides & (1u << i)))
			continue;
		funnel *f = o->fold ? day_funnel(w, i, day) : w->fun[i];
		for (int h = 0; h < nh && f; h++)
			if (funnel_add_error(f, day, gem, w->hits[h].row, w->hits[h].step) < 0)
				w->oom = 1;
	}
}

/* Adds the queued steps of side i to its funnel. Steps are queued so
 * funnel_add_batch can overlap the cache misses of their table slots. */
static void flush(worker *w, int i)
{
	const funnel_req *r = w->pend[i];
	size_t n = (size_t)w->npend[i];
	w->npend[i] = 0;
	if (!w->s->o->fold) {
		if (n && funnel_add_batch(w->fun[i], r, n) < 0)
			w->oom = 1;
		return;
	}
	/* scan_opts.fold: each day's steps (nearly always one day's) into
	 * its funnel */
	for (size_t k = 0, j; k < n; k = j) {
		for (j = k + 1; j < n && r[j].day == r[k].day; j++)
			;
		funnel *f = day_funnel(w, i, r[k].day);
		if (!f || funnel_add_batch(f, r + k, j - k) < 0)
			w->oom = 1;
	}
}

/* A record of a host that is no gemeente: off the hot path, for the
 * emptiness warnings (hostcount.h). */
static void count_unknown(worker *w, kr_str host)
{
	if (!w->unknown && !(w->unknown = hostcount_new())) {
		w->oom = 1;
		return;
	}
	hostcount_add(w->unknown, host.p, host.n);
}

static void process_line(worker *w, const block *b, uint64_t lineno, char *p, size_t n)
{
	const scan_opts *o = w->s->o;
	kr_record rec;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (n == 0 || ((p[0] == ' ' || p[0] == '\t') && is_blank(p, n))) {
		w->blank++;
		return;
	}
	w->lines++;
	if (!b->fmt) {
		/* after an invalid W3C "#Fields:" line */
		if (p[0] == '#')
			w->skipped++;
		else {
			w->excluded[FILTER_MALFORMED]++;
			add_sample(w, b, lineno, p, n);
		}
		return;
	}
	int rc = logfmt_parse(b->fmt, p, n, &rec);
	if (rc == LOGFMT_SKIP) {
		w->skipped++;
		return;
	}
	if (rc != LOGFMT_OK || n > MAX_LINE) {
		w->excluded[FILTER_MALFORMED]++;
		add_sample(w, b, lineno, p, n);
		return;
	}
	if (rec.wall < w->blk_min)
		w->blk_min = rec.wall;
	if (o->client_xff)
		rec.client = xff_client(o->trust, rec.xff, rec.client);
	int gem = match_gemeente(w->mctx, rec.host);
	if (gem < 0)
		count_unknown(w, rec.host);
	int reason = -1;
	unsigned sides = 0;
	if (!filter_method(rec.method))
		reason = FILTER_METHOD;
	else if (!filter_status(rec.status))
		reason = FILTER_STATUS;
	else if (!o->include_bots && filter_is_bot_cached(&w->bots, rec.user_agent))
		reason = FILTER_BOT;
	else if (!(sides = sides_of(o, rec.wall)))
		reason = FILTER_TIME;
	else if (gem < 0)
		reason = FILTER_HOST;
	uint64_t *gs = gem >= 0 ? gem_slot(w, gem) : NULL;
	if (o->collect && (reason < 0 || reason == FILTER_HOST))
		tally_note(w, rec.wall, gem);
	if (reason >= 0) {
		w->excluded[reason]++;
		if (reason == FILTER_TIME) {
			if (rec.wall < w->time_min)
				w->time_min = rec.wall;
			if (rec.wall > w->time_max)
				w->time_max = rec.wall;
		}
		if (gs)
			gs[reason]++;
		if (reason == FILTER_STATUS && o->details && gem >= 0 &&
		    rec.status >= 500 && rec.status <= 599)
			count_error(w, &rec, gem);
		return;
	}
	if (gs)
		gs[FILTER_NREASONS]++;
	w->qualified++;
	int nh = match_target(w->mctx, gem, rec.target, w->hits, w->max_hits);
	if (nh <= 0)
		return;
	w->matched++;
	if (o->collect)
		w->tl_n[1]++;
	int32_t day = ktime_day(rec.wall);
	if (day < w->fold_before) /* its visitor-day may be folded: see scan_opts.fold */
		__atomic_store_n(&w->s->late, 1, __ATOMIC_RELAXED);
	int32_t sod = o->collect ? (int32_t)(rec.wall - (int64_t)day * 86400) : 0;
	uint64_t v = visitor_hash(&o->key, rec.client, rec.user_agent, day);
	for (int i = 0; i < o->nsides; i++) {
		if (!(sides & (1u << i)))
			continue;
		for (int h = 0; h < nh; h++) {
			if (w->npend[i] == PENDING)
				flush(w, i);
			w->pend[i][w->npend[i]++] = (funnel_req){ v, rec.instant_us, day, sod, gem,
			                                          w->hits[h].row, w->hits[h].step };
		}
	}
}

static void process_block(worker *w, block *b)
{
	char *p = b->buf, *end = b->buf + b->len;
	uint64_t lineno = 0;
	w->blk_min = INT64_MAX;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		process_line(w, b, ++lineno, p, (size_t)(le - p));
		p = le + 1;
	}
	for (int i = 0; i < w->s->o->nsides; i++)
		flush(w, i);
	if (w->s->o->fold && w->blk_min != INT64_MAX) { /* see fold_decide */
		int64_t cur = __atomic_load_n(&w->s->recent_min, __ATOMIC_RELAXED);
		while (w->blk_min < cur &&
		       !__atomic_compare_exchange_n(&w->s->recent_min, &cur, w->blk_min, 1,
		                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			;
	}
	if (w->nnotes == w->capnotes) {
		size_t nc = w->capnotes ? w->capnotes * 2 : 256;
		block_note *n = realloc(w->notes, nc * sizeof *n);
		if (!n) {
			w->oom = 1;
			return;
		}
		w->notes = n;
		w->capnotes = nc;
	}
	w->notes[w->nnotes++] = (block_note){ b->seq, lineno, b->file };
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	block *b;
	while ((b = dequeue(w->s, w)) != NULL) {
		process_block(w, b);
		give_done(w->s, b);
	}
	return NULL;
}

/* ---- the reader ------------------------------------------------------ */

/* scan_opts.fold, on the reader's thread before it hands b out: decides
 * a fold (when none is under way) of the days before the day FOLD_SLACK
 * before the earliest request of the blocks parsed since the last look,
 * with the blocks handed out so far; then notes b as handed out. */
static void fold_decide(scan *s, const block *b)
{
	pthread_mutex_lock(&s->lock);
	if (s->fold_day == INT32_MIN && s->any_queued &&
	    !__atomic_load_n(&s->late, __ATOMIC_RELAXED)) {
		int64_t t = __atomic_exchange_n(&s->recent_min, INT64_MAX, __ATOMIC_RELAXED);
		int32_t before = t == INT64_MAX || t - FOLD_SLACK < (int64_t)INT32_MIN * 86400
		                 ? INT32_MIN : ktime_day(t - FOLD_SLACK);
		if (before != INT32_MIN && before > s->fold_before) {
			s->fold_day = before;
			s->fold_seq = s->last_seq;
			s->nretired = 0;
		}
	}
	s->last_seq = b->seq;
	s->any_queued = 1;
	pthread_mutex_unlock(&s->lock);
}

/* Hands worker w's days to the fold under way when it is due (see
 * must_retire): before it parses next, or (next NULL) when the oldest
 * block queued is after the fold's (or none is). */
static void retire_if_due(scan *s, worker *w, const block *next)
{
	pthread_mutex_lock(&s->lock);
	int r = must_retire(s, w, next ? next : s->queue_head);
	int32_t day = s->fold_day;
	pthread_mutex_unlock(&s->lock);
	if (r)
		retire(s, w, day);
}

static int cmp_dayfun(const void *a, const void *b)
{
	const dayfun *x = a, *y = b;
	if (x->side != y->side)
		return x->side - y->side;
	return (x->day > y->day) - (x->day < y->day);
}

/* Folds the funnels handed in (s->bundle) into s->acc, on the caller's
 * thread, each day's funnels of all workers together; they are empty
 * then and become spares (a few are kept, the rest freed). Then the next
 * fold may be decided. */
static void fold_bundles(scan *s, int32_t day)
{
	dayfun *b = s->bundle;
	size_t n = s->nbundle, keep = (size_t)(2 * s->nw * s->o->nsides);
	if (n > 1) /* qsort wants a non-NULL base even for none */
		qsort(b, n, sizeof *b, cmp_dayfun);
	for (size_t k = 0, j; k < n; k = j) {
		int nf = 1;
		s->fold_fs[0] = s->acc[b[k].side];
		for (j = k; j < n && b[j].side == b[k].side && b[j].day == b[k].day; j++)
			s->fold_fs[nf++] = b[j].f;
		if (funnel_fold(s->fold_fs, nf, s->o->fold, day, 1) < 0)
			__atomic_store_n(&s->fold_oom, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_lock(&s->lock);
	for (size_t k = 0; k < n; k++) {
		if (s->nspares < keep && s->nspares < s->capspares) {
			s->spares[s->nspares++] = b[k].f;
			b[k].f = NULL;
		}
	}
	s->nbundle = 0;
	s->fold_before = day;
	s->fold_day = INT32_MIN;
	pthread_mutex_unlock(&s->lock);
	for (size_t k = 0; k < n; k++)
		funnel_free(b[k].f); /* beyond the spares kept */
}

/* Worker w (on its own thread, between blocks) hands its funnels of the
 * days before `day` (the fold under way) in, and keeps those of the later
 * days. A step of an earlier day that w parses from now on is late. The
 * last worker to hand in folds (fold_bundles). */
static void retire(scan *s, worker *w, int32_t day)
{
	pthread_mutex_lock(&s->lock);
	for (int side = 0; side < s->o->nsides; side++) {
		dayfun *d = w->days[side];
		int kept = 0;
		for (int i = 0; i < w->ndays[side]; i++) {
			if (d[i].day >= day) {
				d[kept++] = d[i];
				continue;
			}
			if (s->nbundle == s->capbundle) {
				size_t nc = s->capbundle ? 2 * s->capbundle : 16;
				dayfun *x = realloc(s->bundle, nc * sizeof *x);
				if (!x) { /* the day stays unfolded: wrong, so fail */
					__atomic_store_n(&s->fold_oom, 1, __ATOMIC_RELAXED);
					d[kept++] = d[i];
					continue;
				}
				s->bundle = x;
				s->capbundle = nc;
			}
			s->bundle[s->nbundle++] = d[i];
		}
		w->ndays[side] = kept;
		w->lastday[side] = 0;
	}
	w->fold_before = day;
	int last = ++s->nretired == s->nw;
	pthread_mutex_unlock(&s->lock);
	if (last)
		fold_bundles(s, day);
}

static void dispatch(scan *s, block *b)
{
	if (s->o->fold && __atomic_load_n(&s->late, __ATOMIC_RELAXED)) {
		/* the result will be thrown away (scan_result.fold_late) */
		give_free(s, b);
		return;
	}
	if (s->o->fold)
		fold_decide(s, b);
	if (s->o->jobs > 1) {
		enqueue(s, b);
		if (s->o->fold) /* the reader's own days */
			retire_if_due(s, s->helper, NULL);
	} else {
		if (s->o->fold)
			retire_if_due(s, &s->w[0], b);
		process_block(&s->w[0], b);
		give_done(s, b);
	}
}

static int ensure_cap(block *b, size_t want)
{
	if (want <= b->cap)
		return 0;
	size_t nc = b->cap;
	while (nc < want)
		nc *= 2;
	char *n = realloc(b->buf, nc);
	if (!n)
		return -1;
	b->buf = n;
	b->cap = nc;
	return 0;
}

static int has_content(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 1;
	return 0;
}

/* The reader's format state of one W3C input. */
typedef struct {
	const logfmt *dir;         /* last valid format: reads the directives */
	const logfmt *cur;         /* format of the data lines; NULL after a bad #Fields */
	uint64_t line;             /* physical lines walked so far */
} w3c_state;

/* Hands cur[0..len) (whole lines of input fi) to the workers. With a
 * W3C format, splits the block after every "#Fields:" line so the lines
 * after it are parsed with the format it declares. Returns 0, or -1 when
 * out of memory (cur is then given back). */
static int queue_lines(scan *s, block *cur, int fi, uint64_t *seq, const logfmt *fmt,
                       w3c_state *w3, scan_input *si)
{
	cur->file = fi;
	if (!w3) {
		cur->seq = (*seq)++;
		cur->fmt = fmt;
		dispatch(s, cur);
		return 0;
	}
	size_t off = 0;
	/* the format of the lines of cur; a "#Fields:" line that ends cur
	 * changes only the format of the blocks after it */
	const logfmt *blockfmt = w3->cur;
	while (off < cur->len) {
		char *p = cur->buf + off;
		char *nl = memchr(p, '\n', cur->len - off);
		size_t n = nl ? (size_t)(nl - p) : cur->len - off;
		size_t next = off + n + (nl ? 1 : 0);
		w3->line++;
		if (n > 0 && p[0] == '#') {
			char e[160];
			logfmt *nf = logfmt_directive(w3->dir, p, n, e, sizeof e);
			if (!nf && e[0] && !si->warning[0])
				snprintf(si->warning, sizeof si->warning,
				         "line %" PRIu64 ": %s; lines are malformed until the next "
				         "valid #Fields line", w3->line, e);
			if (nf || e[0]) {
				if (nf && s->nxfmts == s->capxfmts) {
					size_t nc = s->capxfmts ? 2 * s->capxfmts : 8;
					logfmt **x = realloc(s->xfmts, nc * sizeof *x);
					if (!x) {
						logfmt_free(nf);
						give_free(s, cur);
						return -1;
					}
					s->xfmts = x;
					s->capxfmts = nc;
				}
				if (nf)
					s->xfmts[s->nxfmts++] = nf;
				/* split: [0, next) keeps the old format */
				if (next < cur->len) {
					block *rest = take_free(s);
					if (ensure_cap(rest, cur->len - next) < 0) {
						give_free(s, rest);
						give_free(s, cur);
						return -1;
					}
					memcpy(rest->buf, cur->buf + next, cur->len - next);
					rest->len = cur->len - next;
					rest->file = fi;
					cur->len = next;
					cur->seq = (*seq)++;
					cur->fmt = blockfmt;
					dispatch(s, cur);
					cur = rest;
					next = 0;
					blockfmt = nf;
				}
				if (nf)
					w3->dir = nf;
				w3->cur = nf;
			}
		}
		off = next;
	}
	cur->seq = (*seq)++;
	cur->fmt = blockfmt;
	dispatch(s, cur);
	return 0;
}

/* After a read error on in: says so in si and keeps in cur only complete
 * lines (none while skipping an over-long line); after trailing garbage
 * the member before it was whole, and so is its last line. */
static void read_failed(input *in, block *cur, int skipping, scan_input *si)
{
	snprintf(si->error, sizeof si->error, "%s", input_error(in));
	si->failed = 1;
	if (!input_error_after_member(in)) {
		char *nl = cur->len ? kr_memrchr(cur->buf, '\n', cur->len) : NULL;
		cur->len = nl ? (size_t)(nl - cur->buf) + 1 : 0;
	}
	if (skipping)
		cur->len = 0;
}

/* Drops from cur the rest of an over-long line, up to its newline within
 * the first *cut bytes (counted as one line in si). Returns 1 when that
 * newline is not there yet (still skipping), else 0. */
static int drop_long_rest(block *cur, size_t *cut, scan_input *si)
{
	char *first = memchr(cur->buf, '\n', *cut);
	size_t drop = first ? (size_t)(first - cur->buf) + 1 : *cut;
	memmove(cur->buf, cur->buf + drop, cur->len - drop);
	cur->len -= drop;
	*cut -= drop;
	si->lines++; /* the over-long line itself */
	return first ? 0 : 1;
}

/* The format --log-format gives, or the one an earlier scan_feed found
 * (*fmtp), in *fmtp and si. Returns 0 (*fmtp still NULL: detect it), or
 * -1 when --log-format is no format (si->error, si->failed = 2). */
static int given_format(const scan_opts *o, logfmt **fmtp, scan_input *si)
{
	if (*fmtp) {
		/* scan_feed: known from an earlier feed */
		si->format = logfmt_name(*fmtp);
		snprintf(si->why, sizeof si->why, "%s", o->log_format ? "forced with --log-format"
		         : "detected earlier");
	} else if (o->log_format) {
		char e[160];
		*fmtp = logfmt_new(o->log_format, e, sizeof e);
		if (!*fmtp) {
			snprintf(si->error, sizeof si->error, "%s", e);
			si->failed = 2;
			return -1;
		}
		si->format = logfmt_name(*fmtp);
		snprintf(si->why, sizeof si->why, "forced with --log-format");
	}
	return 0;
}

/* Detects the format from the complete lines cur->buf[0..cut) into *fmtp
 * and si. Detection may want more lines than the first read brought
 * (lines that say nothing about the format come first): then returns 1,
 * to read on into the same block, up to DETECT_MAX. Returns 0 when found,
 * -1 when no format fits (si->error, si->failed = 2). */
static int detect_format(const block *cur, size_t cut, int eof, logfmt **fmtp, scan_input *si)
{
	char why[200];
	int more = 0;
	*fmtp = logfmt_detect_more(cur->buf, cut, eof || cur->len >= DETECT_MAX, why, sizeof why,
	                           &more);
	if (!*fmtp && more)
		return 1;
	if (!*fmtp) {
		const char *e = memchr(cur->buf, '\n', cut);
		char first[120];
		msg_escape(cur->buf, e ? (size_t)(e - cur->buf) : cut, 100, first, sizeof first);
		snprintf(si->error, sizeof si->error,
		         "cannot detect the log format (%s); first line: %s", why, first);
		si->failed = 2;
		return -1;
	}
	si->format = logfmt_name(*fmtp);
	snprintf(si->why, sizeof si->why, "detected, %.117s", why);
	return 0;
}

/* Hands the complete lines (*curp)->buf[0..cut) of input fi in format
 * fmt to the workers (queue_lines; with a W3C format w3 follows its
 * "#Fields:" lines), and *curp becomes a new block that starts with the
 * rest, the part of a line after cut. Returns 0, or -1 when out of
 * memory (*curp is then NULL when the block was given away). */
static int queue_cut(scan *s, block **curp, size_t cut, int fi, uint64_t *seq, logfmt *fmt,
                     w3c_state *w3, scan_input *si)
{
	block *cur = *curp;
	block *next = take_free(s);
	if (cur->len > cut) {
		if (ensure_cap(next, cur->len - cut) < 0) {
			give_free(s, next);
			return -1;
		}
		memcpy(next->buf, cur->buf + cut, cur->len - cut);
		next->len = cur->len - cut;
	}
	cur->len = cut;
	if (cut > 0) {
		int dirs = logfmt_has_directives(fmt);
		if (dirs && !w3->dir)
			w3->dir = w3->cur = fmt;
		*curp = NULL;
		if (queue_lines(s, cur, fi, seq, fmt, dirs ? w3 : NULL, si) < 0) {
			give_free(s, next);
			return -1;
		}
	} else {
		give_free(s, cur);
	}
	*curp = next;
	return 0;
}

/* Reads one input to the end: the stream fp when given (owned from now
 * on), else the file path. *fmtp is the format (NULL: detect it), w3 the
 * W3C state (both carried over by scan_feed). Returns 0, 1 (read error),
 * 2 (no format), -1 (out of memory). */
static int read_input(scan *s, int fi, const char *path, FILE *fp, scan_input *si,
                      logfmt **fmtp, w3c_state *w3, uint64_t *seq, uint64_t *bytes)
{
	const scan_opts *o = s->o;
	int rc = 0;
	input *in = NULL;
	block *cur = NULL;
	int skipping = 0; /* inside an over-long line */

	if (fp) {
		/* scan_feed: the caller opened it */
	} else if (strcmp(path, "-") == 0) {
		fp = stdin;
	} else if (!(fp = fopen(path, "rb"))) {
		snprintf(si->error, sizeof si->error, "%s", strerror(errno));
		si->failed = 1;
		return 1;
	}
	in = input_new(fp, path);
	if (!in)
		return -1;
	if (given_format(o, fmtp, si) < 0) {
		rc = 2;
		goto out;
	}

	cur = take_free(s);
	for (;;) {
		if (o->fold && __atomic_load_n(&s->late, __ATOMIC_RELAXED))
			break; /* the result will be thrown away (scan_result.fold_late) */
		if (cur->len == cur->cap && ensure_cap(cur, cur->cap * 2) < 0) {
			rc = -1;
			goto out;
		}
		ssize_t r = input_read(in, cur->buf + cur->len, cur->cap - cur->len);
		if (r < 0) {
			read_failed(in, cur, skipping, si);
			rc = 1;
		}
		if (r > 0) {
			*bytes += (uint64_t)r;
			cur->len += (size_t)r;
			if (o->progress)
				o->progress(o->progress_arg, s->done_raw + input_raw_bytes(in), 0);
		}
		int eof = r <= 0;
		char *nl = cur->len ? kr_memrchr(cur->buf, '\n', cur->len) : NULL;
		if (!nl && !eof) {
			if (cur->len >= MAX_LINE) {
				/* Over-long line: count it once, drop its bytes. */
				if (!skipping)
					s->long_lines++;
				skipping = 1;
				cur->len = 0;
			}
			continue; /* block grows on the next round */
		}
		size_t cut = eof ? cur->len : (size_t)(nl - cur->buf) + 1;
		if (skipping && cut > 0)
			skipping = drop_long_rest(cur, &cut, si);
		if (!*fmtp && cut > 0 && has_content(cur->buf, cut)) {
			int d = detect_format(cur, cut, eof, fmtp, si);
			if (d > 0)
				continue; /* detection wants more lines */
			if (d < 0) {
				rc = 2;
				goto out;
			}
		}
		if (queue_cut(s, &cur, cut, fi, seq, *fmtp, w3, si) < 0) {
			rc = -1;
			goto out;
		}
		if (eof)
			break;
	}
out:
	if (cur)
		give_free(s, cur);
	si->compression = input_compression(in);
	si->raw_bytes = input_raw_bytes(in);
	s->done_raw += si->raw_bytes;
	input_free(in);
	return rc;
}

/* ---- putting it together --------------------------------------------- */

static int cmp_note(const void *a, const void *b)
{
	const block_note *x = a, *y = b;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_sample(const void *a, const void *b)
{
	const scan_sample *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

/* Keeps the SCAN_MAX_SAMPLES first samples (by input, then line) in
 * first[0..*n), sorted: inserts x when there is room or it comes before
 * the last. */
static void add_first(scan_sample *first, int *n, const scan_sample *x)
{
	int i = *n;
	if (i == SCAN_MAX_SAMPLES) {
		if (cmp_sample(x, &first[i - 1]) >= 0)
			return;
		i--;
	} else {
		(*n)++;
	}
	for (; i > 0 && cmp_sample(x, &first[i - 1]) < 0; i--)
		first[i] = first[i - 1];
	first[i] = *x;
}

static int worker_init(worker *w, scan *s)
{
	memset(w, 0, sizeof *w);
	w->s = s;
	w->time_min = INT64_MAX;
	w->time_max = INT64_MIN;
	w->fold_before = INT32_MIN;
	w->mctx = match_ctx_new(s->m);
	/* a record can match every pattern cell of its gemeente's rows:
	 * sized from the catalogue, so match_target never cuts a record short */
	w->max_hits = match_max_hits(s->m);
	w->hits = malloc(((size_t)w->max_hits + 1) * sizeof *w->hits);
	if (!w->mctx || !w->hits)
		return -1;
	for (int i = 0; i < s->o->nsides && !s->o->fold; i++)
		if (!(w->fun[i] = funnel_new(s->o->keep_events, s->nw)))
			return -1;
	if (s->o->collect && !(w->tally = state_tally_new()))
		return -1;
	return 0;
}

static void worker_fini(worker *w)
{
	match_ctx_free(w->mctx);
	free(w->hits);
	for (int i = 0; i < SCAN_MAX_SIDES; i++) {
		funnel_free(w->fun[i]);
		for (int k = 0; k < w->ndays[i]; k++)
			funnel_free(w->days[i][k].f);
		free(w->days[i]);
	}
	free(w->notes);
	free(w->gem_stats);
	hostcount_free(w->unknown);
	state_tally_free(w->tally);
}

/* Merging funnels (*src[0..n), NULL ones skipped) into dst, one thread
 * per part: the parts are disjoint, so the threads never touch the same
 * table. */
typedef struct {
	funnel **const *src;
	size_t n;
	funnel *dst;
	int part, rc;
	pthread_t th;
} merge_job;

static void *merge_main(void *arg)
{
	merge_job *j = arg;
	j->rc = 0;
	for (size_t i = 0; i < j->n && j->rc == 0; i++)
		if (*j->src[i]) /* the destination's slot is NULL */
			j->rc = funnel_merge_part(j->dst, *j->src[i], j->part);
	return NULL;
}

static int merge_parts(funnel **const *src, size_t n, funnel *dst)
{
	int np = funnel_nparts(dst), rc = 0;
	merge_job *job = calloc((size_t)np, sizeof *job);
	int *started = calloc((size_t)np, sizeof *started);
	if (!job || !started) {
		free(job);
		free(started);
		return -1;
	}
	for (int p = 0; p < np; p++) {
		job[p] = (merge_job){ src, n, dst, p, 0, 0 };
		if (p > 0)
			started[p] = pthread_create(&job[p].th, NULL, merge_main, &job[p]) == 0;
	}
	merge_main(&job[0]);
	for (int p = 1; p < np; p++) {
		if (started[p])
			pthread_join(job[p].th, NULL);
		else
			merge_main(&job[p]);
		if (job[p].rc < 0)
			rc = -1;
	}
	if (job[0].rc < 0)
		rc = -1;
	free(job);
	free(started);
	return rc;
}

/* Adds worker w's counters, time range, tally and hosts of no gemeente
 * to res. Returns 0, or -1 when out of memory (here or in the worker). */
static int collect_counts(scan *s, worker *w, scan_result *res)
{
	res->lines += w->lines;
	res->blank += w->blank;
	res->skipped += w->skipped;
	res->qualified += w->qualified;
	res->matched += w->matched;
	for (int k = 0; k < FILTER_NREASONS; k++)
		res->excluded[k] += w->excluded[k];
	if (s->o->collect) {
		tally_flush(w);
		if (!res->tally) {
			res->tally = w->tally;
			w->tally = NULL;
		} else if (state_tally_merge(res->tally, w->tally) < 0) {
			return -1;
		}
	}
	if (w->oom)
		return -1;
	if (w->time_min < res->time_min)
		res->time_min = w->time_min;
	if (w->time_max > res->time_max)
		res->time_max = w->time_max;
	if (w->unknown && !res->unknown_hosts) {
		res->unknown_hosts = w->unknown;
		w->unknown = NULL;
	} else if (w->unknown) {
		hostcount_merge(res->unknown_hosts, w->unknown);
	}
	return 0;
}

/* The lines of each input, and the first malformed lines of the whole
 * run with their line numbers in their input, from the workers' block
 * notes notes[0..nnotes) (sorted here; start: room for nnotes). */
static void number_lines(scan *s, block_note *notes, size_t nnotes, uint64_t *start,
                         scan_result *res)
{
	/* Block sequence numbers are dense and ordered by input, so the first
	 * line of block `seq` follows from the running sum over its input. */
	qsort(notes, nnotes, sizeof *notes, cmp_note);
	uint64_t run = 0;
	int file = -1;
	for (size_t i = 0; i < nnotes; i++) {
		if (notes[i].file != file) {
			file = notes[i].file;
			run = 0;
		}
		start[i] = run;
		run += notes[i].lines;
		res->inputs[file].lines += notes[i].lines;
	}
	/* the first malformed lines of the whole run: each worker holds its
	 * first ones by input and line (add_sample), so the first
	 * SCAN_MAX_SAMPLES of all workers together are the run's */
	res->nsamples = 0;
	for (int i = 0; i < s->nw; i++) {
		for (int k = 0; k < s->w[i].nsamples; k++) {
			raw_sample *r = &s->w[i].sample[k];
			block_note key = { r->seq, 0, 0 };
			block_note *hit = bsearch(&key, notes, nnotes, sizeof *notes, cmp_note);
			scan_sample o = { r->file, (hit ? start[hit - notes] : 0) + r->line, "" };
			memcpy(o.text, r->text, sizeof o.text);
			add_first(res->sample, &res->nsamples, &o);
		}
	}
}

/* The slots of side's funnels, *n of them (malloc'ed; NULL when out of
 * memory): the workers' funnels, or with scan_opts.fold their funnels of
 * each day and what was folded (s->acc). */
static funnel ***side_slots(scan *s, int side, size_t *n)
{
	size_t k = 0, cap = 1;
	for (int i = 0; i < s->nw; i++)
		cap += 1 + (size_t)s->w[i].ndays[side];
	funnel ***x = malloc(cap * sizeof *x);
	if (!x)
		return NULL;
	for (int i = 0; i < s->nw; i++) {
		if (s->w[i].fun[side])
			x[k++] = &s->w[i].fun[side];
		for (int d = 0; d < s->w[i].ndays[side]; d++)
			x[k++] = &s->w[i].days[side][d].f;
	}
	if (s->acc[side])
		x[k++] = &s->acc[side];
	*n = k;
	return x;
}

/* The funnels of each side (side_slots) merged into res->fun. Returns 0,
 * or -1 when out of memory. */
static int merge_funnels(scan *s, scan_result *res)
{
	for (int side = 0; side < s->o->nsides; side++) {
		size_t n;
		funnel ***slot = side_slots(s, side, &n);
		if (!slot)
			return -1;
		/* into the biggest: workers share few visitor-days (each sees
		 * its own stretch of the log), so the union is about the sum,
		 * and the biggest table is the likeliest to hold it without
		 * growing */
		size_t big = 0;
		for (size_t i = 1; i < n; i++)
			if (funnel_size(*slot[i]) > funnel_size(*slot[big]))
				big = i;
		res->fun[side] = *slot[big];
		*slot[big] = NULL;
		int rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++)
			if (*slot[i] && funnel_merge_counts(res->fun[side], *slot[i]) < 0)
				rc = -1;
		if (rc == 0)
			rc = merge_parts(slot, n, res->fun[side]);
		free(slot);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The workers' counts per gemeente summed into res->gem_excluded and
 * res->gem_qualified (allocated here). Returns 0, or -1 when out of
 * memory. */
static int collect_gemeenten(scan *s, scan_result *res)
{
	res->ngem = match_ngemeenten(s->m);
	res->gem_excluded = calloc((size_t)res->ngem * FILTER_NREASONS + 1, sizeof *res->gem_excluded);
	res->gem_qualified = calloc((size_t)res->ngem + 1, sizeof *res->gem_qualified);
	if (!res->gem_excluded || !res->gem_qualified)
		return -1;
	for (int i = 0; i < s->nw; i++) {
		worker *w = &s->w[i];
		for (int g = 0; g < w->gem_cap && g < res->ngem; g++) {
			const uint64_t *gs = w->gem_stats + (size_t)g * GEM_STRIDE;
			for (int k = 0; k < FILTER_NREASONS; k++)
				res->gem_excluded[(size_t)g * FILTER_NREASONS + k] += gs[k];
			res->gem_qualified[g] += gs[FILTER_NREASONS];
		}
	}
	return 0;
}

/* Folds the workers' counters, samples and funnels into res. */
static int collect(scan *s, scan_result *res)
{
	size_t nnotes = 0;
	for (int i = 0; i < s->nw; i++)
		nnotes += s->w[i].nnotes;
	block_note *notes = malloc((nnotes + 1) * sizeof *notes);
	uint64_t *start = malloc((nnotes + 1) * sizeof *start);
	int rc = -1;
	if (!notes || !start)
		goto out;
	nnotes = 0;
	for (int i = 0; i < s->nw; i++) {
		worker *w = &s->w[i];
		if (w->nnotes) /* w->notes is NULL when the worker got no block */
			memcpy(notes + nnotes, w->notes, w->nnotes * sizeof *notes);
		nnotes += w->nnotes;
		if (collect_counts(s, w, res) < 0)
			goto out;
	}
	number_lines(s, notes, nnotes, start, res);
	if (__atomic_load_n(&s->fold_oom, __ATOMIC_RELAXED))
		goto out;
	if (merge_funnels(s, res) < 0 || collect_gemeenten(s, res) < 0)
		goto out;
	res->lines += res->long_lines;
	res->excluded[FILTER_MALFORMED] += res->long_lines;
	rc = 0;
out:
	free(notes);
	free(start);
	return rc;
}

/* What scan_feed carries over from one call to the next. */
struct scan_cont {
	int n;
	logfmt **fmt;              /* per input: its format, or NULL (owned) */
	w3c_state *w3;             /* per input */
	uint64_t *lines;           /* per input: lines read by earlier feeds */
	logfmt **xfmts;            /* formats of W3C "#Fields:" lines (owned) */
	size_t nxfmts;
};

scan_cont *scan_cont_new(int ninputs)
{
	scan_cont *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->n = ninputs;
	c->fmt = calloc((size_t)ninputs + 1, sizeof *c->fmt);
	c->w3 = calloc((size_t)ninputs + 1, sizeof *c->w3);
	c->lines = calloc((size_t)ninputs + 1, sizeof *c->lines);
	if (!c->fmt || !c->w3 || !c->lines) {
		scan_cont_free(c);
		return NULL;
	}
	return c;
}

void scan_cont_free(scan_cont *c)
{
	if (!c)
		return;
	for (int i = 0; c->fmt && i < c->n; i++)
		logfmt_free(c->fmt[i]);
	for (size_t i = 0; i < c->nxfmts; i++)
		logfmt_free(c->xfmts[i]);
	free(c->fmt);
	free(c->w3);
	free(c->lines);
	free(c->xfmts);
	free(c);
}

/* scan_do's start: s for o and m, with its lock, its conditions and
 * room for its workers (s->w NULL when out of memory). */
static void scan_init(scan *s, const scan_opts *o, matcher *m)
{
	memset(s, 0, sizeof *s);
	s->o = o;
	s->m = m;
	s->fold_before = INT32_MIN;
	s->fold_day = INT32_MIN;
	s->recent_min = INT64_MAX;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->work_cv, NULL);
	pthread_cond_init(&s->free_cv, NULL);
	s->nw = o->jobs > 1 ? o->jobs : 1;
	s->w = aligned_alloc(64, (size_t)s->nw * sizeof *s->w);
	if (s->w)
		memset(s->w, 0, (size_t)s->nw * sizeof *s->w);
}

/* Gives every block of pool[0..nblocks) a buffer and puts it on s's
 * free list, then readies every worker. Returns 0, or -1 when out of
 * memory (what was made is freed by scan_do). */
static int fill_pool(scan *s, block *pool, int nblocks)
{
	for (int i = 0; i < nblocks; i++) {
		pool[i].buf = malloc(BLOCK_SIZE);
		if (!pool[i].buf)
			return -1;
		pool[i].cap = BLOCK_SIZE;
		pool[i].next = s->free_list;
		s->free_list = &pool[i];
	}
	for (int i = 0; i < s->nw; i++)
		if (worker_init(&s->w[i], s) < 0)
			return -1;
	if (!s->o->fold)
		return 0;
	s->capspares = (size_t)(2 * s->nw * s->o->nsides);
	s->spares = calloc(s->capspares, sizeof *s->spares);
	s->fold_fs = calloc((size_t)s->nw + 1, sizeof *s->fold_fs);
	if (!s->spares || !s->fold_fs)
		return -1;
	for (int i = 0; i < s->o->nsides; i++)
		if (!(s->acc[i] = fold_funnel_new(s)))
			return -1;
	return 0;
}

/* Starts the worker threads of -j above 1 (worker 0 stays the reader's
 * own, see take_free); *started is one past the last started. Returns 0,
 * or -1 when a thread cannot start (err says so). */
static int start_workers(scan *s, int *started, char *err, size_t errlen)
{
	if (s->o->jobs <= 1)
		return 0;
	s->helper = &s->w[0];
	for (*started = 1; *started < s->nw; (*started)++) {
		int e = pthread_create(&s->w[*started].th, NULL, worker_main, &s->w[*started]);
		if (e) {
			snprintf(err, errlen, "cannot start worker thread: %s", strerror(e));
			return -1;
		}
	}
	return 0;
}

/* scan_opts.fold: the wall time of the first request in the first
 * FIRST_PEEK bytes of path (decompressed), or INT64_MIN when none parses
 * there, the file cannot be read, or its format changes within the file
 * (W3C "#Fields:" lines). */
#define FIRST_PEEK ((size_t)64 << 10)
static int64_t first_request(const scan_opts *o, const char *path)
{
	int64_t t = INT64_MIN;
	FILE *fp = fopen(path, "rb");
	input *in = fp ? input_new(fp, path) : NULL; /* closes fp when it fails */
	char *buf = in ? malloc(FIRST_PEEK) : NULL;
	logfmt *fmt = NULL;
	size_t len = 0;
	if (!buf)
		goto out;
	for (ssize_t r; len < FIRST_PEEK && (r = input_read(in, buf + len, FIRST_PEEK - len)) > 0;)
		len += (size_t)r;
	char why[200];
	int more = 0, eof = len < FIRST_PEEK;
	fmt = o->log_format ? logfmt_new(o->log_format, why, sizeof why)
	                    : logfmt_detect_more(buf, len, 1, why, sizeof why, &more);
	if (!fmt || logfmt_has_directives(fmt))
		goto out;
	for (char *p = buf, *end = buf + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && !eof)
			break; /* a line cut by the peek */
		size_t n = (size_t)((nl ? nl : end) - p);
		kr_record rec;
		if (logfmt_parse(fmt, p, n, &rec) == LOGFMT_OK) {
			t = rec.wall;
			break;
		}
		p += n + 1;
	}
out:
	logfmt_free(fmt);
	free(buf);
	input_free(in);
	return t;
}

typedef struct {
	int64_t t;
	int i;
} first_req;

static int cmp_first(const void *a, const void *b)
{
	const first_req *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->i - y->i;
}

/* The order to read the inputs in, order[0..npaths) (input indices):
 * with scan_opts.fold, by the time of their first request, so that a
 * glob, which lists access.log.1 before access.log.2 (newest first),
 * does not bring days back after their fold (which reads all the logs
 * again); as given when a first request is unknown (first_request). */
static void read_order(const scan_opts *o, char *const *paths, int npaths, int *order)
{
	for (int i = 0; i < npaths; i++)
		order[i] = i;
	first_req *f = o->fold && npaths > 1 ? malloc((size_t)npaths * sizeof *f) : NULL;
	if (!f)
		return;
	for (int i = 0; i < npaths; i++) {
		f[i] = (first_req){ first_request(o, paths[i]), i };
		if (f[i].t == INT64_MIN) {
			free(f);
			return;
		}
	}
	qsort(f, (size_t)npaths, sizeof *f, cmp_first);
	for (int i = 0; i < npaths; i++)
		order[i] = f[i].i;
	free(f);
}

/* Reads every input (with cont: those with a stream in fps) into the
 * workers' queue, the formats into fmts, what each input was into
 * res->inputs. Returns the worst read_input result: 0, 1 (read error),
 * 2 (no format), or -1 (out of memory, err says so). */
static int read_inputs(scan *s, char *const *paths, FILE **fps, scan_cont *cont, int npaths,
                       logfmt **fmts, scan_result *res, char *err, size_t errlen)
{
	int rc = 0;
	uint64_t seq = 0, bytes = 0;
	int *order = malloc((size_t)npaths * sizeof *order);
	if (!order) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	read_order(s->o, paths, npaths, order);
	for (int i = 0; i < npaths; i++)
		res->inputs[i].name = paths[i];
	for (int k = 0; k < npaths && rc >= 0; k++) {
		int i = order[k];
		w3c_state w3 = { NULL, NULL, 0 };
		if (cont && !fps[i])
			continue; /* nothing new for this one */
		if (s->o->fold && __atomic_load_n(&s->late, __ATOMIC_RELAXED))
			continue; /* see read_input */
		int r = read_input(s, i, paths[i], fps ? fps[i] : NULL, &res->inputs[i], &fmts[i],
		                   cont ? &cont->w3[i] : &w3, &seq, &bytes);
		if (fps)
			fps[i] = NULL; /* closed by read_input */
		if (r < 0) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
		} else if (r > rc) {
			rc = r;
		}
	}
	free(order);
	res->bytes = bytes;
	res->long_lines = s->long_lines;
	return rc;
}

/* After the last input: the progress line's last update, the workers
 * told there is no more, the reader's share of what is left in the
 * queue, and the threads s->w[1..started) joined. */
static void finish_workers(scan *s, int started)
{
	if (s->o->progress)
		s->o->progress(s->o->progress_arg, s->done_raw, 1);
	pthread_mutex_lock(&s->lock);
	s->done = 1;
	pthread_cond_broadcast(&s->work_cv);
	pthread_mutex_unlock(&s->lock);
	if (s->helper) /* the reader takes its share of what is left */
		for (block *b; (b = dequeue(s, s->helper)) != NULL;) {
			process_block(s->helper, b);
			give_done(s, b);
		}
	for (int i = 1; i < started; i++)
		pthread_join(s->w[i].th, NULL);
}

/* scan_feed's hand-over to cont for the next feed: the formats fmts
 * (each set one moves to cont), the lines read so far (sample line
 * numbers count from the start of each input), and the formats of W3C
 * "#Fields:" lines. rc is scan_do's result so far; returns it, or -1
 * when out of memory (err says so). */
static int cont_keep(scan *s, scan_cont *cont, logfmt **fmts, int npaths, scan_result *res,
                     int rc, char *err, size_t errlen)
{
	for (int i = 0; i < npaths; i++) {
		if (fmts[i]) /* cont's own, or new; NULL: not taken (OOM) */
			cont->fmt[i] = fmts[i];
		fmts[i] = NULL;
		if (rc >= 0)
			for (int k = 0; k < res->nsamples; k++)
				if (res->sample[k].file == i)
					res->sample[k].line += cont->lines[i];
	}
	for (int i = 0; i < npaths && rc >= 0; i++)
		cont->lines[i] += res->inputs[i].lines;
	logfmt **x = NULL;
	if (s->nxfmts == 0) {
		/* no "#Fields:" line this time */
	} else if ((x = realloc(cont->xfmts, (cont->nxfmts + s->nxfmts) * sizeof *x))) {
		cont->xfmts = x;
		memcpy(x + cont->nxfmts, s->xfmts, s->nxfmts * sizeof *x);
		cont->nxfmts += s->nxfmts;
		s->nxfmts = 0;
	} else {
		/* cannot hand them over: forget the W3C state that uses them */
		for (int i = 0; i < npaths; i++)
			cont->w3[i].dir = cont->w3[i].cur = NULL;
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	return rc;
}

/* scan_run (fps NULL, cont NULL) and scan_feed (both set): set up, start
 * the workers, read the inputs, finish, fold the workers' results into
 * res. */
static int scan_do(const scan_opts *o, matcher *m, char *const *paths, FILE **fps,
                   scan_cont *cont, int npaths, scan_result *res, char *err, size_t errlen)
{
	static char *const stdin_path[] = { "-" };
	scan s;
	int rc = 0, nblocks = 0, started = 0;
	block *pool = NULL;
	logfmt **fmts = NULL;

	memset(res, 0, sizeof *res);
	res->time_min = INT64_MAX;
	res->time_max = INT64_MIN;
	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	scan_init(&s, o, m);
	res->inputs = calloc((size_t)npaths, sizeof *res->inputs);
	fmts = calloc((size_t)npaths, sizeof *fmts);
	nblocks = 2 * s.nw + 2;
	pool = calloc((size_t)nblocks, sizeof *pool);
	if (!s.w || !res->inputs || !fmts || !pool)
		goto oom;
	res->ninputs = npaths;
	for (int i = 0; cont && i < npaths; i++)
		fmts[i] = cont->fmt[i]; /* back to cont at the end */
	if (fill_pool(&s, pool, nblocks) < 0)
		goto oom;
	rc = start_workers(&s, &started, err, errlen);
	if (rc == 0)
		rc = read_inputs(&s, paths, fps, cont, npaths, fmts, res, err, errlen);
	finish_workers(&s, started);
	res->fold_late = s.late;
	if (s.late) /* the caller reads the inputs again without folding */
		goto out;
	if (rc >= 0 && collect(&s, res) < 0)
		goto oom;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
	rc = -1;
out:
	for (int i = 0; fps && i < npaths; i++) /* not reached after an error */
		if (fps[i] && fps[i] != stdin) {
			fclose(fps[i]);
			fps[i] = NULL;
		}
	for (int i = 0; s.w && i < s.nw; i++)
		worker_fini(&s.w[i]);
	for (size_t i = 0; i < s.nbundle; i++)
		funnel_free(s.bundle[i].f); /* none unless a fold was cut short */
	for (size_t i = 0; i < s.nspares; i++)
		funnel_free(s.spares[i]);
	for (int i = 0; i < SCAN_MAX_SIDES; i++)
		funnel_free(s.acc[i]);
	free(s.bundle);
	free(s.spares);
	free(s.fold_fs);
	free(s.w);
	for (int i = 0; pool && i < nblocks; i++)
		free(pool[i].buf);
	free(pool);
	if (cont && fmts) /* the formats stay with cont, for the next feed */
		rc = cont_keep(&s, cont, fmts, npaths, res, rc, err, errlen);
	/* Formats must outlive the workers: names in res point into them. */
	res->fmts_ = fmts;
	res->xfmts_ = s.xfmts;
	res->nxfmts_ = s.nxfmts;
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.work_cv);
	pthread_cond_destroy(&s.free_cv);
	return rc;
}

void scan_result_free(scan_result *res)
{
	if (!res)
		return;
	for (int i = 0; i < SCAN_MAX_SIDES; i++)
		funnel_free(res->fun[i]);
	if (res->fmts_)
		for (int i = 0; i < res->ninputs; i++)
			logfmt_free(res->fmts_[i]);
	free(res->fmts_);
	for (size_t i = 0; i < res->nxfmts_; i++)
		logfmt_free(res->xfmts_[i]);
	free(res->xfmts_);
	free(res->inputs);
	free(res->gem_excluded);
	free(res->gem_qualified);
	hostcount_free(res->unknown_hosts);
	state_tally_free(res->tally);
	state_free(res->state_);
	memset(res, 0, sizeof *res);
}

int scan_run(const scan_opts *o, matcher *m, char *const *paths, int npaths,
             scan_result *res, char *err, size_t errlen)
{
	return scan_do(o, m, paths, NULL, NULL, npaths, res, err, errlen);
}

int scan_feed(const scan_opts *o, matcher *m, scan_cont *cont, char *const *names,
              FILE **fps, int n, scan_result *res, char *err, size_t errlen)
{
	if (n != cont->n) {
		for (int i = 0; i < n; i++)
			if (fps[i] && fps[i] != stdin)
				fclose(fps[i]);
		snprintf(err, errlen, "scan_feed: %d inputs for a continuation of %d", n, cont->n);
		return -1;
	}
	return scan_do(o, m, names, fps, cont, n, res, err, errlen);
}
