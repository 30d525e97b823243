// Search, 3/5: the ranking (issues #6 and #20). Takes the text functions and
// the Engine of FichesRecherche; gives `Engine.prototype.search`: the documents
// that answer a query, best first. Each word of the query stands for stems of
// the index (itself, completions of the word being typed, relatives, typos),
// weighed by how rare they are (idf) and where the document has them (title
// above summary above body, weights from src/search.rs). Words naming a public
// or a stage (content/synonymes.toml, [publics] and [etapes]) raise the
// documents of that public or stage; words that only make a sentence ("je
// veux", "comment") are left out; a query of several words is read as a
// sentence, where the fiches that hold the words that say the most come first.
(function (root) {
  "use strict";

  var R = root.FichesRecherche || (root.FichesRecherche = {});
  var words = R.words, isStop = R.isStop, stem = R.stem, terms = R.terms;
  var lowerBound = R.lowerBound, MAX_VARIANTS = R.MAX_VARIANTS, Engine = R.Engine;

  var PREFIX_MIN = 2; // letters typed before the word being typed completes
  var TYPO_MIN = 5; // one typo is forgiven on words of 5 letters or more
  var NEAR = 0.3; // a typo next to a word that exists
  var QUALITY = { exact: 1, prefix: 0.75, family: 0.7, typo: 0.6, near: NEAR };
  // Word families: a stem of the index also stands for its relatives, the stems
  // that share all its letters but the last 2 (6 letters at least), or that are
  // it with a verb's "-ent" ("associ", "associent"): what the stemmer leaves
  // apart, a verb and its noun ("reconvertir", "reconversion"; "reconnaitre",
  // "reconnaissance"). A relative is less sure than the word itself.
  var FAMILY_MIN = 6;
  var FAMILY_SLACK = 2;

  // A verb in the third person plural, which the stemmer keeps whole: "associent".
  var VERB_ENT = /^(.{4,})ent$/;

  function sameFamily(a, b) {
    if (a === b || a.length < FAMILY_MIN || b.length < FAMILY_MIN) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i >= FAMILY_MIN && i >= Math.max(a.length, b.length) - FAMILY_SLACK;
  }

  // Damerau-Levenshtein distance is at most 1 (one insertion, deletion,
  // substitution, or swap of two neighbours).
  function oneEdit(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1 || a === b) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // Stems a query word stands for, each with how sure we are: the word itself,
  // completions of the word being typed, then one-typo neighbours.
  Engine.prototype.variants = function (word, typing, need) {
    var out = Object.create(null), count = 0, self = this, missed = this.missed;
    var add = function (s, q) {
      if (!self.has(s, need)) return;
      if (!(s in out)) count++;
      if (!(s in out) || out[s] < q) out[s] = q;
    };
    var own = stem(word);
    add(own, QUALITY.exact);
    if (count > 0) {
      add(own + "ent", QUALITY.family);
      var ent = VERB_ENT.exec(own);
      if (ent) add(ent[1], QUALITY.family);
      if (own.length >= FAMILY_MIN) {
        this.walk(own.slice(0, Math.max(FAMILY_MIN, own.length - FAMILY_SLACK)), need, function (w) {
          if (sameFamily(own, self.vocab[w])) add(self.vocab[w], QUALITY.family);
          return count < MAX_VARIANTS;
        });
      }
    }
    if (typing && word.length >= PREFIX_MIN) {
      this.walk(word, need, function (w) {
        add(self.vocab[w], QUALITY.prefix);
        return count < MAX_VARIANTS;
      });
    }
    // Typos are looked for when nothing else matched (known once no part is
    // missing), and, less sure, next to a word that exists ("actif" for "Activ'").
    if (this.missed > missed || word.length < TYPO_MIN || (count > 0 && typing)) return out;
    if (!this.all) {
      this.miss(need, this.parts.vocab);
      return out;
    }
    var q = count > 0 ? QUALITY.near : QUALITY.typo;
    for (var j = 0; j < this.all.length; j++) {
      if (oneEdit(word, this.all[j])) add(this.vocab[this.all[j]], q);
    }
    return out;
  };

  // The query's words: folded, stop words dropped, each with the stop words just
  // before it (`lead`: "mon" in "mon employeur"); the last one is "being typed"
  // unless the query ends with a space.
  function queryWords(q) {
    var list = [], lead = [];
    words(q).forEach(function (w) {
      if (isStop(w)) lead.push(w);
      else { list.push({ word: w, lead: lead }); lead = []; }
    });
    var typing = /[\p{Alphabetic}\p{N}]$/u.test(String(q));
    list.forEach(function (item, i) { item.typing = typing && i === list.length - 1; });
    return list;
  }

  // Subject pronouns say nothing of a need: "je cherche du travail" is
  // "cherche … travail" after any subject.
  var SUBJECT = { je: true, j: true, tu: true, il: true, elle: true, on: true, nous: true, vous: true, ils: true, elles: true };

  // Whether the stop words `lead` end with those of `wanted`.
  function endsWith(lead, wanted) {
    var k = lead.length - wanted.length;
    return k >= 0 && wanted.every(function (w, i) { return lead[k + i] === w; });
  }

  function keep(stages, publics, filters) {
    var any = function (wanted, have) {
      if (!wanted || wanted.length === 0) return true;
      return wanted.some(function (v) { return have.indexOf(v) >= 0; });
    };
    return any(filters.stages, stages) && any(filters.publics, publics);
  }

  // Words that ask whom to turn to ("qui contacter", "à qui m'adresser"): dropped
  // from the words looked for, they raise the contacts (cards of kind "acteur").
  var CONTACT = {};
  ("contacter contact contacts adresser tourner interlocuteur joindre appeler")
    .split(" ").forEach(function (w) { CONTACT[w] = true; });
  var CONTACT_BOOST = 3;

  // Words of a sentence that say nothing of what is looked for ("je veux",
  // "comment", "besoin"): dropped from a query of several words, unless part of a
  // need ("je cherche du travail").
  var FILLERS = {};
  ("veux voudrais voudrai aimerais aimerai souhaite souhaiterais souhaiterai cherche " +
    "recherche comment quoi quel quelle quels quelles quand pourquoi combien faire fais fait " +
    "peux puis peut peuvent pourrais pourrait pouvoir dois doit faut besoin existe aller vais va " +
    "avoir etre plus tres trop bien ya savoir sais pas rien jamais car donc alors aussi ainsi " +
    "encore toujours deja tout tous toute toutes autre autres chez vers quelqu quelque")
    .split(" ").forEach(function (w) { FILLERS[w] = true; });

  // A word glued from two words of the index ("preorientation", "inclupro"), when
  // it matches nothing as it is: the two words, the split that keeps the shorter
  // one longest. Needs the whole vocabulary (always there for a one-file index).
  Engine.prototype.unglue = function (item, need) {
    var w = item.word, best = null;
    if (!this.all || w.length < 6 || Object.keys(this.variants(w, item.typing, need)).length > 0) return [item];
    for (var i = 2; i <= w.length - 2; i++) {
      var a = w.slice(0, i), b = w.slice(i);
      if (this.vocab[a] === undefined || isStop(a) || (this.vocab[b] === undefined && !(item.typing && this.startsSome(b)))) continue;
      if (best === null || Math.min(a.length, b.length) > Math.min(best[0].length, best[1].length)) best = [a, b];
    }
    if (best === null) return [item];
    return [{ word: best[0], typing: false, lead: item.lead }, { word: best[1], typing: item.typing, lead: [] }];
  };

  // Whether some word or stem of the index starts with `prefix`.
  Engine.prototype.startsSome = function (prefix) {
    var k = lowerBound(this.all, prefix);
    return k < this.all.length && this.all[k].slice(0, prefix.length) === prefix;
  };

  // The needs of the index (`needs`: [0 public or 1 stage, its number, expression]),
  // each as its stems, longest first.
  // An expression that starts with stop words ("mon employeur", "dans mon
  // entreprise", "en poste") names its need only after them (`lead`): "employeur"
  // alone names the employer, "mon employeur" the employee.
  Engine.prototype.needList = function () {
    if (this.needs) return this.needs;
    this.needs = (this.index.needs || []).map(function (n) {
      var all = words(n[2]), lead = [];
      for (var i = 0; i < all.length && isStop(all[i]); i++) if (!SUBJECT[all[i]]) lead.push(all[i]);
      return { facet: n[0], value: n[1], stems: terms(n[2]), lead: lead };
    }).filter(function (n) { return n.stems.length > 0; });
    this.needs.sort(function (a, b) { return b.stems.length - a.stems.length || b.lead.length - a.lead.length; });
    return this.needs;
  };

  // The publics and stages a query names, longest expression first, each word
  // in one at most: { publics, stages: [numbers], covered: [true for each word] }.
  Engine.prototype.needsOf = function (qw) {
    var stems = qw.map(function (item) { return stem(item.word); });
    var covered = stems.map(function () { return false; });
    var out = { publics: [], stages: [], covered: covered, of: stems.map(function () { return null; }) };
    this.needList().forEach(function (n) {
      var len = n.stems.length;
      for (var i = 0; i + len <= stems.length; i++) {
        var k = 0;
        while (k < len && !covered[i + k] && stems[i + k] === n.stems[k]) k++;
        if (k < len || !endsWith(qw[i].lead || [], n.lead)) continue;
        var list = n.facet === 0 ? out.publics : out.stages;
        if (list.indexOf(n.value) < 0) list.push(n.value);
        for (k = 0; k < len; k++) { covered[i + k] = true; out.of[i + k] = n; }
      }
    });
    return out;
  };

  // Share of a need's weight a document gets: full when the document is for
  // that public or stage only, less when it lists many.
  var NEED_BOOST = 0.35;
  // A stem weighs this much (× 4, as shipped) in a document's title, acronym or
  // other names; a document holding every query word so raises its score this much.
  var STRONG = 24;
  var NAMED_BOOST = 1.5;
  // What a word naming a need weighs when it matches no stem of the index.
  var NEED_WEIGHT = 1;
  // Queries of this many words or more are read as sentences (see `search`).
  var LONG = 3;
  // A sentence keeps the fiches that cover at least this share of what the best covers.
  var KEEP_SHARE = 0.5;
  // How much a sentence's missing share costs: score × (share / best share)^SHARE_POWER.
  var SHARE_POWER = 2;

  // Results, best first: [{ doc, id, score, stems }]. Filters hold stage and
  // public indexes (as in the index's `stages` and `publics` lists). With parts,
  // the parts still missing are added to `need` (the results are then incomplete).
  // Words naming a public or a stage (`needsOf`) also match the documents of that
  // public or stage, and raise them: a ranking signal, never a filter.
  Engine.prototype.search = function (q, filters, need) {
    filters = filters || {};
    need = need || [];
    var self = this;
    var qw = [];
    queryWords(q).forEach(function (item) { qw = qw.concat(self.unglue(item, need)); });
    var askContact = qw.length > 1 && qw.some(function (item) { return CONTACT[item.word]; });
    if (askContact) qw = qw.filter(function (item) { return !CONTACT[item.word]; });
    var needs = this.needsOf(qw);
    var useful = qw.map(function (item, i) { return needs.covered[i] || !FILLERS[item.word]; });
    if (useful.indexOf(true) >= 0) {
      needs.of = needs.of.filter(function (x, i) { return useful[i]; });
      qw = qw.filter(function (x, i) { return useful[i]; });
    }
    var wanted = needs.publics.length + needs.stages.length > 0;
    var byDoc = Object.create(null);
    var n = 0;
    var needOf = []; // the need each query word names, by query word number
    var weightOf = []; // how much each query word says: the idf of its rarest stem
    qw.forEach(function (item, i) {
      var vars = self.variants(item.word, item.typing, need);
      var stemsOf = Object.keys(vars);
      if (stemsOf.length === 0 && !needs.of[i]) return;
      var t = n++;
      needOf[t] = needs.of[i];
      weightOf[t] = NEED_WEIGHT;
      stemsOf.forEach(function (s) {
        var idf = self.idf(s, need), q = vars[s];
        // A relative of the word does not make it say more than it does.
        if (q !== QUALITY.family && q * idf > weightOf[t]) weightOf[t] = q * idf;
        self.list(s, need).forEach(function (p) {
          var d = p[0];
          var hit = byDoc[d] || (byDoc[d] = { scores: [], sure: [], strong: 0, stems: Object.create(null) });
          var v = q * idf * p[1];
          if (!(hit.scores[t] >= v)) hit.scores[t] = v;
          if (!(hit.sure[t] >= q)) hit.sure[t] = q;
          if (q === QUALITY.exact && p[1] >= STRONG && hit.strongAt !== t) { hit.strong++; hit.strongAt = t; }
          hit.stems[s] = true;
        });
      });
    });
    var total = 0;
    for (var t0 = 0; t0 < n; t0++) total += weightOf[t0];
    var out = [];
    var best = 0;
    var filtered = (filters.stages || []).length > 0 || (filters.publics || []).length > 0;
    var facetsOf = function (d) { return (filtered || wanted || askContact) ? self.facets(Number(d), need) : null; };
    var acteur = -1;
    (this.index.kinds || []).forEach(function (k, i) { if (k[0] === "acteur") acteur = i; });
    Object.keys(byDoc).forEach(function (d) {
      var hit = byDoc[d], matched = 0, covered = 0, sum = 0, boost = 1;
      var facets = facetsOf(d);
      if (facets && filtered && !keep(facets[0], facets[1], filters)) return;
      for (var t = 0; t < n; t++) {
        var named = needOf[t], has = false;
        if (named && facets) {
          var list = named.facet === 0 ? facets[1] : facets[0];
          has = list.indexOf(named.value) >= 0;
          if (has) boost += NEED_BOOST / Math.sqrt(list.length);
        }
        // A word found as a typo of another covers less of the query.
        if (hit.scores[t] > 0 || has) { matched++; covered += weightOf[t] * (has ? 1 : hit.sure[t]); }
        if (hit.scores[t] > 0) sum += hit.scores[t];
      }
      var share = total > 0 ? covered / total : 1;
      // Every word of the query in the title, acronym or other names: that fiche.
      if (hit.strong === n) boost *= NAMED_BOOST;
      if (askContact && facets && facets[2] === acteur) boost *= CONTACT_BOOST;
      if (n >= LONG) { if (share > best) best = share; } else if (matched > best) best = matched;
      out.push({ doc: self.docs[d], id: Number(d), matched: matched, share: share, score: sum * boost, stems: Object.keys(hit.stems) });
    });
    if (n < LONG) {
      // A short query: fiches that hold every word come first; when none does,
      // those that hold most.
      out = out.filter(function (r) { return r.matched === best; });
    } else {
      // A sentence: the fiches that hold the words that say the most (rare
      // words weigh more than common ones), each missing share costing.
      out = out.filter(function (r) { return r.share >= best * KEEP_SHARE; });
      out.forEach(function (r) { r.score *= Math.pow(r.share / best, SHARE_POWER); });
    }
    out.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return out;
  };

  R.TYPO_MIN = TYPO_MIN;
  R.oneEdit = oneEdit;
})(this);
