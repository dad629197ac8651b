#!/bin/sh
# memcheck.sh - the end-to-end cases with the program under valgrind,
# split into shards that run at the same time (one per CPU by default):
# valgrind runs one thread at a time, so on 2 cores two shards halve the
# wall time of `make memcheck`.
#
#   KLANTREIS=build/memcheck/klantreis sh tests/memcheck.sh [CASE...]
#   MEMCHECK_SHARDS=4 ...
#
# Without CASE: every case of testdata/e2e and the corpus check, but for
# cases with a file no-memcheck (its first line says why; named, they
# run). Prints each shard's e2e output in turn, then "memcheck: N passed,
# N failed"; exits 1 when a case failed.
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
shards=${MEMCHECK_SHARDS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
[ "$shards" -ge 1 ] 2>/dev/null || shards=2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/klantreis-memcheck.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ $# -eq 0 ]; then
	for d in "$root"/testdata/e2e/*/; do
		d=${d%/}
		if [ -f "$d/no-memcheck" ]; then
			echo "skip ${d##*/} under valgrind: $(head -n 1 "$d/no-memcheck")"
			continue
		fi
		set -- "$@" "${d##*/}"
	done
	set -- "$@" corpus
fi
i=0
for name; do
	echo "$name" >> "$tmp/shard.$((i % shards))"
	i=$((i + 1))
done
pids=
s=0
while [ $s -lt "$shards" ]; do
	if [ -s "$tmp/shard.$s" ]; then
		# shellcheck disable=SC2046
		sh "$root/tests/e2e.sh" $(cat "$tmp/shard.$s") > "$tmp/out.$s" 2>&1 &
		pids="$pids $!"
	fi
	s=$((s + 1))
done
for p in $pids; do
	wait "$p"
done
passed=0
failed=0
s=0
while [ $s -lt "$shards" ]; do
	if [ -f "$tmp/out.$s" ]; then
		grep -v '^e2e: ' "$tmp/out.$s"
		line=$(grep '^e2e: ' "$tmp/out.$s" | tail -n 1)
		if [ -z "$line" ]; then
			echo "FAIL shard $s: e2e.sh ended without its summary line"
			failed=$((failed + 1))
		else
			set -- $line
			passed=$((passed + $2))
			failed=$((failed + $4))
		fi
	fi
	s=$((s + 1))
done
echo "memcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
