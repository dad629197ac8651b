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
 * that tell the formats apart: up to 20 lines that some preset reads as a
 * request, plus the lines no preset reads (they count against all). Blank
 * lines, comments and lines every preset reads only as a record without a
 * request (Apache's "-", nginx's "", TLS bytes) are passed over; only when
 * no line tells formats apart do those decide. At most 5000 lines are
 * looked at. On a tie the more specific preset wins (vhost_combined,
 * traefik, combined, common, alb, haproxy, w3c, json in that order). W3C
 * directive lines count as fitting w3c, whose format is built from the
 * first "#Fields:" line in buf (and named "cloudfront" for CloudFront's
 * columns). The last line of buf, when it has no '\n', is used only when
 * it is the only one. Writes a short reason to why ("vhost_combined: 20
 * of 20 lines", with the format's own name) and returns the format (the
 * caller frees it), or NULL when none fits a majority; then why names the
 * presets that came closest and how many lines each read. */
logfmt *logfmt_detect(const char *buf, size_t len, char *why, size_t whylen);

/* logfmt_detect for a reader with more input to come: when eof is 0 and
 * buf ends before detection has seen enough lines that decide (20, or
 * 5000 lines in all), returns NULL with *more = 1 (and why "more input
 * needed"): call again with more of the input. With eof 1, or once enough
 * lines were seen, it decides as logfmt_detect does (*more = 0). more may
 * be NULL when eof is 1. */
logfmt *logfmt_detect_more(const char *buf, size_t len, int eof, char *why, size_t whylen,
                           int *more);

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

/* A logged host as the matcher sees it: lower-cases h[0..n) in place,
 * then drops a ":port" (digits after the last ':', not inside a bare IPv6
 * literal) and one trailing dot. Returns it (pointing into h). For every
 * reader of hosts (log lines, `klantreis check` URLs), so they route
 * alike. */
kr_str logfmt_host_norm(char *h, size_t n);

#endif
