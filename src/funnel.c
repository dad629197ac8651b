/*
 * funnel.c - the visitor-day table behind every figure.
 *
 * Open addressing with linear probing over a power-of-two array of 24-byte
 * entries; an all-zero entry is free (row is stored plus one), so a fresh
 * table needs no per-entry initialisation: large tables come from mmap as
 * zero pages (written once per page, see touch). Load factor stays under
 * 1/2. An entry holds the steps the visitor-day reached (open funnel) or
 * the head of its event chain (sequential funnel). Sequential-mode events
 * live in one growing array per part and are chained per entry by index,
 * so adding an event never allocates per line (the arrays double when
 * full).
 *
 * Hits (--count hits) do not need the visitor: they are summed per (day,
 * gemeente, row) in a small cell table (celltab) per day (daytabs), like
 * the 5xx counts of --details, so folding or dropping a day takes its
 * table whole; funnel_cells sums into the same kind of table per period.
 *
 * Folding (funnel_fold): the entries and counters of days the input has
 * moved past are summed straight into figures per (period of the fold's
 * --by, gemeente, row), a celltab per part (part.fold), so what a folded
 * month keeps is one cell per report cell, not one per day; and leave the
 * tables, which keep their capacity for the next days: entries are
 * removed in place (re-placed in probe order from a slot that was free),
 * events compacted with forward indices. The parts fold on one thread
 * each (or all on the caller's), as the same key is in the same part of
 * every funnel.
 *
 * Parts: the entries are split over 1, 2, 4, ... independent tables by
 * the top bits of their hash, so that the funnels of several workers can
 * be merged, and their cells computed, one part per thread. The figures do
 * not depend on the number of parts.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>

#include "catalog.h"
#include "funnel.h"
#include "fault.h"

typedef struct {
	uint64_t visitor;
	int32_t day;
	int32_t gem;
	int32_t row1;     /* row + 1; 0: free slot */
	uint32_t aux;     /* open: bit s set when step s was reached;
	                   * sequential: first event index + 1, 0 for none */
} entry;

typedef struct {
	int64_t instant;
	int32_t next;
	int32_t step;     /* step | second of the wall-clock day << 2 (0 but
	                   * for funnels that feed a state, see funnel_add_at) */
} event;

/* Counters per (day or period, gemeente, row): open addressing with
 * linear probing, growing at load 1/2 (row -1: free). The hits and 5xx
 * errors of each day (funnel.hits, funnel.err: period holds the day), and
 * the sums of funnel_cells per period. Distinct cells number days x
 * gemeenten x rows, far fewer than entries, so summing here (instead of
 * sorting one cell per entry) keeps the final step small. */
typedef struct {
	funnel_cell *c;
	size_t cap, used;
} celltab;

/* Counters of each day (funnel.hits, funnel.err): one celltab per day, so
 * that folding or dropping a day takes its table whole instead of picking
 * its cells out of one shared table. A slot that is not live holds an
 * emptied table kept for the next day. Few days are live at a time, and
 * records come day after day: last is the slot used last. */
typedef struct {
	int32_t day;
	int live;
	celltab t;
} daytab;

typedef struct {
	daytab *d;
	int n, cap, last;
} daytabs;

static void days_free(daytabs *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->d[i].t.c);
	free(s->d);
}

/* The first and last of some days (any: there was one). */
typedef struct {
	int32_t lo, hi;
	int any;
} dayrange;

/* Widens r to take in [lo, hi]. */
static void range_add(dayrange *r, int32_t lo, int32_t hi)
{
	if (!r->any || lo < r->lo)
		r->lo = lo;
	if (!r->any || hi > r->hi)
		r->hi = hi;
	r->any = 1;
}

/* One part: a table and, in sequential mode, the events of its entries;
 * and what funnel_fold took out of the part (of every worker's funnel):
 * the figures per (period, gemeente, row) under funnel.fold_cfg, cells
 * as funnel_cells gives them (n, errors, matched), and the first and
 * last day of a folded step (hit.any set when there was one). */
typedef struct {
	entry *tab;
	size_t cap, used;
	size_t bytes;              /* of tab, when it came from mmap; else 0 */
	event *ev;
	size_t nev, evcap;
	celltab fold;
	dayrange hit;
} part;

#define MAX_PARTS 64

struct funnel {
	part *parts;
	int nparts;                /* a power of two */
	int pbits;                 /* log2(nparts) */
	daytabs hits;              /* hits of each step */
	daytabs err;               /* 5xx requests matching each step */
	int folded;                /* funnel_fold put figures in parts' fold */
	funnel_cfg fold_cfg;       /* ... computed under this */
	int keep_events;
	/* funnel_no_hits: hits are not counted; the first and last day of a
	 * step added stand in for them in funnel_day_range */
	int no_hits;
	dayrange days;
};

/* The part of an entry with hash h: its top bits (the slot uses the low
 * ones). */
static inline part *part_of(const funnel *f, uint64_t h)
{
	return &f->parts[f->pbits ? h >> (64 - f->pbits) : 0];
}

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

/* Tables of 2 MiB and more come from mmap, aligned to 2 MiB and offered
 * to the kernel as transparent huge pages: the table is touched at random,
 * so 4 KiB pages cost a fault each on first touch and a TLB miss on every
 * probe after. mmap's pages are zero, which is what a free entry is. */
#define HUGE_PAGE ((size_t)2 << 20)

/* Write-faults every page of [p, p + bytes) now. Probing reads a slot
 * before it writes one; a read of an untouched page maps the shared zero
 * page, and the write after it must then flush that mapping from every
 * core's TLB (an IPI per page, slow in a VM) once a second thread runs. */
static void touch(void *p, size_t bytes)
{
	for (size_t i = 0; i < bytes; i += 4096)
		((volatile char *)p)[i] = 0;
}

static int table_init(part *f, size_t cap)
{
	size_t bytes = cap * sizeof *f->tab;
	if (bytes < HUGE_PAGE) {
		/* not calloc, which may hand out untouched pages (see touch);
		 * touch also keeps the compiler from turning this into calloc */
		f->tab = malloc(bytes);
		if (!f->tab)
			return -1;
		touch(f->tab, bytes);
		memset(f->tab, 0, bytes);
		f->bytes = 0;
	} else {
		size_t len = bytes + HUGE_PAGE;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		/* keep the 2 MiB-aligned part of [p, p + len) */
		char *q = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
		if (q > p)
			munmap(p, (size_t)(q - p));
		if (p + len > q + bytes)
			munmap(q + bytes, (size_t)(p + len - (q + bytes)));
#ifdef MADV_HUGEPAGE
		madvise(q, bytes, MADV_HUGEPAGE);
#endif
		touch(q, bytes);
		f->tab = (entry *)(void *)q;
		f->bytes = bytes;
	}
	f->cap = cap;
	f->used = 0;
	return 0;
}

static void table_free(entry *tab, size_t bytes)
{
	if (bytes)
		munmap(tab, bytes);
	else
		free(tab);
}

funnel *funnel_new(int keep_events, int nparts)
{
	funnel *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->keep_events = keep_events;
	f->nparts = 1;
	while (f->nparts * 2 <= nparts && f->nparts < MAX_PARTS) {
		f->nparts *= 2;
		f->pbits++;
	}
	f->parts = calloc((size_t)f->nparts, sizeof *f->parts);
	if (!f->parts) {
		free(f);
		return NULL;
	}
	for (int p = 0; p < f->nparts; p++)
		if (table_init(&f->parts[p], 1024) < 0) {
			funnel_free(f);
			return NULL;
		}
	return f;
}

void funnel_free(funnel *f)
{
	if (!f)
		return;
	for (int p = 0; f->parts && p < f->nparts; p++) {
		if (f->parts[p].tab)
			table_free(f->parts[p].tab, f->parts[p].bytes);
		free(f->parts[p].ev);
		free(f->parts[p].fold.c);
	}
	free(f->parts);
	days_free(&f->hits);
	days_free(&f->err);
	free(f);
}

size_t funnel_size(const funnel *f)
{
	size_t n = 0;
	for (int p = 0; p < f->nparts; p++)
		n += f->parts[p].used;
	return n;
}

int funnel_day_range(const funnel *f, int32_t *first, int32_t *last)
{
	dayrange r = f->days;
	for (int i = 0; i < f->hits.n; i++) {
		const daytab *d = &f->hits.d[i];
		if (d->live && d->t.used > 0)
			range_add(&r, d->day, d->day);
	}
	for (int p = 0; p < f->nparts; p++)
		if (f->parts[p].hit.any)
			range_add(&r, f->parts[p].hit.lo, f->parts[p].hit.hi);
	if (r.any) {
		*first = r.lo;
		*last = r.hi;
	}
	return r.any;
}

int funnel_nparts(const funnel *f)
{
	return f->nparts;
}

static int grow(part *f)
{
	entry *old = f->tab;
	size_t oldcap = f->cap, oldbytes = f->bytes, oldused = f->used;
	if (table_init(f, oldcap * 2) < 0) {
		f->tab = old;
		f->cap = oldcap;
		f->bytes = oldbytes;
		f->used = oldused;
		return -1;
	}
	size_t mask = f->cap - 1;
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].row1 == 0)
			continue;
		size_t j = entry_hash(old[i].visitor, old[i].day, old[i].gem, old[i].row1 - 1) & mask;
		while (f->tab[j].row1 != 0)
			j = (j + 1) & mask;
		f->tab[j] = old[i];
		f->used++;
	}
	table_free(old, oldbytes);
	return 0;
}

/* Finds or inserts the entry whose hash is h in part f; NULL when out of
 * memory. */
static entry *lookup(part *f, uint64_t h, uint64_t v, int32_t day, int32_t gem, int32_t row)
{
	if ((f->used + 1) * 2 > f->cap && grow(f) < 0)
		return NULL;
	size_t mask = f->cap - 1;
	size_t j = h & mask;
	for (;;) {
		entry *e = &f->tab[j];
		if (e->row1 == 0) {
			e->visitor = v;
			e->day = day;
			e->gem = gem;
			e->row1 = row + 1;
			e->aux = 0;
			f->used++;
			return e;
		}
		if (e->visitor == v && e->day == day && e->gem == gem && e->row1 == row + 1)
			return e;
		j = (j + 1) & mask;
	}
}

/* Grows the table until n more entries keep the load under 1/2. */
static int reserve(part *f, size_t n)
{
	while ((f->used + n) * 2 > f->cap)
		if (grow(f) < 0)
			return -1;
	return 0;
}

/* An empty table of cap (a power of two) cells. Returns 0, or -1 when out
 * of memory. */
static int celltab_init(celltab *t, size_t cap)
{
	t->c = malloc(cap * sizeof *t->c);
	if (!t->c)
		return -1;
	for (size_t i = 0; i < cap; i++)
		t->c[i].row = -1;
	t->cap = cap;
	t->used = 0;
	return 0;
}

/* The counters of (period, gem, row) in t, inserted (zero) when new;
 * NULL when out of memory (t unchanged). */
static funnel_cell *cell_get(celltab *t, int32_t period, int gem, int row)
{
	if ((t->used + 1) * 2 > t->cap) {
		celltab old = *t;
		if (celltab_init(t, old.cap ? old.cap * 2 : 64) < 0) {
			*t = old;
			return NULL;
		}
		for (size_t i = 0; i < old.cap; i++) {
			if (old.c[i].row < 0)
				continue;
			size_t j = entry_hash(0, old.c[i].period, old.c[i].gem, old.c[i].row) &
			           (t->cap - 1);
			while (t->c[j].row >= 0)
				j = (j + 1) & (t->cap - 1);
			t->c[j] = old.c[i];
			t->used++;
		}
		free(old.c);
	}
	size_t mask = t->cap - 1, j = entry_hash(0, period, gem, row) & mask;
	for (;; j = (j + 1) & mask) {
		funnel_cell *c = &t->c[j];
		if (c->row < 0) {
			memset(c, 0, sizeof *c);
			c->period = period;
			c->gem = gem;
			c->row = row;
			t->used++;
			return c;
		}
		if (c->period == period && c->gem == gem && c->row == row)
			return c;
	}
}

/* The table of `day` in s, made (or a spare one taken) when new; NULL
 * when out of memory. */
static celltab *day_tab(daytabs *s, int32_t day)
{
	if (s->last < s->n && s->d[s->last].live && s->d[s->last].day == day)
		return &s->d[s->last].t;
	int spare = -1;
	for (int i = 0; i < s->n; i++) {
		if (s->d[i].live && s->d[i].day == day) {
			s->last = i;
			return &s->d[i].t;
		}
		if (!s->d[i].live && spare < 0)
			spare = i;
	}
	if (spare < 0) {
		if (s->n == s->cap) {
			int nc = s->cap ? s->cap * 2 : 4;
			daytab *d = realloc(s->d, (size_t)nc * sizeof *d);
			if (!d)
				return NULL;
			s->d = d;
			s->cap = nc;
		}
		spare = s->n++;
		s->d[spare] = (daytab){ 0, 0, { NULL, 0, 0 } };
	}
	s->d[spare].day = day;
	s->d[spare].live = 1;
	s->last = spare;
	return &s->d[spare].t;
}

/* The counters of (day, gem, row) in s, inserted (zero) when new; NULL
 * when out of memory. */
static funnel_cell *day_cell(daytabs *s, int32_t day, int gem, int row)
{
	celltab *t = day_tab(s, day);
	return t ? cell_get(t, day, gem, row) : NULL;
}

/* 1 when s holds a counter. */
static int days_any(const daytabs *s)
{
	for (int i = 0; i < s->n; i++)
		if (s->d[i].live && s->d[i].t.used > 0)
			return 1;
	return 0;
}

static int push_event(part *f, entry *e, int64_t instant, int step)
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
	ev->next = (int32_t)e->aux - 1;
	e->aux = (uint32_t)++f->nev;
	return 0;
}

int funnel_add(funnel *f, uint64_t visitor, int32_t day, int64_t instant_us,
               int gem, int row, int step)
{
	return funnel_add_at(f, visitor, day, 0, instant_us, gem, row, step);
}

int funnel_add_at(funnel *f, uint64_t visitor, int32_t day, int32_t sod, int64_t instant_us,
                  int gem, int row, int step)
{
	uint64_t h = entry_hash(visitor, day, gem, row);
	part *pt = part_of(f, h);
	entry *e = lookup(pt, h, visitor, day, gem, row);
	if (!e)
		return -1;
	if (f->keep_events) {
		if (push_event(pt, e, instant_us, step | sod << 2) < 0)
			return -1;
	} else {
		e->aux |= 1u << step;
	}
	if (f->no_hits) {
		range_add(&f->days, day, day);
		return 0;
	}
	funnel_cell *c = day_cell(&f->hits, day, gem, row);
	if (!c)
		return -1;
	c->n[step]++;
	return 0;
}

void funnel_no_hits(funnel *f)
{
	f->no_hits = 1;
}

void funnel_drop_events(funnel *f)
{
	if (!f->keep_events)
		return;
	for (int p = 0; p < f->nparts; p++) {
		part *pt = &f->parts[p];
		for (size_t i = 0; i < pt->cap; i++) {
			entry *e = &pt->tab[i];
			if (e->row1 <= 0)
				continue;
			uint32_t mask = 0;
			for (int32_t x = (int32_t)e->aux - 1; x >= 0; x = pt->ev[x].next)
				mask |= 1u << (pt->ev[x].step & 3);
			e->aux = mask;
		}
		free(pt->ev);
		pt->ev = NULL;
		pt->nev = pt->evcap = 0;
	}
	f->keep_events = 0;
}

int funnel_add_batch(funnel *f, const funnel_req *r, size_t n)
{
	for (int p = 0; p < f->nparts; p++)
		if (reserve(&f->parts[p], n) < 0)
			return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t h = entry_hash(r[i].visitor, r[i].day, r[i].gem, r[i].row);
		const part *pt = part_of(f, h);
		__builtin_prefetch(&pt->tab[h & (pt->cap - 1)], 1);
	}
	for (size_t i = 0; i < n; i++)
		if (funnel_add_at(f, r[i].visitor, r[i].day, r[i].sod, r[i].instant_us, r[i].gem,
		                  r[i].row, r[i].step) < 0)
			return -1;
	return 0;
}

int funnel_add_error(funnel *f, int32_t day, int gem, int row, int step)
{
	return funnel_add_errors(f, day, gem, row, step, 1);
}

int funnel_add_errors(funnel *f, int32_t day, int gem, int row, int step, uint64_t n)
{
	funnel_cell *c = day_cell(&f->err, day, gem, row);
	if (!c)
		return -1;
	c->n[step] += n;
	return 0;
}

/* Adds the cells of src to those of dst (counts, 5xx errors, matched). */
static int cells_merge(celltab *dst, const celltab *src)
{
	if (dst->used == 0 && src->used > 0 && dst->cap <= src->cap) {
		/* into an empty table: the same slots, copied whole (the reports'
		 * folded cells: thousands, which one by one grew dst again and
		 * again) */
		funnel_cell *c = malloc(src->cap * sizeof *c);
		if (!c)
			return -1;
		memcpy(c, src->c, src->cap * sizeof *c);
		free(dst->c);
		dst->c = c;
		dst->cap = src->cap;
		dst->used = src->used;
		return 0;
	}
	for (size_t i = 0; i < src->cap; i++) {
		const funnel_cell *s = &src->c[i];
		if (s->row < 0)
			continue;
		funnel_cell *d = cell_get(dst, s->period, s->gem, s->row);
		if (!d)
			return -1;
		for (int k = 0; k < 3; k++) {
			d->n[k] += s->n[k];
			d->errors[k] += s->errors[k];
		}
		d->matched |= s->matched;
	}
	return 0;
}

/* Adds the counters of src to those of dst, day by day. Returns 0 or -1
 * (out of memory). */
static int days_merge(daytabs *dst, const daytabs *src)
{
	for (int i = 0; i < src->n; i++) {
		if (!src->d[i].live || src->d[i].t.used == 0)
			continue;
		celltab *t = day_tab(dst, src->d[i].day);
		if (!t || cells_merge(t, &src->d[i].t) < 0)
			return -1;
	}
	return 0;
}

/* 1 when folded figures under a and under b are the same figures. */
static int cfg_same(const funnel_cfg *a, const funnel_cfg *b)
{
	return a->sequential == b->sequential && a->count_hits == b->count_hits &&
	       a->window_us == b->window_us && a->by == b->by;
}

/* Adds the folded figures of src (funnel_fold) to dst: part p of src into
 * part p modulo dst's parts. Returns 0, or -1 (out of memory; errno
 * EINVAL when both hold figures folded under different cfgs). */
static int fold_merge(funnel *dst, const funnel *src)
{
	if (!src->folded)
		return 0;
	if (dst->folded && !cfg_same(&dst->fold_cfg, &src->fold_cfg)) {
		errno = EINVAL;
		return -1;
	}
	dst->folded = 1;
	dst->fold_cfg = src->fold_cfg;
	for (int p = 0; p < src->nparts; p++) {
		const part *sp = &src->parts[p];
		part *dp = &dst->parts[p & (dst->nparts - 1)];
		if (cells_merge(&dp->fold, &sp->fold) < 0)
			return -1;
		if (sp->hit.any)
			range_add(&dp->hit, sp->hit.lo, sp->hit.hi);
	}
	return 0;
}

/* Folds the entries of src's part sp into dst. */
static int merge_part(funnel *dst, const part *sp)
{
	for (size_t i = 0; i < sp->cap; i++) {
		const entry *s = &sp->tab[i];
		if (s->row1 == 0)
			continue;
		uint64_t h = entry_hash(s->visitor, s->day, s->gem, s->row1 - 1);
		part *dp = part_of(dst, h);
		entry *d = lookup(dp, h, s->visitor, s->day, s->gem, s->row1 - 1);
		if (!d)
			return -1;
		if (!dst->keep_events) {
			d->aux |= s->aux;
			continue;
		}
		for (int32_t x = (int32_t)s->aux - 1; x >= 0; x = sp->ev[x].next)
			if (push_event(dp, d, sp->ev[x].instant, sp->ev[x].step) < 0)
				return -1;
	}
	return 0;
}

int funnel_merge_counts(funnel *dst, const funnel *src)
{
	if (src->days.any)
		range_add(&dst->days, src->days.lo, src->days.hi);
	return days_merge(&dst->err, &src->err) < 0 || days_merge(&dst->hits, &src->hits) < 0 ||
	       fold_merge(dst, src) < 0
	       ? -1 : 0;
}

int funnel_merge_part(funnel *dst, const funnel *src, int p)
{
	if (dst->nparts != src->nparts || p < 0 || p >= src->nparts)
		return -1;
	return merge_part(dst, &src->parts[p]);
}

int funnel_merge(funnel *dst, const funnel *src)
{
	if (funnel_merge_counts(dst, src) < 0)
		return -1;
	for (int p = 0; p < src->nparts; p++)
		if (merge_part(dst, &src->parts[p]) < 0)
			return -1;
	return 0;
}

/* ---- forgetting old days (--follow with a relative --since) ---------- */

/* Part pt without the entries of days before `day`, in a table sized for
 * what is left (and, in sequential mode, a fresh event array holding only
 * their events). The part is replaced only when everything could be
 * allocated. Returns the entries dropped, or -1 (out of memory; pt is
 * unchanged). */
static ssize_t drop_part(part *pt, int keep_events, int32_t day)
{
	size_t keep = 0, nev = 0;
	for (size_t i = 0; i < pt->cap; i++) {
		const entry *e = &pt->tab[i];
		if (e->row1 == 0 || e->day < day)
			continue;
		keep++;
		if (keep_events)
			for (int32_t x = (int32_t)e->aux - 1; x >= 0; x = pt->ev[x].next)
				nev++;
	}
	if (keep == pt->used)
		return 0;
	size_t cap = 1024;
	while ((keep + 1) * 2 > cap)
		cap *= 2;
	part np = { 0 };
	if (table_init(&np, cap) < 0)
		return -1;
	if (keep_events && nev > 0) {
		np.evcap = nev;
		if (!(np.ev = malloc(nev * sizeof *np.ev))) {
			table_free(np.tab, np.bytes);
			return -1;
		}
	}
	size_t mask = np.cap - 1;
	for (size_t i = 0; i < pt->cap; i++) {
		const entry *e = &pt->tab[i];
		if (e->row1 == 0 || e->day < day)
			continue;
		size_t j = entry_hash(e->visitor, e->day, e->gem, e->row1 - 1) & mask;
		while (np.tab[j].row1 != 0)
			j = (j + 1) & mask;
		entry *d = &np.tab[j];
		*d = *e;
		np.used++;
		if (!keep_events)
			continue;
		d->aux = 0;
		for (int32_t x = (int32_t)e->aux - 1; x >= 0; x = pt->ev[x].next) {
			event *ev = &np.ev[np.nev];
			*ev = pt->ev[x];
			ev->next = (int32_t)d->aux - 1;
			d->aux = (uint32_t)++np.nev;
		}
	}
	ssize_t dropped = (ssize_t)(pt->used - keep);
	table_free(pt->tab, pt->bytes);
	free(pt->ev);
	*pt = np;
	return dropped;
}

/* s without the counters of days before `day`: their tables freed. */
static void drop_days(daytabs *s, int32_t day)
{
	for (int i = 0; i < s->n; i++) {
		daytab *d = &s->d[i];
		if (d->live && d->day >= day)
			continue;
		free(d->t.c);
		*d = (daytab){ 0, 0, { NULL, 0, 0 } };
	}
}

ssize_t funnel_drop_before(funnel *f, int32_t day)
{
	ssize_t total = 0;
	if (f->folded || f->no_hits) { /* folded figures have no days left to drop; */
		errno = EINVAL;             /* nor have days that only a range knows */
		return -1;
	}
	for (int p = 0; p < f->nparts; p++) {
		ssize_t d = drop_part(&f->parts[p], f->keep_events, day);
		if (d < 0)
			return -1;
		total += d;
	}
	drop_days(&f->hits, day);
	drop_days(&f->err, day);
	return total;
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

int funnel_cell_cmp(const void *a, const void *b)
{
	const funnel_cell *x = a, *y = b;
	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	if (x->gem != y->gem)
		return x->gem < y->gem ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/* The cells of one part's entries, summed into map (one thread). */
typedef struct {
	const funnel_cfg *cfg;
	const part *pt;
	celltab map;
	int rc;
	pthread_t th;
} part_job;

static void part_cells(part_job *j)
{
	const funnel_cfg *cfg = j->cfg;
	const part *pt = j->pt;
	int *steps = NULL;
	int64_t *inst = NULL, *scratch = NULL;
	size_t cap_ev = 0;
	/* the period of a day, memoised: entries come in no day order, but
	 * logs span few days */
	int32_t last_day = INT32_MIN, last_period = 0;

	j->rc = -1;
	/* the folded days (funnel_fold): figures per period under cfg
	 * already; first, while the map is empty (cells_merge copies) */
	if (cells_merge(&j->map, &pt->fold) < 0)
		goto out;
	for (size_t i = 0; i < pt->cap; i++) {
		const entry *e = &pt->tab[i];
		if (e->row1 == 0)
			continue;
		if (e->day != last_day) {
			last_day = e->day;
			last_period = cfg->by == KTIME_BY_NONE ? 0 : ktime_period_start(e->day, cfg->by);
		}
		funnel_cell *c = cell_get(&j->map, last_period, e->gem, e->row1 - 1);
		if (!c)
			goto out;
		c->matched = 1;
		if (cfg->sequential) {
			size_t k = 0;
			for (int32_t x = (int32_t)e->aux - 1; x >= 0; x = pt->ev[x].next)
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
			for (int32_t x = (int32_t)e->aux - 1; x >= 0; x = pt->ev[x].next) {
				steps[k] = pt->ev[x].step & 3;
				inst[k++] = pt->ev[x].instant;
			}
			int level = funnel_level(steps, inst, k, cfg->window_us, scratch);
			for (int s = 0; s < 3; s++)
				c->n[s] += level > s;
		} else if (!cfg->count_hits) {
			for (int s = 0; s < 3; s++)
				c->n[s] += (e->aux >> s) & 1;
		}
	}
	j->rc = 0;
out:
	free(steps);
	free(inst);
	free(scratch);
}

static void *part_main(void *arg)
{
	part_cells(arg);
	return NULL;
}

/* Adds the counters of t to the cells of map, per period of by: into
 * errors[] when errors is set, else into n[]. Returns 0, or -1 (OOM). */
static int sum_counts(celltab *map, const daytabs *ds, enum ktime_by by, int errors)
{
	for (int d = 0; d < ds->n; d++) {
		const celltab *t = &ds->d[d].t;
		if (!ds->d[d].live)
			continue;
		int32_t period = by == KTIME_BY_NONE ? 0 : ktime_period_start(ds->d[d].day, by);
		for (size_t i = 0; i < t->cap; i++) {
			const funnel_cell *e = &t->c[i];
			if (e->row < 0)
				continue;
			funnel_cell *c = cell_get(map, period, e->gem, e->row);
			if (!c)
				return -1;
			int64_t *to = errors ? c->errors : c->n;
			for (int s = 0; s < 3; s++)
				to[s] += e->n[s];
		}
	}
	return 0;
}

int funnel_cells(const funnel *f, const funnel_cfg *cfg, funnel_cell **cells, size_t *n)
{
	celltab map = { NULL, 0, 0 };
	part_job job[MAX_PARTS];
	int njobs = 0, rc = -1;

	*cells = NULL;
	*n = 0;
	if (f->folded && !cfg_same(cfg, &f->fold_cfg)) {
		errno = EINVAL;
		return -1;
	}
	if (funnel_size(f) == 0 && !days_any(&f->err) && !f->folded)
		return 0;
	if (celltab_init(&map, 256) < 0)
		goto out;
	/* one thread per part (the caller's thread takes part 0) */
	for (int p = 0; p < f->nparts; p++, njobs++) {
		job[p] = (part_job){ cfg, &f->parts[p], { NULL, 0, 0 }, -1, 0 };
		if (celltab_init(&job[p].map, 256) < 0)
			goto out;
	}
	int started[MAX_PARTS] = { 0 };
	for (int p = 1; p < njobs; p++)
		started[p] = pthread_create(&job[p].th, NULL, part_main, &job[p]) == 0;
	part_cells(&job[0]);
	for (int p = 1; p < njobs; p++) {
		if (started[p])
			pthread_join(job[p].th, NULL);
		else
			part_cells(&job[p]);
	}
	for (int p = 0; p < njobs; p++) {
		if (job[p].rc < 0 || cells_merge(&map, &job[p].map) < 0)
			goto out;
	}
	if (sum_counts(&map, &f->err, cfg->by, 1) < 0)
		goto out;
	if (cfg->count_hits && !cfg->sequential && sum_counts(&map, &f->hits, cfg->by, 0) < 0)
		goto out;
	/* compact the map in place and sort the few cells */
	size_t w = 0;
	for (size_t i = 0; i < map.cap; i++)
		if (map.c[i].row >= 0)
			map.c[w++] = map.c[i];
	qsort(map.c, w, sizeof *map.c, funnel_cell_cmp);
	*n = w;
	*cells = map.c;
	map.c = NULL;
	rc = 0;
out:
	for (int p = 0; p < njobs; p++)
		free(job[p].map.c);
	free(map.c);
	return rc;
}

int funnel_walk(const funnel *f, funnel_walk_fn fn, void *arg)
{
	funnel_event *ev = NULL;
	size_t cap = 0;
	int rc = -1;
	for (int p = 0; p < f->nparts; p++) {
		const part *pt = &f->parts[p];
		for (size_t i = 0; i < pt->cap; i++) {
			const entry *e = &pt->tab[i];
			if (e->row1 == 0)
				continue;
			size_t k = 0;
			for (int32_t x = (int32_t)e->aux - 1; f->keep_events && x >= 0; x = pt->ev[x].next) {
				if (k == cap) {
					size_t nc = cap ? cap * 2 : 64;
					funnel_event *n = realloc(ev, nc * sizeof *n);
					if (!n)
						goto out;
					ev = n;
					cap = nc;
				}
				ev[k++] = (funnel_event){ pt->ev[x].instant, pt->ev[x].step >> 2,
				                          pt->ev[x].step & 3 };
			}
			funnel_key key = { e->visitor, e->day, e->gem, e->row1 - 1 };
			if (fn(arg, &key, ev, k) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(ev);
	return rc;
}

int funnel_filter(funnel *dst, const funnel *src, int64_t from, int64_t to)
{
	if (!src->keep_events) {
		errno = EINVAL;
		return -1;
	}
	for (int p = 0; p < src->nparts; p++) {
		const part *pt = &src->parts[p];
		for (size_t i = 0; i < pt->cap; i++) {
			const entry *e = &pt->tab[i];
			if (e->row1 == 0)
				continue;
			int64_t midnight = (int64_t)e->day * 86400;
			for (int32_t x = (int32_t)e->aux - 1; x >= 0; x = pt->ev[x].next) {
				const event *v = &pt->ev[x];
				int64_t wall = midnight + (v->step >> 2);
				if (wall < from || wall >= to)
					continue;
				if (funnel_add_at(dst, e->visitor, e->day, v->step >> 2, v->instant,
				                  e->gem, e->row1 - 1, v->step & 3) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* ---- folding days (funnel_fold) -------------------------------------- */

/* The entry of key (v, day, gem, row) with hash h in part f, or NULL. */
static entry *find(part *f, uint64_t h, uint64_t v, int32_t day, int32_t gem, int32_t row)
{
	size_t mask = f->cap - 1;
	for (size_t j = h & mask;; j = (j + 1) & mask) {
		entry *e = &f->tab[j];
		if (e->row1 == 0)
			return NULL;
		if (e->visitor == v && e->day == day && e->gem == gem && e->row1 == row + 1)
			return e;
	}
}

/* Appends the events of e's chain in pt to the growing arrays *steps and
 * *inst (k used, *cap allocated; *scratch kept at 2 * *cap). Returns 0 or
 * -1 (out of memory). */
static int gather(const part *pt, const entry *e, int **steps, int64_t **inst,
                  int64_t **scratch, size_t *k, size_t *cap)
{
	for (int32_t x = (int32_t)e->aux - 1; x >= 0; x = pt->ev[x].next) {
		if (*k == *cap) {
			size_t nc = *cap ? *cap * 2 : 64;
			int *s2 = realloc(*steps, nc * sizeof *s2);
			if (s2)
				*steps = s2;
			int64_t *i2 = realloc(*inst, nc * sizeof *i2);
			if (i2)
				*inst = i2;
			int64_t *x2 = realloc(*scratch, 2 * nc * sizeof *x2);
			if (x2)
				*scratch = x2;
			if (!s2 || !i2 || !x2)
				return -1;
			*cap = nc;
		}
		(*steps)[*k] = pt->ev[x].step & 3;
		(*inst)[(*k)++] = pt->ev[x].instant;
	}
	return 0;
}

#define LIVE_MARK (1 << 30)        /* in event.step while compacting */

/* Compacts pt's events after entries were removed: the events of the
 * entries left move down to the front (their order within a chain
 * kept), the rest are gone. */
static void compact_events(part *pt)
{
	if (pt->nev == 0)
		return;
	/* mark the live ones, move them down into [0, live) (two
	 * fingers), leave a forward index in each slot moved from, then
	 * redirect every chain through the forwards */
	size_t live = 0;
	for (size_t i = 0; i < pt->cap; i++)
		for (int32_t x = (int32_t)pt->tab[i].aux - 1; pt->tab[i].row1 && x >= 0;
		     x = pt->ev[x].next) {
			pt->ev[x].step |= LIVE_MARK;
			live++;
		}
	/* ev[lo] dead and ev[hi - 1] live, else lo and hi meet at live */
	size_t lo = 0, hi = pt->nev;
	for (;;) {
		while (lo < hi && (pt->ev[lo].step & LIVE_MARK))
			lo++;
		while (hi > lo && !(pt->ev[hi - 1].step & LIVE_MARK))
			hi--;
		if (hi <= lo)
			break;
		pt->ev[lo] = pt->ev[hi - 1];
		pt->ev[hi - 1].next = (int32_t)lo;
		pt->ev[hi - 1].step = 0;
		lo++;
		hi--;
	}
	for (size_t x = 0; x < live; x++)
		pt->ev[x].step &= ~LIVE_MARK;
	for (size_t i = 0; i < pt->cap; i++) {
		entry *e = &pt->tab[i];
		if (e->row1 == 0 || e->aux == 0)
			continue;
		int32_t x = (int32_t)e->aux - 1;
		if ((size_t)x >= live)
			x = pt->ev[x].next;
		e->aux = (uint32_t)x + 1;
		for (; x >= 0;) {
			int32_t nx = pt->ev[x].next;
			if (nx >= 0 && (size_t)nx >= live)
				nx = pt->ev[nx].next;
			pt->ev[x].next = nx;
			x = nx;
		}
	}
	pt->nev = live;
}

static int32_t period_of(int32_t day, enum ktime_by by)
{
	return by == KTIME_BY_NONE ? 0 : ktime_period_start(day, by);
}

/* Adds into into->fold the counters of s's days before `before`, per
 * period of cfg->by: 5xx counts (errors set) into errors[], hits into n[]
 * when cfg counts hits (and extends into's range of folded hit days); and
 * empties those days' tables for later days. Returns 0 or -1 (out of
 * memory). */
static int take_days(part *into, daytabs *s, const funnel_cfg *cfg, int32_t before, int errors)
{
	int into_n = !errors && cfg->count_hits && !cfg->sequential;
	for (int d = 0; d < s->n; d++) {
		const celltab *t = &s->d[d].t;
		int32_t day = s->d[d].day, period = period_of(day, cfg->by);
		if (!s->d[d].live || day >= before)
			continue;
		if (!errors && t->used > 0)
			range_add(&into->hit, day, day);
		/* taken, and emptied in the same pass: the slot becomes a spare
		 * whose table keeps its capacity for a later day */
		for (size_t i = 0; t->used > 0 && i < t->cap; i++) {
			funnel_cell *e = &t->c[i];
			if (e->row < 0)
				continue;
			funnel_cell *c = cell_get(&into->fold, period, e->gem, e->row);
			if (!c)
				return -1;
			for (int k = 0; k < 3; k++) {
				if (errors)
					c->errors[k] += e->n[k];
				else if (into_n)
					c->n[k] += e->n[k];
			}
			e->row = -1;
		}
		s->d[d].t.used = 0;
		s->d[d].live = 0;
	}
	return 0;
}

/* One thread's share of funnel_fold: part p of every funnel (the entries
 * of a visitor-day are in the same part of each, as the funnels have the
 * same number of parts), and the counters of funnels p, p + njobs, ...;
 * all summed into part p of fs[0]. */
typedef struct {
	funnel *const *fs;
	int nf, p, njobs;
	const funnel_cfg *cfg;
	int32_t before;
	int rc;
	pthread_t th;
} fold_job;

/* The figures of one visitor-day (events steps/inst, k of them; or the
 * steps reached, mask) into cell c under cfg. */
static void fold_add(funnel_cell *c, const funnel_cfg *cfg, uint32_t mask, const int *steps,
                     const int64_t *inst, size_t k, int64_t *scratch)
{
	c->matched = 1;
	if (cfg->sequential) {
		int level = funnel_level(steps, inst, k, cfg->window_us, scratch);
		for (int s = 0; s < 3; s++)
			c->n[s] += level > s;
	} else if (!cfg->count_hits) {
		for (size_t x = 0; x < k; x++)
			mask |= 1u << steps[x];
		for (int s = 0; s < 3; s++)
			c->n[s] += (mask >> s) & 1;
	}
}

/* fold_entries' working memory: the events of one visitor-day, and the
 * period of the day seen last (entries come in no day order, but few
 * days are folded at once). */
typedef struct {
	int *steps;
	int64_t *inst, *scratch;
	size_t cap;
	int32_t last_day, last_period;
} fold_scratch;

/* Folds entry e of funnel i's part pt, with the entries of the same
 * visitor-day in the later funnels (marked taken), into its period's
 * cell in part j->p of fs[0]. Returns 0 or -1 (out of memory). */
static int fold_entry(const fold_job *j, int i, const part *pt, const entry *e, fold_scratch *x)
{
	int ev = j->fs[0]->keep_events;
	int32_t row = e->row1 - 1;
	uint64_t h = entry_hash(e->visitor, e->day, e->gem, row);
	uint32_t mask = ev ? 0 : e->aux;
	size_t k = 0;
	if (ev && gather(pt, e, &x->steps, &x->inst, &x->scratch, &k, &x->cap) < 0)
		return -1;
	for (int o = i + 1; o < j->nf; o++) {
		part *q = &j->fs[o]->parts[j->p];
		entry *t = find(q, h, e->visitor, e->day, e->gem, row);
		if (!t)
			continue;
		if (ev && gather(q, t, &x->steps, &x->inst, &x->scratch, &k, &x->cap) < 0)
			return -1;
		if (!ev)
			mask |= t->aux;
		t->row1 = -1;
	}
	if (e->day != x->last_day) {
		x->last_day = e->day;
		x->last_period = period_of(e->day, j->cfg->by);
	}
	funnel_cell *c = cell_get(&j->fs[0]->parts[j->p].fold, x->last_period, e->gem, row);
	if (!c)
		return -1;
	fold_add(c, j->cfg, mask, x->steps, x->inst, k, x->scratch);
	return 0;
}

/* fold_part looks this many slots ahead to start the later funnels'
 * probes for an entry it will fold (prefetch_later): those tables are far
 * larger than the cache, and one probe per entry would otherwise wait
 * for memory each time. */
#define FOLD_AHEAD 8

/* Starts loading the slots where fold_entry will look for a (folded
 * before j->before) in the funnels after i. */
static inline void prefetch_later(const fold_job *j, int i, const entry *a)
{
	if (a->row1 <= 0 || a->day >= j->before)
		return;
	uint64_t h = entry_hash(a->visitor, a->day, a->gem, a->row1 - 1);
	for (int o = i + 1; o < j->nf; o++) {
		const part *q = &j->fs[o]->parts[j->p];
		__builtin_prefetch(&q->tab[h & (q->cap - 1)]);
	}
}

/* Folds the entries of days before j->before in funnel i's part j->p
 * (fold_entry) and removes them, and those an earlier funnel took, in
 * place, in one pass: the table keeps its capacity (its pages stay for
 * the next day's entries). The pass goes in probe order from a slot free
 * before any removal (no probe path crosses it), one cluster (run of used
 * slots) after the other; each entry left goes back to the first free
 * slot from its home (the slots before it are final by then, later ones
 * untouched, so a free one ends the cluster), and one with no slot freed
 * before it in its cluster stays put. No later funnel's fold looks into
 * this one. Returns 0 or -1 (out of memory). */
static int fold_part(const fold_job *j, int i, fold_scratch *x)
{
	part *pt = &j->fs[i]->parts[j->p];
	size_t mask = pt->cap - 1, start = 0, holes = 0;
	while (pt->tab[start].row1 != 0)
		start++;
	for (size_t k = 1; k <= pt->cap; k++) {
		entry *e = &pt->tab[(start + k) & mask];
		if (i + 1 < j->nf)
			prefetch_later(j, i, &pt->tab[(start + k + FOLD_AHEAD) & mask]);
		if (e->row1 == 0) {
			holes = 0;
			continue;
		}
		if (e->row1 < 0 || e->day < j->before) {
			if (e->row1 > 0 && fold_entry(j, i, pt, e, x) < 0)
				return -1;
			e->row1 = 0;
			pt->used--;
			holes++;
			continue;
		}
		if (holes == 0)
			continue;
		entry y = *e;
		e->row1 = 0;
		size_t t = entry_hash(y.visitor, y.day, y.gem, y.row1 - 1) & mask;
		while (pt->tab[t].row1 != 0)
			t = (t + 1) & mask;
		pt->tab[t] = y;
	}
	if (j->fs[i]->keep_events)
		compact_events(pt);
	return 0;
}

/* The entries of days before j->before in part j->p of every funnel: a
 * visitor-day held by several funnels is combined (and taken from the
 * later ones), its figures added to its period's cell. Returns 0 or -1
 * (out of memory). */
static int fold_entries(const fold_job *j)
{
	fold_scratch x = { NULL, NULL, NULL, 0, INT32_MIN, 0 };
	int rc = 0;
	for (int i = 0; i < j->nf && rc == 0; i++)
		rc = fold_part(j, i, &x);
	free(x.steps);
	free(x.inst);
	free(x.scratch);
	return rc;
}

static void *fold_main(void *arg)
{
	fold_job *j = arg;
	part *into = &j->fs[0]->parts[j->p];
	j->rc = fold_entries(j);
	for (int i = j->p; i < j->nf && j->rc == 0; i += j->njobs) {
		funnel *f = j->fs[i];
		if (take_days(into, &f->err, j->cfg, j->before, 1) < 0 ||
		    take_days(into, &f->hits, j->cfg, j->before, 0) < 0)
			j->rc = -1;
		/* funnel_no_hits: days with a step (both ends are; the range
		 * may reach past `before`, whose days are then still there) */
		if (f->days.any)
			range_add(&into->hit, f->days.lo, f->days.hi);
	}
	return NULL;
}

int funnel_fold(funnel *const *fs, int nf, const funnel_cfg *cfg, int32_t before, int threads)
{
	fold_job job[MAX_PARTS];
	int started[MAX_PARTS] = { 0 };
	int np = fs[0]->nparts, rc = 0;

	for (int i = 1; i < nf; i++)
		if (fs[i]->nparts != np || fs[i]->keep_events != fs[0]->keep_events) {
			errno = EINVAL;
			return -1;
		}
	if (fs[0]->folded && !cfg_same(&fs[0]->fold_cfg, cfg)) {
		errno = EINVAL;
		return -1;
	}
	fs[0]->folded = 1;
	fs[0]->fold_cfg = *cfg;
	/* one thread per part (the caller's thread takes part 0), or the
	 * caller's thread alone */
	for (int p = 0; p < np; p++) {
		job[p] = (fold_job){ fs, nf, p, np, cfg, before, 0, 0 };
		if (p > 0 && threads > 1)
			started[p] = pthread_create(&job[p].th, NULL, fold_main, &job[p]) == 0;
	}
	fold_main(&job[0]);
	for (int p = 0; p < np; p++) {
		if (started[p])
			pthread_join(job[p].th, NULL);
		else if (p > 0)
			fold_main(&job[p]);
		if (job[p].rc < 0)
			rc = -1;
	}
	return rc;
}
