/*
 * check_strtab.c - the string table (strtab.h): ids in order of insertion,
 * find and find-or-add, copies that outlive the caller's bytes and never
 * move while the table grows, long probe chains of keys built to share a
 * start slot, keys with NUL bytes, and allocation failures at every point
 * leaving the table as it was (include/fault.h).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "strtab.h"

extern _Atomic long kr_fault_countdown;
extern _Atomic long kr_fault_injected;

static long add(strtab *t, const char *s, int *added)
{
	return strtab_add(t, s, strlen(s), added);
}

static long find(const strtab *t, const char *s)
{
	return strtab_find(t, s, strlen(s));
}

START_TEST(test_basic)
{
	strtab *t = strtab_new();
	int added = -1;
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(find(t, "x"), -1);
	ck_assert_int_eq(strtab_find(NULL, "x", 1), -1);
	ck_assert_uint_eq(strtab_count(t), 0);
	char buf[16] = "amsterdam";
	ck_assert_int_eq(add(t, buf, &added), 0);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(add(t, "utrecht", &added), 1);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(add(t, "amsterdam", &added), 0);
	ck_assert_int_eq(added, 0);
	ck_assert_int_eq(add(t, "utrecht", NULL), 1);
	ck_assert_uint_eq(strtab_count(t), 2);
	/* the key is a copy: the caller's buffer may change */
	memcpy(buf, "rotterdam", 10);
	ck_assert_int_eq(find(t, "amsterdam"), 0);
	ck_assert_int_eq(find(t, "rotterdam"), -1);
	size_t n = 0;
	ck_assert_str_eq(strtab_key(t, 0, &n), "amsterdam");
	ck_assert_uint_eq(n, 9);
	ck_assert_str_eq(strtab_key(t, 1, NULL), "utrecht");
	/* values start at 0 and are kept per id */
	ck_assert_int_eq(strtab_value(t, 1), 0);
	strtab_set_value(t, 1, -7);
	strtab_set_value(t, 0, (intptr_t)buf);
	ck_assert_int_eq(strtab_value(t, 1), -7);
	ck_assert_int_eq(strtab_value(t, 0), (intptr_t)buf);
	strtab_free(t);
	strtab_free(NULL);
}
END_TEST

/* Many keys: every one keeps its id through the doublings, and the copies
 * handed out early still hold their bytes at the same address. */
START_TEST(test_grow)
{
	enum { N = 50000 };
	strtab *t = strtab_new();
	const char *first[100];
	char k[32];
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof k, "host%d.example", i);
		int added = 0;
		ck_assert_int_eq(add(t, k, &added), i);
		ck_assert_int_eq(added, 1);
		if (i < 100)
			first[i] = strtab_key(t, (size_t)i, NULL);
	}
	ck_assert_uint_eq(strtab_count(t), N);
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof k, "host%d.example", i);
		ck_assert_int_eq(find(t, k), i);
		ck_assert_str_eq(strtab_key(t, (size_t)i, NULL), k);
		if (i < 100)
			ck_assert_ptr_eq(strtab_key(t, (size_t)i, NULL), first[i]);
		snprintf(k, sizeof k, "host%d.example.", i);
		ck_assert_int_eq(find(t, k), -1);
	}
	/* a key longer than a key block */
	size_t big = 200000;
	char *b = malloc(big);
	ck_assert_ptr_nonnull(b);
	memset(b, 'x', big);
	ck_assert_int_eq(strtab_add(t, b, big, NULL), N);
	ck_assert_int_eq(strtab_find(t, b, big), N);
	ck_assert_int_eq(strtab_find(t, b, big - 1), -1);
	free(b);
	strtab_free(t);
}
END_TEST

/* Keys chosen so that all their hashes share the low 12 bits: in a table
 * of up to 4096 slots they all start probing at the same slot, so each
 * find walks one long chain past the others. */
START_TEST(test_collisions)
{
	enum { WANT = 300, MASK = 4095 };
	static char keys[WANT][16];
	static char absent[20][16];
	int nk = 0, na = 0;
	uint64_t target = strtab_hash("c0", 2) & MASK;
	for (int i = 0; nk < WANT || na < 20; i++) {
		char k[16];
		int n = snprintf(k, sizeof k, "c%d", i);
		if ((strtab_hash(k, (size_t)n) & MASK) != target)
			continue;
		if (nk < WANT)
			memcpy(keys[nk++], k, (size_t)n + 1);
		else
			memcpy(absent[na++], k, (size_t)n + 1);
	}
	strtab *t = strtab_new();
	for (int i = 0; i < WANT; i++)
		ck_assert_int_eq(add(t, keys[i], NULL), i);
	for (int i = 0; i < WANT; i++) {
		ck_assert_int_eq(find(t, keys[i]), i);
		ck_assert_int_eq(add(t, keys[i], NULL), i);
	}
	for (int i = 0; i < na; i++)
		ck_assert_int_eq(find(t, absent[i]), -1);
	ck_assert_uint_eq(strtab_count(t), WANT);
	strtab_free(t);
}
END_TEST

/* NUL bytes are part of the key: "a", "a\0", "a\0b", "a\0c", "\0" and ""
 * are six keys. */
START_TEST(test_nul_bytes)
{
	static const struct { const char *p; size_t n; } k[] = {
		{ "a", 1 }, { "a\0", 2 }, { "a\0b", 3 }, { "a\0c", 3 }, { "\0", 1 }, { "", 0 },
	};
	enum { NK = sizeof k / sizeof k[0] };
	strtab *t = strtab_new();
	ck_assert_int_eq(strtab_find(t, "", 0), -1);
	for (int i = 0; i < NK; i++)
		ck_assert_int_eq(strtab_add(t, k[i].p, k[i].n, NULL), i);
	ck_assert_uint_eq(strtab_count(t), NK);
	for (int i = 0; i < NK; i++) {
		size_t n = 99;
		const char *s = strtab_key(t, (size_t)i, &n);
		ck_assert_int_eq(strtab_find(t, k[i].p, k[i].n), i);
		ck_assert_uint_eq(n, k[i].n);
		ck_assert(memcmp(s, k[i].p, n) == 0);
		ck_assert_int_eq(s[n], '\0');
	}
	ck_assert_int_eq(strtab_find(t, "a\0b\0", 4), -1);
	ck_assert(strtab_hash("a", 1) != strtab_hash("a\0", 2));
	ck_assert(strtab_hash("a\0b", 3) == strtab_hash("a\0b", 3));
	strtab_free(t);
}
END_TEST

/* An allocation fails at every point in turn while 200 keys go in: the
 * add that fails returns -1 and the table is as before (count, ids, the
 * key absent); adding it again succeeds. */
START_TEST(test_oom)
{
	enum { N = 200 };
	long failed = 0;
	char k[32];
	for (long after = 0; after < 30; after++) {
		long before = atomic_load(&kr_fault_injected);
		atomic_store(&kr_fault_countdown, after);
		strtab *t = strtab_new();
		if (!t) {
			atomic_store(&kr_fault_countdown, -1);
			ck_assert_int_gt(atomic_load(&kr_fault_injected), before);
			failed++;
			continue;
		}
		for (int i = 0; i < N; i++) {
			snprintf(k, sizeof k, "gemeente-%d", i);
			long inj = atomic_load(&kr_fault_injected);
			long id = add(t, k, NULL);
			if (atomic_load(&kr_fault_injected) > inj) {
				ck_assert_int_eq(id, -1);
				failed++;
				ck_assert_uint_eq(strtab_count(t), (size_t)i);
				ck_assert_int_eq(find(t, k), -1);
				id = add(t, k, NULL);
			}
			ck_assert_int_eq(id, i);
		}
		atomic_store(&kr_fault_countdown, -1);
		ck_assert_uint_eq(strtab_count(t), N);
		for (int i = 0; i < N; i++) {
			snprintf(k, sizeof k, "gemeente-%d", i);
			ck_assert_int_eq(find(t, k), i);
			ck_assert_str_eq(strtab_key(t, (size_t)i, NULL), k);
		}
		strtab_free(t);
	}
	ck_assert_int_gt(failed, 10); /* the failures did happen */
}
END_TEST

Suite *strtab_suite(void)
{
	Suite *s = suite_create("strtab");
	TCase *tc = tcase_create("strtab");
	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_grow);
	tcase_add_test(tc, test_collisions);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_oom);
	suite_add_tcase(s, tc);
	return s;
}
