// Search, 1/5: the text of a query, as the index has it (issue #6). Gives
// `FichesRecherche` fold, words, isStop, stem and terms, which must give the same
// terms as src/search/normalise.rs: fold (NFD, accents removed, lower case, œ →
// oe), words (anything but a letter or a digit separates words, so
// "l'apprentissage" → "l", "apprentissage"), French stop words, and the Snowball
// French stemmer, ported below from the rust-stemmers 1.2 version. Why a port
// rather than a word → stem table: readers type plurals and verb forms the guide
// never uses ("fauteuils", "reconverti"); the port stems them exactly like the
// index does, and tests/search_normalise.rs checks both sides on every word of
// the guide.
//
// The search is five classic scripts loaded in this order by recherche.html (no
// ES modules: they do not load from file://), each adding to one namespace,
// `FichesRecherche`: recherche-texte.js (this one), recherche-index.js (the
// index and its parts), recherche-classement.js (the ranking),
// recherche-reponses.js (definitions, suggestions, excerpts), and recherche.js
// (the page). The first four have no DOM and run in node too
// (tests/search/load.mjs reads the list of scripts from recherche.html).
(function (root) {
  "use strict";

  var R = root.FichesRecherche || (root.FichesRecherche = {});

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

  R.STOP_WORDS = STOP_WORDS;
  R.fold = fold;
  R.words = words;
  R.isStop = isStop;
  R.stem = stem;
  R.terms = terms;
})(this);
