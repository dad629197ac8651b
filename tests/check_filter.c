/*
 * check_filter.c - qualifying methods, statuses and the bot token list.
 */
#include <stdio.h>
#include <string.h>
#include "check_suites.h"
#include "filter.h"

static kr_str S(const char *s)
{
	return (kr_str){ s, strlen(s) };
}

START_TEST(test_method)
{
	ck_assert(filter_method(S("GET")));
	ck_assert(filter_method(S("POST")));
	ck_assert(!filter_method(S("get")));
	ck_assert(!filter_method(S("HEAD")));
	ck_assert(!filter_method(S("PUT")));
	ck_assert(!filter_method(S("GETX")));
	ck_assert(!filter_method(S("")));
}
END_TEST

START_TEST(test_status)
{
	ck_assert(!filter_status(199));
	ck_assert(filter_status(200));
	ck_assert(filter_status(304));
	ck_assert(filter_status(399));
	ck_assert(!filter_status(400));
	ck_assert(!filter_status(503));
}
END_TEST

START_TEST(test_bot_tokens)
{
	static const char *const bots[] = {
		"Googlebot/2.1", "Mozilla/5.0 (compatible; bingbot/2.0)", "CRAWLER x",
		"MySpider", "Yahoo! Slurp", "curl/8.4.0", "Wget/1.21", "python-requests/2.31",
		"Python-urllib/3.11", "aiohttp/3.9", "Go-http-client/1.1", "Java/17",
		"libwww-perl/6", "Apache-HttpClient/4.5", "okhttp/4.12", "axios/1.6",
		"node-fetch/1.0", "Scrapy/2.11", "Mozilla/5.0 HeadlessChrome/120",
		"PhantomJS/2.1", "facebookexternalhit/1.1", "Siteimprove", "UptimeRobot/2.0",
		"Pingdom.com_bot", "site-monitor", "WhatsApp preview", "check_http/v2.3",
		"Zabbix", "Nagios", "Chrome-Lighthouse", "", "-",
	};
	for (size_t i = 0; i < sizeof bots / sizeof bots[0]; i++)
		ck_assert_msg(filter_is_bot(S(bots[i])), "not a bot: '%s'", bots[i]);
}
END_TEST

START_TEST(test_not_bots)
{
	static const char *const people[] = {
		("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
		 "Chrome/120.0 Safari/537.36"),
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148",
		"curl", /* the token is "curl/" */
		"Java 17", "bo t", "--", "b",
	};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		ck_assert_msg(!filter_is_bot(S(people[i])), "a bot: '%s'", people[i]);
	/* The token at the very end and case mixing. */
	ck_assert(filter_is_bot(S("abcBOT")));
	ck_assert(filter_is_bot(S("LightHouse")));
	/* Slices are length-bounded: "bot" just past the end does not count. */
	kr_str cut = { "robxbot", 4 };
	ck_assert(!filter_is_bot(cut));
}
END_TEST

START_TEST(test_bot_cache)
{
	static filter_cache c; /* zeroed */
	/* Same length, same sampled ends: only the full compare tells them apart. */
	static const char *const uas[] = {
		"Mozilla/5.0 (X11) Gecko", "Mozilla/5.0 (bot) Gecko", "Mozilla/5.0 (X11) Gecko",
		"Googlebot/2.1", "Mozilla/5.0 (bot) Gecko", "curl/8.0", "", "-",
	};
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof uas / sizeof uas[0]; i++)
			ck_assert_int_eq(filter_is_bot_cached(&c, S(uas[i])), filter_is_bot(S(uas[i])));
	/* Many distinct agents evict each other without changing answers. */
	char buf[64];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof buf, "Agent-%d%s", i, i % 7 ? "" : " spider");
		kr_str u = { buf, (size_t)n };
		ck_assert_int_eq(filter_is_bot_cached(&c, u), i % 7 == 0);
	}
}
END_TEST

Suite *filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_method);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_bot_tokens);
	tcase_add_test(tc, test_not_bots);
	tcase_add_test(tc, test_bot_cache);
	suite_add_tcase(s, tc);
	return s;
}
