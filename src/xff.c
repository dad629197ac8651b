/*
 * xff.c - the client address behind proxies, from X-Forwarded-For.
 *
 * Every network is kept as a 128-bit IPv6 prefix; IPv4 networks and
 * addresses are mapped into ::ffff:0:0/96, so "10.0.0.0/8" is
 * ::ffff:10.0.0.0/104 and an IPv4-mapped IPv6 address in a header matches
 * an IPv4 network.
 *
 * Invariants: an xff_trust is immutable after xff_trust_new; xff_client
 * and xff_trusted only read it, use a small stack buffer for inet_pton and
 * never allocate, so they are thread-safe and cheap enough per record.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "xff.h"

/* Longest address text accepted (INET6_ADDRSTRLEN is 46 with the NUL). */
#define XFF_ADDR_MAX 45

struct xff_net {
	unsigned char addr[16]; /* network address, host bits cleared */
	unsigned bits;          /* prefix length, 0..128 */
};

struct xff_trust {
	size_t n;
	struct xff_net nets[];
};

/* Parses the n bytes at p as an IPv4 or IPv6 address into a (IPv4 as
 * ::ffff:a.b.c.d). *v4 is set when it was written as IPv4. Returns 0, or
 * -1 when it is not an address. */
static int parse_addr(const char *p, size_t n, unsigned char a[16], int *v4)
{
	char buf[XFF_ADDR_MAX + 1];

	if (n == 0 || n > XFF_ADDR_MAX)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (memchr(buf, ':', n) != NULL) {
		*v4 = 0;
		return inet_pton(AF_INET6, buf, a) == 1 ? 0 : -1;
	}
	*v4 = 1;
	memset(a, 0, 10);
	a[10] = 0xff;
	a[11] = 0xff;
	return inet_pton(AF_INET, buf, a + 12) == 1 ? 0 : -1;
}

/* 1 when a lies in net. */
static int in_net(const unsigned char a[16], const struct xff_net *net)
{
	unsigned full = net->bits / 8, rest = net->bits % 8;
	if (memcmp(a, net->addr, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == net->addr[full];
}

static int is_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

/* Parses one --trusted-proxies entry "addr[/bits]". Returns 0, or -1. */
static int parse_net(const char *p, size_t n, struct xff_net *net)
{
	const char *slash = memchr(p, '/', n);
	size_t an = slash != NULL ? (size_t)(slash - p) : n;
	int v4;
	unsigned bits;

	if (parse_addr(p, an, net->addr, &v4) != 0)
		return -1;
	unsigned max = v4 ? 32 : 128;
	if (slash == NULL) {
		bits = max;
	} else {
		const char *d = slash + 1, *e = p + n;
		if (d == e || e - d > 3)
			return -1;
		bits = 0;
		for (; d < e; d++) {
			if (*d < '0' || *d > '9')
				return -1;
			bits = bits * 10 + (unsigned)(*d - '0');
		}
		if (bits > max)
			return -1;
	}
	net->bits = v4 ? bits + 96 : bits;
	for (unsigned i = net->bits; i < 128; i++)
		net->addr[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
	return 0;
}

/* Returns the trusted set of list (see xff.h), or NULL with err set. */
xff_trust *xff_trust_new(const char *list, char *err, size_t errlen)
{
	size_t count = 0;
	const char *p;
	xff_trust *t = NULL;

	if (list == NULL)
		list = "";
	for (p = list; *p != '\0';) {
		while (is_sep(*p))
			p++;
		if (*p == '\0')
			break;
		count++;
		while (*p != '\0' && !is_sep(*p))
			p++;
	}
	t = malloc(sizeof *t + count * sizeof t->nets[0]);
	if (t == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "cannot read --trusted-proxies: out of memory");
		return NULL;
	}
	t->n = 0;
	for (p = list; *p != '\0';) {
		while (is_sep(*p))
			p++;
		if (*p == '\0')
			break;
		const char *s = p;
		while (*p != '\0' && !is_sep(*p))
			p++;
		if (parse_net(s, (size_t)(p - s), &t->nets[t->n]) != 0) {
			if (err != NULL && errlen > 0)
				snprintf(err, errlen, "invalid address '%.*s' in --trusted-proxies",
				         (int)(p - s), s);
			free(t);
			return NULL;
		}
		t->n++;
	}
	return t;
}

/* Frees t; NULL is a no-op. */
void xff_trust_free(xff_trust *t)
{
	free(t);
}

static int trusted_addr(const xff_trust *t, const unsigned char a[16])
{
	if (t == NULL)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (in_net(a, &t->nets[i]))
			return 1;
	return 0;
}

/* 1 when [p, p + n) is an address in one of t's networks. */
int xff_trusted(const xff_trust *t, const char *p, size_t n)
{
	unsigned char a[16];
	int v4;
	return parse_addr(p, n, a, &v4) == 0 && trusted_addr(t, a);
}

/* Trims spaces and tabs from [*p, *p + *n) and strips a port: "[v6]:port"
 * and "[v6]" become "v6", "1.2.3.4:port" becomes "1.2.3.4". */
static void strip_entry(const char **p, size_t *n)
{
	const char *s = *p, *e = *p + *n;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (s < e && *s == '[') {
		const char *close = memchr(s, ']', (size_t)(e - s));
		if (close != NULL) {
			s++;
			e = close;
		}
	} else {
		const char *colon = memchr(s, ':', (size_t)(e - s));
		if (colon != NULL && memchr(colon + 1, ':', (size_t)(e - colon - 1)) == NULL
		    && memchr(s, '.', (size_t)(colon - s)) != NULL)
			e = colon;
	}
	*p = s;
	*n = (size_t)(e - s);
}

/* Returns the rightmost untrusted address in xff, or conn (see xff.h). */
kr_str xff_client(const xff_trust *t, kr_str xff, kr_str conn)
{
	const char *start = xff.p, *end = xff.p + xff.n;

	if (xff.n == 0 || (xff.n == 1 && xff.p[0] == '-'))
		return conn;
	while (end > start) {
		const char *comma = kr_memrchr(start, ',', (size_t)(end - start));
		const char *s = comma != NULL ? comma + 1 : start;
		size_t n = (size_t)(end - s);
		end = comma != NULL ? comma : start;
		strip_entry(&s, &n);
		if (n == 0)
			continue; /* "a,,b" or a trailing comma */
		unsigned char a[16];
		int v4;
		if (parse_addr(s, n, a, &v4) != 0)
			return conn; /* "unknown", garbage: do not trust the rest */
		if (!trusted_addr(t, a))
			return (kr_str){s, n};
	}
	return conn;
}
