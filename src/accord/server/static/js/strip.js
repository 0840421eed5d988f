// The timeline strip under the scenario: each action's verdict over the whole timeline, one row per
// action, its bands of dates as wide as the days they last; a click on a band opens its first day.
// With layers of authority the bands are those of the headline label (a run of days with one label,
// coloured by the status the label gives, its name written in it).

import { clear, h } from "./dom.js";

const DAY = 86400000;

function lastDay(band) {
  if (!band.end) return "";
  return new Date(Date.parse(band.end) - DAY).toISOString().slice(0, 10);
}

// The strip of `data` (the JSON of /api/timeline) in `root`; `current` is the date shown (or null),
// `open(date)` is called with a band's first day.
export function renderStrip(root, data, { current, open }) {
  clear(root);
  if (!data || !data.actions.length) return;
  const bandsOf = (line) => (line.labels && line.labels.length ? line.labels : line.bands);
  const starts = data.actions.flatMap((a) => bandsOf(a).map((b) => Date.parse(b.start)));
  const first = Math.min(...starts);
  const latest = Math.max(...starts);
  const horizon = latest + Math.max(5 * 365 * DAY, (latest - first) / 8); // how wide an open band is drawn
  const rows = data.actions.map((line) => {
    const bands = bandsOf(line).map((band) => {
      const start = Date.parse(band.start);
      const end = band.end ? Date.parse(band.end) : horizon;
      const here = current && band.start <= current && (!band.end || current < band.end);
      const labelled = band.description !== undefined;
      const colour = labelled ? (band.status || "none") : band.verdict.replace(/ /g, "-");
      const said = labelled ? band.description : band.verdict;
      const button = h("button", { type: "button", class: `band ${labelled ? "l" : "b"}-${colour}${here ? " current" : ""}`,
        title: `${band.start} \u2013 ${lastDay(band)}: ${said}`, dataset: labelled ? { start: band.start, label: band.label || "" } : { start: band.start },
        "aria-label": `${line.label}: ${said} from ${band.start}`, onclick: () => open(band.start) },
        labelled ? h("span", { class: "band-label" }, said) : null);
      button.style.flexGrow = String(Math.max(1, Math.round((end - start) / DAY)));
      return button;
    });
    return h("div", { class: "strip-row" }, h("span", { class: "strip-label" }, line.label),
      h("div", { class: "strip-bands" }, bands));
  });
  const from = new Date(first).toISOString().slice(0, 10);
  root.append(h("h3", {}, "Over time"),
    h("p", { class: "hint" }, `Each action's headline label (or verdict) from ${from} on; click a band to open that date.`),
    h("div", { class: "strip" }, rows));
}
