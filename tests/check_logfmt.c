/*
 * check_logfmt.c - unit tests for logfmt: the presets field by field,
 * host and target normalization, malformed lines, format detection, the
 * real Apache corpus (every line must parse as combined), Apache LogFormat
 * and nginx log_format strings, W3C with #Fields changing mid-file, JSON
 * (nginx escape=json, Caddy, Traefik) with escapes decoded in place.
 *
 * Times were checked with `date -u -d '2000-10-10 13:55:36 -0700' +%s`.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "logfmt.h"

#ifndef KR_CORPUS
#define KR_CORPUS "../shared/corpus/elastic-apache_logs.log"
#endif
/* The bundled copy (testdata/corpus/README), for a checkout elsewhere. */
#define KR_CORPUS_GZ "testdata/corpus/elastic-apache_logs.log.gz"

/* The corpus as a seekable stream: the shared file, else the bundled
 * gzip inflated (by gzip(1)) into a temporary file. NULL on failure. */
static FILE *open_corpus(void)
{
	FILE *fp = fopen(KR_CORPUS, "r");
	if (fp)
		return fp;
	FILE *in = popen("gzip -dc " KR_CORPUS_GZ, "r");
	FILE *t = tmpfile();
	char buf[1 << 16];
	size_t n;
	if (!in || !t) {
		if (in)
			pclose(in);
		if (t)
			fclose(t);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, t);
	if (pclose(in) != 0) {
		fclose(t);
		return NULL;
	}
	rewind(t);
	return t;
}

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

	/* Only A-Z change, also next to their neighbours in ASCII and to
	 * bytes that differ from a capital in bit 7 only (eight at a time,
	 * then the tail). */
	ck_assert_int_eq(parse("vhost_combined", "A@Z[a`z{\xC1\xDA\xC3\x89Q:1:ABC:080 192.0.2.7 - - "
	                       "[02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1 "
	                       "\"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "a@z[a`z{\xC1\xDA\xC3\x89q:1:abc:080");
	/* a port after a host with no other colon; an empty port */
	ck_assert_int_eq(parse("vhost_combined", "Gemeente.NL: 192.0.2.7 - - "
	                       "[02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1 "
	                       "\"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.host, "gemeente.nl");
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
	ck_str(r.target, "/a\\\"b"); /* the target stays as logged */
	/* the user agent is decoded, as JSON logs are: one browser, one key */
	ck_str(r.user_agent, "Mozilla \"quoted\" x\\");
	ck_assert_int_eq(parse("combined", "10.0.0.1 - - [17/May/2015:10:05:03 +0000] "
	                       "\"GET / HTTP/1.1\" 200 5 \"-\" "
	                       "\"Caf\\xc3\\xa9\\t\\q\\x4\\\\\"", &r), LOGFMT_OK);
	ck_str(r.user_agent, "Caf\xc3\xa9\t\\q\\x4\\");

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
	static const char *more[] = {"traefik", "w3c", "json", "alb", "haproxy", "cloudfront"};
	for (size_t k = 0; k < sizeof more / sizeof more[0]; k++) {
		f = logfmt_new(more[k], err, sizeof err);
		ck_assert_ptr_nonnull(f);
		ck_assert_str_eq(logfmt_name(f), more[k]);
		logfmt_free(f);
	}
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
	detect(buf, n, NULL, "no format fits a majority of the first 20 lines; closest: "
	       "combined reads 10");

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

/* ---- the fast path for combined formats against the item loop ------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A slice as offset into its buffer (or -1 when empty) and length. */
#define SAME_STR(a, abuf, b, bbuf)                                                     \
	do {                                                                           \
		ck_assert_uint_eq((a).n, (b).n);                                       \
		if ((a).n)                                                             \
			ck_assert_int_eq((a).p - (abuf), (b).p - (bbuf));              \
	} while (0)

/* Parses line[0..n) with logfmt_parse and with logfmt_parse_items, each on
 * its own copy, and asserts the same result, record and buffer. Returns
 * the result. */
static int same_both_ways(const logfmt *f, const char *line, size_t n)
{
	static char a[4096], b[4096];
	kr_record ra, rb;
	ck_assert_uint_le(n, sizeof a);
	memcpy(a, line, n);
	memcpy(b, line, n);
	int ca = logfmt_parse(f, a, n, &ra);
	int cb = logfmt_parse_items(f, b, n, &rb);
	ck_assert_msg(ca == cb, "%d vs %d: %.*s", ca, cb, (int)n, line);
	ck_assert_msg(memcmp(a, b, n) == 0, "buffers differ: %.*s", (int)n, line);
	if (ca != LOGFMT_OK)
		return ca;
	SAME_STR(ra.client, a, rb.client, b);
	SAME_STR(ra.host, a, rb.host, b);
	SAME_STR(ra.method, a, rb.method, b);
	SAME_STR(ra.target, a, rb.target, b);
	SAME_STR(ra.referer, a, rb.referer, b);
	SAME_STR(ra.user_agent, a, rb.user_agent, b);
	SAME_STR(ra.xff, a, rb.xff, b);
	ck_assert_int_eq(ra.status, rb.status);
	ck_assert_int_eq(ra.wall, rb.wall);
	ck_assert_int_eq(ra.instant_us, rb.instant_us);
	return ca;
}

/* Mutates line[0..*n) in place (capacity cap): replaces, inserts or
 * deletes a byte, mostly one of the bytes the formats care about. */
static void mutate(char *line, size_t *n, size_t cap)
{
	static const char bytes[] = " \"\\[]-:/0123456789aZ?\r\t.,x\x80\xff";
	char c = bytes[rng() % (sizeof bytes - 1)];
	size_t at = *n ? (size_t)(rng() % *n) : 0;
	switch (rng() % 4) {
	case 0:
		if (*n)
			line[at] = c;
		break;
	case 1:
		if (*n + 1 < cap) {
			memmove(line + at + 1, line + at, *n - at);
			line[at] = c;
			(*n)++;
		}
		break;
	case 2:
		if (*n) {
			memmove(line + at, line + at + 1, *n - at - 1);
			(*n)--;
		}
		break;
	default:
		*n = at; /* cut */
		break;
	}
}

START_TEST(test_clf_fast_path)
{
	char err[128];
	static const char *const names[] = { "combined", "vhost_combined" };
	/* lines that take each branch of the fast path, or leave it */
	static const char *const extra[] = {
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"192.0.2.1 - jan [02/Nov/2026:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 - \"r\" \"UA\"",
		"192.0.2.1 id - [02/Nov/2026:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"GET http://WWW.A.NL:80/x?q HTTP/1.0\" 200 5 \"-\" \"U\\\"A\\x41\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 5 \"-\" \"UA\" extra",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 5 \"-\" \"UA\"x",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 5 \"-\" \"cut",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"-\" 400 0 \"-\" \"-\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"\" 400 0 \"-\" \"-\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"\\x16\\x03\\x01\" 400 0 \"-\" \"U\\\"A\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"GET /a HTTP/1.1\" - 0 \"-\" \"U\\x41\"",
		"192.0.2.1 - - [31/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 2000 5 \"-\" \"UA\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5x \"-\" \"UA\"\r",
		"   ",
	};
	FILE *fp = open_corpus();
	ck_assert_ptr_nonnull(fp);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	static char lines[10100][600];
	static size_t lens[10100];
	size_t nl = 0;
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
		lens[nl] = strlen(extra[i]);
		memcpy(lines[nl++], extra[i], strlen(extra[i]));
	}
	while ((len = getline(&line, &cap, fp)) > 0 && nl < 10100) {
		if (line[len - 1] == '\n')
			len--;
		if ((size_t)len >= 500)
			continue;
		memcpy(lines[nl], line, (size_t)len);
		lens[nl++] = (size_t)len;
	}
	free(line);
	fclose(fp);
	ck_assert_uint_gt(nl, 9000);

	for (int k = 0; k < 2; k++) {
		logfmt *f = logfmt_new(names[k], err, sizeof err);
		ck_assert_msg(f != NULL, "%s", err);
		long ok = 0, total = 0;
		for (size_t i = 0; i < nl; i++) {
			char buf[1100];
			size_t n = 0;
			if (k == 1) { /* a vhost in front, with capitals and a port */
				static const char *const vh[] = { "www.a.nl:443 ", "WWW.B.NL ", "c.nl. ", "- " };
				const char *v = vh[i % 4];
				memcpy(buf, v, strlen(v));
				n = strlen(v);
			}
			memcpy(buf + n, lines[i], lens[i]);
			n += lens[i];
			ok += same_both_ways(f, buf, n) == LOGFMT_OK;
			total++;
			/* mutations of every third line keep the test quick under
			 * the sanitizers; the lines differ enough */
			for (int m = 0; i % 3 == 0 && m < 12; m++) {
				char mb[1100];
				size_t mn = n;
				memcpy(mb, buf, n);
				for (int r = 0; r <= m % 3; r++)
					mutate(mb, &mn, sizeof mb);
				same_both_ways(f, mb, mn);
				total++;
			}
		}
		/* nearly every unmutated corpus line parses (both ways) */
		ck_assert_int_gt(ok, 9900);
		logfmt_free(f);
	}
}
END_TEST

START_TEST(test_corpus)
{
	FILE *fp = open_corpus();
	ck_assert_msg(fp != NULL, "cannot open '%s' nor '%s'", KR_CORPUS, KR_CORPUS_GZ);
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

/* ------------------------------------------------------------------
 * Formats of issue 3. Times: 2026-11-02 10:00:00 on the wall clock is
 * 1793613600 (`date -u -d '2026-11-02 10:00:00' +%s`); with +0100 the
 * instant is 09:00 UTC, 1793610000.
 */
#define W10 INT64_C(1793613600)
#define I09 INT64_C(1793610000000000)
#define I10 INT64_C(1793613600000000)

START_TEST(test_traefik)
{
	kr_record r;
	ck_assert_int_eq(parse("traefik", "192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /paspoort?x=1 HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11)\" "
	                       "42 \"gemeente-router@docker\" \"http://10.0.0.5:8080\" 5ms", &r),
	                 LOGFMT_OK);
	ck_str(r.client, "192.0.2.10");
	ck_str(r.host, "");
	ck_str(r.method, "GET");
	ck_str(r.target, "/paspoort?x=1");
	ck_str(r.referer, "-");
	ck_str(r.user_agent, "Mozilla/5.0 (X11)");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);
	/* Traefik's defaults for a missing router and service. */
	ck_assert_int_eq(parse("traefik", "192.0.2.10 - - [02/Nov/2026:10:00:00 +0000] "
	                       "\"POST /f HTTP/2.0\" 302 - \"-\" \"-\" 1 \"-\" \"-\" 0ms", &r),
	                 LOGFMT_OK);
	ck_str(r.method, "POST");
	ck_assert_int_eq(r.status, 302);
	/* Without the extra fields it is not traefik (but still combined). */
	static const char *bad[] = {
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\" "
		"42 \"r\" \"s\" 5",
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\" "
		"42 r \"s\" 5ms",
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\" "
		"x \"r\" \"s\" 5ms",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(parse("traefik", bad[k], &r) == LOGFMT_MALFORMED, "accepted: %s", bad[k]);
}
END_TEST

START_TEST(test_apache_format)
{
	kr_record r;
	/* As copied from httpd.conf, with \" and %v at the end. */
	const char *fmt = "%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\" %v";
	ck_assert_int_eq(parse(fmt, "192.0.2.7 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /verhuizen HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\" "
	                       "WWW.Utrecht.NL:443", &r), LOGFMT_OK);
	ck_str(r.host, "www.utrecht.nl");
	ck_str(r.client, "192.0.2.7");
	ck_str(r.method, "GET");
	ck_str(r.target, "/verhuizen");
	ck_str(r.referer, "-");
	ck_str(r.user_agent, "Mozilla/5.0");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);
	/* "%v" ends the line: no trailing text allowed after it, none missing. */
	ck_assert_int_eq(parse(fmt, "192.0.2.7 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET / HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"", &r),
	                 LOGFMT_MALFORMED);

	/* %v beats %{Host}i, %a beats %h; strftime time with offset; %U%q. */
	fmt = "%v %h %a %{%Y-%m-%dT%H:%M:%S%z}t %m %U%q %>s %D \"%{User-Agent}i\" "
	      "\"%{X-Forwarded-For}i\" %{Host}i %{Accept}i";
	ck_assert_int_eq(parse(fmt, "www.a.nl proxy.lan 198.51.100.1 2026-11-02T10:00:00+0100 "
	                       "POST /form?stap=2 302 1234 \"UA x\" \"203.0.113.5, 10.0.0.1\" "
	                       "other.nl */*", &r), LOGFMT_OK);
	ck_str(r.host, "www.a.nl");
	ck_str(r.client, "198.51.100.1");
	ck_str(r.method, "POST");
	ck_str(r.target, "/form?stap=2");
	ck_str(r.user_agent, "UA x");
	ck_str(r.xff, "203.0.113.5, 10.0.0.1");
	ck_assert_int_eq(r.status, 302);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);
	ck_assert_int_eq(parse(fmt, "www.a.nl h 198.51.100.1 2026-11-02T10:00:00-0130 "
	                       "GET /form 200 1 \"UA\" \"-\" - -", &r), LOGFMT_OK);
	ck_str(r.target, "/form");
	ck_str(r.xff, "");
	ck_assert_int_eq(r.instant_us, I10 + INT64_C(5400000000));

	/* %{Host}i alone gives the host; "-" means none. */
	fmt = "%h %t \"%r\" %s \"%{User-Agent}i\" %{Host}i";
	ck_assert_int_eq(parse(fmt, "10.0.0.1 [02/Nov/2026:10:00:00 +0000] \"GET /x HTTP/1.1\" "
	                       "200 \"UA\" Www.B.nl:80", &r), LOGFMT_OK);
	ck_str(r.host, "www.b.nl");
	ck_assert_int_eq(parse(fmt, "10.0.0.1 [02/Nov/2026:10:00:00 +0000] \"GET /x HTTP/1.1\" "
	                       "200 \"UA\" -", &r), LOGFMT_OK);
	ck_str(r.host, "");

	/* Epoch times: %{sec}t, %{msec}t, %{usec}t (UTC wall clock). */
	ck_assert_int_eq(parse("%h %{sec}t \"%r\" %>s", "10.0.0.1 1793613600 \"GET / HTTP/1.1\" 200",
	                       &r), LOGFMT_OK);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I10);
	ck_assert_int_eq(parse("%h %{end:msec}t \"%r\" %>s",
	                       "10.0.0.1 1793613600250 \"GET / HTTP/1.1\" 200", &r), LOGFMT_OK);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I10 + 250000);
	ck_assert_int_eq(parse("%h %{usec}t \"%r\" %>s",
	                       "10.0.0.1 1793613600000001 \"GET / HTTP/1.1\" 200", &r), LOGFMT_OK);
	ck_assert_int_eq(r.instant_us, I10 + 1);
	/* A CLF strftime time holds a space; unquoted %r can not be split. */
	ck_assert_int_eq(parse("%h %{%d/%b/%Y:%H:%M:%S %z}t %m %U %>s",
	                       "10.0.0.1 02/Nov/2026:10:00:00 +0100 GET /x 200", &r), LOGFMT_OK);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);

	/* Path and query apart: joined when nothing kept lies between ... */
	fmt = "%h %{sec}t \"%{User-Agent}i\" %m %U %q %s";
	ck_assert_int_eq(parse(fmt, "192.0.2.1 1793613600 \"Mozilla\" GET /zoek ?q=paspoort 200",
	                       &r), LOGFMT_OK);
	ck_str(r.target, "/zoek?q=paspoort");
	ck_str(r.user_agent, "Mozilla");
	ck_str(r.method, "GET");
	ck_assert_int_eq(parse(fmt, "192.0.2.1 1793613600 \"Mozilla\" GET /zoek  200", &r),
	                 LOGFMT_OK);
	ck_str(r.target, "/zoek");
	/* ... else the query is lost rather than the user agent. */
	ck_assert_int_eq(parse("%h %{sec}t %m %U \"%{User-Agent}i\" %q %s",
	                       "192.0.2.1 1793613600 GET /zoek \"Mozilla\" ?q=paspoort 200", &r),
	                 LOGFMT_OK);
	ck_str(r.target, "/zoek");
	ck_str(r.user_agent, "Mozilla");

	/* The request line wins over %m and %U. */
	ck_assert_int_eq(parse("%h %t %m %U \"%r\" %>s", "10.0.0.1 [02/Nov/2026:10:00:00 +0000] "
	                       "HEAD /a \"GET /b?c HTTP/1.1\" 200", &r), LOGFMT_OK);
	ck_str(r.method, "GET");
	ck_str(r.target, "/b?c");

	/* Unknown directives are skipped fields; literal text must match. */
	fmt = "%h %X %{cookie}C %{c}a %k %t \"%r\" %>s %P";
	ck_assert_int_eq(parse(fmt, "10.0.0.1 + a=b 10.0.0.2 0 [02/Nov/2026:10:00:00 +0000] "
	                       "\"GET / HTTP/1.1\" 200 4242", &r), LOGFMT_OK);
	ck_str(r.client, "10.0.0.2");
	ck_assert_int_eq(parse(fmt, "10.0.0.1 + a=b 10.0.0.2 0 [02/Nov/2026:10:00:00 +0000] "
	                       "'GET / HTTP/1.1' 200 4242", &r), LOGFMT_MALFORMED);
	ck_assert_int_eq(parse(fmt, "10.0.0.1 + a=b 10.0.0.2 0 [02/Nov/2026:10:00:00 +0000] "
	                       "\"GET / HTTP/1.1\" 2x0 4242", &r), LOGFMT_MALFORMED);
	ck_assert_int_eq(parse("%h %t \"%r\" %>s %%", "10.0.0.1 [02/Nov/2026:10:00:00 +0000] "
	                       "\"GET / HTTP/1.1\" 200 %", &r), LOGFMT_OK);
}
END_TEST

START_TEST(test_nginx_format)
{
	kr_record r;
	const char *fmt = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
	                  "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" "
	                  "\"$http_x_forwarded_for\" $host";
	ck_assert_int_eq(parse(fmt, "10.0.0.1 - - [02/Nov/2026:10:00:00 +0100] \"GET /afval HTTP/1.1\" "
	                       "200 5 \"-\" \"Mozilla/5.0\" \"203.0.113.7\" Gemeente.NL", &r),
	                 LOGFMT_OK);
	ck_str(r.client, "10.0.0.1");
	ck_str(r.xff, "203.0.113.7");
	ck_str(r.host, "gemeente.nl");
	ck_str(r.target, "/afval");
	ck_str(r.user_agent, "Mozilla/5.0");
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);
	ck_assert_int_eq(parse(fmt, "10.0.0.1 - - [02/Nov/2026:10:00:00 +0100] \"GET /afval HTTP/1.1\" "
	                       "200 5 \"-\" \"Mozilla/5.0\" \"-\" gemeente.nl", &r), LOGFMT_OK);
	ck_str(r.xff, "");

	/* $time_iso8601; method, URI and protocol inside one pair of quotes. */
	fmt = "$host $remote_addr $time_iso8601 \"$request_method $request_uri $server_protocol\" "
	      "$status \"$http_user_agent\"";
	ck_assert_int_eq(parse(fmt, "www.b.nl 2001:db8::5 2026-11-02T10:00:00+01:00 "
	                       "\"GET /p?a=1 HTTP/2.0\" 304 \"Mozilla/5.0 (Mac)\"", &r), LOGFMT_OK);
	ck_str(r.host, "www.b.nl");
	ck_str(r.client, "2001:db8::5");
	ck_str(r.method, "GET");
	ck_str(r.target, "/p?a=1");
	ck_str(r.user_agent, "Mozilla/5.0 (Mac)");
	ck_assert_int_eq(r.status, 304);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);
	ck_assert_int_eq(parse(fmt, "www.b.nl ::1 2026-11-02T10:00:00Z \"GET /p HTTP/2.0\" 200 \"UA\"",
	                       &r), LOGFMT_OK);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I10);
	ck_assert_int_eq(parse(fmt, "www.b.nl ::1 2026-11-02 10:00 \"GET /p HTTP/2.0\" 200 \"UA\"",
	                       &r), LOGFMT_MALFORMED);

	/* $msec: seconds with milliseconds, UTC; $http_host with a port. */
	fmt = "$msec $remote_addr \"$request\" $status \"$http_user_agent\" $http_host";
	ck_assert_int_eq(parse(fmt, "1793613600.123 192.0.2.8 \"GET / HTTP/1.1\" 200 \"UA\" "
	                       "www.c.nl:8080", &r), LOGFMT_OK);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I10 + 123000);
	ck_str(r.host, "www.c.nl");

	/* $uri$is_args$args: nginx logs a missing query as "-". */
	fmt = "$remote_addr [$time_local] $request_method $uri$is_args$args $status \"$http_user_agent\"";
	ck_assert_int_eq(parse(fmt, "10.0.0.1 [02/Nov/2026:10:00:00 +0000] GET /a?b=1 200 \"UA\"", &r),
	                 LOGFMT_OK);
	ck_str(r.target, "/a?b=1");
	ck_assert_int_eq(parse(fmt, "10.0.0.1 [02/Nov/2026:10:00:00 +0000] GET /a- 200 \"UA\"", &r),
	                 LOGFMT_OK);
	ck_str(r.target, "/a");
	/* $uri and $args apart. */
	fmt = "$remote_addr [$time_local] $request_method $uri $args $status \"$http_user_agent\"";
	ck_assert_int_eq(parse(fmt, "10.0.0.1 [02/Nov/2026:10:00:00 +0000] GET /a b=1 200 \"UA\"", &r),
	                 LOGFMT_OK);
	ck_str(r.target, "/a?b=1");
	ck_assert_int_eq(parse(fmt, "10.0.0.1 [02/Nov/2026:10:00:00 +0000] GET /a - 200 \"UA\"", &r),
	                 LOGFMT_OK);
	ck_str(r.target, "/a");

	/* Upstream lists hold ", "; unknown variables are skipped. */
	fmt = "$remote_addr [$time_local] \"$request\" $status $upstream_response_time $pipe "
	      "\"$http_user_agent\"";
	ck_assert_int_eq(parse(fmt, "10.0.0.1 [02/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 "
	                       "0.004, 0.002 p \"UA\"", &r), LOGFMT_OK);
	ck_str(r.user_agent, "UA");
	/* JSON-ish log_format with ${var} and escape=json output. */
	fmt = "{\"t\":\"${time_iso8601}\",\"ip\":\"$remote_addr\",\"r\":\"$request\","
	      "\"s\":$status,\"ua\":\"$http_user_agent\"}";
	ck_assert_int_eq(parse(fmt, "{\"t\":\"2026-11-02T10:00:00+01:00\",\"ip\":\"10.0.0.1\","
	                       "\"r\":\"GET /x HTTP/1.1\",\"s\":200,\"ua\":\"a \\\"b\\\"\"}", &r),
	                 LOGFMT_OK);
	ck_str(r.target, "/x");
	ck_str(r.user_agent, "a \"b\""); /* escapes undone, as in the json preset */
}
END_TEST

START_TEST(test_format_errors)
{
	static const struct { const char *spec, *err; } cases[] = {
		{"$remote_addr $status", "invalid log format '$remote_addr $status': it logs no time"},
		{"%h %t %>s", "invalid log format '%h %t %>s': it logs no request method"},
		{"%h %t %m %>s", "invalid log format '%h %t %m %>s': it logs no request target"},
		{"%h %t \"%r\"", "invalid log format '%h %t \"%r\"': it logs no status"},
		{"%h%l %t \"%r\" %>s",
		 "invalid log format '%h%l %t \"%r\" %>s': no text between '%l' and the field before it"},
		{"$remote_addr$status [$time_local] \"$request\"",
		 "invalid log format '$remote_addr$status [$time_local] \"$request\"': "
		 "no text between '$status' and the field before it"},
		{"%h %{User-Agent", "invalid log format '%h %{User-Agent': '{' without '}'"},
		{"%h %t \"%r\" %>s %", "invalid log format '%h %t \"%r\" %>s %': incomplete '%' directive"},
		{"$uri$is_args [$time_local] $request_method $status",
		 "invalid log format '$uri$is_args [$time_local] $request_method $status': "
		 "'$is_args' must be followed by '$args'"},
		{"combined2", "unknown log format 'combined2'"},
		{"W3C", "unknown log format 'W3C'"},
	};
	char err[256];
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		err[0] = '\0';
		ck_assert_msg(logfmt_new(cases[k].spec, err, sizeof err) == NULL, "accepted %s",
		              cases[k].spec);
		ck_assert_str_eq(err, cases[k].err);
	}
	logfmt *f = logfmt_new("%h %t \"%r\" %>s", err, sizeof err);
	ck_assert_str_eq(logfmt_name(f), "apache LogFormat");
	ck_assert_int_eq(logfmt_has_directives(f), 0);
	logfmt_free(f);
	f = logfmt_new("$remote_addr [$time_local] \"$request\" $status", err, sizeof err);
	ck_assert_str_eq(logfmt_name(f), "nginx log_format");
	logfmt_free(f);
}
END_TEST

START_TEST(test_w3c)
{
	kr_record r;
	char err[128];
	/* IIS's default columns before any #Fields line. */
	ck_assert_int_eq(parse("w3c", "2026-11-02 09:00:00 10.0.0.5 GET /verhuizen stap=1 443 - "
	                       "192.0.2.44 Mozilla/5.0+(Windows+NT+10.0) https://www.x.nl/ 200 0 0 15",
	                       &r), LOGFMT_OK);
	ck_str(r.client, "192.0.2.44");
	ck_str(r.method, "GET");
	ck_str(r.target, "/verhuizen?stap=1");
	ck_str(r.user_agent, "Mozilla/5.0 (Windows NT 10.0)");
	ck_str(r.referer, "https://www.x.nl/");
	ck_str(r.host, "");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, W10 - 3600);       /* UTC: wall == instant */
	ck_assert_int_eq(r.instant_us, I09);
	ck_assert_int_eq(parse("w3c", "2026-11-02 09:00:00 10.0.0.5 POST /verhuizen - 443 - "
	                       "192.0.2.44 UA - 302 0 0 15", &r), LOGFMT_OK);
	ck_str(r.target, "/verhuizen");
	ck_str(r.method, "POST");
	ck_assert_int_eq(parse("w3c", "#Software: Microsoft Internet Information Services 10.0", &r),
	                 LOGFMT_SKIP);
	ck_assert_int_eq(parse("w3c", "#Fields: date time", &r), LOGFMT_SKIP);
	static const char *bad[] = {
		"2026-11-02 09:00:00 10.0.0.5 GET /v - 443 - 192.0.2.44 UA - 200 0 0",
		"2026-11-02 09:00:00 10.0.0.5 GET /v - 443 - 192.0.2.44 UA - 200 0 0 15 x",
		"2026-11-02 25:00:00 10.0.0.5 GET /v - 443 - 192.0.2.44 UA - 200 0 0 15",
		"2026-02-30 09:00:00 10.0.0.5 GET /v - 443 - 192.0.2.44 UA - 200 0 0 15",
		"2026-11-02 09:00:00 10.0.0.5 GET /v - 443 - 192.0.2.44 UA - 20 0 0 15",
		"2026-11-02 09:00:00 10.0.0.5 GET /v - 443 -  192.0.2.44 UA - 200 0 0 15",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(parse("w3c", bad[k], &r) == LOGFMT_MALFORMED, "accepted: %s", bad[k]);

	/* Detection builds the format from the first #Fields line. */
	const char *buf =
		"#Software: Microsoft Internet Information Services 10.0\r\n"
		"#Version: 1.0\r\n"
		"#Date: 2026-11-02 09:00:00\r\n"
		"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
		"cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status time-taken\r\n"
		"2026-11-02 09:00:00 10.0.0.5 GET /a - 443 - 192.0.2.1 UA+1 - WWW.X.NL 200 0 0 1\r\n"
		"2026-11-02 09:00:01 10.0.0.5 GET /b c=d 443 - 192.0.2.2 UA+2 - www.y.nl 404 0 0 1\r\n";
	char why[160];
	logfmt *f = logfmt_detect(buf, strlen(buf), why, sizeof why);
	ck_assert_msg(f != NULL, "%s", why);
	ck_assert_str_eq(logfmt_name(f), "w3c");
	ck_assert_str_eq(why, "w3c: 6 of 6 lines");
	ck_assert_int_eq(logfmt_has_directives(f), 1);
	strcpy(line_buf, "2026-11-02 09:00:00 10.0.0.5 GET /a - 443 - 192.0.2.1 UA+1 - WWW.X.NL:443 "
	       "200 0 0 1\r");
	ck_assert_int_eq(logfmt_parse(f, line_buf, strlen(line_buf), &r), LOGFMT_OK);
	ck_str(r.host, "www.x.nl");
	ck_str(r.user_agent, "UA 1");
	ck_str(r.target, "/a");

	/* #Fields changes mid-file: a new format for the lines after it. */
	const char *fl = "#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status "
	                 "cs(User-Agent) cs-host X-Forwarded-For\r";
	logfmt *g = logfmt_directive(f, fl, strlen(fl), err, sizeof err);
	ck_assert_msg(g != NULL, "%s", err);
	ck_assert_str_eq(logfmt_name(g), "w3c");
	strcpy(line_buf, "2026-11-02 10:30:00 192.0.2.9 POST /form x=1 302 Firefox www.z.nl "
	       "203.0.113.4,+10.0.0.1");
	ck_assert_int_eq(logfmt_parse(g, line_buf, strlen(line_buf), &r), LOGFMT_OK);
	ck_str(r.client, "192.0.2.9");
	ck_str(r.method, "POST");
	ck_str(r.target, "/form?x=1");
	ck_str(r.host, "www.z.nl");
	ck_str(r.user_agent, "Firefox");
	ck_str(r.xff, "203.0.113.4, 10.0.0.1");
	ck_assert_int_eq(r.status, 302);
	ck_assert_int_eq(r.wall, W10 + 1800);
	/* The old columns do not fit the new format, nor the new ones the old. */
	strcpy(line_buf, "2026-11-02 09:00:00 10.0.0.5 GET /a - 443 - 192.0.2.1 UA - www.x.nl 200 0 0 1");
	ck_assert_int_eq(logfmt_parse(g, line_buf, strlen(line_buf), &r), LOGFMT_MALFORMED);
	strcpy(line_buf, "2026-11-02 10:30:00 192.0.2.9 POST /form x=1 302 Firefox www.z.nl -");
	ck_assert_int_eq(logfmt_parse(f, line_buf, strlen(line_buf), &r), LOGFMT_MALFORMED);
	ck_assert_int_eq(logfmt_parse(g, line_buf, strlen(line_buf), &r), LOGFMT_OK);
	ck_str(r.xff, "");
	logfmt_free(g);

	/* Other directives do not change the format; a bad #Fields is an error. */
	strcpy(err, "x");
	ck_assert_ptr_null(logfmt_directive(f, "#Date: 2026-11-03 00:00:00", 26, err, sizeof err));
	ck_assert_str_eq(err, "");
	ck_assert_ptr_null(logfmt_directive(f, "#Fields: time c-ip cs-method cs-uri-stem sc-status",
	                                    50, err, sizeof err));
	ck_assert_str_eq(err, "invalid #Fields line: no 'date' field");
	ck_assert_ptr_null(logfmt_directive(f, "#Fields: date time cs-method sc-status", 38, err,
	                                    sizeof err));
	ck_assert_str_eq(err, "invalid #Fields line: no 'cs-uri-stem' field");
	logfmt_free(f);

	/* Formats without directives ignore them. */
	f = logfmt_new("combined", err, sizeof err);
	ck_assert_int_eq(logfmt_has_directives(f), 0);
	strcpy(err, "x");
	ck_assert_ptr_null(logfmt_directive(f, fl, strlen(fl), err, sizeof err));
	ck_assert_str_eq(err, "");
	logfmt_free(f);
}
END_TEST

START_TEST(test_json_nginx)
{
	kr_record r;
	/* escape=json: \" and \u escapes (é, and U+1F600 as a surrogate pair). */
	const char *line = "{\"time_iso8601\":\"2026-11-02T10:00:00+01:00\",\"remote_addr\":\"192.0.2.9\","
		"\"host\":\"WWW.D.NL\",\"request_method\":\"GET\",\"request_uri\":\"/zoek?q=\\\"pas\\\"\","
		"\"status\":\"200\",\"http_user_agent\":\"Mozilla/5.0 \\\"q\\\" caf\\u00e9 \\ud83d\\ude00 "
		"\\u20ac\\/\\\\\",\"http_referer\":\"\",\"http_x_forwarded_for\":\"203.0.113.1\"}";
	ck_assert_int_eq(parse("json", line, &r), LOGFMT_OK);
	ck_str(r.client, "192.0.2.9");
	ck_str(r.host, "www.d.nl");
	ck_str(r.method, "GET");
	ck_str(r.target, "/zoek?q=\"pas\"");
	ck_str(r.user_agent, "Mozilla/5.0 \"q\" caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac/\\");
	ck_str(r.referer, "");
	ck_str(r.xff, "203.0.113.1");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);
	/* Decoded in place, inside the line. */
	ck_assert(r.user_agent.p > line_buf && r.user_agent.p + r.user_agent.n < line_buf + strlen(line));

	/* Any key order, spaces, a number status, the request line, time_local,
	 * unknown keys with nested values, a lone surrogate, nginx's \x22. */
	ck_assert_int_eq(parse("json", " { \"bytes\" : 12, \"extra\": {\"a\": [1, \"}\", null]}, "
	                       "\"status\" : 304 , \"request\": \"POST /form?a=1 HTTP/1.1\", "
	                       "\"http_user_agent\": \"x\\ud800y \\x22z\\x22\", \"time_local\": "
	                       "\"02/Nov/2026:10:00:00 +0100\", \"remote_addr\": \"::1\", \"ok\": true }",
	                       &r), LOGFMT_OK);
	ck_assert_int_eq(r.status, 304);
	ck_str(r.method, "POST");
	ck_str(r.target, "/form?a=1");
	ck_str(r.user_agent, "x\xef\xbf\xbdy \"z\"");
	ck_str(r.host, "");
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);

	/* msec (epoch float), @timestamp; uri + args joined. */
	ck_assert_int_eq(parse("json", "{\"msec\":1793613600.5,\"remote_addr\":\"1.2.3.4\","
	                       "\"request_method\":\"GET\",\"uri\":\"/a\",\"args\":\"b=1\","
	                       "\"status\":200,\"http_user_agent\":\"UA\"}", &r), LOGFMT_OK);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I10 + 500000);
	ck_str(r.target, "/a?b=1");
	ck_str(r.user_agent, "UA");
	ck_assert_int_eq(parse("json", "{\"@timestamp\":\"2026-11-02T10:00:00Z\",\"remote_addr\":\"1.2.3.4\","
	                       "\"request_method\":\"GET\",\"uri\":\"/a\",\"args\":\"-\","
	                       "\"status\":200}", &r), LOGFMT_OK);
	ck_str(r.target, "/a");
	ck_assert_int_eq(r.instant_us, I10);

	static const char *bad[] = {
		"{\"json\": true}",
		"{\"time\":\"2026-11-02T10:00:00Z\",\"request\":\"GET / HTTP/1.1\"}",
		"{\"time\":\"2026-11-02T10:00:00Z\",\"request\":\"GET / HTTP/1.1\",\"status\":\"2000\"}",
		"{\"time\":\"2026-11-02T10:00:00Z\",\"request\":\"GET / HTTP/1.1\",\"status\":200} x",
		"{\"time\":\"2026-11-02T10:00:00Z\",\"request\":\"GET / HTTP/1.1\",\"status\":200",
		"{\"time\":\"2026-11-02T10:00:00Z\",\"request\":\"G\\q\",\"status\":200}",
		"{\"time\":\"yesterday\",\"request\":\"GET / HTTP/1.1\",\"status\":200}",
		"{\"request\":\"GET / HTTP/1.1\",\"status\":200}",
		"{\"time\":\"2026-11-02T10:00:00Z\" \"request\":\"GET / HTTP/1.1\",\"status\":200}",
		"[1, 2]",
		"{\"time\":\"2026-11-02T10:00:00Z\",\"request\":\"GET / HTTP/1.1\",\"status\":200,}",
		"{\"time\":\"2026-11-02T10:00:00Z\",\"request\":\"GET / HTTP/1.1\",\"status\":200,\"http_user_agent\":\"\\u12\"}",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(parse("json", bad[k], &r) == LOGFMT_MALFORMED, "accepted: %s", bad[k]);
	ck_assert_int_eq(parse("json", "  \r", &r), LOGFMT_SKIP);
}
END_TEST

START_TEST(test_json_caddy_traefik)
{
	kr_record r;
	ck_assert_int_eq(parse("json", "{\"level\":\"info\",\"ts\":1793613600.5,\"logger\":\"http.log.access\","
	                       "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"192.0.2.20\","
	                       "\"remote_port\":\"41342\",\"client_ip\":\"192.0.2.21\",\"proto\":\"HTTP/2.0\","
	                       "\"method\":\"GET\",\"host\":\"Www.E.nl\",\"uri\":\"/paspoort?x=1\","
	                       "\"headers\":{\"Accept\":[\"*/*\"],\"User-Agent\":[\"Mozilla/5.0 (Caddy)\","
	                       "\"second\"],\"X-Forwarded-For\":[\"198.51.100.3\"]},\"tls\":{\"resumed\":false}},"
	                       "\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0009,\"size\":10900,"
	                       "\"status\":200,\"resp_headers\":{\"Server\":[\"Caddy\"]}}", &r), LOGFMT_OK);
	/* client_ip (the client behind Caddy's trusted proxies) wins */
	ck_str(r.client, "192.0.2.21");
	ck_str(r.host, "www.e.nl");
	ck_str(r.method, "GET");
	ck_str(r.target, "/paspoort?x=1");
	ck_str(r.user_agent, "Mozilla/5.0 (Caddy)");
	ck_str(r.xff, "198.51.100.3");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I10 + 500000);
	/* Without client_ip (Caddy before 2.7), remote_ip; client_ip before
	 * remote_ip in the object wins too. */
	ck_assert_int_eq(parse("json", "{\"ts\":1793613600.5,\"request\":{\"remote_ip\":\"192.0.2.20\","
	                       "\"method\":\"GET\",\"host\":\"h\",\"uri\":\"/\"},\"status\":200}", &r),
	                 LOGFMT_OK);
	ck_str(r.client, "192.0.2.20");
	ck_assert_int_eq(parse("json", "{\"ts\":1793613600.5,\"request\":{\"client_ip\":\"192.0.2.21\","
	                       "\"remote_ip\":\"192.0.2.20\",\"method\":\"GET\",\"host\":\"h\",\"uri\":\"/\"},"
	                       "\"status\":200}", &r), LOGFMT_OK);
	ck_str(r.client, "192.0.2.21");
	/* A non-access Caddy line is malformed. */
	ck_assert_int_eq(parse("json", "{\"level\":\"info\",\"ts\":1793613600.5,\"msg\":\"serving\"}", &r),
	                 LOGFMT_MALFORMED);

	/* Traefik's JSON access log: StartLocal keeps the local wall clock. */
	ck_assert_int_eq(parse("json", "{\"ClientAddr\":\"192.0.2.30:5555\",\"ClientHost\":\"192.0.2.30\","
	                       "\"DownstreamStatus\":200,\"OriginStatus\":502,\"RequestHost\":\"www.f.nl\","
	                       "\"RequestMethod\":\"POST\",\"RequestPath\":\"/form?s=2\","
	                       "\"StartLocal\":\"2026-11-02T10:00:00.123+01:00\","
	                       "\"StartUTC\":\"2026-11-02T09:00:00.123Z\",\"request_User-Agent\":\"Mozilla\","
	                       "\"level\":\"info\",\"time\":\"2026-11-02T10:00:01+01:00\"}", &r), LOGFMT_OK);
	ck_str(r.client, "192.0.2.30");
	ck_str(r.host, "www.f.nl");
	ck_str(r.method, "POST");
	ck_str(r.target, "/form?s=2");
	ck_str(r.user_agent, "Mozilla");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09 + 123000);
}
END_TEST

START_TEST(test_detect_more)
{
	static char buf[1 << 14];
	size_t n = 0;
	const char *traefik = "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 "
	                      "\"-\" \"UA\" 7 \"r@docker\" \"http://10.0.0.2:80\" 3ms";
	add(buf, &n, traefik, 3);
	detect(buf, n, "traefik", "traefik: 3 of 3 lines");
	/* Mostly plain combined: combined wins. */
	add(buf, &n, L_COMBINED, 5);
	detect(buf, n, "combined", "combined: 8 of 8 lines");

	n = 0;
	add(buf, &n, "{\"time\":\"2026-11-02T10:00:00Z\",\"remote_addr\":\"1.2.3.4\","
	    "\"request\":\"GET / HTTP/1.1\",\"status\":200,\"http_user_agent\":\"UA\"}", 2);
	detect(buf, n, "json", "json: 2 of 2 lines");
	n = 0;
	add(buf, &n, "{\"level\":\"info\",\"ts\":1793613600.5,\"request\":{\"remote_ip\":\"1.2.3.4\","
	    "\"method\":\"GET\",\"host\":\"h\",\"uri\":\"/\"},\"status\":200}", 3);
	detect(buf, n, "json", "json: 3 of 3 lines");

	/* W3C directives without a #Fields line are not enough. */
	n = 0;
	add(buf, &n, "#Software: Microsoft Internet Information Services 10.0", 1);
	add(buf, &n, "#Version: 1.0", 1);
	add(buf, &n, "2026-11-02 09:00:00 GET /a 200", 1);
	detect(buf, n, NULL, "no known format fits any of the first 3 lines");
	/* With a #Fields line, directives count. */
	n = 0;
	add(buf, &n, "#Version: 1.0", 1);
	add(buf, &n, "#Fields: date time cs-method cs-uri-stem sc-status", 1);
	add(buf, &n, "2026-11-02 09:00:00 GET /a 200", 1);
	add(buf, &n, "garbage", 2);
	detect(buf, n, "w3c", "w3c: 3 of 5 lines");
	/* #Fields changing within the detection lines. */
	n = 0;
	add(buf, &n, "#Fields: date time cs-method cs-uri-stem sc-status", 1);
	add(buf, &n, "2026-11-02 09:00:00 GET /a 200", 1);
	add(buf, &n, "#Fields: date time c-ip cs-method cs-uri-stem sc-status", 1);
	add(buf, &n, "2026-11-02 09:00:00 1.2.3.4 GET /a 200", 2);
	detect(buf, n, "w3c", "w3c: 5 of 5 lines");
}
END_TEST

/* A Firefox user agent as a browser sends it, and as CloudFront logs it. */
#define UA_FF "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
#define UA_FF_CF "Mozilla/5.0%2520(X11;%2520Linux%2520x86_64;%2520rv:120.0)%2520Gecko/20100101%2520Firefox/120.0"

/* Parses the lines of log (each ending in '\n') the way the pipeline
 * does: '#' lines through logfmt_directive, starting from preset fmt.
 * Fills recs[] with the OK lines' records (slices into bufs[]); returns
 * their count, or -1 when a non-'#' line is not OK. */
static char w3c_bufs[8][1024];
static int parse_w3c_log(const char *fmt, const char *log, kr_record *recs, int max,
                         const char **name)
{
	char err[160];
	logfmt *base = logfmt_new(fmt, err, sizeof err), *cur = NULL;
	int k = 0, rc = 0;
	ck_assert_msg(base != NULL, "%s", err);
	*name = NULL;
	for (const char *p = log; *p && rc == 0;) {
		const char *nl = strchr(p, '\n');
		size_t n = (size_t)(nl - p);
		ck_assert_int_lt(k, max);
		memcpy(w3c_bufs[k], p, n);
		if (p[0] == '#') {
			logfmt *nf = logfmt_directive(cur ? cur : base, p, n, err, sizeof err);
			if (nf) {
				logfmt_free(cur);
				cur = nf;
			}
		} else if (logfmt_parse(cur ? cur : base, w3c_bufs[k], n, &recs[k]) == LOGFMT_OK) {
			k++;
		} else {
			rc = -1;
		}
		p = nl + 1;
	}
	*name = cur ? logfmt_name(cur) : logfmt_name(base); /* static strings */
	logfmt_free(cur);
	logfmt_free(base);
	return rc < 0 ? -1 : k;
}

START_TEST(test_w3c_quoted)
{
	kr_record r[4];
	const char *name;
	/* Quoted fields hold spaces (and "" for a quote); '+' stays '+' in
	 * them. The user agent comes out as in every other format. */
	const char *log =
		"#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query cs(User-Agent) "
		"cs(Referer) cs-host sc-status\n"
		"2026-11-02 09:00:00 192.0.2.1 GET \"/paspoort/info\" - \"" UA_FF "\" "
		"\"http://x/?a b\" \"www.alfa.nl\" 200\n"
		"2026-11-02 09:00:01 192.0.2.2 GET /a - \"say \"\"hi\"\" +1\" - www.alfa.nl 200\n"
		"2026-11-02 09:00:02 192.0.2.3 GET /b x=1 Mozilla/5.0+(X11) \"\" www.alfa.nl 304\n";
	ck_assert_int_eq(parse_w3c_log("w3c", log, r, 4, &name), 3);
	ck_assert_str_eq(name, "w3c");
	ck_str(r[0].target, "/paspoort/info");
	ck_str(r[0].user_agent, UA_FF);
	ck_str(r[0].referer, "http://x/?a b");
	ck_str(r[0].host, "www.alfa.nl");
	ck_assert_int_eq(r[0].status, 200);
	ck_str(r[1].user_agent, "say \"hi\" +1");
	ck_str(r[2].user_agent, "Mozilla/5.0 (X11)");
	ck_str(r[2].target, "/b?x=1");
	ck_str(r[2].referer, "");

	/* IIS Advanced Logging: date-local and time-local, milliseconds,
	 * quoted values anywhere. */
	log = "#Fields:   date-local time-local   c-ip cs-method cs-uri-stem sc-status sc-substatus\n"
	      "2012-08-15 17:00:00.363 \"70.95.0.0\" GET /a 404 \" garbage w/ spaces \"\n";
	ck_assert_int_eq(parse_w3c_log("w3c", log, r, 4, &name), 1);
	ck_str(r[0].client, "70.95.0.0");
	ck_assert_int_eq(r[0].status, 404);
	ck_assert_int_eq(r[0].instant_us, 1345050000363000LL);

	/* An empty stem is no request (klantreis(1), MEASUREMENT, "Records"):
	 * a record the method rule excludes, not a malformed line. */
	log = "#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query cs(User-Agent) "
	      "cs(Referer) cs-host sc-status\n"
	      "2026-11-02 09:00:00 192.0.2.1 GET \"\" - UA - www.alfa.nl 200\n";
	ck_assert_int_eq(parse_w3c_log("w3c", log, r, 4, &name), 1);
	ck_assert_uint_eq(r[0].method.n, 0);
	ck_assert_uint_eq(r[0].target.n, 0);

	static const char *bad[] = {
		/* no closing quote; text glued to the closing quote */
		"2026-11-02 09:00:00 192.0.2.1 GET /a - \"UA - www.alfa.nl 200",
		"2026-11-02 09:00:00 192.0.2.1 GET /a - \"UA\"x - www.alfa.nl 200",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		char buf[512];
		snprintf(buf, sizeof buf, "#Fields: date time c-ip cs-method cs-uri-stem "
		         "cs-uri-query cs(User-Agent) cs(Referer) cs-host sc-status\n%s\n", bad[k]);
		ck_assert_msg(parse_w3c_log("w3c", buf, r, 4, &name) == -1, "accepted: %s", bad[k]);
	}
}
END_TEST

START_TEST(test_cloudfront)
{
	kr_record r[8];
	const char *name;
	/* cs(Host) is the distribution; x-host-header the site. The user
	 * agent is decoded twice (%2520 -> %20 -> ' '); the target is not. */
	const char *log =
		"#Version: 1.0\n"
		"#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem "
		"sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
		"x-edge-request-id x-host-header cs-protocol cs-bytes time-taken\n"
		"2026-11-02\t09:00:00\tAMS1\t392\t192.0.2.1\tGET\td111111abcdef8.cloudfront.net\t"
		"/paspoort/info%20x\t200\t-\t" UA_FF_CF "\tstap=1\t-\tHit\tSOX4==\tWWW.Alfa.NL\thttps\t23\t0.001\n"
		"2026-11-02\t09:00:01\tAMS1\t392\t192.0.2.2\tGET\td111111abcdef8.cloudfront.net\t"
		"/a\t200\t-\tMozilla/5.0%20(X11)%2525\t-\t-\tHit\tSOX4==\td111111abcdef8.cloudfront.net\t"
		"https\t23\t0.001\n";
	ck_assert_int_eq(parse_w3c_log("w3c", log, r, 8, &name), 2);
	ck_assert_str_eq(name, "cloudfront");
	ck_str(r[0].host, "www.alfa.nl");
	ck_str(r[0].target, "/paspoort/info%20x?stap=1");
	ck_str(r[0].user_agent, UA_FF);
	ck_str(r[0].client, "192.0.2.1");
	/* encoded once: one round; "%2525" is a '%' encoded twice */
	ck_str(r[1].user_agent, "Mozilla/5.0 (X11)%");
	ck_str(r[1].host, "d111111abcdef8.cloudfront.net");

	/* The cloudfront preset: CloudFront's columns before any #Fields. */
	const char *line =
		"2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t"
		"/index.html\t200\t-\t" UA_FF_CF "\t-\t-\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\t"
		"www.alfa.nl\thttps\t23\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t"
		"11040\t0.001\tHit\ttext/html\t78\t-\t-\n";
	ck_assert_int_eq(parse_w3c_log("cloudfront", line, r, 8, &name), 1);
	ck_assert_str_eq(name, "cloudfront");
	ck_str(r[0].host, "www.alfa.nl");
	ck_str(r[0].user_agent, UA_FF);
	ck_assert_int_eq(r[0].wall, 1575493351);

	/* Detected as cloudfront, not w3c. */
	static char buf[4096];
	size_t n = 0;
	add(buf, &n, "#Version: 1.0", 1);
	add(buf, &n, "#Fields: date time x-edge-location c-ip cs-method cs(Host) cs-uri-stem "
	    "sc-status cs(User-Agent) x-host-header", 1);
	add(buf, &n, "2026-11-02\t09:00:00\tAMS1\t192.0.2.1\tGET\td1.cloudfront.net\t/a\t200\tUA\twww.a.nl", 3);
	detect(buf, n, "cloudfront", "cloudfront: 5 of 5 lines");
}
END_TEST

START_TEST(test_alb)
{
	kr_record r;
	/* AWS's documented HTTPS example: the host from the absolute-form
	 * target, without the port; the client without its port; the time
	 * ISO 8601 UTC with microseconds. */
	ck_assert_int_eq(parse("alb", "https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 "
	                       "192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "
	                       "\"GET https://WWW.Example.com:443/a?b=1 HTTP/1.1\" \"Mozilla/5.0 (X\\\"11)\" "
	                       "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:"
	                       "123456789012:targetgroup/my-targets/73e2d6bc24d8a067 \"Root=1-58337281-1d84f3d73c47ec4e58577259\" "
	                       "\"www.example.com\" \"arn:aws:acm:us-east-2:123456789012:certificate/1\" 1 "
	                       "2018-07-02T22:22:48.364000Z \"authenticate,forward\" \"-\" \"-\"", &r), LOGFMT_OK);
	ck_str(r.client, "192.168.131.39");
	ck_str(r.host, "www.example.com");
	ck_str(r.method, "GET");
	ck_str(r.target, "/a?b=1");
	ck_str(r.user_agent, "Mozilla/5.0 (X\"11)");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, 1530570180);
	ck_assert_int_eq(r.instant_us, 1530570180186641LL);

	/* No path: "/"; IPv6 client; a space after the version; fields
	 * added later are ignored. */
	ck_assert_int_eq(parse("alb", "h2 2020-01-01T22:22:22.222222Z app/a/0 2001:db8::1:50599 - 0.001 0.007 0.000 "
	                       "404 404 19 997 \"GET https://example.com HTTP/1.0 \" \"-\" - - - \"-\" \"-\" \"-\" 0 "
	                       "2020-01-01T22:22:22.222222Z \"forward\" \"-\" \"-\" \"10.0.10.0:80\" \"404\" "
	                       "\"Acceptable\" \"NonCompliantVersion\" TID_1", &r), LOGFMT_OK);
	ck_str(r.client, "2001:db8::1");
	ck_str(r.user_agent, "-");
	ck_str(r.target, "/");
	ck_str(r.host, "example.com");
	ck_assert_int_eq(r.status, 404);

	/* A request ALB could not parse has no method (rule 2.1), a status
	 * of "-" is status 0 (rule 2.2): records, not malformed lines. */
	ck_assert_int_eq(parse("alb", "http 2021-03-17T18:54:14.216357Z app/a/7f 113.241.19.90:15070 - -1 -1 -1 "
	                       "400 - 0 272 \"- http://a.elb.amazonaws.com:80- -\" \"-\" - - - \"-\" \"-\" \"-\" - "
	                       "2021-03-17T18:54:13.967000Z \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\"", &r), LOGFMT_OK);
	ck_str(r.method, "-");
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(parse("alb", "http 2021-03-17T18:54:14.216357Z app/a/7f 113.241.19.90:15070 - -1 -1 -1 "
	                       "- - 0 272 \"GET http://a.nl:80/ HTTP/1.1\" \"UA\"", &r), LOGFMT_OK);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(parse("alb", "http 2021-03-17T18:54:14.216357Z app/a/7f 113.241.19.90:15070 - -1 -1 -1 "
	                       "400 - 0 272 \"\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.method, "");

	static const char *bad[] = {
		"HTTP 2021-03-17T18:54:14.216357Z app/a/7f 1.2.3.4:1 - -1 -1 -1 400 - 0 272 \"GET / HTTP/1.1\" \"UA\"",
		"tls 2.0 2021-03-17T18:54:14 net/a/7f 1.2.3.4:1 10.0.0.1:443 5 - 0 272 - - - - - - - -",
		"http 2021-03-17 app/a/7f 1.2.3.4:1 - -1 -1 -1 400 - 0 272 \"GET / HTTP/1.1\" \"UA\"",
		"http 2021-03-17T18:54:14.216357Z app/a/7f 1.2.3.4:1 - -1 -1 -1 2000 - 0 272 \"GET / HTTP/1.1\" \"UA\"",
		"http 2021-03-17T18:54:14.216357Z app/a/7f 1.2.3.4:1 - -1 -1 400 - 0 272 \"GET / HTTP/1.1\" \"UA\"",
		"http 2021-03-17T18:54:14.216357Z app/a/7f 1.2.3.4:1 - -1 -1 -1 400 - 0 272 \"GET / HTTP/1.1\" \"UA",
		"http 2021-03-17T18:54:14.216357Z app/a/7f 1.2.3.4:1 - -1 -1 -1 400 - 0 272 \"GET / HTTP/1.1\"",
		"http 2021-03-17T18:54:14.216357Z app/a/7f 1.2.3.4:1 - -1 -1 -1 400 - 0 272 \"GET / HTTP/1.1\" \"UA\"x",
		"10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(parse("alb", bad[k], &r) == LOGFMT_MALFORMED, "accepted: %s", bad[k]);
	ck_assert_int_eq(parse("alb", " ", &r), LOGFMT_SKIP);
}
END_TEST

START_TEST(test_haproxy)
{
	kr_record r;
	/* HAProxy's documented example: syslog prefix, captured Host. */
	ck_assert_int_eq(parse("haproxy", "Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 "
	                       "[06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - "
	                       "---- 1/1/1/1/0 0/0 {1wt.eu} {} \"GET /index.html HTTP/1.1\"", &r), LOGFMT_OK);
	ck_str(r.client, "10.0.1.2");
	ck_str(r.host, "1wt.eu");
	ck_str(r.method, "GET");
	ck_str(r.target, "/index.html");
	ck_str(r.user_agent, ""); /* not captured: as common, a bot */
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, 1233922454);
	ck_assert_int_eq(r.instant_us, 1233922454655000LL);

	/* Captured User-Agent, Host and X-Forwarded-For in any order, with
	 * '#XX' escapes; no syslog prefix; httpslog's fields after the
	 * request. */
	ck_assert_int_eq(parse("haproxy", "192.0.2.66:64996 [11/Aug/2021:20:02:23.280] fe~ be/s1 8/0/0/1/9 "
	                       "304 17851 - - ---- 663/658/3/2/0 0/0 {77.24.148.74|Mozilla/5.0 (X11; #22q#22)|"
	                       "WWW.Alfa.NL:443|http://r.nl/x} {text/html} \"GET /a?b HTTP/1.1\" TLS_AES_128_GCM_SHA256 "
	                       "TLSv1.3", &r), LOGFMT_OK);
	ck_str(r.client, "192.0.2.66");
	ck_str(r.host, "www.alfa.nl");
	ck_str(r.user_agent, "Mozilla/5.0 (X11; \"q\")");
	ck_str(r.target, "/a?b");
	ck_assert_int_eq(r.status, 304);

	/* Only an IP captured: no host, no user agent; "+" bytes; the host
	 * of an absolute-form target. */
	ck_assert_int_eq(parse("haproxy", "<30>Jun 27 21:43:42 haproxy[22021]: 8.6.7.10:55480 "
	                       "[27/Jun/2019:21:42:38.916] pub~ be/a 0/0/0/-1/63387 200 +194 - - sH-- "
	                       "15/13/10/0/0 0/0 {77.24.148.74} \"GET http://www.b.nl/c HTTP/1.1\"", &r), LOGFMT_OK);
	ck_str(r.host, "www.b.nl");
	ck_str(r.user_agent, "");
	ck_str(r.target, "/c");

	/* <BADREQ>: no method (rule 2.1); status -1: status 0 (rule 2.2);
	 * a request line cut by the log length limit keeps what is there. */
	ck_assert_int_eq(parse("haproxy", "Jul 18 17:05:30 localhost haproxy[8247]: 188.223.50.7:51940 "
	                       "[18/Jul/2011:17:05:24.339] px px/<NOSRV> -1/-1/-1/-1/6001 408 212 - - cR-- "
	                       "100/89/0/0/0 0/0 \"<BADREQ>\"", &r), LOGFMT_OK);
	ck_str(r.method, "");
	ck_assert_int_eq(r.status, 408);
	ck_assert_int_eq(parse("haproxy", "1.2.3.4:5 [18/Jul/2011:17:05:24] px px/s 1/2/3/4/5 -1 0 - - CR-- "
	                       "1/1/0/0/0 0/0 \"GET /x HTTP/1.1\"", &r), LOGFMT_OK);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(r.instant_us, 1311008724000000LL);
	ck_assert_int_eq(parse("haproxy", "1.2.3.4:5 [18/Jul/2011:17:05:24.339] px px/s 1/2/3/4/5 200 0 - - "
	                       "---- 1/1/0/0/0 0/0 \"GET /very/long", &r), LOGFMT_OK);
	ck_str(r.target, "/very/long");

	static const char *bad[] = {
		"10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"UA\"",
		"1.2.3.4:5 [18/Jul/2011:17:05:24.339 +0000] px px/s 1/2/3/4/5 200 0 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
		"1.2.3.4:5 [31/Jun/2011:17:05:24.339] px px/s 1/2/3/4/5 200 0 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
		"1.2.3.4:5 [18/Jul/2011:17:05:24.339] px px/s 1/2/3/4/5 2000 0 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
		"1.2.3.4:5 [18/Jul/2011:17:05:24.339] px pxs 1/2/3/4/5 200 0 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
		"1.2.3.4:5 [18/Jul/2011:17:05:24.339] px px/s 1/2/3/4/5 200 0 - - ---- 1/1/0/0/0 \"GET / HTTP/1.1\"",
		"1.2.3.4:5 [18/Jul/2011:17:05:24.339] px px/s 1/2/3/4/5 200 0 - - ---- 1/1/0/0/0 0/0 {a \"GET / HTTP/1.1\"",
		"1.2.3.4:5 [18/Jul/2011:17:05:24.339] px px/s 1/2/3/4/5 200 0 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"x",
		"1.2.3.4:5 [18/Jul/2011:17:05:24.339] px px/s 1/2/3/4/5 200 0 - - ---- 1/1/0/0/0 0/0",
		"[18/Jul/2011:17:05:24.339] px px/s 1/2/3/4/5 200 0 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(parse("haproxy", bad[k], &r) == LOGFMT_MALFORMED, "accepted: %s", bad[k]);
}
END_TEST

START_TEST(test_detect_lb)
{
	static char buf[1 << 14];
	size_t n = 0;
	add(buf, &n, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 "
	    "192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "
	    "\"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - "
	    "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "
	    "\"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2018-07-02T22:22:48.364000Z "
	    "\"forward\" \"-\" \"-\"", 3);
	detect(buf, n, "alb", "alb: 3 of 3 lines");
	n = 0;
	add(buf, &n, "Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 "
	    "[06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - "
	    "---- 1/1/1/1/0 0/0 {1wt.eu} {} \"GET /index.html HTTP/1.1\"", 2);
	detect(buf, n, "haproxy", "haproxy: 2 of 2 lines");
	/* No CLF line reads as either. */
	n = 0;
	add(buf, &n, L_COMBINED, 2);
	detect(buf, n, "combined", "combined: 2 of 2 lines");
}
END_TEST

/* ---- issue 11: requests without a request line, status "-" --------- */

/* Asserts that line parses with format spec fmt (a preset or a format
 * string) as a record without a request, with the given status. */
static void no_request(const char *fmt, const char *line, int status)
{
	kr_record r;
	ck_assert_msg(parse(fmt, line, &r) == LOGFMT_OK, "%s: malformed: %s", fmt, line);
	ck_assert_msg(r.method.n == 0 && r.target.n == 0, "%s: method '%.*s' target '%.*s': %s",
	              fmt, (int)r.method.n, r.method.p ? r.method.p : "", (int)r.target.n,
	              r.target.p ? r.target.p : "", line);
	ck_assert_int_eq(r.status, status);
	ck_assert_uint_gt(r.client.n + r.host.n, 0);
	ck_assert_int_eq(r.wall, W10);
}

START_TEST(test_no_request)
{
	kr_record r;
	/* Apache's idle keep-alive connection, nginx's empty request, a TLS
	 * handshake as Apache/nginx escape it, a scanner's bytes, raw bytes,
	 * a method without a target */
	static const char *const req[] = {
		"\"-\" 408", "\"\" 400", "\"\\x16\\x03\\x01\\x00\\xa5\\x01\\x00\\x00\\xa1\\x03\\x03\" 400",
		"\"Gh0st\\xad\" 400", "\"\x16\x03\x01\x02\x31\x01\x05\x01\xfc\x03\x03\" 400",
		"\"GET\" 400", "\"GET HTTP/1.1\" 400",
	};
	char line[512];
	for (size_t k = 0; k < sizeof req / sizeof req[0]; k++) {
		int st = req[k][strlen(req[k]) - 1] == '8' ? 408 : 400;
		snprintf(line, sizeof line, "192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] %s 0 \"-\" \"-\"",
		         req[k]);
		no_request("combined", line, st);
		snprintf(line, sizeof line, "www.a.nl:80 192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] "
		         "%s 0 \"-\" \"-\"", req[k]);
		no_request("vhost_combined", line, st);
		ck_assert_int_eq(parse("vhost_combined", line, &r), LOGFMT_OK);
		ck_str(r.host, "www.a.nl");
		snprintf(line, sizeof line, "192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] %s -", req[k]);
		no_request("common", line, st);
		snprintf(line, sizeof line, "192.0.2.1 [02/Nov/2026:10:00:00 +0100] %s", req[k]);
		no_request("$remote_addr [$time_local] \"$request\" $status", line, st);
		no_request("%h %t \"%r\" %>s", line, st);
	}
	/* A TLS handshake with a space in it (nginx leaves 0x20 as is): a
	 * method that is no method, which the method rule excludes. */
	ck_assert_int_eq(parse("combined", "192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"\\x16\\x03\\x01\\x00 \\xC0/\\xC00\" 400 150 \"-\" \"-\"", &r),
	                 LOGFMT_OK);
	ck_str(r.method, "\\x16\\x03\\x01\\x00");

	/* Status "-": a request the client abandoned, status 0. */
	ck_assert_int_eq(parse("combined", "192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /a HTTP/1.1\" - 0 \"-\" \"UA\"", &r), LOGFMT_OK);
	ck_str(r.method, "GET");
	ck_str(r.target, "/a");
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(parse("%h %t \"%r\" %>s", "192.0.2.1 [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /a HTTP/1.1\" -", &r), LOGFMT_OK);
	ck_assert_int_eq(r.status, 0);

	/* Method and target logged apart: "-" or empty is no request. */
	no_request("%h %t %m %U%q %>s", "192.0.2.1 [02/Nov/2026:10:00:00 +0100] - - 408", 408);
	no_request("$remote_addr [$time_local] \"$request_method $request_uri\" $status",
	           "192.0.2.1 [02/Nov/2026:10:00:00 +0100] \" \" 400", 400);
	no_request("%h %t %m %U %>s", "192.0.2.1 [02/Nov/2026:10:00:00 +0100] GET - 400", 400);

	/* W3C: cs-method and cs-uri-stem "-", sc-status "-". */
	static const char *w3c = "#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query "
	                         "sc-status";
	char err[128];
	logfmt *w0 = logfmt_new("w3c", err, sizeof err);
	logfmt *w = logfmt_directive(w0, w3c, strlen(w3c), err, sizeof err);
	logfmt_free(w0);
	ck_assert_msg(w != NULL, "%s", err);
	static const char *const wl[] = {
		"2026-11-02 10:00:00 192.0.2.1 - - - 400",
		"2026-11-02 10:00:00 192.0.2.1 GET - - 400",
	};
	for (size_t k = 0; k < 2; k++) {
		strcpy(line, wl[k]);
		ck_assert_int_eq(logfmt_parse(w, line, strlen(line), &r), LOGFMT_OK);
		ck_assert_uint_eq(r.method.n + r.target.n, 0);
		ck_assert_int_eq(r.status, 400);
	}
	strcpy(line, "2026-11-02 10:00:00 192.0.2.1 GET /a - -");
	ck_assert_int_eq(logfmt_parse(w, line, strlen(line), &r), LOGFMT_OK);
	ck_str(r.target, "/a");
	ck_assert_int_eq(r.status, 0);
	logfmt_free(w);

	/* JSON: an empty or "-" request, method or target; status "-". */
	no_request("json", "{\"time_iso8601\":\"2026-11-02T10:00:00+01:00\",\"remote_addr\":"
	           "\"192.0.2.1\",\"request\":\"\",\"status\":\"400\"}", 400);
	no_request("json", "{\"time_iso8601\":\"2026-11-02T10:00:00+01:00\",\"remote_addr\":"
	           "\"192.0.2.1\",\"request\":\"-\",\"status\":408}", 408);
	no_request("json", "{\"time_iso8601\":\"2026-11-02T10:00:00+01:00\",\"remote_addr\":"
	           "\"192.0.2.1\",\"request_method\":\"\",\"request_uri\":\"\",\"status\":400}", 400);
	ck_assert_int_eq(parse("json", "{\"time_iso8601\":\"2026-11-02T10:00:00+01:00\","
	                       "\"request\":\"GET /a HTTP/1.1\",\"status\":\"-\"}", &r), LOGFMT_OK);
	ck_assert_int_eq(r.status, 0);
	/* ... but a line that logs no method or no target at all is no
	 * access log line. */
	ck_assert_int_eq(parse("json", "{\"time_iso8601\":\"2026-11-02T10:00:00+01:00\","
	                       "\"request_uri\":\"/a\",\"status\":200}", &r), LOGFMT_MALFORMED);
	ck_assert_int_eq(parse("json", "{\"time_iso8601\":\"2026-11-02T10:00:00+01:00\","
	                       "\"request_method\":\"GET\",\"status\":200}", &r), LOGFMT_MALFORMED);

	/* What stays malformed: a status that is neither digits nor "-", a
	 * line cut before its status. */
	static const char *const bad[] = {
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"-\" -- 0 \"-\" \"-\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"-\"",
		"192.0.2.1 - - [02/Nov/2026:10:00:00 +0100] \"-\" 408 0 \"-\"",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(parse("combined", bad[k], &r) == LOGFMT_MALFORMED, "accepted: %s", bad[k]);
}
END_TEST

/* Traefik's CLF as v1, v2 and v3 write it (shapes from Traefik's
 * logger_formatters_test.go and issues 2649, 6481, 11722). */
START_TEST(test_traefik_versions)
{
	kr_record r;
	/* v1: referer "-" unquoted */
	ck_assert_int_eq(parse("traefik", "192.0.2.4 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /a HTTP/1.1\" 200 24829 - \"Mozilla/5.0 (X11)\" 5 "
	                       "\"Host-www-a-nl-0\" \"http://10.0.0.5:80\" 3ms", &r), LOGFMT_OK);
	ck_str(r.client, "192.0.2.4");
	ck_str(r.method, "GET");
	ck_str(r.target, "/a");
	ck_str(r.referer, "-");
	ck_str(r.user_agent, "Mozilla/5.0 (X11)");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.wall, W10);
	ck_assert_int_eq(r.instant_us, I09);
	/* v2: service "-" unquoted */
	ck_assert_int_eq(parse("traefik", "127.0.0.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /ping HTTP/1.1\" 200 2 \"-\" \"-\" 1 \"ping@internal\" - 0ms",
	                       &r), LOGFMT_OK);
	ck_str(r.target, "/ping");
	ck_str(r.user_agent, "-");
	/* router and service both "-", user agent "-" unquoted */
	ck_assert_int_eq(parse("traefik", "127.0.0.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /ping HTTP/1.1\" 404 19 \"http://r/\" - 4 - - 0ms", &r),
	                 LOGFMT_OK);
	ck_str(r.referer, "http://r/");
	ck_str(r.user_agent, "-");
	ck_assert_int_eq(r.status, 404);
	/* v3: a quote inside the user agent, not escaped */
	ck_assert_int_eq(parse("traefik", "127.0.0.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET / HTTP/2.0\" 200 659 \"-\" \"foo \" bar\" 116 \"example@file\" "
	                       "\"http://127.0.0.1:3001\" 1ms", &r), LOGFMT_OK);
	ck_str(r.user_agent, "foo \" bar");
	ck_str(r.referer, "-");
	ck_str(r.target, "/");
	/* ... and in the referer and the request target */
	ck_assert_int_eq(parse("traefik", "127.0.0.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /q?a=\"b\" HTTP/1.1\" 200 5 \"x\"y\" \"UA\" 1 \"r@file\" "
	                       "\"http://h:1\" 1ms", &r), LOGFMT_OK);
	ck_str(r.target, "/q?a=\"b\"");
	ck_str(r.referer, "x\"y");
	ck_str(r.user_agent, "UA");
	/* status, size and count "-": abandoned, status 0 */
	ck_assert_int_eq(parse("traefik", "10.0.0.1 - Client [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /foo HTTP/1.1\" - - \"-\" \"-\" 0 - - 123000ms", &r), LOGFMT_OK);
	ck_assert_int_eq(r.status, 0);
	ck_str(r.method, "GET");
	ck_assert_int_eq(parse("traefik", "10.0.0.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /foo HTTP/1.1\" 200 5 \"r\" \"agent\" - \"foo\" "
	                       "\"http://10.0.0.2/toto\" 12ms", &r), LOGFMT_OK);
	ck_str(r.user_agent, "agent");
	/* a request line without a request */
	ck_assert_int_eq(parse("traefik", "10.0.0.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"- - -\" 400 0 - - 3 - - 0ms", &r), LOGFMT_OK);
	ck_assert_int_eq(r.status, 400);
	ck_assert(!(r.method.n == 3 && memcmp(r.method.p, "GET", 3) == 0));
	/* escapes in the user agent are undone as in the item loop */
	ck_assert_int_eq(parse("traefik", "10.0.0.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET / HTTP/1.1\" 200 5 - \"a\\\\b\" 3 - - 0ms", &r), LOGFMT_OK);
	ck_str(r.user_agent, "a\\b");

	/* still malformed */
	static const char *bad[] = {
		/* a router that is neither quoted nor "-" */
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 - \"UA\" "
		"42 r \"s\" 5ms",
		/* no duration */
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 - \"UA\" "
		"42 \"r\" \"s\"",
		/* a count that is no number */
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 - \"UA\" "
		"x \"r\" \"s\" 5ms",
		/* a status that is none */
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 20 5 - \"UA\" "
		"4 \"r\" \"s\" 5ms",
		/* a referer that is neither quoted nor "-" */
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 x \"UA\" "
		"4 \"r\" \"s\" 5ms",
		/* user agent missing */
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 \"-\" "
		"4 \"r\" \"s\" 5ms",
		/* a bad date */
		"192.0.2.10 - - [31/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 - \"UA\" "
		"4 \"r\" \"s\" 5ms",
		/* nothing between size and duration (found by the fuzzer: a
		 * read before the line under ASan) */
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 3ms",
		"192.0.2.10 - - [02/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 5 - 3ms",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		ck_assert_msg(parse("traefik", bad[k], &r) == LOGFMT_MALFORMED, "accepted: %s", bad[k]);
	/* Combined does not read the v1 and v2 shapes. */
	ck_assert_int_eq(parse("combined", "127.0.0.1 - - [02/Nov/2026:10:00:00 +0100] "
	                       "\"GET /a HTTP/1.1\" 200 5 - \"UA\" 1 \"f\" \"http://b\" 3ms", &r),
	                 LOGFMT_MALFORMED);
}
END_TEST

/* Lines that do not decide the format do not stop detection. */
START_TEST(test_detect_passes_over)
{
	static char buf[1 << 18];
	size_t n = 0;
	static const char *const odd[] = {
		"bing.com:80 142.250.190.142 - - [01/Jul/2013:06:41:31 -0500] \"-\" 408 0 \"-\" \"-\"",
		"www.x.nl:443 10.0.0.9 - - [17/May/2015:10:05:03 +0000] \"\" 400 0 \"-\" \"-\"",
		("www.x.nl:443 10.0.0.9 - - [17/May/2015:10:05:03 +0000] \"\\x16\\x03\\x01\\x00\" 400 "
		 "0 \"-\" \"-\""),
	};
	/* 12 lines without a request, blank lines and a comment, then
	 * vhost_combined lines */
	for (int i = 0; i < 12; i++) {
		add(buf, &n, odd[i % 3], 1);
		add(buf, &n, "", i % 2);
	}
	add(buf, &n, "# rotated by logrotate", 1);
	add(buf, &n, L_VHOST, 1000);
	detect(buf, n, "vhost_combined",
	       "vhost_combined: 20 of 20 lines, 12 without a request passed over");

	/* The same before combined lines (the odd lines in combined shape). */
	n = 0;
	for (int i = 0; i < 12; i++)
		add(buf, &n, "10.0.0.9 - - [17/May/2015:10:05:03 +0000] \"-\" 408 0 \"-\" \"-\"", 1);
	add(buf, &n, L_COMBINED, 30);
	detect(buf, n, "combined", "combined: 20 of 20 lines, 12 without a request passed over");

	/* Only lines without a request: they decide. */
	n = 0;
	add(buf, &n, "10.0.0.9 - - [17/May/2015:10:05:03 +0000] \"-\" 408 0 \"-\" \"-\"", 5);
	detect(buf, n, "combined", "combined: 5 of 5 lines");

	/* Unreadable lines first count against every format but do not stop
	 * the search for deciding lines. */
	n = 0;
	add(buf, &n, "garbage", 15);
	add(buf, &n, L_COMBINED, 30);
	detect(buf, n, "combined", "combined: 20 of 35 lines");

	/* A reader with more input: asked for more until lines decide. */
	n = 0;
	add(buf, &n, "10.0.0.9 - - [17/May/2015:10:05:03 +0000] \"-\" 408 0 \"-\" \"-\"", 12);
	add(buf, &n, L_COMBINED, 5);
	char why[160];
	int more = -1;
	logfmt *f = logfmt_detect_more(buf, n, 0, why, sizeof why, &more);
	ck_assert_ptr_null(f);
	ck_assert_int_eq(more, 1);
	ck_assert_str_eq(why, "more input needed");
	f = logfmt_detect_more(buf, n, 1, why, sizeof why, &more);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(more, 0);
	ck_assert_str_eq(why, "combined: 5 of 5 lines, 12 without a request passed over");
	logfmt_free(f);
	add(buf, &n, L_COMBINED, 15);
	f = logfmt_detect_more(buf, n, 0, why, sizeof why, &more);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(more, 0);
	ck_assert_str_eq(logfmt_name(f), "combined");
	logfmt_free(f);

	/* Traefik v1 lines after lines without a request. */
	n = 0;
	add(buf, &n, "10.0.0.9 - - [17/May/2015:10:05:03 +0000] \"- - -\" 400 0 - - 1 - - 0ms", 3);
	add(buf, &n, "192.0.2.4 - - [02/Nov/2026:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 24829 - "
	    "\"Mozilla/5.0 (X11)\" 5 \"Host-www-a-nl-0\" \"http://10.0.0.5:80\" 3ms", 4);
	detect(buf, n, "traefik", "traefik: 4 of 4 lines, 3 without a request passed over");

	/* A refusal names the presets that came closest. */
	n = 0;
	add(buf, &n, "garbage", 10);
	add(buf, &n, L_COMMON, 4);
	add(buf, &n, L_VHOST, 3);
	add(buf, &n, L_COMBINED, 3);
	detect(buf, n, NULL, "no format fits a majority of the first 20 lines; closest: "
	       "common reads 4, vhost_combined reads 3, combined reads 3");
}
END_TEST

Suite *logfmt_suite(void)
{
	Suite *s = suite_create("logfmt");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60); /* the corpus tests, under the sanitizers */
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
	tcase_add_test(tc, test_clf_fast_path);
	tcase_add_test(tc, test_traefik);
	tcase_add_test(tc, test_apache_format);
	tcase_add_test(tc, test_nginx_format);
	tcase_add_test(tc, test_format_errors);
	tcase_add_test(tc, test_w3c);
	tcase_add_test(tc, test_json_nginx);
	tcase_add_test(tc, test_json_caddy_traefik);
	tcase_add_test(tc, test_detect_more);
	tcase_add_test(tc, test_w3c_quoted);
	tcase_add_test(tc, test_cloudfront);
	tcase_add_test(tc, test_alb);
	tcase_add_test(tc, test_haproxy);
	tcase_add_test(tc, test_detect_lb);
	tcase_add_test(tc, test_no_request);
	tcase_add_test(tc, test_traefik_versions);
	tcase_add_test(tc, test_detect_passes_over);
	suite_add_tcase(s, tc);
	return s;
}
