/*
 * msg.c - messages to the user on stderr, filtered by level (-q / -v).
 *
 * The level is process-wide and set once by main before threads start.
 * Each message is formatted into a local buffer and written with one
 * fputs under the stdio lock, so lines from several threads never mix.
 * msg_nearest finds the "did you mean" for a mistyped command or option.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

static enum msg_level level = MSG_NORMAL;

void msg_set_level(enum msg_level l)
{
	level = l;
}

enum msg_level msg_level(void)
{
	return level;
}

static void emit(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static void emit(const char *fmt, va_list ap)
{
	char buf[2048];
	int n = snprintf(buf, sizeof buf, "klantreis: ");
	int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof buf - 2)
		len = sizeof buf - 2;
	buf[len++] = '\n';
	buf[len] = '\0';
	fputs(buf, stderr);
}

void msg_set(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(fmt, ap);
	va_end(ap);
}

void msg_warn(const char *fmt, ...)
{
	if (level < MSG_NORMAL)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit(fmt, ap);
	va_end(ap);
}

void msg_info(const char *fmt, ...)
{
	if (level < MSG_VERBOSE)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit(fmt, ap);
	va_end(ap);
}

char *msg_escape(const char *s, size_t len, size_t max, char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	/* content gets n - 5 bytes, leaving room for "...", the NUL and one
	 * spare; computed without underflow, so a tiny n stays in bounds */
	size_t room = n > 5 ? n - 5 : 0;
	size_t o = 0, i;
	if (n == 0)
		return buf;
	for (i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 > room)
				break;
			buf[o++] = (char)c;
		} else {
			if (o + 4 > room)
				break;
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	if (i < len && o + 3 < n) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

void msg_progress(const char *fmt, ...)
{
	char buf[256];
	if (level < MSG_NORMAL)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\rklantreis: %s\033[K", buf);
	fflush(stderr);
}

void msg_progress_done(void)
{
	if (level < MSG_NORMAL)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* ---- did you mean ...? ---- */

#define WORD_MAX 63

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

size_t msg_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > WORD_MAX || nb > WORD_MAX)
		return SIZE_MAX;
	/* d[i][j]: distance between the first i bytes of a and j of b */
	size_t d[WORD_MAX + 1][WORD_MAX + 1];
	for (size_t i = 0; i <= na; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			int ai = lower((unsigned char)a[i - 1]), bj = lower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j - 1] + (ai != bj);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ai == lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) == bj && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[na][nb];
}

const char *msg_nearest(const char *word, const char *const *cands, size_t n)
{
	size_t limit = strlen(word) <= 4 ? 1 : 2;
	const char *best = NULL;
	size_t bd = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		size_t dist = msg_distance(word, cands[i]);
		if (dist < bd) {
			bd = dist;
			best = cands[i];
		}
	}
	return bd >= 1 && bd <= limit ? best : NULL;
}
