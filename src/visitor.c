/*
 * visitor.c - SipHash-2-4 (Aumasson & Bernstein) over the visitor triple.
 *
 * The triple is hashed as the byte string
 *     le32(len(client)) || client || user_agent || le32(day)
 * which is unambiguous because the client length is fixed up front.
 * A small streaming state avoids copying the user agent anywhere.
 */
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "visitor.h"

typedef struct {
	uint64_t v0, v1, v2, v3;
	uint64_t tail;   /* pending bytes, little-endian */
	unsigned ntail;  /* 0..7 */
	uint64_t len;
} sip;

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND(s) do { \
	s->v0 += s->v1; s->v1 = ROTL(s->v1, 13); s->v1 ^= s->v0; s->v0 = ROTL(s->v0, 32); \
	s->v2 += s->v3; s->v3 = ROTL(s->v3, 16); s->v3 ^= s->v2; \
	s->v0 += s->v3; s->v3 = ROTL(s->v3, 21); s->v3 ^= s->v0; \
	s->v2 += s->v1; s->v1 = ROTL(s->v1, 17); s->v1 ^= s->v2; s->v2 = ROTL(s->v2, 32); \
} while (0)

static void sip_init(sip *s, const visitor_key *k)
{
	s->v0 = k->k0 ^ 0x736f6d6570736575ull;
	s->v1 = k->k1 ^ 0x646f72616e646f6dull;
	s->v2 = k->k0 ^ 0x6c7967656e657261ull;
	s->v3 = k->k1 ^ 0x7465646279746573ull;
	s->tail = 0;
	s->ntail = 0;
	s->len = 0;
}

static inline void sip_block(sip *s, uint64_t m)
{
	s->v3 ^= m;
	SIPROUND(s);
	SIPROUND(s);
	s->v0 ^= m;
}

static void sip_update(sip *s, const unsigned char *p, size_t n)
{
	s->len += n;
	while (n > 0 && s->ntail != 0) {
		s->tail |= (uint64_t)*p++ << (8 * s->ntail);
		n--;
		if (++s->ntail == 8) {
			sip_block(s, s->tail);
			s->tail = 0;
			s->ntail = 0;
		}
	}
	while (n >= 8) {
		uint64_t m;
		memcpy(&m, p, 8); /* x86-64 and aarch64 are little-endian */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		m = __builtin_bswap64(m);
#endif
		sip_block(s, m);
		p += 8;
		n -= 8;
	}
	while (n > 0) {
		s->tail |= (uint64_t)*p++ << (8 * s->ntail++);
		n--;
	}
}

static uint64_t sip_final(sip *s)
{
	uint64_t b = s->tail | ((s->len & 0xff) << 56);
	sip_block(s, b);
	s->v2 ^= 0xff;
	SIPROUND(s);
	SIPROUND(s);
	SIPROUND(s);
	SIPROUND(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

uint64_t visitor_siphash(const visitor_key *key, const void *p, size_t len)
{
	sip s;
	sip_init(&s, key);
	sip_update(&s, p, len);
	return sip_final(&s);
}

static void le32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)v;
	b[1] = (unsigned char)(v >> 8);
	b[2] = (unsigned char)(v >> 16);
	b[3] = (unsigned char)(v >> 24);
}

uint64_t visitor_hash(const visitor_key *key, kr_str client, kr_str ua, int32_t day)
{
	unsigned char b[4];
	sip s;
	sip_init(&s, key);
	le32(b, (uint32_t)client.n);
	sip_update(&s, b, 4);
	sip_update(&s, (const unsigned char *)client.p, client.n);
	sip_update(&s, (const unsigned char *)ua.p, ua.n);
	le32(b, (uint32_t)day);
	sip_update(&s, b, 4);
	return sip_final(&s);
}

int visitor_key_random(visitor_key *key)
{
	uint64_t k[2];
	if (getrandom(k, sizeof k, 0) == (ssize_t)sizeof k) {
		key->k0 = k[0];
		key->k1 = k[1];
		return 0;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	key->k0 = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec;
	key->k1 = (uint64_t)getpid() * 0xc2b2ae3d27d4eb4full ^ (uint64_t)ts.tv_sec;
	return -1;
}
