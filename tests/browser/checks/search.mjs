// Search (issue #6), with the keyboard only, over http and from file:// (results
// "search:<what>-http" and "search:<what>-file"):
//   search:type       Tab reaches the search box of recherche.html; typing "immersion" lists
//                     results in an <ol> inside #search-results, the PMSMP fiche first, with
//                     matched words in <mark>; the polite live region (role="status") says
//                     "N fiches trouvées" with N = the number of results; the URL keeps ?q=;
//                     Tab then Enter on the first result opens the fiche;
//   search:header     the search box in the header of index.html leads to recherche.html?q=…,
//                     which shows the results of that query;
//   search:filters    a stage checkbox (opened and checked with the keyboard) narrows the
//                     results to fiches of that stage and is kept in the URL;
//   search:none       a query with no answer says so in the live region and shows the links
//                     to the A-Z list, to "Trouver une solution" and to the stages; a misspelt
//                     one ("rqht") proposes "Vouliez-vous dire rqth ?", a link to its results;
//   search:define     (issue 20) the definition box opens the results for an acronym ("rqth"),
//                     an alias ("immersion facilitée") and a misspelt expansion ("reconaissance
//                     de la qualite de travailleur handicape"): its heading names the term, it
//                     shows the expansion and the definition, links to the glossary entry and
//                     (when there is one) to the term's fiche; glossary entries are never in
//                     the list of results; with the keyboard only, Tab from the search box
//                     reaches the entry link and Enter opens glossaire.html#rqth;
//   search:announce   typing "rqth" one key every 250 ms (slower than the debounce, so the
//                     results change at each key) changes the live region once, after the
//                     last key, to "N fiches trouvées. Définition : RQTH, Reconnaissance …";
//   search:axe        zero axe-core violations on recherche.html with results shown (light, dark);
//   search:nojs       without JavaScript the page says search needs it and links to a-z.html
//                     and the stage pages; the form is hidden.
//   search:parts      the index in one file (a guide of a few hundred cards) loads no part;
//                     an index split into parts (issue #8: a large guide, or the real guide
//                     split on purpose, see below) loads fewer than half of its parts for
//                     "immersion", every one it asks for exists, and the results show.
//
// To run these checks on the real guide with its index split into small parts:
//   cp -r public /tmp/parts && cargo run --release --example index_time -- . \
//     --out /tmp/parts --above 0 --term-bytes 2048 --doc-bytes 1024 --runs 0
//   node tests/browser/run.mjs /tmp/parts --only search
import fs from 'node:fs';
import { axeViolations, NO_TRANSITIONS_CSS } from './axe.mjs';

export const name = 'search';
export const scope = 'site';

const PAGE = 'recherche.html';
const MAX_TABS = 80;
const WAIT = { timeout: 20_000 };

async function tabTo(page, test) {
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(test)) return true;
  }
  return false;
}

// Waits for the results of `query` (when given): on a loaded machine typing is slower
// than the debounce, so results for the first letters may show up first.
async function waitResults(page, query) {
  await page.waitForFunction((q) => {
    const s = document.getElementById('search-status');
    const done = s && s.textContent.trim() !== '';
    return done && (!q || new URLSearchParams(location.search).get('q') === q);
  }, query, WAIT);
  return page.evaluate(() => {
    const links = [...document.querySelectorAll('#search-results ol > li a')];
    return {
      status: document.getElementById('search-status').textContent.trim(),
      statusRole: document.getElementById('search-status').getAttribute('role'),
      hrefs: links.map((a) => a.getAttribute('href')),
      marks: document.querySelectorAll('#search-results mark').length,
      items: document.querySelectorAll('#search-results ol > li').length,
      url: location.href,
    };
  });
}

function checkCount(r, failures) {
  const m = /^(\d+) fiches? trouvées?/.exec(r.status);
  if (r.statusRole !== 'status') failures.push(`#search-status has role="${r.statusRole}", not "status"`);
  if (!m) failures.push(`live region says "${r.status}", not "N fiches trouvées"`);
  else if (Number(m[1]) !== r.items && r.items < 50) failures.push(`live region says ${m[1]} but ${r.items} results are listed`);
}

async function typeQuery(t, url) {
  const failures = [];
  const page = await t.open({ url });
  const reached = await tabTo(page, () => document.activeElement && document.activeElement.id === 'q');
  if (!reached) return [`Tab never reaches the search box #q (${MAX_TABS} presses)`];
  await page.keyboard.type('immersion');
  const r = await waitResults(page, 'immersion');
  checkCount(r, failures);
  if (!r.hrefs.length) failures.push('no result link for "immersion"');
  else if (!/fiches\/pmsmp\.html$/.test(r.hrefs[0])) failures.push(`first result for "immersion" is ${r.hrefs[0]}, not fiches/pmsmp.html`);
  if (r.marks === 0) failures.push('no <mark> in the results');
  if (!/[?&]q=immersion/.test(r.url)) failures.push(`the URL does not keep the query: ${r.url}`);
  // Keyboard only: from the search box, Tab on to the first result, Enter opens it.
  const onFirst = await tabTo(page, () => document.activeElement === document.querySelector('#search-results ol > li a'));
  if (!onFirst) failures.push('Tab from the search box never reaches the first result');
  else {
    await Promise.all([page.waitForURL(/fiches\/pmsmp\.html/, WAIT).catch(() => {}), page.keyboard.press('Enter')]);
    if (!/fiches\/pmsmp\.html/.test(page.url())) failures.push(`Enter on the first result leads to ${page.url()}`);
  }
  return failures;
}

async function header(t, url) {
  const failures = [];
  const page = await t.open({ url });
  const reached = await tabTo(page, () => document.activeElement && document.activeElement.id === 'q-entete');
  if (!reached) return ['Tab never reaches the header search box #q-entete on index.html'];
  await page.keyboard.type('rqth');
  await Promise.all([page.waitForURL(/recherche\.html\?q=rqth/, WAIT).catch(() => {}), page.keyboard.press('Enter')]);
  if (!/recherche\.html\?q=rqth/.test(page.url())) return [`Enter in the header search box leads to ${page.url()}`];
  const r = await waitResults(page);
  checkCount(r, failures);
  const value = await page.evaluate(() => document.getElementById('q').value);
  if (value !== 'rqth') failures.push(`the search box shows "${value}", not the query of the URL`);
  const entry = await page.evaluate(() => [...document.querySelectorAll('#search-results .search-definition a')].map((a) => a.getAttribute('href')));
  if (!entry.includes('glossaire.html#rqth')) failures.push(`no definition box for RQTH: ${entry.join(', ')}`);
  return failures;
}

async function filters(t, url) {
  const failures = [];
  const page = await t.open({ url: `${url}?q=formation` });
  const before = await waitResults(page);
  const reached = await tabTo(page, () => document.activeElement && document.activeElement.matches('.search-filters summary'));
  if (!reached) return ['Tab never reaches the filters (summary)'];
  await page.keyboard.press('Enter');
  const onBox = await tabTo(page, () => document.activeElement && document.activeElement.matches('input[name="etape"][value="emploi"]'));
  if (!onBox) return ['Tab never reaches the stage checkbox "emploi"'];
  await page.keyboard.press('Space');
  await page.waitForFunction((n) => document.querySelectorAll('#search-results ol > li').length !== n, before.items, WAIT).catch(() => {});
  const r = await page.evaluate(() => ({
    url: location.href,
    items: document.querySelectorAll('#search-results ol > li').length,
    where: [...document.querySelectorAll('#search-results .search-result-where')].map((p) => p.textContent),
  }));
  if (!/[?&]etape=emploi/.test(r.url)) failures.push(`the URL does not keep the stage filter: ${r.url}`);
  if (r.items === 0 || r.items >= before.items) failures.push(`the stage filter does not narrow the results (${before.items} → ${r.items})`);
  const label = await page.evaluate(() => document.querySelector('input[name="etape"][value="emploi"]').parentElement.textContent.trim());
  const off = r.where.filter((w) => !w.includes(label));
  if (off.length) failures.push(`${off.length} results outside the stage "${label}", e.g. "${off[0]}"`);
  return failures;
}

async function none(t, url) {
  const failures = [];
  const page = await t.open({ url: `${url}?q=zzyzx` });
  const r = await waitResults(page);
  if (!/^Aucune fiche/.test(r.status)) failures.push(`live region says "${r.status}" for a query with no answer`);
  const box = await page.evaluate(() => {
    const n = document.getElementById('search-none');
    return n && !n.hidden && n.checkVisibility() ? [...n.querySelectorAll('a')].map((a) => a.getAttribute('href')) : null;
  });
  if (!box) failures.push('no visible message with suggestions when nothing matches');
  else {
    if (!box.some((h) => /a-z\.html$/.test(h))) failures.push('the no-result message has no link to a-z.html');
    if (!box.some((h) => /trouver\.html$/.test(h))) failures.push('the no-result message has no link to trouver.html');
    if (!box.some((h) => /etapes\//.test(h))) failures.push('the no-result message has no link to the stages');
  }
  // A misspelt acronym: "Vouliez-vous dire rqth ?", a link that shows its results.
  await page.goto(`${url}?q=rqht`);
  const typo = await waitResults(page);
  if (!/^Aucune fiche/.test(typo.status) || !/Vouliez-vous dire « rqth »/.test(typo.status)) failures.push(`live region says "${typo.status}" for "rqht", not "Aucune fiche trouvée… Vouliez-vous dire « rqth » ?"`);
  const suggest = await page.evaluate(() => {
    const p = document.querySelector('#search-none .search-suggest');
    return p && !p.hidden ? { text: p.textContent, hrefs: [...p.querySelectorAll('a')].map((a) => a.getAttribute('href')) } : null;
  });
  if (!suggest) failures.push('no visible "Vouliez-vous dire" for "rqht"');
  else if (!/^Vouliez-vous dire rqth \?$/.test(suggest.text.trim()) || suggest.hrefs[0] !== 'recherche.html?q=rqth') failures.push(`suggestion for "rqht": "${suggest.text}" → ${suggest.hrefs.join(', ')}`);
  else {
    const onLink = await tabTo(page, () => document.activeElement && document.activeElement.matches('#search-none .search-suggest a'));
    if (!onLink) failures.push('Tab never reaches the suggestion link');
    else {
      await Promise.all([page.waitForURL(/q=rqth/, WAIT).catch(() => {}), page.keyboard.press('Enter')]);
      const r = await waitResults(page);
      if (!/^\d+ fiches? trouvées?/.test(r.status)) failures.push(`the suggestion leads to "${r.status}"`);
    }
  }
  return failures;
}

// The definition boxes shown for `query`: [{ title, text, hrefs }], and the result links.
async function definitionsFor(page, url, query) {
  await page.goto(`${url}?q=${encodeURIComponent(query)}`);
  const r = await waitResults(page);
  const boxes = await page.evaluate(() => [...document.querySelectorAll('#search-results .search-definition')].map((s) => ({
    title: (s.querySelector('h2') || {}).textContent || '',
    labelled: s.getAttribute('aria-labelledby') === (s.querySelector('h2') || {}).id,
    text: s.textContent,
    hrefs: [...s.querySelectorAll('a')].map((a) => a.getAttribute('href')),
  })));
  return { ...r, boxes };
}

async function define(t, url) {
  const failures = [];
  const page = await t.open({ url });
  const cases = [
    ['rqth', 'RQTH', 'Reconnaissance de la qualité de travailleur handicapé', 'glossaire.html#rqth', null],
    ['immersion facilitée', 'PMSMP', 'Période de Mise en Situation', 'glossaire.html#pmsmp', 'fiches/pmsmp.html'],
    ['reconaissance de la qualite de travailleur handicape', 'RQTH', 'Reconnaissance de la qualité', 'glossaire.html#rqth', null],
  ];
  for (const [query, term, expansion, entry, fiche] of cases) {
    const r = await definitionsFor(page, url, query);
    const box = r.boxes[0];
    if (!box) { failures.push(`"${query}": no definition box`); continue; }
    if (box.title !== `Définition : ${term}`) failures.push(`"${query}": the box is titled "${box.title}", not "Définition : ${term}"`);
    if (!box.labelled) failures.push(`"${query}": the box is not labelled by its heading`);
    if (!box.text.includes(expansion)) failures.push(`"${query}": the box does not show "${expansion}"`);
    if (box.hrefs[0] !== entry) failures.push(`"${query}": the box's first link is ${box.hrefs[0]}, not ${entry}`);
    if (fiche && !box.hrefs.includes(fiche)) failures.push(`"${query}": the box has no link to ${fiche}`);
    if (r.hrefs.some((h) => /glossaire\.html/.test(h))) failures.push(`"${query}": a glossary entry is listed among the results`);
    if (!r.hrefs.length) failures.push(`"${query}": no fiche listed under the definition`);
  }
  // Keyboard only: from the search box, Tab reaches the entry link; Enter opens it.
  await page.goto(`${url}?q=rqth`);
  await waitResults(page);
  await page.focus('#q');
  const onEntry = await tabTo(page, () => document.activeElement && document.activeElement.matches('.search-definition a'));
  if (!onEntry) failures.push('Tab from the search box never reaches the link of the definition box');
  else {
    await Promise.all([page.waitForURL(/glossaire\.html#rqth/, WAIT).catch(() => {}), page.keyboard.press('Enter')]);
    if (!/glossaire\.html#rqth$/.test(page.url())) failures.push(`Enter on the definition link leads to ${page.url()}`);
  }
  return failures;
}

// The live region, while "rqth" is typed slowly: every text it takes.
async function announce(t, url) {
  const failures = [];
  const page = await t.open({ url });
  await page.evaluate(() => {
    window.spoken = [];
    const s = document.getElementById('search-status');
    new MutationObserver(() => window.spoken.push(s.textContent)).observe(s, { childList: true, characterData: true, subtree: true });
  });
  await page.focus('#q');
  await page.keyboard.type('rqth', { delay: 250 });
  await page.waitForFunction(() => window.spoken.length > 0, null, WAIT).catch(() => {});
  await page.waitForTimeout(1500);
  const spoken = await page.evaluate(() => window.spoken.filter((s) => s.trim() !== ''));
  if (spoken.length !== 1) failures.push(`the live region changed ${spoken.length} times while "rqth" was typed: ${JSON.stringify(spoken)}`);
  else if (!/^\d+ fiches? trouvées?\. Définition : RQTH, Reconnaissance de la qualité de travailleur handicapé\.$/.test(spoken[0])) failures.push(`the live region says "${spoken[0]}"`);
  const items = await page.evaluate(() => document.querySelectorAll('#search-results .search-definition').length);
  if (items !== 1) failures.push(`${items} definition boxes after typing "rqth"`);
  return failures;
}

async function axe(t) {
  const page = await t.open({ url: `${t.httpUrl(PAGE)}?q=formation+emploi`, colorScheme: 'light' });
  await waitResults(page);
  await page.evaluate(() => { document.querySelector('.search-filters').open = true; });
  const light = await axeViolations(page, t.axeScriptPath);
  await page.addStyleTag({ content: NO_TRANSITIONS_CSS });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  const dark = await axeViolations(page, t.axeScriptPath);
  return [...light.map((v) => `light: ${v}`), ...dark.map((v) => `dark: ${v}`)];
}

async function nojs(t) {
  const page = await t.open({ url: t.httpUrl(PAGE), js: false });
  const r = await page.evaluate(() => {
    const msg = document.querySelector('.no-js-message');
    const form = document.getElementById('search-form');
    return {
      shown: !!msg && msg.checkVisibility(),
      text: msg ? msg.textContent : '',
      links: msg ? [...msg.querySelectorAll('a')].map((a) => a.getAttribute('href')) : [],
      formShown: !!form && form.checkVisibility(),
    };
  });
  const failures = [];
  if (!r.shown) failures.push('no visible message without JavaScript');
  else if (!/JavaScript/.test(r.text)) failures.push('the message does not say that search needs JavaScript');
  if (!r.links.some((h) => /a-z\.html$/.test(h))) failures.push('no link to a-z.html without JavaScript');
  if (!r.links.some((h) => /etapes\//.test(h))) failures.push('no link to the stages without JavaScript');
  if (r.formShown) failures.push('the search form shows without JavaScript, where it cannot work');
  return failures;
}

// Part scripts the page asks for (over http), and whether the results show.
async function parts(t) {
  const failures = [];
  const index = fs.readFileSync(t.filePath('search-index.js'), 'utf8');
  const split = index.startsWith('window.FICHES_INDEX={"version":2');
  const dir = t.filePath('search');
  const total = split && fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
  const asked = [];
  const missing = [];
  const page = await t.open({
    url: `${t.httpUrl(PAGE)}?q=immersion`,
    beforeGoto: (p) => p.on('response', (r) => {
      if (!/\/search\/[^/]+\.js$/.test(r.url())) return;
      asked.push(r.url());
      if (r.status() >= 400) missing.push(r.url());
    }),
  });
  const r = await waitResults(page);
  checkCount(r, failures);
  if (!split && asked.length) failures.push(`the index is one file, yet the page asks for ${asked.length} parts, e.g. ${asked[0]}`);
  if (split && total === 0) failures.push('the index is split, but there is no search/ folder');
  if (split && asked.length === 0) failures.push('the index is split, but the page asks for no part');
  if (split && asked.length * 2 >= total) failures.push(`"immersion" loads ${asked.length} of the ${total} parts`);
  if (missing.length) failures.push(`parts asked for that do not exist: ${missing.slice(0, 3).join(', ')}`);
  return failures;
}

export async function run(t) {
  if (!t.pages.includes(PAGE)) return [{ sub: 'type', page: PAGE, failures: [`no ${PAGE} in the site`] }];
  const out = [];
  const guard = async (sub, fn) => {
    let failures;
    try {
      failures = await fn();
    } catch (err) {
      failures = [`error: ${String(err && err.message || err).split('\n')[0]}`];
    }
    out.push({ sub, page: PAGE, failures });
  };
  for (const [how, url] of [['http', t.httpUrl(PAGE)], ['file', t.fileUrl(PAGE)]]) {
    await guard(`type-${how}`, () => typeQuery(t, url));
    await guard(`filters-${how}`, () => filters(t, url));
    await guard(`none-${how}`, () => none(t, url));
    await guard(`define-${how}`, () => define(t, url));
    await guard(`announce-${how}`, () => announce(t, url));
  }
  await guard('header-http', () => header(t, t.httpUrl('index.html')));
  await guard('header-file', () => header(t, t.fileUrl('index.html')));
  await guard('axe', () => axe(t));
  await guard('nojs', () => nojs(t));
  await guard('parts', () => parts(t));
  return out;
}
