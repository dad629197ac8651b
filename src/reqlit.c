/*
 * reqlit.c - required literals of PCRE2 patterns, and one scan that finds
 * which of many literals a target contains (see reqlit.h).
 *
 * Extraction walks the pattern's top-level sequence of items. A run of
 * plain literal bytes (escaped punctuation included) that no quantifier
 * follows must occur, contiguously, in every match: without a top-level
 * '|', a match is the items' matches one after the other. Anything else -
 * a class, a group, '.', \d, an assertion, a quantified byte - ends the
 * run and is skipped whole, which only ever drops requirements. Whatever
 * could change how the rest reads (option settings, verbs, \Q, comments,
 * an unknown escape, a '{' that is not a plain quantifier) makes it give
 * up. The pattern has compiled already, so it is well formed.
 *
 * The set keys each literal by one 4-byte window of it (the window whose
 * bytes are rarest among all literals' windows, so that common prefixes
 * such as "/e-formulier/" do not pile up in one bucket) in an open-
 * addressing table of windows; a scan looks up every 4-byte window of the
 * target and checks the literals keyed by it in full.
 */
#include <stdlib.h>
#include <string.h>

#include "reqlit.h"

/* ---- extraction ---------------------------------------------------------- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ASCII punctuation: after a backslash it stands for itself. */
static int is_punct(char c)
{
	return c > ' ' && c < 0x7f && !is_alnum(c);
}

/* Skips a quantifier at p ("?", "*", "+", "{n}", "{n,}", "{n,m}", each
 * maybe followed by a lazy '?' or possessive '+'). Returns the position
 * after it, p itself when there is none, NULL for a '{' that is not a
 * quantifier of those forms. */
static const char *skip_quant(const char *p)
{
	if (*p == '?' || *p == '*' || *p == '+') {
		p++;
	} else if (*p == '{') {
		const char *q = p + 1;
		if (!is_digit(*q))
			return NULL;
		while (is_digit(*q))
			q++;
		if (*q == ',')
			for (q++; is_digit(*q); q++)
				;
		if (*q != '}')
			return NULL;
		p = q + 1;
	} else {
		return p;
	}
	if (*p == '?' || *p == '+')
		p++;
	return p;
}

/* Skips the class that starts at p ('['). NULL when unsure: a '[' inside
 * (POSIX classes), \Q, \E, \c. */
static const char *skip_class(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p != ']'; p++) {
		if (!*p || *p == '[')
			return NULL;
		if (*p == '\\') {
			if (!p[1] || p[1] == 'Q' || p[1] == 'E' || p[1] == 'c')
				return NULL;
			p++;
		}
	}
	return p + 1;
}

/* After "(?": a group that changes nothing outside itself? (?: (?= (?!
 * (?<= (?<! (?> (?| and named groups. Not option settings, comments,
 * recursion, conditions, callouts or back references. */
static int plain_group(const char *p)
{
	switch (p[0]) {
	case ':': case '=': case '!': case '>': case '|':
		return 1;
	case '<':
		return p[1] == '=' || p[1] == '!' || p[1] == '_' ||
		       (is_alnum(p[1]) && !is_digit(p[1]));
	case '\'':
		return p[1] == '_' || (is_alnum(p[1]) && !is_digit(p[1]));
	case 'P':
		return p[1] == '<';
	default:
		return 0;
	}
}

/* Skips the group that starts at p ('('), nested groups and classes
 * included. NULL when unsure. */
static const char *skip_group(const char *p)
{
	int depth = 0;
	do {
		if (*p == '(') {
			if (p[1] == '*' || (p[1] == '?' && !plain_group(p + 2)))
				return NULL;
			depth++;
			p++;
		} else if (*p == ')') {
			depth--;
			p++;
		} else if (*p == '[') {
			if (!(p = skip_class(p)))
				return NULL;
		} else if (*p == '\\') {
			if (!p[1] || p[1] == 'Q' || p[1] == 'E' || p[1] == 'c' || is_digit(p[1]) ||
			    p[1] == 'g' || p[1] == 'k')
				return NULL;
			p += 2;
		} else if (!*p) {
			return NULL;
		} else {
			p++;
		}
	} while (depth > 0);
	return p;
}

/* What a backslash escape at p is: 1 a literal byte (p[1]), 2 an item
 * that matches one or more bytes or none (\d, \b, ...), 0 unknown. */
static int escape_kind(const char *p)
{
	if (is_punct(p[1]))
		return 1;
	return p[1] && strchr("dDwWsShHvVRbBAzZGntrfea", p[1]) ? 2 : 0;
}

/* The run of literal bytes being read. */
typedef struct {
	char s[REQLIT_MAX];
	size_t n;
	int prefix;       /* it starts the match (the pattern starts with '^') */
	reqlit best;      /* the longest floating run so far */
	reqlit first;     /* the anchored run, when there is one */
} runs;

static void run_end(runs *r)
{
	reqlit *to = r->prefix ? &r->first : &r->best;
	if (r->n > to->n) {
		memcpy(to->s, r->s, r->n);
		to->n = r->n;
	}
	r->n = 0;
	r->prefix = 0;
}

int reqlit_extract(const char *pattern, reqlit *out)
{
	runs r = { .n = 0 };
	const char *p = pattern;
	if (*p == '^') {
		r.prefix = 1;
		p++;
	}
	while (*p) {
		const char *item = p, *next;
		int lit = 0;
		if (*p == '\\') {
			int k = escape_kind(p);
			if (!k)
				return 0;
			lit = k == 1;
			next = p + 2;
			item = p + 1;
		} else if (*p == '[') {
			next = skip_class(p);
		} else if (*p == '(') {
			next = skip_group(p);
		} else if (strchr("|)?*+{", *p)) {
			return 0; /* a top-level branch, or anything unexpected */
		} else {
			lit = !strchr(".^$", *p);
			next = p + 1;
		}
		if (!next)
			return 0;
		const char *after = skip_quant(next);
		if (!after)
			return 0;
		if (lit && after == next) {
			if (r.n < REQLIT_MAX)
				r.s[r.n++] = *item;
		} else {
			run_end(&r);
		}
		p = after;
	}
	run_end(&r);
	/* the anchored run when it is long enough and not much shorter */
	if (r.first.n >= REQLIT_MIN && r.first.n + 4 >= r.best.n) {
		*out = r.first;
		out->anchored = 1;
		return 1;
	}
	if (r.best.n < REQLIT_MIN)
		return 0;
	*out = r.best;
	out->anchored = 0;
	return 1;
}

/* ---- the set ------------------------------------------------------------- */

typedef struct {
	uint32_t off;     /* in arena */
	uint8_t n;
	uint8_t anchored;
	uint8_t key;      /* offset of the keyed window */
	uint32_t gram;    /* the keyed window's bytes */
} lit_ent;

typedef struct {
	uint32_t gram;
	uint32_t start, count; /* in order[]; count 0: empty slot */
} gram_slot;

struct reqlit_set {
	reqlit *added;         /* as added, until the build */
	int nadded, cap;
	int *id;               /* provisional index -> id */
	lit_ent *lits;
	int nlits;
	char *arena;
	uint16_t *order;       /* ids sorted by gram */
	gram_slot *slots;
	uint32_t mask;
};

static uint32_t load32(const char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
	return w;
}

static uint32_t gram_hash(uint32_t g)
{
	return (g * 0x9e3779b1u) ^ ((g * 0x9e3779b1u) >> 15);
}

reqlit_set *reqlit_set_new(void)
{
	return calloc(1, sizeof(reqlit_set));
}

void reqlit_set_free(reqlit_set *set)
{
	if (!set)
		return;
	free(set->added);
	free(set->id);
	free(set->lits);
	free(set->arena);
	free(set->order);
	free(set->slots);
	free(set);
}

int reqlit_set_add(reqlit_set *set, const reqlit *lit)
{
	if (set->nadded == set->cap) {
		int cap = set->cap ? set->cap * 2 : 64;
		reqlit *a = realloc(set->added, (size_t)cap * sizeof *a);
		if (!a)
			return -1;
		set->added = a;
		set->cap = cap;
	}
	set->added[set->nadded] = *lit;
	return set->nadded++;
}

/* For sorting: a literal as added and its provisional index. */
typedef struct {
	const reqlit *l;
	int i;
} added_ref;

static int cmp_added(const void *a, const void *b)
{
	const reqlit *x = ((const added_ref *)a)->l, *y = ((const added_ref *)b)->l;
	if (x->anchored != y->anchored)
		return x->anchored - y->anchored;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return memcmp(x->s, y->s, x->n);
}

/* For sorting: a literal's id and its keyed window. */
typedef struct {
	uint32_t gram;
	uint16_t id;
} gram_ref;

static int cmp_gram(const void *a, const void *b)
{
	uint32_t x = ((const gram_ref *)a)->gram, y = ((const gram_ref *)b)->gram;
	return x < y ? -1 : x > y;
}

/* Dedupes set->added into set->lits and set->arena. */
static int dedupe(reqlit_set *set)
{
	int n = set->nadded, rc = -1;
	added_ref *ix = malloc(((size_t)n + 1) * sizeof *ix);
	set->id = malloc(((size_t)n + 1) * sizeof *set->id);
	set->lits = malloc(((size_t)n + 1) * sizeof *set->lits);
	set->arena = malloc((size_t)n * REQLIT_MAX + 1);
	if (!ix || !set->id || !set->lits || !set->arena)
		goto out;
	for (int i = 0; i < n; i++)
		ix[i] = (added_ref){ &set->added[i], i };
	qsort(ix, (size_t)n, sizeof *ix, cmp_added);
	uint32_t off = 0;
	int last = -1;
	for (int i = 0; i < n; i++) {
		const reqlit *l = ix[i].l;
		if (i == 0 || cmp_added(&ix[i - 1], &ix[i]) != 0) {
			last = -1; /* when the set is full: no literal */
			if (set->nlits < REQLIT_IDS) {
				memcpy(set->arena + off, l->s, l->n);
				set->lits[set->nlits] = (lit_ent){ off, (uint8_t)l->n, (uint8_t)l->anchored,
				                                   0, 0 };
				off += (uint32_t)l->n;
				last = set->nlits++;
			}
		}
		set->id[ix[i].i] = last;
	}
	rc = 0;
out:
	free(ix);
	return rc;
}

/* Keys each literal by its window whose gram is rarest over all windows
 * (counted approximately, in 4096 buckets). */
static int choose_windows(reqlit_set *set)
{
	uint32_t *count = calloc(4096, sizeof *count);
	if (!count)
		return -1;
	for (int i = 0; i < set->nlits; i++) {
		const lit_ent *l = &set->lits[i];
		for (int k = 0; k + 4 <= l->n; k++)
			count[gram_hash(load32(set->arena + l->off + k)) >> 20]++;
	}
	for (int i = 0; i < set->nlits; i++) {
		lit_ent *l = &set->lits[i];
		uint32_t best = UINT32_MAX;
		for (int k = 0; k + 4 <= l->n; k++) {
			uint32_t g = load32(set->arena + l->off + k), c = count[gram_hash(g) >> 20];
			if (c < best) {
				best = c;
				l->key = (uint8_t)k;
				l->gram = g;
			}
		}
	}
	free(count);
	return 0;
}

int reqlit_set_build(reqlit_set *set)
{
	if (dedupe(set) < 0 || choose_windows(set) < 0)
		return -1;
	uint32_t cap = 16;
	while (cap < 2u * (uint32_t)set->nlits)
		cap *= 2;
	set->order = malloc(((size_t)set->nlits + 1) * sizeof *set->order);
	set->slots = calloc(cap, sizeof *set->slots);
	if (!set->order || !set->slots)
		return -1;
	set->mask = cap - 1;
	gram_ref *g = malloc(((size_t)set->nlits + 1) * sizeof *g);
	if (!g)
		return -1;
	for (int i = 0; i < set->nlits; i++)
		g[i] = (gram_ref){ set->lits[i].gram, (uint16_t)i };
	qsort(g, (size_t)set->nlits, sizeof *g, cmp_gram);
	for (int i = 0; i < set->nlits; i++)
		set->order[i] = g[i].id;
	for (int i = 0; i < set->nlits;) {
		int j = i;
		while (j < set->nlits && g[j].gram == g[i].gram)
			j++;
		uint32_t s = gram_hash(g[i].gram) & set->mask;
		while (set->slots[s].count)
			s = (s + 1) & set->mask;
		set->slots[s] = (gram_slot){ g[i].gram, (uint32_t)i, (uint32_t)(j - i) };
		i = j;
	}
	free(g);
	free(set->added);
	set->added = NULL;
	return 0;
}

int reqlit_set_id(const reqlit_set *set, int provisional)
{
	return set->id[provisional];
}

int reqlit_set_count(const reqlit_set *set)
{
	return set->nlits;
}

int reqlit_in(const reqlit_set *set, int id, const char *s, size_t n)
{
	const lit_ent *l = &set->lits[id];
	const char *lp = set->arena + l->off;
	if (n < l->n)
		return 0;
	if (l->anchored)
		return memcmp(s, lp, l->n) == 0;
	return memmem(s, n, lp, l->n) != NULL;
}

int reqlit_scan(const reqlit_set *set, const char *s, size_t n, uint16_t *ids, int max)
{
	int k = 0;
	if (!set->nlits)
		return 0;
	for (size_t i = 0; i + 4 <= n; i++) {
		uint32_t g = load32(s + i);
		const gram_slot *e;
		for (uint32_t j = gram_hash(g) & set->mask;; j = (j + 1) & set->mask) {
			e = &set->slots[j];
			if (!e->count || e->gram == g)
				break;
		}
		for (uint32_t c = 0; c < e->count; c++) {
			uint16_t id = set->order[e->start + c];
			const lit_ent *l = &set->lits[id];
			if (i < l->key)
				continue;
			size_t st = i - l->key;
			if ((l->anchored && st) || st + l->n > n ||
			    memcmp(s + st, set->arena + l->off, l->n) != 0)
				continue;
			int dup = 0;
			for (int q = 0; q < k && !dup; q++)
				dup = ids[q] == id;
			if (dup)
				continue;
			if (k == max)
				return -1;
			ids[k++] = id;
		}
	}
	return k;
}
