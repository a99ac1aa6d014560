// Opens an XHTML page of an unpacked EPUB in headless Chromium and reports,
// as JSON, the computed style of the first element each selector matches:
// what a reader's engine really applies, after every rule of the book's
// stylesheets. Lengths come back in CSS pixels (1pt = 4/3 px).
// Usage: node computed_style.js PAGE.xhtml SELECTOR=PROPERTY,PROPERTY ...
// Needs puppeteer (from the Ace install) and PUPPETEER_EXECUTABLE_PATH.
const path = require('path');
const puppeteer = require(require.resolve('puppeteer', { paths: [process.env.ACE_DIR || '.'] }));

(async () => {
  const [page_path, ...queries] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 800, height: 800 });
  await page.goto('file://' + path.resolve(page_path), { waitUntil: 'load' });
  const wanted = queries.map((q) => {
    const at = q.lastIndexOf('=');
    return { selector: q.slice(0, at), properties: q.slice(at + 1).split(',') };
  });
  const result = await page.evaluate((wanted) => {
    const out = {};
    for (const { selector, properties } of wanted) {
      const el = document.querySelector(selector);
      if (!el) { out[selector] = null; continue; }
      const style = getComputedStyle(el);
      const values = {};
      for (const p of properties) values[p] = style.getPropertyValue(p);
      out[selector] = values;
    }
    return out;
  }, wanted);
  await browser.close();
  console.log(JSON.stringify(result));
})().catch((e) => { console.error(e); process.exit(1); });
