/*
 * check_reqlit.c - unit tests for required literals: what reqlit_extract
 * finds (and where it must give up), a differential test that holds it to
 * PCRE2 over random patterns and targets (every match contains the
 * literal, at offset 0 when anchored), and reqlit_scan against asking
 * each literal on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "check_suites.h"
#include "reqlit.h"

/* The literal of p as "^lit" (anchored), "lit", or "-" for none. */
static const char *lit_of(const char *p)
{
	static char buf[REQLIT_MAX + 2];
	reqlit l;
	if (!reqlit_extract(p, &l))
		return "-";
	ck_assert_int_ge(l.n, REQLIT_MIN);
	ck_assert_int_le(l.n, REQLIT_MAX);
	snprintf(buf, sizeof buf, "%s%.*s", l.anchored ? "^" : "", (int)l.n, l.s);
	return buf;
}

START_TEST(test_extract)
{
	static const char *const cases[][2] = {
		/* the catalogue shapes: an anchored prefix, or the longest run */
		{ "^/(producten/)?paspoort/?([?]|$)(/g1)?", "paspoort" },
		{ "^/e-formulier/paspoort(/start)?/?([?]|$)(/g1)?", "^/e-formulier/paspoort" },
		{ "^/e-formulier/paspoort/(bedankt|verzonden)", "^/e-formulier/paspoort/" },
		{ "/afval/container", "/afval/container" },
		{ "^/e-formulier/x/(a|b)-bedankt-en-verzonden", "-bedankt-en-verzonden" },
		/* quantified bytes are not required; the run before them is */
		{ "^/abcde?", "^/abcd" },
		{ "abcdx*yz", "abcd" },
		{ "abcdx+", "abcd" },
		{ "abcdx{2}", "abcd" },
		{ "abcdx{0,3}y", "abcd" },
		{ "abcdx??", "abcd" },
		{ "abcdx*+", "abcd" },
		/* escaped punctuation is literal; \d, '.', classes end a run */
		{ "^/a\\.b\\-c", "^/a.b-c" },
		{ "ab\\dcdef", "cdef" },
		{ "abc.defg", "defg" },
		{ "[xy]abcd[^/]", "abcd" },
		{ "[]a]wxyz", "wxyz" },
		{ "[a\\]]wxyz", "wxyz" },
		{ "wxyz\\b", "wxyz" },
		{ "^\\bwxyz", "wxyz" },
		{ "(?=ab)wxyz", "wxyz" },
		{ "(?<n>ab|c)wxyz(?:q|r)*", "wxyz" },
		{ "^(?>ab)wxyz", "wxyz" },
		{ "wxyz$", "wxyz" },
		{ "^wxyz$", "^wxyz" },
		{ "}]wxy", "}]wxy" },
		/* too short, or nothing to go on */
		{ "abc", "-" },
		{ "^/ab", "-" },
		{ "a.b.c.d", "-" },
		{ "", "-" },
		/* give up: a top-level branch, options, verbs, \Q, back references,
		 * recursion, conditions, comments, unknown escapes and braces */
		{ "abcd|efgh", "-" },
		{ "(?i)abcdef", "-" },
		{ "abcdef(?i)", "-" },
		{ "abcd(?i:x)", "-" },
		{ "(*UTF)abcdef", "-" },
		{ "abcd(*COMMIT)", "-" },
		{ "\\Qabcd\\E", "-" },
		{ "(a)\\1abcd", "-" },
		{ "(?<n>a)\\k<n>abcd", "-" },
		{ "(a)abcd(?1)", "-" },
		{ "(?(1)a|b)abcd", "-" },
		{ "(?#x)abcd", "-" },
		{ "abcd\\x41", "-" },
		{ "abcd\\p{L}", "-" },
		{ "abcd\\cx", "-" },
		{ "abcd{,2}", "-" },
		{ "abcd{x}", "-" },
		{ "[[:alpha:]]abcd", "-" },
		{ "(?x)abcd # c", "-" },
		{ "*abcd", "-" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(strcmp(lit_of(cases[i][0]), cases[i][1]) == 0, "%s: got %s, want %s",
		              cases[i][0], lit_of(cases[i][0]), cases[i][1]);
	/* a long run is cut: its start is still required */
	char p[200], want[REQLIT_MAX + 2];
	memset(p, 'q', 150);
	strcpy(p + 150, "x?");
	snprintf(want, sizeof want, "%.*s", REQLIT_MAX, p);
	ck_assert_str_eq(lit_of(p), want);
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

/* Pieces of random patterns and targets: a small alphabet, so that
 * random targets often match random patterns. */
static const char *const pat_pieces[] = {
	"ab", "abc", "/e-f", "x", "y/", "-", "\\.", "\\/", "\\-", ".", "\\d", "\\w", "\\b",
	"[ab]", "[^/]", "[]a]", "(ab)", "(?:ab|x)", "(?=a)", "(?!x)", "(?<=b)", "(?<n>ab)",
	"(?>a+)", "(?|a|b)", "$", "ab", "bx", "/", "e-f/", "(?i)", "\\Q.\\E", "(a)\\1", "|",
};
static const char *const quants[] = { "", "", "", "", "?", "*", "+", "{2}", "{1,}", "{0,2}",
	                              "??", "*+" };
static const char *const tgt_pieces[] = { "a", "b", "ab", "abc", "x", "y", "/", "-", ".", "1",
	                                  "/e-f", "e-f/", "A", "bx" };

static void random_pattern(unsigned long long *st, char *p, size_t cap)
{
	size_t o = 0;
	int n = 1 + (int)(rnd(st) % 7);
	if (rnd(st) % 3 == 0)
		p[o++] = '^';
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(p + o, cap - o, "%s%s",
		                      pat_pieces[rnd(st) % (sizeof pat_pieces / sizeof *pat_pieces)],
		                      quants[rnd(st) % (sizeof quants / sizeof *quants)]);
}

static size_t random_target(unsigned long long *st, char *t, size_t cap)
{
	size_t o = 0;
	int n = (int)(rnd(st) % 9);
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(t + o, cap - o, "%s",
		                      tgt_pieces[rnd(st) % (sizeof tgt_pieces / sizeof *tgt_pieces)]);
	return o;
}

static int occurs(const reqlit *l, const char *t, size_t n)
{
	if (l->anchored)
		return n >= l->n && memcmp(t, l->s, l->n) == 0;
	return memmem(t, n, l->s, l->n) != NULL;
}

/* Every target a pattern matches contains the pattern's literal. */
START_TEST(test_extract_differential)
{
	unsigned long long st = 0x2545f4914f6cdd1dull;
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	long with_lit = 0, checked = 0, matched = 0;
	for (int i = 0; i < 6000; i++) {
		char p[512], t[128];
		random_pattern(&st, p, sizeof p);
		int ec;
		PCRE2_SIZE eo;
		pcre2_code *code = pcre2_compile((PCRE2_SPTR)p, PCRE2_ZERO_TERMINATED, 0, &ec, &eo,
		                                 NULL);
		if (!code)
			continue;
		reqlit l;
		if (!reqlit_extract(p, &l)) {
			pcre2_code_free(code);
			continue;
		}
		with_lit++;
		for (int j = 0; j < 200; j++) {
			size_t n = random_target(&st, t, sizeof t);
			if (j % 4 == 0 && n + l.n < sizeof t) { /* with the literal in it */
				size_t at = l.anchored ? 0 : rnd(&st) % (n + 1);
				memmove(t + at + l.n, t + at, n - at);
				memcpy(t + at, l.s, l.n);
				n += l.n;
			}
			int rc = pcre2_match(code, (PCRE2_SPTR)t, n, 0, 0, md, NULL);
			checked++;
			if (rc < 0)
				continue;
			matched++;
			ck_assert_msg(occurs(&l, t, n), "pattern %s, literal %s%.*s, target %.*s",
			              p, l.anchored ? "^" : "", (int)l.n, l.s, (int)n, t);
		}
		pcre2_code_free(code);
	}
	pcre2_match_data_free(md);
	/* the test did test something */
	ck_assert_int_gt(with_lit, 300);
	ck_assert_int_gt(matched, 3000);
	ck_assert_int_gt(checked, matched);
}
END_TEST

/* reqlit_scan finds exactly the literals that reqlit_in finds one by
 * one; duplicates get one id. */
START_TEST(test_scan)
{
	unsigned long long st = 0x9e3779b97f4a7c15ull;
	reqlit_set *set = reqlit_set_new();
	ck_assert_ptr_nonnull(set);
	int prov[400];
	for (int i = 0; i < 400; i++) {
		reqlit l = { .anchored = (int)(rnd(&st) % 3 == 0) };
		char t[128];
		size_t n;
		do
			n = random_target(&st, t, sizeof t);
		while (n < REQLIT_MIN);
		l.n = n < REQLIT_MAX ? n : REQLIT_MAX;
		memcpy(l.s, t, l.n);
		prov[i] = reqlit_set_add(set, &l);
		ck_assert_int_eq(prov[i], i);
	}
	reqlit twice = { .anchored = 0, .n = 4, .s = "abab" };
	int a = reqlit_set_add(set, &twice), b = reqlit_set_add(set, &twice);
	ck_assert_int_eq(reqlit_set_build(set), 0);
	ck_assert_int_eq(reqlit_set_id(set, a), reqlit_set_id(set, b));
	int nl = reqlit_set_count(set);
	ck_assert_int_gt(nl, 100);
	ck_assert_int_lt(nl, 402);
	long found = 0;
	for (int j = 0; j < 5000; j++) {
		char t[256];
		size_t n = random_target(&st, t, 120);
		n += random_target(&st, t + n, 120);
		uint16_t ids[512];
		int k = reqlit_scan(set, t, n, ids, 512);
		ck_assert_int_ge(k, 0);
		int want = 0;
		for (int id = 0; id < nl; id++) {
			int in = reqlit_in(set, id, t, n), seen = 0;
			for (int q = 0; q < k; q++)
				seen += ids[q] == id;
			ck_assert_msg(seen == in, "target %.*s, literal %d: scan %d, in %d", (int)n, t,
			              id, seen, in);
			want += in;
		}
		ck_assert_int_eq(k, want);
		found += k;
		if (k > 1) /* too many to list */
			ck_assert_int_eq(reqlit_scan(set, t, n, ids, k - 1), -1);
	}
	ck_assert_int_gt(found, 1000);
	reqlit_set_free(set);
	reqlit_set_free(NULL);
}
END_TEST

/* A set holds at most REQLIT_IDS distinct literals; the ones past that
 * get id -1 (their patterns then have no literal), duplicates of kept ones
 * keep their id, and scans stay exact for the kept ones. */
START_TEST(test_set_full)
{
	reqlit_set *set = reqlit_set_new();
	ck_assert_ptr_nonnull(set);
	int total = REQLIT_IDS + 10;
	for (int i = 0; i < total; i++) {
		reqlit l = { .anchored = 0 };
		l.n = (size_t)snprintf(l.s, sizeof l.s, "L%07d", i);
		ck_assert_int_eq(reqlit_set_add(set, &l), i);
	}
	reqlit again = { .anchored = 0, .n = 8, .s = "L0000007" };
	int dup = reqlit_set_add(set, &again);
	ck_assert_int_eq(reqlit_set_build(set), 0);
	ck_assert_int_eq(reqlit_set_count(set), REQLIT_IDS);
	int none = 0;
	static unsigned char seen[REQLIT_IDS];
	for (int i = 0; i < total; i++) {
		int id = reqlit_set_id(set, i);
		if (id < 0) {
			none++;
			continue;
		}
		ck_assert_int_lt(id, REQLIT_IDS);
		ck_assert_int_eq(seen[id], 0);
		seen[id] = 1;
	}
	ck_assert_int_eq(none, 10);
	ck_assert_int_eq(reqlit_set_id(set, dup), reqlit_set_id(set, 7));
	uint16_t ids[4];
	ck_assert_int_eq(reqlit_scan(set, "/x/L0000007/y", 13, ids, 4), 1);
	ck_assert_int_eq(ids[0], reqlit_set_id(set, 7));
	reqlit_set_free(set);
}
END_TEST

Suite *reqlit_suite(void)
{
	Suite *s = suite_create("reqlit");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_extract);
	tcase_add_test(tc, test_extract_differential);
	tcase_add_test(tc, test_scan);
	tcase_add_test(tc, test_set_full);
	suite_add_tcase(s, tc);
	return s;
}
