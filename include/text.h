/*
 * text.h - UTF-8 text and the streams the writers print to: the small
 * helpers every writer (report_*.c, compare.c) and the catalogue share.
 *
 * Nothing here allocates; every function works on the caller's bytes and
 * stream and returns errors, never prints them.
 */
#ifndef KR_TEXT_H
#define KR_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 when the
 * bytes there are not valid UTF-8 (RFC 3629: overlong, surrogate, above
 * U+10FFFF, cut short). */
size_t text_utf8_len(const unsigned char *p, size_t n);

/* Length of the valid UTF-8 prefix of p[0..n): n when all of it is valid. */
size_t text_utf8_valid(const unsigned char *p, size_t n);

/* Columns s takes on a terminal: its UTF-8 code points (continuation bytes
 * are not counted). */
size_t text_width(const char *s);

/* Writes n spaces. */
void text_put_spaces(FILE *fp, size_t n);

/* Writes s for a terminal: a control character (a gemeente named after a
 * logged Host header may hold ESC) becomes '?', which keeps the width
 * text_width counted and the terminal out of the log's hands. */
void text_put_terminal(FILE *fp, const char *s);

/* 1 when s is a number as the CSV writes it: [-]digits[.digits] (also
 * JSON's syntax). */
int text_is_number(const char *s);

/* Flushes fp after a run of writes. Returns 0, or -1 with errno set when
 * any write to fp failed. */
int text_finish(FILE *fp);

#endif
