// Plan calendar: drag a planned workout onto another day to move it. The move is the
// page's own form (POST, CSRF token): the same as the "Move to another day" form, which
// is the keyboard and touch alternative.
"use strict";
(function () {
  const calendar = document.getElementById("calendar");
  if (!calendar) return;
  const token = document.querySelector('input[name="csrf_token"]');
  let dragged = null;
  calendar.querySelectorAll(".cal-entry[draggable=true]").forEach((entry) => {
    entry.addEventListener("dragstart", (event) => {
      dragged = entry;
      entry.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", entry.dataset.moveUrl);
    });
    entry.addEventListener("dragend", () => {
      entry.classList.remove("dragging");
      dragged = null;
      calendar.querySelectorAll(".drop-target").forEach((d) => d.classList.remove("drop-target"));
    });
  });
  calendar.querySelectorAll(".cal-day[data-date]").forEach((day) => {
    day.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      day.classList.add("drop-target");
    });
    day.addEventListener("dragleave", () => day.classList.remove("drop-target"));
    day.addEventListener("drop", (event) => {
      event.preventDefault();
      if (!dragged || !token) return;
      const from = dragged.closest(".cal-day");
      if (from && from.dataset.date === day.dataset.date) return;
      const form = document.createElement("form");
      form.method = "post";
      form.action = dragged.dataset.moveUrl;
      const fields = { csrf_token: token.value, date: day.dataset.date, view: calendar.dataset.view };
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
      }
      document.body.appendChild(form);
      form.submit();
    });
  });
})();
