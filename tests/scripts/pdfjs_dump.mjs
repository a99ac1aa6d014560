// What pdf.js (Firefox's PDF viewer) gets from a PDF, as JSON: each page's
// text content (its items' strings, a line ending where pdf.js ends one),
// the structure tree's elements with the text of their marked content (in
// the order pdf.js gives it), and link annotations (their description,
// rectangle, quad points, and where they go).
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
  const content = await page.getTextContent({ includeMarkedContent: true });
  const lines = [];
  // The text of each marked-content id.
  const marked = {};
  const open = [];
  let line = "";
  for (const item of content.items) {
    if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
      open.push(item.id || null);
      continue;
    }
    if (item.type === "endMarkedContent") {
      open.pop();
      continue;
    }
    const id = open.filter((x) => x).pop();
    if (id) marked[id] = (marked[id] || "") + item.str + (item.hasEOL ? "\n" : "");
    line += item.str;
    if (item.hasEOL) {
      lines.push(line);
      line = "";
    }
  }
  if (line) lines.push(line);
  // Structure elements in tree order, each with its role and the text of
  // its marked content and its descendants', in tree order (what a screen
  // reader reading the tree would say).
  const elements = [];
  const walk = (node, depth) => {
    if (!node) return "";
    if (node.type === "content") return marked[node.id] || "";
    if (node.type === "object" || node.type === "annotation") return "";
    const entry = { role: node.role, depth, text: "", lang: node.lang || null, alt: node.alt || null };
    elements.push(entry);
    entry.text = (node.children || []).map((c) => walk(c, depth + 1)).join("");
    return entry.text;
  };
  walk(await page.getStructTree(), 0);
  const annotations = (await page.getAnnotations())
    .filter((a) => a.subtype === "Link")
    .map((a) => ({
      contents: a.contentsObj ? a.contentsObj.str : "",
      rect: a.rect,
      quadPoints: a.quadPoints ? Array.from(a.quadPoints) : null,
      url: a.url || null,
      dest: a.dest ? JSON.stringify(a.dest) : null,
    }));
  pages.push({ lines, elements, annotations });
}
console.log(JSON.stringify({ pages }));
