// Follows a queued or running job (a plan run, a risk run, a sweep) on its page: polls its progress and reloads the
// page when it is done.
// Written for this page (a dozen lines), so no library is loaded.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var status = box.querySelector("[data-status]");
  var stage = box.querySelector("[data-stage]");
  var elapsed = box.querySelector("[data-elapsed]");
  var problem = box.querySelector("[data-problem]");
  var words = JSON.parse(box.getAttribute("data-words") || "{}");  // the statuses in the page's language

  function show(job) {
    status.textContent = words[job.status] || job.status;
    stage.textContent = job.stage;
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    if (job.started_at && job.status === "running") {
      var seconds = Math.max(0, Math.round((Date.now() - Date.parse(job.started_at + "Z")) / 1000));
      elapsed.textContent = "(" + seconds + " s)";
    }
  }

  function poll() {
    fetch(box.getAttribute("data-progress-url"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.error) { throw new Error(job.error.message); }
        show(job);
        if (job.status === "done") { window.location.reload(); return; }
        if (job.status === "failed" || job.status === "cancelled") {
          problem.hidden = false;
          problem.textContent = (job.error_code || job.status) + ": " + job.message;
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  poll();
})();
