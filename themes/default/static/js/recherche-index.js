// Search, 2/5: the index (issue #6), as search-index.js defines it
// (window.FICHES_INDEX, built by src/search.rs: a script, not a fetch, so it
// works from file://). Takes `FichesRecherche.stem`; gives `FichesRecherche.Engine`
// with what reads the index: postings, idf, the stems that start with a prefix,
// a document's stages and publics. The index of a large guide is split into
// parts under search/ (issue #8, see src/search/output.rs): the engine says which
// parts a question misses, the page loads them, each with a script element, and
// asks again once they are there.
(function (root) {
  "use strict";

  var R = root.FichesRecherche || (root.FichesRecherche = {});
  var stem = R.stem;

  // Stems looked for per word at most (completions, typos, relatives).
  var MAX_VARIANTS = 60;

  // A sorted list's first position whose item is not below `key`.
  function lowerBound(list, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // The search over an index: the whole index (version 1), or one split into
  // parts (version 2, a large guide: see src/search/output.rs) that are added
  // with `add` as they load. With parts, `search` and `docParts` say in `need`
  // which parts they miss; the page loads them and asks again, until nothing is
  // missing: the answer is then exactly the one the whole index would give.
  function Engine(index) {
    this.index = index;
    this.parts = index.parts || null;
    this.n = this.parts ? index.n : index.docs.length;
    this.docs = this.parts ? [] : index.docs;
    this.terms = Object.create(null); // stem → flat postings, as stored
    this.vocab = Object.create(null); // stem or word → its stem
    this.postings = Object.create(null); // stem → [[doc, weight], ...], decoded
    this.missed = 0; // parts found missing so far
    if (this.parts) {
      this.firstKeys = this.parts.terms.map(function (p) { return p[0]; });
      this.docHashes = this.parts.docs.hashes.split(" ");
      this.ranges = []; // sorted stems and words of each vocabulary part loaded
      this.docsLoaded = [];
      this.facetBits = null; // each document's stages and publics, once loaded
      this.all = null; // every stem and word, once the vocabulary part is loaded
    } else {
      this.addTerms(index.terms, index.words);
      this.all = Object.keys(this.vocab).sort();
    }
  }

  // Stems with their postings, and words (their stem differs): a word stands
  // for its stem even when it is a stem itself.
  Engine.prototype.addTerms = function (terms, words) {
    var own = this.terms, vocab = this.vocab, isWord = Object.create(null);
    var list = words ? words.split(" ") : [];
    list.forEach(function (w) { if (w) { isWord[w] = true; vocab[w] = stem(w); } });
    Object.keys(terms).forEach(function (s) {
      own[s] = terms[s];
      if (!isWord[s]) vocab[s] = s;
    });
  };

  // A part of a split index, as its script registered it.
  Engine.prototype.add = function (part) {
    var self = this;
    if (part.t !== undefined && !this.ranges[part.t]) {
      this.addTerms(part.terms, part.words);
      var keys = Object.create(null);
      Object.keys(part.terms).forEach(function (s) { keys[s] = true; });
      (part.words ? part.words.split(" ") : []).forEach(function (w) { if (w) keys[w] = true; });
      this.ranges[part.t] = Object.keys(keys).sort();
    } else if (part.d !== undefined && !this.docsLoaded[part.d]) {
      var first = part.d * this.parts.docs.per;
      part.docs.forEach(function (d, i) { self.docs[first + i] = d; });
      this.docsLoaded[part.d] = true;
    } else if (part.f !== undefined) {
      this.facetBits = part.facets;
    } else if (part.v !== undefined && !this.all) {
      var vocab = this.vocab, stems = part.stems ? part.stems.split(" ") : [];
      var words = part.words ? part.words.split(" ") : [];
      var isWord = Object.create(null);
      words.forEach(function (w) { if (w) { isWord[w] = true; vocab[w] = stem(w); } });
      stems.forEach(function (s) { if (s && !isWord[s]) vocab[s] = s; });
      this.all = Object.keys(isWord).concat(stems.filter(function (s) { return s && !isWord[s]; })).sort();
    }
  };

  function want(need, name) {
    if (need.indexOf(name) < 0) need.push(name);
  }

  // Notes that a part is missing for the question being answered.
  Engine.prototype.miss = function (need, name) {
    this.missed++;
    want(need, name);
  };

  // The vocabulary part whose range holds `key`.
  Engine.prototype.rangeOf = function (key) {
    return Math.max(0, lowerBound(this.firstKeys, key + "\u0000") - 1);
  };

  // Whether the part holding `key` is there (always, for a whole index); if
  // not, asks for it in `need`.
  Engine.prototype.ready = function (key, need) {
    if (!this.parts || this.parts.terms.length === 0) return true;
    var r = this.rangeOf(key);
    if (this.ranges[r]) return true;
    this.miss(need, this.parts.terms[r][2]);
    return false;
  };

  // Whether the index has a stem; a missing part is asked for, and the stem is
  // taken to exist meanwhile (the next round, with the part, decides).
  Engine.prototype.has = function (s, need) {
    return !this.ready(s, need) || s in this.terms;
  };

  // [[doc, weight], ...] of a stem, decoded once (doc ids are stored as deltas).
  Engine.prototype.list = function (s, need) {
    var got = this.postings[s];
    if (got) return got;
    if (!this.ready(s, need)) return [];
    var flat = this.terms[s] || [];
    var out = [], doc = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) {
      doc += flat[i];
      out.push([doc, flat[i + 1]]);
    }
    this.postings[s] = out;
    return out;
  };

  Engine.prototype.idf = function (s, need) {
    var n = this.list(s, need).length, N = this.n;
    return Math.log(1 + (N - n + 0.5) / (n + 0.5));
  };

  // Calls visit(entry) for the stems and words that start with `word`, in
  // order, while it returns true. Without their parts, asks for them, as many
  // as should hold MAX_VARIANTS stems, and stops.
  Engine.prototype.walk = function (word, need, visit) {
    var list, k;
    var starts = function (key) { return key.slice(0, word.length) === word; };
    if (!this.parts) {
      list = this.all;
      for (k = lowerBound(list, word); k < list.length && starts(list[k]); k++) {
        if (!visit(list[k])) return;
      }
      return;
    }
    var terms = this.parts.terms, first = this.rangeOf(word), asked = -1;
    for (var r = first; r < terms.length; r++) {
      if (r > first && !starts(terms[r][0])) return;
      if (asked >= 0 || !this.ranges[r]) {
        if (!this.ranges[r]) this.miss(need, terms[r][2]);
        asked += (asked < 0 ? 1 : 0) + terms[r][1];
        if (asked >= MAX_VARIANTS) return;
        continue;
      }
      list = this.ranges[r];
      for (k = r === first ? lowerBound(list, word) : 0; k < list.length; k++) {
        if (!starts(list[k])) return;
        if (!visit(list[k])) return;
      }
    }
  };

  // A document's stages, publics and kind: from the document, or with parts
  // from the bits of the facets part (bit i: stage i, then one bit per public,
  // then the kind's number), loaded only when a filter or a need asks.
  Engine.prototype.facets = function (d, need) {
    if (!this.parts) return [this.docs[d].e, this.docs[d].p, this.docs[d].k];
    if (!this.facetBits) {
      this.miss(need, this.parts.facets);
      return [[], [], -1];
    }
    var bits = this.facetBits[d], S = this.index.stages.length, P = this.index.publics.length;
    var stages = [], publics = [], i;
    for (i = 0; i < S; i++) if (bits & (1 << i)) stages.push(i);
    for (i = 0; i < P; i++) if (bits & (1 << (S + i))) publics.push(i);
    return [stages, publics, bits >>> (S + P)];
  };

  // The parts that hold the documents of these results, when not loaded yet
  // (added to `need`); once loaded, each result's `doc` is filled in.
  Engine.prototype.docParts = function (results, need) {
    var self = this;
    results.forEach(function (r) {
      if (self.docs[r.id]) { r.doc = self.docs[r.id]; return; }
      var p = Math.floor(r.id / self.parts.docs.per);
      self.miss(need, "d" + p + "-" + self.docHashes[p]);
    });
    return need;
  };

  R.MAX_VARIANTS = MAX_VARIANTS;
  R.lowerBound = lowerBound;
  R.Engine = Engine;
})(this);
