// The survey form keeps unsent answers across a reload (no inline script: CSP).
import { keepAnswers } from "./survey.js";

keepAnswers(document.getElementById("survey-form"));
