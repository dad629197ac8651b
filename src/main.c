/*
 * main.c - klantreis: digital customer journeys from access logs.
 *
 * Dispatches the subcommand from a table and is the only place that
 * exits. Exit status: 0 success, 1 some input or output failed,
 * 2 usage, catalogue or log-format error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "input.h"
#include "msg.h"
#include "run.h"


#define ANALYZE_OPTS \
	"[-qv] [-c file] [--gemeente name] [--log-format format]\n" \
	"                 [--client-from conn|xff] [--trusted-proxies list]\n" \
	"                 [--count visitors|hits] [--funnel open|sequential] [--window dur]\n" \
	"                 [--by day|week|month] [--since time] [--until time]\n" \
	"                 [--min-visitors n] [--peer] [--details] [--min-cell n]\n" \
	"                 [--include-bots] [--format table|csv|json|html|site] [-o file]\n" \
	"                 [--append file] [--csv-sep c] [--decimal-comma] [--bom]\n" \
	"                 [--lang nl|en] [--highlight name] [--keep-going] [-j jobs]"

static const cmd_entry commands[] = {
	{ "analyze", cmd_analyze, "klantreis analyze " ANALYZE_OPTS " [log ...]" },
	{ "compare", cmd_compare, "klantreis compare --at time | --before range --after range\n"
	  "                 [--alpha p] [analyze-option ...] [log ...]" },
	{ "catalog", cmd_catalog, "klantreis catalog" },
	{ "check", cmd_check, "klantreis check [-qv] [-c file] [--gemeente name] [url ... | -]" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

int cmd_usage(const char *name)
{
	int first = 1;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (name && strcmp(name, commands[i].name) != 0)
			continue;
		fprintf(stderr, "%s %s\n", first ? "usage:" : "      ", commands[i].usage);
		first = 0;
	}
	if (!name)
		fprintf(stderr, "       klantreis --version\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		msg_error("missing command");
		return cmd_usage(NULL);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("klantreis %s (inflate: %s)\n", KLANTREIS_VERSION, input_inflate_impl());
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		cmd_usage(NULL);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			exit(commands[i].fn(argc - 1, argv + 1));
	msg_error("unknown command '%s'", argv[1]);
	return cmd_usage(NULL);
}
