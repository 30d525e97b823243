// The default theme's FALC typography and page structure (issue 4; docs/accessibilite.md §2 rules
// 7, 19–23, 28), on every page, light colours, 1280 px wide:
//   theme:typography  body text is Arial first and at least 18 px; every paragraph in <main> is
//                     at least 18 px with a line height of at least 1.5 and at most 75 characters
//                     ("0" widths) wide; no text in <main> is italic, justified or uppercased by CSS;
//   theme:targets     links of the main menu and visible buttons are at least 44 × 44 CSS px
//                     (WCAG 2.5.5, our target for this audience);
//   theme:structure   the breadcrumb, when there is one, is nav[aria-label="Vous êtes ici"] > ol
//                     whose last item holds the only aria-current="page"; no <a> without href;
//                     every pictogram (svg.icon) is aria-hidden and sits next to visible text.
export const name = 'theme';
export const scope = 'page';

export async function run(t) {
  const page = await t.open();
  return page.evaluate(() => {
    const typography = [];
    const targets = [];
    const structure = [];
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      else if (el.classList.length) s += `.${[...el.classList].slice(0, 2).join('.')}`;
      const txt = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return txt ? `${s} "${txt}"` : s;
    };
    const visible = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && el.getClientRects().length > 0;
    const limit = (list, n, what) => (list.length > n ? [...list.slice(0, n), `… and ${list.length - n} more ${what}`] : list);

    // -- typography
    const bodyCs = getComputedStyle(document.body);
    const firstFont = bodyCs.fontFamily.split(',')[0].trim().replace(/["']/g, '').toLowerCase();
    if (firstFont !== 'arial') typography.push(`body font-family starts with "${firstFont}", not Arial`);
    if (parseFloat(bodyCs.fontSize) < 18) typography.push(`body font-size ${bodyCs.fontSize} (want at least 18px)`);
    const main = document.querySelector('main');
    const zeroWidth = (el) => {
      const probe = document.createElement('span');
      probe.textContent = '0'.repeat(100);
      probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;letter-spacing:normal;word-spacing:normal';
      el.appendChild(probe);
      const w = probe.getBoundingClientRect().width / 100;
      probe.remove();
      return w;
    };
    const paras = [];
    for (const p of main ? main.querySelectorAll('p') : []) {
      if (!visible(p) || !p.textContent.trim()) continue;
      const cs = getComputedStyle(p);
      const fs = parseFloat(cs.fontSize);
      const lh = cs.lineHeight === 'normal' ? 1.15 * fs : parseFloat(cs.lineHeight);
      if (fs < 18) paras.push(`${describe(p)}: font-size ${fs}px (want at least 18px)`);
      else if (lh / fs < 1.5 - 1e-6) paras.push(`${describe(p)}: line-height ${(lh / fs).toFixed(2)} (want at least 1.5)`);
      const chars = p.getBoundingClientRect().width / zeroWidth(p);
      if (chars > 75.5) paras.push(`${describe(p)}: ${Math.round(chars)} characters wide (want at most 75)`);
    }
    typography.push(...limit(paras, 10, 'paragraphs'));
    const styled = [];
    for (const el of main ? main.querySelectorAll('*') : []) {
      if (!visible(el)) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const cs = getComputedStyle(el);
      if (cs.fontStyle === 'italic' || cs.fontStyle.startsWith('oblique')) styled.push(`${describe(el)} is italic`);
      if (cs.textAlign === 'justify') styled.push(`${describe(el)} is justified`);
      if (cs.textTransform === 'uppercase') styled.push(`${describe(el)} is uppercased by CSS`);
    }
    typography.push(...limit(styled, 10, 'elements'));

    // -- targets: menu links and buttons
    for (const el of document.querySelectorAll('header nav a, button')) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 44 - 0.5 || r.height < 44 - 0.5) targets.push(`${describe(el)} is ${Math.round(r.width)} × ${Math.round(r.height)} px (want at least 44 × 44)`);
    }

    // -- structure
    const crumbs = document.querySelectorAll('nav.breadcrumb, nav[aria-label="Vous êtes ici"]');
    for (const nav of crumbs) {
      if (nav.getAttribute('aria-label') !== 'Vous êtes ici') structure.push(`breadcrumb nav has aria-label="${nav.getAttribute('aria-label')}", want "Vous êtes ici"`);
      const ol = nav.querySelector(':scope > ol');
      if (!ol) { structure.push('breadcrumb has no <ol> directly inside its <nav>'); continue; }
      const items = ol.querySelectorAll(':scope > li');
      const current = nav.querySelectorAll('[aria-current="page"]');
      if (current.length !== 1) structure.push(`breadcrumb has ${current.length} aria-current="page" (want 1)`);
      else if (!items.length || !items[items.length - 1].contains(current[0])) structure.push('breadcrumb: aria-current="page" is not on the last item');
    }
    for (const a of document.querySelectorAll('a:not([href])')) structure.push(`<a> without href: ${describe(a)}`);
    const icons = [];
    for (const svg of document.querySelectorAll('svg.icon')) {
      if (svg.getAttribute('aria-hidden') !== 'true') icons.push(`pictogram without aria-hidden="true" in ${describe(svg.parentElement)}`);
      else if (!(svg.parentElement.textContent || '').trim()) icons.push(`pictogram with no text next to it in ${describe(svg.parentElement)}`);
    }
    structure.push(...limit(icons, 5, 'pictograms'));
    return { typography, targets, structure };
  });
}
