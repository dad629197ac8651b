/*
 * check_catalog.c - unit tests for the catalogue reader and writer
 * (klantreis(1), CATALOGUE): column handling, comments, BOM, quoting and
 * line numbers, separators (',', ';', tab), strict UTF-8, every error
 * message, hosts, and the CSV round trip.
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

START_TEST(test_separator_semicolon_bom_crlf)
{
	/* as Dutch Excel and LibreOffice save it: BOM, ';', CRLF; a quoted
	 * cell holding ';' and a doubled quote, a pattern with a bare comma,
	 * a quoted cell spanning lines, a comment */
	catalog *c = load_str(
		"\xef\xbb\xbfgemeente;host;product;info;form;done\r\n"           /* 1 */
		"S\xc3\xba" "dwest-Frysl\xc3\xa2n;www.sudwestfryslan.nl;Paspoort;"
		"\"^/pas(?:;x)?\";/form/pas{1,2};/pas/klaar\r\n"                  /* 2 */
		"# opmerking; met, scheidingstekens\r\n"                         /* 3 */
		"S\xc3\xba" "dwest-Frysl\xc3\xa2n;;\"Twee;\r\n"                   /* 4 */
		"regels \"\"x\"\"\";/i,j;;\r\n"                                   /* 5 */
		"Utrecht;utrecht.nl;Parkeren;/parkeren;;\r\n");                  /* 6 */
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->ngem, 2);
	ck_assert_str_eq(c->gemeenten[0], "S\xc3\xba" "dwest-Frysl\xc3\xa2n");
	ck_assert_str_eq(c->gemeenten[1], "Utrecht");
	ck_assert_uint_eq(c->nrows, 3);
	ck_assert_str_eq(c->rows[0].pat[STEP_INFO], "^/pas(?:;x)?");
	ck_assert_str_eq(c->rows[0].pat[STEP_FORM], "/form/pas{1,2}");
	ck_assert_str_eq(c->rows[0].pat[STEP_DONE], "/pas/klaar");
	ck_assert_int_eq(c->rows[0].line, 2);
	ck_assert_str_eq(c->rows[1].product, "Twee;\r\nregels \"x\"");
	ck_assert_str_eq(c->rows[1].pat[STEP_INFO], "/i,j");
	ck_assert_ptr_null(c->rows[1].pat[STEP_FORM]);
	ck_assert_int_eq(c->rows[1].line, 4);
	ck_assert_str_eq(c->rows[2].product, "Parkeren");
	ck_assert_int_eq(c->rows[2].line, 6);
	ck_assert_int_eq(host_gem(c, "www.sudwestfryslan.nl"), 0);
	ck_assert_int_eq(host_gem(c, "utrecht.nl"), 1);
	catalog_free(c);

	/* rows of only empty cells, as spreadsheets save rows that once held
	 * something, are skipped like blank lines (also before the header) */
	c = load_str(";;\r\n"
	             "gemeente;host;product;info;form;done;;\r\n"
	             "A;a.nl;P;/i;;;;\r\n"
	             ";;;;;;;\r\n"
	             "\"\";;;;;;;\r\n"
	             "A;a.nl;Q;/q;;;;\r\n"
	             ";;;;;;;\r\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->nrows, 2);
	ck_assert_int_eq(c->rows[1].line, 6);
	catalog_free(c);

	/* errors keep FILE:LINE in a ';' catalogue */
	expect_error("\xef\xbb\xbfgemeente;host;product;info;form;done\r\n"
	             "A;a.nl;P;/i;/f;/d\r\n"
	             ";b.nl;P;/i;/f;/d\r\n",
	             "cat.csv:3: column 'gemeente': empty");
	expect_error("gemeente;host;product;info;form\r\n",
	             "cat.csv:1: column 'done': missing");
	expect_error("gemeente;host;product;info;form;done\r\n"
	             "A;a.nl;P;/i;/f\r\n",
	             "cat.csv:2: column 'done': missing (the row has 5 cells, the header 6)");
	/* a header that is one cell names the separators */
	expect_error("gemeente|host|product|info|form|done\n",
	             "cat.csv:1: column 'gemeente': missing (the header is one cell: "
	             "separate the cells with ',', ';' or a tab)");
}
END_TEST

START_TEST(test_separator_tab_and_ties)
{
	/* tab-separated: empty cells, a quoted tab, spaces inside a cell */
	catalog *c = load_str(
		"gemeente\thost\tproduct\tinfo\tform\tdone\n"
		"Alpha\ta.nl b.nl\tP 1\t/i\t\t\"/d\tx\"\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(c->rows[0].product, "P 1");
	ck_assert_ptr_null(c->rows[0].pat[STEP_FORM]);
	ck_assert_str_eq(c->rows[0].pat[STEP_DONE], "/d\tx");
	ck_assert_int_eq(host_gem(c, "b.nl"), 0);
	catalog_free(c);

	/* separators inside quotes do not count; commas still win here, and
	 * a ';' in a comma catalogue is an ordinary character */
	c = load_str("gemeente,host,product,info,form,done,\"a;b;c;d;e;f;g\"\n"
	             "A,a.nl,P;Q,/i;x,,,\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(c->rows[0].product, "P;Q");
	ck_assert_str_eq(c->rows[0].pat[STEP_INFO], "/i;x");
	catalog_free(c);

	/* the separator is chosen on the header, not on comments or a quoted
	 * comment row before it */
	c = load_str("# a, b, c, d, e, f, g, h\n"
	             "\"# quoted, comment, with, commas, , , , ,\"\n"
	             "gemeente;host;product;info;form;done\n"
	             "A;a.nl;P,Q;/i;;\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(c->rows[0].product, "P,Q");
	ck_assert_int_eq(c->rows[0].line, 4);
	catalog_free(c);
}
END_TEST

START_TEST(test_not_utf8)
{
	/* Latin-1 from old Excel: refused at the line and column of the byte,
	 * with the iconv command */
	expect_error("gemeente;host;product;info;form;done\r\n"
	             "Utrecht;utrecht.nl;P;/i;;\r\n"
	             "S\xfa" "dwest-Frysl\xe2n;sudwestfryslan.nl;P;/i;;\r\n",
	             "cat.csv:3: column 'gemeente': not UTF-8 (byte 0xFA after 'S'); "
	             "convert the file with: iconv -f latin1 -t utf-8 cat.csv > cat.csv.utf8");
	/* Windows-1252 quotes (0x93) get that code page */
	expect_error("gemeente,host,product,info,form,done\n"
	             "A,a.nl,\x93Paspoort\x94,/i,,\n",
	             "cat.csv:2: column 'product': not UTF-8 (byte 0x93 at the start of the "
	             "cell); convert the file with: iconv -f windows-1252 -t utf-8 cat.csv > "
	             "cat.csv.utf8");
	/* in a quoted cell spanning lines: the line of the byte */
	expect_error("gemeente,host,product,info,form,done,notitie\n"
	             "A,a.nl,P,/i,,,\"een\nt\xe9" "st\nx\"\n",
	             "cat.csv:3: column 'notitie': not UTF-8 (byte 0xE9 after 't'); convert "
	             "the file with: iconv -f latin1 -t utf-8 cat.csv > cat.csv.utf8");
	/* in the header */
	expect_error("gemeente,host,product,info,form,done,caf\xe9\n",
	             "cat.csv:1: header cell 7: not UTF-8 (byte 0xE9 after 'caf'); convert "
	             "the file with: iconv -f latin1 -t utf-8 cat.csv > cat.csv.utf8");
	/* strict: overlong '/', overlong 3-byte, a surrogate, above U+10FFFF,
	 * a sequence cut short, a lone continuation byte */
	static const char *const bad[] = {
		"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf0\x8f\xbf\xbf", "\xc3", "\xe2\x82", "\x80", "\xf8\x88\x80\x80\x80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char in[128], msg[256];
		snprintf(in, sizeof in, "gemeente,host,product,info,form,done\n"
		         "A,a.nl,P,/i%s,,\n", bad[i]);
		snprintf(msg, sizeof msg, "cat.csv:2: column 'info': not UTF-8 (byte 0x%02X "
		         "after '/i'); convert the file with: iconv -f %s -t utf-8 cat.csv > "
		         "cat.csv.utf8", (unsigned char)bad[i][0],
		         (unsigned char)bad[i][0] <= 0x9F ? "windows-1252" : "latin1");
		expect_error(in, msg);
	}
	/* the largest and smallest valid forms of each length load */
	catalog *c = load_str("gemeente,host,product,info,form,done\n"
	                      "A,a.nl,P,/\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf"
	                      "\xee\x80\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf,,\n");
	ck_assert_msg(c != NULL, "%s", err);
	catalog_free(c);
	/* a file name a shell would split is quoted in the command */
	const char *s = "gemeente,host,product,info,form,done\nA\xff,a.nl,P,/i,,\n";
	FILE *fp = fmemopen((void *)(uintptr_t)s, strlen(s), "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_null(catalog_load(fp, "mijn cat.csv", err, sizeof err));
	fclose(fp);
	ck_assert_str_eq(err, "mijn cat.csv:2: column 'gemeente': not UTF-8 (byte 0xFF "
	                      "after 'A'); convert the file with: iconv -f latin1 -t utf-8 "
	                      "'mijn cat.csv' > 'mijn cat.csv.utf8'");
	fp = fmemopen((void *)(uintptr_t)s, strlen(s), "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_null(catalog_load(fp, "it's.csv", err, sizeof err));
	fclose(fp);
	ck_assert_str_eq(err, "it's.csv:2: column 'gemeente': not UTF-8 (byte 0xFF after "
	                      "'A'); convert the file with: iconv -f latin1 -t utf-8 "
	                      "'it'\\''s.csv' > 'it'\\''s.csv.utf8'");
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

/* A national-size catalogue (400 gemeenten, 4,000 rows, 800 hosts): the
 * load index keeps gemeenten in order of first appearance, each host once,
 * the same product name in every gemeente, and still finds a duplicate
 * product or host named far from its first use. */
static char *national_text(int ngem, const char *extra)
{
	size_t cap = (size_t)ngem * 10 * 80 + strlen(extra) + 64, o = 0;
	char *s = malloc(cap);
	ck_assert_ptr_nonnull(s);
	o += (size_t)snprintf(s + o, cap - o, "gemeente,host,product,info,form,done\n");
	for (int p = 0; p < 10; p++) /* interleaved: gemeente order is g = 0, 1, ... */
		for (int g = 0; g < ngem; g++)
			o += (size_t)snprintf(s + o, cap - o, "G%d,www.g%d.nl g%d.nl,P%d,^/p%d$,,\n",
			                      g, g, g, p, p);
	snprintf(s + o, cap - o, "%s", extra);
	return s;
}

START_TEST(test_national_size)
{
	char *s = national_text(400, "");
	catalog *c = load_str(s);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->ngem, 400);
	ck_assert_uint_eq(c->nrows, 4000);
	ck_assert_uint_eq(c->nhosts, 800);
	ck_assert_str_eq(c->gemeenten[0], "G0");
	ck_assert_str_eq(c->gemeenten[399], "G399");
	ck_assert_int_eq(c->rows[3999].gem, 399);
	ck_assert_str_eq(c->rows[3999].product, "P9");
	ck_assert_str_eq(c->hosts[799].host, "g399.nl");
	ck_assert_int_eq(c->hosts[799].gem, 399);
	ck_assert_int_eq(catalog_find_gemeente(c, "G123"), 123);
	catalog_free(c);
	free(s);
	s = national_text(400, "G7,,P3,^/x$,,\n");
	expect_error(s, "cat.csv:4002: column 'product': duplicate product 'P3' for gemeente "
	             "'G7', first on line 1209");
	free(s);
	s = national_text(400, "G400,g400.nl G17.NL,P0,^/x$,,\n");
	expect_error(s, "cat.csv:4002: column 'host': host 'g17.nl' already belongs to "
	             "gemeente 'G17'");
	free(s);
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
	tcase_add_test(tc, test_separator_semicolon_bom_crlf);
	tcase_add_test(tc, test_separator_tab_and_ties);
	tcase_add_test(tc, test_not_utf8);
	tcase_add_test(tc, test_write_quoting_round_trip);
	tcase_add_test(tc, test_write_hosts_with_comma);
	tcase_add_test(tc, test_national_size);
	tcase_add_test(tc, test_builtin);
	tcase_add_test(tc, test_step_names);
	tcase_add_test(tc, test_example_file);
	suite_add_tcase(s, tc);
	return s;
}
