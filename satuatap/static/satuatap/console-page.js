// The officer's console page: its module, so the page needs no inline script (CSP script-src 'self').
import { followConsole } from "./console.js";

followConsole(document.getElementById("console-root"));
