/* Charts of the modelling pages: read the JSON the result partial embeds and draw it with
   ECharts; run on load and after every htmx swap of a result. */
(function () {
  "use strict";
  var COLORS = ["#0b6e4f", "#2b6cb0", "#b7791f", "#9b2c2c", "#6b46c1"];
  var charts = [];

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function init(id) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") return null;
    var old = echarts.getInstanceByDom(el);
    if (old) old.dispose();
    var c = echarts.init(el);
    charts.push(c);
    return c;
  }

  function logistic() {
    var d = data("logistic-data");
    if (!d) return;
    var c = init("chart-logistic");
    if (!c) return;
    var series = [];
    d.labels.forEach(function (label, j) {
      series.push({name: label, type: "scatter", symbolSize: 8, color: COLORS[j],
        data: d.years.map(function (y, k) { return [y, d.observed[j][k]]; })});
      series.push({name: label, type: "line", showSymbol: false, smooth: true, color: COLORS[j],
        data: d.curve_t.map(function (t, k) { return [t, d.curve[j][k]]; }),
        markLine: d.equilibrium && d.equilibrium[j] !== null ? {symbol: "none", silent: true,
          lineStyle: {type: "dashed", color: COLORS[j]}, data: [{yAxis: d.equilibrium[j]}]} : undefined});
    });
    c.setOption({tooltip: {trigger: "axis"}, legend: {data: d.labels},
      xAxis: {type: "value", min: "dataMin", max: "dataMax", axisLabel: {formatter: function (v) { return String(Math.round(v)); }}},
      yAxis: {type: "value", scale: true}, series: series});
  }

  function game() {
    var d = data("game-data");
    if (!d) return;
    var phase = init("chart-phase");
    if (phase) {
      var series = d.trajectories.map(function (tr, i) {
        return {type: "line", showSymbol: false, name: "(" + tr.start.join(", ") + ")",
          data: tr.x.map(function (p) { return [p[0], p[1], p[2]]; }),
          lineStyle: {width: 2},
          color: COLORS[i % COLORS.length]};
      });
      series.push({type: "scatter", name: "start", symbolSize: 7, color: "#555",
        data: d.trajectories.map(function (tr) { return [tr.start[0], tr.start[1]]; })});
      phase.setOption({tooltip: {trigger: "item", formatter: function (p) {
          var v = p.value; return "x=" + v[0].toFixed(3) + " y=" + v[1].toFixed(3) + (v.length > 2 ? " z=" + v[2].toFixed(3) : ""); }},
        visualMap: {show: false, dimension: 2, min: 0, max: 1, seriesIndex: d.trajectories.map(function (_, i) { return i; }),
          inRange: {opacity: [0.35, 1]}},
        xAxis: {type: "value", min: 0, max: 1, name: d.populations[0]},
        yAxis: {type: "value", min: 0, max: 1, name: d.populations[1]}, series: series});
    }
    var sw = init("chart-sweep");
    if (sw && d.sweep) {
      var s = d.sweep;
      var lines = s.corners.map(function (label, k) {
        return {name: label, type: "line", step: "end", showSymbol: false,
          data: s.values.map(function (v, i) { return [v, s.ess[i][k] ? 1 : 0]; })};
      }).filter(function (ser) { return ser.data.some(function (p) { return p[1] === 1; }); });
      lines.push({name: "ESS", type: "line", step: "end", showSymbol: false, yAxisIndex: 1, lineStyle: {type: "dotted"},
        data: s.values.map(function (v, i) { return [v, s.n_ess[i]]; }),
        markLine: s.threshold !== null ? {symbol: "none", data: [{xAxis: s.threshold}], label: {formatter: s.param + " = " + s.threshold.toFixed(3)}} : undefined});
      sw.setOption({tooltip: {trigger: "axis"}, legend: {},
        xAxis: {type: "value", name: s.param}, yAxis: [{type: "value", min: 0, max: 1, name: "ESS?"}, {type: "value", min: 0, minInterval: 1, name: "#ESS"}],
        series: lines});
    }
  }

  function draw() { logistic(); game(); document.body.dataset.chartsReady = "1"; }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () { charts.forEach(function (c) { if (!c.isDisposed()) c.resize(); }); });
})();
