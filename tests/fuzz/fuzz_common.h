/*
 * fuzz_common.h - helpers shared by the libFuzzer harnesses in tests/fuzz/.
 *
 * Every harness hands the code under test exactly-sized heap copies of its
 * input, so AddressSanitizer sees any read or write one byte past the end,
 * and touches every byte a parser says it found, so a slice pointing
 * outside the line is caught even when nothing else reads it.
 */
#ifndef KR_FUZZ_COMMON_H
#define KR_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt.h"
#include "record.h"

/* The entry point libFuzzer calls with each input (one per harness). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An exactly-sized heap copy of p[0..n) (one byte allocated when n == 0). */
static inline char *fuzz_dup(const uint8_t *p, size_t n)
{
	char *d = malloc(n ? n : 1);
	if (!d)
		abort();
	if (n)
		memcpy(d, p, n);
	return d;
}

/* Reads every byte of s; ASan reports a slice outside its buffer. */
static inline unsigned fuzz_touch(kr_str s)
{
	volatile unsigned sum = 0;
	if (s.n && !s.p)
		abort();
	for (size_t i = 0; i < s.n; i++)
		sum += (unsigned char)s.p[i];
	return sum;
}

/* Checks what record.h promises about a parsed record. */
static inline void fuzz_check_record(const kr_record *r)
{
	fuzz_touch(r->client);
	fuzz_touch(r->host);
	fuzz_touch(r->method);
	fuzz_touch(r->target);
	fuzz_touch(r->referer);
	fuzz_touch(r->user_agent);
	fuzz_touch(r->xff);
	if (r->status < 0 || r->status > 999)
		abort();
	for (size_t i = 0; i < r->host.n; i++)
		if (r->host.p[i] >= 'A' && r->host.p[i] <= 'Z')
			abort(); /* host is lower-case */
}

/* Aborts unless slices a (into buffer ab) and b (into bb) are the same
 * bytes at the same offsets. */
static inline void fuzz_same_str(kr_str a, const char *ab, kr_str b, const char *bb)
{
	if (a.n != b.n || (a.n && a.p - ab != b.p - bb))
		abort();
}

/* logfmt_parse against logfmt_parse_items (the reference its fast path
 * for Apache's combined formats must agree with), each on its own copy:
 * same result, same record, same buffer afterwards. */
static inline void fuzz_same_both_ways(const logfmt *f, const char *line, size_t n)
{
	char *a = fuzz_dup((const uint8_t *)line, n), *b = fuzz_dup((const uint8_t *)line, n);
	kr_record ra, rb;
	int ca = logfmt_parse(f, a, n, &ra), cb = logfmt_parse_items(f, b, n, &rb);
	if (ca != cb || (n && memcmp(a, b, n) != 0))
		abort();
	if (ca == LOGFMT_OK) {
		fuzz_same_str(ra.client, a, rb.client, b);
		fuzz_same_str(ra.host, a, rb.host, b);
		fuzz_same_str(ra.method, a, rb.method, b);
		fuzz_same_str(ra.target, a, rb.target, b);
		fuzz_same_str(ra.referer, a, rb.referer, b);
		fuzz_same_str(ra.user_agent, a, rb.user_agent, b);
		fuzz_same_str(ra.xff, a, rb.xff, b);
		if (ra.status != rb.status || ra.wall != rb.wall || ra.instant_us != rb.instant_us)
			abort();
	}
	free(a);
	free(b);
}

/* Parses the lines of data[0..size) with f the way the pipeline does:
 * a line starting with '#' may replace the format (W3C "#Fields:").
 * Each line is also parsed both ways (fuzz_same_both_ways). */
static inline void fuzz_parse_lines(const logfmt *f, const uint8_t *data, size_t size)
{
	logfmt *own = NULL;
	const logfmt *cur = f;
	const uint8_t *p = data, *end = data + size;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		char *line = fuzz_dup(p, n);
		if (n && line[0] == '#' && logfmt_has_directives(cur)) {
			char err[160];
			logfmt *nf = logfmt_directive(cur, line, n, err, sizeof err);
			if (nf) {
				logfmt_free(own);
				own = nf;
				cur = nf;
			}
		}
		fuzz_same_both_ways(cur, line, n);
		kr_record rec;
		memset(&rec, 0, sizeof rec);
		int rc = logfmt_parse(cur, line, n, &rec);
		if (rc == LOGFMT_OK)
			fuzz_check_record(&rec);
		else if (rc != LOGFMT_MALFORMED && rc != LOGFMT_SKIP)
			abort();
		free(line);
		p = nl ? nl + 1 : end;
	}
	logfmt_free(own);
}

#endif
