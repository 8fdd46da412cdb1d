#!/bin/sh
# Side-by-side benchmarks: Porthole and its peer in one run, on the same
# input, with hyperfine; prints each pair's medians and their ratio.
# Usage: tests/bench/run.sh [BUILD_DIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build}
porthole=$build/app/porthole
[ -x "$porthole" ] || { echo "bench: $porthole not built" >&2; exit 1; }
for tool in hyperfine podman python3; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing (installer/install-deps.sh test)" >&2; exit 1; }
done

work=${BENCH_DIR:-/var/tmp/porthole-bench}
mkdir -p "$work"
results=$repo/tests/bench/results
mkdir -p "$results"

rootfs=$work/rootfs.tar
[ -s "$rootfs" ] || "$here/make-rootfs.sh" "$rootfs" 200
[ -s "$rootfs.gz" ] || gzip -1 -c "$rootfs" > "$rootfs.gz"

ratio() { # NAME JSON: prints "NAME: porthole median X s, peer median Y s, peer/porthole = R"
  python3 - "$1" "$2" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))["results"]
p, q = r[0], r[1]
print(f"{name}: porthole {p['median']:.3f} s, {q['command'].split()[0]} {q['median']:.3f} s (medians of {len(p['times'])}); "
      f"porthole is {q['median'] / p['median']:.2f}x faster")
PY
}

import_bench() { # INPUT LABEL
  input=$1; label=$2
  proot=$work/porthole-root; pstore=$work/podman-storage
  hyperfine --warmup 1 --runs ${RUNS:-5} \
    --prepare "rm -rf $proot" \
    --command-name "porthole import ($label)" "PORTHOLE_NO_DEMO=1 $porthole --root $proot import $input bench/import:x" \
    --prepare "rm -rf $pstore $work/podman-run" \
    --command-name "podman import ($label)" "podman --root $pstore --runroot $work/podman-run import $input bench/import:x" \
    --export-json "$results/import-$label.json" >/dev/null
  ratio "import $(du -m "$input" | cut -f1) MB $label" "$results/import-$label.json"
}

echo "Porthole benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores)"
import_bench "$rootfs" tar
import_bench "$rootfs.gz" tar.gz
rm -rf "$work/porthole-root" "$work/podman-storage" "$work/podman-run"
