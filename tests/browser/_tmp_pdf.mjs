import { launchBrowser } from '/work/main/tests/browser/lib/browser.mjs';
const [,, url, out] = process.argv;
const b = await launchBrowser();
const p = await b.newPage();
await p.emulateMedia({ media: 'print' });
await p.goto(url, { waitUntil: 'load' });
await p.pdf({ path: out, format: 'A4', preferCSSPageSize: true, printBackground: true });
await b.close();
