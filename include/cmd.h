/*
 * cmd.h - the subcommands. Each cmd_X parses its own options from
 * argv (argv[0] is the subcommand name) and returns the exit status;
 * main() dispatches through a table of {name, fn, usage} and exits.
 */
#ifndef KR_CMD_H
#define KR_CMD_H

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;  /* matches the man page SYNOPSIS */
} cmd_entry;

int cmd_analyze(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_keygen(int argc, char **argv);

/* Prints "usage: ..." for the named command to stderr (all commands for
 * NULL) and returns 2. */
int cmd_usage(const char *name);

#endif
