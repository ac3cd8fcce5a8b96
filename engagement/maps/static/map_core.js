/*
 * Tejido network map: draws a payload (JSON data) with vis-network.
 * Shared by the app component and the standalone HTML export.
 * Every text from the payload is shown with textContent / canvas fillText or as a
 * vis-network string tooltip (shown with innerText): never parsed as HTML.
 */
// Python's white space (str.split), so that names wrap here as in Python.
var TEJIDO_SPACES = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/*
 * The whole of a name on at most maxLines lines, broken between words: the lines of
 * engagement.text.wrap_name (the same rule; a browser test compares them on a table).
 * Lengths count characters (code points), as Python does. Widths are tried on word
 * lengths alone and the lines written once, at the width found: a map wraps hundreds.
 */
function tejidoWrapName(name, chars, maxLines) {
  "use strict";
  var words = String(name).split(TEJIDO_SPACES).filter(function (w) { return w !== ""; });
  var sizes = words.map(function (w) { return /[\uD800-\uDFFF]/.test(w) ? Array.from(w).length : w.length; });
  var length = words.length ? words.length - 1 : 0;
  var longest = 0;
  sizes.forEach(function (n) {
    length += n;
    longest = Math.max(longest, n);
  });
  if (length <= chars) return words.length ? [words.join(" ")] : [];
  var lines = Math.min(maxLines, tejidoLineCount(sizes, chars));
  // No line of `lines` lines can be shorter: each break between them saves one space.
  var width = Math.max(Math.min(longest, chars), Math.ceil((length - lines + 1) / lines));
  while (tejidoLineCount(sizes, width) > lines) width++;
  return tejidoLines(words, sizes, width);
}

// How many lines words of these sizes fill at `width` characters a line; a longer word
// is cut into pieces of `width`, each on a line of its own but the last.
function tejidoLineCount(sizes, width) {
  "use strict";
  var count = 0;
  var current = 0;  // characters on the line being filled (0: none yet)
  for (var i = 0; i < sizes.length; i++) {
    var n = sizes[i];
    while (n > width) {
      if (current) count++;
      current = 0;
      count++;
      n -= width;
    }
    if (!current) current = n;
    else if (current + 1 + n <= width) current += 1 + n;
    else {
      count++;
      current = n;
    }
  }
  return current ? count + 1 : count;
}

// The lines themselves, filled as tejidoLineCount counts them.
function tejidoLines(words, sizes, width) {
  "use strict";
  var lines = [];
  var current = "";
  var size = 0;
  for (var i = 0; i < words.length; i++) {
    var word = words[i];
    var n = sizes[i];
    if (n > width) {
      var letters = Array.from(word);
      while (letters.length > width) {
        if (size) lines.push(current);
        current = "";
        size = 0;
        lines.push(letters.slice(0, width).join(""));
        letters = letters.slice(width);
      }
      word = letters.join("");
      n = letters.length;
    }
    if (!size) {
      current = word;
      size = n;
    } else if (size + 1 + n <= width) {
      current += " " + word;
      size += 1 + n;
    } else {
      lines.push(current);
      current = word;
      size = n;
    }
  }
  if (size) lines.push(current);
  return lines;
}

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
    // Without a height the map takes the window's height, less its toolbar and a margin
    // (up to 720 px: a larger canvas only draws more slowly).
    canvasHost.style.height = p.height ? p.height + "px" : "clamp(420px, calc(100vh - 96px), 720px)";
  }

  // --- the label layer -------------------------------------------------------------
  // Names are drawn here, not by vis-network: whole, wrapped on up to three lines, at a
  // fixed, readable size on screen (LABEL_PX), most central actors first (payload.order),
  // each only where its whole box overlaps no other name and no other actor. Zooming in
  // makes room, so more names appear; the hovered and the selected actor are always named.
  var LABEL_PX = 12;
  var LABEL_FONT = LABEL_PX + "px sans-serif";
  var LABEL_H = LABEL_PX + 4;
  var LABEL_GAP = 3;
  // Space between two names: more than between the lines of one, so that two names
  // never read as one.
  var LABEL_SPACE = 6;
  var CELL = 48;
  // Names tried per placement: past the first 800 actors in view, few find room.
  var MAX_TRIED = 800;
  var layer = { key: "", shown: [], hover: null, widths: {}, moves: 0 };
  var byId = {};
  var measureCtx = doc.createElement("canvas").getContext("2d");

  function textWidth(text) {
    var w = layer.widths[text];
    if (w === undefined) {
      measureCtx.font = LABEL_FONT;
      w = layer.widths[text] = Math.ceil(measureCtx.measureText(text).width);
    }
    return w;
  }

  function viewBox() {
    var origin = network.canvasToDOM({ x: 0, y: 0 });
    return {
      scale: network.getScale(),
      ox: origin.x,
      oy: origin.y,
      width: canvasHost.clientWidth,
      height: canvasHost.clientHeight,
    };
  }

  function Grid() {
    this.cells = {};
  }
  Grid.prototype.cellsOf = function (b, visit) {
    var x0 = Math.floor(b.x / CELL), x1 = Math.floor((b.x + b.w) / CELL);
    var y0 = Math.floor(b.y / CELL), y1 = Math.floor((b.y + b.h) / CELL);
    for (var gx = x0; gx <= x1; gx++) {
      for (var gy = y0; gy <= y1; gy++) {
        if (visit(gx * 65536 + gy) === false) return false;
      }
    }
    return true;
  };
  Grid.prototype.add = function (b) {
    var cells = this.cells;
    this.cellsOf(b, function (key) {
      (cells[key] || (cells[key] = [])).push(b);
    });
  };
  // Whether box b meets no disc (but its own actor's) and stays `space` px from every name.
  Grid.prototype.free = function (b, own, space) {
    var cells = this.cells;
    var p = { x: b.x - space, y: b.y - space, w: b.w + 2 * space, h: b.h + 2 * space };
    return this.cellsOf(p, function (key) {
      var list = cells[key];
      if (!list) return true;
      for (var i = 0; i < list.length; i++) {
        var o = list[i];
        if (o.id === own && o.disc) continue;
        var q = o.disc ? b : p;
        if (q.x < o.x + o.w && o.x < q.x + q.w && q.y < o.y + o.h && o.y < q.y + q.h) {
          if (!o.disc) return false;
          // A disc: the box meets it only if the box's nearest point is inside the circle.
          var nx = Math.min(Math.max(o.cx, b.x), b.x + b.w);
          var ny = Math.min(Math.max(o.cy, b.y), b.y + b.h);
          if ((nx - o.cx) * (nx - o.cx) + (ny - o.cy) * (ny - o.cy) < o.r * o.r) return false;
        }
      }
      return true;
    });
  };

  function nodeDisc(v, node, at) {
    var c = { x: at.x * v.scale + v.ox, y: at.y * v.scale + v.oy };
    var r = node.size * v.scale + 1;
    return { id: node.id, cx: c.x, cy: c.y, r: r, x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r, disc: true };
  }

  function candidates(d, w, h) {
    // Below, above, right, left, then the four corners (touching the disc at 45°); the
    // lines of a name are centred below and above, flush towards the actor beside it.
    var r = d.r + LABEL_GAP;
    var c = r * 0.7071;
    return [
      { x: d.cx - w / 2, y: d.cy + r, align: "center" },
      { x: d.cx - w / 2, y: d.cy - r - h, align: "center" },
      { x: d.cx + r, y: d.cy - h / 2, align: "left" },
      { x: d.cx - r - w, y: d.cy - h / 2, align: "right" },
      { x: d.cx + c, y: d.cy + c, align: "left" },
      { x: d.cx - c - w, y: d.cy + c, align: "right" },
      { x: d.cx + c, y: d.cy - c - h, align: "left" },
      { x: d.cx - c - w, y: d.cy - c - h, align: "right" },
    ];
  }

  // A node's name: the first line of its tooltip, wrapped whole (tejidoWrapName), with
  // the size of its box on screen. Worked out once per node, when first needed.
  function nameOf(node) {
    if (node._name !== undefined) return node._name;
    var text = String(node.title || "").split("\n")[0];
    var lines = tejidoWrapName(text, current.label_chars || 24, current.label_lines || 3);
    var w = 0;
    lines.forEach(function (line) { w = Math.max(w, textWidth(line)); });
    node._name = { lines: lines, w: w, h: lines.length * LABEL_H };
    return node._name;
  }

  function placeLabels(v) {
    var grid = new Grid();
    var discs = {};
    var inView = function (b) {
      return b.x >= 2 && b.y >= 2 && b.x + b.w <= v.width - 2 && b.y + b.h <= v.height - 2;
    };
    var at = network.getPositions();
    current.nodes.forEach(function (node) {
      var d = nodeDisc(v, node, at[node.id]);
      discs[node.id] = d;
      if (d.x + d.w >= 0 && d.y + d.h >= 0 && d.x <= v.width && d.y <= v.height) grid.add(d);
    });
    var shown = [];
    var order = current.order || [];
    var tried = 0;
    for (var i = 0; i < order.length && tried < MAX_TRIED; i++) {
      var d = discs[order[i]];
      if (!d || d.cx < 0 || d.cy < 0 || d.cx > v.width || d.cy > v.height) continue;
      tried++;
      var name = nameOf(byId[order[i]]);
      if (!name.lines.length) continue;
      var spots = candidates(d, name.w, name.h);
      for (var k = 0; k < spots.length; k++) {
        var s = spots[k];
        var b = { id: d.id, x: s.x, y: s.y, w: name.w, h: name.h, lines: name.lines, align: s.align };
        if (inView(b) && grid.free(b, d.id, LABEL_SPACE)) {
          grid.add(b);
          shown.push(b);
          break;
        }
      }
    }
    return shown;
  }

  function extraLabel(v, id) {
    var node = id === null || id === undefined ? null : byId[id];
    if (!node) return null;
    for (var i = 0; i < layer.shown.length; i++) {
      if (layer.shown[i].id === node.id) return null;
    }
    var name = nameOf(node);
    if (!name.lines.length) return null;
    var d = nodeDisc(v, node, network.getPosition(node.id));
    // Below the actor, or above it near the bottom edge; kept inside the map's width.
    var y = d.cy + d.r + LABEL_GAP;
    if (y + name.h > v.height - 2) y = d.cy - d.r - LABEL_GAP - name.h;
    var x = Math.max(2, Math.min(d.cx - name.w / 2, v.width - 2 - name.w));
    return { id: node.id, x: x, y: y, w: name.w, h: name.h, lines: name.lines, align: "center" };
  }

  function drawLabel(ctx, b, boxed) {
    if (boxed) {
      ctx.fillStyle = "rgba(255,255,255,0.95)";
      ctx.strokeStyle = "#9AA5B1";
      ctx.lineWidth = 1;
      ctx.fillRect(b.x - 3, b.y - 1, b.w + 6, b.h + 2);
      ctx.strokeRect(b.x - 3, b.y - 1, b.w + 6, b.h + 2);
    }
    var x = b.align === "center" ? b.x + b.w / 2 : b.align === "right" ? b.x + b.w : b.x;
    ctx.textAlign = b.align;
    if (!boxed) {
      // A white halo under every line first, so no halo covers a line drawn before it.
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      b.lines.forEach(function (line, i) { ctx.strokeText(line, x, b.y + 2 + i * LABEL_H); });
    }
    ctx.fillStyle = "#1B2631";
    b.lines.forEach(function (line, i) { ctx.fillText(line, x, b.y + 2 + i * LABEL_H); });
  }

  function drawLabels(ctx) {
    if (!network || !current) return;
    var v = viewBox();
    var key = [v.scale, v.ox, v.oy, v.width, v.height, current.version, layer.moves].join(",");
    if (key !== layer.key) {
      layer.shown = placeLabels(v);
      layer.key = key;
    }
    var canvas = ctx.canvas;
    var ratio = canvas.clientWidth ? canvas.width / canvas.clientWidth : 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = LABEL_FONT;
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    layer.shown.forEach(function (b) { drawLabel(ctx, b, false); });
    [current.selected, layer.hover].forEach(function (id) {
      var b = extraLabel(v, id);
      if (b) drawLabel(ctx, b, true);
    });
    ctx.restore();
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
    status.textContent = p.labels.drawing;
    if (network) {
      network.destroy();
      network = null;
    }
    nodes = new vis.DataSet(p.nodes);
    edges = new vis.DataSet(p.edges);
    byId = {};
    p.nodes.forEach(function (n) { byId[n.id] = n; });
    layer.key = "";
    layer.hover = null;
    network = new vis.Network(canvasHost, { nodes: nodes, edges: edges }, p.options);
    root.setAttribute("data-nodes", String(p.nodes.length));
    network.on("afterDrawing", drawLabels);
    network.on("dragging", function (params) {
      // A dragged actor takes its name along (names are placed again on the next frame).
      if (params.nodes && params.nodes.length) layer.moves++;
    });
    network.on("hoverNode", function (params) {
      layer.hover = params.node;
      requestDraw();
    });
    network.on("blurNode", function () {
      layer.hover = null;
      requestDraw();
    });
    network.on("click", function (params) {
      if (params.nodes && params.nodes.length && hooks.onSelect) {
        hooks.onSelect(params.nodes[0]);
      }
    });
    network.on("dragEnd", function (params) {
      layer.moves++;
      if (!current.editable || !params.nodes || !params.nodes.length || !hooks.onMoved) return;
      var found = network.getPositions(params.nodes);
      var moved = {};
      Object.keys(found).forEach(function (id) {
        moved[id] = [Math.round(found[id].x * 100) / 100, Math.round(found[id].y * 100) / 100];
      });
      hooks.onMoved(moved);
    });
    network.once("afterDrawing", function () {
      markDrawn();
    });
    network.fit({ animation: false });
    select(p.selected);
  }

  function select(id) {
    if (!network) return;
    if (id !== null && id !== undefined && nodes.get(id)) {
      network.selectNodes([id]);
    } else {
      network.unselectAll();
    }
    requestDraw();
  }

  // A drawing on the next frame (network.redraw() would draw the whole map at once, again).
  function requestDraw() {
    if (!network) return;
    if (network.body && network.body.emitter) network.body.emitter.emit("_requestRedraw");
    else network.redraw();
  }

  function update(p) {
    if (current && current.version === p.version) {
      if (current.selected !== p.selected) select(p.selected);
      current = p;
      return;
    }
    if (current && current.frame === p.frame && network) {
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

  // For tests and benchmarks: where a node is drawn, in pixels from the canvas corner
  // (or, with inMap, in the map's own coordinates).
  root.tejidoNodePosition = function (id, inMap) {
    if (!network || !nodes.get(id)) return null;
    var at = network.getPosition(id);
    return inMap ? { x: at.x, y: at.y } : network.canvasToDOM(at);
  };
  // Every node as drawn now (vis-network's positions, in pixels from the canvas corner,
  // with its radius on screen), and the names the label layer shows, with their boxes.
  root.tejidoNodes = function () {
    if (!network) return [];
    var scale = network.getScale();
    var found = network.getPositions();
    return Object.keys(found).map(function (key) {
      var node = nodes.get(key) || nodes.get(Number(key));
      var at = network.canvasToDOM(found[key]);
      return { id: node.id, x: at.x, y: at.y, r: node.size * scale };
    });
  };
  root.tejidoFocus = function (id, times) {
    if (!network || !nodes.get(id)) return false;
    var scale = network.getScale() * times;
    network.moveTo({ position: network.getPosition(id), scale: scale, animation: false });
    return true;
  };
  // Each shown name: its lines, its box (the space it was placed in) and its type size.
  root.tejidoLabels = function () {
    return layer.shown.map(function (b) {
      return {
        id: b.id, text: b.lines.join("\n"), lines: b.lines.slice(), x: b.x, y: b.y, w: b.w,
        h: b.h, px: LABEL_PX, font: LABEL_FONT, line_h: LABEL_H,
      };
    });
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
