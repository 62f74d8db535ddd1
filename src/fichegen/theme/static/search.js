// The search page: a search form, filters per facet with counts, a sort choice and a result
// list, on Pagefind's JavaScript API. Every text comes from the data-i18n-* attributes of
// #search (the site's UI catalogues); every address is computed from data-base / data-site,
// so the page works under a base path. No inline script, no eval: the page's CSP allows
// 'self' scripts and WebAssembly only. The reader's query lives in the address (?q=, filters,
// sort), so a search can be bookmarked, shared and reloaded.

const root = document.getElementById("search");
const PAGE_SIZE = 10;
const DEBOUNCE_MS = 250;
const SORTS = { relevance: null, newest: { newest: "desc" }, oldest: { oldest: "asc" } };

if (root) start(root);

async function start(root) {
  const i18n = (key) => root.dataset["i18n" + key.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())] || "";
  const facets = Object.keys(root.dataset)
    .filter((k) => k.startsWith("i18nFacet"))
    .map((k) => ({ name: k.slice("i18nFacet".length).toLowerCase(), label: root.dataset[k] }));
  const ui = buildInterface(root, i18n, facets);
  const params = new URLSearchParams(window.location.search);
  const state = {
    term: (params.get("q") || "").trim(),
    sort: SORTS.hasOwnProperty(params.get("sort")) ? params.get("sort") : "relevance",
    selected: Object.fromEntries(facets.map((f) => [f.name, new Set(params.getAll(f.name))])),
    results: [],
    shown: 0,
    run: 0,
  };
  ui.input.value = state.term;
  ui.sort.value = state.sort;

  let pagefind;
  try {
    pagefind = await import(root.dataset.base + "pagefind.js");
    // noWorker: searching a knowledge base of this size takes milliseconds on the main thread, and
    // the worker would cost every reader a second copy of Pagefind's code (about 40 KB) to download.
    await pagefind.options({ baseUrl: root.dataset.site, excerptLength: 24, noWorker: true });
    await pagefind.init();
    state.totals = await pagefind.filters();
  } catch (error) {   // no index (a build with --no-search) or a failed download: the browse links remain
    ui.form.replaceWith(el("p", { class: "search-unavailable", role: "status" }, i18n("unavailable")));
    ui.layout.remove();
    return;
  }

  // The result section is aria-busy from the moment a search starts until its results are shown.
  async function search() {
    const run = ++state.run;
    ui.results.setAttribute("aria-busy", "true");
    try {
      await update(run);
    } finally {
      if (run === state.run) ui.results.removeAttribute("aria-busy");
    }
  }

  async function update(run) {
    const filters = activeFilters(state.selected);
    const hasFilters = Object.keys(filters).length > 0;
    if (!state.term && !hasFilters) {
      state.results = [];
      renderFacets(ui, facets, state, state.totals);
      ui.list.replaceChildren();
      ui.more.hidden = true;
      ui.status.textContent = i18n("hint");
      ui.shown.textContent = "";
      remember(state, facets);
      return;
    }
    const found = await pagefind.search(state.term || null, { filters, sort: SORTS[state.sort] || undefined });
    if (run !== state.run || !found) return; // a newer search has started
    // Counts per facet: values of a facet combine with OR, so a facet in use is counted without its own filter.
    const counts = { ...found.filters };
    for (const facet of facets) {
      if (!filters[facet.name]) continue;
      const others = { ...filters };
      delete others[facet.name];
      const without = await pagefind.search(state.term || null, { filters: others });
      if (run !== state.run) return;
      if (without) counts[facet.name] = without.filters[facet.name] || {};
    }
    state.results = found.results;
    state.shown = 0;
    ui.list.replaceChildren();
    renderFacets(ui, facets, state, counts);
    await showMore(false);
    if (run !== state.run) return;
    const count = found.results.length;
    const kind = state.term ? "" : "filtered-";
    const message = i18n(kind + (count === 0 ? "zero" : count === 1 ? "one" : "many"));
    ui.status.textContent = message.replace("[COUNT]", formatNumber(count)).replace("[SEARCH_TERM]", state.term);
    remember(state, facets);
  }

  async function showMore(moveFocus) {
    const run = state.run;
    const slice = state.results.slice(state.shown, state.shown + PAGE_SIZE);
    const pages = await Promise.all(slice.map((r) => r.data()));
    if (run !== state.run) return;
    const items = pages.map((page) => resultItem(page, state.term));
    ui.list.append(...items);
    state.shown += slice.length;
    ui.more.hidden = state.shown >= state.results.length;
    ui.shown.textContent = state.results.length > PAGE_SIZE
      ? i18n("shown").replace("[SHOWN]", formatNumber(state.shown)).replace("[COUNT]", formatNumber(state.results.length))
      : "";
    if (moveFocus && items.length) items[0].querySelector("a").focus();
  }

  let timer;
  const later = () => { clearTimeout(timer); timer = setTimeout(search, DEBOUNCE_MS); };
  ui.input.addEventListener("input", () => { state.term = ui.input.value.trim(); later(); });
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    state.term = ui.input.value.trim();
    search();
  });
  ui.sort.addEventListener("change", () => { state.sort = ui.sort.value; search(); });
  ui.filters.addEventListener("change", (event) => {
    const box = event.target;
    if (!box.matches("input[type=checkbox]")) return;
    const chosen = state.selected[box.name];
    if (box.checked) chosen.add(box.value); else chosen.delete(box.value);
    search();
  });
  ui.clear.addEventListener("click", () => {
    for (const chosen of Object.values(state.selected)) chosen.clear();
    search();
  });
  ui.more.addEventListener("click", () => showMore(true));
  search();
}

// --- the interface --------------------------------------------------------------------

// The form and the frames of the filters and results are in the page (templates/search.html), so that nothing
// moves when the script starts: it only finds them.
function buildInterface(root, i18n, facets) {
  const find = (selector) => root.querySelector(selector);
  const aside = find(".search-filters");
  // The filters fold away on narrow screens, so that the results come first.
  aside.open = !window.matchMedia("(max-width: 50rem)").matches;
  return {
    form: find(".search-form"), input: find("#search-q"), filters: find(".search-facets"), clear: find(".search-clear"),
    active: find(".search-filters summary .count"), sort: find("#search-sort"), status: find(".search-status"),
    list: find(".search-results-list"), shown: find(".search-shown"), more: find(".search-more"),
    results: find(".search-results"), layout: find(".search-layout"),
  };
}

function renderFacets(ui, facets, state, counts) {
  let selected = 0;
  for (const facet of facets) {
    const group = ui.filters.querySelector(`[data-facet="${facet.name}"]`);
    const list = group.querySelector("ul");
    const chosen = state.selected[facet.name];
    const available = { ...(state.totals[facet.name] || {}) };
    for (const value of Object.keys(available)) available[value] = (counts[facet.name] || {})[value] || 0;
    for (const value of chosen) if (!(value in available)) available[value] = 0;
    const values = Object.keys(available).sort(facet.name === "year"
      ? (a, b) => b.localeCompare(a)
      : (a, b) => a.localeCompare(b, document.documentElement.lang, { sensitivity: "base" }));
    group.hidden = values.length === 0;
    if (chosen.size) group.open = true;
    list.replaceChildren(...values.map((value, i) => {
      const id = `facet-${facet.name}-${i}`;
      const box = el("input", { type: "checkbox", id, name: facet.name, value });
      box.checked = chosen.has(value);
      if (box.checked) selected += 1;
      const item = el("li", { class: available[value] === 0 && !box.checked ? "facet-value none" : "facet-value" },
        box, el("label", { for: id }, value, " ", el("span", { class: "count" }, formatNumber(available[value]))));
      return item;
    }));
  }
  ui.clear.hidden = selected === 0;
  ui.active.hidden = selected === 0;
  ui.active.textContent = formatNumber(selected);
}

// A result reads as the fiche's summary (render/search_record.py records it in the page's language, or in the
// language it is shown in, named by summary_lang); Pagefind's excerpt of the matched words only for a fiche without one.
function resultItem(page, term) {
  const meta = page.meta || {};
  const name = meta.title || page.url;   // "ISCTE – Instituto…" already holds its acronym: not written twice
  const title = el("a", { href: page.url }, (meta.acronym && !name.includes(meta.acronym) ? meta.acronym + " – " : "") + name);
  const line = [meta.kind, meta.period].filter(Boolean).join(" · ");
  const excerpt = el("p", { class: "result-excerpt" });
  if (meta.summary) {
    excerpt.append(...highlighted(meta.summary, term));
    if (meta.summary_lang) excerpt.setAttribute("lang", meta.summary_lang);
  } else {
    excerpt.append(...safeExcerpt(page.excerpt || ""));
  }
  return el("li", { class: "result" },
    line ? el("p", { class: "result-kind" }, line) : "",
    el("h3", { class: "result-title" }, title),
    excerpt);
}

// The words of a summary that begin like a searched word are marked, as Pagefind marks its excerpts
// (a plural or a stem: "remittance" marks "remittances", "intégration" marks "intégrations").
function highlighted(text, term) {
  const fold = (w) => w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const stems = (term || "").split(/\s+/).map(fold).map((w) => w.replace(/(es|s)$/, "")).filter((w) => w.length >= 3);
  if (!stems.length) return [document.createTextNode(text)];
  return text.split(/([\p{L}\p{N}]+)/u).map((part, i) =>
    i % 2 && stems.some((stem) => fold(part).startsWith(stem)) ? el("mark", {}, part) : document.createTextNode(part));
}

// Pagefind's excerpt is HTML with <mark> around the matched words. It is parsed in an inert
// <template> and rebuilt from its text and <mark> elements only: nothing else gets through.
function safeExcerpt(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const out = [];
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.localName === "mark") out.push(el("mark", {}, node.textContent));
    else out.push(document.createTextNode(node.textContent));
  }
  return out;
}

// --- small pieces ---------------------------------------------------------------------

function activeFilters(selected) {
  const filters = {};
  for (const [name, values] of Object.entries(selected)) if (values.size) filters[name] = { any: [...values] };
  return filters;
}

function remember(state, facets) {
  const params = new URLSearchParams();
  if (state.term) params.set("q", state.term);
  if (state.sort !== "relevance") params.set("sort", state.sort);
  for (const facet of facets) for (const value of state.selected[facet.name]) params.append(facet.name, value);
  const query = params.toString();
  history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
}

function formatNumber(n) {
  return new Intl.NumberFormat(document.documentElement.lang).format(n);
}

function el(name, attributes, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children.filter((c) => c !== "" && c !== null && c !== undefined));
  return node;
}
