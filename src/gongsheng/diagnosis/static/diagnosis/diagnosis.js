/* Diagnosis charts: each <div data-chart="ID"> gets the ECharts option held in the
 * <script type="application/json" id="ID"> that charts.py wrote (json_script; no data in JS).
 * A click on a graph node or edge, a Sankey link or a bar that carries a `url` opens it:
 * the unit's or the pair's evidence. Charts inside an htmx partial mount when it settles. */
(function () {
  "use strict";

  function readOption(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function open(params) {
    var data = params && params.data;
    if (data && data.url) {
      window.location.assign(data.url);
    }
  }

  var mounted = [];

  function mount(root) {
    if (typeof echarts === "undefined") {
      return;
    }
    var scope = root && root.querySelectorAll ? root : document;
    var boxes = scope.querySelectorAll("[data-chart]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.dataset.mounted === "1") {
        return;
      }
      var option = readOption(box.dataset.chart);
      if (!option) {
        return;
      }
      var chart = echarts.init(box);
      chart.setOption(option);
      chart.on("click", open);
      box.dataset.mounted = "1";
      mounted.push(chart);
    });
    if (document.querySelector("[data-chart]") && !document.querySelector("[data-chart]:not([data-mounted='1'])")) {
      document.body.dataset.chartsReady = "1";
    }
  }

  window.gongshengDiagnosis = {
    mount: mount,
    /** The ECharts instance drawn in the element with this id (for tests and the console). */
    chart: function (id) {
      var el = document.getElementById(id);
      return el ? echarts.getInstanceByDom(el) : null;
    },
    open: open
  };

  document.addEventListener("DOMContentLoaded", function () { mount(document); });
  document.addEventListener("htmx:afterSettle", function () { mount(document); });
  window.addEventListener("resize", function () {
    mounted.forEach(function (chart) { if (!chart.isDisposed()) { chart.resize(); } });
  });
})();
