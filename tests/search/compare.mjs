#!/usr/bin/env node
// Our search side by side with two peers (issue 20), on the same built guide, the same
// queries and the same browser (Chromium, through playwright-core):
//   - ours:     the real search page, recherche.html (definition box, then results);
//   - Pagefind: indexed with its Node API (npm `pagefind`) from the same pages, searched
//               with its own pagefind.js in the page;
//   - lunr:     lunr 2 with lunr-languages' French pipeline (stop words, stemmer), index
//               built and searched in the page.
// The pages given to the peers are those our index can answer with: every document of
// search-index.js and every glossary entry; an entry of glossaire.html or contacts.html
// (glossaire.html#rqth) is one record, as it is one answer for us. Peers see the text of
// <main> (not the menus), their titles from <h1> (or the entry's heading).
// Prints success@3, recall@3, MRR and nDCG@5 of each engine for each query set
// (metrics.mjs). Not a gate: exits 0 unless it cannot run.
//
//   npm ci --prefix tests/search     (once: lunr, lunr-languages, pagefind)
//   node tests/search/compare.mjs [PUBLIC_DIR] [--markdown]
//
// Builds nothing: PUBLIC_DIR (default public/) must hold a built guide. The peers' files
// are written to a temporary copy of it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../browser/lib/browser.mjs';
import { startServer } from '../browser/lib/server.mjs';
import { querySets, measure, mean, address } from './metrics.mjs';
import { askPage } from './page.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
const args = process.argv.slice(2);
const publicDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'public');
const TOP = 10;

let pagefind;
try {
  pagefind = await import('pagefind');
} catch {
  console.error('compare.mjs: run `npm ci --prefix tests/search` first (lunr, lunr-languages, pagefind)');
  process.exit(2);
}

// The answers our index can give: its documents and its glossary entries.
function answers() {
  const context = vm.createContext({ window: {} });
  vm.runInContext(fs.readFileSync(path.join(publicDir, 'search-index.js'), 'utf8'), context);
  const index = context.window.FICHES_INDEX;
  if (!index || !index.docs) throw new Error('compare.mjs needs a one-file index (version 1)');
  return [...index.docs.map((d) => d.u), ...(index.g || []).map((e) => e.u)];
}

// The records of the peers, read in the page: [{ url, title, text, html? }], `html` for
// whole pages (Pagefind reads them as HTML), none for entries of a page.
async function records(page, base, urls) {
  return page.evaluate(async ({ base, urls }) => {
    const out = [];
    const byPage = new Map();
    for (const u of urls) {
      const [file, id] = u.split('#');
      if (!byPage.has(file)) byPage.set(file, []);
      if (id) byPage.get(file).push(id);
    }
    for (const [file, ids] of byPage) {
      const html = await (await fetch(base + file)).text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const main = doc.querySelector('main') || doc.body;
      if (ids.length === 0) {
        const h1 = main.querySelector('h1');
        out.push({ url: file, title: h1 ? h1.textContent.trim() : file, text: main.textContent, html });
        continue;
      }
      for (const id of ids) {
        const el = doc.getElementById(id);
        if (!el) continue;
        const head = el.querySelector('h2, dt, h3');
        out.push({ url: `${file}#${id}`, title: head ? head.textContent.trim() : id, text: el.textContent });
      }
    }
    return out.map((r) => ({ ...r, text: r.text.replace(/\s+/g, ' ').trim() }));
  }, { base, urls });
}

async function buildPagefind(recs, site) {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'fr', rootSelector: 'main' });
  if (errors.length) throw new Error(`pagefind: ${errors.join('; ')}`);
  for (const r of recs) {
    if (r.html) await index.addHTMLFile({ url: `/${r.url}`, content: r.html });
    else await index.addCustomRecord({ url: `/${r.url}`, content: r.text, language: 'fr', meta: { title: r.title } });
  }
  const written = await index.writeFiles({ outputPath: path.join(site, 'pagefind') });
  if (written.errors.length) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
}

// A blank page of the copied site, with the peers' scripts loaded.
async function peersPage(browser, base, recs) {
  const page = await browser.newPage();
  await page.goto(`${base}compare-peers.html`);
  for (const f of ['lunr/lunr.js', 'lunr-languages/lunr.stemmer.support.js', 'lunr-languages/lunr.fr.js']) {
    await page.addScriptTag({ path: require.resolve(f) });
  }
  await page.evaluate(async (recs) => {
    /* global lunr */
    window.lunrIndex = lunr(function () {
      this.use(lunr.fr);
      this.ref('url');
      this.field('title', { boost: 10 });
      this.field('text');
      recs.forEach((r) => this.add({ url: r.url, title: r.title, text: r.text }));
    });
    window.pf = await import('/pagefind/pagefind.js');
    await window.pf.options({ baseUrl: '/' });
    await window.pf.init();
  }, recs.map(({ url, title, text }) => ({ url, title, text })));
  return page;
}

const engines = {
  ours: (page, base, q) => askPage(page, base, q),
  pagefind: (page, base, q) => page.evaluate(async ({ q, top }) => {
    const found = await window.pf.search(q);
    const data = await Promise.all(found.results.slice(0, top).map((r) => r.data()));
    return data.map((d) => d.url);
  }, { q, top: TOP }),
  lunr: (page, base, q) => page.evaluate(({ q, top }) => {
    // Plain words: lunr's query syntax (+ - : ~ ^ *) is not what readers type.
    const text = q.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return text ? window.lunrIndex.search(text).slice(0, top).map((r) => r.ref) : [];
  }, { q, top: TOP }),
};

const site = fs.mkdtempSync(path.join(os.tmpdir(), 'fiches-compare-'));
const browser = await launchBrowser();
let server;
try {
  fs.cpSync(publicDir, site, { recursive: true });
  fs.writeFileSync(path.join(site, 'compare-peers.html'), '<!doctype html><html lang="fr"><title>peers</title><body></body></html>');
  server = await startServer(site);
  const base = server.url;
  const reader = await browser.newPage();
  await reader.goto(`${base}compare-peers.html`);
  const recs = await records(reader, base, answers());
  await buildPagefind(recs, site);
  const peers = await peersPage(browser, base, recs);
  const ours = await browser.newPage();
  const rows = [];
  for (const set of querySets()) {
    for (const [name, run] of Object.entries(engines)) {
      const page = name === 'ours' ? ours : peers;
      const started = Date.now();
      const measures = [];
      for (const q of set.queries) measures.push(measure((await run(page, base, q.query)).map(address), q.grades));
      rows.push({ set: set.name, engine: name, n: measures.length, ms: (Date.now() - started) / measures.length, ...mean(measures) });
    }
  }
  console.log(`search compared on ${recs.length} pages and entries of ${publicDir}`);
  const f = (x) => x.toFixed(3);
  if (args.includes('--markdown')) {
    console.log('| requêtes | moteur | success@3 | recall@3 | MRR | nDCG@5 |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.set} (${r.n}) | ${r.engine} | ${f(r.success)} | ${f(r.recall)} | ${f(r.rr)} | ${f(r.ndcg)} |`);
  } else {
    for (const r of rows) {
      console.log(`${r.set.padEnd(22)} ${r.engine.padEnd(9)} success@3 ${f(r.success)}  recall@3 ${f(r.recall)}  MRR ${f(r.rr)}  nDCG@5 ${f(r.ndcg)}  (${r.n} queries, ${r.ms.toFixed(0)} ms each in the page)`);
    }
  }
} finally {
  await browser.close();
  if (server) await server.close();
  fs.rmSync(site, { recursive: true, force: true });
}
