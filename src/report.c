/*
 * report.c - report_write: builds the report model of a table once
 * (report_model.h) and hands it to the writer of the format
 * (report_writers.h). The data flow reads top-down: funnel -> bench ->
 * report model -> writers; no writer calls back up here.
 */
#include <errno.h>

#include "report_writers.h"

int report_write(const report_table *t, enum report_format fmt, FILE *fp)
{
	report_model *m = report_model_new(t);
	int rc;

	if (!m)
		return -1;
	switch (fmt) {
	case REPORT_CSV:
		rc = report_write_csv(m, fp);
		break;
	case REPORT_JSON:
		rc = report_write_json(m, fp);
		break;
	case REPORT_HTML:
		rc = report_write_html(m, fp);
		break;
	case REPORT_SITE:
		errno = EINVAL;   /* a directory: site_publish (site.h) */
		rc = -1;
		break;
	default:
		rc = report_write_table(m, fp);
		break;
	}
	int saved = errno;
	report_model_free(m);
	errno = saved;
	return rc;
}
