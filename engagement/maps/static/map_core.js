/*
 * Tejido network map: draws a payload (JSON data) with vis-network.
 * Shared by the app component and the standalone HTML export.
 * Every text from the payload is shown with textContent / canvas fillText or as a
 * vis-network string tooltip (shown with innerText): never parsed as HTML.
 */
function tejidoMap(vis, host, payload, hooks) {
  "use strict";
  hooks = hooks || {};
  var doc = host.ownerDocument || document;

  function el(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var root = el("div", "tj-map");
  root.setAttribute("data-state", "drawing");
  root.setAttribute("data-created-ms", String(Math.round(performance.now())));
  var bar = el("div", "tj-toolbar");
  var fitButton = el("button", "tj-button");
  var pngButton = el("button", "tj-button");
  fitButton.type = "button";
  pngButton.type = "button";
  var status = el("span", "tj-status");
  bar.appendChild(fitButton);
  bar.appendChild(pngButton);
  bar.appendChild(status);
  var canvasHost = el("div", "tj-canvas");
  canvasHost.setAttribute("role", "img");
  root.appendChild(bar);
  root.appendChild(canvasHost);
  host.appendChild(root);

  var current = null;
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var network = null;

  function setLabels(p) {
    fitButton.textContent = p.labels.fit;
    pngButton.textContent = p.labels.png;
    canvasHost.setAttribute("aria-label", p.title);
    canvasHost.style.height = (p.height || 640) + "px";
  }

  function markDrawn() {
    if (root.getAttribute("data-state") === "drawn") return;
    root.setAttribute("data-state", "drawn");
    root.setAttribute("data-drawn-ms", String(Math.round(performance.now())));
    status.textContent = "";
    if (hooks.onDrawn) hooks.onDrawn();
  }

  function build(p) {
    setLabels(p);
    root.setAttribute("data-state", "drawing");
    status.textContent = p.physics ? p.labels.settling : p.labels.drawing;
    if (network) {
      network.destroy();
      network = null;
    }
    nodes = new vis.DataSet(p.nodes);
    edges = new vis.DataSet(p.edges);
    network = new vis.Network(canvasHost, { nodes: nodes, edges: edges }, p.options);
    root.setAttribute("data-nodes", String(p.nodes.length));
    network.on("click", function (params) {
      if (params.nodes && params.nodes.length && hooks.onSelect) {
        hooks.onSelect(params.nodes[0]);
      }
    });
    network.on("dragEnd", function (params) {
      if (!current.editable || !params.nodes || !params.nodes.length || !hooks.onMoved) return;
      // With physics the whole picture moved: keep all of it; otherwise the dragged nodes.
      var ids = current.physics ? nodes.getIds() : params.nodes;
      var found = network.getPositions(ids);
      var moved = {};
      Object.keys(found).forEach(function (id) {
        moved[id] = [Math.round(found[id].x * 100) / 100, Math.round(found[id].y * 100) / 100];
      });
      hooks.onMoved(moved);
    });
    if (p.physics) {
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        network.fit({ animation: false });
        markDrawn();
      });
    } else {
      network.once("afterDrawing", function () {
        markDrawn();
      });
      network.fit({ animation: false });
    }
    select(p.selected);
  }

  function select(id) {
    if (!network) return;
    if (id !== null && id !== undefined && nodes.get(id)) {
      network.selectNodes([id]);
    } else {
      network.unselectAll();
    }
  }

  function update(p) {
    if (current && current.version === p.version) {
      if (current.selected !== p.selected) select(p.selected);
      current = p;
      return;
    }
    if (current && current.frame === p.frame && network && !(p.physics && !current.physics)) {
      // Same picture, new stored positions (a saved drag): move nodes, keep the view.
      nodes.update(p.nodes.map(function (n) { return { id: n.id, x: n.x, y: n.y }; }));
      current = p;
      select(p.selected);
      return;
    }
    current = p;
    build(p);
  }

  function legendHeight(p, width) {
    var perRow = Math.max(1, Math.floor((width - 24) / 230));
    return 44 + Math.ceil(p.legend.length / perRow) * 24;
  }

  function drawLegend(ctx, p, top, width) {
    var perRow = Math.max(1, Math.floor((width - 24) / 230));
    ctx.font = "bold 14px sans-serif";
    ctx.fillStyle = "#1B2631";
    ctx.textBaseline = "middle";
    ctx.fillText(p.labels.legend, 12, top + 16);
    ctx.font = "13px sans-serif";
    p.legend.forEach(function (item, i) {
      var x = 12 + (i % perRow) * 230;
      var y = top + 40 + Math.floor(i / perRow) * 24;
      ctx.strokeStyle = item.kind === "node" ? "#34495E" : item.colour;
      ctx.fillStyle = item.colour;
      ctx.lineWidth = item.kind === "width" ? 4 : 2;
      ctx.setLineDash(item.kind === "conflict" ? [6, 4] : item.kind === "co_participation" ? [2, 4] : []);
      if (item.kind === "node") {
        ctx.beginPath();
        ctx.arc(x + 8, y, 7, 0, 2 * Math.PI);
        ctx.fill();
        ctx.lineWidth = 1;
        ctx.stroke();
      } else {
        ctx.beginPath();
        ctx.moveTo(x, y);
        ctx.lineTo(x + 18, y);
        ctx.stroke();
        if (item.kind === "arrow") {
          ctx.beginPath();
          ctx.moveTo(x + 18, y);
          ctx.lineTo(x + 12, y - 4);
          ctx.lineTo(x + 12, y + 4);
          ctx.closePath();
          ctx.fill();
        }
      }
      ctx.setLineDash([]);
      ctx.fillStyle = "#1B2631";
      ctx.fillText(item.label, x + 24, y, 200);
    });
  }

  function png() {
    var source = canvasHost.querySelector("canvas");
    if (!source || !current) return null;
    var width = source.width;
    var extra = legendHeight(current, width) + 36;
    var out = doc.createElement("canvas");
    out.width = width;
    out.height = source.height + extra;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#FFFFFF";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.font = "bold 16px sans-serif";
    ctx.fillStyle = "#1B2631";
    ctx.textBaseline = "middle";
    ctx.fillText(current.title, 12, 18, width - 24);
    ctx.drawImage(source, 0, 36);
    drawLegend(ctx, current, source.height + 36, width);
    return out.toDataURL("image/png");
  }

  fitButton.addEventListener("click", function () {
    if (network) network.fit({ animation: false });
  });
  pngButton.addEventListener("click", function () {
    var url = png();
    if (!url) return;
    var link = doc.createElement("a");
    link.href = url;
    link.download = (current.file_name || "map") + ".png";
    root.appendChild(link);
    link.click();
    root.removeChild(link);
  });

  // For tests and benchmarks: where a node is drawn, in pixels from the canvas corner.
  root.tejidoNodePosition = function (id) {
    if (!network || !nodes.get(id)) return null;
    return network.canvasToDOM(network.getPosition(id));
  };

  update(payload);
  return {
    update: update,
    png: png,
    destroy: function () {
      if (network) network.destroy();
      network = null;
      if (root.parentNode) root.parentNode.removeChild(root);
    },
  };
}
