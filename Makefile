# klantreis - digital customer journeys from web-server access logs.
#
#   make            build ./klantreis
#   make run        analyze the bundled sample log with the built-in catalogue
#   make check      no function over 100 lines (tests/longfn.sh), unit
#                   tests (Check), end-to-end tests, merged partial
#                   results (tests/state.sh), --follow in real time
#                   (tests/follow.sh, ~25 s), days folded as the input
#                   moves on (tests/fold.sh), the HTML report and the website
#                   (axe-core) in headless Chromium, the scale-out recipes
#                   (check-scale), then the same under ASan/UBSan and
#                   valgrind, and a short fuzz round
#   make check-scale  the Slurm and GNU parallel-over-ssh recipes end to end
#                   against daemons the tests start (as root; skipped else)
#   make sanitize   unit, e2e, state, consistency and --follow tests against
#                   an ASan/UBSan build
#   make memcheck   the whole e2e suite under valgrind
#   make fuzz       libFuzzer: every target for FUZZ_TIME seconds (clang)
#   make bench      speed against wc, gzip, igzip, GoAccess and mawk
#   make install    install binary and man page under $(DESTDIR)$(PREFIX)
#   make manlint    mandoc -Tlint -W style on the man page
#   make sample     regenerate testdata/sample/access.log.gz (tests/sample/)
#
# `run`, `check` and `bench` first install missing Debian packages
# (apt-get, as root or through sudo); set NO_DEPS=1 to skip that.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
# compile jobs of the builds that make run, check and bench start
BUILD_JOBS ?= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)

# ISA-L's inflate is 2-3x faster than zlib's; use it when a program that
# calls it compiles and links (a header without the library is not enough).
ISAL_PROBE = \#include <isa-l.h>
HAVE_ISAL := $(shell printf '%s\nint main(void) { struct inflate_state s; isal_inflate_init(&s); return 0; }\n' \
	'$(ISAL_PROBE)' | $(CC) -x c - -o /dev/null -lisal >/dev/null 2>&1 && echo 1)

KR_CPPFLAGS = -Iinclude -D_GNU_SOURCE $(if $(HAVE_ISAL),-DHAVE_ISAL)
# The warnings every build gets; the tree is clean under them with gcc and
# clang (-Wimplicit-fallthrough: clang, unlike gcc, does not read comments;
# see KR_FALLTHROUGH in include/compat.h).
KR_WARN = -Wall -Wextra -Wshadow -Wcast-qual -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wimplicit-fallthrough
KR_CFLAGS = -std=c11 $(KR_WARN) -pthread
# -MMD -MP: each object's header dependencies in a .d file next to it
KR_DEPFLAGS = -MMD -MP
KR_LIBS = -lpcre2-8 -lcsv -lz $(if $(HAVE_ISAL),-lisal) -llzma -lbz2 -lzstd -lm -pthread

# B is the build directory; `make sanitize` builds into build/asan with it.
B = build
BIN = klantreis

SRC = $(wildcard src/*.c)
OBJ = $(SRC:src/%.c=$(B)/%.o)
LIBOBJ = $(filter-out $(B)/main.o $(B)/cmd_%.o,$(OBJ))
TEST_SRC = $(wildcard tests/check_*.c)
TEST_OBJ = $(TEST_SRC:tests/%.c=$(B)/tests/%.o)
# The unit tests link these modules built with -DKR_FAULTS, so a test can
# make their allocations fail (include/fault.h).
FAULT_MODS = funnel run run_options run_table run_summary visitor bench report report_model \
             report_json report_html site output strtab
TEST_LIBOBJ = $(filter-out $(FAULT_MODS:%=$(B)/%.o),$(LIBOBJ)) $(FAULT_MODS:%=$(B)/tests/fault_%.o)

# python3 parses the JSON and CSV reports in e2e tests; chromium renders the
# HTML report in tests/html_browser.sh; nodejs (node, npm) runs axe-core on the
# website in tests/site.sh (npm installs axe-core and puppeteer-core into
# build/npm); clang builds the fuzzers; mandoc lints the man page;
# slurm-wlm, munge, openssh, parallel and rsync run the scale-out tests
# (check-scale).
DEBS = build-essential pkg-config libpcre2-dev libcsv-dev zlib1g-dev check libisal-dev \
	liblzma-dev libbz2-dev libzstd-dev xz-utils bzip2 zstd \
	gzip python3 chromium nodejs clang valgrind mandoc \
	slurm-wlm munge openssh-server openssh-client parallel rsync time
BENCH_DEBS = goaccess mawk isal time gzip

all: klantreis

$(BIN): $(OBJ)
	$(CC) $(KR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(KR_LIBS) $(LIBS)

$(B)/%.o: src/%.c Makefile | $(B)
	$(CC) $(KR_CPPFLAGS) $(KR_DEPFLAGS) $(CPPFLAGS) $(KR_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/tests/fault_%.o: src/%.c Makefile | $(B)/tests
	$(CC) $(KR_CPPFLAGS) -DKR_FAULTS $(KR_DEPFLAGS) $(CPPFLAGS) $(KR_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/tests/%.o: tests/%.c Makefile | $(B)/tests
	$(CC) $(KR_CPPFLAGS) $(KR_DEPFLAGS) $(CPPFLAGS) $(KR_CFLAGS) $(CFLAGS) $$($(PKG_CONFIG) --cflags check) -c -o $@ $<

$(B) $(B)/tests:
	mkdir -p $@

$(B)/check_unit: $(TEST_LIBOBJ) $(TEST_OBJ)
	$(CC) $(KR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(TEST_LIBOBJ) $$($(PKG_CONFIG) --libs check) $(KR_LIBS) $(LIBS)

# Installs the Debian packages the build and tests need, when missing.
deps:
	@missing=""; for p in $(DEBS) $(EXTRA_DEBS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && [ -z "$(NO_DEPS)" ]; then \
	  echo "installing:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

# The table, then the run summary (-v, on stderr after the table), then
# where to go next.
run: deps
	$(MAKE) -j$(BUILD_JOBS) klantreis
	./klantreis analyze -v --format table testdata/sample/access.log.gz
	@echo
	@echo "Next: README.md, section 'First steps' (the sequential funnel, the"
	@echo "benchmark, a trend per week and the change of 16 November), or"
	@echo "./klantreis help analyze."

# The man page must be clean under mandoc's strictest lint. Whether a page
# named by .Xr is installed depends on the machine, so that one message
# (and mandoc's note about its outdated database) does not count.
manlint:
	@out=$$(mandoc -Tlint -W style man/klantreis.1 2>&1 | \
	  grep -v -e 'referenced manual not found' -e 'outdated mandoc.db'); \
	if [ -n "$$out" ]; then echo "$$out"; echo "manlint: man/klantreis.1 is not clean"; exit 1; fi; \
	echo "manlint: man/klantreis.1 is clean"

# The bundled sample is generated (deterministic); tests/consistency.sh
# checks that this still makes the committed file.
sample:
	python3 tests/sample/gensample.py | gzip -n -9 > testdata/sample/access.log.gz

check: deps
	$(MAKE) -j$(BUILD_JOBS) klantreis build/check_unit
	$(MAKE) manlint
	sh tests/longfn.sh
	CK_FORK=yes ./build/check_unit
	KLANTREIS=./klantreis sh tests/e2e.sh
	E2E_DIR=testdata/realworld KLANTREIS=./klantreis sh tests/e2e.sh
	KLANTREIS=./klantreis sh tests/state.sh
	KLANTREIS=./klantreis sh tests/fold.sh
	KLANTREIS=./klantreis sh tests/consistency.sh
	KLANTREIS=./klantreis sh tests/follow.sh
	KLANTREIS=./klantreis sh tests/html_browser.sh
	KLANTREIS=./klantreis sh tests/site.sh
	$(MAKE) check-scale
	$(MAKE) sanitize
	$(MAKE) memcheck
	$(MAKE) fuzz-check

# ---- scale out: Slurm and GNU parallel over ssh (README "Scale out") -----
# Each starts its own daemons (single-node Slurm with munge; sshd on
# 127.0.0.1) on free ports, stops them by pid, and stays within a minute.
check-scale: klantreis
	KLANTREIS=./klantreis sh tests/slurm.sh
	KLANTREIS=./klantreis sh tests/parallel_ssh.sh

# ---- sanitizers: an ASan/UBSan build of everything in build/asan ----------
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
# Distinct exit codes, so a sanitizer report never passes for status 1.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:exitcode=86 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87

sanitize:
	$(MAKE) -j$(BUILD_JOBS) B=build/asan BIN=build/asan/klantreis CFLAGS="$(SAN_FLAGS)" \
		build/asan/klantreis build/asan/check_unit
	$(SAN_ENV) CK_FORK=yes ./build/asan/check_unit
	$(SAN_ENV) KLANTREIS=./build/asan/klantreis sh tests/e2e.sh
	$(SAN_ENV) E2E_DIR=testdata/realworld KLANTREIS=./build/asan/klantreis sh tests/e2e.sh
	$(SAN_ENV) KLANTREIS=./build/asan/klantreis sh tests/state.sh
	$(SAN_ENV) KLANTREIS=./build/asan/klantreis sh tests/consistency.sh
	$(SAN_ENV) KLANTREIS=./build/asan/klantreis sh tests/follow.sh

# ---- valgrind: the e2e cases with the binary run under memcheck -----------
# All cases but those with a no-memcheck file, in one shard per CPU at once
# (tests/memcheck.sh: valgrind runs a program on one thread at a time), or
# only MEMCHECK_CASES="name ...".
MEMCHECK_CASES =

memcheck: klantreis
	mkdir -p build/memcheck
	printf '#!/bin/sh\nexec valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect -q %s "$$@"\n' \
		"$(CURDIR)/klantreis" >build/memcheck/klantreis
	chmod +x build/memcheck/klantreis
	KLANTREIS=./build/memcheck/klantreis sh tests/memcheck.sh $(MEMCHECK_CASES)

# ---- fuzzing: clang's libFuzzer (tests/fuzz/README) ------------------------
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_CHECK_TIME ?= 5
FUZZ_PRESETS = combined common vhost_combined traefik w3c json alb haproxy cloudfront
FUZZ_TARGETS = $(FUZZ_PRESETS:%=logfmt_%) logfmt_string logfmt_detect catalog match \
	input_isal input_zlib input_xz input_bzip2 input_zstd
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_OBJ = $(SRC:src/%.c=build/fuzz/obj/%.o)
FUZZ_LIBOBJ = $(filter-out build/fuzz/obj/main.o build/fuzz/obj/cmd_%.o,$(FUZZ_OBJ))
FUZZ_BIN = $(FUZZ_TARGETS:%=build/fuzz/%)
FUZZ_LINK = $(FUZZ_CC) $(KR_CPPFLAGS) $(KR_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer
# 1 when $(FUZZ_CC) can link a libFuzzer target (checked only when used)
HAVE_LIBFUZZER = $(shell printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' | \
	$(FUZZ_CC) -fsanitize=fuzzer,address -x c - -o /dev/null 2>/dev/null && echo 1)

build/fuzz/obj/%.o: src/%.c Makefile
	@mkdir -p build/fuzz/obj
	$(FUZZ_CC) $(KR_CPPFLAGS) $(KR_DEPFLAGS) $(KR_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_PRESETS:%=build/fuzz/logfmt_%): build/fuzz/logfmt_%: tests/fuzz/fuzz_logfmt_preset.c \
		tests/fuzz/fuzz_common.h $(FUZZ_LIBOBJ)
	$(FUZZ_LINK) '-DKR_FUZZ_FORMAT="$*"' -o $@ $< $(FUZZ_LIBOBJ) $(KR_LIBS)

# one harness; the target name picks the inflate and the seeds (fuzz.sh)
build/fuzz/input_isal build/fuzz/input_zlib build/fuzz/input_xz build/fuzz/input_bzip2 \
		build/fuzz/input_zstd: build/fuzz/input_%: tests/fuzz/fuzz_input.c \
		tests/fuzz/fuzz_common.h $(FUZZ_LIBOBJ)
	$(FUZZ_LINK) -DKR_FUZZ_ZLIB=$(if $(filter zlib,$*),1,0) -o $@ $< $(FUZZ_LIBOBJ) $(KR_LIBS)

build/fuzz/%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_LIBOBJ)
	$(FUZZ_LINK) -o $@ $< $(FUZZ_LIBOBJ) $(KR_LIBS)

fuzz-build:
	@[ -n "$(HAVE_LIBFUZZER)" ] || { echo "fuzz: $(FUZZ_CC) cannot build libFuzzer targets" >&2; exit 2; }
	$(MAKE) -j$(BUILD_JOBS) $(FUZZ_BIN)

fuzz: fuzz-build
	sh tests/fuzz/fuzz.sh $(FUZZ_TIME) $(FUZZ_TARGETS)

# replay the corpora and fuzz briefly; skipped without libFuzzer, except
# under CI=true, where a missing tool fails the check instead of passing it
fuzz-check:
	@if [ -z "$(HAVE_LIBFUZZER)" ] && [ "$$CI" = true ]; then \
	  echo "fuzz-check: $(FUZZ_CC) cannot build libFuzzer targets (CI=true: a missing tool fails)" >&2; \
	  exit 1; \
	elif [ -z "$(HAVE_LIBFUZZER)" ]; then \
	  echo "fuzz-check: skipped, $(FUZZ_CC) cannot build libFuzzer targets"; \
	else \
	  $(MAKE) fuzz-build && sh tests/fuzz/fuzz.sh $(FUZZ_CHECK_TIME) $(FUZZ_TARGETS); \
	fi

# the header dependencies written by -MMD (none before the first build)
-include $(OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(FAULT_MODS:%=$(B)/tests/fault_%.d) \
	$(FUZZ_OBJ:.o=.d)

bench: 
	$(MAKE) deps EXTRA_DEBS="$(BENCH_DEBS)"
	$(MAKE) -j$(BUILD_JOBS) klantreis
	sh tests/bench/bench.sh

install: klantreis
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 klantreis $(DESTDIR)$(BINDIR)/klantreis
	install -m 644 man/klantreis.1 $(DESTDIR)$(MANDIR)/man1/klantreis.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/klantreis $(DESTDIR)$(MANDIR)/man1/klantreis.1

clean:
	rm -rf build klantreis

.PHONY: all deps run sample manlint check check-scale bench install uninstall clean sanitize memcheck fuzz fuzz-build \
	fuzz-check
