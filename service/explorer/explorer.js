// The explorer: a page over the public API only (list, facets, stats, autocomplete).
// No library, no asset from the internet; charts are drawn as inline SVG.
"use strict";

const API = "/api/v1";
const PAGE = 25;
const FILTERS = ["q", "buyer", "seller", "status", "category", "from", "to"];
const STATUSES = ["announced", "intent", "approved", "contracted", "delivering", "delivered", "cancelled"];
const COLOURS = ["#9aa5b8", "#6c8ebf", "#3f7fbf", "#1f5fbf", "#2e9e6b", "#1b7a4c", "#b23b3b"];

const state = { sort: "-created_at", cursors: [null] };
const $ = (id) => document.getElementById(id);

function filterParams() {
  const params = new URLSearchParams();
  for (const id of FILTERS) {
    const field = $(id);
    const value = field.value.trim();
    if (value) params.set(field.name, value);
  }
  return params;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const errors = body.errors ? Object.entries(body.errors).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`) : [];
    throw new Error([body.detail || body.title, ...errors].join(" — "));
  }
  return body;
}

function showError(error) {
  const box = $("error");
  box.hidden = !error;
  box.textContent = error ? String(error.message || error) : "";
}

function quantity(item) {
  const low = item.quantity_min, high = item.quantity_max;
  if (low === null && high === null) return "—";
  if (low === high) return String(low);
  if (low === null) return `up to ${high}`;
  if (high === null) return `${low}+`;
  return `${low}–${high}`;
}

function renderRows(items) {
  const body = $("results").tBodies[0];
  body.replaceChildren();
  for (const item of items) {
    const link = el("a", { href: `${API}/procurements/${item.id}`, text: "JSON" });
    link.setAttribute("aria-label", `Record of ${item.buyer} ${item.system} as JSON`);
    body.append(
      el("tr", {},
        el("td", { text: item.system }),
        el("td", { text: item.buyer }),
        el("td", { text: item.seller }),
        el("td", { text: item.category }),
        el("td", { text: item.status }),
        el("td", { text: quantity(item) }),
        el("td", { text: item.announced_on || "—" }),
        el("td", {}, link)));
  }
  if (!items.length) body.append(el("tr", {}, el("td", { colspan: "8", text: "No deal matches." })));
}

function renderFacets(facets) {
  const box = $("facets");
  box.replaceChildren();
  const targets = { buyer: "buyer", status: "status", category: "category" };
  for (const [name, values] of Object.entries(facets)) {
    const list = el("ul");
    for (const { value, count } of values.slice(0, 12)) {
      if (value === null) continue;
      const button = el("button", { type: "button" }, el("span", { text: value }), el("span", { text: count }));
      button.setAttribute("aria-label", `Filter by ${name} ${value} (${count} deals)`);
      button.addEventListener("click", () => {
        $(targets[name]).value = value;
        reload();
      });
      list.append(el("li", {}, button));
    }
    box.append(el("h3", { text: `By ${name}` }), list);
  }
}

function renderSortHeaders() {
  const key = state.sort.replace(/^-/, "");
  for (const th of document.querySelectorAll("th[data-sort]")) {
    if (th.dataset.sort === key) th.setAttribute("aria-sort", state.sort.startsWith("-") ? "descending" : "ascending");
    else th.removeAttribute("aria-sort");
  }
}

function barChart(target, rows, label) {
  const box = $(target);
  box.replaceChildren();
  if (!rows.length) { box.textContent = "No data."; return; }
  const max = Math.max(...rows.map((r) => r.count));
  const height = 24 * rows.length + 10;
  const chart = svg("svg", { viewBox: `0 0 600 ${height}`, role: "img", "aria-label": label });
  rows.forEach((row, i) => {
    const y = 5 + i * 24;
    const width = Math.max(2, (row.count / max) * 380);
    chart.append(
      svg("text", { x: 150, y: y + 15, "text-anchor": "end", "font-size": 12 }, row.label),
      svg("rect", { x: 160, y, width, height: 18, fill: "#1f5fbf" }),
      svg("text", { x: 166 + width, y: y + 14, "font-size": 12 }, String(row.count)));
  });
  box.append(chart);
}

function timeChart(target, groups) {
  const box = $(target);
  box.replaceChildren();
  const years = [...new Set(groups.filter((g) => g.year !== null).map((g) => g.year))].sort();
  if (!years.length) { box.textContent = "No dated deals."; return; }
  const totals = years.map((y) => groups.filter((g) => g.year === y).reduce((s, g) => s + g.count, 0));
  const max = Math.max(...totals);
  const step = Math.min(60, 560 / years.length);
  const chart = svg("svg", { viewBox: "0 0 600 240", role: "img", "aria-label": "Deals by status per year" });
  years.forEach((year, i) => {
    let top = 200;
    STATUSES.forEach((status, s) => {
      const group = groups.find((g) => g.year === year && g.status === status);
      if (!group) return;
      const h = (group.count / max) * 180;
      top -= h;
      const bar = svg("rect", { x: 30 + i * step, y: top, width: step * 0.8, height: h, fill: COLOURS[s] });
      bar.append(svg("title", {}, `${year} ${status}: ${group.count}`));
      chart.append(bar);
    });
    chart.append(svg("text", { x: 30 + i * step + step * 0.4, y: 218, "text-anchor": "middle", "font-size": 11 }, String(year)));
  });
  box.append(chart);
  const legend = el("p", { class: "legend" });
  STATUSES.forEach((status, s) => {
    const key = el("span", { text: `■ ${status}  ` });
    key.style.color = COLOURS[s]; // a CSSOM property, which the page's CSP allows
    legend.append(key);
  });
  box.append(legend);
}

async function loadCharts(filters) {
  const buyers = new URLSearchParams(filters);
  buyers.set("group_by", "buyer");
  buyers.set("limit", "10");
  const time = new URLSearchParams(filters);
  time.set("group_by", "year,status");
  time.set("limit", "1000");
  const [byBuyer, byTime] = await Promise.all([
    getJSON(`${API}/stats?${buyers}`),
    getJSON(`${API}/stats?${time}`),
  ]);
  barChart("chart-buyers", byBuyer.map((g) => ({ label: g.buyer, count: g.count })), "Deals by buyer");
  timeChart("chart-time", byTime);
}

async function load() {
  const filters = filterParams();
  const params = new URLSearchParams(filters);
  params.set("limit", String(PAGE));
  params.set("count", "exact");
  params.set("sort", state.sort);
  for (const facet of ["buyer", "status", "category"]) params.append("facet", facet);
  const cursor = state.cursors[state.cursors.length - 1];
  if (cursor) params.set("cursor", cursor);
  const shown = new URLSearchParams(filters);
  shown.set("sort", state.sort);
  history.replaceState(null, "", `?${shown}`);
  $("csv").href = `${API}/procurements?${shown}&format=csv`;
  try {
    const page = await getJSON(`${API}/procurements?${params}`);
    showError(null);
    renderRows(page.items);
    renderFacets(page.facets || {});
    renderSortHeaders();
    const first = (state.cursors.length - 1) * PAGE + 1;
    $("summary").textContent = page.total
      ? `${page.total} ${page.total === 1 ? "deal" : "deals"}; showing ${first}–${first + page.items.length - 1}.`
      : "No deal matches.";
    state.next = page.next ? new URL(page.next, location.origin).searchParams.get("cursor") : null;
    $("next").disabled = !state.next;
    $("previous").disabled = state.cursors.length < 2;
    $("first").disabled = state.cursors.length < 2;
    await loadCharts(filters);
  } catch (error) {
    showError(error);
  }
}

function reload() {
  state.cursors = [null];
  return load();
}

let suggestTimer = null;
function suggestParties(event) {
  clearTimeout(suggestTimer);
  const text = event.target.value.trim();
  if (text.length < 2) return;
  suggestTimer = setTimeout(async () => {
    try {
      const found = await getJSON(`${API}/parties?q=${encodeURIComponent(text)}&limit=10`);
      $("party-list").replaceChildren(...found.map((p) => el("option", { value: p.name })));
    } catch (error) { /* autocomplete is a convenience: stay quiet */ }
  }, 150);
}

function restore() {
  const params = new URLSearchParams(location.search);
  for (const id of FILTERS) {
    const field = $(id);
    if (params.has(field.name)) field.value = params.get(field.name);
  }
  if (params.get("sort")) state.sort = params.get("sort");
}

document.addEventListener("DOMContentLoaded", () => {
  restore();
  $("filters").addEventListener("submit", (event) => { event.preventDefault(); reload(); });
  $("reset").addEventListener("click", () => { for (const id of FILTERS) $(id).value = ""; reload(); });
  for (const id of ["status", "category"]) $(id).addEventListener("change", reload);
  for (const id of ["buyer", "seller"]) $(id).addEventListener("input", suggestParties);
  $("next").addEventListener("click", () => { state.cursors.push(state.next); load(); });
  $("previous").addEventListener("click", () => { state.cursors.pop(); load(); });
  $("first").addEventListener("click", reload);
  for (const th of document.querySelectorAll("th[data-sort]")) {
    th.querySelector("button").addEventListener("click", () => {
      const key = th.dataset.sort;
      state.sort = state.sort === key ? `-${key}` : key;
      reload();
    });
  }
  load();
});
