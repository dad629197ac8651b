/*
 * output.c - report and history files written all or nothing (see
 * output.h).
 *
 * Every regular file is replaced by writing a temporary file
 * "FILE.tmp.XXXXXX" next to it (next to a symbolic link's target), syncing
 * it and renaming it over FILE; on any failure the temporary file is
 * removed and FILE is untouched. The history (--append) is read, merged
 * and replaced while its fcntl(2) lock is held; this run's rows come from
 * the report model as CSV lines (report_csv_row), only the old history is
 * parsed (libcsv). A waiting run then holds the
 * lock of the replaced inode, so after locking each run checks that the
 * path still names the inode it locked and starts over when it does not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "msg.h"
#include "output.h"
#include "report_read.h"
#include "report_writers.h"
#include "fault.h"

/* ---- files ----------------------------------------------------------- */

/* The file to replace for path: the target of a symbolic link (so the
 * link stays a link), else path itself. Owned by the caller; NULL when
 * out of memory. */
static char *target_of(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *r = realpath(path, NULL);
		if (r)
			return r;
	}
	return strdup(path);
}

/* The directory part of path ("." when it has none), into buf. */
static void dir_of(const char *path, char *buf, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(buf, n, ".");
		return;
	}
	size_t len = slash == path ? 1 : (size_t)(slash - path);
	snprintf(buf, n, "%.*s", (int)len, path);
}

/* 0 when a new file can be made in directory dir, else the errno that
 * says why not (ENOTDIR when dir is no directory). */
static int dir_writable(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return errno;
	if (!S_ISDIR(st.st_mode))
		return ENOTDIR;
	return access(dir, W_OK | X_OK) != 0 ? errno : 0;
}

int output_check(const char *path, const char *opt, int history)
{
	struct stat st;
	char dir[PATH_MAX];
	if (!path || strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			msg_error("cannot write '%s' (%s): %s", path, opt, strerror(EISDIR));
			return -1;
		}
		if (!S_ISREG(st.st_mode))
			return history ? (msg_error("cannot use '%s' (%s) as a history: "
			                            "not a regular file", path, opt), -1) : 0;
		if (history && access(path, R_OK | W_OK) != 0) {
			msg_error("cannot write '%s' (%s): %s", path, opt, strerror(errno));
			return -1;
		}
	}
	char *t = target_of(path);
	if (!t) {
		msg_error("out of memory");
		return -1;
	}
	dir_of(t, dir, sizeof dir);
	free(t);
	int e = dir_writable(dir);
	if (e) {
		msg_error("cannot write '%s' (%s): %s", path, opt, strerror(e));
		return -1;
	}
	return 0;
}

/* The process umask. Reading it means setting it, so this is called
 * only while no other thread creates files (after the scan). */
static mode_t current_umask(void)
{
	mode_t u = umask(077);
	umask(u);
	return u;
}

/* Creates the temporary file for target (name into *tmpp, owned) with
 * the mode, owner and group of old, or 0666 minus the umask when old is
 * NULL. Returns the descriptor, or -1 (message given, naming path). */
static int tmp_create(const char *path, const char *target, const struct stat *old,
                      char **tmpp)
{
	size_t n = strlen(target);
	char *tmp = malloc(n + 16);
	if (!tmp) {
		msg_error("out of memory");
		return -1;
	}
	memcpy(tmp, target, n);
	memcpy(tmp + n, ".tmp.XXXXXX", 12);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		msg_error("cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	mode_t mode;
	if (old) {
		mode = old->st_mode & 07777;
		if ((old->st_uid != geteuid() || old->st_gid != getegid()) &&
		    fchown(fd, old->st_uid, old->st_gid) != 0 &&
		    fchown(fd, (uid_t)-1, old->st_gid) != 0) {
			/* the group cannot be kept: give it no access rather than
			 * handing the old group's rights to ours */
			mode &= ~(mode_t)(S_IRWXG | S_ISGID);
			msg_warn("cannot keep the group of '%s': %s; its group has no access now",
			         path, strerror(errno));
		}
	} else {
		mode = 0666 & ~current_umask();
	}
	if (fchmod(fd, mode) != 0) {
		msg_error("cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	*tmpp = tmp;
	return fd;
}

int output_open(output_file *out, const char *path)
{
	struct stat st;
	memset(out, 0, sizeof *out);
	out->path = path;
	if (!path || strcmp(path, "-") == 0) {
		out->path = NULL;
		out->fp = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* /dev/stdout, a FIFO, /dev/full: no rename possible. */
		out->fp = fopen(path, "w");
		if (!out->fp) {
			msg_error("cannot open '%s': %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	out->target = target_of(path);
	if (!out->target) {
		msg_error("out of memory");
		return -1;
	}
	int exists = stat(out->target, &st) == 0;
	int fd = tmp_create(path, out->target, exists ? &st : NULL, &out->tmp);
	if (fd < 0)
		goto fail;
	out->fp = fdopen(fd, "w");
	if (!out->fp) {
		msg_error("cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(out->tmp);
		goto fail;
	}
	return 0;
fail:
	free(out->tmp);
	free(out->target);
	out->tmp = out->target = NULL;
	return -1;
}

int output_close(output_file *out, int ok)
{
	int rc = 0;
	const char *name = out->path ? out->path : "(stdout)";
	if (!out->fp)
		return ok ? 0 : -1;
	if (fflush(out->fp) != 0 || ferror(out->fp)) {
		if (errno != EPIPE)
			msg_error("cannot write '%s': %s", name, strerror(errno));
		rc = -1;
	}
	if (out->tmp && ok && rc == 0 && fsync(fileno(out->fp)) != 0) {
		msg_error("cannot write '%s': %s", name, strerror(errno));
		rc = -1;
	}
	if (out->fp != stdout) {
		if (fclose(out->fp) != 0 && rc == 0) {
			msg_error("cannot write '%s': %s", name, strerror(errno));
			rc = -1;
		}
	}
	out->fp = NULL;
	if (out->tmp) {
		if (ok && rc == 0 && rename(out->tmp, out->target) != 0) {
			msg_error("cannot write '%s': %s", name, strerror(errno));
			rc = -1;
		}
		if (!ok || rc != 0)
			unlink(out->tmp);
	}
	free(out->tmp);
	free(out->target);
	out->tmp = out->target = NULL;
	return ok ? rc : -1;
}

/* ---- the history merge ----------------------------------------------- */

/* One row of a CSV buffer: its bytes (from the end of the row before,
 * line end included) and its period label. */
typedef struct {
	size_t off, len;
	char period[16];
	long line;                 /* first physical line */
} hrow;

typedef struct {
	const char *buf;
	size_t len;
	size_t hdr_off, hdr_len;   /* the header line without BOM and line end */
	size_t body;               /* offset of the first row */
	hrow *rows;
	size_t nrows, cap;
	/* parser state */
	int field;                 /* index of the next cell in the row */
	int ended;                 /* rows ended in the current line */
	char period[16];
	int long_period;
} hfile;

static void on_cell(void *s, size_t n, void *data)
{
	hfile *h = data;
	if (h->field++ == 0) {
		h->long_period = n >= sizeof h->period;
		if (!h->long_period) {
			memcpy(h->period, s, n);
			h->period[n] = '\0';
		}
	}
}

static void on_row(int c, void *data)
{
	hfile *h = data;
	(void)c;
	h->field = 0;
	h->ended++;
}

/* Finds the header line of buf (see output_merge). Returns 0, or -1 when
 * the last line has no newline (err set). */
static int split_header(hfile *h, const char *buf, size_t len, char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	h->buf = buf;
	h->len = len;
	if (len == 0)
		return 0;
	if (buf[len - 1] != '\n') {
		snprintf(err, errlen, "its last line is incomplete");
		return -1;
	}
	size_t start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	const char *nl = memchr(buf + start, '\n', len - start);
	h->hdr_off = start;
	h->hdr_len = (size_t)(nl - buf) - start;
	if (h->hdr_len > 0 && buf[start + h->hdr_len - 1] == '\r')
		h->hdr_len--;
	h->body = (size_t)(nl - buf) + 1;
	return 0;
}

/* Cuts the rows after split_header's header (see output_merge). what
 * names the buffer's lines in errors ("line"). Returns 0 or -1 (err set). */
static int split_rows(hfile *h, char sep, enum ktime_by by, const char *what, char *err,
                      size_t errlen)
{
	struct csv_parser p;
	const char *buf = h->buf;
	size_t len = h->len;
	int rc = -1;
	long line = 1;
	if (len == 0)
		return 0;
	if (csv_init(&p, 0) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	csv_set_delim(&p, (unsigned char)sep);
	size_t row_off = h->body;
	long row_line = 2;
	for (size_t pos = h->body; pos < len;) {
		const char *e = memchr(buf + pos, '\n', len - pos);
		size_t next = (size_t)(e - buf) + 1;
		line++;
		h->ended = 0;
		if (csv_parse(&p, buf + pos, next - pos, on_cell, on_row, h) != next - pos) {
			snprintf(err, errlen, "%s %ld: %s", what, line, csv_strerror(csv_error(&p)));
			goto out;
		}
		pos = next;
		if (h->ended == 0)
			continue;          /* a blank line, or inside a quoted cell */
		if (h->ended > 1) {
			snprintf(err, errlen, "%s %ld: holds more than one row (a bare CR?)",
			         what, line);
			goto out;
		}
		enum ktime_by k = KTIME_BY_NONE;
		int32_t start;
		if (h->long_period || report_parse_period(h->period, &start, &k) < 0) {
			snprintf(err, errlen, "%s %ld: '%.15s' is not a period (day, week or month)",
			         what, row_line, h->long_period ? "(long)" : h->period);
			goto out;
		}
		if (k != by) {
			const char *run_by = ktime_by_word(by) ? ktime_by_word(by) : "none";
			snprintf(err, errlen, "%s %ld: period '%s' is a %s, but this run "
			         "counts by %s (--by %s)", what, row_line, h->period, ktime_by_word(k),
			         run_by, run_by);
			goto out;
		}
		if (h->nrows == h->cap) {
			size_t nc = h->cap ? 2 * h->cap : 64;
			hrow *r = realloc(h->rows, nc * sizeof *r);
			if (!r) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			h->rows = r;
			h->cap = nc;
		}
		hrow *r = &h->rows[h->nrows++];
		r->off = row_off;
		r->len = pos - row_off;
		r->line = row_line;
		memcpy(r->period, h->period, sizeof r->period);
		row_off = pos;
		row_line = line + 1;
	}
	/* what is left after the last row: blank lines, or an open quote */
	for (size_t i = row_off; i < len; i++)
		if (buf[i] != '\r' && buf[i] != '\n') {
			snprintf(err, errlen, "%s %ld: a quoted cell never ends", what, row_line);
			goto out;
		}
	rc = 0;
out:
	csv_free(&p);
	return rc;
}

/* 1 when some row of h has period `period`. h's rows are few (one run). */
static int has_period(const hfile *h, const char *period)
{
	for (size_t i = 0; i < h->nrows; i++)
		if (strcmp(h->rows[i].period, period) == 0)
			return 1;
	return 0;
}

int output_merge(const char *old, size_t oldlen, const char *add, size_t addlen,
                 const output_row *rows, size_t nrows, char sep, enum ktime_by by, FILE *out,
                 output_merge_stats *st, char *err, size_t errlen)
{
	hfile o, a;
	int rc = -1;
	memset(st, 0, sizeof *st);
	memset(&o, 0, sizeof o);
	memset(&a, 0, sizeof a);
	if (split_header(&a, add, addlen, err, errlen) < 0)
		goto out;
	a.rows = calloc(nrows + 1, sizeof *a.rows);
	if (!a.rows) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nrows; i++) {
		a.rows[i].off = rows[i].off;
		a.rows[i].len = rows[i].len;
		snprintf(a.rows[i].period, sizeof a.rows[i].period, "%s", rows[i].period);
	}
	a.nrows = nrows;
	if (split_header(&o, old, oldlen, err, errlen) < 0)
		goto out;
	if (oldlen > 0 && (o.hdr_len != a.hdr_len ||
	                   memcmp(old + o.hdr_off, add + a.hdr_off, a.hdr_len) != 0)) {
		snprintf(err, errlen, "its header differs from this report's; "
		         "--by, --details, --csv-sep and the file must agree");
		goto out;
	}
	if (split_rows(&o, sep, by, "line", err, errlen) < 0)
		goto out;
	for (size_t i = 0; i < a.nrows; i++)
		if (i == 0 || strcmp(a.rows[i].period, a.rows[i - 1].period) != 0)
			st->periods++;
	if (oldlen == 0) {
		fwrite(add, 1, addlen, out);
		st->added = a.nrows;
		rc = 0;
		goto out;
	}
	fwrite(old, 1, o.body, out);
	size_t j = 0;
	for (size_t i = 0; i < o.nrows; i++) {
		const hrow *r = &o.rows[i];
		if (has_period(&a, r->period)) {
			st->replaced++;
			continue;
		}
		for (; j < a.nrows && strcmp(a.rows[j].period, r->period) < 0; j++, st->added++)
			fwrite(add + a.rows[j].off, 1, a.rows[j].len, out);
		fwrite(old + r->off, 1, r->len, out);
		st->kept++;
	}
	for (; j < a.nrows; j++, st->added++)
		fwrite(add + a.rows[j].off, 1, a.rows[j].len, out);
	rc = 0;
out:
	free(o.rows);
	free(a.rows);
	return rc;
}

/* ---- --append ---------------------------------------------------------- */

/* Reads the whole regular file fd into *buf (owned; NUL-terminated).
 * Returns 0, or -1 (errno set). */
static int slurp(int fd, char **buf, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	if (!b)
		return -1;
	for (;;) {
		if (n + 1 >= cap) {
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				errno = ENOMEM;
				return -1;
			}
			b = nb;
			cap *= 2;
		}
		ssize_t r = pread(fd, b + n, cap - 1 - n, (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* Writes all n bytes of p to fd. Returns 0, or -1 (errno set). */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Opens and locks the history, creating it when missing (*created = 1).
 * Returns the descriptor of the inode path names while locked, or -1
 * (message given). */
static int lock_history(const char *path, const char *target, int *created)
{
	for (int tries = 0; tries < 100; tries++) {
		struct stat a, b;
		*created = 0;
		int fd = open(target, O_RDWR | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			fd = open(target, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
			if (fd < 0 && errno == EEXIST)
				continue;
			*created = fd >= 0;
		}
		if (fd < 0) {
			msg_error("cannot open '%s': %s", path, strerror(errno));
			return -1;
		}
		/* fcntl, not flock: POSIX, and it locks over NFS too. The lock
		 * is the process's: nothing here opens the file a second time
		 * (closing that would drop it). */
		struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		int lr;
		while ((lr = fcntl(fd, F_SETLKW, &lk)) < 0 && errno == EINTR)
			;
		if (lr < 0 && errno != ENOLCK && errno != EINVAL && errno != EOPNOTSUPP) {
			msg_error("cannot lock '%s': %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (fstat(fd, &a) == 0 && stat(target, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return fd;
		/* another run replaced or removed the file while we waited */
		close(fd);
	}
	msg_error("cannot lock '%s': it keeps being replaced", path);
	return -1;
}

/* This run's rows, one CSV line each after the header, from model into
 * *add (*addlen bytes, owned by the caller); rows[i] gets the offset,
 * length and period of row i's line. Returns 0, or -1 when out of memory
 * (message given). */
static int history_lines(const report_model *model, output_row *rows, char **add,
                         size_t *addlen)
{
	FILE *mem = open_memstream(add, addlen);
	if (!mem) {
		msg_error("out of memory");
		return -1;
	}
	report_csv_header(model, mem);
	for (size_t i = 0; i < model->nrows; i++) {
		rows[i].off = (size_t)ftell(mem);
		rows[i].period = report_model_cell(model, i, REPORT_COL_PERIOD)->text;
		report_csv_row(model, i, mem);
		rows[i].len = (size_t)ftell(mem) - rows[i].off;
	}
	int bad = ferror(mem);
	if (fclose(mem) != 0 || bad) {
		msg_error("out of memory");
		return -1;
	}
	return 0;
}

/* The merged history [merged, merged + mlen) over target (the history
 * path names; st: the old file's owner and mode), through a temporary
 * file that is written, synced and renamed. Returns 0, or -1 (message
 * given; the temporary file removed, target as it was). */
static int history_replace(const char *path, const char *target, const struct stat *st,
                           const char *merged, size_t mlen)
{
	char *tmp = NULL;
	int tfd = tmp_create(path, target, st, &tmp);
	if (tfd < 0)
		return -1;
	if (write_all(tfd, merged, mlen) < 0 || fsync(tfd) < 0) {
		msg_error("cannot append to '%s': %s", path, strerror(errno));
		close(tfd);
		goto fail;
	}
	if (close(tfd) < 0 || rename(tmp, target) < 0) {
		msg_error("cannot append to '%s': %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return -1;
}

int output_history(const report_table *t, const char *path)
{
	char *add = NULL, *old = NULL, *merged = NULL, *target = NULL;
	size_t addlen = 0, oldlen = 0, mlen = 0;
	report_model *model = NULL;
	output_row *rows = NULL;
	int fd = -1, created = 0, rc = -1;
	char err[300];
	struct stat st;
	output_merge_stats ms;

	if (t->nrows == 0) {
		msg_info("history '%s': no rows to add", path);
		return 0;
	}
	model = report_model_new(t);
	rows = calloc(t->nrows, sizeof *rows);
	if (!model || !rows) {
		msg_error("out of memory");
		goto out;
	}
	if (history_lines(model, rows, &add, &addlen) < 0)
		goto out;
	target = target_of(path);
	if (!target) {
		msg_error("out of memory");
		goto out;
	}
	fd = lock_history(path, target, &created);
	if (fd < 0)
		goto out;
	if (fstat(fd, &st) < 0 || slurp(fd, &old, &oldlen) < 0) {
		msg_error("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	FILE *mem = open_memstream(&merged, &mlen);
	if (!mem) {
		msg_error("out of memory");
		goto out;
	}
	int m = output_merge(old, oldlen, add, addlen, rows, model->nrows,
	                     t->csv_sep ? t->csv_sep : ',', t->by, mem, &ms, err, sizeof err);
	if (fclose(mem) != 0 && m == 0) {
		msg_error("out of memory");
		goto out;
	}
	if (m < 0) {
		msg_error("cannot append to '%s': %s", path, err);
		goto out;
	}
	if (mlen == oldlen && memcmp(merged, old, oldlen) == 0) {
		msg_info("history '%s': unchanged (%zu rows of %zu period(s) as before)", path,
		         ms.added, ms.periods);
		rc = 0;
		goto out;
	}
	if (history_replace(path, target, &st, merged, mlen) < 0)
		goto out;
	created = 0;
	msg_info("history '%s': %zu rows of %zu period(s) written, %zu old rows of those "
	         "periods replaced, %zu kept", path, ms.added, ms.periods, ms.replaced, ms.kept);
	rc = 0;
out:
	if (created)
		unlink(target);      /* ours, empty and still locked: as if never made */
	if (fd >= 0)
		close(fd);
	free(target);
	free(add);
	free(old);
	free(merged);
	free(rows);
	report_model_free(model);
	return rc;
}

/* ---- a directory replaced as a whole (output.h) ---------------------- */

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(p) == 0 ? 0 : -1;
	return unlink(p) == 0 ? 0 : -1;
}

int output_remove_tree(const char *path)
{
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* path without trailing slashes (but "/"), owned; NULL when out of memory. */
static char *strip_slashes(const char *path)
{
	char *p = strdup(path);
	if (!p)
		return NULL;
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

/* 1 when directory path is empty or holds OUTPUT_SITE_MARK (a site this
 * program wrote), else 0; 1 too when it cannot be read (the swap then
 * says why). */
static int replaceable_dir(const char *path)
{
	DIR *dp = opendir(path);
	if (!dp)
		return 1;
	int empty = 1, ours = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		empty = 0;
		if (strcmp(e->d_name, OUTPUT_SITE_MARK) == 0)
			ours = 1;
	}
	closedir(dp);
	return empty || ours;
}

int output_dir_check(const char *path)
{
	struct stat st;
	if (!path || strcmp(path, "-") == 0) {
		msg_error("'--format site' needs '-o DIR': a site is a directory of pages");
		return -1;
	}
	if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		msg_error("cannot write site '%s' (-o): %s", path, strerror(ENOTDIR));
		return -1;
	}
	/* the old site is removed after the swap: never a directory of
	 * something else (a home directory, the logs) */
	if (stat(path, &st) == 0 && !replaceable_dir(path)) {
		msg_error("cannot write site '%s' (-o): the directory is not empty and holds no "
		          "site of klantreis (no '%s' file); give a new or empty directory",
		          path, OUTPUT_SITE_MARK);
		return -1;
	}
	char *p = strip_slashes(path);
	if (!p) {
		msg_error("out of memory");
		return -1;
	}
	char dir[PATH_MAX];
	dir_of(p, dir, sizeof dir);
	free(p);
	int e = dir_writable(dir);
	if (e) {
		msg_error("cannot write site '%s' (-o): %s", path, strerror(e));
		return -1;
	}
	return 0;
}

int output_dir_open(output_dir *d, const char *path)
{
	memset(d, 0, sizeof *d);
	d->path = strip_slashes(path);
	size_t n = d->path ? strlen(d->path) : 0;
	d->tmp = d->path ? malloc(n + 12) : NULL;
	if (!d->tmp) {
		msg_error("out of memory");
		free(d->path);
		d->path = NULL;
		return -1;
	}
	memcpy(d->tmp, d->path, n);
	memcpy(d->tmp + n, ".tmp-XXXXXX", 12);
	char mark[PATH_MAX];
	FILE *fp = NULL;
	if (!mkdtemp(d->tmp) || chmod(d->tmp, 0777 & ~current_umask()) != 0 ||
	    snprintf(mark, sizeof mark, "%s/%s", d->tmp, OUTPUT_SITE_MARK) >= (int)sizeof mark ||
	    !(fp = fopen(mark, "w")) ||
	    fputs("a website written by klantreis; klantreis replaces this directory whole\n",
	          fp) < 0 || fclose(fp) != 0) {
		msg_error("cannot write site '%s': %s", d->path, strerror(errno));
		output_remove_tree(d->tmp);
		free(d->tmp);
		free(d->path);
		d->tmp = d->path = NULL;
		return -1;
	}
	return 0;
}

/* The last component of path. */
static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Removes an old tree after a swap; a failure only warns (the new site
 * is in place). */
static void drop_old(const char *old, const char *path)
{
	if (output_remove_tree(old) != 0)
		msg_warn("cannot remove the old site '%s' of '%s': %s", old, path, strerror(errno));
}

/* DIR is a symbolic link: point a new link at the new tree and rename it
 * over DIR. Returns 0, or -1 (message given). */
static int swap_link(output_dir *d)
{
	char old[PATH_MAX], lnk[PATH_MAX];
	ssize_t len = readlink(d->path, old, sizeof old - 1);
	old[len > 0 ? len : 0] = '\0';
	if (snprintf(lnk, sizeof lnk, "%s.lnk", d->tmp) >= (int)sizeof lnk) {
		msg_error("cannot write site '%s': %s", d->path, strerror(ENAMETOOLONG));
		return -1;
	}
	if (symlink(base_of(d->tmp), lnk) != 0 || rename(lnk, d->path) != 0) {
		msg_error("cannot write site '%s': %s", d->path, strerror(errno));
		unlink(lnk);
		return -1;
	}
	/* the old target is ours when it is a sibling named like our trees */
	char prefix[PATH_MAX];
	snprintf(prefix, sizeof prefix, "%s.tmp-", base_of(d->path));
	if (len > 0 && !strchr(old, '/') && strncmp(old, prefix, strlen(prefix)) == 0) {
		char dir[PATH_MAX], full[PATH_MAX * 2];
		dir_of(d->path, dir, sizeof dir);
		snprintf(full, sizeof full, "%s/%s", dir, old);
		drop_old(full, d->path);
	}
	return 0;
}

/* renameat2(2) RENAME_EXCHANGE of a and b; in the unit tests it can fail
 * as on a file system without it (fault.h). Returns 0, or -1 (errno). */
static int exchange(const char *a, const char *b)
{
#ifdef KR_FAULTS
	if (atomic_load(&kr_fault_no_exchange)) {
		errno = EINVAL;
		return -1;
	}
#endif
	return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

/* DIR is a directory the file system cannot exchange: rename it aside,
 * the new tree in, and remove the old. Returns 0, or -1 (message given;
 * DIR as it was). */
static int swap_aside(output_dir *d)
{
	size_t n = strlen(d->path);
	char *old = malloc(n + 12);
	if (!old) {
		msg_error("out of memory");
		return -1;
	}
	memcpy(old, d->path, n);
	memcpy(old + n, ".old-XXXXXX", 12);
	/* an empty directory as the name: rename(2) may replace it */
	if (!mkdtemp(old) || rename(d->path, old) != 0) {
		msg_error("cannot replace site '%s': %s", d->path, strerror(errno));
		rmdir(old);
		free(old);
		return -1;
	}
	if (rename(d->tmp, d->path) != 0) {
		int e = errno;
		if (rename(old, d->path) != 0)
			msg_error("cannot put the old site back from '%s' to '%s': %s", old, d->path,
			          strerror(errno));
		msg_error("cannot replace site '%s': %s", d->path, strerror(e));
		free(old);
		return -1;
	}
	drop_old(old, d->path);
	free(old);
	return 0;
}

int output_dir_close(output_dir *d, int ok)
{
	int rc = -1;
	struct stat st;
	if (!d->tmp)
		return -1;
	if (!ok)
		goto out;
	/* the pages on disk before any name points at them (one syncfs(2)
	 * rather than a fsync per page) */
	int dfd = open(d->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || syncfs(dfd) != 0) {
		msg_error("cannot write site '%s': %s", d->path, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		goto out;
	}
	close(dfd);
	if (lstat(d->path, &st) != 0 && errno == ENOENT) {
		if (rename(d->tmp, d->path) == 0) {
			rc = 0;
			goto done;
		}
		if (errno != EEXIST && errno != ENOTEMPTY) {
			msg_error("cannot write site '%s': %s", d->path, strerror(errno));
			goto out;
		}
		/* DIR appeared meanwhile: replace it as below */
		if (lstat(d->path, &st) != 0) {
			msg_error("cannot write site '%s': %s", d->path, strerror(errno));
			goto out;
		}
	}
	if (S_ISLNK(st.st_mode)) {
		struct stat tst;
		if (stat(d->path, &tst) != 0 || !S_ISDIR(tst.st_mode)) {
			msg_error("cannot write site '%s': %s", d->path, strerror(ENOTDIR));
			goto out;
		}
		if (swap_link(d) != 0)
			goto out;
		rc = 0; /* the new tree stays under its name */
		goto done;
	}
	if (!S_ISDIR(st.st_mode)) {
		msg_error("cannot write site '%s': %s", d->path, strerror(ENOTDIR));
		goto out;
	}
	if (exchange(d->tmp, d->path) == 0) {
		drop_old(d->tmp, d->path);   /* the old tree, now under the temporary name */
		rc = 0;
		goto done;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
		msg_error("cannot replace site '%s': %s", d->path, strerror(errno));
		goto out;
	}
	if (swap_aside(d) != 0)
		goto out;
	rc = 0;
	goto done;
out:
	if (output_remove_tree(d->tmp) != 0 && errno != ENOENT)
		msg_warn("cannot remove '%s': %s", d->tmp, strerror(errno));
done:
	free(d->tmp);
	free(d->path);
	d->tmp = d->path = NULL;
	return rc;
}
