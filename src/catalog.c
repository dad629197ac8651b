/*
 * catalog.c - the catalogue of gemeenten, products and step patterns
 * (klantreis(1), CATALOGUE): CSV reading and writing with libcsv, and the
 * built-in template of common municipal products.
 *
 * Reading: the file is read line by line with getline() and every physical
 * line is fed to libcsv on its own, so the current line number is always
 * known; a row (which may span lines inside a quoted cell) is reported at
 * the line where it started. Lines whose first cell starts with '#' are
 * comments: they are dropped before libcsv sees them (so quotes in a comment
 * are no syntax error), and rows whose quoted first cell starts with '#' are
 * dropped too, as are rows of only empty cells (",,,,," or ";;;;;", which
 * spreadsheets write for rows that once held something). The first other
 * row is the header.
 *
 * Spreadsheets: the separator is ',', ';' (Dutch Excel, LibreOffice) or a
 * tab, chosen on the first physical line of the header row as the one that
 * occurs most often outside quotes (',' on a tie or when none occurs). Every
 * cell must be valid UTF-8 (strictly: no overlong forms, surrogates or
 * code points above U+10FFFF); the first invalid byte is reported at its
 * own line with its column and the iconv command that fixes a Latin-1 or
 * Windows-1252 file, instead of loading mojibake.
 *
 * Invariants of a loaded catalog (see catalog.h): rows in file order,
 * gemeenten in order of first appearance, every host once, lower-case and
 * without a trailing dot, (gemeente, product) unique, pattern cells stored
 * as given (NULL when empty) and never compiled here. All strings are owned
 * by the catalog and freed by catalog_free.
 *
 * Loading stays linear in the catalogue's size: while it loads, three
 * string tables (strtab.h) find gemeenten by name, hosts by name and rows
 * by (gemeente, product), so a national catalogue (342 gemeenten, 3,420
 * rows, 684 hosts) loads in milliseconds instead of comparing every row
 * with every other.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "catalog.h"
#include "strtab.h"
#include "text.h"

const char *const catalog_step_names[STEP_COUNT] = { "info", "form", "done" };

enum { COL_GEMEENTE, COL_HOST, COL_PRODUCT, COL_INFO, COL_FORM, COL_DONE, COL_PEER, NCOLS };

static const char *const col_names[NCOLS] = {
	"gemeente", "host", "product", "info", "form", "done", "peer"
};

/* State of one catalog_load run, shared with the libcsv callbacks. */
typedef struct {
	catalog *c;
	const char *name;
	char *err;
	size_t errlen;
	int failed;
	long line;         /* current physical line (1-based) */
	long row_line;     /* line where the current row started */
	int in_row;        /* a row has started and not yet ended */
	char *cellbuf;     /* the current row's cells, each NUL-terminated */
	size_t cellbuf_n, cellbuf_cap;
	struct { size_t off, len; long line; } *cells; /* the cells' places in
	                      cellbuf, and the line each ends on */
	size_t ncells, cells_cap;
	int sep_done;      /* the separator is chosen (on the header's line) */
	int header_done;
	size_t nheader;
	char *header;      /* the header's cells (a copy of cellbuf), for naming
	                      columns klantreis does not use */
	size_t *header_off;
	long col[NCOLS];   /* cell index of each column, -1 when absent */
	size_t rows_cap, gem_cap, hosts_cap;
	/* the load index (strtab.h): ids are indexes in the catalog's
	 * gemeenten[], hosts[] and rows[], which grow in step with them */
	strtab *gem_ids;   /* gemeente name */
	strtab *host_ids;  /* host name */
	strtab *row_ids;   /* row_key(): gemeente id and product */
	char *rowkey;      /* row_key()'s buffer */
	size_t rowkey_cap;
} load_state;

static void fail(load_state *st, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first error as "NAME:LINE: message" (or "NAME: message"
 * when line is 0); later errors are ignored. */
static void fail(load_state *st, long line, const char *fmt, ...)
{
	if (st->failed)
		return;
	st->failed = 1;
	int n;
	if (line > 0)
		n = snprintf(st->err, st->errlen, "%s:%ld: ", st->name, line);
	else
		n = snprintf(st->err, st->errlen, "%s: ", st->name);
	if (n < 0 || (size_t)n >= st->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Array p of *cap elements of size bytes, with room for need of them:
 * p, or where realloc moved it (then *cap is the new capacity). NULL when
 * out of memory; p is then still valid. The caller stores the result in
 * its own typed pointer (no cast through void **). */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap && p)
		return p;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(p, n * size);
	if (q)
		*cap = n;
	return q;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* libcsv field callback: appends the cell to the current row. */
static void on_cell(void *s, size_t len, void *data)
{
	load_state *st = data;
	if (st->failed)
		return;
	char *buf = grow(st->cellbuf, &st->cellbuf_cap, st->cellbuf_n + len + 1, 1);
	if (buf)
		st->cellbuf = buf;
	void *cells = buf ? grow(st->cells, &st->cells_cap, st->ncells + 1, sizeof *st->cells)
	                  : NULL;
	if (!cells) {
		fail(st, 0, "out of memory");
		return;
	}
	st->cells = cells;
	if (len)
		memcpy(st->cellbuf + st->cellbuf_n, s, len);
	st->cellbuf[st->cellbuf_n + len] = '\0';
	st->cells[st->ncells].off = st->cellbuf_n;
	st->cells[st->ncells].len = len;
	st->cells[st->ncells].line = st->line;
	st->ncells++;
	st->cellbuf_n += len + 1;
}

static const char *cell(const load_state *st, size_t i)
{
	return st->cellbuf + st->cells[i].off;
}

static void header_row(load_state *st)
{
	for (int k = 0; k < NCOLS; k++)
		st->col[k] = -1;
	for (size_t i = 0; i < st->ncells; i++) {
		for (int k = 0; k < NCOLS; k++) {
			if (strcasecmp(cell(st, i), col_names[k]) != 0)
				continue;
			if (st->col[k] >= 0) {
				fail(st, st->row_line, "column '%s': appears twice", col_names[k]);
				return;
			}
			st->col[k] = (long)i;
		}
	}
	for (int k = 0; k < COL_PEER; k++) {
		if (st->col[k] < 0) {
			if (st->ncells == 1)
				fail(st, st->row_line, "column '%s': missing (the header is one "
				     "cell: separate the cells with ',', ';' or a tab)", col_names[k]);
			else
				fail(st, st->row_line, "column '%s': missing", col_names[k]);
			return;
		}
	}
	st->header = malloc(st->cellbuf_n + 1);
	st->header_off = malloc((st->ncells + 1) * sizeof *st->header_off);
	if (!st->header || !st->header_off) {
		fail(st, 0, "out of memory");
		return;
	}
	memcpy(st->header, st->cellbuf, st->cellbuf_n);
	for (size_t i = 0; i < st->ncells; i++)
		st->header_off[i] = st->cells[i].off;
	st->nheader = st->ncells;
	st->header_done = 1;
}

/* Finds s in t, or adds it as the next id: the id, *added 1 when new.
 * Fails st and returns -1 when out of memory. */
static long index_add(load_state *st, strtab *t, const char *s, size_t n, int *added)
{
	long id = strtab_add(t, s, n, added);
	if (id < 0)
		fail(st, 0, "out of memory");
	return id;
}

/* The key of row (gem, prod) in st->row_ids: gem's bytes, then the
 * product (no NUL byte in a product: data_row checks). Its length, or 0
 * when out of memory (st failed). */
static size_t row_key(load_state *st, int gem, const char *prod)
{
	size_t n = sizeof gem + strlen(prod);
	char *buf = grow(st->rowkey, &st->rowkey_cap, n, 1);
	if (!buf) {
		fail(st, 0, "out of memory");
		return 0;
	}
	st->rowkey = buf;
	memcpy(buf, &gem, sizeof gem);
	memcpy(buf + sizeof gem, prod, n - sizeof gem);
	return n;
}

static int add_gemeente(load_state *st, const char *g)
{
	catalog *c = st->c;
	int added;
	long found = index_add(st, st->gem_ids, g, strlen(g), &added);
	if (found < 0 || !added)
		return (int)found;
	char *d = strdup(g);
	char **gems = d ? grow(c->gemeenten, &st->gem_cap, c->ngem + 1, sizeof *gems) : NULL;
	if (!gems) {
		free(d);
		fail(st, 0, "out of memory");
		return -1;
	}
	c->gemeenten = gems;
	c->gemeenten[c->ngem] = d;
	return (int)c->ngem++; /* == found */
}

/* Splits a host cell on spaces and tabs; every name is lower-cased, loses a
 * trailing dot and is added to gemeente gem unless it is already there. */
static void add_hosts(load_state *st, const char *s, int gem)
{
	catalog *c = st->c;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *b = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		size_t n = (size_t)(s - b);
		if (n && b[n - 1] == '.')
			n--;
		if (!n)
			continue;
		char *h = dup_n(b, n);
		if (!h) {
			fail(st, 0, "out of memory");
			return;
		}
		for (size_t i = 0; i < n; i++)
			h[i] = (char)tolower((unsigned char)h[i]);
		int added;
		long i = index_add(st, st->host_ids, h, n, &added);
		if (i < 0) {
			free(h);
			return;
		}
		if (!added) {
			int other = c->hosts[i].gem;
			if (other != gem)
				fail(st, st->row_line,
				     "column 'host': host '%s' already belongs to gemeente '%s'",
				     h, c->gemeenten[other]);
			free(h);
			if (st->failed)
				return;
			continue;
		}
		catalog_host *hosts = grow(c->hosts, &st->hosts_cap, c->nhosts + 1, sizeof *hosts);
		if (!hosts) {
			free(h);
			fail(st, 0, "out of memory");
			return;
		}
		c->hosts = hosts;
		c->hosts[c->nhosts].host = h;
		c->hosts[c->nhosts].gem = gem;
		c->nhosts++; /* == i + 1 */
	}
}

/* libcsv's error in words a catalogue editor understands; at_end: the
 * error came from csv_fini (the file ended inside a quoted cell). */
static const char *csv_message(int e, int at_end)
{
	if (e == CSV_EPARSE)
		return at_end ? "unterminated quoted cell (a '\"' is not closed)"
		              : "stray '\"' in a cell (quote the whole cell and double "
		                "the quotes inside it)";
	return csv_strerror(e);
}

static void data_row(load_state *st)
{
	catalog *c = st->c;
	if (st->ncells != st->nheader) {
		/* name the first known column the row falls short of */
		int miss = -1;
		for (int k = 0; k < NCOLS; k++)
			if (st->col[k] >= (long)st->ncells && (miss < 0 || st->col[k] < st->col[miss]))
				miss = k;
		if (miss >= 0)
			fail(st, st->row_line, "column '%s': missing (the row has %zu cells, "
			     "the header %zu)", col_names[miss], st->ncells, st->nheader);
		else
			fail(st, st->row_line, "row has %zu cells, the header has %zu",
			     st->ncells, st->nheader);
		return;
	}
	for (int k = 0; k < NCOLS; k++) {
		size_t i = (size_t)st->col[k];
		if (st->col[k] >= 0 && strlen(cell(st, i)) != st->cells[i].len) {
			fail(st, st->row_line, "column '%s': contains a NUL byte", col_names[k]);
			return;
		}
	}
	const char *g = cell(st, (size_t)st->col[COL_GEMEENTE]);
	const char *prod = cell(st, (size_t)st->col[COL_PRODUCT]);
	if (!*g) {
		fail(st, st->row_line, "column 'gemeente': empty");
		return;
	}
	if (!*prod) {
		fail(st, st->row_line, "column 'product': empty");
		return;
	}
	int gem = add_gemeente(st, g);
	if (gem < 0)
		return;
	/* added here: when the row does not follow, the load fails anyway */
	int added;
	size_t kn = row_key(st, gem, prod);
	long dup = kn ? index_add(st, st->row_ids, st->rowkey, kn, &added) : -1;
	if (dup < 0)
		return;
	if (!added) {
		fail(st, st->row_line,
		     "column 'product': duplicate product '%s' for gemeente '%s', "
		     "first on line %ld", prod, g, c->rows[dup].line);
		return;
	}
	add_hosts(st, cell(st, (size_t)st->col[COL_HOST]), gem);
	if (st->failed)
		return;
	catalog_row *rows = grow(c->rows, &st->rows_cap, c->nrows + 1, sizeof *rows);
	if (!rows) {
		fail(st, 0, "out of memory");
		return;
	}
	c->rows = rows;
	catalog_row *r = &c->rows[c->nrows];
	memset(r, 0, sizeof *r);
	r->gem = gem;
	r->line = st->row_line;
	c->nrows++; /* counted now so that catalog_free frees a partial row;
	             * == dup + 1 */
	int oom = !(r->product = strdup(prod));
	for (int s = 0; s < STEP_COUNT; s++) {
		const char *p = cell(st, (size_t)st->col[COL_INFO + s]);
		if (*p && !(r->pat[s] = strdup(p)))
			oom = 1;
	}
	if (st->col[COL_PEER] >= 0) {
		const char *p = cell(st, (size_t)st->col[COL_PEER]);
		if (*p && !(r->peer = strdup(p)))
			oom = 1;
	}
	if (oom)
		fail(st, 0, "out of memory");
}

/* Fails unless every cell of the current row is valid UTF-8. The message
 * names the line of the first bad byte (a quoted cell may span lines), its
 * column, the byte and the text before it, and the iconv command that
 * converts the file: from Windows-1252 when the byte is 0x80-0x9F (C1
 * controls in Latin-1, but letters and quotes in Windows' Excel), else
 * from Latin-1. */
static void check_utf8(load_state *st)
{
	for (size_t i = 0; i < st->ncells; i++) {
		const unsigned char *p = (const unsigned char *)cell(st, i);
		size_t n = st->cells[i].len;
		size_t ok = text_utf8_valid(p, n);
		if (ok == n)
			continue;
		/* line breaks after the bad byte move its line up from the
		 * line the cell ends on; CR LF is one break, a lone CR too */
		long line = st->cells[i].line;
		for (size_t k = ok; k < n; k++)
			if (p[k] == '\n' || (p[k] == '\r' && (k + 1 == n || p[k + 1] != '\n')))
				line--;
		char where[96];
		if (!st->header_done) {
			snprintf(where, sizeof where, "header cell %zu: ", i + 1);
		} else {
			const char *col = i < st->nheader ? st->header + st->header_off[i] : NULL;
			if (col && *col && text_utf8_valid((const unsigned char *)col, strlen(col)) ==
			                       strlen(col) && strlen(col) < 64)
				snprintf(where, sizeof where, "column '%s': ", col);
			else
				snprintf(where, sizeof where, "cell %zu: ", i + 1);
		}
		/* up to 24 bytes of the (valid) text before the bad byte on its
		 * line */
		size_t b = ok > 24 ? ok - 24 : 0;
		while (b < ok && (p[b] & 0xC0) == 0x80)
			b++;
		for (size_t k = b; k < ok; k++)
			if (p[k] == '\n' || p[k] == '\r')
				b = k + 1;
		char before[64];
		size_t bn = 0;
		for (size_t k = b; k < ok; k++)
			before[bn++] = p[k] < 0x20 || p[k] == 0x7f ? '?' : (char)p[k];
		before[bn] = '\0';
		char ctx[96];
		if (bn)
			snprintf(ctx, sizeof ctx, " after '%s'", before);
		else
			snprintf(ctx, sizeof ctx, " at the start of the %s", ok ? "line" : "cell");
		const char *from = p[ok] >= 0x80 && p[ok] <= 0x9F ? "windows-1252" : "latin1";
		char in[160], out[168], utf8[160];
		snprintf(utf8, sizeof utf8, "%s.utf8", st->name);
		text_shell_quote(in, sizeof in, st->name);
		text_shell_quote(out, sizeof out, utf8);
		if (strcmp(st->name, "-") == 0)
			fail(st, line, "%snot UTF-8 (byte 0x%02X%s); convert the catalogue "
			     "with: iconv -f %s -t utf-8", where, p[ok], ctx, from);
		else
			fail(st, line, "%snot UTF-8 (byte 0x%02X%s); convert the file "
			     "with: iconv -f %s -t utf-8 %s > %s", where, p[ok], ctx, from, in,
			     out);
		return;
	}
}

/* Are all cells of the current row empty (";;;;;", as spreadsheets save
 * a row that once held something)? */
static int row_empty(const load_state *st)
{
	for (size_t i = 0; i < st->ncells; i++)
		if (st->cells[i].len)
			return 0;
	return 1;
}

/* libcsv row callback. */
static void on_row(int term, void *data)
{
	load_state *st = data;
	(void)term;
	if (st->failed || row_empty(st)) {
		if (!st->header_done)
			st->sep_done = 0; /* choose on the next row */
	} else if (cell(st, 0)[0] == '#') {
		if (!st->header_done)
			st->sep_done = 0; /* a quoted comment: choose on the next row */
	} else {
		check_utf8(st);
		if (!st->failed && !st->header_done)
			header_row(st);
		else if (!st->failed)
			data_row(st);
	}
	st->ncells = 0;
	st->cellbuf_n = 0;
	st->in_row = 0;
}

/* The separator of the header line [s, s + n): whichever of ',', ';' and
 * tab occurs most often outside double quotes; ',' on a tie. A quoted
 * header cell that spans lines ends the count at the line's end. */
static unsigned char detect_sep(const char *s, size_t n)
{
	static const unsigned char cand[] = { ',', ';', '\t' };
	size_t count[3] = { 0, 0, 0 };
	int quoted = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			for (int k = 0; k < 3; k++)
				count[k] += (unsigned char)s[i] == cand[k];
	}
	int best = 0;
	for (int k = 1; k < 3; k++)
		if (count[k] > count[best])
			best = k;
	return cand[best];
}

/* Feeds one physical line (with its terminator) to libcsv. */
static void feed_line(load_state *st, struct csv_parser *p, const char *s, size_t n)
{
	if (!st->in_row) {
		size_t i = 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == '#')
			return; /* comment line */
		if (i < n && s[i] != '\r' && s[i] != '\n') {
			st->in_row = 1;
			st->row_line = st->line;
			if (!st->sep_done) {
				csv_set_delim(p, detect_sep(s, n));
				st->sep_done = 1;
			}
		}
	}
	if (csv_parse(p, s, n, on_cell, on_row, st) != n && !st->failed)
		fail(st, st->line, "%s", csv_message(csv_error(p), 0));
}

catalog *catalog_load(FILE *fp, const char *name, char *err, size_t errlen)
{
	load_state st;
	struct csv_parser p;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int parser_ok = 0;

	memset(&st, 0, sizeof st);
	st.name = name;
	st.err = err;
	st.errlen = errlen;
	st.line = 1;
	if (errlen)
		err[0] = '\0';
	st.c = calloc(1, sizeof *st.c);
	st.gem_ids = strtab_new();
	st.host_ids = strtab_new();
	st.row_ids = strtab_new();
	if (!st.c || !(st.c->name = strdup(name)) || !st.gem_ids || !st.host_ids ||
	    !st.row_ids) {
		fail(&st, 0, "out of memory");
		goto out;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fail(&st, 0, "out of memory");
		goto out;
	}
	parser_ok = 1;
	errno = 0;
	while (!st.failed && (len = getline(&buf, &cap, fp)) > 0) {
		const char *s = buf;
		size_t n = (size_t)len;
		if (st.line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
		/* A lone CR also ends a line (old Mac files). */
		while (n > 0 && !st.failed) {
			size_t i = 0;
			while (i < n && s[i] != '\n' &&
			       !(s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
				i++;
			size_t seg = i < n ? i + 1 : n;
			feed_line(&st, &p, s, seg);
			if (i < n)
				st.line++;
			s += seg;
			n -= seg;
		}
	}
	if (st.failed)
		goto out;
	if (ferror(fp)) {
		fail(&st, 0, "cannot read: %s", strerror(errno ? errno : EIO));
		goto out;
	}
	if (csv_fini(&p, on_cell, on_row, &st) != 0 && !st.failed)
		fail(&st, st.in_row ? st.row_line : st.line, "%s", csv_message(csv_error(&p), 1));
	if (!st.failed && st.c->nrows == 0)
		fail(&st, 0, "no products");
out:
	if (parser_ok)
		csv_free(&p);
	free(buf);
	free(st.cellbuf);
	free(st.cells);
	free(st.header);
	free(st.header_off);
	strtab_free(st.gem_ids);
	strtab_free(st.host_ids);
	strtab_free(st.row_ids);
	free(st.rowkey);
	if (st.failed) {
		catalog_free(st.c);
		return NULL;
	}
	return st.c;
}

/*
 * The built-in template. Patterns are searched in the request target (path
 * plus query, not percent-decoded) and are case-insensitive. They follow the
 * URL conventions common on Dutch municipal sites:
 *   info  a product page whose last path segment is the product's slug, at
 *         any depth (/verhuizen, /producten/verhuizing-doorgeven,
 *         /loket/paspoort.html?x=1), unless a directory segment before it
 *         starts with a form word (/formulier/verhuizen is a form);
 *   form  an e-form start: a path segment starting with e-formulier,
 *         formulier(en), form(s), aanvragen, aanvraag or digid (and
 *         afspraak/afspraken for products requested at the desk), followed
 *         later in the path or query by the product's stem, and not ending
 *         on a confirmation page;
 *   done  the product's stem followed later by a confirmation segment or
 *         value: bedankt, bevestiging, verzonden, afgerond, voltooid, klaar,
 *         gelukt, succes (after '/', '=' or '-').
 * Each row has stems, and each of its patterns requires one of them not
 * preceded by a letter or digit (every info slug starts with a stem). That
 * makes the catalogue's guard - all stems in one alternation - a valid
 * first test: a target without any stem matches no template pattern.
 */

/* Words that start a path segment of an e-form; "afspraak" only counts
 * as a form for products requested at the desk. */
#define FORM_WORDS "e-?formulier(?:en)?|formulier(?:en)?|forms?|aanvragen|aanvraag|digid"
#define AFSPRAAK_WORDS "afspra(?:ak|ken)"
/* Characters that may separate a form keyword from the product stem. */
#define GAP "[\\w/?=&.-]*"
#define DONE_WORDS "(?:bedankt|bevestiging|verzonden|afgerond|voltooid|klaar|gelukt|succes)"
/* A stem starts a word: not preceded by a letter or digit. */
#define AT_STEM(stems) "(?<![a-z0-9])(?:" stems ")"
/* info: the slug as the last path segment (optional .html/.htm/.aspx/.php
 * and trailing slash), with no directory segment before it that starts
 * with a form word. The possessive group steps over the directory segments
 * without backtracking, so this costs one pass. */
#define INFO(slugs) \
	"(?i)^/(?:(?!(?:" FORM_WORDS "|" AFSPRAAK_WORDS ")(?![a-z]))[^/?#]*+/(?=[^/?#]))*+" \
	"(?:" slugs ")(?:\\.(?:html?|aspx|php))?/?(?:[?#]|$)"
/* form: a segment starting with a form word (as a whole word), later the
 * stem, and no confirmation after it. */
#define FORM_X(words, stems) \
	"(?i)/(?:" words ")(?![a-z])" GAP AT_STEM(stems) "(?!" GAP "[/=-]" DONE_WORDS ")"
#define FORM(stems) FORM_X(FORM_WORDS, stems)
#define FORM_AFSPRAAK(stems) FORM_X(FORM_WORDS "|" AFSPRAAK_WORDS, stems)
#define DONE(stems) "(?i)" AT_STEM(stems) GAP "[/=-]" DONE_WORDS

/* One template row: product, stems (a PCRE2 alternation) and patterns. */
#define ROW(product, stems, info_slugs, form) \
	{ product, stems, { INFO(info_slugs), form(stems), DONE(stems) } }

#define S_VERHUIZ "verhuiz"
#define S_PARKEER "parkeervergunning|bewonersvergunning"
#define S_UITTREKSEL "uittreksel"
#define S_PASPOORT "paspoort|identiteitskaart|id-kaart|reisdocument"
#define S_RIJBEWIJS "rijbewijs"
#define S_GROFVUIL "grofvuil|grof-?afval|grof-huishoudelijk-afval"
#define S_MELDING "melding|klacht-of-melding|storing-melden|mor\\b"
#define S_GEBOORTE "geboorte|aangifte-(?:van-)?geboorte"
#define S_BIJSTAND "bijstand|uitkering-aanvragen"
#define S_KWIJT "kwijtschelding"

static const struct {
	const char *product;
	const char *stems;
	const char *pat[STEP_COUNT];
} builtin_rows[] = {
	/* /verhuizen, /verhuizing-doorgeven, /verhuizing-naar-utrecht;
	 * /e-formulier/verhuizing; /digid/verhuizen/bedankt */
	ROW("Verhuizing doorgeven", S_VERHUIZ,
	    "verhuizen|verhuizing(?:-doorgeven)?|verhuizing-(?:binnen|naar)-[\\w-]+"
	    "|verhuizing-(?:en-adreswijziging|doorgeven-aan-de-gemeente)", FORM),
	/* /parkeervergunning-bewoners, /bewonersvergunning;
	 * /formulieren/parkeervergunning-aanvragen[/bevestiging] */
	ROW("Parkeervergunning", S_PARKEER,
	    "parkeervergunning(?:en)?(?:-[\\w-]+)?|bewonersvergunning(?:-[\\w-]+)?", FORM),
	/* /uittreksel-brp, /uittreksel-basisregistratie-personen, /uittreksel-gba;
	 * /aanvragen/uittreksel-brp[/afgerond] */
	ROW("Uittreksel BRP", S_UITTREKSEL,
	    "uittreksel(?:-brp|-basisregistratie-personen|-gba)?(?:-aanvragen)?", FORM),
	/* /paspoort, /id-kaart, /paspoort-en-identiteitskaart;
	 * /afspraak-maken?product=paspoort; /afspraak/paspoort/bevestiging */
	ROW("Paspoort of ID-kaart aanvragen", S_PASPOORT,
	    "paspoort(?:-[\\w-]+)?|identiteitskaart(?:-[\\w-]+)?|id-kaart(?:-[\\w-]+)?"
	    "|reisdocumenten", FORM_AFSPRAAK),
	/* /rijbewijs, /rijbewijs-verlengen; /afspraken/rijbewijs */
	ROW("Rijbewijs aanvragen of verlengen", S_RIJBEWIJS,
	    "rijbewijs(?:-[\\w-]+)?", FORM_AFSPRAAK),
	/* /grofvuil, /grof-huishoudelijk-afval, /grofvuil-laten-ophalen;
	 * /formulier/grofvuil[/klaar] */
	ROW("Grofvuil ophalen", S_GROFVUIL,
	    "grofvuil(?:-[\\w-]+)?|grof-?afval(?:-[\\w-]+)?|grof-huishoudelijk-afval", FORM),
	/* /melding-openbare-ruimte, /melding-doen, /meldingen;
	 * /e-formulier/melding-openbare-ruimte, /e-formulier/mor */
	ROW("Melding openbare ruimte", S_MELDING,
	    "melding-openbare-ruimte|melding(?:-doen|-maken)?|meldingen"
	    "|klacht-of-melding|storing-melden", FORM),
	/* /geboorteaangifte, /aangifte-geboorte, /geboorte-aangeven */
	ROW("Geboorteaangifte", S_GEBOORTE,
	    "geboorte(?:-?aangifte|-aangeven)?|aangifte-(?:van-)?geboorte", FORM),
	/* /bijstand, /bijstandsuitkering-aanvragen; /aanvraag/bijstand[/voltooid] */
	ROW("Bijstand aanvragen", S_BIJSTAND,
	    "bijstand(?:suitkering)?(?:-aanvragen)?|uitkering-aanvragen", FORM),
	/* /kwijtschelding, /kwijtschelding-gemeentelijke-belastingen */
	ROW("Kwijtschelding gemeentelijke belastingen", S_KWIJT,
	    "kwijtschelding(?:-[\\w-]+)?", FORM),
};

catalog *catalog_builtin(void)
{
	size_t n = sizeof builtin_rows / sizeof builtin_rows[0];
	catalog *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->builtin = 1;
	c->name = strdup("built-in");
	c->rows = calloc(n, sizeof *c->rows);
	size_t glen = sizeof "(?i)" AT_STEM("");
	for (size_t i = 0; i < n; i++)
		glen += strlen(builtin_rows[i].stems) + 1;
	c->guard = malloc(glen);
	if (!c->name || !c->rows || !c->guard)
		goto fail;
	strcpy(c->guard, "(?i)(?<![a-z0-9])(?:");
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(c->guard, "|");
		strcat(c->guard, builtin_rows[i].stems);
	}
	strcat(c->guard, ")");
	for (size_t i = 0; i < n; i++) {
		catalog_row *r = &c->rows[i];
		c->nrows++;
		r->gem = -1;
		r->line = (long)i + 2; /* its line in catalog_write_csv's output */
		if (!(r->product = strdup(builtin_rows[i].product)))
			goto fail;
		for (int s = 0; s < STEP_COUNT; s++)
			if (!(r->pat[s] = strdup(builtin_rows[i].pat[s])))
				goto fail;
	}
	return c;
fail:
	catalog_free(c);
	return NULL;
}

int catalog_find_gemeente(const catalog *c, const char *name)
{
	for (size_t i = 0; i < c->ngem; i++)
		if (strcmp(c->gemeenten[i], name) == 0)
			return (int)i;
	return -1;
}

/* Writes one cell, quoted only when a reader would not get it back as is. */
static int write_cell(FILE *fp, const char *s, size_t n)
{
	int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	for (size_t i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	if (quote)
		return csv_fwrite(fp, s, n) == 0 ? 0 : -1;
	return n == 0 || fwrite(s, 1, n, fp) == n ? 0 : -1;
}

static int write_str(FILE *fp, const char *s)
{
	return write_cell(fp, s ? s : "", s ? strlen(s) : 0);
}

/* Writes the hosts of gemeente gem, separated by spaces, as one cell:
 * quoted as a whole when a host holds a comma or quote (the loader splits
 * only on white space, so "a,b" is one host and must come back as one). */
static int write_hosts(FILE *fp, const catalog *c, int gem)
{
	char *cell = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&cell, &n);
	if (!mem)
		return -1;
	int first = 1;
	for (size_t i = 0; i < c->nhosts; i++) {
		if (c->hosts[i].gem != gem)
			continue;
		if (!first)
			putc(' ', mem);
		fputs(c->hosts[i].host, mem);
		first = 0;
	}
	int rc = fclose(mem) == 0 ? write_cell(fp, cell, n) : -1;
	free(cell);
	return rc;
}

/* The example gemeente the built-in template is written with. */
#define BUILTIN_GEMEENTE "Voorbeeldgemeente"
#define BUILTIN_HOST "www.voorbeeldgemeente.nl"

int catalog_write_csv(const catalog *c, FILE *fp)
{
	int peer = 0;
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].peer)
			peer = 1;
	if (fputs(peer ? "gemeente,host,product,info,form,done,peer\n"
	               : "gemeente,host,product,info,form,done\n", fp) == EOF)
		return -1;
	for (size_t i = 0; i < c->nrows; i++) {
		const catalog_row *r = &c->rows[i];
		int rc;
		if (c->builtin)
			rc = fputs(BUILTIN_GEMEENTE "," BUILTIN_HOST, fp) == EOF ? -1 : 0;
		else
			rc = write_str(fp, c->gemeenten[r->gem]) < 0 || putc(',', fp) == EOF ||
			     write_hosts(fp, c, r->gem) < 0 ? -1 : 0;
		if (rc < 0 || putc(',', fp) == EOF || write_str(fp, r->product) < 0)
			return -1;
		for (int s = 0; s < STEP_COUNT; s++)
			if (putc(',', fp) == EOF || write_str(fp, r->pat[s]) < 0)
				return -1;
		if (peer && (putc(',', fp) == EOF || write_str(fp, r->peer) < 0))
			return -1;
		if (putc('\n', fp) == EOF)
			return -1;
	}
	return ferror(fp) ? -1 : 0;
}

void catalog_free(catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nrows; i++) {
		free(c->rows[i].product);
		for (int s = 0; s < STEP_COUNT; s++)
			free(c->rows[i].pat[s]);
		free(c->rows[i].peer);
	}
	free(c->rows);
	for (size_t i = 0; i < c->ngem; i++)
		free(c->gemeenten[i]);
	free(c->gemeenten);
	for (size_t i = 0; i < c->nhosts; i++)
		free(c->hosts[i].host);
	free(c->hosts);
	free(c->name);
	free(c->guard);
	free(c);
}
