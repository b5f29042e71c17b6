// The site lead's phone page (see planner/ops/page.py). Served as a file, never
// inline, so the page's content security policy can forbid inline script.
var CONFIG = JSON.parse(document.getElementById("config").textContent);
(function () {
  var T = CONFIG.t, SITE = CONFIG.site;
  var API = "/api/v1/sites/" + encodeURIComponent(SITE);
  var CODE_KEY = "ops_code_" + SITE, BOX_KEY = "ops_outbox_" + SITE;
  var sending = false, lastReports = [];

  function $(id) { return document.getElementById(id); }
  function load(key, dflt) {
    try { var v = window.localStorage.getItem(key); return v === null ? dflt : JSON.parse(v); }
    catch (e) { return dflt; }
  }
  function save(key, value) { window.localStorage.setItem(key, JSON.stringify(value)); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function now() { var d = new Date(); return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function newId() {
    var bytes = new Uint8Array(12), out = "", i;
    if (window.crypto && window.crypto.getRandomValues) { window.crypto.getRandomValues(bytes); }
    else { for (i = 0; i < 12; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    for (i = 0; i < 12; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return SITE.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 20) + "-" + out;
  }
  function code() { return load(CODE_KEY, ""); }
  function fmt(s, n) { return s.replace("{n}", n); }

  function render() {
    var box = load(BOX_KEY, []), el = $("outbox");
    el.setAttribute("data-pending", String(box.length));
    if (box.length) { el.className = ""; el.textContent = fmt(T.pending, box.length); }
    else { el.className = "ok"; el.textContent = T.all_sent; }
  }

  function request(method, url, body, done) {
    var x = new XMLHttpRequest();
    x.open(method, url, true);
    x.setRequestHeader("Authorization", "Bearer " + code());
    if (body) { x.setRequestHeader("Content-Type", "application/json"); }
    x.timeout = 15000;
    x.onload = function () {
      var data = null;
      try { data = JSON.parse(x.responseText); } catch (e) { data = null; }
      done(x.status, data);
    };
    x.onerror = x.ontimeout = function () { done(0, null); };
    x.send(body ? JSON.stringify(body) : null);
  }

  function flush() {
    if (sending || !code()) { return; }
    var box = load(BOX_KEY, []);
    if (!box.length) { render(); return; }
    sending = true;
    var item = box[0];
    request("POST", API + "/reports", item, function (status, data) {
      sending = false;
      var rest = load(BOX_KEY, []).filter(function (r) { return r.report_id !== item.report_id; });
      if (status === 201 || status === 200) {
        save(BOX_KEY, rest); $("error").textContent = ""; render(); refresh(); flush();
      } else if (status === 422) {
        // the server will never take it: drop it from the queue, say why
        save(BOX_KEY, rest); render();
        $("error").textContent = T.rejected + "：" + (data && data.detail ? data.detail : status);
        flush();
      } else if (status === 401 || status === 403) {
        $("error").textContent = T.bad_code; render();
      } else {
        $("error").textContent = status === 0 ? T.offline : (data && data.detail ? data.detail : String(status));
        render();
      }
    });
  }

  function refresh() {
    if (!code()) { return; }
    request("GET", API + "/reports", null, function (status, data) {
      if (status === 200 && data) { lastReports = data; }
      request("GET", API + "/plan", null, function (st, plan) {
        if (st === 200 && plan) { drawPlan(plan); }
      });
    });
  }

  // cells are text nodes, never parsed HTML: whatever the answer holds stays text
  function row(tag, cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (c) {
      var td = document.createElement(tag);
      td.textContent = String(c);
      tr.appendChild(td);
    });
    return tr;
  }

  function drawPlan(plan) {
    var table = $("plan"), cum = 0;
    while (table.firstChild) { table.removeChild(table.firstChild); }
    table.appendChild(row("th", [T.slot, T.planned, T.planned_cum, T.reported]));
    plan.slots.forEach(function (s) {
      cum += s.people;
      var rep = "";
      lastReports.forEach(function (r) { if (r.at >= s.slot_start && r.at <= s.slot_end) { rep = String(r.sampled); } });
      table.appendChild(row("td", [s.slot_start + "-" + s.slot_end, s.people, cum, rep]));
    });
  }

  function showForm() {
    var has = !!code();
    $("codebox").className = has ? "hidden" : "";
    $("change_code").className = has ? "" : "hidden";
    $("at").value = now();
    render();
    if (has) { refresh(); flush(); }
  }

  $("change_code").onclick = function () { window.localStorage.removeItem(CODE_KEY); showForm(); };

  $("report").onsubmit = function (ev) {
    ev.preventDefault();
    var typed = $("code").value.replace(/\s+/g, "");
    if (typed) { save(CODE_KEY, typed); $("code").value = ""; showForm(); }
    if (!code()) { $("error").textContent = T.bad_code; return false; }
    var report = {
      at: $("at").value.slice(0, 5),
      sampled: parseInt($("sampled").value, 10),
      queue_people: parseInt($("queue_people").value, 10),
      tubes: parseInt($("tubes").value, 10),
      problem: $("problem").value || null,
      note: $("note").value,
      report_id: newId()
    };
    var box = load(BOX_KEY, []);
    box.push(report);
    save(BOX_KEY, box);
    $("note").value = "";
    $("at").value = now();
    render();
    flush();
    return false;
  };

  window.addEventListener("online", flush);
  window.setInterval(flush, 15000);
  if (window.location.hash.indexOf("#code=") === 0) {
    save(CODE_KEY, decodeURIComponent(window.location.hash.slice(6)));
    window.history.replaceState(null, "", window.location.pathname);
  }
  showForm();
})();
