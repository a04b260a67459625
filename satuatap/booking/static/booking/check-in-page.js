// The kiosk's booking check-in page. Labels and the start page's address come from the form's
// data-* attributes (no inline script: CSP).
import { keypad } from "./check_in.js";
import { idleReturn, oneSubmit } from "../satuatap/kiosk.js";

const form = document.getElementById("check-in-form");
keypad(document.getElementById("check-in-keys"), document.getElementById("check-in-code"), {
  clear: form.dataset.clearLabel, back: "⌫",
});
oneSubmit(form);
idleReturn(form.dataset.kioskHome, 90);
