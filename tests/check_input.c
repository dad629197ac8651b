/*
 * check_input.c - plain and gzip streams: passthrough, multi-member,
 * truncation, corruption, trailing garbage, both inflate implementations.
 * Inputs are built in memory with zlib and fed through fmemopen().
 */
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>
#include "check_suites.h"
#include "input.h"

/* gzip of src as one member. Caller frees. */
static unsigned char *gz(const char *src, size_t n, size_t *outn)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, (uLong)n) + 64;
	unsigned char *out = malloc(cap);
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outn = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* input_error_after_member after the last slurp */
static int after_member;

/* Reads all of buf through an input with reads of at most cap bytes.
 * Returns the bytes (caller frees), their count, and the final status. */
static char *slurp(const void *buf, size_t n, size_t cap, size_t *got, int *status,
                   char *err, int *isgz)
{
	FILE *fp = fmemopen((void *)(uintptr_t)buf, n ? n : 1, "rb");
	if (n == 0) {
		fclose(fp);
		fp = fopen("/dev/null", "rb");
	}
	input *in = input_new(fp, "mem");
	ck_assert_ptr_nonnull(in);
	size_t size = 0, alloc = 1 << 16;
	char *out = malloc(alloc);
	char *chunk = malloc(cap);
	ssize_t r;
	while ((r = input_read(in, chunk, cap)) > 0) {
		if (size + (size_t)r > alloc) {
			alloc = (size + (size_t)r) * 2;
			out = realloc(out, alloc);
		}
		memcpy(out + size, chunk, (size_t)r);
		size += (size_t)r;
	}
	*status = (int)r;
	snprintf(err, 128, "%s", input_error(in));
	after_member = input_error_after_member(in);
	if (isgz)
		*isgz = input_is_gzip(in);
	/* errors are sticky */
	if (r < 0)
		ck_assert_int_eq(input_read(in, chunk, cap), -1);
	input_free(in);
	free(chunk);
	*got = size;
	return out;
}

static char *text(size_t n)
{
	char *t = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		t[i] = (i % 61 == 60) ? '\n' : (char)('a' + (i * 7 + i / 61) % 26);
	t[n] = 0;
	return t;
}

START_TEST(test_plain)
{
	input_force_zlib(_i);
	const char *s = "line one\nline two\nno newline";
	size_t caps[] = { 1, 3, 4096 };
	for (int k = 0; k < 3; k++) {
		size_t got;
		int st, isgz;
		char err[128];
		char *o = slurp(s, strlen(s), caps[k], &got, &st, err, &isgz);
		ck_assert_int_eq(st, 0);
		ck_assert_int_eq(isgz, 0);
		ck_assert_uint_eq(got, strlen(s));
		ck_assert(memcmp(o, s, got) == 0);
		free(o);
	}
	/* 0x1f not followed by 0x8b is plain text (so is a lone 0x1f byte) */
	const char odd[] = "\x1f" "abc\n";
	size_t got;
	int st, isgz;
	char err[128];
	char *o = slurp(odd, 5, 64, &got, &st, err, &isgz);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(isgz, 0);
	ck_assert_uint_eq(got, 5);
	free(o);
	/* empty input: clean end */
	o = slurp("", 0, 64, &got, &st, err, &isgz);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_eq(got, 0);
	free(o);
}
END_TEST

START_TEST(test_gzip_members)
{
	input_force_zlib(_i);
	const char *parts[] = { "first member\n", "second\nmember\n", "third" };
	unsigned char *all = malloc(4096);
	size_t alln = 0;
	for (int i = 0; i < 3; i++) {
		size_t n;
		unsigned char *g = gz(parts[i], strlen(parts[i]), &n);
		memcpy(all + alln, g, n);
		alln += n;
		free(g);
	}
	size_t got;
	int st, isgz;
	char err[128];
	char *o = slurp(all, alln, 7, &got, &st, err, &isgz);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(isgz, 1);
	const char *want = "first member\nsecond\nmember\nthird";
	ck_assert_uint_eq(got, strlen(want));
	ck_assert(memcmp(o, want, got) == 0);
	free(o);
	free(all);
}
END_TEST

START_TEST(test_gzip_large)
{
	input_force_zlib(_i);
	size_t n = 5 << 20;
	char *t = text(n);
	size_t gn;
	unsigned char *g = gz(t, n, &gn);
	size_t got;
	int st;
	char err[128];
	char *o = slurp(g, gn, 1 << 20, &got, &st, err, NULL);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_eq(got, n);
	ck_assert(memcmp(o, t, n) == 0);
	free(o);
	free(g);
	free(t);
}
END_TEST

START_TEST(test_gzip_truncated)
{
	input_force_zlib(_i);
	size_t n = 400000;
	char *t = text(n);
	size_t gn;
	unsigned char *g = gz(t, n, &gn);
	size_t cuts[] = { 2, 5, 10, 100, gn / 2, gn - 9, gn - 1 };
	for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
		size_t got;
		int st;
		char err[128];
		char *o = slurp(g, cuts[k], 4096, &got, &st, err, NULL);
		ck_assert_msg(st == -1, "cut at %zu not detected", cuts[k]);
		ck_assert_str_eq(err, "unexpected end of gzip stream");
		ck_assert_int_eq(after_member, 0); /* cut inside a member */
		ck_assert_uint_le(got, n);
		ck_assert(memcmp(o, t, got) == 0); /* a prefix of the original */
		free(o);
	}
	free(g);
	free(t);
}
END_TEST

START_TEST(test_gzip_corrupt_and_garbage)
{
	input_force_zlib(_i);
	const char *s = "hello gzip world, hello gzip world, hello\n";
	size_t gn;
	unsigned char *g = gz(s, strlen(s), &gn);
	size_t got;
	int st;
	char err[128];
	/* flip a byte of the deflate data */
	unsigned char *bad = malloc(gn);
	memcpy(bad, g, gn);
	bad[12] ^= 0xff;
	bad[13] ^= 0x55;
	char *o = slurp(bad, gn, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, -1);
	ck_assert(strncmp(err, "invalid gzip data", 17) == 0 ||
	          strcmp(err, "unexpected end of gzip stream") == 0);
	free(o);
	/* a wrong CRC in the trailer */
	memcpy(bad, g, gn);
	bad[gn - 8] ^= 1;
	o = slurp(bad, gn, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, "invalid gzip data");
	ck_assert_int_eq(after_member, 0); /* the member itself is bad */
	free(o);
	free(bad);
	/* trailing garbage after a good member: data first, then the error */
	unsigned char *tg = malloc(gn + 8);
	memcpy(tg, g, gn);
	memcpy(tg + gn, "garbage\n", 8);
	o = slurp(tg, gn + 8, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, "trailing garbage after gzip stream");
	ck_assert_int_eq(after_member, 1); /* what came before is whole */
	ck_assert_uint_eq(got, strlen(s));
	ck_assert(memcmp(o, s, got) == 0);
	free(o);
	free(tg);
	free(g);
}
END_TEST

/* Zero bytes after the last member are block padding (gzip -t accepts
 * them): all data, clean end. Zeros followed by anything else are still
 * trailing garbage. */
START_TEST(test_gzip_zero_padding)
{
	input_force_zlib(_i);
	const char *s = "padded member\n";
	size_t gn, got;
	int st;
	char err[128];
	unsigned char *g = gz(s, strlen(s), &gn);
	size_t pad = 300000; /* more than the raw buffer: padding spans refills */
	unsigned char *p = calloc(1, gn + pad + 1);
	memcpy(p, g, gn);
	char *o = slurp(p, gn + pad, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_eq(got, strlen(s));
	ck_assert(memcmp(o, s, got) == 0);
	free(o);
	p[gn + pad] = 'x';
	o = slurp(p, gn + pad + 1, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, "trailing garbage after gzip stream");
	ck_assert_uint_eq(got, strlen(s));
	free(o);
	free(p);
	free(g);
}
END_TEST

START_TEST(test_directory)
{
	FILE *fp = fopen(".", "r");
	ck_assert_ptr_nonnull(fp);
	input *in = input_new(fp, ".");
	char buf[64];
	ck_assert_int_eq(input_read(in, buf, sizeof buf), -1);
	ck_assert_str_eq(input_error(in), "Is a directory");
	ck_assert_str_eq(input_name(in), ".");
	input_free(in);
	input_free(NULL);
}
END_TEST

START_TEST(test_impl_name)
{
	input_force_zlib(1);
	ck_assert_str_eq(input_inflate_impl(), "zlib");
	input_force_zlib(0);
#ifdef HAVE_ISAL
	ck_assert_str_eq(input_inflate_impl(), "isa-l");
#else
	ck_assert_str_eq(input_inflate_impl(), "zlib");
#endif
}
END_TEST

Suite *input_suite(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	/* loop value _i: 0 = default inflate (ISA-L when built), 1 = zlib */
	tcase_add_loop_test(tc, test_plain, 0, 2);
	tcase_add_loop_test(tc, test_gzip_members, 0, 2);
	tcase_add_loop_test(tc, test_gzip_large, 0, 2);
	tcase_add_loop_test(tc, test_gzip_truncated, 0, 2);
	tcase_add_loop_test(tc, test_gzip_corrupt_and_garbage, 0, 2);
	tcase_add_loop_test(tc, test_gzip_zero_padding, 0, 2);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_impl_name);
	suite_add_tcase(s, tc);
	return s;
}
