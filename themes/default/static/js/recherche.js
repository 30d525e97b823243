// Search page (issue #6). Reads the index that search-index.js defines
// (window.FICHES_INDEX, built by src/search.rs: a script, not a fetch, so it works
// from file://), searches as the reader types, and lists the best fiches first.
// The index of a large guide is split into parts under search/ (issue #8, see
// src/search/output.rs): the page loads those a query needs, each with a script
// element, and searches again once they are there.
//
// The first half is the search core, with no DOM: it also runs in node
// (tests/search/relevance.mjs, normalise.mjs, parts.mjs), where it is
// module.exports. Its normalisation must give the same terms as src/search.rs:
// fold (NFD, accents removed, lower case, œ → oe), words (anything but a letter or
// a digit separates words, so "l'apprentissage" → "l", "apprentissage"), French
// stop words, and the Snowball French stemmer, ported below from the rust-stemmers
// 1.2 version. Why a port rather than a word → stem table: readers type plurals
// and verb forms the guide never uses ("fauteuils", "reconverti"); the port stems
// them exactly like the index does, and tests/search_normalise.rs checks both
// sides on every word of the guide.
//
// The second half is the page: a debounced search on input, filters by stage and
// public kept in the URL, results as an <ol> with marked words, and the count in a
// polite live region.
(function () {
  "use strict";

  // ---------------------------------------------------------------- normalisation

  // Same list as STOP_WORDS in src/search.rs (folded).
  var STOP_WORDS = (
    "a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez " +
    "aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante " +
    "ayantes ayants ayez ayons c ce ces cet cette d dans de des du elle elles en es est et " +
    "etaient etais etait etant etante etantes etants ete etee etees etes etiez etions eu eue " +
    "eues eumes eurent eus eusse eussent eusses eussiez eussions eut eutes eux fumes furent " +
    "fus fusse fussent fusses fussiez fussions fut futes il ils j je jusqu l la le les leur " +
    "leurs lorsqu lui m ma mais me meme mes moi mon n ne nos notre nous on ont ou par pour " +
    "puisqu qu que qui s sa se sera serai seraient serais serait seras serez seriez serions " +
    "serons seront ses soient sois soit son sont soyez soyons suis sur t ta te tes toi ton " +
    "tu un une vos votre vous y"
  ).split(" ");
  var STOP = Object.create(null);
  STOP_WORDS.forEach(function (w) { STOP[w] = true; });

  function fold(s) {
    var out = "";
    var nfd = String(s).normalize("NFD");
    for (var i = 0; i < nfd.length; i++) {
      var c = nfd.charCodeAt(i);
      var ch = nfd[i];
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < nfd.length) {
        ch = nfd.slice(i, i + 2);
        i++;
      }
      if (c >= 0x300 && c <= 0x36f) continue;
      if (ch === "œ" || ch === "Œ") out += "oe";
      else if (ch === "æ" || ch === "Æ") out += "ae";
      else if (ch === "\u2019" || ch === "\u02bc") out += "'";
      else out += ch.toLowerCase();
    }
    return out;
  }

  var SEPARATOR = /[^\p{Alphabetic}\p{N}]+/u;

  function words(s) {
    return fold(s).split(SEPARATOR).filter(function (w) { return w !== ""; });
  }

  function isStop(w) {
    return STOP[w] === true;
  }

  // Snowball French, for folded words (no accents, no ç): the rules that need an
  // accented letter (-ité, -ière, ë, é/è, ç) can never apply and are left out.
  // Region and suffix logic follow rust-stemmers' generated french.rs.
  function isV(c) {
    return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
  }

  function longest(s, table, limit) {
    var best = null;
    for (var suf in table) {
      if ((best === null || suf.length > best.length) && s.length - suf.length >= limit &&
          s.slice(s.length - suf.length) === suf) best = suf;
    }
    return best;
  }

  function prelude(s) {
    var i = 0;
    while (i < s.length) {
      var c = s[i], n = s[i + 1], n2 = s[i + 2], at = -1, by = "";
      if (isV(c)) {
        if (n === "u" && isV(n2)) { at = i + 1; by = "U"; }
        else if (n === "i" && isV(n2)) { at = i + 1; by = "I"; }
        else if (n === "y") { at = i + 1; by = "Y"; }
      }
      if (at < 0 && c === "y" && isV(n)) { at = i; by = "Y"; }
      if (at < 0 && c === "q" && n === "u") { at = i + 1; by = "U"; }
      if (at < 0) { i++; continue; }
      // Like Snowball's `repeat goto`: look again from the same place.
      s = s.slice(0, at) + by + s.slice(at + 1);
    }
    return s;
  }

  function regions(s) {
    var n = s.length, pV = n, p1 = n, p2 = n, j;
    if (n >= 3 && isV(s[0]) && isV(s[1])) pV = 3;
    else if (/^(col|par|tap)/.test(s)) pV = 3;
    else {
      for (j = 1; j < n && !isV(s[j]); j++);
      if (j < n) pV = j + 1;
    }
    var after = function (from) {
      for (j = from; j < n && !isV(s[j]); j++);
      for (j++; j < n && isV(s[j]); j++);
      return j < n ? j + 1 : -1;
    };
    var a = after(0);
    if (a >= 0) {
      p1 = a;
      var b = after(a);
      if (b >= 0) p2 = b;
    }
    return { pV: pV, p1: p1, p2: p2 };
  }

  // "ique" is written "iqUe": the prelude has marked the u after q.
  var STANDARD = {
    iqUe: 1, atrice: 2, ance: 1, ence: 5, logie: 3, able: 1, isme: 1, euse: 11, iste: 1,
    ive: 8, "if": 8, usion: 4, ation: 2, ution: 4, ateur: 2, iqUes: 1, atrices: 2, ances: 1,
    ences: 5, logies: 3, ables: 1, ismes: 1, euses: 11, istes: 1, ives: 8, ifs: 8, usions: 4,
    ations: 2, utions: 4, ateurs: 2, ments: 15, ements: 6, issements: 12, ment: 15, ement: 6,
    issement: 12, amment: 13, emment: 14, aux: 10, eaux: 9, eux: 1
  };
  var AFTER_EMENT = { iqU: 3, abl: 3, eus: 2, iv: 1 };
  var I_VERB = {
    ira: 1, ie: 1, isse: 1, issante: 1, i: 1, irai: 1, ir: 1, iras: 1, ies: 1, isses: 1,
    issantes: 1, is: 1, irais: 1, issais: 1, irions: 1, issions: 1, irons: 1, issons: 1,
    issants: 1, it: 1, irait: 1, issait: 1, issant: 1, iraIent: 1, issaIent: 1, irent: 1,
    issent: 1, iront: 1, iriez: 1, issiez: 1, irez: 1, issez: 1
  };
  var VERB = {
    a: 3, era: 2, asse: 3, ante: 3, ai: 3, erai: 2, er: 2, as: 3, eras: 2, asses: 3, antes: 3,
    ais: 3, erais: 2, ions: 1, erions: 2, assions: 3, erons: 2, ants: 3, ait: 3, erait: 2,
    ant: 3, aIent: 3, eraIent: 2, assent: 3, eront: 2, ez: 2, iez: 2, eriez: 2, assiez: 3,
    erez: 2
  };
  var RESIDUAL = { e: 3, ion: 1, Ier: 2, ier: 2 };

  // Step 1. Returns [word, done]; some rules change the word and still fail.
  function standardSuffix(s, r) {
    var suf = longest(s, STANDARD, 0);
    if (suf === null) return [s, false];
    var b = s.length - suf.length, head = s.slice(0, b), t;
    switch (STANDARD[suf]) {
      case 1: return b >= r.p2 ? [head, true] : [s, false];
      case 2:
        if (b < r.p2) return [s, false];
        if (head.slice(-2) === "ic") {
          t = head.length - 2;
          head = t >= r.p2 ? head.slice(0, t) : head.slice(0, t) + "iqU";
        }
        return [head, true];
      case 3: return b >= r.p2 ? [head + "log", true] : [s, false];
      case 4: return b >= r.p2 ? [head + "u", true] : [s, false];
      case 5: return b >= r.p2 ? [head + "ent", true] : [s, false];
      case 6:
        if (b < r.pV) return [s, false];
        var sub = longest(head, AFTER_EMENT, 0);
        if (sub !== null) {
          t = head.length - sub.length;
          var code = AFTER_EMENT[sub];
          if (code === 1 && t >= r.p2) {
            head = head.slice(0, t);
            if (head.slice(-2) === "at" && head.length - 2 >= r.p2) head = head.slice(0, -2);
          } else if (code === 2) {
            if (t >= r.p2) head = head.slice(0, t);
            else if (t >= r.p1) head = head.slice(0, t) + "eux";
          } else if (code === 3 && t >= r.p2) {
            head = head.slice(0, t);
          }
        }
        return [head, true];
      case 8:
        if (b < r.p2) return [s, false];
        if (head.slice(-2) === "at" && head.length - 2 >= r.p2) {
          head = head.slice(0, -2);
          if (head.slice(-2) === "ic") {
            t = head.length - 2;
            head = t >= r.p2 ? head.slice(0, t) : head.slice(0, t) + "iqU";
          }
        }
        return [head, true];
      case 9: return [head + "eau", true];
      case 10: return b >= r.p1 ? [head + "al", true] : [s, false];
      case 11:
        if (b >= r.p2) return [head, true];
        return b >= r.p1 ? [head + "eux", true] : [s, false];
      case 12:
        return b >= r.p1 && b > 0 && !isV(s[b - 1]) ? [head, true] : [s, false];
      case 13: return [b >= r.pV ? head + "ant" : s, false];
      case 14: return [b >= r.pV ? head + "ent" : s, false];
      case 15: return [b - 1 >= r.pV && isV(s[b - 1]) ? head : s, false];
    }
    return [s, false];
  }

  // Step 2a: -ir verb endings after a consonant, inside RV.
  function iVerbSuffix(s, r) {
    if (s.length < r.pV) return [s, false];
    var suf = longest(s, I_VERB, r.pV);
    if (suf === null) return [s, false];
    var b = s.length - suf.length;
    if (b - 1 < r.pV || isV(s[b - 1])) return [s, false];
    return [s.slice(0, b), true];
  }

  // Step 2b: other verb endings, inside RV.
  function verbSuffix(s, r) {
    if (s.length < r.pV) return [s, false];
    var suf = longest(s, VERB, r.pV);
    if (suf === null) return [s, false];
    var b = s.length - suf.length, head = s.slice(0, b);
    switch (VERB[suf]) {
      case 1: return b >= r.p2 ? [head, true] : [s, false];
      case 2: return [head, true];
      default:
        if (head.slice(-1) === "e" && head.length - 1 >= r.pV) head = head.slice(0, -1);
        return [head, true];
    }
  }

  // Step 4: residual endings.
  function residualSuffix(s, r) {
    var n = s.length;
    if (n >= 2 && s[n - 1] === "s" && "aiosu".indexOf(s[n - 2]) < 0) s = s.slice(0, n - 1);
    if (s.length < r.pV) return s;
    var suf = longest(s, RESIDUAL, r.pV);
    if (suf === null) return s;
    var b = s.length - suf.length;
    switch (RESIDUAL[suf]) {
      case 1:
        return b >= r.p2 && b - 1 >= r.pV && (s[b - 1] === "s" || s[b - 1] === "t") ? s.slice(0, b) : s;
      case 2: return s.slice(0, b) + "i";
      default: return s.slice(0, b);
    }
  }

  // Like `search::stem`: folded feminine participles first lose their extra "e"
  // ("adaptees" → "adapte"), so that they meet the masculine form.
  function stem(word) {
    if (/ees?$/.test(word)) word = word.replace(/ees?$/, "e");
    var s = prelude(word);
    var r = regions(s);
    var res = standardSuffix(s, r);
    if (!res[1]) res = iVerbSuffix(res[0], r);
    if (!res[1]) res = verbSuffix(res[0], r);
    s = res[0];
    if (res[1]) {
      if (s.slice(-1) === "Y") s = s.slice(0, -1) + "i";
    } else {
      s = residualSuffix(s, r);
    }
    if (/(enn|onn|ett|ell|eill)$/.test(s)) s = s.slice(0, -1);
    return s.replace(/[IUY]/g, function (c) { return c.toLowerCase(); });
  }

  // Search terms of a text: the same list as `search::terms` in Rust.
  function terms(s) {
    return words(s).filter(function (w) { return !isStop(w); }).map(stem);
  }

  // ---------------------------------------------------------------- search

  var PREFIX_MIN = 2; // letters typed before the word being typed completes
  var TYPO_MIN = 5; // one typo is forgiven on words of 5 letters or more
  var MAX_VARIANTS = 60;
  var NEAR = 0.3; // a typo next to a word that exists
  var QUALITY = { exact: 1, prefix: 0.75, family: 0.7, typo: 0.6, near: NEAR };
  // Word families: a stem of the index also stands for the stems that share all
  // its letters but the last 2 (6 at least), what the stemmer leaves apart: a
  // verb and its noun ("reconvertir", "reconversion"; "reconnaitre",
  // "reconnaissance").
  var FAMILY_MIN = 6;
  var FAMILY_SLACK = 2;

  function sameFamily(a, b) {
    if (a !== b && (a + "ent" === b || b + "ent" === a)) return true;
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
    if (own.length >= 4 && count > 0) {
      this.walk(own.slice(0, Math.min(own.length, Math.max(FAMILY_MIN, own.length - FAMILY_SLACK))), need, function (w) {
        if (sameFamily(own, self.vocab[w])) add(self.vocab[w], QUALITY.family);
        return count < MAX_VARIANTS;
      });
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

  // ---------------------------------------------------------------- answers

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

  var api = {
    fold: fold, words: words, isStop: isStop, stem: stem, terms: terms, oneEdit: oneEdit,
    Engine: Engine, highlight: highlight, excerpt: excerpt, STOP_WORDS: STOP_WORDS,
    distance: distance
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  if (typeof document === "undefined") return;

  // ---------------------------------------------------------------- page

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
})();
