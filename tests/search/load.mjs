// Loads a built search index into the real search core (js/recherche-*.js) in node, as
// the page does: search-index.js and, for an index split into parts (issue #8), the
// parts each query asks for, each a script that registers itself. For relevance.mjs
// and parts.mjs.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// Results whose documents the page shows (MAX_SHOWN in recherche.js).
export const SHOWN = 50;

// The search scripts, in the order recherche.html loads them: DIR/recherche.html's
// when DIR is a built site, else (no DIR) the theme's template: the page lists them
// once.
export function coreScripts(dir) {
  const theme = path.join(here, '../../themes/default');
  const built = dir && path.join(dir, 'recherche.html');
  const [page, js] = built && fs.existsSync(built)
    ? [built, path.join(dir, 'js')]
    : [path.join(theme, 'templates/recherche.html'), path.join(theme, 'static/js')];
  const names = [...fs.readFileSync(page, 'utf8').matchAll(/<script[^>]*\bsrc="?[^">]*?\bjs\/(recherche[\w-]*\.js)/g)].map((m) => m[1]);
  if (names.length === 0) throw new Error(`no search script in ${page}`);
  return names.map((n) => path.join(js, n));
}

// The search core, FichesRecherche: the search scripts run in order, as the page
// runs them (the page script itself does nothing without a document).
export function searchCore(dir) {
  const context = vm.createContext({ window: {} });
  for (const file of coreScripts(dir)) run(file, context);
  return context.FichesRecherche;
}

// Scripts run as the browser runs them, in a context with `window`.
function run(file, context) {
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
}

// An engine on DIR/search-index.js, with nothing else loaded yet. `search` answers
// like the page: it loads the parts a query misses (and those of the documents
// shown) until nothing is missing; `loaded` lists the files read so far.
export function openIndex(dir, core = searchCore(dir)) {
  const context = vm.createContext({ window: {} });
  const meta = path.join(dir, 'search-index.js');
  run(meta, context);
  const index = context.window.FICHES_INDEX;
  if (!index) throw new Error(`no index in ${meta}: build the site first`);
  const engine = new core.Engine(index);
  const loaded = [meta];
  const load = (names) => {
    for (const name of names) {
      const file = path.join(dir, 'search', `${name}.js`);
      run(file, context);
      loaded.push(file);
    }
    for (const part of context.window.FICHES_PARTS.splice(0)) engine.add(part);
  };
  const search = (query, filters) => {
    for (let rounds = 0; ; rounds++) {
      const need = [];
      const hits = engine.search(query, filters, need);
      if (need.length === 0 && engine.parts) engine.docParts(hits.slice(0, SHOWN), need);
      if (need.length === 0) return { hits, rounds };
      if (rounds >= 20) throw new Error(`"${query}": still missing parts after 20 rounds: ${need}`);
      load(need);
    }
  };
  return { index, engine, loaded, search };
}
