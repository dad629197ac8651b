#!/bin/sh
# state.sh - partial results merge exactly (issue 13, man page: STATES).
#
#   KLANTREIS=./klantreis sh tests/state.sh
#
# Splits testdata/sample/access.log.gz (7 days, 5 gemeenten, 5xx lines)
# four ways - round robin by line (every visitor straddles the parts),
# in chunks of lines (days straddle the parts), by host and by day - and
# analyses each part into a state under one --key-file. Then, for every
# report option (open, sequential + window, hits, --by day/week/month,
# --since/--until cutting days in the middle, --details, --min-cell,
# --peer with a catalogue that has peer groups, all four formats, and
# compare --at / --before --after), it checks that the report of the
# states equals the report of one run over the raw parts:
#   - flat: every state at once;
#   - tree: the states merged pairwise into states, and those merged;
#   - mixed: the first part as a log, the others as states;
# CSV and table byte for byte. JSON and HTML also byte for byte after
# dropping only what differs by nature between two runs: the command
# line and the elapsed time (JSON "command_line" and "elapsed" lines,
# the HTML <footer>); the inputs listed in their meta are the raw logs
# behind the states, so they must match as they are. The CSV of the
# whole log in one piece must equal the split one's too.
# Then keys (other keys with disjoint gemeenten: accepted and equal;
# with shared gemeenten: exit 2 naming the gemeente), a state on stdin,
# -c equal to / other than the state's catalogue, damaged, truncated and
# newer-version states (exit 2), and keygen.
#
# Prints "ok NAME" / "FAIL NAME" and "state: N passed, N failed"; exits 1
# when any check failed.
set -u

K=${KLANTREIS:-./klantreis}
case $K in /*) ;; *) K=$(pwd)/$K ;; esac
ROOT=$(pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/kr-state.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# Drops what differs between any two runs: command line and time taken.
norm() {
	sed -e '/^    "command_line": /d' -e '/^    "elapsed": /d' \
	    -e 's|<footer>.*</footer>|<footer></footer>|' "$1"
}

# same NAME A B: the normalized files are equal.
same() {
	if [ -s "$2" ] && norm "$2" >"$2.n" && norm "$3" >"$3.n" && cmp -s "$2.n" "$3.n"; then
		ok "$1"
	else
		bad "$1"
		diff "$2.n" "$3.n" | head -10
	fi
}

# ---- the data ----------------------------------------------------------
gzip -dc "$ROOT/testdata/sample/access.log.gz" >all.log
"$K" keygen key || exit 1
"$K" keygen key2 || exit 1
# a catalogue of the sample's gemeenten with peer groups: the built-in
# template's rows per gemeente
"$K" catalog >tpl.csv
{
	echo "gemeente,host,product,info,form,done,peer"
	for n in 1 2 3 4 5; do
		peer=groot
		[ $n -gt 3 ] && peer=klein
		sed -n "2,\$s/^Voorbeeldgemeente,www.voorbeeldgemeente.nl,/Gemeente$n,www.gemeente$n.nl,/p" \
			tpl.csv | sed "s/\$/,$peer/"
	done
} >cat.csv
{
	head -1 tpl.csv
	sed -n '2,$s/^Voorbeeldgemeente,www.voorbeeldgemeente.nl,/Gemeente1,www.gemeente1.nl,/p' tpl.csv
} >other.csv

# split KIND: writes KIND/part1.log ... and prints the part names
split_log() {
	mkdir -p "$1"
	case $1 in
	rr) awk '{ print > ("rr/part" (NR % 3 + 1) ".log") }' all.log ;;
	chunk) awk '{ print > ("chunk/part" (int((NR - 1) / 7000) + 1) ".log") }' all.log ;;
	host) awk '{ h = $1; sub(/:.*/, "", h); if (!(h in id)) id[h] = ++n;
	             print > ("host/part" id[h] ".log") }' all.log ;;
	day) awk '{ d = substr($5, 2, 2); if (!(d in id)) id[d] = ++n;
	            print > ("day/part" id[d] ".log") }' all.log ;;
	esac
}

# states KIND TAG [analyze options]: KIND/TAG-partN.krs from KIND/partN.log,
# then the tree KIND/TAG-a.krs (first half) and KIND/TAG-b.krs (rest)
make_states() {
	kind=$1 tag=$2
	shift 2
	n=$(ls "$kind"/part*.log | wc -l)
	i=1
	while [ $i -le "$n" ]; do
		"$K" analyze -q "$@" --state "$kind/$tag-part$i.krs" "$kind/part$i.log" ||
			bad "$kind $tag: state of part $i"
		i=$((i + 1))
	done
	half=$(((n + 1) / 2))
	a="" b=""
	i=1
	while [ $i -le "$n" ]; do
		if [ $i -le $half ]; then a="$a $kind/$tag-part$i.krs"; else b="$b $kind/$tag-part$i.krs"; fi
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	"$K" analyze -q "$@" --state "$kind/$tag-a.krs" $a || bad "$kind $tag: tree a"
	# shellcheck disable=SC2086
	"$K" analyze -q "$@" --state "$kind/$tag-b.krs" $b || bad "$kind $tag: tree b"
}

parts() { ls "$1"/part*.log | sort -V; }
states() { ls "$1"/"$2"-part*.krs | sort -V; }

# check KIND TAG CMD [options]: CMD (analyze or compare) over the raw parts
# against the states (flat, tree, mixed)
check() {
	kind=$1 tag=$2 cmd=$3
	shift 3
	name="$kind $tag $cmd $*"
	# states carry their catalogue; the raw logs need it given
	refc=""
	if [ "$tag" = c ]; then
		case " $* " in *" -c "*) ;; *) refc="-c cat.csv" ;; esac
	fi
	# shellcheck disable=SC2046,SC2086
	"$K" $cmd -q $refc "$@" $(parts "$kind") >ref.out 2>ref.err
	rs=$?
	# shellcheck disable=SC2046
	"$K" $cmd -q "$@" $(states "$kind" "$tag") >flat.out 2>flat.err
	fs=$?
	"$K" $cmd -q "$@" "$kind/$tag-a.krs" "$kind/$tag-b.krs" >tree.out 2>tree.err
	ts=$?
	first=$(parts "$kind" | head -1)
	# shellcheck disable=SC2046
	"$K" $cmd -q --key-file key "$@" "$first" $(states "$kind" "$tag" | sed 1d) \
		>mixed.out 2>mixed.err
	ms=$?
	if [ $rs -ne 0 ] || [ $fs -ne 0 ] || [ $ts -ne 0 ] || [ $ms -ne 0 ]; then
		bad "$name: exit status ref $rs flat $fs tree $ts mixed $ms"
		cat flat.err tree.err mixed.err | head -5
		return
	fi
	same "$name (flat)" ref.out flat.out
	same "$name (tree)" ref.out tree.out
	same "$name (mixed)" ref.out mixed.out
}

for kind in rr chunk host day; do
	split_log $kind
	make_states $kind b --key-file key
	make_states $kind c --key-file key -c cat.csv
	# the states do not depend on the report options: one set serves all
	for fmt in csv json html table; do
		check $kind b analyze --format $fmt
		check $kind b analyze --format $fmt --funnel sequential --window 30m --by day \
			--since 2026-11-03T12:00 --until 2026-11-07T06:30:15 --details --min-cell 5
	done
	check $kind b analyze --format csv --funnel sequential
	check $kind b analyze --format csv --count hits --by week
	check $kind b analyze --format csv --by month --details
	check $kind b analyze --format json --count hits --since 2026-11-05 --min-cell 3
	check $kind b analyze --format json --until 2026-11-04T23:59:59 --by day
	check $kind c analyze -c cat.csv --format csv --peer --details
	check $kind c analyze -c cat.csv --format json --peer --funnel sequential --window 2h \
		--min-visitors 5 --by day --since 2026-11-02T08:00
	check $kind c analyze --format csv --peer --count hits
	check $kind c analyze --format html --lang en --peer --by week
	check $kind b compare --format csv --at 2026-11-05T10:00
	check $kind b compare --format table --funnel open --before 2026-11-02..2026-11-04 \
		--after 2026-11-05..2026-11-08T12:00 --min-cell 2
	check $kind c compare --format csv -c cat.csv --at 2026-11-04 --since 2026-11-03
done

# The logs of some e2e cases (formats, time zones, XFF, 5xx, --gemeente,
# malformed lines): one state per log, against one run over the logs.
# Each line: case | options for the states and the reference | report
# options | logs.
while IFS='|' read -r case sopts ropts logs; do
	[ -n "$case" ] || continue
	rm -rf e2e && cp -r "$ROOT/testdata/e2e/$case" e2e || { bad "e2e $case: copy"; continue; }
	for fmt in csv json; do
		name="e2e $case $ropts --format $fmt"
		eval "\"\$K\" analyze -q -c e2e/catalog.csv $sopts $ropts --format $fmt \
			$(for l in $logs; do printf ' e2e/%s' "$l"; done)" >ref.out 2>/dev/null
		sts=""
		for l in $logs; do
			eval "\"\$K\" analyze -q -c e2e/catalog.csv --key-file key $sopts --state e2e/$l.krs e2e/$l" ||
				bad "$name: state of $l"
			sts="$sts e2e/$l.krs"
		done
		# shellcheck disable=SC2086
		eval "\"\$K\" analyze -q $ropts --format $fmt $sts" >flat.out
		same "$name" ref.out flat.out
	done
done <<'CASES'
sequential-window||--funnel sequential --window 1h|access.log
since-until-seconds||--since 2026-03-02T10:00:00 --until 2026-03-02T23:59:59|access.log
fmt-mixed-inputs||--by day --min-visitors 1|a.log b.log c.json
details-5xx||--details --since 2026-11-02 --min-visitors 1|access.log
multi-match||--count hits|access.log
include-bots|--include-bots||access.log
fmt-xff|--client-from xff --trusted-proxies '10.0.0.0/8 192.168.0.0/16' --log-format '$remote_addr [$time_local] "$request" $status "$http_user_agent" "$http_x_forwarded_for" $host'|--by day --min-visitors 1|access.log
single-gemeente-no-host|||plain.log vhost.log
fmt-w3c-fields-change||--by day --min-visitors 1|u_ex261102.log
parallel-files||--funnel sequential|a.log b.log c.log
gemeente-option|--gemeente Beta||access.log
hostile-ipv6||--funnel sequential --window 90s|access.log
crlf-blank-malformed||--details|access.log
CASES

# The states of the parts give the report of the whole log in one piece.
for opts in "" "--funnel sequential --window 1h --by day" "--count hits --details"; do
	# shellcheck disable=SC2086
	"$K" analyze -q --format csv $opts all.log >whole.out
	# shellcheck disable=SC2086,SC2046
	"$K" analyze -q --format csv $opts $(states rr b) >parts.out
	if cmp -s whole.out parts.out && [ -s whole.out ]; then
		ok "whole log = round-robin states: $opts"
	else
		bad "whole log = round-robin states: $opts"
	fi
done

# A state merged from states is the same as the states themselves.
"$K" analyze -q --state tree.krs day/b-a.krs day/b-b.krs && "$K" analyze -q --format json \
	tree.krs >t1.out && "$K" analyze -q --format json $(states day b) >t2.out &&
	same "state of states" t1.out t2.out || bad "state of states"

# A state on standard input.
# shellcheck disable=SC2046
if "$K" analyze -q --format csv - $(states rr b | sed 1d) <rr/b-part1.krs >stdin.out &&
	"$K" analyze -q --format csv $(parts rr) >ref.out && cmp -s stdin.out ref.out; then
	ok "state on stdin"
else
	bad "state on stdin"
fi

# A log on standard input is still read whole (its first byte is looked at).
if "$K" analyze -q --format csv - <rr/part1.log >stdin.out &&
	"$K" analyze -q --format csv rr/part1.log >ref.out && cmp -s stdin.out ref.out; then
	ok "log on stdin"
else
	bad "log on stdin"
fi

# States do not depend on -j, nor reports from them.
"$K" analyze -q -j1 --key-file key --state j1.krs rr/part1.log rr/part2.log rr/part3.log
"$K" analyze -q -j3 --format json --funnel sequential --details j1.krs >j1.out
"$K" analyze -q -j1 --format json --funnel sequential --details rr/part1.log rr/part2.log \
	rr/part3.log >ref.out
same "states and -j" ref.out j1.out

# ---- keys ----------------------------------------------------------------
# Other keys, disjoint gemeenten (a split by host): accepted, and equal.
n=$(ls host/part*.log | wc -l)
i=1
while [ $i -le "$n" ]; do
	if [ $((i % 2)) -eq 0 ]; then kf="--key-file key2"; else kf=""; fi
	# shellcheck disable=SC2086
	"$K" analyze -q $kf --state "host/k-part$i.krs" "host/part$i.log"
	i=$((i + 1))
done
# shellcheck disable=SC2046
"$K" analyze -q --format json --funnel sequential --details $(states host k) >keys.out
ks=$?
# shellcheck disable=SC2046
"$K" analyze -q --format json --funnel sequential --details $(parts host) >ref.out
if [ $ks -eq 0 ]; then same "other keys, disjoint gemeenten" ref.out keys.out; else
	bad "other keys, disjoint gemeenten: exit $ks"; fi

# Other keys, shared gemeenten: refused with status 2, naming the gemeente.
"$K" analyze -q --key-file key2 --state rr/k2.krs rr/part2.log
"$K" analyze -q rr/b-part1.krs rr/k2.krs >/dev/null 2>keys.err
ks=$?
if [ $ks -eq 2 ] && grep -q "gemeente 'gemeente[0-9].nl' has requests in states (or logs) under different visitor keys" keys.err; then
	ok "other keys, shared gemeenten refused"
else
	bad "other keys, shared gemeenten refused (exit $ks)"
	cat keys.err
fi
# ... also when the log is read in the same run without the key.
"$K" analyze -q rr/part1.log rr/b-part2.krs >/dev/null 2>keys.err
ks=$?
if [ $ks -eq 2 ] && grep -q "different visitor keys" keys.err; then
	ok "log without the key and state with it refused"
else
	bad "log without the key and state with it refused (exit $ks)"
fi
# ... and a state of states keeps the fingerprint per gemeente.
"$K" analyze -q --state mixedkeys.krs host/k-part1.krs host/k-part2.krs
"$K" analyze -q --key-file key2 --state g1.krs host/part1.log
"$K" analyze -q mixedkeys.krs g1.krs >/dev/null 2>keys.err
ks=$?
if [ $ks -eq 2 ] && grep -q "different visitor keys" keys.err; then
	ok "merged state keeps its keys per gemeente"
else
	bad "merged state keeps its keys per gemeente (exit $ks)"
fi

# ---- catalogues and options ------------------------------------------------
"$K" analyze -q -c cat.csv --format csv $(states rr c) >c1.out 2>&1 &&
	"$K" analyze -q --format csv $(states rr c) >c2.out && cmp -s c1.out c2.out &&
	ok "-c equal to the state's catalogue" || bad "-c equal to the state's catalogue"

expect_fail() { # NAME STATUS TEXT CMD...
	name=$1 want=$2 text=$3
	shift 3
	"$@" >fail.out 2>fail.err
	st=$?
	if [ $st -eq "$want" ] && grep -qF -- "$text" fail.err && [ ! -s fail.out ]; then
		ok "$name"
	else
		bad "$name (exit $st)"
		cat fail.err
	fi
}
expect_fail "-c other than the state's catalogue" 2 "was made with another catalogue than 'other.csv'" \
	"$K" analyze -c other.csv rr/c-part1.krs
expect_fail "built-in and catalogue states" 2 "was made with another catalogue" \
	"$K" analyze rr/b-part1.krs rr/c-part2.krs
"$K" analyze -q --include-bots --key-file key --state bots.krs rr/part3.log
expect_fail "states of other --include-bots" 2 "other options" \
	"$K" analyze rr/b-part1.krs bots.krs
expect_fail "--state with --since" 2 "'--since' and '--until' apply when the report is made" \
	"$K" analyze --since 2026-11-03 --state x.krs rr/part1.log
expect_fail "--state with -o" 2 "cannot be combined with '-o'" \
	"$K" analyze -o x.csv --state x.krs rr/part1.log
expect_fail "compare --state" 2 "'--state' does not apply to compare" \
	"$K" compare --at 2026-11-04 --state x.krs rr/part1.log
cp key openkey && chmod 644 openkey
"$K" analyze --key-file openkey --state /dev/null rr/part1.log 2>open.err
if grep -q "key file 'openkey' can be read by every user (mode 0644)" open.err; then
	ok "a key file every user can read is warned about"
else
	bad "a key file every user can read is warned about"
fi
printf 'not a key\n' >badkey
expect_fail "bad key file" 2 "invalid key file 'badkey'" \
	"$K" analyze --key-file badkey rr/part1.log
[ ! -e x.krs ] && ok "no state left by refused runs" || bad "no state left by refused runs"

# An input that cannot be read: no state (exit 1), unless --keep-going.
"$K" analyze -q --state miss.krs rr/part1.log missing.log 2>miss.err
st=$?
if [ $st -eq 1 ] && [ ! -e miss.krs ] && grep -q "state 'miss.krs' not written" miss.err; then
	ok "no state when an input cannot be read"
else
	bad "no state when an input cannot be read (exit $st)"
fi
"$K" analyze -q --keep-going --key-file key --state miss.krs rr/part1.log missing.log 2>/dev/null
st=$?
"$K" analyze -q --format csv miss.krs >miss.out && "$K" analyze -q --format csv rr/b-part1.krs >ref.out
if [ $st -eq 1 ] && cmp -s miss.out ref.out; then
	ok "--keep-going writes the state of the readable inputs"
else
	bad "--keep-going writes the state of the readable inputs (exit $st)"
fi

# ---- damaged states ----------------------------------------------------------
size=$(wc -c <rr/b-part1.krs)
cp rr/b-part1.krs flip.krs
printf '\377' | dd of=flip.krs bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
expect_fail "damaged state" 2 "state 'flip.krs' is damaged: checksum mismatch" \
	"$K" analyze flip.krs
head -c $((size - 100)) rr/b-part1.krs >cut.krs
expect_fail "truncated state" 2 "state 'cut.krs' is cut short: $((size - 100)) of $size bytes" \
	"$K" analyze cut.krs rr/b-part2.krs
head -c 6 rr/b-part1.krs >cut6.krs
expect_fail "state cut inside its magic" 2 "state 'cut6.krs' is cut short" \
	"$K" analyze cut6.krs
cp rr/b-part1.krs new.krs
printf '\002' | dd of=new.krs bs=1 seek=8 conv=notrunc 2>/dev/null
expect_fail "newer state version" 2 "state 'new.krs' has format version 2; this klantreis reads version 1" \
	"$K" analyze new.krs
cat rr/b-part1.krs rr/b-part1.krs >two.krs
expect_fail "bytes after the state" 2 "state 'two.krs' is damaged: $size bytes after its end" \
	"$K" analyze two.krs
expect_fail "damaged state as -o input keeps -o" 2 "is damaged" \
	"$K" analyze -o keep.csv flip.krs
[ ! -e keep.csv ] && ok "no report from a damaged state" || bad "no report from a damaged state"

# A state holds no address, user agent or request target.
if LC_ALL=C grep -aq -e '10\.[0-9]*\.[0-9]*\.[0-9]' -e 'Mozilla' -e '/producten/' rr/b-part1.krs; then
	bad "state holds no address, user agent or target"
else
	ok "state holds no address, user agent or target"
fi

# --gemeente routes records as logs are read; a state already holds its
# gemeenten, so the option would be ignored: refused
expect_fail "--gemeente with state inputs" 2 "'--gemeente' does not apply to states" \
	"$K" analyze --gemeente Gemeente1 --format csv rr/b-part1.krs

# ---- keygen ----------------------------------------------------------------
if [ "$(stat -c %a key)" = 600 ] && grep -qx '[0-9a-f]\{32\}' key && [ "$(wc -l <key)" = 1 ]; then
	ok "keygen: one line of 32 hex digits, mode 0600"
else
	bad "keygen: one line of 32 hex digits, mode 0600"
fi
cp key key.bak
expect_fail "keygen refuses to overwrite" 1 "cannot create key file 'key': it exists" "$K" keygen key
cmp -s key key.bak && ok "keygen left the key as it was" || bad "keygen left the key as it was"
[ "$("$K" keygen)" != "$("$K" keygen)" ] && ok "keygen draws a new key each time" ||
	bad "keygen draws a new key each time"

echo "state: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
