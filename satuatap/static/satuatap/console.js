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
