// Internal references work from file:// (a USB key): every internal a[href], area[href], link[href],
// script[src], img[src|srcset], source[src|srcset], iframe/video/audio/track[src], object[data] and
// form[action] is resolved against the page's file:// URL (minus ?query and #fragment) and must be
// an existing file inside the site; a #fragment must match an id (or a[name]) in the target page.
// http(s), mailto, tel and data URLs are skipped; javascript: URLs fail (a CSP blocks them).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'links';
export const scope = 'page';

export async function run(t) {
  const page = await t.open({ js: false, url: t.fileUrl });
  const refs = await page.evaluate(() => {
    const out = [];
    const add = (el, attr, value) => out.push({ tag: el.tagName.toLowerCase(), attr, value, abs: (() => {
      try { return new URL(value, document.baseURI).href; } catch { return null; }
    })() });
    const sel = [
      ['a[href]', 'href'], ['area[href]', 'href'], ['link[href]', 'href'], ['script[src]', 'src'],
      ['img[src]', 'src'], ['source[src]', 'src'], ['iframe[src]', 'src'], ['video[src]', 'src'],
      ['audio[src]', 'src'], ['track[src]', 'src'], ['object[data]', 'data'], ['form[action]', 'action'],
      ['video[poster]', 'poster'],
    ];
    for (const [s, attr] of sel) for (const el of document.querySelectorAll(s)) add(el, attr, el.getAttribute(attr));
    for (const el of document.querySelectorAll('img[srcset], source[srcset]')) {
      for (const part of el.getAttribute('srcset').split(',')) {
        const u = part.trim().split(/\s+/)[0];
        if (u) add(el, 'srcset', u);
      }
    }
    return out;
  });

  const root = path.resolve(t.publicDir);
  const failures = [];
  const seen = new Set();
  for (const ref of refs) {
    const key = `${ref.tag}|${ref.attr}|${ref.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = `<${ref.tag} ${ref.attr}="${ref.value}">`;
    if (ref.abs === null) { failures.push(`${where}: not a valid URL`); continue; }
    const url = new URL(ref.abs);
    if (url.protocol === 'javascript:') { failures.push(`${where}: javascript: URL (blocked by a CSP, dead without JS)`); continue; }
    if (url.protocol !== 'file:') continue; // http(s), mailto, tel, data, …: external
    if (url.host) { failures.push(`${where}: protocol-relative or host URL, not relative`); continue; }
    let target;
    try { target = fileURLToPath(url.href.replace(/[?#].*$/, '')); } catch (e) { failures.push(`${where}: ${e.message}`); continue; }
    const relTarget = path.relative(root, target);
    if (relTarget.startsWith('..') || path.isAbsolute(relTarget)) {
      failures.push(`${where}: resolves outside the site (${ref.value.startsWith('/') ? 'root-relative links break from file:// and sub-folders' : target})`);
      continue;
    }
    let st;
    try { st = fs.statSync(target); } catch { failures.push(`${where}: missing file ${relTarget.split(path.sep).join('/') || '.'}`); continue; }
    if (st.isDirectory()) {
      failures.push(`${where}: points to a folder (from file:// that is a folder listing; link the .html file)`);
      continue;
    }
    const frag = url.hash.slice(1);
    if (frag && frag !== 'top' && /\.html?$/i.test(target)) {
      let id;
      try { id = decodeURIComponent(frag); } catch { id = frag; }
      const ids = await t.idsOf(target);
      if (!ids.has(id)) failures.push(`${where}: no id="${id}" in ${relTarget.split(path.sep).join('/')}`);
    }
  }
  return failures;
}
