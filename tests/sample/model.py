#!/usr/bin/env python3
"""model.py - the bundled sample's figures, computed without klantreis.

    python3 tests/sample/model.py open|sequential|hits LOG    # analyze --format csv
    python3 tests/sample/model.py compare DATE LOG            # compare --at DATE --format csv

An independent model of the rules of klantreis(1), MEASUREMENT, for the
sample's vocabulary: it reads the vhost_combined log written by
tests/sample/gensample.py (plain or gzip), keeps GET/POST with status
200-399 from non-bots ("Which requests count"), maps each target to a
(product, step) by the URL scheme gensample.py uses (not by the
built-in catalogue's patterns), and prints what `klantreis analyze` (or
`compare`) with the built-in catalogue must print: every host is a
gemeente, products in catalogue order, the open or sequential funnel
(24-hour window), the benchmark ("Rates and benchmark") and the z-test
("Before and after").
tests/consistency.sh compares the two; the e2e cases sample-* hold its
output as their expected files.
"""
import gzip
import math
import re
import sys

PRODUCTS = [  # name, info paths, e-form base, done word (as gensample.py)
    ("Verhuizing doorgeven", ["/producten/verhuizing-doorgeven", "/verhuizen",
                              "/wonen/verhuizing-doorgeven"], "/e-formulier/verhuizing", "bedankt"),
    ("Parkeervergunning", ["/producten/parkeervergunning", "/parkeren/parkeervergunning-aanvragen"],
     "/e-formulier/parkeervergunning", "bedankt"),
    ("Uittreksel BRP", ["/producten/uittreksel-brp"], "/e-formulier/uittreksel-brp", "verzonden"),
    ("Paspoort of ID-kaart aanvragen", ["/producten/paspoort-aanvragen", "/paspoort"],
     "/afspraak/paspoort", "bevestiging"),
    ("Rijbewijs aanvragen of verlengen", ["/producten/rijbewijs-verlengen"],
     "/afspraak/rijbewijs", "bevestiging"),
    ("Grofvuil ophalen", ["/afval/grofvuil", "/producten/grofvuil-ophalen"],
     "/e-formulier/grofvuil-ophalen", "verzonden"),
    ("Melding openbare ruimte", ["/melding-openbare-ruimte", "/producten/melding-openbare-ruimte"],
     "/e-formulier/melding-openbare-ruimte", "bedankt"),
    ("Geboorteaangifte", ["/producten/geboorteaangifte"], "/e-formulier/geboorteaangifte", "bedankt"),
    ("Bijstand aanvragen", ["/werk-en-inkomen/bijstand-aanvragen"], "/e-formulier/bijstand", "verzonden"),
    ("Kwijtschelding gemeentelijke belastingen", ["/belastingen/kwijtschelding"],
     "/e-formulier/kwijtschelding", "bedankt"),
]
BOT_TOKENS = ("bot crawl spider slurp curl/ wget/ python-requests python-urllib aiohttp "
              "go-http-client java/ libwww httpclient okhttp axios/ node-fetch scrapy "
              "headlesschrome phantomjs facebookexternalhit siteimprove uptime pingdom "
              "monitor preview check_http zabbix nagios lighthouse").split()
LINE = re.compile(r'^(\S+?)(?::\d+)? (\S+) \S+ \S+ \[(\d\d)/(\w\w\w)/(\d{4}):(\d\d):(\d\d):(\d\d) '
                  r'([+-])(\d\d)(\d\d)\] "([^"]*)" (\d{3}) \S+ "[^"]*" "([^"]*)"$')
MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
WINDOW = 24 * 3600


def step_of(target):
    """(product index, step 0..2) of a target, or None."""
    path = target.split("?", 1)[0]
    for i, (_, infos, base, done) in enumerate(PRODUCTS):
        if path in infos:
            return i, 0
        if path == base + "/" + done:
            return i, 2
        if path in (base + "/start", base + "/stap-2", base + "/verzenden"):
            return i, 1
    return None


def records(path):
    """Qualifying records: (host, visitor key, wall day, wall seconds,
    instant seconds, target)."""
    op = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with op(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            host, client, dd, mon, yy, hh, mi, ss, sg, oh, om, req, status, ua = m.groups()
            parts = req.split(" ")
            if len(parts) < 2 or parts[0] not in ("GET", "POST"):
                continue
            if not 200 <= int(status) <= 399:
                continue
            low = ua.lower()
            if ua in ("", "-") or any(t in low for t in BOT_TOKENS):
                continue
            day = (int(yy), MONTHS[mon], int(dd))
            # days since 2026-11-01 (the sample holds November only)
            assert day[:2] == (2026, 11)
            wall = (day[2] - 1) * 86400 + int(hh) * 3600 + int(mi) * 60 + int(ss)
            off = (int(oh) * 3600 + int(om) * 60) * (1 if sg == "+" else -1)
            host = host.lower()
            # the built-in catalogue: www.x.nl and x.nl are one gemeente, x.nl
            if host.startswith('www.') and '.' in host[4:]:
                host = host[4:]
            yield host, (client, ua, day), day, wall, wall - off, parts[1]


def funnel(recs, mode):
    """{(host, product): [info, form, done]} and the hosts seen (the
    report lists them by name)."""
    hosts = []
    events = {}   # (host, product, visitor) -> [(instant, step)]
    hits = {}
    for host, vis, _day, _wall, inst, target in recs:
        if host not in hosts:
            hosts.append(host)
        s = step_of(target)
        if s is None:
            continue
        p, k = s
        events.setdefault((host, p, vis), []).append((inst, k))
        hits.setdefault((host, p), [0, 0, 0])[k] += 1
    if mode == "hits":
        return hits, hosts
    counts = {}
    for (host, p, _vis), ev in events.items():
        c = counts.setdefault((host, p), [0, 0, 0])
        if mode == "open":
            for k in {k for _, k in ev}:
                c[k] += 1
            continue
        level = 0
        for t1, k1 in ev:
            if k1 != 0:
                continue
            lv = 1
            forms = [t for t, k in ev if k == 1 and t1 <= t <= t1 + WINDOW]
            if forms:
                lv = 2
                t2 = min(forms)
                if any(k == 2 and t2 <= t <= t1 + WINDOW for t, k in ev):
                    lv = 3
            level = max(level, lv)
        for k in range(level):
            c[k] += 1
    return counts, hosts


def rate(a, b):
    return "" if b == 0 else "%.4f" % (a / b)


def analyze(counts, hosts, min_visitors=30):
    print("gemeente,product,info,form,done,form_rate,done_rate,conversion,"
          "median_conversion,rank,ranked,potential_gain")
    rows = [(h, p, counts.get((h, p), [0, 0, 0])) for h in hosts for p in range(len(PRODUCTS))]
    bench = {}
    for p in range(len(PRODUCTS)):
        convs = sorted(n[2] / n[0] for h, q, n in rows if q == p and n[0] >= min_visitors and n[0] > 0)
        if convs:
            k = len(convs)
            med = convs[k // 2] if k % 2 else (convs[k // 2 - 1] + convs[k // 2]) / 2
            bench[p] = (med, convs)
    for h, p, n in rows:
        out = [h, PRODUCTS[p][0], str(n[0]), str(n[1]), str(n[2]),
               rate(n[1], n[0]), rate(n[2], n[1]), rate(n[2], n[0])]
        if p in bench:
            med, convs = bench[p]
            out.append("%.4f" % med)
            if n[0] >= min_visitors and n[0] > 0:
                conv = n[2] / n[0]
                out += [str(1 + sum(c > conv for c in convs)), str(len(convs)),
                        str(max(0, math.floor(med * n[0] + 0.5) - n[2]))]
            else:
                out += ["", str(len(convs)), ""]
        else:
            out += ["", "", "", ""]
        print(",".join(out))


def compare(path, at):
    y, mo, d = (int(x) for x in at.split("-"))
    assert (y, mo) == (2026, 11)
    cut = (d - 1) * 86400
    recs = list(records(path))
    hosts = []
    for r in recs:
        if r[0] not in hosts:
            hosts.append(r[0])
    side = [funnel([r for r in recs if r[3] < cut], "sequential")[0],
            funnel([r for r in recs if r[3] >= cut], "sequential")[0]]
    print("gemeente,product,info_before,done_before,conversion_before,info_after,"
          "done_after,conversion_after,change,p_value,significant")
    for h in sorted(hosts):
        for p in range(len(PRODUCTS)):
            b = side[0].get((h, p), [0, 0, 0])
            a = side[1].get((h, p), [0, 0, 0])
            out = [h, PRODUCTS[p][0], str(b[0]), str(b[2]), rate(b[2], b[0]),
                   str(a[0]), str(a[2]), rate(a[2], a[0])]
            if b[0] and a[0]:
                cb, ca = b[2] / b[0], a[2] / a[0]
                out.append("%.4f" % (ca - cb))
                pool = (b[2] + a[2]) / (b[0] + a[0])
                if 0 < pool < 1:
                    z = (ca - cb) / math.sqrt(pool * (1 - pool) * (1 / b[0] + 1 / a[0]))
                    pv = math.erfc(abs(z) / math.sqrt(2))
                    out += ["%.4f" % pv, "yes" if pv < 0.05 else "no"]
                else:
                    out += ["", ""]
            else:
                out += ["", "", ""]
            print(",".join(out))


def main():
    if len(sys.argv) == 3 and sys.argv[1] in ("open", "sequential", "hits"):
        counts, hosts = funnel(records(sys.argv[2]), sys.argv[1])
        analyze(counts, sorted(hosts))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[3], sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
