#!/bin/sh
# slurm.sh - the Slurm recipe of the README, end to end: a single-node
# Slurm (munged, slurmctld, slurmd) started here on free ports with a
# temporary configuration, the map array contrib/slurm/klantreis-map.sbatch
# (one task per web server's log) and the merge job
# contrib/slurm/klantreis-merge.sbatch submitted with
# --dependency=afterok; the merged report must equal one analyze run over
# all logs, byte for byte.
#
#   KLANTREIS=./klantreis sh tests/slurm.sh
#
# Needs root (the daemons run as root and munge, /run/munge is made);
# skips with a message otherwise. Every daemon it started is stopped by
# its pid on exit, and its temporary directory removed. Finishes within a
# minute or fails (KR_SLURM_WAIT seconds for all jobs, default 40).
#
# Both modes of the scripts run on the same daemons: KR_MODE=csv with the
# log split by web server (reports merged by `klantreis benchmark`), then
# KR_MODE=state with the log cut by line into parts that split days and
# visitors, analysed into states under one --key-file from `klantreis
# keygen` and merged by two merge jobs into a --by day --funnel sequential
# --details CSV and a --by week --count hits table, each equal to one run.
set -u

root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
: "${KLANTREIS:=./klantreis}"
case $KLANTREIS in
/*) ;;
*) KLANTREIS=$(cd "$(dirname "$KLANTREIS")" && pwd)/$(basename "$KLANTREIS") ;;
esac
[ -x "$KLANTREIS" ] || { echo "slurm: program '$KLANTREIS' not found (set KLANTREIS)" >&2; exit 2; }

if [ "$(id -u)" != 0 ]; then
	echo "skip slurm: needs root to start munged, slurmctld and slurmd"
	exit 0
fi
for p in munged slurmctld slurmd sbatch squeue scontrol sinfo setpriv python3; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
		{ echo "FAIL slurm: '$p' not found (make deps installs slurm-wlm and munge)" >&2; exit 1; }
done
PATH=$PATH:/usr/sbin

T=$(mktemp -d "${TMPDIR:-/tmp}/klantreis-slurm.XXXXXX") || exit 2
chmod 755 "$T"
pids=
cleanup() {
	for pid in $pids; do
		kill "$pid" 2>/dev/null
	done
	for pid in $pids; do
		# wait up to 5 s for each, then make sure
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "FAIL slurm: $*" >&2
	for f in "$T"/munged.out "$T"/slurmctld.log "$T"/slurmd.log "$T"/job/*.out; do
		[ -s "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }
	done
	exit 1
}

# Two TCP ports nobody listens on (bound once to port 0, then released).
ports=$(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
') || fail "no free port"
# shellcheck disable=SC2086
set -- $ports
ctld_port=$1
d_port=$2

# munge: its own key and socket, run as the munge user
mkdir -p "$T/munge" "$T/state" "$T/spool" "$T/job"
chown munge:munge "$T/munge"
chmod 711 "$T/munge"   # others may reach the socket, not list the key
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 2>/dev/null
chown munge:munge "$T/munge/munge.key"
chmod 400 "$T/munge/munge.key"
mkdir -p /run/munge
chown munge:munge /run/munge
chmod 755 /run/munge
sock=$T/munge/munge.sock
setpriv --reuid=munge --regid=munge --init-groups munged -F --socket="$sock" \
	--key-file="$T/munge/munge.key" --log-file="$T/munge/munged.log" \
	--pid-file="$T/munge/munged.pid" --seed-file="$T/munge/seed" --force \
	>"$T/munged.out" 2>&1 &
pids="$pids $!"
i=0
while ! [ -S "$sock" ]; do
	i=$((i + 1))
	[ $i -le 50 ] || fail "munged did not start"
	sleep 0.1
done

host=$(hostname -s)
cat > "$T/slurm.conf" <<EOC
ClusterName=krtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOC
export SLURM_CONF="$T/slurm.conf"
slurmctld -D -i >"$T/slurmctld.out" 2>&1 &
pids="$pids $!"
slurmd -D >"$T/slurmd.out" 2>&1 &
pids="$pids $!"
i=0
until [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "the node did not come up: $(sinfo -h 2>&1)"
	sleep 0.2
done

# The logs: the sample log split by web server, gzipped, one task each.
cd "$T/job" || exit 2
gzip -dc "$root/testdata/sample/access.log.gz" > all.log
hosts=$(awk '{ sub(/:.*/, "", $1); print $1 }' all.log | sort -u)
: > logs.list
for h in $hosts; do
	grep -F "$h:" all.log | gzip -n > "$h.log.gz"
	echo "$T/job/$h.log.gz" >> logs.list
done
n=$(wc -l < logs.list)
[ "$n" -ge 2 ] || fail "the sample log has fewer than 2 hosts"

opts="--by day --details"
# shellcheck disable=SC2086
"$KLANTREIS" analyze -q $opts --min-visitors 5 --format csv all.log > one.csv ||
	fail "analyze over all logs failed"

# job_state JOB: its JobState (COMPLETED, PENDING, ...)
job_state() {
	scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1
}

# wait_jobs MAP MERGE...: wait until every merge job ended; each must be
# COMPLETED, and so must every task of the map array MAP (N tasks)
wait_jobs() {
	map=$1
	shift
	for merge in "$@"; do
		state=
		while [ "$(date +%s)" -lt "$deadline" ]; do
			state=$(job_state "$merge")
			case $state in
			COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;;
			PENDING)
				# a failed map task leaves the merge pending forever (afterok)
				scontrol show job "$merge" | grep -q 'Reason=DependencyNeverSatisfied' &&
					fail "a map task failed: the merge can never run" ;;
			esac
			sleep 0.2
		done
		[ "$state" = COMPLETED ] || fail "merge job $merge ended as '${state:-unknown}'"
	done
	for t in $(seq 0 $((n - 1))); do
		s=$(job_state "${map}_$t")
		[ "$s" = COMPLETED ] || fail "map task ${map}_$t ended as '$s'"
	done
}
deadline=$(($(date +%s) + ${KR_SLURM_WAIT:-40}))

export KLANTREIS KR_MODE=csv
map=$(sbatch --parsable --array=0-$((n - 1)) -o "$T/job/map-%a.out" \
	--export="ALL,KR_LIST=$T/job/logs.list,KR_OUT=$T/job/parts,KR_MAP_OPTS=$opts" \
	"$root/contrib/slurm/klantreis-map.sbatch") || fail "sbatch of the map array failed"
merge=$(sbatch --parsable --dependency=afterok:"$map" -o "$T/job/merge.out" \
	--export="ALL,KR_OUT=$T/job/parts,KR_REPORT=$T/job/merged.csv,KR_MERGE_OPTS=--order name --min-visitors 5" \
	"$root/contrib/slurm/klantreis-merge.sbatch") || fail "sbatch of the merge job failed"
wait_jobs "$map" "$merge"
[ "$(ls parts | wc -l)" -eq "$n" ] || fail "expected $n parts, got: $(ls parts)"
cmp one.csv merged.csv || fail "merged report differs from one run over all logs"
echo "ok slurm: $n map tasks and the merge (afterok) equal one run ($(wc -l < one.csv) lines)"

# KR_MODE=state on the same daemons: the log cut by line into parts in
# which visitors and days straddle parts (csv mode cannot merge these),
# each part analysed under one shared --key-file into a state, and two
# merge jobs making different reports from the same states.
"$KLANTREIS" keygen key || fail "keygen failed"
split -n l/4 all.log cut. || fail "split failed"
: > cuts.list
for f in cut.*; do
	gzip -n "$f"
	echo "$T/job/$f.gz" >> cuts.list
done
n=$(wc -l < cuts.list)
# shellcheck disable=SC2086
"$KLANTREIS" analyze -q --by day --funnel sequential --details --min-visitors 5 \
	--format csv all.log > one-day.csv || fail "analyze over all logs failed"
# shellcheck disable=SC2086
"$KLANTREIS" analyze -q --by week --count hits --window 30m --min-visitors 3 \
	--format table all.log > one-week.txt || fail "analyze over all logs failed"
export KR_MODE=state
map=$(sbatch --parsable --array=0-$((n - 1)) -o "$T/job/smap-%a.out" \
	--export="ALL,KR_LIST=$T/job/cuts.list,KR_OUT=$T/job/states,KR_MAP_OPTS=--key-file $T/job/key" \
	"$root/contrib/slurm/klantreis-map.sbatch") || fail "sbatch of the state map array failed"
m1=$(sbatch --parsable --dependency=afterok:"$map" -o "$T/job/smerge1.out" \
	--export="ALL,KR_OUT=$T/job/states,KR_REPORT=$T/job/merged-day.csv,KR_MERGE_OPTS=--by day --funnel sequential --details --min-visitors 5 --format csv" \
	"$root/contrib/slurm/klantreis-merge.sbatch") || fail "sbatch of a state merge job failed"
m2=$(sbatch --parsable --dependency=afterok:"$map" -o "$T/job/smerge2.out" \
	--export="ALL,KR_OUT=$T/job/states,KR_REPORT=$T/job/merged-week.txt,KR_MERGE_OPTS=--by week --count hits --window 30m --min-visitors 3 --format table" \
	"$root/contrib/slurm/klantreis-merge.sbatch") || fail "sbatch of a state merge job failed"
wait_jobs "$map" "$m1" "$m2"
[ "$(ls states | wc -l)" -eq "$n" ] || fail "expected $n states, got: $(ls states)"
# the cut splits days and visitors: csv reports of the parts overlap
for f in cut.*.gz; do
	"$KLANTREIS" analyze -q --by day --format csv "$f" > "$f.csv" || fail "analyze '$f' failed"
done
"$KLANTREIS" benchmark cut.*.csv > /dev/null 2>&1
[ $? -eq 2 ] || fail "the cut by line should split days and visitors (benchmark must refuse it)"
cmp one-day.csv merged-day.csv || fail "state mode: merged --by day report differs from one run over all logs"
cmp one-week.txt merged-week.txt || fail "state mode: merged --by week table differs from one run over all logs"
echo "ok slurm: state mode, $n parts cut by line under one key, two merges equal one run ($(wc -l < one-day.csv) and $(wc -l < one-week.txt) lines)"
