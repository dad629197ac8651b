/*
 * input.h - byte streams from log files: plain, gzip, xz, bzip2 or zstd,
 * detected by magic.
 *
 * An input wraps one FILE * and hands out its decompressed bytes in chunks.
 * Compression is detected from the first bytes, never from the file name:
 * gzip 1f 8b, xz fd "7zXZ" 00, bzip2 "BZh1".."BZh9" followed by a block or
 * end-of-stream magic, zstd 28 b5 2f fd or a skippable frame 5? 2a 4d 18.
 * A file is a sequence of members of one codec (gzip members, xz streams,
 * bzip2 streams, zstd frames, as `cat a.gz b.gz`, pbzip2 and pzstd write
 * them), read to the end. Inflate uses ISA-L when built
 * with HAVE_ISAL, zlib otherwise; both give the same bytes. A file that
 * starts like an archive or a compressor klantreis does not read (lz4,
 * lzip, lzop, compress, zip, 7-zip) is an error, not plain text.
 *
 * Errors are sticky: once input_read() returned -1 it keeps doing so, and
 * input_error() says what went wrong in lowercase words without the file
 * name ("unexpected end of xz stream", "invalid bzip2 data", "invalid zstd
 * data: ...", or strerror text). Bytes handed out before the error are
 * good data. Trailing bytes after a complete member that are not another
 * member of the same codec are an error too ("trailing garbage after gzip
 * stream"), except zero bytes up to the end of the file: block padding,
 * ignored as by gzip (and zeros between xz streams in fours: xz's stream
 * padding).
 */
#ifndef KR_INPUT_H
#define KR_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct input input;

/* Wraps fp, which the input owns from now on (input_free closes it unless
 * it is stdin). name is copied and only used by callers for messages.
 * Returns NULL only when out of memory (fp is then closed too). */
input *input_new(FILE *fp, const char *name);

/* Reads up to cap decompressed bytes into dst. Returns the number read
 * (> 0), 0 at the clean end of input, or -1 on error (see input_error). */
ssize_t input_read(input *in, char *dst, size_t cap);

/* What went wrong after input_read returned -1; "" before any error.
 * The string lives as long as the input. */
const char *input_error(const input *in);

/* 1 when the error of input_read came after the end of a complete member
 * (trailing garbage): every byte read before it is whole, so an
 * unterminated last line is a line, not a cut-off one. */
int input_error_after_member(const input *in);

/* The name given to input_new (lives as long as the input). */
const char *input_name(const input *in);

/* The input's compression, known after the first read: "gzip", "xz",
 * "bzip2", "zstd", or "plain" (also before the first read); for a refused
 * one its name ("lz4", "zip", ...). A static string. */
const char *input_compression(const input *in);

/* Raw (compressed or plain) bytes consumed from the file so far. */
uint64_t input_raw_bytes(const input *in);

/* Closes the file (not stdin) and frees everything; NULL is a no-op. */
void input_free(input *in);

/* Bytes of a file's start that input_is_plain needs to decide. */
#define INPUT_MAGIC_MAX 10

/* 1 when p[0..n), the start of a file (INPUT_MAGIC_MAX bytes, or all of
 * a shorter file), is plain data to input_read: no compression it
 * decodes and none it refuses. 0 for a file to decompress (or refuse). */
int input_is_plain(const void *p, size_t n);

/* Uses zlib even in an ISA-L build (process-wide; for tests). */
void input_force_zlib(int on);

/* Which inflate implementation this build uses: "isa-l" or "zlib". */
const char *input_inflate_impl(void);

#endif
