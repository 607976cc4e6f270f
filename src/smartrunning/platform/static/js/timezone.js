// Fills hidden fields marked data-browser-time-zone with the browser's IANA time zone
// (the default of a user who has chosen none), and offers it on the settings page.
"use strict";
(function () {
  let zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  if (!zone) return;
  document.querySelectorAll("[data-browser-time-zone]").forEach((input) => {
    if (!input.value) input.value = zone;
  });
  document.querySelectorAll("[data-browser-zone-button]").forEach((button) => {
    button.hidden = false;
    button.textContent = `Use this browser's: ${zone}`;
    button.addEventListener("click", () => {
      const target = document.getElementById(button.dataset.browserZoneButton);
      if (target) target.value = zone;
    });
  });
})();
