// Session detail: pace, HR, elevation and cadence over time or distance; zones; the route.
// Zones come with the page; the series and the route are fetched (and cached by the
// browser under the records' hash), so the page itself stays light.
"use strict";
(function () {
  const source = document.getElementById("session-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const SR = window.SR;
  // Each sport in its own unit (science.sports): pace per 1 km, 100 m, 100 yd or 500 m, or km/h;
  // per mile and mph for a reader of miles (data-units, data-speed-unit from the page).
  const speedUnit = source.dataset.speedUnit || "per_km";
  const miles = source.dataset.units === "mi";
  const distanceMetres = miles ? 1609.344 : 1000;
  const distanceUnit = miles ? "mi" : "km";
  const speedLabel = source.dataset.speedLabel || "Pace /km";
  const PACE_METRES = { per_km: 1000, per_mi: 1609.344, per_100m: 100, per_100yd: 91.44, per_500m: 500 };
  // Slowest speed drawn as a pace: the moving threshold (0.5 m/s), lower for swimmers.
  const PACE_FLOOR_MPS = { per_km: 0.5, per_mi: 0.5, per_100m: 0.2, per_100yd: 0.2, per_500m: 0.5 };
  const isPace = speedUnit in PACE_METRES;
  const unitText = speedLabel.replace(/^\S+\s*/, "");
  drawZones(data.zones || {});
  fetch(source.dataset.chartsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((answer) => {
      if (!answer.ok) throw new Error(`charts: HTTP ${answer.status}`);
      return answer.json();
    })
    .then((charts) => {
      drawSeries(charts.series || { points: 0 });
      drawRoute((charts.track && charts.track.points) || []);
    })
    .catch(() => {
      const note = document.getElementById("route-note");
      if (note) note.textContent = "The charts could not be loaded; reload the page to try again.";
    });

  function sportSpeed(speeds) {
    return (speeds || []).map((v) => {
      if (v === null || !(v > 0)) return null;
      if (!isPace) return speedUnit === "mph" ? v * 3600 / 1609.344 : v * 3.6;
      return v >= PACE_FLOOR_MPS[speedUnit] ? PACE_METRES[speedUnit] / v : null;
    });
  }

  function drawSeries(series) {
    const charts = [];
    series.sport_speed = sportSpeed(series.speed_mps);

    const xValues = (axis) => axis === "distance"
      ? (series.distance_m || []).map((d) => (d === null ? null : d / distanceMetres))
      : (series.elapsed_s || []).map((t) => (t === null ? null : t / 60));
    const points = (ys, axis) => xValues(axis).map((x, i) => ({ x: x, y: ys[i] }))
      .filter((p) => p.x !== null && p.y !== null);
    const axisTitle = (axis) => (axis === "distance" ? distanceUnit : "minutes");

    const lineChart = (id, label, key, color, yOptions, tooltip) => {
      const canvas = document.getElementById(id);
      const values = series[key] || [];
      if (!canvas || !values.some((v) => v !== null)) {
        if (canvas) canvas.replaceWith(Object.assign(document.createElement("p"),
          { className: "small text-body-secondary", textContent: `No ${label.toLowerCase()} recorded.` }));
        return;
      }
      const chart = new window.Chart(canvas, {
        type: "line",
        data: { datasets: [{ label: label, data: points(values, "time"), borderColor: color,
                             backgroundColor: color, pointRadius: 0, borderWidth: 1.5 }] },
        options: {
          animation: false, parsing: false, spanGaps: false,
          scales: { x: { type: "linear", title: { display: true, text: "minutes" } }, y: yOptions },
          plugins: { legend: { display: true }, tooltip: { callbacks: { label: tooltip } } },
        },
      });
      chart.$key = key;
      charts.push(chart);
    };

    if (isPace) {
      lineChart("pace-chart", speedLabel, "sport_speed", "#0d6efd",
        // Whole seconds: a swim's pace spans a few seconds, and half-second ticks read twice.
        { reverse: true, ticks: { precision: 0, callback: (v) => SR.duration(v) } },
        (item) => `${SR.duration(item.parsed.y)} ${unitText}`);
    } else {
      lineChart("pace-chart", speedLabel, "sport_speed", "#0d6efd", {},
        (item) => `${item.parsed.y.toFixed(1)} ${unitText}`);
    }
    lineChart("hr-chart", "Heart rate (bpm)", "heart_rate_bpm", "#dc3545", {},
      (item) => `${item.parsed.y.toFixed(0)} bpm`);
    lineChart("altitude-chart", "Elevation (m)", "altitude_m", "#198754", {},
      (item) => `${item.parsed.y.toFixed(0)} m`);
    lineChart("cadence-chart", "Cadence (steps/min)", "cadence_spm", "#6f42c1", {},
      (item) => `${item.parsed.y.toFixed(0)} spm`);

    document.querySelectorAll('input[name="axis"]').forEach((radio) => radio.addEventListener("change", () => {
      const axis = radio.value;
      charts.forEach((chart) => {
        chart.data.datasets[0].data = points(series[chart.$key], axis);
        chart.options.scales.x.title.text = axisTitle(axis);
        chart.update();
      });
    }));
  }

  function drawZones(zones) {
    const zonesCanvas = document.getElementById("zones-chart");
    const zoneRows = (z) => (z && z.zones ? [z.below_s || 0, ...z.zones.map((r) => r.seconds)]
      .map((s) => s / 60) : []);
    const hr = zoneRows(zones.hr), pace = zoneRows(zones.pace);
    if (zonesCanvas && (hr.length || pace.length)) {
      const n = Math.max(hr.length, pace.length);
      const labels = Array.from({ length: n }, (_, i) => (i === 0 ? "below Z1" : `Z${i}`));
      // Pace zones exist for the foot sports judged by speed only (science.sports).
      const datasets = [];
      if (hr.length) datasets.push({ label: "Heart-rate zones (min)", data: hr, backgroundColor: "#dc3545" });
      if (pace.length) datasets.push({ label: "Pace zones (min)", data: pace, backgroundColor: "#0d6efd" });
      new window.Chart(zonesCanvas, {
        type: "bar",
        data: { labels: labels, datasets: datasets },
        options: { animation: false, plugins: { tooltip: { callbacks: {
          label: (item) => `${item.dataset.label.split(" (")[0]}: ${SR.duration(item.parsed.y * 60)}` } } } },
      });
    }
  }

  // The route, projected locally (equirectangular, scaled by cos(latitude)); no tiles.
  function drawRoute(track) {
    const canvas = document.getElementById("route");
    const note = document.getElementById("route-note");
    if (!canvas) return;
    if (track.length < 2) {
      canvas.hidden = true;  // a pool swim or an ergometer: no empty frame
      note.textContent = "No GPS track in this session.";
      return;
    }
    const width = canvas.clientWidth || 600;
    canvas.width = width;
    const height = canvas.height;
    const midLat = track.reduce((s, p) => s + p[0], 0) / track.length;
    const k = Math.cos((midLat * Math.PI) / 180);
    const xs = track.map((p) => p[1] * k), ys = track.map((p) => p[0]);
    const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
    const scale = 0.9 * Math.min(width / (maxX - minX || 1e-9), height / (maxY - minY || 1e-9));
    const ox = (width - scale * (maxX - minX)) / 2, oy = (height - scale * (maxY - minY)) / 2;
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 3; ctx.strokeStyle = "#0d6efd"; ctx.lineJoin = "round";
    ctx.beginPath();
    xs.forEach((x, i) => {
      const px = ox + (x - minX) * scale, py = height - (oy + (ys[i] - minY) * scale);
      if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    });
    ctx.stroke();
    const dot = (i, color) => {
      ctx.fillStyle = color; ctx.beginPath();
      ctx.arc(ox + (xs[i] - minX) * scale, height - (oy + (ys[i] - minY) * scale), 6, 0, 2 * Math.PI);
      ctx.fill();
    };
    dot(0, "#198754"); dot(xs.length - 1, "#dc3545");
    // xs are already scaled by cos(latitude): both extents are in degrees of latitude.
    const spanKm = Math.max(maxX - minX, maxY - minY) * 111.32;
    const spanUnits = spanKm * 1000 / distanceMetres;
    const span = spanKm < 1 ? `${Math.round(spanKm * 1000)} m` : `${spanUnits.toFixed(1)} ${distanceUnit}`;
    note.textContent = `Start green, finish red; the route spans about ${span}.`;
  }
})();
