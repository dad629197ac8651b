/*
 * scan.h - the streaming pipeline: inputs -> lines -> records -> funnels.
 *
 * scan_run reads every input in order on the calling thread (open,
 * decompress, cut into blocks of whole lines, detect the log format) and
 * hands the blocks to `jobs` - 1 worker threads; the calling thread is the
 * last of the `jobs` parsers (it parses a queued block whenever every
 * block is in flight, and with jobs == 1 it parses everything). Each
 * parser parses records in place, applies
 * the filters, routes by host, matches the catalogue and adds matched
 * steps to its own funnels; at the end the funnels and counters are merged,
 * so results do not depend on the number of jobs. Memory is bounded by the
 * block pool (2 * jobs + 2 blocks) plus the funnel tables.
 *
 * A record is offered to every side (time range) that holds its wall
 * clock: analyze uses one side [--since, --until), compare uses two.
 */
#ifndef KR_SCAN_H
#define KR_SCAN_H

#include <stdint.h>
#include <stdio.h>
#include "filter.h"
#include "funnel.h"
#include "match.h"
#include "visitor.h"

struct logfmt;

#define SCAN_MAX_SIDES 2
#define SCAN_MAX_SAMPLES 5

typedef struct {
	int64_t from, to;          /* wall-clock range [from, to) */
} scan_range;

typedef struct {
	const char *log_format;    /* forced format, or NULL to detect per input */
	int include_bots;
	int jobs;                  /* parsing threads, the caller among them; >= 1 */
	int keep_events;           /* sequential funnel needs event instants */
	int details;               /* count 5xx requests that match a step */
	/* Called on the reading thread after each read with the raw bytes
	 * read so far over all inputs, and once more with finished 1 when
	 * reading ends; NULL for none (progress.h draws a line). */
	void (*progress)(void *arg, uint64_t done, int finished);
	void *progress_arg;
	int nsides;                /* 1 or 2 */
	scan_range side[SCAN_MAX_SIDES];
	visitor_key key;
	int client_xff;            /* client = xff_client(trust, xff, connection) */
	const struct xff_trust *trust; /* --trusted-proxies; may be NULL */
	/* For a state (state.h): one side over all time, keep_events and
	 * details set; events keep their wall-clock second, and res->tally
	 * counts the requests per wall-clock second and gemeente, and the
	 * 5xx requests per second, gemeente and row. */
	int collect;
	/* Memory that follows the day: when set (a report run over inputs
	 * that can be read again), the days the input has moved past are
	 * folded into figures under *fold (funnel_fold: per period of its
	 * by, so *fold must be the cfg the report is made with) and their
	 * visitor tables freed. The input has moved past day D when every record of
	 * the blocks parsed since the reader last looked (before every block
	 * it hands out) is FOLD_SLACK (scan.c) past D's end. With workers the
	 * fold waits for no one: see scan.c.
	 * A matched request of a folded day that comes later sets
	 * scan_result.fold_late, and the result is then not usable: read the
	 * inputs again without folding. */
	const funnel_cfg *fold;
} scan_opts;

/* What happened to one input. Strings are owned by the scan_result. */
typedef struct {
	const char *name;          /* as given ("-" is stdin) */
	const char *format;        /* format used, or NULL when none */
	char why[128];              /* why that format ("detected: ..." / "forced") */
	uint64_t lines;            /* physical lines read (complete lines only) */
	uint64_t raw_bytes;        /* bytes read from the file */
	const char *compression;   /* "plain", "gzip", "xz", "bzip2", "zstd" (static) */
	int failed;                /* 1: could not be read to the end; 2: no format */
	char error[400];           /* message when failed, without the file name */
	char warning[256];         /* first invalid W3C "#Fields:" line, or "" */
} scan_input;

typedef struct {
	int file;                  /* index into inputs */
	uint64_t line;             /* 1-based line number in that input */
	char text[112];            /* escaped, truncated excerpt */
} scan_sample;

typedef struct {
	uint64_t lines;            /* non-blank lines */
	uint64_t blank;
	uint64_t skipped;          /* format directives / comments */
	uint64_t excluded[FILTER_NREASONS];
	uint64_t qualified;        /* records that passed every filter */
	uint64_t matched;          /* qualified records with at least one step */
	uint64_t bytes;            /* decompressed bytes */
	uint64_t long_lines;       /* lines over 64 MiB, counted malformed */
	scan_sample sample[SCAN_MAX_SAMPLES]; /* first malformed lines, in order */
	int nsamples;
	scan_input *inputs;
	int ninputs;
	/* Per gemeente id (match.h), ngem of them: exclusions by reason
	 * (index ngem * FILTER_NREASONS; malformed and unknown host stay 0,
	 * they belong to no gemeente) and qualifying requests. */
	int ngem;
	uint64_t *gem_excluded;
	uint64_t *gem_qualified;
	funnel *fun[SCAN_MAX_SIDES];/* merged funnels, one per side */
	/* For the emptiness warnings: requests of hosts that are no gemeente
	 * (NULL when there were none), and the first and last wall time of
	 * the requests outside every side's range (INT64_MAX and INT64_MIN
	 * when none). */
	struct hostcount *unknown_hosts;
	int64_t time_min, time_max;
	struct state_tally *tally; /* scan_opts.collect: see there; else NULL */
	int fold_late;             /* scan_opts.fold: a step of a folded day came */
	struct state *state_;      /* private: a state res borrows from (state_result) */
	struct logfmt **fmts_;     /* private: the inputs' formats */
	struct logfmt **xfmts_;    /* private: formats from W3C #Fields lines */
	size_t nxfmts_;
} scan_result;

/* Runs the pipeline over paths[0..npaths) ("-" is standard input; no path
 * at all means standard input). The matcher must stay alive during the
 * call. Fills res (free with scan_result_free). Returns 0 when every input
 * was read completely, 1 when some could not be read (see res->inputs),
 * 2 when some input's format could not be detected, -1 when out of memory
 * or a thread could not start (err says which). */
int scan_run(const scan_opts *opts, matcher *m, char *const *paths, int npaths,
             scan_result *res, char *err, size_t errlen);

void scan_result_free(scan_result *res);

/* ---- reading in installments (analyze --follow) ----------------------
 * A scan_cont carries from one scan_feed to the next, per input: its
 * format (detected on the first bytes with content, or forced), the W3C
 * "#Fields:" state, and the lines read so far. */
typedef struct scan_cont scan_cont;

/* A continuation for ninputs inputs; NULL when out of memory. */
scan_cont *scan_cont_new(int ninputs);
void scan_cont_free(scan_cont *c);

/* As scan_run, but reads input i from the stream fps[i] (read to its end
 * and closed; NULL: nothing new for input i, which then only gets its
 * name), named names[i], as the continuation of the earlier feeds of c:
 * n must be the ninputs of c. The streams hold whole lines (an
 * unterminated last line counts, as at the end of a file). res holds
 * what these bytes added; sample line numbers count from the input's
 * first feed. res borrows its format names from c: free res first. The
 * entries of fps are NULL on return. Returns as scan_run. */
int scan_feed(const scan_opts *o, matcher *m, scan_cont *c, char *const *names,
              FILE **fps, int n, scan_result *res, char *err, size_t errlen);

#endif
