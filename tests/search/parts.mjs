#!/usr/bin/env node
// A search index split into parts (issue #8) finds exactly what the one-file index
// finds. Runs the real search core (js/recherche-*.js) on SPLIT_DIR/search-index.js
// (version 2), loading the parts each query asks for as the page does (each part is
// a script that registers itself), and on ONE_DIR/search-index.js (version 1): every
// query must give the same results, in the same order, with the same scores and the
// same documents shown. Also prints how many bytes a query loads.
//
//   node tests/search/parts.mjs SPLIT_DIR ONE_DIR
//
// Queries: tests/data/search_queries.tsv, words of the index, their first letters
// (being typed), one-typo versions of them, pairs of words, some with filters.
// Exits 1 on any difference.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { SHOWN, openIndex, searchCore } from './load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [splitDir, oneDir] = process.argv.slice(2).map((d) => path.resolve(d));
if (!splitDir || !oneDir) {
  console.error('usage: node tests/search/parts.mjs SPLIT_DIR ONE_DIR');
  process.exit(2);
}
const SAMPLE = 160; // words of the index to build queries from

const core = searchCore(splitDir);
const one = openIndex(oneDir, core).engine;
if (one.parts) {
  console.error(`${oneDir}/search-index.js is split: give a one-file index`);
  process.exit(2);
}

const sizes = new Map(); // file → [bytes, gzipped bytes]
function size(file) {
  if (!sizes.has(file)) {
    const raw = fs.readFileSync(file);
    sizes.set(file, [raw.length, zlib.gzipSync(raw, { level: 9 }).length]);
  }
  return sizes.get(file);
}

// What a fresh page loads for a query, and what it finds.
function searchSplit(query, filters) {
  const split = openIndex(splitDir, core);
  if (!split.index.parts) {
    console.error(`${splitDir}/search-index.js is not split into parts (version 2)`);
    process.exit(1);
  }
  const { hits, rounds } = split.search(query, filters);
  return { hits, rounds, loaded: split.loaded };
}

function queries() {
  const list = [];
  for (const line of fs.readFileSync(path.join(here, '../data/search_queries.tsv'), 'utf8').split('\n')) {
    if (line.trim() && !line.startsWith('#')) list.push(line.split('\t')[0]);
  }
  list.push('zzyzx', 'fo', 'co', 'pe', 'formatoin', 'handicpa', 'rqth', "l'emploi des", 'emploi ', '2024');
  const vocab = one.all;
  const step = Math.max(1, Math.floor(vocab.length / SAMPLE));
  const typo = (w) => (w.length >= 5 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w);
  for (let i = 0; i < vocab.length; i += step) {
    const w = vocab[i];
    const next = vocab[(i + step * 7) % vocab.length];
    list.push(w, `${w} `, w.slice(0, 2), w.slice(0, 3), `${typo(w)} `, typo(w), `${w} ${next}`, `${w.slice(0, 4)} ${next.slice(0, 3)}`);
  }
  return [...new Set(list)];
}

const FILTERS = [{}, { stages: [2] }, { publics: [0, 3] }];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const summary = (h) => ({ id: h.id, score: h.score, matched: h.matched, stems: [...h.stems].sort() });

let differences = 0;
const perQuery = [];
const all = queries();
for (const [qi, query] of all.entries()) {
  FILTERS.forEach((filters, fi) => {
    if (fi > 0 && qi % 5 !== 0) return; // filters on a fifth of the queries
    const want = one.search(query, filters);
    const got = searchSplit(query, filters);
    const problems = [];
    if (!same(got.hits.map(summary), want.map(summary))) problems.push('results differ');
    got.hits.slice(0, SHOWN).forEach((h, i) => {
      if (!same(h.doc, want[i] && want[i].doc)) problems.push(`document ${h.id} differs`);
    });
    if (problems.length) {
      differences++;
      if (differences <= 10) {
        console.log(`DIFF "${query}" ${JSON.stringify(filters)}: ${problems.slice(0, 3).join('; ')}`);
        console.log(`  one file: ${JSON.stringify(want.slice(0, 5).map(summary))}`);
        console.log(`  parts:    ${JSON.stringify(got.hits.slice(0, 5).map(summary))}`);
      }
    }
    if (fi === 0) {
      const bytes = got.loaded.map(size).reduce((a, s) => [a[0] + s[0], a[1] + s[1]], [0, 0]);
      perQuery.push({ query, files: got.loaded.length, raw: bytes[0], gz: bytes[1], rounds: got.rounds });
    }
  });
}

const total = fs.readdirSync(path.join(splitDir, 'search'))
  .map((f) => size(path.join(splitDir, 'search', f)))
  .concat([size(path.join(splitDir, 'search-index.js'))])
  .reduce((a, s) => [a[0] + s[0], a[1] + s[1]], [0, 0]);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const pick = (key, q) => {
  const v = perQuery.map((p) => p[key]).sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(q * v.length))];
};
const worst = perQuery.reduce((a, p) => (p.gz > a.gz ? p : a), perQuery[0]);
console.log(`split index: ${sizes.size} files, ${kib(total[0])} (${kib(total[1])} gzipped); search-index.js ${kib(size(path.join(splitDir, 'search-index.js'))[0])}`);
console.log(`per query (${perQuery.length} queries, gzipped): median ${kib(pick('gz', 0.5))}, 90th percentile ${kib(pick('gz', 0.9))}, most ${kib(worst.gz)} ("${worst.query}"); raw median ${kib(pick('raw', 0.5))}, 90th percentile ${kib(pick('raw', 0.9))}; files median ${pick('files', 0.5)}, rounds at most ${pick('rounds', 1)}`);
console.log(`same results as the one-file index: ${differences === 0 ? 'yes' : `NO, ${differences} queries differ`}`);
process.exit(differences === 0 ? 0 : 1);
