#!/bin/sh
# fuzz.sh - replays the committed seed corpora and fuzzes the libFuzzer
# targets built by `make fuzz-build` (build/fuzz/TARGET).
#
#   sh tests/fuzz/fuzz.sh SECONDS TARGET...
#
# For each target: every file of tests/fuzz/corpus/CORPUS/ runs once (the
# regression replay), then libFuzzer runs for SECONDS seconds (0: replay
# only). CORPUS is the target's name, except that the input_* targets
# share tests/fuzz/corpus/input/, whose plain seeds are also compressed here
# (whole, cut short, catenated, with trailing garbage, zero-padded) so that
# no compressed binaries need committing: with gzip for input_isal and
# input_zlib, with xz, bzip2 or zstd for input_xz, input_bzip2, input_zstd. Inputs libFuzzer finds go to build/fuzz/corpus/
# TARGET/ (kept between runs, never committed); a crash leaves its input in
# build/fuzz/artifacts/ and fails the run. Each fuzzing run appends
# "TARGET SECONDS RUNS" to build/fuzz/fuzz-time.log, the record behind the
# totals in tests/fuzz/README.
#
# Prints "ok TARGET (...)" or "FAIL TARGET" per target and a final
# "fuzz: N passed, N failed"; exits 1 when any target failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
secs=${1:?usage: fuzz.sh SECONDS TARGET...}
shift
out=$root/build/fuzz
mkdir -p "$out/artifacts" "$out/logs" "$out/seed" || exit 2

# TARGET's compressed variants of the plain input seeds (deterministic:
# gzip -n; xz, bzip2 and zstd store no name or time)
seed_input() {
	case $1 in
	input_xz) pack="xz -c" ext=xz ;;
	input_bzip2) pack="bzip2 -c" ext=bz2 ;;
	input_zstd) pack="zstd -q -c" ext=zst ;;
	*) pack="gzip -c -n" ext=gz ;;
	esac
	src=$root/tests/fuzz/corpus/input
	dst=$out/seed/$1
	rm -rf "$dst"
	mkdir -p "$dst" || return 1
	for f in "$src"/*; do
		[ -f "$f" ] || continue
		b=${f##*/}
		$pack <"$f" >"$dst/$b.$ext" || return 1
		size=$(wc -c <"$dst/$b.$ext")
		head -c $((size / 2)) "$dst/$b.$ext" >"$dst/$b.cut.$ext"
		cat "$dst/$b.$ext" "$dst/$b.$ext" >"$dst/$b.twice.$ext"
		{ cat "$dst/$b.$ext"; printf 'garbage\n'; } >"$dst/$b.garbage.$ext"
		{ cat "$dst/$b.$ext"; printf '\000\000\000\000'; cat "$dst/$b.$ext"; } >"$dst/$b.pad.$ext"
	done
}

passed=0
failed=0
for t; do
	bin=$out/$t
	case $t in
	input_*) corpus=input ;;
	*) corpus=$t ;;
	esac
	seeds=$root/tests/fuzz/corpus/$corpus
	log=$out/logs/$t.log
	if [ ! -x "$bin" ]; then
		echo "FAIL $t (no binary $bin; run make fuzz-build)"
		failed=$((failed + 1))
		continue
	fi
	dirs=$seeds
	if [ "$corpus" = input ]; then
		seed_input "$t" || { echo "FAIL $t (cannot make compressed seeds)"; failed=$((failed + 1)); continue; }
		dirs="$seeds $out/seed/$t"
	fi
	# Replay: the seed files are named one by one, never as a corpus
	# directory, which libFuzzer would write to (and "reduce" seeds in).
	# shellcheck disable=SC2046,SC2086
	if ! "$bin" -timeout=20 -rss_limit_mb=2048 $(find $dirs -type f | sort) >"$log" 2>&1; then
		echo "FAIL $t (replay of the seed corpus; see $log)"
		tail -n 20 "$log" | sed 's/^/    /'
		failed=$((failed + 1))
		continue
	fi
	if [ "$secs" -gt 0 ]; then
		mkdir -p "$out/corpus/$t"
		dict=
		[ -f "$root/tests/fuzz/$corpus.dict" ] && dict=-dict=$root/tests/fuzz/$corpus.dict
		# the first directory receives new inputs: build/, never tests/
		# shellcheck disable=SC2086
		"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
			-max_len=8192 -print_final_stats=1 $dict \
			-artifact_prefix="$out/artifacts/$t-" "$out/corpus/$t" $dirs \
			>"$log" 2>&1
		st=$?
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		echo "$t $secs ${runs:-0}" >>"$out/fuzz-time.log"
		if [ "$st" -ne 0 ]; then
			echo "FAIL $t (crash after fuzzing; input in $out/artifacts/; see $log)"
			grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -n 5 | sed 's/^/    /'
			failed=$((failed + 1))
			continue
		fi
		echo "ok $t (replay, then ${secs}s: ${runs:-?} runs)"
	else
		echo "ok $t (replay)"
	fi
	passed=$((passed + 1))
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
