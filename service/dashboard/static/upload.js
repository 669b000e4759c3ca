// Polls an upload's status and shows its progress; the status URL is on the <progress> element.
(function poll() {
  const bar = document.getElementById("bar");
  fetch(bar.dataset.status, {credentials: "same-origin"})
    .then(r => r.ok ? r.json() : Promise.reject(r.status)).then(job => {
      if (job.total) { bar.max = job.total; bar.value = job.processed; }
      document.getElementById("status").textContent = job.error ? "error: " + job.error :
        job.done ? "done" : job.processed + (job.total ? " of about " + job.total : "") + " documents";
      if (job.done && job.summary) document.getElementById("summary").textContent =
        JSON.stringify(job.summary, null, 2) + (job.warnings.length ? "\n" + job.warnings.join("\n") : "");
      if (!job.done) setTimeout(poll, 1000);
    }, () => setTimeout(poll, 2000));
})();
