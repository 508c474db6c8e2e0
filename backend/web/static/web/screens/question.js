// One question: its content, tags, aggregates, schedule and attempt history;
// log, edit and delete attempts. Every number on screen is the API's answer.

import * as api from "../api.js";
import { formatDate, formatDateTime, h, httpUrl, plural } from "../dom.js";
import { attemptForm } from "./attempt-form.js";

// Two clicks to delete, without a blocking dialog.
export function confirmButton(label, confirmLabel, action) {
  const box = h("span", { class: "confirm" });
  const start = h("button", { type: "button", class: "danger" }, label);
  const run = async () => {
    try {
      await action();
    } catch (error) {
      box.append(h("span", { class: "error", role: "alert" }, ` ${error.message}`));
    }
  };
  start.addEventListener("click", () => {
    const yes = h("button", { type: "button", class: "danger", onclick: run }, confirmLabel);
    box.replaceChildren(yes, h("button", { type: "button", onclick: () => { box.replaceChildren(start); start.focus(); } }, "Cancel"));
    yes.focus();
  });
  box.append(start);
  return box;
}

function sourceView(source) {
  if (!source) return null;
  const url = httpUrl(source);
  return url
    ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, "Source")
    : h("span", { class: "source" }, `Source: ${source}`);
}

function summary(question) {
  const rate = question.attempts_count ? Math.round((question.solved_count / question.attempts_count) * 100) : null;
  return h(
    "dl",
    { class: "aggregates", "aria-label": "Summary" },
    h("div", {}, h("dt", {}, "Attempts"), h("dd", { "data-testid": "attempts-count" }, String(question.attempts_count))),
    h("div", {}, h("dt", {}, "Solved"), h("dd", { "data-testid": "solved-count" }, String(question.solved_count))),
    h("div", {}, h("dt", {}, "Solve rate"), h("dd", {}, rate === null ? "—" : `${rate} %`)),
    h("div", {}, h("dt", {}, "Last attempt"), h("dd", {}, formatDate(question.last_attempted_at))),
    h("div", {}, h("dt", {}, "Next review"), h("dd", { "data-testid": "next-review" }, question.next_review_at ? formatDate(question.next_review_at) : "Not scheduled")),
    h("div", {}, h("dt", {}, "State"), h("dd", {}, question.review_state)),
  );
}

export default {
  name: "question",
  title: "Question",
  async render(view, { app, params }) {
    let [question, logs] = await Promise.all([api.question(params.id), api.logs(params.id)]);
    document.title = `${question.title} · Interview Questions`;

    const summaryBox = h("div", {});
    const history = h("div", { class: "history" });
    const content = h("div", { class: "content" });
    // The API sanitized this HTML (nh3) before storing it; it is shown as stored.
    content.innerHTML = question.content || "";

    async function refresh() {
      [question, logs] = await Promise.all([api.question(params.id), api.logs(params.id)]);
      summaryBox.replaceChildren(summary(question));
      drawHistory();
    }

    function drawHistory() {
      if (!logs.length) {
        history.replaceChildren(h("p", { class: "empty" }, "No attempts yet. Log the first one above."));
        return;
      }
      history.replaceChildren(
        h("p", { class: "count" }, plural(logs.length, "attempt")),
        h("ol", { class: "log-list" }, logs.map(logItem)),
      );
    }

    function logItem(log) {
      const item = h("li", { class: "log-item", "data-log": log.id });
      const show = () =>
        item.replaceChildren(
          h(
            "div",
            { class: "log-head" },
            h("strong", {}, formatDateTime(log.date_attempted)),
            log.outcome ? h("span", { class: `badge outcome-${log.outcome.toLowerCase()}` }, log.outcome) : null,
            log.rating ? h("span", { class: "badge" }, `Rated ${log.rating}`) : null,
            log.time_spent_min !== null ? h("span", {}, `${log.time_spent_min} min`) : null,
          ),
          log.solution_approach ? h("p", {}, h("span", { class: "label" }, "Approach: "), log.solution_approach) : null,
          log.self_notes ? h("p", { class: "notes" }, log.self_notes) : null,
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", onclick: edit }, "Edit"),
            confirmButton("Delete", "Delete this attempt", async () => {
              await api.deleteLog(question.id, log.id);
              await refresh();
            }),
          ),
        );
      const edit = () => {
        const editor = attemptForm({
          log,
          label: "Edit the attempt",
          submitLabel: "Save the attempt",
          onCancel: show,
          onSubmit: async (body) => {
            await api.updateLog(question.id, log.id, body);
            await refresh();
          },
        });
        item.replaceChildren(editor);
        editor.querySelector("input")?.focus();
      };
      show();
      return item;
    }

    const newAttempt = attemptForm({
      label: "Log an attempt",
      submitLabel: "Log the attempt",
      onSubmit: async (body, element) => {
        await api.createLog(question.id, body);
        element.reset();
        await refresh();
      },
    });

    summaryBox.append(summary(question));
    drawHistory();
    view.append(
      h("p", { class: "back" }, h("a", { href: "/questions" }, "← All questions")),
      h("div", { class: "screen-head" }, h("h1", {}, question.title),
        h("div", { class: "actions" },
          h("a", { class: "button", href: `/questions/${question.id}/edit` }, "Edit"),
          confirmButton("Delete", "Delete this question and its attempts", async () => {
            await api.deleteQuestion(question.id);
            app.navigate("/questions");
          }))),
      h(
        "div",
        { class: "meta" },
        question.difficulty ? h("span", { class: `badge difficulty-${question.difficulty.toLowerCase()}` }, question.difficulty) : null,
        question.is_active ? null : h("span", { class: "badge" }, "Inactive"),
        question.tags.map((tag) => h("span", { class: "tag" }, tag.name)),
        sourceView(question.source),
      ),
      summaryBox,
      h("section", { "aria-labelledby": "content-title" }, h("h2", { id: "content-title" }, "Content"),
        question.content ? content : h("p", { class: "empty" }, "No content.")),
      h("section", { class: "card", "aria-labelledby": "log-title" }, h("h2", { id: "log-title" }, "Log an attempt"), newAttempt),
      h("section", { "aria-labelledby": "history-title" }, h("h2", { id: "history-title" }, "Attempts"), history),
    );
  },
};
