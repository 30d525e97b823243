// Loads a built search index into the real search core (js/recherche.js) in node, as
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

// The search core: DIR/js/recherche.js when the build copied it, else the theme's.
export function searchCore(dir) {
  const file = [path.join(dir, 'js/recherche.js'), path.join(here, '../../themes/default/static/js/recherche.js')]
    .find((f) => fs.existsSync(f));
  const module = { exports: {} };
  vm.runInContext(fs.readFileSync(file, 'utf8'), vm.createContext({ window: {}, module }), { filename: file });
  return module.exports;
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
