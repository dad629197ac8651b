/*
 * filter.h - which records qualify (klantreis(1), MEASUREMENT, "Which
 * requests count").
 *
 * Pure functions on record fields; thread-safe. The bot test compares the
 * user agent ASCII case-insensitively against a fixed token list, using a
 * bigram table so that most positions cost one lookup.
 */
#ifndef KR_FILTER_H
#define KR_FILTER_H

#include <stdint.h>
#include "record.h"

/* Why a line did not count, in the order the run summary lists them. */
enum filter_reason {
	FILTER_MALFORMED = 0,
	FILTER_METHOD,
	FILTER_STATUS,
	FILTER_BOT,
	FILTER_HOST,
	FILTER_TIME,
	FILTER_NREASONS
};

/* Summary names: "malformed", "method", "status", "bot", "unknown host",
 * "outside time range". */
extern const char *const filter_reason_names[FILTER_NREASONS];

/* 1 when method is exactly "GET" or "POST". */
int filter_method(kr_str method);

/* 1 when 200 <= status <= 399. */
int filter_status(int status);

/* 1 when the user agent marks a bot: empty, "-", or containing one of the
 * tokens of klantreis(1), MEASUREMENT, "Which requests count" (ASCII
 * case-insensitive substring). */
int filter_is_bot(kr_str ua);

/* A per-thread memo of recent user agents and their bot verdict, two ways
 * per set. User agents repeat heavily in real logs, so most lookups are
 * one hash of a few sampled bytes plus one or two memcmp. Zero-initialise
 * before use. */
#define FILTER_CACHE_SLOTS 512
#define FILTER_CACHE_MAXLEN 240
typedef struct {
	struct {
		uint16_t len;     /* 0: empty slot */
		uint8_t bot;
		uint8_t victim;   /* first way of a set: the way to fill next */
		char ua[FILTER_CACHE_MAXLEN];
	} slot[FILTER_CACHE_SLOTS];
} filter_cache;

/* filter_is_bot through the cache c (owned by one thread). */
int filter_is_bot_cached(filter_cache *c, kr_str ua);

#endif
