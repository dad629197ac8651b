/*
 * follow.h - following log files as a web server writes them, like
 * `tail -F` (analyze --follow).
 *
 * A follow_input is one named input. Each follow_poll looks at its path
 * (stat) and its open file (fstat) and hands out the whole lines that
 * were appended since the last poll; a partial last line waits for its
 * newline. It notices:
 *   - a rename rotation (the path names another file, or none): the old
 *     file stays open and is read on until it stayed unchanged for
 *     FOLLOW_DRAIN_POLLS polls, then its unterminated last line (if any)
 *     is handed out as a line and it is closed; the new file is read from
 *     its start;
 *   - a copytruncate (the open file became shorter than what was read,
 *     or, grown past that again before the poll, the last up to 64 bytes
 *     read before the offset are no longer there): read again from its
 *     start. A rewrite that repeats those bytes where they were is read
 *     as an append;
 *   - a file that appears later: read from its start.
 * A compressed file (input_is_plain), or one that is no regular file (a
 * FIFO, a device), is not followed: it is handed out once, whole, as a
 * stream. Standard input ("-") is read until its end;
 * its unterminated last line is a line then. The unterminated last line
 * of a file still followed is never handed out (its writer may finish it).
 *
 * Invariants: every byte of a file is handed out at most once and in
 * order; the lines of a rotated file found in the poll that notices the
 * rotation come before its successor's (its unterminated last line goes
 * out when it is closed). Messages name the input's path.
 */
#ifndef KR_FOLLOW_H
#define KR_FOLLOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Polls without change after which a rotated-away file is closed. */
#define FOLLOW_DRAIN_POLLS 5

/* What stat(2) says about a file, for follow_decide. */
typedef struct {
	int exists;
	dev_t dev;
	ino_t ino;
	off_t size;
} follow_stat;

enum follow_event {
	FOLLOW_NONE,       /* nothing to do */
	FOLLOW_APPEARED,   /* not open, and the path exists now: open it */
	FOLLOW_GREW,       /* the open file holds bytes not read yet */
	FOLLOW_TRUNCATED,  /* the open file is shorter than the offset: from 0 */
	FOLLOW_REPLACED,   /* the path names another file: drain the old one */
	FOLLOW_GONE        /* the path is gone: read on in the open file */
};

/* The decision of a poll, pure: open describes the file held open
 * (exists 0 when none is), path what the path names now, offset the
 * bytes of the open file read so far. A replaced path wins over growth
 * of the open file (the caller drains the old file either way). */
enum follow_event follow_decide(const follow_stat *open, const follow_stat *path,
                                uint64_t offset);

typedef struct follow_input follow_input;

/* What one poll handed out. buf holds whole lines (each ending in '\n')
 * and grows as needed (the caller frees it; reset len to 0 before the
 * next poll, or let the lines pile up); whole, when not NULL, is a
 * compressed file to read to its end once (the caller owns it and closes
 * it before it frees the input, which may hold its bytes). */
typedef struct {
	char *buf;
	size_t len, cap;
	FILE *whole;
	int more;                  /* the file holds more than max bytes: poll again soon */
} follow_chunk;

/* An input for path ("-": standard input); nothing is opened yet. NULL
 * when out of memory. */
follow_input *follow_input_new(const char *path);
void follow_input_free(follow_input *fi);

/* The first open, before anything is read: opens the file. A missing
 * file is waited for (warning given; returns 0); stdin is always there.
 * Returns 0, or -1 when the file exists but cannot be opened (message
 * given). */
int follow_start(follow_input *fi);

/* Reads what is new, at most about max bytes (more lines wait for the
 * next poll, with ch->more set), into ch. Returns 1 when something was
 * handed out, 0 when not, -1 on a read error (message given; the input
 * is done). */
int follow_poll(follow_input *fi, follow_chunk *ch, size_t max);

/* 1 when the input will hand out nothing more: stdin after its end, a
 * compressed file after it was handed out, or after an error. */
int follow_done(const follow_input *fi);

/* Bytes read but not yet handed out (the partial last lines), for tests. */
size_t follow_pending(const follow_input *fi);

#endif
