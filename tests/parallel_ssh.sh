#!/bin/sh
# parallel_ssh.sh - the GNU parallel recipe of the README, end to end:
# contrib/parallel/klantreis-parallel.sh analyses each web server's log on
# "its server" over ssh (three servers web1..web3, all 127.0.0.1 through
# an sshd started here on a free port with a temporary host key and
# authorized key), brings the parts back with parallel --return and merges
# them here; the merged report must equal one analyze run over all logs,
# byte for byte, and the servers' working directory must be cleaned up.
# Then the same in KR_MODE=state: the log cut by line (days and visitors
# straddle parts), states made on the servers under one --key-file from
# `klantreis keygen`, merged here into a --by day --funnel sequential
# --details CSV, and a --by week --count hits table from the same states.
#
#   KLANTREIS=./klantreis sh tests/parallel_ssh.sh
#
# Needs root (sshd, root login by key); skips with a message otherwise.
# The sshd it started is stopped by its pid on exit and its temporary
# directory removed. Finishes within a minute.
set -u

root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
: "${KLANTREIS:=./klantreis}"
case $KLANTREIS in
/*) ;;
*) KLANTREIS=$(cd "$(dirname "$KLANTREIS")" && pwd)/$(basename "$KLANTREIS") ;;
esac
[ -x "$KLANTREIS" ] || { echo "parallel_ssh: program '$KLANTREIS' not found (set KLANTREIS)" >&2; exit 2; }

if [ "$(id -u)" != 0 ]; then
	echo "skip parallel_ssh: needs root to start sshd and log in as root"
	exit 0
fi
for p in /usr/sbin/sshd ssh ssh-keygen parallel rsync python3; do
	command -v "$p" >/dev/null 2>&1 ||
		{ echo "FAIL parallel_ssh: '$p' not found (make deps installs openssh-server," \
		       "openssh-client, parallel and rsync)" >&2; exit 1; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/klantreis-pssh.XXXXXX") || exit 2
sshd_pid=
cleanup() {
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2>/dev/null
		i=0
		while kill -0 "$sshd_pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$sshd_pid" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "FAIL parallel_ssh: $*" >&2
	[ -s "$T/sshd.log" ] && { echo "--- sshd.log" >&2; tail -n 15 "$T/sshd.log" >&2; }
	[ -s "$T/run.err" ] && { echo "--- stderr" >&2; tail -n 15 "$T/run.err" >&2; }
	exit 1
}

port=$(python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
') || fail "no free port"

ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey" || fail "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N '' -f "$T/id" || fail "ssh-keygen failed"
cp "$T/id.pub" "$T/authorized_keys"
chmod 600 "$T/authorized_keys"
cat > "$T/sshd_config" <<EOC
Port $port
ListenAddress 127.0.0.1
HostKey $T/hostkey
AuthorizedKeysFile $T/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PidFile $T/sshd.pid
Subsystem sftp internal-sftp
EOC
{
	for h in web1 web2 web3; do
		printf 'Host %s\n  HostName 127.0.0.1\n  Port %s\n  User root\n' "$h" "$port"
	done
	printf 'Host *\n  IdentityFile %s\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n' "$T/id"
	printf '  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  BatchMode yes\n'
} > "$T/ssh_config"
mkdir -p /run/sshd
/usr/sbin/sshd -D -f "$T/sshd_config" -E "$T/sshd.log" &
sshd_pid=$!
i=0
until ssh -F "$T/ssh_config" web1 true 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 50 ] || fail "cannot log in over ssh to 127.0.0.1:$port"
	kill -0 "$sshd_pid" 2>/dev/null || fail "sshd exited"
	sleep 0.1
done

# The logs: the sample log split by web server, two per "server".
mkdir -p "$T/logs" "$T/local"
gzip -dc "$root/testdata/sample/access.log.gz" > "$T/all.log"
k=0
: > "$T/local/logs.list"
for h in $(awk '{ sub(/:.*/, "", $1); print $1 }' "$T/all.log" | sort -u); do
	grep -F "$h:" "$T/all.log" | gzip -n > "$T/logs/$h.log.gz"
	echo "web$((k % 3 + 1)) $T/logs/$h.log.gz" >> "$T/local/logs.list"
	k=$((k + 1))
done
[ "$k" -ge 3 ] || fail "the sample log has fewer than 3 hosts"

opts="--by week --funnel sequential"
# shellcheck disable=SC2086
"$KLANTREIS" analyze -q $opts --min-visitors 10 --format table "$T/all.log" > "$T/one.txt" ||
	fail "analyze over all logs failed"

cd "$T/local" || exit 2
KR_OUT=parts KR_REPORT=merged.txt KR_MODE=csv KR_MAP_OPTS="$opts" \
	KR_MERGE_OPTS="--order name --funnel sequential --min-visitors 10 --format table" \
	KR_REMOTE_DIR="$T/remote" KR_SSH="ssh -F $T/ssh_config" KLANTREIS="$KLANTREIS" \
	timeout 50 sh "$root/contrib/parallel/klantreis-parallel.sh" logs.list 2>"$T/run.err" ||
	fail "klantreis-parallel.sh failed"
nparts=0
for f in parts/part-*.csv; do
	[ -f "$f" ] && nparts=$((nparts + 1))
done
[ "$nparts" -eq "$k" ] || fail "expected $k parts, got: $(ls parts)"
if [ -d "$T/remote" ] && [ -n "$(ls "$T/remote")" ]; then
	fail "parts left on the servers: $(ls "$T/remote")"
fi
cmp "$T/one.txt" merged.txt || fail "merged report differs from one run over all logs"
grep -q 'Accepted publickey' "$T/sshd.log" || fail "no job logged in over ssh"
echo "ok parallel_ssh: $k logs on 3 servers over ssh, merged here, equal one run"

# KR_MODE=state on the same sshd: the log cut by line into parts that
# split days and visitors (which csv mode cannot merge), analysed on the
# servers under one --key-file into states, merged here; a second report
# is made from the same states brought back.
"$KLANTREIS" keygen "$T/key" || fail "keygen failed"
mkdir -p "$T/cuts"
split -n l/5 "$T/all.log" "$T/cuts/cut." || fail "split failed"
k=0
: > "$T/local/cuts.list"
for f in "$T"/cuts/cut.*; do
	gzip -n "$f"
	echo "web$((k % 3 + 1)) $f.gz" >> "$T/local/cuts.list"
	k=$((k + 1))
done
"$KLANTREIS" analyze -q --funnel sequential --by day --details --min-visitors 5 \
	--format csv "$T/all.log" > "$T/one-day.csv" || fail "analyze over all logs failed"
"$KLANTREIS" analyze -q --by week --count hits --min-visitors 3 --format table \
	"$T/all.log" > "$T/one-week.txt" || fail "analyze over all logs failed"
KR_OUT=states KR_REPORT=merged-day.csv KR_MODE=state KR_MAP_OPTS="--key-file $T/key" \
	KR_MERGE_OPTS="--funnel sequential --by day --details --min-visitors 5 --format csv" \
	KR_REMOTE_DIR="$T/remote" KR_SSH="ssh -F $T/ssh_config" KLANTREIS="$KLANTREIS" \
	timeout 40 sh "$root/contrib/parallel/klantreis-parallel.sh" cuts.list 2>"$T/run.err" ||
	fail "klantreis-parallel.sh in state mode failed"
nparts=0
for f in states/part-*.state; do
	[ -f "$f" ] && nparts=$((nparts + 1))
done
[ "$nparts" -eq "$k" ] || fail "state mode: expected $k states, got: $(ls states)"
if [ -d "$T/remote" ] && [ -n "$(ls "$T/remote")" ]; then
	fail "state mode: parts left on the servers: $(ls "$T/remote")"
fi
cmp "$T/one-day.csv" merged-day.csv ||
	fail "state mode: merged --by day report differs from one run over all logs"
"$KLANTREIS" analyze -q --by week --count hits --min-visitors 3 --format table \
	states/part-*.state > merged-week.txt || fail "report from the states brought back failed"
cmp "$T/one-week.txt" merged-week.txt ||
	fail "state mode: --by week table from the states differs from one run over all logs"
echo "ok parallel_ssh: state mode, $k parts cut by line under one key, merged here, equal one run"
