# funnel_model.awk - an independent model of the figures of klantreis(1),
# MEASUREMENT ("Which requests count", "Steps and visitors", "Funnels",
# "Periods": which requests qualify, visitors, the open and the sequential
# funnel, hits, periods by day), written from those rules and not
# from klantreis's code, for tests/consistency.sh to hold klantreis
# against. It reads what tests/bench/genlog.c writes: vhost_combined lines
# with one UTC offset throughout, and a catalogue whose patterns are POSIX
# EREs and whose cells hold no commas or quotes.
#
#   awk -v funnel=open|sequential -v count=visitors|hits -v by=none|day \
#       -v window=SECONDS -f funnel_model.awk catalogue.csv access.log
#
# Prints "gemeente,product,info,form,done" (with --by day a first column
# "period") and one line per catalogue row, for every period that holds a
# record matching a step; the same columns klantreis's CSV starts with.
BEGIN {
	ntok = split("bot crawl spider slurp curl/ wget/ python-requests python-urllib " \
	    "aiohttp go-http-client java/ libwww httpclient okhttp axios/ node-fetch " \
	    "scrapy headlesschrome phantomjs facebookexternalhit siteimprove uptime " \
	    "pingdom monitor preview check_http zabbix nagios lighthouse", tok, " ")
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mn, " ")
	for (i = 1; i <= 12; i++)
		mon[mn[i]] = i
	if (funnel == "") funnel = "open"
	if (count == "") count = "visitors"
	if (by == "") by = "none"
	if (window == "") window = 86400
	np = 0
}

# days since 1970-01-01 of a proleptic Gregorian date
function days(y, m, d,    era, yoe, doy) {
	y -= m <= 2
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
}

# The level (0-3) of one visitor's events "t:step t:step ..." (section 5):
# the largest k with info at t1, form at t2, done at t3, t1 <= t2 <= t3
# and t_k - t1 <= window. For each info, the earliest form it reaches is
# the best one to look for a done after.
function level(list,    n, e, i, j, t, s, x, best, lv, t2, t3) {
	n = split(list, e, " ")
	for (i = 1; i <= n; i++) {
		split(e[i], x, ":")
		t[i] = x[1] + 0
		s[i] = x[2] + 0
	}
	best = 0
	for (i = 1; i <= n; i++) {
		if (s[i] != 1)
			continue
		lv = 1
		t2 = -1
		for (j = 1; j <= n; j++)
			if (s[j] == 2 && t[j] >= t[i] && t[j] - t[i] <= window && (t2 < 0 || t[j] < t2))
				t2 = t[j]
		if (t2 >= 0) {
			lv = 2
			for (j = 1; j <= n; j++)
				if (s[j] == 3 && t[j] >= t2 && t[j] - t[i] <= window)
					lv = 3
		}
		if (lv > best)
			best = lv
	}
	return best
}

FNR == NR {                      # the catalogue
	if (FNR == 1 || $0 ~ /^#/) next
	split($0, c, ",")
	g = c[1]
	nh = split(c[2], h, " ")
	for (i = 1; i <= nh; i++) host[tolower(h[i])] = g
	r = ++nrows; rg[r] = g; rp[r] = c[3]
	for (k = 1; k <= 3; k++) pat[r, k] = c[3 + k]
	rows[g] = rows[g] " " r
	next
}
{
	# host:port client - - [dd/Mon/yyyy:hh:mm:ss +zzzz] "request" status bytes "referer" "ua"
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
	ts = substr($5, 2)
	y = substr(ts, 8, 4) + 0; m = mon[substr(ts, 4, 3)]; d = substr(ts, 1, 2) + 0
	day = sprintf("%04d-%02d-%02d", y, m, d)
	t = days(y, m, d) * 86400 + substr(ts, 13, 2) * 3600 + substr(ts, 16, 2) * 60 + substr(ts, 19, 2)
	period = by == "day" ? day : "-"
	vis = $2 SUBSEP ua SUBSEP day
	nr = split(rows[g], rr, " ")
	for (i = 1; i <= nr; i++) {
		r = rr[i]
		for (k = 1; k <= 3; k++) {
			if (pat[r, k] == "" || req[2] !~ pat[r, k])
				continue
			if (!(period in has)) {
				has[period] = 1
				per[++np] = period
			}
			if (count == "hits")
				cnt[period, r, k]++
			else if (funnel == "open") {
				if (!((period, r, k, vis) in seen)) {
					seen[period, r, k, vis] = 1
					cnt[period, r, k]++
				}
			} else {
				ev[period, r, vis] = ev[period, r, vis] " " t ":" k
			}
		}
	}
}
END {
	if (funnel == "sequential")
		for (key in ev) {
			split(key, kk, SUBSEP)  # period, row, then the visitor
			lv = level(ev[key])
			for (k = 1; k <= lv; k++)
				cnt[kk[1], kk[2], k]++
		}
	for (i = 2; i <= np; i++)       # periods in order (insertion sort)
		for (j = i; j > 1 && per[j] < per[j - 1]; j--) {
			x = per[j]; per[j] = per[j - 1]; per[j - 1] = x
		}
	print (by == "day" ? "period," : "") "gemeente,product,info,form,done"
	for (i = 1; i <= np; i++)
		for (r = 1; r <= nrows; r++)
			print (by == "day" ? per[i] "," : "") rg[r] "," rp[r] "," \
			    cnt[per[i], r, 1] + 0 "," cnt[per[i], r, 2] + 0 "," cnt[per[i], r, 3] + 0
}
