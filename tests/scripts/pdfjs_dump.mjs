// What pdf.js (Firefox's PDF viewer) gets from a PDF, as JSON: each page's
// text content (its items' strings, a line ending where pdf.js ends one)
// and link annotations (their description, rectangle, quad points, and
// where they go).
// Usage: node pdfjs_dump.mjs FILE.pdf   (READERS_DIR: where pdfjs-dist is)
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const base = process.env.READERS_DIR || ".";
const require = createRequire(path.join(path.resolve(base), "package.json"));
const pdfjs = await import(pathToFileURL(require.resolve("pdfjs-dist/legacy/build/pdf.mjs")).href);
const data = new Uint8Array(fs.readFileSync(process.argv[2]));
const doc = await pdfjs.getDocument({ data, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
const pages = [];
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  const content = await page.getTextContent();
  const lines = [];
  let line = "";
  for (const item of content.items) {
    line += item.str;
    if (item.hasEOL) {
      lines.push(line);
      line = "";
    }
  }
  if (line) lines.push(line);
  const annotations = (await page.getAnnotations())
    .filter((a) => a.subtype === "Link")
    .map((a) => ({
      contents: a.contentsObj ? a.contentsObj.str : "",
      rect: a.rect,
      quadPoints: a.quadPoints ? Array.from(a.quadPoints) : null,
      url: a.url || null,
      dest: a.dest ? JSON.stringify(a.dest) : null,
    }));
  pages.push({ lines, annotations });
}
console.log(JSON.stringify({ pages }));
