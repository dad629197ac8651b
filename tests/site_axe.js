// site_axe.js - runs axe-core's WCAG 2.1 A/AA rules (tags wcag2a, wcag2aa,
// wcag21a, wcag21aa) on each page given, in the system's Chromium through
// puppeteer-core, at laptop and phone width, and checks that no page
// scrolls sideways on a phone.
//
//   NODE_PATH=build/npm/node_modules node tests/site_axe.js CHROMIUM PAGE.html...
//
// Prints "ok axe-NAME-WIDTH" or "FAIL axe-NAME-WIDTH" with each violation
// (rule, impact, the first nodes) per page and width, and the same for
// "phone-NAME" (no sideways scroll at 390 px). Exits 1 when a check failed,
// 2 when the browser could not run.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function main() {
	const [browserPath, ...pages] = process.argv.slice(2);
	const browser = await puppeteer.launch({
		executablePath: browserPath,
		headless: true,
		args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run',
			'--disable-background-networking', '--disable-component-update'],
	});
	let failed = 0;
	try {
		const page = await browser.newPage();
		// nothing may come from the network: every request but the page's
		// own file:// URL is refused and counted
		const outside = [];
		await page.setRequestInterception(true);
		page.on('request', (req) => {
			if (req.url().startsWith('file://') || req.url().startsWith('data:'))
				req.continue();
			else {
				outside.push(req.url());
				req.abort();
			}
		});
		for (const file of pages) {
			const name = path.relative(process.cwd(), file).replace(/[\/.]/g, '-');
			for (const width of [1280, 390]) {
				await page.setViewport({ width, height: 900 });
				outside.length = 0;
				await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
				await page.evaluate(axeSource);
				const res = await page.evaluate(() => axe.run(document, {
					runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
					resultTypes: ['violations'],
				}));
				const id = `axe-${name}-${width}`;
				if (res.violations.length === 0) {
					console.log(`ok ${id}`);
				} else {
					failed++;
					console.log(`FAIL ${id}`);
					for (const v of res.violations)
						console.log(`    ${v.id} (${v.impact}): ${v.help}; ` +
							v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
				}
				if (outside.length) {
					failed++;
					console.log(`FAIL network-${name}-${width}\n    ${outside.slice(0, 3).join(' ')}`);
				}
				if (width === 390) {
					const over = await page.evaluate(() =>
						document.documentElement.scrollWidth - document.documentElement.clientWidth);
					if (over <= 0) {
						console.log(`ok phone-${name}`);
					} else {
						failed++;
						console.log(`FAIL phone-${name}\n    scrolls ${over} px sideways at 390 px`);
					}
				}
			}
		}
	} finally {
		await browser.close();
	}
	process.exit(failed ? 1 : 0);
}

main().catch((e) => {
	console.error(`site_axe: ${e && e.stack ? e.stack : e}`);
	process.exit(2);
});
