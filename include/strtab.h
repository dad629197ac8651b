/*
 * strtab.h - the general hash table of byte strings: names, hosts,
 * pattern texts, product keys (a few per-line tables stay specialised and
 * say why: match.c's catalogue hosts and caches, hostcount.c). Each
 * distinct key gets an id, 0, 1, 2, ... in order of insertion, and an
 * intptr_t value (0 until set).
 *
 * Keys are byte strings (pointer and length; NUL bytes are ordinary
 * bytes). The table copies every key it adds into blocks it owns: the
 * caller's bytes are read only during the call, and the copy
 * (strtab_key, NUL-terminated) never moves and lives until strtab_free,
 * so callers may keep pointers to it.
 *
 * Ids are the iteration order: for (id = 0; id < strtab_count(t); id++).
 * The slot order is never visible, so nothing a caller prints depends on
 * the hash or its key.
 *
 * The hash is SipHash-2-4 (visitor.h) under a random key drawn once per
 * process: keys come from logs (Host headers) and reports, and a keyed
 * hash keeps crafted keys from piling up on one probe chain. Open
 * addressing with linear probing, load at most 1/2; the table grows by
 * doubling, so n inserts cost O(n).
 *
 * Not thread-safe: callers that share a table lock around it (match.c).
 * Out of memory is an error return, never an exit.
 */
#ifndef KR_STRTAB_H
#define KR_STRTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct strtab strtab;

/* An empty table, or NULL when out of memory. */
strtab *strtab_new(void);
/* Frees t and every key copy; NULL is fine. */
void strtab_free(strtab *t);

/* The id of key k[0..n), or -1 when it is absent. */
long strtab_find(const strtab *t, const void *k, size_t n);

/* Find or add, hashing once: the id of k[0..n), added (copied, value 0)
 * when absent; *added (when not NULL) is 1 when it was added, else 0.
 * -1 when out of memory; the table is then unchanged. */
long strtab_add(strtab *t, const void *k, size_t n, int *added);

/* How many keys the table holds (the next id). */
size_t strtab_count(const strtab *t);

/* The table's copy of key id (id < strtab_count): NUL-terminated, its
 * length in *n when n is not NULL. Valid until strtab_free. */
const char *strtab_key(const strtab *t, size_t id, size_t *n);

/* The value of key id (id < strtab_count), and setting it. */
intptr_t strtab_value(const strtab *t, size_t id);
void strtab_set_value(strtab *t, size_t id, intptr_t v);

/* The table's hash of k[0..n) (keyed, the same for the whole process;
 * exposed for tests that build colliding keys). */
uint64_t strtab_hash(const void *k, size_t n);

#endif
