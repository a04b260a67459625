// Kiosk check-in: an on-screen keypad that types into the code field, for a touch
// screen without a keyboard. A QR scanner acting as a keyboard types into the same
// field (it keeps the focus) and ends with Enter, which submits the form.

// The letters and digits booking codes are made of (no 0/O, 1/I/L look-alikes).
const KEYS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function keypad(container, input, labels) {
  if (!container || !input) return;
  const add = (text, onPress, wide = false) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    if (wide) button.classList.add("wide");
    button.addEventListener("click", () => { onPress(); input.focus(); });
    container.appendChild(button);
  };
  for (const key of KEYS) add(key, () => { if (input.value.length < input.maxLength) input.value += key; }, false);
  add(labels.back, () => { input.value = input.value.slice(0, -1); }, true);
  add(labels.clear, () => { input.value = ""; }, true);
  input.addEventListener("input", () => { input.value = input.value.toUpperCase(); });
  input.focus();
}

// The check-in page wires itself from its markup (no inline scripts); kiosk.js, loaded by every
// kiosk page, guards the form against a double submit and returns to the start screen when idle.
const keys = document.getElementById("check-in-keys");
if (keys) {
  keypad(keys, document.getElementById("check-in-code"), { clear: keys.dataset.clear, back: keys.dataset.back });
}
