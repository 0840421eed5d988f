// Edition pickers: a timeline of the editions (each a stop with its year), and a date.

import { clear, h } from "./dom.js";

// A timeline in `root`: one button per edition, oldest first; `none` adds a first stop "none".
// `selected()` names the chosen id; `pick(id)` is called on a click.
export function timeline(root, editions, { selected, pick, none = null, name }) {
  clear(root);
  const list = h("ol", { class: "timeline", "aria-label": name });
  if (none) {
    list.append(h("li", {}, h("button", { type: "button", class: "stop none", dataset: { edition: "" },
      onclick: () => pick(null) }, h("span", { class: "dot" }), h("span", { class: "year" }, none))));
  }
  for (const e of editions) {
    list.append(h("li", {}, h("button", { type: "button", class: "stop", dataset: { edition: e.id },
      title: `${e.id}: ${e.title} (in force ${e.in_force})`, onclick: () => pick(e.id) },
      h("span", { class: "dot" }), h("span", { class: "year" }, e.in_force.slice(0, 4)),
      h("span", { class: "id" }, e.id))));
  }
  root.append(list);
  mark(root, selected());
}

export function mark(root, id) {
  for (const button of root.querySelectorAll("button.stop")) {
    const on = button.dataset.edition === (id || "");
    button.classList.toggle("selected", on);
    button.setAttribute("aria-pressed", String(on));
  }
}

// The edition in force on a date, as the server decides it (the latest on or before the date).
export function inForce(editions, date) {
  const before = editions.filter((e) => e.in_force <= date);
  return before.length ? before[before.length - 1] : null;
}
