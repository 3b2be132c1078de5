/* "My credentials" as an offline web app (issue 16): registers the service worker, asks it to
   keep this page, its files and the PDFs, and refreshes each credential's status from the API
   when the network comes back. No inline script (CSP); does nothing where service workers are
   not available. */
"use strict";

(function () {
  const root = document.querySelector("[data-wallet]");
  if (!root || !("serviceWorker" in navigator)) {
    return;
  }
  const statusLabels = JSON.parse(root.getAttribute("data-status-labels") || "{}");
  const offlineNote = document.querySelector("[data-offline-note]");

  function showConnection() {
    if (offlineNote) {
      offlineNote.hidden = navigator.onLine;
    }
  }

  function keepList() {
    const urls = [root.getAttribute("data-home")];
    document.querySelectorAll("link[rel=stylesheet], link[rel=manifest], script[src], link[rel=icon]").forEach((el) => {
      urls.push(el.getAttribute("href") || el.getAttribute("src"));
    });
    root.querySelectorAll("[data-keep]").forEach((el) => urls.push(el.getAttribute("href")));
    root.querySelectorAll("[data-keep-src]").forEach((el) => urls.push(el.getAttribute("src")));
    return urls.filter(Boolean);
  }

  async function refreshStatus(attempt) {
    showConnection();
    const tries = typeof attempt === "number" ? attempt : 0;
    try {
      const response = await fetch(root.getAttribute("data-api"), { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
      if (!response.ok) {
        return;
      }
      const items = await response.json();
      items.forEach((item) => {
        const status = root.querySelector('[data-status-of="' + item.verification_id + '"]');
        if (status && statusLabels[item.status]) {
          status.textContent = statusLabels[item.status];
          status.className = "status status-" + item.status;
        }
      });
      root.setAttribute("data-refreshed", new Date().toISOString());
    } catch (error) {
      // The connection is not quite back yet: try again a few times.
      if (tries < 5) {
        window.setTimeout(() => refreshStatus(tries + 1), 1000 * (tries + 1));
      }
    }
  }

  navigator.serviceWorker.register(root.getAttribute("data-worker"), { scope: root.getAttribute("data-home") })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data && event.data.type === "kept") {
          root.setAttribute("data-offline-ready", "true");
        }
      });
      if (navigator.onLine && registration.active) {
        registration.active.postMessage({ type: "keep", urls: keepList() });
      }
    });
  window.addEventListener("online", () => refreshStatus(0));
  window.addEventListener("offline", showConnection);
  showConnection();
})();
