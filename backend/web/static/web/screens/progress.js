// Progress: totals, solve rates by difficulty and tag, weekly attempts, a year
// of weeks as a heatmap, streaks and the most failed questions, all counted in
// the browser's own time zone.

import * as api from "../api.js";
import { barChart, heatmap, rateChart } from "../charts.js";
import { formatDay, h, plural } from "../dom.js";

const WEEKS_PER_ANSWER = 12; // /api/stats/ answers the 12 weeks up to `until`
const HEATMAP_WEEKS = 52;

function isoDay(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 10);
}

function daysBefore(date, days) {
  const copy = new Date(date);
  copy.setDate(copy.getDate() - days);
  return copy;
}

// A year of weeks, from stats answers that each hold 12 of them.
async function yearOfWeeks(tz) {
  const today = new Date();
  const answers = [];
  for (let back = 0; back * WEEKS_PER_ANSWER < HEATMAP_WEEKS; back += 1) {
    const until = daysBefore(today, back * WEEKS_PER_ANSWER * 7);
    const since = daysBefore(until, WEEKS_PER_ANSWER * 7 + 6);
    answers.push(api.stats({ tz, since: isoDay(since), until: isoDay(until) }));
  }
  const weeks = new Map();
  for (const answer of await Promise.all(answers)) {
    for (const week of answer.weekly) weeks.set(week.start, week);
  }
  return [...weeks.values()].sort((a, b) => a.start.localeCompare(b.start)).slice(-HEATMAP_WEEKS);
}

export default {
  name: "progress",
  title: "Progress",
  async render(view) {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    const [stats, weeks] = await Promise.all([api.stats({ tz }), yearOfWeeks(tz)]);
    const { totals, streaks } = stats;

    let lastMonth = null;
    const cells = weeks.map((week) => {
      const month = formatDay(week.start, { month: "short" });
      const cell = { label: `Week of ${formatDay(week.start)}`, value: week.attempts, month: month !== lastMonth ? month : null };
      lastMonth = month;
      return cell;
    });

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
          heatmap({ title: "Attempts per week over the last year", cells, header: ["Week", "Attempts"] })),
        h("section", { "aria-labelledby": "failed-title" }, h("h2", { id: "failed-title" }, "Most failed"),
          stats.most_failed.length
            ? h("ol", { class: "failed-list" }, stats.most_failed.map((question) =>
                h("li", {}, h("a", { href: `/questions/${question.id}` }, question.title), ` · failed ${plural(question.failed, "time")}`)))
            : h("p", { class: "empty" }, "No failed attempts. Keep going."))),
    );
  },
};
