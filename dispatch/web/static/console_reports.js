"use strict";
// The chart is an SVG the server draws (no script inside); the table is built as text nodes.

const BY = {complaints: true, requests: true};
// JSON objects come with sorted keys; the row's label columns go first.
const LABELS = ["key", "region", "technician", "model", "section", "metric", "number"];

function params() {
  const form = new FormData(document.getElementById("choice"));
  const [year, month] = String(form.get("month")).split("-").map(Number);
  // Month boundaries at local midnight of the browser's time zone, sent as UTC instants.
  const query = new URLSearchParams({
    start: new Date(year, month - 1, 1).toISOString(),
    end: new Date(year, month, 1).toISOString(),
  });
  if (form.get("region_id")) query.set("region_id", form.get("region_id"));
  if (BY[form.get("report")]) query.set("by", form.get("by"));
  return [form.get("report"), query];
}

function table(rows) {
  const head = document.querySelector("#rows thead"), body = document.querySelector("#rows tbody");
  head.replaceChildren(); body.replaceChildren();
  if (!rows.length) { body.append(row("No data in this period")); return; }
  const names = Object.keys(rows[0]).sort(
    (a, b) => (LABELS.includes(b) - LABELS.includes(a)) || (LABELS.indexOf(a) - LABELS.indexOf(b)));
  head.append(row(...names));
  for (const line of rows) body.append(row(...names.map((n) => line[n] ?? "–")));
}

async function load() {
  const [report, query] = params();
  const path = `/api/v1/reports/${report}?${query}`;
  const response = await consoleFetch(path);
  if (response.status === 401) { showOnly("login", true); return; }
  showOnly("report", true);
  const error = document.getElementById("error");
  if (!response.ok) { error.textContent = (await response.json()).message; return; }
  error.textContent = "";
  table(await response.json());
  document.getElementById("chart").src = `${path}&format=svg`;
  document.getElementById("csv").href = `${path}&format=csv`;
}

const month = document.querySelector("input[name=month]");
month.value = new Date().toISOString().slice(0, 7);
document.getElementById("choice").addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});
wireLogin(load);
load();
