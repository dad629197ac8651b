/*
 * xff.h - the client address behind proxies, from X-Forwarded-For.
 *
 * An xff_trust is a set of trusted proxy networks (--trusted-proxies).
 * xff_client walks an X-Forwarded-For value from the right, skipping the
 * addresses of trusted proxies, and returns the first one that is not
 * trusted: the address the nearest untrusted hop connected from. Once built
 * an xff_trust is read-only, so several threads may use it at once.
 */
#ifndef KR_XFF_H
#define KR_XFF_H

#include <stddef.h>
#include "record.h"

typedef struct xff_trust xff_trust;

/* Builds the set from list: IPv4 and IPv6 addresses and CIDR networks
 * ("10.0.0.0/8", "2001:db8::/32", "192.0.2.7"), separated by commas and/or
 * spaces. NULL or an empty list trusts nothing. Returns NULL and a message
 * in err ("invalid address 'x' in --trusted-proxies") when an entry is
 * invalid or memory runs out. Free with xff_trust_free. */
xff_trust *xff_trust_new(const char *list, char *err, size_t errlen);

/* Frees t; NULL is a no-op. */
void xff_trust_free(xff_trust *t);

/* 1 when the n bytes at p are an address (IPv4, IPv6, or IPv4-mapped IPv6)
 * inside one of t's networks; 0 otherwise (also for t == NULL). */
int xff_trusted(const xff_trust *t, const char *p, size_t n);

/* The client address for a request whose X-Forwarded-For value is xff and
 * whose connection address is conn: the rightmost entry of the
 * comma-separated xff that is not trusted, with spaces trimmed, a ":port"
 * stripped from "1.2.3.4:5678" and the brackets (and port) from
 * "[2001:db8::1]:443". Returns conn when xff is empty or "-", when every
 * entry is trusted, or when the chosen entry is not an address (e.g.
 * "unknown"). t may be NULL (nothing trusted). The result points into xff
 * or is conn; no allocation. */
kr_str xff_client(const xff_trust *t, kr_str xff, kr_str conn);

#endif
