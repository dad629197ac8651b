/*
 * check_report_json.c - unit tests for the JSON report and the cells it
 * is built from (report_model.c, report_json.c): exact golden output,
 * parsed back by a small strict JSON validator (RFC 8259 grammar, UTF-8
 * checked), string escaping, null for empty cells, meta with and without
 * run data, write errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "report_model.h"
#include "text.h"

/* ---- a strict JSON validator: returns the end of the value at p, or
 * NULL when the text there is not valid JSON ---- */

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *j_value(const char *p, int depth);

static const char *j_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		unsigned char c = (unsigned char)*p;
		if (c == '\0' || c < 0x20)
			return NULL;
		if (c == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 5;
			} else if (*p && strchr("\"\\/bfnrt", *p)) {
				p++;
			} else {
				return NULL;
			}
		} else {
			size_t n = text_utf8_len((const unsigned char *)p, strlen(p));
			if (n == 0)
				return NULL;
			p += n;
		}
	}
	return p + 1;
}

static const char *j_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return p;
}

static const char *j_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = ws(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		int object = *p == '{';
		p = ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (object) {
				p = j_string(ws(p));
				if (!p)
					return NULL;
				p = ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = j_value(p, depth + 1);
			if (!p)
				return NULL;
			p = ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (*p == '"')
		return j_string(p);
	if (strncmp(p, "true", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	if (strncmp(p, "null", 4) == 0)
		return p + 4;
	return j_number(p);
}

/* 1 when s is exactly one JSON value (with white space around). */
static int json_valid(const char *s)
{
	const char *e = j_value(s, 0);
	return e && *ws(e) == '\0';
}

START_TEST(test_validator)
{
	ck_assert(json_valid("{\"a\": [1, -0.5, 2e3, true, false, null, \"x\\u00e9\\n\"]}"));
	ck_assert(json_valid(" [] "));
	ck_assert(json_valid("\"\xc3\xa9\""));
	static const char *bad[] = {
		"", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1,]", "[01]", "[1.]", "[.5]", "[+1]",
		"\"\x01\"", "\"\\x\"", "\"\xff\"", "[1] [2]", "{a: 1}", "[nul]", "\"\\u12\"",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(!json_valid(bad[k]), "%s", bad[k]);
}
END_TEST

/* ---- helpers ---- */

static report_row row(const char *period, const char *gemeente, const char *product,
		      int64_t info, int64_t form, int64_t done)
{
	report_row r;
	memset(&r, 0, sizeof r);
	snprintf(r.period, sizeof r.period, "%s", period);
	r.gemeente = gemeente;
	r.product = product;
	r.n[0] = info;
	r.n[1] = form;
	r.n[2] = done;
	return r;
}

static char *render(const report_table *t, enum report_format fmt, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	*ret = report_write(t, fmt, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return buf;
}

/* ---- the report model ---- */

START_TEST(test_model)
{
	report_row r[2];
	char buf[64];
	r[0] = row("2026-W45", "Den \"Haag\", Zuid", "a\nb", 3, 2, 1);
	r[0].eligible = 1;
	r[0].has_median = 1;
	r[0].median = 1.0 / 3.0;
	r[0].ranked = 1;
	r[0].rank = 1;
	r[1] = row("2026-W45", NULL, "p", 0, 0, 0);
	report_table t = { .rows = r, .nrows = 2, .by = KTIME_BY_WEEK };
	report_model *m = report_model_new(&t);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->ncols, 13);
	ck_assert_uint_eq(m->nrows, 2);
	ck_assert_int_eq(m->cols[0], REPORT_COL_PERIOD);
	ck_assert_int_eq(m->cols[12], REPORT_COL_GAIN);
	ck_assert_str_eq(report_col_name(REPORT_COL_GAIN), "potential_gain");
	ck_assert_int_eq(report_col_is_text(REPORT_COL_PRODUCT), 1);
	ck_assert_int_eq(report_col_is_text(REPORT_COL_INFO), 0);
	ck_assert_int_eq(report_model_has(m, REPORT_COL_RANK), 1);
	ck_assert_int_eq(report_model_has(m, REPORT_COL_CONV_LOW), 0);
	/* text cells borrow the table's strings as they are */
	const report_cell *c = report_model_cell(m, 0, REPORT_COL_GEMEENTE);
	ck_assert_int_eq(c->kind, REPORT_CELL_TEXT);
	ck_assert_ptr_eq(c->text, r[0].gemeente);
	ck_assert_int_eq(report_model_cell(m, 1, REPORT_COL_GEMEENTE)->kind, REPORT_CELL_EMPTY);
	c = report_model_cell(m, 0, REPORT_COL_FORM_RATE);
	ck_assert_int_eq(c->kind, REPORT_CELL_RATE);
	ck_assert_str_eq(report_model_format(c, buf, sizeof buf), "0.6667");
	c = report_model_cell(m, 0, REPORT_COL_MEDIAN);
	ck_assert_str_eq(report_model_format(c, buf, sizeof buf), "0.3333");
	c = report_model_cell(m, 0, REPORT_COL_INFO);
	ck_assert_int_eq(c->kind, REPORT_CELL_COUNT);
	ck_assert_str_eq(report_model_format(c, buf, sizeof buf), "3");
	/* no denominator, not in the benchmark: empty */
	ck_assert_int_eq(report_model_cell(m, 1, REPORT_COL_DONE_RATE)->kind, REPORT_CELL_EMPTY);
	ck_assert_int_eq(report_model_cell(m, 1, REPORT_COL_RANK)->kind, REPORT_CELL_EMPTY);
	ck_assert_str_eq(report_model_format(report_model_cell(m, 1, REPORT_COL_RANK), buf,
	                                     sizeof buf), "");
	report_model_free(m);
	report_model_free(NULL);

	/* --min-cell 3 hides done = 1 (and what is computed from it), and
	 * --details adds four columns */
	t.min_cell = 3;
	t.details = 1;
	t.by = KTIME_BY_NONE;
	m = report_model_new(&t);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->ncols, 16);
	ck_assert_int_eq(m->cols[0], REPORT_COL_GEMEENTE);
	ck_assert_int_eq(report_model_cell(m, 0, REPORT_COL_INFO)->kind, REPORT_CELL_COUNT);
	ck_assert_int_eq(report_model_cell(m, 0, REPORT_COL_DONE)->kind, REPORT_CELL_SUPPRESSED);
	ck_assert_int_eq(report_model_cell(m, 0, REPORT_COL_CONVERSION)->kind,
	                 REPORT_CELL_SUPPRESSED);
	ck_assert_int_eq(report_model_cell(m, 0, REPORT_COL_RANK)->kind, REPORT_CELL_SUPPRESSED);
	ck_assert_int_eq(report_model_cell(m, 0, REPORT_COL_MEDIAN)->kind,
	                 REPORT_CELL_SUPPRESSED);
	ck_assert_int_eq(report_model_cell(m, 0, REPORT_COL_CONV_LOW)->kind,
	                 REPORT_CELL_SUPPRESSED);
	ck_assert_int_eq(report_model_cell(m, 0, REPORT_COL_RANKED)->kind, REPORT_CELL_COUNT);
	ck_assert_int_eq(report_model_row(m, 0)->n[2], -1);
	ck_assert_int_eq(report_model_row(m, 0)->eligible, 0);
	/* a zero stays a count */
	ck_assert_int_eq(report_model_cell(m, 1, REPORT_COL_INFO)->kind, REPORT_CELL_COUNT);
	ck_assert_int_eq(report_model_cell(m, 1, REPORT_COL_CONV_LOW)->kind, REPORT_CELL_EMPTY);
	report_model_free(m);
}
END_TEST

START_TEST(test_is_number)
{
	static const char *yes[] = { "0", "7", "12", "0.4500", "-0.0123", "1234567", "2.0" };
	static const char *no[] = { "", "-", "01", "1.", ".5", "1e5", "0,45", "+1", "1 ", "x" };
	for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++)
		ck_assert_msg(text_is_number(yes[k]), "%s", yes[k]);
	for (size_t k = 0; k < sizeof no / sizeof no[0]; k++)
		ck_assert_msg(!text_is_number(no[k]), "%s", no[k]);
}
END_TEST

START_TEST(test_utf8_len)
{
#define U(s, n) text_utf8_len((const unsigned char *)(s), n)
	ck_assert_uint_eq(U("a", 1), 1);
	ck_assert_uint_eq(U("\xc3\xa9", 2), 2);              /* é */
	ck_assert_uint_eq(U("\xc3\xa9", 1), 0);              /* cut short */
	ck_assert_uint_eq(U("\xe2\x82\xac", 3), 3);          /* € */
	ck_assert_uint_eq(U("\xf0\x9f\x98\x80", 4), 4);      /* U+1F600 */
	ck_assert_uint_eq(U("\xc0\x80", 2), 0);              /* overlong NUL */
	ck_assert_uint_eq(U("\xe0\x80\x80", 3), 0);          /* overlong */
	ck_assert_uint_eq(U("\xed\xa0\x80", 3), 0);          /* surrogate D800 */
	ck_assert_uint_eq(U("\xf4\x90\x80\x80", 4), 0);      /* above U+10FFFF */
	ck_assert_uint_eq(U("\xff", 1), 0);
	ck_assert_uint_eq(U("\x80", 1), 0);                  /* lone continuation */
	ck_assert_uint_eq(U("\xe2\x28\xa1", 3), 0);          /* bad continuation */
	ck_assert_uint_eq(U("", 0), 0);
#undef U
}
END_TEST

/* ---- JSON ---- */

START_TEST(test_json_golden)
{
	report_row r[2];
	r[0] = row("2026-11-02", "Den \"Haag\"\\", "Pas\tpoort\x01", 3, 2, 1);
	r[0].eligible = 1;
	r[0].has_median = 1;
	r[0].median = 1.0 / 3.0;
	r[0].ranked = 1;
	r[0].rank = 1;
	r[1] = row("2026-11-02", "Bad\xff" "UTF", "p", 0, 0, 0);
	r[1].has_median = 1;
	r[1].median = 1.0 / 3.0;
	r[1].ranked = 1;

	static const char *const names[] = { "access.log", "-" };
	static const char *const formats[] = { "combined", NULL };
	static const uint64_t lines[] = { 10, 2 };
	static const char *const reasons[] = { "malformed", "unknown host" };
	static const uint64_t excluded[] = { 1, 3 };
	/* gemeente ids in another order than the rows; "Zonder" has no row */
	static const char *const gems[] = { ("Bad\xff" "UTF"), "Zonder", "Den \"Haag\"\\" };
	static const uint64_t gem_ex[] = { 0, 1, 0, 0, 0, 2 };
	static const uint64_t gem_q[] = { 4, 0, 3 };
	int64_t since = INT64_C(20759) * 86400;                /* 2026-11-02 */
	int64_t until = since + 86400 + 10 * 3600 + 30 * 60;    /* 2026-11-03T10:30 */
	report_meta m = {
		.version = "0.1.0", .command_line = "klantreis analyze --format json access.log -",
		.ninputs = 2, .input_names = names, .input_formats = formats, .input_lines = lines,
		.lines = 12, .blank = 1, .qualified = 7, .matched = 5,
		.reason_names = reasons, .excluded = excluded, .nreasons = 2, .elapsed = 0.25,
		.ngem = 3, .gem_names = gems, .gem_excluded = gem_ex, .gem_qualified = gem_q,
		.since = &since, .until = &until,
	};
	report_table t = { .rows = r, .nrows = 2, .by = KTIME_BY_DAY, .meta = &m };
	int ret;
	char *out = render(&t, REPORT_JSON, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out,
		"{\n"
		"  \"meta\": {\n"
		"    \"version\": \"0.1.0\",\n"
		"    \"command_line\": \"klantreis analyze --format json access.log -\",\n"
		"    \"count\": \"visitors\",\n"
		"    \"funnel\": \"open\",\n"
		"    \"by\": \"day\",\n"
		"    \"since\": \"2026-11-02\",\n"
		"    \"until\": \"2026-11-03T10:30:00\",\n"
		"    \"inputs\": [\n"
		"      {\"name\": \"access.log\", \"format\": \"combined\", \"lines\": 10},\n"
		"      {\"name\": \"-\", \"format\": null, \"lines\": 2}\n"
		"    ],\n"
		"    \"lines\": 12,\n"
		"    \"blank\": 1,\n"
		"    \"qualified\": 7,\n"
		"    \"matched\": 5,\n"
		"    \"excluded\": {\"malformed\": 1, \"unknown_host\": 3},\n"
		"    \"gemeenten\": [\n"
		"      {\"gemeente\": \"Den \\\"Haag\\\"\\\\\", \"qualified\": 3, "
		"\"excluded\": {\"malformed\": 0, \"unknown_host\": 2}},\n"
		"      {\"gemeente\": \"Bad\\ufffdUTF\", \"qualified\": 4, "
		"\"excluded\": {\"malformed\": 0, \"unknown_host\": 1}},\n"
		"      {\"gemeente\": \"Zonder\", \"qualified\": 0, "
		"\"excluded\": {\"malformed\": 0, \"unknown_host\": 0}}\n"
		"    ],\n"
		"    \"elapsed\": 0.250\n"
		"  },\n"
		"  \"rows\": [\n"
		"    {\"period\": \"2026-11-02\", \"gemeente\": \"Den \\\"Haag\\\"\\\\\", "
		"\"product\": \"Pas\\tpoort\\u0001\", \"info\": 3, \"form\": 2, \"done\": 1, "
		"\"form_rate\": 0.6667, \"done_rate\": 0.5000, \"conversion\": 0.3333, "
		"\"median_conversion\": 0.3333, \"rank\": 1, \"ranked\": 1, \"potential_gain\": 0},\n"
		"    {\"period\": \"2026-11-02\", \"gemeente\": \"Bad\\ufffdUTF\", \"product\": \"p\", "
		"\"info\": 0, \"form\": 0, \"done\": 0, \"form_rate\": null, \"done_rate\": null, "
		"\"conversion\": null, \"median_conversion\": 0.3333, \"rank\": null, \"ranked\": 1, "
		"\"potential_gain\": null}\n"
		"  ]\n"
		"}\n");
	ck_assert(json_valid(out));
	free(out);
}
END_TEST

START_TEST(test_json_no_meta)
{
	report_table t = { .rows = NULL, .nrows = 0, .by = KTIME_BY_NONE, .count_hits = 1,
			   .sequential = 1 };
	int ret;
	char *out = render(&t, REPORT_JSON, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(out,
		"{\n"
		"  \"meta\": {\n"
		"    \"count\": \"hits\",\n"
		"    \"funnel\": \"sequential\",\n"
		"    \"by\": null\n"
		"  },\n"
		"  \"rows\": []\n"
		"}\n");
	ck_assert(json_valid(out));
	free(out);

	/* without --by there is no period key; a name that looks like a
	 * number stays a string, and the CSV's formula prefix is not applied */
	report_row r = row("", "123", "=x", 1, 1, 1);
	report_meta m = { .version = "v", .command_line = "k" };
	report_table t2 = { .rows = &r, .nrows = 1, .by = KTIME_BY_NONE, .meta = &m };
	out = render(&t2, REPORT_JSON, &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert(json_valid(out));
	ck_assert_ptr_null(strstr(out, "\"period\""));
	ck_assert_ptr_nonnull(strstr(out, "\n    {\"gemeente\": \"123\", \"product\": \"=x\", "
					  "\"info\": 1, "));
	ck_assert_ptr_nonnull(strstr(out, "\"since\": null,\n    \"until\": null,\n"
					  "    \"inputs\": [],\n"));
	ck_assert_ptr_nonnull(strstr(out, "\"excluded\": {},\n    \"elapsed\": 0.000\n"));
	free(out);
}
END_TEST

START_TEST(test_json_write_error)
{
	report_row r = row("", "a", "b", 1, 1, 1);
	report_table t = { .rows = &r, .nrows = 1, .by = KTIME_BY_NONE };
	FILE *fp = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_write(&t, REPORT_JSON, fp), -1);
	fclose(fp);
}
END_TEST

Suite *report_json_suite(void)
{
	Suite *s = suite_create("report_json");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_validator);
	tcase_add_test(tc, test_model);
	tcase_add_test(tc, test_is_number);
	tcase_add_test(tc, test_utf8_len);
	tcase_add_test(tc, test_json_golden);
	tcase_add_test(tc, test_json_no_meta);
	tcase_add_test(tc, test_json_write_error);
	suite_add_tcase(s, tc);
	return s;
}
