// The scenario builder: named scenarios one click away, and every fact of the vocabulary, grouped
// by theme, each settable to true, unknown or false (the default: facts not set are false).

import { $, $$, clear, h } from "./dom.js";
import { state } from "./state.js";

const VALUES = [
  ["false", "no", "false (the default)"],
  ["unknown", "?", "unknown: every completion is considered"],
  ["true", "yes", "true"],
];

let changed = () => {};
let scenarioIndex = new Map();

export function setupBuilder(themes, scenarios, onChange) {
  changed = onChange;
  scenarioIndex = new Map(scenarios.map((s) => [s.name, s]));
  renderScenarios(scenarios);
  renderThemes(themes);
  $("#scenario-filter").addEventListener("input", (event) => filterScenarios(event.target.value));
  $("#clear-facts").addEventListener("click", () => {
    state.facts = new Map();
    state.scenario = null;
    changed();
  });
}

function renderScenarios(scenarios) {
  const list = clear($("#scenario-list"));
  for (const s of scenarios) {
    const button = h("button", { type: "button", class: "scenario", dataset: { scenario: s.name }, title: s.description,
      onclick: () => loadScenario(s.name) },
      h("span", { class: "name" }, s.name.replaceAll("_", " ")),
      h("span", { class: "desc" }, s.description));
    list.append(h("li", {}, button));
  }
}

function filterScenarios(text) {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  for (const button of $$("#scenario-list button")) {
    const hay = (button.dataset.scenario + " " + button.title).toLowerCase().replaceAll("_", " ");
    button.parentElement.hidden = !words.every((w) => hay.includes(w));
  }
}

export function loadScenario(name) {
  const s = scenarioIndex.get(name);
  if (!s) return;
  state.facts = new Map();
  for (const fact of s.true) state.facts.set(fact, "true");
  for (const fact of s.unknown) state.facts.set(fact, "unknown");
  state.scenario = name;
  state.explain = null;
  changed();
}

function renderThemes(themes) {
  const root = clear($("#themes"));
  for (const theme of themes) {
    const body = h("div", { class: "theme-facts" });
    const byName = new Map();
    for (const fact of theme.facts) {
      if (!byName.has(fact.name)) byName.set(fact.name, []);
      byName.get(fact.name).push(fact);
    }
    for (const [name, instances] of byName) {
      const first = instances[0];
      const group = h("div", { class: "fact-group" },
        h("div", { class: "fact-head" }, h("code", {}, name), " ", h("span", { class: "desc" }, first.description)));
      for (const fact of instances) {
        const label = fact.arguments.length ? fact.arguments.join(", ") : "holds";
        group.append(h("div", { class: "fact-row" }, tri(fact.fact), h("span", { class: "fact-label" }, label)));
      }
      body.append(group);
    }
    root.append(h("details", { class: "theme", open: true },
      h("summary", {}, theme.title, " ", h("span", { class: "count", dataset: { theme: theme.title } }, "")),
      body));
  }
}

function tri(fact) {
  const control = h("span", { class: "tri", role: "radiogroup", "aria-label": fact, dataset: { fact } });
  for (const [value, text, title] of VALUES) {
    control.append(h("button", { type: "button", class: `v-${value}`, dataset: { value }, title: `${fact}: ${title}`,
      "aria-pressed": "false", onclick: () => setFact(fact, value) }, text));
  }
  return control;
}

function setFact(fact, value) {
  if (value === "false") state.facts.delete(fact);
  else state.facts.set(fact, value);
  state.scenario = null;
  changed();
}

// Show the state in the controls: which value each fact has, how many are set per theme.
export function syncBuilder() {
  const named = scenarioLabel();
  for (const control of $$("#themes .tri")) {
    const value = state.facts.get(control.dataset.fact) || "false";
    for (const button of control.children) button.setAttribute("aria-pressed", String(button.dataset.value === value));
    control.closest(".fact-row").classList.toggle("set", value !== "false");
  }
  for (const count of $$("#themes .count")) {
    const set = $$(".fact-row.set", count.closest("details")).length;
    count.textContent = set ? `(${set} set)` : "";
  }
  for (const button of $$("#scenario-list button")) {
    button.classList.toggle("current", Boolean(named) && button.dataset.scenario === named.name);
  }
  const known = new Set($$("#themes .tri").map((c) => c.dataset.fact));
  const strangers = Array.from(state.facts.keys()).filter((f) => !known.has(f));
  $("#unknown-facts").textContent = strangers.length ? `Facts the vocabulary does not have: ${strangers.join(", ")}` : "";
}

// The named scenario the builder shows, while its facts are exactly the scenario's.
export function scenarioLabel() {
  const s = state.scenario && scenarioIndex.get(state.scenario);
  if (!s) return null;
  const same = state.facts.size === s.true.length + s.unknown.length &&
    s.true.every((f) => state.facts.get(f) === "true") && s.unknown.every((f) => state.facts.get(f) === "unknown");
  return same ? s : null;
}
