// One tap, one booking: a second submit while the first is on its way is ignored (the server is
// idempotent anyway). A module of its own: the page has no inline script (CSP).
import { oneSubmit } from "../satuatap/kiosk.js";

oneSubmit(document.getElementById("booking-form"));
