// A workout's structure as a filled line: intensity (% of CS or FTP) over time.
// Data: {segments: [[start_s, end_s, from, to, kind], ...], sport, cs_mps, reference_cs_mps}.
"use strict";
window.SR = window.SR || {};
(function (SR) {
  // Colours by pace zone (upper bounds as fractions of CS, SCIENCE.md), grey for free running.
  const ZONE_UPPERS = [0.80, 0.87, 0.95, 1.05, 1.19, Infinity];
  const ZONE_COLOURS = ["#8fb8de", "#4a90d9", "#2e9e6b", "#f0ad4e", "#e8663d", "#c0392b"];
  const KIND_COLOURS = { free: "#adb5bd", max: "#6f1d1b" };

  function colourOf(segment) {
    if (!segment) return ZONE_COLOURS[0];
    if (KIND_COLOURS[segment[4]]) return KIND_COLOURS[segment[4]];
    const middle = (segment[2] + segment[3]) / 2;
    return ZONE_COLOURS[ZONE_UPPERS.findIndex((upper) => middle < upper)];
  }

  function points(segments) {
    const result = [];
    segments.forEach((s) => {
      result.push({ x: s[0] / 60, y: s[2] * 100 });
      result.push({ x: s[1] / 60, y: s[3] * 100 });
    });
    return result;
  }

  SR.workoutChart = function (canvas, data, existing) {
    if (!canvas || !window.Chart) return null;
    const segments = data.segments || [];
    const speed = data.cs_mps || null;
    const unit = data.sport === "bike" ? "% FTP" : "% CS";
    const segmentOf = (ctx) => segments[Math.floor(ctx.p0DataIndex / 2)];
    const dataset = {
      data: points(segments),
      fill: "origin",
      pointRadius: 0,
      borderWidth: 1.5,
      borderColor: "#1f4e79",
      backgroundColor: ZONE_COLOURS[1],
      segment: {
        backgroundColor: (ctx) => colourOf(segmentOf(ctx)) + "cc",
        borderColor: (ctx) => colourOf(segmentOf(ctx)),
      },
    };
    const totalMinutes = segments.length ? segments[segments.length - 1][1] / 60 : 1;
    if (existing) {
      existing.data.datasets[0] = dataset;
      existing.options.scales.x.max = totalMinutes;
      existing.update();
      return existing;
    }
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: [dataset] },
      options: {
        animation: false,
        parsing: false,
        maintainAspectRatio: true,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        scales: {
          x: {
            type: "linear", min: 0, max: totalMinutes,
            title: { display: true, text: data.reference_cs_mps
              ? `time (distance steps at ${SR.pace(data.reference_cs_mps)} ${SR.paceUnit})` : "time" },
            ticks: { callback: (v) => SR.duration(v * 60), maxTicksLimit: 10 },
          },
          y: { min: 0, suggestedMax: 120, title: { display: true, text: unit },
               ticks: { callback: (v) => `${v} %` } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => items.length ? SR.duration(items[0].parsed.x * 60) : "",
              label: (item) => {
                const pct = item.parsed.y;
                const pace = speed ? ` · ${SR.pace(pct / 100 * speed)} ${SR.paceUnit}` : "";
                return `${pct.toFixed(0)} ${unit}${pace}`;
              },
            },
          },
        },
      },
    });
  };

  const source = document.getElementById("workout-chart-data");
  const canvas = document.getElementById("workout-chart");
  if (source && canvas && !document.getElementById("editor-data")) {
    SR.workoutChart(canvas, JSON.parse(source.textContent));
  }
})(window.SR);
