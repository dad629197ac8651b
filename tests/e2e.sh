#!/bin/sh
# e2e.sh - end-to-end tests of the klantreis binary against hand-derived
# expected output (klantreis(1), MEASUREMENT).
#
#   KLANTREIS=./klantreis sh tests/e2e.sh [CASE...]
#   E2E_DIR=testdata/realworld KLANTREIS=./klantreis sh tests/e2e.sh [CASE...]
#
# Each directory testdata/e2e/NAME/ (or $E2E_DIR/NAME/) is one case. Its files are copied to a
# scratch directory, where the command runs; the case directory itself is
# never written to. Files of a case:
#   cmd              one line of shell words after the program name, run with
#                    eval (so quoting works), e.g.
#                    analyze --format csv -c catalog.csv access.log
#                    $KLANTREIS names the program, for lines such as
#                    catalog > c.csv && "$KLANTREIS" check -c c.csv
#                    $E2E_ROOT names the repository (for the bundled sample,
#                    "$E2E_ROOT/testdata/sample/access.log.gz"); also in setup
#   expected         stdout must equal it byte for byte (diff shown on failure)
#   status           expected exit status (0 when absent)
#   stderr_contains  each non-empty line must occur in stderr (grep -F)
#   stdin            fed to stdin (else /dev/null)
#   gzip             gzip inputs made at test time (no binaries committed);
#                    one per line:
#                      FILE             FILE.gz = gzip of FILE
#                      OUT = F1 F2 ...  OUT = one gzip member per file, catenated
#                      OUT ~ FILE       OUT = gzip of FILE cut to half its size
#   setup            shell script run with sh in the scratch directory after
#                    the gzip inputs are made and before cmd, to make inputs
#                    that should not be committed (a 10 MB line, a FIFO, an
#                    unreadable file); a non-zero exit fails the case. It may
#                    write a file `skip` with one line saying why the case
#                    cannot run here: the case then prints "skip NAME: why"
#                    and counts as passed; under CI=true (make deps installs
#                    every tool, and CI runs as root) it fails instead, so
#                    CI never passes a case it did not run. $KLANTREIS is set.
#   README           which rule the case guards and how the numbers follow;
#                    "s.N" is section N of the measurement contract
#                    (measurement.md, kept beside the tree in ../shared/spec),
#                    whose rules klantreis(1) states in the tree: s.1 and
#                    s.2 MEASUREMENT "Records" and "Which requests count",
#                    s.3 CATALOGUE and "Gemeenten", s.4 "Steps and
#                    visitors", s.5 "Funnels", s.6 "Periods", s.7 "Rates
#                    and benchmark", s.8 REPORT FORMATS (csv), s.9 "Before
#                    and after"
# Any case fails when stderr holds a sanitizer or valgrind report
# (AddressSanitizer, UBSan's "runtime error:", valgrind's "==PID==" lines),
# whatever its exit status.
# Then, for testdata/e2e only, the corpus check: the real log must give 0 malformed lines (and, when
# testdata/e2e/corpus.expected exists, exactly that CSV, which must also
# be what the independent model testdata/e2e/corpus.awk computes, re-run
# each time).
#
# Prints "ok NAME" or "FAIL NAME" per case and finally one line
# "e2e: N passed, N failed"; exits 1 when any case failed.

root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
e2e=$root/testdata/e2e
corpus=yes
if [ -n "${E2E_DIR:-}" ]; then
	e2e=$(cd "$E2E_DIR" && pwd) || exit 2
	[ "$e2e" = "$root/testdata/e2e" ] || corpus=no
fi
shared=$(cd "$root/.." && pwd)/shared

: "${KLANTREIS:=./klantreis}"
case $KLANTREIS in
/*) ;;
*/*) KLANTREIS=$(pwd)/$KLANTREIS ;;
esac
if ! [ -x "$KLANTREIS" ] && ! command -v "$KLANTREIS" >/dev/null 2>&1; then
	echo "e2e: program '$KLANTREIS' not found (set KLANTREIS)" >&2
	exit 2
fi
export KLANTREIS
E2E_ROOT=$root
export E2E_ROOT

tmp=$(mktemp -d "${TMPDIR:-/tmp}/klantreis-e2e.XXXXXX") || exit 2
# Others may pass through (not list) the scratch dir: a case may run the
# program as an unprivileged user (hostile-input-unreadable, as root).
chmod 711 "$tmp" || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A per-case time limit when timeout(1) exists, so a hang fails one case.
limit=
if command -v timeout >/dev/null 2>&1; then
	limit="timeout 60"
fi

passed=0
failed=0

# note TEXT: one indented diagnostic line under a FAIL.
note() {
	printf '    %s\n' "$*"
}

# make_gzip DIR: builds the inputs listed in DIR/gzip. Returns 1 on error.
make_gzip() {
	(
		cd "$1" || exit 1
		set -f
		while IFS= read -r line || [ -n "$line" ]; do
			set -- $line
			[ $# -eq 0 ] && continue
			case $1 in
			'#'*) continue ;;
			esac
			if [ $# -eq 1 ]; then
				gzip -c -n <"$1" >"$1.gz" || exit 1
			elif [ "$2" = "=" ]; then
				out=$1
				shift 2
				: >"$out"
				for f; do
					gzip -c -n <"$f" >>"$out" || exit 1
				done
			elif [ "$2" = "~" ] && [ $# -eq 3 ]; then
				gzip -c -n <"$3" >"$1.full" || exit 1
				size=$(wc -c <"$1.full")
				dd if="$1.full" of="$1" bs=1 count=$((size / 2)) 2>/dev/null ||
					exit 1
				rm -f "$1.full"
			else
				echo "bad gzip line: $line" >&2
				exit 1
			fi
		done <gzip
	)
}

# run_case DIR NAME: runs one case, prints ok/FAIL, bumps the counters.
run_case() {
	dir=$1
	name=$2
	work=$tmp/work
	out=$tmp/stdout
	err=$tmp/stderr
	why=$tmp/why
	rm -rf "$work" "$out" "$err" "$why"
	mkdir "$work" && cp -R "$dir/." "$work/" || {
		echo "FAIL $name"
		note "cannot copy the case"
		failed=$((failed + 1))
		return
	}
	: >"$why"
	if [ ! -f "$work/cmd" ]; then
		note "no cmd file" >>"$why"
	elif [ -f "$work/gzip" ] && ! make_gzip "$work" 2>>"$why"; then
		note "cannot make the gzip inputs" >>"$why"
	elif [ -f "$work/setup" ] && ! (cd "$work" && sh ./setup) >>"$why" 2>&1; then
		note "setup failed" >>"$why"
	elif [ -f "$work/skip" ] && [ "${CI:-}" = true ]; then
		note "skipped under CI=true, where every case must run: $(head -n 1 "$work/skip")" >>"$why"
	elif [ -f "$work/skip" ]; then
		echo "skip $name: $(head -n 1 "$work/skip")"
		passed=$((passed + 1))
		chmod -R u+rwx "$work" 2>/dev/null
		return
	else
		cmdline=$(cat "$work/cmd")
		input=/dev/null
		[ -f "$work/stdin" ] && input=$work/stdin
		(cd "$work" && eval "$limit \"\$KLANTREIS\" $cmdline") \
			<"$input" >"$out" 2>"$err"
		got=$?
		want=0
		[ -f "$work/status" ] && want=$(tr -d ' \t\r\n' <"$work/status")
		if [ "$got" != "$want" ]; then
			note "exit status $got, expected $want" >>"$why"
		fi
		if [ -f "$work/expected" ] && ! cmp -s "$work/expected" "$out"; then
			note "stdout differs from expected (diff expected got):" >>"$why"
			diff "$work/expected" "$out" | sed 's/^/    /' | head -n 40 >>"$why"
		fi
		if [ -f "$work/stderr_contains" ]; then
			while IFS= read -r line || [ -n "$line" ]; do
				[ -z "$line" ] && continue
				if ! grep -F -q -e "$line" "$err"; then
					note "stderr lacks: $line" >>"$why"
				fi
			done <"$work/stderr_contains"
		fi
		if grep -E -q 'Sanitizer|runtime error:|^==[0-9]+==' "$err"; then
			note "stderr holds a sanitizer or valgrind report" >>"$why"
		fi
	fi
	# a setup may have left files unreadable; the scratch dir must go
	chmod -R u+rwx "$work" 2>/dev/null
	if [ -s "$why" ]; then
		echo "FAIL $name"
		cat "$why"
		if [ -s "$err" ]; then
			note "stderr was:"
			head -n 10 "$err" | sed 's/^/      /'
		fi
		failed=$((failed + 1))
	else
		echo "ok $name"
		passed=$((passed + 1))
	fi
}

# The real 10,000-line corpus: no line may count as malformed.
run_corpus() {
	log=$shared/corpus/elastic-apache_logs.log
	# a checkout that does not sit next to shared/ uses the bundled copy
	[ -f "$log" ] || log=$root/testdata/corpus/elastic-apache_logs.log.gz
	name=corpus
	if [ ! -f "$log" ]; then
		echo "FAIL $name"
		note "corpus '$log' not found"
		failed=$((failed + 1))
		return
	fi
	out=$tmp/stdout
	err=$tmp/stderr
	why=$tmp/why
	: >"$why"
	(cd "$root" && $limit "$KLANTREIS" analyze -v --format csv --gemeente X \
		-c testdata/e2e/corpus.csv "$log") </dev/null >"$out" 2>"$err"
	got=$?
	[ "$got" = 0 ] || note "exit status $got, expected 0" >>"$why"
	if ! grep -E -q '^klantreis: +malformed: +0$' "$err"; then
		note "stderr lacks the line 'klantreis: malformed: 0'" >>"$why"
		grep -F 'malformed' "$err" | head -n 3 | sed 's/^/    /' >>"$why"
	fi
	if [ -f "$e2e/corpus.expected" ] && ! cmp -s "$e2e/corpus.expected" "$out"; then
		note "stdout differs from corpus.expected (diff expected got):" >>"$why"
		diff "$e2e/corpus.expected" "$out" | sed 's/^/    /' | head -n 40 >>"$why"
	fi
	# corpus.expected is what the independent model corpus.awk says: run it
	# again, so the expected file cannot drift from the model
	if [ -f "$e2e/corpus.awk" ]; then
		case $log in
		*.gz) gzip -dc "$log" ;;
		*) cat "$log" ;;
		esac | awk -f "$e2e/corpus.awk" >"$tmp/model" 2>>"$why"
		if ! cmp -s "$e2e/corpus.expected" "$tmp/model"; then
			note "corpus.expected differs from corpus.awk's output (diff expected model):" >>"$why"
			diff "$e2e/corpus.expected" "$tmp/model" | sed 's/^/    /' | head -n 20 >>"$why"
		fi
	fi
	if [ -s "$why" ]; then
		echo "FAIL $name"
		cat "$why"
		failed=$((failed + 1))
	else
		echo "ok $name"
		passed=$((passed + 1))
	fi
}

if [ $# -gt 0 ]; then
	for name; do
		if [ "$name" = corpus ]; then
			run_corpus
		elif [ -d "$e2e/$name" ]; then
			run_case "$e2e/$name" "$name"
		else
			echo "FAIL $name"
			note "no such case"
			failed=$((failed + 1))
		fi
	done
else
	for dir in "$e2e"/*/; do
		[ -d "$dir" ] || continue
		dir=${dir%/}
		run_case "$dir" "${dir##*/}"
	done
	[ "$corpus" = yes ] && run_corpus
fi

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
