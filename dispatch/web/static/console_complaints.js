// The complaints queue: each open complaint with its clocks and who owns it, soonest due first.
"use strict";

function clockText(clock) {
  const due = new Date(clock.due_at).toLocaleString("en-GB", {dateStyle: "short",
                                                               timeStyle: "short"});
  if (clock.met_at) return `${clock.name} ✓`;
  return `${clock.name} ${clock.breached_at ? "⚠ " : ""}${due}`;
}

(async () => {
  const {body: queue} = await apiCall("/api/v1/desk/complaints");
  const rows = queue.map((item) => {
    const clocks = element("div");
    for (const clock of item.clocks) {
      const state = clock.met_at ? "met" : clock.breached_at ? "breached" : "open";
      clocks.append(element("div", {class: `clock clock-${state}`}, clockText(clock)));
    }
    const tr = row(`${item.number} · ${item.nature}/${item.severity}`, item.status,
                   `${item.owner.name} (${item.owner.role})`, clocks,
                   item.next_due ? new Date(item.next_due).toLocaleString("en-GB") : "");
    tr.dataset.complaintId = item.id;
    return tr;
  });
  document.querySelector("#queue tbody").replaceChildren(...rows);
  showOnly("empty", !queue.length);
})();
