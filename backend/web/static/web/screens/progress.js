// Progress: totals, solve rates by difficulty and tag, weekly attempts, a
// calendar of the last year's days, streaks and the most failed questions, all
// counted in the browser's own time zone.

import * as api from "../api.js";
import { barChart, calendar, rateChart } from "../charts.js";
import { formatDay, h, plural } from "../dom.js";

const CALENDAR_DAYS = 366; // /api/stats/ lists the attempts of the 366 days up to today

// Every day of the calendar, oldest first, with the API's count or zero.
function calendarDays(daily, today) {
  const counts = new Map(daily.map((day) => [day.date, day.attempts]));
  const last = new Date(`${today}T00:00:00Z`);
  return Array.from({ length: CALENDAR_DAYS }, (_, index) => {
    const date = new Date(last.getTime() - (CALENDAR_DAYS - 1 - index) * 86400000).toISOString().slice(0, 10);
    return { date, label: formatDay(date), month: formatDay(date, { month: "short" }), value: counts.get(date) || 0 };
  });
}

export default {
  name: "progress",
  title: "Progress",
  async render(view) {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    const stats = await api.stats({ tz });
    const { totals, streaks } = stats;
    // Today in the browser's zone, as the API counts its days.
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date());

    const breakdown = (row) => `${row.solved} solved of ${plural(row.attempts, "attempt")}`;
    view.append(
      h("h1", {}, "Progress"),
      h("p", { class: "hint" }, `Days and weeks in your time zone, ${tz}.`),
      h("dl", { class: "aggregates totals" },
        h("div", {}, h("dt", {}, "Questions"), h("dd", {}, String(totals.questions))),
        h("div", {}, h("dt", {}, "Attempts"), h("dd", { "data-testid": "total-attempts" }, String(totals.attempts))),
        h("div", {}, h("dt", {}, "Solved questions"), h("dd", {}, String(totals.solved_questions))),
        h("div", {}, h("dt", {}, "Minutes"), h("dd", {}, String(totals.minutes))),
        h("div", {}, h("dt", {}, "Current streak"), h("dd", { "data-testid": "current-streak" }, plural(streaks.current, "day"))),
        h("div", {}, h("dt", {}, "Longest streak"), h("dd", {}, plural(streaks.longest, "day")))),
      h("div", { class: "charts" },
        h("section", { "aria-labelledby": "weekly-title" }, h("h2", { id: "weekly-title" }, "Attempts per week"),
          barChart({
            title: "Attempts in each of the last 12 weeks",
            rows: stats.weekly.map((week) => ({ label: formatDay(week.start, { month: "short", day: "numeric" }), value: week.attempts })),
            header: ["Week of", "Attempts"],
            unit: "attempts",
          })),
        h("section", { "aria-labelledby": "difficulty-title" }, h("h2", { id: "difficulty-title" }, "Solve rate by difficulty"),
          rateChart({
            title: "Solve rate by difficulty",
            rows: stats.by_difficulty.map((row) => ({ label: row.difficulty || "None", rate: row.solve_rate, detail: breakdown(row) })),
            header: ["Difficulty", "Solve rate", "Attempts"],
          })),
        h("section", { "aria-labelledby": "tag-title" }, h("h2", { id: "tag-title" }, "Solve rate by tag"),
          stats.by_tag.length
            ? rateChart({
                title: "Solve rate by tag",
                rows: stats.by_tag.map((row) => ({ label: row.tag, rate: row.solve_rate, detail: breakdown(row) })),
                header: ["Tag", "Solve rate", "Attempts"],
              })
            : h("p", { class: "empty" }, "No attempts at tagged questions yet.")),
        h("section", { class: "wide", "aria-labelledby": "year-title" }, h("h2", { id: "year-title" }, "The last year"),
          calendar({ title: "Attempts per day over the last year", days: calendarDays(stats.daily, today), header: ["Day", "Attempts"] })),
        h("section", { "aria-labelledby": "failed-title" }, h("h2", { id: "failed-title" }, "Most failed"),
          stats.most_failed.length
            ? h("ol", { class: "failed-list" }, stats.most_failed.map((question) =>
                h("li", {}, h("a", { href: `/questions/${question.id}` }, question.title), ` · failed ${plural(question.failed, "time")}`)))
            : h("p", { class: "empty" }, "No failed attempts. Keep going."))),
    );
  },
};
