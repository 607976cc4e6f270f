// An import's progress, polled until it is done, then its per-file report.
"use strict";
(function () {
  const root = document.getElementById("job");
  if (!root) return;
  const bar = document.getElementById("job-bar");
  const status = document.getElementById("job-status");
  const count = document.getElementById("job-count");
  const summary = document.getElementById("job-summary");
  const tbody = document.getElementById("job-files");
  const words = JSON.parse(root.dataset.statusWords || "{}");
  const fileWord = (s) => (words.file && words.file[s]) || s;
  const jobWord = (s) => (words.job && words.job[s]) || s;
  const sessionUrl = (id) => root.dataset.sessionUrl.replace(/0$/, String(id));
  bar.style.width = (root.dataset.done === "true" ? 100 : Number(bar.dataset.width || 0)) + "%";

  // The summary's buttons show the files of one result (say, the failed ones) or all.
  let shown = "";
  const applyFilter = () => {
    tbody.querySelectorAll("tr").forEach((tr) => { tr.hidden = shown !== "" && tr.dataset.status !== shown; });
    summary.querySelectorAll("button").forEach((b) => {
      const on = b.dataset.filter === shown;
      b.classList.toggle("btn-secondary", on);
      b.classList.toggle("btn-outline-secondary", !on);
      b.setAttribute("aria-pressed", String(on));
    });
  };
  summary.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-filter]");
    if (!button) return;
    shown = button.dataset.filter;
    applyFilter();
  });
  const filterButton = (filter, text) => {
    const b = document.createElement("button");
    b.type = "button"; b.className = "btn btn-sm"; b.dataset.filter = filter; b.textContent = text;
    return b;
  };

  const render = (job) => {
    const pct = job.files_total ? Math.round((100 * job.files_done) / job.files_total) : 0;
    bar.style.width = pct + "%";
    status.textContent = jobWord(job.status);
    count.textContent = `${job.files_done} / ${job.files_total}`;
    if (shown !== "" && !(shown in job.by_status)) shown = "";
    summary.replaceChildren(summary.firstElementChild, filterButton("", `all: ${job.files_total}`),
      ...Object.entries(job.by_status).map(([k, v]) => filterButton(k, `${fileWord(k)}: ${v}`)));
    applyFilter();
    if (!job.files) return;
    const rows = job.files.map((f) => {
      const tr = document.createElement("tr");
      tr.dataset.status = f.status;
      [f.file, fileWord(f.status), f.reason || ""].forEach((text) => {
        const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
      });
      // On a phone the reason goes under the file's name (its own column is hidden).
      tr.children[0].className = "text-break job-file";
      tr.children[2].className = "d-none d-md-table-cell";
      if (f.reason) {
        const under = document.createElement("div");
        under.className = "d-md-none small text-body-secondary"; under.textContent = f.reason;
        tr.children[0].appendChild(under);
      }
      if (f.status === "failed") tr.children[1].className = "text-danger fw-semibold";
      const td = document.createElement("td");
      f.session_ids.forEach((id) => {
        const a = document.createElement("a"); a.href = sessionUrl(id); a.textContent = `#${id} `; td.appendChild(a);
      });
      tr.appendChild(td);
      return tr;
    });
    tbody.replaceChildren(...rows);
    applyFilter();
  };

  const poll = async () => {
    try {
      const response = await fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        const job = await response.json();
        render(job);
        if (job.status === "done") return;
      }
    } catch (_) { /* try again */ }
    setTimeout(poll, 1000);
  };
  if (root.dataset.done !== "true") poll();
})();
