/*
 * fuzz_logfmt_preset.c - libFuzzer harness for one log format preset.
 *
 * Built once per preset with -DKR_FUZZ_FORMAT='"combined"' (common,
 * vhost_combined, traefik, w3c, json, alb, haproxy, cloudfront): the
 * input is a log, each line is parsed with that preset (W3C "#Fields:"
 * lines switch the format as in the pipeline) and every parsed record is
 * checked (fuzz_common.h).
 */
#include "fuzz_common.h"

#ifndef KR_FUZZ_FORMAT
#error "build with -DKR_FUZZ_FORMAT='\"combined\"' or another preset"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static logfmt *f;
	if (!f) {
		char err[160];
		f = logfmt_new(KR_FUZZ_FORMAT, err, sizeof err);
		if (!f)
			abort();
	}
	fuzz_parse_lines(f, data, size);
	return 0;
}
