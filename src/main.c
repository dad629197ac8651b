/*
 * main.c - klantreis: digital customer journeys from access logs.
 *
 * Dispatches the subcommand from the command table (cmd_help.c) and is
 * the only place that exits. `--help`, `-h` and `help [command]` print
 * the usage and a short help to stdout (status 0); a mistyped command gets
 * the nearest one suggested (msg_nearest). Exit status: 0 success, 1 some
 * input or output failed, 2 usage, catalogue or log-format error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "input.h"
#include "msg.h"
#include "run.h"

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
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(NULL);
	if (strcmp(argv[1], "help") == 0) {
		if (argc > 3) {
			msg_error("unexpected argument '%s'", argv[3]);
			return cmd_usage("help");
		}
		return cmd_help(argc == 3 ? argv[2] : NULL);
	}
	const cmd_entry *cmd = cmd_find(argv[1]);
	if (cmd && cmd->fn)
		exit(cmd->fn(argc - 1, argv + 1));
	if (argv[1][0] == '-') {
		const char *word = argv[1] + strspn(argv[1], "-");
		const char *near = strcmp(word, "version") == 0 || strcmp(word, "help") == 0 ? NULL :
		                   msg_nearest(word, (const char *const[]){ "help", "version" }, 2);
		if (near)
			msg_error("unknown option '%s'; did you mean '--%s'?", argv[1], near);
		else
			msg_error("unknown option '%s': give a command first", argv[1]);
	} else {
		cmd_unknown(argv[1]);
	}
	return cmd_usage(NULL);
}
