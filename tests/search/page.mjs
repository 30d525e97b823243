// Asks the real search page (recherche.html, in Chromium through playwright-core) a
// query, the way a reader does: the query typed in the box and the form submitted (the
// page is loaded once, at the first query). Gives the links it then shows, best first:
// those of the definition boxes, then the results. For relevance.mjs and compare.mjs.
export async function askPage(page, base, q) {
  if (!page.url().startsWith(`${base}recherche.html`)) {
    await page.goto(`${base}recherche.html`);
    await page.waitForFunction(() => window.FICHES_INDEX && document.getElementById('search-form'), null, { timeout: 20_000 });
  }
  await page.evaluate((query) => {
    document.getElementById('q').value = query;
    document.getElementById('search-form').requestSubmit();
  }, q);
  // A one-file index answers at once; an index in parts may load some first.
  await page.waitForFunction(() => !document.getElementById('search-results').hasAttribute('aria-busy'), null, { timeout: 20_000 });
  return page.evaluate(() => [
    ...document.querySelectorAll('#search-results .search-definition a, #search-results ol > li a'),
  ].map((a) => a.getAttribute('href')));
}
