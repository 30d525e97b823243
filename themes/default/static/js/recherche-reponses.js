// Search, 4/5: what the page shows besides the list (issue #20). Takes the text
// functions, oneEdit and the Engine of FichesRecherche; gives the definitions a
// query names (`Engine.prototype.define`: glossary term, expansion or other
// name), the queries close to one that finds nothing ("Vouliez-vous dire … ?",
// `suggest`), and a result's excerpt with its matched words marked
// (`highlight`, `excerpt`).
(function (root) {
  "use strict";

  var R = root.FichesRecherche || (root.FichesRecherche = {});
  var words = R.words, isStop = R.isStop, stem = R.stem, terms = R.terms;
  var oneEdit = R.oneEdit, TYPO_MIN = R.TYPO_MIN, Engine = R.Engine;

  // Words of a query asking for a definition that are not the term itself.
  var ASKING = {};
  ("definition definir signifie signification veut dire sens sigle acronyme quoi " +
    "explication expliquer mot c est qu ce")
    .split(" ").forEach(function (w) { ASKING[w] = true; });

  function sameWord(a, b) {
    return a === b || stem(a) === stem(b) ||
      (a.length >= TYPO_MIN && b.length >= TYPO_MIN && oneEdit(a, b));
  }

  function nameWords(s) {
    return words(s).filter(function (w) { return !isStop(w); });
  }

  // Glossary entries (the index's `g`) the query names: the term, its expansion
  // or another name, word for word, with the folding, stemming and one typo per
  // word of 5 letters or more that the search forgives. "Définition de", "c'est
  // quoi" and the like are left out first.
  Engine.prototype.define = function (q) {
    if (!this.glossary) {
      this.glossary = (this.index.g || []).map(function (e) {
        return { entry: e, forms: [e.t, e.x].concat(e.l || []).filter(Boolean).map(nameWords) };
      });
    }
    var all = nameWords(q);
    var asked = all.filter(function (w) { return !ASKING[w]; });
    if (asked.length === 0) asked = all;
    if (asked.length === 0) return [];
    return this.glossary.filter(function (g) {
      return g.forms.some(function (f) {
        return f.length === asked.length && f.every(function (w, i) { return sameWord(asked[i], w); });
      });
    }).map(function (g) { return g.entry; });
  };

  // Edit distance (insertions, deletions, substitutions, swaps of two neighbours),
  // up to `max` (max + 1 beyond).
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var rows = [[]], i, j;
    for (j = 0; j <= b.length; j++) rows[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      var cur = rows[i] = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(rows[i - 1][j] + 1, cur[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], rows[i - 2][j - 2] + 1);
        if (cur[j] < low) low = cur[j];
      }
      if (low > max) return max + 1;
    }
    return rows[a.length][b.length];
  }

  // The words readers see in the index (titles, acronyms, other names, summaries
  // of the documents loaded, and the glossary), folded, each with how often it
  // is used: what "Vouliez-vous dire … ?" proposes.
  Engine.prototype.seen = function () {
    var count = Object.create(null);
    var add = function (text) {
      nameWords(text || "").forEach(function (w) {
        if (w.length > 1 && !/^\d+$/.test(w)) count[w] = (count[w] || 0) + 1;
      });
    };
    this.docs.forEach(function (d) {
      if (!d) return;
      add(d.t); add(d.a); add(d.s); (d.l || []).forEach(add);
    });
    (this.index.g || []).forEach(function (e) { add(e.t); add(e.x); (e.l || []).forEach(add); });
    return count;
  };

  // Queries close to `q` that have answers: each word of `q` that matches
  // nothing replaced by the nearest word readers see in the index (one edit for
  // a short word, two for 6 letters or more). At most `max`, best first.
  Engine.prototype.suggest = function (q, max) {
    var self = this, seen = this.seen(), list = Object.keys(seen);
    var qw = nameWords(q);
    var options = qw.map(function (w) {
      if (seen[w] || Object.keys(self.variants(w, false, [])).length > 0) return [w];
      var limit = w.length >= 6 ? 2 : 1;
      var near = [];
      list.forEach(function (c) {
        var d = distance(w, c, limit);
        if (d <= limit) near.push({ word: c, d: d, n: seen[c] });
      });
      near.sort(function (a, b) { return a.d - b.d || b.n - a.n || (a.word < b.word ? -1 : 1); });
      return near.slice(0, max).map(function (x) { return x.word; });
    });
    if (qw.length === 0 || options.some(function (o) { return o.length === 0; })) return [];
    var out = [];
    for (var k = 0; k < max; k++) {
      var words2 = options.map(function (o) { return o[Math.min(k, o.length - 1)]; });
      var text = words2.join(" ");
      if (out.indexOf(text) < 0 && text !== qw.join(" ") && this.search(text + " ").length > 0) out.push(text);
    }
    return out;
  };

  // The text split into [text, marked] pieces: words whose stem was matched.
  function highlight(text, stems) {
    var set = Object.create(null);
    stems.forEach(function (s) { set[s] = true; });
    var out = [], last = 0, m, re = /[\p{L}\p{M}\p{N}]+/gu;
    while ((m = re.exec(text)) !== null) {
      var t = terms(m[0]);
      if (t.length > 0 && t.every(function (s) { return set[s]; })) {
        if (m.index > last) out.push([text.slice(last, m.index), false]);
        out.push([m[0], true]);
        last = m.index + m[0].length;
      }
    }
    if (last < text.length) out.push([text.slice(last), false]);
    return out;
  }

  // The short text shown under a result: the sentence of the summary, the extra
  // text or the other names with the most marked words (the summary when none
  // has any), so that the reader sees why the fiche was found.
  function excerpt(doc, stems) {
    var sentences = [doc.s].concat((doc.x || "").split(/(?<=[.!?…:;])\s+/))
      .concat((doc.l || []).length ? ["Autres noms : " + doc.l.join(", ") + "."] : [])
      .filter(function (s) { return s && s.trim(); });
    var best = null, bestCount = 0;
    sentences.forEach(function (s) {
      var pieces = highlight(s, stems);
      var count = pieces.filter(function (p) { return p[1]; }).length;
      if (best === null || count > bestCount) { best = pieces; bestCount = count; }
    });
    return best || [];
  }

  R.distance = distance;
  R.highlight = highlight;
  R.excerpt = excerpt;
})(this);
