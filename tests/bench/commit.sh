# The commit section of run.sh (sourced by it; uses its pull section's file
# system, peak_rss and ratio). Needs BENCH_IMAGE (make-debian-image.sh).
#
# A big change: `cp -a /usr /usr-copy` in a Debian container (about 230 MB
# in 9,000 files, the mix of files an apt-get install leaves), committed by
# Porthole and by podman. The change is made the same way in both, without
# the network, so the run does not depend on a package mirror.
# A small change: 10 MB written into a container of the image the big
# commit made (about 470 MB): its commit costs what the change costs.

commit_bench() {
  cleanup_pull
  mount_pull_fs
  proot=$pw/porthole-root
  "$porthole" --root "$proot" pull "$BENCH_IMAGE" >/dev/null
  $pull_podman pull -q --tls-verify=false "$BENCH_IMAGE" >/dev/null
  big='cp -a /usr /usr-copy'
  small='head -c 10000000 /dev/urandom > /ten-mb'
  "$porthole" --root "$proot" run --name big --network none "$BENCH_IMAGE" sh -c "$big"
  $pull_podman run --name big --network none "$BENCH_IMAGE" sh -c "$big"
  size=$(du -sm "$proot/containers"/*/upper | cut -f1)

  porthole_mb=$(peak_rss "$porthole" --root "$proot" commit big bench/commit:big)
  podman_mb=$(peak_rss $pull_podman commit -q big bench/commit:big)
  hyperfine --runs "${RUNS:-5}" \
    --prepare "$porthole --root $proot rmi bench/commit:big >/dev/null; sync" \
    --command-name "porthole commit" "$porthole --root $proot commit big bench/commit:big" \
    --prepare "$pull_podman rmi bench/commit:big >/dev/null; sync" \
    --command-name "podman commit" "$pull_podman commit -q big bench/commit:big" \
    --export-json "$results/commit.json" >/dev/null
  ratio "commit of a $size MB change" "$results/commit.json"
  echo "commit peak memory: porthole $porthole_mb MB, podman $podman_mb MB"

  # The images the last timed runs left are the base of the small change.
  "$porthole" --root "$proot" run --name small --network none bench/commit:big sh -c "$small"
  $pull_podman run --name small --network none bench/commit:big sh -c "$small"
  image_mb=$("$porthole" --root "$proot" images bench/commit:big | awk 'NR == 2 { print $NF }')
  hyperfine --runs "${RUNS:-10}" \
    --prepare "$porthole --root $proot rmi bench/commit:small >/dev/null 2>&1; sync" \
    --command-name "porthole commit" "$porthole --root $proot commit small bench/commit:small" \
    --prepare "$pull_podman rmi bench/commit:small >/dev/null 2>&1; sync" \
    --command-name "podman commit" "$pull_podman commit -q small bench/commit:small" \
    --export-json "$results/commit-small.json" >/dev/null
  ratio "commit of a 10 MB change on a $image_mb image" "$results/commit-small.json"
  cleanup_pull
}
