// "Trouver une solution": filters the guide's cards by the answers, from
// front-matter data only (trouver-data.js). The core (parse, filter, group)
// has no DOM access, so node tests run the very same code (tests/trouver/).
(function (root) {
  "use strict";

  var STAGES = ["remobilisation", "preparation", "formation", "emploi"];
  var STAGE_LABELS = {
    remobilisation: "Remobilisation",
    preparation: "Définir son projet et se préparer",
    formation: "Se former",
    emploi: "Emploi et formation dans l'emploi"
  };

  // Answers from a query string: ?public=salarie&etape=formation&handicap=rqth...
  function parse(search) {
    var a = { public: [], etape: [], handicap: "", situation: [], departement: "" };
    new URLSearchParams(search || "").forEach(function (value, key) {
      if (value === "inconnu") return; // "Je ne sais pas": no filter
      if (Array.isArray(a[key])) { if (a[key].indexOf(value) < 0) a[key].push(value); }
      else if (key in a) a[key] = value;
    });
    return a;
  }

  function toQuery(a) {
    var p = new URLSearchParams();
    ["public", "etape", "situation"].forEach(function (k) { a[k].forEach(function (v) { p.append(k, v); }); });
    if (a.handicap) p.set("handicap", a.handicap);
    if (a.departement) p.set("departement", a.departement);
    return p.toString();
  }

  function empty(a) { return toQuery(a) === ""; }

  function some(list, other) {
    return list.some(function (v) { return other.indexOf(v) >= 0; });
  }

  // Whether a card fits the person; every rule reads front matter only.
  function fits(card, a) {
    if (a.public.length && card.publics.length && !some(a.public, card.publics)) return false;
    if (a.handicap === "sante" && card.droit === "specifique") return false;
    if (a.departement && card.territoire.length && card.territoire.indexOf(a.departement) < 0) return false;
    if (a.situation.indexOf("arret-travail") >= 0 && card.arret === false) return false;
    return true;
  }

  function matches(card, a) {
    if (card.kind === "outil" || !fits(card, a)) return false;
    if (a.etape.length && !some(a.etape, card.stages)) return false;
    if (a.situation.length) {
      var inSituation = a.situation.some(function (s) {
        return card.situations.indexOf(s) >= 0 || (s === "arret-travail" && card.arret === true);
      });
      if (!inSituation) return false;
    }
    return true;
  }

  // Results grouped by stage (each card once, under its first asked stage),
  // situation cards first, each with the compensation tools that fit too.
  function filter(cards, a) {
    var bySlug = {};
    cards.forEach(function (c) { bySlug[c.slug] = c; });
    var asked = a.etape.length ? STAGES.filter(function (s) { return a.etape.indexOf(s) >= 0; }) : STAGES;
    var groups = [{ id: "situation", label: "Votre situation", cards: [] }].concat(asked.map(function (s) {
      return { id: s, label: STAGE_LABELS[s], cards: [] };
    }));
    var count = 0;
    cards.forEach(function (card) {
      if (!matches(card, a)) return;
      var group = card.kind === "situation" ? groups[0] : groups.filter(function (g) {
        return card.stages.indexOf(g.id) >= 0;
      })[0];
      if (!group) return;
      var tools = card.compensation.map(function (s) { return bySlug[s]; })
        .filter(function (t) { return t && fits(t, a); });
      group.cards.push({ card: card, tools: tools });
      count += 1;
    });
    groups.forEach(function (g) {
      g.cards.sort(function (x, y) { return x.card.title.localeCompare(y.card.title, "fr"); });
    });
    return { count: count, groups: groups.filter(function (g) { return g.cards.length; }) };
  }

  var core = { parse: parse, toQuery: toQuery, filter: filter, matches: matches };
  if (typeof module !== "undefined" && module.exports) { module.exports = core; return; }
  root.FichesTrouver = core;

  // ---- the page ----------------------------------------------------------
  var form = document.querySelector(".trouver-form");
  var box = document.querySelector(".trouver-results");
  if (!form || !box || !root.FICHES_TROUVER) return;
  var status = document.getElementById("trouver-status");
  var list = document.getElementById("trouver-results");
  var base = document.querySelector("link[rel=stylesheet][href$='css/trouver.css']").getAttribute("href").replace(/css\/trouver\.css$/, "");
  form.hidden = false;

  function answers() { return parse(new URLSearchParams(new FormData(form)).toString()); }

  function setForm(a) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || (el.type !== "checkbox" && el.type !== "radio")) return;
      var v = a[el.name];
      el.checked = Array.isArray(v) ? v.indexOf(el.value) >= 0 : (v || "inconnu") === el.value;
    });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function show(a) {
    var q = toQuery(a);
    history.replaceState(null, "", q ? "?" + q : location.pathname);
    if (empty(a)) { box.hidden = true; status.textContent = ""; list.textContent = ""; return; }
    var r = filter(root.FICHES_TROUVER, a);
    box.hidden = false;
    list.textContent = "";
    status.textContent = r.count === 0 ? "Aucune solution ne correspond à toutes ces réponses. Essayez avec moins de réponses."
      : r.count === 1 ? "1 solution correspond à vos réponses." : r.count + " solutions correspondent à vos réponses.";
    r.groups.forEach(function (g) {
      var section = el("section", { "class": "group" });
      section.appendChild(el("h3", {}, g.label));
      var ul = el("ul", { "class": "card-list" });
      g.cards.forEach(function (item) {
        var li = el("li", { "class": "card-item" });
        var h = el("h4", { "class": "card-title" });
        h.appendChild(el("a", { href: base + item.card.url }, item.card.title));
        li.appendChild(h);
        li.appendChild(el("p", { "class": "card-summary" }, item.card.summary));
        if (item.card.droit) li.appendChild(el("p", { "class": "card-meta" }, item.card.droit === "specifique" ? "Droit spécifique : réservé aux personnes dont le handicap est reconnu." : "Droit commun : ouvert à tous."));
        if (item.tools.length) {
          var p = el("p", { "class": "tools" }, "Outils de compensation : ");
          item.tools.forEach(function (t, i) {
            if (i) p.appendChild(document.createTextNode(", "));
            p.appendChild(el("a", { href: base + t.url }, t.title));
          });
          li.appendChild(p);
        }
        ul.appendChild(li);
      });
      section.appendChild(ul);
      list.appendChild(section);
    });
  }

  form.addEventListener("change", function () { show(answers()); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    show(answers());
    document.getElementById("resultats-titre").scrollIntoView();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { show(answers()); }, 0);
  });
  var start = parse(location.search);
  setForm(start);
  show(start);
})(this);
