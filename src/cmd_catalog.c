/*
 * cmd_catalog.c - `klantreis catalog` prints the built-in catalogue;
 * `klantreis check -c FILE` validates a catalogue without reading logs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "run.h"

int cmd_catalog(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqv", longopts, NULL)) != -1) {
		if (c == 'h')
			return cmd_help("catalog");
		if (c == 'q' || c == 'v') {
			msg_set_level(c == 'q' ? MSG_QUIET : MSG_VERBOSE);
			continue;
		}
		run_option_error(c, argv, longopts);
		return cmd_usage("catalog");
	}
	if (optind < argc) {
		msg_error("unexpected argument '%s'", argv[optind]);
		return cmd_usage("catalog");
	}
	catalog *cat = catalog_builtin();
	if (!cat) {
		msg_error("out of memory");
		return 1;
	}
	int rc = catalog_write_csv(cat, stdout) == 0 && fflush(stdout) == 0 ? 0 : 1;
	if (rc && errno != EPIPE)
		msg_error("cannot write '(stdout)': %s", strerror(errno));
	catalog_free(cat);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "catalog", required_argument, NULL, 'c' },
		{ "gemeente", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	run_opts o;
	int c;
	run_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqvc:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return cmd_help("check");
		case 'q':
			msg_set_level(MSG_QUIET);
			break;
		case 'v':
			msg_set_level(MSG_VERBOSE);
			break;
		case 'c':
			o.catalog_path = optarg;
			break;
		case 'g':
			o.gemeente = optarg;
			break;
		default:
			run_option_error(c, argv, longopts);
			return cmd_usage("check");
		}
	}
	if (!o.catalog_path || optind < argc) {
		if (!o.catalog_path)
			msg_error("missing '-c FILE'");
		else
			msg_error("unexpected argument '%s'", argv[optind]);
		return cmd_usage("check");
	}
	catalog *cat;
	matcher *m;
	int rc = run_setup(&o, &cat, &m);
	if (rc != RUN_OK)
		return rc;
	size_t npat = 0;
	for (size_t i = 0; i < cat->nrows; i++)
		for (int s = 0; s < STEP_COUNT; s++)
			npat += cat->rows[i].pat[s] != NULL;
	printf("%s: ok: %zu gemeenten, %zu hosts, %zu products, %zu patterns\n",
	       cat->name, cat->ngem, cat->nhosts, cat->nrows, npat);
	for (size_t g = 0; g < cat->ngem; g++) {
		printf("gemeente %s\n  hosts:", cat->gemeenten[g]);
		int any = 0;
		for (size_t h = 0; h < cat->nhosts; h++)
			if (cat->hosts[h].gem == (int)g) {
				printf(" %s", cat->hosts[h].host);
				any = 1;
			}
		printf("%s\n", any ? "" : " (none)");
		for (size_t i = 0; i < cat->nrows; i++) {
			const catalog_row *r = &cat->rows[i];
			if (r->gem != (int)g)
				continue;
			printf("  product %s (line %ld): steps", r->product, r->line);
			for (int s = 0; s < STEP_COUNT; s++)
				printf(" %s%s", catalog_step_names[s], r->pat[s] ? "" : "(not measured)");
			printf("\n");
		}
	}
	rc = fflush(stdout) == 0 ? 0 : 1;
	match_free(m);
	catalog_free(cat);
	return rc;
}
