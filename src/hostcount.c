/*
 * hostcount.c - a bounded count of unknown hosts (see hostcount.h).
 *
 * Open addressing over SLOTS = 2 * HOSTCOUNT_MAX slots with linear
 * probing; a slot is free when its count is 0. The table never holds
 * more than HOSTCOUNT_MAX hosts, so a probe always ends at a free slot.
 *
 * Why not a strtab (strtab.h), the tree's table of strings: this one is
 * fixed in size and allocates nothing after hostcount_new (it is filled
 * per line of an unknown host, on every worker), keeps only the first
 * HOSTCOUNT_KEY - 1 bytes of a host inline, and is merged slot by slot,
 * so which hosts find room in a full table must not depend on a random
 * hash key. Its hash is the unkeyed hash_fast (hash.h, a word at a time,
 * as the matcher's): a log can craft hosts that share
 * a start slot, but with at most HOSTCOUNT_MAX hosts a probe passes at
 * most HOSTCOUNT_MAX slots, so the cost per line stays bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "hostcount.h"

#define SLOTS (2 * HOSTCOUNT_MAX)

typedef struct {
	uint64_t h, n;
	size_t len;
	char key[HOSTCOUNT_KEY];
} slot;

struct hostcount {
	slot s[SLOTS];
	size_t used;
	uint64_t total, untracked;
};

hostcount *hostcount_new(void)
{
	return calloc(1, sizeof(hostcount));
}

void hostcount_free(hostcount *hc)
{
	free(hc);
}

static size_t keylen(size_t n)
{
	return n < HOSTCOUNT_KEY - 1 ? n : HOSTCOUNT_KEY - 1;
}

/* Adds count to the host (hash h, full length n, first bytes p). */
static void add(hostcount *hc, uint64_t h, const char *p, size_t n, uint64_t count)
{
	hc->total += count;
	if (p == NULL)
		p = ""; /* a record without a host: n == 0 */
	size_t k = keylen(n);
	for (size_t i = (size_t)h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		slot *s = &hc->s[i];
		if (s->n == 0) {
			if (hc->used == HOSTCOUNT_MAX) {
				hc->untracked += count;
				return;
			}
			hc->used++;
			s->h = h;
			s->len = n;
			memcpy(s->key, p, k);
			s->key[k] = '\0';
			s->n = count;
			return;
		}
		if (s->h == h && s->len == n && memcmp(s->key, p, k) == 0) {
			s->n += count;
			return;
		}
	}
}

void hostcount_add(hostcount *hc, const char *p, size_t n)
{
	add(hc, hash_fast(p, n), p, n, 1);
}

void hostcount_merge(hostcount *dst, const hostcount *src)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (src->s[i].n)
			add(dst, src->s[i].h, src->s[i].key, src->s[i].len, src->s[i].n);
	dst->untracked += src->untracked;
	dst->total += src->untracked;
}

uint64_t hostcount_total(const hostcount *hc)
{
	return hc ? hc->total : 0;
}

uint64_t hostcount_untracked(const hostcount *hc)
{
	return hc ? hc->untracked : 0;
}

size_t hostcount_distinct(const hostcount *hc)
{
	return hc ? hc->used : 0;
}

/* 1 when a ranks before b. */
static int before(const slot *a, const slot *b)
{
	if (a->n != b->n)
		return a->n > b->n;
	size_t ka = keylen(a->len), kb = keylen(b->len);
	int c = memcmp(a->key, b->key, ka < kb ? ka : kb);
	if (c != 0)
		return c < 0;
	return a->len < b->len;
}

size_t hostcount_top(const hostcount *hc, hostcount_entry *out, size_t max)
{
	const slot *top[HOSTCOUNT_MAX];
	size_t nt = 0;
	if (!hc)
		return 0;
	if (max > HOSTCOUNT_MAX)
		max = HOSTCOUNT_MAX;
	/* insertion into a sorted list of at most max: max is small */
	for (size_t i = 0; i < SLOTS; i++) {
		const slot *s = &hc->s[i];
		if (!s->n)
			continue;
		size_t j = nt < max ? nt++ : max;
		if (j == max && (max == 0 || !before(s, top[max - 1])))
			continue;
		if (j == max)
			j = max - 1;
		while (j > 0 && before(s, top[j - 1])) {
			top[j] = top[j - 1];
			j--;
		}
		top[j] = s;
	}
	for (size_t i = 0; i < nt; i++) {
		memcpy(out[i].host, top[i]->key, sizeof out[i].host);
		out[i].len = top[i]->len;
		out[i].n = top[i]->n;
	}
	return nt;
}
