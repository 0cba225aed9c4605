// verbatim serve: the page. Plain JavaScript, no framework. Every piece of respondent text is
// put in the page as a text node (textContent), never as HTML. The view lives in the URL's
// query string, so every click can be bookmarked and the back button works.
"use strict";

const PAGE_SIZE = 20;
const VIEWS = ["quotes", "crosstab", "shortlist"];

let info = null;
let view = null;
let requestNumber = 0;

// ---------------------------------------------------------------- DOM helpers

function $(id) {
  return document.getElementById(id);
}

// Creates an element: `props` are properties (className, type, ...), `data-*`/`aria-*` keys
// are attributes; children are nodes or strings (text nodes).
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("data-") || key.startsWith("aria-") || key === "role" || key === "for") {
      el.setAttribute(key, String(value));
    } else if (key === "onclick" || key === "onchange") {
      el.addEventListener(key.slice(2), value);
    } else {
      el[key] = value;
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return el;
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

function plural(n, one, many) {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many || one + "s"}`;
}

// Text cut into plain and marked runs, as the API sends it.
function marked(segments) {
  return segments.map((s) => (s.marked ? h("mark", {}, s.text) : document.createTextNode(s.text)));
}

function sentimentBadge(value, name = "sentiment") {
  if (value === null || value === undefined) return null;
  const kind = value <= -0.05 ? "neg" : value >= 0.05 ? "pos" : "neu";
  const words = { neg: "negative", pos: "positive", neu: "neutral" }[kind];
  const shown = (value > 0 ? "+" : value < 0 ? "\u2212" : "") + Math.abs(value).toFixed(2);
  return h("span", { className: `sentiment ${kind}`, title: `${name} ${value} (${words})` }, `${name} ${shown}`);
}

// ---------------------------------------------------------------- the view and the URL

function emptyView() {
  return {
    q: "", themes: [], filters: [], smin: null, smax: null, sort: "relevance", page: 1,
    view: "quotes", cols: "", measure: "count", unit: "comment", qtheme: "", top: 8,
  };
}

function viewFromUrl() {
  const p = new URLSearchParams(location.search);
  const v = emptyView();
  v.q = p.get("q") || "";
  v.themes = p.getAll("theme").filter(Boolean);
  v.filters = p.getAll("f").map((f) => {
    const at = f.indexOf(":");
    return at > 0 ? [f.slice(0, at), f.slice(at + 1)] : null;
  }).filter(Boolean);
  const num = (name) => {
    const text = p.get(name);
    if (text === null || text.trim() === "") return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  };
  v.smin = num("smin");
  v.smax = num("smax");
  v.sort = p.get("sort") || "relevance";
  v.page = Math.max(1, Math.floor(num("page") || 1));
  v.view = VIEWS.includes(p.get("view")) ? p.get("view") : "quotes";
  v.cols = p.get("cols") || "";
  v.measure = p.get("measure") || "count";
  v.unit = p.get("unit") || "comment";
  v.qtheme = p.get("qtheme") || "";
  v.top = Math.min(50, Math.max(1, Math.floor(num("top") || 8)));
  return v;
}

// The parameters of the filter the API shares: q, theme, f, smin, smax.
function filterParams(v) {
  const p = new URLSearchParams();
  if (v.q) p.set("q", v.q);
  for (const t of v.themes) p.append("theme", t);
  for (const [k, value] of v.filters) p.append("f", `${k}:${value}`);
  if (v.smin !== null) p.set("smin", String(v.smin));
  if (v.smax !== null) p.set("smax", String(v.smax));
  return p;
}

function urlOf(v) {
  const p = filterParams(v);
  if (v.sort !== "relevance") p.set("sort", v.sort);
  if (v.page > 1) p.set("page", String(v.page));
  if (v.view !== "quotes") p.set("view", v.view);
  if (v.cols) p.set("cols", v.cols);
  if (v.measure !== "count") p.set("measure", v.measure);
  if (v.unit !== "comment") p.set("unit", v.unit);
  if (v.qtheme) p.set("qtheme", v.qtheme);
  if (v.top !== 8) p.set("top", String(v.top));
  const query = p.toString();
  return query ? `?${query}` : location.pathname;
}

// Changes the view, records it in the URL (a new history entry) and shows it.
function go(change, options = {}) {
  const next = { ...view, ...change };
  if (!("page" in change) && !options.keepPage) next.page = 1;
  view = next;
  history.pushState(null, "", urlOf(view));
  render();
}

window.addEventListener("popstate", () => {
  view = viewFromUrl();
  render();
});

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `the server answered ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(path, params) {
  const url = params && params.toString() ? `${path}?${params}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

// ---------------------------------------------------------------- rendering

function render() {
  $("q").value = view.q;
  $("sort").value = view.sort;
  for (const tab of document.querySelectorAll(".view-tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.view === view.view));
  }
  for (const name of VIEWS) $(`view-${name}`).hidden = name !== view.view;
  renderActive();
  const number = ++requestNumber;
  loadFacets(number);
  if (view.view === "quotes") loadResults(number);
  if (view.view === "crosstab") loadCrosstab(number);
  if (view.view === "shortlist") renderShortlist();
}

function showQueryError(error) {
  const box = $("q-error");
  clear(box);
  if (!error) {
    box.hidden = true;
    $("q").removeAttribute("aria-invalid");
    return;
  }
  box.hidden = false;
  const body = error.body || {};
  if (body.position) {
    const where = body.in === "q" ? "Your query" : "A filter";
    box.append(h("strong", {}, `${where} cannot be read at position ${body.position}: `), body.error);
    const text = body.part || body.query || "";
    const chars = Array.from(text);
    const start = body.position - 1;
    const end = start + (body.length || 1);
    box.append(h("pre", {},
      chars.slice(0, start).join(""),
      h("span", { className: "at" }, chars.slice(start, end).join("") || " "),
      chars.slice(end).join("")));
    if (body.in === "q") $("q").setAttribute("aria-invalid", "true");
  } else {
    box.append(h("strong", {}, "Cannot show this view: "), error.message);
  }
}

function renderActive() {
  const bar = clear($("active"));
  const chip = (label, remove) => h("span", { className: "chip" }, label,
    h("button", { type: "button", "aria-label": `Remove the filter ${label}`, onclick: remove }, "\u00d7"));
  for (const t of view.themes) {
    bar.append(chip(`theme: ${themeLabel(t)}`, () => go({ themes: view.themes.filter((x) => x !== t) })));
  }
  for (const [k, value] of view.filters) {
    bar.append(chip(`${columnName(k)}: ${value}`,
      () => go({ filters: view.filters.filter(([a, b]) => !(a === k && b === value)) })));
  }
  if (view.smin !== null || view.smax !== null) {
    const from = view.smin === null ? "\u22121" : String(view.smin);
    const to = view.smax === null ? "1" : String(view.smax);
    bar.append(chip(`sentiment ${from} to ${to}`, () => go({ smin: null, smax: null })));
  }
  if (bar.childElementCount > 1 || (bar.childElementCount && view.q)) {
    bar.append(h("button", { type: "button", className: "quiet", onclick: () => go({ q: "", themes: [], filters: [], smin: null, smax: null }) }, "Clear all"));
  }
}

function themeLabel(id) {
  if (id === "none") return "(no theme)";
  const t = info && info.themes.find((x) => x.id === id);
  return t ? t.label : id;
}

function columnName(key) {
  if (!info) return key;
  const c = info.closed.find((x) => x.key === key) || info.attributes.find((x) => x.key === key);
  return c ? c.column : key;
}

// ---------------------------------------------------------------- facets

async function loadFacets(number) {
  let facets;
  try {
    facets = await api("/api/facets", filterParams(view));
  } catch (error) {
    if (number !== requestNumber) return;
    showQueryError(error);
    $("facets").classList.add("stale");
    return;
  }
  if (number !== requestNumber) return;
  $("facets").classList.remove("stale");
  renderThemeTree(facets);
  renderHistogram(facets.sentiment);
  renderValueFacets(facets);
}

function renderThemeTree(facets) {
  const tree = clear($("theme-tree"));
  const byParent = new Map();
  for (const t of facets.themes) {
    const key = t.parent || "";
    if (!byParent.has(key)) byParent.set(key, []);
    byParent.get(key).push(t);
  }
  const branch = (parent) => (byParent.get(parent) || []).map((t) => {
    const on = view.themes.includes(t.id);
    const button = h("button", {
      type: "button",
      className: `facet-button${t.count === 0 ? " empty" : ""}`,
      "aria-pressed": String(on),
      "data-theme": t.id,
      title: `theme:${t.id}`,
      onclick: () => go({ themes: on ? view.themes.filter((x) => x !== t.id) : [...view.themes, t.id] }),
    }, h("span", {}, t.label), h("span", { className: "n" }, t.count.toLocaleString("en-GB")));
    const children = branch(t.id);
    return h("li", {}, button, children.length ? h("ul", {}, children) : null);
  });
  tree.append(...branch(""));
  if (facets.uncoded > 0 || view.themes.includes("none")) {
    const on = view.themes.includes("none");
    tree.append(h("li", {}, h("button", {
      type: "button", className: "facet-button", "aria-pressed": String(on), "data-theme": "none",
      title: "theme:none, the comments no theme was coded in",
      onclick: () => go({ themes: on ? view.themes.filter((x) => x !== "none") : [...view.themes, "none"] }),
    }, h("span", {}, "(no theme)"), h("span", { className: "n" }, facets.uncoded.toLocaleString("en-GB")))));
  }
}

function renderHistogram(sentiment) {
  const section = $("sentiment-section");
  section.hidden = !info.sentiment;
  const box = clear($("histogram"));
  const most = Math.max(1, ...sentiment.bins.map((b) => b.count));
  for (const bin of sentiment.bins) {
    const mid = (bin.from + bin.to) / 2;
    const inRange = (view.smin === null || bin.to > view.smin) && (view.smax === null || bin.from < view.smax);
    const bar = h("div", {
      className: `${mid < -0.05 ? "neg" : mid > 0.05 ? "pos" : ""}${(view.smin !== null || view.smax !== null) && inRange ? " in" : ""}`,
      title: `${bin.from} to ${bin.to}: ${bin.count}`,
    });
    bar.style.height = `${Math.round((100 * bin.count) / most)}%`;
    box.append(bar);
  }
  $("smin").value = view.smin === null ? "" : view.smin;
  $("smax").value = view.smax === null ? "" : view.smax;
}

function renderValueFacets(facets) {
  const box = clear($("value-facets"));
  const group = (title, key, question, values, more) => {
    const chosen = new Set(view.filters.filter(([k]) => k === key).map(([, v]) => v));
    // A chosen value stays listed (to untick) even when no hit has it any more.
    const listed = new Set(values.map((e) => e.value.toLowerCase()));
    values = [...values, ...[...chosen].filter((v) => !listed.has(v.toLowerCase())).map((value) => ({ value, count: 0 }))];
    const fieldset = h("fieldset", { "data-column": key }, h("legend", {}, title));
    if (question && question !== title) fieldset.append(h("p", { className: "question" }, question));
    const shown = values.length > 12 && !expanded.has(key) ? values.slice(0, 12) : values;
    shown.forEach((entry, i) => {
      const id = `f-${key}-${i}`;
      const on = chosen.has(entry.value);
      const input = h("input", {
        type: "checkbox", id, checked: on, disabled: entry.level === false && !on,
        onchange: () => go({
          filters: on
            ? view.filters.filter(([k, v]) => !(k === key && v === entry.value))
            : [...view.filters, [key, entry.value]],
        }),
      });
      fieldset.append(h("div", { className: "check" },
        h("label", { for: id }, input, entry.value),
        h("span", { className: "n" }, entry.count.toLocaleString("en-GB"))));
    });
    const hidden = values.length - shown.length + (more || 0);
    if (values.length > 12) {
      const open = expanded.has(key);
      fieldset.append(h("button", {
        type: "button", className: "quiet more", "aria-expanded": String(open),
        onclick: () => { open ? expanded.delete(key) : expanded.add(key); renderValueFacets(facets); },
      }, open ? "Show fewer" : `Show ${hidden} more`));
    } else if (more) {
      fieldset.append(h("p", { className: "question" }, `and ${more} rarer values`));
    }
    box.append(fieldset);
  };
  if (facets.closed.length || facets.attributes.length) box.append(h("h2", {}, "Answers and attributes"));
  for (const c of facets.closed) group(c.column, c.key, c.question, c.values, 0);
  for (const a of facets.attributes) group(a.column, a.key, null, a.values, a.more);
}
const expanded = new Set();

// ---------------------------------------------------------------- results

async function loadResults(number) {
  const params = filterParams(view);
  if (view.sort !== "relevance") params.set("sort", view.sort);
  params.set("offset", String((view.page - 1) * PAGE_SIZE));
  params.set("limit", String(PAGE_SIZE));
  $("summary").textContent = "Searching…";
  let results;
  try {
    results = await api("/api/search", params);
  } catch (error) {
    if (number !== requestNumber) return;
    showQueryError(error);
    $("summary").textContent = "No results: the query could not be run.";
    clear($("results"));
    clear($("pager"));
    clear($("notes"));
    return;
  }
  if (number !== requestNumber) return;
  showQueryError(null);
  const from = results.offset + 1;
  const to = results.offset + results.hits.length;
  const narrowed = view.themes.length || view.filters.length || view.smin !== null || view.smax !== null;
  $("summary").textContent = results.total === 0
    ? `No comment matches${narrowed ? ": remove a filter above, or change the query" : ""}.`
    : `${plural(results.total, "comment")} match${results.total === 1 ? "es" : ""}` +
      (results.hits.length ? ` (showing ${from}\u2013${to})` : "");
  const notes = clear($("notes"));
  for (const note of results.notes) notes.append(h("li", {}, note));
  const list = clear($("results"));
  for (const hit of results.hits) list.append(h("li", {}, card(hit)));
  renderPager(results.total);
}

function attribution(hit) {
  if (hit.attribution) return hit.attribution;
  const values = Object.values(hit.attributes || {}).filter(Boolean);
  return values.join(", ");
}

function card(hit, options = {}) {
  const listed = shortlist.has(hit.seq);
  const text = h("p", { className: "card-text" });
  const full = hit.segments || [{ text: hit.text, marked: false }];
  const short = hit.snippet_segments || full;
  const isCut = hit.snippet !== undefined && hit.snippet !== hit.text;
  let showingFull = false;
  const fill = () => {
    clear(text).append(...marked(showingFull ? full : short));
  };
  fill();
  const meta = h("div", { className: "card-meta" });
  const sentiment = hit.sentiment ? sentimentBadge(hit.sentiment.compound, hit.theme ? "theme sentiment" : "sentiment") : null;
  if (sentiment) meta.append(sentiment);
  for (const t of hit.themes || []) {
    meta.append(h("button", {
      type: "button", className: "tag", title: `Show the comments coded ${t}`,
      onclick: () => go({ themes: view.themes.includes(t) ? view.themes : [...view.themes, t], view: "quotes" }),
    }, themeLabel(t)));
  }
  for (const [k, v] of Object.entries(hit.answers || {})) {
    meta.append(h("span", { className: "pair" }, `${k}: `, h("b", {}, v)));
  }
  const who = attribution(hit);
  const head = h("div", { className: "card-head" },
    h("span", { className: "who" }, who || hit.id),
    h("span", {}, `respondent ${hit.id}`),
    info.open.length > 1 ? h("span", {}, `answer to ${hit.question}`) : null,
    h("span", {}, `line ${hit.line}`));
  const actions = h("div", { className: "card-actions" });
  const add = h("button", {
    type: "button",
    "aria-pressed": String(listed),
    "data-seq": hit.seq,
    className: "shortlist-toggle",
    onclick: () => {
      toggleShortlist(hit);
      const now = shortlist.has(hit.seq);
      add.setAttribute("aria-pressed", String(now));
      add.textContent = now ? "On the shortlist \u2713" : "Add to shortlist";
      article.classList.toggle("shortlisted", now);
      if (options.onChange) options.onChange();
    },
  }, listed ? "On the shortlist \u2713" : "Add to shortlist");
  actions.append(add);
  if (isCut) {
    const more = h("button", {
      type: "button", className: "quiet", "aria-expanded": "false",
      onclick: () => {
        showingFull = !showingFull;
        fill();
        more.setAttribute("aria-expanded", String(showingFull));
        more.textContent = showingFull ? "Show less" : "Show the whole comment";
      },
    }, "Show the whole comment");
    actions.append(more);
  }
  const article = h("article", { className: `card${listed ? " shortlisted" : ""}`, "data-seq": hit.seq },
    head, text, meta, options.extra || null, actions);
  return article;
}

function renderPager(total) {
  const nav = clear($("pager"));
  const pages = Math.ceil(total / PAGE_SIZE);
  const last = Math.min(pages, Math.floor(info.limits.max_offset / PAGE_SIZE) + 1);
  if (pages <= 1) return;
  const button = (page, label, name) => h("button", {
    type: "button", "aria-label": name || `Page ${page}`, "aria-current": page === view.page ? "page" : null,
    disabled: page < 1 || page > last,
    onclick: () => { go({ page }); $("main").focus(); },
  }, label || String(page));
  nav.append(button(view.page - 1, "\u2039 Previous", "Previous page"));
  const shown = new Set([1, last, view.page - 1, view.page, view.page + 1].filter((p) => p >= 1 && p <= last));
  let previous = 0;
  for (const page of [...shown].sort((a, b) => a - b)) {
    if (page - previous > 1) nav.append(h("span", { className: "gap" }, "\u2026"));
    nav.append(button(page));
    previous = page;
  }
  nav.append(button(view.page + 1, "Next \u203a", "Next page"));
  if (last < pages) nav.append(h("span", { className: "gap" }, `(first ${plural(last * PAGE_SIZE, "comment")}; narrow the search for more)`));
}

// ---------------------------------------------------------------- crosstab

function crosstabColumns() {
  const options = [];
  for (const c of info.closed) options.push([c.column, c.column]);
  for (const a of info.attributes) options.push([a.column, a.column]);
  if (info.open.length > 1) options.push(["question", "open question"]);
  options.push(["theme", "theme (co-occurrence)"]);
  return options;
}

function formatP(p) {
  if (p === null || p === undefined || !Number.isFinite(p)) return "\u2013";
  return p < 0.001 ? "<.001" : p.toFixed(3);
}

function number(value, digits) {
  return value === null || value === undefined || !Number.isFinite(value) ? "\u2013" : value.toFixed(digits);
}

async function loadCrosstab(number_) {
  const columns = crosstabColumns();
  const select = $("cols");
  if (select.options.length !== columns.length) {
    clear(select).append(...columns.map(([value, label]) => h("option", { value }, label)));
  }
  const cols = view.cols || columns[0][0];
  select.value = cols;
  $("measure").value = view.measure;
  $("measure").querySelector("[value=sentiment]").disabled = !info.sentiment;
  $("unit").value = view.unit;
  const params = filterParams(view);
  params.set("cols", cols);
  if (view.measure !== "count") params.set("measure", view.measure);
  if (view.unit !== "comment") params.set("unit", view.unit);
  $("crosstab-summary").textContent = "Counting…";
  let table;
  try {
    table = await api("/api/crosstab", params);
  } catch (error) {
    if (number_ !== requestNumber) return;
    showQueryError(error);
    $("crosstab-summary").textContent = "No table: the view could not be counted.";
    return;
  }
  if (number_ !== requestNumber) return;
  showQueryError(null);
  const described = view.q || view.themes.length || view.filters.length || view.smin !== null || view.smax !== null
    ? "the comments of this view" : "all comments";
  $("crosstab-summary").textContent =
    `Themes by ${table.column}: ${plural(Math.round(table.total), table.unit.replace(/s$/, ""))} (${described})`;
  const warnings = clear($("crosstab-warnings"));
  for (const w of table.warnings) warnings.append(h("li", {}, w));
  const img = $("heatmap");
  img.src = `/api/crosstab.svg?${params}`;
  img.alt = `Heatmap of themes by ${table.column}; the same numbers are in the table below.`;
  $("heatmap-caption").textContent = table.kind === "theme"
    ? "Darker cells: themes that occur together more often (Jaccard)."
    : table.measure === "sentiment"
      ? "Mean theme sentiment per cell: red negative, green positive."
      : "% of each column coded with the theme; red: more often than expected, blue: less often; + / \u2212 mark adjusted residuals beyond \u00b11.96.";
  renderStatsTable(table);
}

function renderStatsTable(table) {
  const el = clear($("crosstab-table"));
  const isTheme = table.kind === "theme";
  const tested = !isTheme && table.measure === "count";
  el.append(h("caption", {}, isTheme ? "Co-occurrence: comments with both themes"
    : table.measure === "sentiment" ? "Mean theme sentiment [95% interval]"
      : "n and % of the column; flagged cells beyond \u00b11.96 adjusted residual"));
  const headRow = h("tr", {}, h("th", { scope: "col" }, "Theme"));
  table.columns.forEach((c) => headRow.append(h("th", { scope: "col" }, c)));
  if (tested) {
    for (const name of ["\u03c7\u00b2", "df", "p", "p (BH)", "Cram\u00e9r's V"]) headRow.append(h("th", { scope: "col" }, name));
    if (table.kind === "ordered") headRow.append(h("th", { scope: "col" }, "trend r"), h("th", { scope: "col" }, "trend p"));
  }
  el.append(h("thead", {}, headRow));
  const body = h("tbody");
  const base = h("tr", {}, h("th", { scope: "row" }, "base (n)"));
  table.base.forEach((b) => base.append(h("td", {}, number(b, table.weighted ? 1 : 0))));
  body.append(base);
  for (const row of table.rows) {
    const tr = h("tr", {}, h("th", { scope: "row" }, "\u00a0\u00a0".repeat(row.depth) + row.label));
    table.columns.forEach((_, c) => {
      let text;
      let className = "";
      if (table.measure === "sentiment") {
        const m = row.sentiment[c];
        text = m ? `${m.mean >= 0 ? "+" : ""}${m.mean.toFixed(2)}${Number.isFinite(m.lower) ? ` [${m.lower.toFixed(2)}, ${m.upper.toFixed(2)}]` : ""}` : "\u2013";
      } else if (isTheme) {
        text = number(row.n[c], 0);
      } else {
        const r = row.residual[c];
        const flag = r > 1.96 ? " +" : r < -1.96 ? " \u2212" : "";
        text = `${number(row.n[c], table.weighted ? 1 : 0)} (${number(row.column_percent[c], 1)}%)${flag}`;
        className = r > 1.96 ? "flag-up" : r < -1.96 ? "flag-down" : "";
        if (flag) {
          const residual = `adjusted residual ${r.toFixed(2)}`;
          tr.append(h("td", { className, title: residual, "aria-label": `${text}, ${residual}` }, text));
          return;
        }
      }
      tr.append(h("td", { className }, text));
    });
    if (tested) {
      const t = row.test;
      const p = t ? (t.fisher_p ?? t.p) : null;
      tr.append(
        h("td", {}, t ? number(t.chi_square, 2) + (t.approximation_unsafe ? "!" : "") : "\u2013"),
        h("td", {}, t ? String(t.df) : "\u2013"),
        h("td", {}, formatP(p)),
        h("td", { className: t && t.p_adjusted < 0.05 ? "sig" : "" }, formatP(t ? t.p_adjusted : null)),
        h("td", {}, t ? number(t.cramers_v, 2) : "\u2013"));
      if (table.kind === "ordered") {
        tr.append(h("td", {}, row.trend ? number(row.trend.rank_biserial, 2) : "\u2013"),
          h("td", {}, row.trend ? formatP(row.trend.p) : "\u2013"));
      }
    }
    body.append(tr);
  }
  el.append(body);
}

// ---------------------------------------------------------------- shortlist

// Kept in localStorage under the index's name and codebook, so shortlists of different indexes
// do not mix.
const shortlist = {
  key: "",
  items: [],
  load() {
    this.key = `verbatim.shortlist.${info.index}.${info.codebook.hash}`;
    try {
      const stored = JSON.parse(localStorage.getItem(this.key) || "[]");
      this.items = Array.isArray(stored) ? stored.filter((i) => Number.isInteger(i.seq)) : [];
    } catch (_) {
      this.items = [];
    }
    this.count();
  },
  save() {
    localStorage.setItem(this.key, JSON.stringify(this.items));
    this.count();
  },
  count() {
    $("shortlist-count").textContent = String(this.items.length);
  },
  has(seq) {
    return this.items.some((i) => i.seq === seq);
  },
};

function toggleShortlist(hit) {
  if (shortlist.has(hit.seq)) {
    shortlist.items = shortlist.items.filter((i) => i.seq !== hit.seq);
  } else {
    shortlist.items.push({
      seq: hit.seq, id: hit.id, question: hit.question, line: hit.line, text: hit.text,
      themes: hit.themes || [], answers: hit.answers || {}, attributes: hit.attributes || {},
      sentiment: hit.sentiment || null, theme: hit.theme || null, attribution: hit.attribution || null,
    });
  }
  shortlist.save();
}

function renderShortlist(options = {}) {
  const list = clear($("shortlist"));
  const items = shortlist.items;
  document.querySelectorAll(".export-buttons [data-format]").forEach((b) => { b.disabled = items.length === 0; });
  $("clear-shortlist").disabled = items.length === 0;
  if (!items.length) {
    list.append(h("li", { className: "hint" }, "The shortlist is empty: add quotes from the results, or from the suggestions below."));
  }
  items.forEach((item, i) => {
    const up = h("button", { type: "button", disabled: i === 0, "aria-label": `Move quote ${i + 1} up`, onclick: () => move(i, -1) }, "\u2191");
    const down = h("button", { type: "button", disabled: i === items.length - 1, "aria-label": `Move quote ${i + 1} down`, onclick: () => move(i, 1) }, "\u2193");
    const hit = { ...item, segments: [{ text: item.text, marked: false }] };
    const el = card(hit, { onChange: renderShortlistOnly, extra: h("div", { className: "card-actions" }, up, down) });
    list.append(h("li", {}, el));
  });
  if (!options.keepRanking) fillThemeSelect();
}

function move(i, by) {
  const items = shortlist.items;
  const j = i + by;
  if (j < 0 || j >= items.length) return;
  [items[i], items[j]] = [items[j], items[i]];
  shortlist.save();
  renderShortlistOnly();
}

function fillThemeSelect() {
  const select = $("qtheme");
  if (select.options.length === 0) {
    select.append(...info.themes.map((t) => h("option", { value: t.id }, "\u00a0\u00a0".repeat(t.depth) + t.label)));
  }
  select.value = view.qtheme || view.themes[0] || (info.themes[0] && info.themes[0].id) || "";
  $("top").value = view.top;
  if (view.qtheme) loadRanking();
}

// A quote of the ranking, shaped as a search hit for the card.
function quoteAsHit(quote, theme) {
  return {
    seq: quote.seq, id: quote.respondent, question: quote.question, line: quote.line,
    text: quote.text, segments: [{ text: quote.text, marked: false }], themes: [theme],
    answers: Object.fromEntries(quote.answers), attributes: Object.fromEntries(quote.attributes),
    attribution: quote.attribution, theme,
    sentiment: quote.sentiment === null ? null : { compound: quote.sentiment },
  };
}

function explainQuote(quote) {
  const c = quote.components;
  const parts = [
    `score ${quote.score.toFixed(2)}`,
    `evidence ${c.evidence.toFixed(2)}`,
    `sentiment ${c.sentiment.toFixed(2)}`,
    `representative ${c.representative.toFixed(2)}`,
    `quotable ${c.quotable.toFixed(2)}`,
  ];
  if (quote.trimmed) parts.push("trimmed to the theme's sentences");
  const rules = quote.rules.map(([rule, words]) => `${rule} \u201c${words}\u201d`).join(", ");
  return h("p", { className: "explain" }, parts.join(" \u00b7 "), rules ? h("br") : null, rules ? `rules: ${rules}` : null);
}

async function loadRanking() {
  const params = filterParams(view);
  params.set("of", view.qtheme);
  params.set("top", String(view.top));
  $("ranking-summary").textContent = "Ranking…";
  const list = clear($("ranking"));
  let ranked;
  try {
    ranked = await api("/api/quotes", params);
  } catch (error) {
    $("ranking-summary").textContent = `No suggestions: ${error.message}`;
    return;
  }
  $("ranking-summary").textContent = ranked.quotes.length
    ? `${ranked.label}, ranked as verbatim quotes ranks them: ${ranked.summary}.`
    : `No quote for ${ranked.label} in this view.`;
  for (const quote of ranked.quotes) {
    list.append(h("li", {}, card(quoteAsHit(quote, ranked.theme), { extra: explainQuote(quote), onChange: renderShortlistOnly })));
  }
}

// Redraws the shortlist but not the ranking below it.
function renderShortlistOnly() {
  renderShortlist({ keepRanking: true });
}

async function exportShortlist(format) {
  const status = $("export-status");
  const preview = $("export-preview");
  status.textContent = "Exporting…";
  let response;
  try {
    response = await fetch("/api/export", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        format,
        redact: $("redact").checked,
        quotes: shortlist.items.map((i) => (i.theme ? { seq: i.seq, theme: i.theme } : { seq: i.seq })),
      }),
    });
  } catch (error) {
    status.textContent = `The export failed: ${error.message}`;
    return;
  }
  if (!response.ok) {
    let message = `the server answered ${response.status}`;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    status.textContent = `The export failed: ${message}`;
    return;
  }
  const blob = await response.blob();
  const name = (response.headers.get("content-disposition") || "").match(/filename="([^"]+)"/);
  const filename = name ? name[1] : `shortlist.${format}`;
  const redactions = response.headers.get("x-verbatim-redactions");
  const link = h("a", { href: URL.createObjectURL(blob), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  status.textContent = `Exported ${plural(shortlist.items.length, "quote")} as ${filename}` +
    (redactions !== null ? `, with ${plural(Number(redactions), "redaction")}.` : ".");
  if (format === "md" || format === "csv") {
    preview.hidden = false;
    preview.textContent = await blob.text();
  } else {
    preview.hidden = true;
    preview.textContent = "";
  }
}

// ---------------------------------------------------------------- start

function wire() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go({ q: $("q").value.trim(), sort: $("sort").value, view: view.view === "crosstab" ? "crosstab" : "quotes" });
  });
  $("sort").addEventListener("change", () => go({ sort: $("sort").value }));
  for (const tab of document.querySelectorAll(".view-tab")) {
    tab.addEventListener("click", () => go({ view: tab.dataset.view }, { keepPage: true }));
  }
  $("sentiment-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const read = (id) => {
      const text = $(id).value.trim();
      if (text === "") return null;
      return Math.max(-1, Math.min(1, Number(text)));
    };
    let smin = read("smin");
    let smax = read("smax");
    if (smin !== null && smax !== null && smin > smax) [smin, smax] = [smax, smin];
    go({ smin, smax });
  });
  for (const b of document.querySelectorAll(".quick button")) {
    b.addEventListener("click", () => go({ smin: Number(b.dataset.smin), smax: Number(b.dataset.smax) }));
  }
  $("cols").addEventListener("change", () => go({ cols: $("cols").value }));
  $("measure").addEventListener("change", () => go({ measure: $("measure").value }));
  $("unit").addEventListener("change", () => go({ unit: $("unit").value }));
  $("ranking-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go({ qtheme: $("qtheme").value, top: Math.min(50, Math.max(1, Number($("top").value) || 8)) });
  });
  for (const b of document.querySelectorAll(".export-buttons [data-format]")) {
    b.addEventListener("click", () => exportShortlist(b.dataset.format));
  }
  $("clear-shortlist").addEventListener("click", () => {
    if (!confirm(`Remove all ${shortlist.items.length} quotes from the shortlist?`)) return;
    shortlist.items = [];
    shortlist.save();
    renderShortlistOnly();
  });
}

async function start() {
  try {
    info = await api("/api/info");
  } catch (error) {
    $("about").textContent = `Cannot read the index: ${error.message}`;
    return;
  }
  const sentiment = info.sentiment ? "" : " \u00b7 no sentiment";
  $("about").textContent =
    `${info.index} \u00b7 ${plural(info.comments, "comment")} from ${plural(info.respondents, "respondent")} \u00b7 codebook ${info.codebook.name} ${info.codebook.version}${sentiment}`;
  document.title = `verbatim \u00b7 ${info.index}`;
  shortlist.load();
  view = viewFromUrl();
  wire();
  render();
}

document.addEventListener("DOMContentLoaded", start);
