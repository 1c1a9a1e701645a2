/* The filter of the verify report: by host, group, component and outcome, from the
   checks embedded in the page (#verify-data), with no server. The filter is kept in the
   address (#host=wr-client1&group=...&component=...&outcome=1), so a link or a
   bookmark opens the page filtered. Host data is only ever set as text (textContent),
   never parsed as markup. */
(function () {
  "use strict";
  var node = document.getElementById("verify-data");
  var form = document.getElementById("filter");
  if (!node || !form || !window.URLSearchParams) {
    return;
  }
  var D = JSON.parse(node.textContent);
  var W = D.width;
  var hosts = D.hosts, groups = D.groups, flows = D.flows, states = D.states;
  var checks = D.checks;
  var total = checks.length / W;
  var LIMIT = 1000;
  var byId = function (id) { return document.getElementById(id); };
  var fHost = byId("f-host"), fGroup = byId("f-group"), fComp = byId("f-component"), fOutcome = byId("f-outcome");
  var status = byId("f-status"), aggBody = byId("agg-body");
  var listBox = byId("host-checks"), listBody = byId("host-checks-body"), listTitle = byId("host-checks-title");
  var more = byId("host-checks-more");
  var hostRows = document.querySelectorAll("#host-table tbody tr");
  var showAll = false;

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    if (cls) {
      td.className = cls;
    }
    td.textContent = text === null || text === undefined ? "" : String(text);
    tr.appendChild(td);
    return td;
  }

  function badge(tr, flow, state, outcome) {
    var td = document.createElement("td");
    var span = document.createElement("span");
    span.className = "b s-" + states[state][0] + (flow[2] === "denied" ? " denied" : "") +
      (outcome === 2 ? " down" : outcome === 1 ? " bad" : "");
    span.textContent = states[state][1] + " " + D.marks[outcome];
    td.appendChild(span);
    tr.appendChild(td);
  }

  // The hosts a query names: the one whose name or address it is exactly, else every
  // host whose name or address holds it (case does not matter). null: no host filter.
  function matchHosts(query) {
    var q = query.trim().toLowerCase();
    if (!q) {
      return null;
    }
    var exact = [], part = [];
    for (var i = 0; i !== hosts.length; i++) {
      var name = String(hosts[i][0]).toLowerCase(), addr = String(hosts[i][2] || "").toLowerCase();
      if (name === q || addr === q) {
        exact.push(i);
      } else if (name.indexOf(q) !== -1 || addr.indexOf(q) !== -1) {
        part.push(i);
      }
    }
    var picked = exact.length ? exact : part;
    var set = new Uint8Array(hosts.length);
    picked.forEach(function (i) { set[i] = 1; });
    return {set: set, count: picked.length, names: picked.map(function (i) { return hosts[i][0]; })};
  }

  function selected(select) {
    return select.value === "" ? null : select.value;
  }

  function apply() {
    var hs = matchHosts(fHost.value);
    var group = selected(fGroup) === null ? -1 : groups.indexOf(fGroup.value);
    var comp = selected(fComp);
    var outcome = selected(fOutcome) === null ? -1 : Number(fOutcome.value);
    var compOk = flows.map(function (f) { return comp === null || f[0] === comp; });
    var G = groups.length || 1, F = flows.length || 1, S = states.length || 1;
    var counts = new Map();
    // One by one: the checks of the hosts found, or those not as expected or not run.
    var listing = hs !== null || outcome === 1 || outcome === 2;
    var listed = [];
    var shown = 0;
    for (var i = 0; i !== checks.length; i += W) {
      var s = checks[i], d = checks[i + 1], f = checks[i + 2], st = checks[i + 3], o = checks[i + 4];
      if (hs !== null && !hs.set[s] && !hs.set[d]) {
        continue;
      }
      var sg = hosts[s][1], dg = hosts[d][1];
      if (group !== -1 && sg !== group && dg !== group) {
        continue;
      }
      if (!compOk[f] || (outcome !== -1 && o !== outcome)) {
        continue;
      }
      shown++;
      var key = (((sg * G + dg) * F + f) * S + st) * 3 + o;
      counts.set(key, (counts.get(key) || 0) + 1);
      if (listing) {
        listed.push(i);
      }
    }

    // Checks by group, component and outcome, in the order of the static table.
    var keys = Array.from(counts.keys()).sort(function (a, b) { return a - b; });
    var rows = document.createDocumentFragment();
    keys.forEach(function (key) {
      var o = key % 3, rest = (key - o) / 3;
      var st = rest % S; rest = (rest - st) / S;
      var f = rest % F; rest = (rest - f) / F;
      var dg = rest % G, sg = (rest - dg) / G;
      var flow = flows[f];
      var tr = document.createElement("tr");
      if (o === 1) {
        tr.className = "bad";
      }
      cell(tr, groups[sg]);
      cell(tr, groups[dg]);
      cell(tr, flow[1]);
      cell(tr, flow[0]);
      cell(tr, flow[2]);
      cell(tr, flow[3]);
      badge(tr, flow, st, o);
      cell(tr, D.outcomes[o]);
      cell(tr, counts.get(key), "n");
      rows.appendChild(tr);
    });
    aggBody.replaceChildren(rows);

    // The checks of the hosts found (or not as expected, or not run), one by one.
    if (!listing) {
      listBox.hidden = true;
      listBody.replaceChildren();
    } else {
      listBox.hidden = false;
      listTitle.textContent = (hs === null ? "Checks " + D.outcomes[outcome] :
        "Checks of " + (hs.count === 1 ? hs.names[0] : hs.count + " hosts")) + " (" + listed.length + ")";
      var upto = showAll ? listed.length : Math.min(listed.length, LIMIT);
      var frag = document.createDocumentFragment();
      for (var k = 0; k !== upto; k++) {
        var j = listed[k];
        var flow = flows[checks[j + 2]];
        var tr = document.createElement("tr");
        if (checks[j + 4] === 1) {
          tr.className = "bad";
        } else if (checks[j + 4] === 2) {
          tr.className = "down";
        }
        cell(tr, hosts[checks[j]][0]);
        cell(tr, hosts[checks[j + 1]][0]);
        cell(tr, flow[1]);
        cell(tr, flow[0]);
        cell(tr, flow[2]);
        cell(tr, flow[3]);
        badge(tr, flow, checks[j + 3], checks[j + 4]);
        cell(tr, checks[j + 5] === -1 ? "" : D.errors[checks[j + 5]], "small");
        frag.appendChild(tr);
      }
      listBody.replaceChildren(frag);
      more.hidden = upto === listed.length;
      more.textContent = "show all " + listed.length;
    }

    // Every host: only the hosts the filter names.
    for (var r = 0; r !== hostRows.length; r++) {
      var h = Number(hostRows[r].getAttribute("data-h"));
      hostRows[r].hidden = (hs !== null && !hs.set[h]) || (group !== -1 && hosts[h][1] !== group);
    }

    status.textContent = shown === total ? total + " checks" : shown + " of " + total + " checks";
    status.setAttribute("data-shown", String(shown));
    document.body.setAttribute("data-filter", "ready");
  }

  function readAddress() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    fHost.value = p.get("host") || "";
    [[fGroup, "group"], [fComp, "component"], [fOutcome, "outcome"]].forEach(function (pair) {
      var want = p.get(pair[1]) || "";
      pair[0].value = want;
      if (pair[0].value !== want) {
        pair[0].value = "";
      }
    });
  }

  function writeAddress() {
    var p = new URLSearchParams();
    if (fHost.value.trim()) {
      p.set("host", fHost.value.trim());
    }
    [[fGroup, "group"], [fComp, "component"], [fOutcome, "outcome"]].forEach(function (pair) {
      if (pair[0].value !== "") {
        p.set(pair[1], pair[0].value);
      }
    });
    var hash = p.toString();
    if (hash !== location.hash.replace(/^#/, "")) {
      location.replace("#" + hash);
    }
  }

  var timer = null;
  function changed() {
    showAll = false;
    if (timer !== null) {
      clearTimeout(timer);
    }
    timer = setTimeout(function () {
      timer = null;
      writeAddress();
      apply();
    }, 120);
  }

  var list = byId("f-hosts");
  var options = document.createDocumentFragment();
  hosts.forEach(function (h) {
    var option = document.createElement("option");
    option.value = h[0];
    options.appendChild(option);
  });
  list.appendChild(options);

  fHost.addEventListener("input", changed);
  [fGroup, fComp, fOutcome].forEach(function (select) { select.addEventListener("change", changed); });
  byId("f-clear").addEventListener("click", function () {
    fHost.value = "";
    fGroup.value = fComp.value = fOutcome.value = "";
    changed();
  });
  more.addEventListener("click", function () {
    showAll = true;
    apply();
  });
  window.addEventListener("hashchange", function () {
    readAddress();
    apply();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  readAddress();
  apply();
}());
