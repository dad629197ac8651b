/*
 * check_catalog.c - unit tests for the catalogue reader and writer
 * (measurement.md, section 3): column handling, comments, BOM, quoting and
 * line numbers, every error message, hosts, and the CSV round trip.
 *
 * Catalogues are fed as strings through fmemopen(); expected values are
 * worked out by hand from the input text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "check_suites.h"
#include "catalog.h"

static char err[512];

/* Loads catalogue text s as file "cat.csv" (NULL on error, see err). */
static catalog *load_str(const char *s)
{
	FILE *fp = fmemopen((void *)(uintptr_t)s, strlen(s), "r");
	ck_assert_ptr_nonnull(fp);
	memset(err, 'x', sizeof err - 1);
	err[sizeof err - 1] = '\0';
	catalog *c = catalog_load(fp, "cat.csv", err, sizeof err);
	fclose(fp);
	return c;
}

/* Loads s and expects failure with exactly message msg. */
static void expect_error(const char *s, const char *msg)
{
	catalog *c = load_str(s);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(err, msg);
}

/* Writes c to a string (caller frees). */
static char *write_str(const catalog *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(catalog_write_csv(c, fp), 0);
	fclose(fp);
	return buf;
}

static int host_gem(const catalog *c, const char *h)
{
	for (size_t i = 0; i < c->nhosts; i++)
		if (strcmp(c->hosts[i].host, h) == 0)
			return c->hosts[i].gem;
	return -2;
}

START_TEST(test_basic)
{
	catalog *c = load_str(
		"gemeente,host,product,info,form,done\n"
		"Utrecht,www.utrecht.nl utrecht.nl,Paspoort,^/paspoort,/form/pas,/pas/klaar\n"
		"Utrecht,,Parkeren,^/parkeren,,\n");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->name, "cat.csv");
	ck_assert_int_eq(c->builtin, 0);
	ck_assert_uint_eq(c->nrows, 2);
	ck_assert_uint_eq(c->ngem, 1);
	ck_assert_str_eq(c->gemeenten[0], "Utrecht");
	ck_assert_uint_eq(c->nhosts, 2);
	ck_assert_str_eq(c->hosts[0].host, "www.utrecht.nl");
	ck_assert_str_eq(c->hosts[1].host, "utrecht.nl");
	ck_assert_int_eq(c->rows[0].gem, 0);
	ck_assert_str_eq(c->rows[0].product, "Paspoort");
	ck_assert_str_eq(c->rows[0].pat[STEP_INFO], "^/paspoort");
	ck_assert_str_eq(c->rows[0].pat[STEP_FORM], "/form/pas");
	ck_assert_str_eq(c->rows[0].pat[STEP_DONE], "/pas/klaar");
	ck_assert_ptr_null(c->rows[0].peer);
	ck_assert_int_eq(c->rows[0].line, 2);
	ck_assert_str_eq(c->rows[1].product, "Parkeren");
	ck_assert_ptr_null(c->rows[1].pat[STEP_FORM]);
	ck_assert_ptr_null(c->rows[1].pat[STEP_DONE]);
	ck_assert_int_eq(c->rows[1].line, 3);
	catalog_free(c);
}
END_TEST

START_TEST(test_header_order_case_extra)
{
	/* columns shuffled, mixed case, two extra columns, a peer column,
	 * a UTF-8 BOM, comments before and after the header, CRLF line ends */
	catalog *c = load_str(
		"\xef\xbb\xbf# klantreis catalogue\r\n"
		"# second comment, with \"quotes\" and commas,,,\r\n"
		"Done,Notes,FORM,Host,PRODUCT,Info,GeMeEnTe,Peer\r\n"
		"/d1,note 1,/f1,a.nl,P1,/i1,Alpha,groot\r\n"
		"  # indented comment\r\n"
		"\r\n"
		"/d2,,/f2,b.nl,P2,/i2,Beta,\r\n");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nrows, 2);
	ck_assert_uint_eq(c->ngem, 2);
	ck_assert_str_eq(c->gemeenten[0], "Alpha");
	ck_assert_str_eq(c->gemeenten[1], "Beta");
	ck_assert_str_eq(c->rows[0].product, "P1");
	ck_assert_str_eq(c->rows[0].pat[STEP_INFO], "/i1");
	ck_assert_str_eq(c->rows[0].pat[STEP_FORM], "/f1");
	ck_assert_str_eq(c->rows[0].pat[STEP_DONE], "/d1");
	ck_assert_str_eq(c->rows[0].peer, "groot");
	ck_assert_int_eq(c->rows[0].line, 4);
	ck_assert_str_eq(c->rows[1].pat[STEP_DONE], "/d2");
	ck_assert_ptr_null(c->rows[1].peer);
	ck_assert_int_eq(c->rows[1].line, 7);
	ck_assert_int_eq(host_gem(c, "a.nl"), 0);
	ck_assert_int_eq(host_gem(c, "b.nl"), 1);
	catalog_free(c);
}
END_TEST

START_TEST(test_quoted_cells_and_lines)
{
	/* a quoted product with a comma and a doubled quote, a quoted pattern
	 * spanning two lines, a quoted comment-looking first cell that is a
	 * comment row; line numbers of rows after them */
	catalog *c = load_str(
		"gemeente,host,product,info,form,done\n"              /* 1 */
		"Alpha,a.nl,\"Pas, of \"\"ID\"\"\",/i,,\n"            /* 2 */
		"Alpha,a.nl,\"Twee\n"                                 /* 3 */
		"regels\",\"/a,b\",,\n"                               /* 4 */
		"\"# quoted comment\",x,y\n"                          /* 5 */
		"Alpha,a.nl,Drie,\" /spatie \",,\n");                 /* 6, no final newline */
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nrows, 3);
	ck_assert_str_eq(c->rows[0].product, "Pas, of \"ID\"");
	ck_assert_int_eq(c->rows[0].line, 2);
	ck_assert_str_eq(c->rows[1].product, "Twee\nregels");
	ck_assert_str_eq(c->rows[1].pat[STEP_INFO], "/a,b");
	ck_assert_int_eq(c->rows[1].line, 3);
	ck_assert_str_eq(c->rows[2].product, "Drie");
	ck_assert_str_eq(c->rows[2].pat[STEP_INFO], " /spatie ");
	ck_assert_int_eq(c->rows[2].line, 6);
	catalog_free(c);

	/* the error after a multi-line cell names the line it is on */
	expect_error("gemeente,host,product,info,form,done\n"
	             "Alpha,a.nl,\"x\ny\nz\",,,\n"
	             ",a.nl,P,,,\n",
	             "cat.csv:5: column 'gemeente': empty");
	/* and a row starting on a line after a multi-line cell */
	expect_error("gemeente,host,product,info,form,done\n"
	             "Alpha,a.nl,\"x\ny\",,,\n"
	             "Alpha,a.nl,\"mul\ntiple\",,,\n"
	             "Alpha,a.nl,\"x\ny\",,,\n",
	             "cat.csv:6: column 'product': duplicate product 'x\ny' for gemeente "
	             "'Alpha', first on line 2");
}
END_TEST

START_TEST(test_hosts)
{
	catalog *c = load_str(
		"gemeente,host,product,info,form,done\n"
		"Alpha,WWW.Alpha.NL.  alpha.nl\tm.alpha.nl,P1,/i,,\n"
		"Beta,,P1,/i,,\n"
		"Alpha,www.alpha.nl extra.alpha.nl.,P2,/i,,\n"
		"Gamma,gamma.nl,P1,/i,,\n"
		"Beta,beta.nl,P2,/i,,\n");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->ngem, 3);
	ck_assert_str_eq(c->gemeenten[0], "Alpha");
	ck_assert_str_eq(c->gemeenten[1], "Beta");
	ck_assert_str_eq(c->gemeenten[2], "Gamma");
	ck_assert_uint_eq(c->nrows, 5);
	ck_assert_int_eq(c->rows[0].gem, 0);
	ck_assert_int_eq(c->rows[1].gem, 1);
	ck_assert_int_eq(c->rows[2].gem, 0);
	ck_assert_int_eq(c->rows[3].gem, 2);
	ck_assert_int_eq(c->rows[4].gem, 1);
	ck_assert_uint_eq(c->nhosts, 6);
	ck_assert_str_eq(c->hosts[0].host, "www.alpha.nl");
	ck_assert_str_eq(c->hosts[1].host, "alpha.nl");
	ck_assert_str_eq(c->hosts[2].host, "m.alpha.nl");
	ck_assert_str_eq(c->hosts[3].host, "extra.alpha.nl");
	ck_assert_str_eq(c->hosts[4].host, "gamma.nl");
	ck_assert_str_eq(c->hosts[5].host, "beta.nl");
	ck_assert_int_eq(host_gem(c, "extra.alpha.nl"), 0);
	ck_assert_int_eq(host_gem(c, "beta.nl"), 1);
	ck_assert_int_eq(catalog_find_gemeente(c, "Gamma"), 2);
	ck_assert_int_eq(catalog_find_gemeente(c, "Beta"), 1);
	ck_assert_int_eq(catalog_find_gemeente(c, "beta"), -1);
	ck_assert_int_eq(catalog_find_gemeente(c, "Delta"), -1);
	catalog_free(c);
}
END_TEST

START_TEST(test_errors)
{
	expect_error("# comment\n"
	             "gemeente,host,product,info,done,extra\n"
	             "A,a.nl,P,/i,/d,x\n",
	             "cat.csv:2: column 'form': missing");
	expect_error("gemeente,host,product,info,form\n",
	             "cat.csv:1: column 'done': missing");
	expect_error("Utrecht,utrecht.nl,Paspoort,/i,/f,/d\n",
	             "cat.csv:1: column 'gemeente': missing");
	expect_error("gemeente,host,product,info,form,done,FORM\n",
	             "cat.csv:1: column 'form': appears twice");
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl,P,/i,/f,/d\n"
	             "\"\",b.nl,P,/i,/f,/d\n",
	             "cat.csv:3: column 'gemeente': empty");
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl,  ,/i,/f,/d\n",
	             "cat.csv:2: column 'product': empty");
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl www.a.nl,P,/i,/f,/d\n"
	             "B,b.nl WWW.A.NL.,P,/i,/f,/d\n",
	             "cat.csv:3: column 'host': host 'www.a.nl' already belongs to "
	             "gemeente 'A'");
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl,P,/i,/f,/d\n"
	             "A,a.nl,Q,/i,/f,/d\n"
	             "A,,P,/x,,\n",
	             "cat.csv:4: column 'product': duplicate product 'P' for gemeente "
	             "'A', first on line 2");
	expect_error("gemeente,host,product,info,form,done\n",
	             "cat.csv: no products");
	expect_error("# only a comment\n"
	             "gemeente,host,product,info,form,done\n"
	             "# and another\n",
	             "cat.csv: no products");
	expect_error("", "cat.csv: no products");
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl,P,/i,/f\n",
	             "cat.csv:2: column 'done': missing (the row has 5 cells, the header 6)");
	/* short only in a column klantreis does not use: no name to give */
	expect_error("gemeente,host,product,info,form,done,note\n"
	             "A,a.nl,P,/i,/f,/d\n",
	             "cat.csv:2: row has 6 cells, the header has 7");
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl,P,/i,/f,/d\n"
	             "A,a.nl,Q,/i,/f,/d,extra\n",
	             "cat.csv:3: row has 7 cells, the header has 6");
	/* CSV syntax errors, in words a catalogue editor understands */
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl,P,/i,/f,/d\n"
	             "A,a.nl,Q\"x,/i,/f,/d\n",
	             "cat.csv:3: stray '\"' in a cell (quote the whole cell and double "
	             "the quotes inside it)");
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl,P,/i,/f,/d\n"
	             "A,a.nl,\"Q\n"
	             "\n",
	             "cat.csv:3: unterminated quoted cell (a '\"' is not closed)");
}
END_TEST

START_TEST(test_write_quoting_round_trip)
{
	const char *in =
		"gemeente,host,product,info,form,done,peer\n"
		"\"Den Haag, gemeente\",www.denhaag.nl denhaag.nl,\"Pas \"\"of\"\" ID\",^/(?:a|b),,"
		"\" /x\",groot\n"
		"Zwolle,zwolle.nl,\"Twee\nregels\",,/f\\d+,/d,\n"
		"\"Den Haag, gemeente\",,Afval,/afval,/f,,\n";
	catalog *c = load_str(in);
	ck_assert_msg(c != NULL, "%s", err);
	char *out = write_str(c);
	ck_assert_str_eq(out,
		"gemeente,host,product,info,form,done,peer\n"
		"\"Den Haag, gemeente\",www.denhaag.nl denhaag.nl,\"Pas \"\"of\"\" ID\",^/(?:a|b),,"
		"\" /x\",groot\n"
		"Zwolle,zwolle.nl,\"Twee\nregels\",,/f\\d+,/d,\n"
		"\"Den Haag, gemeente\",www.denhaag.nl denhaag.nl,Afval,/afval,/f,,\n");
	/* and it loads back to the same catalogue */
	catalog *d = load_str(out);
	ck_assert_msg(d != NULL, "%s", err);
	char *again = write_str(d);
	ck_assert_str_eq(again, out);
	ck_assert_uint_eq(d->nrows, 3);
	ck_assert_str_eq(d->rows[0].pat[STEP_DONE], " /x");
	ck_assert_str_eq(d->rows[0].peer, "groot");
	ck_assert_ptr_null(d->rows[1].peer);
	free(again);
	free(out);
	catalog_free(d);
	catalog_free(c);

	/* no peer column when no row has one */
	c = load_str("gemeente,host,product,info,form,done,peer\nA,,P,/i,,,\n");
	ck_assert_ptr_nonnull(c);
	out = write_str(c);
	ck_assert_str_eq(out, "gemeente,host,product,info,form,done\nA,,P,/i,,\n");
	free(out);
	catalog_free(c);
}
END_TEST

/* Found by tests/fuzz (catalog target): a host cell holding a comma or
 * quote was written host by host, each quoted on its own ("a.nl," b.nl),
 * which does not load back. The cell is now quoted as a whole. */
START_TEST(test_write_hosts_with_comma)
{
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,\"a.nl, b\"\"q c.nl\",P,/i,,\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->nhosts, 3);
	char *out = write_str(c);
	ck_assert_str_eq(out, "gemeente,host,product,info,form,done\n"
	                      "A,\"a.nl, b\"\"q c.nl\",P,/i,,\n");
	catalog *d = load_str(out);
	ck_assert_msg(d != NULL, "%s", err);
	ck_assert_uint_eq(d->nhosts, 3);
	ck_assert_int_eq(host_gem(d, "a.nl,"), 0);
	ck_assert_int_eq(host_gem(d, "b\"q"), 0);
	free(out);
	catalog_free(d);
	catalog_free(c);
}
END_TEST

START_TEST(test_builtin)
{
	catalog *b = catalog_builtin();
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->builtin, 1);
	ck_assert_str_eq(b->name, "built-in");
	ck_assert_uint_eq(b->nrows, 10);
	ck_assert_uint_eq(b->ngem, 0);
	ck_assert_uint_eq(b->nhosts, 0);
	ck_assert_str_eq(b->rows[0].product, "Verhuizing doorgeven");
	ck_assert_str_eq(b->rows[1].product, "Parkeervergunning");
	ck_assert_str_eq(b->rows[2].product, "Uittreksel BRP");
	for (size_t i = 0; i < b->nrows; i++) {
		ck_assert_int_eq(b->rows[i].gem, -1);
		ck_assert_int_eq(b->rows[i].line, (long)i + 2);
		for (int s = 0; s < STEP_COUNT; s++) {
			ck_assert_ptr_nonnull(b->rows[i].pat[s]);
			ck_assert(strncmp(b->rows[i].pat[s], "(?i)", 4) == 0);
		}
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(b->rows[i].product, b->rows[j].product);
	}

	/* round trip: write, load back with catalog_load, write again */
	char *out = write_str(b);
	const char *head = "gemeente,host,product,info,form,done\n"
	                   "Voorbeeldgemeente,www.voorbeeldgemeente.nl,"
	                   "Verhuizing doorgeven,(?i)";
	ck_assert(strncmp(out, head, strlen(head)) == 0);
	catalog *c = load_str(out);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(c->builtin, 0);
	ck_assert_uint_eq(c->ngem, 1);
	ck_assert_str_eq(c->gemeenten[0], "Voorbeeldgemeente");
	ck_assert_uint_eq(c->nhosts, 1);
	ck_assert_str_eq(c->hosts[0].host, "www.voorbeeldgemeente.nl");
	ck_assert_uint_eq(c->nrows, b->nrows);
	for (size_t i = 0; i < b->nrows; i++) {
		ck_assert_str_eq(c->rows[i].product, b->rows[i].product);
		ck_assert_int_eq(c->rows[i].line, b->rows[i].line);
		for (int s = 0; s < STEP_COUNT; s++)
			ck_assert_str_eq(c->rows[i].pat[s], b->rows[i].pat[s]);
	}
	char *again = write_str(c);
	ck_assert_str_eq(again, out);
	free(again);
	free(out);
	catalog_free(c);
	catalog_free(b);
	catalog_free(NULL);
}
END_TEST

START_TEST(test_step_names)
{
	ck_assert_str_eq(catalog_step_names[STEP_INFO], "info");
	ck_assert_str_eq(catalog_step_names[STEP_FORM], "form");
	ck_assert_str_eq(catalog_step_names[STEP_DONE], "done");
}
END_TEST

START_TEST(test_example_file)
{
	FILE *fp = fopen("testdata/catalog/example.csv", "r");
	ck_assert_msg(fp != NULL, "run the tests from the source tree");
	catalog *c = catalog_load(fp, "example.csv", err, sizeof err);
	fclose(fp);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->ngem, 3);
	ck_assert_str_eq(c->gemeenten[0], "Utrecht");
	ck_assert_str_eq(c->gemeenten[1], "Zwolle");
	ck_assert_str_eq(c->gemeenten[2], "Tilburg");
	ck_assert_uint_eq(c->nrows, 9);
	ck_assert_int_eq(host_gem(c, "utrecht.nl"), 0);
	ck_assert_int_eq(host_gem(c, "www.zwolle.nl"), 1);
	ck_assert_int_eq(host_gem(c, "www.tilburg.nl"), 2);
	catalog_free(c);
}
END_TEST

Suite *catalog_suite(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("catalog");
	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_header_order_case_extra);
	tcase_add_test(tc, test_quoted_cells_and_lines);
	tcase_add_test(tc, test_hosts);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_write_quoting_round_trip);
	tcase_add_test(tc, test_write_hosts_with_comma);
	tcase_add_test(tc, test_builtin);
	tcase_add_test(tc, test_step_names);
	tcase_add_test(tc, test_example_file);
	suite_add_tcase(s, tc);
	return s;
}
