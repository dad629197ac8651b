/*
 * text.h - UTF-8 text, aligned tables fitted into a terminal, and the
 * streams the writers print to: the helpers every writer (report_*.c,
 * compare.c) and the catalogue share.
 *
 * Nothing here allocates; every function works on the caller's bytes and
 * stream and returns errors, never prints them.
 */
#ifndef KR_TEXT_H
#define KR_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 when the
 * bytes there are not valid UTF-8 (RFC 3629: overlong, surrogate, above
 * U+10FFFF, cut short). */
size_t text_utf8_len(const unsigned char *p, size_t n);

/* Length of the valid UTF-8 prefix of p[0..n): n when all of it is valid. */
size_t text_utf8_valid(const unsigned char *p, size_t n);

/* v in decimal into buf (n bytes), as snprintf's PRId64 writes it (cut
 * short the same way when n is too small). Returns buf. */
const char *text_int(int64_t v, char *buf, size_t n);

/* v with prec decimals into buf (n bytes), exactly as snprintf's "%.*f"
 * writes it (the exact binary value rounded to nearest, ties to even; a
 * minus for a negative value or zero), without its cost: reports write
 * hundreds of thousands of rates. Values snprintf writes faster or
 * differently (prec above 9, |v| from 1e15, NaN, infinities, n below 32)
 * go to snprintf. Returns buf. */
const char *text_fixed(double v, int prec, char *buf, size_t n);

/* Columns s takes on a terminal: its UTF-8 code points (continuation bytes
 * are not counted). */
size_t text_width(const char *s);

/* Writes n spaces. */
void text_put_spaces(FILE *fp, size_t n);

/* Writes s for a terminal cut to at most w display columns (code points),
 * ending in an ellipsis (U+2026) when cut, and pads it with blanks to w
 * when pad is set. A control character (a gemeente named after a logged
 * Host header may hold ESC) is written as '?', which keeps the width
 * text_width counted and the terminal out of the log's hands. Returns the
 * columns written. */
size_t text_put_cut(FILE *fp, const char *s, size_t w, int pad);

/* Writes the words of text (separated by blanks) wrapped at width
 * columns (0: no limit), then tail (unless NULL; an escape sequence, say,
 * that takes no columns) and a newline. */
void text_put_wrapped(FILE *fp, const char *text, size_t width, const char *tail);

/* The table width for stream fp: its terminal's width when fp is a
 * terminal, else $COLUMNS when that is a number from 20 to 1000, else 80. */
int text_term_width(FILE *fp);

/* One column of a table to fit. The caller fills width, min and drop;
 * text_fit fills shown and w. */
typedef struct {
	size_t width;   /* natural width: its widest cell or title */
	size_t min;     /* text: the narrowest it may be cut to; 0: never cut */
	int drop;       /* the order in which columns are left out (1 first);
	                   0: never */
	int shown;      /* out: 1 when shown */
	size_t w;       /* out: the width to print it with (<= width) */
} text_col;

/* Fits n columns, sep blanks apart, and an optional trailer of `extra`
 * columns after the last one (a bar; 0 for none) into `width` display
 * columns, as a person would: first the trailer goes, then text columns
 * are cut (widest first) to a comfortable width (16, or their min when
 * larger), then columns are left out in their drop order, then text is
 * cut down to its min. width 0 means no limit. Sets *keep_extra to 1 when
 * the trailer stays. Returns the width of the widest line it makes, which
 * is more than width only when even that does not fit. */
size_t text_fit(text_col *c, int n, size_t sep, size_t extra, int *keep_extra,
                size_t width);

/* The rule under a fitted table's titles: a dash under each column shown,
 * two blanks apart, and a newline. */
void text_put_rule(FILE *fp, const text_col *col, int n);

/* The words of a fitted table's footer, in the table's language. */
typedef struct {
	const char *short_label;   /* "Short:" */
	const char *left_out;      /* "Left out:" */
	const char *see_all;       /* "(a wider terminal ... shows all)" */
} text_footer_words;

/* Below a table fitted by text_fit: what its short titles stand for and
 * which columns were left out, so nothing disappears unexplained:
 * "Short: a = b, c = d. Left out: e, f (...)" wrapped at width, after an
 * empty line; nothing when every column shows its full title. titles are
 * the titles printed, full the full ones, col the n fitted columns. */
void text_fit_footer(FILE *fp, const text_footer_words *w, const char *const *titles,
                     const char *const *full, const text_col *col, int n, size_t width);

/* 1 when s is a number as the CSV writes it: [-]digits[.digits] (also
 * JSON's syntax). */
int text_is_number(const char *s);

/* Flushes fp after a run of writes. Returns 0, or -1 with errno set when
 * any write to fp failed. */
int text_finish(FILE *fp);

/* Writes s to buf (size n > 0) as one word for a POSIX shell: as is when
 * it holds only letters, digits and @%+=:,./-_ (and is not empty), else
 * in single quotes with ' written as '\''. Cut short where buf ends; buf
 * stays NUL-terminated. Returns the length the whole word needs (at most
 * 4 * strlen(s) + 2). */
size_t text_shell_quote(char *buf, size_t n, const char *s);

#endif
