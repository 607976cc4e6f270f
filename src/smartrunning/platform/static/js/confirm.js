// Destructive forms carry data-confirm="question": the browser asks first and, when the
// answer is yes, the form is sent with confirm=yes (without JavaScript, the server answers
// such a form with its own confirmation page instead).
"use strict";
(function () {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    let field = form.querySelector("input[name=confirm]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "confirm";
      form.appendChild(field);
    }
    field.value = "yes";
  });
})();
