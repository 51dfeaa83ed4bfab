// Intake: find the caller by phone and see their history (INT-5, CMP-20), create the request,
// choose a window a technician can keep, and see the SMS that went out with its link.
"use strict";

const intake = {customers: [], request: null, zones: {}};

function whenIn(iso, zone) {
  return iso ? new Date(iso).toLocaleString("en-GB", {timeZone: zone, dateStyle: "short",
                                                      timeStyle: "short"}) : "";
}

function note(id, text, refused = false) {
  const box = document.getElementById(id);
  box.textContent = text;
  box.classList.toggle("refused", refused);
  box.classList.toggle("hidden", !text);
}

async function lookUp(phone) {
  const {body} = await apiCall(`/api/v1/desk/caller?phone=${encodeURIComponent(phone)}`);
  intake.customers = body;
  showCaller(body[0]);
  note("lookup-message", body.length ? "" : t("no caller"));
  showOnly("new-customer", !body.length);
  return body;
}

function showCaller(customer) {
  const site = customer && customer.sites.find(s => s.region_id !== null);
  const zone = site ? intake.zones[String(site.region_id)] : undefined;
  const when = (iso) => whenIn(iso, zone);
  const caller = document.getElementById("caller");
  caller.replaceChildren();
  for (const id of ["notes", "requests", "complaints"]) document.getElementById(id).replaceChildren();
  showOnly("new-request", Boolean(customer));
  if (!customer) return;
  caller.append(element("strong", {}, customer.name), element("span", {}, ` ${customer.phone} · ${customer.tier}`));
  if (customer.notes) caller.append(element("p", {}, customer.notes));
  document.getElementById("notes").replaceChildren(...customer.special_notes.map(n =>
    element("li", {class: "note"}, n.note)));
  const rows = [];
  for (const r of customer.requests) {
    rows.push(row(r.number, r.request_type, r.status, when(r.registered_at), r.fault_description));
    for (const v of r.visits) {
      rows.push(row("", v.number, v.status, when(v.window_start), v.technician || ""));
    }
  }
  document.getElementById("requests").replaceChildren(...rows);
  document.getElementById("complaints").replaceChildren(...customer.complaints.map(c =>
    row(c.number, c.nature, c.status, when(c.received_at), c.description)));
  document.getElementById("site").replaceChildren(...customer.sites.map(s =>
    element("option", {value: s.id, "data-region-id": s.region_id ?? ""}, s.address)));
}

async function createRequest(form) {
  const data = new FormData(form);
  const customer = intake.customers[0];
  const body = {customer_id: customer.id, site_id: Number(data.get("site_id")),
                request_type: data.get("request_type"), channel: "phone", category: "appliance",
                service_class: data.get("service_class"),
                product_model: data.get("product_model"),
                fault_description: data.get("fault_description")};
  try {
    const {body: created} = await apiCall("/api/v1/requests", {method: "POST",
                                                               body: JSON.stringify(body)});
    intake.request = created;
    document.getElementById("created").textContent = created.number;
    showOnly("new-request", false);
    await showSlots(created);
  } catch (error) {
    if (error.status !== 401) note("intake-message", refusalText(error), true);
  }
}

function zoneOfSite() {
  const option = document.getElementById("site").selectedOptions[0];
  return intake.zones[option ? option.dataset.regionId : ""] || "Asia/Shanghai";
}

async function showSlots(request) {
  const zone = zoneOfSite();
  const {body: slots} = await apiCall(`/api/v1/requests/${request.id}/slots`);
  showOnly("slots-panel", true);
  const list = document.getElementById("slots");
  list.replaceChildren(...slots.map((slot) => {
    const li = element("li", {class: "slot"},
      `${whenIn(slot.window_start, zone)}–${localTime(slot.window_end, zone)}`);
    li.addEventListener("click", () => book(request, slot));
    return li;
  }));
  if (!slots.length) list.replaceChildren(element("li", {}, t("no windows")));
}

async function book(request, slot) {
  try {
    const {body: visit} = await apiCall(`/api/v1/requests/${request.id}/visits`, {method: "POST",
      body: JSON.stringify({window_start: slot.window_start, window_end: slot.window_end})});
    note("intake-message", `${t("booked")}: ${visit.number}`);
    showOnly("slots-panel", false);
    const customers = await lookUp(document.getElementById("phone").value);
    const booked = customers.flatMap(c => c.requests).flatMap(r => r.visits)
      .find(v => v.id === visit.id);
    showMessages(booked ? booked.messages : []);
    await showLinks(visit.id);
  } catch (error) {
    if (error.status !== 401) note("intake-message", refusalText(error), true);
  }
}

// The customer's live links for this visit, each with a resend button (issue 12).
async function showLinks(visitId) {
  const {body: page} = await apiCall(`/api/v1/visits/${visitId}/links`);
  document.getElementById("links").replaceChildren(...page.items.filter((link) => link.live)
    .map((link) => {
      const li = element("li", {class: "link", "data-link-id": link.id}, `${link.purpose} `);
      const button = element("button", {type: "button", class: "resend"}, t("resend"));
      button.addEventListener("click", () => resend(link, li, button));
      li.append(button);
      return li;
    }));
}

function newKey() {
  return window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

async function resend(link, li, button) {
  button.disabled = true;  // one press, one SMS; the key makes a retried press harmless
  try {
    await apiCall(`/api/v1/links/${link.id}/resend`, {method: "POST",
                                                      headers: {"Idempotency-Key": newKey()}});
    li.append(element("span", {class: "resent"}, ` ${t("resent")}`));
  } catch (error) {
    if (error.status !== 401) note("intake-message", refusalText(error), true);
  } finally {
    button.disabled = false;
  }
}

function showMessages(messages) {
  showOnly("sms-panel", true);
  document.getElementById("sms").replaceChildren(...messages.map((sms) => {
    const li = element("li", {class: "sms", "data-sms-id": sms.id});
    li.append(element("strong", {}, `${sms.template} · ${sms.status}`), element("br"),
              element("span", {class: "sms-body"}, sms.body));
    const link = sms.body.match(/https?:\/\/\S+\/l\/[\w.-]+/);
    if (link) {
      li.append(element("br"), element("a", {href: link[0], target: "_blank", rel: "noopener",
                                             class: "sms-link"}, link[0]));
    }
    return li;
  }));
}

document.getElementById("lookup").addEventListener("submit", (event) => {
  event.preventDefault();
  lookUp(document.getElementById("phone").value).catch((error) => {
    if (error.status !== 401) note("lookup-message", refusalText(error), true);
  });
});
// A first-time caller: register them with their consent and the service address (INT-5).
async function registerCaller(form) {
  const data = new FormData(form);
  const phone = document.getElementById("phone").value;
  try {
    const {body: customer} = await apiCall("/api/v1/customers", {method: "POST",
      body: JSON.stringify({name: data.get("name"), phone,
        consent: {channel: "phone", notice_version: data.get("notice_version")}})});
    await apiCall(`/api/v1/customers/${customer.id}/sites`, {method: "POST",
      body: JSON.stringify({address: data.get("address")})});
    showOnly("new-customer", false);
    await lookUp(phone);
  } catch (error) {
    if (error.status !== 401) note("lookup-message", refusalText(error), true);
  }
}

document.getElementById("new-customer").addEventListener("submit", (event) => {
  event.preventDefault();
  registerCaller(event.target);
});
document.getElementById("new-request").addEventListener("submit", (event) => {
  event.preventDefault();
  createRequest(event.target);
});
// Requests customers sent on the public web form (INT-15), waiting for an agent: register one
// as a service request, then the caller's file and the windows open as for a phone call.
async function showWebRequests() {
  const {body: page} = await apiCall("/api/v1/web-requests?limit=50");
  const table = document.getElementById("web-requests");
  table.replaceChildren(...page.items.map((item) => {
    const tr = row(whenIn(item.submitted_at, intake.zones[String(item.region_id)]), item.name,
                   item.phone, item.address, item.product_model || "", item.fault_description);
    tr.dataset.webRequestId = item.id;
    const classes = element("select", {class: "service-class"});
    classes.append(...["A", "B", "C", "D"].map(c =>
      element("option", c === "C" ? {selected: ""} : {}, c)));
    const button = element("button", {type: "button", class: "register"}, t("register"));
    button.addEventListener("click", () => registerWebRequest(item, classes.value, button));
    const cell = element("td");
    cell.append(classes, button);
    tr.append(cell);
    return tr;
  }));
  if (!page.items.length) table.replaceChildren(row(t("no web requests")));
}

async function registerWebRequest(item, serviceClass, button) {
  button.disabled = true;  // one press, one request; a second press answers web_request_done
  try {
    const {body: created} = await apiCall(`/api/v1/web-requests/${item.id}/register`, {
      method: "POST", body: JSON.stringify({service_class: serviceClass})});
    document.getElementById("phone").value = item.phone;
    await lookUp(item.phone);
    intake.request = created;
    document.getElementById("created").textContent = created.number;
    showOnly("new-request", false);
    await showWebRequests();
    await showSlots(created);
  } catch (error) {
    button.disabled = false;
    if (error.status !== 401) note("intake-message", refusalText(error), true);
  }
}

apiCall("/api/v1/dayboard/regions").then(({body}) => {
  intake.zones = Object.fromEntries(body.map(r => [String(r.id), r.timezone]));
}).catch(() => {});
showWebRequests().catch((error) => {
  if (error.status !== 401) note("intake-message", refusalText(error), true);
});
