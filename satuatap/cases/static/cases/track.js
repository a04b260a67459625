// The public tracking page follows its case live. Its socket proves the page passed the NIK check
// with the token in data-ws-path; each hint carries the case's whole public document (status,
// steps, due date, next step), rendered here without a request. The page reads its snapshot only
// on (re)connect and, slowly, while no document has come (live.js).
import { followDocument } from "../satuatap/live.js";

const root = document.getElementById("track-result");

function show(id, visible) {
  document.getElementById(id).hidden = !visible;
}

function fillList(id, items) {
  const list = document.getElementById(id);
  list.replaceChildren(...items.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
}

function render(doc) {
  if (!doc || doc.registration_number !== document.getElementById("track-number").textContent) return false;
  document.getElementById("track-status").textContent = doc.status_label;
  document.getElementById("track-due").textContent = doc.due_text;
  show("track-due-line", !doc.finished);
  show("track-paused", doc.paused);
  document.getElementById("track-next").textContent = doc.next_step;
  show("track-next", Boolean(doc.next_step));
  show("pickup-form", doc.pickup);
  fillList("track-missing-list", doc.missing_requirements);
  show("track-missing", doc.paused && doc.missing_requirements.length > 0);
  fillList("track-history", doc.history.map((step) => `${step.at_text} · ${step.label}`));
  root.dataset.status = doc.status;
  return true;
}

if (root) followDocument(root, render);
