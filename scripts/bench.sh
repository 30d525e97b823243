#!/usr/bin/env bash
# Benchmark of `fiches build` on synthetic guides (issue 8). Not run in CI.
#
#   scripts/bench.sh [SIZE...]        default sizes: 100 1000 10000
#
# For each size, examples/synth_guide.rs writes a guide of SIZE realistic cards
# (French text, full front matter, links between cards, glossary terms, about
# 4 KB of Markdown each) under $BENCH_DIR, and the same corpus as a Hugo site
# and an mdBook. Then it measures, median of $RUNS runs, whole-process wall
# time and peak memory (GNU time's maximum resident set size):
#   - fiches build, cold: the output folder is removed before each run;
#   - fiches build, warm: a rebuild over the previous output (unchanged files
#     are linked, not written again);
#   - hugo --minify (cold) and mdbook build, when they are installed.
# Everything fiches does is on: glossary, links, lints, search index,
# orientation data, full-guide page, minification; the synthetic guides have
# no PDF nor offline zip (issue 16: a guide of 10,000 cards would be a PDF of
# some 30,000 pages). Then the real guide (this repository), as published:
# with its PDFs and offline zip, and without them (pdf = false,
# offline_zip = false), from a copy under $BENCH_DIR/real.
#
# BASELINE=DIR also measures another build of fiches, side by side, in the
# same run: DIR holds its binary (DIR/target/release/fiches) and its theme
# (DIR/themes/default), e.g. a worktree of main built with
# `cargo build --release`; its rows say "baseline".
# Environment: RUNS (default 5), BENCH_DIR (default /tmp/fiches-bench),
# SKIP_PEERS=1 to measure fiches only, MDBOOK_MAX (default 1000): mdBook is
# quadratic (8 minutes per run at 10,000 chapters), bigger sizes are skipped.
# Needs GNU time (Debian package `time`); hugo is the Debian package `hugo`,
# mdbook comes from `cargo install mdbook`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/fiches-bench}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100 1000 10000)
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
  echo "error: GNU time is missing: apt-get install -y time" >&2
  exit 1
fi

cargo build --release --quiet --bin fiches --example synth_guide
FICHES=$PWD/target/release/fiches
GEN=$PWD/target/release/examples/synth_guide
HUGO=$(command -v hugo || true)
MDBOOK=$(command -v mdbook || true)
if [ "${SKIP_PEERS:-0}" = 1 ]; then HUGO=; MDBOOK=; fi

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# measure NAME CARDS OUT PREP -- CMD...: runs PREP then CMD $RUNS times, prints a table row.
measure() {
  local name=$1 cards=$2 out=$3 prep=$4
  shift 5
  local walls=() rss=() cpus=() log
  log=$(mktemp)
  for _ in $(seq "$RUNS"); do
    eval "$prep"
    if ! "$TIME" -f "%e %M %U %S" -o "$log" "$@" >/dev/null 2>"$log.err"; then
      echo "| $name | $cards | failed: $(tail -1 "$log.err") | | | |"
      rm -f "$log" "$log.err"
      return
    fi
    read -r w m u s <"$log"
    walls+=("$w")
    rss+=("$m")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
  done
  local wall mem cpu pages
  wall=$(printf '%s\n' "${walls[@]}" | median)
  mem=$(printf '%s\n' "${rss[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  pages=$(find "$out" -name '*.html' | wc -l)
  awk -v n="$name" -v c="$cards" -v w="$wall" -v t="$cpu" -v m="$mem" -v p="$pages" 'BEGIN {
    printf "| %s | %d | %.3f s | %.2f s | %d pages, %.0f pages/s | %.0f MiB |\n", n, c, w, t, p, (w > 0 ? p / w : 0), m / 1024 }'
  rm -f "$log" "$log.err"
}

echo "## Machine"
echo
echo "- $(nproc) cores: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "- $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr), $(rustc --version)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$HUGO" ] && echo "- $("$HUGO" version | cut -d' ' -f1-2)"
[ -n "$MDBOOK" ] && echo "- $("$MDBOOK" --version)"
echo "- median of $RUNS runs; whole-process wall time; CPU time (user + system, all threads:"
echo "  steadier than wall time on a shared machine); peak resident memory"
echo
echo "| tool | cards | wall time | CPU time | output | peak memory |"
echo "| --- | --- | --- | --- | --- | --- |"
for n in "${SIZES[@]}"; do
  dir=$BENCH_DIR/$n
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$GEN" "$n" "$dir/fiches" --hugo "$dir/hugo" --mdbook "$dir/mdbook"
    touch "$dir/.complete"
  fi
  out=$dir/out
  if [ -n "${BASELINE:-}" ]; then
    base=$dir/baseline
    rm -rf "$base"
    "$GEN" "$n" "$base" --theme "$BASELINE/themes/default" >/dev/null
    measure "fiches build (cold), baseline" "$n" "$out/base" "rm -rf '$out/base'" -- \
      "$BASELINE/target/release/fiches" --root "$base" build --out "$out/base"
    measure "fiches build (warm), baseline" "$n" "$out/base" ":" -- \
      "$BASELINE/target/release/fiches" --root "$base" build --out "$out/base"
  fi
  measure "fiches build (cold)" "$n" "$out/fiches" "rm -rf '$out/fiches'" -- \
    "$FICHES" --root "$dir/fiches" build --out "$out/fiches"
  measure "fiches build (warm)" "$n" "$out/fiches" ":" -- \
    "$FICHES" --root "$dir/fiches" build --out "$out/fiches"
  if [ -n "$HUGO" ]; then
    measure "hugo --minify" "$n" "$out/hugo" "rm -rf '$out/hugo'" -- \
      "$HUGO" --quiet --minify -s "$dir/hugo" -d "$out/hugo"
  fi
  if [ -n "$MDBOOK" ] && [ "$n" -gt "${MDBOOK_MAX:-1000}" ]; then
    echo "| mdbook build | $n | skipped (MDBOOK_MAX=${MDBOOK_MAX:-1000}) | | | |"
  elif [ -n "$MDBOOK" ]; then
    measure "mdbook build" "$n" "$out/mdbook" "rm -rf '$out/mdbook'" -- \
      "$MDBOOK" build "$dir/mdbook" -d "$out/mdbook"
  fi
done

# The real guide, with and without its PDFs and offline zip (issue 16).
real=$BENCH_DIR/real
rm -rf "$real"
mkdir -p "$real/with" "$real/without"
for d in with without; do
  cp -r content themes guide.toml "$real/$d/"
  if [ -d static ]; then cp -r static "$real/$d/"; fi
done
{ printf 'pdf = false\noffline_zip = false\n'; cat guide.toml; } >"$real/without/guide.toml"
n=$(find content -name '*.md' | wc -l)
measure "fiches build, real guide, PDFs and zip" "$n" "$real/out" "rm -rf '$real/out'" -- \
  "$FICHES" --root "$real/with" build --out "$real/out"
measure "fiches build, real guide, no PDF nor zip" "$n" "$real/out" "rm -rf '$real/out'" -- \
  "$FICHES" --root "$real/without" build --out "$real/out"
