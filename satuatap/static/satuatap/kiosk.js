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

// One tap, one ticket: a second submit while the first is on its way is ignored.
export function oneSubmit(form) {
  if (!form) return;
  let sent = false;
  form.addEventListener("submit", (event) => {
    if (sent) { event.preventDefault(); return; }
    sent = true;
    form.classList.add("is-sending");
  });
  // Coming back through the browser cache (bfcache) re-arms the form.
  window.addEventListener("pageshow", () => { sent = false; form.classList.remove("is-sending"); });
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
