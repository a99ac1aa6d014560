// Opens an XHTML page of an unpacked EPUB in headless Chromium at the given
// widths and reports, as JSON, whether anything is wider than the screen
// (horizontal scrolling on a phone) and which elements stick out.
// Usage: node reading_width.js PAGE.xhtml WIDTH [WIDTH ...]
// Needs puppeteer (from the Ace install) and PUPPETEER_EXECUTABLE_PATH.
const path = require('path');
const puppeteer = require(require.resolve('puppeteer', { paths: [process.env.ACE_DIR || '.'] }));

(async () => {
  const [page_path, ...widths] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results = [];
  for (const w of widths) {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(w), height: 800 });
    await page.goto('file://' + path.resolve(page_path), { waitUntil: 'load' });
    const r = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        const b = el.getBoundingClientRect();
        if (b.right > vw + 1) wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' ' + Math.round(b.right));
      }
      return { scrollWidth: document.documentElement.scrollWidth, clientWidth: vw, wide: wide.slice(0, 10) };
    });
    results.push({ width: Number(w), ...r });
    await page.close();
  }
  await browser.close();
  console.log(JSON.stringify(results));
})().catch((e) => { console.error(e); process.exit(1); });
