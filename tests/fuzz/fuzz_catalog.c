/*
 * fuzz_catalog.c - libFuzzer harness for the catalogue loader.
 *
 * The input is a catalogue CSV read through fmemopen. A catalogue that
 * loads is written back (catalog_write_csv) and, when that output loads
 * too, compiled (match_new) and run against a few targets and its own
 * hosts. A refusal must come with a message.
 */
#include <stdio.h>

#include "catalog.h"
#include "fuzz_common.h"
#include "match.h"

static catalog *load(const uint8_t *data, size_t size, char *err, size_t errlen)
{
	/* fmemopen refuses size 0 in older glibc; an empty file is /dev/null. */
	char *copy = fuzz_dup(data, size);
	FILE *fp = size ? fmemopen(copy, size, "r") : fopen("/dev/null", "r");
	if (!fp)
		abort();
	err[0] = '\0';
	catalog *c = catalog_load(fp, "fuzz.csv", err, errlen);
	fclose(fp);
	free(copy);
	if (!c && !err[0])
		abort();
	return c;
}

static void exercise(const catalog *c)
{
	static const char *const targets[] = {
		"/", "/paspoort/info", "/verhuizen/formulier?stap=1", "/aaaaaaaaaaaaaaaaaaaaaaaa!",
		"/\xff\xfe\x00x",
	};
	char err[512];
	matcher *m = match_new(c, NULL, err, sizeof err);
	if (!m)
		return;
	match_ctx *x = match_ctx_new(m);
	if (!x)
		abort();
	int max = match_max_hits(m);
	match_hit *hits = malloc(((size_t)max + 1) * sizeof *hits);
	if (!hits)
		abort();
	for (size_t h = 0; h < c->nhosts; h++) {
		kr_str host = { c->hosts[h].host, strlen(c->hosts[h].host) };
		int gem = match_gemeente(x, host);
		if (gem != c->hosts[h].gem)
			abort();
		for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
			kr_str target = { targets[t], strlen(targets[t]) + (t == 4 ? 2 : 0) };
			int n = match_target(x, gem, target, hits, max);
			if (n < 0 || n > max)
				abort();
		}
		const int *rows;
		(void)match_rows(m, gem, &rows);
	}
	for (int g = 0; g < match_ngemeenten(m); g++)
		(void)match_gemeente_name(m, g);
	free(hits);
	match_ctx_free(x);
	match_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	catalog *c = load(data, size, err, sizeof err);
	if (!c)
		return 0;
	for (size_t i = 0; i < c->ngem; i++)
		if (catalog_find_gemeente(c, c->gemeenten[i]) < 0)
			abort();
	char *out = NULL;
	size_t outn = 0;
	FILE *mem = open_memstream(&out, &outn);
	if (!mem)
		abort();
	if (catalog_write_csv(c, mem) < 0)
		abort();
	fclose(mem);
	/* What we write must load back. */
	catalog *back = load((const uint8_t *)out, outn, err, sizeof err);
	if (!back || back->nrows != c->nrows || back->ngem != c->ngem)
		abort();
	catalog_free(back);
	free(out);
	exercise(c);
	catalog_free(c);
	return 0;
}
