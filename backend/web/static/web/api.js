// The only module that talks to the API. Every call goes through request():
// session cookie, CSRF header on writes, JSON in and out, and the API's
// health (offline, 503) reported to whoever listens on `connection`.

const meta = document.querySelector('meta[name="api-base"]');
const BASE = (meta?.content || "").replace(/\/$/, "");
const SAME_ORIGIN = !BASE || new URL(BASE, location.href).origin === location.origin;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const connection = new EventTarget();

export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    super(body?.detail || `The server answered ${status}.`);
    this.status = status;
    this.body = body || {};
    this.retryAfter = retryAfter;
  }
}

let csrfToken = null;

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

// On its own origin the app reads the csrftoken cookie; from another origin it
// cannot, and asks csrf/ for the token. Sign-in and sign-out rotate it.
async function csrf() {
  if (SAME_ORIGIN && cookie("csrftoken")) return cookie("csrftoken");
  if (!csrfToken) csrfToken = (await request("GET", "/api/accounts/csrf/")).csrfToken;
  return csrfToken;
}

function forgetCsrf() {
  csrfToken = null;
}

export function url(path, query = {}) {
  const target = new URL(BASE + path, location.href);
  for (const [key, value] of Object.entries(query)) {
    for (const item of [].concat(value)) {
      if (item !== undefined && item !== null && item !== "") target.searchParams.append(key, item);
    }
  }
  return target.href;
}

function report(state) {
  connection.dispatchEvent(new CustomEvent("state", { detail: state }));
}

async function request(method, path, { query, body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (UNSAFE.has(method)) headers["X-CSRFToken"] = await csrf();
  let response;
  try {
    response = await fetch(url(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "include",
    });
  } catch {
    report("offline");
    throw new ApiError(0, { detail: "The network is unreachable; nothing was sent. Try again when you are back online." });
  }
  report(response.status === 503 ? "unavailable" : "ok");
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    const retry = response.headers.get("Retry-After");
    throw new ApiError(response.status, data, retry === null ? null : Number(retry));
  }
  return data;
}

// A page of a list, in DRF's envelope {count, next, previous, results}. The
// one place that knows how pages are asked for.
export function page(path, { limit, offset = 0, ...query }) {
  return request("GET", path, { query: { ...query, limit, offset } });
}

export const health = () => request("GET", "/api/health/");

// --- Account -------------------------------------------------------------------

export const identity = () => request("GET", "/api/accounts/identity/");
export const register = (body) => request("POST", "/api/accounts/register/", { body });

export async function signIn(username, password) {
  const user = await request("POST", "/api/accounts/login/", { body: { username, password } });
  forgetCsrf();
  return user;
}

export async function signOut() {
  await request("POST", "/api/accounts/logout/");
  forgetCsrf();
}

export async function deleteAccount(password) {
  await request("DELETE", "/api/accounts/me/", { body: { password } });
  forgetCsrf();
}

export const tokens = () => request("GET", "/api/accounts/tokens/");
export const createToken = (body) => request("POST", "/api/accounts/tokens/", { body });
export const revokeToken = (id) => request("DELETE", `/api/accounts/tokens/${id}/`);
export const exportUrl = () => url("/api/accounts/export/");
export const importData = (document) => request("POST", "/api/accounts/import/", { body: document });

// --- Questions, attempts, tags --------------------------------------------------

export const questionsPage = (query) => page("/api/questions/", query);
export const question = (id) => request("GET", `/api/questions/${id}/`);
export const createQuestion = (body) => request("POST", "/api/questions/", { body });
export const updateQuestion = (id, body) => request("PATCH", `/api/questions/${id}/`, { body });
export const deleteQuestion = (id) => request("DELETE", `/api/questions/${id}/`);

export const logs = (questionId) => request("GET", `/api/questions/${questionId}/logs/`);
export const createLog = (questionId, body) =>
  request("POST", `/api/questions/${questionId}/logs/`, { body });
export const updateLog = (questionId, id, body) =>
  request("PATCH", `/api/questions/${questionId}/logs/${id}/`, { body });
export const deleteLog = (questionId, id) =>
  request("DELETE", `/api/questions/${questionId}/logs/${id}/`);

export const tags = () => request("GET", "/api/tags/");
export const createTag = (name) => request("POST", "/api/tags/", { body: { name } });

// --- Practice and progress -------------------------------------------------------

export const reviewQueue = (limit = 20) => request("GET", "/api/review/", { query: { limit } });
export const forecast = (days = 14) => request("GET", "/api/review/forecast/", { query: { days } });
export const stats = (query) => request("GET", "/api/stats/", { query });

// --- Imports from Codewars and LeetCode --------------------------------------------

export const startImport = (platform, username) =>
  request("POST", `/api/import/${platform}/`, { body: { username } });
export const importJob = (id) => request("GET", `/api/import/jobs/${id}/`);
export const importJobs = () => request("GET", "/api/import/jobs/");
