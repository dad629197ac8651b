/*
 * funnel.c - the visitor-day table behind every figure.
 *
 * Open addressing with linear probing over a power-of-two array; an entry
 * is free when its row is -1. Load factor stays under 1/2. Sequential-mode
 * events live in one growing array and are chained per entry by index, so
 * adding an event never allocates per line (the arrays double when full).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "catalog.h"
#include "funnel.h"

typedef struct {
	uint64_t visitor;
	int32_t day;
	int32_t gem;
	int32_t row;      /* -1: free slot */
	int32_t ev_head;  /* first event index or -1 */
	uint32_t hits[3];
} entry;

typedef struct {
	int64_t instant;
	int32_t next;
	int32_t step;
} event;

typedef struct {
	int32_t day, gem, row;     /* row -1: free */
	uint32_t n[3];
} errcell;

struct funnel {
	entry *tab;
	size_t cap, used;
	errcell *err;              /* small open-addressed table, 5xx counts */
	size_t errcap, errused;
	event *ev;
	size_t nev, evcap;
	int keep_events;
};

static inline uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static inline uint64_t entry_hash(uint64_t v, int32_t day, int32_t gem, int32_t row)
{
	return mix(v ^ ((uint64_t)(uint32_t)day << 40) ^ ((uint64_t)(uint32_t)gem << 20) ^
	           (uint64_t)(uint32_t)row * 0x9e3779b97f4a7c15ull);
}

/* Tables of 2 MiB and more are aligned to 2 MiB and offered to the
 * kernel as transparent huge pages: the table is touched at random, so
 * 4 KiB pages cost a fault each on first touch and a TLB miss on every
 * probe after. */
#define HUGE_PAGE ((size_t)2 << 20)

static void *table_alloc(size_t bytes)
{
	if (bytes < HUGE_PAGE)
		return malloc(bytes);
	bytes = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	void *p = aligned_alloc(HUGE_PAGE, bytes);
#ifdef MADV_HUGEPAGE
	if (p)
		madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

static int table_init(funnel *f, size_t cap)
{
	f->tab = table_alloc(cap * sizeof *f->tab);
	if (!f->tab)
		return -1;
	for (size_t i = 0; i < cap; i++)
		f->tab[i].row = -1;
	f->cap = cap;
	f->used = 0;
	return 0;
}

funnel *funnel_new(int keep_events)
{
	funnel *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->keep_events = keep_events;
	if (table_init(f, 1024) < 0) {
		free(f);
		return NULL;
	}
	return f;
}

void funnel_free(funnel *f)
{
	if (!f)
		return;
	free(f->tab);
	free(f->ev);
	free(f->err);
	free(f);
}

size_t funnel_size(const funnel *f)
{
	return f->used;
}

/* Finds or inserts the entry; NULL when out of memory. */
static entry *lookup(funnel *f, uint64_t v, int32_t day, int32_t gem, int32_t row);

static int grow(funnel *f)
{
	entry *old = f->tab;
	size_t oldcap = f->cap;
	if (table_init(f, oldcap * 2) < 0) {
		f->tab = old;
		f->cap = oldcap;
		return -1;
	}
	size_t mask = f->cap - 1;
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].row < 0)
			continue;
		size_t j = entry_hash(old[i].visitor, old[i].day, old[i].gem, old[i].row) & mask;
		while (f->tab[j].row >= 0)
			j = (j + 1) & mask;
		f->tab[j] = old[i];
		f->used++;
	}
	free(old);
	return 0;
}

static entry *lookup(funnel *f, uint64_t v, int32_t day, int32_t gem, int32_t row)
{
	if ((f->used + 1) * 2 > f->cap && grow(f) < 0)
		return NULL;
	size_t mask = f->cap - 1;
	size_t j = entry_hash(v, day, gem, row) & mask;
	for (;;) {
		entry *e = &f->tab[j];
		if (e->row < 0) {
			e->visitor = v;
			e->day = day;
			e->gem = gem;
			e->row = row;
			e->ev_head = -1;
			e->hits[0] = e->hits[1] = e->hits[2] = 0;
			f->used++;
			return e;
		}
		if (e->visitor == v && e->day == day && e->gem == gem && e->row == row)
			return e;
		j = (j + 1) & mask;
	}
}

/* Grows the table until n more entries keep the load under 1/2. */
static int reserve(funnel *f, size_t n)
{
	while ((f->used + n) * 2 > f->cap)
		if (grow(f) < 0)
			return -1;
	return 0;
}

static int push_event(funnel *f, entry *e, int64_t instant, int step)
{
	if (f->nev == f->evcap) {
		size_t ncap = f->evcap ? f->evcap * 2 : 4096;
		if (ncap > INT32_MAX) {
			errno = ENOMEM;
			return -1;
		}
		event *n = realloc(f->ev, ncap * sizeof *n);
		if (!n)
			return -1;
		f->ev = n;
		f->evcap = ncap;
	}
	event *ev = &f->ev[f->nev];
	ev->instant = instant;
	ev->step = step;
	ev->next = e->ev_head;
	e->ev_head = (int32_t)f->nev++;
	return 0;
}

int funnel_add(funnel *f, uint64_t visitor, int32_t day, int64_t instant_us,
               int gem, int row, int step)
{
	entry *e = lookup(f, visitor, day, gem, row);
	if (!e)
		return -1;
	e->hits[step]++;
	if (f->keep_events)
		return push_event(f, e, instant_us, step);
	return 0;
}

int funnel_add_batch(funnel *f, const funnel_req *r, size_t n)
{
	if (reserve(f, n) < 0)
		return -1;
	size_t mask = f->cap - 1;
	for (size_t i = 0; i < n; i++)
		__builtin_prefetch(&f->tab[entry_hash(r[i].visitor, r[i].day, r[i].gem, r[i].row) & mask], 1);
	for (size_t i = 0; i < n; i++)
		if (funnel_add(f, r[i].visitor, r[i].day, r[i].instant_us, r[i].gem, r[i].row,
		               r[i].step) < 0)
			return -1;
	return 0;
}

static errcell *err_lookup(funnel *f, int32_t day, int32_t gem, int32_t row)
{
	if ((f->errused + 1) * 2 > f->errcap) {
		size_t ncap = f->errcap ? f->errcap * 2 : 64;
		errcell *n = malloc(ncap * sizeof *n);
		if (!n)
			return NULL;
		for (size_t i = 0; i < ncap; i++)
			n[i].row = -1;
		for (size_t i = 0; i < f->errcap; i++) {
			if (f->err[i].row < 0)
				continue;
			size_t j = entry_hash(0, f->err[i].day, f->err[i].gem, f->err[i].row) & (ncap - 1);
			while (n[j].row >= 0)
				j = (j + 1) & (ncap - 1);
			n[j] = f->err[i];
		}
		free(f->err);
		f->err = n;
		f->errcap = ncap;
	}
	size_t mask = f->errcap - 1, j = entry_hash(0, day, gem, row) & mask;
	for (;; j = (j + 1) & mask) {
		errcell *e = &f->err[j];
		if (e->row < 0) {
			*e = (errcell){ day, gem, row, { 0, 0, 0 } };
			f->errused++;
			return e;
		}
		if (e->day == day && e->gem == gem && e->row == row)
			return e;
	}
}

int funnel_add_error(funnel *f, int32_t day, int gem, int row, int step)
{
	errcell *e = err_lookup(f, day, gem, row);
	if (!e)
		return -1;
	e->n[step]++;
	return 0;
}

int funnel_merge(funnel *dst, const funnel *src)
{
	for (size_t i = 0; i < src->errcap; i++) {
		const errcell *s = &src->err[i];
		if (s->row < 0)
			continue;
		errcell *d = err_lookup(dst, s->day, s->gem, s->row);
		if (!d)
			return -1;
		for (int k = 0; k < 3; k++)
			d->n[k] += s->n[k];
	}
	for (size_t i = 0; i < src->cap; i++) {
		const entry *s = &src->tab[i];
		if (s->row < 0)
			continue;
		entry *d = lookup(dst, s->visitor, s->day, s->gem, s->row);
		if (!d)
			return -1;
		for (int k = 0; k < 3; k++)
			d->hits[k] += s->hits[k];
		if (dst->keep_events) {
			for (int32_t x = s->ev_head; x >= 0; x = src->ev[x].next) {
				if (push_event(dst, d, src->ev[x].instant, src->ev[x].step) < 0)
					return -1;
			}
		}
	}
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Index of the first value >= t in sorted v[0..n), or n. */
static size_t lower_bound(const int64_t *v, size_t n, int64_t t)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int funnel_level(const int *steps, const int64_t *instants, size_t n,
                 int64_t window_us, int64_t *scratch)
{
	/* For each info instant t1, the earliest form t2 >= t1 and then the
	 * earliest done t3 >= t2 are optimal: taking them earliest can only
	 * shrink t_k - t1. */
	int64_t *form = scratch, *done = scratch + n;
	size_t nf = 0, nd = 0;
	int has_info = 0;
	for (size_t i = 0; i < n; i++) {
		if (steps[i] == STEP_FORM)
			form[nf++] = instants[i];
		else if (steps[i] == STEP_DONE)
			done[nd++] = instants[i];
		else
			has_info = 1;
	}
	if (!has_info)
		return 0;
	qsort(form, nf, sizeof *form, cmp_i64);
	qsort(done, nd, sizeof *done, cmp_i64);
	int level = 1;
	for (size_t i = 0; i < n && level < 3; i++) {
		if (steps[i] != STEP_INFO)
			continue;
		int64_t t1 = instants[i];
		size_t a = lower_bound(form, nf, t1);
		if (a == nf || form[a] - t1 > window_us)
			continue;
		if (level < 2)
			level = 2;
		size_t b = lower_bound(done, nd, form[a]);
		if (b < nd && done[b] - t1 <= window_us)
			level = 3;
	}
	return level;
}

static int cmp_cell(const void *a, const void *b)
{
	const funnel_cell *x = a, *y = b;
	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if (x->gem != y->gem)
		return x->gem < y->gem ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/* The cells of funnel_cells while they are summed: open addressing on
 * (period, gem, row), growing at load 1/2. Distinct cells number periods
 * x gemeenten x rows, far fewer than entries, so summing here (instead of
 * sorting one cell per entry) keeps the final step small. */
typedef struct {
	funnel_cell *c;            /* row -1: free */
	size_t cap, used;
} cellmap;

static int cellmap_init(cellmap *m, size_t cap)
{
	m->c = malloc(cap * sizeof *m->c);
	if (!m->c)
		return -1;
	for (size_t i = 0; i < cap; i++)
		m->c[i].row = -1;
	m->cap = cap;
	m->used = 0;
	return 0;
}

static funnel_cell *cellmap_get(cellmap *m, int32_t period, int gem, int row)
{
	if ((m->used + 1) * 2 > m->cap) {
		cellmap old = *m;
		if (cellmap_init(m, old.cap * 2) < 0) {
			*m = old;
			return NULL;
		}
		for (size_t i = 0; i < old.cap; i++) {
			if (old.c[i].row < 0)
				continue;
			size_t j = entry_hash(0, old.c[i].period, old.c[i].gem, old.c[i].row) &
			           (m->cap - 1);
			while (m->c[j].row >= 0)
				j = (j + 1) & (m->cap - 1);
			m->c[j] = old.c[i];
			m->used++;
		}
		free(old.c);
	}
	size_t mask = m->cap - 1, j = entry_hash(0, period, gem, row) & mask;
	for (;; j = (j + 1) & mask) {
		funnel_cell *c = &m->c[j];
		if (c->row < 0) {
			memset(c, 0, sizeof *c);
			c->period = period;
			c->gem = gem;
			c->row = row;
			m->used++;
			return c;
		}
		if (c->period == period && c->gem == gem && c->row == row)
			return c;
	}
}

funnel_cell *funnel_cells(const funnel *f, const funnel_cfg *cfg, size_t *n)
{
	cellmap map = { NULL, 0, 0 };
	funnel_cell *out = NULL;
	int *steps = NULL;
	int64_t *inst = NULL, *scratch = NULL;
	size_t cap_ev = 0;
	/* the period of a day, memoised: entries come in no day order, but
	 * logs span few days */
	int32_t last_day = INT32_MIN, last_period = 0;

	*n = 0;
	if (f->used == 0 && f->errused == 0)
		return NULL;
	if (cellmap_init(&map, 256) < 0)
		goto out;
	for (size_t i = 0; i < f->errcap; i++) {
		const errcell *e = &f->err[i];
		if (e->row < 0)
			continue;
		int32_t period = cfg->by == KTIME_BY_NONE ? 0 : ktime_period_start(e->day, cfg->by);
		funnel_cell *c = cellmap_get(&map, period, e->gem, e->row);
		if (!c)
			goto out;
		for (int s = 0; s < 3; s++)
			c->errors[s] += e->n[s];
	}
	for (size_t i = 0; i < f->cap; i++) {
		const entry *e = &f->tab[i];
		if (e->row < 0)
			continue;
		if (e->day != last_day) {
			last_day = e->day;
			last_period = cfg->by == KTIME_BY_NONE ? 0 : ktime_period_start(e->day, cfg->by);
		}
		funnel_cell *c = cellmap_get(&map, last_period, e->gem, e->row);
		if (!c)
			goto out;
		c->matched = 1;
		if (cfg->sequential) {
			size_t k = 0;
			for (int32_t x = e->ev_head; x >= 0; x = f->ev[x].next)
				k++;
			if (k > cap_ev) {
				size_t nc2 = k * 2;
				int *s2 = realloc(steps, nc2 * sizeof *s2);
				if (s2)
					steps = s2;
				int64_t *i2 = realloc(inst, nc2 * sizeof *i2);
				if (i2)
					inst = i2;
				int64_t *x2 = realloc(scratch, 2 * nc2 * sizeof *x2);
				if (x2)
					scratch = x2;
				if (!s2 || !i2 || !x2)
					goto out;
				cap_ev = nc2;
			}
			k = 0;
			for (int32_t x = e->ev_head; x >= 0; x = f->ev[x].next) {
				steps[k] = f->ev[x].step;
				inst[k++] = f->ev[x].instant;
			}
			int level = funnel_level(steps, inst, k, cfg->window_us, scratch);
			for (int s = 0; s < 3; s++)
				c->n[s] += level > s;
		} else {
			for (int s = 0; s < 3; s++)
				c->n[s] += cfg->count_hits ? (int64_t)e->hits[s] : (e->hits[s] > 0);
		}
	}
	/* compact the map in place and sort the few cells */
	size_t w = 0;
	for (size_t i = 0; i < map.cap; i++)
		if (map.c[i].row >= 0)
			map.c[w++] = map.c[i];
	qsort(map.c, w, sizeof *map.c, cmp_cell);
	*n = w;
	out = map.c;
	map.c = NULL;
out:
	free(map.c);
	free(steps);
	free(inst);
	free(scratch);
	return out;
}
