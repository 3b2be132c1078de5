/* Copy and share buttons for a credential's share link (issue 17). No inline script (CSP): the
   buttons start hidden and this file shows the ones the browser can do. Without JavaScript the
   link stays in its read-only box, with the "Email the link" link beside it. */
"use strict";

(function () {
  document.querySelectorAll("[data-share-box]").forEach((box) => {
    const input = box.querySelector("input.share-link");
    const copy = box.querySelector("[data-copy]");
    const share = box.querySelector("[data-share]");
    const status = box.querySelector("[data-copy-status]");
    if (!input) {
      return;
    }
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    if (copy) {
      copy.hidden = false;
      copy.addEventListener("click", () => {
        const fallback = () => {
          input.focus();
          input.select();
          let ok = false;
          try {
            ok = document.execCommand("copy");
          } catch (error) {
            ok = false;
          }
          say(copy.getAttribute(ok ? "data-done" : "data-failed"));
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(() => say(copy.getAttribute("data-done")), fallback);
        } else {
          fallback();
        }
      });
    }
    if (share && navigator.share) {
      share.hidden = false;
      share.addEventListener("click", () => {
        navigator.share({ title: share.getAttribute("data-title") || document.title, url: input.value }).catch(() => {});
      });
    }
  });
})();
