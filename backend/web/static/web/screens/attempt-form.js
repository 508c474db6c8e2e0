// The form for one attempt (a question's log), to log a new one or edit one.

import { field, form, h, input, select } from "../dom.js";

export const OUTCOMES = [["", "—"], ["Solved", "Solved"], ["Partial", "Partial"], ["Failed", "Failed"]];
export const RATINGS = [["", "No rating"], ["again", "Again"], ["hard", "Hard"], ["good", "Good"], ["easy", "Easy"]];

// "2026-12-02T14:05" in the browser's zone, as <input type=datetime-local> wants it.
function localInputValue(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 16);
}

// The attempt's fields from the form; for an edit (`log`), only those the person changed.
// The time input holds minutes: sent back untouched it would drop the attempt's seconds,
// and a re-import would no longer recognise the attempt.
export function attemptBody(data, log = null) {
  const when = data.get("date_attempted");
  const minutes = data.get("time_spent_min");
  const body = {
    date_attempted: when ? new Date(when).toISOString() : undefined,
    time_spent_min: minutes === "" ? null : Number(minutes),
    outcome: data.get("outcome"),
    rating: data.get("rating"),
    solution_approach: data.get("solution_approach"),
    self_notes: data.get("self_notes"),
  };
  if (!log) return body;
  if (when === localInputValue(new Date(log.date_attempted))) delete body.date_attempted;
  for (const name of ["time_spent_min", "outcome", "rating", "solution_approach", "self_notes"]) {
    if (body[name] === log[name]) delete body[name];
  }
  return body;
}

export function attemptForm({ log = null, label, submitLabel, onSubmit, onCancel }) {
  return form({ class: "attempt-form", "aria-label": label }, [
    h(
      "div",
      { class: "row" },
      field(
        "When",
        input("date_attempted", { type: "datetime-local", value: log ? localInputValue(new Date(log.date_attempted)) : "" }),
        log ? null : "Empty means now.",
      ),
      field("Minutes", input("time_spent_min", { type: "number", min: "0", max: "1440", inputmode: "numeric", value: log?.time_spent_min ?? "" })),
      field("Outcome", select("outcome", OUTCOMES, log?.outcome || "")),
      field("Rating", select("rating", RATINGS, log?.rating || "")),
    ),
    field("Approach", input("solution_approach", { maxlength: "2000", value: log?.solution_approach || "" })),
    field("Notes", h("textarea", { name: "self_notes", rows: 2, value: log?.self_notes || "" })),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, submitLabel),
      onCancel ? h("button", { type: "button", onclick: onCancel }, "Cancel") : null,
    ),
  ], (data, element) => onSubmit(attemptBody(data, log), element));
}
