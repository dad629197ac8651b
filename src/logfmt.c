/*
 * logfmt.c - access-log formats: presets, format strings, detection and
 * zero-copy parsing.
 *
 * A format has one of five kinds:
 *   - a field list (the CLF presets common, combined, vhost_combined and
 *     traefik, and compiled Apache LogFormat / nginx log_format strings):
 *     items, each a literal that must appear verbatim followed by one field.
 *     A field's value runs up to the first byte of the next literal (or to
 *     the end of the line for the last field); a field between '"' and '"'
 *     is quoted and ends at the first '"' not escaped by an odd run of
 *     backslashes (Apache writes \" and \\ inside quoted fields). A time
 *     field known to hold spaces (CLF "dd/Mon/yyyy:hh:mm:ss +zzzz") skips
 *     that many spaces before looking for its end. Which field gives the
 *     host, client, target, method and time is decided when the format is
 *     compiled (e.g. %v over %V over %{Host}i), so parsing never chooses;
 *   - w3c: W3C extended logs (IIS; CloudFront, tab-separated, named
 *     "cloudfront"), columns named by the "#Fields:" directive the format
 *     was built from; a value may be in double quotes, with spaces;
 *   - json: one JSON object per line, read by a small scanner that maps
 *     known keys (nginx variable names, Caddy's nested request object,
 *     Traefik's JSON keys) to record fields and skips everything else;
 *   - alb and haproxy: AWS Application Load Balancer logs and HAProxy's
 *     httplog, each read by its own parser (section "Load balancers").
 *
 * Invariants: a logfmt is immutable after it is built, so logfmt_parse may
 * run on it from several threads. logfmt_parse never allocates and never
 * writes outside [line, line + len). It rewrites bytes only to lower-case
 * the host, to decode in place (never longer than the input) JSON strings,
 * W3C '+' and doubled quotes, CloudFront's %XX and HAProxy's #XX in user
 * agents, to join a separately logged path and query (%U ... %q), and
 * to reduce an absolute-form target (see absolute_form). On
 * LOGFMT_MALFORMED the record's contents are unspecified.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "ktime.h"
#include "logfmt.h"
#include "msg.h"

enum logfmt_kind {
	LOGFMT_KIND_FIELDS = 0, /* literal/field list (CLF presets, format strings) */
	LOGFMT_KIND_W3C,        /* W3C extended, columns from #Fields */
	LOGFMT_KIND_JSON,       /* one JSON object per line */
	LOGFMT_KIND_ALB,        /* AWS Application Load Balancer access log */
	LOGFMT_KIND_HAPROXY,    /* HAProxy's httplog, with or without syslog prefix */
};

enum lf_field {
	LF_VHOST,      /* %v or %v:%p in presets: host[:port], non-empty */
	LF_CLIENT,     /* %h, %a, $remote_addr: non-empty */
	LF_IGNORE,     /* %l, %u in presets: any non-empty value, not kept */
	LF_TIME_CLF,   /* body of %t, $time_local: "10/Oct/2000:13:55:36 -0700" */
	LF_REQUEST,    /* %r, $request: "METHOD target[ protocol]" */
	LF_STATUS,     /* %>s, $status: exactly three digits */
	LF_BYTES,      /* %b, %O, $body_bytes_sent, ...: digits, or "-" */
	LF_REFERER,    /* %{Referer}i, $http_referer */
	LF_USER_AGENT, /* %{User-Agent}i, $http_user_agent */
	LF_SKIP,       /* any value, also empty, not kept */
	LF_COUNT,      /* digits, not kept (Traefik's request count, duration) */
	LF_HOST,       /* %v, %V, %{Host}i, $host, ...: may be empty or "-" */
	LF_XFF,        /* %{X-Forwarded-For}i, $http_x_forwarded_for */
	LF_METHOD,     /* %m, $request_method */
	LF_URI,        /* $request_uri, %U%q: the whole target */
	LF_URI_NGX,    /* $uri$is_args$args: the target, "-" ends it without query */
	LF_PATH,       /* %U, $uri: path without query */
	LF_QUERY,      /* %q ("?q" or ""), $args ("q", "" or "-") */
	LF_TIME_ISO,   /* $time_iso8601 */
	LF_TIME_EPOCH, /* $msec, %{sec}t: seconds with optional fraction, UTC */
	LF_TIME_MSEC,  /* %{msec}t: integer milliseconds */
	LF_TIME_USEC,  /* %{usec}t: integer microseconds */
	LF_TIME_STRF,  /* %{strftime format}t */
};

#define LF_MAX_ITEMS 48
#define LF_POOL 1024
#define LF_W3C_MAX 64
#define LF_DETECT_LINES 20
#define LF_DELIM_EOL (-1)

/* How a field's value ends, worked out from the items when compiled. */
enum {
	LF_END_DELIM = 0, /* at the first `delim` byte */
	LF_END_QUOTE,     /* at the first unescaped '"' */
	LF_END_EOL,       /* at the end of the line */
	LF_END_SLOW,      /* at `delim` after nsp spaces / ", " lists (field_end) */
};
#define LF_JSON_DEPTH 8
/* For the small helpers of the hot loop, which the compiler would
 * otherwise call out of line now that the W3C and JSON parsers share them. */
#define LF_HOT static inline __attribute__((always_inline))

struct lf_item {
	const char *lit;       /* literal before the field, in the owner's pool */
	const char *arg;       /* LF_TIME_STRF: the strftime format, in the pool */
	unsigned short litn, argn;
	unsigned char field;   /* enum lf_field */
	unsigned char end;     /* how the value ends: LF_END_* */
	unsigned char quoted;  /* value ends at the first unescaped '"' */
	unsigned char nsp;     /* spaces inside the value (delim ' ' only) */
	unsigned char commasp; /* ", " inside the value is not its end */
	short delim;           /* byte that ends an unquoted value, or LF_DELIM_EOL */
};

/* W3C columns. */
enum w3c_col {
	W_SKIP = 0, W_DATE, W_TIME, W_CIP, W_METHOD, W_STEM, W_QUERY, W_UA,
	W_REFERER, W_HOST, W_XFF, W_STATUS,
};

struct logfmt {
	enum logfmt_kind kind;
	const char *name;       /* static string */
	unsigned nitems;
	unsigned char extra_ok; /* " anything" may follow the tail */
	unsigned char join_query; /* target = path "?" query (LF_PATH + LF_QUERY) */
	unsigned char clf;      /* items are Apache's combined (1) or
	                         * vhost_combined (2): parse_clf may try first */
	unsigned char traefik;  /* the traefik preset: a line the items do not
	                         * fit goes to parse_traefik (other versions) */
	unsigned short tailn;
	const char *tail;       /* literal after the last field, in the pool */
	struct lf_item items[LF_MAX_ITEMS];
	unsigned nw3c;
	unsigned char w3c[LF_W3C_MAX]; /* enum w3c_col per column */
	unsigned char cloudfront; /* w3c from Amazon CloudFront (x-edge-location):
	                           * user agents are percent-encoded twice */
	size_t pooln;
	char pool[LF_POOL];
};

/* A preset: its name and its fields, each with the literal before it. */
struct lf_preset_item {
	const char *lit;
	enum lf_field field;
};

struct lf_preset {
	const char *name;
	const char *tail;
	int extra_ok;
	struct lf_preset_item items[16]; /* ends at lit == NULL */
};

static const struct lf_preset presets[] = {
	{"vhost_combined", "\"", 1, {
		{"", LF_VHOST}, {" ", LF_CLIENT}, {" ", LF_IGNORE}, {" ", LF_IGNORE},
		{" [", LF_TIME_CLF}, {"] \"", LF_REQUEST}, {"\" ", LF_STATUS},
		{" ", LF_BYTES}, {" \"", LF_REFERER}, {"\" \"", LF_USER_AGENT}}},
	/* Traefik's CLF: combined, then the request count, "router" "service
	 * URL" and the duration as "<n>ms". */
	{"traefik", "ms", 0, {
		{"", LF_CLIENT}, {" ", LF_IGNORE}, {" ", LF_IGNORE},
		{" [", LF_TIME_CLF}, {"] \"", LF_REQUEST}, {"\" ", LF_STATUS},
		{" ", LF_BYTES}, {" \"", LF_REFERER}, {"\" \"", LF_USER_AGENT},
		{"\" ", LF_COUNT}, {" \"", LF_SKIP}, {"\" \"", LF_SKIP}, {"\" ", LF_COUNT}}},
	{"combined", "\"", 1, {
		{"", LF_CLIENT}, {" ", LF_IGNORE}, {" ", LF_IGNORE},
		{" [", LF_TIME_CLF}, {"] \"", LF_REQUEST}, {"\" ", LF_STATUS},
		{" ", LF_BYTES}, {" \"", LF_REFERER}, {"\" \"", LF_USER_AGENT}}},
	{"common", "", 0, {
		{"", LF_CLIENT}, {" ", LF_IGNORE}, {" ", LF_IGNORE},
		{" [", LF_TIME_CLF}, {"] \"", LF_REQUEST}, {"\" ", LF_STATUS},
		{" ", LF_BYTES}}},
};
#define LF_NPRESETS (sizeof presets / sizeof presets[0])

/* Every preset in order of specificity: detection prefers the earlier one
 * on ties. */
static const char *const detect_order[] = {
	"vhost_combined", "traefik", "combined", "common", "alb", "haproxy", "w3c", "json",
};
#define LF_NDETECT (sizeof detect_order / sizeof detect_order[0])

/* IIS's default columns, for "w3c" before any #Fields line. */
static const char w3c_default_fields[] =
	"date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
	"cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

/* CloudFront's standard log columns, for "cloudfront" before any #Fields
 * line (the AWS documentation's list; new columns are added at the end). */
static const char cloudfront_default_fields[] =
	"date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
	"cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
	"x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for "
	"ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status "
	"fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type "
	"sc-content-type sc-content-len sc-range-start sc-range-end";

/* kr_str is const for the record's readers, but the parser's slices point
 * into the writable line it was handed: the way back to char *, without a
 * cast that drops a qualifier. */
static inline char *line_bytes(const char *p)
{
	return (char *)(uintptr_t)p;
}

static inline int is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10;
}

static inline int is_alpha(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26;
}

static inline unsigned char lower(unsigned char c)
{
	return (unsigned)(c - 'A') < 26 ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* 1 when the n bytes at p equal the NUL-terminated s, ignoring ASCII case. */
static int eq_nocase(const char *p, size_t n, const char *s)
{
	size_t i;
	for (i = 0; i < n && s[i] != '\0'; i++)
		if (lower((unsigned char)p[i]) != lower((unsigned char)s[i]))
			return 0;
	return i == n && s[i] == '\0';
}

/* 1 when the n bytes at p equal s exactly. */
static int eq(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(p, s, n) == 0;
}

/* ---------------------------------------------------------------------
 * Building field lists
 */

struct lf_builder {
	logfmt *f;
	const char *spec;      /* the format string, for messages */
	char *lit;             /* current literal, at the end of the pool */
	size_t litn;
	int overflow;          /* pool or items ran out */
	int isargs;            /* nginx: last item is $uri followed by $is_args */
	unsigned char rank[LF_MAX_ITEMS]; /* preference among same-purpose fields */
	char *err;
	size_t errlen;
};

static logfmt *fmt_alloc(enum logfmt_kind kind, const char *name)
{
	logfmt *f = calloc(1, sizeof *f);
	if (f != NULL) {
		f->kind = kind;
		f->name = name;
	}
	return f;
}

static void b_init(struct lf_builder *b, logfmt *f, const char *spec, char *err, size_t errlen)
{
	memset(b, 0, sizeof *b);
	b->f = f;
	b->spec = spec;
	b->lit = f->pool;
	b->err = err;
	b->errlen = errlen;
}

/* Appends c to the current literal. */
static void b_char(struct lf_builder *b, char c)
{
	if (b->f->pooln >= LF_POOL) {
		b->overflow = 1;
		return;
	}
	b->f->pool[b->f->pooln++] = c;
	b->litn++;
}

/* Ends the current literal with a field. Adjacent fields (no literal
 * between them) are refused, except the target pieces %U%q and
 * $uri$is_args$args, which become one field. Returns 0, or -1 with err set. */
static int b_field(struct lf_builder *b, enum lf_field field, int rank, const char *arg,
                   size_t argn, const char *dir, size_t dirn)
{
	logfmt *f = b->f;
	struct lf_item *prev = f->nitems > 0 ? &f->items[f->nitems - 1] : NULL;

	if (prev != NULL && b->litn == 0) {
		if (prev->field == LF_PATH && field == LF_QUERY && !b->isargs && dir[0] == '%') {
			prev->field = LF_URI;
			return 0;
		}
		if (prev->field == LF_PATH && field == LF_SKIP && eq(dir, dirn, "$is_args")) {
			b->isargs = 1;
			return 0;
		}
		if (prev->field == LF_PATH && field == LF_QUERY && b->isargs) {
			prev->field = LF_URI_NGX;
			b->isargs = 0;
			return 0;
		}
		if (b->err != NULL && b->errlen > 0)
			snprintf(b->err, b->errlen,
			         "invalid log format '%s': no text between '%.*s' and the field before it",
			         b->spec, (int)dirn, dir);
		return -1;
	}
	if (b->isargs) {
		msg_set(b->err, b->errlen,
		        "invalid log format '%s': '$is_args' must be followed by '$args'", b->spec);
		return -1;
	}
	if (f->nitems >= LF_MAX_ITEMS) {
		b->overflow = 1;
		return 0;
	}
	struct lf_item *it = &f->items[f->nitems];
	it->lit = b->lit;
	it->litn = (unsigned short)b->litn;
	it->field = (unsigned char)field;
	b->rank[f->nitems] = (unsigned char)rank;
	f->nitems++;
	if (arg != NULL) {
		if (f->pooln + argn > LF_POOL) {
			b->overflow = 1;
			return 0;
		}
		memcpy(f->pool + f->pooln, arg, argn);
		it->arg = f->pool + f->pooln;
		it->argn = (unsigned short)argn;
		f->pooln += argn;
	}
	b->lit = f->pool + f->pooln;
	b->litn = 0;
	return 0;
}

/* Spaces a strftime format writes (its literal spaces). */
static unsigned strf_spaces(const char *s, size_t n)
{
	unsigned k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%')
			i++;
		else if (s[i] == ' ')
			k++;
	}
	return k;
}

/* Ends the list: stores the tail and works out each field's end. */
static int b_finish(struct lf_builder *b)
{
	logfmt *f = b->f;

	if (b->isargs) {
		msg_set(b->err, b->errlen,
		        "invalid log format '%s': '$is_args' must be followed by '$args'", b->spec);
		return -1;
	}
	if (b->overflow) {
		msg_set(b->err, b->errlen, "invalid log format '%s': too long", b->spec);
		return -1;
	}
	f->tail = b->lit;
	f->tailn = (unsigned short)b->litn;
	for (unsigned i = 0; i < f->nitems; i++) {
		struct lf_item *it = &f->items[i];
		const char *next = i + 1 < f->nitems ? f->items[i + 1].lit : f->tail;
		unsigned nextn = i + 1 < f->nitems ? f->items[i + 1].litn : f->tailn;
		/* Between quotes: '"' before and after ("%r" but not "%m %U %H"). */
		it->quoted = it->litn > 0 && it->lit[it->litn - 1] == '"' && nextn > 0
		             && next[0] == '"';
		it->delim = nextn > 0 ? (short)(unsigned char)next[0] : LF_DELIM_EOL;
		it->nsp = 0;
		if (!it->quoted && it->delim == ' ') {
			if (it->field == LF_TIME_CLF)
				it->nsp = 1;
			else if (it->field == LF_TIME_STRF)
				it->nsp = (unsigned char)strf_spaces(it->arg, it->argn);
		}
		if (it->quoted)
			it->end = LF_END_QUOTE;
		else if (it->delim == LF_DELIM_EOL)
			it->end = LF_END_EOL;
		else if (it->nsp > 0 || it->commasp)
			it->end = LF_END_SLOW;
		else
			it->end = LF_END_DELIM;
	}
	return 0;
}

/* Sets f->clf when f's items are exactly Apache's combined or
 * vhost_combined, whatever they were built from. */
static void mark_clf(logfmt *f)
{
	static const struct lf_preset_item shape[] = {
		{"", LF_VHOST}, {" ", LF_CLIENT}, {" ", LF_IGNORE}, {" ", LF_IGNORE},
		{" [", LF_TIME_CLF}, {"] \"", LF_REQUEST}, {"\" ", LF_STATUS}, {" ", LF_BYTES},
		{" \"", LF_REFERER}, {"\" \"", LF_USER_AGENT},
	};
	const unsigned n = sizeof shape / sizeof shape[0];
	f->clf = 0;
	if (f->kind != LOGFMT_KIND_FIELDS || f->join_query || f->tailn != 1 || f->tail[0] != '"')
		return;
	unsigned skip = f->nitems == n ? 0 : 1; /* combined: no vhost */
	if (f->nitems + skip != n)
		return;
	for (unsigned i = 0; i < f->nitems; i++) {
		const struct lf_item *it = &f->items[i];
		const char *lit = i == 0 ? "" : shape[i + skip].lit;
		if (it->field != shape[i + skip].field || it->litn != strlen(lit) ||
		    memcmp(it->lit, lit, it->litn) != 0)
			return;
	}
	f->clf = (unsigned char)(2 - skip);
}

static logfmt *compile_preset(const struct lf_preset *p)
{
	struct lf_builder b;
	logfmt *f = fmt_alloc(LOGFMT_KIND_FIELDS, p->name);
	if (f == NULL)
		return NULL;
	b_init(&b, f, p->name, NULL, 0);
	for (unsigned i = 0; i < 16 && p->items[i].lit != NULL; i++) {
		for (const char *c = p->items[i].lit; *c; c++)
			b_char(&b, *c);
		b_field(&b, p->items[i].field, 0, NULL, 0, "", 0);
	}
	for (const char *c = p->tail; *c; c++)
		b_char(&b, *c);
	b_finish(&b);
	f->extra_ok = (unsigned char)p->extra_ok;
	f->traefik = strcmp(p->name, "traefik") == 0;
	mark_clf(f);
	return f;
}

/* ---------------------------------------------------------------------
 * strftime-style times (Apache %{format}t)
 */

/* Reads min..max digits at *pp (not past e) into *v. Returns 0, or -1. */
static int rd_num(const char **pp, const char *e, unsigned min, unsigned max, unsigned *v)
{
	const char *p = *pp;
	unsigned r = 0, k = 0;
	while (k < max && p < e && is_digit((unsigned char)*p)) {
		r = r * 10 + (unsigned)(*p - '0');
		p++;
		k++;
	}
	if (k < min)
		return -1;
	*pp = p;
	*v = r;
	return 0;
}

/* Month 1..12 of the English name or abbreviation at *pp (the full name
 * when full), case-insensitive; 0 when there is none. */
static unsigned rd_month(const char **pp, const char *e, int full)
{
	static const char *const names[12] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"};
	const char *p = *pp;
	if (e - p < 3)
		return 0;
	for (unsigned i = 0; i < 12; i++) {
		if (!eq_nocase(p, 3, (char[4]){names[i][0], names[i][1], names[i][2], 0}))
			continue;
		size_t n = 3;
		if (full) {
			n = strlen(names[i]);
			if ((size_t)(e - p) < n || !eq_nocase(p, n, names[i]))
				return 0;
		}
		*pp = p + n;
		return i + 1;
	}
	return 0;
}

/* Reads a UTC offset "+hhmm", "+hh:mm" or "Z" at *pp into *off (seconds).
 * Returns 0, or -1. */
static int rd_offset(const char **pp, const char *e, int64_t *off)
{
	const char *p = *pp;
	unsigned oh, om;
	if (p < e && *p == 'Z') {
		*off = 0;
		*pp = p + 1;
		return 0;
	}
	if (p >= e || (*p != '+' && *p != '-'))
		return -1;
	int neg = *p++ == '-';
	if (rd_num(&p, e, 2, 2, &oh))
		return -1;
	if (p < e && *p == ':')
		p++;
	if (rd_num(&p, e, 2, 2, &om) || om > 59 || oh > 18)
		return -1;
	*off = ((int64_t)oh * 3600 + om * 60) * (neg ? -1 : 1);
	*pp = p;
	return 0;
}

enum { ST_Y = 1, ST_MON = 2, ST_D = 4, ST_H = 8, ST_MIN = 16, ST_EPOCH = 32 };

/* What strf_parse has read so far: the fields, which of them (ST_*), the
 * UTC offset (%z) and the epoch seconds (%s). */
struct strf_time {
	unsigned y, m, d, hh, mi, ss, have;
	int64_t off, epoch;
};

/* Reads the date conversion %c (Y y m d e b h B F D) at *pp into t.
 * Returns 0, -1 when the value does not fit, or 1 when c is no date
 * conversion. */
static inline int strf_date(char c, const char **pp, const char *e, struct strf_time *t)
{
	const char *p = *pp;
	unsigned v;
	switch (c) {
	case 'Y':
		if (rd_num(&p, e, 4, 4, &t->y))
			return -1;
		t->have |= ST_Y;
		break;
	case 'y':
		if (rd_num(&p, e, 2, 2, &v))
			return -1;
		t->y = 2000 + v;
		t->have |= ST_Y;
		break;
	case 'm':
		if (rd_num(&p, e, 2, 2, &t->m))
			return -1;
		t->have |= ST_MON;
		break;
	case 'd':
		if (rd_num(&p, e, 2, 2, &t->d))
			return -1;
		t->have |= ST_D;
		break;
	case 'e':
		if (p < e && *p == ' ')
			p++;
		if (rd_num(&p, e, 1, 2, &t->d))
			return -1;
		t->have |= ST_D;
		break;
	case 'b':
	case 'h':
	case 'B':
		if ((t->m = rd_month(&p, e, c == 'B')) == 0)
			return -1;
		t->have |= ST_MON;
		break;
	case 'F':
		if (rd_num(&p, e, 4, 4, &t->y) || p >= e || *p++ != '-'
		    || rd_num(&p, e, 2, 2, &t->m) || p >= e || *p++ != '-'
		    || rd_num(&p, e, 2, 2, &t->d))
			return -1;
		t->have |= ST_Y | ST_MON | ST_D;
		break;
	case 'D':
		if (rd_num(&p, e, 2, 2, &t->m) || p >= e || *p++ != '/'
		    || rd_num(&p, e, 2, 2, &t->d) || p >= e || *p++ != '/'
		    || rd_num(&p, e, 2, 2, &v))
			return -1;
		t->y = 2000 + v;
		t->have |= ST_Y | ST_MON | ST_D;
		break;
	default:
		return 1;
	}
	*pp = p;
	return 0;
}

/* Reads the conversion %c other than a date (a A Z H M S T R z s %) at
 * *pp into t. Returns 0, or -1 when the value does not fit or c is no
 * conversion strf_parse knows. */
static inline int strf_clock(char c, const char **pp, const char *e, struct strf_time *t)
{
	const char *p = *pp;
	switch (c) {
	case 'a':
	case 'A':
	case 'Z':
		if (p >= e || !is_alpha((unsigned char)*p))
			return -1;
		while (p < e && is_alpha((unsigned char)*p))
			p++;
		break;
	case 'H':
		if (rd_num(&p, e, 2, 2, &t->hh))
			return -1;
		t->have |= ST_H;
		break;
	case 'M':
		if (rd_num(&p, e, 2, 2, &t->mi))
			return -1;
		t->have |= ST_MIN;
		break;
	case 'S':
		if (rd_num(&p, e, 2, 2, &t->ss))
			return -1;
		break;
	case 'T':
	case 'R':
		if (rd_num(&p, e, 2, 2, &t->hh) || p >= e || *p++ != ':'
		    || rd_num(&p, e, 2, 2, &t->mi))
			return -1;
		if (c == 'T' && (p >= e || *p++ != ':' || rd_num(&p, e, 2, 2, &t->ss)))
			return -1;
		t->have |= ST_H | ST_MIN;
		break;
	case 'z':
		if (rd_offset(&p, e, &t->off))
			return -1;
		break;
	case 's': {
		const char *s0 = p;
		t->epoch = 0;
		while (p < e && is_digit((unsigned char)*p) && p - s0 < 15)
			t->epoch = t->epoch * 10 + (*p++ - '0');
		if (p == s0)
			return -1;
		t->have |= ST_EPOCH;
		break;
	}
	case '%':
		if (p >= e || *p++ != '%')
			return -1;
		break;
	default:
		return -1;
	}
	*pp = p;
	return 0;
}

/* Parses value [p, p + n) against the strftime format [fmt, fmt + fn).
 * Supports %Y %y %m %d %e %b %h %B %a %A %H %M %S %T %F %D %R %z %Z %s %%.
 * Returns 0 with the wall clock and instant, or -1. */
static int strf_parse(const char *fmt, size_t fn, const char *p, size_t n, int64_t *wall,
                      int64_t *instant_us)
{
	const char *e = p + n;
	struct strf_time t;
	int r;

	memset(&t, 0, sizeof t);
	for (size_t i = 0; i < fn; i++) {
		if (fmt[i] != '%') {
			if (p >= e || *p != fmt[i])
				return -1;
			p++;
			continue;
		}
		if (++i >= fn)
			return -1;
		if ((r = strf_date(fmt[i], &p, e, &t)) > 0)
			r = strf_clock(fmt[i], &p, e, &t);
		if (r != 0)
			return -1;
	}
	if (p != e)
		return -1;
	if (t.have & ST_EPOCH) {
		*wall = t.epoch;
		*instant_us = t.epoch * 1000000;
		return 0;
	}
	if ((t.have & (ST_Y | ST_MON | ST_D | ST_H | ST_MIN)) != (ST_Y | ST_MON | ST_D | ST_H | ST_MIN)
	    || !ktime_valid(t.y, t.m, t.d, t.hh, t.mi, t.ss))
		return -1;
	int64_t w = (int64_t)ktime_days_from_civil(t.y, t.m, t.d) * 86400 + (int64_t)t.hh * 3600
	            + (int64_t)t.mi * 60 + t.ss;
	*wall = w;
	*instant_us = (w - t.off) * 1000000;
	return 0;
}

/* 1 when a strftime format uses only what strf_parse reads and gives a
 * full date and time, else 0. */
static int strf_usable(const char *fmt, size_t fn)
{
	unsigned have = 0;
	for (size_t i = 0; i < fn; i++) {
		if (fmt[i] != '%')
			continue;
		if (++i >= fn)
			return 0;
		switch (fmt[i]) {
		case 'Y': case 'y': have |= ST_Y; break;
		case 'm': case 'b': case 'h': case 'B': have |= ST_MON; break;
		case 'd': case 'e': have |= ST_D; break;
		case 'H': have |= ST_H; break;
		case 'M': have |= ST_MIN; break;
		case 'T': case 'R': have |= ST_H | ST_MIN; break;
		case 'F': case 'D': have |= ST_Y | ST_MON | ST_D; break;
		case 's': have |= ST_EPOCH; break;
		case 'a': case 'A': case 'Z': case 'z': case 'S': case '%': break;
		default: return 0;
		}
	}
	return (have & ST_EPOCH) || (have & 31) == 31;
}

/* Parses unsigned decimal [p, p + n) with an optional fraction (only when
 * frac_ok) as a count of units of 10^-scale seconds (scale 0, 3 or 6).
 * Wall is the UTC clock. Returns 0, or -1. */
static int parse_epoch(const char *p, size_t n, int scale, int frac_ok, int64_t *wall,
                       int64_t *instant_us)
{
	const char *e = p + n;
	int64_t v = 0, us = 0;
	const char *s0 = p;
	while (p < e && is_digit((unsigned char)*p) && p - s0 < 12 + scale)
		v = v * 10 + (*p++ - '0');
	if (p == s0)
		return -1;
	if (p < e && *p == '.' && frac_ok) {
		int64_t sc = 100000;
		p++;
		if (p == e)
			return -1;
		while (p < e && is_digit((unsigned char)*p)) {
			us += (*p++ - '0') * sc;
			sc /= 10;
		}
	}
	if (p != e)
		return -1;
	int64_t unit = scale == 0 ? 1000000 : scale == 3 ? 1000 : 1;
	*instant_us = v * unit + us;
	*wall = *instant_us / 1000000;
	return 0;
}

/* ---------------------------------------------------------------------
 * Apache LogFormat and nginx log_format strings
 */

/* Keeps, per purpose, only the preferred field (highest rank, then first)
 * and turns the others into LF_SKIP; checks that the format logs a time, a
 * method, a target and a status. Returns 0, or -1 with err set. */
static int resolve(struct lf_builder *b)
{
	logfmt *f = b->f;
	int best_host = -1, best_client = -1, time_i = -1, req = -1, uri = -1;
	int method = -1, path = -1, query = -1, status = -1;

	for (unsigned i = 0; i < f->nitems; i++) {
		struct lf_item *it = &f->items[i];
		int *slot = NULL;
		switch (it->field) {
		case LF_HOST:
			if (best_host < 0 || b->rank[i] > b->rank[best_host]) {
				if (best_host >= 0)
					f->items[best_host].field = LF_SKIP;
				best_host = (int)i;
			} else {
				it->field = LF_SKIP;
			}
			continue;
		case LF_CLIENT:
			if (best_client < 0 || b->rank[i] > b->rank[best_client]) {
				if (best_client >= 0)
					f->items[best_client].field = LF_SKIP;
				best_client = (int)i;
			} else {
				it->field = LF_SKIP;
			}
			continue;
		case LF_TIME_CLF: case LF_TIME_ISO: case LF_TIME_EPOCH:
		case LF_TIME_MSEC: case LF_TIME_USEC: case LF_TIME_STRF:
			slot = &time_i;
			break;
		case LF_REQUEST: slot = &req; break;
		case LF_URI: case LF_URI_NGX: slot = &uri; break;
		case LF_METHOD: slot = &method; break;
		case LF_PATH: slot = &path; break;
		case LF_QUERY: slot = &query; break;
		case LF_STATUS: slot = &status; break;
		default: continue;
		}
		if (*slot >= 0)
			it->field = LF_SKIP;
		else
			*slot = (int)i;
	}
	/* The request line gives method and target; else $request_uri or
	 * %U%q; else path and query joined. */
	if (req >= 0) {
		if (method >= 0)
			f->items[method].field = LF_SKIP;
		method = req;
		uri = req;
	}
	if (uri >= 0) {
		if (path >= 0)
			f->items[path].field = LF_SKIP;
		if (query >= 0)
			f->items[query].field = LF_SKIP;
	} else if (path >= 0) {
		uri = path;
		f->join_query = query >= 0;
	} else if (query >= 0) {
		f->items[query].field = LF_SKIP;
	}
	const char *missing = time_i < 0 ? "time" : method < 0 ? "request method"
	                      : uri < 0 ? "request target" : status < 0 ? "status" : NULL;
	if (missing != NULL) {
		if (b->err != NULL && b->errlen > 0)
			snprintf(b->err, b->errlen, "invalid log format '%s': it logs no %s",
			         b->spec, missing);
		return -1;
	}
	return 0;
}

/* The field of Apache directive letter c with argument arg (may be NULL);
 * *rank tells apart fields with the same purpose. */
static enum lf_field apache_field(char c, const char *arg, size_t argn, int *rank)
{
	*rank = 0;
	switch (c) {
	case 'a': *rank = 2; return LF_CLIENT;
	case 'h': *rank = 1; return LF_CLIENT;
	case 'b': case 'B': case 'O': case 'I': case 'S': return LF_BYTES;
	case 'm': return LF_METHOD;
	case 'q': return LF_QUERY;
	case 'r': return LF_REQUEST;
	case 's': return LF_STATUS;
	case 'U': return LF_PATH;
	case 'v': *rank = 3; return LF_HOST;
	case 'V': *rank = 2; return LF_HOST;
	case 'i':
		if (arg == NULL)
			return LF_SKIP;
		if (eq_nocase(arg, argn, "User-Agent"))
			return LF_USER_AGENT;
		if (eq_nocase(arg, argn, "Referer"))
			return LF_REFERER;
		if (eq_nocase(arg, argn, "X-Forwarded-For"))
			return LF_XFF;
		if (eq_nocase(arg, argn, "Host")) {
			*rank = 1;
			return LF_HOST;
		}
		return LF_SKIP;
	case 't':
		if (arg == NULL)
			return LF_TIME_CLF;
		if (argn >= 6 && memcmp(arg, "begin:", 6) == 0) {
			arg += 6;
			argn -= 6;
		} else if (argn >= 4 && memcmp(arg, "end:", 4) == 0) {
			arg += 4;
			argn -= 4;
		}
		if (eq(arg, argn, "sec"))
			return LF_TIME_EPOCH;
		if (eq(arg, argn, "msec"))
			return LF_TIME_MSEC;
		if (eq(arg, argn, "usec"))
			return LF_TIME_USEC;
		return strf_usable(arg, argn) ? LF_TIME_STRF : LF_SKIP;
	default:
		return LF_SKIP;
	}
}

static logfmt *compile_apache(const char *spec, char *err, size_t errlen)
{
	struct lf_builder b;
	logfmt *f = fmt_alloc(LOGFMT_KIND_FIELDS, "apache LogFormat");
	const char *s = spec;

	if (f == NULL)
		goto oom;
	b_init(&b, f, spec, err, errlen);
	while (*s != '\0') {
		if (*s == '\\' && s[1] != '\0') {
			/* As written in httpd.conf: \" \t \n \\ */
			b_char(&b, s[1] == 't' ? '\t' : s[1] == 'n' ? '\n' : s[1]);
			s += 2;
			continue;
		}
		if (*s != '%') {
			b_char(&b, *s++);
			continue;
		}
		const char *d = s++;
		if (*s == '%') {
			b_char(&b, '%');
			s++;
			continue;
		}
		while (*s == '!' || *s == ',' || is_digit((unsigned char)*s))
			s++;
		while (*s == '<' || *s == '>')
			s++;
		const char *arg = NULL;
		size_t argn = 0;
		if (*s == '{') {
			const char *close = strchr(s + 1, '}');
			if (close == NULL) {
				msg_set(err, errlen, "invalid log format '%s': '{' without '}'", spec);
				goto fail;
			}
			arg = s + 1;
			argn = (size_t)(close - arg);
			s = close + 1;
		}
		enum lf_field field;
		int rank = 0;
		if (*s == '^' && s[1] != '\0' && s[2] != '\0') {
			s += 3; /* %{X}^ti, %{X}^to: trailers */
			field = LF_SKIP;
		} else if (*s == '\0' || *s == '^') {
			msg_set(err, errlen, "invalid log format '%s': incomplete '%%' directive", spec);
			goto fail;
		} else {
			field = apache_field(*s, arg, argn, &rank);
			s++;
		}
		if (field == LF_TIME_CLF && arg == NULL) {
			/* %t is written with its brackets. */
			b_char(&b, '[');
			if (b_field(&b, field, 0, NULL, 0, d, (size_t)(s - d)) != 0)
				goto fail;
			b_char(&b, ']');
			continue;
		}
		if (field == LF_TIME_STRF) {
			if (argn >= 6 && memcmp(arg, "begin:", 6) == 0) {
				arg += 6;
				argn -= 6;
			} else if (argn >= 4 && memcmp(arg, "end:", 4) == 0) {
				arg += 4;
				argn -= 4;
			}
		} else {
			arg = NULL;
			argn = 0;
		}
		if (b_field(&b, field, rank, arg, argn, d, (size_t)(s - d)) != 0)
			goto fail;
	}
	if (b_finish(&b) != 0 || resolve(&b) != 0)
		goto fail;
	mark_clf(f);
	return f;
oom:
	msg_set(err, errlen, "cannot build log format '%s': out of memory", spec);
fail:
	free(f);
	return NULL;
}

/* The field of nginx variable name[0..n); *rank as for apache_field, and
 * *commasp when the value may hold ", " (upstream lists). */
static enum lf_field nginx_field(const char *v, size_t n, int *rank, int *commasp)
{
	*rank = 0;
	*commasp = n > 9 && memcmp(v, "upstream_", 9) == 0;
	if (eq(v, n, "remote_addr")) { *rank = 2; return LF_CLIENT; }
	if (eq(v, n, "host")) { *rank = 3; return LF_HOST; }
	if (eq(v, n, "server_name")) { *rank = 2; return LF_HOST; }
	if (eq(v, n, "http_host")) { *rank = 1; return LF_HOST; }
	if (eq(v, n, "time_local")) return LF_TIME_CLF;
	if (eq(v, n, "time_iso8601")) return LF_TIME_ISO;
	if (eq(v, n, "msec")) return LF_TIME_EPOCH;
	if (eq(v, n, "request")) return LF_REQUEST;
	if (eq(v, n, "request_uri")) return LF_URI;
	if (eq(v, n, "uri") || eq(v, n, "document_uri")) return LF_PATH;
	if (eq(v, n, "args") || eq(v, n, "query_string")) return LF_QUERY;
	if (eq(v, n, "request_method")) return LF_METHOD;
	if (eq(v, n, "status")) return LF_STATUS;
	if (eq(v, n, "body_bytes_sent") || eq(v, n, "bytes_sent") || eq(v, n, "request_length"))
		return LF_BYTES;
	if (eq(v, n, "http_user_agent")) return LF_USER_AGENT;
	if (eq(v, n, "http_referer")) return LF_REFERER;
	if (eq(v, n, "http_x_forwarded_for")) return LF_XFF;
	return LF_SKIP;
}

static logfmt *compile_nginx(const char *spec, char *err, size_t errlen)
{
	struct lf_builder b;
	logfmt *f = fmt_alloc(LOGFMT_KIND_FIELDS, "nginx log_format");
	const char *s = spec;

	if (f == NULL) {
		msg_set(err, errlen, "cannot build log format '%s': out of memory", spec);
		return NULL;
	}
	b_init(&b, f, spec, err, errlen);
	while (*s != '\0') {
		if (*s != '$') {
			b_char(&b, *s++);
			continue;
		}
		const char *name = ++s;
		size_t n;
		if (*s == '{') {
			const char *close = strchr(s, '}');
			if (close == NULL) {
				msg_set(err, errlen, "invalid log format '%s': '${' without '}'", spec);
				goto fail;
			}
			name = s + 1;
			n = (size_t)(close - name);
			s = close + 1;
		} else {
			while (is_alpha((unsigned char)*s) || is_digit((unsigned char)*s) || *s == '_')
				s++;
			n = (size_t)(s - name);
		}
		if (n == 0) {
			b_char(&b, '$');
			continue;
		}
		int rank, commasp;
		enum lf_field field = nginx_field(name, n, &rank, &commasp);
		/* b_field wants the directive as "$name" for $is_args. */
		char dir[64];
		int dn = snprintf(dir, sizeof dir, "$%.*s", (int)(n < 60 ? n : 60), name);
		if (b_field(&b, field, rank, NULL, 0, dir, (size_t)dn) != 0)
			goto fail;
		if (commasp && f->nitems > 0)
			f->items[f->nitems - 1].commasp = 1;
	}
	if (b_finish(&b) != 0 || resolve(&b) != 0)
		goto fail;
	return f;
fail:
	free(f);
	return NULL;
}

/* ---------------------------------------------------------------------
 * W3C extended
 */

/* Fills f's columns from the names in [s, s + n) (space-separated).
 * Returns 0, or -1 with err set. */
static int w3c_columns(logfmt *f, const char *s, size_t n, char *err, size_t errlen)
{
	const char *e = s + n, *p = s;
	unsigned have = 0, k = 0;
	int host = -1, host1 = -1, xhost = -1;

	while (p < e) {
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p == e)
			break;
		const char *t = p;
		while (p < e && *p != ' ' && *p != '\t')
			p++;
		size_t tn = (size_t)(p - t);
		if (k >= LF_W3C_MAX) {
			msg_set(err, errlen, "invalid #Fields line: more than %s fields", "64");
			return -1;
		}
		enum w3c_col c = W_SKIP;
		/* IIS Advanced Logging writes date-local and time-local */
		if (eq_nocase(t, tn, "date") || eq_nocase(t, tn, "date-local")) c = W_DATE;
		else if (eq_nocase(t, tn, "time") || eq_nocase(t, tn, "time-local")) c = W_TIME;
		else if (eq_nocase(t, tn, "c-ip")) c = W_CIP;
		else if (eq_nocase(t, tn, "cs-method")) c = W_METHOD;
		else if (eq_nocase(t, tn, "cs-uri-stem")) c = W_STEM;
		else if (eq_nocase(t, tn, "cs-uri-query")) c = W_QUERY;
		else if (eq_nocase(t, tn, "cs(User-Agent)")) c = W_UA;
		else if (eq_nocase(t, tn, "cs(Referer)")) c = W_REFERER;
		else if (eq_nocase(t, tn, "cs-host")) { c = W_HOST; host = (int)k; }
		else if (eq_nocase(t, tn, "cs(Host)")) { c = W_HOST; host1 = (int)k; }
		else if (eq_nocase(t, tn, "x-host-header")) { c = W_HOST; xhost = (int)k; }
		else if (eq_nocase(t, tn, "x-edge-location")) f->cloudfront = 1;
		else if (eq_nocase(t, tn, "sc-status")) c = W_STATUS;
		else if (eq_nocase(t, tn, "cs(X-Forwarded-For)") || eq_nocase(t, tn, "X-Forwarded-For"))
			c = W_XFF;
		if (c != W_SKIP && c != W_HOST && (have & (1u << c)))
			c = W_SKIP; /* a repeated column: the first one counts */
		have |= 1u << c;
		f->w3c[k++] = (unsigned char)c;
	}
	/* CloudFront's x-host-header (the Host the viewer sent) wins over
	 * cs(Host), which there is the distribution's own name; cs-host wins
	 * over the Host header. */
	if (xhost >= 0 || host >= 0) {
		if (host1 >= 0)
			f->w3c[host1] = W_SKIP;
		if (xhost >= 0 && host >= 0)
			f->w3c[host] = W_SKIP;
	}
	static const struct { enum w3c_col c; const char *name; } need[] = {
		{W_DATE, "date"}, {W_TIME, "time"}, {W_METHOD, "cs-method"},
		{W_STEM, "cs-uri-stem"}, {W_STATUS, "sc-status"}};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		if (!(have & (1u << need[i].c))) {
			msg_set(err, errlen, "invalid #Fields line: no '%s' field", need[i].name);
			return -1;
		}
	}
	f->nw3c = k;
	return 0;
}

/* A new w3c format with the columns named in [s, s + n); named
 * "cloudfront" when the columns are CloudFront's (x-edge-location). */
static logfmt *w3c_new(const char *s, size_t n, char *err, size_t errlen)
{
	logfmt *f = fmt_alloc(LOGFMT_KIND_W3C, "w3c");
	if (f == NULL) {
		msg_set(err, errlen, "%s", "cannot build log format 'w3c': out of memory");
		return NULL;
	}
	if (w3c_columns(f, s, n, err, errlen) != 0) {
		free(f);
		return NULL;
	}
	if (f->cloudfront)
		f->name = "cloudfront";
	return f;
}

/* When [line, line + len) is a "#Fields:" line, points *cols at its column
 * list and returns 1; else 0. */
static int w3c_fields_line(const char *line, size_t len, const char **cols, size_t *ncols)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len < 8 || memcmp(line, "#Fields:", 8) != 0)
		return 0;
	*cols = line + 8;
	*ncols = len - 8;
	return 1;
}

/* 1 when the line is one of the W3C directives. */
static int w3c_directive(const char *line, size_t len)
{
	static const char *const names[] = {
		"#Fields:", "#Software:", "#Version:", "#Date:", "#Remark:",
		"#Start-Date:", "#End-Date:"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i]);
		if (len >= n && memcmp(line, names[i], n) == 0)
			return 1;
	}
	return 0;
}

int logfmt_has_directives(const logfmt *f)
{
	return f != NULL && f->kind == LOGFMT_KIND_W3C;
}

logfmt *logfmt_directive(const logfmt *f, const char *line, size_t len, char *err,
                         size_t errlen)
{
	const char *cols;
	size_t ncols;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (!logfmt_has_directives(f) || !w3c_fields_line(line, len, &cols, &ncols))
		return NULL;
	return w3c_new(cols, ncols, err, errlen);
}

/* ---------------------------------------------------------------------
 * Building formats
 */

/* Returns the format spec (see logfmt.h), or NULL with a message in err. */
logfmt *logfmt_new(const char *spec, char *err, size_t errlen)
{
	logfmt *f;

	if (spec == NULL)
		spec = "";
	if (strchr(spec, '%') != NULL)
		return compile_apache(spec, err, errlen);
	if (strchr(spec, '$') != NULL)
		return compile_nginx(spec, err, errlen);
	for (size_t i = 0; i < LF_NPRESETS; i++) {
		if (strcmp(spec, presets[i].name) == 0) {
			f = compile_preset(&presets[i]);
			goto built;
		}
	}
	if (strcmp(spec, "w3c") == 0)
		return w3c_new(w3c_default_fields, sizeof w3c_default_fields - 1, err, errlen);
	if (strcmp(spec, "cloudfront") == 0)
		return w3c_new(cloudfront_default_fields, sizeof cloudfront_default_fields - 1,
		               err, errlen);
	if (strcmp(spec, "alb") == 0) {
		f = fmt_alloc(LOGFMT_KIND_ALB, "alb");
		goto built;
	}
	if (strcmp(spec, "haproxy") == 0) {
		f = fmt_alloc(LOGFMT_KIND_HAPROXY, "haproxy");
		goto built;
	}
	if (strcmp(spec, "json") == 0) {
		f = fmt_alloc(LOGFMT_KIND_JSON, "json");
		goto built;
	}
	msg_set(err, errlen, "unknown log format '%s'", spec);
	return NULL;
built:
	if (f == NULL)
		msg_set(err, errlen, "cannot build log format '%s': out of memory", spec);
	return f;
}

/* Returns the static name of f. */
const char *logfmt_name(const logfmt *f)
{
	return f->name;
}

/* Frees f (a logfmt owns no other memory); NULL is a no-op. */
void logfmt_free(logfmt *f)
{
	free(f);
}

/* ---------------------------------------------------------------------
 * Parsing helpers shared by the kinds
 */

static int hexval(unsigned char c);

/* Undoes, in place, the escapes Apache (ap_escape_logitem) and nginx
 * (escape=default) write inside quoted fields: \" \\ \xHH and \b \n \r \t
 * \v. Another backslash is kept as written. Returns the new length. Used
 * for the user agent, which keys visitors: the same browser must give the
 * same key in a text log and in a JSON log (which is decoded too). */
static size_t unescape_quoted(char *p, size_t n)
{
	size_t r = 0, w = 0;
	while (r < n) {
		char c = p[r];
		if (c != '\\' || r + 1 == n) {
			p[w++] = c;
			r++;
			continue;
		}
		char e = p[r + 1];
		int hi, lo;
		switch (e) {
		case '"': case '\\': p[w++] = e; r += 2; break;
		case 'b': p[w++] = '\b'; r += 2; break;
		case 'n': p[w++] = '\n'; r += 2; break;
		case 'r': p[w++] = '\r'; r += 2; break;
		case 't': p[w++] = '\t'; r += 2; break;
		case 'v': p[w++] = '\v'; r += 2; break;
		case 'x':
			if (r + 3 < n && (hi = hexval((unsigned char)p[r + 2])) >= 0 &&
			    (lo = hexval((unsigned char)p[r + 3])) >= 0) {
				p[w++] = (char)(hi << 4 | lo);
				r += 4;
				break;
			}
			KR_FALLTHROUGH;
		default:
			p[w++] = c;
			r++;
		}
	}
	return w;
}

/* memchr over [p, end). (A byte loop for short fields was tried: more
 * instructions and no faster than glibc's vector memchr.) */
static inline char *find_byte(char *p, char *end, int c)
{
	return memchr(p, c, (size_t)(end - p));
}

/* Returns the first '"' in [p, end) not escaped by an odd number of
 * backslashes, or NULL. */
static char *find_quote(char *p, char *end)
{
	char *start = p;
	for (;;) {
		char *q = find_byte(p, end, '"');
		if (q == NULL)
			return NULL;
		size_t bs = 0;
		while (q - bs > start && q[-(ptrdiff_t)bs - 1] == '\\')
			bs++;
		if ((bs & 1) == 0)
			return q;
		p = q + 1;
	}
}

/* Bit 7 set in each byte of w that is an ASCII capital; no carries cross
 * bytes (seven low bits plus at most 0x3f stay below 0x100). */
static inline uint64_t upper_bytes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	uint64_t x = w & ~high;
	return (x + ones * (0x80 - 'A')) & ~(x + ones * (0x80 - 'Z' - 1)) & ~w & high;
}

/* Lower-cases h in place (ASCII letters only), eight bytes at a time;
 * writes only the words that hold a capital. */
static void lower_ascii(char *h, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, h + i, 8);
		uint64_t up = upper_bytes(w);
		if (up) {
			w |= up >> 2; /* 0x80 >> 2 == 'a' - 'A' */
			memcpy(h + i, &w, 8);
		}
	}
	for (; i < n; i++)
		if ((unsigned)(h[i] - 'A') < 26)
			h[i] = (char)(h[i] + ('a' - 'A'));
}

/* logfmt_host_norm, inlined where log lines are parsed. */
static inline kr_str host_norm(char *h, size_t n)
{
	lower_ascii(h, n);
	/* the last ':' has only digits after it when the run of digits at
	 * the end is preceded by one */
	size_t k = n;
	while (k > 0 && is_digit((unsigned char)h[k - 1]))
		k--;
	if (k > 0 && h[k - 1] == ':') {
		char *colon = h + k - 1;
		int strip;
		if (h[0] == '[')
			strip = colon > h && colon[-1] == ']';
		else
			strip = memchr(h, ':', k - 1) == NULL;
		if (strip)
			n = k - 1;
	}
	if (n > 0 && h[n - 1] == '.')
		n--;
	return (kr_str){h, n};
}

kr_str logfmt_host_norm(char *h, size_t n)
{
	return host_norm(h, n);
}

static inline int lower_eq(const char *p, const char *lit, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)p[i]) != (unsigned char)lit[i])
			return 0;
	return 1;
}

/* Reduces an absolute-form target "http://h/p?q" to "/p?q" ("/" when the
 * path is empty) and stores its host (normalized) in *host. For "http://h?q"
 * the host bytes move one byte left to make room for the '/' of "/?q".
 * Other targets are left alone and *host is untouched. */
LF_HOT void absolute_form(kr_str *target, kr_str *host)
{
	char *t = line_bytes(target->p);
	size_t tn = target->n, s;

	if (tn >= 7 && lower_eq(t, "http://", 7))
		s = 7;
	else if (tn >= 8 && lower_eq(t, "https://", 8))
		s = 8;
	else
		return;
	char *a = t + s, *e = t + tn, *q = a;
	while (q < e && *q != '/' && *q != '?')
		q++;
	char *at = kr_memrchr(a, '@', (size_t)(q - a));
	char *h = at != NULL ? at + 1 : a;
	size_t hn = (size_t)(q - h);
	if (q == e) {
		*target = (kr_str){a - 1, 1};
	} else if (*q == '/') {
		*target = (kr_str){q, (size_t)(e - q)};
	} else {
		memmove(h - 1, h, hn);
		h--;
		q[-1] = '/';
		*target = (kr_str){q - 1, (size_t)(e - q + 1)};
	}
	*host = host_norm(h, hn);
}

/* Splits the request line [p, p + n) into method, target and optional
 * protocol (a last word starting with "HTTP/"). Returns 0, or -1 when there
 * is no method or no target (e.g. "-"); the callers then keep the line as
 * a record without a request (see no_request). */
LF_HOT int split_request(char *p, size_t n, kr_record *rec)
{
	char *end = p + n;
	char *sp = memchr(p, ' ', n);
	if (sp == NULL || sp == p)
		return -1;
	rec->method = (kr_str){p, (size_t)(sp - p)};
	char *t = sp + 1;
	char *te = end;
	char *last = kr_memrchr(t, ' ', (size_t)(end - t));
	if (last != NULL && end - last > 5 && memcmp(last + 1, "HTTP/", 5) == 0)
		te = last;
	else if (last == NULL && end - t >= 5 && memcmp(t, "HTTP/", 5) == 0)
		te = t; /* "GET HTTP/1.1": the protocol but no target */
	if (te == t)
		return -1;
	rec->target = (kr_str){t, (size_t)(te - t)};
	return 0;
}

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

LF_HOT int three_digits(const char *p, size_t n, int *status)
{
	if (n != 3 || !is_digit((unsigned char)p[0]) || !is_digit((unsigned char)p[1])
	    || !is_digit((unsigned char)p[2]))
		return -1;
	*status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	return 0;
}

/* 1 when slice s has a byte in [lo, hi). */
static int overlaps(kr_str s, const char *lo, const char *hi)
{
	return s.n > 0 && s.p < hi && s.p + s.n > lo;
}

/* Makes rec->target the path [path] plus "?" and the query [query] (both
 * slices of the line, query after path), moving bytes in the line. The
 * bytes between them are overwritten, so this is done only when none of
 * the record's other slices (and *vhost) lie there; else the target stays
 * the path alone. */
static void join_target(kr_record *rec, kr_str path, kr_str query, const kr_str *vhost)
{
	char *a = line_bytes(path.p), *b = line_bytes(query.p);
	size_t pn = path.n, qn = query.n;

	if (b == a + pn + 1 && b[-1] == '?') {
		rec->target = (kr_str){a, pn + 1 + qn};
		return;
	}
	rec->target = path;
	if (b < a + pn + 1)
		return;
	const kr_str keep[] = {rec->client, *vhost, rec->method, rec->referer, rec->user_agent,
	                       rec->xff};
	const size_t nkeep = sizeof keep / sizeof keep[0];
	/* Either write "?query" right after the path (clobbering up to the
	 * query's new end) ... */
	const char *hi = a + pn + 1 + qn < b ? a + pn + 1 + qn : b;
	int clash = 0;
	for (size_t i = 0; i < nkeep; i++)
		clash |= overlaps(keep[i], a + pn, hi);
	if (!clash) {
		memmove(a + pn + 1, b, qn);
		a[pn] = '?';
		rec->target = (kr_str){a, pn + 1 + qn};
		return;
	}
	/* ... or move the path to just before "?query". */
	char *na = b - 1 - pn;
	const char *lo = na > a + pn ? na : a + pn;
	for (size_t i = 0; i < nkeep; i++)
		if (overlaps(keep[i], lo, b))
			return;
	memmove(na, a, pn);
	b[-1] = '?';
	rec->target = (kr_str){na, pn + 1 + qn};
}

/* Makes rec a record without a request: no method, no target. A line
 * whose request line holds none (Apache's "-" for a connection that timed
 * out, nginx's "" for an empty request, the bytes of a TLS handshake or a
 * scanner) is a request all the same, never a malformed line: with no
 * method it is excluded by the method rule (klantreis(1), MEASUREMENT,
 * "Records" and "Which requests count"). */
static void no_request(kr_record *rec)
{
	rec->method = (kr_str){NULL, 0};
	rec->target = (kr_str){NULL, 0};
}

/* A logged status of "-" (a request the client abandoned): status 0, which
 * the status rule excludes. Returns 0 when [p, p + n) is three digits or
 * "-", else -1. */
static int status_or_dash(const char *p, size_t n, int *status)
{
	if (n == 1 && p[0] == '-') {
		*status = 0;
		return 0;
	}
	return three_digits(p, n, status);
}

/* Common end of a parse: absolute-form target, host choice. A record
 * without a target has no request (no_request). */
LF_HOT void finish_record(kr_record *rec, kr_str vhost)
{
	kr_str target_host = {NULL, 0};
	if (rec->target.n == 0)
		no_request(rec);
	absolute_form(&rec->target, &target_host);
	if (vhost.n > 0 && !(vhost.n == 1 && vhost.p[0] == '-'))
		rec->host = host_norm(line_bytes(vhost.p), vhost.n);
	else
		rec->host = target_host;
}

/* ---------------------------------------------------------------------
 * W3C lines
 */

/* Parses "YYYY-MM-DD" and "hh:mm:ss[.fff]" as UTC. Returns 0, or -1. */
static int w3c_time(const char *d, size_t dn, const char *t, size_t tn, int64_t *wall,
                    int64_t *instant_us)
{
	const char *e;
	unsigned y, m, dd, hh, mi, ss;
	int64_t us = 0;

	e = d + dn;
	if (dn != 10 || rd_num(&d, e, 4, 4, &y) || *d++ != '-' || rd_num(&d, e, 2, 2, &m)
	    || *d++ != '-' || rd_num(&d, e, 2, 2, &dd))
		return -1;
	e = t + tn;
	if (tn < 8 || rd_num(&t, e, 2, 2, &hh) || *t++ != ':' || rd_num(&t, e, 2, 2, &mi)
	    || *t++ != ':' || rd_num(&t, e, 2, 2, &ss))
		return -1;
	if (t < e && *t == '.') {
		int64_t sc = 100000;
		if (++t == e)
			return -1;
		while (t < e && is_digit((unsigned char)*t)) {
			us += (*t++ - '0') * sc;
			sc /= 10;
		}
	}
	if (t != e || !ktime_valid(y, m, dd, hh, mi, ss))
		return -1;
	*wall = (int64_t)ktime_days_from_civil(y, m, dd) * 86400 + (int64_t)hh * 3600
	        + (int64_t)mi * 60 + ss;
	*instant_us = *wall * 1000000 + us;
	return 0;
}

static void plus_to_space(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '+')
			p[i] = ' ';
}

/* The closing quote of the quoted W3C field whose opening quote is at p
 * (a quote inside is written twice: ""), or NULL when there is none. */
static char *w3c_quote_end(char *p, char *end)
{
	char *q = p + 1;
	for (;;) {
		q = find_byte(q, end, '"');
		if (q == NULL || q + 1 == end || q[1] != '"')
			return q;
		q += 2;
	}
}

/* Undoes the doubled quotes of a quoted W3C field in place; returns the
 * new length. */
static size_t w3c_unquote(char *p, size_t n)
{
	size_t w = 0;
	for (size_t r = 0; r < n; r++) {
		p[w++] = p[r];
		if (p[r] == '"' && r + 1 < n && p[r + 1] == '"')
			r++;
	}
	return w;
}

/* Decodes, in place, escapes of a byte as esc and two hex digits: "%XX"
 * in URLs and CloudFront's fields, "#XX" in HAProxy's captured headers.
 * Returns the new length; sets *self when one of them encoded esc itself
 * ("%25": a '%' that was itself encoded). */
static size_t hex_unescape(char *p, size_t n, char esc, int *self)
{
	size_t w = 0;
	int hi, lo;
	*self = 0;
	for (size_t r = 0; r < n; r++) {
		if (p[r] == esc && r + 2 < n && (hi = hexval((unsigned char)p[r + 1])) >= 0
		    && (lo = hexval((unsigned char)p[r + 2])) >= 0) {
			p[w] = (char)(hi << 4 | lo);
			*self |= p[w++] == esc;
			r += 2;
		} else {
			p[w++] = p[r];
		}
	}
	return w;
}

/* CloudFront's user agent: URL-encoded, and then the log field encoded
 * again ("Mozilla/5.0%2520(X11;..."), so two rounds of decoding give the
 * bytes the browser sent; the second round runs only when the first
 * decoded a "%25". Returns the new length. */
static size_t cloudfront_ua(char *p, size_t n)
{
	int pct25;
	if (memchr(p, '%', n) == NULL)
		return n;
	n = hex_unescape(p, n, '%', &pct25);
	if (pct25)
		n = hex_unescape(p, n, '%', &pct25);
	return n;
}

static int parse_w3c(const logfmt *f, char *line, size_t len, kr_record *rec)
{
	char *p = line, *end = line + len;
	kr_str date = {NULL, 0}, tm = {NULL, 0}, stem = {NULL, 0}, query = {NULL, 0};
	kr_str vhost = {NULL, 0};

	if (len > 0 && line[0] == '#')
		return LOGFMT_SKIP;
	for (unsigned i = 0; i < f->nw3c; i++) {
		char *q, *s = p;
		size_t n;
		int quoted = p < end && *p == '"';
		if (quoted) {
			/* "a value with spaces", as other W3C writers than IIS
			 * write them */
			q = w3c_quote_end(p, end);
			if (q == NULL)
				return LOGFMT_MALFORMED;
			s = p + 1;
			n = (size_t)(q - s);
			if (memchr(s, '"', n) != NULL)
				n = w3c_unquote(s, n);
			q++;
			if (q < end && *q != ' ' && *q != '\t')
				return LOGFMT_MALFORMED;
		} else {
			q = p;
			while (q < end && *q != ' ' && *q != '\t')
				q++;
			n = (size_t)(q - p);
			if (n == 0)
				return LOGFMT_MALFORMED;
		}
		if (q == end && i + 1 < f->nw3c)
			return LOGFMT_MALFORMED;
		kr_str v = {s, n};
		int dash = n == 1 && s[0] == '-';
		switch (f->w3c[i]) {
		case W_DATE: date = v; break;
		case W_TIME: tm = v; break;
		case W_CIP: rec->client = v; break;
		case W_METHOD: rec->method = v; break;
		case W_STEM: stem = v; break;
		case W_QUERY:
			if (!dash)
				query = v;
			break;
		case W_UA:
			if (f->cloudfront)
				v.n = cloudfront_ua(s, n);
			else if (!quoted)
				plus_to_space(s, n);
			rec->user_agent = v;
			break;
		case W_REFERER: rec->referer = v; break;
		case W_HOST:
			if (!dash)
				vhost = v;
			break;
		case W_XFF:
			if (!dash) {
				if (!quoted)
					plus_to_space(s, n);
				rec->xff = v;
			}
			break;
		case W_STATUS:
			if (status_or_dash(s, n, &rec->status) != 0)
				return LOGFMT_MALFORMED;
			break;
		default:
			break;
		}
		p = q < end ? q + 1 : q;
	}
	if (p != end)
		return LOGFMT_MALFORMED;
	if (w3c_time(date.p, date.n, tm.p, tm.n, &rec->wall, &rec->instant_us) != 0)
		return LOGFMT_MALFORMED;
	if (stem.n == 0 || (stem.n == 1 && stem.p[0] == '-') ||
	    (rec->method.n == 1 && rec->method.p[0] == '-'))
		stem.n = query.n = 0; /* no request logged: finish_record says so */
	if (query.n > 0)
		join_target(rec, stem, query, &vhost);
	else
		rec->target = stem;
	finish_record(rec, vhost);
	return LOGFMT_OK;
}

/* ---------------------------------------------------------------------
 * JSON lines
 */

enum jslot {
	J_NONE = 0, J_CLIENT, J_HOST, J_METHOD, J_URI, J_PATH, J_QUERY, J_REQUEST,
	J_STATUS, J_UA, J_REFERER, J_XFF, J_TIME, J_OBJ_REQUEST, J_OBJ_HEADERS, J_NSLOTS
};

enum jctx { JC_TOP, JC_REQUEST, JC_HEADERS };

struct jrec {
	kr_str v[J_NSLOTS];          /* string values (status/time may be numbers) */
	unsigned char rank[J_NSLOTS];
	unsigned char tkind;         /* time: JT_AUTO, JT_ISO, JT_CLF, JT_EPOCH */
	unsigned char is_num[J_NSLOTS];
};

enum { JT_AUTO = 0, JT_ISO, JT_CLF, JT_EPOCH };

struct jkey {
	const char *name;
	unsigned char len, slot, rank, tkind;
};
#define JK(name, slot, rank, tkind) {name, sizeof name - 1, slot, rank, tkind}

static const struct jkey jkeys_top[] = {
	JK("remote_addr", J_CLIENT, 3, 0), JK("ClientHost", J_CLIENT, 3, 0),
	JK("remote_ip", J_CLIENT, 3, 0), JK("client_ip", J_CLIENT, 1, 0),
	JK("host", J_HOST, 4, 0), JK("RequestHost", J_HOST, 4, 0),
	JK("server_name", J_HOST, 2, 0), JK("http_host", J_HOST, 1, 0),
	JK("request_method", J_METHOD, 2, 0), JK("method", J_METHOD, 1, 0),
	JK("RequestMethod", J_METHOD, 2, 0),
	JK("request_uri", J_URI, 2, 0), JK("RequestPath", J_URI, 2, 0),
	JK("uri", J_PATH, 1, 0), JK("document_uri", J_PATH, 1, 0),
	JK("args", J_QUERY, 1, 0), JK("query_string", J_QUERY, 1, 0),
	JK("request", J_REQUEST, 1, 0),
	JK("status", J_STATUS, 2, 0), JK("DownstreamStatus", J_STATUS, 2, 0),
	JK("OriginStatus", J_STATUS, 1, 0),
	JK("http_user_agent", J_UA, 2, 0), JK("request_User-Agent", J_UA, 2, 0),
	JK("user_agent", J_UA, 1, 0),
	JK("http_referer", J_REFERER, 2, 0), JK("request_Referer", J_REFERER, 2, 0),
	JK("referer", J_REFERER, 1, 0),
	JK("http_x_forwarded_for", J_XFF, 2, 0), JK("request_X-Forwarded-For", J_XFF, 2, 0),
	JK("time_iso8601", J_TIME, 6, JT_ISO), JK("time_local", J_TIME, 6, JT_CLF),
	JK("StartLocal", J_TIME, 6, JT_ISO), JK("StartUTC", J_TIME, 5, JT_ISO),
	JK("msec", J_TIME, 4, JT_EPOCH), JK("ts", J_TIME, 4, JT_AUTO),
	JK("time", J_TIME, 3, JT_AUTO), JK("@timestamp", J_TIME, 3, JT_AUTO),
	JK("timestamp", J_TIME, 2, JT_AUTO),
};

/* Caddy's "request": {...}. */
static const struct jkey jkeys_request[] = {
	/* client_ip: the client Caddy found behind its trusted proxies (the
	 * same as remote_ip when there are none) */
	JK("remote_ip", J_CLIENT, 3, 0), JK("client_ip", J_CLIENT, 4, 0),
	JK("host", J_HOST, 4, 0), JK("method", J_METHOD, 2, 0), JK("uri", J_URI, 2, 0),
	JK("headers", J_OBJ_HEADERS, 0, 0),
};

/* Caddy's "request": {"headers": {...}}: values are arrays of strings. */
static const struct jkey jkeys_headers[] = {
	JK("User-Agent", J_UA, 1, 0), JK("Referer", J_REFERER, 1, 0),
	JK("X-Forwarded-For", J_XFF, 1, 0), JK("Host", J_HOST, 1, 0),
};

static const struct jkey *jlookup(enum jctx ctx, const char *k, size_t n)
{
	const struct jkey *t;
	size_t nt;
	if (ctx == JC_TOP) {
		t = jkeys_top;
		nt = sizeof jkeys_top / sizeof jkeys_top[0];
	} else if (ctx == JC_REQUEST) {
		t = jkeys_request;
		nt = sizeof jkeys_request / sizeof jkeys_request[0];
	} else {
		t = jkeys_headers;
		nt = sizeof jkeys_headers / sizeof jkeys_headers[0];
	}
	for (size_t i = 0; i < nt; i++) {
		if (t[i].len != n)
			continue;
		if (ctx == JC_HEADERS ? eq_nocase(k, n, t[i].name) : memcmp(k, t[i].name, n) == 0)
			return &t[i];
	}
	return NULL;
}

static inline char *jws(char *p, char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int hexval(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static long hex4(const char *p, const char *end)
{
	if (end - p < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Writes code point cp as UTF-8 at w; returns the byte count. */
static size_t put_utf8(char *w, unsigned long cp)
{
	if (cp < 0x80) {
		w[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		w[0] = (char)(0xC0 | (cp >> 6));
		w[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		w[0] = (char)(0xE0 | (cp >> 12));
		w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		w[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	w[0] = (char)(0xF0 | (cp >> 18));
	w[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	w[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	w[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Reads the JSON string whose opening quote is at *pp, decoding escapes in
 * place (\" \\ \/ \b \f \n \r \t \uXXXX with surrogate pairs, and nginx's
 * \xHH); a lone surrogate becomes U+FFFD. The decoded text is never longer
 * than the escaped one. Returns 0 with *out and *pp after the closing
 * quote, or -1. */
static int jstring(char **pp, char *end, kr_str *out)
{
	char *s = *pp + 1, *p = s, *w;

	while (p < end && *p != '"' && *p != '\\')
		p++;
	if (p >= end)
		return -1;
	if (*p == '"') {
		*out = (kr_str){s, (size_t)(p - s)};
		*pp = p + 1;
		return 0;
	}
	w = p;
	while (p < end) {
		char c = *p;
		if (c == '"') {
			*out = (kr_str){s, (size_t)(w - s)};
			*pp = p + 1;
			return 0;
		}
		if (c != '\\') {
			*w++ = c;
			p++;
			continue;
		}
		if (end - p < 2)
			return -1;
		switch (p[1]) {
		case '"': case '\\': case '/': *w++ = p[1]; p += 2; break;
		case 'b': *w++ = '\b'; p += 2; break;
		case 'f': *w++ = '\f'; p += 2; break;
		case 'n': *w++ = '\n'; p += 2; break;
		case 'r': *w++ = '\r'; p += 2; break;
		case 't': *w++ = '\t'; p += 2; break;
		case 'x': {
			int h1 = end - p >= 4 ? hexval((unsigned char)p[2]) : -1;
			int h2 = h1 >= 0 ? hexval((unsigned char)p[3]) : -1;
			if (h2 < 0)
				return -1;
			*w++ = (char)(h1 * 16 + h2);
			p += 4;
			break;
		}
		case 'u': {
			long cp = hex4(p + 2, end);
			if (cp < 0)
				return -1;
			p += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\'
			    && p[1] == 'u') {
				long lo = hex4(p + 2, end);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				}
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;
			w += put_utf8(w, (unsigned long)cp);
			break;
		}
		default:
			return -1;
		}
	}
	return -1;
}

/* Skips the JSON value at *pp (strings, numbers, literals, nested objects
 * and arrays) without decoding. Returns 0, or -1. */
static int jskip(char **pp, char *end)
{
	char *p = *pp;
	int depth = 0;
	do {
		p = jws(p, end);
		if (p >= end)
			return -1;
		if (*p == '"') {
			p++;
			for (;;) {
				char *q = memchr(p, '"', (size_t)(end - p));
				if (q == NULL)
					return -1;
				size_t bs = 0;
				while (q - bs > p && q[-(ptrdiff_t)bs - 1] == '\\')
					bs++;
				p = q + 1;
				if ((bs & 1) == 0)
					break;
			}
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return -1;
			depth--;
			p++;
		} else if (*p == ',' || *p == ':') {
			if (depth == 0)
				return -1;
			p++;
		} else {
			char *s = p;
			while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' '
			       && *p != '\t' && *p != '\r' && *p != '\n' && *p != ':')
				p++;
			if (p == s)
				return -1;
		}
	} while (depth > 0);
	*pp = p;
	return 0;
}

/* Stores v in slot k->slot unless a better-ranked key filled it. */
static void jstore(struct jrec *r, const struct jkey *k, kr_str v, int num)
{
	if (r->v[k->slot].p != NULL && r->rank[k->slot] >= k->rank)
		return;
	r->v[k->slot] = v;
	r->rank[k->slot] = k->rank;
	r->is_num[k->slot] = (unsigned char)num;
	if (k->slot == J_TIME)
		r->tkind = k->tkind;
}

/* Reads the object at *pp ('{') in context ctx into r. Returns 0, or -1. */
static int jobject(char **pp, char *end, enum jctx ctx, struct jrec *r, int depth)
{
	char *p = jws(*pp + 1, end);

	if (p < end && *p == '}') {
		*pp = p + 1;
		return 0;
	}
	for (;;) {
		kr_str key, v;
		p = jws(p, end);
		if (p >= end || *p != '"' || jstring(&p, end, &key) != 0)
			return -1;
		p = jws(p, end);
		if (p >= end || *p != ':')
			return -1;
		p = jws(p + 1, end);
		if (p >= end)
			return -1;
		static const struct jkey request_obj = JK("request", J_OBJ_REQUEST, 0, 0);
		const struct jkey *k = jlookup(ctx, key.p, key.n);
		if (k != NULL && k->slot == J_REQUEST && *p == '{')
			k = &request_obj; /* Caddy's nested request */
		if (k == NULL) {
			if (jskip(&p, end) != 0)
				return -1;
		} else if (*p == '"') {
			if (jstring(&p, end, &v) != 0)
				return -1;
			if (k->slot < J_OBJ_REQUEST)
				jstore(r, k, v, 0);
		} else if (*p == '{' && depth < LF_JSON_DEPTH
		           && (k->slot == J_OBJ_REQUEST || k->slot == J_OBJ_HEADERS)) {
			if (jobject(&p, end, k->slot == J_OBJ_REQUEST ? JC_REQUEST : JC_HEADERS,
			            r, depth + 1) != 0)
				return -1;
		} else if (*p == '[' && ctx == JC_HEADERS) {
			/* ["first", ...]: the first string counts. */
			char *q = jws(p + 1, end);
			if (q < end && *q == '"') {
				if (jstring(&q, end, &v) != 0)
					return -1;
				jstore(r, k, v, 0);
				q = jws(q, end);
				while (q < end && *q == ',') {
					q++;
					if (jskip(&q, end) != 0)
						return -1;
					q = jws(q, end);
				}
				if (q >= end || *q != ']')
					return -1;
				p = q + 1;
			} else if (jskip(&p, end) != 0) {
				return -1;
			}
		} else {
			char *s = p;
			if (jskip(&p, end) != 0)
				return -1;
			if (is_digit((unsigned char)*s) && k->slot < J_OBJ_REQUEST)
				jstore(r, k, (kr_str){s, (size_t)(p - s)}, 1);
		}
		p = jws(p, end);
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '}') {
			*pp = p + 1;
			return 0;
		}
		return -1;
	}
}

/* Parses a JSON time value by kind. */
static int jtime(const struct jrec *r, kr_record *rec)
{
	kr_str t = r->v[J_TIME];
	int kind = r->tkind;
	if (t.p == NULL)
		return -1;
	if (r->is_num[J_TIME] || kind == JT_EPOCH)
		return parse_epoch(t.p, t.n, 0, 1, &rec->wall, &rec->instant_us);
	if (kind == JT_CLF)
		return ktime_parse_clf(t.p, t.n, &rec->wall, &rec->instant_us);
	if (kind == JT_ISO)
		return ktime_parse_iso8601(t.p, t.n, &rec->wall, &rec->instant_us);
	if (ktime_parse_iso8601(t.p, t.n, &rec->wall, &rec->instant_us) == 0
	    || ktime_parse_clf(t.p, t.n, &rec->wall, &rec->instant_us) == 0)
		return 0;
	return parse_epoch(t.p, t.n, 0, 1, &rec->wall, &rec->instant_us);
}

static int parse_json(char *line, size_t len, kr_record *rec)
{
	struct jrec r;
	char *p = line, *end = line + len;

	memset(&r, 0, sizeof r);
	p = jws(p, end);
	if (p >= end || *p != '{' || jobject(&p, end, JC_TOP, &r, 0) != 0)
		return LOGFMT_MALFORMED;
	if (jws(p, end) != end)
		return LOGFMT_MALFORMED;
	if (jtime(&r, rec) != 0 || r.v[J_STATUS].p == NULL
	    || status_or_dash(r.v[J_STATUS].p, r.v[J_STATUS].n, &rec->status) != 0)
		return LOGFMT_MALFORMED;
	rec->client = r.v[J_CLIENT];
	rec->user_agent = r.v[J_UA];
	rec->referer = r.v[J_REFERER];
	if (!(r.v[J_XFF].n == 1 && r.v[J_XFF].p[0] == '-'))
		rec->xff = r.v[J_XFF];
	kr_str vhost = r.v[J_HOST];
	if (r.v[J_REQUEST].p != NULL) {
		/* "request": "" or "-" or bytes: a record without a request */
		if (split_request(line_bytes(r.v[J_REQUEST].p), r.v[J_REQUEST].n, rec) != 0)
			no_request(rec);
	} else {
		rec->method = r.v[J_METHOD];
		kr_str q = r.v[J_QUERY];
		if (q.n == 1 && q.p[0] == '-')
			q.n = 0;
		if (r.v[J_URI].n > 0)
			rec->target = r.v[J_URI];
		else if (q.n > 0 && r.v[J_PATH].n > 0 && q.p > r.v[J_PATH].p)
			join_target(rec, r.v[J_PATH], q, &vhost);
		else
			rec->target = r.v[J_PATH];
		/* A line that logs no method or no target at all is no access
		 * log line; one that logs them empty or "-" has no request. */
		if (rec->method.p == NULL || (r.v[J_URI].p == NULL && r.v[J_PATH].p == NULL))
			return LOGFMT_MALFORMED;
		if (rec->method.n == 0 || (rec->method.n == 1 && rec->method.p[0] == '-')
		    || (rec->target.n == 1 && rec->target.p[0] == '-'))
			no_request(rec);
	}
	finish_record(rec, vhost);
	return LOGFMT_OK;
}

/* ---------------------------------------------------------------------
 * Load balancers and proxies: AWS ALB and HAProxy's httplog
 */

/* The space-separated token at *pp (not past end): returns its length and
 * leaves *pp after the space that ends it (or at end); *tok gets its
 * start. Returns 0 for an empty token (two spaces, or end of line). */
static size_t next_token(char **pp, char *end, char **tok)
{
	char *p = *pp, *q = find_byte(p, end, ' ');
	if (q == NULL)
		q = end;
	*tok = p;
	*pp = q < end ? q + 1 : q;
	return (size_t)(q - p);
}

/* The client of "address:port": the address without the port after its
 * last ':' (IPv6 addresses are written without brackets, as
 * "2001:db8::1:443"). */
static kr_str strip_port(char *p, size_t n)
{
	size_t k = n;
	while (k > 0 && is_digit((unsigned char)p[k - 1]))
		k--;
	if (k > 1 && k < n && p[k - 1] == ':')
		n = k - 1;
	return (kr_str){p, n};
}

/* The request line [p, p + n) of a load balancer: method, target and
 * protocol as split_request splits them, with trailing spaces dropped
 * (ALB writes "GET http://h/ HTTP/1.0 " for some clients). A line with no
 * method and target ("- http://h:80- -", "<BADREQ>") gives a record with
 * neither, so that rule 2.1 excludes it. */
static void lb_request(char *p, size_t n, kr_record *rec)
{
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (split_request(p, n, rec) != 0) {
		rec->method = (kr_str){NULL, 0};
		rec->target = (kr_str){NULL, 0};
	}
}

/* AWS Application Load Balancer (documented field order; fields added by
 * later versions follow the user agent and are ignored):
 *   type time elb client:port target:port t1 t2 t3 elb_status target_status
 *   received sent "request" "user_agent" ...
 * The request is "METHOD scheme://host:port/path?q VERSION": the host
 * comes from that absolute-form target. A status of "-" gives status 0. */
static int parse_alb(char *line, size_t len, kr_record *rec)
{
	char *p = line, *end = line + len, *t, *q;
	size_t n;

	/* type: http https h2 grpcs ws wss, and whatever AWS adds (its
	 * documentation says to accept other values): a short lower-case word */
	n = next_token(&p, end, &t);
	if (n == 0 || n > 8)
		return LOGFMT_MALFORMED;
	for (size_t i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || is_digit((unsigned char)t[i])))
			return LOGFMT_MALFORMED;
	n = next_token(&p, end, &t);
	if (n == 0 || ktime_parse_iso8601(t, n, &rec->wall, &rec->instant_us) != 0)
		return LOGFMT_MALFORMED;
	if (next_token(&p, end, &t) == 0) /* elb */
		return LOGFMT_MALFORMED;
	n = next_token(&p, end, &t); /* client:port */
	if (n == 0)
		return LOGFMT_MALFORMED;
	rec->client = strip_port(t, n);
	for (int k = 0; k < 4; k++) /* target:port and the three times */
		if (next_token(&p, end, &t) == 0)
			return LOGFMT_MALFORMED;
	n = next_token(&p, end, &t); /* elb_status_code */
	if (n == 1 && t[0] == '-')
		rec->status = 0;
	else if (three_digits(t, n, &rec->status) != 0)
		return LOGFMT_MALFORMED;
	for (int k = 0; k < 3; k++) /* target_status_code, received, sent */
		if (next_token(&p, end, &t) == 0)
			return LOGFMT_MALFORMED;
	if (p >= end || *p != '"')
		return LOGFMT_MALFORMED;
	q = find_quote(p + 1, end);
	if (q == NULL)
		return LOGFMT_MALFORMED;
	lb_request(p + 1, (size_t)(q - p - 1), rec);
	p = q + 1;
	if (end - p < 2 || p[0] != ' ' || p[1] != '"')
		return LOGFMT_MALFORMED;
	p += 2;
	q = find_quote(p, end);
	if (q == NULL || (q + 1 != end && q[1] != ' '))
		return LOGFMT_MALFORMED;
	n = (size_t)(q - p);
	rec->user_agent = (kr_str){p, memchr(p, '\\', n) ? unescape_quoted(p, n) : n};
	finish_record(rec, (kr_str){NULL, 0});
	return LOGFMT_OK;
}

/* HAProxy's accept date "dd/Mon/yyyy:hh:mm:ss.mmm" (the milliseconds may
 * be missing) at p, followed by ']'. Logged without a UTC offset, so UTC.
 * Returns the ']', or NULL. */
static char *haproxy_date(char *p, char *end, int64_t *wall, int64_t *instant_us)
{
	const char *c = p;
	unsigned d, y, hh, mi, ss, m;
	int64_t us = 0;

	if (rd_num(&c, end, 2, 2, &d) || c >= end || *c++ != '/'
	    || (m = rd_month(&c, end, 0)) == 0 || c >= end || *c++ != '/'
	    || rd_num(&c, end, 4, 4, &y) || c >= end || *c++ != ':'
	    || rd_num(&c, end, 2, 2, &hh) || c >= end || *c++ != ':'
	    || rd_num(&c, end, 2, 2, &mi) || c >= end || *c++ != ':'
	    || rd_num(&c, end, 2, 2, &ss))
		return NULL;
	if (c < end && *c == '.') {
		int64_t sc = 100000;
		const char *f0 = ++c;
		while (c < end && is_digit((unsigned char)*c)) {
			us += (*c++ - '0') * sc;
			sc /= 10;
		}
		if (c == f0)
			return NULL;
	}
	if (c >= end || *c != ']' || !ktime_valid(y, m, d, hh, mi, ss))
		return NULL;
	*wall = (int64_t)ktime_days_from_civil(y, m, d) * 86400 + (int64_t)hh * 3600
	        + (int64_t)mi * 60 + ss;
	*instant_us = *wall * 1000000 + us;
	return p + (c - p);
}

/* 1 when a captured header value looks like a Host header: letters,
 * digits, '-' and '.', with a dot and a letter in its last label, and an
 * optional ":port" (so IP addresses, lengths and MIME types are not). */
static int looks_like_host(const char *p, size_t n)
{
	size_t k = n, i;
	while (k > 0 && is_digit((unsigned char)p[k - 1]))
		k--;
	if (k > 0 && k < n && p[k - 1] == ':')
		n = k - 1;
	const char *dot = NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '.')
			dot = p + i;
		else if (!is_alpha(c) && !is_digit(c) && c != '-')
			return 0;
	}
	if (dot == NULL || dot == p)
		return 0;
	for (const char *c = dot + 1; c < p + n; c++)
		if (is_alpha((unsigned char)*c))
			return 1;
	return 0;
}

/* 1 when a captured header value looks like a User-Agent: its first word
 * is "product/version" with a digit after the '/' ("Mozilla/5.0 (X11;
 * ...)", "curl/8.5.0"), which MIME types ("text/html") and URLs are not. */
static int looks_like_ua(const char *p, size_t n)
{
	const char *sp = memchr(p, ' ', n);
	size_t w = sp != NULL ? (size_t)(sp - p) : n;
	const char *sl = memchr(p, '/', w);
	return sl != NULL && sl > p && sl + 1 < p + w && is_digit((unsigned char)sl[1]);
}

/* Reads the captured request headers "{v1|v2|...}" at p (which holds the
 * '{'): the first value that looks like a host goes to *host, the first
 * that looks like a user agent to rec->user_agent (HAProxy logs only the
 * headers the configuration captures, in its order, unnamed). Returns the
 * byte after the '}', or NULL. */
static char *haproxy_captures(char *p, char *end, kr_str *host, kr_record *rec)
{
	char *close = find_byte(p, end, '}');
	if (close == NULL)
		return NULL;
	for (char *v = p + 1; v <= close;) {
		char *bar = find_byte(v, close, '|');
		char *ve = bar != NULL ? bar : close;
		size_t n = (size_t)(ve - v);
		if (n > 0 && host->n == 0 && looks_like_host(v, n)) {
			*host = (kr_str){v, n};
		} else if (n > 0 && rec->user_agent.n == 0 && looks_like_ua(v, n)) {
			/* HAProxy writes '"', '#', '{', '|', '}' and bytes outside
			 * printable ASCII as "#XX" in captured headers */
			int self;
			if (memchr(v, '#', n) != NULL)
				n = hex_unescape(v, n, '#', &self);
			rec->user_agent = (kr_str){v, n};
		}
		v = ve + 1;
	}
	return close + 1;
}

/* HAProxy's "option httplog", after any syslog prefix:
 *   client:port [accept date] frontend backend/server timers status bytes
 *   req_cookie resp_cookie term_state conns queues [{req hdrs}] [{resp hdrs}]
 *   "request"
 * The prefix (syslog time, host, "haproxy[pid]:") is whatever comes
 * before the client: the first " [" that opens a valid accept date finds
 * it. The user agent and host exist only when captured (see
 * haproxy_captures); else the host comes from an absolute-form target.
 * A status of "-1" (none sent) gives status 0. A request line cut by
 * HAProxy's log length limit (no closing quote) keeps what was written;
 * text after the closing quote (httpslog's TLS fields) is ignored. */
static int parse_haproxy(char *line, size_t len, kr_record *rec)
{
	char *p = line, *end = line + len, *br = NULL, *t;
	kr_str host = {NULL, 0};
	size_t n;

	for (char *b = find_byte(p, end, '['); b != NULL; b = find_byte(b + 1, end, '[')) {
		if (b > line && b[-1] == ' ' && b - 1 > line && b[-2] != ' '
		    && (p = haproxy_date(b + 1, end, &rec->wall, &rec->instant_us)) != NULL) {
			br = b;
			break;
		}
	}
	if (br == NULL)
		return LOGFMT_MALFORMED;
	char *c = br - 1;
	while (c > line && c[-1] != ' ')
		c--;
	rec->client = strip_port(c, (size_t)(br - 1 - c));
	if (end - p < 2 || p[1] != ' ')
		return LOGFMT_MALFORMED;
	p += 2;
	if (next_token(&p, end, &t) == 0) /* frontend */
		return LOGFMT_MALFORMED;
	for (int k = 0; k < 2; k++) { /* backend/server, timers */
		n = next_token(&p, end, &t);
		if (n == 0 || memchr(t, '/', n) == NULL)
			return LOGFMT_MALFORMED;
	}
	n = next_token(&p, end, &t);
	if (n == 2 && t[0] == '-' && t[1] == '1')
		rec->status = 0;
	else if (three_digits(t, n, &rec->status) != 0)
		return LOGFMT_MALFORMED;
	n = next_token(&p, end, &t); /* bytes read, "+" with logasap */
	if (n > 0 && t[0] == '+') {
		t++;
		n--;
	}
	if (n == 0)
		return LOGFMT_MALFORMED;
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char)t[i]))
			return LOGFMT_MALFORMED;
	for (int k = 0; k < 3; k++) /* cookies, termination state */
		if (next_token(&p, end, &t) == 0)
			return LOGFMT_MALFORMED;
	for (int k = 0; k < 2; k++) { /* connections, queues */
		n = next_token(&p, end, &t);
		if (n == 0 || memchr(t, '/', n) == NULL)
			return LOGFMT_MALFORMED;
	}
	/* request headers first; response headers are not read */
	for (int k = 0; k < 2 && p < end && *p == '{'; k++) {
		if (k == 0)
			p = haproxy_captures(p, end, &host, rec);
		else if ((p = find_byte(p, end, '}')) != NULL)
			p++;
		if (p == NULL || p == end || *p != ' ')
			return LOGFMT_MALFORMED;
		p++;
	}
	if (p >= end || *p != '"')
		return LOGFMT_MALFORMED;
	p++;
	char *q = find_byte(p, end, '"');
	if (q != NULL && q + 1 != end && q[1] != ' ')
		return LOGFMT_MALFORMED;
	lb_request(p, (size_t)((q != NULL ? q : end) - p), rec);
	finish_record(rec, host);
	return LOGFMT_OK;
}

/* ---------------------------------------------------------------------
 * Field lists
 */

/* The end of an unquoted value at p that holds it->nsp spaces or ", "
 * lists (it->commasp): the first it->delim after those. NULL when none. */
static char *field_end(const struct lf_item *it, char *p, char *end)
{
	char *s = p, *q;
	for (unsigned k = it->nsp; k > 0; k--) {
		s = find_byte(s, end, ' ');
		if (s == NULL)
			return NULL;
		s++;
	}
	q = find_byte(s, end, it->delim);
	while (it->commasp && q != NULL && q > p && q[-1] == ',')
		q = memchr(q + 1, it->delim, (size_t)(end - q - 1));
	return q;
}

/* Apache's combined and vhost_combined, the formats most logs are in,
 * without the item loop: short fields ("-", the time, the status, the
 * size) are checked in place instead of searched for. Returns LOGFMT_OK
 * with rec filled exactly as the item loop would fill it, or -1 to leave
 * the line to the item loop: anything unusual (an ident or a user that is
 * not "-" followed by the expected text, a line cut inside its last
 * field, ...) takes that path, which then also decides whether the line is
 * malformed. The check_logfmt suite compares both on every corpus line
 * and on mutations of them. */
static int parse_clf(const logfmt *f, char *line, char *end, kr_record *rec)
{
	char *p = line, *q;
	kr_str vhost = {NULL, 0};

	memset(rec, 0, sizeof *rec);
	if (f->clf == 2) {
		q = find_byte(p, end, ' ');
		if (q == NULL || q == p)
			return -1;
		vhost = (kr_str){p, (size_t)(q - p)};
		p = q + 1;
	}
	q = find_byte(p, end, ' ');
	if (q == NULL || q == p)
		return -1;
	rec->client = (kr_str){p, (size_t)(q - p)};
	p = q + 1;
	/* ident and user: "- - [" or "- user [" */
	if (end - p < 2 || p[0] != '-' || p[1] != ' ')
		return -1;
	p += 2;
	if (end - p >= 3 && p[0] == '-' && p[1] == ' ' && p[2] == '[') {
		p += 3;
	} else {
		q = find_byte(p, end, ' ');
		if (q == NULL || q == p || end - q < 2 || q[1] != '[')
			return -1;
		p = q + 2;
	}
	/* "dd/Mon/yyyy:hh:mm:ss +hhmm] \"" */
	if (end - p < 29 || p[26] != ']' || p[27] != ' ' || p[28] != '"' ||
	    ktime_parse_clf(p, 26, &rec->wall, &rec->instant_us) != 0)
		return -1;
	p += 29;
	q = find_quote(p, end);
	if (q == NULL || split_request(p, (size_t)(q - p), rec) != 0)
		return -1;
	p = q + 1;
	/* ' ' status ' ' size ' "' */
	if (end - p < 5 || p[0] != ' ' || p[4] != ' ' ||
	    three_digits(p + 1, 3, &rec->status) != 0)
		return -1;
	p += 5;
	q = p;
	while (q < end && is_digit((unsigned char)*q))
		q++;
	if (q == p && q < end && *q == '-')
		q++;
	if (q == p || end - q < 2 || q[0] != ' ' || q[1] != '"')
		return -1;
	p = q + 2;
	q = find_quote(p, end);
	if (q == NULL || end - q < 3 || q[1] != ' ' || q[2] != '"')
		return -1;
	rec->referer = (kr_str){p, (size_t)(q - p)};
	p = q + 3;
	q = find_quote(p, end);
	if (q == NULL)
		return -1;
	if (q + 1 != end && !(f->extra_ok && q[1] == ' '))
		return -1;
	size_t n = (size_t)(q - p);
	rec->user_agent = (kr_str){p, memchr(p, '\\', n) ? unescape_quoted(p, n) : n};
	finish_record(rec, vhost);
	return LOGFMT_OK;
}

/* 1 when [p, e) is "-" or one or more digits. */
static int digits_or_dash(const char *p, const char *e)
{
	if (e - p == 1 && *p == '-')
		return 1;
	if (p == e)
		return 0;
	for (; p < e; p++)
		if (!is_digit((unsigned char)*p))
			return 0;
	return 1;
}

/* 1 when [p, e) is "-" or a '"'-quoted value without spaces (Traefik's
 * router name and service URL). */
static int dash_or_quoted_word(const char *p, const char *e)
{
	if (e - p == 1 && *p == '-')
		return 1;
	return e - p >= 2 && p[0] == '"' && e[-1] == '"';
}

/* The value of a Traefik field [p, e) that is "-" or quoted. */
static kr_str dequote(char *p, char *e)
{
	if (e - p >= 2 && p[0] == '"' && e[-1] == '"')
		return (kr_str){p + 1, (size_t)(e - p - 2)};
	return (kr_str){p, (size_t)(e - p)};
}

/* Traefik's CLF as its versions write it, for the lines the preset's items
 * do not fit (logger_formatters.go; checked against lines from Traefik's
 * tests and issues, see testdata/realworld):
 *   CLIENT - USER [TIME] "METHOD PATH PROTO" STATUS SIZE REFERER AGENT
 *   COUNT ROUTER SERVICE DURATIONms
 * where a missing value is "-" unquoted in place of a quoted one (v1's
 * referer, v2's router and service), STATUS, SIZE and COUNT may be "-",
 * and quotes inside values are not escaped (v3 until 2026: a user agent
 * 'foo " bar'). The head is read from the left up to SIZE (the request
 * line ends at the first '"' followed by a status and a size), the tail
 * from the right (router and service hold no spaces); referer and user
 * agent are what lies between, split at the first '" "'. Returns
 * LOGFMT_OK or LOGFMT_MALFORMED; changes the line only on LOGFMT_OK. */
static int parse_traefik(char *line, char *end, kr_record *rec)
{
	char *p = line, *q, *r;

	memset(rec, 0, sizeof *rec);
	/* CLIENT ' ' IDENT ' ' USER " [" */
	q = find_byte(p, end, ' ');
	if (q == NULL || q == p)
		return LOGFMT_MALFORMED;
	rec->client = (kr_str){p, (size_t)(q - p)};
	for (int k = 0; k < 2; k++) {
		p = q + 1;
		q = find_byte(p, end, ' ');
		if (q == NULL || q == p)
			return LOGFMT_MALFORMED;
	}
	if (end - q < 2 || q[1] != '[')
		return LOGFMT_MALFORMED;
	p = q + 2;
	q = find_byte(p, end, ']');
	if (q == NULL || ktime_parse_clf(p, (size_t)(q - p), &rec->wall, &rec->instant_us) != 0
	    || end - q < 3 || q[1] != ' ' || q[2] != '"')
		return LOGFMT_MALFORMED;
	p = q + 3;
	/* "REQUEST" STATUS SIZE ' ' */
	char *req = p, *size_end = NULL;
	for (q = find_byte(p, end, '"'); q != NULL; q = find_byte(q + 1, end, '"')) {
		char *s = q + 1, *t;
		if (end - s < 2 || s[0] != ' ')
			continue;
		s++;
		t = find_byte(s, end, ' ');
		if (t == NULL || status_or_dash(s, (size_t)(t - s), &rec->status) != 0)
			continue;
		char *u = find_byte(t + 1, end, ' ');
		if (u == NULL || !digits_or_dash(t + 1, u))
			continue;
		size_end = u;
		break;
	}
	if (size_end == NULL)
		return LOGFMT_MALFORMED;
	char *req_end = q;
	/* ' ' DURATION "ms" at the end, then SERVICE, ROUTER, COUNT leftwards */
	if (end - size_end < 4 || end[-1] != 's' || end[-2] != 'm')
		return LOGFMT_MALFORMED;
	r = end - 2;
	q = r;
	while (q > size_end && is_digit((unsigned char)q[-1]))
		q--;
	if (q == r || q[-1] != ' ')
		return LOGFMT_MALFORMED;
	char *tok_end = q - 1;
	for (int k = 0; k < 3; k++) {
		if (tok_end - size_end < 2)
			return LOGFMT_MALFORMED;
		q = memrchr(size_end + 1, ' ', (size_t)(tok_end - size_end - 1));
		if (q == NULL)
			return LOGFMT_MALFORMED;
		if (k < 2 ? !dash_or_quoted_word(q + 1, tok_end) : !digits_or_dash(q + 1, tok_end))
			return LOGFMT_MALFORMED;
		tok_end = q;
	}
	/* REFERER ' ' AGENT in [size_end + 1, tok_end) */
	char *m = size_end + 1, *me = tok_end, *split;
	if (me - m >= 3 && m[0] == '-' && m[1] == ' ') {
		split = m + 1;
	} else if (me - m >= 3 && me[-1] == '-' && me[-2] == ' ') {
		split = me - 2;
	} else {
		split = NULL;
		for (q = m; q != NULL && me - q >= 3; q = find_byte(q + 1, me, '"'))
			if (q > m && q[1] == ' ' && q[2] == '"') {
				split = q + 1;
				break;
			}
	}
	if (split == NULL || !((split - m == 1 && m[0] == '-')
	                       || (split - m >= 2 && m[0] == '"' && split[-1] == '"')))
		return LOGFMT_MALFORMED;
	char *a = split + 1;
	if (!(me - a == 1 && a[0] == '-') && !(me - a >= 2 && a[0] == '"' && me[-1] == '"'))
		return LOGFMT_MALFORMED;
	rec->referer = dequote(m, split);
	char *ua = a[0] == '"' ? a + 1 : a;
	size_t uan = (size_t)(me - a) - (a[0] == '"' ? 2 : 0);
	rec->user_agent = (kr_str){ua, memchr(ua, '\\', uan) ? unescape_quoted(ua, uan) : uan};
	if (split_request(req, (size_t)(req_end - req), rec) != 0)
		no_request(rec);
	finish_record(rec, (kr_str){NULL, 0});
	return LOGFMT_OK;
}

/* Parses one line; see logfmt.h. Returns LOGFMT_OK with rec filled,
 * LOGFMT_MALFORMED, or LOGFMT_SKIP for a blank line (or a W3C directive). */
static int parse_items(const logfmt *f, char *line, size_t len, kr_record *rec);

int logfmt_parse(const logfmt *f, char *line, size_t len, kr_record *rec)
{
	size_t n = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
	if (f->clf && parse_clf(f, line, line + n, rec) == LOGFMT_OK)
		return LOGFMT_OK;
	return parse_items(f, line, len, rec);
}

int logfmt_parse_items(const logfmt *f, char *line, size_t len, kr_record *rec)
{
	return parse_items(f, line, len, rec);
}

/* The formats that are not a list of items (W3C, JSON, ALB, HAProxy):
 * parse_items's result for them. */
static int parse_kind(const logfmt *f, char *line, size_t len, kr_record *rec)
{
	int rc;
	if (f->kind == LOGFMT_KIND_W3C)
		rc = parse_w3c(f, line, len, rec);
	else if (f->kind == LOGFMT_KIND_JSON)
		rc = parse_json(line, len, rec);
	else if (f->kind == LOGFMT_KIND_ALB)
		rc = parse_alb(line, len, rec);
	else
		rc = parse_haproxy(line, len, rec);
	if (rc == LOGFMT_MALFORMED && blank(line, len))
		rc = LOGFMT_SKIP;
	return rc;
}

/* What the items of one line leave for the end of parse_items: the parts
 * of the target and the host, and the raw user agent. */
struct item_parts {
	kr_str vhost, path, query;
	char *ua;                 /* the user agent still to unescape, or NULL */
	int no_method;            /* "-" or empty method: no request */
};

/* Where the value of item it, which starts at p, ends: a pointer into
 * [p, end], or NULL when the line does not fit. The last item's (last)
 * quoted value cut off by the end of the line ends there and sets
 * *open_tail. */
static inline char *item_end(const struct lf_item *it, int last, char *p, char *end,
                             int *open_tail)
{
	char *q;
	if (it->end == LF_END_DELIM)
		return find_byte(p, end, it->delim);
	if (it->end == LF_END_QUOTE) {
		q = find_quote(p, end);
		if (q == NULL && last) {
			/* A line cut inside its last quoted field (real logs
			 * have these) keeps what was written. */
			*open_tail = 1;
			return end;
		}
		return q;
	}
	if (it->end == LF_END_EOL)
		return end;
	return field_end(it, p, end);
}

/* Reads the time item it (LF_TIME_* other than the CLF time, which
 * store_item reads itself) from [p, p + n) into rec. Returns 0, or -1
 * when it is no such time. */
static inline int item_time(const struct lf_item *it, const char *p, size_t n, kr_record *rec)
{
	int r;
	switch (it->field) {
	case LF_TIME_ISO:
		r = ktime_parse_iso8601(p, n, &rec->wall, &rec->instant_us);
		break;
	case LF_TIME_EPOCH:
		r = parse_epoch(p, n, 0, 1, &rec->wall, &rec->instant_us);
		break;
	case LF_TIME_MSEC:
		r = parse_epoch(p, n, 3, 0, &rec->wall, &rec->instant_us);
		break;
	case LF_TIME_USEC:
		r = parse_epoch(p, n, 6, 0, &rec->wall, &rec->instant_us);
		break;
	default:
		r = strf_parse(it->arg, it->argn, p, n, &rec->wall, &rec->instant_us);
		break;
	}
	return r != 0 ? -1 : 0;
}

/* Stores the value [p, p + n) of item it in rec or parts. Returns 0, or
 * -1 when the value does not fit its field. */
static inline int store_item(const struct lf_item *it, char *p, size_t n, kr_record *rec,
                             struct item_parts *parts)
{
	switch (it->field) {
	case LF_VHOST:
		if (n == 0)
			return -1;
		parts->vhost = (kr_str){p, n};
		break;
	case LF_CLIENT:
		if (n == 0)
			return -1;
		rec->client = (kr_str){p, n};
		break;
	case LF_IGNORE:
		if (n == 0)
			return -1;
		break;
	case LF_TIME_CLF:   /* the common time: no second switch */
		return ktime_parse_clf(p, n, &rec->wall, &rec->instant_us) != 0 ? -1 : 0;
	case LF_TIME_ISO:
	case LF_TIME_EPOCH:
	case LF_TIME_MSEC:
	case LF_TIME_USEC:
	case LF_TIME_STRF:
		return item_time(it, p, n, rec);
	case LF_REQUEST:
		if (split_request(p, n, rec) != 0)
			no_request(rec);
		break;
	case LF_STATUS:
		if (status_or_dash(p, n, &rec->status) != 0)
			return -1;
		break;
	case LF_BYTES:
		if (n == 0)
			return -1;
		if (n == 1 && p[0] == '-')
			break;
		KR_FALLTHROUGH;
	case LF_COUNT:
		if (n == 0)
			return -1;
		for (size_t k = 0; k < n; k++)
			if (!is_digit((unsigned char)p[k]))
				return -1;
		break;
	case LF_REFERER:
		rec->referer = (kr_str){p, n};
		break;
	case LF_USER_AGENT:
		/* unescaped once the line fits (parse_traefik may retry) */
		parts->ua = p;
		rec->user_agent = (kr_str){p, n};
		break;
	case LF_SKIP:
		break;
	case LF_HOST:
		parts->vhost = (kr_str){p, n};
		break;
	case LF_XFF:
		if (!(n == 1 && p[0] == '-'))
			rec->xff = (kr_str){p, n};
		break;
	case LF_METHOD:
		/* "-" or empty: no request (finish_record) */
		if (!(n == 0 || (n == 1 && p[0] == '-')))
			rec->method = (kr_str){p, n};
		else
			parts->no_method = 1;
		break;
	case LF_URI_NGX:
		/* "$uri$is_args$args" logs "/p-" without a query. */
		if (n > 1 && p[n - 1] == '-' && memchr(p, '?', n) == NULL)
			n--;
		KR_FALLTHROUGH;
	case LF_URI:
	case LF_PATH:
		/* "-" or empty: no request (finish_record) */
		if (!(n == 0 || (n == 1 && p[0] == '-')))
			rec->target = parts->path = (kr_str){p, n};
		break;
	case LF_QUERY:
		if (n > 0 && p[0] == '?')
			parts->query = (kr_str){p + 1, n - 1};
		else if (!(n == 1 && p[0] == '-'))
			parts->query = (kr_str){p, n};
		break;
	}
	return 0;
}

/* logfmt_parse for every format, one item at a time: each item's literal,
 * then its value (item_end, store_item), then the format's tail. */
static int parse_items(const logfmt *f, char *line, size_t len, kr_record *rec)
{
	char *p = line, *end, *q;
	struct item_parts parts = { {NULL, 0}, {NULL, 0}, {NULL, 0}, NULL, 0 };
	int open_tail = 0;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	end = line + len;
	memset(rec, 0, sizeof *rec);
	if (f->kind != LOGFMT_KIND_FIELDS)
		return parse_kind(f, line, len, rec);
	for (unsigned i = 0; i < f->nitems; i++) {
		const struct lf_item *it = &f->items[i];
		if ((size_t)(end - p) < it->litn)
			goto bad;
		for (unsigned k = 0; k < it->litn; k++) /* literals are 1-3 bytes */
			if (p[k] != it->lit[k])
				goto bad;
		p += it->litn;
		q = item_end(it, i + 1 == f->nitems, p, end, &open_tail);
		if (q == NULL || store_item(it, p, (size_t)(q - p), rec, &parts) != 0)
			goto bad;
		p = q;
	}
	if (!open_tail) {
		if ((size_t)(end - p) < f->tailn || memcmp(p, f->tail, f->tailn) != 0)
			goto bad;
		p += f->tailn;
		if (p != end && !(f->extra_ok && *p == ' '))
			goto bad;
	}
	if (parts.ua != NULL && memchr(parts.ua, '\\', rec->user_agent.n))
		rec->user_agent.n = unescape_quoted(parts.ua, rec->user_agent.n);
	if (parts.no_method)
		rec->target = (kr_str){NULL, 0}; /* no request (finish_record) */
	else if (f->join_query && parts.query.n > 0 && parts.query.p > parts.path.p &&
	         parts.path.n > 0)
		join_target(rec, parts.path, parts.query, &parts.vhost);
	finish_record(rec, parts.vhost);
	return LOGFMT_OK;
bad:
	/* Nothing in the line was changed yet. */
	if (blank(line, len))
		return LOGFMT_SKIP;
	return f->traefik ? parse_traefik(line, end, rec) : LOGFMT_MALFORMED;
}

/* ---------------------------------------------------------------------
 * Detection
 *
 * Every preset reads the first lines; the one that reads most of them
 * wins. Only lines that tell the formats apart decide: a line that some
 * preset reads as a request, or that none reads at all (which counts
 * against every preset). Blank lines, comments ('#' lines other than W3C
 * directives) and lines that the presets read only as records without a
 * request (Apache's "-", nginx's "", TLS bytes: one shape fits every
 * flavour of CLF) are passed over, and detection reads on until it has
 * LF_DETECT_LINES deciding lines or has looked at LF_DETECT_MAX lines.
 * When no line decides, the lines without a request do.
 */
#define LF_DETECT_MAX 5000

/* 1 when rec holds a request that tells formats apart: a target and a
 * method that looks like one (letters, '-' and '_'; not "-"). */
static int has_request(const kr_record *rec)
{
	int letter = 0;
	if (rec->method.n == 0 || rec->target.n == 0)
		return 0;
	for (size_t i = 0; i < rec->method.n; i++) {
		unsigned char c = (unsigned char)rec->method.p[i];
		if (is_alpha(c))
			letter = 1;
		else if (c != '-' && c != '_')
			return 0;
	}
	return letter;
}

struct detector {
	logfmt *f[LF_NDETECT];  /* the presets; NULL for w3c (see below) */
	logfmt *w3c_first;      /* from the first valid "#Fields:" line */
	logfmt *w3c_cur;        /* from the last one: reads the lines after it */
	unsigned w3c;           /* index of "w3c" in detect_order */
	int ok[LF_NDETECT];     /* counted lines each preset reads */
	int odd[LF_NDETECT];    /* lines without a request each preset reads */
	unsigned n;             /* counted lines: deciding ones and unreadable ones */
	unsigned decided;       /* lines some preset reads as a request, directives */
	unsigned nodd;          /* lines read only without a request */
	unsigned seen;          /* non-blank lines looked at */
	char *scratch;          /* a copy of the line for each parse */
	size_t scap;
};

/* Looks at one line (len bytes, no '\n'). Returns 0, or -1 when out of
 * memory. */
static int det_line(struct detector *d, const char *line, size_t len)
{
	kr_record rec;
	unsigned char okk[LF_NDETECT];
	int real = 0, any = 0;

	if (blank(line, len))
		return 0;
	d->seen++;
	if (line[0] == '#') {
		const char *cols;
		size_t ncols;
		char err[128];
		if (!w3c_directive(line, len))
			return 0; /* a comment says nothing */
		d->ok[d->w3c]++;
		d->n++;
		d->decided++;
		if (!w3c_fields_line(line, len, &cols, &ncols))
			return 0;
		logfmt *nf = w3c_new(cols, ncols, err, sizeof err);
		if (nf == NULL)
			return 0; /* an invalid #Fields: its lines do not parse */
		if (d->w3c_first == NULL)
			d->w3c_first = nf;
		else if (d->w3c_cur != d->w3c_first)
			logfmt_free(d->w3c_cur);
		d->w3c_cur = nf;
		return 0;
	}
	if (len > d->scap) {
		char *ns = realloc(d->scratch, len);
		if (ns == NULL)
			return -1;
		d->scratch = ns;
		d->scap = len;
	}
	for (unsigned k = 0; k < LF_NDETECT; k++) {
		const logfmt *f = k == d->w3c ? d->w3c_cur : d->f[k];
		okk[k] = 0;
		if (f == NULL)
			continue;
		memcpy(d->scratch, line, len);
		if (logfmt_parse(f, d->scratch, len, &rec) == LOGFMT_OK) {
			okk[k] = 1;
			any = 1;
			real |= has_request(&rec);
		}
	}
	if (real || !any) {
		d->n++;
		d->decided += real;
		for (unsigned k = 0; k < LF_NDETECT; k++)
			d->ok[k] += okk[k];
	} else {
		d->nodd++;
		for (unsigned k = 0; k < LF_NDETECT; k++)
			d->odd[k] += okk[k];
	}
	return 0;
}

/* Writes the refusal for counts cnt over total lines to why. */
static void det_refusal(const struct detector *d, const int *cnt, unsigned total, char *why,
                        size_t whylen)
{
	unsigned order[LF_NDETECT], m = 0;
	size_t off;

	for (unsigned k = 0; k < LF_NDETECT; k++) {
		if (cnt[k] <= 0)
			continue;
		unsigned i = m++;
		while (i > 0 && cnt[order[i - 1]] < cnt[k]) {
			order[i] = order[i - 1];
			i--;
		}
		order[i] = k;
	}
	if (m == 0) {
		if (why != NULL && whylen > 0)
			snprintf(why, whylen, "no known format fits any of the first %u lines", d->seen);
		return;
	}
	if (why == NULL || whylen == 0)
		return;
	snprintf(why, whylen, "no format fits a majority of the first %u lines; closest:", total);
	off = strlen(why);
	for (unsigned i = 0; i < m && i < 3 && off < whylen; i++) {
		int w = snprintf(why + off, whylen - off, "%s %s reads %d", i ? "," : "",
		                 detect_order[order[i]], cnt[order[i]]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

logfmt *logfmt_detect_more(const char *buf, size_t len, int eof, char *why, size_t whylen,
                           int *more)
{
	struct detector d;
	const char *p = buf, *end = buf + len;
	logfmt *ret = NULL;
	char tmp[160];
	int ran_out = 1;

	memset(&d, 0, sizeof d);
	if (more != NULL)
		*more = 0;
	for (unsigned k = 0; k < LF_NDETECT; k++) {
		if (strcmp(detect_order[k], "w3c") == 0) {
			d.w3c = k;
			continue;
		}
		if ((d.f[k] = logfmt_new(detect_order[k], tmp, sizeof tmp)) == NULL)
			goto oom;
	}
	while (p < end) {
		if (d.decided >= LF_DETECT_LINES || d.seen >= LF_DETECT_MAX) {
			ran_out = 0;
			break;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL && (!eof || d.seen > 0))
			break; /* an incomplete last line, unless it is the only one */
		const char *le = nl != NULL ? nl : end;
		if (det_line(&d, p, (size_t)(le - p)) != 0)
			goto oom;
		p = nl != NULL ? nl + 1 : end;
	}
	if (d.decided >= LF_DETECT_LINES || d.seen >= LF_DETECT_MAX)
		ran_out = 0;
	if (ran_out && !eof && more != NULL) {
		*more = 1;
		msg_set(why, whylen, "%s", "more input needed");
		goto out;
	}
	if (d.w3c_first == NULL)
		d.ok[d.w3c] = 0; /* directives alone are not a W3C log */
	const int *cnt = d.ok;
	unsigned total = d.n;
	if (d.decided == 0 && d.nodd > 0) {
		cnt = d.odd; /* only lines without a request: they decide */
		total = d.nodd + d.n;
	}
	if (total == 0) {
		if (d.seen == 0)
			msg_set(why, whylen, "%s", "no lines");
		else
			det_refusal(&d, cnt, total, why, whylen);
		goto out;
	}
	unsigned best = 0;
	for (unsigned k = 1; k < LF_NDETECT; k++)
		if (cnt[k] > cnt[best])
			best = k;
	logfmt **slot = best == d.w3c ? &d.w3c_first : &d.f[best];
	if ((unsigned)cnt[best] * 2 > total && *slot != NULL) {
		if (cnt == d.ok && d.nodd > 0)
			snprintf(tmp, sizeof tmp, "%s: %d of %u lines, %u without a request passed over",
			         logfmt_name(*slot), cnt[best], total, d.nodd);
		else
			snprintf(tmp, sizeof tmp, "%s: %d of %u lines", logfmt_name(*slot), cnt[best],
			         total);
		msg_set(why, whylen, "%s", tmp);
		ret = *slot; /* its own name above: w3c detection finds "cloudfront" too */
		if (best == d.w3c && d.w3c_cur == d.w3c_first)
			d.w3c_cur = NULL;
		*slot = NULL;
	} else {
		det_refusal(&d, cnt, total, why, whylen);
	}
	goto out;
oom:
	msg_set(why, whylen, "%s", "out of memory");
out:
	for (unsigned k = 0; k < LF_NDETECT; k++)
		logfmt_free(d.f[k]);
	if (d.w3c_cur != d.w3c_first)
		logfmt_free(d.w3c_cur);
	logfmt_free(d.w3c_first);
	free(d.scratch);
	return ret;
}

/* logfmt_detect_more on a whole buffer. */
logfmt *logfmt_detect(const char *buf, size_t len, char *why, size_t whylen)
{
	return logfmt_detect_more(buf, len, 1, why, whylen, NULL);
}
