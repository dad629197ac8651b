/*
 * visitor.h - keyed visitor hashes (klantreis(1), MEASUREMENT, "Steps and
 * visitors", and PRIVACY).
 *
 * A visitor is (client, user agent, wall-clock day). klantreis never stores
 * the address or user agent: it keeps SipHash-2-4 of the triple under a
 * random key drawn once per run, so the hashes cannot be reversed or
 * linked across runs. Distinct triples collide with probability ~2^-64.
 */
#ifndef KR_VISITOR_H
#define KR_VISITOR_H

#include <stdint.h>
#include "record.h"

typedef struct {
	uint64_t k0, k1;
} visitor_key;

/* Draws a fresh random key from the system (getrandom, arc4random_buf or
 * /dev/urandom). Returns 0, or -1 with errno set when the system gives no
 * random bytes; there is no guessable fallback: a key that could be
 * guessed would let the hashes be linked back to addresses. */
int visitor_key_random(visitor_key *key);

/* The visitor hash of (client, ua, day). Thread-safe. */
uint64_t visitor_hash(const visitor_key *key, kr_str client, kr_str ua, int32_t day);

/* SipHash-2-4 of len bytes at p under key (exposed for tests). */
uint64_t visitor_siphash(const visitor_key *key, const void *p, size_t len);

#endif
