// Keyboard use, on index.html and on the first fiche page (results per page):
//   keyboard:skip-link     the first Tab focuses an in-page link (the skip link, e.g. a[href="#contenu"])
//                          whose target exists, which is visible while focused, and which moves the
//                          keyboard to its target (Enter then Tab lands inside or after the target);
//   keyboard:reach-all     Tab (at most 400 presses) reaches every visible link and control (a link
//                          with tabindex="-1" counts as unreachable);
//   keyboard:focus-visible every element reached shows a focus indicator (outline not none/0/
//                          transparent, or a box-shadow).
// Each page is checked at 1280 × 800 and again in the phone layout (390 × 844, results on
// "PAGE @390"), where the header's « Menu » and « Rechercher » are closed summaries.
export const name = 'keyboard';
export const scope = 'site';

const MAX_TABS = 400;

export function keyboardPages(pages) {
  const list = [];
  if (pages.includes('index.html')) list.push('index.html');
  const fiche = pages.find((p) => p.startsWith('fiches/'));
  if (fiche) list.push(fiche);
  return list;
}

const INSTALL = () => {
  const ids = new WeakMap();
  let n = 0;
  window.__kbId = (el) => { if (!ids.has(el)) ids.set(el, ++n); return ids.get(el); };
  window.__kbDescribe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    else if (el.classList.length) s += `.${[...el.classList].slice(0, 2).join('.')}`;
    const href = el.getAttribute('href');
    if (href) s += `[href="${href.slice(0, 60)}"]`;
    const txt = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 30);
    return txt ? `${s} "${txt}"` : s;
  };
};

async function focusInfo(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const cs = getComputedStyle(el);
    const transparent = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor);
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    const r = el.getBoundingClientRect();
    return {
      id: window.__kbId(el),
      desc: window.__kbDescribe(el),
      indicator: outline || shadow,
      style: `outline ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}, box-shadow ${cs.boxShadow}`,
      inPageLink: el.tagName === 'A' && (el.getAttribute('href') || '').startsWith('#') && el.getAttribute('href').length > 1,
      targetExists: el.tagName === 'A' && (el.getAttribute('href') || '').startsWith('#')
        ? !!document.getElementById(decodeURIComponent(el.getAttribute('href').slice(1))) : false,
      onScreen: r.width > 2 && r.height > 2 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    };
  });
}

const PHONE = { width: 390, height: 844 };

async function checkPage(t, rel, viewport) {
  const skip = [];
  const reach = [];
  const focusVis = [];
  const label = viewport ? `${rel} @${viewport.width}` : rel;
  const page = await t.open({ url: t.httpUrl(rel), viewport });
  await page.evaluate(INSTALL);
  const expected = await page.evaluate(() => {
    // Links and native controls count even with tabindex="-1" (a visible link that Tab skips is
    // a keyboard failure); other elements count when they are made focusable with tabindex >= 0
    // or carry a widget role.
    const CONTROLS = 'a[href], area[href], button, input, select, textarea, summary, iframe, audio[controls], video[controls], [contenteditable=""], [contenteditable="true"]';
    const ROLES = ['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'combobox', 'textbox', 'searchbox', 'slider', 'spinbutton', 'treeitem'];
    const SEL = `${CONTROLS}, [tabindex], ${ROLES.map((r) => `[role="${r}"]`).join(', ')}`;
    return [...document.querySelectorAll(SEL)].filter((el) => {
      if (el.disabled || el.closest('[inert]') || el.closest('fieldset[disabled]')) return false;
      if (el.closest('[aria-hidden="true"]')) return false;
      if (el.matches('input[type="hidden"]')) return false;
      const ti = el.getAttribute('tabindex');
      if (!el.matches(CONTROLS) && !ROLES.includes(el.getAttribute('role')) && ti !== null && Number(ti) < 0) return false;
      // a composite widget (listbox, menu, tabs, radio group) exposes one tab stop for its items
      if (el.matches('[role="option"], [role="menuitem"], [role="menuitemcheckbox"], [role="menuitemradio"], [role="tab"], [role="treeitem"], [role="radio"]') && ti !== null && Number(ti) < 0) return false;
      if (el.tagName === 'SUMMARY' && !(el.parentElement && el.parentElement.tagName === 'DETAILS' && el.parentElement.querySelector(':scope > summary') === el)) return false;
      if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return false;
      return true;
    }).map((el) => ({
      id: window.__kbId(el),
      desc: window.__kbDescribe(el),
      group: el.matches('input[type="radio"]') && el.name ? `radio:${el.form ? 'f' : ''}${el.name}` : null,
    }));
  });

  const reached = new Map();
  let first = null;
  let presses = 0;
  let wrapped = false;
  let emptyRun = 0;
  while (presses < MAX_TABS) {
    await page.keyboard.press('Tab');
    presses++;
    const info = await focusInfo(page);
    if (!info) {
      // focus left the document (past the last element): one more Tab comes back to the top
      if (++emptyRun > 3) break;
      continue;
    }
    emptyRun = 0;
    if (!first) {
      first = info;
      if (!info.inPageLink) skip.push(`first Tab focuses ${info.desc}, not an in-page skip link (a[href="#contenu"])`);
      else {
        if (!info.targetExists) skip.push(`skip link ${info.desc} points to a missing id`);
        if (!info.onScreen) skip.push(`skip link ${info.desc} stays invisible when focused`);
      }
    } else if (info.id === first.id) {
      wrapped = true;
      break;
    }
    if (!reached.has(info.id)) {
      reached.set(info.id, info);
      if (!info.indicator) focusVis.push(`no visible focus indicator on ${info.desc} (${info.style})`);
    }
  }
  if (!first) {
    skip.push('Tab never focuses anything');
  }
  const reachedGroups = new Set(expected.filter((e) => reached.has(e.id) && e.group).map((e) => e.group));
  const missing = expected.filter((e) => !reached.has(e.id) && !(e.group && reachedGroups.has(e.group)));
  if (missing.length) {
    const why = wrapped ? '' : ` (stopped after ${presses} Tab presses without coming back to the first element)`;
    reach.push(`${missing.length} of ${expected.length} visible links/controls never get keyboard focus${why}: ${missing.slice(0, 8).map((m) => m.desc).join('; ')}${missing.length > 8 ? '; …' : ''}`);
  }

  // The skip link moves the keyboard: Enter on it, then Tab lands inside (or after) its target.
  if (first && first.inPageLink && first.targetExists) {
    const p2 = await t.open({ url: t.httpUrl(rel), viewport });
    await p2.keyboard.press('Tab');
    const href = await p2.evaluate(() => document.activeElement.getAttribute('href'));
    await p2.keyboard.press('Enter');
    await p2.keyboard.press('Tab');
    const ok = await p2.evaluate((h) => {
      const target = document.getElementById(decodeURIComponent(h.slice(1)));
      const a = document.activeElement;
      if (!target || !a || a === document.body) return false;
      return target === a || target.contains(a) || !!(target.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
    }, href);
    if (!ok) skip.push(`after Enter on the skip link (${href}) the next Tab does not land inside or after ${href}`);
  }
  return [
    { sub: 'skip-link', page: label, failures: skip },
    { sub: 'reach-all', page: label, failures: reach },
    { sub: 'focus-visible', page: label, failures: focusVis },
  ];
}

export async function run(t) {
  const pages = keyboardPages(t.pages);
  if (!pages.length) return [{ sub: 'skip-link', page: 'index.html', failures: ['no index.html in the site'] }];
  const out = [];
  for (const rel of pages) {
    out.push(...(await checkPage(t, rel)));
    out.push(...(await checkPage(t, rel, PHONE)));
  }
  return out;
}
