// Drives `briefkit serve` in headless Chromium, as an author would use it,
// and reports what happened as JSON.
// Usage: node serve_preview.js BRIEFKIT PACK PAGES SCREENSHOT [ROW_PACK [LANGUAGE_PACK...]]
//   PACK: a copy of a pack it may edit (article.md, stats.csv);
//   PAGES: how many pages the brief's PDF has;
//   ROW_PACK: a batch pack (optional) whose second row it switches to;
//   LANGUAGE_PACKS: packs of the brief in other languages, served together:
//   it picks the last.
// Needs puppeteer (from the Ace install, ACE_DIR), axe-core in ACE_DIR and
// PUPPETEER_EXECUTABLE_PATH.
const fs = require('fs');
const http = require('http');
const path = require('path');
const { spawn } = require('child_process');
const from = { paths: [process.env.ACE_DIR || '.'] };
const puppeteer = require(require.resolve('puppeteer', from));
const axePath = require.resolve('axe-core/axe.min.js', from);

function serve(briefkit, packs) {
  return new Promise((resolve, reject) => {
    const child = spawn(briefkit, ['serve', ...[].concat(packs), '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => reject(new Error('no address printed: ' + err)), 60000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /serving .* at (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stderr: () => err });
      }
    });
    child.on('exit', (code) => reject(new Error('briefkit serve exited ' + code + ': ' + err)));
  });
}

function get(url, host) {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: '/state.json', headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', (e) => resolve('error ' + e.message));
    req.end();
  });
}

const pageText = () => document.getElementById('pages').textContent;

(async () => {
  const [briefkit, pack, pages, screenshot, rowPack, ...languagePacks] = process.argv.slice(2);
  const result = { console_errors: [] };
  const server = await serve(briefkit, pack);
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    // axe-core is injected as a script of the page, which the page's own
    // policy (its scripts only) would refuse.
    await page.setBypassCSP(true);
    page.on('console', (m) => { if (m.type() === 'error') result.console_errors.push(m.text()); });
    page.on('pageerror', (e) => result.console_errors.push(String(e)));
    await page.setViewport({ width: 1400, height: 1000 });
    await page.goto(server.url, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction((n) => document.querySelectorAll('#pages figure svg').length === n, { timeout: 20000 }, Number(pages));
    result.pages = await page.evaluate(() => document.querySelectorAll('#pages figure svg').length);
    result.downloads = await page.evaluate(() => [...document.querySelectorAll('#downloads a')].map((a) => a.textContent));
    result.findings = await page.evaluate(() => document.querySelectorAll('#findings li').length);
    result.finding_place = await page.evaluate(() => (document.querySelector('#findings .where') || {}).textContent || '');

    // A save of the article shows in the pages, without a reload, the
    // scroll position kept.
    await page.evaluate(() => { window.scrollTo(0, 600); window.__marker = 'same page'; });
    const scrolled = await page.evaluate(() => window.scrollY);
    const article = path.join(pack, 'article.md');
    const before = fs.readFileSync(article, 'utf8');
    const word = 'Zebrafinch' + Date.now() % 100000;
    const t0 = Date.now();
    fs.writeFileSync(article, before + '\n\nA sentence added while previewing: ' + word + '.\n');
    await page.waitForFunction((w) => document.getElementById('pages').textContent.includes(w), { timeout: 10000 }, word);
    result.update_ms = Date.now() - t0;
    result.reloaded = await page.evaluate(() => window.__marker !== 'same page');
    result.scroll_kept = Math.abs((await page.evaluate(() => window.scrollY)) - scrolled) < 2;

    // A broken statistics file: its located finding over the last good pages.
    const statsPath = path.join(pack, 'stats.csv');
    const stats = fs.readFileSync(statsPath, 'utf8');
    fs.writeFileSync(statsPath, stats.replace(/\n([^,\n]+),\d[\d.]*,/, '\n$1,lots,'));
    await page.waitForFunction(() => !document.getElementById('errors').hidden, { timeout: 10000 });
    result.error_text = await page.evaluate(() => document.getElementById('errors').textContent);
    result.pages_kept = await page.evaluate(() => document.querySelectorAll('#pages figure svg').length);
    result.word_kept = await page.evaluate((w) => document.getElementById('pages').textContent.includes(w), word);
    fs.writeFileSync(statsPath, stats);
    await page.waitForFunction(() => document.getElementById('errors').hidden, { timeout: 10000 });
    fs.writeFileSync(article, before);
    await page.waitForFunction((w) => !document.getElementById('pages').textContent.includes(w), { timeout: 10000 }, word);

    // The e-book tab, by keyboard.
    await page.focus('#tab-pages');
    await page.keyboard.press('ArrowRight');
    result.epub_tab = await page.evaluate(() => !document.getElementById('panel-epub').hidden && document.activeElement.id);
    const frame = await (await page.$('#epub')).contentFrame();
    await frame.waitForFunction(() => document.body && document.body.textContent.length > 100, { timeout: 10000 });
    result.epub_text = await frame.evaluate(() => document.body.textContent.slice(0, 200));
    // A save while reading the e-book keeps its scroll position.
    await frame.evaluate(() => window.scrollTo(0, 400));
    const epubWord = 'Kingfisher' + Date.now() % 100000;
    fs.writeFileSync(article, before + '\n\nAnother sentence: ' + epubWord + '.\n');
    await page.waitForFunction((w) => {
      const f = document.getElementById('epub');
      return f.contentDocument && f.contentDocument.body && f.contentDocument.body.textContent.includes(w)
        && f.contentWindow.scrollY > 0;
    }, { timeout: 10000 }, epubWord);
    result.epub_scroll = await page.evaluate(() => document.getElementById('epub').contentWindow.scrollY);
    fs.writeFileSync(article, before);
    await page.waitForFunction((w) => !document.getElementById('pages').textContent.includes(w), { timeout: 10000 }, epubWord);
    await page.keyboard.press('ArrowLeft');

    // axe-core on the page.
    await page.addScriptTag({ path: axePath });
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0] && v.nodes[0].target }));
    });
    result.axe_violations = axe;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshot });

    // Another site's name for this address (DNS rebinding) is refused.
    result.foreign_host = await get(server.url, 'evil.example:80');
    result.own_host = await get(server.url, new URL(server.url).host);

    if (rowPack) {
      const rows = await serve(briefkit, rowPack);
      const p2 = await browser.newPage();
      await p2.goto(rows.url, { waitUntil: 'domcontentloaded' });
      await p2.waitForFunction(() => document.querySelectorAll('#row option').length > 1 && document.querySelectorAll('#pages figure svg').length > 0, { timeout: 20000 });
      const keys = await p2.evaluate(() => [...document.querySelectorAll('#row option')].map((o) => o.value));
      const firstTitle = await p2.evaluate(() => document.getElementById('title').textContent);
      await p2.select('#row', keys[1]);
      await p2.waitForFunction((t) => document.getElementById('title').textContent !== t && document.querySelectorAll('#pages figure svg').length > 0, { timeout: 20000 }, firstTitle);
      result.rows = keys;
      result.row_titles = [firstTitle, await p2.evaluate(() => document.getElementById('title').textContent)];
      result.row_in_url = await p2.evaluate(() => new URL(location.href).searchParams.get('row'));
      rows.child.kill();
    }
    if (languagePacks.length) {
      const several = await serve(briefkit, [pack, ...languagePacks]);
      const p3 = await browser.newPage();
      await p3.goto(several.url, { waitUntil: 'domcontentloaded' });
      await p3.waitForFunction((n) => document.querySelectorAll('#pack option').length === n && document.querySelectorAll('#pages figure svg').length > 0, { timeout: 20000 }, languagePacks.length + 1);
      result.languages = await p3.evaluate(() => [...document.querySelectorAll('#pack option')].map((o) => o.textContent));
      const firstTitle = await p3.evaluate(() => document.getElementById('title').textContent);
      await p3.select('#pack', String(languagePacks.length));
      // The title changes first; then the pages, whose language is the title's.
      await p3.waitForFunction((t) => {
        const title = document.getElementById('title');
        const svg = document.querySelector('#pages figure svg');
        return title.textContent !== t && svg && svg.getAttribute('xml:lang') === title.lang;
      }, { timeout: 20000 }, firstTitle);
      result.language_title = await p3.evaluate(() => {
        const t = document.getElementById('title');
        return { text: t.textContent, lang: t.lang, direction: getComputedStyle(t).direction, svg_lang: document.querySelector('#pages svg').getAttribute('xml:lang') };
      });
      result.language_findings = await p3.evaluate(() => [...document.querySelectorAll('#findings .where')].map((w) => w.textContent));
      several.child.kill();
    }
  } catch (e) {
    result.failure = String(e && e.stack || e);
  } finally {
    await browser.close();
    server.child.kill();
  }
  process.stdout.write(JSON.stringify(result) + '\n');
})();
