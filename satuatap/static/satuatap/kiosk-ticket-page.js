// The kiosk's "here is your number" page: print, then back to the start (no inline script: CSP).
import { printAndReturn } from "./kiosk.js";

printAndReturn(document.getElementById("kiosk-done"));
