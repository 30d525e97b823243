// Glossary tooltips (docs/accessibilite.md §3, WCAG 1.4.13). Progressive enhancement: without
// this script each term is a plain link to its entry on glossaire.html.
// Shows the bubble on hover of the term and on focus of its link; it stays while the
// pointer is on the term or the bubble (hoverable) and while the link has focus
// (persistent); Escape hides it from anywhere without moving focus (dismissible).
// On a touch screen a first tap shows the bubble and a second one follows the link.
(function () {
  "use strict";
  var GRACE_MS = 300; // time for the pointer to travel from the term to the bubble
  var MARGIN = 8; // px kept between the bubble and the edges of the window
  var open = null;
  var timer = 0;

  function bubble(term) {
    return term.querySelector(".term-def");
  }

  // Moves the bubble left when it would stick out of the window (no horizontal scroll).
  function place(term) {
    var def = bubble(term);
    def.style.left = "";
    var r = def.getBoundingClientRect();
    var room = document.documentElement.clientWidth - MARGIN;
    var shift = 0;
    if (r.right > room) shift = room - r.right;
    if (r.left + shift < MARGIN) shift = MARGIN - r.left;
    if (shift) def.style.left = shift + "px";
  }

  function show(term) {
    clearTimeout(timer);
    if (open && open !== term) hide(open);
    open = term;
    term.classList.add("is-open");
    place(term);
  }

  function hide(term) {
    term.classList.remove("is-open");
    bubble(term).style.left = "";
    if (open === term) open = null;
  }

  function hovered(term) {
    return term.matches(":hover");
  }

  function setup(term) {
    var link = term.querySelector(".term-link");
    if (!link || !bubble(term)) return;
    var openAtPress = false;
    var pointer = "";

    term.addEventListener("mouseenter", function () {
      show(term);
    });
    term.addEventListener("mouseleave", function () {
      if (document.activeElement === link) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!hovered(term) && document.activeElement !== link) hide(term);
      }, GRACE_MS);
    });
    link.addEventListener("focus", function () {
      show(term);
    });
    link.addEventListener("blur", function () {
      if (!hovered(term) || pointer === "touch") hide(term);
    });
    // A tap also sends mouseenter and focus before click: remember the state at the press.
    link.addEventListener("pointerdown", function (e) {
      pointer = e.pointerType;
      openAtPress = term.classList.contains("is-open");
    });
    link.addEventListener("click", function (e) {
      if (pointer === "touch" && !openAtPress) {
        e.preventDefault();
        show(term);
      }
      pointer = "";
    });
  }

  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && open) hide(open);
  });
  // A tap or click elsewhere closes the bubble.
  document.addEventListener("pointerdown", function (e) {
    if (open && !open.contains(e.target)) hide(open);
  });

  var terms = document.querySelectorAll(".term");
  for (var i = 0; i < terms.length; i++) setup(terms[i]);
})();
