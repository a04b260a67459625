// The citizen's ticket page: follows its queue live and rewrites the few
// fields from the JSON snapshot (the server words them: data.texts).
import { follow } from "./live.js";

function setText(id, text) {
  const el = document.getElementById(id);
  if (el && el.textContent !== text) el.textContent = text;
}

export function followTicket(card) {
  if (!card) return;
  const snapshotUrl = card.dataset.snapshotUrl;
  let service = card.dataset.service;
  let lastStatus = null;
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
    if (data.status === "called" && lastStatus && lastStatus !== "called" && navigator.vibrate) {
      navigator.vibrate([300, 150, 300]);
    }
    lastStatus = data.status;
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

  function start(mall) {
    if (live) live.close();
    live = follow({ wsPath: `/ws/service/${mall}/${service}/`, snapshotUrl, onSnapshot: render, onStatus });
  }

  const form = document.getElementById("cancel-form");
  if (form) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  start(card.dataset.mall);
}
