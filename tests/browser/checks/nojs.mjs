// Reading needs no JavaScript: with JavaScript disabled the page still has an h1, a main,
// a nav, and its main has visible text.
export const name = 'nojs';
export const scope = 'page';

export async function run(t) {
  const page = await t.open({ js: false });
  const r = await page.evaluate(() => {
    const main = document.querySelector('main, [role="main"]');
    const visible = (el) => !!el && el.checkVisibility?.() !== false;
    return {
      h1: !!document.querySelector('h1'),
      h1Visible: visible(document.querySelector('h1')),
      main: !!main,
      mainText: main ? main.innerText.trim().length : 0,
      nav: !!document.querySelector('nav, [role="navigation"]'),
    };
  });
  const failures = [];
  if (!r.h1) failures.push('no <h1> without JavaScript');
  else if (!r.h1Visible) failures.push('the <h1> is not visible without JavaScript');
  if (!r.main) failures.push('no <main> without JavaScript');
  else if (r.mainText === 0) failures.push('<main> shows no text without JavaScript');
  if (!r.nav) failures.push('no <nav> without JavaScript');
  return failures;
}
