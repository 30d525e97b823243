// Normalises texts with the search core of js/recherche.js, for tests/search_normalise.rs.
// stdin: a JSON array of texts. stdout: a JSON array of [fold, words, terms] per text,
// words and terms joined by one space.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const core = require(path.join(here, '../../themes/default/static/js/recherche.js'));

const texts = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = texts.map((t) => [core.fold(t), core.words(t).join(' '), core.terms(t).join(' ')]);
process.stdout.write(JSON.stringify(out));
