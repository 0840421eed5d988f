// The explanation of one action: why it has its status, why not, what would have to change
// (each change one click from the builder), and, on request, every minimal scenario permitting it.

import { get } from "./api.js";
import { $, clear, h } from "./dom.js";
import { factParams, state } from "./state.js";
import { verdictClass } from "./results.js";

let changed = () => {};
let request = null;

export function setupExplain(onChange) {
  changed = onChange;
  $("#drawer-close").addEventListener("click", () => { state.explain = null; changed(); });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.explain) { state.explain = null; changed(); }
  });
}

// Show the explanation named in the state (or hide the drawer); fetched again only when it changed.
export async function syncExplain() {
  const drawer = $("#drawer");
  if (!state.explain || !state.explain.edition) {
    drawer.hidden = true;
    request = null;
    return;
  }
  const params = { edition: state.explain.edition, action: state.explain.action, ...factParams() };
  const key = JSON.stringify(params);
  drawer.hidden = false;
  if (request === key) return;
  request = key;
  const body = clear($("#drawer-body"));
  $("#drawer-title").textContent = `${state.explain.action} (${state.explain.edition})`;
  body.append(h("p", { class: "loading" }, "Explaining…"));
  try {
    const result = await get("/api/explain", params);
    if (request !== key) return;
    render(clear(body), result);
  } catch (err) {
    if (request !== key) return;
    clear(body).append(h("p", { class: "error" }, err.message));
  }
}

function render(body, x) {
  body.append(h("p", { class: "action-desc" }, x.action_description));
  if (!x.possible) {
    body.append(h("p", { class: "impossible" }, "The scenario is impossible: it breaks ",
      x.violations.map((v) => v.constraint).join(", ")));
    return;
  }
  body.append(h("p", { id: "explain-verdict" }, "Status: ", h("span", { class: verdictClass(x.verdict) }, x.verdict)));
  for (const reading of x.readings) {
    const section = h("section", { class: "reading" });
    if (x.readings.length > 1 || reading.assumed.length) {
      const assumed = reading.assumed.map((f) => `${f.fact} = ${f.value}`).join(", ");
      section.append(h("h4", {}, `When it is ${reading.status}`, assumed ? h("span", { class: "hint" }, ` (unknown facts: ${assumed})`) : null));
    }
    if (reading.why.length) section.append(h("h5", {}, "Why"), tree(reading.why, "why"));
    if (reading.why_not.length) section.append(h("h5", {}, "Why not"), tree(reading.why_not, "why-not"));
    body.append(section);
  }
  body.append(changes(x));
  body.append(h("div", { class: "when" }, h("button", { type: "button", id: "when-button",
    onclick: (event) => when(event.target.parentElement, x) }, "When is it permitted? (every minimal scenario)")));
}

function tree(steps, kind) {
  return h("ul", { class: `tree ${kind}` }, steps.map((s) => node(s, 0)));
}

function node(s, depth) {
  const mark = h("span", { class: s.holds ? "mark holds" : "mark fails", title: s.holds ? "holds" : "does not hold" },
    s.holds ? "✓" : "✗");
  const text = h("span", { class: `step-text kind-${s.kind.replaceAll(" ", "-")}` }, s.text);
  const note = s.note ? h("span", { class: "note" }, ` — ${s.note}`) : null;
  const where = s.clause && s.clause.location ? h("span", { class: "location" }, ` ${s.clause.location}`) : null;
  if (!s.children.length) return h("li", { class: "step leaf" }, mark, " ", text, note, where);
  return h("li", { class: "step" }, h("details", { open: depth < 4 },
    h("summary", {}, mark, " ", text, note, where),
    h("ul", {}, s.children.map((c) => node(c, depth + 1)))));
}

function changes(x) {
  const box = h("section", { class: "changes" }, h("h4", {}, "What would have to change"));
  if (!x.changes.length) {
    box.append(h("p", {}, x.changes_note || "No change of facts flips it."));
    return box;
  }
  const words = { add: "add", retract: "retract", "assume true": "decide true", "assume false": "decide false" };
  box.append(h("ol", { class: "change-sets" }, x.changes.map((cs) => h("li", { class: "change-set" },
    h("span", {}, `To make it ${cs.target}: `),
    h("ul", { class: "change-list" }, cs.changes.map((c) => h("li", { class: `change c-${c.change.replaceAll(" ", "-")}`, title: c.description },
      `${words[c.change] || c.change} `, h("code", {}, c.fact)))),
    h("span", { class: "after" }, "then ", h("span", { class: verdictClass(cs.verdict_after) }, cs.verdict_after),
      cs.decided_by.length ? ` by ${cs.decided_by.map((c) => `${c.id} [${c.cite}]`).join(", ")}` : ""),
    " ", h("button", { type: "button", class: "apply", onclick: () => apply(cs) }, "Try it")))));
  if (x.more_changes) box.append(h("p", { class: "hint" }, "There are more; the smallest are shown."));
  if (x.changes_note) box.append(h("p", { class: "hint" }, x.changes_note));
  return box;
}

function apply(cs) {
  for (const c of cs.changes) {
    if (c.change === "add" || c.change === "assume true") state.facts.set(c.fact, "true");
    else state.facts.delete(c.fact);
  }
  state.scenario = null;
  changed();
}

async function when(box, x) {
  clear(box).append(h("p", { class: "loading" }, "Searching every minimal scenario…"));
  try {
    const result = await get("/api/when", { edition: x.edition.id, action: x.action });
    clear(box).append(h("h4", {}, `When ${x.action} is permitted in ${x.edition.id}`));
    if (!result.scenarios.length) box.append(h("p", {}, result.note || "Never."));
    box.append(h("ol", { class: "minimal" }, result.scenarios.map((s) => h("li", {},
      h("button", { type: "button", class: "link", title: "Load this scenario into the builder",
        onclick: () => load(s.facts.map((c) => c.fact)) }, s.facts.map((c) => c.fact).join(" + ") || "no fact needed"),
      h("div", { class: "hint" }, s.summary)))));
    if (result.more) box.append(h("p", { class: "hint" }, "There are more; the smallest are shown."));
  } catch (err) {
    clear(box).append(h("p", { class: "error" }, err.message));
  }
}

function load(facts) {
  state.facts = new Map(facts.map((f) => [f, "true"]));
  state.scenario = null;
  changed();
}
