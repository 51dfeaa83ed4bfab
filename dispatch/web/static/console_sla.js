"use strict";

async function load() {
  const response = await consoleFetch("/api/v1/reports/sla");
  if (response.status === 401) { showOnly("login", true); return; }
  const lines = await response.json();
  showOnly("report", true);
  const chart = document.getElementById("chart");
  const bar = 800 / Math.max(lines.length, 1);
  chart.replaceChildren();
  lines.forEach((line, i) => {
    const rate = Number(line.rate), height = 2.6 * rate, x = i * bar + 10, middle = x + (bar - 20) / 2;
    chart.append(
      element("svg:rect", {class: "bar", x, y: 300 - height, width: bar - 20, height,
                           fill: rate > 10 ? "#e12d39" : "#3ebd93"}),
      element("svg:text", {x: middle, y: 292 - height, "font-size": 13, "text-anchor": "middle"},
              `${rate}% (${line.breached}/${line.total - line.open})`),
      element("svg:text", {x: middle, y: 320, "font-size": 11, "text-anchor": "middle"},
              String(line.metric).replaceAll("_", " ")));
  });
  chart.append(element("svg:line", {x1: 0, y1: 300, x2: 800, y2: 300, stroke: "#52606d"}));
}

document.getElementById("csv").addEventListener("click", async (event) => {
  event.preventDefault();
  const response = await consoleFetch("/api/v1/reports/sla?format=csv");
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = "sla.csv";
  link.click();
});

wireLogin(load);
load();
