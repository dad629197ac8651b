/*
 * catalog.h - the catalogue of gemeenten, products and step patterns.
 *
 * Loaded from CSV (klantreis(1), CATALOGUE) with libcsv - also as
 * spreadsheets save it (';' or tab separated, BOM, CRLF) - or the built-in
 * template of common municipal products. A catalog owns all its strings,
 * all valid UTF-8.
 *
 * Invariants:
 *   - rows are in file order; rows[i].gem indexes gemeenten[], which are in
 *     order of first appearance;
 *   - hosts[] holds each (lower-cased) host once, with the gemeente it
 *     belongs to; a host named by two gemeenten is an error;
 *   - pat[step] is NULL when the cell was empty (step not measured);
 *   - in the built-in catalogue (builtin == 1) there are no gemeenten and no
 *     hosts: rows are a template, gem is -1, and every host in the log is
 *     treated as its own gemeente (see match.h).
 */
#ifndef KR_CATALOG_H
#define KR_CATALOG_H

#include <stddef.h>
#include <stdio.h>

enum { STEP_INFO = 0, STEP_FORM = 1, STEP_DONE = 2, STEP_COUNT = 3 };

typedef struct {
	int gem;              /* index into gemeenten, -1 in the built-in template */
	char *product;        /* product name */
	char *pat[STEP_COUNT];/* PCRE2 patterns, NULL when not measured */
	char *peer;           /* value of an optional "peer" column, or NULL */
	long line;            /* line in the catalogue file (1-based); in the
	                         built-in template the line it gets in
	                         catalog_write_csv's output */
} catalog_row;

typedef struct {
	char *host;           /* lower-case host name */
	int gem;
} catalog_host;

typedef struct {
	char *name;           /* file name for messages ("built-in" for the template) */
	int builtin;
	catalog_row *rows;
	size_t nrows;
	char **gemeenten;
	size_t ngem;
	catalog_host *hosts;
	size_t nhosts;
	char *guard;          /* NULL, or a PCRE2 pattern that every target
	                         matched by any of the rows' patterns matches
	                         too (set for the built-in template: its product
	                         stems); match.c runs it first as a cheap test */
} catalog;

/* Step names as used in column headers: "info", "form", "done". */
extern const char *const catalog_step_names[STEP_COUNT];

/* Reads a catalogue from fp; name is used in messages (and copied). Cells
 * are separated by ',', ';' or tab, whichever the header line uses most
 * (see catalog.c); a BOM and CRLF line ends are fine; every cell must be
 * valid UTF-8. On
 * error returns NULL and writes "NAME:LINE: column 'COL': message" (or
 * "NAME:LINE: message" for CSV syntax errors and rows with the wrong
 * number of cells, "NAME: message" when no line applies, e.g.
 * "NAME: no products") to err. LINE is where the row starts. Patterns are
 * NOT compiled here (match_new does that). The caller keeps ownership of
 * fp; the result is freed with catalog_free. */
catalog *catalog_load(FILE *fp, const char *name, char *err, size_t errlen);

/* The built-in template catalogue (ten common products). */
catalog *catalog_builtin(void);

/* Index of gemeente name (exact match), or -1. */
int catalog_find_gemeente(const catalog *c, const char *name);

/* Writes c as catalogue CSV (header gemeente,host,product,info,form,done)
 * to fp with libcsv, quoting only where needed. The built-in template is
 * written with an example gemeente and host so that it loads back with -c.
 * Returns 0, or -1 on a write error (errno set). */
int catalog_write_csv(const catalog *c, FILE *fp);

/* Frees c; NULL is a no-op. */
void catalog_free(catalog *c);

#endif
