// Relevance measures shared by relevance.mjs (our search) and compare.mjs (ours and its
// peers): the query sets of tests/data/ and, for one ranked list of addresses, success@3,
// recall@3, reciprocal rank and nDCG@5.
//
// Query sets (tab-separated, lines starting with # are comments):
//   search_relevance.tsv  query, kind, answers that answer fully (grade 2), answers that
//                         answer in part (grade 1); answers separated by "|";
//   search_queries.tsv    query, accepted answers (each grade 2).
// An answer is a page address without ".html" (fiches/pmsmp, glossaire#rqth, contacts#mdph).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DATA = path.join(here, '../data');

// The query sets that exist, each { name, queries: [{ query, kind, grades: Map }] }.
// With `dev`, also the tuner's own queries (tests/search/dev_queries.tsv).
export function querySets(dev = false) {
  const sets = [];
  if (dev) sets.push({ name: 'dev_queries.tsv', queries: read(path.join(here, 'dev_queries.tsv'), true) });
  const graded = path.join(DATA, 'search_relevance.tsv');
  if (fs.existsSync(graded)) sets.push({ name: 'search_relevance.tsv', queries: read(graded, true) });
  sets.push({ name: 'search_queries.tsv', queries: read(path.join(DATA, 'search_queries.tsv'), false) });
  return sets;
}

function split(field) {
  return (field || '').split('|').map((s) => s.trim()).filter((s) => s && s !== '-');
}

function read(file, graded) {
  const out = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const cols = line.split('\t');
    const grades = new Map();
    let kind = 'keyword';
    if (graded) {
      kind = (cols[1] || '').trim();
      for (const a of split(cols[3])) grades.set(a, 1);
      for (const a of split(cols[2])) grades.set(a, 2);
    } else {
      for (const a of split(cols[1])) grades.set(a, 2);
    }
    out.push({ query: cols[0], kind, grades });
  }
  return out;
}

// A link relative to the site's root as an answer address: "fiches/pmsmp.html" →
// "fiches/pmsmp", "/glossaire.html#rqth" → "glossaire#rqth".
export function address(href) {
  return String(href).replace(/^\.?\//, '').replace(/\.html(?=#|$)/, '');
}

// Measures of one ranked list (addresses, best first, duplicates ignored) against the
// grades of a query. "Relevant" is grade 2 when the query has one, else grade 1.
//   success@3: a relevant answer in the first 3;
//   recall@3:  relevant answers in the first 3 / min(3, relevant answers);
//   rr:        1 / rank of the first relevant answer (0 beyond 10);
//   ndcg@5:    gains 2^grade - 1, ideal order from the grades.
export function measure(ranked, grades) {
  const seen = new Set();
  const list = ranked.filter((a) => !seen.has(a) && seen.add(a));
  const top = Math.max(...grades.values(), 0);
  const relevant = [...grades].filter(([, g]) => g === top && g > 0).map(([a]) => a);
  const isRel = (a) => relevant.includes(a);
  const top3 = list.slice(0, 3);
  const found = top3.filter(isRel).length;
  const first = list.slice(0, 10).findIndex(isRel);
  const gain = (g) => 2 ** g - 1;
  const dcg = list.slice(0, 5).reduce((s, a, i) => s + gain(grades.get(a) || 0) / Math.log2(i + 2), 0);
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, 5)
    .reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);
  return {
    success: found > 0 ? 1 : 0,
    recall: relevant.length ? found / Math.min(3, relevant.length) : 0,
    rr: first >= 0 ? 1 / (first + 1) : 0,
    ndcg: ideal > 0 ? dcg / ideal : 0,
  };
}

// Means of a list of measures.
export function mean(list) {
  const out = { success: 0, recall: 0, rr: 0, ndcg: 0 };
  for (const m of list) for (const k of Object.keys(out)) out[k] += m[k];
  for (const k of Object.keys(out)) out[k] = list.length ? out[k] / list.length : 0;
  return out;
}

export function format(m) {
  return `success@3 ${m.success.toFixed(3)}  recall@3 ${m.recall.toFixed(3)}  MRR ${m.rr.toFixed(3)}  nDCG@5 ${m.ndcg.toFixed(3)}`;
}
