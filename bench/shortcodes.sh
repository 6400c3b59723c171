#!/usr/bin/env bash
# Does a shortcode in every page slow the default build? The same generated
# site twice (bench/compare.sh's corpus): once as written, once with
# GEN_SHORTCODES=1 (a callout block, an only(tiers=[1]) block and a button
# in every page). Each run builds both, in turn, with search on (the
# default), each into a new output folder (a path never used before); medians of wall time and peak
# RSS are printed as a markdown table.
#
#   bench/shortcodes.sh [pages] [partners] [runs]   (default 10000 500 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PAGES=${1:-10000}
PARTNERS=${2:-500}
RUNS=${3:-5}
DIR=${BENCH_DIR:-/tmp/partnersite-bench}/shortcodes
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build --release --quiet --bin partnersite --example gen_site)
BIN=$TARGET/release/partnersite
GEN=$TARGET/release/examples/gen_site
rm -rf "$DIR"
mkdir -p "$DIR/out"
"$GEN" "$DIR/plain" "$PAGES" "$PARTNERS" >/dev/null
GEN_SHORTCODES=1 "$GEN" "$DIR/shortcodes" "$PAGES" "$PARTNERS" >/dev/null
grep -q 'callout(kind' "$DIR/shortcodes/content/section-00/page-0000.md"
! grep -q 'callout(kind' "$DIR/plain/content/section-00/page-0000.md"

declare -A WALL RSS
for run in $(seq 1 "$RUNS"); do
  for site in plain shortcodes; do
    out=$DIR/out/$site-$run
    /usr/bin/time -f '%e %M' -o "$DIR/time" "$BIN" build --root "$DIR/$site" --out "$out" 2>"$DIR/log" ||
      { cat "$DIR/log" >&2; exit 1; }
    read -r wall rss <"$DIR/time"
    WALL[$site]+="$wall "
    RSS[$site]+="$rss "
  done
done
# Deleted at the end only: nothing is deleted right before a timed write.
rm -rf "$DIR/out"
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "partnersite $(git -C "$ROOT" rev-parse --short HEAD), $PAGES pages, $PARTNERS partners, $RUNS runs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| site | wall (median) | peak RSS (median) | walls |"
echo "| --- | ---: | ---: | --- |"
for site in plain shortcodes; do
  w=$(median <<<"${WALL[$site]}")
  r=$(median <<<"${RSS[$site]}")
  echo "| $site | ${w} s | $((${r%.*} / 1024)) MiB | ${WALL[$site]}|"
done
