/* The proposal editor: rows added, removed and moved without losing input, and a live preview
   of the totals and the readiness list. The preview posts what is typed to the server, which
   computes it with the same rules as a save and a submission; this script does no arithmetic.
   Without JavaScript the page still works: "Save draft" shows the same numbers. */
(function () {
  "use strict";

  function currentKind(form) {
    var checked = form.querySelector('[name="kind"]:checked');
    if (checked) return checked.value;
    var select = form.querySelector('select[name="kind"]');
    return select ? select.value : "";
  }

  /* R-AF-1 / R-AF-2: show the field set of the chosen type and no other. Hidden fields keep
     their values, so switching back loses nothing. */
  function setupFieldSets(form) {
    var sets = JSON.parse(form.dataset.fieldSets || "{}");
    function apply() {
      var shown = sets[currentKind(form)] || [];
      form.querySelectorAll("[data-field]").forEach(function (el) {
        el.hidden = shown.indexOf(el.dataset.field) === -1;
      });
      form.querySelectorAll("[data-field-absent]").forEach(function (el) {
        el.hidden = shown.indexOf(el.dataset.fieldAbsent) !== -1;
      });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") apply();
    });
    apply();
  }

  /* Issue 17: the editor in steps. Every step is in the one form (so a save keeps them all);
     the server shows one (?step=). Here a step in the bar, a readiness entry or a "next" link
     shows its step without a round trip; the "Save and continue" buttons still save. */
  function setupSteps(form) {
    var pages = form.querySelectorAll("[data-step-page]");
    if (!pages.length) return;
    var current = form.querySelector("[data-step-current]");
    var fallback = form.querySelector("[data-step-default]");

    function focusOn(target) {
      if (!target) return;
      if (target.tabIndex < 0 && !target.matches("input, select, textarea, button, a[href]")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    }

    function show(key, hash) {
      var page = document.getElementById("step-" + key);
      if (!page) return;
      pages.forEach(function (el) { el.hidden = el !== page; });
      form.querySelectorAll(".stepbar [data-step-go]").forEach(function (link) {
        var here = link.dataset.stepGo === key;
        if (here) link.setAttribute("aria-current", "step");
        else link.removeAttribute("aria-current");
        link.closest(".stepbar-item").classList.toggle("is-current", here);
      });
      current.value = key;
      if (fallback) fallback.value = key;
      var url = new URL(window.location.href);
      url.searchParams.set("step", key);
      url.hash = hash || "";
      window.history.replaceState(null, "", url.toString());
      focusOn((hash && document.getElementById(hash.slice(1))) || page.querySelector("h2"));
    }

    form.addEventListener("click", function (event) {
      var go = event.target.closest("[data-step-go]");
      if (!go) return;
      event.preventDefault();
      show(go.dataset.stepGo, go.tagName === "A" ? go.hash : "");
    });
  }

  function own(row, selector) {
    return Array.prototype.filter.call(row.querySelectorAll(selector), function (el) {
      return el.closest("[data-row]") === row;
    });
  }

  function name(row, prefix, number) {
    row.id = "f-" + prefix;
    own(row, "[data-name]").forEach(function (el) {
      el.name = prefix + "-" + el.dataset.name;
      if (!("multi" in el.dataset)) el.id = "f-" + prefix + "-" + el.dataset.name;
    });
    own(row, "[data-for]").forEach(function (el) { el.htmlFor = "f-" + prefix + "-" + el.dataset.for; });
    own(row, "[data-id]").forEach(function (el) { el.id = "f-" + prefix + "-" + el.dataset.id; });
    own(row, "[data-describedby]").forEach(function (el) {
      el.setAttribute("aria-describedby", "f-" + prefix + "-" + el.dataset.describedby);
    });
    own(row, "[data-number]").forEach(function (el) { el.textContent = String(number); });
  }

  function setupEditor(form) {
    var rates = JSON.parse(document.getElementById("slt-rates").textContent);
    var previewUrl = form.dataset.previewUrl;
    var keySeed = Date.now().toString(36);
    var keyCount = 0;
    var timer = null;
    var sequence = 0;

    function rows(kind) { return Array.prototype.slice.call(form.querySelectorAll('[data-row="' + kind + '"]')); }
    function keyOf(row) { var input = own(row, '[data-name="key"]')[0]; return input ? input.value : ""; }

    /* Inputs are named by position: renumber after any change of rows. */
    function renumber() {
      rows("clo").forEach(function (row, i) { name(row, "clos-" + i, i + 1); });
      rows("unit").forEach(function (unit, u) {
        name(unit, "units-" + u, u + 1);
        own(unit, "[data-id-template]").forEach(function (total) { total.id = "unit-total-" + u; });
        unit.querySelectorAll('[data-row="line"]').forEach(function (line, n) {
          name(line, "units-" + u + "-lines-" + n, n + 1);
        });
      });
      rows("component").forEach(function (row, i) { name(row, "components-" + i, i + 1); });
    }

    /* Components refer to units and CLOs by key; rebuild their choices. */
    function syncReferences() {
      var unitWord = form.dataset.i18nUnit;
      var units = rows("unit").map(function (unit, i) {
        var title = own(unit, '[data-name="title"]')[0].value.trim();
        return { key: keyOf(unit), label: unitWord + " " + (i + 1) + (title ? ": " + title : "") };
      });
      form.querySelectorAll('select[data-ref="units"]').forEach(function (select) {
        var current = select.value;
        while (select.options.length > 1) select.remove(1);
        units.forEach(function (unit) { select.add(new Option(unit.label, unit.key)); });
        select.value = units.some(function (u) { return u.key === current; }) ? current : "";
      });
      var clos = rows("clo").map(function (clo, i) { return { key: keyOf(clo), label: "CLO" + (i + 1) }; });
      form.querySelectorAll('[data-ref="clos"]').forEach(function (box) {
        var prefix = box.closest("[data-row]").id.slice(2);
        var checked = {};
        box.querySelectorAll("input:checked").forEach(function (input) { checked[input.value] = true; });
        Array.prototype.slice.call(box.children).forEach(function (child) {
          if (child.tagName !== "LEGEND") child.remove();
        });
        if (!clos.length) {
          var none = document.createElement("span");
          none.className = "muted";
          none.textContent = form.dataset.i18nNoClos;
          box.appendChild(none);
        }
        clos.forEach(function (clo) {
          var label = document.createElement("label");
          label.className = "choice";
          var input = document.createElement("input");
          input.type = "checkbox";
          input.name = prefix + "-clos";
          input.value = clo.key;
          input.dataset.name = "clos";
          input.dataset.multi = "";
          input.checked = !!checked[clo.key];
          label.appendChild(input);
          label.appendChild(document.createTextNode(" " + clo.label));
          box.appendChild(label);
        });
      });
    }

    /* R-SLT-2: a rate inside the policy's range; on a new activity, its midpoint. */
    function applyRate(line, reset) {
      var activity = own(line, '[data-name="activity"]')[0].value;
      var rate = own(line, '[data-name="rate_minutes"]')[0];
      var range = own(line, '[data-id="range"]')[0];
      var band = rates[activity];
      if (!band) return;
      rate.min = band.min;
      rate.max = band.max;
      if (reset || rate.value === "") rate.value = band.mid;
      range.textContent = band.min + "–" + band.max + " " + form.dataset.i18nPer + " " + band.unit;
    }

    function fromTemplate(id) {
      return document.getElementById(id).content.firstElementChild.cloneNode(true);
    }

    function newKey(prefix) {
      keyCount += 1;
      return prefix + keySeed + keyCount;
    }

    function changed(focus) {
      renumber();
      syncReferences();
      schedulePreview(0);
      if (focus) focus.focus();
    }

    function addLine(unit) {
      var line = fromTemplate("tpl-line");
      unit.querySelector("[data-lines]").appendChild(line);
      applyRate(line, true);
      changed(own(line, '[data-name="activity"]')[0]);
    }

    var actions = {
      "add-clo": function () {
        var row = fromTemplate("tpl-clo");
        own(row, '[data-name="key"]')[0].value = newKey("c");
        form.querySelector('[data-rows="clo"]').appendChild(row);
        changed(own(row, '[data-name="verb"]')[0]);
      },
      "add-unit": function () {
        var unit = fromTemplate("tpl-unit");
        own(unit, '[data-name="key"]')[0].value = newKey("u");
        form.querySelector('[data-rows="unit"]').appendChild(unit);
        changed(own(unit, '[data-name="title"]')[0]);
      },
      "add-line": function (button) { addLine(button.closest('[data-row="unit"]')); },
      "add-component": function () {
        var row = fromTemplate("tpl-component");
        form.querySelector('[data-rows="component"]').appendChild(row);
        changed(own(row, '[data-name="title"]')[0]);
      },
      "remove-row": function (button) {
        var row = button.closest("[data-row]");
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        changed(next ? next.querySelector("input, select, button") : null);
      },
      "move-up": function (button) {
        var row = button.closest("[data-row]");
        if (row.previousElementSibling) row.parentNode.insertBefore(row, row.previousElementSibling);
        changed(button);
      },
      "move-down": function (button) {
        var row = button.closest("[data-row]");
        if (row.nextElementSibling) row.parentNode.insertBefore(row.nextElementSibling, row);
        changed(button);
      }
    };

    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-action]");
      if (button && actions[button.dataset.action] && form.contains(button)) {
        event.preventDefault();
        actions[button.dataset.action](button);
        return;
      }
      var use = event.target.closest("[data-use-code]");
      if (use) {
        event.preventDefault();
        form.querySelector('[name="code"]').value = use.dataset.useCode;
        schedulePreview(0);
      }
    });

    form.addEventListener("change", function (event) {
      if (event.target.matches('[data-name="activity"]')) applyRate(event.target.closest("[data-row]"), true);
      schedulePreview(150);
    });
    form.addEventListener("input", function (event) {
      if (event.target.closest('[data-row="unit"]') && event.target.dataset.name === "title") syncReferences();
      schedulePreview(350);
    });

    function schedulePreview(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, delay);
    }

    function apply(fragments) {
      Object.keys(fragments).forEach(function (id) {
        var target = document.getElementById(id);
        if (target) target.innerHTML = fragments[id];
        if (id.indexOf("step-count-") === 0) {
          form.querySelectorAll('[data-step-count="' + id.slice(11) + '"]').forEach(function (copy) {
            copy.innerHTML = fragments[id];
          });
        }
      });
    }

    function preview() {
      var mine = (sequence += 1);
      form.dataset.previewState = "busy";
      window
        .fetch(previewUrl, {
          method: "POST",
          body: new FormData(form),
          headers: { "X-Requested-With": "fetch" },
          credentials: "same-origin"
        })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (json) {
          if (mine !== sequence) return;
          if (json) apply(json.fragments);
          form.dataset.previewState = "done";
        })
        .catch(function () { form.dataset.previewState = "failed"; });
    }

    var upload = document.getElementById("survey-upload-form");
    if (upload) {
      upload.addEventListener("submit", function (event) {
        event.preventDefault();
        var error = document.getElementById("survey-file-error");
        window
          .fetch(upload.action, {
            method: "POST",
            body: new FormData(upload),
            headers: { "X-Requested-With": "fetch" },
            credentials: "same-origin"
          })
          .then(function (response) { return response.json().then(function (json) { return [response.ok, json]; }); })
          .then(function (result) {
            if (result[0]) {
              error.hidden = true;
              apply(result[1].fragments);
              document.getElementById("survey-file-input").value = "";
              schedulePreview(0);
            } else {
              error.textContent = result[1].error.message;
              error.hidden = false;
            }
          });
      });
    }
  }

  document.addEventListener("click", function (event) {
    var confirmable = event.target.closest("[data-confirm]");
    if (confirmable && !window.confirm(confirmable.dataset.confirm)) event.preventDefault();
  });

  var editor = document.getElementById("proposal-form");
  var creator = document.getElementById("new-proposal-form");
  if (creator) setupFieldSets(creator);
  if (editor) {
    setupFieldSets(editor);
    setupSteps(editor);
    if (!editor.querySelector("fieldset[disabled]")) setupEditor(editor);
  }
})();
