// The manager's live floor: re-render counters from the snapshot on every hint.
import { follow } from "./live.js";

const root = document.getElementById("floor");
const dot = document.getElementById("live-status");

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render(data) {
  document.getElementById("floor-waiting").textContent = data.waiting_total;
  document.getElementById("floor-served").textContent = data.served_total;
  document.getElementById("floor-staffed").textContent = data.staffed;
  const zones = document.getElementById("floor-zones");
  zones.replaceChildren(...data.zones.map((zone) => {
    const section = el("section", "card zone");
    section.append(el("h2", "", zone.name));
    const grid = el("div", "counters");
    for (const c of zone.counters) {
      const box = el("div", `counter ${c.status || "idle"}${c.officer ? "" : " unstaffed"}`);
      box.dataset.counter = c.number;
      box.append(el("span", "no", c.number), el("span", "agency", c.agency), el("span", "ticket", c.ticket || "—"));
      grid.append(box);
    }
    section.append(grid);
    return section;
  }));
}

follow({
  wsPath: root.dataset.wsPath,
  snapshotUrl: root.dataset.snapshotUrl,
  onSnapshot: render,
  onStatus: (up) => dot.classList.toggle("on", up),
});
