/*
 * check_xff.c - unit tests for xff: --trusted-proxies parsing (CIDR
 * boundaries for IPv4 and IPv6, errors) and the choice of the client in an
 * X-Forwarded-For value (rightmost untrusted, ports, brackets, garbage).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_suites.h"
#include "xff.h"

static kr_str S(const char *s)
{
	return (kr_str){s, strlen(s)};
}

#define ck_slice(slice, want) do { \
	kr_str s_ = (slice); \
	const char *w_ = (want); \
	ck_assert_msg(s_.n == strlen(w_) && memcmp(s_.p, w_, s_.n) == 0, \
	              "got '%.*s', want '%s'", (int)s_.n, s_.p ? s_.p : "", w_); \
} while (0)

static xff_trust *trust(const char *list)
{
	char err[128] = "";
	xff_trust *t = xff_trust_new(list, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	return t;
}

static int in(const xff_trust *t, const char *addr)
{
	return xff_trusted(t, addr, strlen(addr));
}

START_TEST(test_cidr_v4)
{
	xff_trust *t = trust("10.0.0.0/8");
	ck_assert(in(t, "10.0.0.0"));
	ck_assert(in(t, "10.255.255.255"));
	ck_assert(!in(t, "11.0.0.0"));
	ck_assert(!in(t, "9.255.255.255"));
	ck_assert(in(t, "::ffff:10.1.2.3"));   /* IPv4-mapped IPv6 */
	ck_assert(!in(t, "::a01:203"));         /* IPv4-compatible is not mapped */
	ck_assert(!in(t, "garbage"));
	xff_trust_free(t);

	t = trust("192.0.2.7/32");
	ck_assert(in(t, "192.0.2.7"));
	ck_assert(!in(t, "192.0.2.8"));
	ck_assert(!in(t, "192.0.2.6"));
	xff_trust_free(t);

	/* A single address is a /32; host bits of a network are ignored. */
	t = trust("192.0.2.7");
	ck_assert(in(t, "192.0.2.7"));
	ck_assert(!in(t, "192.0.2.70"));
	xff_trust_free(t);

	/* /12 does not end on an octet: 172.16.0.0 - 172.31.255.255. */
	t = trust("172.20.1.1/12");
	ck_assert(in(t, "172.16.0.0"));
	ck_assert(in(t, "172.31.255.255"));
	ck_assert(!in(t, "172.32.0.0"));
	ck_assert(!in(t, "172.15.255.255"));
	xff_trust_free(t);

	t = trust("0.0.0.0/0");
	ck_assert(in(t, "1.2.3.4"));
	ck_assert(!in(t, "2001:db8::1"));
	xff_trust_free(t);
}
END_TEST

START_TEST(test_cidr_v6)
{
	xff_trust *t = trust("2001:db8:1:2::/64");
	ck_assert(in(t, "2001:db8:1:2::1"));
	ck_assert(in(t, "2001:DB8:1:2:ffff:ffff:ffff:ffff"));
	ck_assert(!in(t, "2001:db8:1:3::1"));
	ck_assert(!in(t, "2001:db8:1:1:ffff:ffff:ffff:ffff"));
	ck_assert(!in(t, "10.0.0.1"));
	xff_trust_free(t);

	t = trust("::1/128");
	ck_assert(in(t, "::1"));
	ck_assert(in(t, "0:0:0:0:0:0:0:1"));
	ck_assert(!in(t, "::2"));
	xff_trust_free(t);

	t = trust("2001:db8::/33");
	ck_assert(in(t, "2001:db8:7fff::1"));
	ck_assert(!in(t, "2001:db8:8000::1"));
	xff_trust_free(t);
}
END_TEST

START_TEST(test_trust_list)
{
	char err[128];
	/* Commas and/or spaces between entries. */
	xff_trust *t = trust(" 10.0.0.0/8, 192.168.0.0/16 ::1,,fd00::/8 ");
	ck_assert(in(t, "10.9.9.9"));
	ck_assert(in(t, "192.168.255.1"));
	ck_assert(in(t, "::1"));
	ck_assert(in(t, "fdff::1"));
	ck_assert(!in(t, "192.169.0.1"));
	xff_trust_free(t);

	/* NULL or empty: nothing trusted. */
	t = trust(NULL);
	ck_assert(!in(t, "10.0.0.1"));
	xff_trust_free(t);
	t = trust("");
	ck_assert(!in(t, "10.0.0.1"));
	xff_trust_free(t);
	ck_assert(!xff_trusted(NULL, "10.0.0.1", 8));

	static const struct { const char *list, *bad; } bad[] = {
		{"10.0.0.0/33", "10.0.0.0/33"},
		{"10.0.0.0/8,foo", "foo"},
		{"10.0.0.0/", "10.0.0.0/"},
		{"2001:db8::/129", "2001:db8::/129"},
		{"1.2.3", "1.2.3"},
		{"1.2.3.4/8x", "1.2.3.4/8x"},
		{"256.1.1.1", "256.1.1.1"},
		{"10.0.0.0/-1", "10.0.0.0/-1"},
		{"/8", "/8"},
		{"[::1]", "[::1]"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char want[128];
		err[0] = '\0';
		ck_assert_msg(xff_trust_new(bad[i].list, err, sizeof err) == NULL,
		              "accepted '%s'", bad[i].list);
		snprintf(want, sizeof want, "invalid address '%s' in --trusted-proxies", bad[i].bad);
		ck_assert_str_eq(err, want);
	}
	xff_trust_free(NULL);
}
END_TEST

START_TEST(test_client)
{
	xff_trust *t = trust("10.0.0.0/8, 2001:db8:ffff::/48");
	kr_str conn = S("10.0.0.1");
	const char *x;

	/* Nothing trusted: the rightmost entry. */
	ck_slice(xff_client(NULL, S("203.0.113.5, 198.51.100.1"), conn), "198.51.100.1");
	/* The rightmost untrusted, skipping trusted proxies. */
	x = "198.51.100.9, 203.0.113.5, 10.0.0.2, 10.1.1.1";
	kr_str c = xff_client(t, S(x), conn);
	ck_slice(c, "203.0.113.5");
	ck_assert(c.p == x + 14); /* points into the header */
	/* Spoofed leftmost entries do not matter. */
	ck_slice(xff_client(t, S("1.1.1.1,203.0.113.5"), conn), "203.0.113.5");
	/* All trusted, empty or "-": the connection address. */
	c = xff_client(t, S("10.1.1.1, 10.2.2.2"), conn);
	ck_assert(c.p == conn.p && c.n == conn.n);
	ck_slice(xff_client(t, S(""), conn), "10.0.0.1");
	ck_slice(xff_client(t, S("-"), conn), "10.0.0.1");
	ck_slice(xff_client(t, (kr_str){NULL, 0}, conn), "10.0.0.1");
	/* Spaces and empty entries. */
	ck_slice(xff_client(t, S("  203.0.113.5  ,, 10.0.0.3 ,"), conn), "203.0.113.5");
	/* IPv6, with a trusted IPv6 proxy. */
	ck_slice(xff_client(t, S("2001:db8::1, 2001:db8:ffff::2"), conn), "2001:db8::1");
	/* Ports and brackets. */
	ck_slice(xff_client(t, S("198.51.100.7:5678"), conn), "198.51.100.7");
	ck_slice(xff_client(t, S("198.51.100.7:5678, 10.0.0.9:80"), conn), "198.51.100.7");
	ck_slice(xff_client(t, S("[2001:db8::7]:443"), conn), "2001:db8::7");
	ck_slice(xff_client(t, S("[2001:db8::8]"), conn), "2001:db8::8");
	ck_slice(xff_client(t, S("2001:db8::9, [2001:db8:ffff::1]:8443"), conn), "2001:db8::9");
	/* IPv4-mapped proxies count as IPv4. */
	ck_slice(xff_client(t, S("192.0.2.1, ::ffff:10.0.0.5"), conn), "192.0.2.1");
	/* Garbage where the client should be: the connection address. */
	ck_slice(xff_client(t, S("unknown, 10.0.0.4"), conn), "10.0.0.1");
	ck_slice(xff_client(t, S("203.0.113.9, garbage"), conn), "10.0.0.1");
	ck_slice(xff_client(NULL, S("999.1.1.1"), conn), "10.0.0.1");
	xff_trust_free(t);
}
END_TEST

Suite *xff_suite(void)
{
	Suite *s = suite_create("xff");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_cidr_v4);
	tcase_add_test(tc, test_cidr_v6);
	tcase_add_test(tc, test_trust_list);
	tcase_add_test(tc, test_client);
	suite_add_tcase(s, tc);
	return s;
}
