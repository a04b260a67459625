// The counter tablet (waiting or showing the survey): follow the counter (no inline script: CSP).
import { watchCounter } from "./tablet.js";

watchCounter(document.getElementById("tablet-watch") || document.getElementById("tablet-wait"));
