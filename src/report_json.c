/*
 * report_json.c - the report as one JSON document (RFC 8259):
 *
 *   {"meta": {...}, "rows": [{...}, ...]}
 *
 * meta says what was measured and read: version, command line, count,
 * funnel, by, since/until, the inputs with format and lines, lines read,
 * exclusions per reason (keys are the reason names with '_' for spaces),
 * per gemeente when known, and the elapsed seconds. rows are the rows of
 * the report model, one object each with the CSV column names as keys in
 * column order: text columns are strings, number cells JSON numbers
 * exactly as the CSV prints them ("0.4500" stays 0.4500), empty and
 * suppressed cells null.
 *
 * Strings are escaped per RFC 8259; bytes that are not valid UTF-8 become
 * U+FFFD, so the document is always valid UTF-8. One row per line, so the
 * output diffs well; nothing is printed but to the given stream.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_writers.h"
#include "text.h"
#include "fault.h"

/* Writes s (n bytes) as a JSON string. */
static void json_str_n(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	putc('"', fp);
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c == '"' || c == '\\') {
			putc('\\', fp);
			putc((int)c, fp);
			i++;
		} else if (c < 0x20) {
			switch (c) {
			case '\n': fputs("\\n", fp); break;
			case '\r': fputs("\\r", fp); break;
			case '\t': fputs("\\t", fp); break;
			case '\b': fputs("\\b", fp); break;
			case '\f': fputs("\\f", fp); break;
			default: fprintf(fp, "\\u%04x", c); break;
			}
			i++;
		} else {
			size_t len = text_utf8_len(p + i, n - i);
			if (len == 0) {
				fputs("\\ufffd", fp);
				i++;
			} else {
				fwrite(p + i, 1, len, fp);
				i += len;
			}
		}
	}
	putc('"', fp);
}

/* Writes s as a JSON string, or null when s is NULL. */
static void json_str(FILE *fp, const char *s)
{
	if (s)
		json_str_n(fp, s, strlen(s));
	else
		fputs("null", fp);
}

/* Writes a key: the name with spaces as '_', then ": ". */
static void json_key(FILE *fp, const char *name)
{
	char buf[64];
	size_t n = strlen(name);
	if (n >= sizeof buf) {
		json_str(fp, name);
	} else {
		for (size_t i = 0; i <= n; i++)
			buf[i] = name[i] == ' ' ? '_' : name[i];
		json_str_n(fp, buf, n);
	}
	fputs(": ", fp);
}

static void json_bound(FILE *fp, const int64_t *wall)
{
	char buf[32];
	json_str(fp, wall ? ktime_format_bound(*wall, buf, sizeof buf) : NULL);
}

/* {"reason": n, ...} for the counts ex[0..m->nreasons). */
static void json_reasons(FILE *fp, const report_meta *m, const uint64_t *ex)
{
	putc('{', fp);
	for (int k = 0; k < m->nreasons; k++) {
		if (k)
			fputs(", ", fp);
		json_key(fp, m->reason_names[k]);
		fprintf(fp, "%" PRIu64, ex[k]);
	}
	putc('}', fp);
}

static void json_gemeente(FILE *fp, const report_meta *m, int g, int first)
{
	fputs(first ? "\n      {\"gemeente\": " : ",\n      {\"gemeente\": ", fp);
	json_str(fp, m->gem_names[g]);
	if (m->gem_qualified)
		fprintf(fp, ", \"qualified\": %" PRIu64, m->gem_qualified[g]);
	if (m->gem_excluded && m->reason_names) {
		fputs(", \"excluded\": ", fp);
		json_reasons(fp, m, m->gem_excluded + (size_t)g * (size_t)m->nreasons);
	}
	putc('}', fp);
}

/* "gemeenten": per gemeente figures in report order (gemeente ids follow
 * the order threads met the hosts in built-in mode), then any gemeente
 * without rows. Returns 0, or -1 when out of memory. */
static int json_gemeenten(FILE *fp, const report_model *rm)
{
	const report_meta *m = rm->t->meta;
	unsigned char *done = calloc((size_t)m->ngem, 1);
	int first = 1;
	if (!done)
		return -1;
	fputs(",\n    \"gemeenten\": [", fp);
	const char *prev = NULL;
	for (size_t i = 0; i < rm->nrows; i++) {
		const report_cell *c = report_model_cell(rm, i, REPORT_COL_GEMEENTE);
		const char *name = c->kind == REPORT_CELL_TEXT ? c->text : NULL;
		if (!name || name == prev)
			continue;
		prev = name;
		for (int g = 0; g < m->ngem; g++) {
			if (!done[g] && m->gem_names[g] && strcmp(m->gem_names[g], name) == 0) {
				json_gemeente(fp, m, g, first);
				done[g] = 1;
				first = 0;
				break;
			}
		}
	}
	for (int g = 0; g < m->ngem; g++) {
		if (!done[g] && m->gem_names[g]) {
			json_gemeente(fp, m, g, first);
			first = 0;
		}
	}
	fputs(first ? "]" : "\n    ]", fp);
	free(done);
	return 0;
}

/* Returns 0, or -1 when out of memory. */
static int json_meta(FILE *fp, const report_model *rm)
{
	const report_table *t = rm->t;
	const report_meta *m = t->meta;

	fputs("  \"meta\": {\n", fp);
	if (m) {
		fputs("    \"version\": ", fp);
		json_str(fp, m->version);
		fputs(",\n    \"command_line\": ", fp);
		json_str(fp, m->command_line);
		fputs(",\n", fp);
	}
	fprintf(fp, "    \"count\": \"%s\",\n", t->count_hits ? "hits" : "visitors");
	fprintf(fp, "    \"funnel\": \"%s\",\n", t->sequential ? "sequential" : "open");
	fputs("    \"by\": ", fp);
	json_str(fp, ktime_by_word(t->by));
	if (!m) {
		fputs("\n  },\n", fp);
		return 0;
	}
	fputs(",\n    \"since\": ", fp);
	json_bound(fp, m->since);
	fputs(",\n    \"until\": ", fp);
	json_bound(fp, m->until);
	fputs(",\n    \"inputs\": [", fp);
	for (int i = 0; i < m->ninputs; i++) {
		fputs(i ? ",\n      {\"name\": " : "\n      {\"name\": ", fp);
		json_str(fp, m->input_names ? m->input_names[i] : NULL);
		fputs(", \"format\": ", fp);
		json_str(fp, m->input_formats ? m->input_formats[i] : NULL);
		fprintf(fp, ", \"lines\": %" PRIu64 "}", m->input_lines ? m->input_lines[i] : 0);
	}
	fputs(m->ninputs ? "\n    ],\n" : "],\n", fp);
	fprintf(fp, "    \"lines\": %" PRIu64 ",\n    \"blank\": %" PRIu64 ",\n"
	        "    \"qualified\": %" PRIu64 ",\n    \"matched\": %" PRIu64 ",\n",
	        m->lines, m->blank, m->qualified, m->matched);
	fputs("    \"excluded\": ", fp);
	if (m->excluded && m->reason_names)
		json_reasons(fp, m, m->excluded);
	else
		fputs("{}", fp);
	if (m->ngem > 0 && m->gem_names && json_gemeenten(fp, rm) < 0)
		return -1;
	fprintf(fp, ",\n    \"elapsed\": %.3f\n  },\n", m->elapsed >= 0 ? m->elapsed : 0.0);
	return 0;
}

int report_write_json(const report_model *m, FILE *fp)
{
	char buf[64];

	fputs("{\n", fp);
	if (json_meta(fp, m) < 0) {
		errno = ENOMEM;
		return -1;
	}
	fputs("  \"rows\": [", fp);
	for (size_t i = 0; i < m->nrows && !ferror(fp); i++) {
		fputs(i ? ",\n    {" : "\n    {", fp);
		for (int k = 0; k < m->ncols; k++) {
			enum report_col col = m->cols[k];
			const report_cell *c = report_model_cell(m, i, col);
			if (k)
				fputs(", ", fp);
			json_str(fp, report_col_name(col));
			fputs(": ", fp);
			if (report_col_is_text(col))
				json_str(fp, c->kind == REPORT_CELL_TEXT ? c->text : "");
			else if (c->kind == REPORT_CELL_COUNT || c->kind == REPORT_CELL_RATE)
				fputs(report_model_format(c, buf, sizeof buf), fp);
			else
				fputs("null", fp);
		}
		putc('}', fp);
	}
	fputs(m->nrows ? "\n  ]\n}\n" : "]\n}\n", fp);
	return text_finish(fp);
}
