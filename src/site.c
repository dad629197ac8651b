/*
 * site.c - the report as a static website (site.h).
 *
 * The table is indexed once: distinct gemeenten and products in catalogue
 * order (first appearance), periods ascending, and cell[period][gemeente]
 * [product] -> row. The "current" figures are those of the latest period
 * (each period stands alone, so periods are never summed); with --by the
 * gemeente pages add a trend over every period.
 *
 * Two benchmarks: `nat`, the rows benchmarked across all gemeenten (the
 * national median, rank and gain), and `pub`, the rows as the table has
 * them (per peer group with --peer; the same as nat without). Both are
 * the published rows of a report model (report_model.h), so --min-cell
 * holds on every page as in every other format:
 * a hidden count shows as an en dash, and so does every figure computed
 * from it.
 *
 * Accessibility (WCAG 2.1 AA, tested with axe-core in tests/site.sh):
 * lang on <html>, a skip link, landmarks (header, nav with a label, main,
 * footer), one h1 and headings in order, every chart an <svg role="img">
 * with an aria-label that says what it shows and the same figures in a
 * table or text, tables with th scope, colours of text at 4.5:1 or more,
 * links underlined. Links are relative, so the site works from any
 * directory, a file:// URL or a web server.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench.h"
#include "compat.h"
#include "fault.h"
#include "html.h"
#include "msg.h"
#include "output.h"
#include "report_model.h"
#include "site.h"
#include "stats.h"
#include "strtab.h"

/* ---- slugs ---- */

/* ASCII for U+00C0..U+00FF (index cp - 0xC0); "" for × and ÷. */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};

#define SLUG_MAX 80

size_t site_slug(const char *name, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	size_t o = 0;
	int dash = 0;
	if (n == 0)
		return 0;
	size_t cap = n - 1 < SLUG_MAX ? n - 1 : SLUG_MAX;
	while (*p && o < cap) {
		const char *rep = NULL;
		char one[2] = { 0, 0 };
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			one[0] = (char)*p;
			rep = one;
			p++;
		} else if (*p >= 'A' && *p <= 'Z') {
			one[0] = (char)(*p - 'A' + 'a');
			rep = one;
			p++;
		} else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			/* U+00C0..U+00FF */
			rep = latin1[p[1] - 0x80];
			p += 2;
		} else {
			p++;
			while ((*p & 0xC0) == 0x80)   /* the rest of a UTF-8 sequence */
				p++;
		}
		if (!rep || !rep[0]) {
			dash = o > 0;
			continue;
		}
		size_t len = strlen(rep);
		if (o + (size_t)dash + len > cap)
			break;
		if (dash)
			buf[o++] = '-';
		dash = 0;
		memcpy(buf + o, rep, len);
		o += len;
	}
	if (o == 0 && cap > 0)
		buf[o++] = 'x';
	buf[o] = '\0';
	return o;
}

int site_slugs(const char *const *names, size_t n, char **out)
{
	char base[SLUG_MAX + 2], cand[SLUG_MAX + 24];
	for (size_t i = 0; i < n; i++) {
		site_slug(names[i], base, sizeof base);
		snprintf(cand, sizeof cand, "%s", base);
		for (unsigned k = 2;; k++) {
			size_t j = 0;
			while (j < i && strcmp(out[j], cand) != 0)
				j++;
			if (j == i)
				break;
			snprintf(cand, sizeof cand, "%s-%u", base, k);
		}
		out[i] = strdup(cand);
		if (!out[i]) {
			while (i > 0)
				free(out[--i]);
			return -1;
		}
	}
	return 0;
}

/* ---- labels ---- */

typedef struct {
	const char *lang, *site, *skip, *menu, *home, *gemeenten, *products, *about;
	const char *crumbs, *latest, *periods_txt, *count_visitors, *count_hits;
	const char *open, *sequential;
	const char *step[3], *short_step[3], *of_prev;
	const char *conv, *interval, *nat_median, *peer_median, *rank, *rank_nat, *rank_peer;
	const char *rank_of, *gain, *gain_forms, *gain_form, *errors, *errors_step[2], *errors_note;
	const char *median, *spread, *spread_label, *spread_note, *no_bench;
	const char *top_gain, *top_gain_none, *az, *all_products;
	const char *this_gem, *compare, *trend, *col_period, *col_gemeente, *col_peer;
	const char *funnel, *hidden, *not_ranked, *made, *generated;
	const char *peer_group, *intro, *to_product, *to_gemeente;
	/* about */
	const char *about_h[5];
	const char *about_measure, *about_steps, *about_open, *about_seq, *about_hits;
	const char *about_rates, *about_bench, *about_interval, *about_gain, *about_excl;
	const char *about_privacy, *about_min_cell, *about_input, *lines_read, *inputs;
	const char *period, *all_lines, *selection, *qualified, *excluded_h;
	char thousands, decimal;
} labels;

static const labels nl = {
	"nl", "Digitale klantreis van gemeenten", "Naar de inhoud", "Hoofdmenu", "Overzicht",
	"Gemeenten", "Producten", "Over deze cijfers",
	"Kruimelpad", "Cijfers over %s", "periodes %s t/m %s", "bezoekers", "verzoeken",
	"open funnel", "sequenti\xc3\xable funnel",
	{ "Informatiepagina bekeken", "Formulier gestart", "Formulier afgerond" },
	{ "Info", "Formulier", "Afgerond" },
	"van vorige stap",
	"Conversie", "95%-interval", "Landelijke mediaan", "Mediaan van groep %s", "Positie",
	"landelijk", "in de groep", "%s van %s", "Te winnen", "%s formulieren", "%s formulier",
	"Technische uitval (5xx)", { "bij het formulier", "bij afronden" },
	"verzoeken die de server met een fout (5xx) beantwoordde",
	"mediaan", "Spreiding over de gemeenten",
	"Aantal gemeenten per conversieklasse: %s gemeenten, van %s tot %s, mediaan %s",
	"Elke balk telt de gemeenten met een conversie in die klasse; de streep is de mediaan.",
	"Geen gemeente met genoeg bezoekers voor de vergelijking.",
	"Grootste winst te behalen", "Geen gemeente onder de mediaan.",
	"Alle gemeenten van A tot Z", "Alle producten",
	"Deze gemeente", "Vergeleken met de mediaan", "Conversie per periode", "Periode",
	"Gemeente", "Groep",
	"Funnel", "verborgen", "niet in de vergelijking", "Gemaakt met klantreis %s",
	"bijgewerkt %s",
	"groep %s",
	"Hoeveel bezoekers van de informatiepagina van een product rondden het "
	"e-formulier af? Per product de landelijke stand, en per gemeente een eigen pagina.",
	"Alle gemeenten voor %s", "Alle producten van %s",
	{ "Wat wordt gemeten", "Wat niet meetelt", "Privacy", "Periode en invoer",
	  "Wanneer gemaakt" },
	"De cijfers komen uit de toegangslogboeken van de webservers van de gemeenten. "
	"Per product zijn er drie stappen:",
	"Per stap telt het aantal %s.",
	"Open funnel: elke stap telt op zich, ook bezoekers die een eerdere stap "
	"oversloegen. Een stap kan dus meer bezoekers hebben dan de vorige.",
	"Sequenti\xc3\xable funnel: een bezoeker telt bij een stap alleen als hij de "
	"eerdere stappen in volgorde zette, binnen het venster van de meting.",
	"Verzoeken: elk verzoek telt, ook herhaalde verzoeken van dezelfde bezoeker.",
	"Conversie is afgerond gedeeld door informatiepagina. Een bezoeker is een "
	"combinatie van adres, browser en kalenderdag.",
	"De mediaan, positie en te winnen formulieren gelden voor gemeenten met minstens "
	"%s bezoekers van de informatiepagina; gelijke conversies delen een positie.",
	"Het 95%-interval (Wilson) geeft aan hoe zeker de conversie is: bij weinig "
	"bezoekers is het breed.",
	"Te winnen: hoeveel formulieren er meer afgerond zouden zijn als de gemeente de "
	"mediane conversie had gehaald.",
	"Alleen GET- en POST-verzoeken met status 200 tot en met 399 tellen mee. Niet mee "
	"tellen: bots en scripts (herkend aan de browsernaam), verzoeken aan onbekende "
	"hosts, regels buiten de gekozen periode en onleesbare regels.",
	"De site bevat geen adressen, browsernamen of andere gegevens over bezoekers: "
	"alleen aantallen per gemeente en product. Bij het tellen wordt een bezoeker "
	"alleen als versleutelde sleutel in het geheugen bewaard, met een sleutel die "
	"per run nieuw is.",
	"Aantallen van 1 tot %s zijn verborgen (een streepje), en ook alles wat uit zo'n "
	"aantal volgt, zodat geen kleine groep bezoekers herkenbaar is.",
	"Invoer", "Regels gelezen", "Bestanden",
	"Periode", "alle regels in de invoer", "selectie: %s", "Meetellende verzoeken",
	"Uitgesloten",
	'.', ',',
};

static const labels en = {
	"en", "Digital customer journeys of Dutch municipalities", "Skip to content",
	"Main menu", "Overview", "Municipalities", "Products", "About these figures",
	"Breadcrumb", "Figures for %s", "periods %s to %s", "visitors", "requests",
	"open funnel", "sequential funnel",
	{ "Information page viewed", "Form started", "Form completed" },
	{ "Info", "Form", "Completed" },
	"of previous step",
	"Conversion", "95% interval", "National median", "Median of peer group %s", "Rank",
	"national", "in the peer group", "%s of %s", "Potential gain", "%s forms", "%s form",
	"Technical drop-off (5xx)", { "at the form", "at completion" },
	"requests the server answered with an error (5xx)",
	"median", "Spread across municipalities",
	"Municipalities per conversion band: %s municipalities, from %s to %s, median %s",
	"Each bar counts the municipalities whose conversion lies in that band; the line "
	"is the median.",
	"No municipality with enough visitors for the comparison.",
	"Largest potential gain", "No municipality below the median.",
	"All municipalities A to Z", "All products",
	"This municipality", "Compared with the median", "Conversion per period", "Period",
	"Municipality", "Peer group",
	"Funnel", "hidden", "not in the comparison", "Made with klantreis %s",
	"updated %s",
	"peer group %s",
	"How many visitors of a product's information page completed its e-form? Per "
	"product the national picture, and a page for every municipality.",
	"All municipalities for %s", "All products of %s",
	{ "What is measured", "What is left out", "Privacy", "Period and input",
	  "When this was made" },
	"The figures come from the access logs of the municipalities' web servers. Each "
	"product has three steps:",
	"Each step counts %s.",
	"Open funnel: each step counts on its own, including visitors who skipped an "
	"earlier step, so a step can have more visitors than the one before.",
	"Sequential funnel: a visitor counts at a step only after taking the earlier "
	"steps in order, within the measurement window.",
	"Requests: every request counts, including repeated requests of one visitor.",
	"Conversion is completed divided by information page. A visitor is a "
	"combination of address, browser and calendar day.",
	"Median, rank and potential gain cover municipalities with at least %s visitors "
	"on the information page; equal conversions share a rank.",
	"The 95% interval (Wilson) says how certain the conversion is: with few "
	"visitors it is wide.",
	"Potential gain: how many more forms would have been completed had the "
	"municipality converted at the median rate.",
	"Only GET and POST requests with status 200 to 399 count. Left out: bots and "
	"scripts (known by their user agent), requests to unknown hosts, lines outside "
	"the chosen period and unreadable lines.",
	"The site holds no addresses, user agents or other data about visitors: only "
	"counts per municipality and product. While counting, a visitor is kept only as "
	"a keyed hash in memory, with a key that is new for every run.",
	"Counts from 1 to %s are hidden (a dash), and so is everything that follows from "
	"such a count, so that no small group of visitors can be recognised.",
	"Input", "Lines read", "Files",
	"Period", "all lines in the input", "selected: %s", "Qualifying requests",
	"Excluded",
	',', '.',
};

/* ---- the indexed table ---- */

#define NONE SIZE_MAX
#define DASH "\xe2\x80\x93"

typedef struct {
	const report_table *t;
	const labels *L;
	int64_t min_visitors;
	const report_row *pub;  /* published rows, benchmark as the table (peer groups) */
	const report_row *nat;  /* published rows, national benchmark (== pub without --peer) */
	report_model *pm, *nm;  /* the models behind pub and nat (nm NULL without --peer) */
	report_table nt;        /* with --peer: the table benchmarked nationally (nm borrows it) */
	size_t nrows;
	const char **gems, **prods, **pers;
	char **gslug, **pslug;
	size_t ngem, nprod, nper;
	size_t *cell;           /* [per][gem][prod] -> row or NONE */
	size_t *az;             /* gemeenten in A-Z order */
	size_t *sel;            /* scratch, ngem + 1 */
	char when[64];          /* generation time, UTC */
	const char *dir;        /* where the pages go */
	const char *shown;      /* the directory messages name (the user's -o) */
	FILE *fp;               /* the page being written */
	const char *up;         /* "" or "../": from the page to the site root */
	char rel[SLUG_MAX + 40];/* the page's path in the site, for messages */
} site;

static size_t cell_at(const site *s, size_t per, size_t g, size_t p)
{
	return s->cell[(per * s->ngem + g) * s->nprod + p];
}

/* Row of gemeente g, product p in the latest period, or NONE. */
static size_t latest(const site *s, size_t g, size_t p)
{
	return cell_at(s, s->nper - 1, g, p);
}

/* Index of name in list[0..*n) (ids of the strtab t, which holds the
 * same names in the same order), appended when new. Returns -1 when out
 * of memory. */
static int intern(strtab *t, const char **list, size_t *n, const char *name, size_t *id)
{
	int added;
	long k = strtab_add(t, name, strlen(name), &added);
	if (k < 0)
		return -1;
	if (added)
		list[(*n)++] = name;
	*id = (size_t)k;
	return 0;
}

static int cmp_az(const void *a, const void *b, const void *arg)
{
	const site *s = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(s->gslug[x], s->gslug[y]);
	return c ? c : (x > y) - (x < y);
}

/* Builds the index and both benchmarks. Returns 0, or -1 when out of
 * memory. */
static int load(site *s, const report_table *t)
{
	size_t n = t->nrows;
	size_t *gi = malloc((n + 1) * sizeof *gi), *pi = malloc((n + 1) * sizeof *pi);
	size_t *ti = malloc((n + 1) * sizeof *ti);
	strtab *names[3] = { strtab_new(), strtab_new(), strtab_new() };
	int rc = -1;
	s->nrows = n;
	s->gems = calloc(n + 1, sizeof *s->gems);
	s->prods = calloc(n + 1, sizeof *s->prods);
	s->pers = calloc(n + 1, sizeof *s->pers);
	if (!gi || !pi || !ti || !s->gems || !s->prods || !s->pers || !names[0] || !names[1] ||
	    !names[2])
		goto out;
	for (size_t i = 0; i < n; i++) {
		const report_row *r = &t->rows[i];
		if (intern(names[0], s->gems, &s->ngem, r->gemeente ? r->gemeente : "-", &gi[i]) < 0 ||
		    intern(names[1], s->prods, &s->nprod, r->product ? r->product : "-", &pi[i]) < 0 ||
		    intern(names[2], s->pers, &s->nper, r->period, &ti[i]) < 0)
			goto out;
	}
	if (s->nper == 0)
		s->pers[s->nper++] = "";
	size_t ncell = s->nper * s->ngem * s->nprod;
	s->cell = malloc((ncell + 1) * sizeof *s->cell);
	s->gslug = calloc(s->ngem + 1, sizeof *s->gslug);
	s->pslug = calloc(s->nprod + 1, sizeof *s->pslug);
	s->az = malloc((s->ngem + 1) * sizeof *s->az);
	s->sel = malloc((s->ngem + 1) * sizeof *s->sel);
	if (!s->cell || !s->gslug || !s->pslug || !s->az || !s->sel)
		goto out;
	for (size_t k = 0; k < ncell; k++)
		s->cell[k] = NONE;
	for (size_t i = 0; i < n; i++)
		s->cell[(ti[i] * s->ngem + gi[i]) * s->nprod + pi[i]] = i;
	if (site_slugs(s->gems, s->ngem, s->gslug) < 0)
		goto out;
	if (site_slugs(s->prods, s->nprod, s->pslug) < 0) {
		for (size_t g = 0; g < s->ngem; g++) {
			free(s->gslug[g]);
			s->gslug[g] = NULL;
		}
		goto out;
	}
	for (size_t g = 0; g < s->ngem; g++)
		s->az[g] = g;
	kr_qsort_r(s->az, s->ngem, sizeof *s->az, cmp_az, s);

	/* the rows as published: the report model decides (--min-cell) */
	s->pm = report_model_new(t);
	if (!s->pm)
		goto out;
	s->pub = s->nat = s->pm->pub;
	if (t->peer) {
		/* the national benchmark: the same rows benchmarked as one group */
		s->nt = *t;
		s->nt.peer = 0;
		s->nt.rows = malloc((n + 1) * sizeof *s->nt.rows);
		if (!s->nt.rows)
			goto out;
		memcpy(s->nt.rows, t->rows, n * sizeof *s->nt.rows);
		if (bench_compute(s->nt.rows, n, s->min_visitors, 0) < 0)
			goto out;
		s->nm = report_model_new(&s->nt);
		if (!s->nm)
			goto out;
		s->nat = s->nm->pub;
	}
	rc = 0;
out:
	free(gi);
	free(pi);
	free(ti);
	for (int k = 0; k < 3; k++)
		strtab_free(names[k]);
	return rc;
}

static void unload(site *s)
{
	for (size_t g = 0; s->gslug && g < s->ngem; g++)
		free(s->gslug[g]);
	for (size_t p = 0; s->pslug && p < s->nprod; p++)
		free(s->pslug[p]);
	report_model_free(s->nm);
	report_model_free(s->pm);
	free(s->nt.rows);
	free(s->gslug);
	free(s->pslug);
	free(s->gems);
	free(s->prods);
	free(s->pers);
	free(s->cell);
	free(s->az);
	free(s->sel);
}

/* ---- figures of a published row ---- */

/* The model cell of column c for r, a published row of the site's
 * report (s->pub) or of its national benchmark (s->nat): the model
 * decides every published figure, the pages only format it. */
static const report_cell *pub_cell(const site *s, const report_row *r, enum report_col c)
{
	const report_model *m = s->nm && r >= s->nm->pub && r < s->nm->pub + s->nm->nrows
	                        ? s->nm : s->pm;
	return report_model_cell(m, (size_t)(r - m->pub), c);
}

/* The rate in cell c of r: 1 with *v set when the model shows one. */
static int rate_of(const site *s, const report_row *r, enum report_col c, double *v)
{
	const report_cell *x = pub_cell(s, r, c);
	if (x->kind != REPORT_CELL_RATE)
		return 0;
	*v = x->rate;
	return 1;
}

/* The conversion of r: 1 with *c set when the model shows it (info and
 * done shown, info > 0). */
static int conv(const site *s, const report_row *r, double *c)
{
	return rate_of(s, r, REPORT_COL_CONVERSION, c);
}

/* The 95% interval of r's conversion: 1 with *lo and *hi set when the
 * model has one. */
static int wilson(const site *s, const report_row *r, double *lo, double *hi)
{
	return rate_of(s, r, REPORT_COL_CONV_LOW, lo) && rate_of(s, r, REPORT_COL_CONV_HIGH, hi);
}

/* ---- output helpers ---- */

/* fmt with its "%s" replaced by arg, into buf (cut to fit). Returns buf. */
static const char *fill1(const char *fmt, const char *arg, char *buf, size_t n)
{
	const char *q = strstr(fmt, "%s");
	if (!q)
		snprintf(buf, n, "%s", fmt);
	else
		snprintf(buf, n, "%.*s%s%s", (int)(q - fmt), fmt, arg, q + 2);
	return buf;
}

static void put(site *s, const char *str)
{
	fputs(str, s->fp);
}

static void esc(site *s, const char *str)
{
	html_esc(s->fp, str);
}

/* fmt with each "%s" replaced by the next argument, escaped; fmt itself
 * is trusted markup-free text and escaped too. */
static void putf(site *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p;) {
		const char *q = strstr(p, "%s");
		size_t len = q ? (size_t)(q - p) : strlen(p);
		char buf[512];
		snprintf(buf, sizeof buf, "%.*s", (int)len, p);
		esc(s, buf);
		if (!q)
			break;
		esc(s, va_arg(ap, const char *));
		p = q + 2;
	}
	va_end(ap);
}

static const char *num(const site *s, int64_t v, char *buf, size_t n)
{
	if (v < 0)
		return DASH;
	return html_fmt_int(s->L->thousands, (double)v, buf, n);
}

static const char *pct(const site *s, double v, char *buf, size_t n)
{
	return html_fmt_pct(s->L->decimal, v, 1, buf, n);
}

static void put_x(site *s, double x)
{
	html_put_pct(s->fp, x);
}

static void link_gem(site *s, size_t g)
{
	fprintf(s->fp, "<a href=\"%sgemeente/%s.html\">", s->up, s->gslug[g]);
	esc(s, s->gems[g]);
	put(s, "</a>");
}

static void link_prod(site *s, size_t p)
{
	fprintf(s->fp, "<a href=\"%sproduct/%s.html\">", s->up, s->pslug[p]);
	esc(s, s->prods[p]);
	put(s, "</a>");
}

/* "3 van 120" (rank of ranked), or an en dash. */
static void put_rank(site *s, const report_row *r)
{
	char a[32], b[32];
	if (!r->eligible || r->ranked <= 0) {
		put(s, DASH);
		return;
	}
	putf(s, s->L->rank_of, num(s, r->rank, a, sizeof a), num(s, r->ranked, b, sizeof b));
}

/* "12 formulieren", "1 formulier". */
static void put_gain(site *s, int64_t gain)
{
	char a[32];
	putf(s, gain == 1 ? s->L->gain_form : s->L->gain_forms, num(s, gain, a, sizeof a));
}

static void put_interval(site *s, const report_row *r)
{
	double lo, hi;
	char a[32], b[32];
	if (!wilson(s, r, &lo, &hi)) {
		put(s, DASH);
		return;
	}
	esc(s, pct(s, lo, a, sizeof a));
	put(s, " " DASH " ");
	esc(s, pct(s, hi, b, sizeof b));
}

/* ---- page frame ---- */

static const char site_css[] =
	".skip{position:absolute;left:-10000px;top:0}"
	".skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:10}\n"
	"nav.menu ul,nav.crumbs ol{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;"
	"padding:0;margin:8px 0}\n"
	"nav.crumbs ol li+li::before{content:\"\\203A\";margin-right:8px;color:var(--muted)}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}"
	"dl.facts dt{font-weight:600}dl.facts dd{margin:0}\n"
	"ul.az{columns:16em;padding:0;list-style:none}ul.az li{padding:2px 0;break-inside:avoid}\n"
	"ol.gain li{margin:2px 0}\n"
	"svg.histogram rect{fill:var(--info)}svg.compare rect.nat{fill:var(--done)}"
	"svg.compare rect.peer{fill:var(--form)}\n"
	"g.trend-line line{stroke:var(--info);stroke-width:2}g.trend-line circle{fill:var(--info)}"
	"g.trend-median line{stroke:var(--median);stroke-width:1.5;stroke-dasharray:5 3}"
	"g.trend-median circle{fill:var(--median)}"
	".sw-line{background:var(--info)}.sw-median{background:var(--median)}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px}\n"
	"section.prod{border-top:1px solid var(--line);margin-top:24px}\n"
	"@media (max-width:480px){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:4px}}\n"
	"@media print{nav.menu,.skip{display:none}a{color:var(--ink);text-decoration:none}}\n";

/* Opens rel (relative to the site's directory) for writing. Returns 0,
 * or -1 (message given). */
static int page_open(site *s, const char *rel)
{
	char path[4096];
	snprintf(s->rel, sizeof s->rel, "%s", rel);
	s->up = strchr(rel, '/') ? "../" : "";
	if (snprintf(path, sizeof path, "%s/%s", s->dir, rel) >= (int)sizeof path) {
		msg_error("cannot write '%s/%s': %s", s->shown, rel, strerror(ENAMETOOLONG));
		return -1;
	}
	s->fp = fopen(path, "w");
	if (!s->fp) {
		msg_error("cannot write '%s/%s': %s", s->shown, rel, strerror(errno));
		return -1;
	}
	return 0;
}

static int page_close(site *s)
{
	int bad = ferror(s->fp);
	int e = errno;
	if (fclose(s->fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	s->fp = NULL;
	if (bad) {
		msg_error("cannot write '%s/%s': %s", s->shown, s->rel, strerror(e ? e : EIO));
		return -1;
	}
	return 0;
}

/* The days the site covers, "2026-11-02 – 2026-11-08", into buf ("" when
 * unknown). */
static const char *days_text(const site *s, char *buf, size_t n)
{
	char a[32], b[32];
	buf[0] = '\0';
	if (html_data_days(s->t->meta, s->pers, s->nper, a, b, sizeof a))
		snprintf(buf, n, b[0] ? "%s " DASH " %s" : "%s", a, b);
	return buf;
}

/* The head, skip link, site header with the menu, and breadcrumbs up to
 * the page (crumb: the page's own name, NULL on the index). */
static void page_begin(site *s, const char *title, const char *crumb_mid,
                       const char *crumb_mid_href, const char *crumb)
{
	const labels *L = s->L;
	char days[64];
	fprintf(s->fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"generator\" content=\"klantreis\">\n<title>", L->lang);
	if (title) {
		esc(s, title);
		put(s, " " DASH " ");
	}
	esc(s, L->site);
	put(s, "</title>\n<style>\n");
	put(s, html_css);
	put(s, site_css);
	put(s, "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
	esc(s, L->skip);
	put(s, "</a>\n<header class=\"site-header\">\n<p class=\"sub\">");
	fprintf(s->fp, "<a href=\"%sindex.html\">", s->up);
	esc(s, L->site);
	put(s, "</a>");
	if (days_text(s, days, sizeof days)[0]) {
		put(s, " \xc2\xb7 ");
		esc(s, days);
	}
	put(s, "</p>\n<nav class=\"menu\" aria-label=\"");
	esc(s, L->menu);
	fprintf(s->fp, "\"><ul><li><a href=\"%sindex.html\">", s->up);
	esc(s, L->home);
	fprintf(s->fp, "</a></li><li><a href=\"%sindex.html#producten\">", s->up);
	esc(s, L->products);
	fprintf(s->fp, "</a></li><li><a href=\"%sindex.html#gemeenten\">", s->up);
	esc(s, L->gemeenten);
	fprintf(s->fp, "</a></li><li><a href=\"%sabout.html\">", s->up);
	esc(s, L->about);
	put(s, "</a></li></ul></nav>\n");
	if (crumb) {
		put(s, "<nav class=\"crumbs\" aria-label=\"");
		esc(s, L->crumbs);
		fprintf(s->fp, "\"><ol><li><a href=\"%sindex.html\">", s->up);
		esc(s, L->home);
		put(s, "</a></li>");
		if (crumb_mid) {
			fprintf(s->fp, "<li><a href=\"%s%s\">", s->up, crumb_mid_href);
			esc(s, crumb_mid);
			put(s, "</a></li>");
		}
		put(s, "<li aria-current=\"page\">");
		esc(s, crumb);
		put(s, "</li></ol></nav>\n");
	}
	put(s, "</header>\n<main id=\"main\">\n");
}

static void page_end(site *s)
{
	const labels *L = s->L;
	const char *version = s->t->meta && s->t->meta->version ? s->t->meta->version : "";
	put(s, "</main>\n<footer>");
	putf(s, L->made, version);
	put(s, ", ");
	putf(s, L->generated, s->when);
	fprintf(s->fp, ". <a href=\"%sabout.html\">", s->up);
	esc(s, L->about);
	put(s, "</a></footer>\n</body>\n</html>\n");
}

/* "Cijfers over 2026-11-08" with --by: the latest period the pages show. */
static void latest_note(site *s)
{
	if (!s->pers[0][0])
		return;
	put(s, "<p class=\"note\">");
	putf(s, s->L->latest, s->pers[s->nper - 1]);
	put(s, "</p>\n");
}

/* ---- charts ---- */

#define HIST_BINS 20

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The histogram's vertical grid lines and their percentages, every
 * step from 0 to top, above the base line at y = base. */
static void hist_grid(site *s, double top, double step, int base)
{
	char a[32];
	for (int k = 0; k * step <= top + 1e-9; k++) {
		double x = 100.0 * (k * step) / top;
		put(s, "<line class=\"grid\" x1=\"");
		put_x(s, x * 0.96);
		put(s, "\" x2=\"");
		put_x(s, x * 0.96);
		fprintf(s->fp, "\" y1=\"4\" y2=\"%d\"/><text class=\"tick\" x=\"", base);
		put_x(s, x * 0.96);
		fprintf(s->fp, "\" y=\"%d\" text-anchor=\"%s\">", base + 16, k == 0 ? "start" : "middle");
		esc(s, html_fmt_pct(s->L->decimal, k * step, 0, a, sizeof a));
		put(s, "</text>\n");
	}
}

/* The histogram's bars: the conversions v[0..m) counted in HIST_BINS
 * bands from 0 to top, the fullest band 100 px high, every other at
 * least 2 px, standing on y = base. */
static void hist_bars(site *s, const double *v, size_t m, double top, int base)
{
	const int plot = 100;
	size_t bins[HIST_BINS] = { 0 }, most = 1;
	for (size_t k = 0; k < m; k++) {
		size_t bin = (size_t)(v[k] / top * HIST_BINS);
		if (bin >= HIST_BINS)
			bin = HIST_BINS - 1;
		if (++bins[bin] > most)
			most = bins[bin];
	}
	for (int k = 0; k < HIST_BINS; k++) {
		if (!bins[k])
			continue;
		int h = (int)(plot * (double)bins[k] / (double)most + 0.5);
		if (h < 2)
			h = 2;
		put(s, "<rect x=\"");
		put_x(s, 96.0 * k / HIST_BINS + 0.2);
		put(s, "\" width=\"");
		put_x(s, 96.0 / HIST_BINS - 0.4);
		fprintf(s->fp, "\" y=\"%d\" height=\"%d\"/>", base - h, h);
	}
}

/* The spread of product p's conversion over the gemeenten in the
 * national benchmark (latest period): a histogram of HIST_BINS bands
 * with the median as a line, and the same in words. Returns 0, or -1
 * when out of memory (message given). */
static int histogram(site *s, size_t p)
{
	const labels *L = s->L;
	double *v = malloc((s->ngem + 1) * sizeof *v);
	double median = 0;
	int has_median = 0;
	size_t m = 0;
	char a[32], b[32], c[32], d[32];
	if (!v) {
		msg_error("out of memory");
		return -1;
	}
	for (size_t g = 0; g < s->ngem; g++) {
		size_t i = latest(s, g, p);
		if (i == NONE)
			continue;
		const report_row *r = &s->nat[i];
		if (r->has_median) {
			has_median = 1;
			median = r->median;
		}
		double cv;
		if (r->eligible && conv(s, r, &cv))
			v[m++] = cv;
	}
	if (m == 0) {
		put(s, "<p class=\"note\">");
		esc(s, L->no_bench);
		put(s, "</p>\n");
		free(v);
		return 0;
	}
	qsort(v, m, sizeof *v, cmp_double);
	double top, step;
	html_nice_scale(v[m - 1] > 0 ? v[m - 1] : 0.01, &top, &step);
	const int base = 110;
	put(s, "<figure class=\"spread\"><svg class=\"histogram\" height=\"134\" role=\"img\" "
	    "aria-label=\"");
	putf(s, L->spread_label, num(s, (int64_t)m, a, sizeof a), pct(s, v[0], b, sizeof b),
	     pct(s, v[m - 1], c, sizeof c), has_median ? pct(s, median, d, sizeof d) : DASH);
	put(s, "\">\n");
	hist_grid(s, top, step, base);
	hist_bars(s, v, m, top, base);
	if (has_median) {
		double xm = 96.0 * median / top;
		put(s, "\n<g class=\"median\"><line x1=\"");
		put_x(s, xm);
		put(s, "\" x2=\"");
		put_x(s, xm);
		fprintf(s->fp, "\" y1=\"0\" y2=\"%d\"/></g>", base);
	}
	put(s, "\n</svg><figcaption class=\"note\">");
	putf(s, L->spread_label, num(s, (int64_t)m, a, sizeof a), pct(s, v[0], b, sizeof b),
	     pct(s, v[m - 1], c, sizeof c), has_median ? pct(s, median, d, sizeof d) : DASH);
	put(s, ". ");
	esc(s, L->spread_note);
	put(s, "</figcaption></figure>\n");
	free(v);
	return 0;
}

/* The funnel of one row: three bars scaled to the largest step, the
 * count after each and the step-to-step rate above it. */
static void funnel_chart(site *s, const report_row *r)
{
	static const char *const cls[3] = { "step-info", "step-form", "step-done" };
	const labels *L = s->L;
	char a[32];
	int64_t max = 0;
	for (int k = 0; k < 3; k++)
		if (r->n[k] > max)
			max = r->n[k];
	put(s, "<svg class=\"funnel-chart\" height=\"128\" role=\"img\" aria-label=\"");
	esc(s, L->funnel);
	put(s, ": ");
	for (int k = 0; k < 3; k++) {
		if (k)
			put(s, ", ");
		esc(s, L->step[k]);
		put(s, " ");
		esc(s, num(s, r->n[k], a, sizeof a));
	}
	put(s, "\">\n");
	for (int k = 0; k < 3; k++) {
		int y = k * 42;
		fprintf(s->fp, "<text class=\"step-label\" x=\"0\" y=\"%d\">", y + 13);
		esc(s, L->step[k]);
		put(s, "</text>");
		double rate;
		if (k > 0 && rate_of(s, r, k == 1 ? REPORT_COL_FORM_RATE : REPORT_COL_DONE_RATE,
		                     &rate)) {
			fprintf(s->fp, "<text class=\"rate\" x=\"100%%\" y=\"%d\" text-anchor=\"end\">",
			        y + 13);
			esc(s, pct(s, rate, a, sizeof a));
			put(s, " ");
			esc(s, L->of_prev);
			put(s, "</text>");
		}
		double w = 0;
		if (r->n[k] > 0 && max > 0) {
			w = 75.0 * (double)r->n[k] / (double)max;
			if (w < 0.5)
				w = 0.5;
			fprintf(s->fp, "<rect class=\"bar %s\" x=\"0\" y=\"%d\" width=\"", cls[k], y + 19);
			put_x(s, w);
			put(s, "\" height=\"16\" rx=\"2\"/>");
		}
		put(s, "<text class=\"count\" x=\"");
		put_x(s, w);
		fprintf(s->fp, "\" dx=\"%d\" y=\"%d\">", w > 0 ? 6 : 0, y + 32);
		esc(s, num(s, r->n[k], a, sizeof a));
		put(s, "</text>\n");
	}
	put(s, "</svg>\n");
}

/* The row's conversion (with its interval as a whisker) against the
 * national median and, with --peer, its peer group's median. */
static void compare_chart(site *s, const report_row *nr, const report_row *pr)
{
	const labels *L = s->L;
	char a[32], b[32], lab[160];
	double cv = 0, lo = 0, hi = 0;
	int has_cv = conv(s, nr, &cv), has_ci = wilson(s, nr, &lo, &hi);
	int has_peer = s->t->peer && pr->has_median;
	double max = 0.01;
	if (has_cv && cv > max)
		max = cv;
	if (has_ci && hi > max)
		max = hi;
	if (nr->has_median && nr->median > max)
		max = nr->median;
	if (has_peer && pr->median > max)
		max = pr->median;
	double top, step;
	html_nice_scale(max, &top, &step);
	int nbars = 2 + has_peer;
	put(s, "<svg class=\"compare\" height=\"");
	fprintf(s->fp, "%d\" role=\"img\" aria-label=\"", nbars * 36 + 4);
	esc(s, L->compare);
	put(s, ": ");
	esc(s, L->conv);
	put(s, " ");
	esc(s, has_cv ? pct(s, cv, a, sizeof a) : DASH);
	put(s, ", ");
	esc(s, L->nat_median);
	put(s, " ");
	esc(s, nr->has_median ? pct(s, nr->median, b, sizeof b) : DASH);
	if (has_peer) {
		put(s, ", ");
		fill1(L->peer_median, pr->peer ? pr->peer : DASH, lab, sizeof lab);
		esc(s, lab);
		put(s, " ");
		esc(s, pct(s, pr->median, a, sizeof a));
	}
	put(s, "\">\n");
	for (int k = 0; k < nbars; k++) {
		int y = k * 36;
		int has = k == 0 ? has_cv : k == 1 ? nr->has_median : 1;
		double v = k == 0 ? cv : k == 1 ? nr->median : pr->median;
		const char *cls = k == 0 ? "bar" : k == 1 ? "nat" : "peer";
		if (k == 2)
			fill1(L->peer_median, pr->peer ? pr->peer : DASH, lab, sizeof lab);
		else
			snprintf(lab, sizeof lab, "%s", k == 0 ? L->this_gem : L->nat_median);
		fprintf(s->fp, "<text x=\"0\" y=\"%d\">", y + 12);
		esc(s, lab);
		put(s, "</text>");
		double w = has ? 80.0 * v / top : 0;
		if (has && w > 0) {
			fprintf(s->fp, "<rect class=\"%s\" x=\"0\" y=\"%d\" width=\"", cls, y + 16);
			put_x(s, w);
			put(s, "\" height=\"14\" rx=\"2\"/>");
		}
		double xe = w;
		if (k == 0 && has_ci) {
			put(s, "<line class=\"ci\" x1=\"");
			put_x(s, 80.0 * lo / top);
			put(s, "\" x2=\"");
			put_x(s, 80.0 * hi / top);
			fprintf(s->fp, "\" y1=\"%d\" y2=\"%d\"/>", y + 23, y + 23);
			xe = 80.0 * hi / top;
		}
		put(s, "<text class=\"value\" x=\"");
		put_x(s, xe);
		fprintf(s->fp, "\" dx=\"6\" y=\"%d\">", y + 27);
		esc(s, has ? pct(s, v, a, sizeof a) : DASH);
		put(s, "</text>\n");
	}
	put(s, "</svg>\n");
}

/* ---- pages ---- */

/* Gemeenten of product p in the latest period, best first: eligible by
 * national rank, then the others by conversion, then those without one;
 * ties in catalogue order. */
typedef struct {
	const site *s;
	size_t p;
} rank_ctx;

static int sort_key(const site *s, size_t p, size_t g, double *cv)
{
	size_t i = latest(s, g, p);
	if (i == NONE)
		return 3;
	const report_row *r = &s->nat[i];
	if (!conv(s, r, cv))
		return 2;
	return r->eligible ? 0 : 1;
}

static int cmp_ranked(const void *a, const void *b, const void *arg)
{
	const rank_ctx *c = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	double cx = 0, cy = 0;
	int kx = sort_key(c->s, c->p, x, &cx), ky = sort_key(c->s, c->p, y, &cy);
	if (kx != ky)
		return kx - ky;
	if (kx < 2 && cx != cy)
		return cx > cy ? -1 : 1;
	return (x > y) - (x < y);
}

static size_t ranked_gems(site *s, size_t p)
{
	size_t n = 0;
	for (size_t g = 0; g < s->ngem; g++)
		if (latest(s, g, p) != NONE)
			s->sel[n++] = g;
	rank_ctx c = { s, p };
	kr_qsort_r(s->sel, n, sizeof *s->sel, cmp_ranked, &c);
	return n;
}

static void th(site *s, const char *label)
{
	put(s, "<th scope=\"col\">");
	esc(s, label);
	put(s, "</th>");
}

static void td_open(site *s, const char *label)
{
	put(s, "<td data-label=\"");
	esc(s, label);
	put(s, "\">");
}

static void td_text(site *s, const char *label, const char *text)
{
	td_open(s, label);
	esc(s, text);
	put(s, "</td>");
}

/* The home page's heading, introduction and table of products. */
static void index_head(site *s)
{
	const labels *L = s->L;
	char days[64];
	put(s, "<h1>");
	esc(s, L->site);
	if (days_text(s, days, sizeof days)[0]) {
		put(s, " <span class=\"dates\">");
		esc(s, days);
		put(s, "</span>");
	}
	put(s, "</h1>\n<p>");
	esc(s, L->intro);
	fprintf(s->fp, " <a href=\"about.html\">");
	esc(s, L->about);
	put(s, "</a>.</p>\n");
	latest_note(s);
	put(s, "<nav aria-labelledby=\"producten\" class=\"toc\"><h2 id=\"producten\">");
	esc(s, L->products);
	put(s, "</h2><ul>");
	for (size_t p = 0; p < s->nprod; p++) {
		fprintf(s->fp, "<li><a href=\"#p-%s\">", s->pslug[p]);
		esc(s, s->prods[p]);
		put(s, "</a></li>");
	}
	put(s, "</ul></nav>\n");
}

/* The five gemeenten with the largest potential gain in product p (the
 * latest period), largest first, ties in catalogue order. */
static void index_top_gain(site *s, size_t p)
{
	const labels *L = s->L;
	size_t top[5], nt = 0;
	for (size_t g = 0; g < s->ngem; g++) {
		size_t i = latest(s, g, p);
		if (i == NONE || !s->nat[i].eligible || s->nat[i].gain <= 0)
			continue;
		size_t k = nt < 5 ? nt++ : 5;
		while (k > 0 && s->nat[latest(s, top[k - 1], p)].gain < s->nat[i].gain) {
			if (k < 5)
				top[k] = top[k - 1];
			k--;
		}
		if (k < 5)
			top[k] = g;
	}
	if (nt == 0) {
		put(s, "<p class=\"note\">");
		esc(s, L->top_gain_none);
		put(s, "</p>\n");
	} else {
		put(s, "<ol class=\"gain\">");
		for (size_t k = 0; k < nt; k++) {
			put(s, "<li>");
			link_gem(s, top[k]);
			put(s, ": ");
			put_gain(s, s->nat[latest(s, top[k], p)].gain);
			put(s, "</li>");
		}
		put(s, "</ol>\n");
	}
}

/* The home page's section of product p: the national median, the spread
 * (a histogram), the largest gains and a link to the product's page.
 * Returns 0, or -1 when the histogram could not be drawn. */
static int index_product(site *s, size_t p)
{
	const labels *L = s->L;
	char a[32];
	fprintf(s->fp, "<section class=\"prod\" aria-labelledby=\"p-%s\">\n<h2 id=\"p-%s\">",
	        s->pslug[p], s->pslug[p]);
	esc(s, s->prods[p]);
	put(s, "</h2>\n<dl class=\"facts\"><dt>");
	esc(s, L->nat_median);
	put(s, "</dt><dd>");
	const report_row *any = NULL;
	for (size_t g = 0; g < s->ngem && !any; g++)
		if (latest(s, g, p) != NONE)
			any = &s->nat[latest(s, g, p)];
	if (any && any->has_median)
		esc(s, pct(s, any->median, a, sizeof a));
	else
		put(s, DASH);
	put(s, "</dd></dl>\n<h3>");
	esc(s, L->spread);
	put(s, "</h3>\n");
	if (histogram(s, p) < 0)
		return -1;
	put(s, "<h3>");
	esc(s, L->top_gain);
	put(s, "</h3>\n");
	index_top_gain(s, p);
	put(s, "<p>");
	fprintf(s->fp, "<a href=\"product/%s.html\">", s->pslug[p]);
	putf(s, L->to_product, s->prods[p]);
	put(s, "</a></p>\n</section>\n");
	return 0;
}

/* index.html: one section per product, then every gemeente A to Z. */
static int index_page(site *s)
{
	const labels *L = s->L;
	if (page_open(s, "index.html") < 0)
		return -1;
	page_begin(s, NULL, NULL, NULL, NULL);
	index_head(s);
	for (size_t p = 0; p < s->nprod && !ferror(s->fp); p++)
		if (index_product(s, p) < 0)
			goto fail;
	put(s, "<section aria-labelledby=\"gemeenten\"><h2 id=\"gemeenten\">");
	esc(s, L->az);
	put(s, "</h2>\n<ul class=\"az\">\n");
	for (size_t k = 0; k < s->ngem; k++) {
		put(s, "<li>");
		link_gem(s, s->az[k]);
		put(s, "</li>\n");
	}
	put(s, "</ul></section>\n");
	page_end(s);
	return page_close(s);
fail:
	fclose(s->fp);
	s->fp = NULL;
	return -1;
}

/* A line through the values v[t] (has[t]: present) of the periods, x in
 * % of the chart between left and left + width, y in px. */
static void trend_line(site *s, const char *cls, const double *v, const unsigned char *has,
                       double top, int y0, int plot)
{
	const double left = 8, width = 84;
	double px = 0, py = 0;
	int prev = 0;
	fprintf(s->fp, "<g class=\"%s\">", cls);
	for (size_t t = 0; t < s->nper; t++) {
		if (!has[t]) {
			prev = 0;
			continue;
		}
		double x = left + (s->nper > 1 ? width * (double)t / (double)(s->nper - 1) : width / 2);
		double y = y0 - plot * v[t] / top;
		if (prev) {
			put(s, "<line x1=\"");
			put_x(s, px);
			fprintf(s->fp, "\" y1=\"%.1f\" x2=\"", py);
			put_x(s, x);
			fprintf(s->fp, "\" y2=\"%.1f\"/>", y);
		}
		put(s, "<circle cx=\"");
		put_x(s, x);
		fprintf(s->fp, "\" cy=\"%.1f\" r=\"3\"/>", y);
		px = x;
		py = y;
		prev = 1;
	}
	put(s, "</g>\n");
}

/* The trend of gemeente g's product p over the periods: a chart of its
 * conversion and the national median, and the figures as a table.
 * Returns 0, or -1 when out of memory (message given). */
static int trend_table(site *s, size_t g, size_t p)
{
	const labels *L = s->L;
	char a[32];
	double *v = calloc(2 * s->nper + 1, sizeof *v);
	unsigned char *has = calloc(2 * s->nper + 1, 1);
	if (!v || !has) {
		free(v);
		free(has);
		msg_error("out of memory");
		return -1;
	}
	put(s, "<h4>");
	esc(s, L->trend);
	put(s, "</h4>\n");
	{
		double max = 0.01;
		for (size_t t = 0; t < s->nper; t++) {
			size_t i = cell_at(s, t, g, p);
			if (i == NONE)
				continue;
			const report_row *r = &s->nat[i];
			has[t] = (unsigned char)conv(s, r, &v[t]);
			has[s->nper + t] = (unsigned char)r->has_median;
			v[s->nper + t] = r->median;
			for (int k = 0; k < 2; k++)
				if (has[k * s->nper + t] && v[k * s->nper + t] > max)
					max = v[k * s->nper + t];
		}
		double top, step;
		html_nice_scale(max, &top, &step);
		const int y0 = 96, plot = 88;
		put(s, "<figure class=\"trend\"><svg class=\"trend-chart\" height=\"120\" "
		    "role=\"img\" aria-label=\"");
		esc(s, L->trend);
		put(s, ": ");
		esc(s, s->pers[0]);
		put(s, " " DASH " ");
		esc(s, s->pers[s->nper - 1]);
		put(s, "\">\n");
		for (int k = 0; k * step <= top + 1e-9; k++) {
			int y = y0 - (int)(plot * (k * step) / top + 0.5);
			fprintf(s->fp, "<line class=\"grid\" x1=\"8%%\" x2=\"92%%\" y1=\"%d\" y2=\"%d\"/>"
			        "<text class=\"tick\" x=\"8%%\" dx=\"-4\" y=\"%d\" text-anchor=\"end\">",
			        y, y, y + 4);
			esc(s, html_fmt_pct(L->decimal, k * step, 0, a, sizeof a));
			put(s, "</text>\n");
		}
		fprintf(s->fp, "<text class=\"tick\" x=\"8%%\" y=\"%d\">", y0 + 18);
		esc(s, s->pers[0]);
		fprintf(s->fp, "</text><text class=\"tick\" x=\"92%%\" y=\"%d\" text-anchor=\"end\">",
		        y0 + 18);
		esc(s, s->pers[s->nper - 1]);
		put(s, "</text>\n");
		trend_line(s, "trend-median", v + s->nper, has + s->nper, top, y0, plot);
		trend_line(s, "trend-line", v, has, top, y0, plot);
		put(s, "</svg><ul class=\"legend\"><li><span class=\"swatch sw-line\"></span>");
		esc(s, L->this_gem);
		put(s, "</li><li><span class=\"swatch sw-median\"></span>");
		esc(s, L->nat_median);
		put(s, "</li></ul></figure>\n");
	}
	free(v);
	free(has);
	put(s, "<div class=\"tablewrap\"><table class=\"data\"><thead><tr>");
	th(s, L->col_period);
	th(s, L->short_step[0]);
	th(s, L->short_step[2]);
	th(s, L->conv);
	th(s, L->nat_median);
	put(s, "</tr></thead><tbody>\n");
	for (size_t t = 0; t < s->nper; t++) {
		size_t i = cell_at(s, t, g, p);
		if (i == NONE)
			continue;
		const report_row *r = &s->nat[i];
		double cv;
		put(s, "<tr><td>");
		esc(s, s->pers[t]);
		put(s, "</td>");
		td_text(s, L->short_step[0], num(s, r->n[0], a, sizeof a));
		td_text(s, L->short_step[2], num(s, r->n[2], a, sizeof a));
		td_text(s, L->conv, conv(s, r, &cv) ? pct(s, cv, a, sizeof a) : DASH);
		td_text(s, L->nat_median, r->has_median ? pct(s, r->median, a, sizeof a) : DASH);
		put(s, "</tr>\n");
	}
	put(s, "</tbody></table></div>\n");
	return 0;
}

/* The figures of one row of a gemeente's page as a list of facts:
 * conversion with its interval, the medians, the ranks, the potential gain
 * and the errors; nr is the row benchmarked nationally, pr in its peer
 * group (the same row without --peer). */
static void gemeente_facts(site *s, const report_row *nr, const report_row *pr)
{
	const labels *L = s->L;
	char a[32], b[32];
	double cv;
	put(s, "<dl class=\"facts\"><dt>");
	esc(s, L->conv);
	put(s, "</dt><dd>");
	esc(s, conv(s, nr, &cv) ? pct(s, cv, a, sizeof a) : DASH);
	put(s, "</dd><dt>");
	esc(s, L->interval);
	put(s, "</dt><dd>");
	put_interval(s, nr);
	put(s, "</dd><dt>");
	esc(s, L->nat_median);
	put(s, "</dt><dd>");
	esc(s, nr->has_median ? pct(s, nr->median, a, sizeof a) : DASH);
	put(s, "</dd>");
	if (s->t->peer) {
		put(s, "<dt>");
		putf(s, L->peer_median, pr->peer ? pr->peer : DASH);
		put(s, "</dt><dd>");
		esc(s, pr->has_median ? pct(s, pr->median, a, sizeof a) : DASH);
		put(s, "</dd>");
	}
	put(s, "<dt>");
	esc(s, L->rank);
	put(s, " (");
	esc(s, L->rank_nat);
	put(s, ")</dt><dd>");
	put_rank(s, nr);
	put(s, "</dd>");
	if (s->t->peer) {
		put(s, "<dt>");
		esc(s, L->rank);
		put(s, " (");
		esc(s, L->rank_peer);
		put(s, ")</dt><dd>");
		put_rank(s, pr);
		put(s, "</dd>");
	}
	put(s, "<dt>");
	esc(s, L->gain);
	put(s, "</dt><dd>");
	if (nr->eligible && nr->gain >= 0)
		put_gain(s, nr->gain);
	else
		put(s, DASH);
	put(s, "</dd>");
	if (nr->errors[1] > 0 || nr->errors[2] > 0) {
		put(s, "<dt>");
		esc(s, L->errors);
		put(s, "</dt><dd class=\"errors\">");
		esc(s, num(s, nr->errors[1], a, sizeof a));
		put(s, " ");
		esc(s, L->errors_step[0]);
		put(s, ", ");
		esc(s, num(s, nr->errors[2], b, sizeof b));
		put(s, " ");
		esc(s, L->errors_step[1]);
		put(s, " (");
		esc(s, L->errors_note);
		put(s, ")</dd>");
	}
	put(s, "</dl>\n");
}

/* The section of product p on gemeente g's page (row i of the latest
 * period): the funnel and comparison charts, the facts, the trend with
 * --by. Returns 0, or -1 when the trend could not be written (the page's
 * file is then closed). */
static int gemeente_product(site *s, size_t g, size_t p, size_t i)
{
	const labels *L = s->L;
	const report_row *nr = &s->nat[i], *pr = &s->pub[i];
	fprintf(s->fp, "<section class=\"prod\" aria-labelledby=\"p-%s\">\n<h2 id=\"p-%s\">",
	        s->pslug[p], s->pslug[p]);
	esc(s, s->prods[p]);
	put(s, "</h2>\n<div class=\"cards\"><div><h3>");
	esc(s, L->funnel);
	put(s, "</h3>\n");
	funnel_chart(s, nr);
	put(s, "</div><div><h3>");
	esc(s, L->compare);
	put(s, "</h3>\n");
	compare_chart(s, nr, pr);
	put(s, "</div></div>\n");
	gemeente_facts(s, nr, pr);
	if (s->nper > 1 && trend_table(s, g, p) < 0) {
		fclose(s->fp);
		s->fp = NULL;
		return -1;
	}
	put(s, "<p>");
	link_prod(s, p);
	put(s, "</p>\n</section>\n");
	return 0;
}

/* gemeente/SLUG.html: gemeente g's peer group, then a section for each
 * product it has a row of in the latest period. */
static int gemeente_page(site *s, size_t g)
{
	const labels *L = s->L;
	char rel[SLUG_MAX + 32];
	snprintf(rel, sizeof rel, "gemeente/%s.html", s->gslug[g]);
	if (page_open(s, rel) < 0)
		return -1;
	page_begin(s, s->gems[g], L->gemeenten, "index.html#gemeenten", s->gems[g]);
	put(s, "<h1>");
	esc(s, s->gems[g]);
	put(s, "</h1>\n");
	const char *peer = NULL;
	for (size_t p = 0; p < s->nprod && !peer; p++)
		if (latest(s, g, p) != NONE && s->t->peer)
			peer = s->pub[latest(s, g, p)].peer;
	if (peer) {
		put(s, "<p class=\"sub\">");
		putf(s, L->peer_group, peer);
		put(s, "</p>\n");
	}
	latest_note(s);
	for (size_t p = 0; p < s->nprod && !ferror(s->fp); p++) {
		size_t i = latest(s, g, p);
		if (i != NONE && gemeente_product(s, g, p, i) < 0)
			return -1;
	}
	page_end(s);
	return page_close(s);
}

static int product_page(site *s, size_t p)
{
	const labels *L = s->L;
	char rel[SLUG_MAX + 32], a[32];
	double cv;
	snprintf(rel, sizeof rel, "product/%s.html", s->pslug[p]);
	if (page_open(s, rel) < 0)
		return -1;
	page_begin(s, s->prods[p], L->products, "index.html#producten", s->prods[p]);
	put(s, "<h1>");
	esc(s, s->prods[p]);
	put(s, "</h1>\n");
	latest_note(s);
	size_t n = ranked_gems(s, p);
	const report_row *first = n ? &s->nat[latest(s, s->sel[0], p)] : NULL;
	put(s, "<dl class=\"facts\"><dt>");
	esc(s, L->nat_median);
	put(s, "</dt><dd>");
	esc(s, first && first->has_median ? pct(s, first->median, a, sizeof a) : DASH);
	put(s, "</dd></dl>\n<h2>");
	esc(s, L->spread);
	put(s, "</h2>\n");
	if (histogram(s, p) < 0) {
		fclose(s->fp);
		s->fp = NULL;
		return -1;
	}
	put(s, "<h2>");
	putf(s, L->to_product, s->prods[p]);
	put(s, "</h2>\n<div class=\"tablewrap\"><table class=\"data\"><thead><tr>");
	th(s, L->col_gemeente);
	th(s, L->rank);
	if (s->t->peer)
		th(s, L->col_peer);
	for (int k = 0; k < 3; k++)
		th(s, L->short_step[k]);
	th(s, L->conv);
	th(s, L->interval);
	th(s, L->gain);
	put(s, "</tr></thead><tbody>\n");
	for (size_t k = 0; k < n; k++) {
		size_t g = s->sel[k], i = latest(s, g, p);
		const report_row *r = &s->nat[i];
		/* the name first: on a phone it heads the row's card */
		put(s, "<tr><td>");
		link_gem(s, g);
		put(s, "</td>");
		td_open(s, L->rank);
		put_rank(s, r);
		put(s, "</td>");
		if (s->t->peer)
			td_text(s, L->col_peer, s->pub[i].peer ? s->pub[i].peer : DASH);
		for (int j = 0; j < 3; j++)
			td_text(s, L->short_step[j], num(s, r->n[j], a, sizeof a));
		td_text(s, L->conv, conv(s, r, &cv) ? pct(s, cv, a, sizeof a) : DASH);
		td_open(s, L->interval);
		put_interval(s, r);
		put(s, "</td>");
		td_text(s, L->gain, r->eligible && r->gain >= 0 ? num(s, r->gain, a, sizeof a) : DASH);
		put(s, "</tr>\n");
	}
	put(s, "</tbody></table></div>\n");
	page_end(s);
	return page_close(s);
}

static const char *reason_label(const labels *L, const char *name)
{
	return html_reason_label(L->lang, name);
}

/* About, the first section: what is measured, the three steps, how the
 * rates and the benchmark are computed. */
static void about_measure(site *s)
{
	const labels *L = s->L;
	const report_table *t = s->t;
	char a[32];
	put(s, "<h2>");
	esc(s, L->about_h[0]);
	put(s, "</h2>\n<p>");
	esc(s, L->about_measure);
	put(s, "</p>\n<ol>");
	for (int k = 0; k < 3; k++) {
		put(s, "<li>");
		esc(s, L->step[k]);
		put(s, "</li>");
	}
	put(s, "</ol>\n<p>");
	putf(s, L->about_steps, t->count_hits ? L->count_hits : L->count_visitors);
	put(s, " ");
	esc(s, t->count_hits ? L->about_hits : t->sequential ? L->about_seq : L->about_open);
	put(s, "</p>\n<p>");
	esc(s, L->about_rates);
	put(s, "</p>\n<p>");
	putf(s, L->about_bench, num(s, s->min_visitors, a, sizeof a));
	put(s, " ");
	esc(s, L->about_interval);
	put(s, " ");
	esc(s, L->about_gain);
	put(s, "</p>\n");
}

/* About, the second section: which requests were left out, and the
 * counts per reason when the run's meta has them. */
static void about_excluded(site *s)
{
	const labels *L = s->L;
	const report_meta *m = s->t->meta;
	char a[32];
	put(s, "<h2>");
	esc(s, L->about_h[1]);
	put(s, "</h2>\n<p>");
	esc(s, L->about_excl);
	put(s, "</p>\n");
	if (m && m->excluded && m->reason_names) {
		put(s, "<dl class=\"facts\"><dt>");
		esc(s, L->excluded_h);
		put(s, "</dt><dd>");
		for (int k = 0; k < m->nreasons; k++) {
			if (k)
				put(s, " \xc2\xb7 ");
			esc(s, reason_label(L, m->reason_names[k]));
			put(s, " ");
			esc(s, num(s, (int64_t)m->excluded[k], a, sizeof a));
		}
		put(s, "</dd><dt>");
		esc(s, L->qualified);
		put(s, "</dt><dd>");
		esc(s, num(s, (int64_t)m->qualified, a, sizeof a));
		put(s, "</dd></dl>\n");
	}
}

/* About, the third section: privacy, and the --min-cell threshold. */
static void about_privacy(site *s)
{
	const labels *L = s->L;
	char a[32];
	put(s, "<h2>");
	esc(s, L->about_h[2]);
	put(s, "</h2>\n<p>");
	esc(s, L->about_privacy);
	if (s->t->min_cell > 1) {
		put(s, " ");
		putf(s, L->about_min_cell, num(s, s->t->min_cell - 1, a, sizeof a));
	}
	put(s, "</p>\n");
}

/* About, the data: the period (with --since/--until and the periods of
 * --by), the input files by name only and the lines read. */
static void about_data(site *s)
{
	const labels *L = s->L;
	const report_meta *m = s->t->meta;
	char a[32], b[32], days[64];
	put(s, "<h2>");
	esc(s, L->about_h[3]);
	put(s, "</h2>\n<dl class=\"facts\"><dt>");
	esc(s, L->period);
	put(s, "</dt><dd class=\"period\">");
	esc(s, days_text(s, days, sizeof days)[0] ? days : L->all_lines);
	if (m && (m->since || m->until)) {
		char sel[80], x[32] = "", y[32] = "";
		if (m->since)
			ktime_format_bound(*m->since, x, sizeof x);
		if (m->until)
			ktime_format_bound(*m->until, y, sizeof y);
		snprintf(sel, sizeof sel, "%s..%s", x, y);
		put(s, " (");
		putf(s, L->selection, sel);
		put(s, ")");
	}
	if (s->pers[0][0]) {
		put(s, "; ");
		putf(s, L->periods_txt, s->pers[0], s->pers[s->nper - 1]);
	}
	put(s, "</dd>");
	if (m) {
		put(s, "<dt>");
		esc(s, L->inputs);
		put(s, "</dt><dd><ul class=\"inputs\">");
		for (int i = 0; i < m->ninputs; i++) {
			const char *name = m->input_names ? m->input_names[i] : "-";
			const char *slash = strrchr(name, '/');
			put(s, "<li>");
			/* the file's name only: the directories of the server stay private */
			esc(s, strcmp(name, "-") == 0 ? "(stdin)" : slash ? slash + 1 : name);
			put(s, " (");
			esc(s, num(s, m->input_lines ? (int64_t)m->input_lines[i] : 0, a, sizeof a));
			put(s, ")</li>");
		}
		put(s, "</ul></dd><dt>");
		esc(s, L->lines_read);
		put(s, "</dt><dd class=\"lines-read\">");
		esc(s, num(s, (int64_t)m->lines, b, sizeof b));
		put(s, "</dd>");
	}
	put(s, "</dl>\n");
}

/* About, the last section: when the site was made, by which version. */
static void about_generated(site *s)
{
	const report_meta *m = s->t->meta;
	put(s, "<h2>");
	esc(s, s->L->about_h[4]);
	put(s, "</h2>\n<p class=\"generated\">");
	esc(s, s->when);
	if (m && m->version) {
		put(s, " (klantreis ");
		esc(s, m->version);
		put(s, ")");
	}
	put(s, "</p>\n");
}

/* about.html: how the figures are made and what this site was made from. */
static int about_page(site *s)
{
	const labels *L = s->L;
	if (page_open(s, "about.html") < 0)
		return -1;
	page_begin(s, L->about, NULL, NULL, L->about);
	put(s, "<h1>");
	esc(s, L->about);
	put(s, "</h1>\n");
	about_measure(s);
	about_excluded(s);
	about_privacy(s);
	about_data(s);
	about_generated(s);
	page_end(s);
	return page_close(s);
}

/* site_write, messages naming `shown` in the place of dir. */
static int write_site(const report_table *t, int64_t min_visitors, time_t generated,
                      const char *dir, const char *shown)
{
	site s;
	int rc = -1;
	char sub[4096];
	struct tm tm;
	memset(&s, 0, sizeof s);
	s.t = t;
	s.L = t->lang && strcmp(t->lang, "en") == 0 ? &en : &nl;
	s.min_visitors = min_visitors;
	s.dir = dir;
	s.shown = shown;
	if (gmtime_r(&generated, &tm))
		strftime(s.when, sizeof s.when, "%Y-%m-%d %H:%M UTC", &tm);
	if (load(&s, t) < 0) {
		msg_error("out of memory");
		goto out;
	}
	static const char *const subdirs[] = { "gemeente", "product" };
	for (size_t k = 0; k < 2; k++) {
		snprintf(sub, sizeof sub, "%s/%s", dir, subdirs[k]);
		if (mkdir(sub, 0777) != 0) {
			msg_error("cannot write '%s/%s': %s", shown, subdirs[k], strerror(errno));
			goto out;
		}
	}
	if (index_page(&s) < 0 || about_page(&s) < 0)
		goto out;
	for (size_t g = 0; g < s.ngem; g++)
		if (gemeente_page(&s, g) < 0)
			goto out;
	for (size_t p = 0; p < s.nprod; p++)
		if (product_page(&s, p) < 0)
			goto out;
	rc = 0;
out:
	if (s.fp)
		fclose(s.fp);
	unload(&s);
	return rc;
}

int site_write(const report_table *t, int64_t min_visitors, time_t generated, const char *dir)
{
	return write_site(t, min_visitors, generated, dir, dir);
}

int site_publish(const report_table *t, int64_t min_visitors, const char *path)
{
	output_dir d;
	time_t now = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (*end == '\0' && v >= 0)
			now = (time_t)v;
	}
	if (output_dir_open(&d, path) < 0)
		return -1;
	int ok = write_site(t, min_visitors, now, d.tmp, d.path) == 0;
	return output_dir_close(&d, ok);
}
