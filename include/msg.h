/*
 * msg.h - the one place that talks to the user on stderr.
 *
 * Levels: -q shows errors only, the default adds warnings, -v adds the run
 * summary and notes. Every message is one line "klantreis: TEXT\n";
 * TEXT is lowercase, failure first, subject in quotes:
 *   "cannot open 'x.log': No such file or directory".
 * Thread-safe: each message is written with one locked fputs.
 */
#ifndef KR_MSG_H
#define KR_MSG_H

#include <stddef.h>

enum msg_level { MSG_QUIET = 0, MSG_NORMAL = 1, MSG_VERBOSE = 2 };

void msg_set_level(enum msg_level level);
enum msg_level msg_level(void);

/* Always shown. */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Hidden by -q. */
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shown only with -v. */
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A progress line on a terminal: "\rklantreis: TEXT" and clear to the end
 * of the line, no newline. Callers use it only when stderr is a terminal;
 * hidden by -q. msg_progress_done() erases the line. */
void msg_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_progress_done(void);

/* Formats a message into err (errlen bytes, may be 0; err may be NULL
 * then) for a caller that reports it later: modules that return their
 * reason instead of printing it (logfmt, match). */
void msg_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Copies at most max bytes of s into buf (size n) for display: control
 * characters and bytes >= 0x7f become \xNN, and "..." marks a cut.
 * Returns buf. Used for log excerpts so a hostile line cannot drive the
 * terminal. */
char *msg_escape(const char *s, size_t len, size_t max, char *buf, size_t n);

/* Edit distance between a and b (optimal string alignment: insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1;
 * ASCII letters compared case-insensitively). Words longer than 63 bytes
 * are at distance SIZE_MAX from everything. */
size_t msg_distance(const char *a, const char *b);

/* The candidate nearest to a mistyped word, for "did you mean ...?": the
 * first of cands[0..n) at the smallest distance, when that distance is at
 * most 1 for words of up to 4 bytes and at most 2 for longer ones (and
 * not 0); else NULL. cands[i] may be NULL (skipped). Returns a pointer
 * into cands. */
const char *msg_nearest(const char *word, const char *const *cands, size_t n);

#endif
