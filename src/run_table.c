/*
 * run_table.c - report rows from the funnels: every catalogue row of every
 * gemeente for every period with a matched record, its counts from
 * funnel_cells (see run.h). The data flow: funnel -> report rows (here)
 * -> bench -> report model -> writers.
 *
 * Rows borrow their names from the catalogue and matcher. Out of memory is
 * reported here (msg.h) and returned as -1.
 */
#include <stdlib.h>
#include <string.h>

#include "ktime.h"
#include "msg.h"
#include "compat.h"
#include "run.h"
#include "fault.h"

/* Gemeente ids in report order: catalogue order, or by name in built-in
 * mode (where ids follow the order threads first saw the hosts). */
static int cmp_gem_name(const void *a, const void *b, const void *m)
{
	return strcmp(match_gemeente_name(m, *(const int *)a),
	              match_gemeente_name(m, *(const int *)b));
}

static int table(const run_opts *o, const catalog *cat, const matcher *m,
                 const funnel *f, const uint64_t *qualified, report_table *t);

int run_table_res(const run_opts *o, const catalog *cat, const matcher *m,
                  const scan_result *res, int side, report_table *t)
{
	return table(o, cat, m, res->fun[side], cat->builtin ? res->gem_qualified : NULL, t);
}

static int table(const run_opts *o, const catalog *cat, const matcher *m,
                 const funnel *f, const uint64_t *qualified, report_table *t)
{
	funnel_cfg cfg = run_funnel_cfg(o);
	size_t ncells = 0, nper = 0, nrows = 0;
	int rc = -1;
	int *gems = NULL;
	int32_t *periods = NULL;
	funnel_cell *cells = NULL;
	int cells_rc = funnel_cells(f, &cfg, &cells, &ncells);

	memset(t, 0, sizeof *t);
	t->by = o->by;
	t->count_hits = o->count_hits;
	t->sequential = o->sequential;
	t->details = o->details;
	t->min_cell = o->min_cell;
	t->peer = o->peer;
	if (cells_rc < 0)
		goto out;
	int ngem = match_ngemeenten(m);
	gems = malloc(((size_t)ngem + 1) * sizeof *gems);
	periods = malloc((ncells + 1) * sizeof *periods);
	if (!gems || !periods)
		goto out;
	int kept = 0;
	for (int g = 0; g < ngem; g++)
		if (!qualified || qualified[g] > 0)
			gems[kept++] = g;
	ngem = kept;
	if (cat->builtin)
		kr_qsort_r(gems, (size_t)ngem, sizeof *gems, cmp_gem_name, m);
	if (o->by == KTIME_BY_NONE) {
		periods[nper++] = 0;
	} else {
		for (size_t i = 0; i < ncells; i++)
			if (cells[i].matched && (nper == 0 || periods[nper - 1] != cells[i].period))
				periods[nper++] = cells[i].period;
	}
	for (int g = 0; g < ngem; g++) {
		const int *rows;
		nrows += (size_t)match_rows(m, gems[g], &rows);
	}
	t->rows = calloc(nper * nrows + 1, sizeof *t->rows);
	if (!t->rows)
		goto out;
	for (size_t p = 0; p < nper; p++) {
		for (int gi = 0; gi < ngem; gi++) {
			int g = gems[gi];
			const int *rows;
			int nr = match_rows(m, g, &rows);
			for (int r = 0; r < nr; r++) {
				report_row *rr = &t->rows[t->nrows++];
				rr->period_start = periods[p];
				if (o->by != KTIME_BY_NONE)
					ktime_period_label(periods[p], o->by, rr->period, sizeof rr->period);
				rr->gemeente = match_gemeente_name(m, g);
				rr->product = cat->rows[rows[r]].product;
				rr->peer = cat->rows[rows[r]].peer;
				funnel_cell key = { .period = periods[p], .gem = g, .row = rows[r] };
				/* cells is NULL when ncells == 0: no bsearch on it */
				funnel_cell *c = ncells ? bsearch(&key, cells, ncells, sizeof *cells,
				                                  funnel_cell_cmp) : NULL;
				if (c) {
					memcpy(rr->n, c->n, sizeof rr->n);
					memcpy(rr->errors, c->errors, sizeof rr->errors);
				}
			}
		}
	}
	rc = 0;
out:
	if (rc < 0)
		msg_error("out of memory");
	free(cells);
	free(gems);
	free(periods);
	return rc;
}
