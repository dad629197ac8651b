/*
 * check_logfmt.c - unit tests for logfmt: the three presets field by field,
 * host and target normalization, malformed lines, format detection, and the
 * real Apache corpus (every line must parse as combined).
 *
 * Times were checked with `date -u -d '2000-10-10 13:55:36 -0700' +%s`.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logfmt.h"

#ifndef KR_CORPUS
#define KR_CORPUS "../shared/corpus/elastic-apache_logs.log"
#endif

static char line_buf[2048];

/* Parses s (copied into line_buf) with the preset named fmt. */
static int parse(const char *fmt, const char *s, kr_record *rec)
{
	char err[128];
	logfmt *f = logfmt_new(fmt, err, sizeof err);
	ck_assert_msg(f != NULL, "%s", err);
	size_t n = strlen(s);
	ck_assert_uint_lt(n, sizeof line_buf);
	memcpy(line_buf, s, n + 1);
	int r = logfmt_parse(f, line_buf, n, rec);
	logfmt_free(f);
	return r;
}

#define ck_str(slice, want) do { \
	kr_str s_ = (slice); \
	const char *w_ = (want); \
	ck_assert_msg(s_.n == strlen(w_) && (s_.n == 0 || memcmp(s_.p, w_, s_.n) == 0), \
	              "%s is '%.*s', want '%s'", #slice, (int)s_.n, s_.p ? s_.p : "", w_); \
} while (0)

START_TEST(test_common)
{
	kr_record r;
	ck_assert_int_eq(parse("common", "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
	                       "\"GET /apache_pb.gif HTTP/1.0\" 200 2326", &r), LOGFMT_OK);
	ck_str(r.client, "127.0.0.1");
	ck_str(r.host, "");
	ck_str(r.method, "GET");
	ck_str(r.target, "/apache_pb.gif");
	ck_str(r.referer, "");
	ck_str(r.user_agent, "");
	ck_str(r.xff, "");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, 971186136);
	ck_assert_int_eq(r.instant_us, INT64_C(971211336000000));

	ck_assert_int_eq(parse("common", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"HEAD /x?a=1&b=%20 HTTP/1.1\" 304 -", &r), LOGFMT_OK);
	ck_str(r.method, "HEAD");
	ck_str(r.target, "/x?a=1&b=%20");
	ck_assert_int_eq(r.status, 304);
	ck_assert_int_eq(r.wall, 1431857103);
	ck_assert_int_eq(r.instant_us, INT64_C(1431857103000000));
}
END_TEST

START_TEST(test_combined)
{
	kr_record r;
	ck_assert_int_eq(parse("combined", "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
	                       "\"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
	                       "\"http://www.example.com/start.html\" "
	                       "\"Mozilla/4.08 [en] (Win98; I ;Nav)\"", &r), LOGFMT_OK);
	ck_str(r.client, "127.0.0.1");
	ck_str(r.host, "");
	ck_str(r.method, "GET");
	ck_str(r.target, "/apache_pb.gif");
	ck_str(r.referer, "http://www.example.com/start.html");
	ck_str(r.user_agent, "Mozilla/4.08 [en] (Win98; I ;Nav)");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, 971186136);
	ck_assert_int_eq(r.instant_us, INT64_C(971211336000000));

	/* +0530: the instant is 5h30 before the wall clock. "-" is kept. */
	ck_assert_int_eq(parse("combined", "10.1.2.3 - - [17/May/2015:10:05:03 +0530] "
	                       "\"POST /form HTTP/1.1\" 302 0 \"-\" \"-\"", &r), LOGFMT_OK);
	ck_str(r.method, "POST");
	ck_str(r.target, "/form");
	ck_str(r.referer, "-");
	ck_str(r.user_agent, "-");
	ck_assert_int_eq(r.status, 302);
	ck_assert_int_eq(r.wall, 1431857103);
	ck_assert_int_eq(r.instant_us, INT64_C(1431837303000000));

	/* Empty quoted fields, extra trailing fields, no protocol. */
	ck_assert_int_eq(parse("combined", "10.1.2.3 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET /x\" 200 5 \"\" \"\" 1234 \"extra\"", &r), LOGFMT_OK);
	ck_str(r.target, "/x");
	ck_str(r.referer, "");
	ck_str(r.user_agent, "");
}
END_TEST

START_TEST(test_vhost_combined)
{
	kr_record r;
	ck_assert_int_eq(parse("vhost_combined", "www.example.nl:443 192.0.2.7 - - "
	                       "[02/Nov/2026:10:00:00 +0100] \"GET /paspoort HTTP/2.0\" 200 512 "
	                       "\"https://www.example.nl/\" \"Mozilla/5.0 (X11)\"", &r), LOGFMT_OK);
	ck_str(r.host, "www.example.nl");
	ck_str(r.client, "192.0.2.7");
	ck_str(r.method, "GET");
	ck_str(r.target, "/paspoort");
	ck_str(r.referer, "https://www.example.nl/");
	ck_str(r.user_agent, "Mozilla/5.0 (X11)");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, 1793613600);                   /* 2026-11-02 10:00 */
	ck_assert_int_eq(r.instant_us, INT64_C(1793610000000000)); /* 09:00 UTC */

	/* Without ":%p", upper case and a trailing dot: lower-cased in place. */
	ck_assert_int_eq(parse("vhost_combined", "WWW.Example.NL. 192.0.2.7 - - "
	                       "[02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1 "
	                       "\"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "www.example.nl");
	ck_assert(r.host.p == line_buf);
	ck_assert(memcmp(line_buf, "www.example.nl. ", 16) == 0);

	ck_assert_int_eq(parse("vhost_combined", "WWW.EXAMPLE.NL.:8080 192.0.2.7 - - "
	                       "[02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1 "
	                       "\"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "www.example.nl");
}
END_TEST

START_TEST(test_ipv6)
{
	kr_record r;
	/* IPv6 client in combined. */
	ck_assert_int_eq(parse("combined", "2001:db8::1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.client, "2001:db8::1");
	ck_str(r.host, "");

	/* Bracketed literal with port as vhost, IPv6 client. */
	ck_assert_int_eq(parse("vhost_combined", "[::1]:443 2001:db8::1 - - "
	                       "[17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 "
	                       "\"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "[::1]");
	ck_str(r.client, "2001:db8::1");

	/* Bracketed literal without port stays whole. */
	ck_assert_int_eq(parse("vhost_combined", "[2001:DB8::5] ::1 - - "
	                       "[17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 "
	                       "\"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "[2001:db8::5]");
	ck_str(r.client, "::1");

	/* A bare IPv6 vhost ends in ":digits" but has no port. */
	ck_assert_int_eq(parse("vhost_combined", "2001:db8::2 2001:db8::1 - - "
	                       "[17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 "
	                       "\"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "2001:db8::2");
}
END_TEST

START_TEST(test_absolute_form)
{
	kr_record r;
	ck_assert_int_eq(parse("combined", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET http://WWW.Example.COM.:8080/p/q?x=1 HTTP/1.1\" 200 5 "
	                       "\"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "www.example.com");
	ck_str(r.target, "/p/q?x=1");

	ck_assert_int_eq(parse("combined", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET https://example.com HTTP/1.1\" 200 5 \"-\" \"UA\"", &r),
	                 LOGFMT_OK);
	ck_str(r.host, "example.com");
	ck_str(r.target, "/");

	ck_assert_int_eq(parse("combined", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET HTTP://Example.com?x=1 HTTP/1.1\" 200 5 \"-\" \"UA\"", &r),
	                 LOGFMT_OK);
	ck_str(r.host, "example.com");
	ck_str(r.target, "/?x=1");
	ck_str(r.user_agent, "UA");

	ck_assert_int_eq(parse("combined", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"CONNECT user:pw@example.com:443 HTTP/1.1\" 200 5 \"-\" \"UA\"", &r),
	                 LOGFMT_OK);
	ck_str(r.host, "");
	ck_str(r.target, "user:pw@example.com:443");

	/* With a vhost field the vhost wins; the target is still reduced. */
	ck_assert_int_eq(parse("vhost_combined", "gemeente.nl:80 10.0.0.1 - - "
	                       "[17/May/2015:10:05:03 +0000] \"GET http://other.nl/a HTTP/1.1\" "
	                       "200 5 \"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "gemeente.nl");
	ck_str(r.target, "/a");

	/* Common has no vhost either. */
	ck_assert_int_eq(parse("common", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET http://u@Other.NL/b HTTP/1.1\" 200 5", &r), LOGFMT_OK);
	ck_str(r.host, "other.nl");
	ck_str(r.target, "/b");
}
END_TEST

START_TEST(test_escapes_and_crlf)
{
	kr_record r;
	ck_assert_int_eq(parse("combined", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET /a\\\"b HTTP/1.1\" 200 5 \"-\" "
	                       "\"Mozilla \\\"quoted\\\" x\\\\\"", &r), LOGFMT_OK);
	ck_str(r.target, "/a\\\"b");
	ck_str(r.user_agent, "Mozilla \\\"quoted\\\" x\\\\");

	ck_assert_int_eq(parse("combined", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET /crlf HTTP/1.1\" 200 5 \"-\" \"UA\"\r", &r), LOGFMT_OK);
	ck_str(r.user_agent, "UA");
	ck_assert_int_eq(parse("common", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET /crlf HTTP/1.1\" 200 5\r", &r), LOGFMT_OK);
	ck_str(r.target, "/crlf");

	/* A line cut inside the user agent (seen in the corpus) keeps it. */
	ck_assert_int_eq(parse("combined", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET /x HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 (compatible; Goo",
	                       &r), LOGFMT_OK);
	ck_str(r.user_agent, "Mozilla/5.0 (compatible; Goo");
	ck_assert_int_eq(parse("combined", "", &r), LOGFMT_SKIP);
}
END_TEST

START_TEST(test_malformed)
{
	static const char *bad_combined[] = {
		/* bad dates */
		"1.2.3.4 - - [31/Feb/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"1.2.3.4 - - [17/May/2015:25:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"1.2.3.4 - - [17/may/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"1.2.3.4 - - 17/May/2015:10:05:03 +0000 \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		/* status */
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 20 5 \"-\" \"UA\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 2000 5 \"-\" \"UA\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" OK 5 \"-\" \"UA\"",
		/* bytes */
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5k \"-\" \"UA\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200  \"-\" \"UA\"",
		/* missing quotes */
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1 200 5 \"-\" \"UA\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 - \"UA\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" UA",
		/* request line without target */
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"-\" 400 0 \"-\" \"-\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET\" 400 0 \"-\" \"-\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET HTTP/1.1\" 400 0 \"-\" \"-\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"\" 400 0 \"-\" \"-\"",
		/* truncated lines */
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\"",
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /ind",
		"1.2.3.4 - - [17/May/2015:10:0",
		"1.2.3.4 - -",
		/* junk after the user agent that is not a new field */
		"1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"x",
		/* empty or doubled separators */
		"1.2.3.4  - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		" 1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"hello world",
	};
	kr_record r;
	for (size_t k = 0; k < sizeof bad_combined / sizeof bad_combined[0]; k++)
		ck_assert_msg(parse("combined", bad_combined[k], &r) == LOGFMT_MALFORMED,
		              "accepted: %s", bad_combined[k]);

	/* Common ends after %b: a combined line is not common. */
	ck_assert_int_eq(parse("common", "1.2.3.4 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"", &r), LOGFMT_MALFORMED);
	/* A combined line lacks the vhost field. */
	ck_assert_int_eq(parse("vhost_combined", "1.2.3.4 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"", &r), LOGFMT_MALFORMED);
	ck_assert_int_eq(parse("vhost_combined", "1.2.3.4 - frank [17/May/2015:10:05:03 +0000] "
	                       "\"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"", &r), LOGFMT_MALFORMED);
}
END_TEST

START_TEST(test_new)
{
	char err[128] = "";
	logfmt *f = logfmt_new("combined", err, sizeof err);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(logfmt_name(f), "combined");
	logfmt_free(f);
	f = logfmt_new("vhost_combined", err, sizeof err);
	ck_assert_str_eq(logfmt_name(f), "vhost_combined");
	logfmt_free(f);
	f = logfmt_new("common", err, sizeof err);
	ck_assert_str_eq(logfmt_name(f), "common");
	logfmt_free(f);
	ck_assert_ptr_null(logfmt_new("x", err, sizeof err));
	ck_assert_str_eq(err, "unknown log format 'x'");
	ck_assert_ptr_null(logfmt_new("Combined", err, sizeof err));
	ck_assert_str_eq(err, "unknown log format 'Combined'");
	logfmt_free(NULL);
}
END_TEST

/* Appends n copies of line (plus '\n') to buf at *off. */
static void add(char *buf, size_t *off, const char *line, int n)
{
	for (int i = 0; i < n; i++) {
		size_t l = strlen(line);
		memcpy(buf + *off, line, l);
		buf[*off + l] = '\n';
		*off += l + 1;
	}
}

static const char *L_COMMON =
	"10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5";
static const char *L_COMBINED =
	"10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"";
static const char *L_VHOST =
	"www.x.nl:443 10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"";
static const char *L_VHOST_NOPORT =
	"www.x.nl 10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"";

/* Runs detection on buf[0..n) and checks the chosen name (NULL: none). */
static void detect(const char *buf, size_t n, const char *want, const char *want_why)
{
	char why[160] = "";
	logfmt *f = logfmt_detect(buf, n, why, sizeof why);
	if (want == NULL) {
		ck_assert_msg(f == NULL, "detected %s", f ? logfmt_name(f) : "");
	} else {
		ck_assert_msg(f != NULL, "nothing detected: %s", why);
		ck_assert_str_eq(logfmt_name(f), want);
	}
	ck_assert_str_eq(why, want_why);
	logfmt_free(f);
}

START_TEST(test_detect)
{
	static char buf[1 << 14];
	size_t n = 0;

	add(buf, &n, L_COMMON, 25);
	detect(buf, n, "common", "common: 20 of 20 lines");
	n = 0;
	add(buf, &n, L_COMBINED, 3);
	detect(buf, n, "combined", "combined: 3 of 3 lines");
	n = 0;
	add(buf, &n, L_VHOST, 2);
	add(buf, &n, "", 2);               /* blank lines do not count */
	add(buf, &n, L_VHOST_NOPORT, 20);
	detect(buf, n, "vhost_combined", "vhost_combined: 20 of 20 lines");

	/* A majority is enough; half is not. */
	n = 0;
	add(buf, &n, "garbage", 9);
	add(buf, &n, L_COMBINED, 11);
	detect(buf, n, "combined", "combined: 11 of 20 lines");
	n = 0;
	add(buf, &n, "garbage", 10);
	add(buf, &n, L_COMBINED, 10);
	detect(buf, n, NULL, "no format fits a majority: combined parses 10 of 20 lines");

	/* The incomplete last line is ignored ... */
	n = 0;
	add(buf, &n, L_COMBINED, 2);
	memcpy(buf + n, "xx", 2);
	detect(buf, n + 2, "combined", "combined: 2 of 2 lines");
	/* ... unless it is the only one. */
	detect(L_COMMON, strlen(L_COMMON), "common", "common: 1 of 1 lines");

	/* CRLF line ends. */
	n = 0;
	add(buf, &n, "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5\r", 4);
	detect(buf, n, "common", "common: 4 of 4 lines");

	const char *garbage = "hello\nworld\n{\"json\": true}\n";
	detect(garbage, strlen(garbage), NULL,
	       "no known format fits any of the first 3 lines");
	detect("\n\n  \n", 5, NULL, "no lines");
	detect("", 0, NULL, "no lines");
}
END_TEST

START_TEST(test_corpus)
{
	FILE *fp = fopen(KR_CORPUS, "r");
	ck_assert_msg(fp != NULL, "cannot open '%s'", KR_CORPUS);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	/* Detect from the first 30 lines. */
	static char head[1 << 16];
	size_t hn = 0;
	for (int i = 0; i < 30 && (len = getline(&line, &cap, fp)) > 0; i++) {
		ck_assert_uint_lt(hn + (size_t)len, sizeof head);
		memcpy(head + hn, line, (size_t)len);
		hn += (size_t)len;
	}
	char why[160];
	logfmt *f = logfmt_detect(head, hn, why, sizeof why);
	ck_assert_msg(f != NULL, "%s", why);
	ck_assert_str_eq(logfmt_name(f), "combined");
	ck_assert_str_eq(why, "combined: 20 of 20 lines");

	rewind(fp);
	long lines = 0, malformed = 0, ok200 = 0, get = 0, post = 0, with_host = 0;
	kr_record r;
	while ((len = getline(&line, &cap, fp)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		lines++;
		int rc = logfmt_parse(f, line, (size_t)len, &r);
		if (rc != LOGFMT_OK) {
			malformed++;
			continue;
		}
		ok200 += r.status == 200;
		get += r.method.n == 3 && memcmp(r.method.p, "GET", 3) == 0;
		post += r.method.n == 4 && memcmp(r.method.p, "POST", 4) == 0;
		with_host += r.host.n > 0;
		ck_assert(r.target.n > 0);
		ck_assert(r.client.n > 0);
		if (lines == 1) {
			ck_str(r.client, "83.149.9.216");
			ck_str(r.target, "/presentations/logstash-monitorama-2013/images/"
			       "kibana-search.png");
			ck_assert_int_eq(r.wall, 1431857103);
		}
		if (lines == 8899) /* cut inside its user agent */
			ck_str(r.user_agent, "Mozilla/5.0 (compatible; Googlebot/2.1; "
			       "+http://www.google.com/bot.html");
	}
	free(line);
	fclose(fp);
	logfmt_free(f);
	/* Counts from `awk '{print $9}'` and `awk -F'"' '{print $2}'`. */
	ck_assert_int_eq(lines, 10000);
	ck_assert_int_eq(malformed, 0);
	ck_assert_int_eq(ok200, 9126);
	ck_assert_int_eq(get, 9952);
	ck_assert_int_eq(post, 5);
	ck_assert_int_eq(with_host, 0);
}
END_TEST

Suite *logfmt_suite(void)
{
	Suite *s = suite_create("logfmt");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_common);
	tcase_add_test(tc, test_combined);
	tcase_add_test(tc, test_vhost_combined);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_absolute_form);
	tcase_add_test(tc, test_escapes_and_crlf);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_new);
	tcase_add_test(tc, test_detect);
	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	return s;
}
