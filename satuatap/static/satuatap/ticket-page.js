// The citizen's ticket page: its module, so the page needs no inline script (CSP script-src 'self').
import { followTicket } from "./ticket.js";

followTicket(document.getElementById("ticket-card"));
