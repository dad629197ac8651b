# corpus.awk - an independent model of the rules of klantreis(1),
# MEASUREMENT, that computes corpus.expected; tests/e2e.sh runs it on every run and fails when the two
# differ, so the expected file cannot drift from the model.
# It handles just what the corpus needs: Apache combined lines, one
# gemeente (X, as with --gemeente X), open funnel, visitors, no --by.
#   awk -f corpus.awk ../../../shared/corpus/elastic-apache_logs.log
BEGIN {
	FS = "\""
	ntok = split("bot crawl spider slurp curl/ wget/ python-requests " \
	    "python-urllib aiohttp go-http-client java/ libwww httpclient " \
	    "okhttp axios/ node-fetch scrapy headlesschrome phantomjs " \
	    "facebookexternalhit siteimprove uptime pingdom monitor preview " \
	    "check_http zabbix nagios lighthouse", tok, " ")
	# the rows of corpus.csv: product, info, form, done ("" = not measured)
	np = 0
	prod[++np] = "blog"; pat[np, 1] = "^/blog/"; pat[np, 2] = "^/blog/tags/"
	pat[np, 3] = "^/blog/geekery/"
	prod[++np] = "presentaties"; pat[np, 1] = "^/presentations/"
	pat[np, 2] = "\\.png$"; pat[np, 3] = "\\.js$"
	prod[++np] = "projecten"; pat[np, 1] = "^/projects/"; pat[np, 2] = "[?]"
	pat[np, 3] = "^/projects/xdotool/"
	prod[++np] = "home"; pat[np, 1] = "^/$"; pat[np, 2] = ""; pat[np, 3] = ""
	prod[++np] = "kibana"; pat[np, 1] = "^/kibana"; pat[np, 2] = ""; pat[np, 3] = ""
	minv = 30
}
{
	# $1 = 'client - - [dd/Mon/yyyy:hh:mm:ss +zzzz] ', $2 = request,
	# $3 = ' status bytes ', $4 = referer, $6 = user agent
	split($1, a, " "); client = a[1]; day = substr(a[4], 2, 11)
	split($2, r, " "); method = r[1]; target = r[2]
	split($3, s, " "); status = s[1] + 0
	ua = $6
	if (method != "GET" && method != "POST") next
	if (status < 200 || status > 399) next
	if (ua == "" || ua == "-") next
	l = tolower(ua)
	for (i = 1; i <= ntok; i++)
		if (index(l, tok[i])) next
	key = client SUBSEP ua SUBSEP day
	for (p = 1; p <= np; p++)
		for (k = 1; k <= 3; k++)
			if (pat[p, k] != "" && target ~ pat[p, k] && !((p, k, key) in seen)) {
				seen[p, k, key] = 1
				n[p, k]++
			}
}
function rate(a, b) { return b == 0 ? "" : sprintf("%.4f", a / b) }
END {
	print "gemeente,product,info,form,done,form_rate,done_rate,conversion," \
	    "median_conversion,rank,ranked,potential_gain"
	for (p = 1; p <= np; p++) {
		i = n[p, 1] + 0; f = n[p, 2] + 0; d = n[p, 3] + 0
		# one gemeente: the row is its product's only row, so when eligible the
		# median is its own conversion, rank 1 of 1, gain max(0, round(d) - d) = 0
		if (i >= minv && i > 0)
			bench = sprintf("%s,1,1,0", rate(d, i))
		else
			bench = ",,,"
		printf "X,%s,%d,%d,%d,%s,%s,%s,%s\n", prod[p], i, f, d,
		    rate(f, i), rate(d, f), rate(d, i), bench
	}
}
