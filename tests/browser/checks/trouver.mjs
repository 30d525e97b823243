// "Trouver une solution" (issue 9), from file:// and over the suite's server:
//   trouver:file, trouver:http   answer with the keyboard only (Tab to a choice, Space to tick it),
//                                then check the results, the URL, the polite live region and
//                                axe-core (zero violations) with results shown;
//   trouver:nojs                 without JavaScript the page offers links to the listing pages
//                                by public and by stage, and the form stays hidden.
import { axeViolations } from './axe.mjs';

export const name = 'trouver';
export const scope = 'site';

// Tab until the focused element matches `selector` (at most `max` presses).
async function tabTo(page, selector, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return true;
  }
  return false;
}

async function answer(t, url) {
  const failures = [];
  const page = await t.open({ url });
  // Question 1: "Salarié du privé"; question 4: "Déclaré inapte". Keyboard only.
  for (const sel of ['input[name="public"][value="salarie"]', 'input[name="situation"][value="inaptitude"]']) {
    if (!(await tabTo(page, sel))) { failures.push(`Tab never reaches ${sel}`); return failures; }
    await page.keyboard.press('Space');
  }
  await page.waitForTimeout(200);
  const state = await page.evaluate(() => ({
    search: location.search,
    status: document.getElementById('trouver-status')?.textContent || '',
    live: document.getElementById('trouver-status')?.getAttribute('aria-live') || document.getElementById('trouver-status')?.getAttribute('role'),
    links: [...document.querySelectorAll('#trouver-results a')].map((a) => a.getAttribute('href')),
    hidden: document.querySelector('.trouver-results')?.hidden,
  }));
  if (!/public=salarie/.test(state.search) || !/situation=inaptitude/.test(state.search)) failures.push(`answers not kept in the URL: "${state.search}"`);
  if (!/\d+ solutions? correspond/.test(state.status)) failures.push(`live region does not announce the count: "${state.status}"`);
  if (!/polite|status/.test(state.live || '')) failures.push('the count is not in a polite live region');
  if (state.hidden) failures.push('results stay hidden');
  for (const slug of ['crpe', 'inapte-reorientation', 'bilan-competences']) {
    if (!state.links.some((h) => h && h.endsWith(`fiches/${slug}.html`))) failures.push(`result ${slug} missing`);
  }
  for (const v of await axeViolations(page, t.axeScriptPath)) failures.push(`axe: ${v}`);
  // Reloading the URL gives the same answers; "Recommencer" clears them.
  await page.reload({ waitUntil: 'load' });
  const checked = await page.evaluate(() => [...document.querySelectorAll('.trouver-form input:checked')].map((i) => `${i.name}=${i.value}`));
  if (!checked.includes('public=salarie') || !checked.includes('situation=inaptitude')) failures.push(`answers not restored from the URL: ${checked.join(', ')}`);
  if (!(await tabTo(page, 'button[type="reset"]'))) failures.push('Tab never reaches "Recommencer"');
  else {
    await page.keyboard.press('Enter');
    await page.waitForTimeout(200);
    const after = await page.evaluate(() => ({ search: location.search, hidden: document.querySelector('.trouver-results').hidden }));
    if (after.search || !after.hidden) failures.push(`"Recommencer" leaves answers: "${after.search}"`);
  }
  return failures;
}

async function nojs(t) {
  const page = await t.open({ js: false, url: t.fileUrl('trouver.html') });
  const r = await page.evaluate(() => ({
    formShown: !!document.querySelector('.trouver-form') && !document.querySelector('.trouver-form').hidden,
    links: [...document.querySelectorAll('.trouver-nojs a')].map((a) => a.getAttribute('href')),
  }));
  const failures = [];
  if (r.formShown) failures.push('the form is shown without JavaScript');
  if (!r.links.some((h) => h.startsWith('publics/'))) failures.push('no link to the pages by public');
  if (!r.links.some((h) => h.startsWith('etapes/'))) failures.push('no link to the pages by stage');
  return failures;
}

export async function run(t) {
  if (!t.pages.includes('trouver.html')) return [{ sub: 'file', page: 'trouver.html', failures: ['trouver.html is missing'] }];
  return [
    { sub: 'file', page: 'trouver.html', failures: await answer(t, t.fileUrl('trouver.html')) },
    { sub: 'http', page: 'trouver.html', failures: await answer(t, t.httpUrl('trouver.html')) },
    { sub: 'nojs', page: 'trouver.html', failures: await nojs(t) },
  ];
}
