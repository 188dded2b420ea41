// A bulk upload's dry run or import, as it happens: polls progress.json every second, moves the
// progress bar, updates the counts and the status line (aria-live), and reloads the page for the
// report when the job ends. Without JavaScript the page refreshes itself while the job goes on (a
// <noscript> meta refresh).
(function () {
  "use strict";

  var section = document.getElementById("import-progress");
  if (!section || !window.fetch) {
    return;
  }
  var bar = document.getElementById("import-bar");
  var status = document.getElementById("import-status");
  var ended = { uploaded: true, checked: true, done: true, failed: true }; // not "checking", "queued", "running"

  function statusText(data) {
    var name = "text" + data.state.charAt(0).toUpperCase() + data.state.slice(1);
    var template = section.dataset[name] || data.state;
    var total = data.total === null ? "?" : data.total.toLocaleString();
    return template.replace("{processed}", data.processed.toLocaleString()).replace("{total}", total);
  }

  function show(data) {
    if (data.total) {
      bar.max = data.total;
    }
    bar.value = data.processed;
    bar.textContent = data.processed + " / " + (data.total === null ? "?" : data.total);
    Object.keys(data.counts || {}).forEach(function (name) {
      var cell = section.querySelector('[data-count="' + name + '"]');
      if (cell) {
        cell.textContent = data.counts[name];
      }
    });
    var text = statusText(data);
    if (status.textContent !== text) {
      status.textContent = text; // only changes are announced
    }
    section.dataset.state = data.state;
  }

  function poll() {
    fetch(section.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("progress: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (ended[data.state]) {
          window.location.reload(); // the page then shows the run's report
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // a network hiccup: try again, more slowly
      });
  }

  if (!ended[section.dataset.state]) {
    window.setTimeout(poll, 1000);
  }
})();
