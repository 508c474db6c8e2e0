// Practise now: the review queue (most overdue first, then never attempted),
// one click to log an attempt with a rating, and the next 14 days' forecast.

import * as api from "../api.js";
import { barChart } from "../charts.js";
import { formatDate, formatDay, h, plural } from "../dom.js";

const RATINGS = [
  ["again", "Again", "Failed"],
  ["hard", "Hard", "Partial"],
  ["good", "Good", "Solved"],
  ["easy", "Easy", "Solved"],
];

export default {
  name: "practice",
  title: "Practise",
  async render(view) {
    const queueBox = h("div", { class: "queue", "aria-live": "polite" });
    const forecastBox = h("section", { "aria-labelledby": "forecast-title" });
    let queue = [];
    let done = 0;

    function drawCurrent() {
      const current = queue[0];
      if (!current) {
        queueBox.replaceChildren(
          h("div", { class: "empty" },
            h("h2", {}, done ? "All done for now" : "Nothing to review"),
            h("p", {}, done ? `You reviewed ${plural(done, "question")}. Come back when more fall due.` : "No question is due. Add questions or come back later."),
            h("a", { href: "/questions" }, "Go to your questions")),
        );
        return;
      }
      const status = h("p", { class: "error", role: "alert", hidden: true });
      const buttons = RATINGS.map(([rating, label, outcome]) =>
        h("button", {
          type: "button",
          class: `rating rating-${rating}`,
          onclick: async () => {
            for (const button of buttons) button.disabled = true;
            try {
              await api.createLog(current.id, { rating, outcome });
              done += 1;
              queue = await api.reviewQueue();
              drawCurrent();
              drawForecast();
              queueBox.querySelector("h2")?.focus();
            } catch (error) {
              status.textContent = error.message;
              status.hidden = false;
              for (const button of buttons) button.disabled = false;
            }
          },
        }, label),
      );
      const due = current.next_review_at ? `Due ${formatDate(current.next_review_at)}` : "Never attempted";
      queueBox.replaceChildren(
        h("article", { class: "card review-card" },
          h("p", { class: "count" }, `${plural(queue.length, "question")} to review${done ? ` · ${done} done` : ""}`),
          h("h2", { tabindex: "-1" }, h("a", { href: `/questions/${current.id}` }, current.title)),
          h("p", { class: "meta" }, current.difficulty ? h("span", { class: `badge difficulty-${current.difficulty.toLowerCase()}` }, current.difficulty) : null, due),
          h("p", {}, "How did it go? Rate it to log an attempt and move on:"),
          h("div", { class: "ratings", role: "group", "aria-label": "Rate this attempt" }, buttons),
          status),
      );
    }

    async function drawForecast() {
      const days = await api.forecast(14);
      forecastBox.replaceChildren(
        h("h2", { id: "forecast-title" }, "The next 14 days"),
        barChart({
          title: "Questions falling due per day",
          rows: days.map((day) => ({ label: formatDay(day.date, { month: "short", day: "numeric" }), value: day.due })),
          unit: "due",
          header: ["Day", "Due"],
        }),
      );
    }

    queue = await api.reviewQueue();
    view.append(h("h1", {}, "Practise now"), queueBox, forecastBox);
    drawCurrent();
    await drawForecast();
  },
};
