/*
 * cmd.h - the subcommands. Each cmd_X parses its own options from
 * argv (argv[0] is the subcommand name) and returns the exit status;
 * main() dispatches through the table of {name, fn, usage, help} in
 * cmd_help.c and exits (help and version have no fn: main handles them).
 */
#ifndef KR_CMD_H
#define KR_CMD_H

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;  /* matches the man page SYNOPSIS */
	const char *help;   /* a one-line summary (under 66 bytes), then maybe a
	                     * blank line, more and the main options; ends in "\n" */
} cmd_entry;

int cmd_analyze(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_benchmark(int argc, char **argv);
int cmd_keygen(int argc, char **argv);

/* The command named name, or NULL. */
const cmd_entry *cmd_find(const char *name);

/* "unknown command 'x'" on stderr, with the nearest command when one is
 * near. */
void cmd_unknown(const char *name);

/* Prints "usage: ..." for the named command to stderr (all commands for
 * NULL) and returns 2. */
int cmd_usage(const char *name);

/* `--help` / `help [name]`: the usage and help of the named command (all
 * commands for NULL) on stdout. Returns 0, 1 when stdout failed, or 2 for
 * an unknown name (message and usage on stderr). */
int cmd_help(const char *name);

#endif
