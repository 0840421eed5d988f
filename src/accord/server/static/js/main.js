// The page: wires the builder, the edition pickers, the results, the explanation drawer and the
// diff view to the state, and keeps the URL in step with it (so a scenario can be shared).

import { get, once } from "./api.js";
import { $, $$, clear, h } from "./dom.js";
import { decode, editionParams, encode, factParams, sortedFacts, state } from "./state.js";
import { scenarioLabel, setupBuilder, syncBuilder } from "./builder.js";
import { inForce, mark, timeline } from "./timeline.js";
import { renderResults } from "./results.js";
import { renderStrip } from "./strip.js";
import { setupExplain, syncExplain } from "./explain.js";
import { setupDiff, syncDiff } from "./diff.js";

let editions = [];
let shown = { key: null, results: null };
let strip = { key: null, data: null };
let asked = 0;

async function start() {
  try {
    const [eds, themes, scenarios] = await Promise.all([once("/api/editions"), once("/api/themes"), once("/api/scenarios")]);
    editions = eds;
    decode(location.hash);
    const latest = editions.length ? editions[editions.length - 1].id : null;
    if (!state.edition && !state.asOf) state.edition = latest;
    state.diffA = state.diffA || (editions.length > 1 ? editions[editions.length - 2].id : latest);
    state.diffB = state.diffB || latest;
    setupBuilder(themes, scenarios, changed);
    setupExplain(changed);
    setupDiff(loadWitness);
    setupPickers();
    for (const button of $$("nav [data-view]")) {
      button.addEventListener("click", () => { state.view = button.dataset.view; changed(); });
    }
    $("#only-changed").addEventListener("change", (event) => { state.onlyChanged = event.target.checked; changed(); });
    $("#share").addEventListener("focus", (event) => event.target.select());
    window.addEventListener("hashchange", () => {
      if (location.hash !== encode()) {
        decode(location.hash);
        render();
      }
    });
    document.body.dataset.ready = "true";
    render();
  } catch (err) {
    $("#status").textContent = `Could not start: ${err.message}`;
  }
}

function setupPickers() {
  const primary = () => (state.asOf ? (inForce(editions, state.asOf) || {}).id : state.edition);
  timeline($("#edition-timeline"), editions, { name: "Edition", selected: primary,
    pick: (id) => { state.edition = id; state.asOf = null; changed(); } });
  timeline($("#compare-timeline"), editions, { name: "Side by side with", none: "none", selected: () => state.compare,
    pick: (id) => { state.compare = id; changed(); } });
  timeline($("#diff-a"), editions, { name: "Edition A", selected: () => state.diffA, pick: (id) => { state.diffA = id; changed(); } });
  timeline($("#diff-b"), editions, { name: "Edition B", selected: () => state.diffB, pick: (id) => { state.diffB = id; changed(); } });
  $("#as-of").addEventListener("change", (event) => {
    const date = event.target.value;
    if (date) {
      state.asOf = date;
    } else {
      state.edition = state.edition || (inForce(editions, state.asOf || "9999") || editions[editions.length - 1]).id;
      state.asOf = null;
    }
    changed();
  });
}

function changed() {
  const next = encode();
  if (location.hash !== next) history.replaceState(null, "", next);
  render();
}

function loadWitness(facts, a, b) {
  state.facts = new Map(facts.map((f) => [f, "true"]));
  state.scenario = null;
  state.edition = a;
  state.asOf = null;
  state.compare = b;
  state.explain = null;
  state.view = "scenario";
  changed();
  window.scrollTo(0, 0);
}

function render() {
  $("#view-scenario").hidden = state.view !== "scenario";
  $("#view-diff").hidden = state.view !== "diff";
  for (const button of $$("nav [data-view]")) button.setAttribute("aria-current", String(button.dataset.view === state.view));
  if (state.view === "diff") {
    mark($("#diff-a"), state.diffA);
    mark($("#diff-b"), state.diffB);
    $("#drawer").hidden = true;
    syncDiff();
    return;
  }
  mark($("#edition-timeline"), state.asOf ? (inForce(editions, state.asOf) || {}).id : state.edition);
  mark($("#compare-timeline"), state.compare);
  $("#as-of").value = state.asOf || "";
  $("#only-changed").checked = state.onlyChanged;
  $("#only-changed-box").hidden = !state.compare;
  $("#share").value = location.href;
  syncBuilder();
  summary();
  query();
  overTime();
  syncExplain();
}

// The strip of verdicts over time: asked once per scenario, redrawn when the date changes.
async function overTime() {
  const root = $("#time-strip");
  const facts = factParams();
  const key = JSON.stringify(facts);
  const draw = (data) => renderStrip(root, data, { current: state.asOf || editionDate(), open: (date) => {
    state.asOf = date;
    state.edition = null;
    changed();
  } });
  if (strip.key === key) {
    draw(strip.data);
    return;
  }
  strip = { key, data: null };
  clear(root);
  if (!facts.fact.length && !facts.unknown.length) return;
  try {
    const data = await get("/api/timeline", facts);
    if (strip.key !== key) return;
    strip.data = data;
    draw(data);
  } catch (err) {
    if (strip.key === key) clear(root).append(h("p", { class: "error" }, err.message));
  }
}

function editionDate() {
  const chosen = editions.find((e) => e.id === state.edition);
  return chosen ? chosen.in_force : null;
}

function summary() {
  const named = scenarioLabel();
  const facts = sortedFacts();
  const t = facts.filter(([, v]) => v === "true").length;
  const u = facts.length - t;
  const counts = `${t} fact${t === 1 ? "" : "s"} true, ${u} unknown; every other fact is false.`;
  clear($("#scenario-summary")).append(named
    ? h("p", {}, h("strong", {}, named.name), ": ", named.description, h("br"), h("span", { class: "hint" }, counts))
    : h("p", {}, h("strong", {}, "Custom scenario"), ": ", h("span", { class: "hint" }, counts)));
}

async function query() {
  const root = $("#results");
  const sides = [editionParams()];
  if (state.compare) sides.push({ edition: state.compare });
  const facts = factParams();
  const key = JSON.stringify([sides, facts]);
  if (shown.key === key && shown.results) {
    draw(root, shown.results);
    return;
  }
  const ticket = ++asked;
  root.dataset.state = "loading";
  $("#status").textContent = "Asking the solver…";
  try {
    const results = await Promise.all(sides.map((side) => get("/api/query", { ...side, ...facts })));
    if (ticket !== asked) return;
    shown = { key, results };
    draw(root, results);
    $("#status").textContent = "";
  } catch (err) {
    if (ticket !== asked) return;
    shown = { key: null, results: null };
    clear(root).append(h("p", { class: "error" }, err.message));
    root.dataset.state = "error";
    $("#status").textContent = "";
  }
}

function draw(root, results) {
  renderResults(root, results, { onlyChanged: state.onlyChanged, onAction: (edition, action) => {
    state.explain = { edition, action };
    changed();
  } });
  root.dataset.state = "ready";
  root.dataset.key = encode();
}

start();
