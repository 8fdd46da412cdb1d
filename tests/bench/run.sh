#!/bin/sh
# Side-by-side benchmarks: Porthole and its peers in one hyperfine run, on
# the same input; prints each pair's medians and their ratio.
# Usage: tests/bench/run.sh [BUILD_DIR [SECTION...]]
#   BUILD_DIR defaults to build; SECTION is import, run, pull, save, load,
#   commit or gui
#   (default: all). RUNS sets the number of timed runs (default 5 per import,
#   pull and save, 20 per run). pull serves the image of make-debian-image.sh
#   from a loopback docker-registry, or pulls BENCH_IMAGE if set (on a
#   loopback registry); save pulls that image into both stores first; load
#   loads podman's docker-archive of it into empty stores.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build}
[ $# -gt 0 ] && shift
sections=${*:-import run pull save load commit gui}
porthole=$build/app/porthole
[ -x "$porthole" ] || { echo "bench: $porthole not built" >&2; exit 1; }
for tool in hyperfine podman runc python3 skopeo losetup mkfs.ext4; do
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
  unmount_under "$rw"
  rm -rf "$rw"
}

unmount_under() { # DIR: deepest first; a busy mount is detached rather than left behind.
  awk -v top="$1" 'index($2, top "/") == 1 || $2 == top { print $2 }' /proc/self/mounts |
    sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
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
  # What the containment costs a run: the same run without the seccomp
  # filter (compiled from docker's profile at each start, loaded before
  # exec), and --privileged (no filter, no device rules or BPF program).
  hyperfine -N --warmup 3 --runs "${RUNS:-20}" \
    --command-name "porthole run" "$porthole --root $rw/porthole-root run --rm --network none localhost/demo true" \
    --command-name "porthole run (seccomp=unconfined)" "$porthole --root $rw/porthole-root run --rm --network none --security-opt seccomp=unconfined localhost/demo true" \
    --command-name "porthole run (--privileged)" "$porthole --root $rw/porthole-root run --rm --network none --privileged localhost/demo true" \
    --export-json "$results/run-containment.json" >/dev/null
  python3 - "$results/run-containment.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]['median']
for q in r[1:]:
    print(f"containment: {q['command']}: {q['median'] * 1000:.1f} ms; the default run costs "
          f"{(base - q['median']) * 1000:+.2f} ms more (medians of {len(q['times'])})")
PY
  cleanup_run
}

# The pull section's stores, on a file system of their own (see pull_bench).
pw=$work/pull
pull_img=$work/pull.img
pull_podman="podman --root $pw/podman-storage --runroot $pw/podman-run --tmpdir $pw/podman-tmp"

cleanup_pull() { # Containers, mounts, the loop device and the image file.
  [ -d "$pw" ] || [ -e "$pull_img" ] || return 0
  $pull_podman rm --all --force >/dev/null 2>&1 || true
  unmount_under "$pw"
  for dev in $(losetup --noheadings --output NAME --associated "$pull_img" 2>/dev/null); do
    losetup --detach "$dev" 2>/dev/null || true
  done
  rm -rf --one-file-system "$pw" "$pull_img"
}

mount_pull_fs() {
  # This machine's ext4 has no journal, and without one every inode
  # allocation skips, one by one, the inodes anybody freed in the last
  # seconds to minutes: a file creation cost 0.3-0.9 ms instead of 20 us, so
  # both pulls mostly measured other people's rm -rf (three quarters of a
  # pull's time in ext4's recently_deleted). Instead: a journaled ext4, as a
  # desktop has, on a loop device with direct I/O, so a sync still waits for
  # the disk.
  mkdir -p "$pw"
  truncate -s 4G "$pull_img"
  mkfs.ext4 -q -F "$pull_img"
  dev=$(losetup --find --show --direct-io=on --sector-size 4096 "$pull_img")
  mount "$dev" "$pw"
}

peak_rss() { # COMMAND...: runs COMMAND once, prints its peak RSS in MB
  /usr/bin/time -f %M -o "$pw/time.out" "$@" >"$pw/time.log" 2>&1 || {
    cat "$pw/time.log" >&2; echo "bench: $* failed" >&2; exit 1; }
  echo $(( $(tail -1 "$pw/time.out") / 1024 ))
}

pull_bench() { # BENCH_IMAGE into empty stores, podman alongside; then peak memory
  cleanup_pull
  mount_pull_fs
  # One pull each outside hyperfine, under /usr/bin/time: a broken peer says
  # why, the page cache holds the registry's blobs for both, and each image
  # must then start (ready to run means unpacked, not just downloaded).
  porthole_mb=$(peak_rss "$porthole" --root "$pw/porthole-root" pull "$BENCH_IMAGE")
  podman_mb=$(peak_rss $pull_podman pull --tls-verify=false "$BENCH_IMAGE")
  "$porthole" --root "$pw/porthole-root" run --rm --network none "$BENCH_IMAGE" git --version >/dev/null
  $pull_podman run --rm --network none "$BENCH_IMAGE" git --version >/dev/null || {
    echo "bench: podman run failed; is installer/configure-podman.sh applied?" >&2; exit 1; }
  for d in podman-storage podman-run; do unmount_under "$pw/$d"; done
  # Empty stores, and no dirty pages: no run pays for writing back another's.
  # podman's overlay driver leaves its home bind-mounted on itself.
  empty="while mountpoint -q $pw/podman-storage/overlay; do umount $pw/podman-storage/overlay; done
    rm -rf --one-file-system $pw/porthole-root $pw/podman-storage $pw/podman-run $pw/podman-tmp; sync"
  hyperfine --runs "${RUNS:-5}" \
    --prepare "$empty" \
    --command-name "porthole pull" "$porthole --root $pw/porthole-root pull $BENCH_IMAGE" \
    --prepare "$empty" \
    --command-name "podman pull" "$pull_podman pull --tls-verify=false $BENCH_IMAGE" \
    --export-json "$results/pull.json" >/dev/null
  size=$(skopeo inspect --raw --tls-verify=false "docker://$BENCH_IMAGE" |
    python3 -c 'import json, sys; m = json.load(sys.stdin); print(len(m["layers"]), "layers,", sum(l["size"] for l in m["layers"]) >> 20, "MB")')
  ratio "pull $size" "$results/pull.json"
  echo "pull peak memory: porthole $porthole_mb MB, podman $podman_mb MB (maximum RSS of one pull each)"
  cleanup_pull
}

# save: `porthole save` against `podman save`, both formats, the image of
# the pull section in both stores (pulled the same way, on the same file
# system). Porthole fsyncs the archive before renaming it into place
# (podman does not), so its times include writing it to the disk.
save_bench() {
  cleanup_pull
  mount_pull_fs
  "$porthole" --root "$pw/porthole-root" pull "$BENCH_IMAGE" >"$pw/pull.log" 2>&1 || {
    cat "$pw/pull.log" >&2; echo "bench: porthole pull failed" >&2; exit 1; }
  $pull_podman pull --quiet --tls-verify=false "$BENCH_IMAGE" >"$pw/pull.log" 2>&1 || {
    cat "$pw/pull.log" >&2; echo "bench: podman pull failed" >&2; exit 1; }
  out=$pw/save.tar
  for format in docker-archive oci-archive; do
    # One save each outside hyperfine, under /usr/bin/time: a broken peer
    # says why, and each archive must load (skopeo reads both).
    rm -f "$out"
    porthole_mb=$(peak_rss "$porthole" --root "$pw/porthole-root" save --format $format -o "$out" "$BENCH_IMAGE")
    skopeo inspect "$format:$out" >/dev/null
    porthole_size=$(du -m "$out" | cut -f1)
    rm -f "$out"
    podman_mb=$(peak_rss $pull_podman save --format $format -o "$out" "$BENCH_IMAGE")
    podman_size=$(du -m "$out" | cut -f1)
    # No dirty pages: no run pays for writing back the one before.
    hyperfine --warmup 1 --runs "${RUNS:-5}" \
      --prepare "rm -f $out; sync" \
      --command-name "porthole save ($format)" "$porthole --root $pw/porthole-root save --format $format -o $out $BENCH_IMAGE" \
      --prepare "rm -f $out; sync" \
      --command-name "podman save ($format)" "$pull_podman save --format $format -o $out $BENCH_IMAGE" \
      --export-json "$results/save-$format.json" >/dev/null
    ratio "save $format (porthole $porthole_size MB, podman $podman_size MB)" "$results/save-$format.json"
    echo "save $format peak memory: porthole $porthole_mb MB, podman $podman_mb MB (maximum RSS of one save each)"
  done
  rm -f "$out"
  cleanup_pull
}

# load: `porthole load` against `podman load` of one docker-archive (podman
# save of the pull section's image), into empty stores on the pull section's
# file system. Both end with the image ready to run: porthole unpacks every
# layer, podman applies them to its storage.
load_bench() {
  cleanup_pull
  mount_pull_fs
  archive=$pw/load.tar
  $pull_podman pull --quiet --tls-verify=false "$BENCH_IMAGE" >"$pw/pull.log" 2>&1 &&
    $pull_podman save --quiet -o "$archive" "$BENCH_IMAGE" >"$pw/save.log" 2>&1 || {
    cat "$pw/pull.log" "$pw/save.log" >&2 2>/dev/null; echo "bench: podman pull or save failed" >&2; exit 1; }
  # Empty stores, and no dirty pages: no run pays for writing back another's.
  empty="while mountpoint -q $pw/podman-storage/overlay; do umount $pw/podman-storage/overlay; done
    rm -rf --one-file-system $pw/porthole-root $pw/podman-storage $pw/podman-run $pw/podman-tmp; sync"
  sh -c "$empty"
  # One load each outside hyperfine, under /usr/bin/time: a broken peer says
  # why, and each loaded image must then start.
  porthole_mb=$(peak_rss "$porthole" --root "$pw/porthole-root" load -q -i "$archive")
  podman_mb=$(peak_rss $pull_podman load -q -i "$archive")
  "$porthole" --root "$pw/porthole-root" run --rm --network none "$BENCH_IMAGE" git --version >/dev/null
  $pull_podman run --rm --network none "$BENCH_IMAGE" git --version >/dev/null || {
    echo "bench: podman run failed; is installer/configure-podman.sh applied?" >&2; exit 1; }
  for d in podman-storage podman-run; do unmount_under "$pw/$d"; done
  hyperfine --runs "${RUNS:-5}" \
    --prepare "$empty" \
    --command-name "porthole load" "$porthole --root $pw/porthole-root load -q -i $archive" \
    --prepare "$empty" \
    --command-name "podman load" "$pull_podman load -q -i $archive" \
    --export-json "$results/load.json" >/dev/null
  ratio "load docker-archive $(du -m "$archive" | cut -f1) MB" "$results/load.json"
  echo "load peak memory: porthole $porthole_mb MB, podman $podman_mb MB (maximum RSS of one load each)"
  cleanup_pull
}

. "$here/commit.sh"
. "$here/gui.sh"

trap 'cleanup_run; cleanup_pull' EXIT
trap 'exit 130' INT TERM

# The pull section re-enters this script under make-debian-image.sh, whose
# registry lives as long as that inner run.
[ -n "${BENCH_INNER:-}" ] ||
  echo "Porthole benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
for section in $sections; do
  case $section in
    import)
      [ -s "$rootfs" ] || "$here/make-rootfs.sh" "$rootfs" 200
      [ -s "$rootfs.gz" ] || gzip -1 -c "$rootfs" > "$rootfs.gz"
      import_bench "$rootfs" tar
      import_bench "$rootfs.gz" tar.gz
      rm -rf "$work/porthole-root" "$work/podman-storage" "$work/podman-run" ;;
    run) run_bench ;;
    pull)
      if [ -n "${BENCH_IMAGE:-}" ]; then
        pull_bench
      else
        BENCH_INNER=1 "$here/make-debian-image.sh" "$work/debian-image" "$here/run.sh" "$build" pull
      fi ;;
    save | load | commit)
      # These need the Debian image; the registry lives as long as the inner run.
      if [ -n "${BENCH_IMAGE:-}" ]; then
        ${section}_bench
      else
        BENCH_INNER=1 "$here/make-debian-image.sh" "$work/debian-image" "$here/run.sh" "$build" "$section"
      fi ;;
    gui) gui_bench ;;
    *) echo "bench: unknown section $section (import, run, pull, save, load, commit or gui)" >&2; exit 2 ;;
  esac
done
