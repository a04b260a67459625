// Live updates: a WebSocket that only carries hints, plus the HTTP snapshot
// that is the truth. On every (re)connect and every hint the screen re-reads
// its snapshot, so a dropped message or a network cut loses nothing.
//
//   follow({ wsPath: "/ws/zone/pekanbaru/A/", snapshotUrl: "...", onSnapshot(data) {...} })
//
// Returns { refresh(), close(), state } where state.connected tells whether the socket is up.

function wsBase() {
  const port = document.body.dataset.wsPort;
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return port ? `${proto}//${location.hostname}:${port}` : `${proto}//${location.host}`;
}

export function follow({ wsPath, snapshotUrl, onSnapshot, onStatus = () => {}, pollSeconds = 20 }) {
  const state = { connected: false, closed: false, socket: null, retry: 1 };
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
    socket.onopen = () => { state.connected = true; state.retry = 1; onStatus(true); refresh(); };
    socket.onmessage = () => refresh();
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
    const delay = Math.min(state.retry, 10) * 1000;
    state.retry = Math.min(state.retry * 2, 10);
    setTimeout(connect, delay);
  }

  // A slow safety net: even with the socket up, re-read now and then.
  const poll = setInterval(refresh, pollSeconds * 1000);
  window.addEventListener("online", refresh);
  refresh();
  connect();
  return {
    refresh,
    state,
    close() { state.closed = true; clearInterval(poll); if (state.socket) state.socket.close(); },
  };
}
