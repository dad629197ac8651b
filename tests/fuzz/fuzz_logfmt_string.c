/*
 * fuzz_logfmt_string.c - libFuzzer harness for Apache LogFormat and nginx
 * log_format strings.
 *
 * The first line of the input is the format string (given to logfmt_new
 * as --log-format would); when it builds, the remaining lines are parsed
 * with it and every parsed record is checked (fuzz_common.h).
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	char *spec = malloc(n + 1);
	char err[200];
	if (!spec)
		abort();
	memcpy(spec, data, n);
	spec[n] = '\0';
	logfmt *f = logfmt_new(spec, err, sizeof err);
	free(spec);
	if (!f) {
		if (!err[0])
			abort(); /* a refusal must say why */
		return 0;
	}
	(void)logfmt_name(f);
	if (nl)
		fuzz_parse_lines(f, nl + 1, size - n - 1);
	logfmt_free(f);
	return 0;
}
