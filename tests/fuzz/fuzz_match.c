/*
 * fuzz_match.c - libFuzzer harness for the matcher's shortcuts.
 *
 * The first line of the input is a PCRE2 pattern, the other lines are
 * targets. The pattern becomes the info cell of gemeente A's row 0 and the
 * form cell of gemeente B's row 1 (one plan shape: they share result-cache
 * entries); match_target's answer for each target under A and under B
 * (twice: the second comes from the result cache) must be PCRE2's own
 * answer for that pattern, in that gemeente's row and step. This holds the
 * first-byte filter (partial matching at start-up), the
 * required-literal filter (reqlit.c: a pattern whose literal a target
 * lacks is not run), the literal and result caches and the JIT compiled
 * on first use to what the pattern says. A target on which either side
 * hits a match limit is not compared. A plan of one distinct pattern
 * has no prefilter; check_match's catalogue-wide differential test
 * covers those.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>

#include "catalog.h"
#include "fuzz_common.h"
#include "match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t pn = nl ? (size_t)(nl - data) : size;
	/* the catalogue: the pattern as a quoted CSV cell, in two rows */
	char *csv = malloc(4 * pn + 160);
	if (!csv)
		abort();
	size_t w = (size_t)sprintf(csv, "gemeente,host,product,info,form,done\n");
	for (int r = 0; r < 2; r++) {
		w += (size_t)sprintf(csv + w, r == 0 ? "A,a.nl,P,\"" : "B,b.nl,Q,,\"");
		for (size_t i = 0; i < pn; i++) {
			if (data[i] == '"')
				csv[w++] = '"';
			csv[w++] = (char)data[i];
		}
		w += (size_t)sprintf(csv + w, r == 0 ? "\",,\n" : "\",\n");
	}
	FILE *fp = fmemopen(csv, w, "r");
	if (!fp)
		abort();
	char err[512];
	catalog *c = catalog_load(fp, "fuzz.csv", err, sizeof err);
	fclose(fp);
	free(csv);
	if (!c)
		return 0;
	matcher *m = c->nrows == 2 && c->rows[0].pat[STEP_INFO] && c->rows[1].pat[STEP_FORM]
	                     ? match_new(c, NULL, err, sizeof err)
	                     : NULL;
	if (!m) {
		catalog_free(c);
		return 0;
	}
	/* the reference: the pattern as the catalogue holds it, interpreted */
	const char *src = c->rows[0].pat[STEP_INFO];
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)src, strlen(src), 0, &ec, &eo, NULL);
	if (!code)
		abort(); /* match_new compiled it */
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (!md || !mc)
		abort();
	pcre2_set_match_limit(mc, 100000);
	pcre2_set_depth_limit(mc, 10000);
	match_ctx *x = match_ctx_new(m);
	if (!x)
		abort();
	match_hit hits[8];
	const uint8_t *p = nl ? nl + 1 : data + size, *end = data + size;
	while (p <= end) {
		const uint8_t *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((e ? e : end) - p);
		char *t = fuzz_dup(p, n);
		int want = pcre2_match(code, (PCRE2_SPTR)t, n, 0, 0, md, mc);
		for (int round = 0; round < 4 && (want >= 0 || want == PCRE2_ERROR_NOMATCH); round++) {
			int g = round & 1; /* A, B, A, B: row g, step g */
			long limits = match_limit_hits(m);
			int got = match_target(x, g, (kr_str){ t, n }, hits, 8);
			if (match_limit_hits(m) != limits)
				break;
			if (got != (want >= 0) || (got == 1 && (hits[0].row != g || hits[0].step != g)))
				abort();
		}
		free(t);
		if (!e)
			break;
		p = e + 1;
	}
	match_ctx_free(x);
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	match_free(m);
	catalog_free(c);
	return 0;
}
