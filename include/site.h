/*
 * site.h - the report as a static website (--format site -o DIR): an
 * index (per product the national picture), a page per gemeente, a page
 * per product and an about page, every page self-contained (inline CSS
 * and SVG, no script, nothing from the network), in t->lang.
 *
 * Layout of DIR:
 *   index.html              per product: median, spread chart, largest
 *                           potential gains; the gemeenten A-Z
 *   gemeente/SLUG.html      a gemeente's products against the national
 *                           (and with --peer its peer group's) median
 *   product/SLUG.html       every gemeente ranked, with 95% intervals
 *   about.html              how the figures are made, the input, privacy
 * SLUG is site_slug of the name, made unique by site_slugs.
 *
 * Every figure shown is a published figure (report_model.h: --min-cell
 * applies to every page); the 95% interval is stats_wilson of the shown
 * counts. Borrowed strings live as long as the table.
 */
#ifndef KR_SITE_H
#define KR_SITE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "report.h"

/* The file-name form of a name: Latin-1-range letters of UTF-8 (U+00C0 to
 * U+00FF) transliterated (á -> a, ß -> ss, æ -> ae), ASCII lower-cased,
 * every run of other bytes (spaces, punctuation, other characters) one
 * '-', none first or last, at most 80 bytes: "'s-Hertogenbosch" ->
 * "s-hertogenbosch", "Súdwest-Fryslân" -> "sudwest-fryslan". A name
 * with no letter or digit gives "x". Writes it into buf (n >= 82 for
 * the whole slug). Returns its length. */
size_t site_slug(const char *name, char *buf, size_t n);

/* Unique slugs for names[0..n) in that order: the first of a slug keeps
 * it, later ones get "-2", "-3", ... (the first suffix not taken), so
 * the result depends only on the order of the names. Fills out[i]
 * (malloc'ed; free each). Returns 0, or -1 when out of memory (out[]
 * then holds nothing to free). */
int site_slugs(const char *const *names, size_t n, char **out);

/* Writes the site of t into the existing empty directory dir.
 * min_visitors is the benchmark's --min-visitors (the national benchmark
 * with --peer is computed from it); generated is the time stated on the
 * pages. Returns 0, or -1 (message given). */
int site_write(const report_table *t, int64_t min_visitors, time_t generated, const char *dir);

/* site_write into a new tree beside path, swapped in atomically
 * (output_dir_open / output_dir_close); failure leaves the old site.
 * The time on the pages is now, or $SOURCE_DATE_EPOCH when set.
 * Returns 0, or -1 (message given). */
int site_publish(const report_table *t, int64_t min_visitors, const char *path);

#endif
