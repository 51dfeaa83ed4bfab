"use strict";
(async () => {
  const {body: regions} = await apiCall("/api/v1/dayboard/regions");
  const select = document.getElementById("region");
  select.replaceChildren(...regions.map(r => element("option", {value: r.id}, r.name)));
  showOnly("no-regions", !regions.length);
  const day = document.getElementById("day");
  day.value = new Date().toLocaleDateString("en-CA", {timeZone: regions[0]?.timezone});
})();
