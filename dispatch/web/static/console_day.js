// The day of a region: map, timelines and tray; assign/move by drag or button, pin, plan, live.
// Every record comes from the API and goes into the page as text (never as markup).
"use strict";

const COLOURS = ["#e12d39", "#2680c2", "#3ebd93", "#f0b429", "#8719e0", "#ef8e58",
                 "#0a6c74", "#9b2c2c", "#486581", "#c99a2e"];
const FIRST_HOUR = 7, HOURS = 14, SNAP_MINUTES = 5, POLL_MS = 2000;
const params = new URLSearchParams(location.search);
const state = {regionId: Number(params.get("region_id")), day: params.get("day"), board: null,
               etag: null, selected: null, map: null, layers: null, fitted: false, plan: null};

// --- Time in the region's zone ---
function zoneOffsetMinutes(zone, at) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {timeZone: zone,
    hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
    minute: "2-digit", second: "2-digit"}).formatToParts(at).map(p => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute,
                         +parts.second);
  return Math.round((asUtc - at.getTime()) / 60000);
}

function localMs(hhmm) {
  const [y, m, d] = state.day.split("-").map(Number);
  const [h, mi] = hhmm.split(":").map(Number);
  const guess = Date.UTC(y, m - 1, d, h, mi);
  return guess - zoneOffsetMinutes(zone(), new Date(guess)) * 60000;
}

function zone() { return state.board ? state.board.region.timezone : "Asia/Shanghai"; }
function hhmm(iso) { return localTime(iso, zone()); }
function dayStartMs() { return localMs(`${String(FIRST_HOUR).padStart(2, "0")}:00`); }
function percentOf(iso) {
  return Math.max(0, Math.min(100, (new Date(iso) - dayStartMs()) / (HOURS * 36000)));
}

// --- Loading (polling with ETag: an unchanged day answers 304 and costs nothing to draw) ---
async function load(force = false) {
  const headers = state.etag && !force ? {"If-None-Match": state.etag} : {};
  const url = `/api/v1/dayboard?region_id=${state.regionId}&day=${state.day}`;
  const {status, body, headers: got} = await apiCall(url, {headers});
  document.getElementById("live").dataset.seen = new Date().toISOString();
  if (status === 304) return;
  state.etag = got.get("ETag");
  state.board = body;
  render();
}

async function poll() {
  try { await load(); document.getElementById("live").classList.remove("stale"); }
  catch (error) { document.getElementById("live").classList.add("stale"); }
  setTimeout(poll, POLL_MS);
}

function visitById(id) { return state.board.visits.find(v => v.id === id); }

function render() {
  const board = state.board;
  document.getElementById("region-name").textContent = board.region.name;
  document.getElementById("totals").textContent =
    `${t("travel")} ${Math.round(board.totals.travel_seconds / 60)} min · ` +
    `${t("unassigned")} ${board.totals.unassigned}`;
  renderTray(board);
  renderTimeline(board);
  renderMap(board);
  if (state.selected) selectVisit(state.selected, false);
}

// --- Tray ---
function visitCard(visit) {
  const li = element("li", {"data-visit-id": visit.id, draggable: "true", class: "visit-card"});
  li.append(element("strong", {}, visit.number), element("span", {}, ` ${visit.customer} `),
            element("span", {class: "window"},
                    `${hhmm(visit.window_start)}–${hhmm(visit.window_end)}`));
  if (visit.required_skill) li.append(element("span", {class: "skill"}, ` ${visit.required_skill}`));
  if (visit.at_risk) li.append(element("span", {class: "risk"}, ` ETA ${hhmm(visit.eta)}`));
  li.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/plain", String(visit.id)));
  li.addEventListener("click", () => selectVisit(visit.id));
  return li;
}

function renderTray(board) {
  const fill = (id, items, count) => {
    document.getElementById(id).replaceChildren(...items);
    document.getElementById(count).textContent = `(${items.length})`;
  };
  fill("tray-unassigned", board.tray.unassigned.map(id => visitCard(visitById(id))),
       "count-unassigned");
  fill("tray-at-risk", board.tray.at_risk.map(id => visitCard(visitById(id))), "count-at-risk");
  fill("tray-overdue", board.tray.overdue.map(r => element("li", {class: "overdue"},
       `${r.number} · ${r.customer} · ${t("due")} ${new Date(r.due_at).toLocaleString()}`)),
       "count-overdue");
}

// --- Timelines: one lane per technician; drop a visit on a lane to put it there ---
function renderTimeline(board) {
  const scale = document.getElementById("scale");
  scale.replaceChildren(element("span", {class: "lane-name"}, ""));
  const ticks = element("div", {class: "track"});
  for (let h = 0; h <= HOURS; h += 2) {
    const tick = element("span", {class: "tick"}, `${FIRST_HOUR + h}:00`);
    tick.style.left = `${(h / HOURS) * 100}%`;
    ticks.append(tick);
  }
  scale.append(ticks);
  const lanes = board.technicians.map((tech, i) => lane(tech, COLOURS[i % COLOURS.length]));
  document.getElementById("timeline").replaceChildren(...lanes);
}

function lane(tech, colour) {
  const row = element("div", {class: "lane", "data-technician-id": tech.id});
  const name = element("div", {class: "lane-name"});
  const swatch = element("span", {class: "swatch"});
  swatch.style.background = colour;
  name.append(swatch, element("span", {class: "name"}, tech.name),
              element("span", {class: `status status-${tech.status}`}, t(tech.status)));
  const track = element("div", {class: "track"});
  if (tech.shift) {
    const shift = element("div", {class: "shift"});
    place(shift, tech.shift[0], tech.shift[1]);
    track.append(shift);
  }
  for (const item of tech.items) {
    const box = element("div", {class: `item item-${item.kind}`,
                                title: `${item.label} ${hhmm(item.start)}–${hhmm(item.end)}`});
    place(box, item.start, item.end);
    if (item.kind === "visit") {
      const visit = visitById(item.visit_id);
      box.dataset.visitId = item.visit_id;
      box.textContent = item.label;
      box.draggable = visit && visit.status === "scheduled";
      box.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/plain",
                                                                       String(item.visit_id)));
      box.addEventListener("click", () => selectVisit(item.visit_id));
      if (visit && visit.pinned) box.classList.add("pinned");
      if (visit && visit.at_risk) box.classList.add("at-risk");
      box.style.borderColor = colour;
    } else if (item.kind !== "travel") {
      box.textContent = item.label;
    }
    track.append(box);
  }
  track.addEventListener("dragover", (e) => { e.preventDefault(); track.classList.add("over"); });
  track.addEventListener("dragleave", () => track.classList.remove("over"));
  track.addEventListener("drop", (e) => {
    e.preventDefault();
    track.classList.remove("over");
    const visitId = Number(e.dataTransfer.getData("text/plain"));
    const box = track.getBoundingClientRect();
    const share = Math.max(0, Math.min(1, (e.clientX - box.left) / box.width));
    dropVisit(visitId, tech.id, dayStartMs() + share * HOURS * 3600000);
  });
  row.append(name, track);
  return row;
}

function place(node, start, end) {
  const left = percentOf(start);
  node.style.left = `${left}%`;
  node.style.width = `${Math.max(0.4, percentOf(end) - left)}%`;
}

// A drop lands at the time under the pointer, kept inside the customer's window.
function dropVisit(visitId, technicianId, atMs) {
  const visit = visitById(visitId);
  if (!visit) return;
  const snap = SNAP_MINUTES * 60000;
  const latest = new Date(visit.window_end) - 0;
  const start = Math.min(Math.max(Math.round(atMs / snap) * snap, new Date(visit.window_start) - 0),
                         latest);
  move(visitId, {technician_id: technicianId, pin_technician: true,
                 pinned_start: new Date(start).toISOString()});
}

// Every move and pin keeps the dispatcher's reason with the assignment (DSP-3).
function moveReason() {
  const field = document.getElementById("move-reason");
  return (field && field.value.trim()) || t("moved on the board");
}

async function move(visitId, change) {
  try {
    await apiCall(`/api/v1/visits/${visitId}/pin`, {method: "POST",
                                                   body: JSON.stringify({...change, reason: moveReason()})});
    say(t("saved"), false);
    await load(true);
  } catch (error) {
    if (error.status === 401) return;
    say(`${t("refused")}: ${refusalText(error)}`, true);
  }
}

function say(text, refused) {
  const box = document.getElementById("message");
  box.textContent = text;
  box.classList.toggle("refused", refused);
  box.classList.remove("hidden");
}

// --- The selected visit: assign by button, pin, unpin ---
function selectVisit(visitId, reset = true) {
  const visit = visitById(visitId);
  if (!visit) return;
  state.selected = visitId;
  showOnly("visit-panel", true);
  document.getElementById("visit-title").textContent = `${visit.number} · ${visit.customer}`;
  document.getElementById("visit-detail").textContent =
    `${visit.address} · ${hhmm(visit.window_start)}–${hhmm(visit.window_end)} · ` +
    `${t(visit.status)}${visit.pinned ? " · " + t("pinned") : ""}`;
  if (!reset) return;
  const select = document.getElementById("visit-technician");
  select.replaceChildren(...state.board.technicians.map(tech =>
    element("option", {value: tech.id}, tech.name)));
  if (visit.technician_id) select.value = String(visit.technician_id);
  document.getElementById("visit-start").value = hhmm(visit.planned_start || visit.window_start);
}

function selectedChange(pin) {
  const start = document.getElementById("visit-start").value;
  return {technician_id: Number(document.getElementById("visit-technician").value),
          pin_technician: pin, pinned_start: start ? new Date(localMs(start)).toISOString() : null};
}

document.getElementById("visit-assign").addEventListener("click",
  () => move(state.selected, selectedChange(true)));
document.getElementById("visit-pin").addEventListener("click",
  () => move(state.selected, selectedChange(true)));
document.getElementById("visit-unpin").addEventListener("click",
  () => move(state.selected, {technician_id: null, pin_technician: false, pinned_start: null}));

// --- Map: Leaflet over configured tiles, or a plain coordinate canvas without any ---
function renderMap(board) {
  if (!state.map) {
    state.map = L.map("map", {attributionControl: false, zoomSnap: 0.25});
    const tiles = document.getElementById("board").dataset.tileUrl;
    if (tiles) L.tileLayer(tiles, {maxZoom: 19}).addTo(state.map);
    else document.getElementById("map").classList.add("plain");
    state.layers = L.layerGroup().addTo(state.map);
  }
  state.layers.clearLayers();
  const points = [];
  board.technicians.forEach((tech, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const stops = tech.route.map(visitById).filter(v => v && v.lat !== null);
    const line = [tech.home, ...stops.map(v => [v.lat, v.lon])].filter(Boolean);
    if (line.length > 1) L.polyline(line, {color: colour, weight: 3}).addTo(state.layers);
    stops.forEach((v, n) => {
      L.circleMarker([v.lat, v.lon], {radius: 8, color: colour, fillOpacity: 0.9,
                                      className: `stop visit-${v.id}`})
        .bindTooltip(`${n + 1}. ${v.number}`).addTo(state.layers);
    });
    if (tech.position) {
      L.circleMarker([tech.position.lat, tech.position.lon], {radius: 6, color: "#102a43",
        fillColor: colour, fillOpacity: 1, className: `technician technician-${tech.id}`})
        .bindTooltip(`${tech.name} · ${t(tech.status)}`).addTo(state.layers);
    }
    points.push(...line);
  });
  for (const id of board.tray.unassigned) {
    const v = visitById(id);
    if (!v || v.lat === null) continue;
    L.circleMarker([v.lat, v.lon], {radius: 7, color: "#52606d", dashArray: "3",
                                    className: `unassigned visit-${v.id}`})
      .bindTooltip(`${v.number} · ${t("unassigned")}`).addTo(state.layers);
    points.push([v.lat, v.lon]);
  }
  if (state.plan) drawProposed(state.plan.result);
  if (!state.fitted && points.length) {
    state.map.fitBounds(L.latLngBounds(points), {padding: [20, 20]});
    state.fitted = true;
  }
}

function drawProposed(result) {
  result.routes.forEach((route) => {
    const line = [route.home, ...route.stops.map(s => [s.lat, s.lon])].filter(Boolean);
    if (line.length > 1) {
      L.polyline(line, {color: "#102a43", weight: 2, dashArray: "6 6", className: "proposed"})
        .addTo(state.layers);
    }
  });
}

// --- Plan the day: progress while the planner runs, then proposed beside current ---
async function runPlan() {
  try {
    const {body} = await apiCall("/api/v1/plans", {method: "POST",
      body: JSON.stringify({region_id: state.regionId, day: state.day})});
    showOnly("plan-bar", true);
    watchPlan(body.id);
  } catch (error) {
    if (error.status !== 401) say(`${t("refused")}: ${refusalText(error)}`, true);
  }
}

async function watchPlan(planId) {
  const {body: plan} = await apiCall(`/api/v1/plans/${planId}`);
  document.getElementById("plan-progress").style.width = `${Number(plan.progress)}%`;
  document.getElementById("plan-state").textContent = `${t(plan.status)} ${plan.progress}%`;
  if (plan.status === "queued" || plan.status === "running") {
    setTimeout(() => watchPlan(planId), 700);
    return;
  }
  if (plan.status === "ready") showProposal(plan);
  else if (plan.error) say(`${t("refused")}: ${plan.error}`, true);
}

function showProposal(plan) {
  state.plan = plan;
  const result = plan.result;
  const proposed = Object.fromEntries(result.routes.map(r => [r.technician_id, r]));
  const rows = state.board.technicians.map((tech) => {
    const route = proposed[tech.id];
    const now = tech.travel_seconds, then = route ? route.travel_seconds : 0;
    return row(tech.name, `${tech.route.length} · ${Math.round(now / 60)} min`,
               `${route ? route.stops.length : 0} · ${Math.round(then / 60)} min`,
               signed(Math.round((then - now) / 60)) + " min");
  });
  document.querySelector("#plan-compare tbody").replaceChildren(...rows);
  const nowTravel = state.board.totals.travel_seconds;
  const planTravel = result.routes.reduce((sum, r) => sum + r.travel_seconds, 0);
  const nowOpen = state.board.totals.unassigned, planOpen = result.unassigned.length;
  document.getElementById("plan-summary").textContent =
    `${t("travel")}: ${Math.round(nowTravel / 60)} → ${Math.round(planTravel / 60)} min ` +
    `(${signed(Math.round((planTravel - nowTravel) / 60))}) · ${t("unassigned")}: ` +
    `${nowOpen} → ${planOpen} (${signed(planOpen - nowOpen)})`;
  showOnly("plan-panel", true);
  renderMap(state.board);
}

function signed(n) { return n > 0 ? `+${n}` : String(n); }

async function finishPlan(verb) {
  try {
    await apiCall(`/api/v1/plans/${state.plan.id}/${verb}`, {method: "POST"});
    say(t(verb === "accept" ? "plan accepted" : "plan discarded"), false);
  } catch (error) {
    if (error.status !== 401) say(`${t("refused")}: ${refusalText(error)}`, true);
  }
  state.plan = null;
  showOnly("plan-panel", false);
  showOnly("plan-bar", false);
  await load(true);
}

document.getElementById("plan-run").addEventListener("click", runPlan);
document.getElementById("plan-accept").addEventListener("click", () => finishPlan("accept"));
document.getElementById("plan-discard").addEventListener("click", () => finishPlan("discard"));
const dayInput = document.getElementById("day");
dayInput.value = state.day;
dayInput.addEventListener("change", () => {
  params.set("day", dayInput.value);
  location.search = params.toString();
});

poll();
