// The display board page: its module, so the page needs no inline script (CSP script-src 'self').
import { startBoard } from "./display.js";

startBoard(document.getElementById("board"));
