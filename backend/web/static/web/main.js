// The shell: who is signed in, which screen the URL names, and the notices
// about the connection (offline, API unavailable) shown above every screen.

import * as api from "./api.js";
import { h } from "./dom.js";
import { createRouter, route } from "./router.js";
import account from "./screens/account.js";
import importScreen from "./screens/import.js";
import notFound from "./screens/not-found.js";
import practice from "./screens/practice.js";
import progress from "./screens/progress.js";
import questionEdit from "./screens/question-edit.js";
import question from "./screens/question.js";
import questions from "./screens/questions.js";
import { signIn, signUp } from "./screens/signin.js";

const routes = [
  route("/", null, { home: true }),
  route("/signin", signIn, { public: true }),
  route("/signup", signUp, { public: true }),
  route("/questions", questions),
  route("/questions/new", questionEdit),
  route("/questions/:id", question),
  route("/questions/:id/edit", questionEdit),
  route("/practice", practice),
  route("/progress", progress),
  route("/import", importScreen),
  route("/account", account),
];

const main = document.getElementById("main");
const app = {
  user: null,
  navigate: (target, options) => router.navigate(target, options),
  setUser(user) {
    app.user = user;
    drawHeader();
  },
  // Where a signed-out visitor goes, and comes back from.
  signInFirst() {
    const next = location.pathname + location.search;
    return app.navigate(`/signin?${new URLSearchParams({ next })}`, { replace: true });
  },
};

let cleanup = null;
let rendering = 0;
let prefetched = null;

async function render(matched) {
  const turn = ++rendering;
  if (cleanup) cleanup();
  cleanup = null;
  const route = matched?.route;
  if (route?.home) return app.navigate(app.user ? "/questions" : "/signin", { replace: true });
  if (route && !route.public && !app.user) return app.signInFirst();
  const screen = route ? route.screen : notFound;
  document.title = `${screen.title} · Interview Questions`;
  const view = h("div", { class: `screen screen-${screen.name}` });
  main.replaceChildren(view);
  markCurrentLink();
  try {
    const data = prefetched;
    prefetched = null;
    const result = await screen.render(view, {
      app,
      params: matched?.params || {},
      query: new URLSearchParams(location.search),
      prefetched: data,
    });
    if (turn === rendering) cleanup = typeof result === "function" ? result : null;
    else if (typeof result === "function") result();
  } catch (error) {
    if (turn !== rendering) return;
    if (error.status === 403 && !app.user) return app.signInFirst();
    if (error.status === 403) {
      app.setUser(null);
      return app.signInFirst();
    }
    if (error.status === 404) {
      view.replaceChildren();
      return notFound.render(view);
    }
    view.replaceChildren(
      h("h1", {}, screen.title),
      h("p", { class: "error", role: "alert" }, error.message || String(error)),
      h("button", { type: "button", onclick: () => render(router.current()) }, "Try again"),
    );
  }
  if (turn === rendering && document.activeElement === document.body) {
    main.querySelector("h1")?.setAttribute("tabindex", "-1");
    main.querySelector("h1")?.focus({ preventScroll: true });
  }
}

function markCurrentLink() {
  for (const link of document.querySelectorAll("#nav a")) {
    const current = location.pathname === link.pathname || location.pathname.startsWith(`${link.pathname}/`);
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function drawHeader() {
  document.getElementById("nav").hidden = !app.user;
  const who = document.getElementById("who");
  if (!app.user) {
    who.replaceChildren();
    return;
  }
  who.replaceChildren(
    h("span", { class: "username" }, app.user.username),
    h("button", { type: "button", class: "link", onclick: signOut }, "Sign out"),
  );
}

async function signOut() {
  await api.signOut();
  app.setUser(null);
  app.navigate("/signin");
}

// --- Connection notices -----------------------------------------------------------

const notices = document.getElementById("notices");
const banners = {
  offline: "You are offline. Nothing you typed is lost; send it again when the connection is back.",
  unavailable: "The service is unavailable right now. It will come back by itself; this page checks every few seconds.",
};
let unavailableTimer = null;

function setNotice(kind, shown) {
  const existing = notices.querySelector(`[data-notice="${kind}"]`);
  if (shown && !existing) {
    notices.append(h("p", { class: `notice notice-${kind}`, role: "status", "data-notice": kind }, banners[kind]));
  } else if (!shown && existing) existing.remove();
}

function watchUntilAvailable() {
  if (unavailableTimer) return;
  unavailableTimer = setInterval(() => api.health().catch(() => {}), 3000);
}

api.connection.addEventListener("state", ({ detail }) => {
  if (detail === "offline") return setNotice("offline", true);
  setNotice("offline", false);
  setNotice("unavailable", detail === "unavailable");
  if (detail === "unavailable") watchUntilAvailable();
  else if (unavailableTimer) {
    clearInterval(unavailableTimer);
    unavailableTimer = null;
  }
});
window.addEventListener("offline", () => setNotice("offline", true));
window.addEventListener("online", () => setNotice("offline", false));

// --- Start ------------------------------------------------------------------------

const router = createRouter(routes, render);

async function start() {
  // The first screen's data is asked for beside identity/, not after it: one
  // round trip less before the list shows. A signed-out visitor's 403 is dropped.
  const first = router.current();
  if (first && !first.route.public && first.route.screen?.prefetch) {
    prefetched = first.route.screen.prefetch(new URLSearchParams(location.search));
    prefetched.catch(() => {});
  }
  try {
    const identity = await api.identity();
    app.setUser(identity.authenticated ? identity.user : null);
  } catch (error) {
    main.replaceChildren(
      h("h1", {}, "Interview Questions"),
      h("p", { class: "error", role: "alert" }, `The app cannot reach the server: ${error.message}`),
      h("button", { type: "button", onclick: start }, "Try again"),
    );
    return;
  }
  render(router.current());
}

start();
