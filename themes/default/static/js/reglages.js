// Applies the saved display settings before the page is painted (loaded without defer in
// <head>), so a chosen text size or colour theme never flashes. js/fiches.js writes them.
// Default values set no attribute: the CSS defaults and prefers-color-scheme then apply.
(function () {
  var html = document.documentElement;
  var defaults = { taille: "normale", espacement: "normal", theme: "systeme" };
  try {
    var s = JSON.parse(localStorage.getItem("fiches-reglages") || "{}") || {};
    Object.keys(defaults).forEach(function (k) {
      if (typeof s[k] === "string" && s[k] !== defaults[k]) html.setAttribute("data-" + k, s[k]);
    });
  } catch (e) {
    // storage may be unavailable: keep the defaults
  }
  html.classList.add("js");
})();
