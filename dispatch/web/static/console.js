// Shared by the console pages. The session is an HttpOnly, SameSite=Strict cookie that page
// scripts cannot read; writes carry the CSRF token of the readable csrf cookie (double submit).
// Data from the API goes into the page as text (textContent, DOM nodes), never as markup.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrf_access_token=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function consoleFetch(path, options = {}) {
  const headers = {"Content-Type": "application/json", "X-CSRF-TOKEN": csrfToken(),
                   ...(options.headers || {})};
  return fetch(path, {...options, headers, credentials: "same-origin"});
}

function element(tag, attributes = {}, text = null) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4))
                                      : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = String(text);
  return node;
}

function row(...cells) {
  const tr = element("tr");
  for (const cell of cells) {
    const td = element("td");
    if (cell instanceof Node) td.append(cell); else td.textContent = String(cell);
    tr.append(td);
  }
  return tr;
}

function showOnly(id, on) { document.getElementById(id).classList.toggle("hidden", !on); }

// Wire the sign-in form: on success the server sets the cookies and `onSignedIn` runs.
function wireLogin(onSignedIn) {
  const form = document.getElementById("login");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const response = await fetch("/api/v1/auth/session", {method: "POST",
      headers: {"Content-Type": "application/json"}, credentials: "same-origin",
      body: JSON.stringify({username: data.get("username"), password: data.get("password")})});
    if (!response.ok) {
      const error = document.getElementById("login-error");
      if (error) error.textContent = (await response.json()).message;
      return;
    }
    showOnly("login", false);
    onSignedIn();
  });
}

// --- Console pages (issue 12): texts in the page's language, the API, sign-in and sign-out ---
function texts() {
  const holder = document.getElementById("texts");
  return holder ? JSON.parse(holder.dataset.texts || "{}") : {};
}

function t(key) { return texts()[key] || key; }

class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

// Call the API; a 401 sends the dispatcher to the sign-in page and back here afterwards.
async function apiCall(path, options = {}) {
  const response = await consoleFetch(path, options);
  if (response.status === 401) {
    const next = encodeURIComponent(location.pathname + location.search);
    location.assign(`/console/login?next=${next}`);
    throw new ApiError(401, {message: "signed out"});
  }
  const body = response.status === 204 || response.status === 304 ? null : await response.json();
  if (!response.ok && response.status !== 304) throw new ApiError(response.status, body || {});
  return {status: response.status, body, headers: response.headers};
}

// Say why the server refused something: its message and each reason it gave.
function refusalText(error) {
  const body = error.body || {};
  const parts = [body.message || error.message];
  const details = body.details || {};
  for (const [field, value] of Object.entries(details)) {
    if (field === "alternatives") continue;
    if (Array.isArray(value)) {
      for (const item of value) {
        parts.push(typeof item === "object" ? Object.entries(item).map(([k, v]) => `${k} ${v}`)
          .join(", ") : `${field}: ${item}`);
      }
    } else if (value !== null && typeof value === "object") {
      parts.push(`${field}: ${JSON.stringify(value)}`);
    } else {
      parts.push(`${field}: ${value}`);
    }
  }
  return `${parts.join(" · ")} (${body.error_code || error.status})`;
}

function localTime(iso, zone) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString("en-GB", {hour: "2-digit", minute: "2-digit",
                                                    timeZone: zone});
}

document.addEventListener("DOMContentLoaded", () => {
  const out = document.getElementById("sign-out");
  if (!out) return;
  out.addEventListener("click", async (event) => {
    event.preventDefault();
    await consoleFetch("/api/v1/auth/session", {method: "DELETE"});
    location.assign("/console/login");
  });
});
