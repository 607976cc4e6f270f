// Charts of the runner profile page: CS over time, PB progression, HRmax over time.
"use strict";
(function () {
  const source = document.getElementById("profile-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const SR = window.SR;
  const palette = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997",
                   "#6c757d", "#d63384", "#0dcaf0", "#ffc107"];
  const points = (rows, key) => rows.map((r) => ({ x: SR.dayNumber(r.x), y: r[key || "y"] }));
  // A stepped series holds its last value until today.
  const untilToday = (rows) => rows.length
    ? [...points(rows), { x: SR.dayNumber(data.today), y: rows[rows.length - 1].y }] : [];

  const csChart = SR.lineChart(
    document.getElementById("cs-chart"),
    [{ label: "Critical speed (m/s)", data: untilToday(data.cs), stepped: true,
       borderColor: palette[0], backgroundColor: palette[0] },
     { label: "D′ (m)", data: untilToday(data.cs.map((r) => ({ x: r.x, y: r.d }))),
       stepped: true, borderColor: palette[3], backgroundColor: palette[3], yAxisID: "d" }],
    { title: { display: true, text: "CS (m/s)" }, ticks: { callback: (v) => v.toFixed(3) } },
    (item) => item.datasetIndex === 0
      ? `CS ${SR.pace(item.parsed.y)} ${SR.paceUnit} (${item.parsed.y.toFixed(2)} m/s)`
      : `D′ ${item.parsed.y.toFixed(0)} m`
  );
  if (csChart) {
    csChart.options.scales.d = { position: "right", title: { display: true, text: "D′ (m)" },
                                 grid: { drawOnChartArea: false } };
    csChart.update();
  }
  SR.lineChart(
    document.getElementById("zones-chart"),
    [0, 1, 2, 3, 4].map((i) => ({
      label: `Zone ${i + 1} up to`,
      data: data.zones.map((z) => ({ x: SR.dayNumber(z.x), y: z.uppers[i] })),
      stepped: true, borderColor: palette[i], backgroundColor: palette[i],
    })),
    { title: { display: true, text: "bpm" } },
    (item) => `${item.dataset.label} ${item.parsed.y.toFixed(0)} bpm`
  );
  const bests = Object.entries(data.bests).map(([label, rows], i) => ({
    label: label, data: points(rows), borderColor: palette[i % palette.length],
    backgroundColor: palette[i % palette.length],
  }));
  SR.lineChart(
    document.getElementById("bests-chart"), bests,
    { reverse: true, title: { display: true, text: `average pace ${SR.paceUnit}` },
      ticks: { callback: (v) => SR.duration(SR.perUnit(v)) } },
    (item) => `${item.dataset.label}: ${SR.duration(SR.perUnit(item.parsed.y))} ${SR.paceUnit}`
  );
  SR.lineChart(
    document.getElementById("hrmax-chart"),
    [{ label: "Max HR (bpm)", data: untilToday(data.hrmax), stepped: true,
       borderColor: palette[1], backgroundColor: palette[1] }],
    {}, (item) => `Max HR ${item.parsed.y} bpm`
  );
})();
