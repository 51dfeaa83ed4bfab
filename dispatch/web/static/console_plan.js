"use strict";
const planId = Number(document.getElementById("plan").dataset.planId);
const colours = ["#e12d39", "#2680c2", "#3ebd93", "#f0b429", "#8719e0", "#ef8e58",
                 "#0a6c74", "#9b2c2c", "#486581", "#c99a2e"];

async function api(path, options = {}) {
  const response = await consoleFetch(path, options);
  if (response.status === 401) { showLogin(); throw new Error("signed out"); }
  return response.json();
}

function showLogin() { showOnly("login", true); showOnly("plan", false); }

function text(id, value) { document.getElementById(id).textContent = value; }

function draw(result) {
  const points = [];
  for (const route of result.routes) {
    if (route.home) points.push(route.home);
    for (const stop of route.stops) points.push([stop.lat, stop.lon]);
  }
  for (const item of result.unassigned) points.push([item.lat, item.lon]);
  const svg = document.getElementById("map");
  svg.replaceChildren();
  if (points.length) drawMap(svg, result, points);
  const legend = document.getElementById("legend");
  legend.replaceChildren(...result.routes.map((r, i) => {
    const swatch = element("span");
    swatch.style.background = colours[i % colours.length];
    const name = element("span", {class: "name"}, r.technician);
    const cell = element("div");
    cell.append(swatch, name);
    return row(cell, `${r.stops.length} visits`, `${Math.round(r.travel_seconds / 60)} min`);
  }));
  const unassigned = document.getElementById("unassigned");
  unassigned.replaceChildren(...result.unassigned.map(u =>
    row(`#${u.visit_id}`, String(u.reason).replaceAll("_", " "))));
  if (!result.unassigned.length) unassigned.replaceChildren(row("none"));
}

function drawMap(svg, result, points) {
  const lats = points.map(p => p[0]), lons = points.map(p => p[1]);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats),
                                            Math.min(...lons), Math.max(...lons)];
  const scale = Math.min(740 / Math.max(maxLon - minLon, 1e-4),
                         500 / Math.max(maxLat - minLat, 1e-4));
  const left = 30 + (740 - (maxLon - minLon) * scale) / 2;
  const bottom = 530 - (500 - (maxLat - minLat) * scale) / 2;
  const xy = ([lat, lon]) => [left + (lon - minLon) * scale, bottom - (lat - minLat) * scale];
  result.routes.forEach((route, i) => {
    const colour = colours[i % colours.length];
    const path = [route.home, ...route.stops.map(s => [s.lat, s.lon]), route.home]
      .filter(Boolean).map(xy).map(p => p.join(",")).join(" ");
    svg.append(element("svg:polyline", {class: "route", points: path, fill: "none",
      stroke: colour, "stroke-width": 3, "stroke-linejoin": "round", opacity: ".85"}));
    route.stops.forEach((stop, n) => {
      const [x, y] = xy([stop.lat, stop.lon]);
      svg.append(element("svg:circle", {class: "stop", cx: x, cy: y, r: 9, fill: colour}),
                 element("svg:text", {x, y: y + 4, "font-size": 10, "text-anchor": "middle",
                                      fill: "#fff"}, n + 1));
    });
    if (route.home) {
      const [x, y] = xy(route.home);
      svg.append(element("svg:rect", {x: x - 6, y: y - 6, width: 12, height: 12,
                                      fill: colour, stroke: "#102a43"}));
    }
  });
  for (const item of result.unassigned) {
    const [x, y] = xy([item.lat, item.lon]);
    svg.append(element("svg:text", {class: "unassigned", x, y: y + 5, "font-size": 18,
                                    "text-anchor": "middle", fill: "#52606d"}, "✕"));
  }
}

async function poll() {
  const plan = await api(`/api/v1/plans/${planId}`);
  showOnly("plan", true);
  text("state", `${plan.status} · ${plan.progress}%`);
  document.getElementById("progress").style.width = Number(plan.progress) + "%";
  if (plan.best_cost != null) {
    text("cost", `Best so far: ${Math.round(plan.best_cost / 60)} min of driving`);
  }
  if (plan.result) draw(plan.result);
  showOnly("actions", plan.status === "ready");
  if (plan.status === "queued" || plan.status === "running") setTimeout(poll, 1000);
}

for (const verb of ["accept", "discard"]) {
  document.getElementById(verb).addEventListener("click", async () => {
    await api(`/api/v1/plans/${planId}/${verb}`, {method: "POST"});
    poll();
  });
}

wireLogin(poll);
poll().catch(() => {});
