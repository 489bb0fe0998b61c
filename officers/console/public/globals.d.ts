// What the console's scripts find on window: ECharts, on the dashboard only (served from the npm package).
interface Window {
  echarts?: typeof import('echarts');
}
