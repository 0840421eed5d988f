// The diff view: what changed between two editions, over every scenario: each action whose status
// differs, with witness scenarios (a click loads one into the builder, both editions side by
// side), and the clauses added, removed and changed.

import { get } from "./api.js";
import { $, clear, h } from "./dom.js";
import { state } from "./state.js";
import { label, verdictClass } from "./results.js";

const MOVES = { gained: "gained", lost: "lost", both: "gained in some scenarios, lost in others" };
let request = null;
let loadWitness = () => {};

export function setupDiff(onWitness) {
  loadWitness = onWitness;
}

export async function syncDiff() {
  const root = $("#diff-results");
  if (!state.diffA || !state.diffB) {
    clear(root).append(h("p", { class: "hint" }, "Pick two editions on the timelines above."));
    request = null;
    return;
  }
  const key = `${state.diffA}|${state.diffB}`;
  if (request === key) return;
  request = key;
  clear(root).append(h("p", { class: "loading" }, `Comparing ${state.diffA} with ${state.diffB} over every scenario…`));
  try {
    const result = await get("/api/diff", { a: state.diffA, b: state.diffB });
    if (request !== key) return;
    render(clear(root), result);
  } catch (err) {
    if (request !== key) return;
    clear(root).append(h("p", { class: "error" }, err.message));
  }
}

function render(root, d) {
  const s = d.summary;
  const a = d.a.edition.id;
  const b = d.b.edition.id;
  root.append(h("p", { class: "summary", id: "diff-summary" }, d.equivalent
    ? `${a} and ${b} decide every action the same way in every scenario.`
    : `${s.targets_changed} of ${s.targets} actions change status in some scenario from ${a} to ${b}: ` +
      `${s.newly_permitted} newly permitted, ${s.no_longer_permitted} no longer permitted, ` +
      `${s.newly_forbidden} newly forbidden, ${s.no_longer_forbidden} no longer forbidden, ` +
      `${s.newly_required} newly required, ${s.no_longer_required} no longer required. ` +
      `Clauses: ${s.clauses_added} added, ${s.clauses_removed} removed, ${s.clauses_changed} changed.`));
  root.append(h("h3", {}, "Behaviour"), h("p", { class: "hint" },
    "Each witness is a scenario (the facts that hold; all others false) in which the status differs. Click one to load it."));
  const list = h("div", { class: "targets" });
  for (const t of d.behaviour) {
    list.append(h("article", { class: "target", dataset: { action: label(t) } },
      h("header", {}, h("span", { class: "label" }, label(t)), " ", h("span", { class: "desc" }, t.description)),
      h("ul", { class: "moves" }, t.changes.map((c) => h("li", {},
        h("span", { class: `move m-${c.movement}` }, `${c.status}: ${MOVES[c.movement]}`),
        witnesses([...c.gained, ...c.lost], a, b))))));
  }
  root.append(list);
  root.append(h("h3", {}, "Clauses"));
  for (const kind of ["added", "removed", "changed"]) {
    const changes = d.clauses.filter((c) => c.kind === kind);
    if (!changes.length) continue;
    root.append(h("details", { class: `clause-changes k-${kind}`, open: kind !== "changed" },
      h("summary", {}, `${changes.length} ${kind}`),
      h("ul", {}, changes.map((c) => h("li", {},
        h("code", {}, c.b.length ? c.b.map((x) => x.id).join(", ") : c.a.map((x) => x.id).join(", ")),
        c.differences.length ? h("span", { class: "hint" }, ` (${c.differences.join(", ")})`) : null,
        [...c.a, ...c.b].slice(0, 2).map((x) => h("div", { class: "says" }, h("cite", {}, `[${x.cite}] `), x.says)))))));
  }
}

function witnesses(list, a, b) {
  return h("ul", { class: "witnesses" }, list.map((w) => h("li", {},
    h("button", { type: "button", class: "witness", title: "Load this scenario into the builder, both editions side by side",
      dataset: { facts: w.facts.join(";") }, onclick: () => loadWitness(w.facts, a, b) },
      w.facts.length ? w.facts.join(" + ") : "(no fact holds)"),
    " ", h("span", { class: verdictClass(w.a.verdict) }, `${a}: ${w.a.verdict}`),
    " → ", h("span", { class: verdictClass(w.b.verdict) }, `${b}: ${w.b.verdict}`))));
}
