// The question list: filters, search, ordering and paging, all kept in the URL.

import * as api from "../api.js";
import { formatDate, h, plural, select } from "../dom.js";

export const PAGE_SIZE = 50;
const FILTERS = ["difficulty", "tag", "is_active", "due", "search", "ordering"];
const ORDERINGS = [
  ["", "Newest first"],
  ["created_at", "Oldest first"],
  ["title", "Title A–Z"],
  ["-title", "Title Z–A"],
  ["next_review_at", "Next review soonest"],
  ["-last_attempted_at", "Attempted most recently"],
  ["-attempts_count", "Most attempts"],
  ["solved_count", "Fewest solved"],
];

function filtersFrom(query) {
  const filters = {};
  for (const name of FILTERS) if (query.get(name)) filters[name] = query.get(name);
  return filters;
}

export function questionItem(question) {
  return h(
    "li",
    { class: "question-item" },
    h("a", { class: "question-title", href: `/questions/${question.id}` }, question.title),
    h(
      "div",
      { class: "meta" },
      question.difficulty ? h("span", { class: `badge difficulty-${question.difficulty.toLowerCase()}` }, question.difficulty) : null,
      question.is_active ? null : h("span", { class: "badge" }, "Inactive"),
      question.tags.map((tag) => h("span", { class: "tag" }, tag.name)),
    ),
    h(
      "p",
      { class: "stats-line" },
      `${plural(question.attempts_count, "attempt")}, ${question.solved_count} solved · next review ${
        question.next_review_at ? formatDate(question.next_review_at) : "not scheduled"
      }`,
    ),
  );
}

function firstData(query) {
  const offset = Math.max(0, Number(query.get("offset")) || 0);
  return Promise.all([api.tags(), api.questionsPage({ ...filtersFrom(query), limit: PAGE_SIZE, offset })]);
}

export default {
  name: "questions",
  title: "Questions",
  prefetch: firstData,
  async render(view, { query, prefetched }) {
    const filters = filtersFrom(query);
    const offset = Math.max(0, Number(query.get("offset")) || 0);
    const [tags, firstPage] = await (prefetched || firstData(query));

    const results = h("div", { class: "results", "aria-live": "polite" });
    const controls = h(
      "form",
      { class: "filters", role: "search", "aria-label": "Filter questions" },
      h("div", { class: "field" }, h("label", { for: "q-search" }, "Search"),
        h("input", { id: "q-search", name: "search", type: "search", value: filters.search || "" })),
      h("div", { class: "field" }, h("label", { for: "q-difficulty" }, "Difficulty"),
        select("difficulty", [["", "Any"], ["Easy", "Easy"], ["Medium", "Medium"], ["Hard", "Hard"]], filters.difficulty || "", { id: "q-difficulty" })),
      h("div", { class: "field" }, h("label", { for: "q-tag" }, "Tag"),
        select("tag", [["", "Any"], ...tags.map((tag) => [String(tag.id), tag.name])], filters.tag || "", { id: "q-tag" })),
      h("div", { class: "field" }, h("label", { for: "q-active" }, "Active"),
        select("is_active", [["", "All"], ["true", "Active"], ["false", "Inactive"]], filters.is_active || "", { id: "q-active" })),
      h("div", { class: "field" }, h("label", { for: "q-due" }, "Review"),
        select("due", [["", "Any"], ["true", "Due now"], ["false", "Not due"]], filters.due || "", { id: "q-due" })),
      h("div", { class: "field" }, h("label", { for: "q-ordering" }, "Order"),
        select("ordering", ORDERINGS, filters.ordering || "", { id: "q-ordering" })),
    );

    let request = 0;
    async function apply(nextOffset = 0) {
      const data = new FormData(controls);
      const next = new URLSearchParams();
      for (const name of FILTERS) if (data.get(name)) next.set(name, data.get(name));
      if (nextOffset) next.set("offset", nextOffset);
      const target = `/questions${next.size ? `?${next}` : ""}`;
      if (target !== location.pathname + location.search) history.pushState(null, "", target);
      const turn = ++request;
      try {
        const page = await api.questionsPage({ ...filtersFrom(next), limit: PAGE_SIZE, offset: nextOffset });
        if (turn === request) draw(page, filtersFrom(next), nextOffset);
      } catch (error) {
        if (turn === request) results.replaceChildren(h("p", { class: "error", role: "alert" }, error.message));
      }
    }

    function draw(page, active, at) {
      if (page.count === 0) {
        const filtered = Object.keys(active).some((name) => name !== "ordering");
        results.replaceChildren(
          filtered
            ? h("div", { class: "empty" }, h("p", {}, "No question matches these filters."), h("a", { href: "/questions" }, "Show all questions"))
            : h(
                "div",
                { class: "empty" },
                h("h2", {}, "No questions yet"),
                h("p", {}, "Start by adding the first question you are preparing, or import the problems you already solved on Codewars or LeetCode."),
                h("p", {}, h("a", { class: "button primary", href: "/questions/new" }, "Add a question"), " ", h("a", { class: "button", href: "/import" }, "Import solved problems")),
              ),
        );
        return;
      }
      const last = Math.min(at + page.results.length, page.count);
      const pager = h(
        "nav",
        { class: "pager", "aria-label": "Pages" },
        h("button", { type: "button", disabled: at === 0, onclick: () => apply(Math.max(0, at - PAGE_SIZE)) }, "Previous"),
        h("span", { class: "range" }, `${at + 1}–${last} of ${page.count}`),
        h("button", { type: "button", disabled: last >= page.count, onclick: () => apply(at + PAGE_SIZE) }, "Next"),
      );
      results.replaceChildren(
        h("p", { class: "count" }, plural(page.count, "question")),
        h("ul", { class: "question-list" }, page.results.map(questionItem)),
        pager,
      );
    }

    let typing = null;
    controls.addEventListener("change", (event) => {
      if (event.target.name !== "search") apply();
    });
    controls.addEventListener("input", (event) => {
      if (event.target.name !== "search") return;
      clearTimeout(typing);
      typing = setTimeout(() => apply(), 250);
    });
    controls.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(typing);
      apply();
    });

    view.append(
      h("div", { class: "screen-head" }, h("h1", {}, "Questions"), h("a", { class: "button primary", href: "/questions/new" }, "Add a question")),
      controls,
      results,
    );
    draw(firstPage, filters, offset);
    return () => clearTimeout(typing);
  },
};
