/*
 * input.c - plain or compressed byte streams (see input.h).
 *
 * One raw buffer per input. The first read fills it and looks at the magic
 * bytes; plain data is then copied out (or read straight into the caller's
 * buffer once the raw buffer is empty), compressed data is decoded straight
 * into the caller's buffer. All four codecs share one loop (read_packed):
 * a stream is a sequence of members (gzip members, xz streams, bzip2
 * streams, zstd frames), each decoded by a fresh (or reset) decoder; after
 * one ends, leftover input that starts another member of the same codec
 * starts it; zero bytes up to the end are padding and ignored (as gzip(1)
 * does; xz also allows zeros between streams, in fours, as its format
 * says); anything else is "trailing garbage". Running out of input inside
 * a member is "unexpected end of ... stream", but only after the decoder
 * was given the chance to hand out what it still holds.
 * Inflate is ISA-L's (HAVE_ISAL) unless input_force_zlib(1), else zlib's.
 */
#include <bzlib.h>
#include <errno.h>
#include <limits.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#ifdef HAVE_ISAL
#include <isa-l.h>
#endif

#include "input.h"

#define RAW_SIZE (256u << 10)
/* Bytes sniff() needs to tell every magic apart (bzip2's is the longest). */
#define MAGIC_MAX INPUT_MAGIC_MAX

enum { MODE_UNKNOWN, MODE_PLAIN, MODE_GZIP, MODE_XZ, MODE_BZIP2, MODE_ZSTD };

static const char *const mode_names[] = { "plain", "plain", "gzip", "xz", "bzip2", "zstd" };

struct input {
	FILE *fp;
	char *name;
	unsigned char *raw;
	size_t rpos, rlen;       /* unread raw bytes are raw[rpos..rlen) */
	int eof;                 /* fp is exhausted */
	int mode;
	int failed;
	int after_member;        /* the error is trailing garbage */
	char err[160];
	uint64_t raw_bytes;
	int use_isal;
	int in_member;           /* inside a member (gzip member, xz stream, ...) */
	int z_ready;
	z_stream z;
#ifdef HAVE_ISAL
	struct inflate_state isal;
#endif
	int xz_ready;
	lzma_stream xz;
	int bz_ready;
	bz_stream bz;
	ZSTD_DCtx *zd;
	const char *foreign;     /* a compression we do not read, or NULL */
};

static int force_zlib;

void input_force_zlib(int on)
{
	force_zlib = on;
}

const char *input_inflate_impl(void)
{
#ifdef HAVE_ISAL
	if (!force_zlib)
		return "isa-l";
#endif
	return "zlib";
}

input *input_new(FILE *fp, const char *name)
{
	input *in = calloc(1, sizeof *in);
	if (in) {
		in->name = strdup(name ? name : "");
		in->raw = malloc(RAW_SIZE);
	}
	if (!in || !in->name || !in->raw) {
		if (in) {
			free(in->name);
			free(in->raw);
			free(in);
		}
		if (fp && fp != stdin)
			fclose(fp);
		return NULL;
	}
	in->fp = fp;
#ifdef HAVE_ISAL
	in->use_isal = !force_zlib;
#endif
	return in;
}

void input_free(input *in)
{
	if (!in)
		return;
	if (in->z_ready)
		inflateEnd(&in->z);
	if (in->xz_ready)
		lzma_end(&in->xz);
	if (in->bz_ready)
		BZ2_bzDecompressEnd(&in->bz);
	ZSTD_freeDCtx(in->zd);
	if (in->fp && in->fp != stdin)
		fclose(in->fp);
	free(in->name);
	free(in->raw);
	free(in);
}

const char *input_error(const input *in)
{
	return in->err;
}

const char *input_name(const input *in)
{
	return in->name;
}

const char *input_compression(const input *in)
{
	return in->foreign ? in->foreign : mode_names[in->mode];
}

uint64_t input_raw_bytes(const input *in)
{
	return in->raw_bytes;
}

static ssize_t fail(input *in, const char *what)
{
	in->failed = 1;
	snprintf(in->err, sizeof in->err, "%s", what);
	return -1;
}

/* fail() with "WHAT CODEC WHAT2", e.g. "invalid" "xz" "data". */
static ssize_t fail_codec(input *in, const char *what, const char *what2)
{
	in->failed = 1;
	snprintf(in->err, sizeof in->err, "%s %s %s", what, mode_names[in->mode], what2);
	return -1;
}

/* Refills the raw buffer (keeping unread bytes). Returns bytes added,
 * 0 at end of file (or when the buffer holds RAW_SIZE unread bytes),
 * -1 on a read error. */
static ssize_t refill(input *in)
{
	if (in->eof)
		return 0;
	if (in->rpos > 0) {
		memmove(in->raw, in->raw + in->rpos, in->rlen - in->rpos);
		in->rlen -= in->rpos;
		in->rpos = 0;
	}
	if (in->rlen == RAW_SIZE)
		return 0;
	size_t n = fread(in->raw + in->rlen, 1, RAW_SIZE - in->rlen, in->fp);
	if (n == 0) {
		if (ferror(in->fp))
			return fail(in, strerror(errno ? errno : EIO));
		in->eof = 1;
		return 0;
	}
	in->rlen += n;
	in->raw_bytes += n;
	return (ssize_t)n;
}

/* The compression whose member starts at p[0..n): MODE_GZIP (1f 8b),
 * MODE_XZ (fd "7zXZ" 00), MODE_BZIP2 ("BZh" 1-9 and the magic of a block
 * or of the end of stream), MODE_ZSTD (a zstd frame or a skippable frame),
 * else MODE_PLAIN (also when n is too short to tell). */
static int sniff(const unsigned char *p, size_t n)
{
	static const unsigned char xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
	static const unsigned char bz_block[6] = { 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 };
	static const unsigned char bz_end[6] = { 0x17, 0x72, 0x45, 0x38, 0x50, 0x90 };
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return MODE_GZIP;
	if (n >= 6 && memcmp(p, xz, 6) == 0)
		return MODE_XZ;
	if (n >= 10 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' && p[3] <= '9' &&
	    (memcmp(p + 4, bz_block, 6) == 0 || memcmp(p + 4, bz_end, 6) == 0))
		return MODE_BZIP2;
	if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return MODE_ZSTD;
	if (n >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18)
		return MODE_ZSTD; /* skippable frame, magic 0x184d2a5? */
	return MODE_PLAIN;
}

/* Compressed formats klantreis does not decode, by magic, so that such a
 * file is refused as what it is, not shown as binary garbage in a
 * log-format error. */
static const struct {
	const char *name;   /* for input_compression */
	const char *what;   /* for the error */
	unsigned char len;
	unsigned char m[6];
} foreign[] = {
	{ "lz4", "lz4-compressed", 4, { 0x04, 0x22, 0x4d, 0x18 } },
	{ "lzip", "lzip-compressed", 4, { 'L', 'Z', 'I', 'P' } },
	{ "lzop", "lzop-compressed", 4, { 0x89, 'L', 'Z', 'O' } },
	{ "compress", "compressed by compress(1) (.Z)", 2, { 0x1f, 0x9d } },
	{ "zip", "a zip archive", 4, { 'P', 'K', 0x03, 0x04 } },
	{ "7-zip", "a 7-zip archive", 6, { '7', 'z', 0xbc, 0xaf, 0x27, 0x1c } },
};

/* The index in foreign[] of the format starting p[0..n), or -1. */
static int sniff_foreign(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++)
		if (n >= foreign[i].len && memcmp(p, foreign[i].m, foreign[i].len) == 0)
			return (int)i;
	return -1;
}

int input_is_plain(const void *p, size_t n)
{
	return sniff(p, n) == MODE_PLAIN && sniff_foreign(p, n) < 0;
}

/* Starts decoding a member of in->mode at raw[rpos]. Returns 0, or -1
 * (out of memory; the error is set). */
static int start_member(input *in)
{
	switch (in->mode) {
	case MODE_GZIP:
		if (in->use_isal) {
#ifdef HAVE_ISAL
			isal_inflate_init(&in->isal);
			in->isal.crc_flag = ISAL_GZIP;
#endif
		} else if (!in->z_ready) {
			memset(&in->z, 0, sizeof in->z);
			if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
				return (int)fail(in, "out of memory");
			in->z_ready = 1;
		} else if (inflateReset(&in->z) != Z_OK) {
			return (int)fail(in, "out of memory");
		}
		break;
	case MODE_XZ:
		if (!in->xz_ready) {
			lzma_stream init = LZMA_STREAM_INIT;
			in->xz = init;
		}
		/* one stream at a time (no LZMA_CONCATENATED): the loop sees
		 * where each ends, for padding and trailing garbage */
		if (lzma_stream_decoder(&in->xz, UINT64_MAX, 0) != LZMA_OK)
			return (int)fail(in, "out of memory");
		in->xz_ready = 1;
		break;
	case MODE_BZIP2:
		if (in->bz_ready) {
			BZ2_bzDecompressEnd(&in->bz);
			in->bz_ready = 0;
		}
		memset(&in->bz, 0, sizeof in->bz);
		if (BZ2_bzDecompressInit(&in->bz, 0, 0) != BZ_OK)
			return (int)fail(in, "out of memory");
		in->bz_ready = 1;
		break;
	case MODE_ZSTD:
		if (!in->zd && !(in->zd = ZSTD_createDCtx()))
			return (int)fail(in, "out of memory");
		ZSTD_DCtx_reset(in->zd, ZSTD_reset_session_only);
		break;
	}
	in->in_member = 1;
	return 0;
}

/* decode_some for gzip (ISA-L when built with it and chosen, else zlib):
 * avail bytes from raw[rpos] into dst[0..out). */
static ssize_t decode_gzip(input *in, size_t avail, char *dst, size_t out, int *end)
{
#ifdef HAVE_ISAL
	if (in->use_isal) {
		in->isal.next_in = (uint8_t *)in->raw + in->rpos;
		in->isal.avail_in = (uint32_t)avail;
		in->isal.next_out = (uint8_t *)dst;
		in->isal.avail_out = (uint32_t)out;
		int r = isal_inflate(&in->isal);
		in->rpos = in->rlen - in->isal.avail_in;
		if (r < 0)
			return fail_codec(in, "invalid", "data");
		if (in->isal.block_state == ISAL_BLOCK_FINISH)
			*end = 1;
		return (ssize_t)(out - in->isal.avail_out);
	}
#endif
	in->z.next_in = (Bytef *)in->raw + in->rpos;
	in->z.avail_in = (uInt)avail;
	in->z.next_out = (Bytef *)dst;
	in->z.avail_out = (uInt)out;
	int r = inflate(&in->z, Z_NO_FLUSH);
	in->rpos = in->rlen - in->z.avail_in;
	if (r == Z_STREAM_END)
		*end = 1;
	else if (r == Z_MEM_ERROR)
		return fail(in, "out of memory");
	else if (r != Z_OK && r != Z_BUF_ERROR)
		return fail_codec(in, "invalid", "data");
	return (ssize_t)(out - in->z.avail_out);
}

/* decode_some for xz (liblzma). */
static ssize_t decode_xz(input *in, size_t avail, char *dst, size_t out, int *end)
{
	in->xz.next_in = in->raw + in->rpos;
	in->xz.avail_in = avail;
	in->xz.next_out = (uint8_t *)dst;
	in->xz.avail_out = out;
	lzma_ret r = lzma_code(&in->xz, LZMA_RUN);
	in->rpos = in->rlen - in->xz.avail_in;
	if (r == LZMA_STREAM_END)
		*end = 1;
	else if (r == LZMA_MEM_ERROR || r == LZMA_MEMLIMIT_ERROR)
		return fail(in, "out of memory");
	else if (r == LZMA_OPTIONS_ERROR)
		return fail(in, "invalid xz data: unsupported options (made by a newer xz?)");
	else if (r != LZMA_OK && r != LZMA_BUF_ERROR)
		return fail_codec(in, "invalid", "data");
	return (ssize_t)(out - in->xz.avail_out);
}

/* decode_some for bzip2 (libbz2). */
static ssize_t decode_bzip2(input *in, size_t avail, char *dst, size_t out, int *end)
{
	in->bz.next_in = (char *)in->raw + in->rpos;
	in->bz.avail_in = (unsigned)avail;
	in->bz.next_out = dst;
	in->bz.avail_out = (unsigned)out;
	int r = BZ2_bzDecompress(&in->bz);
	in->rpos = in->rlen - in->bz.avail_in;
	if (r == BZ_STREAM_END)
		*end = 1;
	else if (r == BZ_MEM_ERROR)
		return fail(in, "out of memory");
	else if (r != BZ_OK)
		return fail_codec(in, "invalid", "data");
	return (ssize_t)(out - in->bz.avail_out);
}

/* decode_some for zstd (libzstd). */
static ssize_t decode_zstd(input *in, size_t avail, char *dst, size_t out, int *end)
{
	ZSTD_inBuffer ib = { in->raw + in->rpos, avail, 0 };
	ZSTD_outBuffer ob = { dst, out, 0 };
	size_t r = ZSTD_decompressStream(in->zd, &ob, &ib);
	in->rpos += ib.pos;
	if (ZSTD_isError(r)) {
		ZSTD_ErrorCode c = ZSTD_getErrorCode(r);
		if (c == ZSTD_error_memory_allocation)
			return fail(in, "out of memory");
		if (c == ZSTD_error_frameParameter_windowTooLarge)
			return fail(in, "invalid zstd data: window over 128 MiB "
			                "(made with zstd --long?; decompress it with "
			                "zstd -d --long=31 first)");
		return fail_codec(in, "invalid", "data");
	}
	if (r == 0)
		*end = 1;
	return (ssize_t)ob.pos;
}

/* One decoder call over raw[rpos..rlen) into dst[0..cap). Sets *end when
 * the member finished. Returns bytes produced (0 when the decoder wants
 * more input), or -1 with the error set (corrupt data, out of memory). */
static ssize_t decode_some(input *in, char *dst, size_t cap, int *end)
{
	size_t avail = in->rlen - in->rpos;
	size_t out = cap > UINT_MAX ? UINT_MAX : cap;
	*end = 0;
	switch (in->mode) {
	case MODE_GZIP:
		return decode_gzip(in, avail, dst, out, end);
	case MODE_XZ:
		return decode_xz(in, avail, dst, out, end);
	case MODE_BZIP2:
		return decode_bzip2(in, avail, dst, out, end);
	case MODE_ZSTD:
		return decode_zstd(in, avail, dst, out, end);
	}
	return fail(in, "internal error: no decoder");
}

/* Bytes after a complete member that start no other member. */
static ssize_t garbage(input *in)
{
	in->after_member = 1;
	return fail_codec(in, "trailing garbage after", "stream");
}

int input_error_after_member(const input *in)
{
	return in->failed && in->after_member;
}

/* Between members: starts the next one. Zero bytes up to the end of the
 * file are padding (block padding, which gzip(1) ignores too; xz's stream
 * padding), and so are zeros between xz streams in multiples of four (the
 * xz format's stream padding). Returns 1 (a member started), 0 (clean
 * end), or -1 (trailing garbage, read error, out of memory). */
static int next_member(input *in)
{
	uint64_t zeros = 0;
	for (;;) {
		while (in->rlen - in->rpos < MAGIC_MAX && !in->eof)
			if (refill(in) < 0)
				return -1;
		if (in->rpos == in->rlen)
			return 0;
		if (in->raw[in->rpos] != 0)
			break;
		while (in->rpos < in->rlen && in->raw[in->rpos] == 0) {
			in->rpos++;
			zeros++;
		}
	}
	if (zeros > 0 && !(in->mode == MODE_XZ && zeros % 4 == 0))
		return (int)garbage(in);
	if (sniff(in->raw + in->rpos, in->rlen - in->rpos) != in->mode)
		return (int)garbage(in);
	return start_member(in) < 0 ? -1 : 1;
}

/* Decodes the next bytes of a compressed input into dst. Returns the count
 * (> 0), 0 at the clean end, -1 on error. */
static ssize_t read_packed(input *in, char *dst, size_t cap)
{
	for (;;) {
		if (!in->in_member) {
			int m = next_member(in);
			if (m <= 0)
				return m;
		}
		if (in->rpos == in->rlen && refill(in) < 0)
			return -1;
		size_t before = in->rpos;
		int end;
		ssize_t got = decode_some(in, dst, cap, &end);
		if (got < 0)
			return -1;
		if (end)
			in->in_member = 0;
		if (got > 0)
			return got;
		if (end || in->rpos != before)
			continue;
		/* No progress: the decoder needs input that is not there. At the
		 * end of the file (it has just had its chance to hand out what it
		 * held) the member is cut short. A decoder stuck with a full raw
		 * buffer (none of ours does that) must not loop forever. */
		ssize_t r = refill(in);
		if (r < 0)
			return -1;
		if (r == 0)
			return in->eof ? fail_codec(in, "unexpected end of", "stream")
			               : fail_codec(in, "invalid", "data");
	}
}

ssize_t input_read(input *in, char *dst, size_t cap)
{
	if (in->failed)
		return -1;
	if (cap == 0)
		return 0;
	if (in->mode == MODE_UNKNOWN) {
		while (in->rlen < MAGIC_MAX && !in->eof)
			if (refill(in) < 0)
				return -1;
		in->mode = sniff(in->raw, in->rlen);
		int f = in->mode == MODE_PLAIN ? sniff_foreign(in->raw, in->rlen) : -1;
		if (f >= 0) {
			in->foreign = foreign[f].name;
			snprintf(in->err, sizeof in->err,
			         "%s, which klantreis does not read; decompress it first",
			         foreign[f].what);
			in->failed = 1;
			return -1;
		}
	}
	if (in->mode != MODE_PLAIN)
		return read_packed(in, dst, cap);
	if (in->rpos < in->rlen) {
		size_t n = in->rlen - in->rpos;
		if (n > cap)
			n = cap;
		memcpy(dst, in->raw + in->rpos, n);
		in->rpos += n;
		return (ssize_t)n;
	}
	if (in->eof)
		return 0;
	size_t n = fread(dst, 1, cap, in->fp);
	if (n == 0) {
		if (ferror(in->fp))
			return fail(in, strerror(errno ? errno : EIO));
		in->eof = 1;
		return 0;
	}
	in->raw_bytes += n;
	return (ssize_t)n;
}
