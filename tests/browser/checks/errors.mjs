// The page loads cleanly with JavaScript on, over http and from file:// (the site must work from a
// USB key): no uncaught script error, no console error (this includes CSP reports and blocked
// fetches), no failed request to the site itself.  Results "errors:http" and "errors:file".
export const name = 'errors';
export const scope = 'page';

async function load(t, url, isLocal) {
  const errs = [];
  const page = await t.open({
    url,
    beforeGoto: (p) => {
      p.on('pageerror', (e) => errs.push(`uncaught error: ${String(e.message).split('\n')[0]}`));
      p.on('console', (m) => {
        if (m.type() !== 'error') return;
        const loc = m.location();
        if (loc && /\/favicon\.ico$/.test(loc.url || '')) return; // Chromium asks for it on its own
        errs.push(`console error: ${m.text().split('\n')[0].slice(0, 200)}${loc && loc.url ? ` (${loc.url.split('/').pop()}:${loc.lineNumber})` : ''}`);
      });
      p.on('requestfailed', (r) => {
        if (isLocal(r.url()) && !/favicon\.ico$/.test(r.url())) errs.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
      });
      p.on('response', (r) => {
        if (r.status() >= 400 && isLocal(r.url()) && !/favicon\.ico$/.test(r.url())) errs.push(`HTTP ${r.status()} for ${r.url()}`);
      });
    },
  });
  // give deferred scripts and timers started on load a moment to fail
  await page.waitForTimeout(100);
  return [...new Set(errs)];
}

export async function run(t) {
  return {
    http: await load(t, t.url, (u) => u.startsWith(t.serverUrl)),
    file: await load(t, t.fileUrl, (u) => u.startsWith('file:')),
  };
}
