/*
 * state.h - partial results (`analyze --state FILE`) that merge exactly.
 *
 * A state holds what a report needs, and nothing that names a person:
 *   - every matched step event of a qualifying request: visitor hash,
 *     wall-clock day and second, absolute instant, gemeente, catalogue row
 *     and step (the funnel entries of funnel.h, with events);
 *   - a tally per (wall-clock second, gemeente): requests that passed the
 *     method, status and bot rules (gemeente -1: unknown host) and how
 *     many of them matched a step; per (second, gemeente, row) the 5xx
 *     requests matching each step (--details). The time range
 *     (--since/--until, compare's sides) is applied when the report is
 *     built, so every count of a report comes out as one run over all
 *     the logs would count it;
 *   - the counters that do not depend on time (lines, blank, malformed,
 *     method, status, bot; the latter per gemeente), the inputs read
 *     (name, format, lines), the catalogue (as CSV) or the built-in flag
 *     with the gemeente names (hosts), the options that decide which
 *     requests qualify (--include-bots, --client-from xff), and per
 *     gemeente a fingerprint of the visitor key (a keyed hash of a
 *     constant, never the key).
 * Never an address, user agent or request target.
 *
 * File format, version 1 (all integers little-endian):
 *   magic     8 bytes  89 'K' 'R' 'S' 0d 0a 1a 0a
 *   version   u32
 *   length    u64      of the payload
 *   payload            LEB128 varints, zigzag for signed values, strings
 *                      as varint length + bytes (see state.c)
 *   crc       u32      CRC-32 (zlib) of version, length and payload
 *
 * Gemeente ids in a `state` are the matcher's; files carry names, which
 * state_fold maps to ids.
 */
#ifndef KR_STATE_H
#define KR_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "filter.h"
#include "funnel.h"
#include "match.h"
#include "scan.h"
#include "visitor.h"

#define STATE_VERSION 1
#define STATE_MAGIC "\x89KRS\r\n\x1a\n"
#define STATE_MAGIC_LEN 8
/* Inputs that start with these bytes are states (the rest of the magic
 * is checked when the state is read, so a state cut short is an error,
 * not a log). */
#define STATE_DETECT_LEN 4

/* Options recorded in a state: they decide which requests qualify. */
enum { STATE_INCLUDE_BOTS = 1, STATE_CLIENT_XFF = 2 };

/* ---- the tally: counters per (wall second, gemeente, row) ---------- */

typedef struct state_tally state_tally;

/* row STATE_REQ: n[0] requests that passed the method, status and bot
 * rules, n[1] those of them that matched a step (gemeente -1: of no
 * gemeente; they never match). row >= 0: n[step] 5xx requests by
 * non-bots matching step. */
#define STATE_REQ (-1)

state_tally *state_tally_new(void);
void state_tally_free(state_tally *t);
/* Adds v to counter k (0..2) of (wall, gem, row). 0, or -1 (OOM). */
int state_tally_add(state_tally *t, int64_t wall, int gem, int row, int k, uint64_t v);
/* Adds all of src to dst. 0, or -1 (out of memory). */
int state_tally_merge(state_tally *dst, const state_tally *src);
/* Sorts t by (wall, gemeente, row) and sums records of one key: a
 * smaller tally and state file. Counts never depend on it. */
void state_tally_compact(state_tally *t);

/* ---- a partial result in memory ------------------------------------- */

typedef struct {
	char *name, *format;       /* format NULL when none was found */
	uint64_t lines;
	const char *compression;   /* input_compression's name (static) */
} state_input;

typedef struct state {
	unsigned flags;            /* STATE_INCLUDE_BOTS | STATE_CLIENT_XFF */
	int builtin;               /* built-in catalogue */
	char *catalog_csv;         /* catalog_write_csv of the catalogue; NULL built-in */
	state_input *inputs;
	int ninputs, capinputs;
	uint64_t lines, blank, skipped, bytes;
	uint64_t excluded[FILTER_NREASONS]; /* malformed .. bot; time and host stay 0 */
	int ngem, capgem;          /* gemeente ids 0..ngem-1 (the matcher's) */
	uint64_t *gem_excluded;    /* ngem * FILTER_NREASONS: method, status, bot */
	uint64_t *gem_fp;          /* key fingerprint per gemeente, 0: no request */
	funnel *fun;               /* keeps events with their wall-clock second */
	state_tally *tally;
} state;

/* An empty state with a funnel of nparts parts; NULL when out of memory. */
state *state_new(int nparts);
void state_free(state *s);

/* A keyed hash of a constant: equal for equal keys, never 0, and says
 * nothing about the key. */
uint64_t state_key_fingerprint(const visitor_key *k);

/* Parses a key file's text: one line of 32 hex digits (k0 then k1, each
 * 16 digits, most significant first), an optional "\n" (or "\r\n").
 * Returns 0, or -1. */
int state_key_parse(const char *text, size_t n, visitor_key *k);

/* Adds the result of a scan run with scan_opts.collect to s (its funnel
 * of side 0, tally and counters, but not its inputs: the caller appends
 * them in command-line order with state_add_input), marking every
 * gemeente with a request under key fingerprint fp. Into an empty s
 * the funnel and tally are moved, not copied (res gets s's empty ones).
 * Returns 0, or -1 (out of memory). */
int state_take_scan(state *s, scan_result *res, const matcher *m, uint64_t fp);

/* Appends one input record (strings copied). 0, or -1 (out of memory). */
int state_add_input(state *s, const char *name, const char *format, uint64_t lines,
                    const char *compression);

/* Writes s (gemeente names from m) to fp. Returns 0, or -1 (write error
 * or out of memory, errno set). */
int state_write(const state *s, const matcher *m, FILE *fp);

/* 1 when the first n bytes of a file are those of a state. */
int state_detect(const void *p, size_t n);

/* A state file read into memory and checked (magic, version, length,
 * checksum), with its header decoded. */
typedef struct state_file state_file;

/* Reads the whole state from fp; name for messages. On error returns NULL
 * with a message in err ("state 'NAME' is damaged: ...", "... is cut
 * short ...", "... has format version N ..."). */
state_file *state_file_read(FILE *fp, const char *name, char *err, size_t errlen);
void state_file_free(state_file *f);
/* Header fields, valid for the file's life. */
unsigned state_file_flags(const state_file *f);
int state_file_builtin(const state_file *f);
const char *state_file_catalog(const state_file *f); /* CSV; NULL when built-in */
const char *state_file_name(const state_file *f);

/* Adds everything of f into s: gemeenten by name (interned in m in
 * built-in mode), inputs appended. Returns 0; -1 when out of memory or
 * the file is damaged (err set); -2 when a gemeente of f already has
 * requests in s under another key fingerprint, or f names a gemeente the
 * catalogue lacks (err names it). s may be partly changed on error. */
int state_fold(state *s, const state_file *f, matcher *m, char *err, size_t errlen);

/* The report input of a state: fills res as scan_run would have for
 * a run over all the logs behind s with the time ranges sides[0..nsides)
 * (funnels with events when keep_events, funnels of nparts parts). res
 * borrows input names from s, which must outlive it. With take, and one
 * side over all time, res takes s's events instead of a copy of them (a
 * report from states then needs no second copy of every event): s is
 * left without events and must not be written or reported from again.
 * Returns 0, or -1 (out of memory). */
int state_result(state *s, const matcher *m, int nsides, const scan_range *sides,
                 int keep_events, int nparts, int take, scan_result *res);

#endif
