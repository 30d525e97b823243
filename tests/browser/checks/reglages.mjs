// The display settings ("Paramètres d'affichage", issue 4; docs/accessibilite.md rule 33), in a
// context of their own (the choices live in localStorage, which the shared contexts must not see):
//   reglages:panel       on index.html the header button is shown (JS on), is a disclosure
//                        (aria-expanded, aria-controls) reached and opened with the keyboard;
//                        Escape closes the panel and gives the focus back to the button;
//   reglages:remember    choosing "Contraste élevé" and "Très grande" sets data-theme / data-taille
//                        on <html> and in localStorage "fiches-reglages"; the next page has them
//                        before its scripts run; "Revenir à l'affichage de départ" removes them;
//   reglages:scheme      with no choice the page follows prefers-color-scheme (dark background when
//                        the system is dark); "Clair" wins over a dark system, "Sombre" over a
//                        light one;
//   reglages:axe         zero axe-core violations with the panel open, and on index.html, the
//                        first fiche and the first parcours with each setting: sombre, clair (system dark), contraste, and
//                        très grande + plus d'espace;
//   reglages:reflow      with très grande + plus d'espace, and with contraste, no horizontal scroll
//                        at 320 px on those pages;
//   reglages:nojs        without JavaScript the button and the panel stay hidden.
import { axeViolations, NO_TRANSITIONS_CSS } from './axe.mjs';
import { horizontalOverflow } from './reflow.mjs';

export const name = 'reglages';
export const scope = 'site';

const KEY = 'fiches-reglages';
const SETTINGS = [
  { label: 'sombre', scheme: 'light', attrs: { theme: 'sombre' } },
  { label: 'clair (system dark)', scheme: 'dark', attrs: { theme: 'clair' } },
  { label: 'contraste', scheme: 'light', attrs: { theme: 'contraste' } },
  { label: 'très grande + plus d\'espace', scheme: 'light', attrs: { taille: 'tres-grande', espacement: 'large' } },
];

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** Relative luminance of the body's computed background colour (0 = black, 1 = white). */
const bodyLuminance = (page) => page.evaluate(() => {
  const m = getComputedStyle(document.body).backgroundColor.match(/[\d.]+/g).map(Number);
  const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]);
});

async function tabTo(page, selector, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return true;
  }
  return false;
}

export async function run(t) {
  const home = t.pages.includes('index.html') ? 'index.html' : null;
  if (!home) return { panel: ['no index.html'] };
  const samples = [home, t.pages.find((p) => p.startsWith('fiches/')), t.pages.find((p) => p.startsWith('parcours/'))].filter(Boolean);
  const out = { panel: [], remember: [], scheme: [], axe: [], reflow: [], nojs: [] };
  const ctx = await t.browser.newContext({ viewport: t.defaultViewport, locale: 'fr-FR', bypassCSP: true, reducedMotion: 'reduce' });
  try {
    const page = await ctx.newPage();

    // -- panel: a disclosure button, keyboard only
    await page.goto(t.httpUrl(home));
    const btn = await page.evaluate(() => {
      const b = document.querySelector('.reglages-bouton');
      const p = document.getElementById('reglages');
      return b && {
        visible: b.checkVisibility(),
        expanded: b.getAttribute('aria-expanded'),
        controls: b.getAttribute('aria-controls'),
        panelHidden: !!p && !p.checkVisibility(),
      };
    });
    if (!btn) out.panel.push('no .reglages-bouton button');
    else {
      if (!btn.visible) out.panel.push('the settings button is not visible with JavaScript on');
      if (btn.expanded !== 'false') out.panel.push(`aria-expanded="${btn.expanded}" before opening (want "false")`);
      if (btn.controls !== 'reglages') out.panel.push(`aria-controls="${btn.controls}" (want "reglages")`);
      if (!btn.panelHidden) out.panel.push('the panel is visible before the button is pressed');
      if (!(await tabTo(page, '.reglages-bouton'))) out.panel.push('Tab never reaches the settings button');
      else {
        await page.keyboard.press('Enter');
        const open = await page.evaluate(() => [document.getElementById('reglages').checkVisibility(), document.querySelector('.reglages-bouton').getAttribute('aria-expanded')]);
        if (!open[0]) out.panel.push('Enter on the button does not show the panel');
        if (open[1] !== 'true') out.panel.push(`aria-expanded="${open[1]}" once open (want "true")`);
        if (!(await tabTo(page, '#reglages input[name="taille"]', 5))) out.panel.push('Tab from the button does not go into the panel');
        for (const v of await axeViolations(page, t.axeScriptPath)) out.axe.push(`${home} [panel open]: ${v}`);
        await page.keyboard.press('Escape');
        const closed = await page.evaluate(() => [!document.getElementById('reglages').checkVisibility(), document.activeElement && document.activeElement.matches('.reglages-bouton')]);
        if (!closed[0]) out.panel.push('Escape does not close the panel');
        if (!closed[1]) out.panel.push('after Escape the focus is not back on the settings button');
      }
    }

    // -- remember: choices go to <html> and localStorage, and to the next page before paint
    await page.goto(t.httpUrl(home));
    await page.click('.reglages-bouton');
    await page.check('#reglages input[name="theme"][value="contraste"]');
    await page.check('#reglages input[name="taille"][value="tres-grande"]');
    const after = await page.evaluate((k) => ({
      theme: document.documentElement.getAttribute('data-theme'),
      taille: document.documentElement.getAttribute('data-taille'),
      stored: localStorage.getItem(k),
    }), KEY);
    if (after.theme !== 'contraste') out.remember.push(`data-theme="${after.theme}" after choosing Contraste élevé`);
    if (after.taille !== 'tres-grande') out.remember.push(`data-taille="${after.taille}" after choosing Très grande`);
    let stored = {};
    try { stored = JSON.parse(after.stored || '{}'); } catch { out.remember.push(`localStorage ${KEY} is not JSON: ${after.stored}`); }
    if (stored.theme !== 'contraste' || stored.taille !== 'tres-grande') out.remember.push(`localStorage ${KEY} = ${after.stored}`);
    const next = samples[1] ?? home;
    // Read data-theme when <body> is parsed: the head's script must have set it by then, so
    // the first paint already has the chosen colours.
    await page.addInitScript(() => {
      const mo = new MutationObserver(() => {
        if (document.body) {
          window.__themeAtBody = document.documentElement.getAttribute('data-theme');
          mo.disconnect();
        }
      });
      mo.observe(document, { childList: true, subtree: true });
    });
    await page.goto(t.httpUrl(next));
    const early = await page.evaluate(() => window.__themeAtBody);
    if (early !== 'contraste') out.remember.push(`${next}: data-theme is "${early}" when <body> starts (want "contraste", set before paint)`);
    const radio = await page.evaluate(() => {
      document.querySelector('.reglages-bouton').click();
      return document.querySelector('#reglages input[name="theme"]:checked')?.value;
    });
    if (radio !== 'contraste') out.remember.push(`${next}: the panel shows "${radio}" checked, not the saved "contraste"`);
    await page.click('#reglages button[type="reset"]');
    const reset = await page.evaluate((k) => ({
      attrs: ['data-theme', 'data-taille', 'data-espacement'].filter((a) => document.documentElement.hasAttribute(a)),
      stored: localStorage.getItem(k),
      radio: document.querySelector('#reglages input[name="theme"]:checked')?.value,
    }), KEY);
    if (reset.attrs.length) out.remember.push(`after reset <html> still has ${reset.attrs.join(', ')}`);
    if (reset.stored && reset.stored !== '{}') out.remember.push(`after reset localStorage ${KEY} = ${reset.stored}`);
    if (reset.radio !== 'systeme') out.remember.push(`after reset the checked colour choice is "${reset.radio}"`);
    await page.close();

    // -- scheme: follows the system unless a choice says otherwise
    const p2 = await ctx.newPage();
    for (const [scheme, theme, wantDark] of [['dark', null, true], ['light', null, false], ['dark', 'clair', false], ['light', 'sombre', true]]) {
      await p2.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await p2.goto(t.httpUrl(home));
      await p2.addStyleTag({ content: NO_TRANSITIONS_CSS });
      if (theme) await p2.evaluate((v) => document.documentElement.setAttribute('data-theme', v), theme);
      await settle(p2);
      const lum = await bodyLuminance(p2);
      if (wantDark !== lum < 0.2) out.scheme.push(`system ${scheme}, choice ${theme ?? 'none'}: the page background is ${lum < 0.2 ? 'dark' : 'light'}`);
    }

    // -- axe and reflow under each setting (attributes set directly: no storage involved)
    for (const rel of samples) {
      for (const s of SETTINGS) {
        await p2.emulateMedia({ colorScheme: s.scheme, reducedMotion: 'reduce' });
        await p2.setViewportSize(t.defaultViewport);
        await p2.goto(t.httpUrl(rel));
        await p2.addStyleTag({ content: NO_TRANSITIONS_CSS });
        await p2.evaluate((a) => { for (const [k, v] of Object.entries(a)) document.documentElement.setAttribute(`data-${k}`, v); }, s.attrs);
        await settle(p2);
        for (const v of await axeViolations(p2, t.axeScriptPath)) out.axe.push(`${rel} [${s.label}]: ${v}`);
        if (s.attrs.taille || s.attrs.theme === 'contraste') {
          await p2.setViewportSize({ width: 320, height: 640 });
          await settle(p2);
          const o = await horizontalOverflow(p2);
          if (o) out.reflow.push(`${rel} [${s.label}]: horizontal scroll at 320 px: scrollWidth ${o.scrollWidth} > ${o.clientWidth}; ${o.offenders.join('; ')}`);
        }
      }
    }
    await p2.close();
  } finally {
    await ctx.close().catch(() => {});
  }

  // -- nojs: nothing of the settings shows
  const nj = await t.open({ js: false, url: t.httpUrl(home) });
  const shown = await nj.evaluate(() => [...document.querySelectorAll('.reglages-bouton, #reglages')].filter((e) => e.checkVisibility()).map((e) => e.className || e.id));
  if (shown.length) out.nojs.push(`visible without JavaScript: ${shown.join(', ')}`);
  return out;
}
