// Page discovery and URL helpers.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Every *.html file under `root`, as sorted POSIX-style relative paths. */
export function findPages(root) {
  const out = [];
  const walk = (dir, prefix) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(path.join(dir, ent.name), rel);
      else if (ent.isFile() && /\.html?$/i.test(ent.name)) out.push(rel);
    }
  };
  walk(root, '');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function httpUrl(base, rel) {
  return base + rel.split('/').map(encodeURIComponent).join('/');
}

export function fileUrl(root, rel) {
  return pathToFileURL(path.join(path.resolve(root), ...rel.split('/'))).href;
}
