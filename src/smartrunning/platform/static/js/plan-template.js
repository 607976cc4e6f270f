// The plan-template form: show each block only the fields its kind takes, and keep each
// week's share total and the template's weeks up to date while typing. The form works without this script (every
// field shown; the server keeps only those the kind takes).
"use strict";
(function () {
  const form = document.getElementById("template-form");
  if (!form) return;
  const TAKES = {
    base: ["progression", "recovery_every", "recovery_drop"],
    build: ["progression", "recovery_every", "recovery_drop"],
    peak: ["progression", "recovery_every", "recovery_drop"],
    recovery: ["recovery_drop"],
    taper: ["reduction"],
  };
  const OPTIONAL = ["progression", "recovery_every", "recovery_drop", "reduction"];

  function showFields(block) {
    const kind = block.querySelector('select[name$="-kind"]:not([name*="-pattern-"])');
    if (!kind) return;
    const takes = TAKES[kind.value] || OPTIONAL;
    OPTIONAL.forEach((name) => {
      const box = block.querySelector(`[data-field="${name}"]`);
      if (box) box.classList.toggle("d-none", !takes.includes(name));
    });
  }

  function number(text) {
    const value = Number(String(text).trim().replace(",", "."));
    return String(text).trim() !== "" && Number.isFinite(value) ? value : null;
  }

  function showTotal(block) {
    const out = block.querySelector("[data-share-total]");
    if (!out) return;
    let total = 0;
    block.querySelectorAll('input[name$="-weight"]').forEach((input) => {
      const value = number(input.value);
      if (value !== null) total += value;
    });
    const rounded = Math.round(total * 10) / 10;
    out.textContent = `Shares: ${rounded} %`;
    out.classList.toggle("text-danger", Math.abs(rounded - 100) > 1);
    out.classList.toggle("text-body-secondary", Math.abs(rounded - 100) <= 1);
  }

  function showWeeks() {
    const out = form.querySelector('[data-testid="total-weeks"]');
    if (!out) return;
    let total = 0;
    form.querySelectorAll('input[name$="-weeks"]').forEach((input) => {
      const value = number(input.value);
      if (value !== null && Number.isInteger(value) && value > 0 && value <= 52) total += value;
    });
    out.textContent = `${total} weeks in all`;
  }

  form.querySelectorAll("[data-block]").forEach((block) => {
    showFields(block);
    showTotal(block);
    block.addEventListener("change", () => showFields(block));
    block.addEventListener("input", () => { showTotal(block); showWeeks(); });
  });
})();
