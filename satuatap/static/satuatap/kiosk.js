// Kiosk screens. The printed-ticket page prints itself once and goes back to
// the start screen after a while (or at once on "Selesai").
//
// Printing: window.print() opens the browser's print dialog, except when the
// kiosk's Chromium runs with --kiosk --kiosk-printing: then it prints silently
// to the default printer (see docs/kiosk-printing.md).

export function printAndReturn(doneLink) {
  if (!doneLink) return;
  const seconds = Number(doneLink.dataset.returnSeconds || 20);
  const back = () => { window.location.assign(doneLink.href); };
  const start = () => {
    window.print();
    // print() blocks in a dialog on an ordinary browser; the timer starts after it.
    setTimeout(back, seconds * 1000);
  };
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
}

// A kiosk left on an agency's page drifts back to the start screen.
export function idleReturn(href, seconds = 90) {
  let timer;
  const reset = () => { clearTimeout(timer); timer = setTimeout(() => window.location.assign(href), seconds * 1000); };
  for (const type of ["pointerdown", "keydown"]) window.addEventListener(type, reset, { passive: true });
  reset();
}

// A key for a retried write (crypto.randomUUID needs a secure context; a kiosk on the LAN may not be one).
export function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// While the database restarts the server answers 503 (with Retry-After); a dropped connection
// loses the answer. Both are sent again with the same idempotency key, so the server answers
// the ticket it issued the first time instead of a second number.
export const RETRY_DELAYS_MS = [500, 1000, 2000, 3000, 4000, 5000, 5000, 5000];

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function delayOf(response, fallback) {
  const seconds = Number(response?.headers.get("Retry-After"));
  return seconds > 0 ? Math.min(seconds * 1000, 5000) : fallback;
}

export async function postWithRetry(url, body, { fetchImpl = window.fetch.bind(window), wait = sleep } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    let response = null;
    try {
      response = await fetchImpl(url, { method: "POST", body, credentials: "same-origin" });
    } catch {
      response = null; // no answer: the request may or may not have been saved; the key makes resending safe
    }
    if (response && response.status !== 503) return response;
    if (attempt >= RETRY_DELAYS_MS.length) return response;
    await wait(delayOf(response, RETRY_DELAYS_MS[attempt]));
  }
}

// One tap, one ticket: a second submit while the first is on its way is ignored. The form goes
// by fetch so that a 503 or a lost answer is retried with the screen's key; the answer's page
// (the printed ticket, or the agency page with a message) is then opened.
export function oneSubmit(form) {
  if (!form) return;
  let sent = false;
  let native = false;
  form.addEventListener("submit", async (event) => {
    if (native) return; // the fallback below: let the browser send it and show the answer
    event.preventDefault();
    if (sent) return;
    sent = true;
    form.classList.add("is-sending");
    const submitter = event.submitter;
    const response = await postWithRetry(form.action, new FormData(form, submitter));
    if (response && response.ok && response.redirected) {
      window.location.assign(response.url);
      return;
    }
    native = true; // anything else (still 503, a refused CSRF token): the browser shows the server's page
    form.requestSubmit(submitter);
  });
  // Coming back through the browser cache (bfcache) re-arms the form with a new key: a new tap, a new ticket.
  window.addEventListener("pageshow", (event) => {
    sent = false;
    native = false;
    form.classList.remove("is-sending");
    const key = form.querySelector("input[name=idempotency_key]");
    if (event.persisted && key) key.value = randomKey();
  });
}

// The search screen's on-screen keyboard: server-rendered keys type into the field.
export function onScreenKeyboard(board) {
  if (!board) return;
  const input = document.getElementById(board.dataset.for);
  if (!input) return;
  board.addEventListener("click", (event) => {
    const key = event.target.closest(".osk-key");
    if (!key) return;
    if (key.dataset.action === "back") input.value = input.value.slice(0, -1);
    else if (key.dataset.action === "clear") input.value = "";
    else if (input.value.length < input.maxLength) input.value += key.dataset.key.toLowerCase();
    input.focus();
  });
}

// Every kiosk page wires itself from its markup (no inline scripts: see the CSP).
function start() {
  const bar = document.querySelector("[data-idle-return]");
  if (bar) {
    const home = new URL(bar.dataset.idleReturn, window.location.href);
    const atStart = home.pathname === window.location.pathname && !window.location.search;
    if (!atStart) idleReturn(home.href);
  }
  for (const form of document.querySelectorAll(".kiosk-form")) oneSubmit(form);
  onScreenKeyboard(document.getElementById("osk"));
  printAndReturn(document.getElementById("kiosk-done"));
}

start();
