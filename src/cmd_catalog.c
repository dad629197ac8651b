/*
 * cmd_catalog.c - `klantreis catalog` prints the built-in catalogue;
 * `klantreis check -c FILE` validates a catalogue without reading logs, and
 * `klantreis check [-c FILE] URL...` shows what each URL matches.
 *
 * URLs are routed and matched by the matcher analyze uses (match_gemeente,
 * match_target), so check shows exactly the steps a request for that URL
 * would count for (when it qualifies: method, status and user agent are
 * not part of a URL). A URL is turned into the host and target a log line
 * would give (parse_url); the host is normalized as logfmt does for a
 * logged host: lower case, no ":port", no trailing dot.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "logfmt.h"
#include "msg.h"
#include "run.h"

int cmd_catalog(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqv", longopts, NULL)) != -1) {
		if (c == 'h')
			return cmd_help("catalog");
		if (c == 'q' || c == 'v') {
			msg_set_level(c == 'q' ? MSG_QUIET : MSG_VERBOSE);
			continue;
		}
		run_option_error(c, argv, longopts);
		return cmd_usage("catalog");
	}
	if (optind < argc) {
		msg_error("unexpected argument '%s'", argv[optind]);
		return cmd_usage("catalog");
	}
	catalog *cat = catalog_builtin();
	if (!cat) {
		msg_error("out of memory");
		return 1;
	}
	int rc = catalog_write_csv(cat, stdout) == 0 && fflush(stdout) == 0 ? 0 : 1;
	if (rc && errno != EPIPE)
		msg_error("cannot write '(stdout)': %s", strerror(errno));
	catalog_free(cat);
	return rc;
}

/* A URL split as a log line would give it: host (normalized, may be
 * empty) and target (path and query, never empty). Both point into the
 * caller's buffer. */
typedef struct {
	char *host;
	size_t hn;
	const char *target;
	size_t tn;
} check_url;

/*
 * Splits s (NUL-terminated, modified in place) into host and target:
 *   HOST TARGET            two words, as logged (TARGET as is)
 *   http(s)://HOST/PATH?Q  a URL; "user@" and "#fragment" are dropped
 *   HOST/PATH?Q, HOST      the same without a scheme
 *   /PATH?Q                no host (a log without virtual host)
 * The target is "/" when the URL has no path, "/?Q" when it has only a
 * query. Returns 0, or -1 when s is empty.
 */
static int parse_url(char *s, check_url *u)
{
	static char slash[] = "/";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
	                 s[n - 1] == '\n'))
		s[--n] = '\0';
	if (n == 0)
		return -1;
	char *sp = strpbrk(s, " \t");
	if (sp) {
		char *t = sp;
		while (*t == ' ' || *t == '\t')
			t++;
		u->host = s;
		u->hn = logfmt_host_norm(s, (size_t)(sp - s)).n;
		u->target = t;
		u->tn = strlen(t);
		return 0;
	}
	char *a = s;
	if (strncasecmp(a, "http://", 7) == 0)
		a += 7;
	else if (strncasecmp(a, "https://", 8) == 0)
		a += 8;
	else if (a[0] == '/') {
		u->host = a;
		u->hn = 0;
		u->target = a;
		u->tn = strcspn(a, "#");
		return 0;
	}
	char *e = a + strcspn(a, "#");
	*e = '\0';
	char *q = a + strcspn(a, "/?");
	char *at = memrchr(a, '@', (size_t)(q - a));
	char *h = at ? at + 1 : a;
	size_t hn = (size_t)(q - h);
	if (*q == '/') {
		u->target = q;
		u->tn = (size_t)(e - q);
	} else if (*q == '?') {
		/* "/?Q": move the host one byte left to make room for the '/' */
		memmove(h - 1, h, hn);
		h--;
		q[-1] = '/';
		u->target = q - 1;
		u->tn = (size_t)(e - q + 1);
	} else {
		u->target = slash;
		u->tn = 1;
	}
	u->host = h;
	u->hn = logfmt_host_norm(h, hn).n;
	return 0;
}

/* Prints s (n bytes) with control bytes as '?', so a tab or newline in a
 * URL, name or pattern cannot shift the columns. */
static void put_cell(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		putchar(c < 0x20 || c == 0x7f ? '?' : c);
	}
}

/* Prints the lines of one URL; returns 1 when it matched a step, else 0. */
static int check_one(const catalog *cat, matcher *m, match_ctx *x, char *arg,
                     match_hit *hits, int max)
{
	check_url u;
	if (parse_url(arg, &u) < 0)
		return 1; /* blank: nothing to check */
	kr_str host = { u.host, u.hn };
	kr_str target = { u.target, u.tn };
	/* the URL as the matcher sees it: HOST TARGET */
	char *shown = NULL;
	size_t shown_n = 0;
	FILE *mem = open_memstream(&shown, &shown_n);
	if (!mem)
		return -1;
	if (u.hn)
		fprintf(mem, "%.*s ", (int)u.hn, u.host);
	fprintf(mem, "%.*s", (int)u.tn, u.target);
	if (fclose(mem) != 0) {
		free(shown);
		return -1;
	}
	int gem = match_gemeente(x, host);
	int nh = gem >= 0 ? match_target(x, gem, target, hits, max) : 0;
	for (int i = 0; i < nh; i++) {
		const catalog_row *r = &cat->rows[hits[i].row];
		const char *name = match_gemeente_name(m, gem);
		const char *pat = r->pat[hits[i].step];
		put_cell(shown, shown_n);
		putchar('\t');
		put_cell(name, strlen(name));
		putchar('\t');
		put_cell(r->product, strlen(r->product));
		printf("\t%s\t", catalog_step_names[hits[i].step]);
		put_cell(cat->name, strlen(cat->name));
		printf(":%ld\t", r->line);
		put_cell(pat, strlen(pat));
		putchar('\n');
	}
	if (nh == 0) {
		put_cell(shown, shown_n);
		if (gem < 0) {
			printf("\t-\t-\t-\t-\t%s", u.hn ? "unknown host '" : "no host");
			put_cell(u.host, u.hn);
			printf("%s\n", u.hn ? "'" : " (the catalogue has several gemeenten)");
		} else {
			const char *name = match_gemeente_name(m, gem);
			putchar('\t');
			put_cell(name, strlen(name));
			printf("\t-\t-\t-\tno pattern matched\n");
		}
	}
	free(shown);
	return nh > 0;
}

/* check with URLs: one line per match (or per URL that matched nothing)
 * for each argument; "-" reads URLs from standard input, one per line
 * (blank lines and lines starting with '#' are skipped). Returns 0 when
 * every URL matched a step, 1 when one did not (or on a read or write
 * error). */
static int check_urls(const catalog *cat, matcher *m, char **urls, int nurls)
{
	int max = match_max_hits(m);
	match_hit *hits = malloc(((size_t)max + 1) * sizeof *hits);
	match_ctx *x = match_ctx_new(m);
	char *line = NULL;
	size_t cap = 0;
	int rc = 1, all = 1;
	if (!hits || !x) {
		msg_error("out of memory");
		goto out;
	}
	for (int i = 0; i < nurls; i++) {
		if (strcmp(urls[i], "-") != 0) {
			int r = check_one(cat, m, x, urls[i], hits, max);
			if (r < 0) {
				msg_error("out of memory");
				goto out;
			}
			all &= r;
			continue;
		}
		ssize_t len;
		errno = 0;
		while ((len = getline(&line, &cap, stdin)) >= 0) {
			const char *p = line;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '#')
				continue;
			int r = check_one(cat, m, x, line, hits, max);
			if (r < 0) {
				msg_error("out of memory");
				goto out;
			}
			all &= r;
		}
		if (ferror(stdin)) {
			msg_error("cannot read '(stdin)': %s", strerror(errno ? errno : EIO));
			goto out;
		}
	}
	long limit = match_limit_hits(m);
	if (limit > 0)
		msg_warn("%s:%ld: pattern hit the PCRE2 match limit on %ld target(s); "
		         "counted as not matching", cat->name, match_limit_line(m), limit);
	if (fflush(stdout) != 0) {
		if (errno != EPIPE)
			msg_error("cannot write '(stdout)': %s", strerror(errno));
		goto out;
	}
	rc = all ? 0 : 1;
out:
	free(line);
	free(hits);
	match_ctx_free(x);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "catalog", required_argument, NULL, 'c' },
		{ "gemeente", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	run_opts o;
	int c;
	run_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqvc:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return cmd_help("check");
		case 'q':
			msg_set_level(MSG_QUIET);
			break;
		case 'v':
			msg_set_level(MSG_VERBOSE);
			break;
		case 'c':
			o.catalog_path = optarg;
			break;
		case 'g':
			o.gemeente = optarg;
			break;
		default:
			run_option_error(c, argv, longopts);
			return cmd_usage("check");
		}
	}
	if (!o.catalog_path && optind == argc) {
		msg_error("missing '-c FILE' (or a URL to match against the built-in catalogue)");
		return cmd_usage("check");
	}
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0 && o.catalog_path &&
		    strcmp(o.catalog_path, "-") == 0) {
			msg_error("cannot read both the catalogue and URLs from standard input");
			return cmd_usage("check");
		}
	}
	catalog *cat;
	matcher *m;
	int rc = run_setup(&o, NULL, 0, &cat, &m);
	if (rc != RUN_OK)
		return rc;
	if (optind < argc) {
		rc = check_urls(cat, m, argv + optind, argc - optind);
		match_free(m);
		catalog_free(cat);
		return rc;
	}
	size_t npat = 0;
	for (size_t i = 0; i < cat->nrows; i++)
		for (int s = 0; s < STEP_COUNT; s++)
			npat += cat->rows[i].pat[s] != NULL;
	printf("%s: ok: %zu gemeenten, %zu hosts, %zu products, %zu patterns\n",
	       cat->name, cat->ngem, cat->nhosts, cat->nrows, npat);
	for (size_t g = 0; g < cat->ngem; g++) {
		printf("gemeente %s\n  hosts:", cat->gemeenten[g]);
		int any = 0;
		for (size_t h = 0; h < cat->nhosts; h++)
			if (cat->hosts[h].gem == (int)g) {
				printf(" %s", cat->hosts[h].host);
				any = 1;
			}
		printf("%s\n", any ? "" : " (none)");
		for (size_t i = 0; i < cat->nrows; i++) {
			const catalog_row *r = &cat->rows[i];
			if (r->gem != (int)g)
				continue;
			printf("  product %s (line %ld): steps", r->product, r->line);
			for (int s = 0; s < STEP_COUNT; s++)
				printf(" %s%s", catalog_step_names[s], r->pat[s] ? "" : "(not measured)");
			printf("\n");
		}
	}
	rc = fflush(stdout) == 0 ? 0 : 1;
	match_free(m);
	catalog_free(cat);
	return rc;
}
