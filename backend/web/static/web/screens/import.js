// Bring in solved problems from Codewars or LeetCode: a username, then the job's
// progress from its total and processed counts, then what it created or why it failed.

import * as api from "../api.js";
import { field, form, h, input, plural, select } from "../dom.js";

const POLL_MS = 1000;
const FINISHED = new Set(["succeeded", "failed"]);
const PLATFORMS = [["codewars", "Codewars"], ["leetcode", "LeetCode"]];

export default {
  name: "import",
  title: "Import",
  async render(view) {
    const progressBox = h("div", { class: "import-progress", "aria-live": "polite" });
    let timer = null;
    let stopped = false;

    function drawJob(job) {
      const label = PLATFORMS.find(([value]) => value === job.platform)?.[1] || job.platform;
      const bar = h("progress", { id: "import-bar", max: job.total || 1, value: job.status === "succeeded" ? job.total || 1 : job.processed || 0 });
      const parts = [
        h("h2", { id: "progress-title" }, `${label} import of ${job.username}`),
        h("label", { for: "import-bar" }, job.total === null ? "Reading the list of solved problems…" : `${job.processed} of ${job.total} problems`),
        bar,
      ];
      if (job.status === "succeeded") {
        parts.push(h("p", { class: "success", role: "status" },
          `Done: ${plural(job.questions_created, "question")} and ${plural(job.logs_created, "attempt")} added.`),
          h("a", { href: "/questions" }, "See your questions"));
      } else if (job.status === "failed") {
        parts.push(h("p", { class: "error", role: "alert" }, job.error || "The import failed."));
      } else {
        parts.push(h("p", { class: "hint" }, job.status === "queued" ? "Waiting for the worker…" : "Importing…"));
      }
      progressBox.replaceChildren(...parts);
    }

    async function follow(job) {
      drawJob(job);
      if (FINISHED.has(job.status) || stopped) return;
      timer = setTimeout(async () => {
        try {
          follow(await api.importJob(job.id));
        } catch (error) {
          progressBox.append(h("p", { class: "error", role: "alert" }, error.message));
        }
      }, POLL_MS);
    }

    const start = form({ class: "card narrow", "aria-label": "Start an import" }, [
      field("Platform", select("platform", PLATFORMS, "codewars")),
      field("Your username there", input("username", { required: true, autocomplete: "off" })),
      h("button", { type: "submit", class: "primary" }, "Import"),
    ], async (data) => {
      clearTimeout(timer);
      follow(await api.startImport(data.get("platform"), data.get("username")));
    });

    const jobs = await api.importJobs();
    view.append(
      h("h1", {}, "Import solved problems"),
      h("p", {}, "Each solved problem becomes a question, with one Solved attempt per completion. Importing again adds only what is new."),
      start,
      progressBox,
    );
    const running = jobs.find((job) => !FINISHED.has(job.status));
    if (running) follow(running);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
};
