/*
 * filter.c - qualifying requests: method, status and the bot token list.
 *
 * filter_is_bot scans the user agent once. A 64 Ki-bit table marks every
 * lower-cased byte pair that starts a token; only at positions whose pair
 * is marked are the tokens starting with that pair compared. The table is
 * built once (pthread_once) and read-only afterwards.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "filter.h"

const char *const filter_reason_names[FILTER_NREASONS] = {
	"malformed", "method", "status", "bot", "unknown host", "outside time range",
};

static const char *const bot_tokens[] = {
	"bot", "crawl", "spider", "slurp", "curl/", "wget/", "python-requests",
	"python-urllib", "aiohttp", "go-http-client", "java/", "libwww",
	"httpclient", "okhttp", "axios/", "node-fetch", "scrapy", "headlesschrome",
	"phantomjs", "facebookexternalhit", "siteimprove", "uptime", "pingdom",
	"monitor", "preview", "check_http", "zabbix", "nagios", "lighthouse",
};
#define NTOKENS (sizeof bot_tokens / sizeof bot_tokens[0])

static uint64_t pair_bits[65536 / 64];
static pthread_once_t pair_once = PTHREAD_ONCE_INIT;

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

static void build_pairs(void)
{
	for (size_t i = 0; i < NTOKENS; i++) {
		unsigned k = (unsigned char)bot_tokens[i][0] << 8 | (unsigned char)bot_tokens[i][1];
		pair_bits[k >> 6] |= 1ull << (k & 63);
	}
}

int filter_method(kr_str m)
{
	return (m.n == 3 && memcmp(m.p, "GET", 3) == 0) ||
	       (m.n == 4 && memcmp(m.p, "POST", 4) == 0);
}

int filter_status(int status)
{
	return status >= 200 && status <= 399;
}

static int token_at(const unsigned char *s, size_t left, const char *tok)
{
	size_t i;
	for (i = 0; tok[i]; i++) {
		if (i >= left || lower(s[i]) != (unsigned char)tok[i])
			return 0;
	}
	return 1;
}

int filter_is_bot(kr_str ua)
{
	const unsigned char *s = (const unsigned char *)ua.p;
	if (ua.n == 0 || (ua.n == 1 && s[0] == '-'))
		return 1;
	pthread_once(&pair_once, build_pairs);
	unsigned prev = lower(s[0]);
	for (size_t i = 0; i + 1 < ua.n; i++) {
		unsigned cur = lower(s[i + 1]);
		unsigned k = prev << 8 | cur;
		prev = cur;
		if (!(pair_bits[k >> 6] & (1ull << (k & 63))))
			continue;
		for (size_t t = 0; t < NTOKENS; t++) {
			if ((unsigned char)bot_tokens[t][0] == (k >> 8) &&
			    (unsigned char)bot_tokens[t][1] == (k & 0xff) &&
			    token_at(s + i, ua.n - i, bot_tokens[t]))
				return 1;
		}
	}
	return 0;
}

int filter_is_bot_cached(filter_cache *c, kr_str ua)
{
	if (ua.n == 0 || ua.n > FILTER_CACHE_MAXLEN)
		return filter_is_bot(ua);
	const unsigned char *u = (const unsigned char *)ua.p;
	/* Sample the length and bytes spread over the string: cheap, and
	 * different agents of one length rarely agree on all of them. */
	uint32_t h = (uint32_t)ua.n * 0x9e3779b1u;
	h ^= u[0] | (uint32_t)u[ua.n - 1] << 8 | (uint32_t)u[ua.n / 2] << 16 |
	     (uint32_t)u[ua.n / 3] << 24;
	h ^= (uint32_t)u[ua.n * 3 / 4] * 0x85ebca6bu ^ (uint32_t)u[ua.n / 5] * 0xc2b2ae35u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 13;
	/* two ways per set: two busy agents that share a set (13 agents in
	 * 256 sets do, one time in seven) must not evict each other on every
	 * line; a miss replaces the way that was not filled last */
	unsigned set = (h & (FILTER_CACHE_SLOTS / 2 - 1)) * 2;
	for (unsigned w = 0; w < 2; w++) {
		unsigned i = set + w;
		if (c->slot[i].len == ua.n && memcmp(c->slot[i].ua, ua.p, ua.n) == 0)
			return c->slot[i].bot;
	}
	int bot = filter_is_bot(ua);
	unsigned i = set + (c->slot[set].victim ? 1 : 0);
	c->slot[set].victim = !c->slot[set].victim;
	c->slot[i].len = (uint16_t)ua.n;
	c->slot[i].bot = (uint8_t)bot;
	memcpy(c->slot[i].ua, ua.p, ua.n);
	return bot;
}
