/*
 * check_site.c - unit tests for the website (site.c): file names from
 * names (transliteration, separators, limits, collisions), and a small
 * site written to a temporary directory (its pages, links between them,
 * --min-cell). tests/site.sh covers the full-size site in a browser.
 */
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_suites.h"
#include "bench.h"
#include "output.h"
#include "site.h"

static const char *slug(const char *name)
{
	static char buf[128];
	site_slug(name, buf, sizeof buf);
	return buf;
}

START_TEST(test_slug)
{
	ck_assert_str_eq(slug("'s-Hertogenbosch"), "s-hertogenbosch");
	ck_assert_str_eq(slug("S\xc3\xba" "dwest-Frysl\xc3\xa2n"), "sudwest-fryslan");
	ck_assert_str_eq(slug("Bergen (NH.)"), "bergen-nh");
	ck_assert_str_eq(slug("  Alphen aan den Rijn  "), "alphen-aan-den-rijn");
	ck_assert_str_eq(slug("<Gamma> & Co"), "gamma-co");
	/* every Latin-1 letter, upper and lower case */
	ck_assert_str_eq(slug("\xc3\x80\xc3\x86\xc3\x87\xc3\x88\xc3\x91\xc3\x96\xc3\x98\xc3\x9c"
	                      "\xc3\x9d\xc3\x9e\xc3\x9f"), "aaecenoouythss");
	ck_assert_str_eq(slug("\xc3\xa0\xc3\xa6\xc3\xa7\xc3\xab\xc3\xaf\xc3\xb1\xc3\xb6\xc3\xbc"
	                      "\xc3\xbf\xc3\xbe"), "aaeceinouyth");
	/* x and division signs, other scripts and symbols separate words */
	ck_assert_str_eq(slug("a\xc3\x97" "b\xc3\xb7" "c"), "a-b-c");
	ck_assert_str_eq(slug("Stra\xc3\x9f" "e \xe2\x82\xac 5"), "strasse-5");
	ck_assert_str_eq(slug("\xce\xb1\xce\xb2 1"), "1");
	/* nothing left: "x"; invalid UTF-8 never crashes */
	ck_assert_str_eq(slug("---"), "x");
	ck_assert_str_eq(slug(""), "x");
	ck_assert_str_eq(slug("\xc3"), "x");
	ck_assert_str_eq(slug("ab\xff\xfe" "cd"), "ab-cd");
	/* at most 80 bytes, never ending in '-' */
	char longname[300];
	memset(longname, 'a', 79);
	strcpy(longname + 79, " bcd efg");
	ck_assert_uint_le(strlen(slug(longname)), 80);
	ck_assert_int_ne(slug(longname)[strlen(slug(longname)) - 1], '-');
	/* a small buffer */
	char small[4];
	ck_assert_uint_eq(site_slug("Utrecht", small, sizeof small), 3);
	ck_assert_str_eq(small, "utr");
}
END_TEST

START_TEST(test_slugs_collide)
{
	const char *names[] = { "'s-Hertogenbosch", "S Hertogenbosch", "s-hertogenbosch-2",
	                        "S-Hertogenbosch", "Utrecht", "utrecht" };
	char *out[6];
	ck_assert_int_eq(site_slugs(names, 6, out), 0);
	/* first come keeps the name; later ones the first free suffix */
	ck_assert_str_eq(out[0], "s-hertogenbosch");
	ck_assert_str_eq(out[1], "s-hertogenbosch-2");
	ck_assert_str_eq(out[2], "s-hertogenbosch-2-2");
	ck_assert_str_eq(out[3], "s-hertogenbosch-3");
	ck_assert_str_eq(out[4], "utrecht");
	ck_assert_str_eq(out[5], "utrecht-2");
	for (int i = 0; i < 6; i++)
		free(out[i]);
	/* the same names in the same order: the same slugs */
	ck_assert_int_eq(site_slugs(names, 6, out), 0);
	ck_assert_str_eq(out[3], "s-hertogenbosch-3");
	for (int i = 0; i < 6; i++)
		free(out[i]);
}
END_TEST

static report_row row(const char *gemeente, const char *product, int64_t info, int64_t form,
                      int64_t done)
{
	report_row r;
	memset(&r, 0, sizeof r);
	r.gemeente = gemeente;
	r.product = product;
	r.n[0] = info;
	r.n[1] = form;
	r.n[2] = done;
	return r;
}

/* The contents of dir/rel, malloc'ed; NULL when missing. */
static char *slurp(const char *dir, const char *rel)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&buf, &cap, '\0', fp);
	fclose(fp);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(test_site_pages)
{
	report_row rows[] = {
		row("Alfa", "Paspoort", 100, 50, 40), row("Alfa", "Afval", 40, 3, 3),
		row("B\xc3\xa8ta", "Paspoort", 60, 30, 12), row("B\xc3\xa8ta", "Afval", 40, 20, 20),
		row("Gamma", "Paspoort", 50, 10, 5), row("Gamma", "Afval", 0, 0, 0),
	};
	report_table t;
	memset(&t, 0, sizeof t);
	t.rows = rows;
	t.nrows = 6;
	t.lang = "nl";
	ck_assert_int_eq(bench_compute(rows, 6, 30, 0), 0);
	char dir[] = "/tmp/check_site.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(site_write(&t, 30, 0, dir), 0);
	ck_assert_uint_eq(entries(dir), 4);   /* index, about, gemeente/, product/ */
	char sub[64];
	snprintf(sub, sizeof sub, "%s/gemeente", dir);
	ck_assert_uint_eq(entries(sub), 3);
	snprintf(sub, sizeof sub, "%s/product", dir);
	ck_assert_uint_eq(entries(sub), 2);
	char *index = slurp(dir, "index.html");
	ck_assert_ptr_nonnull(index);
	ck_assert_ptr_nonnull(strstr(index, "<a href=\"gemeente/beta.html\">B\xc3\xa8ta</a>"));
	ck_assert_ptr_nonnull(strstr(index, "<a href=\"product/paspoort.html\">"));
	/* Paspoort conversions .4, .2, .1: median 20,0%; Gamma (.1 of 50,
	 * median .2) could gain 5 */
	ck_assert_ptr_nonnull(strstr(index, "Landelijke mediaan</dt><dd>20,0%"));
	ck_assert_ptr_nonnull(strstr(index, "<a href=\"gemeente/gamma.html\">Gamma</a>: 5 formulieren"));
	ck_assert_ptr_nonnull(strstr(index, "1970-01-01 00:00 UTC"));
	free(index);
	char *g = slurp(dir, "gemeente/alfa.html");
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_nonnull(strstr(g, "<a href=\"../index.html\">"));
	ck_assert_ptr_nonnull(strstr(g, "<a href=\"../product/afval.html\">Afval</a>"));
	/* Wilson of 40/100 */
	ck_assert_ptr_nonnull(strstr(g, "30,9% \xe2\x80\x93 49,8%"));
	ck_assert_ptr_nonnull(strstr(g, "<dd>1 van 3</dd>"));
	ck_assert_ptr_nonnull(strstr(g, ">3<"));   /* Afval: 3 forms */
	ck_assert_ptr_null(strstr(g, "<script"));
	free(g);
	ck_assert_int_eq(output_remove_tree(dir), 0);

	/* --min-cell 5: the 3s of Alfa's Afval are hidden, and with them the
	 * conversion, its interval and (a hidden eligible row) the median */
	t.min_cell = 5;
	ck_assert_ptr_nonnull(mkdtemp(strcpy(dir, "/tmp/check_site.XXXXXX")));
	ck_assert_int_eq(site_write(&t, 30, 0, dir), 0);
	g = slurp(dir, "gemeente/alfa.html");
	ck_assert_ptr_nonnull(g);
	const char *afval = strstr(g, "<h2 id=\"p-afval\">");
	ck_assert_ptr_nonnull(afval);
	ck_assert_ptr_null(strstr(afval, ">3<"));
	ck_assert_ptr_nonnull(strstr(afval, "Formulier gestart \xe2\x80\x93,"));
	ck_assert_ptr_nonnull(strstr(afval, "Conversie</dt><dd>\xe2\x80\x93</dd>"));
	ck_assert_ptr_nonnull(strstr(afval, "95%-interval</dt><dd>\xe2\x80\x93</dd>"));
	ck_assert_ptr_nonnull(strstr(afval, "Landelijke mediaan</dt><dd>\xe2\x80\x93</dd>"));
	free(g);
	char *about = slurp(dir, "about.html");
	ck_assert_ptr_nonnull(about);
	ck_assert_ptr_nonnull(strstr(about, "Aantallen van 1 tot 4 zijn verborgen"));
	free(about);
	ck_assert_int_eq(output_remove_tree(dir), 0);
}
END_TEST

extern _Atomic long kr_fault_countdown;
extern _Atomic long kr_fault_injected;
_Atomic int kr_fault_no_exchange = 0;   /* fault.h: output.c's fallback */

/* Fails the 1st, 2nd, ... allocation of site_write (site.c is built with
 * -DKR_FAULTS for the unit tests) until a site gets written without a
 * failure: each time -1 and "out of memory" on stderr, never a site that
 * says it was written. */
START_TEST(test_site_out_of_memory)
{
	/* two days (a trend on the gemeente pages), two gemeenten */
	report_row rows[] = {
		row("Alfa", "Paspoort", 100, 50, 40), row("Beta", "Paspoort", 60, 30, 12),
		row("Alfa", "Paspoort", 90, 40, 30), row("Beta", "Paspoort", 50, 20, 10),
	};
	for (int i = 0; i < 4; i++) {
		rows[i].period_start = 20394 + i / 2;
		snprintf(rows[i].period, sizeof rows[i].period, "2025-11-0%d", 1 + i / 2);
	}
	report_table t;
	memset(&t, 0, sizeof t);
	t.rows = rows;
	t.nrows = 4;
	t.by = KTIME_BY_DAY;
	t.peer = 1;   /* the national benchmark too */
	ck_assert_int_eq(bench_compute(rows, 4, 30, 1), 0);
	int done = 0, failures = 0;
	for (long after = 0; after < 1000 && !done; after++) {
		char dir[] = "/tmp/check_site.XXXXXX";
		ck_assert_ptr_nonnull(mkdtemp(dir));
		FILE *err = tmpfile();
		ck_assert_ptr_nonnull(err);
		fflush(stderr);
		int saved = dup(STDERR_FILENO);
		ck_assert_int_ge(dup2(fileno(err), STDERR_FILENO), 0);
		long before = atomic_load(&kr_fault_injected);
		atomic_store(&kr_fault_countdown, after);
		int rc = site_write(&t, 30, 0, dir);
		atomic_store(&kr_fault_countdown, -1);
		fflush(stderr);
		dup2(saved, STDERR_FILENO);
		close(saved);
		char msg[256] = "";
		rewind(err);
		msg[fread(msg, 1, sizeof msg - 1, err)] = '\0';
		fclose(err);
		if (atomic_load(&kr_fault_injected) == before) {
			ck_assert_int_eq(rc, 0);
			done = 1;
		} else {
			ck_assert_int_eq(rc, -1);
			ck_assert_msg(strstr(msg, "out of memory") != NULL, "after %ld: '%s'", after, msg);
			failures++;
		}
		ck_assert_int_eq(output_remove_tree(dir), 0);
	}
	ck_assert(done);
	ck_assert_int_gt(failures, 5);
}
END_TEST

START_TEST(test_output_dir_swap)
{
	char parent[] = "/tmp/check_site.XXXXXX", path[128], file[160];
	ck_assert_ptr_nonnull(mkdtemp(parent));
	snprintf(path, sizeof path, "%s/site/", parent);   /* a trailing slash */
	output_dir d;
	/* new */
	ck_assert_int_eq(output_dir_open(&d, path), 0);
	snprintf(file, sizeof file, "%s/one", d.tmp);
	FILE *fp = fopen(file, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	ck_assert_int_eq(output_dir_close(&d, 1), 0);
	snprintf(file, sizeof file, "%s/site/one", parent);
	ck_assert_int_eq(access(file, F_OK), 0);
	/* replaced: the old tree's file is gone */
	ck_assert_int_eq(output_dir_open(&d, path), 0);
	ck_assert_int_eq(output_dir_close(&d, 1), 0);
	ck_assert_int_ne(access(file, F_OK), 0);
	/* a failed run: the tree stays, the temporary one goes */
	fp = fopen(file, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	ck_assert_int_eq(output_dir_open(&d, path), 0);
	ck_assert_int_eq(output_dir_close(&d, 0), -1);
	ck_assert_int_eq(access(file, F_OK), 0);
	ck_assert_uint_eq(entries(parent), 1);

	/* a file system without RENAME_EXCHANGE: renamed aside, then in */
	atomic_store(&kr_fault_no_exchange, 1);
	ck_assert_int_eq(output_dir_open(&d, path), 0);
	snprintf(file, sizeof file, "%s/two", d.tmp);
	fp = fopen(file, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	ck_assert_int_eq(output_dir_close(&d, 1), 0);
	atomic_store(&kr_fault_no_exchange, 0);
	snprintf(file, sizeof file, "%s/site/two", parent);
	ck_assert_int_eq(access(file, F_OK), 0);
	snprintf(file, sizeof file, "%s/site/one", parent);
	ck_assert_int_ne(access(file, F_OK), 0);
	ck_assert_uint_eq(entries(parent), 1);   /* no site.old-* left */

	/* a symbolic link: replaced by a link to the new tree */
	char real[160], link[160], target[160];
	snprintf(real, sizeof real, "%s/real", parent);
	snprintf(link, sizeof link, "%s/live", parent);
	ck_assert_int_eq(mkdir(real, 0777), 0);
	ck_assert_int_eq(symlink("real", link), 0);
	ck_assert_int_eq(output_dir_open(&d, link), 0);
	ck_assert_int_eq(output_dir_close(&d, 1), 0);
	ssize_t n = readlink(link, target, sizeof target - 1);
	ck_assert_int_gt(n, 0);
	target[n] = '\0';
	ck_assert_int_eq(strncmp(target, "live.tmp-", 9), 0);
	ck_assert_int_eq(access(real, F_OK), 0);   /* not ours: kept */
	ck_assert_int_eq(output_remove_tree(parent), 0);
}
END_TEST

Suite *site_suite(void)
{
	Suite *s = suite_create("site");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_slug);
	tcase_add_test(tc, test_slugs_collide);
	tcase_add_test(tc, test_site_pages);
	tcase_add_test(tc, test_site_out_of_memory);
	tcase_add_test(tc, test_output_dir_swap);
	suite_add_tcase(s, tc);
	return s;
}
