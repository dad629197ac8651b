/*
 * progress.h - the progress line of a scan on a terminal: megabytes read,
 * speed and, when the inputs' sizes are known, the time left. The command
 * draws it (scan_opts' progress callback); the scan only reports bytes.
 *
 * Invariants: drawn at most five times a second, through msg_progress,
 * and erased at the end only when it was drawn. Used by one thread (the
 * scan's reader) at a time.
 */
#ifndef KR_PROGRESS_H
#define KR_PROGRESS_H

#include <stdint.h>

typedef struct {
	uint64_t total;     /* sum of the regular inputs' sizes, 0 when unknown */
	double t0, last;    /* start, last drawing (ktime_monotonic) */
	int drawn;
} progress;

/* Starts the clock and sums the sizes of the regular files among
 * paths[0..npaths) ("-" is standard input, unknown). */
void progress_init(progress *p, char *const *paths, int npaths);

/* The scan's callback (arg is a progress *): done raw bytes read so far
 * over all inputs; finished 1 once reading ends, which erases the line. */
void progress_update(void *arg, uint64_t done, int finished);

#endif
