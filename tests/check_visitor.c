/*
 * check_visitor.c - SipHash-2-4 against the reference vectors and the
 * visitor triple's distinctness.
 */
#include <string.h>
#include "check_suites.h"
#include "visitor.h"

static kr_str S(const char *s)
{
	return (kr_str){ s, strlen(s) };
}

/* Reference key 00 01 .. 0f and messages 00 01 .. (len-1), from the
 * SipHash paper's test vectors (vectors.h in the reference code). */
START_TEST(test_siphash_vectors)
{
	visitor_key k = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
	unsigned char msg[64];
	for (int i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	ck_assert_uint_eq(visitor_siphash(&k, msg, 0), 0x726fdb47dd0e0e31ull);
	ck_assert_uint_eq(visitor_siphash(&k, msg, 1), 0x74f839c593dc67fdull);
	ck_assert_uint_eq(visitor_siphash(&k, msg, 7), 0xab0200f58b01d137ull);
	ck_assert_uint_eq(visitor_siphash(&k, msg, 8), 0x93f5f5799a932462ull);
	ck_assert_uint_eq(visitor_siphash(&k, msg, 15), 0xa129ca6149be45e5ull);
	ck_assert_uint_eq(visitor_siphash(&k, msg, 63), 0x958a324ceb064572ull);
}
END_TEST

START_TEST(test_triple)
{
	visitor_key k;
	visitor_key_random(&k);
	uint64_t a = visitor_hash(&k, S("10.0.0.1"), S("Firefox"), 20394);
	ck_assert_uint_eq(a, visitor_hash(&k, S("10.0.0.1"), S("Firefox"), 20394));
	ck_assert_uint_ne(a, visitor_hash(&k, S("10.0.0.1"), S("Firefox"), 20395));
	ck_assert_uint_ne(a, visitor_hash(&k, S("10.0.0.1"), S("Chrome"), 20394));
	ck_assert_uint_ne(a, visitor_hash(&k, S("10.0.0.2"), S("Firefox"), 20394));
	/* The client length is part of the input: shifting bytes between
	 * client and user agent gives another visitor. */
	ck_assert_uint_ne(visitor_hash(&k, S("ab"), S("c"), 1), visitor_hash(&k, S("a"), S("bc"), 1));
	/* Matches the documented byte layout. */
	unsigned char buf[32] = { 2, 0, 0, 0, 'a', 'b', 'c', 1, 0, 0, 0 };
	ck_assert_uint_eq(visitor_hash(&k, S("ab"), S("c"), 1), visitor_siphash(&k, buf, 11));
	/* Another key, another hash. */
	visitor_key k2 = { k.k0 ^ 1, k.k1 };
	ck_assert_uint_ne(a, visitor_hash(&k2, S("10.0.0.1"), S("Firefox"), 20394));
}
END_TEST

/* Privacy: every run draws its own key from getrandom (0 = not the
 * clock-and-pid fallback), so hashes of two runs cannot be linked. */
START_TEST(test_key_per_run)
{
	visitor_key a, b;
	ck_assert_int_eq(visitor_key_random(&a), 0);
	ck_assert_int_eq(visitor_key_random(&b), 0);
	ck_assert(a.k0 != b.k0 || a.k1 != b.k1);
	ck_assert(a.k0 != 0 || a.k1 != 0);
	ck_assert_uint_ne(visitor_hash(&a, S("10.0.0.1"), S("Firefox"), 1),
	                  visitor_hash(&b, S("10.0.0.1"), S("Firefox"), 1));
}
END_TEST

Suite *visitor_suite(void)
{
	Suite *s = suite_create("visitor");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_siphash_vectors);
	tcase_add_test(tc, test_triple);
	tcase_add_test(tc, test_key_per_run);
	suite_add_tcase(s, tc);
	return s;
}
