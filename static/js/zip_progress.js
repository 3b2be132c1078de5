/* The bulk ZIP page: polls the small JSON status every 2 s and moves the progress bar, then shows
   the download link. A static file, so the Content-Security-Policy needs no inline script. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("zip-progress");
    if (!box) return;
    var url = box.getAttribute("data-status-url");
    var bar = document.getElementById("zip-bar");
    var figures = document.getElementById("zip-figures");
    var status = document.getElementById("zip-status");
    var ready = document.getElementById("zip-ready");
    var link = document.getElementById("zip-link");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
          figures.textContent = data.done + " / " + data.total;
          status.textContent = data.label;
          if (data.download_url) {
            link.href = data.download_url;
            ready.hidden = false;
          }
          if (data.status === "pending" || data.status === "running") window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    poll();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
