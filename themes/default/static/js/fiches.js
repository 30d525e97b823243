// fiches enhancements (issue 4). The pages are complete without this file; it only adds:
// - the "Paramètres d'affichage" button and panel (text size, spacing, colours), stored in
//   localStorage under "fiches-reglages" and applied as data-* attributes on <html>
//   (js/reglages.js applies them again before paint on the next page);
// - the "Imprimer cette fiche" buttons (window.print());
// - every <details> opened before printing (Chromium does not print closed ones).
(function () {
  "use strict";

  var KEY = "fiches-reglages";
  var DEFAULTS = { taille: "normale", espacement: "normal", theme: "systeme" };
  var html = document.documentElement;

  function load() {
    try {
      var s = JSON.parse(localStorage.getItem(KEY) || "{}");
      return s && typeof s === "object" ? s : {};
    } catch (e) {
      return {};
    }
  }

  function save(s) {
    try {
      localStorage.setItem(KEY, JSON.stringify(s));
    } catch (e) {
      // storage may be off (private mode, file:// policy): the choice lasts for this page
    }
  }

  // A default value removes the attribute, so the CSS defaults (and prefers-color-scheme) apply.
  function apply(s) {
    Object.keys(DEFAULTS).forEach(function (k) {
      if (s[k] && s[k] !== DEFAULTS[k]) html.setAttribute("data-" + k, s[k]);
      else html.removeAttribute("data-" + k);
    });
  }

  function setupSettings() {
    var toggle = document.querySelector(".reglages-bouton");
    var panel = document.getElementById("reglages");
    if (!toggle || !panel) return;
    var form = panel.querySelector("form");
    var close = panel.querySelector(".reglages-fermer");
    var current = load();

    function sync() {
      Object.keys(DEFAULTS).forEach(function (k) {
        var value = current[k] || DEFAULTS[k];
        var input = form.querySelector('input[name="' + k + '"][value="' + value + '"]');
        if (input) input.checked = true;
      });
    }

    function show(open) {
      panel.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }

    sync();
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      show(panel.hidden);
    });
    if (close) {
      close.addEventListener("click", function () {
        show(false);
        toggle.focus();
      });
    }
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        show(false);
        toggle.focus();
      }
    });
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (!t || t.type !== "radio" || !(t.name in DEFAULTS)) return;
      current[t.name] = t.value;
      apply(current);
      save(current);
    });
    form.addEventListener("reset", function () {
      current = {};
      apply(current);
      save(current);
      // the form resets its radios to their default (checked) ones after this event
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
    });
  }

  function setupPrint() {
    var buttons = document.querySelectorAll(".print-button");
    Array.prototype.forEach.call(buttons, function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        window.print();
      });
    });
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.setAttribute("open", "");
        d.setAttribute("data-ouvert-pour-impression", "");
      });
    });
    window.addEventListener("afterprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details[data-ouvert-pour-impression]"), function (d) {
        d.removeAttribute("open");
        d.removeAttribute("data-ouvert-pour-impression");
      });
    });
  }

  setupSettings();
  setupPrint();
})();
