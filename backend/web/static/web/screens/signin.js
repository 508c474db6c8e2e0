// Sign in and sign up. A visitor sent here from a deep link (?next=) goes back to it.

import * as api from "../api.js";
import { field, form, h, input } from "../dom.js";

function nextPath(query) {
  const next = query.get("next") || "";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/questions";
}

function retrySentence(seconds) {
  if (!seconds && seconds !== 0) return "Too many failed sign-ins. Try again later.";
  const minutes = Math.ceil(seconds / 60);
  const at = new Date(Date.now() + seconds * 1000).toLocaleTimeString(undefined, { timeStyle: "short" });
  const wait = seconds < 90 ? `${seconds} seconds` : `${minutes} minutes`;
  return `Too many failed sign-ins for this username. Try again in ${wait} (at ${at}).`;
}

export const signIn = {
  name: "signin",
  title: "Sign in",
  public: true,
  render(view, { app, query }) {
    if (app.user) return app.navigate(nextPath(query), { replace: true });
    const signUpLink = h("a", { href: `/signup?${query}` }, "create an account");
    view.append(
      h("h1", {}, "Sign in"),
      query.get("registered") ? h("p", { class: "success", role: "status" }, "Your account is ready. Sign in with it.") : null,
      query.get("deleted") ? h("p", { class: "success", role: "status" }, "Your account and all its data are deleted.") : null,
      form({ class: "card narrow", "aria-label": "Sign in" }, [
        field("Username", input("username", { autocomplete: "username", required: true })),
        field("Password", input("password", { type: "password", autocomplete: "current-password", required: true })),
        h("button", { type: "submit", class: "primary" }, "Sign in"),
      ], async (data) => {
        try {
          const user = await api.signIn(data.get("username"), data.get("password"));
          app.setUser(user);
          app.navigate(nextPath(query), { replace: true });
        } catch (error) {
          if (error.status === 429) error.body = { detail: retrySentence(error.retryAfter) };
          throw error;
        }
      }),
      h("p", {}, "New here? ", signUpLink, "."),
    );
  },
};

export const signUp = {
  name: "signup",
  title: "Create an account",
  public: true,
  render(view, { app, query }) {
    if (app.user) return app.navigate("/questions", { replace: true });
    view.append(
      h("h1", {}, "Create an account"),
      form({ class: "card narrow", "aria-label": "Create an account" }, [
        field("Username", input("username", { autocomplete: "username", required: true })),
        field("Email (optional)", input("email", { type: "email", autocomplete: "email" })),
        field(
          "Password",
          input("password", { type: "password", autocomplete: "new-password", required: true }),
          "At least 8 characters, not only digits, not a common password.",
        ),
        h("button", { type: "submit", class: "primary" }, "Create the account"),
      ], async (data) => {
        const body = { username: data.get("username"), password: data.get("password") };
        if (data.get("email")) body.email = data.get("email");
        await api.register(body);
        const next = new URLSearchParams(query);
        next.set("registered", "1");
        app.navigate(`/signin?${next}`);
      }),
      h("p", {}, "Already have an account? ", h("a", { href: `/signin?${query}` }, "Sign in"), "."),
    );
  },
};
