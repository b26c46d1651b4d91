// The backprop explorer's script: a state object, one render function, event handlers.
// Every number it shows was computed in Python by the micrograd_nn engine and written
// into the page as JSON (#explorer-data); this script only chooses what to show, and
// formats it. It computes no derivative. The drawing is Graphviz's SVG, never rebuilt:
// render() toggles classes on its elements (ids v3, op3, e3_0, r3 from the topological
// index) and sets the text of the data and grad lines.
(function () {
  "use strict";

  // inf, -inf and nan arrive as {"$float": "inf"} (JSON has no such numbers)
  var SPECIAL = { "inf": Infinity, "-inf": -Infinity, "nan": NaN };
  var DATA = JSON.parse(document.getElementById("explorer-data").textContent, function (k, v) {
    var special = v !== null && typeof v === "object" && typeof v.$float === "string";
    return special ? SPECIAL[v.$float] : v;
  });
  var NODES = DATA.nodes;
  var SELECT_HELP = document.getElementById("select-panel").innerHTML;
  var ROOT = DATA.root;

  // ------------------------------------------------------------------ state
  var state = {
    mode: "backward", // "backward", "forward" or "quiz" (backward, grads asked)
    step: 0, // steps taken in the current mode
    selected: null, // the node whose chain rule is shown
    focus: false, // dim everything off the selected node's paths
    tries: {}, // quiz: node id -> wrong answers so far
    result: {}, // quiz: node id -> "right", "shown" (after three tries) or "skipped"
    feedback: "",
    feedbackClass: "",
  };

  // ------------------------------------------------------------ the drawing
  var svg = document.querySelector("#graph > svg");
  var graph = document.getElementById("graph");
  var byId = function (id) { return document.getElementById(id); };
  var valueEls = NODES.map(function (n) { return byId("v" + n.id); });
  var opEls = NODES.map(function (n) { return n.children.length ? byId("op" + n.id) : null; });
  var marked = Array.prototype.slice.call(svg.querySelectorAll("g.node, g.edge"));
  var texts = NODES.map(function (n, i) {
    var el = valueEls[i];
    // The data and grad lines are the node's last two texts (a label reading "data x" comes first).
    var last = function (cls) { var all = el.querySelectorAll("text." + cls); return all.length ? all[all.length - 1] : null; };
    return { data: last("data"), grad: last("grad") };
  });
  var original = texts.map(function (t) {
    return { data: t.data ? t.data.textContent : "", grad: t.grad ? t.grad.textContent : "" };
  });

  // ------------------------------------------------------------ formatting
  // Like Python's format(x, ".4g"), so the panel reads as the drawing does.
  function g(x, digits) {
    digits = digits || 4;
    if (x === null || x === undefined) return "n/a";
    if (!isFinite(x)) return isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
    if (x === 0) return "0";
    var exp = parseInt(x.toExponential(digits - 1).split("e")[1], 10);
    var s;
    if (exp < -4 || exp >= digits) {
      var parts = x.toExponential(digits - 1).split("e");
      var mantissa = parts[0].indexOf(".") >= 0 ? parts[0].replace(/\.?0+$/, "") : parts[0];
      var e = parseInt(parts[1], 10);
      s = mantissa + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    } else {
      s = x.toPrecision(digits);
      if (s.indexOf(".") >= 0) s = s.replace(/\.?0+$/, "");
    }
    return s;
  }
  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  function name(id) { return NODES[id].name; }
  function d(of, by) { return "d(" + name(of) + ")/d(" + name(by) + ")"; }

  // ------------------------------------------------------------ the steps
  function sequence() { return state.mode === "forward" ? DATA.forward : DATA.backward; }
  function total() { return sequence().length; }
  function currentId() { return state.step > 0 ? sequence()[state.step - 1].node : null; }

  function visited() {
    var seen = {};
    var seq = sequence();
    for (var k = 0; k < state.step; k++) seen[seq[k].node] = true;
    return seen;
  }

  // Grads shown on the drawing: those final by now (backward), the answered ones (quiz).
  function gradKnown(id, seen) {
    if (state.mode === "forward") return false;
    if (state.mode === "quiz") return seen[id] && (id !== currentId() || !!state.result[id]);
    return !!seen[id];
  }

  function publicState() {
    var id = currentId();
    var node = id === null ? null : { id: id, label: NODES[id].label, data: NODES[id].data, grad: NODES[id].grad };
    return { mode: state.mode, step: state.step, total: total(), node: node };
  }

  function moveTo(step) {
    state.step = Math.max(0, Math.min(total(), step));
    state.feedback = "";
    render();
    follow(currentId());
    return publicState();
  }

  // ------------------------------------------------------------ render
  function render() {
    var seen = visited();
    var cur = currentId();
    var classes = {};
    function add(id, cls) { (classes[id] = classes[id] || []).push(cls); }

    if (cur !== null) {
      add("v" + cur, "current");
      if (NODES[cur].children.length) {
        add("op" + cur, "current");
        if (state.mode !== "forward") {
          NODES[cur].children.forEach(function (c, k) { add("e" + cur + "_" + k, "passed"); add("v" + c, "passed"); });
        } else {
          add("r" + cur, "passed");
          NODES[cur].children.forEach(function (c, k) { add("e" + cur + "_" + k, "passed"); });
        }
      }
    }
    var chain = state.selected === null ? null : DATA.chains[state.selected];
    var onPath = {};
    if (chain) {
      add("v" + state.selected, "target");
      chain.paths.forEach(function (p) {
        p.nodes.forEach(function (id) { onPath["v" + id] = true; });
        p.edges.forEach(function (edgeId) {
          var parent = edgeId.slice(1).split("_")[0];
          onPath[edgeId] = onPath["op" + parent] = onPath["r" + parent] = true;
        });
      });
      onPath["v" + state.selected] = true;
      Object.keys(onPath).forEach(function (id) { add(id, "on-path"); });
    }
    var dim = state.focus && chain !== null;
    marked.forEach(function (el) {
      var list = classes[el.id] || [];
      var base = el.classList.contains("edge") ? "edge" : "node";
      if (dim && !onPath[el.id]) list = list.concat("dim");
      el.setAttribute("class", [base].concat(list).join(" "));
    });

    NODES.forEach(function (n, i) {
      var t = texts[i];
      var dataKnown = state.mode !== "forward" || seen[i];
      if (t.data) {
        t.data.textContent = dataKnown ? original[i].data : "data ?";
        t.data.setAttribute("class", dataKnown ? "data" : "data unknown");
      }
      if (t.grad) {
        var known = gradKnown(i, seen);
        t.grad.textContent = known ? original[i].grad : "grad ?";
        t.grad.setAttribute("class", known ? "grad" : "grad unknown");
      }
    });

    ["backward", "forward", "quiz"].forEach(function (m) {
      byId("mode-" + m).classList.toggle("active", state.mode === m);
    });
    byId("focus").checked = state.focus;
    byId("counter").textContent = "step " + state.step + " / " + total();
    byId("step-panel").innerHTML = stepPanel(cur);
    renderQuiz(cur);
    byId("select-panel").innerHTML = chain ? selectPanel(chain) : SELECT_HELP;
    byId("note").textContent = DATA.note || "";
  }

  function fullLine(id, gradText) {
    var n = NODES[id];
    var grad = gradText === null ? "?" : gradText;
    return '<p class="full">every digit: data <span data-field="data">' + esc(n.dataText) +
      '</span>, grad <span data-field="grad">' + esc(grad) + "</span></p>";
  }

  function stepPanel(cur) {
    var total_ = total();
    if (cur === null) {
      if (state.mode === "forward") {
        return "<h2>Forward pass</h2><p>" + total_ + " steps, one per Value, each after the " +
          "Values it is computed from. Press step (or &#x2192;) to compute the first.</p>";
      }
      var what = state.mode === "quiz" ? "Work out each grad by hand, from the root down. " : "";
      return "<h2>Backward pass</h2><p>" + what + total_ + " steps, one per Value, in the order " +
        "<code>backward()</code> visits them: the root first, each node before its children. At each " +
        "step the node's grad is final, and each child gets <code>local &#xD7; grad</code>.</p>" +
        "<p>Press step (or &#x2192;) to start.</p>";
    }
    var n = NODES[cur];
    var head = "<h2>step " + state.step + "/" + total_ + ": " + esc(n.name) +
      (n.children.length ? " <small>(" + esc(n.opText) + ")</small>" : " <small>(" + n.kind + ")</small>") + "</h2>";
    if (state.mode === "forward") {
      var html = head;
      if (!n.children.length) {
        html += "<p>" + esc(n.name) + " = " + esc(g(n.data)) + ": a leaf (" + n.kind + "), given.</p>";
      } else {
        html += '<span class="formula">' + esc(n.name) + " = " + esc(n.formula) + "\n    = " +
          esc(n.values) + "\n    = " + esc(g(n.data)) + "</span>";
        html += "<p>Local derivatives, stored for the backward pass:</p><table><tr><th>child</th><th>d(" +
          esc(n.name) + ")/d(child)</th></tr>";
        n.children.forEach(function (c, k) {
          html += "<tr><td>" + esc(name(c)) + '</td><td class="num">' + g(n.locals[k]) + "</td></tr>";
        });
        html += "</table>";
      }
      return html + fullLine(cur, null);
    }
    var s = DATA.backward[state.step - 1];
    var quizHidden = state.mode === "quiz" && !state.result[cur];
    var html2 = head;
    if (quizHidden) {
      return html2 + "<p>What is <b>" + esc(d(ROOT, cur)) + "</b>, the grad of " + esc(n.name) + "?</p>";
    }
    if (cur === ROOT) {
      html2 += "<p>The root: " + esc(d(ROOT, ROOT)) + " = 1, the seed of the backward pass.</p>";
    } else {
      html2 += "<p>grad = " + esc(d(ROOT, cur)) + " = <b>" + esc(g(s.grad)) + "</b>, final: every node " +
        "that uses " + esc(n.name) + " has passed its share.</p>";
    }
    if (!s.edges.length) {
      html2 += "<p>A leaf: nothing to pass on.</p>";
    } else {
      html2 += "<table><tr><th>child</th><th>local &#xD7; grad = contribution</th><th>child's grad now</th></tr>";
      s.edges.forEach(function (e) {
        html2 += "<tr><td>" + esc(name(e.child)) + '</td><td class="num">' + g(e.local) + " &#xD7; " + g(s.grad) +
          " = " + g(e.contribution) + '</td><td class="num">' + g(e.total) + "</td></tr>";
      });
      html2 += "</table><p class=\"full\">local = d(" + esc(n.name) + ")/d(child), stored by the op in the forward pass.</p>";
    }
    return html2 + fullLine(cur, s.gradText);
  }

  function selectPanel(chain) {
    var t = chain.target;
    var hidden = state.mode === "quiz" && !gradKnown(t, visited());
    var html = "<h2>Chain rule: " + esc(d(ROOT, t)) + "</h2>";
    html += "<p>" + chain.count + " path" + (chain.count === 1 ? "" : "s") + " from " + esc(name(ROOT)) + " down to " +
      esc(name(t)) + "; each path's product of local derivatives, then their sum.</p>";
    if (!chain.listed) {
      html += "<p>Too many paths to list here.</p>";
    }
    chain.paths.forEach(function (p, k) {
      var names = p.nodes.map(function (id) { return esc(name(id)); }).join(" &#x2190; ");
      var factors = p.factors.map(function (f) { return g(f); }).join(" &#xD7; ");
      html += '<div class="path"><b>path ' + (k + 1) + ":</b> " + names + "<br>" +
        (p.factors.length ? factors : "(the root itself)") + " = " + (hidden ? "?" : "<b>" + g(p.product) + "</b>") + "</div>";
    });
    if (chain.documentFactors) {
      var doc = chain.documentFactors;
      html += '<p class="doc-names">The document\'s factors: <code>d_L_d_' + esc(NODES[t].label) + " = " +
        doc.map(function (f) { return esc(f.name); }).join(" * ") + "</code>";
      if (doc.every(function (f) { return f.value !== null; })) {
        html += "<br>= " + doc.map(function (f) { return g(f.value); }).join(" &#xD7; ");
      }
      html += "</p>";
    }
    html += '<p class="sum">sum = ' + (hidden ? "?" : g(chain.sum) + " = " + esc(name(t)) + ".grad") + "</p>";
    if (!hidden) {
      html += '<p class="full">every digit: sum <span data-field="sum">' + esc(chain.sumText) +
        '</span>, grad <span data-field="target-grad">' + esc(NODES[t].gradText) + "</span></p>";
    }
    return html;
  }

  // ------------------------------------------------------------ the quiz
  function sameTo3(answer, grad) {
    if (typeof answer !== "number" || isNaN(answer) || typeof grad !== "number") return false;
    if (!isFinite(grad) || !isFinite(answer)) return answer === grad; // type inf or -inf
    if (grad === 0) return Math.abs(answer) < 1e-12;
    if (Number(answer.toPrecision(3)) === Number(grad.toPrecision(3))) return true;
    var unit = Math.pow(10, Math.floor(Math.log10(Math.abs(grad))) - 2); // the 3rd significant digit
    return Math.abs(answer - grad) <= 0.5 * unit * (1 + 1e-9);
  }

  function hint(id) {
    var n = NODES[id];
    if (id === ROOT) return "It is the root: " + d(ROOT, ROOT) + " = 1.";
    var terms = n.uses.map(function (u) {
      return d(u.parent, id) + " \u00D7 grad of " + name(u.parent) + " = " + g(u.local) + " \u00D7 " + g(u.parentGrad);
    });
    return "Multiply each local derivative by the grad of the node that uses " + n.name +
      ", then add: " + terms.join("  +  ");
  }

  function renderQuiz(cur) {
    var panel = byId("quiz-panel");
    panel.hidden = state.mode !== "quiz";
    if (panel.hidden) return;
    var asking = cur !== null && !state.result[cur];
    byId("quiz-form").hidden = !asking;
    byId("quiz-question").textContent = asking ? d(ROOT, cur) + " =" : "";
    var fb = byId("quiz-feedback");
    fb.textContent = state.feedback;
    fb.className = state.feedbackClass;
    var asked = DATA.backward.length;
    var done = Object.keys(state.result).length;
    var right = Object.keys(state.result).filter(function (k) { return state.result[k] === "right"; }).length;
    var first = Object.keys(state.result).filter(function (k) {
      return state.result[k] === "right" && !state.tries[k];
    }).length;
    byId("quiz-score").textContent = done === asked
      ? "Done! Score: " + right + " of " + asked + " right (" + first + " at the first try)."
      : "So far: " + right + " of " + done + " right.";
  }

  function answer(number) {
    if (state.mode !== "quiz") return { correct: false, hint: "The quiz is off: call quiz(true) first." };
    var id = currentId();
    if (id === null) return { correct: false, hint: "Take the first step: the root's grad is asked first." };
    if (state.result[id]) return { correct: false, hint: "Already answered: step on." };
    var typed = typeof number === "string" ? number.trim().replace("\u2212", "-").toLowerCase() : null;
    var value = typed === null ? number : typed in SPECIAL ? SPECIAL[typed] : Number(typed);
    if (typed === "") { // an empty box is not a try
      state.feedback = "Type a number first.";
      state.feedbackClass = "";
      render();
      return { correct: false, hint: state.feedback };
    }
    var grad = NODES[id].grad;
    if (sameTo3(value, grad)) {
      state.result[id] = "right";
      state.feedback = "Right: " + d(ROOT, id) + " = " + g(grad) + ".";
      state.feedbackClass = "right";
      var moved = state.step < total();
      if (moved) { state.step += 1; }
      render();
      follow(currentId());
      return { correct: true, hint: "" };
    }
    state.tries[id] = (state.tries[id] || 0) + 1;
    var h = hint(id);
    if (state.tries[id] >= 3) {
      state.result[id] = "shown";
      state.feedback = "Not quite. The answer is " + g(grad) + " (" + h + ").";
    } else {
      state.feedback = "Not " + (typeof value === "number" && !isNaN(value) ? g(value) : "that") +
        ". Hint: " + h;
    }
    state.feedbackClass = "wrong";
    render();
    return { correct: false, hint: h, answer: state.tries[id] >= 3 ? grad : undefined };
  }

  // ------------------------------------------------------------ select
  function resolve(idOrLabel) {
    if (typeof idOrLabel === "number" && NODES[idOrLabel]) return idOrLabel;
    var matches = NODES.filter(function (n) { return n.label === idOrLabel; });
    if (matches.length === 1) return matches[0].id;
    if (typeof idOrLabel === "string" && /^v\d+$/.test(idOrLabel) && NODES[+idOrLabel.slice(1)]) return +idOrLabel.slice(1);
    throw new Error("select: " + (matches.length ? matches.length + " nodes are" : "no node is") +
      " labelled " + JSON.stringify(idOrLabel) + "; give a node's id (0 to " + (NODES.length - 1) + ")");
  }

  function select(idOrLabel) {
    if (idOrLabel === null || idOrLabel === undefined) {
      state.selected = null;
      render();
      return null;
    }
    var id = resolve(idOrLabel);
    state.selected = id;
    render();
    var chain = DATA.chains[id];
    return {
      target: id,
      paths: chain.paths.map(function (p) { return { nodes: p.nodes.slice(), factors: p.factors.slice(), product: p.product }; }),
      sum: chain.sum,
      count: chain.count,
    };
  }

  // ------------------------------------------------------------ zoom and pan
  var full = svg.viewBox.baseVal;
  var home = { x: full.x, y: full.y, w: full.width, h: full.height };
  var view = { x: home.x, y: home.y, w: home.w, h: home.h };
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");

  function box() { return { w: graph.clientWidth || 1, h: graph.clientHeight || 1 }; }
  function scale() { var b = box(); return Math.min(b.w / view.w, b.h / view.h); }
  function setView(v) {
    var b = box();
    // keep the view's shape the container's, so one unit is the same on both axes
    var s = Math.min(b.w / v.w, b.h / v.h);
    var w = b.w / s, h = b.h / s;
    view = { x: v.x - (w - v.w) / 2, y: v.y - (h - v.h) / 2, w: w, h: h };
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
  }
  function fit() { setView(home); }
  function zoom(factor, cx, cy) {
    var b = box();
    cx = cx === undefined ? b.w / 2 : cx;
    cy = cy === undefined ? b.h / 2 : cy;
    var s = scale() * factor;
    s = Math.max(0.05, Math.min(8, s));
    var px = view.x + cx / scale(), py = view.y + cy / scale();
    var w = b.w / s, h = b.h / s;
    setView({ x: px - (cx / b.w) * w, y: py - (cy / b.h) * h, w: w, h: h });
  }
  // Bring a node into view (and, in an overview too small to read, zoom in to it).
  function follow(id) {
    if (id === null || id === undefined) return;
    var el = valueEls[id];
    var r = el.getBoundingClientRect(), c = graph.getBoundingClientRect();
    if (scale() < 0.5) {
      var b = box();
      var cx = (r.left + r.right) / 2 - c.left, cy = (r.top + r.bottom) / 2 - c.top;
      var px = view.x + cx / scale(), py = view.y + cy / scale();
      var w = b.w / 0.8, h = b.h / 0.8; // 12 pt text at 0.8: about 13 px
      setView({ x: px - w / 2, y: py - h / 2, w: w, h: h });
      return;
    }
    var margin = 30;
    var dx = 0, dy = 0;
    if (r.left < c.left + margin) dx = r.left - c.left - margin;
    else if (r.right > c.right - margin) dx = r.right - c.right + margin;
    if (r.top < c.top + margin) dy = r.top - c.top - margin;
    else if (r.bottom > c.bottom - margin) dy = r.bottom - c.bottom + margin;
    if (dx || dy) {
      var s2 = scale();
      setView({ x: view.x + dx / s2, y: view.y + dy / s2, w: view.w, h: view.h });
    }
  }

  var drag = null;
  graph.addEventListener("pointerdown", function (ev) {
    drag = { x: ev.clientX, y: ev.clientY, moved: false };
  });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    graph.classList.add("dragging");
    var s = scale();
    setView({ x: view.x - dx / s, y: view.y - dy / s, w: view.w, h: view.h });
    drag.x = ev.clientX; drag.y = ev.clientY;
  });
  window.addEventListener("pointerup", function (ev) {
    if (drag && !drag.moved) {
      var el = ev.target.closest ? ev.target.closest("g.node") : null;
      // a Value's box, or an op's oval (which stands for the Value it makes)
      var clicked = el ? /^(?:v|op)(\d+)$/.exec(el.id) : null;
      if (clicked) select(+clicked[1]);
    }
    drag = null;
    graph.classList.remove("dragging");
  });
  graph.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var c = graph.getBoundingClientRect();
    zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - c.left, ev.clientY - c.top);
  }, { passive: false });
  window.addEventListener("resize", function () { setView(view); });

  // ------------------------------------------------------------ the interface
  function setMode(mode) {
    if (["backward", "forward", "quiz"].indexOf(mode) < 0) {
      throw new Error("mode: choose backward, forward or quiz, got " + JSON.stringify(mode));
    }
    state.mode = mode;
    state.tries = {};
    state.result = {};
    state.feedback = "";
    return moveTo(0);
  }

  var explorer = {
    nodes: function () {
      return NODES.map(function (n) {
        return { id: n.id, label: n.label, op: n.op, data: n.data, grad: n.grad, children: n.children.slice() };
      });
    },
    state: publicState,
    reset: function () { return moveTo(0); },
    step: function () {
      var id = currentId();
      if (state.mode === "quiz" && id !== null && !state.result[id]) state.result[id] = "skipped";
      return moveTo(state.step + 1);
    },
    back: function () { return moveTo(state.step - 1); },
    last: function () {
      // in the quiz, the grads passed over are shown, so they count as skipped
      if (state.mode === "quiz") {
        DATA.backward.slice(state.step > 0 ? state.step - 1 : 0, total() - 1).forEach(function (s) {
          if (!state.result[s.node]) state.result[s.node] = "skipped";
        });
      }
      return moveTo(total());
    },
    select: select,
    quiz: function (on) { return setMode(on === false ? "backward" : "quiz"); },
    answer: answer,
    mode: setMode,
    focus: function (on) { state.focus = on !== false; render(); return state.focus; },
    zoom: function (factor) { zoom(factor); return scale(); },
    fit: function () { fit(); return scale(); },
  };
  window.explorer = explorer;

  // ------------------------------------------------------------ buttons and keys
  byId("mode-backward").addEventListener("click", function () { setMode("backward"); });
  byId("mode-forward").addEventListener("click", function () { setMode("forward"); });
  byId("mode-quiz").addEventListener("click", function () { setMode("quiz"); });
  byId("first").addEventListener("click", explorer.reset);
  byId("back").addEventListener("click", explorer.back);
  byId("next").addEventListener("click", explorer.step);
  byId("last").addEventListener("click", explorer.last);
  byId("zoom-in").addEventListener("click", function () { zoom(1.25); });
  byId("zoom-out").addEventListener("click", function () { zoom(1 / 1.25); });
  byId("zoom-fit").addEventListener("click", fit);
  byId("focus").addEventListener("change", function (ev) { explorer.focus(ev.target.checked); });
  byId("quiz-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = byId("quiz-answer");
    answer(input.value);
    input.value = "";
    input.focus();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.target && ev.target.tagName === "INPUT" && ev.target.type === "text") return;
    var keys = { ArrowRight: explorer.step, ArrowLeft: explorer.back, Home: explorer.reset, End: explorer.last };
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });

  fit();
  render();
})();
