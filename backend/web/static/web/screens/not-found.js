// Any path the app does not know, and a question that is not yours (the API's 404).

import { h } from "../dom.js";

export default {
  name: "not-found",
  title: "Not found",
  render(view) {
    document.title = "Not found · Interview Questions";
    view.append(
      h("h1", {}, "Page not found"),
      h("p", {}, "There is nothing at this address, or it is not yours to see."),
      h("p", {}, h("a", { href: "/questions" }, "Go to your questions")),
    );
  },
};
