/*
 * output.h - report files written the way a nightly job needs them: all or
 * nothing, with the mode the system asks for, and a CSV history that can
 * be written again for the same period without doubling it.
 *
 * Invariants: a report file or history file is only ever replaced by
 * rename(2) of a complete temporary file in the same directory, so a
 * reader (or a failed run) sees the old file or the new one, never half
 * of one. A new file gets the mode 0666 minus the umask; a replaced file
 * keeps its mode, owner and group where the system allows (else group
 * and other access are dropped, never widened). Every message names the
 * user's path, never the temporary file.
 */
#ifndef KR_OUTPUT_H
#define KR_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include "ktime.h"
#include "report.h"

/* Before any input is read: can `path` be written (its directory exists
 * and is writable; for a history, `history` = 1, the file is also
 * readable and writable when it exists)? NULL and "-" (stdout), devices
 * and FIFOs pass. opt names the option in messages ("-o", "--append").
 * Returns 0, or -1 (message given). */
int output_check(const char *path, const char *opt, int history);

/* Report output: stdout (path NULL or "-"), a device or FIFO written
 * directly, or a regular file written to a temporary file in the same
 * directory (the directory of a symbolic link's target) and renamed over
 * it on success. */
typedef struct {
	FILE *fp;
	const char *path;          /* the user's path, borrowed; NULL is stdout */
	char *target;              /* the file renamed over (owned) */
	char *tmp;                 /* the temporary file (owned) */
} output_file;

/* Opens the output. Returns 0, or -1 (message given). */
int output_open(output_file *out, const char *path);

/* Finishes the output: flush, sync, close, rename. With ok == 0 the
 * temporary file is removed and the old file stays. Returns 0, or -1
 * (message given; also when ok == 0). */
int output_close(output_file *out, int ok);

/* What output_merge did, for the -v summary. */
typedef struct {
	size_t kept;               /* rows of the history kept as they were */
	size_t replaced;           /* rows of the history dropped for new ones */
	size_t added;              /* rows written from this run */
	size_t periods;            /* distinct periods of this run */
} output_merge_stats;

/* One row of this run's CSV report for the merge: its line add[off..off +
 * len) (line end included) and its period label. */
typedef struct {
	size_t off, len;
	const char *period;
} output_row;

/* The --append merge. old[0..oldlen) is the history (may be empty: a new
 * file), add[0..addlen) this run's CSV report (header and rows, as
 * report_write writes it, with --by) whose rows[0..nrows) are its lines
 * in report order. The history is parsed with libcsv and separator sep;
 * add is not parsed, only its header line found. Writes to out: the
 * history's header line as it was (BOM and line end included; this run's
 * when the history is empty), then the history's rows except those of a
 * period that `add` has rows for, with add's rows merged in before the
 * first kept row of a later period (so a history in period order stays
 * in order). Kept rows are copied byte for byte. The history is refused
 * when its header differs from add's (a BOM and a CR before the newline
 * are ignored), its last line has no newline, a row's period is not a
 * label of kind `by` ("2026-11-02", "2026-W45", "2026-11"), or a quoted
 * cell never ends. Returns 0, or -1 with the reason in err (lowercase,
 * with the line number; without the file name). */
int output_merge(const char *old, size_t oldlen, const char *add, size_t addlen,
                 const output_row *rows, size_t nrows, char sep, enum ktime_by by, FILE *out,
                 output_merge_stats *st, char *err, size_t errlen);

/* --append: merges the CSV report of t (t->by must be set) into the
 * history file path with output_merge, under an exclusive flock(2) of
 * the file, and replaces the file with the result (temporary file and
 * rename, still under the lock). A history the merge refuses, or any
 * failure, leaves the file as it was; a file this call created is
 * removed again. Nothing is written when t has no rows. Returns 0, or -1
 * (message given). */
int output_history(const report_table *t, const char *path);

/* ---- a directory replaced as a whole (--format site) ----
 *
 * The new tree is built in "DIR.tmp-XXXXXX" beside DIR (same parent, so
 * the same file system) and swapped in by one rename, so a web server
 * serving DIR sees the old tree or the new one, never a mix:
 *   - DIR missing: rename(2) of the new tree to DIR;
 *   - DIR a directory: renameat2(2) RENAME_EXCHANGE (Linux 3.15+), then the
 *     old tree, now under the temporary name, is removed. Where the file
 *     system refuses the exchange (EINVAL, ENOSYS, ENOTSUP) DIR is renamed
 *     aside to "DIR.old-XXXXXX" and the new tree renamed to DIR: two
 *     renames, so for that instant DIR is missing (a 404, never a mix);
 *   - DIR a symbolic link to a directory: the new tree keeps its name
 *     "DIR.tmp-XXXXXX" and a new link to it replaces DIR by rename(2);
 *     the old target is removed when it is such a tree of ours (a sibling
 *     named "DIR.tmp-..."), else left alone.
 * The new tree is synced to disk (syncfs(2)) before the swap. On failure
 * before the swap the new tree is removed and DIR stays as it was. The new tree's directories get 0777 and its files 0666 minus the
 * umask (readable by a web server under the usual umask 022). */
typedef struct {
	char *path;   /* the user's DIR without trailing slashes (owned) */
	char *tmp;    /* the new tree "DIR.tmp-XXXXXX" (owned) */
} output_dir;

/* The file every site directory holds, so that only a site of ours (or
 * an empty directory) is ever replaced and removed. */
#define OUTPUT_SITE_MARK ".klantreis-site"

/* Before any input is read: can DIR be (re)placed? It must be missing, a
 * directory or a link to one that is empty or holds OUTPUT_SITE_MARK, and
 * its parent writable. NULL and "-" are
 * refused (a site needs -o DIR). Returns 0, or -1 (message given). */
int output_dir_check(const char *path);

/* Creates the new tree beside path. Returns 0, or -1 (message given). */
int output_dir_open(output_dir *d, const char *path);

/* Swaps the new tree in (ok) or removes it (!ok), then frees d's names.
 * Returns 0, or -1 (message given; also when ok == 0). */
int output_dir_close(output_dir *d, int ok);

/* Removes the tree at path (not following symbolic links). Returns 0, or
 * -1 with errno set. */
int output_remove_tree(const char *path);

#endif
