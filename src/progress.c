/*
 * progress.c - the progress line of a scan on a terminal (see
 * progress.h).
 */
#include <string.h>
#include <sys/stat.h>

#include "ktime.h"
#include "msg.h"
#include "progress.h"

void progress_init(progress *p, char *const *paths, int npaths)
{
	struct stat st;
	memset(p, 0, sizeof *p);
	for (int i = 0; i < npaths; i++)
		if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
			p->total += (uint64_t)st.st_size;
	p->t0 = p->last = ktime_monotonic();
}

void progress_update(void *arg, uint64_t done, int finished)
{
	progress *p = arg;
	if (finished) {
		if (p->drawn)
			msg_progress_done();
		return;
	}
	double t = ktime_monotonic();
	if (t - p->last < 0.2)
		return;
	p->last = t;
	p->drawn = 1;
	double rate = (double)done / (t - p->t0 > 1e-9 ? t - p->t0 : 1e-9);
	if (p->total > done && rate > 0)
		msg_progress("%.1f of %.1f MB, %.0f MB/s, %.0f s left", (double)done / 1e6,
		             (double)p->total / 1e6, rate / 1e6, (double)(p->total - done) / rate);
	else
		msg_progress("%.1f MB, %.0f MB/s", (double)done / 1e6, rate / 1e6);
}
