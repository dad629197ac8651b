/*
 * text.c - UTF-8 text and stream helpers shared by the writers and the
 * catalogue (see text.h).
 *
 * Invariants: no allocation, no messages; only the given stream is
 * written.
 */
#include <errno.h>

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
		size_t len = text_utf8_len(p + i, n - i);
		if (len == 0)
			break;
		i += len;
	}
	return i;
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

void text_put_terminal(FILE *fp, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		putc(*p < 0x20 || *p == 0x7f ? '?' : *p, fp);
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
