// axe-core, WCAG 2.0/2.1/2.2 A and AA rules plus best practices, zero violations allowed,
// once with prefers-color-scheme: light and once with dark (results "axe:light", "axe:dark").
export const name = 'axe';
export const scope = 'page';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export async function axeViolations(page, axeScriptPath, { tags = AXE_TAGS, context } = {}) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: axeScriptPath });
  }
  const violations = await page.evaluate(async ({ tags, context }) => {
    const res = await window.axe.run(context ?? document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(' '),
        message: (n.any[0] || n.all[0] || n.none[0] || {}).message || '',
      })),
    }));
  }, { tags, context });
  return violations.map((v) => {
    const targets = v.nodes.slice(0, 3).map((n) => n.target).join(', ') + (v.nodes.length > 3 ? `, … (${v.nodes.length} nodes)` : '');
    const msg = v.nodes[0]?.message ? ` — ${v.nodes[0].message.replace(/\s+/g, ' ').slice(0, 220)}` : '';
    return `${v.id} (${v.impact}): ${v.help} — at ${targets}${msg}`;
  });
}

// Switching the scheme on the loaded page (instead of loading it again) halves the cost; CSS
// transitions are turned off first so that colours are measured at their final value.
export const NO_TRANSITIONS_CSS = '*, *::before, *::after { transition: none !important; animation: none !important; }';

export async function run(t) {
  const page = await t.open({ colorScheme: 'light' });
  const light = await axeViolations(page, t.axeScriptPath);
  await page.addStyleTag({ content: NO_TRANSITIONS_CSS });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  const dark = await axeViolations(page, t.axeScriptPath);
  return { light, dark };
}
