/*
 * genlog.c - deterministic generator of realistic municipal access logs.
 *
 *   genlog [-n lines] [-g gemeenten] [-p products] [-d days] [-s seed]
 *          [-c catalogue.csv] [-f vhost_combined|combined] [-V gemeenten] [-w] [-u]
 *
 * Writes a log in time order to stdout: static assets, ordinary pages,
 * product info pages, e-form starts and completions (visitors tend to go
 * info -> form -> done within the day), bots, 4xx/5xx and query strings,
 * over several days (at most 60) from Monday 2 November 2026, for g
 * gemeenten with hosts www.gemeenteN.nl. With -c it also writes a
 * catalogue with p products per gemeente (three patterns each) that
 * matches those URLs. The same arguments always give the same bytes
 * (splitmix64), so benchmarks and tests can rely on it.
 *
 * Visitors: each gemeente draws its visitors from a pool, larger for the
 * larger gemeenten. By default the pools do not depend on the lines per
 * gemeente and day, so with many gemeenten or days almost every request
 * is a new visitor. -V N sizes the pools as in the default log of N
 * gemeenten (1,000,000 lines over 7 days) and scales them with each
 * gemeente's lines per day, so that a visitor makes as many requests a day
 * as there: `-g 342 -d 30 -V 39` is a national month whose days look like
 * those of the 39-gemeente log.
 *
 * -u gives every gemeente patterns of its own in the catalogue (each ends
 * in an optional group naming the gemeente, which matches the same URLs),
 * as when every gemeente's site has its own URL scheme; without it the
 * gemeenten share their patterns, as on one CMS.
 *
 * -w gives the days a weekly rhythm (Monday busiest, then slowly down to
 * Friday, the weekend at about a third), so that a month has a busiest
 * day, as real logs do; without it every day has the same number of lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* Product slugs; the first ten follow the built-in catalogue's conventions. */
static const char *const slugs[] = {
	"verhuizing-doorgeven", "parkeervergunning", "uittreksel-brp", "paspoort-aanvragen",
	"rijbewijs-verlengen", "grofvuil-ophalen", "melding-openbare-ruimte", "geboorteaangifte",
	"bijstand-aanvragen", "kwijtschelding", "hondenbelasting", "huwelijk-partnerschap",
	"id-kaart", "omgevingsvergunning", "evenementenvergunning", "bezwaar-woz",
	"afvalpas", "gehandicaptenparkeerkaart", "kapvergunning", "standplaatsvergunning",
	"naturalisatie", "verklaring-omtrent-gedrag", "uitkering-wijzigen", "leerlingenvervoer",
	"wmo-hulpmiddelen", "speeltoestel-melden", "container-aanvragen", "inrit-aanvragen",
	"terrasvergunning", "drank-horecavergunning", "adreswijziging", "naamgebruik",
	"erfpacht", "subsidie-aanvragen", "kinderopvangtoeslag", "zwerfafval-melden",
	"ligplaatsvergunning", "marktkraam", "straatfeest", "huisvestingsvergunning",
};
#define NSLUGS (sizeof slugs / sizeof slugs[0])

static const char *const agents[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
};
static const char *const bots[] = {
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	"Siteimprove.com", "curl/8.4.0", "python-requests/2.31.0", "-",
};
static const char *const assets[] = {
	"/css/main.css", "/js/app.js", "/images/logo.svg", "/fonts/rijksoverheid.woff2",
	"/images/header.jpg", "/favicon.ico", "/js/vendor.js", "/css/print.css",
};
static const char *const pages[] = {
	"/", "/nieuws", "/contact", "/afval", "/wonen", "/werken", "/zoeken?q=paspoort",
	"/bestuur/gemeenteraad", "/nieuws/2026/11/werkzaamheden-centrum", "/openingstijden",
};
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static int write_catalogue(const char *path, unsigned ngem, unsigned nprod, int own)
{
	FILE *fp = fopen(path, "w");
	if (!fp) {
		perror(path);
		return -1;
	}
	fprintf(fp, "gemeente,host,product,info,form,done\n");
	for (unsigned g = 0; g < ngem; g++) {
		for (unsigned p = 0; p < nprod; p++) {
			const char *s = slugs[p % NSLUGS];
			unsigned v = p / NSLUGS; /* variants beyond the slug list */
			char suffix[16] = "";
			if (v)
				snprintf(suffix, sizeof suffix, "-%u", v);
			/* Patterns in the common subset of PCRE2 and POSIX ERE, so
			 * the awk baseline can use the same catalogue. */
			char mark[32] = "";
			if (own) /* matches nothing more: the group is optional */
				snprintf(mark, sizeof mark, "(/g%u)?", g + 1);
			fprintf(fp, "Gemeente %u,www.gemeente%u.nl gemeente%u.nl,%s%s,"
			        "^/(producten/)?%s%s/?([?]|$)%s,"
			        "^/e-formulier/%s%s(/start)?/?([?]|$)%s,"
			        "^/e-formulier/%s%s/(bedankt|verzonden)%s\n",
			        g + 1, g + 1, g + 1, s, suffix, s, suffix, mark, s, suffix, mark, s,
			        suffix, mark);
		}
	}
	return fclose(fp);
}

/* Weight of day d (0: Monday 2 November) under -w. */
static double day_weight(unsigned d)
{
	static const double w[7] = { 1.25, 1.15, 1.1, 1.05, 0.95, 0.4, 0.35 };
	return w[d % 7];
}

int main(int argc, char **argv)
{
	unsigned long lines = 1000000;
	unsigned ngem = 39, nprod = 25, days = 7, vref = 0;
	int weekly = 0, own = 0;
	uint64_t seed = 42;
	const char *cat = NULL, *fmt = "vhost_combined";
	int c;

	while ((c = getopt(argc, argv, "n:g:p:d:s:c:f:V:wu")) != -1) {
		switch (c) {
		case 'n': lines = strtoul(optarg, NULL, 10); break;
		case 'g': ngem = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'p': nprod = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'd': days = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'c': cat = optarg; break;
		case 'f': fmt = optarg; break;
		case 'V': vref = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'w': weekly = 1; break;
		case 'u': own = 1; break;
		default:
			fprintf(stderr, "usage: genlog [-n lines] [-g gemeenten] [-p products] "
			        "[-d days] [-s seed] [-c catalogue.csv] [-f vhost_combined|combined] "
			        "[-V gemeenten] [-w] [-u]\n");
			return 2;
		}
	}
	if (ngem == 0 || nprod == 0 || days == 0 || days > 60)
		return 2;
	if (cat && write_catalogue(cat, ngem, nprod, own) != 0)
		return 1;
	rng_state = seed;
	int vhost = strcmp(fmt, "combined") != 0;
	/* 2026-11-02 00:00 local (+0100) onwards, evenly spread over the days
	 * (-w: over the days' weights, evenly within a day). */
	double step = (double)days * 86400.0 / (double)(lines ? lines : 1);
	double t = 0, wsum = 0, wstep, u = 0, ucum = 0;
	unsigned wd = 0;
	for (unsigned d = 0; d < days; d++)
		wsum += day_weight(d);
	wstep = wsum / (double)(lines ? lines : 1);
	/* -V: the pools of the default log of vref gemeenten, scaled by the
	 * lines per gemeente and day here against there */
	double vscale = vref ? (double)vref / ngem * ((double)lines / days) / (1000000.0 / 7) : 1;
	char buf[1024];
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	for (unsigned long i = 0; i < lines; i++, t += step, u += wstep) {
		if (weekly) {
			while (wd + 1 < days && u >= ucum + day_weight(wd))
				ucum += day_weight(wd++);
			t = ((double)wd + (u - ucum) / day_weight(wd)) * 86400.0;
			if (t >= (double)(wd + 1) * 86400.0)
				t = (double)(wd + 1) * 86400.0 - 1;
		}
		unsigned long sec = (unsigned long)t;
		unsigned day = 2 + (unsigned)(sec / 86400), hh = (unsigned)(sec / 3600 % 24);
		unsigned mm = (unsigned)(sec / 60 % 60), ss = (unsigned)(sec % 60);
		unsigned mon = 10, dd = day, year = 2026;
		if (dd > 30) { mon = 11; dd -= 30; }
		if (dd > 31) { mon = 0; dd -= 31; year = 2027; }
		/* Larger gemeenten get more traffic: pick the smaller of two draws. */
		unsigned g1 = below(ngem), g2 = below(ngem);
		unsigned g = g1 < g2 ? g1 : g2;
		/* A visitor pool per gemeente: address and agent. */
		unsigned pool = 400 + 60 * (ngem - g);
		if (vref) {
			double p = (400 + 60.0 * vref * (ngem - g) / ngem) * vscale;
			pool = p < 1 ? 1 : (unsigned)p;
		}
		unsigned vis = below(pool);
		unsigned ip = (g * 7919u + vis * 104729u) & 0xffffff;
		const char *ua = agents[(vis + g) % (sizeof agents / sizeof agents[0])];
		unsigned r = below(1000);
		const char *method = "GET";
		int status = 200;
		unsigned prod = below(nprod < NSLUGS ? nprod : NSLUGS);
		unsigned pv = nprod > NSLUGS ? below((nprod + NSLUGS - 1) / NSLUGS) : 0;
		if (pv && prod + pv * NSLUGS >= nprod)
			pv = 0;
		char sfx[16] = "";
		if (pv)
			snprintf(sfx, sizeof sfx, "-%u", pv);
		char target[256];
		if (r < 80) {                      /* bots */
			ua = bots[below(sizeof bots / sizeof bots[0])];
			snprintf(target, sizeof target, "%s", pages[below(10)]);
		} else if (r < 560) {              /* static assets */
			snprintf(target, sizeof target, "%s?v=%u", assets[below(8)], below(50));
			if (below(4) == 0)
				status = 304;
		} else if (r < 740) {              /* ordinary pages */
			snprintf(target, sizeof target, "%s", pages[below(10)]);
		} else if (r < 880) {              /* product info */
			snprintf(target, sizeof target, "%s%s%s%s", below(2) ? "/producten/" : "/",
			         slugs[prod], sfx, below(5) ? "" : "?utm_source=nieuwsbrief");
		} else if (r < 940) {              /* e-form start */
			snprintf(target, sizeof target, "/e-formulier/%s%s%s", slugs[prod], sfx,
			         below(2) ? "/start" : "");
		} else if (r < 970) {              /* e-form completed */
			method = "POST";
			snprintf(target, sizeof target, "/e-formulier/%s%s/%s", slugs[prod], sfx,
			         below(3) ? "bedankt" : "verzonden");
			if (below(40) == 0)
				status = 500 + below(4);
		} else {                           /* errors */
			snprintf(target, sizeof target, "/%s%s/oud-%u", slugs[prod], sfx, below(100));
			status = below(3) ? 404 : 403;
		}
		int n;
		if (vhost)
			n = snprintf(buf, sizeof buf, "www.gemeente%u.nl:443 ", g + 1);
		else
			n = 0;
		n += snprintf(buf + n, sizeof buf - (size_t)n,
		              "10.%u.%u.%u - - [%02u/%s/%u:%02u:%02u:%02u +0100] \"%s %s HTTP/1.1\" "
		              "%d %u \"https://www.gemeente%u.nl/\" \"%s\"\n",
		              ip >> 16, (ip >> 8) & 255, ip & 255, dd, months[mon], year, hh, mm, ss, method,
		              target, status, 200 + below(40000), g + 1, ua);
		fwrite(buf, 1, (size_t)n, stdout);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
