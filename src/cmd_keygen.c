/*
 * cmd_keygen.c - `klantreis keygen [FILE]`: a visitor key for --key-file.
 *
 * Writes one line of 32 hex digits from visitor_key_random (the random
 * source of every run's own key) to FILE (created
 * with mode 0600; an existing file is never overwritten) or to standard
 * output. Every organisation that writes states of the same gemeenten
 * uses the same key file, so their visitor hashes agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "msg.h"
#include "run.h"
#include "visitor.h"

int cmd_keygen(int argc, char **argv)
{
	visitor_key k;
	char line[40];
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cmd_usage("keygen");
		return 0;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
		msg_error(argc > 2 ? "too many arguments" : "unknown option '%s'", argv[1]);
		return cmd_usage("keygen");
	}
	if (visitor_key_random(&k) < 0) {
		msg_error("cannot draw a random key: %s", strerror(errno));
		return RUN_INPUT;
	}
	int n = snprintf(line, sizeof line, "%016" PRIx64 "%016" PRIx64 "\n", k.k0, k.k1);
	if (argc < 2 || strcmp(argv[1], "-") == 0) {
		if (fputs(line, stdout) == EOF || fflush(stdout) == EOF) {
			msg_error("cannot write the key: %s", strerror(errno));
			return RUN_INPUT;
		}
		return RUN_OK;
	}
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			msg_error("cannot create key file '%s': it exists (states made with the old "
			          "key would no longer match)", argv[1]);
		else
			msg_error("cannot create key file '%s': %s", argv[1], strerror(errno));
		return RUN_INPUT;
	}
	if (write(fd, line, (size_t)n) != n || fsync(fd) < 0) {
		msg_error("cannot write key file '%s': %s", argv[1], strerror(errno));
		close(fd);
		unlink(argv[1]);
		return RUN_INPUT;
	}
	if (close(fd) < 0) {
		msg_error("cannot write key file '%s': %s", argv[1], strerror(errno));
		unlink(argv[1]);
		return RUN_INPUT;
	}
	return RUN_OK;
}
