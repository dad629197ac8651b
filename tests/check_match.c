/*
 * check_match.c - unit tests for the matcher (klantreis(1), MEASUREMENT,
 * "Gemeenten" and "Steps and visitors"; CATALOGUE): host routing,
 * --gemeente, hit order, empty cells, anchoring, raw-byte
 * targets, the match limit, pattern dedupe, the prefilter's corner cases,
 * built-in mode and its id table under several threads, and the built-in
 * template's patterns against typical municipal URLs.
 *
 * Catalogues are loaded from strings with catalog_load; expected hits are
 * worked out by hand from the patterns.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "check_suites.h"
#include "catalog.h"
#include "match.h"

#define S(lit) ((kr_str){ (lit), sizeof(lit) - 1 })

static char err[512];

static catalog *load_str(const char *s)
{
	FILE *fp = fmemopen((void *)(uintptr_t)s, strlen(s), "r");
	ck_assert_ptr_nonnull(fp);
	catalog *c = catalog_load(fp, "cat.csv", err, sizeof err);
	fclose(fp);
	ck_assert_msg(c != NULL, "%s", err);
	return c;
}

/* Runs match_target and renders the hits as "row.step row.step ...". */
static const char *hits(match_ctx *x, int gem, kr_str target)
{
	static char buf[1024];
	match_hit h[64];
	int n = match_target(x, gem, target, h, 64);
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%d.%d", i ? " " : "",
		                      h[i].row, h[i].step);
	return buf;
}

static const char *const cat3 =
	"gemeente,host,product,info,form,done\n"
	"Alpha,www.alpha.nl alpha.nl,P1,^/p1$,/form/p1,/p1/done\n"
	"Beta,beta.nl,P1,^/p1$,,/p1/klaar\n"
	"Alpha,,P2,p2,/form/p2,\n";

START_TEST(test_routing)
{
	catalog *c = load_str(cat3);
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(match_gemeente(x, S("alpha.nl")), 0);
	ck_assert_int_eq(match_gemeente(x, S("www.alpha.nl")), 0);
	ck_assert_int_eq(match_gemeente(x, S("beta.nl")), 1);
	ck_assert_int_eq(match_gemeente(x, S("gamma.nl")), -1);
	ck_assert_int_eq(match_gemeente(x, S("alpha.n")), -1);
	ck_assert_int_eq(match_gemeente(x, S("alpha.nlx")), -1);
	ck_assert_int_eq(match_gemeente(x, ((kr_str){ "beta.nl/", 7 })), 1);
	/* no host, two gemeenten: unknown */
	ck_assert_int_eq(match_gemeente(x, ((kr_str){ NULL, 0 })), -1);
	ck_assert_int_eq(match_ngemeenten(m), 2);
	ck_assert_str_eq(match_gemeente_name(m, 0), "Alpha");
	ck_assert_str_eq(match_gemeente_name(m, 1), "Beta");
	ck_assert_ptr_null(match_gemeente_name(m, 2));
	const int *rows;
	ck_assert_int_eq(match_rows(m, 0, &rows), 2);
	ck_assert_int_eq(rows[0], 0);
	ck_assert_int_eq(rows[1], 2);
	ck_assert_int_eq(match_rows(m, 1, &rows), 1);
	ck_assert_int_eq(rows[0], 1);
	ck_assert_int_eq(match_rows(m, 2, &rows), 0);
	ck_assert_int_eq(match_rows(m, -1, &rows), 0);
	ck_assert_int_eq(match_max_hits(m), 5);
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

START_TEST(test_single_gemeente_and_force)
{
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "Solo,solo.nl,P,/p,,\n");
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	ck_assert_int_eq(match_gemeente(x, S("")), 0);
	ck_assert_int_eq(match_gemeente(x, S("solo.nl")), 0);
	ck_assert_int_eq(match_gemeente(x, S("other.nl")), -1);
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);

	c = load_str(cat3);
	m = match_new(c, "Beta", err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	x = match_ctx_new(m);
	ck_assert_int_eq(match_gemeente(x, S("alpha.nl")), 1);
	ck_assert_int_eq(match_gemeente(x, S("gamma.nl")), 1);
	ck_assert_int_eq(match_gemeente(x, S("")), 1);
	ck_assert_int_eq(match_ngemeenten(m), 2);
	match_ctx_free(x);
	match_free(m);

	strcpy(err, "junk");
	ck_assert_ptr_null(match_new(c, "Gamma", err, sizeof err));
	ck_assert_str_eq(err, "cat.csv: column 'gemeente': no gemeente 'Gamma' (--gemeente)");
	ck_assert_ptr_null(match_new(c, "alpha", err, sizeof err));
	ck_assert_str_eq(err, "cat.csv: column 'gemeente': no gemeente 'alpha' (--gemeente)");
	catalog_free(c);
}
END_TEST

START_TEST(test_hits_order_anchoring)
{
	catalog *c = load_str(cat3);
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	ck_assert_str_eq(hits(x, 0, S("/p1")), "0.0");
	ck_assert_str_eq(hits(x, 0, S("/p1/")), "");        /* ^/p1$ is anchored */
	ck_assert_str_eq(hits(x, 0, S("/x/p1")), "");
	ck_assert_str_eq(hits(x, 0, S("/form/p1")), "0.1");
	ck_assert_str_eq(hits(x, 0, S("/form/p1/done")), "0.1 0.2");
	ck_assert_str_eq(hits(x, 0, S("/form/p1/done?p2")), "0.1 0.2 2.0");
	ck_assert_str_eq(hits(x, 0, S("/form/p2/p1/done")), "0.2 2.0 2.1");
	ck_assert_str_eq(hits(x, 0, S("/q?a=p2")), "2.0");  /* p2 is unanchored */
	ck_assert_str_eq(hits(x, 0, S("/P2")), "");         /* case-sensitive */
	ck_assert_str_eq(hits(x, 0, S("")), "");
	ck_assert_str_eq(hits(x, 0, ((kr_str){ NULL, 0 })), "");
	/* Beta has no form pattern: an empty cell never matches */
	ck_assert_str_eq(hits(x, 1, S("/form/p1")), "");
	ck_assert_str_eq(hits(x, 1, S("/p1")), "1.0");
	ck_assert_str_eq(hits(x, 1, S("/p1/klaar")), "1.2");
	ck_assert_str_eq(hits(x, 1, S("/form/p2")), "");    /* Alpha's row */
	ck_assert_str_eq(hits(x, -1, S("/p1")), "");
	ck_assert_str_eq(hits(x, 7, S("/p1")), "");

	/* max cuts the list, in order */
	match_hit h[2];
	ck_assert_int_eq(match_target(x, 0, S("/form/p1/done?p2"), h, 2), 2);
	ck_assert_int_eq(h[0].row, 0);
	ck_assert_int_eq(h[0].step, STEP_FORM);
	ck_assert_int_eq(h[1].row, 0);
	ck_assert_int_eq(h[1].step, STEP_DONE);
	ck_assert_int_eq(match_target(x, 0, S("/form/p1/done?p2"), h, 0), 0);
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

START_TEST(test_empty_cells_never_match)
{
	/* a row with no patterns at all, next to one whose pattern matches
	 * anything (x* matches the empty string) */
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,a.nl,Leeg,,,\n"
	                      "A,a.nl,Alles,,x*,\n");
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	ck_assert_str_eq(hits(x, 0, S("")), "1.1");
	ck_assert_str_eq(hits(x, 0, S("/")), "1.1");
	ck_assert_str_eq(hits(x, 0, S("/anything?q=1")), "1.1");
	ck_assert_int_eq(match_max_hits(m), 1);
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

START_TEST(test_raw_bytes)
{
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,a.nl,P,^/p1$,p2,\\xff\\xfe\n");
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	/* NUL bytes are ordinary bytes: p2 after one is found, and $ does not
	 * match before a trailing NUL */
	ck_assert_str_eq(hits(x, 0, S("/a\0/p2")), "0.1");
	ck_assert_str_eq(hits(x, 0, S("/p1\0")), "");
	ck_assert_str_eq(hits(x, 0, S("\0/p1")), "");
	/* the target is length-delimited: bytes after n are not looked at */
	ck_assert_str_eq(hits(x, 0, ((kr_str){ "/p1XYZ", 3 })), "0.0");
	ck_assert_str_eq(hits(x, 0, ((kr_str){ "/xp2", 3 })), "");
	/* invalid UTF-8 is fine, and bytes match bytes */
	ck_assert_str_eq(hits(x, 0, S("/\xc3(\xff\xfe/p2")), "0.1 0.2");
	ck_assert_str_eq(hits(x, 0, S("/\xe2\x82/\xfe\xff")), "");
	ck_assert_str_eq(hits(x, 0, S("\xff\xfe")), "0.2");
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

START_TEST(test_bad_pattern)
{
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,a.nl,P,/ok,/ok2,\n"
	                      "A,a.nl,Q,/ok,(abc,/d\n");
	strcpy(err, "junk");
	ck_assert_ptr_null(match_new(c, NULL, err, sizeof err));
	const char *prefix = "cat.csv:3: column 'form': ";
	ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0, "%s", err);
	ck_assert_msg(strstr(err, " at offset 4") != NULL, "%s", err);
	ck_assert_str_eq(err, "cat.csv:3: column 'form': missing closing parenthesis at offset 4");
	catalog_free(c);

	c = load_str("gemeente,host,product,info,form,done\n"
	             "A,a.nl,P,/ok,,[z-a]\n");
	ck_assert_ptr_null(match_new(c, NULL, err, sizeof err));
	ck_assert_msg(strncmp(err, "cat.csv:2: column 'done': ", 26) == 0, "%s", err);
	ck_assert_msg(strstr(err, "offset") != NULL, "%s", err);
	catalog_free(c);
}
END_TEST

START_TEST(test_match_limit_and_dedupe)
{
	/* the same catastrophic pattern on two rows (compiled and run once per
	 * target), next to an ordinary pattern */
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,a.nl,Ok,^/ok,,\n"
	                      "A,a.nl,Boom,(a+)+$,,\n"
	                      "A,a.nl,Boom2,,(a+)+$,\n");
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	ck_assert_int_eq(match_limit_hits(m), 0);
	ck_assert_int_eq(match_limit_line(m), 0);
	ck_assert_str_eq(hits(x, 0, S("aaaa")), "1.0 2.1");
	ck_assert_int_eq(match_limit_hits(m), 0);
	kr_str boom = S("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"); /* 36 a's */
	ck_assert_str_eq(hits(x, 0, boom), "");
	ck_assert_int_eq(match_limit_hits(m), 1);
	ck_assert_int_eq(match_limit_line(m), 3);
	ck_assert_str_eq(hits(x, 0, S("/ok/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")), "0.0");
	ck_assert_int_eq(match_limit_hits(m), 2);
	ck_assert_int_eq(match_limit_line(m), 3);
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

/* match_target remembers recent results per context; a remembered answer
 * must be exactly the patterns' answer. */
START_TEST(test_result_cache)
{
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,a.nl,P,^/p$,^/p/form,\n"
	                      "B,b.nl,P,^/q$,^/p$,\n"
	                      "A,a.nl,Boom,(a+)+$,,\n");
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	/* the same target under two gemeenten: two answers, again and again */
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(hits(x, 0, S("/p")), "0.0");
		ck_assert_str_eq(hits(x, 1, S("/p")), "1.1");
	}
	/* a target that hits the match limit is never remembered: each time
	 * counts */
	kr_str boom = S("aaaaaaaaaaaaaaaaaaaaaaaaaaaaa!");
	for (int i = 1; i <= 3; i++) {
		ck_assert_str_eq(hits(x, 0, boom), "");
		ck_assert_int_eq(match_limit_hits(m), i);
	}
	/* targets of 41 and 42 bytes that differ only at the end */
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")), "0.1 2.0");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")), "0.1");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")), "0.1 2.0");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")), "0.1 2.0");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")), "0.1");
	/* the same at 56 bytes (the longest the caches hold) and 57 */
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")), "0.1 2.0");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")), "0.1");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")), "0.1 2.0");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")), "0.1 2.0");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")), "0.1");
	ck_assert_str_eq(hits(x, 0, S("/p/form/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")), "0.1 2.0");
	/* a prefix of a remembered target is another target */
	ck_assert_str_eq(hits(x, 0, S("/p/for")), "");
	/* far more targets than the cache holds, twice over: every answer is
	 * still right after evictions */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 40000; i++) {
			char t[32];
			int n = snprintf(t, sizeof t, i % 2 ? "/p/form%d" : "/x%d", i);
			ck_assert_str_eq(hits(x, i % 3 == 0, ((kr_str){ t, (size_t)n })),
			                 i % 2 ? (i % 3 == 0 ? "" : "0.1") : "");
		}
	ck_assert_str_eq(hits(x, 0, S("/p")), "0.0");
	ck_assert_str_eq(hits(x, 1, S("/p")), "1.1");
	/* keys of every length up to past the cache's, differing in one byte
	 * anywhere: each keeps its own answer, first time and cached */
	catalog *c2 = load_str("gemeente,host,product,info,form,done\n"
	                       "A,a.nl,P,^/a*$,,\n");
	matcher *m2 = match_new(c2, NULL, err, sizeof err);
	ck_assert_msg(m2 != NULL, "%s", err);
	match_ctx *x2 = match_ctx_new(m2);
	for (int len = 1; len <= 44; len++) {
		char t[64], u[64];
		t[0] = '/';
		memset(t + 1, 'a', (size_t)len - 1);
		kr_str all_a = { t, (size_t)len };
		for (int i = 1; i < len; i++) {
			memcpy(u, t, (size_t)len);
			u[i] = 'b';
			kr_str one_b = { u, (size_t)len };
			for (int round = 0; round < 2; round++) {
				ck_assert_msg(strcmp(hits(x2, 0, all_a), "0.0") == 0, "len %d", len);
				ck_assert_msg(strcmp(hits(x2, 0, one_b), "") == 0, "len %d at %d", len, i);
			}
		}
	}
	match_ctx_free(x2);
	match_free(m2);
	catalog_free(c2);
	/* a cut answer (max 1) is not remembered as the whole one */
	match_hit h[4];
	kr_str t2 = S("/p/form/aaaa");
	ck_assert_int_eq(match_target(x, 0, t2, h, 1), 1);
	ck_assert_str_eq(hits(x, 0, t2), "0.1 2.0");
	ck_assert_int_eq(match_target(x, 0, t2, h, 1), 1);
	ck_assert_int_eq(h[0].row, 0);
	ck_assert_int_eq(h[0].step, 1);
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

/* Gemeenten with the same patterns share one compiled prefilter; each
 * still answers with its own rows. */
START_TEST(test_shared_prefilter)
{
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,a.nl,P,^/p$,^/f$,^/d\n"
	                      "B,b.nl,P,^/p$,^/f$,^/d\n"
	                      "C,c.nl,P,^/p$,^/g$,^/d\n"
	                      "B,b.nl,Q,^/q$,,\n");
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	ck_assert_str_eq(hits(x, 0, S("/p")), "0.0");
	ck_assert_str_eq(hits(x, 1, S("/p")), "1.0");
	ck_assert_str_eq(hits(x, 2, S("/p")), "2.0");
	ck_assert_str_eq(hits(x, 0, S("/f")), "0.1");
	ck_assert_str_eq(hits(x, 1, S("/f")), "1.1");
	ck_assert_str_eq(hits(x, 2, S("/f")), "");
	ck_assert_str_eq(hits(x, 2, S("/g")), "2.1");
	ck_assert_str_eq(hits(x, 0, S("/q")), "");
	ck_assert_str_eq(hits(x, 1, S("/q")), "3.0");
	ck_assert_str_eq(hits(x, 1, S("/done")), "1.2");
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

/* A catalogue of many distinct patterns is compiled by several threads
 * (match_new_jobs): the same answers as one thread, and of two patterns
 * that do not compile the first in catalogue order is reported, with its
 * line and column, whichever thread got to it first. */
static char *many_patterns(int ngem, int bad1, int bad2)
{
	size_t cap = (size_t)ngem * 200 + 64, o = 0;
	char *s = malloc(cap);
	ck_assert_ptr_nonnull(s);
	o += (size_t)snprintf(s + o, cap - o, "gemeente,host,product,info,form,done\n");
	for (int g = 0; g < ngem; g++)
		o += (size_t)snprintf(s + o, cap - o, "G%d,g%d.nl,P,^/p%d/?$,^/f/%d%s,^/d%d\n", g, g,
		                      g, g, g == bad1 || g == bad2 ? "(" : "", g);
	return s;
}

START_TEST(test_compile_threads)
{
	char *text = many_patterns(300, -1, -1); /* 900 distinct patterns */
	catalog *c = load_str(text);
	matcher *m1 = match_new_jobs(c, NULL, 1, err, sizeof err);
	ck_assert_msg(m1 != NULL, "%s", err);
	matcher *m4 = match_new_jobs(c, NULL, 4, err, sizeof err);
	ck_assert_msg(m4 != NULL, "%s", err);
	match_ctx *x1 = match_ctx_new(m1), *x4 = match_ctx_new(m4);
	static const char *const targets[] = { "/p7", "/p7/", "/p77", "/f/123/x", "/d299", "/d3" };
	for (int g = 0; g < 300; g += 7)
		for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
			kr_str k = { targets[t], strlen(targets[t]) };
			char a[64];
			snprintf(a, sizeof a, "%s", hits(x1, g, k));
			ck_assert_str_eq(hits(x4, g, k), a);
		}
	ck_assert_str_eq(hits(x4, 7, S("/p7/")), "7.0");
	ck_assert_str_eq(hits(x4, 299, S("/d299")), "299.2");
	ck_assert_int_eq(match_max_hits(m4), match_max_hits(m1));
	match_ctx_free(x1);
	match_ctx_free(x4);
	match_free(m1);
	match_free(m4);
	catalog_free(c);
	free(text);
	text = many_patterns(300, 250, 200);
	c = load_str(text);
	for (int jobs = 1; jobs <= 8; jobs *= 2) {
		ck_assert_ptr_null(match_new_jobs(c, NULL, jobs, err, sizeof err));
		ck_assert_msg(strncmp(err, "cat.csv:202: column 'form': missing closing parenthesis",
		                      55) == 0, "jobs %d: %s", jobs, err);
	}
	catalog_free(c);
	free(text);
}
END_TEST

/* Patterns are JIT-compiled on first use: threads that meet the same
 * patterns for the first time at the same moment (each with its own
 * context) all get the answers of a matcher used by one thread. */
typedef struct {
	matcher *m;
	char got[300][3][16];
} lazy_arg;

static void *lazy_hammer(void *arg)
{
	lazy_arg *a = arg;
	match_ctx *x = match_ctx_new(a->m);
	if (!x)
		return NULL;
	for (int g = 0; g < 300; g++)
		for (int k = 0; k < 3; k++) {
			char t[32];
			int n = k == 0 ? snprintf(t, sizeof t, "/p%d/", g)
			      : k == 1 ? snprintf(t, sizeof t, "/f/%d/x", g) : snprintf(t, sizeof t, "/d%d", g);
			match_hit h[4]; /* not hits(): its buffer is shared */
			int nh = match_target(x, g, (kr_str){ t, (size_t)n }, h, 4);
			snprintf(a->got[g][k], sizeof a->got[g][k], "%d:%d.%d", nh, nh ? h[0].row : -1,
			         nh ? h[0].step : -1);
		}
	match_ctx_free(x);
	return NULL;
}

START_TEST(test_lazy_jit_threads)
{
	char *text = many_patterns(300, -1, -1);
	catalog *c = load_str(text);
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	static lazy_arg a[4];
	pthread_t th[4];
	for (int t = 0; t < 4; t++) {
		a[t].m = m;
		ck_assert_int_eq(pthread_create(&th[t], NULL, lazy_hammer, &a[t]), 0);
	}
	for (int t = 0; t < 4; t++)
		pthread_join(th[t], NULL);
	for (int g = 0; g < 300; g++)
		for (int k = 0; k < 3; k++) {
			char want[16];
			snprintf(want, sizeof want, "1:%d.%d", g, k);
			for (int t = 0; t < 4; t++)
				ck_assert_str_eq(a[t].got[g][k], want);
		}
	match_free(m);
	catalog_free(c);
	free(text);
}
END_TEST

/* Gemeenten whose checks run the same patterns in the same order share
 * result-cache entries (the plan's shape), whatever their rows and steps:
 * each answer from the cache is in the asking gemeente's own rows and
 * steps, first time and cached, in any order of asking. */
START_TEST(test_shared_shape)
{
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,a.nl,P,^/p$,^/f,\n"           /* row 0 */
	                      "B,b.nl,Q,,^/p$,^/f\n"           /* row 1: other steps */
	                      "C,c.nl,P,^/p$,,\n"              /* row 2: split over */
	                      "C,c.nl,Q,,^/f,\n"               /* row 3: two rows */
	                      "D,d.nl,P,^/f,^/p$,\n"           /* row 4: other order */
	                      "E,e.nl,P,^/p$,^/f,^/p$\n");     /* row 5: one more */
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	static const char *const want_p[] = { "0.0", "1.1", "2.0", "4.1", "5.0 5.2" };
	static const char *const want_f[] = { "0.1", "1.2", "3.1", "4.0", "5.1" };
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 5; i++) {
			int g = round == 1 ? 4 - i : i;
			ck_assert_str_eq(hits(x, g, S("/p")), want_p[g]);
			ck_assert_str_eq(hits(x, g, S("/f/x")), want_f[g]);
			ck_assert_str_eq(hits(x, g, S("/q")), "");
		}
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

/* A deterministic pseudo-random number generator (xorshift). */
static unsigned rnd(unsigned long long *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return (unsigned)(*st >> 11);
}

#define PICK(st, a) ((a)[rnd(st) % (sizeof(a) / sizeof(a)[0])])

static const char *const lit_products[] = { "paspoort", "rijbewijs", "afval-ophalen", "lit01",
	                                    "lit02", "lit03" };
static const char *const lit_pieces[] = { "ab", "/e-f", "x", "-", "\\.", ".", "\\d", "[ab]",
	                                  "(ab)?", "(?:ab|x)", "(?=a)", "$", "abab", "|", "(?i)",
	                                  "(a)\\1", "abc+", "abx{2}", "/g" };

/* A pattern for the catalogue: mostly the shapes of genlog's own-pattern
 * catalogues (required literals, anchored or not), some random. */
static void lit_pattern(unsigned long long *st, int g, char *p, size_t cap)
{
	const char *pr = PICK(st, lit_products);
	size_t o = 0;
	switch (rnd(st) % 5) {
	case 0:
		snprintf(p, cap, "^/(producten/)?%s/?([?]|$)(/g%d)?", pr, g);
		return;
	case 1:
		snprintf(p, cap, "^/e-formulier/%s(/start)?/?([?]|$)(/g%d)?", pr, g);
		return;
	case 2:
		snprintf(p, cap, "^/e-formulier/%s/(bedankt|verzonden)(/g%d)?", pr, g);
		return;
	default:
		if (rnd(st) % 2)
			p[o++] = '^';
		for (int i = 0, n = 1 + (int)(rnd(st) % 5); i < n; i++)
			o += (size_t)snprintf(p + o, cap - o, "%s", rnd(st) % 3 ? PICK(st, lit_pieces) : pr);
		p[o] = '\0';
	}
}

static size_t lit_target(unsigned long long *st, char *t, size_t cap)
{
	static const char *const pieces[] = { "/", "producten/", "e-formulier/", "start", "bedankt",
		                              "/g3", "?x=1", "ab", "x", "-", ".", "1", "/e-f", "abab",
		                              "/e-formulier/paspoort/", "/producten/rijbewijs" };
	size_t o = 0;
	if (rnd(st) % 50 == 0) /* every literal: more than a scan lists */
		for (int i = 0; i < 40; i++)
			o += (size_t)snprintf(t + o, cap - o, "lit%02d%s", i, PICK(st, lit_products));
	for (int i = 0, n = (int)(rnd(st) % 7); i < n; i++)
		o += (size_t)snprintf(t + o, cap - o, "%s",
		                      rnd(st) % 3 ? PICK(st, pieces) : PICK(st, lit_products));
	return o;
}

/* The required-literal filter, the prefilters and both caches against
 * PCRE2 itself: a catalogue of many gemeenten with patterns of their own
 * (and some random ones, with and without a literal), many targets
 * (short, long, with more literals than a scan lists), each asked twice:
 * every answer is that of running each pattern of the gemeente. */
START_TEST(test_literal_filter_differential)
{
	enum { NGEM = 40, NROWS = 4, NTARGETS = 600 };
	unsigned long long st = 0x853c49e6748fea9bull;
	size_t cap = (size_t)NGEM * NROWS * 3 * 200 + 4096, o = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	o += (size_t)snprintf(text + o, cap - o, "gemeente,host,product,info,form,done\n");
	for (int g = 0; g < NGEM; g++)
		for (int r = 0; r < NROWS; r++) {
			char p[3][160];
			for (int k = 0; k < 3; k++) {
				lit_pattern(&st, g, p[k], sizeof p[k]);
				/* the random ones must compile, and stay one CSV cell */
				int ec;
				PCRE2_SIZE eo;
				pcre2_code *code = pcre2_compile((PCRE2_SPTR)p[k], PCRE2_ZERO_TERMINATED, 0,
				                                 &ec, &eo, NULL);
				if (!code)
					snprintf(p[k], sizeof p[k], "lit%02d", (int)(rnd(&st) % 40));
				pcre2_code_free(code);
			}
			o += (size_t)snprintf(text + o, cap - o, "G%d,g%d.nl,P%d,%s,%s,%s\n", g, g, r,
			                      p[0], p[1], p[2]);
		}
	/* one gemeente with more literals than a scan lists */
	for (int r = 0; r < 40; r++)
		o += (size_t)snprintf(text + o, cap - o, "G%d,g%d.nl,P%d,lit%02d,,\n", NGEM, NGEM, r, r);
	catalog *c = load_str(text);
	free(text);
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	pcre2_code **code = calloc(c->nrows * STEP_COUNT, sizeof *code);
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	ck_assert_ptr_nonnull(code);
	for (size_t r = 0; r < c->nrows; r++)
		for (int k = 0; k < STEP_COUNT && c->rows[r].pat[k]; k++) {
			int ec;
			PCRE2_SIZE eo;
			code[r * STEP_COUNT + k] = pcre2_compile((PCRE2_SPTR)c->rows[r].pat[k],
			                                         PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
			ck_assert_ptr_nonnull(code[r * STEP_COUNT + k]);
		}
	long matched = 0;
	for (int i = 0; i < NTARGETS; i++) {
		char t[1024];
		size_t n = lit_target(&st, t, sizeof t);
		for (int g = 0; g <= NGEM; g++) {
			char want[1024] = "";
			size_t w = 0;
			for (size_t r = 0; r < c->nrows; r++)
				for (int k = 0; k < STEP_COUNT && c->rows[r].gem == g; k++)
					if (c->rows[r].pat[k] && pcre2_match(code[r * STEP_COUNT + k], (PCRE2_SPTR)t, n, 0, 0, md,
					                NULL) >= 0)
						w += (size_t)snprintf(want + w, sizeof want - w, "%s%zu.%d",
						                      w ? " " : "", r, k);
			matched += w > 0;
			for (int round = 0; round < 2; round++)
				ck_assert_msg(strcmp(hits(x, g, ((kr_str){ t, n })), want) == 0,
				              "gemeente %d, target '%.*s': got '%s', want '%s'", g, (int)n, t,
				              hits(x, g, ((kr_str){ t, n })), want);
		}
	}
	ck_assert_int_gt(matched, 1000); /* the test did test something */
	ck_assert_int_eq(match_limit_hits(m), 0);
	for (size_t r = 0; r < c->nrows * STEP_COUNT; r++)
		pcre2_code_free(code[r]);
	free(code);
	pcre2_match_data_free(md);
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

/* The first-byte filter (a target "/" b ... that no pattern of the
 * gemeente can match is answered without matching) against PCRE2 itself:
 * anchored patterns with the constructs that make partial matching
 * subtle, every byte after the '/', several continuations. */
START_TEST(test_first_byte_filter)
{
	static const char *const pats[] = {
		"^/(producten/)?paspoort/?([?]|$)", "^/e-formulier/a", "(?i)^/Zoeken",
		"^/x\\B", "^/y\\b", "^/q(?=r)", "^/w(?!v)", "^/[^a-z]", "^/\\d+$", "^/.",
		"^/$", "^/(?:k|\\x80|\\xff)", "^/(?:)?m*n", "\\A/t", "^/(?<=/)s", "^/(a|ab)c",
		/* the literal shortcut (literal_second) and the patterns it must leave
		 * to PCRE2 */
		"^/ab", "^/a?b", "^/a*b", "^/a{0}b", "^/ab|^/cd", "^/Ab+", "^/-x", "^/_",
		"^/9$", "^/a(?i)b", "^/a\\Kb", "^/c{1}d", "^/b(?#x)|^/d",
		"^/a[](]|^/x[])]", "^/a[^]|]|^/b", "^/e-formulier/x(/start)?/?([?]|$)",
		"^/a(?:b|c)d", "^/a(b|(c))|^/d",
	};
	const int np = (int)(sizeof pats / sizeof pats[0]);
	ck_assert_int_le(np, 64);
	char csv[4096] = "gemeente,host,product,info,form,done\n";
	for (int i = 0; i < np; i++) {
		/* one gemeente per pattern, so each has its own filter */
		snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "G%02d,g%d.nl,P,\"%s\",,\n",
		         i, i, pats[i]);
	}
	catalog *c = load_str(csv);
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	pcre2_code *code[64];
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	for (int i = 0; i < np; i++) {
		int ec;
		PCRE2_SIZE eo;
		code[i] = pcre2_compile((PCRE2_SPTR)pats[i], PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
		ck_assert_ptr_nonnull(code[i]);
	}
	static const char *const tails[] = { "", "r", "v", "a", "1", "/", "bc", "aspoort", "oeken",
	                                     "b", "d", "x", "B", "]", ")" };
	long matched = 0;
	for (int b = 0; b < 256; b++) {
		for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
			char tg[32];
			tg[0] = '/';
			tg[1] = (char)b;
			size_t n = 2 + strlen(tails[t]);
			memcpy(tg + 2, tails[t], n - 2);
			for (int i = 0; i < np; i++) {
				char want[16] = "";
				if (pcre2_match(code[i], (PCRE2_SPTR)tg, n, 0, 0, md, NULL) >= 0) {
					snprintf(want, sizeof want, "%d.0", i);
					matched++;
				}
				for (int round = 0; round < 2; round++)
					ck_assert_msg(strcmp(hits(x, i, ((kr_str){ tg, n })), want) == 0,
					              "%s: byte %d tail '%s': got '%s', want '%s'", pats[i],
					              b, tails[t], hits(x, i, ((kr_str){ tg, n })), want);
			}
		}
	}
	ck_assert_int_gt(matched, 20);
	for (int i = 0; i < np; i++)
		pcre2_code_free(code[i]);
	pcre2_match_data_free(md);
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

START_TEST(test_prefilter_corners)
{
	/* patterns that must not be merged blindly into one alternation:
	 * a back reference (group numbers shift), a backtracking verb that
	 * aborts the whole match, extended mode with a comment, and (?i)
	 * that must stay inside its own pattern */
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "G,g.nl,A,(a)x,(b)\\1,a(*COMMIT)b\n"
	                      "G,g.nl,B,c,(?x) d e # comment,(?i)ABC\n"
	                      "G,g.nl,C,xyz,(?<n>q)\\k<n>,\n");
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	ck_assert_str_eq(hits(x, 0, S("bb")), "0.1");
	ck_assert_str_eq(hits(x, 0, S("ac")), "1.0");
	ck_assert_str_eq(hits(x, 0, S("de")), "1.1");
	ck_assert_str_eq(hits(x, 0, S("d e")), "");
	ck_assert_str_eq(hits(x, 0, S("abc")), "0.2 1.0 1.2");
	ck_assert_str_eq(hits(x, 0, S("XYZ")), "");
	ck_assert_str_eq(hits(x, 0, S("xyz")), "2.0");
	ck_assert_str_eq(hits(x, 0, S("aqq")), "2.1");
	ck_assert_str_eq(hits(x, 0, S("ax")), "0.0");
	ck_assert_str_eq(hits(x, 0, S("/nothing/here")), "");
	match_ctx_free(x);
	match_free(m);
	catalog_free(c);
}
END_TEST

START_TEST(test_builtin_mode)
{
	catalog *b = catalog_builtin();
	ck_assert_ptr_nonnull(b);
	matcher *m = match_new(b, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	match_ctx *y = match_ctx_new(m);
	ck_assert_int_eq(match_ngemeenten(m), 0);
	ck_assert_int_eq(match_gemeente(x, S("www.b.nl")), 0);
	ck_assert_int_eq(match_gemeente(x, S("a.nl")), 1);
	ck_assert_int_eq(match_gemeente(y, S("www.b.nl")), 0);
	ck_assert_int_eq(match_gemeente(x, S("")), 2);
	ck_assert_int_eq(match_gemeente(y, S("-")), 2);
	ck_assert_int_eq(match_gemeente(y, S("c.nl")), 3);
	ck_assert_int_eq(match_gemeente(x, S("a.nl")), 1);
	ck_assert_int_eq(match_gemeente(x, S("c.nl")), 3);
	/* www.X and X are one gemeente, named X, whichever comes first and
	 * in either context; "www." is kept when no dot would remain */
	ck_assert_int_eq(match_gemeente(y, S("b.nl")), 0);
	ck_assert_int_eq(match_gemeente(x, S("b.nl")), 0);
	ck_assert_int_eq(match_gemeente(y, S("www.a.nl")), 1);
	ck_assert_int_eq(match_gemeente(x, S("www.nl")), 4);
	ck_assert_int_eq(match_gemeente(x, S("nl")), 5);
	ck_assert_int_eq(match_gemeente(x, S("www.www.c.nl")), 6);
	ck_assert_int_eq(match_ngemeenten(m), 7);
	ck_assert_str_eq(match_gemeente_name(m, 0), "b.nl");
	ck_assert_str_eq(match_gemeente_name(m, 1), "a.nl");
	ck_assert_str_eq(match_gemeente_name(m, 2), "-");
	ck_assert_str_eq(match_gemeente_name(m, 3), "c.nl");
	ck_assert_str_eq(match_gemeente_name(m, 4), "www.nl");
	ck_assert_str_eq(match_gemeente_name(m, 5), "nl");
	ck_assert_str_eq(match_gemeente_name(m, 6), "www.c.nl");
	ck_assert_ptr_null(match_gemeente_name(m, 7));
	/* every gemeente shares the template rows */
	const int *r0, *r3;
	ck_assert_int_eq(match_rows(m, 0, &r0), 10);
	ck_assert_int_eq(match_rows(m, 3, &r3), 10);
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(r0[i], i);
		ck_assert_int_eq(r3[i], i);
	}
	ck_assert_int_eq(match_rows(m, 7, &r0), 0);
	ck_assert_int_eq(match_max_hits(m), 30);
	ck_assert_str_eq(hits(x, 1, S("/verhuizen")), "0.0");
	ck_assert_str_eq(hits(y, 3, S("/verhuizen")), "0.0");
	match_ctx_free(x);
	match_ctx_free(y);
	match_free(m);

	m = match_new(b, "Mijn gemeente", err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	x = match_ctx_new(m);
	ck_assert_int_eq(match_gemeente(x, S("a.nl")), 0);
	ck_assert_int_eq(match_gemeente(x, S("")), 0);
	ck_assert_int_eq(match_ngemeenten(m), 1);
	ck_assert_str_eq(match_gemeente_name(m, 0), "Mijn gemeente");
	ck_assert_str_eq(hits(x, 0, S("/e-formulier/verhuizing")), "0.1");
	match_ctx_free(x);
	match_free(m);
	catalog_free(b);
}
END_TEST

/* The built-in template against typical URLs: expected "row.step" hits. */
START_TEST(test_builtin_patterns)
{
	static const struct {
		const char *target, *want;
	} t[] = {
		/* 0 Verhuizing doorgeven */
		{ "/verhuizen", "0.0" },
		{ "/producten/verhuizing-doorgeven?utm=x", "0.0" },
		{ "/loket/verhuizing-naar-utrecht.html", "0.0" },
		{ "/Wonen/Verhuizen/", "0.0" },
		{ "/e-formulier/verhuizing", "0.1" },
		{ "/formulieren/verhuizing-doorgeven?stap=2", "0.1" },
		{ "/digid/verhuizen", "0.1" },
		{ "/e-formulier/verhuizing/bedankt", "0.2" },
		{ "/formulier/verhuizen?status=verzonden", "0.2" },
		{ "/nieuws/verhuizen-van-het-stadhuis", "" },
		{ "/formatie/verhuizen", "0.0" },
		{ "/afspraak/verhuizen", "" },
		/* 1 Parkeervergunning */
		{ "/parkeren/parkeervergunning-bewoners", "1.0" },
		{ "/bewonersvergunning", "1.0" },
		{ "/formulieren/parkeervergunning-aanvragen", "1.1" },
		{ "/formulieren/parkeervergunning-aanvragen/bevestiging", "1.2" },
		/* 2 Uittreksel BRP */
		{ "/uittreksel-brp", "2.0" },
		{ "/burgerzaken/uittreksel-basisregistratie-personen/", "2.0" },
		{ "/aanvragen/uittreksel-brp", "2.1" },
		{ "/aanvragen/uittreksel-brp/afgerond", "2.2" },
		/* 3 Paspoort of ID-kaart, 4 Rijbewijs */
		{ "/paspoort-en-identiteitskaart", "3.0" },
		{ "/id-kaart", "3.0" },
		{ "/afspraak-maken?product=paspoort", "3.1" },
		{ "/afspraak/paspoort/bevestiging", "3.2" },
		{ "/rijbewijs-verlengen", "4.0" },
		{ "/afspraken/rijbewijs", "4.1" },
		{ "/afspraken/rijbewijs/bevestiging", "4.2" },
		/* 5 Grofvuil, 6 Melding openbare ruimte */
		{ "/afval/grofvuil-laten-ophalen", "5.0" },
		{ "/formulier/grofvuil", "5.1" },
		{ "/formulier/grofvuil/klaar", "5.2" },
		{ "/melding-openbare-ruimte", "6.0" },
		{ "/e-formulier/melding-openbare-ruimte", "6.1" },
		{ "/e-formulier/mor?stap=1", "6.1" },
		{ "/e-formulier/melding-openbare-ruimte/verzonden", "6.2" },
		{ "/e-formulier/more", "" },
		/* 7 Geboorteaangifte, 8 Bijstand, 9 Kwijtschelding */
		{ "/geboorteaangifte", "7.0" },
		{ "/aangifte-geboorte", "7.0" },
		{ "/formulier/geboorte-aangifte", "7.1" },
		{ "/formulier/geboorte-aangifte/bedankt", "7.2" },
		{ "/werk-en-inkomen/bijstandsuitkering-aanvragen", "8.0" },
		{ "/aanvraag/bijstand", "8.1" },
		{ "/aanvraag/bijstand/voltooid", "8.2" },
		{ "/belastingen/kwijtschelding-gemeentelijke-belastingen", "9.0" },
		{ "/eformulier/kwijtschelding", "9.1" },
		{ "/eformulier/kwijtschelding?stap=bedankt", "9.2" },
		/* nothing */
		{ "/", "" },
		{ "/favicon.ico", "" },
		{ "/css/site.css?v=3", "" },
		{ "/formulieren", "" },
	};
	/* the template itself (with its guard) and the template written out and
	 * loaded back (no guard: every pattern runs) must agree with the table */
	catalog *b = catalog_builtin();
	ck_assert_ptr_nonnull(b->guard);
	char *csv = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&csv, &len);
	ck_assert_int_eq(catalog_write_csv(b, fp), 0);
	fclose(fp);
	catalog *l = load_str(csv);
	free(csv);
	ck_assert_ptr_null(l->guard);
	for (int pass = 0; pass < 2; pass++) {
		matcher *m = match_new(pass ? l : b, NULL, err, sizeof err);
		ck_assert_msg(m != NULL, "%s", err);
		match_ctx *x = match_ctx_new(m);
		int gem = match_gemeente(x, pass ? S("www.voorbeeldgemeente.nl") : S("www.x.nl"));
		ck_assert_int_eq(gem, 0);
		for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
			kr_str target = { t[i].target, strlen(t[i].target) };
			const char *got = hits(x, gem, target);
			ck_assert_msg(strcmp(got, t[i].want) == 0,
			              "pass %d: '%s': got '%s', want '%s'",
			              pass, t[i].target, got, t[i].want);
		}
		match_ctx_free(x);
		match_free(m);
	}
	catalog_free(l);
	catalog_free(b);
}
END_TEST

START_TEST(test_guard)
{
	/* a catalogue's guard is run first: a target it rejects has no hits */
	catalog *c = load_str(cat3);
	ck_assert_ptr_null(c->guard);
	c->guard = strdup("p[12]");
	matcher *m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	match_ctx *x = match_ctx_new(m);
	ck_assert_str_eq(hits(x, 0, S("/form/p1/done?p2")), "0.1 0.2 2.0");
	match_ctx_free(x);
	match_free(m);
	free(c->guard);
	c->guard = strdup("^/form/");
	m = match_new(c, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	x = match_ctx_new(m);
	ck_assert_str_eq(hits(x, 0, S("/form/p1/done?p2")), "0.1 0.2 2.0");
	ck_assert_str_eq(hits(x, 0, S("/p1")), "");   /* would be 0.0 without it */
	match_ctx_free(x);
	match_free(m);
	free(c->guard);
	c->guard = strdup("(x");
	ck_assert_ptr_null(match_new(c, NULL, err, sizeof err));
	ck_assert_str_eq(err, "cat.csv: guard: missing closing parenthesis at offset 2");
	catalog_free(c);
}
END_TEST

enum { NTHREADS = 4, NHOSTS = 3000 };

typedef struct {
	matcher *m;
	int t;
	int id[NHOSTS];
	int bad;
} thread_arg;

static void *hammer(void *p)
{
	thread_arg *a = p;
	match_ctx *x = match_ctx_new(a->m);
	if (!x) {
		a->bad = 1;
		return NULL;
	}
	/* every thread walks all hosts twice, each in its own order */
	static const int step[NTHREADS] = { 1, 7, 11, 13 };
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < NHOSTS; k++) {
			int h = (k * step[a->t] + a->t * 101) % NHOSTS;
			char name[32];
			int n = snprintf(name, sizeof name, "h%d.example.nl", h);
			int id = match_gemeente(x, (kr_str){ name, (size_t)n });
			if (id < 0 || (pass && id != a->id[h]))
				a->bad = 1;
			a->id[h] = id;
			match_hit hit[4];
			if (match_target(x, id, S("/verhuizen"), hit, 4) != 1 || hit[0].row != 0)
				a->bad = 1;
		}
	}
	match_ctx_free(x);
	return NULL;
}

START_TEST(test_builtin_threads)
{
	catalog *b = catalog_builtin();
	matcher *m = match_new(b, NULL, err, sizeof err);
	ck_assert_msg(m != NULL, "%s", err);
	static thread_arg a[NTHREADS];
	pthread_t th[NTHREADS];
	for (int t = 0; t < NTHREADS; t++) {
		a[t].m = m;
		a[t].t = t;
		a[t].bad = 0;
		ck_assert_int_eq(pthread_create(&th[t], NULL, hammer, &a[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	ck_assert_int_eq(match_ngemeenten(m), NHOSTS);
	static char seen[NHOSTS];
	memset(seen, 0, sizeof seen);
	for (int h = 0; h < NHOSTS; h++) {
		int id = a[0].id[h];
		for (int t = 0; t < NTHREADS; t++) {
			ck_assert_int_eq(a[t].bad, 0);
			ck_assert_int_eq(a[t].id[h], id);
		}
		ck_assert(id >= 0 && id < NHOSTS);
		ck_assert_int_eq(seen[id], 0);
		seen[id] = 1;
		char name[32];
		snprintf(name, sizeof name, "h%d.example.nl", h);
		ck_assert_str_eq(match_gemeente_name(m, id), name);
	}
	match_free(m);
	catalog_free(b);
}
END_TEST

Suite *match_suite(void)
{
	Suite *s = suite_create("match");
	TCase *tc = tcase_create("match");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_routing);
	tcase_add_test(tc, test_single_gemeente_and_force);
	tcase_add_test(tc, test_hits_order_anchoring);
	tcase_add_test(tc, test_empty_cells_never_match);
	tcase_add_test(tc, test_raw_bytes);
	tcase_add_test(tc, test_bad_pattern);
	tcase_add_test(tc, test_match_limit_and_dedupe);
	tcase_add_test(tc, test_result_cache);
	tcase_add_test(tc, test_shared_prefilter);
	tcase_add_test(tc, test_shared_shape);
	tcase_add_test(tc, test_literal_filter_differential);
	tcase_add_test(tc, test_compile_threads);
	tcase_add_test(tc, test_lazy_jit_threads);
	tcase_add_test(tc, test_first_byte_filter);
	tcase_add_test(tc, test_prefilter_corners);
	tcase_add_test(tc, test_builtin_mode);
	tcase_add_test(tc, test_builtin_patterns);
	tcase_add_test(tc, test_guard);
	tcase_add_test(tc, test_builtin_threads);
	suite_add_tcase(s, tc);
	return s;
}
