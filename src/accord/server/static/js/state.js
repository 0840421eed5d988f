// The page's state, and its encoding in the URL's fragment so that a scenario can be shared:
//   #/scenario?e=e2016&vs=e2015&t=armed_attack_on(japan)&t=cabinet_decision&u=survival_threatened
//   #/scenario?d=2015-06-01&t=...            (the edition in force on a date)
//   #/scenario?...&x=sdf+use_of_force(collective)&xe=e2016   (an explanation open)
//   #/diff?a=e1997&b=e2015
// Facts not listed are false. `s` names the named scenario the facts came from (a label only).

export const state = {
  view: "scenario",
  edition: null, // edition id, or null when `asOf` picks it
  asOf: null, // YYYY-MM-DD
  compare: null, // a second edition id, shown side by side
  facts: new Map(), // fact -> "true" | "unknown"; absent: false
  scenario: null, // the named scenario the facts were loaded from, while unchanged
  explain: null, // {edition, action}
  diffA: null,
  diffB: null,
  onlyChanged: false,
};

export function encode() {
  const q = new URLSearchParams();
  if (state.view === "diff") {
    if (state.diffA) q.set("a", state.diffA);
    if (state.diffB) q.set("b", state.diffB);
    return `#/diff?${q}`;
  }
  if (state.asOf) q.set("d", state.asOf);
  else if (state.edition) q.set("e", state.edition);
  if (state.compare) q.set("vs", state.compare);
  for (const [fact, value] of sortedFacts()) q.append(value === "true" ? "t" : "u", fact);
  if (state.scenario) q.set("s", state.scenario);
  if (state.onlyChanged) q.set("changed", "1");
  if (state.explain) {
    q.set("x", state.explain.action);
    q.set("xe", state.explain.edition);
  }
  return `#/scenario?${q}`;
}

export function decode(hash) {
  const text = (hash || "").replace(/^#/, "");
  const [path, query = ""] = text.split("?", 2);
  const q = new URLSearchParams(query);
  state.view = path === "/diff" ? "diff" : "scenario";
  if (state.view === "diff") {
    state.diffA = q.get("a") || state.diffA;
    state.diffB = q.get("b") || state.diffB;
    return;
  }
  state.asOf = q.get("d");
  state.edition = state.asOf ? null : q.get("e") || state.edition;
  state.compare = q.get("vs");
  state.facts = new Map();
  for (const fact of q.getAll("t")) state.facts.set(fact, "true");
  for (const fact of q.getAll("u")) state.facts.set(fact, "unknown");
  state.scenario = q.get("s");
  state.onlyChanged = q.get("changed") === "1";
  state.explain = q.get("x") ? { action: q.get("x"), edition: q.get("xe") || state.edition } : null;
}

export function sortedFacts() {
  return Array.from(state.facts.entries()).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function factParams() {
  const facts = [];
  const unknown = [];
  for (const [fact, value] of sortedFacts()) (value === "true" ? facts : unknown).push(fact);
  return { fact: facts, unknown };
}

export function editionParams(edition = null) {
  if (edition) return { edition };
  return state.asOf ? { as_of: state.asOf } : { edition: state.edition };
}
