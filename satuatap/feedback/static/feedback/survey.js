// Keeps the survey's chosen answers in localStorage (keyed by the ticket code), so a lost
// connection or a reload never loses them. The form itself posts normally, without JS.

function store(key, form) {
  const data = {};
  for (const el of form.elements) {
    if (!el.name || el.name === "csrfmiddlewaretoken") continue;
    if (el.type === "radio") {
      if (el.checked) data[el.name] = el.value;
    } else if (el.tagName === "SELECT" || el.tagName === "TEXTAREA") {
      data[el.name] = el.value;
    }
  }
  try {
    localStorage.setItem(key, JSON.stringify(data));
  } catch (_) {
    // storage full or disabled: the form still works
  }
}

function restore(key, form) {
  let data;
  try {
    data = JSON.parse(localStorage.getItem(key) || "null");
  } catch (_) {
    data = null;
  }
  if (!data) return;
  for (const el of form.elements) {
    if (!el.name || !(el.name in data)) continue;
    if (el.type === "radio") {
      if (el.value === data[el.name] && !form.querySelector(`input[name="${el.name}"]:checked`)) el.checked = true;
    } else if ((el.tagName === "SELECT" || el.tagName === "TEXTAREA") && !el.value) {
      el.value = data[el.name];
    }
  }
}

export function keepAnswers(form) {
  if (!form) return;
  const key = form.dataset.storageKey;
  restore(key, form);
  form.addEventListener("change", () => store(key, form));
  form.addEventListener("input", () => store(key, form));
}

export function forgetAnswers(el) {
  if (!el) return;
  try {
    localStorage.removeItem(el.dataset.storageKey);
  } catch (_) {
    // nothing to forget
  }
}
