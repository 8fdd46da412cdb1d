#!/bin/sh
# Side-by-side benchmarks: Porthole and its peers in one hyperfine run, on
# the same input; prints each pair's medians and their ratio.
# Usage: tests/bench/run.sh [BUILD_DIR [SECTION...]]
#   BUILD_DIR defaults to build; SECTION is import or run (default: both).
#   RUNS sets the number of timed runs (default 5 per import, 20 per run).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build}
[ $# -gt 0 ] && shift
sections=${*:-import run}
porthole=$build/app/porthole
[ -x "$porthole" ] || { echo "bench: $porthole not built" >&2; exit 1; }
for tool in hyperfine podman runc python3; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (installer/install-deps.sh test)" >&2; exit 1; }
done

work=${BENCH_DIR:-/var/tmp/porthole-bench}
mkdir -p "$work"
results=$repo/tests/bench/results
mkdir -p "$results"

rootfs=$work/rootfs.tar

ratio() { # NAME JSON: one line per peer: both medians and porthole's speed-up
  python3 - "$1" "$2" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))["results"]
p = r[0]  # Porthole is always the first command, its peers follow.
for q in r[1:]:
    x = q['median'] / p['median']
    verdict = f"{x:.2f}x faster" if x >= 1 else f"{1 / x:.2f}x slower"
    print(f"{name}: porthole {p['median']:.3f} s, {q['command'].split()[0]} {q['median']:.3f} s "
          f"(medians of {len(p['times'])}); porthole is {verdict}")
PY
}

import_bench() { # INPUT LABEL
  input=$1; label=$2
  proot=$work/porthole-root; pstore=$work/podman-storage
  hyperfine --warmup 1 --runs "${RUNS:-5}" \
    --prepare "rm -rf $proot" \
    --command-name "porthole import ($label)" "PORTHOLE_NO_DEMO=1 $porthole --root $proot import $input bench/import:x" \
    --prepare "rm -rf $pstore $work/podman-run" \
    --command-name "podman import ($label)" "podman --root $pstore --runroot $work/podman-run import $input bench/import:x" \
    --export-json "$results/import-$label.json" >/dev/null
  ratio "import $(du -m "$input" | cut -f1) MB $label" "$results/import-$label.json"
}

# The run section's state: three engines' stores, one container name each.
rw=$work/run
runc_id="porthole-bench"
podman_cmd="podman --root $rw/podman-storage --runroot $rw/podman-run --tmpdir $rw/podman-tmp"

cleanup_run() { # Every container, runc state and mount the run section made.
  [ -d "$rw" ] || return 0
  runc --root "$rw/runc-state" delete --force "$runc_id" >/dev/null 2>&1 || true
  $podman_cmd rm --all --force >/dev/null 2>&1 || true
  if [ -x "$porthole" ] && [ -d "$rw/porthole-root" ]; then
    ids=$("$porthole" --root "$rw/porthole-root" ps --all --quiet 2>/dev/null || true)
    # shellcheck disable=SC2086 # one ID per word
    [ -z "$ids" ] || "$porthole" --root "$rw/porthole-root" rm --force $ids >/dev/null 2>&1 || true
  fi
  # Deepest first; a busy mount is detached rather than left behind.
  awk -v top="$rw" 'index($2, top "/") == 1 || $2 == top { print $2 }' /proc/self/mounts |
    sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  rm -rf "$rw"
}

run_bench() { # `run --rm --network none IMAGE true` against runc and podman
  cleanup_run
  mkdir -p "$rw"
  "$here/prepare-runc-bundle.sh" "$porthole" "$rw/porthole-root" "$rw/bundle"
  $podman_cmd import "$rw/bundle/rootfs.tar" localhost/demo:latest >"$rw/podman-import.log" 2>&1 || {
    cat "$rw/podman-import.log" >&2; echo "bench: podman import failed" >&2; exit 1; }
  # One run of each outside hyperfine, so a broken peer says why.
  "$porthole" --root "$rw/porthole-root" run --rm --network none localhost/demo true
  runc --root "$rw/runc-state" run --bundle "$rw/bundle" "$runc_id"
  $podman_cmd run --rm --network none localhost/demo true || {
    echo "bench: podman run failed; is installer/configure-podman.sh applied?" >&2; exit 1; }
  # No shell in between: a shell's spawn is a large share of a 20 ms run.
  hyperfine -N --warmup 3 --runs "${RUNS:-20}" \
    --command-name "porthole run" "$porthole --root $rw/porthole-root run --rm --network none localhost/demo true" \
    --command-name "runc run" "runc --root $rw/runc-state run --bundle $rw/bundle $runc_id" \
    --command-name "podman run" "$podman_cmd run --rm --network none localhost/demo true" \
    --export-json "$results/run.json" >/dev/null
  ratio "run --rm --network none busybox true" "$results/run.json"
  cleanup_run
}

trap cleanup_run EXIT
trap 'exit 130' INT TERM

echo "Porthole benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores)"
for section in $sections; do
  case $section in
    import)
      [ -s "$rootfs" ] || "$here/make-rootfs.sh" "$rootfs" 200
      [ -s "$rootfs.gz" ] || gzip -1 -c "$rootfs" > "$rootfs.gz"
      import_bench "$rootfs" tar
      import_bench "$rootfs.gz" tar.gz
      rm -rf "$work/porthole-root" "$work/podman-storage" "$work/podman-run" ;;
    run) run_bench ;;
    *) echo "bench: unknown section $section (import or run)" >&2; exit 2 ;;
  esac
done
