#!/bin/sh
# follow.sh - `analyze --follow` end to end, in real time with short
# intervals: the live report must equal, byte for byte, the batch report
# of every line written so far.
#
#   KLANTREIS=./klantreis sh tests/follow.sh [CASE...]
#
# Cases: append (lines appended, a line written in two pieces), rename
# (logrotate's rename, lines still written to the old file after it),
# copytruncate, regrow (a copytruncate and more lines than were read,
# all while the run is stopped between two looks), late (a file that
# appears later, and a gzip input read once), sigterm (a long interval: only the final report can hold the
# last lines), sigint, stdin (followed to its end; gzip'ed: read once),
# fifo (a named pipe: read once, to its end), json (the JSON
# report, less the command line and input names), site (--format site
# through a rotation, less the times of day it names), rolling (--since -7d
# while local midnight passes: a time zone whose midnight is seconds
# away; the day that leaves the window is dropped).
# The lines are the sample log's (testdata/sample/access.log.gz).
# Prints "ok NAME" or "FAIL NAME: why" per case, then
# "follow: N passed, N failed"; exits 1 when any case failed.

root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
: "${KLANTREIS:=./klantreis}"
case $KLANTREIS in
/*) ;;
*) KLANTREIS=$(pwd)/$KLANTREIS ;;
esac
K=$KLANTREIS
[ -x "$K" ] || { echo "follow: program '$K' not found (set KLANTREIS)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/klantreis-follow.XXXXXX") || exit 2
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
gzip -dc "$root/testdata/sample/access.log.gz" >"$tmp/all.log" || exit 2

passed=0
failed=0
why=

# lines A B: lines A..B of the sample log
lines() {
	sed -n "$1,$2p" "$tmp/all.log"
}

# batch FILE ARGS...: the batch CSV report of FILE into batch.csv
batch() {
	f=$1
	shift
	"$K" analyze --format csv "$@" "$f" >batch.csv 2>batch.err || why="batch run failed"
}

# expect A B: lines A..B added to expect.log, and its batch report
expect() {
	lines "$1" "$2" >>expect.log
	batch expect.log
}

# start ARGS...: the live run in the background (pid), stderr in live.err
start() {
	"$K" analyze --follow --interval 1s --format csv -o live.csv "$@" 2>live.err &
	pid=$!
}

# same: waits up to 15 s until live.csv equals batch.csv
same() {
	i=0
	while [ $i -lt 60 ]; do
		cmp -s live.csv batch.csv && return 0
		sleep 0.25
		i=$((i + 1))
	done
	[ -n "$why" ] || why="${1:-live report} differs from the batch report"
	return 1
}

# stop [SIGNAL]: signals the live run (TERM by default); it must exit 0
stop() {
	kill -"${1:-TERM}" "$pid"
	wait "$pid"
	st=$?
	pid=
	[ $st -eq 0 ] || why="${why:-exit status $st after SIG${1:-TERM}, not 0}"
}

case_append() {
	lines 1 5000 >access.log
	lines 1 5000 >expect.log
	start access.log
	batch expect.log
	same "first reading" || return
	lines 5001 9000 >>access.log
	expect 5001 9000
	same "after an append" || return
	# a line in two pieces: the first piece alone must not count
	line=$(lines 9001 9001)
	head=$(printf '%s' "$line" | cut -c1-40)
	printf '%s' "$head" >>access.log
	sleep 1.5
	cmp -s live.csv batch.csv || { why="a partial line changed the report"; return; }
	printf '%s\n' "$(printf '%s' "$line" | cut -c41-)" >>access.log
	lines 9001 9001 >>expect.log
	lines 9002 10000 >>access.log
	expect 9002 10000
	same "after the rest of the line" || return
	stop
	cmp -s live.csv batch.csv || why="final report differs"
}

case_rename() {
	lines 1 8000 >access.log
	start access.log
	lines 1 8000 >expect.log
	batch expect.log
	same "first reading" || return
	mv access.log access.log.1
	# the server writes on to the old file until it reopens, also after
	# the new file is there
	lines 8001 9000 >>access.log.1
	sleep 0.5
	lines 9001 12000 >access.log
	sleep 0.6
	lines 12001 12500 >>access.log.1
	expect 8001 12500
	same "after the rotation" || return
	lines 12501 14000 >>access.log
	expect 12501 14000
	same "after an append to the new file" || return
	stop
	cmp -s live.csv batch.csv || why="final report differs"
}

case_copytruncate() {
	lines 1 8000 >access.log
	start access.log
	lines 1 8000 >expect.log
	batch expect.log
	same "first reading" || return
	cp access.log access.log.1
	: >access.log
	lines 8001 10000 >>access.log
	expect 8001 10000
	same "after the copytruncate" || return
	lines 10001 11000 >>access.log
	expect 10001 11000
	same "after an append" || return
	stop
	cmp -s live.csv batch.csv || why="final report differs"
}

case_regrow() {
	lines 1 3000 >access.log
	start access.log
	lines 1 3000 >expect.log
	batch expect.log
	same "first reading" || return
	# stopped between two looks: the file it sees next is no shorter
	kill -STOP "$pid"
	cp access.log access.log.1
	: >access.log
	lines 3001 9000 >>access.log
	kill -CONT "$pid"
	[ "$(wc -c <access.log)" -gt "$(wc -c <access.log.1)" ] ||
		{ why="the new file is not longer than the old one"; return; }
	expect 3001 9000
	same "after the copytruncate" || return
	lines 9001 10000 >>access.log
	expect 9001 10000
	same "after an append" || return
	stop
	cmp -s live.csv batch.csv || why="final report differs"
}

case_late() {
	lines 1 6000 >old.log
	gzip -n old.log
	lines 6001 10000 >access.log
	start old.log.gz access.log late.log
	lines 1 10000 >expect.log
	batch expect.log
	same "first reading" || return
	grep -q "'late.log' does not exist (yet): waiting for it" live.err ||
		{ why="no warning about the missing file"; return; }
	lines 10001 13000 >late.log
	expect 10001 13000
	same "after the late file appeared" || return
	stop
	cmp -s live.csv batch.csv || why="final report differs"
}

case_sigterm() {
	lines 1 5000 >access.log
	"$K" analyze --follow --interval 1h --format csv -o live.csv access.log 2>live.err &
	pid=$!
	lines 1 5000 >expect.log
	batch expect.log
	same "first reading" || return
	lines 5001 8000 >>access.log
	sleep 1.2
	cmp -s live.csv batch.csv || { why="report rewritten before the interval"; return; }
	stop TERM
	expect 5001 8000
	cmp -s live.csv batch.csv || why="final report after SIGTERM lacks the last lines"
}

case_sigint() {
	lines 1 3000 >access.log
	start access.log
	lines 1 3000 >expect.log
	batch expect.log
	same "first reading" || return
	stop INT
	cmp -s live.csv batch.csv || why="final report differs"
}

case_stdin() {
	lines 1 4000 >expect.log
	batch expect.log
	{ lines 1 2000; sleep 1.5; lines 2001 4000; } |
		"$K" analyze --follow --interval 1s --format csv -o live.csv - 2>live.err
	st=$?
	[ $st -eq 0 ] || { why="exit status $st at the end of stdin"; return; }
	cmp -s live.csv batch.csv || { why="report at the end of stdin differs"; return; }
	# compressed: read once, as a whole
	lines 1 4000 | gzip -n |
		"$K" analyze --follow --interval 1s --format csv -o live.csv - 2>live.err
	st=$?
	[ $st -eq 0 ] || { why="exit status $st at the end of gzip'ed stdin"; return; }
	cmp -s live.csv batch.csv || why="report of gzip'ed stdin differs"
}

case_fifo() {
	mkfifo fifo || { why="mkfifo failed"; return; }
	lines 1 3000 >expect.log
	batch expect.log
	{ sleep 0.5; lines 1 1500; sleep 0.5; lines 1501 3000; } >fifo &
	"$K" analyze --follow --interval 1s --format csv -o live.csv fifo 2>live.err
	st=$?
	wait
	[ $st -eq 0 ] || { why="exit status $st at the end of the FIFO"; return; }
	cmp -s live.csv batch.csv || why="report of the FIFO differs"
}

# norm DIR OUT: the site DIR with its times ("2026-12-01 13:11 UTC") blanked
norm() {
	rm -rf "$2"
	mkdir -p "$2"
	(cd "$1" && find . -type f) | while read -r f; do
		mkdir -p "$2/$(dirname "$f")"
		sed 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] UTC/TIME/g' \
			"$1/$f" >"$2/$f"
	done
}

# site_same: waits up to 15 s until the live site equals the batch site
site_same() {
	i=0
	while [ $i -lt 60 ]; do
		if [ -f live/index.html ]; then
			norm live live.n
			diff -r live.n batch.n >/dev/null 2>&1 && return 0
		fi
		sleep 0.25
		i=$((i + 1))
	done
	why="${1:-live site} differs from the batch site"
	return 1
}

# sitebatch: the batch site of batch/access.log, normalised in batch.n
sitebatch() {
	rm -rf batchsite
	(cd batch && "$K" analyze --by day --format site -o ../batchsite access.log) \
		2>batch.err || why="batch site failed"
	norm batchsite batch.n
}

case_site() {
	mkdir batch
	lines 1 6000 >access.log
	lines 1 6000 >batch/access.log
	"$K" analyze --follow --interval 1s --by day --format site -o live access.log \
		2>live.err &
	pid=$!
	sitebatch
	site_same "first site" || return
	mv access.log access.log.1
	lines 6001 9000 >access.log
	lines 6001 9000 >>batch/access.log
	sitebatch
	site_same "site after a rotation" || return
	stop
	norm live live.n
	diff -r live.n batch.n >/dev/null || why="final site differs"
}

# JSON report without what names the run: its command line and inputs
strip_json() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d["meta"].pop("command_line", None)
d["meta"].pop("elapsed", None)
for i in d["meta"].get("inputs", []):
    i.pop("name", None)
print(json.dumps(d, sort_keys=True, indent=1))' "$1"
}

case_json() {
	lines 1 6000 >access.log
	"$K" analyze --follow --interval 1s --format json -o live.json access.log 2>live.err &
	pid=$!
	sleep 1
	mv access.log access.log.1
	lines 6001 9000 >access.log
	lines 1 9000 >expect.log
	"$K" analyze --format json expect.log >batch.json 2>batch.err || { why="batch failed"; return; }
	strip_json batch.json >batch.csv
	# without python3 both sides would be empty, and equal
	[ -s batch.csv ] || { why="cannot read batch.json (python3 missing?)"; return; }
	i=0
	while [ $i -lt 60 ]; do
		if [ -s live.json ] && strip_json live.json >live.csv 2>/dev/null &&
			cmp -s live.csv batch.csv; then
			break
		fi
		sleep 0.25
		i=$((i + 1))
	done
	stop
	strip_json live.json >live.csv
	cmp -s live.csv batch.csv || why="JSON report differs"
}

case_rolling() {
	# a time zone (POSIX TZ, offset with seconds) whose midnight is 5 s away
	now=$(date -u +%s)
	off=$((86400 - 5 - now % 86400))
	[ $off -ge 0 ] || off=$((off + 86400))
	tz=$(printf 'KRT-%02d:%02d:%02d' $((off / 3600)) $((off % 3600 / 60)) $((off % 60)))
	export TZ="$tz"
	# the sample's seven days become 8..2 days before today (before midnight)
	expr=
	k=8
	for d in 02 03 04 05 06 07 08; do
		expr="$expr -e s#$d/Nov/2026#$(date -d "@$((now - k * 86400))" +%d/%b/%Y)#"
		k=$((k - 1))
	done
	# shellcheck disable=SC2086
	sed $expr "$tmp/all.log" >access.log
	start -v --since -7d access.log
	# before midnight: days -7 to -2 count; -8 is outside the window
	batch access.log --since -7d
	same "report before midnight" || { unset TZ; return; }
	cp batch.csv before.csv
	sleep 5
	# after midnight: -7d is a day later; the oldest day left the window
	batch access.log --since -7d
	cmp -s batch.csv before.csv && { why="the batch report did not change at midnight"; unset TZ; return; }
	same "report after midnight" || { unset TZ; return; }
	stop
	unset TZ
	cmp -s live.csv batch.csv || { why="final report differs"; return; }
	grep -q -- "--since moved: [1-9][0-9]* visitor-day entries dropped" live.err ||
		why="no day was dropped from memory"
}

all="append rename copytruncate regrow late sigterm sigint stdin fifo json site rolling"
# the case names split on blanks
# shellcheck disable=SC2086
[ $# -gt 0 ] || set -- $all
for name in "$@"; do
	dir=$tmp/$name
	mkdir "$dir" && cd "$dir" || exit 2
	why=
	"case_$name"
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		pid=
	fi
	if [ -z "$why" ]; then
		echo "ok $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name: $why"
		sed 's/^/  stderr: /' live.err 2>/dev/null | tail -5
		failed=$((failed + 1))
	fi
	cd "$tmp" || exit 2
done
echo "follow: $passed passed, $failed failed"
[ $failed -eq 0 ]
