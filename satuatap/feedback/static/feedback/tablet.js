// Counter tablet: polls the counter's state every few seconds and reloads the page when the ticket
// it should offer changes (a ticket just finished -> its survey; answered or moved on -> waiting).
// Without JS the page still has a reload link, and a survey being filled is never reloaded away
// while the state still names its ticket.

export function watchCounter(el) {
  if (!el) return;
  const url = el.dataset.stateUrl;
  const current = el.dataset.current || "";
  const seconds = Number(el.dataset.pollSeconds || 3);
  async function poll() {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        const data = await response.json();
        const next = data.ticket === null || data.ticket === undefined ? "" : String(data.ticket);
        if (next !== current) {
          location.assign(location.pathname);
          return;
        }
      }
    } catch (_) {
      // offline: keep what is shown, try again
    }
    setTimeout(poll, seconds * 1000);
  }
  setTimeout(poll, seconds * 1000);
}
