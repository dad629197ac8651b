/*
 * hash.h - the tree's fast unkeyed hash of short byte strings, and the
 * word-at-a-time loads and comparison that go with it.
 *
 * For tables whose keys a log cannot choose freely, or whose probes are
 * bounded anyway (match.c's catalogue hosts and result caches,
 * hostcount.c's unknown hosts). Tables fed from logs without such a bound
 * use strtab.h, which hashes with SipHash under a random key. Reads of
 * p[0..n) only; no alignment needed. All static inline: they sit on the
 * per-line path.
 */
#ifndef KR_HASH_H
#define KR_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The 8 bytes at p, in host order. */
static inline uint64_t hash_load64(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* 1 to 7 bytes at p as one word: for n >= 4 the first and last four
 * (overlapping), else the first, middle and last byte. Equal strings of
 * equal n give equal words. */
static inline uint64_t hash_load_tail(const char *p, size_t n)
{
	uint32_t a, b;
	if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		return (uint64_t)a | (uint64_t)b << 32;
	}
	return (uint64_t)(unsigned char)p[0] | (uint64_t)(unsigned char)p[n / 2] << 8 |
	       (uint64_t)(unsigned char)p[n - 1] << 16;
}

/* A 64-bit hash of p[0..n), a word at a time (n may be 0). */
static inline uint64_t hash_fast(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
	size_t len = n;
	for (; n >= 8; p += 8, n -= 8) {
		h = (h ^ hash_load64(p)) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 31;
	}
	if (n) /* the last 8 bytes (overlapping) when there are 8, else the rest */
		h = (h ^ (len >= 8 ? hash_load64(p + n - 8) : hash_load_tail(p, n))) *
		    0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

/* memcmp(a, b, n) == 0 for short keys, a word at a time. */
static inline int hash_same(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 <= n; i += 8)
			if (hash_load64(a + i) != hash_load64(b + i))
				return 0;
		return hash_load64(a + n - 8) == hash_load64(b + n - 8);
	}
	return n == 0 || hash_load_tail(a, n) == hash_load_tail(b, n);
}

#endif
