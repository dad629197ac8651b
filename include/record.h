/*
 * record.h - one parsed access-log request (klantreis(1), MEASUREMENT,
 * "Records").
 *
 * A kr_record holds slices (kr_str) into the caller's line buffer: they are
 * not NUL-terminated and stay valid only as long as that buffer is left
 * alone (in the pipeline: until the block that holds the line is recycled).
 * Parsers may rewrite the line in place (lower-casing the host, unescaping a
 * JSON string) but never write past the line's end.
 *
 * Invariants after a successful parse:
 *   - host is lower-case, without ":port" and without a trailing dot;
 *     host.n == 0 when the format logs no virtual host and the target was
 *     not in absolute form;
 *   - user_agent is the same bytes whatever the format (escapes undone);
 *   - target is the request-target as logged (never percent-decoded), reduced
 *     from absolute form "http://h/p?q" to "/p?q" ("/" when empty);
 *   - wall is the logged wall-clock time, instant_us the absolute instant.
 */
#ifndef KR_RECORD_H
#define KR_RECORD_H

#include <stddef.h>
#include <stdint.h>

/* A borrowed byte slice; p may be NULL when n == 0. */
typedef struct {
	const char *p;
	size_t n;
} kr_str;

typedef struct {
	kr_str client;     /* connection address (or X-Forwarded-For choice) */
	kr_str host;       /* virtual host, normalized as above; may be empty */
	kr_str method;     /* "GET", "POST", ... as logged */
	kr_str target;     /* path plus optional ?query, not decoded */
	kr_str referer;    /* parsed where the format has it, else empty */
	kr_str user_agent; /* decoded: Apache/nginx \" \\ \xHH escapes, JSON
	                      escapes and W3C '+' undone, so one browser has one
	                      value in every format; "-" and empty mean "none" */
	kr_str xff;        /* X-Forwarded-For header where logged, else empty */
	int status;        /* HTTP status, 0..999 */
	int64_t wall;      /* wall clock as logged: seconds since 1970-01-01T00:00
	                      on that clock (the UTC offset is NOT applied) */
	int64_t instant_us;/* absolute instant: microseconds since the Unix epoch */
} kr_record;

#endif
