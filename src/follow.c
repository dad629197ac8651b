/*
 * follow.c - following growing log files (see follow.h).
 *
 * Each input holds the file its path named when last looked at (cur) and
 * a list of files rotated away from under it (old, oldest first), each a
 * `src`: an open descriptor, its identity (device, inode), the offset read
 * so far (pread, so the descriptor's own position is unused) and the
 * unterminated line read at its end. A poll drains the old files first,
 * then asks follow_decide what happened to the path.
 *
 * A copytruncate followed by more lines than were read, all between two
 * polls, leaves the file no shorter than the offset: the size cannot
 * tell. So each src also remembers the last bytes it read (up to
 * TAIL_MAX, those just before off), and a poll that finds the current
 * file not shorter reads them again (one pread): when they differ, the
 * file was truncated and written again, and it is read from its start.
 * A rewrite whose bytes before the old offset equal the old ones cannot
 * be told from an append (new lines that repeat the old ones byte for
 * byte there; log lines carry their time): it is read as one.
 *
 * Invariants: a src's bytes [0, off) were read; those up to its last
 * newline were handed out, the rest is in part; tail holds its bytes
 * [off - tlen, off), tlen = min(off, TAIL_MAX) (but on stdin, which keeps
 * none). Only whole lines leave a
 * src, but for the last line of a closed-off file (rotated away and idle,
 * or stdin at its end).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "follow.h"
#include "input.h"
#include "msg.h"

/* The first read of a poll; reads double while the file has more. */
#define READ_FIRST ((size_t)64 << 10)
/* Bytes after the last newline that are handed out as a line anyway. */
#define FOLLOW_MAX_LINE ((size_t)64 << 20)
/* The bytes before the offset that are read again at each poll. */
#define TAIL_MAX 64

typedef struct src {
	int fd;
	dev_t dev;
	ino_t ino;
	uint64_t off;              /* bytes read from fd */
	char *part;                /* the unterminated line read last */
	size_t plen, pcap;
	unsigned char tail[TAIL_MAX]; /* the bytes just before off */
	size_t tlen;
	int idle;                  /* polls without a new byte (old files) */
	int sniffed;               /* known to be plain */
	int stream;                /* no regular file (a FIFO, a device): read once */
	struct src *next;
} src;

struct follow_input {
	char *path;
	int is_stdin;
	int done;
	int waiting;               /* the path did not exist at the last look */
	src *cur;
	src *old;
	char *whole_buf;           /* compressed stdin, behind ch->whole */
};

enum follow_event follow_decide(const follow_stat *open, const follow_stat *path,
                                uint64_t offset)
{
	if (!open->exists)
		return path->exists ? FOLLOW_APPEARED : FOLLOW_NONE;
	if (!path->exists)
		return FOLLOW_GONE;
	if (path->dev != open->dev || path->ino != open->ino)
		return FOLLOW_REPLACED;
	if ((uint64_t)open->size < offset)
		return FOLLOW_TRUNCATED;
	if ((uint64_t)open->size > offset)
		return FOLLOW_GREW;
	return FOLLOW_NONE;
}

static const char *shown(const follow_input *fi)
{
	return fi->is_stdin ? "(stdin)" : fi->path;
}

follow_input *follow_input_new(const char *path)
{
	follow_input *fi = calloc(1, sizeof *fi);
	if (!fi)
		return NULL;
	fi->path = strdup(path);
	if (!fi->path) {
		free(fi);
		return NULL;
	}
	fi->is_stdin = strcmp(path, "-") == 0;
	return fi;
}

static void src_free(src *s)
{
	if (!s)
		return;
	if (s->fd > 0)
		close(s->fd);
	free(s->part);
	free(s);
}

void follow_input_free(follow_input *fi)
{
	if (!fi)
		return;
	src_free(fi->cur);
	while (fi->old) {
		src *n = fi->old->next;
		src_free(fi->old);
		fi->old = n;
	}
	free(fi->whole_buf);
	free(fi->path);
	free(fi);
}

int follow_done(const follow_input *fi)
{
	return fi->done;
}

size_t follow_pending(const follow_input *fi)
{
	size_t n = fi->cur ? fi->cur->plen : 0;
	for (const src *s = fi->old; s; s = s->next)
		n += s->plen;
	return n;
}

/* Room for want more bytes in the chunk; -1 when out of memory. */
static int chunk_room(follow_chunk *ch, size_t want)
{
	if (ch->len + want <= ch->cap)
		return 0;
	size_t nc = ch->cap ? ch->cap : 65536;
	while (nc < ch->len + want)
		nc *= 2;
	char *n = realloc(ch->buf, nc);
	if (!n)
		return -1;
	ch->buf = n;
	ch->cap = nc;
	return 0;
}

/* Opens the path as a new src; NULL with errno set when it cannot. */
static src *src_open(const char *path)
{
	src *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (s->fd < 0 || fstat(s->fd, &st) < 0) {
		int e = errno;
		src_free(s);
		errno = e;
		return NULL;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->stream = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
	return s;
}

/* Remembers b[0..n), the bytes just read from s (they end at s->off),
 * as the last of s's tail. */
static void tail_note(src *s, const char *b, size_t n)
{
	if (n >= TAIL_MAX) {
		memcpy(s->tail, b + n - TAIL_MAX, TAIL_MAX);
		s->tlen = TAIL_MAX;
		return;
	}
	size_t keep = s->tlen + n > TAIL_MAX ? TAIL_MAX - n : s->tlen;
	memmove(s->tail, s->tail + s->tlen - keep, keep);
	memcpy(s->tail + keep, b, n);
	s->tlen = keep + n;
}

/* 1 when the bytes before s->off are no longer those read there (or
 * fewer): the file was truncated and written again, or rewritten in
 * place, since they were read. One pread of at most TAIL_MAX bytes; a
 * read error is 0 (the read that follows reports it). */
static int tail_changed(const src *s)
{
	unsigned char b[TAIL_MAX];
	if (!s->tlen)
		return 0;
	ssize_t r = pread(s->fd, b, s->tlen, (off_t)(s->off - s->tlen));
	if (r < 0)
		return 0;
	return (size_t)r != s->tlen || memcmp(b, s->tail, s->tlen) != 0;
}

/* The chunk's end holds a copy of s->part and then got new bytes: hands
 * out its whole lines and keeps the rest in s->part; with last, the rest
 * is a line too. Returns 1 when a line was handed out, 0 when not, -1
 * when out of memory. */
static int take_lines(src *s, follow_chunk *ch, size_t got, int last)
{
	/* the new bytes are at ch->buf + ch->len + s->plen, after a copy of
	 * part (see read_src) */
	char *start = ch->buf + ch->len;
	size_t total = s->plen + got;
	char *nl = total ? kr_memrchr(start, '\n', total) : NULL;
	size_t whole = nl ? (size_t)(nl - start) + 1 : 0;
	if ((last || total - whole > FOLLOW_MAX_LINE) && whole < total) {
		/* the end of the file, or a "line" that never ends (no log
		 * line is this long; the pipeline counts it malformed): out
		 * as a line; the callers left room for one byte more */
		start[total] = '\n';
		total++;
		whole = total;
	}
	size_t rest = total - whole;
	if (rest > s->pcap) {
		char *n = realloc(s->part, rest);
		if (!n)
			return -1;
		s->part = n;
		s->pcap = rest;
	}
	if (rest)
		memcpy(s->part, start + whole, rest);
	s->plen = rest;
	ch->len += whole;
	return whole > 0;
}

/* Reads what s holds beyond off, up to about max bytes, into ch (whole
 * lines; the rest waits in part). With last, the file is finished: its
 * unterminated line goes out too. Returns 1 when lines were handed out,
 * 0 when not, -1 on an error (message given). */
static int read_src(follow_input *fi, src *s, follow_chunk *ch, size_t max, int last)
{
	int out = 0;
	size_t budget = max ? max : 1, want = READ_FIRST;
	for (;;) {
		if (want > budget)
			want = budget;
		if (chunk_room(ch, s->plen + want + 1) < 0) {
			msg_error("out of memory");
			return -1;
		}
		if (s->plen) /* part is NULL before the first partial line */
			memcpy(ch->buf + ch->len, s->part, s->plen);
		ssize_t r = pread(s->fd, ch->buf + ch->len + s->plen, want, (off_t)s->off);
		if (r < 0) {
			msg_error("cannot read '%s': %s", shown(fi), strerror(errno));
			return -1;
		}
		s->off += (uint64_t)r;
		tail_note(s, ch->buf + ch->len + s->plen, (size_t)r);
		int eof = (size_t)r < want;
		int t = take_lines(s, ch, (size_t)r, last && eof);
		if (t < 0) {
			msg_error("out of memory");
			return -1;
		}
		out |= t;
		if (r > 0)
			s->idle = 0;
		if (eof)
			return out;
		if ((size_t)r >= budget) {
			ch->more = 1;
			return out;
		}
		budget -= (size_t)r;
		want *= 2; /* a big file: fewer, larger reads */
	}
}

/* A file that is not plain text, or no regular file (a FIFO: no pread),
 * is handed out whole, once; undecided
 * (too few bytes to tell, and no line yet) waits. Returns 1 when s is
 * plain, 0 when undecided, 2 when it went out whole (s is freed and the
 * input done). */
static int sniff_src(follow_input *fi, src **sp, follow_chunk *ch)
{
	src *s = *sp;
	if (s->sniffed)
		return 1;
	if (!s->stream) {
		unsigned char m[INPUT_MAGIC_MAX];
		ssize_t n = pread(s->fd, m, sizeof m, 0);
		if (n < (ssize_t)sizeof m && (n <= 0 || !memchr(m, '\n', (size_t)n)))
			return 0;
		if (input_is_plain(m, (size_t)n)) {
			s->sniffed = 1;
			return 1;
		}
	}
	FILE *fp = fdopen(s->fd, "rb");
	if (!fp)
		return 0;
	msg_info("'%s' is %s: read once, not followed", shown(fi),
	         s->stream ? "no regular file" : "compressed");
	s->fd = -1;
	src_free(s);
	*sp = NULL;
	ch->whole = fp;
	fi->done = 1;
	return 2;
}

int follow_start(follow_input *fi)
{
	if (fi->is_stdin || fi->cur || fi->done)
		return 0;
	fi->cur = src_open(fi->path);
	if (fi->cur)
		return 0;
	if (errno == ENOENT) {
		msg_warn("'%s' does not exist (yet): waiting for it", fi->path);
		fi->waiting = 1;
		return 0;
	}
	msg_error("cannot open '%s': %s", fi->path, strerror(errno));
	fi->done = 1;
	return -1;
}

/* Hands standard input out whole when p[0..n), its first bytes, are not
 * plain: those bytes and the rest of fd 0, read to its end into memory
 * (compressed, so smaller than its lines; fmemopen is portable where a
 * stream over fd 0 with bytes put back is not). Returns 1 when it did
 * (ch->whole set, the input done), 0 when stdin is plain, -1 on an
 * error (message given). */
static int stdin_whole(follow_input *fi, const char *p, size_t n, follow_chunk *ch)
{
	if (input_is_plain(p, n))
		return 0;
	size_t cap = n + 65536, len = n;
	char *buf = malloc(cap);
	if (!buf)
		goto oom;
	memcpy(buf, p, n);
	for (;;) {
		if (len == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				goto oom;
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(0, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			msg_error("cannot read '(stdin)': %s", strerror(errno));
			free(buf);
			fi->done = 1;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	FILE *fp = fmemopen(buf, len ? len : 1, "rb");
	if (!fp)
		goto oom;
	free(fi->whole_buf);
	fi->whole_buf = buf;
	ch->whole = fp;
	fi->done = 1;
	return 1;
oom:
	free(buf);
	msg_error("out of memory");
	fi->done = 1;
	return -1;
}

/* Standard input: what can be read without waiting, up to max. */
static int poll_stdin(follow_input *fi, follow_chunk *ch, size_t max)
{
	if (!fi->cur) {
		fi->cur = calloc(1, sizeof *fi->cur);
		if (!fi->cur) {
			msg_error("out of memory");
			return -1;
		}
		fi->cur->fd = 0;
	}
	src *s = fi->cur;
	size_t budget = max ? max : 1, want = READ_FIRST;
	int out = 0;
	for (;;) {
		struct pollfd pfd = { 0, POLLIN, 0 };
		if (poll(&pfd, 1, 0) <= 0)
			return out;
		if (want > budget)
			want = budget;
		if (chunk_room(ch, s->plen + want + 1) < 0) {
			msg_error("out of memory");
			return -1;
		}
		if (s->plen) /* part is NULL before the first partial line */
			memcpy(ch->buf + ch->len, s->part, s->plen);
		ssize_t r = read(0, ch->buf + ch->len + s->plen, want);
		if (r < 0 && errno == EINTR)
			return out;
		if (r < 0) {
			msg_error("cannot read '(stdin)': %s", strerror(errno));
			fi->done = 1;
			return -1;
		}
		if (!s->sniffed) {
			/* compressed? decided on INPUT_MAGIC_MAX bytes, a line, or the end */
			const char *p = ch->buf + ch->len;
			size_t n = s->plen + (size_t)r;
			if (n >= INPUT_MAGIC_MAX || memchr(p, '\n', n) || r == 0) {
				int w = stdin_whole(fi, p, n, ch);
				if (w < 0)
					return -1;
				if (w > 0) {
					s->plen = 0;
					return 1;
				}
				s->sniffed = 1;
			}
		}
		int t = take_lines(s, ch, (size_t)r, r == 0);
		if (t < 0) {
			msg_error("out of memory");
			return -1;
		}
		out |= t;
		if (r == 0) {
			fi->done = 1;
			return out;
		}
		if ((size_t)r >= budget) {
			ch->more = 1;
			return out;
		}
		budget -= (size_t)r;
		if ((size_t)r == want)
			want *= 2;
	}
}

static void stat_of(int ok, const struct stat *st, follow_stat *fs)
{
	memset(fs, 0, sizeof *fs);
	if (!ok)
		return;
	fs->exists = 1;
	fs->dev = st->st_dev;
	fs->ino = st->st_ino;
	fs->size = st->st_size;
}

/* The old files: read on; close those idle for FOLLOW_DRAIN_POLLS polls
 * (their unterminated last line goes out as a line). */
static int drain_old(follow_input *fi, follow_chunk *ch, size_t max)
{
	int out = 0;
	for (src **pp = &fi->old; *pp;) {
		src *s = *pp;
		int last = ++s->idle > FOLLOW_DRAIN_POLLS;
		int r = read_src(fi, s, ch, max, last);
		if (r < 0)
			last = 1;
		else
			out |= r;
		if (last && !ch->more) {
			msg_info("'%s': done with the rotated file (%llu bytes)", shown(fi),
			         (unsigned long long)s->off);
			*pp = s->next;
			src_free(s);
		} else {
			pp = &s->next;
		}
	}
	return out;
}

int follow_poll(follow_input *fi, follow_chunk *ch, size_t max)
{
	if (fi->done)
		return 0;
	if (fi->is_stdin)
		return poll_stdin(fi, ch, max);
	int out = drain_old(fi, ch, max);
	if (ch->more)
		return out; /* the old file first */

	struct stat ps, os;
	follow_stat p, o;
	stat_of(stat(fi->path, &ps) == 0, &ps, &p);
	stat_of(fi->cur && fstat(fi->cur->fd, &os) == 0, &os, &o);
	enum follow_event ev = follow_decide(&o, &p, fi->cur ? fi->cur->off : 0);
	if ((ev == FOLLOW_GREW || ev == FOLLOW_NONE) && fi->cur && tail_changed(fi->cur))
		ev = FOLLOW_TRUNCATED; /* and written again past the offset */
	switch (ev) {
	case FOLLOW_NONE:
	case FOLLOW_GONE:
		break;
	case FOLLOW_APPEARED:
		if (!(fi->cur = src_open(fi->path)))
			return out; /* gone again, or not readable yet: next poll */
		if (fi->waiting)
			msg_info("'%s' appeared: reading it", fi->path);
		fi->waiting = 0;
		break;
	case FOLLOW_TRUNCATED:
		msg_info("'%s' was truncated: reading it again from the start", fi->path);
		fi->cur->off = 0;
		fi->cur->tlen = 0;
		fi->cur->plen = 0; /* the start of a line that was cut off */
		break;
	case FOLLOW_REPLACED: {
		src *n = src_open(fi->path);
		if (!n)
			break; /* try again at the next poll */
		msg_info("'%s' was rotated: reading the new file, and the old one to its end",
		         fi->path);
		/* the old one goes last in the list (oldest first) */
		src **pp = &fi->old;
		while (*pp)
			pp = &(*pp)->next;
		*pp = fi->cur;
		fi->cur->idle = 0;
		fi->cur = n;
		/* its bytes come before the new file's */
		int r = read_src(fi, *pp, ch, max, 0);
		if (r > 0)
			out = 1;
		if (ch->more)
			return out;
		break;
	}
	case FOLLOW_GREW:
		break;
	}
	if (!fi->cur)
		return out;
	int sn = sniff_src(fi, &fi->cur, ch);
	if (sn == 2)
		return 1;
	if (sn == 0)
		return out;
	int r = read_src(fi, fi->cur, ch, max, 0);
	if (r < 0) {
		fi->done = 1;
		return -1;
	}
	return out | r;
}
