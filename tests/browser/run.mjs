#!/usr/bin/env node
// Browser test suite for the site that `fiches build` writes into public/.
//
//   node tests/browser/run.mjs [PUBLIC_DIR] [--jobs N] [--only a,b] [--skip a,b] [--pages REGEX]
//
// Every module in checks/*.mjs is one check (see README.md in this folder for the module API).
// Prints one `FAIL [check] page: reason` line per failing check (extra reasons indented below it)
// and ends with the line `N passed, M failed`; exits 1 when M > 0.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './lib/server.mjs';
import { findPages, httpUrl, fileUrl } from './lib/pages.mjs';
import { launchBrowser } from './lib/browser.mjs';

const SUITE_DIR = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_VIEWPORT = { width: 1280, height: 800 };
const NAV_TIMEOUT = 60_000;
const CHECK_TIMEOUT = Number(process.env.BROWSER_TEST_CHECK_TIMEOUT_MS || 180_000);
const MAX_REASONS_PRINTED = 25;

function usage(msg) {
  if (msg) console.error(msg);
  console.error('usage: node tests/browser/run.mjs [PUBLIC_DIR] [--jobs N] [--only a,b] [--skip a,b] [--pages REGEX]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    publicDir: null,
    jobs: Number(process.env.BROWSER_TEST_JOBS || 4),
    only: null,
    skip: [],
    pages: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) usage(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('--jobs')) opts.jobs = Number(value());
    else if (a.startsWith('--only')) opts.only = value().split(',').filter(Boolean);
    else if (a.startsWith('--skip')) opts.skip = value().split(',').filter(Boolean);
    else if (a.startsWith('--pages')) opts.pages = new RegExp(value());
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (opts.publicDir === null) opts.publicDir = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!Number.isInteger(opts.jobs) || opts.jobs < 1) usage('--jobs must be a positive integer');
  opts.publicDir = path.resolve(opts.publicDir ?? 'public');
  return opts;
}

async function loadChecks(opts) {
  const dir = path.join(SUITE_DIR, 'checks');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();
  const checks = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    const name = mod.name ?? path.basename(f, '.mjs');
    if (typeof mod.run !== 'function') throw new Error(`checks/${f} does not export run()`);
    const scope = mod.scope ?? 'page';
    if (scope !== 'page' && scope !== 'site') throw new Error(`checks/${f}: scope must be 'page' or 'site'`);
    if (opts.only && !opts.only.includes(name)) continue;
    if (opts.skip.includes(name)) continue;
    checks.push({ name, scope, run: mod.run, file: f });
  }
  return checks;
}

/**
 * Normalise what a check returned into [{ name, page?, failures[] }]. A check may return:
 *   - an array of failure strings (empty = passed): one result named after the check;
 *   - an object { sub: [failures] }: one result per key, named "check:sub";
 *   - an array of { sub?, page?, failures } objects: explicit results (site checks use this
 *     to report per page).
 */
function normalise(checkName, ret) {
  const strs = (f) => (Array.isArray(f) ? f : f ? [f] : []).map(String);
  if (ret === undefined || ret === null) return [{ name: checkName, failures: [] }];
  if (Array.isArray(ret) && ret.some((x) => x && typeof x === 'object')) {
    return ret.map((x) => ({
      name: x.sub ? `${checkName}:${x.sub}` : checkName,
      page: x.page,
      failures: strs(x.failures),
    }));
  }
  if (Array.isArray(ret)) return [{ name: checkName, failures: strs(ret) }];
  if (typeof ret === 'object') {
    return Object.entries(ret).map(([sub, f]) => ({ name: `${checkName}:${sub}`, failures: strs(f) }));
  }
  throw new Error(`check ${checkName} returned ${typeof ret}; expected failure strings (see README.md)`);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function main() {
  const t0 = Date.now();
  const opts = parseArgs(process.argv.slice(2));
  const results = []; // { check, page, failures[] }

  const finish = (code) => {
    const failed = results.filter((r) => r.failures.length > 0);
    const byCheck = [...failed].sort((a, b) => a.check.localeCompare(b.check) || a.page.localeCompare(b.page));
    for (const r of byCheck) {
      console.log(`FAIL [${r.check}] ${r.page}: ${r.failures[0]}`);
      for (const extra of r.failures.slice(1, MAX_REASONS_PRINTED)) console.log(`    also: ${extra}`);
      if (r.failures.length > MAX_REASONS_PRINTED) console.log(`    … and ${r.failures.length - MAX_REASONS_PRINTED} more`);
    }
    if (failed.length) {
      const counts = new Map();
      for (const r of failed) counts.set(r.check, (counts.get(r.check) || 0) + 1);
      console.log(`failing checks by kind: ${[...counts].sort((a, b) => a[0].localeCompare(b[0])).map(([c, n]) => `${c} ×${n}`).join(', ')}`);
    }
    console.log(`browser suite: ${results.length} checks in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
    process.exit(code ?? (failed.length ? 1 : 0));
  };

  if (!fs.existsSync(opts.publicDir) || !fs.statSync(opts.publicDir).isDirectory()) {
    results.push({ check: 'setup', page: opts.publicDir, failures: ['directory not found: build the site first (cargo run --release -- build)'] });
    finish(1);
  }
  let pages = findPages(opts.publicDir);
  if (pages.length === 0) {
    results.push({ check: 'setup', page: opts.publicDir, failures: ['no *.html page found'] });
    finish(1);
  }
  const allPages = pages;
  if (opts.pages) pages = pages.filter((p) => opts.pages.test(p));

  const checks = await loadChecks(opts);
  const pageChecks = checks.filter((c) => c.scope === 'page');
  const siteChecks = checks.filter((c) => c.scope === 'site');

  const server = await startServer(opts.publicDir);
  const browser = await launchBrowser();
  const contextOptions = { viewport: DEFAULT_VIEWPORT, deviceScaleFactor: 1, locale: 'fr-FR', bypassCSP: true };
  const ctxJs = await browser.newContext({ ...contextOptions, javaScriptEnabled: true });
  const ctxNoJs = await browser.newContext({ ...contextOptions, javaScriptEnabled: false });
  for (const c of [ctxJs, ctxNoJs]) {
    c.setDefaultNavigationTimeout(NAV_TIMEOUT);
    c.setDefaultTimeout(NAV_TIMEOUT);
  }

  // id sets of target pages, for #fragment checks (parsed once per file, in the browser).
  const idCache = new Map();
  let parserPage = null;
  const idsOf = (absFile) => {
    if (!idCache.has(absFile)) {
      idCache.set(absFile, (async () => {
        parserPage ??= await ctxJs.newPage();
        const html = fs.readFileSync(absFile, 'utf8');
        const ids = await parserPage.evaluate((src) => {
          const doc = new DOMParser().parseFromString(src, 'text/html');
          return [
            ...[...doc.querySelectorAll('[id]')].map((e) => e.id),
            ...[...doc.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')),
          ];
        }, html);
        return new Set(ids);
      })());
    }
    return idCache.get(absFile);
  };

  const env = {
    suiteDir: SUITE_DIR,
    publicDir: opts.publicDir,
    serverUrl: server.url,
    pages: allPages,
    browser,
    contexts: { js: ctxJs, nojs: ctxNoJs },
    defaultViewport: DEFAULT_VIEWPORT,
    httpUrl: (rel) => httpUrl(server.url, rel),
    fileUrl: (rel) => fileUrl(opts.publicDir, rel),
    filePath: (rel) => path.join(opts.publicDir, ...rel.split('/')),
    idsOf,
    axeScriptPath: path.join(SUITE_DIR, 'node_modules', 'axe-core', 'axe.min.js'),
  };

  // Pages are reused between checks (a new tab costs ~200 ms, a navigation ~40 ms): a check's
  // pages go back to these free lists when it ends, with their event listeners removed.
  const freePages = { js: [], nojs: [] };
  async function acquire(kind) {
    while (freePages[kind].length) {
      const p = freePages[kind].pop();
      if (!p.isClosed()) return p;
    }
    const page = await (kind === 'js' ? ctxJs : ctxNoJs).newPage();
    page.__kind = kind;
    return page;
  }
  async function release(page, reusable) {
    if (page.isClosed()) return;
    if (!reusable) { await page.close().catch(() => {}); return; }
    page.removeAllListeners();
    freePages[page.__kind].push(page); // the next open() navigates it away
  }

  /** The object handed to a check's run(). */
  function makeT(rel) {
    const opened = [];
    const t = {
      ...env,
      opened,
      /**
       * Open a page and navigate it. Options: js (default true), url (default: this page over
       * http), viewport {width,height} (default 1280×800), colorScheme 'light' (default) | 'dark',
       * media 'screen' (default) | 'print', reducedMotion (default 'reduce'), beforeGoto(page)
       * hook to attach listeners. The page belongs to the check until it ends; do not keep it.
       */
      async open({ js = true, url, viewport, colorScheme, media, reducedMotion = 'reduce', beforeGoto } = {}) {
        const page = await acquire(js ? 'js' : 'nojs');
        opened.push(page);
        await page.setViewportSize(viewport ?? DEFAULT_VIEWPORT);
        await page.emulateMedia({ colorScheme: colorScheme ?? 'light', media: media ?? 'screen', reducedMotion });
        if (beforeGoto) await beforeGoto(page);
        const target = url ?? (rel ? env.httpUrl(rel) : env.httpUrl('index.html'));
        const resp = await page.goto(target, { waitUntil: 'load' });
        if (resp && resp.status() >= 400) throw new Error(`GET ${target} answered ${resp.status()}`);
        if (js) await page.evaluate(() => document.fonts && document.fonts.ready.then(() => true)).catch(() => {});
        return page;
      },
    };
    if (rel) {
      t.rel = rel;
      t.file = env.filePath(rel);
      t.url = env.httpUrl(rel);
      t.fileUrl = env.fileUrl(rel);
    }
    return t;
  }

  const timing = new Map(); // check name -> [total ms, runs, slowest ms, slowest page]
  async function runCheck(check, rel) {
    const started = Date.now();
    const t = makeT(rel);
    const label = rel ?? '(site)';
    let entries;
    let clean = true;
    try {
      const ret = await withTimeout(Promise.resolve().then(() => check.run(t)), CHECK_TIMEOUT, `check ${check.name}`);
      entries = normalise(check.name, ret);
    } catch (err) {
      clean = false; // a timed-out check may still be using its pages: close them
      entries = [{ name: check.name, failures: [`error: ${String(err && err.message || err).split('\n')[0]}`] }];
    } finally {
      await Promise.all(t.opened.map((p) => release(p, clean)));
    }
    const ms = Date.now() - started;
    const tm = timing.get(check.name) || [0, 0, 0, ''];
    timing.set(check.name, [tm[0] + ms, tm[1] + 1, Math.max(tm[2], ms), ms > tm[2] ? label : tm[3]]);
    for (const e of entries) results.push({ check: e.name, page: e.page ?? label, failures: e.failures });
    return entries.some((e) => e.failures.length);
  }

  const tasks = [
    ...siteChecks.map((c) => ({ label: `${c.name} (site)`, fn: () => runCheck(c, null) })),
    ...(pageChecks.length ? pages : []).map((rel) => ({
      label: rel,
      fn: async () => {
        let bad = 0;
        for (const c of pageChecks) if (await runCheck(c, rel)) bad++;
        return bad;
      },
    })),
  ];
  let next = 0;
  let done = 0;
  const progress = process.env.BROWSER_TEST_QUIET ? () => {} : (msg) => process.stderr.write(msg + '\n');
  progress(`browser suite: ${pages.length} pages × ${pageChecks.length} page checks + ${siteChecks.length} site checks, ${opts.jobs} at a time, from ${opts.publicDir}`);
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      const bad = await task.fn();
      done++;
      progress(`[${done}/${tasks.length}] ${task.label}${bad ? ' — failing' : ''}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.jobs, tasks.length) }, worker));
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
  const secs = (ms) => (ms / 1000).toFixed(1);
  progress(`time per check (summed over pages): ${[...timing].map(([n, [tot, runs, max, where]]) => `${n} ${secs(tot)} s/${runs} (slowest ${secs(max)} s ${where})`).join('; ')}`);
  finish();
}

main().catch((err) => {
  console.error(err && err.stack || err);
  console.log('FAIL [suite] (runner): ' + String(err && err.message || err).split('\n')[0]);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
