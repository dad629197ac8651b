#!/bin/sh
# longfn.sh - no function in src/*.c is longer than 100 lines (house
# style in the README, "Code"; issue 15): a function that long wants
# named steps, split into static helpers.
#
#   sh tests/longfn.sh [MAX [FILE...]]
#
# MAX defaults to 100, FILE to src/*.c. A function is counted the way
# the code is laid out: from the first line of its signature (a line
# that starts in column 0 with an identifier and holds a "(", or the
# return type alone on the line before it) to its closing "}" in column
# 0, both included; its body opens with "{" alone in column 0. Nothing is
# exempt. Prints "FILE:LINE: NAME is N lines (max MAX)" for each one
# over, and "longfn: N functions over MAX lines"; exits 1 when there is
# one, 0 when there is none. Runs in well under a second.
set -u

max=${1:-100}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- src/*.c

awk -v max="$max" '
FNR == 1 { sig = 0; start = 0; name = ""; rtype = 0 }
# a return type alone on its line ("static int"), before "name(...)"
/^[A-Za-z_][A-Za-z0-9_ \t*]*$/ { rtype = FNR; next }
# a possible signature: column 0, an identifier, a "(", not a prototype
/^[A-Za-z_]/ && /\(/ && !/;[ \t]*$/ {
	sig = rtype && rtype == FNR - 1 ? rtype : FNR
	rtype = 0
	s = $0
	sub(/\(.*/, "", s)
	n = split(s, w, /[ \t*]+/)
	name = w[n]
	next
}
/^\{[ \t]*$/ { if (sig) start = sig; next }
/^\}[ \t]*$/ {
	if (start) {
		len = FNR - start + 1
		if (len > max) {
			printf "%s:%d: %s is %d lines (max %d)\n", FILENAME, start, name, len, max
			over++
		}
	}
	sig = 0; start = 0
	next
}
/^[^ \t\/#*]/ && !/^\{/ && !/\(/ { sig = 0 }
{ rtype = 0 }
END {
	if (over) {
		printf "longfn: %d function%s over %d lines\n", over, over == 1 ? "" : "s", max
		exit 1
	}
}
' "$@"
