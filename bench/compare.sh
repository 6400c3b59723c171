#!/usr/bin/env bash
# Side-by-side benchmark of partnersite and Hugo on the same generated
# markdown (DESIGN.md shape), with equivalent minimal templates, no code
# highlighting, output on the local disk. Runs the two tools in alternation
# and prints the median wall time and peak memory of each, and the ratio.
#
#   bench/compare.sh [pages] [partners] [runs]      (default 10000 500 5)
#
# Installs Hugo from Debian if it is missing. Everything happens under
# $BENCH_DIR (default /tmp/partnersite-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-10000}
PARTNERS=${2:-500}
RUNS=${3:-5}
DIR=${BENCH_DIR:-/tmp/partnersite-bench}

if ! command -v hugo >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo
fi
cargo build --release --quiet --bin partnersite --example gen_site
BIN=$PWD/target/release/partnersite

# The same markdown for both tools.
./target/release/examples/gen_site "$DIR/pages" "$PAGES" 0 >/dev/null
./target/release/examples/gen_site "$DIR/full" "$PAGES" "$PARTNERS" >/dev/null
for site in pages full; do
  cp -r bench/partnersite/templates "$DIR/$site/"
  printf 'highlight_code = false\nsearch = false\n' >> "$DIR/$site/site.toml"
done
rm -rf "$DIR/hugo" && mkdir -p "$DIR/hugo"
cp -r bench/hugo/layouts bench/hugo/config.toml "$DIR/hugo/"
cp -r "$DIR/pages/content" "$DIR/hugo/content"

measure() { # prints "seconds kib"
  /usr/bin/time -f '%e %M' -o "$DIR/time" "$@" >/dev/null 2>"$DIR/stderr" || { cat "$DIR/stderr"; exit 1; }
  cat "$DIR/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Both tools rebuild over their previous output, as in daily use: one
# untimed warm-up run each creates it (and fills the page cache).
rm -rf "$DIR/out-ps" "$DIR/out-hugo" "$DIR/out-full"
measure "$BIN" build --root "$DIR/pages" --out "$DIR/out-ps" >/dev/null
measure hugo --quiet --source "$DIR/hugo" --destination "$DIR/out-hugo" >/dev/null
measure "$BIN" build --root "$DIR/full" --out "$DIR/out-full" >/dev/null
: > "$DIR/ps.txt"; : > "$DIR/hugo.txt"; : > "$DIR/full.txt"
for i in $(seq "$RUNS"); do
  measure "$BIN" build --root "$DIR/pages" --out "$DIR/out-ps" >> "$DIR/ps.txt"
  measure hugo --quiet --source "$DIR/hugo" --destination "$DIR/out-hugo" >> "$DIR/hugo.txt"
  measure "$BIN" build --root "$DIR/full" --out "$DIR/out-full" >> "$DIR/full.txt"
done

ps_t=$(cut -d' ' -f1 "$DIR/ps.txt" | median);   ps_m=$(cut -d' ' -f2 "$DIR/ps.txt" | median)
hu_t=$(cut -d' ' -f1 "$DIR/hugo.txt" | median); hu_m=$(cut -d' ' -f2 "$DIR/hugo.txt" | median)
fu_t=$(cut -d' ' -f1 "$DIR/full.txt" | median); fu_m=$(cut -d' ' -f2 "$DIR/full.txt" | median)
echo "hugo:  $(hugo version | cut -d' ' -f2)"
printf '%-48s %8s s %8s MiB\n' "Hugo, $PAGES pages" "$hu_t" "$((hu_m / 1024))"
printf '%-48s %8s s %8s MiB\n' "partnersite, $PAGES pages" "$ps_t" "$((ps_m / 1024))"
printf '%-48s %8s s %8s MiB\n' "partnersite, $PAGES pages + $PARTNERS partners" "$fu_t" "$((fu_m / 1024))"
awk -v a="$ps_t" -v b="$hu_t" -v c="$fu_t" 'BEGIN { printf "ratio partnersite/Hugo: pages only %.3f, full build %.3f (target ≤ 0.25)\n", a/b, c/b }'
