// Link chart: fetch the chart JSON named by #chart[data-src], draw it with Cytoscape.js,
// filter by date range and link type, show the evidence behind a clicked node or link.
(function () {
  "use strict";
  var box = document.getElementById("chart");
  if (!box) { return; }
  var COLOURS = { member: "#a4262c", offender: "#d47500", victim: "#1d5a8c", object: "#5b6570", location: "#1e6b35" };
  var EDGE_COLOURS = { co_offending: "#a4262c", victim: "#1d5a8c", object: "#5b6570", location: "#1e6b35" };

  function colour(node) {
    return node.data("kind") === "person" ? COLOURS[node.data("subtype")] || "#888" : COLOURS[node.data("kind")];
  }

  function showEvidence(lines) {
    var panel = document.getElementById("evidence");
    panel.replaceChildren();
    var h = document.createElement("h2");
    h.textContent = "Evidence";
    panel.appendChild(h);
    var list = document.createElement("ul");
    list.className = "evidence-list";
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    });
    panel.appendChild(list);
  }

  function draw(data) {
    var elements = data.nodes.map(function (n) { return { group: "nodes", data: n }; })
      .concat(data.edges.map(function (e) { return { group: "edges", data: e }; }));
    var cy = cytoscape({
      container: box,
      elements: elements,
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 8000; },
        idealEdgeLength: function () { return 60; }, nodeOverlap: 12, padding: 20 },
      style: [
        { selector: "node", style: { "background-color": colour, label: "data(label)", "font-size": 9, width: 18, height: 18,
          "min-zoomed-font-size": 7, "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
          "text-valign": "bottom", "text-margin-y": 2 } },
        { selector: "node[kind = 'object']", style: { shape: "round-rectangle" } },
        { selector: "node[kind = 'location']", style: { shape: "diamond" } },
        { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "line-color": function (e) { return EDGE_COLOURS[e.data("kind")] || "#999"; } } },
        { selector: ".hidden", style: { display: "none" } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#ffd24d", "line-color": "#ffd24d" } }
      ]
    });
    window.safeguardChart = cy;

    function apply() {
      var from = document.getElementById("filter-from").value;
      var to = document.getElementById("filter-to").value;
      var kinds = {};
      document.querySelectorAll(".filter-kind").forEach(function (c) { kinds[c.value] = c.checked; });
      cy.batch(function () {
        cy.edges().forEach(function (e) {
          var d = e.data("date");
          var ok = kinds[e.data("kind")] && (!from || d >= from) && (!to || d <= to);
          e.toggleClass("hidden", !ok);
        });
        cy.nodes().forEach(function (n) {
          var live = n.connectedEdges().filter(function (e) { return !e.hasClass("hidden"); }).length;
          n.toggleClass("hidden", live === 0 && n.data("subtype") !== "member");
        });
      });
      var nodes = cy.nodes().not(".hidden").length;
      var edges = cy.edges().not(".hidden").length;
      var count = document.getElementById("chart-count");
      count.textContent = nodes + " nodes, " + edges + " links shown";
      count.dataset.nodes = String(nodes);
      count.dataset.edges = String(edges);
    }

    document.getElementById("chart-filters").addEventListener("change", apply);
    cy.on("tap", "node", function (ev) {
      var n = ev.target;
      var lines = [n.data("kind") + " " + n.data("label") + (n.data("subtype") ? " (" + n.data("subtype") + ")" : "")];
      if (n.data("detail")) { lines.push(n.data("detail")); }
      n.connectedEdges().not(".hidden").forEach(function (e) { lines.push(e.data("kind").replace("_", " ") + ": " + e.data("evidence")); });
      showEvidence(lines);
    });
    cy.on("tap", "edge", function (ev) {
      var e = ev.target;
      showEvidence([e.data("kind").replace("_", " ") + " on " + e.data("date"), e.data("evidence")]);
    });
    apply();
  }

  fetch(box.dataset.src, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error("the chart could not be loaded (" + r.status + ")"); } return r.json(); })
    .then(draw)
    .catch(function (err) { document.getElementById("chart-count").textContent = String(err.message || err); });
}());
