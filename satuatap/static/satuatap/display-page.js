// The display board page's entry (a module file, not an inline script: the pages run under a CSP).
import { startBoard } from "./display.js";

startBoard(document.getElementById("board"));
