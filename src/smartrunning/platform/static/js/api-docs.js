// The API documentation page: Swagger UI on our own OpenAPI document, served locally.
"use strict";
(function () {
  const root = document.getElementById("api-docs");
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    persistAuthorization: false,
  });
})();
