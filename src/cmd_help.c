/*
 * cmd_help.c - the command table: each subcommand's name, function, usage
 * (as the man page SYNOPSIS has it) and help, and the usage and `help`
 * output every command and main() share (see cmd.h).
 *
 * Commands call cmd_usage and cmd_help here, beside them, rather than up
 * in main.c; only main() exits.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"

#define ANALYZE_OPTS \
	"[-qv] [-c file] [--gemeente name] [--log-format format]\n" \
	"                 [--client-from conn|xff] [--trusted-proxies list]\n" \
	"                 [--count visitors|hits] [--funnel open|sequential]\n" \
	"                 [--window dur] [--by day|week|month] [--since time]\n" \
	"                 [--until time] [--min-visitors n] [--peer] [--details]\n" \
	"                 [--min-cell n] [--include-bots]\n" \
	"                 [--format table|csv|json|html|site] [-o file|dir]\n" \
	"                 [--append file] [--keep-going] [--follow [--interval dur]]\n" \
	"                 [--csv-sep c] [--decimal-comma] [--bom] [--lang nl|en]\n" \
	"                 [--highlight name] [-j jobs] [--state file]\n" \
	"                 [--key-file file]"

#define RUN_HELP \
	"  -c, --catalog file      catalogue CSV (default: the built-in one, every host\n" \
	"                          a gemeente)\n" \
	"  --gemeente name         count every record for this gemeente\n" \
	"  --log-format f          combined, common, vhost_combined, traefik, w3c, json\n" \
	"                          or the server's format string (default: detected)\n" \
	"  --count visitors|hits   what a step counts (default visitors)\n" \
	"  --funnel open|sequential, --window dur\n" \
	"                          any order, or info then form then done within dur\n" \
	"  --since time, --until time\n" \
	"                          2026-11-01, 2026-11-01T12:00, today, yesterday, -7d\n" \
	"  --min-visitors n        info visitors to be benchmarked (default 30)\n" \
	"  --include-bots          count bots too\n" \
	"  -o, --output file       write the report there (atomically), not to stdout\n" \
	"  --keep-going            write -o and --append even when an input failed\n" \
	"  --lang nl|en            table and HTML labels (default nl)\n" \
	"  --client-from conn|xff, --trusted-proxies list\n" \
	"                          behind a load balancer: the visitor from\n" \
	"                          X-Forwarded-For, past these proxies\n" \
	"  -j, --jobs n            threads (default: every CPU)\n" \
	"  -q, --quiet, -v, --verbose\n" \
	"                          errors only; or a run summary on stderr\n"

static const cmd_entry commands[] = {
	{ "analyze", cmd_analyze, "klantreis analyze " ANALYZE_OPTS " [log ...]",
	  "The funnel of every gemeente and product, benchmarked.\n\n"
	  "Info page viewed, e-form started, e-form completed, counted from the logs\n"
	  "(gzip or plain; '-' or none: standard input), with each gemeente's rank\n"
	  "against the median conversion of the others and its potential gain.\n\n"
	  "  --format table|csv|json|html|site\n"
	  "                          the report (default: table on a terminal, else csv);\n"
	  "                          site: a website in the directory -o dir\n"
	  RUN_HELP
	  "  --by day|week|month     one row per period\n"
	  "  --peer, --details, --min-cell n\n"
	  "                          benchmark per peer group; 5xx and 95% intervals;\n"
	  "                          hide counts below n\n"
	  "  --append file           add the CSV rows to a history file\n"
	  "  --follow, --interval dur\n"
	  "                          keep reading what is appended to the logs; rewrite\n"
	  "                          -o every dur (default 60s), until SIGTERM\n"
	  "  --csv-sep c, --decimal-comma, --bom, --highlight name\n"
	  "                          spreadsheet CSV; the gemeente the HTML stresses\n" },
	{ "compare", cmd_compare, "klantreis compare --at time | --before range --after range\n"
	  "                 [--alpha p] [analyze-option ...] [log ...]",
	  "Did a change help? Conversion before and after, with a z-test.\n\n"
	  "The funnel of every gemeente and product before and after a moment (or\n"
	  "over two ranges), sequential unless --funnel open, and a two-proportion\n"
	  "z-test of the change in conversion.\n\n"
	  "  --at time               before: earlier than time; after: from time on\n"
	  "  --before a..b, --after c..d\n"
	  "                          two explicit ranges instead (an end may be left out)\n"
	  "  --alpha p               significance level (default 0.05)\n"
	  "  --format table|csv      the report (default: table on a terminal, else csv)\n"
	  RUN_HELP },
	{ "benchmark", cmd_benchmark, "klantreis benchmark [-qv] [-c file] [--order input|name]\n"
	  "                 [--count visitors|hits] [--funnel open|sequential]\n"
	  "                 [--min-visitors n] [--peer] [--details] [--min-cell n]\n"
	  "                 [--format table|csv|json|html|site] [-o file|dir]\n"
	  "                 [--csv-sep c] [--decimal-comma] [--bom] [--lang nl|en]\n"
	  "                 [--highlight name] report ...",
	  "Benchmarks CSV reports of disjoint gemeenten together, counts only.\n\n"
	  "Reads reports as 'analyze --format csv' writes them (one per gemeente or\n"
	  "server, any spreadsheet options) and recomputes the median, rank and\n"
	  "potential gain across all of them, as one run over all logs would.\n\n"
	  "  -c, --catalog file      catalogue order and peer groups (for --peer)\n"
	  "  --order input|name      gemeenten in order of the reports, or by name\n"
	  "  --min-visitors n        info visitors to be benchmarked (default 30)\n"
	  "  --format table|csv|json|html|site, -o file|dir\n"
	  "                          the report (or website), as analyze writes it\n" },
	{ "catalog", cmd_catalog, "klantreis catalog",
	  "Prints the built-in catalogue as CSV: a start for one's own (-c).\n" },
	{ "check", cmd_check, "klantreis check [-qv] [-c file] [--gemeente name] [url ... | -]",
	  "Validates a catalogue, or shows which steps given URLs match.\n\n"
	  "Its columns, patterns and hosts, per gemeente and product; with URLs\n"
	  "('https://host/path', 'host/path', '/path'; '-': read them from standard\n"
	  "input), the gemeente, product, step and pattern each one matches.\n" },
	{ "keygen", cmd_keygen, "klantreis keygen [file]",
	  "Writes a key for --key-file: visitors agree across machines.\n\n"
	  "One line of 32 hex digits from the system's random source, to file\n"
	  "(mode 0600, never overwritten) or standard output.\n" },
	{ "help", NULL, "klantreis help [command]",
	  "Shows the usage of klantreis or of one command.\n" },
	{ "version", NULL, "klantreis version | --version",
	  "Shows the version and the inflate implementation.\n" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const cmd_entry *cmd_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

void cmd_unknown(const char *name)
{
	const char *names[NCOMMANDS];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	const char *near = msg_nearest(name, names, NCOMMANDS);
	if (near)
		msg_error("unknown command '%s'; did you mean '%s'?", name, near);
	else
		msg_error("unknown command '%s'", name);
}

static void print_usage(FILE *fp, const char *name)
{
	int first = 1;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (name ? strcmp(name, commands[i].name) != 0 : commands[i].fn == NULL)
			continue;
		fprintf(fp, "%s %s\n", first ? "usage:" : "      ", commands[i].usage);
		first = 0;
	}
	if (!name)
		fprintf(fp, "       klantreis help [command]\n       klantreis --version\n");
}

int cmd_usage(const char *name)
{
	print_usage(stderr, name);
	return 2;
}

int cmd_help(const char *name)
{
	if (name && (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0))
		name = "help"; /* help --help: the man page's "before or after a command" */
	if (name && !cmd_find(name)) {
		cmd_unknown(name);
		return cmd_usage(NULL);
	}
	print_usage(stdout, name);
	if (name) {
		fprintf(stdout, "\n%s\nEverything, with the measurement rules: man klantreis\n",
		        cmd_find(name)->help);
	} else {
		fputs("\nklantreis turns web-server access logs into the funnel (info page, e-form\n"
		      "started, e-form completed) of every gemeente and product, benchmarked\n"
		      "across gemeenten. Commands:\n", stdout);
		for (size_t i = 0; i < NCOMMANDS; i++) {
			const char *h = commands[i].help, *nl = strchr(h, '\n');
			fprintf(stdout, "  %-9s %.*s\n", commands[i].name, (int)(nl - h), h);
		}
		fputs("\nStart with: klantreis analyze access.log (in the source tree: make run, and\n"
		      "README.md, First steps). More: klantreis help analyze; man klantreis.\n",
		      stdout);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
