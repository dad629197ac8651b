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

/* Parses the lines of data[0..size) with f the way the pipeline does:
 * a line starting with '#' may replace the format (W3C "#Fields:"). */
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
