// The ticket page's entry (a module file, not an inline script: the pages run under a CSP).
import { followTicket } from "./ticket.js";

followTicket(document.getElementById("ticket-card"));
