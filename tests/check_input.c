/*
 * check_input.c - plain, gzip, xz, bzip2 and zstd streams: passthrough,
 * multi-member, truncation, corruption, trailing garbage and padding, both
 * inflate implementations. Inputs are real streams built in memory with
 * the libraries' encoders (zlib, liblzma, libbz2, libzstd) and fed through
 * fmemopen().
 */
#include <bzlib.h>
#include <lzma.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
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

/* input_error_after_member and input_compression after the last slurp */
static int after_member;
static char compression[16];

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
	snprintf(compression, sizeof compression, "%s", input_compression(in));
	if (isgz)
		*isgz = strcmp(input_compression(in), "plain") != 0;
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

/* ---- xz, bzip2, zstd: loop value _i is the codec ------------------------ */

static const char *const codec_names[] = { "xz", "bzip2", "zstd" };

/* One whole member of src[0..n) in codec c, as the command-line tools write
 * it: an xz stream (CRC64 check), a bzip2 stream (100k blocks, so that a
 * few hundred KB make several blocks), a zstd frame with a checksum.
 * Caller frees. */
static unsigned char *pack(int c, const char *src, size_t n, size_t *outn)
{
	size_t cap = n + n / 2 + 4096;
	unsigned char *out = malloc(cap);
	char *copy = malloc(n + 1); /* BZ2_bzBuffToBuffCompress wants char * */
	memcpy(copy, src, n);
	if (c == 0) {
		size_t pos = 0;
		ck_assert_int_eq(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL,
		                                         (const uint8_t *)copy, n, out, &pos, cap),
		                 LZMA_OK);
		*outn = pos;
	} else if (c == 1) {
		unsigned int dn = (unsigned int)cap;
		ck_assert_int_eq(BZ2_bzBuffToBuffCompress((char *)out, &dn, copy, (unsigned int)n,
		                                          1, 0, 0), BZ_OK);
		*outn = dn;
	} else {
		ZSTD_CCtx *cc = ZSTD_createCCtx();
		ck_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)));
		size_t r = ZSTD_compress2(cc, out, cap, copy, n);
		ck_assert_msg(!ZSTD_isError(r), "%s", ZSTD_getErrorName(r));
		*outn = r;
		ZSTD_freeCCtx(cc);
	}
	free(copy);
	return out;
}

/* n bytes of pseudo-random lower-case lines (compress far less than
 * text(), so streams span many reads and blocks). */
static char *noise(size_t n)
{
	char *t = malloc(n + 1);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		t[i] = (i % 61 == 60) ? '\n' : (char)('a' + (x >> 16) % 26);
	}
	t[n] = 0;
	return t;
}

/* Appends n bytes of p to the growing buffer buf[0..*len). */
static unsigned char *append(unsigned char *buf, size_t *len, const void *p, size_t n)
{
	buf = realloc(buf, *len + n + 1);
	memcpy(buf + *len, p, n);
	*len += n;
	return buf;
}

START_TEST(test_codec_whole)
{
	const char *name = codec_names[_i];
	size_t n = 1100000;
	char *t = noise(n);
	size_t gn, got;
	int st, isc;
	char err[128];
	unsigned char *g = pack(_i, t, n, &gn);
	size_t caps[] = { 1 << 20, 4096 };
	for (int k = 0; k < 2; k++) {
		char *o = slurp(g, gn, caps[k], &got, &st, err, &isc);
		ck_assert_msg(st == 0, "%s: %s", name, err);
		ck_assert_int_eq(isc, 1);
		ck_assert_str_eq(compression, name);
		ck_assert_uint_eq(got, n);
		ck_assert(memcmp(o, t, n) == 0);
		free(o);
	}
	free(g);
	/* tiny reads of a small stream */
	const char *s = "one line\nand a last one without newline";
	g = pack(_i, s, strlen(s), &gn);
	char *o = slurp(g, gn, 1, &got, &st, err, NULL);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_eq(got, strlen(s));
	ck_assert(memcmp(o, s, got) == 0);
	free(o);
	free(g);
	free(t);
}
END_TEST

/* Catenated members: `cat a.xz b.xz`, pbzip2's one stream per block,
 * pzstd's frames; an empty member in between; zstd's skippable frames
 * (first and in between); xz's stream padding (zeros in fours). */
START_TEST(test_codec_members)
{
	const char *parts[] = { "first member\n", "", "second\nmember\n", "third" };
	static const unsigned char skippable[] = { 0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c' };
	static const unsigned char four_zeros[4];
	unsigned char *all = NULL;
	size_t alln = 0;
	if (_i == 2)
		all = append(all, &alln, skippable, sizeof skippable);
	for (int k = 0; k < 4; k++) {
		size_t n;
		unsigned char *g = pack(_i, parts[k], strlen(parts[k]), &n);
		all = append(all, &alln, g, n);
		free(g);
		if (_i == 2 && k == 2)
			all = append(all, &alln, skippable, sizeof skippable);
		if (_i == 0 && k == 2)
			all = append(all, &alln, four_zeros, 4);
	}
	const char *want = "first member\nsecond\nmember\nthird";
	size_t caps[] = { 1, 7, 4096 };
	for (int k = 0; k < 3; k++) {
		size_t got;
		int st;
		char err[128];
		char *o = slurp(all, alln, caps[k], &got, &st, err, NULL);
		ck_assert_msg(st == 0, "%s cap %zu: %s", codec_names[_i], caps[k], err);
		ck_assert_str_eq(compression, codec_names[_i]);
		ck_assert_uint_eq(got, strlen(want));
		ck_assert(memcmp(o, want, got) == 0);
		free(o);
	}
	free(all);
}
END_TEST

/* A member cut short anywhere is "unexpected end of CODEC stream", with
 * only good bytes before it; so is a second member cut short, after the
 * whole first one. */
START_TEST(test_codec_truncated)
{
	const char *name = codec_names[_i];
	char want_err[64];
	snprintf(want_err, sizeof want_err, "unexpected end of %s stream", name);
	size_t n = 400000;
	char *t = noise(n);
	size_t gn;
	unsigned char *g = pack(_i, t, n, &gn);
	size_t cuts[] = { 10, 20, 100, gn / 3, gn / 2, gn - 9, gn - 1 };
	for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
		size_t got;
		int st;
		char err[128];
		char *o = slurp(g, cuts[k], 4096, &got, &st, err, NULL);
		ck_assert_msg(st == -1, "%s cut at %zu of %zu not detected", name, cuts[k], gn);
		ck_assert_str_eq(err, want_err);
		ck_assert_int_eq(after_member, 0); /* cut inside a member */
		ck_assert_uint_le(got, n); /* a cut check field: all data, still an error */
		ck_assert(memcmp(o, t, got) == 0); /* a prefix of the original */
		if (k == 4 && _i != 1)
			ck_assert_uint_gt(got, 0); /* what came before the cut is there */
		free(o);
	}
	/* whole first member, second cut: the first's bytes all come out */
	const char *s = "whole first member\n";
	size_t sn;
	unsigned char *first = pack(_i, s, strlen(s), &sn);
	unsigned char *two = NULL;
	size_t twon = 0;
	two = append(two, &twon, first, sn);
	two = append(two, &twon, g, gn / 2);
	size_t got;
	int st;
	char err[128];
	char *o = slurp(two, twon, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, want_err);
	ck_assert_uint_ge(got, strlen(s));
	ck_assert(memcmp(o, s, strlen(s)) == 0);
	ck_assert(memcmp(o + strlen(s), t, got - strlen(s)) == 0);
	free(o);
	free(two);
	free(first);
	free(g);
	free(t);
}
END_TEST

/* Flipped bytes anywhere in a member (data, check, index, footer) are an
 * error: the codecs' checks catch what decoding does not. */
START_TEST(test_codec_corrupt)
{
	const char *name = codec_names[_i];
	char bad_data[64], cut[64];
	snprintf(bad_data, sizeof bad_data, "invalid %s data", name);
	snprintf(cut, sizeof cut, "unexpected end of %s stream", name);
	size_t n = 200000;
	char *t = noise(n);
	size_t gn;
	unsigned char *g = pack(_i, t, n, &gn);
	unsigned char *bad = malloc(gn);
	size_t where[] = { 12, gn / 3, gn / 2, gn - 6, gn - 3 };
	for (size_t k = 0; k < sizeof where / sizeof where[0]; k++) {
		memcpy(bad, g, gn);
		bad[where[k]] ^= 0xff;
		size_t got;
		int st;
		char err[128];
		char *o = slurp(bad, gn, 4096, &got, &st, err, NULL);
		ck_assert_msg(st == -1, "%s: flip at %zu of %zu not detected", name, where[k], gn);
		ck_assert_msg(strncmp(err, bad_data, strlen(bad_data)) == 0 || strcmp(err, cut) == 0 ||
		              strncmp(err, "trailing garbage", 16) == 0,
		              "%s: flip at %zu: %s", name, where[k], err);
		ck_assert_int_eq(after_member, 0);
		free(o);
	}
	free(bad);
	free(g);
	free(t);
}
END_TEST

/* After a whole member: bytes that start no member of the same codec are
 * trailing garbage (the data before them whole); zeros to the end are
 * padding; zeros then other bytes are garbage, except xz's padding in
 * fours between streams. */
START_TEST(test_codec_garbage_and_padding)
{
	const char *name = codec_names[_i];
	char want_err[64];
	snprintf(want_err, sizeof want_err, "trailing garbage after %s stream", name);
	const char *s = "a member whose last line has no newline";
	size_t gn, got;
	int st;
	char err[128];
	unsigned char *g = pack(_i, s, strlen(s), &gn);
	unsigned char *buf = NULL;
	size_t len = 0;
	buf = append(buf, &len, g, gn);
	buf = append(buf, &len, "garbage\n", 8);
	char *o = slurp(buf, len, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, want_err);
	ck_assert_int_eq(after_member, 1); /* what came before is whole */
	ck_assert_uint_eq(got, strlen(s));
	ck_assert(memcmp(o, s, got) == 0);
	free(o);
	free(buf);
	/* a member of another codec is garbage too */
	size_t zn;
	unsigned char *other = gz(s, strlen(s), &zn);
	buf = NULL;
	len = 0;
	buf = append(buf, &len, g, gn);
	buf = append(buf, &len, other, zn);
	o = slurp(buf, len, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, want_err);
	ck_assert_uint_eq(got, strlen(s));
	free(o);
	free(buf);
	free(other);
	/* zero padding to the end, longer than the raw buffer */
	size_t pad = 300001;
	buf = calloc(1, gn + pad + gn + 1);
	memcpy(buf, g, gn);
	o = slurp(buf, gn + pad, 4096, &got, &st, err, NULL);
	ck_assert_msg(st == 0, "%s: %s", name, err);
	ck_assert_uint_eq(got, strlen(s));
	free(o);
	/* zeros, then a byte that starts nothing */
	buf[gn + pad] = 'x';
	o = slurp(buf, gn + pad + 1, 4096, &got, &st, err, NULL);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, want_err);
	ck_assert_uint_eq(got, strlen(s));
	free(o);
	/* zeros between two members: xz's stream padding when in fours */
	for (size_t z = 3; z <= 4; z++) {
		memset(buf + gn, 0, z);
		memcpy(buf + gn + z, g, gn);
		o = slurp(buf, gn + z + gn, 4096, &got, &st, err, NULL);
		if (_i == 0 && z == 4) {
			ck_assert_msg(st == 0, "%s", err);
			ck_assert_uint_eq(got, 2 * strlen(s));
		} else {
			ck_assert_int_eq(st, -1);
			ck_assert_str_eq(err, want_err);
			ck_assert_uint_eq(got, strlen(s));
		}
		free(o);
	}
	free(buf);
	free(g);
}
END_TEST

/* Magic bytes alone decide, and only whole magics: text that starts like
 * one is plain; formats klantreis does not decode are refused by name,
 * never passed on as text. */
START_TEST(test_sniff)
{
	static const struct { const char *data; size_t n; } plain[] = {
		{ "BZh91AY&SZ is not bzip2: the block magic is 1AY&SY\n", 51 },
		{ "BZh9", 4 },
		{ "\x28\xb5\x2f", 3 },
		{ "\xfd" "7zX", 4 },
		{ "\x5a\x2a\x4d", 3 },
	};
	for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++) {
		size_t got;
		int st;
		char err[128];
		char *o = slurp(plain[k].data, plain[k].n, 4096, &got, &st, err, NULL);
		ck_assert_int_eq(st, 0);
		ck_assert_str_eq(compression, "plain");
		ck_assert_uint_eq(got, plain[k].n);
		ck_assert(memcmp(o, plain[k].data, got) == 0);
		free(o);
	}
	static const struct { const char *data; size_t n; const char *err, *name; } alien[] = {
		{ "\x04\x22\x4d\x18\x64\x40\xa7", 7, "lz4-compressed", "lz4" },
		{ "LZIP\x01", 5, "lzip-compressed", "lzip" },
		{ "\x1f\x9d\x90", 3, "compressed by compress(1) (.Z)", "compress" },
		{ "PK\x03\x04\x14\x00", 6, "a zip archive", "zip" },
	};
	for (size_t k = 0; k < sizeof alien / sizeof alien[0]; k++) {
		size_t got;
		int st;
		char err[128], want[128];
		char *o = slurp(alien[k].data, alien[k].n, 4096, &got, &st, err, NULL);
		snprintf(want, sizeof want, "%s, which klantreis does not read; decompress it first",
		         alien[k].err);
		ck_assert_int_eq(st, -1);
		ck_assert_str_eq(err, want);
		ck_assert_str_eq(compression, alien[k].name);
		ck_assert_uint_eq(got, 0);
		free(o);
	}
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
	/* loop value _i: 0 = xz, 1 = bzip2, 2 = zstd */
	tcase_add_loop_test(tc, test_codec_whole, 0, 3);
	tcase_add_loop_test(tc, test_codec_members, 0, 3);
	tcase_add_loop_test(tc, test_codec_truncated, 0, 3);
	tcase_add_loop_test(tc, test_codec_corrupt, 0, 3);
	tcase_add_loop_test(tc, test_codec_garbage_and_padding, 0, 3);
	tcase_add_test(tc, test_sniff);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_impl_name);
	suite_add_tcase(s, tc);
	return s;
}
