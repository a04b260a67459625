// Buttons marked data-print print the page (instead of an inline onclick, which the CSP refuses).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
