// Runner history: fitness (CTL), fatigue (ATL), form (TSB) per day; weekly volume.
"use strict";
(function () {
  const source = document.getElementById("history-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const SR = window.SR;
  const day = (row, key) => ({ x: SR.dayNumber(String(row.day)), y: row[key] });
  // Days after the last session are projected (rest to today, then the plans): dashed.
  const firstProjected = data.days.findIndex((r) => r.projected);
  const projectedFrom = firstProjected < 0 ? Infinity : SR.dayNumber(String(data.days[firstProjected].day));
  const dashed = { borderDash: (ctx) => (ctx.p1.parsed.x >= projectedFrom ? [6, 4] : undefined) };
  const line = (label, key, color, extra) => Object.assign({
    label: label, data: data.days.map((r) => day(r, key)).filter((p) => p.y !== null),
    borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 1.5, segment: dashed,
  }, extra || {});
  SR.lineChart(document.getElementById("fitness-chart"), [
    line("Fitness (CTL)", "ctl", "#0d6efd"),
    line("Fatigue (ATL)", "atl", "#dc3545"),
    line("Form (TSB)", "form", "#198754"),
    Object.assign(line("Daily load", "load", "#adb5bd"), {
      showLine: false, pointRadius: 2,
      data: data.days.map((r) => day(r, "load")).filter((p) => p.y !== null && p.y > 0),
    }),
  ], {}, (item) => `${item.dataset.label}: ${item.parsed.y.toFixed(1)}`);

  const canvas = document.getElementById("volume-chart");
  if (!canvas) return;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.weeks.map((w) => String(w.week)),
      datasets: [
        { label: `Running distance (${SR.distanceUnit})`, data: data.weeks.map((w) => w.running_distance_m / SR.unitMetres), backgroundColor: "#0d6efd", yAxisID: "y" },
        { label: "Load", data: data.weeks.map((w) => w.load), backgroundColor: "#fd7e14", yAxisID: "load" },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: !SR.inChartBox(canvas),
      scales: { y: { title: { display: true, text: SR.distanceUnit } },
                load: { position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "load" } } },
    },
  });
})();
