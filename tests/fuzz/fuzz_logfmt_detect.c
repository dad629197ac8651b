/*
 * fuzz_logfmt_detect.c - libFuzzer harness for log format detection.
 *
 * The input is the first block of a log as the reader hands it to
 * logfmt_detect; when a format is found, the lines are parsed with it as
 * in the pipeline and every parsed record is checked (fuzz_common.h).
 * logfmt_detect_more runs on it too, as for a reader with more input to
 * come: asking for more must return no format, and deciding must give
 * the same format as logfmt_detect when the input ends with a newline.
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
	int more = -1;
	char why2[200];
	why2[0] = '\0';
	logfmt *g = logfmt_detect_more(buf, size, 0, why2, sizeof why2, &more);
	if (!why2[0] || (more != 0 && more != 1) || (more && g))
		abort();
	if (g && size && data[size - 1] == '\n'
	    && (!f || strcmp(logfmt_name(f), logfmt_name(g)) != 0))
		abort(); /* the same lines decide the same way */
	logfmt_free(g);
	if (f) {
		(void)logfmt_name(f);
		fuzz_parse_lines(f, data, size);
		logfmt_free(f);
	}
	free(buf);
	return 0;
}
