#!/bin/sh
# klantreis-parallel.sh - the map step of klantreis with GNU parallel over
# ssh, the logs staying on the web servers, and the merge step here.
#
#   KR_OUT=parts KR_REPORT=rapport.csv klantreis-parallel.sh logs.list
#
# logs.list has one line per log: the ssh login of the server that holds
# it and the log's path there ("root@web1.alfa.nl /var/log/nginx/access.log").
# Each log is analysed on its own server (parallel --hostgroups pins it
# there); its part comes back with --return into KR_OUT and is removed
# from the server (--cleanup). Then the parts are merged here.
#
# Environment:
#   KR_OUT         local directory for the parts (required; made when missing)
#   KR_REPORT      the merged report (required)
#   KR_MODE        state (exact): parts are `analyze --state` partial
#                  results merged by `klantreis analyze`; logs may be cut
#                  any way, visitors and days may straddle them; give every
#                  server the same --key-file (`klantreis keygen`, once).
#                  csv (default, counts only): parts are `analyze --format
#                  csv` reports merged by `klantreis benchmark` (a
#                  gemeente's visitors must all be in one log)
#   KR_MAP_OPTS    the same on every server, paths as the server sees them.
#                  state: how logs are read (--key-file, -c, --log-format,
#                  --client-from ...); csv: also what is counted (--by,
#                  --count, --funnel, --window, --details ...)
#   KR_MERGE_OPTS  how to report (--min-visitors, --format, -c, --peer,
#                  --order name, ...); in state mode also what is counted
#   KR_REMOTE_DIR  working directory on the servers (default: a directory
#                  under /tmp named after this run)
#   KR_SSH         the ssh command for parallel --ssh (default: ssh)
#   KLANTREIS      the program, on the servers and here (default: klantreis)
#   KR_JOBS        jobs per server at once (default: 1)
# Needs GNU parallel here and rsync on both sides (parallel --return).
set -eu

[ $# -eq 1 ] || { echo "usage: klantreis-parallel.sh logs.list" >&2; exit 2; }
list=$1
: "${KR_OUT:?set KR_OUT to the local directory for the parts}"
: "${KR_REPORT:?set KR_REPORT to the merged report}"
: "${KR_MODE:=csv}"
: "${KR_MAP_OPTS:=}"
: "${KR_MERGE_OPTS:=}"
: "${KR_REMOTE_DIR:=/tmp/klantreis-map-$$}"
: "${KR_SSH:=ssh}"
: "${KLANTREIS:=klantreis}"
: "${KR_JOBS:=1}"
case $KR_MODE in
csv) ext=csv; out="--format csv -o" ;;
state) ext=state; out="--state" ;;
*) echo "klantreis-parallel: KR_MODE '$KR_MODE': expected csv or state" >&2; exit 2 ;;
esac

mkdir -p "$KR_OUT"
rm -f "$KR_OUT"/part-*."$ext"
# every server is a host group of its own; each log is pinned to it
set --
args=$KR_OUT/.args
: > "$args"
while read -r login path; do
	[ -n "$login" ] || continue
	echo "$path@$login" >> "$args"
	case " $* " in
	*" -S @$login/$KR_JOBS/$login "*) ;;
	*) set -- "$@" -S "@$login/$KR_JOBS/$login" ;;
	esac
done < "$list"

cd "$KR_OUT"
# $KR_MAP_OPTS and $out are split into words on purpose
# shellcheck disable=SC2086
parallel --will-cite --halt now,fail=1 --ssh "$KR_SSH" --hostgroups "$@" \
	--workdir "$KR_REMOTE_DIR" --return "part-{#}.$ext" --cleanup \
	"$KLANTREIS" analyze -q $KR_MAP_OPTS $out "part-{#}.$ext" {} :::: .args
rm -f .args
cd - >/dev/null

# the parts in job order (part-1, part-2, ..., part-10)
parts=$(ls "$KR_OUT" | sed -n "s/^part-\([0-9]*\)\.$ext\$/\1/p" | sort -n |
	sed "s|.*|$KR_OUT/part-&.$ext|")
# shellcheck disable=SC2086
case $KR_MODE in
csv) exec "$KLANTREIS" benchmark $KR_MERGE_OPTS -o "$KR_REPORT" $parts ;;
state) exec "$KLANTREIS" analyze $KR_MERGE_OPTS -o "$KR_REPORT" $parts ;;
esac
