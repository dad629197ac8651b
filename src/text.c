/*
 * text.c - UTF-8 text, aligned tables fitted into a terminal's width, and
 * stream helpers shared by the writers and the catalogue (see text.h).
 *
 * Invariants: no allocation, no messages; only the given stream is
 * written.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "text.h"

size_t text_utf8_len(const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	unsigned c = p[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;   /* range of the second byte */
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;           /* overlong */
		else if (c == 0xED)
			hi = 0x9F;           /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;           /* overlong */
		else if (c == 0xF4)
			hi = 0x8F;           /* above U+10FFFF */
	} else
		return 0;                    /* C0, C1 (overlong), F5-FF, 80-BF */
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

size_t text_utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* ASCII, eight bytes at a time (catalogues and reports are
		 * mostly ASCII) */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i == n)
			break;
		size_t len = text_utf8_len(p + i, n - i);
		if (len == 0)
			break;
		i += len;
	}
	return i;
}

const char *text_int(int64_t v, char *buf, size_t n)
{
	char digits[24];
	size_t k = sizeof digits;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	digits[--k] = '\0';
	do {
		digits[--k] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u > 0);
	if (v < 0)
		digits[--k] = '-';
	if (n < sizeof digits - k) {
		snprintf(buf, n, "%" PRId64, v);
		return buf;
	}
	memcpy(buf, digits + k, sizeof digits - k);
	return buf;
}

const char *text_fixed(double v, int prec, char *buf, size_t n)
{
	static const uint64_t pow10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
		10000000, 100000000, 1000000000 };
	char digits[48];
	if (prec < 0 || prec > 9 || !isfinite(v) || fabs(v) >= 1e15 || n < 32) {
		/* (the fast path writes 27 bytes at most) */
		snprintf(buf, n, "%.*f", prec, v);
		return buf;
	}
	/* |v| = m 2^e exactly; |v| 10^prec = m 10^prec 2^e, m 10^prec < 2^83 */
	int e;
	double f = frexp(fabs(v), &e);
	uint64_t m = (uint64_t)ldexp(f, 53);
	e -= 53;
	unsigned __int128 x = (unsigned __int128)m * pow10[prec], q;
	if (e >= 0) {
		q = x << e; /* |v| < 1e15 < 2^53: e is 0 at most */
	} else if (e <= -120) {
		q = 0; /* below half a unit of the last decimal: 0 */
	} else {
		int sh = -e;
		unsigned __int128 rest = x & (((unsigned __int128)1 << sh) - 1);
		unsigned __int128 half = (unsigned __int128)1 << (sh - 1);
		q = x >> sh;
		if (rest > half || (rest == half && (q & 1))) /* to nearest, ties to even */
			q++;
	}
	/* the digits of q, at least prec + 1 of them, from the end */
	size_t k = sizeof digits;
	digits[--k] = '\0';
	for (int d = 0; q > 0 || d <= prec; d++) {
		if (d == prec && prec > 0)
			digits[--k] = '.';
		digits[--k] = (char)('0' + (int)(q % 10));
		q /= 10;
	}
	if (signbit(v))
		digits[--k] = '-';
	memcpy(buf, digits + k, sizeof digits - k);
	return buf;
}

size_t text_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		w += (*p & 0xC0) != 0x80;
	return w;
}

void text_put_spaces(FILE *fp, size_t n)
{
	while (n--)
		putc(' ', fp);
}

size_t text_put_cut(FILE *fp, const char *s, size_t w, int pad)
{
	size_t len = text_width(s), done = 0;
	int cut = len > w;
	size_t keep = cut ? (w ? w - 1 : 0) : len;
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if ((*p & 0xC0) != 0x80) {
			if (done == keep)
				break;
			done++;
		}
		putc(*p < 0x20 || *p == 0x7f ? '?' : *p, fp);
	}
	if (cut && w) {
		fputs("\xe2\x80\xa6", fp);
		done++;
	}
	if (pad)
		text_put_spaces(fp, w - done);
	return pad ? w : done;
}

static size_t text_cols(const text_col *c, int n, size_t sep)
{
	size_t total = 0;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (c[i].shown) {
			total += c[i].w + (k++ ? sep : 0);
		}
	return total;
}

/* Cuts the widest cuttable text column by one, not below floor (or its
 * min when larger). Returns 0 when none can be cut. */
static int cut_one(text_col *c, int n, size_t floor)
{
	int best = -1;
	for (int i = 0; i < n; i++) {
		size_t lim = c[i].min > floor ? c[i].min : floor;
		if (c[i].shown && c[i].min && c[i].w > lim && (best < 0 || c[i].w > c[best].w))
			best = i;
	}
	if (best < 0)
		return 0;
	c[best].w--;
	return 1;
}

size_t text_fit(text_col *c, int n, size_t sep, size_t extra, int *keep_extra,
                size_t width)
{
	for (int i = 0; i < n; i++) {
		c[i].shown = 1;
		c[i].w = c[i].width;
	}
	*keep_extra = extra > 0;
	size_t total = text_cols(c, n, sep) + extra;
	if (width == 0 || total <= width)
		return total;
	*keep_extra = 0;
	/* cut text to a comfortable width */
	while (text_cols(c, n, sep) > width && cut_one(c, n, 16))
		;
	/* leave columns out, the least needed first */
	for (int order = 1; text_cols(c, n, sep) > width; order++) {
		int any = 0, more = 0;
		for (int i = 0; i < n; i++) {
			if (c[i].drop == order && c[i].shown) {
				c[i].shown = 0;
				any = 1;
			}
			more |= c[i].drop > order;
		}
		if (!any && !more)
			break;
	}
	/* and cut text further, down to its min */
	while (text_cols(c, n, sep) > width && cut_one(c, n, 0))
		;
	/* give back what a left-out column freed to the cut text */
	for (;;) {
		int best = -1;
		for (int i = 0; i < n; i++)
			if (c[i].shown && c[i].w < c[i].width && (best < 0 || c[i].w < c[best].w))
				best = i;
		if (best < 0 || text_cols(c, n, sep) + 1 > width)
			break;
		c[best].w++;
	}
	return text_cols(c, n, sep);
}

int text_term_width(FILE *fp)
{
	struct winsize ws;
	if (fp && isatty(fileno(fp)) && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *env = getenv("COLUMNS");
	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);
		if (!*end && v >= 20 && v <= 1000)
			return (int)v;
	}
	return 80;
}

void text_put_wrapped(FILE *fp, const char *text, size_t width, const char *tail)
{
	size_t col = 0;
	while (*text) {
		size_t n = strcspn(text, " ");
		if (n > 0) {
			size_t len = 0;
			for (size_t k = 0; k < n; k++)
				len += ((unsigned char)text[k] & 0xC0) != 0x80;
			if (col > 0 && width > 0 && col + 1 + len > width) {
				putc('\n', fp);
				col = 0;
			} else if (col > 0) {
				putc(' ', fp);
				col++;
			}
			fwrite(text, 1, n, fp);
			col += len;
		}
		text += n;
		text += strspn(text, " ");
	}
	if (tail)
		fputs(tail, fp);
	putc('\n', fp);
}

void text_put_rule(FILE *fp, const text_col *col, int n)
{
	int k = 0;
	for (int c = 0; c < n; c++) {
		if (!col[c].shown)
			continue;
		if (k++)
			fputs("  ", fp);
		for (size_t i = 0; i < col[c].w; i++)
			putc('-', fp);
	}
	putc('\n', fp);
}

/* Appends printf output to the string buf of size n (cut when full). */
static void append(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	va_start(ap, fmt);
	if (len < n)
		vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

void text_fit_footer(FILE *fp, const text_footer_words *w, const char *const *titles,
                     const char *const *full, const text_col *col, int n, size_t width)
{
	char text[1024] = "";
	for (int part = 0; part < 2; part++) {
		int k = 0;
		for (int c = 0; c < n; c++) {
			if (!(part == 0 ? col[c].shown && strcmp(titles[c], full[c]) != 0 : !col[c].shown))
				continue;
			if (k++ == 0)
				append(text, sizeof text, "%s%s", text[0] ? " " : "",
				       part == 0 ? w->short_label : w->left_out);
			if (part == 0)
				append(text, sizeof text, "%s %s = %s", k > 1 ? "," : "", titles[c], full[c]);
			else
				append(text, sizeof text, "%s %s", k > 1 ? "," : "", full[c]);
		}
		if (k)
			append(text, sizeof text, "%s", part == 0 ? "." : " ");
		if (k && part == 1)
			append(text, sizeof text, "%s", w->see_all);
	}
	if (text[0]) {
		putc('\n', fp);
		text_put_wrapped(fp, text, width, NULL);
	}
}

int text_is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

int text_finish(FILE *fp)
{
	int saved = errno;
	if (fflush(fp) != 0)
		return -1;
	if (ferror(fp)) {
		errno = saved ? saved : EIO;
		return -1;
	}
	return 0;
}

/* Appends byte c to buf (size n) at *o while there is room; counts it
 * in *o either way. */
static void put_byte(char *buf, size_t n, size_t *o, char c)
{
	if (*o + 1 < n)
		buf[*o] = c;
	(*o)++;
}

size_t text_shell_quote(char *buf, size_t n, const char *s)
{
	size_t o = 0;
	int plain = *s != '\0';
	for (const char *t = s; *t; t++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		            "0123456789@%+=:,./-_", *t))
			plain = 0;
	if (!plain)
		put_byte(buf, n, &o, '\'');
	for (; *s; s++) {
		if (*s != '\'') {
			put_byte(buf, n, &o, *s);
			continue;
		}
		for (const char *q = "'\\''"; *q; q++)
			put_byte(buf, n, &o, *q);
	}
	if (!plain)
		put_byte(buf, n, &o, '\'');
	buf[o < n ? o : n - 1] = '\0';
	return o;
}
