// The citizen's ticket page: follows its queue live and rewrites the few
// fields from the JSON snapshot (the server words them: data.texts).
//
// A hint on the service's channel carries the queue's summary, built once for
// every phone (snapshots.service_summary): while the ticket waits, its position
// is its index in summary.waiting and its wait is waitAt(summary.estimate, position),
// the same arithmetic as snapshots.wait_at; no request. The page reads its own
// snapshot only when the summary says its status changed (called, done, moved).
import { follow } from "./live.js";

const FINAL = new Set(["done", "no_show", "cancelled"]);

// snapshots.wait_at, to the letter.
export function waitAt(figures, position) {
  const ahead = position + (figures.waiting ? figures.others * position / figures.waiting : 0);
  if (ahead < figures.free) return 0;
  const wait = (ahead - figures.free + 0.5) * figures.service_minutes / figures.staffed * figures.factor;
  return Math.max(1, Math.floor(wait + figures.pause_minutes + 0.5));
}

function setText(id, text) {
  const el = document.getElementById(id);
  if (el && el.textContent !== text) el.textContent = text;
}

// Where to go (zone, building and floor, counters): a transfer can move the ticket to another zone.
function renderWhere(where) {
  if (!where) return;
  setText("ticket-zone", where.zone);
  setText("ticket-building", where.line);
  setText("ticket-counters", where.counters || "—");
}

// A ticket that ends while the page is open says so, instead of "you will see your call here".
function renderFinished(note) {
  if (note === undefined) return;
  const finished = document.getElementById("ticket-finished");
  const keep = document.getElementById("ticket-keep-note");
  if (finished) {
    finished.textContent = note;
    finished.hidden = !note;
  }
  if (keep) keep.hidden = Boolean(note);
}

export function followTicket(card) {
  if (!card) return;
  const snapshotUrl = card.dataset.snapshotUrl;
  let service = card.dataset.service;
  const ticketId = Number(card.dataset.ticket);
  const estimateText = card.dataset.estimateTemplate || "{minutes}";
  let lastStatus = null;
  let lastCounter = null;
  let lastVersion = 0;
  let live = null;

  const render = (data) => {
    const texts = data.texts || {};
    card.className = card.className.replace(/\bstatus-\w+/, "") + ` status-${data.status}`;
    setText("ticket-number", data.number);
    setText("ticket-service", data.service_name);
    setText("ticket-agency", data.agency);
    setText("ticket-status", texts.status_label || data.status_label);
    setText("ticket-position", texts.position ?? String(data.position));
    setText("ticket-estimate", texts.estimate ?? "");
    const counter = document.getElementById("ticket-counter");
    if (counter) {
      counter.textContent = texts.counter || "";
      counter.hidden = !texts.counter;
    }
    const cancel = document.getElementById("cancel-form");
    if (cancel) cancel.hidden = !texts.can_cancel;
    renderWhere(data.where);
    renderFinished(texts.finished);
    if (data.status === "called" && lastStatus && lastStatus !== "called" && navigator.vibrate) {
      navigator.vibrate([300, 150, 300]);
    }
    lastStatus = data.status;
    lastCounter = data.counter;
    // A transfer moves the ticket to another queue: follow that queue's channel instead.
    if (data.service && data.service !== service) {
      service = data.service;
      start(data.mall || card.dataset.mall);
    }
  };

  const onStatus = (connected) => {
    const dot = document.getElementById("live-dot");
    if (dot) dot.classList.toggle("on", connected);
  };

  // True when the pushed summary was enough; false asks live.js to read the snapshot.
  const onHint = (message) => {
    const doc = message.doc;
    if (!doc || doc.kind !== "service" || doc.service !== service || lastStatus === null) return false;
    if (doc.version < lastVersion) return true; // overtaken by a newer one
    lastVersion = doc.version;
    if (FINAL.has(lastStatus)) return true; // nothing more will happen to this ticket
    const position = doc.waiting.indexOf(ticketId);
    if (position >= 0 && lastStatus === "waiting") {
      setText("ticket-position", String(position));
      setText("ticket-estimate", estimateText.replace("{minutes}", String(waitAt(doc.estimate, position))));
      return true;
    }
    const here = doc.at_counter[String(ticketId)];
    return Boolean(here && here.status === lastStatus && here.counter === lastCounter);
  };

  function start(mall) {
    if (live) live.close();
    live = follow({ wsPath: `/ws/service/${mall}/${service}/`, snapshotUrl, onSnapshot: render, onHint, onStatus });
  }

  const form = document.getElementById("cancel-form");
  if (form) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  start(card.dataset.mall);
}
