// The kiosk's service list of one agency: one tap, one ticket; idle, back to the start.
// The start page's address comes from the form's data-kiosk-home (no inline script: CSP).
import { idleReturn, oneSubmit } from "./kiosk.js";

const form = document.querySelector(".kiosk-form");
oneSubmit(form);
idleReturn(form.dataset.kioskHome);
