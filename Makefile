# klantreis - digital customer journeys from web-server access logs.
#
#   make            build ./klantreis
#   make run        analyze the bundled sample log with the built-in catalogue
#   make check      unit tests (Check), end-to-end tests, the HTML report in
#                   headless Chromium
#   make bench      speed against wc, gzip, igzip, GoAccess and mawk
#   make install    install binary and man page under $(DESTDIR)$(PREFIX)
#
# `run`, `check` and `bench` first install missing Debian packages
# (apt-get, as root or through sudo); set NO_DEPS=1 to skip that.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config

# ISA-L's inflate is 2-3x faster than zlib's; use it when its header is there.
HAVE_ISAL := $(shell printf '\#include <isa-l.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 && echo 1)

KR_CPPFLAGS = -Iinclude -D_GNU_SOURCE $(if $(HAVE_ISAL),-DHAVE_ISAL)
KR_CFLAGS = -std=c11 -Wall -Wextra -pthread
KR_LIBS = -lpcre2-8 -lcsv -lz $(if $(HAVE_ISAL),-lisal) -lm -pthread

SRC = $(wildcard src/*.c)
OBJ = $(SRC:src/%.c=build/%.o)
LIBOBJ = $(filter-out build/main.o build/cmd_%.o,$(OBJ))
TEST_SRC = $(wildcard tests/check_*.c)
TEST_OBJ = $(TEST_SRC:tests/%.c=build/tests/%.o)

# python3 parses the JSON and CSV reports in e2e tests; chromium renders the
# HTML report in tests/html_browser.sh.
DEBS = build-essential pkg-config libpcre2-dev libcsv-dev zlib1g-dev check libisal-dev \
       gzip python3 chromium
BENCH_DEBS = goaccess mawk isal time gzip

all: klantreis

klantreis: $(OBJ)
	$(CC) $(KR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(KR_LIBS) $(LIBS)

build/%.o: src/%.c $(wildcard include/*.h) | build
	$(CC) $(KR_CPPFLAGS) $(CPPFLAGS) $(KR_CFLAGS) $(CFLAGS) -c -o $@ $<

build/tests/%.o: tests/%.c $(wildcard include/*.h) tests/check_suites.h | build
	$(CC) $(KR_CPPFLAGS) $(CPPFLAGS) $(KR_CFLAGS) $(CFLAGS) $$($(PKG_CONFIG) --cflags check) -c -o $@ $<

build:
	mkdir -p build/tests

build/check_unit: $(LIBOBJ) $(TEST_OBJ)
	$(CC) $(KR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(LIBOBJ) $$($(PKG_CONFIG) --libs check) $(KR_LIBS) $(LIBS)

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

run: deps
	$(MAKE) klantreis
	./klantreis analyze -v testdata/sample/access.log.gz

check: deps
	$(MAKE) klantreis build/check_unit
	CK_FORK=yes ./build/check_unit
	KLANTREIS=./klantreis sh tests/e2e.sh
	KLANTREIS=./klantreis sh tests/consistency.sh
	KLANTREIS=./klantreis sh tests/html_browser.sh

bench: 
	$(MAKE) deps EXTRA_DEBS="$(BENCH_DEBS)"
	$(MAKE) klantreis
	sh tests/bench/bench.sh

install: klantreis
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	cp klantreis $(DESTDIR)$(BINDIR)/klantreis
	cp man/klantreis.1 $(DESTDIR)$(MANDIR)/man1/klantreis.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/klantreis $(DESTDIR)$(MANDIR)/man1/klantreis.1

clean:
	rm -rf build klantreis

.PHONY: all deps run check bench install uninstall clean
