// Opens SVG files in headless Chromium and reports, as JSON, each text
// element's box as drawn (getBBox, in the SVG's user units) and the
// view box: whether any text sticks out of the picture.
// Usage: node svg_text_boxes.js FILE.svg [FILE.svg ...]
// Needs puppeteer (from the Ace install) and PUPPETEER_EXECUTABLE_PATH.
const path = require('path');
const puppeteer = require(require.resolve('puppeteer', { paths: [process.env.ACE_DIR || '.'] }));

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results = [];
  for (const file of process.argv.slice(2)) {
    const page = await browser.newPage();
    await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
    const r = await page.evaluate(() => {
      const svg = document.documentElement;
      const vb = svg.viewBox.baseVal;
      const texts = [...svg.querySelectorAll('text')].map((t) => {
        const b = t.getBBox();
        return { text: t.textContent, x: b.x, y: b.y, width: b.width, height: b.height };
      });
      return { viewBox: [vb.x, vb.y, vb.width, vb.height], texts };
    });
    results.push({ file, ...r });
    await page.close();
  }
  await browser.close();
  console.log(JSON.stringify(results));
})().catch((e) => { console.error(e); process.exit(1); });
