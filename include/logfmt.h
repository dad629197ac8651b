/*
 * logfmt.h - access-log formats: detection and zero-copy line parsing.
 *
 * A logfmt is a compiled description of one log format (a preset such as
 * "combined", or later an Apache LogFormat / nginx log_format string).
 * Once built it is read-only, so several threads may call logfmt_parse on
 * the same logfmt at once.
 *
 * logfmt_parse fills a kr_record whose fields point into the line it was
 * given (see record.h); the line may be modified in place.
 */
#ifndef KR_LOGFMT_H
#define KR_LOGFMT_H

#include <stddef.h>
#include "record.h"

enum {
	LOGFMT_OK = 0,         /* rec filled in */
	LOGFMT_MALFORMED = -1, /* the line does not fit the format */
	LOGFMT_SKIP = 1        /* not a request (e.g. a comment); not counted */
};

typedef struct logfmt logfmt;

/* Builds the format named spec: a preset name ("combined", "common",
 * "vhost_combined"). Returns NULL and a lowercase message in err (errlen
 * bytes) when spec is unknown or invalid. Free with logfmt_free. */
logfmt *logfmt_new(const char *spec, char *err, size_t errlen);

/* Picks the preset that parses most of the first lines in buf[0..len)
 * (up to the first 20 non-blank lines; the last line may be incomplete and
 * is then ignored). Writes a short reason to why ("vhost_combined: 20 of 20
 * lines") and returns the format, or NULL when none fits a majority. */
logfmt *logfmt_detect(const char *buf, size_t len, char *why, size_t whylen);

/* Parses one line (without its '\n'; a trailing '\r' is allowed and
 * ignored). Returns LOGFMT_OK, LOGFMT_MALFORMED or LOGFMT_SKIP. */
int logfmt_parse(const logfmt *f, char *line, size_t len, kr_record *rec);

/* The format's name for messages ("combined", ...); lives with f. */
const char *logfmt_name(const logfmt *f);

/* Frees f; NULL is a no-op. */
void logfmt_free(logfmt *f);

#endif
