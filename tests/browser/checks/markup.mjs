// Static markup rules, read from the DOM as authored (JavaScript disabled, so nothing is added by
// scripts): html lang="fr", exactly one h1, and the CSP rule — no inline executable <script>
// (JSON data blocks such as type="application/json" are allowed: a CSP does not block them),
// no style="" attribute, no <style> element, no on*="" event-handler attribute.
export const name = 'markup';
export const scope = 'page';

export async function run(t) {
  const page = await t.open({ js: false });
  const found = await page.evaluate(() => {
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      else if (el.classList.length) s += `.${[...el.classList].join('.')}`;
      return s;
    };
    const DATA_TYPES = /^(application\/(ld\+)?json|application\/importmap\+json|text\/template|text\/x-template|speculationrules)$/i;
    const JS_TYPES = /^(|module|text\/javascript|application\/javascript|text\/ecmascript|application\/ecmascript|text\/jscript|text\/livescript)$/i;
    const inlineScripts = [...document.querySelectorAll('script:not([src])')].filter((s) => {
      const type = (s.getAttribute('type') || '').trim();
      return JS_TYPES.test(type) || !DATA_TYPES.test(type);
    });
    const onAttrs = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) if (/^on/i.test(a.name)) onAttrs.push(`${describe(el)} ${a.name}`);
    }
    return {
      lang: document.documentElement.getAttribute('lang'),
      h1: document.querySelectorAll('h1').length,
      inlineScripts: inlineScripts.map((s) => s.textContent.trim().slice(0, 60)),
      styleAttrs: [...document.querySelectorAll('[style]')].map((e) => `${describe(e)} style="${e.getAttribute('style').slice(0, 60)}"`),
      styleElems: document.querySelectorAll('style').length,
      onAttrs,
    };
  });
  const failures = [];
  if (found.lang !== 'fr') failures.push(found.lang === null ? '<html> has no lang attribute (want lang="fr")' : `<html lang="${found.lang}"> (want lang="fr")`);
  if (found.h1 !== 1) failures.push(`${found.h1} <h1> elements (want exactly 1)`);
  for (const s of found.inlineScripts) failures.push(`inline <script> without src (CSP): ${JSON.stringify(s)}`);
  for (const s of found.styleAttrs) failures.push(`style attribute (CSP): ${s}`);
  if (found.styleElems) failures.push(`${found.styleElems} <style> element(s) (CSP)`);
  for (const s of found.onAttrs) failures.push(`event-handler attribute (CSP): ${s}`);
  return failures;
}
