#!/bin/sh
# fold.sh - memory that follows the day (issue 13, man page: MEMORY):
# folding the days a run has moved past gives the figures of a run that
# keeps every visitor-day, whatever the order of the input.
#
#   KLANTREIS=./klantreis sh tests/fold.sh
#
# Generates a month (30 days, 300,000 lines, 39 gemeenten x 9 products)
# with tests/bench/genlog.c. The reference is the report made from a
# state of that log (a run that writes a state never folds: it keeps
# every event). Against it, with -j1 and -j2 and for several report
# options (open and sequential funnels, --window, --count hits, --by day
# and week, --details, --since/--until, csv and table):
#   - the month read in time order (days folded as the run moves on);
#   - the month with lines moved up to ~30 minutes out of order (within
#     the slack: still folded, no second reading);
#   - the month cut into three files given newest first, one gzipped, as a
#     glob lists them (read oldest first: no second reading);
#   - those thirds newest first in one file (a request of a folded day
#     comes: -v says the logs are read again, and the report is still
#     exact);
#   - the month on standard input (cannot be read again: never folded).
# With -j3 and -j4 (more funnels than parts, folded on several threads):
# --by week and month, hits, the sequential funnel and compare.
# Stray clocks (a month-ahead request every fifth line) and the month in
# three files oldest first, -j1 to -j4: no second reading.
# Then peak memory (GNU time's maximum RSS, when /usr/bin/time exists):
# the month read in time order stays within 1.5x its busiest day with
# -j1 (without folding it is about 2.5x at this size), for the open and
# the sequential funnel; with -j2 (folds with workers, scan.c) the month
# stays within 2/3 of the month never folded; the figures are printed.
#
# Prints "ok NAME" / "FAIL NAME" and "fold: N passed, N failed"; exits 1
# when any check failed.
set -u

K=${KLANTREIS:-./klantreis}
case $K in /*) ;; *) K=$(pwd)/$K ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/kr-fold.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

cc -O2 -o genlog "$ROOT/tests/bench/genlog.c" || { echo "FAIL fold: cannot build genlog"; exit 1; }
./genlog -n 300000 -d 30 -g 39 -p 9 -c cat.csv > month.log || exit 1
# every line stamped [dd/Mon/yyyy:hh:mm:ss +0100] in field 5
awk 'BEGIN { srand(13) } { printf "%d\t%s\n", NR + int(rand() * 200), $0 }' month.log |
	sort -n -s -k1,1 | cut -f2- > jitter.log
n=$(wc -l < month.log)
head -n $((n / 3)) month.log > part1.log
sed -n "$((n / 3 + 1)),$((2 * n / 3))p" month.log > part2.log
tail -n +$((2 * n / 3 + 1)) month.log > part3.log
cat part3.log part2.log part1.log > reversed.log
gzip -c part2.log > part2.log.gz
grep -F '[15/Nov/2026:' month.log > day.log

"$K" analyze -q -c cat.csv --state month.krs month.log || { echo "FAIL fold: state"; exit 1; }

i=0
while IFS='|' read -r name opts; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	"$K" analyze -q -c cat.csv $opts -o ref.$i month.krs || { bad "$name: reference"; continue; }
	for j in 1 2; do
		# shellcheck disable=SC2086
		"$K" analyze -q -j$j -c cat.csv $opts -o got month.log &&
			cmp -s ref.$i got && ok "$name -j$j: month in time order" ||
			bad "$name -j$j: month in time order"
		# shellcheck disable=SC2086
		"$K" analyze -v -j$j -c cat.csv $opts -o got jitter.log 2> err &&
			cmp -s ref.$i got && ! grep -q 'not in time order' err &&
			ok "$name -j$j: lines up to 30 min out of order, no second reading" ||
			bad "$name -j$j: lines up to 30 min out of order, no second reading"
		# shellcheck disable=SC2086
		"$K" analyze -v -j$j -c cat.csv $opts -o got part3.log part2.log.gz part1.log 2> err &&
			cmp -s ref.$i got && ! grep -q 'not in time order' err &&
			ok "$name -j$j: files newest first, read oldest first, no second reading" ||
			bad "$name -j$j: files newest first, read oldest first, no second reading"
		# shellcheck disable=SC2086
		"$K" analyze -v -j$j -c cat.csv $opts -o got reversed.log 2> err &&
			cmp -s ref.$i got && grep -q 'not in time order' err &&
			ok "$name -j$j: one file, its thirds newest first, read again" ||
			bad "$name -j$j: one file, its thirds newest first, read again"
	done
	# shellcheck disable=SC2086
	"$K" analyze -q -c cat.csv $opts < month.log > got &&
		cmp -s ref.$i got && ok "$name: standard input" || bad "$name: standard input"
done <<'EOF'
open|--format csv
open by day, details|--by day --details --format csv
sequential by day|--funnel sequential --by day --format csv
sequential window by week, table|--funnel sequential --window 10m --by week --format table
hits by day|--count hits --by day --format csv
since/until mid-day|--since 2026-11-10T13:30 --until 2026-11-21T06:00 --by day --funnel sequential --format csv
EOF

# The fold sums into the cells of the report's --by, one thread per part
# of the workers' funnels: -j3 (three funnels over two parts) and -j4,
# per week and month, folded as the month is read; and compare, whose two
# sides fold alike (the reference: the same command over the state).
while IFS='|' read -r name cmd opts; do
	# shellcheck disable=SC2086
	"$K" $cmd -q -c cat.csv $opts -o ref month.krs || { bad "$name: reference"; continue; }
	for j in 3 4; do
		# shellcheck disable=SC2086
		"$K" $cmd -v -j$j -c cat.csv $opts -o got jitter.log 2> err &&
			cmp -s ref got && ! grep -q 'not in time order' err &&
			ok "$name -j$j: folded per period" || bad "$name -j$j: folded per period"
	done
done <<'EOF'
by week, open, details|analyze|--by week --details --format csv
by month, sequential|analyze|--by month --funnel sequential --window 30m --format csv
by month, hits|analyze|--by month --count hits --format csv
compare|compare|--at 2026-11-16T12:00 --format csv
EOF

# More workers than a fold once took (64): every worker's funnel must be
# folded, or its visitors count twice. Which workers get blocks varies
# from run to run, so five runs over the sample (8 blocks) at -j256.
gzip -dc "$ROOT/testdata/sample/access.log.gz" > sample.log
"$K" analyze -q -j1 --format csv sample.log > ref.s
j=0
for r in 1 2 3 4 5; do
	"$K" analyze -q -j256 --format csv sample.log > got && cmp -s ref.s got && j=$((j + 1))
done
[ $j -eq 5 ] && ok "sample -j256: every worker's funnel folded (5 of 5 runs equal -j1)" ||
	bad "sample -j256: $j of 5 runs equal -j1"

# Stray clocks: every fifth line a request of a host no gemeente has,
# stamped a month ahead (another site's server with a wrong clock in the
# same log). The fold follows the earliest request of the blocks parsed,
# so these fold nothing early: no second reading, and the month's
# figures (the strays are no gemeente's). Also the month in three files
# given oldest first: folded across files, no second reading.
awk 'NR % 5 == 0 { print "www.example.org:443 10.9.9.9 - - [01/Jan/2027:00:00:00 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"" } { print }' \
	month.log > stray.log
"$K" analyze -q -c cat.csv --by day --format csv -o ref.st month.krs || bad "stray: reference"
for j in 1 2 3 4; do
	"$K" analyze -v -j$j -c cat.csv --by day --format csv -o got stray.log 2> err &&
		cmp -s ref.st got && ! grep -q 'not in time order' err &&
		ok "stray clocks -j$j: no second reading" || bad "stray clocks -j$j: no second reading"
	"$K" analyze -v -j$j -c cat.csv --by day --format csv -o got part1.log part2.log part3.log 2> err &&
		cmp -s ref.st got && ! grep -q 'not in time order' err &&
		ok "three files oldest first -j$j: no second reading" ||
		bad "three files oldest first -j$j: no second reading"
done

if [ -x /usr/bin/time ]; then
	peak() { /usr/bin/time -f %M -o rss.out "$K" analyze -q "$@" -c cat.csv --format csv -o /dev/null && cat rss.out; }
	for jf in "-j1" "-j1 --funnel sequential"; do
		# shellcheck disable=SC2086
		d=$(peak $jf day.log) && m=$(peak $jf month.log) || { bad "peak memory $jf"; continue; }
		echo "peak memory $jf: busiest day $d KB, month $m KB ($(awk "BEGIN { printf \"%.2f\", $m / $d }")x)"
		[ $((2 * m)) -le $((3 * d)) ] && ok "peak memory $jf: month within 1.5x its busiest day" ||
			bad "peak memory $jf: month within 1.5x its busiest day"
	done
	# -j2 folds too (scan.c: the workers hand their old days in); its
	# busiest day here is too small to compare with (one block of the six
	# -j2 keeps in flight), so against the month never folded (stdin)
	m=$(peak -j2 month.log) && u=$(peak -j2 - < month.log) || bad "peak memory -j2"
	echo "peak memory -j2: month $m KB, never folded $u KB ($(awk "BEGIN { printf \"%.2f\", $m / $u }")x)"
	[ $((3 * m)) -le $((2 * u)) ] && ok "peak memory -j2: the month folded within 2/3 of it unfolded" ||
		bad "peak memory -j2: the month folded within 2/3 of it unfolded"
elif [ "${CI:-}" = true ]; then
	bad "peak memory: no /usr/bin/time (make deps installs the time package)"
else
	echo "skip peak memory: no /usr/bin/time"
fi

echo "fold: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
