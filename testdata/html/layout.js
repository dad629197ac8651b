// layout.js - layout checks of the klantreis HTML report, run in the page
// by tests/html_browser.sh (the report itself has no script: the test
// inserts this file before </body> of a copy and reads the result from
// the DOM Chromium dumps). Writes one line per check into
// <pre id="layout-result">: "ok NAME" or "FAIL NAME: why".
(function () {
	var out = [];
	var vw = document.documentElement.clientWidth;
	function check(name, bad) {
		out.push(bad.length ? 'FAIL ' + name + ': ' + bad.slice(0, 4).join('; ')
			: 'ok ' + name);
	}
	function box(el) { return el.getBoundingClientRect(); }
	function visible(el) {
		var r = box(el);
		return getComputedStyle(el).display !== 'none' && r.width > 0;
	}
	function overlap(a, b) {
		return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
	}
	function text(el) {
		// the label without its <title>
		var s = '';
		el.childNodes.forEach(function (n) { if (n.nodeType === 3) s += n.data; });
		return s;
	}
	function px(r) { return Math.round(r.left) + '-' + Math.round(r.right); }

	// The page scrolls only down, never sideways.
	var sw = document.documentElement.scrollWidth;
	check('no-sideways-scroll', sw > vw ? ['page ' + sw + ' px wide, screen ' + vw] : []);

	// Conversion, rank and gain (columns 5 to 7) of every table row lie
	// on the screen.
	var bad = [], cells = 0;
	document.querySelectorAll('table.data tbody tr').forEach(function (tr) {
		for (var c = 5; c <= 7; c++) {
			var td = tr.children[c - 1];
			if (!td)
				continue;
			var r = box(td);
			cells++;
			if (r.left < 0 || r.right > vw + 0.5)
				bad.push('column ' + c + ' of "' + tr.children[0].textContent +
					'" at ' + px(r) + ' px');
		}
	});
	if (!cells)
		bad.push('no table cells');
	check('table-on-screen', bad);

	// The trend charts' period labels shown do not overlap, lie on the
	// screen, and the latest period has one.
	bad = [];
	var charts = document.querySelectorAll('svg.trend-chart');
	charts.forEach(function (svg, i) {
		var ticks = [];
		svg.querySelectorAll('text.tick').forEach(function (t) {
			if (!t.hasAttribute('dx') && visible(t))
				ticks.push(t);
		});
		for (var a = 0; a < ticks.length; a++) {
			var ra = box(ticks[a]);
			if (ra.left < 0 || ra.right > vw + 0.5)
				bad.push('chart ' + (i + 1) + ': "' + text(ticks[a]) + '" off screen at ' + px(ra));
			for (var b = a + 1; b < ticks.length; b++)
				if (overlap(ra, box(ticks[b])))
					bad.push('chart ' + (i + 1) + ': "' + text(ticks[a]) + '" ' + px(ra) +
						' overlaps "' + text(ticks[b]) + '" ' + px(box(ticks[b])));
		}
		var latest = svg.parentNode.closest('section').querySelector('p.note');
		if (!ticks.length)
			bad.push('chart ' + (i + 1) + ': no period labels');
		else if (latest && latest.textContent.indexOf(text(ticks[ticks.length - 1])) < 0)
			bad.push('chart ' + (i + 1) + ': latest period unlabelled');
	});
	check('trend-labels-apart', bad);

	// The median line crosses no value label and no name; no name is
	// clipped or runs off the screen.
	bad = [];
	document.querySelectorAll('svg.benchmark-chart').forEach(function (svg, i) {
		var med = svg.querySelectorAll('.median line, line.median');
		svg.querySelectorAll('text.value, text.name').forEach(function (t) {
			var r = box(t);
			med.forEach(function (l) {
				var m = box(l);
				// the line's stroke: its box, at least 2 px wide
				var lr = { left: m.left - 1, right: m.right + 1, top: m.top, bottom: m.bottom };
				if (overlap(r, lr))
					bad.push('chart ' + (i + 1) + ': median at ' + Math.round(m.left) +
						' px crosses ' + t.getAttribute('class') + ' "' + text(t) +
						'" ' + px(r));
			});
			if (t.getAttribute('class').indexOf('name') !== 0)
				return;
			// a name clipped (clip-path: a rect as wide as a percentage
			// of the chart) or running off the screen is cut
			var right = vw, cp = t.getAttribute('clip-path');
			var clip = cp && svg.querySelector(cp.replace(/^url\((.*)\)$/, '$1') + ' rect');
			if (clip)
				right = box(svg).left + parseFloat(clip.getAttribute('width')) / 100 *
					box(svg).width;
			if (r.right > right + 0.5)
				bad.push('chart ' + (i + 1) + ': name "' + text(t) + '" cut at ' +
					Math.round(right) + ' px (' + px(r) + ')');
		});
	});
	check('median-clear', bad);

	// The highlight colour (CSS --hl) marks the highlighted gemeente
	// only: no other trend line or legend swatch has it.
	bad = [];
	var probe = document.createElement('span');
	probe.style.color = 'var(--hl)';
	document.body.appendChild(probe);
	var hl = getComputedStyle(probe).color;
	probe.remove();
	document.querySelectorAll('g.trend-line').forEach(function (g) {
		var c = getComputedStyle(g.querySelector('circle') || g).stroke;
		if ((c === hl) !== g.classList.contains('highlight'))
			bad.push('"' + g.getAttribute('data-gemeente') + '" ' + c +
				(g.classList.contains('highlight') ? ', highlighted' : ''));
	});
	document.querySelectorAll('ul.legend li').forEach(function (li) {
		var c = getComputedStyle(li.querySelector('.swatch')).backgroundColor;
		if ((c === hl) !== li.classList.contains('highlight'))
			bad.push('legend "' + li.textContent + '" ' + c);
	});
	check('highlight-colour-own', bad);

	var doc = window.parent !== window ? parent.document : document;
	var pre = doc.createElement('pre');
	pre.id = 'layout-result';
	pre.textContent = 'width ' + vw + '\n' + out.join('\n') + '\n';
	doc.body.appendChild(pre);
})();
