# funnel.awk - the open funnel as a sysadmin would write it in awk: the
# baseline `make bench` compares klantreis with. Same rules as klantreis's
# default run (GET/POST, status 200-399, bot tokens, visitor = address +
# user agent + day, distinct visitors per gemeente/product/step) on a
# vhost_combined log, with a catalogue whose patterns are POSIX EREs.
#
#   mawk -f funnel.awk catalogue.csv access.log
BEGIN {
	ntok = split("bot crawl spider slurp curl/ wget/ python-requests python-urllib " \
	    "aiohttp go-http-client java/ libwww httpclient okhttp axios/ node-fetch " \
	    "scrapy headlesschrome phantomjs facebookexternalhit siteimprove uptime " \
	    "pingdom monitor preview check_http zabbix nagios lighthouse", tok, " ")
	step[1] = "info"; step[2] = "form"; step[3] = "done"
}
FNR == NR {                      # the catalogue (no quoted cells)
	if (FNR == 1 || $0 ~ /^#/) next
	n = split($0, c, ",")
	g = c[1]
	if (!(g in gseen)) { gseen[g] = 1; gorder[++ng] = g }
	nh = split(c[2], h, " ")
	for (i = 1; i <= nh; i++) host[tolower(h[i])] = g
	r = ++nrows; rg[r] = g; rp[r] = c[3]
	for (s = 1; s <= 3; s++) pat[r, s] = c[3 + s]
	rows[g] = rows[g] " " r
	next
}
{
	nq = split($0, q, "\"")
	if (nq < 7) next
	split(q[2], req, " ")
	if (req[1] != "GET" && req[1] != "POST") next
	split(q[3], st, " ")
	if (st[1] < 200 || st[1] > 399) next
	ua = q[6]
	if (ua == "" || ua == "-") next
	l = tolower(ua)
	for (i = 1; i <= ntok; i++) if (index(l, tok[i])) next
	split($1, vh, ":")
	g = host[tolower(vh[1])]
	if (g == "") next
	day = substr($5, 2, 11)
	vis = $2 SUBSEP ua SUBSEP day
	nr = split(rows[g], rr, " ")
	for (i = 1; i <= nr; i++) {
		r = rr[i]
		for (s = 1; s <= 3; s++) {
			p = pat[r, s]
			if (p != "" && req[2] ~ p && !((r, s, vis) in seen)) {
				seen[r, s, vis] = 1
				cnt[r, s]++
			}
		}
	}
}
END {
	print "gemeente,product,info,form,done"
	for (r = 1; r <= nrows; r++)
		print rg[r] "," rp[r] "," cnt[r, 1] + 0 "," cnt[r, 2] + 0 "," cnt[r, 3] + 0
}
