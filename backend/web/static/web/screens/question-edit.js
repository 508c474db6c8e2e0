// Create or edit a question: title, source, difficulty, active, tags (a new
// tag is created on the spot) and HTML content with a live preview.

import * as api from "../api.js";
import { field, form, h, input, select, showErrors } from "../dom.js";

const DIFFICULTIES = [["", "—"], ["Easy", "Easy"], ["Medium", "Medium"], ["Hard", "Hard"]];
const INERT = "script, style, iframe, object, embed, link, meta, base, form";

// The preview shows what was typed without running any of it; the saved
// question shows the API's sanitized HTML.
function previewInto(box, html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const element of parsed.body.querySelectorAll(INERT)) element.remove();
  for (const element of parsed.body.querySelectorAll("*")) {
    for (const attribute of [...element.attributes]) {
      const value = attribute.value.trim().toLowerCase();
      if (attribute.name.startsWith("on") || attribute.name === "style" || value.startsWith("javascript:")) {
        element.removeAttribute(attribute.name);
      }
    }
  }
  box.replaceChildren(...[...parsed.body.childNodes].map((node) => document.importNode(node, true)));
}

export default {
  name: "question-edit",
  title: "Edit question",
  async render(view, { app, params }) {
    const editing = Boolean(params.id);
    const [question, tags] = await Promise.all([
      editing ? api.question(params.id) : Promise.resolve(null),
      api.tags(),
    ]);
    const title = editing ? `Edit “${question.title}”` : "Add a question";
    document.title = `${title} · Interview Questions`;
    const chosen = new Set((question?.tags || []).map((tag) => tag.id));

    const tagBox = h("div", { class: "tag-choices", role: "group", "aria-labelledby": "tags-label" });
    function drawTags() {
      tagBox.replaceChildren(
        ...tags.map((tag) =>
          h("label", { class: "check" },
            h("input", { type: "checkbox", name: "tag_ids", value: String(tag.id), checked: chosen.has(tag.id),
              onchange: (event) => (event.target.checked ? chosen.add(tag.id) : chosen.delete(tag.id)) }),
            tag.name),
        ),
      );
      if (!tags.length) tagBox.append(h("span", { class: "hint" }, "No tags yet; add one below."));
    }
    drawTags();

    const newTag = input("new_tag", { id: "new-tag", autocomplete: "off" });
    const tagErrors = h("p", { class: "field-errors", id: "new-tag-errors", hidden: true });
    newTag.setAttribute("aria-describedby", tagErrors.id);
    async function addTag() {
      const name = newTag.value.trim();
      if (!name) return;
      tagErrors.hidden = true;
      try {
        const tag = await api.createTag(name);
        tags.push(tag);
        chosen.add(tag.id);
        drawTags();
        newTag.value = "";
        newTag.focus();
      } catch (error) {
        const messages = error.body?.name || [error.message];
        tagErrors.textContent = [].concat(messages).join(" ");
        tagErrors.hidden = false;
      }
    }
    newTag.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        addTag();
      }
    });

    const content = h("textarea", { name: "content", rows: 10, value: question?.content || "" });
    const preview = h("div", { class: "content preview", id: "preview" });
    content.addEventListener("input", () => previewInto(preview, content.value));
    previewInto(preview, content.value);

    const active = h("input", { type: "checkbox", name: "is_active", checked: question ? question.is_active : true });

    const editor = form({ class: "card question-form", "aria-label": title }, [
      field("Title", input("title", { required: true, maxlength: "255", value: question?.title || "" })),
      field("Source", input("source", { maxlength: "2048", value: question?.source || "" }), "Where the problem lives: its page (https://…), or a book and page."),
      h("div", { class: "row" },
        field("Difficulty", select("difficulty", DIFFICULTIES, question?.difficulty || "")),
        h("div", { class: "field", "data-field": "is_active" }, h("label", { class: "check" }, active, "Active (in the review queue)"),
          h("p", { class: "field-errors", hidden: true }))),
      h("fieldset", { class: "field", "data-field": "tag_ids" },
        h("legend", { id: "tags-label" }, "Tags"),
        tagBox,
        h("div", { class: "inline" }, h("label", { for: "new-tag" }, "New tag"), newTag,
          h("button", { type: "button", onclick: addTag }, "Add tag")),
        tagErrors,
        h("p", { class: "field-errors", hidden: true })),
      h("div", { class: "row content-row" },
        field("Content (HTML)", content),
        h("div", { class: "field" }, h("span", { class: "label", id: "preview-label" }, "Preview"), preview)),
      h("div", { class: "actions" },
        h("button", { type: "submit", class: "primary" }, editing ? "Save the question" : "Add the question"),
        h("a", { class: "button", href: editing ? `/questions/${question.id}` : "/questions" }, "Cancel")),
    ], async (data, element) => {
      const body = {
        title: data.get("title"),
        source: data.get("source"),
        difficulty: data.get("difficulty"),
        is_active: active.checked,
        content: data.get("content"),
        tag_ids: [...chosen],
      };
      try {
        const saved = editing ? await api.updateQuestion(question.id, body) : await api.createQuestion(body);
        app.navigate(`/questions/${saved.id}`);
      } catch (error) {
        showErrors(element, error);
      }
    });
    preview.setAttribute("aria-labelledby", "preview-label");
    preview.setAttribute("role", "region");

    view.append(
      h("p", { class: "back" }, h("a", { href: editing ? `/questions/${question.id}` : "/questions" }, "← Back")),
      h("h1", {}, title),
      editor,
    );
  },
};
