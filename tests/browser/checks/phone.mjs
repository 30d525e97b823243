// The phone layout (issue 21), on every page at 390 × 844 CSS px (a common phone), light scheme,
// page scrolled to the top:
//   phone:layout   no horizontal scroll; the guide's name in the header takes one line; the header
//                  shows a « Menu » control (a <summary>, named "Menu") and a search control, and
//                  the main menu (nav#menu) is hidden until « Menu » is opened, then shown;
//   phone:answer   the page's h1 starts within the first 200 px; on a fiche, the « En bref »
//                  summary sentence (.en-bref .summary) starts at 600 px at most and ends within
//                  the first screen (844 px); its tags (.fiche-meta) take at most two lines; the
//                  breadcrumb shows one line; on index.html the four stage tiles end within the
//                  first screen;
//   phone:nojs     with JavaScript off, the same layout: « Menu » opens and shows nav#menu, the
//                  skip link's target #menu shows it too, « Rechercher » opens the search form;
//   phone:axe      zero axe-core violations at 390 × 844 with « Menu » and « Rechercher » open.
// The limits are the acceptance criteria (docs/accessibilite.md, rules 47 and 48); each
// failure says what was measured.
import { axeViolations } from './axe.mjs';

export const name = 'phone';
export const scope = 'page';

export const PHONE = { width: 390, height: 844 };
export const LIMITS = { titleTop: 200, summaryTop: 600, summaryBottom: 844, tagLines: 2 };

/** Positions of the header, title, summary, tags and breadcrumb (page at the top). */
export async function measure(page) {
  return page.evaluate(() => {
    window.scrollTo(0, 0);
    const box = (el) => {
      if (!el || !el.checkVisibility()) return null;
      const r = el.getBoundingClientRect();
      return { top: Math.round(r.top + scrollY), bottom: Math.round(r.bottom + scrollY), height: Math.round(r.height) };
    };
    // the number of lines of text of an element: distinct tops of its line boxes
    const lines = (el) => {
      if (!el || !el.checkVisibility()) return 0;
      const range = document.createRange();
      range.selectNodeContents(el);
      const tops = [];
      for (const r of range.getClientRects()) {
        if (r.width < 1 || r.height < 1) continue;
        if (!tops.some((t) => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
      }
      return tops.length;
    };
    // rows of a wrapping flex list: distinct tops of its visible items
    const rows = (list) => {
      if (!list) return 0;
      const tops = [];
      for (const li of list.children) {
        if (!li.checkVisibility()) continue;
        const t = li.getBoundingClientRect().top;
        if (!tops.some((x) => Math.abs(x - t) < 8)) tops.push(t);
      }
      return tops.length;
    };
    const de = document.documentElement;
    const summary = [...document.querySelectorAll('.site-header summary')];
    const menu = summary.find((s) => s.textContent.trim() === 'Menu');
    const crumbItems = [...document.querySelectorAll('nav.breadcrumb li')].filter((li) => li.checkVisibility() && li.getBoundingClientRect().width > 2);
    return {
      scrollWidth: de.scrollWidth,
      clientWidth: de.clientWidth,
      siteNameLines: lines(document.querySelector('.site-name a')),
      menu: !!menu,
      search: !!document.querySelector('.site-header form[role="search"], .site-header summary.recherche-bouton, a[href$="recherche.html"][aria-current="page"]'),
      navVisible: !!document.querySelector('nav#menu')?.checkVisibility(),
      h1: box(document.querySelector('h1')),
      // a fiche's own summary (the whole guide, guide-complet.html, holds every fiche's)
      summary: box(document.querySelector('main > article.fiche:not(.guide-fiche) .en-bref .summary')),
      tagRows: rows(document.querySelector('.fiche-meta')),
      crumbRows: crumbItems.length ? new Set(crumbItems.map((li) => Math.round(li.getBoundingClientRect().top / 8))).size : 0,
      crumbLines: Math.max(0, ...crumbItems.map(lines)),
      tiles: box(document.querySelector('.stage-tiles')),
    };
  });
}

const visible = (page, sel) => page.evaluate((s) => !!document.querySelector(s)?.checkVisibility(), sel);
const summary = (page, text) => page.locator('.site-header summary', { hasText: new RegExp(`^\\s*${text}\\s*$`) });

/** Open « Menu » and « Rechercher » (when the page has them). */
async function openHeader(page) {
  for (const text of ['Menu', 'Rechercher']) {
    const s = summary(page, text);
    if (await s.count()) await s.first().click();
  }
}

async function noJs(t) {
  const failures = [];
  const page = await t.open({ js: false, viewport: PHONE });
  if (!(await visible(page, 'h1'))) failures.push('no visible h1 without JavaScript');
  const menu = summary(page, 'Menu');
  if (!(await menu.count())) return [...failures, 'no « Menu » summary without JavaScript'];
  if (await visible(page, 'nav#menu')) failures.push('nav#menu is shown before « Menu » is opened');
  await menu.first().click();
  if (!(await visible(page, 'nav#menu'))) failures.push('opening « Menu » does not show the main menu');
  const search = summary(page, 'Rechercher');
  if (await search.count()) {
    if (await visible(page, '.site-header form[role="search"]')) failures.push('the search form is shown before « Rechercher » is opened');
    await search.first().click();
    if (!(await visible(page, '.site-header form[role="search"]'))) failures.push('opening « Rechercher » does not show the search form');
  }
  // the skip link « Aller au menu » (#menu) on a fresh page, « Menu » closed
  const again = await t.open({ js: false, viewport: PHONE, url: `${t.url}#menu` });
  if (!(await visible(again, 'nav#menu'))) failures.push('following the skip link to #menu does not show the main menu');
  return failures;
}

export async function run(t) {
  const nojs = await noJs(t);
  const page = await t.open({ viewport: PHONE });
  const m = await measure(page);
  const layout = [];
  const answer = [];
  if (m.scrollWidth > m.clientWidth) layout.push(`horizontal scroll at ${PHONE.width} px (scrollWidth ${m.scrollWidth})`);
  if (m.siteNameLines > 1) layout.push(`the guide's name in the header takes ${m.siteNameLines} lines (want 1; set short_title in guide.toml)`);
  if (!m.menu) layout.push('no « Menu » control (summary) in the header');
  if (!m.search) layout.push('no search control in the header');
  if (m.menu && m.navVisible) layout.push('the main menu (nav#menu) is shown before « Menu » is opened');

  if (!m.h1) answer.push('no visible h1');
  else if (m.h1.top > LIMITS.titleTop) answer.push(`the h1 starts at ${m.h1.top} px (want at most ${LIMITS.titleTop})`);
  if (m.summary) {
    if (m.summary.top > LIMITS.summaryTop) answer.push(`the « En bref » summary starts at ${m.summary.top} px (want at most ${LIMITS.summaryTop})`);
    if (m.summary.bottom > LIMITS.summaryBottom) answer.push(`the « En bref » summary ends at ${m.summary.bottom} px, below the first screen (${LIMITS.summaryBottom})`);
  }
  if (m.tagRows > LIMITS.tagLines) answer.push(`the tags take ${m.tagRows} lines (want at most ${LIMITS.tagLines})`);
  if (m.crumbRows > 1 || m.crumbLines > 1) answer.push(`the breadcrumb takes more than one line (${Math.max(m.crumbRows, m.crumbLines)})`);
  if (t.rel === 'index.html') {
    if (!m.tiles) answer.push('no stage tiles (.stage-tiles) on the home page');
    else if (m.tiles.bottom > PHONE.height) answer.push(`the four stage tiles end at ${m.tiles.bottom} px, below the first screen (${PHONE.height})`);
  }
  let axe = [];
  if (m.menu) {
    await openHeader(page);
    if (!(await visible(page, 'nav#menu'))) layout.push('the main menu (nav#menu) stays hidden after « Menu » is opened');
    axe = await axeViolations(page, t.axeScriptPath);
  }
  return { layout, answer, nojs, axe };
}
