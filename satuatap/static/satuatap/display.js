// The hall's display board: shows the latest calls of a zone and speaks them.
//
// The server sends everything to show and say (snapshot.called[].utterance), so
// this module only renders, queues and plays. Rules (the browser tests hold us to them):
// - the first snapshot after load only sets lastSeen = max(event_id): a reload never repeats;
// - afterwards each call with event_id > lastSeen is announced once, oldest first
//   (a recall is its own event); after a reconnect, calls older than two minutes
//   (by the server's clock) are shown but not announced;
// - announcements are sequential: chime, then the sentence; an id-ID voice of
//   speechSynthesis if the browser has one, else the server's speech/<event_id>.wav;
// - every announced text goes to window.satuatapAnnouncements and #last-announcement,
//   whether or not sound is on.
import { follow } from "./live.js";

const ANNOUNCE_WITHIN_MS = 2 * 60 * 1000;
const SILENT_GAP_MS = 1200;
const VOICE_WAIT_MS = 1500;
// The waiting strip shows every service of the zone, a page at a time.
const WAITING_ROWS = 3;
const PAGE_MS = 7000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function byId(id) {
  return document.getElementById(id);
}

function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

function readJson(id, fallback) {
  const el = byId(id);
  try { return el ? JSON.parse(el.textContent) : fallback; } catch (err) { return fallback; }
}

function maxEventId(calls, start = 0) {
  return calls.reduce((max, call) => Math.max(max, call.event_id), start);
}

// ---- Sound ------------------------------------------------------------------

function playUrl(url, maxMs = 15000) {
  return new Promise((resolve) => {
    const audio = new Audio(url);
    let done = false;
    const finish = () => { if (!done) { done = true; clearTimeout(timer); resolve(); } };
    const timer = setTimeout(finish, maxMs);
    audio.addEventListener("ended", finish);
    audio.addEventListener("error", finish);
    audio.play().catch(finish);
  });
}

let voicePromise = null;

// The Indonesian voice of this browser, or null. Voices load late in Chromium: wait once.
function indonesianVoice() {
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
    return Promise.resolve(null);
  }
  const pick = () => {
    const voices = window.speechSynthesis.getVoices() || [];
    const lang = (v) => (v.lang || "").toLowerCase().replace("_", "-");
    return voices.find((v) => lang(v) === "id-id") || voices.find((v) => lang(v).startsWith("id")) || null;
  };
  if (!voicePromise) {
    voicePromise = new Promise((resolve) => {
      if (window.speechSynthesis.getVoices().length) { resolve(pick()); return; }
      const timer = setTimeout(() => resolve(pick()), VOICE_WAIT_MS);
      window.speechSynthesis.addEventListener("voiceschanged", () => { clearTimeout(timer); resolve(pick()); }, { once: true });
    });
  }
  return voicePromise.then((voice) => voice || pick());
}

function speakWith(voice, text) {
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "id-ID";
    utterance.voice = voice;
    utterance.rate = 0.9;
    let done = false;
    const finish = () => { if (!done) { done = true; clearTimeout(timer); resolve(); } };
    // A stuck engine must not stop the queue: give up after a generous time.
    const timer = setTimeout(finish, 4000 + text.length * 150);
    utterance.onend = finish;
    utterance.onerror = finish;
    window.speechSynthesis.speak(utterance);
  });
}

// ---- The board ----------------------------------------------------------------

export function startBoard(root) {
  if (!root) return null;
  const config = readJson("display-config", {});
  const labels = root.dataset;
  window.satuatapAnnouncements = window.satuatapAnnouncements || [];

  let lastSeen = null; // set by the first snapshot
  let newestSnapshot = 0; // the server time of the newest snapshot shown
  let latestId = null;
  let serverOffset = 0; // server clock minus this machine's clock
  let soundOn = false;
  const queue = [];
  let speaking = false;
  let nowSpeaking = null; // the call being announced, shown beside the numbers

  // -- rendering --
  function flash(el) {
    if (!el) return;
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation
    el.classList.add("flash");
  }

  function renderLatest(calls) {
    const latest = calls[0];
    setText(byId("latest-number"), latest ? latest.number : "—");
    setText(byId("latest-counter"), latest ? `${labels.labelCounter} ${latest.counter}` : labels.labelNone);
    setText(byId("latest-service"), latest ? latest.service : "");
    const panel = byId("latest");
    if (panel) panel.classList.toggle("is-empty", !latest);
    const id = latest ? latest.event_id : null;
    if (latestId !== null && id !== null && id !== latestId) flash(byId("latest"));
    latestId = id;
  }

  function renderRows(calls) {
    const list = byId("call-list");
    if (!list) return;
    const seen = new Set();
    const rows = [];
    for (const call of calls) {
      const key = `${call.number}@${call.counter}`;
      if (!seen.has(key)) { seen.add(key); rows.push(call); }
    }
    const signature = rows.map((c) => c.event_id).join(",");
    if (list.dataset.signature === signature) return;
    list.dataset.signature = signature;
    list.replaceChildren(...rows.map((call, index) => {
      const li = document.createElement("li");
      li.className = index === 0 ? "call-row is-latest" : "call-row";
      li.dataset.event = call.event_id;
      const number = document.createElement("span");
      number.className = "call-number";
      number.textContent = call.number;
      const counter = document.createElement("span");
      counter.className = "call-counter";
      counter.textContent = `${labels.labelCounter} ${call.counter}`;
      li.append(number, counter);
      return li;
    }));
  }

  // Every service keeps its place (the server's order: agency, then name), so a citizen finds
  // theirs at the same spot of the same page; pages turn by themselves, nothing is cut.
  let waitingPage = 0;

  function waitingPageSize(list) {
    const columns = getComputedStyle(list).gridTemplateColumns.split(" ").filter(Boolean).length || 1;
    return columns * WAITING_ROWS;
  }

  function showWaitingPage() {
    const list = byId("waiting-list");
    if (!list) return;
    const items = [...list.children];
    const size = waitingPageSize(list);
    const pages = Math.max(1, Math.ceil(items.length / size));
    waitingPage %= pages;
    items.forEach((item, index) => { item.hidden = Math.floor(index / size) !== waitingPage; });
    list.dataset.page = String(waitingPage + 1);
    list.dataset.pages = String(pages);
    const indicator = byId("waiting-page");
    if (indicator) {
      indicator.hidden = pages < 2;
      setText(indicator, `${waitingPage + 1}/${pages}`);
    }
  }

  function turnWaitingPage() {
    waitingPage += 1;
    showWaitingPage();
  }

  function renderWaiting(services) {
    const list = byId("waiting-list");
    if (!list || !services) return;
    const codes = services.map((s) => s.code).join(",");
    if (list.dataset.codes !== codes) {
      list.dataset.codes = codes;
      list.replaceChildren(...services.map((service) => {
        const li = document.createElement("li");
        li.className = "waiting-item";
        const name = document.createElement("span");
        name.className = "waiting-name";
        name.textContent = service.name;
        if (!config.zone && service.agency) {
          // The whole-mall board mixes agencies: "Perubahan data peserta" of which BPJS?
          const agency = document.createElement("b");
          agency.className = "waiting-agency";
          agency.textContent = `${service.agency} · `;
          name.prepend(agency);
        }
        const count = document.createElement("span");
        count.className = "waiting-count";
        count.dataset.service = service.code;
        li.append(name, count);
        return li;
      }));
    }
    for (const service of services) {
      const el = list.querySelector(`.waiting-count[data-service="${CSS.escape(service.code)}"]`);
      setText(el, String(service.waiting));
      if (el) el.parentElement.classList.toggle("is-empty", !service.waiting);
    }
    showWaitingPage();
  }

  // The mall's own notices (edited by the manager in the admin), one a line, shown in turn.
  let noticeIndex = 0;
  let notices = [];

  function renderNotices(lines) {
    if (!Array.isArray(lines)) return; // a pushed zone document carries no notices: keep the ones shown
    notices = lines;
    const panel = byId("board-notices");
    if (panel) panel.hidden = !notices.length;
    showNotice();
  }

  function showNotice() {
    if (!notices.length) return;
    noticeIndex %= notices.length;
    setText(byId("notice-text"), notices[noticeIndex]);
  }

  function render(data) {
    const closed = byId("board-closed");
    if (closed) {
      closed.hidden = !data.reason;
      closed.classList.toggle("is-closed", !data.open);
      setText(closed, data.reason || "");
    }
    renderLatest(data.called || []);
    renderRows(data.called || []);
    fitRows();
    renderWaiting(data.services);
    renderNotices(data.notices);
    if (nowSpeaking) showSpeaking(nowSpeaking); // the rows were maybe rebuilt: mark the one being spoken
  }

  // Recent calls: as many whole rows as the panel holds (a half-cut row is unreadable).
  function fitRows() {
    const list = byId("call-list");
    if (!list) return;
    const box = list.parentElement.getBoundingClientRect();
    for (const row of list.children) row.hidden = false;
    for (const row of list.children) row.hidden = row.getBoundingClientRect().bottom > box.bottom + 1;
  }

  // -- announcements --
  function record(text) {
    window.satuatapAnnouncements.push(text);
    setText(byId("last-announcement"), text);
  }

  // What the voice says is on the screen too: the number and counter being spoken, and its row.
  function showSpeaking(call) {
    nowSpeaking = call;
    const panel = byId("now-speaking");
    if (panel) {
      panel.hidden = !call;
      setText(byId("now-speaking-text"), call ? `${call.number} · ${labels.labelCounter} ${call.counter}` : "");
    }
    fitRows(); // the panel takes a line of the recent calls' box
    const list = byId("call-list");
    if (!list) return;
    for (const row of list.children) {
      row.classList.toggle("is-speaking", Boolean(call) && row.dataset.event === String(call.event_id));
    }
  }

  async function announce(call) {
    showSpeaking(call);
    record(call.utterance);
    if (!soundOn) { await sleep(SILENT_GAP_MS); return; }
    await playUrl(config.chimeUrl, 5000);
    const voice = await indonesianVoice();
    if (voice) await speakWith(voice, call.utterance);
    else await playUrl(config.speechUrl.replace("{id}", String(call.event_id)));
  }

  async function drain() {
    if (speaking) return;
    speaking = true;
    try {
      while (queue.length) {
        const call = queue.shift();
        try { await announce(call); } catch (err) { /* never stop the queue */ }
      }
    } finally {
      speaking = false;
      showSpeaking(null);
    }
  }

  function onSnapshot(data) {
    const serverNow = Date.parse(data.now) || Date.now();
    if (serverNow < newestSnapshot) return; // an older answer overtaken by a newer one
    newestSnapshot = serverNow;
    serverOffset = serverNow - Date.now();
    const calls = data.called || [];
    render(data);
    if (lastSeen === null) { lastSeen = maxEventId(calls); return; }
    const fresh = calls.filter((c) => c.event_id > lastSeen).sort((a, b) => a.event_id - b.event_id);
    if (!fresh.length) return;
    lastSeen = maxEventId(fresh, lastSeen);
    for (const call of fresh) {
      // Missed while offline and long ago: show it, don't call the citizen again.
      if (serverNow - Date.parse(call.called_at) > ANNOUNCE_WITHIN_MS || !call.utterance) continue;
      // A counter that has called again has moved on: its earlier call, still waiting to be
      // spoken, would send a citizen to a counter serving someone else. Speak the latest only.
      for (let i = queue.length - 1; i >= 0; i -= 1) {
        if (queue[i].counter === call.counter) queue.splice(i, 1);
      }
      queue.push(call);
    }
    drain();
  }

  // -- sound switch --
  const overlay = byId("sound-overlay");
  function enableSound() {
    soundOn = true;
    if (overlay) overlay.hidden = true;
    // Unlock both paths inside the gesture: a silent utterance and a muted play.
    if ("speechSynthesis" in window && typeof SpeechSynthesisUtterance !== "undefined") {
      const unlock = new SpeechSynthesisUtterance(" ");
      unlock.volume = 0;
      window.speechSynthesis.speak(unlock);
      indonesianVoice();
    }
  }
  const button = byId("enable-sound");
  if (button) button.addEventListener("click", enableSound);
  // A kiosk browser started with --autoplay-policy=no-user-gesture-required may play at once:
  // then sound is on without a touch and the button shrinks to a corner.
  if (config.chimeUrl) {
    const probe = new Audio(config.chimeUrl);
    probe.volume = 0;
    probe.play().then(() => {
      probe.pause();
      soundOn = true;
      if (overlay) overlay.classList.add("compact");
    }).catch(() => {});
  }

  // -- clock in the mall's time, worded in the page's language --
  const locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const timeFormat = new Intl.DateTimeFormat(locale, { timeZone: config.timezone, hour: "2-digit", minute: "2-digit", hour12: false });
  const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: config.timezone, weekday: "long", day: "numeric", month: "long", year: "numeric" });
  function tick() {
    const now = new Date(Date.now() + serverOffset);
    setText(byId("clock"), timeFormat.format(now).replace(".", ":"));
    setText(byId("date"), dateFormat.format(now));
  }
  tick();
  setInterval(tick, 1000);
  setInterval(turnWaitingPage, PAGE_MS);
  setInterval(() => { noticeIndex += 1; showNotice(); }, PAGE_MS);
  window.addEventListener("resize", () => { showWaitingPage(); fitRows(); });

  // -- live --
  const status = byId("live-status");
  const connected = new Set();
  const paths = config.wsPaths || [];
  function showStatus() {
    const on = paths.length > 0 && connected.size === paths.length;
    if (!status) return;
    status.classList.toggle("on", on);
    status.dataset.state = on ? "on" : "off";
    const dot = status.querySelector(".live-dot");
    if (dot) dot.classList.toggle("on", on);
    setText(status.querySelector(".live-text"), on ? labels.labelLive : labels.labelOffline);
  }

  onSnapshot(readJson("display-initial", { called: [], now: new Date().toISOString() }));
  // The whole-mall board follows every zone's hints (the mall channel is for managers).
  // A zone's hint carries its board (built once for every board): show it without a request.
  // The whole-mall board gets zone documents it cannot show alone, so it reads its snapshot.
  function onHint(message) {
    if (message.board === false) return true; // a finish, a start: nothing a board shows changed
    const doc = message.doc;
    if (!doc || !config.zone || doc.zone !== config.zone || !Array.isArray(doc.called)) return false;
    onSnapshot(doc);
    return true;
  }
  const follows = paths.map((wsPath) => follow({
    wsPath,
    snapshotUrl: config.snapshotUrl,
    onSnapshot,
    onHint,
    onStatus(up) {
      if (up) connected.add(wsPath); else connected.delete(wsPath);
      showStatus();
    },
  }));
  showStatus();
  return { follows, get lastSeen() { return lastSeen; } };
}
