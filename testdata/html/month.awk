# month.awk - writes the spec (see spec.txt) of tests/html_browser.sh's
# 30-day report to stdout: every day of November 2026 the three gemeenten
# of catalog.csv see Paspoort visitors (conversions that move from day to
# day) and Alfa some Afval visitors, more of whom start the form than
# viewed the info page (a form rate above 100%).
BEGIN {
	print "# day host product info form done"
	for (d = 1; d <= 30; d++) {
		printf "%d www.alfa.nl paspoort %d %d %d\n", d, 100 + d, 50 + d, 30 + d % 7
		printf "%d www.beta.nl paspoort %d %d %d\n", d, 60, 20 + d % 5, 10 + d % 3
		printf "%d www.gamma.nl paspoort %d %d %d\n", d, 40, 25, 5 + d % 4
		printf "%d www.alfa.nl afval %d %d %d\n", d, 10, 12, 3
	}
}
