#!/usr/bin/env python3
"""gensample.py - the bundled sample log testdata/sample/access.log.gz.

    python3 tests/sample/gensample.py | gzip -n -9 > testdata/sample/access.log.gz
    (or: make sample)

Writes exactly 30,000 vhost_combined lines in time order to stdout: four
weeks (Monday 2026-11-02 to Sunday 2026-11-29, +0100) of six gemeenten,
www.gemeente1.nl (the largest) to www.gemeente6.nl (a small one, below
--min-visitors for most products), with URLs the built-in catalogue
(`klantreis catalog`) knows. The log tells a story a newcomer can find:

  * visitors really go info -> form -> done: they read a product page,
    start its e-form a few minutes later, and some finish it a few minutes
    after that; others drop out at each step (how many differs per
    gemeente and product), so the open and the sequential funnel both show
    a benchmark worth reading;
  * some come back the next day, or start an e-form straight from a search
    engine: the open funnel counts them, the sequential one does not;
  * on Monday 2026-11-16 www.gemeente2.nl replaced its moving e-form
    (Verhuizing doorgeven): from that day most visitors who start it also
    finish it, where before most gave up. `compare --at 2026-11-16` shows a
    significant rise there and nowhere else by design (`--by week` shows
    the step in weeks 47 and 48);
  * and what real logs hold besides: static assets (some 304), ordinary
    pages, search engines, a monitoring probe, scripts, scanners probing
    for /wp-login.php, 404s for old links, 5xx on a form submit (retried),
    HEAD and OPTIONS requests, a timed-out connection ("-", 408), a TLS
    handshake sent to the plain port (400) and one line cut short (the only
    malformed line).

Deterministic: its own splitmix64 generator and integer arithmetic only,
so every Python 3 gives the same bytes. tests/sample/model.py recomputes
the figures from the log alone, independently of klantreis.
"""
import sys

MASK = (1 << 64) - 1


class Rng:
    """splitmix64, as tests/bench/genlog.c."""

    def __init__(self, seed):
        self.s = seed & MASK

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def chance(self, permille):
        """True with probability permille/1000."""
        return self.below(1000) < permille

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def weighted(self, weights):
        r = self.below(sum(weights))
        for i, w in enumerate(weights):
            if r < w:
                return i
            r -= w
        return len(weights) - 1


DAYS = 28            # 2026-11-02 (Monday) .. 2026-11-29
FIRST_DAY = 2
CHANGE_DAY = 16      # www.gemeente2.nl's new moving e-form, from Monday 16 Nov
TOTAL_LINES = 30000
NGEM = 6

# Traffic share per gemeente (permille of funnel sessions).
GEM_WEIGHT = [300, 250, 190, 140, 90, 30]
# Per gemeente: permille of info visitors that start the e-form, and of
# those that finish it.
GEM_FORM = [450, 420, 500, 360, 430, 520]
GEM_DONE = [680, 620, 560, 740, 500, 640]

# Products in built-in catalogue order: info pages (any of them), the
# e-form's base path, the word of its last page, popularity, and
# multipliers (permille) of the start and finish rates.
PRODUCTS = [
    (["/producten/verhuizing-doorgeven", "/verhuizen", "/wonen/verhuizing-doorgeven"],
     "/e-formulier/verhuizing", "bedankt", 260, 1100, 1000),
    (["/producten/parkeervergunning", "/parkeren/parkeervergunning-aanvragen"],
     "/e-formulier/parkeervergunning", "bedankt", 110, 900, 1050),
    (["/producten/uittreksel-brp"],
     "/e-formulier/uittreksel-brp", "verzonden", 80, 1200, 1150),
    (["/producten/paspoort-aanvragen", "/paspoort"],
     "/afspraak/paspoort", "bevestiging", 150, 1350, 1100),
    (["/producten/rijbewijs-verlengen"],
     "/afspraak/rijbewijs", "bevestiging", 90, 1250, 1100),
    (["/afval/grofvuil", "/producten/grofvuil-ophalen"],
     "/e-formulier/grofvuil-ophalen", "verzonden", 110, 1000, 1200),
    (["/melding-openbare-ruimte", "/producten/melding-openbare-ruimte"],
     "/e-formulier/melding-openbare-ruimte", "bedankt", 120, 1100, 1250),
    (["/producten/geboorteaangifte"],
     "/e-formulier/geboorteaangifte", "bedankt", 35, 900, 1100),
    (["/werk-en-inkomen/bijstand-aanvragen"],
     "/e-formulier/bijstand", "verzonden", 45, 700, 750),
    (["/belastingen/kwijtschelding"],
     "/e-formulier/kwijtschelding", "bedankt", 60, 800, 800),
]

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
]
CRAWLERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Siteimprove.com; +https://www.siteimprove.com)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
]
SCRIPTS = ["curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1", "-"]
PROBE = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
ASSETS = ["/css/main.css", "/js/app.js", "/images/logo.svg", "/fonts/rijksoverheid.woff2"]
PAGES = [
    "/", "/", "/", "/nieuws", "/contact", "/afval", "/afval/afvalkalender", "/wonen",
    "/werken", "/openingstijden", "/bestuur/gemeenteraad", "/zoeken?q=paspoort",
    "/zoeken?q=verhuizen", "/zoeken?q=grofvuil", "/nieuws/2026/11/werkzaamheden-centrum",
    "/nieuws/2026/11/sinterklaasintocht", "/parkeren", "/belastingen", "/werk-en-inkomen",
]
SCANS = ["/wp-login.php", "/.env", "/xmlrpc.php", "/admin/config.php", "/.git/config",
         "/phpmyadmin/index.php"]
OLD_LINKS = ["/digitaal-loket", "/producten-en-diensten/verhuizen.aspx",
             "/loket/paspoort.html", "/pdc/grofvuil", "/formulieren/oud/melding"]
REFERERS = ["https://www.google.com/", "https://www.google.nl/", "https://www.bing.com/", "-"]
MONTH = "Nov"
# Hours of the day (weights): quiet nights, busy office hours, an evening.
HOUR_W = [2, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 20, 17, 19, 20, 18, 15, 12, 11, 12, 11, 9, 6, 4]

# The seed: 20261116 + SEED_OFFSET; with this offset chance alone makes no
# other row of `compare --at 2026-11-16` significant at 0.05 (the 60
# z-tests would give about three such false alarms on average).
SEED_OFFSET = int(sys.argv[1]) if len(sys.argv) > 1 else 20
rng = Rng(20261116 + SEED_OFFSET)
events = []   # (seconds since 2026-11-02 00:00 wall, seq, line)


def host(g):
    return "www.gemeente%d.nl" % (g + 1)


def fmt_time(t):
    day = FIRST_DAY + t // 86400
    return "%02d/%s/2026:%02d:%02d:%02d +0100" % (
        day, MONTH, t // 3600 % 24, t // 60 % 60, t % 60)


def emit(t, g, client, method, target, status, size, referer, agent, proto="HTTP/1.1"):
    req = "%s %s %s" % (method, target, proto) if method else target
    line = '%s:443 %s - - [%s] "%s" %s %s "%s" "%s"' % (
        host(g), client, fmt_time(t), req, status, size, referer, agent)
    events.append((t, len(events), line))


def when():
    """A moment: a day (weekends quieter) and a time of day."""
    while True:
        d = rng.below(DAYS)
        if d % 7 < 5 or rng.chance(500):
            break
    return d * 86400 + rng.weighted(HOUR_W) * 3600 + rng.below(3600)


# ISP-like /16 blocks the visitors come from (made up, not anyone's).
BLOCKS = [(77, 160), (77, 161), (84, 80), (84, 82), (86, 88), (145, 53), (62, 194),
          (213, 124), (94, 212), (31, 201), (82, 168), (217, 121)]


def client():
    a, b = rng.pick(BLOCKS)
    return "%d.%d.%d.%d" % (a, b, rng.below(256), 1 + rng.below(254))


def assets(t, g, c, agent, page, cached):
    """The page's assets a second or two after it: 304 when cached."""
    n = 0
    for a in ASSETS[:2 + rng.below(3)]:
        if cached and rng.chance(600):
            continue
        t += rng.below(2)
        emit(t, g, c, "GET", a + "?v=42", 304 if cached else 200,
             0 if cached else 2000 + rng.below(60000), "https://%s%s" % (host(g), page), agent)
        n += 1
    return n


def product_page(p, g):
    return rng.pick(PRODUCTS[p][0]) + ("?utm_source=nieuwsbrief" if rng.chance(60) else "")


def form_pages(t, g, c, agent, p, finish, referer):
    """Starts product p's e-form at t; finishes it when finish. Returns the
    time of the last request."""
    base, done_word = PRODUCTS[p][1], PRODUCTS[p][2]
    emit(t, g, c, "GET", base + "/start", 200, 9000 + rng.below(9000), referer, agent)
    t += 1
    emit(t, g, c, "GET", "/js/formulier.js?v=7", 200, 31000, "https://%s%s/start" % (host(g), base), agent)
    if rng.chance(700) or finish:
        t += 40 + rng.below(200)
        emit(t, g, c, "POST", base + "/stap-2", 302, 0, "https://%s%s/start" % (host(g), base), agent)
        t += 1
        emit(t, g, c, "GET", base + "/stap-2", 200, 12000 + rng.below(5000),
             "https://%s%s/start" % (host(g), base), agent)
    if finish:
        t += 60 + rng.below(600)
        ref = "https://%s%s/stap-2" % (host(g), base)
        if rng.chance(30):   # the form server fails; the visitor tries again
            emit(t, g, c, "POST", base + "/verzenden", 502, 150, ref, agent)
            t += 20 + rng.below(60)
        emit(t, g, c, "POST", base + "/verzenden", 303, 0, ref, agent)
        t += 1
        emit(t, g, c, "GET", base + "/" + done_word, 200, 7000 + rng.below(2000), ref, agent)
    return t


def funnel_session(g, p):
    t = when()
    c, agent = client(), rng.pick(AGENTS)
    page = product_page(p, g)
    emit(t, g, c, "GET", page, 200, 14000 + rng.below(20000), rng.pick(REFERERS), agent)
    assets(t, g, c, agent, page, rng.chance(300))
    start = GEM_FORM[g] * PRODUCTS[p][4] // 1000
    finish = GEM_DONE[g] * PRODUCTS[p][5] // 1000
    if g == 1 and p == 0:   # www.gemeente2.nl's moving e-form
        finish = 880 if t >= (CHANGE_DAY - FIRST_DAY) * 86400 else 300
    if not rng.chance(start):
        return
    ref = "https://%s%s" % (host(g), page.split("?")[0])
    if rng.chance(60):
        # reads, leaves, and starts the form tomorrow (a new visitor then)
        nt = (t // 86400 + 1) * 86400 + 8 * 3600 + rng.below(12 * 3600)
        if nt < DAYS * 86400:
            form_pages(nt, g, c, agent, p, rng.chance(min(finish, 1000)), "-")
        return
    form_pages(t + 30 + rng.below(600), g, c, agent, p, rng.chance(min(finish, 1000)), ref)


def direct_form_session(g, p):
    """From a search engine or a bookmark straight into the e-form."""
    t = when()
    c, agent = client(), rng.pick(AGENTS)
    finish = GEM_DONE[g] * PRODUCTS[p][5] // 1000
    form_pages(t, g, c, agent, p, rng.chance(finish), rng.pick(REFERERS))


def browse_session(g):
    t = when()
    c, agent = client(), rng.pick(AGENTS)
    ref = rng.pick(REFERERS)
    for _ in range(1 + rng.below(3)):
        page = rng.pick(PAGES)
        emit(t, g, c, "GET", page, 200, 5000 + rng.below(30000), ref, agent)
        assets(t, g, c, agent, page, ref.startswith("https://www"))
        ref = "https://%s%s" % (host(g), page)
        t += 10 + rng.below(120)


def crawler(g):
    t, agent = when(), rng.pick(CRAWLERS)
    c = "66.249.%d.%d" % (64 + rng.below(32), 1 + rng.below(254)) if "Google" in agent \
        else "40.77.%d.%d" % (rng.below(256), 1 + rng.below(254))
    p = rng.below(len(PRODUCTS))
    target = rng.pick([rng.pick(PAGES), rng.pick(PRODUCTS[p][0]), PRODUCTS[p][1] + "/start",
                       "/robots.txt", "/sitemap.xml"])
    emit(t, g, c, "GET", target, 200 if not rng.chance(50) else 404, 3000 + rng.below(20000), "-", agent)


def odd(g):
    t = when()
    c = client()
    k = rng.weighted([150, 200, 100, 100, 12, 12, 60, 150, 60])
    if k == 0:
        emit(t, g, c, "GET", rng.pick(SCANS), 404, 196, "-", rng.pick(SCRIPTS))
    elif k == 1:
        emit(t, g, c, "GET", rng.pick(OLD_LINKS), 404, 5120, rng.pick(REFERERS), rng.pick(AGENTS))
    elif k == 2:
        emit(t, g, c, "HEAD", "/", 200, 0, "-", rng.pick(SCRIPTS))
    elif k == 3:
        emit(t, g, c, "OPTIONS", "/api/formulieren", 204, 0, "https://%s/" % host(g), rng.pick(AGENTS))
    elif k == 4:
        emit(t, g, c, None, "-", 408, 0, "-", "-")
    elif k == 5:
        emit(t, g, c, None, "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03", 400, 226, "-", "-")
    elif k == 6:
        emit(t, g, c, "GET", "/zoeken?q=%27%20OR%201=1--", 400, 512, "-", "sqlmap/1.7")
    elif k == 7:
        emit(t, g, c, "GET", "/nieuws/feed.xml", 200, 8400, "-", "Feedly/1.0 (+http://www.feedly.com/fetcher.html)")
    else:
        emit(t, g, c, "GET", "/api/storingen", 500, 300, "https://%s/" % host(g), rng.pick(AGENTS))


def main():
    # a monitoring probe on the largest site, every 30 minutes
    for t in range(0, DAYS * 86400, 1800):
        emit(t + 7, 0, "18.116.205.62", "HEAD", "/", 200, 0, "-", PROBE)
    for _ in range(3000):
        g = rng.weighted(GEM_WEIGHT)
        p = rng.weighted([pr[3] for pr in PRODUCTS])
        funnel_session(g, p)
    for _ in range(260):
        g = rng.weighted(GEM_WEIGHT)
        p = rng.weighted([pr[3] for pr in PRODUCTS])
        direct_form_session(g, p)
    for _ in range(1300):
        crawler(rng.weighted(GEM_WEIGHT))
    for _ in range(700):
        odd(rng.weighted(GEM_WEIGHT))
    # ordinary visits fill the rest, then the log is cut to its size
    while len(events) < TOTAL_LINES + 40:
        browse_session(rng.weighted(GEM_WEIGHT))
    events.sort()
    lines = [e[2] for e in events[:TOTAL_LINES]]
    # one line cut short, as when a disk filled up for a moment
    k = TOTAL_LINES * 2 // 3
    lines[k] = lines[k][:lines[k].index('"', lines[k].index('"') + 1) - 9]
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")


if __name__ == "__main__":
    main()
