// WCAG 1.4.10 reflow and 1.4.12 text spacing.
//   reflow:       at 320 CSS px wide, no horizontal scroll (documentElement.scrollWidth <= clientWidth).
//   text-spacing: with the W3C text-spacing overrides injected (line-height 1.5, paragraph spacing
//                 2em, letter-spacing 0.12em, word-spacing 0.16em), still no horizontal scroll at
//                 320 px, and at 320 px and 1280 px no element whose overflow is hidden/clip cuts off
//                 its text (scrollHeight > clientHeight + 1, or scrollWidth > clientWidth + 1).
export const name = 'reflow';
export const scope = 'page';

export const TEXT_SPACING_CSS = `
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
`;

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** Horizontal overflow of the document, with up to 3 of the elements that stick out. */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    if (de.scrollWidth <= de.clientWidth) return null;
    const vw = de.clientWidth;
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      else if (el.classList.length) s += `.${[...el.classList].slice(0, 2).join('.')}`;
      const txt = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 30);
      return txt ? `${s} "${txt}"` : s;
    };
    const scrollerCache = new Map();
    const isScroller = (p) => {
      if (!scrollerCache.has(p)) {
        const ox = getComputedStyle(p).overflowX;
        scrollerCache.set(p, ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip');
      }
      return scrollerCache.get(p);
    };
    const inScroller = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (isScroller(p)) return true;
      return false;
    };
    const sticking = [...document.body.querySelectorAll('*')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > vw + 1 && !inScroller(el);
    });
    // keep the outermost offenders (their children are usually offenders too)
    const stickingSet = new Set(sticking);
    const outer = sticking.filter((el) => !stickingSet.has(el.parentElement));
    const offenders = outer.slice(0, 3).map((el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
    // text that overflows its own box (a long word, an e-mail address, a URL that cannot wrap)
    if (offenders.length < 3) {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n; offenders.length < 3 && (n = walker.nextNode());) {
        if (!n.textContent.trim() || !n.parentElement || inScroller(n)) continue;
        let inOffender = false;
        for (let p = n.parentElement; p && !inOffender; p = p.parentElement) inOffender = stickingSet.has(p);
        if (inOffender) continue; // already named as a box that sticks out
        const range = document.createRange();
        range.selectNodeContents(n);
        const right = Math.max(0, ...[...range.getClientRects()].map((r) => r.right));
        if (right > vw + 1) {
          const longest = n.textContent.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), '');
          offenders.push(`text in ${describe(n.parentElement)} overflows to ${Math.round(right)} px (longest word "${longest.slice(0, 50)}")`);
        }
      }
    }
    return { scrollWidth: de.scrollWidth, clientWidth: vw, offenders };
  });
}

/** Elements with overflow hidden/clip whose text is cut. */
export async function clippedText(page) {
  return page.evaluate(() => {
    const SKIP = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'OPTION', 'SCRIPT', 'STYLE', 'TEMPLATE', 'IMG', 'VIDEO', 'IFRAME', 'CANVAS', 'svg', 'SVG', 'HEAD']);
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      else if (el.classList.length) s += `.${[...el.classList].slice(0, 2).join('.')}`;
      const txt = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${s} "${txt}"`;
    };
    const out = [];
    for (const el of document.querySelectorAll('*')) {
      if (SKIP.has(el.tagName)) continue;
      if (el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1) continue;
      const cs = getComputedStyle(el);
      const hx = cs.overflowX === 'hidden' || cs.overflowX === 'clip';
      const hy = cs.overflowY === 'hidden' || cs.overflowY === 'clip';
      if (!hx && !hy) continue;
      if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) continue;
      // visually-hidden (screen-reader only) pattern: a 1px box, or clipped away on purpose
      if (el.clientWidth <= 2 || el.clientHeight <= 2) continue;
      if ((cs.clip && cs.clip !== 'auto') || /inset\(50%\)|inset\(100%\)/.test(cs.clipPath)) continue;
      if (!(el.textContent || '').trim()) continue;
      if (hy && el.scrollHeight > el.clientHeight + 1) out.push(`${describe(el)}: text cut at the bottom (content ${el.scrollHeight} px, box ${el.clientHeight} px, overflow ${cs.overflowY})`);
      else if (hx && el.scrollWidth > el.clientWidth + 1) out.push(`${describe(el)}: text cut at the side (content ${el.scrollWidth} px, box ${el.clientWidth} px, overflow ${cs.overflowX})`);
    }
    return out;
  });
}

const fmtOverflow = (o, when) => `horizontal scroll ${when}: scrollWidth ${o.scrollWidth} > clientWidth ${o.clientWidth}${o.offenders.length ? `; sticking out: ${o.offenders.join('; ')}` : ''}`;

export async function run(t) {
  const page = await t.open({ viewport: { width: 320, height: 640 } });
  await settle(page);
  const reflow = [];
  const spacing = [];
  const o1 = await horizontalOverflow(page);
  if (o1) reflow.push(fmtOverflow(o1, 'at 320 px'));

  await page.addStyleTag({ content: TEXT_SPACING_CSS });
  await settle(page);
  const o2 = await horizontalOverflow(page);
  if (o2) spacing.push(fmtOverflow(o2, 'at 320 px with text spacing'));
  for (const c of await clippedText(page)) spacing.push(`at 320 px: ${c}`);

  await page.setViewportSize(t.defaultViewport);
  await settle(page);
  for (const c of await clippedText(page)) spacing.push(`at ${t.defaultViewport.width} px: ${c}`);
  return { '320': reflow, 'text-spacing': spacing };
}
