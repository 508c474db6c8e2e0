// The app's own SVG charts. Each has a <title> (its accessible name) and the
// same numbers as a table, so screen readers and keyboard users get them too.

import { h, svg } from "./dom.js";

let chartCount = 0;

function figure(title, chart, header, rows) {
  const id = `chart-${++chartCount}`;
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-labelledby", `${id}-title`);
  chart.prepend(svg("title", { id: `${id}-title` }, title));
  return h(
    "figure",
    { class: "chart" },
    chart,
    h("figcaption", {}, title),
    h(
      "details",
      { class: "chart-table" },
      h("summary", {}, "Show as a table"),
      h(
        "table",
        {},
        h("caption", {}, title),
        h("thead", {}, h("tr", {}, header.map((cell) => h("th", { scope: "col" }, cell)))),
        h("tbody", {}, rows.map((row) => h("tr", {}, h("th", { scope: "row" }, row[0]), row.slice(1).map((cell) => h("td", {}, cell))))),
      ),
    ),
  );
}

// Vertical bars, one per row: [{label, value}].
export function barChart({ title, rows, header, unit = "" }) {
  const width = Math.max(320, rows.length * 46);
  const height = 150;
  const top = 16;
  const bottom = 28;
  const max = Math.max(1, ...rows.map((row) => row.value));
  const step = width / Math.max(1, rows.length);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "bars" });
  rows.forEach((row, index) => {
    const barHeight = ((height - top - bottom) * row.value) / max;
    const x = index * step + step * 0.15;
    const y = height - bottom - barHeight;
    chart.append(
      svg("rect", { x, y, width: step * 0.7, height: Math.max(barHeight, row.value ? 1 : 0), class: "bar" },
        svg("title", {}, `${row.label}: ${row.value} ${unit}`.trim())),
      svg("text", { x: x + step * 0.35, y: y - 3, class: "value", "text-anchor": "middle" }, row.value ? String(row.value) : ""),
    );
    if (rows.length <= 16 || index % Math.ceil(rows.length / 12) === 0) {
      chart.append(svg("text", { x: x + step * 0.35, y: height - 10, class: "axis", "text-anchor": "middle" }, row.label));
    }
  });
  return figure(title, chart, header, rows.map((row) => [row.label, String(row.value)]));
}

// Horizontal bars of a rate between 0 and 1: [{label, rate, detail}].
export function rateChart({ title, rows, header }) {
  const rowHeight = 26;
  const labelWidth = 90;
  const width = 320;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${Math.max(1, rows.length) * rowHeight}`, class: "rates" });
  rows.forEach((row, index) => {
    const y = index * rowHeight;
    const barWidth = (width - labelWidth - 50) * (row.rate || 0);
    const shown = row.rate === null ? "—" : `${Math.round(row.rate * 100)} %`;
    chart.append(
      svg("text", { x: 0, y: y + 17, class: "axis" }, row.label),
      svg("rect", { x: labelWidth, y: y + 5, width: width - labelWidth - 50, height: 16, class: "track" }),
      svg("rect", { x: labelWidth, y: y + 5, width: barWidth, height: 16, class: "bar" },
        svg("title", {}, `${row.label}: ${shown} (${row.detail})`)),
      svg("text", { x: width - 44, y: y + 17, class: "value" }, shown),
    );
  });
  return figure(title, chart, header, rows.map((row) => [row.label, row.rate === null ? "—" : `${Math.round(row.rate * 100)} %`, row.detail]));
}

// A calendar: a column per week (Monday at the top), a square per day, darker for
// more attempts. days: [{date: "YYYY-MM-DD", label, value}], oldest first, every day.
export function calendar({ title, days, header }) {
  const size = 11;
  const gap = 2;
  const top = 14;
  const max = Math.max(1, ...days.map((day) => day.value));
  const weekday = (date) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  const offset = days.length ? weekday(days[0].date) : 0;
  const columns = Math.ceil((offset + days.length) / 7);
  const chart = svg("svg", { viewBox: `0 0 ${columns * (size + gap)} ${top + 7 * (size + gap)}`, class: "heatmap" });
  let lastMonth = null;
  days.forEach((day, index) => {
    const column = Math.floor((offset + index) / 7);
    const level = day.value === 0 ? 0 : Math.ceil((day.value / max) * 4);
    const x = column * (size + gap);
    chart.append(
      svg("rect", { x, y: top + weekday(day.date) * (size + gap), width: size, height: size, rx: 2, class: `level-${level}` },
        svg("title", {}, `${day.label}: ${day.value} attempts`)),
    );
    const month = day.date.slice(0, 7);
    // A month's name where it starts, if it has room before the right edge.
    if (month !== lastMonth && day.date.endsWith("-01") && column < columns - 2) {
      chart.append(svg("text", { x, y: top - 4, class: "axis" }, day.month));
    }
    lastMonth = month;
  });
  // The table lists the days that have attempts; the others are zero.
  const rows = days.filter((day) => day.value > 0).map((day) => [day.label, String(day.value)]);
  return figure(title, chart, header, rows);
}
