/*
 * fuzz_input.c - libFuzzer harness for the decompressing reader.
 *
 * The input is a file's raw bytes (plain, gzip, xz, bzip2, zstd, damaged
 * or not), read through fmemopen with input_read in chunks of varying size
 * until the end or an error. Built as input_isal, input_xz, input_bzip2 and
 * input_zstd with -DKR_FUZZ_ZLIB=0 (ISA-L inflate when the build has it;
 * the names differ in their seeds only, see fuzz.sh) and as input_zlib
 * with -DKR_FUZZ_ZLIB=1 (input_force_zlib). Checks that errors are sticky
 * and come with a message, and that plain input passes unchanged.
 */
#include <stdio.h>

#include "fuzz_common.h"
#include "input.h"

#ifndef KR_FUZZ_ZLIB
#define KR_FUZZ_ZLIB 0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 16];
	input_force_zlib(KR_FUZZ_ZLIB);
	char *copy = fuzz_dup(data, size);
	FILE *fp = size ? fmemopen(copy, size, "rb") : fopen("/dev/null", "rb");
	if (!fp)
		abort();
	input *in = input_new(fp, "fuzz.gz");
	if (!in)
		abort();
	/* chunk sizes from the first byte, so small reads get fuzzed too */
	size_t caps[4] = { 1, 7, 4096, sizeof out };
	unsigned sel = size ? data[0] : 0;
	size_t total = 0, i = 0;
	ssize_t r;
	int plain_ok = 1;
	while ((r = input_read(in, out, caps[(sel >> (2 * (i++ % 4))) & 3])) > 0) {
		if (strcmp(input_compression(in), "plain") == 0 && (total + (size_t)r > size ||
		                           memcmp(out, data + total, (size_t)r) != 0))
			plain_ok = 0;
		total += (size_t)r;
		if (total > ((size_t)64 << 20))
			break; /* a gzip bomb: enough */
	}
	if (!plain_ok)
		abort();
	if (r < 0) {
		if (!input_error(in)[0])
			abort();
		if (input_read(in, out, sizeof out) != -1)
			abort(); /* errors are sticky */
	} else if (r == 0 && strcmp(input_compression(in), "plain") == 0 && total != size) {
		abort();
	}
	if (input_raw_bytes(in) > size)
		abort();
	input_free(in);
	free(copy);
	return 0;
}
