/* Every chart of every page: each <div data-chart="ID"> is drawn by ECharts from the option
 * held in the <script type="application/json" id="ID"> the server wrote (json_script), so no
 * data and no code ever sit in a JavaScript string.
 *
 * - Options are plain JSON. Where a chart needs a function (a tooltip or label formatter,
 *   a tooltip's valueFormatter), the option names one of FORMATTERS below:
 *   {"formatter": {"named": "lines"}}; names that are not known leave ECharts' default.
 *   Text that reaches HTML is escaped here: the formatters escape what they return, and a
 *   tooltip's string template ("{b}: {c}") is escaped before ECharts fills it in (ECharts
 *   escapes the names and values it puts in). Labels, legends and axes are drawn as text on
 *   the canvas, never as HTML.
 * - A click on an item (graph node or edge, Sankey link, bar) that carries a `url` opens it.
 * - Charts mount on load and again after every htmx swap (htmx:afterSettle); a box whose
 *   element was replaced is drawn anew; all charts follow the window's size.
 * - When every [data-chart] on the page is drawn (or has a null option: data-mounted="empty"),
 *   <body data-charts-ready="1"> is set. */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text === null || text === undefined ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function fixed(x, digits) {
    return typeof x === "number" ? x.toFixed(digits) : escapeHtml(x);
  }

  function chinese() {
    return /^zh/i.test(document.documentElement.lang || "zh");
  }

  /* a number with thousands separators, at most two decimals */
  function grouped(x, digits) {
    if (typeof x !== "number" || !isFinite(x)) {
      return x === null || x === undefined ? "—" : escapeHtml(x);
    }
    return x.toLocaleString(chinese() ? "zh-CN" : "en-US", { maximumFractionDigits: digits });
  }

  /* Named formatters an option may ask for. Each takes ECharts' formatter argument. */
  var FORMATTERS = {
    /* tooltip: the item's `lines` (a list of plain texts), escaped, one per line */
    lines: function (params) {
      var data = params && params.data;
      var lines = data && data.lines;
      return lines ? lines.map(escapeHtml).join("<br>") : "";
    },
    /* axis label: a number rounded to an integer (years on a value axis) */
    integer: function (value) {
      return String(Math.round(value));
    },
    /* tooltip's value (valueFormatter): money with thousands separators */
    money: function (value) {
      return grouped(value, 2);
    },
    /* value axis of money: 万 and 亿 (k and M in English) so that long numbers fit */
    wan: function (value) {
      var a = Math.abs(value);
      var steps = chinese() ? [[1e8, "亿"], [1e4, "万"]] : [[1e6, "M"], [1e3, "k"]];
      for (var i = 0; i < steps.length; i += 1) {
        if (a >= steps[i][0]) {
          return grouped(value / steps[i][0], 1) + steps[i][1];
        }
      }
      return grouped(value, 2);
    },
    /* tooltip of a phase portrait: x, y (and z) of the point, three decimals */
    point: function (params) {
      var v = (params && params.value) || [];
      var names = ["x", "y", "z"];
      return v.slice(0, 3).map(function (x, i) { return names[i] + "=" + fixed(x, 3); }).join(" ");
    }
  };

  function isFormatter(key) {
    return key === "formatter" || key === "valueFormatter";
  }

  /* A copy of the option with every {"named": NAME} formatter replaced by its function and
     every string template of a tooltip (inTooltip) escaped. */
  function resolve(node, inTooltip) {
    if (Array.isArray(node)) {
      return node.map(function (item) { return resolve(item, inTooltip); });
    }
    if (node === null || typeof node !== "object") {
      return node;
    }
    var out = {};
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (isFormatter(key) && value && typeof value === "object" && !Array.isArray(value)) {
        if (Object.prototype.hasOwnProperty.call(FORMATTERS, value.named)) {
          out[key] = FORMATTERS[value.named];
        }
        return;
      }
      if (isFormatter(key) && inTooltip && typeof value === "string") {
        out[key] = escapeHtml(value);
        return;
      }
      out[key] = resolve(value, inTooltip || key === "tooltip");
    });
    return out;
  }

  function readOption(id) {
    var el = id ? document.getElementById(id) : null;
    if (!el) {
      return null;
    }
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  function open(params) {
    var data = params && params.data;
    if (data && typeof data.url === "string" && data.url.charAt(0) === "/") {
      window.location.assign(data.url);
    }
  }

  var mounted = [];

  function markReady() {
    var boxes = document.querySelectorAll("[data-chart]");
    var pending = document.querySelectorAll("[data-chart]:not([data-mounted])");
    if (boxes.length && !pending.length) {
      document.body.dataset.chartsReady = "1";
    }
  }

  function mount(root) {
    if (typeof echarts === "undefined") {
      return;
    }
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("[data-chart]"), function (box) {
      if (box.dataset.mounted) {
        return;
      }
      var option = readOption(box.dataset.chart);
      if (!option) {
        box.dataset.mounted = "empty"; /* nothing to draw (the option is null) */
        return;
      }
      var old = echarts.getInstanceByDom(box);
      if (old) {
        old.dispose();
      }
      var chart = echarts.init(box);
      chart.setOption(resolve(option, false));
      chart.on("click", open);
      box.dataset.mounted = "1";
      mounted.push(chart);
    });
    mounted = mounted.filter(function (chart) {
      if (!document.body.contains(chart.getDom())) {
        chart.dispose();
      }
      return !chart.isDisposed();
    });
    markReady();
  }

  var api = {
    mount: mount,
    /** The ECharts instance drawn in the element with this id (for tests and the console). */
    chart: function (id) {
      var el = document.getElementById(id);
      return el && typeof echarts !== "undefined" ? echarts.getInstanceByDom(el) : null;
    },
    open: open,
    resolve: resolve,
    formatters: FORMATTERS
  };
  window.gongshengCharts = api;
  window.gongshengDiagnosis = api; /* the name the diagnosis pages used first */

  document.addEventListener("DOMContentLoaded", function () { mount(document); });
  document.addEventListener("htmx:afterSettle", function () { mount(document); });
  window.addEventListener("resize", function () {
    mounted.forEach(function (chart) { if (!chart.isDisposed()) { chart.resize(); } });
  });
})();
