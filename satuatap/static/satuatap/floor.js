// The manager's live floor. Each hint re-reads the JSON snapshot; when it changed, the page
// itself is fetched again and its #floor-body swapped in (the server renders it one way).
import { follow } from "./live.js";

const root = document.getElementById("floor");
const dot = document.getElementById("live-status");
let last = null;

async function refreshBody() {
  const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("floor-body");
  const current = document.getElementById("floor-body");
  if (fresh && current) current.replaceWith(fresh);
}

function onSnapshot(data) {
  const key = JSON.stringify({ ...data, now: null });
  if (last !== null && key !== last) refreshBody();
  last = key;
}

if (root) {
  follow({
    wsPath: root.dataset.wsPath,
    snapshotUrl: root.dataset.snapshotUrl,
    onSnapshot,
    onStatus: (up) => dot.classList.toggle("on", up),
  });
}
