#!/bin/sh
# site.sh - end-to-end tests of `analyze --format site -o DIR`: a site for
# 342 gemeenten x 10 products from a generated log (tests/bench/genlog.c),
# checked for its page count, file names, page sizes, links, that nothing
# is loaded from elsewhere, --min-cell on every page, --lang en, the
# atomic replacement of an old site (also through a symbolic link, and
# that a failed run leaves the old site), and WCAG 2.1 A/AA with axe-core
# on every page type in real Chromium (tests/site_axe.js).
#
#   KLANTREIS=./klantreis sh tests/site.sh
#
# The catalogue is genlog's, with some gemeenten renamed to test the
# file names ('s-Hertogenbosch and "S Hertogenbosch" collide) and
# escaping, and a peer column. The log: SITE_LINES lines (default
# 200000) over 7 days.
#
# axe-core and puppeteer-core come from npm into build/npm (SITE_NPM
# overrides), installed when missing; the browser is Debian's chromium
# (CHROMIUM overrides). Without chromium, node or npm the axe checks are
# skipped with a note, unless CI is "true": then that is a failure.
# Prints "ok NAME" / "FAIL NAME" per check and "site: N passed, N failed";
# exits 1 when a check failed.

root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
: "${KLANTREIS:=./klantreis}"
case $KLANTREIS in
/*) ;;
*/*) KLANTREIS=$(pwd)/$KLANTREIS ;;
esac
if ! [ -x "$KLANTREIS" ] && ! command -v "$KLANTREIS" >/dev/null 2>&1; then
	echo "site: program '$KLANTREIS' not found (set KLANTREIS)" >&2
	exit 2
fi
: "${SITE_LINES:=200000}"
: "${SITE_NPM:=$root/build/npm}"
: "${CC:=cc}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/klantreis-site.XXXXXX") || exit 2
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0
failed=0
ok() {
	echo "ok $1"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL $1"
	shift
	for line; do
		printf '    %s\n' "$line"
	done
	failed=$((failed + 1))
}
# check NAME TEST...: ok when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		fail "$name" "failed: $*"
	fi
}

# --- the input: 342 gemeenten x 10 products ----------------------------
$CC -O2 -o "$tmp/genlog" "$root/tests/bench/genlog.c" || exit 2
"$tmp/genlog" -n "$SITE_LINES" -g 342 -p 10 -d 7 -c "$tmp/gen.csv" >"$tmp/access.log" || exit 2
# names for the file-name checks; a peer group by size class
awk -F, 'NR == 1 { print $0 ",peer"; next }
{
	n = substr($1, 10) + 0
	name = $1
	if (n == 1) name = "\047s-Hertogenbosch"
	if (n == 2) name = "S\303\272dwest-Frysl\303\242n"
	if (n == 3) name = "S Hertogenbosch"
	if (n == 4) name = "Bergen (L.)"
	if (n == 5) name = "Bergen (NH.)"
	if (n == 6) name = "<Gamma> & Co"
	$1 = name
	print $0 "," (n % 3 == 0 ? "groot" : n % 3 == 1 ? "middel" : "klein")
}' OFS=, "$tmp/gen.csv" >"$tmp/catalog.csv" || exit 2

# site NAME ARGS...: makes $tmp/NAME from the log; ok/FAIL NAME-run.
site() {
	name=$1
	shift
	if (cd "$tmp" && "$KLANTREIS" analyze -q -c catalog.csv --format site -o "$name" "$@" \
		access.log 2>"$tmp/$name.err"); then
		ok "$name-run"
	else
		fail "$name-run" "$(head -n 5 "$tmp/$name.err")"
		return 1
	fi
}

# pages DIR: the pages of a site, one per line.
pages() {
	(cd "$1" && find . -type f -name '*.html' | sed 's|^\./||' | sort)
}

# links DIR: every internal link of every page resolves to a page of the
# site, and every #fragment to an id on that page; none leaves the site.
links() {
	python3 - "$1" <<'EOF'
import os, re, sys
root = sys.argv[1]
ids, hrefs = {}, []
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.relpath(os.path.join(d, f), root)
        text = open(os.path.join(d, f), encoding='utf-8').read()
        ids[p] = set(re.findall(r'\bid="([^"]*)"', text))
        hrefs += [(p, h) for h in re.findall(r'\bhref="([^"]*)"', text)]
bad = []
for page, h in hrefs:
    target, _, frag = h.partition('#')
    if re.match(r'^[a-z]+:', target) or target.startswith('/'):
        bad.append(f'{page}: {h} leaves the site')
        continue
    t = os.path.normpath(os.path.join(os.path.dirname(page), target)) if target else page
    if t not in ids:
        bad.append(f'{page}: {h} -> {t} missing')
    elif frag and frag not in ids[t]:
        bad.append(f'{page}: {h}: no id "{frag}" in {t}')
print(f'{len(hrefs)} links')
for b in bad[:5]:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

# --- Dutch, by day -----------------------------------------------------
if site nl --by day --min-visitors 5; then
	d=$tmp/nl
	pages "$d" >"$tmp/nl.pages"
	# index, about, 342 gemeenten, 10 products
	n=$(wc -l <"$tmp/nl.pages" | tr -d ' ')
	if [ "$n" = 354 ]; then ok nl-page-count; else fail nl-page-count "$n pages, expected 354"; fi
	check nl-site-mark test -f "$d/.klantreis-site"
	for f in index.html about.html gemeente/s-hertogenbosch.html \
		gemeente/sudwest-fryslan.html gemeente/s-hertogenbosch-2.html \
		gemeente/bergen-l.html gemeente/bergen-nh.html gemeente/gamma-co.html \
		gemeente/gemeente-342.html product/paspoort-aanvragen.html \
		product/kwijtschelding.html; do
		check "nl-file-$f" test -s "$d/$f"
	done
	# the collision went to the later name in catalogue order
	check nl-collision grep -q -F '<h1>S Hertogenbosch</h1>' "$d/gemeente/s-hertogenbosch-2.html"
	check nl-escaped grep -q -F '<h1>&lt;Gamma&gt; &amp; Co</h1>' "$d/gemeente/gamma-co.html"
	big=$(find "$d" -type f -size +1024k)
	if [ -z "$big" ]; then ok nl-sizes; else fail nl-sizes "over 1 MB: $big"; fi
	largest=$(find "$d" -type f -exec wc -c {} + | sort -n | tail -n 2 | head -n 1)
	echo "    largest page: $largest"
	if out=$(links "$d"); then ok "nl-links ($out)"; else fail nl-links "$out"; fi
	if grep -r -l -i -E '(src=|<link|<script|@import|url\(|https?://)' "$d" >"$tmp/nl.ext"; then
		fail nl-self-contained "$(head -n 3 "$tmp/nl.ext")"
	else
		ok nl-self-contained
	fi
	check nl-lang test "$(grep -r -L --include='*.html' '<html lang="nl">' "$d" | wc -l)" = 0
	# the A-Z list links every gemeente; the index shows a chart per product
	check nl-az test "$(grep -o 'href="gemeente/[^"]*"' "$d/index.html" | sort -u | wc -l)" = 342
	check nl-histograms test "$(grep -c 'class="histogram"' "$d/index.html")" = 10
	# a gemeente page: a funnel per product, a trend over the 7 days
	g=$d/gemeente/s-hertogenbosch.html
	check nl-funnels test "$(grep -c 'class="funnel-chart"' "$g")" = 10
	check nl-trend test "$(grep -c '<h4>Conversie per periode</h4>' "$g")" = 10
	check nl-trend-charts test "$(grep -c 'class="trend-chart"' "$g")" = 10
	check nl-trend-days grep -q -F '<td>2026-11-08</td>' "$g"
	check nl-interval grep -q -F '95%-interval' "$g"
	# 5xx on completion (genlog makes a few): shown on some page
	check nl-errors test "$(grep -l 'class="errors"' "$d"/gemeente/*.html | wc -l)" -gt 0
	# a product page ranks every gemeente
	check nl-product-rows test "$(grep -c '<tr><td>' "$d/product/paspoort-aanvragen.html")" = 342
	# small counts are there without --min-cell (so the check below can fail)
	check nl-small-counts test "$(grep -h -o -E 'data-label="(Info|Formulier|Afgerond)">[1-4]<' \
		"$d"/product/*.html | wc -l)" -gt 0
fi

# --- English, --min-cell 5, --peer -------------------------------------
if site en --lang en --min-cell 5 --peer --min-visitors 20; then
	d=$tmp/en
	n=$(pages "$d" | wc -l | tr -d ' ')
	if [ "$n" = 354 ]; then ok en-page-count; else fail en-page-count "$n pages, expected 354"; fi
	check en-lang test "$(grep -r -L --include='*.html' '<html lang="en">' "$d" | wc -l)" = 0
	check en-label grep -q -F 'All municipalities A to Z' "$d/index.html"
	check en-peer grep -q -F 'Median of peer group middel' "$d/gemeente/s-hertogenbosch.html"
	if out=$(links "$d"); then ok "en-links ($out)"; else fail en-links "$out"; fi
	# --min-cell 5: no count from 1 to 4 on any page, in tables or charts
	if grep -r -h -o -E 'data-label="(Info|Form|Completed)">[1-4]<|(viewed|started|completed) [1-4][,"]|class="count"[^>]*>[1-4]<' \
		"$d" >"$tmp/en.small"; then
		fail en-min-cell "$(sort -u "$tmp/en.small" | head -n 3)"
	else
		ok en-min-cell
	fi
	check en-min-cell-about grep -q -F 'Counts from 1 to 4 are hidden' "$d/about.html"
fi

# --- atomic replacement -----------------------------------------------
if [ -d "$tmp/nl" ]; then
	touch "$tmp/nl/old-marker"
	ino=$(ls -di "$tmp/nl" | cut -d' ' -f1)
	if site nl --by day --min-visitors 5; then
		check swap-old-gone test ! -e "$tmp/nl/old-marker"
		check swap-new-tree test "$(ls -di "$tmp/nl" | cut -d' ' -f1)" != "$ino"
		check swap-no-leftovers test -z "$(find "$tmp" -maxdepth 1 \( -name 'nl.tmp-*' -o -name 'nl.old-*' \))"
	fi
	# a run that fails while writing (file size limit, EFBIG) leaves the
	# old site and no temporary tree
	touch "$tmp/nl/old-marker"
	if (trap '' XFSZ; ulimit -f 8; cd "$tmp" && "$KLANTREIS" analyze -q -c catalog.csv \
		--format site -o nl access.log 2>"$tmp/fail.err"); then
		fail swap-failure-status "exit 0 despite the size limit"
	else
		ok swap-failure-status
	fi
	check swap-failure-keeps test -e "$tmp/nl/old-marker"
	# the message names the user's directory, not the temporary tree
	check swap-failure-message grep -q "^klantreis: cannot write 'nl/index.html': File too large" \
		"$tmp/fail.err"
	check swap-failure-no-leftovers test -z "$(find "$tmp" -maxdepth 1 \( -name 'nl.tmp-*' -o -name 'nl.old-*' \))"
fi
# DIR a symbolic link: the link is replaced, the old tree (ours) removed
mkdir "$tmp/real" && ln -s real "$tmp/link"
if site link --min-visitors 5; then
	check link-is-link test -L "$tmp/link"
	first=$(readlink "$tmp/link")
	case $first in link.tmp-*) ok link-target ;; *) fail link-target "points to '$first'" ;; esac
	check link-old-kept test -d "$tmp/real"
	if site link --min-visitors 5; then
		second=$(readlink "$tmp/link")
		check link-new-target test "$second" != "$first" -a -s "$tmp/$second/index.html"
		check link-first-removed test ! -e "$tmp/$first"
	fi
fi
# benchmark of the CSV report (with --details: its 5xx columns) makes the
# same gemeente and product pages as analyze (the headers differ: the
# report has no days)
if (cd "$tmp" && "$KLANTREIS" analyze -q -c catalog.csv --details --min-visitors 5 \
	--format csv -o report.csv access.log &&
	SOURCE_DATE_EPOCH=1700000000 "$KLANTREIS" analyze -q -c catalog.csv --min-visitors 5 \
		--format site -o fromlog access.log &&
	SOURCE_DATE_EPOCH=1700000000 "$KLANTREIS" benchmark -q -c catalog.csv --min-visitors 5 \
		--format site -o fromreport report.csv) 2>"$tmp/bench.err"; then
	differ=
	for f in $(cd "$tmp/fromlog" && find gemeente product -type f); do
		sed -n '/<main/,/<\/main>/p' "$tmp/fromlog/$f" >"$tmp/a.main"
		sed -n '/<main/,/<\/main>/p' "$tmp/fromreport/$f" >"$tmp/b.main" 2>/dev/null
		cmp -s "$tmp/a.main" "$tmp/b.main" || differ="$differ $f"
	done
	if [ -z "$differ" ]; then ok benchmark-site; else fail benchmark-site "differ:$differ"; fi
else
	fail benchmark-site "$(head -n 3 "$tmp/bench.err")"
fi

# a site from a state (analyze --state) equals the site from the log
if (cd "$tmp" && "$KLANTREIS" analyze -q -c catalog.csv --state access.krs access.log &&
	SOURCE_DATE_EPOCH=1700000000 "$KLANTREIS" analyze -q --min-visitors 5 --by day \
		--format site -o fromstate access.krs) 2>"$tmp/state.err"; then
	(cd "$tmp" && SOURCE_DATE_EPOCH=1700000000 "$KLANTREIS" analyze -q -c catalog.csv \
		--min-visitors 5 --by day --format site -o fromlog2 access.log)
	if diff -r "$tmp/fromlog2" "$tmp/fromstate" >"$tmp/state.diff"; then
		ok state-site
	else
		fail state-site "$(head -n 5 "$tmp/state.diff")"
	fi
else
	fail state-site "$(head -n 3 "$tmp/state.err")"
fi

# refused: no -o, and -o naming a file
if "$KLANTREIS" analyze -q -c "$tmp/catalog.csv" --format site "$tmp/access.log" \
	>/dev/null 2>"$tmp/noout.err"; then
	fail site-needs-o "exit 0"
else
	check site-needs-o grep -q "needs '-o DIR'" "$tmp/noout.err"
fi
: >"$tmp/afile"
if "$KLANTREIS" analyze -q -c "$tmp/catalog.csv" --format site -o "$tmp/afile" \
	"$tmp/access.log" 2>"$tmp/afile.err"; then
	fail site-not-dir "exit 0"
else
	check site-not-dir grep -q "Not a directory" "$tmp/afile.err"
fi

# --- WCAG 2.1 A/AA: axe-core in Chromium on every page type ---------------
browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser google-chrome-stable google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then
			browser=$(command -v "$b")
			break
		fi
	done
fi
missing=
[ -n "$browser" ] || missing="chromium"
command -v node >/dev/null 2>&1 || missing="$missing node"
if [ -z "$missing" ] && { ! [ -f "$SITE_NPM/node_modules/axe-core/axe.min.js" ] ||
	! [ -d "$SITE_NPM/node_modules/puppeteer-core" ]; }; then
	if command -v npm >/dev/null 2>&1; then
		mkdir -p "$SITE_NPM" &&
			npm install --prefix "$SITE_NPM" --no-audit --no-fund --loglevel=error \
				axe-core puppeteer-core >"$tmp/npm.log" 2>&1 ||
			missing="$missing axe-core/puppeteer-core (npm install failed: $(tail -n 1 "$tmp/npm.log"))"
	else
		missing="$missing npm"
	fi
fi
if [ -n "$missing" ]; then
	if [ "${CI:-}" = true ]; then
		fail axe "missing:$missing, and CI=true"
	else
		echo "site: axe checks skipped, missing:$missing"
	fi
elif [ -d "$tmp/nl" ] && [ -d "$tmp/en" ]; then
	# every page type in both languages: index, about, a gemeente (with
	# --peer and --min-cell in en), a product
	set -- nl/index.html nl/about.html nl/gemeente/s-hertogenbosch.html \
		nl/product/paspoort-aanvragen.html en/index.html en/about.html \
		en/gemeente/gamma-co.html en/product/kwijtschelding.html
	limit=
	command -v timeout >/dev/null 2>&1 && limit="timeout 120"
	(cd "$tmp" && NODE_PATH=$SITE_NPM/node_modules $limit node "$root/tests/site_axe.js" \
		"$browser" "$@") >"$tmp/axe.out" 2>&1
	st=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		"    "*) echo "$line" ;;
		esac
	done <"$tmp/axe.out"
	if [ "$st" -gt 1 ] || ! grep -q '^ok axe-' "$tmp/axe.out"; then
		fail axe-run "$(tail -n 5 "$tmp/axe.out")"
	fi
fi

echo "site: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
