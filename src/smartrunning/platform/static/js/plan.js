// Plan page: projected fitness (CTL), fatigue (ATL) and form (TSB) to race day.
"use strict";
(function () {
  const source = document.getElementById("projection-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const SR = window.SR;
  const line = (label, key, color) => ({
    label: label,
    data: data.days.map((r) => ({ x: SR.dayNumber(String(r.date)), y: r[key] })),
    borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 1.5,
  });
  const load = Object.assign(line("Planned load", "load", "#adb5bd"), { showLine: false, pointRadius: 2 });
  const canvas = document.getElementById("projection-chart");
  // Chart.js keeps the canvas's width:height ratio; taller on phones so it stays legible.
  if (canvas && window.innerWidth < 576) canvas.setAttribute("height", "240");
  SR.lineChart(canvas, [
    line("Fitness (CTL)", "ctl", "#0d6efd"),
    line("Fatigue (ATL)", "atl", "#dc3545"),
    line("Form (TSB)", "form", "#198754"),
    load,
  ], {}, (item) => `${item.dataset.label}: ${item.parsed.y.toFixed(1)}`);
})();
