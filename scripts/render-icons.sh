#!/usr/bin/env bash
# Renders design/icon*.svg to the PNG icons the manifest names, with headless Chromium.
# Run by hand after changing the SVGs; the PNGs are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
render() { # svg, size, out
  local page; page=$(mktemp --suffix=.html)
  printf '<html><body style="margin:0"><img src="file://%s" width="%s" height="%s"></body></html>' "$PWD/$1" "$2" "$2" > "$page"
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --default-background-color=00000000 \
    --user-data-dir="$(mktemp -d)" --window-size="$2,$2" --screenshot="$3" "file://$page" 2>/dev/null
  rm -f "$page"
}
render design/icon.svg 192 public/icons/icon-192.png
render design/icon.svg 512 public/icons/icon-512.png
render design/icon-maskable.svg 512 public/icons/icon-maskable-512.png
ls -l public/icons
