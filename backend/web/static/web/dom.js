// Small helpers to build the screens' DOM without HTML strings (text is never
// parsed as markup) and to show a 400's field errors next to their fields.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "value") {
      // The default too, so that form.reset() goes back to it.
      if ("defaultValue" in element) element.defaultValue = value;
      element.value = value;
    }
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

const SVG = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  append(element, children);
  return element;
}

let fieldCount = 0;

// A labelled control with a place for its errors: field("Title", input).
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const errors = h("p", { class: "field-errors", id: `${id}-errors`, hidden: true });
  const described = [errors.id];
  let hintElement = null;
  if (hint) {
    hintElement = h("p", { class: "hint", id: `${id}-hint` }, hint);
    described.unshift(hintElement.id);
  }
  control.setAttribute("aria-describedby", described.join(" "));
  return h("div", { class: "field", "data-field": control.name }, h("label", { for: id }, label), control, hintElement, errors);
}

// Puts each field's messages under it, the rest at the form's top; the typed
// values stay where they are.
export function showErrors(form, error) {
  clearErrors(form);
  const body = error.body || {};
  const general = [];
  if (error.status === 0 || error.status >= 500 || typeof body !== "object" || Array.isArray(body)) {
    general.push(error.message);
  } else {
    for (const [name, messages] of Object.entries(body)) {
      const box = form.querySelector(`[data-field="${name}"]`);
      const text = flatten(messages).join(" ");
      if (box && name !== "detail" && name !== "non_field_errors") {
        const errors = box.querySelector(".field-errors");
        errors.textContent = text;
        errors.hidden = false;
        box.querySelector("input, select, textarea")?.setAttribute("aria-invalid", "true");
      } else {
        general.push(...located(name === "detail" || name === "non_field_errors" ? "" : name, messages));
      }
    }
  }
  const summary = form.querySelector(".form-errors");
  if (general.length) {
    summary.textContent = general.join(" ");
    summary.hidden = false;
  }
  (form.querySelector("[aria-invalid=true]") || summary).focus?.();
}

export function clearErrors(form) {
  for (const errors of form.querySelectorAll(".field-errors, .form-errors")) {
    errors.textContent = "";
    errors.hidden = true;
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
}

// Each message under its place: {"questions": {"0": {"title": ["…"]}}} gives
// "questions[0].title: …" (DRF keys a list's items by their index).
function located(path, messages) {
  if (messages && typeof messages === "object" && !Array.isArray(messages)) {
    return Object.entries(messages).flatMap(([key, value]) => {
      const place = key === "non_field_errors" ? path : /^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      return located(place, value);
    });
  }
  return flatten(messages).map((text) => (path ? `${path}: ${text}` : text));
}

function flatten(messages) {
  if (typeof messages === "string") return [messages];
  if (Array.isArray(messages)) return messages.flatMap(flatten);
  if (messages && typeof messages === "object") return Object.values(messages).flatMap(flatten);
  return [String(messages)];
}

export function formErrors() {
  return h("p", { class: "form-errors", role: "alert", tabindex: "-1", hidden: true });
}

// A form whose submit handler runs once at a time and shows the API's errors.
export function form(attrs, children, submit) {
  const element = h("form", { novalidate: true, ...attrs }, formErrors(), children);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = element.querySelector("button[type=submit]");
    if (button?.disabled) return;
    if (button) button.disabled = true;
    clearErrors(element);
    try {
      await submit(new FormData(element), element);
    } catch (error) {
      if (!error.status && error.status !== 0) throw error;
      showErrors(element, error);
    } finally {
      if (button) button.disabled = false;
    }
  });
  return element;
}

export function input(name, attrs = {}) {
  return h("input", { name, ...attrs });
}

export function select(name, options, value = "", attrs = {}) {
  return h(
    "select",
    { name, ...attrs },
    options.map(([optionValue, label]) => h("option", { value: optionValue, selected: optionValue === value }, label)),
  );
}

export function formatDate(value, options = { dateStyle: "medium" }) {
  if (!value) return "—";
  return new Intl.DateTimeFormat(undefined, options).format(new Date(value));
}

export function formatDateTime(value) {
  return formatDate(value, { dateStyle: "medium", timeStyle: "short" });
}

export function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${Math.round(rate * 100)} %`;
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

// A calendar day ("2026-12-02") as written, whatever the browser's zone.
export function formatDay(day, options = { dateStyle: "medium" }) {
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

// A source is a link only when it is an absolute http(s) URL as written. Anything else is
// text: "//host/x" and its backslashed forms would take the browser to another host, and
// "leetcode.com/x" or a book's name would become a broken link within this app.
export function httpUrl(value) {
  if (!/^https?:\/\/[^\s/\\]/i.test(value || "")) return null;
  try {
    return new URL(value).href;
  } catch {
    return null;
  }
}
