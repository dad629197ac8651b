/*
 * fuzz_logfmt_detect.c - libFuzzer harness for log format detection.
 *
 * The input is the first block of a log as the reader hands it to
 * logfmt_detect; when a format is found, the lines are parsed with it as
 * in the pipeline and every parsed record is checked (fuzz_common.h).
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[100];
	char *buf = fuzz_dup(data, size);
	why[0] = '\0';
	logfmt *f = logfmt_detect(buf, size, why, sizeof why);
	if (!why[0] || !memchr(why, '\0', sizeof why))
		abort(); /* a reason either way */
	if (f) {
		(void)logfmt_name(f);
		fuzz_parse_lines(f, data, size);
		logfmt_free(f);
	}
	free(buf);
	return 0;
}
