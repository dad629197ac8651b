/*
 * report_read.c - CSV reports read back with libcsv and merged into one
 * report table (see report_read.h), for `klantreis benchmark`.
 *
 * Reading: the file is fed to libcsv line by line, so each row knows the
 * line it starts on. The header line decides the separator (the byte
 * after its first name, "period" or "gemeente") after an optional UTF-8
 * BOM; the header must be one that report.c writes, with or without the
 * period column and the four --details columns. Of each row only the text
 * cells and the counts are kept; a text cell that report_csv_field
 * neutralised for spreadsheets ("'=x") gets its own text back ("=x").
 * Rates, median, rank and gain are not read: they are recomputed, so a
 * decimal comma in them does not matter.
 *
 * Names (gemeenten, products) are interned once in two string tables
 * (strtab.h; ids in order of first sight); a row is a small fixed record. Merging sorts the records by (period, gemeente,
 * product, order added) and keeps one per cell: a second record of a cell
 * is refused when both hold a figure above 0.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "report_read.h"
#include "strtab.h"

/* ---- interned names: id <-> string, ids in order of first sight ---- */

/* The id of name s in t, added when new; -1 when out of memory. */
static int name_id(strtab *t, const char *s)
{
	long id = strtab_add(t, s, strlen(s), NULL);
	return id <= INT32_MAX / 2 ? (int)id : -1;
}

/* The id of name s in t, or -1 when absent. */
static int name_find(const strtab *t, const char *s)
{
	return (int)strtab_find(t, s, strlen(s));
}

static const char *name_of(const strtab *t, int id)
{
	return strtab_key(t, (size_t)id, NULL);
}

/* ---- the merge ---- */

typedef struct {
	int32_t period;    /* first day; 0 without a period column */
	int gem, prod;     /* strtab ids */
	int file;          /* report index */
	long line;         /* line the row starts on */
	size_t seq;        /* order added */
	int64_t n[3];      /* info, form, done */
	int64_t err[3];    /* errors[1..2] of --details; [0] unused */
} rec;

struct report_merge {
	strtab *gems, *prods; /* names of gemeenten and products */
	rec *recs;
	size_t nrecs, rcap;
	char **files;      /* names, for messages */
	size_t *frows;     /* data rows per file */
	int nfiles, fcap;
	int have_header;   /* a report's header was read: period_col, details set */
	int hdr_file;      /* the report whose header set them */
	int period_col, details;
	enum ktime_by by;  /* KTIME_BY_NONE until a period label tells */
	int by_file;       /* the report whose label told */
	long by_line;
};

report_merge *report_merge_new(void)
{
	report_merge *mg = calloc(1, sizeof(report_merge));
	if (mg && (!(mg->gems = strtab_new()) || !(mg->prods = strtab_new()))) {
		report_merge_free(mg);
		return NULL;
	}
	return mg;
}

void report_merge_free(report_merge *mg)
{
	if (!mg)
		return;
	strtab_free(mg->gems);
	strtab_free(mg->prods);
	free(mg->recs);
	for (int i = 0; i < mg->nfiles; i++)
		free(mg->files[i]);
	free(mg->files);
	free(mg->frows);
	free(mg);
}

size_t report_merge_rows_of(const report_merge *mg, int i)
{
	return i >= 0 && i < mg->nfiles ? mg->frows[i] : 0;
}

enum ktime_by report_merge_by(const report_merge *mg)
{
	if (!mg->period_col)
		return KTIME_BY_NONE;
	return mg->by != KTIME_BY_NONE ? mg->by : KTIME_BY_DAY;
}

int report_merge_details(const report_merge *mg)
{
	return mg->details;
}

int report_parse_period(const char *s, int32_t *start, enum ktime_by *by)
{
	char label[16];
	unsigned y, m = 1, d = 1, w = 1;
	int32_t day;
	enum ktime_by k;
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && !(s[i] == '-' && (i == 4 || i == 7)) &&
		    !(s[i] == 'W' && i == 5))
			return -1;
	if (n == 10 && sscanf(s, "%4u-%2u-%2u", &y, &m, &d) == 3) {
		k = KTIME_BY_DAY;
		day = ktime_days_from_civil(y, m, d);
	} else if (n == 8 && s[5] == 'W' && sscanf(s, "%4u-W%2u", &y, &w) == 2) {
		/* Monday of ISO week w: week 1 holds 4 January */
		k = KTIME_BY_WEEK;
		day = ktime_period_start(ktime_days_from_civil(y, 1, 4), k) + ((int32_t)w - 1) * 7;
	} else if (n == 7 && sscanf(s, "%4u-%2u", &y, &m) == 2) {
		k = KTIME_BY_MONTH;
		day = ktime_days_from_civil(y, m, 1);
	} else {
		return -1;
	}
	if (m < 1 || m > 12 || d < 1 || d > 31 || w < 1 || w > 53)
		return -1;
	/* only what ktime_period_label writes: no 2026-02-30, no week 54 */
	ktime_period_label(day, k, label, sizeof label);
	if (strcmp(label, s) != 0 || ktime_period_start(day, k) != day)
		return -1;
	*start = day;
	*by = k;
	return 0;
}

/* Columns of report.c's CSV. */
static const char *const base_cols[] = {
	"gemeente", "product", "info", "form", "done", "form_rate", "done_rate",
	"conversion", "median_conversion", "rank", "ranked", "potential_gain",
};
static const char *const detail_cols[] = {
	"form_errors", "done_errors", "conversion_low", "conversion_high",
};
#define NBASE 12
#define NDETAIL 4
#define MAXCOLS (1 + NBASE + NDETAIL)

/* Parse state of one report. */
typedef struct {
	report_merge *mg;
	int file;
	const char *name;
	long line;             /* line being fed */
	long row_line;         /* line the current row starts on */
	int nfields;           /* fields of the current row */
	int overflow;          /* more fields than MAXCOLS */
	char *buf;             /* the current row's fields, NUL-separated */
	size_t blen, bcap;
	size_t off[MAXCOLS];
	int header_done;
	int period_col, details, ncols;
	char *err;
	size_t errlen;
	int failed;            /* 1: the report is wrong; 2: read error or out of memory */
} parse_st;

static void fail(parse_st *st, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(parse_st *st, long line, const char *fmt, ...)
{
	if (st->failed)
		return;
	st->failed = strncmp(fmt, "out of memory", 13) == 0 || strncmp(fmt, "cannot read", 11) == 0 ?
	             2 : 1;
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(st->err, st->errlen, "%s:%ld: %s", st->name, line, msg);
	else
		snprintf(st->err, st->errlen, "%s: %s", st->name, msg);
}

static void on_field(void *s, size_t len, void *data)
{
	parse_st *st = data;
	if (st->failed)
		return;
	if (st->nfields == 0)
		st->row_line = st->line;
	if (st->nfields >= MAXCOLS) {
		st->overflow = 1;
		st->nfields++;
		return;
	}
	if (st->blen + len + 1 > st->bcap) {
		size_t cap = st->bcap ? st->bcap : 256;
		while (cap < st->blen + len + 1)
			cap *= 2;
		char *nb = realloc(st->buf, cap);
		if (!nb) {
			fail(st, 0, "out of memory");
			return;
		}
		st->buf = nb;
		st->bcap = cap;
	}
	if (len)
		memcpy(st->buf + st->blen, s, len);
	st->buf[st->blen + len] = '\0';
	st->off[st->nfields++] = st->blen;
	st->blen += len + 1;
}

static const char *field(const parse_st *st, int k)
{
	return st->buf + st->off[k];
}

/* A text cell as written before report_csv_field neutralised it. */
static const char *unquote_text(const char *s)
{
	return s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]) ? s + 1 : s;
}

/* A count cell: a whole number >= 0. Returns 0, or -1 (message given). */
static int parse_count(parse_st *st, int col, const char *colname, int64_t *v)
{
	const char *s = field(st, col);
	if (s[0] == '\0') {
		fail(st, st->row_line, "empty '%s' cell: a count blanked by --min-cell cannot be "
		     "re-benchmarked; make the reports without --min-cell", colname);
		return -1;
	}
	int64_t x = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || x > (INT64_MAX - 9) / 10) {
			fail(st, st->row_line, "'%s' cell '%s' is not a count", colname, s);
			return -1;
		}
		x = x * 10 + (*p - '0');
	}
	*v = x;
	return 0;
}

static void header_row(parse_st *st)
{
	report_merge *mg = st->mg;
	int k = 0;
	st->period_col = st->nfields > 0 && !st->overflow && strcmp(field(st, 0), "period") == 0;
	st->details = st->nfields == st->period_col + NBASE + NDETAIL;
	st->ncols = st->period_col + NBASE + (st->details ? NDETAIL : 0);
	int ok = !st->overflow && st->nfields == st->ncols;
	for (k = 0; ok && k < NBASE; k++)
		ok = strcmp(field(st, st->period_col + k), base_cols[k]) == 0;
	for (k = 0; ok && st->details && k < NDETAIL; k++)
		ok = strcmp(field(st, st->period_col + NBASE + k), detail_cols[k]) == 0;
	if (!ok) {
		fail(st, st->row_line, "not a report of 'klantreis analyze --format csv': "
		     "unknown header");
		return;
	}
	if (!mg->have_header) {
		mg->have_header = 1;
		mg->hdr_file = st->file;
		mg->period_col = st->period_col;
		mg->details = st->details;
	} else if (mg->period_col != st->period_col) {
		fail(st, st->row_line, "%s the period column of --by, unlike '%s'",
		     st->period_col ? "has" : "lacks", mg->files[mg->hdr_file]);
	} else if (mg->details != st->details) {
		fail(st, st->row_line, "%s the columns of --details, unlike '%s'",
		     st->details ? "has" : "lacks", mg->files[mg->hdr_file]);
	}
	st->header_done = 1;
}

static void data_row(parse_st *st)
{
	report_merge *mg = st->mg;
	rec r;
	int c = st->period_col;

	if (st->overflow || st->nfields != st->ncols) {
		char got[24], want[24];
		snprintf(got, sizeof got, "%d", st->nfields);
		snprintf(want, sizeof want, "%d", st->ncols);
		fail(st, st->row_line, "%s cells where the header has %s", got, want);
		return;
	}
	memset(&r, 0, sizeof r);
	if (st->period_col) {
		enum ktime_by by;
		const char *label = unquote_text(field(st, 0));
		if (report_parse_period(label, &r.period, &by) < 0) {
			fail(st, st->row_line, "'%s' is no period label (YYYY-MM-DD, YYYY-Www "
			     "or YYYY-MM)", label);
			return;
		}
		if (mg->by == KTIME_BY_NONE) {
			mg->by = by;
			mg->by_file = st->file;
			mg->by_line = st->row_line;
		} else if (mg->by != by) {
			char where[300];
			snprintf(where, sizeof where, "'%s':%ld", mg->files[mg->by_file], mg->by_line);
			fail(st, st->row_line, "period '%s' is of another --by than those of %s",
			     label, where);
			return;
		}
	}
	if (parse_count(st, c + 2, "info", &r.n[0]) < 0 ||
	    parse_count(st, c + 3, "form", &r.n[1]) < 0 ||
	    parse_count(st, c + 4, "done", &r.n[2]) < 0)
		return;
	if (st->details && (parse_count(st, c + NBASE, "form_errors", &r.err[1]) < 0 ||
	                    parse_count(st, c + NBASE + 1, "done_errors", &r.err[2]) < 0))
		return;
	r.gem = name_id(mg->gems, unquote_text(field(st, c)));
	r.prod = name_id(mg->prods, unquote_text(field(st, c + 1)));
	if (r.gem < 0 || r.prod < 0) {
		fail(st, 0, "out of memory");
		return;
	}
	r.file = st->file;
	r.line = st->row_line;
	r.seq = mg->nrecs;
	if (mg->nrecs == mg->rcap) {
		size_t cap = mg->rcap ? mg->rcap * 2 : 256;
		rec *nr = realloc(mg->recs, cap * sizeof *nr);
		if (!nr) {
			fail(st, 0, "out of memory");
			return;
		}
		mg->recs = nr;
		mg->rcap = cap;
	}
	mg->recs[mg->nrecs++] = r;
	mg->frows[st->file]++;
}

static void on_row(int ch, void *data)
{
	parse_st *st = data;
	(void)ch;
	if (!st->failed) {
		if (!st->header_done)
			header_row(st);
		else
			data_row(st);
	}
	st->nfields = 0;
	st->overflow = 0;
	st->blen = 0;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* The separator: the byte after the header's first name. Returns it, or
 * 0 when the line does not start like a report header. */
static char detect_sep(const char *s, size_t n)
{
	size_t i = 0;
	if (n > 0 && s[0] == '"') {
		for (i = 1; i < n && s[i] != '"'; i++)
			;
		i++;
	} else if (n >= 6 && memcmp(s, "period", 6) == 0) {
		i = 6;
	} else if (n >= 8 && memcmp(s, "gemeente", 8) == 0) {
		i = 8;
	} else {
		return 0;
	}
	if (i >= n || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
		return 0;
	return s[i];
}

int report_merge_add(report_merge *mg, FILE *fp, const char *name, char *err, size_t errlen)
{
	parse_st st;
	struct csv_parser p;
	int parser = 0, rc = -2;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(&st, 0, sizeof st);
	st.mg = mg;
	st.name = name;
	st.err = err;
	st.errlen = errlen;
	if (mg->nfiles == mg->fcap) {
		int fcap = mg->fcap ? mg->fcap * 2 : 8;
		char **nf = realloc(mg->files, (size_t)fcap * sizeof *nf);
		if (nf)
			mg->files = nf;
		size_t *nr = nf ? realloc(mg->frows, (size_t)fcap * sizeof *nr) : NULL;
		if (nr)
			mg->frows = nr;
		if (!nf || !nr) {
			fail(&st, 0, "out of memory");
			return -2;
		}
		mg->fcap = fcap;
	}
	mg->files[mg->nfiles] = strdup(name);
	if (!mg->files[mg->nfiles]) {
		fail(&st, 0, "out of memory");
		return -2;
	}
	mg->frows[mg->nfiles] = 0;
	st.file = mg->nfiles++;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fail(&st, 0, "out of memory");
		goto out;
	}
	parser = 1;
	csv_set_space_func(&p, no_space);
	errno = 0;
	while (!st.failed && (len = getline(&line, &cap, fp)) >= 0) {
		const char *s = line;
		size_t n = (size_t)len;
		st.line++;
		if (st.line == 1) {
			if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
				s += 3;
				n -= 3;
			}
			char sep = detect_sep(s, n);
			if (!sep) {
				fail(&st, 1, "not a report of 'klantreis analyze --format csv': "
				     "the header starts with neither 'period' nor 'gemeente'");
				break;
			}
			csv_set_delim(&p, (unsigned char)sep);
		}
		if (csv_parse(&p, s, n, on_field, on_row, &st) != n && !st.failed) {
			char e[100];
			snprintf(e, sizeof e, "%s", csv_strerror(csv_error(&p)));
			fail(&st, st.line, "malformed CSV: %s", e);
		}
	}
	if (!st.failed && ferror(fp))
		fail(&st, 0, "cannot read: %s", strerror(errno ? errno : EIO));
	if (!st.failed && csv_fini(&p, on_field, on_row, &st) != 0)
		fail(&st, st.line, "malformed CSV: %s", csv_strerror(csv_error(&p)));
	if (!st.failed && st.line == 0)
		fail(&st, 0, "empty file: not a report");
	rc = st.failed == 2 ? -2 : st.failed ? -1 : 0;
out:
	if (parser)
		csv_free(&p);
	free(line);
	free(st.buf);
	return rc;
}

/* ---- the merged table ---- */

static int cmp_rec(const void *pa, const void *pb)
{
	const rec *a = pa, *b = pb;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	if (a->gem != b->gem)
		return a->gem < b->gem ? -1 : 1;
	if (a->prod != b->prod)
		return a->prod < b->prod ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int rec_zero(const rec *r)
{
	return r->n[0] == 0 && r->n[1] == 0 && r->n[2] == 0 && r->err[1] == 0 && r->err[2] == 0;
}

/* One output row per period: gemeente and product, with the ids of the
 * merge's tables (-1 when no report has it) and names to print. */
typedef struct {
	int gem, prod;
	const char *gname, *pname, *peer;
} slot;

static const strtab *sort_names;
static int cmp_gem_name(const void *a, const void *b)
{
	return strcmp(name_of(sort_names, *(const int *)a), name_of(sort_names, *(const int *)b));
}

/* Products per gemeente in order of first appearance (records in the
 * order added): prods[g] holds nprods[g] product ids. */
typedef struct {
	int **prods;
	int *nprods, *cap;
	size_t ngem;
} gem_products;

static void gp_free(gem_products *gp)
{
	for (size_t g = 0; gp->prods && g < gp->ngem; g++)
		free(gp->prods[g]);
	free(gp->prods);
	free(gp->nprods);
	free(gp->cap);
}

static int gp_build(const report_merge *mg, gem_products *gp)
{
	gp->ngem = strtab_count(mg->gems);
	gp->prods = calloc(gp->ngem + 1, sizeof *gp->prods);
	gp->nprods = calloc(gp->ngem + 1, sizeof *gp->nprods);
	gp->cap = calloc(gp->ngem + 1, sizeof *gp->cap);
	if (!gp->prods || !gp->nprods || !gp->cap)
		return -1;
	/* the records are sorted now: visit them in the order added */
	size_t *bySeq = malloc((mg->nrecs + 1) * sizeof *bySeq);
	if (!bySeq)
		return -1;
	for (size_t i = 0; i < mg->nrecs; i++)
		bySeq[mg->recs[i].seq] = i;
	int rc = 0;
	for (size_t k = 0; k < mg->nrecs && rc == 0; k++) {
		const rec *r = &mg->recs[bySeq[k]];
		int g = r->gem, j = 0;
		while (j < gp->nprods[g] && gp->prods[g][j] != r->prod)
			j++;
		if (j < gp->nprods[g])
			continue;
		if (gp->nprods[g] == gp->cap[g]) {
			int c = gp->cap[g] ? gp->cap[g] * 2 : 8;
			int *np = realloc(gp->prods[g], (size_t)c * sizeof *np);
			if (!np) {
				rc = -1;
				break;
			}
			gp->prods[g] = np;
			gp->cap[g] = c;
		}
		gp->prods[g][gp->nprods[g]++] = r->prod;
	}
	free(bySeq);
	return rc;
}

static void say(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
}

/* Keeps one record per cell (period, gemeente, product) of the sorted
 * records: cells gets them, periods the distinct periods (one, 0, when by
 * is KTIME_BY_NONE). Two records of a cell with figures above 0 are an
 * overlap: returns -1 with the message in err; else 0. */
static int one_per_cell(const report_merge *mg, enum ktime_by by, rec *cells, size_t *ncells,
                        int32_t *periods, size_t *nper, char *err, size_t errlen)
{
	*ncells = *nper = 0;
	for (size_t lo = 0, hi; lo < mg->nrecs; lo = hi) {
		const rec *keep = &mg->recs[lo];
		for (hi = lo + 1; hi < mg->nrecs && mg->recs[hi].period == keep->period &&
		     mg->recs[hi].gem == keep->gem && mg->recs[hi].prod == keep->prod; hi++) {
			const rec *r = &mg->recs[hi];
			if (rec_zero(r))
				continue;
			if (!rec_zero(keep)) {
				char label[16];
				ktime_period_label(r->period, by, label, sizeof label);
				snprintf(err, errlen, "%s:%ld: row (%s%s'%s', '%s') is also in %s:%ld, "
				         "both with figures above 0: each period, gemeente and product "
				         "must come from one report",
				         mg->files[r->file], r->line, label, label[0] ? ", " : "",
				         name_of(mg->gems, r->gem), name_of(mg->prods, r->prod),
				         mg->files[keep->file], keep->line);
				return -1;
			}
			keep = r;
		}
		cells[(*ncells)++] = *keep;
		if (*nper == 0 || periods[*nper - 1] != keep->period)
			periods[(*nper)++] = keep->period;
	}
	if (by == KTIME_BY_NONE) {
		*nper = 1;
		periods[0] = 0;
	}
	return 0;
}

/* The rows of one period in the catalogue's order: *slots (owned by the
 * caller) gets one per catalogue row, *missing counts the catalogue's
 * gemeenten in no report. Marks the products of gp that are catalogue
 * rows. Returns 0, -1 when a report has a row the catalogue has not
 * (message in err), or -2 when out of memory. */
static int catalog_slots(const report_merge *mg, const catalog *cat, gem_products *gp,
                         slot **slots, size_t *nslots, size_t *missing, char *err, size_t errlen)
{
	*slots = malloc((cat->nrows + 1) * sizeof **slots);
	if (!*slots)
		return -2;
	for (size_t g = 0; g < cat->ngem; g++) {
		int mgid = name_find(mg->gems, cat->gemeenten[g]);
		if (mgid < 0 && missing)
			(*missing)++;
		for (size_t i = 0; i < cat->nrows; i++) {
			if (cat->rows[i].gem != (int)g)
				continue;
			slot *s = &(*slots)[(*nslots)++];
			s->gem = mgid;
			s->prod = name_find(mg->prods, cat->rows[i].product);
			s->gname = cat->gemeenten[g];
			s->pname = cat->rows[i].product;
			s->peer = cat->rows[i].peer;
			if (mgid < 0 || s->prod < 0)
				continue;
			for (int j = 0; j < gp->nprods[mgid]; j++)
				if (gp->prods[mgid][j] == s->prod)
					gp->prods[mgid][j] = -1 - gp->prods[mgid][j];  /* mark: in catalogue */
		}
	}
	/* a gemeente or product of a report that is no catalogue row */
	for (size_t i = 0; i < mg->nrecs; i++) {
		const rec *r = &mg->recs[i];
		int j = 0;
		while (j < gp->nprods[r->gem] && gp->prods[r->gem][j] != r->prod)
			j++;
		if (j < gp->nprods[r->gem]) {
			snprintf(err, errlen, "%s:%ld: gemeente '%s' with product '%s' is not in "
			         "catalogue '%s'", mg->files[r->file], r->line,
			         name_of(mg->gems, r->gem), name_of(mg->prods, r->prod),
			         cat->name ? cat->name : "-c");
			return -1;
		}
	}
	return 0;
}

/* The rows of one period without a catalogue: the gemeenten in order of
 * first appearance (or by name), each with its products in gp's order.
 * *slots is owned by the caller. Returns 0, or -2 when out of memory. */
static int report_slots(const report_merge *mg, const gem_products *gp,
                        enum report_merge_order order, slot **slots, size_t *nslots)
{
	size_t total = 0;
	int *gorder = malloc((gp->ngem + 1) * sizeof *gorder);
	if (!gorder)
		return -2;
	for (size_t g = 0; g < gp->ngem; g++) {
		gorder[g] = (int)g;
		total += (size_t)gp->nprods[g];
	}
	if (order == REPORT_ORDER_NAME) {
		sort_names = mg->gems;
		qsort(gorder, gp->ngem, sizeof *gorder, cmp_gem_name);
	}
	*slots = malloc((total + 1) * sizeof **slots);
	if (!*slots) {
		free(gorder);
		return -2;
	}
	for (size_t k = 0; k < gp->ngem; k++) {
		int g = gorder[k];
		for (int j = 0; j < gp->nprods[g]; j++) {
			slot *s = &(*slots)[(*nslots)++];
			s->gem = g;
			s->prod = gp->prods[g][j];
			s->gname = name_of(mg->gems, g);
			s->pname = name_of(mg->prods, s->prod);
			s->peer = NULL;
		}
	}
	free(gorder);
	return 0;
}

/* The record of cell (period, gem, prod) among cells (sorted, one per
 * cell), or NULL. */
static const rec *find_cell(const rec *cells, size_t ncells, int32_t period, int gem, int prod)
{
	size_t lo = 0, hi = ncells;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const rec *c = &cells[mid];
		int d = c->period != period ? (c->period < period ? -1 : 1) :
		        c->gem != gem ? (c->gem < gem ? -1 : 1) :
		        (c->prod > prod) - (c->prod < prod);
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ncells && cells[lo].period == period && cells[lo].gem == gem &&
	    cells[lo].prod == prod)
		return &cells[lo];
	return NULL;
}

int report_merge_table(report_merge *mg, const catalog *cat, enum report_merge_order order,
                       report_table *t, size_t *missing, char *err, size_t errlen)
{
	int rc = -1;   /* -2 after oom */
	size_t nslots = 0, ncells = 0, nper = 0;
	slot *slots = NULL;
	rec *cells = NULL;
	int32_t *periods = NULL;
	gem_products gp;

	memset(&gp, 0, sizeof gp);
	if (missing)
		*missing = 0;
	t->rows = NULL;
	t->nrows = 0;
	t->by = report_merge_by(mg);
	t->details = mg->details;

	/* one record per cell; two with figures above 0 are an overlap */
	if (mg->nrecs)
		qsort(mg->recs, mg->nrecs, sizeof *mg->recs, cmp_rec);
	if (gp_build(mg, &gp) < 0)
		goto oom;
	cells = malloc((mg->nrecs + 1) * sizeof *cells);
	periods = malloc((mg->nrecs + 1) * sizeof *periods);
	if (!cells || !periods)
		goto oom;
	if (one_per_cell(mg, t->by, cells, &ncells, periods, &nper, err, errlen) < 0)
		goto out;

	/* the gemeenten and products of one period, in order */
	if (order == REPORT_ORDER_CATALOG && cat)
		rc = catalog_slots(mg, cat, &gp, &slots, &nslots, missing, err, errlen);
	else
		rc = report_slots(mg, &gp, order, &slots, &nslots);
	if (rc == -2)
		goto oom;
	if (rc < 0)
		goto out;

	/* every period has every slot, with the figures of its cell */
	t->rows = calloc(nper * nslots + 1, sizeof *t->rows);
	if (!t->rows)
		goto oom;
	for (size_t p = 0; p < nper; p++) {
		for (size_t k = 0; k < nslots; k++) {
			const slot *s = &slots[k];
			report_row *rr = &t->rows[t->nrows++];
			rr->period_start = periods[p];
			ktime_period_label(periods[p], t->by, rr->period, sizeof rr->period);
			rr->gemeente = s->gname;
			rr->product = s->pname;
			rr->peer = s->peer;
			const rec *c = s->gem < 0 || s->prod < 0 ? NULL :
			               find_cell(cells, ncells, periods[p], s->gem, s->prod);
			if (c) {
				memcpy(rr->n, c->n, sizeof rr->n);
				memcpy(rr->errors, c->err, sizeof rr->errors);
			}
		}
	}
	rc = 0;
	goto out;
oom:
	say(err, errlen, "out of memory");
	rc = -2;
out:
	if (rc < 0) {
		free(t->rows);
		t->rows = NULL;
		t->nrows = 0;
	}
	gp_free(&gp);
	free(slots);
	free(cells);
	free(periods);
	return rc;
}
