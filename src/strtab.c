/*
 * strtab.c - the hash table of byte strings (see strtab.h).
 *
 * Three arrays: the entries in id order (key copy, length, hash, value);
 * the slots, open addressing with linear probing over a power of two,
 * each slot the hash's high half and id + 1 in one word (0: free), so a
 * probe compares keys only when the tags agree; and the key copies in
 * blocks that never move (a block is never reallocated, a new one is
 * chained on). Invariants: 2 * count <= nslot once anything was added,
 * so every probe ends at a free slot; every entry has exactly one slot;
 * ids are dense, 0 .. count - 1.
 *
 * strtab_add makes room (entries, slots, key copy) before it changes
 * anything a caller can see, so a failed allocation leaves the table as
 * it was.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "strtab.h"
#include "visitor.h"
#include "fault.h"

enum {
	SLOTS_MIN = 16,
	BLOCK_MIN = 1024,         /* the first key block; later ones double */
	BLOCK_MAX = 64 * 1024,    /* up to this (a longer key gets its own) */
};

/* ids + 1 live in 32 bits of a slot */
#define STRTAB_MAX ((size_t)UINT32_MAX - 1)

typedef struct {
	const char *k;    /* the copy, NUL-terminated */
	size_t n;
	uint64_t h;
	intptr_t v;
} entry;

typedef struct block {
	struct block *next;
	size_t size, used;
	char b[];
} block;

struct strtab {
	entry *e;
	size_t count, ecap;
	uint64_t *slot;   /* (h >> 32) << 32 | (id + 1); 0: free */
	size_t nslot;     /* power of two, or 0 before the first add */
	block *blocks;    /* newest first */
};

static visitor_key hash_key;
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

/* The process's hash key: random; without a random source, one from the
 * clock, the pid and an address. That one could be guessed, which only
 * weakens the defence against crafted collisions: no result depends on
 * the key (strtab.h). */
static void hash_key_init(void)
{
	if (visitor_key_random(&hash_key) == 0)
		return;
	struct timespec ts = { 0, 0 };
	clock_gettime(CLOCK_REALTIME, &ts);
	hash_key.k0 = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid();
	hash_key.k1 = (uint64_t)(uintptr_t)&hash_key ^ 0x9e3779b97f4a7c15ull;
}

uint64_t strtab_hash(const void *k, size_t n)
{
	pthread_once(&hash_once, hash_key_init);
	return visitor_siphash(&hash_key, k, n);
}

strtab *strtab_new(void)
{
	return calloc(1, sizeof(strtab));
}

void strtab_free(strtab *t)
{
	if (!t)
		return;
	for (block *b = t->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(t->e);
	free(t->slot);
	free(t);
}

static inline uint64_t slot_of(uint64_t h, size_t id)
{
	return (h >> 32) << 32 | (uint64_t)(id + 1);
}

/* The id of k (hash h), or -1 with *free_slot at the free slot where a
 * probe for it ended. t->nslot > 0. */
static long probe(const strtab *t, const void *k, size_t n, uint64_t h, size_t *free_slot)
{
	size_t mask = t->nslot - 1;
	uint64_t tag = h >> 32;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		uint64_t s = t->slot[i];
		if (s == 0) {
			*free_slot = i;
			return -1;
		}
		if (s >> 32 != tag)
			continue;
		const entry *e = &t->e[(uint32_t)s - 1];
		if (e->h == h && e->n == n && (n == 0 || memcmp(e->k, k, n) == 0))
			return (long)((uint32_t)s - 1);
	}
}

long strtab_find(const strtab *t, const void *k, size_t n)
{
	size_t i;
	if (!t || !t->nslot)
		return -1;
	return probe(t, k, n, strtab_hash(k, n), &i);
}

/* Twice the slots (SLOTS_MIN at first), every entry placed again from
 * its stored hash. -1 when out of memory (the old slots stay). */
static int grow_slots(strtab *t)
{
	size_t nslot = t->nslot ? t->nslot * 2 : SLOTS_MIN;
	if (nslot > SIZE_MAX / sizeof *t->slot)
		return -1;
	uint64_t *slot = calloc(nslot, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t id = 0; id < t->count; id++) {
		uint64_t h = t->e[id].h;
		size_t i = (size_t)h & (nslot - 1);
		while (slot[i])
			i = (i + 1) & (nslot - 1);
		slot[i] = slot_of(h, id);
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return 0;
}

static int grow_entries(strtab *t)
{
	size_t cap = t->ecap ? t->ecap * 2 : 16;
	if (cap > SIZE_MAX / sizeof *t->e)
		return -1;
	entry *e = realloc(t->e, cap * sizeof *e);
	if (!e)
		return -1;
	t->e = e;
	t->ecap = cap;
	return 0;
}

/* Room for n bytes in the newest key block (a new block when it is
 * full), or NULL when out of memory. */
static char *key_room(strtab *t, size_t n)
{
	block *b = t->blocks;
	if (b && b->size - b->used >= n) {
		char *p = b->b + b->used;
		b->used += n;
		return p;
	}
	size_t size = b ? (b->size < BLOCK_MAX ? b->size * 2 : BLOCK_MAX) : BLOCK_MIN;
	if (size < n)
		size = n;
	if (size > SIZE_MAX - sizeof *b)
		return NULL;
	block *nb = malloc(sizeof *nb + size);
	if (!nb)
		return NULL;
	nb->next = b;
	nb->size = size;
	nb->used = n;
	t->blocks = nb;
	return nb->b;
}

long strtab_add(strtab *t, const void *k, size_t n, int *added)
{
	uint64_t h = strtab_hash(k, n);
	size_t i = 0;
	if (added)
		*added = 0;
	if (t->nslot) {
		long id = probe(t, k, n, h, &i);
		if (id >= 0)
			return id;
	}
	if (t->count >= STRTAB_MAX || n == SIZE_MAX)
		return -1;
	if (t->count == t->ecap && grow_entries(t) < 0)
		return -1;
	if ((t->count + 1) * 2 > t->nslot) {
		if (grow_slots(t) < 0)
			return -1;
		probe(t, k, n, h, &i); /* absent: finds the free slot */
	}
	char *copy = key_room(t, n + 1);
	if (!copy)
		return -1;
	if (n)
		memcpy(copy, k, n);
	copy[n] = '\0';
	size_t id = t->count++;
	t->e[id] = (entry){ copy, n, h, 0 };
	t->slot[i] = slot_of(h, id);
	if (added)
		*added = 1;
	return (long)id;
}

size_t strtab_count(const strtab *t)
{
	return t ? t->count : 0;
}

const char *strtab_key(const strtab *t, size_t id, size_t *n)
{
	if (n)
		*n = t->e[id].n;
	return t->e[id].k;
}

intptr_t strtab_value(const strtab *t, size_t id)
{
	return t->e[id].v;
}

void strtab_set_value(strtab *t, size_t id, intptr_t v)
{
	t->e[id].v = v;
}
