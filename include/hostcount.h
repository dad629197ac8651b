/*
 * hostcount.h - the most frequent hosts that matched no gemeente, so an
 * empty report can say which hosts the log does hold (a typo in the
 * catalogue's host column is then found in seconds).
 *
 * A bounded table: the first HOSTCOUNT_MAX distinct hosts are counted
 * exactly; requests of hosts beyond them only add to `untracked`. No
 * allocation after hostcount_new, so counting costs one hash and one
 * probe per request of an unknown host, and nothing for known hosts (the
 * scan calls it only for those). Hosts are keyed by their full bytes
 * (length and hash) and keep their first HOSTCOUNT_KEY - 1 bytes for
 * display. One table per thread; merged after the scan.
 */
#ifndef KR_HOSTCOUNT_H
#define KR_HOSTCOUNT_H

#include <stddef.h>
#include <stdint.h>

#define HOSTCOUNT_MAX 256
#define HOSTCOUNT_KEY 64

typedef struct hostcount hostcount;

typedef struct {
	char host[HOSTCOUNT_KEY];  /* first bytes, NUL-terminated (may hold NUL) */
	size_t len;                /* full length; 0 is "no host logged" */
	uint64_t n;                /* requests */
} hostcount_entry;

/* An empty table, or NULL when out of memory. */
hostcount *hostcount_new(void);
void hostcount_free(hostcount *hc);

/* Counts one request of host p[0..n). */
void hostcount_add(hostcount *hc, const char *p, size_t n);

/* Adds src's counts to dst (hosts that find no room in dst count as
 * untracked). */
void hostcount_merge(hostcount *dst, const hostcount *src);

/* Requests counted, and those of hosts beyond the table. */
uint64_t hostcount_total(const hostcount *hc);
uint64_t hostcount_untracked(const hostcount *hc);
/* Distinct hosts in the table. */
size_t hostcount_distinct(const hostcount *hc);

/* The max most frequent hosts into out, by count descending, then host
 * bytes ascending (so the list does not depend on the thread count).
 * Returns how many were written. */
size_t hostcount_top(const hostcount *hc, hostcount_entry *out, size_t max);

#endif
