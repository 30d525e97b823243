// Normalises texts with the search core of js/recherche-texte.js, for tests/search_normalise.rs.
// stdin: a JSON array of texts. stdout: a JSON array of [fold, words, terms] per text,
// words and terms joined by one space.
import fs from 'node:fs';
import { searchCore } from './load.mjs';

const core = searchCore(); // the theme's scripts, never those of a site built earlier

const texts = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = texts.map((t) => [core.fold(t), core.words(t).join(' '), core.terms(t).join(' ')]);
process.stdout.write(JSON.stringify(out));
