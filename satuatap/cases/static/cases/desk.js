// The back-office desk follows its agency's cases live. Each hint carries the desk's stamp (the
// newest history row it can see); when the stamp moved, the page is fetched again with the same
// filters and its #desk-body swapped in, so the rows stay rendered one way, by the server.
import { followDocument } from "../satuatap/live.js";

const body = document.getElementById("desk-body");
let shown = null;

async function swapBody() {
  const reply = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!reply.ok) return;
  const page = new DOMParser().parseFromString(await reply.text(), "text/html");
  const next = page.getElementById("desk-body");
  const now = document.getElementById("desk-body");
  if (next && now) now.replaceChildren(...next.childNodes);
}

function take(doc) {
  if (!doc || typeof doc.stamp !== "number") return false;
  if (shown !== null && doc.stamp !== shown) swapBody();
  shown = doc.stamp;
  return true;
}

if (body) followDocument(body, take);
