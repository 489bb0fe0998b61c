// @ts-check — type-checked by test/console/assets.test.ts (officers/console/public/tsconfig.json).
// The supervisors' dashboard charts: two stacked bar charts (weekly cases by category and by
// department) drawn with ECharts from the page's JSON block (#dashboard-data). Plain ES2020, no build
// step; loaded after /console/vendor/echarts.min.js. Without ECharts (not served, blocked) nothing is
// drawn and the tables below the charts carry the same numbers.
/**
 * The page's JSON block, as dashboard-page.ts writes it.
 * @typedef {{ name: string, data: number[] }} Series
 * @typedef {{ series: Series[] }} Chart
 * @typedef {{ weeks: string[], labels?: { week?: string }, charts: Record<'categories' | 'departments', Chart | undefined> }} Data
 */
(function () {
  'use strict';

  var source = document.getElementById('dashboard-data');
  if (!source || !window.echarts) return;
  var echarts = window.echarts;

  /** @type {Data | null} */
  var parsed;
  try {
    parsed = JSON.parse(source.textContent || '{}');
  } catch (e) {
    return;
  }
  if (!parsed || !Array.isArray(parsed.weeks) || !parsed.charts) return;
  var data = parsed;

  var motion = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  var reduced = function () {
    return Boolean(motion && motion.matches);
  };

  /**
   * @param {Chart} chart
   * @returns {import('echarts').EChartsOption}
   */
  function option(chart) {
    var series = (chart.series || []).map(function (s) {
      /** @type {import('echarts').BarSeriesOption} */
      var bar = {
        name: String(s.name),
        type: 'bar',
        stack: 'total',
        emphasis: { focus: 'series' },
        data: Array.isArray(s.data) ? s.data : [],
      };
      return bar;
    });
    return {
      animation: !reduced(),
      // The container is role="img" with its own label, and the table below holds the figures.
      aria: { enabled: false },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', top: 0 },
      // ECharts 6 keeps the axis labels and names inside the container (grid.outerBoundsMode 'auto').
      grid: { left: 48, right: 16, top: 48, bottom: 48 },
      xAxis: { type: 'category', name: data.labels && data.labels.week, nameLocation: 'middle', nameGap: 28, data: data.weeks.map(function (w) { return String(w).slice(5); }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: series,
    };
  }

  /** @type {{ instance: import('echarts').ECharts, chart: Chart }[]} */
  var charts = [];
  /** @type {('categories' | 'departments')[]} */ (['categories', 'departments']).forEach(function (kind) {
    var el = document.getElementById('chart-' + kind);
    var chart = data.charts[kind];
    if (!el || !chart) return;
    var instance = echarts.init(el);
    instance.setOption(option(chart));
    el.classList.add('chart-drawn');
    charts.push({ instance: instance, chart: chart });
  });
  if (!charts.length) return;

  var pending = 0;
  window.addEventListener('resize', function () {
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = 0;
      charts.forEach(function (c) {
        c.instance.resize();
      });
    });
  });

  // The preference can change while the page is open (a system setting): follow it.
  if (motion && motion.addEventListener) {
    motion.addEventListener('change', function () {
      charts.forEach(function (c) {
        c.instance.setOption({ animation: !reduced() });
      });
    });
  }
})();
