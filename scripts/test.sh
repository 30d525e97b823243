#!/usr/bin/env bash
# Run every test of fiches on a fresh machine, with no standard input:
#   1. install what is missing: Chromium, poppler-utils (pdftotext, pdfinfo), unzip, DejaVu fonts
#      (Debian packages), the browser suite's npm packages from tests/browser/package-lock.json
#      (npm ci), and the search peers' (Pagefind, lunr) from tests/search/package-lock.json;
#   2. cargo test --release                      (all Rust tests);
#   3. cargo run --release -- check --strict     (the real guide: no error and no warning, issue 19);
#      cargo run --release -- build              (writes public/);
#   4. node tests/browser/run.mjs public         (the browser suite, see tests/browser/README.md);
#   5. the browser suite's links and search checks on the offline copy (guide-hors-ligne.zip,
#      unpacked with unzip), from file://;
#   6. the print check again on a build with a public address (--base-url), as published:
#      each fiche then prints its address and QR code;
#   7. cargo check for Windows (rustup target x86_64-pc-windows-gnu and the MinGW-w64 C
#      compiler, Debian gcc-mingw-w64-x86-64-posix, installed if missing); with
#      FICHES_WINE=1, also the .exe cross-built and `fiches check` / `fiches build` on the
#      fixture site under Wine (wine64, installed by apt if missing).
# Extra arguments are passed to the browser suite (e.g. --jobs 2, --only axe, --pages 'fiches/').
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq </dev/null; apt_updated=1; fi
  as_root apt-get install -y -qq "$@" </dev/null
}

# --- system packages -------------------------------------------------------------------------
if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/liberation ]; then
  echo "== installing chromium poppler-utils unzip fonts-dejavu-core fonts-liberation (apt)"
  apt_install chromium poppler-utils unzip fonts-dejavu-core fonts-liberation
fi
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "== installing nodejs npm (apt)"
  apt_install nodejs npm
fi
if [ "$(node_major)" -lt 20 ]; then
  echo "error: the browser suite needs Node.js >= 20 (playwright-core), found $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo not found (install the Rust toolchain)" >&2
  exit 1
fi

# --- npm packages of the browser suite (exact versions from the committed lock file) -----------
if [ ! -f tests/browser/node_modules/playwright-core/package.json ] \
  || [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] \
  || ! cmp -s <(node -p 'const l=require("./tests/browser/package-lock.json").packages; ["axe-core","playwright-core"].map(n=>l["node_modules/"+n].version).join(" ")') \
              <(node -p '["axe-core","playwright-core"].map(n=>require("./tests/browser/node_modules/"+n+"/package.json").version).join(" ")' 2>/dev/null); then
  echo "== npm ci --prefix tests/browser"
  npm ci --prefix tests/browser --no-audit --no-fund </dev/null
fi

# --- npm packages of the search comparison (Pagefind, lunr and its French pipeline) ------------
if ! cmp -s <(node -p 'const l=require("./tests/search/package-lock.json").packages; ["lunr","lunr-languages","pagefind"].map(n=>l["node_modules/"+n].version).join(" ")') \
            <(node -p '["lunr","lunr-languages","pagefind"].map(n=>require("./tests/search/node_modules/"+n+"/package.json").version).join(" ")' 2>/dev/null); then
  echo "== npm ci --prefix tests/search"
  npm ci --prefix tests/search --no-audit --no-fund </dev/null
fi

# --- tests -------------------------------------------------------------------------------------
echo "== cargo test --release"
cargo test --release </dev/null

echo "== cargo run --release -- check --strict (the real guide must have no warning)"
cargo run --release -- check --strict </dev/null

echo "== cargo run --release -- build"
cargo run --release -- build </dev/null

echo "== node tests (orientation page filtering, on the real guide)"
node --test tests/trouver/ </dev/null

echo "== search relevance (tests/data/search_*.tsv, the search page in Chromium, http and file://)"
node tests/search/relevance.mjs public </dev/null

echo "== search compared with Pagefind and lunr (same pages, queries and browser; not a gate)"
node tests/search/compare.mjs public </dev/null || echo "warning: the search comparison could not run"

echo "== browser suite on public/"
node tests/browser/run.mjs public "$@" </dev/null

echo "== the offline copy (guide-hors-ligne.zip), unpacked: links and search from file://"
offline="$(mktemp -d)"
unzip -q public/guide-hors-ligne.zip -d "$offline" </dev/null
node tests/browser/run.mjs "$offline/guide-hors-ligne" --only links,search </dev/null
rm -rf "$offline"

echo "== print check on a build with a public address (as the publish workflows build it)"
published="$(mktemp -d)"
trap 'rm -rf "$published"' EXIT
cargo run --release -- build --base-url https://prith-hdf.github.io/fiches/ --out "$published/site" </dev/null
node tests/browser/run.mjs "$published/site" --only print </dev/null

echo "== browser suite on the fixture site's page with an image (axe, 320 px, print)"
cargo run --release -- --root tests/fixtures/site build --out "$published/fixture" </dev/null
node tests/browser/run.mjs "$published/fixture" --only axe,reflow,print --pages 'parcours/' </dev/null

echo "== cargo check --target x86_64-pc-windows-gnu (the code compiles for Windows)"
if ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
  rustup target add x86_64-pc-windows-gnu </dev/null
fi
# ring (under ureq, for `fiches links`) compiles C for the target: it needs the MinGW-w64 compiler.
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  apt_install gcc-mingw-w64-x86-64-posix
fi
cargo check --release --target x86_64-pc-windows-gnu </dev/null

if [ "${FICHES_WINE:-0}" = 1 ]; then
  echo "== fiches.exe under Wine: check and build of tests/fixtures/site"
  if ! command -v wine >/dev/null 2>&1; then
    apt_install wine64
  fi
  cargo build --release --target x86_64-pc-windows-gnu </dev/null
  exe=target/x86_64-pc-windows-gnu/release/fiches.exe
  wine_out="$(mktemp -d)"
  export WINEDEBUG=-all WINEPREFIX="$wine_out/prefix"
  wine "$exe" --root tests/fixtures/site check </dev/null
  wine "$exe" --root tests/fixtures/site build --out "$wine_out/site" </dev/null
  test -f "$wine_out/site/index.html" && test -f "$wine_out/site/fiches/poe.html"
  # A second build replaces the folder (the Windows path of write.rs: rename aside, rename in).
  wine "$exe" --root tests/fixtures/site build --out "$wine_out/site" </dev/null
  test -f "$wine_out/site/.fiches-sortie"
  rm -rf "$wine_out"
fi
