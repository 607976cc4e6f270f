// Upload many FIT files and ZIPs: drag and drop, upload progress, then the job's page.
"use strict";
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("files");
  const zone = document.getElementById("drop-zone");
  const chosen = document.getElementById("chosen");
  const box = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-bar");
  const label = document.getElementById("upload-label");
  const error = document.getElementById("upload-error");
  let files = [];
  const maxBytes = Number(form.dataset.maxBytes || 0);
  const mb = (bytes) => String(Number((bytes / 1e6).toPrecision(3)));
  const fail = (message) => {
    error.textContent = message; error.classList.remove("d-none"); box.classList.add("d-none");
  };
  const tooLarge = (bytes) =>
    `These files come to ${mb(bytes)} MB; an upload may be at most ${mb(maxBytes)} MB. ` +
    "Upload them in parts (for example several smaller ZIPs).";

  const show = () => {
    const total = files.reduce((sum, f) => sum + f.size, 0);
    chosen.textContent = files.length
      ? `${files.length} file(s), ${(total / 1e6).toFixed(1)} MB: ${files.slice(0, 5).map((f) => f.name).join(", ")}${files.length > 5 ? " …" : ""}`
      : "No files chosen.";
  };
  input.addEventListener("change", () => { files = Array.from(input.files); show(); });
  ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (e) => {
    e.preventDefault(); zone.classList.add("border-primary");
  }));
  ["dragleave", "drop"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("border-primary")));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    files = files.concat(Array.from(e.dataTransfer.files));
    show();
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!files.length) { fail("Choose at least one .fit or .zip file."); return; }
    const total = files.reduce((sum, f) => sum + f.size, 0);
    // Refused here rather than after sending it all (the form's own fields add a little).
    if (maxBytes && total > maxBytes - 64 * 1024) { fail(tooLarge(total)); return; }
    error.classList.add("d-none");
    const data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    files.forEach((f) => data.append("files", f, f.name));
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (p) => {
      if (!p.lengthComputable) return;
      const pct = Math.round((100 * p.loaded) / p.total);
      bar.style.width = pct + "%"; bar.textContent = pct + "%";
      label.textContent = `Uploading… ${(p.loaded / 1e6).toFixed(1)} of ${(p.total / 1e6).toFixed(1)} MB`;
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status === 202 && body.job_url) { window.location.assign(body.job_url); return; }
      if (xhr.status === 413) {
        fail("The server refused these files as too large for one upload. " +
             "Upload them in parts (for example several smaller ZIPs).");
        return;
      }
      fail((body.error && body.error.message) || `Upload failed (${xhr.status}).`);
    });
    xhr.addEventListener("error", () => fail("Upload failed: the connection broke. Reload the page and look under Recent imports before trying again."));
    box.classList.remove("d-none");
    xhr.send(data);
  });
})();
