// The whole guide in print (issue 5): guide-complet.html holds every card and prints with one
// fiche per new page.
//   "print-guide:cards": every card listed on a-z.html, and every card page under fiches/,
//     parcours/ or at the top level (introduction...), has its title as a heading of
//     guide-complet.html.
//   "print-guide:structure": one h1, no skipped heading level, unique ids, and every link of
//     main that is not an outside address points at an anchor of the page itself.
//   "print-guide:pdf": printed to PDF (A4) by Chromium and read back per page by pdftotext,
//     every fiche (article.guide-fiche) starts a new page with its title, and no screen-only
//     text is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printPages, norm, squash, screenOnlyPrinted, contentText } from './print.mjs';

export const name = 'print-guide';
export const scope = 'site';

const GUIDE = 'guide-complet.html';

/** Titles of every card, read from the other pages of the site (not from the guide). */
async function cardTitles(t, page) {
  const sources = {};
  for (const rel of t.pages) {
    const top = !rel.includes('/');
    if (rel === 'a-z.html' || /^(fiches|parcours)\/[^/]+\.html$/.test(rel) || (top && rel !== GUIDE)) {
      sources[rel] = fs.readFileSync(t.filePath(rel), 'utf8');
    }
  }
  return page.evaluate((sources) => {
    const titles = new Map(); // title -> where it was read
    for (const [rel, html] of Object.entries(sources)) {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      if (rel === 'a-z.html') {
        for (const a of doc.querySelectorAll('main li > a[href]:not([href^="#"])')) titles.set(a.textContent, `a-z.html → ${a.getAttribute('href')}`);
      } else if (doc.querySelector('main article.fiche')) {
        const h1 = doc.querySelector('main h1');
        if (h1) titles.set(h1.textContent, rel);
      }
    }
    return [...titles];
  }, sources);
}

export async function run(t) {
  if (!t.pages.includes(GUIDE)) return { cards: [`no ${GUIDE}`] };
  const failures = { cards: [], structure: [], pdf: [] };
  const page = await t.open({ url: t.httpUrl(GUIDE), media: 'print' });

  const dom = await page.evaluate(() => {
    const main = document.querySelector('main');
    const headings = [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({ level: Number(h.tagName[1]), text: h.textContent }));
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const links = [...main.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    const fiches = [...main.querySelectorAll('article.guide-fiche')].map((a) => {
      const h = a.querySelector('h2');
      return { id: a.id, title: h ? h.textContent : '' };
    });
    return { headings, ids, links, fiches, h1: document.querySelectorAll('h1').length };
  });
  const content = await contentText(page);

  // Every card is in the guide.
  const headingTexts = dom.headings.map((h) => norm(h.text));
  for (const [title, where] of await cardTitles(t, page)) {
    const want = norm(title);
    if (!headingTexts.some((h) => h === want || h.startsWith(`${want} (`) || h.startsWith(`${want} :`))) {
      failures.cards.push(`card "${want}" (${where}) has no heading in ${GUIDE}`);
    }
  }

  // Headings, ids, links.
  if (dom.h1 !== 1) failures.structure.push(`${dom.h1} h1 elements (want 1)`);
  let prev = 1;
  for (const h of dom.headings) {
    if (h.level > prev + 1) failures.structure.push(`h${h.level} "${norm(h.text)}" follows an h${prev} (skipped level)`);
    prev = h.level;
  }
  const seen = new Set();
  for (const id of dom.ids) {
    if (seen.has(id)) failures.structure.push(`duplicate id="${id}"`);
    seen.add(id);
  }
  for (const href of new Set(dom.links)) {
    if (/^(https?:|mailto:|tel:)/i.test(href)) continue;
    if (!href.startsWith('#')) failures.structure.push(`link to "${href}" leaves the page (want an anchor of ${GUIDE})`);
    else if (href.length > 1 && !seen.has(decodeURIComponent(href.slice(1)))) failures.structure.push(`link to "${href}": no such id`);
  }
  if (!dom.fiches.length) failures.structure.push('no article.guide-fiche');

  // One fiche per new page on paper.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fiches-print-guide-'));
  try {
    const pages = await printPages(page, path.join(tmp, 'guide.pdf'));
    // Compared without whitespace: a long title wraps, at a hyphen too.
    const starts = pages.map((p) => squash(p));
    let at = 0;
    for (const f of dom.fiches) {
      const title = squash(f.title);
      const i = starts.findIndex((s, k) => k >= at && s.startsWith(title));
      if (i < 0) failures.pdf.push(`fiche "${norm(f.title)}" (#${f.id}) does not start a printed page`);
      else at = i + 1;
    }
    failures.pdf.push(...screenOnlyPrinted(norm(pages.join('\n')), content));
    console.log(`print-guide: ${GUIDE} prints on ${pages.length} A4 pages, ${dom.fiches.length} fiches each on a new page`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return failures;
}
