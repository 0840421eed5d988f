// The diff view: what changed between two editions, over every scenario. By cause (the default):
// the clause changes first, each with the actions whose status they move, actors and arguments
// merged, and one example witness; by action: each action whose status differs, with witness
// scenarios. A click on a witness loads it into the builder, both editions side by side.

import { get } from "./api.js";
import { $, clear, h } from "./dom.js";
import { state } from "./state.js";
import { label, verdictClass } from "./results.js";

const MOVES = { gained: "gained", lost: "lost", both: "gained in some scenarios, lost in others" };
const STATUS_WORDS = {
  "permitted gained": "newly permitted", "permitted lost": "no longer permitted",
  "forbidden gained": "newly forbidden", "forbidden lost": "no longer forbidden",
  "required gained": "newly required", "required lost": "no longer required",
};
let request = null;
let group = "cause";
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
  const key = `${state.diffA}|${state.diffB}|${group}`;
  if (request === key) return;
  request = key;
  clear(root).append(h("p", { class: "loading" }, `Comparing ${state.diffA} with ${state.diffB} over every scenario…`));
  try {
    const sides = { a: state.diffA, b: state.diffB };
    const [result, log] = await Promise.all([
      get("/api/diff", sides), group === "cause" ? get("/api/changelog", sides) : null]);
    if (request !== key) return;
    render(clear(root), result, log);
  } catch (err) {
    if (request !== key) return;
    clear(root).append(h("p", { class: "error" }, err.message));
  }
}

function groupToggle() {
  const choose = (value) => () => { group = value; syncDiff(); };
  return h("div", { class: "group-toggle", role: "group", "aria-label": "Group the changes" },
    h("button", { type: "button", id: "diff-by-cause", "aria-pressed": String(group === "cause"), onclick: choose("cause") },
      "By cause"),
    h("button", { type: "button", id: "diff-by-action", "aria-pressed": String(group === "action"), onclick: choose("action") },
      "By action"));
}

function causeTitle(cause) {
  if (cause.changes.length) {
    return cause.changes.map((c) => {
      const ids = (c.b.length ? c.b : c.a).map((x) => `${x.id} [${x.cite}]`).join(", ");
      return `${c.kind} ${ids}${c.differences.length ? ` (${c.differences.join(", ")})` : ""}`;
    }).join("; ");
  }
  return cause.vocabulary.length
    ? `no deciding clause changed; definitions or domain constraints did: ${cause.vocabulary.join(", ")}`
    : "no deciding clause, definition or constraint of its own changed";
}

function renderCauses(root, log, a, b) {
  root.append(h("h3", {}, `Behaviour, by cause (${log.causes.length})`), h("p", { class: "hint" },
    "Each cause is a clause change; under it, the actions whose status it moves, with one example witness. Click it to load it."));
  const list = h("ol", { class: "causes", id: "diff-causes" });
  for (const cause of log.causes) {
    list.append(h("li", { class: "cause" }, h("div", { class: "cause-title" }, causeTitle(cause)),
      h("ul", { class: "moves" }, cause.patterns.map((p) => h("li", { dataset: { action: p.label } },
        h("span", { class: `move m-${p.direction}` },
          `${STATUS_WORDS[`${p.status} ${p.direction}`]}: ${p.label} (${p.instances.length})`),
        " ", h("span", { class: "desc" }, p.description),
        p.example ? witnesses([p.example], a, b) : null)))));
  }
  root.append(list);
}

function render(root, d, log) {
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
  root.append(groupToggle());
  if (log) {
    renderCauses(root, log, a, b);
  } else {
    renderTargets(root, d, a, b);
  }
  renderClauses(root, d);
}

function renderTargets(root, d, a, b) {
  root.append(h("h3", {}, "Behaviour, by action"), h("p", { class: "hint" },
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
}

function renderClauses(root, d) {
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
