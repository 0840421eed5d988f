// Results: the actions of one edition grouped by status, or of two editions side by side with the
// actions whose status differs highlighted. Each action shows its deciding clauses and citations;
// a click opens its explanation. With layers of authority, a bar of the headline labels present
// (with their counts) filters the actions by label.

import { clear, h } from "./dom.js";

export const VERDICTS = [
  ["conflict", "Conflict", "required and forbidden at once"],
  ["required", "Required", ""],
  ["permitted", "Permitted", ""],
  ["possibly permitted", "Possibly permitted", "in some completions of the unknown facts, not all"],
  ["forbidden", "Forbidden", "a prohibition applies"],
  ["not permitted", "Not permitted", ""],
];

export function label(a) {
  return `${a.actor} ${a.action}${a.arguments.length ? `(${a.arguments.join(", ")})` : ""}`;
}

export function verdictClass(verdict) {
  return `verdict v-${verdict.replaceAll(" ", "-")}`;
}

const VARIES = "(varies)"; // the key of an action whose readings differ in label
let chosenLabel = null; // the label the actions are filtered by; null: every label

function headlineKey(a) {
  return a.headline || VARIES;
}

// The filter bar: one button per headline label present, with the number of actions that have it.
function labelFilter(results, rerender) {
  const counts = new Map();
  const names = new Map([[VARIES, "differs between readings"]]);
  for (const r of results) {
    for (const a of r.actions) {
      if (!a.labels || !a.labels.length) continue;
      for (const l of a.labels) names.set(l.name, l.description);
      counts.set(headlineKey(a), (counts.get(headlineKey(a)) || 0) + 1);
    }
  }
  if (!counts.size) return null;
  if (chosenLabel && !counts.has(chosenLabel)) chosenLabel = null;
  const total = [...counts.values()].reduce((x, y) => x + y, 0);
  const button = (key, text, count) => h("button", { type: "button", class: `label-choice${chosenLabel === key ? " selected" : ""}`,
    dataset: { label: key || "" }, "aria-pressed": String(chosenLabel === key),
    onclick: () => { chosenLabel = key; rerender(); } }, `${text} (${count})`);
  const keys = [...counts.keys()].sort((x, y) => counts.get(y) - counts.get(x) || x.localeCompare(y));
  return h("div", { class: "label-filter", id: "label-filter", role: "group", "aria-label": "Filter the actions by label" },
    h("span", { class: "picker-label" }, "Label"), button(null, "all", total),
    keys.map((key) => button(key, names.get(key) || key.replaceAll("_", " "), counts.get(key))));
}

// results: one or two query results; onAction(edition, label) opens an explanation.
export function renderResults(root, results, options) {
  const { onAction, onlyChanged } = options;
  clear(root);
  const filter = labelFilter(results, () => renderResults(root, results, options));
  if (filter) root.append(filter);
  const sides = results.map((r) => new Map(r.actions.map((a) => [label(a), a])));
  const changed = new Set();
  if (results.length === 2) {
    for (const [key, a] of sides[0]) {
      const b = sides[1].get(key);
      if (!b || a.verdict !== b.verdict) changed.add(key);
    }
    for (const key of sides[1].keys()) if (!sides[0].has(key)) changed.add(key);
    const note = changed.size
      ? `${changed.size} action${changed.size === 1 ? "" : "s"} change status between ${results[0].edition.id} and ${results[1].edition.id}; highlighted.`
      : `No action changes status between ${results[0].edition.id} and ${results[1].edition.id} in this scenario.`;
    root.append(h("p", { class: "compare-note", id: "changed-count", dataset: { changed: changed.size } }, note));
  }
  const columns = h("div", { class: results.length === 2 ? "columns two" : "columns" });
  results.forEach((result, i) => {
    const other = results.length === 2 ? { map: sides[1 - i], edition: results[1 - i].edition.id } : null;
    columns.append(column(result, { changed, other, onAction, onlyChanged: onlyChanged && results.length === 2 }));
  });
  root.append(columns);
}

function column(result, { changed, other, onAction, onlyChanged }) {
  const e = result.edition;
  const col = h("section", { class: "column", dataset: { edition: e.id } },
    h("h3", { class: "edition-head" }, h("span", { class: "edition-id" }, e.id), " ", e.title,
      h("span", { class: "in-force" }, ` in force ${e.in_force}`)));
  if (result.outside_vocabulary.length) {
    col.append(h("p", { class: "warning" }, "Not in this edition's vocabulary, so never true here: ",
      result.outside_vocabulary.join(", ")));
  }
  if (!result.possible) {
    col.append(h("div", { class: "impossible" }, h("strong", {}, "This scenario is impossible: "),
      "it breaks the domain constraints.",
      h("ul", {}, result.violations.map((v) => h("li", {}, h("code", {}, v.constraint), ": ", v.description)))));
    return col;
  }
  for (const [verdict, title, hint] of VERDICTS) {
    let actions = result.actions.filter((a) => a.verdict === verdict);
    if (chosenLabel) actions = actions.filter((a) => a.labels && a.labels.length && headlineKey(a) === chosenLabel);
    if (onlyChanged) actions = actions.filter((a) => changed.has(label(a)));
    let silent = [];
    if (verdict === "not permitted") {
      silent = actions.filter((a) => !a.clauses.length && !changed.has(label(a)));
      actions = actions.filter((a) => a.clauses.length || changed.has(label(a)));
    }
    actions.sort((x, y) => changed.has(label(y)) - changed.has(label(x))); // changed first, else as given
    if (actions.length) {
      col.append(h("div", { class: "group", dataset: { verdict } },
        h("h4", { class: verdictClass(verdict) }, `${title} (${actions.length})`, hint ? h("span", { class: "hint" }, ` ${hint}`) : null),
        actions.map((a) => card(a, e.id, changed, other, onAction))));
    }
    if (silent.length) {
      col.append(h("details", { class: "silent" },
        h("summary", {}, `${silent.length} other action${silent.length === 1 ? " is" : "s are"} not permitted: no clause permits them (default deny)`),
        h("ul", {}, silent.map((a) => h("li", {}, h("button", { type: "button", class: "link action-link",
          dataset: { action: label(a) }, onclick: () => onAction(e.id, label(a)) }, label(a)), " ", h("span", { class: "desc" }, a.description))))));
    }
  }
  return col;
}

// With layers of authority: the headline label, then one chip per layer that decided something.
function headlineText(a) {
  if (!a.labels || !a.labels.length) return null;
  const words = a.labels.map((l) => l.description).join(" or ");
  return a.headline ? words : `possibly ${words}`;
}

function layerChips(a) {
  const text = headlineText(a);
  if (!text) return null;
  const status = a.headline ? (a.labels[0].status || "none") : "varies";
  const chips = (a.layers || []).filter((l) => l.decided || l.clauses.length).map((l) =>
    h("span", { class: `chip${l.role ? ` role-${l.role}` : ""}`, dataset: { layer: l.layer, role: l.role || "" },
      title: `${l.description}: ${l.clauses.join(", ") || "no clause"}${l.role ? ` (${l.role} role)` : ""}` },
      `${l.layer}: ${(l.verdict || l.verdicts.map((v) => v.name).join(" / ")).replaceAll("_", " ")}${l.role ? `, ${l.role}` : ""}`));
  return h("p", { class: "layers" }, h("strong", { class: `label-${status}` }, text), " ", ...chips);
}

function card(a, edition, changed, other, onAction) {
  const key = label(a);
  const isChanged = changed.has(key);
  const before = other && other.map.get(key);
  const open = () => onAction(edition, key);
  return h("article", { class: `action${isChanged ? " changed" : ""}`, tabindex: "0", role: "button",
      dataset: { action: key, verdict: a.verdict }, title: "Why? Click for the explanation",
      onclick: open, onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); } } },
    h("header", {}, h("span", { class: "label" }, key), " ", h("span", { class: verdictClass(a.verdict) }, a.verdict),
      isChanged && other ? h("span", { class: "was" }, ` ${other.edition}: ${before ? before.verdict : "not in that edition"}`) : null),
    h("p", { class: "desc" }, a.description),
    layerChips(a),
    a.clauses.length
      ? h("ul", { class: "clauses" }, a.clauses.map((c) => h("li", {},
          h("span", { class: "role" }, c.role + (c.extent === "sometimes" ? " (in some completions)" : "")), " ",
          h("code", { class: "clause-id" }, c.id), " ", h("cite", {}, `[${c.cite}]`), " ", h("span", { class: "says" }, c.says))))
      : h("p", { class: "none" }, "No clause applies (default deny)."));
}
