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
