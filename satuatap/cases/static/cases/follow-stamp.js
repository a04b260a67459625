// A back-office page follows its live group by a stamp, the newest history row it can show: the desk
// (#desk-body: its agency's or mall's cases) and a case's page (#case-body: that case). When the stamp
// moved, the page is fetched again (same address, same filters) and the part's content swapped in, so it
// stays rendered one way, by the server. A hint whose document has no stamp (a case's group carries the
// citizen's tracking document) makes live.js read the page's snapshot, which is the stamp.
// A note being typed is not swapped away: while a field in the part holds unsent input, the swap waits
// until the field is left unchanged or the form is sent (which loads the page anyway).
import { followDocument } from "../satuatap/live.js";

const part = document.querySelector("[data-live-stamp]");
let shown = part && part.dataset.stamp ? Number(part.dataset.stamp) : null; // as rendered, when the page knows it
let waiting = false;

function unsent(field) {
  if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
  if (field.tagName === "SELECT") return [...field.options].some((o) => o.selected !== o.defaultSelected);
  return field.value !== field.defaultValue;
}

function typing() {
  return [...part.querySelectorAll("input, textarea, select")].some(unsent);
}

async function swap() {
  if (typing()) { waiting = true; return; }
  waiting = false;
  const reply = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!reply.ok) return;
  const page = new DOMParser().parseFromString(await reply.text(), "text/html");
  const next = page.getElementById(part.id);
  if (next && !typing()) part.replaceChildren(...next.childNodes);
  else if (next) waiting = true;
}

function take(doc) {
  if (!doc || typeof doc.stamp !== "number") return false;
  if (shown !== null && doc.stamp !== shown) swap();
  shown = doc.stamp;
  return true;
}

if (part) {
  part.addEventListener("focusout", () => { if (waiting) swap(); });
  followDocument(part, take);
}
