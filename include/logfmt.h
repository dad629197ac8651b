/*
 * logfmt.h - access-log formats: detection and zero-copy line parsing.
 *
 * A logfmt is a compiled description of one log format: a preset
 * ("combined", "common", "vhost_combined", "traefik", "w3c", "cloudfront",
 * "alb", "haproxy", "json") or an
 * Apache LogFormat / nginx log_format string. Once built it is read-only,
 * so several threads may call logfmt_parse on the same logfmt at once.
 *
 * W3C extended logs (IIS) describe their own columns in "#Fields:" lines,
 * which may change in the middle of a file: the reader passes every line
 * starting with '#' to logfmt_directive and parses the lines after a
 * "#Fields:" line with the format it returns. Amazon CloudFront's logs are
 * W3C too: a format built from a "#Fields:" line with x-edge-location is
 * named "cloudfront".
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

/* Builds the format spec: a preset name ("combined", "common",
 * "vhost_combined", "traefik", "w3c", "cloudfront", "alb", "haproxy",
 * "json"), an Apache LogFormat string
 * (recognised by a '%': "%h %l %u %t \"%r\" %>s %b") or an nginx log_format
 * string (recognised by a '$': "$remote_addr [$time_local] \"$request\" ...").
 * A format string must log a time, a method, a target and a status.
 * Returns NULL and a lowercase message in err (errlen bytes) when spec is
 * unknown or invalid. Free with logfmt_free. */
logfmt *logfmt_new(const char *spec, char *err, size_t errlen);

/* Picks the preset that parses most of the first lines in buf[0..len)
 * (up to the first 20 non-blank lines; the last line may be incomplete and
 * is then ignored); on a tie the more specific one (vhost_combined,
 * traefik, combined, common, alb, haproxy, w3c, json in that order). W3C
 * directive lines count as fitting w3c, whose format is built from the
 * first "#Fields:" line in buf (and named "cloudfront" for CloudFront's
 * columns). Writes a short reason to why ("vhost_combined: 20 of 20
 * lines", with the format's name) and returns the format, or NULL when
 * none fits a majority. */
logfmt *logfmt_detect(const char *buf, size_t len, char *why, size_t whylen);

/* Parses one line (without its '\n'; a trailing '\r' is allowed and
 * ignored). Returns LOGFMT_OK, LOGFMT_MALFORMED or LOGFMT_SKIP (blank
 * lines; in w3c, lines starting with '#'). */
int logfmt_parse(const logfmt *f, char *line, size_t len, kr_record *rec);

/* logfmt_parse without the fast path for Apache's combined formats: the
 * reference that path must agree with. Exposed for tests. */
int logfmt_parse_items(const logfmt *f, char *line, size_t len, kr_record *rec);

/* The format's name for messages: the preset name ("combined", "w3c",
 * "cloudfront", ...),
 * or "apache LogFormat" / "nginx log_format" for a format string; static. */
const char *logfmt_name(const logfmt *f);

/* Frees f; NULL is a no-op. */
void logfmt_free(logfmt *f);

/* 1 when lines starting with '#' may change the format (w3c), else 0. */
int logfmt_has_directives(const logfmt *f);

/* For a line starting with '#' (len bytes, no '\n'; a trailing '\r' is
 * ignored) read with format f: when it is a W3C "#Fields:" line, returns a
 * NEW format for the lines that follow (the caller frees it with
 * logfmt_free; f is left alone). Returns NULL with err[0] == '\0' when the
 * line does not change the format (other directives, or f is not w3c), and
 * NULL with a message in err when the "#Fields:" line is invalid or memory
 * ran out. */
logfmt *logfmt_directive(const logfmt *f, const char *line, size_t len, char *err,
                         size_t errlen);

#endif
