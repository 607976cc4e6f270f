// The structured step editor: add, remove and reorder steps; edit durations (time or
// distance; an interval's on and off parts each in their own unit) and targets: % of CS
// or FTP, or (running) a pace range in m:ss per km (per mile for a reader in miles) or a heart-rate range in % of HRmax. The steps travel as JSON in the hidden
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
    intervals: { repeat: 5, on_duration: 180, off_duration: 120, unit: "s", on_unit: "s",
                 off_unit: "s", on_intensity: 1.05, off_intensity: 0.65 },
    free: { duration: 600, unit: "s" },
    max: { duration: 10, unit: "s" },
  };
  // Display units: [label, canonical unit, factor to the canonical unit].
  const UNITS = { s: ["s", "s", 1], min: ["min", "s", 60], m: ["m", "m", 1], km: ["km", "m", 1000] };
  const displayUnits = new WeakMap();
  // Target kinds a steady step or an interval part may have (running only).
  const KINDS = { cs: "% of CS", pace: "Pace", hr: "Heart rate" };
  // Daniels' %HRmax bands (SCIENCE.md "Targets and limits"), to fill a heart-rate range.
  const HR_BANDS = { easy: ["Easy", 65, 79], marathon: ["Marathon", 80, 90],
                     threshold: ["Threshold", 88, 92], interval: ["Interval", 98, 100] };
  // Where each duration's unit lives: one unit for a step, one per part for intervals.
  const UNIT_KEY = { duration: "unit", on_duration: "on_unit", off_duration: "off_unit" };
  const PART = { duration: { target: "target", intensity: "intensity" },
                 on_duration: { target: "on_target", intensity: "on_intensity" },
                 off_duration: { target: "off_target", intensity: "off_intensity" } };
  steps.forEach((step) => {
    if (step.type === "intervals") {
      step.on_unit = step.on_unit || step.unit || "s";
      step.off_unit = step.off_unit || step.unit || "s";
    }
  });
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

  // The unit a duration is shown in: minutes or kilometres when it is round (a field left
  // empty does not count).
  function shownUnit(step, key) {
    if (!displayUnits.has(step)) displayUnits.set(step, {});
    const shown = displayUnits.get(step);
    if (!shown[key]) {
      const value = known(step[key]);
      const top = value === null ? 0 : value;
      shown[key] = (step[UNIT_KEY[key]] || step.unit) === "m"
        ? (top >= 1000 && top % 100 === 0 ? "km" : "m")
        : (top >= 60 && top % 60 === 0 ? "min" : "s");
    }
    return shown[key];
  }

  // Paces are stored in seconds per km; a reader in miles (<body data-units="mi">) types
  // and sees them per mile, converted both ways here.
  const MILES = document.body.dataset.units === "mi";
  const PACE_PER = MILES ? 1609.344 / 1000 : 1;
  const PACE_UNIT = MILES ? "/mi" : "/km";

  // Pace seconds per km as m:ss in the reader's unit; text typed that is not a pace stays
  // as typed.
  function paceText(value) {
    if (typeof value !== "number" || !Number.isFinite(value)) return value == null ? "" : String(value);
    const whole = Math.round(value * PACE_PER);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  }

  // A pace as typed, for the server: per km as typed ("3:45"); per mile turned into
  // seconds per km (to 0.1 s) when it reads as m:ss, else as typed (the server says what
  // is wrong).
  function paceValue(text) {
    const typed = text.trim();
    if (!MILES) return typed;
    const match = /^(\d{1,2}):([0-5]\d)(?:\s*\/\s*mi)?$/.exec(typed);
    if (!match) return typed;
    const seconds = Number(match[1]) * 60 + Number(match[2]);
    return Math.round((seconds / PACE_PER) * 10) / 10;
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

  function durationInput(step, key, number, label, visible) {
    const shown = shownUnit(step, key);
    const typed = known(step[key]);
    const value = numberInput(typed === null ? "" : typed / UNITS[shown][2],
                              `Step ${number} ${label.toLowerCase()}`, 0);
    value.addEventListener("input", () => {
      const number = parseFloat(value.value);
      step[key] = Number.isFinite(number) ? number * UNITS[shownUnit(step, key)][2] : null;
      changed();
    });
    return field(`${visible || label} (${UNITS[shown][0]})`, value, 4);
  }

  function unitSelect(step, number, key, label, visible) {
    const select = el("select", { class: "form-select form-select-sm",
                                  "aria-label": `Step ${number} ${label.toLowerCase()}` });
    Object.keys(UNITS).forEach((name) => {
      const option = el("option", { value: name, text: UNITS[name][0] });
      if (name === shownUnit(step, key)) option.selected = true;
      select.appendChild(option);
    });
    // The number typed stays; it now means the chosen unit.
    select.addEventListener("change", () => {
      const typed = known(step[key]);
      const before = UNITS[shownUnit(step, key)][2];
      step[key] = typed === null ? null : (typed / before) * UNITS[select.value][2];
      step[UNIT_KEY[key]] = UNITS[select.value][1];
      if (key === "on_duration") step.unit = step.on_unit;
      displayUnits.get(step)[key] = select.value;
      render();
    });
    return field(visible || label, select, 4);
  }

  // What a steady step or an interval part aims at: % of CS (the step's intensity fields),
  // a pace range or a heart-rate range (the part's target; its intensity then follows it).
  function kindOf(step, key) {
    const target = step[PART[key].target];
    return target && (target.kind === "pace" || target.kind === "hr") ? target.kind : "cs";
  }

  function kindSelect(step, key, number, label, visible) {
    const select = el("select", { class: "form-select form-select-sm",
                                  "aria-label": `Step ${number} ${label.toLowerCase()}`,
                                  "data-testid": "target-kind" });
    Object.entries(KINDS).forEach(([name, text]) => {
      const option = el("option", { value: name, text: text });
      if (name === kindOf(step, key)) option.selected = true;
      select.appendChild(option);
    });
    select.addEventListener("change", () => {
      const part = PART[key];
      if (select.value === "cs") {
        delete step[part.target];
        if (known(step[part.intensity]) === null) step[part.intensity] = key === "off_duration" ? 0.65 : 0.8;
      } else {
        step[part.target] = select.value === "pace"
          ? { kind: "pace", low: "", high: "" }
          : { kind: "hr", low: 0.65, high: 0.79 };
        delete step[part.intensity];
        delete step.intensity_low;
        delete step.intensity_high;
        delete step[`${part.intensity}_end`];
      }
      render();
    });
    return field(visible || label, select, 4);
  }

  function paceInput(step, key, end, number, label, visible) {
    const target = step[PART[key].target];
    const input = el("input", { class: "form-control form-control-sm", type: "text",
                                inputmode: "numeric", placeholder: "m:ss",
                                value: paceText(target[end]),
                                "aria-label": `Step ${number} ${label.toLowerCase()}` });
    input.addEventListener("input", () => {
      // Sent as typed ("3:45", per km; per mile converted): the server reads it and says
      // what is wrong.
      target[end] = paceValue(input.value);
      delete step[PART[key].intensity];
      changed();
    });
    return field(visible || label, input, 4);
  }

  function hrInput(step, key, end, number, label, visible) {
    const target = step[PART[key].target];
    const typed = known(target[end]);
    const input = numberInput(typed === null ? "" : Math.round(typed * 1000) / 10,
                              `Step ${number} ${label.toLowerCase()}`, 0, "1");
    input.addEventListener("input", () => {
      const percent = parseFloat(input.value);
      target[end] = Number.isFinite(percent) ? percent / 100 : null;
      delete step[PART[key].intensity];
      changed();
    });
    return field(visible || label, input, 4);
  }

  function hrBand(step, key, number, prefix) {
    const select = el("select", { class: "form-select form-select-sm",
                                  "aria-label": `Step ${number} ${prefix}heart-rate band` });
    select.appendChild(el("option", { value: "", text: "Custom" }));
    const target = step[PART[key].target];
    Object.entries(HR_BANDS).forEach(([name, [text, low, high]]) => {
      const option = el("option", { value: name, text: text, title: `${low}–${high} % of maximum` });
      if (Math.round((target.low || 0) * 100) === low && Math.round((target.high || 0) * 100) === high) {
        option.selected = true;
      }
      select.appendChild(option);
    });
    select.addEventListener("change", () => {
      if (!select.value) return;
      const [, low, high] = HR_BANDS[select.value];
      step[PART[key].target] = { kind: "hr", low: low / 100, high: high / 100 };
      delete step[PART[key].intensity];
      render();
    });
    return field("Heart-rate band", select, 4);
  }

  // The target fields of one part (key: its duration's key): its kind selector, then on a
  // line of their own the values (a pace range, a heart-rate range, or % of CS).
  function targetInputs(step, key, number, prefix, csCells) {
    const run = sportField.value === "run";
    const cells = run ? [kindSelect(step, key, number, `${prefix}Target`, "Target")] : [];
    const kind = run ? kindOf(step, key) : "cs";
    const line = () => el("div", { class: "w-100" });
    if (kind === "pace") {
      cells.push(line(),
                 paceInput(step, key, "low", number, `${prefix}Pace from (${PACE_UNIT})`,
                           `Pace from (m:ss ${PACE_UNIT})`),
                 paceInput(step, key, "high", number, `${prefix}Pace to (${PACE_UNIT})`,
                           `Pace to (m:ss ${PACE_UNIT})`));
    } else if (kind === "hr") {
      cells.push(line(),
                 hrBand(step, key, number, prefix.toLowerCase()),
                 hrInput(step, key, "low", number, `${prefix}HR from % max`, "HR from (% of max)"),
                 hrInput(step, key, "high", number, `${prefix}HR to % max`, "HR to (% of max)"));
    } else {
      cells.push(...csCells());
    }
    return cells;
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
      repeat.addEventListener("input", () => {
        const value = Number(repeat.value);
        step.repeat = repeat.value.trim() && Number.isInteger(value) ? value : repeat.value;
        changed();
      });
      add([field("Repeats", repeat, 4)]);
      // Each part: its length and unit, then its target. "to %" left empty: a constant
      // part (OnPower); filled: each part ramps (PowerOnLow → PowerOnHigh).
      ["on", "off"].forEach((part) => {
        const key = `${part}_duration`;
        const label = part === "on" ? "On" : "Off";
        row.appendChild(el("div", { class: "w-100 small fw-semibold mt-1", text: `${label} part` }));
        add([durationInput(step, key, number, label, "Length"),
             unitSelect(step, number, key, `${label} unit`, "Unit"),
             ...targetInputs(step, key, number, `${label} `, () => [
               percentInput(step, `${part}_intensity`, number, `${label} %`),
               percentInput(step, `${part}_intensity_end`, number, `${label} to %`, "same")])]);
      });
    } else {
      add([durationInput(step, "duration", number, "Duration"),
           unitSelect(step, number, "duration", "Unit")]);
      if (step.type === "steady") add(targetInputs(step, "duration", number, "", () => steadyInputs(step, number)));
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
  // Cycling aims at a share of FTP only: a pace or heart-rate target goes back to a value.
  sportField.addEventListener("change", () => {
    if (sportField.value !== "run") {
      steps.forEach((step) => Object.values(PART).forEach((part) => {
        if (!step[part.target]) return;
        delete step[part.target];
        if (known(step[part.intensity]) === null) step[part.intensity] = 0.8;
      }));
    }
    render();
  });
  form.addEventListener("submit", () => { hidden.value = JSON.stringify(steps); });
  render();
})();
