// The structured step editor: add, remove and reorder steps; edit durations (time or
// distance) and intensities (% of CS or FTP). The steps travel as JSON in the hidden
// "steps" field and are validated on the server; a preview (chart and totals) comes from
// POST /api/workouts/preview. Fields the editor does not show (text events, attributes
// kept from a ZWO file) stay on each step object, so they survive editing.
"use strict";
(function () {
  const source = document.getElementById("editor-data");
  const list = document.getElementById("step-list");
  const form = document.getElementById("workout-form");
  if (!source || !list || !form) return;
  const SR = window.SR;
  const config = JSON.parse(source.textContent);
  const steps = Array.isArray(config.steps) ? config.steps : [];
  const hidden = form.querySelector('input[name="steps"]');
  const sportField = form.querySelector('select[name="sport"]');
  const NAMES = { steady: "Steady", warmup: "Warm-up", ramp: "Ramp", cooldown: "Cool-down",
                  intervals: "Intervals", free: "Free", max: "Max effort" };
  const DEFAULTS = {
    steady: { duration: 1200, unit: "s", intensity: 0.8 },
    warmup: { duration: 600, unit: "s", intensity_start: 0.6, intensity_end: 0.75 },
    ramp: { duration: 600, unit: "s", intensity_start: 0.75, intensity_end: 0.9 },
    cooldown: { duration: 600, unit: "s", intensity_start: 0.75, intensity_end: 0.6 },
    intervals: { repeat: 5, on_duration: 180, off_duration: 120, unit: "s",
                 on_intensity: 1.05, off_intensity: 0.65 },
    free: { duration: 600, unit: "s" },
    max: { duration: 10, unit: "s" },
  };
  // Display units: [label, canonical unit, factor to the canonical unit].
  const UNITS = { s: ["s", "s", 1], min: ["min", "s", 60], m: ["m", "m", 1], km: ["km", "m", 1000] };
  const displayUnits = new WeakMap();
  let chart = null;
  let timer = null;
  let serial = 0;

  function durationKeys(step) {
    return step.type === "intervals" ? ["on_duration", "off_duration"] : ["duration"];
  }

  // A duration as typed: a finite number, else null (a cleared field stays empty, not 0).
  function known(value) {
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  }

  // The unit a step's durations are shown in: minutes or kilometres when all are round
  // (fields left empty do not count).
  function shownUnit(step) {
    if (!displayUnits.has(step)) {
      const values = durationKeys(step).map((k) => known(step[k])).filter((v) => v !== null);
      const top = values.length ? Math.max(...values) : 0;
      const unit = step.unit === "m"
        ? (top >= 1000 && values.every((v) => v % 100 === 0) ? "km" : "m")
        : (top >= 60 && values.every((v) => v % 60 === 0) ? "min" : "s");
      displayUnits.set(step, unit);
    }
    return displayUnits.get(step);
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  function field(label, input, width) {
    const id = `f${++serial}`;
    input.id = id;
    return el("div", { class: `col-${width || 6} col-sm` }, [
      el("label", { class: "form-label small mb-0", for: id, text: label }), input]);
  }

  function numberInput(value, aria, min, step) {
    return el("input", { class: "form-control form-control-sm", type: "number", inputmode: "decimal",
                         value: value === undefined || value === null ? "" : String(value),
                         "aria-label": aria, min: String(min), step: step || "any" });
  }

  function percentInput(step, key, number, label, placeholder) {
    const typed = known(step[key]);
    const input = numberInput(typed === null ? "" : Math.round(typed * 1000) / 10,
                              `Step ${number} ${label.toLowerCase()}`, 0, "1");
    if (placeholder) input.placeholder = placeholder;
    input.addEventListener("input", () => {
      const percent = parseFloat(input.value);
      step[key] = Number.isFinite(percent) ? percent / 100 : null;
      changed();
    });
    return field(`${label}`, input, 4);
  }

  // A steady step holds one value or a band (ZWO SteadyState PowerLow/PowerHigh); a
  // button switches between the two, keeping the middle.
  function steadyInputs(step, number) {
    const ranged = known(step.intensity_low) !== null || known(step.intensity_high) !== null;
    const toggle = button(ranged ? "One value" : "Range",
                          ranged ? `Step ${number}: one value` : `Step ${number}: a range`, () => {
      if (ranged) {
        const low = known(step.intensity_low), high = known(step.intensity_high);
        step.intensity = low !== null && high !== null ? (low + high) / 2 : (low ?? high);
        delete step.intensity_low;
        delete step.intensity_high;
      } else {
        const middle = known(step.intensity) ?? 0.8;
        step.intensity_low = Math.max(0, Math.round((middle - 0.05) * 100) / 100);
        step.intensity_high = Math.round((middle + 0.05) * 100) / 100;
      }
      render();
    });
    const cells = ranged
      ? [percentInput(step, "intensity_low", number, "Low %"),
         percentInput(step, "intensity_high", number, "High %")]
      : [percentInput(step, "intensity", number, "Intensity %")];
    return [...cells, el("div", { class: "col-4 col-sm-auto" }, [toggle])];
  }

  function durationInput(step, key, number, label) {
    const shown = shownUnit(step);
    const typed = known(step[key]);
    const value = numberInput(typed === null ? "" : typed / UNITS[shown][2],
                              `Step ${number} ${label.toLowerCase()}`, 0);
    value.addEventListener("input", () => {
      const number = parseFloat(value.value);
      step[key] = Number.isFinite(number) ? number * UNITS[shownUnit(step)][2] : null;
      changed();
    });
    return field(`${label} (${UNITS[shown][0]})`, value, 4);
  }

  function unitSelect(step, number) {
    const select = el("select", { class: "form-select form-select-sm",
                                  "aria-label": `Step ${number} unit` });
    Object.keys(UNITS).forEach((name) => {
      const option = el("option", { value: name, text: UNITS[name][0] });
      if (name === shownUnit(step)) option.selected = true;
      select.appendChild(option);
    });
    // The numbers typed stay; they now mean the chosen unit.
    select.addEventListener("change", () => {
      const before = UNITS[shownUnit(step)][2];
      const after = UNITS[select.value][2];
      durationKeys(step).forEach((k) => {
        const typed = known(step[k]);
        step[k] = typed === null ? null : (typed / before) * after;
      });
      step.unit = UNITS[select.value][1];
      displayUnits.set(step, select.value);
      render();
    });
    return field("Unit", select, 4);
  }

  function button(text, aria, handler, cls) {
    const b = el("button", { type: "button", class: `btn btn-sm ${cls || "btn-outline-secondary"}`,
                             "aria-label": aria, text: text });
    b.addEventListener("click", handler);
    return b;
  }

  function stepCard(step, index) {
    const number = index + 1;
    const row = el("div", { class: "row g-2 align-items-end" });
    const add = (cells) => cells.forEach((c) => row.appendChild(c));
    if (step.type === "intervals") {
      const repeat = numberInput(step.repeat, `Step ${number} repeats`, 1, "1");
      repeat.addEventListener("input", () => { step.repeat = parseInt(repeat.value, 10); changed(); });
      add([field("Repeats", repeat, 4), unitSelect(step, number)]);
      // "to %" left empty: a constant part (OnPower); filled: each part ramps (PowerOnLow → PowerOnHigh).
      add([durationInput(step, "on_duration", number, "On"),
           percentInput(step, "on_intensity", number, "On %"),
           percentInput(step, "on_intensity_end", number, "On to %", "same")]);
      add([durationInput(step, "off_duration", number, "Off"),
           percentInput(step, "off_intensity", number, "Off %"),
           percentInput(step, "off_intensity_end", number, "Off to %", "same")]);
    } else {
      add([durationInput(step, "duration", number, "Duration"), unitSelect(step, number)]);
      if (step.type === "steady") add(steadyInputs(step, number));
      if (["warmup", "ramp", "cooldown"].includes(step.type)) {
        add([percentInput(step, "intensity_start", number, "From %"),
             percentInput(step, "intensity_end", number, "To %")]);
      }
    }
    const tools = el("div", { class: "btn-group btn-group-sm" }, [
      button("↑", `Move step ${number} up`, () => move(index, -1)),
      button("↓", `Move step ${number} down`, () => move(index, 1)),
      button("✕", `Remove step ${number}`, () => { steps.splice(index, 1); render(); },
             "btn-outline-danger"),
    ]);
    const extras = (step.events || []).length ? " · keeps its text events" : "";
    const head = el("div", { class: "d-flex justify-content-between align-items-center mb-1" }, [
      el("span", { class: "fw-semibold small", text: `${number}. ${NAMES[step.type] || step.type}${extras}` }),
      tools]);
    return el("div", { class: "border rounded p-2 mb-2 step-card", "data-testid": "step",
                       "data-step-type": step.type }, [head, row]);
  }

  function move(index, delta) {
    const target = index + delta;
    if (target < 0 || target >= steps.length) return;
    [steps[index], steps[target]] = [steps[target], steps[index]];
    render();
  }

  function render() {
    list.replaceChildren(...steps.map(stepCard));
    if (!steps.length) {
      list.appendChild(el("p", { class: "text-body-secondary small", text: "No steps yet: add one above." }));
    }
    changed();
  }

  function changed() {
    hidden.value = JSON.stringify(steps);
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  }

  function lengthText(data) {
    const parts = [];
    if (data.time_steps_s) parts.push(SR.duration(data.time_steps_s));
    if (data.distance_steps_m) parts.push(`${(data.distance_steps_m / 1000).toFixed(2)} km`);
    return parts.join(" + ");
  }

  async function preview() {
    const error = document.getElementById("preview-error");
    const totals = document.getElementById("preview-totals");
    try {
      const data = await SR.postJson(config.preview_url, { sport: sportField.value, steps: steps });
      error.textContent = "";
      totals.textContent = `${lengthText(data)} · load ≈ ${Math.round(data.estimated_load)}`;
      chart = SR.workoutChart(document.getElementById("workout-chart"), data.chart, chart);
    } catch (exc) {
      error.textContent = exc.message;
    }
  }

  // The add buttons come disabled (they do nothing without this script) and are enabled
  // once they work: a click before the script has run is not lost silently.
  document.querySelectorAll("[data-add-step]").forEach((b) => {
    b.addEventListener("click", () => {
      const type = b.getAttribute("data-add-step");
      steps.push(Object.assign({ type: type }, DEFAULTS[type]));
      render();
    });
    b.disabled = false;
  });
  sportField.addEventListener("change", changed);
  form.addEventListener("submit", () => { hidden.value = JSON.stringify(steps); });
  render();
})();
