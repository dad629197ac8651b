# gen.awk - writes the access log of tests/html_browser.sh to stdout.
# Each spec line "DAY HOST PRODUCT INFO FORM DONE" makes INFO distinct
# visitors (client 10.DAY.X.Y) view the product's info page on DAY
# November 2026; the first FORM of them start the form and the first DONE
# complete it (paths as in catalog.csv).
function emit(path, i) {
	printf "%s:443 10.%d.%d.%d - - [%02d/Nov/2026:10:%02d:00 +0100] " \
		"\"GET %s HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n", \
		$2, $1, int(i / 250), i % 250 + 1, $1, n++ % 60, path
}
/^#/ || NF == 0 { next }
{
	form = $3 == "paspoort" ? "aanvragen" : "melden"
	done = $3 == "paspoort" ? "bedankt" : "klaar"
	for (i = 0; i < $4; i++) emit("/" $3 "/info", i)
	for (i = 0; i < $5; i++) emit("/" $3 "/" form, i)
	for (i = 0; i < $6; i++) emit("/" $3 "/" done, i)
}
