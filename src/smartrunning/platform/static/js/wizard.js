// Live previews of the onboarding wizard, computed by the server (one set of formulas).
"use strict";
(function () {
  const SR = window.SR;
  const debounce = (fn, ms) => { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; };
  const num = (el) => (el && el.value !== "" ? Number(el.value) : null);
  const cell = (text) => { const td = document.createElement("td"); td.textContent = text; return td; };
  const row = (...texts) => { const tr = document.createElement("tr"); texts.forEach((t) => tr.appendChild(cell(t))); return tr; };
  const table = (head, rows) => {
    const t = document.createElement("table"); t.className = "table table-sm";
    const thead = t.createTHead().insertRow();
    head.forEach((h) => { const th = document.createElement("th"); th.textContent = h; thead.appendChild(th); });
    const body = t.createTBody(); rows.forEach((r) => body.appendChild(r));
    return t;
  };

  // "As of" dates: not after today, not before the birth date (the server refuses both too).
  document.querySelectorAll("form.as-of-form").forEach((form) => {
    const dates = form.querySelectorAll("input[name=weight_as_of], input[name=valid_from], input[name=as_of]");
    const birth = form.elements.birth_date;
    const limit = () => dates.forEach((el) => {
      el.max = form.dataset.today;
      const min = birth ? birth.value : form.dataset.birthDate;
      if (min) el.min = min; else el.removeAttribute("min");
    });
    if (birth) birth.addEventListener("change", limit);
    limit();
  });

  const hrForm = document.getElementById("hr-form");
  if (hrForm) {
    const preview = document.getElementById("zones-preview");
    const basis = document.getElementById("zones-basis");
    const error = document.getElementById("zones-error");
    const update = debounce(async () => {
      const body = {
        birth_date: hrForm.dataset.birthDate,
        hrmax_bpm: num(hrForm.elements.hrmax_bpm),
        hrrest_bpm: num(hrForm.elements.hrrest_bpm),
        method: hrForm.elements.method.value,
        start: num(hrForm.elements.start_pct) / 100,
        uppers: [1, 2, 3, 4, 5].map((i) => num(hrForm.elements["z" + i]) / 100),
      };
      try {
        const data = await SR.postJson(hrForm.dataset.previewUrl, body);
        preview.replaceChildren(table(["Zone", "From (bpm)", "To (bpm)"],
          data.zones.map((z) => row(`${z.number} ${z.name}`, z.lower.toFixed(0), z.upper === null ? "" : z.upper.toFixed(0)))));
        basis.textContent = `Based on HRmax ${data.hrmax_bpm.toFixed(0)} bpm (${data.hrmax_source}).`;
        error.classList.add("d-none");
      } catch (e) {
        error.textContent = e.message; error.classList.remove("d-none");
      }
    }, 250);
    hrForm.addEventListener("input", update);
    hrForm.addEventListener("change", update);
  }

  const bestsForm = document.getElementById("bests-form");
  if (bestsForm) {
    const preview = document.getElementById("cs-preview");
    const efforts = () => {
      const list = [];
      document.querySelectorAll(".existing-best").forEach((tr) => list.push({
        distance_m: Number(tr.dataset.distanceM), time: tr.dataset.timeS, date: tr.dataset.date }));
      bestsForm.querySelectorAll(".best-row").forEach((tr) => {
        const [distance, time, date] = tr.querySelectorAll("select, input");
        if (distance.value && time.value && date.value) {
          list.push({ distance_m: Number(distance.value), time: time.value, date: date.value });
        }
      });
      return list;
    };
    const update = debounce(async () => {
      const list = efforts();
      if (list.length < 1) return;
      try {
        const data = await SR.postJson(bestsForm.dataset.previewUrl, { efforts: list });
        const fit = data.fit;
        const parts = [];
        const summary = document.createElement("p");
        const est = fit.estimate;
        summary.textContent = fit.status === "fitted"
          ? `CS ${SR.pace(fit.cs_mps)} ${SR.paceUnit} (${fit.cs_mps.toFixed(2)} m/s), D′ ${fit.d_prime_m.toFixed(0)} m, R² ${fit.r_squared.toFixed(4)}, from ${fit.used.length} efforts.`
          : est
            ? `CS ${SR.pace(est.cs_mps)} ${SR.paceUnit} (${est.cs_mps.toFixed(2)} m/s), D′ ${est.d_prime_m.toFixed(0)} m, estimated from VDOT ${est.vdot.toFixed(1)} (too few races of 2–20 min for a fit).`
            : "Not enough races for a fit yet.";
        parts.push(summary);
        fit.warnings.forEach((w) => {
          const div = document.createElement("div"); div.className = "alert alert-warning py-1 px-2 small mb-1";
          div.textContent = w.message; parts.push(div);
        });
        parts.push(table(["Distance", "Critical speed", "Riegel", "VDOT"], data.predictions.map((p) => row(
          p.label, SR.duration(p.critical_speed.time_s), SR.duration(p.riegel.time_s), SR.duration(p.vdot.time_s)))));
        preview.replaceChildren(...parts);
      } catch (e) {
        const p = document.createElement("p"); p.className = "text-danger"; p.textContent = e.message;
        preview.replaceChildren(p);
      }
    }, 300);
    bestsForm.addEventListener("input", update);
    bestsForm.addEventListener("change", update);
    update();
  }
})();
