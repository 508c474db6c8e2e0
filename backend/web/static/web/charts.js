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

// A year as a strip of weeks, darker for more attempts: [{label, value}].
export function heatmap({ title, cells, header }) {
  const size = 14;
  const gap = 3;
  const max = Math.max(1, ...cells.map((cell) => cell.value));
  const chart = svg("svg", { viewBox: `0 0 ${cells.length * (size + gap)} ${size + 18}`, class: "heatmap" });
  cells.forEach((cell, index) => {
    const level = cell.value === 0 ? 0 : Math.ceil((cell.value / max) * 4);
    chart.append(
      svg("rect", { x: index * (size + gap), y: 0, width: size, height: size, rx: 2, class: `level-${level}` },
        svg("title", {}, `${cell.label}: ${cell.value} attempts`)),
    );
    if (cell.month) chart.append(svg("text", { x: index * (size + gap), y: size + 14, class: "axis" }, cell.month));
  });
  return figure(title, chart, header, cells.map((cell) => [cell.label, String(cell.value)]));
}
