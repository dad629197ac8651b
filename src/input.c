/*
 * input.c - plain or gzip byte streams (see input.h).
 *
 * One raw buffer per input. The first read fills it and looks at the magic
 * bytes; plain data is then copied out (or read straight into the caller's
 * buffer once the raw buffer is empty), gzip data is inflated straight into
 * the caller's buffer. After a gzip member ends, leftover input that starts
 * a new member starts a new inflate; zero bytes up to the end are padding
 * and ignored (as gzip(1) does); anything else is "trailing garbage".
 * Inflate is ISA-L's (HAVE_ISAL) unless input_force_zlib(1), else zlib's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l.h>
#endif

#include "input.h"

#define RAW_SIZE (256u << 10)

enum { MODE_UNKNOWN, MODE_PLAIN, MODE_GZIP };

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
	int in_member;           /* inside a gzip member */
	int z_ready;
	z_stream z;
#ifdef HAVE_ISAL
	struct inflate_state isal;
#endif
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

int input_is_gzip(const input *in)
{
	return in->mode == MODE_GZIP;
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

/* Refills the raw buffer (keeping unread bytes). Returns bytes added,
 * 0 at end of file, -1 on a read error. */
static ssize_t refill(input *in)
{
	if (in->eof)
		return 0;
	if (in->rpos > 0) {
		memmove(in->raw, in->raw + in->rpos, in->rlen - in->rpos);
		in->rlen -= in->rpos;
		in->rpos = 0;
	}
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

static int start_member(input *in)
{
	if (in->use_isal) {
#ifdef HAVE_ISAL
		isal_inflate_init(&in->isal);
		in->isal.crc_flag = ISAL_GZIP;
#endif
	} else if (!in->z_ready) {
		memset(&in->z, 0, sizeof in->z);
		if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
			return -1;
		in->z_ready = 1;
	} else if (inflateReset(&in->z) != Z_OK) {
		return -1;
	}
	in->in_member = 1;
	return 0;
}

/* One inflate call over raw[rpos..rlen) into dst. Sets *end when the
 * member finished. Returns bytes produced or -1 (corrupt data). */
static ssize_t inflate_some(input *in, char *dst, size_t cap, int *end)
{
	*end = 0;
#ifdef HAVE_ISAL
	if (in->use_isal) {
		in->isal.next_in = in->raw + in->rpos;
		in->isal.avail_in = (uint32_t)(in->rlen - in->rpos);
		in->isal.next_out = (uint8_t *)dst;
		in->isal.avail_out = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
		uint32_t before = in->isal.avail_out;
		int r = isal_inflate(&in->isal);
		in->rpos = in->rlen - in->isal.avail_in;
		if (r < 0)
			return -1;
		if (in->isal.block_state == ISAL_BLOCK_FINISH)
			*end = 1;
		return (ssize_t)(before - in->isal.avail_out);
	}
#endif
	in->z.next_in = in->raw + in->rpos;
	in->z.avail_in = (uInt)(in->rlen - in->rpos);
	in->z.next_out = (Bytef *)dst;
	in->z.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
	uInt before = in->z.avail_out;
	int r = inflate(&in->z, Z_NO_FLUSH);
	in->rpos = in->rlen - in->z.avail_in;
	if (r == Z_STREAM_END)
		*end = 1;
	else if (r != Z_OK && r != Z_BUF_ERROR)
		return -1;
	return (ssize_t)(before - in->z.avail_out);
}

/* Between members, at a zero byte: consumes the rest of the input when it
 * is all zero bytes (padding to a block size, as tape and some backup
 * tools write; gzip(1) ignores it too) and returns 1; returns 0 at the
 * first non-zero byte, -1 on a read error. */
static int zero_padding(input *in)
{
	for (;;) {
		for (; in->rpos < in->rlen; in->rpos++)
			if (in->raw[in->rpos] != 0)
				return 0;
		ssize_t r = refill(in);
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
	}
}

/* Bytes after a complete member that start no other member. */
static ssize_t garbage(input *in)
{
	in->after_member = 1;
	return fail(in, "trailing garbage after gzip stream");
}

int input_error_after_member(const input *in)
{
	return in->failed && in->after_member;
}

static ssize_t read_gzip(input *in, char *dst, size_t cap)
{
	for (;;) {
		if (!in->in_member) {
			/* Between members: more data must be another member. */
			while (in->rlen - in->rpos < 2 && !in->eof) {
				if (refill(in) < 0)
					return -1;
			}
			if (in->rlen == in->rpos)
				return 0;
			if (in->raw[in->rpos] == 0) {
				int z = zero_padding(in);
				if (z < 0)
					return -1;
				if (z > 0)
					return 0;
				return garbage(in);
			}
			if (in->rlen - in->rpos < 2 || in->raw[in->rpos] != 0x1f ||
			    in->raw[in->rpos + 1] != 0x8b)
				return garbage(in);
			if (start_member(in) < 0)
				return fail(in, "out of memory");
		}
		if (in->rpos == in->rlen) {
			ssize_t r = refill(in);
			if (r < 0)
				return -1;
			if (r == 0)
				return fail(in, "unexpected end of gzip stream");
		}
		int end;
		ssize_t got = inflate_some(in, dst, cap, &end);
		if (got < 0)
			return fail(in, "invalid gzip data");
		if (end)
			in->in_member = 0;
		if (got > 0)
			return got;
		if (!end && in->rpos < in->rlen && cap > 0) {
			/* No progress with input left: the inflater wants more. */
			size_t before = in->rlen - in->rpos;
			ssize_t r = refill(in);
			if (r < 0)
				return -1;
			if (r == 0 && in->rlen - in->rpos == before)
				return fail(in, "unexpected end of gzip stream");
		}
	}
}

ssize_t input_read(input *in, char *dst, size_t cap)
{
	if (in->failed)
		return -1;
	if (cap == 0)
		return 0;
	if (in->mode == MODE_UNKNOWN) {
		while (in->rlen < 2 && !in->eof)
			if (refill(in) < 0)
				return -1;
		in->mode = (in->rlen >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b)
		           ? MODE_GZIP : MODE_PLAIN;
	}
	if (in->mode == MODE_GZIP)
		return read_gzip(in, dst, cap);
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
