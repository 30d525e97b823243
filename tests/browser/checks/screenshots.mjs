// Full-page screenshots (light scheme) of index.html and of the first page under fiches/, at 1280
// and 360 px wide, into tests/browser/screenshots/ (git-ignored), for a person to look at.
// Fails only when a screenshot cannot be taken.
import fs from 'node:fs';
import path from 'node:path';

export const name = 'screenshots';
export const scope = 'site';

export async function run(t) {
  const dir = path.join(t.suiteDir, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const targets = [];
  if (t.pages.includes('index.html')) targets.push(['index.html', 'index']);
  const fiche = t.pages.find((p) => p.startsWith('fiches/'));
  if (fiche) targets.push([fiche, `fiche-${path.basename(fiche, '.html')}`]);
  else process.stderr.write('screenshots: no page under fiches/, only index.html is captured\n');
  const out = [];
  for (const [rel, stem] of targets) {
    const failures = [];
    for (const width of [1280, 360]) {
      try {
        const page = await t.open({ url: t.httpUrl(rel), viewport: { width, height: 800 } });
        await page.screenshot({ path: path.join(dir, `${stem}-${width}.png`), fullPage: true });
      } catch (e) {
        failures.push(`screenshot at ${width} px failed: ${String(e.message).split('\n')[0]}`);
      }
    }
    out.push({ page: rel, failures });
  }
  if (!targets.length) out.push({ page: 'index.html', failures: ['no index.html to capture'] });
  return out;
}
