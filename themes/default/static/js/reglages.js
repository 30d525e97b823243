// Applies the saved display settings before the page is painted.
(function () {
  try {
    var s = JSON.parse(localStorage.getItem("fiches-reglages") || "{}");
    var html = document.documentElement;
    ["taille", "espacement", "theme"].forEach(function (k) {
      if (s[k]) html.setAttribute("data-" + k, s[k]);
    });
  } catch (e) { /* storage may be unavailable: keep the defaults */ }
  document.documentElement.classList.add("js");
})();
