/*
 * logfmt.c - access-log formats: presets, detection and zero-copy parsing.
 *
 * A format is compiled into a kind and, for the Apache-style kind, a list
 * of items: each item is a literal that must appear verbatim followed by
 * one field. A field's value runs up to the first byte of the next literal
 * (or to the end of the line for the last field); a field whose literal
 * ends in '"' is quoted and ends at the first '"' not escaped by an odd
 * run of backslashes (Apache writes \" and \\ inside quoted fields). The
 * presets (common, combined, vhost_combined) are such lists; Apache
 * LogFormat and nginx log_format strings can later compile to the same
 * lists, W3C and JSON get kinds of their own.
 *
 * Invariants: a logfmt is immutable after logfmt_new, so logfmt_parse may
 * run on it from several threads. logfmt_parse never allocates, never
 * writes outside [line, line + len), and only rewrites the host bytes
 * (lower-casing; see absolute_form for the one byte it may move). On
 * LOGFMT_MALFORMED the record's contents are unspecified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktime.h"
#include "logfmt.h"

/* How a format is described. Only field lists exist so far. */
enum logfmt_kind {
	LOGFMT_KIND_FIELDS = 0, /* literal/field list (presets; later LogFormat, log_format) */
};

enum lf_field {
	LF_VHOST,      /* %v or %v:%p: host[:port], normalized into rec->host */
	LF_CLIENT,     /* %h */
	LF_IGNORE,     /* %l, %u: any non-empty value, not kept */
	LF_TIME_CLF,   /* body of %t: "10/Oct/2000:13:55:36 -0700" */
	LF_REQUEST,    /* %r: "METHOD target[ protocol]" */
	LF_STATUS,     /* %>s: exactly three digits */
	LF_BYTES,      /* %b or %O: digits, or "-" */
	LF_REFERER,    /* %{Referer}i */
	LF_USER_AGENT, /* %{User-Agent}i */
};

#define LF_MAX_ITEMS 24
#define LF_MAX_LIT 8
#define LF_DETECT_LINES 20
#define LF_DELIM_EOL (-1)

struct lf_item {
	char lit[LF_MAX_LIT];  /* literal before the field */
	unsigned char litn;
	unsigned char field;   /* enum lf_field */
	unsigned char quoted;  /* value ends at the first unescaped '"' */
	short delim;           /* byte that ends an unquoted value, or LF_DELIM_EOL */
};

struct logfmt {
	enum logfmt_kind kind;
	const char *name;      /* static string */
	unsigned nitems;
	struct lf_item items[LF_MAX_ITEMS];
	char tail[LF_MAX_LIT]; /* literal after the last field */
	unsigned char tailn;
	unsigned char extra_ok; /* " anything" may follow the tail */
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
	struct lf_preset_item items[LF_MAX_ITEMS]; /* ends at lit == NULL */
};

/* In order of specificity: detection prefers the earlier one on ties. */
static const struct lf_preset presets[] = {
	{"vhost_combined", "\"", 1, {
		{"", LF_VHOST}, {" ", LF_CLIENT}, {" ", LF_IGNORE}, {" ", LF_IGNORE},
		{" [", LF_TIME_CLF}, {"] \"", LF_REQUEST}, {"\" ", LF_STATUS},
		{" ", LF_BYTES}, {" \"", LF_REFERER}, {"\" \"", LF_USER_AGENT}}},
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

/* Number of items of preset p. */
static unsigned preset_len(const struct lf_preset *p)
{
	unsigned n = 0;
	while (n < LF_MAX_ITEMS && p->items[n].lit != NULL)
		n++;
	return n;
}

static void set_err(char *err, size_t errlen, const char *fmt, const char *arg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, fmt, arg);
}

static logfmt *compile_preset(const struct lf_preset *p)
{
	logfmt *f = calloc(1, sizeof *f);
	if (f == NULL)
		return NULL;
	f->kind = LOGFMT_KIND_FIELDS;
	f->name = p->name;
	f->nitems = preset_len(p);
	for (unsigned i = 0; i < f->nitems; i++) {
		struct lf_item *it = &f->items[i];
		it->litn = (unsigned char)strlen(p->items[i].lit);
		memcpy(it->lit, p->items[i].lit, it->litn);
		it->field = (unsigned char)p->items[i].field;
		it->quoted = it->litn > 0 && it->lit[it->litn - 1] == '"';
	}
	f->tailn = (unsigned char)strlen(p->tail);
	memcpy(f->tail, p->tail, f->tailn);
	f->extra_ok = (unsigned char)p->extra_ok;
	for (unsigned i = 0; i < f->nitems; i++) {
		const char *next = i + 1 < f->nitems ? f->items[i + 1].lit : f->tail;
		unsigned nextn = i + 1 < f->nitems ? f->items[i + 1].litn : f->tailn;
		f->items[i].delim = nextn > 0 ? (short)(unsigned char)next[0] : LF_DELIM_EOL;
	}
	return f;
}

/* Returns the format named spec, or NULL with a message in err. */
logfmt *logfmt_new(const char *spec, char *err, size_t errlen)
{
	if (spec == NULL)
		spec = "";
	for (size_t i = 0; i < LF_NPRESETS; i++) {
		if (strcmp(spec, presets[i].name) == 0) {
			logfmt *f = compile_preset(&presets[i]);
			if (f == NULL)
				set_err(err, errlen, "cannot build log format '%s': out of memory", spec);
			return f;
		}
	}
	set_err(err, errlen, "unknown log format '%s'", spec);
	return NULL;
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

static inline int is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10;
}

/* Returns the first '"' in [p, end) not escaped by an odd number of
 * backslashes, or NULL. */
static char *find_quote(char *p, char *end)
{
	char *start = p;
	for (;;) {
		char *q = memchr(p, '"', (size_t)(end - p));
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

/* Lower-cases h in place, then drops a ":port" (digits after the last
 * ':', not inside a bare IPv6 literal) and one trailing dot. */
static kr_str host_norm(char *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned)(h[i] - 'A') < 26)
			h[i] = (char)(h[i] + ('a' - 'A'));
	char *colon = memrchr(h, ':', n);
	if (colon != NULL) {
		int digits = 1;
		for (char *c = colon + 1; c < h + n; c++)
			digits &= is_digit((unsigned char)*c);
		int strip;
		if (h[0] == '[')
			strip = colon > h && colon[-1] == ']';
		else
			strip = memchr(h, ':', n) == colon;
		if (digits && strip)
			n = (size_t)(colon - h);
	}
	if (n > 0 && h[n - 1] == '.')
		n--;
	return (kr_str){h, n};
}

static inline int lower_eq(const char *p, const char *lit, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((unsigned)(c - 'A') < 26)
			c = (unsigned char)(c + ('a' - 'A'));
		if (c != (unsigned char)lit[i])
			return 0;
	}
	return 1;
}

/* Reduces an absolute-form target "http://h/p?q" to "/p?q" ("/" when the
 * path is empty) and stores its host (normalized) in *host. For "http://h?q"
 * the host bytes move one byte left to make room for the '/' of "/?q".
 * Other targets are left alone and *host is untouched. */
static void absolute_form(kr_str *target, kr_str *host)
{
	char *t = (char *)target->p;
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
	char *at = memrchr(a, '@', (size_t)(q - a));
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
 * is no method or no target (e.g. "-"). */
static int split_request(char *p, size_t n, kr_record *rec)
{
	char *end = p + n;
	char *sp = memchr(p, ' ', n);
	if (sp == NULL || sp == p)
		return -1;
	rec->method = (kr_str){p, (size_t)(sp - p)};
	char *t = sp + 1;
	char *te = end;
	char *last = memrchr(t, ' ', (size_t)(end - t));
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

/* Parses one line; see logfmt.h. Returns LOGFMT_OK with rec filled,
 * LOGFMT_MALFORMED, or LOGFMT_SKIP for a blank line. */
int logfmt_parse(const logfmt *f, char *line, size_t len, kr_record *rec)
{
	char *p = line, *end, *q;
	kr_str vhost = {NULL, 0}, target_host = {NULL, 0};
	int open_tail = 0;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	end = line + len;
	memset(rec, 0, sizeof *rec);
	for (unsigned i = 0; i < f->nitems; i++) {
		const struct lf_item *it = &f->items[i];
		if ((size_t)(end - p) < it->litn || memcmp(p, it->lit, it->litn) != 0)
			goto bad;
		p += it->litn;
		if (it->quoted) {
			q = find_quote(p, end);
			if (q == NULL) {
				/* A line cut inside its last quoted field (real logs
				 * have these) keeps what was written. */
				if (i + 1 != f->nitems)
					goto bad;
				q = end;
				open_tail = 1;
			}
		} else if (it->delim == LF_DELIM_EOL) {
			q = end;
		} else {
			q = memchr(p, it->delim, (size_t)(end - p));
			if (q == NULL)
				goto bad;
		}
		size_t n = (size_t)(q - p);
		switch (it->field) {
		case LF_VHOST:
			if (n == 0)
				goto bad;
			vhost = (kr_str){p, n};
			break;
		case LF_CLIENT:
			if (n == 0)
				goto bad;
			rec->client = (kr_str){p, n};
			break;
		case LF_IGNORE:
			if (n == 0)
				goto bad;
			break;
		case LF_TIME_CLF:
			if (ktime_parse_clf(p, n, &rec->wall, &rec->instant_us) != 0)
				goto bad;
			break;
		case LF_REQUEST:
			if (split_request(p, n, rec) != 0)
				goto bad;
			break;
		case LF_STATUS:
			if (n != 3 || !is_digit((unsigned char)p[0]) || !is_digit((unsigned char)p[1])
			    || !is_digit((unsigned char)p[2]))
				goto bad;
			rec->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
			break;
		case LF_BYTES:
			if (n == 0)
				goto bad;
			if (n == 1 && p[0] == '-')
				break;
			for (size_t k = 0; k < n; k++)
				if (!is_digit((unsigned char)p[k]))
					goto bad;
			break;
		case LF_REFERER:
			rec->referer = (kr_str){p, n};
			break;
		case LF_USER_AGENT:
			rec->user_agent = (kr_str){p, n};
			break;
		}
		p = q;
	}
	if (!open_tail) {
		if ((size_t)(end - p) < f->tailn || memcmp(p, f->tail, f->tailn) != 0)
			goto bad;
		p += f->tailn;
		if (p != end && !(f->extra_ok && *p == ' '))
			goto bad;
	}
	absolute_form(&rec->target, &target_host);
	if (vhost.n > 0 && !(vhost.n == 1 && vhost.p[0] == '-'))
		rec->host = host_norm((char *)vhost.p, vhost.n);
	else
		rec->host = target_host;
	return LOGFMT_OK;
bad:
	return blank(line, len) ? LOGFMT_SKIP : LOGFMT_MALFORMED;
}

/* Returns a freshly built format that parses a majority of the first
 * complete non-blank lines of buf (see logfmt.h), or NULL; why gets the
 * reason either way. When buf holds no complete line, its one partial line
 * is used. */
logfmt *logfmt_detect(const char *buf, size_t len, char *why, size_t whylen)
{
	const char *lines[LF_DETECT_LINES];
	size_t lens[LF_DETECT_LINES], maxlen = 0;
	unsigned nlines = 0, ok[LF_NPRESETS] = {0};
	const char *p = buf, *end = buf + len;
	char *scratch = NULL;
	logfmt *fmts[LF_NPRESETS] = {NULL};
	logfmt *ret = NULL;
	char tmp[160];

	while (p < end && nlines < LF_DETECT_LINES) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL && nlines > 0)
			break;
		const char *le = nl != NULL ? nl : end;
		if (!blank(p, (size_t)(le - p))) {
			lines[nlines] = p;
			lens[nlines] = (size_t)(le - p);
			if (lens[nlines] > maxlen)
				maxlen = lens[nlines];
			nlines++;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (nlines == 0) {
		set_err(why, whylen, "%s", "no lines");
		return NULL;
	}
	scratch = malloc(maxlen + 1);
	if (scratch == NULL)
		goto oom;
	for (size_t k = 0; k < LF_NPRESETS; k++) {
		fmts[k] = compile_preset(&presets[k]);
		if (fmts[k] == NULL)
			goto oom;
		for (unsigned i = 0; i < nlines; i++) {
			kr_record rec;
			memcpy(scratch, lines[i], lens[i]);
			if (logfmt_parse(fmts[k], scratch, lens[i], &rec) == LOGFMT_OK)
				ok[k]++;
		}
	}
	size_t best = 0;
	for (size_t k = 1; k < LF_NPRESETS; k++)
		if (ok[k] > ok[best])
			best = k;
	if (ok[best] * 2 > nlines) {
		snprintf(tmp, sizeof tmp, "%s: %u of %u lines", presets[best].name, ok[best], nlines);
		ret = fmts[best];
		fmts[best] = NULL;
	} else if (ok[best] == 0) {
		snprintf(tmp, sizeof tmp, "no known format fits any of the first %u lines", nlines);
	} else {
		snprintf(tmp, sizeof tmp, "no format fits a majority: %s parses %u of %u lines",
		         presets[best].name, ok[best], nlines);
	}
	set_err(why, whylen, "%s", tmp);
	goto out;
oom:
	set_err(why, whylen, "%s", "out of memory");
out:
	for (size_t k = 0; k < LF_NPRESETS; k++)
		logfmt_free(fmts[k]);
	free(scratch);
	return ret;
}
