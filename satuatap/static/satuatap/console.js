// Counter console: actions are htmx posts (see console_panel.html); this
// module keeps the panel current when other counters or the kiosk change the
// queue. Each hint re-reads the JSON snapshot; when it differs from the last
// one, the panel is fetched again from the server (one way to render it).
import { follow } from "./live.js";

export function followConsole(root) {
  if (!root) return;
  const { wsPath, snapshotUrl, panelUrl } = root.dataset;
  let last = null;
  let adopt = false; // the panel was just swapped in: take the next snapshot as the seen one

  const reloadPanel = () => {
    if (window.htmx && document.getElementById("console-panel")) {
      window.htmx.ajax("GET", panelUrl, { target: "#console-live", swap: "innerHTML" });
    } else {
      window.location.reload();
    }
  };

  const onSnapshot = (data) => {
    if (data.counter === null) { window.location.reload(); return; }
    const key = JSON.stringify(data);
    if (adopt) adopt = false;
    else if (last !== null && key !== last) reloadPanel();
    last = key;
  };

  const onStatus = (connected) => {
    const dot = document.getElementById("live-dot");
    if (dot) dot.classList.toggle("on", connected);
  };

  const live = follow({ wsPath, snapshotUrl, onSnapshot, onStatus });
  // After our own action the panel is already fresh: remember its snapshot as seen.
  document.body.addEventListener("htmx:afterSwap", () => { adopt = true; live.refresh(); });
}

// Keyboard shortcuts: one letter per main action (shown on its button), never while typing.
// A disabled button ignores its key, as it ignores a click.
export function shortcuts(doc = document) {
  doc.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    if (event.target.closest("input, select, textarea, [contenteditable]")) return;
    const button = doc.querySelector(`#console-panel button[data-key="${CSS.escape(event.key.toLowerCase())}"]`);
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
}

// The transfer list holds every service of the mall: typing narrows it (the panel is swapped
// by htmx, so the listener sits on the document).
export function transferFilter(doc = document) {
  doc.addEventListener("input", (event) => {
    if (event.target.id !== "transfer-filter") return;
    const words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    const select = doc.getElementById("transfer-service");
    if (!select) return;
    for (const group of select.querySelectorAll("optgroup")) {
      let shown = 0;
      for (const option of group.querySelectorAll("option")) {
        const text = `${option.textContent} ${group.label}`.toLowerCase();
        option.hidden = !words.every((w) => text.includes(w));
        if (!option.hidden) shown += 1;
      }
      group.hidden = shown === 0;
    }
  });
}

function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Every action (an htmx POST) carries an Idempotency-Key, one per press. While the database
// restarts the server answers 503; a dropped connection loses the answer. The action is then sent
// again with the same key, so a call or a finish is never done twice; a second press of the same
// button while it retries reuses the key too. A final answer (any other status) ends the key.
export const RETRY_DELAYS_MS = [500, 1000, 2000, 3000, 4000, 5000, 5000, 5000];

export function idempotentActions(body = document.body) {
  const attempts = new WeakMap();
  body.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.verb !== "post") return;
    const elt = event.detail.elt;
    elt.dataset.idempotencyKey ||= randomKey();
    event.detail.headers["Idempotency-Key"] = elt.dataset.idempotencyKey;
  });
  body.addEventListener("htmx:afterRequest", (event) => {
    const { elt, xhr, target, requestConfig } = event.detail;
    if (!elt?.dataset?.idempotencyKey || requestConfig?.verb !== "post") return;
    const status = xhr ? xhr.status : 0;
    const attempt = attempts.get(elt) || 0;
    if ((status === 503 || status === 0) && attempt < RETRY_DELAYS_MS.length && elt.isConnected) {
      attempts.set(elt, attempt + 1);
      const retryAfter = Number(xhr?.getResponseHeader?.("Retry-After"));
      const delay = retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : RETRY_DELAYS_MS[attempt];
      const swap = elt.closest("[hx-swap]")?.getAttribute("hx-swap") || "innerHTML";
      setTimeout(() => window.htmx.ajax("POST", requestConfig.path, { source: elt, target, swap }), delay);
      return;
    }
    attempts.delete(elt);
    delete elt.dataset.idempotencyKey;
  });
}

const root = document.getElementById("console-root");
if (root) {
  idempotentActions();
  followConsole(root);
  shortcuts();
  transferFilter();
}
