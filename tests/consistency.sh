#!/bin/sh
# consistency.sh - the same log must give the same report whatever the
# number of jobs (-j1, -j2, -j8) and whether it is read plain, gzipped or
# as a multi-member gzip; and the figures (open and sequential funnel,
# hits, --by day) must equal those of an independent model of
# the rules of klantreis(1), MEASUREMENT, in awk (tests/funnel_model.awk),
# run afresh each time.
# Uses deterministic generated logs (tests/bench/genlog.c).
# The bundled sample's figures must equal those of tests/sample/model.py.
#
#   KLANTREIS=./klantreis sh tests/consistency.sh
# Prints "ok NAME" / "FAIL NAME" and "consistency: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
kr=${KLANTREIS:-$root/klantreis}
case $kr in /*) ;; *) kr=$(pwd)/$kr ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/klantreis-cons.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

${CC:-cc} -O2 -o "$tmp/genlog" "$root/tests/bench/genlog.c" || exit 2
# 120,000 lines: several blocks per job, many visitors per cell
"$tmp/genlog" -n 120000 -g 8 -p 12 -d 9 -c "$tmp/cat.csv" > "$tmp/log"
head -c 10000000 "$tmp/log" | gzip -c > "$tmp/multi.gz"
tail -c +10000001 "$tmp/log" | gzip -c >> "$tmp/multi.gz"
gzip -c "$tmp/log" > "$tmp/log.gz"

for mode in "" "--funnel sequential --window 2h" "--count hits" "--by day --min-visitors 5" "--details --funnel sequential --by week"; do
	ref=
	for input in log log.gz multi.gz; do
		for j in 1 2 8; do
			out=$tmp/out.$j.$input
			# shellcheck disable=SC2086
			"$kr" analyze -q -j$j -c "$tmp/cat.csv" --format csv $mode "$tmp/$input" > "$out" 2> "$tmp/err"
			st=$?
			name="analyze ${mode:-default} -j$j $input"
			if [ "$st" -ne 0 ]; then
				bad "$name (exit $st: $(head -c 200 "$tmp/err"))"
				continue
			fi
			if [ -z "$ref" ]; then
				ref=$out.ref
				cp "$out" "$ref"
				[ "$(wc -l < "$ref")" -gt 90 ] && ok "$name (reference)" || bad "$name: too few rows"
			elif cmp -s "$ref" "$out"; then
				ok "$name"
			else
				bad "$name differs from -j1 plain"
				diff "$ref" "$out" | head -5
			fi
		done
	done
done

# The same 12 requests written in every log format (the fmt-* e2e cases
# whose README says so): e2e.sh checks each against its expected CSV; here
# those expected files must all be one and the same, so no format can
# drift to figures of its own.
e2e=$root/testdata/e2e
n=0
for readme in "$e2e"/fmt-*/README; do
	grep -q 'The same 12 requests are written in every fmt' "$readme" || continue
	case=$(basename "$(dirname "$readme")")
	n=$((n + 1))
	if cmp -s "$e2e/fmt-vhost-combined/expected" "$e2e/$case/expected"; then
		ok "same figures in every format: $case"
	else
		bad "same figures in every format: $case differs from fmt-vhost-combined"
	fi
done
[ "$n" -ge 9 ] || bad "same figures in every format: only $n cases found"

# The bundled sample: gensample.py must still make it (so `make sample`
# reproduces the committed log), and every figure klantreis prints for it
# must equal the independent model (tests/sample/model.py): the open and
# sequential funnel, hits, and the before/after z-test of its story.
sample=$root/testdata/sample/access.log.gz
if command -v python3 > /dev/null 2>&1; then
	python3 "$root/tests/sample/gensample.py" > "$tmp/sample.log"
	if gzip -dc "$sample" | cmp -s - "$tmp/sample.log"; then
		ok "sample: gensample.py makes testdata/sample/access.log.gz"
	else
		bad "sample: gensample.py output differs from testdata/sample/access.log.gz (make sample)"
	fi
	for mode in open sequential hits compare; do
		case $mode in
		open) args= ;;
		sequential) args="--funnel sequential" ;;
		hits) args="--count hits" ;;
		compare) args= ;;
		esac
		if [ $mode = compare ]; then
			"$kr" compare -q --at 2026-11-16 --format csv "$sample" > "$tmp/kr.sample" 2>&1
			python3 "$root/tests/sample/model.py" compare 2026-11-16 "$sample" > "$tmp/model.sample"
		else
			# shellcheck disable=SC2086
			"$kr" analyze -q $args --format csv "$sample" > "$tmp/kr.sample" 2>&1
			python3 "$root/tests/sample/model.py" $mode "$sample" > "$tmp/model.sample"
		fi
		if cmp -s "$tmp/kr.sample" "$tmp/model.sample" && [ "$(wc -l < "$tmp/kr.sample")" -eq 61 ]; then
			ok "sample: $mode equals the independent model"
		else
			bad "sample: $mode differs from tests/sample/model.py"
			diff "$tmp/kr.sample" "$tmp/model.sample" | head -5
		fi
	done
elif [ "${CI:-}" = true ]; then
	bad "sample cross-check: no python3 (make deps installs it)"
else
	echo "skip sample cross-check: no python3 installed"
fi

# The figures themselves against an independent model of the rules of
# klantreis(1), MEASUREMENT (tests/funnel_model.awk), recomputed on every run: the open funnel,
# hits, the sequential funnel (two windows) and --by day. A denser log
# (2 gemeenten, 3 products, 2 days: about 50 requests per visitor and day)
# so that sequential levels 1, 2 and 3 all occur and the window matters.
awk=
for a in mawk gawk awk; do command -v $a > /dev/null 2>&1 && { awk=$a; break; }; done
if [ -z "$awk" ]; then
	bad "independent model: no awk installed (POSIX requires one)"
else
	"$tmp/genlog" -n 100000 -g 2 -p 3 -d 2 -c "$tmp/dcat.csv" > "$tmp/dlog"
	# MODEL-ARGS|KLANTREIS-OPTIONS; the model prints the columns up to done
	while IFS='|' read -r margs kopts; do
		cols=1-5
		case $kopts in *--by*) cols=1-6 ;; esac
		name="${kopts:-open funnel} equals the independent $awk model"
		# shellcheck disable=SC2086
		"$kr" analyze -q -c "$tmp/dcat.csv" --format csv $kopts "$tmp/dlog" 2> "$tmp/err" |
			cut -d, -f$cols > "$tmp/kr.csv"
		# shellcheck disable=SC2086
		$awk $margs -f "$root/tests/funnel_model.awk" "$tmp/dcat.csv" "$tmp/dlog" > "$tmp/awk.csv"
		# the model's figures must not be trivial: some done, and rows
		if [ "$(awk -F, 'NR > 1 { d += $NF } END { print d + 0 }' "$tmp/awk.csv")" -eq 0 ] ||
		   [ "$(wc -l < "$tmp/awk.csv")" -lt 7 ]; then
			bad "$name: the model's figures are trivial"
		elif cmp -s "$tmp/kr.csv" "$tmp/awk.csv"; then
			ok "$name"
		else
			bad "$name: differs (diff klantreis model)"
			diff "$tmp/kr.csv" "$tmp/awk.csv" | head -5
			head -c 200 "$tmp/err"
		fi
	done <<'MODES'
-v funnel=open|
-v count=hits|--count hits
-v funnel=sequential -v window=86400|--funnel sequential
-v funnel=sequential -v window=7200|--funnel sequential --window 2h
-v by=day|--by day
-v by=day -v count=hits|--by day --count hits
-v by=day -v funnel=sequential -v window=21600|--by day --funnel sequential --window 6h
MODES
fi
echo "consistency: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
