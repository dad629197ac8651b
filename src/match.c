/*
 * match.c - from a record's host and target to the catalogue steps it
 * matches (klantreis(1), CATALOGUE and MEASUREMENT, "Gemeenten").
 *
 * match_new compiles every distinct pattern string of the catalogue once
 * (no UTF mode: targets are raw bytes) and builds, per gemeente (one
 * shared plan for the built-in template), a "plan": the (row, step,
 * pattern) checks in row order then step order, the distinct patterns
 * they use, and up to two prefilters - the prefilter-safe distinct
 * patterns that have no required literal, joined as (?:p1)|(?:p2)|...,
 * one for the patterns anchored at the start (tried at offset 0 only) and
 * one for the others - that settle in one search each the common case of
 * a target that matches none of them. Only when a prefilter matches are
 * its patterns run one by one. Before all that, the catalogue's guard
 * (catalog.h; the built-in template has one) rejects in one search the
 * targets that match no pattern at all.
 *
 * Required literals (reqlit.h): most patterns name a path, and every
 * match must contain a literal run of it ("/e-formulier/paspoort" at the
 * start, "paspoort" anywhere); patterns where that cannot be read safely
 * have none. The literals of the whole catalogue form one set, and one
 * scan of a target (remembered per target in the match_ctx) says which
 * occur; a plan runs a pattern that has a literal only when its literal
 * occurs and the pattern's own first-byte filter lets the target through.
 * This is what keeps gemeenten with patterns of their own cheap at
 * national size: their literals are mostly shared ("paspoort" for all of
 * them), where their patterns, prefilters and result-cache entries are not.
 *
 * JIT: the prefilters and the guard are JIT-compiled at load, a catalogue
 * pattern before its first run (jit_pattern: once, under a lock), so a
 * pattern that never runs costs no JIT time or memory - most of a
 * national catalogue's start-up, and most of its patterns on the log of
 * one gemeente - and every run of a pattern is a JIT run where the JIT
 * works (the JIT and the interpreter count limits differently; a pattern
 * must not switch between them).
 *
 * Shortcuts, each exact: a plan's first-byte filter (first_bytes) answers
 * a target "/" b ... that none of its patterns can match without any
 * matching; plans with the same prefilter text share one compiled
 * prefilter. A pattern that a shortcut, a prefilter or the literal filter
 * leaves out does not run, so it cannot run into a limit either.
 *
 * Each match_ctx remembers recent results: a 4-way set-associative cache
 * of (shape, target) -> hits for targets up to 56 bytes. Logs repeat a
 * few thousand targets over and over ("/", "/afval", "/css/main.css"), so
 * most lines skip PCRE2 altogether. Only complete results are stored, and
 * never one where a pattern ran into a limit, so the cache changes no
 * figure. A plan's shape is the sequence of patterns its checks run:
 * plans of the same shape (gemeenten on the same CMS, which at national
 * size are most of them) give the same checks for every target, so the
 * cache keys on the shape and stores hits as check indexes, which each
 * plan maps to its own rows. Keyed per plan, 342 gemeenten would need 342
 * entries for "/" alone and push each other out of the cache. A plan
 * whose shape is its own asks the literal cache first (order_caches):
 * most targets hold none of its literals, and that answer serves all
 * gemeenten.
 *
 * Routing: in catalogue mode a read-only open-addressing table maps hosts
 * to gemeenten (lock-free). It stays specialised rather than a strtab:
 * it is read on every line, so its slots are 16 bytes over one arena of
 * names and its hash is the fast unkeyed one (its keys come from the
 * catalogue, so a log cannot lengthen its probe chains). In built-in mode
 * a host's gemeente is the host without a leading "www."
 * (match_builtin_name), and every new name gets the next id in a strtab
 * under a mutex; each match_ctx caches host -> id for the hosts it has
 * seen (2-way, 2,048 entries), so the lock is taken only for names new to
 * that thread, or pushed out of its cache. The names
 * are the strtab's key copies, which never move, so cached pointers stay
 * valid for the matcher's life.
 *
 * While the matcher is built, strtabs also find the distinct pattern
 * texts, prefilter texts already compiled, and plans of one shape.
 *
 * A match that runs into PCRE2's match limit (or JIT stack limit) counts as
 * not matching; the matcher counts such events atomically and remembers the
 * catalogue line of the first pattern that hit the limit.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "hash.h"
#include "match.h"
#include "msg.h"
#include "reqlit.h"
#include "strtab.h"

enum {
	MATCH_LIMIT = 1000000,
	DEPTH_LIMIT = 10000,
	CACHE_SETS = 1024,      /* per-ctx host cache (built-in mode), 2-way:
	                         * a national log's 342+ hosts collided in a
	                         * direct-mapped 512, and each miss takes the
	                         * lock */
	RCACHE_BITS = 12,       /* per-ctx result cache: 1 << RCACHE_BITS sets */
	RCACHE_SETS = 1 << RCACHE_BITS,
	RCACHE_WAYS = 4,
	RCACHE_KEY = 56,        /* longest target the result and literal
	                         * caches hold ("/e-formulier/.../bedankt",
	                         * "/producten/...?utm_source=nieuwsbrief") */
	RCACHE_HITS = 3,        /* most hits a cached result holds */
	LCACHE_BITS = 11,       /* per-ctx literal cache: 1 << LCACHE_BITS sets */
	LCACHE_WAYS = 2,
	LCACHE_IDS = 7,         /* most literal ids a cached entry holds */
	LSCAN_MAX = 32,         /* most literal ids a scan reports */
	LITS_UNKNOWN = -2,      /* not looked up yet (target_lits gives >= -1) */
	JIT_STACK_MAX = 1 << 20,
	JIT_LOCKS = 16,
	MATCH_MAX_THREADS = 16,     /* most threads compiling patterns */
	MATCH_PATS_PER_THREAD = 256, /* fewer patterns than this per thread
	                              * are not worth a thread */
};

typedef struct {
	const char *src;  /* pattern text (owned by the catalog) */
	pcre2_code *code;
	int jit;          /* JIT-compiled: use pcre2_jit_match */
	atomic_int ready; /* jit is settled (JIT compiled on first use) */
	long line;        /* catalogue line of its first use */
	int prefilter_ok; /* may be joined into a prefilter */
	int anchored;     /* anchored at the start by its own structure */
	int lit;          /* id of its required literal in m->lits, or -1 */
	unsigned char first[32]; /* bit b: a target "/" b ... may match */
} upat;

/* A distinct pattern of a plan that has a required literal. */
typedef struct {
	int lit, u;       /* literal id; index into the plan's uniq[] */
} plit;

typedef struct {
	int row, step, u; /* u: index into the plan's uniq[] */
} check;

/* What match_target reads of a plan on every line, 16 bytes apart for all
 * gemeenten (the whole plan is some 150 bytes, and at national size the
 * plans of the gemeenten a log mixes would not stay in the L1 cache). */
typedef struct {
	const check *checks;
	int nchecks;
	unsigned shape : 30;
	unsigned lits_first : 1; /* the plan's lits_first */
	unsigned lits_only : 1;  /* every distinct pattern has a literal */
} plan_hot;

/* The first-byte filter of a shape: bit b set when a target "/" b ...
 * may match one of its patterns. */
typedef struct {
	unsigned char b[32];
} first_set;

/* Catalogue mode's host table, compact for the hot path: 16-byte slots
 * (load at most 1/2) over one arena of all host names. */
typedef struct {
	uint32_t tag;     /* the hash's high half */
	int32_t gem;
	uint32_t off, n;  /* the name in hosts_arena; n == 0: empty slot */
} hslot;

typedef struct {
	int *rows;        /* catalogue rows, in row order */
	int nrows;
	check *checks;
	int nchecks;
	int *uniq;        /* matcher pattern indexes of the distinct patterns */
	int nuniq;
	unsigned char *in_pre; /* per uniq: 0, or 1 + the prefilter covering it */
	plit *plits;           /* the distinct patterns with a literal */
	int nplits;
	signed char *res0;     /* per uniq: 0 with a literal, else -1 */
	int lits_first;        /* ask the literal scan before the result cache */
	unsigned char first[32]; /* OR of its patterns' first[] */
	pcre2_code *pre[2];    /* prefilters: unanchored, anchored (or NULL) */
	int pre_shared[2];     /* pre[k] belongs to an earlier plan with the
	                        * same prefilter text */
	int pre_jit[2];
	int pre_count[2];      /* how many distinct patterns each covers */
	int shape;             /* plans with the same pattern per check share
	                        * one shape: the result cache's key */
} plan;

struct matcher {
	const catalog *cat;
	int builtin;
	int force;                  /* forced gemeente id, or -1 */
	pcre2_match_context *mctx;
	upat *pats;
	int npats;
	int *row_pat;               /* [row * STEP_COUNT + step]: index in pats */
	pcre2_code *guard;          /* the catalogue's guard, or NULL */
	int guard_jit;
	plan *plans;                /* one per gemeente; one in built-in mode */
	plan_hot *hot;              /* [nplans] */
	int nplans;
	int nshapes;
	first_set *shape_first;     /* [nshapes] */
	uint32_t max_pairs;         /* ovector pairs for the largest pattern */
	reqlit_set *lits;           /* the patterns' required literals */
	int max_uniq, max_hits;
	hslot *hosts;               /* catalogue mode: host -> gemeente */
	size_t hosts_mask;          /* slots - 1 */
	char *hosts_arena;
	/* built-in mode: gemeente ids handed out on first sight */
	pthread_mutex_t lock;
	int lock_ok;
	strtab *names;              /* name -> id; its key copies are the names */
	pthread_mutex_t jit_lock[JIT_LOCKS]; /* pattern i is JIT-compiled
	                            * under jit_lock[i % JIT_LOCKS] */
	int jit_locks_ok;           /* how many are initialised */
	atomic_long limit_hits;
	atomic_long limit_line;
};

typedef struct {
	uint64_t h;
	const char *k;    /* points to a name owned by the matcher, or NULL */
	size_t n;
	int id;
} cache_ent;

/* A remembered match_target result: the hits of one target under one
 * plan shape. Results depend on nothing else, so a hit is exact; the key
 * bytes are compared in full. */
typedef struct {
	uint64_t h;
	uint32_t hits[RCACHE_HITS]; /* indexes into the plan's checks[] */
	uint16_t shape;             /* shape + 1; 0: empty slot */
	uint8_t n;                  /* target length */
	uint8_t nhits;
	char s[RCACHE_KEY];
} rcache_ent;                   /* 80 bytes */

/* A remembered literal scan: the ids of the required literals that occur
 * in one target. They depend on the target alone. */
typedef struct {
	uint64_t h;
	uint8_t n;                  /* target length + 1; 0: empty slot */
	uint8_t nids;
	uint16_t ids[LCACHE_IDS];
	char s[RCACHE_KEY];
} lcache_ent;                   /* 80 bytes */

struct match_ctx {
	matcher *m;
	rcache_ent *rc;             /* RCACHE_SETS * RCACHE_WAYS entries */
	lcache_ent *lc;             /* (1 << LCACHE_BITS) * LCACHE_WAYS entries */
	uint16_t lbuf[LSCAN_MAX];   /* a scan's ids when not cached */
	long limits;                /* limit events seen by this context */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *js;
	signed char *res;           /* per distinct pattern: -1 unknown, 0, 1 */
	cache_ent cache[CACHE_SETS * 2];
};

/* Compiles pattern src; JIT when possible and jit is not NULL (else no
 * JIT yet). On error fills msg and *offset. */
static pcre2_code *compile(const char *src, size_t len, int *jit, char *msg, size_t msglen,
                           size_t *offset)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, len, 0, &ec, &eo, NULL);
	if (!code) {
		if (pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, msglen) < 0 && msglen)
			snprintf(msg, msglen, "error %d", ec);
		*offset = eo;
		return NULL;
	}
	if (jit)
		*jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	return code;
}

/* Does the option setting at s ("ix)", "x-i:", ...) switch on extended mode? */
static int has_x_option(const char *s)
{
	int x = 0;
	for (; (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '^'; s++)
		if (*s == 'x')
			x = 1;
	return x && (*s == ')' || *s == ':');
}

/*
 * May p be joined into an alternation without changing what it matches?
 * Not when it uses absolute group numbers (back references, (?1), (?(1)),
 * backtracking verbs such as (*COMMIT) that act on the whole match,
 * \Q...\E, or extended mode (?x) (a '#' comment could swallow the closing
 * parenthesis). Conservative: such patterns simply run on their own.
 */
static int prefilter_safe(const char *p, const pcre2_code *code)
{
	uint32_t backrefs = 0;
	pcre2_pattern_info(code, PCRE2_INFO_BACKREFMAX, &backrefs);
	if (backrefs)
		return 0;
	for (const char *s = p; *s; s++) {
		if (s[0] == '\\' && s[1]) {
			if (s[1] == 'g' || s[1] == 'Q' || (s[1] >= '1' && s[1] <= '9'))
				return 0;
			s++;
		} else if (s[0] == '(' && s[1] == '?' && has_x_option(s + 2)) {
			return 0;
		} else if (s[0] == '(' && s[1] == '*') {
			return 0;
		} else if (s[0] == '(' && s[1] == '?' &&
		           ((s[2] >= '0' && s[2] <= '9') || s[2] == 'R' || s[2] == '(' ||
		            s[2] == '&' || s[2] == 'P' || s[2] == '|')) {
			return 0;
		}
	}
	return 1;
}

/*
 * The byte c when pattern p starts "^/" c with c a plain literal (letter,
 * digit, '-' or '_') that no '?', '*' or '{' quantifier follows, and p has
 * no '|' outside parentheses and no "(?" other than "(?:" (no other
 * top-level branch, no option or assertion that could widen it): then
 * "/" b ... can match only when b is c, and first_bytes need not ask PCRE2
 * 256 times. -1 for any other pattern, and for any doubt: a '|' or '(' in
 * a character class counts (the class is not parsed), as do unbalanced
 * parentheses. Catalogues whose gemeenten have patterns of their own hold
 * thousands of distinct patterns, and the probes were a good part of their
 * start-up.
 */
static int literal_second(const char *p)
{
	unsigned char c = (unsigned char)p[0] == '^' && p[1] == '/' ? (unsigned char)p[2] : 0;
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	      c == '-' || c == '_'))
		return -1;
	if (p[3] == '?' || p[3] == '*' || p[3] == '{')
		return -1;
	int depth = 0;
	for (const char *q = p + 3; *q; q++) {
		if (*q == '\\') {
			if (!*++q)
				return -1;
		} else if (*q == '[') {
			/* skip the class, escapes included (a ']' first in it is
			 * a literal); '|' '(' ')' '[' in it make this give up */
			q++;
			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			for (; *q && *q != ']'; q++)
				if (*q == '\\' && !*++q)
					return -1;
				else if (*q == '|' || *q == '(' || *q == ')' || *q == '[')
					return -1;
			if (!*q)
				return -1;
		} else if (*q == '(') {
			if (q[1] == '?' && q[2] != ':')
				return -1;
			depth++;
		} else if (*q == ')') {
			if (--depth < 0)
				return -1;
		} else if (*q == '|' && depth == 0) {
			return -1;
		}
	}
	return depth == 0 ? c : -1;
}

/*
 * The bytes b for which a target starting "/" b can match u. Most
 * targets start with '/', and the byte after it sorts them well: "/css",
 * "/js", "/images" against "/producten", "/e-formulier". PCRE2 decides
 * with (hard) partial matching: when "/" b neither matches nor reaches its
 * end on any path (assertions at the end such as \b, $ or a lookahead
 * count as reaching it), every path fails within those two bytes, so no
 * target that starts with them can match (nor run into a match limit).
 * Only anchored patterns that may join a prefilter are probed (no
 * backtracking verbs, \K-like tricks or back references); for any other
 * pattern, and on any error, every bit is set. Only the printable bytes
 * '!' to '~' are probed, the others stay set: targets start "/" and a
 * letter, digit or punctuation, and a national catalogue has thousands
 * of patterns to probe at start-up.
 */
static void first_bytes(const matcher *m, upat *u)
{
	memset(u->first, 0xff, sizeof u->first);
	if (!u->anchored || !u->prefilter_ok)
		return;
	int lit = literal_second(u->src);
	if (lit >= 0) {
		memset(u->first, 0, sizeof u->first);
		u->first[lit >> 3] = (unsigned char)(1u << (lit & 7));
		return;
	}
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (!md)
		return;
	unsigned char subj[2] = { '/', 0 };
	for (int b = '!'; b <= '~'; b++) /* the others stay set */
		u->first[b >> 3] &= (unsigned char)~(1u << (b & 7));
	for (int b = '!'; b <= '~'; b++) {
		subj[1] = (unsigned char)b;
		int rc = pcre2_match(u->code, subj, 2, 0, PCRE2_PARTIAL_HARD | PCRE2_NO_JIT, md,
		                     m->mctx);
		if (rc != PCRE2_ERROR_NOMATCH)
			u->first[b >> 3] |= (unsigned char)(1u << (b & 7));
	}
	pcre2_match_data_free(md);
}

/* JIT-compiles u on its first use, once, under its jit_lock: no thread
 * runs u before u->ready, so none runs the code while it changes, and
 * every run of u is a JIT run when JIT works (the JIT and the interpreter
 * count limits differently). Threads that meet different patterns for the
 * first time seldom share a lock; the first pattern was JIT-compiled at
 * load, before any thread, for PCRE2's own one-time set-up. Many patterns
 * of a national catalogue never run on a given log, or only when their
 * literal occurs. */
static void jit_pattern(matcher *m, upat *u)
{
	pthread_mutex_t *lock = &m->jit_lock[(size_t)(u - m->pats) % JIT_LOCKS];
	pthread_mutex_lock(lock);
	if (!atomic_load_explicit(&u->ready, memory_order_relaxed)) {
		u->jit = pcre2_jit_compile(u->code, PCRE2_JIT_COMPLETE) == 0;
		atomic_store_explicit(&u->ready, 1, memory_order_release);
	}
	pthread_mutex_unlock(lock);
}

/* The distinct patterns compiled by several threads: each takes the next
 * pattern index until none is left; a pattern that does not compile is
 * remembered when it comes first in catalogue order of those that failed,
 * so the message is the one a single thread would give. */
typedef struct {
	matcher *m;
	atomic_int next;
	pthread_mutex_t lock;
	int bad;                  /* first pattern that failed, or npats */
	size_t bad_off;
	char bad_msg[256];
} compile_job;

static void compile_one(compile_job *j, int i)
{
	matcher *m = j->m;
	upat *u = &m->pats[i];
	char msg[256];
	size_t off = 0;
	u->code = compile(u->src, strlen(u->src), NULL, msg, sizeof msg, &off);
	if (!u->code) {
		pthread_mutex_lock(&j->lock);
		if (i < j->bad) {
			j->bad = i;
			j->bad_off = off;
			memcpy(j->bad_msg, msg, sizeof msg);
		}
		pthread_mutex_unlock(&j->lock);
		return;
	}
	u->prefilter_ok = prefilter_safe(u->src, u->code);
	uint32_t opts = 0;
	pcre2_pattern_info(u->code, PCRE2_INFO_ALLOPTIONS, &opts);
	u->anchored = (opts & PCRE2_ANCHORED) != 0;
	first_bytes(m, u);
}

static void *compile_main(void *arg)
{
	compile_job *j = arg;
	int i;
	while ((i = atomic_fetch_add(&j->next, 1)) < j->m->npats)
		compile_one(j, i);
	return NULL;
}

/* Compiles every distinct pattern of the catalogue into m->pats, with up
 * to jobs threads (the caller's included) when there are many. */
static int compile_all(matcher *m, int jobs, char *err, size_t errlen)
{
	const catalog *c = m->cat;
	strtab *seen = strtab_new(); /* pattern text -> index in pats */
	int rc = -1;
	int *step = malloc((c->nrows * STEP_COUNT + 1) * sizeof *step);
	compile_job job = { .m = m };
	pthread_t th[MATCH_MAX_THREADS];
	int nth = 0, lock_ok = 0;
	m->pats = calloc(c->nrows * STEP_COUNT + 1, sizeof *m->pats);
	m->row_pat = malloc((c->nrows * STEP_COUNT + 1) * sizeof *m->row_pat);
	if (!m->pats || !m->row_pat || !step || !seen) {
		msg_set(err, errlen, "out of memory");
		goto out;
	}
	/* the distinct patterns, in order of first use */
	for (size_t r = 0; r < c->nrows; r++) {
		for (int s = 0; s < STEP_COUNT; s++) {
			const char *p = c->rows[r].pat[s];
			if (!p)
				continue;
			int added;
			long id = strtab_add(seen, p, strlen(p), &added);
			if (id < 0) {
				msg_set(err, errlen, "out of memory");
				goto out;
			}
			m->row_pat[r * STEP_COUNT + (size_t)s] = (int)id;
			if (!added)
				continue;
			upat *u = &m->pats[m->npats]; /* m->npats == id */
			atomic_init(&u->ready, 0);
			u->src = p;
			u->line = c->rows[r].line;
			step[m->npats] = s;
			m->npats++;
		}
	}
	job.bad = m->npats;
	if (pthread_mutex_init(&job.lock, NULL) != 0) {
		msg_set(err, errlen, "cannot create mutex");
		goto out;
	}
	lock_ok = 1;
	/* the first pattern here, JIT-compiled before any thread: PCRE2's
	 * JIT sets up its allocator and CPU feature checks on first use, in
	 * statics, and the others are JIT-compiled by the threads that run
	 * them, maybe at the same time */
	atomic_init(&job.next, 1);
	if (m->npats > 0) {
		compile_one(&job, 0);
		if (m->pats[0].code)
			jit_pattern(m, &m->pats[0]);
	}
	/* a thread per MATCH_PATS_PER_THREAD patterns, at most jobs in all */
	int want = jobs < MATCH_MAX_THREADS ? jobs : MATCH_MAX_THREADS;
	if (want > m->npats / MATCH_PATS_PER_THREAD)
		want = m->npats / MATCH_PATS_PER_THREAD;
	for (; nth < want - 1; nth++)
		if (pthread_create(&th[nth], NULL, compile_main, &job) != 0)
			break;
	compile_main(&job);
	for (int t = 0; t < nth; t++)
		pthread_join(th[t], NULL);
	if (job.bad < m->npats) {
		const upat *u = &m->pats[job.bad];
		msg_set(err, errlen, "%s:%ld: column '%s': %s at offset %zu", c->name, u->line,
		        catalog_step_names[step[job.bad]], job.bad_msg, job.bad_off);
		goto out;
	}
	for (int i = 0; i < m->npats; i++) {
		uint32_t cap = 0;
		pcre2_pattern_info(m->pats[i].code, PCRE2_INFO_CAPTURECOUNT, &cap);
		if (cap + 1 > m->max_pairs)
			m->max_pairs = cap + 1;
	}
	rc = 0;
out:
	if (lock_ok)
		pthread_mutex_destroy(&job.lock);
	strtab_free(seen);
	free(step);
	return rc;
}

/* Gives each distinct pattern its required literal (reqlit.h), or -1, in
 * one set for the whole catalogue: gemeenten whose patterns differ only
 * in details still share literals such as "/e-formulier/paspoort", and
 * one scan of a target answers for all of them. -1 when out of memory. */
static int find_literals(matcher *m)
{
	reqlit l;
	m->lits = reqlit_set_new();
	if (!m->lits)
		return -1;
	for (int i = 0; i < m->npats; i++) {
		upat *u = &m->pats[i];
		u->lit = -1;
		if (reqlit_extract(u->src, &l) && (u->lit = reqlit_set_add(m->lits, &l)) < 0)
			return -1;
	}
	if (reqlit_set_build(m->lits) < 0)
		return -1;
	for (int i = 0; i < m->npats; i++)
		if (m->pats[i].lit >= 0)
			m->pats[i].lit = reqlit_set_id(m->lits, m->pats[i].lit);
	return 0;
}

/* Does prefilter k of a plan cover u? Patterns with a required literal
 * are left out: the literal scan settles them. */
static int in_prefilter(const upat *u, int k)
{
	return u->prefilter_ok && u->anchored == k && u->lit < 0;
}

/* Builds prefilter k (0: unanchored patterns, 1: anchored ones) of plan
 * pl; leaves it NULL when there is no point (fewer than two patterns) or it
 * does not compile. Gemeenten on the same CMS often share their patterns,
 * so a text already compiled for an earlier plan (seen: text and k -> 1 +
 * plan index * 2 + k, or 0 when it did not compile) is shared instead of
 * compiled again. */
static void build_prefilter(matcher *m, plan *pl, int k, strtab *seen)
{
	size_t len = 0;
	int n = 0;
	for (int i = 0; i < pl->nuniq; i++) {
		const upat *u = &m->pats[pl->uniq[i]];
		if (in_prefilter(u, k)) {
			len += strlen(u->src) + 6;
			n++;
		}
	}
	if (n < 2)
		return;
	char *s = malloc(len + 2), *w = s;
	if (!s)
		return;
	for (int i = 0; i < pl->nuniq; i++) {
		const upat *u = &m->pats[pl->uniq[i]];
		if (!in_prefilter(u, k))
			continue;
		size_t l = strlen(u->src);
		if (w != s)
			*w++ = '|';
		memcpy(w, "(?:", 3);
		memcpy(w + 3, u->src, l);
		w[3 + l] = ')';
		w += l + 4;
	}
	char msg[64];
	size_t off, sn = (size_t)(w - s);
	int added = 1;
	s[sn] = (char)('0' + k); /* the key: the text, then k */
	long id = strtab_add(seen, s, sn + 1, &added);
	intptr_t v = id >= 0 && !added ? strtab_value(seen, (size_t)id) : 0;
	if (v > 0) {
		const plan *o = &m->plans[(v - 1) / 2];
		pl->pre[k] = o->pre[(v - 1) % 2];
		pl->pre_jit[k] = o->pre_jit[(v - 1) % 2];
		pl->pre_shared[k] = 1;
	} else if (added || id < 0) { /* new, or no room to remember it */
		pl->pre[k] = compile(s, sn, &pl->pre_jit[k], msg, sizeof msg, &off);
		if (pl->pre[k] && id >= 0)
			strtab_set_value(seen, (size_t)id, 1 + (pl - m->plans) * 2 + k);
	}
	free(s);
	if (!pl->pre[k])
		return;
	for (int i = 0; i < pl->nuniq; i++) {
		const upat *u = &m->pats[pl->uniq[i]];
		if (in_prefilter(u, k))
			pl->in_pre[i] = (unsigned char)(k + 1);
	}
	pl->pre_count[k] = n;
}

/* Lists the distinct patterns of pl that have a required literal. */
static int plan_literals(const matcher *m, plan *pl)
{
	pl->plits = malloc(((size_t)pl->nuniq + 1) * sizeof *pl->plits);
	pl->res0 = malloc((size_t)pl->nuniq + 1);
	if (!pl->plits || !pl->res0)
		return -1;
	for (int i = 0; i < pl->nuniq; i++) {
		int lit = m->pats[pl->uniq[i]].lit;
		pl->res0[i] = lit >= 0 ? 0 : -1;
		if (lit >= 0)
			pl->plits[pl->nplits++] = (plit){ lit, i };
	}
	return 0;
}

/* Builds plan pl over the given rows; local[] is scratch of npats ints,
 * all -1 on entry and on return. */
static int build_plan(matcher *m, plan *pl, int *local, strtab *seen)
{
	const catalog *c = m->cat;
	pl->checks = malloc(((size_t)pl->nrows * STEP_COUNT + 1) * sizeof *pl->checks);
	pl->uniq = malloc(((size_t)pl->nrows * STEP_COUNT + 1) * sizeof *pl->uniq);
	pl->in_pre = calloc((size_t)pl->nrows * STEP_COUNT + 1, 1);
	if (!pl->checks || !pl->uniq || !pl->in_pre)
		return -1;
	for (int i = 0; i < pl->nrows; i++) {
		const catalog_row *r = &c->rows[pl->rows[i]];
		for (int s = 0; s < STEP_COUNT; s++) {
			if (!r->pat[s])
				continue;
			int g = m->row_pat[(size_t)pl->rows[i] * STEP_COUNT + (size_t)s];
			if (local[g] < 0) {
				local[g] = pl->nuniq;
				pl->uniq[pl->nuniq++] = g;
			}
			pl->checks[pl->nchecks++] = (check){ pl->rows[i], s, local[g] };
		}
	}
	for (int i = 0; i < pl->nuniq; i++) {
		local[pl->uniq[i]] = -1;
		for (size_t k = 0; k < sizeof pl->first; k++)
			pl->first[k] |= m->pats[pl->uniq[i]].first[k];
	}
	if (plan_literals(m, pl) < 0)
		return -1;
	build_prefilter(m, pl, 0, seen);
	build_prefilter(m, pl, 1, seen);
	if (pl->nuniq > m->max_uniq)
		m->max_uniq = pl->nuniq;
	if (pl->nchecks > m->max_hits)
		m->max_hits = pl->nchecks;
	return 0;
}

/* Gives each plan its shape: plans whose checks run the same patterns in
 * the same order get the same number (they share uniq[] order, prefilter
 * texts and first-byte filter, so they give the same check indexes for
 * every target). */
static int assign_shapes(matcher *m)
{
	size_t total = 0;
	for (int g = 0; g < m->nplans; g++)
		total += (size_t)m->plans[g].nchecks;
	int *sig = malloc((total + 1) * sizeof *sig), *w = sig;
	strtab *seen = strtab_new(); /* the checks' patterns -> shape */
	int rc = -1;
	if (!sig || !seen)
		goto out;
	for (int g = 0; g < m->nplans; g++) {
		plan *pl = &m->plans[g];
		for (int i = 0; i < pl->nchecks; i++)
			w[i] = pl->uniq[pl->checks[i].u];
		long id = strtab_add(seen, w, (size_t)pl->nchecks * sizeof *w, NULL);
		if (id < 0)
			goto out;
		pl->shape = (int)id;
		w += pl->nchecks;
	}
	m->nshapes = (int)strtab_count(seen);
	m->hot = calloc((size_t)m->nplans + 1, sizeof *m->hot);
	m->shape_first = calloc((size_t)m->nshapes + 1, sizeof *m->shape_first);
	if (!m->hot || !m->shape_first)
		goto out;
	for (int g = 0; g < m->nplans; g++) {
		const plan *pl = &m->plans[g];
		m->hot[g] = (plan_hot){ pl->checks, pl->nchecks, (unsigned)pl->shape, 0, 0 };
		memcpy(m->shape_first[pl->shape].b, pl->first, sizeof pl->first);
	}
	rc = 0;
out:
	strtab_free(seen);
	free(sig);
	return rc;
}

/* Which cache a plan asks first. A plan whose shape is its own (a
 * gemeente with patterns of its own) asks the literal scan first: most
 * targets hold none of its literals, and the answer, kept per target,
 * serves all such gemeenten, where the result cache would need an entry
 * per gemeente. Plans that share a shape ask the result cache first, as
 * its entries serve them all. -1 when out of memory. */
static int order_caches(matcher *m)
{
	int *count = calloc((size_t)m->nshapes + 1, sizeof *count);
	if (!count)
		return -1;
	for (int g = 0; g < m->nplans; g++)
		count[m->plans[g].shape]++;
	for (int g = 0; g < m->nplans; g++) {
		plan *pl = &m->plans[g];
		pl->lits_first = pl->nplits > 0 && count[pl->shape] == 1;
		m->hot[g].lits_first = pl->lits_first != 0;
		m->hot[g].lits_only = pl->nplits == pl->nuniq;
	}
	free(count);
	return 0;
}

/* Builds the host table of catalogue mode. -1 when out of memory. */
static int build_hosts(matcher *m)
{
	const catalog *c = m->cat;
	size_t cap = 16, arena = 1;
	while (cap < 2 * c->nhosts)
		cap *= 2;
	for (size_t i = 0; i < c->nhosts; i++)
		arena += strlen(c->hosts[i].host);
	m->hosts = calloc(cap, sizeof *m->hosts);
	m->hosts_arena = malloc(arena);
	if (!m->hosts || !m->hosts_arena || arena > UINT32_MAX)
		return -1;
	m->hosts_mask = cap - 1;
	uint32_t off = 0;
	for (size_t i = 0; i < c->nhosts; i++) {
		const char *h = c->hosts[i].host;
		size_t n = strlen(h);
		if (n == 0)
			continue; /* never a host name in a loaded catalogue */
		uint64_t hv = hash_fast(h, n);
		size_t j = hv & m->hosts_mask;
		while (m->hosts[j].n)
			j = (j + 1) & m->hosts_mask;
		memcpy(m->hosts_arena + off, h, n);
		m->hosts[j] = (hslot){ (uint32_t)(hv >> 32), c->hosts[i].gem, off, (uint32_t)n };
		off += (uint32_t)n;
	}
	return 0;
}

static int build_plans(matcher *m)
{
	const catalog *c = m->cat;
	int rc = -1;
	int *local = malloc(((size_t)m->npats + 1) * sizeof *local);
	strtab *seen = strtab_new(); /* prefilter texts, see build_prefilter */
	m->nplans = c->builtin ? 1 : (int)c->ngem;
	m->plans = calloc((size_t)m->nplans + 1, sizeof *m->plans);
	if (!local || !m->plans || !seen)
		goto out;
	for (int i = 0; i < m->npats; i++)
		local[i] = -1;
	/* rows per plan first, so that each plan's rows[] is sized to fit */
	for (size_t r = 0; r < c->nrows; r++)
		if (!c->builtin && c->rows[r].gem >= 0 && c->rows[r].gem < m->nplans)
			m->plans[c->rows[r].gem].nrows++;
	for (int g = 0; g < m->nplans; g++) {
		plan *pl = &m->plans[g];
		size_t n = c->builtin ? c->nrows : (size_t)pl->nrows;
		pl->rows = malloc((n + 1) * sizeof *pl->rows);
		if (!pl->rows)
			goto out;
		pl->nrows = 0;
	}
	for (size_t r = 0; r < c->nrows; r++) {
		int g = c->builtin ? 0 : c->rows[r].gem;
		if (g >= 0 && g < m->nplans) {
			plan *pl = &m->plans[g];
			pl->rows[pl->nrows++] = (int)r;
		}
	}
	for (int g = 0; g < m->nplans; g++)
		if (build_plan(m, &m->plans[g], local, seen) < 0)
			goto out;
	if (assign_shapes(m) < 0 || order_caches(m) < 0)
		goto out;
	rc = 0;
out:
	strtab_free(seen);
	free(local);
	return rc;
}

/* Built-in mode: the id of name (n bytes), handed out on first sight;
 * *key gets the matcher's copy of the name. Caller holds m->lock.
 * Returns -1 when out of memory. */
static int builtin_id_locked(matcher *m, const char *name, size_t n, const char **key)
{
	long id = strtab_add(m->names, name, n, NULL);
	if (id < 0 || id >= INT32_MAX)
		return -1;
	*key = strtab_key(m->names, (size_t)id, NULL);
	return (int)id;
}

matcher *match_new(const catalog *cat, const char *force_gemeente, char *err, size_t errlen)
{
	return match_new_jobs(cat, force_gemeente, 1, err, errlen);
}

matcher *match_new_jobs(const catalog *cat, const char *force_gemeente, int jobs, char *err,
                        size_t errlen)
{
	matcher *m = calloc(1, sizeof *m);
	if (errlen)
		err[0] = '\0';
	if (!m) {
		msg_set(err, errlen, "out of memory");
		return NULL;
	}
	m->cat = cat;
	m->builtin = cat->builtin;
	m->force = -1;
	m->max_pairs = 1;
	atomic_init(&m->limit_hits, 0);
	atomic_init(&m->limit_line, 0);
	if (pthread_mutex_init(&m->lock, NULL) != 0) {
		msg_set(err, errlen, "cannot create mutex");
		goto fail;
	}
	m->lock_ok = 1;
	for (; m->jit_locks_ok < JIT_LOCKS; m->jit_locks_ok++)
		if (pthread_mutex_init(&m->jit_lock[m->jit_locks_ok], NULL) != 0) {
			msg_set(err, errlen, "cannot create mutex");
			goto fail;
		}
	if (force_gemeente && !m->builtin) {
		m->force = catalog_find_gemeente(cat, force_gemeente);
		if (m->force < 0) {
			msg_set(err, errlen, "%s: column 'gemeente': no gemeente '%s' (--gemeente)",
			        cat->name ? cat->name : "catalogue", force_gemeente);
			goto fail;
		}
	}
	m->mctx = pcre2_match_context_create(NULL);
	if (!m->mctx) {
		msg_set(err, errlen, "out of memory");
		goto fail;
	}
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
	if (compile_all(m, jobs, err, errlen) < 0)
		goto fail;
	if (find_literals(m) < 0) {
		msg_set(err, errlen, "out of memory");
		goto fail;
	}
	if (build_plans(m) < 0) {
		msg_set(err, errlen, "out of memory");
		goto fail;
	}
	if (cat->guard) {
		char msg[128];
		size_t off;
		m->guard = compile(cat->guard, strlen(cat->guard), &m->guard_jit, msg, sizeof msg,
		                   &off);
		if (!m->guard) {
			msg_set(err, errlen, "%s: guard: %s at offset %zu", cat->name, msg, off);
			goto fail;
		}
	}
	if (m->builtin && !(m->names = strtab_new())) {
		msg_set(err, errlen, "out of memory");
		goto fail;
	}
	if (m->builtin && force_gemeente) {
		const char *key;
		m->force = builtin_id_locked(m, force_gemeente, strlen(force_gemeente), &key);
		if (m->force < 0) {
			msg_set(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (!m->builtin && build_hosts(m) < 0) {
		msg_set(err, errlen, "out of memory");
		goto fail;
	}
	return m;
fail:
	match_free(m);
	return NULL;
}

void match_free(matcher *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->npats; i++)
		pcre2_code_free(m->pats[i].code);
	free(m->pats);
	free(m->row_pat);
	pcre2_code_free(m->guard);
	for (int i = 0; m->plans && i < m->nplans; i++) {
		plan *pl = &m->plans[i];
		free(pl->rows);
		free(pl->checks);
		free(pl->uniq);
		free(pl->in_pre);
		free(pl->plits);
		free(pl->res0);
		for (int k = 0; k < 2; k++)
			if (!pl->pre_shared[k])
				pcre2_code_free(pl->pre[k]);
	}
	free(m->plans);
	free(m->hot);
	free(m->shape_first);
	reqlit_set_free(m->lits);
	pcre2_match_context_free(m->mctx);
	free(m->hosts);
	free(m->hosts_arena);
	strtab_free(m->names);
	if (m->lock_ok)
		pthread_mutex_destroy(&m->lock);
	for (int i = 0; i < m->jit_locks_ok; i++)
		pthread_mutex_destroy(&m->jit_lock[i]);
	free(m);
}

match_ctx *match_ctx_new(matcher *m)
{
	match_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->m = m;
	x->md = pcre2_match_data_create(m->max_pairs, NULL);
	x->mctx = pcre2_match_context_copy(m->mctx);
	x->res = malloc((size_t)m->max_uniq + 1);
	x->rc = aligned_alloc(64, (size_t)RCACHE_SETS * RCACHE_WAYS * sizeof *x->rc);
	if (x->rc)
		memset(x->rc, 0, (size_t)RCACHE_SETS * RCACHE_WAYS * sizeof *x->rc);
	x->lc = aligned_alloc(64, ((size_t)LCACHE_WAYS << LCACHE_BITS) * sizeof *x->lc);
	if (x->lc)
		memset(x->lc, 0, ((size_t)LCACHE_WAYS << LCACHE_BITS) * sizeof *x->lc);
	if (!x->md || !x->mctx || !x->res || !x->rc || !x->lc) {
		match_ctx_free(x);
		return NULL;
	}
	/* A private JIT stack larger than the 32 KiB default; without one
	 * PCRE2 uses the default on the machine stack. */
	x->js = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
	if (x->js)
		pcre2_jit_stack_assign(x->mctx, NULL, x->js);
	return x;
}

void match_ctx_free(match_ctx *x)
{
	if (!x)
		return;
	pcre2_match_data_free(x->md);
	pcre2_match_context_free(x->mctx);
	pcre2_jit_stack_free(x->js);
	free(x->res);
	free(x->rc);
	free(x->lc);
	free(x);
}

kr_str match_builtin_name(kr_str host)
{
	if (host.n > 4 && memcmp(host.p, "www.", 4) == 0 && memchr(host.p + 4, '.', host.n - 4))
		return (kr_str){ host.p + 4, host.n - 4 };
	return host;
}

int match_gemeente(match_ctx *x, kr_str host)
{
	matcher *m = x->m;
	if (m->force >= 0)
		return m->force;
	if (!m->builtin) {
		if (host.n == 0)
			return m->cat->ngem == 1 ? 0 : -1;
		uint64_t h = hash_fast(host.p, host.n);
		uint32_t tag = (uint32_t)(h >> 32);
		for (size_t i = h & m->hosts_mask;; i = (i + 1) & m->hosts_mask) {
			const hslot *e = &m->hosts[i];
			if (!e->n)
				return -1;
			if (e->tag == tag && e->n == host.n &&
			    hash_same(m->hosts_arena + e->off, host.p, host.n))
				return e->gem;
		}
	}
	if (host.n == 0)
		host = (kr_str){ "-", 1 };
	host = match_builtin_name(host);
	uint64_t h = hash_fast(host.p, host.n);
	cache_ent *c = &x->cache[(h & (CACHE_SETS - 1)) * 2];
	for (int w = 0; w < 2; w++)
		if (c[w].k && c[w].h == h && c[w].n == host.n && hash_same(c[w].k, host.p, host.n)) {
			cache_ent e = c[w];
			c[w] = c[0]; /* the last one seen first */
			c[0] = e;
			return e.id;
		}
	const char *key = NULL;
	pthread_mutex_lock(&m->lock);
	int id = builtin_id_locked(m, host.p, host.n, &key);
	pthread_mutex_unlock(&m->lock);
	if (id >= 0) {
		c[1] = c[0];
		c[0] = (cache_ent){ h, key, host.n, id };
	}
	return id;
}

/* The locks, the limit counters and the patterns' JIT code are what
 * threads change in a matcher that is otherwise read-only (C has no
 * "mutable"): the functions that take a const matcher reach them through
 * this, without a cast that drops a qualifier. */
static matcher *shared(const matcher *m)
{
	return (matcher *)(uintptr_t)m;
}

/* Runs one compiled pattern: 1 match, 0 no match (or an error). line is
 * the catalogue line of the pattern, counted when it hits a limit; 0 for a
 * prefilter, which returns -1 ("don't know") on a limit instead. */
static int run(match_ctx *x, const pcre2_code *code, int jit, const char *s, size_t n,
               long line)
{
	int rc = jit ? pcre2_jit_match(code, (PCRE2_SPTR)s, n, 0, 0, x->md, x->mctx)
	             : pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, x->md, x->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		x->limits++;
		if (line > 0) { /* not the prefilter */
			atomic_fetch_add_explicit(&x->m->limit_hits, 1, memory_order_relaxed);
			long zero = 0;
			atomic_compare_exchange_strong(&x->m->limit_line, &zero, line);
		}
		return line > 0 ? 0 : -1;
	}
	return 0;
}

/* The ids of the required literals that occur in s (see reqlit_scan),
 * remembered per target up to RCACHE_KEY bytes (h: hash_fast of s); -1
 * when there are too many to list. *ids lives until the next call. */
static int target_lits(match_ctx *x, const char *s, size_t n, uint64_t h, const uint16_t **ids)
{
	const matcher *m = x->m;
	*ids = x->lbuf;
	if (n > RCACHE_KEY)
		return reqlit_scan(m->lits, s, n, x->lbuf, LSCAN_MAX);
	lcache_ent *set = &x->lc[((h * 0xc4ceb9fe1a85ec53ull) >> (64 - LCACHE_BITS)) * LCACHE_WAYS];
	for (int w = 0; w < LCACHE_WAYS; w++) {
		lcache_ent *e = &set[w];
		if (e->h != h || e->n != n + 1 || !hash_same(e->s, s, n))
			continue;
		if (w > 0) { /* one way up */
			lcache_ent t = set[w - 1];
			set[w - 1] = *e;
			*e = t;
			e = &set[w - 1];
		}
		*ids = e->ids;
		return e->nids;
	}
	int k = reqlit_scan(m->lits, s, n, x->lbuf, LSCAN_MAX);
	if (k < 0 || k > LCACHE_IDS)
		return k;
	memmove(&set[1], &set[0], (LCACHE_WAYS - 1) * sizeof *set);
	lcache_ent *e = &set[0];
	e->h = h;
	e->n = (uint8_t)(n + 1);
	e->nids = (uint8_t)k;
	memcpy(e->ids, x->lbuf, (size_t)k * sizeof *x->lbuf);
	memcpy(e->s, s, n);
	*ids = e->ids;
	return k;
}

/* Marks in x->res the distinct patterns of pl that must run on s: those
 * without a literal, and those whose literal occurs in s (ids[nids], or
 * when nids < 0 each literal looked up on its own). Returns how many. */
static int mark_literals(match_ctx *x, const plan *pl, const char *s, size_t n,
                         const uint16_t *ids, int nids)
{
	signed char *res = x->res;
	int unknown = pl->nuniq - pl->nplits;
	memcpy(res, pl->res0, (size_t)pl->nuniq);
	for (int i = 0; i < pl->nplits; i++) {
		const plit *e = &pl->plits[i];
		int on = 0;
		if (nids < 0)
			on = reqlit_in(x->m->lits, e->lit, s, n);
		else
			for (int k = 0; k < nids && !on; k++)
				on = ids[k] == e->lit;
		/* and the pattern's own first-byte filter lets "/" b through */
		if (on && n >= 2 && s[0] == '/') {
			const unsigned char *f = x->m->pats[pl->uniq[e->u]].first;
			on = f[(unsigned char)s[1] >> 3] & (1u << (s[1] & 7));
		}
		if (on) {
			res[e->u] = -1;
			unknown++;
		}
	}
	return unknown;
}

/* Runs plan pl on s: the uncached half of match_target. ids[nids] are
 * the literals in s (target_lits) when nids > LITS_UNKNOWN, else they
 * are looked up here (h: as for target_lits). The check indexes of the
 * first RCACHE_HITS hits go to ci[]. */
static int run_plan(match_ctx *x, const plan *pl, const char *s, size_t n, uint64_t h,
                    const uint16_t *ids, int nids, match_hit *out, int max, uint32_t *ci)
{
	const matcher *m = x->m;
	if (m->guard && run(x, m->guard, m->guard_jit, s, n, 0) == 0)
		return 0;
	signed char *res = x->res;
	int unknown = pl->nuniq;
	if (pl->nplits) {
		if (nids == LITS_UNKNOWN)
			nids = target_lits(x, s, n, h, &ids);
		unknown = mark_literals(x, pl, s, n, ids, nids);
		if (unknown == 0)
			return 0;
	} else {
		memset(res, -1, (size_t)pl->nuniq);
	}
	for (int k = 1; k >= 0; k--) { /* the anchored one first: it is cheap */
		if (!pl->pre[k] || run(x, pl->pre[k], pl->pre_jit[k], s, n, 0) != 0)
			continue;
		unknown -= pl->pre_count[k];
		if (unknown == 0)
			return 0;
		for (int i = 0; i < pl->nuniq; i++)
			if (pl->in_pre[i] == k + 1)
				res[i] = 0;
	}
	int nh = 0;
	for (int i = 0; i < pl->nchecks && nh < max; i++) {
		const check *c = &pl->checks[i];
		if (res[c->u] < 0) {
			upat *u = &m->pats[pl->uniq[c->u]];
			if (!atomic_load_explicit(&u->ready, memory_order_acquire))
				jit_pattern(shared(m), u);
			res[c->u] = (signed char)run(x, u->code, u->jit, s, n, u->line);
		}
		if (res[c->u]) {
			if (nh < RCACHE_HITS)
				ci[nh] = (uint32_t)i;
			out[nh++] = (match_hit){ c->row, c->step };
		}
	}
	return nh;
}

int match_target(match_ctx *x, int gem, kr_str target, match_hit *out, int max)
{
	const matcher *m = x->m;
	const plan_hot *ph;
	if (gem < 0 || max <= 0)
		return 0;
	if (m->builtin)
		ph = &m->hot[0]; /* ids come from match_gemeente: all share the template */
	else
		ph = gem < m->nplans ? &m->hot[gem] : NULL;
	if (!ph || ph->nchecks == 0)
		return 0;
	const char *s = target.p ? target.p : "";
	size_t n = target.n;
	const unsigned char *first = m->shape_first[ph->shape].b;
	if (n >= 2 && s[0] == '/' && !(first[(unsigned char)s[1] >> 3] & (1u << (s[1] & 7))))
		return 0; /* no pattern can match a target that starts so */
	const plan *pl = &m->plans[ph - m->hot];
	uint32_t ci[RCACHE_HITS];
	size_t key = (size_t)ph->shape + 1;
	uint64_t h = n <= RCACHE_KEY ? hash_fast(s, n) : 0, h0 = h;
	const uint16_t *ids = NULL;
	int nids = LITS_UNKNOWN;
	if (ph->lits_first) {
		nids = target_lits(x, s, n, h, &ids);
		if (nids == 0 && ph->lits_only)
			return 0; /* every pattern needs a literal, and none occurs */
	}
	if (n > RCACHE_KEY || key > UINT16_MAX)
		return run_plan(x, pl, s, n, h, ids, nids, out, max, ci);

	/* Most requests repeat a target seen moments ago: answer those from
	 * the cache. A result is stored only when it is complete (not cut at
	 * max), small, and no pattern ran into a limit, so a cached answer is
	 * exactly what the patterns would say. A hit moves its entry one way
	 * up; a new result enters at the top and the last way falls out. */
	/* the shape goes into the set index too: gemeenten of different
	 * shapes see the same popular targets ("/", "/afval") */
	h ^= key;
	uint64_t hs = (h ^ (key << 32)) * 0x9e3779b97f4a7c15ull;
	rcache_ent *set = &x->rc[(hs >> (64 - RCACHE_BITS)) * RCACHE_WAYS];
	for (int w = 0; w < RCACHE_WAYS; w++) {
		rcache_ent *e = &set[w];
		if (e->h != h || e->shape != key || e->n != n || !hash_same(e->s, s, n))
			continue;
		int k = e->nhits < max ? e->nhits : max;
		for (int i = 0; i < k; i++) {
			const check *c = &ph->checks[e->hits[i]];
			out[i] = (match_hit){ c->row, c->step };
		}
		if (w > 0) {
			rcache_ent t = set[w - 1];
			set[w - 1] = *e;
			*e = t;
		}
		return k;
	}
	long limits = x->limits;
	int nh = run_plan(x, pl, s, n, h0, ids, nids, out, max, ci);
	if (x->limits != limits || nh > RCACHE_HITS || nh >= max)
		return nh;
	memmove(&set[1], &set[0], (RCACHE_WAYS - 1) * sizeof *set);
	rcache_ent *e = &set[0];
	e->h = h;
	e->shape = (uint16_t)key;
	e->n = (uint8_t)n;
	e->nhits = (uint8_t)nh;
	memcpy(e->hits, ci, (size_t)nh * sizeof *ci);
	memcpy(e->s, s, n);
	return nh;
}

int match_gemeente_id(matcher *m, const char *name)
{
	if (!m->builtin)
		return catalog_find_gemeente(m->cat, name);
	const char *key = NULL;
	pthread_mutex_lock(&m->lock);
	int id = builtin_id_locked(m, name, strlen(name), &key);
	pthread_mutex_unlock(&m->lock);
	return id;
}

int match_ngemeenten(const matcher *m)
{
	if (!m->builtin)
		return (int)m->cat->ngem;
	pthread_mutex_lock(&shared(m)->lock);
	int n = (int)strtab_count(m->names);
	pthread_mutex_unlock(&shared(m)->lock);
	return n;
}

const char *match_gemeente_name(const matcher *m, int gem)
{
	if (gem < 0)
		return NULL;
	if (!m->builtin)
		return (size_t)gem < m->cat->ngem ? m->cat->gemeenten[gem] : NULL;
	pthread_mutex_lock(&shared(m)->lock);
	const char *name = NULL;
	if ((size_t)gem < strtab_count(m->names))
		name = strtab_key(m->names, (size_t)gem, NULL);
	pthread_mutex_unlock(&shared(m)->lock);
	return name;
}

int match_rows(const matcher *m, int gem, const int **rows)
{
	const plan *pl = NULL;
	if (gem >= 0) {
		if (m->builtin)
			pl = gem < match_ngemeenten(m) ? &m->plans[0] : NULL;
		else if (gem < m->nplans)
			pl = &m->plans[gem];
	}
	*rows = pl ? pl->rows : NULL;
	return pl ? pl->nrows : 0;
}

int match_max_hits(const matcher *m)
{
	return m->max_hits;
}

long match_limit_hits(const matcher *m)
{
	return atomic_load(&shared(m)->limit_hits);
}

long match_limit_line(const matcher *m)
{
	return atomic_load(&shared(m)->limit_line);
}
