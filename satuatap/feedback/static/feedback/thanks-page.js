// After sending, the kept answers are forgotten (no inline script: CSP).
import { forgetAnswers } from "./survey.js";

forgetAnswers(document.getElementById("survey-thanks"));
