// Glossary tooltips (issue #10; docs/accessibilite.md §3; WCAG 1.4.13) on a fiche with several terms
// (fiches/poe.html when it has two or more, else the fiche with the most), results per page:
//   glossary:keyboard  Tab reaches a tooltip trigger; its bubble is then visible and is the
//                      trigger's accessible description in Chromium's accessibility tree; Escape
//                      hides it and leaves the focus on the trigger;
//   glossary:hover     hovering the term shows the bubble; the pointer can move onto the bubble and
//                      stay there (longer than the close delay) with the bubble open; Escape hides
//                      it without moving the pointer; moving away hides it;
//   glossary:touch     on a touch screen a first tap shows the bubble and stays on the page, a
//                      second tap follows the link to the glossary;
//   glossary:nojs      with JS off every bubble is hidden and every trigger is a link to
//                      glossaire.html#slug, an anchor that exists, with the term in it;
//   glossary:reflow    at 320 px wide, opening any bubble of the page causes no horizontal scroll;
//   glossary:axe       zero axe-core violations with a bubble open, in light and dark colours
//                      (and on the bubble in the "sombre" and "contraste" display settings).
import fs from 'node:fs';
import { axeViolations, NO_TRANSITIONS_CSS } from './axe.mjs';
import { horizontalOverflow } from './reflow.mjs';

export const name = 'glossary';
export const scope = 'site';

const TRIGGER = /class="?term-link"?/g;
const STAY_MS = 700; // longer than the script's 300 ms close delay

/** The fiche the checks use: poe.html if it has two terms or more, else the richest fiche. */
export function glossaryPage(t) {
  const count = (rel) => (fs.readFileSync(t.filePath(rel), 'utf8').match(TRIGGER) || []).length;
  const fiches = t.pages.filter((p) => p.startsWith('fiches/'));
  if (fiches.includes('fiches/poe.html') && count('fiches/poe.html') >= 2) return 'fiches/poe.html';
  let best = null;
  let most = 1;
  for (const p of fiches) {
    const n = count(p);
    if (n > most) [best, most] = [p, n];
  }
  return best;
}

/** State of the bubble described by the trigger `sel` (default: the first trigger). */
const bubbleState = (page, sel = '.term-link') => page.evaluate((sel) => {
  const link = document.querySelector(sel);
  const def = link && document.getElementById(link.getAttribute('aria-describedby'));
  if (!def) return null;
  const r = def.getBoundingClientRect();
  return {
    visible: getComputedStyle(def).display !== 'none' && getComputedStyle(def).visibility !== 'hidden' && r.width > 0 && r.height > 0,
    text: def.textContent.trim(),
    role: def.getAttribute('role'),
    focused: document.activeElement === link,
    box: { x: r.x, y: r.y, width: r.width, height: r.height },
  };
}, sel);

/** Accessible description of the focused element, as Chromium exposes it to assistive technology. */
async function focusedDescription(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: ':focus' });
    if (!nodeId) return null;
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes.find((n) => !n.ignored) || nodes[0];
    return { role: node?.role?.value, name: node?.name?.value, description: node?.description?.value ?? '' };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

async function keyboard(t, rel) {
  const failures = [];
  const page = await t.open({ url: t.httpUrl(rel) });
  let reached = false;
  for (let i = 0; i < 300 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => !!document.activeElement?.matches('.term-link'));
  }
  if (!reached) return ['Tab never reaches a tooltip trigger (a.term-link)'];
  const sel = await page.evaluate(() => {
    document.activeElement.setAttribute('data-glossary-check', '');
    return '[data-glossary-check]';
  });
  const open = await bubbleState(page, sel);
  if (!open) return ['the focused trigger has no aria-describedby pointing to a bubble'];
  if (!open.visible) failures.push('the bubble stays hidden when its trigger has keyboard focus');
  if (open.role !== 'tooltip') failures.push(`the bubble has role="${open.role}", not "tooltip"`);
  if (!open.text) failures.push('the bubble is empty');
  const ax = await focusedDescription(page);
  if (!ax) failures.push('the focused trigger is missing from the accessibility tree');
  else {
    if (ax.role !== 'link') failures.push(`the trigger is exposed as "${ax.role}", not as a link`);
    if (norm(ax.description) !== norm(open.text)) {
      failures.push(`the trigger's accessible description is "${ax.description}", not the bubble's text "${open.text}"`);
    }
  }
  await page.keyboard.press('Escape');
  const closed = await bubbleState(page, sel);
  if (closed.visible) failures.push('Escape does not hide the bubble');
  if (!closed.focused) failures.push('Escape moves the focus away from the trigger');
  await page.keyboard.press('Tab');
  await page.evaluate(() => document.querySelector('[data-glossary-check]')?.removeAttribute('data-glossary-check'));
  return failures;
}

async function hover(t, rel) {
  const failures = [];
  const page = await t.open({ url: t.httpUrl(rel) });
  const link = page.locator('.term-link').first();
  await link.scrollIntoViewIfNeeded();
  await link.hover();
  const shown = await bubbleState(page);
  if (!shown.visible) return ['hovering the term does not show its bubble'];
  const b = shown.box;
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.waitForTimeout(STAY_MS);
  if (!(await bubbleState(page)).visible) failures.push(`the bubble closes while the pointer rests on it (${STAY_MS} ms)`);
  await page.keyboard.press('Escape');
  if ((await bubbleState(page)).visible) failures.push('Escape does not hide the bubble opened by hovering');
  await link.hover();
  await page.mouse.move(1, 1, { steps: 4 });
  try {
    await page.waitForFunction(() => {
      const l = document.querySelector('.term-link');
      return getComputedStyle(document.getElementById(l.getAttribute('aria-describedby'))).display === 'none';
    }, null, { timeout: 5000 });
  } catch {
    failures.push('the bubble stays open after the pointer has left the term');
  }
  return failures;
}

async function touch(t, rel) {
  const failures = [];
  const context = await t.browser.newContext({
    viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale: 'fr-FR', bypassCSP: true,
  });
  try {
    const page = await context.newPage();
    const url = t.httpUrl(rel);
    await page.goto(url, { waitUntil: 'load' });
    const link = page.locator('.term-link').first();
    await link.scrollIntoViewIfNeeded();
    await link.tap();
    await page.waitForTimeout(200);
    if (page.url() !== url) failures.push(`the first tap follows the link (to ${page.url()}) instead of showing the bubble`);
    else {
      if (!(await bubbleState(page)).visible) failures.push('the first tap does not show the bubble');
      await link.tap();
      try {
        await page.waitForURL(/glossaire\.html#/, { timeout: 5000 });
      } catch {
        failures.push('the second tap does not follow the link to the glossary');
      }
    }
  } finally {
    await context.close();
  }
  return failures;
}

async function nojs(t, rel) {
  const failures = [];
  const page = await t.open({ js: false, url: t.httpUrl(rel) });
  const terms = await page.evaluate(() => [...document.querySelectorAll('.term')].map((term) => {
    const link = term.querySelector('a.term-link');
    const def = link && document.getElementById(link.getAttribute('aria-describedby'));
    return {
      text: link?.textContent.trim(),
      href: link?.href,
      rawHref: link?.getAttribute('href'),
      hidden: !!def && getComputedStyle(def).display === 'none',
      hasDef: !!def,
    };
  }));
  if (terms.length < 2) failures.push(`only ${terms.length} tooltip(s) on the page`);
  const glossaryIds = await t.idsOf(t.filePath('glossaire.html'));
  for (const x of terms) {
    if (!x.href) { failures.push('a .term without its a.term-link'); continue; }
    if (!x.hasDef) failures.push(`"${x.text}": no bubble with the id of aria-describedby`);
    else if (!x.hidden) failures.push(`"${x.text}": the bubble shows without JavaScript`);
    const u = new URL(x.href);
    const slug = decodeURIComponent(u.hash.slice(1));
    if (!u.pathname.endsWith('/glossaire.html') || !slug) {
      failures.push(`"${x.text}" links to ${x.rawHref}, not to glossaire.html#…`);
    } else if (!glossaryIds.has(slug)) {
      failures.push(`"${x.text}" links to glossaire.html#${slug}, an anchor that does not exist`);
    }
  }
  return failures;
}

async function reflow(t, rel) {
  const failures = [];
  const page = await t.open({ url: t.httpUrl(rel), viewport: { width: 320, height: 640 } });
  const n = await page.locator('.term-link').count();
  for (let i = 0; i < n; i++) {
    const link = page.locator('.term-link').nth(i);
    await link.focus();
    const over = await horizontalOverflow(page);
    if (over) {
      const text = (await link.textContent()).trim();
      failures.push(`with the bubble of "${text}" open, the page scrolls sideways at 320 px (${over.scrollWidth} px wide: ${over.offenders.join('; ')})`);
    }
  }
  return failures;
}

async function axe(t, rel) {
  const failures = [];
  const page = await t.open({ url: t.httpUrl(rel) });
  await page.addStyleTag({ content: NO_TRANSITIONS_CSS });
  await page.locator('.term-link').first().focus();
  if (!(await bubbleState(page)).visible) return ['no bubble open to test'];
  for (const v of await axeViolations(page, t.axeScriptPath)) failures.push(`light, bubble open: ${v}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const v of await axeViolations(page, t.axeScriptPath)) failures.push(`dark, bubble open: ${v}`);
  await page.emulateMedia({ colorScheme: 'light' });
  for (const theme of ['sombre', 'contraste']) {
    await page.evaluate((th) => document.documentElement.setAttribute('data-theme', th), theme);
    const v = await axeViolations(page, t.axeScriptPath, { context: '.term.is-open' });
    for (const x of v) failures.push(`data-theme="${theme}", bubble: ${x}`);
  }
  await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
  return failures;
}

const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

export async function run(t) {
  const rel = glossaryPage(t);
  if (!rel) return [{ page: 'fiches/*.html', failures: ['no fiche has two glossary tooltips or more'] }];
  const results = [];
  for (const [sub, fn] of Object.entries({ keyboard, hover, touch, nojs, reflow, axe })) {
    let failures;
    try {
      failures = await fn(t, rel);
    } catch (err) {
      failures = [`error: ${String(err && err.message || err).split('\n')[0]}`];
    }
    results.push({ sub, page: rel, failures });
  }
  return results;
}
