// Shared Chart.js helpers: dates on a linear axis (no date adapter needed).
"use strict";
window.SR = window.SR || {};
(function (SR) {
  const DAY_MS = 86400000;
  SR.dayNumber = function (iso) { return Date.parse(iso + "T00:00:00Z") / DAY_MS; };
  SR.dayLabel = function (day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); };
  SR.duration = function (seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return "–";
    const total = Math.round(seconds);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const mm = String(m).padStart(2, "0"), ss = String(s).padStart(2, "0");
    return h ? `${h}:${mm}:${ss}` : `${m}:${ss}`;
  };
  // The reader's units (the page's <body data-units>, "km" or "mi"): paces per km or mile.
  SR.units = (document.body && document.body.dataset.units) === "mi" ? "mi" : "km";
  SR.unitMetres = SR.units === "mi" ? 1609.344 : 1000;
  SR.paceUnit = SR.units === "mi" ? "/mi" : "/km";
  SR.distanceUnit = SR.units;
  SR.pace = function (mps) { return mps ? SR.duration(SR.unitMetres / mps) : "–"; };
  // A pace given in seconds per km, in seconds per the reader's unit.
  SR.perUnit = function (secondsPerKm) { return secondsPerKm * SR.unitMetres / 1000; };
  // range: {min, max} day numbers; line charts give their data's ends (else Chart.js
  // rounds the axis outwards, years past the data).
  SR.dateAxis = function (range) {
    return Object.assign(
      { type: "linear", ticks: { callback: (v) => SR.dayLabel(v), maxTicksLimit: 6 } },
      range || {});
  };
  // The first and last day of the datasets' points (a lone day gets a day either side).
  SR.dataRange = function (datasets) {
    let min = Infinity, max = -Infinity;
    datasets.forEach((d) => (d.data || []).forEach((p) => {
      if (p.x < min) min = p.x;
      if (p.x > max) max = p.x;
    }));
    if (!isFinite(min)) return undefined;
    return min === max ? { min: min - 1, max: max + 1 } : { min: min, max: max };
  };
  // A canvas in a .chart-box takes the box's height instead of a fixed aspect ratio.
  SR.inChartBox = function (canvas) {
    return Boolean(canvas.parentElement && canvas.parentElement.classList.contains("chart-box"));
  };
  SR.lineChart = function (canvas, datasets, yAxis, tooltipLabel) {
    if (!canvas || !window.Chart) return null;
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        animation: false,
        parsing: false,
        maintainAspectRatio: !SR.inChartBox(canvas),
        scales: { x: SR.dateAxis(SR.dataRange(datasets)), y: yAxis || {} },
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              title: (items) => items.length ? SR.dayLabel(items[0].parsed.x) : "",
              label: tooltipLabel || ((item) => `${item.dataset.label}: ${item.parsed.y}`),
            },
          },
        },
      },
    });
  };
  SR.csrfToken = function () {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  };
  SR.postJson = async function (url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": SR.csrfToken() },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) {
      const error = new Error((data.error && data.error.message) || response.statusText);
      error.details = data.error && data.error.details;
      throw error;
    }
    return data;
  };
})(window.SR);
