// Search, 5/5: the search page, recherche.html (issue #6). Takes FichesRecherche
// (the four scripts before this one) and window.FICHES_INDEX; searches as the
// reader types (debounced), with filters by stage and public kept in the URL,
// and shows the definition boxes, then the results as an <ol> with marked
// words, or, when nothing is found, close queries; the count is said once in a
// polite live region. Loads the parts of a split index a query needs, each with
// a script element (works from file://, unlike fetch).
(function (root) {
  "use strict";

  var R = root.FichesRecherche;
  if (!R || typeof document === "undefined") return;
  var Engine = R.Engine, fold = R.fold, words = R.words, excerpt = R.excerpt;

  var DEBOUNCE_MS = 150;
  var MIN_CHARS = 2;
  var MAX_SHOWN = 50;
  var MAX_DEFINITIONS = 3;
  var ANNOUNCE_MS = 700; // the live region speaks this long after the last key press

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // The title, with the acronym when the title does not already say it.
  function title(doc) {
    var has = words(doc.t);
    if (!doc.a || words(doc.a).every(function (w) { return has.indexOf(w) >= 0; })) return doc.t;
    return doc.t + " (" + doc.a + ")";
  }

  function where(doc, index) {
    if (doc.e.length > 0) {
      var labels = doc.e.map(function (i) { return index.stages[i][1]; });
      return (labels.length > 1 ? "Étapes : " : "Étape : ") + labels.join(", ");
    }
    return index.kinds[doc.k] ? index.kinds[doc.k][1] : "";
  }

  // Loads parts of a split index by name, each once, with a script element next
  // to search-index.js (works from file://, unlike fetch; same-origin scripts
  // only, for the CSP). Each part registers itself in window.FICHES_PARTS.
  // done(ok) is called when all the names asked for have loaded or failed.
  function partLoader(engine) {
    var script = document.querySelector('script[src$="search-index.js"]');
    var base = script ? script.src : "search-index.js";
    var state = Object.create(null); // name → "loading", "loaded" or "failed"
    var waiting = [];
    var take = function () {
      var parts = window.FICHES_PARTS || [];
      window.FICHES_PARTS = [];
      parts.forEach(function (p) { engine.add(p); });
    };
    var settle = function () {
      var loading = function (w) {
        return w.names.some(function (n) { return state[n] === "loading"; });
      };
      // Taken out of the list first: a callback may ask for more parts.
      var ready = waiting.filter(function (w) { return !loading(w); });
      waiting = waiting.filter(loading);
      ready.forEach(function (w) {
        w.done(w.names.every(function (n) { return state[n] === "loaded"; }));
      });
    };
    return function (names, done) {
      // A part loaded that the search still lacks is not the part it expects.
      if (names.every(function (n) { return state[n] === "loaded"; })) {
        done(false);
        return;
      }
      waiting.push({ names: names, done: done });
      names.forEach(function (name) {
        if (state[name] && state[name] !== "failed") return;
        state[name] = "loading";
        var s = document.createElement("script");
        s.src = new URL("search/" + name + ".js", base).href;
        s.onload = function () { take(); state[name] = "loaded"; settle(); };
        s.onerror = function () { state[name] = "failed"; settle(); };
        document.head.appendChild(s);
      });
      settle();
    };
  }

  function start() {
    var form = document.getElementById("search-form");
    var input = document.getElementById("q");
    var status = document.getElementById("search-status");
    var results = document.getElementById("search-results");
    var none = document.getElementById("search-none");
    if (!form || !input || !status || !results) return;
    var index = window.FICHES_INDEX;
    if (!index) {
      status.textContent = "La recherche n'a pas pu se charger : le fichier search-index.js manque.";
      return;
    }
    var engine = new Engine(index);
    var loadParts = partLoader(engine);
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var timer = 0;

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    boxes.forEach(function (b) {
      b.checked = params.getAll(b.name).indexOf(b.value) >= 0;
    });
    var details = form.querySelector("details");
    if (details && boxes.some(function (b) { return b.checked; })) details.open = true;

    var checked = function (name, list) {
      return boxes.filter(function (b) { return b.name === name && b.checked; })
        .map(function (b) {
          for (var i = 0; i < list.length; i++) if (list[i][0] === b.value) return i;
          return -1;
        });
    };

    var keepInUrl = function (q) {
      var p = new URLSearchParams();
      if (q) p.set("q", q);
      boxes.forEach(function (b) { if (b.checked) p.append(b.name, b.value); });
      var s = p.toString();
      try {
        window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : ""));
      } catch (e) { /* some browsers refuse it on file://: the search still works */ }
    };

    var shown = 0; // the last search asked for: older ones, still loading, give up

    // The live region speaks once typing has settled, and only when what it says
    // changes: a screen reader hears the answer once, not at each key press.
    var said = "";
    var sayTimer = 0;
    var say = function (text, wait) {
      clearTimeout(sayTimer);
      var put = function () {
        if (text === said) return;
        said = text;
        status.textContent = text;
      };
      if (wait) sayTimer = setTimeout(put, ANNOUNCE_MS);
      else put();
    };

    // The definition box of each glossary entry the query names.
    var definitions = function (defs) {
      var box = el("div", "search-definitions");
      defs.slice(0, MAX_DEFINITIONS).forEach(function (e, i) {
        var section = el("section", "search-definition");
        var id = "definition-" + i;
        section.setAttribute("aria-labelledby", id);
        var h = el("h2", null, "Définition : " + e.t);
        h.id = id;
        section.appendChild(h);
        if (e.x && fold(e.x) !== fold(e.t)) section.appendChild(el("p", "search-definition-expansion", e.x));
        section.appendChild(el("p", "search-definition-text", e.s));
        var ul = el("ul", "search-definition-links");
        var link = function (href, text) {
          var li = el("li");
          var a = el("a", null, text);
          a.href = href;
          li.appendChild(a);
          ul.appendChild(li);
        };
        link(e.u, "« " + e.t + " » dans le glossaire");
        if (e.f) link(e.f[0], "La fiche « " + e.f[1] + " »");
        section.appendChild(ul);
        box.appendChild(section);
      });
      return box;
    };

    var spoken = function (defs) {
      return defs.slice(0, MAX_DEFINITIONS).map(function (e) {
        return " Définition : " + e.t + (e.x && fold(e.x) !== fold(e.t) ? ", " + e.x : "") + ".";
      }).join("");
    };

    // "Vouliez-vous dire … ?": close queries that have answers, as links.
    var suggestions = function (q) {
      var box = none && none.querySelector(".search-suggest");
      if (!box) return [];
      box.textContent = "";
      var list = engine.parts && !engine.all ? [] : engine.suggest(q, 3);
      box.hidden = list.length === 0;
      if (list.length === 0) return list;
      box.appendChild(document.createTextNode("Vouliez-vous dire "));
      list.forEach(function (text, i) {
        if (i > 0) box.appendChild(document.createTextNode(i === list.length - 1 ? " ou " : ", "));
        var a = el("a", null, text);
        a.href = "recherche.html?q=" + encodeURIComponent(text);
        box.appendChild(a);
      });
      box.appendChild(document.createTextNode(" ?"));
      return list;
    };

    var render = function (q, hits, defs, wait) {
      results.textContent = "";
      results.removeAttribute("aria-busy");
      if (none) none.hidden = true;
      if (defs.length > 0) results.appendChild(definitions(defs));
      if (hits.length === 0) {
        var close = suggestions(q);
        if (none) {
          var quoted = none.querySelector(".search-none-query");
          if (quoted) quoted.textContent = q;
          none.hidden = false;
        }
        say("Aucune fiche trouvée." + spoken(defs) +
          (close.length ? " Vouliez-vous dire « " + close.join(" », « ") + " » ?" : ""), wait);
        return;
      }
      var ol = el("ol", "search-list");
      hits.slice(0, MAX_SHOWN).forEach(function (h) {
        var li = el("li", "search-result");
        var a = el("a", null, title(h.doc));
        a.href = h.doc.u;
        var head = el("p", "search-result-title");
        head.appendChild(a);
        li.appendChild(head);
        li.appendChild(el("p", "search-result-where", where(h.doc, index)));
        var p = el("p", "search-result-excerpt");
        excerpt(h.doc, h.stems).forEach(function (piece) {
          p.appendChild(piece[1] ? el("mark", null, piece[0]) : document.createTextNode(piece[0]));
        });
        li.appendChild(p);
        ol.appendChild(li);
      });
      results.appendChild(ol);
      var count = plural(hits.length, "fiche trouvée", "fiches trouvées");
      say((hits.length > MAX_SHOWN ? count + ", les " + MAX_SHOWN + " meilleures sont affichées" : count) + "." + spoken(defs), wait);
    };

    // `typing`: called as the reader types (the live region then waits).
    var show = function (typing) {
      typing = typing === true;
      var q = input.value.trim();
      var query = input.value;
      var ticket = ++shown;
      keepInUrl(q);
      // One letter says nothing yet: no "Aucune fiche trouvée" on the first key press.
      if (q.length < MIN_CHARS) {
        results.textContent = "";
        if (none) none.hidden = true;
        say("", false);
        return;
      }
      var filters = {
        stages: checked("etape", index.stages),
        publics: checked("public", index.publics)
      };
      // With a split index, load the parts the query needs, then ask again.
      var run = function () {
        if (ticket !== shown) return;
        var need = [];
        var hits = engine.search(query, filters, need);
        if (need.length === 0 && engine.parts) engine.docParts(hits.slice(0, MAX_SHOWN), need);
        if (need.length === 0) {
          render(q, hits, engine.define(query), typing);
          return;
        }
        results.setAttribute("aria-busy", "true");
        loadParts(need, function (ok) {
          if (ticket !== shown) return;
          if (ok) run();
          else {
            results.removeAttribute("aria-busy");
            say("La recherche n'a pas pu se charger : une partie de l'index manque (dossier search).", false);
          }
        });
      };
      run();
    };

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { show(true); }, DEBOUNCE_MS);
    });
    boxes.forEach(function (b) { b.addEventListener("change", function () { show(false); }); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      show(false);
    });
    show(false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(this);
