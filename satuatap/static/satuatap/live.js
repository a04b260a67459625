// Live updates: a WebSocket that carries hints, plus the HTTP snapshot that is
// the truth. A hint usually carries the group's whole document (a zone's board,
// a service's queue), built once by the live process for every screen: the
// screen's onHint(message) uses it and returns true, and no request is made.
// Otherwise (no document, or one this screen cannot use) the screen re-reads its
// snapshot. It also does on every (re)connect, so a dropped message or a network
// cut loses nothing, and polls slowly when no document came since the last poll.
//
//   follow({ wsPath: "/ws/zone/pekanbaru/A/", snapshotUrl: "...", onSnapshot(data) {...}, onHint(msg) {...} })
//
// Returns { refresh(), close(), state } where state.connected tells whether the socket is up.

// Reconnect soon after a drop, never later than 2 s (a board that waits 10 s shows calls 10 s late).
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 2000;

function wsBase() {
  const port = document.body.dataset.wsPort;
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return port ? `${proto}//${location.hostname}:${port}` : `${proto}//${location.host}`;
}

export function follow({ wsPath, snapshotUrl, onSnapshot, onHint = () => false, onStatus = () => {}, pollSeconds = 20 }) {
  const state = { connected: false, closed: false, socket: null, retry: RETRY_FIRST_MS };
  let fresh = false; // a document arrived since the last poll
  let inflight = null;
  let again = false;

  async function refresh() {
    if (inflight) { again = true; return inflight; }
    inflight = (async () => {
      try {
        const response = await fetch(snapshotUrl, { credentials: "same-origin", cache: "no-store" });
        if (response.ok) onSnapshot(await response.json());
      } catch (err) {
        // Offline: keep what is shown; the next reconnect or poll re-reads.
      } finally {
        inflight = null;
        if (again) { again = false; refresh(); }
      }
    })();
    return inflight;
  }

  function connect() {
    if (state.closed) return;
    let socket;
    try { socket = new WebSocket(wsBase() + wsPath); } catch (err) { schedule(); return; }
    state.socket = socket;
    socket.onopen = () => { state.connected = true; state.retry = RETRY_FIRST_MS; onStatus(true); refresh(); };
    socket.onmessage = (event) => {
      let message = null;
      try { message = JSON.parse(event.data); } catch (err) { /* not ours: read the snapshot */ }
      let handled = false;
      try { handled = message !== null && onHint(message) === true; } catch (err) { handled = false; }
      if (handled) fresh = true; else refresh();
    };
    socket.onclose = () => {
      const was = state.connected;
      state.connected = false;
      if (was) onStatus(false);
      schedule();
    };
    socket.onerror = () => socket.close();
  }

  function schedule() {
    if (state.closed) return;
    // Half the ceiling plus a random half: a hall of screens that lost the live process together
    // does not knock on its door in the same millisecond when it comes back.
    const delay = state.retry / 2 + Math.random() * (state.retry / 2);
    state.retry = Math.min(state.retry * 2, RETRY_MAX_MS);
    setTimeout(connect, delay);
  }

  // A slow safety net: even with the socket up, re-read now and then.
  const poll = setInterval(() => { if (fresh) fresh = false; else refresh(); }, pollSeconds * 1000);
  window.addEventListener("online", refresh);
  refresh();
  connect();
  return {
    refresh,
    state,
    close() { state.closed = true; clearInterval(poll); if (state.socket) state.socket.close(); },
  };
}

// A page that shows one live document: its root element names the socket and the snapshot
// (data-ws-path, data-snapshot-url), one function takes both the snapshot and each pushed
// document, and the "live" dot shows whether the socket is up.
export function followDocument(root, take, pollSeconds = 60) {
  const dot = document.getElementById("live-dot");
  return follow({
    wsPath: root.dataset.wsPath,
    snapshotUrl: root.dataset.snapshotUrl,
    onSnapshot: take,
    onHint: (message) => take(message.doc),
    onStatus: (up) => { if (dot) dot.classList.toggle("on", up); },
    pollSeconds,
  });
}
