#!/bin/sh
# Screenshots of every view of the window and of a running container's
# changes window, in English and Korean, for the README: starts Porthole under Xvfb on a store of its own with a few images
# and containers, walks the sidebar with the keyboard (a click on its first
# row, then Down) and grabs the window with ImageMagick's import.
# Usage: tools/screenshots.sh [BUILD_DIR [OUT_DIR]]   (as root; needs xvfb,
# xdotool, imagemagick, fonts-noto-cjk: installer/install-deps.sh test)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${1:-$repo/build}
out=${2:-$repo/docs/screenshots}
porthole=$build/app/porthole
for tool in Xvfb xdotool import; do
  command -v $tool >/dev/null || { echo "screenshots: $tool is missing (installer/install-deps.sh test)" >&2; exit 1; }
done
work=$(mktemp -d)
root=$work/root
display=:77
xvfb_pid=""
app_pid=""
cleanup() {
  [ -z "$app_pid" ] || kill "$app_pid" 2>/dev/null || true
  ids=$("$porthole" --root "$root" ps -aq 2>/dev/null || true)
  # shellcheck disable=SC2086 # one ID per word
  [ -z "$ids" ] || "$porthole" --root "$root" rm -f $ids >/dev/null 2>&1 || true
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A store a class would have after the tutorial: the demo image, a commit
# of it, a running and an exited container.
ph() { "$porthole" --root "$root" "$@"; }
ph images >/dev/null
ph run --name git --network none localhost/demo sh -c 'mkdir /work && echo hello > /work/notes.txt' >/dev/null
ph commit -a teacher -m "add notes" git localhost/demo:git >/dev/null
ph tag localhost/demo:latest registry.example/class/demo:v1
ph run -d --name web --network none -v class-data:/data localhost/demo:git \
  sh -c "echo notes > /data/notes; echo more > /work/more.txt; mkdir -p /srv/www; head -c 300000 /dev/urandom > /srv/www/site.bin; rm /etc/motd; sleep 3600" >/dev/null
ph create --name later --network none localhost/demo true >/dev/null

Xvfb $display -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
mkdir -p "$out"
for lang in en ko; do
  DISPLAY=$display PORTHOLE_LANG=$lang PORTHOLE_NO_DEMO=1 "$porthole" --root "$root" >"$work/gui-$lang.log" 2>&1 &
  app_pid=$!
  sleep 3
  win=$(DISPLAY=$display xdotool search --sync --pid "$app_pid" --onlyvisible | head -1)
  DISPLAY=$display xdotool windowsize "$win" 1100 600 windowmove "$win" 0 0 windowactivate --sync "$win" 2>/dev/null || true
  # The sidebar's first row (Images) sits at the top left in any language.
  DISPLAY=$display xdotool mousemove --window "$win" 30 66 click 1
  for view in images containers volumes jobs; do
    sleep 1
    DISPLAY=$display import -window "$win" "$out/$view-$lang.png"
    DISPLAY=$display xdotool key Down
  done
  # The changes window of the running container (Containers, its row, Ctrl+D):
  # its live read-write layer on the image's layers. Rows are newest first:
  # later, web, git. Korean text makes the toolbar and the rows 12 px taller.
  dy=0
  [ "$lang" = ko ] && dy=12
  DISPLAY=$display xdotool mousemove --window "$win" 30 $((80 + dy)) click 1
  sleep 1
  DISPLAY=$display xdotool mousemove --window "$win" 500 $((147 + dy)) click 1 key ctrl+d
  sleep 3
  changes=$(DISPLAY=$display xdotool search --pid "$app_pid" --onlyvisible | grep -v "^$win\$" | head -1)
  DISPLAY=$display xdotool windowsize "$changes" 900 520 2>/dev/null || true
  sleep 1
  DISPLAY=$display import -window "$changes" "$out/changes-$lang.png"
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
done
echo "screenshots: written to $out"
