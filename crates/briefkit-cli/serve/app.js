// The preview page of `briefkit serve`: it asks the server for the state
// of the build, shows the pages (inline SVG, so their text can be selected
// and searched), the e-book, the downloads and the findings, and updates
// in place on every build the server announces (server-sent events),
// keeping the scroll position.
"use strict";

const params = new URLSearchParams(location.search);
let row = params.get("row");
let pack = params.get("pack");
let shown = { generation: -1, row: undefined, pack: undefined };
const languageNames = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "language" }) : null;

function query(extra) {
  const q = new URLSearchParams();
  if (pack !== null) q.set("pack", pack);
  if (row !== null) q.set("row", row);
  for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
  const s = q.toString();
  return s ? "?" + s : "";
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

async function refresh() {
  let state;
  try {
    const response = await fetch("/state.json" + query());
    state = await response.json();
  } catch (e) {
    document.getElementById("status").textContent = "The preview server is not answering.";
    return;
  }
  if (state.row !== undefined && state.row !== null) row = state.row;
  await show(state);
}

async function show(state) {
  const changed = state.generation !== shown.generation || state.row !== shown.row || state.pack_index !== shown.pack;
  // The pages first: the title, findings and downloads then change with them.
  if (changed) await showPages(state);
  const title = document.getElementById("title");
  title.textContent = state.title || state.pack;
  // The brief's title in the brief's language and direction.
  if (state.language) title.lang = state.language;
  title.dir = "auto";
  document.title = (state.title || state.pack) + " — briefkit preview";
  const status = [];
  if (state.pages) status.push(state.pages + (state.pages === 1 ? " page" : " pages"));
  if (state.paper) status.push(state.paper);
  if (state.built_ms !== null && state.built_ms !== undefined) status.push("built in " + state.built_ms + " ms");
  if (!state.ok) status.push("the last save has errors");
  document.getElementById("status").textContent = status.join(" · ");

  // Several packs (the brief in several languages): one picked.
  const packPicker = document.getElementById("pack-picker");
  const packSelect = document.getElementById("pack");
  const packs = state.packs || [];
  if (packs.length > 1) {
    packPicker.hidden = false;
    const labels = packs.map((p) => {
      let language = p.language || "";
      try {
        if (languageNames && language) language = languageNames.of(language);
      } catch (e) { /* an unusual tag: shown as it is */ }
      return (language ? language + " — " : "") + (p.title || p.name);
    });
    if (packSelect.options.length !== packs.length || [...packSelect.options].some((o, i) => o.textContent !== labels[i])) {
      packSelect.replaceChildren(...labels.map((label, i) => el("option", { value: String(i) }, label)));
    }
    packSelect.value = String(state.pack_index || 0);
  } else {
    packPicker.hidden = true;
  }

  const picker = document.getElementById("row-picker");
  const select = document.getElementById("row");
  if (state.rows && state.rows.length) {
    picker.hidden = false;
    if (select.options.length !== state.rows.length || [...select.options].some((o, i) => o.value !== state.rows[i])) {
      select.replaceChildren(...state.rows.map((k) => el("option", { value: k }, k)));
    }
    // The pack's first brief is its first row's.
    select.value = state.row === null || state.row === undefined ? state.rows[0] : state.row;
  } else {
    picker.hidden = true;
  }

  const downloads = document.getElementById("downloads");
  downloads.replaceChildren(...(state.files || []).map((f) => {
    const li = el("li");
    const a = el("a", { href: "/download/" + f.format + query({ g: state.generation }), download: f.name },
      f.format.toUpperCase());
    a.setAttribute("aria-label", "Download " + f.name + " (" + f.format.toUpperCase() + ", " + f.size + ")");
    li.append(a, " ", el("span", { class: "size" }, f.size));
    return li;
  }));

  const errors = document.getElementById("errors");
  if (state.ok) {
    errors.hidden = true;
    errors.replaceChildren();
  } else {
    errors.hidden = false;
    errors.replaceChildren(el("h2", {}, "The last save has errors; the pages are from the last good build."),
      el("pre", {}, state.errors_text || ""));
  }

  const list = document.getElementById("findings");
  list.replaceChildren(...(state.findings || []).map((d) => {
    const li = el("li");
    li.append(el("span", { class: "severity severity-" + d.severity }, d.severity + ": "), d.message);
    if (d.file) {
      let where = d.file;
      if (d.line) where += ":" + d.line + (d.column ? ":" + d.column : "");
      li.append(el("span", { class: "where" }, where));
    }
    for (const h of d.hints || []) li.append(el("span", { class: "hint" }, "hint: " + h));
    return li;
  }));
  document.getElementById("findings-none").hidden = (state.findings || []).length > 0;

  if (changed) {
    const epub = document.getElementById("epub");
    if (state.epub) {
      // The same brief rebuilt: the e-book keeps its scroll position.
      const same = state.row === shown.row && state.pack_index === shown.pack;
      let scroll = 0;
      try {
        scroll = same && epub.contentWindow ? epub.contentWindow.scrollY : 0;
      } catch (e) { /* not loaded yet */ }
      epub.onload = () => {
        if (scroll) epub.contentWindow.scrollTo(0, scroll);
      };
      epub.src = state.epub + query({ g: state.generation });
    }
    shown = { generation: state.generation, row: state.row, pack: state.pack_index };
  }
}

async function showPages(state) {
  const pages = document.getElementById("pages");
  const count = state.pages || 0;
  const svgs = await Promise.all(Array.from({ length: count }, (_, i) =>
    fetch("/page/" + (i + 1) + ".svg" + query({ g: state.generation })).then((r) => r.ok ? r.text() : "")));
  const parser = new DOMParser();
  while (pages.children.length > count) pages.lastElementChild.remove();
  svgs.forEach((text, i) => {
    let figure = pages.children[i];
    if (!figure) {
      figure = el("figure", { class: "page", tabindex: "0" });
      pages.append(figure);
    }
    figure.setAttribute("aria-label", state.page_labels ? state.page_labels[i] : "Page " + (i + 1));
    const doc = parser.parseFromString(text, "image/svg+xml");
    const svg = doc.documentElement;
    if (svg && svg.nodeName === "svg") {
      figure.replaceChildren(document.importNode(svg, true));
    }
  });
}

// Tabs: click, or the arrow keys between them (the ARIA tabs pattern).
function selectTab(tab) {
  for (const t of document.querySelectorAll("[role=tab]")) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  tab.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const t of tabs) {
    t.addEventListener("click", () => selectTab(t));
    t.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(t);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
        selectTab(next);
        e.preventDefault();
      }
    });
  }
  // Page Down / Page Up on a focused page move to the next or previous one.
  document.getElementById("pages").addEventListener("keydown", (e) => {
    const page = e.target.closest(".page");
    if (!page) return;
    const next = e.key === "PageDown" ? page.nextElementSibling : e.key === "PageUp" ? page.previousElementSibling : null;
    if (next) {
      next.focus();
      e.preventDefault();
    }
  });
  document.getElementById("pack").addEventListener("change", (e) => {
    pack = e.target.value;
    row = null;
    const url = new URL(location.href);
    url.searchParams.set("pack", pack);
    url.searchParams.delete("row");
    history.replaceState(null, "", url);
    refresh();
  });
  document.getElementById("row").addEventListener("change", (e) => {
    row = e.target.value;
    const url = new URL(location.href);
    url.searchParams.set("row", row);
    history.replaceState(null, "", url);
    refresh();
  });
  const events = new EventSource("/events");
  events.addEventListener("build", refresh);
  refresh();
});
