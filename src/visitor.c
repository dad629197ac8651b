/*
 * visitor.c - SipHash-2-4 (Aumasson & Bernstein) over the visitor triple.
 *
 * The triple is hashed as the byte string
 *     le32(len(client)) || client || user_agent || le32(day)
 * which is unambiguous because the client length is fixed up front.
 * A small streaming state avoids copying the user agent anywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/random.h>
#elif defined(__APPLE__) || defined(__OpenBSD__) || defined(__FreeBSD__) || \
	defined(__NetBSD__) || defined(__DragonFly__)
#define KR_HAVE_ARC4RANDOM 1   /* arc4random_buf in <stdlib.h> */
#endif

#include "visitor.h"
#include "fault.h"

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

#if !defined(__linux__) && !defined(KR_HAVE_ARC4RANDOM)
/* n bytes from /dev/urandom; 0, or -1 with errno set. */
static int urandom(unsigned char *p, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			close(fd);
			errno = e;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	close(fd);
	return 0;
}
#endif

/* n random bytes from the system: getrandom on Linux, arc4random_buf on
 * the BSDs and macOS, /dev/urandom elsewhere. 0, or -1 with errno set. */
static int random_bytes(unsigned char *p, size_t n)
{
#ifdef KR_FAULTS
	if (atomic_load(&kr_fault_random)) {
		errno = ENOSYS;
		return -1;
	}
#endif
#if defined(__linux__)
	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
#elif defined(KR_HAVE_ARC4RANDOM)
	arc4random_buf(p, n);
	return 0;
#else
	return urandom(p, n);
#endif
}

int visitor_key_random(visitor_key *key)
{
	unsigned char b[16];
	if (random_bytes(b, sizeof b) < 0)
		return -1;
	memcpy(&key->k0, b, 8);
	memcpy(&key->k1, b + 8, 8);
	return 0;
}
