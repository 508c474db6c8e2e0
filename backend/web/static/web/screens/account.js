// Your data: API tokens (the secret shown once), a download of everything, loading
// such a file back (all or nothing), and deleting the account.

import * as api from "../api.js";
import { field, form, formatDate, formatDateTime, h, input } from "../dom.js";
import { confirmButton } from "./question.js";

export default {
  name: "account",
  title: "Your data",
  async render(view, { app }) {
    const tokenList = h("div", {});
    const secretBox = h("div", { "aria-live": "polite" });

    async function drawTokens() {
      const tokens = await api.tokens();
      if (!tokens.length) {
        tokenList.replaceChildren(h("p", { class: "empty" }, "No tokens. Create one for a script that calls the API."));
        return;
      }
      tokenList.replaceChildren(
        h("table", { class: "tokens" },
          h("caption", { class: "visually-hidden" }, "Your API tokens"),
          h("thead", {}, h("tr", {}, ["Name", "Created", "Expires", "Last used", ""].map((name) => h("th", { scope: "col" }, name)))),
          h("tbody", {}, tokens.map((token) =>
            h("tr", { "data-token": token.id },
              h("th", { scope: "row" }, token.name),
              h("td", {}, formatDate(token.created_at)),
              h("td", {}, formatDate(token.expires_at)),
              h("td", {}, token.last_used_at ? formatDateTime(token.last_used_at) : "Never"),
              h("td", {}, confirmButton("Revoke", `Revoke ${token.name}`, async () => {
                await api.revokeToken(token.id);
                secretBox.replaceChildren();
                await drawTokens();
              })))))),
      );
    }

    const newToken = form({ class: "inline-form", "aria-label": "Create a token" }, [
      field("Token name", input("name", { required: true, maxlength: "100" })),
      field("Days until it expires", input("expires_in_days", { type: "number", min: "1", max: "365", value: "90" })),
      h("button", { type: "submit", class: "primary" }, "Create the token"),
    ], async (data, element) => {
      const body = { name: data.get("name") };
      if (data.get("expires_in_days")) body.expires_in_days = Number(data.get("expires_in_days"));
      const token = await api.createToken(body);
      element.reset();
      const secret = h("input", { id: "token-secret", readonly: true, value: token.token, class: "secret" });
      secretBox.replaceChildren(
        h("div", { class: "card success" },
          h("p", {}, `Your new token “${token.name}”. Copy it now: it is shown this once.`),
          h("label", { for: "token-secret" }, "Secret"),
          secret,
          h("button", { type: "button", onclick: () => navigator.clipboard?.writeText(token.token) }, "Copy")),
      );
      secret.select();
      await drawTokens();
    });

    const importResult = h("div", { "aria-live": "polite" });
    const fileInput = input("file", { type: "file", accept: "application/json,.json", required: true });
    const importForm = form({ class: "inline-form", "aria-label": "Import an export file" }, [
      field("Export file (JSON)", fileInput),
      h("button", { type: "submit", class: "primary" }, "Import the file"),
    ], async () => {
      importResult.replaceChildren();
      const file = fileInput.files[0];
      if (!file) throw Object.assign(new Error("Choose a file first."), { status: 400, body: { file: ["Choose a file first."] } });
      let document;
      try {
        document = JSON.parse(await file.text());
      } catch {
        throw Object.assign(new Error("Not JSON"), { status: 400, body: { file: ["This file is not JSON; choose a file that export made."] } });
      }
      const counts = await api.importData(document);
      importResult.replaceChildren(h("p", { class: "success", role: "status" },
        `Imported: ${counts.questions_created} questions (${counts.questions_skipped} you already had), ` +
        `${counts.logs_created} attempts, ${counts.tags_created} new tags.`));
    });

    const deleteForm = form({ class: "inline-form danger-zone", "aria-label": "Delete the account" }, [
      field("Your password", input("password", { type: "password", autocomplete: "current-password", required: true })),
      h("button", { type: "submit", class: "danger" }, "Delete my account and all my data"),
    ], async (data) => {
      await api.deleteAccount(data.get("password"));
      app.setUser(null);
      app.navigate("/signin?deleted=1");
    });

    await drawTokens();
    view.append(
      h("h1", {}, "Your data"),
      h("p", {}, `Signed in as ${app.user.username}.`),
      h("section", { class: "card", "aria-labelledby": "tokens-title" }, h("h2", { id: "tokens-title" }, "API tokens"),
        h("p", {}, "A token lets a script call the API as you: send it as Authorization: Bearer <token>."),
        newToken, secretBox, tokenList),
      h("section", { class: "card", "aria-labelledby": "export-title" }, h("h2", { id: "export-title" }, "Export"),
        h("p", {}, "All your questions, attempts and tags as one JSON file."),
        h("a", { class: "button", href: api.exportUrl(), download: "interview-questions-export.json" }, "Download the export")),
      h("section", { class: "card", "aria-labelledby": "import-title" }, h("h2", { id: "import-title" }, "Import an export file"),
        h("p", {}, "Adds the file's questions you do not have yet; either all of it is imported or nothing is."),
        importForm, importResult),
      h("section", { class: "card", "aria-labelledby": "delete-title" }, h("h2", { id: "delete-title" }, "Delete the account"),
        h("p", {}, "This deletes you and everything you stored, at once and for good."),
        deleteForm),
    );
  },
};
