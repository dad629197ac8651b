/*
 * match.h - from a record to the catalogue steps it matches.
 *
 * A matcher holds every catalogue pattern compiled once with PCRE2 (JIT when
 * available, on a pattern's first run) and the host -> gemeente routing
 * table. It is shared read-only between threads, except for the gemeente
 * table in built-in mode, which grows as new hosts are seen, and the JIT
 * code a pattern gets on its first run, each guarded by a mutex. Each
 * thread uses
 * its own match_ctx (PCRE2 match data, a host cache, a cache of recent
 * match_target results and one of literal scans; about 1.7 MiB).
 *
 * Gemeente ids are small integers: in catalogue mode the catalogue's
 * gemeente index; in built-in mode an id assigned when a host is first seen
 * (its name is the host without a leading "www.", so www.example.nl and
 * example.nl are one gemeente "example.nl"; "-" for records without a
 * host). Rows are catalogue row indexes (template rows in built-in mode).
 */
#ifndef KR_MATCH_H
#define KR_MATCH_H

#include <stddef.h>
#include "catalog.h"
#include "record.h"

typedef struct matcher matcher;
typedef struct match_ctx match_ctx;

typedef struct {
	int row;  /* catalogue row */
	int step; /* STEP_INFO, STEP_FORM or STEP_DONE */
} match_hit;

/* Compiles every pattern of cat (which must outlive the matcher).
 * force_gemeente, when not NULL, routes every record to that gemeente (it
 * must exist in a loaded catalogue; in built-in mode any name is fine).
 * On error returns NULL with "FILE:LINE: column 'form': message at offset N"
 * (PCRE2's message) or "FILE: column 'gemeente': no gemeente 'X'
 * (--gemeente)" in err. */
matcher *match_new(const catalog *cat, const char *force_gemeente, char *err, size_t errlen);

/* As match_new, with up to jobs threads (the caller's included)
 * compiling the distinct patterns when there are hundreds of them: a
 * national catalogue whose gemeenten have patterns of their own holds
 * thousands. (Each pattern is JIT-compiled later, on its first run, by
 * the thread that runs it.) The matcher and any error message are the
 * same as match_new's. */
matcher *match_new_jobs(const catalog *cat, const char *force_gemeente, int jobs, char *err,
                        size_t errlen);
void match_free(matcher *m);

/* Per-thread context; NULL when out of memory. */
match_ctx *match_ctx_new(matcher *m);
void match_ctx_free(match_ctx *ctx);

/* Gemeente id of a record's (normalized) host, or -1 for "unknown host". */
int match_gemeente(match_ctx *ctx, kr_str host);

/* The built-in gemeente name of a (normalized, non-empty) host: host
 * without a leading "www." when a dot remains after it (www.example.nl ->
 * example.nl; www.nl stays). The result points into host's bytes. */
kr_str match_builtin_name(kr_str host);

/* Runs the patterns of gemeente gem against target (raw bytes, n of them;
 * NUL bytes and invalid UTF-8 are fine). Writes the hits in row order, then
 * step order, to out and returns how many it wrote: at most max (hits past
 * max are dropped; match_max_hits gives a max that never drops any).
 * gem < 0 gives 0. A pattern that hits PCRE2's match limit counts as not
 * matching; see match_limit_hits. */
int match_target(match_ctx *ctx, int gem, kr_str target, match_hit *out, int max);

/* The most hits match_target can return for any gemeente (the number of
 * non-empty pattern cells of its rows). */
int match_max_hits(const matcher *m);

/* How many pattern matches ran into PCRE2's match limit (1,000,000) or
 * stack limits so far, counted over all threads; such a match counts as no
 * match. match_limit_line gives the catalogue line of the first pattern
 * that did, 0 when none did. Safe to call while threads are matching. */
long match_limit_hits(const matcher *m);
long match_limit_line(const matcher *m);

/* Number of gemeente ids handed out so far, and the name of one (valid for
 * the matcher's life). Call after all threads are done. */
int match_ngemeenten(const matcher *m);
const char *match_gemeente_name(const matcher *m, int gem);

/* The id of the gemeente called name (as match_gemeente_name gives it):
 * in built-in mode handed out when new (-1 only when out of memory); in
 * catalogue mode -1 when the catalogue has no such gemeente. For merging
 * partial results (state.h). */
int match_gemeente_id(matcher *m, const char *name);

/* The catalogue rows of gemeente gem in report order (row indexes),
 * stored in *rows (valid for the matcher's life); returns the count. */
int match_rows(const matcher *m, int gem, const int **rows);

#endif
