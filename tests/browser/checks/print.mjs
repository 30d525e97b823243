// Printing a fiche (issue 5; docs/accessibilite.md §2H): every page under fiches/ and parcours/ is
// printed to PDF by Chromium (A4, the page's own @page rules) and read back with pdftotext
// (Debian poppler-utils). Per page ("print:pdf"): at most MAX_PAGES pages; the text holds the
// full address of every external link of the fiche (http(s), and the address of mailto:/tel:),
// the spelled-out glossary terms (.term-print), "Page 1 sur N", the fiche title and its
// "Mis à jour le" line, and none of the screen-only texts (skip link, menu, search, display
// settings, print button, sommaire, footer). Site-wide ("print:median"): the median fiche takes
// at most MEDIAN_MAX pages (2; MAX_PAGES is 3); the distribution of page counts is printed. "print:theme": with the
// dark theme, large text and wide spacing chosen on screen, a fiche still prints black on white,
// 14 pt, on as many pages as with the defaults.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const name = 'print';
export const scope = 'site';

// Issue 5: the median fiche takes at most 2 A4 pages and none takes more than 3, at the
// FALC floor of 14 pt. Reached by the print layout (css/print.css: no navigation lists,
// a 10 pt letterhead and link list, no address for links between fiches) and by cards that
// say each thing once (the longest were split, see CLASSEMENT.md). Distribution on
// 2026-11-23: without base_url 2 x 1, 36 x 2, 26 x 3 pages (64 fiches); with base_url (address
// and QR code in the letterhead, as published) 2 x 1, 33 x 2, 29 x 3. scripts/test.sh checks
// both builds. The distribution is printed on every run.
const MAX_PAGES = Number(process.env.PRINT_MAX_PAGES || 3);
const MEDIAN_MAX = Number(process.env.PRINT_MEDIAN_MAX || 2);
const WORKERS = 2;
export const PDF_OPTIONS = { format: 'A4', preferCSSPageSize: true, printBackground: true };

/** Texts of the screen-only chrome that must never reach paper. */
export const SCREEN_ONLY = [
  'Aller au contenu',
  "Paramètres d'affichage",
  'Rechercher une fiche',
  'Imprimer cette fiche',
  'Fiches de A à Z',
  'Le guide complet, à imprimer',
  'Sommaire',
];

const count = (hay, needle) => hay.split(needle).length - 1;

/** The text of main as an author wrote it, without the screen-only parts (sommaire, buttons...). */
export async function contentText(page) {
  const t = await page.evaluate(() => {
    const main = document.querySelector('main');
    if (!main) return '';
    const copy = main.cloneNode(true);
    for (const e of copy.querySelectorAll('.sommaire, .fiche-actions, button, .breadcrumb, [role="tooltip"], nav:not(.guide-toc)')) e.remove();
    return copy.textContent;
  });
  return norm(t);
}

/** Screen-only texts found on paper more often than the content itself says them. */
export function screenOnlyPrinted(printed, content) {
  const out = [];
  for (const s of SCREEN_ONLY) {
    if (count(printed, s) > count(content, s)) out.push(`screen-only text printed: "${s}"`);
  }
  if (count(printed, 'Rechercher') > count(content, 'Rechercher')) out.push('screen-only text printed: "Rechercher" (search button)');
  return out;
}

/** Text as compared: NFKC (ligatures), soft hyphens out, whitespace collapsed. */
export const norm = (s) => s.normalize('NFKC').replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
/** Text with no whitespace and no hyphen: on paper long addresses and titles wrap, at a
 * hyphen too, and pdftotext then drops that hyphen or keeps it depending on its mode. */
export const squash = (s) => s.normalize('NFKC').replace(/[\s\u00ad\u2010-]+/g, '');

/** The text of a PDF, one string per page. `-layout` keeps a line broken at a hyphen as it is
 * (the default mode drops that hyphen) but puts side-by-side boxes on the same lines: the
 * checks look for a text in both. */
export function pdfText(file, layout = true) {
  const args = [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'];
  const text = execFileSync('pdftotext', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const pages = text.split('\f');
  if (pages.length && pages[pages.length - 1].trim() === '') pages.pop();
  return pages;
}

/** Prints the page open in `page` to `file` (A4) and returns its text, one string per page. */
export async function printPages(page, file) {
  await page.pdf({ ...PDF_OPTIONS, path: file });
  return pdfText(file);
}

/** What the HTML of a fiche says paper must show. */
async function expectations(page) {
  return page.evaluate(() => {
    const article = document.querySelector('main article') || document.querySelector('main');
    const external = [];
    for (const a of article.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href');
      if (/^https?:\/\//i.test(href)) external.push(href);
      else if (/^(mailto|tel):/i.test(href)) external.push(href.replace(/^(mailto|tel):/i, ''));
    }
    return {
      title: (document.querySelector('main h1') || {}).textContent || '',
      updated: (document.querySelector('main .updated') || {}).textContent || '',
      external: [...new Set(external)],
      termPrint: [...article.querySelectorAll('.term-print')].map((e) => e.textContent),
    };
  });
}

function pdfFailures(want, pages, rawPages) {
  const failures = [];
  const all = pages.join('\n');
  const text = norm(all);
  const flats = [squash(all), squash(rawPages.join('\n'))];
  const flat = { includes: (s) => flats.some((f) => f.includes(s)) };
  if (pages.length > MAX_PAGES) failures.push(`${pages.length} A4 pages (want at most ${MAX_PAGES})`);
  if (!text.includes(`Page 1 sur ${pages.length}`)) failures.push(`no "Page 1 sur ${pages.length}" footer`);
  if (want.title && !flat.includes(squash(want.title))) failures.push(`title "${norm(want.title)}" not printed`);
  if (want.updated && !flat.includes(squash(want.updated))) failures.push(`"${norm(want.updated)}" not printed`);
  for (const url of want.external) {
    let decoded = url;
    try { decoded = decodeURI(url); } catch { /* keep it as written */ }
    if (!flat.includes(squash(url)) && !flat.includes(squash(decoded))) failures.push(`link address not printed: ${url}`);
  }
  for (const t of want.termPrint) {
    if (!flat.includes(squash(t))) failures.push(`glossary expansion not printed: "${norm(t)}"`);
  }
  failures.push(...screenOnlyPrinted(text, want.content));
  return failures;
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return 0;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export async function run(t) {
  const targets = t.pages.filter((p) => /^(fiches|parcours)\/[^/]+\.html$/.test(p));
  if (!targets.length) return [{ sub: 'median', page: '(site)', failures: ['no page under fiches/ or parcours/'] }];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fiches-print-'));
  const results = [];
  const counts = new Map();
  try {
    let next = 0;
    const worker = async () => {
      let page = null;
      while (next < targets.length) {
        const rel = targets[next++];
        const failures = [];
        try {
          if (!page) page = await t.open({ url: t.httpUrl(rel), media: 'print' });
          else await page.goto(t.httpUrl(rel), { waitUntil: 'load' });
          const want = await expectations(page);
          want.content = await contentText(page);
          const file = path.join(tmp, rel.replace(/\W+/g, '-') + '.pdf');
          const pages = await printPages(page, file);
          counts.set(rel, pages.length);
          failures.push(...pdfFailures(want, pages, pdfText(file, false)));
        } catch (err) {
          failures.push(`error: ${String(err && err.message || err).split('\n')[0]}`);
        }
        results.push({ sub: 'pdf', page: rel, failures });
      }
    };
    await Promise.all(Array.from({ length: Math.min(WORKERS, targets.length) }, worker));

    // The same fiche with every display setting pushed to its screen extreme.
    const probe = targets.find((p) => p.startsWith('fiches/')) ?? targets[0];
    const themeFailures = [];
    try {
      const page = await t.open({ url: t.httpUrl(probe), colorScheme: 'dark', media: 'print' });
      await page.evaluate(() => {
        const h = document.documentElement;
        h.setAttribute('data-theme', 'sombre');
        h.setAttribute('data-taille', 'tres-grande');
        h.setAttribute('data-espacement', 'large');
      });
      const style = await page.evaluate(() => {
        const bad = [];
        const bg = (el) => getComputedStyle(el).backgroundColor;
        const white = (c) => c === 'rgba(0, 0, 0, 0)' || c === 'transparent' || c === 'rgb(255, 255, 255)';
        for (const el of [document.documentElement, document.body, ...document.querySelectorAll('main, main *')]) {
          if (!el.checkVisibility()) continue;
          const cs = getComputedStyle(el);
          if (!white(bg(el))) bad.push(`${el.tagName.toLowerCase()}.${el.className} background ${bg(el)}`);
          if (el.closest('main') && cs.color !== 'rgb(0, 0, 0)') bad.push(`${el.tagName.toLowerCase()}.${el.className} color ${cs.color}`);
        }
        const p = document.querySelector('.fiche-body p, .fiche-body li, .summary');
        return { bad: bad.slice(0, 10), px: p ? parseFloat(getComputedStyle(p).fontSize) : 0 };
      });
      for (const b of style.bad) themeFailures.push(`not black on white in print: ${b}`);
      if (Math.abs(style.px - 14 * 96 / 72) > 0.5) themeFailures.push(`print text is ${style.px} px (want 14 pt = 18.67 px)`);
      const pages = await printPages(page, path.join(tmp, 'theme.pdf'));
      if (counts.has(probe) && pages.length !== counts.get(probe)) {
        themeFailures.push(`${pages.length} pages with the screen settings at their extremes, ${counts.get(probe)} with the defaults`);
      }
    } catch (err) {
      themeFailures.push(`error: ${String(err && err.message || err).split('\n')[0]}`);
    }
    results.push({ sub: 'theme', page: probe, failures: themeFailures });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const values = [...counts.values()];
  const hist = new Map();
  for (const v of values) hist.set(v, (hist.get(v) || 0) + 1);
  const med = median(values);
  const longest = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([p, n]) => `${p} ${n}`).join(', ');
  const distribution = [...hist].sort((a, b) => a[0] - b[0]).map(([n, k]) => `${k} × ${n} page${n > 1 ? 's' : ''}`).join(', ');
  console.log(`print: ${values.length} fiches on A4: ${distribution}; median ${med} (at most ${MEDIAN_MAX}), at most ${MAX_PAGES} pages each; longest: ${longest}`);
  const medFailures = med > MEDIAN_MAX ? [`median fiche takes ${med} A4 pages (want at most ${MEDIAN_MAX}); distribution: ${distribution}`] : [];
  if (values.length < targets.length) medFailures.push(`${targets.length - values.length} fiches could not be printed`);
  results.push({ sub: 'median', page: '(site)', failures: medFailures });
  return results;
}
