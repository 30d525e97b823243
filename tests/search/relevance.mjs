#!/usr/bin/env node
// Relevance of the search (issue #6): runs every query of tests/data/search_queries.tsv
// through the real search core (PUBLIC_DIR/js/recherche.js) on the real index
// (PUBLIC_DIR/search-index.js, and its parts when it is split: tests/search/load.mjs),
// and checks that one accepted answer is in the top 3.
//
//   node tests/search/relevance.mjs [PUBLIC_DIR]      (default: public)
//
// Prints one line per query, then the pass rate; exits 1 below 90 %.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { openIndex } from './load.mjs';

const MIN_RATE = 0.9;
const TOP = 3;
const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.resolve(process.argv[2] ?? 'public');
const queriesFile = path.join(here, '../data/search_queries.tsv');

let opened;
try {
  opened = openIndex(publicDir);
} catch (e) {
  console.error(String(e.message || e));
  process.exit(1);
}
const { index } = opened;

const address = (url) => url.replace(/\.html/, '');
const lines = fs.readFileSync(queriesFile, 'utf8').split('\n');
let passed = 0;
let total = 0;
const started = process.hrtime.bigint();
for (const line of lines) {
  if (!line.trim() || line.startsWith('#')) continue;
  const [query, expected] = line.split('\t');
  const accepted = expected.split('|').map((s) => s.trim());
  const top = opened.search(query).hits.slice(0, TOP).map((r) => address(r.doc.u));
  const ok = top.some((a) => accepted.includes(a));
  total++;
  if (ok) passed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${query} → ${top.join(', ') || '(nothing)'}${ok ? '' : `   (expected ${accepted.join(' or ')})`}`);
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const raw = fs.readFileSync(path.join(publicDir, 'search-index.js'));
const gzipped = zlib.gzipSync(raw, { level: 9 }).length;
if (index.parts) {
  console.log(`search index: ${index.n} documents, split into parts; search-index.js ${raw.length} bytes, ${gzipped} bytes gzipped`);
} else {
  console.log(`search index: ${index.docs.length} documents, ${Object.keys(index.terms).length} stems, ${raw.length} bytes, ${gzipped} bytes gzipped`);
}
const rate = total ? passed / total : 0;
console.log(`search relevance: ${passed}/${total} queries have an expected answer in the top ${TOP} (${(rate * 100).toFixed(1)} %), ${(ms / Math.max(total, 1)).toFixed(2)} ms per query`);
process.exit(rate >= MIN_RATE ? 0 : 1);
